/*
 * ptrace(2): spec-sys_process.md §9.1 (tracing relationships, S01-S15) and
 * §9.2 (resuming, signals, stepping, killing, S16-S24), with what a
 * debugger does every day: a breakpoint planted with PT_WRITE_I and hit,
 * single steps through a loop with the registers read after each,
 * PT_TRACE_ME followed by execve, permission refusals.
 *
 * Every test runs twice: Check's loop index 0 is rev B (releng/10.3, the
 * default), 1 is rev A (ps_config.ptrace_rev = PS_PTRACE_REV_A).  Results
 * the spec marks (A)/(B) (S02, S03, S06, S07, S23, and PT_LWPINFO's size,
 * §4 D5) are asserted per revision; everything else must be the same in
 * both.  The fixture runs the invariant checker after every operation
 * (check_every_op) and once more at the end of each test.
 *
 * The §9.0 tree: G a session leader, P its child in a process group of
 * its own (so that C's group is not orphaned and SIGTSTP stops), C P's
 * child, T an unrelated debugger and U an unrelated process, T and U
 * children of init.  G, P, T and U run no program ("puppets": the API
 * acts in their name, and a puppet parent is what ps_spawn needs); C runs
 * a program wherever the scenario needs it to execute code, else it is a
 * puppet too.  The pids differ from the spec's numbers.
 *
 * Tests that fail because the kernel disagrees with the spec are marked
 * "KERNEL BUG?" (none at the time of writing).
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <procsim/procsim.h>

#include "kern/internal_api.h"
#include "kern/kern.h"
#include "testlib.h"

#define SIGBIT(s) (1u << ((s)-1))
#define TEXT 0x400000ull /* Programs' first instruction (docs/isa.md §2). */
#define RUN_NS 200000ull /* 200 µs of virtual time: thousands of instructions. */
#define ADDR(a) ((void *)(uintptr_t)(a))
#define SAME PS_PT_ADDR_SAME

/* The stop bits together. */
#define STOPPED_ALL (PS_P_STOPPED_TRACE | PS_P_STOPPED_SIG | PS_P_WAITED)

static int rev; /* enum ps_ptrace_rev of this run */

/* ====================================================================== */
/* Fixture and helpers                                                     */
/* ====================================================================== */

/* A fresh simulator for this run's revision (loop index i). */
static void
use_cfg(int i, int exit_compat, int see_other_uids)
{
	struct ps_config c = t_config();

	rev = i == 0 ? PS_PTRACE_REV_B : PS_PTRACE_REV_A;
	c.ptrace_rev = (uint8_t)rev;
	c.exit_compat = (uint8_t)exit_compat;
	c.see_other_uids = (uint8_t)see_other_uids;
	t_replace_sim(&c);
}

static void
use_rev(int i)
{
	use_cfg(i, PS_EXIT_2008, 1);
}

#define REV_A (rev == PS_PTRACE_REV_A)

static void
prog(const char *name, const char *text)
{
	struct ps_asm_error err;
	int rc = ps_program_add(t_sim, name, text, &err);

	ck_assert_msg(rc == 0, "%s: %d:%d: %s", name, err.line, err.column, err.message);
}

static uint64_t
sym(const char *program, const char *label)
{
	uint64_t a = 0;

	ck_assert_int_eq(ps_program_symbol(t_sim, program, label, &a), 0);
	return a;
}

/* A program that makes itself traced by its parent, then execs `target`:
 * exit 99 if PT_TRACE_ME failed, 98 if execve failed. */
static void
loader(const char *name, const char *target)
{
	char text[512];

	snprintf(text, sizeof(text),
	         "start:  sys ptrace 0, 0, 0, 0\n"
	         "        bnez r0, bad\n"
	         "        work 20000\n"
	         "        sys execve \"%s\", 0, 0\n"
	         "        sys exit 98\n"
	         "bad:    sys exit 99\n",
	         target);
	prog(name, text);
}

/* An endless counter in r1; `other` exits 42. */
#define LOOP_TEXT                                                                                  \
	"start:  li r1, 0\n"                                                                       \
	"loop:   add r1, r1, 1\n"                                                                  \
	"        b loop\n"                                                                         \
	"other:  sys exit 42\n"

/* Counts r1 to 3, calls getpid, exits 3 (for single steps). */
#define COUNT_TEXT                                                                                 \
	"start:  li r1, 0\n"                                                                       \
	"loop:   add r1, r1, 1\n"                                                                  \
	"        cmp r1, 3\n"                                                                      \
	"        bne loop\n"                                                                       \
	"        sys getpid\n"                                                                     \
	"        mov r0, r1\n"                                                                     \
	"        sys exit\n"

/* Counts r1 to 5 and exits 5 (for breakpoints). */
#define BP_TEXT                                                                                    \
	"start:  li r1, 0\n"                                                                       \
	"loop:   add r1, r1, 1\n"                                                                  \
	"        cmp r1, 5\n"                                                                      \
	"        bne loop\n"                                                                       \
	"        mov r0, r1\n"                                                                     \
	"        sys exit\n"

/* Endless system calls. */
#define SYSLOOP_TEXT                                                                               \
	"start:  sys getpid\n"                                                                     \
	"        b start\n"

/* Catches SIGUSR1 (the handler counts in `count`) and loops. */
#define USR1_TEXT                                                                                  \
	"start:  sys sigaction SIGUSR1, handler, 0, 0\n"                                           \
	"loop:   add r1, r1, 1\n"                                                                  \
	"        b loop\n"                                                                         \
	"handler: ld r5, [count]\n"                                                                \
	"        add r5, r5, 1\n"                                                                  \
	"        st r5, [count]\n"                                                                 \
	"        ret\n"                                                                            \
	"        .data\n"                                                                          \
	"        .align 8\n"                                                                       \
	"count:  .quad 0\n"

struct tree {
	int32_t G, P, C, T, U;
	int32_t ctid; /* C's thread */
};

static int32_t
tid_of(int32_t pid)
{
	int32_t tids[8];
	size_t n = 0;

	ck_assert_int_eq(ps_proc_threads(t_sim, pid, tids, 8, &n), 0);
	ck_assert_uint_ge(n, 1);
	return tids[0];
}

static int32_t
spawn(int32_t parent, const char *program)
{
	int32_t pid = -1;
	int rc = ps_spawn(t_sim, parent, program, NULL, NULL, &pid);

	ck_assert_msg(rc == 0, "spawn %s: %s", program, ps_err_name(rc));
	return pid;
}

/* The §9.0 tree; C runs cprog, or is a puppet when cprog is NULL. */
static struct tree
mktree(const char *cprog)
{
	struct tree t;

	t.G = t_session(t_sim);
	t.P = t_fork(t_sim, t.G);
	t_setpgid_ok(t.P, t.P, t.P);
	t.C = cprog != NULL ? spawn(t.P, cprog) : t_fork(t_sim, t.P);
	t.T = t_fork(t_sim, 1);
	t.U = t_fork(t_sim, 1);
	t.ctid = tid_of(t.C);
	return t;
}

static int
pt(int32_t tracer, int req, int32_t pid, void *addr, int data)
{
	return ps_ptrace(t_sim, tracer, req, pid, addr, data, NULL);
}

static void
pt_ok(int32_t tracer, int req, int32_t pid, void *addr, int data)
{
	int rc = pt(tracer, req, pid, addr, data);

	ck_assert_msg(rc == 0, "%s by %d on %d: %s", ps_ptrace_request_name(req), tracer, pid,
	              ps_err_name(rc));
}

static void
pt_err(int32_t tracer, int req, int32_t pid, void *addr, int data, int err)
{
	int rc = pt(tracer, req, pid, addr, data);

	ck_assert_msg(rc == err, "%s by %d on %d: %s, expected %s", ps_ptrace_request_name(req),
	              tracer, pid, ps_err_name(rc), ps_err_name(err));
}

/* PT_READ_I/D: the word read. */
static uint32_t
peek(int32_t tracer, int req, int32_t pid, uint64_t addr)
{
	int rv = 0x5a5a5a5a;
	int rc = ps_ptrace(t_sim, tracer, req, pid, ADDR(addr), 0, &rv);

	ck_assert_msg(rc == 0, "read %#llx: %s", (unsigned long long)addr, ps_err_name(rc));
	return (uint32_t)rv;
}

static struct ps_regs
getregs(int32_t tracer, int32_t pid)
{
	struct ps_regs r;

	memset(&r, 0xa5, sizeof(r));
	pt_ok(tracer, PS_PT_GETREGS, pid, &r, 0);
	return r;
}

/* PT_LWPINFO with the largest size this revision accepts. */
static struct ps_ptrace_lwpinfo
lwpinfo(int32_t tracer, int32_t pid)
{
	struct ps_ptrace_lwpinfo pl;
	int size = REV_A ? (int)PS_PT_LWPINFO_SIZE_A : (int)PS_PT_LWPINFO_SIZE_B;

	memset(&pl, 0, sizeof(pl));
	pt_ok(tracer, PS_PT_LWPINFO, pid, &pl, size);
	return pl;
}

static struct ps_ptrace_info
pinfo(int32_t pid)
{
	struct ps_ptrace_info i;

	ck_assert_msg(ps_ptrace_info(t_sim, pid, &i) == 0, "no ptrace info for %d", pid);
	return i;
}

static struct ps_thread_dbg
tdbg(int32_t tid)
{
	struct ps_thread_dbg d;

	ck_assert_msg(ps_thread_dbg(t_sim, tid, &d) == 0, "no thread %d", tid);
	return d;
}

/* Registers of a thread, whatever its state (ps_thread_info). */
static struct ps_regs
tregs(int32_t tid)
{
	struct ps_thread_info ti;

	ck_assert_int_eq(ps_thread_info(t_sim, tid, &ti), 0);
	return ti.regs;
}

static void
run_for(uint64_t ns)
{
	int rc = ps_sim_run_until(t_sim, ps_sim_now(t_sim) + ns, 0, NULL);

	ck_assert_msg(rc == 0, "run: %s", ps_err_name(rc));
}

/* parent's wait(pid, WNOHANG) reports pid with exactly status. */
static void
expect_wait(int32_t parent, int32_t pid, int status)
{
	int st = -1;
	int rc = ps_wait(t_sim, parent, pid, PS_WNOHANG, &st);

	ck_assert_msg(rc == pid, "wait by %d for %d: %d (%s)", parent, pid, rc,
	              rc < 0 ? ps_err_name(rc) : "-");
	ck_assert_msg(st == status, "wait by %d for %d: status %#x, expected %#x", parent, pid,
	              (unsigned)st, (unsigned)status);
}

/* parent's wait(pid, WNOHANG) has nothing to report. */
static void
expect_no_report(int32_t parent, int32_t pid)
{
	int st = -1;

	ck_assert_int_eq(ps_wait(t_sim, parent, pid, PS_WNOHANG, &st), 0);
	ck_assert_int_eq(st, -1);
}

static uint32_t
flags_of(int32_t pid)
{
	return pinfo(pid).flags;
}

/* pid is in a trace stop reported by tid with sig, collected by wait. */
static void
assert_trace_stopped(int32_t pid, int32_t tid, int sig)
{
	struct ps_ptrace_info i = pinfo(pid);
	struct ps_thread_dbg d = tdbg(tid);

	ck_assert_uint_eq(i.flags & (PS_P_TRACED | STOPPED_ALL), PS_P_TRACED | STOPPED_ALL);
	ck_assert_int_eq(i.xstat, sig);
	ck_assert_int_eq(i.xthread, tid);
	ck_assert_int_eq(i.suspcount, i.nthreads);
	ck_assert_uint_ne(d.dbgflags & PS_TDB_XSIG, 0);
	ck_assert_int_eq(d.xsig, sig);
	ck_assert_int_eq(d.in_trace_stop, 1);
	ck_assert_int_eq(d.suspended, 1);
}

/* The resume post-state (§10 item 6): p_xstat = data, no reporter, no stop
 * bits, td2's TDB_XSIG clear and td_xsig = data, no thread suspended. */
