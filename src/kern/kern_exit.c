/*
 * Exit, reparenting, wait and reaping (spec-kern_exit.md).
 *
 * exit1 keeps the steps of the 2008 kern_exit.c (the E numbers of spec
 * §2.2), with killjobc (kern_proc.c) where the newer kernel calls it in
 * place of the inline E18/E19 block.  kern_wait is the seed's, with the
 * later kernel's wait6 (id types, WEXITED, WTRAPPED, WNOWAIT, siginfo)
 * beside it as an extension; a wait that finds nothing to report sleeps on
 * the caller's own channel and is re-run from its loop when woken.  init
 * (pid 1) reaps the zombies it inherits at the end of every operation.
 *
 * ps_config.exit_compat = PS_EXIT_MODERN selects what later kernels
 * changed (see sim.h); the default is the seed.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

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
	/* A SIGCHLD record of the child still queued at the old parent goes. */
	PROC_LOCK(child->p_pptr);
	if (child->p_ksi.ksi_sigq == child->p_pptr)
		sigqueue_take(k, &child->p_ksi);
	PROC_UNLOCK(child->p_pptr);
	LIST_REMOVE(child, p_sibling);
	LIST_INSERT_HEAD(&parent->p_children, child, p_sibling);
	/* A traced child leaves a trace at the parent it leaves: the orphan
	 * list, through which proc_realparent finds it again (spec A.4). */
	proc_clear_orphan(k, child);
	if ((child->p_flag & P_TRACED) != 0) {
		LIST_INSERT_HEAD(&child->p_pptr->p_orphans, child, p_orphan);
		child->p_orphan_of = child->p_pptr;
	}
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

void
ruadd(struct ps_rusage *ru, const struct ps_rusage *ru2)
{
	ru->utime_ns += ru2->utime_ns;
	ru->stime_ns += ru2->stime_ns;
	if (ru2->maxrss > ru->maxrss)
		ru->maxrss = ru2->maxrss;
	ru->minflt += ru2->minflt;
	ru->majflt += ru2->majflt;
	ru->nsignals += ru2->nsignals;
	ru->nvcsw += ru2->nvcsw;
	ru->nivcsw += ru2->nivcsw;
}

/*
 * E30: tell the parent.  init gets a plain SIGCHLD whatever p_sigparent
 * says; a SIGCHLD child queues its record (childproc_exited); a Linux-clone
 * child sends its own signal without one, or nothing.
 */
static void
exit_notify_parent(struct kernel *k, struct proc *p)
{
	struct proc *pp = p->p_pptr;
	pid_t_ saved = k->sig_sender;

	PROC_LOCK_ASSERT(pp, MA_OWNED);
	k->sig_sender = p->p_pid;
	if (pp == k->initproc)
		kern_psignal(k, pp, PS_SIGCHLD);
	else if (p->p_sigparent == PS_SIGCHLD)
		childproc_exited(k, p);
	else if (p->p_sigparent != 0)
		kern_psignal(k, pp, p->p_sigparent);
	k->sig_sender = saved;
}

/*
 * Later kernels (PS_EXIT_MODERN): a traced process whose real parent is p
 * (it sits on its debugger's child list) gets init as its real parent, so
 * that a detach or its reaping never hands it to a process that reuses p's
 * pid.  The 2008 kernel leaves p_oppid stale (spec §11.10).
 */
