/*
 * The simulated kernel's process model: struct proc, thread, pgrp, session
 * and tty, and the kernel object that holds the tables.
 *
 * Theory.  Every process is on exactly one of two lists, allproc (new,
 * live and exiting processes) or zombproc (zombies), through p_list, and
 * live processes are also on the pid hash.  Every process that has been
 * fully created belongs to exactly one process group, p_pgrp, and appears
 * once on that group's pg_members; zombies stay members until they are
 * reaped.  Every group belongs to one session for its whole life; the
 * session's s_count is the number of groups in it plus external holds.
 * A group exists exactly while it has members; a session while it has
 * groups.  pg_jobc counts the members that keep the group "not orphaned":
 * those whose parent is in another group of the same session
 * (spec-kern_proc.md §4.1).  It is maintained incrementally by fixjobc at
 * the points the kernel adjusts it, never recomputed; a shadow ledger
 * (p_jobc_cur, p_jobc_new, pg_jobc_residual) records which process each
 * adjustment was for, so the invariant checker can tell the kernel's
 * known drift (§4.8) from a bug.
 *
 * Locking key.  The lock that protects each field is given by the letters
 * in parentheses at the start of its comment.  Two letters joined by '+'
 * mean either lock is enough to read the field and both are needed to
 * write it.  Every letter has one meaning in this whole header:
 *
 *   a - only touched by the process itself, or its parent during fork/wait
 *   b - set when the object is created, never changes afterwards
 *   c - proc mutex (p_mtx, PROC_LOCK)
 *   d - allproc_lock
 *   e - proctree_lock
 *   f - session mutex (s_mtx, SESS_LOCK)
 *   g - process group mutex (pg_mtx, PGRP_LOCK) of the group concerned
 *   h - signal actions mutex (ps_mtx)
 *   q - tty mutex (t_mtx, tty_lock)
 *   r - atomic reference count, no lock
 *   s - scheduler state (src/sched): the single simulator context
 *   t - thread lock
 *   v - simulator bookkeeping: touched only between kernel operations,
 *       with no kernel lock held
 *   x - set at creation, changes only in exec
 */
#ifndef PS_KERN_PROC_H
#define PS_KERN_PROC_H

#include <stdbool.h>
#include <stdint.h>

#include <procsim/event.h>
#include <procsim/proc.h>
#include <procsim/ptrace.h>
#include <procsim/sim.h>
#include <procsim/wait.h>

#include "base/queue.h"
#include "base/rng.h"
#include "cpu/cpu.h"
#include "kern/lock.h"
#include "sched/sched.h"

typedef int32_t pid_t_;  /* Simulated pids: never the host's pid_t. */
typedef int32_t lwpid_t_;
typedef uint32_t sigset32_t; /* Bit (sig - 1) for signals 1..32. */

#define SIGMASK(sig) ((sigset32_t)1u << ((sig) - 1))
#define MAXCOMLEN 19

struct proc;
struct program;
struct vm_phys;
struct vmspace;
struct pgrp;
struct session;
struct tty;

/* Credentials (a copy per process; FreeBSD shares them by reference). */
struct ucred {
	int32_t cr_uid;   /* Effective uid. */
	int32_t cr_ruid;  /* Real uid. */
	int32_t cr_svuid; /* Saved uid. */
	int32_t cr_gid;   /* Effective gid. */
	int32_t cr_rgid;  /* Real gid. */
	int32_t cr_svgid; /* Saved gid. */
};

/*
 * Signal actions (FreeBSD's struct sigacts).  fork shares the parent's
 * copy and counts the reference; the first change to a shared copy makes
 * the process a private one (sigacts_unshare), so sharing is never
 * visible.  Most processes never change their actions after fork: a
 * million forked children cost one copy.
 */
