/*
 * The invariant checker (spec-kern_proc.md §9): one walk over every table
 * that verifies the invariants the kernel keeps between operations.  Like
 * SQLite's assert_pager_state it changes nothing (but a scratch counter in
 * each session), so it may run after every event.  It reports the first
 * broken invariant by its spec name (I1..I21, or S* for the structural
 * conditions the spec takes for granted: parent and child lists, threads,
 * counters) and counts the rest.
 *
 * pg_jobc is checked against its shadow ledger (I14: the count equals the
 * sum of the credits recorded for its members plus what departed members
 * left behind) and against a recomputation (I15: each member is credited 1
 * exactly when it qualifies).  The kernel's known drift (§4.8) starts only
 * when a process is reparented (exit to init, debugger attach or detach)
 * while its credit disagrees with its qualification through the new
 * parent; proc_reparent marks such a process and its group.  A mismatch
 * of a marked process, or credit left behind in a marked group, is counted
 * as drift; any other mismatch is a failure.
 *
 * Not here: I17 (an event postcondition: every member of a group orphaned
 * with a stopped member gets SIGHUP then SIGCONT), I18 (right after
 * setsid) and I19 and I22 (kinfo output) are checked by the unit tests
 * that cause those events.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/assert.h"
#include "kern/kern.h"
#include "vm/vm.h"

struct checker {
	struct kernel *k;
	struct ps_check_report *rep;
};

static void __attribute__((format(printf, 3, 4)))
fail(struct checker *c, const char *inv, const char *fmt, ...)
{
	va_list ap;

	if (c->rep->failures++ == 0) {
		snprintf(c->rep->invariant, sizeof(c->rep->invariant), "%s", inv);
		va_start(ap, fmt);
		vsnprintf(c->rep->message, sizeof(c->rep->message), fmt, ap);
		va_end(ap);
	}
}

#define CHECK(c, cond, inv, ...)                                              \
	do {                                                                  \
		(c)->rep->checks++;                                           \
		if (!(cond))                                                  \
			fail((c), (inv), __VA_ARGS__);                        \
	} while (0)

/* Does m qualify g (spec §4.1)?  Its parent in another group of g's session. */
int
jobc_qualifies(struct proc *m, struct pgrp *g)
{
	struct pgrp *hp;

	if (m->p_state == PRS_ZOMBIE || (m->p_kflag & PK_KILLJOBC) != 0 || m->p_pptr == NULL)
		return 0;
	hp = m->p_pptr->p_pgrp;
	return hp != NULL && hp != g && hp->pg_session == g->pg_session;
}

static bool
lock_free(const struct lock_object *lo)
{
	return lo->lo_xlocked == 0 && lo->lo_shared == 0;
}

static void
check_threads(struct checker *c, struct proc *p)
{
	struct kernel *k = c->k;
	struct thread *td;
	int32_t n = 0;

	for (td = p->p_threads; td != NULL && n <= p->p_numthreads; td = td->td_plist) {
		n++;
		CHECK(c, td->td_proc == p, "S3", "thread %d of pid %d points at another process",
		      td->td_tid, p->p_pid);
		CHECK(c, td->td_tid > k->no_pid, "S3", "thread id %d not above pid_max", td->td_tid);
		CHECK(c, (p->p_state == PRS_ZOMBIE) != LIST_LINKED(td, td_hash), "S3",
		      "thread %d of pid %d: on the tid hash iff live", td->td_tid, p->p_pid);
	}
	CHECK(c, n == p->p_numthreads && n >= 1, "S3", "pid %d: %d threads listed, p_numthreads %d",
	      p->p_pid, n, p->p_numthreads);
}

/*
 * The signal queue, the sleep state and the frame of a call in progress
 * (spec-kern_exit.md §10.2, §10.3, §10.12): p_siglist is exactly the
 * signals with a plain instance or a record; a child's record is queued at
 * its current parent or nowhere; a zombie has nothing pending, one thread
 * and no call; between operations a thread is asleep exactly when it is on
 * a sleep queue, and a thread that can run has nothing left to deliver.
 */
