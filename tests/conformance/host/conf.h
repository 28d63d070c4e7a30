/*
 * procsim conformance: the host side of a case.
 *
 * A case's host program (tests/conformance/cases/NAME.c) defines
 * conf_case(), which runs in the case's first process (the "top" process,
 * a child of the harness).  The harness, conf.c's main(), plays init: it
 * leads a session of its own, is the reaper of every orphan
 * (PR_SET_CHILD_SUBREAPER, or pid 1 of a new pid namespace for an isolated
 * case), holds the master side of the pseudo-terminal, and reaps until no
 * descendant is left.
 *
 * Every process records what it observes through the calls below, as JSON
 * lines in the vocabulary of procsim's jsonl trace (docs/trace-format.md
 * §2): "tag" (a process names itself), "sysret" (a call returned), "wait"
 * (a wait reported a child), "deliver" (a handler ran), "reap" (the
 * harness reaped).  Only what a case records is compared, so a case
 * records exactly the calls its scenario's observed set contains
 * (docs/conformance.md §3).
 *
 * Ordering between processes is made deterministic with channels (pipes):
 * conf_post() on one side, conf_await() on the other.
 */
#ifndef PROCSIM_CONF_H
#define PROCSIM_CONF_H

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

/* The case: runs in the top process; its return value is the exit status. */
int conf_case(void);

/*
 * A case that execs (to test EACCES from setpgid after exec) re-executes
 * its own binary with conf_exec(phase); the new image runs
 * conf_after_exec(phase) instead of conf_case().  A case that never execs
 * need not define it.
 */
int conf_after_exec(const char *phase);
void conf_exec(const char *phase);

/* Name the calling process (procsim's `tag NAME`).  Every process a case
 * creates names itself before anything it records is compared. */
void conf_tag(const char *name);

/*
 * Record the result of a call: "CALL = V", or "CALL = -1 ENAME" when ret
 * is -1 (errno is read).  Returns ret, with errno preserved.
 *   if (OBS("setpgid", setpgid(0, 0)) < 0) ...
 */
long conf_rec(const char *call, long ret);
#define OBS(call, expr) conf_rec((call), (long)(expr))

/* fork(); the parent records "fork = child" (the child records nothing,
 * as procsim's child sees no return from fork). */
pid_t conf_fork(void);

/* waitpid(pid, &status, options), recorded as wait4: the result and, for a
 * child reported, its status.  Returns the pid (or -1, or 0). */
pid_t conf_wait4(pid_t pid, int options);

/* waitid() recorded as procsim's wait6: idtype P_PID/P_PGID/P_ALL. */
pid_t conf_wait6(idtype_t idtype, id_t id, int options);

/* A handler for sig that records "handler SIG"; it blocks every signal
 * while it runs (so handlers run one at a time and in the order they were
 * set up), with the given SA_* flags. */
void conf_catch(int sig, int flags);

/* sigaction(sig, SIG_IGN or SIG_DFL) with flags, not recorded. */
void conf_ignore(int sig, int flags);
void conf_default(int sig, int flags);

/* Channels: made before a fork, usable by both sides after it. */
int conf_chan(void);
void conf_post(int chan);
void conf_await(int chan);

/* Pass a pid through a channel (a grandchild's pid to its grandparent). */
void conf_send_pid(int chan, pid_t pid);
pid_t conf_recv_pid(int chan);

/* Wait (polling /proc) until pid's state letter is one of states:
 * "T" stopped, "Z" zombie, "S" sleeping; "x" also accepts a vanished
 * process.  Used where no wait(2) can tell (pid is not a child). */
void conf_await_state(pid_t pid, const char *states);

/* The harness's pseudo-terminal slave, opened O_RDWR|O_NOCTTY (cases whose
 * scenario has "ttys"); exits the case with a message if there is none. */
int conf_tty(void);

/* Leave: _exit(code), after nothing (records are written at once). */
_Noreturn void conf_exit(int code);

/* Linux names of signals and errnos: "SIGHUP", "EPERM". */
const char *conf_signame(int sig);
const char *conf_errname(int err);

#endif /* PROCSIM_CONF_H */
