/*
 * procsim: processes, process groups and sessions at the object level.
 *
 * These calls act on the simulated kernel directly, without a CPU: a test or
 * a research tool builds a process tree with them exactly as the system
 * calls would (fork, setsid, setpgid, kill, exit, wait, TIOCSCTTY,
 * tcsetpgrp).  Each call names the process that makes it (`pid`, or
 * `caller` where another process is the target), and runs to completion as
 * one atomic simulated event: the kernel's locks are taken and released
 * inside it, the job-control accounting is done as kern_proc.c does it, and
 * the signals it posts are delivered before it returns (the object level has
 * no user mode to return to, so delivery happens at the end of the call).
 *
 * A stopped process runs no code: a call made by one returns PS_EBUSY
 * (queries about it are fine).
 *
 * Results: >= 0 on success (a pid, a pgid, 0), a negative PS_E* code on
 * failure, with the errors of the system call being modelled.  A caller pid
 * that names no live process gives PS_ESRCH; a NULL simulator or a NULL out
 * pointer gives PS_EINVAL.
 */
#ifndef PROCSIM_PROC_H
#define PROCSIM_PROC_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include <procsim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Process states (p_state). */
enum ps_proc_state {
	PS_PRS_NEW = 0,
	PS_PRS_NORMAL = 1,
	PS_PRS_ZOMBIE = 2,
};

/* p_flag bits, with FreeBSD's values and names. */
#define PS_P_CONTROLT 0x00000002u      /* Has a controlling terminal. */
#define PS_P_KPROC 0x00000004u         /* Kernel process. */
#define PS_P_HADTHREADS 0x00000080u    /* Has had more than one thread. */
#define PS_P_SUGID 0x00000100u         /* Credentials changed: no debugging. */
#define PS_P_SYSTEM 0x00000200u        /* System process. */
#define PS_P_TRACED 0x00000800u        /* Debugged process. */
#define PS_P_WAITED 0x00001000u        /* Its stop was reported to wait. */
#define PS_P_WEXIT 0x00002000u         /* Exiting. */
#define PS_P_EXEC 0x00004000u          /* Has exec'd since fork. */
#define PS_P_CONTINUED 0x00010000u     /* Continued, not yet reported. */
#define PS_P_STOPPED_SIG 0x00020000u   /* Stopped by a signal. */
#define PS_P_STOPPED_TRACE 0x00040000u /* Stopped by the debugger. */
#define PS_P_STOPPED_SINGLE 0x00080000u /* Stopped for single-threading. */
#define PS_P_INEXEC 0x04000000u        /* In execve. */
#define PS_P_INMEM 0x10000000u         /* Resident. */

/* Signals, with FreeBSD's numbers. */
enum ps_signal {
	PS_SIGHUP = 1, PS_SIGINT = 2, PS_SIGQUIT = 3, PS_SIGILL = 4,
	PS_SIGTRAP = 5, PS_SIGABRT = 6, PS_SIGEMT = 7, PS_SIGFPE = 8,
	PS_SIGKILL = 9, PS_SIGBUS = 10, PS_SIGSEGV = 11, PS_SIGSYS = 12,
	PS_SIGPIPE = 13, PS_SIGALRM = 14, PS_SIGTERM = 15, PS_SIGURG = 16,
	PS_SIGSTOP = 17, PS_SIGTSTP = 18, PS_SIGCONT = 19, PS_SIGCHLD = 20,
	PS_SIGTTIN = 21, PS_SIGTTOU = 22, PS_SIGIO = 23, PS_SIGXCPU = 24,
	PS_SIGXFSZ = 25, PS_SIGVTALRM = 26, PS_SIGPROF = 27, PS_SIGWINCH = 28,
	PS_SIGINFO = 29, PS_SIGUSR1 = 30, PS_SIGUSR2 = 31, PS_SIGTHR = 32,
	PS_NSIG = 33, /* One past the highest signal modelled. */
};

/* "SIGHUP" for 1; NULL for a number that is not a signal. */
PS_EXTERN const char *ps_signal_name(int sig);
/* 1 for "SIGHUP" or "HUP"; PS_EINVAL for an unknown name. */
PS_EXTERN int ps_signal_number(const char *name);

