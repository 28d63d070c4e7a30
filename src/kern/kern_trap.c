/*
 * Traps: what the kernel does when a thread running a program stops its
 * CPU (FreeBSD's trap.c, syscall(), sendsig and sigreturn).
 *
 * A `sys` instruction enters trap_syscall with the arguments in r0-r5; the
 * result goes to r0, a negative PS_E* value on failure.  A call that must
 * wait (wait4, pause, sigsuspend, read, write, nanosleep) goes through the
 * sleepable-call machinery of kern_synch.c: the thread sleeps on a wait
 * channel, leaves its CPU, and when woken passes userret, where the call is
 * resumed and, once done, its result copied out (trap_sleepable_done).  A
 * call interrupted with ERESTART rewinds pc onto the `sys` instruction, so
 * that it is made again after the handler returns, as the kernel's
 * cpu_set_syscall_retval does.
 *
 * Signals with a handler are delivered by sendsig: a frame with the
 * registers and the mask to restore is pushed on the thread's stack, the
 * return address points at the signal trampoline on the shared page
 * (`mov r0, sp; sys sigreturn`), and pc goes to the handler with the signal
 * number in r0.  sigreturn puts registers and mask back.
 */
#include <stdlib.h>
#include <string.h>

#include <procsim/program.h>

#include "base/assert.h"
#include "kern/kern.h"
#include "vm/vm.h"

/* The frame sendsig pushes (docs/isa.md, "Signal handlers"). */
struct sigframe {
	uint64_t sf_signo;
	uint64_t sf_mask;        /* Mask to restore. */
	uint64_t sf_regs[CPU_NREGS];
	uint64_t sf_pc, sf_sp, sf_flags;
	uint64_t sf_work;        /* Cycles left of an interrupted `work`. */
	uint64_t sf_magic;
};
#define SIGFRAME_MAGIC 0x7369676672616d65ull /* "sigframe" */

static inline bool
is_runner(const struct thread *td)
{
	return td->td_proc->p_vmspace != NULL;
}

static void
set_retval(struct thread *td, int64_t rv)
{
	td->td_frame.r[0] = (uint64_t)rv;
}

/* --- signal delivery to a handler --- */

/*
 * Push a signal frame on td's stack and send it to the handler.  A stack
 * that cannot take the frame kills the process with SIGILL, as sendsig's
 * sigexit(td, SIGILL) does.  Returns false when the process was killed
 * (the proc lock is then dropped).
 */
bool
sendsig(struct kernel *k, struct thread *td, int sig, sigset32_t returnmask)
{
	struct proc *p = td->td_proc;
	struct sigacts *ps = p->p_sigacts;
	struct sigframe sf;
	uint64_t sp, ret = VM_SHARED_PAGE;

	PROC_LOCK_ASSERT(p, MA_OWNED);
	memset(&sf, 0, sizeof(sf));
	sf.sf_signo = (uint64_t)sig;
	sf.sf_mask = returnmask;
	memcpy(sf.sf_regs, td->td_frame.r, sizeof(sf.sf_regs));
	sf.sf_pc = td->td_frame.pc;
	sf.sf_sp = td->td_frame.sp;
	sf.sf_flags = td->td_frame.flags;
	sf.sf_work = td->td_frame.work_left;
	sf.sf_magic = SIGFRAME_MAGIC;
	sp = (td->td_frame.sp - sizeof(sf)) & ~(uint64_t)15;
	if (vm_copyout(p->p_vmspace, &sf, sp, sizeof(sf)) != 0 ||
	    vm_copyout(p->p_vmspace, &ret, sp - 8, 8) != 0) {
		kevent_emit(k, PS_EV_FAULT, p, 0, PS_SIGILL, sig, "signal frame does not fit the stack");
		PROC_UNLOCK(p);
		exit1(k, p, W_EXITCODE(0, PS_SIGILL));
		return false;
	}
	td->td_frame.sp = sp - 8;
	td->td_frame.pc = ps->ps_sigact[sig];
	td->td_frame.r[0] = (uint64_t)sig;
	td->td_frame.r[1] = sp;
	td->td_frame.work_left = 0;
	td->td_sigmask |= ps->ps_catchmask[sig] | SIGMASK(sig);
	td->td_sigmask &= ~(SIGMASK(PS_SIGKILL) | SIGMASK(PS_SIGSTOP));
	return true;
}

