/*
 * The invariant checker itself (src/kern/kern_check.c, docs/testing.md):
 * every invariant it knows is reported, by name, when the state breaks it;
 * the full walk stays linear; the incremental mode catches what an
 * operation broke at that operation; sampling checks every N-th one.
 *
 * Method: build a small world through the public API (a login shell with
 * a terminal, a job in its own group in the foreground, the job's child, a
 * zombie), corrupt one field through internal_api.h, ask the checker,
 * then put the field back and ask again (no false alarm after the
 * repair).  The table of corruptions is shared by the full walk and the
 * incremental pass; each row names the invariant the checker reported
 * before it was made linear, so none was lost or renamed.
 */
#include <stdio.h>
#include <string.h>

#include "kern/internal_api.h"
#include "kern/kern.h"
#include "testlib.h"

struct world {
	struct kernel *k;
	int32_t sh, job, kid, z, other, dev;
	struct proc *psh, *pjob, *pkid, *pz;
	struct pgrp *gsh, *gjob, *ginit;
	struct session *s;
	struct tty *tp;
	/* What a corruption saved to put back. */
	void *saved_ptr;
	int32_t saved_int;
};

/* Objects that are not live: what a dangling pointer points at. */
static struct pgrp dead_pgrp;
static struct session dead_sess;

static struct world W;

static struct proc *
P(int32_t pid)
{
	struct proc *p = pfind_any_nolock(W.k, pid);

	ck_assert_ptr_nonnull(p);
	return p;
}

static void
world_build(ps_sim_t *sim)
{
	struct world *w = &W;

	memset(w, 0, sizeof(*w));
	w->k = ps__kernel(sim);
	w->sh = t_session(sim);
	ck_assert_int_eq(ps_tty_new(sim, "tty0", &w->dev), 0);
	ck_assert_int_eq(ps_tiocsctty(sim, w->sh, w->dev), 0);
	w->job = t_fork(sim, w->sh);
	ck_assert_int_eq(ps_setpgid(sim, w->sh, w->job, w->job), 0);
	ck_assert_int_eq(ps_tcsetpgrp(sim, w->sh, w->dev, w->job), 0);
	w->kid = t_fork(sim, w->job);
	w->z = t_fork(sim, w->sh);
	ck_assert_int_eq(ps_exit(sim, w->z, 0), 0);
	w->other = t_fork(sim, 1);
	w->psh = P(w->sh);
	w->pjob = P(w->job);
	w->pkid = P(w->kid);
	w->pz = P(w->z);
	ck_assert_int_eq(w->pz->p_state, PRS_ZOMBIE);
	w->gsh = pgfind_nolock(w->k, w->sh);
	w->gjob = pgfind_nolock(w->k, w->job);
	w->ginit = pgfind_nolock(w->k, 1);
	w->s = w->gsh->pg_session;
	w->tp = tty_find_dev(w->k, w->dev);
	ck_assert_ptr_eq(w->tp->t_pgrp, w->gjob);
}

/*
 * How the incremental test makes an operation after the corruption: one
 * that touches the corrupted object (the pass must report it at once), a
 * neutral one that touches none of it (only the O(1) global checks can
 * see it, else the full walk later), or none at all (an operation would
 * trip over the corruption in the kernel, or repair it).
 */
enum touch {
	T_SKIP,    /* Not tried in incremental mode. */
	T_NEUTRAL, /* kill(other, 0): touches only another process. */
	T_KID,     /* kill(kid, 0): locks kid. */
	T_Z,       /* kill(z, 0): locks the zombie. */
	T_JOBGRP,  /* kill(-job, 0): locks the job's group and its members. */
	T_SESS,    /* fork from sh: locks sh, its group and its session. */
	T_TTY,     /* input on the terminal: locks it. */
};

/*
 * One corruption: what it breaks, the invariant reported, and how to
 * break and repair it (on == 1 breaks, on == 0 repairs); the operation
 * that touches it, and whether the incremental pass sees it then (else
 * only a full walk does).
 */
struct corruption {
	const char *what;
	const char *inv;
	void (*fn)(struct world *w, int on);
	enum touch touch;
	bool incr;
};