static void
assert_resumed(int32_t pid, int32_t tid, int data)
{
	struct ps_ptrace_info i = pinfo(pid);
	struct ps_thread_dbg d = tdbg(tid);

	ck_assert_int_eq(i.xstat, data);
	ck_assert_int_eq(i.xthread, 0);
	ck_assert_uint_eq(i.flags & STOPPED_ALL, 0);
	ck_assert_int_eq(i.suspcount, 0);
	ck_assert_uint_eq(d.dbgflags & PS_TDB_XSIG, 0);
	ck_assert_int_eq(d.xsig, data);
	ck_assert_int_eq(d.suspended, 0);
}

/* tracer attaches pid and collects the SIGSTOP stop (S04). */
static void
attach_stopped(int32_t tracer, int32_t pid)
{
	pt_ok(tracer, PS_PT_ATTACH, pid, NULL, 0);
	run_for(RUN_NS);
	expect_wait(tracer, pid, PS_W_STOPCODE(PS_SIGSTOP));
	assert_trace_stopped(pid, tid_of(pid), PS_SIGSTOP);
}

static void
set_cred(int32_t pid, int32_t uid)
{
	struct ps_cred c = {uid, uid, uid, uid, uid, uid};

	ck_assert_int_eq(ps_setcred(t_sim, pid, &c), 0);
}

/* A traced process trace-stops for any signal it does not block (A.1),
 * SIGCHLD included: a traced debugger blocks it. */
static void
block_sigchld(int32_t pid)
{
	ck_assert_int_eq(ps_sigprocmask(t_sim, pid, 1, SIGBIT(PS_SIGCHLD), NULL), 0);
}

/* The children of pid in list order; returns how many. */
static size_t
children(int32_t pid, int32_t *out, size_t cap)
{
	size_t n = 0;

	ck_assert_int_eq(ps_proc_children(t_sim, pid, out, cap, &n), 0);
	return n;
}

/* SIGCHLD records queued to pid that name child. */
static size_t
sigchld_records(int32_t pid, int32_t child)
{
	struct ps_siginfo q[16];
	size_t n = 0, m = 0;

	ck_assert_int_eq(ps_sigqueue(t_sim, pid, q, 16, &n), 0);
	for (size_t i = 0; i < n && i < 16; i++)
		m += q[i].signo == PS_SIGCHLD && q[i].pid == child;
	return m;
}

static void __attribute__((unused)) dump_events(void)
{
	char line[256];

	for (size_t i = 0; i < t_events.n && i < EVLOG_MAX; i++) {
		ps_event_format(&t_events.ev[i], line, sizeof(line));
		fprintf(stderr, "%s\n", line);
	}
}

static void
end_check(void)
{
	t_check(t_sim);
}

/* ====================================================================== */
/* §9.1 Tracing relationships                                              */
/* ====================================================================== */

/*
 * S01: PT_TRACE_ME marks C traced by P without reparenting or stopping it
 * (001:824-830); C's execve then stops it with SIGTRAP, reported to P's
 * wait, PT_LWPINFO PL_EVENT_SIGNAL with PL_FLAG_EXEC | PL_FLAG_SCX (A.1);
 * rev B also names the call (execve, 3 arguments; 002:1233-1239).
 */
START_TEST(s01_trace_me_then_execve)
{
	use_rev(_i);
	prog("count", COUNT_TEXT);
	loader("ldcount", "count");
	struct tree t = mktree("ldcount");

	run_for(5000); /* PT_TRACE_ME done, inside the `work`. */
	struct ps_ptrace_info i = pinfo(t.C);
	ck_assert_uint_eq(i.flags & (PS_P_TRACED | STOPPED_ALL), PS_P_TRACED);
	ck_assert_int_eq(i.oppid, t.P);
	ck_assert_int_eq(i.pptr, t.P);
	ck_assert_int_eq(i.xthread, 0);
	ck_assert_int_eq(t_pinfo(t.C).pptr, t.P);
	expect_no_report(t.P, t.C);
	ck_assert_int_eq(t_count(PS_EV_STOP, t.C, 0), 0);

	run_for(RUN_NS); /* The execve, and its stop. */
	expect_wait(t.P, t.C, 0x57f);
	assert_trace_stopped(t.C, t.ctid, PS_SIGTRAP);
	ck_assert_str_eq(t_pinfo(t.C).comm, "count");
	struct ps_thread_dbg d = tdbg(t.ctid);
	ck_assert_uint_eq(d.dbgflags & (PS_TDB_EXEC | PS_TDB_SCX | PS_TDB_SCE),
	                  PS_TDB_EXEC | PS_TDB_SCX);

	struct ps_ptrace_lwpinfo pl = lwpinfo(t.P, t.C);
	ck_assert_int_eq(pl.pl_lwpid, t.ctid);
	ck_assert_int_eq(pl.pl_event, PS_PL_EVENT_SIGNAL);
	ck_assert_int_eq(pl.pl_flags, PS_PL_FLAG_EXEC | PS_PL_FLAG_SCX);
	ck_assert_int_eq(pl.pl_siginfo.signo, 0);
	ck_assert_int_eq(pl.pl_child_pid, 0);
	ck_assert_str_eq(pl.pl_tdname, "count");
	ck_assert_uint_eq(pl.pl_sigmask, 0);
	if (REV_A) {
		ck_assert_uint_eq(pl.pl_syscall_code, 0);
		ck_assert_uint_eq(pl.pl_syscall_narg, 0);
	} else {
		ck_assert_uint_eq(pl.pl_syscall_code, PS_SYSNO_execve);
		ck_assert_uint_eq(pl.pl_syscall_narg, 3);
	}
	/* The new image, at its entry. */
	struct ps_regs r = getregs(t.P, t.C);
	ck_assert_uint_eq(r.pc, TEXT);
	ck_assert_uint_eq(r.r[0], 0); /* No arguments. */

	/* Continued, it runs count to the end: exit 3.  The replacement
	 * signal of an exec stop is dropped (§3.6, A.1). */
	pt_ok(t.P, PS_PT_CONTINUE, t.C, SAME, PS_SIGTERM);
	assert_resumed(t.C, t.ctid, PS_SIGTERM);
	run_for(RUN_NS);
	expect_wait(t.P, t.C, PS_W_EXITCODE(3, 0));
	end_check();
}
END_TEST

/* S02 (A/B): a second PT_TRACE_ME is allowed in rev A (001:739-741), EBUSY
 * in rev B (002:750-753); the state is unchanged either way. */
START_TEST(s02_trace_me_twice)
{
	use_rev(_i);
	struct tree t = mktree(NULL);

	pt_ok(t.C, PS_PT_TRACE_ME, 0, NULL, 0);
	pt_err(t.C, PS_PT_TRACE_ME, 0, NULL, 0, REV_A ? 0 : PS_EBUSY);
	struct ps_ptrace_info i = pinfo(t.C);
	ck_assert_uint_eq(i.flags & (PS_P_TRACED | STOPPED_ALL), PS_P_TRACED);
	ck_assert_int_eq(i.oppid, t.P);
	ck_assert_int_eq(i.pptr, t.P);
	ck_assert_uint_eq(tdbg(t.ctid).dbgflags & PS_TDB_XSIG, 0);
	end_check();
}
END_TEST

/*
 * S02 / §3.5.1 item 5 (A/B): C attached by T, then continued, repeats
 * PT_TRACE_ME.  Rev A: 0 and p_oppid now names T, so PT_DETACH does not
 * give C back to P (001:919).  Rev B: EBUSY; the detach returns C to P.
 */
START_TEST(s02_trace_me_after_attach)
{
	use_rev(_i);
	struct tree t = mktree(NULL);

	attach_stopped(t.T, t.C);
	pt_ok(t.T, PS_PT_CONTINUE, t.C, SAME, 0);
	assert_resumed(t.C, t.ctid, 0);
	pt_err(t.C, PS_PT_TRACE_ME, 0, NULL, 0, REV_A ? 0 : PS_EBUSY);
	ck_assert_int_eq(pinfo(t.C).oppid, REV_A ? t.T : t.P);
	ck_assert_int_eq(ps_kill(t_sim, t.U, t.C, PS_SIGSTOP), 0);
	expect_wait(t.T, t.C, PS_W_STOPCODE(PS_SIGSTOP));
	pt_ok(t.T, PS_PT_DETACH, t.C, SAME, 0);
	struct ps_ptrace_info i = pinfo(t.C);
	ck_assert_int_eq(i.pptr, REV_A ? t.T : t.P);
	ck_assert_int_eq(i.oppid, 0);
	ck_assert_uint_eq(i.flags & (PS_P_TRACED | STOPPED_ALL), 0);
	end_check();
}
END_TEST

/* S03 (A/B): C, orphaned to init, calls PT_TRACE_ME: rev A 0 with p_oppid
 * 1 (001:824-830), rev B EPERM (002:754-757) and nothing changes. */
START_TEST(s03_trace_me_under_init)
{
	use_rev(_i);
	struct tree t = mktree(NULL);

	ck_assert_int_eq(ps_exit(t_sim, t.P, 0), 0);
	ck_assert_int_eq(pinfo(t.C).pptr, 1);
	pt_err(t.C, PS_PT_TRACE_ME, 0, NULL, 0, REV_A ? 0 : PS_EPERM);
	struct ps_ptrace_info i = pinfo(t.C);
	if (REV_A) {
		ck_assert_uint_eq(i.flags & (PS_P_TRACED | STOPPED_ALL), PS_P_TRACED);
		ck_assert_int_eq(i.oppid, 1);
	} else {
		ck_assert_uint_eq(i.flags & (PS_P_TRACED | STOPPED_ALL), 0);
		ck_assert_int_eq(i.oppid, 0);
	}
	ck_assert_int_eq(i.pptr, 1);
	end_check();
}
END_TEST

/*
 * S04: PT_ATTACH to a running non-child: 0; at once P_TRACED, p_oppid P,
 * p_pptr T with C at the head of T's children and gone from P's, SIGSTOP
 * posted, p_xstat SIGSTOP (001:843-848, 942, 964-967), not yet stopped.
 * T's wait then reports the SIGSTOP stop with P_STOPPED_TRACE,
 * P_STOPPED_SIG, P_WAITED and p_xthread C's thread; P no longer sees C.
 */
START_TEST(s04_attach_running_nonchild)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");
	int32_t x = t_fork(t_sim, t.T); /* T already has a child. */
	int32_t y = t_fork(t_sim, t.P); /* P keeps one. */
	int32_t kids[8];

	run_for(RUN_NS);
	ck_assert_uint_gt(tregs(t.ctid).r[1], 0);
	t_clear_events();
	pt_ok(t.T, PS_PT_ATTACH, t.C, NULL, 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.C, PS_SIGSTOP), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.C, 0), 1);
	struct ps_ptrace_info i = pinfo(t.C);
	ck_assert_uint_eq(i.flags & (PS_P_TRACED | STOPPED_ALL), PS_P_TRACED);
	ck_assert_int_eq(i.oppid, t.P);
	ck_assert_int_eq(i.pptr, t.T);
	ck_assert_int_eq(i.xstat, PS_SIGSTOP);
	ck_assert_int_eq(i.xthread, 0);
	ck_assert_uint_ne(t_pinfo(t.C).siglist & SIGBIT(PS_SIGSTOP), 0);
	ck_assert_int_eq(t_pinfo(t.C).ppid, t.P); /* The real parent. */
	ck_assert_uint_eq(children(t.T, kids, 8), 2);
	ck_assert_int_eq(kids[0], t.C);
	ck_assert_int_eq(kids[1], x);
	ck_assert_uint_eq(children(t.P, kids, 8), 1);
	ck_assert_int_eq(kids[0], y);
	ck_assert_uint_eq(tdbg(t.ctid).suspended, 0);

	run_for(RUN_NS);
	expect_wait(t.T, t.C, PS_W_STOPCODE(PS_SIGSTOP));
	assert_trace_stopped(t.C, t.ctid, PS_SIGSTOP);
	ck_assert_uint_eq(t_pinfo(t.C).siglist & SIGBIT(PS_SIGSTOP), 0);
	ck_assert_int_eq(ps_wait(t_sim, t.P, t.C, PS_WNOHANG, NULL), PS_ECHILD);
	end_check();
}
END_TEST

/*
 * S05: until T's wait has collected the stop (P_WAITED), PT_CONTINUE,
 * PT_IO, PT_GETREGS, PT_KILL and PT_DETACH are EBUSY, right after the
 * attach and still once C has stopped (001:789-795).  After the wait they
 * work; after a PT_CONTINUE they are EBUSY again (S19's variant).
 */
