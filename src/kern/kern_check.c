/*
 * The invariant checker (spec-kern_proc.md §9): one walk over every table
 * that verifies the invariants the kernel keeps between operations.  Like
 * SQLite's assert_pager_state it changes nothing (but scratch marks: a
 * counter in each session, a bit in each process and group), so it may
 * run after every event.  It reports the first broken invariant by its
 * spec name (I1..I21, or S* for the structural conditions the spec takes
 * for granted: parent and child lists, threads, counters) and counts the
 * rest.
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
 * The full walk is linear in processes + groups + sessions + terminals:
 * that a process is on its parent's child list (S2) and on its tracer's
 * orphan list (T3) is not searched for per process but established by
 * marking every process reached through the lists (PK_CHKSEEN) and then
 * looking for an unmarked one; each list is checked link by link (every
 * element's le_prev points at its predecessor), which also rules out a
 * cycle or an element listed twice; a terminal's foreground group and
 * session are looked up among the live ones through a sorted table of the
 * terminals' pointers, never dereferenced before they are known live.
 *
 * The incremental pass (ps_config.check_mode, docs/testing.md) checks what
 * one operation touched.  Objects are recorded by id when their lock is
 * taken (lock.c) or when a field changes without it (CHK_TOUCH), and
 * looked up by id when the pass runs, so one that was freed meanwhile is
 * never dereferenced.  For each touched process: its own invariants, its
 * links to its neighbours on the sibling, member and process lists, its
 * parent (touched too), its first CHK_SCAN children and whether it is
 * among its parent's first CHK_SCAN; for each touched group: the ledger
 * through the running sum pg_jobc_sum (O(1) whatever the group's size),
 * its first CHK_SCAN members; for each touched session: s_count against
 * the checker's own running count of its groups; for each touched
 * terminal: I13, with the groups and sessions freed during the operation
 * known by address; and the counters that are O(1) to compare.  What the
 * pass defers to the next full walk is listed in docs/testing.md.
 *
 * Not here: I17 (an event postcondition: every member of a group orphaned
 * with a stopped member gets SIGHUP then SIGCONT), I18 (right after
 * setsid) and I19 and I22 (kinfo output) are checked by the unit tests
 * that cause those events.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/assert.h"
#include "kern/kern.h"
#include "vm/vm.h"

/*
 * How far the incremental pass walks a list it does not own (a parent's
 * children, a group's members, a signal queue, an orphan list) from its
 * head.  New children and members go to the head, so what an operation
 * added is found; a list longer than this is left to the full walk.
 */
#define CHK_SCAN 64

/* pg_chkflag */
#define PGC_DIRTY 0x01

struct idvec {
	int32_t *v;
	size_t n, cap;
};

struct ptrvec {
	uintptr_t *v;
	size_t n, cap;
};

/* A session of the checker's table: the sessions have no table of their own. */
struct chk_sess {
	struct session *sess; /* NULL: the slot is free. */
	int32_t sid;
	int32_t ngroups;      /* Groups linked in it, counted as they come and go. */
	uint8_t dirty;        /* Touched since the last pass. */
};

/*
 * The incremental checker's state (k->chk, only in PS_CHECK_INCREMENTAL
 * mode with check_every_op).  The touched objects by id, in the order
 * first touched; the groups and sessions freed since the last pass, by
 * address, only ever compared; the session table.
 */
struct kern_chk {
	struct idvec pids, pgids, sids, devs;
	uint8_t *devdirty;         /* By device number. */
	size_t ndevdirty;
	struct tty **ttys;         /* By device number (terminals are never freed). */
	int32_t nttys;
	struct ptrvec freed_pg, freed_s;
	struct chk_sess *map;      /* Open addressing, linear probing. */
	uint32_t mapmask, mapcount;
	bool lost;                 /* A touch went unrecorded: the next pass is a full walk. */
};

struct checker {
	struct kernel *k;
	struct ps_check_report *rep;
	bool incr;                 /* The incremental pass, not the full walk. */
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

/* --- the incremental checker's records --- */

static bool
idvec_push(struct kern_chk *ck, struct idvec *iv, int32_t id)
{
	if (iv->n == iv->cap) {
		size_t ncap = iv->cap != 0 ? iv->cap * 2 : 64;
		int32_t *nv = realloc(iv->v, ncap * sizeof(*nv));

		if (nv == NULL) {
			ck->lost = true;
			return false;
		}
		iv->v = nv;
		iv->cap = ncap;
	}
	iv->v[iv->n++] = id;
	return true;
}

static void
ptrvec_push(struct kern_chk *ck, struct ptrvec *pv, const void *ptr)
{
	if (pv->n == pv->cap) {
		size_t ncap = pv->cap != 0 ? pv->cap * 2 : 8;
		uintptr_t *nv = realloc(pv->v, ncap * sizeof(*nv));

		if (nv == NULL) {
			ck->lost = true;
			return;
		}
		pv->v = nv;
		pv->cap = ncap;
	}
	pv->v[pv->n++] = (uintptr_t)ptr;
}

static bool
ptrvec_has(const struct ptrvec *pv, const void *ptr)
{
	for (size_t i = 0; i < pv->n; i++)
		if (pv->v[i] == (uintptr_t)ptr)
			return true;
	return false;
}

/* An address freed and then allocated again within one operation is live. */
static void
ptrvec_forget(struct ptrvec *pv, const void *ptr)
{
	for (size_t i = 0; i < pv->n; i++)
		if (pv->v[i] == (uintptr_t)ptr)
			pv->v[i--] = pv->v[--pv->n];
}

static uint32_t
sid_slot(const struct kern_chk *ck, int32_t sid)
{
	uint32_t h = (uint32_t)sid * 0x9e3779b1u;

	return (h ^ (h >> 16)) & ck->mapmask;
}

static struct chk_sess *
map_find(struct kern_chk *ck, int32_t sid)
{
	for (uint32_t i = sid_slot(ck, sid);; i = (i + 1) & ck->mapmask) {
		if (ck->map[i].sess == NULL)
			return NULL;
		if (ck->map[i].sid == sid)
			return &ck->map[i];
	}
}

static bool
map_grow(struct kern_chk *ck)
{
	struct chk_sess *old = ck->map;
	uint32_t oldn = ck->mapmask + 1, n = oldn * 2;

	ck->map = calloc(n, sizeof(*ck->map));
	if (ck->map == NULL) {
		ck->map = old;
		ck->lost = true;
		return false;
	}
	ck->mapmask = n - 1;
	for (uint32_t i = 0; i < oldn; i++) {
		uint32_t j;

		if (old[i].sess == NULL)
			continue;
		for (j = sid_slot(ck, old[i].sid); ck->map[j].sess != NULL; j = (j + 1) & ck->mapmask)
			continue;
		ck->map[j] = old[i];
	}
	free(old);
	return true;
}

/* The entry of sid, made for s when there is none; NULL when out of memory. */
static struct chk_sess *
map_add(struct kern_chk *ck, struct session *s)
{
	struct chk_sess *e = map_find(ck, s->s_sid);
	uint32_t i;

	if (e != NULL)
		return e;
	if (2 * (ck->mapcount + 1) > ck->mapmask + 1 && !map_grow(ck))
		return NULL;
	for (i = sid_slot(ck, s->s_sid); ck->map[i].sess != NULL; i = (i + 1) & ck->mapmask)
		continue;
	ck->map[i] = (struct chk_sess){ .sess = s, .sid = s->s_sid };
	ck->mapcount++;
	return &ck->map[i];
}

/* Remove e, shifting back the entries of its probe run (no tombstones). */
static void
map_del(struct kern_chk *ck, struct chk_sess *e)
{
	uint32_t i = (uint32_t)(e - ck->map), j = i, home;

	for (;;) {
		j = (j + 1) & ck->mapmask;
		if (ck->map[j].sess == NULL)
			break;
		home = sid_slot(ck, ck->map[j].sid);
		/* Entry j may fill the hole at i unless its home lies in (i, j]. */
		if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
			ck->map[i] = ck->map[j];
			i = j;
		}
	}
	ck->map[i] = (struct chk_sess){ .sess = NULL };
	ck->mapcount--;
}