static void
check_sig_sleep(struct checker *c, struct proc *p, bool zombie, int64_t *nsleeping)
{
	const struct ksiginfo *ksi;
	struct thread *td;
	sigset32_t rec = 0;

	TAILQ_FOREACH(ksi, &p->p_sigq, ksi_link) {
		CHECK(c, ksi->ksi_sigq == p, "S5", "pid %d: a queued record points at pid %d", p->p_pid,
		      ksi->ksi_sigq != NULL ? ksi->ksi_sigq->p_pid : 0);
		rec |= SIGMASK(ksi->ksi_signo);
	}
	CHECK(c, p->p_siglist == (rec | p->p_sigkill), "S5",
	      "pid %d: pending %#x is not records %#x plus plain %#x", p->p_pid, p->p_siglist, rec,
	      p->p_sigkill);
	if (KSI_ONQ(&p->p_ksi))
		CHECK(c, p->p_ksi.ksi_sigq == p->p_pptr, "X12",
		      "pid %d: its SIGCHLD record is queued at %d, not at its parent", p->p_pid,
		      p->p_ksi.ksi_sigq->p_pid);
	if (zombie) {
		CHECK(c, p->p_siglist == 0 && TAILQ_EMPTY(&p->p_sigq), "X3",
		      "zombie %d has signals pending", p->p_pid);
		CHECK(c, (p->p_flag & P_TRACED) == 0, "X2", "zombie %d is traced", p->p_pid);
		CHECK(c, p->p_numthreads == 1, "X3", "zombie %d has %d threads", p->p_pid,
		      p->p_numthreads);
	}
	for (td = p->p_threads; td != NULL; td = td->td_plist) {
		const struct syscall_frame *sf = &td->td_sa;
		bool asleep = (td->td_inhibitors & TDI_SLEEPING) != 0;

		*nsleeping += asleep;
		CHECK(c, asleep == TAILQ_LINKED(td, td_slpq) && asleep == (td->td_wchan != 0), "S8",
		      "thread %d of pid %d: asleep %d but on a queue %d, wchan %#llx", td->td_tid,
		      p->p_pid, asleep, TAILQ_LINKED(td, td_slpq), (unsigned long long)td->td_wchan);
		CHECK(c, !TAILQ_LINKED(td, td_astq), "S5", "thread %d of pid %d left on the AST list",
		      td->td_tid, p->p_pid);
		if (zombie) {
			CHECK(c, td->td_inhibitors == 0 && sf->sf_state != SFS_SLEEPING &&
			             sf->sf_state != SFS_WOKEN && sf->sf_state != SFS_RESTART,
			      "X3", "zombie %d's thread is still in a call", p->p_pid);
			continue;
		}
		CHECK(c, (sf->sf_state == SFS_SLEEPING) == asleep, "S8",
		      "thread %d of pid %d: call state %d, asleep %d", td->td_tid, p->p_pid,
		      sf->sf_state, asleep);
		CHECK(c, (sf->sf_state != SFS_WOKEN && sf->sf_state != SFS_RESTART) ||
		             (td->td_inhibitors & TDI_SUSPENDED) != 0 ||
		             (P_RUNNER(p) && (td->td_flags & TDF_ASTPENDING) != 0),
		      "S8", "thread %d of pid %d: a woken or interrupted call was not resumed",
		      td->td_tid, p->p_pid);
		/* A thread its debugger suspended (PT_SUSPEND) stays so while the
		 * traced process runs (spec §3.5.4). */
		CHECK(c, ((td->td_inhibitors & TDI_SUSPENDED) != 0) ==
		             (P_SHOULDSTOP(p) != 0 || ((td->td_dbgflags & TDB_SUSPEND) != 0 &&
		                                       (p->p_flag & P_TRACED) != 0)), "S8",
		      "thread %d of pid %d: suspended %d, process stopped %#x", td->td_tid, p->p_pid,
		      (td->td_inhibitors & TDI_SUSPENDED) != 0, P_SHOULDSTOP(p));
		/* A program's threads take their signals on their CPU: pending
		 * is fine while the thread is due to pass userret. */
		if (td == p->p_threads && td->td_inhibitors == 0 && p->p_state == PRS_NORMAL)
			CHECK(c, cursig(p) == 0 || (P_RUNNER(p) && (td->td_flags & TDF_ASTPENDING) != 0),
			      "S5", "pid %d can run and has signal %d undelivered", p->p_pid, cursig(p));
	}
}

