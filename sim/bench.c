/*
 * procsim bench: performance figures of the simulator (DESIGN.md §9).
 *
 * Each benchmark prints a figure and the facts behind it, never a verdict:
 *
 *   insns   simulated instructions per second, one CPU, a tight loop.
 *   switch  scheduler context switches per second: processes on two CPUs
 *           with a 1 us quantum.
 *   fork    fork+exit+wait cycles per second of a simulated program, and
 *           the same loop on the host kernel in the same run, as a ratio.
 *   orphan  cost of an exit whose children's groups become orphaned, as
 *           the process table grows (it should stay flat: exit's work is
 *           O(children), not O(processes)).
 *
 * Real time is measured with clock_gettime(CLOCK_MONOTONIC) around the
 * calls that do the work; setting up (assembling, spawning, building the
 * tree) is outside the measured spans.  Figures depend on the machine and
 * the build type: compare runs of one build on one machine.
 */
/* fork, waitpid, _exit and clock_gettime are POSIX, hidden by strict C11. */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* A fact about a run: printed as key=value, or as a JSON member. */
struct fact {
	const char *key;
	double value;
	bool integer;
};

#define FACTS_MAX 12

struct result {
	const char *name;
	double figure;
	const char *unit;
	struct fact facts[FACTS_MAX];
	int nfacts;
	const char *error;     /* Set when the bench could not run. */
};

