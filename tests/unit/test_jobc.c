/*
 * Job-control accounting (spec-kern_proc.md §4, §9 I14-I17, §10.2):
 * pg_jobc as fixjobc/pgadjustjobc maintain it, orphanpg's SIGHUP+SIGCONT,
 * killjobc at exit (the session leader's terminal hangup, the fast path),
 * the worked examples A-E and edge E6 of §4.9, the signal layer's treatment
 * of orphaned groups, the FreeBSD/DragonFly difference in what counts as
 * "stopped", and the kernel-faithful drift of I14.
 *
 * Trees are built through the public API (plus ps__ptrace_attach from
 * internal_api.h for debugger stops).  Pids are whatever fork hands out;
 * variables carry the names the spec's examples use (sh for 10, make for
 * 20, and so on).  The fixture checks every invariant after each
 * operation and at teardown.
 */
#include "testlib.h"

#include "kern/internal_api.h"

#define SIGBIT(s) (1u << ((s) - 1))
#define HANDLER_ADDR 0x1000u

/* --- small helpers --- */

static struct ps_pgrp_info
ginfo(int32_t pgid)
{
	struct ps_pgrp_info gi;

	ck_assert_int_eq(ps_pgrp_info(t_sim, pgid, &gi), 0);
	return gi;
}

static void
catch_signal(int32_t pid, int sig)
{
	struct ps_sigaction sa = {.handler = HANDLER_ADDR};

	ck_assert_int_eq(ps_sigaction(t_sim, pid, sig, &sa, NULL), 0);
}

/* Stop pid with SIGTSTP sent by sender; it must stop (by signal only). */
static void
stop_it(int32_t sender, int32_t pid)
{
	ck_assert_int_eq(ps_kill(t_sim, sender, pid, PS_SIGTSTP), 0);
	ck_assert_msg((t_flags(t_sim, pid) & (PS_P_STOPPED_SIG | PS_P_STOPPED_TRACE)) ==
	                      PS_P_STOPPED_SIG,
	              "pid %d did not stop by signal", pid);
}

static int
is_stopped_sig(int32_t pid)
{
	return (t_flags(t_sim, pid) & PS_P_STOPPED_SIG) != 0;
}

/*
 * pg_jobc recomputed from the definition (spec §4.1, I15): members that
 * are not zombies whose current parent is in another group of the same
 * session.
 */
static int32_t
recompute_jobc(int32_t pgid)
{
	int32_t m[128];
	size_t n = 0;
	struct ps_pgrp_info gi = ginfo(pgid);
	int32_t q = 0;

	ck_assert_int_eq(ps_pgrp_members(t_sim, pgid, m, 128, &n), 0);
	ck_assert_uint_le(n, 128);
	for (size_t i = 0; i < n; i++) {
		struct ps_proc_info pi = t_pinfo(m[i]), pp;
		if (pi.state == PS_PRS_ZOMBIE || pi.pptr == 0)
			continue;
		pp = t_pinfo(pi.pptr);
		if (pp.pgid != pgid && pp.sid == gi.sid)
			q++;
	}
	return q;
}

/* The counter, its recomputation and the orphaned flags all agree. */
static void
assert_jobc(int32_t pgid, int32_t expect)
{
	struct ps_pgrp_info gi = ginfo(pgid);

	ck_assert_msg(gi.pg_jobc == expect, "pgrp %d: pg_jobc %d, expected %d", pgid, gi.pg_jobc,
	              expect);
	ck_assert_msg(recompute_jobc(pgid) == expect, "pgrp %d: recomputed %d, expected %d", pgid,
	              recompute_jobc(pgid), expect);
	ck_assert_int_eq(gi.orphaned, expect == 0);
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

static long
find_pg(size_t from, int type, int32_t pgid)
{
	for (size_t i = from; i < t_events.n && i < EVLOG_MAX; i++)
		if ((int)t_events.ev[i].type == type && t_events.ev[i].pgid == pgid)
			return (long)i;
	return -1;
}

struct pv {
	int32_t a; /* pid or pgid */
	int32_t b; /* signal or value */
};

/* The (pgid, value) pairs of every event of a type, in order. */
static size_t
pg_events(int type, struct pv *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < t_events.n && i < EVLOG_MAX; i++) {
		const struct ps_event *e = &t_events.ev[i];
		if ((int)e->type != type)
			continue;
		if (n < cap) {
			out[n].a = e->pgid;
			out[n].b = e->value;
		}
		n++;
	}
	return n;
}

static void
assert_pv(const char *what, const struct pv *got, size_t ngot, const struct pv *exp, size_t nexp)
{
	for (size_t i = 0; i < ngot && i < nexp; i++)
		ck_assert_msg(got[i].a == exp[i].a && got[i].b == exp[i].b,
		              "%s #%zu: got (%d, %d), expected (%d, %d)", what, i, got[i].a, got[i].b,
		              exp[i].a, exp[i].b);
	ck_assert_msg(ngot == nexp, "%s: %zu entries, expected %zu", what, ngot, nexp);
}

/* JOBC events (pgid, new count) of the log, in order, must be exp. */
static void
assert_jobc_events(const struct pv *exp, size_t nexp)
{
	struct pv got[64] = { { 0, 0 } };
	size_t n = pg_events(PS_EV_JOBC, got, 64);

	assert_pv("jobc events", got, n < 64 ? n : 64, exp, nexp);
	ck_assert_uint_eq(n, nexp);
}

/* ORPHANED events (pgid, has-stopped-member) of the log, in order. */
static void
assert_orphaned_events(const struct pv *exp, size_t nexp)
{
	struct pv got[64] = { { 0, 0 } };
	size_t n = pg_events(PS_EV_ORPHANED, got, 64);

	assert_pv("orphaned events", got, n < 64 ? n : 64, exp, nexp);
	ck_assert_uint_eq(n, nexp);
}

/*
 * Every SIGHUP and SIGCONT posted (SIGNAL_SEND) in the log, in order, as
 * (pid, sig), must be exp; all of them must come from the kernel (pid2 0).
 */
static void
assert_hupcont(const struct pv *exp, size_t nexp)
{
	struct pv got[64] = { { 0, 0 } };
	size_t n = 0;

	for (size_t i = 0; i < t_events.n && i < EVLOG_MAX; i++) {
		const struct ps_event *e = &t_events.ev[i];
		if ((int)e->type != PS_EV_SIGNAL_SEND || (e->sig != PS_SIGHUP && e->sig != PS_SIGCONT))
			continue;
		ck_assert_msg(e->pid2 == 0, "%s to %d sent by %d, not the kernel",
		              ps_signal_name(e->sig), e->pid, e->pid2);
		if (n < 64) {
			got[n].a = e->pid;
			got[n].b = e->sig;
		}
		n++;
	}
	assert_pv("SIGHUP/SIGCONT", got, n < 64 ? n : 64, exp, nexp);
	ck_assert_uint_eq(n, nexp);
}

