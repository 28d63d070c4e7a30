/*
 * Exit, reparenting, wait and reaping (spec-kern_exit.md), as far as the
 * object-level kernel needs them: exit1 in the seed's order with killjobc
 * where the newer kernel calls it, children handed to init, the zombie
 * moved to zombproc, the parent notified; kern_wait with the seed's pid
 * forms and options; proc_reap, which takes the zombie out of its group.
 * init (pid 1) reaps the zombies it inherits at the end of every operation.
 */
#include <limits.h>
#include <stdlib.h>

#include "base/assert.h"
#include "kern/kern.h"

/*
 * Give child to parent (spec-kern_exit.md §4): the child goes to the head
 * of the new parent's children.  No job-control accounting, no signal.
 */
void
proc_reparent(struct kernel *k, struct proc *child, struct proc *parent)
{
	sx_assert(&k->proctree_lock, SA_XLOCKED);
	PROC_LOCK_ASSERT(child, MA_OWNED);
	if (child->p_pptr == parent)
		return;
	PROC_LOCK(child->p_pptr);
	/* No siginfo queue is modelled, so there is no ksi to take back. */
	PROC_UNLOCK(child->p_pptr);
	LIST_REMOVE(child, p_sibling);
	LIST_INSERT_HEAD(&parent->p_children, child, p_sibling);
	if (child->p_state == PRS_ZOMBIE) {
		k->init_zombies -= child->p_pptr == k->initproc;
		k->init_zombies += parent == k->initproc;
	}
	child->p_pptr = parent;
	/*
	 * No accounting is done here, yet fixjobc counts the child through
	 * its new parent from now on.  When the child's credit in its group
	 * no longer matches its qualification through the new parent, the
	 * count has begun to drift as the kernel's does (spec §4.8): mark the
	 * group, so that the checker reports drift and not a bug.
	 */
	if (child->p_state != PRS_ZOMBIE && (child->p_kflag & PK_KILLJOBC) == 0 &&
	    child->p_jobc_cur != jobc_qualifies(child, child->p_pgrp)) {
		child->p_kflag |= PK_JOBC_EXPOSED;
		child->p_pgrp->pg_drift = 1;
	}
	kevent_emit(k, PS_EV_REPARENT, child, parent->p_pid, 0, 0, NULL);
}

/* Tell the parent about a child's exit (E30). */
static void
exit_notify_parent(struct kernel *k, struct proc *p)
{
	struct proc *pp = p->p_pptr;
	pid_t_ saved = k->sig_sender;

	PROC_LOCK_ASSERT(pp, MA_OWNED);
	k->sig_sender = p->p_pid;
	if (pp == k->initproc)
		kern_psignal(k, pp, PS_SIGCHLD);
	else if (p->p_sigparent != 0)
		kern_psignal(k, pp, p->p_sigparent);
	k->sig_sender = saved;
}

/*
 * Traced processes whose real parent is p (they sit on their debuggers'
 * child lists) get init as their real parent, so that a detach or their
 * reaping never hands them to a process that reuses p's pid later.
 */
static void
exit_orphans(struct kernel *k, struct proc *p)
{
	struct proc *q;
	int32_t seen = 0;

	sx_assert(&k->proctree_lock, SA_XLOCKED);
	if (k->ntraced == 0)
		return;
	LIST_FOREACH(q, &k->allproc, p_list) {
		if ((q->p_flag & P_TRACED) == 0)
			continue;
		seen++;
		if (q->p_oppid == p->p_pid) {
			PROC_LOCK(q);
			q->p_oppid = k->initproc->p_pid;
			PROC_UNLOCK(q);
		}
		if (seen == k->ntraced)
			break;
	}
}

/*
 * The current process p exits with wait status xstat.  The steps keep the
 * seed's order (spec-kern_exit.md §2.2): P_WEXIT; killjobc; off allproc
 * onto zombproc; children to init; status; the auto-reap rule; the parent
 * signalled; pending signals flushed; PRS_ZOMBIE.
 */