static void
s05_all_busy(struct tree *t)
{
	struct ps_regs r;
	uint8_t buf[8];
	struct ps_ptrace_io_desc io = {PS_PIOD_READ_D, TEXT, buf, sizeof(buf)};

	pt_err(t->T, PS_PT_CONTINUE, t->C, SAME, 0, PS_EBUSY);
	pt_err(t->T, PS_PT_IO, t->C, &io, 0, PS_EBUSY);
	pt_err(t->T, PS_PT_GETREGS, t->C, &r, 0, PS_EBUSY);
	pt_err(t->T, PS_PT_KILL, t->C, NULL, 0, PS_EBUSY);
	pt_err(t->T, PS_PT_DETACH, t->C, SAME, 0, PS_EBUSY);
	/* §3.3: every request but PT_TRACE_ME, PT_ATTACH, self PT_CLEARSTEP. */
	struct ps_ptrace_lwpinfo pl;
	pt_err(t->T, PS_PT_LWPINFO, t->C, &pl, (int)sizeof(pl.pl_lwpid), PS_EBUSY);
	pt_err(t->T, PS_PT_FOLLOW_FORK, t->C, NULL, 1, PS_EBUSY);
	pt_err(t->T, PS_PT_SUSPEND, t->C, NULL, 0, PS_EBUSY);
	pt_err(t->T, PS_PT_READ_D, t->C, ADDR(TEXT), 0, PS_EBUSY);
	pt_err(t->T, PS_PT_WRITE_D, t->C, ADDR(TEXT), 0, PS_EBUSY);
	pt_err(t->T, PS_PT_STEP, t->C, SAME, 0, PS_EBUSY);
	pt_err(t->T, PS_PT_SYSCALL, t->C, SAME, 0, PS_EBUSY);
	pt_err(t->T, PS_PT_SETSTEP, t->C, NULL, 0, PS_EBUSY);
	pt_err(t->T, PS_PT_CLEARSTEP, t->C, NULL, 0, PS_EBUSY);
	pt_err(t->T, PS_PT_GETNUMLWPS, t->C, NULL, 0, PS_EBUSY);
	pt_err(t->T, 24, t->C, NULL, 0, PS_EBUSY); /* Unknown: the same checks first. */
	struct ps_ptrace_info i = pinfo(t->C);
	ck_assert_uint_eq(tdbg(t->ctid).dbgflags & (PS_TDB_USERWR | PS_TDB_STEP | PS_TDB_SUSPEND),
	                  0);
	ck_assert_uint_eq(i.flags & (PS_P_FOLLOWFORK | PS_P_WAITED), 0);
	ck_assert_uint_eq(i.stops, 0);
	ck_assert_int_eq(i.holds, 0);
}

/*
 * PT_GETFPREGS and PT_GETDBREGS of a thread no debugger has given values
 * to read zeros; PT_SETFPREGS and PT_SETDBREGS give that thread, and only
 * that thread, its values.  A rejected PT_SETDBREGS changes nothing.
 */
START_TEST(fpregs_dbregs_per_thread)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");
	int32_t c2 = spawn(t.P, "loop");
	struct ps_fpreg f, f2, zf;
	struct ps_dbreg d, d2, zd;

	memset(&zf, 0, sizeof(zf));
	memset(&zd, 0, sizeof(zd));
	run_for(RUN_NS);
	block_sigchld(t.T);
	attach_stopped(t.T, t.C);
	attach_stopped(t.T, c2);
	memset(&f, 0xa5, sizeof(f));
	pt_ok(t.T, PS_PT_GETFPREGS, t.C, &f, 0);
	ck_assert_mem_eq(&f, &zf, sizeof(f));
	memset(&d, 0xa5, sizeof(d));
	pt_ok(t.T, PS_PT_GETDBREGS, t.C, &d, 0);
	ck_assert_mem_eq(&d, &zd, sizeof(d));

	for (int i = 0; i < 8; i++)
		f.fpr[i] = 0x1111111111111111ull * (uint64_t)(i + 1);
	f.fpsr = 0xabcd;
	f.fpcr = 0x1234;
	pt_ok(t.T, PS_PT_SETFPREGS, t.C, &f, 0);
	memset(&f2, 0, sizeof(f2));
	pt_ok(t.T, PS_PT_GETFPREGS, t.C, &f2, 0);
	ck_assert_mem_eq(&f2, &f, sizeof(f));
	ck_assert_uint_ne(tdbg(t.ctid).dbgflags & PS_TDB_USERWR, 0);

	memset(&d, 0, sizeof(d));
	d.dr[0] = 0xffffffffffffff00ull; /* Not a user address. */
	pt_err(t.T, PS_PT_SETDBREGS, t.C, &d, 0, PS_EINVAL);
	pt_ok(t.T, PS_PT_GETDBREGS, t.C, &d2, 0);
	ck_assert_mem_eq(&d2, &zd, sizeof(d2));
	d.dr[0] = TEXT;
	d.dr[7] = 0x1;
	pt_ok(t.T, PS_PT_SETDBREGS, t.C, &d, 0);
	pt_ok(t.T, PS_PT_GETDBREGS, t.C, &d2, 0);
	ck_assert_mem_eq(&d2, &d, sizeof(d));
	/* The fp registers set before are still there. */
	pt_ok(t.T, PS_PT_GETFPREGS, t.C, &f2, 0);
	ck_assert_mem_eq(&f2, &f, sizeof(f));

	/* The other process's thread still reads zeros. */
	pt_ok(t.T, PS_PT_GETFPREGS, c2, &f2, 0);
	ck_assert_mem_eq(&f2, &zf, sizeof(f2));
	pt_ok(t.T, PS_PT_GETDBREGS, c2, &d2, 0);
	ck_assert_mem_eq(&d2, &zd, sizeof(d2));
	end_check();
}
END_TEST

START_TEST(s05_requests_before_wait_busy)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");
	uint8_t buf[8];
	struct ps_ptrace_io_desc io = {PS_PIOD_READ_D, TEXT, buf, sizeof(buf)};
	static const uint8_t li_r1_0[8] = {0x02, 0x01, 0, 0, 0, 0, 0, 0};

	run_for(RUN_NS);
	pt_ok(t.T, PS_PT_ATTACH, t.C, NULL, 0);
	s05_all_busy(&t);
	run_for(RUN_NS); /* C stops, nobody waited yet. */
	ck_assert_uint_eq(flags_of(t.C) & STOPPED_ALL, PS_P_STOPPED_TRACE | PS_P_STOPPED_SIG);
	ck_assert_int_eq(pinfo(t.C).suspcount, pinfo(t.C).nthreads);
	ck_assert_int_eq(pinfo(t.C).xthread, t.ctid);
	s05_all_busy(&t);
	ck_assert_uint_eq(flags_of(t.C) & STOPPED_ALL, PS_P_STOPPED_TRACE | PS_P_STOPPED_SIG);

	expect_wait(t.T, t.C, PS_W_STOPCODE(PS_SIGSTOP));
	struct ps_regs r = getregs(t.T, t.C);
	ck_assert_uint_eq(r.r[1], tregs(t.ctid).r[1]);
	ck_assert_uint_ne(r.r[1], 0);
	memset(buf, 0xee, sizeof(buf));
	pt_ok(t.T, PS_PT_IO, t.C, &io, 0);
	ck_assert_mem_eq(buf, li_r1_0, 8);
	ck_assert_uint_eq(io.piod_len, 8);

	pt_ok(t.T, PS_PT_CONTINUE, t.C, SAME, 0);
	s05_all_busy(&t);
	ck_assert_int_eq(ps_kill(t_sim, t.U, t.C, PS_SIGSTOP), 0);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, PS_W_STOPCODE(PS_SIGSTOP));
	pt_ok(t.T, PS_PT_KILL, t.C, NULL, 0);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, PS_SIGKILL);
	end_check();
}
END_TEST

/*
 * S06 (A/B): PT_DETACH from a stopped+waited attach: C back under P,
 * p_oppid 0, P_TRACED/P_WAITED/P_FOLLOWFORK and the stop bits clear,
 * p_xthread NULL, p_xstat 0, TDB_SUSPEND clear on every thread, C runs;
 * T's wait gets ECHILD (001:917-934, 942-961; 002:976-993).  Rev B: on
 * no orphan list.  Rev A: reparented while still P_TRACED, C stays on T's
 * orphan list and its real parent reads as T (§3.7, A.4).
 */
START_TEST(s06_detach_restores_parent)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");
	int32_t kids[8];

	/* T keeps its SIGCHLD records: caught and blocked. */
	t_set_action(t.T, PS_SIGCHLD, 0x1000, 0);
	block_sigchld(t.T);
	run_for(RUN_NS);
	attach_stopped(t.T, t.C);
	pt_ok(t.T, PS_PT_FOLLOW_FORK, t.C, NULL, 1);
	pt_ok(t.T, PS_PT_SUSPEND, t.C, NULL, 0);
	ck_assert_uint_ne(tdbg(t.ctid).dbgflags & PS_TDB_SUSPEND, 0);
	ck_assert_uint_ne(flags_of(t.C) & PS_P_FOLLOWFORK, 0);

	pt_ok(t.T, PS_PT_DETACH, t.C, SAME, 0);
	struct ps_ptrace_info i = pinfo(t.C);
	ck_assert_int_eq(i.pptr, t.P);
	ck_assert_int_eq(i.oppid, 0);
	ck_assert_uint_eq(i.flags & (PS_P_TRACED | PS_P_FOLLOWFORK | STOPPED_ALL), 0);
	ck_assert_int_eq(i.xthread, 0);
	ck_assert_int_eq(i.xstat, 0);
	ck_assert_uint_eq(i.stops, 0);
	ck_assert_int_eq(i.suspcount, 0);
	ck_assert_uint_eq(tdbg(t.ctid).dbgflags & (PS_TDB_SUSPEND | PS_TDB_XSIG), 0);
	ck_assert_uint_eq(sigchld_records(t.T, t.C), 0);
	ck_assert_uint_eq(children(t.P, kids, 8), 1);
	ck_assert_int_eq(kids[0], t.C);
	ck_assert_int_eq(ps_wait(t_sim, t.T, t.C, PS_WNOHANG, NULL), PS_ECHILD);
	if (REV_A) {
		ck_assert_int_eq(i.orphan_of, t.T);
		ck_assert_int_eq(i.realparent, t.T);
	} else {
		ck_assert_int_eq(i.orphan_of, 0);
		ck_assert_int_eq(i.realparent, t.P);
	}

	uint64_t before = tregs(t.ctid).r[1];
	run_for(RUN_NS);
	ck_assert_uint_gt(tregs(t.ctid).r[1], before);
	ck_assert_uint_eq(flags_of(t.C) & STOPPED_ALL, 0);
	expect_no_report(t.P, t.C);
	end_check();
}
END_TEST

/*
 * S06: the SIGCHLD record of C's stop, queued to T (which catches and
 * blocks SIGCHLD so that it stays queued), is taken by T's wait
 * (004:798-815); the detach leaves none behind (002:978-980: a record
 * still queued would be withdrawn; with the wait gate of §3.3 none is).
 */