static int32_t
new_tty(const char *name)
{
	int32_t dev = -1;

	ck_assert_int_eq(ps_tty_new(t_sim, name, &dev), 0);
	return dev;
}

/*
 * spec §4.9 Example A, built through the API:
 *   1(0) pg 1 s 1; sh(1) pg sh s sh (login shell, setsid);
 *   make(sh) pg make, its children m21, m22 in pg make;
 *   p30(sh), p31(sh) pg p30; j40(sh) pg j40, c41(j40) pg c41; c50(sh) pg sh.
 * sh forks its children in pid order: make, p30, p31, j40, c50.
 * With with_tty, sh takes a terminal first so its children inherit
 * P_CONTROLT.
 */
struct exa {
	int32_t sh, make, m21, m22, p30, p31, j40, c41, c50;
	int32_t tty;
};

static void
build_example_a(struct exa *x, int with_tty)
{
	x->sh = t_session(t_sim);
	x->tty = -1;
	if (with_tty) {
		x->tty = new_tty("ttyv0");
		ck_assert_int_eq(ps_tiocsctty(t_sim, x->sh, x->tty), 0);
	}
	x->make = t_fork_of(x->sh);
	t_setpgid_ok(x->sh, x->make, x->make);
	x->m21 = t_fork_of(x->make);
	x->m22 = t_fork_of(x->make);
	x->p30 = t_fork_of(x->sh);
	t_setpgid_ok(x->sh, x->p30, x->p30);
	x->p31 = t_fork_of(x->sh);
	t_setpgid_ok(x->sh, x->p31, x->p30);
	x->j40 = t_fork_of(x->sh);
	t_setpgid_ok(x->sh, x->j40, x->j40);
	x->c41 = t_fork_of(x->j40);
	t_setpgid_ok(x->j40, x->c41, x->c41);
	x->c50 = t_fork_of(x->sh);
}

/* ====================================================================== */
/* Worked examples                                                          */
/* ====================================================================== */

/* spec §4.9 Example A: the counts of a static tree, and s_count 5 for the
 * shell's session (pgrps sh, make, 30, 40, 41), 1 for init's. */
START_TEST(example_a_counts)
{
	struct exa x;

	build_example_a(&x, 0);
	assert_jobc(1, 0);
	assert_jobc(x.sh, 0);
	assert_jobc(x.make, 1);
	assert_jobc(x.p30, 2);
	assert_jobc(x.j40, 1);
	assert_jobc(x.c41, 1);
	ck_assert_int_eq(t_sess(x.sh).s_count, 5);
	ck_assert_int_eq(t_sess(1).s_count, 1);
	ck_assert_int_eq(t_pinfo(x.m21).pg_jobc, 1);
	ck_assert_int_eq(t_pinfo(x.c50).orphaned, 1);
	ck_assert_int_eq(t_pinfo(x.c41).orphaned, 0);
	{
		int32_t m[8];
		size_t n = 0;
		ck_assert_int_eq(ps_pgrp_members(t_sim, x.p30, m, 8, &n), 0);
		ck_assert_uint_eq(n, 2);
		ck_assert_int_eq(m[0], x.p31); /* setpgid joins at the head */
		ck_assert_int_eq(m[1], x.p30);
	}
}
END_TEST

/* spec §4.9 Example A, "How pg 30 reached 2": +1 when 30 creates pg 30
 * (parent in pg sh), nothing for leaving pg sh, +1 when 31 joins. */
START_TEST(example_a_how_pg30_reached_2)
{
	int32_t sh = t_session(t_sim);
	int32_t p30 = t_fork_of(sh), p31 = t_fork_of(sh);

	t_clear_events();
	t_setpgid_ok(sh, p30, p30);
	{
		struct pv exp[] = {{p30, 1}};
		assert_jobc_events(exp, 1);
	}
	ck_assert_uint_eq(count_pg(PS_EV_ORPHANED, 0), 0);
	t_clear_events();
	t_setpgid_ok(sh, p31, p30);
	{
		struct pv exp[] = {{p30, 2}};
		assert_jobc_events(exp, 1);
	}
	assert_jobc(p30, 2);
	assert_jobc(sh, 0);
}
END_TEST

/* spec §4.9 Example B, §4.6, §4.7, §10.2 item 6, I17: 40 exits; pg 40
 * goes 1 -> 0 (orphanpg: no stopped member, nothing sent), then pg 41
 * 1 -> 0 with 41 stopped: every member of pg 41 gets SIGHUP then SIGCONT,
 * in member-list order (41, 43, 42: fork inserts after the parent), once.
 * 41 is handed to init only after that; it dies of the SIGHUP. */
START_TEST(example_b_parent_exit_hangs_up_stopped_group)
{
	struct exa x;
	int32_t c42, c43;
	int32_t before;
	int st = 0;
	long orph41, rep41;

	build_example_a(&x, 0);
	c42 = t_fork_of(x.c41);
	c43 = t_fork_of(x.c41);
	assert_jobc(x.c41, 1); /* 42 and 43 have their parent in pg 41 */
	stop_it(x.j40, x.c41);
	ck_assert_int_eq(is_stopped_sig(c42), 0);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, x.j40, 0), 0);
	{
		struct pv exp[] = {{x.j40, 0}, {x.c41, 0}};
		assert_jobc_events(exp, 2);
	}
	{
		struct pv exp[] = {{x.j40, 0}, {x.c41, 1}};
		assert_orphaned_events(exp, 2);
	}
	{
		struct pv exp[] = {{x.c41, PS_SIGHUP}, {x.c41, PS_SIGCONT}, {c43, PS_SIGHUP},
		                   {c43, PS_SIGCONT}, {c42, PS_SIGHUP}, {c42, PS_SIGCONT}};
		assert_hupcont(exp, 6);
	}
	/* Step 3: the reparenting to init comes later in exit. */
	orph41 = find_pg(0, PS_EV_ORPHANED, x.c41);
	rep41 = t_find(0, PS_EV_REPARENT, x.c41, 0);
	ck_assert_int_ge(rep41, 0);
	ck_assert_int_eq(t_events.ev[rep41].pid2, 1);
	ck_assert_int_gt(rep41, orph41);
	/* Continued, 41, 42 and 43 die of the SIGHUP; init reaps them. */
	ck_assert_int_eq(t_state(t_sim, x.c41), -1);
	ck_assert_int_eq(t_state(t_sim, c42), -1);
	ck_assert_int_eq(t_state(t_sim, c43), -1);
	ck_assert_uint_eq(t_count(PS_EV_CONTINUE, x.c41, 0), 1);
	ck_assert_int_eq(ps_pgfind(t_sim, x.c41), PS_ESRCH);
	/* Step 4: 40 is a zombie in pg 40 until sh reaps it; then pg 40 goes
	 * and the session loses one reference. */
	ck_assert_int_eq(t_state(t_sim, x.j40), PS_PRS_ZOMBIE);
	before = t_sess(x.sh).s_count;
	t_clear_events();
	ck_assert_int_eq(ps_wait(t_sim, x.sh, x.j40, 0, &st), x.j40);
	ck_assert_int_ge(find_pg(0, PS_EV_PGRP_DELETE, x.j40), 0);
	ck_assert_int_eq(t_sess(x.sh).s_count, before - 1);
	ck_assert_uint_eq(count_pg(PS_EV_JOBC, 0), 0); /* leavepgrp does no accounting (§3.4) */
}
END_TEST

