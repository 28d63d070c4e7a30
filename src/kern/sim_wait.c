/*
 * The public API of waiting and of the calls that sleep (wait.h): wait4,
 * wait6, pause, sigsuspend, abort2, usage, the signal queue, and the state
 * of a call in progress.
 *
 * A sleepable call is made on the caller's first thread through
 * syscall_start().  If it completes within the operation its result is
 * returned; if it sleeps the call returns PS_EINPROGRESS and the result is
 * left in the thread's frame for ps_sysret().  Outputs are copied only for
 * a call that completed and reported something: where the 2008 kernel
 * would copy out a status or usage it never wrote (WNOHANG with nothing to
 * report, stop and continue reports), nothing is written.
 */
#include <string.h>

#include <procsim/procsim.h>

#include "kern/kern.h"
#include "kern/simop.h"

/*
 * Make a sleepable call for pid and end the operation.  Returns the call's
 * result when it completed, PS_EINPROGRESS otherwise; *pp is the caller if
 * it completed (still valid: nothing is freed before the caller returns).
 */
static int
sys_call(ps_sim_t *sim, int32_t pid, int code, const int64_t *args, int nargs,
         struct syscall_frame *out)
{
	struct kernel *k;
	struct proc *p;
	struct thread *td;
	int error, rv;

	if ((error = simop_begin_run(sim, pid, &p)) != 0)
		return error;
	k = &sim->k;
	td = p->p_threads;
	syscall_start(k, td, code, args, nargs);
	rv = td->td_sa.sf_state == SFS_DONE ? (int)td->td_sa.sf_ret : PS_EINPROGRESS;
	if (rv != PS_EINPROGRESS && out != NULL)
		*out = td->td_sa;
	rv = simop_end(sim, rv);
	if (rv == PS_EINPROGRESS) {
		/* Restarted and completed on the way out (after a handler)? */
		p = simop_live_proc(k, pid);
		if (p != NULL && p->p_threads->td_sa.sf_state == SFS_DONE &&
		    p->p_threads->td_sa.sf_code == code) {
			if (out != NULL)
				*out = p->p_threads->td_sa;
			rv = (int)p->p_threads->td_sa.sf_ret;
		}
	}
	if (out != NULL)
		out->sf_data = NULL; /* Never hand out the frame's buffer. */
	return rv;
}

int
ps_wait4(ps_sim_t *sim, int32_t pid, int32_t wpid, int options, int *status,
         struct ps_rusage *ru)
{
	struct syscall_frame sf = { 0 };
	int64_t args[3] = { wpid, 0, options };
	int rv;

	rv = sys_call(sim, pid, PS_SYS_WAIT4, args, 3, &sf);
	if (rv > 0) {
		if (status != NULL)
			*status = sf.sf_status;
		if (ru != NULL && (sf.sf_wstat == WR_EXITED || sf.sf_wstat == WR_GIVEBACK))
			*ru = sf.sf_ru.self;
	}
	return rv;
}

int
ps_wait6(ps_sim_t *sim, int32_t pid, int idtype, int64_t id, int options, int *status,
         struct ps_wrusage *wru, struct ps_siginfo *si)
{
	struct syscall_frame sf = { 0 };
	int64_t args[3] = { idtype, id, options };
	int rv;

	rv = sys_call(sim, pid, PS_SYS_WAIT6, args, 3, &sf);
	if (rv > 0) {
		if (status != NULL)
			*status = sf.sf_status;
		if (wru != NULL && (sf.sf_wstat == WR_EXITED || sf.sf_wstat == WR_GIVEBACK))
			*wru = sf.sf_ru;
		if (si != NULL)
			*si = sf.sf_si;
	} else if (rv == 0 && si != NULL) {
		/* Later kernels zero the siginfo when WNOHANG finds nothing. */
		memset(si, 0, sizeof(*si));
	}
	return rv;
}

int
ps_pause(ps_sim_t *sim, int32_t pid)
{
	return sys_call(sim, pid, PS_SYS_PAUSE, NULL, 0, NULL);
}

int
ps_sigsuspend(ps_sim_t *sim, int32_t pid, uint32_t mask)
{
	int64_t args[1] = { mask };

	return sys_call(sim, pid, PS_SYS_SIGSUSPEND, args, 1, NULL);
}

int
ps_abort2(ps_sim_t *sim, int32_t pid, const char *why, int nargs, const uint64_t *args)
{
	struct kernel *k;
	struct proc *p;
	int error, sig;

	if ((error = simop_begin_run(sim, pid, &p)) != 0)
		return error;
	k = &sim->k;
	if (p == k->initproc || (p->p_flag & P_SYSTEM) != 0)
		return simop_end(sim, PS_EPERM);
	/* Well formed: 0..16 arguments and an argument array, even for 0. */
	sig = nargs >= 0 && nargs <= 16 && args != NULL ? PS_SIGABRT : PS_SIGKILL;
	kevent_emit(k, PS_EV_SIGNAL_DELIVER, p, 0, sig, 0,
	            sig == PS_SIGABRT ? (why != NULL ? why : "abort2") : "abort2: bad arguments");
	exit1(k, p, W_EXITCODE(0, sig));
	return simop_end(sim, 0);
}

