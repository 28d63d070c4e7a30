/*
 * Exit-time behaviour and signals (spec-kern_exit.md §9 scenarios 23 to 42,
 * with §2.3/§2.4, §3.4, §5.2, §6.5, §8 (a) and (b), §10, §11; and the
 * signal layer of kern_sig.c the exit and wait paths depend on [ext]).
 *
 * Scenario tests are named s<N>_...; signal-layer tests sig_...  Trees are
 * built through the public API; internal_api.h is used for a debugger
 * attach (scenario 37) and, in scenario 26, to put a session in a state the
 * API cannot reach (terminal vnode gone, leader alive).  The fixture runs
 * the invariant checker after every operation, so every return value is
 * asserted.
 *
 * Session-leader exit follows the newer killjobc of kern_proc.c (spec
 * §6.5), the simulator's default: the foreground group's SIGHUP depends on
 * the terminal still belonging to the session, not on s_ttyvp.
 *
 * Not tested here, and why:
 *   - scenario 28 (EFAULT from a bad status pointer): the object level has
 *     no user memory; instead s28 checks that nothing is written where the
 *     2008 kernel copies out memory it never wrote (§5.1, §11.2);
 *   - scenario 40 (two threads racing into exit): needs the CPU scheduler;
 *     s40 checks what exists (threads, one residual thread, the caller's
 *     status);
 *   - scenario 41 (pipe EOF before the zombie) and 42 (kqueue NOTE_EXIT):
 *     no pipes and no kqueue at the object level.
 */
#include "testlib.h"

#include <stdio.h>
#include <string.h>

#include "kern/internal_api.h"
#include "kern/kern.h"

#define SIGBIT(s) (1u << ((s) - 1))
#define HANDLER_ADDR 0x1000u

/* ====================================================================== */
/* An event recorder that keeps the detail strings                        */
/* ====================================================================== */

#define DETAIL_MAX 64
static char ev_detail[EVLOG_MAX][DETAIL_MAX];

static void
record_with_detail(const struct ps_event *ev, void *arg)
{
	size_t i = t_events.n < EVLOG_MAX ? t_events.n : EVLOG_MAX - 1;

	(void)arg;
	t_events.ev[i] = *ev;
	t_events.ev[i].detail = NULL;
	ev_detail[i][0] = '\0';
	if (ev->detail != NULL)
		snprintf(ev_detail[i], DETAIL_MAX, "%s", ev->detail);
	t_events.n++;
}

static void
s_setup(void)
{
	t_setup();
	ck_assert_int_eq(ps_sim_set_event_cb(t_sim, record_with_detail, NULL), 0);
}

static void
s_replace(const struct ps_config *cfg)
{
	t_replace_sim(cfg);
	ck_assert_int_eq(ps_sim_set_event_cb(t_sim, record_with_detail, NULL), 0);
}

/* For debugging: the log as text. */
static void __attribute__((unused))
dump_events(void)
{
	char line[256];

	for (size_t i = 0; i < t_events.n && i < EVLOG_MAX; i++) {
		struct ps_event e = t_events.ev[i];

		e.detail = ev_detail[i][0] != '\0' ? ev_detail[i] : NULL;
		ps_event_format(&e, line, sizeof(line));
		fprintf(stderr, "%s\n", line);
	}
}

/* Index of the first event at or after from matching type, pid, sig, pid2
 * (0 for pid/sig: any; pid2 < 0: any) and detail (NULL: any), or -1. */
static long
find_ev(size_t from, int type, int32_t pid, int sig, int32_t pid2, const char *detail)
{
	for (size_t i = from; i < t_events.n && i < EVLOG_MAX; i++) {
		const struct ps_event *e = &t_events.ev[i];

		if ((int)e->type != type || (pid != 0 && e->pid != pid) || (sig != 0 && e->sig != sig))
			continue;
		if (pid2 >= 0 && e->pid2 != pid2)
			continue;
		if (detail != NULL && strcmp(ev_detail[i], detail) != 0)
			continue;
		return (long)i;
	}
	return -1;
}

static size_t
count_ev(int type, int32_t pid, int sig, int32_t pid2, const char *detail)
{
	size_t n = 0;
	long i = -1;

	while ((i = find_ev((size_t)(i + 1), type, pid, sig, pid2, detail)) >= 0)
		n++;
	return n;
}

/* Index of the first group event (JOBC, ORPHANED) about pgid, or -1. */
static long
find_pg(size_t from, int type, int32_t pgid, int32_t value)
{
	for (size_t i = from; i < t_events.n && i < EVLOG_MAX; i++)
		if ((int)t_events.ev[i].type == type && t_events.ev[i].pgid == pgid &&
		    t_events.ev[i].value == value)
			return (long)i;
	return -1;
}

struct pv {
	int32_t a;
	int32_t b;
};

/* Every SIGHUP and SIGCONT the kernel posted (pid2 0), as (pid, sig). */
static void
assert_kernel_hupcont(const struct pv *exp, size_t nexp)
{
	size_t n = 0;

	for (size_t i = 0; i < t_events.n && i < EVLOG_MAX; i++) {
		const struct ps_event *e = &t_events.ev[i];

		if ((int)e->type != PS_EV_SIGNAL_SEND || (e->sig != PS_SIGHUP && e->sig != PS_SIGCONT))
			continue;
		ck_assert_msg(e->pid2 == 0, "%s to %d sent by %d, not the kernel",
		              ps_signal_name(e->sig), e->pid, e->pid2);
		ck_assert_msg(n < nexp, "extra %s to %d", ps_signal_name(e->sig), e->pid);
		ck_assert_msg(e->pid == exp[n].a && e->sig == exp[n].b,
		              "HUP/CONT #%zu: %s to %d, expected %s to %d", n, ps_signal_name(e->sig),
		              e->pid, ps_signal_name(exp[n].b), exp[n].a);
		n++;
	}
	ck_assert_msg(n == nexp, "%zu HUP/CONT posted, expected %zu", n, nexp);
}

/* Index of the last kernel-posted SIGHUP/SIGCONT, or -1. */
static long
last_kernel_hupcont(void)
{
	long last = -1;

	for (size_t i = 0; i < t_events.n && i < EVLOG_MAX; i++) {
		const struct ps_event *e = &t_events.ev[i];
		if ((int)e->type == PS_EV_SIGNAL_SEND && e->pid2 == 0 &&
		    (e->sig == PS_SIGHUP || e->sig == PS_SIGCONT))
			last = (long)i;
	}
	return last;
}

/* ====================================================================== */
/* Small helpers                                                            */
/* ====================================================================== */

static const struct ps_event *
ev_at(long i)
{
	ck_assert_msg(i >= 0 && (size_t)i < t_events.n && i < EVLOG_MAX, "no such event (%ld)", i);
	return &t_events.ev[i];
}

static void
catch_sig(int32_t pid, int sig, uint32_t flags)
{
	t_set_action(pid, sig, HANDLER_ADDR, flags);
}

static void
mask_op(int32_t pid, int how, uint32_t set)
{
	int rc = ps_sigprocmask(t_sim, pid, how, set, NULL);

	ck_assert_msg(rc == 0, "sigprocmask(%d, %#x) for %d: %s", how, set, pid, ps_err_name(rc));
}

/* pid catches SIGCHLD (flags) and blocks it: records stay queued. */
static void
hold_sigchld(int32_t pid, uint32_t flags)
{
	catch_sig(pid, PS_SIGCHLD, flags);
	mask_op(pid, 1, SIGBIT(PS_SIGCHLD));
}

static void
kill_ok(int32_t caller, int32_t pid, int sig)
{
	int rc = ps_kill(t_sim, caller, pid, sig);

	ck_assert_msg(rc == 0, "kill(%d, %s) by %d: %s", pid, ps_signal_name(sig), caller,
	              ps_err_name(rc));
}

static void
exit_ok(int32_t pid, int status)
{
	int rc = ps_exit(t_sim, pid, status);

	ck_assert_msg(rc == 0, "exit of %d: %s", pid, ps_err_name(rc));
}

static int
is_stopped(int32_t pid)
{
	return (t_flags(t_sim, pid) & PS_P_STOPPED_SIG) != 0;
}

static void
assert_asleep(int32_t pid, const char *wmesg)
{
	struct ps_sysret r = t_sysret(pid);

	ck_assert_msg(r.state == PS_SYSST_SLEEPING, "pid %d: call state %d, not asleep", pid,
	              r.state);
	ck_assert_str_eq(r.wmesg, wmesg);
}

/* The last sleepable call of pid completed with retval (and status). */
static struct ps_sysret
assert_done(int32_t pid, int64_t retval)
{
	struct ps_sysret r = t_sysret(pid);

	ck_assert_msg(r.state == PS_SYSST_DONE, "pid %d: call state %d, not done", pid, r.state);
	ck_assert_msg(r.retval == retval, "pid %d: call returned %lld (%s), expected %lld (%s)", pid,
	              (long long)r.retval, ps_err_name((int)r.retval), (long long)retval,
	              ps_err_name((int)retval));
	return r;
}

/* The siginfo records queued at pid. */
static size_t
sigq(int32_t pid, struct ps_siginfo *buf, size_t cap)
{
	size_t n = 0;

	ck_assert_int_eq(ps_sigqueue(t_sim, pid, buf, cap, &n), 0);
	return n;
}

/* Exactly one record queued at pid, with these fields. */
static void
assert_one_record(int32_t pid, int signo, int code, int32_t from, int32_t status)
{
	struct ps_siginfo si[8];
	size_t n = sigq(pid, si, 8);

	ck_assert_msg(n == 1, "pid %d: %zu siginfo records queued, expected 1", pid, n);
	ck_assert_int_eq(si[0].signo, signo);
	ck_assert_msg(si[0].code == code, "pid %d: record code %d, expected %d", pid, si[0].code,
	              code);
	ck_assert_int_eq(si[0].pid, from);
	ck_assert_msg(si[0].status == status, "pid %d: record status %#x, expected %#x", pid,
	              si[0].status, status);
	ck_assert_uint_ne(t_pinfo(pid).siglist & SIGBIT(signo), 0);
}

static int32_t
new_tty(const char *name)
{
	int32_t dev = -1;

	ck_assert_int_eq(ps_tty_new(t_sim, name, &dev), 0);
	return dev;
}

/* A child of parent in a group of its own (so that group is not orphaned
 * when parent's group is in the same session). */
static int32_t
job_of(int32_t parent)
{
	int32_t c = t_fork_of(parent);

	t_setpgid_ok(parent, c, c);
	return c;
}

/* ====================================================================== */
/* Scenarios 23-27: job control at exit                                    */
/* ====================================================================== */

/*
 * §9 scenario 23, §8 (a), §2.4 items 3 and 8, §11.13: P (own group, child
 * of the leader S) exits while its child C's group {C, D} has C stopped.
 * fixjobc orphans C's group: C gets SIGHUP then SIGCONT, then D gets
 * SIGHUP then SIGCONT, all before S's SIGCHLD for P.  C is continued while
 * its parent is still P (the continue notice to the dying P is lost), then
 * C goes to init.  C and D die of the SIGHUP and init reaps both with
 * status 1.
 */
START_TEST(s23_example_a_parent_exit_hangs_up_stopped_group)
{
	int32_t s = t_session(t_sim), p, c, d;
	int st = -1;
	long cont_c, rep_c, chld_s, del_c;

	hold_sigchld(s, 0);
	p = job_of(s);
	c = t_fork_of(p);
	t_setpgid_ok(c, 0, 0); /* C runs setpgid(0, 0) */
	d = t_fork_of(c);
	ck_assert_int_eq(t_jobc(t_sim, p), 1);
	ck_assert_int_eq(t_jobc(t_sim, c), 1);
	kill_ok(p, c, PS_SIGSTOP);
	ck_assert(is_stopped(c));
	/* P inherited S's caught, blocked SIGCHLD: C's stop notice waits there. */
	assert_one_record(p, PS_SIGCHLD, PS_CLD_STOPPED, c, PS_SIGSTOP);
	{
		int32_t m[4];
		size_t n = 0;
		ck_assert_int_eq(ps_pgrp_members(t_sim, c, m, 4, &n), 0);
		ck_assert_uint_eq(n, 2);
		ck_assert_int_eq(m[0], c);
		ck_assert_int_eq(m[1], d);
	}
	t_clear_events();
	exit_ok(p, 0);

	/* Observable order: C: HUP, CONT; D: HUP, CONT (pairs per member). */
	{
		struct pv exp[] = {{c, PS_SIGHUP}, {c, PS_SIGCONT}, {d, PS_SIGHUP}, {d, PS_SIGCONT}};
		assert_kernel_hupcont(exp, 4);
	}
	/* C continued while P was still its parent; then C went to init. */
	cont_c = find_ev(0, PS_EV_CONTINUE, c, PS_SIGCONT, -1, NULL);
	rep_c = find_ev(0, PS_EV_REPARENT, c, 0, 1, NULL);
	ck_assert_int_ge(cont_c, 0);
	ck_assert_int_gt(rep_c, cont_c);
	/* Its CLD_CONTINUED notice (C's record, still queued at P from the
	 * stop) is lost with P: init is told nothing about the continue, only
	 * about C's exit, and gets no record. */
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, 1, PS_SIGCHLD, c, NULL), 1);
	ck_assert_int_gt(find_ev(0, PS_EV_SIGNAL_SEND, 1, PS_SIGCHLD, c, NULL),
	                 find_ev(0, PS_EV_EXIT, c, 0, -1, NULL));
	ck_assert_uint_eq(sigq(1, NULL, 0), 0);
	ck_assert_uint_eq(sigq(p, NULL, 0), 0);
	ck_assert_uint_eq(t_pinfo(p).siglist, 0); /* E32: the zombie's queue is flushed */
	/* D stays C's child until C exits. */
	ck_assert_int_gt(find_ev(0, PS_EV_REPARENT, d, 0, 1, NULL),
	                 find_ev(0, PS_EV_SIGNAL_DELIVER, c, PS_SIGHUP, -1, "terminate"));
	/* S's SIGCHLD for P comes after every HUP/CONT, with CLD_EXITED. */
	chld_s = find_ev(0, PS_EV_SIGNAL_SEND, s, PS_SIGCHLD, p, NULL);
	ck_assert_int_gt(chld_s, last_kernel_hupcont());
	ck_assert_int_gt(chld_s, rep_c);
	assert_one_record(s, PS_SIGCHLD, PS_CLD_EXITED, p, 0);
	/* C's SIGHUP was held while stopped: acted on after the continue. */
	del_c = find_ev(0, PS_EV_SIGNAL_DELIVER, c, PS_SIGHUP, -1, "terminate");
	ck_assert_int_gt(del_c, cont_c);
	/* Both died of SIGHUP and init reaped them with status 1. */
	{
		long rc_ = find_ev(0, PS_EV_REAP, c, 0, 1, NULL);
		long rd = find_ev(0, PS_EV_REAP, d, 0, 1, NULL);
		ck_assert_int_ge(rc_, 0);
		ck_assert_int_ge(rd, 0);
		ck_assert_int_eq(ev_at(rc_)->value, 1);
		ck_assert_int_eq(ev_at(rd)->value, 1);
	}
	ck_assert_int_eq(t_state(t_sim, c), -1);
	ck_assert_int_eq(t_state(t_sim, d), -1);
	/* P is S's zombie with status 0. */
	ck_assert_int_eq(t_state(t_sim, p), PS_PRS_ZOMBIE);
	ck_assert_int_eq(ps_wait4(t_sim, s, p, 0, &st, NULL), p);
	ck_assert_int_eq(st, 0);
	ck_assert_uint_eq(sigq(s, NULL, 0), 0);
}
END_TEST

