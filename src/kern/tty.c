/*
 * Terminals, as far as sessions and job control need them ([ext] to the
 * seeds: FreeBSD's tty.c and tty_ttydisc.c).  A tty may be the controlling
 * terminal of one session (t_session), has a foreground group (t_pgrp) of
 * that session, and counts the sessions that point at it (t_sessioncnt)
 * and the vnode references sessions hold on it (t_vrefs, s_ttyvp).  Here
 * are TIOCSCTTY, TIOCSPGRP/TIOCGPGRP, the release hooks of pgdelete and
 * sess_release, the revoke a session leader's exit does, and terminal I/O:
 * read and write with the background check of job control
 * (tty_wait_background), the input and output queues, TOSTOP, and the
 * hangup of a lost carrier (ttydisc_modem, tty_signal_sessleader).
 *
 * Read and write are the sleepable system calls PS_SYS_READ and
 * PS_SYS_WRITE (kern_synch.c runs them).  Their frame:
 *   sf_args[0]  the device number;
 *   sf_args[1]  the caller's buffer (a user address), valid only while
 *               the public call that made the system call is running: the
 *               wrapper (sim_tty.c) clears it when it returns with the call
 *               still in progress;
 *   sf_args[2]  the length asked for;
 *   sf_targ[0]  write: bytes queued so far;
 *   sf_targ[1]  TTYF_* below;
 *   sf_data     read: the bytes read (sf_nbytes of them), for ps_sysret;
 *               write: a copy of the caller's bytes.
 * No line discipline: input is raw, a read takes what is queued.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <procsim/tty.h>

#include "base/assert.h"
#include "kern/kern.h"

_Static_assert(sizeof(((struct tty *)0)->t_inq) == PS_TTY_QUEUE_SIZE &&
                   sizeof(((struct tty *)0)->t_outq) == PS_TTY_QUEUE_SIZE,
               "terminal queues are PS_TTY_QUEUE_SIZE bytes");

/* sf_targ[1] of a terminal read or write. */
#define TTYF_POSTED 0x01 /* This call posted its background signal. */
#define TTYF_COPIED 0x02 /* write: the caller's bytes are in sf_data. */
#define TTYF_BGOK 0x04   /* write: the background check has let it through. */

struct tty *
tty_alloc(struct kernel *k, const char *name)
{
	struct tty *tp, *last = NULL;

	tp = calloc(1, sizeof(*tp));
	if (tp == NULL)
		return NULL;
	lock_init(&tp->t_mtx, LC_TTY);
	strncpy(tp->t_name, name, sizeof(tp->t_name) - 1);
	tp->t_dev = k->nttys;
	k->nttys++;
	/* Keep creation order: append. */
	LIST_FOREACH(last, &k->ttys, t_list)
		if (LIST_NEXT(last, t_list) == NULL)
			break;
	if (last == NULL)
		LIST_INSERT_HEAD(&k->ttys, tp, t_list);
	else
		LIST_INSERT_AFTER(last, tp, t_list);
	return tp;
}

struct tty *
tty_find_dev(struct kernel *k, int32_t dev)
{
	struct tty *tp;

	LIST_FOREACH(tp, &k->ttys, t_list)
		if (tp->t_dev == dev)
			return tp;
	return NULL;
}

void
tty_free_all(struct kernel *k)
{
	struct tty *tp, *ntp;

	LIST_FOREACH_SAFE(tp, &k->ttys, t_list, ntp) {
		LIST_REMOVE(tp, t_list);
		free(tp);
	}
}

/* pgdelete: the terminal forgets a dying foreground group.  Unlocks tp. */
void
tty_rel_pgrp(struct kernel *k, struct tty *tp, struct pgrp *pg)
{
	mtx_assert(&tp->t_mtx, MA_OWNED);
	if (tp->t_pgrp == pg)
		tp->t_pgrp = NULL;
	tty_unlock(tp);
}

/* sess_release: the terminal forgets a dying session.  Unlocks tp. */
void
tty_rel_sess(struct kernel *k, struct tty *tp, struct session *s)
{
	mtx_assert(&tp->t_mtx, MA_OWNED);
	if (tp->t_session == s) {
		tp->t_session = NULL;
		tp->t_pgrp = NULL;
	}
	PS_ASSERT(tp->t_sessioncnt > 0);
	tp->t_sessioncnt--;
	tty_unlock(tp);
}

