/*
 * Programs on simulated CPUs: system calls from programs, fork with
 * copy-on-write, exec, signal handlers on the simulated stack, faults,
 * nanosleep and timers, threads, and the scheduler's policies.  Every test
 * runs with the invariant checker after every step (check_every_op), and
 * every step's result is asserted.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <procsim/procsim.h>

#include "testlib.h"

/* A trace of the events that matter here, with their times. */
#define RLOG_MAX 200000
struct rlog {
	size_t n;
	struct ps_event ev[RLOG_MAX];
	char detail[RLOG_MAX][24];
};
static struct rlog *rl;

static void
rlog_cb(const struct ps_event *ev, void *arg)
{
	(void)arg;
	if (rl->n < RLOG_MAX) {
		rl->ev[rl->n] = *ev;
		snprintf(rl->detail[rl->n], sizeof(rl->detail[0]), "%s",
		         ev->detail != NULL ? ev->detail : "");
		rl->ev[rl->n].detail = rl->detail[rl->n];
	}
	rl->n++;
}

static ps_sim_t *sim;

static void
setup_cfg(int cpus, int policy, uint64_t quantum)
{
	struct ps_config c = t_config();

	c.cpus = cpus;
	c.policy = (uint8_t)policy;
	c.quantum_ns = quantum;
	if (sim != NULL)
		ps_sim_free(sim);
	ck_assert_int_eq(ps_sim_new(&c, &sim), 0);
	t_sim = sim;
	rl->n = 0;
	ck_assert_int_eq(ps_sim_set_event_cb(sim, rlog_cb, NULL), 0);
}

static void
setup(void)
{
	rl = calloc(1, sizeof(*rl));
	sim = NULL;
	setup_cfg(1, PS_POLICY_RR, 1000000);
}

static void
teardown(void)
{
	t_check(sim);
	ck_assert_uint_eq(ps_sim_lock_reversals(sim), 0);
	ps_sim_free(sim);
	sim = NULL;
	t_sim = NULL;
	free(rl);
}

static void
add(const char *name, const char *text)
{
	struct ps_asm_error err;
	int rc = ps_program_add(sim, name, text, &err);

	ck_assert_msg(rc == 0, "%s: %d:%d: %s", name, err.line, err.column, err.message);
}

/* Run until nothing can happen, every step checked. */
static void
run_all(void)
{
	uint64_t steps;
	int rc = ps_sim_run_until(sim, ps_sim_now(sim) + 10ull * 1000 * 1000 * 1000, 5000000, &steps);

	ck_assert_msg(rc == 0, "run: %s", ps_err_name(rc));
	ck_assert_uint_eq(ps_sim_next_time(sim), PS_TIME_NEVER);
}

/* A shell (a session leader that runs no program) and a program child. */
static int32_t
spawn_under_shell(const char *prog, int32_t *shell)
{
	int32_t sh = t_session(sim), pid = -1;

	ck_assert_int_eq(ps_spawn(sim, sh, prog, NULL, NULL, &pid), 0);
	if (shell != NULL)
		*shell = sh;
	return pid;
}

/* The wait status of a zombie child, reaped by its puppet parent. */
static int
reap(int32_t parent, int32_t pid)
{
	int status = -1;

	ck_assert_int_eq(t_state(sim, pid), PS_PRS_ZOMBIE);
	ck_assert_int_eq(ps_wait(sim, parent, pid, PS_WNOHANG, &status), pid);
	return status;
}

static long
find_ev(size_t from, int type, int32_t pid, const char *detail)
{
	for (size_t i = from; i < rl->n && i < RLOG_MAX; i++)
		if ((int)rl->ev[i].type == type && (pid == 0 || rl->ev[i].pid == pid) &&
		    (detail == NULL || strcmp(rl->ev[i].detail, detail) == 0))
			return (long)i;
	return -1;
}

static size_t
t_count_rl(int type, int32_t pid)
{
	size_t n = 0;

	for (size_t i = 0; i < rl->n && i < RLOG_MAX; i++)
		n += (int)rl->ev[i].type == type && rl->ev[i].pid == pid;
	return n;
}

/* --- system calls --- */

START_TEST(exit_status_reaches_the_parent)
{
	int32_t sh, pid;

	add("p", "start:\n  sys getpid\n  mov r5, r0\n  sys exit 42\n");
	pid = spawn_under_shell("p", &sh);
	run_all();
	ck_assert_int_eq(reap(sh, pid), 42 << 8);
	/* The address space went at exit: every frame is back. */
	struct ps_mem_info mi;
	ck_assert_int_eq(ps_mem_info(sim, 0, &mi), 0);
	ck_assert_uint_eq(mi.frames_used, 0);
}
END_TEST

START_TEST(getpid_getppid_and_ids)
{
	int32_t sh, pid;

	/* exit(getpid() == pid && getppid() == sh ? 1 : 0) computed in the program. */
	add("p", "start:\n"
	         "  sys getppid\n  mov r6, r0\n"
	         "  sys getpid\n  mov r7, r0\n"
	         "  sys getpgrp\n  mov r8, r0\n"
	         "  sys getsid 0\n  mov r9, r0\n"
	         "  sys setsid\n  mov r10, r0\n"
	         "  sys getsid 0\n  mov r11, r0\n"
	         "  ld r1, [res]\n"
	         "  st r6, [res]\n  st r7, [res+8]\n  st r8, [res+16]\n  st r9, [res+24]\n"
	         "  st r10, [res+32]\n  st r11, [res+40]\n"
	         "  sys pause\n"
	         ".data\nres: .quad 0, 0, 0, 0, 0, 0\n");
	pid = spawn_under_shell("p", &sh);
	run_all();
	uint64_t res[6], addr;
	size_t done;
	ck_assert_int_eq(ps_program_symbol(sim, "p", "res", &addr), 0);
	ck_assert_int_eq(ps_mem_read(sim, pid, addr, res, sizeof(res), &done), 0);
	ck_assert_uint_eq(done, sizeof(res));
	ck_assert_int_eq((int)res[0], sh);
	ck_assert_int_eq((int)res[1], pid);
	ck_assert_int_eq((int)res[2], sh);
	ck_assert_int_eq((int)res[3], sh);
	ck_assert_int_eq((int)res[4], pid);   /* setsid returns the new sid. */
	ck_assert_int_eq((int)res[5], pid);
	ck_assert_int_eq(t_pinfo(pid).sid, pid);
	/* It sleeps in pause: the thread says so. */
	int32_t tid;
	size_t n;
	ck_assert_int_eq(ps_proc_threads(sim, pid, &tid, 1, &n), 0);
	struct ps_thread_info ti;
	ck_assert_int_eq(ps_thread_info(sim, tid, &ti), 0);
	ck_assert_int_eq(ti.state, PS_TD_SLEEPING);
	ck_assert_str_eq(ti.wmesg, "pause");
	ck_assert_int_eq(ti.syscall, PS_SYSNO_pause);
	/* A runner's own system calls cannot be made from outside. */
	ck_assert_int_eq(ps_fork(sim, pid, &tid), PS_EBUSY);
	ck_assert_int_eq(ps_exit(sim, pid, 0), PS_EBUSY);
	ck_assert_int_eq(ps_kill(sim, sh, pid, PS_SIGKILL), 0);
	run_all();
	ck_assert_int_eq(reap(sh, pid) & 0x7f, PS_SIGKILL);
}
END_TEST