static void
fact(struct result *r, const char *key, double value, bool integer)
{
	if (r->nfacts < FACTS_MAX)
		r->facts[r->nfacts++] = (struct fact){ key, value, integer };
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Step until nothing can happen.  Not ps_sim_run_until(PS_TIME_NEVER),
 * which would leave the clock at PS_TIME_NEVER: the virtual time a run
 * took is one of the facts reported.
 */
static int
run_all(ps_sim_t *sim, uint64_t *steps)
{
	int r;

	*steps = 0;
	while ((r = ps_sim_step(sim)) > 0)
		(*steps)++;
	return r;
}

static int
new_sim(int cpus, uint64_t quantum, int32_t maxproc, int32_t pid_max, ps_sim_t **sim)
{
	struct ps_config c;

	ps_config_init(&c);
	c.cpus = cpus;
	if (quantum != 0)
		c.quantum_ns = quantum;
	if (maxproc != 0)
		c.maxproc = maxproc;
	if (pid_max != 0)
		c.pid_max = pid_max;
	return ps_sim_new(&c, sim);
}

static int
add_program(ps_sim_t *sim, const char *name, const char *text, struct result *r)
{
	struct ps_asm_error err;
	static char msg[256];

	if (ps_program_add(sim, name, text, &err) != 0) {
		snprintf(msg, sizeof(msg), "program %s: line %d: %s", name, (int)err.line,
		         err.message);
		r->error = msg;
		return -1;
	}
	return 0;
}

/* --- insns --- */

static void
bench_insns(bool quick, struct result *r)
{
	/* 3 instructions per iteration; the count fits the 32-bit immediate. */
	uint64_t iters = quick ? 2000000 : 60000000;
	char text[256];
	struct ps_sched_stats st;
	ps_sim_t *sim;
	int32_t pid;
	uint64_t steps;
	double t0, dt;

	r->name = "insns";
	r->unit = "insns/s";
	if (new_sim(1, 0, 0, 0, &sim) != 0) {
		r->error = "ps_sim_new failed";
		return;
	}
	snprintf(text, sizeof(text),
	         "start:\n  li r1, 0\nloop:\n  add r1, r1, 1\n  cmp r1, %" PRIu64 "\n"
	         "  blt loop\n  sys exit 0\n", iters);
	if (add_program(sim, "loop", text, r) != 0 ||
	    ps_spawn(sim, 1, "loop", NULL, NULL, &pid) != 0) {
		if (r->error == NULL)
			r->error = "ps_spawn failed";
		ps_sim_free(sim);
		return;
	}
	t0 = now_s();
	run_all(sim, &steps);
	dt = now_s() - t0;
	ps_sched_stats(sim, &st);
	r->figure = (double)st.instructions / dt;
	fact(r, "instructions", (double)st.instructions, true);
	fact(r, "steps", (double)steps, true);
	fact(r, "virtual_ms", (double)st.now / 1e6, false);
	fact(r, "seconds", dt, false);
	ps_sim_free(sim);
}

/* --- switch --- */

/*
 * Processes spawned from init running text until they exit; *switches and
 * *steps get the scheduler's counts, the return value the real seconds
 * (-1 on failure).
 */
static double
switch_run(int cpus, uint64_t quantum, int nproc, const char *text, struct result *r,
           struct ps_sched_stats *st, uint64_t *steps)
{
	ps_sim_t *sim;
	int32_t pid;
	double t0, dt;

	if (new_sim(cpus, quantum, 0, 0, &sim) != 0) {
		r->error = "ps_sim_new failed";
		return -1;
	}
	if (add_program(sim, "p", text, r) != 0) {
		ps_sim_free(sim);
		return -1;
	}
	for (int i = 0; i < nproc; i++)
		if (ps_spawn(sim, 1, "p", NULL, NULL, &pid) != 0) {
			r->error = "ps_spawn failed";
			ps_sim_free(sim);
			return -1;
		}
	t0 = now_s();
	run_all(sim, steps);
	dt = now_s() - t0;
	ps_sched_stats(sim, st);
	ps_sim_free(sim);
	return dt;
}

static void
bench_switch(bool quick, struct result *r)
{
	const int nproc = 8;
	uint64_t yields = quick ? 20000 : 1600000, chunks = quick ? 20000 : 200000;
	char text[256];
	struct ps_sched_stats st;
	uint64_t steps;
	double dt;

	r->name = "switch";
	r->unit = "switches/s";
	/*
	 * The figure: eight processes on one CPU that do nothing but
	 * sched_yield, so every step is a system call and a switch.
	 */
	snprintf(text, sizeof(text),
	         "start:\n  li r1, %" PRIu64 "\nloop:\n  sys sched_yield\n  sub r1, r1, 1\n"
	         "  bnez r1, loop\n  sys exit 0\n", yields / (uint64_t)nproc);
	if ((dt = switch_run(1, 0, nproc, text, r, &st, &steps)) < 0)
		return;
	r->figure = (double)st.switches / dt;
	fact(r, "switches", (double)st.switches, true);
	fact(r, "steps", (double)steps, true);
	fact(r, "seconds", dt, false);
	/*
	 * Beside it, preemption on two CPUs: 100-cycle work chunks with a
	 * 1 us quantum.  Two busy CPUs interleave at instruction granularity
	 * (each step runs one CPU just past the other's clock), so this
	 * measures stepping as much as switching.
	 */
	snprintf(text, sizeof(text),
	         "start:\n  li r1, %" PRIu64 "\nloop:\n  work 100\n  sub r1, r1, 1\n"
	         "  bnez r1, loop\n  sys exit 0\n", chunks / (uint64_t)nproc);
	if ((dt = switch_run(2, 1000, nproc, text, r, &st, &steps)) < 0)
		return;
	fact(r, "preempt_2cpu_switches_per_s", (double)st.switches / dt, false);
	fact(r, "preempt_2cpu_steps_per_s", (double)steps / dt, false);
	fact(r, "preempt_2cpu_cycles_per_step", (double)st.cycles / (double)steps, false);
}

/* --- fork --- */

/* The same loop on the host: fork, the child _exits, the parent waits. */
static double
host_fork_loop(uint64_t n)
{
	double t0 = now_s();

	for (uint64_t i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0)
			_exit(0);
		if (p < 0 || waitpid(p, NULL, 0) != p)
			return -1;
	}
	return now_s() - t0;
}