void
chk_touch_proc(struct kernel *k, struct proc *p)
{
	struct kern_chk *ck = k->chk;

	if ((p->p_kflag & PK_CHKDIRTY) != 0)
		return;
	/* A process locked before it has its pid cannot be found by it. */
	if (p->p_pid == 0 && p != k->proc0) {
		ck->lost = true;
		return;
	}
	if (idvec_push(ck, &ck->pids, p->p_pid))
		p->p_kflag |= PK_CHKDIRTY;
}

void
chk_touch_pgrp(struct kernel *k, struct pgrp *pg)
{
	struct kern_chk *ck = k->chk;

	/* A group not yet linked has no id yet: chk_pgrp_linked records it. */
	if ((pg->pg_chkflag & PGC_DIRTY) != 0 || !LIST_LINKED(pg, pg_hash))
		return;
	if (idvec_push(ck, &ck->pgids, pg->pg_id))
		pg->pg_chkflag |= PGC_DIRTY;
}

void
chk_touch_sess(struct kernel *k, struct session *s)
{
	struct kern_chk *ck = k->chk;
	struct chk_sess *e = map_find(ck, s->s_sid);

	if (e == NULL || e->sess != s) {
		/* Not linked yet (chk_pgrp_linked records it) or not live. */
		return;
	}
	if (e->dirty)
		return;
	if (idvec_push(ck, &ck->sids, s->s_sid))
		e->dirty = 1;
}

void
chk_touch_tty(struct kernel *k, struct tty *tp)
{
	struct kern_chk *ck = k->chk;
	size_t dev = (size_t)tp->t_dev;

	if (dev >= ck->ndevdirty) {
		size_t n = dev + 1 > 2 * ck->ndevdirty ? dev + 1 : 2 * ck->ndevdirty;
		uint8_t *nd = realloc(ck->devdirty, n);

		if (nd == NULL) {
			ck->lost = true;
			return;
		}
		memset(nd + ck->ndevdirty, 0, n - ck->ndevdirty);
		ck->devdirty = nd;
		ck->ndevdirty = n;
	}
	if (ck->devdirty[dev])
		return;
	if (idvec_push(ck, &ck->devs, tp->t_dev))
		ck->devdirty[dev] = 1;
}

/* A lock is taken: every field of its object may change (proc.h's key). */
void
chk_touch_lock(struct kernel *k, struct lock_object *lo)
{
	switch (lo->lo_class) {
	case LC_PROC:
		chk_touch_proc(k, (struct proc *)((char *)lo - offsetof(struct proc, p_mtx)));
		break;
	case LC_PGRP:
		chk_touch_pgrp(k, (struct pgrp *)((char *)lo - offsetof(struct pgrp, pg_mtx)));
		break;
	case LC_SESS:
		chk_touch_sess(k, (struct session *)((char *)lo - offsetof(struct session, s_mtx)));
		break;
	case LC_TTY:
		chk_touch_tty(k, (struct tty *)((char *)lo - offsetof(struct tty, t_mtx)));
		break;
	default:
		break;
	}
}

/* pg is on the pgrp hash now, with its id and session: count it there. */
void
chk_pgrp_linked(struct kernel *k, struct pgrp *pg)
{
	struct kern_chk *ck = k->chk;
	struct session *s = pg->pg_session;
	struct chk_sess *e = map_find(ck, s->s_sid);

	if (e == NULL) {
		e = map_add(ck, s);
		if (e == NULL)
			return;
		ptrvec_forget(&ck->freed_s, s);
		if (idvec_push(ck, &ck->sids, s->s_sid))
			e->dirty = 1;
	}
	e->ngroups++;
	ptrvec_forget(&ck->freed_pg, pg);
	/* Locked before it had its id: record it now. */
	pg->pg_chkflag &= (uint8_t)~PGC_DIRTY;
	chk_touch_pgrp(k, pg);
}

/* pg leaves the pgrp hash and will be freed; its session stays for now. */
void
chk_pgrp_unlinked(struct kernel *k, struct pgrp *pg)
{
	struct kern_chk *ck = k->chk;
	struct session *s = pg->pg_session;
	struct chk_sess *e = map_find(ck, s->s_sid);

	if (e != NULL && e->sess == s)
		e->ngroups--;
	chk_touch_sess(k, s);
	if (s->s_ttyp != NULL)
		chk_touch_tty(k, s->s_ttyp);
	ptrvec_push(ck, &ck->freed_pg, pg);
}

void
chk_sess_freed(struct kernel *k, struct session *s)
{
	struct kern_chk *ck = k->chk;
	struct chk_sess *e = map_find(ck, s->s_sid);

	if (e != NULL && e->sess == s)
		map_del(ck, e);
	/* Its id stays recorded: the pass finds it gone. */
	idvec_push(ck, &ck->sids, s->s_sid);
	ptrvec_push(ck, &ck->freed_s, s);
}