struct sigacts {
	int32_t ps_refcnt;             /* (r) Processes that use this copy. */
	uint64_t ps_sigact[PS_NSIG];   /* (h) Disposition: SIG_DFL, SIG_IGN, handler. */
	sigset32_t ps_catchmask[PS_NSIG]; /* (h) Blocked while the handler runs. */
	sigset32_t ps_sigignore;       /* (h) Signals being ignored. */
	sigset32_t ps_sigcatch;        /* (h) Signals being caught. */
	sigset32_t ps_sigrestart;      /* (h) SA_RESTART signals. */
	uint32_t ps_flag;              /* (h) PS_NOCLDWAIT, PS_NOCLDSTOP, PS_CLDSIGIGN. */
};

#define PS_NOCLDWAIT 0x0001  /* No zombie for children (SA_NOCLDWAIT). */
#define PS_NOCLDSTOP 0x0002  /* No SIGCHLD when children stop. */
#define PS_CLDSIGIGN 0x0004  /* SIGCHLD is ignored. */

/*
 * A siginfo record on a process's signal queue.  The only records queued
 * are children's p_ksi (FreeBSD's KSI_INS records): each child owns one,
 * and it sits on at most one queue, its current parent's (spec-kern_exit.md
 * §10.12).  Signals posted without a record are pending in p_sigkill.
 */
struct ksiginfo {
	TAILQ_ENTRY(ksiginfo) ksi_link; /* (c) On ksi_sigq's p_sigq. */
	struct proc *ksi_sigq;          /* (c) Whose queue holds it, or NULL. */
	int32_t ksi_signo;              /* (c) */
	int32_t ksi_code;               /* (c) CLD_* */
	int32_t ksi_pid;                /* (c) */
	int32_t ksi_uid;                /* (c) */
	int32_t ksi_status;             /* (c) */
};

#define KSI_ONQ(ksi) ((ksi)->ksi_sigq != NULL)

/*
 * A system call in progress on a thread, for the calls that sleep.  The
 * kernel re-runs it when the thread is woken (kern_wait's loop around
 * msleep); its arguments and results live here meanwhile.
 */
enum sf_state {
	SFS_NONE = PS_SYSST_NONE,
	SFS_SLEEPING = PS_SYSST_SLEEPING, /* On a sleep queue. */
	SFS_RESTART = PS_SYSST_RESTART,   /* ERESTART: made again after the signal. */
	SFS_DONE = PS_SYSST_DONE,
	SFS_WOKEN = 4,                    /* Woken: resumed when the thread runs. */
};

struct syscall_frame {
	uint8_t sf_code;          /* (a) enum ps_sys */
	uint8_t sf_state;         /* (a) enum sf_state */
	uint8_t sf_wstat;         /* (a) Wait: what was reported (WR_*). */
	uint8_t sf_pad;
	int32_t sf_slept;         /* (a) Times it went to sleep. */
	int64_t sf_args[4];       /* (a) As called. */
	int64_t sf_targ[2];       /* (a) After translation (wait: idtype, id). */
	int64_t sf_ret;           /* (a) Result once done. */
	int32_t sf_status;        /* (a) Wait status word. */
	sigset32_t sf_oldmask;    /* (a) sigsuspend: the mask to put back. */
	struct ps_wrusage sf_ru;  /* (a) Wait: usage of the reported child. */
	struct ps_siginfo sf_si;  /* (a) wait6: siginfo of the report. */
	void *sf_data;            /* (a) read: bytes read (tty code). */
	uint32_t sf_nbytes;       /* (a) read: how many. */
};

/* Thread states. */
enum td_state {
	TDS_INACTIVE = 0,
	TDS_INHIBITED, /* Sleeping or suspended. */
	TDS_CAN_RUN,
	TDS_RUNQ,
	TDS_RUNNING,
};

/* td_inhibitors: why a thread cannot run. */
#define TDI_SLEEPING 0x01  /* On a sleep queue. */
#define TDI_SUSPENDED 0x02 /* Its process is stopped. */
#define TDI_SINGLE 0x04    /* Held by another thread's single-threading (exit). */

/* td_flags */
#define TDF_SINTR 0x01     /* The sleep may be interrupted by a signal. */
#define TDF_OLDMASK 0x02   /* sigsuspend: put sf_oldmask back after delivery. */
#define TDF_ASTPENDING 0x04 /* A runner: pass userret before its next instruction. */
#define TDF_TIMEDOUT 0x08  /* Its sleep ended by its timeout. */

