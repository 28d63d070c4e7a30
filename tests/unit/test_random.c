/*
 * Randomized operations with every invariant checked after each one
 * (issue item 11; spec-kern_proc.md §9, spec-kern_exit.md §9-§10).
 *
 * Goal: no sequence of fork (plain and Linux-clone), setsid, setpgid,
 * exit, abort2, wait (wait, wait4, wait6, blocking or not), kill with any
 * signal, sigaction, sigprocmask, pause, sigsuspend, usage charges, exec,
 * setuid, TIOCSCTTY, tcsetpgrp and debugger attach/detach can break an
 * invariant, crash, or end an operation with a lock held; every call
 * returns one of the values its documentation lists; and the same seed
 * gives the same event stream.
 *
 * Method: a seeded generator (its own, independent of the simulator's)
 * picks an operation and its arguments from the live processes.  After
 * every operation ps_sim_check() must return 0, and the test's own oracles
 * must agree with what happened:
 *
 *  - a direct wait (one that does not sleep) is predicted exactly from a
 *    snapshot of the caller's children taken just before the call: the
 *    newest-first scan, the id filter, the Linux-clone filter and the
 *    report rules of wait4 and wait6 give the pid (or 0, PS_ECHILD,
 *    PS_EINPROGRESS) and the status; outputs the call must not write are
 *    checked untouched;
 *  - a wait that slept and completed later (PS_EV_SYSRET) reported a child
 *    the way its options allow, with a status that decodes consistently;
 *  - a reaped child is gone and its usage was folded into the waiter's
 *    children's usage; a WNOWAIT report left it in place; a stop or
 *    continue report was consumed;
 *  - every exit status is what the call or the signal that caused it
 *    says; nprocs and nzombies move exactly with fork, exit and reap
 *    events; usage only grows.
 *
 * Each walk ends with a teardown: init (pid 1) kills every other process,
 * continues stopped ones, and reaps; only swapper and init may remain, with
 * no zombie, no leaked pid, group or session, and no thread asleep.
 *
 * init never makes a call that sleeps (its waits are WNOHANG, it does not
 * pause) and is never debugged nor debugs, so that it can always run the
 * teardown.  The tree is kept between 1 and ~250 processes.  The event
 * stream is hashed (FNV-1a over every field).
 *
 * Known simulator bugs the walk would hit are fenced off by `#if 0`
 * blocks marked BUG-n, each saying what it avoids; remove the fence (keep
 * the `#if 0` side) once the bug is fixed.  PROCSIM_RANDOM_TRACE=N in the
 * environment prints every operation and event from operation N on.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kern/internal_api.h"
#include "testlib.h"

/*
 * Check's ck_assert* record every passing check through a pipe write; the
 * walk checks millions of things, so it uses these, which call into Check
 * only on failure (file and line are still reported).
 */
#define REQ(expr)                                                                                  \
	do {                                                                                       \
		if (!(expr))                                                                       \
			ck_abort_msg("Assertion '%s' failed", #expr);                              \
	} while (0)
#define REQ_MSG(expr, ...)                                                                         \
	do {                                                                                       \
		if (!(expr))                                                                       \
			ck_abort_msg(__VA_ARGS__);                                                 \
	} while (0)
#define REQ_CMP(a, op, b)                                                                          \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		if (!(a_ op b_))                                                                   \
			ck_abort_msg("Assertion '%s %s %s' failed: %lld, %lld", #a, #op, #b, a_,   \
			             b_);                                                          \
	} while (0)
#define REQ_EQ(a, b) REQ_CMP(a, ==, b)

#define OPS_MAX 100000
#define PIDS_MAX 1024
#define PID_SLOTS 2048 /* > pid_max */
#define OPEV_MAX 512   /* Wait and sysret events remembered per operation. */

struct gen {
	uint64_t s;
};

static uint64_t
gen_next(struct gen *g)
{
	/* splitmix64: enough for choosing operations. */
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t
pick(struct gen *g, uint32_t n)
{
	return (uint32_t)(gen_next(g) % n);
}

/* Kinds of wait report, from the PS_EV_WAIT detail. */
enum wkind { WK_NONE, WK_EXITED, WK_NOWAIT, WK_GIVEBACK, WK_STOPPED, WK_TRAPPED, WK_CONTINUED };

struct wait_ev {
	int32_t waiter, child, status;
	uint8_t kind;
};

struct sysret_ev {
	int32_t pid, value;
	char sys[12];
};

/* A sleepable call a process is asleep in, as the test made it. */
struct pending {
	uint8_t sys; /* enum ps_sys, PS_SYS_NONE when none */
	int options;
};

/* A child of the waiter as it was just before a wait. */
struct kid {
	int32_t pid, pgid, sid, uid, gid, ruid, xstat;
	uint32_t flags;
	uint8_t state;
};

struct run {
	ps_sim_t *sim;
	bool waiter_has_orphans; /* The waiter has traced children away (orphan list). */
	struct gen g;
	uint64_t hash;
	uint64_t events;
	uint64_t ok, failed;
	uint64_t orphanings, hangups, drift_max;
	int32_t tty;
	uint8_t coredump, exit_compat;

	/* Walk figures. */
	uint64_t sleeps, wakeups, restarts, sysrets, sysret_eintr, sysret_pid, sysret_echild;
	uint64_t direct_reports, predicted, unpredicted;
	uint64_t rep_kind[WK_CONTINUED + 1];
	uint64_t exits_ev, reaps_ev, clone_reaps, busy, abort2s, charges, givebacks;
	uint64_t td_rounds, td_sleepers, td_stopped;
	double seconds;

	/* Per operation, filled by the event callback. */
	int32_t op_forks, op_exits, op_reaps;
	int32_t op_exit_pid, op_exit_val; /* What the next exit of that pid must record. */
	size_t n_wev, n_sev, n_intr;
	struct wait_ev wev[OPEV_MAX];
	struct sysret_ev sev[OPEV_MAX];
	int32_t intr[OPEV_MAX]; /* pids sent a signal */
	char cb_err[256];
	struct pending op_call; /* The sleepable call this operation made, */
	int32_t op_call_pid;    /* and by whom (-1: none). */

	/* Per pid (reset when a fork hands the pid out again). */
	int32_t xstat[PID_SLOTS];
	int32_t termsig[PID_SLOTS]; /* The signal a "terminate" delivery named, | 0200 for core. */
	int32_t stopsig[PID_SLOTS];
	uint8_t clone[PID_SLOTS]; /* 0 SIGCHLD child, 1 Linux clone, 2 unknown (reparented) */
	uint8_t exited[PID_SLOTS];
	int64_t exit_arg[PID_SLOTS];
	uint8_t has_exit_arg[PID_SLOTS];
	struct pending pend[PID_SLOTS];
	struct ps_rusage ru_self[PID_SLOTS], ru_kids[PID_SLOTS];

	/* Scratch. */
	struct kid kids[PIDS_MAX];
	size_t nkids;
};

static const char *const wkind_name[] = {
    [WK_NONE] = "none",
    [WK_EXITED] = "exited",
    [WK_NOWAIT] = "exited (WNOWAIT)",
    [WK_GIVEBACK] = "exited (given back)",
    [WK_STOPPED] = "stopped",
    [WK_TRAPPED] = "trapped",
    [WK_CONTINUED] = "continued",
};

/* PROCSIM_RANDOM_TRACE=N prints every operation's result and event from
 * operation N on, to follow a failure. */
static bool trace_on;
static long trace_from = -1;

static void
cb_fail(struct run *r, const char *fmt, int a, int b, int c)
{
	if (r->cb_err[0] == '\0')
		snprintf(r->cb_err, sizeof(r->cb_err), fmt, a, b, c);
}

static bool
in_slot(int32_t pid)
{
	return pid >= 0 && pid < PID_SLOTS;
}

/*
 * The event callback: hash everything, and record what the oracles need.
 * It must not call into the simulator; oddities are noted in cb_err and
 * failed after the operation.
 */
static void
hash_event(const struct ps_event *ev, void *arg)
{
	struct run *r = arg;
	const int32_t f[] = {(int32_t)ev->type, ev->pid, ev->pid2, ev->pgid,
	                     ev->sid,           ev->sig, ev->value};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		r->hash ^= (uint32_t)f[i];
		r->hash *= 0x100000001b3ULL;
	}
	if (ev->detail != NULL)
		for (const char *c = ev->detail; *c != '\0'; c++) {
			r->hash ^= (uint8_t)*c;
			r->hash *= 0x100000001b3ULL;
		}
	r->hash ^= ev->seq;
	r->events++;
	if (trace_on) {
		char line[256];
		ps_event_format(ev, line, sizeof line);
		printf("  %s\n", line);
	}
	r->orphanings += ev->type == PS_EV_ORPHANED;
	r->hangups += ev->type == PS_EV_ORPHANED && ev->value == 1;

	if (!in_slot(ev->pid) || !in_slot(ev->pid2)) {
		cb_fail(r, "event %d names pid %d / %d out of range", (int)ev->type, ev->pid,
		        ev->pid2);
		return;
	}
	switch (ev->type) {
	case PS_EV_FORK:
		r->op_forks++;
		r->xstat[ev->pid2] = 0;
		r->termsig[ev->pid2] = 0;
		r->stopsig[ev->pid2] = 0;
		r->clone[ev->pid2] = 0;
		r->exited[ev->pid2] = 0;
		r->has_exit_arg[ev->pid2] = 0;
		r->pend[ev->pid2].sys = PS_SYS_NONE;
		memset(&r->ru_self[ev->pid2], 0, sizeof(r->ru_self[0]));
		memset(&r->ru_kids[ev->pid2], 0, sizeof(r->ru_kids[0]));
		break;
	case PS_EV_SIGNAL_DELIVER:
		if (ev->detail != NULL && strncmp(ev->detail, "terminate", 9) == 0)
			r->termsig[ev->pid] =
			    ev->sig | (strstr(ev->detail, "core") != NULL ? PS_WCOREFLAG : 0);
		break;
	case PS_EV_EXIT: {
		int32_t want;

		r->op_exits++;
		r->exits_ev++;
		if (r->exited[ev->pid])
			cb_fail(r, "pid %d exits twice (status %#x)", ev->pid, ev->value, 0);
		if (ev->pid == r->op_exit_pid)
			want = r->op_exit_val;
		else
			want = r->termsig[ev->pid];
		if (ev->value != want)
			cb_fail(r, "pid %d exit status %#x, expected %#x", ev->pid, ev->value,
			        want);
		r->op_exit_pid = -1;
		r->xstat[ev->pid] = ev->value;
		r->exited[ev->pid] = 1;
		break;
	}
	case PS_EV_REAP:
		r->op_reaps++;
		r->reaps_ev++;
		r->clone_reaps += r->clone[ev->pid] == 1;
		if (!r->exited[ev->pid] || ev->value != r->xstat[ev->pid])
			cb_fail(r, "reap of pid %d with status %#x, its exit recorded %#x", ev->pid,
			        ev->value, r->exited[ev->pid] ? r->xstat[ev->pid] : -1);
		break;
	case PS_EV_REPARENT:
		/* An exit's reparenting (E26, E29) makes a child signal SIGCHLD,
		 * ptrace's and a give-back's do not: from here on, unknown. */
		if (r->clone[ev->pid] == 1)
			r->clone[ev->pid] = 2;
		break;
	case PS_EV_STOP:
		r->stopsig[ev->pid] = ev->sig;
		break;
	case PS_EV_WAIT:
		if (r->n_wev < OPEV_MAX) {
			struct wait_ev *w = &r->wev[r->n_wev++];
			uint8_t kind = WK_NONE;

			for (uint8_t k = WK_EXITED; k <= WK_CONTINUED; k++)
				if (ev->detail != NULL && strcmp(ev->detail, wkind_name[k]) == 0)
					kind = k;
			w->waiter = ev->pid;
			w->child = ev->pid2;
			w->status = ev->value;
			w->kind = kind;
			if (kind == WK_NONE)
				cb_fail(r, "wait by %d for %d: unknown detail", ev->pid, ev->pid2,
				        0);
			r->givebacks += kind == WK_GIVEBACK;
			if (kind >= WK_EXITED && kind <= WK_GIVEBACK &&
			    (!r->exited[ev->pid2] || ev->value != r->xstat[ev->pid2]))
				cb_fail(r, "wait reports pid %d exited with %#x, its exit was %#x",
				        ev->pid2, ev->value, r->xstat[ev->pid2]);
		}
		break;
	case PS_EV_SLEEP:
		r->sleeps++;
		break;
	case PS_EV_SIGNAL_SEND:
		if (r->n_intr < OPEV_MAX)
			r->intr[r->n_intr++] = ev->pid;
		break;
	case PS_EV_WAKEUP:
		r->wakeups++;
		r->restarts += ev->value == 1;
		if (ev->value < 0 || ev->value > 2)
			cb_fail(r, "wakeup of %d with value %d", ev->pid, ev->value, 0);
		break;
	case PS_EV_SYSRET:
		r->sysrets++;
		if (r->n_sev < OPEV_MAX) {
			struct sysret_ev *s = &r->sev[r->n_sev++];

			s->pid = ev->pid;
			s->value = ev->value;
			snprintf(s->sys, sizeof(s->sys), "%s",
			         ev->detail != NULL ? ev->detail : "?");
		}
		break;
	case PS_EV_INVARIANT:
		cb_fail(r, "invariant event (%d failures)", ev->value, 0, 0);
		break;
	default:
		break;
	}
}

