/*
 * procsim: scenarios.  A scenario is a JSON document (docs/scenario-format.md,
 * docs/scenario.schema.json) that describes a machine, its terminals and
 * programs, the processes started at time 0, external events at virtual
 * times, and expectations about what must (or must not) happen.
 *
 * Loading checks the whole document: every error names the file and either
 * the line and column (JSON syntax) or the JSON path of the offending value
 * ("/events/2/signal"), and says what was expected.  A loaded scenario is
 * immutable and may be run any number of times.
 *
 * Running builds a ps_sim_t from the scenario and options, spawns its
 * processes, schedules its events, and advances to the scenario's `until`
 * (or until nothing is left to do).  Every event is recorded, fed to an
 * optional callback (a trace writer, say) and hashed.  Finishing evaluates
 * the expectations; a report says which failed, when, with the trace around
 * it and the command that replays the run.
 *
 * Ownership: the loader's and the runner's objects are freed with
 * ps_scenario_free() and ps_scenario_run_free().  Strings returned by
 * accessors are owned by the object and live as long as it does.
 */
#ifndef PROCSIM_SCENARIO_H
#define PROCSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <procsim/event.h>
#include <procsim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the format this library reads ("procsim": 1). */
#define PS_SCENARIO_VERSION 1

typedef struct ps_scenario ps_scenario_t;
typedef struct ps_scenario_run ps_scenario_run_t;

/*
 * Load a scenario from a file, or from text (name is what errors call it).
 * On failure *out is NULL, err (when not NULL) holds one line such as
 * "s.json:12:5: ..." or "s.json: /events/2/signal: expected a signal name
 * such as \"SIGHUP\", got \"SIGFOO\"", and the result is PS_EINVAL for a
 * bad document, PS_ENOENT/PS_EACCES/PS_EIO when the file cannot be read,
 * PS_ENOMEM.
 */
PS_EXTERN int ps_scenario_load_file(const char *path, ps_scenario_t **out, char *err,
                                    size_t errlen);
PS_EXTERN int ps_scenario_load_string(const char *text, size_t len, const char *name,
                                      ps_scenario_t **out, char *err, size_t errlen);
PS_EXTERN void ps_scenario_free(ps_scenario_t *sc);

/* The scenario's "name" ("" when it has none) and its source's name. */
PS_EXTERN const char *ps_scenario_name(const ps_scenario_t *sc);
PS_EXTERN const char *ps_scenario_source(const ps_scenario_t *sc);

/* Which fields of ps_scenario_options override the scenario's config. */
#define PS_SCOPT_SEED 0x01u
#define PS_SCOPT_CPUS 0x02u
#define PS_SCOPT_POLICY 0x04u
#define PS_SCOPT_UNTIL 0x08u
#define PS_SCOPT_CHECK 0x10u
#define PS_SCOPT_CHECK_FULL_EVERY 0x20u

/* ps_scenario_options.check: the checks after every event (procsim/sim.h). */
enum ps_scenario_check {
	PS_SCCHECK_OFF = 0,
	PS_SCCHECK_FULL = 1,        /* A full walk after every event (--check). */
	PS_SCCHECK_INCREMENTAL = 2, /* PS_CHECK_INCREMENTAL (--check=incremental). */
};

struct ps_scenario_options {
	uint32_t set;          /* PS_SCOPT_* bits of the fields given. */
	uint64_t seed;
	int32_t cpus;
	int32_t policy;        /* enum ps_policy */
	uint64_t until;        /* Virtual ns; PS_TIME_NEVER: until idle. */
	uint8_t check;         /* enum ps_scenario_check: check after every event. With
	                        * PS_SCCHECK_FULL and no PS_SCOPT_CHECK_FULL_EVERY,
	                        * every event gets a full walk whatever the scenario's
	                        * check_full_every says. */
	uint32_t check_full_every; /* Overrides config.check_full_every. */
	ps_event_cb on_event;  /* Sees every event as it happens, or NULL. */
	void *arg;
	/* Called once with the new run before anything happens in it (so a
	 * trace writer can name processes from the first event), or NULL. */
	void (*on_run)(ps_scenario_run_t *run, void *arg);
};

PS_EXTERN void ps_scenario_options_init(struct ps_scenario_options *opt);

/*
 * Build the machine: create the simulator, the terminals, the programs and
 * the processes, and schedule the events and the timed expectations.
 * Nothing has run yet.  A program that does not assemble, or a process
 * that cannot be created, is an error of the scenario: PS_EINVAL with err
 * naming it as the loader does.  PS_ENOMEM.
 */