/* §9 scenario 24: as (a) but C running.  jobc(C) goes 1 -> 0, orphanpg
 * finds nobody stopped: no SIGHUP or SIGCONT to anyone. */
START_TEST(s24_example_a_running_no_hangup)
{
	int32_t s = t_session(t_sim), p, c, d;

	p = job_of(s);
	c = t_fork_of(p);
	t_setpgid_ok(c, 0, 0);
	d = t_fork_of(c);
	t_clear_events();
	exit_ok(p, 0);
	ck_assert_int_ge(find_pg(0, PS_EV_JOBC, c, 0), 0);
	ck_assert_int_ge(find_pg(0, PS_EV_ORPHANED, c, 0), 0);
	ck_assert_int_eq(find_pg(0, PS_EV_ORPHANED, c, 1), -1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, 0, PS_SIGHUP, -1, NULL), 0);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, 0, PS_SIGCONT, -1, NULL), 0);
	ck_assert_int_eq(t_jobc(t_sim, c), 0);
	ck_assert_int_eq(t_pinfo(c).state, PS_PRS_NORMAL);
	ck_assert_int_eq(t_pinfo(c).pptr, 1);
	ck_assert_int_eq(t_pinfo(d).state, PS_PRS_NORMAL);
	ck_assert_int_eq(t_pinfo(d).pptr, c);
	ck_assert_int_eq(t_pinfo(d).orphaned, 1);
}
END_TEST

/*
 * §9 scenario 25, §8 (b), §2.3, §6.5: session leader L (parent sshd in
 * another session) exits with its terminal, foreground job {A, A2} and
 * background job B stopped.  SIGHUP to A and A2 only, the vnode revoked,
 * then fixjobc in child-list order: B (newest) gets SIGHUP then SIGCONT;
 * A's group is orphaned with nobody stopped.  A and B go to init, sshd
 * gets SIGCHLD (CLD_EXITED, 0).  The session keeps s_ttyp, loses s_ttyvp
 * and s_leader.  Everyone catches SIGHUP here so the end state can be
 * inspected; later terminal stops are discarded for the orphaned groups.
 */
START_TEST(s25_example_b_leader_exit_with_terminal)
{
	int32_t sshd = t_session(t_sim), l, a, a2, b, tty;
	long rev, hup_b, rep_b, rep_a, chld;
	struct ps_session_info si;
	struct ps_proc_info pb;

	hold_sigchld(sshd, 0);
	l = t_fork_of(sshd);
	ck_assert_int_eq(ps_setsid(t_sim, l), l);
	tty = new_tty("ttyv0");
	ck_assert_int_eq(ps_tiocsctty(t_sim, l, tty), 0);
	catch_sig(l, PS_SIGHUP, 0); /* inherited by A, A2 and B */
	a = job_of(l);
	a2 = t_fork_of(a);
	b = job_of(l);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, l, tty, a), 0);
	kill_ok(l, b, PS_SIGTSTP);
	ck_assert(is_stopped(b));
	ck_assert_uint_ne(t_flags(t_sim, a) & PS_P_CONTROLT, 0);
	ck_assert_uint_ne(t_flags(t_sim, a2) & PS_P_CONTROLT, 0);
	ck_assert_uint_ne(t_flags(t_sim, b) & PS_P_CONTROLT, 0);
	ck_assert_int_eq(t_jobc(t_sim, a), 1);
	ck_assert_int_eq(t_jobc(t_sim, b), 1);
	ck_assert_int_eq(t_jobc(t_sim, l), 0);

	t_clear_events();
	exit_ok(l, 0);
	{
		struct pv exp[] = {{a, PS_SIGHUP}, {a2, PS_SIGHUP}, {b, PS_SIGHUP}, {b, PS_SIGCONT}};
		assert_kernel_hupcont(exp, 4);
	}
	rev = find_ev(0, PS_EV_REVOKE, 0, 0, -1, NULL);
	hup_b = find_ev(0, PS_EV_SIGNAL_SEND, b, PS_SIGHUP, 0, NULL);
	ck_assert_int_ge(rev, 0);
	ck_assert_int_eq(ev_at(rev)->value, tty);
	ck_assert_uint_eq(count_ev(PS_EV_REVOKE, 0, 0, -1, NULL), 1);
	ck_assert_int_gt(rev, find_ev(0, PS_EV_SIGNAL_SEND, a2, PS_SIGHUP, 0, NULL));
	ck_assert_int_gt(hup_b, rev);
	/* fixjobc: B's group first (orphaned, stopped member), then A's. */
	ck_assert_int_ge(find_pg(0, PS_EV_ORPHANED, b, 1), 0);
	ck_assert_int_gt(find_pg(0, PS_EV_ORPHANED, a, 0), find_pg(0, PS_EV_ORPHANED, b, 1));
	/* E26: B then A to init; E30: sshd's SIGCHLD last. */
	rep_b = find_ev(0, PS_EV_REPARENT, b, 0, 1, NULL);
	rep_a = find_ev(0, PS_EV_REPARENT, a, 0, 1, NULL);
	ck_assert_int_gt(rep_b, hup_b);
	ck_assert_int_gt(rep_a, rep_b);
	chld = find_ev(0, PS_EV_SIGNAL_SEND, sshd, PS_SIGCHLD, l, NULL);
	ck_assert_int_gt(chld, rep_a);
	assert_one_record(sshd, PS_SIGCHLD, PS_CLD_EXITED, l, 0);
	/* A and A2: exactly one SIGHUP, no SIGCONT. */
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, a, PS_SIGHUP, -1, NULL), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, a2, PS_SIGHUP, -1, NULL), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, a, PS_SIGCONT, -1, NULL), 0);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, a2, PS_SIGCONT, -1, NULL), 0);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, a, PS_SIGHUP, -1, "handler"), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, a2, PS_SIGHUP, -1, "handler"), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, b, PS_SIGHUP, -1, "handler"), 1);

	si = t_sess(l);
	ck_assert_int_eq(si.leader, 0);
	ck_assert_int_eq(si.tty_vnode, 0);
	ck_assert_int_eq(si.tty, tty);
	ck_assert_int_eq(t_pinfo(a).pptr, 1);
	ck_assert_int_eq(t_pinfo(b).pptr, 1);
	ck_assert_int_eq(t_pinfo(a2).pptr, a);
	ck_assert_int_eq(t_jobc(t_sim, a), 0);
	ck_assert_int_eq(t_jobc(t_sim, b), 0);
	pb = t_pinfo(b);
	ck_assert_uint_eq(pb.flags & PS_P_STOPPED_SIG, 0);
	ck_assert_uint_ne(pb.flags & PS_P_CONTINUED, 0);

	/* Later terminal stop signals with the default action are discarded. */
	t_clear_events();
	kill_ok(sshd, -a, PS_SIGTSTP);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DISCARD, a, PS_SIGTSTP, -1, NULL), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DISCARD, a2, PS_SIGTSTP, -1, NULL), 1);
	ck_assert(!is_stopped(a));
	ck_assert(!is_stopped(a2));
	ck_assert_uint_eq(count_ev(PS_EV_STOP, 0, 0, -1, NULL), 0);
}
END_TEST

/*
 * §9 scenario 26, §2.3 step 1, §6.5 items 3 and 5.  Part 1: a session
 * leader without a terminal exits: no SIGHUP, s_leader cleared, fixjobc
 * still runs.  Part 2: the leader's session has s_ttyp with a foreground
 * group but no s_ttyvp (the API cannot build this; the vnode reference is
 * dropped by hand).  The 2008 kernel sends no SIGHUP; the newer killjobc,
 * which is the default here, sends it whenever the terminal still belongs
 * to the session, and revokes nothing since no vnode was recorded.
 */
START_TEST(s26_leader_exit_without_tty_vnode)
{
	int32_t l, a, l2, a2, tty;
	struct ps_session_info si;

	/* Part 1: no terminal at all. */
	l = t_session(t_sim);
	a = job_of(l);
	ck_assert_int_eq(t_jobc(t_sim, a), 1);
	t_clear_events();
	exit_ok(l, 0);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, 0, PS_SIGHUP, -1, NULL), 0);
	ck_assert_uint_eq(count_ev(PS_EV_REVOKE, 0, 0, -1, NULL), 0);
	ck_assert_int_ge(find_pg(0, PS_EV_JOBC, a, 0), 0);
	si = t_sess(l);
	ck_assert_int_eq(si.leader, 0);
	ck_assert_int_eq(si.tty, -1);
	ck_assert_int_eq(t_jobc(t_sim, a), 0);
	ck_assert_int_eq(t_pinfo(a).state, PS_PRS_NORMAL);

	/* Part 2: s_ttyp and a foreground group, s_ttyvp gone. */
	l2 = t_session(t_sim);
	tty = new_tty("ttyv1");
	ck_assert_int_eq(ps_tiocsctty(t_sim, l2, tty), 0);
	a2 = job_of(l2);
	catch_sig(a2, PS_SIGHUP, 0);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, l2, tty, a2), 0);
	{
		struct kernel *k = ps__kernel(t_sim);
		struct proc *lp = pfind_any_nolock(k, l2);
		struct session *sp;

		ck_assert_ptr_nonnull(lp);
		sp = lp->p_session;
		ck_assert_ptr_nonnull(sp->s_ttyvp);
		sp->s_ttyvp->t_vrefs--;
		sp->s_ttyvp = NULL;
		sp->s_ttydp = NULL;
	}
	t_check(t_sim);
	si = t_sess(l2);
	ck_assert_int_eq(si.tty_vnode, 0);
	ck_assert_int_eq(si.tty, tty);
	ck_assert_int_eq(si.tpgid, a2);
	t_clear_events();
	exit_ok(l2, 0);
	/* newer killjobc: the SIGHUP does not depend on s_ttyvp */
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, a2, PS_SIGHUP, 0, NULL), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, 0, PS_SIGCONT, -1, NULL), 0);
	ck_assert_uint_eq(count_ev(PS_EV_REVOKE, 0, 0, -1, NULL), 0);
	ck_assert_int_ge(find_pg(0, PS_EV_JOBC, a2, 0), 0);
	ck_assert_int_gt(find_pg(0, PS_EV_JOBC, a2, 0),
	                 find_ev(0, PS_EV_SIGNAL_SEND, a2, PS_SIGHUP, 0, NULL));
	si = t_sess(l2);
	ck_assert_int_eq(si.leader, 0);
	ck_assert_int_eq(si.tty, tty);
	ck_assert_int_eq(si.tty_vnode, 0);
}
END_TEST

/*
 * §9 scenario 27: a non-leader in the foreground group exits.  First A2
 * (parent in the same group): no signal to anyone, no pg_jobc change.
 * Then A (the group's only qualification): jobc 1 -> 0 with a stopped
 * member A3, so orphanpg's SIGHUP/SIGCONT pairs, but nothing from the
 * terminal path (no SIGHUP without SIGCONT, no revoke, leader and vnode
 * kept).
 */
START_TEST(s27_foreground_non_leader_exit)
{
	int32_t sh = t_session(t_sim), tty, a, a2, a3;
	struct ps_session_info si;

	tty = new_tty("ttyv0");
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, tty), 0);
	a = job_of(sh);
	a2 = t_fork_of(a);
	a3 = t_fork_of(a);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, sh, tty, a), 0);

	t_clear_events();
	exit_ok(a2, 0);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, 0, PS_SIGHUP, -1, NULL), 0);
	ck_assert_uint_eq(count_ev(PS_EV_JOBC, 0, 0, -1, NULL), 0);
	ck_assert_uint_eq(count_ev(PS_EV_REVOKE, 0, 0, -1, NULL), 0);
	ck_assert_int_eq(t_jobc(t_sim, a), 1);

	kill_ok(sh, a3, PS_SIGSTOP);
	t_clear_events();
	exit_ok(a, 0);
	/* orphanpg signals every member in list order (a, a3, a2): the
	 * exiting a and the zombie a2 accept and drop theirs. */
	{
		struct pv exp[] = {{a, PS_SIGHUP},  {a, PS_SIGCONT},  {a3, PS_SIGHUP},
		                   {a3, PS_SIGCONT}, {a2, PS_SIGHUP}, {a2, PS_SIGCONT}};
		assert_kernel_hupcont(exp, 6);
	}
	ck_assert_int_ge(find_pg(0, PS_EV_ORPHANED, a, 1), 0);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, 0, PS_SIGHUP, 0, NULL),
	                  count_ev(PS_EV_SIGNAL_SEND, 0, PS_SIGCONT, 0, NULL));
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, sh, 0, -1, NULL), 1); /* SIGCHLD only */
	ck_assert_uint_eq(count_ev(PS_EV_REVOKE, 0, 0, -1, NULL), 0);
	si = t_sess(sh);
	ck_assert_int_eq(si.leader, sh);
	ck_assert_int_eq(si.tty_vnode, 1);
	ck_assert_int_eq(si.tty, tty);
}
END_TEST