#define FLIP(field, delta) ((field) += (on) ? (delta) : -(delta))

static void
c_child_missing(struct world *w, int on)
{
	if (on)
		LIST_REMOVE(w->pkid, p_sibling);
	else
		LIST_INSERT_HEAD(&w->pjob->p_children, w->pkid, p_sibling);
}

static void
c_child_names_other_parent(struct world *w, int on)
{
	w->pkid->p_pptr = on ? w->psh : w->pjob;
}

static void
c_tty_fg_freed(struct world *w, int on)
{
	w->tp->t_pgrp = on ? &dead_pgrp : w->gjob;
}

static void
c_tty_fg_other_session(struct world *w, int on)
{
	w->tp->t_pgrp = on ? w->ginit : w->gjob;
}

static void
c_tty_session_freed(struct world *w, int on)
{
	w->tp->t_session = on ? &dead_sess : w->s;
}

static void
c_pg_jobc(struct world *w, int on)
{
	FLIP(w->gjob->pg_jobc, 1);
}

static void
c_residual(struct world *w, int on)
{
	FLIP(w->gjob->pg_jobc_residual, 1);
	FLIP(w->gjob->pg_jobc, 1);
}

static void
c_member_credit(struct world *w, int on)
{
	FLIP(w->pkid->p_jobc_cur, 1);
	FLIP(w->gjob->pg_jobc, 1);
}

static void
c_jobc_new(struct world *w, int on)
{
	FLIP(w->pkid->p_jobc_new, 1);
}

static void
c_s_count(struct world *w, int on)
{
	FLIP(w->s->s_count, 1);
}

static void
c_leader_other(struct world *w, int on)
{
	w->s->s_leader = on ? w->pjob : w->psh;
}

static void
c_leader_gone_tty_kept(struct world *w, int on)
{
	w->s->s_leader = on ? NULL : w->psh;
}

static void
c_pgid_unused(struct world *w, int on)
{
	w->k->pid_used[w->job] ^= PIDU_PGID;
	(void)on;
}

static void
c_sid_unused(struct world *w, int on)
{
	w->k->pid_used[w->sh] ^= PIDU_SID;
	(void)on;
}

static void
c_pid_unused(struct world *w, int on)
{
	w->k->pid_used[w->kid] ^= PIDU_PID;
	(void)on;
}

static void
c_off_pid_hash(struct world *w, int on)
{
	if (on)
		LIST_REMOVE(w->pkid, p_hash);
	else
		LIST_INSERT_HEAD(PIDHASH(w->k, w->kid), w->pkid, p_hash);
}

static void
c_zombie_state(struct world *w, int on)
{
	w->pz->p_state = on ? PRS_NORMAL : PRS_ZOMBIE;
}

static void
c_no_pgrp(struct world *w, int on)
{
	w->pz->p_pgrp = on ? NULL : w->gsh;
}

static void
c_member_other_pgrp(struct world *w, int on)
{
	w->pkid->p_pgrp = on ? w->gsh : w->gjob;
}

static void
c_no_members(struct world *w, int on)
{
	if (on) {
		w->saved_ptr = LIST_FIRST(&w->gjob->pg_members);
		LIST_FIRST(&w->gjob->pg_members) = NULL;
	} else {
		LIST_FIRST(&w->gjob->pg_members) = w->saved_ptr;
	}
}

static void
c_npgrps(struct world *w, int on)
{
	FLIP(w->k->npgrps, 1);
}

static void
c_nsessions(struct world *w, int on)
{
	FLIP(w->k->nsessions, 1);
}

static void
c_held(struct world *w, int on)
{
	FLIP(w->pkid->p_lock, 1);
}

static void
c_proc_lock(struct world *w, int on)
{
	w->pkid->p_mtx.lo_xlocked = on ? 1 : 0;
}

static void
c_pgrp_lock(struct world *w, int on)
{
	w->gjob->pg_mtx.lo_xlocked = on ? 1 : 0;
}

static void
c_sess_lock(struct world *w, int on)
{
	w->s->s_mtx.lo_xlocked = on ? 1 : 0;
}

static void
c_tty_lock(struct world *w, int on)
{
	w->tp->t_mtx.lo_xlocked = on ? 1 : 0;
}