/* spec §4.9 Example B step 5, §4.6 "If no member is stopped, nothing is
 * sent": with 41 running, pg 41 is orphaned (PS_EV_ORPHANED, value 0), no
 * signal is sent, and it stays orphaned after 41 goes to init. */
START_TEST(example_b_no_stopped_member_no_signals)
{
	struct exa x;
	int st = 0;

	build_example_a(&x, 0);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, x.j40, 0), 0);
	{
		struct pv exp[] = {{x.j40, 0}, {x.c41, 0}};
		assert_orphaned_events(exp, 2);
	}
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, PS_SIGHUP), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, PS_SIGCONT), 0);
	ck_assert_int_eq(t_state(t_sim, x.c41), PS_PRS_NORMAL);
	ck_assert_int_eq(t_pinfo(x.c41).ppid, 1);
	assert_jobc(x.c41, 0);
	ck_assert_int_eq(t_sess(x.sh).s_count, 5);
	ck_assert_int_eq(ps_wait(t_sim, x.sh, x.j40, 0, &st), x.j40);
	ck_assert_int_eq(t_sess(x.sh).s_count, 4); /* spec: 5 -> 4 */
	assert_jobc(x.c41, 0);
}
END_TEST

/* spec §4.9 Example C, §4.5, §3.3 step 2: 60 (with child 61 in pg 61)
 * joins pg sh.  The entering pass runs first: pg 61 1 -> 2, then leaving:
 * pg 60 1 -> 0 (orphanpg, nothing to send), pg 61 2 -> 1.  The stopped 61
 * is NOT hung up.  Final counts pg sh 0, pg 61 1; pg 60 deleted. */
START_TEST(example_c_increment_before_decrement)
{
	int32_t sh = t_session(t_sim);
	int32_t p60 = t_fork_of(sh), p61;
	int32_t before;
	long orph60, dec61;

	t_setpgid_ok(sh, p60, p60);
	p61 = t_fork_of(p60);
	t_setpgid_ok(p60, p61, p61);
	assert_jobc(p60, 1);
	assert_jobc(p61, 1);
	stop_it(p60, p61);
	before = t_sess(sh).s_count;
	t_clear_events();
	t_setpgid_ok(p60, 0, sh);
	{
		struct pv exp[] = {{p61, 2}, {p60, 0}, {p61, 1}};
		assert_jobc_events(exp, 3);
	}
	{
		struct pv exp[] = {{p60, 0}};
		assert_orphaned_events(exp, 1);
	}
	/* orphanpg(pg 60) runs between the two pg 61 adjustments. */
	orph60 = find_pg(0, PS_EV_ORPHANED, p60);
	dec61 = find_pg((size_t)find_pg(0, PS_EV_JOBC, p61) + 1, PS_EV_JOBC, p61);
	ck_assert_int_lt(orph60, dec61);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, 0), 0);
	ck_assert_int_eq(is_stopped_sig(p61), 1);
	assert_jobc(sh, 0);
	assert_jobc(p61, 1);
	ck_assert_int_ge(find_pg(0, PS_EV_PGRP_DELETE, p60), 0);
	ck_assert_int_eq(ps_pgfind(t_sim, p60), PS_ESRCH);
	ck_assert_int_eq(t_sess(sh).s_count, before - 1);
	{
		int32_t m[4];
		size_t n = 0;
		ck_assert_int_eq(ps_pgrp_members(t_sim, sh, m, 4, &n), 0);
		ck_assert_uint_eq(n, 2);
		ck_assert_int_eq(m[0], p60); /* moved to the head of pg sh */
	}
}
END_TEST

/* spec §4.9 Example D, §10.2 item 18, I16: 70 (in pg sh, not a leader)
 * calls setsid while its stopped child 71 sits in pg 71: the new pg 70
 * starts at 0 with no orphanpg; leaving pg sh takes pg 71 1 -> 0 and
 * hangs 71 up (SIGHUP, SIGCONT).  pg sh keeps sh. */
START_TEST(example_d_setsid_orphans_childs_group)
{
	int32_t sh = t_session(t_sim);
	int32_t p70 = t_fork_of(sh), p71;
	long screate, orph71;

	p71 = t_fork_of(p70);
	t_setpgid_ok(p70, p71, p71);
	assert_jobc(p71, 1);
	stop_it(p70, p71);
	t_clear_events();
	ck_assert_int_eq(ps_setsid(t_sim, p70), p70);
	{
		struct pv exp[] = {{p71, 0}};
		assert_jobc_events(exp, 1);
	}
	{
		struct pv exp[] = {{p71, 1}};
		assert_orphaned_events(exp, 1);
	}
	{
		struct pv exp[] = {{p71, PS_SIGHUP}, {p71, PS_SIGCONT}};
		assert_hupcont(exp, 2);
	}
	screate = t_find(0, PS_EV_SESSION_CREATE, p70, 0);
	orph71 = find_pg(0, PS_EV_ORPHANED, p71);
	ck_assert_int_ge(screate, 0);
	ck_assert_int_gt(orph71, screate);
	assert_jobc(p70, 0);
	ck_assert_int_eq(t_sess(p70).s_count, 1);
	ck_assert_int_eq(ps_pgfind(t_sim, sh), 0);
	ck_assert_int_eq(ginfo(sh).members, 1);
	/* 71 died of the SIGHUP; 70 has not waited: a zombie in pg 71. */
	ck_assert_int_eq(t_state(t_sim, p71), PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_pinfo(p71).xstat, PS_SIGHUP);
	ck_assert_int_eq(t_pinfo(p71).pgid, p71);
}
END_TEST

