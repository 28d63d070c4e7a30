/*
 * Internal kernel functions, grouped by the file that defines them (the
 * table of contents of src/kern).  They keep the kernel's names.  Each takes
 * the kernel as its first argument, called `k`, which the lock macros use.
 */
#ifndef PS_KERN_KERN_H
#define PS_KERN_KERN_H

#include <procsim/kinfo.h>

#include "kern/proc.h"

/* kern_proc.c: tables, lookups, groups and sessions, job control. */
int procinit(struct kernel *k);
void procfini(struct kernel *k);
struct prochashhead *PIDHASH(struct kernel *k, pid_t_ pid);
struct prochashhead *ZOMBHASH(struct kernel *k, pid_t_ pid);
struct pgrphashhead *PGRPHASH(struct kernel *k, pid_t_ pgid);
struct tidhashhead *TIDHASH(struct kernel *k, lwpid_t_ tid);
struct proc *pfind_locked(struct kernel *k, pid_t_ pid);
struct proc *pfind(struct kernel *k, pid_t_ pid);
struct proc *pfind_tid_locked(struct kernel *k, lwpid_t_ tid);
struct proc *zpfind_locked(struct kernel *k, pid_t_ pid);
struct proc *zpfind(struct kernel *k, pid_t_ pid);
struct pgrp *pgfind(struct kernel *k, pid_t_ pgid);
/* Lock-free lookups for the invariant checker and queries. */
struct proc *pfind_any_nolock(struct kernel *k, pid_t_ pid);
struct pgrp *pgfind_nolock(struct kernel *k, pid_t_ pgid);
int pget(struct kernel *k, pid_t_ pid, int flags, struct proc **pp);
struct proc *proc_realparent(struct kernel *k, struct proc *p);
int inferior(struct kernel *k, struct proc *p);
int enterpgrp(struct kernel *k, struct proc *p, pid_t_ pgid, struct pgrp *pgrp,
              struct session *sess);
int enterthispgrp(struct kernel *k, struct proc *p, struct pgrp *pgrp);
int leavepgrp(struct kernel *k, struct proc *p);
void sess_hold(struct kernel *k, struct session *s);
void sess_release(struct kernel *k, struct session *s);
void fixjobc(struct kernel *k, struct proc *p, struct pgrp *pgrp, int entering);
void killjobc(struct kernel *k);
void orphanpg(struct kernel *k, struct pgrp *pg);
struct pgrp *pgrp_alloc(struct kernel *k);
struct session *session_alloc(struct kernel *k);
void pgrp_free_unused(struct kernel *k, struct pgrp *pg);
void session_free_unused(struct kernel *k, struct session *s);
void _PHOLD(struct kernel *k, struct proc *p);
void _PRELE(struct kernel *k, struct proc *p);

/* kern_fork.c: pids, process creation. */
int fork_findpid(struct kernel *k, pid_t_ *pidp);
void pid_use(struct kernel *k, pid_t_ id, uint8_t what);
void pid_unuse(struct kernel *k, pid_t_ id, uint8_t what);
struct proc *proc_alloc(struct kernel *k);
void proc_free(struct kernel *k, struct proc *p);
struct thread *thread_alloc(struct kernel *k, struct proc *p);
void thread_free_all(struct kernel *k, struct proc *p);
int fork1(struct kernel *k, struct proc *p1, struct proc **procp);
int kproc_create(struct kernel *k, const char *name, struct proc **procp);
int proc0_init(struct kernel *k);
int thread_create(struct kernel *k, struct proc *p, struct thread **tdp);

/* kern_exit.c: exit, reparenting, wait and reaping. */
void exit1(struct kernel *k, struct proc *p, int xstat);
void proc_reparent(struct kernel *k, struct proc *child, struct proc *parent);
int kern_wait_start(struct kernel *k, struct thread *td);
int kern_wait_resume(struct kernel *k, struct thread *td);
void init_reap(struct kernel *k);
void ruadd(struct ps_rusage *ru, const struct ps_rusage *ru2);

