/*
 * Process groups and sessions (spec-kern_proc.md §3, §9, §10): setsid,
 * setpgid with each of its errors, getpgid/getsid/getpgrp/getppid, the
 * order of member and child lists, s_count, and the controlling terminal
 * calls (TIOCSCTTY, tcsetpgrp, tcgetpgrp) including what deleting the
 * foreground group does to the terminal.
 *
 * Every tree is built through the public API.  The fixture runs the
 * invariant checker and the strict lock-order checker after every
 * operation, and once more at teardown.
 */
#include "testlib.h"

#include "kern/internal_api.h"

#include <string.h>

#define SIGBIT(s) (1u << ((s) - 1))

/* --- small helpers --- */

static int32_t
pgid_of(int32_t pid)
{
	struct ps_proc_info pi;

	ck_assert_int_eq(ps_proc_info(t_sim, pid, &pi), 0);
	return pi.pgid;
}

static int32_t
sid_of(int32_t pid)
{
	struct ps_proc_info pi;

	ck_assert_int_eq(ps_proc_info(t_sim, pid, &pi), 0);
	return pi.sid;
}

static int32_t
npgrps(void)
{
	struct ps_sim_stats st;

	ck_assert_int_eq(ps_sim_stats(t_sim, &st), 0);
	return st.npgrps;
}

static int32_t
no_pid(void)
{
	struct ps_config cfg;

	ck_assert_int_eq(ps_sim_config(t_sim, &cfg), 0);
	return cfg.pid_max + 1;
}

/* Events of a type about group pgid (0: any) in the log. */
static size_t
count_pg(int type, int32_t pgid)
{
	size_t n = 0;

	for (size_t i = 0; i < t_events.n && i < EVLOG_MAX; i++)
		if ((int)t_events.ev[i].type == type && (pgid == 0 || t_events.ev[i].pgid == pgid))
			n++;
	return n;
}

/* Index of the first event of a type whose value is v, or -1. */
static long
find_value(int type, int32_t v)
{
	for (size_t i = 0; i < t_events.n && i < EVLOG_MAX; i++)
		if ((int)t_events.ev[i].type == type && t_events.ev[i].value == v)
			return (long)i;
	return -1;
}

/* Index of the first event of a type about group pgid, or -1. */
static long
find_pg(int type, int32_t pgid)
{
	for (size_t i = 0; i < t_events.n && i < EVLOG_MAX; i++)
		if ((int)t_events.ev[i].type == type && t_events.ev[i].pgid == pgid)
			return (long)i;
	return -1;
}

static void
assert_list(const char *what, int32_t id, const int32_t *got, size_t ngot, const int32_t *exp,
            size_t nexp)
{
	ck_assert_msg(ngot == nexp, "%s %d: %zu entries, expected %zu", what, id, ngot, nexp);
	for (size_t i = 0; i < nexp; i++)
		ck_assert_msg(got[i] == exp[i], "%s %d: entry %zu is %d, expected %d", what, id, i,
		              got[i], exp[i]);
}

static void
assert_members(int32_t pgid, const int32_t *exp, size_t nexp)
{
	int32_t got[64];
	size_t n = 0;

	ck_assert_int_eq(ps_pgrp_members(t_sim, pgid, got, 64, &n), 0);
	assert_list("members of pgrp", pgid, got, n, exp, nexp);
}

static void
assert_children(int32_t pid, const int32_t *exp, size_t nexp)
{
	int32_t got[64];
	size_t n = 0;

	ck_assert_int_eq(ps_proc_children(t_sim, pid, got, 64, &n), 0);
	assert_list("children of pid", pid, got, n, exp, nexp);
}

static void
ignore_signal(int32_t pid, int sig)
{
	struct ps_sigaction sa = {.handler = PS_SIG_IGN};

	ck_assert_int_eq(ps_sigaction(t_sim, pid, sig, &sa, NULL), 0);
}

static int32_t
new_tty(const char *name)
{
	int32_t dev = -1;

	ck_assert_int_eq(ps_tty_new(t_sim, name, &dev), 0);
	return dev;
}

/* ====================================================================== */
/* setsid                                                                  */
/* ====================================================================== */

/* spec §3.1 (new session: s_sid = s_leader = creator), §1.5: setsid returns
 * the new sid, the caller leads a new group and session named after it. */
START_TEST(setsid_returns_new_sid)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork_of(sh);
	struct ps_session_info si;
	struct ps_proc_info pi;

	ck_assert_int_eq(sid_of(c), sh);
	t_clear_events();
	ck_assert_int_eq(ps_setsid(t_sim, c), c);
	ck_assert_int_eq(ps_getsid(t_sim, c, 0), c);
	ck_assert_int_eq(ps_getpgid(t_sim, c, 0), c);
	ck_assert_int_eq(ps_getpgrp(t_sim, c), c);
	ck_assert_int_eq(ps_proc_info(t_sim, c, &pi), 0);
	ck_assert_int_eq(pi.session_leader, 1);
	si = t_sess(c);
	ck_assert_int_eq(si.sid, c);
	ck_assert_int_eq(si.leader, c);
	ck_assert_int_eq(si.s_count, 1);
	/* One new session and one new group, both named c. */
	ck_assert_uint_eq(t_count(PS_EV_SETSID, c, 0), 1);
	ck_assert_int_ge(find_value(PS_EV_SESSION_CREATE, c), 0);
	ck_assert_int_ge(find_pg(PS_EV_PGRP_CREATE, c), 0);
	/* The parent is untouched. */
	ck_assert_int_eq(sid_of(sh), sh);
	ck_assert_int_eq(t_sess(sh).s_count, 1);
}
END_TEST

/* spec §3.1 preconditions / [ext] kern_prot.c: setsid by a group leader
 * (a session leader, or a process that leads its own group) is EPERM. */
