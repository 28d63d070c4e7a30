/*
 * The public face of ptrace and procctl (procsim/ptrace.h): requests made
 * by a process that runs no program (a debugger driven by a research tool
 * or a scenario), with the request's structures in host memory, and the
 * introspection calls that show what ptrace keeps.
 */
#include <string.h>

#include <procsim/procsim.h>

#include "base/assert.h"
#include "kern/kern.h"
#include "kern/simop.h"
#include "vm/vm.h"

int
ps_ptrace(ps_sim_t *sim, int32_t tracer, int req, int32_t pid, void *addr, int data,
          int *retval)
{
	struct proc *p;
	int error, rv = 0;

	if ((error = simop_begin_run(sim, tracer, &p)) != 0)
		return error;
	struct pt_caller c = { .p = p, .td = p->p_threads, .uvm = NULL };

	error = sys_ptrace(&sim->k, &c, req, pid, (uint64_t)(uintptr_t)addr, data, &rv);
	if (error == 0 && retval != NULL)
		*retval = rv;
	return simop_end(sim, error);
}

int
ps_procctl(ps_sim_t *sim, int32_t caller, int idtype, int64_t id, int com, int *data)
{
	struct proc *p;
	int error;

	if ((error = simop_begin_run(sim, caller, &p)) != 0)
		return error;
	struct pt_caller c = { .p = p, .td = p->p_threads, .uvm = NULL };

	error = sys_procctl(&sim->k, &c, idtype, id, com, (uint64_t)(uintptr_t)data);
	return simop_end(sim, error);
}

int
ps_ptrace_info(ps_sim_t *sim, int32_t pid, struct ps_ptrace_info *out)
{
	struct kernel *k;
	struct proc *p;

	if (sim == NULL || out == NULL)
		return PS_EINVAL;
	k = &sim->k;
	if (pid < 0 || pid >= k->k_cfg.pid_max || (p = pfind_any_nolock(k, pid)) == NULL)
		return PS_ESRCH;
	memset(out, 0, sizeof(*out));
	out->pid = p->p_pid;
	out->pptr = p->p_pptr != NULL ? p->p_pptr->p_pid : 0;
	out->oppid = p->p_oppid;
	if (p->p_pptr != NULL) {
		sx_slock(k, &k->proctree_lock);
		out->realparent = proc_realparent(k, p)->p_pid;
		sx_sunlock(k, &k->proctree_lock);
	}
	out->orphan_of = p->p_orphan_of != NULL ? p->p_orphan_of->p_pid : 0;
	out->xstat = p->p_xstat;
	out->xthread = p->p_xthread != NULL ? p->p_xthread->td_tid : 0;
	out->holds = p->p_lock;
	out->flags = p->p_flag;
	out->flags2 = p->p_flag2;
	out->stops = p->p_stops;
	out->nthreads = p->p_numthreads;
	for (struct thread *td = p->p_threads; td != NULL; td = td->td_plist)
		out->suspcount += (td->td_inhibitors & TDI_SUSPENDED) != 0;
	if (p->p_vmspace != NULL) {
		out->vm_timestamp = vm_timestamp(p->p_vmspace);
		out->icache_syncs = vm_icache_syncs(p->p_vmspace);
	}
	return 0;
}

int
ps_thread_dbg(ps_sim_t *sim, int32_t tid, struct ps_thread_dbg *out)
{
	struct thread *td;

	if (sim == NULL || out == NULL)
		return PS_EINVAL;
	td = tdfind_nolock(&sim->k, tid);
	if (td == NULL)
		return PS_ESRCH;
	memset(out, 0, sizeof(*out));
	out->tid = td->td_tid;
	out->pid = td->td_proc->p_pid;
	out->dbgflags = td->td_dbgflags & ~TDB_STEPPED;
	out->xsig = td->td_xsig;
	out->sc_code = td->td_dbg_sc_code;
	out->sc_narg = td->td_dbg_sc_narg;
	out->forked = td->td_dbg_forked;
	out->sigmask = td->td_sigmask;
	out->suspended = (td->td_inhibitors & TDI_SUSPENDED) != 0;
	out->in_trace_stop = td->td_ptstop != PTS_NONE;
	return 0;
}

int
ps_ptrace_inject_enomem(ps_sim_t *sim, uint32_t n)
{
	if (sim == NULL)
		return PS_EINVAL;
	vm_phys_inject_nomem(sim->k.phys, n);
	return 0;
}