/* Forget every record: the full walk has just looked at everything. */
static void
chk_reset(struct kernel *k)
{
	struct kern_chk *ck = k->chk;

	ck->pids.n = ck->pgids.n = ck->sids.n = ck->devs.n = 0;
	ck->freed_pg.n = ck->freed_s.n = 0;
	if (ck->devdirty != NULL)
		memset(ck->devdirty, 0, ck->ndevdirty);
	ck->lost = false;
}

/* The session table from the pgrp hash (the full walk's count is known good). */
static void
chk_rebuild_map(struct kernel *k)
{
	struct kern_chk *ck = k->chk;
	struct chk_sess *e;
	struct pgrp *g;

	memset(ck->map, 0, ((size_t)ck->mapmask + 1) * sizeof(*ck->map));
	ck->mapcount = 0;
	for (uint32_t b = 0; b <= k->pgrphash; b++) {
		LIST_FOREACH(g, &k->pgrphashtbl[b], pg_hash) {
			if (g->pg_session == NULL)
				continue;
			e = map_add(ck, g->pg_session);
			if (e == NULL)
				return;
			if (e->sess == g->pg_session)
				e->ngroups++;
		}
	}
}

int
kern_chk_init(struct kernel *k)
{
	struct kern_chk *ck;
	struct proc *p;
	struct pgrp *g;

	if (!k->k_cfg.check_every_op || k->k_cfg.check_mode != PS_CHECK_INCREMENTAL)
		return 0;
	ck = calloc(1, sizeof(*ck));
	if (ck == NULL)
		return PS_ENOMEM;
	ck->mapmask = 63;
	ck->map = calloc((size_t)ck->mapmask + 1, sizeof(*ck->map));
	if (ck->map == NULL) {
		free(ck);
		return PS_ENOMEM;
	}
	k->chk = ck;
	/* The baseline: what creating the machine did was never recorded. */
	LIST_FOREACH(p, &k->allproc, p_list)
		p->p_kflag &= (uint8_t)~PK_CHKDIRTY;
	for (uint32_t b = 0; b <= k->pgrphash; b++)
		LIST_FOREACH(g, &k->pgrphashtbl[b], pg_hash)
			g->pg_chkflag = 0;
	chk_rebuild_map(k);
	chk_reset(k);
	return ck->lost ? PS_ENOMEM : 0;
}

void
kern_chk_free(struct kernel *k)
{
	struct kern_chk *ck = k->chk;

	if (ck == NULL)
		return;
	free(ck->pids.v);
	free(ck->pgids.v);
	free(ck->sids.v);
	free(ck->devs.v);
	free(ck->devdirty);
	free(ck->ttys);
	free(ck->freed_pg.v);
	free(ck->freed_s.v);
	free(ck->map);
	free(ck);
	k->chk = NULL;
}

/* --- one process --- */

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
 * The incremental pass reads at most CHK_SCAN records: past that, only
 * that the records it read are pending.
 */