START_TEST(s06_detach_sigchld_record)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");
	struct ps_siginfo q[4];
	size_t n = 0;

	t_set_action(t.T, PS_SIGCHLD, 0x1000, 0);
	block_sigchld(t.T);
	run_for(RUN_NS);
	pt_ok(t.T, PS_PT_ATTACH, t.C, NULL, 0);
	run_for(RUN_NS);
	ck_assert_int_eq(ps_sigqueue(t_sim, t.T, q, 4, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(q[0].signo, PS_SIGCHLD);
	ck_assert_int_eq(q[0].code, PS_CLD_TRAPPED);
	ck_assert_int_eq(q[0].pid, t.C);
	ck_assert_int_eq(q[0].status, PS_SIGSTOP);
	expect_wait(t.T, t.C, PS_W_STOPCODE(PS_SIGSTOP));
	ck_assert_uint_eq(sigchld_records(t.T, t.C), 0);
	pt_ok(t.T, PS_PT_DETACH, t.C, SAME, 0);
	ck_assert_uint_eq(sigchld_records(t.T, t.C), 0);
	ck_assert_int_eq(pinfo(t.C).pptr, t.P);
	end_check();
}
END_TEST

/*
 * S07 (A/B): P exits while C is traced; the detach gives C to init (its
 * real parent is gone, the orphan list dissolved; 001:919-928, §3.7).
 * Rev A's reparent runs with P_TRACED set: C lands on T's orphan list.
 * C then dies of SIGKILL and init reaps it.
 */
START_TEST(s07_detach_after_parent_died)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");

	run_for(RUN_NS);
	attach_stopped(t.T, t.C);
	ck_assert_int_eq(pinfo(t.C).orphan_of, t.P);
	ck_assert_int_eq(ps_exit(t_sim, t.P, 0), 0);
	ck_assert_int_eq(pinfo(t.C).orphan_of, 0);
	ck_assert_int_eq(pinfo(t.C).oppid, t.P); /* 2008: stale, not init's. */
	assert_trace_stopped(t.C, t.ctid, PS_SIGSTOP);

	pt_ok(t.T, PS_PT_DETACH, t.C, SAME, 0);
	struct ps_ptrace_info i = pinfo(t.C);
	ck_assert_int_eq(i.pptr, 1);
	ck_assert_int_eq(i.oppid, 0);
	ck_assert_uint_eq(i.flags & (PS_P_TRACED | STOPPED_ALL), 0);
	ck_assert_int_eq(i.orphan_of, REV_A ? t.T : 0);
	ck_assert_int_eq(i.realparent, REV_A ? t.T : 1);

	ck_assert_int_eq(ps_kill(t_sim, t.U, t.C, PS_SIGKILL), 0);
	run_for(RUN_NS);
	ck_assert_int_eq(t_state(t_sim, t.C), -1);
	long r = t_find(0, PS_EV_REAP, t.C, 0);
	ck_assert_int_ge(r, 0);
	ck_assert_int_eq(t_events.ev[r].pid2, 1);
	end_check();
}
END_TEST

/* S08: PT_ATTACH to oneself is EINVAL and changes nothing (001:744-748),
 * from a puppet and from a program (`sys ptrace` returns -EINVAL). */
START_TEST(s08_attach_self)
{
	use_rev(_i);
	prog("selfatt", "start:  sys getpid\n"
	                "        mov r9, r0\n"
	                "        sys ptrace 10, r9, 0, 0\n"
	                "        li r1, 0\n"
	                "        sub r0, r1, r0\n"
	                "        sys exit\n");
	struct tree t = mktree("selfatt");

	pt_err(t.T, PS_PT_ATTACH, t.T, NULL, 0, PS_EINVAL);
	struct ps_ptrace_info i = pinfo(t.T);
	ck_assert_uint_eq(i.flags & (PS_P_TRACED | STOPPED_ALL), 0);
	ck_assert_int_eq(i.oppid, 0);
	ck_assert_int_eq(i.pptr, 1);
	ck_assert_int_eq(i.xstat, 0);
	ck_assert_uint_eq(t_pinfo(t.T).siglist, 0);

	run_for(RUN_NS);
	expect_wait(t.P, t.C, PS_W_EXITCODE(-PS_EINVAL, 0));
	end_check();
}
END_TEST

/* S09: attaching an already traced process is EBUSY for its tracer, for
 * anyone else and for its real parent (001:750-754); nothing changes. */
START_TEST(s09_double_attach)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");

	run_for(RUN_NS);
	attach_stopped(t.T, t.C);
	pt_err(t.T, PS_PT_ATTACH, t.C, NULL, 0, PS_EBUSY);
	pt_err(t.U, PS_PT_ATTACH, t.C, NULL, 0, PS_EBUSY);
	pt_err(t.P, PS_PT_ATTACH, t.C, NULL, 0, PS_EBUSY);
	assert_trace_stopped(t.C, t.ctid, PS_SIGSTOP);
	ck_assert_int_eq(pinfo(t.C).pptr, t.T);
	ck_assert_int_eq(pinfo(t.C).oppid, t.P);
	ck_assert_uint_eq(t_pinfo(t.C).siglist, 0);
	end_check();
}
END_TEST

/*
 * S10: a traced caller may not attach to anything on its current parent
 * chain (001:756-764): C traced by P (PT_TRACE_ME) gets EINVAL for P and
 * G, 0 for U.  Variant: C2 attached by T may attach its original parent P
 * (not on T->init), but not T or init.
 */
START_TEST(s10_traced_no_attach_to_ancestors)
{
	use_rev(_i);
	struct tree t = mktree(NULL);

	/* C, traced, would trace-stop for the SIGCHLD of U's stop: blocked. */
	block_sigchld(t.C);
	pt_ok(t.C, PS_PT_TRACE_ME, 0, NULL, 0);
	pt_err(t.C, PS_PT_ATTACH, t.P, NULL, 0, PS_EINVAL);
	pt_err(t.C, PS_PT_ATTACH, t.G, NULL, 0, PS_EINVAL);
	ck_assert_uint_eq(flags_of(t.P) & PS_P_TRACED, 0);
	ck_assert_uint_eq(flags_of(t.G) & PS_P_TRACED, 0);
	pt_ok(t.C, PS_PT_ATTACH, t.U, NULL, 0);
	ck_assert_int_eq(pinfo(t.U).pptr, t.C);
	ck_assert_int_eq(pinfo(t.U).oppid, 1);
	expect_wait(t.C, t.U, PS_W_STOPCODE(PS_SIGSTOP)); /* A puppet stops at once. */
	assert_trace_stopped(t.U, tid_of(t.U), PS_SIGSTOP);

	/* Variant: traced by an unrelated debugger. */
	int32_t c2 = t_fork(t_sim, t.P);
	attach_stopped(t.T, c2);
	pt_ok(t.T, PS_PT_CONTINUE, c2, SAME, 0);
	pt_err(c2, PS_PT_ATTACH, t.T, NULL, 0, PS_EINVAL);
	pt_err(c2, PS_PT_ATTACH, 1, NULL, 0, PS_EINVAL);
	pt_ok(c2, PS_PT_ATTACH, t.P, NULL, 0);
	ck_assert_int_eq(pinfo(t.P).pptr, c2);
	ck_assert_int_eq(pinfo(t.P).oppid, t.G);
	ck_assert_uint_ne(flags_of(t.P) & PS_P_TRACED, 0);
	end_check();
}
END_TEST

/*
 * S11: an untraced C may attach to its own parent P (the walk is skipped,
 * 001:756-757): P's p_pptr is C while C's is P, a cycle.  C's wait reports
 * P's SIGSTOP stop.  D, C's child, does PT_TRACE_ME and attaches U: its
 * walk D->C->P->C->... must end (the seed would loop, 001:758; §3.3's
 * documented divergence) with U "not an ancestor": 0.  D's attach to C,
 * on the chain, is still EINVAL.
 */
START_TEST(s11_attach_parent_cycle)
{
	use_rev(_i);
	struct tree t = mktree(NULL);

	pt_ok(t.C, PS_PT_ATTACH, t.P, NULL, 0);
	ck_assert_int_eq(pinfo(t.P).pptr, t.C);
	ck_assert_int_eq(pinfo(t.P).oppid, t.G);
	ck_assert_int_eq(pinfo(t.P).orphan_of, t.G);
	ck_assert_int_eq(pinfo(t.P).realparent, t.G);
	ck_assert_int_eq(pinfo(t.C).pptr, t.P);
	expect_wait(t.C, t.P, PS_W_STOPCODE(PS_SIGSTOP));
	assert_trace_stopped(t.P, tid_of(t.P), PS_SIGSTOP);

	int32_t d = t_fork(t_sim, t.C);
	block_sigchld(d); /* As in S10: D is traced. */
	pt_ok(d, PS_PT_TRACE_ME, 0, NULL, 0);
	ck_assert_int_eq(pinfo(d).oppid, t.C);
	pt_err(d, PS_PT_ATTACH, t.C, NULL, 0, PS_EINVAL);
	pt_ok(d, PS_PT_ATTACH, t.U, NULL, 0);
	ck_assert_int_eq(pinfo(t.U).pptr, d);
	ck_assert_uint_ne(flags_of(t.U) & PS_P_TRACED, 0);
	expect_wait(d, t.U, PS_W_STOPCODE(PS_SIGSTOP));
	/* inferior() walks parents through the cycle too, and ends. */
	ck_assert_int_eq(ps_inferior(t_sim, t.U, d), 0);
	ck_assert_int_eq(ps_inferior(t_sim, t.P, d), 1);
	end_check();
}
END_TEST

/* S12: requests on an untraced target are EPERM (001:777-781). */
START_TEST(s12_untraced_target)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");

	run_for(RUN_NS);
	pt_err(t.T, PS_PT_READ_D, t.C, ADDR(TEXT), 0, PS_EPERM);
	pt_err(t.T, PS_PT_DETACH, t.C, SAME, 0, PS_EPERM);
	pt_err(t.T, PS_PT_KILL, t.C, NULL, 0, PS_EPERM);
	pt_err(t.P, PS_PT_CONTINUE, t.C, SAME, 0, PS_EPERM);
	/* Unknown and machine-dependent requests pass the same checks first
	 * (§3.3, 001:1193-1203). */
	pt_err(t.T, 24, t.C, NULL, 1, PS_EPERM);
	pt_err(t.T, PS_PT_FIRSTMACH, t.C, NULL, 0, PS_EPERM);
	ck_assert_uint_eq(flags_of(t.C) & (PS_P_TRACED | STOPPED_ALL), 0);
	ck_assert_int_eq(pinfo(t.C).holds, 0);
	end_check();
}
END_TEST

/* S13: a tracee traced by someone else: EBUSY for U's PT_READ_D and for
 * P's PT_CONTINUE (001:783-787). */
START_TEST(s13_traced_by_someone_else)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");

	run_for(RUN_NS);
	attach_stopped(t.T, t.C);
	pt_err(t.U, PS_PT_READ_D, t.C, ADDR(TEXT), 0, PS_EBUSY);
	pt_err(t.P, PS_PT_CONTINUE, t.C, SAME, 0, PS_EBUSY);
	assert_trace_stopped(t.C, t.ctid, PS_SIGSTOP);
	ck_assert_uint_eq(peek(t.T, PS_PT_READ_D, t.C, TEXT), 0x0102);
	end_check();
}
END_TEST

/*
 * S14: lookups and copy-in order: no such pid, a zombie, no such thread id
 * are ESRCH (001:676-692); PT_IO with a NULL descriptor is EFAULT even for
 * no such pid (copy-in first, 001:567-578); a process with P_WEXIT is
 * ESRCH (001:696-699; exit is atomic at the API, so P_WEXIT is set by hand).
 */
START_TEST(s14_lookup_failures)
{
	use_rev(_i);
	struct tree t = mktree(NULL);
	struct ps_regs r;

	ck_assert_int_eq(ps_pfind(t_sim, 99998), PS_ESRCH);
	pt_err(t.T, PS_PT_ATTACH, 99998, NULL, 0, PS_ESRCH);
	int32_t z = t_fork(t_sim, t.T);
	ck_assert_int_eq(ps_exit(t_sim, z, 0), 0);
	ck_assert_int_eq(t_state(t_sim, z), PS_PRS_ZOMBIE);
	pt_err(t.T, PS_PT_GETREGS, z, &r, 0, PS_ESRCH);
	pt_err(t.T, PS_PT_ATTACH, z, NULL, 0, PS_ESRCH);
	ck_assert_int_eq(ps_pfind_tid(t_sim, 100500), PS_ESRCH);
	pt_err(t.T, PS_PT_SUSPEND, 100500, NULL, 0, PS_ESRCH);
	pt_err(t.T, PS_PT_IO, 99998, NULL, 0, PS_EFAULT);
	pt_err(t.T, PS_PT_SETREGS, 99998, NULL, 0, PS_EFAULT);
	/* PT_GETREGS copies out only on success: the lookup fails first. */
	pt_err(t.T, PS_PT_GETREGS, 99998, NULL, 0, PS_ESRCH);

	/* P_WEXIT: checked before p_cansee and everything else. */
	struct kernel *k = ps__kernel(t_sim);
	struct proc *p = pfind_any_nolock(k, t.C);
	ck_assert_ptr_nonnull(p);
	p->p_flag |= P_WEXIT;
	pt_err(t.T, PS_PT_ATTACH, t.C, NULL, 0, PS_ESRCH);
	p->p_flag &= ~P_WEXIT;
	ck_assert_uint_eq(flags_of(t.C) & PS_P_TRACED, 0);
	ck_assert_int_eq(pinfo(t.C).holds, 0);
	/* A thread id names its process: attach by tid works. */
	pt_ok(t.T, PS_PT_ATTACH, t.ctid, NULL, 0);
	ck_assert_int_eq(pinfo(t.C).pptr, t.T);
	expect_wait(t.T, t.C, PS_W_STOPCODE(PS_SIGSTOP));
	end_check();
}
END_TEST