START_TEST(fork_is_copy_on_write)
{
	int32_t sh, pid;
	struct ps_mem_info before, after;

	/*
	 * x = 1; fork.  The child writes 2 to x and exits with x; the parent
	 * waits, then exits with x * 10 + the child's status: 1 * 10 + 2.
	 */
	add("p", "start:\n"
	         "  li r1, 1\n  st r1, [x]\n"
	         "  sys fork\n"
	         "  bnez r0, parent\n"
	         "  li r1, 2\n  st r1, [x]\n"
	         "  ld r2, [x]\n"
	         "  sys exit r2\n"
	         "parent:\n"
	         "  mov r6, r0\n"
	         "  sys wait4 r6, st, 0, 0\n"
	         "  cmp r0, r6\n  bne bad\n"
	         "  ld r3, [st]\n  shr r3, r3, 8\n  and r3, r3, 255\n"
	         "  ld r4, [x]\n  mul r4, r4, 10\n  add r4, r4, r3\n"
	         "  sys exit r4\n"
	         "bad:\n  sys exit 99\n"
	         ".data\nx: .quad 0\nst: .quad 0\n");
	ck_assert_int_eq(ps_mem_info(sim, 0, &before), 0);
	pid = spawn_under_shell("p", &sh);
	run_all();
	ck_assert_int_eq(reap(sh, pid), 12 << 8);
	ck_assert_int_eq(ps_mem_info(sim, 0, &after), 0);
	ck_assert_uint_eq(after.frames_used, before.frames_used);
	ck_assert(find_ev(0, PS_EV_FORK, pid, NULL) >= 0);
}
END_TEST

START_TEST(cow_frames_shared_until_written)
{
	int32_t sh, pid, child;
	struct ps_mem_info a, b;
	uint64_t addr, v;
	size_t done;

	/* The parent forks and both pause: their pages are shared. */
	add("p", "start:\n  li r1, 7\n  st r1, [x]\n  sys fork\n  sys pause\n"
	         ".data\nx: .quad 0\n");
	pid = spawn_under_shell("p", &sh);
	run_all();
	size_t n;
	ck_assert_int_eq(ps_proc_children(sim, pid, &child, 1, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ps_mem_info(sim, 0, &a), 0);
	ck_assert_int_eq(ps_program_symbol(sim, "p", "x", &addr), 0);
	/* A debugger write into the child's data copies one page. */
	v = 9;
	ck_assert_int_eq(ps_mem_write(sim, child, addr, &v, 8, &done), 0);
	ck_assert_int_eq(ps_mem_info(sim, 0, &b), 0);
	ck_assert_uint_eq(b.frames_used, a.frames_used + 1);
	ck_assert_int_eq(ps_mem_read(sim, pid, addr, &v, 8, &done), 0);
	ck_assert_uint_eq(v, 7);
	ck_assert_int_eq(ps_mem_read(sim, child, addr, &v, 8, &done), 0);
	ck_assert_uint_eq(v, 9);
	ck_assert_int_eq(ps_kill(sim, sh, -sh, PS_SIGKILL), 0);
	run_all();
	ck_assert_int_eq(ps_mem_info(sim, 0, &b), 0);
	ck_assert_uint_eq(b.frames_used, 0);
}
END_TEST

START_TEST(execve_named_program_with_argv)
{
	int32_t sh, pid;

	/* "a" execs "b" with argv {"b", "Q"}; b exits with argv[1][0] ('Q' = 81). */
	add("b", "start:\n  ld r3, [r1+8]\n  ldb r4, [r3]\n  sys exit r4\n");
	add("a", "start:\n  sys execve name, argv, 0\n  sys exit 1\n"
	         ".data\nname: .asciz \"b\"\nq: .asciz \"Q\"\n.align 8\nargv: .quad name, q, 0\n");
	pid = spawn_under_shell("a", &sh);
	run_all();
	ck_assert_int_eq(reap(sh, pid), 81 << 8);
	ck_assert(find_ev(0, PS_EV_EXEC, pid, "b") >= 0);
}
END_TEST

START_TEST(execve_errors_leave_the_image)
{
	int32_t sh, pid;

	/* An unknown program: ENOENT in r0, and the old image runs on. */
	add("a", "start:\n  sys execve name, 0, 0\n  sub r0, r0, 0\n  neg_done:\n"
	         "  li r1, 0\n  sub r1, r1, r0\n  sys exit r1\n"
	         ".data\nname: .asciz \"nosuch\"\n");
	pid = spawn_under_shell("a", &sh);
	run_all();
	ck_assert_int_eq(reap(sh, pid), (-PS_ENOENT) << 8);
}
END_TEST

START_TEST(spawn_argv_in_ps_strings)
{
	const char *argv[] = { "prog", "-x", "hello", NULL };
	int32_t sh = t_session(sim), pid;

	/* exit(argc * 10 + argv[2][4]-'o'... ) -> argc only, and read the strings. */
	add("p", "start:\n  sys exit r0\n");
	ck_assert_int_eq(ps_spawn(sim, sh, "p", argv, NULL, &pid), 0);
	run_all();
	ck_assert_int_eq(reap(sh, pid), 3 << 8);
	ck_assert_int_eq(ps_spawn(sim, sh, "nosuch", NULL, NULL, &pid), PS_ESRCH);
	ck_assert_int_eq(ps_spawn(sim, 424242, "p", NULL, NULL, &pid), PS_ESRCH);
	ck_assert_int_eq(ps_spawn(NULL, sh, "p", NULL, NULL, &pid), PS_EINVAL);
	ck_assert_int_eq(ps_spawn(sim, sh, "p", NULL, NULL, NULL), PS_EINVAL);
}
END_TEST

/* --- signals --- */

START_TEST(handler_runs_on_the_stack_and_returns)
{
	int32_t sh, pid;

	/*
	 * r5 = 5; SIGUSR1 caught; kill self; the handler stores its signal
	 * number in got, and returns through the trampoline; r5 must survive.
	 * exit(got + r5) = 30 + 5.
	 */
	add("p", "start:\n"
	         "  li r5, 5\n"
	         "  sys sigaction SIGUSR1, handler, 0, 0\n"
	         "  sys getpid\n"
	         "  sys kill r0, SIGUSR1\n"
	         "  ld r1, [got]\n  add r1, r1, r5\n"
	         "  sys exit r1\n"
	         "handler:\n  st r0, [got]\n  li r5, 77\n  ret\n"
	         ".data\ngot: .quad 0\n");
	pid = spawn_under_shell("p", &sh);
	run_all();
	ck_assert_int_eq(reap(sh, pid), 35 << 8);
	ck_assert(find_ev(0, PS_EV_SIGNAL_DELIVER, pid, "handler") >= 0);
	ck_assert(find_ev(0, PS_EV_SYSCALL, pid, "sigreturn") >= 0);
}
END_TEST

START_TEST(pause_interrupted_by_a_caught_signal)
{
	int32_t sh, pid;

	/* pause returns EINTR after the handler: exit(-r0) = EINTR (4). */
	add("p", "start:\n"
	         "  sys sigaction SIGUSR1, handler, 0, 0\n"
	         "  sys pause\n"
	         "  li r1, 0\n  sub r1, r1, r0\n  sys exit r1\n"
	         "handler:\n  ret\n");
	pid = spawn_under_shell("p", &sh);
	run_all();
	ck_assert_int_eq(t_state(sim, pid), PS_PRS_NORMAL);
	ck_assert_int_eq(ps_kill(sim, sh, pid, PS_SIGUSR1), 0);
	run_all();
	ck_assert_int_eq(reap(sh, pid), (-PS_EINTR) << 8);
}
END_TEST

START_TEST(wait4_sleeps_until_the_child_exits)
{
	int32_t sh, pid;
	long fork_i, sleep_i, exit_i, wake_i;

	add("p", "start:\n"
	         "  sys fork\n"
	         "  bnez r0, parent\n"
	         "  work 50000\n"
	         "  sys exit 3\n"
	         "parent:\n"
	         "  sys wait4 -1, st, 0, 0\n"
	         "  ld r1, [st]\n  shr r1, r1, 8\n  sys exit r1\n"
	         ".data\nst: .quad 0\n");
	pid = spawn_under_shell("p", &sh);
	run_all();
	ck_assert_int_eq(reap(sh, pid), 3 << 8);
	fork_i = find_ev(0, PS_EV_FORK, pid, NULL);
	sleep_i = find_ev(0, PS_EV_SLEEP, pid, "wait");
	ck_assert(fork_i >= 0 && sleep_i > fork_i);
	exit_i = find_ev((size_t)sleep_i, PS_EV_EXIT, rl->ev[fork_i].pid2, NULL);
	wake_i = find_ev((size_t)exit_i, PS_EV_WAKEUP, pid, NULL);
	ck_assert(exit_i > sleep_i && wake_i > exit_i);
	/* The child worked 50000 cycles: the exit happens after that time. */
	ck_assert_uint_ge(rl->ev[exit_i].time, 50000);
}
END_TEST

START_TEST(sigsegv_sigbus_sigill_sigfpe_sigtrap)
{
	static const struct {
		const char *text;
		int sig;
	} cases[] = {
		{ "start:\n  li r1, 0\n  ld r2, [r1]\n", PS_SIGSEGV },
		{ "start:\n  li r1, 1\n  st r1, [start]\n", PS_SIGSEGV },   /* Text is r-x. */
		{ "start:\n  ld r2, [x+1]\n.data\nx: .quad 0, 0\n", PS_SIGBUS }, /* Misaligned. */
		{ "start:\n  li r1, 0\n  div r2, r2, r1\n", PS_SIGFPE },
		{ "start:\n  brk\n", PS_SIGTRAP },
		{ "start:\n  li r1, 0x1000000\n  callr r1\n", PS_SIGSEGV },  /* Nothing there. */
		{ "start:\n  b x\n.data\nx: .quad 0\n", PS_SIGSEGV },        /* Data is not executable. */
	};
	int32_t sh = t_session(sim);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char name[8];
		int32_t pid;
		int st;

		snprintf(name, sizeof(name), "f%zu", i);
		add(name, cases[i].text);
		ck_assert_int_eq(ps_spawn(sim, sh, name, NULL, NULL, &pid), 0);
		run_all();
		st = reap(sh, pid);
		ck_assert_msg((st & 0x7f) == cases[i].sig, "case %zu: status %#x, want signal %d", i,
		              st, cases[i].sig);
		ck_assert(find_ev(0, PS_EV_FAULT, pid, NULL) >= 0);
	}
}
END_TEST

