/*
 * Process creation: pid allocation, fork, kernel processes and the two
 * processes every simulator starts with (swapper and init).
 *
 * Pids are allocated as FreeBSD's fork does: the next number after the last
 * pid handed out (plus a random step when kern.randompid is set) that is
 * not in use as a pid, a process group id or a session id, wrapping at
 * pid_max back to PS_PID_WRAP_FLOOR.  pid_used keeps, per number, what it
 * is in use as, so that the search does not walk the process lists.
 */
#include <stdlib.h>
#include <string.h>

#include "base/assert.h"
#include "kern/kern.h"

void
pid_use(struct kernel *k, pid_t_ id, uint8_t what)
{
	PS_ASSERT(id >= 0 && id <= k->k_cfg.pid_max);
	PS_ASSERT_MSG((k->pid_used[id] & what) == 0, "pid %d already in use as %#x", id, what);
	k->pid_used[id] |= what;
	for (int i = 0; i < 3; i++)
		k->pid_used_count[i] += (what >> i) & 1;
}

void
pid_unuse(struct kernel *k, pid_t_ id, uint8_t what)
{
	PS_ASSERT(id >= 0 && id <= k->k_cfg.pid_max);
	PS_ASSERT_MSG((k->pid_used[id] & what) != 0, "pid %d not in use as %#x", id, what);
	k->pid_used[id] &= (uint8_t)~what;
	for (int i = 0; i < 3; i++)
		k->pid_used_count[i] -= (what >> i) & 1;
}

/*
 * Find a free pid (FreeBSD fork_findpid).  Every number below pid_max is
 * tried at most once, so exhaustion ends in PS_EAGAIN rather than a loop.
 */
int
fork_findpid(struct kernel *k, pid_t_ *pidp)
{
	const int32_t pid_max = k->k_cfg.pid_max;
	int64_t trypid;

	sx_assert(&k->allproc_lock, SA_XLOCKED);
	trypid = (int64_t)k->lastpid + 1;
	/* As at boot, init is pid 1 whatever kern.randompid says. */
	if (k->k_cfg.randompid > 0 && k->initproc != NULL)
		trypid += (int64_t)ps_rng_below(&k->rng, (uint64_t)k->k_cfg.randompid);
	for (int64_t tries = 0; tries <= pid_max; tries++, trypid++) {
		if (trypid >= pid_max) {
			trypid = trypid % pid_max;
			if (trypid < PS_PID_WRAP_FLOOR)
				trypid += PS_PID_WRAP_FLOOR;
		}
		if (k->pid_used[trypid] == 0) {
			k->lastpid = (pid_t_)trypid;
			*pidp = (pid_t_)trypid;
			return 0;
		}
	}
	return PS_EAGAIN;
}

struct proc *
proc_alloc(struct kernel *k)
{
	struct proc *p = calloc(1, sizeof(*p));

	(void)k;
	if (p == NULL)
		return NULL;
	lock_init(&p->p_mtx, LC_PROC);
	LIST_INIT(&p->p_children);
	LIST_INIT(&p->p_orphans);
	TAILQ_INIT(&p->p_sigq);
	p->p_state = PRS_NEW;
	p->p_sigparent = PS_SIGCHLD;
	return p;
}

void
proc_free(struct kernel *k, struct proc *p)
{
	PS_ASSERT(p->p_pgrp == NULL);
	PS_ASSERT(!LIST_LINKED(p, p_list));
	PS_ASSERT(!LIST_LINKED(p, p_hash));
	PS_ASSERT(LIST_EMPTY(&p->p_children));
	PS_ASSERT(!KSI_ONQ(&p->p_ksi));
	PS_ASSERT(TAILQ_EMPTY(&p->p_sigq));
	thread_free_all(k, p);
	sigacts_free(p->p_sigacts);
	lock_destroy(k, &p->p_mtx);
	free(p);
}

struct thread *
thread_alloc(struct kernel *k, struct proc *p)
{
	struct thread *td = calloc(1, sizeof(*td));

	(void)k;
	if (td == NULL)
		return NULL;
	td->td_proc = p;
	td->td_state = TDS_INACTIVE;
	td->td_oncpu = -1;
	return td;
}

