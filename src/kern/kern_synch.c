/*
 * Sleeping and waking, and the way back to user mode.
 *
 * A system call that must wait (wait4 with nothing to report, pause, a
 * terminal read with no input) puts its thread on the sleep queue of a wait
 * channel (sleepq_sleep, FreeBSD's msleep) and returns EJUSTSLEPT; the call
 * stays recorded in the thread's syscall frame.  wakeup(chan) takes every
 * thread off chan's queue in the order they went to sleep; a signal that
 * interrupts an interruptible sleep takes one thread off with EINTR or
 * ERESTART (sleepq_abort).  A thread that is no longer inhibited (neither
 * asleep nor suspended by a stop) goes on the AST list; a thread of a
 * process that runs a program goes to the scheduler instead, and passes
 * userret on its CPU before its next instruction (kern_trap.c).
 *
 * ast_run() plays each listed thread's return to user mode (userret): a
 * woken call is resumed (kern_wait's "goto loop"), the pending signals are
 * delivered one by one, and a call interrupted with ERESTART is made again
 * from the top after the handler has run.  For processes that run no
 * program, ast_run() is called at the end of every operation and scheduler
 * step, so a woken call completes within the operation that woke it.
 */
#include <stdlib.h>
#include <string.h>

#include "base/assert.h"
#include "kern/kern.h"

int
sleepq_init(struct kernel *k)
{
	TAILQ_INIT(&k->astq);
	return sleepq_resize(k, k->pidhash + 1);
}

static struct sleepqhead *SLEEPQ(struct kernel *k, uint64_t wchan);

/*
 * Give the sleep queues n buckets (a power of two), as the process tables
 * grow (proc_tables_grow).  Sleepers move bucket by bucket in queue order,
 * so the sleepers of one channel, which always share a bucket, keep the
 * order they went to sleep in: wakeup order is unchanged.  PS_ENOMEM
 * leaves the queues as they were.
 */
int
sleepq_resize(struct kernel *k, uint32_t n)
{
	struct sleepqhead *old = k->sleepq, *sq = calloc(n, sizeof(*sq));
	uint32_t oldn = old != NULL ? k->sleepqmask + 1 : 0;
	struct thread *td;

	if (sq == NULL)
		return PS_ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		TAILQ_INIT(&sq[i]);
	k->sleepq = sq;
	k->sleepqmask = n - 1;
	for (uint32_t b = 0; b < oldn; b++)
		while ((td = TAILQ_FIRST(&old[b])) != NULL) {
			TAILQ_REMOVE(&old[b], td, td_slpq);
			TAILQ_INSERT_TAIL(SLEEPQ(k, td->td_wchan), td, td_slpq);
		}
	free(old);
	return 0;
}

void
sleepq_fini(struct kernel *k)
{
	free(k->sleepq);
	k->sleepq = NULL;
}

/*
 * A channel's queue.  Channels are a kind and an id (a pid, a tid, a
 * terminal); consecutive ids of one kind land in consecutive buckets, so
 * that the processes created together, which tend to sleep and wake
 * together, share cache lines instead of scattering over a table that
 * holds a bucket per possible process.  Each kind starts at its own odd
 * offset.  Which threads share a bucket never shows: wakeup takes the
 * sleepers of one channel in the order they went to sleep.
 */
static struct sleepqhead *
SLEEPQ(struct kernel *k, uint64_t wchan)
{
	uint32_t kind = (uint32_t)(wchan >> 32), id = (uint32_t)wchan;

	return &k->sleepq[(id + kind * 0x9e3779b9u) & k->sleepqmask];
}

/*
 * td's inhibitors changed.  A runner that can no longer run leaves its CPU
 * or the run queue; one that can run again is made runnable by
 * ast_enqueue.
 */
static void
td_setstate(struct kernel *k, struct thread *td)
{
	/* Thread and scheduler state change under no process lock. */
	CHK_TOUCH(k, chk_touch_proc, td->td_proc);
	if (td->td_inhibitors != 0) {
		if (P_RUNNER(td->td_proc))
			sched_rem(k, td);
		td->td_state = TDS_INHIBITED;
	} else if (td->td_oncpu < 0 && !TAILQ_LINKED(td, td_runq)) {
		td->td_state = TDS_CAN_RUN;
	}
}

/* Put td on the AST list, unless it cannot run or is listed already. */
void
ast_enqueue(struct kernel *k, struct thread *td)
{
	CHK_TOUCH(k, chk_touch_proc, td->td_proc);
	if (P_RUNNER(td->td_proc)) {
		/* A runner passes userret on its CPU, before its next instruction. */
		td->td_flags |= TDF_ASTPENDING;
		if (td->td_inhibitors == 0 && td->td_proc->p_state == PRS_NORMAL &&
		    (td->td_proc->p_flag & P_WEXIT) == 0)
			sched_add(k, td);
		return;
	}
	if (td->td_inhibitors != 0 || TAILQ_LINKED(td, td_astq))
		return;
	if (td->td_proc->p_state != PRS_NORMAL)
		return;
	TAILQ_INSERT_TAIL(&k->astq, td, td_astq);
}