static void
c_zombie_wexit(struct world *w, int on)
{
	w->pz->p_flag ^= P_WEXIT;
	(void)on;
}

static void
c_numthreads(struct world *w, int on)
{
	FLIP(w->pkid->p_numthreads, 1);
}

static void
c_nprocs(struct world *w, int on)
{
	FLIP(w->k->nprocs, 1);
}

static void
c_nzombies(struct world *w, int on)
{
	FLIP(w->k->nzombies, 1);
}

static void
c_siglist(struct world *w, int on)
{
	w->pkid->p_siglist ^= SIGMASK(PS_SIGUSR1);
	(void)on;
}

static void
c_astq(struct world *w, int on)
{
	struct thread *td = w->pkid->p_threads;

	if (on)
		TAILQ_INSERT_TAIL(&w->k->astq, td, td_astq);
	else
		TAILQ_REMOVE(&w->k->astq, td, td_astq);
}

static void
c_ntraced(struct world *w, int on)
{
	FLIP(w->k->ntraced, 1);
}

static void
c_init_zombies(struct world *w, int on)
{
	FLIP(w->k->init_zombies, 1);
}

static void
c_nsleeping(struct world *w, int on)
{
	if (on)
		w->k->nsleeping++;
	else
		w->k->nsleeping--;
}

static void
c_nrunq(struct world *w, int on)
{
	if (on)
		w->k->sched.nrunq++;
	else
		w->k->sched.nrunq--;
}

static void
c_nrunners(struct world *w, int on)
{
	FLIP(w->k->nrunners, 1);
}

static void
c_trace_stop(struct world *w, int on)
{
	w->pkid->p_flag ^= P_STOPPED_TRACE;
	(void)on;
}

static void
c_stops(struct world *w, int on)
{
	w->pkid->p_stops = on ? 0x80 : 0;
}

static void
c_orphan_of(struct world *w, int on)
{
	w->pkid->p_orphan_of = on ? w->psh : NULL;
}

static void
c_zombie_pending(struct world *w, int on)
{
	w->pz->p_sigkill ^= SIGMASK(PS_SIGUSR1);
	w->pz->p_siglist ^= SIGMASK(PS_SIGUSR1);
	(void)on;
}

static void
c_zombie_traced(struct world *w, int on)
{
	w->pz->p_flag ^= P_TRACED;
	(void)on;
}

static void
c_global_lock(struct world *w, int on)
{
	w->k->proctree_lock.lo_shared = on ? 1 : 0;
}

static void
c_sleeping_off_queue(struct world *w, int on)
{
	w->pkid->p_threads->td_inhibitors ^= TDI_SLEEPING;
	(void)on;
}