/* Link td at the tail of p's thread list and give it a tid. */
static int
thread_link(struct kernel *k, struct proc *p, struct thread *td)
{
	struct thread **tail;

	sx_assert(&k->allproc_lock, SA_XLOCKED);
	if (k->lasttid == INT32_MAX)
		return PS_EAGAIN;
	td->td_tid = ++k->lasttid;
	LIST_INSERT_HEAD(TIDHASH(k, td->td_tid), td, td_hash);
	for (tail = &p->p_threads; *tail != NULL; tail = &(*tail)->td_plist)
		continue;
	*tail = td;
	p->p_numthreads++;
	if (p->p_numthreads > 1)
		p->p_flag |= P_HADTHREADS;
	return 0;
}

void
thread_free_all(struct kernel *k, struct proc *p)
{
	struct thread *td, *next;

	(void)k;
	for (td = p->p_threads; td != NULL; td = next) {
		next = td->td_plist;
		if (LIST_LINKED(td, td_hash))
			LIST_REMOVE(td, td_hash);
		free(td->td_sa.sf_data);
		free(td->td_md);
		free(td);
	}
	p->p_threads = NULL;
	p->p_numthreads = 0;
}

/* thr_new at the object level: one more thread in p. */
int
thread_create(struct kernel *k, struct proc *p, struct thread **tdp)
{
	struct thread *td;
	int error;

	PS_ASSERT(p->p_state == PRS_NORMAL);
	td = thread_alloc(k, p);
	if (td == NULL)
		return PS_ENOMEM;
	sx_xlock(k, &k->allproc_lock);
	PROC_LOCK(p);
	error = thread_link(k, p, td);
	if (error == 0) {
		td->td_sigmask = p->p_threads->td_sigmask;
		td->td_state = P_SHOULDSTOP(p) != 0 ? TDS_INHIBITED : TDS_CAN_RUN;
	}
	PROC_UNLOCK(p);
	sx_xunlock(k, &k->allproc_lock);
	if (error != 0) {
		free(td);
		return error;
	}
	kevent_emit(k, PS_EV_THREAD_NEW, p, 0, 0, td->td_tid, NULL);
	*tdp = td;
	return 0;
}

/* Put a new process on allproc and the pid hash, as PRS_NEW. */
static int
proc_link_new(struct kernel *k, struct proc *p2, struct thread *td2)
{
	pid_t_ pid;
	int error;

	sx_xlock(k, &k->allproc_lock);
	error = fork_findpid(k, &pid);
	if (error == 0)
		error = thread_link(k, p2, td2);
	if (error != 0) {
		sx_xunlock(k, &k->allproc_lock);
		return error;
	}
	p2->p_pid = pid;
	pid_use(k, pid, PIDU_PID);
	LIST_INSERT_HEAD(&k->allproc, p2, p_list);
	LIST_INSERT_HEAD(PIDHASH(k, pid), p2, p_hash);
	k->nprocs++;
	sx_xunlock(k, &k->allproc_lock);
	proc_tables_grow(k);
	return 0;
}

/*
 * fork at the object level.  The child joins its parent's group right
 * after the parent on the member list and goes to the head of the
 * parent's children; it inherits credentials, P_SUGID, signal actions and
 * mask, the name, and P_CONTROLT when the session still has its terminal.
 */
