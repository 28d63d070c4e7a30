/*
 * Process tables, lookups, process groups, sessions and job control
 * (spec-kern_proc.md §1-§5).
 *
 * The tables: allproc and zombproc (lists through p_list, newest first),
 * the pid hash of live processes, a hash of zombies (the seed walks
 * zombproc; a hash keeps zpfind O(1) at a million processes and finds the
 * same process, since pids are unique), the pgrp hash and the tid hash.
 * Buckets are heads of LIST chains with head insertion, as in the kernel.
 *
 * Job control follows the newer FreeBSD kern_proc.c: fixjobc adjusts
 * pg_jobc through pgadjustjobc at exactly the points the kernel does, and a
 * decrement that lands on 0 calls orphanpg, which hangs up (SIGHUP, then
 * SIGCONT) every member of a group that has a member stopped by a signal.
 * With PS_JOBC_DRAGONFLY the 2003 DragonFly variant runs instead: the
 * counters change without the group lock, and "stopped" in orphanpg is any
 * stop, a debugger's included (spec §4.4).
 */
#include <stdlib.h>
#include <string.h>

#include "base/assert.h"
#include "kern/kern.h"

static bool
dragonfly(const struct kernel *k)
{
	return k->k_cfg.jobc_algo == PS_JOBC_DRAGONFLY;
}

/*
 * The pid, zombie, pgrp and tid hashes and the sleep queues.  FreeBSD
 * sizes its hashes once, at maxproc / 4 buckets.  procsim starts them small
 * and doubles them all whenever the processes outnumber half the buckets
 * (proc_tables_grow), for two reasons.  A simulator is made for every run
 * of a sweep, and most runs have a handful of processes: tables sized for
 * maxproc would be cleared for nothing each time.  And with at least two
 * buckets per process and pids handed out in order, a recent process
 * seldom shares a chain with an old one: unlinking it at exit then writes
 * only into lines the cache holds, instead of into a stranger's, which at
 * a million processes is a cache miss per table (docs/performance.md §4).
 * Bucket layout is never visible: every list the API returns is sorted or
 * taken from allproc, and lookups are by id.
 */
#define PROC_TABLES_MIN 64u
#define PROC_TABLES_MAX (1u << 24)

static int
proc_tables_alloc(struct kernel *k, uint32_t n)
{
	struct prochashhead *pid = calloc(n, sizeof(*pid)), *zomb = calloc(n, sizeof(*zomb));
	struct pgrphashhead *pg = calloc(n, sizeof(*pg));
	struct tidhashhead *tid = calloc(n, sizeof(*tid));
	struct proc *p, *np;
	struct pgrp *g, *ng;
	struct thread *td, *ntd;
	uint32_t old = k->pidhashtbl != NULL ? k->pidhash + 1 : 0, mask = n - 1;

	if (pid == NULL || zomb == NULL || pg == NULL || tid == NULL) {
		free(pid);
		free(zomb);
		free(pg);
		free(tid);
		return PS_ENOMEM;
	}
	/* Each entry moves to the head of its new chain: ids are unique, so
	 * the order within a chain means nothing. */
	for (uint32_t b = 0; b < old; b++) {
		LIST_FOREACH_SAFE(p, &k->pidhashtbl[b], p_hash, np)
			LIST_INSERT_HEAD(&pid[(uint32_t)p->p_pid & mask], p, p_hash);
		LIST_FOREACH_SAFE(p, &k->zombhashtbl[b], p_hash, np)
			LIST_INSERT_HEAD(&zomb[(uint32_t)p->p_pid & mask], p, p_hash);
		LIST_FOREACH_SAFE(g, &k->pgrphashtbl[b], pg_hash, ng)
			LIST_INSERT_HEAD(&pg[(uint32_t)g->pg_id & mask], g, pg_hash);
		LIST_FOREACH_SAFE(td, &k->tidhashtbl[b], td_hash, ntd)
			LIST_INSERT_HEAD(&tid[(uint32_t)td->td_tid & mask], td, td_hash);
	}
	free(k->pidhashtbl);
	free(k->zombhashtbl);
	free(k->pgrphashtbl);
	free(k->tidhashtbl);
	k->pidhashtbl = pid;
	k->zombhashtbl = zomb;
	k->pgrphashtbl = pg;
	k->tidhashtbl = tid;
	k->pidhash = k->pgrphash = k->tidhash = mask;
	return 0;
}