static const struct corruption corruptions[] = {
	{ "a child missing from its parent's list", "S2", c_child_missing, T_KID, true },
	{ "a child naming another parent", "S2", c_child_names_other_parent, T_KID, true },
	{ "a terminal whose foreground group was freed", "I13", c_tty_fg_freed, T_TTY, true },
	{ "a foreground group of another session", "I13", c_tty_fg_other_session, T_TTY, true },
	{ "a terminal whose session was freed", "I13", c_tty_session_freed, T_TTY, true },
	{ "pg_jobc off its ledger", "I14", c_pg_jobc, T_JOBGRP, true },
	{ "credit left by departed members, no drift", "I14", c_residual, T_JOBGRP, true },
	{ "a member credited though it does not qualify", "I15", c_member_credit, T_KID, true },
	{ "credit in a group never entered", "I14", c_jobc_new, T_KID, true },
	{ "s_count off the number of groups", "I9", c_s_count, T_SESS, true },
	{ "a session leader of another pid", "I10", c_leader_other, T_SESS, true },
	{ "no leader but a terminal vnode", "I12", c_leader_gone_tty_kept, T_SESS, true },
	{ "a pgid not recorded in use", "I11", c_pgid_unused, T_JOBGRP, true },
	{ "a sid not recorded in use", "I11", c_sid_unused, T_SESS, true },
	{ "a pid not recorded in use", "I2", c_pid_unused, T_KID, true },
	{ "a process off the pid hash", "I4", c_off_pid_hash, T_JOBGRP, true },
	{ "a zombie on zombproc in state normal", "I1", c_zombie_state, T_NEUTRAL, false },
	{ "a process without a group", "I5", c_no_pgrp, T_NEUTRAL, false },
	{ "a member pointing at another group", "I6", c_member_other_pgrp, T_KID, true },
	{ "a group without members", "I7", c_no_members, T_JOBGRP, true },
	{ "npgrps off", "I3", c_npgrps, T_NEUTRAL, true },
	{ "nsessions off", "I9", c_nsessions, T_NEUTRAL, true },
	{ "a process held between operations", "I20", c_held, T_KID, true },
	{ "a proc lock held", "I21", c_proc_lock, T_NEUTRAL, false },
	{ "a pgrp lock held", "I21", c_pgrp_lock, T_NEUTRAL, false },
	{ "a session lock held", "I21", c_sess_lock, T_NEUTRAL, false },
	{ "a tty lock held", "I21", c_tty_lock, T_NEUTRAL, false },
	{ "a global lock held", "I21", c_global_lock, T_NEUTRAL, true },
	{ "a zombie without P_WEXIT", "S1", c_zombie_wexit, T_Z, true },
	{ "p_numthreads off", "S3", c_numthreads, T_KID, true },
	{ "nprocs off", "S4", c_nprocs, T_NEUTRAL, true },
	{ "nzombies off", "S4", c_nzombies, T_NEUTRAL, false },
	{ "a pending signal without a record or plain instance", "S5", c_siglist, T_KID, true },
	{ "a thread left on the AST list", "S5", c_astq, T_SKIP, false },
	{ "ntraced off", "S6", c_ntraced, T_NEUTRAL, false },
	{ "init_zombies off", "S7", c_init_zombies, T_NEUTRAL, true },
	{ "nsleeping off", "S8", c_nsleeping, T_NEUTRAL, false },
	{ "a thread asleep on no queue", "S8", c_sleeping_off_queue, T_KID, true },
	{ "the run queue count off", "R3", c_nrunq, T_NEUTRAL, true },
	{ "nrunners off", "R4", c_nrunners, T_NEUTRAL, false },
	{ "a trace stop without P_TRACED", "S8", c_trace_stop, T_KID, true },
	{ "p_stops with other bits", "T2", c_stops, T_KID, true },
	{ "p_orphan_of without the orphan list", "T3", c_orphan_of, T_KID, true },
	{ "a zombie with a signal pending", "X3", c_zombie_pending, T_Z, true },
	{ "a traced zombie", "X2", c_zombie_traced, T_Z, true },
};

#define NCORRUPTIONS ((int)(sizeof(corruptions) / sizeof(corruptions[0])))

static void
expect_broken(int rc, const struct ps_check_report *rep, const struct corruption *c)
{
	ck_assert_msg(rc == PS_EINVARIANT, "%s: not detected (rc %d)", c->what, rc);
	ck_assert_msg(strcmp(rep->invariant, c->inv) == 0, "%s: reported %s (%s), expected %s",
	              c->what, rep->invariant, rep->message, c->inv);
}

/* The full walk (ps_sim_check) reports every corruption by its name. */
START_TEST(full_walk_reports_each_invariant)
{
	const struct corruption *c = &corruptions[_i];
	struct ps_check_report rep;

	world_build(t_sim);
	ck_assert_int_eq(ps_sim_check(t_sim, &rep), 0);
	c->fn(&W, 1);
	expect_broken(ps_sim_check(t_sim, &rep), &rep, c);
	c->fn(&W, 0);
	ck_assert_msg(ps_sim_check(t_sim, &rep) == 0, "%s: after repair: %s %s", c->what,
	              rep.invariant, rep.message);
}
END_TEST

/* A simulator in mode with check_full_every n, in place of the fixture's. */
static struct kernel *
use_mode(int mode, uint32_t n)
{
	struct ps_config cfg = t_config();

	cfg.check_mode = (uint8_t)mode;
	cfg.check_full_every = n;
	t_replace_sim(&cfg);
	return ps__kernel(t_sim);
}