PS_EXTERN int ps_scenario_start(const ps_scenario_t *sc, const struct ps_scenario_options *opt,
                                ps_scenario_run_t **out, char *err, size_t errlen);

/* The simulator of a run (to inspect it, or to step it by hand). */
PS_EXTERN ps_sim_t *ps_scenario_sim(ps_scenario_run_t *run);

/* The effective configuration: the end time (PS_TIME_NEVER: until idle). */
PS_EXTERN uint64_t ps_scenario_until(const ps_scenario_run_t *run);

/*
 * Advance by at most max_steps steps toward the end time.  *done becomes 1
 * when the run has reached its end (the time, or idle, or a step limit).
 * Returns 0, or a negative error of ps_sim_run_until.
 */
PS_EXTERN int ps_scenario_advance(ps_scenario_run_t *run, uint64_t max_steps, int *done);

/*
 * Advance by one instruction (ps_sim_step_insn) toward the end time, the
 * way a debugger steps: a run taken this way is the run ps_scenario_advance
 * takes, event for event.  Returns 1 when something ran, 0 when the run is
 * at its end (*done is then 1: the clock is at the end time, or nothing can
 * happen any more, or the step limit was reached), or a negative error.
 */
PS_EXTERN int ps_scenario_step(ps_scenario_run_t *run, int *done);

/*
 * What the i-th entry of "events" did: *fired becomes 1 once it has run,
 * and *result is what the call returned then (a pid, 0, or a negative
 * PS_E* code: a spawn's is the error of the call that failed; also
 * PS_ESRCH when a process it names could not be found or an address not
 * resolved, PS_EINVARIANT when a `check` found an invariant broken).
 * PS_EINVAL for a NULL run or i out of range.
 */
PS_EXTERN int ps_scenario_action_result(const ps_scenario_run_t *run, size_t i, int *fired,
                                        int32_t *result);

/*
 * Evaluate the expectations at the end and the invariants.  Returns 0 when
 * all held, 1 when one failed (the report says which).  Idempotent.
 */
PS_EXTERN int ps_scenario_finish(ps_scenario_run_t *run);

/*
 * Write the report: nothing when everything held; otherwise, first the
 * command that replays the run (prog is the command's name, "procsim"),
 * then for each failure the expectation, its JSON path, the virtual time,
 * what was seen instead and the trace around it.  PS_EIO on a write error.
 */
PS_EXTERN int ps_scenario_report(ps_scenario_run_t *run, FILE *fp, const char *prog);

/* The command line that replays this run, without a trailing newline. */
PS_EXTERN const char *ps_scenario_replay_command(ps_scenario_run_t *run, const char *prog);

/* Expectations held and failed so far (after finish: all of them). */
PS_EXTERN int ps_scenario_counts(const ps_scenario_run_t *run, uint32_t *passed,
                                 uint32_t *failed);

/* The trace hash (procsim/trace.h) of every event so far, and their count. */
PS_EXTERN uint64_t ps_scenario_trace_hash(const ps_scenario_run_t *run);
PS_EXTERN uint64_t ps_scenario_events(const ps_scenario_run_t *run);

/*
 * The name the scenario knows pid by (a process's "name", a fork event's
 * "name", the last `tag`), or NULL.  A ps_trace_namer: arg is the run.
 */
PS_EXTERN const char *ps_scenario_pid_name(void *run, int32_t pid);

/*
 * Resolve a process reference as scenarios write it ("job", "#12", "12",
 * "init") to the pids that carried that name, in the order they got it.
 * PS_ESRCH when nothing carries it, PS_ERANGE when cap is too small
 * (*count says how many there are).
 */
PS_EXTERN int ps_scenario_resolve(const ps_scenario_run_t *run, const char *ref, int32_t *pids,
                                  size_t cap, size_t *count);

PS_EXTERN void ps_scenario_run_free(ps_scenario_run_t *run);

/*
 * Parse a duration: "250", "250ns", "1.5us", "2ms", "3s" -> nanoseconds.
 * PS_EINVAL for anything else, PS_ERANGE when it overflows.
 */
PS_EXTERN int ps_parse_time(const char *text, uint64_t *ns);

#ifdef __cplusplus
}
#endif

#endif /* PROCSIM_SCENARIO_H */