static int64_t
sys_sigreturn(struct kernel *k, struct thread *td, uint64_t uaddr)
{
	struct proc *p = td->td_proc;
	struct sigframe sf;
	int error;

	error = vm_copyin(p->p_vmspace, uaddr, &sf, sizeof(sf));
	if (error != 0)
		return PS_EFAULT;
	if (sf.sf_magic != SIGFRAME_MAGIC)
		return PS_EINVAL;
	memcpy(td->td_frame.r, sf.sf_regs, sizeof(sf.sf_regs));
	td->td_frame.pc = sf.sf_pc;
	td->td_frame.sp = sf.sf_sp;
	td->td_frame.flags = sf.sf_flags;
	td->td_frame.work_left = sf.sf_work;
	PROC_LOCK(p);
	td->td_sigmask = (sigset32_t)sf.sf_mask & ~(SIGMASK(PS_SIGKILL) | SIGMASK(PS_SIGSTOP));
	PROC_UNLOCK(p);
	/* Unblocked signals are delivered before the next instruction. */
	ast_enqueue(k, td);
	return EJUSTRETURN;
}

/* --- sleepable calls --- */

/* A runner's sleepable call is over: results to user memory and r0. */
void
trap_sleepable_done(struct kernel *k, struct thread *td)
{
	struct syscall_frame *sf = &td->td_sa;
	struct vmspace *vm = td->td_proc->p_vmspace;
	int64_t rv = sf->sf_ret;

	if (sf->sf_state == SFS_RESTART) {
		td->td_frame.pc -= CPU_INSN_SIZE;
		sf->sf_state = SFS_NONE;
		td->td_syscall = 0;
		return;
	}
	PS_ASSERT(sf->sf_state == SFS_DONE);
	switch (sf->sf_code) {
	case PS_SYS_WAIT4:
		if (rv > 0 && td->td_frame.r[1] != 0) {
			int32_t st = sf->sf_status;

			if (vm_copyout(vm, &st, td->td_frame.r[1], sizeof(st)) != 0)
				rv = PS_EFAULT;
		}
		if (rv > 0 && td->td_frame.r[3] != 0 &&
		    (sf->sf_wstat == WR_EXITED || sf->sf_wstat == WR_GIVEBACK) &&
		    vm_copyout(vm, &sf->sf_ru.self, td->td_frame.r[3], sizeof(sf->sf_ru.self)) != 0)
			rv = PS_EFAULT;
		break;
	case PS_SYS_WAIT6: {
		/* (idtype, id, status_addr, options, wrusage_addr, info_addr).
		 * A WNOHANG call that finds nothing zeroes the siginfo, as later
		 * kernels do; the status and wrusage are written only for a
		 * report, and the wrusage only for an exited child. */
		struct ps_siginfo si = sf->sf_si;

		if (rv > 0 && td->td_frame.r[2] != 0) {
			int32_t st = sf->sf_status;

			if (vm_copyout(vm, &st, td->td_frame.r[2], sizeof(st)) != 0)
				rv = PS_EFAULT;
		}
		if (rv > 0 && td->td_frame.r[4] != 0 &&
		    (sf->sf_wstat == WR_EXITED || sf->sf_wstat == WR_GIVEBACK) &&
		    vm_copyout(vm, &sf->sf_ru, td->td_frame.r[4], sizeof(sf->sf_ru)) != 0)
			rv = PS_EFAULT;
		if (rv == 0)
			memset(&si, 0, sizeof(si));
		if (rv >= 0 && td->td_frame.r[5] != 0 &&
		    vm_copyout(vm, &si, td->td_frame.r[5], sizeof(si)) != 0)
			rv = PS_EFAULT;
		break;
	}
	case PS_SYS_READ:
		if (rv > 0 && vm_copyout(vm, sf->sf_data, td->td_frame.r[1], sf->sf_nbytes) != 0)
			rv = PS_EFAULT;
		break;
	default:
		break;
	}
	free(sf->sf_data);
	sf->sf_data = NULL;
	set_retval(td, rv);
	td->td_syscall = 0;
	syscall_ret_stop(k, td);
	if ((td->td_dbgflags & TDB_STEPPED) != 0) {
		td->td_dbgflags &= ~TDB_STEPPED;
		trap_step(k, td);
	}
}

static int64_t
sys_sleepable(struct kernel *k, struct thread *td, int code, const int64_t *args, int nargs)
{
	syscall_start(k, td, code, args, nargs);
	return EJUSTRETURN; /* trap_sleepable_done sets r0, now or once woken. */
}