/*
 * p has something to deliver: its threads should pass userret (the first
 * one that does takes the signal; a program's other threads only look).
 */
void
signotify(struct kernel *k, struct proc *p)
{
	if (p->p_threads == NULL)
		return;
	if (!P_RUNNER(p)) {
		ast_enqueue(k, p->p_threads);
		return;
	}
	for (struct thread *td = p->p_threads; td != NULL; td = td->td_plist)
		ast_enqueue(k, td);
}

const char *
syscall_name(int code)
{
	static const char *const names[] = {
		[PS_SYS_NONE] = "none",
		[PS_SYS_WAIT4] = "wait4",
		[PS_SYS_WAIT6] = "wait6",
		[PS_SYS_PAUSE] = "pause",
		[PS_SYS_SIGSUSPEND] = "sigsuspend",
		[PS_SYS_READ] = "read",
		[PS_SYS_WRITE] = "write",
		[PS_SYS_NANOSLEEP] = "nanosleep",
		[PS_SYS_TCSETPGRP] = "tcsetpgrp",
	};

	if (code < 0 || code >= (int)(sizeof(names) / sizeof(names[0])))
		return "?";
	return names[code];
}

/*
 * msleep: td sleeps on wchan.  With catch (PCATCH), a pending signal that
 * would interrupt the sleep makes the call return at once with EINTR or
 * ERESTART instead.  Returns 0 when td is asleep: its caller then returns
 * EJUSTSLEPT, and the call resumes when td is woken.
 */
int
sleepq_sleep(struct kernel *k, struct thread *td, uint64_t wchan, const char *wmesg, bool catch)
{
	struct proc *p = td->td_proc;
	int intr;

	PS_ASSERT(td->td_wchan == 0 && (td->td_inhibitors & TDI_SLEEPING) == 0);
	PS_ASSERT(wchan != 0);
	if (catch && (intr = sig_sleep_intr(k, td)) != 0)
		return intr;
	td->td_wchan = wchan;
	td->td_wmesg = wmesg;
	td->td_intrval = 0;
	if (catch)
		td->td_flags |= TDF_SINTR;
	td->td_inhibitors |= TDI_SLEEPING;
	td_setstate(k, td);
	TAILQ_INSERT_TAIL(SLEEPQ(k, wchan), td, td_slpq);
	k->nsleeping++;
	td->td_sa.sf_state = SFS_SLEEPING;
	td->td_sa.sf_slept++;
	p->p_ru.nvcsw++;
	if (TAILQ_LINKED(td, td_astq))
		TAILQ_REMOVE(&k->astq, td, td_astq);
	kevent_emit(k, PS_EV_SLEEP, p, 0, 0, td->td_tid, wmesg);
	return 0;
}

/* Take td off its sleep queue; intrval is what the sleep returns. */
static void
sleepq_resume(struct kernel *k, struct thread *td, int intrval, bool report)
{
	const char *wmesg = td->td_wmesg;

	PS_ASSERT((td->td_inhibitors & TDI_SLEEPING) != 0);
	TAILQ_REMOVE(SLEEPQ(k, td->td_wchan), td, td_slpq);
	k->nsleeping--;
	td->td_wchan = 0;
	td->td_wmesg = NULL;
	td->td_flags &= ~TDF_SINTR;
	td->td_inhibitors &= ~TDI_SLEEPING;
	td->td_intrval = (int16_t)intrval;
	td_setstate(k, td);
	if (!report)
		return;
	td->td_sa.sf_state = SFS_WOKEN;
	kevent_emit(k, PS_EV_WAKEUP, td->td_proc, 0, 0,
	            intrval == 0 ? 0 : intrval == ERESTART ? 1 : 2,
	            intrval == 0 ? wmesg : intrval == ERESTART ? "restart" : "interrupted");
	ast_enqueue(k, td);
}

/* wakeup(9): every thread asleep on wchan, in the order they slept. */
void
wakeup(struct kernel *k, uint64_t wchan)
{
	struct sleepqhead *sq = SLEEPQ(k, wchan);
	struct thread *td, *ntd;

	TAILQ_FOREACH_SAFE(td, sq, td_slpq, ntd)
		if (td->td_wchan == wchan)
			sleepq_resume(k, td, 0, true);
}