/*
 * The scheduler (docs/scheduler.md): R1 a CPU's thread says it runs there;
 * R2 a runnable thread of a program is on exactly one of a CPU and the run
 * queue, an inhibited or dead one on neither; R3 the queue's count; R4 a
 * program has an address space until it exits, and none after; R5 the
 * clock: busy CPUs are never behind the time of the last thing done by
 * more than one instruction's or call's cost... (not checked: CPUs run
 * ahead by design); R6 frames in use never exceed the pool.
 */
static void
check_sched(struct checker *c)
{
	struct kernel *k = c->k;
	struct sched *s = &k->sched;
	struct thread *td;
	struct proc *p;
	uint32_t nq = 0;
	int32_t nrun = 0;

	for (int i = 0; i < s->ncpus; i++) {
		td = s->cpus[i].c_td;
		if (td == NULL)
			continue;
		CHECK(c, td->td_oncpu == i, "R1", "CPU %d runs thread %d, which says CPU %d", i,
		      td->td_tid, td->td_oncpu);
		CHECK(c, !TAILQ_LINKED(td, td_runq), "R2", "thread %d on CPU %d and the run queue",
		      td->td_tid, i);
	}
	TAILQ_FOREACH(td, &s->runq, td_runq) {
		nq++;
		CHECK(c, td->td_oncpu < 0 && td->td_inhibitors == 0 &&
		             td->td_proc->p_state == PRS_NORMAL && P_RUNNER(td->td_proc),
		      "R2", "thread %d on the run queue cannot run (cpu %d, inhibitors %#x)",
		      td->td_tid, td->td_oncpu, td->td_inhibitors);
	}
	CHECK(c, nq == s->nrunq, "R3", "run queue holds %u threads, counted %u", nq, s->nrunq);
	LIST_FOREACH(p, &k->allproc, p_list) {
		if (!P_RUNNER(p) || p->p_state != PRS_NORMAL)
			continue;
		nrun++;
		CHECK(c, p->p_vmspace != NULL, "R4", "pid %d runs a program without memory", p->p_pid);
		if ((p->p_flag & P_WEXIT) != 0)
			continue;
		for (td = p->p_threads; td != NULL; td = td->td_plist) {
			bool placed = td->td_oncpu >= 0 || TAILQ_LINKED(td, td_runq);

			CHECK(c, placed == (td->td_inhibitors == 0), "R2",
			      "thread %d of pid %d: inhibitors %#x, on a CPU or queued %d", td->td_tid,
			      p->p_pid, td->td_inhibitors, placed);
		}
	}
	LIST_FOREACH(p, &k->zombproc, p_list)
		CHECK(c, p->p_vmspace == NULL, "R4", "zombie %d still has its memory", p->p_pid);
	CHECK(c, nrun == k->nrunners, "R4", "%d processes run programs, counted %d", nrun,
	      k->nrunners);
	CHECK(c, k->phys == NULL || vm_phys_used(k->phys) <= vm_phys_total(k->phys), "R6",
	      "frames in use exceed the pool");
}

/* One process, live or zombie: membership, parent linkage, flags, locks. */
/*
 * The ptrace invariants of spec-sys_process.md §10 that hold between
 * events: a trace stop names its reporting thread (19), which belongs to
 * the process; the stop bits go together; p_stops holds only ptrace's
 * bits; the orphan list and p_orphan_of agree (A.4); a suspended thread
 * of a traced process that is not stopped is one the debugger suspended.
 */
