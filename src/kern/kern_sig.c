/*
 * Signals, as far as job control, exit and wait need them: posting
 * (pksignal, FreeBSD's tdsendsignal) with its immediate effects (SIGCONT
 * continues a stopped process and discards pending stop signals; a stop
 * signal discards a pending SIGCONT and stops a process parked in the
 * kernel; a terminal stop signal with the default action is discarded in an
 * orphaned group; SIGKILL makes a stopped process run so that it can die;
 * a caught signal interrupts an interruptible sleep), the signal queue with
 * the children's siginfo records (sigqueue_*), the notices a parent gets
 * when a child stops, continues or exits (childproc_*), and delivery
 * (cursig/postsig), which the way back to user mode drives (kern_synch.c).
 *
 * At the object level no process runs user code: a process other than the
 * caller is parked in the kernel, interruptibly, so a default stop acts on
 * it at once; everything else acts when it passes userret at the end of the
 * operation: the lowest-numbered deliverable signal first, its action
 * taken (terminate, stop, ignore, or "run the handler", which at this level
 * only means the signal is consumed and counted).
 */
#include <stdlib.h>
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

/* Default actions, one reference; NULL when out of memory. */
struct sigacts *
sigacts_alloc(void)
{
	struct sigacts *ps = calloc(1, sizeof(*ps));

	if (ps == NULL)
		return NULL;
	ps->ps_refcnt = 1;
	for (int sig = 1; sig < PS_NSIG; sig++)
		if ((sigproptbl[sig] & SA_IGNORE) != 0 && sig != PS_SIGCONT)
			ps->ps_sigignore |= SIGMASK(sig);
	return ps;
}

struct sigacts *
sigacts_hold(struct sigacts *ps)
{
	PS_ASSERT(ps->ps_refcnt > 0);
	ps->ps_refcnt++;
	return ps;
}

void
sigacts_free(struct sigacts *ps)
{
	if (ps != NULL && --ps->ps_refcnt == 0)
		free(ps);
}

/*
 * Make p's actions its own before they change.  A copy shared with other
 * processes (fork shares it) is duplicated and p's reference moves to the
 * duplicate; the others keep what they had.  PS_ENOMEM leaves p unchanged.
 */
int
sigacts_unshare(struct proc *p)
{
	struct sigacts *ps = p->p_sigacts, *nps;

	if (ps->ps_refcnt == 1)
		return 0;
	if ((nps = malloc(sizeof(*nps))) == NULL)
		return PS_ENOMEM;
	*nps = *ps;
	nps->ps_refcnt = 1;
	ps->ps_refcnt--;
	p->p_sigacts = nps;
	return 0;
}

enum sig_action { ACT_DFL, ACT_IGN, ACT_CATCH, ACT_HOLD };

static enum sig_action
sig_action(const struct proc *p, int sig)
{
	uint64_t h = p->p_sigacts->ps_sigact[sig];

	if (h == PS_SIG_DFL)
		return ACT_DFL;
	if (h == PS_SIG_IGN)
		return ACT_IGN;
	return ACT_CATCH;
}

/* What an interrupted sleep returns: EINTR unless the handler restarts. */
static int
sig_intrval(const struct proc *p, int sig, enum sig_action action)
{
	if (action == ACT_CATCH && (p->p_sigacts->ps_sigrestart & SIGMASK(sig)) == 0)
		return PS_EINTR;
	return ERESTART;
}

/* --- the signal queue (FreeBSD's sigqueue_t, for one process) --- */

static void
sigqueue_add(struct proc *p, int sig, struct ksiginfo *ksi)
{
	if (ksi == NULL) {
		p->p_sigkill |= SIGMASK(sig);
	} else if (!KSI_ONQ(ksi)) {
		ksi->ksi_signo = sig;
		TAILQ_INSERT_TAIL(&p->p_sigq, ksi, ksi_link);
		ksi->ksi_sigq = p;
	}
	p->p_siglist |= SIGMASK(sig);
}