/* Signal the foreground group, only members that have this ctty. */
void
tty_signal_pgrp(struct kernel *k, struct tty *tp, int sig)
{
	mtx_assert(&tp->t_mtx, MA_OWNED);
	if (tp->t_pgrp == NULL)
		return;
	PGRP_LOCK(tp->t_pgrp);
	pgsignal(k, tp->t_pgrp, sig, 1);
	PGRP_UNLOCK(tp->t_pgrp);
}

/* Wake every call asleep on tp: readers, writers, background waiters. */
static void
tty_wakeup_all(struct kernel *k, struct tty *tp)
{
	wakeup(k, WCHAN(WCHAN_TTYIN, tp->t_dev));
	wakeup(k, WCHAN(WCHAN_TTYOUT, tp->t_dev));
	wakeup(k, WCHAN(WCHAN_TTYBG, tp->t_dev));
}

/* VOP_REVOKE of the terminal's vnode: every open of it is invalidated. */
void
tty_revoke(struct kernel *k, struct tty *tp)
{
	sx_assert(&k->proctree_lock, SA_UNLOCKED);
	tty_lock(tp);
	tp->t_revokes++;
	tty_unlock(tp);
	kevent_emit(k, PS_EV_REVOKE, NULL, 0, 0, tp->t_dev, tp->t_name);
	/*
	 * Calls asleep on the terminal are woken: those made through the
	 * revoked vnode find it dead (read: end of file, write: EIO), the
	 * others go back to sleep.
	 */
	tty_wakeup_all(k, tp);
}

int
tty_is_ctty(struct tty *tp, struct proc *p)
{
	return p->p_session == tp->t_session && (p->p_flag & P_CONTROLT) != 0;
}

/*
 * TIOCSCTTY: only a session leader; EPERM when its session already has a
 * terminal, or the terminal belongs to another session that still holds
 * its vnode (once that session's leader has exited, the terminal may be
 * taken, as FreeBSD allows).  Success: the session holds the tty and a vnode reference,
 * the leader gets P_CONTROLT, its group becomes the foreground group.
 */
int
tty_ioctl_sctty(struct kernel *k, struct proc *p, struct tty *tp)
{
	struct session *s;
	int error = 0;

	sx_xlock(k, &k->proctree_lock);
	s = p->p_session;
	tty_lock(tp);
	if (!SESS_LEADER(p)) {
		error = PS_EPERM;
	} else if (tp->t_session == s && s->s_ttyp == tp) {
		error = 0; /* Already its controlling terminal. */
	} else if (s->s_ttyp != NULL ||
	           (tp->t_session != NULL && tp->t_session->s_ttyvp != NULL)) {
		/*
		 * The session has a terminal, or the terminal a session
		 * that still holds its vnode.  A terminal whose session
		 * leader has exited (vnode released) may be taken over.
		 */
		error = PS_EPERM;
	} else {
		tp->t_session = s;
		tp->t_sessioncnt++;
		tp->t_vrefs++;
		tp->t_pgrp = p->p_pgrp;
		tty_unlock(tp);
		SESS_LOCK(s);
		s->s_ttyp = tp;
		s->s_ttyvp = tp;
		s->s_ttydp = tp;
		SESS_UNLOCK(s);
		PROC_LOCK(p);
		p->p_flag |= P_CONTROLT;
		PROC_UNLOCK(p);
		sx_xunlock(k, &k->proctree_lock);
		kevent_emit(k, PS_EV_CTTY, p, 0, 0, tp->t_dev, tp->t_name);
		return 0;
	}
	tty_unlock(tp);
	sx_xunlock(k, &k->proctree_lock);
	return error;
}

/*
 * TIOCSPGRP (tcsetpgrp), in FreeBSD's order: EPERM when the group does not
 * exist (a negative pgid included) or is in another session; then ENOTTY
 * unless tp is the caller's controlling terminal.  The terminal's
 * background waiters are woken.  This is the ioctl itself: a program's
 * call first goes through the background check (tty_spgrp_start, as
 * ttydev_ioctl does for every ioctl that changes the terminal); the
 * object-level ps_tcsetpgrp does not, since it cannot sleep.
 */
