/*
 * Helpers shared by the unit tests: a simulator fixture that checks every
 * invariant after each operation, and an event recorder.
 */
#ifndef PROCSIM_TESTLIB_H
#define PROCSIM_TESTLIB_H

#include <check.h>
#include <stddef.h>

#include <procsim/procsim.h>

#define EVLOG_MAX 4096

struct evlog {
	size_t n;
	struct ps_event ev[EVLOG_MAX];
};

/* A fresh simulator with check_every_op on; the event log records into
 * t_events.  t_new_sim() with a config of the caller's. */
extern ps_sim_t *t_sim;
extern struct evlog t_events;
void t_setup(void);
void t_setup_dragonfly(void);
void t_teardown(void);
ps_sim_t *t_new_sim(const struct ps_config *cfg);
/* The fixture's configuration: defaults, check_every_op and strict witness. */
struct ps_config t_config(void);
/* Replace t_sim by a simulator with config c. */
void t_replace_sim(const struct ps_config *c);

/* Abort the test unless every invariant holds (with the report). */
void t_check(ps_sim_t *sim);

/* Fork from parent; fails the test on error. */
int32_t t_fork(ps_sim_t *sim, int32_t parent);
/* A login shell: forked from init, setsid(). */
int32_t t_session(ps_sim_t *sim);

/* A zombie child of a new session leader; *parent (may be NULL) gets the leader. */
int32_t t_zombie(int32_t *parent);

/* Events of a type (and optionally pid/sig, 0 for any) in the log. */
size_t t_count(int type, int32_t pid, int sig);
/* Index of the first matching event at or after from, or -1. */
long t_find(size_t from, int type, int32_t pid, int sig);
void t_clear_events(void);
int32_t t_jobc(ps_sim_t *sim, int32_t pgid);
int t_state(ps_sim_t *sim, int32_t pid);   /* PS_PRS_*, or -1 once reaped. */
uint32_t t_flags(ps_sim_t *sim, int32_t pid);

/* Shorthands on t_sim that fail the test when the call fails. */
int32_t t_fork_of(int32_t parent);
struct ps_proc_info t_pinfo(int32_t pid);
struct ps_session_info t_sess(int32_t sid);
struct ps_sysret t_sysret(int32_t pid);
void t_set_action(int32_t pid, int sig, uint64_t handler, uint32_t flags);
void t_setpgid_ok(int32_t caller, int32_t pid, int32_t pgid);

/* Run a suite under ctest: returns the process exit code. */
int t_run(Suite *s);

#endif
