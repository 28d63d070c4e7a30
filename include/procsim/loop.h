/*
 * procsim: the libuv driver.  A ps_loop_t runs a simulator on a libuv
 * uv_loop_t, alongside whatever else the program does on that loop (a
 * REPL's terminal input, pipes to worker processes, timers).  This is the
 * only public header that includes <uv.h>: the core (procsim.h and the
 * headers it includes) never does, and a program that embeds the simulator
 * in a loop of its own needs neither this header nor libuv (docs/driver.md,
 * examples/step_loop.c).
 *
 * Two modes:
 *
 *   PS_LOOP_FAST   as fast as the host allows.  Each loop iteration (a
 *                  uv_idle_t callback) takes at most `batch` scheduling
 *                  steps and at most `budget_ms` of real time, then returns
 *                  to libuv, so signals, terminal input and other handles
 *                  are served between batches.
 *   PS_LOOP_PACED  virtual time follows real time at `ratio` virtual
 *                  nanoseconds per real nanosecond (1.0 is real time, 0.001
 *                  a thousand times slower, 1000 a thousand times faster),
 *                  from a uv_timer_t that sleeps until the next thing in
 *                  the simulation is due.
 *
 * A run goes from PS_LOOP_RUNNING to one of: PAUSED (ps_loop_pause),
 * INTERRUPTED (SIGINT, with handle_sigint), DONE (virtual time reached
 * `until`), IDLE (nothing can happen any more: no runnable thread, no
 * timer), ERROR (a step failed; status.error says how).  When it stops the
 * driver stops its handles, so uv_run() returns once nothing else of the
 * program's keeps the loop alive; ps_loop_resume() runs it on again.
 *
 * Threads: everything here is called on the thread that runs the uv loop,
 * the same thread that owns the simulator.  The callbacks run from inside
 * uv_run(); they may call any ps_loop_* function but ps_loop_free() (and
 * any ps_sim_* function except ps_sim_step/ps_sim_run_until).  A ps_sim_at
 * timer callback, which runs inside a step, may call ps_loop_pause(): the
 * run stops right after that step (a breakpoint).
 *
 * Compiling: <uv.h> needs the POSIX types that a strict -std=c11 hides,
 * so such a program defines _POSIX_C_SOURCE (200809L) before its first
 * #include; link with libprocsim and libuv (pkg-config libuv).
 *
 * Ownership: ps_loop_new() gives a driver that ps_loop_free() releases.
 * The simulator and the uv loop stay the caller's and must outlive it.
 */
#ifndef PROCSIM_LOOP_H
#define PROCSIM_LOOP_H

#include <stdint.h>

#include <uv.h>

#include <procsim/run.h>
#include <procsim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_loop ps_loop_t;

enum ps_loop_mode {
	PS_LOOP_FAST = 0,
	PS_LOOP_PACED = 1,
};

enum ps_loop_state {
	PS_LOOP_NEW = 0,         /* Created, not started. */
	PS_LOOP_RUNNING = 1,
	PS_LOOP_PAUSED = 2,      /* ps_loop_pause(). */
	PS_LOOP_INTERRUPTED = 3, /* SIGINT arrived (handle_sigint). */
	PS_LOOP_DONE = 4,        /* Virtual time reached `until`. */
	PS_LOOP_IDLE = 5,        /* Nothing can happen any more; the clock stays put. */
	PS_LOOP_ERROR = 6,       /* A step failed: status.error. */
};

/* What the driver reports (ps_loop_status and the callbacks). */
struct ps_loop_status {
	uint8_t state;        /* enum ps_loop_state */
	uint8_t mode;         /* enum ps_loop_mode */
	int32_t error;        /* PS_LOOP_ERROR: the PS_E* code of the failed step; else 0. */
	uint32_t sigints;     /* SIGINTs seen while running. */
	uint64_t steps;       /* Scheduling steps this driver took. */
	uint64_t batches;     /* Loop iterations (callbacks) that stepped. */
	uint64_t now;         /* Virtual time, ns (ps_sim_now). */
	uint64_t next;        /* ps_sim_next_time: PS_TIME_NEVER when idle. */
	uint64_t until;       /* The run's bound. */
	uint64_t real_ns;     /* Real time spent in the RUNNING state. */
	uint64_t lag_ns;      /* Paced: virtual time the run is behind real time, else 0. */
};