/*
 * After a process joined the tables: double them (and the sleep queues)
 * when processes outnumber half the buckets.  The pgrp hash is proctree's
 * and the others allproc's, so both are taken, in their order; the caller
 * holds neither.  Out of memory, the tables stay as they are: chains grow
 * longer, nothing else changes.
 */
void
proc_tables_grow(struct kernel *k)
{
	uint32_t n = k->pidhash + 1;

	if ((uint32_t)k->nprocs <= n / 2 || n >= PROC_TABLES_MAX)
		return;
	sx_xlock(k, &k->proctree_lock);
	sx_xlock(k, &k->allproc_lock);
	if (sleepq_resize(k, 2 * n) == 0)
		(void)proc_tables_alloc(k, 2 * n);
	sx_xunlock(k, &k->allproc_lock);
	sx_xunlock(k, &k->proctree_lock);
}

int
procinit(struct kernel *k)
{
	LIST_INIT(&k->allproc);
	LIST_INIT(&k->zombproc);
	LIST_INIT(&k->ttys);
	lock_init(&k->allproc_lock, LC_ALLPROC);
	lock_init(&k->proctree_lock, LC_PROCTREE);
	lock_init(&k->ppeers_lock, LC_PPEERS);
	k->pid_used = calloc((size_t)k->k_cfg.pid_max + 1, 1);
	if (k->pid_used == NULL || proc_tables_alloc(k, PROC_TABLES_MIN) != 0)
		return PS_ENOMEM;
	k->no_pid = k->k_cfg.pid_max + 1;
	k->lasttid = k->no_pid;
	return 0;
}

void
procfini(struct kernel *k)
{
	free(k->pidhashtbl);
	free(k->zombhashtbl);
	free(k->pgrphashtbl);
	free(k->tidhashtbl);
	free(k->pid_used);
}

struct prochashhead *
PIDHASH(struct kernel *k, pid_t_ pid)
{
	return &k->pidhashtbl[(uint32_t)pid & k->pidhash];
}

struct prochashhead *
ZOMBHASH(struct kernel *k, pid_t_ pid)
{
	return &k->zombhashtbl[(uint32_t)pid & k->pidhash];
}

struct pgrphashhead *
PGRPHASH(struct kernel *k, pid_t_ pgid)
{
	return &k->pgrphashtbl[(uint32_t)pgid & k->pgrphash];
}

struct tidhashhead *
TIDHASH(struct kernel *k, lwpid_t_ tid)
{
	return &k->tidhashtbl[(uint32_t)tid & k->tidhash];
}

void
_PHOLD(struct kernel *k, struct proc *p)
{
	(void)k;
	PROC_LOCK_ASSERT(p, MA_OWNED);
	PS_ASSERT(p->p_lock >= 0);
	p->p_lock++;
}

void
_PRELE(struct kernel *k, struct proc *p)
{
	(void)k;
	PROC_LOCK_ASSERT(p, MA_OWNED);
	PS_ASSERT_MSG(p->p_lock > 0, "PRELE of pid %d without a hold", p->p_pid);
	p->p_lock--;
}

/*
 * The real parent: the debugger's reparenting undone (proc_realparent of
 * the 10.x kernels, spec-sys_process.md A.4).  A process reparented while
 * traced sits on its previous parent's orphan list, whose owner is the
 * answer; otherwise the current parent when p_oppid names it (or is 0),
 * else init.  The 2008 kernel has no orphan list: a traced process's real
 * parent is whoever has the pid p_oppid, stale or not (spec-kern_exit.md
 * §11.10).
 */
struct proc *
proc_realparent(struct kernel *k, struct proc *p)
{
	struct proc *pp;

	sx_assert(&k->proctree_lock, SA_LOCKED);
	if (p->p_orphan_of != NULL)
		return p->p_orphan_of;
	if (k->k_cfg.exit_compat == PS_EXIT_2008 && (p->p_flag & P_TRACED) != 0 &&
	    p->p_oppid != 0) {
		pp = pfind_any_nolock(k, p->p_oppid);
		return pp != NULL && pp->p_state == PRS_NORMAL ? pp : k->initproc;
	}
	if (p->p_oppid == 0 || p->p_pptr->p_pid == p->p_oppid)
		return p->p_pptr;
	return k->initproc;
}