struct thread {
	struct thread *td_plist;     /* (c) Next thread of the process (tail-inserted). */
	LIST_ENTRY(thread) td_hash;  /* (d) Tid hash chain. */
	TAILQ_ENTRY(thread) td_slpq; /* (t) On the sleep queue of td_wchan. */
	TAILQ_ENTRY(thread) td_astq; /* (v) On the AST list. */
	struct proc *td_proc;        /* (b) Owning process. */
	lwpid_t_ td_tid;             /* (b) Thread id, above pid_max. */
	sigset32_t td_sigmask;       /* (c) Blocked signals. */
	uint8_t td_state;            /* (t) enum td_state. */
	uint8_t td_inhibitors;       /* (t) TDI_* */
	uint8_t td_flags;            /* (t) TDF_* */
	int16_t td_intrval;          /* (t) 0, or EINTR/ERESTART: why the sleep ended. */
	const char *td_wmesg;        /* (t) Sleep message, or NULL. */
	uint64_t td_wchan;           /* (t) Sleep channel, or 0. */
	struct syscall_frame td_sa;  /* (a) The sleepable call in progress. */
	/* Runners only (threads of a process with an address space): */
	struct cpu_regs td_frame;    /* (a) User registers (the trap frame). */
	TAILQ_ENTRY(thread) td_runq; /* (s) On the run queue. */
	int16_t td_oncpu;            /* (s) CPU it runs on, or -1. */
	uint64_t td_prio;            /* (s) PCT priority. */
	uint64_t td_timer;           /* (s) Its armed sleep timeout's id, or 0. */
	uint64_t td_cycles;          /* (s) Cycles it has run. */
	int32_t td_syscall;          /* (a) System call (ps_sysno) in progress, or 0. */
	/* Debugging (sys_process.c): */
	uint32_t td_dbgflags;        /* (c) TDB_* */
	int32_t td_xsig;             /* (c) Signal it reports, then the debugger's replacement. */
	struct ksiginfo td_dbgksi;   /* (c) Siginfo of the signal it reports (never queued). */
	int32_t td_dbg_sc_code;      /* (c) Syscall of its last syscall stop. */
	int32_t td_dbg_sc_narg;      /* (c) ... and its argument count. */
	int32_t td_dbg_forked;       /* (c) Child of its last fork stop. */
	uint8_t td_ptstop;           /* (c) enum td_ptstop: where it waits in ptracestop. */
	struct thread_md *td_md;     /* (a) Debugger-set registers, or NULL: all zero. */
};

/*
 * Registers only a debugger gives values to: allocated by the first
 * PT_SETFPREGS or PT_SETDBREGS, so that the threads nobody debugs (nearly
 * all of them) do not carry them.
 */
struct thread_md {
	uint64_t md_fpregs[9];       /* (a) PT_SETFPREGS's file (no FPU in the ISA). */
	uint64_t md_dbregs[8];       /* (a) PT_SETDBREGS's debug registers. */
};

/* td_dbgflags: FreeBSD's values; TDB_STEP is the single-step trap flag. */
#define TDB_SUSPEND PS_TDB_SUSPEND
#define TDB_XSIG PS_TDB_XSIG
#define TDB_USERWR PS_TDB_USERWR
#define TDB_SCE PS_TDB_SCE
#define TDB_SCX PS_TDB_SCX
#define TDB_EXEC PS_TDB_EXEC
#define TDB_FORK PS_TDB_FORK
#define TDB_STOPATFORK PS_TDB_STOPATFORK
#define TDB_CHILD PS_TDB_CHILD
#define TDB_STEP PS_TDB_STEP
#define TDB_STEPPED 0x00020000u /* A stepped syscall owes its trap on return. */

/*
 * td_ptstop: a thread in a trace stop sits in ptracestop (FreeBSD sleeps
 * there); the simulator leaves it suspended with this mark, and userret
 * finishes the stop when the thread runs again (ptrace_resume_thread).
 */
