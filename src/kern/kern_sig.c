/*
 * Signals, as far as job control needs them: posting (kern_psignal), the
 * immediate effects at posting time (SIGCONT continues a stopped process
 * and discards pending stop signals; a stop signal discards a pending
 * SIGCONT and stops a process that is not running; a terminal stop signal
 * to an orphaned group with the default action is discarded; SIGKILL makes
 * a stopped process runnable so that it can die), and delivery.
 *
 * At the object level no process runs user code, so every process but the
 * caller is asleep: signals that act at posting time act at once, and the
 * rest stay pending until the end of the operation, when
 * sig_deliver_pending() plays the part of each process's return to user
 * mode (FreeBSD's ast/issignal/postsig): the lowest-numbered deliverable
 * signal first, its action taken (terminate, stop, ignore, or "run the
 * handler", which at this level only means the signal is consumed).
 */
#include <string.h>

#include "base/assert.h"
#include "kern/kern.h"

static const uint8_t sigproptbl[PS_NSIG] = {
	[PS_SIGHUP] = SA_KILL,
	[PS_SIGINT] = SA_KILL,
	[PS_SIGQUIT] = SA_KILL | SA_CORE,
	[PS_SIGILL] = SA_KILL | SA_CORE,
	[PS_SIGTRAP] = SA_KILL | SA_CORE,
	[PS_SIGABRT] = SA_KILL | SA_CORE,
	[PS_SIGEMT] = SA_KILL | SA_CORE,
	[PS_SIGFPE] = SA_KILL | SA_CORE,
	[PS_SIGKILL] = SA_KILL,
	[PS_SIGBUS] = SA_KILL | SA_CORE,
	[PS_SIGSEGV] = SA_KILL | SA_CORE,
	[PS_SIGSYS] = SA_KILL | SA_CORE,
	[PS_SIGPIPE] = SA_KILL,
	[PS_SIGALRM] = SA_KILL,
	[PS_SIGTERM] = SA_KILL,
	[PS_SIGURG] = SA_IGNORE,
	[PS_SIGSTOP] = SA_STOP,
	[PS_SIGTSTP] = SA_STOP | SA_TTYSTOP,
	[PS_SIGCONT] = SA_IGNORE | SA_CONT,
	[PS_SIGCHLD] = SA_IGNORE,
	[PS_SIGTTIN] = SA_STOP | SA_TTYSTOP,
	[PS_SIGTTOU] = SA_STOP | SA_TTYSTOP,
	[PS_SIGIO] = SA_IGNORE,
	[PS_SIGXCPU] = SA_KILL,
	[PS_SIGXFSZ] = SA_KILL,
	[PS_SIGVTALRM] = SA_KILL,
	[PS_SIGPROF] = SA_KILL,
	[PS_SIGWINCH] = SA_IGNORE,
	[PS_SIGINFO] = SA_IGNORE,
	[PS_SIGUSR1] = SA_KILL,
	[PS_SIGUSR2] = SA_KILL,
	[PS_SIGTHR] = SA_KILL,
};

#define STOPSIGMASK                                                            \
	(SIGMASK(PS_SIGSTOP) | SIGMASK(PS_SIGTSTP) | SIGMASK(PS_SIGTTIN) | SIGMASK(PS_SIGTTOU))
#define CANTMASK (SIGMASK(PS_SIGKILL) | SIGMASK(PS_SIGSTOP))

int
sig_prop(int sig)
{
	PS_ASSERT(sig > 0 && sig < PS_NSIG);
	return sigproptbl[sig];
}

void
sigacts_init(struct sigacts *ps)
{
	memset(ps, 0, sizeof(*ps));
	for (int sig = 1; sig < PS_NSIG; sig++)
		if ((sigproptbl[sig] & SA_IGNORE) != 0 && sig != PS_SIGCONT)
			ps->ps_sigignore |= SIGMASK(sig);
}

enum sig_action { ACT_DFL, ACT_IGN, ACT_CATCH };

static enum sig_action
sig_action(const struct proc *p, int sig)
{
	uint64_t h = p->p_sigacts.ps_sigact[sig];

	if (h == PS_SIG_DFL)
		return ACT_DFL;
	if (h == PS_SIG_IGN)
		return ACT_IGN;
	return ACT_CATCH;
}