/*
 * Is p the current process or one of its descendants?  Walks up by the
 * real parent (FreeBSD) or by p_pptr (DragonFly), stopping at pid 0.
 */
int
inferior(struct kernel *k, struct proc *p)
{
	struct proc *cur = k->curproc;
	uint32_t steps = 0;

	sx_assert(&k->proctree_lock, SA_LOCKED);
	PROC_LOCK_ASSERT(p, MA_OWNED);
	for (; p != cur; steps++) {
		PS_ASSERT_MSG(steps <= (uint32_t)k->nprocs, "inferior: parent chain has a cycle");
		if (p->p_pid == 0)
			return 0;
		p = dragonfly(k) ? p->p_pptr : proc_realparent(k, p);
		PS_ASSERT(p != NULL);
	}
	return 1;
}

/* Locked lookup of a live process (spec §2.1): PRS_NEW ones are hidden. */
struct proc *
pfind_locked(struct kernel *k, pid_t_ pid)
{
	struct proc *p;

	sx_assert(&k->allproc_lock, SA_LOCKED);
	LIST_FOREACH(p, PIDHASH(k, pid), p_hash) {
		if (p->p_pid != pid)
			continue;
		PROC_LOCK(p);
		if (p->p_state == PRS_NEW) {
			PROC_UNLOCK(p);
			return NULL;
		}
		return p;
	}
	return NULL;
}

struct proc *
pfind(struct kernel *k, pid_t_ pid)
{
	struct proc *p;

	sx_assert(&k->allproc_lock, SA_UNLOCKED);
	sx_slock(k, &k->allproc_lock);
	p = pfind_locked(k, pid);
	sx_sunlock(k, &k->allproc_lock);
	return p;
}

/* The process that owns thread tid, locked (spec §2.2); never a zombie. */
struct proc *
pfind_tid_locked(struct kernel *k, lwpid_t_ tid)
{
	struct thread *td;
	struct proc *p;

	sx_assert(&k->allproc_lock, SA_LOCKED);
	LIST_FOREACH(td, TIDHASH(k, tid), td_hash) {
		if (td->td_tid != tid)
			continue;
		p = td->td_proc;
		if (p->p_state != PRS_NORMAL)
			return NULL;
		PROC_LOCK(p);
		return p;
	}
	return NULL;
}

struct proc *
zpfind_locked(struct kernel *k, pid_t_ pid)
{
	struct proc *p;

	sx_assert(&k->allproc_lock, SA_LOCKED);
	LIST_FOREACH(p, ZOMBHASH(k, pid), p_hash) {
		if (p->p_pid == pid) {
			PS_ASSERT(p->p_state == PRS_ZOMBIE);
			PROC_LOCK(p);
			return p;
		}
	}
	return NULL;
}

struct proc *
zpfind(struct kernel *k, pid_t_ pid)
{
	struct proc *p;

	sx_slock(k, &k->allproc_lock);
	p = zpfind_locked(k, pid);
	sx_sunlock(k, &k->allproc_lock);
	return p;
}

/* A live group, returned with its lock held (spec §2.4). */
struct pgrp *
pgfind(struct kernel *k, pid_t_ pgid)
{
	struct pgrp *pgrp;

	sx_assert(&k->proctree_lock, SA_LOCKED);
	LIST_FOREACH(pgrp, PGRPHASH(k, pgid), pg_hash) {
		if (pgrp->pg_id == pgid) {
			PGRP_LOCK(pgrp);
			return pgrp;
		}
	}
	return NULL;
}

/* Any process with this pid, live or zombie, without locking. */
struct proc *
pfind_any_nolock(struct kernel *k, pid_t_ pid)
{
	struct proc *p;

	LIST_FOREACH(p, PIDHASH(k, pid), p_hash)
		if (p->p_pid == pid)
			return p;
	LIST_FOREACH(p, ZOMBHASH(k, pid), p_hash)
		if (p->p_pid == pid)
			return p;
	return NULL;
}

struct pgrp *
pgfind_nolock(struct kernel *k, pid_t_ pgid)
{
	struct pgrp *pgrp;

	LIST_FOREACH(pgrp, PGRPHASH(k, pgid), pg_hash)
		if (pgrp->pg_id == pgid)
			return pgrp;
	return NULL;
}

