/*
 * breakpoint: a debugger written against procsim's C API (procsim/ptrace.h),
 * the worked example of docs/ptrace.md.
 *
 * The debuggee is a program that sums 1..10 in a loop and exits with the
 * sum.  The debugger is a process that runs no program (a "puppet": the
 * research tool speaks for it), and it is the debuggee's parent.  It
 *
 *   1. attaches (PT_ATTACH) and collects the SIGSTOP stop with wait;
 *   2. plants a breakpoint: reads the 8-byte instruction at label `done`
 *      with PT_IO and writes a `brk` over it (PT_IO, PIOD_WRITE_I);
 *   3. continues (PT_CONTINUE) and collects the SIGTRAP stop: pc is the
 *      breakpoint's address (`brk` leaves pc on itself), r1 holds the sum;
 *   4. puts the original instruction back and steps over it (PT_STEP):
 *      one instruction later pc is 8 bytes on;
 *   5. detaches (PT_DETACH), and reaps the debuggee's exit.
 *
 * Every step prints what the debugger saw.  Exit status 0 when the story
 * went as told, 1 otherwise.
 *
 * Build: CMake builds it as example_breakpoint; by hand, against a build in
 * build/:
 *   cc -std=c11 -Iinclude examples/breakpoint.c -Lbuild -lprocsim -Wl,-rpath,build
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <procsim/procsim.h>

static const char program[] =
    "start:  mov r1, 0            ; the sum\n"
    "        mov r2, 1            ; the counter\n"
    "loop:   add r1, r1, r2\n"
    "        add r2, r2, 1\n"
    "        cmp r2, 11\n"
    "        blt loop\n"
    "done:   mov r0, r1\n"
    "        sys exit r0\n";

static int failures;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("  unexpected: " __VA_ARGS__);                  \
			printf("\n");                                          \
			failures++;                                            \
		}                                                              \
	} while (0)

/* A request, printed as the debugger makes it. */
static int
req(ps_sim_t *sim, int32_t dbg, int r, int32_t pid, void *addr, int data, int *rv)
{
	int error = ps_ptrace(sim, dbg, r, pid, addr, data, rv);

	printf("%-16s -> %s\n", ps_ptrace_request_name(r), error == 0 ? "0" : ps_err_name(error));
	return error;
}

/* Let the simulation run until nothing more happens before t, then wait. */
static int
run_and_wait(ps_sim_t *sim, int32_t dbg, int32_t child, int *status)
{
	ps_sim_run_until(sim, PS_TIME_NEVER, 0, NULL);
	return ps_wait(sim, dbg, child, 0, status);
}

static void
show_stop(int pid, int status)
{
	if (PS_WIFSTOPPED(status))
		printf("wait             -> %d stopped by %s (status %#x)\n", pid,
		       ps_signal_name(PS_WSTOPSIG(status)), status);
	else if (PS_WIFEXITED(status))
		printf("wait             -> %d exited with %d\n", pid, PS_WEXITSTATUS(status));
	else
		printf("wait             -> %d status %#x\n", pid, status);
}

int
main(void)
{
	struct ps_config cfg;
	struct ps_regs regs;
	struct ps_ptrace_io_desc io;
	uint8_t saved[8], brk[8] = { 0x71 }; /* `brk`: opcode 0x71, other bytes 0 */
	uint64_t done;
	ps_sim_t *sim;
	int32_t dbg, child;
	int st = 0, rv = 0;

	ps_config_init(&cfg);
	cfg.check_every_op = 1;
	if (ps_sim_new(&cfg, &sim) != 0 || ps_program_add(sim, "sum", program, NULL) != 0 ||
	    ps_program_symbol(sim, "sum", "done", &done) != 0 || ps_fork(sim, 1, &dbg) != 0 ||
	    ps_spawn(sim, dbg, "sum", NULL, NULL, &child) != 0) {
		fprintf(stderr, "breakpoint: cannot set the simulation up\n");
		return 1;
	}
	printf("debugger %d, debuggee %d running `sum`; label done at %#" PRIx64 "\n", dbg, child,
	       done);

	/* 1. Attach; the stop must be collected before anything else. */
	req(sim, dbg, PS_PT_ATTACH, child, NULL, 0, NULL);
	CHECK(req(sim, dbg, PS_PT_GETREGS, child, &regs, 0, NULL) == PS_EBUSY,
	      "a request before wait must be EBUSY");
	CHECK(run_and_wait(sim, dbg, child, &st) == child, "wait for the attach stop");
	show_stop(child, st);
	CHECK(PS_WIFSTOPPED(st) && PS_WSTOPSIG(st) == PS_SIGSTOP, "stopped by SIGSTOP");

	/* 2. Plant the breakpoint: save the instruction, write `brk` over it. */
	io = (struct ps_ptrace_io_desc){ PS_PIOD_READ_I, done, saved, sizeof(saved) };
	req(sim, dbg, PS_PT_IO, child, &io, 0, NULL);
	io = (struct ps_ptrace_io_desc){ PS_PIOD_WRITE_I, done, brk, sizeof(brk) };
	req(sim, dbg, PS_PT_IO, child, &io, 0, NULL);

	/* 3. Continue to it. */
	req(sim, dbg, PS_PT_CONTINUE, child, PS_PT_ADDR_SAME, 0, NULL);
	CHECK(run_and_wait(sim, dbg, child, &st) == child, "wait for the breakpoint");
	show_stop(child, st);
	CHECK(PS_WIFSTOPPED(st) && PS_WSTOPSIG(st) == PS_SIGTRAP, "stopped by SIGTRAP");
	req(sim, dbg, PS_PT_GETREGS, child, &regs, 0, NULL);
	printf("  pc %#" PRIx64 " (the breakpoint), r1 = %" PRIu64 " (the sum), r2 = %" PRIu64 "\n",
	       regs.pc, regs.r[1], regs.r[2]);
	CHECK(regs.pc == done && regs.r[1] == 55 && regs.r[2] == 11, "registers at the breakpoint");

	/* 4. Put the instruction back and step over it. */
	io = (struct ps_ptrace_io_desc){ PS_PIOD_WRITE_I, done, saved, sizeof(saved) };
	req(sim, dbg, PS_PT_IO, child, &io, 0, NULL);
	req(sim, dbg, PS_PT_STEP, child, PS_PT_ADDR_SAME, 0, NULL);
	CHECK(run_and_wait(sim, dbg, child, &st) == child, "wait for the step");
	show_stop(child, st);
	req(sim, dbg, PS_PT_GETREGS, child, &regs, 0, NULL);
	printf("  pc %#" PRIx64 " (one instruction on), r0 = %" PRIu64 "\n", regs.pc, regs.r[0]);
	CHECK(regs.pc == done + 8 && regs.r[0] == 55, "registers after the step");

	/* 5. Let it go, and reap it. */
	req(sim, dbg, PS_PT_DETACH, child, PS_PT_ADDR_SAME, 0, &rv);
	CHECK(run_and_wait(sim, dbg, child, &st) == child, "wait for the exit");
	show_stop(child, st);
	CHECK(PS_WIFEXITED(st) && PS_WEXITSTATUS(st) == 55, "exit status 55");

	struct ps_check_report rep;

	CHECK(ps_sim_check(sim, &rep) == 0, "invariants: %s", rep.message);
	ps_sim_free(sim);
	printf("%s\n", failures == 0 ? "ok" : "FAILED");
	return failures == 0 ? 0 : 1;
}