/* ====================================================================== */
/* Scenarios 28-32: wait and signals                                       */
/* ====================================================================== */

/*
 * §9 scenario 28 (object-level substitute), §5.1, §11.2, §3.5: where the
 * 2008 kernel copies out a status or rusage it never wrote, procsim writes
 * nothing: WNOHANG with nothing to report leaves *status and *ru as they
 * were; a stop or continue report writes the status but not *ru; ECHILD
 * and EINVAL write nothing.
 */
START_TEST(s28_wnohang_nothing_leaves_status_untouched)
{
	int32_t s = t_session(t_sim), p = t_fork_of(s), c;
	int st = 0x5a5a5a5a;
	struct ps_rusage ru, sentinel;

	memset(&sentinel, 0xa5, sizeof(sentinel));
	ru = sentinel;
	c = job_of(p); /* a group of its own: SIGTSTP is not discarded */
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, PS_WNOHANG, &st, &ru), 0);
	ck_assert_int_eq(st, 0x5a5a5a5a);
	ck_assert_mem_eq(&ru, &sentinel, sizeof(ru));
	ck_assert_int_eq(ps_wait(t_sim, p, c, PS_WNOHANG, &st), 0);
	ck_assert_int_eq(st, 0x5a5a5a5a);
	ck_assert_int_eq(ps_wait4(t_sim, s, c, PS_WNOHANG, &st, &ru), PS_ECHILD);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, PS_WNOWAIT, &st, &ru), PS_EINVAL);
	ck_assert_int_eq(st, 0x5a5a5a5a);
	ck_assert_mem_eq(&ru, &sentinel, sizeof(ru));
	/* Stop and continue reports: the status, but no usage. */
	kill_ok(p, c, PS_SIGTSTP);
	ck_assert_int_eq(ps_wait4(t_sim, p, c, PS_WUNTRACED, &st, &ru), c);
	ck_assert_int_eq(st, 0x127f);
	ck_assert_mem_eq(&ru, &sentinel, sizeof(ru));
	kill_ok(p, c, PS_SIGCONT);
	ck_assert_int_eq(ps_wait4(t_sim, p, c, PS_WCONTINUED, &st, &ru), c);
	ck_assert_int_eq(st, 0x13);
	ck_assert_mem_eq(&ru, &sentinel, sizeof(ru));
	st = 0x5a5a5a5a;
	ck_assert_int_eq(ps_wait4(t_sim, p, c, PS_WCONTINUED | PS_WNOHANG, &st, &ru), 0);
	ck_assert_int_eq(st, 0x5a5a5a5a);
	/* An exit report writes both. */
	exit_ok(c, 3);
	ck_assert_int_eq(ps_wait4(t_sim, p, c, 0, &st, &ru), c);
	ck_assert_int_eq(st, 0x300);
	ck_assert_int_eq(ru.utime_ns, 0);
}
END_TEST

/*
 * §9 scenario 29, §3.4: P catches SIGUSR1 without SA_RESTART and sleeps in
 * w(-1,0) with a running child: SIGUSR1 wakes it with EINTR and the
 * handler runs.  P2 catches it with SA_RESTART: the handler runs, the call
 * is made again and keeps waiting; the child's exit then completes it.
 * While asleep a process makes no calls (PS_EBUSY).
 */
START_TEST(s29_wait_interrupted_eintr_or_restarted)
{
	int32_t s = t_session(t_sim), p, c, p2, c2;
	int st = -1;
	struct ps_sysret r;

	p = t_fork_of(s);
	catch_sig(p, PS_SIGUSR1, 0);
	c = t_fork_of(p);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, 0, &st, NULL), PS_EINPROGRESS);
	assert_asleep(p, "wait");
	ck_assert_int_eq(ps_kill(t_sim, p, c, PS_SIGTERM), PS_EBUSY);
	ck_assert_int_eq(ps_fork(t_sim, p, &c2), PS_EBUSY);
	t_clear_events();
	kill_ok(s, p, PS_SIGUSR1);
	assert_done(p, PS_EINTR);
	ck_assert_uint_eq(count_ev(PS_EV_WAKEUP, p, 0, -1, "interrupted"), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SYSRET, p, 0, -1, NULL), 1);
	ck_assert_int_eq(ev_at(find_ev(0, PS_EV_SYSRET, p, 0, -1, NULL))->value, PS_EINTR);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, p, PS_SIGUSR1, -1, "handler"), 1);
	ck_assert_int_eq(st, -1);
	ck_assert_int_eq(t_pinfo(c).state, PS_PRS_NORMAL);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, PS_WNOHANG, &st, NULL), 0);

	p2 = t_fork_of(s);
	catch_sig(p2, PS_SIGUSR1, PS_SA_RESTART);
	c2 = t_fork_of(p2);
	ck_assert_int_eq(ps_wait4(t_sim, p2, -1, 0, &st, NULL), PS_EINPROGRESS);
	t_clear_events();
	kill_ok(s, p2, PS_SIGUSR1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, p2, PS_SIGUSR1, -1, "handler"), 1);
	ck_assert_uint_eq(count_ev(PS_EV_WAKEUP, p2, 0, -1, "restart"), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SYSRET, p2, 0, -1, NULL), 0);
	assert_asleep(p2, "wait");
	ck_assert_int_eq(t_sysret(p2).slept, 2);
	ck_assert_int_eq(ps_kill(t_sim, p2, c2, PS_SIGTERM), PS_EBUSY);
	exit_ok(c2, 4);
	r = assert_done(p2, c2);
	ck_assert_int_eq(r.status, 0x400);
	ck_assert_int_eq(t_state(t_sim, c2), -1);
}
END_TEST

/*
 * §3.1 "pid 0 is translated once at entry" and §3.4 "ERESTART makes the
 * syscall layer re-enter wait4 from the top, so the pid 0 translation is
 * done again".  P sleeps in w(0, 0) in group S with child C (group S);
 * S moves P into a group of its own.  Without a signal the old group is
 * still used: C's exit is reported.  P2, likewise moved, is then hit by a
 * SA_RESTART signal: the restarted wait looks for group P2, finds no
 * child in it and returns ECHILD.
 */
START_TEST(s29_restart_retranslates_wait_pid0)
{
	int32_t s = t_session(t_sim), p, c, p2, c2;
	int st = -1;
	struct ps_sysret r;

	p = t_fork_of(s);
	c = t_fork_of(p);
	ck_assert_int_eq(t_pinfo(c).pgid, s);
	ck_assert_int_eq(ps_wait4(t_sim, p, 0, 0, &st, NULL), PS_EINPROGRESS);
	t_setpgid_ok(s, p, p);
	ck_assert_int_eq(t_pinfo(p).pgid, p);
	exit_ok(c, 1);
	r = assert_done(p, c);
	ck_assert_int_eq(r.status, 0x100);

	p2 = t_fork_of(s);
	catch_sig(p2, PS_SIGUSR2, PS_SA_RESTART);
	c2 = t_fork_of(p2);
	ck_assert_int_eq(ps_wait4(t_sim, p2, 0, 0, &st, NULL), PS_EINPROGRESS);
	t_setpgid_ok(s, p2, p2);
	kill_ok(s, p2, PS_SIGUSR2);
	assert_done(p2, PS_ECHILD);
	ck_assert_int_eq(t_pinfo(c2).state, PS_PRS_NORMAL);
}
END_TEST

/*
 * §9 scenario 30, §3.4 "Consequence (MUST reproduce)", §2.4 items 8-9:
 * P catches SIGCHLD without SA_RESTART and sleeps in w(-1,0).  The child's
 * exit posts SIGCHLD (E30) before it wakes P (E33): the wait returns
 * EINTR, the handler runs, and the zombie is there for the next wait.
 * With SA_RESTART the restarted wait reaps the child at once.
 */
START_TEST(s30_sigchld_caught_eintr)
{
	int32_t s = t_session(t_sim), p, c, p2, c2;
	int st = -1;
	long send, wake;
	struct ps_sysret r;

	p = t_fork_of(s);
	catch_sig(p, PS_SIGCHLD, 0);
	c = t_fork_of(p);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, 0, &st, NULL), PS_EINPROGRESS);
	t_clear_events();
	exit_ok(c, 5);
	assert_done(p, PS_EINTR);
	send = find_ev(0, PS_EV_SIGNAL_SEND, p, PS_SIGCHLD, c, NULL);
	wake = find_ev(0, PS_EV_WAKEUP, p, 0, -1, NULL);
	ck_assert_int_ge(send, 0);
	ck_assert_int_gt(wake, send);
	ck_assert_str_eq(ev_detail[wake], "interrupted");
	ck_assert_uint_eq(count_ev(PS_EV_WAKEUP, p, 0, -1, NULL), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, p, PS_SIGCHLD, -1, "handler"), 1);
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_ZOMBIE);
	ck_assert_int_eq(st, -1);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, 0, &st, NULL), c);
	ck_assert_int_eq(st, 0x500);
	ck_assert_int_eq(t_state(t_sim, c), -1);

	p2 = t_fork_of(s);
	catch_sig(p2, PS_SIGCHLD, PS_SA_RESTART);
	c2 = t_fork_of(p2);
	ck_assert_int_eq(ps_wait4(t_sim, p2, -1, 0, &st, NULL), PS_EINPROGRESS);
	t_clear_events();
	exit_ok(c2, 6);
	r = assert_done(p2, c2);
	ck_assert_int_eq(r.status, 0x600);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, p2, PS_SIGCHLD, -1, "handler"), 1);
	ck_assert_int_eq(t_state(t_sim, c2), -1);
}
END_TEST

/*
 * §9 scenario 31, §3.3 Z3: P blocks SIGCHLD (and catches it: a SIGCHLD
 * at its default action is discarded when posted, blocked or not, as in
 * FreeBSD's tdsendsignal).  C's exit leaves SIGCHLD pending with C's
 * record; w(-1,0) reaps C and SIGCHLD stops being pending.  With two
 * records queued, reaping one leaves SIGCHLD pending for the other.
 */
START_TEST(s31_blocked_sigchld_taken_by_wait)
{
	int32_t s = t_session(t_sim), p, c, c1, c2;
	int st = -1;
	struct ps_siginfo si[4];

	p = t_fork_of(s);
	hold_sigchld(p, 0);
	c = t_fork_of(p);
	exit_ok(c, 3);
	assert_one_record(p, PS_SIGCHLD, PS_CLD_EXITED, c, 0x300);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, 0, &st, NULL), c);
	ck_assert_int_eq(st, 0x300);
	ck_assert_uint_eq(t_pinfo(p).siglist & SIGBIT(PS_SIGCHLD), 0);
	ck_assert_uint_eq(sigq(p, NULL, 0), 0);

	c1 = t_fork_of(p);
	c2 = t_fork_of(p);
	exit_ok(c1, 1);
	exit_ok(c2, 2);
	ck_assert_uint_eq(sigq(p, si, 4), 2);
	ck_assert_int_eq(si[0].pid, c1);
	ck_assert_int_eq(si[1].pid, c2);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, 0, &st, NULL), c2); /* newest first */
	ck_assert_uint_ne(t_pinfo(p).siglist & SIGBIT(PS_SIGCHLD), 0);
	assert_one_record(p, PS_SIGCHLD, PS_CLD_EXITED, c1, 0x100);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, 0, &st, NULL), c1);
	ck_assert_uint_eq(t_pinfo(p).siglist & SIGBIT(PS_SIGCHLD), 0);
	ck_assert_uint_eq(sigq(p, NULL, 0), 0);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, p, PS_SIGCHLD, -1, NULL), 0);
}
END_TEST

/*
 * §9 scenario 32, §2.2 E30, §3.3 Z3: a child of init exits.  init gets a
 * plain SIGCHLD with no siginfo record, and reaping does not take it:
 * with init catching and blocking SIGCHLD, it stays pending after the
 * reap.
 */
START_TEST(s32_init_child_plain_sigchld)
{
	int32_t c = t_fork_of(1);
	long send, reap;

	catch_sig(1, PS_SIGCHLD, 0);
	mask_op(1, 1, SIGBIT(PS_SIGCHLD));
	t_clear_events();
	exit_ok(c, 4);
	send = find_ev(0, PS_EV_SIGNAL_SEND, 1, PS_SIGCHLD, c, NULL);
	reap = find_ev(0, PS_EV_REAP, c, 0, 1, NULL);
	ck_assert_int_ge(send, 0);
	ck_assert_int_gt(reap, send);
	ck_assert_int_eq(ev_at(reap)->value, 0x400);
	ck_assert_int_eq(t_state(t_sim, c), -1);
	ck_assert_uint_eq(sigq(1, NULL, 0), 0);
	ck_assert_uint_ne(t_pinfo(1).siglist & SIGBIT(PS_SIGCHLD), 0);
}
END_TEST

/*
 * §9 scenario 33, §2.2 E2, §10 I8: init never exits.  The simulator
 * refuses (PS_EPERM, documented in proc.h) instead of panicking: exit and
 * abort2 by init fail, init is unchanged, no exit is recorded.  A SIGKILL
 * or SIGSTOP sent to init has no default action (issignal's pid <= 1
 * rule).
 */
START_TEST(s33_init_cannot_exit)
{
	int32_t sh = t_session(t_sim);
	uint64_t args[1] = {0};

	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, 1, 0), PS_EPERM);
	ck_assert_int_eq(ps_abort2(t_sim, 1, "x", 1, args), PS_EPERM);
	ck_assert_uint_eq(count_ev(PS_EV_EXIT, 0, 0, -1, NULL), 0);
	kill_ok(sh, 1, PS_SIGKILL);
	kill_ok(sh, 1, PS_SIGSTOP);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DISCARD, 1, PS_SIGKILL, -1, NULL), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DISCARD, 1, PS_SIGSTOP, -1, NULL), 1);
	ck_assert_uint_eq(count_ev(PS_EV_EXIT, 0, 0, -1, NULL), 0);
	ck_assert_int_eq(t_pinfo(1).state, PS_PRS_NORMAL);
	ck_assert_uint_eq(t_pinfo(1).flags & (PS_P_WEXIT | PS_P_STOPPED_SIG), 0);
	ck_assert_int_eq(ps_pfind(t_sim, 1), 0);
}
END_TEST