/*
 * pget (spec §2.5): look a process up by pid, or by tid above pid_max, and
 * apply the PGET_* checks in the seed's order.  On success *pp is locked,
 * or, with PGET_HOLD, held and unlocked.  On failure nothing is held.
 */
int
pget(struct kernel *k, pid_t_ pid, int flags, struct proc **pp)
{
	struct proc *p;
	int error;

	sx_slock(k, &k->allproc_lock);
	if (pid <= k->k_cfg.pid_max) {
		p = pfind_locked(k, pid);
		if (p == NULL && (flags & PS_PGET_NOTWEXIT) == 0)
			p = zpfind_locked(k, pid);
	} else if ((flags & PS_PGET_NOTID) == 0) {
		p = pfind_tid_locked(k, pid);
	} else {
		p = NULL;
	}
	sx_sunlock(k, &k->allproc_lock);
	if (p == NULL)
		return PS_ESRCH;
	error = 0;
	if ((flags & PS_PGET_CANSEE) != 0)
		error = p_cansee(k, k->curproc, p);
	if (error == 0 && (flags & PS_PGET_CANDEBUG) != 0)
		error = p_candebug(k, k->curproc, p);
	if (error == 0 && (flags & PS_PGET_ISCURRENT) != 0 && p != k->curproc)
		error = PS_EPERM;
	if (error == 0 && (flags & PS_PGET_NOTWEXIT) != 0 && (p->p_flag & P_WEXIT) != 0)
		error = PS_ESRCH;
	if (error == 0 && (flags & PS_PGET_NOTINEXEC) != 0 && (p->p_flag & P_INEXEC) != 0)
		error = PS_ESRCH;
	if (error != 0) {
		PROC_UNLOCK(p);
		return error;
	}
	if ((flags & PS_PGET_HOLD) != 0) {
		_PHOLD(k, p);
		PROC_UNLOCK(p);
	}
	*pp = p;
	return 0;
}

struct pgrp *
pgrp_alloc(struct kernel *k)
{
	struct pgrp *pg = calloc(1, sizeof(*pg));

	(void)k;
	if (pg != NULL)
		lock_init(&pg->pg_mtx, LC_PGRP);
	return pg;
}

struct session *
session_alloc(struct kernel *k)
{
	struct session *s = calloc(1, sizeof(*s));

	(void)k;
	if (s != NULL)
		lock_init(&s->s_mtx, LC_SESS);
	return s;
}

/* Free objects allocated for an operation that did not use them. */
void
pgrp_free_unused(struct kernel *k, struct pgrp *pg)
{
	(void)k;
	free(pg);
}

void
session_free_unused(struct kernel *k, struct session *s)
{
	(void)k;
	free(s);
}

static void doenterpgrp(struct kernel *k, struct proc *p, struct pgrp *pgrp);
static void pgdelete(struct kernel *k, struct pgrp *pgrp);

/*
 * Create group pgid (== p's pid) with p as its first member, in a new
 * session sess when sess is not NULL (spec §3.1).  The caller allocated
 * both objects and checked the user-visible errors.
 */
int
enterpgrp(struct kernel *k, struct proc *p, pid_t_ pgid, struct pgrp *pgrp,
          struct session *sess)
{
	sx_assert(&k->proctree_lock, SA_XLOCKED);
	KASSERT(pgrp != NULL, "enterpgrp: pgrp == NULL");
	KASSERT(p->p_pid == pgid, "enterpgrp: new pgrp and pid != pgid");
	KASSERT(pgfind_nolock(k, pgid) == NULL, "enterpgrp: pgrp with pgid exists");
	KASSERT(!SESS_LEADER(p), "enterpgrp: session leader attempted setpgrp");

