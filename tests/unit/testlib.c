#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ps_sim_t *t_sim;
struct evlog t_events;

static void
record(const struct ps_event *ev, void *arg)
{
	struct evlog *log = arg;

	if (log->n < EVLOG_MAX)
		log->ev[log->n] = *ev;
	log->ev[log->n < EVLOG_MAX ? log->n : EVLOG_MAX - 1].detail = NULL;
	log->n++;
}

ps_sim_t *
t_new_sim(const struct ps_config *cfg)
{
	ps_sim_t *sim = NULL;

	ck_assert_int_eq(ps_sim_new(cfg, &sim), 0);
	t_events.n = 0;
	ck_assert_int_eq(ps_sim_set_event_cb(sim, record, &t_events), 0);
	return sim;
}

struct ps_config
t_config(void)
{
	struct ps_config cfg;

	ps_config_init(&cfg);
	cfg.check_every_op = 1;
	cfg.witness_strict = 1;
	if (getenv("PROCSIM_TEST_CHECK") != NULL && strcmp(getenv("PROCSIM_TEST_CHECK"), "incremental") == 0)
		cfg.check_mode = PS_CHECK_INCREMENTAL;
	return cfg;
}

void
t_replace_sim(const struct ps_config *c)
{
	ps_sim_free(t_sim);
	t_sim = t_new_sim(c);
}

static void
setup_with(int algo)
{
	struct ps_config cfg = t_config();

	cfg.jobc_algo = (uint8_t)algo;
	t_sim = t_new_sim(&cfg);
}

void
t_setup(void)
{
	setup_with(PS_JOBC_FREEBSD);
}

void
t_setup_dragonfly(void)
{
	setup_with(PS_JOBC_DRAGONFLY);
}

void
t_teardown(void)
{
	if (t_sim != NULL) {
		t_check(t_sim);
		ck_assert_uint_eq(ps_sim_lock_reversals(t_sim), 0);
	}
	ps_sim_free(t_sim);
	t_sim = NULL;
}

void
t_check(ps_sim_t *sim)
{
	struct ps_check_report rep;
	int rc = ps_sim_check(sim, &rep);

	ck_assert_msg(rc == 0, "invariant %s broken: %s", rep.invariant, rep.message);
}

int32_t
t_fork(ps_sim_t *sim, int32_t parent)
{
	int32_t child = -1;
	int rc = ps_fork(sim, parent, &child);

	ck_assert_msg(rc == 0, "fork from %d: %s", parent, ps_err_name(rc));
	return child;
}

int32_t
t_session(ps_sim_t *sim)
{
	int32_t sh = t_fork(sim, 1);

	ck_assert_int_eq(ps_setsid(sim, sh), sh);
	return sh;
}

int32_t
t_zombie(int32_t *parent)
{
	int32_t sh = t_session(t_sim);
	int32_t z = t_fork(t_sim, sh);

	ck_assert_int_eq(ps_exit(t_sim, z, 0), 0);
	ck_assert_int_eq(t_state(t_sim, z), PS_PRS_ZOMBIE);
	if (parent != NULL)
		*parent = sh;
	return z;
}

size_t
t_count(int type, int32_t pid, int sig)
{
	size_t n = 0;

	for (size_t i = 0; i < t_events.n && i < EVLOG_MAX; i++) {
		const struct ps_event *e = &t_events.ev[i];
		if ((int)e->type == type && (pid == 0 || e->pid == pid) && (sig == 0 || e->sig == sig))
			n++;
	}
	return n;
}

long
t_find(size_t from, int type, int32_t pid, int sig)
{
	for (size_t i = from; i < t_events.n && i < EVLOG_MAX; i++) {
		const struct ps_event *e = &t_events.ev[i];
		if ((int)e->type == type && (pid == 0 || e->pid == pid) && (sig == 0 || e->sig == sig))
			return (long)i;
	}
	return -1;
}

void
t_clear_events(void)
{
	t_events.n = 0;
}

int32_t
t_jobc(ps_sim_t *sim, int32_t pgid)
{
	struct ps_pgrp_info gi;

	ck_assert_int_eq(ps_pgrp_info(sim, pgid, &gi), 0);
	return gi.pg_jobc;
}

int
t_state(ps_sim_t *sim, int32_t pid)
{
	struct ps_proc_info pi;

	if (ps_proc_info(sim, pid, &pi) != 0)
		return -1;
	return pi.state;
}

uint32_t
t_flags(ps_sim_t *sim, int32_t pid)
{
	struct ps_proc_info pi;

	ck_assert_int_eq(ps_proc_info(sim, pid, &pi), 0);
	return pi.flags;
}

int
t_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

int32_t
t_fork_of(int32_t parent)
{
	return t_fork(t_sim, parent);
}

struct ps_proc_info
t_pinfo(int32_t pid)
{
	struct ps_proc_info pi;

	ck_assert_msg(ps_proc_info(t_sim, pid, &pi) == 0, "pid %d not found", pid);
	return pi;
}

struct ps_session_info
t_sess(int32_t sid)
{
	struct ps_session_info si;

	ck_assert_msg(ps_session_info(t_sim, sid, &si) == 0, "session %d not found", sid);
	return si;
}

struct ps_sysret
t_sysret(int32_t pid)
{
	struct ps_sysret r;

	ck_assert_msg(ps_sysret(t_sim, pid, &r) == 0, "no call state for pid %d", pid);
	return r;
}

void
t_set_action(int32_t pid, int sig, uint64_t handler, uint32_t flags)
{
	struct ps_sigaction sa = {.handler = handler, .flags = flags};
	int rc = ps_sigaction(t_sim, pid, sig, &sa, NULL);

	ck_assert_msg(rc == 0, "sigaction(%s) for %d: %s", ps_signal_name(sig), pid,
	              ps_err_name(rc));
}

void
t_setpgid_ok(int32_t caller, int32_t pid, int32_t pgid)
{
	int rc = ps_setpgid(t_sim, caller, pid, pgid);

	ck_assert_msg(rc == 0, "setpgid(%d, %d) by %d: %s", pid, pgid, caller, ps_err_name(rc));
}
