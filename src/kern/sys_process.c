/*
 * Process debugging: ptrace(2), proc_rwmem, PT_VM_ENTRY, the trace stops,
 * and procctl(2) (spec-sys_process.md, which cites the two sys_process.c
 * listings line by line).
 *
 * kern_ptrace runs the spec's phases in order (§3.2): the tree lock for
 * the nine requests that change the tree, the lookup (a pid, or a thread
 * id above pid_max), the generic checks (exiting, p_cansee, p_candebug,
 * system process), the thread selection (§7.1), the per-request checks
 * (§3.3), the hold, and the dispatch; the first failure wins and nothing
 * before the hold changes state.  Revision differences (§4) follow
 * k_cfg.ptrace_rev: 10.3 (rev B) by default.
 *
 * Who is calling.  A simulated program calls through `sys ptrace` with
 * the request's structures in its own memory; a research tool through
 * ps_ptrace() with them in host memory.  struct pt_caller says which, and
 * pt_copyin/pt_copyout move the bytes: sys_ptrace's copy-in before
 * anything else and copy-out only on success (§3.1), and PT_IO's transfer
 * to and from the tracer's buffer, chunk by chunk, inside proc_rwmem.
 *
 * Trace stops.  FreeBSD's ptracestop sleeps in a loop until the debugger
 * clears TDB_XSIG.  Here the thread is suspended with td_ptstop saying
 * where it waits; when it runs again, userret calls ptrace_userret, which
 * either stops it again (still reporting) or finishes the stop: a signal
 * stop acts on the replacement signal in td_xsig (§3.6), a syscall entry
 * stop makes the call, other event stops drop the replacement.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <procsim/program.h>

#include "base/assert.h"
#include "kern/kern.h"
#include "vm/vm.h"

/* The in-memory layouts of the request structures, for simulated tracers:
 * the public structs' LP64 layout with pointers as addresses. */
struct k_io_desc {
	int32_t piod_op;
	int32_t pad_;
	uint64_t piod_offs;
	uint64_t piod_addr;
	uint64_t piod_len;
};

struct k_vm_entry {
	int32_t pve_entry;
	int32_t pve_timestamp;
	uint64_t pve_start;
	uint64_t pve_end;
	uint64_t pve_offset;
	uint32_t pve_prot;
	uint32_t pve_pathlen;
	int64_t pve_fileid;
	uint32_t pve_fsid;
	uint32_t pad_;
	uint64_t pve_path;
};

_Static_assert(sizeof(void *) == 8, "procsim's simulated tracers assume an LP64 host");
_Static_assert(sizeof(struct k_io_desc) == sizeof(struct ps_ptrace_io_desc), "PT_IO layout");
_Static_assert(offsetof(struct k_io_desc, piod_len) ==
                   offsetof(struct ps_ptrace_io_desc, piod_len), "PT_IO layout");
_Static_assert(sizeof(struct k_vm_entry) == sizeof(struct ps_ptrace_vm_entry), "VM entry layout");
_Static_assert(offsetof(struct k_vm_entry, pve_path) ==
                   offsetof(struct ps_ptrace_vm_entry, pve_path), "VM entry layout");

/* --- the caller's memory --- */

bool
pt_user(const struct pt_caller *c)
{
	return c->uvm != NULL;
}

int
pt_copyin(const struct pt_caller *c, uint64_t uaddr, void *kaddr, size_t len)
{
	if (c->uvm != NULL)
		return vm_copyin(c->uvm, uaddr, kaddr, len);
	if (uaddr == 0)
		return PS_EFAULT;
	memcpy(kaddr, (const void *)(uintptr_t)uaddr, len);
	return 0;
}

int
pt_copyout(const struct pt_caller *c, const void *kaddr, uint64_t uaddr, size_t len)
{
	if (c->uvm != NULL)
		return vm_copyout(c->uvm, kaddr, uaddr, len);
	if (uaddr == 0)
		return PS_EFAULT;
	memcpy((void *)(uintptr_t)uaddr, kaddr, len);
	return 0;
}

/* --- proc_rwmem (spec §1) --- */

/* A transfer: FreeBSD's uio with one iovec. */
struct pt_uio {
	uint64_t uio_offset;          /* Target address. */
	uint64_t uio_resid;           /* Bytes still to move. */
	bool uio_write;               /* Tracer -> target. */
	bool uio_sys;                 /* The tracer side is kernel memory (kbuf). */
	uint8_t *kbuf;                /* UIO_SYSSPACE */
	uint64_t ubuf;                /* UIO_USERSPACE: an address of the caller's. */
	const struct pt_caller *c;
};

/* uiomove for one chunk: n bytes between the page and the tracer side. */
static int
pt_uiomove(uint8_t *page, size_t n, struct pt_uio *uio)
{
	int error = 0;

	if (uio->uio_sys) {
		if (uio->uio_write)
			memcpy(page, uio->kbuf, n);
		else
			memcpy(uio->kbuf, page, n);
		uio->kbuf += n;
	} else {
		if (uio->uio_write)
			error = pt_copyin(uio->c, uio->ubuf, page, n);
		else
			error = pt_copyout(uio->c, page, uio->ubuf, n);
		if (error != 0)
			return error;
		uio->ubuf += n;
	}
	uio->uio_offset += n;
	uio->uio_resid -= n;
	return 0;
}

/*
 * The spec's algorithm RWMEM (§1.3): one page per pass, faulted and held,
 * the chunk moved, the icache synced when the whole page is executable;
 * the body runs at least once; a failure keeps what moved before it.
 */
