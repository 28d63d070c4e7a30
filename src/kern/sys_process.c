/*
 * The part of ptrace the job-control model needs before the full
 * interface exists (spec-sys_process.md, 10.3 order of checks): attaching
 * makes the tracer the parent (p_oppid keeps the real one) and stops the
 * target with SIGSTOP, which a traced process takes as a debugger stop;
 * detaching gives it back.  Internal only: the public ptrace API comes
 * with kern_ptrace.  fixjobc counts a traced process through its tracer,
 * without accounting at attach or detach, which is how pg_jobc drifts
 * (spec-kern_proc.md §4.8, I14).
 */
#include "base/assert.h"
#include "kern/kern.h"

int
kern_ptrace_attach(struct kernel *k, struct proc *td, struct proc *p)
{
	int error;

	PS_ASSERT(td == k->curproc);
	if (p == td)
		return PS_EINVAL;
	PROC_LOCK(p);
	if ((p->p_flag & P_WEXIT) != 0) {
		PROC_UNLOCK(p);
		return PS_ESRCH;
	}
	if ((error = p_cansee(k, td, p)) != 0 || (error = p_candebug(k, td, p)) != 0) {
		PROC_UNLOCK(p);
		return error;
	}
	if ((p->p_flag & P_SYSTEM) != 0) {
		PROC_UNLOCK(p);
		return PS_EINVAL;
	}
	if ((p->p_flag & P_TRACED) != 0) {
		PROC_UNLOCK(p);
		return PS_EBUSY;
	}
	PROC_UNLOCK(p);
	sx_xlock(k, &k->proctree_lock);
	PROC_LOCK(p);
	p->p_flag |= P_TRACED;
	k->ntraced++;
	p->p_oppid = p->p_pptr->p_pid;
	proc_reparent(k, p, td);
	kern_psignal(k, p, PS_SIGSTOP);
	PROC_UNLOCK(p);
	sx_xunlock(k, &k->proctree_lock);
	return 0;
}

int
kern_ptrace_detach(struct kernel *k, struct proc *td, struct proc *p, int sig)
{
	struct proc *pp;

	PS_ASSERT(td == k->curproc);
	if (sig < 0 || sig >= PS_NSIG)
		return PS_EINVAL;
	if ((p->p_flag & P_TRACED) == 0 || p->p_pptr != td)
		return PS_EBUSY;
	if ((p->p_flag & P_STOPPED_TRACE) == 0)
		return PS_EBUSY;
	sx_xlock(k, &k->proctree_lock);
	PROC_LOCK(p);
	p->p_flag &= ~(P_TRACED | P_WAITED | P_STOPPED_TRACE | P_STOPPED_SIG);
	k->ntraced--;
	thread_unsuspend_all(k, p);
	pp = p->p_oppid != 0 ? pfind_any_nolock(k, p->p_oppid) : NULL;
	if (pp == NULL || pp->p_state != PRS_NORMAL)
		pp = k->initproc;
	p->p_oppid = 0;
	proc_reparent(k, p, pp);
	if (pp == k->initproc)
		p->p_sigparent = PS_SIGCHLD;
	if (sig != 0)
		kern_psignal(k, p, sig);
	PROC_UNLOCK(p);
	sx_xunlock(k, &k->proctree_lock);
	return 0;
}
