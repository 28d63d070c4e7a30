/*
 * Process ids, credentials and permission checks (FreeBSD kern_prot.c,
 * [ext] to the seeds): setsid, setpgid, getpgid, getsid, setuid, and the
 * policy functions p_cansee and p_candebug that pget, kill and ptrace use.
 */
#include <stdlib.h>

#include "base/assert.h"
#include "kern/kern.h"

/* Privilege is uid 0 (no MAC, no jails). */
int
priv_check_cred(const struct ucred *cred)
{
	return cred->cr_uid == 0 ? 0 : PS_EPERM;
}

/*
 * May cur see p?  With security.bsd.see_other_uids off, a process whose
 * real uid differs is invisible (ESRCH) to an unprivileged caller.
 */
int
p_cansee(struct kernel *k, struct proc *cur, struct proc *p)
{
	PS_ASSERT(cur != NULL);
	if (cur == p)
		return 0;
	if (!k->k_cfg.see_other_uids && cur->p_ucred.cr_ruid != p->p_ucred.cr_ruid &&
	    priv_check_cred(&cur->p_ucred) != 0)
		return PS_ESRCH;
	return 0;
}

static bool
groupmember(int32_t gid, const struct ucred *cred)
{
	return gid == cred->cr_gid;
}

/*
 * May cur debug p?  The policy of the seeds' era, in its order
 * (spec-sys_process.md Phase 3): unprivileged debugging enabled; oneself;
 * visibility; the same uids and a group subset, else privilege; P_SUGID
 * needs privilege; init is off limits above securelevel 0; a process in
 * exec is busy.  System processes are refused by ptrace itself (EINVAL).
 */
int
p_candebug(struct kernel *k, struct proc *cur, struct proc *p)
{
	const struct ucred *cr = &cur->p_ucred, *pc = &p->p_ucred;
	bool grpsubset, uidsubset;
	int error;

	if (!k->k_cfg.unprivileged_proc_debug && (error = priv_check_cred(cr)) != 0)
		return error;
	if (cur == p)
		return 0;
	if ((error = p_cansee(k, cur, p)) != 0)
		return error;
	grpsubset = groupmember(pc->cr_gid, cr) && groupmember(pc->cr_rgid, cr) &&
	            groupmember(pc->cr_svgid, cr);
	uidsubset = cr->cr_uid == pc->cr_uid && cr->cr_uid == pc->cr_svuid &&
	            cr->cr_uid == pc->cr_ruid;
	if ((!grpsubset || !uidsubset) && (error = priv_check_cred(cr)) != 0)
		return error;
	if ((p->p_flag & P_SUGID) != 0 && (error = priv_check_cred(cr)) != 0)
		return error;
	if (p == k->initproc && k->securelevel > 0)
		return PS_EPERM;
	if ((p->p_flag & P_INEXEC) != 0)
		return PS_EBUSY;
	return 0;
}

/*
 * setsid(2): a process that leads a group, or whose pid names a group,
 * gets EPERM; otherwise it creates a session and a group named after
 * itself and becomes their leader.
 */
int
sys_setsid(struct kernel *k, struct proc *p)
{
	struct pgrp *newpgrp, *pgrp;
	struct session *newsess;
	int error = 0;

	newpgrp = pgrp_alloc(k);
	newsess = session_alloc(k);
	if (newpgrp == NULL || newsess == NULL) {
		pgrp_free_unused(k, newpgrp);
		session_free_unused(k, newsess);
		return PS_ENOMEM;
	}
	sx_xlock(k, &k->proctree_lock);
	pgrp = NULL;
	if (p->p_pgrp->pg_id == p->p_pid || (pgrp = pgfind(k, p->p_pid)) != NULL) {
		if (pgrp != NULL)
			PGRP_UNLOCK(pgrp);
		error = PS_EPERM;
	} else {
		(void)enterpgrp(k, p, p->p_pid, newpgrp, newsess);
		kevent_emit(k, PS_EV_SETSID, p, 0, 0, p->p_pid, NULL);
		newpgrp = NULL;
		newsess = NULL;
	}
	sx_xunlock(k, &k->proctree_lock);
	pgrp_free_unused(k, newpgrp);
	session_free_unused(k, newsess);
	return error != 0 ? error : p->p_pid;
}

/*
 * setpgid(2) as FreeBSD checks it: EINVAL for a negative pgid; ESRCH for a
 * target that is neither the caller nor its descendant; the p_cansee
 * error; EPERM for a target in another session; EACCES for a child that has
 * exec'd; EPERM for a session leader; EPERM for a pgid other than the
 * target's own pid that names no group, or a group of another session.
 */