static int
proc_rwmem(struct kernel *k, struct proc *p, struct pt_uio *uio)
{
	struct vmspace *vm = p->p_vmspace;
	uint64_t va, base;
	uint32_t n;
	uint8_t *page;
	int error;

	(void)k;
	PS_ASSERT_MSG(p->p_lock > 0, "proc_rwmem: pid %d is not held", p->p_pid);
	PS_ASSERT(!PROC_LOCKED(p));
	if (vm == NULL)
		return PS_EFAULT; /* A process with no address space maps nothing. */
	do {
		va = uio->uio_offset;
		base = trunc_page(va);
		/* min() of 32-bit unsigned values (§1.8). */
		n = (uint32_t)(PAGE_SIZE - (va - base));
		if ((uint32_t)uio->uio_resid < n)
			n = (uint32_t)uio->uio_resid;
		if (n == 0 && uio->uio_resid > 0)
			return PS_EFAULT; /* FreeBSD would spin here for ever (§1.8). */
		error = vm_fault_debug(vm, base, uio->uio_write, &page);
		if (error != 0)
			return error == PS_ENOMEM ? PS_ENOMEM : PS_EFAULT;
		error = pt_uiomove(page + (va - base), n, uio);
		if (uio->uio_write && error == 0 &&
		    vm_map_check_protection(vm, base, base + PAGE_SIZE, VM_PROT_EXECUTE))
			vm_sync_icache(vm, va, n);
	} while (error == 0 && uio->uio_resid > 0);
	return error;
}

/* --- PT_VM_ENTRY (spec §2) --- */

/* The simulated file system: program NAME is /bin/NAME, file id its index. */
#define PS_FSID 0x70730000u

static int
ptrace_vm_entry(struct kernel *k, const struct pt_caller *c, struct proc *p,
                struct k_vm_entry *pve)
{
	struct vmspace *vm = p->p_vmspace;
	struct vm_entry_info e;
	char path[96];
	uint32_t cap, i, nents;
	uint64_t addr = 0;
	bool have_obj = false;
	int error = 0;

	if (vm == NULL)
		return PS_ESRCH;
	nents = vm_entry_count(vm);
	/* Step 1: walk to entry pve_entry; no entry here is a sub-map (step 2). */
	if (pve->pve_entry < 0 || (uint32_t)pve->pve_entry > nents)
		return PS_EINVAL;
	if ((uint32_t)pve->pve_entry == nents)
		return PS_ENOENT;
	for (i = 0; i <= (uint32_t)pve->pve_entry; i++) {
		error = vm_entry_lookup(vm, addr, &e);
		PS_ASSERT(error == 0);
		addr = e.end;
	}
	pve->pve_entry = (int32_t)i;
	pve->pve_timestamp = (int32_t)vm_timestamp(vm);
	pve->pve_start = e.start;
	pve->pve_end = e.end - 1;
	pve->pve_offset = e.offset;
	pve->pve_prot = e.prot;
	if (pve->pve_pathlen != 0) {
		cap = pve->pve_pathlen;
		pve->pve_pathlen = 0;
		have_obj = true;
	}
	pve->pve_fsid = (uint32_t)PS_VNOVAL;
	pve->pve_fileid = PS_VNOVAL;
	if (!have_obj || e.obj_type != OBJT_IMAGE || p->p_prog == NULL)
		return 0;
	/* A program's text and data are its file's: the bottom object is a vnode. */
	int len = snprintf(path, sizeof(path), "/bin/%s", program_name(p->p_prog));
	pve->pve_fileid = program_fileid(k, p->p_prog);
	pve->pve_fsid = PS_FSID;
	pve->pve_pathlen = (uint32_t)len + 1;
	if (pve->pve_pathlen > cap)
		return PS_ENAMETOOLONG;
	return pt_copyout(c, path, pve->pve_path, pve->pve_pathlen);
}

/* --- the trace stop (spec A.1) and its end --- */

/* The thread is suspended for the debugger (ptracestop).  Proc locked. */
void
ptracestop(struct kernel *k, struct thread *td, int sig, int kind, const struct ksiginfo *ksi)
{
	struct proc *p = td->td_proc;

	PROC_LOCK_ASSERT(p, MA_OWNED);
	PS_ASSERT((p->p_flag & P_TRACED) != 0);
	td->td_dbgflags |= TDB_XSIG;
	td->td_xsig = sig;
	td->td_ptstop = (uint8_t)kind;
	memset(&td->td_dbgksi, 0, sizeof(td->td_dbgksi));
	if (ksi != NULL) {
		td->td_dbgksi.ksi_signo = ksi->ksi_signo;
		td->td_dbgksi.ksi_code = ksi->ksi_code;
		td->td_dbgksi.ksi_pid = ksi->ksi_pid;
		td->td_dbgksi.ksi_uid = ksi->ksi_uid;
		td->td_dbgksi.ksi_status = ksi->ksi_status;
	}
	p->p_xthread = td;
	proc_trace_stop(k, p, sig);
}

/*
 * td runs again after a trace stop (or owes its stop at fork): finish it.
 * Returns false when td stopped again or its process is gone.
 */
bool
ptrace_userret(struct kernel *k, struct thread *td)
{
	struct proc *p = td->td_proc;
	int sig, kind;

	PROC_LOCK(p);
	if ((td->td_dbgflags & TDB_STOPATFORK) != 0) {
		/* The child of PT_FOLLOW_FORK reports its birth (fork_return). */
		td->td_dbgflags &= ~TDB_STOPATFORK;
		if ((p->p_flag & P_TRACED) != 0) {
			td->td_dbgflags |= TDB_CHILD | TDB_SCX;
			ptracestop(k, td, PS_SIGSTOP, PTS_EVENT, NULL);
			PROC_UNLOCK(p);
			return false;
		}
	}
	if (td->td_ptstop == PTS_NONE) {
		PROC_UNLOCK(p);
		return true;
	}
	if ((p->p_flag & P_TRACED) != 0 && (td->td_dbgflags & TDB_XSIG) != 0) {
		/* Nobody resumed this thread's report: it stops again and reports. */
		p->p_xthread = td;
		proc_trace_stop(k, p, td->td_xsig);
		PROC_UNLOCK(p);
		return false;
	}
	kind = td->td_ptstop;
	sig = td->td_xsig;
	td->td_ptstop = PTS_NONE;
	td->td_dbgflags &= ~(TDB_XSIG | TDB_SCE | TDB_SCX | TDB_EXEC | TDB_FORK | TDB_CHILD);
	if (kind == PTS_SCE) {
		PROC_UNLOCK(p);
		trap_syscall_resume(k, td);
		return p->p_state == PRS_NORMAL && (p->p_flag & P_WEXIT) == 0;
	}
	if (kind != PTS_SIGNAL || sig == 0) {
		if (kind == PTS_SIGNAL)
			kevent_emit(k, PS_EV_SIGNAL_DISCARD, p, 0, td->td_dbgksi.ksi_signo, 0,
			            "debugger gave no signal");
		PROC_UNLOCK(p);
		return true;
	}
	/*
	 * issignal after ptracestop: the replacement goes back on the queue.
	 * Masked, or no longer traced, it waits there for the normal scan;
	 * otherwise it is acted on now, without another trace stop.
	 */
	if ((td->td_sigmask & SIGMASK(sig)) != 0 || (p->p_flag & P_TRACED) == 0) {
		sigqueue_requeue(p, sig);
		PROC_UNLOCK(p);
		return true;
	}
	if (!postsig_traced(k, p, td, sig))
		return false;
	PROC_UNLOCK(p);
	return true;
}