START_TEST(setsid_eperm_for_group_leader)
{
	int32_t sh = t_session(t_sim);
	int32_t g = t_fork_of(sh);
	int32_t groups;

	ck_assert_int_eq(ps_setpgid(t_sim, g, 0, 0), 0);
	ck_assert_int_eq(pgid_of(g), g);
	groups = npgrps();
	t_clear_events();
	ck_assert_int_eq(ps_setsid(t_sim, sh), PS_EPERM);
	ck_assert_int_eq(ps_setsid(t_sim, g), PS_EPERM);
	ck_assert_int_eq(ps_setsid(t_sim, 1), PS_EPERM); /* init leads session 1 */
	ck_assert_uint_eq(t_count(PS_EV_SESSION_CREATE, 0, 0), 0);
	ck_assert_uint_eq(t_count(PS_EV_PGRP_CREATE, 0, 0), 0);
	ck_assert_int_eq(sid_of(g), sh);
	ck_assert_int_eq(npgrps(), groups);
}
END_TEST

/* spec §3.1 precondition "no pgrp with pgid exists", [ext] setsid: EPERM
 * when a group named after the caller's pid exists although the caller has
 * left it (the group outlives its creator's membership). */
START_TEST(setsid_eperm_when_group_with_callers_pid_exists)
{
	int32_t sh = t_session(t_sim);
	int32_t a = t_fork_of(sh);
	int32_t b;

	ck_assert_int_eq(ps_setpgid(t_sim, sh, a, a), 0);
	b = t_fork_of(a); /* b keeps group a alive */
	ck_assert_int_eq(ps_setpgid(t_sim, a, 0, sh), 0);
	ck_assert_int_eq(pgid_of(a), sh);
	ck_assert_int_eq(pgid_of(b), a);
	ck_assert_int_eq(ps_pgfind(t_sim, a), 0);
	t_clear_events();
	ck_assert_int_eq(ps_setsid(t_sim, a), PS_EPERM);
	ck_assert_uint_eq(t_count(PS_EV_SESSION_CREATE, 0, 0), 0);
	ck_assert_int_eq(sid_of(a), sh);
	ck_assert_int_eq(pgid_of(a), sh);
}
END_TEST

/* spec §9 I18, §1.3, §3.8 row "New session": right after setsid the
 * creator has P_CONTROLT clear, the new session has no tty (s_ttyp,
 * s_ttyvp NULL) and s_count 1; other members of the old session keep theirs. */
START_TEST(setsid_i18_clears_controlt_and_new_session_has_no_tty)
{
	int32_t sh = t_session(t_sim);
	int32_t dev = new_tty("ttyv0");
	int32_t c;
	struct ps_session_info si;
	struct ps_proc_info pi;

	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, dev), 0);
	c = t_fork_of(sh);
	ck_assert_uint_eq(t_flags(t_sim, c) & PS_P_CONTROLT, PS_P_CONTROLT);
	ck_assert_int_eq(ps_setsid(t_sim, c), c);

	ck_assert_uint_eq(t_flags(t_sim, c) & PS_P_CONTROLT, 0);
	ck_assert_int_eq(ps_proc_info(t_sim, c, &pi), 0);
	ck_assert_int_eq(pi.tty, -1);
	si = t_sess(c);
	ck_assert_int_eq(si.tty, -1);
	ck_assert_int_eq(si.tty_vnode, 0);
	ck_assert_int_eq(si.tpgid, -1);
	ck_assert_int_eq(si.s_count, 1);
	ck_assert_int_eq(si.leader, c);
	/* The terminal is not the new session's: c cannot use it. */
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, c, dev), PS_ENOTTY);
	/* The old session keeps its terminal and its leader keeps P_CONTROLT. */
	ck_assert_uint_eq(t_flags(t_sim, sh) & PS_P_CONTROLT, PS_P_CONTROLT);
	si = t_sess(sh);
	ck_assert_int_eq(si.tty, dev);
	ck_assert_int_eq(si.tty_vnode, 1);
	ck_assert_int_eq(si.tpgid, sh);
	ck_assert_int_eq(si.s_count, 1);
	/* s_login is copied from the old session (spec §3.1 step 2.5). */
	ck_assert_int_eq(memcmp(t_sess(c).login, si.login, sizeof(si.login)), 0);
}
END_TEST

/* spec §3.3 step 4, §3.5, §10.2 item 18: setsid deletes the caller's old
 * group when the caller was its last member; the session survives while it
 * has other groups, and s_count drops by one. */
START_TEST(setsid_deletes_old_group_of_last_member)
{
	int32_t sh = t_session(t_sim);
	int32_t a = t_fork_of(sh);
	int32_t b;
	long create, del;

	ck_assert_int_eq(ps_setpgid(t_sim, sh, a, a), 0);
	b = t_fork_of(a);
	ck_assert_int_eq(ps_setpgid(t_sim, a, 0, sh), 0); /* a leaves; b alone in group a */
	ck_assert_int_eq(t_sess(sh).s_count, 2);
	t_clear_events();
	ck_assert_int_eq(ps_setsid(t_sim, b), b);
	create = find_value(PS_EV_SESSION_CREATE, b);
	del = find_pg(PS_EV_PGRP_DELETE, a);
	ck_assert_int_ge(create, 0);
	ck_assert_int_gt(del, create);
	ck_assert_uint_eq(t_count(PS_EV_SESSION_FREE, 0, 0), 0);
	ck_assert_int_eq(ps_pgfind(t_sim, a), PS_ESRCH);
	ck_assert_int_eq(t_sess(sh).s_count, 1);
	ck_assert_int_eq(t_sess(b).s_count, 1);
}
END_TEST

/* spec §3.5 step 6, §3.6, §3.8 row "Last pgrp of a session destroyed",
 * §10.2 item 18: when the caller of setsid was the last member of the last
 * group of its old session, the old session is freed and its terminal is
 * detached, so another session can take it.  Events: PGRP_DELETE, then
 * SESSION_FREE. */
