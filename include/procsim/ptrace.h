/*
 * procsim: ptrace(2) and procctl(2) over the simulated MMU and CPUs
 * (spec-sys_process.md; docs/ptrace.md is the user's guide).
 *
 * A debugger is a simulated process.  A research tool drives one through
 * ps_ptrace(), exactly as a program does with `sys ptrace` (docs/isa.md):
 * the same checks in the same order with the same errors, the same state
 * changes, the same stops.  The tracer collects stops with ps_wait() or
 * ps_wait4() (a traced child's stop is reported without WUNTRACED); every
 * request but PT_TRACE_ME, PT_ATTACH and a thread's PT_CLEARSTEP of itself
 * fails with PS_EBUSY until it has.
 *
 * The default behaviour is FreeBSD 10.3's sys_process.c (rev B of the
 * spec); ps_config.ptrace_rev = PS_PTRACE_REV_A selects the other listing
 * where the two differ (spec §4): PT_TRACE_ME always allowed, PT_DETACH
 * reparenting before it clears P_TRACED (the debugger stays recorded as the
 * real parent) and keeping p_stops, PT_LWPINFO without the syscall fields.
 * procctl(2) is rev A's, the only listing that has it.
 *
 * Results: 0 or a negative PS_E* error, as everywhere in procsim.  A
 * request's own result (the word PT_READ_D read, the thread count of
 * PT_GETNUMLWPS, ...) goes to *retval, which may be NULL.
 */
#ifndef PROCSIM_PTRACE_H
#define PROCSIM_PTRACE_H

#include <stddef.h>
#include <stdint.h>

#include <procsim/run.h>
#include <procsim/sim.h>
#include <procsim/wait.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Which sys_process.c (ps_config.ptrace_rev). */
enum ps_ptrace_rev {
	PS_PTRACE_REV_B = 0, /* releng/10.3: the default. */
	PS_PTRACE_REV_A = 1, /* The development snapshot with procctl. */
};

/* Requests, with FreeBSD's numbers.  3 and 6 are retired; 24-27 belong to
 * later releases and are unknown requests here, as in both listings. */
enum ps_pt_request {
	PS_PT_TRACE_ME = 0,
	PS_PT_READ_I = 1,
	PS_PT_READ_D = 2,
	PS_PT_WRITE_I = 4,
	PS_PT_WRITE_D = 5,
	PS_PT_CONTINUE = 7,
	PS_PT_KILL = 8,
	PS_PT_STEP = 9,
	PS_PT_ATTACH = 10,
	PS_PT_DETACH = 11,
	PS_PT_IO = 12,
	PS_PT_LWPINFO = 13,
	PS_PT_GETNUMLWPS = 14,
	PS_PT_GETLWPLIST = 15,
	PS_PT_CLEARSTEP = 16,
	PS_PT_SETSTEP = 17,
	PS_PT_SUSPEND = 18,
	PS_PT_RESUME = 19,
	PS_PT_TO_SCE = 20,
	PS_PT_TO_SCX = 21,
	PS_PT_SYSCALL = 22,
	PS_PT_FOLLOW_FORK = 23,
	PS_PT_GETREGS = 33,
	PS_PT_SETREGS = 34,
	PS_PT_GETFPREGS = 35,
	PS_PT_SETFPREGS = 36,
	PS_PT_GETDBREGS = 37,
	PS_PT_SETDBREGS = 38,
	PS_PT_VM_TIMESTAMP = 40,
	PS_PT_VM_ENTRY = 41,
	PS_PT_FIRSTMACH = 64, /* Machine-dependent requests: none here (EINVAL). */
};

/* "PT_ATTACH" for 10; NULL for a number no request has. */
PS_EXTERN const char *ps_ptrace_request_name(int req);
/* 10 for "PT_ATTACH" or "ATTACH" (any case); PS_EINVAL if unknown. */
PS_EXTERN int ps_ptrace_request_number(const char *name);

/* PT_CONTINUE and friends: addr 1 resumes where the thread stopped. */
#define PS_PT_ADDR_SAME ((void *)(uintptr_t)1)

/* PT_IO */
#define PS_PIOD_READ_D 1
#define PS_PIOD_WRITE_D 2
#define PS_PIOD_READ_I 3
#define PS_PIOD_WRITE_I 4

struct ps_ptrace_io_desc {
	int32_t piod_op;    /* PS_PIOD_* */
	uint64_t piod_offs; /* Address in the target. */
	void *piod_addr;    /* The tracer's buffer (NULL faults: PS_EFAULT). */
	uint64_t piod_len;  /* Bytes; >= 2^32 is refused with PS_EINVAL (spec §1.8). */
};