/*
 * S15 and the credential policy (Phase 3, A.8): a system process is
 * EINVAL for root (001:709-712) but EPERM from p_candebug for an
 * unprivileged caller; init at securelevel 1 is EPERM, at 0 p_candebug
 * passes.  Another user's process: EPERM from p_candebug.
 */
START_TEST(s15_system_and_policy)
{
	use_rev(_i);
	struct tree t = mktree(NULL);

	pt_err(t.T, PS_PT_ATTACH, 0, NULL, 0, PS_EINVAL);
	set_cred(t.T, 1000);
	pt_err(t.T, PS_PT_ATTACH, 0, NULL, 0, PS_EPERM);
	set_cred(t.T, 0);

	ck_assert_int_eq(ps_set_securelevel(t_sim, 1), 0);
	pt_err(t.T, PS_PT_ATTACH, 1, NULL, 0, PS_EPERM);
	ck_assert_int_eq(ps_p_candebug(t_sim, t.T, 1), PS_EPERM);
	ck_assert_uint_eq(flags_of(1) & PS_P_TRACED, 0);
	ck_assert_int_eq(ps_set_securelevel(t_sim, 0), 0);
	ck_assert_int_eq(ps_p_candebug(t_sim, t.T, 1), 0);
	/* Past p_candebug, the default checks: init is not traced. */
	pt_err(t.T, PS_PT_READ_D, 1, ADDR(TEXT), 0, PS_EPERM);

	/* Another user's process. */
	set_cred(t.T, 1000);
	set_cred(t.C, 2000);
	ck_assert_int_eq(ps_p_candebug(t_sim, t.T, t.C), PS_EPERM);
	pt_err(t.T, PS_PT_ATTACH, t.C, NULL, 0, PS_EPERM);
	ck_assert_uint_eq(flags_of(t.C) & PS_P_TRACED, 0);
	ck_assert_int_eq(pinfo(t.C).pptr, t.P);
	/* Same uid: allowed. */
	set_cred(t.C, 1000);
	pt_ok(t.T, PS_PT_ATTACH, t.C, NULL, 0);
	expect_wait(t.T, t.C, PS_W_STOPCODE(PS_SIGSTOP));
	end_check();
}
END_TEST

/* S15 / A.8: with security.bsd.see_other_uids 0, another user's process is
 * invisible: p_cansee's ESRCH comes before p_candebug's EPERM. */
START_TEST(s15_other_uid_invisible)
{
	use_cfg(_i, PS_EXIT_2008, 0);
	struct tree t = mktree(NULL);

	set_cred(t.T, 1000);
	set_cred(t.C, 2000);
	pt_err(t.T, PS_PT_ATTACH, t.C, NULL, 0, PS_ESRCH);
	pt_err(t.T, PS_PT_READ_D, t.C, ADDR(TEXT), 0, PS_ESRCH);
	ck_assert_uint_eq(flags_of(t.C) & PS_P_TRACED, 0);
	/* Root still sees and may debug it. */
	pt_ok(t.U, PS_PT_ATTACH, t.C, NULL, 0);
	expect_wait(t.U, t.C, PS_W_STOPCODE(PS_SIGSTOP));
	end_check();
}
END_TEST

/* ====================================================================== */
/* §9.2 Resuming, signals, stepping, killing                               */
/* ====================================================================== */

/*
 * S16: PT_CONTINUE with and without a signal.  After the attach stop,
 * PT_CONTINUE(1, 0) leaves p_xstat 0, no p_xthread, no stop bits, TDB_XSIG
 * clear, td_xsig 0 (001:942-961).  U's SIGUSR1 then trace-stops C;
 * PT_LWPINFO shows it with its siginfo (001:1111-1126).  A signal out of
 * range is EINVAL and C stays stopped and waited (001:883-887); continued
 * with 0 the signal is discarded (the handler does not run), continued
 * with SIGUSR1 the handler runs.
 */
START_TEST(s16_continue_with_and_without_signal)
{
	use_rev(_i);
	prog("usr1", USR1_TEXT);
	struct tree t = mktree("usr1");
	uint64_t count = sym("usr1", "count");
	uint64_t v = 99;

	run_for(RUN_NS);
	attach_stopped(t.T, t.C);
	pt_ok(t.T, PS_PT_CONTINUE, t.C, SAME, 0);
	assert_resumed(t.C, t.ctid, 0);

	/* First SIGUSR1: discarded by the debugger. */
	ck_assert_int_eq(ps_kill(t_sim, t.U, t.C, PS_SIGUSR1), 0);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, PS_W_STOPCODE(PS_SIGUSR1));
	assert_trace_stopped(t.C, t.ctid, PS_SIGUSR1);
	struct ps_ptrace_lwpinfo pl = lwpinfo(t.T, t.C);
	ck_assert_int_eq(pl.pl_lwpid, t.ctid);
	ck_assert_int_eq(pl.pl_event, PS_PL_EVENT_SIGNAL);
	ck_assert_int_eq(pl.pl_flags, PS_PL_FLAG_SI);
	ck_assert_int_eq(pl.pl_siginfo.signo, PS_SIGUSR1);
	ck_assert_int_eq(pl.pl_siginfo.code, PS_SI_USER);
	ck_assert_uint_eq(pl.pl_syscall_code, 0);
	/* Too small for pl_siginfo: no PL_FLAG_SI (001:1113-1126). */
	struct ps_ptrace_lwpinfo small;
	memset(&small, 0, sizeof(small));
	pt_ok(t.T, PS_PT_LWPINFO, t.C, &small, (int)offsetof(struct ps_ptrace_lwpinfo, pl_siginfo));
	ck_assert_int_eq(small.pl_event, PS_PL_EVENT_SIGNAL);
	ck_assert_int_eq(small.pl_flags, 0);

	/* (c) out of range: refused, nothing changes. */
	pt_err(t.T, PS_PT_CONTINUE, t.C, SAME, 129, PS_EINVAL);
	pt_err(t.T, PS_PT_CONTINUE, t.C, SAME, -1, PS_EINVAL);
	assert_trace_stopped(t.C, t.ctid, PS_SIGUSR1);
	(void)getregs(t.T, t.C);

	/* (b) continued with 0: discarded. */
	pt_ok(t.T, PS_PT_CONTINUE, t.C, SAME, 0);
	run_for(RUN_NS);
	expect_no_report(t.T, t.C);
	ck_assert_int_eq(ps_mem_read(t_sim, t.C, count, &v, 8, NULL), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_uint_eq(t_pinfo(t.C).siglist, 0);

	/* (a) continued with SIGUSR1: the handler runs once. */
	ck_assert_int_eq(ps_kill(t_sim, t.U, t.C, PS_SIGUSR1), 0);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, PS_W_STOPCODE(PS_SIGUSR1));
	pt_ok(t.T, PS_PT_CONTINUE, t.C, SAME, PS_SIGUSR1);
	assert_resumed(t.C, t.ctid, PS_SIGUSR1);
	run_for(RUN_NS);
	expect_no_report(t.T, t.C);
	ck_assert_int_eq(ps_mem_read(t_sim, t.C, count, &v, 8, NULL), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_uint_eq(flags_of(t.C) & STOPPED_ALL, 0);

	/* Another replacement (§3.6): SIGTERM instead of SIGUSR1 kills it;
	 * the handler does not run. */
	ck_assert_int_eq(ps_kill(t_sim, t.U, t.C, PS_SIGUSR1), 0);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, PS_W_STOPCODE(PS_SIGUSR1));
	pt_ok(t.T, PS_PT_CONTINUE, t.C, SAME, PS_SIGTERM);
	run_for(RUN_NS);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DELIVER, t.C, PS_SIGUSR1), 1);
	expect_wait(t.T, t.C, PS_SIGTERM);
	end_check();
}
END_TEST

/*
 * §3.6 with a stop signal as the replacement: a traced process that gets
 * SIGSTOP back from its debugger does not stop again by job control (the
 * trace stop was its stop; issignal's "if traced ... == ignore" for
 * SA_STOP [EXT]): it runs on, and nothing is reported.  PT_DETACH from a
 * trace stop with SIGSTOP as the signal, on the other hand, hands an
 * untraced process a stop signal: it stops by job control and its real
 * parent's WUNTRACED wait sees it.
 */
START_TEST(s16_continue_with_sigstop)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");

	run_for(RUN_NS);
	attach_stopped(t.T, t.C);
	uint64_t r1 = getregs(t.T, t.C).r[1];
	pt_ok(t.T, PS_PT_CONTINUE, t.C, SAME, PS_SIGSTOP);
	assert_resumed(t.C, t.ctid, PS_SIGSTOP);
	run_for(RUN_NS);
	ck_assert_uint_eq(flags_of(t.C) & (PS_P_TRACED | STOPPED_ALL), PS_P_TRACED);
	ck_assert_uint_gt(tregs(t.ctid).r[1], r1);
	ck_assert_uint_eq(t_pinfo(t.C).siglist, 0);
	expect_no_report(t.T, t.C);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DISCARD, t.C, PS_SIGSTOP), 1);

	ck_assert_int_eq(ps_kill(t_sim, t.U, t.C, PS_SIGSTOP), 0);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, PS_W_STOPCODE(PS_SIGSTOP));
	pt_ok(t.T, PS_PT_DETACH, t.C, SAME, PS_SIGSTOP);
	run_for(RUN_NS);
	struct ps_ptrace_info i = pinfo(t.C);
	ck_assert_uint_eq(i.flags & (PS_P_TRACED | STOPPED_ALL), PS_P_STOPPED_SIG);
	ck_assert_int_eq(i.pptr, t.P);
	ck_assert_int_eq(i.xstat, PS_SIGSTOP);
	expect_no_report(t.P, t.C);
	ck_assert_int_eq(ps_wait(t_sim, t.P, t.C, PS_WNOHANG | PS_WUNTRACED, NULL), t.C);
	end_check();
}
END_TEST

/*
 * S17: PT_CONTINUE to a new pc: td2's pc is set before it resumes
 * (001:899-904); with addr 1 it is untouched; a pc the machine refuses (not
 * 8-aligned) is the setter's EINVAL and C stays stopped and waited.
 * Continued at `other`, C exits 42; T reaps it, then P (p_oppid) does.
 */
START_TEST(s17_continue_new_pc)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");
	uint64_t other = sym("loop", "other");

	run_for(RUN_NS);
	attach_stopped(t.T, t.C);
	uint64_t pc0 = getregs(t.T, t.C).pc;
	ck_assert(pc0 == sym("loop", "loop") || pc0 == sym("loop", "loop") + 8);

	pt_err(t.T, PS_PT_CONTINUE, t.C, ADDR(other + 4), 0, PS_EINVAL);
	assert_trace_stopped(t.C, t.ctid, PS_SIGSTOP);
	ck_assert_uint_eq(getregs(t.T, t.C).pc, pc0);

	pt_ok(t.T, PS_PT_CONTINUE, t.C, SAME, 0);
	ck_assert_uint_eq(tregs(t.ctid).pc, pc0);
	ck_assert_int_eq(ps_kill(t_sim, t.U, t.C, PS_SIGSTOP), 0);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, PS_W_STOPCODE(PS_SIGSTOP));

	pt_ok(t.T, PS_PT_CONTINUE, t.C, ADDR(other), 0);
	ck_assert_uint_eq(tregs(t.ctid).pc, other);
	assert_resumed(t.C, t.ctid, 0);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, PS_W_EXITCODE(42, 0));
	expect_wait(t.P, t.C, PS_W_EXITCODE(42, 0));
	ck_assert_int_eq(t_state(t_sim, t.C), -1);
	end_check();
}
END_TEST