	if (sess != NULL) {
		PROC_LOCK(p);
		p->p_flag &= ~P_CONTROLT;
		PROC_UNLOCK(p);
		PGRP_LOCK(pgrp);
		sess->s_leader = p;
		sess->s_sid = p->p_pid;
		sess->s_count = 1;
		sess->s_ttyvp = NULL;
		sess->s_ttydp = NULL;
		sess->s_ttyp = NULL;
		memcpy(sess->s_login, p->p_session->s_login, sizeof(sess->s_login));
		pgrp->pg_session = sess;
		KASSERT(p == k->curproc, "enterpgrp: mksession and p != curproc");
		pid_use(k, sess->s_sid, PIDU_SID);
		k->nsessions++;
		kevent_emit(k, PS_EV_SESSION_CREATE, p, 0, 0, sess->s_sid, NULL);
	} else {
		pgrp->pg_session = p->p_session;
		sess_hold(k, pgrp->pg_session);
		PGRP_LOCK(pgrp);
	}
	pgrp->pg_id = pgid;
	LIST_INIT(&pgrp->pg_members);
	LIST_INSERT_HEAD(PGRPHASH(k, pgid), pgrp, pg_hash);
	pgrp->pg_jobc = 0;
	pgrp->pg_jobc_residual = 0;
	pgrp->pg_jobc_sum = 0;
	pgrp->pg_drift = 0;
	CHK_TOUCH(k, chk_pgrp_linked, pgrp);
	pid_use(k, pgid, PIDU_PGID);
	k->npgrps++;
	PGRP_UNLOCK(pgrp);
	kevent_emit_pg(k, PS_EV_PGRP_CREATE, pgrp, 0, NULL);

	doenterpgrp(k, p, pgrp);
	return 0;
}

/* Move p into an existing group of its session (spec §3.2). */
int
enterthispgrp(struct kernel *k, struct proc *p, struct pgrp *pgrp)
{
	sx_assert(&k->proctree_lock, SA_XLOCKED);
	PROC_LOCK_ASSERT(p, MA_NOTOWNED);
	PGRP_LOCK_ASSERT(pgrp, MA_NOTOWNED);
	PGRP_LOCK_ASSERT(p->p_pgrp, MA_NOTOWNED);
	SESS_LOCK_ASSERT(p->p_session, MA_NOTOWNED);
	KASSERT(pgrp->pg_session == p->p_session, "enterthispgrp: pgrp's session differs");
	KASSERT(pgrp != p->p_pgrp, "enterthispgrp: setpgid to the group p is in");

	doenterpgrp(k, p, pgrp);
	return 0;
}

/*
 * Move p from its group to pgrp (spec §3.3).  The accounting runs first,
 * the entering pass before the leaving one (§4.5), while p is still a
 * member of the old group; then p moves to the head of the new member
 * list, and the old group goes if p was its last member.
 */
static void
doenterpgrp(struct kernel *k, struct proc *p, struct pgrp *pgrp)
{
	struct pgrp *savepgrp;

	sx_assert(&k->proctree_lock, SA_XLOCKED);
	PROC_LOCK_ASSERT(p, MA_NOTOWNED);
	PGRP_LOCK_ASSERT(pgrp, MA_NOTOWNED);
	PGRP_LOCK_ASSERT(p->p_pgrp, MA_NOTOWNED);
	SESS_LOCK_ASSERT(p->p_session, MA_NOTOWNED);

	savepgrp = p->p_pgrp;
	PS_ASSERT(savepgrp != pgrp);
	PS_ASSERT(p->p_jobc_new == 0);

	fixjobc(k, p, pgrp, 1);
	fixjobc(k, p, savepgrp, 0);

	PGRP_LOCK(pgrp);
	PGRP_LOCK(savepgrp);
	PROC_LOCK(p);
	LIST_REMOVE(p, p_pglist);
	p->p_pgrp = pgrp;
	PROC_UNLOCK(p);
	LIST_INSERT_HEAD(&pgrp->pg_members, p, p_pglist);
	/* Ledger: what p still credits the old group stays there. */
	savepgrp->pg_jobc_residual += p->p_jobc_cur;
	savepgrp->pg_jobc_sum -= p->p_jobc_cur;
	p->p_jobc_cur = p->p_jobc_new;
	pgrp->pg_jobc_sum += p->p_jobc_cur;
	p->p_jobc_new = 0;
	PGRP_UNLOCK(savepgrp);
	PGRP_UNLOCK(pgrp);
	kevent_emit(k, PS_EV_SETPGID, p, 0, 0, pgrp->pg_id, NULL);
	if (LIST_EMPTY(&savepgrp->pg_members))
		pgdelete(k, savepgrp);
}