int
tty_ioctl_spgrp(struct kernel *k, struct proc *p, struct tty *tp, pid_t_ pgid)
{
	struct pgrp *pg;

	sx_slock(k, &k->proctree_lock);
	pg = pgfind(k, pgid);
	if (pg != NULL)
		PGRP_UNLOCK(pg);
	if (pg == NULL || pg->pg_session != p->p_session) {
		sx_sunlock(k, &k->proctree_lock);
		return PS_EPERM;
	}
	if (!tty_is_ctty(tp, p)) {
		sx_sunlock(k, &k->proctree_lock);
		return PS_ENOTTY;
	}
	tty_lock(tp);
	tp->t_pgrp = pg;
	tty_unlock(tp);
	sx_sunlock(k, &k->proctree_lock);
	kevent_emit(k, PS_EV_TCSETPGRP, p, 0, 0, pgid, tp->t_name);
	/* Processes waiting to become the foreground look again (t_bgwait). */
	wakeup(k, WCHAN(WCHAN_TTYBG, tp->t_dev));
	return 0;
}

/* TIOCGPGRP: the foreground pgid, NO_PID when there is none. */
int
tty_ioctl_gpgrp(struct kernel *k, struct proc *p, struct tty *tp)
{
	int pgid;

	sx_slock(k, &k->proctree_lock);
	if (!tty_is_ctty(tp, p)) {
		sx_sunlock(k, &k->proctree_lock);
		return PS_ENOTTY;
	}
	tty_lock(tp);
	pgid = tp->t_pgrp != NULL ? tp->t_pgrp->pg_id : k->no_pid;
	tty_unlock(tp);
	sx_sunlock(k, &k->proctree_lock);
	return pgid;
}

/* --- terminal I/O --- */

/*
 * Has p's controlling terminal tp been revoked under it?  Its session
 * still names tp (s_ttyp) but no longer holds the vnode: the leader has
 * exited and killjobc revoked it.  Calls through the dead vnode go to
 * deadfs: read returns end of file, write EIO.
 */
static bool
tty_revoked_for(struct kernel *k, struct proc *p, struct tty *tp)
{
	struct session *s;
	bool revoked;

	sx_slock(k, &k->proctree_lock);
	s = p->p_session;
	revoked = s->s_ttyp == tp && s->s_ttyvp == NULL;
	sx_sunlock(k, &k->proctree_lock);
	return revoked;
}

/* Sleep interruptibly on wchan: EJUSTSLEPT, or EINTR/ERESTART at once. */
static int
tty_sleep(struct kernel *k, struct thread *td, uint64_t wchan, const char *wmesg)
{
	struct proc *p = td->td_proc;
	int error;

	PROC_LOCK(p);
	error = sleepq_sleep(k, td, wchan, wmesg, true);
	PROC_UNLOCK(p);
	return error == 0 ? EJUSTSLEPT : error;
}

/*
 * tty_wait_background: may td's process do I/O on tp, which is locked?
 * Returns 0 (go ahead), PS_EIO, or, when the process must wait to become
 * the foreground, EJUSTSLEPT (asleep on the background channel) or
 * EINTR/ERESTART (a signal interrupted the sleep at once).
 *
 * Allowed when tp is not the caller's controlling terminal or its group is
 * the foreground group.  Otherwise, when sig is ignored or blocked, a read
 * (SIGTTIN) fails with EIO and a write (SIGTTOU) goes ahead; a process
 * with P_PPWAIT or in an orphaned group gets EIO; else sig is posted to the
 * caller's group (members with a controlling terminal) and the caller
 * sleeps until tcsetpgrp or a hangup wakes it, or a signal interrupts it.
 * A default SIGTTIN/SIGTTOU stops the caller as it goes to sleep; once
 * continued it stays asleep until it is woken.
 *
 * FreeBSD posts the signal again on every pass of its loop.  So does this
 * one after each wakeup, but a call restarted after a handler (ERESTART)
 * that has posted its signal does not post it again: in FreeBSD a caught
 * SIGTTIN with SA_RESTART restarts the read, which posts SIGTTIN, which
 * restarts the read, and so on forever; here the restarted call sleeps.
 */