static void
bench_fork(bool quick, struct result *r)
{
	uint64_t n = quick ? 2000 : 90000, hn = quick ? 200 : 4000;
	char text[512];
	struct ps_sched_stats st;
	ps_sim_t *sim;
	int32_t pid;
	uint64_t steps;
	double t0, dt, ht;

	r->name = "fork";
	r->unit = "forks/s";
	if (new_sim(1, 0, 0, 0, &sim) != 0) {
		r->error = "ps_sim_new failed";
		return;
	}
	snprintf(text, sizeof(text),
	         "start:\n  li r6, %" PRIu64 "\n"
	         "again:\n  sys fork\n  bnez r0, parent\n  sys exit 0\n"
	         "parent:\n  sys wait4 -1, 0, 0, 0\n  sub r6, r6, 1\n  bnez r6, again\n"
	         "  sys exit 0\n", n);
	if (add_program(sim, "forker", text, r) != 0 ||
	    ps_spawn(sim, 1, "forker", NULL, NULL, &pid) != 0) {
		if (r->error == NULL)
			r->error = "ps_spawn failed";
		ps_sim_free(sim);
		return;
	}
	t0 = now_s();
	run_all(sim, &steps);
	dt = now_s() - t0;
	ps_sched_stats(sim, &st);
	ps_sim_free(sim);
	/*
	 * Flush stdio first: a forked child that returned through exit()
	 * would flush the parent's buffered output twice.  Children here
	 * leave by _exit(), but an error path must not duplicate output.
	 */
	fflush(NULL);
	ht = host_fork_loop(hn);
	r->figure = (double)n / dt;
	fact(r, "cycles", (double)n, true);
	fact(r, "seconds", dt, false);
	fact(r, "steps", (double)steps, true);
	fact(r, "syscalls", (double)st.syscalls, true);
	fact(r, "virtual_us_per_cycle", (double)st.now / 1e3 / (double)n, false);
	if (ht > 0) {
		fact(r, "host_forks_per_s", (double)hn / ht, false);
		fact(r, "host_cycles", (double)hn, true);
		fact(r, "ratio_sim_to_host", ((double)n / dt) / ((double)hn / ht), false);
	}
}

/* --- orphan --- */

/*
 * One exit with orphan checks: a process P in its own group of a session
 * has `kids` children, each in a group of its own in the same session, so
 * P qualifies every one of those groups (pg_jobc 1).  P's exit hands the
 * children to init, in another session: each group's pg_jobc falls to 0
 * and it is orphaned (no stopped member, so no signal).  Only the exit is
 * timed; the children are then killed (init reaps them) and the shell
 * reaps P.  Returns seconds, or -1.
 */
static double
orphan_cycle(ps_sim_t *sim, int32_t sh, int kids)
{
	int32_t p, c[16];
	int status;
	double t0, dt;

	if (ps_fork(sim, sh, &p) != 0 || ps_setpgid(sim, p, p, p) != 0)
		return -1;
	for (int i = 0; i < kids; i++)
		if (ps_fork(sim, p, &c[i]) != 0 || ps_setpgid(sim, c[i], c[i], c[i]) != 0)
			return -1;
	t0 = now_s();
	if (ps_exit(sim, p, 0) != 0)
		return -1;
	dt = now_s() - t0;
	for (int i = 0; i < kids; i++)
		if (ps_exit(sim, c[i], 0) != 0)
			return -1;
	if (ps_wait(sim, sh, p, 0, &status) != p)
		return -1;
	return dt;
}

static void
bench_orphan(bool quick, struct result *r)
{
	static const int32_t sizes_full[] = { 1000, 10000, 100000 };
	static const int32_t sizes_quick[] = { 100, 1000 };
	static const char *const keys[] = { "ns_at_1e2", "ns_at_1e3", "ns_at_1e4", "ns_at_1e5" };
	const int32_t *sizes = quick ? sizes_quick : sizes_full;
	int nsizes = quick ? 2 : 3, cycles = quick ? 200 : 2000, kids = 4;
	double first = 0, last = 0;

	r->name = "orphan";
	r->unit = "ns/exit";
	for (int s = 0; s < nsizes; s++) {
		ps_sim_t *sim;
		int32_t sh, holder, pid, size = sizes[s];
		double total = 0, t;

		if (new_sim(1, 0, size + 1000, 4 * size + 10000, &sim) != 0) {
			r->error = "ps_sim_new failed";
			return;
		}
		/*
		 * The crowd: `size` processes in other sessions, children of
		 * one holder, so that the tables the exit could walk are big.
		 */
		if (ps_fork(sim, 1, &holder) != 0 || ps_setsid(sim, holder) < 0) {
			r->error = "building the tree failed";
			ps_sim_free(sim);
			return;
		}
		for (int32_t i = 0; i < size; i++)
			if (ps_fork(sim, holder, &pid) != 0) {
				r->error = "building the tree failed (maxproc?)";
				ps_sim_free(sim);
				return;
			}
		if (ps_fork(sim, 1, &sh) != 0 || ps_setsid(sim, sh) < 0) {
			r->error = "building the tree failed";
			ps_sim_free(sim);
			return;
		}
		for (int i = 0; i < cycles; i++) {
			if ((t = orphan_cycle(sim, sh, kids)) < 0) {
				r->error = "an exit cycle failed";
				ps_sim_free(sim);
				return;
			}
			total += t;
		}
		ps_sim_free(sim);
		t = total / cycles * 1e9;
		if (s == 0)
			first = t;
		last = t;
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			static const int32_t at[] = { 100, 1000, 10000, 100000 };

			if (at[k] == size)
				fact(r, keys[k], t, false);
		}
	}
	r->figure = last;
	fact(r, "children", kids, true);
	fact(r, "cycles_per_size", cycles, true);
	fact(r, "growth_largest_to_smallest", first > 0 ? last / first : 0, false);
}

