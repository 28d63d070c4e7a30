/*
 * procsim: waiting for children, resource usage, signal information, and
 * system calls that sleep.
 *
 * Wait status words are BSD's: exit(n) gives n << 8 (not masked to 8 bits,
 * as in the 2008 kernel), death by signal s gives s (| 0200 with a core), a
 * stop by signal s gives (s << 8) | 0177, a continue gives 0x13.
 *
 * A call that the kernel would put to sleep (a wait with nothing to report
 * yet, pause, sigsuspend, a terminal read with no input) does so: the
 * process's thread sleeps on a wait channel, the call returns PS_EINPROGRESS,
 * and the process makes no other call (PS_EBUSY) until the sleep ends.  The
 * kernel re-runs the call each time the thread is woken, exactly as
 * kern_wait loops around msleep; when it completes, a PS_EV_SYSRET event is
 * emitted and ps_sysret() hands out its result.  A caught signal interrupts
 * the sleep: the call fails with PS_EINTR, or, when the handler was installed
 * with SA_RESTART, the call is made again after the handler has run.
 */
#ifndef PROCSIM_WAIT_H
#define PROCSIM_WAIT_H

#include <stddef.h>
#include <stdint.h>

#include <procsim/proc.h>
#include <procsim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Options beyond wait4's (PS_WNOHANG, PS_WUNTRACED, PS_WCONTINUED,
 * PS_WLINUXCLONE in proc.h): wait6 only, FreeBSD's values. */
#define PS_WSTOPPED PS_WUNTRACED
#define PS_WNOWAIT 0x08  /* Report, but leave the child reportable. */
#define PS_WEXITED 0x10  /* Report children that exited. */
#define PS_WTRAPPED 0x20 /* Report traced children stopped by the debugger. */

/* Building and reading status words. */
#define PS_W_EXITCODE(ret, sig) ((int)((unsigned)(ret) << 8 | (unsigned)(sig)))
#define PS_W_STOPCODE(sig) ((int)((unsigned)(sig) << 8 | 0177u))
#define PS_WCOREFLAG 0200
#define PS_WIFEXITED(w) (((w) & 0177) == 0)
#define PS_WEXITSTATUS(w) (((w) >> 8) & 0xff)
#define PS_WIFSIGNALED(w) (((w) & 0177) != 0177 && ((w) & 0177) != 0 && (w) != 0x13)
#define PS_WTERMSIG(w) ((w) & 0177)
#define PS_WCOREDUMP(w) (((w) & PS_WCOREFLAG) != 0)
#define PS_WIFSTOPPED(w) (((w) & 0177) == 0177)
#define PS_WSTOPSIG(w) ((w) >> 8)
#define PS_WIFCONTINUED(w) ((w) == 0x13)
/* The decoders of the 2008 headers: no 0xff mask on the exit status, and
 * WIFSIGNALED true for a continue report (0x13). */
#define PS_WEXITSTATUS_2008(w) ((w) >> 8)
#define PS_WIFSIGNALED_2008(w) (((w) & 0177) != 0177 && ((w) & 0177) != 0)

/* wait6 id types (FreeBSD idtype_t values).  PPID, CID and LWPID match no
 * process, as in FreeBSD; every process is in jail 0. */
enum ps_idtype {
	PS_ID_PID = 0,
	PS_ID_PPID = 1,
	PS_ID_PGID = 2,
	PS_ID_SID = 3,
	PS_ID_CID = 4,
	PS_ID_UID = 5,
	PS_ID_GID = 6,
	PS_ID_ALL = 7,
	PS_ID_LWPID = 8,
	PS_ID_JAILID = 12,
};

/* si_code values. */
#define PS_SI_NOINFO 0
#define PS_SI_USER 0x10001
#define PS_SI_KERNEL 0x10006
#define PS_CLD_EXITED 1
#define PS_CLD_KILLED 2
#define PS_CLD_DUMPED 3
#define PS_CLD_TRAPPED 4
#define PS_CLD_STOPPED 5
#define PS_CLD_CONTINUED 6

/* Signal information (the fields of siginfo_t the model fills). */
struct ps_siginfo {
	int32_t signo;
	int32_t code;   /* PS_CLD_*, PS_SI_* */
	int32_t pid;    /* Sender, or the child. */
	int32_t uid;    /* Its real uid. */
	int32_t status; /* Exit status, or signal number. */
};

/* Resource usage.  Times in nanoseconds of simulated CPU time. */
struct ps_rusage {
	int64_t utime_ns;
	int64_t stime_ns;
	int64_t maxrss;   /* KiB; the maximum, not a sum, when folded. */
	int64_t minflt;
	int64_t majflt;
	int64_t nsignals; /* Signals delivered. */
	int64_t nvcsw;    /* Voluntary context switches (sleeps). */
	int64_t nivcsw;
};

struct ps_wrusage {
	struct ps_rusage self;     /* The child's own, with its reaped descendants. */
	struct ps_rusage children; /* What the child had reaped. */
};