static int
tty_wait_background(struct kernel *k, struct thread *td, struct tty *tp, int sig)
{
	struct syscall_frame *sf = &td->td_sa;
	struct proc *p = td->td_proc;
	struct pgrp *pg;
	pid_t_ saved;

	mtx_assert(&tp->t_mtx, MA_OWNED);
	pg = p->p_pgrp;
	PGRP_LOCK(pg);
	PROC_LOCK(p);
	PS_ASSERT(p->p_pgrp == pg);
	if (!tty_is_ctty(tp, p) || pg == tp->t_pgrp) {
		PROC_UNLOCK(p);
		PGRP_UNLOCK(pg);
		return 0;
	}
	if ((p->p_sigacts->ps_sigignore & SIGMASK(sig)) != 0 ||
	    (td->td_sigmask & SIGMASK(sig)) != 0) {
		/* Only writes may go ahead. */
		PROC_UNLOCK(p);
		PGRP_UNLOCK(pg);
		return sig == PS_SIGTTOU ? 0 : PS_EIO;
	}
	if ((p->p_flag & P_PPWAIT) != 0 || pg->pg_jobc == 0) {
		PROC_UNLOCK(p);
		PGRP_UNLOCK(pg);
		return PS_EIO;
	}
	PROC_UNLOCK(p);
	if ((sf->sf_targ[1] & TTYF_POSTED) == 0) {
		sf->sf_targ[1] |= TTYF_POSTED;
		saved = k->sig_sender;
		k->sig_sender = 0; /* The kernel sends it (SI_KERNEL). */
		pgsignal(k, pg, sig, 1);
		k->sig_sender = saved;
	}
	PGRP_UNLOCK(pg);
	return tty_sleep(k, td, WCHAN(WCHAN_TTYBG, tp->t_dev), "ttybg");
}

static struct tty *
tty_of_call(struct kernel *k, struct thread *td)
{
	struct tty *tp = tty_find_dev(k, (int32_t)td->td_sa.sf_args[0]);

	PS_ASSERT(tp != NULL); /* Checked by the caller; terminals live on. */
	return tp;
}

/*
 * read(2): end of file for a zero length and through a revoked vnode;
 * then the background check with SIGTTIN, on every pass as FreeBSD's
 * ttydisc_read loop does; then the queued bytes (up to the length; at most
 * PS_TTY_READ_SLEPT_MAX once the public call has returned, since that is
 * what ps_sysret can hand out); end of file once hung up; else sleep for
 * input.
 */
static int
tty_read_body(struct kernel *k, struct thread *td)
{
	struct syscall_frame *sf = &td->td_sa;
	struct proc *p = td->td_proc;
	struct tty *tp = tty_of_call(k, td);
	uint64_t len = (uint64_t)sf->sf_args[2], cap;
	uint8_t *data;
	uint32_t n;
	int error;

	if (len == 0)
		return 0;
	if (tty_revoked_for(k, p, tp))
		return 0;
	tty_lock(tp);
	error = tty_wait_background(k, td, tp, PS_SIGTTIN);
	if (error != 0) {
		tty_unlock(tp);
		return error;
	}
	if (tp->t_inq_len > 0) {
		cap = sf->sf_args[1] != 0 ? len : PS_TTY_READ_SLEPT_MAX;
		if (cap > len)
			cap = len;
		n = tp->t_inq_len < cap ? tp->t_inq_len : (uint32_t)cap;
		data = malloc(n);
		if (data == NULL) {
			tty_unlock(tp);
			return PS_ENOMEM;
		}
		memcpy(data, tp->t_inq, n);
		memmove(tp->t_inq, tp->t_inq + n, tp->t_inq_len - n);
		tp->t_inq_len -= n;
		tty_unlock(tp);
		free(sf->sf_data);
		sf->sf_data = data;
		sf->sf_nbytes = n;
		return (int)n;
	}
	if (tp->t_zombie) {
		tty_unlock(tp);
		return 0; /* Carrier lost: end of file. */
	}
	error = tty_sleep(k, td, WCHAN(WCHAN_TTYIN, tp->t_dev), "ttyin");
	tty_unlock(tp);
	return error;
}

int
tty_read_start(struct kernel *k, struct thread *td)
{
	return tty_read_body(k, td);
}