START_TEST(setsid_frees_old_session_and_detaches_tty)
{
	int32_t sh = t_session(t_sim);
	int32_t dev = new_tty("ttyv0");
	int32_t c;
	struct ps_session_info si;
	long del, fr;

	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, dev), 0);
	c = t_fork_of(sh);
	ignore_signal(c, PS_SIGHUP); /* survives the leader's hangup */
	ck_assert_int_eq(ps_exit(t_sim, sh, 0), 0);
	ck_assert_int_eq(t_state(t_sim, sh), -1); /* reaped by init */
	si = t_sess(sh);
	ck_assert_int_eq(si.leader, 0);
	ck_assert_int_eq(si.s_count, 1);
	ck_assert_int_eq(si.tty, dev);
	ck_assert_int_eq(pgid_of(c), sh);

	t_clear_events();
	ck_assert_int_eq(ps_setsid(t_sim, c), c);
	del = find_pg(PS_EV_PGRP_DELETE, sh);
	fr = find_value(PS_EV_SESSION_FREE, sh);
	ck_assert_int_ge(del, 0);
	ck_assert_int_gt(fr, del);
	ck_assert_uint_eq(t_count(PS_EV_SESSION_FREE, 0, 0), 1);
	ck_assert_int_eq(ps_pgfind(t_sim, sh), PS_ESRCH);
	ck_assert_int_eq(ps_session_info(t_sim, sh, &si), PS_ESRCH);
	/* The terminal no longer names the freed session: c may take it. */
	ck_assert_int_eq(ps_tiocsctty(t_sim, c, dev), 0);
	ck_assert_int_eq(t_sess(c).tty, dev);
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, c, dev), c);
}
END_TEST

/* ====================================================================== */
/* setpgid                                                                 */
/* ====================================================================== */

/* [ext] setpgid, spec §10.1: a negative pgid is EINVAL (before any lookup). */
START_TEST(setpgid_einval_negative_pgid)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork_of(sh);

	ck_assert_int_eq(ps_setpgid(t_sim, c, 0, -1), PS_EINVAL);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, -5), PS_EINVAL);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, 77777, -1), PS_EINVAL);
	ck_assert_int_eq(pgid_of(c), sh);
}
END_TEST

/* spec §2.6 inferior() (FreeBSD walks the real parents), [ext] setpgid:
 * a target that is neither the caller nor its descendant is ESRCH: the
 * caller's parent, a sibling, a process elsewhere, a missing pid, a
 * zombie child (pfind does not find zombies, §2.1). */
START_TEST(setpgid_esrch_for_non_descendant)
{
	int32_t sh = t_session(t_sim);
	int32_t a = t_fork_of(sh);
	int32_t b = t_fork_of(sh);
	int32_t z = t_fork_of(a);
	int32_t other = t_session(t_sim);

	ck_assert_int_eq(ps_setpgid(t_sim, a, b, 0), PS_ESRCH);  /* sibling */
	ck_assert_int_eq(ps_setpgid(t_sim, a, sh, 0), PS_ESRCH); /* parent */
	ck_assert_int_eq(ps_setpgid(t_sim, a, other, 0), PS_ESRCH);
	ck_assert_int_eq(ps_setpgid(t_sim, a, 1, 0), PS_ESRCH);
	ck_assert_int_eq(ps_setpgid(t_sim, a, 54321, 0), PS_ESRCH);
	ck_assert_int_eq(ps_exit(t_sim, z, 0), 0);
	ck_assert_int_eq(t_state(t_sim, z), PS_PRS_ZOMBIE);
	ck_assert_int_eq(ps_setpgid(t_sim, a, z, 0), PS_ESRCH);
	ck_assert_int_eq(pgid_of(b), sh);
	ck_assert_int_eq(pgid_of(sh), sh);
}
END_TEST

/* spec §2.6: FreeBSD's setpgid accepts any descendant through inferior(),
 * so a grandchild in the caller's session can be moved. */
START_TEST(setpgid_accepts_grandchild)
{
	int32_t sh = t_session(t_sim);
	int32_t a = t_fork_of(sh);
	int32_t g = t_fork_of(a);

	ck_assert_int_eq(ps_inferior(t_sim, sh, g), 1);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, g, 0), 0);
	ck_assert_int_eq(pgid_of(g), g);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, g, sh), 0);
	ck_assert_int_eq(pgid_of(g), sh);
	ck_assert_int_eq(ps_pgfind(t_sim, g), PS_ESRCH);
}
END_TEST

/* [ext] setpgid, proc.h ps_exec: a child that has exec'd gives EACCES to
 * its parent; the child itself may still change its own group. */
START_TEST(setpgid_eacces_after_exec)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork_of(sh);

	ck_assert_int_eq(ps_exec(t_sim, c, "vi"), 0);
	ck_assert_uint_eq(t_flags(t_sim, c) & PS_P_EXEC, PS_P_EXEC);
	t_clear_events();
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, c), PS_EACCES);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, 0), PS_EACCES);
	ck_assert_uint_eq(t_count(PS_EV_PGRP_CREATE, 0, 0), 0);
	ck_assert_int_eq(pgid_of(c), sh);
	ck_assert_int_eq(ps_setpgid(t_sim, c, 0, 0), 0);
	ck_assert_int_eq(pgid_of(c), c);
}
END_TEST

/* spec §9 I10 (a leader cannot change its pgrp; setpgid rejects session
 * leaders with EPERM before calling enterthispgrp), §3.1 precondition. */
START_TEST(setpgid_eperm_for_session_leader)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork_of(sh);

	ck_assert_int_eq(ps_setpgid(t_sim, c, 0, 0), 0);
	t_clear_events();
	ck_assert_int_eq(ps_setpgid(t_sim, sh, 0, 0), PS_EPERM);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, sh, sh), PS_EPERM); /* even its own group */
	ck_assert_int_eq(ps_setpgid(t_sim, sh, 0, c), PS_EPERM);
	ck_assert_uint_eq(t_count(PS_EV_SETPGID, 0, 0), 0);
	ck_assert_int_eq(pgid_of(sh), sh);
	ck_assert_int_eq(t_sess(sh).leader, sh);
}
END_TEST

/* [ext] setpgid, spec §3.2 (enterthispgrp asserts the same session, the
 * caller must check): a descendant in another session is EPERM. */
START_TEST(setpgid_eperm_target_in_other_session)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork_of(sh);
	int32_t g;

	ck_assert_int_eq(ps_setsid(t_sim, c), c);
	g = t_fork_of(c);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, 0), PS_EPERM);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, sh), PS_EPERM);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, g, 0), PS_EPERM); /* grandchild, other session */
	ck_assert_int_eq(pgid_of(g), c);
	ck_assert_int_eq(sid_of(g), c);
}
END_TEST

/* [ext] setpgid: a pgid that names no group is EPERM unless it equals the
 * target's pid (then enterpgrp creates it, spec §3.1). */