START_TEST(fault_caught_by_a_handler)
{
	int32_t sh, pid;

	/* A SIGSEGV handler that exits 11 itself. */
	add("p", "start:\n  sys sigaction SIGSEGV, h, 0, 0\n  li r1, 0\n  ld r2, [r1]\n"
	         "  sys exit 0\nh:\n  sys exit r0\n");
	pid = spawn_under_shell("p", &sh);
	run_all();
	ck_assert_int_eq(reap(sh, pid), PS_SIGSEGV << 8);
}
END_TEST

/*
 * fork shares the parent's signal actions until one side changes them: a
 * child whose fault resets an ignored SIGSEGV to the default (trapsignal)
 * must not reset its parent's, nor its sibling's.
 */
START_TEST(fault_reset_of_a_shared_action_is_the_faulting_process_own)
{
	int32_t sh, pid, kid = -1, sib = -1;
	struct ps_proc_info pi;

	add("p", "start:\n  sys sigaction SIGSEGV, 1, 0, 0\n"
	         "  sys fork\n  beqz r0, idle\n  mov r8, r0\n"
	         "  sys fork\n  beqz r0, crash\n"
	         "  sys wait4 r0, 0, 0, 0\nrest:\n  sys pause\n  b rest\n"
	         "crash:\n  li r1, 0\n  ld r2, [r1]\n  sys exit 0\n"
	         "idle:\n  sys pause\n  b idle\n");
	pid = spawn_under_shell("p", &sh);
	run_all();
	/* The crashing child died of the signal it ignored. */
	ck_assert(find_ev(0, PS_EV_FAULT, 0, NULL) >= 0);
	for (size_t i = 0; i < rl->n; i++)
		if ((int)rl->ev[i].type == PS_EV_FORK && rl->ev[i].pid == pid) {
			if (sib < 0)
				sib = rl->ev[i].pid2;
			else
				kid = rl->ev[i].pid2;
		}
	ck_assert_int_gt(kid, 0);
	ck_assert_int_eq(t_state(sim, kid), -1); /* Reaped by its parent. */
	ck_assert(find_ev(0, PS_EV_EXIT, kid, NULL) >= 0);
	/* The parent and the other child still ignore SIGSEGV. */
	ck_assert_int_eq(ps_kill(sim, sh, pid, PS_SIGSEGV), 0);
	ck_assert_int_eq(ps_kill(sim, sh, sib, PS_SIGSEGV), 0);
	run_all();
	ck_assert_int_eq(ps_proc_info(sim, pid, &pi), 0);
	ck_assert_int_eq(pi.state, PS_PRS_NORMAL);
	ck_assert_int_eq(ps_proc_info(sim, sib, &pi), 0);
	ck_assert_int_eq(pi.state, PS_PRS_NORMAL);
}
END_TEST

START_TEST(stop_and_continue_a_running_program)
{
	int32_t sh, pid;
	struct ps_thread_info ti;
	int32_t tid;
	size_t n;

	add("p", "start:\nloop:\n  work 1000\n  b loop\n");
	pid = spawn_under_shell("p", &sh);
	ck_assert_int_eq(ps_sim_run_until(sim, 100000, 0, NULL), 0);
	ck_assert_int_eq(ps_proc_threads(sim, pid, &tid, 1, &n), 0);
	ck_assert_int_eq(ps_thread_info(sim, tid, &ti), 0);
	ck_assert_int_eq(ti.state, PS_TD_RUNNING);
	ck_assert_int_eq(ps_kill(sim, sh, pid, PS_SIGSTOP), 0);
	ck_assert_int_eq(ps_sim_run_until(sim, 200000, 0, NULL), 0);
	ck_assert_int_eq(ps_thread_info(sim, tid, &ti), 0);
	ck_assert_int_eq(ti.state, PS_TD_STOPPED);
	uint64_t cycles = ti.cycles;
	ck_assert_int_eq(ps_sim_run_until(sim, 300000, 0, NULL), 0);
	ck_assert_int_eq(ps_thread_info(sim, tid, &ti), 0);
	ck_assert_uint_eq(ti.cycles, cycles); /* Stopped: it does not run. */
	ck_assert_int_eq(ps_kill(sim, sh, pid, PS_SIGCONT), 0);
	ck_assert_int_eq(ps_sim_run_until(sim, 400000, 0, NULL), 0);
	ck_assert_int_eq(ps_thread_info(sim, tid, &ti), 0);
	ck_assert_uint_gt(ti.cycles, cycles);
	ck_assert_int_eq(ps_kill(sim, sh, pid, PS_SIGKILL), 0);
	run_all();
	ck_assert_int_eq(reap(sh, pid) & 0x7f, PS_SIGKILL);
}
END_TEST