static int64_t
sys_write(struct kernel *k, struct thread *td, const uint64_t *a)
{
	int64_t args[3] = { (int64_t)a[0], 0, (int64_t)a[2] };
	uint8_t *buf = NULL;
	int error;

	if (tty_find_dev(k, (int32_t)a[0]) == NULL)
		return PS_EBADF;
	if (a[2] > (1u << 20))
		return PS_EINVAL;
	if (a[2] > 0) {
		buf = malloc(a[2]);
		if (buf == NULL)
			return PS_ENOMEM;
		error = vm_copyin(td->td_proc->p_vmspace, a[1], buf, a[2]);
		if (error != 0) {
			free(buf);
			return error;
		}
		args[1] = (int64_t)(intptr_t)buf; /* Copied in at once by the tty code. */
	}
	syscall_start(k, td, PS_SYS_WRITE, args, 3);
	free(buf);
	return EJUSTRETURN;
}

static int64_t
sys_read(struct kernel *k, struct thread *td, const uint64_t *a)
{
	int64_t args[3] = { (int64_t)a[0], 1, (int64_t)a[2] };

	if (tty_find_dev(k, (int32_t)a[0]) == NULL)
		return PS_EBADF;
	if (a[2] > (1u << 20))
		return PS_EINVAL;
	/* The buffer must be writable now: copyout at the end may still fail. */
	if (a[2] > 0) {
		uint8_t probe;

		if (vm_copyin(td->td_proc->p_vmspace, a[1], &probe, 1) != 0)
			return PS_EFAULT;
	}
	return sys_sleepable(k, td, PS_SYS_READ, args, 3);
}

/* --- nanosleep --- */

int
kern_nanosleep_start(struct kernel *k, struct thread *td)
{
	struct proc *p = td->td_proc;
	int error;

	if (td->td_sa.sf_args[0] < 0)
		return PS_EINVAL;
	if (td->td_sa.sf_args[0] == 0)
		return 0;
	td->td_flags &= ~TDF_TIMEDOUT;
	PROC_LOCK(p);
	error = sleepq_sleep(k, td, WCHAN(WCHAN_NANOSLEEP, td->td_tid), "nanslp", true);
	PROC_UNLOCK(p);
	if (error != 0)
		return error == ERESTART ? PS_EINTR : error; /* nanosleep is never restarted. */
	sched_timeout(k, sched_now(k) + (uint64_t)td->td_sa.sf_args[0], td);
	return EJUSTSLEPT;
}

int
kern_nanosleep_resume(struct kernel *k, struct thread *td)
{
	(void)k;
	td->td_timer = 0;
	if ((td->td_flags & TDF_TIMEDOUT) != 0) {
		td->td_flags &= ~TDF_TIMEDOUT;
		return 0;
	}
	return PS_EINTR;
}

/* A sleep timeout fired for td. */
void
kern_timeout(struct kernel *k, struct thread *td)
{
	if (td->td_wchan != WCHAN(WCHAN_NANOSLEEP, td->td_tid))
		return;
	td->td_flags |= TDF_TIMEDOUT;
	wakeup(k, td->td_wchan);
}

/* --- threads --- */

static int64_t
sys_thr_new(struct kernel *k, struct thread *td, const uint64_t *a)
{
	struct proc *p = td->td_proc;
	struct thread *ntd;
	int error;

	if ((p->p_flag & P_WEXIT) != 0 || p->p_singlethread != NULL)
		return PS_EBUSY;
	error = thread_create(k, p, &ntd);
	if (error != 0)
		return error;
	PROC_LOCK(p);
	p->p_flag |= P_HADTHREADS;
	PROC_UNLOCK(p);
	memset(&ntd->td_frame, 0, sizeof(ntd->td_frame));
	ntd->td_frame.pc = a[0];
	ntd->td_frame.sp = a[1];
	ntd->td_frame.r[0] = a[2];
	ntd->td_sigmask = td->td_sigmask;
	sched_thread_init(k, ntd);
	if (ntd->td_inhibitors == 0)
		sched_add(k, ntd);
	return ntd->td_tid;
}

/*
 * thr_exit: the thread goes; the last thread's thr_exit is exit(0), as
 * FreeBSD's kern_thr_exit does.  The thread's memory is freed at the end of
 * the step: its CPU may still be looking at it.
 */