START_TEST(setpgid_eperm_pgid_names_no_group)
{
	int32_t sh = t_session(t_sim);
	int32_t a = t_fork_of(sh);
	int32_t b = t_fork_of(sh);

	t_clear_events();
	ck_assert_int_eq(ps_setpgid(t_sim, sh, a, b), PS_EPERM); /* b is a pid, not a group */
	ck_assert_int_eq(ps_setpgid(t_sim, sh, a, 4242), PS_EPERM);
	ck_assert_int_eq(ps_setpgid(t_sim, a, 0, b), PS_EPERM);
	ck_assert_uint_eq(t_count(PS_EV_PGRP_CREATE, 0, 0), 0);
	ck_assert_int_eq(pgid_of(a), sh);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, a, a), 0);
	ck_assert_int_eq(pgid_of(a), a);
	ck_assert_int_ge(find_pg(PS_EV_PGRP_CREATE, a), 0);
}
END_TEST

/* [ext] setpgid, spec §3.2: joining a group of another session is EPERM. */
START_TEST(setpgid_eperm_group_of_other_session)
{
	int32_t sh = t_session(t_sim);
	int32_t sh2 = t_session(t_sim);
	int32_t c = t_fork_of(sh);
	int32_t d = t_fork_of(sh2);

	ck_assert_int_eq(ps_setpgid(t_sim, sh2, d, 0), 0);
	ck_assert_int_eq(ps_setpgid(t_sim, c, 0, sh2), PS_EPERM);
	ck_assert_int_eq(ps_setpgid(t_sim, c, 0, d), PS_EPERM);
	ck_assert_int_eq(ps_setpgid(t_sim, c, 0, 1), PS_EPERM); /* init's group */
	ck_assert_int_eq(pgid_of(c), sh);
	ck_assert_int_eq(sid_of(c), sh);
}
END_TEST

/* [ext] FreeBSD sys_setpgid checks in this order (kern_prot.c's own
 * comment repeats it): pgid < 0 EINVAL; target lookup ESRCH, inferior
 * ESRCH, other session EPERM, exec'd EACCES; session leader EPERM; only
 * then a pgid naming no group EPERM.  A pgid above pid_max names no group,
 * so it must not pre-empt the target's errors, and a negative pid must not
 * pre-empt EINVAL. */
START_TEST(setpgid_error_precedence)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork_of(sh);
	int32_t big = PS_PID_MAX_DEFAULT + 1;

	ck_assert_int_eq(ps_exec(t_sim, c, "vi"), 0);
	/* In range, the order holds. */
	ck_assert_int_eq(ps_setpgid(t_sim, sh, 54321, 4242), PS_ESRCH);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, 4242), PS_EACCES);
	/* Out of range pgid: the same answers. */
	ck_assert_int_eq(ps_setpgid(t_sim, sh, 54321, big), PS_ESRCH);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, big), PS_EACCES);
	ck_assert_int_eq(ps_setpgid(t_sim, c, 0, big), PS_EPERM);
	/* Negative pid with a negative pgid: EINVAL comes first. */
	ck_assert_int_eq(ps_setpgid(t_sim, sh, -5, -1), PS_EINVAL);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, -5, 0), PS_ESRCH);
}
END_TEST

/* spec §2.6, Appendix A row "inferior": FreeBSD walks real parents, so a
 * debugger is not an ancestor of the process it traces and its setpgid on
 * it is ESRCH; DragonFly walks p_pptr, so the tracer is accepted.  The
 * real parent is accepted by FreeBSD. */
START_TEST(setpgid_by_tracer_depends_on_inferior)
{
	struct ps_config cfg;
	int32_t a = t_session(t_sim);
	int32_t q = t_fork_of(a), c = t_fork_of(a);
	int dragonfly;

	ck_assert_int_eq(ps_sim_config(t_sim, &cfg), 0);
	dragonfly = cfg.jobc_algo == PS_JOBC_DRAGONFLY;
	ck_assert_int_eq(ps_setpgid(t_sim, a, c, c), 0);
	ck_assert_int_eq(ps__ptrace_attach(t_sim, c, q), 0);
	ck_assert_int_eq(ps_inferior(t_sim, c, q), dragonfly);
	ck_assert_int_eq(ps_inferior(t_sim, a, q), 1);
	if (dragonfly) {
		ck_assert_int_eq(ps_setpgid(t_sim, c, q, c), 0);
		ck_assert_int_eq(pgid_of(q), c);
	} else {
		ck_assert_int_eq(ps_setpgid(t_sim, c, q, c), PS_ESRCH);
		ck_assert_int_eq(pgid_of(q), a);
		ck_assert_int_eq(ps_setpgid(t_sim, a, q, c), 0);
		ck_assert_int_eq(pgid_of(q), c);
	}
}
END_TEST

/* spec §3.2 (the target must not be p's current pgrp: the caller rejects
 * that case first), §3.7 step 4: setpgid to the current group is a no-op
 * that returns 0 with no accounting and no move. */
START_TEST(setpgid_to_current_group_is_noop)
{
	int32_t sh = t_session(t_sim);
	int32_t a = t_fork_of(sh);
	int32_t b = t_fork_of(sh);
	int32_t before[3] = {sh, b, a};

	assert_members(sh, before, 3);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, a, a), 0);
	t_clear_events();
	ck_assert_int_eq(ps_setpgid(t_sim, a, 0, 0), 0);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, a, a), 0);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, b, sh), 0);
	ck_assert_uint_eq(t_count(PS_EV_SETPGID, 0, 0), 0);
	ck_assert_uint_eq(t_count(PS_EV_JOBC, 0, 0), 0);
	ck_assert_uint_eq(t_count(PS_EV_PGRP_CREATE, 0, 0), 0);
	ck_assert_int_eq(t_jobc(t_sim, a), 1);
	/* b did not move to the head of its own group. */
	{
		int32_t exp[2] = {sh, b};
		assert_members(sh, exp, 2);
	}
}
END_TEST

/* spec §3.1-§3.3: setpgid(0, 0) creates a group named after the caller,
 * joining moves to an existing group of the session, and the emptied
 * group is deleted, releasing its session reference. */