/* Wait status words (BSD encodings). */
#define W_EXITCODE(ret, sig) ((int)((uint32_t)(ret) << 8 | (uint32_t)(sig)))
#define W_STOPCODE(sig) ((sig) << 8 | 0177)
#define WCOREFLAG 0200
#define SIGCONT_STATUS 0x13 /* wait status of a continued child: SIGCONT (19) */

/* What a wait reported (sf_wstat, the WAIT event's detail). */
enum { WR_NONE, WR_EXITED, WR_GIVEBACK, WR_STOPPED, WR_TRAPPED, WR_CONTINUED };

/*
 * Kernel-internal results of a system call's handler, never returned by
 * the public API: make the call again from the top once the signal has
 * been delivered (ERESTART), and "went to sleep, resumes when woken".
 */
#define ERESTART (-4080)
#define EJUSTSLEPT (-4081)
/* A runner's system call set its registers itself (trap_syscall). */
#define EJUSTRETURN (-4082)

/* kern_synch.c: sleep queues, wakeup, the way back to user mode. */
int sleepq_init(struct kernel *k);
int sleepq_resize(struct kernel *k, uint32_t nbuckets);  /* PS_ENOMEM */
void proc_tables_grow(struct kernel *k);  /* After nprocs grew. */
void sleepq_fini(struct kernel *k);
int sleepq_sleep(struct kernel *k, struct thread *td, uint64_t wchan, const char *wmesg,
                 bool catch);
void sleepq_abort(struct kernel *k, struct thread *td, int intrval);
void wakeup(struct kernel *k, uint64_t wchan);
void ast_enqueue(struct kernel *k, struct thread *td);
void signotify(struct kernel *k, struct proc *p);
void ast_run(struct kernel *k);
void thread_abandon(struct kernel *k, struct thread *td);
void thread_suspend_all(struct kernel *k, struct proc *p);
void thread_unsuspend_all(struct kernel *k, struct proc *p);
void thread_release_suspended(struct kernel *k, struct proc *p);
void syscall_start(struct kernel *k, struct thread *td, int code, const int64_t *args,
                   int nargs);
void userret(struct kernel *k, struct thread *td);
const char *syscall_name(int code);
int kern_pause_start(struct kernel *k, struct thread *td);
int kern_pause_resume(struct kernel *k, struct thread *td);

/* kern_sig.c: posting, stopping, continuing, delivery. */
void kern_psignal(struct kernel *k, struct proc *p, int sig);
void pksignal(struct kernel *k, struct proc *p, int sig, struct ksiginfo *ksi);
void pgsignal(struct kernel *k, struct pgrp *pgrp, int sig, int checkctty);
int cursig(struct proc *p);
bool postsig(struct kernel *k, struct proc *p, int sig);
int sig_sleep_intr(struct kernel *k, struct thread *td);
void sigqueue_take(struct kernel *k, struct ksiginfo *ksi);
void sigqueue_delete(struct proc *p, int sig);
void sigqueue_flush(struct proc *p);
void proc_trace_stop(struct kernel *k, struct proc *p, int sig);
void sigqueue_requeue(struct proc *p, int sig);
bool postsig_traced(struct kernel *k, struct proc *p, struct thread *td, int sig);
void trapsignal(struct kernel *k, struct thread *td, int sig);
int kern_sigprocmask(struct kernel *k, struct thread *td, int how, sigset32_t set,
                     sigset32_t *old);
void childproc_stopped(struct kernel *k, struct proc *p, int reason);
void childproc_continued(struct kernel *k, struct proc *p);
void childproc_exited(struct kernel *k, struct proc *p);
int sig_prop(int sig);
int kern_kill(struct kernel *k, struct proc *cur, pid_t_ pid, int sig);
int p_cansignal(struct kernel *k, struct proc *cur, struct proc *p, int sig);
int kern_sigaction(struct kernel *k, struct proc *p, int sig, const struct ps_sigaction *act,
                   struct ps_sigaction *oact);