static int
touch(enum touch t)
{
	int32_t pid;

	switch (t) {
	case T_KID:
		return ps_kill(t_sim, 1, W.kid, 0);
	case T_Z:
		return ps_kill(t_sim, 1, W.z, 0);
	case T_JOBGRP:
		return ps_kill(t_sim, 1, -W.job, 0);
	case T_SESS:
		return ps_fork(t_sim, W.sh, &pid);
	case T_TTY:
		return ps_tty_input(t_sim, W.dev, "x", 1);
	default:
		return ps_kill(t_sim, 1, W.other, 0);
	}
}

/*
 * The incremental pass reports a corruption of what the next operation
 * touches at that operation, by the same name as the full walk; what it
 * cannot see then (an object the operation did not touch, a count only a
 * walk can verify), the full walk still does.
 */
START_TEST(incremental_reports_touched_objects)
{
	const struct corruption *c = &corruptions[_i];
	struct kernel *k = use_mode(PS_CHECK_INCREMENTAL, 0);
	struct ps_check_report rep;
	struct ps_sim_stats st0, st1;
	int rc;

	if (c->touch == T_SKIP)
		return;
	world_build(t_sim);
	ck_assert_int_eq(ps_sim_stats(t_sim, &st0), 0);
	c->fn(&W, 1);
	rc = touch(c->touch);
	ck_assert_int_eq(ps_sim_stats(t_sim, &st1), 0);
	ck_assert_uint_eq(st1.checks_incremental, st0.checks_incremental + 1);
	ck_assert_uint_eq(st1.checks_full, st0.checks_full);
	if (c->incr) {
		expect_broken(rc, &k->last_check, c);
	} else {
		ck_assert_msg(rc != PS_EINVARIANT, "%s: the incremental pass reported %s (%s)",
		              c->what, k->last_check.invariant, k->last_check.message);
		expect_broken(ps_sim_check(t_sim, &rep), &rep, c);
	}
	c->fn(&W, 0);
	ck_assert_msg(ps_sim_check(t_sim, &rep) == 0, "%s: after repair: %s %s", c->what,
	              rep.invariant, rep.message);
	/* And the mode goes on working after the failure. */
	ck_assert_int_eq(touch(c->touch), c->touch == T_TTY ? 1 : 0);
}
END_TEST

/*
 * Corruptions made while an operation runs (from its event callback), on
 * the very objects it changes: the incremental pass at the end of that
 * operation reports them.
 */
struct midop {
	uint32_t type;  /* The event to act on. */
	int32_t pid;    /* Its pid (0: any). */
	int done;
	void (*fn)(const struct ps_event *ev, int on);
};

static struct midop M;
static struct ps_event M_ev;

static void
midop_cb(const struct ps_event *ev, void *arg)
{
	(void)arg;
	if (M.done || ev->type != M.type || (M.pid != 0 && ev->pid != M.pid))
		return;
	M.done = 1;
	M_ev = *ev;
	M.fn(ev, 1);
}

/* The group a setpgid creates: its pg_jobc. */
static void
m_new_group_jobc(const struct ps_event *ev, int on)
{
	FLIP(pgfind_nolock(W.k, ev->value)->pg_jobc, 1);
}

/* The child a fork creates: its parent pointer, to init. */
static void
m_child_pptr(const struct ps_event *ev, int on)
{
	P(ev->pid2)->p_pptr = on ? P(1) : P(ev->pid);
}

/* The session a new group joins: its s_count. */
static void
m_s_count(const struct ps_event *ev, int on)
{
	FLIP(pgfind_nolock(W.k, ev->pgid)->pg_session->s_count, 1);
}