static void
check_sig_sleep(struct checker *c, struct proc *p, bool zombie, int64_t *nsleeping)
{
	const struct ksiginfo *ksi;
	struct thread *td;
	sigset32_t rec = 0;
	uint32_t nrec = 0;
	bool whole = true;

	TAILQ_FOREACH(ksi, &p->p_sigq, ksi_link) {
		if (c->incr && ++nrec > CHK_SCAN) {
			whole = false;
			break;
		}
		CHECK(c, ksi->ksi_sigq == p, "S5", "pid %d: a queued record points at pid %d", p->p_pid,
		      ksi->ksi_sigq != NULL ? ksi->ksi_sigq->p_pid : 0);
		rec |= SIGMASK(ksi->ksi_signo);
	}
	if (whole)
		CHECK(c, p->p_siglist == (rec | p->p_sigkill), "S5",
		      "pid %d: pending %#x is not records %#x plus plain %#x", p->p_pid, p->p_siglist,
		      rec, p->p_sigkill);
	else
		CHECK(c, (p->p_siglist & (rec | p->p_sigkill)) == (rec | p->p_sigkill), "S5",
		      "pid %d: pending %#x lacks records %#x or plain %#x", p->p_pid, p->p_siglist,
		      rec, p->p_sigkill);
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
 * The scheduler's view of one process (docs/scheduler.md): R4 a program
 * has an address space until it exits, and none after; R2 a runnable
 * thread of a program is on exactly one of a CPU and the run queue, an
 * inhibited one on neither.
 */
static void
check_sched_proc(struct checker *c, struct proc *p)
{
	struct thread *td;

	if (p->p_state == PRS_ZOMBIE) {
		CHECK(c, p->p_vmspace == NULL, "R4", "zombie %d still has its memory", p->p_pid);
		return;
	}
	if (!P_RUNNER(p) || p->p_state != PRS_NORMAL)
		return;
	CHECK(c, p->p_vmspace != NULL, "R4", "pid %d runs a program without memory", p->p_pid);
	if ((p->p_flag & P_WEXIT) != 0)
		return;
	for (td = p->p_threads; td != NULL; td = td->td_plist) {
		bool placed = td->td_oncpu >= 0 || TAILQ_LINKED(td, td_runq);

		CHECK(c, placed == (td->td_inhibitors == 0), "R2",
		      "thread %d of pid %d: inhibitors %#x, on a CPU or queued %d", td->td_tid,
		      p->p_pid, td->td_inhibitors, placed);
	}
}

/*
 * R1 a CPU's thread says it runs there; R6 frames in use never exceed the
 * pool.  The full walk adds R2 and R3 over the run queue and R4's count.
 * (R5, the clock, is not checked: CPUs run ahead by design.)
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
	CHECK(c, k->phys == NULL || vm_phys_used(k->phys) <= vm_phys_total(k->phys), "R6",
	      "frames in use exceed the pool");
	if (c->incr) {
		CHECK(c, (s->nrunq == 0) == TAILQ_EMPTY(&s->runq), "R3",
		      "run queue empty %d, counted %u", TAILQ_EMPTY(&s->runq), s->nrunq);
		CHECK(c, k->nrunners >= 0 && k->nrunners <= k->nprocs, "R4",
		      "nrunners %d for %d processes", k->nrunners, k->nprocs);
		return;
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
		nrun += P_RUNNER(p) && p->p_state == PRS_NORMAL;
		check_sched_proc(c, p);
	}
	LIST_FOREACH(p, &k->zombproc, p_list)
		check_sched_proc(c, p);
	CHECK(c, nrun == k->nrunners, "R4", "%d processes run programs, counted %d", nrun,
	      k->nrunners);
}

/*
 * The ptrace invariants of spec-sys_process.md §10 that hold between
 * events: a trace stop names its reporting thread (19), which belongs to
 * the process; the stop bits go together; p_stops holds only ptrace's
 * bits; a suspended thread of a traced process that is not stopped is one
 * the debugger suspended.  The orphan list and p_orphan_of agreeing (A.4,
 * T3) is the full walk's check_orphans, or the incremental pass's
 * check_family_near.
 */
static void
check_ptrace(struct checker *c, struct proc *p)
{
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
	if (p->p_state == PRS_NORMAL && P_SHOULDSTOP(p) == 0 && (p->p_flag & P_WEXIT) == 0)
		for (struct thread *td = p->p_threads; td != NULL; td = td->td_plist)
			CHECK(c, (td->td_inhibitors & TDI_SUSPENDED) == 0 ||
			             (td->td_dbgflags & TDB_SUSPEND) != 0,
			      "T4", "pid %d: thread %d suspended in a running process", p->p_pid,
			      td->td_tid);
}

/*
 * Walk a list of processes through the link at offset off (p_sibling or
 * p_orphan) from its head, checking each link: an element's le_prev
 * points at its predecessor's le_next (or the head).  Together with every
 * element naming the list's owner (the caller's check), this makes the
 * list a plain chain: an element reached a second time would have two
 * predecessors, so the walk ends, and no element is listed twice.  Calls
 * fn on each element; stops after max elements (the walk is then partial)
 * or at a broken link.  Returns the number walked.
 */
struct plink { /* The layout of LIST_ENTRY(proc). */
	struct proc *le_next;
	struct proc **le_prev;
};
#define LINK(q, off) ((struct plink *)((char *)(q) + (off)))

static uint32_t
walk_list(struct checker *c, const char *inv, struct proc *owner, struct proc **head, size_t off,
          uint32_t max, void (*fn)(struct checker *, struct proc *, struct proc *), bool *whole)
{
	struct proc **prevnext = head, *q;
	uint32_t n = 0;

	*whole = true;
	for (q = *head; q != NULL; q = LINK(q, off)->le_next) {
		if (n >= max) {
			*whole = false;
			break;
		}
		if (LINK(q, off)->le_prev != prevnext) {
			fail(c, inv, "pid %d: list broken at pid %d (its back link is wrong)",
			     owner->p_pid, q->p_pid);
			*whole = false;
			break;
		}
		c->rep->checks++;
		n++;
		fn(c, owner, q);
		prevnext = &LINK(q, off)->le_next;
	}
	return n;
}

/* A process's own links on a list at off: it is on one, and its
 * neighbours point back at it. */
static void
check_links(struct checker *c, const char *inv, struct proc *p, size_t off, const char *which)
{
	struct proc *next = LINK(p, off)->le_next, **prev = LINK(p, off)->le_prev;

	CHECK(c, prev != NULL && *prev == p &&
	             (next == NULL || LINK(next, off)->le_prev == &LINK(p, off)->le_next),
	      inv, "pid %d: its links on %s are broken", p->p_pid, which);
}

static void
child_full(struct checker *c, struct proc *p, struct proc *q)
{
	CHECK(c, q->p_pptr == p, "S2", "child %d of %d names parent %d", q->p_pid, p->p_pid,
	      q->p_pptr != NULL ? q->p_pptr->p_pid : -1);
	q->p_kflag |= PK_CHKSEEN;
}

static void
orphan_full(struct checker *c, struct proc *p, struct proc *q)
{
	CHECK(c, q->p_orphan_of == p, "T3", "pid %d on pid %d's orphan list names %d", q->p_pid,
	      p->p_pid, q->p_orphan_of != NULL ? q->p_orphan_of->p_pid : 0);
	q->p_kflag |= PK_CHKSEEN;
}

static void
check_credit(struct checker *c, struct proc *m, struct pgrp *g, bool *anomaly)
{
	int q = jobc_qualifies(m, g);

	if (m->p_jobc_cur == q)
		return;
	*anomaly = true;
	CHECK(c, (m->p_kflag & PK_JOBC_EXPOSED) != 0, "I15",
	      "pgrp %d: member %d credited %d but %s (pg_jobc %d)", g->pg_id, m->p_pid,
	      m->p_jobc_cur, q ? "qualifies" : "does not qualify", g->pg_jobc);
}

static void
child_near(struct checker *c, struct proc *p, struct proc *q)
{
	bool anomaly = false;

	CHECK(c, q->p_pptr == p, "S2", "child %d of %d names parent %d", q->p_pid, p->p_pid,
	      q->p_pptr != NULL ? q->p_pptr->p_pid : -1);
	/* Its qualification hangs on p's group, which p's operation may have changed. */
	if (q->p_pgrp != NULL && q->p_pptr == p)
		check_credit(c, q, q->p_pgrp, &anomaly);
}

static void
orphan_near(struct checker *c, struct proc *p, struct proc *q)
{
	CHECK(c, q->p_orphan_of == p, "T3", "pid %d on pid %d's orphan list names %d", q->p_pid,
	      p->p_pid, q->p_orphan_of != NULL ? q->p_orphan_of->p_pid : 0);
}

/* Is p among the first CHK_SCAN of the list at head?  -1: not known. */
static int
among_first(struct proc *p, struct proc **head, size_t off)
{
	uint32_t n = 0;

	for (struct proc *q = *head; q != NULL; q = LINK(q, off)->le_next) {
		if (q == p)
			return 1;
		if (++n >= CHK_SCAN)
			return -1;
	}
	return 0;
}

/*
 * The incremental pass's view of p's lists: its links on its parent's
 * children (and whether it is among the first CHK_SCAN of them), its own
 * first CHK_SCAN children, and the same for the orphan lists (T3).
 */
static void
check_family_near(struct checker *c, struct proc *p, bool zombie)
{
	bool whole;

	if (p->p_pptr != NULL) {
		check_links(c, "S2", p, offsetof(struct proc, p_sibling), "its parent's children");
		CHECK(c, among_first(p, &LIST_FIRST(&p->p_pptr->p_children),
		                     offsetof(struct proc, p_sibling)) != 0,
		      "S2", "pid %d is not on its parent %d's children", p->p_pid, p->p_pptr->p_pid);
	}
	walk_list(c, "S2", p, &LIST_FIRST(&p->p_children), offsetof(struct proc, p_sibling),
	          CHK_SCAN, child_near, &whole);
	CHECK(c, !zombie || LIST_EMPTY(&p->p_children), "S2", "zombie %d still has children",
	      p->p_pid);
	if (p->p_orphan_of != NULL) {
		check_links(c, "T3", p, offsetof(struct proc, p_orphan), "an orphan list");
		CHECK(c, among_first(p, &LIST_FIRST(&p->p_orphan_of->p_orphans),
		                     offsetof(struct proc, p_orphan)) != 0,
		      "T3", "pid %d: not on the orphan list of pid %d", p->p_pid,
		      p->p_orphan_of->p_pid);
	}
	walk_list(c, "T3", p, &LIST_FIRST(&p->p_orphans), offsetof(struct proc, p_orphan),
	          CHK_SCAN, orphan_near, &whole);
}

/*
 * One process, live or zombie: membership, parent linkage, flags, locks.
 * The full walk goes through all of p's children here (marking them);
 * check_tables then finds any process not reached from its parent.
 */
static void
check_proc(struct checker *c, struct proc *p, bool zombie)
{
	struct kernel *k = c->k;
	struct proc *q, *found = NULL;
	bool whole;

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
	CHECK(c, p->p_pgrp != NULL, "I5", "pid %d has no process group", p->p_pid);
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
		if (p->p_pptr != NULL)
			CHECK(c, p->p_pptr->p_state == PRS_NORMAL, "S2",
			      "pid %d has a parent %d that is not live", p->p_pid, p->p_pptr->p_pid);
	}
	if (c->incr) {
		check_family_near(c, p, zombie);
		return;
	}
	walk_list(c, "S2", p, &LIST_FIRST(&p->p_children), offsetof(struct proc, p_sibling),
	          UINT32_MAX, child_full, &whole);
	CHECK(c, !zombie || LIST_EMPTY(&p->p_children), "S2", "zombie %d still has children",
	      p->p_pid);
}