/*
 * §9 scenario 34, §2.2 E30, §3.1 WLINUXCLONE: C's exit signal is SIGUSR1.
 * P gets SIGUSR1 with no siginfo (caught and blocked here, so it stays
 * pending: its default action would kill P).  w(-1,0) gives ECHILD when C
 * is the only child; w(-1,WLINUXCLONE) reaps it.
 */
START_TEST(s34_linux_clone_exit_signal)
{
	int32_t s = t_session(t_sim), p, c = -1;
	int st = -1;

	p = t_fork_of(s);
	catch_sig(p, PS_SIGUSR1, 0);
	mask_op(p, 1, SIGBIT(PS_SIGUSR1));
	ck_assert_int_eq(ps_fork_exitsig(t_sim, p, PS_SIGUSR1, &c), 0);
	t_clear_events();
	exit_ok(c, 3);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, p, PS_SIGUSR1, c, NULL), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, p, PS_SIGCHLD, -1, NULL), 0);
	ck_assert_uint_ne(t_pinfo(p).siglist & SIGBIT(PS_SIGUSR1), 0);
	ck_assert_uint_eq(sigq(p, NULL, 0), 0);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, 0, &st, NULL), PS_ECHILD);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, PS_WNOHANG, &st, NULL), PS_ECHILD);
	ck_assert_int_eq(ps_wait4(t_sim, p, c, 0, &st, NULL), PS_ECHILD);
	ck_assert_int_eq(st, -1);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, PS_WLINUXCLONE, &st, NULL), c);
	ck_assert_int_eq(st, 0x300);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, PS_WLINUXCLONE, &st, NULL), PS_ECHILD);
	/* The exit signal was plain: still pending after the reap. */
	ck_assert_uint_ne(t_pinfo(p).siglist & SIGBIT(PS_SIGUSR1), 0);
}
END_TEST

/*
 * §9 scenario 35, §2.2 E30/E33: C's exit signal is 0.  P gets no signal
 * but is woken: its blocked w(-1,WLINUXCLONE) returns C.
 */
START_TEST(s35_no_exit_signal_still_wakes)
{
	int32_t s = t_session(t_sim), p, c = -1;
	int st = -1;
	struct ps_sysret r;

	p = t_fork_of(s);
	ck_assert_int_eq(ps_fork_exitsig(t_sim, p, 0, &c), 0);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, PS_WNOHANG, &st, NULL), PS_ECHILD);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, PS_WLINUXCLONE, &st, NULL), PS_EINPROGRESS);
	assert_asleep(p, "wait");
	t_clear_events();
	exit_ok(c, 2);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, p, 0, -1, NULL), 0);
	ck_assert_uint_eq(count_ev(PS_EV_WAKEUP, p, 0, -1, "wait"), 1);
	r = assert_done(p, c);
	ck_assert_int_eq(r.status, 0x200);
	ck_assert_int_eq(t_state(t_sim, c), -1);
}
END_TEST

/*
 * §9 scenario 36, §2.2 E36, §3.3 Z1/Z10, §10 I19: G uses 2.5 s and is
 * reaped by C; C uses 1.25 s.  P's wait4(C, ..., &ru) shows 3.75 s, the
 * larger maxrss, and P's RUSAGE_CHILDREN grows by the same.
 */
START_TEST(s36_rusage_folds_descendants)
{
	int32_t s = t_session(t_sim), p, c, g;
	int st = -1;
	struct ps_rusage dg = {0}, dc = {0}, ru, before, after, self;

	p = t_fork_of(s);
	c = t_fork_of(p);
	g = t_fork_of(c);
	dg.utime_ns = 2000000000;
	dg.stime_ns = 500000000;
	dg.maxrss = 5000;
	dc.utime_ns = 1000000000;
	dc.stime_ns = 250000000;
	dc.maxrss = 3000;
	ck_assert_int_eq(ps_proc_charge(t_sim, g, &dg), 0);
	ck_assert_int_eq(ps_proc_charge(t_sim, c, &dc), 0);
	exit_ok(g, 0);
	ck_assert_int_eq(ps_wait4(t_sim, c, g, 0, &st, &ru), g);
	ck_assert_int_eq(ru.utime_ns, 2000000000);
	ck_assert_int_eq(ps_getrusage(t_sim, c, PS_RUSAGE_CHILDREN, &ru), 0);
	ck_assert_int_eq(ru.utime_ns, 2000000000);
	ck_assert_int_eq(ps_getrusage(t_sim, p, PS_RUSAGE_CHILDREN, &before), 0);
	ck_assert_int_eq(ps_getrusage(t_sim, p, PS_RUSAGE_SELF, &self), 0);
	exit_ok(c, 0);
	ck_assert_int_eq(ps_wait4(t_sim, p, c, 0, &st, &ru), c);
	ck_assert_int_eq(ru.utime_ns, 3000000000);
	ck_assert_int_eq(ru.stime_ns, 750000000);
	ck_assert_int_eq(ru.maxrss, 5000);
	ck_assert_int_eq(ps_getrusage(t_sim, p, PS_RUSAGE_CHILDREN, &after), 0);
	ck_assert_int_eq(after.utime_ns - before.utime_ns, 3000000000);
	ck_assert_int_eq(after.stime_ns - before.stime_ns, 750000000);
	ck_assert_int_eq(after.maxrss, 5000);
	ck_assert_int_eq(ps_getrusage(t_sim, p, PS_RUSAGE_SELF, &ru), 0);
	ck_assert_int_eq(ru.utime_ns, self.utime_ns);
}
END_TEST

/*
 * §9 scenario 37, §3.2 W5 case "Stopped": a tracer sees a traced child's
 * stop without WUNTRACED, as W_STOPCODE(sig).  (a) D attaches to its
 * child T, which stops with SIGSTOP: (T, 0x117f), reported once.  (b) T2
 * traces itself for D (PT_TRACE_ME) and stops on SIGTSTP: w(T2,0) reports
 * (T2, 0x127f) without WUNTRACED.  (Attaching to an already stopped T2
 * would resume it and stop it again with SIGSTOP: spec-sys_process.md S22.)
 */
START_TEST(s37_traced_stop_reported_without_wuntraced)
{
	int32_t s = t_session(t_sim), d, t, t2;
	int st = -1;

	d = t_fork_of(s);
	t = t_fork_of(d);
	ck_assert_int_eq(ps_wait4(t_sim, d, t, PS_WNOHANG, &st, NULL), 0);
	ck_assert_int_eq(ps__ptrace_attach(t_sim, d, t), 0);
	ck_assert_uint_eq(t_flags(t_sim, t) & (PS_P_TRACED | PS_P_STOPPED_SIG),
	                  PS_P_TRACED | PS_P_STOPPED_SIG);
	ck_assert_int_eq(ps_wait4(t_sim, d, t, 0, &st, NULL), t);
	ck_assert_int_eq(st, PS_W_STOPCODE(PS_SIGSTOP));
	ck_assert_int_eq(st, 0x117f);
	ck_assert_int_eq(ps_wait4(t_sim, d, t, PS_WNOHANG, &st, NULL), 0);

	t2 = job_of(d);
	ck_assert_int_eq(ps_ptrace(t_sim, t2, PS_PT_TRACE_ME, 0, NULL, 0, NULL), 0);
	st = -1;
	ck_assert_int_eq(ps_wait4(t_sim, d, t2, PS_WNOHANG, &st, NULL), 0);
	ck_assert_int_eq(st, -1);
	kill_ok(d, t2, PS_SIGTSTP);
	ck_assert(is_stopped(t2));
	ck_assert_int_eq(ps_wait4(t_sim, d, t2, 0, &st, NULL), t2);
	ck_assert_int_eq(st, 0x127f);
	ck_assert(PS_WIFSTOPPED(st));
	ck_assert_int_eq(PS_WSTOPSIG(st), PS_SIGTSTP);
}
END_TEST

/*
 * §9 scenario 38, §2.1, §5.2, §11.14: exit(256) records 0x10000; the
 * era's WEXITSTATUS gives 256 (the modern one 0).  The SIGCHLD record
 * carries the whole word (2008).
 */
START_TEST(s38_exit_status_not_masked)
{
	int32_t s = t_session(t_sim), p, c;
	int st = -1;

	p = t_fork_of(s);
	hold_sigchld(p, 0);
	c = t_fork_of(p);
	t_clear_events();
	exit_ok(c, 256);
	ck_assert_int_eq(ev_at(find_ev(0, PS_EV_EXIT, c, 0, -1, NULL))->value, 0x10000);
	ck_assert_int_eq(t_pinfo(c).xstat, 0x10000);
	assert_one_record(p, PS_SIGCHLD, PS_CLD_EXITED, c, 0x10000);
	ck_assert_int_eq(ps_wait4(t_sim, p, c, 0, &st, NULL), c);
	ck_assert_int_eq(st, 0x10000);
	ck_assert_int_eq(PS_WEXITSTATUS_2008(st), 256);
	ck_assert(PS_WIFEXITED(st));
	ck_assert_int_eq(PS_WEXITSTATUS(st), 0);
}
END_TEST

/*
 * §9 scenario 39, §2.1 abort2: well-formed arguments give status 6
 * (SIGABRT, no core flag even with kern.coredump), malformed ones 9: nargs
 * 17 or -1, args NULL even with nargs 0.  why may be NULL.
 */
START_TEST(s39_abort2_statuses)
{
	static const struct {
		const char *why;
		int nargs;
		int with_args;
		int status;
	} cases[] = {
		{"valid", 2, 1, 6}, {"too many", 17, 1, 9}, {NULL, 0, 1, 6},  {"null args", 0, 0, 9},
		{"max", 16, 1, 6},  {"negative", -1, 1, 9}, {NULL, 1, 0, 9},
	};
	int32_t s = t_session(t_sim), p = t_fork_of(s);
	uint64_t args[17] = {0};

	hold_sigchld(p, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int32_t c = t_fork_of(p);
		int st = -1;

		ck_assert_int_eq(ps_abort2(t_sim, c, cases[i].why, cases[i].nargs,
		                           cases[i].with_args ? args : NULL),
		                 0);
		ck_assert_int_eq(t_state(t_sim, c), PS_PRS_ZOMBIE);
		assert_one_record(p, PS_SIGCHLD, PS_CLD_KILLED, c, cases[i].status);
		ck_assert_int_eq(ps_wait4(t_sim, p, c, 0, &st, NULL), c);
		ck_assert_msg(st == cases[i].status, "case %zu: status %d, expected %d", i, st,
		              cases[i].status);
		ck_assert(!PS_WCOREDUMP(st));
	}
}
END_TEST

/*
 * §9 scenario 40 (what exists without a scheduler), §2.2 E3, §10 I3, I20:
 * ps_thread_new adds threads (P_HADTHREADS, tids that find the process);
 * ps_exit from a multi-threaded process leaves exactly one residual
 * thread, the other tids are gone, and the status recorded is the
 * caller's.
 */
START_TEST(s40_multithreaded_exit_one_status)
{
	int32_t s = t_session(t_sim), p, c, t1 = -1, t2 = -1;
	int st = -1;
	struct ps_proc_info ci;

	p = t_fork_of(s);
	c = t_fork_of(p);
	ck_assert_int_eq(t_pinfo(c).nthreads, 1);
	t_clear_events();
	ck_assert_int_eq(ps_thread_new(t_sim, c, &t1), 0);
	ck_assert_int_eq(ps_thread_new(t_sim, c, &t2), 0);
	ck_assert_int_ne(t1, t2);
	ck_assert_uint_eq(count_ev(PS_EV_THREAD_NEW, c, 0, -1, NULL), 2);
	ci = t_pinfo(c);
	ck_assert_int_eq(ci.nthreads, 3);
	ck_assert_uint_ne(ci.flags & PS_P_HADTHREADS, 0);
	ck_assert_int_eq(ps_pfind_tid(t_sim, t1), c);
	ck_assert_int_eq(ps_pfind_tid(t_sim, t2), c);
	exit_ok(c, 2);
	ci = t_pinfo(c);
	ck_assert_int_eq(ci.state, PS_PRS_ZOMBIE);
	ck_assert_int_eq(ci.nthreads, 1);
	ck_assert_int_eq(ci.xstat, 0x200);
	ck_assert_int_eq(ps_pfind_tid(t_sim, t1), PS_ESRCH);
	ck_assert_int_eq(ps_pfind_tid(t_sim, t2), PS_ESRCH);
	ck_assert_uint_eq(count_ev(PS_EV_EXIT, c, 0, -1, NULL), 1);
	ck_assert_int_eq(ps_wait4(t_sim, p, c, 0, &st, NULL), c);
	ck_assert_int_eq(st, 0x200);
}
END_TEST

/* ====================================================================== */
/* Signals: masks, dispositions, default actions                           */
/* ====================================================================== */

/*
 * [ext] sigprocmask: 1 blocks, 2 unblocks, 3 sets; oset is the old mask;
 * other values are EINVAL.  A blocked signal stays pending in the
 * process's set and is delivered when unblocked, in the call that
 * unblocks it.  SIGKILL and SIGSTOP cannot be blocked.
 */
