/*
 * procsim: running programs on simulated CPUs.
 *
 * Processes started with ps_spawn() (or turned into program runners by
 * ps_execve()) run their program's instructions on the simulator's CPUs
 * under its scheduler (docs/scheduler.md).  Time is virtual, in
 * nanoseconds: one cycle is one nanosecond.  Nothing moves until the caller
 * steps the simulator: ps_sim_step() takes one scheduling step (a CPU runs
 * its thread up to the next point where another CPU or a timer is due, or a
 * timer fires), ps_sim_run_until() steps until a virtual time.  The libuv
 * driver (procsim/loop.h) and the command-line tool are callers of these.
 *
 * Processes created with ps_fork() and not exec'd run no program: they act
 * only through the API calls made in their name, as before.  Such calls in
 * the name of a process that runs a program return PS_EBUSY where they
 * would act as the process's own system call (fork, exit, wait, pause,
 * read, write).
 */
#ifndef PROCSIM_RUN_H
#define PROCSIM_RUN_H

#include <stddef.h>
#include <stdint.h>

#include <procsim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Scheduling policies (ps_config.policy). */
enum ps_policy {
	PS_POLICY_RR = 0,     /* Round robin with a quantum: the default. */
	PS_POLICY_FIFO = 1,   /* First come, runs until it blocks. */
	PS_POLICY_RANDOM = 2, /* Seeded random pick at every decision; quantum preemption. */
	PS_POLICY_PCT = 3,    /* Probabilistic Concurrency Testing, depth pct_depth. */
};

#define PS_CPUS_MAX 64
#define PS_TIME_NEVER UINT64_MAX

/* "rr" -> PS_POLICY_RR; PS_EINVAL for an unknown name. */
PS_EXTERN int ps_policy_number(const char *name);
PS_EXTERN const char *ps_policy_name(int policy);

/* Virtual time now, in nanoseconds. */
PS_EXTERN uint64_t ps_sim_now(const ps_sim_t *sim);

/*
 * When the next step would happen: the earliest busy CPU's clock or the
 * earliest timer; PS_TIME_NEVER when nothing can happen any more (no thread
 * runnable, no timer armed).
 */
PS_EXTERN uint64_t ps_sim_next_time(ps_sim_t *sim);

/*
 * One step.  Returns 1 if something ran or fired, 0 when idle, PS_EINVAL,
 * or PS_EINVARIANT when check_every_op is set and the step broke an
 * invariant (ps_sim_check() says which).
 */
PS_EXTERN int ps_sim_step(ps_sim_t *sim);

/*
 * Step while the next step is due at or before t, then set the clock to t
 * (it never goes backwards); with t = PS_TIME_NEVER, step until nothing can
 * happen any more and leave the clock at the last thing done.  max_steps (0: unlimited) bounds the steps
 * taken; *steps (may be NULL) gets how many were.  Returns 0 when t was
 * reached, 1 when max_steps ran out first, PS_EINVAL, PS_EINVARIANT (as
 * ps_sim_step).
 */
PS_EXTERN int ps_sim_run_until(ps_sim_t *sim, uint64_t t, uint64_t max_steps, uint64_t *steps);

/*
 * A step taken one instruction at a time, for debuggers and REPLs: like
 * ps_sim_run_until(sim, t, 1, NULL) but the CPU runs only its next
 * instruction (a `work N` is one instruction; a timer, a switch or a
 * reschedule is a step of its own).  The step the instruction belongs to
 * is continued by the next call, or finished by ps_sim_step() or
 * ps_sim_run_until(), exactly as it would have run whole: a run taken an
 * instruction at a time has the same instructions in the same order and
 * the same events as one taken in steps.  An API call made between two
 * such calls ends the cut step where it is.  Returns 1 when something
 * ran, 0 when nothing is due at or before t (the clock is not moved: see
 * ps_sim_run_until), PS_EINVAL, PS_EINVARIANT (as ps_sim_step).
 */
PS_EXTERN int ps_sim_step_insn(ps_sim_t *sim, uint64_t t);
/*
 * A timer of the caller's: cb runs once when virtual time reaches t (after
 * the CPUs have run up to t, before those due later), from inside
 * ps_sim_step(); it may call the API (kill, hangup, ...) on sim.  Timers at
 * the same time fire in the order they were set.  *id (may be NULL) names
 * the timer for ps_sim_cancel().  PS_EINVAL for t in the past or NULL cb.
 */
typedef void (*ps_timer_cb)(ps_sim_t *sim, uint64_t t, void *arg);
PS_EXTERN int ps_sim_at(ps_sim_t *sim, uint64_t t, ps_timer_cb cb, void *arg, uint64_t *id);
/* PS_ESRCH if it fired already or never existed. */
PS_EXTERN int ps_sim_cancel(ps_sim_t *sim, uint64_t id);

/*
 * Start a process running program: forked from parent (which must run no
 * program: init, or a process made with ps_fork), then exec'd with argv and
 * envp (NULL-terminated; NULL means none).  Its first thread is runnable.
 * Errors: PS_EINVAL, PS_ESRCH (no parent or no such program), PS_EBUSY
 * (parent runs a program, is stopped or inside a call), PS_EPERM (parent
 * is a system process), PS_EAGAIN (process limit), PS_ENOMEM (no frame for
 * the stack), PS_E2BIG (more than 64 arguments or environment strings, or
 * strings too long).  When the exec fails after the fork, the child exits
 * with status 127 and stays a zombie of parent, to be reaped.
 */