/*
 * S18: PT_STEP runs one instruction and stops with SIGTRAP; its addr is
 * ignored (001:890-894); a bad signal is EINVAL before the step is armed
 * (001:883-891).  The loop is put at a known place with PT_SETREGS.
 */
START_TEST(s18_step)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");
	uint64_t loop = sym("loop", "loop");

	run_for(RUN_NS);
	attach_stopped(t.T, t.C);
	struct ps_regs r = getregs(t.T, t.C);
	r.pc = loop;
	r.r[1] = 100;
	pt_ok(t.T, PS_PT_SETREGS, t.C, &r, 0);
	ck_assert_uint_ne(tdbg(t.ctid).dbgflags & PS_TDB_USERWR, 0);

	pt_ok(t.T, PS_PT_STEP, t.C, SAME, 0);
	ck_assert_uint_ne(tdbg(t.ctid).dbgflags & PS_TDB_STEP, 0);
	assert_resumed(t.C, t.ctid, 0);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, 0x57f);
	assert_trace_stopped(t.C, t.ctid, PS_SIGTRAP);
	ck_assert_uint_eq(tdbg(t.ctid).dbgflags & PS_TDB_STEP, 0);
	r = getregs(t.T, t.C);
	ck_assert_uint_eq(r.pc, loop + 8);
	ck_assert_uint_eq(r.r[1], 101);

	/* addr is ignored: the step is from the current pc (the branch). */
	pt_ok(t.T, PS_PT_STEP, t.C, ADDR(sym("loop", "other")), 0);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, 0x57f);
	r = getregs(t.T, t.C);
	ck_assert_uint_eq(r.pc, loop);
	ck_assert_uint_eq(r.r[1], 101);

	/* Signal out of range: nothing armed, still stopped and waited. */
	pt_err(t.T, PS_PT_STEP, t.C, SAME, 200, PS_EINVAL);
	ck_assert_uint_eq(tdbg(t.ctid).dbgflags & PS_TDB_STEP, 0);
	assert_trace_stopped(t.C, t.ctid, PS_SIGTRAP);
	ck_assert_uint_eq(getregs(t.T, t.C).pc, loop);
	end_check();
}
END_TEST

/*
 * S19: PT_KILL: p_xstat and td2's td_xsig SIGKILL, stop bits cleared
 * (001:1059-1061, 942-961); T's wait reports the SIGKILL death, then the
 * zombie goes back to P (p_oppid), which reaps it (004:720-735).  On a
 * running tracee PT_KILL is EBUSY (001:789-795).
 */
START_TEST(s19_kill)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");

	run_for(RUN_NS);
	attach_stopped(t.T, t.C);
	pt_ok(t.T, PS_PT_KILL, t.C, NULL, 0);
	assert_resumed(t.C, t.ctid, PS_SIGKILL);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, PS_SIGKILL);
	expect_wait(t.P, t.C, PS_SIGKILL);
	ck_assert_int_eq(t_state(t_sim, t.C), -1);

	/* Variant: running. */
	int32_t c2 = spawn(t.P, "loop");
	run_for(RUN_NS);
	attach_stopped(t.T, c2);
	pt_ok(t.T, PS_PT_CONTINUE, c2, SAME, 0);
	run_for(RUN_NS);
	pt_err(t.T, PS_PT_KILL, c2, NULL, 0, PS_EBUSY);
	ck_assert_uint_eq(flags_of(c2) & STOPPED_ALL, 0);
	ck_assert_int_eq(t_state(t_sim, c2), PS_PRS_NORMAL);
	end_check();
}
END_TEST

/*
 * S20: the tracer exits while C is stopped and waited: C loses P_TRACED
 * and P_STOPPED_TRACE, is reparented and gets SIGKILL (A.5).  With the
 * default exit_compat (2008, 004:426-438) the new parent is init.  C keeps
 * p_oppid P, so init's wait hands the zombie back to P (004:720-735, A.3),
 * and P's wait reports WTERMSIG SIGKILL.
 */
START_TEST(s20_tracer_exits_2008)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");

	run_for(RUN_NS);
	attach_stopped(t.T, t.C);
	ck_assert_int_eq(ps_exit(t_sim, t.T, 0), 0);
	struct ps_ptrace_info i = pinfo(t.C);
	ck_assert_uint_eq(i.flags & (PS_P_TRACED | PS_P_STOPPED_TRACE), 0);
	ck_assert_int_eq(i.pptr, 1);
	ck_assert_int_eq(i.oppid, t.P);
	ck_assert_uint_ne(t_pinfo(t.C).siglist & SIGBIT(PS_SIGKILL), 0);
	run_for(RUN_NS);
	long e = t_find(0, PS_EV_EXIT, t.C, 0);
	ck_assert_int_ge(e, 0);
	ck_assert_int_eq(t_events.ev[e].value, PS_SIGKILL);
	ck_assert_int_eq(t_state(t_sim, t.C), PS_PRS_ZOMBIE);
	ck_assert_int_eq(pinfo(t.C).pptr, t.P);
	expect_wait(t.P, t.C, PS_SIGKILL);
	ck_assert_int_eq(t_state(t_sim, t.C), -1);
	end_check();
}
END_TEST

/* S20 with exit_compat PS_EXIT_MODERN (the 10.x era): C goes back to its
 * real parent P, whose wait reports WTERMSIG SIGKILL. */
START_TEST(s20_tracer_exits_modern)
{
	use_cfg(_i, PS_EXIT_MODERN, 1);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");

	run_for(RUN_NS);
	attach_stopped(t.T, t.C);
	ck_assert_int_eq(ps_exit(t_sim, t.T, 0), 0);
	struct ps_ptrace_info i = pinfo(t.C);
	ck_assert_uint_eq(i.flags & (PS_P_TRACED | PS_P_STOPPED_TRACE), 0);
	ck_assert_int_eq(i.pptr, t.P);
	ck_assert_uint_eq(tdbg(t.ctid).dbgflags & PS_TDB_SUSPEND, 0);
	run_for(RUN_NS);
	expect_wait(t.P, t.C, PS_SIGKILL);
	end_check();
}
END_TEST

/*
 * S21: PT_DETACH with SIGTERM: C back under P with SIGTERM as td2's
 * replacement signal (001:919-930, 946-947); it dies of it and P's wait
 * reports WTERMSIG SIGTERM.  With data 0 C simply runs on.
 */
START_TEST(s21_detach_with_signal)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");

	run_for(RUN_NS);
	attach_stopped(t.T, t.C);
	pt_ok(t.T, PS_PT_DETACH, t.C, SAME, PS_SIGTERM);
	ck_assert_int_eq(pinfo(t.C).pptr, t.P);
	assert_resumed(t.C, t.ctid, PS_SIGTERM);
	run_for(RUN_NS);
	expect_wait(t.P, t.C, PS_SIGTERM);

	int32_t c2 = spawn(t.P, "loop");
	int32_t tid2 = tid_of(c2);
	run_for(RUN_NS);
	attach_stopped(t.T, c2);
	pt_ok(t.T, PS_PT_DETACH, c2, SAME, 0);
	assert_resumed(c2, tid2, 0);
	uint64_t before = tregs(tid2).r[1];
	run_for(RUN_NS);
	ck_assert_uint_gt(tregs(tid2).r[1], before);
	expect_no_report(t.P, c2);
	ck_assert_int_eq(t_state(t_sim, c2), PS_PRS_NORMAL);
	end_check();
}
END_TEST

/*
 * S22: PT_ATTACH to a process stopped by SIGTSTP (P_STOPPED_SIG, not
 * traced): the stopped branch of sendsig clears the stop bits and
 * P_WAITED, unsuspends the thread and posts SIGSTOP (001:944-963); C then
 * trace-stops and T's wait reports SIGSTOP.
 */
START_TEST(s22_attach_job_stopped)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");

	run_for(RUN_NS);
	ck_assert_int_eq(ps_kill(t_sim, t.P, t.C, PS_SIGTSTP), 0);
	run_for(RUN_NS);
	ck_assert_uint_eq(flags_of(t.C) & (PS_P_TRACED | STOPPED_ALL), PS_P_STOPPED_SIG);
	ck_assert_int_eq(tdbg(t.ctid).suspended, 1);

	t_clear_events();
	pt_ok(t.T, PS_PT_ATTACH, t.C, NULL, 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.C, 0), 1); /* Exactly one SIGSTOP. */
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.C, PS_SIGSTOP), 1);
	struct ps_ptrace_info i = pinfo(t.C);
	ck_assert_uint_eq(i.flags & (PS_P_TRACED | STOPPED_ALL), PS_P_TRACED);
	ck_assert_int_eq(i.xstat, PS_SIGSTOP);
	ck_assert_int_eq(i.xthread, 0);
	ck_assert_int_eq(tdbg(t.ctid).suspended, 0);
	ck_assert_int_eq(tdbg(t.ctid).xsig, PS_SIGSTOP);
	ck_assert_uint_ne(t_pinfo(t.C).siglist & SIGBIT(PS_SIGSTOP), 0);

	run_for(RUN_NS);
	expect_wait(t.T, t.C, PS_W_STOPCODE(PS_SIGSTOP));
	assert_trace_stopped(t.C, t.ctid, PS_SIGSTOP);
	end_check();
}
END_TEST

/*
 * S23 (A/B): PT_SYSCALL sets S_PT_SCE|S_PT_SCX (001:912-913); C stops at
 * the entry of its next call (PL_FLAG_SCE; rev B names getpid,
 * 002:1233-1235); PT_CONTINUE keeps p_stops (001:895-916) so it stops again
 * at that call's exit (PL_FLAG_SCX, r0 the result).  PT_DETACH: rev B
 * zeroes p_stops (002:993), rev A keeps both bits, and a later attach in
 * rev A gets syscall stops with no new PT_SYSCALL.
 */
START_TEST(s23_sticky_syscall_stops)
{
	use_rev(_i);
	prog("sysloop", SYSLOOP_TEXT);
	struct tree t = mktree("sysloop");
	struct ps_ptrace_lwpinfo pl;

	run_for(RUN_NS);
	attach_stopped(t.T, t.C);
	pt_ok(t.T, PS_PT_SYSCALL, t.C, SAME, 0);
	ck_assert_uint_eq(pinfo(t.C).stops, PS_S_PT_SCE | PS_S_PT_SCX);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, 0x57f);
	assert_trace_stopped(t.C, t.ctid, PS_SIGTRAP);
	ck_assert_uint_eq(getregs(t.T, t.C).pc, TEXT + 8);
	pl = lwpinfo(t.T, t.C);
	ck_assert_int_eq(pl.pl_event, PS_PL_EVENT_SIGNAL);
	ck_assert_int_eq(pl.pl_flags, PS_PL_FLAG_SCE);
	ck_assert_uint_eq(pl.pl_syscall_code, REV_A ? 0 : PS_SYSNO_getpid);
	ck_assert_uint_eq(pl.pl_syscall_narg, 0);
	ck_assert_uint_ne(tdbg(t.ctid).dbgflags & PS_TDB_SCE, 0);
	ck_assert_int_eq(tdbg(t.ctid).sc_code, PS_SYSNO_getpid);
	/* Rev A's PT_LWPINFO is shorter: rev B's size is EINVAL there. */
	pt_err(t.T, PS_PT_LWPINFO, t.C, &pl, (int)PS_PT_LWPINFO_SIZE_B, REV_A ? PS_EINVAL : 0);

	pt_ok(t.T, PS_PT_CONTINUE, t.C, SAME, 0);
	ck_assert_uint_eq(pinfo(t.C).stops, PS_S_PT_SCE | PS_S_PT_SCX);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, 0x57f);
	pl = lwpinfo(t.T, t.C);
	ck_assert_int_eq(pl.pl_flags, PS_PL_FLAG_SCX);
	ck_assert_uint_eq(pl.pl_syscall_code, REV_A ? 0 : PS_SYSNO_getpid);
	struct ps_regs r = getregs(t.T, t.C);
	ck_assert_uint_eq(r.r[0], (uint64_t)t.C);
	ck_assert_uint_eq(r.pc, TEXT + 8);

	pt_ok(t.T, PS_PT_DETACH, t.C, SAME, 0);
	ck_assert_uint_eq(pinfo(t.C).stops, REV_A ? PS_S_PT_SCE | PS_S_PT_SCX : 0);
	run_for(RUN_NS);
	expect_no_report(t.P, t.C);
	ck_assert_uint_eq(flags_of(t.C) & STOPPED_ALL, 0);

	/* Re-attach: the SIGSTOP stop, then (rev A only) a syscall stop. */
	attach_stopped(t.T, t.C);
	pt_ok(t.T, PS_PT_CONTINUE, t.C, SAME, 0);
	run_for(RUN_NS);
	if (REV_A) {
		expect_wait(t.T, t.C, 0x57f);
		pl = lwpinfo(t.T, t.C);
		ck_assert_int_eq(pl.pl_flags, PS_PL_FLAG_SCE);
	} else {
		expect_no_report(t.T, t.C);
		ck_assert_uint_eq(pinfo(t.C).stops, 0);
	}
	end_check();
}
END_TEST