void
exit1(struct kernel *k, struct proc *p, int xstat)
{
	struct proc *q, *nq, *pp;
	struct thread *td;

	PS_ASSERT(p == k->curproc);
	PS_ASSERT_MSG(p != k->initproc, "init died (status %#x)", xstat);
	PS_ASSERT(p->p_state == PRS_NORMAL);
	PS_ASSERT((p->p_flag & P_WEXIT) == 0);

	PROC_LOCK(p);
	/* Single-threading for exit: the other threads are gone at once. */
	while (p->p_threads->td_plist != NULL) {
		td = p->p_threads->td_plist;
		p->p_threads->td_plist = td->td_plist;
		LIST_REMOVE(td, td_hash);
		free(td);
		p->p_numthreads--;
	}
	p->p_flag |= P_WEXIT;
	PS_ASSERT_MSG(p->p_lock == 0, "exit1: pid %d still held", p->p_pid);
	if ((p->p_flag & P_TRACED) != 0)
		k->ntraced--;
	p->p_flag &= ~(P_TRACED | P_STOPPED);
	PROC_UNLOCK(p);

	killjobc(k);

	sx_xlock(k, &k->allproc_lock);
	LIST_REMOVE(p, p_list);
	LIST_INSERT_HEAD(&k->zombproc, p, p_list);
	LIST_REMOVE(p, p_hash);
	LIST_INSERT_HEAD(ZOMBHASH(k, p->p_pid), p, p_hash);
	LIST_REMOVE(p->p_threads, td_hash);
	k->nzombies++;
	sx_xunlock(k, &k->allproc_lock);

	sx_xlock(k, &k->proctree_lock);
	LIST_FOREACH_SAFE(q, &p->p_children, p_sibling, nq) {
		PROC_LOCK(q);
		proc_reparent(k, q, k->initproc);
		q->p_sigparent = PS_SIGCHLD;
		if ((q->p_flag & P_TRACED) != 0) {
			k->ntraced--;
			q->p_flag &= ~(P_TRACED | P_STOPPED_TRACE);
			kern_psignal(k, q, PS_SIGKILL);
		}
		PROC_UNLOCK(q);
	}

	exit_orphans(k, p);

	PROC_LOCK(p);
	p->p_xstat = xstat;
	pp = p->p_pptr;
	PROC_LOCK(pp);
	if ((pp->p_sigacts.ps_flag & (PS_NOCLDWAIT | PS_CLDSIGIGN)) != 0 && pp != k->initproc) {
		PROC_UNLOCK(pp);
		proc_reparent(k, p, k->initproc);
		p->p_sigparent = PS_SIGCHLD;
		PROC_LOCK(p->p_pptr);
	}
	kevent_emit(k, PS_EV_EXIT, p, p->p_pptr->p_pid, 0, xstat, NULL);
	exit_notify_parent(k, p);
	sx_xunlock(k, &k->proctree_lock);

	p->p_siglist = 0;
	p->p_threads->td_state = TDS_INACTIVE;
	p->p_state = PRS_ZOMBIE;
	k->init_zombies += p->p_pptr == k->initproc;
	PROC_UNLOCK(p->p_pptr);
	PROC_UNLOCK(p);
}

/*
 * Free a zombie that its parent has waited for: off zombproc, out of its
 * group (leavepgrp, which may delete the group and release the session),
 * off the parent's children.  A traced zombie whose tracer is not its real
 * parent is handed back to the real parent instead (Z5).
 */
void
proc_reap(struct kernel *k, struct proc *p)
{
	struct proc *q = p->p_pptr, *t;

	sx_assert(&k->proctree_lock, SA_XLOCKED);
	PS_ASSERT(p->p_state == PRS_ZOMBIE);
	PROC_LOCK_ASSERT(p, MA_NOTOWNED);

	if (p->p_oppid != 0 && (t = pfind_any_nolock(k, p->p_oppid)) != NULL &&
	    t->p_state == PRS_NORMAL && t != q) {
		PROC_LOCK(p);
		proc_reparent(k, p, t);
		p->p_oppid = 0;
		PROC_UNLOCK(p);
		PROC_LOCK(t);
		kern_psignal(k, t, PS_SIGCHLD);
		PROC_UNLOCK(t);
		return;
	}

	sx_xlock(k, &k->allproc_lock);
	LIST_REMOVE(p, p_list);
	LIST_REMOVE(p, p_hash);
	k->nzombies--;
	k->nprocs--;
	pid_unuse(k, p->p_pid, PIDU_PID);
	sx_xunlock(k, &k->allproc_lock);
	LIST_REMOVE(p, p_sibling);
	k->init_zombies -= q == k->initproc;
	kevent_emit(k, PS_EV_REAP, p, q->p_pid, 0, p->p_xstat, NULL);
	leavepgrp(k, p);
	proc_free(k, p);
}