/* --- kern_ptrace (spec §3) --- */

static bool
req_takes_tree(int req)
{
	switch (req) {
	case PS_PT_TRACE_ME:
	case PS_PT_ATTACH:
	case PS_PT_STEP:
	case PS_PT_CONTINUE:
	case PS_PT_TO_SCE:
	case PS_PT_TO_SCX:
	case PS_PT_SYSCALL:
	case PS_PT_FOLLOW_FORK:
	case PS_PT_DETACH:
		return true;
	default:
		return false;
	}
}

static int
suspended_threads(const struct proc *p)
{
	int n = 0;

	for (const struct thread *td = p->p_threads; td != NULL; td = td->td_plist)
		n += (td->td_inhibitors & TDI_SUSPENDED) != 0;
	return n;
}

/* Take p off whatever orphan list holds it (clear_orphan). */
void
proc_clear_orphan(struct kernel *k, struct proc *p)
{
	(void)k;
	if (p->p_orphan_of == NULL)
		return;
	LIST_REMOVE(p, p_orphan);
	p->p_orphan_of = NULL;
}

/* Bounded ancestor walk (§3.3 PT_ATTACH (3)): is a on cur's parent chain? */
static bool
chain_has(struct kernel *k, struct proc *cur, struct proc *a)
{
	int32_t steps = 0;

	for (struct proc *pp = cur->p_pptr; pp != NULL; pp = pp->p_pptr) {
		if (pp == a)
			return true;
		/* The seeds loop for ever once an attach made the chain a
		 * cycle; the simulator stops after every process (§3.3). */
		if (++steps > k->nprocs || pp == k->proc0)
			break;
	}
	return false;
}

/* The machine-dependent hooks (§3.5.3, §3.5.6). */
static int
ptrace_set_pc(struct thread *td, uint64_t addr)
{
	if ((addr & (CPU_INSN_SIZE - 1)) != 0)
		return PS_EINVAL; /* Instructions are 8-byte aligned (docs/isa.md). */
	if (td->td_frame.pc != addr)
		td->td_frame.work_left = 0;
	td->td_frame.pc = addr;
	return 0;
}

static int
ptrace_single_step(struct thread *td)
{
	td->td_dbgflags |= TDB_STEP;
	return 0;
}

static int
ptrace_clear_single_step(struct thread *td)
{
	td->td_dbgflags &= ~TDB_STEP;
	return 0;
}

static void
fill_regs(const struct thread *td, struct ps_regs *r)
{
	memset(r, 0, sizeof(*r));
	memcpy(r->r, td->td_frame.r, sizeof(r->r));
	r->pc = td->td_frame.pc;
	r->sp = td->td_frame.sp;
	r->flags = td->td_frame.flags;
}

static int
set_regs(struct thread *td, const struct ps_regs *r)
{
	if ((r->flags & ~(uint64_t)(CPU_FL_Z | CPU_FL_N | CPU_FL_C)) != 0)
		return PS_EINVAL; /* Only the condition flags are the user's. */
	if (r->pc != td->td_frame.pc)
		td->td_frame.work_left = 0;
	memcpy(td->td_frame.r, r->r, sizeof(r->r));
	td->td_frame.pc = r->pc;
	td->td_frame.sp = r->sp;
	td->td_frame.flags = r->flags;
	return 0;
}

/* td's debugger-set registers, allocated zeroed on first use; NULL: ENOMEM. */
static struct thread_md *
thread_md(struct thread *td)
{
	if (td->td_md == NULL)
		td->td_md = calloc(1, sizeof(*td->td_md));
	return td->td_md;
}

static int
set_dbregs(struct thread *td, const struct ps_dbreg *d)
{
	struct thread_md *md;

	for (int i = 0; i < 4; i++)
		if (d->dr[i] >= VM_MAXUSER_ADDRESS)
			return PS_EINVAL;
	if ((d->dr[7] & 0x0000dc00ull) != 0 || (d->dr[7] >> 32) != 0)
		return PS_EINVAL;
	if ((md = thread_md(td)) == NULL)
		return PS_ENOMEM;
	memcpy(md->md_dbregs, d->dr, sizeof(md->md_dbregs));
	return 0;
}