/*
 * S23 with the single-sided requests (001:905-911): PT_TO_SCX sets only
 * S_PT_SCX, so C stops at the exit of its next call (PL_FLAG_SCX, r0 the
 * result) and never at an entry; PT_TO_SCE adds S_PT_SCE (p_stops only
 * grows, §10 item 10).  At an entry stop the call has not been made: a
 * PT_SETREGS there changes its arguments (A.1: TDB_USERWR, the arguments
 * are read again), so `sys exit 1` exits 9.
 */
#define SCE_TEXT                                                                                   \
	"start:  sys getpid\n"                                                                     \
	"        sys getpid\n"                                                                     \
	"        sys exit 1\n"

START_TEST(s23_to_scx_then_to_sce)
{
	use_rev(_i);
	prog("sce", SCE_TEXT);
	struct tree t = mktree("sce");
	struct ps_ptrace_lwpinfo pl;
	struct ps_regs r;

	pt_ok(t.T, PS_PT_ATTACH, t.C, NULL, 0);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, PS_W_STOPCODE(PS_SIGSTOP));
	ck_assert_uint_eq(getregs(t.T, t.C).pc, TEXT);

	pt_ok(t.T, PS_PT_TO_SCX, t.C, SAME, 0);
	ck_assert_uint_eq(pinfo(t.C).stops, PS_S_PT_SCX);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, 0x57f);
	pl = lwpinfo(t.T, t.C);
	ck_assert_int_eq(pl.pl_flags, PS_PL_FLAG_SCX);
	ck_assert_uint_eq(pl.pl_syscall_code, REV_A ? 0 : PS_SYSNO_getpid);
	r = getregs(t.T, t.C);
	ck_assert_uint_eq(r.pc, TEXT + 8);
	ck_assert_uint_eq(r.r[0], (uint64_t)t.C);

	pt_ok(t.T, PS_PT_TO_SCE, t.C, SAME, 0);
	ck_assert_uint_eq(pinfo(t.C).stops, PS_S_PT_SCE | PS_S_PT_SCX);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, 0x57f);
	pl = lwpinfo(t.T, t.C);
	ck_assert_int_eq(pl.pl_flags, PS_PL_FLAG_SCE);
	r = getregs(t.T, t.C);
	ck_assert_uint_eq(r.pc, TEXT + 16);
	/* A syscall stop drops the replacement signal (§3.6). */
	pt_ok(t.T, PS_PT_CONTINUE, t.C, SAME, PS_SIGTERM);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, 0x57f);
	ck_assert_int_eq(lwpinfo(t.T, t.C).pl_flags, PS_PL_FLAG_SCX);
	ck_assert_uint_eq(getregs(t.T, t.C).r[0], (uint64_t)t.C);

	/* `sys exit 1`: li r0, 1 then the trap; at its entry r0 is 1. */
	pt_ok(t.T, PS_PT_CONTINUE, t.C, SAME, 0);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, 0x57f);
	pl = lwpinfo(t.T, t.C);
	ck_assert_int_eq(pl.pl_flags, PS_PL_FLAG_SCE);
	ck_assert_uint_eq(pl.pl_syscall_code, REV_A ? 0 : PS_SYSNO_exit);
	ck_assert_uint_eq(pl.pl_syscall_narg, REV_A ? 0 : 1);
	r = getregs(t.T, t.C);
	ck_assert_uint_eq(r.r[0], 1);
	r.r[0] = 9;
	pt_ok(t.T, PS_PT_SETREGS, t.C, &r, 0);
	pt_ok(t.T, PS_PT_CONTINUE, t.C, SAME, 0);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, PS_W_EXITCODE(9, 0));
	expect_wait(t.P, t.C, PS_W_EXITCODE(9, 0));
	end_check();
}
END_TEST

/*
 * S24: PT_FOLLOW_FORK needs a stopped, waited tracee (EBUSY while it
 * runs); data 1 sets P_FOLLOWFORK, 0 clears it (001:870-875).  With it
 * set, C's fork is reported in C (SIGTRAP, PL_FLAG_FORKED | PL_FLAG_SCX,
 * pl_child_pid; rev B names fork) and the child D is born traced by T
 * (p_oppid C) and stops with SIGSTOP, PL_FLAG_CHILD | PL_FLAG_SCX (A.1,
 * §3.5.5).  D's exit goes to T, then back to C (p_oppid, A.3), whose wait4
 * returns it; C exits with D's status, which T, then P, collect.  (C calls
 * wait4 only once D is back: the 2008 wait does not look at the orphan
 * list, so while T has D, C would get ECHILD.  C blocks SIGCHLD, which a
 * traced process would otherwise stop for.)
 */
#define FORKER_TEXT                                                                                \
	"start:  sys sigprocmask 1, 0x80000\n"                                                     \
	"        sys fork\n"                                                                       \
	"after:  bnez r0, parent\n"                                                                \
	"        sys exit 7\n"                                                                     \
	"parent: mov r9, r0\n"                                                                     \
	"        sys wait4 r9, status, 0, 0\n"                                                     \
	"        ldw r2, [status]\n"                                                               \
	"        shr r0, r2, 8\n"                                                                  \
	"        sys exit\n"                                                                       \
	"        .data\n"                                                                          \
	"        .align 8\n"                                                                       \
	"status: .quad 0\n"

START_TEST(s24_follow_fork)
{
	use_rev(_i);
	prog("forker", FORKER_TEXT);
	struct tree t = mktree("forker");
	uint64_t after = sym("forker", "after");
	int32_t kids[8];

	pt_ok(t.T, PS_PT_ATTACH, t.C, NULL, 0); /* Before it ran at all. */
	pt_err(t.T, PS_PT_FOLLOW_FORK, t.C, NULL, 1, PS_EBUSY);
	ck_assert_uint_eq(flags_of(t.C) & PS_P_FOLLOWFORK, 0);
	run_for(RUN_NS);
	expect_wait(t.T, t.C, PS_W_STOPCODE(PS_SIGSTOP));
	ck_assert_uint_eq(getregs(t.T, t.C).pc, TEXT);
	pt_ok(t.T, PS_PT_FOLLOW_FORK, t.C, NULL, 1);
	ck_assert_uint_ne(flags_of(t.C) & PS_P_FOLLOWFORK, 0);
	pt_ok(t.T, PS_PT_FOLLOW_FORK, t.C, NULL, 0);
	ck_assert_uint_eq(flags_of(t.C) & PS_P_FOLLOWFORK, 0);
	pt_ok(t.T, PS_PT_FOLLOW_FORK, t.C, NULL, 1);
	assert_trace_stopped(t.C, t.ctid, PS_SIGSTOP);

	pt_ok(t.T, PS_PT_CONTINUE, t.C, SAME, 0);
	run_for(RUN_NS);
	/* The parent's report. */
	expect_wait(t.T, t.C, 0x57f);
	assert_trace_stopped(t.C, t.ctid, PS_SIGTRAP);
	struct ps_ptrace_lwpinfo pl = lwpinfo(t.T, t.C);
	ck_assert_int_eq(pl.pl_event, PS_PL_EVENT_SIGNAL);
	ck_assert_int_eq(pl.pl_flags, PS_PL_FLAG_FORKED | PS_PL_FLAG_SCX);
	int32_t d = pl.pl_child_pid;
	ck_assert_int_gt(d, t.C);
	ck_assert_uint_eq(pl.pl_syscall_code, REV_A ? 0 : PS_SYSNO_fork);
	struct ps_regs r = getregs(t.T, t.C);
	ck_assert_uint_eq(r.r[0], (uint64_t)d);
	ck_assert_uint_eq(r.pc, after);
	ck_assert_uint_ne(tdbg(t.ctid).dbgflags & PS_TDB_FORK, 0);
	ck_assert_int_eq(tdbg(t.ctid).forked, d);
	/* The child: traced by T, p_oppid C, stopped with SIGSTOP. */
	struct ps_ptrace_info di = pinfo(d);
	ck_assert_uint_ne(di.flags & PS_P_TRACED, 0);
	ck_assert_int_eq(di.pptr, t.T);
	ck_assert_int_eq(di.oppid, t.C);
	ck_assert_int_eq(di.realparent, t.C);
	ck_assert_uint_eq(children(t.C, kids, 8), 0);
	expect_wait(t.T, d, PS_W_STOPCODE(PS_SIGSTOP));
	int32_t dtid = tid_of(d);
	assert_trace_stopped(d, dtid, PS_SIGSTOP);
	pl = lwpinfo(t.T, d);
	ck_assert_int_eq(pl.pl_lwpid, dtid);
	ck_assert_int_eq(pl.pl_event, PS_PL_EVENT_SIGNAL);
	ck_assert_int_eq(pl.pl_flags, PS_PL_FLAG_CHILD | PS_PL_FLAG_SCX);
	r = getregs(t.T, d);
	ck_assert_uint_eq(r.r[0], 0);
	ck_assert_uint_eq(r.pc, after);

	/* D exits 7; T reaps it and it goes back to C. */
	pt_ok(t.T, PS_PT_CONTINUE, d, SAME, 0);
	run_for(RUN_NS);
	expect_wait(t.T, d, PS_W_EXITCODE(7, 0));
	ck_assert_int_eq(t_state(t_sim, d), PS_PRS_ZOMBIE);
	ck_assert_int_eq(pinfo(d).pptr, t.C);
	ck_assert_int_eq(pinfo(d).oppid, 0);
	/* C collects it and exits with its status. */
	pt_ok(t.T, PS_PT_CONTINUE, t.C, SAME, 0);
	run_for(RUN_NS);
	ck_assert_int_eq(t_state(t_sim, d), -1);
	expect_wait(t.T, t.C, PS_W_EXITCODE(7, 0));
	expect_wait(t.P, t.C, PS_W_EXITCODE(7, 0));
	end_check();
}
END_TEST

/* S24: a P_FOLLOWFORK left set is cleared by PT_DETACH (001:930). */
START_TEST(s24_detach_clears_follow_fork)
{
	use_rev(_i);
	prog("loop", LOOP_TEXT);
	struct tree t = mktree("loop");

	run_for(RUN_NS);
	attach_stopped(t.T, t.C);
	pt_ok(t.T, PS_PT_FOLLOW_FORK, t.C, NULL, 1);
	ck_assert_uint_ne(flags_of(t.C) & PS_P_FOLLOWFORK, 0);
	pt_ok(t.T, PS_PT_DETACH, t.C, SAME, 0);
	ck_assert_uint_eq(flags_of(t.C) & (PS_P_FOLLOWFORK | PS_P_TRACED), 0);
	end_check();
}
END_TEST

/* ====================================================================== */
/* A debugger at work                                                      */
/* ====================================================================== */

/*
 * Breakpoints (docs/isa.md §6, S28's PT_WRITE_I): C, traced by P through
 * PT_TRACE_ME + execve, is stopped at bp's entry.  P reads the `add` at
 * `loop` (opcode 0x20, rd 1, rs 1, imm 1), plants `brk` (0x71, all other
 * fields 0) over it with two PT_WRITE_I, and continues: C stops with
 * SIGTRAP (0x57f) and pc on the breakpoint.  Continuing a literal brk
 * traps again.  Each hit: restore the word, PT_STEP over it, plant again,
 * continue; hits come with r1 = 0..4.  Finally restored, C exits 5.
 */
