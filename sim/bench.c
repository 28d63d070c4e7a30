/*
 * procsim bench: performance figures of the simulator (DESIGN.md §9,
 * docs/performance.md).
 *
 * Each benchmark prints one or more figures and the parameters behind
 * them, never a verdict:
 *
 *   churn     fork+exit+wait cycles per second of a simulated program, the
 *             same loop on the host kernel in the same run, and the ratio.
 *   interp    simulated instructions per second, one CPU, a tight loop.
 *   sched     context switches per second, 4 CPUs, 1,000 runnable threads.
 *   scale     memory per live idle process, and the cost of fork+exit+wait
 *             and of exit, with 1e3 to 1e6 live processes.
 *   orphan    cost of an exit that orphans process groups, as the tree
 *             grows from 1e3 to 1e6 processes (exit's work is O(children),
 *             so it must stay flat).
 *   scenario  runs per second of a typical job-control scenario, one seed
 *             after another, as a sweep does.
 *
 * Real time is measured with clock_gettime(CLOCK_MONOTONIC) around the
 * calls that do the work; setting up (assembling, building a tree) is
 * outside the measured spans unless a figure says otherwise.  Figures
 * depend on the machine and the build type: compare runs of one build on
 * one machine.  Invariant checking is off: it is the simulator's speed
 * that is measured, not the checker's.
 */
/* fork, waitpid, _exit and clock_gettime are POSIX, hidden by strict C11;
 * mallinfo2 is glibc's. */
#define _GNU_SOURCE

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "bench_scenario.h"
#include "cli.h"

/* A parameter of a figure: printed as key=value, or as a JSON member. */
struct param {
	const char *key;
	double value;
	bool integer;
	const char *text;      /* A string parameter instead of a number. */
};

#define PARAMS_MAX 12
#define FIGURES_MAX 40

struct figure {
	char name[40];
	double value;
	const char *unit;
	struct param params[PARAMS_MAX];
	int nparams;
};

struct bench_out {
	struct figure figs[FIGURES_MAX];
	int nfigs;
	char error[256];       /* Set when the benchmark could not run. */
};

static struct figure *
figure(struct bench_out *o, const char *unit, double value, const char *fmt, ...)
{
	static struct figure spare;
	struct figure *f = o->nfigs < FIGURES_MAX ? &o->figs[o->nfigs++] : &spare;
	va_list ap;

	memset(f, 0, sizeof(*f));
	va_start(ap, fmt);
	vsnprintf(f->name, sizeof(f->name), fmt, ap);
	va_end(ap);
	f->value = value;
	f->unit = unit;
	return f;
}

static void
param(struct figure *f, const char *key, double value, bool integer)
{
	if (f->nparams < PARAMS_MAX)
		f->params[f->nparams++] = (struct param){ key, value, integer, NULL };
}

static void
param_text(struct figure *f, const char *key, const char *text)
{
	if (f->nparams < PARAMS_MAX)
		f->params[f->nparams++] = (struct param){ key, 0, false, text };
}