/* spec §4.9 Example E, §4.7, §10.2 item 9, I12: the leader sh exits with a
 * terminal whose foreground group is pg 30 and make stopped.  Order:
 * SIGHUP to the foreground group (31, 30; no SIGCONT), the vnode revoked,
 * then fixjobc in child-list order 50, 40, 31, 30, make: pg 40 1 -> 0,
 * pg 30 2 -> 1 -> 0, pg make 1 -> 0 with SIGHUP+SIGCONT to make, 22, 21.
 * pg 41 untouched.  The session keeps s_ttyp; s_ttyvp and s_leader go. */
START_TEST(example_e_leader_exit_with_tty)
{
	struct exa x;
	long rev, hup31, hup30, jobc0;
	struct ps_session_info si;

	build_example_a(&x, 1);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, x.sh, x.tty, x.p30), 0);
	ck_assert_uint_eq(t_flags(t_sim, x.p30) & PS_P_CONTROLT, PS_P_CONTROLT);
	stop_it(x.sh, x.make);
	{
		int32_t kids[8];
		size_t n = 0;
		ck_assert_int_eq(ps_proc_children(t_sim, x.sh, kids, 8, &n), 0);
		ck_assert_uint_eq(n, 5);
		ck_assert_int_eq(kids[0], x.c50);
		ck_assert_int_eq(kids[1], x.j40);
		ck_assert_int_eq(kids[2], x.p31);
		ck_assert_int_eq(kids[3], x.p30);
		ck_assert_int_eq(kids[4], x.make);
	}
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, x.sh, 0), 0);

	{
		struct pv exp[] = {{x.p31, PS_SIGHUP},  {x.p30, PS_SIGHUP},  {x.make, PS_SIGHUP},
		                   {x.make, PS_SIGCONT}, {x.m22, PS_SIGHUP},  {x.m22, PS_SIGCONT},
		                   {x.m21, PS_SIGHUP},  {x.m21, PS_SIGCONT}};
		assert_hupcont(exp, 8);
	}
	rev = t_find(0, PS_EV_REVOKE, 0, 0);
	hup31 = t_find(0, PS_EV_SIGNAL_SEND, x.p31, PS_SIGHUP);
	hup30 = t_find(0, PS_EV_SIGNAL_SEND, x.p30, PS_SIGHUP);
	jobc0 = t_find(0, PS_EV_JOBC, 0, 0);
	ck_assert_int_ge(rev, 0);
	ck_assert_int_eq(t_events.ev[rev].value, x.tty);
	ck_assert_uint_eq(t_count(PS_EV_REVOKE, 0, 0), 1);
	ck_assert_int_lt(hup31, rev);
	ck_assert_int_lt(hup30, rev);
	ck_assert_int_gt(jobc0, rev);
	{
		struct pv exp[] = {{x.j40, 0}, {x.p30, 1}, {x.p30, 0}, {x.make, 0}};
		assert_jobc_events(exp, 4);
	}
	{
		struct pv exp[] = {{x.j40, 0}, {x.p30, 0}, {x.make, 1}};
		assert_orphaned_events(exp, 3);
	}
	/* No SIGCONT from the terminal path. */
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, x.p30, PS_SIGCONT), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, x.p31, PS_SIGCONT), 0);
	/* Not in the foreground group: no hangup for 50, 40, 41. */
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, x.c50, 0), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, x.j40, PS_SIGHUP), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, x.c41, 0), 0);

	/* Step 5: the session lives on without a leader, s_ttyp kept. */
	si = t_sess(x.sh);
	ck_assert_int_eq(si.leader, 0);
	ck_assert_int_eq(si.tty, x.tty);
	ck_assert_int_eq(si.tty_vnode, 0);
	ck_assert_int_eq(t_pinfo(x.c50).session_leader, 0);
	ck_assert_int_eq(t_pinfo(x.c50).tty, x.tty); /* P_CONTROLT and s_ttyp */
	/* 30, 31, make, 21, 22 died of the SIGHUP and init reaped them; the
	 * session has pgrps sh (50), 40 and 41 left. */
	ck_assert_int_eq(t_state(t_sim, x.p30), -1);
	ck_assert_int_eq(t_state(t_sim, x.p31), -1);
	ck_assert_int_eq(t_state(t_sim, x.make), -1);
	ck_assert_int_eq(t_state(t_sim, x.m21), -1);
	ck_assert_int_eq(t_state(t_sim, x.m22), -1);
	ck_assert_int_eq(t_state(t_sim, x.sh), -1);
	ck_assert_int_eq(si.s_count, 3);
	ck_assert_int_eq(si.tpgid, -1); /* the foreground pg 30 is gone */
	assert_jobc(x.c41, 1);
	assert_jobc(x.j40, 0);
	assert_jobc(x.sh, 0);
}
END_TEST

/* spec §4.7 step 3.2 [ext: only members with P_CONTROLT], §1.6
 * tty_signal_pgrp: the leader's hangup of the foreground group skips a
 * member that has no controlling terminal (forked before TIOCSCTTY). */
START_TEST(leader_exit_hangs_up_only_ctty_members)
{
	int32_t sh = t_session(t_sim);
	int32_t early = t_fork_of(sh), late;
	int32_t dev = new_tty("ttyv0");

	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, dev), 0);
	late = t_fork_of(sh);
	ck_assert_uint_eq(t_flags(t_sim, early) & PS_P_CONTROLT, 0);
	ck_assert_uint_eq(t_flags(t_sim, late) & PS_P_CONTROLT, PS_P_CONTROLT);
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, sh, dev), sh);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, sh, 0), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, late, PS_SIGHUP), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, early, PS_SIGHUP), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, PS_SIGCONT), 0);
	ck_assert_int_eq(t_state(t_sim, late), -1); /* died of the SIGHUP */
	ck_assert_int_eq(t_state(t_sim, early), PS_PRS_NORMAL);
	ck_assert_uint_eq(t_count(PS_EV_REVOKE, 0, 0), 1);
}
END_TEST

/* spec §4.9 Edge E6: X (parent Y in pg Y) joins the leader's pg sh and
 * qualifies it (jobc 1).  When Y exits, pg sh goes to 0 with X stopped:
 * every member, the session leader included, gets SIGHUP and SIGCONT. */