/* --- driver --- */

struct bench {
	const char *name;
	void (*run)(bool quick, struct result *r);
	const char *what;
};

static const struct bench benches[] = {
	{ "insns", bench_insns, "simulated instructions per second, one CPU, tight loop" },
	{ "switch", bench_switch, "context switches per second, 8 processes yielding on one CPU" },
	{ "fork", bench_fork, "fork+exit+wait cycles per second, simulated and host" },
	{ "orphan", bench_orphan, "exit with orphaned children's groups as the table grows" },
};
#define NBENCH (sizeof(benches) / sizeof(benches[0]))

static void
print_number(double v, bool integer)
{
	if (integer)
		printf("%.0f", v);
	else if (v != 0 && (v >= 1e6 || v < 0.01))
		printf("%.4g", v);
	else
		printf("%.3f", v);
}

static void
print_text(const struct result *r)
{
	if (r->error != NULL) {
		printf("%-8s error: %s\n", r->name, r->error);
		return;
	}
	printf("%-8s %14.0f %-12s", r->name, r->figure, r->unit);
	for (int i = 0; i < r->nfacts; i++) {
		printf(" %s=", r->facts[i].key);
		print_number(r->facts[i].value, r->facts[i].integer);
	}
	printf("\n");
}

static void
print_json(const struct result *r)
{
	/* Names, units and keys are fixed identifiers: nothing to escape. */
	printf("{\"bench\":\"%s\"", r->name);
	if (r->error != NULL) {
		printf(",\"error\":\"%s\"}\n", r->error);
		return;
	}
	printf(",\"value\":%.6g,\"unit\":\"%s\"", r->figure, r->unit);
	for (int i = 0; i < r->nfacts; i++) {
		printf(",\"%s\":", r->facts[i].key);
		if (r->facts[i].integer)
			printf("%.0f", r->facts[i].value);
		else
			printf("%.6g", r->facts[i].value);
	}
	printf("}\n");
}

static void
bench_usage(FILE *fp)
{
	fprintf(fp, "usage: procsim bench [NAME...] [--json] [--quick]\n\nbenchmarks:\n");
	for (size_t i = 0; i < NBENCH; i++)
		fprintf(fp, "  %-8s %s\n", benches[i].name, benches[i].what);
}

int
cmd_bench(int argc, char **argv)
{
	bool json = false, quick = false, chosen[NBENCH] = { false }, any = false;
	int failed = 0;

	for (int i = 1; i < argc; i++) {
		size_t b;

		if (strcmp(argv[i], "--json") == 0) {
			json = true;
			continue;
		}
		if (strcmp(argv[i], "--quick") == 0) {
			quick = true;
			continue;
		}
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			bench_usage(stdout);
			return EXIT_OK;
		}
		if (argv[i][0] == '-') {
			fprintf(stderr, "procsim bench: unknown option '%s'\n", argv[i]);
			bench_usage(stderr);
			return EXIT_USAGE;
		}
		for (b = 0; b < NBENCH; b++)
			if (strcmp(argv[i], benches[b].name) == 0)
				break;
		if (b == NBENCH) {
			fprintf(stderr, "procsim bench: unknown benchmark '%s'\n", argv[i]);
			bench_usage(stderr);
			return EXIT_USAGE;
		}
		chosen[b] = any = true;
	}
	for (size_t b = 0; b < NBENCH; b++) {
		struct result r;

		if (any && !chosen[b])
			continue;
		memset(&r, 0, sizeof(r));
		benches[b].run(quick, &r);
		if (r.name == NULL)
			r.name = benches[b].name;
		if (r.error != NULL)
			failed = 1;
		if (json)
			print_json(&r);
		else
			print_text(&r);
		fflush(stdout);
	}
	/* A figure is never a failure; a bench that could not run is. */
	return failed ? EXIT_FAILED : EXIT_OK;
}