START_TEST(wait4_restarts_after_an_sa_restart_handler)
{
	int32_t sh, pid;

	/*
	 * The child sleeps, signals its parent (asleep in wait4), works, exits
	 * 7.  With SA_RESTART the parent's wait4 is made again after the
	 * handler and reports the child: exit(count * 10 + 7) = 17.
	 */
	add("p", "start:\n"
	         "  sys sigaction SIGUSR1, h, 2, 0\n"
	         "  sys fork\n"
	         "  bnez r0, parent\n"
	         "  sys nanosleep 10000\n"
	         "  sys getppid\n  sys kill r0, SIGUSR1\n"
	         "  work 5000\n  sys exit 7\n"
	         "parent:\n"
	         "  sys wait4 -1, st, 0, 0\n"
	         "  ld r1, [st]\n  shr r1, r1, 8\n"
	         "  ld r2, [count]\n  mul r2, r2, 10\n  add r1, r1, r2\n"
	         "  sys exit r1\n"
	         "h:\n  ld r3, [count]\n  add r3, r3, 1\n  st r3, [count]\n  ret\n"
	         ".data\nst: .quad 0\ncount: .quad 0\n");
	pid = spawn_under_shell("p", &sh);
	run_all();
	ck_assert_int_eq(reap(sh, pid), 17 << 8);
	ck_assert(find_ev(0, PS_EV_WAKEUP, pid, "restart") >= 0);
}
END_TEST

START_TEST(wait4_interrupted_without_sa_restart)
{
	int32_t sh, pid;

	add("p", "start:\n"
	         "  sys sigaction SIGUSR1, h, 0, 0\n"
	         "  sys fork\n"
	         "  bnez r0, parent\n"
	         "  sys nanosleep 10000\n"
	         "  sys getppid\n  sys kill r0, SIGUSR1\n"
	         "  sys exit 7\n"
	         "parent:\n"
	         "  sys wait4 -1, 0, 0, 0\n"
	         "  li r1, 0\n  sub r1, r1, r0\n  sys exit r1\n"
	         "h:\n  ret\n");
	pid = spawn_under_shell("p", &sh);
	run_all();
	ck_assert_int_eq(reap(sh, pid), (-PS_EINTR) << 8);
}
END_TEST

START_TEST(threads_racing_into_exit_one_status_wins)
{
	int32_t sh, pid;
	int st;

	/* Scenario 40: two threads on two CPUs call exit at about the same time. */
	setup_cfg(2, PS_POLICY_RR, 1000000);
	add("p", "start:\n"
	         "  sys thr_new w, top, 0\n"
	         "  sys exit 6\n"
	         "w:\n  sys exit 5\n"
	         ".data\nstk: .space 128\ntop: .quad 0\n");
	pid = spawn_under_shell("p", &sh);
	run_all();
	st = reap(sh, pid);
	ck_assert(st == (5 << 8) || st == (6 << 8));
	ck_assert_uint_eq(t_count_rl(PS_EV_EXIT, pid), 1);
	/* Whichever exit came first, the other thread left without exiting the process. */
	long ex = find_ev(0, PS_EV_EXIT, pid, NULL);
	long te = find_ev(0, PS_EV_THREAD_EXIT, pid, NULL);
	ck_assert(te >= 0 && te < ex);
	/* The thread whose exit call came first is the one whose status counts. */
	long first = find_ev(0, PS_EV_SYSCALL, pid, "exit");
	ck_assert_int_eq(rl->ev[first].tid, rl->ev[ex].tid);
}
END_TEST


START_TEST(interrupted_work_resumes_after_the_handler)
{
	int32_t sh, pid;
	long e;

	/* work 100000 is interrupted at 50 us by a caught signal: it still ends at about 100 us. */
	add("p", "start:\n  sys sigaction SIGUSR1, h, 0, 0\n  work 100000\n  sys exit 0\n"
	         "h:\n  work 10\n  ret\n");
	pid = spawn_under_shell("p", &sh);
	ck_assert_int_eq(ps_sim_run_until(sim, 50000, 0, NULL), 0);
	ck_assert_int_eq(ps_kill(sim, sh, pid, PS_SIGUSR1), 0);
	run_all();
	ck_assert_int_eq(reap(sh, pid), 0);
	e = find_ev(0, PS_EV_EXIT, pid, NULL);
	ck_assert(find_ev(0, PS_EV_SYSCALL, pid, "sigreturn") >= 0);
	ck_assert_uint_gt(rl->ev[e].time, 100000);
	ck_assert_uint_lt(rl->ev[e].time, 101000);
}
END_TEST


START_TEST(wait4_efault_after_the_reap)
{
	int32_t sh, pid;

	/*
	 * A status address that is not mapped: the child is reaped all the
	 * same (kern_wait reaps before copyout), and wait4 returns EFAULT; a
	 * second wait4 finds no child.  exit(-first * 10 + -second) = 14 * 10 + 10.
	 */
	add("p", "start:\n"
	         "  sys fork\n"
	         "  bnez r0, parent\n"
	         "  sys exit 3\n"
	         "parent:\n"
	         "  sys wait4 -1, 16, 0, 0\n"
	         "  mov r6, r0\n"
	         "  sys wait4 -1, 0, 0, 0\n"
	         "  li r1, 0\n  sub r1, r1, r6\n  mul r1, r1, 10\n  sub r1, r1, r0\n"
	         "  sys exit r1\n");
	pid = spawn_under_shell("p", &sh);
	run_all();
	ck_assert_int_eq(reap(sh, pid), (-PS_EFAULT * 10 - PS_ECHILD) << 8);
	ck_assert(find_ev(0, PS_EV_REAP, 0, NULL) >= 0);
}
END_TEST

/* --- time --- */

START_TEST(nanosleep_wakes_at_its_time)
{
	int32_t sh, pid;
	long e;

	add("p", "start:\n  sys nanosleep 250000\n  sys exit r0\n");
	pid = spawn_under_shell("p", &sh);
	run_all();
	ck_assert_int_eq(reap(sh, pid), 0);
	e = find_ev(0, PS_EV_EXIT, pid, NULL);
	ck_assert(e >= 0);
	/* Slept 250 us after the first system call began (100 cycles each). */
	ck_assert_uint_ge(rl->ev[e].time, 250000);
	ck_assert_uint_lt(rl->ev[e].time, 250000 + 1000);
}
END_TEST

static int fired[8];
static int nfired;

static void
timer_cb(ps_sim_t *s, uint64_t t, void *arg)
{
	(void)s;
	(void)t;
	fired[nfired++] = (int)(intptr_t)arg;
}