static void
check_ptrace(struct checker *c, struct kernel *k, struct proc *p)
{
	(void)k;
	if ((p->p_flag & P_STOPPED_TRACE) != 0) {
		CHECK(c, (p->p_flag & (P_TRACED | P_STOPPED_SIG)) == (P_TRACED | P_STOPPED_SIG), "T1",
		      "pid %d: P_STOPPED_TRACE without P_TRACED and P_STOPPED_SIG", p->p_pid);
		CHECK(c, p->p_xthread != NULL, "T1", "pid %d: trace stop without p_xthread",
		      p->p_pid);
	}
	if (p->p_xthread != NULL)
		CHECK(c, p->p_xthread->td_proc == p, "T1", "pid %d: p_xthread of pid %d", p->p_pid,
		      p->p_xthread->td_proc->p_pid);
	CHECK(c, (p->p_stops & ~(S_PT_SCE | S_PT_SCX)) == 0, "T2", "pid %d: p_stops %#x",
	      p->p_pid, p->p_stops);
	if (p->p_orphan_of != NULL) {
		struct proc *q;
		bool found = false;

		LIST_FOREACH(q, &p->p_orphan_of->p_orphans, p_orphan)
			found |= q == p;
		CHECK(c, found, "T3", "pid %d: not on the orphan list of pid %d", p->p_pid,
		      p->p_orphan_of->p_pid);
	}
	{
		struct proc *q;

		LIST_FOREACH(q, &p->p_orphans, p_orphan)
			CHECK(c, q->p_orphan_of == p, "T3", "pid %d on pid %d's orphan list names %d",
			      q->p_pid, p->p_pid, q->p_orphan_of != NULL ? q->p_orphan_of->p_pid : 0);
	}
	if (p->p_state == PRS_NORMAL && P_SHOULDSTOP(p) == 0 && (p->p_flag & P_WEXIT) == 0)
		for (struct thread *td = p->p_threads; td != NULL; td = td->td_plist)
			CHECK(c, (td->td_inhibitors & TDI_SUSPENDED) == 0 ||
			             (td->td_dbgflags & TDB_SUSPEND) != 0,
			      "T4", "pid %d: thread %d suspended in a running process", p->p_pid,
			      td->td_tid);
}

static void
check_proc(struct checker *c, struct proc *p, bool zombie)
{
	struct kernel *k = c->k;
	struct proc *q, *found = NULL;
	int32_t nchildren = 0;

	if (zombie)
		CHECK(c, p->p_state == PRS_ZOMBIE, "I1", "pid %d on zombproc is not a zombie", p->p_pid);
	else
		CHECK(c, p->p_state == PRS_NEW || p->p_state == PRS_NORMAL, "I1",
		      "pid %d on allproc is a zombie", p->p_pid);
	CHECK(c, p->p_pid >= 0 && p->p_pid < k->k_cfg.pid_max &&
	             (k->pid_used[p->p_pid] & PIDU_PID) != 0,
	      "I2", "pid %d not recorded as in use", p->p_pid);
	LIST_FOREACH(q, zombie ? ZOMBHASH(k, p->p_pid) : PIDHASH(k, p->p_pid), p_hash)
		if (q == p)
			found = p;
	CHECK(c, found == p, "I4", "pid %d is not on the %s hash", p->p_pid, zombie ? "zombie" : "pid");
	CHECK(c, p->p_pgrp != NULL, "I5", "pid %d has no process group", p->p_pgrp == NULL ? p->p_pid : p->p_pid);
	CHECK(c, p->p_lock == 0, "I20", "pid %d still held (p_lock %d) between operations", p->p_pid,
	      p->p_lock);
	CHECK(c, lock_free(&p->p_mtx), "I21", "proc lock of pid %d held between operations", p->p_pid);
	CHECK(c, p->p_jobc_new == 0, "I14", "pid %d has credit in a group it never entered", p->p_pid);
	CHECK(c, !zombie || (p->p_flag & P_WEXIT) != 0, "S1", "zombie %d without P_WEXIT", p->p_pid);
	CHECK(c, (p->p_flag & P_STOPPED_SIG) == 0 || !zombie, "S1", "zombie %d is stopped", p->p_pid);
	check_threads(c, p);
	if (p == k->proc0) {
		CHECK(c, p->p_pptr == NULL, "S2", "swapper has a parent");
	} else {
		CHECK(c, p->p_pptr != NULL, "S2", "pid %d has no parent", p->p_pid);
		if (p->p_pptr != NULL) {
			CHECK(c, p->p_pptr->p_state == PRS_NORMAL, "S2",
			      "pid %d has a parent %d that is not live", p->p_pid, p->p_pptr->p_pid);
			LIST_FOREACH(q, &p->p_pptr->p_children, p_sibling)
				if (q == p)
					break;
			CHECK(c, q == p, "S2", "pid %d is not on its parent %d's children", p->p_pid,
			      p->p_pptr->p_pid);
		}
	}
	LIST_FOREACH(q, &p->p_children, p_sibling) {
		CHECK(c, q->p_pptr == p, "S2", "child %d of %d names parent %d", q->p_pid, p->p_pid,
		      q->p_pptr != NULL ? q->p_pptr->p_pid : -1);
		if (++nchildren > k->nprocs)
			break;
	}
	CHECK(c, !zombie || nchildren == 0, "S2", "zombie %d still has children", p->p_pid);
}