/* Queue p for delivery at the end of the operation (FIFO, once). */
void
sigq_enqueue(struct kernel *k, struct proc *p)
{
	if ((p->p_kflag & PK_SIGQUEUED) != 0)
		return;
	p->p_kflag |= PK_SIGQUEUED;
	p->p_signext = NULL;
	if (k->sigq_tail != NULL)
		k->sigq_tail->p_signext = p;
	else
		k->sigq_head = p;
	k->sigq_tail = p;
}

/*
 * Tell p's parent that p stopped or continued (childproc_stopped,
 * childproc_continued): SIGCHLD unless the parent asked for no stop
 * notices.  The parent's lock nests inside the child's.
 */
static void
notify_parent_jobstate(struct kernel *k, struct proc *p)
{
	struct proc *pp = p->p_pptr;

	PROC_LOCK_ASSERT(p, MA_OWNED);
	if (pp == NULL)
		return;
	pid_t_ saved = k->sig_sender;

	PROC_LOCK(pp);
	k->sig_sender = p->p_pid;
	if ((pp->p_sigacts.ps_flag & PS_NOCLDSTOP) == 0)
		kern_psignal(k, pp, PS_SIGCHLD);
	k->sig_sender = saved;
	PROC_UNLOCK(pp);
}

static void
proc_stop(struct kernel *k, struct proc *p, int sig)
{
	PROC_LOCK_ASSERT(p, MA_OWNED);
	p->p_flag |= P_STOPPED_SIG;
	p->p_flag &= ~(P_WAITED | P_CONTINUED);
	p->p_xstat = sig;
	for (struct thread *td = p->p_threads; td != NULL; td = td->td_plist)
		td->td_state = TDS_INHIBITED;
	kevent_emit(k, PS_EV_STOP, p, 0, sig, 0, "signal");
	notify_parent_jobstate(k, p);
}

static void
proc_continue(struct kernel *k, struct proc *p, bool report)
{
	PROC_LOCK_ASSERT(p, MA_OWNED);
	p->p_flag &= ~P_STOPPED_SIG;
	for (struct thread *td = p->p_threads; td != NULL; td = td->td_plist)
		td->td_state = TDS_CAN_RUN;
	kevent_emit(k, PS_EV_CONTINUE, p, 0, report ? PS_SIGCONT : PS_SIGKILL, 0, NULL);
	if (report) {
		p->p_flag |= P_CONTINUED;
		notify_parent_jobstate(k, p);
	}
}

static void
sig_discard(struct kernel *k, struct proc *p, int sig, const char *why)
{
	kevent_emit(k, PS_EV_SIGNAL_DISCARD, p, 0, sig, 0, why);
}

/*
 * Post sig to p (FreeBSD tdsendsignal with the process as target).  The
 * sender recorded in the event is k->curproc's pid, or 0 when the kernel
 * itself sends (orphanpg, the terminal, exit).
 */
void
kern_psignal(struct kernel *k, struct proc *p, int sig)
{
	int prop = sig_prop(sig);
	enum sig_action action = sig_action(p, sig);

	PROC_LOCK_ASSERT(p, MA_OWNED);
	PS_ASSERT(sig > 0 && sig < PS_NSIG);
	kevent_emit(k, PS_EV_SIGNAL_SEND, p, k->sig_sender, sig, 0, NULL);
	if (p->p_state == PRS_ZOMBIE) {
		sig_discard(k, p, sig, "zombie");
		return;
	}
	if ((prop & SA_CONT) != 0)
		p->p_siglist &= ~STOPSIGMASK;
	if ((prop & SA_STOP) != 0) {
		if ((prop & SA_TTYSTOP) != 0 && p->p_pgrp->pg_jobc == 0 && action == ACT_DFL) {
			sig_discard(k, p, sig, "tty stop signal to an orphaned process group");
			return;
		}
		p->p_siglist &= ~SIGMASK(PS_SIGCONT);
		p->p_flag &= ~P_CONTINUED;
	}
	/*
	 * ps_sigignore holds the signals set to SIG_IGN and those ignored by
	 * default, but never SIGCONT: an ignored SIGCONT still continues a
	 * stopped process (below) and is dropped at delivery.
	 */
	if ((p->p_sigacts.ps_sigignore & SIGMASK(sig)) != 0 && (p->p_flag & P_TRACED) == 0) {
		sig_discard(k, p, sig, "ignored");
		return;
	}
	p->p_siglist |= SIGMASK(sig);

	if ((p->p_flag & P_STOPPED_SIG) != 0) {
		if (sig == PS_SIGKILL) {
			proc_continue(k, p, false);
		} else if ((prop & SA_CONT) != 0) {
			proc_continue(k, p, true);
			if (action != ACT_CATCH)
				p->p_siglist &= ~SIGMASK(sig);
		} else if ((prop & SA_STOP) != 0) {
			p->p_siglist &= ~SIGMASK(sig);
			return;
		}
	} else if (action == ACT_DFL && (p->p_flag & P_TRACED) == 0 && p != k->curproc &&
	           (p->p_flag & P_WEXIT) == 0 && p->p_pid > 1 && (p->p_flag & P_SYSTEM) == 0 &&
	           (p->p_threads->td_sigmask & SIGMASK(sig)) == 0) {
		/* (A blocked signal stays pending until it is unblocked.) */
		/* A sleeping process stops as soon as the signal arrives. */
		if ((prop & SA_STOP) != 0) {
			p->p_siglist &= ~SIGMASK(sig);
			proc_stop(k, p, sig);
			return;
		}
		if ((prop & SA_CONT) != 0)
			p->p_siglist &= ~SIGMASK(sig);
	}
	if (p->p_siglist != 0)
		sigq_enqueue(k, p);
}

