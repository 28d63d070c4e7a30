/*
 * procsim: the simulator object, its configuration and its checks.
 *
 * A ps_sim_t is one simulated machine: a kernel with its process table, the
 * processes swapper (pid 0, a system process) and init (pid 1, which reaps
 * the zombies it inherits), and the modelled locks.  Everything advances
 * only through calls on the ps_sim_t; there is no hidden clock and no
 * randomness other than the seeded generator, so the same calls with the
 * same configuration give the same results and the same events.
 *
 * Ownership: ps_sim_new() gives a new simulator that the caller frees with
 * ps_sim_free().  Nothing else in this header transfers ownership.
 */
#ifndef PROCSIM_SIM_H
#define PROCSIM_SIM_H

#include <stddef.h>
#include <stdint.h>

#include <procsim/error.h>
#include <procsim/export.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_sim ps_sim_t;

/* Job-control accounting algorithm (spec-kern_proc.md §4.3, §4.4). */
enum ps_jobc_algo {
	PS_JOBC_FREEBSD = 0,   /* The newer FreeBSD kern_proc.c: the default. */
	PS_JOBC_DRAGONFLY = 1, /* DragonFly BSD 2003, selectable. */
};

/* Largest pid_max accepted: leaves room for thread ids above it. */
#define PS_PID_MAX_LIMIT 0x3fffffff
/* FreeBSD's PID_MAX, the default pid_max. */
#define PS_PID_MAX_DEFAULT 99999
/* Pids below this are not reused once pid allocation has wrapped. */
#define PS_PID_WRAP_FLOOR 100

struct ps_config {
	uint64_t seed;         /* Seeds the only random generator. */
	int32_t pid_max;       /* Pids are below it (kern.pid_max); 300..PS_PID_MAX_LIMIT. */
	int32_t maxproc;       /* Process limit (kern.maxproc), >= 16. */
	int32_t randompid;     /* 0: sequential pids; else the random step range. */
	int32_t securelevel;   /* kern.securelevel, -1..3. */
	uint8_t jobc_algo;     /* enum ps_jobc_algo. */
	uint8_t see_other_uids;          /* security.bsd.see_other_uids. */
	uint8_t unprivileged_proc_debug; /* security.bsd.unprivileged_proc_debug. */
	uint8_t witness_strict;          /* Fail an operation on a lock order reversal. */
	uint8_t check_every_op;          /* Check the invariants after every operation. */
	uint8_t check_mode;              /* enum ps_check_mode: what those checks cover. */
	uint8_t exit_compat;   /* enum ps_exit_compat: exit/wait details of the era. */
	uint8_t coredump;      /* Default-core signals set WCOREFLAG (kern.coredump). */
	uint8_t leader_exit;   /* enum ps_leader_exit: the session leader's terminal. */
	uint8_t ptrace_rev;    /* enum ps_ptrace_rev (procsim/ptrace.h): 10.3 by default. */
	/* Execution (procsim/run.h, docs/scheduler.md). */
	int32_t cpus;          /* Simulated CPUs, 1..PS_CPUS_MAX (64); default 1. */
	uint8_t policy;        /* enum ps_policy; default PS_POLICY_RR. */
	uint8_t pct_depth;     /* PCT depth d, 1..32; default 3. */
	uint64_t pct_steps;    /* PCT: instructions over which change points fall; default 100000. */
	uint64_t quantum_ns;   /* rr/random quantum, >= 1; default 1000000 (1 ms). */
	uint32_t sys_cycles;   /* Cycles a system call costs, >= 1; default 100. */
	uint32_t mem_frames;   /* Physical frames (4 KiB), 16..2^26; default 65536. */
	/* With check_every_op: a full walk every N-th automatic check (see below). */
	uint32_t check_full_every;
};

/*
 * What the automatic checks (check_every_op) cover; docs/testing.md.
 * Operations and scheduler steps are counted; the N-th, 2N-th, ... of
 * them (N = check_full_every) get a full walk.
 *
 * PS_CHECK_FULL: every automatic check is a full walk (check_full_every
 * 0 or 1), or only every N-th operation is checked, with a full walk, and
 * the others not at all (sampling, N > 1).
 * PS_CHECK_INCREMENTAL: after every operation, the invariants of the
 * objects it touched (the processes, groups, sessions and terminals whose
 * locks it took or whose fields it changed, their parents, groups and
 * sessions) and the counters that are O(1) to compare; plus a full walk
 * every N-th operation (never when N is 0).
 * ps_sim_check() is always a full walk, whatever the mode.
 */