static bool
sigqueue_has_record(const struct proc *p, int sig)
{
	const struct ksiginfo *ksi;

	TAILQ_FOREACH(ksi, &p->p_sigq, ksi_link)
		if (ksi->ksi_signo == sig)
			return true;
	return false;
}

/*
 * Take ksi off the queue it is on (a child's record at its parent): the
 * signal stays pending only if another record or a plain instance of it
 * remains.
 */
void
sigqueue_take(struct kernel *k, struct ksiginfo *ksi)
{
	struct proc *p = ksi->ksi_sigq;

	(void)k;
	if (p == NULL)
		return;
	PROC_LOCK_ASSERT(p, MA_OWNED);
	TAILQ_REMOVE(&p->p_sigq, ksi, ksi_link);
	ksi->ksi_sigq = NULL;
	if ((p->p_sigkill & SIGMASK(ksi->ksi_signo)) == 0 &&
	    !sigqueue_has_record(p, ksi->ksi_signo))
		p->p_siglist &= ~SIGMASK(ksi->ksi_signo);
}

/* Every instance of sig is discarded. */
void
sigqueue_delete(struct proc *p, int sig)
{
	struct ksiginfo *ksi, *nksi;

	if ((p->p_siglist & SIGMASK(sig)) == 0)
		return;
	TAILQ_FOREACH_SAFE(ksi, &p->p_sigq, ksi_link, nksi) {
		if (ksi->ksi_signo == sig) {
			TAILQ_REMOVE(&p->p_sigq, ksi, ksi_link);
			ksi->ksi_sigq = NULL;
		}
	}
	p->p_sigkill &= ~SIGMASK(sig);
	p->p_siglist &= ~SIGMASK(sig);
}

static void
sigqueue_delete_set(struct proc *p, sigset32_t set)
{
	for (int sig = 1; sig < PS_NSIG; sig++)
		if ((set & SIGMASK(sig)) != 0)
			sigqueue_delete(p, sig);
}

/* Everything pending is discarded (exit, E32). */
void
sigqueue_flush(struct proc *p)
{
	struct ksiginfo *ksi;

	while ((ksi = TAILQ_FIRST(&p->p_sigq)) != NULL) {
		TAILQ_REMOVE(&p->p_sigq, ksi, ksi_link);
		ksi->ksi_sigq = NULL;
	}
	p->p_sigkill = 0;
	p->p_siglist = 0;
}

/*
 * One instance of sig is taken for delivery (sigqueue_get): a plain one
 * first, else the oldest record.  The signal stays pending while another
 * instance remains, and is delivered again.
 */
static void
sigqueue_get(struct proc *p, int sig)
{
	struct ksiginfo *ksi, *nksi;
	int count = 0;

	if ((p->p_sigkill & SIGMASK(sig)) != 0) {
		p->p_sigkill &= ~SIGMASK(sig);
		count = 1;
	}
	TAILQ_FOREACH_SAFE(ksi, &p->p_sigq, ksi_link, nksi) {
		if (ksi->ksi_signo != sig)
			continue;
		if (count == 0) {
			TAILQ_REMOVE(&p->p_sigq, ksi, ksi_link);
			ksi->ksi_sigq = NULL;
		}
		if (++count > 1)
			break;
	}
	if (count <= 1)
		p->p_siglist &= ~SIGMASK(sig);
}

/* --- notices to the parent (childproc_*) --- */

/*
 * sigparent: fill p's record and queue it at its parent with SIGCHLD,
 * unless it is queued there already (then only its contents change).
 */
static void
sigparent(struct kernel *k, struct proc *p, int reason, int status)
{
	struct ksiginfo *ksi = &p->p_ksi;
	pid_t_ saved = k->sig_sender;

	PROC_LOCK_ASSERT(p, MA_OWNED);
	PROC_LOCK_ASSERT(p->p_pptr, MA_OWNED);
	ksi->ksi_signo = PS_SIGCHLD;
	ksi->ksi_code = reason;
	ksi->ksi_status = status;
	ksi->ksi_pid = p->p_pid;
	ksi->ksi_uid = p->p_ucred.cr_ruid;
	if (KSI_ONQ(ksi))
		return;
	k->sig_sender = p->p_pid;
	pksignal(k, p->p_pptr, PS_SIGCHLD, ksi);
	k->sig_sender = saved;
}