int
tty_read_resume(struct kernel *k, struct thread *td)
{
	if (td->td_intrval != 0)
		return td->td_intrval;
	/* Woken: the loop goes round again, posting again if still behind. */
	td->td_sa.sf_targ[1] &= ~(int64_t)TTYF_POSTED;
	return tty_read_body(k, td);
}

/*
 * A write's sleep was interrupted: the bytes queued so far count as
 * written (dofilewrite turns EINTR/ERESTART after progress into success);
 * with none, EINTR, or ERESTART, which makes the call again from the top,
 * background check included.
 */
static int
tty_write_intr(struct syscall_frame *sf, int error)
{
	if (sf->sf_targ[0] > 0)
		return (int)sf->sf_targ[0];
	if (error == ERESTART)
		sf->sf_targ[1] &= ~(int64_t)TTYF_BGOK;
	return error;
}

/*
 * write(2): the caller's bytes are copied in first (copyin); EIO through a
 * revoked vnode; the background check with SIGTTOU, only with TOSTOP and
 * once per call (ttydev_write); EIO once hung up; then as many bytes as fit
 * go to the output queue, and the call sleeps while some remain.
 */
static int
tty_write_body(struct kernel *k, struct thread *td)
{
	struct syscall_frame *sf = &td->td_sa;
	struct proc *p = td->td_proc;
	struct tty *tp = tty_of_call(k, td);
	uint64_t len = (uint64_t)sf->sf_args[2], done;
	const void *ubuf;
	uint8_t *data;
	uint32_t n, room;
	int error;

	if ((sf->sf_targ[1] & TTYF_COPIED) == 0) {
		if (len > 0) {
			ubuf = (const void *)(intptr_t)sf->sf_args[1];
			PS_ASSERT(ubuf != NULL);
			data = malloc(len);
			if (data == NULL)
				return PS_ENOMEM;
			memcpy(data, ubuf, len);
			free(sf->sf_data);
			sf->sf_data = data;
		}
		sf->sf_targ[1] |= TTYF_COPIED;
	}
	if (tty_revoked_for(k, p, tp))
		return PS_EIO;
	tty_lock(tp);
	if (tp->t_tostop && (sf->sf_targ[1] & TTYF_BGOK) == 0) {
		error = tty_wait_background(k, td, tp, PS_SIGTTOU);
		if (error != 0) {
			tty_unlock(tp);
			return error;
		}
	}
	sf->sf_targ[1] |= TTYF_BGOK;
	if (tp->t_zombie) {
		tty_unlock(tp);
		return PS_EIO;
	}
	done = (uint64_t)sf->sf_targ[0];
	room = (uint32_t)sizeof(tp->t_outq) - tp->t_outq_len;
	n = len - done < room ? (uint32_t)(len - done) : room;
	if (n > 0) {
		memcpy(tp->t_outq + tp->t_outq_len, (uint8_t *)sf->sf_data + done, n);
		tp->t_outq_len += n;
		done += n;
		sf->sf_targ[0] = (int64_t)done;
	}
	if (done == len) {
		tty_unlock(tp);
		return (int)len;
	}
	/* The queue is full: wait for the terminal to drain it. */
	error = tty_sleep(k, td, WCHAN(WCHAN_TTYOUT, tp->t_dev), "ttyout");
	tty_unlock(tp);
	return error == EJUSTSLEPT ? error : tty_write_intr(sf, error);
}

int
tty_write_start(struct kernel *k, struct thread *td)
{
	return tty_write_body(k, td);
}

int
tty_write_resume(struct kernel *k, struct thread *td)
{
	struct syscall_frame *sf = &td->td_sa;

	if (td->td_intrval != 0)
		return tty_write_intr(sf, td->td_intrval);
	sf->sf_targ[1] &= ~(int64_t)TTYF_POSTED;
	return tty_write_body(k, td);
}

/*
 * A program's tcsetpgrp: ttydev_ioctl's background check with SIGTTOU
 * (a background caller is stopped and sleeps until it is the foreground;
 * with SIGTTOU ignored or blocked it goes ahead; in an orphaned group it
 * gets EIO), then TIOCSPGRP.  Arguments: (tty, pgid).
 */