enum ps_check_mode {
	PS_CHECK_FULL = 0,
	PS_CHECK_INCREMENTAL = 1,
};

/*
 * What a session leader's exit does to its terminal.  By default the newer
 * kern_proc.c's killjobc (spec-kern_exit.md §6.5): s_leader, s_ttyvp and
 * s_ttydp cleared together, SIGHUP to the foreground group whenever the
 * terminal still belongs to the session, the vnode revoked whenever one was
 * held, and an early return for a process whose exit cannot change any
 * count.  PS_LEADER_EXIT_2008 is the inline block of the 2008 exit1 (§2.3):
 * SIGHUP only while the session still holds the terminal's vnode, revoke
 * only if the terminal is still the session's (else the reference is just
 * dropped), s_leader cleared last, fixjobc always called.
 */
enum ps_leader_exit {
	PS_LEADER_EXIT_KILLJOBC = 0,
	PS_LEADER_EXIT_2008 = 1,
};

/*
 * Exit and wait follow FreeBSD's kern_exit.c of 2008 (the seed) by default.
 * PS_EXIT_MODERN selects what later kernels changed: the old parent of an
 * auto-reaped child is always woken; a traced child is not reported twice
 * to a parent that is also its tracer; when the real parent of a traced
 * process exits, the process's p_oppid becomes init's pid (no stale pid);
 * a tracer's exit hands traced children back to their real parent; a
 * parent's wait counts the children a debugger took from it (the orphan
 * list) as its own, so it sleeps instead of failing with ECHILD.
 */
enum ps_exit_compat {
	PS_EXIT_2008 = 0,
	PS_EXIT_MODERN = 1,
};

/* Fill *config with the defaults (FreeBSD behaviour, pid_max 99999). */
PS_EXTERN void ps_config_init(struct ps_config *config);

/*
 * Create a simulator.  Errors: PS_EINVAL for a NULL pointer or a value out
 * of range (each field's range is documented above), PS_ENOMEM.
 */
PS_EXTERN int ps_sim_new(const struct ps_config *config, ps_sim_t **out);

/* Free a simulator and everything in it.  NULL is a no-op. */
PS_EXTERN void ps_sim_free(ps_sim_t *sim);

/* The configuration the simulator was created with. */
PS_EXTERN int ps_sim_config(const ps_sim_t *sim, struct ps_config *out);

/*
 * Invariant checking (spec-kern_proc.md §9).  ps_sim_check() walks every
 * invariant and returns 0 when all hold, PS_EINVARIANT when one is broken
 * (the report names it).  Kernel-faithful drift of pg_jobc (spec §4.8, I14,
 * I15) is not a failure: it is counted in the report and, when the
 * invariant is otherwise intact, the call returns 0.
 */
struct ps_check_report {
	char invariant[8];  /* "I7", ... of the first broken invariant, or "". */
	char message[256];  /* What is wrong, naming the objects. */
	uint32_t failures;  /* Broken invariants found. */
	uint32_t drift;     /* Groups whose pg_jobc drifts as the kernel's does. */
	uint64_t checks;    /* Individual conditions checked. */
};

PS_EXTERN int ps_sim_check(ps_sim_t *sim, struct ps_check_report *report);

/* Witness: lock order reversals seen so far (reported as events too). */
PS_EXTERN uint64_t ps_sim_lock_reversals(const ps_sim_t *sim);

/* Operations performed and invariant checks run (for statistics). */
struct ps_sim_stats {
	uint64_t operations;    /* Operations run (failed ones included). */
	uint64_t checks_run;    /* ps_sim_check() passes, automatic ones included. */
	uint64_t checks_full;   /* ... of which full walks (every ps_sim_check() call). */
	uint64_t checks_incremental; /* ... of which incremental passes. */
	uint64_t check_failures;
	uint64_t check_points;  /* Operations and steps ended with check_every_op set,
	                         * checked or not (sampling skips some). */
	uint64_t events;        /* Events emitted. */
	uint64_t lock_acquisitions;
	uint64_t lock_reversals;
	int32_t nprocs;         /* Processes, zombies included. */
	int32_t nzombies;
	int32_t npgrps;
	int32_t nsessions;
};

PS_EXTERN int ps_sim_stats(const ps_sim_t *sim, struct ps_sim_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* PROCSIM_SIM_H */
