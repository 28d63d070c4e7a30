/*
 * Scenarios, inside: the loaded document (struct ps_scenario) and a run of
 * it (struct ps_scenario_run).  sc_load.c turns JSON into the first,
 * checking everything it can without a simulator; sc_run.c builds and
 * drives the machine; sc_expect.c judges the expectations and reports.
 */
#ifndef PROCSIM_SC_INTERNAL_H
#define PROCSIM_SC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <procsim/procsim.h>
#include <procsim/scenario.h>
#include <procsim/trace.h>

#define SC_PATH_MAX 160

/* A process reference as written: a name, or a pid ("#12", 12). */
struct sc_ref {
	char *name;      /* NULL for a pid. */
	int32_t pid;
};

/* A process to create: at time 0 ("processes") or later ("spawn"). */
struct sc_proc {
	char path[SC_PATH_MAX];
	char *name;
	char *program;   /* NULL: a process that runs no program. */
	struct sc_ref parent;
	char **argv;     /* NULL-terminated, or NULL. */
	char **env;
	bool has_uid, has_gid, setsid;
	int32_t uid, gid;
	char *ctty;      /* Terminal to acquire after setsid, or NULL. */
	bool has_pgrp;
	struct sc_ref pgrp; /* Group to join (the named process's group). */
	bool foreground; /* Make its group the terminal's foreground. */
};

enum sc_action_kind {
	SCA_SIGNAL, SCA_HANGUP, SCA_SPAWN, SCA_FORK, SCA_EXIT, SCA_WAIT, SCA_SETPGID,
	SCA_SETSID, SCA_TIOCSCTTY, SCA_TCSETPGRP, SCA_SETUID, SCA_SIGACTION, SCA_EXEC,
	SCA_POKE, SCA_CHECK, SCA_PAUSE, SCA_PTRACE, SCA_PROCCTL,
};

/* Bytes of memory to write or expect, at an address or a program label. */
struct sc_mem {
	bool has_addr;
	uint64_t addr;
	char *symbol;    /* A label of `program` (default: the one it runs). */
	char *program;
	int64_t offset;
	uint8_t *bytes;
	size_t len;
};

enum sc_result_kind { SCR_ANY, SCR_OK, SCR_ERRNO, SCR_VALUE };

/*
 * An address or a register value as written: a number, or a label of the
 * target's program plus an offset ("done", "loop+8"), resolved when the
 * action runs.
 */
struct sc_addr {
	bool set;
	uint64_t value;  /* The number, when label is NULL. */
	char *label;
	int64_t offset;
};

/* Registers of struct ps_regs by index: r0-r15, then pc, sp, flags. */
#define SC_NREGS 19

/* A ptrace request of a "ptrace" action, and what its results must be. */
struct sc_ptrace {
	int req;
	bool has_target;
	struct sc_ref target;        /* The process, or the owner of the thread. */
	int32_t thread;              /* -1, or the target's Nth thread (its tid is passed). */
	struct sc_addr addr;         /* Unset: 1 for the resume requests, else 0. */
	int32_t data;
	bool has_data;
	/* PT_IO */
	int32_t io_op;
	struct sc_addr io_offs;
	uint64_t io_len;
	uint8_t *io_bytes;           /* A write's bytes (io_len of them). */
	/* PT_SETREGS: only the registers named change. */
	uint32_t regs_mask;
	struct sc_addr regs[SC_NREGS];
	/* PT_VM_ENTRY */
	int32_t entry;
	uint32_t pathlen;
	/* Checks of a successful request. */
	bool has_value;
	uint32_t value;              /* The return value, as an unsigned 32-bit number. */
	uint32_t eregs_mask;
	struct sc_addr eregs[SC_NREGS];
	uint8_t *ebytes;             /* A PT_IO read's bytes. */
	size_t nebytes;
	bool has_lwpinfo;
	int32_t lw_event, lw_flags, lw_signal, lw_syscall; /* -1 unless given. */
	bool has_lw_child;
	struct sc_ref lw_child;
	bool has_vm;
	int64_t vm_entry;            /* -1 unless given; the others unset when !set. */
	struct sc_addr vm_start, vm_end;
	int32_t vm_prot;             /* -1 unless given. */
	bool has_vm_path;
	char *vm_path;               /* NULL with has_vm_path: no path. */
};