struct sigacts *sigacts_alloc(void);
struct sigacts *sigacts_hold(struct sigacts *ps);
void sigacts_free(struct sigacts *ps);
int sigacts_unshare(struct proc *p);
#define SA_KILL 0x01     /* Terminates the process. */
#define SA_CORE 0x02     /* ... and dumps core. */
#define SA_STOP 0x04     /* Stops the process. */
#define SA_TTYSTOP 0x08  /* A stop signal from the terminal. */
#define SA_IGNORE 0x10   /* Ignored by default. */
#define SA_CONT 0x20     /* Continues a stopped process. */

/* kern_prot.c: ids, credentials, permission checks. */
int p_cansee(struct kernel *k, struct proc *cur, struct proc *p);
int p_candebug(struct kernel *k, struct proc *cur, struct proc *p);
int priv_check_cred(const struct ucred *cred);
int sys_setsid(struct kernel *k, struct proc *p);
int sys_setpgid(struct kernel *k, struct proc *curp, pid_t_ pid, pid_t_ pgid);
int sys_getpgid(struct kernel *k, struct proc *curp, pid_t_ pid);
int sys_getsid(struct kernel *k, struct proc *curp, pid_t_ pid);
int sys_setuid(struct kernel *k, struct proc *p, int32_t uid);

/* tty.c: terminals as far as job control needs them. */
struct tty *tty_alloc(struct kernel *k, const char *name);
struct tty *tty_find_dev(struct kernel *k, int32_t dev);
void tty_free_all(struct kernel *k);
void tty_rel_pgrp(struct kernel *k, struct tty *tp, struct pgrp *pg);
void tty_rel_sess(struct kernel *k, struct tty *tp, struct session *s);
void tty_signal_pgrp(struct kernel *k, struct tty *tp, int sig);
void tty_revoke(struct kernel *k, struct tty *tp);
int tty_is_ctty(struct tty *tp, struct proc *p);
int tty_ioctl_sctty(struct kernel *k, struct proc *p, struct tty *tp);
int tty_ioctl_spgrp(struct kernel *k, struct proc *p, struct tty *tp, pid_t_ pgid);
int tty_ioctl_gpgrp(struct kernel *k, struct proc *p, struct tty *tp);
int tty_read_start(struct kernel *k, struct thread *td);
int tty_read_resume(struct kernel *k, struct thread *td);
int tty_write_start(struct kernel *k, struct thread *td);
int tty_write_resume(struct kernel *k, struct thread *td);
int tty_spgrp_start(struct kernel *k, struct thread *td);
int tty_spgrp_resume(struct kernel *k, struct thread *td);
int tty_input(struct kernel *k, struct tty *tp, const void *buf, size_t len);
size_t tty_output(struct kernel *k, struct tty *tp, void *buf, size_t cap);
void tty_set_tostop(struct kernel *k, struct tty *tp, bool on);
void tty_hangup(struct kernel *k, struct tty *tp);
void tty_signal_sessleader(struct kernel *k, struct tty *tp, int sig);

/* kern_trap.c: a runner's traps: system calls, faults, signal frames. */
void trap_syscall(struct kernel *k, struct thread *td, int64_t code);
void trap_ast(struct kernel *k, struct thread *td);
void trap_fault(struct kernel *k, struct thread *td, int sig, uint64_t addr, int reason);
void trap_tag(struct kernel *k, struct thread *td, uint64_t addr);
void trap_sleepable_done(struct kernel *k, struct thread *td);
bool sendsig(struct kernel *k, struct thread *td, int sig, sigset32_t returnmask);
int kern_nanosleep_start(struct kernel *k, struct thread *td);
int kern_nanosleep_resume(struct kernel *k, struct thread *td);
void kern_timeout(struct kernel *k, struct thread *td);
void trap_syscall_resume(struct kernel *k, struct thread *td);
void trap_step(struct kernel *k, struct thread *td);
bool syscall_sleepable(int code);
void syscall_ret_stop(struct kernel *k, struct thread *td);