/*
 * A child stopped or continued (childproc_jobstate): the parent rescans
 * (P_STATCHILD), is woken, and gets SIGCHLD unless it set SA_NOCLDSTOP.
 */
static void
childproc_jobstate(struct kernel *k, struct proc *p, int reason, int status)
{
	struct proc *pp = p->p_pptr;

	PROC_LOCK_ASSERT(p, MA_OWNED);
	if (pp == NULL)
		return;
	PROC_LOCK(pp);
	pp->p_flag |= P_STATCHILD;
	wakeup(k, WCHAN(WCHAN_PROC, pp->p_pid));
	if ((pp->p_sigacts->ps_flag & PS_NOCLDSTOP) == 0)
		sigparent(k, p, reason, status);
	PROC_UNLOCK(pp);
}

void
childproc_stopped(struct kernel *k, struct proc *p, int reason)
{
	childproc_jobstate(k, p, reason, p->p_xstat);
}

void
childproc_continued(struct kernel *k, struct proc *p)
{
	childproc_jobstate(k, p, PS_CLD_CONTINUED, PS_SIGCONT);
}

/*
 * E30 for a parent that is not init and whose child signals with SIGCHLD:
 * CLD_EXITED, CLD_KILLED or CLD_DUMPED.  The 2008 kernel puts the whole
 * status word in the record; later kernels the exit status or signal.
 */
void
childproc_exited(struct kernel *k, struct proc *p)
{
	int xs = p->p_xstat, reason, status;

	if ((xs & WCOREFLAG) != 0)
		reason = PS_CLD_DUMPED;
	else if ((xs & 0177) != 0)
		reason = PS_CLD_KILLED;
	else
		reason = PS_CLD_EXITED;
	status = xs;
	if (k->k_cfg.exit_compat == PS_EXIT_MODERN)
		status = reason == PS_CLD_EXITED ? (xs >> 8) & 0xff : xs & 0177;
	sigparent(k, p, reason, status);
}

/* --- stopping and continuing --- */

static void
proc_stop(struct kernel *k, struct proc *p, int sig)
{
	PROC_LOCK_ASSERT(p, MA_OWNED);
	p->p_flag |= P_STOPPED_SIG;
	p->p_flag &= ~(P_WAITED | P_CONTINUED);
	p->p_xstat = sig;
	thread_suspend_all(k, p);
	kevent_emit(k, PS_EV_STOP, p, 0, sig, 0, "signal");
	childproc_stopped(k, p, PS_CLD_STOPPED);
}

/* A debugger's stop (ptracestop): both stop bits, the signal in p_xstat. */
void
proc_trace_stop(struct kernel *k, struct proc *p, int sig)
{
	PROC_LOCK_ASSERT(p, MA_OWNED);
	p->p_flag |= P_STOPPED_SIG | P_STOPPED_TRACE;
	p->p_flag &= ~P_WAITED;
	p->p_xstat = sig;
	thread_suspend_all(k, p);
	kevent_emit(k, PS_EV_STOP, p, 0, sig, 0, "trace");
	childproc_stopped(k, p, PS_CLD_TRAPPED);
}

static void
proc_continue(struct kernel *k, struct proc *p, bool report)
{
	PROC_LOCK_ASSERT(p, MA_OWNED);
	p->p_flag &= ~P_STOPPED_SIG;
	kevent_emit(k, PS_EV_CONTINUE, p, 0, report ? PS_SIGCONT : PS_SIGKILL, 0, NULL);
	if (report) {
		p->p_flag |= P_CONTINUED;
		p->p_xstat = PS_SIGCONT;
		childproc_continued(k, p);
	}
	thread_unsuspend_all(k, p);
}

static void
sig_discard(struct kernel *k, struct proc *p, int sig, const char *why)
{
	kevent_emit(k, PS_EV_SIGNAL_DISCARD, p, 0, sig, 0, why);
}