START_TEST(setpgid_create_join_and_delete)
{
	int32_t sh = t_session(t_sim);
	int32_t a = t_fork_of(sh);
	int32_t b = t_fork_of(sh);

	ck_assert_int_eq(ps_setpgid(t_sim, a, 0, 0), 0);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, b, 0), 0);
	ck_assert_int_eq(t_sess(sh).s_count, 3);
	t_clear_events();
	ck_assert_int_eq(ps_setpgid(t_sim, sh, b, a), 0);
	ck_assert_int_eq(pgid_of(b), a);
	ck_assert_int_ge(find_pg(PS_EV_PGRP_DELETE, b), 0);
	ck_assert_int_eq(ps_pgfind(t_sim, b), PS_ESRCH);
	ck_assert_int_eq(t_sess(sh).s_count, 2);
	/* A group's id never changes (I11); b's own pid is free again as a
	 * pgid, so b may create it anew. */
	ck_assert_int_eq(ps_setpgid(t_sim, b, 0, b), 0);
	ck_assert_int_eq(pgid_of(b), b);
	ck_assert_int_eq(t_sess(sh).s_count, 3);
}
END_TEST

/* ====================================================================== */
/* get*id                                                                  */
/* ====================================================================== */

/* [ext] getpgid/getsid (pfind: live processes only, §2.1) and getpgrp:
 * pid 0 is the caller; a missing pid, a negative one or a zombie is
 * ESRCH; a caller that does not exist is ESRCH. */
START_TEST(getpgid_getsid_getpgrp)
{
	int32_t sh = t_session(t_sim);
	int32_t a = t_fork_of(sh);
	int32_t z = t_fork_of(a);
	int32_t other = t_session(t_sim);

	ck_assert_int_eq(ps_setpgid(t_sim, sh, a, a), 0);
	ck_assert_int_eq(ps_getpgid(t_sim, a, 0), a);
	ck_assert_int_eq(ps_getpgid(t_sim, a, sh), sh);
	ck_assert_int_eq(ps_getpgid(t_sim, a, other), other);
	ck_assert_int_eq(ps_getpgid(t_sim, a, 1), 1);
	ck_assert_int_eq(ps_getsid(t_sim, a, 0), sh);
	ck_assert_int_eq(ps_getsid(t_sim, a, other), other);
	ck_assert_int_eq(ps_getsid(t_sim, other, a), sh);
	ck_assert_int_eq(ps_getpgrp(t_sim, a), a);
	ck_assert_int_eq(ps_getpgrp(t_sim, z), sh); /* forked before a moved */
	ck_assert_int_eq(ps_getpgrp(t_sim, 1), 1);

	ck_assert_int_eq(ps_getpgid(t_sim, a, 65432), PS_ESRCH);
	ck_assert_int_eq(ps_getsid(t_sim, a, 65432), PS_ESRCH);
	ck_assert_int_eq(ps_getpgid(t_sim, a, -3), PS_ESRCH);
	ck_assert_int_eq(ps_getsid(t_sim, a, -3), PS_ESRCH);
	ck_assert_int_eq(ps_getpgid(t_sim, 65432, 0), PS_ESRCH);
	ck_assert_int_eq(ps_getsid(t_sim, 65432, 0), PS_ESRCH);
	ck_assert_int_eq(ps_getpgrp(t_sim, 65432), PS_ESRCH);

	ck_assert_int_eq(ps_exit(t_sim, z, 0), 0);
	ck_assert_int_eq(t_state(t_sim, z), PS_PRS_ZOMBIE);
	ck_assert_int_eq(ps_getpgid(t_sim, a, z), PS_ESRCH);
	ck_assert_int_eq(ps_getsid(t_sim, a, z), PS_ESRCH);
	ck_assert_int_eq(ps_getpgrp(t_sim, z), PS_ESRCH);
}
END_TEST

/* §1.2 (real parent), [ext] getppid: the parent's pid, init's after the
 * parent exits; ESRCH for a caller that does not exist. */
START_TEST(getppid_follows_reparenting)
{
	int32_t sh = t_session(t_sim);
	int32_t a = t_fork_of(sh);
	int32_t b = t_fork_of(a);

	ck_assert_int_eq(ps_getppid(t_sim, sh), 1);
	ck_assert_int_eq(ps_getppid(t_sim, a), sh);
	ck_assert_int_eq(ps_getppid(t_sim, b), a);
	ck_assert_int_eq(ps_getppid(t_sim, 1), 0);
	ck_assert_int_eq(ps_exit(t_sim, a, 0), 0);
	ck_assert_int_eq(ps_getppid(t_sim, b), 1);
	ck_assert_int_eq(ps_getppid(t_sim, 65432), PS_ESRCH);
	ck_assert_int_eq(ps_getppid(t_sim, a), PS_ESRCH); /* a zombie makes no calls */
}
END_TEST

/* ====================================================================== */
/* list order, s_count                                                      */
/* ====================================================================== */

/* spec §1.4 pg_members, §4.9 Example E step 4, §10.2 item 6: fork puts
 * the child right after its parent; setpgid inserts at the head.  20 joins
 * pg 20 then forks 21 and 22: members 20, 22, 21. */
START_TEST(member_list_order)
{
	int32_t sh = t_session(t_sim);
	int32_t p20 = t_fork_of(sh);
	int32_t p21, p22, x, y;

	ck_assert_int_eq(ps_setpgid(t_sim, sh, p20, p20), 0);
	p21 = t_fork_of(p20);
	p22 = t_fork_of(p20);
	{
		int32_t exp[3] = {p20, p22, p21};
		assert_members(p20, exp, 3);
	}
	x = t_fork_of(sh);
	y = t_fork_of(sh);
	{
		int32_t exp[3] = {sh, y, x};
		assert_members(sh, exp, 3);
	}
	/* setpgid: x goes to the head of pg 20. */
	ck_assert_int_eq(ps_setpgid(t_sim, sh, x, p20), 0);
	{
		int32_t exp[4] = {x, p20, p22, p21};
		assert_members(p20, exp, 4);
	}
	{
		int32_t exp[2] = {sh, y};
		assert_members(sh, exp, 2);
	}
	/* A fork by a member in the middle lands right after it. */
	{
		int32_t n = t_fork_of(p22);
		int32_t exp[5] = {x, p20, p22, n, p21};
		assert_members(p20, exp, 5);
	}
	{
		struct ps_pgrp_info gi;
		ck_assert_int_eq(ps_pgrp_info(t_sim, p20, &gi), 0);
		ck_assert_int_eq(gi.members, 5);
		ck_assert_int_eq(gi.sid, sh);
	}
}
END_TEST