/* kern_exec.c: programs, execve, threads leaving, the end of a step. */
struct asm_error;
struct program *program_find(struct kernel *k, const char *name);
void program_hold(struct program *pr);
const char *program_name(const struct program *pr);
int64_t program_fileid(struct kernel *k, const struct program *pr);
const struct asm_image *program_image(const struct program *pr);
int program_add(struct kernel *k, const char *name, const char *text, struct asm_error *err);
void programs_free(struct kernel *k);
void strv_free(char **v);
pid_t_ proc_getppid(struct kernel *k, struct proc *p);
struct thread *tdfind_nolock(struct kernel *k, lwpid_t_ tid);
void thread_make_first(struct proc *p, struct thread *td);
void thread_exit_one(struct kernel *k, struct thread *td);
void deadthreads_free(struct kernel *k);
void exec_common(struct kernel *k, struct proc *p, const char *comm);
int kern_execve(struct kernel *k, struct thread *td, struct program *pr,
                const char *const *argv, const char *const *envp);
void exit_vmspace(struct kernel *k, struct proc *p);
int kern_after_step(struct kernel *k);
#define P_RUNNER(p) (((p)->p_kflag & PK_RUNNER) != 0)

/* kern_event.c: the event stream. */
void kevent_emit(struct kernel *k, enum ps_event_type type, struct proc *p, pid_t_ pid2,
                 int sig, int32_t value, const char *detail);
void kevent_emit_pg(struct kernel *k, enum ps_event_type type, struct pgrp *pg, int32_t value,
                    const char *detail);

/* kern_check.c: the invariant checker (full walk, automatic checks). */
int kern_check(struct kernel *k, struct ps_check_report *rep);
int kern_check_auto(struct kernel *k, struct ps_check_report *rep);
int kern_chk_init(struct kernel *k);
void kern_chk_free(struct kernel *k);
int jobc_qualifies(struct proc *m, struct pgrp *g);
/*
 * Incremental checking: what an operation touched, recorded by id.  Call
 * through CHK_TOUCH, which costs one test when the mode is off.  Locks
 * (lock.c) record their object; the rest is for fields that change
 * without the object's own lock, and for groups and sessions coming and
 * going.
 */
void chk_touch_lock(struct kernel *k, struct lock_object *lo);
void chk_touch_proc(struct kernel *k, struct proc *p);
void chk_touch_pgrp(struct kernel *k, struct pgrp *pg);
void chk_touch_sess(struct kernel *k, struct session *s);
void chk_touch_tty(struct kernel *k, struct tty *tp);
void chk_pgrp_linked(struct kernel *k, struct pgrp *pg);
void chk_pgrp_unlinked(struct kernel *k, struct pgrp *pg);
void chk_sess_freed(struct kernel *k, struct session *s);
#define CHK_TOUCH(k, fn, obj)                                                                 \
	do {                                                                                  \
		if ((k)->chk != NULL)                                                         \
			fn((k), (obj));                                                       \
	} while (0)

/* sys_process.c: ptrace, proc_rwmem, the trace stops, procctl. */
struct vmspace;
struct pt_caller {
	struct proc *p;       /* The calling process. */
	struct thread *td;    /* Its calling thread. */
	struct vmspace *uvm;  /* Its memory for a program's call; NULL: host pointers. */
};
bool pt_user(const struct pt_caller *c);
int pt_copyin(const struct pt_caller *c, uint64_t uaddr, void *kaddr, size_t len);
int pt_copyout(const struct pt_caller *c, const void *kaddr, uint64_t uaddr, size_t len);
int sys_ptrace(struct kernel *k, const struct pt_caller *c, int req, int32_t pid, uint64_t addr,
               int data, int *retval);
int sys_procctl(struct kernel *k, const struct pt_caller *c, int idtype, int64_t id, int com,
                uint64_t data);
void ptracestop(struct kernel *k, struct thread *td, int sig, int kind,
                const struct ksiginfo *ksi);
bool ptrace_userret(struct kernel *k, struct thread *td);
void proc_clear_orphan(struct kernel *k, struct proc *p);

/* kinfo.c */
int kern_kinfo_proc(struct kernel *k, struct proc *cur, int selector, const int32_t *args,
                    uint32_t nargs, struct ps_kinfo_proc *buf, size_t *count);

#endif /* PS_KERN_KERN_H */