/*
 * One group: membership (I5, I6, I7), its session (I8), pg_jobc against
 * the ledger (I14) and a recomputation (I15).  Returns its member count.
 */
static int32_t
check_pgrp(struct checker *c, struct pgrp *g, bool *drifted)
{
	struct kernel *k = c->k;
	struct proc *m;
	int32_t n = 0, credit = g->pg_jobc_residual;
	bool anomaly = g->pg_jobc_residual != 0;

	CHECK(c, lock_free(&g->pg_mtx), "I21", "pgrp %d lock held between operations", g->pg_id);
	CHECK(c, g->pg_session != NULL, "I8", "pgrp %d has no session", g->pg_id);
	CHECK(c, g->pg_id >= 0 && g->pg_id < k->k_cfg.pid_max &&
	             (k->pid_used[g->pg_id] & PIDU_PGID) != 0,
	      "I11", "pgid %d not recorded as in use", g->pg_id);
	LIST_FOREACH(m, &g->pg_members, p_pglist) {
		if (++n > k->nprocs)
			break;
		CHECK(c, m->p_pgrp == g, "I6", "pid %d is on pgrp %d's members but in pgrp %d", m->p_pid,
		      g->pg_id, m->p_pgrp != NULL ? m->p_pgrp->pg_id : -1);
		credit += m->p_jobc_cur;
		if (m->p_jobc_cur != jobc_qualifies(m, g)) {
			anomaly = true;
			CHECK(c, (m->p_kflag & PK_JOBC_EXPOSED) != 0, "I15",
			      "pgrp %d: member %d credited %d but %s (pg_jobc %d)", g->pg_id,
			      m->p_pid, m->p_jobc_cur,
			      jobc_qualifies(m, g) ? "qualifies" : "does not qualify", g->pg_jobc);
		}
	}
	CHECK(c, n > 0, "I7", "pgrp %d has no members", g->pg_id);
	CHECK(c, g->pg_jobc == credit, "I14", "pgrp %d: pg_jobc %d but its ledger sums to %d",
	      g->pg_id, g->pg_jobc, credit);
	CHECK(c, g->pg_jobc >= 0 || g->pg_drift, "I14", "pgrp %d: pg_jobc %d below zero", g->pg_id,
	      g->pg_jobc);
	CHECK(c, g->pg_jobc_residual == 0 || g->pg_drift, "I14",
	      "pgrp %d: %d credit left by departed members that never drifted", g->pg_id,
	      g->pg_jobc_residual);
	*drifted = anomaly && g->pg_drift;
	if (g->pg_session != NULL)
		g->pg_session->s_chk++;
	return n;
}