PS_EXTERN int ps_spawn(ps_sim_t *sim, int32_t parent, const char *program,
                       const char *const *argv, const char *const *envp, int32_t *pid);

/*
 * exec program in pid (which runs no program yet): pid gets a new address
 * space and becomes a program runner.  Errors: PS_EINVAL, PS_ESRCH (no such
 * process or program), PS_EBUSY (pid runs a program already, is stopped or
 * inside a call), PS_EPERM (init or a system process), PS_E2BIG, PS_ENOMEM;
 * on error pid is unchanged.
 */
PS_EXTERN int ps_execve(ps_sim_t *sim, int32_t pid, const char *program,
                        const char *const *argv, const char *const *envp);

/* Thread states as ps_thread_info reports them. */
enum ps_thread_state {
	PS_TD_INACTIVE = 0,   /* Not started, or gone. */
	PS_TD_RUNNING = 1,    /* On a CPU. */
	PS_TD_RUNNABLE = 2,   /* On the run queue. */
	PS_TD_SLEEPING = 3,   /* On a wait channel (wmesg says which). */
	PS_TD_STOPPED = 4,    /* Its process is stopped (signal or debugger). */
	PS_TD_SUSPENDED = 5,  /* Held by single-threading (exit of another thread). */
	PS_TD_IDLE = 6,       /* A process that runs no program. */
};

struct ps_regs {
	uint64_t r[16];
	uint64_t pc, sp, flags;
};

struct ps_thread_info {
	int32_t tid;
	int32_t pid;
	int32_t cpu;          /* CPU it runs on, or -1. */
	uint8_t state;        /* enum ps_thread_state */
	char wmesg[16];       /* Sleep message, or "". */
	uint64_t wchan;       /* Wait channel, or 0. */
	int32_t syscall;      /* System call in progress (ps_sysno), or 0. */
	uint64_t cycles;      /* Cycles it has run. */
	struct ps_regs regs;
};

/* A thread by tid; PS_ESRCH if none. */
PS_EXTERN int ps_thread_info(ps_sim_t *sim, int32_t tid, struct ps_thread_info *out);
/* The thread ids of pid, first thread first; PS_ERANGE when cap is too
 * small (*count says how many there are), PS_ESRCH. */
PS_EXTERN int ps_proc_threads(ps_sim_t *sim, int32_t pid, int32_t *tids, size_t cap,
                              size_t *count);

/*
 * Memory of a process, as a debugger reads and writes it (proc_rwmem
 * rules, docs/memory.md): *done gets the bytes moved.  PS_EFAULT when the
 * range is not mapped (bytes before the faulting page are moved), PS_ESRCH,
 * PS_EINVAL (NULL, or a process without an address space).
 */
PS_EXTERN int ps_mem_read(ps_sim_t *sim, int32_t pid, uint64_t addr, void *buf, size_t len,
                          size_t *done);
PS_EXTERN int ps_mem_write(ps_sim_t *sim, int32_t pid, uint64_t addr, const void *buf,
                           size_t len, size_t *done);

/* Memory use: frames of the pool, and a process's resident pages and map. */
struct ps_mem_info {
	uint32_t frames_total;
	uint32_t frames_used;
	uint32_t resident;      /* The process's pages in its page table. */
	uint32_t entries;       /* Its map entries. */
	uint32_t timestamp;     /* Its map timestamp. */
};
PS_EXTERN int ps_mem_info(ps_sim_t *sim, int32_t pid, struct ps_mem_info *out);

/* Scheduler statistics. */
struct ps_sched_stats {
	uint64_t now;
	uint64_t steps;          /* Completed scheduling steps (a step cut by
	                          * ps_sim_step_insn counts once, when it ends). */
	uint64_t instructions;   /* Instructions retired, all CPUs. */
	uint64_t cycles;         /* Cycles run, all CPUs. */
	uint64_t syscalls;
	uint64_t switches;       /* Context switches: a CPU changed thread. */
	uint64_t preemptions;    /* Of those, quantum or priority preemptions. */
	uint64_t timers_fired;
	uint64_t faults;         /* Faults that raised a signal. */
	uint32_t runnable;       /* Threads on the run queue now. */
	uint32_t running;        /* CPUs busy now. */
	uint64_t busy_ns[PS_CPUS_MAX]; /* Per CPU: virtual time spent running threads. */
	/* Per CPU: its own clock, the start of its next instruction (a CPU
	 * runs ahead of `now` between two things the kernel does). */
	uint64_t clock[PS_CPUS_MAX];
	int32_t ncpus;
};
PS_EXTERN int ps_sched_stats(const ps_sim_t *sim, struct ps_sched_stats *out);

/*
 * One JSON object (no newline) for an event, the JSON-lines trace format
 * (docs/trace-format.md): {"seq":..,"t":..,"type":"..",...}.  Returns the length
 * needed, as snprintf does, or PS_EINVAL.
 */
struct ps_event;
PS_EXTERN int ps_event_json(const struct ps_event *ev, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* PROCSIM_RUN_H */