/* A "procctl" action. */
struct sc_procctl {
	int32_t idtype;              /* PS_PROCCTL_P_PID, P_PGID, or any number. */
	struct sc_ref id;
	int32_t com;
	int32_t flags;
};

struct sc_action {
	char path[SC_PATH_MAX];
	char *json;                 /* The event as written (compact JSON). */
	uint64_t at;
	enum sc_action_kind kind;
	struct sc_ref proc;         /* Who acts (or is acted upon). */
	bool has_proc;
	struct sc_ref target;       /* signal: to; setpgid: pid; wait: pid. */
	int target_kind;            /* 0 none, 1 a process, 2 its group, 3 a number. */
	int32_t number;             /* signal, status, uid, pid for wait... */
	int32_t number2;            /* options, flags. */
	struct sc_ref pgrp;
	bool has_pgrp;
	char *tty;
	char *program;
	char *name;                 /* fork: the child's name. */
	char **argv, **env;
	uint64_t handler;           /* sigaction: PS_SIG_DFL / PS_SIG_IGN. */
	struct sc_proc *spawn;
	struct sc_mem mem;
	struct sc_ptrace *pt;       /* ptrace: the request and its checks. */
	struct sc_procctl *pc;      /* procctl */
	enum sc_result_kind result; /* What the action must return. */
	bool has_expect;            /* "expect" given: it counts as an expectation. */
	int32_t result_value;
};

enum sc_field {
	SCF_PID, SCF_PID2, SCF_PGID, SCF_SID, SCF_SIG, SCF_VALUE, SCF_DETAIL,
	SCF_TID, SCF_CPU, SCF_TTY,
};

/* One field an event must have. */
struct sc_match {
	enum sc_field field;
	bool is_ref;
	struct sc_ref ref;   /* pid-like fields given as a reference. */
	int32_t num;         /* Numbers (signal numbers, values, statuses). */
	char *str;           /* detail; tty name. */
	char key[24];        /* The key as written (for messages). */
};

enum sc_expect_kind { SCE_EVENT, SCE_PROC, SCE_PGRP, SCE_SESSION };

enum sc_state {
	SCS_ANY, SCS_ALIVE, SCS_STOPPED, SCS_ZOMBIE, SCS_REAPED, SCS_EXITED,
};

/* A wait status to expect: exited with a code, or killed by a signal. */
struct sc_status {
	bool set;
	int32_t word;        /* The status word. */
	bool any_core;       /* "signaled SIG": the core flag is not judged. */
};

struct sc_expect {
	char path[SC_PATH_MAX];
	char *json;                       /* As written (compact JSON). */
	char *id;
	enum sc_expect_kind kind;
	/* When (state kinds): at the end, or at a time. */
	bool at_end;
	uint64_t at;
	/* Event kind. */
	uint32_t type;
	struct sc_match *match;
	size_t nmatch;
	int64_t count, at_least, at_most; /* -1 when not given. */
	bool never;
	int after;                        /* Index of another expectation, or -1. */
	bool has_since, has_until;
	uint64_t since, until;
	struct sc_status status;          /* exit: "status". */
	/* State kinds: the subject and what must be true. */
	struct sc_ref subject;
	enum sc_state state;
	bool has_ppid, has_pgid, has_sid, has_reaper, has_leader, has_fg;
	struct sc_ref ppid, pgid, sid, reaper, leader, fg;
	int64_t pg_jobc, threads, members, s_count, uid;   /* -1 unless given. */
	int orphaned, session_leader, exists, foreground;  /* -1 unless given. */
	bool has_tty;
	char *tty;                         /* NULL with has_tty: no terminal. */
	bool has_pending;
	uint32_t pending;
	char *comm, *tag;
	struct sc_status wstatus;
	bool has_mem;
	struct sc_mem mem;
	/* ptrace state (ps_ptrace_info). */
	int traced, protect, inherit_protect, follow_fork; /* -1 unless given. */
	bool has_tracer, has_oppid, has_stops, has_realparent;
	struct sc_ref tracer, oppid;           /* pid 0 without a name: none. */
	struct sc_ref realparent;              /* proc_realparent (the orphan list). */
	uint32_t stops;
};

struct sc_program {
	char path[SC_PATH_MAX];
	char *name;
	char *text;
	bool lines;          /* Given as an array of lines. */
};