/* PT_LWPINFO */
#define PS_PL_EVENT_NONE 0
#define PS_PL_EVENT_SIGNAL 1
#define PS_PL_FLAG_SA 0x01
#define PS_PL_FLAG_BOUND 0x02
#define PS_PL_FLAG_SCE 0x04
#define PS_PL_FLAG_SCX 0x08
#define PS_PL_FLAG_EXEC 0x10
#define PS_PL_FLAG_SI 0x20
#define PS_PL_FLAG_FORKED 0x40
#define PS_PL_FLAG_CHILD 0x80

struct ps_ptrace_lwpinfo {
	int32_t pl_lwpid;            /* The thread described. */
	int32_t pl_event;            /* PS_PL_EVENT_* */
	int32_t pl_flags;            /* PS_PL_FLAG_* */
	uint32_t pl_sigmask;         /* Its blocked signals. */
	uint32_t pl_siglist;         /* Its thread-private pending signals. */
	struct ps_siginfo pl_siginfo; /* With PS_PL_FLAG_SI, else zeros. */
	char pl_tdname[20];          /* Its name. */
	int32_t pl_child_pid;        /* With PS_PL_FLAG_FORKED, else 0. */
	/* Rev B only: the request's size limit ends before these in rev A. */
	uint32_t pl_syscall_code;    /* At a syscall stop, the call's number. */
	uint32_t pl_syscall_narg;    /* ... and its argument count. */
};

/* The largest data PT_LWPINFO accepts under each revision. */
#define PS_PT_LWPINFO_SIZE_B sizeof(struct ps_ptrace_lwpinfo)
#define PS_PT_LWPINFO_SIZE_A offsetof(struct ps_ptrace_lwpinfo, pl_syscall_code)

/* PT_GETREGS / PT_SETREGS: the thread's user registers, struct ps_regs of
 * procsim/run.h (r0-r15, pc, sp, flags).  PT_SETREGS refuses flags other
 * than the condition bits (1 Z, 2 N, 4 C) with PS_EINVAL. */

/* PT_GETFPREGS / PT_SETFPREGS: the ISA has no floating point; the file is
 * kept per thread so that a debugger can save and restore it. */
struct ps_fpreg {
	uint64_t fpr[8];
	uint32_t fpsr;
	uint32_t fpcr;
};

/* PT_GETDBREGS / PT_SETDBREGS: x86-style debug registers, kept per thread.
 * dr[0..3] must be user addresses (below 0x00007ffffffff000) and dr[7]'s
 * reserved bits (0x0000dc00) clear, else PS_EINVAL; they do not trap. */
struct ps_dbreg {
	uint64_t dr[8];
};

/* PT_VM_ENTRY */
#define PS_VNOVAL (-1)

struct ps_ptrace_vm_entry {
	int32_t pve_entry;      /* In: 0 to start, then the value returned. */
	int32_t pve_timestamp;  /* The map's timestamp when read. */
	uint64_t pve_start;
	uint64_t pve_end;       /* Last byte (inclusive). */
	uint64_t pve_offset;
	uint32_t pve_prot;      /* Current protection: 1 read, 2 write, 4 execute. */
	uint32_t pve_pathlen;   /* In: size of pve_path; out: the path's length + 1, or 0. */
	int64_t pve_fileid;     /* The file's id, or PS_VNOVAL. */
	uint32_t pve_fsid;      /* Its file system's id, or PS_VNOVAL. */
	char *pve_path;         /* The tracer's buffer for the path. */
};

/*
 * ptrace(req, pid, addr, data) made by process `tracer` (its first thread
 * is the calling thread).  pid above pid_max names a thread.  addr is a
 * target address for PT_READ_*, PT_WRITE_* and the resume requests (or
 * PS_PT_ADDR_SAME), and points to the request's structure in the caller's
 * memory for PT_IO, PT_LWPINFO, PT_GETLWPLIST (an int32_t array),
 * PT_GET*REGS, PT_SET*REGS (struct ps_regs, ps_fpreg, ps_dbreg) and PT_VM_ENTRY, where NULL gives PS_EFAULT.
 * *retval (may be NULL) gets the call's return value on success.
 * PS_EINVAL for a NULL simulator; PS_ESRCH for a tracer that is not a live
 * process; PS_EBUSY when the tracer itself is stopped or inside a call.
 */
PS_EXTERN int ps_ptrace(ps_sim_t *sim, int32_t tracer, int req, int32_t pid, void *addr, int data,
                        int *retval);

/* --- introspection: the state ptrace keeps --- */