int
fork1(struct kernel *k, struct proc *p1, struct proc **procp)
{
	struct proc *p2;
	struct thread *td2;
	int32_t jobc_before;
	int error;

	PS_ASSERT(p1->p_state == PRS_NORMAL);
	PS_ASSERT((p1->p_flag & P_WEXIT) == 0);
	if ((k->nprocs >= k->k_cfg.maxproc - 10 && priv_check_cred(&p1->p_ucred) != 0) ||
	    k->nprocs >= k->k_cfg.maxproc)
		return PS_EAGAIN;

	p2 = proc_alloc(k);
	td2 = p2 != NULL ? thread_alloc(k, p2) : NULL;
	if (td2 == NULL) {
		free(p2);
		return PS_ENOMEM;
	}
	error = proc_link_new(k, p2, td2);
	if (error != 0) {
		free(td2);
		free(p2);
		return error;
	}

	PROC_LOCK(p1);
	p2->p_ucred = p1->p_ucred;
	p2->p_sigacts = sigacts_hold(p1->p_sigacts);
	td2->td_sigmask = p1->p_threads->td_sigmask;
	memcpy(p2->p_comm, p1->p_comm, sizeof(p2->p_comm));
	p2->p_flag = P_INMEM | (p1->p_flag & P_SUGID);
	/* procctl's protection passes to children with P2_INHERIT_PROTECTED. */
	if ((p1->p_flag2 & P2_INHERIT_PROTECTED) != 0) {
		p2->p_flag |= P_PROTECTED;
		p2->p_flag2 |= P2_INHERIT_PROTECTED;
	}
	PROC_UNLOCK(p1);

	sx_xlock(k, &k->proctree_lock);
	PGRP_LOCK(p1->p_pgrp);
	PROC_LOCK(p2);
	PROC_LOCK(p1);
	SESS_LOCK(p1->p_session);
	if (p1->p_session->s_ttyvp != NULL && (p1->p_flag & P_CONTROLT) != 0)
		p2->p_flag |= P_CONTROLT;
	SESS_UNLOCK(p1->p_session);
	p2->p_pgrp = p1->p_pgrp;
	LIST_INSERT_AFTER(p1, p2, p_pglist);
	p2->p_pptr = p1;
	LIST_INSERT_HEAD(&p1->p_children, p2, p_sibling);
	p2->p_state = PRS_NORMAL;
	td2->td_state = TDS_CAN_RUN;
	PROC_UNLOCK(p1);
	PROC_UNLOCK(p2);
	PGRP_UNLOCK(p1->p_pgrp);

	/*
	 * The child enters its parent's group: its parent is in that very
	 * group and it has no children, so fixjobc changes nothing (FreeBSD
	 * does not even call it here).  It runs to show exactly that.
	 */
	jobc_before = p2->p_pgrp->pg_jobc;
	fixjobc(k, p2, p2->p_pgrp, 1);
	PS_ASSERT(p2->p_pgrp->pg_jobc == jobc_before);
	sx_xunlock(k, &k->proctree_lock);

	kevent_emit(k, PS_EV_FORK, p1, p2->p_pid, 0, 0, NULL);
	*procp = p2;
	return 0;
}

/*
 * The first process: swapper, pid 0, a system process in session 0 and
 * group 0.  Created directly, as the kernel's proc0_init does.
 */
int
proc0_init(struct kernel *k)
{
	struct proc *p = proc_alloc(k);
	struct thread *td = p != NULL ? thread_alloc(k, p) : NULL;
	struct pgrp *pg = pgrp_alloc(k);
	struct session *s = session_alloc(k);
	struct sigacts *ps = sigacts_alloc();

	if (td == NULL || pg == NULL || s == NULL || ps == NULL) {
		free(ps);
		free(td);
		free(p);
		free(pg);
		free(s);
		return PS_ENOMEM;
	}
	sx_xlock(k, &k->allproc_lock);
	p->p_pid = 0;
	k->lastpid = 0;
	PS_ASSERT(thread_link(k, p, td) == 0);
	pid_use(k, 0, PIDU_PID | PIDU_PGID | PIDU_SID);
	LIST_INSERT_HEAD(&k->allproc, p, p_list);
	LIST_INSERT_HEAD(PIDHASH(k, 0), p, p_hash);
	k->nprocs++;
	sx_xunlock(k, &k->allproc_lock);

	sx_xlock(k, &k->proctree_lock);
	s->s_count = 1;
	s->s_leader = p;
	s->s_sid = 0;
	pg->pg_id = 0;
	pg->pg_session = s;
	LIST_INIT(&pg->pg_members);
	LIST_INSERT_HEAD(PGRPHASH(k, 0), pg, pg_hash);
	LIST_INSERT_HEAD(&pg->pg_members, p, p_pglist);
	p->p_pgrp = pg;
	p->p_flag = P_SYSTEM | P_INMEM;
	p->p_state = PRS_NORMAL;
	td->td_state = TDS_CAN_RUN;
	strcpy(p->p_comm, "swapper");
	strcpy(s->s_login, "root");
	p->p_sigacts = ps;
	k->npgrps++;
	k->nsessions++;
	sx_xunlock(k, &k->proctree_lock);
	k->proc0 = p;
	return 0;
}

/* A kernel process: a child of swapper, P_SYSTEM | P_KPROC. */
int
kproc_create(struct kernel *k, const char *name, struct proc **procp)
{
	struct proc *p;
	int error;

	k->curproc = k->proc0;
	error = fork1(k, k->proc0, &p);
	if (error != 0)
		return error;
	PROC_LOCK(p);
	p->p_flag |= P_SYSTEM | P_KPROC;
	strncpy(p->p_comm, name, MAXCOMLEN);
	p->p_comm[MAXCOMLEN] = '\0';
	PROC_UNLOCK(p);
	*procp = p;
	return 0;
}