struct ps_scenario {
	char *source;
	char *name;
	char *description;
	struct ps_config config;
	uint64_t until;          /* PS_TIME_NEVER: until idle. */
	uint64_t max_steps;      /* 0: unlimited. */
	char **ttys;
	size_t nttys;
	struct sc_program *programs;
	size_t nprograms;
	struct sc_proc *procs;
	size_t nprocs;
	struct sc_action *actions;
	size_t nactions;
	struct sc_expect *expects;
	size_t nexpects;
};

/* --- a run --- */

/* An event as recorded: numbers, and the detail interned. */
struct sc_rec {
	uint64_t seq, time;
	int32_t pid, pid2, pgid, sid, sig, value, tid, cpu;
	uint32_t type;
	uint32_t detail;         /* Index into the string table, 0 for none. */
};

struct sc_failure {
	int expect;              /* Index of the expectation, or -1. */
	char path[SC_PATH_MAX];
	char *what;              /* The expectation, restated. */
	char *why;               /* What was seen instead. */
	uint64_t time;
	uint64_t seq;            /* The event it is about, or 0: the time's. */
};

/* Who carries a name: pids in the order they took it. */
struct sc_name {
	char *name;
	int32_t *pids;
	size_t n, cap;
};

struct ps_scenario_run {
	const ps_scenario_t *sc;
	struct ps_scenario_options opt;
	ps_sim_t *sim;
	uint64_t until;
	uint64_t max_steps;
	bool done, finished, idle_end;
	int32_t *tty_dev;        /* Per sc->ttys. */
	/* Events. */
	struct sc_rec *recs;
	size_t nrecs, caprecs;
	char **strs;             /* Interned details; strs[0] unused. */
	size_t nstrs, capstrs;
	uint32_t *strhash;       /* Open addressing: index into strs, 0 empty. */
	size_t strhash_cap;
	uint64_t hash;
	uint64_t nevents;
	/* Names. */
	struct sc_name *names;
	size_t nnames, capnames;
	int32_t *pidname_key;    /* Open addressing pid -> names index + 1. */
	uint32_t *pidname_val;
	size_t pidname_cap, pidname_n;
	/* Per expectation: the seq of its match (0: none), and whether judged. */
	uint64_t *matched;
	bool *judged;
	/* Failures, in the order found. */
	struct sc_failure *fails;
	size_t nfails, capfails;
	uint32_t passed;
	char *replay;
	bool invariant_broken;
	char invariant_msg[300];
	uint64_t invariant_time;
	struct sc_timer_arg *targs;
	size_t ntargs;
	/* Per action: fired, and what it returned. */
	bool *afired;
	int32_t *aresult;
};

/* A timer's argument: the run and what to do. */
struct sc_timer_arg {
	struct ps_scenario_run *run;
	int kind;                /* 0 an action, 1 an expectation. */
	size_t index;
};

/* sc_load.c */
int sc_parse_signal(const char *s);

/* sc_run.c */
int sc_resolve(const struct ps_scenario_run *run, const struct sc_ref *ref, int32_t *pids,
               size_t cap, size_t *count);
/* The pids ref stands for, borrowed: valid until the next name is bound
 * (*one holds a pid given as a number).  0 when none. */
size_t sc_ref_pids(const struct ps_scenario_run *run, const struct sc_ref *ref, int32_t *one,
                   const int32_t **pids);
const char *sc_ref_text(const struct sc_ref *ref, char *buf, size_t len);
int sc_tty_dev(const struct ps_scenario_run *run, const char *name);
const char *sc_str(const struct ps_scenario_run *run, uint32_t i);
void sc_fail(struct ps_scenario_run *run, int expect, const char *path, uint64_t time,
             uint64_t seq, char *what, char *why);
char *sc_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int sc_mem_addr(struct ps_scenario_run *run, int32_t pid, const struct sc_mem *m, uint64_t *addr);
int sc_addr_value(struct ps_scenario_run *run, int32_t pid, const struct sc_addr *a,
                  uint64_t *out);

/* sc_expect.c */
void sc_judge_state(struct ps_scenario_run *run, size_t i, bool at_end);
void sc_judge_events(struct ps_scenario_run *run);
void sc_rec_to_event(const struct ps_scenario_run *run, const struct sc_rec *r,
                     struct ps_event *ev);

void sc_scenario_free(ps_scenario_t *sc);

#endif /* PROCSIM_SC_INTERNAL_H */
