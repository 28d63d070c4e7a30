/*
 * procsim: kinfo_proc, the ps(1) view of the process table
 * (spec-kern_proc.md §6), queried like the kern.proc sysctl.
 */
#ifndef PROCSIM_KINFO_H
#define PROCSIM_KINFO_H

#include <stddef.h>
#include <stdint.h>

#include <procsim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Selectors, with FreeBSD's values; PS_KERN_PROC_INC_THREAD is ORed in. */
#define PS_KERN_PROC_ALL 0
#define PS_KERN_PROC_PID 1
#define PS_KERN_PROC_PGRP 2
#define PS_KERN_PROC_SESSION 3
#define PS_KERN_PROC_TTY 4
#define PS_KERN_PROC_UID 5
#define PS_KERN_PROC_RUID 6
#define PS_KERN_PROC_PROC 8
#define PS_KERN_PROC_INC_THREAD 0x10

/* Extra records a size probe counts, as the sysctl does. */
#define PS_KINFO_PROBE_SLACK 5

/* ki_stat values. */
#define PS_SIDL 1
#define PS_SRUN 2
#define PS_SSLEEP 3
#define PS_SSTOP 4
#define PS_SZOMB 5
#define PS_SWAIT 6
#define PS_SLOCK 7

/* ki_kiflag bits. */
#define PS_KI_CTTY 0x00000001u
#define PS_KI_SLEADER 0x00000002u

/* No terminal; no foreground group. */
#define PS_NODEV (-1)

struct ps_kinfo_proc {
	int32_t ki_structsize; /* sizeof(struct ps_kinfo_proc) */
	int32_t ki_pid;
	int32_t ki_ppid;       /* Real parent, 0 if none. */
	int32_t ki_pgid;
	int32_t ki_tpgid;      /* Foreground pgid; NO_PID (pid_max + 1) if none;
	                        * 0 without a controlling terminal. */
	int32_t ki_sid;
	int32_t ki_tsid;       /* The terminal's session, 0 if none. */
	int32_t ki_jobc;
	int32_t ki_tdev;       /* Controlling terminal, PS_NODEV if none. */
	int32_t ki_uid, ki_ruid, ki_svuid;
	int32_t ki_rgid, ki_svgid, ki_gid;
	uint32_t ki_flag;      /* PS_P_* */
	uint32_t ki_kiflag;    /* PS_KI_* */
	int32_t ki_stat;       /* PS_S* */
	int32_t ki_numthreads;
	int32_t ki_tid;        /* The thread this record describes. */
	int32_t ki_tracer;     /* The debugger's pid when traced, else 0. */
	int32_t ki_lock;       /* Hold count. */
	int32_t ki_xstat;      /* Wait status of a zombie. */
	uint32_t ki_siglist;
	uint64_t ki_wchan;     /* Wait channel, 0 if not sleeping. */
	char ki_wmesg[9];      /* Sleep message, "" if not sleeping. */
	char ki_comm[20];
	char ki_state[8];      /* ps(1)'s STAT column, such as "Ts+". */
};

/*
 * kern.proc.<selector>[.<arg>] as process `caller` sees it.
 * selector: PS_KERN_PROC_*, optionally | PS_KERN_PROC_INC_THREAD.
 * args/nargs: the name elements after the selector (ALL takes none, PROC
 * none or one, the others exactly one; else PS_EINVAL).
 * buf NULL: a size probe, *count receives the number of records the call
 * would return plus PS_KINFO_PROBE_SLACK (not for PID).  Otherwise *count
 * is the capacity of buf on entry and the records written on return;
 * PS_ENOMEM when buf is too small (the records that fit are written).
 * Records come in allproc order, then zombproc order; processes caller
 * may not see are skipped (PID gives their p_cansee error).
 */
PS_EXTERN int ps_kinfo_proc(ps_sim_t *sim, int32_t caller, int selector, const int32_t *args,
                            uint32_t nargs, struct ps_kinfo_proc *buf, size_t *count);

#ifdef __cplusplus
}
#endif

#endif /* PROCSIM_KINFO_H */