/*
 * T3 over every process (spec-sys_process.md A.4): each process on an
 * orphan list names the list's owner in p_orphan_of, and each process
 * with p_orphan_of is on that owner's list.  Linear, by marking.
 */
static void
check_orphans(struct checker *c)
{
	struct kernel *k = c->k;
	struct proc *p;
	bool whole;
	int pass;

	for (pass = 0; pass < 2; pass++)
		for (p = pass == 0 ? LIST_FIRST(&k->allproc) : LIST_FIRST(&k->zombproc); p != NULL;
		     p = LIST_NEXT(p, p_list))
			if (!LIST_EMPTY(&p->p_orphans)) {
				walk_list(c, "T3", p, &LIST_FIRST(&p->p_orphans),
				          offsetof(struct proc, p_orphan), UINT32_MAX, orphan_full,
				          &whole);
			}
	for (pass = 0; pass < 2; pass++)
		for (p = pass == 0 ? LIST_FIRST(&k->allproc) : LIST_FIRST(&k->zombproc); p != NULL;
		     p = LIST_NEXT(p, p_list)) {
			if (p->p_orphan_of != NULL)
				CHECK(c, (p->p_kflag & PK_CHKSEEN) != 0, "T3",
				      "pid %d: not on the orphan list of pid %d", p->p_pid,
				      p->p_orphan_of->p_pid);
			p->p_kflag &= (uint8_t)~PK_CHKSEEN;
		}
}

/* --- groups, sessions, terminals --- */

/*
 * One group: membership (I5, I6, I7), its session (I8), pg_jobc against
 * the ledger (I14) and a recomputation (I15).  Returns its member count.
 * The full walk sums the members' credits and checks the running sum
 * pg_jobc_sum against it; the incremental pass trusts the running sum
 * (so I14 is O(1)) and looks at the first CHK_SCAN members.
 */
static int32_t
check_pgrp(struct checker *c, struct pgrp *g, bool *drifted)
{
	struct kernel *k = c->k;
	struct proc *m;
	int32_t n = 0, credit = g->pg_jobc_residual, sum = 0;
	bool anomaly = g->pg_jobc_residual != 0;

	CHECK(c, lock_free(&g->pg_mtx), "I21", "pgrp %d lock held between operations", g->pg_id);
	CHECK(c, g->pg_session != NULL, "I8", "pgrp %d has no session", g->pg_id);
	CHECK(c, g->pg_id >= 0 && g->pg_id < k->k_cfg.pid_max &&
	             (k->pid_used[g->pg_id] & PIDU_PGID) != 0,
	      "I11", "pgid %d not recorded as in use", g->pg_id);
	LIST_FOREACH(m, &g->pg_members, p_pglist) {
		if (++n > (c->incr ? CHK_SCAN : k->nprocs))
			break;
		CHECK(c, m->p_pgrp == g, "I6", "pid %d is on pgrp %d's members but in pgrp %d", m->p_pid,
		      g->pg_id, m->p_pgrp != NULL ? m->p_pgrp->pg_id : -1);
		sum += m->p_jobc_cur;
		check_credit(c, m, g, &anomaly);
	}
	CHECK(c, n > 0, "I7", "pgrp %d has no members", g->pg_id);
	if (c->incr)
		credit += g->pg_jobc_sum;
	else
		credit += sum;
	CHECK(c, g->pg_jobc == credit, "I14", "pgrp %d: pg_jobc %d but its ledger sums to %d",
	      g->pg_id, g->pg_jobc, credit);
	CHECK(c, g->pg_jobc >= 0 || g->pg_drift, "I14", "pgrp %d: pg_jobc %d below zero", g->pg_id,
	      g->pg_jobc);
	CHECK(c, g->pg_jobc_residual == 0 || g->pg_drift, "I14",
	      "pgrp %d: %d credit left by departed members that never drifted", g->pg_id,
	      g->pg_jobc_residual);
	if (!c->incr)
		CHECK(c, g->pg_jobc_sum == sum, "I14",
		      "pgrp %d: the members' credits sum to %d, the running sum says %d", g->pg_id,
		      sum, g->pg_jobc_sum);
	*drifted = anomaly && g->pg_drift;
	return n;
}