/* --- choosing processes --- */

static int
proc_info(struct run *r, int32_t pid, struct ps_proc_info *pi)
{
	return ps_proc_info(r->sim, pid, pi);
}

#define STOPPED_BITS (PS_P_STOPPED_SIG | PS_P_STOPPED_TRACE | PS_P_STOPPED_SINGLE)

/* Would a call made by pid now get PS_EBUSY (stopped, or in a call)? */
static bool
is_busy(struct run *r, int32_t pid)
{
	struct ps_proc_info pi;
	struct ps_sysret sr;

	if (proc_info(r, pid, &pi) != 0 || pi.state != PS_PRS_NORMAL)
		return false;
	if ((pi.flags & STOPPED_BITS) != 0)
		return true;
	REQ_EQ(ps_sysret(r->sim, pid, &sr), 0);
	return sr.state == PS_SYSST_SLEEPING || sr.state == PS_SYSST_RESTART;
}

/* A random live process other than swapper, or 1 (init). */
static int32_t
random_proc(struct run *r, bool include_init)
{
	int32_t pids[PIDS_MAX];
	size_t n = 0;
	struct ps_proc_info pi;

	REQ_EQ(ps_proc_list(r->sim, pids, PIDS_MAX, &n), 0);
	REQ_CMP(n, <=, PIDS_MAX);
	for (int tries = 0; tries < 8; tries++) {
		int32_t pid = pids[pick(&r->g, (uint32_t)n)];

		if (ps_proc_info(r->sim, pid, &pi) != 0 || pi.state != PS_PRS_NORMAL)
			continue;
		if (pid == 0 || (pid == 1 && !include_init) || (pi.flags & PS_P_SYSTEM) != 0)
			continue;
		return pid;
	}
	return 1;
}

/* Mostly a process that can make a call; sometimes any (to see EBUSY). */
static int32_t
random_caller(struct run *r, bool include_init)
{
	int32_t pid = random_proc(r, include_init);

	if (pick(&r->g, 8) == 0)
		return pid;
	for (int tries = 0; tries < 6 && is_busy(r, pid); tries++)
		pid = random_proc(r, include_init);
	return pid;
}

/* A caller likely to have children: often the parent of a random process. */
static int32_t
random_parent(struct run *r)
{
	int32_t pid = random_caller(r, pick(&r->g, 8) == 0);
	struct ps_proc_info pi;

	if (pick(&r->g, 3) != 0 && proc_info(r, pid, &pi) == 0 && pi.pptr > 1 &&
	    (pick(&r->g, 4) != 0 || !is_busy(r, pi.pptr)))
		pid = pi.pptr;
	return pid;
}

static int32_t
random_child_or_self(struct run *r, int32_t pid)
{
	int32_t kids[PIDS_MAX];
	size_t n = 0;

	REQ_EQ(ps_proc_children(r->sim, pid, kids, PIDS_MAX, &n), 0);
	if (n == 0 || pick(&r->g, 3) == 0)
		return pid;
	return kids[pick(&r->g, (uint32_t)(n < PIDS_MAX ? n : PIDS_MAX))];
}

static int32_t
random_pgid(struct run *r, int32_t target)
{
	int32_t pgids[PIDS_MAX];
	size_t n = 0;

	switch (pick(&r->g, 4)) {
	case 0:
		return 0;
	case 1:
		return target;
	default:
		REQ_EQ(ps_pgrp_list(r->sim, pgids, PIDS_MAX, &n), 0);
		return pgids[pick(&r->g, (uint32_t)(n < PIDS_MAX ? n : PIDS_MAX))];
	}
}

/* --- results --- */

/* rc must be one of the n codes listed (a success value is checked apart). */
static void
expect_one_of(const char *call, int rc, const int *codes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (rc == codes[i])
			return;
	ck_abort_msg("%s returned %d (%s), not a documented result", call, rc, ps_err_name(rc));
}

#define EXPECT(call, rc, ...)                                                                      \
	do {                                                                                       \
		const int codes_[] = {__VA_ARGS__};                                                \
		expect_one_of(call, rc, codes_, sizeof(codes_) / sizeof(codes_[0]));               \
	} while (0)

/* A busy caller gets PS_EBUSY, and only a busy one. */
static void
expect_busy(const char *call, int32_t pid, bool busy, int rc)
{
	if (busy)
		REQ_MSG(rc == PS_EBUSY, "%s by busy pid %d returned %s", call, pid,
		        ps_err_name(rc));
	else
		REQ_MSG(rc != PS_EBUSY, "%s by pid %d, which can run, returned EBUSY", call, pid);
}

static bool
ru_ge(const struct ps_rusage *a, const struct ps_rusage *b)
{
	return a->utime_ns >= b->utime_ns && a->stime_ns >= b->stime_ns && a->maxrss >= b->maxrss &&
	       a->minflt >= b->minflt && a->majflt >= b->majflt && a->nsignals >= b->nsignals &&
	       a->nvcsw >= b->nvcsw && a->nivcsw >= b->nivcsw;
}

static void
ru_add(struct ps_rusage *a, const struct ps_rusage *b)
{
	a->utime_ns += b->utime_ns;
	a->stime_ns += b->stime_ns;
	if (b->maxrss > a->maxrss)
		a->maxrss = b->maxrss;
	a->minflt += b->minflt;
	a->majflt += b->majflt;
	a->nsignals += b->nsignals;
	a->nvcsw += b->nvcsw;
	a->nivcsw += b->nivcsw;
}

static bool
ru_is(const struct ps_rusage *a, int64_t v)
{
	return a->utime_ns == v && a->stime_ns == v && a->maxrss == v && a->minflt == v &&
	       a->majflt == v && a->nsignals == v && a->nvcsw == v && a->nivcsw == v;
}

static void
ru_fill(struct ps_rusage *a, int64_t v)
{
	a->utime_ns = a->stime_ns = a->maxrss = a->minflt = a->majflt = v;
	a->nsignals = a->nvcsw = a->nivcsw = v;
}

/*
 * Usage of a live process only grows; its queued siginfo records are for
 * signals it has pending, and a child's SIGCHLD record sits at its parent.
 */
static void
check_ru_monotonic(struct run *r, int32_t pid)
{
	struct ps_rusage self, kids;
	struct ps_siginfo q[8];
	struct ps_proc_info pi, ci;
	size_t n = 0;
	int rc;

	REQ_EQ(ps_getrusage(r->sim, pid, 2, &self), PS_EINVAL);
	rc = ps_sigqueue(r->sim, pid, q, 8, &n);
	if (rc == 0 || rc == PS_ERANGE) {
		REQ_EQ(proc_info(r, pid, &pi), 0);
		REQ_EQ(rc == PS_ERANGE, n > 8);
		for (size_t i = 0; i < n && i < 8; i++) {
			REQ_MSG((pi.siglist & (1u << (q[i].signo - 1))) != 0,
			        "pid %d: record of signal %d, not pending", pid, q[i].signo);
			if (q[i].signo == PS_SIGCHLD && q[i].code >= PS_CLD_EXITED &&
			    q[i].code <= PS_CLD_CONTINUED && proc_info(r, q[i].pid, &ci) == 0)
				REQ_MSG(ci.pptr == pid,
				        "pid %d holds the SIGCHLD record of %d (parent %d)", pid,
				        q[i].pid, ci.pptr);
		}
	}
	if (!in_slot(pid) || ps_getrusage(r->sim, pid, PS_RUSAGE_SELF, &self) != 0)
		return;
	REQ_EQ(ps_getrusage(r->sim, pid, PS_RUSAGE_CHILDREN, &kids), 0);
	REQ_MSG(ru_ge(&self, &r->ru_self[pid]) && ru_ge(&kids, &r->ru_kids[pid]),
	        "pid %d: usage went down", pid);
	r->ru_self[pid] = self;
	r->ru_kids[pid] = kids;
}