/* A signal interrupts td's sleep: the call returns intrval. */
void
sleepq_abort(struct kernel *k, struct thread *td, int intrval)
{
	PS_ASSERT(intrval == PS_EINTR || intrval == ERESTART);
	if ((td->td_inhibitors & TDI_SLEEPING) == 0 || (td->td_flags & TDF_SINTR) == 0)
		return;
	sleepq_resume(k, td, intrval, true);
}

/* Forget whatever td was doing: it is being destroyed (exit). */
void
thread_abandon(struct kernel *k, struct thread *td)
{
	if ((td->td_inhibitors & TDI_SLEEPING) != 0)
		sleepq_resume(k, td, 0, false);
	if (TAILQ_LINKED(td, td_astq))
		TAILQ_REMOVE(&k->astq, td, td_astq);
	sched_rem(k, td);
	td->td_inhibitors = 0;
	td->td_flags = 0;
	td->td_sa.sf_state = SFS_NONE;
	free(td->td_sa.sf_data);
	td->td_sa.sf_data = NULL;
	td->td_state = TDS_INACTIVE;
}

/* A stop suspends every thread of p; a sleeping one stays asleep too. */
void
thread_suspend_all(struct kernel *k, struct proc *p)
{
	for (struct thread *td = p->p_threads; td != NULL; td = td->td_plist) {
		td->td_inhibitors |= TDI_SUSPENDED;
		td_setstate(k, td);
		if (TAILQ_LINKED(td, td_astq))
			TAILQ_REMOVE(&k->astq, td, td_astq);
	}
}

/*
 * The stop is over: threads that are not asleep run again, except those a
 * debugger suspended (PT_SUSPEND) while the process is still traced.
 */
void
thread_unsuspend_all(struct kernel *k, struct proc *p)
{
	for (struct thread *td = p->p_threads; td != NULL; td = td->td_plist) {
		if ((td->td_dbgflags & TDB_SUSPEND) != 0 && (p->p_flag & P_TRACED) != 0)
			continue;
		td->td_inhibitors &= ~TDI_SUSPENDED;
		td_setstate(k, td);
		ast_enqueue(k, td);
	}
}

/* Threads still suspended in a process that is not stopped run again. */
void
thread_release_suspended(struct kernel *k, struct proc *p)
{
	for (struct thread *td = p->p_threads; td != NULL; td = td->td_plist) {
		if ((td->td_inhibitors & TDI_SUSPENDED) == 0)
			continue;
		td->td_inhibitors &= ~TDI_SUSPENDED;
		td_setstate(k, td);
		ast_enqueue(k, td);
	}
}

/* --- system calls that sleep --- */

struct sysent_ {
	int (*sy_start)(struct kernel *, struct thread *);  /* From the top. */
	int (*sy_resume)(struct kernel *, struct thread *); /* After the sleep. */
};

static const struct sysent_ sysent_[] = {
	[PS_SYS_WAIT4] = { kern_wait_start, kern_wait_resume },
	[PS_SYS_WAIT6] = { kern_wait_start, kern_wait_resume },
	[PS_SYS_PAUSE] = { kern_pause_start, kern_pause_resume },
	[PS_SYS_SIGSUSPEND] = { kern_pause_start, kern_pause_resume },
	[PS_SYS_READ] = { tty_read_start, tty_read_resume },
	[PS_SYS_WRITE] = { tty_write_start, tty_write_resume },
	[PS_SYS_NANOSLEEP] = { kern_nanosleep_start, kern_nanosleep_resume },
	[PS_SYS_TCSETPGRP] = { tty_spgrp_start, tty_spgrp_resume },
};

/* What a call's handler returned: asleep, to be restarted, or done. */
static void
syscall_finish(struct kernel *k, struct thread *td, int ret)
{
	struct syscall_frame *sf = &td->td_sa;

	if (ret == EJUSTSLEPT) {
		PS_ASSERT(sf->sf_state == SFS_SLEEPING);
		return;
	}
	/* Done or to be restarted: either way the thread goes back to user
	 * mode next, and takes its signals there (and its old mask). */
	ast_enqueue(k, td);
	if (ret == ERESTART) {
		sf->sf_state = SFS_RESTART;
		if (P_RUNNER(td->td_proc))
			trap_sleepable_done(k, td);
		return;
	}
	sf->sf_state = SFS_DONE;
	sf->sf_ret = ret;
	if (sf->sf_code == PS_SYS_SIGSUSPEND)
		td->td_flags |= TDF_OLDMASK;
	/* A program's calls all report their result; the API's only when
	 * they slept (the caller has the result of the others at once). */
	if (sf->sf_slept > 0 || P_RUNNER(td->td_proc))
		kevent_emit(k, PS_EV_SYSRET, td->td_proc, 0, 0, ret, syscall_name(sf->sf_code));
	if (P_RUNNER(td->td_proc))
		trap_sleepable_done(k, td);
}