/* ps_pgrp_members reports the full count even with a small buffer. */
START_TEST(member_list_truncated_copy)
{
	int32_t sh = t_session(t_sim);
	int32_t a = t_fork_of(sh);
	int32_t b = t_fork_of(sh);
	int32_t got[2] = {0, 0};
	size_t n = 0;

	ck_assert_int_eq(ps_pgrp_members(t_sim, sh, got, 1, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(got[0], sh);
	ck_assert_int_eq(got[1], 0);
	ck_assert_int_eq(ps_pgrp_members(t_sim, sh, NULL, 0, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(ps_pgrp_members(t_sim, 54321, got, 2, &n), PS_ESRCH);
	(void)a;
	(void)b;
}
END_TEST

/* spec §4.9 Example E step 4 ([ext] p_children is head-inserted at fork,
 * so newest first); spec-kern_exit §4: a reparented child goes to the
 * head of its new parent's children. */
START_TEST(children_newest_first)
{
	int32_t sh = t_session(t_sim);
	int32_t a = t_fork_of(sh);
	int32_t b = t_fork_of(sh);
	int32_t c = t_fork_of(sh);
	int32_t a1 = t_fork_of(a);
	int32_t a2 = t_fork_of(a);

	{
		int32_t exp[3] = {c, b, a};
		assert_children(sh, exp, 3);
	}
	{
		int32_t exp[2] = {a2, a1};
		assert_children(a, exp, 2);
	}
	/* setpgid does not reorder children. */
	ck_assert_int_eq(ps_setpgid(t_sim, sh, b, b), 0);
	{
		int32_t exp[3] = {c, b, a};
		assert_children(sh, exp, 3);
	}
	/* a exits: a2 then a1 are handed to init, each at the head. */
	ck_assert_int_eq(ps_exit(t_sim, a, 0), 0);
	{
		int32_t got[64];
		size_t n = 0;
		ck_assert_int_eq(ps_proc_children(t_sim, 1, got, 64, &n), 0);
		ck_assert_uint_ge(n, 3);
		ck_assert_int_eq(got[0], a1);
		ck_assert_int_eq(got[1], a2);
	}
	{
		int32_t exp[3] = {c, b, a}; /* a is a zombie until sh waits */
		assert_children(sh, exp, 3);
	}
}
END_TEST

/* spec §1.5 s_count, §3.6, §9 I9: s_count equals the number of groups of
 * the session; it rises when a group is created and falls when one is
 * deleted; the last one frees the session. */
START_TEST(s_count_equals_number_of_groups)
{
	int32_t sh = t_session(t_sim);
	int32_t a = t_fork_of(sh);
	int32_t b = t_fork_of(sh);
	int32_t c = t_fork_of(sh);
	int st = 0;

	ck_assert_int_eq(t_sess(sh).s_count, 1);
	ck_assert_int_eq(t_sess(1).s_count, 1);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, a, a), 0);
	ck_assert_int_eq(t_sess(sh).s_count, 2);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, b, b), 0);
	ck_assert_int_eq(t_sess(sh).s_count, 3);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, a), 0); /* joins: no new group */
	ck_assert_int_eq(t_sess(sh).s_count, 3);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, b, a), 0); /* group b emptied */
	ck_assert_int_eq(t_sess(sh).s_count, 2);
	/* A zombie keeps its group (and the session reference) until reaped. */
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, 0), 0);
	ck_assert_int_eq(t_sess(sh).s_count, 3);
	ck_assert_int_eq(ps_exit(t_sim, c, 0), 0);
	ck_assert_int_eq(t_sess(sh).s_count, 3);
	ck_assert_int_eq(ps_pgfind(t_sim, c), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, c, 0, &st), c);
	ck_assert_int_eq(ps_pgfind(t_sim, c), PS_ESRCH);
	ck_assert_int_eq(t_sess(sh).s_count, 2);
	/* b leaves for a session of its own: one group there; group a (with a)
	 * stays in session sh. */
	ck_assert_int_eq(ps_setsid(t_sim, b), b);
	ck_assert_int_eq(t_sess(b).s_count, 1);
	ck_assert_int_eq(t_sess(sh).s_count, 2);
}
END_TEST

/* ====================================================================== */
/* terminals                                                               */
/* ====================================================================== */

/* [ext] TIOCSCTTY (spec §1.6, §3.8): only a session leader (EPERM
 * otherwise); EPERM when the terminal belongs to another session or the
 * session already has a terminal; ENOTTY for no such terminal.  Success
 * gives the leader P_CONTROLT and makes its group the foreground group. */
START_TEST(tiocsctty_errors_and_success)
{
	int32_t sh = t_session(t_sim);
	int32_t sh2 = t_session(t_sim);
	int32_t c = t_fork_of(sh);
	int32_t dev = new_tty("ttyv0");
	int32_t dev2 = new_tty("ttyv1");
	struct ps_session_info si;

	ck_assert_int_eq(ps_tiocsctty(t_sim, c, dev), PS_EPERM); /* not a leader */
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, 9999), PS_ENOTTY);
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, dev), 0);
	ck_assert_uint_eq(t_flags(t_sim, sh) & PS_P_CONTROLT, PS_P_CONTROLT);
	ck_assert_uint_eq(t_flags(t_sim, c) & PS_P_CONTROLT, 0); /* forked before */
	si = t_sess(sh);
	ck_assert_int_eq(si.tty, dev);
	ck_assert_int_eq(si.tty_vnode, 1);
	ck_assert_int_eq(si.tpgid, sh);
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, dev), 0);        /* already its ctty */
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh2, dev), PS_EPERM); /* another session's */
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, dev2), PS_EPERM); /* session has one */
	ck_assert_int_eq(t_sess(sh2).tty, -1);
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh2, dev2), 0);
	/* Children forked now inherit P_CONTROLT. */
	ck_assert_uint_eq(t_flags(t_sim, t_fork_of(sh)) & PS_P_CONTROLT, PS_P_CONTROLT);
}
END_TEST

/* [ext] tcsetpgrp/tcgetpgrp: ENOTTY unless the terminal is the caller's
 * controlling terminal (P_CONTROLT in its session); EPERM for a group that
 * does not exist or is in another session; EINVAL for a negative pgid. */