START_TEST(edge_e6_leader_group_orphaned_later)
{
	int32_t sh = t_session(t_sim);
	int32_t y = t_fork_of(sh), xx;

	catch_signal(sh, PS_SIGHUP); /* the leader survives to be inspected */
	t_setpgid_ok(sh, y, y);
	xx = t_fork_of(y);
	t_setpgid_ok(y, xx, sh);
	assert_jobc(sh, 1);
	assert_jobc(y, 1);
	stop_it(y, xx);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, y, 0), 0);
	{
		struct pv exp[] = {{y, 0}, {sh, 0}};
		assert_jobc_events(exp, 2);
	}
	{
		struct pv exp[] = {{y, 0}, {sh, 1}};
		assert_orphaned_events(exp, 2);
	}
	{
		struct pv exp[] = {{xx, PS_SIGHUP}, {xx, PS_SIGCONT}, {sh, PS_SIGHUP}, {sh, PS_SIGCONT}};
		assert_hupcont(exp, 4);
	}
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DELIVER, sh, PS_SIGHUP), 1);
	ck_assert_int_eq(t_state(t_sim, sh), PS_PRS_NORMAL);
	ck_assert_int_eq(t_sess(sh).leader, sh);
	ck_assert_int_eq(t_state(t_sim, xx), -1); /* continued, died of SIGHUP */
	assert_jobc(sh, 0);
}
END_TEST

/* ====================================================================== */
/* §10.2 checklist                                                          */
/* ====================================================================== */

/* spec §10.2 item 4, §3.3 step 2, §4.6 "Membership at that moment": m
 * leaves pg A for a new group and its departure orphans A, which has a
 * stopped member.  m is still a member of A and is hung up with it (the
 * event shows m in pg A), never as a member of its new group.  A zombie
 * member is signalled too and the signal layer discards it (item 6). */
START_TEST(orphanpg_during_move_signals_mover)
{
	int32_t sh = t_session(t_sim);
	int32_t a = t_fork_of(sh), k, m;
	long hupm;

	t_setpgid_ok(sh, a, a);
	k = t_fork_of(a);
	m = t_fork_of(sh);
	catch_signal(m, PS_SIGHUP);
	t_setpgid_ok(sh, m, a); /* A: m, a, k */
	assert_jobc(a, 2);
	ck_assert_int_eq(ps_exit(t_sim, a, 0), 0); /* zombie in A; k to init */
	assert_jobc(a, 1);
	stop_it(sh, k);
	t_clear_events();
	t_setpgid_ok(m, 0, 0);
	{
		struct pv exp[] = {{m, 1}, {a, 0}};
		assert_jobc_events(exp, 2);
	}
	{
		struct pv exp[] = {{a, 1}};
		assert_orphaned_events(exp, 1);
	}
	{
		struct pv exp[] = {{m, PS_SIGHUP}, {m, PS_SIGCONT}, {a, PS_SIGHUP},
		                   {a, PS_SIGCONT}, {k, PS_SIGHUP}, {k, PS_SIGCONT}};
		assert_hupcont(exp, 6);
	}
	hupm = t_find(0, PS_EV_SIGNAL_SEND, m, PS_SIGHUP);
	ck_assert_int_eq(t_events.ev[hupm].pgid, a);
	ck_assert_int_lt(hupm, t_find(0, PS_EV_SETPGID, m, 0));
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DISCARD, a, PS_SIGHUP), 1); /* zombie */
	ck_assert_int_eq(t_state(t_sim, m), PS_PRS_NORMAL);
	ck_assert_int_eq(t_pinfo(m).pgid, m);
	assert_jobc(m, 1);
	ck_assert_int_eq(t_state(t_sim, k), -1);
}
END_TEST

/* spec §10.2 item 7, §4.3 step B: one exit orphans several groups: the
 * exiting process's own group first, then its children's groups in
 * child-list order (newest first); only those with a stopped member are
 * hung up. */
START_TEST(several_groups_orphaned_in_child_list_order)
{
	int32_t sh = t_session(t_sim);
	int32_t p = t_fork_of(sh), c1, c2, c3;

	t_setpgid_ok(sh, p, p);
	c1 = t_fork_of(p);
	t_setpgid_ok(p, c1, c1);
	c2 = t_fork_of(p);
	t_setpgid_ok(p, c2, c2);
	c3 = t_fork_of(p);
	t_setpgid_ok(p, c3, c3);
	stop_it(p, c1);
	stop_it(p, c3);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, p, 0), 0);
	{
		struct pv exp[] = {{p, 0}, {c3, 0}, {c2, 0}, {c1, 0}};
		assert_jobc_events(exp, 4);
	}
	{
		struct pv exp[] = {{p, 0}, {c3, 1}, {c2, 0}, {c1, 1}};
		assert_orphaned_events(exp, 4);
	}
	{
		struct pv exp[] = {{c3, PS_SIGHUP}, {c3, PS_SIGCONT}, {c1, PS_SIGHUP}, {c1, PS_SIGCONT}};
		assert_hupcont(exp, 4);
	}
	ck_assert_int_eq(t_state(t_sim, c2), PS_PRS_NORMAL);
	assert_jobc(c2, 0);
}
END_TEST

/* spec §10.2 item 8, §4.7 step 1: a process that is not a leader, shares
 * its parent's group and has no children exits with no job-control work
 * at all.  Contrast: in the parent's group but with a child in another
 * group, exit is not the fast path and the child's group is decremented. */
START_TEST(killjobc_fast_path)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork_of(sh), d = t_fork_of(sh), e;

	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, c, 0), 0);
	ck_assert_uint_eq(t_count(PS_EV_EXIT, c, 0), 1);
	ck_assert_uint_eq(t_count(PS_EV_JOBC, 0, 0), 0);
	ck_assert_uint_eq(t_count(PS_EV_ORPHANED, 0, 0), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, PS_SIGHUP), 0);

	e = t_fork_of(d);
	t_setpgid_ok(d, e, e);
	assert_jobc(e, 1);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, d, 0), 0);
	{
		struct pv exp[] = {{e, 0}};
		assert_jobc_events(exp, 1);
	}
	{
		struct pv exp[] = {{e, 0}};
		assert_orphaned_events(exp, 1);
	}
	assert_jobc(e, 0);
}
END_TEST

/* spec §4.3 step B ("skip q if q is PRS_ZOMBIE"), §4.7 step 4: a zombie
 * child's qualification went at its own exit; its parent's later exit must
 * not decrement the zombie's group again. */