/* Take p out of its group at reap time; no accounting (spec §3.4). */
int
leavepgrp(struct kernel *k, struct proc *p)
{
	struct pgrp *savepgrp;

	sx_assert(&k->proctree_lock, SA_XLOCKED);
	savepgrp = p->p_pgrp;
	PS_ASSERT(savepgrp != NULL);
	PGRP_LOCK(savepgrp);
	PROC_LOCK(p);
	LIST_REMOVE(p, p_pglist);
	p->p_pgrp = NULL;
	PROC_UNLOCK(p);
	savepgrp->pg_jobc_residual += p->p_jobc_cur;
	savepgrp->pg_jobc_sum -= p->p_jobc_cur;
	p->p_jobc_cur = 0;
	PGRP_UNLOCK(savepgrp);
	if (LIST_EMPTY(&savepgrp->pg_members))
		pgdelete(k, savepgrp);
	return 0;
}

/* Destroy an empty group (spec §3.5). */
static void
pgdelete(struct kernel *k, struct pgrp *pgrp)
{
	struct session *savesess;
	struct tty *tp;

	sx_assert(&k->proctree_lock, SA_XLOCKED);
	PGRP_LOCK_ASSERT(pgrp, MA_NOTOWNED);
	SESS_LOCK_ASSERT(pgrp->pg_session, MA_NOTOWNED);
	PS_ASSERT(LIST_EMPTY(&pgrp->pg_members));

	/* No F_SETOWN registrations are modelled: funsetownlst has nothing to do. */
	PGRP_LOCK(pgrp);
	tp = pgrp->pg_session->s_ttyp;
	LIST_REMOVE(pgrp, pg_hash);
	CHK_TOUCH(k, chk_pgrp_unlinked, pgrp);
	savesess = pgrp->pg_session;
	PGRP_UNLOCK(pgrp);

	if (dragonfly(k)) {
		/* DragonFly clears the foreground pointer itself, unlocked. */
		if (tp != NULL && tp->t_pgrp == pgrp)
			tp->t_pgrp = NULL;
	} else if (tp != NULL) {
		tty_lock(tp);
		tty_rel_pgrp(k, tp, pgrp);
	}
	kevent_emit_pg(k, PS_EV_PGRP_DELETE, pgrp, pgrp->pg_jobc, NULL);
	pid_unuse(k, pgrp->pg_id, PIDU_PGID);
	k->npgrps--;
	lock_destroy(k, &pgrp->pg_mtx);
	free(pgrp);
	sess_release(k, savesess);
}

void
sess_hold(struct kernel *k, struct session *s)
{
	(void)k;
	PS_ASSERT(s->s_count > 0);
	s->s_count++;
	/* s_count is atomic, changed without the session's lock. */
	CHK_TOUCH(k, chk_touch_sess, s);
}

/* Drop a reference; the last one frees the session (spec §3.6). */
void
sess_release(struct kernel *k, struct session *s)
{
	struct tty *tp;

	SESS_LOCK_ASSERT(s, MA_NOTOWNED);
	PS_ASSERT_MSG(s->s_count > 0, "sess_release: session %d has no references", s->s_sid);
	CHK_TOUCH(k, chk_touch_sess, s);
	if (--s->s_count > 0)
		return;
	tp = s->s_ttyp;
	if (tp != NULL) {
		if (dragonfly(k)) {
			/*
			 * DragonFly leaves the tty alone here; a tty still
			 * naming the freed session would dangle, so the model
			 * clears it (a documented deviation).
			 */
			tty_lock(tp);
			if (tp->t_session == s)
				tp->t_session = NULL;
			tp->t_sessioncnt--;
			tty_unlock(tp);
		} else {
			tty_lock(tp);
			tty_rel_sess(k, tp, s);
		}
	}
	PS_ASSERT(s->s_ttyvp == NULL || s->s_ttyvp == tp);
	if (s->s_ttyvp != NULL) {
		tty_lock(s->s_ttyvp);
		s->s_ttyvp->t_vrefs--;
		tty_unlock(s->s_ttyvp);
	}
	kevent_emit(k, PS_EV_SESSION_FREE, NULL, 0, 0, s->s_sid, NULL);
	pid_unuse(k, s->s_sid, PIDU_SID);
	k->nsessions--;
	lock_destroy(k, &s->s_mtx);
	CHK_TOUCH(k, chk_sess_freed, s);
	free(s);
}

/*
 * One adjustment of pg_jobc (spec §4.2), for the qualification of process
 * `who`.  A decrement that lands on exactly 0 orphans the group.  The
 * ledger records the change against `who`: in its current group, or, for
 * the entering pass of a move, in the group it is about to join.
 */
