/*
 * step_loop: the simulator in a loop of the program's own, without libuv.
 *
 * The core advances only when its caller says so (ps_sim_step,
 * ps_sim_run_until), so any main loop can drive it: a game loop, a test
 * harness, a research tool's own scheduler.  This one advances virtual time
 * by slices of 1 ms; between two slices it acts on the simulation from
 * outside, as an operator would.
 *
 * The simulated program forks a worker that computes forever (work in a
 * loop) and waits for it; when it has waited, it exits with the number of
 * the signal that killed the worker.  The host loop lets the worker run for
 * 5 ms of virtual time, then sends it SIGTERM between two slices.  The
 * parent's wait returns, the parent exits (status 15 << 8 = 0xf00) and
 * init reaps it; nothing is left to happen (ps_sim_next_time() says
 * PS_TIME_NEVER), and the loop ends.
 *
 * Every event is printed as ps_event_format() words it, then one line per
 * slice with the steps it took.  Slices where nothing is due are skipped
 * by jumping to the slice of ps_sim_next_time(), so an idle stretch costs
 * one iteration, not one per millisecond.
 *
 * Exit status 0 when the story went as told, 1 otherwise.
 *
 * Build: CMake builds it as example_step_loop; by hand, against a build in
 * build/:
 *   cc -std=c11 -Iinclude examples/step_loop.c -Lbuild -lprocsim -Wl,-rpath,build
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <procsim/procsim.h>

#define SLICE_NS 1000000u      /* 1 ms of virtual time per iteration */
#define KILL_AT_NS 5000000u    /* when the host sends SIGTERM */

static const char program[] =
    "start:\n"
    "  sys fork\n"
    "  bnez r0, parent\n"
    "spin:\n"                     /* the worker: 100 us of work, forever */
    "  work 100000\n"
    "  b spin\n"
    "parent:\n"
    "  mov r6, r0\n"
    "  sys wait4 r6, st, 0, 0\n"
    "  ld r1, [st]\n"
    "  and r1, r1, 127\n"         /* WTERMSIG */
    "  sys exit r1\n"
    ".data\n"
    "st: .quad 0\n";

struct host {
	int32_t parent;       /* the spawned program */
	int32_t worker;       /* its child, from the fork event */
	int parent_status;    /* from its exit event, -1 until then */
};

/*
 * The event callback runs inside the kernel path, during a step: it must
 * not call back into the simulator.  It prints, and notes what the loop
 * needs (the worker's pid).  The event is borrowed: copy what you keep.
 */
static void
on_event(const struct ps_event *ev, void *arg)
{
	struct host *h = arg;
	char line[256];

	if (ps_event_format(ev, line, sizeof(line)) >= 0)
		printf("  %9.3f ms  %s\n", (double)ev->time / 1e6, line);
	if (ev->type == PS_EV_FORK && ev->pid == h->parent && h->parent != 0)
		h->worker = ev->pid2;
	if (ev->type == PS_EV_EXIT && ev->pid == h->parent)
		h->parent_status = ev->value;
}

int
main(void)
{
	struct ps_config cfg;
	struct ps_asm_error aerr;
	struct host h = { 0, 0, -1 };
	ps_sim_t *sim;
	uint64_t next, t, steps, total = 0;
	int killed = 0, rc;

	ps_config_init(&cfg);
	if (ps_sim_new(&cfg, &sim) != 0)
		return 1;
	if (ps_program_add(sim, "prog", program, &aerr) != 0) {
		fprintf(stderr, "assembly: line %d column %d: %s\n", aerr.line, aerr.column,
		        aerr.message);
		return 1;
	}
	ps_sim_set_event_cb(sim, on_event, &h);
	if ((rc = ps_spawn(sim, 1, "prog", NULL, NULL, &h.parent)) != 0) {
		fprintf(stderr, "spawn: %s\n", ps_strerror(rc));
		return 1;
	}

	/* The program's own main loop. */
	for (;;) {
		/* External input, between two slices: the operator's kill. */
		if (!killed && h.worker != 0 && ps_sim_now(sim) >= KILL_AT_NS) {
			printf("host: SIGTERM to the worker %d at %.3f ms\n", (int)h.worker,
			       (double)ps_sim_now(sim) / 1e6);
			if ((rc = ps_kill(sim, 1, h.worker, PS_SIGTERM)) != 0) {
				fprintf(stderr, "kill: %s\n", ps_strerror(rc));
				return 1;
			}
			killed = 1;
		}
		next = ps_sim_next_time(sim);
		if (next == PS_TIME_NEVER)
			break;          /* Nothing can happen any more. */
		/* The end of the slice that holds the next thing due. */
		t = (next / SLICE_NS + 1) * SLICE_NS;
		/*
		 * ps_sim_run_until stops every CPU at t and leaves the clock
		 * there; max_steps 0 takes as many steps as the slice needs.
		 */
		if ((rc = ps_sim_run_until(sim, t, 0, &steps)) < 0) {
			fprintf(stderr, "run: %s\n", ps_strerror(rc));
			return 1;
		}
		total += steps;
		printf("slice to %.0f ms: %" PRIu64 " steps\n", (double)t / 1e6, steps);
	}

	struct ps_sched_stats st;
	struct ps_check_report rep;
	ps_sched_stats(sim, &st);
	int ok = killed && h.parent_status == PS_SIGTERM << 8 && ps_sim_check(sim, &rep) == 0;
	printf("idle at %.3f ms: %" PRIu64 " steps, %" PRIu64 " instructions, %" PRIu64
	       " system calls; program exit status %#x: %s\n",
	       (double)ps_sim_now(sim) / 1e6, total, st.instructions, st.syscalls,
	       (unsigned)h.parent_status, ok ? "ok" : "FAILED");
	ps_sim_free(sim);
	return ok ? 0 : 1;
}