START_TEST(bp_plant_hit_restore)
{
	use_rev(_i);
	prog("bp", BP_TEXT);
	loader("ldbp", "bp");
	struct tree t = mktree("ldbp");
	uint64_t loop = sym("bp", "loop");
	struct ps_regs r;

	ck_assert_uint_eq(loop, TEXT + 8);
	run_for(RUN_NS);
	expect_wait(t.P, t.C, 0x57f);
	ck_assert_uint_eq(getregs(t.P, t.C).pc, TEXT);

	uint32_t w0 = peek(t.P, PS_PT_READ_I, t.C, loop);
	uint32_t w1 = peek(t.P, PS_PT_READ_I, t.C, loop + 4);
	ck_assert_uint_eq(w0, 0x00010120u);
	ck_assert_uint_eq(w1, 1);
	uint64_t syncs0 = pinfo(t.C).icache_syncs;
	ck_assert_uint_eq(tdbg(t.ctid).dbgflags & PS_TDB_USERWR, 0);

	pt_ok(t.P, PS_PT_WRITE_I, t.C, ADDR(loop), 0x71);
	pt_ok(t.P, PS_PT_WRITE_I, t.C, ADDR(loop + 4), 0);
	ck_assert_uint_eq(peek(t.P, PS_PT_READ_I, t.C, loop), 0x71);
	ck_assert_uint_eq(peek(t.P, PS_PT_READ_I, t.C, loop + 4), 0);
	ck_assert_uint_eq(pinfo(t.C).icache_syncs, syncs0 + 2);
	ck_assert_uint_ne(tdbg(t.ctid).dbgflags & PS_TDB_USERWR, 0);

	pt_ok(t.P, PS_PT_CONTINUE, t.C, SAME, 0);
	run_for(RUN_NS);
	expect_wait(t.P, t.C, 0x57f);
	assert_trace_stopped(t.C, t.ctid, PS_SIGTRAP);
	r = getregs(t.P, t.C);
	ck_assert_uint_eq(r.pc, loop);
	ck_assert_uint_eq(r.r[1], 0);
	struct ps_ptrace_lwpinfo pl = lwpinfo(t.P, t.C);
	ck_assert_int_eq(pl.pl_event, PS_PL_EVENT_SIGNAL);
	ck_assert_int_eq(pl.pl_flags, PS_PL_FLAG_SI);
	ck_assert_int_eq(pl.pl_siginfo.signo, PS_SIGTRAP);

	/* A brk left in place traps again where it is. */
	pt_ok(t.P, PS_PT_CONTINUE, t.C, SAME, 0);
	run_for(RUN_NS);
	expect_wait(t.P, t.C, 0x57f);
	r = getregs(t.P, t.C);
	ck_assert_uint_eq(r.pc, loop);
	ck_assert_uint_eq(r.r[1], 0);

	for (uint64_t hit = 0; hit < 4; hit++) {
		pt_ok(t.P, PS_PT_WRITE_I, t.C, ADDR(loop), (int)w0);
		pt_ok(t.P, PS_PT_WRITE_I, t.C, ADDR(loop + 4), (int)w1);
		pt_ok(t.P, PS_PT_STEP, t.C, SAME, 0);
		run_for(RUN_NS);
		expect_wait(t.P, t.C, 0x57f);
		r = getregs(t.P, t.C);
		ck_assert_uint_eq(r.pc, loop + 8);
		ck_assert_uint_eq(r.r[1], hit + 1);
		pt_ok(t.P, PS_PT_WRITE_I, t.C, ADDR(loop), 0x71);
		pt_ok(t.P, PS_PT_WRITE_I, t.C, ADDR(loop + 4), 0);
		pt_ok(t.P, PS_PT_CONTINUE, t.C, SAME, 0);
		run_for(RUN_NS);
		expect_wait(t.P, t.C, 0x57f);
		r = getregs(t.P, t.C);
		ck_assert_uint_eq(r.pc, loop);
		ck_assert_uint_eq(r.r[1], hit + 1);
	}
	/* Remove it for good and let it finish. */
	pt_ok(t.P, PS_PT_WRITE_I, t.C, ADDR(loop), (int)w0);
	pt_ok(t.P, PS_PT_WRITE_I, t.C, ADDR(loop + 4), (int)w1);
	ck_assert_uint_eq(peek(t.P, PS_PT_READ_I, t.C, loop), w0);
	pt_ok(t.P, PS_PT_CONTINUE, t.C, SAME, 0);
	run_for(RUN_NS);
	expect_wait(t.P, t.C, PS_W_EXITCODE(5, 0));
	/* The program's file is unchanged: a fresh bp reads the original. */
	int32_t c2 = spawn(t.P, "bp");
	uint32_t w = 0;
	ck_assert_int_eq(ps_mem_read(t_sim, c2, loop, &w, 4, NULL), 0);
	ck_assert_uint_eq(w, w0);
	end_check();
}
END_TEST

/*
 * Single-stepping a loop (S18, docs/isa.md §6): from count's entry, each
 * PT_STEP runs one instruction and reports SIGTRAP; the pc and r1 after
 * each are exact, the flags after each cmp too.  A stepped `sys` traps
 * after the call returned (r0 = the pid); the stepped `sys exit` ends it.
 */
START_TEST(step_loop_exact)
{
	use_rev(_i);
	prog("count", COUNT_TEXT);
	loader("ldcount", "count");
	struct tree t = mktree("ldcount");
	static const struct {
		uint64_t pc, r1, flags;
	} seq[] = {
	    {TEXT + 0x08, 0, 0}, /* li r1, 0 */
	    {TEXT + 0x10, 1, 0}, /* add */
	    {TEXT + 0x18, 1, 6}, /* cmp 1, 3: N|C */
	    {TEXT + 0x08, 1, 6}, /* bne taken */
	    {TEXT + 0x10, 2, 6}, {TEXT + 0x18, 2, 6}, {TEXT + 0x08, 2, 6},
	    {TEXT + 0x10, 3, 6}, {TEXT + 0x18, 3, 1}, /* cmp 3, 3: Z */
	    {TEXT + 0x20, 3, 1},                      /* bne not taken */
	    {TEXT + 0x28, 3, 1},                      /* sys getpid */
	    {TEXT + 0x30, 3, 1},                      /* mov r0, r1 */
	};

	run_for(RUN_NS);
	expect_wait(t.P, t.C, 0x57f);
	struct ps_regs r = getregs(t.P, t.C);
	ck_assert_uint_eq(r.pc, TEXT);
	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		pt_ok(t.P, PS_PT_STEP, t.C, SAME, 0);
		run_for(RUN_NS);
		expect_wait(t.P, t.C, 0x57f);
		assert_trace_stopped(t.C, t.ctid, PS_SIGTRAP);
		r = getregs(t.P, t.C);
		ck_assert_msg(r.pc == seq[i].pc && r.r[1] == seq[i].r1 && r.flags == seq[i].flags,
		              "step %zu: pc %#llx r1 %llu flags %llu, expected %#llx %llu %llu",
		              i + 1, (unsigned long long)r.pc, (unsigned long long)r.r[1],
		              (unsigned long long)r.flags, (unsigned long long)seq[i].pc,
		              (unsigned long long)seq[i].r1, (unsigned long long)seq[i].flags);
		if (seq[i].pc == TEXT + 0x28)
			ck_assert_uint_eq(r.r[0], (uint64_t)t.C);
		if (seq[i].pc == TEXT + 0x30)
			ck_assert_uint_eq(r.r[0], 3);
		struct ps_ptrace_lwpinfo pl = lwpinfo(t.P, t.C);
		ck_assert_int_eq(pl.pl_event, PS_PL_EVENT_SIGNAL);
		ck_assert_int_eq(pl.pl_flags & (PS_PL_FLAG_SCE | PS_PL_FLAG_SCX | PS_PL_FLAG_EXEC),
		                 0);
	}
	pt_ok(t.P, PS_PT_STEP, t.C, SAME, 0); /* sys exit */
	run_for(RUN_NS);
	expect_wait(t.P, t.C, PS_W_EXITCODE(3, 0));
	end_check();
}
END_TEST

/* PT_TRACE_ME's result as the program sees it: 0, then a second one EBUSY
 * in rev B and 0 in rev A (S02 from a program; errors are negative). */
START_TEST(s02_trace_me_twice_program)
{
	use_rev(_i);
	prog("tme2", "start:  sys ptrace 0, 0, 0, 0\n"
	             "        mov r8, r0\n"
	             "        sys ptrace 0, 0, 0, 0\n"
	             "        mov r9, r0\n"
	             "        work 1000000000\n");
	struct tree t = mktree("tme2");

	run_for(RUN_NS);
	struct ps_regs r = tregs(t.ctid);
	ck_assert_uint_eq(r.r[8], 0);
	ck_assert_uint_eq(r.r[9], REV_A ? 0 : (uint64_t)(int64_t)PS_EBUSY);
	ck_assert_uint_eq(flags_of(t.C) & (PS_P_TRACED | STOPPED_ALL), PS_P_TRACED);
	ck_assert_int_eq(pinfo(t.C).oppid, t.P);
	end_check();
}
END_TEST

static Suite *
ptrace_suite(void)
{
	Suite *s = suite_create("ptrace");
	TCase *tc = tcase_create("scenarios");

	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_set_timeout(tc, 120);
	/* Loop index: 0 rev B (default), 1 rev A. */
	tcase_add_loop_test(tc, s01_trace_me_then_execve, 0, 2);
	tcase_add_loop_test(tc, fpregs_dbregs_per_thread, 0, 2);
	tcase_add_loop_test(tc, s02_trace_me_twice, 0, 2);
	tcase_add_loop_test(tc, s02_trace_me_twice_program, 0, 2);
	tcase_add_loop_test(tc, s02_trace_me_after_attach, 0, 2);
	tcase_add_loop_test(tc, s03_trace_me_under_init, 0, 2);
	tcase_add_loop_test(tc, s04_attach_running_nonchild, 0, 2);
	tcase_add_loop_test(tc, s05_requests_before_wait_busy, 0, 2);
	tcase_add_loop_test(tc, s06_detach_restores_parent, 0, 2);
	tcase_add_loop_test(tc, s06_detach_sigchld_record, 0, 2);
	tcase_add_loop_test(tc, s07_detach_after_parent_died, 0, 2);
	tcase_add_loop_test(tc, s08_attach_self, 0, 2);
	tcase_add_loop_test(tc, s09_double_attach, 0, 2);
	tcase_add_loop_test(tc, s10_traced_no_attach_to_ancestors, 0, 2);
	tcase_add_loop_test(tc, s11_attach_parent_cycle, 0, 2);
	tcase_add_loop_test(tc, s12_untraced_target, 0, 2);
	tcase_add_loop_test(tc, s13_traced_by_someone_else, 0, 2);
	tcase_add_loop_test(tc, s14_lookup_failures, 0, 2);
	tcase_add_loop_test(tc, s15_system_and_policy, 0, 2);
	tcase_add_loop_test(tc, s15_other_uid_invisible, 0, 2);
	tcase_add_loop_test(tc, s16_continue_with_and_without_signal, 0, 2);
	tcase_add_loop_test(tc, s16_continue_with_sigstop, 0, 2);
	tcase_add_loop_test(tc, s17_continue_new_pc, 0, 2);
	tcase_add_loop_test(tc, s18_step, 0, 2);
	tcase_add_loop_test(tc, s19_kill, 0, 2);
	tcase_add_loop_test(tc, s20_tracer_exits_2008, 0, 2);
	tcase_add_loop_test(tc, s20_tracer_exits_modern, 0, 2);
	tcase_add_loop_test(tc, s21_detach_with_signal, 0, 2);
	tcase_add_loop_test(tc, s22_attach_job_stopped, 0, 2);
	tcase_add_loop_test(tc, s23_sticky_syscall_stops, 0, 2);
	tcase_add_loop_test(tc, s23_to_scx_then_to_sce, 0, 2);
	tcase_add_loop_test(tc, s24_follow_fork, 0, 2);
	tcase_add_loop_test(tc, s24_detach_clears_follow_fork, 0, 2);
	tcase_add_loop_test(tc, bp_plant_hit_restore, 0, 2);
	tcase_add_loop_test(tc, step_loop_exact, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return t_run(ptrace_suite());
}