static void
fill_lwpinfo(struct kernel *k, struct proc *p, struct thread *td2, int data,
             struct ps_ptrace_lwpinfo *pl)
{
	memset(pl, 0, sizeof(*pl));
	pl->pl_lwpid = td2->td_tid;
	pl->pl_event = PS_PL_EVENT_NONE;
	pl->pl_flags = 0;
	if ((td2->td_dbgflags & TDB_XSIG) != 0) {
		pl->pl_event = PS_PL_EVENT_SIGNAL;
		if (td2->td_dbgksi.ksi_signo != 0 &&
		    (size_t)data >= offsetof(struct ps_ptrace_lwpinfo, pl_siginfo) +
		                        sizeof(pl->pl_siginfo)) {
			pl->pl_flags |= PS_PL_FLAG_SI;
			pl->pl_siginfo.signo = td2->td_dbgksi.ksi_signo;
			pl->pl_siginfo.code = td2->td_dbgksi.ksi_code;
			pl->pl_siginfo.pid = td2->td_dbgksi.ksi_pid;
			pl->pl_siginfo.uid = td2->td_dbgksi.ksi_uid;
			pl->pl_siginfo.status = td2->td_dbgksi.ksi_status;
		}
	}
	if ((td2->td_dbgflags & TDB_SCE) != 0)
		pl->pl_flags |= PS_PL_FLAG_SCE;
	else if ((td2->td_dbgflags & TDB_SCX) != 0)
		pl->pl_flags |= PS_PL_FLAG_SCX;
	if ((td2->td_dbgflags & TDB_EXEC) != 0)
		pl->pl_flags |= PS_PL_FLAG_EXEC;
	if ((td2->td_dbgflags & TDB_FORK) != 0) {
		pl->pl_flags |= PS_PL_FLAG_FORKED;
		pl->pl_child_pid = td2->td_dbg_forked;
	}
	if ((td2->td_dbgflags & TDB_CHILD) != 0)
		pl->pl_flags |= PS_PL_FLAG_CHILD;
	pl->pl_sigmask = td2->td_sigmask;
	pl->pl_siglist = 0; /* Signals are process-wide here: no thread-private ones. */
	snprintf(pl->pl_tdname, sizeof(pl->pl_tdname), "%s", p->p_comm);
	if (k->k_cfg.ptrace_rev == PS_PTRACE_REV_B &&
	    (td2->td_dbgflags & (TDB_SCE | TDB_SCX)) != 0) {
		pl->pl_syscall_code = (uint32_t)td2->td_dbg_sc_code;
		pl->pl_syscall_narg = (uint32_t)td2->td_dbg_sc_narg;
	}
}

static size_t
lwpinfo_size(const struct kernel *k)
{
	return k->k_cfg.ptrace_rev == PS_PTRACE_REV_A ? PS_PT_LWPINFO_SIZE_A
	                                               : PS_PT_LWPINFO_SIZE_B;
}

/* The common resume path ("sendsig", §3.6).  Proc locked, tree released. */
static void
ptrace_resume(struct kernel *k, struct proc *p, struct thread *td2, int req, int data)
{
	p->p_xstat = data;
	p->p_xthread = NULL;
	if ((p->p_flag & (P_STOPPED_TRACE | P_STOPPED_SIG)) != 0) {
		td2->td_dbgflags &= ~TDB_XSIG;
		td2->td_xsig = data;
		if (req == PS_PT_DETACH)
			for (struct thread *td3 = p->p_threads; td3 != NULL; td3 = td3->td_plist)
				td3->td_dbgflags &= ~TDB_SUSPEND;
		p->p_flag &= ~(P_STOPPED_TRACE | P_STOPPED_SIG | P_WAITED);
		kevent_emit(k, PS_EV_CONTINUE, p, 0, data, 0, "debugger");
		thread_unsuspend_all(k, p);
		if (req == PS_PT_ATTACH)
			kern_psignal(k, p, data);
	} else if (data != 0) {
		kern_psignal(k, p, data);
	}
}

static int
ptrace_detach(struct kernel *k, struct proc *p)
{
	struct proc *pp;

	sx_assert(&k->proctree_lock, SA_XLOCKED);
	if (k->k_cfg.ptrace_rev == PS_PTRACE_REV_B) {
		p->p_flag &= ~(P_TRACED | P_WAITED | P_FOLLOWFORK);
		k->ntraced--;
	}
	if (p->p_oppid != p->p_pptr->p_pid) {
		pp = proc_realparent(k, p); /* Through the orphan list (spec A.4). */
		proc_reparent(k, p, pp);
		if (pp == k->initproc)
			p->p_sigparent = PS_SIGCHLD;
	}
	p->p_oppid = 0;
	if (k->k_cfg.ptrace_rev == PS_PTRACE_REV_B) {
		p->p_stops = 0;
	} else {
		p->p_flag &= ~(P_TRACED | P_WAITED | P_FOLLOWFORK);
		k->ntraced--;
	}
	return 0;
}

/*
 * kern_ptrace(td, req, pid, addr, data) for the caller c.  addr is the
 * raw argument, or for the requests sys_ptrace copies in, the kernel copy
 * (kaddr).  *retval gets td_retval[0].
 */