/* I9-I12 for one session, reached through its first group. */
static void
check_session(struct checker *c, struct session *s)
{
	struct proc *l = s->s_leader;

	CHECK(c, lock_free(&s->s_mtx), "I21", "session %d lock held between operations", s->s_sid);
	CHECK(c, s->s_count == (int32_t)s->s_chk + s->s_extholds, "I9",
	      "session %d: s_count %d, but %u groups and %d holds", s->s_sid, s->s_count, s->s_chk,
	      s->s_extholds);
	CHECK(c, (c->k->pid_used[s->s_sid] & PIDU_SID) != 0, "I11", "sid %d not recorded as in use",
	      s->s_sid);
	if (l != NULL) {
		CHECK(c, l->p_pgrp != NULL && l->p_session == s, "I10",
		      "session %d: leader %d is in another session", s->s_sid, l->p_pid);
		CHECK(c, l->p_pid == s->s_sid, "I10", "session %d: leader has pid %d", s->s_sid,
		      l->p_pid);
		CHECK(c, l->p_pgrp != NULL && l->p_pgrp->pg_id == s->s_sid, "I10",
		      "session %d: leader %d left the session's first group", s->s_sid, l->p_pid);
		CHECK(c, l->p_state == PRS_NORMAL && (l->p_kflag & PK_KILLJOBC) == 0, "I10",
		      "session %d: leader %d has exited", s->s_sid, l->p_pid);
	} else {
		CHECK(c, s->s_ttyvp == NULL && s->s_ttydp == NULL, "I12",
		      "session %d: no leader but still a terminal vnode", s->s_sid);
	}
	CHECK(c, s->s_ttyvp == NULL || s->s_ttyp != NULL, "I12",
	      "session %d: tty vnode without a tty", s->s_sid);
}

static bool
pgrp_is_live(struct kernel *k, const struct pgrp *pg)
{
	struct pgrp *g;

	for (uint32_t b = 0; b <= k->pgrphash; b++)
		LIST_FOREACH(g, &k->pgrphashtbl[b], pg_hash)
			if (g == pg)
				return true;
	return false;
}

static bool
session_is_live(struct kernel *k, const struct session *s)
{
	struct pgrp *g;

	for (uint32_t b = 0; b <= k->pgrphash; b++)
		LIST_FOREACH(g, &k->pgrphashtbl[b], pg_hash)
			if (g->pg_session == s)
				return true;
	return false;
}

static void
check_ttys(struct checker *c)
{
	struct kernel *k = c->k;
	struct tty *tp;

	LIST_FOREACH(tp, &k->ttys, t_list) {
		CHECK(c, lock_free(&tp->t_mtx), "I21", "tty %s lock held between operations", tp->t_name);
		CHECK(c, tp->t_pgrp == NULL || pgrp_is_live(k, tp->t_pgrp), "I13",
		      "tty %s: foreground group is freed", tp->t_name);
		CHECK(c, tp->t_session == NULL || session_is_live(k, tp->t_session), "I13",
		      "tty %s: session is freed", tp->t_name);
		if (tp->t_session != NULL && tp->t_pgrp != NULL && pgrp_is_live(k, tp->t_pgrp))
			CHECK(c, tp->t_pgrp->pg_session == tp->t_session, "I13",
			      "tty %s: foreground group %d is not in its session %d", tp->t_name,
			      tp->t_pgrp->pg_id, tp->t_session->s_sid);
	}
}

static void
check_tables(struct checker *c, int32_t *nlive, int32_t *nzomb)
{
	struct kernel *k = c->k;
	struct proc *p;
	int32_t inuse = 0, hashed = 0, zhashed = 0, traced = 0;
	int64_t nsleeping = 0;

	*nlive = *nzomb = 0;
	LIST_FOREACH(p, &k->allproc, p_list) {
		if (++*nlive > k->nprocs)
			break;
		check_proc(c, p, false);
		check_sig_sleep(c, p, false, &nsleeping);
		traced += (p->p_flag & P_TRACED) != 0;
		check_ptrace(c, k, p);
		/* Later kernels keep p_oppid current; the 2008 one lets it go stale. */
		if ((p->p_flag & P_TRACED) != 0 && p->p_oppid != 0 &&
		    k->k_cfg.exit_compat == PS_EXIT_MODERN) {
			struct proc *rp = pfind_any_nolock(k, p->p_oppid);
			CHECK(c, rp != NULL && rp->p_state == PRS_NORMAL, "S6",
			      "traced pid %d: real parent %d is not live", p->p_pid, p->p_oppid);
		}
	}
	{
		int32_t iz = 0;
		LIST_FOREACH(p, &k->initproc->p_children, p_sibling)
			iz += p->p_state == PRS_ZOMBIE;
		CHECK(c, iz == 0 && k->init_zombies == 0, "S7",
		      "init left %d zombies unreaped (counter %d)", iz, k->init_zombies);
	}
	CHECK(c, traced == k->ntraced, "S6", "%d traced processes, ntraced %d", traced, k->ntraced);
	LIST_FOREACH(p, &k->zombproc, p_list) {
		if (++*nzomb > k->nprocs)
			break;
		check_proc(c, p, true);
		check_sig_sleep(c, p, true, &nsleeping);
	}
	for (uint32_t b = 0; b <= k->pidhash; b++) {
		LIST_FOREACH(p, &k->pidhashtbl[b], p_hash)
			hashed++;
		LIST_FOREACH(p, &k->zombhashtbl[b], p_hash)
			zhashed++;
	}
	inuse = k->pid_used_count[0];
	CHECK(c, *nlive + *nzomb == k->nprocs, "S4", "%d + %d processes listed, nprocs %d", *nlive,
	      *nzomb, k->nprocs);
	CHECK(c, *nzomb == k->nzombies, "S4", "%d zombies listed, nzombies %d", *nzomb, k->nzombies);
	CHECK(c, nsleeping == (int64_t)k->nsleeping, "S8", "%lld threads asleep, nsleeping %llu",
	      (long long)nsleeping, (unsigned long long)k->nsleeping);
	CHECK(c, hashed == *nlive, "I2", "pid hash holds %d, allproc %d", hashed, *nlive);
	CHECK(c, zhashed == *nzomb, "I2", "zombie hash holds %d, zombproc %d", zhashed, *nzomb);
	CHECK(c, inuse == k->nprocs, "I2", "%d pids in use for %d processes (pids not unique?)",
	      inuse, k->nprocs);
}