START_TEST(sig_mask_block_pending_unblock)
{
	int32_t sh = t_session(t_sim), c = job_of(sh), tid = -1;
	uint32_t old = 0xdeadbeef;
	long del;

	catch_sig(c, PS_SIGUSR1, 0);
	catch_sig(c, PS_SIGUSR2, 0);
	ck_assert_int_eq(ps_sigprocmask(t_sim, c, 1, SIGBIT(PS_SIGUSR1), &old), 0);
	ck_assert_uint_eq(old, 0);
	ck_assert_uint_eq(t_pinfo(c).sigmask, SIGBIT(PS_SIGUSR1));
	ck_assert_int_eq(ps_sigprocmask(t_sim, c, 1, SIGBIT(PS_SIGUSR2), &old), 0);
	ck_assert_uint_eq(old, SIGBIT(PS_SIGUSR1));
	ck_assert_uint_eq(t_pinfo(c).sigmask, SIGBIT(PS_SIGUSR1) | SIGBIT(PS_SIGUSR2));

	t_clear_events();
	kill_ok(sh, c, PS_SIGUSR1);
	kill_ok(sh, c, PS_SIGUSR2);
	ck_assert_uint_eq(t_pinfo(c).siglist, SIGBIT(PS_SIGUSR1) | SIGBIT(PS_SIGUSR2));
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, c, 0, -1, NULL), 0);

	/* A new thread leaves the first thread's mask alone. */
	ck_assert_int_eq(ps_thread_new(t_sim, c, &tid), 0);
	ck_assert_uint_eq(t_pinfo(c).sigmask, SIGBIT(PS_SIGUSR1) | SIGBIT(PS_SIGUSR2));

	t_clear_events();
	ck_assert_int_eq(ps_sigprocmask(t_sim, c, 2, SIGBIT(PS_SIGUSR1), &old), 0);
	ck_assert_uint_eq(old, SIGBIT(PS_SIGUSR1) | SIGBIT(PS_SIGUSR2));
	del = find_ev(0, PS_EV_SIGNAL_DELIVER, c, PS_SIGUSR1, -1, "handler");
	ck_assert_int_ge(del, 0);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, c, 0, -1, NULL), 1);
	ck_assert_uint_eq(t_pinfo(c).siglist, SIGBIT(PS_SIGUSR2));
	ck_assert_uint_eq(t_pinfo(c).sigmask, SIGBIT(PS_SIGUSR2));

	/* Bad how: EINVAL, mask unchanged. */
	ck_assert_int_eq(ps_sigprocmask(t_sim, c, 0, 0, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_sigprocmask(t_sim, c, 4, 0, NULL), PS_EINVAL);
	ck_assert_uint_eq(t_pinfo(c).sigmask, SIGBIT(PS_SIGUSR2));

	/* setmask, with SIGKILL and SIGSTOP silently left out. */
	t_clear_events();
	ck_assert_int_eq(ps_sigprocmask(t_sim, c, 3,
	                                SIGBIT(PS_SIGHUP) | SIGBIT(PS_SIGKILL) | SIGBIT(PS_SIGSTOP),
	                                &old),
	                 0);
	ck_assert_uint_eq(old, SIGBIT(PS_SIGUSR2));
	ck_assert_uint_eq(t_pinfo(c).sigmask, SIGBIT(PS_SIGHUP));
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, c, PS_SIGUSR2, -1, "handler"), 1);
	ck_assert_uint_eq(t_pinfo(c).siglist, 0);
	ck_assert_int_eq(ps_sigprocmask(t_sim, c, 1, ~0u, NULL), 0);
	ck_assert_uint_eq(t_pinfo(c).sigmask, ~(SIGBIT(PS_SIGKILL) | SIGBIT(PS_SIGSTOP)));
	/* "Blocked" SIGSTOP still stops; "blocked" SIGKILL still kills. */
	kill_ok(sh, c, PS_SIGSTOP);
	ck_assert(is_stopped(c));
	ck_assert_int_eq(ps_sigprocmask(t_sim, c, 3, 0, NULL), PS_EBUSY);
	kill_ok(sh, c, PS_SIGKILL);
	ck_assert_int_eq(t_pinfo(c).state, PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_pinfo(c).xstat, PS_SIGKILL);
}
END_TEST

/*
 * [ext] FreeBSD's sys_sigprocmask copies the old mask out only when
 * kern_sigprocmask succeeded: a bad how leaves *oset alone.
 */
START_TEST(sig_sigprocmask_bad_how_writes_nothing)
{
	int32_t sh = t_session(t_sim), c = job_of(sh);
	uint32_t old = 0xdeadbeef;

	mask_op(c, 3, SIGBIT(PS_SIGUSR1));
	ck_assert_int_eq(ps_sigprocmask(t_sim, c, 0, SIGBIT(PS_SIGUSR2), &old), PS_EINVAL);
	ck_assert_uint_eq(t_pinfo(c).sigmask, SIGBIT(PS_SIGUSR1));
	ck_assert_uint_eq(old, 0xdeadbeef);
}
END_TEST

/*
 * [ext] sigaction: SIG_IGN discards (and discards what is pending when
 * set), any other value is a handler, SIG_DFL restores the default;
 * oact reports the handler, mask and the SA_ flags; SIGKILL and SIGSTOP
 * take only SIG_DFL (PS_EINVAL); bad numbers are PS_EINVAL.
 */
/*
 * fork shares the signal actions (one copy, counted); a change on either
 * side is that process's alone, at any depth of the family, and exec
 * resets the caught actions of the process that execs only.
 */
START_TEST(sig_actions_shared_by_fork_change_alone)
{
	int32_t sh = t_session(t_sim), p = job_of(sh), c, gc, gc2;
	struct ps_sigaction sa = {0}, oa;

	sa.handler = HANDLER_ADDR;
	ck_assert_int_eq(ps_sigaction(t_sim, p, PS_SIGUSR1, &sa, NULL), 0);
	c = t_fork_of(p);
	gc = t_fork_of(c);
	/* The child changes SIGUSR1 and SIGUSR2: its parent and its own child keep theirs. */
	sa.handler = PS_SIG_IGN;
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGUSR1, &sa, NULL), 0);
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGUSR2, &sa, NULL), 0);
	ck_assert_int_eq(ps_sigaction(t_sim, p, PS_SIGUSR1, NULL, &oa), 0);
	ck_assert_uint_eq(oa.handler, HANDLER_ADDR);
	ck_assert_int_eq(ps_sigaction(t_sim, gc, PS_SIGUSR1, NULL, &oa), 0);
	ck_assert_uint_eq(oa.handler, HANDLER_ADDR);
	ck_assert_int_eq(ps_sigaction(t_sim, p, PS_SIGUSR2, NULL, &oa), 0);
	ck_assert_uint_eq(oa.handler, PS_SIG_DFL);
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGUSR1, NULL, &oa), 0);
	ck_assert_uint_eq(oa.handler, PS_SIG_IGN);
	/* A child forked after the change has the changed actions. */
	gc2 = t_fork_of(c);
	ck_assert_int_eq(ps_sigaction(t_sim, gc2, PS_SIGUSR2, NULL, &oa), 0);
	ck_assert_uint_eq(oa.handler, PS_SIG_IGN);
	/* The parent changes SIGUSR1 back: the grandchild still catches it. */
	sa.handler = PS_SIG_DFL;
	ck_assert_int_eq(ps_sigaction(t_sim, p, PS_SIGUSR1, &sa, NULL), 0);
	ck_assert_int_eq(ps_sigaction(t_sim, gc, PS_SIGUSR1, NULL, &oa), 0);
	ck_assert_uint_eq(oa.handler, HANDLER_ADDR);
	/* An ignored signal stays ignored for the others when one of them
	 * posts it: the grandchild's SIGUSR2 is the default, and kills it. */
	ck_assert_int_eq(ps_kill(t_sim, sh, gc2, PS_SIGUSR2), 0);
	ck_assert_int_eq(t_state(t_sim, gc2), PS_PRS_NORMAL);
	ck_assert_int_eq(ps_kill(t_sim, sh, gc, PS_SIGUSR2), 0);
	ck_assert_int_eq(t_state(t_sim, gc), PS_PRS_ZOMBIE);
	/* exec in the grandchild's sibling resets its caught actions only. */
	gc = t_fork_of(c);
	sa.handler = HANDLER_ADDR;
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGTERM, &sa, NULL), 0);
	gc2 = t_fork_of(c);
	ck_assert_int_eq(ps_exec(t_sim, gc2, "other"), 0);
	ck_assert_int_eq(ps_sigaction(t_sim, gc2, PS_SIGTERM, NULL, &oa), 0);
	ck_assert_uint_eq(oa.handler, PS_SIG_DFL);
	ck_assert_int_eq(ps_sigaction(t_sim, gc2, PS_SIGUSR1, NULL, &oa), 0);
	ck_assert_uint_eq(oa.handler, PS_SIG_IGN); /* Ignored stays ignored. */
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGTERM, NULL, &oa), 0);
	ck_assert_uint_eq(oa.handler, HANDLER_ADDR);
	ck_assert_int_eq(ps_sigaction(t_sim, gc, PS_SIGTERM, NULL, &oa), 0);
	ck_assert_uint_eq(oa.handler, PS_SIG_DFL); /* Forked before the change. */
}
END_TEST

START_TEST(sig_dispositions)
{
	int32_t sh = t_session(t_sim), c = job_of(sh);
	struct ps_sigaction sa = {0}, oa;
	struct ps_rusage ru;
	static const int uncatchable[] = {PS_SIGKILL, PS_SIGSTOP};

	for (size_t i = 0; i < 2; i++) {
		int sig = uncatchable[i];
		sa.handler = PS_SIG_IGN;
		ck_assert_int_eq(ps_sigaction(t_sim, c, sig, &sa, NULL), PS_EINVAL);
		sa.handler = HANDLER_ADDR;
		ck_assert_int_eq(ps_sigaction(t_sim, c, sig, &sa, NULL), PS_EINVAL);
		sa.handler = PS_SIG_DFL;
		ck_assert_int_eq(ps_sigaction(t_sim, c, sig, &sa, &oa), 0);
		ck_assert_uint_eq(oa.handler, PS_SIG_DFL);
	}
	ck_assert_int_eq(ps_sigaction(t_sim, c, 0, &sa, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_NSIG, &sa, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_sigaction(t_sim, c, -1, NULL, &oa), PS_EINVAL);

	/* oact round trip. */
	sa.handler = 0xdeadbeefu;
	sa.flags = PS_SA_RESTART;
	sa.mask = SIGBIT(PS_SIGUSR2);
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGUSR1, &sa, NULL), 0);
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGUSR1, NULL, &oa), 0);
	ck_assert_uint_eq(oa.handler, 0xdeadbeefu);
	ck_assert_uint_eq(oa.flags & PS_SA_RESTART, PS_SA_RESTART);
	ck_assert_uint_eq(oa.mask, SIGBIT(PS_SIGUSR2));
	sa.handler = HANDLER_ADDR;
	sa.flags = PS_SA_NOCLDSTOP | PS_SA_NOCLDWAIT;
	sa.mask = 0;
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGCHLD, &sa, NULL), 0);
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGCHLD, NULL, &oa), 0);
	ck_assert_uint_eq(oa.flags & (PS_SA_NOCLDSTOP | PS_SA_NOCLDWAIT | PS_SA_RESTART),
	                  PS_SA_NOCLDSTOP | PS_SA_NOCLDWAIT);

	/* Handler: run (counted), process alive. */
	t_clear_events();
	kill_ok(sh, c, PS_SIGUSR1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, c, PS_SIGUSR1, -1, "handler"), 1);
	ck_assert_int_eq(t_pinfo(c).state, PS_PRS_NORMAL);
	ck_assert_int_eq(ps_getrusage(t_sim, c, PS_RUSAGE_SELF, &ru), 0);
	ck_assert_int_eq(ru.nsignals, 1);

	/* Ignore: discarded, never pending, alive. */
	t_set_action(c, PS_SIGTERM, PS_SIG_IGN, 0);
	t_clear_events();
	kill_ok(sh, c, PS_SIGTERM);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DISCARD, c, PS_SIGTERM, -1, NULL), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, c, PS_SIGTERM, -1, NULL), 0);
	ck_assert_uint_eq(t_pinfo(c).siglist, 0);
	ck_assert_int_eq(t_pinfo(c).state, PS_PRS_NORMAL);

	/* Setting SIG_IGN discards a pending (blocked) signal. */
	mask_op(c, 1, SIGBIT(PS_SIGHUP));
	kill_ok(sh, c, PS_SIGHUP);
	ck_assert_uint_eq(t_pinfo(c).siglist, SIGBIT(PS_SIGHUP));
	t_set_action(c, PS_SIGHUP, PS_SIG_IGN, 0);
	ck_assert_uint_eq(t_pinfo(c).siglist, 0);
	mask_op(c, 2, SIGBIT(PS_SIGHUP));
	ck_assert_int_eq(t_pinfo(c).state, PS_PRS_NORMAL);

	/* Back to SIG_DFL: SIGTERM terminates again. */
	t_set_action(c, PS_SIGTERM, PS_SIG_DFL, 0);
	kill_ok(sh, c, PS_SIGTERM);
	ck_assert_int_eq(t_pinfo(c).state, PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_pinfo(c).xstat, PS_SIGTERM);
}
END_TEST

/* The default action of every signal 1..32 (FreeBSD's sigproptbl). */
enum dact { D_TERM, D_CORE, D_STOP, D_IGN };

static const struct {
	int sig;
	enum dact act;
} deftab[] = {
	{PS_SIGHUP, D_TERM},   {PS_SIGINT, D_TERM},    {PS_SIGQUIT, D_CORE},   {PS_SIGILL, D_CORE},
	{PS_SIGTRAP, D_CORE},  {PS_SIGABRT, D_CORE},   {PS_SIGEMT, D_CORE},    {PS_SIGFPE, D_CORE},
	{PS_SIGKILL, D_TERM},  {PS_SIGBUS, D_CORE},    {PS_SIGSEGV, D_CORE},   {PS_SIGSYS, D_CORE},
	{PS_SIGPIPE, D_TERM},  {PS_SIGALRM, D_TERM},   {PS_SIGTERM, D_TERM},   {PS_SIGURG, D_IGN},
	{PS_SIGSTOP, D_STOP},  {PS_SIGTSTP, D_STOP},   {PS_SIGCONT, D_IGN},    {PS_SIGCHLD, D_IGN},
	{PS_SIGTTIN, D_STOP},  {PS_SIGTTOU, D_STOP},   {PS_SIGIO, D_IGN},      {PS_SIGXCPU, D_TERM},
	{PS_SIGXFSZ, D_TERM},  {PS_SIGVTALRM, D_TERM}, {PS_SIGPROF, D_TERM},   {PS_SIGWINCH, D_IGN},
	{PS_SIGINFO, D_IGN},   {PS_SIGUSR1, D_TERM},   {PS_SIGUSR2, D_TERM},   {PS_SIGTHR, D_TERM},
};

/*
 * Each signal to a fresh child C of P (P's group is not orphaned: P's
 * parent is in another group of the session, so terminal stops apply), sent by its parent P (C parked in the kernel: a stop acts at
 * once) or by C itself (acted on at delivery).  P catches and blocks
 * SIGCHLD so the notices stay queued: CLD_KILLED / CLD_DUMPED with the
 * status word, CLD_STOPPED with the signal.
 */