int
sys_setpgid(struct kernel *k, struct proc *curp, pid_t_ pid, pid_t_ pgid)
{
	struct proc *targp;
	struct pgrp *pgrp, *newpgrp;
	int error = 0;

	if (pgid < 0)
		return PS_EINVAL;
	newpgrp = pgrp_alloc(k);
	if (newpgrp == NULL)
		return PS_ENOMEM;
	sx_xlock(k, &k->proctree_lock);
	if (pid != 0 && pid != curp->p_pid) {
		if ((targp = pfind(k, pid)) == NULL) {
			error = PS_ESRCH;
			goto done;
		}
		if (!inferior(k, targp)) {
			PROC_UNLOCK(targp);
			error = PS_ESRCH;
			goto done;
		}
		if ((error = p_cansee(k, curp, targp)) != 0) {
			PROC_UNLOCK(targp);
			goto done;
		}
		if (targp->p_pgrp == NULL || targp->p_session != curp->p_session) {
			PROC_UNLOCK(targp);
			error = PS_EPERM;
			goto done;
		}
		if ((targp->p_flag & P_EXEC) != 0) {
			PROC_UNLOCK(targp);
			error = PS_EACCES;
			goto done;
		}
		PROC_UNLOCK(targp);
	} else {
		targp = curp;
	}
	if (SESS_LEADER(targp)) {
		error = PS_EPERM;
		goto done;
	}
	if (pgid == 0)
		pgid = targp->p_pid;
	if ((pgrp = pgfind(k, pgid)) == NULL) {
		if (pgid == targp->p_pid) {
			error = enterpgrp(k, targp, pgid, newpgrp, NULL);
			if (error == 0)
				newpgrp = NULL;
		} else {
			error = PS_EPERM;
		}
	} else {
		if (pgrp == targp->p_pgrp) {
			PGRP_UNLOCK(pgrp);
			goto done;
		}
		if (pgrp->pg_id != targp->p_pid && pgrp->pg_session != curp->p_session) {
			PGRP_UNLOCK(pgrp);
			error = PS_EPERM;
			goto done;
		}
		PGRP_UNLOCK(pgrp);
		error = enterthispgrp(k, targp, pgrp);
	}
done:
	sx_xunlock(k, &k->proctree_lock);
	pgrp_free_unused(k, newpgrp);
	return error;
}

/*
 * The process a getpgid/getsid call asks about, locked: the caller for 0,
 * else a live process the caller may see (ESRCH, or the p_cansee error).
 */
static int
id_target(struct kernel *k, struct proc *curp, pid_t_ pid, struct proc **pp)
{
	struct proc *p;
	int error;

	if (pid == 0) {
		p = curp;
		PROC_LOCK(p);
	} else {
		p = pfind(k, pid);
		if (p == NULL)
			return PS_ESRCH;
		error = p_cansee(k, curp, p);
		if (error != 0) {
			PROC_UNLOCK(p);
			return error;
		}
	}
	*pp = p;
	return 0;
}

/* getpgid(2): the group of pid (0: the caller). */
int
sys_getpgid(struct kernel *k, struct proc *curp, pid_t_ pid)
{
	struct proc *p;
	int error = id_target(k, curp, pid, &p);

	if (error != 0)
		return error;
	error = p->p_pgrp->pg_id;
	PROC_UNLOCK(p);
	return error;
}

/* getsid(2): the session of pid (0: the caller). */
int
sys_getsid(struct kernel *k, struct proc *curp, pid_t_ pid)
{
	struct proc *p;
	int error = id_target(k, curp, pid, &p);

	if (error != 0)
		return error;
	error = p->p_session->s_sid;
	PROC_UNLOCK(p);
	return error;
}

/*
 * setuid(2), POSIX saved-id semantics with the BSD compatibility clause
 * (POSIX B.4.2.2), as FreeBSD implements them: an unprivileged process may
 * set its uid to its real, saved or effective uid; setting it to the
 * effective uid, or any change by a privileged process, sets all three.
 * Any change marks P_SUGID.
 */
int
sys_setuid(struct kernel *k, struct proc *p, int32_t uid)
{
	struct ucred *cr = &p->p_ucred;
	bool privileged;

	if (uid < 0)
		return PS_EINVAL;
	PROC_LOCK(p);
	privileged = priv_check_cred(cr) == 0;
	if (uid != cr->cr_ruid && uid != cr->cr_svuid && uid != cr->cr_uid && !privileged) {
		PROC_UNLOCK(p);
		return PS_EPERM;
	}
	if (uid == cr->cr_uid || privileged) {
		if (uid != cr->cr_ruid) {
			cr->cr_ruid = uid;
			p->p_flag |= P_SUGID;
		}
		if (uid != cr->cr_svuid) {
			cr->cr_svuid = uid;
			p->p_flag |= P_SUGID;
		}
	}
	if (uid != cr->cr_uid) {
		cr->cr_uid = uid;
		p->p_flag |= P_SUGID;
	}
	PROC_UNLOCK(p);
	kevent_emit(k, PS_EV_SETUID, p, 0, 0, uid, NULL);
	return 0;
}