static void
midop(uint32_t type, int32_t pid, void (*fn)(const struct ps_event *, int), int (*op)(void),
      const char *inv)
{
	struct kernel *k = use_mode(PS_CHECK_INCREMENTAL, 0);
	struct ps_check_report rep;

	world_build(t_sim);
	memset(&M, 0, sizeof(M));
	M.type = type;
	M.pid = pid;
	M.fn = fn;
	ck_assert_int_eq(ps_sim_set_event_cb(t_sim, midop_cb, NULL), 0);
	ck_assert_int_eq(op(), PS_EINVARIANT);
	ck_assert_int_eq(M.done, 1);
	ck_assert_str_eq(k->last_check.invariant, inv);
	ck_assert_int_eq(ps_sim_set_event_cb(t_sim, NULL, NULL), 0);
	/* The full walk agrees; after the repair all is well. */
	ck_assert_int_eq(ps_sim_check(t_sim, &rep), PS_EINVARIANT);
	ck_assert_str_eq(rep.invariant, inv);
	fn(&M_ev, 0);
	ck_assert_msg(ps_sim_check(t_sim, &rep) == 0, "%s %s", rep.invariant, rep.message);
}

static int
op_setpgid_kid(void)
{
	return ps_setpgid(t_sim, W.job, W.kid, W.kid);
}

static int
op_fork_kid(void)
{
	int32_t pid;

	return ps_fork(t_sim, W.kid, &pid);
}

START_TEST(incremental_catches_jobc_of_the_group_just_made)
{
	midop(PS_EV_SETPGID, 0, m_new_group_jobc, op_setpgid_kid, "I14");
}
END_TEST

START_TEST(incremental_catches_pptr_of_the_child_just_forked)
{
	midop(PS_EV_FORK, 0, m_child_pptr, op_fork_kid, "S2");
}
END_TEST

START_TEST(incremental_catches_s_count_of_the_session_just_joined)
{
	midop(PS_EV_SETPGID, 0, m_s_count, op_setpgid_kid, "I9");
}
END_TEST

/*
 * What no operation touches waits for the full walk: with
 * check_full_every N, the N-th automatic check (operations and steps are
 * counted from the start) finds it, not one before.
 */
START_TEST(untouched_corruption_found_by_the_next_full_walk)
{
	const uint32_t every = 5;
	struct ps_sim_stats st;
	int rc, ops = 0;

	use_mode(PS_CHECK_INCREMENTAL, every);
	world_build(t_sim);
	c_pg_jobc(&W, 1);
	for (;;) {
		rc = touch(T_NEUTRAL);
		ops++;
		ck_assert_int_eq(ps_sim_stats(t_sim, &st), 0);
		if (st.check_points % every == 0)
			break;
		ck_assert_int_eq(rc, 0);
	}
	ck_assert_int_le(ops, (int)every);
	ck_assert_int_eq(rc, PS_EINVARIANT);
	ck_assert_str_eq(ps__kernel(t_sim)->last_check.invariant, "I14");
	c_pg_jobc(&W, 0);
	/* The same corruption on the group an operation touches: found at once. */
	c_pg_jobc(&W, 1);
	ck_assert_int_eq(touch(T_JOBGRP), PS_EINVARIANT);
	ck_assert_str_eq(ps__kernel(t_sim)->last_check.invariant, "I14");
	c_pg_jobc(&W, 0);
}
END_TEST

static struct ps_sim_stats
stats(void)
{
	struct ps_sim_stats st;

	ck_assert_int_eq(ps_sim_stats(t_sim, &st), 0);
	return st;
}

/* Sampling: PS_CHECK_FULL with check_full_every N checks exactly every
 * N-th operation, with a full walk, and no other. */
START_TEST(sampling_checks_every_nth_operation)
{
	struct ps_sim_stats a, b;
	int rc;

	use_mode(PS_CHECK_FULL, 3);
	world_build(t_sim);
	a = stats();
	for (int i = 0; i < 9; i++)
		ck_assert_int_eq(touch(T_NEUTRAL), 0);
	b = stats();
	ck_assert_uint_eq(b.check_points - a.check_points, 9);
	ck_assert_uint_eq(b.checks_full - a.checks_full, 3);
	ck_assert_uint_eq(b.checks_run - a.checks_run, 3);
	ck_assert_uint_eq(b.checks_incremental, 0);
	ck_assert_uint_eq(b.check_points % 3, a.check_points % 3);
	/* A corruption is seen at the next sampled operation only. */
	c_pg_jobc(&W, 1);
	for (;;) {
		rc = touch(T_NEUTRAL);
		if (stats().check_points % 3 == 0)
			break;
		ck_assert_int_eq(rc, 0);
	}
	ck_assert_int_eq(rc, PS_EINVARIANT);
	ck_assert_str_eq(ps__kernel(t_sim)->last_check.invariant, "I14");
	c_pg_jobc(&W, 0);
}
END_TEST