/*
 * The signal reaches a process that is not stopped (tdsigwakeup).  A
 * thread asleep interruptibly in a system call is woken with EINTR or
 * ERESTART, except by a default SIGCONT, which is dropped.  Otherwise the
 * process delivers the signal on its way back to user mode.
 */
static void
tdsigwakeup(struct kernel *k, struct proc *p, int sig, enum sig_action action, int intrval)
{
	struct thread *td = p->p_threads;

	if ((td->td_inhibitors & TDI_SLEEPING) != 0 && (td->td_flags & TDF_SINTR) != 0) {
		if ((sig_prop(sig) & SA_CONT) != 0 && action == ACT_DFL) {
			sigqueue_delete(p, sig);
			return;
		}
		sleepq_abort(k, td, intrval);
		return;
	}
	signotify(k, p);
}

/* The caller made itself or a sleeping process the target: true if p is
 * parked in the kernel somewhere a default stop or kill acts at once. */
static bool
proc_parked(struct kernel *k, const struct proc *p)
{
	return p != k->curproc && p->p_pid > 1 && (p->p_flag & (P_WEXIT | P_SYSTEM)) == 0;
}

/*
 * Post sig to p with an optional siginfo record (FreeBSD tdsendsignal with
 * the process as target).  The sender recorded in the event is
 * k->sig_sender.  At the object level a process other than the caller is
 * parked in the kernel, interruptibly: a default stop takes effect at once,
 * everything else on its way back to user mode.
 */
void
pksignal(struct kernel *k, struct proc *p, int sig, struct ksiginfo *ksi)
{
	int prop = sig_prop(sig), intrval;
	enum sig_action action = sig_action(p, sig);
	struct thread *td = p->p_threads;

	PROC_LOCK_ASSERT(p, MA_OWNED);
	PS_ASSERT(sig > 0 && sig < PS_NSIG);
	kevent_emit(k, PS_EV_SIGNAL_SEND, p, k->sig_sender, sig, 0, NULL);
	if (p->p_state == PRS_ZOMBIE) {
		sig_discard(k, p, sig, "zombie");
		return;
	}
	/*
	 * ps_sigignore holds the signals set to SIG_IGN and those ignored by
	 * default, but never SIGCONT: an ignored SIGCONT still continues a
	 * stopped process (below) and is dropped at delivery.  A traced
	 * process is no exception (FreeBSD 7 and later tdsendsignal): its
	 * debugger never sees an ignored signal.
	 */
	if ((p->p_sigacts->ps_sigignore & SIGMASK(sig)) != 0) {
		sig_discard(k, p, sig, "ignored");
		return;
	}
	if ((td->td_sigmask & SIGMASK(sig)) != 0)
		action = ACT_HOLD;
	intrval = sig_intrval(p, sig, action);

	if ((prop & SA_CONT) != 0) {
		sigqueue_delete_set(p, STOPSIGMASK);
	} else if ((prop & SA_STOP) != 0) {
		if ((prop & SA_TTYSTOP) != 0 && p->p_pgrp->pg_jobc == 0 && action == ACT_DFL) {
			sig_discard(k, p, sig, "tty stop signal to an orphaned process group");
			return;
		}
		sigqueue_delete(p, PS_SIGCONT);
		if ((p->p_flag & P_CONTINUED) != 0) {
			p->p_flag &= ~P_CONTINUED;
			struct proc *pp = p->p_ksi.ksi_sigq;

			/* The parent's unreported CLD_CONTINUED notice goes too. */
			if (pp != NULL) {
				PROC_LOCK(pp);
				sigqueue_take(k, &p->p_ksi);
				PROC_UNLOCK(pp);
			}
		}
	}
	sigqueue_add(p, sig, ksi);

	/* Held signals wait, but a stopped process is continued by SIGCONT. */
	if (action == ACT_HOLD && !((prop & SA_CONT) != 0 && (p->p_flag & P_STOPPED_SIG) != 0))
		return;

	if (P_SHOULDSTOP(p) != 0) {
		if ((p->p_flag & P_TRACED) != 0)
			return; /* The debugger has it stopped; nothing restarts it. */
		if (sig == PS_SIGKILL) {
			/* SIGKILL makes it run, to die. */
			if ((td->td_inhibitors & TDI_SLEEPING) != 0)
				sleepq_abort(k, td, intrval);
			proc_continue(k, p, false);
			return;
		}
		if ((prop & SA_CONT) != 0) {
			proc_continue(k, p, true);
			if (action == ACT_DFL)
				sigqueue_delete(p, sig);
			else if (action == ACT_CATCH)
				tdsigwakeup(k, p, sig, action, intrval);
			return;
		}
		if ((prop & SA_STOP) != 0) {
			/* Already stopped: the signal goes. */
			sigqueue_delete(p, sig);
			return;
		}
		/* Anything else: a sleep is interrupted, the process stays stopped. */
		if ((td->td_inhibitors & TDI_SLEEPING) != 0 && (td->td_flags & TDF_SINTR) != 0 &&
		    action != ACT_IGN)
			sleepq_abort(k, td, intrval);
		return;
	}
	if ((p->p_flag & P_TRACED) == 0 && action == ACT_DFL && (prop & SA_STOP) != 0 &&
	    proc_parked(k, p)) {
		if ((p->p_flag & P_PPWAIT) != 0)
			return;
		sigqueue_delete(p, sig);
		proc_stop(k, p, sig);
		return;
	}
	tdsigwakeup(k, p, sig, action, intrval);
}