/* Credentials.  gid is the effective gid (FreeBSD's cr_groups[0]). */
struct ps_cred {
	int32_t uid, ruid, svuid;
	int32_t gid, rgid, svgid;
};

/* A copy of one process's state.  Valid until the next call that changes
 * the simulation; it holds no pointers into it. */
struct ps_proc_info {
	int32_t pid;
	int32_t ppid;       /* Real parent (ignores a debugger); 0 for none. */
	int32_t pptr;       /* Current parent p_pptr (the debugger while traced). */
	int32_t oppid;      /* Parent before a debugger attached, else 0. */
	int32_t pgid;       /* -1 once reaped. */
	int32_t sid;
	int32_t pg_jobc;    /* Of its group. */
	int32_t nthreads;
	uint32_t flags;     /* PS_P_* */
	uint8_t state;      /* enum ps_proc_state */
	uint8_t orphaned;   /* Its group's pg_jobc is 0. */
	uint8_t session_leader;
	uint8_t pad_;
	int32_t tty;        /* Controlling terminal's device number, or -1. */
	uint32_t siglist;   /* Pending signals, bit (sig - 1). */
	uint32_t sigmask;   /* Blocked signals of its first thread. */
	int32_t xstat;      /* Wait status word once a zombie. */
	int32_t holds;      /* p_lock hold count. */
	struct ps_cred cred;
	char comm[20];
	char tag[20];       /* Name the program gave itself (`tag`), or "". */
	uint8_t runs_program; /* 1 if it runs a program (procsim/run.h). */
};

/* Live processes, exiting ones and zombies; PS_ESRCH once reaped. */
PS_EXTERN int ps_proc_info(ps_sim_t *sim, int32_t pid, struct ps_proc_info *out);

struct ps_pgrp_info {
	int32_t pgid;
	int32_t sid;
	int32_t pg_jobc;    /* The kernel's counter (may drift, spec §4.8). */
	int32_t members;
	uint8_t orphaned;   /* pg_jobc == 0 */
	uint8_t foreground; /* The foreground group of its session's tty. */
};

PS_EXTERN int ps_pgrp_info(ps_sim_t *sim, int32_t pgid, struct ps_pgrp_info *out);

struct ps_session_info {
	int32_t sid;
	int32_t leader;     /* s_leader's pid, 0 once the leader has exited. */
	int32_t s_count;    /* References: one per process group. */
	int32_t tty;        /* s_ttyp's device number, or -1. */
	uint8_t tty_vnode;  /* s_ttyvp is set (cleared when the leader exits). */
	int32_t tpgid;      /* The tty's foreground pgid, -1 for none. */
	char login[20];     /* s_login */
};

PS_EXTERN int ps_session_info(ps_sim_t *sim, int32_t sid, struct ps_session_info *out);

/*
 * Lists copy pids out in the kernel's list order.  *count receives the
 * number of entries the list has, even when cap is smaller; at most cap are
 * written.  pids may be NULL when cap is 0.
 */
PS_EXTERN int ps_pgrp_members(ps_sim_t *sim, int32_t pgid, int32_t *pids, size_t cap,
                              size_t *count);
PS_EXTERN int ps_proc_children(ps_sim_t *sim, int32_t pid, int32_t *pids, size_t cap,
                               size_t *count);
/* allproc in list order, then zombproc in list order. */
PS_EXTERN int ps_proc_list(ps_sim_t *sim, int32_t *pids, size_t cap, size_t *count);
/* Live process groups, ascending pgid. */
PS_EXTERN int ps_pgrp_list(ps_sim_t *sim, int32_t *pgids, size_t cap, size_t *count);

/* --- Lookups (spec-kern_proc.md §2) --- */

/* 0 when pfind(pid) finds a process (live, not PRS_NEW, not a zombie). */
PS_EXTERN int ps_pfind(ps_sim_t *sim, int32_t pid);
/* 0 when zpfind(pid) finds a zombie. */
PS_EXTERN int ps_zpfind(ps_sim_t *sim, int32_t pid);
/* 0 when pgfind(pgid) finds a live process group. */
PS_EXTERN int ps_pgfind(ps_sim_t *sim, int32_t pgid);
/* The pid of the live process that owns thread tid, or PS_ESRCH. */
PS_EXTERN int ps_pfind_tid(ps_sim_t *sim, int32_t tid);