static int
tty_spgrp_body(struct kernel *k, struct thread *td)
{
	struct tty *tp = tty_of_call(k, td);
	int error;

	tty_lock(tp);
	error = tty_wait_background(k, td, tp, PS_SIGTTOU);
	tty_unlock(tp);
	if (error != 0)
		return error;
	return tty_ioctl_spgrp(k, td->td_proc, tp, (pid_t_)td->td_sa.sf_args[1]);
}

int
tty_spgrp_start(struct kernel *k, struct thread *td)
{
	return tty_spgrp_body(k, td);
}

int
tty_spgrp_resume(struct kernel *k, struct thread *td)
{
	if (td->td_intrval != 0)
		return td->td_intrval;
	td->td_sa.sf_targ[1] &= ~(int64_t)TTYF_POSTED;
	return tty_spgrp_body(k, td);
}

/*
 * Bytes typed at the terminal (ttydisc_rint): as many as fit are queued,
 * the rest dropped; readers are woken.  Returns the count queued, or EIO
 * once hung up.
 */
int
tty_input(struct kernel *k, struct tty *tp, const void *buf, size_t len)
{
	uint32_t n, room;

	tty_lock(tp);
	if (tp->t_zombie) {
		tty_unlock(tp);
		return PS_EIO;
	}
	room = (uint32_t)sizeof(tp->t_inq) - tp->t_inq_len;
	n = len < room ? (uint32_t)len : room;
	if (n > 0)
		memcpy(tp->t_inq + tp->t_inq_len, buf, n);
	tp->t_inq_len += n;
	tty_unlock(tp);
	if (n > 0)
		wakeup(k, WCHAN(WCHAN_TTYIN, tp->t_dev));
	return (int)n;
}

/* The terminal displays up to cap bytes of its output; writers are woken. */
size_t
tty_output(struct kernel *k, struct tty *tp, void *buf, size_t cap)
{
	uint32_t n;

	tty_lock(tp);
	n = cap < tp->t_outq_len ? (uint32_t)cap : tp->t_outq_len;
	if (n > 0) {
		memcpy(buf, tp->t_outq, n);
		memmove(tp->t_outq, tp->t_outq + n, tp->t_outq_len - n);
		tp->t_outq_len -= n;
	}
	tty_unlock(tp);
	if (n > 0)
		wakeup(k, WCHAN(WCHAN_TTYOUT, tp->t_dev));
	return n;
}

/* c_lflag TOSTOP (tcsetattr).  Calls already past their check are not
 * affected. */
void
tty_set_tostop(struct kernel *k, struct tty *tp, bool on)
{
	tty_lock(tp);
	tp->t_tostop = on;
	tty_unlock(tp);
}

/*
 * SIGHUP (or sig) to the leader of the session tp controls, only to it
 * (FreeBSD tty_signal_sessleader); nothing when the leader has exited.
 */
void
tty_signal_sessleader(struct kernel *k, struct tty *tp, int sig)
{
	struct session *s;
	struct proc *p;
	pid_t_ saved;

	mtx_assert(&tp->t_mtx, MA_OWNED);
	/* s_leader is read once without the session lock, as FreeBSD does. */
	if ((s = tp->t_session) == NULL || (p = s->s_leader) == NULL)
		return;
	saved = k->sig_sender;
	k->sig_sender = 0;
	PROC_LOCK(p);
	kern_psignal(k, p, sig);
	PROC_UNLOCK(p);
	k->sig_sender = saved;
}

/*
 * Carrier loss (ttydisc_modem(tp, 0)): the terminal becomes a zombie for
 * good, its session leader gets SIGHUP (the leader's exit then hangs up the
 * foreground group through killjobc), both queues are flushed and every
 * sleeper is woken: readers find end of file, writers EIO.  A terminal
 * already hung up is left alone.
 */
void
tty_hangup(struct kernel *k, struct tty *tp)
{
	tty_lock(tp);
	if (tp->t_zombie) {
		tty_unlock(tp);
		return;
	}
	tp->t_zombie = 1;
	kevent_emit(k, PS_EV_HANGUP, NULL, 0, 0, tp->t_dev, tp->t_name);
	tty_signal_sessleader(k, tp, PS_SIGHUP);
	tp->t_inq_len = 0;
	tp->t_outq_len = 0;
	tty_unlock(tp);
	tty_wakeup_all(k, tp);
}