enum td_ptstop {
	PTS_NONE = 0,
	PTS_SIGNAL, /* issignal's stop: td_xsig is then the signal to act on. */
	PTS_EVENT,  /* A syscall, exec or fork stop: the replacement is dropped. */
	PTS_SCE,    /* Syscall entry: the call is made once it resumes. */
};

/*
 * Wait channels are numbers, not addresses, so that they print the same on
 * every run: a kind in the high half, an id (a pid, a tty) in the low.
 */
#define WCHAN(kind, id) ((uint64_t)(kind) << 32 | (uint32_t)(id))
#define WCHAN_PROC 1   /* wakeup(p): p's wait4 sleeps here. */
#define WCHAN_PAUSE 2  /* &p->p_sigacts: pause, sigsuspend. */
#define WCHAN_TTYIN 3  /* A terminal's input queue. */
#define WCHAN_TTYBG 4  /* A terminal's background wait (t_bgwait). */
#define WCHAN_TTYOUT 5 /* A terminal's output queue. */
#define WCHAN_NANOSLEEP 6 /* A thread's nanosleep (id: the tid). */
#define WCHAN_SINGLE 7 /* p_singlethread waits for the others (id: pid). */

/* Process states. */
enum p_state {
	PRS_NEW = PS_PRS_NEW,
	PRS_NORMAL = PS_PRS_NORMAL,
	PRS_ZOMBIE = PS_PRS_ZOMBIE,
};

/* p_flag bits: FreeBSD's names and values (public copies in proc.h). */
#define P_CONTROLT PS_P_CONTROLT
#define P_KPROC PS_P_KPROC
#define P_HADTHREADS PS_P_HADTHREADS
#define P_SUGID PS_P_SUGID
#define P_SYSTEM PS_P_SYSTEM
#define P_TRACED PS_P_TRACED
#define P_WAITED PS_P_WAITED
#define P_WEXIT PS_P_WEXIT
#define P_EXEC PS_P_EXEC
#define P_CONTINUED PS_P_CONTINUED
#define P_STOPPED_SIG PS_P_STOPPED_SIG
#define P_STOPPED_TRACE PS_P_STOPPED_TRACE
#define P_STOPPED_SINGLE PS_P_STOPPED_SINGLE
#define P_STATCHILD 0x08000000u /* A child stopped or continued: rescan. */
#define P_PPWAIT 0x00000010u
#define P_INEXEC PS_P_INEXEC
#define P_INMEM PS_P_INMEM
#define P_FOLLOWFORK PS_P_FOLLOWFORK
#define P_PROTECTED PS_P_PROTECTED
#define P_PPTRACE PS_P_PPTRACE
#define P2_INHERIT_PROTECTED PS_P2_INHERIT_PROTECTED
#define S_PT_SCE PS_S_PT_SCE
#define S_PT_SCX PS_S_PT_SCX

#define P_STOPPED (P_STOPPED_SIG | P_STOPPED_SINGLE | P_STOPPED_TRACE)
#define P_SHOULDSTOP(p) ((p)->p_flag & P_STOPPED)

/* p_kflag: simulator bookkeeping bits (v). */
#define PK_JOBC_EXPOSED 0x02 /* Reparented so that fixjobc may drift (§4.8). */
#define PK_KILLJOBC 0x04    /* Its exit-time killjobc has run. */
#define PK_RUNNER 0x08      /* Runs a program (has been given an image). */
#define PK_CHKDIRTY 0x40    /* Checker: touched since its last pass (kern_check.c). */
#define PK_CHKSEEN 0x80     /* Checker scratch: found on its parent's list. */