/*
 * wait4 (spec-kern_exit.md §3): scan td's children in list order for one
 * that matches pid (WAIT_ANY -1, a pid, or -pgid) and has something to
 * report.  Returns the pid reported, 0 for WNOHANG with nothing ready,
 * PS_ECHILD when no child matches, PS_EAGAIN where the kernel would sleep.
 */
int
kern_wait(struct kernel *k, struct proc *td, pid_t_ pid, int *status, int options)
{
	struct proc *p, *np;
	int nfound = 0, st = 0;
	pid_t_ found;

	if ((options & ~(PS_WUNTRACED | PS_WNOHANG | PS_WCONTINUED | PS_WLINUXCLONE)) != 0)
		return PS_EINVAL;
	if (pid == 0)
		pid = -td->p_pgrp->pg_id;

	sx_xlock(k, &k->proctree_lock);
	LIST_FOREACH_SAFE(p, &td->p_children, p_sibling, np) {
		PROC_LOCK(p);
		if (pid != -1 && p->p_pid != pid && -(int64_t)pid != p->p_pgrp->pg_id) {
			PROC_UNLOCK(p);
			continue;
		}
		/* Linux-clone children answer only WLINUXCLONE waits. */
		if (((p->p_sigparent != PS_SIGCHLD) ^ ((options & PS_WLINUXCLONE) != 0)) != 0) {
			PROC_UNLOCK(p);
			continue;
		}
		nfound++;
		found = p->p_pid;
		if (p->p_state == PRS_ZOMBIE) {
			st = p->p_xstat;
			PROC_UNLOCK(p);
			kevent_emit(k, PS_EV_WAIT, td, found, 0, st, "exited");
			proc_reap(k, p);
			goto report;
		}
		if (P_SHOULDSTOP(p) != 0 && (p->p_flag & P_WAITED) == 0 &&
		    ((p->p_flag & P_TRACED) != 0 || (options & PS_WUNTRACED) != 0)) {
			p->p_flag |= P_WAITED;
			st = W_STOPCODE(p->p_xstat);
			PROC_UNLOCK(p);
			kevent_emit(k, PS_EV_WAIT, td, found, 0, st, "stopped");
			goto report;
		}
		if ((options & PS_WCONTINUED) != 0 && (p->p_flag & P_CONTINUED) != 0) {
			p->p_flag &= ~P_CONTINUED;
			st = SIGCONT_STATUS;
			PROC_UNLOCK(p);
			kevent_emit(k, PS_EV_WAIT, td, found, 0, st, "continued");
			goto report;
		}
		PROC_UNLOCK(p);
	}
	sx_xunlock(k, &k->proctree_lock);
	if (nfound == 0)
		return PS_ECHILD;
	if ((options & PS_WNOHANG) != 0)
		return 0;
	return PS_EAGAIN;

report:
	sx_xunlock(k, &k->proctree_lock);
	if (status != NULL)
		*status = st;
	return found;
}

/*
 * init's loop: reap every zombie it has inherited.  It runs only when
 * init has a zombie child, so that an operation does not pay for a scan
 * of init's (possibly very many) live children.
 */
void
init_reap(struct kernel *k)
{
	struct proc *saved = k->curproc;
	const uint32_t bound = (uint32_t)k->nprocs;

	if (k->init_zombies == 0)
		return;
	k->curproc = k->initproc;
	for (uint32_t n = 0;; n++) {
		PS_ASSERT(n <= bound);
		if (kern_wait(k, k->initproc, -1, NULL, PS_WNOHANG) <= 0)
			break;
	}
	k->curproc = saved;
}