static bool
sig_has_core(int sig)
{
	switch (sig) {
	case PS_SIGQUIT:
	case PS_SIGILL:
	case PS_SIGTRAP:
	case PS_SIGABRT:
	case PS_SIGEMT:
	case PS_SIGFPE:
	case PS_SIGBUS:
	case PS_SIGSEGV:
	case PS_SIGSYS:
		return true;
	default:
		return false;
	}
}

static bool
is_stop_sig(int sig)
{
	return sig == PS_SIGSTOP || sig == PS_SIGTSTP || sig == PS_SIGTTIN || sig == PS_SIGTTOU;
}

/*
 * A reported status decodes as its kind says, with the current decoders
 * and the 2008 ones; an exit status matches the argument of the exit.
 */
static void
check_status(struct run *r, int32_t child, int kind, int w)
{
	switch (kind) {
	case WK_EXITED:
	case WK_NOWAIT:
	case WK_GIVEBACK:
		REQ_MSG(!PS_WIFSTOPPED(w) && !PS_WIFCONTINUED(w), "exit status %#x", w);
		REQ_MSG(PS_WIFEXITED(w) != PS_WIFSIGNALED(w), "exit status %#x", w);
		REQ(PS_WIFSIGNALED(w) == PS_WIFSIGNALED_2008(w));
		if (PS_WIFEXITED(w)) {
			REQ(!PS_WCOREDUMP(w));
			if (r->has_exit_arg[child]) {
				int64_t a = r->exit_arg[child];

				REQ_EQ(PS_WEXITSTATUS(w), (int)(a & 0xff));
				if (a >= -0x800000 && a < 0x800000)
					REQ_EQ(PS_WEXITSTATUS_2008(w), (int)a);
			}
		} else {
			int sig = PS_WTERMSIG(w);

			REQ_MSG(sig >= 1 && sig < PS_NSIG, "exit status %#x", w);
			REQ_MSG(!PS_WCOREDUMP(w) || (r->coredump && sig_has_core(sig)),
			        "core flag in %#x", w);
			REQ_EQ(w & ~0377, 0);
		}
		break;
	case WK_STOPPED:
	case WK_TRAPPED:
		REQ_MSG(PS_WIFSTOPPED(w) && !PS_WIFEXITED(w) && !PS_WIFSIGNALED(w) &&
		            !PS_WIFSIGNALED_2008(w) && !PS_WIFCONTINUED(w),
		        "stop status %#x", w);
		REQ_EQ(w, PS_W_STOPCODE(r->stopsig[child]));
		/* A debugger's stop may be on any signal but SIGKILL. */
		REQ_MSG(PS_WSTOPSIG(w) >= 1 && PS_WSTOPSIG(w) < PS_NSIG &&
		            PS_WSTOPSIG(w) != PS_SIGKILL,
		        "stop status %#x", w);
		break;
	case WK_CONTINUED:
		/* The 2008 decoder's quirk: WIFSIGNALED is true for 0x13. */
		REQ_MSG(w == 0x13 && PS_WIFCONTINUED(w) && !PS_WIFSIGNALED(w) &&
		            PS_WIFSIGNALED_2008(w) && !PS_WIFEXITED(w) && !PS_WIFSTOPPED(w),
		        "continue status %#x", w);
		break;
	default:
		ck_abort_msg("no kind for a report of pid %d", child);
	}
}

/* The siginfo wait6 gives for a report of that kind and status. */
static void
check_siginfo(const struct ps_siginfo *si, int32_t child, int32_t ruid, int kind, int w)
{
	int code, status;

	switch (kind) {
	case WK_STOPPED:
		code = PS_CLD_STOPPED;
		status = PS_WSTOPSIG(w);
		break;
	case WK_TRAPPED:
		code = PS_CLD_TRAPPED;
		status = PS_WSTOPSIG(w);
		break;
	case WK_CONTINUED:
		code = PS_CLD_CONTINUED;
		status = PS_SIGCONT;
		break;
	default:
		code = PS_WCOREDUMP(w)     ? PS_CLD_DUMPED
		       : PS_WIFSIGNALED(w) ? PS_CLD_KILLED
		                           : PS_CLD_EXITED;
		status = code == PS_CLD_EXITED ? PS_WEXITSTATUS(w) : PS_WTERMSIG(w);
		break;
	}
	REQ_MSG(si->signo == PS_SIGCHLD && si->pid == child && si->code == code &&
	            si->status == status && (ruid < 0 || si->uid == ruid),
	        "siginfo of %d: signo %d code %d pid %d uid %d status %d (kind %d, status %#x)",
	        child, si->signo, si->code, si->pid, si->uid, si->status, kind, w);
}

/* The kind of the last PS_EV_WAIT of this operation for waiter and child. */
static int
wait_kind(struct run *r, int32_t waiter, int32_t child, int32_t *status)
{
	for (size_t i = r->n_wev; i-- > 0;)
		if (r->wev[i].waiter == waiter && r->wev[i].child == child) {
			if (status != NULL)
				*status = r->wev[i].status;
			return r->wev[i].kind;
		}
	return WK_NONE;
}

/* Does the kind agree with what the options ask for? */
static void
check_kind_allowed(bool w6, int options, int kind, bool deferred)
{
	switch (kind) {
	case WK_EXITED:
	case WK_GIVEBACK:
		REQ(!w6 || ((options & PS_WEXITED) != 0 && (options & PS_WNOWAIT) == 0));
		break;
	case WK_NOWAIT:
		REQ(w6 && (options & (PS_WEXITED | PS_WNOWAIT)) == (PS_WEXITED | PS_WNOWAIT));
		break;
	case WK_STOPPED:
		REQ((options & PS_WUNTRACED) != 0);
		break;
	case WK_TRAPPED:
		REQ(!w6 || (options & PS_WTRAPPED) != 0);
		break;
	case WK_CONTINUED:
		REQ((options & PS_WCONTINUED) != 0);
		break;
	default:
		ck_abort_msg("report without a kind");
	}
	if (deferred)
		REQ((options & PS_WNOHANG) == 0);
}

/* --- exit and wait --- */

static void
snapshot_kids(struct run *r, int32_t pid)
{
	int32_t pids[PIDS_MAX];
	struct ps_proc_info pi;
	size_t n = 0;

	REQ_EQ(ps_proc_children(r->sim, pid, pids, PIDS_MAX, &n), 0);
	REQ_CMP(n, <=, PIDS_MAX);
	r->nkids = n;
	for (size_t i = 0; i < n; i++) {
		struct kid *k = &r->kids[i];

		REQ_EQ(proc_info(r, pids[i], &pi), 0);
		REQ_EQ(pi.pptr, pid);
		k->pid = pi.pid;
		k->pgid = pi.pgid;
		k->sid = pi.sid;
		k->uid = pi.cred.uid;
		k->gid = pi.cred.gid;
		k->ruid = pi.cred.ruid;
		k->flags = pi.flags;
		k->state = pi.state;
		k->xstat = pi.xstat;
		if (pi.state == PS_PRS_ZOMBIE)
			REQ_MSG(r->exited[pi.pid] && pi.xstat == r->xstat[pi.pid],
			        "zombie %d holds %#x, its exit recorded %#x", pi.pid, pi.xstat,
			        r->xstat[pi.pid]);
	}
}

static bool
id_match(const struct kid *k, int idtype, int64_t id)
{
	switch (idtype) {
	case PS_ID_ALL:
		return true;
	case PS_ID_PID:
		return k->pid == id;
	case PS_ID_PGID:
		return k->pgid == id;
	case PS_ID_SID:
		return k->sid == id;
	case PS_ID_UID:
		return k->uid == id;
	case PS_ID_GID:
		return k->gid == id;
	case PS_ID_JAILID:
		return id == 0;
	default:
		return false; /* PPID, CID, LWPID and the unnamed ones match nothing. */
	}
}

struct pred {
	bool certain;
	int rc; /* pid, 0, PS_ECHILD, PS_EINPROGRESS */
	int kind;
	int32_t status;
	int32_t ruid;
};

/*
 * What the kernel's scan (kern_exit.c wait_scan, spec §3.2) must find in
 * the snapshot: children newest first, the first reportable one wins.
 */
static struct pred
predict_wait(struct run *r, bool w6, int idtype, int64_t id, int options)
{
	struct pred pr = {.certain = true, .rc = 0, .kind = WK_NONE, .ruid = -1};
	int nfound = 0;
	bool clone_wait = (options & PS_WLINUXCLONE) != 0;

	for (size_t i = 0; i < r->nkids; i++) {
		const struct kid *k = &r->kids[i];
		uint32_t f = k->flags;

		if (!id_match(k, idtype, id))
			continue;
		if (r->clone[k->pid] == 2) {
			pr.certain = false; /* Its exit signal is not known. */
			return pr;
		}
		if ((r->clone[k->pid] == 1) != clone_wait)
			continue;
		nfound++;
		pr.rc = k->pid;
		pr.ruid = k->ruid;
		if (k->state == PS_PRS_ZOMBIE && (!w6 || (options & PS_WEXITED) != 0)) {
			pr.kind = (options & PS_WNOWAIT) != 0 ? WK_NOWAIT : WK_EXITED;
			pr.status = k->xstat;
			return pr;
		}
		if (w6 && (options & PS_WTRAPPED) != 0 && (f & PS_P_TRACED) != 0 &&
		    (f & (PS_P_STOPPED_TRACE | PS_P_STOPPED_SIG)) != 0 && (f & PS_P_WAITED) == 0) {
			pr.kind = WK_TRAPPED;
			pr.status = PS_W_STOPCODE(r->stopsig[k->pid]);
			return pr;
		}
		if ((f & PS_P_STOPPED_SIG) != 0 && (f & PS_P_WAITED) == 0 &&
		    (w6 ? (options & PS_WUNTRACED) != 0
		        : ((f & PS_P_TRACED) != 0 || (options & PS_WUNTRACED) != 0))) {
			pr.kind = (f & PS_P_TRACED) != 0 && !w6 ? WK_TRAPPED : WK_STOPPED;
			pr.status = PS_W_STOPCODE(r->stopsig[k->pid]);
			return pr;
		}
		if ((options & PS_WCONTINUED) != 0 && (f & PS_P_CONTINUED) != 0) {
			pr.kind = WK_CONTINUED;
			pr.status = 0x13;
			return pr;
		}
	}
	pr.ruid = -1;
	/* Later kernels count the children a debugger took (the orphan list):
	 * whether one matches is not tracked here. */
	if (nfound == 0 && r->exit_compat == PS_EXIT_MODERN && r->waiter_has_orphans)
		pr.certain = false;
	pr.rc = nfound == 0 ? PS_ECHILD : (options & PS_WNOHANG) != 0 ? 0 : PS_EINPROGRESS;
	return pr;
}