/* pget flags, with FreeBSD's values. */
#define PS_PGET_HOLD 0x01
#define PS_PGET_CANSEE 0x02
#define PS_PGET_CANDEBUG 0x04
#define PS_PGET_ISCURRENT 0x08
#define PS_PGET_NOTWEXIT 0x10
#define PS_PGET_NOTINEXEC 0x20
#define PS_PGET_NOTID 0x40
#define PS_PGET_WANTREAD (PS_PGET_HOLD | PS_PGET_CANDEBUG | PS_PGET_NOTWEXIT)

/*
 * pget(pid, flags) as `caller` (spec §2.5): returns the pid found (a
 * thread id above pid_max resolves to its process), or the error pget
 * gives.  A PS_PGET_HOLD hold is released again before returning.
 * PS_EINVAL for flags outside PS_PGET_*.
 */
PS_EXTERN int ps_pget(ps_sim_t *sim, int32_t caller, int32_t pid, int flags);

/* 1 when pid is caller or a descendant of it (by real parent), else 0. */
PS_EXTERN int ps_inferior(ps_sim_t *sim, int32_t caller, int32_t pid);

/* Credential checks: 0 when allowed, else the error the kernel gives. */
PS_EXTERN int ps_p_cansee(ps_sim_t *sim, int32_t caller, int32_t pid);
PS_EXTERN int ps_p_candebug(ps_sim_t *sim, int32_t caller, int32_t pid);
PS_EXTERN int ps_p_cansignal(ps_sim_t *sim, int32_t caller, int32_t pid, int sig);

/* --- Operations --- */

/* fork(): the new child's pid in *child.  PS_EAGAIN when no pid is free
 * or maxproc is reached (the last 10 slots are for root). */
PS_EXTERN int ps_fork(ps_sim_t *sim, int32_t pid, int32_t *child);

/*
 * A fork whose child signals its parent with exitsig at exit instead of
 * SIGCHLD (p_sigparent: Linux clone, rfork RFLINUXTHPN); 0 for no signal.
 * Such a child answers only PS_WLINUXCLONE waits.  exitsig 0..32.
 */
PS_EXTERN int ps_fork_exitsig(ps_sim_t *sim, int32_t pid, int exitsig, int32_t *child);

/* _exit(status): status word status << 8, not masked to 8 bits (the 2008
 * sys_exit: exit(256) gives 0x10000).  Children go to init; init reaps its
 * zombies.  PS_EPERM for init and system processes. */
PS_EXTERN int ps_exit(ps_sim_t *sim, int32_t pid, int status);

/* wait options, with FreeBSD's values. */
#define PS_WNOHANG 0x01
#define PS_WUNTRACED 0x02
#define PS_WCONTINUED 0x04
#define PS_WLINUXCLONE INT_MIN /* 0x80000000: wait for Linux-clone children. */

/*
 * wait4(wpid, status, options, NULL) as `pid` (see ps_wait4 in wait.h):
 * the pid reported, 0 with PS_WNOHANG when nothing is ready, PS_ECHILD when
 * nothing can match, PS_EINVAL for unknown options.  When the call must
 * block, the caller sleeps and PS_EINPROGRESS is returned; the result comes
 * later through ps_sysret().  *status (may be NULL) receives the BSD status
 * word when a child is reported, and is not written otherwise.
 */
PS_EXTERN int ps_wait(ps_sim_t *sim, int32_t pid, int32_t wpid, int options, int *status);

/* setsid(): the new session id.  PS_EPERM for a group leader, or when a
 * group with the caller's pid exists. */
PS_EXTERN int ps_setsid(ps_sim_t *sim, int32_t pid);

/* setpgid(pid, pgid) made by `caller` (0 for pid or pgid means the caller /
 * the target, as in the system call). */
PS_EXTERN int ps_setpgid(ps_sim_t *sim, int32_t caller, int32_t pid, int32_t pgid);