void
kern_psignal(struct kernel *k, struct proc *p, int sig)
{
	pksignal(k, p, sig, NULL);
}

/*
 * Would a pending signal interrupt a sleep that td starts now?  (msleep
 * with PCATCH runs issignal before sleeping.)  A default stop signal stops
 * the process there and then, and the sleep goes on (stopped and asleep);
 * a terminal stop signal in an orphaned group is dropped.  Returns EINTR
 * or ERESTART for a signal that would be caught or kill, else 0.
 */
int
sig_sleep_intr(struct kernel *k, struct thread *td)
{
	struct proc *p = td->td_proc;
	sigset32_t pending = p->p_siglist & ~(td->td_sigmask & ~CANTMASK);

	PROC_LOCK_ASSERT(p, MA_OWNED);
	for (int sig = 1; sig < PS_NSIG; sig++) {
		if ((pending & SIGMASK(sig)) == 0)
			continue;
		enum sig_action action = sig_action(p, sig);
		int prop = sig_prop(sig);

		if ((p->p_flag & P_TRACED) != 0 || action == ACT_CATCH ||
		    (action == ACT_DFL && (prop & SA_KILL) != 0))
			return sig_intrval(p, sig, action);
		if (action == ACT_DFL && (prop & SA_STOP) != 0 && P_SHOULDSTOP(p) == 0 &&
		    p->p_pid > 1 && (p->p_flag & P_SYSTEM) == 0) {
			sigqueue_get(p, sig);
			if ((prop & SA_TTYSTOP) != 0 && p->p_pgrp->pg_jobc == 0) {
				sig_discard(k, p, sig, "tty stop signal to an orphaned process group");
				continue;
			}
			kevent_emit(k, PS_EV_SIGNAL_DELIVER, p, 0, sig, 0, "stop");
			proc_stop(k, p, sig);
		}
	}
	return 0;
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
int
cursig(struct proc *p)
{
	sigset32_t pending = p->p_siglist & ~(p->p_threads->td_sigmask & ~CANTMASK);

	if (P_SHOULDSTOP(p) != 0)
		pending &= SIGMASK(PS_SIGKILL);
	if (pending == 0)
		return 0;
	return __builtin_ctz(pending) + 1;
}

static bool postsig_act(struct kernel *k, struct proc *p, int sig, bool traced);

/* The siginfo the next sigqueue_get(sig) takes: a record's, if no plain one. */
static void
sigqueue_peek(const struct proc *p, int sig, struct ksiginfo *out)
{
	const struct ksiginfo *ksi;

	if ((p->p_sigkill & SIGMASK(sig)) != 0)
		return;
	TAILQ_FOREACH(ksi, &p->p_sigq, ksi_link) {
		if (ksi->ksi_signo == sig) {
			out->ksi_code = ksi->ksi_code;
			out->ksi_pid = ksi->ksi_pid;
			out->ksi_uid = ksi->ksi_uid;
			out->ksi_status = ksi->ksi_status;
			return;
		}
	}
}

/*
 * Take one signal's action for p (issignal and postsig): a traced process
 * stops for its debugger first.  Returns false when p has exited; its lock
 * is then released.
 */
bool
postsig(struct kernel *k, struct proc *p, int sig)
{
	PROC_LOCK_ASSERT(p, MA_OWNED);
	if ((p->p_flag & P_TRACED) != 0 && (p->p_flag & P_PPTRACE) == 0 && sig != PS_SIGKILL) {
		/* The debugger sees every signal first: a trace stop (issignal). */
		struct thread *td = k->curthread != NULL && k->curthread->td_proc == p
		                        ? k->curthread : p->p_threads;
		struct ksiginfo ksi;

		memset(&ksi, 0, sizeof(ksi));
		ksi.ksi_signo = sig;
		ksi.ksi_code = PS_SI_USER;
		sigqueue_peek(p, sig, &ksi);
		sigqueue_get(p, sig);
		ptracestop(k, td, sig, PTS_SIGNAL, &ksi);
		return true;
	}
	sigqueue_get(p, sig);
	return postsig_act(k, p, sig, false);
}

/* The replacement signal goes back on the queue (issignal after ptracestop). */
void
sigqueue_requeue(struct proc *p, int sig)
{
	sigqueue_add(p, sig, NULL);
}

/*
 * Act on the signal a debugger handed back (issignal after ptracestop,
 * still traced): no second trace stop, and a default stop is ignored.
 * Returns false when p has exited; its lock is then released.
 */
bool
postsig_traced(struct kernel *k, struct proc *p, struct thread *td, int sig)
{
	(void)td;
	PROC_LOCK_ASSERT(p, MA_OWNED);
	return postsig_act(k, p, sig, true);
}

static bool
postsig_act(struct kernel *k, struct proc *p, int sig, bool traced)
{
	int prop = sig_prop(sig);
	enum sig_action action = sig_action(p, sig);
	int xstat;

	PROC_LOCK_ASSERT(p, MA_OWNED);
	if (action == ACT_IGN) {
		sig_discard(k, p, sig, "ignored");
		return true;
	}
	if (action == ACT_CATCH) {
		p->p_ru.nsignals++;
		kevent_emit(k, PS_EV_SIGNAL_DELIVER, p, 0, sig, 0, "handler");
		if (P_RUNNER(p)) {
			/* The handler runs on the thread's stack (kern_trap.c). */
			struct thread *td = k->curthread != NULL && k->curthread->td_proc == p
			                        ? k->curthread : p->p_threads;
			sigset32_t returnmask = td->td_sigmask;

			if ((td->td_flags & TDF_OLDMASK) != 0) {
				td->td_flags &= ~TDF_OLDMASK;
				returnmask = td->td_sa.sf_oldmask;
			}
			return sendsig(k, td, sig, returnmask);
		}
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
		if (traced) {
			sig_discard(k, p, sig, "stop signal to a traced process");
			return true;
		}
		if ((prop & SA_TTYSTOP) != 0 && p->p_pgrp->pg_jobc == 0) {
			sig_discard(k, p, sig, "tty stop signal to an orphaned process group");
			return true;
		}
		kevent_emit(k, PS_EV_SIGNAL_DELIVER, p, 0, sig, 0, "stop");
		proc_stop(k, p, sig);
		return true;
	}
	PS_ASSERT((prop & SA_KILL) != 0);
	p->p_ru.nsignals++;
	xstat = W_EXITCODE(0, sig);
	if ((prop & SA_CORE) != 0 && k->k_cfg.coredump)
		xstat |= WCOREFLAG;
	kevent_emit(k, PS_EV_SIGNAL_DELIVER, p, 0, sig, 0,
	            (xstat & WCOREFLAG) != 0 ? "terminate (core dumped)" : "terminate");
	PROC_UNLOCK(p);
	exit1(k, p, xstat);
	return false;
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
	struct sigacts *ps = p->p_sigacts;
	uint64_t h;

	if (sig <= 0 || sig >= PS_NSIG)
		return PS_EINVAL;
	if (act != NULL && act->handler != PS_SIG_DFL && (sig == PS_SIGKILL || sig == PS_SIGSTOP))
		return PS_EINVAL;
	if (act != NULL && sigacts_unshare(p) != 0)
		return PS_ENOMEM;
	ps = p->p_sigacts;
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
			sigqueue_delete(p, sig);
			if (sig != PS_SIGCONT)
				ps->ps_sigignore |= SIGMASK(sig);
		} else if (h != PS_SIG_DFL) {
			ps->ps_sigcatch |= SIGMASK(sig);
		}
	}
	PROC_UNLOCK(p);
	return 0;
}