static int64_t
sys_thr_exit(struct kernel *k, struct thread *td)
{
	struct proc *p = td->td_proc;

	if (p->p_numthreads == 1) {
		exit1(k, p, W_EXITCODE(0, 0));
		return EJUSTRETURN;
	}
	thread_exit_one(k, td);
	return EJUSTRETURN;
}

/* --- exec and fork --- */

static int64_t
sys_fork(struct kernel *k, struct thread *td)
{
	struct proc *p = td->td_proc, *p2;
	struct vmspace *vm2;
	struct thread *td2;
	int error;

	error = vmspace_fork(p->p_vmspace, &vm2);
	if (error != 0)
		return error;
	error = fork1(k, p, &p2);
	if (error != 0) {
		vmspace_free(vm2);
		return error;
	}
	td2 = p2->p_threads;
	p2->p_vmspace = vm2;
	p2->p_kflag |= PK_RUNNER;
	p2->p_prog = p->p_prog;
	program_hold(p2->p_prog);
	memcpy(p2->p_tag, p->p_tag, sizeof(p2->p_tag));
	k->nrunners++;
	td2->td_frame = td->td_frame;
	td2->td_frame.r[0] = 0;
	td2->td_sigmask = td->td_sigmask;
	td2->td_dbgflags = 0;
	if ((p->p_flag & (P_TRACED | P_FOLLOWFORK)) == (P_TRACED | P_FOLLOWFORK)) {
		/*
		 * PT_FOLLOW_FORK: the child is born traced by the same
		 * debugger and stops with SIGSTOP before its first instruction;
		 * the parent reports the fork on its way out (spec §3.5.5).
		 */
		sx_xlock(k, &k->proctree_lock);
		PROC_LOCK(p2);
		p2->p_flag |= P_TRACED;
		k->ntraced++;
		p2->p_oppid = p->p_pid;
		proc_reparent(k, p2, p->p_pptr);
		td2->td_dbgflags |= TDB_STOPATFORK;
		PROC_UNLOCK(p2);
		sx_xunlock(k, &k->proctree_lock);
		PROC_LOCK(p);
		td->td_dbgflags |= TDB_FORK;
		td->td_dbg_forked = p2->p_pid;
		PROC_UNLOCK(p);
		td2->td_flags |= TDF_ASTPENDING;
	}
	sched_thread_init(k, td2);
	sched_add(k, td2);
	return p2->p_pid;
}

/* Read a NULL-terminated array of string addresses into host strings. */
static int
copyin_strv(struct vmspace *vm, uint64_t uaddr, char ***out)
{
	enum { MAXV = 64, MAXS = 256 };
	char **v;
	size_t n = 0;
	int error = 0;

	*out = NULL;
	if (uaddr == 0)
		return 0;
	v = calloc(MAXV + 1, sizeof(*v));
	if (v == NULL)
		return PS_ENOMEM;
	for (;;) {
		uint64_t sa;
		size_t done;

		error = vm_copyin(vm, uaddr + 8 * n, &sa, 8);
		if (error != 0 || sa == 0)
			break;
		if (n == MAXV) {
			error = PS_E2BIG;
			break;
		}
		v[n] = malloc(MAXS);
		if (v[n] == NULL) {
			error = PS_ENOMEM;
			break;
		}
		error = vm_copyinstr(vm, sa, v[n], MAXS, &done);
		n++;
		if (error != 0)
			break;
	}
	if (error != 0) {
		strv_free(v);
		return error == PS_ENAMETOOLONG ? PS_E2BIG : error;
	}
	*out = v;
	return 0;
}

static int64_t
sys_execve(struct kernel *k, struct thread *td, const uint64_t *a)
{
	struct proc *p = td->td_proc;
	char name[64];
	char **argv = NULL, **envp = NULL;
	struct program *prog;
	size_t done;
	int error;

	error = vm_copyinstr(p->p_vmspace, a[0], name, sizeof(name), &done);
	if (error != 0)
		return error;
	prog = program_find(k, name);
	if (prog == NULL)
		return PS_ENOENT;
	if ((error = copyin_strv(p->p_vmspace, a[1], &argv)) != 0 ||
	    (error = copyin_strv(p->p_vmspace, a[2], &envp)) != 0) {
		strv_free(argv);
		return error;
	}
	error = kern_execve(k, td, prog, (const char *const *)argv, (const char *const *)envp);
	strv_free(argv);
	strv_free(envp);
	return error != 0 ? error : EJUSTRETURN;
}