/* Does any process sit on p's orphan list (ps_ptrace_info.orphan_of)? */
static bool
has_orphans(struct run *r, int32_t p)
{
	int32_t pids[PIDS_MAX];
	struct ps_ptrace_info pi;
	size_t n = 0;

	REQ(ps_proc_list(r->sim, pids, PIDS_MAX, &n) == 0 || n > PIDS_MAX);
	for (size_t i = 0; i < n && i < PIDS_MAX; i++)
		if (ps_ptrace_info(r->sim, pids[i], &pi) == 0 && pi.orphan_of == p)
			return true;
	return false;
}

static const struct kid *
find_kid(struct run *r, int32_t pid)
{
	for (size_t i = 0; i < r->nkids; i++)
		if (r->kids[i].pid == pid)
			return &r->kids[i];
	return NULL;
}

/* After a report (direct or deferred) to a waiter that is still live. */
static void
check_after_report(struct run *r, int32_t waiter, int32_t child, int kind, int options)
{
	struct ps_proc_info pi;
	int rc = proc_info(r, child, &pi);

	switch (kind) {
	case WK_EXITED:
		REQ_MSG(rc == PS_ESRCH, "pid %d reaped by %d is still there", child, waiter);
		break;
	case WK_NOWAIT:
		REQ_MSG(rc == 0 && pi.state == PS_PRS_ZOMBIE && pi.pptr == waiter,
		        "WNOWAIT report of %d by %d did not leave it", child, waiter);
		break;
	case WK_GIVEBACK:
		/* Given back to init, it is reaped at once. */
		if (rc == PS_ESRCH)
			break;
		REQ_MSG(rc == 0 && pi.state == PS_PRS_ZOMBIE && pi.oppid == 0,
		        "pid %d given back by %d is not a zombie with no oppid", child, waiter);
		REQ(pi.pptr != waiter || r->exit_compat == PS_EXIT_2008);
		break;
	case WK_STOPPED:
	case WK_TRAPPED:
		/* Consumed, unless WNOWAIT (or it has stopped anew since). */
		if (rc == 0 && pi.state == PS_PRS_NORMAL && (pi.flags & PS_P_STOPPED_SIG) != 0)
			REQ_MSG(((pi.flags & PS_P_WAITED) != 0) == ((options & PS_WNOWAIT) == 0),
			        "stop of %d reported (options %#x), P_WAITED %d", child, options,
			        (pi.flags & PS_P_WAITED) != 0);
		break;
	case WK_CONTINUED:
		if (rc == 0 && pi.state == PS_PRS_NORMAL && (options & PS_WNOWAIT) == 0)
			REQ_MSG((pi.flags & PS_P_CONTINUED) == 0,
			        "continue of %d reported, still P_CONTINUED", child);
		break;
	default:
		break;
	}
}

/* The wait calls of the walk: ps_wait, ps_wait4 and ps_wait6. */
static int
op_wait(struct run *r, int form)
{
	int32_t p = random_parent(r), kid = 0;
	bool busy, w6 = form == 2, bad = false;
	int options = 0, idtype = PS_ID_ALL, st = -7777, rc;
	int64_t id = 0;
	int32_t wpid = -1, caller_pgid = -1;
	struct ps_proc_info pi;
	struct ps_rusage ru, kids_before, kids_after;
	struct ps_wrusage wru;
	struct ps_siginfo si;
	struct pred pr;
	bool want_status = pick(&r->g, 8) != 0, want_ru = pick(&r->g, 4) != 0;

	if (proc_info(r, p, &pi) != 0)
		return PS_ESRCH;
	caller_pgid = pi.pgid;
	busy = is_busy(r, p);
	snapshot_kids(r, p);
	if (r->nkids > 0 && pick(&r->g, 4) != 0)
		kid = r->kids[pick(&r->g, (uint32_t)r->nkids)].pid;

	/* Options: blocking or not (init never blocks), reports to ask for. */
	if (pick(&r->g, 2) == 0 || p == 1)
		options |= PS_WNOHANG;
	if (pick(&r->g, 2) == 0)
		options |= PS_WUNTRACED;
	if (pick(&r->g, 3) == 0)
		options |= PS_WCONTINUED;
	if (pick(&r->g, 6) == 0)
		options |= PS_WLINUXCLONE;
	if (w6) {
		if (pick(&r->g, 5) != 0)
			options |= PS_WEXITED;
		if (pick(&r->g, 4) == 0)
			options |= PS_WTRAPPED;
		if (pick(&r->g, 4) == 0)
			options |= PS_WNOWAIT;
	}
	if (pick(&r->g, 40) == 0) {
		options |= w6 ? 0x40 : PS_WNOWAIT; /* an option the call does not know */
		bad = true;
	}
	if (w6 && (options & (PS_WEXITED | PS_WUNTRACED | PS_WCONTINUED | PS_WTRAPPED)) == 0)
		bad = true;

	/* Whom to wait for. */
	if (!w6) {
		switch (pick(&r->g, 8)) {
		case 0:
		case 1:
			wpid = -1;
			break;
		case 2:
			wpid = 0;
			break;
		case 3:
		case 4:
			wpid = kid != 0 ? kid : -1;
			break;
		case 5:
			wpid = kid != 0 ? -find_kid(r, kid)->pgid : -caller_pgid;
			break;
		case 6:
			wpid = random_proc(r, true); /* most likely not a child */
			break;
		default:
			wpid = pick(&r->g, 2) ? INT_MIN : -random_pgid(r, p);
			break;
		}
		if (wpid == 0)
			wpid = pick(&r->g, 2) ? 0 : -caller_pgid;
		/* The kernel's translation (W1). */
		id = wpid;
		if (wpid == 0)
			id = -(int64_t)caller_pgid;
		if (id == -1) {
			idtype = PS_ID_ALL;
		} else if (id < 0) {
			idtype = PS_ID_PGID;
			id = -id;
		} else {
			idtype = PS_ID_PID;
		}
	} else {
		static const int types[] = {
		    PS_ID_ALL,  PS_ID_ALL, PS_ID_PID,   PS_ID_PID, PS_ID_PGID,
		    PS_ID_PGID, PS_ID_SID, PS_ID_UID,   PS_ID_GID, PS_ID_JAILID,
		    PS_ID_PPID, PS_ID_CID, PS_ID_LWPID, 9,         -1,
		    13};
		const struct kid *k = kid != 0 ? find_kid(r, kid) : NULL;

		idtype = types[pick(&r->g, sizeof(types) / sizeof(types[0]))];
		switch (idtype) {
		case PS_ID_PID:
			id = k != NULL ? k->pid : random_proc(r, true);
			break;
		case PS_ID_PGID:
			id = k != NULL ? k->pgid : caller_pgid;
			break;
		case PS_ID_SID:
			id = k != NULL ? k->sid : pi.sid;
			break;
		case PS_ID_UID:
			id = pick(&r->g, 2) ? 0 : 1000;
			break;
		case PS_ID_GID:
			id = 0;
			break;
		case PS_ID_JAILID:
			id = pick(&r->g, 4) == 0 ? 1 : 0;
			break;
		default:
			id = k != NULL ? k->pid : p;
			break;
		}
		if (idtype < 0 || idtype > PS_ID_JAILID)
			bad = true;
	}

	r->waiter_has_orphans = r->exit_compat == PS_EXIT_MODERN && has_orphans(r, p);
	pr = predict_wait(r, w6, idtype, id, options);
	REQ_EQ(ps_getrusage(r->sim, p, PS_RUSAGE_CHILDREN, &kids_before), 0);
	ru_fill(&ru, -7);
	ru_fill(&wru.self, -7);
	ru_fill(&wru.children, -7);
	memset(&si, 0x5a, sizeof(si));
	r->n_wev = 0;
	r->op_call_pid = p;
	r->op_call.sys = w6 ? PS_SYS_WAIT6 : PS_SYS_WAIT4;
	r->op_call.options = options;
	if (form == 0) {
		rc = ps_wait(r->sim, p, wpid, options, want_status ? &st : NULL);
		want_ru = false;
	} else if (form == 1) {
		rc = ps_wait4(r->sim, p, wpid, options, want_status ? &st : NULL,
		              want_ru ? &ru : NULL);
	} else {
		rc = ps_wait6(r->sim, p, idtype, id, options, want_status ? &st : NULL,
		              want_ru ? &wru : NULL, &si);
	}

	expect_busy(w6 ? "ps_wait6" : "ps_wait4", p, busy, rc);
	if (busy)
		return rc;
	if (bad) {
		REQ_MSG(rc == PS_EINVAL, "wait with options %#x idtype %d: %s", options, idtype,
		        ps_err_name(rc));
		return rc;
	}
	if (rc <= 0)
		EXPECT("wait", rc, 0, PS_ECHILD, PS_EINPROGRESS);
	REQ(rc != 0 || (options & PS_WNOHANG) != 0);
	REQ(rc != PS_EINPROGRESS || (options & PS_WNOHANG) == 0);
	if (pr.certain) {
		r->predicted++;
		REQ_MSG(rc == pr.rc,
		        "pid %d wait%s(idtype %d id %lld options %#x): %d (%s), predicted %d", p,
		        w6 ? "6" : "4", idtype, (long long)id, options, rc, ps_err_name(rc), pr.rc);
	} else {
		r->unpredicted++;
	}
	if (rc == PS_EINPROGRESS) {
		struct ps_sysret sr;

		REQ_EQ(ps_sysret(r->sim, p, &sr), 0);
		REQ_MSG(sr.state == PS_SYSST_SLEEPING && strcmp(sr.wmesg, "wait") == 0 &&
		            sr.wchan != 0 && sr.sys == (w6 ? PS_SYS_WAIT6 : PS_SYS_WAIT4),
		        "pid %d asleep in wait: state %d wmesg %s", p, sr.state, sr.wmesg);
		r->pend[p].sys = w6 ? PS_SYS_WAIT6 : PS_SYS_WAIT4;
		r->pend[p].options = options;
	}
	if (rc <= 0) {
		/* Nothing reported: nothing written, but wait6 zeroes the siginfo. */
		REQ_EQ(st, -7777);
		REQ(ru_is(&ru, -7) && ru_is(&wru.self, -7) && ru_is(&wru.children, -7));
		if (w6 && rc == 0) {
			struct ps_siginfo z;

			memset(&z, 0, sizeof(z));
			REQ(memcmp(&si, &z, sizeof(z)) == 0);
		}
		return rc;
	}

	/* A child was reported. */
	const struct kid *k = find_kid(r, rc);
	int32_t evst = 0;
	int kind = wait_kind(r, p, rc, &evst);

	REQ_MSG(k != NULL, "wait by %d reported %d, not a child", p, rc);
	REQ_MSG(kind != WK_NONE, "wait by %d reported %d without an event", p, rc);
	r->direct_reports++;
	r->rep_kind[kind]++;
	if (pr.certain)
		REQ_MSG(kind == pr.kind || (pr.kind == WK_EXITED && kind == WK_GIVEBACK),
		        "wait by %d reported %d as %s, predicted %s", p, rc, wkind_name[kind],
		        wkind_name[pr.kind]);
	if (pr.certain)
		REQ_EQ(evst, pr.status);
	check_kind_allowed(w6, options, kind, false);
	check_status(r, rc, kind, evst);
	if (kind == WK_STOPPED && (k->flags & PS_P_TRACED) == 0)
		REQ_MSG(is_stop_sig(PS_WSTOPSIG(evst)), "stop of %d by %#x", rc, evst);
	if (want_status)
		REQ_EQ(st, evst);
	else
		REQ_EQ(st, -7777);
	if (w6)
		check_siginfo(&si, rc, k->ruid, kind, evst);
	if (kind == WK_EXITED || kind == WK_NOWAIT || kind == WK_GIVEBACK) {
		if (form == 1 && want_ru)
			REQ(ru_is(&ru, -7) == false && ru.utime_ns >= 0);
		if (w6 && want_ru)
			REQ_MSG(!ru_is(&wru.self, -7) && ru_ge(&wru.self, &wru.children),
			        "wait6 usage of %d: self below children", rc);
	} else {
		REQ(ru_is(&ru, -7) && ru_is(&wru.self, -7) && ru_is(&wru.children, -7));
	}
	check_after_report(r, p, rc, kind, options);
	/* Only a real reap folds the child's usage into the waiter's. */
	REQ_EQ(ps_getrusage(r->sim, p, PS_RUSAGE_CHILDREN, &kids_after), 0);
	if (kind == WK_EXITED && p != 1 && want_ru) {
		ru_add(&kids_before, w6 ? &wru.self : &ru);
		REQ_MSG(memcmp(&kids_before, &kids_after, sizeof(kids_after)) == 0,
		        "pid %d reaped %d: children's usage not folded once", p, rc);
	} else if (kind != WK_EXITED && p != 1) {
		REQ(memcmp(&kids_before, &kids_after, sizeof(kids_after)) == 0);
	}
	return rc;
}