/*
 * A synchronous signal from a fault or a trap instruction (trapsignal): a
 * handler that is neither masked nor ignored gets it at once; otherwise the
 * signal cannot be held back, so it reverts to the default action and is
 * unmasked, and the process is killed (or stopped, for a traced process,
 * by the debugger's stop in postsig).
 */
void
trapsignal(struct kernel *k, struct thread *td, int sig)
{
	struct proc *p = td->td_proc;
	struct sigacts *ps = p->p_sigacts;

	PROC_LOCK(p);
	if ((p->p_flag & P_TRACED) == 0 && (ps->ps_sigcatch & SIGMASK(sig)) != 0 &&
	    (td->td_sigmask & SIGMASK(sig)) == 0) {
		p->p_ru.nsignals++;
		kevent_emit(k, PS_EV_SIGNAL_DELIVER, p, 0, sig, 0, "handler");
		if (sendsig(k, td, sig, td->td_sigmask))
			PROC_UNLOCK(p);
		return;
	}
	if ((td->td_sigmask & SIGMASK(sig)) != 0 || (ps->ps_sigignore & SIGMASK(sig)) != 0) {
		if (sigacts_unshare(p) != 0) {
			/*
			 * No memory for a private copy of the actions: the
			 * signal can neither be caught nor held back, so the
			 * process dies of it, as the reset would have led to
			 * for every signal a trap raises.
			 */
			kevent_emit(k, PS_EV_FAULT, p, 0, sig, sig, "no memory to reset the action");
			PROC_UNLOCK(p);
			exit1(k, p, W_EXITCODE(0, sig));
			return;
		}
		ps = p->p_sigacts;
		ps->ps_sigact[sig] = PS_SIG_DFL;
		ps->ps_sigcatch &= ~SIGMASK(sig);
		ps->ps_sigignore &= ~SIGMASK(sig);
		td->td_sigmask &= ~SIGMASK(sig);
	}
	kern_psignal(k, p, sig);
	PROC_UNLOCK(p);
}

/*
 * sigprocmask(2) for td: how is 1 (block), 2 (unblock) or 3 (set).  *old
 * (may be NULL) gets the mask before the call, only on success.  SIGKILL
 * and SIGSTOP cannot be blocked.  Newly unblocked pending signals are
 * delivered on the way back to user mode.
 */
int
kern_sigprocmask(struct kernel *k, struct thread *td, int how, sigset32_t set, sigset32_t *old)
{
	struct proc *p = td->td_proc;
	sigset32_t was = td->td_sigmask;

	set &= ~(SIGMASK(PS_SIGKILL) | SIGMASK(PS_SIGSTOP));
	PROC_LOCK(p);
	switch (how) {
	case 1:
		td->td_sigmask |= set;
		break;
	case 2:
		td->td_sigmask &= ~set;
		break;
	case 3:
		td->td_sigmask = set;
		break;
	default:
		PROC_UNLOCK(p);
		return PS_EINVAL;
	}
	PROC_UNLOCK(p);
	if (old != NULL)
		*old = was;
	if ((p->p_siglist & ~td->td_sigmask) != 0)
		ast_enqueue(k, td);
	return 0;
}