/* --- the dispatcher --- */

static int64_t
sys_tty_ioctl(struct kernel *k, struct proc *p, int code, const uint64_t *a)
{
	struct tty *tp = tty_find_dev(k, (int32_t)a[0]);

	if (tp == NULL)
		return PS_ENOTTY;
	switch (code) {
	case PS_SYSNO_tiocsctty:
		return tty_ioctl_sctty(k, p, tp);
	case PS_SYSNO_tcsetpgrp:
		return tty_ioctl_spgrp(k, p, tp, (pid_t_)a[1]);
	default:
		return tty_ioctl_gpgrp(k, p, tp);
	}
}

static int64_t
sys_sigprocmask(struct kernel *k, struct thread *td, const uint64_t *a)
{
	sigset32_t old;
	int error;

	if (a[0] > 3)
		return PS_EINVAL;
	error = kern_sigprocmask(k, td, (int)a[0], (sigset32_t)a[1], &old);
	return error != 0 ? error : (int64_t)old;
}

static int64_t
sys_mmap(struct kernel *k, struct thread *td, const uint64_t *a)
{
	uint64_t addr;
	int error;

	(void)k;
	if ((a[2] & ~(uint64_t)VM_PROT_ALL) != 0 || (a[3] & ~(uint64_t)PS_MAP_FIXED) != 0)
		return PS_EINVAL;
	error = vm_mmap(td->td_proc->p_vmspace, a[0], a[1], (uint8_t)a[2],
	                (a[3] & PS_MAP_FIXED) != 0 ? VM_MAP_FIXED : 0, &addr);
	return error != 0 ? error : (int64_t)addr;
}

/* ptrace(req, pid, addr, data): a request's own value comes back as an
 * unsigned 32-bit number (a word read may be negative), errors negative. */
static int64_t
sys_ptrace_user(struct kernel *k, struct thread *td, const uint64_t *a)
{
	struct proc *p = td->td_proc;
	struct pt_caller c = { .p = p, .td = td, .uvm = p->p_vmspace };
	int rv = 0, error;

	/* pid and data are C ints: the registers' low 32 bits. */
	error = sys_ptrace(k, &c, (int)(int32_t)a[0], (int32_t)a[1], a[2], (int)(int32_t)a[3], &rv);
	return error != 0 ? error : (int64_t)(uint32_t)rv;
}