START_TEST(zombie_children_skipped)
{
	int32_t sh = t_session(t_sim);
	int32_t p = t_fork_of(sh), z;

	z = t_fork_of(p);
	t_setpgid_ok(p, z, z);
	assert_jobc(z, 1);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, z, 0), 0);
	{
		struct pv exp[] = {{z, 0}};
		assert_jobc_events(exp, 1);
	}
	ck_assert_int_eq(t_state(t_sim, z), PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_jobc(t_sim, z), 0);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, p, 0), 0);
	ck_assert_uint_eq(count_pg(PS_EV_JOBC, z), 0);
	ck_assert_uint_eq(count_pg(PS_EV_ORPHANED, z), 0);
}
END_TEST

/* spec §9 I16, §4.2 ("Creating a group with count 0 never triggers it"),
 * §4.1 consequences: a group created by setsid is orphaned from birth and
 * orphanpg is never called for it; nor is it touched when the leader
 * forks children that make groups of their own. */
START_TEST(i16_setsid_group_orphaned_from_birth)
{
	int32_t sh, c;

	t_clear_events();
	sh = t_session(t_sim);
	assert_jobc(sh, 0);
	ck_assert_int_eq(ginfo(sh).orphaned, 1);
	ck_assert_int_eq(t_pinfo(sh).orphaned, 1);
	ck_assert_uint_eq(count_pg(PS_EV_ORPHANED, 0), 0);
	ck_assert_uint_eq(count_pg(PS_EV_JOBC, 0), 0);
	c = t_fork_of(sh);
	t_setpgid_ok(sh, c, c);
	assert_jobc(c, 1);
	assert_jobc(sh, 0);
	ck_assert_uint_eq(count_pg(PS_EV_ORPHANED, 0), 0);
	ck_assert_uint_eq(count_pg(PS_EV_JOBC, sh), 0);
}
END_TEST

/* spec §4.1 [ext], §4.9 Example B step 5: a terminal stop signal (TSTP,
 * TTIN, TTOU) with the default action sent to a member of an orphaned
 * group is discarded (PS_EV_SIGNAL_DISCARD, no stop); a caught one is
 * still delivered; SIGSTOP still stops it.  In a group that is not
 * orphaned SIGTSTP stops. */
START_TEST(tty_stop_discarded_for_orphaned_group)
{
	struct exa x;
	static const int ttysigs[] = {PS_SIGTSTP, PS_SIGTTIN, PS_SIGTTOU};

	build_example_a(&x, 0);
	ck_assert_int_eq(ps_exit(t_sim, x.j40, 0), 0);
	assert_jobc(x.c41, 0);
	for (size_t i = 0; i < 3; i++) {
		t_clear_events();
		ck_assert_int_eq(ps_kill(t_sim, x.sh, -x.c41, ttysigs[i]), 0);
		ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DISCARD, x.c41, ttysigs[i]), 1);
		ck_assert_uint_eq(t_count(PS_EV_STOP, x.c41, 0), 0);
		ck_assert_int_eq(is_stopped_sig(x.c41), 0);
		ck_assert_uint_eq(t_pinfo(x.c41).siglist & SIGBIT(ttysigs[i]), 0);
	}
	/* Caught: delivered to the handler, not discarded. */
	catch_signal(x.c41, PS_SIGTSTP);
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, x.sh, x.c41, PS_SIGTSTP), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DISCARD, x.c41, PS_SIGTSTP), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DELIVER, x.c41, PS_SIGTSTP), 1);
	ck_assert_int_eq(is_stopped_sig(x.c41), 0);
	/* SIGSTOP is not a terminal stop signal: it stops. */
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, x.sh, -x.c41, PS_SIGSTOP), 0);
	ck_assert_uint_eq(t_count(PS_EV_STOP, x.c41, PS_SIGSTOP), 1);
	ck_assert_int_eq(is_stopped_sig(x.c41), 1);
	/* Not orphaned (pg make has jobc 1): SIGTSTP stops. */
	assert_jobc(x.make, 1);
	stop_it(x.sh, x.make);
}
END_TEST

/* [ext] signal layer, spec §4.6 (SIGCONT resumes): posting SIGCONT
 * discards pending stop signals; they never take effect. */
START_TEST(sigcont_discards_pending_stops)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork_of(sh);
	uint32_t stops = SIGBIT(PS_SIGTSTP) | SIGBIT(PS_SIGTTIN) | SIGBIT(PS_SIGTTOU);

	t_setpgid_ok(sh, c, c);
	assert_jobc(c, 1); /* not orphaned: the stops are not discarded at once */
	ck_assert_int_eq(ps_sigprocmask(t_sim, c, 1, stops, NULL), 0);
	ck_assert_int_eq(ps_kill(t_sim, c, c, PS_SIGTSTP), 0);
	ck_assert_int_eq(ps_kill(t_sim, c, 0, PS_SIGTTIN), 0);
	ck_assert_int_eq(ps_kill(t_sim, c, c, PS_SIGTTOU), 0);
	ck_assert_uint_eq(t_pinfo(c).siglist & stops, stops);
	ck_assert_int_eq(is_stopped_sig(c), 0);
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGCONT), 0);
	ck_assert_uint_eq(t_pinfo(c).siglist & stops, 0);
	ck_assert_int_eq(ps_sigprocmask(t_sim, c, 2, stops, NULL), 0);
	ck_assert_int_eq(is_stopped_sig(c), 0);
	ck_assert_uint_eq(t_count(PS_EV_STOP, c, 0), 0);
}
END_TEST

/* spec §9 I17, §4.6, §10.2 items 6 and 7: a group decremented twice by one
 * event (2 -> 1 -> 0) is processed once, on the decrement that lands on 0;
 * every member (running, stopped, zombie) gets exactly one SIGHUP followed
 * by exactly one SIGCONT; nothing else sends SIGCONT. */