/* check_full_every 0 or 1 in full mode, 1 in incremental mode: every
 * operation gets a full walk; 0 in incremental mode: never one. */
START_TEST(full_every_zero_and_one)
{
	struct ps_sim_stats a, b;
	static const struct {
		int mode;
		uint32_t n;
		int full, incr;
	} cases[] = {
		{ PS_CHECK_FULL, 0, 4, 0 },
		{ PS_CHECK_FULL, 1, 4, 0 },
		{ PS_CHECK_INCREMENTAL, 1, 4, 0 },
		{ PS_CHECK_INCREMENTAL, 0, 0, 4 },
		{ PS_CHECK_INCREMENTAL, 2, 2, 2 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		use_mode(cases[i].mode, cases[i].n);
		world_build(t_sim);
		a = stats();
		for (int j = 0; j < 4; j++)
			ck_assert_int_eq(touch(T_NEUTRAL), 0);
		b = stats();
		ck_assert_uint_eq(b.checks_full - a.checks_full, (uint64_t)cases[i].full);
		ck_assert_uint_eq(b.checks_incremental - a.checks_incremental,
		                  (uint64_t)cases[i].incr);
		ck_assert_uint_eq(b.check_points - a.check_points, 4);
		/* ps_sim_check() is always a full walk. */
		ck_assert_int_eq(ps_sim_check(t_sim, NULL), 0);
		ck_assert_uint_eq(stats().checks_full, b.checks_full + 1);
	}
}
END_TEST

START_TEST(config_check_mode_validated)
{
	struct ps_config cfg;
	ps_sim_t *sim = NULL;

	ps_config_init(&cfg);
	ck_assert_int_eq(cfg.check_mode, PS_CHECK_FULL);
	ck_assert_uint_eq(cfg.check_full_every, 0);
	cfg.check_mode = 2;
	ck_assert_int_eq(ps_sim_new(&cfg, &sim), PS_EINVAL);
	ck_assert_ptr_null(sim);
	cfg.check_mode = PS_CHECK_INCREMENTAL;
	cfg.check_full_every = UINT32_MAX;
	ck_assert_int_eq(ps_sim_new(&cfg, &sim), 0);
	ps_sim_free(sim);
	cfg.check_every_op = 1;
	ck_assert_int_eq(ps_sim_new(&cfg, &sim), 0);
	ps_sim_free(sim);
}
END_TEST

/*
 * A group of many members, a parent of many children: each operation's
 * incremental pass stays O(what it touched) (it walks at most CHK_SCAN of
 * a list), and the full walks stay linear: a few thousand forks from one
 * parent with a full walk every 1000 operations and one at the end.
 */
START_TEST(many_children_one_parent)
{
	struct ps_check_report rep;
	int32_t sh, pid;

	W.k = use_mode(PS_CHECK_INCREMENTAL, 1000);
	sh = t_session(t_sim);
	for (int i = 0; i < 5000; i++)
		ck_assert_int_eq(ps_fork(t_sim, sh, &pid), 0);
	ck_assert_int_eq(ps_sim_check(t_sim, &rep), 0);
	ck_assert_uint_ge(stats().checks_full, 5);
	/* The newest child heads the list: a wrong parent pointer is seen at
	 * once, though the real parent has 5000 children. */
	P(pid)->p_pptr = P(1);
	ck_assert_int_eq(ps_kill(t_sim, 1, pid, 0), PS_EINVARIANT);
	ck_assert_str_eq(ps__kernel(t_sim)->last_check.invariant, "S2");
	P(pid)->p_pptr = P(sh);
}
END_TEST

/* A scenario's config and the options of procsim run give the mode. */
static struct ps_config
scenario_config(const char *check, const struct ps_scenario_options *opt)
{
	char text[512], err[256];
	ps_scenario_t *sc = NULL;
	ps_scenario_run_t *run = NULL;
	struct ps_config cfg;

	snprintf(text, sizeof(text),
	         "{\"procsim\": 1, \"config\": {%s}, \"programs\": {\"p\": [\"sys exit 0\"]},"
	         " \"processes\": [{\"name\": \"a\", \"program\": \"p\"}]}",
	         check);
	ck_assert_msg(ps_scenario_load_string(text, strlen(text), "t.json", &sc, err,
	                                      sizeof(err)) == 0, "%s", err);
	ck_assert_msg(ps_scenario_start(sc, opt, &run, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(ps_sim_config(ps_scenario_sim(run), &cfg), 0);
	ps_scenario_run_free(run);
	ps_scenario_free(sc);
	return cfg;
}

START_TEST(scenario_check_modes)
{
	struct ps_scenario_options opt;
	struct ps_config cfg;
	char err[256];
	ps_scenario_t *sc = NULL;
	static const char bad[] = "{\"procsim\": 1, \"config\": {\"check\": \"often\"}}";

	cfg = scenario_config("\"check\": true", NULL);
	ck_assert(cfg.check_every_op == 1 && cfg.check_mode == PS_CHECK_FULL);
	cfg = scenario_config("\"check\": \"full\", \"check_full_every\": 7", NULL);
	ck_assert(cfg.check_every_op == 1 && cfg.check_mode == PS_CHECK_FULL);
	ck_assert_uint_eq(cfg.check_full_every, 7);
	cfg = scenario_config("\"check\": \"incremental\", \"check_full_every\": 100", NULL);
	ck_assert(cfg.check_every_op == 1 && cfg.check_mode == PS_CHECK_INCREMENTAL);
	ck_assert_uint_eq(cfg.check_full_every, 100);
	cfg = scenario_config("\"check\": false", NULL);
	ck_assert_int_eq(cfg.check_every_op, 0);
	/* --check keeps its meaning: a full walk after every event. */
	ps_scenario_options_init(&opt);
	opt.set = PS_SCOPT_CHECK;
	opt.check = PS_SCCHECK_FULL;
	cfg = scenario_config("\"check\": \"incremental\", \"check_full_every\": 100", &opt);
	ck_assert(cfg.check_every_op == 1 && cfg.check_mode == PS_CHECK_FULL);
	ck_assert_uint_eq(cfg.check_full_every, 0);
	/* --check=incremental keeps the scenario's check_full_every ... */
	opt.check = PS_SCCHECK_INCREMENTAL;
	cfg = scenario_config("\"check_full_every\": 100", &opt);
	ck_assert(cfg.check_every_op == 1 && cfg.check_mode == PS_CHECK_INCREMENTAL);
	ck_assert_uint_eq(cfg.check_full_every, 100);
	/* ... unless --check-full-every says otherwise. */
	opt.set |= PS_SCOPT_CHECK_FULL_EVERY;
	opt.check_full_every = 3;
	cfg = scenario_config("\"check_full_every\": 100", &opt);
	ck_assert_uint_eq(cfg.check_full_every, 3);
	ck_assert_int_eq(ps_scenario_load_string(bad, strlen(bad), "bad.json", &sc, err, sizeof(err)),
	                 PS_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "/config/check: expected true, false, \"full\" or "
	                                  "\"incremental\""));
}
END_TEST

static Suite *
check_suite(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("full");

	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_loop_test(tc, full_walk_reports_each_invariant, 0, NCORRUPTIONS);
	suite_add_tcase(s, tc);
	tc = tcase_create("incremental");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_loop_test(tc, incremental_reports_touched_objects, 0, NCORRUPTIONS);
	tcase_add_test(tc, incremental_catches_jobc_of_the_group_just_made);
	tcase_add_test(tc, incremental_catches_pptr_of_the_child_just_forked);
	tcase_add_test(tc, incremental_catches_s_count_of_the_session_just_joined);
	tcase_add_test(tc, untouched_corruption_found_by_the_next_full_walk);
	tcase_add_test(tc, sampling_checks_every_nth_operation);
	tcase_add_test(tc, full_every_zero_and_one);
	tcase_add_test(tc, config_check_mode_validated);
	tcase_add_test(tc, many_children_one_parent);
	tcase_add_test(tc, scenario_check_modes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return t_run(check_suite());
}