START_TEST(timers_fire_in_time_then_sequence_order)
{
	uint64_t id;

	nfired = 0;
	ck_assert_int_eq(ps_sim_at(sim, 500, timer_cb, (void *)(intptr_t)1, NULL), 0);
	ck_assert_int_eq(ps_sim_at(sim, 100, timer_cb, (void *)(intptr_t)2, NULL), 0);
	ck_assert_int_eq(ps_sim_at(sim, 500, timer_cb, (void *)(intptr_t)3, NULL), 0);
	ck_assert_int_eq(ps_sim_at(sim, 300, timer_cb, (void *)(intptr_t)4, &id), 0);
	ck_assert_int_eq(ps_sim_cancel(sim, id), 0);
	ck_assert_int_eq(ps_sim_cancel(sim, id), PS_ESRCH);
	ck_assert_uint_eq(ps_sim_next_time(sim), 100);
	ck_assert_int_eq(ps_sim_run_until(sim, 400, 0, NULL), 0);
	ck_assert_int_eq(nfired, 1);
	ck_assert_uint_eq(ps_sim_now(sim), 400);
	/* A program spinning through run_until: the clock lands exactly on t. */
	int32_t sh, pid;
	add("spin", "start:\n  b start\n");
	pid = spawn_under_shell("spin", &sh);
	ck_assert_int_eq(ps_sim_run_until(sim, 450, 0, NULL), 0);
	ck_assert_uint_eq(ps_sim_now(sim), 450);
	ck_assert_int_eq(ps_kill(sim, sh, pid, PS_SIGKILL), 0);
	run_all();
	ck_assert_int_eq(nfired, 3);
	ck_assert_int_eq(fired[0], 2);
	ck_assert_int_eq(fired[1], 1);
	ck_assert_int_eq(fired[2], 3);
	ck_assert_int_eq(reap(sh, pid) & 0x7f, PS_SIGKILL);
	/* Until idle: the clock stays at the last thing done. */
	uint64_t before = ps_sim_now(sim);
	ck_assert_int_eq(ps_sim_run_until(sim, PS_TIME_NEVER, 0, NULL), 0);
	ck_assert_uint_eq(ps_sim_now(sim), before);
	ck_assert_int_eq(ps_sim_at(sim, 10, timer_cb, NULL, NULL), PS_EINVAL); /* In the past. */
	ck_assert_int_eq(ps_sim_at(sim, 1000000, NULL, NULL, NULL), PS_EINVAL);
}
END_TEST

/* --- threads --- */

START_TEST(threads_share_memory_and_exit_takes_them_all)
{
	int32_t sh, pid;
	size_t n;
	int32_t tids[4];

	/*
	 * The main thread starts a thread that stores 5 in x and spins; main
	 * waits until x is 5, then exits with x: the spinning thread goes too.
	 */
	add("p", "start:\n"
	         "  sys thr_new worker, stk_top, 5\n"
	         "wait:\n  ld r1, [x]\n  beqz r1, wait\n"
	         "  sys exit r1\n"
	         "worker:\n  st r0, [x]\nspin:\n  work 100\n  b spin\n"
	         ".data\nx: .quad 0\nstk: .space 256\nstk_top: .quad 0\n");
	pid = spawn_under_shell("p", &sh);
	ck_assert_int_eq(ps_sim_run_until(sim, 1000, 0, NULL), 0);
	ck_assert_int_eq(ps_proc_threads(sim, pid, tids, 4, &n), 0);
	ck_assert_uint_eq(n, 2);
	run_all();
	ck_assert_int_eq(reap(sh, pid), 5 << 8);
	ck_assert(find_ev(0, PS_EV_THREAD_EXIT, pid, NULL) >= 0);
}
END_TEST

START_TEST(last_thr_exit_is_exit)
{
	int32_t sh, pid;

	add("p", "start:\n  sys thr_new w, top, 0\n  sys thr_exit\n"
	         "w:\n  work 10\n  sys thr_exit\n.data\nstk: .space 128\ntop: .quad 0\n");
	pid = spawn_under_shell("p", &sh);
	run_all();
	ck_assert_int_eq(reap(sh, pid), 0);
}
END_TEST

START_TEST(two_cpus_run_in_parallel)
{
	int32_t sh, a, b;
	long ea, eb;

	setup_cfg(2, PS_POLICY_RR, 1000000);
	add("p", "start:\n  work 100000\n  sys exit 0\n");
	sh = t_session(sim);
	ck_assert_int_eq(ps_spawn(sim, sh, "p", NULL, NULL, &a), 0);
	ck_assert_int_eq(ps_spawn(sim, sh, "p", NULL, NULL, &b), 0);
	run_all();
	ea = find_ev(0, PS_EV_EXIT, a, NULL);
	eb = find_ev(0, PS_EV_EXIT, b, NULL);
	ck_assert(ea >= 0 && eb >= 0);
	/* Both finish at about 100 us, not one after the other. */
	ck_assert_uint_lt(rl->ev[ea].time, 110000);
	ck_assert_uint_lt(rl->ev[eb].time, 110000);
	ck_assert_int_ne(rl->ev[ea].cpu, rl->ev[eb].cpu);
	struct ps_sched_stats st;
	ck_assert_int_eq(ps_sched_stats(sim, &st), 0);
	ck_assert_uint_ge(st.busy_ns[0], 100000);
	ck_assert_uint_ge(st.busy_ns[1], 100000);
}
END_TEST

/* --- policies --- */

/*
 * Three processes run prog on one CPU under configuration c; order gets the
 * processes ('a', 'b', 'c' in spawn order) in the order the CPU took them.
 */
static void
order_run(struct ps_config *c, const char *prog, int32_t pids[3], char *order, size_t len)
{
	int32_t sh;
	size_t o = 0;

	c->cpus = 1;
	ps_sim_free(sim);
	ck_assert_int_eq(ps_sim_new(c, &sim), 0);
	t_sim = sim;
	rl->n = 0;
	ck_assert_int_eq(ps_sim_set_event_cb(sim, rlog_cb, NULL), 0);
	add("p", prog);
	sh = t_session(sim);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(ps_spawn(sim, sh, "p", NULL, NULL, &pids[i]), 0);
	run_all();
	for (size_t i = 0; i < rl->n && o + 1 < len; i++)
		if (rl->ev[i].type == PS_EV_SWITCH)
			for (int j = 0; j < 3; j++)
				if (rl->ev[i].pid == pids[j])
					order[o++] = (char)('a' + j);
	order[o] = '\0';
}

/* Three processes each work 3 quanta (of 10 us). */
static void
policy_run(int policy, uint64_t seed, int32_t pids[3], char *order, size_t len)
{
	struct ps_config c = t_config();

	c.policy = (uint8_t)policy;
	c.quantum_ns = 10000;
	c.seed = seed;
	order_run(&c, "start:\n  work 30000\n  sys exit 0\n", pids, order, len);
}

/* PCT counts instructions: each process runs a loop of about 6000. */
static void
pct_run(uint64_t seed, int depth, uint64_t steps, int32_t pids[3], char *order, size_t len)
{
	struct ps_config c = t_config();

	c.policy = PS_POLICY_PCT;
	c.pct_depth = (uint8_t)depth;
	c.pct_steps = steps;
	c.seed = seed;
	order_run(&c, "start:\n  li r1, 3000\nloop:\n  sub r1, r1, 1\n  bnez r1, loop\n"
	              "  sys exit 0\n", pids, order, len);
}