struct proc {
	LIST_ENTRY(proc) p_list;     /* (d) allproc or zombproc. */
	LIST_ENTRY(proc) p_hash;     /* (d) Pid hash, or zombie hash once a zombie. */
	LIST_ENTRY(proc) p_sibling;  /* (e) Siblings: children of p_pptr. */
	LIST_HEAD(, proc) p_children; /* (e) Children, newest first. */
	LIST_ENTRY(proc) p_pglist;   /* (g + e) Members of p_pgrp. */
	struct proc *p_pptr;         /* (c + e) Current parent (the debugger while traced). */
	struct pgrp *p_pgrp;         /* (c + e) Process group. */
	struct thread *p_threads;    /* (c) First thread; others follow td_plist. */
	pid_t_ p_pid;                /* (b) Process id. */
	pid_t_ p_oppid;              /* (c + e) Real parent's pid while traced, else 0. */
	int32_t p_numthreads;        /* (c) Number of threads. */
	uint32_t p_flag;             /* (c) P_* flags. */
	uint8_t p_state;             /* (c) enum p_state. */
	uint8_t p_kflag;             /* (v) PK_* simulator flags. */
	int16_t p_sigparent;         /* (c) Signal sent to the parent at exit. */
	int32_t p_lock;              /* (c) Hold count (PHOLD). */
	int32_t p_xstat;             /* (c) Wait status word once exited. */
	sigset32_t p_siglist;        /* (c) Pending signals (sq_signals). */
	sigset32_t p_sigkill;        /* (c) Pending without a siginfo record (sq_kill). */
	TAILQ_HEAD(, ksiginfo) p_sigq; /* (c) Queued siginfo records, oldest first. */
	struct ksiginfo p_ksi;       /* (c) Its SIGCHLD record for its parent. */
	struct ps_rusage p_ru;       /* (c) Its own usage (plus its children's once a zombie). */
	struct ps_rusage p_cru;      /* (c) Usage of the children it reaped. */
	int32_t p_jobc_cur;          /* (g) Ledger: net pg_jobc credit in p_pgrp. */
	int32_t p_jobc_new;          /* (g) Ledger: credit in the group being entered. */
	struct lock_object p_mtx;    /* Proc mutex. */
	struct ucred p_ucred;        /* (c) Credentials. */
	struct sigacts *p_sigacts;   /* (c) Signal actions, shared until changed. */
	char p_comm[MAXCOMLEN + 1];  /* (x) Command name. */
	char p_tag[MAXCOMLEN + 1];   /* (c) Name given by the program's `tag`, or "". */
	struct vmspace *p_vmspace;   /* (x) Address space: set for a process running a program. */
	struct program *p_prog;      /* (x) The program it runs, or NULL. */
	struct thread *p_singlethread; /* (c) Thread single-threading the process, or NULL. */
	/* Debugging (sys_process.c): */
	uint32_t p_flag2;            /* (c) P2_* */
	uint32_t p_stops;            /* (c) Stop events: S_PT_SCE, S_PT_SCX. */
	struct thread *p_xthread;    /* (c) Thread that reported the trace stop, or NULL. */
	LIST_HEAD(, proc) p_orphans; /* (e) Traced children reparented away from it. */
	LIST_ENTRY(proc) p_orphan;   /* (e) On p_orphan_of's p_orphans. */
	struct proc *p_orphan_of;    /* (e) Whose orphan list holds it, or NULL. */
};

/* A process's session: a macro over its group, as in FreeBSD. */
#define p_session p_pgrp->pg_session

struct pgrp {
	LIST_ENTRY(pgrp) pg_hash;     /* (e) Pgrp hash chain. */
	LIST_HEAD(, proc) pg_members; /* (g + e) Members; head-inserted by setpgid. */
	struct session *pg_session;   /* (b) The group's session. */
	pid_t_ pg_id;                 /* (b) Group id: its creator's pid. */
	int32_t pg_jobc;              /* (g) Qualifying members (§4.1); 0 = orphaned. */
	int32_t pg_jobc_residual;     /* (g) Ledger: credit left by departed members. */
	int32_t pg_jobc_sum;          /* (g) Ledger: the members' p_jobc_cur, summed. */
	uint8_t pg_drift;             /* (g) Exposed to the kernel's drift (§4.8). */
	uint8_t pg_chkflag;           /* (v) Checker: touched since its last pass. */
	struct lock_object pg_mtx;    /* Process group mutex. */
};