PS_EXTERN int ps_getpgrp(ps_sim_t *sim, int32_t caller);
PS_EXTERN int ps_getpgid(ps_sim_t *sim, int32_t caller, int32_t pid);
PS_EXTERN int ps_getsid(ps_sim_t *sim, int32_t caller, int32_t pid);
PS_EXTERN int ps_getppid(ps_sim_t *sim, int32_t caller);

/* kill(pid, sig) made by `caller`: pid > 0, 0 (caller's group), -1 (all it
 * may signal but system processes, init and itself), < -1 (group -pid).
 * sig 0 checks permission only. */
PS_EXTERN int ps_kill(ps_sim_t *sim, int32_t caller, int32_t pid, int sig);

/* Dispositions: SIG_DFL, SIG_IGN, or any other value as a handler address. */
#define PS_SIG_DFL 0u
#define PS_SIG_IGN 1u
#define PS_SA_NOCLDSTOP 0x0008u
#define PS_SA_NOCLDWAIT 0x0020u
#define PS_SA_RESTART 0x0002u

struct ps_sigaction {
	uint64_t handler;  /* PS_SIG_DFL, PS_SIG_IGN or a handler address. */
	uint32_t flags;    /* PS_SA_* */
	uint32_t mask;     /* Signals blocked while the handler runs. */
};

/* sigaction(sig, act, oact) for process pid; act or oact may be NULL.
 * PS_EINVAL for SIGKILL/SIGSTOP with anything but SIG_DFL, or a bad sig. */
PS_EXTERN int ps_sigaction(ps_sim_t *sim, int32_t pid, int sig, const struct ps_sigaction *act,
                           struct ps_sigaction *oact);

/* sigprocmask on the process's first thread.  how: 1 block, 2 unblock,
 * 3 set (FreeBSD's SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK). */
PS_EXTERN int ps_sigprocmask(ps_sim_t *sim, int32_t pid, int how, uint32_t set, uint32_t *oset);

/* setuid(uid) with FreeBSD's rules; sets P_SUGID when credentials change. */
PS_EXTERN int ps_setuid(ps_sim_t *sim, int32_t pid, int32_t uid);

/* Set a process's credentials administratively (as if it had been started
 * with them): no permission check, P_SUGID untouched. */
PS_EXTERN int ps_setcred(ps_sim_t *sim, int32_t pid, const struct ps_cred *cred);

/* execve at the object level: the process takes the name `comm` (up to 19
 * bytes), P_EXEC is set (setpgid then gives EACCES), and P_SUGID is cleared
 * when the credentials are not set-id. */
PS_EXTERN int ps_exec(ps_sim_t *sim, int32_t pid, const char *comm);

/* thr_new(): a new thread in process pid; its tid in *tid. */
PS_EXTERN int ps_thread_new(ps_sim_t *sim, int32_t pid, int32_t *tid);

/* A system (kernel) process, child of swapper: P_SYSTEM | P_KPROC. */
PS_EXTERN int ps_kproc_new(ps_sim_t *sim, const char *name, int32_t *pid);

/* Set kern.securelevel (-1..3); unlike the kernel's, it may also be lowered. */
PS_EXTERN int ps_set_securelevel(ps_sim_t *sim, int level);

/* --- Terminals --- */

/* A new terminal; its device number in *dev.  Names are unique. */
PS_EXTERN int ps_tty_new(ps_sim_t *sim, const char *name, int32_t *dev);
/* The device number of the terminal called name, or PS_ENOENT. */
PS_EXTERN int ps_tty_lookup(ps_sim_t *sim, const char *name);
/* ioctl(TIOCSCTTY) by a session leader. */
PS_EXTERN int ps_tiocsctty(ps_sim_t *sim, int32_t pid, int32_t dev);
/* tcsetpgrp/tcgetpgrp on the caller's controlling terminal dev. */
PS_EXTERN int ps_tcsetpgrp(ps_sim_t *sim, int32_t pid, int32_t dev, int32_t pgid);
PS_EXTERN int ps_tcgetpgrp(ps_sim_t *sim, int32_t pid, int32_t dev);

#ifdef __cplusplus
}
#endif

#endif /* PROCSIM_PROC_H */