/* exit(status) with statuses that test the unmasked word. */
static int
op_exit(struct run *r)
{
	static const int32_t statuses[] = {0,   1,   2,  3,        127,       128,
	                                   255, 256, -1, 0x7fffff, -0x800000, 0x12345678};
	int32_t p = random_caller(r, pick(&r->g, 16) == 0);
	int32_t s = pick(&r->g, 2) ? (int32_t)pick(&r->g, 1024)
	                           : statuses[pick(&r->g, sizeof(statuses) / sizeof(statuses[0]))];
	bool busy = is_busy(r, p);
	int rc;

	r->op_exit_pid = p;
	r->op_exit_val = (int32_t)((uint32_t)s << 8);
	rc = ps_exit(r->sim, p, s);
	r->op_exit_pid = -1;
	expect_busy("ps_exit", p, busy, rc);
	EXPECT("ps_exit", rc, 0, PS_EPERM, PS_EBUSY);
	REQ((rc == PS_EPERM) == (p == 1));
	if (rc == 0) {
		REQ(r->exited[p]);
		r->exit_arg[p] = s;
		r->has_exit_arg[p] = 1;
	}
	return rc;
}

static int
op_abort2(struct run *r)
{
	static const int nargs_v[] = {-1, 0, 0, 1, 16, 17};
	const uint64_t args[16] = {1, 2, 3};
	int32_t p = random_caller(r, pick(&r->g, 16) == 0);
	int nargs = nargs_v[pick(&r->g, sizeof(nargs_v) / sizeof(nargs_v[0]))];
	bool with_args = pick(&r->g, 5) != 0, busy = is_busy(r, p);
	int rc;

	r->op_exit_pid = p;
	r->op_exit_val = nargs >= 0 && nargs <= 16 && with_args ? PS_SIGABRT : PS_SIGKILL;
	rc = ps_abort2(r->sim, p, pick(&r->g, 2) ? "walk" : NULL, nargs, with_args ? args : NULL);
	r->op_exit_pid = -1;
	expect_busy("ps_abort2", p, busy, rc);
	EXPECT("ps_abort2", rc, 0, PS_EPERM, PS_EBUSY);
	REQ((rc == PS_EPERM) == (p == 1));
	if (rc == 0) {
		REQ(r->exited[p]);
		r->abort2s++;
	}
	return rc;
}

static int
op_fork_exitsig(struct run *r)
{
	static const int sigs_v[] = {0,          PS_SIGUSR1, PS_SIGUSR2, PS_SIGCHLD, PS_SIGHUP,
	                             PS_SIGTERM, PS_SIGCONT, PS_NSIG,    -1};
	int32_t p = random_caller(r, pick(&r->g, 8) == 0), child = -1;
	int sig = sigs_v[pick(&r->g, sizeof(sigs_v) / sizeof(sigs_v[0]))];
	bool busy;
	int rc;

	busy = is_busy(r, p);
	rc = ps_fork_exitsig(r->sim, p, sig, &child);

	if (sig < 0 || sig >= PS_NSIG) {
		REQ_EQ(rc, PS_EINVAL);
		return rc;
	}
	expect_busy("ps_fork_exitsig", p, busy, rc);
	EXPECT("ps_fork_exitsig", rc, 0, PS_EBUSY, PS_EAGAIN);
	if (rc == 0) {
		REQ(in_slot(child));
		r->clone[child] = sig != PS_SIGCHLD;
	}
	return rc;
}

/* Every signal, 0, and a few that are not signals. */
static int
random_sig(struct run *r)
{
	static const int common[] = {PS_SIGHUP,  PS_SIGTSTP, PS_SIGSTOP, PS_SIGCONT, PS_SIGCONT,
	                             PS_SIGTERM, PS_SIGKILL, PS_SIGTTIN, PS_SIGCHLD, PS_SIGUSR1,
	                             PS_SIGINT,  PS_SIGTTOU, 0};

	switch (pick(&r->g, 4)) {
	case 0:
		return (int)pick(&r->g, PS_NSIG);
	case 1:
		return pick(&r->g, 20) == 0 ? (pick(&r->g, 2) ? -1 : PS_NSIG) : PS_SIGUSR2;
	default:
		return common[pick(&r->g, sizeof(common) / sizeof(common[0]))];
	}
}

static int
op_kill(struct run *r, int32_t p)
{
	int sig = random_sig(r);
	int32_t target;
	bool busy = is_busy(r, p), live;
	struct ps_proc_info pi;
	int rc;

	live = proc_info(r, p, &pi) == 0 && pi.state == PS_PRS_NORMAL;

	switch (pick(&r->g, 8)) {
	case 0:
	case 1:
	case 2:
		target = random_proc(r, false);
		break;
	case 3:
	case 4:
		target = -random_pgid(r, p);
		break;
	case 5:
		target = random_child_or_self(r, p);
		break;
	case 6:
		/* Rarely everyone (kill -1); else a pid out of range, or self. */
		target = pick(&r->g, 50) == 0 ? -1
		         : pick(&r->g, 2)     ? 2000 + (int32_t)pick(&r->g, 50)
		                              : p;
		break;
	default:
		target = 0;
		break;
	}
	if (target == -1 && pick(&r->g, 50) != 0)
		target = 1; /* -random_pgid() gave -1: init instead */
	rc = ps_kill(r->sim, p, target, sig);
	expect_busy("ps_kill", p, busy, rc);
	EXPECT("ps_kill", rc, 0, PS_EINVAL, PS_ESRCH, PS_EPERM, PS_EBUSY);
	if (!live)
		REQ_EQ(rc, PS_ESRCH); /* A zombie makes no call. */
	else if (!busy)
		REQ((rc == PS_EINVAL) == (sig < 0 || sig >= PS_NSIG));
	return rc;
}