START_TEST(policy_fifo_runs_each_to_completion)
{
	int32_t pids[3];
	char order[64];

	policy_run(PS_POLICY_FIFO, 1, pids, order, sizeof(order));
	ck_assert_str_eq(order, "abc");
}
END_TEST

START_TEST(policy_rr_rotates_every_quantum)
{
	int32_t pids[3];
	char order[64];

	policy_run(PS_POLICY_RR, 1, pids, order, sizeof(order));
	/* 30000 cycles of work plus the exit call: three quanta and a bit. */
	ck_assert_str_eq(order, "abcabcabcabc");
}
END_TEST

START_TEST(policy_random_is_seeded)
{
	int32_t pids[3];
	char o1[64], o2[64], o3[64];
	bool differs = false;

	policy_run(PS_POLICY_RANDOM, 7, pids, o1, sizeof(o1));
	policy_run(PS_POLICY_RANDOM, 7, pids, o2, sizeof(o2));
	ck_assert_str_eq(o1, o2);
	for (uint64_t seed = 8; seed < 20 && !differs; seed++) {
		policy_run(PS_POLICY_RANDOM, seed, pids, o3, sizeof(o3));
		differs = strcmp(o1, o3) != 0;
	}
	ck_assert(differs);
}
END_TEST

START_TEST(policy_pct_runs_by_priority)
{
	int32_t pids[3];
	char o1[64], o2[64];
	bool permuted = false;

	/*
	 * Depth 1: no change point.  The highest priority runs to its end,
	 * then the next: every process is taken once, and which order that is
	 * depends on the seed's priorities.
	 */
	pct_run(3, 1, 100000, pids, o1, sizeof(o1));
	ck_assert_uint_eq(strlen(o1), 3);
	ck_assert(o1[0] != o1[1] && o1[1] != o1[2] && o1[0] != o1[2]);
	pct_run(3, 1, 100000, pids, o2, sizeof(o2));
	ck_assert_str_eq(o1, o2);
	for (uint64_t seed = 4; seed < 30 && !permuted; seed++) {
		pct_run(seed, 1, 100000, pids, o2, sizeof(o2));
		ck_assert_uint_eq(strlen(o2), 3);
		permuted = strcmp(o1, o2) != 0;
	}
	ck_assert(permuted);

	/*
	 * Depth 2, the change point within the first 9000 instructions (the
	 * first process's run or the second's): the process running there
	 * drops below the others, is preempted, and runs again last.
	 */
	for (uint64_t seed = 1; seed < 6; seed++) {
		pct_run(seed, 2, 9000, pids, o1, sizeof(o1));
		ck_assert_msg(strlen(o1) == 4, "seed %llu: order %s", (unsigned long long)seed, o1);
		ck_assert(o1[0] != o1[1] && o1[1] != o1[2] && o1[0] != o1[2]);
		ck_assert(o1[3] == o1[0] || o1[3] == o1[1]);
	}
}
END_TEST

/* --- job control from programs: the orphaned stopped job --- */

START_TEST(orphaned_stopped_job_gets_hup_and_cont)
{
	int32_t tty, sh, job = 0;

	ck_assert_int_eq(ps_tty_new(sim, "tty0", &tty), 0);
	/*
	 * The shell takes tty0, forks a job in its own group which stops
	 * itself; the shell waits for the stop, then exits: the job's group is
	 * orphaned with a stopped member, so it gets SIGHUP then SIGCONT, and
	 * SIGHUP kills it.
	 */
	add("sh", "start:\n"
	          "  sys setsid\n"
	          "  sys tiocsctty tty0\n"
	          "  sys fork\n"
	          "  bnez r0, parent\n"
	          "  tag job\n"
	          "  sys setpgid 0, 0\n"
	          "  sys kill 0, SIGTSTP\n"
	          "  sys exit 0\n"
	          "parent:\n"
	          "  sys wait4 -1, 0, 2, 0\n"     /* WUNTRACED */
	          "  sys exit 0\n");
	ck_assert_int_eq(ps_spawn(sim, 1, "sh", NULL, NULL, &sh), 0);
	run_all();
	for (size_t i = 0; i < rl->n; i++)
		if (rl->ev[i].type == PS_EV_TAG)
			job = rl->ev[i].pid;
	ck_assert_int_gt(job, 0);
	long stop = find_ev(0, PS_EV_STOP, job, NULL);
	long orphan = find_ev(0, PS_EV_ORPHANED, 0, NULL);
	ck_assert(stop >= 0 && orphan > stop);
	long hup = -1, cont = -1;
	for (size_t i = (size_t)orphan; i < rl->n; i++) {
		if (rl->ev[i].type == PS_EV_SIGNAL_SEND && rl->ev[i].pid == job &&
		    rl->ev[i].sig == PS_SIGHUP && hup < 0)
			hup = (long)i;
		if (rl->ev[i].type == PS_EV_SIGNAL_SEND && rl->ev[i].pid == job &&
		    rl->ev[i].sig == PS_SIGCONT && cont < 0)
			cont = (long)i;
	}
	ck_assert(hup > 0 && cont > hup);
	/* Both gone: init reaped them. */
	ck_assert_int_eq(t_state(sim, job), -1);
	ck_assert_int_eq(t_state(sim, sh), -1);
	ck_assert_str_eq(t_pinfo(1).comm, "init");
}
END_TEST


START_TEST(background_read_stops_then_foreground_read_gets_input)
{
	int32_t tty, sh, st;
	long e;

	ck_assert_int_eq(ps_tty_new(sim, "tty0", &tty), 0);
	/*
	 * The shell takes tty0 and forks a job in its own group that reads
	 * the terminal: a background read, so SIGTTIN stops the job.  The
	 * shell sees the stop (wait4 WUNTRACED), gives the job the terminal,
	 * continues it and waits; the job reads the typed byte and exits with
	 * it.  The shell exits with the job's status.
	 */
	add("sh", "start:\n"
	          "  sys setsid\n"
	          "  sys tiocsctty tty0\n"
	          "  sys fork\n"
	          "  bnez r0, parent\n"
	          "  sys setpgid 0, 0\n"
	          "  sys read tty0, buf, 8\n"
	          "  ldb r1, [buf]\n"
	          "  sys exit r1\n"
	          "parent:\n"
	          "  mov r6, r0\n"
	          "  sys setpgid r6, r6\n"
	          "  sys wait4 r6, st, 2, 0\n"
	          "  ld r1, [st]\n  and r1, r1, 0xffff\n"
	          "  li r2, 0x157f\n  cmp r1, r2\n  bne bad\n"     /* stopped by SIGTTIN (21) */
	          "  sys tcsetpgrp tty0, r6\n"
	          "  sys kill r6, SIGCONT\n"
	          "  sys wait4 r6, st, 0, 0\n"
	          "  ld r1, [st]\n  shr r1, r1, 8\n"
	          "  sys exit r1\n"
	          "bad:\n  sys exit 1\n"
	          ".data\nbuf: .quad 0\nst: .quad 0\n");
	ck_assert_int_eq(ps_spawn(sim, 1, "sh", NULL, NULL, &sh), 0);
	ck_assert_int_eq(ps_sim_run_until(sim, 1000000, 0, NULL), 0);
	e = find_ev(0, PS_EV_STOP, 0, NULL);
	ck_assert(e >= 0);
	ck_assert_int_eq(rl->ev[e].sig, PS_SIGTTIN);
	/* The job now reads in the foreground: it sleeps for input. */
	ck_assert_int_eq(ps_tty_input(sim, tty, "Z", 1), 1);
	run_all();
	e = find_ev(0, PS_EV_EXIT, sh, NULL);
	ck_assert(e >= 0);
	st = rl->ev[e].value;
	ck_assert_int_eq(st, 'Z' << 8);
}
END_TEST