static int64_t
syscall_dispatch(struct kernel *k, struct thread *td, int64_t code)
{
	struct proc *p = td->td_proc;
	const uint64_t *a = td->td_frame.r;
	int64_t args[4];

	switch (code) {
	case PS_SYSNO_exit:
		/* The 2008 sys_exit: the status shifted, not masked (spec-kern_exit.md
		 * §2.1): exit(256) is reported as 0x10000. */
		exit1(k, p, W_EXITCODE((int)a[0], 0));
		return EJUSTRETURN;
	case PS_SYSNO_fork:
		return sys_fork(k, td);
	case PS_SYSNO_read:
		return sys_read(k, td, a);
	case PS_SYSNO_write:
		return sys_write(k, td, a);
	case PS_SYSNO_wait4:
		args[0] = (int64_t)(int32_t)a[0];
		args[1] = 0;
		args[2] = (int64_t)(int32_t)a[2];
		return sys_sleepable(k, td, PS_SYS_WAIT4, args, 3);
	case PS_SYSNO_wait6:
		args[0] = (int64_t)(int32_t)a[0];
		args[1] = (int64_t)a[1];
		args[2] = (int64_t)(int32_t)a[3];
		return sys_sleepable(k, td, PS_SYS_WAIT6, args, 3);
	case PS_SYSNO_getpid:
		return p->p_pid;
	case PS_SYSNO_gettid:
		return td->td_tid;
	case PS_SYSNO_random:
		/* The workload stream: drawing from it never shifts scheduling. */
		if ((int64_t)a[0] <= 0)
			return PS_EINVAL;
		return (int64_t)ps_rng_below(&k->rng_work, a[0]);
	case PS_SYSNO_getppid:
		return proc_getppid(k, p);
	case PS_SYSNO_getpgrp:
		return p->p_pgrp->pg_id;
	case PS_SYSNO_getpgid:
		return sys_getpgid(k, p, (pid_t_)a[0]);
	case PS_SYSNO_getsid:
		return sys_getsid(k, p, (pid_t_)a[0]);
	case PS_SYSNO_setpgid:
		return sys_setpgid(k, p, (pid_t_)a[0], (pid_t_)a[1]);
	case PS_SYSNO_setsid:
		return sys_setsid(k, p);
	case PS_SYSNO_getuid:
		return p->p_ucred.cr_ruid;
	case PS_SYSNO_setuid:
		return sys_setuid(k, p, (int32_t)a[0]);
	case PS_SYSNO_kill: {
		int64_t pid = (int64_t)a[0];
		int64_t sig = (int64_t)a[1];

		if (sig < 0 || sig >= PS_NSIG)
			return PS_EINVAL;
		if (pid >= k->k_cfg.pid_max || pid <= -(int64_t)k->k_cfg.pid_max)
			return PS_ESRCH;
		return kern_kill(k, p, (pid_t_)pid, (int)sig);
	}
	case PS_SYSNO_sigaction: {
		struct ps_sigaction act = { .handler = a[1], .flags = (uint32_t)a[2],
		                            .mask = (uint32_t)a[3] };

		return kern_sigaction(k, p, (int)a[0], &act, NULL);
	}
	case PS_SYSNO_sigprocmask:
		return sys_sigprocmask(k, td, a);
	case PS_SYSNO_sigreturn:
		return sys_sigreturn(k, td, a[0]);
	case PS_SYSNO_pause:
		return sys_sleepable(k, td, PS_SYS_PAUSE, NULL, 0);
	case PS_SYSNO_sigsuspend:
		args[0] = (int64_t)a[0];
		return sys_sleepable(k, td, PS_SYS_SIGSUSPEND, args, 1);
	case PS_SYSNO_nanosleep:
		args[0] = (int64_t)a[0];
		return sys_sleepable(k, td, PS_SYS_NANOSLEEP, args, 1);
	case PS_SYSNO_sched_yield:
		td->td_flags |= TDF_ASTPENDING;
		k->sched.cpus[td->td_oncpu].c_resched = 1;
		return 0;
	case PS_SYSNO_execve:
		return sys_execve(k, td, a);
	case PS_SYSNO_thr_new:
		return sys_thr_new(k, td, a);
	case PS_SYSNO_thr_exit:
		return sys_thr_exit(k, td);
	case PS_SYSNO_mmap:
		return sys_mmap(k, td, a);
	case PS_SYSNO_munmap:
		return vm_munmap(p->p_vmspace, a[0], a[1]);
	case PS_SYSNO_mprotect:
		if ((a[2] & ~(uint64_t)VM_PROT_ALL) != 0)
			return PS_EINVAL;
		return vm_mprotect(p->p_vmspace, a[0], a[1], (uint8_t)a[2]);
	case PS_SYSNO_tcsetpgrp:
		/* Through the background check first, which may stop and
		 * sleep (ttydev_ioctl), then TIOCSPGRP itself. */
		if (tty_find_dev(k, (int32_t)a[0]) == NULL)
			return PS_ENOTTY;
		args[0] = (int64_t)(int32_t)a[0];
		args[1] = (int64_t)(int32_t)a[1];
		return sys_sleepable(k, td, PS_SYS_TCSETPGRP, args, 2);
	case PS_SYSNO_tiocsctty:
	case PS_SYSNO_tcgetpgrp:
		return sys_tty_ioctl(k, p, (int)code, a);
	case PS_SYSNO_ptrace:
		return sys_ptrace_user(k, td, a);
	case PS_SYSNO_procctl: {
		struct pt_caller c = { .p = p, .td = td, .uvm = p->p_vmspace };

		return sys_procctl(k, &c, (int)(int32_t)a[0], (int64_t)a[1], (int)(int32_t)a[2], a[3]);
	}
	default:
		return PS_ENOSYS;
	}
}

/* A result as an event's value: errors and small results exactly, larger
 * ones (addresses) saturated. */
static int32_t
sysret_value(int64_t rv)
{
	if (rv > INT32_MAX)
		return INT32_MAX;
	if (rv < INT32_MIN)
		return INT32_MIN;
	return (int32_t)rv;
}