static void
exit_orphans(struct kernel *k, struct proc *p)
{
	struct proc *q;
	int32_t seen = 0;

	sx_assert(&k->proctree_lock, SA_XLOCKED);
	if (k->ntraced == 0 || k->k_cfg.exit_compat != PS_EXIT_MODERN)
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
 * Single-threading for exit (E3, thread_single(SINGLE_EXIT)): every other
 * thread of p is gone, whatever it was doing.  At the object level no other
 * thread is in the middle of an exit of its own, so the caller's is the one
 * that completes and its status the one recorded.
 */
static void
exit_single_thread(struct kernel *k, struct proc *p)
{
	struct thread *td;

	PROC_LOCK_ASSERT(p, MA_OWNED);
	/* The thread making the exit is the one that stays. */
	if (k->curthread != NULL && k->curthread->td_proc == p)
		thread_make_first(p, k->curthread);
	while ((td = p->p_threads->td_plist) != NULL)
		thread_exit_one(k, td);
	/* The remaining thread is exiting: it is not in any call. */
	td = p->p_threads;
	if (td->td_sa.sf_state != SFS_DONE)
		td->td_sa.sf_state = SFS_NONE;
	td->td_flags &= ~TDF_OLDMASK;
}

/*
 * The current process p exits with wait status xstat, in the seed's order
 * (spec-kern_exit.md §2.2, §2.4): single-threading, P_WEXIT, P_TRACED
 * cleared, killjobc (the session leader's terminal and fixjobc), off
 * allproc onto zombproc, children to init (traced ones killed), the status,
 * the auto-reap rule, the parent's signal, the queue flushed, the parent
 * woken, PRS_ZOMBIE, the children's usage folded into its own.
 */
void
exit1(struct kernel *k, struct proc *p, int xstat)
{
	struct proc *q, *nq, *pp, *t;
	struct thread *td;

	PS_ASSERT(p == k->curproc);
	PS_ASSERT_MSG(p != k->initproc, "init died (status %#x)", xstat);
	PS_ASSERT(p->p_state == PRS_NORMAL);
	PS_ASSERT((p->p_flag & P_WEXIT) == 0);

	/* E3-E6 */
	PROC_LOCK(p);
	exit_single_thread(k, p);
	td = p->p_threads;
	p->p_flag |= P_WEXIT;
	PS_ASSERT_MSG(p->p_lock == 0, "exit1: pid %d still held", p->p_pid);
	/* E11 */
	if ((p->p_flag & P_TRACED) != 0)
		k->ntraced--;
	p->p_flag &= ~(P_TRACED | P_PPWAIT | P_STOPPED);
	td->td_inhibitors &= ~TDI_SUSPENDED;
	PROC_UNLOCK(p);

	/* E18-E19 */
	killjobc(k);

	/* E24 */
	sx_xlock(k, &k->allproc_lock);
	LIST_REMOVE(p, p_list);
	LIST_INSERT_HEAD(&k->zombproc, p, p_list);
	LIST_REMOVE(p, p_hash);
	LIST_INSERT_HEAD(ZOMBHASH(k, p->p_pid), p, p_hash);
	LIST_REMOVE(td, td_hash);
	k->nzombies++;
	sx_xunlock(k, &k->allproc_lock);

	/* E26 */
	sx_xlock(k, &k->proctree_lock);
	if (!LIST_EMPTY(&p->p_children))
		wakeup(k, WCHAN(WCHAN_PROC, k->initproc->p_pid));
	LIST_FOREACH_SAFE(q, &p->p_children, p_sibling, nq) {
		PROC_LOCK(q);
		t = k->initproc;
		if ((q->p_flag & P_TRACED) != 0 && k->k_cfg.exit_compat == PS_EXIT_MODERN &&
		    q->p_oppid != 0 && (t = pfind_any_nolock(k, q->p_oppid)) != NULL &&
		    t->p_state == PRS_NORMAL && (t->p_flag & P_WEXIT) == 0) {
			/* Later kernels give a traced child back to its real parent. */
		} else {
			t = k->initproc;
		}
		proc_reparent(k, q, t);
		q->p_sigparent = PS_SIGCHLD;
		if ((q->p_flag & P_TRACED) != 0) {
			k->ntraced--;
			q->p_flag &= ~(P_TRACED | P_STOPPED_TRACE);
			/* 10.x: no thread stays held by PT_SUSPEND; in a
			 * running process they run again (to take the kill). */
			for (td = q->p_threads; td != NULL; td = td->td_plist)
				td->td_dbgflags &= ~TDB_SUSPEND;
			if (P_SHOULDSTOP(q) == 0)
				thread_release_suspended(k, q);
			kern_psignal(k, q, PS_SIGKILL);
		}
		PROC_UNLOCK(q);
	}
	td = p->p_threads;
	exit_orphans(k, p);
	/* Its orphan list goes (the processes on it forget it), and it
	 * leaves the one it is on. */
	while ((q = LIST_FIRST(&p->p_orphans)) != NULL)
		proc_clear_orphan(k, q);
	proc_clear_orphan(k, p);

	/* E27 */
	PROC_LOCK(p);
	p->p_xstat = xstat;
	kevent_emit(k, PS_EV_EXIT, p, p->p_pptr->p_pid, 0, xstat, NULL);

	/* E29: a parent that wants no zombies gives the child to init. */
	pp = p->p_pptr;
	PROC_LOCK(pp);
	if ((pp->p_sigacts->ps_flag & (PS_NOCLDWAIT | PS_CLDSIGIGN)) != 0 && pp != k->initproc) {
		PROC_UNLOCK(pp);
		proc_reparent(k, p, k->initproc);
		p->p_sigparent = PS_SIGCHLD;
		PROC_LOCK(p->p_pptr);
		/* The 2008 kernel wakes the old parent only once it has no child. */
		if (LIST_EMPTY(&pp->p_children) || k->k_cfg.exit_compat == PS_EXIT_MODERN)
			wakeup(k, WCHAN(WCHAN_PROC, pp->p_pid));
	}

	/* E30 */
	exit_notify_parent(k, p);
	sx_xunlock(k, &k->proctree_lock);

	/* E32-E34 */
	sigqueue_flush(p);
	wakeup(k, WCHAN(WCHAN_PROC, p->p_pptr->p_pid));
	thread_abandon(k, td);
	exit_vmspace(k, p);
	p->p_state = PRS_ZOMBIE;
	k->init_zombies += p->p_pptr == k->initproc;
	PROC_UNLOCK(p->p_pptr);

	/* E36 */
	ruadd(&p->p_ru, &p->p_cru);
	PROC_UNLOCK(p);
}

/*
 * Free a zombie its parent q has waited for (Z6-Z12): off zombproc, off
 * q's children, out of its group (leavepgrp may delete the group and
 * release the session), its usage added to q's children's, the pid free.
 */
static void
proc_reap(struct kernel *k, struct proc *q, struct proc *p)
{
	sx_assert(&k->proctree_lock, SA_XLOCKED);
	PS_ASSERT(p->p_state == PRS_ZOMBIE && p->p_pptr == q);
	PROC_LOCK_ASSERT(p, MA_NOTOWNED);

	sx_xlock(k, &k->allproc_lock);
	LIST_REMOVE(p, p_list);
	LIST_REMOVE(p, p_hash);
	k->nzombies--;
	sx_xunlock(k, &k->allproc_lock);
	LIST_REMOVE(p, p_sibling);
	k->init_zombies -= q == k->initproc;
	kevent_emit(k, PS_EV_REAP, p, q->p_pid, 0, p->p_xstat, NULL);
	leavepgrp(k, p);
	sx_xunlock(k, &k->proctree_lock);

	PROC_LOCK(p);
	p->p_xstat = 0;
	PROC_LOCK(q);
	ruadd(&q->p_cru, &p->p_ru);
	PROC_UNLOCK(q);
	PROC_UNLOCK(p);
	sx_xlock(k, &k->allproc_lock);
	k->nprocs--;
	pid_unuse(k, p->p_pid, PIDU_PID);
	sx_xunlock(k, &k->allproc_lock);
	proc_free(k, p);
}

/*
 * Z5: a zombie that was traced goes back to its real parent t, which is
 * signalled and woken; it is not freed.  The 2008 kernel does this even
 * when t is the caller itself (a PT_TRACE_ME child is reported twice, spec
 * §11.9); later kernels only when t is another process.
 */
static bool
proc_giveback(struct kernel *k, struct proc *q, struct proc *p)
{
	struct proc *t;
	pid_t_ saved = k->sig_sender;

	sx_assert(&k->proctree_lock, SA_XLOCKED);
	if (p->p_oppid == 0)
		return false;
	t = pfind_any_nolock(k, p->p_oppid);
	if (t == NULL || t->p_state != PRS_NORMAL || (t->p_flag & P_WEXIT) != 0)
		return false;
	if (t == q && k->k_cfg.exit_compat == PS_EXIT_MODERN)
		return false;
	PROC_LOCK(t);
	PROC_LOCK(p);
	p->p_oppid = 0;
	proc_reparent(k, p, t);
	PROC_UNLOCK(p);
	/* The record is sent as it was last filled: it may be stale. */
	k->sig_sender = p->p_pid;
	pksignal(k, t, PS_SIGCHLD, &p->p_ksi);
	k->sig_sender = saved;
	wakeup(k, WCHAN(WCHAN_PROC, t->p_pid));
	PROC_UNLOCK(t);
	return true;
}

/* Does child p match the wait's id type and id (proc_to_reap's filter)? */
static bool
wait_matches(struct proc *p, int idtype, int64_t id)
{
	switch (idtype) {
	case PS_ID_ALL:
		return true;
	case PS_ID_PID:
		return p->p_pid == id;
	case PS_ID_PGID:
		return p->p_pgrp->pg_id == id;
	case PS_ID_SID:
		return p->p_session->s_sid == id;
	case PS_ID_UID:
		return p->p_ucred.cr_uid == id;
	case PS_ID_GID:
		return p->p_ucred.cr_gid == id;
	case PS_ID_JAILID:
		return id == 0;
	default:
		return false;
	}
}

static void
ru_to_frame(struct syscall_frame *sf, const struct proc *p)
{
	sf->sf_ru.self = p->p_ru;
	sf->sf_ru.children = p->p_cru;
}

static void
si_to_frame(struct syscall_frame *sf, const struct proc *p, int code, int status)
{
	sf->sf_si.signo = PS_SIGCHLD;
	sf->sf_si.code = code;
	sf->sf_si.pid = p->p_pid;
	sf->sf_si.uid = p->p_ucred.cr_ruid;
	sf->sf_si.status = status;
}

/* The siginfo of an exited child, as later kernels fill it. */
static void
si_exited(struct syscall_frame *sf, const struct proc *p)
{
	int xs = p->p_xstat;

	if ((xs & WCOREFLAG) != 0)
		si_to_frame(sf, p, PS_CLD_DUMPED, xs & 0177);
	else if ((xs & 0177) != 0)
		si_to_frame(sf, p, PS_CLD_KILLED, xs & 0177);
	else
		si_to_frame(sf, p, PS_CLD_EXITED, (xs >> 8) & 0xff);
}

/* Report a live child's stop or continue to q (and forget it, unless WNOWAIT). */
static void
wait_report_alive(struct kernel *k, struct proc *q, struct proc *p, struct syscall_frame *sf,
                  int options, int what)
{
	static const char *const names[] = {
		[WR_STOPPED] = "stopped", [WR_TRAPPED] = "trapped", [WR_CONTINUED] = "continued"
	};

	PROC_LOCK_ASSERT(p, MA_OWNED);
	if ((options & PS_WNOWAIT) == 0) {
		if (what == WR_CONTINUED)
			p->p_flag &= ~P_CONTINUED;
		else
			p->p_flag |= P_WAITED;
		PROC_LOCK(q);
		if (p->p_ksi.ksi_sigq == q)
			sigqueue_take(k, &p->p_ksi);
		PROC_UNLOCK(q);
	}
	sf->sf_wstat = (uint8_t)what;
	if (what == WR_CONTINUED) {
		sf->sf_status = SIGCONT_STATUS;
		si_to_frame(sf, p, PS_CLD_CONTINUED, PS_SIGCONT);
	} else {
		sf->sf_status = W_STOPCODE(p->p_xstat);
		si_to_frame(sf, p, what == WR_TRAPPED ? PS_CLD_TRAPPED : PS_CLD_STOPPED, p->p_xstat);
	}
	kevent_emit(k, PS_EV_WAIT, q, p->p_pid, 0, sf->sf_status, names[what]);
}

/*
 * Report a zombie to q: its status, usage and siginfo; then, unless
 * WNOWAIT, its record leaves q's queue and it is given back (Z5) or freed.
 * Drops proctree_lock.
 */
static void
wait_report_zombie(struct kernel *k, struct proc *q, struct proc *p, struct syscall_frame *sf,
                   int options)
{
	sx_assert(&k->proctree_lock, SA_XLOCKED);
	PROC_LOCK_ASSERT(p, MA_OWNED);
	ru_to_frame(sf, p);
	sf->sf_status = p->p_xstat;
	si_exited(sf, p);
	sf->sf_wstat = WR_EXITED;
	if ((options & PS_WNOWAIT) != 0) {
		PROC_UNLOCK(p);
		kevent_emit(k, PS_EV_WAIT, q, p->p_pid, 0, sf->sf_status, "exited (WNOWAIT)");
		sx_xunlock(k, &k->proctree_lock);
		return;
	}
	PROC_LOCK(q);
	if (p->p_ksi.ksi_sigq == q)
		sigqueue_take(k, &p->p_ksi);
	PROC_UNLOCK(q);
	PROC_UNLOCK(p);
	if (proc_giveback(k, q, p)) {
		sf->sf_wstat = WR_GIVEBACK;
		kevent_emit(k, PS_EV_WAIT, q, p->p_pid, 0, sf->sf_status, "exited (given back)");
		sx_xunlock(k, &k->proctree_lock);
		return;
	}
	kevent_emit(k, PS_EV_WAIT, q, p->p_pid, 0, sf->sf_status, "exited");
	proc_reap(k, q, p);
}

/*
 * One scan of q's children, newest first (spec §3.2 W4-W7): returns the
 * pid reported, 0 for WNOHANG with nothing to report, PS_ECHILD when no
 * child matches, or EJUSTSLEPT when the caller should sleep.  wait4 (wait6
 * false) has the 2008 tests: a zombie is always reportable, a stop when
 * traced or WUNTRACED.  wait6 has the later ones: a zombie with WEXITED, a
 * traced stop with WTRAPPED, any signal stop with WUNTRACED.
 */
static int
wait_scan(struct kernel *k, struct proc *q, struct syscall_frame *sf, bool wait6)
{
	int idtype = (int)sf->sf_targ[0], options = (int)sf->sf_args[2];
	int64_t id = sf->sf_targ[1];
	struct proc *p;
	int nfound = 0;

	sx_xlock(k, &k->proctree_lock);
	LIST_FOREACH(p, &q->p_children, p_sibling) {
		PROC_LOCK(p);
		if (!wait_matches(p, idtype, id) ||
		    ((p->p_sigparent != PS_SIGCHLD) ^ ((options & PS_WLINUXCLONE) != 0)) != 0) {
			PROC_UNLOCK(p);
			continue;
		}
		nfound++;
		if (p->p_state == PRS_ZOMBIE && (!wait6 || (options & PS_WEXITED) != 0)) {
			pid_t_ pid = p->p_pid;

			wait_report_zombie(k, q, p, sf, options);
			return pid;
		}
		if (wait6 && (options & PS_WTRAPPED) != 0 && (p->p_flag & P_TRACED) != 0 &&
		    (p->p_flag & (P_STOPPED_TRACE | P_STOPPED_SIG)) != 0 &&
		    (p->p_flag & P_WAITED) == 0) {
			wait_report_alive(k, q, p, sf, options, WR_TRAPPED);
			goto reported;
		}
		if ((p->p_flag & P_STOPPED_SIG) != 0 && (p->p_flag & P_WAITED) == 0 &&
		    (wait6 ? (options & PS_WUNTRACED) != 0
		           : ((p->p_flag & P_TRACED) != 0 || (options & PS_WUNTRACED) != 0))) {
			wait_report_alive(k, q, p, sf, options,
			                  (p->p_flag & P_TRACED) != 0 && !wait6 ? WR_TRAPPED
			                                                        : WR_STOPPED);
			goto reported;
		}
		if ((options & PS_WCONTINUED) != 0 && (p->p_flag & P_CONTINUED) != 0) {
			wait_report_alive(k, q, p, sf, options, WR_CONTINUED);
			goto reported;
		}
		PROC_UNLOCK(p);
	}
	/*
	 * Later kernels (PS_EXIT_MODERN): children a debugger took away are
	 * still the parent's to wait for, on its orphan list; they count as
	 * found (no ECHILD), and are reported once given back (10.x kern_wait).
	 */
	if (k->k_cfg.exit_compat == PS_EXIT_MODERN) {
		LIST_FOREACH(p, &q->p_orphans, p_orphan)
			if (wait_matches(p, idtype, id))
				nfound++;
	}
	if (nfound == 0) {
		sx_xunlock(k, &k->proctree_lock);
		return PS_ECHILD;
	}
	if ((options & PS_WNOHANG) != 0) {
		sx_xunlock(k, &k->proctree_lock);
		return 0;
	}
	sx_xunlock(k, &k->proctree_lock);
	return EJUSTSLEPT;

reported:;
	pid_t_ pid = p->p_pid;

	PROC_UNLOCK(p);
	sx_xunlock(k, &k->proctree_lock);
	return pid;
}

/* The loop of kern_wait (W3-W8): scan, and sleep on q when told to. */
static int
wait_loop(struct kernel *k, struct thread *td)
{
	struct proc *q = td->td_proc;
	struct syscall_frame *sf = &td->td_sa;
	bool wait6 = sf->sf_code == PS_SYS_WAIT6;
	int error;

	for (uint32_t n = 0;; n++) {
		PS_ASSERT(n < 4);
		PROC_LOCK(q);
		q->p_flag &= ~P_STATCHILD;
		PROC_UNLOCK(q);
		error = wait_scan(k, q, sf, wait6);
		if (error != EJUSTSLEPT)
			return error;
		/* W8: a child's state changed while we scanned: scan again. */
		PROC_LOCK(q);
		if ((q->p_flag & P_STATCHILD) != 0) {
			PROC_UNLOCK(q);
			continue;
		}
		error = sleepq_sleep(k, td, WCHAN(WCHAN_PROC, q->p_pid), "wait", true);
		PROC_UNLOCK(q);
		return error != 0 ? error : EJUSTSLEPT;
	}
}

/*
 * wait4/wait6 from the top: check the options, translate wait4's pid into
 * an id type and id (once: a caller that changes group while asleep keeps
 * the old one), then the loop.  Arguments: wait4 (pid, -, options), wait6
 * (idtype, id, options).
 */
int
kern_wait_start(struct kernel *k, struct thread *td)
{
	struct syscall_frame *sf = &td->td_sa;
	struct proc *q = td->td_proc;
	int options = (int)sf->sf_args[2];

	(void)k;
	if (sf->sf_code == PS_SYS_WAIT4) {
		pid_t_ pid = (pid_t_)sf->sf_args[0];

		if ((options & ~(PS_WUNTRACED | PS_WNOHANG | PS_WCONTINUED | PS_WLINUXCLONE)) != 0)
			return PS_EINVAL;
		/* WAIT_MYPGRP: the caller's group, or any child from group 1. */
		if (pid == 0)
			pid = -q->p_pgrp->pg_id;
		if (pid == -1) {
			sf->sf_targ[0] = PS_ID_ALL;
		} else if (pid < 0) {
			sf->sf_targ[0] = PS_ID_PGID;
			sf->sf_targ[1] = -(int64_t)pid;
		} else {
			sf->sf_targ[0] = PS_ID_PID;
			sf->sf_targ[1] = pid;
		}
	} else {
		if ((options & ~(PS_WUNTRACED | PS_WNOHANG | PS_WCONTINUED | PS_WNOWAIT |
		                 PS_WEXITED | PS_WTRAPPED | PS_WLINUXCLONE)) != 0)
			return PS_EINVAL;
		/* Nothing to look for: an error rather than sleeping forever. */
		if ((options & (PS_WEXITED | PS_WUNTRACED | PS_WCONTINUED | PS_WTRAPPED)) == 0)
			return PS_EINVAL;
		if (sf->sf_args[0] < 0 || sf->sf_args[0] > PS_ID_JAILID)
			return PS_EINVAL;
		sf->sf_targ[0] = sf->sf_args[0];
		sf->sf_targ[1] = sf->sf_args[1];
	}
	return wait_loop(k, td);
}

/* Woken: an interrupted sleep returns its error as is; else loop again. */
int
kern_wait_resume(struct kernel *k, struct thread *td)
{
	if (td->td_intrval != 0)
		return td->td_intrval;
	return wait_loop(k, td);
}

/*
 * init's loop: reap every zombie it has inherited.  It runs only when
 * init has a zombie child, so that an operation does not pay for a scan
 * of init's (possibly very many) live children.
 */
void
init_reap(struct kernel *k)
{
	struct proc *saved = k->curproc, *init = k->initproc;
	struct syscall_frame sf;
	/* Each zombie is reaped once, or given back (to init itself, too). */
	const uint32_t bound = 2 * (uint32_t)k->nprocs + 2;
	int clone = 0;

	if (k->init_zombies == 0)
		return;
	k->curproc = init;
	for (uint32_t n = 0;; n++) {
		PS_ASSERT(n <= bound);
		memset(&sf, 0, sizeof(sf));
		sf.sf_code = PS_SYS_WAIT4;
		/* Linux-clone children answer only WLINUXCLONE: init waits for both. */
		sf.sf_args[2] = PS_WNOHANG | (clone ? PS_WLINUXCLONE : 0);
		sf.sf_targ[0] = PS_ID_ALL;
		if (wait_scan(k, init, &sf, false) <= 0) {
			if (clone++)
				break;
		}
	}
	k->curproc = saved;
}