static int
kern_ptrace(struct kernel *k, const struct pt_caller *c, int req, int32_t pid, uint64_t addr,
            void *kaddr, int data, int *retval)
{
	struct proc *curp = c->p, *p;
	struct thread *td2 = NULL;
	bool tree = false, held = false;
	int32_t tid = 0;
	int error = 0;

	*retval = 0;
	/* Phase 1 */
	if (req_takes_tree(req)) {
		sx_xlock(k, &k->proctree_lock);
		tree = true;
	}
	/* Phase 2 */
	if (req == PS_PT_TRACE_ME) {
		p = curp;
		PROC_LOCK(p);
	} else {
		sx_slock(k, &k->allproc_lock);
		if (pid <= k->k_cfg.pid_max) {
			p = pfind_locked(k, pid);
		} else {
			p = pfind_tid_locked(k, pid);
			if (p != NULL) {
				tid = pid;
				for (td2 = p->p_threads; td2->td_tid != tid; td2 = td2->td_plist)
					;
				pid = p->p_pid;
			}
		}
		sx_sunlock(k, &k->allproc_lock);
		if (p == NULL) {
			if (tree)
				sx_xunlock(k, &k->proctree_lock);
			return PS_ESRCH;
		}
	}
	/* Phase 3 */
	if ((p->p_flag & P_WEXIT) != 0) {
		error = PS_ESRCH;
		goto fail;
	}
	if ((error = p_cansee(k, curp, p)) != 0 || (error = p_candebug(k, curp, p)) != 0)
		goto fail;
	if ((p->p_flag & P_SYSTEM) != 0) {
		error = PS_EINVAL;
		goto fail;
	}
	/* Phase 4 (§7.1) */
	if (tid == 0) {
		if ((p->p_flag & P_STOPPED_TRACE) != 0) {
			PS_ASSERT_MSG(p->p_xthread != NULL, "pid %d: trace stop without p_xthread",
			              p->p_pid);
			td2 = p->p_xthread;
		} else {
			td2 = p->p_threads;
		}
		tid = td2->td_tid;
	}
	/* Phase 6 (§3.3) */
	switch (req) {
	case PS_PT_TRACE_ME:
		if (k->k_cfg.ptrace_rev == PS_PTRACE_REV_B) {
			if ((p->p_flag & P_TRACED) != 0) {
				error = PS_EBUSY;
				goto fail;
			}
			if (p->p_pptr == k->initproc) {
				error = PS_EPERM;
				goto fail;
			}
		}
		break;
	case PS_PT_ATTACH:
		if (p == curp) {
			error = PS_EINVAL;
			goto fail;
		}
		if ((p->p_flag & P_TRACED) != 0) {
			error = PS_EBUSY;
			goto fail;
		}
		if ((curp->p_flag & P_TRACED) != 0 && chain_has(k, curp, p)) {
			error = PS_EINVAL;
			goto fail;
		}
		break;
	case PS_PT_CLEARSTEP:
		if (c->td != NULL && td2 == c->td)
			break;
		/* FALLTHROUGH */
	default:
		if ((p->p_flag & P_TRACED) == 0) {
			error = PS_EPERM;
			goto fail;
		}
		if (p->p_pptr != curp) {
			error = PS_EBUSY;
			goto fail;
		}
		if ((p->p_flag & (P_STOPPED_SIG | P_STOPPED_TRACE)) == 0 ||
		    suspended_threads(p) != p->p_numthreads || (p->p_flag & P_WAITED) == 0) {
			error = PS_EBUSY;
			goto fail;
		}
		/* Stopped by a job-control signal only: the seed warns once; allowed. */
		break;
	}
	/* Phase 7 */
	_PHOLD(k, p);
	held = true;
	/* Phase 9 */
	switch (req) {
	case PS_PT_TRACE_ME:
		if ((p->p_flag & P_TRACED) == 0)
			k->ntraced++;
		p->p_flag |= P_TRACED;
		if ((p->p_flag & P_PPWAIT) != 0)
			p->p_flag |= P_PPTRACE;
		p->p_oppid = p->p_pptr->p_pid;
		break;

	case PS_PT_ATTACH:
		p->p_flag |= P_TRACED;
		k->ntraced++;
		p->p_oppid = p->p_pptr->p_pid;
		if (p->p_pptr != curp)
			proc_reparent(k, p, curp);
		data = PS_SIGSTOP;
		goto sendsig;

	case PS_PT_CLEARSTEP:
		error = ptrace_clear_single_step(td2);
		break;

	case PS_PT_SETSTEP:
		error = ptrace_single_step(td2);
		break;

	case PS_PT_SUSPEND:
		td2->td_dbgflags |= TDB_SUSPEND;
		break;

	case PS_PT_RESUME:
		td2->td_dbgflags &= ~TDB_SUSPEND;
		break;

	case PS_PT_FOLLOW_FORK:
		if (data != 0)
			p->p_flag |= P_FOLLOWFORK;
		else
			p->p_flag &= ~P_FOLLOWFORK;
		break;

	case PS_PT_STEP:
	case PS_PT_CONTINUE:
	case PS_PT_TO_SCE:
	case PS_PT_TO_SCX:
	case PS_PT_SYSCALL:
	case PS_PT_DETACH:
		if (data < 0 || data > 128) {
			error = PS_EINVAL;
			break;
		}
		if (data >= PS_NSIG) {
			/* Valid for the seed (_SIG_MAXSIG 128), beyond what is modelled. */
			error = PS_EINVAL;
			break;
		}
		switch (req) {
		case PS_PT_STEP:
			error = ptrace_single_step(td2);
			if (error != 0)
				goto out;
			break;
		case PS_PT_CONTINUE:
		case PS_PT_TO_SCE:
		case PS_PT_TO_SCX:
		case PS_PT_SYSCALL:
			if (addr != 1) {
				error = ptrace_set_pc(td2, addr);
				if (error != 0)
					goto out;
			}
			if (req == PS_PT_TO_SCE)
				p->p_stops |= S_PT_SCE;
			else if (req == PS_PT_TO_SCX)
				p->p_stops |= S_PT_SCX;
			else if (req == PS_PT_SYSCALL)
				p->p_stops |= S_PT_SCE | S_PT_SCX;
			break;
		case PS_PT_DETACH:
			ptrace_detach(k, p);
			break;
		}
		goto sendsig;

	case PS_PT_KILL:
		data = PS_SIGKILL;
		goto sendsig;

	case PS_PT_WRITE_I:
	case PS_PT_WRITE_D:
	case PS_PT_READ_I:
	case PS_PT_READ_D: {
		int32_t word = 0;
		struct pt_uio uio = {
			.uio_offset = addr, .uio_resid = sizeof(word), .uio_sys = true,
			.kbuf = (uint8_t *)&word, .c = c,
		};

		if (req == PS_PT_WRITE_I || req == PS_PT_WRITE_D) {
			td2->td_dbgflags |= TDB_USERWR;
			uio.uio_write = true;
			word = data;
		}
		PROC_UNLOCK(p);
		error = proc_rwmem(k, p, &uio);
		/* The seed also converts ENOSPC, which proc_rwmem never gives. */
		if (uio.uio_resid != 0 && (error == 0 || error == PS_EPERM))
			error = PS_EINVAL;
		if (!uio.uio_write)
			*retval = word;
		PROC_LOCK(p);
		break;
	}

	case PS_PT_IO: {
		struct k_io_desc *piod = kaddr;
		struct pt_uio uio = { .c = c };

		uio.uio_offset = piod->piod_offs;
		uio.uio_resid = piod->piod_len;
		uio.ubuf = piod->piod_addr;
		switch (piod->piod_op) {
		case PS_PIOD_READ_D:
		case PS_PIOD_READ_I:
			break;
		case PS_PIOD_WRITE_D:
		case PS_PIOD_WRITE_I:
			uio.uio_write = true;
			break;
		default:
			error = PS_EINVAL;
			goto out;
		}
		if (piod->piod_len >= ((uint64_t)1 << 32)) {
			/* The seed would spin on such a length (§1.8): refused
			 * before anything happens. */
			error = PS_EINVAL;
			goto out;
		}
		if (uio.uio_write)
			td2->td_dbgflags |= TDB_USERWR;
		PROC_UNLOCK(p);
		error = proc_rwmem(k, p, &uio);
		piod->piod_len -= uio.uio_resid;
		PROC_LOCK(p);
		break;
	}

	case PS_PT_SETREGS:
		td2->td_dbgflags |= TDB_USERWR;
		error = set_regs(td2, kaddr);
		break;
	case PS_PT_GETREGS:
		fill_regs(td2, kaddr);
		break;
	case PS_PT_SETFPREGS: {
		const struct ps_fpreg *f = kaddr;

		struct thread_md *md = thread_md(td2);

		if (md == NULL) {
			error = PS_ENOMEM;
			break;
		}
		td2->td_dbgflags |= TDB_USERWR;
		memcpy(md->md_fpregs, f->fpr, sizeof(f->fpr));
		md->md_fpregs[8] = (uint64_t)f->fpsr << 32 | f->fpcr;
		break;
	}
	case PS_PT_GETFPREGS: {
		static const struct thread_md zero;
		const struct thread_md *md = td2->td_md != NULL ? td2->td_md : &zero;
		struct ps_fpreg *f = kaddr;

		memcpy(f->fpr, md->md_fpregs, sizeof(f->fpr));
		f->fpsr = (uint32_t)(md->md_fpregs[8] >> 32);
		f->fpcr = (uint32_t)md->md_fpregs[8];
		break;
	}
	case PS_PT_SETDBREGS:
		td2->td_dbgflags |= TDB_USERWR;
		error = set_dbregs(td2, kaddr);
		break;
	case PS_PT_GETDBREGS: {
		static const struct thread_md zero;
		const struct thread_md *md = td2->td_md != NULL ? td2->td_md : &zero;

		memcpy(((struct ps_dbreg *)kaddr)->dr, md->md_dbregs, sizeof(md->md_dbregs));
		break;
	}

	case PS_PT_LWPINFO:
		if (data <= 0 || (size_t)data > lwpinfo_size(k)) {
			error = PS_EINVAL;
			break;
		}
		fill_lwpinfo(k, p, td2, data, kaddr);
		break;

	case PS_PT_GETNUMLWPS:
		*retval = p->p_numthreads;
		break;

	case PS_PT_GETLWPLIST: {
		int32_t *buf, num, n = 0;

		if (data <= 0) {
			error = PS_EINVAL;
			break;
		}
		num = p->p_numthreads < data ? p->p_numthreads : data;
		PROC_UNLOCK(p);
		buf = calloc((size_t)num, sizeof(*buf));
		PROC_LOCK(p);
		if (buf == NULL) {
			error = PS_ENOMEM;
			break;
		}
		for (struct thread *t = p->p_threads; t != NULL && n < num; t = t->td_plist)
			buf[n++] = t->td_tid;
		PROC_UNLOCK(p);
		error = pt_copyout(c, buf, addr, (size_t)n * sizeof(*buf));
		free(buf);
		if (error == 0)
			*retval = n;
		PROC_LOCK(p);
		break;
	}

	case PS_PT_VM_TIMESTAMP:
		*retval = p->p_vmspace != NULL ? (int)vm_timestamp(p->p_vmspace) : 0;
		break;

	case PS_PT_VM_ENTRY:
		PROC_UNLOCK(p);
		error = ptrace_vm_entry(k, c, p, kaddr);
		PROC_LOCK(p);
		break;

	default:
		/* PT_FIRSTMACH and above: no machine-dependent requests. */
		error = PS_EINVAL;
		break;
	}
	goto out;

sendsig:
	if (tree) {
		sx_xunlock(k, &k->proctree_lock);
		tree = false;
	}
	ptrace_resume(k, p, td2, req, data);

out:
	if (held)
		_PRELE(k, p);
fail:
	PROC_UNLOCK(p);
	if (tree)
		sx_xunlock(k, &k->proctree_lock);
	return error;
}