/* Signal every member of a group; with checkctty only those with P_CONTROLT. */
void
pgsignal(struct kernel *k, struct pgrp *pgrp, int sig, int checkctty)
{
	struct proc *p;

	if (pgrp == NULL)
		return;
	PGRP_LOCK_ASSERT(pgrp, MA_OWNED);
	LIST_FOREACH(p, &pgrp->pg_members, p_pglist) {
		PROC_LOCK(p);
		if (p->p_state == PRS_NORMAL && (checkctty == 0 || (p->p_flag & P_CONTROLT) != 0))
			kern_psignal(k, p, sig);
		PROC_UNLOCK(p);
	}
}

/* The next signal p would take on its way back to user mode, or 0. */
static int
cursig(const struct proc *p)
{
	sigset32_t pending = p->p_siglist & ~(p->p_threads->td_sigmask & ~CANTMASK);

	if (P_SHOULDSTOP(p) != 0)
		pending &= SIGMASK(PS_SIGKILL);
	if (pending == 0)
		return 0;
	return __builtin_ctz(pending) + 1;
}

/* Take one signal's action for p.  Returns false when p has exited. */
static bool
postsig(struct kernel *k, struct proc *p, int sig)
{
	int prop = sig_prop(sig);
	enum sig_action action = sig_action(p, sig);

	PROC_LOCK_ASSERT(p, MA_OWNED);
	p->p_siglist &= ~SIGMASK(sig);
	if ((p->p_flag & P_TRACED) != 0 && sig != PS_SIGKILL) {
		/* The debugger sees every signal first: a trace stop. */
		p->p_flag |= P_STOPPED_TRACE;
		p->p_flag &= ~P_WAITED;
		p->p_xstat = sig;
		for (struct thread *td = p->p_threads; td != NULL; td = td->td_plist)
			td->td_state = TDS_INHIBITED;
		kevent_emit(k, PS_EV_STOP, p, 0, sig, 0, "trace");
		notify_parent_jobstate(k, p);
		return true;
	}
	if (action == ACT_IGN) {
		sig_discard(k, p, sig, "ignored");
		return true;
	}
	if (action == ACT_CATCH) {
		kevent_emit(k, PS_EV_SIGNAL_DELIVER, p, 0, sig, 0, "handler");
		return true;
	}
	if ((prop & (SA_KILL | SA_STOP)) == 0) {
		sig_discard(k, p, sig, "default action is to ignore");
		return true;
	}
	if (p->p_pid <= 1 || (p->p_flag & P_SYSTEM) != 0) {
		sig_discard(k, p, sig, "no default action for a system process");
		return true;
	}
	if ((prop & SA_STOP) != 0) {
		if ((prop & SA_TTYSTOP) != 0 && p->p_pgrp->pg_jobc == 0) {
			sig_discard(k, p, sig, "tty stop signal to an orphaned process group");
			return true;
		}
		kevent_emit(k, PS_EV_SIGNAL_DELIVER, p, 0, sig, 0, "stop");
		proc_stop(k, p, sig);
		return true;
	}
	if ((prop & SA_KILL) != 0) {
		kevent_emit(k, PS_EV_SIGNAL_DELIVER, p, 0, sig, 0, "terminate");
		PROC_UNLOCK(p);
		exit1(k, p, W_EXITCODE(0, sig));
		PROC_LOCK(p);
		return false;
	}
	PS_PANIC("postsig: signal %d has no default action", sig);
}