static void
check_groups(struct checker *c, int32_t nprocs)
{
	struct kernel *k = c->k;
	struct pgrp *g;
	int32_t npg = 0, nmembers = 0, nsess = 0, ids = 0, sids = 0;
	bool drifted;

	for (uint32_t b = 0; b <= k->pgrphash; b++)
		LIST_FOREACH(g, &k->pgrphashtbl[b], pg_hash)
			g->pg_session->s_chk = 0;
	for (uint32_t b = 0; b <= k->pgrphash; b++) {
		LIST_FOREACH(g, &k->pgrphashtbl[b], pg_hash) {
			CHECK(c, ((uint32_t)g->pg_id & k->pgrphash) == b, "I3",
			      "pgrp %d in the wrong bucket", g->pg_id);
			npg++;
			nmembers += check_pgrp(c, g, &drifted);
			c->rep->drift += drifted;
		}
	}
	for (uint32_t b = 0; b <= k->pgrphash; b++) {
		LIST_FOREACH(g, &k->pgrphashtbl[b], pg_hash) {
			if (g->pg_session->s_chk == 0)
				continue; /* Already checked through another group. */
			check_session(c, g->pg_session);
			nsess++;
			g->pg_session->s_chk = 0;
		}
	}
	ids = k->pid_used_count[1];
	sids = k->pid_used_count[2];
	CHECK(c, npg == k->npgrps && ids == npg, "I3", "%d groups hashed, npgrps %d, %d pgids in use",
	      npg, k->npgrps, ids);
	CHECK(c, nsess == k->nsessions && sids == nsess, "I9",
	      "%d sessions reached, nsessions %d, %d sids in use", nsess, k->nsessions, sids);
	CHECK(c, nmembers == nprocs, "I5", "%d group members for %d processes", nmembers, nprocs);
}

int
kern_check(struct kernel *k, struct ps_check_report *rep)
{
	struct checker c = {.k = k, .rep = rep};
	int32_t nlive, nzomb;

	memset(rep, 0, sizeof(*rep));
	CHECK(&c, k->nheld == 0, "I21", "%u locks held between operations", k->nheld);
	CHECK(&c, lock_free(&k->allproc_lock) && lock_free(&k->proctree_lock), "I21",
	      "a global lock is held between operations");
	CHECK(&c, TAILQ_EMPTY(&k->astq), "S5", "threads left on the AST list");
	check_tables(&c, &nlive, &nzomb);
	check_groups(&c, nlive + nzomb);
	check_ttys(&c);
	check_sched(&c);
	k->stats.checks_run++;
	if (rep->failures != 0) {
		k->stats.check_failures++;
		return PS_EINVARIANT;
	}
	return 0;
}