/* The size of the structure sys_ptrace copies for req, 0 for none. */
static size_t
req_struct_size(const struct kernel *k, int req)
{
	switch (req) {
	case PS_PT_GETREGS:
	case PS_PT_SETREGS:
		return sizeof(struct ps_regs);
	case PS_PT_GETFPREGS:
	case PS_PT_SETFPREGS:
		return sizeof(struct ps_fpreg);
	case PS_PT_GETDBREGS:
	case PS_PT_SETDBREGS:
		return sizeof(struct ps_dbreg);
	case PS_PT_LWPINFO:
		return lwpinfo_size(k);
	case PS_PT_IO:
		return sizeof(struct k_io_desc);
	case PS_PT_VM_ENTRY:
		return sizeof(struct k_vm_entry);
	default:
		return 0;
	}
}

/* The trace's record of a request: who asked what of whom, and the result. */
static void
ptrace_event(struct kernel *k, const struct pt_caller *c, int req, int32_t pid, int data,
             int result)
{
	char name[24];
	const char *n = ps_ptrace_request_name(req);
	int sig = 0;

	if (n == NULL) {
		snprintf(name, sizeof(name), "request %d", req);
		n = name;
	}
	switch (req) {
	case PS_PT_CONTINUE: case PS_PT_STEP: case PS_PT_DETACH: case PS_PT_TO_SCE:
	case PS_PT_TO_SCX: case PS_PT_SYSCALL:
		sig = data > 0 && data < PS_NSIG ? data : 0;
		break;
	default:
		break;
	}
	kevent_emit(k, PS_EV_PTRACE, c->p, pid, sig, result, n);
}