static void __attribute__((format(printf, 2, 3)))
bench_error(struct bench_out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->error[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(o->error, sizeof(o->error), fmt, ap);
	va_end(ap);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Bytes the process has taken from the heap: the allocator's count where
 * there is one (glibc), else the resident set.  Only differences are used.
 */
static double
heap_bytes(void)
{
#ifdef __GLIBC__
	struct mallinfo2 mi = mallinfo2();

	return (double)mi.uordblks + (double)mi.hblkhd;
#else
	long pages = 0, resident = 0;
	FILE *fp = fopen("/proc/self/statm", "r");

	if (fp != NULL) {
		if (fscanf(fp, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(fp);
	}
	return (double)resident * (double)sysconf(_SC_PAGESIZE);
#endif
}

/*
 * Step until nothing can happen.  Not ps_sim_run_until(PS_TIME_NEVER),
 * which would leave the clock at PS_TIME_NEVER: the virtual time a run
 * took is one of the parameters reported.
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
add_program(ps_sim_t *sim, const char *name, const char *text, struct bench_out *o)
{
	struct ps_asm_error err;

	if (ps_program_add(sim, name, text, &err) != 0) {
		bench_error(o, "program %s: line %d: %s", name, (int)err.line, err.message);
		return -1;
	}
	return 0;
}

static int
spawn(ps_sim_t *sim, const char *name, struct bench_out *o, int32_t *pid)
{
	int r = ps_spawn(sim, 1, name, NULL, NULL, pid);

	if (r != 0)
		bench_error(o, "ps_spawn %s: %s", name, ps_strerror(r));
	return r;
}

/*
 * The churn program: fork; the child exits at once; the parent waits for
 * it; n times.  The loop every benchmark of process creation uses.
 */
static void
churn_text(char *text, size_t len, uint64_t n)
{
	snprintf(text, len,
	         "start:\n  li r6, %" PRIu64 "\n"
	         "again:\n  sys fork\n  bnez r0, parent\n  sys exit 0\n"
	         "parent:\n  sys wait4 -1, 0, 0, 0\n  sub r6, r6, 1\n  bnez r6, again\n"
	         "  sys exit 0\n", n);
}

/*
 * Run one program alone on a fresh one-CPU simulator until it is done;
 * returns the real seconds (-1 on failure) and the scheduler's counts.
 */
static double
run_alone(const char *name, const char *text, struct bench_out *o, struct ps_sched_stats *st,
          uint64_t *steps)
{
	ps_sim_t *sim;
	int32_t pid;
	double t0, dt;

	if (new_sim(1, 0, 0, 0, &sim) != 0) {
		bench_error(o, "ps_sim_new failed");
		return -1;
	}
	if (add_program(sim, name, text, o) != 0 || spawn(sim, name, o, &pid) != 0) {
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

/* --- churn --- */

/* The same loop on the host: fork, the child _exits, the parent waits. */
static double
host_fork_loop(uint64_t n)
{
	double t0;

	/*
	 * Flush stdio first: a forked child that returned through exit()
	 * would flush the parent's buffered output twice.  Children here
	 * leave by _exit(), but an error path must not duplicate output.
	 */
	fflush(NULL);
	t0 = now_s();
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
bench_churn(bool quick, struct bench_out *o)
{
	uint64_t n = quick ? 2000 : 300000, hn = quick ? 200 : 4000, steps;
	char text[512];
	struct ps_sched_stats st;
	struct figure *f;
	double dt, ht, sim_rate, host_rate;

	churn_text(text, sizeof(text), n);
	if ((dt = run_alone("churn", text, o, &st, &steps)) < 0)
		return;
	ht = host_fork_loop(hn);
	if (ht <= 0) {
		bench_error(o, "the host loop failed (fork or waitpid)");
		return;
	}
	sim_rate = (double)n / dt;
	host_rate = (double)hn / ht;
	f = figure(o, "cycles/s", sim_rate, "churn.sim");
	param(f, "cycles", (double)n, true);
	param(f, "seconds", dt, false);
	param(f, "steps", (double)steps, true);
	param(f, "syscalls", (double)st.syscalls, true);
	param(f, "virtual_ns_per_cycle", (double)st.now / (double)n, false);
	f = figure(o, "cycles/s", host_rate, "churn.host");
	param(f, "cycles", (double)hn, true);
	param(f, "seconds", ht, false);
	f = figure(o, "x", sim_rate / host_rate, "churn.ratio");
	param(f, "target_min", 50, true);
}

/* --- interp --- */

static void
bench_interp(bool quick, struct bench_out *o)
{
	/* 3 instructions per iteration; the count fits the 32-bit immediate. */
	uint64_t iters = quick ? 2000000 : 100000000, steps;
	char text[256];
	struct ps_sched_stats st;
	struct figure *f;
	double dt;

	snprintf(text, sizeof(text),
	         "start:\n  li r1, 0\nloop:\n  add r1, r1, 1\n  cmp r1, %" PRIu64 "\n"
	         "  blt loop\n  sys exit 0\n", iters);
	if ((dt = run_alone("loop", text, o, &st, &steps)) < 0)
		return;
	f = figure(o, "insns/s", (double)st.instructions / dt, "interp");
	param(f, "instructions", (double)st.instructions, true);
	param(f, "steps", (double)steps, true);
	param(f, "seconds", dt, false);
	param(f, "target_min", 1e8, true);
}

/* --- sched --- */

/*
 * nthreads processes of one thread each, spawned from init, run text on
 * cpus CPUs until they all exit.  Returns the real seconds, or -1.
 */
static double
sched_run(int cpus, uint64_t quantum, int nthreads, const char *text, struct bench_out *o,
          struct ps_sched_stats *st, uint64_t *steps)
{
	ps_sim_t *sim;
	int32_t pid;
	double t0, dt;

	if (new_sim(cpus, quantum, nthreads + 100, 0, &sim) != 0) {
		bench_error(o, "ps_sim_new failed");
		return -1;
	}
	if (add_program(sim, "t", text, o) != 0) {
		ps_sim_free(sim);
		return -1;
	}
	for (int i = 0; i < nthreads; i++)
		if (spawn(sim, "t", o, &pid) != 0) {
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
bench_sched(bool quick, struct bench_out *o)
{
	const int cpus = 4, nthreads = quick ? 100 : 1000;
	uint64_t yields = quick ? 20 : 2000, chunks = quick ? 10 : 100, steps;
	char text[256];
	struct ps_sched_stats st;
	struct figure *f;
	double dt;

	/*
	 * The figure: every thread yields in a loop, so each system call
	 * gives its CPU to the next of the runnable threads.
	 */
	snprintf(text, sizeof(text),
	         "start:\n  li r1, %" PRIu64 "\nloop:\n  sys sched_yield\n  sub r1, r1, 1\n"
	         "  bnez r1, loop\n  sys exit 0\n", yields);
	if ((dt = sched_run(cpus, 0, nthreads, text, o, &st, &steps)) < 0)
		return;
	f = figure(o, "switches/s", (double)st.switches / dt, "sched");
	param(f, "cpus", cpus, true);
	param(f, "threads", nthreads, true);
	param(f, "switches", (double)st.switches, true);
	param(f, "steps", (double)steps, true);
	param(f, "seconds", dt, false);
	/*
	 * Beside it, preemption: CPU-bound threads (work chunks of 1000
	 * cycles) with a 10 us quantum, so every switch is a quantum's end.
	 */
	snprintf(text, sizeof(text),
	         "start:\n  li r1, %" PRIu64 "\nloop:\n  work 1000\n  sub r1, r1, 1\n"
	         "  bnez r1, loop\n  sys exit 0\n", chunks);
	if ((dt = sched_run(cpus, 10000, nthreads, text, o, &st, &steps)) < 0)
		return;
	f = figure(o, "switches/s", (double)st.switches / dt, "sched.preempt");
	param(f, "cpus", cpus, true);
	param(f, "threads", nthreads, true);
	param(f, "quantum_ns", 10000, true);
	param(f, "switches", (double)st.switches, true);
	param(f, "steps", (double)steps, true);
	param(f, "cycles_per_step", (double)st.cycles / (double)steps, false);
	param(f, "seconds", dt, false);
}

/* --- scale --- */

/*
 * A sim holding `live` idle processes: a program that forks live - 1
 * children which all sleep in pause, then pauses itself.  Every one is a
 * real simulated process: an address space (shared copy-on-write with
 * its parent), a thread asleep in a system call, a place in the tables.
 * *bytes gets the heap the sim took, tables included; *build the real
 * seconds the forks took.
 */
static ps_sim_t *
idle_tree(int32_t live, struct bench_out *o, double *bytes, double *build, int32_t *root)
{
	char text[512];
	ps_sim_t *sim;
	double h0 = heap_bytes(), t0;
	uint64_t steps;

	/* Room for the tree and the benchmark's own processes, pids to spare. */
	if (new_sim(1, 0, live + 5000, live > 40000 ? 2 * live + 10000 : 0, &sim) != 0) {
		bench_error(o, "ps_sim_new failed for %d processes", live);
		return NULL;
	}
	snprintf(text, sizeof(text),
	         "start:\n  li r6, %d\nagain:\n  sys fork\n  bnez r0, parent\n"
	         "idle:\n  sys pause\n  b idle\n"
	         "parent:\n  sub r6, r6, 1\n  bnez r6, again\n"
	         "rest:\n  sys pause\n  b rest\n", live - 1);
	if (add_program(sim, "idle", text, o) != 0 || spawn(sim, "idle", o, root) != 0) {
		ps_sim_free(sim);
		return NULL;
	}
	t0 = now_s();
	run_all(sim, &steps);
	*build = now_s() - t0;
	*bytes = heap_bytes() - h0;
	return sim;
}

/* The median of n values; sorts them (n is a handful). */
static double
median(double *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			double t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Kill n idle processes and run until they have exited; *ns gets the real
 * time per process.  Recent ones (cold false): a new program forks n
 * children that pause, and they are the victims.  Cold ones: children of
 * the idle tree's root, spread evenly over its list (so over the table).
 */
static int
kill_batch(ps_sim_t *sim, int n, int32_t root, int32_t live, bool cold, struct bench_out *o,
           double *ns)
{
	char text[256];
	int32_t *victims, *kids, parent = cold ? root : 0;
	uint64_t steps;
	size_t cap, nkids;
	int nv = 0, r;
	double t0;

	if (!cold) {
		struct ps_program_info info;

		snprintf(text, sizeof(text),
		         "start:\n  li r6, %d\nagain:\n  sys fork\n  bnez r0, parent\n"
		         "idle:\n  sys pause\n  b idle\n"
		         "parent:\n  sub r6, r6, 1\n  bnez r6, again\n"
		         "rest:\n  sys pause\n  b rest\n", n);
		if (ps_program_info(sim, "batch", &info) != 0 && add_program(sim, "batch", text, o) != 0)
			return -1;
		if (spawn(sim, "batch", o, &parent) != 0)
			return -1;
		run_all(sim, &steps);
	}
	/*
	 * The victims: the parent's children, newest first, taken evenly
	 * over the list (all of a batch; a spread sample of the crowd).
	 */
	cap = cold ? (size_t)live : (size_t)n + 16;
	victims = calloc((size_t)n, sizeof(*victims));
	kids = calloc(cap, sizeof(*kids));
	if (victims == NULL || kids == NULL ||
	    ps_proc_children(sim, parent, kids, cap, &nkids) != 0) {
		bench_error(o, "listing the children of %d failed", parent);
		free(victims);
		free(kids);
		return -1;
	}
	if (nkids > cap)
		nkids = cap; /* The count is the list's; only cap were written. */
	for (int i = 0; i < n && nkids > 0; i++) {
		struct ps_proc_info pi;
		int32_t cand = kids[(size_t)i * nkids / (size_t)n];

		if (ps_proc_info(sim, cand, &pi) == 0 && pi.state == PS_PRS_NORMAL)
			victims[nv++] = cand;
	}
	free(kids);
	if (nv < n) {
		bench_error(o, "found %d of the %d processes to kill", nv, n);
		free(victims);
		return -1;
	}
	t0 = now_s();
	for (int i = 0; i < nv; i++)
		if ((r = ps_kill(sim, 1, victims[i], PS_SIGKILL)) != 0) {
			bench_error(o, "kill of process %d: %s", victims[i], ps_strerror(r));
			free(victims);
			return -1;
		}
	run_all(sim, &steps);
	*ns = (now_s() - t0) / nv * 1e9;
	for (int i = 0; i < nv; i++) {
		struct ps_proc_info pi;

		if (ps_proc_info(sim, victims[i], &pi) != 0 || pi.state != PS_PRS_ZOMBIE) {
			bench_error(o, "process %d did not exit when killed", victims[i]);
			free(victims);
			return -1;
		}
	}
	free(victims);
	/* The batch's parent goes too: init inherits the zombies and reaps them. */
	if (!cold) {
		if ((r = ps_kill(sim, 1, parent, PS_SIGKILL)) != 0) {
			bench_error(o, "kill of process %d: %s", parent, ps_strerror(r));
			return -1;
		}
		run_all(sim, &steps);
	}
	return 0;
}

static void
bench_scale(bool quick, struct bench_out *o)
{
	static const int32_t sizes_full[] = { 1000, 10000, 100000, 1000000 };
	static const int32_t sizes_quick[] = { 100, 1000 };
	const int32_t *sizes = quick ? sizes_quick : sizes_full;
	int nsizes = quick ? 2 : 4;
	uint64_t cycles = quick ? 500 : 10000, steps;
	int exits = quick ? 50 : 2000, rounds = quick ? 1 : 9, cold;
	double per_round[9];
	double fork_first = 0, fork_last = 0, exit_first = 0, exit_last = 0;
	char text[512];
	struct figure *f;

	churn_text(text, sizeof(text), cycles);
	for (int s = 0; s < nsizes; s++) {
		int32_t live = sizes[s], root, pid;
		double bytes, build, t0, dt, dt_fork, dt_exit;
		ps_sim_t *sim = idle_tree(live, o, &bytes, &build, &root);

		if (sim == NULL)
			return;
		f = figure(o, "bytes/process", bytes / live, "scale.memory@%d", live);
		param(f, "live", live, true);
		param(f, "heap_bytes", bytes, true);
		param(f, "build_forks_per_s", (live - 1) / build, false);
		param(f, "target_max", 2048, true);
		/* fork+exit+wait cycles of a program beside the idle crowd. */
		if (add_program(sim, "churn", text, o) != 0) {
			ps_sim_free(sim);
			return;
		}
		for (int round = 0; round < rounds; round++) {
			if (spawn(sim, "churn", o, &pid) != 0) {
				ps_sim_free(sim);
				return;
			}
			t0 = now_s();
			run_all(sim, &steps);
			per_round[round] = (now_s() - t0) / (double)cycles * 1e9;
		}
		dt_fork = median(per_round, rounds);
		f = figure(o, "ns/cycle", dt_fork, "scale.fork@%d", live);
		param(f, "live", live, true);
		param(f, "cycles", (double)cycles, true);
		param(f, "rounds", rounds, true);
		/*
		 * Exit: a batch program forks `exits` children that pause;
		 * they are killed (SIGKILL from init wakes each sleeper) and
		 * the simulation runs until each has been scheduled and has
		 * exited.  The figure is the whole of kill, wakeup, scheduling
		 * and exit, per process.  The victims are recent processes, as
		 * a shell's jobs are; the crowd around them is the variable.
		 */
		for (int round = 0; round < rounds; round++)
			if (kill_batch(sim, exits, root, live, false, o, &per_round[round]) != 0) {
				ps_sim_free(sim);
				return;
			}
		dt_exit = median(per_round, rounds);
		f = figure(o, "ns/exit", dt_exit, "scale.exit@%d", live);
		param(f, "live", live, true);
		param(f, "exits", exits, true);
		param(f, "rounds", rounds, true);
		/*
		 * Beside it, the same for processes of the crowd itself,
		 * spread over the whole table: every one is cold in the host's
		 * caches, and so are the neighbours on its lists.  The kernel's
		 * work is the same; the host's memory hierarchy is not.
		 */
		cold = exits < (live - 1) / 2 ? exits : (live - 1) / 2;
		if (kill_batch(sim, cold, root, live, true, o, &dt) != 0) {
			ps_sim_free(sim);
			return;
		}
		f = figure(o, "ns/exit", dt, "scale.exit_cold@%d", live);
		param(f, "live", live, true);
		param(f, "exits", cold, true);
		t0 = now_s();
		ps_sim_free(sim);
		f = figure(o, "s", now_s() - t0, "scale.free@%d", live);
		param(f, "live", live, true);
		if (s == 0) {
			fork_first = dt_fork;
			exit_first = dt_exit;
		}
		fork_last = dt_fork;
		exit_last = dt_exit;
	}
	f = figure(o, "x", fork_first > 0 ? fork_last / fork_first : 0, "scale.fork.growth");
	param(f, "from", sizes[0], true);
	param(f, "to", sizes[nsizes - 1], true);
	param(f, "target_max", 1.5, false);
	f = figure(o, "x", exit_first > 0 ? exit_last / exit_first : 0, "scale.exit.growth");
	param(f, "from", sizes[0], true);
	param(f, "to", sizes[nsizes - 1], true);
	param(f, "target_max", 1.5, false);
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
bench_orphan(bool quick, struct bench_out *o)
{
	static const int32_t sizes_full[] = { 1000, 10000, 100000, 1000000 };
	static const int32_t sizes_quick[] = { 100, 1000 };
	const int32_t *sizes = quick ? sizes_quick : sizes_full;
	int nsizes = quick ? 2 : 4, cycles = quick ? 200 : 5000, kids = 4;
	double first = 0, last = 0;
	struct figure *f;

	for (int s = 0; s < nsizes; s++) {
		ps_sim_t *sim;
		int32_t sh, holder, pid, size = sizes[s];
		double total = 0, t;

		if (new_sim(1, 0, size + 1000, size > 40000 ? 2 * size + 10000 : 0, &sim) != 0) {
			bench_error(o, "ps_sim_new failed");
			return;
		}
		/*
		 * The crowd: `size` processes in other sessions, children of
		 * one holder, so that the tables the exit could walk are big.
		 */
		if (ps_fork(sim, 1, &holder) != 0 || ps_setsid(sim, holder) < 0) {
			bench_error(o, "building the tree failed");
			ps_sim_free(sim);
			return;
		}
		for (int32_t i = 0; i < size; i++)
			if (ps_fork(sim, holder, &pid) != 0) {
				bench_error(o, "building the tree failed at %d processes", i);
				ps_sim_free(sim);
				return;
			}
		if (ps_fork(sim, 1, &sh) != 0 || ps_setsid(sim, sh) < 0) {
			bench_error(o, "building the tree failed");
			ps_sim_free(sim);
			return;
		}
		for (int i = 0; i < cycles; i++) {
			if ((t = orphan_cycle(sim, sh, kids)) < 0) {
				bench_error(o, "an exit cycle failed");
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
		f = figure(o, "ns/exit", t, "orphan@%d", size);
		param(f, "processes", size, true);
		param(f, "orphaned_groups", kids, true);
		param(f, "exits", cycles, true);
	}
	f = figure(o, "x", first > 0 ? last / first : 0, "orphan.growth");
	param(f, "from", sizes[0], true);
	param(f, "to", sizes[nsizes - 1], true);
	param(f, "target_max", 1.5, false);
}

/* --- scenario --- */

static void
bench_scenario(bool quick, struct bench_out *o)
{
	double budget = quick ? 0.05 : 1.0, t0, dt = 0;
	uint64_t runs = 0, held = 0, events = 0;
	struct ps_scenario_options opt;
	ps_scenario_t *sc;
	struct figure *f;
	char err[512];

	if (ps_scenario_load_string(bench_scenario_json, sizeof(bench_scenario_json) - 1,
	                            bench_scenario_file, &sc, err, sizeof(err)) != 0) {
		bench_error(o, "%s", err);
		return;
	}
	/*
	 * One seed after another for about `budget` seconds, each run built,
	 * run to its end and judged, as a sweep of seeds does.
	 */
	t0 = now_s();
	do {
		ps_scenario_run_t *run;
		int done = 0, r;

		ps_scenario_options_init(&opt);
		opt.set |= PS_SCOPT_SEED;
		opt.seed = runs + 1;
		if (ps_scenario_start(sc, &opt, &run, err, sizeof(err)) != 0) {
			bench_error(o, "%s", err);
			break;
		}
		while (!done && (r = ps_scenario_advance(run, 1000000, &done)) == 0)
			;
		held += ps_scenario_finish(run) == 0;
		events += ps_scenario_events(run);
		ps_scenario_run_free(run);
		runs++;
	} while ((dt = now_s() - t0) < budget);
	ps_scenario_free(sc);
	if (o->error[0] != '\0')
		return;
	f = figure(o, "runs/s", (double)runs / dt, "scenario");
	param_text(f, "scenario", bench_scenario_file);
	param(f, "runs", (double)runs, true);
	param(f, "held", (double)held, true);
	param(f, "events_per_run", (double)events / (double)runs, false);
	param(f, "seconds", dt, false);
}

/* --- driver --- */

struct bench {
	const char *name;
	void (*run)(bool quick, struct bench_out *o);
	const char *what;
};

static const struct bench benches[] = {
	{ "churn", bench_churn, "fork+exit+wait cycles per second, simulated and host, and the ratio" },
	{ "interp", bench_interp, "simulated instructions per second, one CPU, tight loop" },
	{ "sched", bench_sched, "context switches per second, 4 CPUs, 1000 runnable threads" },
	{ "scale", bench_scale, "memory, fork and exit cost with 1e3..1e6 live processes" },
	{ "orphan", bench_orphan, "cost of an exit that orphans groups, 1e3..1e6 processes" },
	{ "scenario", bench_scenario, "runs per second of a job-control scenario, seed after seed" },
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
print_text(const struct figure *f)
{
	printf("%-20s ", f->name);
	if (f->value >= 100)
		printf("%14.0f", f->value);
	else
		printf("%14.3f", f->value);
	printf(" %-14s", f->unit);
	for (int i = 0; i < f->nparams; i++) {
		printf(" %s=", f->params[i].key);
		if (f->params[i].text != NULL)
			printf("%s", f->params[i].text);
		else
			print_number(f->params[i].value, f->params[i].integer);
	}
	printf("\n");
}

/* A JSON string: the scenario's file name is the only text not ours. */
static void
print_json_string(const char *s)
{
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void
print_json(const struct figure *f)
{
	printf("{\"name\":");
	print_json_string(f->name);
	printf(",\"value\":%.6g,\"unit\":", f->value);
	print_json_string(f->unit);
	printf(",\"parameters\":{");
	for (int i = 0; i < f->nparams; i++) {
		printf("%s", i > 0 ? "," : "");
		print_json_string(f->params[i].key);
		putchar(':');
		if (f->params[i].text != NULL)
			print_json_string(f->params[i].text);
		else if (f->params[i].integer)
			printf("%.0f", f->params[i].value);
		else
			printf("%.6g", f->params[i].value);
	}
	printf("}}\n");
}

static void
bench_usage(FILE *fp)
{
	fprintf(fp, "usage: procsim bench [NAME...] [--json] [--quick]\n\nbenchmarks:\n");
	for (size_t i = 0; i < NBENCH; i++)
		fprintf(fp, "  %-9s %s\n", benches[i].name, benches[i].what);
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
		static struct bench_out out;

		if (any && !chosen[b])
			continue;
		memset(&out, 0, sizeof(out));
		benches[b].run(quick, &out);
		for (int i = 0; i < out.nfigs; i++) {
			if (json)
				print_json(&out.figs[i]);
			else
				print_text(&out.figs[i]);
		}
		if (out.error[0] != '\0') {
			failed = 1;
			if (json) {
				printf("{\"name\":\"%s\",\"error\":", benches[b].name);
				print_json_string(out.error);
				printf("}\n");
			} else {
				printf("%-20s error: %s\n", benches[b].name, out.error);
			}
		}
		fflush(stdout);
	}
	/* A figure is never a failure; a benchmark that could not run is. */
	return failed ? EXIT_FAILED : EXIT_OK;
}