static void
default_action_table(int coredump, int self)
{
	int32_t sh = t_session(t_sim), p = job_of(sh);

	ck_assert_uint_eq(sizeof(deftab) / sizeof(deftab[0]), 32);
	hold_sigchld(p, 0);
	for (size_t i = 0; i < 32; i++) {
		int sig = deftab[i].sig, st = -1;
		int32_t c = t_fork_of(p), sender = self ? c : p;
		struct ps_proc_info ci;

		/* C starts with the default action for everything. */
		t_set_action(c, PS_SIGCHLD, PS_SIG_DFL, 0);
		mask_op(c, 3, 0);
		ck_assert_int_eq(sig, (int)i + 1);
		ck_assert_uint_eq(sigq(p, NULL, 0), 0);
		t_clear_events();
		kill_ok(sender, c, sig);
		ci = t_pinfo(c);
		switch (deftab[i].act) {
		case D_TERM:
		case D_CORE: {
			int core = deftab[i].act == D_CORE && coredump;
			int want = sig | (core ? PS_WCOREFLAG : 0);

			ck_assert_msg(ci.state == PS_PRS_ZOMBIE, "%s: not terminated", ps_signal_name(sig));
			ck_assert_msg(ci.xstat == want, "%s: status %#x, expected %#x",
			              ps_signal_name(sig), ci.xstat, want);
			ck_assert_msg(count_ev(PS_EV_SIGNAL_DELIVER, c, sig, -1,
			                       core ? "terminate (core dumped)" : "terminate") == 1,
			              "%s: no terminate delivery", ps_signal_name(sig));
			assert_one_record(p, PS_SIGCHLD, core ? PS_CLD_DUMPED : PS_CLD_KILLED, c, want);
			ck_assert_int_eq(ps_wait4(t_sim, p, c, 0, &st, NULL), c);
			ck_assert_int_eq(st, want);
			ck_assert(PS_WIFSIGNALED(st));
			ck_assert_int_eq(PS_WTERMSIG(st), sig);
			ck_assert_int_eq(PS_WCOREDUMP(st) != 0, core);
			break;
		}
		case D_STOP:
			ck_assert_msg((ci.flags & PS_P_STOPPED_SIG) != 0, "%s: not stopped",
			              ps_signal_name(sig));
			ck_assert_int_eq(ci.state, PS_PRS_NORMAL);
			ck_assert_uint_eq(count_ev(PS_EV_STOP, c, sig, -1, NULL), 1);
			if (self)
				ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, c, sig, -1, "stop"), 1);
			ck_assert_uint_eq(ci.siglist & SIGBIT(sig), 0);
			assert_one_record(p, PS_SIGCHLD, PS_CLD_STOPPED, c, sig);
			ck_assert_int_eq(ps_wait4(t_sim, p, c, PS_WUNTRACED, &st, NULL), c);
			ck_assert_int_eq(st, PS_W_STOPCODE(sig));
			kill_ok(p, c, PS_SIGKILL);
			ck_assert_int_eq(ps_wait4(t_sim, p, c, 0, &st, NULL), c);
			ck_assert_int_eq(st, PS_SIGKILL);
			break;
		case D_IGN:
			ck_assert_msg(ci.state == PS_PRS_NORMAL && (ci.flags & PS_P_STOPPED_SIG) == 0,
			              "%s: not ignored", ps_signal_name(sig));
			ck_assert_uint_eq(ci.siglist & SIGBIT(sig), 0);
			ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DISCARD, c, sig, -1, NULL), 1);
			ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, c, sig, -1, NULL), 0);
			ck_assert_uint_eq(count_ev(PS_EV_CONTINUE, c, 0, -1, NULL), 0);
			ck_assert_uint_eq(sigq(p, NULL, 0), 0);
			kill_ok(p, c, PS_SIGKILL);
			ck_assert_int_eq(ps_wait4(t_sim, p, c, 0, &st, NULL), c);
			ck_assert_int_eq(st, PS_SIGKILL);
			break;
		}
		ck_assert_uint_eq(sigq(p, NULL, 0), 0);
	}
}

START_TEST(sig_default_action_every_signal)
{
	default_action_table(1, 0);
}
END_TEST

START_TEST(sig_default_action_every_signal_self)
{
	default_action_table(1, 1);
}
END_TEST

START_TEST(sig_default_action_every_signal_no_coredump)
{
	struct ps_config cfg = t_config();

	cfg.coredump = 0;
	s_replace(&cfg);
	default_action_table(0, 0);
}
END_TEST

/* ====================================================================== */
/* Signals: kill and permissions                                            */
/* ====================================================================== */

static void
setcred3(int32_t pid, int32_t uid, int32_t ruid, int32_t svuid)
{
	struct ps_cred cr = {.uid = uid, .ruid = ruid, .svuid = svuid};

	ck_assert_int_eq(ps_setcred(t_sim, pid, &cr), 0);
}

/*
 * [ext] kill(pid) with p_cansignal: the sender's real or effective uid
 * must match the target's real or saved uid, unless the sender is root
 * (EPERM otherwise, also for signal 0); SIGCONT is allowed within the
 * session; a pid that names nothing is ESRCH; a zombie accepts and drops
 * the signal (§10 I3).
 */
START_TEST(sig_kill_pid_permissions)
{
	int32_t sh = t_session(t_sim), a, b, setuid_tgt, euid_only, other_sess, z;

	a = t_fork_of(sh);
	b = t_fork_of(sh);
	setuid_tgt = t_fork_of(sh);
	euid_only = t_fork_of(sh);
	other_sess = t_session(t_sim);
	setcred3(a, 1001, 1001, 1001);
	setcred3(b, 1002, 1002, 1002);
	setcred3(setuid_tgt, 0, 1001, 0);  /* a set-uid-root program run by 1001 */
	setcred3(euid_only, 1001, 1003, 1003);
	setcred3(other_sess, 1002, 1002, 1002);

	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, a, b, PS_SIGTERM), PS_EPERM);
	ck_assert_int_eq(ps_kill(t_sim, a, b, 0), PS_EPERM);
	ck_assert_int_eq(ps_kill(t_sim, a, euid_only, PS_SIGTERM), PS_EPERM);
	ck_assert_int_eq(ps_kill(t_sim, a, other_sess, PS_SIGCONT), PS_EPERM);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, 0, 0, -1, NULL), 0);
	ck_assert_int_eq(t_pinfo(b).state, PS_PRS_NORMAL);

	/* SIGCONT within the session, whatever the uids. */
	kill_ok(a, b, PS_SIGCONT);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, b, PS_SIGCONT, a, NULL), 1);
	/* Real uid matches: allowed. */
	kill_ok(a, setuid_tgt, 0);
	kill_ok(a, setuid_tgt, PS_SIGTERM);
	ck_assert_int_eq(t_pinfo(setuid_tgt).state, PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_pinfo(setuid_tgt).xstat, PS_SIGTERM);
	/* Root may signal anyone. */
	kill_ok(sh, b, PS_SIGTERM);
	ck_assert_int_eq(t_pinfo(b).state, PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_pinfo(b).xstat, PS_SIGTERM);
	kill_ok(sh, other_sess, 0);

	/* ESRCH: no such pid, a reaped one, a bad signal is EINVAL. */
	ck_assert_int_eq(ps_kill(t_sim, a, 4242, PS_SIGTERM), PS_ESRCH);
	ck_assert_int_eq(ps_wait4(t_sim, sh, b, 0, NULL, NULL), b);
	ck_assert_int_eq(ps_kill(t_sim, sh, b, 0), PS_ESRCH);
	ck_assert_int_eq(ps_kill(t_sim, sh, a, PS_NSIG), PS_EINVAL);
	ck_assert_int_eq(ps_kill(t_sim, sh, a, -1), PS_EINVAL);

	/* A zombie: found, the signal accepted and discarded. */
	z = t_fork_of(sh);
	exit_ok(z, 0);
	kill_ok(sh, z, 0);
	t_clear_events();
	kill_ok(sh, z, PS_SIGTERM);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DISCARD, z, PS_SIGTERM, -1, NULL), 1);
	ck_assert_int_eq(t_pinfo(z).xstat, 0);
}
END_TEST

/*
 * [ext] kill(0) signals the caller's group, the caller included; kill(-g)
 * group g, members the sender may not signal skipped (EPERM only when none
 * could be signalled); an unknown group is ESRCH.
 */
START_TEST(sig_kill_group_forms)
{
	int32_t sh = t_session(t_sim), p, q1, q2, q3, alien, g2;

	p = job_of(sh);
	catch_sig(p, PS_SIGUSR1, 0); /* inherited */
	q1 = t_fork_of(p);
	q2 = t_fork_of(p);
	q3 = t_fork_of(p);
	alien = t_fork_of(p);
	setcred3(p, 1001, 1001, 1001);
	setcred3(q1, 1001, 1001, 1001);
	setcred3(q2, 1001, 1001, 1001);
	setcred3(q3, 1001, 1001, 1001);
	setcred3(alien, 1002, 1002, 1002);
	exit_ok(q3, 0); /* a zombie member */

	t_clear_events();
	kill_ok(q1, 0, PS_SIGUSR1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, p, PS_SIGUSR1, -1, "handler"), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, q1, PS_SIGUSR1, -1, "handler"), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, q2, PS_SIGUSR1, -1, "handler"), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, q3, PS_SIGUSR1, q1, NULL), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, alien, 0, -1, NULL), 0);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, sh, 0, -1, NULL), 0);

	t_clear_events();
	kill_ok(sh, -p, PS_SIGUSR1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, 0, PS_SIGUSR1, sh, NULL), 5);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, alien, PS_SIGUSR1, -1, "handler"), 1);

	/* A group of another uid only: nobody may be signalled. */
	g2 = job_of(sh);
	setcred3(g2, 1002, 1002, 1002);
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, q1, -g2, PS_SIGUSR1), PS_EPERM);
	ck_assert_int_eq(ps_kill(t_sim, q1, -g2, PS_SIGCONT), 0); /* same session */
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, g2, PS_SIGUSR1, -1, NULL), 0);
	ck_assert_int_eq(ps_kill(t_sim, q1, -4242, PS_SIGUSR1), PS_ESRCH);
	ck_assert_int_eq(ps_kill(t_sim, q1, -4242, 0), PS_ESRCH);
}
END_TEST

/*
 * [ext] kill(-1): every process the sender may signal except init, system
 * processes and the sender itself; zombies are not on allproc and are not
 * signalled.  Root reaches everyone else; an unprivileged sender only
 * processes of its uid; none at all is EPERM.
 */
START_TEST(sig_kill_all)
{
	int32_t sh = t_session(t_sim), kp = -1, x, y, w, z, lone;
	int32_t all[128];
	size_t n = 0;

	ck_assert_int_eq(ps_kproc_new(t_sim, "kworker", &kp), 0);
	x = t_fork_of(sh);
	y = t_fork_of(sh);
	w = t_fork_of(sh);
	z = t_fork_of(sh);
	lone = t_fork_of(sh);
	setcred3(x, 1001, 1001, 1001);
	setcred3(y, 1001, 1001, 1001);
	setcred3(lone, 1009, 1009, 1009);
	exit_ok(z, 0);

	/* Unprivileged: y only. */
	t_clear_events();
	kill_ok(x, -1, PS_SIGWINCH);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, 0, PS_SIGWINCH, x, NULL), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, y, PS_SIGWINCH, x, NULL), 1);

	/* Root: everyone on allproc but swapper, init, the kproc and itself. */
	t_clear_events();
	kill_ok(sh, -1, PS_SIGWINCH);
	ck_assert_int_eq(ps_proc_list(t_sim, all, 128, &n), 0);
	for (size_t i = 0; i < n; i++) {
		int32_t pid = all[i];
		int want = !(pid <= 1 || pid == kp || pid == sh || pid == z);
		size_t got;

		if (pid == 0)
			continue; /* 0 means "any" to count_ev; the total below covers it */
		got = count_ev(PS_EV_SIGNAL_SEND, pid, PS_SIGWINCH, sh, NULL);
		ck_assert_msg(got == (size_t)want, "kill(-1) by root: pid %d got %zu, expected %d",
		              pid, got, want);
	}
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, 0, PS_SIGWINCH, sh, NULL), 4); /* x y w lone */
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, w, PS_SIGWINCH, sh, NULL), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, z, 0, -1, NULL), 0);

	/* Nobody to signal. */
	ck_assert_int_eq(ps_kill(t_sim, lone, -1, PS_SIGWINCH), PS_EPERM);
}
END_TEST

/* ====================================================================== */
/* Signals: stop and continue                                               */
/* ====================================================================== */

/*
 * [ext] SIGCONT resumes a stopped process (P_CONTINUED) and discards its
 * pending stop signals; a stop signal discards a pending SIGCONT; a
 * blocked SIGCONT still continues a stopped process and stays pending;
 * SIGKILL ends a stopped process.
 */
