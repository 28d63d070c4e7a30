/*
 * procsim: kinfo_proc, the ps(1) view of the process table
 * (spec-kern_proc.md §6), queried like the kern.proc sysctl; and a
 * process's arguments, environment, auxiliary vector and memory map
 * (kern.proc.args, .env, .auxv, .vmmap; §7, §8).
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

/*
 * Arguments, environment and auxiliary vector: kern.proc.args,
 * kern.proc.env and kern.proc.auxv (spec-kern_proc.md §7).  They are read
 * from the target's memory through the MMU, with the debugger's rules
 * (proc_rwmem), starting from the struct ps_strings exec leaves at the top
 * of the stack (docs/memory.md §1.2): whatever the program has since
 * written there is what the calls report.  caller is the live process
 * asking (PS_ESRCH if it is not); its credentials decide.  pid is found as
 * pget finds it (a thread id above pid_max names its process).
 *
 * Results, as the sysctls give them (docs/api.md):
 * - buf NULL: a size probe; *len (*count) gets the size the answer has.
 * - Otherwise cap is the room in buf (bytes; records for auxv).  The
 *   answer is written; if it is larger than cap, its first cap bytes
 *   (records) are, and the call returns PS_ENOMEM.  *len (*count) gets
 *   what was written.
 * - A failed read of the target's memory returns its error, with what was
 *   gathered before it written as above: PS_ENOMEM (struct ps_strings or a
 *   vector cannot be read, which includes an empty vector: argc or envc 0,
 *   as FreeBSD's proc_readmem fails a read of 0 bytes), PS_ENOEXEC (a count
 *   above PS_ARG_MAX, an auxv not 8-aligned or without AT_NULL within
 *   PS_PROC_AUXV_MAX entries).
 */
#define PS_ARG_MAX 262144      /* FreeBSD's ARG_MAX. */
#define PS_PROC_AUXV_MAX 256   /* Entries get_proc_vector reads at most. */

/*
 * kern.proc.args: the argument strings, each followed by its NUL, back to
 * back (at most 2 * (1024 + PS_ARG_MAX) bytes).  Needs p_cansee only, so
 * zombies are found too.  A process that runs no program (a puppet: no
 * address space) gives its command name, standing for the p_args cache
 * exec fills, which lasts until it is reaped.  A system process, and a
 * program's process that is exiting or a zombie, give 0 bytes and 0.  A
 * NULL in argv[] ends the list without error.
 */
PS_EXTERN int ps_proc_getargv(ps_sim_t *sim, int32_t caller, int32_t pid, char *buf, size_t cap,
                              size_t *len);
/*
 * kern.proc.env: the environment strings, as ps_proc_getargv.  Needs
 * p_candebug (its error otherwise, such as PS_EPERM for another user's
 * process) and a process not exiting (PS_ESRCH for a zombie).  A system
 * process or a puppet gives 0 bytes and 0.
 */
PS_EXTERN int ps_proc_getenvv(ps_sim_t *sim, int32_t caller, int32_t pid, char *buf, size_t cap,
                              size_t *len);

/* ELF auxiliary vector types (FreeBSD's AT_* values). */
#define PS_AT_NULL 0
#define PS_AT_PAGESZ 6
#define PS_AT_ENTRY 9
#define PS_AT_EXECPATH 15

/* One auxv record, as Elf64_Auxinfo. */
struct ps_auxinfo {
	int64_t a_type;  /* PS_AT_* */
	uint64_t a_val;
};

/*
 * kern.proc.auxv: the records as they are in the target's memory, the
 * closing PS_AT_NULL included.  Lookup and permissions as
 * ps_proc_getenvv.
 */
PS_EXTERN int ps_proc_getauxv(ps_sim_t *sim, int32_t caller, int32_t pid, struct ps_auxinfo *buf,
                              size_t cap, size_t *count);

/* kve_type: what backs a mapping (FreeBSD's KVME_TYPE_*). */
#define PS_KVME_TYPE_NONE 0
#define PS_KVME_TYPE_DEFAULT 1     /* Anonymous memory: the stack, mmap. */
#define PS_KVME_TYPE_VNODE 2       /* A file: a program's text and data. */
#define PS_KVME_TYPE_SWAP 3
#define PS_KVME_TYPE_DEVICE 4
#define PS_KVME_TYPE_PHYS 5        /* Physical pages: the shared page. */
#define PS_KVME_TYPE_DEAD 6
#define PS_KVME_TYPE_SG 7
#define PS_KVME_TYPE_MGTDEVICE 8
#define PS_KVME_TYPE_UNKNOWN 255

/* kve_protection, kve_max_protection bits. */
#define PS_KVME_PROT_READ 0x1u
#define PS_KVME_PROT_WRITE 0x2u
#define PS_KVME_PROT_EXEC 0x4u

/* kve_flags bits. */
#define PS_KVME_FLAG_COW 0x1u      /* Private: writes copy the page. */

/* One map entry, after FreeBSD's struct kinfo_vmentry. */
struct ps_kinfo_vmentry {
	int32_t kve_structsize;        /* sizeof(struct ps_kinfo_vmentry) */
	int32_t kve_type;              /* PS_KVME_TYPE_* */
	uint64_t kve_start;            /* [kve_start, kve_end), page aligned. */
	uint64_t kve_end;
	uint64_t kve_offset;           /* Offset of kve_start in what backs it. */
	uint32_t kve_protection;       /* PS_KVME_PROT_* */
	uint32_t kve_max_protection;   /* What mprotect may grant (not in FreeBSD's). */
	uint32_t kve_flags;            /* PS_KVME_FLAG_* */
	uint32_t kve_resident;         /* Pages of the entry in memory. */
	uint32_t kve_private_resident; /* Of those, frames no other address space maps. */
	uint32_t kve_obj_id;           /* The object's id (docs/memory.md §8). */
	char kve_label[24];            /* "text", "data", "stack", "mmap", "shared". */
	char kve_path[64];             /* "/bin/NAME" for a program's text and data, else "". */
};

/*
 * kern.proc.vmmap: pid's map entries in address order.  Needs p_candebug
 * and a process not exiting (PS_ESRCH for a zombie); a process without an
 * address space (a puppet, a system process) gives PS_ESRCH.  buf NULL: a
 * size probe, *count gets the number of entries.  Otherwise cap records
 * at most are written, *count says how many, PS_ENOMEM if there were more.
 */
PS_EXTERN int ps_proc_vmmap(ps_sim_t *sim, int32_t caller, int32_t pid,
                            struct ps_kinfo_vmentry *buf, size_t cap, size_t *count);

#ifdef __cplusplus
}
#endif

#endif /* PROCSIM_KINFO_H */