static void
pgadjustjobc(struct kernel *k, struct pgrp *pgrp, int entering, struct proc *who)
{
	int32_t delta = entering ? 1 : -1;
	bool orphaned;

	if (!dragonfly(k))
		PGRP_LOCK(pgrp);
	/* DragonFly takes no lock; and who's ledger is the group's (g). */
	CHK_TOUCH(k, chk_touch_pgrp, pgrp);
	CHK_TOUCH(k, chk_touch_proc, who);
	pgrp->pg_jobc += delta;
	if (who->p_pgrp == pgrp) {
		who->p_jobc_cur += delta;
		pgrp->pg_jobc_sum += delta;
	} else {
		who->p_jobc_new += delta;
	}
	kevent_emit_pg(k, PS_EV_JOBC, pgrp, pgrp->pg_jobc, entering ? "+1" : "-1");
	orphaned = !entering && pgrp->pg_jobc == 0;
	if (orphaned)
		orphanpg(k, pgrp);
	if (!dragonfly(k))
		PGRP_UNLOCK(pgrp);
}

/*
 * p enters (entering = 1) or leaves (0) pgrp: adjust the count of every
 * group whose qualification depends on p's membership (spec §4.3).  Step A
 * is p's own qualification through its parent; step B that of each child
 * in another group of the same session, in child-list order.
 */
void
fixjobc(struct kernel *k, struct proc *p, struct pgrp *pgrp, int entering)
{
	struct pgrp *hispgrp;
	struct session *mysession;
	struct proc *q;

	sx_assert(&k->proctree_lock, SA_LOCKED);
	PROC_LOCK_ASSERT(p, MA_NOTOWNED);
	PGRP_LOCK_ASSERT(pgrp, MA_NOTOWNED);
	SESS_LOCK_ASSERT(pgrp->pg_session, MA_NOTOWNED);
	PS_ASSERT_MSG(p->p_pptr != NULL, "fixjobc: pid %d has no parent", p->p_pid);

	mysession = pgrp->pg_session;
	hispgrp = p->p_pptr->p_pgrp;
	if (hispgrp != pgrp && hispgrp->pg_session == mysession)
		pgadjustjobc(k, pgrp, entering, p);

	LIST_FOREACH(q, &p->p_children, p_sibling) {
		hispgrp = q->p_pgrp;
		if (hispgrp == pgrp || hispgrp->pg_session != mysession)
			continue;
		if (q->p_state == PRS_ZOMBIE)
			continue;
		pgadjustjobc(k, hispgrp, entering, q);
	}
}

/*
 * Is p stopped for the purpose of orphanpg?  FreeBSD: stopped by a signal
 * and by nothing else.  DragonFly: in the SSTOP state, whatever stopped it.
 */
static bool
orphanpg_stopped(const struct kernel *k, const struct proc *p)
{
	if (dragonfly(k))
		return P_SHOULDSTOP(p) != 0;
	return P_SHOULDSTOP(p) == P_STOPPED_SIG;
}

/*
 * A group has just become orphaned (spec §4.6): if a member is stopped,
 * send SIGHUP and then SIGCONT to every member, in member-list order.
 */
void
orphanpg(struct kernel *k, struct pgrp *pg)
{
	struct proc *p;
	bool stopped = false;

	if (!dragonfly(k))
		PGRP_LOCK_ASSERT(pg, MA_OWNED);
	LIST_FOREACH(p, &pg->pg_members, p_pglist) {
		PROC_LOCK(p);
		stopped = orphanpg_stopped(k, p);
		PROC_UNLOCK(p);
		if (stopped)
			break;
	}
	kevent_emit_pg(k, PS_EV_ORPHANED, pg, stopped ? 1 : 0,
	               stopped ? "stopped member: SIGHUP, SIGCONT to every member" : "no stopped member");
	if (!stopped)
		return;
	LIST_FOREACH(p, &pg->pg_members, p_pglist) {
		PROC_LOCK(p);
		kern_psignal(k, p, PS_SIGHUP);
		kern_psignal(k, p, PS_SIGCONT);
		PROC_UNLOCK(p);
	}
}

/*
 * E18-E19 of the 2008 exit1 (spec-kern_exit.md §2.3), selected by
 * PS_LEADER_EXIT_2008: the foreground group is hung up only while the
 * session still holds the terminal's vnode and the terminal is still the
 * session's; the vnode is then revoked; a vnode held for a terminal that
 * now belongs elsewhere is released without a revoke; s_ttyp stays;
 * s_leader is cleared last; fixjobc runs for every exiting process.
 */