START_TEST(tcsetpgrp_tcgetpgrp_errors)
{
	int32_t sh = t_session(t_sim);
	int32_t sh2 = t_session(t_sim);
	int32_t early = t_fork_of(sh);
	int32_t dev = new_tty("ttyv0");
	int32_t dev2 = new_tty("ttyv1");
	int32_t j;
	struct ps_pgrp_info gi;

	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, dev), 0);
	j = t_fork_of(sh);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, j, j), 0);

	ck_assert_int_eq(ps_tcgetpgrp(t_sim, sh, dev), sh);
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, early, dev), PS_ENOTTY); /* no P_CONTROLT */
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, early, dev, j), PS_ENOTTY);
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, sh2, dev), PS_ENOTTY); /* another session */
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, sh2, dev, sh2), PS_ENOTTY);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, sh, dev2, sh), PS_ENOTTY); /* not its ctty */
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, sh, dev2), PS_ENOTTY);
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, sh, 9999), PS_ENOTTY);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, sh, dev, 4321), PS_EPERM);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, sh, dev, sh2), PS_EPERM);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, sh, dev, 1), PS_EPERM);
	{
		/* A negative pgid is refused (EINVAL here; FreeBSD's pgfind
		 * would find no group: EPERM). */
		int rc = ps_tcsetpgrp(t_sim, sh, dev, -1);
		ck_assert_msg(rc == PS_EINVAL || rc == PS_EPERM, "tcsetpgrp(-1): %s", ps_err_name(rc));
	}
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, sh, dev), sh);

	t_clear_events();
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, sh, dev, j), 0);
	ck_assert_uint_eq(t_count(PS_EV_TCSETPGRP, sh, 0), 1);
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, sh, dev), j);
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, j, dev), j);
	ck_assert_int_eq(t_sess(sh).tpgid, j);
	ck_assert_int_eq(ps_pgrp_info(t_sim, j, &gi), 0);
	ck_assert_int_eq(gi.foreground, 1);
	ck_assert_int_eq(ps_pgrp_info(t_sim, sh, &gi), 0);
	ck_assert_int_eq(gi.foreground, 0);
}
END_TEST

/* spec §3.5 step 4, §3.8 row "pgrp destroyed", §10.2 item 10, I13:
 * deleting the foreground group leaves the terminal with no foreground
 * group (tcgetpgrp gives NO_PID = pid_max + 1, session tpgid -1), and no
 * signal is sent for it. */
START_TEST(deleting_foreground_group_leaves_no_foreground)
{
	int32_t sh = t_session(t_sim);
	int32_t dev = new_tty("ttyv0");
	int32_t j;
	int st = 0;
	struct ps_session_info si;

	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, dev), 0);
	j = t_fork_of(sh);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, j, j), 0);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, sh, dev, j), 0);
	ck_assert_int_eq(ps_exit(t_sim, j, 0), 0);
	/* A zombie still keeps the group, and the group stays in front. */
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, sh, dev), j);
	t_clear_events();
	ck_assert_int_eq(ps_wait(t_sim, sh, j, 0, &st), j);
	ck_assert_uint_eq(count_pg(PS_EV_PGRP_DELETE, j), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, 0), 0);
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, sh, dev), no_pid());
	ck_assert_int_eq(no_pid(), PS_PID_MAX_DEFAULT + 1);
	si = t_sess(sh);
	ck_assert_int_eq(si.tpgid, -1);
	ck_assert_int_eq(si.tty, dev);
	ck_assert_int_eq(si.tty_vnode, 1);
	ck_assert_int_eq(si.s_count, 1);
	/* The terminal can be given a foreground group again. */
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, sh, dev, sh), 0);
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, sh, dev), sh);
}
END_TEST

/*
 * [ext] FreeBSD tty.c TIOCSCTTY: a terminal whose session still holds its
 * vnode cannot be taken (EPERM); once that session's leader has exited
 * (killjobc released the vnode, spec §4.7), a new session leader may take
 * it while the old session lives on.
 */
START_TEST(tiocsctty_takes_over_after_leader_exit)
{
	int32_t dev, a, a_child, b;
	struct ps_session_info si;

	ck_assert_int_eq(ps_tty_new(t_sim, "ttyT", &dev), 0);
	a = t_session(t_sim);
	ck_assert_int_eq(ps_tiocsctty(t_sim, a, dev), 0);
	a_child = t_fork(t_sim, a);
	ck_assert_int_eq(ps_setpgid(t_sim, a, a_child, a_child), 0);
	b = t_session(t_sim);
	ck_assert_int_eq(ps_tiocsctty(t_sim, b, dev), PS_EPERM);
	ck_assert_int_eq(ps_exit(t_sim, a, 0), 0);
	/* Session a lives on (its child's group), without the vnode. */
	ck_assert_int_eq(ps_session_info(t_sim, a, &si), 0);
	ck_assert_int_eq(si.tty_vnode, 0);
	ck_assert_int_eq(ps_tiocsctty(t_sim, b, dev), 0);
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, b, dev), b);
	ck_assert_int_eq(ps_session_info(t_sim, b, &si), 0);
	ck_assert_int_eq(si.tty, dev);
	ck_assert_int_eq(si.tpgid, b);
	t_check(t_sim);
}
END_TEST

/* ps_pgrp_list: ascending pgids; a short buffer gets the smallest ones. */
START_TEST(pgrp_list_sorted_and_truncated)
{
	int32_t all[64], few[3];
	size_t n = 0, m = 0;
	int32_t sh = t_session(t_sim);

	for (int i = 0; i < 20; i++) {
		int32_t c = t_fork(t_sim, sh);
		ck_assert_int_eq(ps_setpgid(t_sim, sh, c, c), 0);
	}
	ck_assert_int_eq(ps_pgrp_list(t_sim, all, 64, &n), 0);
	ck_assert_uint_eq(n, 23); /* 0, 1, the shell's and 20 jobs. */
	for (size_t i = 1; i < n; i++)
		ck_assert_int_lt(all[i - 1], all[i]);
	ck_assert_int_eq(ps_pgrp_list(t_sim, few, 3, &m), 0);
	ck_assert_uint_eq(m, n);
	ck_assert_int_eq(few[0], all[0]);
	ck_assert_int_eq(few[1], all[1]);
	ck_assert_int_eq(few[2], all[2]);
	ck_assert_int_eq(ps_pgrp_list(t_sim, NULL, 0, &m), 0);
	ck_assert_uint_eq(m, n);
}
END_TEST