static int
op_sigaction(struct run *r)
{
	static const int sigs_v[] = {PS_SIGCHLD, PS_SIGCHLD, PS_SIGCHLD, PS_SIGCHLD, PS_SIGHUP,
	                             PS_SIGINT,  PS_SIGTERM, PS_SIGUSR1, PS_SIGUSR2, PS_SIGCONT,
	                             PS_SIGTSTP, PS_SIGTTIN, PS_SIGALRM, PS_SIGQUIT};
	int32_t p = random_caller(r, pick(&r->g, 6) == 0);
	int sig = pick(&r->g, 8) == 0 ? (int)pick(&r->g, PS_NSIG + 1)
	                              : sigs_v[pick(&r->g, sizeof(sigs_v) / sizeof(sigs_v[0]))];
	struct ps_sigaction sa, old, now;
	bool busy = is_busy(r, p);
	uint32_t want;
	int rc;

	memset(&sa, 0, sizeof(sa));
	switch (pick(&r->g, 4)) {
	case 0:
		sa.handler = PS_SIG_IGN;
		break;
	case 1:
		sa.handler = PS_SIG_DFL;
		break;
	default:
		sa.handler = 0x1000 + pick(&r->g, 4) * 0x10;
		break;
	}
	if (pick(&r->g, 2))
		sa.flags |= PS_SA_RESTART;
	if (pick(&r->g, 3) == 0)
		sa.flags |= PS_SA_NOCLDSTOP;
	if (pick(&r->g, 4) == 0)
		sa.flags |= PS_SA_NOCLDWAIT;
	if (pick(&r->g, 4) == 0)
		sa.mask = 1u << pick(&r->g, 32);
	rc = ps_sigaction(r->sim, p, sig, &sa, pick(&r->g, 2) ? &old : NULL);
	expect_busy("ps_sigaction", p, busy, rc);
	EXPECT("ps_sigaction", rc, 0, PS_EINVAL, PS_EBUSY);
	if (busy)
		return rc;
	REQ((rc == PS_EINVAL) ==
	    (sig <= 0 || sig >= PS_NSIG ||
	     ((sig == PS_SIGKILL || sig == PS_SIGSTOP) && sa.handler != PS_SIG_DFL)));
	if (rc != 0)
		return rc;
	/* Read it back: the flags sigaction reports are the ones it keeps. */
	REQ_EQ(ps_sigaction(r->sim, p, sig, NULL, &now), 0);
	want = sa.flags & PS_SA_RESTART;
	if (sig == PS_SIGCHLD)
		want |= (sa.flags & PS_SA_NOCLDSTOP) | (p != 1 ? sa.flags & PS_SA_NOCLDWAIT : 0);
	REQ_MSG(now.handler == sa.handler && now.flags == want &&
	            now.mask == (sa.mask & ~((1u << (PS_SIGKILL - 1)) | (1u << (PS_SIGSTOP - 1)))),
	        "pid %d sigaction(%d) read back handler %#llx flags %#x mask %#x", p, sig,
	        (unsigned long long)now.handler, now.flags, now.mask);
	return rc;
}

static uint32_t
random_sigset(struct run *r)
{
	static const int sigs_v[] = {PS_SIGCHLD, PS_SIGUSR1, PS_SIGHUP,  PS_SIGTSTP, PS_SIGTERM,
	                             PS_SIGCONT, PS_SIGKILL, PS_SIGSTOP, PS_SIGINT};
	uint32_t set = 0;

	for (uint32_t n = pick(&r->g, 4); n > 0; n--)
		set |= 1u << (sigs_v[pick(&r->g, sizeof(sigs_v) / sizeof(sigs_v[0]))] - 1);
	return set;
}

#define CANTMASK_ ((1u << (PS_SIGKILL - 1)) | (1u << (PS_SIGSTOP - 1)))

static int
op_sigprocmask(struct run *r)
{
	int32_t p = random_caller(r, pick(&r->g, 8) == 0);
	int how = (int)pick(&r->g, 5); /* 0 and 4 are not valid */
	uint32_t set = random_sigset(r), oset = 0xdeadbeef, want;
	bool busy = is_busy(r, p);
	struct ps_proc_info before, after;
	int rc;

	REQ_EQ(proc_info(r, p, &before), 0);
	rc = ps_sigprocmask(r->sim, p, how, set, &oset);
	expect_busy("ps_sigprocmask", p, busy, rc);
	EXPECT("ps_sigprocmask", rc, 0, PS_EINVAL, PS_EBUSY);
	if (busy)
		return rc;
	REQ((rc == PS_EINVAL) == (how < 1 || how > 3));
	/* The old mask is copied out on success only. */
	REQ_EQ(oset, rc == 0 ? before.sigmask : 0xdeadbeef);
	if (proc_info(r, p, &after) != 0 || after.state != PS_PRS_NORMAL)
		return rc; /* An unblocked signal killed it. */
	set &= ~CANTMASK_;
	want = how == 1   ? before.sigmask | set
	       : how == 2 ? before.sigmask & ~set
	       : how == 3 ? set
	                  : before.sigmask;
	REQ_MSG(after.sigmask == want, "pid %d: mask %#x after how %d set %#x, want %#x", p,
	        after.sigmask, how, set, want);
	return rc;
}

static int
op_pause(struct run *r, bool suspend)
{
	int32_t p = random_caller(r, false);
	bool busy = is_busy(r, p);
	struct ps_proc_info pi, after;
	struct ps_sysret sr;
	uint32_t mask = 0;
	int rc;

	if (p == 1)
		return PS_EPERM; /* init never sleeps: see the top */
	REQ_EQ(proc_info(r, p, &pi), 0);
	r->op_call_pid = p;
	if (suspend) {
		/* Half the time the new mask keeps every pending signal blocked. */
		mask = random_sigset(r) | (pick(&r->g, 2) ? pi.siglist : 0);
		r->op_call.sys = PS_SYS_SIGSUSPEND;
		rc = ps_sigsuspend(r->sim, p, mask);
	} else {
		r->op_call.sys = PS_SYS_PAUSE;
		rc = ps_pause(r->sim, p);
	}
	expect_busy(suspend ? "ps_sigsuspend" : "ps_pause", p, busy, rc);
	if (busy)
		return rc;
	if (!suspend || (pi.siglist & ~(mask & ~CANTMASK_)) == 0)
		REQ_MSG(rc == PS_EINPROGRESS, "pid %d: %s returned %s", p,
		        suspend ? "sigsuspend" : "pause", ps_err_name(rc));
	else
		EXPECT("ps_sigsuspend", rc, PS_EINPROGRESS, PS_EINTR);
	if (proc_info(r, p, &after) != 0 || after.state != PS_PRS_NORMAL)
		return rc; /* A signal it unblocked killed it. */
	REQ_EQ(ps_sysret(r->sim, p, &sr), 0);
	if (rc == PS_EINPROGRESS) {
		REQ_MSG(sr.state == PS_SYSST_SLEEPING && strcmp(sr.wmesg, "pause") == 0,
		        "pid %d after pause: state %d wmesg %s", p, sr.state, sr.wmesg);
		r->pend[p].sys = suspend ? PS_SYS_SIGSUSPEND : PS_SYS_PAUSE;
		if (suspend)
			REQ_EQ(after.sigmask, mask & ~CANTMASK_);
	} else {
		/* Interrupted at once: the handler ran, the old mask is back. */
		REQ_MSG(sr.state == PS_SYSST_DONE && sr.retval == PS_EINTR,
		        "pid %d after sigsuspend: state %d retval %lld", p, sr.state,
		        (long long)sr.retval);
		REQ_EQ(after.sigmask, pi.sigmask);
	}
	return rc;
}

static int
op_charge(struct run *r)
{
	int32_t p = pick(&r->g, 10) == 0 ? (int32_t)pick(&r->g, 2100) : random_proc(r, true);
	struct ps_rusage d, before, after;
	int rc, brc;

	memset(&d, 0, sizeof(d));
	d.utime_ns = pick(&r->g, 1000000);
	d.stime_ns = pick(&r->g, 100000);
	d.maxrss = pick(&r->g, 4096);
	d.minflt = pick(&r->g, 100);
	d.majflt = pick(&r->g, 3);
	d.nivcsw = pick(&r->g, 5);
	if (pick(&r->g, 12) == 0)
		d.minflt = -1;
	brc = ps_getrusage(r->sim, p, PS_RUSAGE_SELF, &before);
	rc = ps_proc_charge(r->sim, p, &d);
	EXPECT("ps_proc_charge", rc, 0, PS_EINVAL, PS_ESRCH);
	if (d.minflt < 0) {
		REQ_EQ(rc, PS_EINVAL);
		return rc;
	}
	REQ_EQ(rc, brc);
	if (rc != 0)
		return rc;
	r->charges++;
	REQ_EQ(ps_getrusage(r->sim, p, PS_RUSAGE_SELF, &after), 0);
	ru_add(&before, &d);
	REQ(memcmp(&before, &after, sizeof(after)) == 0);
	return rc;
}

/*
 * A signal from outside the tree (swapper, pid 0, is root and never
 * busy) to a process that cannot make calls: asleep or stopped.  Without
 * it most of the tree would end up asleep in pause or in waits for
 * children that never change.  With kill, SIGKILL (shrinking the tree).
 */
static int
op_nudge(struct run *r, bool kill)
{
	int32_t p = random_proc(r, false);
	int sig;
	int rc;

	for (int tries = 0; tries < 8 && !kill && !is_busy(r, p); tries++)
		p = random_proc(r, false);
	if (kill)
		sig = PS_SIGKILL;
	else if ((t_flags(r->sim, p) & STOPPED_BITS) != 0 && pick(&r->g, 2))
		sig = PS_SIGCONT;
	else
		sig = random_sig(r);
	rc = ps_kill(r->sim, 0, p, sig);
	if (p == 1)
		EXPECT("ps_kill", rc, 0, PS_EINVAL); /* random_proc's fallback */
	else
		EXPECT("ps_kill", rc, 0, PS_EINVAL);
	REQ((rc == PS_EINVAL) == (sig < 0 || sig >= PS_NSIG));
	return rc;
}

/* Does the chain of real parents (ps_getppid) from pid loop? (BUG-4) */
static bool
real_parent_cycle(struct run *r, int32_t pid)
{
	for (int steps = 0; pid > 1; steps++) {
		if (steps > PIDS_MAX)
			return true;
		pid = ps_getppid(r->sim, pid);
	}
	return false;
}

/* --- the walk --- */