struct session {
	int32_t s_count;              /* (r) References: one per pgrp, plus holds. */
	int32_t s_extholds;           /* (r) External sess_hold references. */
	struct proc *s_leader;        /* (e + f) Leader; NULL once it has exited. */
	struct tty *s_ttyvp;          /* (e + f) Vnode reference of the ctty. */
	struct tty *s_ttydp;          /* (e + f) Device-private pointer of the ctty. */
	struct tty *s_ttyp;           /* (e) Controlling terminal; kept after the leader exits. */
	pid_t_ s_sid;                 /* (b) Session id: its creator's pid. */
	char s_login[MAXCOMLEN + 1];  /* (f) setlogin() name. */
	uint32_t s_chk;               /* (v) Scratch count for the invariant checker. */
	struct lock_object s_mtx;     /* Session mutex. */
};

struct tty {
	LIST_ENTRY(tty) t_list;       /* (b) All terminals, in creation order. */
	struct pgrp *t_pgrp;          /* (q) Foreground process group. */
	struct session *t_session;    /* (q) Session it controls. */
	int32_t t_sessioncnt;         /* (q) Sessions that refer to it. */
	int32_t t_vrefs;              /* (q) Vnode references (s_ttyvp). */
	int32_t t_dev;                /* (b) Device number. */
	uint32_t t_revokes;           /* (q) Times its vnode was revoked. */
	struct lock_object t_mtx;     /* Tty mutex. */
	char t_name[16];              /* (b) Name such as "tty0". */
	uint8_t t_tostop;             /* (q) c_lflag TOSTOP: background writes stop. */
	uint8_t t_zombie;             /* (q) TF_ZOMBIE: carrier lost (hung up). */
	uint32_t t_inq_len;           /* (q) Bytes in t_inq. */
	uint32_t t_outq_len;          /* (q) Bytes in t_outq. */
	uint8_t t_inq[4096];          /* (q) Input queue: typed, not yet read. */
	uint8_t t_outq[4096];         /* (q) Output queue: written, not yet drained. */
};

/* Lock macros, beside the structures as in sys/proc.h. */
#define PROC_LOCK(p) mtx_lock(k, &(p)->p_mtx)
#define PROC_UNLOCK(p) mtx_unlock(k, &(p)->p_mtx)
#define PROC_LOCKED(p) lock_owned(&(p)->p_mtx)
#define PROC_LOCK_ASSERT(p, what) mtx_assert(&(p)->p_mtx, (what))
#define PGRP_LOCK(pg) mtx_lock(k, &(pg)->pg_mtx)
#define PGRP_UNLOCK(pg) mtx_unlock(k, &(pg)->pg_mtx)
#define PGRP_LOCK_ASSERT(pg, what) mtx_assert(&(pg)->pg_mtx, (what))
#define SESS_LOCK(s) mtx_lock(k, &(s)->s_mtx)
#define SESS_UNLOCK(s) mtx_unlock(k, &(s)->s_mtx)
#define SESS_LOCK_ASSERT(s, what) mtx_assert(&(s)->s_mtx, (what))
#define tty_lock(tp) mtx_lock(k, &(tp)->t_mtx)
#define tty_unlock(tp) mtx_unlock(k, &(tp)->t_mtx)
#define SESS_LEADER(p) ((p)->p_session->s_leader == (p))

/* Hash tables: power-of-two bucket arrays. */
LIST_HEAD(prochashhead, proc);
LIST_HEAD(pgrphashhead, pgrp);
LIST_HEAD(tidhashhead, thread);

/* pid_used bits: what a number is in use as (pid allocation, §fork). */
#define PIDU_PID 0x01
#define PIDU_PGID 0x02
#define PIDU_SID 0x04

/* The bound on the held-lock stack and other loops. */
#define SIGQ_PASSES_MAX 1000000

struct held_lock {
	struct lock_object *hl_lock;
	uint8_t hl_shared;
};