START_TEST(i17_hup_cont_exactly_once_per_member)
{
	int32_t sh = t_session(t_sim);
	int32_t p = t_fork_of(sh), c1, c2, c3, z;
	int32_t members[4];

	c1 = t_fork_of(p);
	t_setpgid_ok(p, c1, c1);
	c3 = t_fork_of(c1);
	c2 = t_fork_of(p);
	t_setpgid_ok(p, c2, c1);
	z = t_fork_of(c2);
	ck_assert_int_eq(ps_exit(t_sim, z, 0), 0); /* a zombie member of G */
	assert_jobc(c1, 2);                        /* c1 and c2, through p */
	stop_it(c1, c3);
	members[0] = c2;
	members[1] = z;
	members[2] = c1;
	members[3] = c3;
	{
		int32_t got[8];
		size_t n = 0;
		ck_assert_int_eq(ps_pgrp_members(t_sim, c1, got, 8, &n), 0);
		ck_assert_uint_eq(n, 4);
		for (size_t i = 0; i < 4; i++)
			ck_assert_int_eq(got[i], members[i]);
	}
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, p, 0), 0);
	{
		struct pv exp[] = {{c1, 1}, {c1, 0}};
		assert_jobc_events(exp, 2);
	}
	{
		struct pv exp[] = {{c1, 1}};
		assert_orphaned_events(exp, 1);
	}
	for (size_t i = 0; i < 4; i++) {
		long h = t_find(0, PS_EV_SIGNAL_SEND, members[i], PS_SIGHUP);
		long c = t_find(0, PS_EV_SIGNAL_SEND, members[i], PS_SIGCONT);
		ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, members[i], PS_SIGHUP), 1);
		ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, members[i], PS_SIGCONT), 1);
		ck_assert_int_ge(h, 0);
		ck_assert_int_gt(c, h);
	}
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, PS_SIGCONT), 4);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DISCARD, z, PS_SIGHUP), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DISCARD, z, PS_SIGCONT), 1);
	{
		struct pv exp[] = {{c2, PS_SIGHUP}, {c2, PS_SIGCONT}, {z, PS_SIGHUP}, {z, PS_SIGCONT},
		                   {c1, PS_SIGHUP}, {c1, PS_SIGCONT}, {c3, PS_SIGHUP}, {c3, PS_SIGCONT}};
		assert_hupcont(exp, 8);
	}
}
END_TEST

/* ====================================================================== */
/* FreeBSD vs DragonFly: a debugger stop                                    */
/* ====================================================================== */

/*
 * spec §4.4, §4.6, §10.2 item 5: pg J's only stopped member k is stopped
 * by the debugger (t, in another session, attached).  J's last
 * qualification goes when j exits.  FreeBSD counts only a pure signal
 * stop: nothing is sent.  DragonFly counts any stop (SSTOP): every member
 * of J (j, k) gets SIGHUP and SIGCONT.
 */
static void
debugger_stop_scenario(int dragonfly)
{
	struct ps_config cfg;
	int32_t sh = t_session(t_sim);
	int32_t j = t_fork_of(sh), k, t;
	struct ps_proc_info pi;

	ck_assert_int_eq(ps_sim_config(t_sim, &cfg), 0);
	ck_assert_int_eq(cfg.jobc_algo, dragonfly ? PS_JOBC_DRAGONFLY : PS_JOBC_FREEBSD);
	t_setpgid_ok(sh, j, j);
	k = t_fork_of(j);
	t = t_session(t_sim);
	ck_assert_int_eq(ps__ptrace_attach(t_sim, t, k), 0);
	pi = t_pinfo(k);
	/* ptracestop sets both stop bits: FreeBSD's orphanpg asks for exactly
	 * P_STOPPED_SIG, so this member does not count as stopped there. */
	ck_assert_uint_eq(pi.flags & (PS_P_TRACED | PS_P_STOPPED_TRACE | PS_P_STOPPED_SIG),
	                  PS_P_TRACED | PS_P_STOPPED_TRACE | PS_P_STOPPED_SIG);
	ck_assert_int_eq(pi.pptr, t);
	ck_assert_int_eq(pi.ppid, j);
	assert_jobc(j, 1);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, j, 0), 0);
	{
		struct pv exp[] = {{j, 0}};
		assert_jobc_events(exp, 1);
	}
	if (dragonfly) {
		struct pv orph[] = {{j, 1}};
		struct pv sigs[] = {{j, PS_SIGHUP}, {j, PS_SIGCONT}, {k, PS_SIGHUP}, {k, PS_SIGCONT}};
		assert_orphaned_events(orph, 1);
		assert_hupcont(sigs, 4);
	} else {
		struct pv orph[] = {{j, 0}};
		assert_orphaned_events(orph, 1);
		assert_hupcont(NULL, 0);
		ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, k, 0), 0);
	}
	/* Either way k stays stopped by its debugger. */
	ck_assert_uint_eq(t_flags(t_sim, k) & PS_P_STOPPED_TRACE, PS_P_STOPPED_TRACE);
}

START_TEST(debugger_stop_not_hung_up_freebsd)
{
	debugger_stop_scenario(0);
}
END_TEST

START_TEST(debugger_stop_hung_up_dragonfly)
{
	debugger_stop_scenario(1);
}
END_TEST

/* ====================================================================== */
/* I14 drift                                                                */
/* ====================================================================== */

/* spec §9 I14 (its example), §4.8 row "ptrace attach/detach": q and its
 * real parent a are in pg A (count 0: a leads the session); tracer c in
 * pg C of the same session attaches, so fixjobc sees c as q's parent.
 * When q is moved to a new group, the leaving pass decrements A, which
 * never had a matching +1: 0 -> -1, with no orphanpg.  The checker reports
 * drift, not failure; a negative count is not "orphaned", so a terminal
 * stop signal to A still stops (§4.1 [ext]). */
START_TEST(i14_drift_count_goes_negative)
{
	int32_t a = t_session(t_sim);
	int32_t q = t_fork_of(a), r = t_fork_of(a), c = t_fork_of(a);
	struct ps_check_report rep;
	struct ps_pgrp_info gi;

	t_setpgid_ok(a, c, c);
	assert_jobc(c, 1);
	assert_jobc(a, 0);
	ck_assert_int_eq(ps__ptrace_attach(t_sim, c, q), 0);
	ck_assert_int_eq(t_pinfo(q).pptr, c);
	/* spec §2.6: FreeBSD's inferior() walks real parents, so the tracer
	 * is not q's ancestor for setpgid, and the real parent is. */
	ck_assert_int_eq(ps_setpgid(t_sim, c, q, c), PS_ESRCH);
	t_clear_events();
	t_setpgid_ok(a, q, q);
	{
		struct pv exp[] = {{q, 1}, {a, -1}};
		assert_jobc_events(exp, 2);
	}
	ck_assert_uint_eq(count_pg(PS_EV_ORPHANED, 0), 0);
	gi = ginfo(a);
	ck_assert_int_eq(gi.pg_jobc, -1);
	ck_assert_int_eq(gi.orphaned, 0);
	ck_assert_int_eq(t_pinfo(r).orphaned, 0);
	ck_assert_int_eq(t_jobc(t_sim, q), 1);

	ck_assert_int_eq(ps_sim_check(t_sim, &rep), 0);
	ck_assert_uint_eq(rep.failures, 0);
	ck_assert_uint_gt(rep.drift, 0);

	t_clear_events();
	stop_it(a, r);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DISCARD, r, PS_SIGTSTP), 0);

	/* spec §4.2: only a decrement that lands on 0 orphans.  w (child of c
	 * in pg C) joins A and qualifies it: the increment takes A -1 -> 0,
	 * and although r is stopped nothing is sent. */
	{
		int32_t w = t_fork_of(c);
		t_clear_events();
		t_setpgid_ok(c, w, a);
		struct pv exp[] = {{a, 0}};
		assert_jobc_events(exp, 1);
		ck_assert_uint_eq(count_pg(PS_EV_ORPHANED, 0), 0);
		ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, PS_SIGHUP), 0);
		ck_assert_int_eq(is_stopped_sig(r), 1);
		ck_assert_int_eq(t_jobc(t_sim, a), 0);
	}
}
END_TEST