/*
 * Deliver what is pending, process by process in the order signals were
 * posted, until nothing deliverable is left.  Runs between operations,
 * with no lock held; an exit it causes may post more signals, which join
 * the queue.
 */
void
sig_deliver_pending(struct kernel *k)
{
	struct proc *saved = k->curproc;
	struct proc *p;
	int sig;

	PS_ASSERT(k->nheld == 0);
	for (uint32_t n = 0; (p = k->sigq_head) != NULL; n++) {
		PS_ASSERT_MSG(n < SIGQ_PASSES_MAX, "signal delivery does not settle");
		k->sigq_head = p->p_signext;
		if (k->sigq_head == NULL)
			k->sigq_tail = NULL;
		p->p_signext = NULL;
		p->p_kflag &= ~PK_SIGQUEUED;
		if (p->p_state != PRS_NORMAL || (p->p_flag & P_WEXIT) != 0)
			continue;
		k->curproc = p;
		k->sig_sender = 0;
		PROC_LOCK(p);
		while ((sig = cursig(p)) != 0)
			if (!postsig(k, p, sig))
				break;
		PROC_UNLOCK(p);
	}
	k->curproc = saved;
}

/*
 * May cur signal p?  (FreeBSD p_cansignal, cr_cansignal.)  Itself always;
 * SIGCONT within the session always; otherwise p must be visible and the
 * real or effective uid of cur must match the real or saved uid of p,
 * unless cur is privileged.
 */
int
p_cansignal(struct kernel *k, struct proc *cur, struct proc *p, int sig)
{
	const struct ucred *cr = &cur->p_ucred, *pc = &p->p_ucred;
	int error;

	PROC_LOCK_ASSERT(p, MA_OWNED);
	if (cur == p)
		return 0;
	if (sig == PS_SIGCONT && cur->p_pgrp != NULL && p->p_pgrp != NULL &&
	    cur->p_session == p->p_session)
		return 0;
	error = p_cansee(k, cur, p);
	if (error != 0)
		return error;
	if (cr->cr_ruid != pc->cr_ruid && cr->cr_uid != pc->cr_ruid && cr->cr_ruid != pc->cr_svuid &&
	    cr->cr_uid != pc->cr_svuid)
		return priv_check_cred(cr);
	return 0;
}

/*
 * One process of a killpg1 scan: system processes, init, new ones and
 * (for kill -1) the caller are passed over; *ret becomes 0 once one is
 * signalled, or the first permission error while none has been.
 */
static void
killpg1_one(struct kernel *k, struct proc *cur, struct proc *p, int sig, bool all, int *ret)
{
	int err;

	PROC_LOCK(p);
	if (p->p_pid <= 1 || (p->p_flag & P_SYSTEM) != 0 || p->p_state == PRS_NEW ||
	    (all && p == cur)) {
		PROC_UNLOCK(p);
		return;
	}
	err = p_cansignal(k, cur, p, sig);
	if (err == 0) {
		if (sig != 0)
			kern_psignal(k, p, sig);
		*ret = 0;
	} else if (*ret == PS_ESRCH) {
		*ret = err;
	}
	PROC_UNLOCK(p);
}

/* Signal every member of a locked group, or every process (all). */
static int
killpg1(struct kernel *k, struct proc *cur, int sig, struct pgrp *pgrp, bool all)
{
	struct proc *p;
	int ret = PS_ESRCH;

	if (all) {
		sx_slock(k, &k->allproc_lock);
		LIST_FOREACH(p, &k->allproc, p_list)
			killpg1_one(k, cur, p, sig, true, &ret);
		sx_sunlock(k, &k->allproc_lock);
		return ret;
	}
	PGRP_LOCK_ASSERT(pgrp, MA_OWNED);
	LIST_FOREACH(p, &pgrp->pg_members, p_pglist)
		killpg1_one(k, cur, p, sig, false, &ret);
	PGRP_UNLOCK(pgrp);
	return ret;
}