typedef void (*ps_loop_cb)(ps_loop_t *loop, const struct ps_loop_status *st, void *arg);

struct ps_loop_options {
	uint8_t mode;          /* enum ps_loop_mode; default PS_LOOP_FAST. */
	uint8_t handle_sigint; /* Catch SIGINT while running: the run stops INTERRUPTED. */
	uint64_t until;        /* Virtual time to stop at; PS_TIME_NEVER (default): when idle. */
	uint64_t batch;        /* Steps per loop iteration; 0 means the default, 4096. */
	uint32_t budget_ms;    /* Real time per loop iteration; 0 means the default, 10. */
	double ratio;          /* Paced: virtual ns per real ns, > 0; 0 means the default, 1.0. */
	uint32_t progress_ms;  /* Call progress every this many ms of real time; 0: never. */
	ps_loop_cb progress;   /* Progress (e.g. a CLI status line); may be NULL. */
	ps_loop_cb on_stop;    /* The run stopped by itself (not by ps_loop_pause); may be NULL. */
	/*
	 * Fast mode only: the caller's own step, for a program that steps its
	 * way (a REPL that takes one instruction at a time with
	 * ps_scenario_step and looks at each).  It returns 1 when it took a
	 * step, 0 when the run is over (the driver stops DONE), or a negative
	 * PS_E* code (ERROR); it may call ps_loop_pause().  `until` is then
	 * the step function's business.  NULL: the driver steps the simulator
	 * toward `until` itself.
	 */
	int (*step)(void *arg);
	void *arg;             /* Passed to the callbacks. */
};

/* Fill *opt with the defaults (fast, until idle, batch 4096, ratio 1.0). */
PS_EXTERN void ps_loop_options_init(struct ps_loop_options *opt);

/*
 * A driver for sim on loop, with a copy of *opt (NULL: the defaults).  Its
 * handles are initialised on loop but inactive until ps_loop_start().
 * Errors: PS_EINVAL (NULL sim, loop or out; an option out of range),
 * PS_ENOMEM, PS_EIO (libuv refused a handle).
 */
PS_EXTERN int ps_loop_new(ps_sim_t *sim, uv_loop_t *loop, const struct ps_loop_options *opt,
                          ps_loop_t **out);

/*
 * Stop the run and close the driver's handles.  The memory is released
 * from the handles' close callbacks, as libuv's handles are: run the uv
 * loop once more (uv_run(loop, UV_RUN_DEFAULT) returns at once when
 * nothing else is active) before uv_loop_close().  NULL is a no-op.  Not
 * from inside the driver's own callbacks.
 */
PS_EXTERN void ps_loop_free(ps_loop_t *loop);

/*
 * Arm the handles and start running (state RUNNING); the work happens
 * inside uv_run().  PS_EBUSY if already started (use ps_loop_resume).
 */
PS_EXTERN int ps_loop_start(ps_loop_t *loop);

/*
 * Stop running after the current step (state PAUSED); the handles are
 * stopped, so a paused driver costs nothing and keeps the loop alive no
 * more.  PS_EINVAL unless RUNNING.
 */
PS_EXTERN int ps_loop_pause(ps_loop_t *loop);

/*
 * Run again from PAUSED, INTERRUPTED, DONE or IDLE (after a new `until`
 * with ps_loop_set_until, or after the caller gave the simulation more to
 * do).  Paced mode re-anchors virtual time to real time here, so time spent
 * paused is not caught up.  PS_EINVAL when RUNNING, NEW or ERROR.
 */
PS_EXTERN int ps_loop_resume(ps_loop_t *loop);

/* Change the bound of the run (takes effect at the next step). */
PS_EXTERN int ps_loop_set_until(ps_loop_t *loop, uint64_t until);

/* The driver's state now. */
PS_EXTERN int ps_loop_status(ps_loop_t *loop, struct ps_loop_status *out);

/* "running", "paused", ... for a state; "?" for another number. */
PS_EXTERN const char *ps_loop_state_name(int state);

#ifdef __cplusplus
}
#endif

#endif /* PROCSIM_LOOP_H */