static int
random_op(struct run *r, int32_t nprocs)
{
	uint32_t op = pick(&r->g, 206);
	int32_t p, q, child;
	bool busy;
	int rc;

	/* Keep the tree in bounds: grow when small, shrink when large. */
	if (nprocs < 6)
		op = 0;
	else if (nprocs > 250 && op < 60)
		op = pick(&r->g, 3) == 0 ? 150 : 70;
	if (op < 30) {
		p = random_caller(r, pick(&r->g, 8) == 0);
		busy = is_busy(r, p);
		rc = ps_fork(r->sim, p, &child);
		expect_busy("ps_fork", p, busy, rc);
		EXPECT("ps_fork", rc, 0, PS_EBUSY, PS_EAGAIN);
		return rc;
	}
	if (op < 38)
		return op_fork_exitsig(r);
	if (op < 46) {
		p = random_caller(r, pick(&r->g, 8) == 0);
		busy = is_busy(r, p);
		rc = ps_setsid(r->sim, p);
		expect_busy("ps_setsid", p, busy, rc);
		if (rc < 0)
			EXPECT("ps_setsid", rc, PS_EPERM, PS_EBUSY);
		else
			REQ_EQ(rc, p);
		return rc;
	}
	if (op < 66) {
		p = random_caller(r, pick(&r->g, 8) == 0);
		busy = is_busy(r, p);
		q = random_child_or_self(r, p);
#if 0
		/*
		 * BUG-4 (see the report): under the 2008 exit a traced process
		 * keeps a stale p_oppid; once that pid is reused by one of its own
		 * descendants, the real-parent chain that inferior() walks is a
		 * cycle and setpgid (and ps_inferior) abort the simulator
		 * (kern_proc.c inferior: "parent chain has a cycle").  Until it
		 * is fixed, the walk does not setpgid another process whose chain
		 * loops.
		 */
#else
		if (q != p && real_parent_cycle(r, q))
			return PS_EPERM;
#endif
		rc = ps_setpgid(r->sim, p, pick(&r->g, 2) ? q : 0, random_pgid(r, q));
		expect_busy("ps_setpgid", p, busy, rc);
		EXPECT("ps_setpgid", rc, 0, PS_ESRCH, PS_EPERM, PS_EACCES, PS_EBUSY);
		return rc;
	}
	if (op < 80)
		return op_exit(r);
	if (op < 84)
		return op_abort2(r);
	if (op < 90)
		return op_wait(r, 0);
	if (op < 112)
		return op_wait(r, 1);
	if (op < 130)
		return op_wait(r, 2);
	if (op < 146)
		return op_kill(r, random_caller(r, pick(&r->g, 8) == 0));
	if (op < 150)
		return op_kill(r, random_child_or_self(r, random_caller(r, true)));
	if (op < 162)
		return op_nudge(r, op < 152);
	if (op < 172)
		return op_sigaction(r);
	if (op < 178)
		return op_sigprocmask(r);
	if (op < 181)
		return op_pause(r, false);
	if (op < 185)
		return op_pause(r, true);
	if (op < 188)
		return op_charge(r);
	p = random_caller(r, pick(&r->g, 8) == 0);
	busy = is_busy(r, p);
	if (op < 191) {
		rc = ps_exec(r->sim, p, "prog");
		expect_busy("ps_exec", p, busy, rc);
		EXPECT("ps_exec", rc, 0, PS_EBUSY);
		return rc;
	}
	if (op < 193) {
		rc = ps_setuid(r->sim, p, pick(&r->g, 2) ? 0 : 1000);
		expect_busy("ps_setuid", p, busy, rc);
		EXPECT("ps_setuid", rc, 0, PS_EPERM, PS_EBUSY);
		return rc;
	}
	if (op < 195) {
		rc = ps_tiocsctty(r->sim, p, r->tty);
		expect_busy("ps_tiocsctty", p, busy, rc);
		EXPECT("ps_tiocsctty", rc, 0, PS_EPERM, PS_EBUSY);
		return rc;
	}
	if (op < 197) {
		rc = ps_tcsetpgrp(r->sim, p, r->tty, random_pgid(r, p));
		expect_busy("ps_tcsetpgrp", p, busy, rc);
		EXPECT("ps_tcsetpgrp", rc, 0, PS_EPERM, PS_ENOTTY, PS_EBUSY);
		return rc;
	}
	if (op < 204) {
		if (p == 1)
			return PS_EPERM; /* init debugs nobody: see the top */
		q = random_proc(r, false);
#if 0
		/*
		 * BUG-5 (see the report): init may be attached (random_proc()
		 * falls back to 1); its tracer's exit or detach then makes init
		 * its own parent, which ps_sim_check() accepts and inferior()
		 * (setpgid, ps_inferior) aborts on.  A stopped init could not run
		 * the teardown either.  Until it is fixed, init is not debugged.
		 */
#else
		if (q == 1)
			return PS_EPERM;
#endif
		rc = ps__ptrace_attach(r->sim, p, q);
		EXPECT("ptrace attach", rc, 0, PS_EINVAL, PS_ESRCH, PS_EPERM, PS_EBUSY);
		return rc;
	}
	q = random_child_or_self(r, p);
	rc = ps__ptrace_detach(r->sim, p, q, pick(&r->g, 2) ? 0 : PS_SIGCONT);
	EXPECT("ptrace detach", rc, 0, PS_ESRCH, PS_EBUSY, PS_EPERM);
	return rc;
}

/* Calls that slept and completed during the operation just made. */
static void
check_sysrets(struct run *r)
{
	for (size_t i = 0; i < r->n_sev; i++) {
		const struct sysret_ev *s = &r->sev[i];
		struct pending pd = r->pend[s->pid];
		struct ps_sysret sr;
		bool w = strcmp(s->sys, "wait4") == 0 || strcmp(s->sys, "wait6") == 0;

		r->pend[s->pid].sys = PS_SYS_NONE;
		if (s->value == PS_EINTR)
			r->sysret_eintr++;
		if (!w) {
			REQ_MSG(strcmp(s->sys, "pause") == 0 || strcmp(s->sys, "sigsuspend") == 0,
			        "sysret of %d from %s", s->pid, s->sys);
			REQ_MSG(s->value == PS_EINTR, "%s of %d returned %d", s->sys, s->pid,
			        s->value);
			continue;
		}
		if (pd.sys == PS_SYS_NONE && s->pid == r->op_call_pid)
			pd = r->op_call; /* It slept and completed within its own call. */
		REQ_MSG(pd.sys == PS_SYS_WAIT4 || pd.sys == PS_SYS_WAIT6,
		        "pid %d completed %s it was not asleep in", s->pid, s->sys);
		REQ(s->value > 0 || s->value == PS_ECHILD || s->value == PS_EINTR);
		r->sysret_pid += s->value > 0;
		r->sysret_echild += s->value == PS_ECHILD;
		if (s->value == PS_EINTR) {
			/* A signal came: it interrupted the sleep, or was pending
			 * when the woken wait went back to sleep (msleep's PCATCH). */
			bool seen = false;

			for (size_t j = 0; j < r->n_intr; j++)
				seen |= r->intr[j] == s->pid;
			REQ_MSG(seen, "wait of %d: EINTR without a signal", s->pid);
		}
		/* The record stays until the next sleepable call (none since). */
		if (ps_sysret(r->sim, s->pid, &sr) == 0 && sr.state == PS_SYSST_DONE) {
			REQ_EQ(sr.retval, s->value);
			REQ_MSG(sr.slept > 0, "pid %d: sysret without a sleep", s->pid);
		}
		if (s->value <= 0)
			continue;
		int32_t status = 0;
		int kind = wait_kind(r, s->pid, s->value, &status);
		struct ps_proc_info pi;

		REQ_MSG(kind != WK_NONE, "wait of %d returned %d without a report", s->pid,
		        s->value);
		r->rep_kind[kind]++;
		check_kind_allowed(pd.sys == PS_SYS_WAIT6, pd.options, kind, true);
		check_status(r, s->value, kind, status);
		if (ps_sysret(r->sim, s->pid, &sr) == 0 && sr.state == PS_SYSST_DONE) {
			REQ_EQ(sr.status, status);
			if (pd.sys == PS_SYS_WAIT6)
				check_siginfo(&sr.si, s->value, -1, kind, status);
		}
		if (proc_info(r, s->pid, &pi) == 0 && pi.state == PS_PRS_NORMAL)
			check_after_report(r, s->pid, s->value, kind, pd.options);
	}
}

static void
teardown(struct run *r)
{
	int32_t pids[PIDS_MAX];
	struct ps_sim_stats st;
	struct ps_proc_info pi;
	struct ps_sysret sr;
	struct ps_cred root = {0, 0, 0, 0, 0, 0};
	size_t n = 0;
	int rc;

	REQ_EQ(ps_proc_list(r->sim, pids, PIDS_MAX, &n), 0);
	for (size_t i = 0; i < n; i++) {
		if (proc_info(r, pids[i], &pi) != 0 || pi.state != PS_PRS_NORMAL)
			continue;
		REQ_EQ(ps_sysret(r->sim, pids[i], &sr), 0);
		r->td_sleepers += sr.state == PS_SYSST_SLEEPING;
		r->td_stopped += (pi.flags & STOPPED_BITS) != 0;
	}
	/* init is never busy; the walk may have made it unprivileged. */
	REQ(!is_busy(r, 1));
	REQ_EQ(ps_setcred(r->sim, 1, &root), 0);

	for (r->td_rounds = 1;; r->td_rounds++) {
		REQ_MSG(r->td_rounds <= 8, "teardown does not converge");
		r->n_wev = r->n_sev = r->n_intr = 0;
		r->op_call_pid = -1;
		rc = ps_kill(r->sim, 1, -1, PS_SIGKILL);
		EXPECT("teardown kill", rc, 0, PS_ESRCH);
		check_sysrets(r);
		REQ_MSG(r->cb_err[0] == '\0', "teardown: %s", r->cb_err);
		REQ_EQ(ps_sim_check(r->sim, NULL), 0);
		REQ_EQ(ps_proc_list(r->sim, pids, PIDS_MAX, &n), 0);
		if (n == 2)
			break;
		/* Left: stopped processes a debugger holds, and their zombies. */
		for (size_t i = 0; i < n; i++) {
			if (pids[i] <= 1 || proc_info(r, pids[i], &pi) != 0 ||
			    pi.state != PS_PRS_NORMAL)
				continue;
			if ((pi.flags & STOPPED_BITS) != 0 && (pi.flags & PS_P_TRACED) == 0)
				EXPECT("teardown SIGCONT", ps_kill(r->sim, 1, pids[i], PS_SIGCONT),
				       0);
		}
	}
	ps_sim_stats(r->sim, &st);
	REQ_EQ(st.nprocs, 2);
	REQ_EQ(st.nzombies, 0);
	REQ_MSG(pids[0] + pids[1] == 1, "left: %d %d", pids[0], pids[1]);
	for (int32_t pid = 0; pid <= 1; pid++) {
		REQ_EQ(ps_sysret(r->sim, pid, &sr), 0);
		REQ(sr.state != PS_SYSST_SLEEPING && sr.state != PS_SYSST_RESTART && sr.wchan == 0);
	}
}