START_TEST(tcsetpgrp_from_a_program_runs_the_background_check)
{
	int32_t tty, sh;
	long e;
	int stops = 0;

	ck_assert_int_eq(ps_tty_new(sim, "tty0", &tty), 0);
	/*
	 * A program's tcsetpgrp goes through the terminal's background check
	 * with SIGTTOU (tty.md §2), as ttydev_ioctl does.  The shell ignores
	 * SIGTTOU.  Job 1 ignores it too: its tcsetpgrp from the background
	 * goes ahead (exit 100 + 0).  The shell takes the terminal back.  Job 2
	 * keeps the default: SIGTTOU goes to its group and stops it and its
	 * child; the shell sees the stop, gives job 2 the terminal and
	 * continues the group, and job 2's call succeeds (exit 100).  The
	 * shell takes the terminal back.  Job 2's child, left alone in job 2's
	 * group (orphaned: its parent is now init), calls tcsetpgrp from the
	 * background: EIO (exit 100 - 5), no signal.
	 */
	add("sh", "start:\n"
	          "  sys sigaction SIGTTOU, 1, 0, 0\n"
	          "  sys setsid\n"
	          "  sys tiocsctty tty0\n"
	          "  sys fork\n"
	          "  bnez r0, p1\n"
	          "  sys setpgid 0, 0\n"
	          "  sys getpid\n"
	          "  sys tcsetpgrp tty0, r0\n"
	          "  add r0, r0, 100\n  sys exit r0\n"
	          "p1:\n"
	          "  mov r6, r0\n"
	          "  sys wait4 r6, st, 0, 0\n"
	          "  sys getpgrp\n"
	          "  sys tcsetpgrp tty0, r0\n"
	          "  sys fork\n"
	          "  bnez r0, p2\n"
	          "  sys sigaction SIGTTOU, 0, 0, 0\n"
	          "  sys setpgid 0, 0\n"
	          "  sys fork\n"
	          "  bnez r0, j2\n"
	          "  sys nanosleep 1000000\n"          /* job 2 has exited */
	          "  sys getpid\n"
	          "  sys tcsetpgrp tty0, r0\n"
	          "  add r0, r0, 100\n  sys exit r0\n"
	          "j2:\n"
	          "  sys getpid\n"
	          "  sys tcsetpgrp tty0, r0\n"
	          "  add r0, r0, 100\n  sys exit r0\n"
	          "p2:\n"
	          "  mov r6, r0\n"
	          "  sys wait4 r6, st, 2, 0\n"
	          "  sys tcsetpgrp tty0, r6\n"
	          "  li r1, 0\n  sub r1, r1, r6\n"
	          "  sys kill r1, SIGCONT\n"              /* the whole job */
	          "  sys wait4 r6, st, 0, 0\n"
	          "  sys getpgrp\n"
	          "  sys tcsetpgrp tty0, r0\n"
	          "  sys nanosleep 2000000\n"
	          "  sys exit 0\n"
	          ".data\nst: .quad 0\n");
	ck_assert_int_eq(ps_spawn(sim, 1, "sh", NULL, NULL, &sh), 0);
	run_all();
	int exits[3] = { 0 }, n = 0;
	for (size_t i = 0; i < rl->n && i < RLOG_MAX; i++) {
		if (rl->ev[i].type == PS_EV_EXIT && rl->ev[i].pid != sh && n < 3)
			exits[n++] = rl->ev[i].value;
		if (rl->ev[i].type == PS_EV_STOP) {
			ck_assert_int_eq(rl->ev[i].sig, PS_SIGTTOU);
			stops++;
		}
	}
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(exits[0], 100 << 8);        /* job 1: SIGTTOU ignored */
	ck_assert_int_eq(exits[1], 100 << 8);        /* job 2: stopped, then done */
	ck_assert_int_eq(exits[2], (100 + PS_EIO) << 8); /* orphaned: EIO */
	ck_assert_int_eq(stops, 2);
	e = find_ev(0, PS_EV_SIGNAL_SEND, 0, NULL);
	while (e >= 0 && rl->ev[e].sig != PS_SIGTTOU)
		e = find_ev((size_t)e + 1, PS_EV_SIGNAL_SEND, 0, NULL);
	ck_assert(e >= 0);
	ck_assert_int_eq(rl->ev[e].pid2, 0);          /* sent by the kernel */
}
END_TEST

START_TEST(wait6_from_a_program)
{
	int32_t sh, pid;

	/*
	 * wait6(P_PID, child, WEXITED|WNOWAIT) reports the exit and leaves the
	 * zombie; the siginfo says CLD_EXITED (1), the child and status 3; a
	 * wait6 without WEXITED, WUNTRACED, WCONTINUED or WTRAPPED is EINVAL;
	 * wait4 then reaps the same exit; a WNOHANG wait6 with nothing to
	 * report zeroes the siginfo.  The exit code sums the checks passed.
	 */
	add("p", "start:\n"
	         "  li r9, 0\n"
	         "  sys fork\n"
	         "  bnez r0, parent\n"
	         "  sys exit 3\n"
	         "parent:\n"
	         "  mov r6, r0\n"
	         "  sys wait6 0, r6, st, 8, 0, 0\n"            /* WNOWAIT alone */
	         "  li r1, -22\n  cmp r0, r1\n  bne bad\n"
	         "  sys wait6 0, r6, st, 24, 0, si\n"          /* WEXITED|WNOWAIT */
	         "  cmp r0, r6\n  bne bad\n"
	         "  ldw r1, [st]\n  li r2, 0x300\n  cmp r1, r2\n  bne bad\n"
	         "  ldw r1, [si+4]\n  li r2, 1\n  cmp r1, r2\n  bne bad\n"
	         "  ldw r1, [si+8]\n  cmp r1, r6\n  bne bad\n"
	         "  ldw r1, [si+16]\n  li r2, 3\n  cmp r1, r2\n  bne bad\n"
	         "  sys wait4 r6, st, 0, 0\n"
	         "  cmp r0, r6\n  bne bad\n"
	         "  sys fork\n"
	         "  bnez r0, p2\n"
	         "  sys pause\n"
	         "p2:\n"
	         "  mov r7, r0\n"
	         "  li r1, 1\n  stw r1, [si+4]\n"
	         "  sys wait6 7, 0, st, 17, 0, si\n"           /* P_ALL, WEXITED|WNOHANG */
	         "  bnez r0, bad\n"
	         "  ldw r1, [si+4]\n  bnez r1, bad\n"
	         "  sys kill r7, SIGKILL\n"
	         "  sys wait6 7, 0, st, 16, 0, si\n"
	         "  ldw r1, [st]\n  li r2, 9\n  cmp r1, r2\n  bne bad\n"
	         "  sys exit 42\n"
	         "bad:\n  sys exit 1\n"
	         ".data\n.align 8\nst: .quad 0\nsi: .quad 0, 0, 0\n");
	pid = spawn_under_shell("p", &sh);
	run_all();
	ck_assert_int_eq(reap(sh, pid), 42 << 8);
	ck_assert(find_ev(0, PS_EV_WAIT, pid, "exited (WNOWAIT)") >= 0);
}
END_TEST