/* kill(2): pid > 0 (zombies included, as FreeBSD), 0, -1, < -1. */
int
kern_kill(struct kernel *k, struct proc *cur, pid_t_ pid, int sig)
{
	struct pgrp *pgrp;
	struct proc *p;
	int error;

	if (sig < 0 || sig >= PS_NSIG)
		return PS_EINVAL;
	k->sig_sender = cur->p_pid;
	if (pid > 0) {
		p = pfind(k, pid);
		if (p == NULL)
			p = zpfind(k, pid);
		if (p == NULL) {
			error = PS_ESRCH;
		} else {
			error = p_cansignal(k, cur, p, sig);
			if (error == 0 && sig != 0)
				kern_psignal(k, p, sig);
			PROC_UNLOCK(p);
		}
	} else if (pid == -1) {
		error = killpg1(k, cur, sig, NULL, true);
	} else {
		sx_slock(k, &k->proctree_lock);
		if (pid == 0) {
			pgrp = cur->p_pgrp;
			PGRP_LOCK(pgrp);
		} else {
			pgrp = pgfind(k, -pid);
		}
		sx_sunlock(k, &k->proctree_lock);
		error = pgrp == NULL ? PS_ESRCH : killpg1(k, cur, sig, pgrp, false);
	}
	k->sig_sender = 0;
	return error;
}

/* sigaction(2) for p. */
int
kern_sigaction(struct kernel *k, struct proc *p, int sig, const struct ps_sigaction *act,
               struct ps_sigaction *oact)
{
	struct sigacts *ps = &p->p_sigacts;
	uint64_t h;

	if (sig <= 0 || sig >= PS_NSIG)
		return PS_EINVAL;
	if (act != NULL && act->handler != PS_SIG_DFL && (sig == PS_SIGKILL || sig == PS_SIGSTOP))
		return PS_EINVAL;
	PROC_LOCK(p);
	if (oact != NULL) {
		oact->handler = ps->ps_sigact[sig];
		oact->mask = ps->ps_catchmask[sig];
		oact->flags = 0;
		if ((ps->ps_sigrestart & SIGMASK(sig)) != 0)
			oact->flags |= PS_SA_RESTART;
		if (sig == PS_SIGCHLD && (ps->ps_flag & PS_NOCLDSTOP) != 0)
			oact->flags |= PS_SA_NOCLDSTOP;
		if (sig == PS_SIGCHLD && (ps->ps_flag & PS_NOCLDWAIT) != 0)
			oact->flags |= PS_SA_NOCLDWAIT;
	}
	if (act != NULL) {
		h = act->handler;
		ps->ps_sigact[sig] = h;
		ps->ps_catchmask[sig] = act->mask & ~CANTMASK;
		if ((act->flags & PS_SA_RESTART) != 0)
			ps->ps_sigrestart |= SIGMASK(sig);
		else
			ps->ps_sigrestart &= ~SIGMASK(sig);
		if (sig == PS_SIGCHLD) {
			ps->ps_flag &= ~(PS_NOCLDSTOP | PS_NOCLDWAIT | PS_CLDSIGIGN);
			if ((act->flags & PS_SA_NOCLDSTOP) != 0)
				ps->ps_flag |= PS_NOCLDSTOP;
			/* init may not refuse zombies: it reaps them. */
			if ((act->flags & PS_SA_NOCLDWAIT) != 0 && p->p_pid != 1)
				ps->ps_flag |= PS_NOCLDWAIT;
			if (h == PS_SIG_IGN)
				ps->ps_flag |= PS_CLDSIGIGN;
		}
		ps->ps_sigcatch &= ~SIGMASK(sig);
		ps->ps_sigignore &= ~SIGMASK(sig);
		if (h == PS_SIG_IGN ||
		    ((sig_prop(sig) & SA_IGNORE) != 0 && h == PS_SIG_DFL)) {
			/* Setting SIG_IGN discards what is pending. */
			p->p_siglist &= ~SIGMASK(sig);
			if (sig != PS_SIGCONT)
				ps->ps_sigignore |= SIGMASK(sig);
		} else if (h != PS_SIG_DFL) {
			ps->ps_sigcatch |= SIGMASK(sig);
		}
	}
	PROC_UNLOCK(p);
	return 0;
}