/*
 * sys_ptrace (§3.1): the copy-in before anything else, kern_ptrace, and
 * the copy-out only when the request succeeded.
 */
int
sys_ptrace(struct kernel *k, const struct pt_caller *c, int req, int32_t pid, uint64_t addr,
           int data, int *retval)
{
	union {
		struct ps_regs reg;
		struct ps_fpreg fpreg;
		struct ps_dbreg dbreg;
		struct ps_ptrace_lwpinfo pl;
		struct k_io_desc piod;
		struct k_vm_entry pve;
	} r;
	size_t size = req_struct_size(k, req);
	void *kaddr = NULL;
	int error, rv = 0;

	memset(&r, 0, sizeof(r));
	if (size != 0)
		kaddr = &r;
	switch (req) {
	case PS_PT_SETREGS:
	case PS_PT_SETFPREGS:
	case PS_PT_SETDBREGS:
	case PS_PT_VM_ENTRY:
		if ((error = pt_copyin(c, addr, &r, size)) != 0)
			goto done;
		break;
	case PS_PT_IO:
		if (pt_user(c)) {
			if ((error = pt_copyin(c, addr, &r.piod, sizeof(r.piod))) != 0)
				goto done;
		} else {
			struct ps_ptrace_io_desc hd;

			if ((error = pt_copyin(c, addr, &hd, sizeof(hd))) != 0)
				goto done;
			r.piod.piod_op = hd.piod_op;
			r.piod.piod_offs = hd.piod_offs;
			r.piod.piod_addr = (uint64_t)(uintptr_t)hd.piod_addr;
			r.piod.piod_len = hd.piod_len;
		}
		break;
	default:
		break;
	}
	error = kern_ptrace(k, c, req, pid, addr, kaddr, data, &rv);
	if (error != 0)
		goto done;
	switch (req) {
	case PS_PT_VM_ENTRY:
		error = pt_copyout(c, &r.pve, addr, sizeof(r.pve));
		break;
	case PS_PT_IO:
		if (pt_user(c)) {
			error = pt_copyout(c, &r.piod, addr, sizeof(r.piod));
		} else {
			struct ps_ptrace_io_desc hd;

			memset(&hd, 0, sizeof(hd));
			hd.piod_op = r.piod.piod_op;
			hd.piod_offs = r.piod.piod_offs;
			hd.piod_addr = (void *)(uintptr_t)r.piod.piod_addr;
			hd.piod_len = r.piod.piod_len;
			error = pt_copyout(c, &hd, addr, sizeof(hd));
		}
		break;
	case PS_PT_GETREGS:
	case PS_PT_GETFPREGS:
	case PS_PT_GETDBREGS:
		error = pt_copyout(c, &r, addr, size);
		break;
	case PS_PT_LWPINFO:
		error = pt_copyout(c, &r.pl, addr, (size_t)data);
		break;
	default:
		break;
	}
	if (error == 0)
		*retval = rv;
done:
	/* The trace records what the caller got: the error, or the value. */
	ptrace_event(k, c, req, pid, data, error != 0 ? error : rv);
	return error;
}

/* --- procctl (spec §5, rev A) --- */

static int
p_cansched(struct kernel *k, struct proc *cur, struct proc *p)
{
	const struct ucred *cr = &cur->p_ucred, *pc = &p->p_ucred;
	int error;

	if (cur == p)
		return 0;
	if ((error = p_cansee(k, cur, p)) != 0)
		return error;
	if (cr->cr_ruid != pc->cr_ruid && cr->cr_uid != pc->cr_ruid && cr->cr_ruid != pc->cr_uid &&
	    cr->cr_uid != pc->cr_uid)
		return priv_check_cred(cr);
	return 0;
}

static int
protect_setchild(struct kernel *k, struct proc *cur, struct proc *p, int flags)
{
	PROC_LOCK_ASSERT(p, MA_OWNED);
	if ((p->p_flag & P_SYSTEM) != 0 || p_cansched(k, cur, p) != 0)
		return 0;
	if ((flags & PS_PPROT_SET) != 0) {
		p->p_flag |= P_PROTECTED;
		if ((flags & PS_PPROT_INHERIT) != 0)
			p->p_flag2 |= P2_INHERIT_PROTECTED;
	} else {
		p->p_flag &= ~P_PROTECTED;
		p->p_flag2 &= ~P2_INHERIT_PROTECTED;
	}
	return 1;
}

/*
 * Pre-order walk of top's subtree by the current child lists (§5.5).  The
 * seed has no guard against a cycle made by a child attaching to its
 * parent; the walk here visits at most every process once (a documented
 * divergence).
 */
static int
protect_setchildren(struct kernel *k, struct proc *cur, struct proc *top, int flags)
{
	struct proc *p = top;
	int ret = 0;
	int32_t visits = 0;

	sx_assert(&k->proctree_lock, SA_LOCKED);
	for (;;) {
		ret |= protect_setchild(k, cur, p, flags);
		PROC_UNLOCK(p);
		if (++visits > k->nprocs)
			break;
		if (!LIST_EMPTY(&p->p_children)) {
			p = LIST_FIRST(&p->p_children);
		} else {
			for (;;) {
				if (p == top)
					goto done;
				if (LIST_NEXT(p, p_sibling) != NULL) {
					p = LIST_NEXT(p, p_sibling);
					break;
				}
				p = p->p_pptr;
			}
		}
		PROC_LOCK(p);
	}
done:
	PROC_LOCK(top);
	return ret;
}

static int
protect_set(struct kernel *k, struct proc *cur, struct proc *p, int flags)
{
	int error, ret;

	switch (PS_PPROT_OP(flags)) {
	case PS_PPROT_SET:
	case PS_PPROT_CLEAR:
		break;
	default:
		return PS_EINVAL;
	}
	if ((PS_PPROT_FLAGS(flags) & ~(PS_PPROT_DESCEND | PS_PPROT_INHERIT)) != 0)
		return PS_EINVAL;
	if ((error = priv_check_cred(&cur->p_ucred)) != 0)
		return error;
	if ((flags & PS_PPROT_DESCEND) != 0)
		ret = protect_setchildren(k, cur, p, flags);
	else
		ret = protect_setchild(k, cur, p, flags);
	return ret == 0 ? PS_EPERM : 0;
}