/*
 * wait4 as the 2008 kernel has it (spec-kern_exit.md §3): wpid -1 any child,
 * > 0 that child, 0 the caller's group (evaluated once; a caller in group 1
 * waits for any child), < -1 group -wpid.  Options: PS_WNOHANG,
 * PS_WUNTRACED, PS_WCONTINUED, PS_WLINUXCLONE; any other bit is PS_EINVAL.
 * Returns the child's pid, 0 (PS_WNOHANG, nothing to report), PS_ECHILD,
 * PS_EINPROGRESS (asleep; see above).  *status and *ru are written only
 * when a child is reported, and *ru only for an exited child: where the
 * kernel copies out memory it never wrote, procsim writes nothing.
 * status and ru may be NULL.
 */
PS_EXTERN int ps_wait4(ps_sim_t *sim, int32_t pid, int32_t wpid, int options, int *status,
                       struct ps_rusage *ru);

/*
 * wait6 as later FreeBSD has it (an extension to the seed): idtype/id
 * select children; options add PS_WEXITED, PS_WTRAPPED, PS_WNOWAIT, and at
 * least one of PS_WEXITED, PS_WUNTRACED, PS_WCONTINUED, PS_WTRAPPED is
 * required (PS_EINVAL otherwise).  *si describes the report (SIGCHLD,
 * CLD_*, the child's pid and real uid, its status or signal).
 */
PS_EXTERN int ps_wait6(ps_sim_t *sim, int32_t pid, int idtype, int64_t id, int options,
                       int *status, struct ps_wrusage *wru, struct ps_siginfo *si);

/* pause(2): sleep until a signal is caught; PS_EINPROGRESS, then PS_EINTR. */
PS_EXTERN int ps_pause(ps_sim_t *sim, int32_t pid);

/* sigsuspend(2): as pause, with the signal mask replaced while asleep. */
PS_EXTERN int ps_sigsuspend(ps_sim_t *sim, int32_t pid, uint32_t mask);

/*
 * abort2(2): exit with status SIGABRT (6) when the arguments are well
 * formed (0 <= nargs <= 16, args non-NULL even for nargs 0), else with
 * SIGKILL (9).  why may be NULL.  Returns 0 (the process is gone).
 */
PS_EXTERN int ps_abort2(ps_sim_t *sim, int32_t pid, const char *why, int nargs,
                        const uint64_t *args);

/* getrusage(2) of pid: who is PS_RUSAGE_SELF or PS_RUSAGE_CHILDREN. */
#define PS_RUSAGE_SELF 0
#define PS_RUSAGE_CHILDREN (-1)
PS_EXTERN int ps_getrusage(ps_sim_t *sim, int32_t pid, int who, struct ps_rusage *out);

/*
 * Charge usage to a live process, as a CPU would (the scheduler does this
 * itself): times and counters are added, maxrss raised to delta's if
 * larger.  Negative values are PS_EINVAL.
 */
PS_EXTERN int ps_proc_charge(ps_sim_t *sim, int32_t pid, const struct ps_rusage *delta);

/*
 * The signal queue of pid: the siginfo records queued with pending
 * signals, oldest first (a child's SIGCHLD record is queued at most once).
 * Signals pending without a record show in ps_proc_info().siglist only.
 */
PS_EXTERN int ps_sigqueue(ps_sim_t *sim, int32_t pid, struct ps_siginfo *buf, size_t cap,
                          size_t *count);

/* System calls that can sleep, and the state of the last one. */
enum ps_sys {
	PS_SYS_NONE = 0,
	PS_SYS_WAIT4,
	PS_SYS_WAIT6,
	PS_SYS_PAUSE,
	PS_SYS_SIGSUSPEND,
	PS_SYS_READ,
	PS_SYS_WRITE,
	PS_SYS_NANOSLEEP,
	PS_SYS_TCSETPGRP,   /* A program's tcsetpgrp: the background check may sleep. */
};

enum ps_sys_state {
	PS_SYSST_NONE = 0,     /* No call made that could sleep. */
	PS_SYSST_SLEEPING = 1, /* Asleep (or stopped while asleep). */
	PS_SYSST_RESTART = 2,  /* Interrupted; made again once the process runs. */
	PS_SYSST_DONE = 3,     /* Completed: retval and the outputs are valid. */
};

struct ps_sysret {
	int32_t sys;          /* enum ps_sys */
	int32_t state;        /* enum ps_sys_state */
	int64_t retval;       /* Result once done: as the call's own return. */
	int32_t status;       /* Wait status word (waits that reported a child). */
	int32_t slept;        /* Times the call went to sleep. */
	char wmesg[8];        /* Sleep message while asleep ("wait", "pause", ...). */
	uint64_t wchan;       /* Wait channel while asleep, else 0. */
	struct ps_wrusage ru; /* wait4: ru.self; wait6: both. */
	struct ps_siginfo si; /* wait6 */
	uint32_t nbytes;      /* read: bytes in data. */
	uint8_t data[256];    /* read: the bytes read. */
};

/*
 * The state of the last sleepable call pid made, and its result once
 * done.  The record stays until pid makes its next sleepable call.
 */
PS_EXTERN int ps_sysret(ps_sim_t *sim, int32_t pid, struct ps_sysret *out);

#ifdef __cplusplus
}
#endif

#endif /* PROCSIM_WAIT_H */