/*
 * [ext] tdsendsignal: a signal in ps_sigignore (default-ignored ones such as
 * SIGCHLD, SIGURG, SIGWINCH) is dropped when it is posted, so it is never
 * pending, not even on a stopped process; SIGCONT is not in that set.
 */
START_TEST(default_ignored_dropped_at_posting)
{
	int32_t sh = t_session(t_sim), c = t_fork(t_sim, sh);
	struct ps_proc_info pi;

	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGSTOP), 0);
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGCHLD), 0);
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGWINCH), 0);
	ck_assert_int_eq(ps_proc_info(t_sim, c, &pi), 0);
	ck_assert_uint_eq(pi.siglist, 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DISCARD, c, PS_SIGCHLD), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DISCARD, c, PS_SIGWINCH), 1);
	/* SIGUSR1 (default: terminate) waits, pending, until the stop ends. */
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGUSR1), 0);
	ck_assert_int_eq(ps_proc_info(t_sim, c, &pi), 0);
	ck_assert_uint_eq(pi.siglist, 1u << (PS_SIGUSR1 - 1));
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGKILL), 0);
}
END_TEST

/*
 * [ext] tdsendsignal: SIGCONT is never in ps_sigignore, so SIGCONT set to
 * SIG_IGN still continues a stopped process (and is not left pending);
 * another signal set to SIG_IGN is dropped at posting.
 */
START_TEST(ignored_sigcont_still_continues)
{
	int32_t sh = t_session(t_sim), c = t_fork(t_sim, sh);
	struct ps_sigaction ign = {.handler = PS_SIG_IGN};
	struct ps_proc_info pi;

	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGCONT, &ign, NULL), 0);
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGHUP, &ign, NULL), 0);
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGSTOP), 0);
	ck_assert_uint_eq(t_flags(t_sim, c) & PS_P_STOPPED_SIG, PS_P_STOPPED_SIG);
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGHUP), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DISCARD, c, PS_SIGHUP), 1);
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGCONT), 0);
	ck_assert_uint_eq(t_count(PS_EV_CONTINUE, c, PS_SIGCONT), 1);
	ck_assert_int_eq(ps_proc_info(t_sim, c, &pi), 0);
	ck_assert_uint_eq(pi.flags & PS_P_STOPPED_SIG, 0);
	ck_assert_uint_eq(pi.flags & PS_P_CONTINUED, PS_P_CONTINUED);
	ck_assert_uint_eq(pi.siglist, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pgrp");
	TCase *tc;

	tc = tcase_create("setsid");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, setsid_returns_new_sid);
	tcase_add_test(tc, setsid_eperm_for_group_leader);
	tcase_add_test(tc, setsid_eperm_when_group_with_callers_pid_exists);
	tcase_add_test(tc, setsid_i18_clears_controlt_and_new_session_has_no_tty);
	tcase_add_test(tc, setsid_deletes_old_group_of_last_member);
	tcase_add_test(tc, setsid_frees_old_session_and_detaches_tty);
	suite_add_tcase(s, tc);

	tc = tcase_create("setpgid");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, setpgid_einval_negative_pgid);
	tcase_add_test(tc, setpgid_esrch_for_non_descendant);
	tcase_add_test(tc, setpgid_accepts_grandchild);
	tcase_add_test(tc, setpgid_eacces_after_exec);
	tcase_add_test(tc, setpgid_eperm_for_session_leader);
	tcase_add_test(tc, setpgid_eperm_target_in_other_session);
	tcase_add_test(tc, setpgid_eperm_pgid_names_no_group);
	tcase_add_test(tc, setpgid_eperm_group_of_other_session);
	tcase_add_test(tc, setpgid_to_current_group_is_noop);
	tcase_add_test(tc, setpgid_create_join_and_delete);
	tcase_add_test(tc, setpgid_error_precedence);
	tcase_add_test(tc, setpgid_by_tracer_depends_on_inferior);
	suite_add_tcase(s, tc);

	/* The group and session calls under the DragonFly 2003 algorithm
	 * (spec §3.7, Appendix A): same results, and inferior() by p_pptr. */
	tc = tcase_create("dragonfly");
	tcase_add_checked_fixture(tc, t_setup_dragonfly, t_teardown);
	tcase_add_test(tc, setpgid_by_tracer_depends_on_inferior);
	tcase_add_test(tc, setpgid_to_current_group_is_noop);
	tcase_add_test(tc, setsid_deletes_old_group_of_last_member);
	tcase_add_test(tc, setsid_frees_old_session_and_detaches_tty);
	tcase_add_test(tc, member_list_order);
	tcase_add_test(tc, deleting_foreground_group_leaves_no_foreground);
	tcase_add_test(tc, tiocsctty_takes_over_after_leader_exit);
	tcase_add_test(tc, pgrp_list_sorted_and_truncated);
	tcase_add_test(tc, default_ignored_dropped_at_posting);
	tcase_add_test(tc, ignored_sigcont_still_continues);
	suite_add_tcase(s, tc);

	tc = tcase_create("getid");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, getpgid_getsid_getpgrp);
	tcase_add_test(tc, getppid_follows_reparenting);
	suite_add_tcase(s, tc);

	tc = tcase_create("lists");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, member_list_order);
	tcase_add_test(tc, member_list_truncated_copy);
	tcase_add_test(tc, children_newest_first);
	tcase_add_test(tc, s_count_equals_number_of_groups);
	suite_add_tcase(s, tc);

	tc = tcase_create("tty");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, tiocsctty_errors_and_success);
	tcase_add_test(tc, tcsetpgrp_tcgetpgrp_errors);
	tcase_add_test(tc, deleting_foreground_group_leaves_no_foreground);
	tcase_add_test(tc, tiocsctty_takes_over_after_leader_exit);
	tcase_add_test(tc, pgrp_list_sorted_and_truncated);
	tcase_add_test(tc, default_ignored_dropped_at_posting);
	tcase_add_test(tc, ignored_sigcont_still_continues);
	suite_add_tcase(s, tc);

	return t_run(s);
}