static void
ru_zero_check(const struct ps_rusage *ru, int *error)
{
	if (ru->utime_ns < 0 || ru->stime_ns < 0 || ru->maxrss < 0 || ru->minflt < 0 ||
	    ru->majflt < 0 || ru->nsignals < 0 || ru->nvcsw < 0 || ru->nivcsw < 0)
		*error = PS_EINVAL;
}

int
ps_getrusage(ps_sim_t *sim, int32_t pid, int who, struct ps_rusage *out)
{
	struct proc *p;

	if (sim == NULL || out == NULL || (who != PS_RUSAGE_SELF && who != PS_RUSAGE_CHILDREN))
		return PS_EINVAL;
	p = simop_live_proc(&sim->k, pid);
	if (p == NULL)
		return PS_ESRCH;
	*out = who == PS_RUSAGE_SELF ? p->p_ru : p->p_cru;
	return 0;
}

int
ps_proc_charge(ps_sim_t *sim, int32_t pid, const struct ps_rusage *delta)
{
	struct proc *p;
	int error = 0;

	if (sim == NULL || delta == NULL)
		return PS_EINVAL;
	ru_zero_check(delta, &error);
	if (error != 0)
		return error;
	p = simop_live_proc(&sim->k, pid);
	if (p == NULL)
		return PS_ESRCH;
	ruadd(&p->p_ru, delta);
	return 0;
}

int
ps_sigqueue(ps_sim_t *sim, int32_t pid, struct ps_siginfo *buf, size_t cap, size_t *count)
{
	struct ksiginfo *ksi;
	struct proc *p;
	size_t n = 0;

	if (sim == NULL || count == NULL || (buf == NULL && cap != 0))
		return PS_EINVAL;
	if (pid < 0 || pid >= sim->k.k_cfg.pid_max)
		return PS_ESRCH;
	p = pfind_any_nolock(&sim->k, pid);
	if (p == NULL || p->p_state == PRS_NEW)
		return PS_ESRCH;
	TAILQ_FOREACH(ksi, &p->p_sigq, ksi_link) {
		if (n < cap) {
			buf[n].signo = ksi->ksi_signo;
			buf[n].code = ksi->ksi_code;
			buf[n].pid = ksi->ksi_pid;
			buf[n].uid = ksi->ksi_uid;
			buf[n].status = ksi->ksi_status;
		}
		n++;
	}
	*count = n;
	return n > cap ? PS_ERANGE : 0;
}

int
ps_sysret(ps_sim_t *sim, int32_t pid, struct ps_sysret *out)
{
	const struct syscall_frame *sf;
	struct thread *td;
	struct proc *p;

	if (sim == NULL || out == NULL)
		return PS_EINVAL;
	if (pid < 0 || pid >= sim->k.k_cfg.pid_max)
		return PS_ESRCH;
	p = pfind_any_nolock(&sim->k, pid);
	if (p == NULL || p->p_state == PRS_NEW || p->p_threads == NULL)
		return PS_ESRCH;
	td = p->p_threads;
	sf = &td->td_sa;
	memset(out, 0, sizeof(*out));
	out->sys = sf->sf_code;
	out->state = sf->sf_state == SFS_WOKEN ? PS_SYSST_SLEEPING : sf->sf_state;
	out->slept = sf->sf_slept;
	if (sf->sf_state == SFS_DONE) {
		out->retval = sf->sf_ret;
		if (sf->sf_ret > 0 && (sf->sf_code == PS_SYS_WAIT4 || sf->sf_code == PS_SYS_WAIT6)) {
			out->status = sf->sf_status;
			out->si = sf->sf_si;
			if (sf->sf_wstat == WR_EXITED || sf->sf_wstat == WR_GIVEBACK)
				out->ru = sf->sf_ru;
		}
		if (sf->sf_code == PS_SYS_READ && sf->sf_data != NULL) {
			out->nbytes = sf->sf_nbytes < sizeof(out->data) ? sf->sf_nbytes
			                                                 : (uint32_t)sizeof(out->data);
			memcpy(out->data, sf->sf_data, out->nbytes);
		}
	}
	if (td->td_wmesg != NULL) {
		strncpy(out->wmesg, td->td_wmesg, sizeof(out->wmesg) - 1);
		out->wchan = td->td_wchan;
	}
	return 0;
}