START_TEST(sig_stop_and_continue)
{
	int32_t sh = t_session(t_sim), c = job_of(sh), c2 = job_of(sh);

	/* SIGCONT discards pending (blocked) stop signals. */
	mask_op(c, 1, SIGBIT(PS_SIGTSTP) | SIGBIT(PS_SIGTTOU));
	kill_ok(sh, c, PS_SIGTSTP);
	kill_ok(sh, c, PS_SIGTTOU);
	ck_assert_uint_eq(t_pinfo(c).siglist, SIGBIT(PS_SIGTSTP) | SIGBIT(PS_SIGTTOU));
	kill_ok(sh, c, PS_SIGCONT);
	ck_assert_uint_eq(t_pinfo(c).siglist, 0);
	mask_op(c, 3, 0);
	ck_assert(!is_stopped(c));

	/* Stop, then continue. */
	t_clear_events();
	kill_ok(sh, c, PS_SIGSTOP);
	ck_assert(is_stopped(c));
	ck_assert_uint_eq(t_flags(t_sim, c) & PS_P_CONTINUED, 0);
	ck_assert_int_eq(ps_kill(t_sim, c, sh, 0), PS_EBUSY);
	/* Another stop signal to a stopped process is dropped. */
	kill_ok(sh, c, PS_SIGTTIN);
	ck_assert_uint_eq(t_pinfo(c).siglist, 0);
	kill_ok(sh, c, PS_SIGCONT);
	ck_assert(!is_stopped(c));
	ck_assert_uint_ne(t_flags(t_sim, c) & PS_P_CONTINUED, 0);
	ck_assert_uint_eq(count_ev(PS_EV_CONTINUE, c, PS_SIGCONT, -1, NULL), 1);
	ck_assert_uint_eq(t_pinfo(c).siglist, 0);

	/* A stop signal discards a pending SIGCONT (kept pending by blocking
	 * it) and clears P_CONTINUED. */
	mask_op(c, 1, SIGBIT(PS_SIGCONT));
	kill_ok(sh, c, PS_SIGCONT);
	ck_assert_uint_eq(t_pinfo(c).siglist, SIGBIT(PS_SIGCONT));
	kill_ok(sh, c, PS_SIGTSTP);
	ck_assert(is_stopped(c));
	ck_assert_uint_eq(t_pinfo(c).siglist, 0);
	ck_assert_uint_eq(t_flags(t_sim, c) & PS_P_CONTINUED, 0);
	/* A blocked SIGCONT still continues; it stays pending. */
	kill_ok(sh, c, PS_SIGCONT);
	ck_assert(!is_stopped(c));
	ck_assert_uint_eq(t_pinfo(c).siglist, SIGBIT(PS_SIGCONT));
	mask_op(c, 3, 0);
	ck_assert_uint_eq(t_pinfo(c).siglist, 0);
	ck_assert_int_eq(t_pinfo(c).state, PS_PRS_NORMAL);

	/* An ignored SIGCONT still continues a stopped process (it is never
	 * in ps_sigignore) and is then dropped; a caught one continues it and
	 * runs the handler. */
	t_set_action(c, PS_SIGCONT, PS_SIG_IGN, 0);
	kill_ok(sh, c, PS_SIGSTOP);
	kill_ok(sh, c, PS_SIGCONT);
	ck_assert(!is_stopped(c));
	ck_assert_uint_eq(t_pinfo(c).siglist, 0);
	catch_sig(c, PS_SIGCONT, 0);
	kill_ok(sh, c, PS_SIGSTOP);
	t_clear_events();
	kill_ok(sh, c, PS_SIGCONT);
	ck_assert(!is_stopped(c));
	ck_assert_int_gt(find_ev(0, PS_EV_SIGNAL_DELIVER, c, PS_SIGCONT, -1, "handler"),
	                 find_ev(0, PS_EV_CONTINUE, c, PS_SIGCONT, -1, NULL));
	ck_assert_uint_eq(t_pinfo(c).siglist, 0);

	/* SIGKILL to a stopped process: it dies (no continue report). */
	kill_ok(sh, c2, PS_SIGSTOP);
	t_clear_events();
	kill_ok(sh, c2, PS_SIGKILL);
	ck_assert_int_eq(t_pinfo(c2).state, PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_pinfo(c2).xstat, PS_SIGKILL);
	ck_assert_uint_eq(t_flags(t_sim, c2) & PS_P_CONTINUED, 0);
}
END_TEST

/*
 * [ext] childproc_jobstate: a stop and a continue each queue the child's
 * SIGCHLD record at the parent (CLD_STOPPED with the signal, CLD_CONTINUED
 * with SIGCONT; one record, refilled), which the WUNTRACED / WCONTINUED
 * report takes; a new stop takes an unreported CLD_CONTINUED.  With
 * SA_NOCLDSTOP nothing is queued, but the parent is still woken: its
 * sleeping w(-1, WUNTRACED) reports the stop.
 */
START_TEST(sig_sigchld_on_stop_and_continue)
{
	int32_t sh = t_session(t_sim), p = job_of(sh), c, p2, c2;
	int st = -1;
	struct ps_sysret r;

	hold_sigchld(p, 0);
	c = job_of(p);
	kill_ok(p, c, PS_SIGSTOP);
	assert_one_record(p, PS_SIGCHLD, PS_CLD_STOPPED, c, PS_SIGSTOP);
	kill_ok(p, c, PS_SIGCONT);
	assert_one_record(p, PS_SIGCHLD, PS_CLD_CONTINUED, c, PS_SIGCONT);
	ck_assert_int_eq(ps_wait4(t_sim, p, c, PS_WCONTINUED, &st, NULL), c);
	ck_assert_int_eq(st, 0x13);
	ck_assert(PS_WIFCONTINUED(st));
	ck_assert(PS_WIFSIGNALED_2008(st)); /* §11.4 */
	ck_assert_uint_eq(sigq(p, NULL, 0), 0);
	ck_assert_uint_eq(t_pinfo(p).siglist & SIGBIT(PS_SIGCHLD), 0);
	/* Unreported continue, then a new stop: the record becomes the stop. */
	kill_ok(p, c, PS_SIGTSTP);
	ck_assert_int_eq(ps_wait4(t_sim, p, c, PS_WUNTRACED, &st, NULL), c);
	ck_assert_int_eq(st, 0x127f);
	kill_ok(p, c, PS_SIGCONT);
	assert_one_record(p, PS_SIGCHLD, PS_CLD_CONTINUED, c, PS_SIGCONT);
	kill_ok(p, c, PS_SIGTTIN);
	assert_one_record(p, PS_SIGCHLD, PS_CLD_STOPPED, c, PS_SIGTTIN);
	ck_assert_uint_eq(t_flags(t_sim, c) & PS_P_CONTINUED, 0);
	ck_assert_int_eq(ps_wait4(t_sim, p, c, PS_WCONTINUED | PS_WNOHANG, &st, NULL), 0);
	ck_assert_int_eq(ps_wait4(t_sim, p, c, PS_WUNTRACED, &st, NULL), c);
	ck_assert_int_eq(st, 0x157f);
	kill_ok(p, c, PS_SIGCONT);
	ck_assert_int_eq(ps_wait4(t_sim, p, c, PS_WCONTINUED, &st, NULL), c);

	/* SA_NOCLDSTOP: no record, the stop still reportable. */
	hold_sigchld(p, PS_SA_NOCLDSTOP);
	ck_assert_uint_eq(sigq(p, NULL, 0), 0);
	kill_ok(p, c, PS_SIGSTOP);
	ck_assert_uint_eq(sigq(p, NULL, 0), 0);
	ck_assert_uint_eq(t_pinfo(p).siglist & SIGBIT(PS_SIGCHLD), 0);
	ck_assert_int_eq(ps_wait4(t_sim, p, c, PS_WUNTRACED | PS_WNOHANG, &st, NULL), c);
	ck_assert_int_eq(st, 0x117f);
	kill_ok(p, c, PS_SIGCONT);
	ck_assert_uint_eq(sigq(p, NULL, 0), 0);
	/* The exit notice is not affected by SA_NOCLDSTOP. */
	exit_ok(c, 1);
	assert_one_record(p, PS_SIGCHLD, PS_CLD_EXITED, c, 0x100);

	/* SA_NOCLDSTOP and asleep in wait: woken by the child's stop. */
	p2 = job_of(sh);
	catch_sig(p2, PS_SIGCHLD, PS_SA_NOCLDSTOP);
	c2 = job_of(p2);
	ck_assert_int_eq(ps_wait4(t_sim, p2, -1, PS_WUNTRACED, &st, NULL), PS_EINPROGRESS);
	t_clear_events();
	kill_ok(c2, c2, PS_SIGSTOP); /* c2 stops itself */
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, c2, PS_SIGSTOP, -1, "stop"), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, p2, PS_SIGCHLD, -1, NULL), 0);
	r = assert_done(p2, c2);
	ck_assert_int_eq(r.status, 0x117f);
}
END_TEST

/*
 * [ext] A caught SIGCHLD from a child's stop interrupts the parent's
 * sleeping wait (without WUNTRACED the stop itself is not reportable).
 */
START_TEST(sig_child_stop_interrupts_wait)
{
	int32_t sh = t_session(t_sim), p = job_of(sh), c;
	int st = -1;

	catch_sig(p, PS_SIGCHLD, 0);
	c = job_of(p);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, 0, &st, NULL), PS_EINPROGRESS);
	kill_ok(sh, c, PS_SIGTSTP);
	ck_assert(is_stopped(c));
	assert_done(p, PS_EINTR);
	ck_assert_int_eq(st, -1);
}
END_TEST

/*
 * [ext] spec §3.4: a SIGCHLD at its default action never interrupts.  The
 * child's stop wakes the parent (P_STATCHILD, wakeup), which rescans, finds
 * nothing reportable without WUNTRACED and sleeps again.
 */
START_TEST(sig_default_sigchld_does_not_interrupt_wait)
{
	int32_t sh = t_session(t_sim), p = job_of(sh), c;
	int st = -1;

	c = job_of(p);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, 0, &st, NULL), PS_EINPROGRESS);
	t_clear_events();
	kill_ok(sh, c, PS_SIGTSTP);
	ck_assert(is_stopped(c));
	assert_asleep(p, "wait");
	ck_assert_int_eq(t_sysret(p).slept, 2);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DISCARD, p, PS_SIGCHLD, -1, NULL), 1);
	ck_assert_uint_eq(count_ev(PS_EV_SYSRET, p, 0, -1, NULL), 0);
	kill_ok(sh, c, PS_SIGKILL);
	ck_assert_int_eq(assert_done(p, c).status, PS_SIGKILL);
}
END_TEST

/*
 * [ext] A process stopped while asleep in wait stays stopped when its
 * child exits (the wakeup does not make a suspended thread run); SIGCONT
 * lets it finish the call and reap the child.
 */
START_TEST(sig_stopped_waiter_completes_after_cont)
{
	int32_t sh = t_session(t_sim), p = job_of(sh), c;
	int st = -1;
	struct ps_sysret r;

	c = t_fork_of(p);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, 0, &st, NULL), PS_EINPROGRESS);
	kill_ok(sh, p, PS_SIGSTOP);
	ck_assert(is_stopped(p));
	exit_ok(c, 9);
	ck_assert(is_stopped(p));
	ck_assert_int_eq(t_sysret(p).state, PS_SYSST_SLEEPING);
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_ZOMBIE);
	t_clear_events();
	kill_ok(sh, p, PS_SIGCONT);
	r = assert_done(p, c);
	ck_assert_int_eq(r.status, 0x900);
	ck_assert_int_eq(t_state(t_sim, c), -1);
	ck_assert_int_gt(find_ev(0, PS_EV_SYSRET, p, 0, -1, NULL),
	                 find_ev(0, PS_EV_CONTINUE, p, 0, -1, NULL));
}
END_TEST

/*
 * [ext] Signals posted to a stopped process wait; after SIGCONT they are
 * delivered, lowest number first.  A default-action SIGTERM queued while
 * stopped kills after the continue.
 */
START_TEST(sig_queued_while_stopped_delivered_after_cont)
{
	int32_t sh = t_session(t_sim), c = job_of(sh);
	long cont, d1, d2;

	catch_sig(c, PS_SIGUSR1, 0);
	catch_sig(c, PS_SIGUSR2, 0);
	kill_ok(sh, c, PS_SIGSTOP);
	t_clear_events();
	kill_ok(sh, c, PS_SIGUSR2);
	kill_ok(sh, c, PS_SIGUSR1);
	ck_assert_uint_eq(t_pinfo(c).siglist, SIGBIT(PS_SIGUSR1) | SIGBIT(PS_SIGUSR2));
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, c, 0, -1, NULL), 0);
	ck_assert(is_stopped(c));
	kill_ok(sh, c, PS_SIGCONT);
	cont = find_ev(0, PS_EV_CONTINUE, c, 0, -1, NULL);
	d1 = find_ev(0, PS_EV_SIGNAL_DELIVER, c, PS_SIGUSR1, -1, "handler");
	d2 = find_ev(0, PS_EV_SIGNAL_DELIVER, c, PS_SIGUSR2, -1, "handler");
	ck_assert_int_ge(cont, 0);
	ck_assert_int_gt(d1, cont);
	ck_assert_int_gt(d2, d1);
	ck_assert_uint_eq(t_pinfo(c).siglist, 0);

	kill_ok(sh, c, PS_SIGSTOP);
	kill_ok(sh, c, PS_SIGTERM);
	ck_assert_int_eq(t_pinfo(c).state, PS_PRS_NORMAL);
	ck_assert_uint_eq(t_pinfo(c).siglist, SIGBIT(PS_SIGTERM));
	kill_ok(sh, c, PS_SIGCONT);
	ck_assert_int_eq(t_pinfo(c).state, PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_pinfo(c).xstat, PS_SIGTERM);
}
END_TEST

/*
 * [ext] spec §6.3: SIGTSTP, SIGTTIN and SIGTTOU with the default action
 * are discarded for a process in an orphaned group, also when taken at
 * delivery (sent to itself, or held blocked while its group became
 * orphaned); SIGSTOP is not.  (test_jobc covers a group signalled from
 * outside.)
 */
START_TEST(sig_tty_stops_orphaned_at_delivery)
{
	int32_t sh = t_session(t_sim), p, c;
	static const int ttysigs[] = {PS_SIGTSTP, PS_SIGTTIN, PS_SIGTTOU};

	/* sh's own group is orphaned from birth (jobc 0). */
	ck_assert_int_eq(t_jobc(t_sim, sh), 0);
	for (size_t i = 0; i < 3; i++) {
		t_clear_events();
		kill_ok(sh, i == 1 ? 0 : sh, ttysigs[i]);
		ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DISCARD, sh, ttysigs[i], -1, NULL), 1);
		ck_assert(!is_stopped(sh));
		ck_assert_uint_eq(t_pinfo(sh).siglist, 0);
	}

	/* Held while the group had a qualification; delivered once orphaned. */
	p = job_of(sh);
	c = job_of(p);
	ck_assert_int_eq(t_jobc(t_sim, c), 1);
	mask_op(c, 1, SIGBIT(PS_SIGTTIN));
	kill_ok(p, c, PS_SIGTTIN);
	ck_assert_uint_eq(t_pinfo(c).siglist, SIGBIT(PS_SIGTTIN));
	exit_ok(p, 0);
	ck_assert_int_eq(t_jobc(t_sim, c), 0);
	ck_assert_uint_eq(t_pinfo(c).siglist, SIGBIT(PS_SIGTTIN));
	t_clear_events();
	mask_op(c, 2, SIGBIT(PS_SIGTTIN));
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DISCARD, c, PS_SIGTTIN, -1, NULL), 1);
	ck_assert(!is_stopped(c));
	ck_assert_uint_eq(t_pinfo(c).siglist, 0);

	/* SIGSTOP stops, sent to oneself in an orphaned group. */
	t_clear_events();
	kill_ok(c, c, PS_SIGSTOP);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, c, PS_SIGSTOP, -1, "stop"), 1);
	ck_assert(is_stopped(c));
}
END_TEST