/* --- memory system calls --- */

START_TEST(mmap_mprotect_munmap_from_a_program)
{
	int32_t sh, pid;

	/*
	 * mmap a page rw, store and load 6; mprotect it read-only; a store now
	 * faults: a SIGSEGV handler exits with the loaded value + 100.
	 */
	add("p", "start:\n"
	         "  sys sigaction SIGSEGV, h, 0, 0\n"
	         "  sys mmap 0, 4096, 3, 0\n"
	         "  mov r6, r0\n"
	         "  li r1, 6\n  st r1, [r6]\n  ld r7, [r6]\n"
	         "  sys mprotect r6, 4096, 1\n"
	         "  st r1, [r6]\n"
	         "  sys exit 1\n"
	         "h:\n  add r7, r7, 100\n  sys munmap r6, 4096\n  sys exit r7\n");
	pid = spawn_under_shell("p", &sh);
	run_all();
	ck_assert_int_eq(reap(sh, pid), 106 << 8);
}
END_TEST

START_TEST(config_and_api_errors)
{
	struct ps_config c;
	ps_sim_t *s2 = NULL;

	ps_config_init(&c);
	ck_assert_int_eq(c.cpus, 1);
	c.cpus = 0;
	ck_assert_int_eq(ps_sim_new(&c, &s2), PS_EINVAL);
	c.cpus = PS_CPUS_MAX + 1;
	ck_assert_int_eq(ps_sim_new(&c, &s2), PS_EINVAL);
	ps_config_init(&c);
	c.policy = 9;
	ck_assert_int_eq(ps_sim_new(&c, &s2), PS_EINVAL);
	ps_config_init(&c);
	c.mem_frames = 3;
	ck_assert_int_eq(ps_sim_new(&c, &s2), PS_EINVAL);
	ck_assert_int_eq(ps_policy_number("pct"), PS_POLICY_PCT);
	ck_assert_int_eq(ps_policy_number("nope"), PS_EINVAL);
	ck_assert_str_eq(ps_policy_name(PS_POLICY_FIFO), "fifo");
	ck_assert_int_eq(ps_syscall_number("fork"), 2);
	ck_assert_str_eq(ps_syscall_name(PS_SYSNO_wait4), "wait4");
	ck_assert_ptr_null(ps_syscall_name(9999));
	ck_assert_int_eq(ps_sim_step(NULL), PS_EINVAL);
	ck_assert_int_eq(ps_program_add(sim, "bad name", "nop", NULL), PS_EINVAL);
	ck_assert_int_eq(ps_program_add(sim, "", "nop", NULL), PS_EINVAL);
	add("ok", "start:\n  sys exit 0\n");
	ck_assert_int_eq(ps_program_add(sim, "ok", "start:\n  nop\n", NULL), PS_EEXIST);
	struct ps_asm_error err;
	ck_assert_int_eq(ps_program_add(sim, "broken", "start:\n  frob r1\n", &err), PS_EINVAL);
	ck_assert_int_eq(err.line, 2);
	ck_assert_int_gt(err.column, 0);
	ck_assert_int_ne(err.message[0], '\0');
	ck_assert_int_eq(ps_execve(sim, 1, "ok", NULL, NULL), PS_EPERM);
	ck_assert_int_eq(ps_mem_read(sim, 1, 0x400000, &c, 1, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_thread_info(sim, 999999, &(struct ps_thread_info){ 0 }), PS_ESRCH);
	/* The event JSON form. */
	struct ps_event ev = { .seq = 3, .type = PS_EV_TAG, .pid = 5, .detail = "a\"b",
	                       .time = 42, .cpu = -1 };
	char buf[256];
	ck_assert_int_gt(ps_event_json(&ev, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "{\"seq\":3,\"t\":42,\"type\":\"tag\",\"pid\":5,\"pid2\":0,"
	                      "\"pgid\":0,\"sid\":0,\"tid\":0,\"cpu\":-1,\"sig\":null,\"value\":0,"
	                      "\"detail\":\"a\\\"b\"}");
	ck_assert_int_eq(ps_event_json(NULL, buf, sizeof(buf)), PS_EINVAL);
}
END_TEST

static Suite *
run_suite(void)
{
	Suite *s = suite_create("run");
	TCase *tc;

	tc = tcase_create("syscalls");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, exit_status_reaches_the_parent);
	tcase_add_test(tc, getpid_getppid_and_ids);
	tcase_add_test(tc, fork_is_copy_on_write);
	tcase_add_test(tc, cow_frames_shared_until_written);
	tcase_add_test(tc, execve_named_program_with_argv);
	tcase_add_test(tc, execve_errors_leave_the_image);
	tcase_add_test(tc, spawn_argv_in_ps_strings);
	tcase_add_test(tc, mmap_mprotect_munmap_from_a_program);
	tcase_add_test(tc, config_and_api_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("signals");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, handler_runs_on_the_stack_and_returns);
	tcase_add_test(tc, pause_interrupted_by_a_caught_signal);
	tcase_add_test(tc, wait4_sleeps_until_the_child_exits);
	tcase_add_test(tc, sigsegv_sigbus_sigill_sigfpe_sigtrap);
	tcase_add_test(tc, fault_caught_by_a_handler);
	tcase_add_test(tc, fault_reset_of_a_shared_action_is_the_faulting_process_own);
	tcase_add_test(tc, stop_and_continue_a_running_program);
	tcase_add_test(tc, orphaned_stopped_job_gets_hup_and_cont);
	tcase_add_test(tc, background_read_stops_then_foreground_read_gets_input);
	tcase_add_test(tc, tcsetpgrp_from_a_program_runs_the_background_check);
	tcase_add_test(tc, wait6_from_a_program);
	tcase_add_test(tc, wait4_restarts_after_an_sa_restart_handler);
	tcase_add_test(tc, wait4_interrupted_without_sa_restart);
	tcase_add_test(tc, interrupted_work_resumes_after_the_handler);
	tcase_add_test(tc, wait4_efault_after_the_reap);
	suite_add_tcase(s, tc);

	tc = tcase_create("time_threads_sched");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, nanosleep_wakes_at_its_time);
	tcase_add_test(tc, timers_fire_in_time_then_sequence_order);
	tcase_add_test(tc, threads_share_memory_and_exit_takes_them_all);
	tcase_add_test(tc, last_thr_exit_is_exit);
	tcase_add_test(tc, threads_racing_into_exit_one_status_wins);
	tcase_add_test(tc, two_cpus_run_in_parallel);
	tcase_add_test(tc, policy_fifo_runs_each_to_completion);
	tcase_add_test(tc, policy_rr_rotates_every_quantum);
	tcase_add_test(tc, policy_random_is_seeded);
	tcase_add_test(tc, policy_pct_runs_by_priority);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(run_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