static int
kern_procctl_single(struct kernel *k, struct proc *cur, struct proc *p, int com, int flags)
{
	PROC_LOCK_ASSERT(p, MA_OWNED);
	if (com == PS_PROC_SPROTECT)
		return protect_set(k, cur, p, flags);
	return PS_EINVAL;
}

static int
kern_procctl(struct kernel *k, struct proc *cur, int idtype, int64_t id, int com, int flags)
{
	struct pgrp *pg;
	struct proc *p;
	int error, first_error, ok;

	sx_slock(k, &k->proctree_lock);
	switch (idtype) {
	case PS_PROCCTL_P_PID:
		p = id < 0 || id > k->k_cfg.pid_max ? NULL : pfind(k, (pid_t_)id);
		if (p == NULL) {
			error = PS_ESRCH;
			break;
		}
		error = p_cansee(k, cur, p);
		if (error == 0)
			error = kern_procctl_single(k, cur, p, com, flags);
		PROC_UNLOCK(p);
		break;
	case PS_PROCCTL_P_PGID:
		pg = id < 0 || id > k->k_cfg.pid_max ? NULL : pgfind(k, (pid_t_)id);
		if (pg == NULL) {
			error = PS_ESRCH;
			break;
		}
		PGRP_UNLOCK(pg);
		ok = 0;
		first_error = 0;
		LIST_FOREACH(p, &pg->pg_members, p_pglist) {
			PROC_LOCK(p);
			if (p->p_state == PRS_NEW || p_cansee(k, cur, p) != 0) {
				PROC_UNLOCK(p);
				continue;
			}
			error = kern_procctl_single(k, cur, p, com, flags);
			PROC_UNLOCK(p);
			if (error == 0)
				ok = 1;
			else if (first_error == 0)
				first_error = error;
		}
		if (ok)
			error = 0;
		else if (first_error != 0)
			error = first_error;
		else
			error = PS_ESRCH;
		break;
	default:
		error = PS_EINVAL;
		break;
	}
	sx_sunlock(k, &k->proctree_lock);
	return error;
}

int
sys_procctl(struct kernel *k, const struct pt_caller *c, int idtype, int64_t id, int com,
            uint64_t data)
{
	int32_t flags;
	int error;

	if (com != PS_PROC_SPROTECT)
		return PS_EINVAL;
	char what[48];

	if ((error = pt_copyin(c, data, &flags, sizeof(flags))) != 0)
		return error;
	error = kern_procctl(k, c->p, idtype, id, com, flags);
	snprintf(what, sizeof(what), "PROC_SPROTECT %s %#x",
	         idtype == PS_PROCCTL_P_PID ? "P_PID" : idtype == PS_PROCCTL_P_PGID ? "P_PGID" : "?",
	         (unsigned)flags);
	kevent_emit(k, PS_EV_PROCCTL, c->p, id > INT32_MAX || id < INT32_MIN ? 0 : (int32_t)id, 0,
	            error, what);
	return error;
}

/* --- names --- */

static const char *const pt_names[] = {
	[PS_PT_TRACE_ME] = "PT_TRACE_ME",     [PS_PT_READ_I] = "PT_READ_I",
	[PS_PT_READ_D] = "PT_READ_D",         [PS_PT_WRITE_I] = "PT_WRITE_I",
	[PS_PT_WRITE_D] = "PT_WRITE_D",       [PS_PT_CONTINUE] = "PT_CONTINUE",
	[PS_PT_KILL] = "PT_KILL",             [PS_PT_STEP] = "PT_STEP",
	[PS_PT_ATTACH] = "PT_ATTACH",         [PS_PT_DETACH] = "PT_DETACH",
	[PS_PT_IO] = "PT_IO",                 [PS_PT_LWPINFO] = "PT_LWPINFO",
	[PS_PT_GETNUMLWPS] = "PT_GETNUMLWPS", [PS_PT_GETLWPLIST] = "PT_GETLWPLIST",
	[PS_PT_CLEARSTEP] = "PT_CLEARSTEP",   [PS_PT_SETSTEP] = "PT_SETSTEP",
	[PS_PT_SUSPEND] = "PT_SUSPEND",       [PS_PT_RESUME] = "PT_RESUME",
	[PS_PT_TO_SCE] = "PT_TO_SCE",         [PS_PT_TO_SCX] = "PT_TO_SCX",
	[PS_PT_SYSCALL] = "PT_SYSCALL",       [PS_PT_FOLLOW_FORK] = "PT_FOLLOW_FORK",
	[PS_PT_GETREGS] = "PT_GETREGS",       [PS_PT_SETREGS] = "PT_SETREGS",
	[PS_PT_GETFPREGS] = "PT_GETFPREGS",   [PS_PT_SETFPREGS] = "PT_SETFPREGS",
	[PS_PT_GETDBREGS] = "PT_GETDBREGS",   [PS_PT_SETDBREGS] = "PT_SETDBREGS",
	[PS_PT_VM_TIMESTAMP] = "PT_VM_TIMESTAMP", [PS_PT_VM_ENTRY] = "PT_VM_ENTRY",
};

const char *
ps_ptrace_request_name(int req)
{
	if (req < 0 || req >= (int)(sizeof(pt_names) / sizeof(pt_names[0])))
		return NULL;
	return pt_names[req];
}

int
ps_ptrace_request_number(const char *name)
{
	if (name == NULL)
		return PS_EINVAL;
	for (size_t i = 0; i < sizeof(pt_names) / sizeof(pt_names[0]); i++) {
		if (pt_names[i] == NULL)
			continue;
		if (strcasecmp(name, pt_names[i]) == 0 || strcasecmp(name, pt_names[i] + 3) == 0)
			return (int)i;
	}
	return PS_EINVAL;
}