/* I9-I12 for one session; ngroups is the number of its groups. */
static void
check_session(struct checker *c, struct session *s, int32_t ngroups)
{
	struct proc *l = s->s_leader;

	CHECK(c, lock_free(&s->s_mtx), "I21", "session %d lock held between operations", s->s_sid);
	CHECK(c, s->s_count == ngroups + s->s_extholds, "I9",
	      "session %d: s_count %d, but %d groups and %d holds", s->s_sid, s->s_count, ngroups,
	      s->s_extholds);
	CHECK(c, s->s_sid >= 0 && s->s_sid < c->k->k_cfg.pid_max &&
	             (c->k->pid_used[s->s_sid] & PIDU_SID) != 0,
	      "I11", "sid %d not recorded as in use", s->s_sid);
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

/*
 * I13 for every terminal, linear in groups and terminals: the terminals'
 * foreground groups and sessions, by address, in a sorted table; one pass
 * over the live groups marks those found (a session is live while one of
 * its groups is).  A pointer is dereferenced only once known live.
 */
struct tref {
	uintptr_t ptr;
	bool live;
};

static int
tref_cmp(const void *a, const void *b)
{
	uintptr_t x = ((const struct tref *)a)->ptr, y = ((const struct tref *)b)->ptr;

	return x < y ? -1 : x > y;
}

static struct tref *
tref_find(struct tref *t, size_t n, const void *ptr)
{
	struct tref key = { .ptr = (uintptr_t)ptr };

	return n == 0 ? NULL : bsearch(&key, t, n, sizeof(*t), tref_cmp);
}

static void
check_ttys(struct checker *c)
{
	struct kernel *k = c->k;
	struct tty *tp;
	struct pgrp *g;
	struct tref *pg, *ss, *e;
	size_t n = 0, npg = 0, nss = 0;

	LIST_FOREACH(tp, &k->ttys, t_list)
		n++;
	if (n == 0)
		return;
	pg = calloc(n, sizeof(*pg));
	ss = calloc(n, sizeof(*ss));
	if (pg == NULL || ss == NULL) {
		free(pg);
		free(ss);
		fail(c, "I13", "out of memory checking the terminals");
		return;
	}
	LIST_FOREACH(tp, &k->ttys, t_list) {
		if (tp->t_pgrp != NULL)
			pg[npg++].ptr = (uintptr_t)tp->t_pgrp;
		if (tp->t_session != NULL)
			ss[nss++].ptr = (uintptr_t)tp->t_session;
	}
	qsort(pg, npg, sizeof(*pg), tref_cmp);
	qsort(ss, nss, sizeof(*ss), tref_cmp);
	for (uint32_t b = 0; b <= k->pgrphash; b++) {
		LIST_FOREACH(g, &k->pgrphashtbl[b], pg_hash) {
			/* bsearch finds one of equal entries: mark them all. */
			if ((e = tref_find(pg, npg, g)) != NULL)
				for (size_t i = 0; i < npg; i++)
					pg[i].live |= pg[i].ptr == (uintptr_t)g;
			if ((e = tref_find(ss, nss, g->pg_session)) != NULL && !e->live)
				for (size_t i = 0; i < nss; i++)
					ss[i].live |= ss[i].ptr == (uintptr_t)g->pg_session;
		}
	}
	LIST_FOREACH(tp, &k->ttys, t_list) {
		bool pglive = tp->t_pgrp != NULL && tref_find(pg, npg, tp->t_pgrp)->live;

		CHECK(c, lock_free(&tp->t_mtx), "I21", "tty %s lock held between operations", tp->t_name);
		CHECK(c, tp->t_pgrp == NULL || pglive, "I13", "tty %s: foreground group is freed",
		      tp->t_name);
		CHECK(c, tp->t_session == NULL || tref_find(ss, nss, tp->t_session)->live, "I13",
		      "tty %s: session is freed", tp->t_name);
		if (tp->t_session != NULL && pglive)
			CHECK(c, tp->t_pgrp->pg_session == tp->t_session, "I13",
			      "tty %s: foreground group %d is not in its session %d", tp->t_name,
			      tp->t_pgrp->pg_id, tp->t_session->s_sid);
	}
	free(pg);
	free(ss);
}

/* --- the full walk --- */

static void
check_tables(struct checker *c, int32_t *nlive, int32_t *nzomb)
{
	struct kernel *k = c->k;
	struct proc *p;
	int32_t inuse = 0, hashed = 0, zhashed = 0, traced = 0;
	int64_t nsleeping = 0;
	bool orphans = false;

	*nlive = *nzomb = 0;
	LIST_FOREACH(p, &k->allproc, p_list) {
		if (++*nlive > k->nprocs)
			break;
		check_proc(c, p, false);
		check_sig_sleep(c, p, false, &nsleeping);
		traced += (p->p_flag & P_TRACED) != 0;
		check_ptrace(c, p);
		orphans |= p->p_orphan_of != NULL || !LIST_EMPTY(&p->p_orphans);
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
		orphans |= p->p_orphan_of != NULL || !LIST_EMPTY(&p->p_orphans);
	}
	/* S2: every process with a parent was reached from its parent's list. */
	for (int pass = 0; pass < 2; pass++) {
		for (p = pass == 0 ? LIST_FIRST(&k->allproc) : LIST_FIRST(&k->zombproc); p != NULL;
		     p = LIST_NEXT(p, p_list)) {
			if (p != k->proc0 && p->p_pptr != NULL)
				CHECK(c, (p->p_kflag & PK_CHKSEEN) != 0, "S2",
				      "pid %d is not on its parent %d's children", p->p_pid,
				      p->p_pptr->p_pid);
			p->p_kflag &= (uint8_t)~(PK_CHKSEEN | PK_CHKDIRTY);
		}
	}
	if (orphans)
		check_orphans(c);
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
	struct kern_chk *ck = k->chk;
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
			g->pg_chkflag = 0;
			if (g->pg_session != NULL)
				g->pg_session->s_chk++;
		}
	}
	for (uint32_t b = 0; b <= k->pgrphash; b++) {
		LIST_FOREACH(g, &k->pgrphashtbl[b], pg_hash) {
			struct session *s = g->pg_session;

			if (s->s_chk == 0)
				continue; /* Already checked through another group. */
			check_session(c, s, (int32_t)s->s_chk);
			if (ck != NULL) {
				struct chk_sess *e = map_find(ck, s->s_sid);

				CHECK(c, e != NULL && e->sess == s && e->ngroups == (int32_t)s->s_chk,
				      "I9", "session %d: %u groups, the checker counted %d", s->s_sid,
				      s->s_chk, e != NULL ? e->ngroups : -1);
			}
			nsess++;
			s->s_chk = 0;
		}
	}
	ids = k->pid_used_count[1];
	sids = k->pid_used_count[2];
	CHECK(c, npg == k->npgrps && ids == npg, "I3", "%d groups hashed, npgrps %d, %d pgids in use",
	      npg, k->npgrps, ids);
	CHECK(c, nsess == k->nsessions && sids == nsess, "I9",
	      "%d sessions reached, nsessions %d, %d sids in use", nsess, k->nsessions, sids);
	if (ck != NULL)
		CHECK(c, ck->mapcount == (uint32_t)nsess, "I9",
		      "%d sessions reached, the checker knows %u", nsess, ck->mapcount);
	CHECK(c, nmembers == nprocs, "I5", "%d group members for %d processes", nmembers, nprocs);
}