struct kernel {
	struct ps_config k_cfg;                /* (b) Configuration. */
	struct lock_object allproc_lock;       /* sx */
	struct lock_object proctree_lock;      /* sx */
	struct lock_object ppeers_lock;        /* mtx, initialised only */
	LIST_HEAD(, proc) allproc;             /* (d) */
	LIST_HEAD(, proc) zombproc;            /* (d) */
	struct prochashhead *pidhashtbl;       /* (d) Live processes by pid. */
	struct prochashhead *zombhashtbl;      /* (d) Zombies by pid. */
	struct pgrphashhead *pgrphashtbl;      /* (e) Live groups by pgid. */
	struct tidhashhead *tidhashtbl;        /* (d) Threads by tid. */
	uint32_t pidhash;                      /* (d + e) Bucket mask of the pid tables (grows). */
	uint32_t pgrphash;                     /* (d + e) Bucket mask of the pgrp table. */
	uint32_t tidhash;                      /* (d + e) Bucket mask of the tid table. */
	uint8_t *pid_used;                     /* (e + d) PIDU_* for 0..pid_max. */
	int32_t pid_used_count[3];             /* (e + d) Numbers in use as pid, pgid, sid. */
	pid_t_ lastpid;                        /* (d) Last pid handed out. */
	lwpid_t_ lasttid;                      /* (d) Last tid handed out. */
	pid_t_ no_pid;                         /* (b) NO_PID: pid_max + 1. */
	int32_t nprocs;                        /* (d) Processes, zombies included. */
	int32_t npgrps;                        /* (e) */
	int32_t nsessions;                     /* (e) */
	int32_t nzombies;                      /* (d) */
	int32_t ntraced;                       /* (e) Processes with P_TRACED. */
	int32_t init_zombies;                  /* (e) Zombie children of init not yet reaped. */
	int32_t securelevel;                   /* (v) kern.securelevel. */
	struct proc *proc0;                    /* (b) swapper, pid 0. */
	struct proc *initproc;                 /* (b) init, pid 1. */
	struct proc *curproc;                  /* (v) The process making the current call. */
	pid_t_ sig_sender;                     /* (v) Sender recorded by kern_psignal, 0 = kernel. */
	LIST_HEAD(, tty) ttys;                 /* (v) Terminals in creation order. */
	int32_t nttys;                         /* (v) */
	TAILQ_HEAD(, thread) astq;             /* (v) Threads on their way to user mode. */
	TAILQ_HEAD(sleepqhead, thread) *sleepq; /* (t) Sleep queues by wait channel. */
	uint32_t sleepqmask;                   /* (d + e) Grows with the pid tables. */
	uint64_t nsleeping;                    /* (t) Threads on sleep queues. */
	struct ps_rng rng;                     /* (v) The pid stream (randompid). */
	struct ps_rng rng_work;                /* (v) The workload stream. */
	struct sched sched;                    /* (s) CPUs, run queue, timers. */
	struct vm_phys *phys;                  /* (b) Frame pool. */
	struct program **programs;             /* (v) Registered programs, in order. */
	struct thread *deadthreads;            /* (s) Exited threads, freed after the step. */
	struct thread *curthread;              /* (v) The thread in the kernel, or NULL. */
	uint32_t nprograms, programcap;        /* (v) */
	int32_t nrunners;                      /* (v) Processes with an address space. */
	struct held_lock held[LOCK_HELD_MAX];  /* (v) Locks this context holds. */
	uint32_t nheld;                        /* (v) */
	struct witness witness;                /* (v) */
	ps_event_cb event_cb;                  /* (v) */
	void *event_arg;                       /* (v) */
	uint64_t event_seq;                    /* (v) */
	struct ps_sim_stats stats;             /* (v) */
	struct ps_check_report last_check;     /* (v) */
	struct kern_chk *chk;                  /* (v) Incremental checker's state, or NULL. */
};

/* The simulator object the public API hands out is the kernel. */
struct ps_sim {
	struct kernel k;
};

#endif /* PS_KERN_PROC_H */
