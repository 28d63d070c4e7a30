/*
 * procsim: programs.  Simulated processes run programs written in procsim's
 * small instruction set (docs/isa.md) and assembled from text.  A program
 * is registered with a simulator under a name; ps_spawn() starts a process
 * running it, and the execve system call replaces a process's image with
 * the named program.
 *
 * System calls: `sys NAME a, b, ...` in a program loads the arguments into
 * r0, r1, ... and traps; the result comes back in r0, a negative PS_E*
 * value on failure.  The numbers are FreeBSD's where FreeBSD has the call,
 * and 1000 and up for procsim's register-argument conveniences.
 */
#ifndef PROCSIM_PROGRAM_H
#define PROCSIM_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include <procsim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/* name, number, arguments (r0, r1, ...) -> result in r0. */
#define PS_SYSCALL_MAP(XX)                                                         \
	XX(exit, 1)           /* (status): status << 8, unmasked; no return. */     \
	XX(fork, 2)           /* () -> child pid in the parent, 0 in the child. */  \
	XX(read, 3)           /* (tty, buf, len) -> bytes read. */                  \
	XX(write, 4)          /* (tty, buf, len) -> bytes written. */               \
	XX(wait4, 7)          /* (pid, status_addr, options, rusage_addr) -> pid. */\
	XX(getpid, 20)        /* () -> pid. */                                      \
	XX(setuid, 23)        /* (uid) */                                           \
	XX(getuid, 24)        /* () -> real uid. */                                 \
	XX(ptrace, 26)        /* (req, pid, addr, data) -> value (u32) (ptrace.md). */ \
	XX(kill, 37)          /* (pid, sig) */                                      \
	XX(getppid, 39)       /* () -> parent pid. */                               \
	XX(execve, 59)        /* (name_addr, argv_addr, envp_addr) */               \
	XX(munmap, 73)        /* (addr, len) */                                     \
	XX(mprotect, 74)      /* (addr, len, prot) */                               \
	XX(getpgrp, 81)       /* () -> pgid. */                                     \
	XX(setpgid, 82)       /* (pid, pgid) */                                     \
	XX(setsid, 147)       /* () -> sid. */                                      \
	XX(getpgid, 207)      /* (pid) -> pgid. */                                  \
	XX(nanosleep, 240)    /* (nanoseconds) -> 0, or PS_EINTR. */                \
	XX(getsid, 310)       /* (pid) -> sid. */                                   \
	XX(sched_yield, 331)  /* () */                                              \
	XX(sigprocmask, 340)  /* (how, set) -> the old mask. */                     \
	XX(sigsuspend, 341)   /* (mask) -> PS_EINTR. */                             \
	XX(sigreturn, 417)    /* (frame_addr): used by the signal trampoline. */    \
	XX(thr_exit, 431)     /* () */                                              \
	XX(thr_new, 455)      /* (entry, stack, arg) -> tid; arg in the new r0. */  \
	XX(mmap, 477)         /* (addr, len, prot, flags) -> address. */            \
	XX(wait6, 532)        /* (idtype, id, status_addr, options, wrusage_addr,  \
	                       *  info_addr) -> pid (api.md ps_wait6). */        \
	XX(procctl, 544)      /* (idtype, id, cmd, data_addr) (ptrace.md §7). */   \
	XX(sigaction, 1000)   /* (sig, handler, flags, mask) -> 0. */               \
	XX(pause, 1001)       /* () -> PS_EINTR. */                                 \
	XX(tiocsctty, 1002)   /* (tty) */                                           \
	XX(tcsetpgrp, 1003)   /* (tty, pgid) */                                     \
	XX(tcgetpgrp, 1004)   /* (tty) -> pgid. */                                  \
	XX(gettid, 1005)      /* () -> thread id. */                                \
	XX(random, 1006)      /* (bound) -> [0, bound): the workload PRNG stream. */

enum ps_sysno {
#define PS_SYSNO_ENUM_(name, num) PS_SYSNO_##name = (num),
	PS_SYSCALL_MAP(PS_SYSNO_ENUM_)
#undef PS_SYSNO_ENUM_
};

/* "fork" for 2, NULL for a number that is no system call. */
PS_EXTERN const char *ps_syscall_name(int sysno);
/* 2 for "fork"; PS_EINVAL for an unknown name. */
PS_EXTERN int ps_syscall_number(const char *name);

/* mmap/mprotect protections and mmap flags, as the programs pass them. */
#define PS_PROT_NONE 0
#define PS_PROT_READ 1
#define PS_PROT_WRITE 2
#define PS_PROT_EXEC 4
#define PS_MAP_FIXED 0x0010

/* Where an assembly error is: 1-based line and column, and what is wrong. */
struct ps_asm_error {
	int32_t line;
	int32_t column;
	char message[160];
};

/*
 * Register program text under name (1..31 characters [A-Za-z0-9_.-]).  The
 * text is assembled at once; a program using a terminal name (tty0) needs
 * that terminal to exist already.  Errors: PS_EINVAL (bad arguments, or a
 * program that does not assemble: *err, when not NULL, says where and why),
 * PS_EEXIST (the name is taken), PS_ENOMEM.
 */
PS_EXTERN int ps_program_add(ps_sim_t *sim, const char *name, const char *text,
                             struct ps_asm_error *err);

/* Facts about a registered program. */
struct ps_program_info {
	uint64_t entry;      /* Address of the first instruction (the `start` label, or the first). */
	uint64_t text_len;   /* Bytes of text. */
	uint64_t data_len;   /* Bytes of data. */
	uint32_t ninsns;     /* Instructions. */
};
PS_EXTERN int ps_program_info(ps_sim_t *sim, const char *name, struct ps_program_info *out);

/* Address of a label of a registered program, or PS_ESRCH. */
PS_EXTERN int ps_program_symbol(ps_sim_t *sim, const char *program, const char *label,
                                uint64_t *addr);

#ifdef __cplusplus
}
#endif

#endif /* PROCSIM_PROGRAM_H */