/*
 * Make call code with args on td, from the top.  The frame records it; the
 * state it ends in (done, asleep, to be restarted) is left there.
 */
void
syscall_start(struct kernel *k, struct thread *td, int code, const int64_t *args, int nargs)
{
	struct syscall_frame *sf = &td->td_sa;

	PS_ASSERT(code > PS_SYS_NONE && code < (int)(sizeof(sysent_) / sizeof(sysent_[0])));
	PS_ASSERT(nargs >= 0 && nargs <= 4);
	free(sf->sf_data);
	memset(sf, 0, sizeof(*sf));
	sf->sf_code = (uint8_t)code;
	for (int i = 0; i < nargs; i++)
		sf->sf_args[i] = args[i];
	syscall_finish(k, td, sysent_[code].sy_start(k, td));
}

/* userret: what td does on its way back to user mode. */
void
userret(struct kernel *k, struct thread *td)
{
	struct proc *p = td->td_proc;
	struct syscall_frame *sf = &td->td_sa;
	int sig;

	for (uint32_t n = 0;; n++) {
		PS_ASSERT_MSG(n < SIGQ_PASSES_MAX, "pid %d: userret does not settle", p->p_pid);
		if (p->p_state != PRS_NORMAL || (p->p_flag & P_WEXIT) != 0 || td->td_inhibitors != 0)
			return;
		/* The end of a trace stop, or the stop a traced fork owes. */
		if (td->td_ptstop != PTS_NONE || (td->td_dbgflags & TDB_STOPATFORK) != 0) {
			if (!ptrace_userret(k, td))
				return;
			continue;
		}
		if (sf->sf_state == SFS_WOKEN) {
			syscall_finish(k, td, sysent_[sf->sf_code].sy_resume(k, td));
			continue;
		}
		PROC_LOCK(p);
		sig = cursig(p);
		if (sig != 0) {
			bool alive = postsig(k, p, sig);

			if (alive)
				PROC_UNLOCK(p);
			if (!alive)
				return;
			continue;
		}
		if ((td->td_flags & TDF_OLDMASK) != 0) {
			td->td_flags &= ~TDF_OLDMASK;
			td->td_sigmask = sf->sf_oldmask;
			PROC_UNLOCK(p);
			continue;
		}
		PROC_UNLOCK(p);
		if (sf->sf_state == SFS_RESTART && !P_RUNNER(p)) {
			syscall_finish(k, td, sysent_[sf->sf_code].sy_start(k, td));
			continue;
		}
		return;
	}
}

/*
 * Let every thread on the AST list return to user mode, in list order,
 * until the list is empty.  Runs between operations, with no lock held.
 */
void
ast_run(struct kernel *k)
{
	struct proc *saved = k->curproc;
	struct thread *td;

	PS_ASSERT(k->nheld == 0);
	for (uint32_t n = 0; (td = TAILQ_FIRST(&k->astq)) != NULL; n++) {
		PS_ASSERT_MSG(n < SIGQ_PASSES_MAX, "the AST list does not settle");
		TAILQ_REMOVE(&k->astq, td, td_astq);
		k->curproc = td->td_proc;
		k->sig_sender = 0;
		userret(k, td);
		PS_ASSERT(k->nheld == 0);
	}
	k->curproc = saved;
}

/* --- pause and sigsuspend --- */

int
kern_pause_start(struct kernel *k, struct thread *td)
{
	struct proc *p = td->td_proc;
	int error;

	if (td->td_sa.sf_code == PS_SYS_SIGSUSPEND) {
		td->td_sa.sf_oldmask = td->td_sigmask;
		td->td_sigmask = (sigset32_t)td->td_sa.sf_args[0] &
		                 ~(SIGMASK(PS_SIGKILL) | SIGMASK(PS_SIGSTOP));
	}
	PROC_LOCK(p);
	error = sleepq_sleep(k, td, WCHAN(WCHAN_PAUSE, p->p_pid), "pause", true);
	PROC_UNLOCK(p);
	if (error != 0) {
		if (td->td_sa.sf_code == PS_SYS_SIGSUSPEND)
			td->td_flags |= TDF_OLDMASK;
		return PS_EINTR; /* sigsuspend never restarts. */
	}
	return EJUSTSLEPT;
}

int
kern_pause_resume(struct kernel *k, struct thread *td)
{
	struct proc *p = td->td_proc;

	/* Nothing wakes this channel but a signal: sleep again otherwise. */
	if (td->td_intrval != 0)
		return PS_EINTR;
	PROC_LOCK(p);
	int error = sleepq_sleep(k, td, WCHAN(WCHAN_PAUSE, p->p_pid), "pause", true);
	PROC_UNLOCK(p);
	return error != 0 ? PS_EINTR : EJUSTSLEPT;
}