/* The calls that go through the sleepable-call machinery (kern_synch.c). */
bool
syscall_sleepable(int code)
{
	switch (code) {
	case PS_SYSNO_read:
	case PS_SYSNO_write:
	case PS_SYSNO_wait4:
	case PS_SYSNO_wait6:
	case PS_SYSNO_tcsetpgrp:
	case PS_SYSNO_pause:
	case PS_SYSNO_sigsuspend:
	case PS_SYSNO_nanosleep:
		return true;
	default:
		return false;
	}
}

/* Arguments each call takes (pl_syscall_narg). */
static int
syscall_narg(int code)
{
	switch (code) {
	case PS_SYSNO_fork: case PS_SYSNO_getpid: case PS_SYSNO_gettid: case PS_SYSNO_getppid:
	case PS_SYSNO_getpgrp: case PS_SYSNO_setsid: case PS_SYSNO_getuid: case PS_SYSNO_pause:
	case PS_SYSNO_sched_yield: case PS_SYSNO_thr_exit:
		return 0;
	case PS_SYSNO_exit: case PS_SYSNO_setuid: case PS_SYSNO_getpgid: case PS_SYSNO_getsid:
	case PS_SYSNO_nanosleep: case PS_SYSNO_sigsuspend: case PS_SYSNO_sigreturn:
	case PS_SYSNO_tiocsctty: case PS_SYSNO_tcgetpgrp: case PS_SYSNO_random:
		return 1;
	case PS_SYSNO_kill: case PS_SYSNO_setpgid: case PS_SYSNO_munmap: case PS_SYSNO_sigprocmask:
	case PS_SYSNO_tcsetpgrp:
		return 2;
	case PS_SYSNO_read: case PS_SYSNO_write: case PS_SYSNO_execve: case PS_SYSNO_mprotect:
	case PS_SYSNO_thr_new:
		return 3;
	case PS_SYSNO_wait6:
		return 6;
	default:
		return 4;
	}
}

/*
 * The way out of a system call for a traced thread (syscallret): a stop
 * at syscall exit when asked (PT_TO_SCX, PT_SYSCALL), and always after an
 * exec or a followed fork (spec A.1), with TDB_SCX set.
 */
void
syscall_ret_stop(struct kernel *k, struct thread *td)
{
	struct proc *p = td->td_proc;

	if (p->p_state != PRS_NORMAL || (p->p_flag & (P_WEXIT | P_TRACED)) != P_TRACED)
		return;
	PROC_LOCK(p);
	if ((td->td_dbgflags & (TDB_FORK | TDB_EXEC)) != 0 || (p->p_stops & S_PT_SCX) != 0) {
		td->td_dbgflags |= TDB_SCX;
		ptracestop(k, td, PS_SIGTRAP, PTS_EVENT, NULL);
	}
	PROC_UNLOCK(p);
}

/* The call's body: dispatch, result, the exit stop, then userret. */
static void
syscall_body(struct kernel *k, struct thread *td, int64_t code)
{
	struct proc *p = td->td_proc;
	const char *name = ps_syscall_name((int)code);
	int64_t rv;

	rv = syscall_dispatch(k, td, code);
	PS_ASSERT_MSG(k->nheld == 0, "system call %s returned with %u locks held",
	              name != NULL ? name : "?", k->nheld);
	if (rv != EJUSTRETURN) {
		kevent_emit(k, PS_EV_SYSRET, p, 0, 0, sysret_value(rv), name != NULL ? name : "?");
		set_retval(td, rv);
		td->td_syscall = 0;
	}
	if (!syscall_sleepable((int)code)) {
		td->td_syscall = 0;
		syscall_ret_stop(k, td);
		if ((td->td_dbgflags & TDB_STEPPED) != 0) {
			td->td_dbgflags &= ~TDB_STEPPED;
			trap_step(k, td);
		}
	}
	/* Signals posted meanwhile are taken before the next instruction. */
	if (p->p_state == PRS_NORMAL && (p->p_flag & P_WEXIT) == 0 && td->td_inhibitors == 0)
		trap_ast(k, td);
}