static void
check_globals(struct checker *c)
{
	struct kernel *k = c->k;

	CHECK(c, k->nheld == 0, "I21", "%u locks held between operations", k->nheld);
	CHECK(c, lock_free(&k->allproc_lock) && lock_free(&k->proctree_lock), "I21",
	      "a global lock is held between operations");
	CHECK(c, TAILQ_EMPTY(&k->astq), "S5", "threads left on the AST list");
}

static void
check_full(struct checker *c)
{
	struct kernel *k = c->k;
	int32_t nlive, nzomb;

	check_globals(c);
	check_tables(c, &nlive, &nzomb);
	check_groups(c, nlive + nzomb);
	check_ttys(c);
	check_sched(c);
	k->stats.checks_full++;
	if (k->chk != NULL) {
		chk_rebuild_map(k);
		chk_reset(k);
	}
}

/* --- the incremental pass --- */

/* The process with pid, live or zombie (*zombie says which hash). */
static struct proc *
chk_lookup(struct kernel *k, pid_t_ pid, bool *zombie)
{
	struct proc *p;

	if (pid < 0 || pid >= k->k_cfg.pid_max)
		return NULL;
	LIST_FOREACH(p, PIDHASH(k, pid), p_hash)
		if (p->p_pid == pid) {
			*zombie = false;
			return p;
		}
	LIST_FOREACH(p, ZOMBHASH(k, pid), p_hash)
		if (p->p_pid == pid) {
			*zombie = true;
			return p;
		}
	return NULL;
}

/* One touched process: what check_tables does for it, near its own links. */
static void
check_proc_near(struct checker *c, struct proc *p, bool zombie)
{
	struct kernel *k = c->k;
	int64_t nsleeping = 0;
	bool anomaly = false;

	check_proc(c, p, zombie);
	check_links(c, "I1", p, offsetof(struct proc, p_list), zombie ? "zombproc" : "allproc");
	check_sig_sleep(c, p, zombie, &nsleeping);
	if (!zombie)
		check_ptrace(c, p);
	if ((p->p_flag & P_TRACED) != 0 && p->p_oppid != 0 && !zombie &&
	    k->k_cfg.exit_compat == PS_EXIT_MODERN) {
		struct proc *rp = pfind_any_nolock(k, p->p_oppid);
		CHECK(c, rp != NULL && rp->p_state == PRS_NORMAL, "S6",
		      "traced pid %d: real parent %d is not live", p->p_pid, p->p_oppid);
	}
	CHECK(c, !zombie || p->p_pptr != k->initproc, "S7", "init left zombie %d unreaped",
	      p->p_pid);
	if (p->p_pgrp != NULL) {
		check_links(c, "I5", p, offsetof(struct proc, p_pglist), "its group's members");
		CHECK(c, among_first(p, &LIST_FIRST(&p->p_pgrp->pg_members),
		                     offsetof(struct proc, p_pglist)) != 0,
		      "I6", "pid %d is in pgrp %d but not on its members", p->p_pid,
		      p->p_pgrp->pg_id);
		check_credit(c, p, p->p_pgrp, &anomaly);
	}
	check_sched_proc(c, p);
}

/* I13 for one terminal, knowing the groups and sessions freed meanwhile. */
static void
check_tty_near(struct checker *c, struct tty *tp)
{
	struct kernel *k = c->k;
	struct kern_chk *ck = k->chk;
	struct chk_sess *e;
	bool pglive = false, slive = false;

	CHECK(c, lock_free(&tp->t_mtx), "I21", "tty %s lock held between operations", tp->t_name);
	if (tp->t_pgrp != NULL)
		pglive = !ptrvec_has(&ck->freed_pg, tp->t_pgrp) &&
		         pgfind_nolock(k, tp->t_pgrp->pg_id) == tp->t_pgrp;
	if (tp->t_session != NULL)
		slive = !ptrvec_has(&ck->freed_s, tp->t_session) &&
		        (e = map_find(ck, tp->t_session->s_sid)) != NULL && e->sess == tp->t_session;
	CHECK(c, tp->t_pgrp == NULL || pglive, "I13", "tty %s: foreground group is freed",
	      tp->t_name);
	CHECK(c, tp->t_session == NULL || slive, "I13", "tty %s: session is freed", tp->t_name);
	if (pglive && slive)
		CHECK(c, tp->t_pgrp->pg_session == tp->t_session, "I13",
		      "tty %s: foreground group %d is not in its session %d", tp->t_name,
		      tp->t_pgrp->pg_id, tp->t_session->s_sid);
}

static struct tty *
chk_tty(struct kernel *k, int32_t dev)
{
	struct kern_chk *ck = k->chk;
	struct tty *tp, **nt;

	if (ck->nttys != k->nttys) {
		nt = realloc(ck->ttys, ((size_t)k->nttys + 1) * sizeof(*nt));
		if (nt == NULL)
			return tty_find_dev(k, dev);
		ck->ttys = nt;
		memset(nt, 0, ((size_t)k->nttys + 1) * sizeof(*nt));
		LIST_FOREACH(tp, &k->ttys, t_list)
			if (tp->t_dev >= 0 && tp->t_dev < k->nttys)
				nt[tp->t_dev] = tp;
		ck->nttys = k->nttys;
	}
	return dev >= 0 && dev < ck->nttys ? ck->ttys[dev] : NULL;
}

/*
 * The counters: those a full walk counts cannot be compared here, but the
 * ones that must agree with each other, or have a bound, can.
 */
static void
check_counters(struct checker *c)
{
	struct kernel *k = c->k;

	CHECK(c, k->nzombies >= 0 && k->nzombies <= k->nprocs, "S4",
	      "nzombies %d, nprocs %d", k->nzombies, k->nprocs);
	CHECK(c, k->pid_used_count[0] == k->nprocs, "S4",
	      "nprocs %d, but %d pids in use", k->nprocs, k->pid_used_count[0]);
	CHECK(c, k->npgrps >= 1 && k->pid_used_count[1] == k->npgrps, "I3",
	      "npgrps %d, %d pgids in use", k->npgrps, k->pid_used_count[1]);
	CHECK(c, k->nsessions >= 1 && k->pid_used_count[2] == k->nsessions &&
	             k->chk->mapcount == (uint32_t)k->nsessions,
	      "I9", "nsessions %d, %d sids in use, the checker knows %u", k->nsessions,
	      k->pid_used_count[2], k->chk->mapcount);
	CHECK(c, k->ntraced >= 0 && k->ntraced <= k->nprocs, "S6", "ntraced %d", k->ntraced);
	CHECK(c, k->init_zombies == 0, "S7", "init left zombies unreaped (counter %d)",
	      k->init_zombies);
}