/* p_flag bits ptrace and procctl use, beside those in proc.h. */
#define PS_P_FOLLOWFORK 0x00000008u
#define PS_P_PPWAIT 0x00000010u
#define PS_P_PROTECTED 0x00100000u
#define PS_P_PPTRACE 0x80000000u
/* p_flag2 */
#define PS_P2_INHERIT_PROTECTED 0x00000001u
/* p_stops bits owned by ptrace. */
#define PS_S_PT_SCE 0x00010000u
#define PS_S_PT_SCX 0x00020000u

/* td_dbgflags, with FreeBSD's values; PS_TDB_STEP is the simulator's
 * single-step flag (x86's PSL_T in the saved flags). */
#define PS_TDB_SUSPEND 0x00000001u
#define PS_TDB_XSIG 0x00000002u
#define PS_TDB_USERWR 0x00000004u
#define PS_TDB_SCE 0x00000008u
#define PS_TDB_SCX 0x00000010u
#define PS_TDB_EXEC 0x00000020u
#define PS_TDB_FORK 0x00000040u
#define PS_TDB_STOPATFORK 0x00000080u
#define PS_TDB_CHILD 0x00000100u
#define PS_TDB_STEP 0x00010000u

struct ps_ptrace_info {
	int32_t pid;
	int32_t pptr;          /* Current parent: the tracer while traced. */
	int32_t oppid;         /* p_oppid */
	int32_t realparent;    /* proc_realparent (the orphan list, spec A.4). */
	int32_t orphan_of;     /* Whose orphan list it is on, or 0. */
	int32_t xstat;         /* p_xstat: the stop (or resume) signal; the status once a zombie. */
	int32_t xthread;       /* p_xthread's tid, or 0. */
	int32_t holds;         /* p_lock */
	uint32_t flags;        /* p_flag: PS_P_* of proc.h and of this header. */
	uint32_t flags2;       /* p_flag2: PS_P2_* */
	uint32_t stops;        /* p_stops */
	int32_t nthreads;
	int32_t suspcount;     /* Threads suspended. */
	uint32_t vm_timestamp; /* Its map's timestamp (0 without an address space). */
	uint64_t icache_syncs; /* proc_rwmem's instruction cache syncs on its map. */
};

/* The ptrace state of process pid (zombies too); PS_ESRCH once reaped. */
PS_EXTERN int ps_ptrace_info(ps_sim_t *sim, int32_t pid, struct ps_ptrace_info *out);

struct ps_thread_dbg {
	int32_t tid;
	int32_t pid;
	uint32_t dbgflags;     /* PS_TDB_* */
	int32_t xsig;          /* td_xsig: the signal it reports, or the replacement. */
	int32_t sc_code;       /* td_dbg_sc_code: the call of its last syscall stop. */
	int32_t sc_narg;
	int32_t forked;        /* td_dbg_forked */
	uint32_t sigmask;
	uint8_t suspended;     /* It cannot run because its process is stopped. */
	uint8_t in_trace_stop; /* It sits in ptracestop. */
};

/* The debugging state of thread tid. */
PS_EXTERN int ps_thread_dbg(ps_sim_t *sim, int32_t tid, struct ps_thread_dbg *out);

/* (The thread ids of a process, in list order: ps_proc_threads, run.h.) */

/*
 * Inject a resource shortage into proc_rwmem's next n page faults made for
 * a copy-on-write write (spec §1.4 item 9): they fail as if no memory were
 * left, and the request gets PS_ENOMEM.  n 0 stops injecting.
 */
PS_EXTERN int ps_ptrace_inject_enomem(ps_sim_t *sim, uint32_t n);

/* --- procctl(2), rev A --- */

#define PS_PROC_SPROTECT 1
#define PS_PPROT_SET 1
#define PS_PPROT_CLEAR 2
#define PS_PPROT_DESCEND 0x10
#define PS_PPROT_INHERIT 0x20
#define PS_PPROT_OP(x) ((x) & 0xf)
#define PS_PPROT_FLAGS(x) ((x) & ~0xf)

/* idtype values (sys/wait.h's idtype_t): only P_PID and P_PGID are
 * accepted; PS_IDTYPE_* of wait.h name the same numbers. */
#define PS_PROCCTL_P_PID 0
#define PS_PROCCTL_P_PGID 2

/*
 * procctl(idtype, id, com, data) made by `caller`; data points to the
 * flags word (NULL: PS_EFAULT).  Privilege is the caller's effective uid 0.
 */
PS_EXTERN int ps_procctl(ps_sim_t *sim, int32_t caller, int idtype, int64_t id, int com,
                         int *data);

#ifdef __cplusplus
}
#endif

#endif /* PROCSIM_PTRACE_H */