/* ====================================================================== */
/* Signals: sleeping calls                                                   */
/* ====================================================================== */

/*
 * [ext] A default SIGCONT to a process asleep in wait does not wake it (it
 * is dropped); a caught one interrupts the wait.  An ignored signal and a
 * blocked caught signal do not wake it either; a default-action kill does,
 * and the process dies.
 */
START_TEST(sig_default_sigcont_does_not_wake_waiter)
{
	int32_t sh = t_session(t_sim), p, c, p2, c2, p3, c3;
	int st = -1;

	p = t_fork_of(sh);
	c = t_fork_of(p);
	catch_sig(p, PS_SIGUSR1, 0);
	mask_op(p, 1, SIGBIT(PS_SIGUSR1));
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, 0, &st, NULL), PS_EINPROGRESS);
	t_clear_events();
	kill_ok(sh, p, PS_SIGCONT);
	kill_ok(sh, p, PS_SIGWINCH);
	kill_ok(sh, p, PS_SIGUSR1);
	assert_asleep(p, "wait");
	ck_assert_int_eq(t_sysret(p).slept, 1);
	ck_assert_uint_eq(count_ev(PS_EV_WAKEUP, p, 0, -1, NULL), 0);
	ck_assert_uint_eq(t_pinfo(p).siglist, SIGBIT(PS_SIGUSR1));
	exit_ok(c, 0);
	ck_assert_int_eq(assert_done(p, c).status, 0);

	p2 = t_fork_of(sh);
	c2 = t_fork_of(p2);
	catch_sig(p2, PS_SIGCONT, 0);
	ck_assert_int_eq(ps_wait4(t_sim, p2, -1, 0, &st, NULL), PS_EINPROGRESS);
	kill_ok(sh, p2, PS_SIGCONT);
	assert_done(p2, PS_EINTR);
	ck_assert_int_eq(t_pinfo(c2).state, PS_PRS_NORMAL);

	p3 = t_fork_of(sh);
	c3 = t_fork_of(p3);
	ck_assert_int_eq(ps_wait4(t_sim, p3, -1, 0, &st, NULL), PS_EINPROGRESS);
	kill_ok(sh, p3, PS_SIGTERM);
	ck_assert_int_eq(t_pinfo(p3).state, PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_pinfo(p3).xstat, PS_SIGTERM);
	ck_assert_int_eq(t_pinfo(c3).pptr, 1);
}
END_TEST

/*
 * [ext] pause: sleeps ("pause") until a caught signal, then PS_EINTR
 * after the handler, even with SA_RESTART; ignored and blocked signals do
 * not end it; a stop and continue leave it asleep; a default kill ends the
 * process.
 */
START_TEST(sig_pause)
{
	int32_t sh = t_session(t_sim), c = job_of(sh), c2 = job_of(sh);
	struct ps_sysret r;

	catch_sig(c, PS_SIGUSR1, 0);
	catch_sig(c, PS_SIGUSR2, PS_SA_RESTART);
	catch_sig(c, PS_SIGHUP, 0);
	mask_op(c, 1, SIGBIT(PS_SIGHUP));
	ck_assert_int_eq(ps_pause(t_sim, c), PS_EINPROGRESS);
	r = t_sysret(c);
	ck_assert_int_eq(r.sys, PS_SYS_PAUSE);
	assert_asleep(c, "pause");
	ck_assert_int_eq(ps_pause(t_sim, c), PS_EBUSY);
	t_clear_events();
	kill_ok(sh, c, PS_SIGWINCH);
	kill_ok(sh, c, PS_SIGCHLD);
	kill_ok(sh, c, PS_SIGHUP);
	assert_asleep(c, "pause");
	ck_assert_uint_eq(t_pinfo(c).siglist, SIGBIT(PS_SIGHUP));
	/* Stop and continue: still asleep. */
	kill_ok(sh, c, PS_SIGTSTP);
	ck_assert(is_stopped(c));
	kill_ok(sh, c, PS_SIGCONT);
	ck_assert(!is_stopped(c));
	assert_asleep(c, "pause");
	ck_assert_uint_eq(count_ev(PS_EV_SYSRET, c, 0, -1, NULL), 0);
	/* A caught signal ends it. */
	t_clear_events();
	kill_ok(sh, c, PS_SIGUSR1);
	assert_done(c, PS_EINTR);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, c, PS_SIGUSR1, -1, "handler"), 1);
	ck_assert_int_eq(ev_at(find_ev(0, PS_EV_SYSRET, c, 0, -1, NULL))->value, PS_EINTR);
	/* SA_RESTART does not restart pause. */
	ck_assert_int_eq(ps_pause(t_sim, c), PS_EINPROGRESS);
	kill_ok(sh, c, PS_SIGUSR2);
	assert_done(c, PS_EINTR);
	ck_assert_uint_eq(t_pinfo(c).siglist, SIGBIT(PS_SIGHUP));
	/* A default kill during pause. */
	ck_assert_int_eq(ps_pause(t_sim, c2), PS_EINPROGRESS);
	kill_ok(sh, c2, PS_SIGINT);
	ck_assert_int_eq(t_pinfo(c2).state, PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_pinfo(c2).xstat, PS_SIGINT);
}
END_TEST

/*
 * [ext] sigsuspend(mask): the mask is replaced while asleep; a signal
 * blocked before but not by mask ends it (PS_EINTR) and is handled with
 * mask in force; then the old mask comes back, and a signal mask held
 * pending is delivered once the old mask lets it through.  SIGKILL and
 * SIGSTOP are never blocked by it.
 */
START_TEST(sig_sigsuspend)
{
	int32_t sh = t_session(t_sim), c = job_of(sh), c2 = job_of(sh);
	long d1, d2;

	catch_sig(c, PS_SIGUSR1, 0);
	catch_sig(c, PS_SIGUSR2, 0);
	mask_op(c, 3, SIGBIT(PS_SIGUSR1));
	ck_assert_int_eq(ps_sigsuspend(t_sim, c, SIGBIT(PS_SIGUSR2)), PS_EINPROGRESS);
	ck_assert_int_eq(t_sysret(c).sys, PS_SYS_SIGSUSPEND);
	assert_asleep(c, "pause");
	ck_assert_uint_eq(t_pinfo(c).sigmask, SIGBIT(PS_SIGUSR2));
	kill_ok(sh, c, PS_SIGUSR2);
	assert_asleep(c, "pause");
	ck_assert_uint_eq(t_pinfo(c).siglist, SIGBIT(PS_SIGUSR2));
	t_clear_events();
	kill_ok(sh, c, PS_SIGUSR1);
	assert_done(c, PS_EINTR);
	d1 = find_ev(0, PS_EV_SIGNAL_DELIVER, c, PS_SIGUSR1, -1, "handler");
	d2 = find_ev(0, PS_EV_SIGNAL_DELIVER, c, PS_SIGUSR2, -1, "handler");
	ck_assert_int_ge(d1, 0);
	ck_assert_int_gt(d2, d1);
	ck_assert_uint_eq(t_pinfo(c).sigmask, SIGBIT(PS_SIGUSR1));
	ck_assert_uint_eq(t_pinfo(c).siglist, 0);

	/* SIGKILL cannot be blocked by sigsuspend's mask. */
	ck_assert_int_eq(ps_sigsuspend(t_sim, c2, ~0u), PS_EINPROGRESS);
	ck_assert_uint_eq(t_pinfo(c2).sigmask, ~(SIGBIT(PS_SIGKILL) | SIGBIT(PS_SIGSTOP)));
	kill_ok(sh, c2, PS_SIGKILL);
	ck_assert_int_eq(t_pinfo(c2).state, PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_pinfo(c2).xstat, PS_SIGKILL);
}
END_TEST

/*
 * [ext] sigsuspend with a caught signal that is pending and let through by
 * the new mask: msleep(PCATCH) returns at once, the call fails with
 * PS_EINTR, the handler runs on the way out, and the old mask comes back
 * (FreeBSD kern_sigsuspend delivers before returning).
 */
START_TEST(sig_sigsuspend_pending_signal_returns_at_once)
{
	int32_t sh = t_session(t_sim), c = job_of(sh);

	catch_sig(c, PS_SIGUSR1, 0);
	mask_op(c, 3, SIGBIT(PS_SIGUSR1));
	kill_ok(sh, c, PS_SIGUSR1);
	ck_assert_uint_eq(t_pinfo(c).siglist, SIGBIT(PS_SIGUSR1));
	t_clear_events();
	ck_assert_int_eq(ps_sigsuspend(t_sim, c, 0), PS_EINTR);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_DELIVER, c, PS_SIGUSR1, -1, "handler"), 1);
	ck_assert_uint_eq(t_pinfo(c).siglist, 0);
	ck_assert_uint_eq(t_pinfo(c).sigmask, SIGBIT(PS_SIGUSR1));
	assert_done(c, PS_EINTR);
}
END_TEST

/*
 * [ext] SA_NOCLDWAIT (§2.2 E29, §8 (c)): the exiting child goes to init,
 * which gets the SIGCHLD and reaps it; the parent gets no record and no
 * zombie (WNOHANG: 0 while another child runs, then ECHILD).  Stop
 * notices still reach the parent.
 */
START_TEST(sig_sa_nocldwait)
{
	int32_t sh = t_session(t_sim), p = job_of(sh), c1, c2;
	long rep, reap;

	hold_sigchld(p, PS_SA_NOCLDWAIT);
	c1 = t_fork_of(p);
	c2 = job_of(p);
	t_clear_events();
	exit_ok(c1, 7);
	rep = find_ev(0, PS_EV_REPARENT, c1, 0, 1, NULL);
	reap = find_ev(0, PS_EV_REAP, c1, 0, 1, NULL);
	ck_assert_int_ge(rep, 0);
	ck_assert_int_gt(reap, rep);
	ck_assert_int_eq(ev_at(reap)->value, 0x700);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, p, PS_SIGCHLD, -1, NULL), 0);
	ck_assert_uint_eq(count_ev(PS_EV_SIGNAL_SEND, 1, PS_SIGCHLD, c1, NULL), 1);
	ck_assert_uint_eq(sigq(p, NULL, 0), 0);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, PS_WNOHANG, NULL, NULL), 0);
	kill_ok(p, c2, PS_SIGTSTP);
	assert_one_record(p, PS_SIGCHLD, PS_CLD_STOPPED, c2, PS_SIGTSTP);
	kill_ok(p, c2, PS_SIGKILL);
	ck_assert_int_eq(t_state(t_sim, c2), -1);
	ck_assert_uint_eq(sigq(p, NULL, 0), 0);
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, PS_WNOHANG, NULL, NULL), PS_ECHILD);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("signal");
	TCase *tc;

	tc = tcase_create("exit_scenarios");
	tcase_add_checked_fixture(tc, s_setup, t_teardown);
	tcase_add_test(tc, s23_example_a_parent_exit_hangs_up_stopped_group);
	tcase_add_test(tc, s24_example_a_running_no_hangup);
	tcase_add_test(tc, s25_example_b_leader_exit_with_terminal);
	tcase_add_test(tc, s26_leader_exit_without_tty_vnode);
	tcase_add_test(tc, s27_foreground_non_leader_exit);
	tcase_add_test(tc, s28_wnohang_nothing_leaves_status_untouched);
	tcase_add_test(tc, s29_wait_interrupted_eintr_or_restarted);
	tcase_add_test(tc, s29_restart_retranslates_wait_pid0);
	tcase_add_test(tc, s30_sigchld_caught_eintr);
	tcase_add_test(tc, s31_blocked_sigchld_taken_by_wait);
	tcase_add_test(tc, s32_init_child_plain_sigchld);
	tcase_add_test(tc, s33_init_cannot_exit);
	tcase_add_test(tc, s34_linux_clone_exit_signal);
	tcase_add_test(tc, s35_no_exit_signal_still_wakes);
	tcase_add_test(tc, s36_rusage_folds_descendants);
	tcase_add_test(tc, s37_traced_stop_reported_without_wuntraced);
	tcase_add_test(tc, s38_exit_status_not_masked);
	tcase_add_test(tc, s39_abort2_statuses);
	tcase_add_test(tc, s40_multithreaded_exit_one_status);
	suite_add_tcase(s, tc);

	tc = tcase_create("signals");
	tcase_add_checked_fixture(tc, s_setup, t_teardown);
	tcase_add_test(tc, sig_mask_block_pending_unblock);
	tcase_add_test(tc, sig_sigprocmask_bad_how_writes_nothing);
	tcase_add_test(tc, sig_dispositions);
	tcase_add_test(tc, sig_actions_shared_by_fork_change_alone);
	tcase_add_test(tc, sig_default_action_every_signal);
	tcase_add_test(tc, sig_default_action_every_signal_self);
	tcase_add_test(tc, sig_default_action_every_signal_no_coredump);
	tcase_add_test(tc, sig_kill_pid_permissions);
	tcase_add_test(tc, sig_kill_group_forms);
	tcase_add_test(tc, sig_kill_all);
	tcase_add_test(tc, sig_stop_and_continue);
	tcase_add_test(tc, sig_sigchld_on_stop_and_continue);
	tcase_add_test(tc, sig_child_stop_interrupts_wait);
	tcase_add_test(tc, sig_default_sigchld_does_not_interrupt_wait);
	tcase_add_test(tc, sig_stopped_waiter_completes_after_cont);
	tcase_add_test(tc, sig_queued_while_stopped_delivered_after_cont);
	tcase_add_test(tc, sig_tty_stops_orphaned_at_delivery);
	tcase_add_test(tc, sig_default_sigcont_does_not_wake_waiter);
	tcase_add_test(tc, sig_pause);
	tcase_add_test(tc, sig_sigsuspend);
	tcase_add_test(tc, sig_sigsuspend_pending_signal_returns_at_once);
	tcase_add_test(tc, sig_sa_nocldwait);
	suite_add_tcase(s, tc);

	return t_run(s);
}