static void
check_incremental(struct checker *c)
{
	struct kernel *k = c->k;
	struct kern_chk *ck = k->chk;
	struct sched *s = &k->sched;
	struct proc *p;
	struct pgrp *g;
	struct chk_sess *e;
	struct tty *tp;
	size_t n0;
	bool zombie, drifted;

	check_globals(c);
	/* What ran on a CPU may have changed without a lock (its frame, its state). */
	for (int i = 0; i < s->ncpus; i++)
		if (s->cpus[i].c_td != NULL)
			chk_touch_proc(k, s->cpus[i].c_td->td_proc);
	/* Expand: a process's parent, its group, and the groups' sessions. */
	n0 = ck->pids.n;
	for (size_t i = 0; i < n0; i++) {
		p = chk_lookup(k, ck->pids.v[i], &zombie);
		if (p == NULL || (p->p_kflag & PK_CHKDIRTY) == 0)
			continue;
		if (p->p_pptr != NULL)
			chk_touch_proc(k, p->p_pptr);
		if (p->p_orphan_of != NULL)
			chk_touch_proc(k, p->p_orphan_of);
		if (p->p_pgrp != NULL)
			chk_touch_pgrp(k, p->p_pgrp);
	}
	for (size_t i = 0; i < ck->pgids.n; i++) {
		g = pgfind_nolock(k, ck->pgids.v[i]);
		if (g != NULL && (g->pg_chkflag & PGC_DIRTY) != 0 && g->pg_session != NULL)
			chk_touch_sess(k, g->pg_session);
	}
	for (size_t i = 0; i < ck->pids.n; i++) {
		pid_t_ pid = ck->pids.v[i];

		p = chk_lookup(k, pid, &zombie);
		if (p == NULL) {
			CHECK(c, pid < 0 || pid >= k->k_cfg.pid_max ||
			             (k->pid_used[pid] & PIDU_PID) == 0,
			      "I4", "pid %d: in use, but on neither the pid nor the zombie hash",
			      pid);
			continue;
		}
		if ((p->p_kflag & PK_CHKDIRTY) == 0)
			continue; /* Listed twice, or a new process under an old pid. */
		p->p_kflag &= (uint8_t)~PK_CHKDIRTY;
		check_proc_near(c, p, zombie);
	}
	check_counters(c);
	for (size_t i = 0; i < ck->pgids.n; i++) {
		pid_t_ pgid = ck->pgids.v[i];

		g = pgfind_nolock(k, pgid);
		if (g == NULL) {
			CHECK(c, pgid < 0 || pgid >= k->k_cfg.pid_max ||
			             (k->pid_used[pgid] & PIDU_PGID) == 0,
			      "I3", "pgid %d recorded in use, but no group has it", pgid);
			continue;
		}
		if ((g->pg_chkflag & PGC_DIRTY) == 0)
			continue;
		g->pg_chkflag &= (uint8_t)~PGC_DIRTY;
		check_pgrp(c, g, &drifted);
		c->rep->drift += drifted;
	}
	for (size_t i = 0; i < ck->sids.n; i++) {
		pid_t_ sid = ck->sids.v[i];

		e = map_find(ck, sid);
		if (e == NULL) {
			CHECK(c, sid < 0 || sid >= k->k_cfg.pid_max ||
			             (k->pid_used[sid] & PIDU_SID) == 0,
			      "I9", "sid %d recorded in use, but no session has it", sid);
			continue;
		}
		if (!e->dirty)
			continue;
		e->dirty = 0;
		check_session(c, e->sess, e->ngroups);
		if (e->sess->s_ttyp != NULL)
			chk_touch_tty(k, e->sess->s_ttyp);
	}
	for (size_t i = 0; i < ck->devs.n; i++) {
		tp = chk_tty(k, ck->devs.v[i]);
		ck->devdirty[ck->devs.v[i]] = 0;
		if (tp != NULL)
			check_tty_near(c, tp);
	}
	/* No terminal may keep what the operation freed. */
	if (ck->freed_pg.n != 0 || ck->freed_s.n != 0)
		LIST_FOREACH(tp, &k->ttys, t_list) {
			CHECK(c, !ptrvec_has(&ck->freed_pg, tp->t_pgrp), "I13",
			      "tty %s: foreground group is freed", tp->t_name);
			CHECK(c, !ptrvec_has(&ck->freed_s, tp->t_session), "I13",
			      "tty %s: session is freed", tp->t_name);
		}
	check_sched(c);
	ck->pids.n = ck->pgids.n = ck->sids.n = ck->devs.n = 0;
	ck->freed_pg.n = ck->freed_s.n = 0;
	k->stats.checks_incremental++;
}

/* --- entry points --- */

static int
check_done(struct kernel *k, struct ps_check_report *rep)
{
	k->stats.checks_run++;
	if (rep->failures != 0) {
		k->stats.check_failures++;
		return PS_EINVARIANT;
	}
	return 0;
}

/* The full walk, whatever the mode (ps_sim_check). */
int
kern_check(struct kernel *k, struct ps_check_report *rep)
{
	struct checker c = {.k = k, .rep = rep};

	memset(rep, 0, sizeof(*rep));
	check_full(&c);
	return check_done(k, rep);
}

/*
 * The automatic check at the end of an operation or a scheduler step
 * (check_every_op): a full walk, an incremental pass, or, when sampling,
 * nothing.  Returns 0 or PS_EINVARIANT (rep says why).
 */
int
kern_check_auto(struct kernel *k, struct ps_check_report *rep)
{
	struct checker c = {.k = k, .rep = rep};
	uint32_t every = k->k_cfg.check_full_every;
	uint64_t n = ++k->stats.check_points;
	bool full;

	if (k->chk != NULL)
		full = (every != 0 && n % every == 0) || k->chk->lost;
	else if (every > 1 && n % every != 0)
		return 0;
	else
		full = true;
	memset(rep, 0, sizeof(*rep));
	if (full) {
		check_full(&c);
	} else {
		c.incr = true;
		check_incremental(&c);
	}
	return check_done(k, rep);
}