/* spec §9 I14, second case: "a count of 1 becomes 0 and orphans A
 * spuriously".  Same attach, but A is counted 1 (by a, whose parent is in
 * pg sh): q's move takes A to 0 and orphanpg hangs up A's stopped member
 * although a still qualifies it.  Reported as drift, not failure. */
START_TEST(i14_drift_spurious_orphan)
{
	int32_t sh = t_session(t_sim);
	int32_t a = t_fork_of(sh), q, s, c;
	struct ps_check_report rep;

	t_setpgid_ok(sh, a, a);
	catch_signal(a, PS_SIGHUP);
	q = t_fork_of(a);
	s = t_fork_of(a);
	stop_it(a, s);
	c = t_fork_of(sh);
	t_setpgid_ok(sh, c, c);
	assert_jobc(a, 1);
	ck_assert_int_eq(ps__ptrace_attach(t_sim, c, q), 0);
	t_clear_events();
	t_setpgid_ok(a, q, q);
	{
		struct pv exp[] = {{q, 1}, {a, 0}};
		assert_jobc_events(exp, 2);
	}
	{
		struct pv exp[] = {{a, 1}};
		assert_orphaned_events(exp, 1);
	}
	{
		struct pv exp[] = {{a, PS_SIGHUP}, {a, PS_SIGCONT}, {s, PS_SIGHUP},
		                   {s, PS_SIGCONT}, {q, PS_SIGHUP}, {q, PS_SIGCONT}};
		assert_hupcont(exp, 6);
	}
	ck_assert_int_eq(t_jobc(t_sim, a), 0);
	ck_assert_int_eq(recompute_jobc(a), 1); /* a still qualifies A */
	ck_assert_int_eq(ps_sim_check(t_sim, &rep), 0);
	ck_assert_uint_eq(rep.failures, 0);
	ck_assert_uint_gt(rep.drift, 0);
}
END_TEST

/* --- PS_LEADER_EXIT_2008: the inline E18/E19 of the 2008 exit1 --- */

static void
setup_leader_exit_2008(void)
{
	struct ps_config cfg;

	t_setup();
	cfg = t_config();
	cfg.leader_exit = PS_LEADER_EXIT_2008;
	t_replace_sim(&cfg);
}

/* The two session-exit paths differ only where this model cannot reach
 * yet (a session that lost its vnode to something other than its leader's
 * exit, a terminal taken over while the vnode is held), so the same tests
 * run under both and must see the same events. */
START_TEST(leader_exit_bad_config)
{
	struct ps_config cfg = t_config();
	ps_sim_t *sim = NULL;

	cfg.leader_exit = 2;
	ck_assert_int_eq(ps_sim_new(&cfg, &sim), PS_EINVAL);
	ck_assert_ptr_null(sim);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("jobc");
	TCase *tc;

	tc = tcase_create("examples");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, example_a_counts);
	tcase_add_test(tc, example_a_how_pg30_reached_2);
	tcase_add_test(tc, example_b_parent_exit_hangs_up_stopped_group);
	tcase_add_test(tc, example_b_no_stopped_member_no_signals);
	tcase_add_test(tc, example_c_increment_before_decrement);
	tcase_add_test(tc, example_d_setsid_orphans_childs_group);
	tcase_add_test(tc, example_e_leader_exit_with_tty);
	tcase_add_test(tc, edge_e6_leader_group_orphaned_later);
	tcase_add_test(tc, leader_exit_hangs_up_only_ctty_members);
	suite_add_tcase(s, tc);

	tc = tcase_create("edges");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, orphanpg_during_move_signals_mover);
	tcase_add_test(tc, several_groups_orphaned_in_child_list_order);
	tcase_add_test(tc, killjobc_fast_path);
	tcase_add_test(tc, zombie_children_skipped);
	tcase_add_test(tc, i16_setsid_group_orphaned_from_birth);
	tcase_add_test(tc, tty_stop_discarded_for_orphaned_group);
	tcase_add_test(tc, sigcont_discards_pending_stops);
	tcase_add_test(tc, i17_hup_cont_exactly_once_per_member);
	tcase_add_test(tc, debugger_stop_not_hung_up_freebsd);
	tcase_add_test(tc, i14_drift_count_goes_negative);
	tcase_add_test(tc, i14_drift_spurious_orphan);
	suite_add_tcase(s, tc);

	/* The same accounting under the DragonFly 2003 algorithm (spec §3.7,
	 * §4.4: same qualification rule, same increment-first order), and
	 * its one observable difference. */
	tc = tcase_create("leader_exit_2008");
	tcase_add_checked_fixture(tc, setup_leader_exit_2008, t_teardown);
	tcase_add_test(tc, example_e_leader_exit_with_tty);
	tcase_add_test(tc, leader_exit_hangs_up_only_ctty_members);
	tcase_add_test(tc, killjobc_fast_path);
	tcase_add_test(tc, example_b_parent_exit_hangs_up_stopped_group);
	tcase_add_test(tc, leader_exit_bad_config);
	suite_add_tcase(s, tc);

	tc = tcase_create("dragonfly");
	tcase_add_checked_fixture(tc, t_setup_dragonfly, t_teardown);
	tcase_add_test(tc, debugger_stop_hung_up_dragonfly);
	tcase_add_test(tc, example_a_counts);
	tcase_add_test(tc, example_b_parent_exit_hangs_up_stopped_group);
	tcase_add_test(tc, example_c_increment_before_decrement);
	tcase_add_test(tc, example_d_setsid_orphans_childs_group);
	tcase_add_test(tc, edge_e6_leader_group_orphaned_later);
	tcase_add_test(tc, i16_setsid_group_orphaned_from_birth);
	tcase_add_test(tc, i17_hup_cont_exactly_once_per_member);
	suite_add_tcase(s, tc);

	return t_run(s);
}
