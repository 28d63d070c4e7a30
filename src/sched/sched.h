/*
 * The scheduler: simulated CPUs, the run queue and its policies, the
 * virtual clock, and the timer heap (docs/scheduler.md).
 *
 * Time.  Each busy CPU has its own clock; the scheduler always advances the
 * CPU whose clock is lowest (ties: the lower CPU number), and lets it run
 * only until it passes the next busy CPU's clock or the next timer.  So
 * everything the kernel does happens in nondecreasing virtual time, and the
 * CPUs interleave at instruction granularity when their clocks meet.  A
 * timer due at t fires once every busy CPU's clock has reached t.
 *
 * Threads.  Only threads of processes that run a program (p_vmspace set)
 * are scheduled.  A runnable thread is either on a CPU (td_oncpu >= 0) or
 * on the run queue; an inhibited one (asleep, stopped, suspended) is on
 * neither.  sched_add/sched_rem are the only ways on and off.
 *
 * Locking key letter (s): scheduler state, touched with no kernel lock
 * held or from within a kernel operation of the single simulator context.
 */
#ifndef PS_SCHED_SCHED_H
#define PS_SCHED_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include <procsim/run.h>

#include "base/queue.h"
#include "base/rng.h"

struct kernel;
struct thread;

struct cpu {
	struct thread *c_td;    /* (s) Running thread, or NULL when idle. */
	uint64_t c_clock;       /* (s) Local virtual time while busy. */
	uint64_t c_slice_end;   /* (s) Quantum end of c_td. */
	uint64_t c_busy;        /* (s) Time spent running threads. */
	uint8_t c_resched;      /* (s) Re-decide before running c_td again. */
};

enum timer_kind {
	TMR_TIMEOUT = 1,  /* A thread's sleep timeout (nanosleep). */
	TMR_EXTERNAL = 2, /* A caller's ps_sim_at timer. */
};

struct timer {
	uint64_t tm_time;
	uint64_t tm_seq;        /* Sequence: order among equal times, and the id. */
	uint8_t tm_kind;
	uint8_t tm_cancelled;
	int32_t tm_tid;         /* TMR_TIMEOUT: the sleeping thread. */
	ps_timer_cb tm_cb;      /* TMR_EXTERNAL */
	void *tm_arg;
};

TAILQ_HEAD(runqhead, thread);

struct sched {
	int32_t ncpus;                /* (b) */
	uint8_t policy;               /* (b) enum ps_policy */
	uint64_t quantum;             /* (b) ns */
	uint64_t sys_cycles;          /* (b) Cost of a system call. */
	uint64_t now;                 /* (s) Virtual time of the last thing done. */
	struct cpu cpus[PS_CPUS_MAX]; /* (s) */
	struct runqhead runq;         /* (s) Runnable threads not on a CPU. */
	uint32_t nrunq;               /* (s) */
	struct timer *heap;           /* (s) Binary heap on (tm_time, tm_seq). */
	uint32_t nheap, heapcap;      /* (s) */
	uint64_t timer_seq;           /* (s) */
	struct ps_rng rng;            /* (s) The scheduling stream. */
	/* PCT: change points, as global instruction counts, ascending. */
	uint64_t *pct_points;         /* (b) */
	uint32_t pct_npoints;         /* (b) d - 1 */
	uint32_t pct_next;            /* (s) Index of the next change point. */
	uint64_t run_limit;           /* (s) ps_sim_run_until's bound, else NEVER. */
	bool in_step;                 /* (s) Inside sched_step (reentry guard). */
	/*
	 * A step cut short by sched_step_insn: its CPU and the clock it would
	 * have run to.  The next step continues it (part_cpu -1: none).
	 */
	int32_t part_cpu;             /* (s) */
	uint64_t part_limit;          /* (s) */
	uint64_t part_ops;            /* (s) Operations of the API done before the cut. */
	bool kernel_entered;          /* (s) This step changed kernel state. */
	struct ps_sched_stats st;     /* (s) */
};

int sched_init(struct kernel *k);
void sched_fini(struct kernel *k);
/* td (of a runner) can run: onto a CPU or the run queue. */
void sched_add(struct kernel *k, struct thread *td);
/* td cannot run any more (inhibited, exiting): off its CPU or the queue. */
void sched_rem(struct kernel *k, struct thread *td);
/* A new thread: its PCT priority. */
void sched_thread_init(struct kernel *k, struct thread *td);
int sched_step(struct kernel *k);
/*
 * A step, one instruction at a time: the CPU runs only its next
 * instruction, and the step it belongs to is continued by the next call
 * (either function) exactly as it would have run whole.  A step that is a
 * timer or a switch is taken whole.
 */
int sched_step_insn(struct kernel *k);
uint64_t sched_next_time(struct kernel *k);
/* Timers: returns the id (tm_seq). */
uint64_t sched_timeout(struct kernel *k, uint64_t t, struct thread *td);
uint64_t sched_timer_ext(struct kernel *k, uint64_t t, ps_timer_cb cb, void *arg);
int sched_timer_cancel(struct kernel *k, uint64_t id);
/* The current virtual time. */
uint64_t sched_now(const struct kernel *k);

#endif /* PS_SCHED_SCHED_H */