static void
exit_leader_2008(struct kernel *k, struct proc *p)
{
	struct session *sp;
	struct tty *tp, *vp;

	sx_xlock(k, &k->proctree_lock);
	if (SESS_LEADER(p)) {
		sp = p->p_session;
		if (sp->s_ttyvp != NULL) {
			tp = sp->s_ttyp;
			if (tp != NULL && tp->t_session == sp) {
				tty_lock(tp);
				if (tp->t_pgrp != NULL)
					tty_signal_pgrp(k, tp, PS_SIGHUP);
				tty_unlock(tp);
				/* ttywait: output drains with the tree lock dropped. */
				sx_xunlock(k, &k->proctree_lock);
				sx_xlock(k, &k->proctree_lock);
				if (sp->s_ttyvp != NULL) {
					vp = sp->s_ttyvp;
					SESS_LOCK(sp);
					sp->s_ttyvp = NULL;
					sp->s_ttydp = NULL;
					SESS_UNLOCK(sp);
					sx_xunlock(k, &k->proctree_lock);
					tty_revoke(k, vp);
					tty_lock(vp);
					vp->t_vrefs--;
					tty_unlock(vp);
					sx_xlock(k, &k->proctree_lock);
				}
			}
		}
		if (sp->s_ttyvp != NULL) {
			vp = sp->s_ttyvp;
			SESS_LOCK(sp);
			sp->s_ttyvp = NULL;
			sp->s_ttydp = NULL;
			SESS_UNLOCK(sp);
			tty_lock(vp);
			vp->t_vrefs--;
			tty_unlock(vp);
		}
		SESS_LOCK(sp);
		sp->s_leader = NULL;
		SESS_UNLOCK(sp);
	}
	fixjobc(k, p, p->p_pgrp, 0);
	p->p_kflag |= PK_KILLJOBC;
	sx_xunlock(k, &k->proctree_lock);
}

/*
 * Job-control work of the exiting current process (spec §4.7): a session
 * leader gives up the terminal (SIGHUP to the foreground group, the vnode
 * revoked and released, s_leader cleared), then the process leaves its
 * group for accounting purposes.
 */
void
killjobc(struct kernel *k)
{
	struct session *sp;
	struct tty *tp, *ttyvp;
	struct proc *p = k->curproc;

	PS_ASSERT(p != NULL);
	PROC_LOCK_ASSERT(p, MA_NOTOWNED);
	sx_assert(&k->proctree_lock, SA_UNLOCKED);
	KASSERT((p->p_flag & P_WEXIT) != 0, "killjobc: p not exiting");
	PS_ASSERT((p->p_kflag & PK_KILLJOBC) == 0);

	if (k->k_cfg.leader_exit == PS_LEADER_EXIT_2008) {
		exit_leader_2008(k, p);
		return;
	}
	PROC_LOCK(p);
	if (!SESS_LEADER(p) && p->p_pgrp == p->p_pptr->p_pgrp && LIST_EMPTY(&p->p_children)) {
		PROC_UNLOCK(p);
		p->p_kflag |= PK_KILLJOBC;
		return;
	}
	PROC_UNLOCK(p);

	sx_xlock(k, &k->proctree_lock);
	if (SESS_LEADER(p)) {
		sp = p->p_session;
		SESS_LOCK(sp);
		ttyvp = sp->s_ttyvp;
		tp = sp->s_ttyp;
		sp->s_ttyvp = NULL;
		sp->s_ttydp = NULL;
		sp->s_leader = NULL;
		SESS_UNLOCK(sp);

		if (tp != NULL) {
			tty_lock(tp);
			if (tp->t_session == sp)
				tty_signal_pgrp(k, tp, PS_SIGHUP);
			tty_unlock(tp);
		}
		if (ttyvp != NULL) {
			/* The vnode is revoked with proctree_lock dropped. */
			sx_xunlock(k, &k->proctree_lock);
			tty_revoke(k, ttyvp);
			tty_lock(ttyvp);
			ttyvp->t_vrefs--;
			tty_unlock(ttyvp);
			sx_xlock(k, &k->proctree_lock);
		}
	}
	fixjobc(k, p, p->p_pgrp, 0);
	p->p_kflag |= PK_KILLJOBC;
	sx_xunlock(k, &k->proctree_lock);
}