/* Nothing of the walk is left: no pid, group or session but the boot's. */
static void
check_clean(struct run *r, const struct ps_sim_stats *boot)
{
	struct ps_sim_stats st;
	struct ps_pgrp_info gi;
	struct ps_session_info si;
	int32_t pgids[PIDS_MAX];
	size_t n = 0;

	ps_sim_stats(r->sim, &st);
	REQ_EQ(st.nprocs, boot->nprocs);
	REQ_EQ(st.nzombies, 0);
	REQ_EQ(st.npgrps, boot->npgrps);
	REQ_EQ(st.nsessions, boot->nsessions);
	REQ_EQ(ps_pgrp_list(r->sim, pgids, PIDS_MAX, &n), 0);
	REQ_EQ(n, (size_t)boot->npgrps);
	for (int32_t pid = 2; pid < 2000; pid++) {
		REQ_EQ(ps_pfind(r->sim, pid), PS_ESRCH);
		REQ_EQ(ps_zpfind(r->sim, pid), PS_ESRCH);
		REQ_EQ(ps_pgrp_info(r->sim, pid, &gi), PS_ESRCH);
		REQ_EQ(ps_session_info(r->sim, pid, &si), PS_ESRCH);
	}
	REQ_EQ(ps_sim_check(r->sim, NULL), 0);
}

static void
run_ops(struct run *r, uint64_t seed, uint8_t algo, uint32_t nops, uint8_t compat, uint8_t coredump)
{
	struct ps_config cfg;
	struct ps_check_report rep;
	struct ps_sim_stats st, st2, boot;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(r, 0, sizeof(*r));
	r->g.s = seed;
	r->hash = 0xcbf29ce484222325ULL;
	r->op_exit_pid = -1;
	r->exit_compat = compat;
	r->coredump = coredump;
	ps_config_init(&cfg);
	cfg.maxproc = 400;
	cfg.pid_max = 2000; /* Small enough that pids wrap and get reused. */
	cfg.jobc_algo = algo;
	cfg.seed = seed;
	cfg.randompid = seed % 2 == 0 ? 0 : 7;
	cfg.exit_compat = compat;
	cfg.coredump = coredump;
	/* The incremental checker after every operation too (a false alarm
	 * fails the operation), besides the full walk below. */
	if (getenv("PROCSIM_TEST_CHECK") != NULL &&
	    strcmp(getenv("PROCSIM_TEST_CHECK"), "incremental") == 0) {
		cfg.check_every_op = 1;
		cfg.check_mode = PS_CHECK_INCREMENTAL;
	}
	REQ_CMP(cfg.pid_max, <=, PID_SLOTS);
	REQ_EQ(ps_sim_new(&cfg, &r->sim), 0);
	ps_sim_set_event_cb(r->sim, hash_event, r);
	ps_sim_stats(r->sim, &boot);
	REQ_EQ(ps_tty_new(r->sim, "tty0", &r->tty), 0);
	for (uint32_t i = 0; i < nops; i++) {
		int rc;

		ps_sim_stats(r->sim, &st);
		r->op_forks = r->op_exits = r->op_reaps = 0;
		r->n_wev = r->n_sev = r->n_intr = 0;
		r->op_call_pid = -1;
		trace_on = trace_from >= 0 && i >= (uint64_t)trace_from;
		if (trace_on)
			printf("op %u\n", i);
		rc = random_op(r, st.nprocs);
		if (trace_on)
			printf("op %u -> %s\n", i, rc >= 0 ? "ok" : ps_err_name(rc));
		REQ_MSG(rc != PS_EINVARIANT && rc != PS_ELOCKORDER, "op %u: %s", i,
		        ps_err_name(rc));
		if (rc >= 0 || rc == PS_EINPROGRESS)
			r->ok++;
		else
			r->failed++;
		r->busy += rc == PS_EBUSY;
		if (ps_sim_check(r->sim, &rep) != 0)
			ck_abort_msg("seed %llu op %u: invariant %s broken: %s",
			             (unsigned long long)seed, i, rep.invariant, rep.message);
		if (rep.drift > r->drift_max)
			r->drift_max = rep.drift;
		REQ_MSG(r->cb_err[0] == '\0', "seed %llu op %u: %s", (unsigned long long)seed, i,
		        r->cb_err);
		/* nprocs and nzombies move with fork, exit and reap, nothing else. */
		ps_sim_stats(r->sim, &st2);
		REQ_MSG(st2.nprocs == st.nprocs + r->op_forks - r->op_reaps &&
		            st2.nzombies == st.nzombies + r->op_exits - r->op_reaps,
		        "op %u: nprocs %d -> %d, nzombies %d -> %d with %d forks, %d exits, "
		        "%d reaps",
		        i, st.nprocs, st2.nprocs, st.nzombies, st2.nzombies, r->op_forks,
		        r->op_exits, r->op_reaps);
		check_sysrets(r);
		check_ru_monotonic(r, random_proc(r, true));
	}
	teardown(r);
	check_clean(r, &boot);
	REQ_EQ(ps_sim_lock_reversals(r->sim), 0);
	ps_sim_free(r->sim);
	r->sim = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

static void
summary(const char *name, const struct run *r)
{
	printf("%s: %llu ops ok, %llu refused (%llu busy), %llu events, %llu orphanings "
	       "(%llu with hangups), max drifting groups %llu; %llu sleeps, %llu restarts, "
	       "%llu sysrets (%llu pid, %llu ECHILD, %llu EINTR); waits predicted %llu/%llu; "
	       "reports %llu exited, %llu WNOWAIT, %llu stopped, %llu trapped, %llu continued; "
	       "%llu exits, %llu reaps (%llu clone), %llu give-backs, %llu abort2; teardown of "
	       "%llu asleep, %llu stopped in %llu round(s); %.2f s\n",
	       name, (unsigned long long)r->ok, (unsigned long long)r->failed,
	       (unsigned long long)r->busy, (unsigned long long)r->events,
	       (unsigned long long)r->orphanings, (unsigned long long)r->hangups,
	       (unsigned long long)r->drift_max, (unsigned long long)r->sleeps,
	       (unsigned long long)r->restarts, (unsigned long long)r->sysrets,
	       (unsigned long long)r->sysret_pid, (unsigned long long)r->sysret_echild,
	       (unsigned long long)r->sysret_eintr, (unsigned long long)r->predicted,
	       (unsigned long long)(r->predicted + r->unpredicted),
	       (unsigned long long)r->rep_kind[WK_EXITED],
	       (unsigned long long)r->rep_kind[WK_NOWAIT],
	       (unsigned long long)r->rep_kind[WK_STOPPED],
	       (unsigned long long)r->rep_kind[WK_TRAPPED],
	       (unsigned long long)r->rep_kind[WK_CONTINUED], (unsigned long long)r->exits_ev,
	       (unsigned long long)r->reaps_ev, (unsigned long long)r->clone_reaps,
	       (unsigned long long)r->givebacks, (unsigned long long)r->abort2s,
	       (unsigned long long)r->td_sleepers, (unsigned long long)r->td_stopped,
	       (unsigned long long)r->td_rounds, r->seconds);
}

/* The walk must exercise what it claims to. */
static void
check_coverage(const struct run *r, uint64_t nops)
{
	ck_assert_uint_gt(r->ok, nops / 6);
	ck_assert_uint_gt(r->failed, nops / 1000);
	ck_assert_uint_gt(r->sleeps, nops / 200);
	ck_assert_uint_gt(r->sysret_pid, nops / 2000);
	ck_assert_uint_gt(r->sysret_echild, 0);
	ck_assert_uint_gt(r->sysret_eintr, nops / 2000);
	ck_assert_uint_gt(r->restarts, nops / 2000);
	ck_assert_uint_gt(r->predicted, nops / 20);
	for (int k = WK_EXITED; k <= WK_CONTINUED; k++)
		if (k != WK_GIVEBACK)
			ck_assert_msg(r->rep_kind[k] > 0, "no %s report", wkind_name[k]);
	ck_assert_uint_gt(r->clone_reaps, 0);
	ck_assert_uint_gt(r->abort2s, 0);
	ck_assert_uint_gt(r->charges, 0);
	ck_assert_uint_gt(r->busy, 0);
	ck_assert_uint_gt(r->td_sleepers, 0);
	ck_assert_uint_gt(r->givebacks, 0);
}

/* 100,000 operations, FreeBSD accounting, the 2008 exit, invariants after each. */
START_TEST(random_freebsd)
{
	static struct run r;

	run_ops(&r, 20261123, PS_JOBC_FREEBSD, OPS_MAX, PS_EXIT_2008, 0);
	summary("random_freebsd", &r);
	check_coverage(&r, OPS_MAX);
	ck_assert_uint_gt(r.orphanings, 100);
	ck_assert_uint_gt(r.hangups, 10);
}
END_TEST

/* The DragonFly 2003 accounting under the same walk, with the later
 * kernels' exit and wait and core dumps. */
START_TEST(random_dragonfly)
{
	static struct run r;

	run_ops(&r, 7, PS_JOBC_DRAGONFLY, OPS_MAX / 4, PS_EXIT_MODERN, 1);
	summary("random_dragonfly", &r);
	check_coverage(&r, OPS_MAX / 4);
	ck_assert_uint_gt(r.orphanings, 10);
}
END_TEST

/* Determinism: the same seed, the same events, byte for byte (hashed);
 * another seed, another stream. */
START_TEST(same_seed_same_events)
{
	static struct run a, b, c;

	run_ops(&a, 99, PS_JOBC_FREEBSD, 5000, PS_EXIT_2008, 0);
	run_ops(&b, 99, PS_JOBC_FREEBSD, 5000, PS_EXIT_2008, 0);
	run_ops(&c, 100, PS_JOBC_FREEBSD, 5000, PS_EXIT_2008, 0);
	ck_assert_uint_eq(a.events, b.events);
	ck_assert_uint_eq(a.hash, b.hash);
	ck_assert_uint_ne(a.hash, c.hash);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("random");
	TCase *tc = tcase_create("walk");

	if (getenv("PROCSIM_RANDOM_TRACE") != NULL)
		trace_from = atol(getenv("PROCSIM_RANDOM_TRACE"));
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, random_freebsd);
	tcase_add_test(tc, random_dragonfly);
	tcase_add_test(tc, same_seed_same_events);
	suite_add_tcase(s, tc);
	return t_run(s);
}
