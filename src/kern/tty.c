/*
 * Terminals, as far as sessions and job control need them ([ext] to the
 * seeds: FreeBSD's tty.c).  A tty may be the controlling terminal of one
 * session (t_session), has a foreground group (t_pgrp) of that session,
 * and counts the sessions that point at it (t_sessioncnt) and the vnode
 * references sessions hold on it (t_vrefs, s_ttyvp).  Reading and writing
 * come with the CPU work; here are TIOCSCTTY, TIOCSPGRP/TIOCGPGRP, the
 * release hooks of pgdelete and sess_release, and the hangup a session
 * leader's exit sends.
 */
#include <stdlib.h>
#include <string.h>

#include "base/assert.h"
#include "kern/kern.h"

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

/* VOP_REVOKE of the terminal's vnode: every open of it is invalidated. */
void
tty_revoke(struct kernel *k, struct tty *tp)
{
	sx_assert(&k->proctree_lock, SA_UNLOCKED);
	tty_lock(tp);
	tp->t_revokes++;
	tty_unlock(tp);
	kevent_emit(k, PS_EV_REVOKE, NULL, 0, 0, tp->t_dev, tp->t_name);
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
 * unless tp is the caller's controlling terminal.  Background callers are
 * not stopped with SIGTTOU here: that arrives with the terminal's
 * read/write paths.
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