/* td trapped with `sys code`. */
void
trap_syscall(struct kernel *k, struct thread *td, int64_t code)
{
	struct proc *p = td->td_proc;
	const char *name = ps_syscall_name((int)code);

	k->curproc = p;
	k->curthread = td;
	k->sig_sender = 0;
	td->td_syscall = (int32_t)code;
	p->p_ru.stime_ns += (int64_t)k->sched.sys_cycles;
	kevent_emit(k, PS_EV_SYSCALL, p, 0, 0, (int32_t)code, name != NULL ? name : "?");
	td->td_dbg_sc_code = (int32_t)code;
	td->td_dbg_sc_narg = syscall_narg((int)code);
	if ((p->p_flag & P_TRACED) != 0 && (p->p_stops & S_PT_SCE) != 0) {
		/* Stop at syscall entry; the call is made when the debugger
		 * resumes the thread, with the registers as they are then. */
		PROC_LOCK(p);
		td->td_dbgflags |= TDB_SCE;
		ptracestop(k, td, PS_SIGTRAP, PTS_SCE, NULL);
		PROC_UNLOCK(p);
	} else {
		syscall_body(k, td, code);
	}
	k->curproc = NULL;
	k->curthread = NULL;
}

/* The call td stopped at the entry of is made now (ptrace_userret). */
void
trap_syscall_resume(struct kernel *k, struct thread *td)
{
	struct proc *saved = k->curproc;
	struct thread *savedtd = k->curthread;

	k->curproc = td->td_proc;
	k->curthread = td;
	k->sig_sender = 0;
	syscall_body(k, td, td->td_syscall);
	k->curproc = saved;
	k->curthread = savedtd;
}

/* A single step completed (the trace trap, SIGTRAP). */
void
trap_step(struct kernel *k, struct thread *td)
{
	struct proc *p = td->td_proc;
	struct proc *saved = k->curproc;
	struct thread *savedtd = k->curthread;

	if (p->p_state != PRS_NORMAL || (p->p_flag & P_WEXIT) != 0)
		return;
	td->td_dbgflags &= ~TDB_STEP;
	k->curproc = p;
	k->curthread = td;
	k->sig_sender = 0;
	kevent_emit(k, PS_EV_FAULT, p, 0, PS_SIGTRAP, (int32_t)(td->td_frame.pc & 0x7fffffff),
	            "single step");
	trapsignal(k, td, PS_SIGTRAP);
	if (p->p_state == PRS_NORMAL && (p->p_flag & P_WEXIT) == 0 && td->td_inhibitors == 0)
		trap_ast(k, td);
	k->curproc = saved;
	k->curthread = savedtd;
}

/* userret for a runner: woken calls, signals, the sigsuspend mask. */
void
trap_ast(struct kernel *k, struct thread *td)
{
	struct proc *saved = k->curproc;
	struct thread *savedtd = k->curthread;

	td->td_flags &= ~TDF_ASTPENDING;
	k->curproc = td->td_proc;
	k->curthread = td;
	userret(k, td);
	k->curproc = saved;
	k->curthread = savedtd;
}

/* A fault or an illegal instruction: the signal goes to the process. */
void
trap_fault(struct kernel *k, struct thread *td, int sig, uint64_t addr, int reason)
{
	struct proc *p = td->td_proc;
	static const char *const what[] = {
		[CPU_EXIT_BRK] = "breakpoint", [CPU_EXIT_FAULT] = "memory fault",
		[CPU_EXIT_ILL] = "illegal instruction", [CPU_EXIT_FPE] = "division by zero",
	};

	k->curproc = p;
	k->curthread = td;
	k->sig_sender = 0;
	kevent_emit(k, PS_EV_FAULT, p, 0, sig, (int32_t)(addr & 0x7fffffff),
	            reason < (int)(sizeof(what) / sizeof(what[0])) && what[reason] != NULL
	                ? what[reason] : "fault");
	trapsignal(k, td, sig);
	if (p->p_state == PRS_NORMAL && (p->p_flag & P_WEXIT) == 0 && td->td_inhibitors == 0)
		trap_ast(k, td);
	k->curproc = NULL;
	k->curthread = NULL;
}

/* `tag NAME`: the process names itself (for scenarios and traces). */
void
trap_tag(struct kernel *k, struct thread *td, uint64_t addr)
{
	struct proc *p = td->td_proc;
	char name[MAXCOMLEN + 1];
	size_t done;

	if (vm_copyinstr(p->p_vmspace, addr, name, sizeof(name), &done) != 0) {
		trap_fault(k, td, PS_SIGSEGV, addr, CPU_EXIT_FAULT);
		return;
	}
	k->curproc = p;
	k->curthread = td;
	memcpy(p->p_tag, name, sizeof(p->p_tag));
	kevent_emit(k, PS_EV_TAG, p, 0, 0, 0, p->p_tag);
	k->curproc = NULL;
	k->curthread = NULL;
}
