/*
 * Exit, zombies, wait and reparenting (spec-kern_exit.md): one test per
 * scenario 1-22 of spec §9, and the worked examples (c), (d) with its
 * variants, (e), (f) and (g) of spec §8.
 *
 * Each test asserts what the spec states: the wait status words (§5.2),
 * the errors of kern_wait (§3.5), the signals and their order (through the
 * event log), the new parents (ps_proc_info .pptr/.ppid/.oppid), reaping
 * (t_state == -1), nprocs (ps_sim_stats) and the SIGCHLD siginfo records
 * (ps_sigqueue).  To look at a SIGCHLD record the parent catches SIGCHLD
 * and blocks it: a SIGCHLD whose action is "ignore" (its default) is
 * discarded when it is sent, record included, as FreeBSD's tdsendsignal
 * does, so only the PS_EV_SIGNAL_SEND event would be left to see.
 *
 * Conventions.  S is a session leader (a child of init), P its child in a
 * process group of its own (pg_jobc 1, so that SIGTSTP stops P's children);
 * unless a test says otherwise, P is the parent and S is P's parent, as in
 * spec §9.  init (pid 1) reaps the zombies it inherits at the end of every
 * operation; "init reaps it" is a PS_EV_REAP event with pid2 == 1.  The
 * object level has no user mode: a wait with nothing to report sleeps
 * (PS_EINPROGRESS) and completes later (PS_EV_SYSRET, ps_sysret()).
 *
 * Ptrace (scenarios 19-22, example (d)) uses the internal
 * ps__ptrace_attach: the target is reparented to the tracer (p_oppid keeps
 * the real parent) and stopped by SIGSTOP as a debugger stop.  There is no
 * PT_CONTINUE, and a debugger-stopped process ignores every signal, SIGKILL
 * included, until its debugger continues it, so a traced process can
 * neither exit by itself nor be killed while it is traced.  The only way
 * for it to die is its tracer's exit (E26: untraced, SIGKILLed, given to
 * init).  Those tests check what can be reached that way; the assertions
 * that need "T exits while traced" are listed in the comments of s19, s20
 * and s22.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#include "kern/internal_api.h"

#define SIGBIT(s) (1u << ((s) - 1))
#define HANDLER_ADDR 0x1000u
#define ANY INT32_MIN
/* FreeBSD's P_STATCHILD (sys/proc.h), not in the public header. */
#define P_STATCHILD_ 0x08000000u
#define OTHER_UID 1001

/* ====================================================================== */
/* Helpers                                                                 */
/* ====================================================================== */

static struct ps_sim_stats
stats(void)
{
	struct ps_sim_stats st;

	ck_assert_int_eq(ps_sim_stats(t_sim, &st), 0);
	return st;
}

static int32_t
nprocs(void)
{
	return stats().nprocs;
}

/* S (a session leader) and P (its child, in a group of its own). */
static void
family(int32_t *s, int32_t *p)
{
	*s = t_session(t_sim);
	*p = t_fork_of(*s);
	ck_assert_int_eq(ps_setpgid(t_sim, *s, *p, *p), 0);
	ck_assert_int_eq(t_jobc(t_sim, *p), 1);
}

/* pid catches sig and blocks it: records stay queued where tests see them. */
static void
catch_and_block(int32_t pid, int sig)
{
	t_set_action(pid, sig, HANDLER_ADDR, 0);
	ck_assert_int_eq(ps_sigprocmask(t_sim, pid, 1, SIGBIT(sig), NULL), 0);
}

static void
set_ruid(int32_t pid, int32_t uid)
{
	struct ps_cred cr = {uid, uid, uid, 0, 0, 0};

	ck_assert_int_eq(ps_setcred(t_sim, pid, &cr), 0);
}

/* The SIGCHLD records queued at pid; returns how many. */
static size_t
sigq(int32_t pid, struct ps_siginfo *buf, size_t cap)
{
	size_t n = 0;

	ck_assert_int_eq(ps_sigqueue(t_sim, pid, buf, cap, &n), 0);
	return n;
}

static void
assert_si(const struct ps_siginfo *si, int code, int32_t pid, int32_t uid, int status)
{
	ck_assert_int_eq(si->signo, PS_SIGCHLD);
	ck_assert_int_eq(si->code, code);
	ck_assert_int_eq(si->pid, pid);
	ck_assert_int_eq(si->uid, uid);
	ck_assert_int_eq(si->status, status);
}

static int
w4(int32_t pid, int32_t wpid, int options, int *status)
{
	return ps_wait4(t_sim, pid, wpid, options, status, NULL);
}

/* A blocking wait that must report child with status word `status`. */
static void
wait_ok(int32_t pid, int32_t wpid, int options, int32_t child, int status)
{
	int st = -1;
	int rc = w4(pid, wpid, options, &st);

	ck_assert_msg(rc == child, "wait4(%d, %#x) by %d returned %d (%s), expected %d", wpid,
	              options, pid, rc, rc < 0 ? ps_err_name(rc) : "pid", child);
	ck_assert_msg(st == status, "wait4 by %d reported status %#x, expected %#x", pid, st,
	              status);
}

static void
dump_events(const char *why)
{
	char line[256];

	fprintf(stderr, "--- event log (%s) ---\n", why);
	for (size_t i = 0; i < t_events.n && i < EVLOG_MAX; i++) {
		ps_event_format(&t_events.ev[i], line, sizeof(line));
		fprintf(stderr, "  [%zu] %s\n", i, line);
	}
}

static int
ev_match(const struct ps_event *e, int type, int32_t pid, int32_t pid2, int32_t sig,
         int32_t value)
{
	return (int)e->type == type && (pid == ANY || e->pid == pid) &&
	       (pid2 == ANY || e->pid2 == pid2) && (sig == ANY || e->sig == sig) &&
	       (value == ANY || e->value == value);
}

/* Index of the first matching event at or after from, or -1. */
static long
ev_at(long from, int type, int32_t pid, int32_t pid2, int32_t sig, int32_t value)
{
	for (size_t i = from < 0 ? 0 : (size_t)from; i < t_events.n && i < EVLOG_MAX; i++)
		if (ev_match(&t_events.ev[i], type, pid, pid2, sig, value))
			return (long)i;
	return -1;
}

static size_t
ev_n(int type, int32_t pid, int32_t pid2, int32_t sig, int32_t value)
{
	size_t n = 0;

	for (size_t i = 0; i < t_events.n && i < EVLOG_MAX; i++)
		n += (size_t)ev_match(&t_events.ev[i], type, pid, pid2, sig, value);
	return n;
}

/* The first matching event at or after from; fails the test if none. */
static long
expect_ev(long from, int type, int32_t pid, int32_t pid2, int32_t sig, int32_t value)
{
	long i = ev_at(from, type, pid, pid2, sig, value);

	if (i < 0)
		dump_events("missing event");
	ck_assert_msg(i >= 0, "no %s event (pid %d, pid2 %d, sig %d, value %#x) at or after [%ld]",
	              ps_event_name((uint32_t)type), pid, pid2, sig, value, from);
	return i;
}

static void
expect_no_ev(int type, int32_t pid, int32_t pid2, int32_t sig, int32_t value)
{
	size_t n = ev_n(type, pid, pid2, sig, value);

	if (n != 0)
		dump_events("unexpected event");
	ck_assert_msg(n == 0, "%zu unexpected %s event(s) (pid %d, pid2 %d, sig %d, value %#x)", n,
	              ps_event_name((uint32_t)type), pid, pid2, sig, value);
}

/* pid's children, newest first, must be exactly exp[0..n-1]. */
static void
assert_children(int32_t pid, const int32_t *exp, size_t n)
{
	int32_t kids[64];
	size_t cnt = 0;

	ck_assert_int_eq(ps_proc_children(t_sim, pid, kids, 64, &cnt), 0);
	ck_assert_uint_eq(cnt, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(kids[i] == exp[i], "child %zu of %d is %d, expected %d", i, pid, kids[i],
		              exp[i]);
}

static void
setup(void)
{
	t_setup();
}

static void
teardown(void)
{
	if (getenv("EXITWAIT_TRACE") != NULL)
		dump_events("teardown");
	t_teardown();
}

/* ====================================================================== */
/* Scenarios 1-18 (spec §9)                                                */
/* ====================================================================== */

/* Scenario 1: P forks C; C exit(3).  C becomes a zombie (on zombproc, not
 * allproc; pfind fails, zpfind finds it); SIGCHLD to P with CLD_EXITED and
 * status 0x300 (the 2008 kernel puts the whole word in the record);
 * w(-1,0) = (C, 0x300), C is freed (nprocs - 1, its record leaves P's
 * queue, Z3); then w(-1,0) = ECHILD. */
START_TEST(s01_exit_zombie_then_reaped)
{
	int32_t s, p, c, n0, list[64];
	struct ps_siginfo si[4];
	struct ps_proc_info pi;
	size_t cnt = 0;
	long ie, iw;
	int st = -1;

	family(&s, &p);
	c = t_fork_of(p);
	set_ruid(c, OTHER_UID);
	catch_and_block(p, PS_SIGCHLD);
	n0 = nprocs();
	ck_assert_int_eq(stats().nzombies, 0);
	t_clear_events();

	ck_assert_int_eq(ps_exit(t_sim, c, 3), 0);
	pi = t_pinfo(c);
	ck_assert_int_eq(pi.state, PS_PRS_ZOMBIE);
	ck_assert_int_eq(pi.xstat, 0x300);
	ck_assert_int_eq(pi.pptr, p);
	ck_assert_uint_eq(pi.flags & (PS_P_WEXIT | PS_P_TRACED), PS_P_WEXIT);
	ck_assert_int_eq(ps_pfind(t_sim, c), PS_ESRCH);
	ck_assert_int_eq(ps_zpfind(t_sim, c), 0);
	/* Still counted; on zombproc, which ps_proc_list gives after allproc. */
	ck_assert_int_eq(nprocs(), n0);
	ck_assert_int_eq(stats().nzombies, 1);
	ck_assert_int_eq(ps_proc_list(t_sim, list, 64, &cnt), 0);
	ck_assert_int_eq((int32_t)cnt, n0);
	ck_assert_int_eq(list[cnt - 1], c);
	for (size_t i = 0; i + 1 < cnt; i++)
		ck_assert_int_ne(list[i], c);

	ie = expect_ev(0, PS_EV_EXIT, c, p, ANY, 0x300);
	expect_ev(ie + 1, PS_EV_SIGNAL_SEND, p, c, PS_SIGCHLD, ANY);
	ck_assert_uint_eq(ev_n(PS_EV_SIGNAL_SEND, p, ANY, ANY, ANY), 1);
	ck_assert_uint_eq(sigq(p, si, 4), 1);
	assert_si(&si[0], PS_CLD_EXITED, c, OTHER_UID, 0x300);
	ck_assert_uint_ne(t_pinfo(p).siglist & SIGBIT(PS_SIGCHLD), 0);

	t_clear_events();
	ck_assert_int_eq(w4(p, -1, 0, &st), c);
	ck_assert_int_eq(st, 0x300);
	ck_assert(PS_WIFEXITED(st));
	ck_assert_int_eq(PS_WEXITSTATUS_2008(st), 3);
	iw = expect_ev(0, PS_EV_WAIT, p, c, ANY, 0x300);
	expect_ev(iw + 1, PS_EV_REAP, c, p, ANY, 0x300);
	expect_no_ev(PS_EV_SLEEP, p, ANY, ANY, ANY);
	ck_assert_int_eq(t_state(t_sim, c), -1);
	ck_assert_int_eq(ps_zpfind(t_sim, c), PS_ESRCH);
	ck_assert_int_eq(ps_pfind(t_sim, c), PS_ESRCH);
	ck_assert_int_eq(nprocs(), n0 - 1);
	ck_assert_int_eq(stats().nzombies, 0);
	ck_assert_uint_eq(sigq(p, si, 4), 0);
	ck_assert_uint_eq(t_pinfo(p).siglist & SIGBIT(PS_SIGCHLD), 0);

	ck_assert_int_eq(w4(p, -1, 0, &st), PS_ECHILD);

	/* The same with P already blocked in w(-1,0): SIGCHLD (E30) comes
	 * before the wakeup (E33), and the wait completes with (C, 0x300). */
	c = t_fork_of(p);
	ck_assert_int_eq(w4(p, -1, 0, &st), PS_EINPROGRESS);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, c, 3), 0);
	ie = expect_ev(0, PS_EV_EXIT, c, p, ANY, 0x300);
	ie = expect_ev(ie + 1, PS_EV_SIGNAL_SEND, p, c, PS_SIGCHLD, ANY);
	ie = expect_ev(ie + 1, PS_EV_WAKEUP, p, ANY, ANY, 0);
	ie = expect_ev(ie + 1, PS_EV_WAIT, p, c, ANY, 0x300);
	expect_ev(ie + 1, PS_EV_SYSRET, p, ANY, ANY, c);
	{
		struct ps_sysret r = t_sysret(p);

		ck_assert_int_eq(r.state, PS_SYSST_DONE);
		ck_assert_int_eq(r.retval, c);
		ck_assert_int_eq(r.status, 0x300);
	}
	ck_assert_int_eq(t_state(t_sim, c), -1);
	ck_assert_uint_eq(sigq(p, si, 4), 0);
}
END_TEST

/* Scenario 2: P has no children: w(-1,0) and w(-1,WNOHANG) both give ECHILD
 * (the nfound check comes before WNOHANG, W6). */
START_TEST(s02_no_children_echild)
{
	int32_t s, p;
	int st = 0x5555;

	family(&s, &p);
	t_clear_events();
	ck_assert_int_eq(w4(p, -1, 0, &st), PS_ECHILD);
	ck_assert_int_eq(w4(p, -1, PS_WNOHANG, &st), PS_ECHILD);
	ck_assert_int_eq(st, 0x5555); /* untouched (§3.5) */
	expect_no_ev(PS_EV_SLEEP, p, ANY, ANY, ANY);
	expect_no_ev(PS_EV_WAIT, ANY, ANY, ANY, ANY);
}
END_TEST

/* Scenario 3: P has a running child C: w(-1,WNOHANG) returns 0.  (The
 * status buffer's contents are unspecified and not asserted.) */
START_TEST(s03_wnohang_running_child_zero)
{
	int32_t s, p, c;
	int st;

	family(&s, &p);
	c = t_fork_of(p);
	t_clear_events();
	ck_assert_int_eq(w4(p, -1, PS_WNOHANG, &st), 0);
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_NORMAL);
	expect_no_ev(PS_EV_SLEEP, p, ANY, ANY, ANY);
	expect_no_ev(PS_EV_WAIT, ANY, ANY, ANY, ANY);
	expect_no_ev(PS_EV_REAP, ANY, ANY, ANY, ANY);
}
END_TEST

/* Scenario 4: P forks C, C forks G; P's w(G,0) is ECHILD (only children are
 * examined), whether G is running or a zombie; G's own parent can wait. */
START_TEST(s04_grandchild_never_matches)
{
	int32_t s, p, c, g;
	int st;

	family(&s, &p);
	c = t_fork_of(p);
	g = t_fork_of(c);
	ck_assert_int_eq(w4(p, g, 0, &st), PS_ECHILD);
	ck_assert_int_eq(ps_exit(t_sim, g, 1), 0);
	ck_assert_int_eq(t_state(t_sim, g), PS_PRS_ZOMBIE);
	t_clear_events();
	ck_assert_int_eq(w4(p, g, 0, &st), PS_ECHILD);
	ck_assert_int_eq(w4(p, g, PS_WNOHANG, &st), PS_ECHILD);
	expect_no_ev(PS_EV_SLEEP, p, ANY, ANY, ANY);
	ck_assert_int_eq(t_state(t_sim, g), PS_PRS_ZOMBIE);
	wait_ok(c, g, 0, g, 0x100);
}
END_TEST

/* Scenario 5: w(-1, 0x8) and w(-1, 0x10) (WNOWAIT, WEXITED: not in the 2008
 * wait4) give EINVAL before anything is scanned: the zombie is not reaped. */
START_TEST(s05_unknown_options_einval)
{
	int32_t s, p, c, n0;
	int st = 0x5555;

	family(&s, &p);
	c = t_fork_of(p);
	ck_assert_int_eq(ps_exit(t_sim, c, 2), 0);
	n0 = nprocs();
	t_clear_events();
	ck_assert_int_eq(w4(p, -1, 0x8, &st), PS_EINVAL);
	ck_assert_int_eq(w4(p, -1, 0x10, &st), PS_EINVAL);
	ck_assert_int_eq(w4(p, -1, 0x8 | PS_WNOHANG, &st), PS_EINVAL);
	ck_assert_int_eq(w4(p, c, 0x10 | PS_WUNTRACED, &st), PS_EINVAL);
	ck_assert_int_eq(st, 0x5555);
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_ZOMBIE);
	ck_assert_int_eq(nprocs(), n0);
	expect_no_ev(PS_EV_WAIT, ANY, ANY, ANY, ANY);
	expect_no_ev(PS_EV_REAP, ANY, ANY, ANY, ANY);
	expect_no_ev(PS_EV_SLEEP, ANY, ANY, ANY, ANY);
	wait_ok(p, -1, 0, c, 0x200);
}
END_TEST

/* Scenario 6: P kills C with SIGKILL: C is a zombie, the wait status is 9
 * (WIFSIGNALED, WTERMSIG 9, no core), and P's SIGCHLD carries CLD_KILLED. */
START_TEST(s06_sigkill_status_and_cld_killed)
{
	int32_t s, p, c;
	struct ps_siginfo si[4];
	long ik;
	int st = -1;

	family(&s, &p);
	c = t_fork_of(p);
	set_ruid(c, OTHER_UID);
	catch_and_block(p, PS_SIGCHLD);
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, p, c, PS_SIGKILL), 0);
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_pinfo(c).xstat, 9);
	ik = expect_ev(0, PS_EV_SIGNAL_SEND, c, p, PS_SIGKILL, ANY);
	ik = expect_ev(ik + 1, PS_EV_EXIT, c, p, ANY, 9);
	expect_ev(ik + 1, PS_EV_SIGNAL_SEND, p, c, PS_SIGCHLD, ANY);
	ck_assert_uint_eq(sigq(p, si, 4), 1);
	assert_si(&si[0], PS_CLD_KILLED, c, OTHER_UID, 9);

	ck_assert_int_eq(w4(p, -1, 0, &st), c);
	ck_assert_int_eq(st, 9);
	ck_assert(PS_WIFSIGNALED(st));
	ck_assert(PS_WIFSIGNALED_2008(st));
	ck_assert(!PS_WIFEXITED(st));
	ck_assert(!PS_WIFSTOPPED(st));
	ck_assert_int_eq(PS_WTERMSIG(st), PS_SIGKILL);
	ck_assert(!PS_WCOREDUMP(st));
	ck_assert_int_eq(t_state(t_sim, c), -1);
	ck_assert_uint_eq(sigq(p, si, 4), 0);
}
END_TEST

/* Scenario 7: C stops with SIGTSTP: w(C,WUNTRACED) = (C, 0x127f), and a
 * second w(C,WUNTRACED|WNOHANG) = 0 (P_WAITED: a stop is reported once). */
START_TEST(s07_wuntraced_reports_stop_once)
{
	int32_t s, p, c;
	int st = -1;

	family(&s, &p);
	c = t_fork_of(p);
	ck_assert_int_eq(ps_kill(t_sim, c, c, PS_SIGTSTP), 0);
	ck_assert_uint_eq(t_flags(t_sim, c) &
	                          (PS_P_STOPPED_SIG | PS_P_STOPPED_TRACE | PS_P_WAITED),
	                  PS_P_STOPPED_SIG);
	ck_assert_int_eq(w4(p, c, PS_WUNTRACED, &st), c);
	ck_assert_int_eq(st, 0x127f);
	ck_assert(PS_WIFSTOPPED(st));
	ck_assert_int_eq(PS_WSTOPSIG(st), PS_SIGTSTP);
	ck_assert_uint_ne(t_flags(t_sim, c) & PS_P_WAITED, 0);
	/* (*status after a WNOHANG wait that returns 0 is indeterminate, §5.1.) */
	ck_assert_int_eq(w4(p, c, PS_WUNTRACED | PS_WNOHANG, &st), 0);
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_NORMAL);
	ck_assert_uint_ne(t_flags(t_sim, c) & PS_P_STOPPED_SIG, 0);
}
END_TEST

/* Scenario 8: C stopped (untraced): w(C,WNOHANG) = 0: C is counted but a
 * stop is reported only with WUNTRACED (or when traced). */
START_TEST(s08_stop_needs_wuntraced)
{
	int32_t s, p, c;
	int st = -1;

	family(&s, &p);
	c = t_fork_of(p);
	ck_assert_int_eq(ps_kill(t_sim, p, c, PS_SIGTSTP), 0);
	ck_assert_uint_ne(t_flags(t_sim, c) & PS_P_STOPPED_SIG, 0);
	ck_assert_int_eq(w4(p, c, PS_WNOHANG, &st), 0);
	ck_assert_int_eq(w4(p, -1, PS_WNOHANG, &st), 0);
	ck_assert_int_eq(w4(p, c, PS_WNOHANG | PS_WCONTINUED, &st), 0);
	ck_assert_uint_eq(t_flags(t_sim, c) & PS_P_WAITED, 0);
	/* The stop is still there to be reported. */
	ck_assert_int_eq(w4(p, c, PS_WNOHANG | PS_WUNTRACED, &st), c);
	ck_assert_int_eq(st, 0x127f);
}
END_TEST

/* Scenario 9: C stopped, then SIGCONT: w(C,WCONTINUED) = (C, 0x13); again
 * with WNOHANG = 0.  The era's WIFSIGNALED(0x13) is true. */
START_TEST(s09_wcontinued_reports_0x13)
{
	int32_t s, p, c;
	int st = -1;

	family(&s, &p);
	c = t_fork_of(p);
	ck_assert_int_eq(ps_kill(t_sim, p, c, PS_SIGTSTP), 0);
	ck_assert_int_eq(ps_kill(t_sim, p, c, PS_SIGCONT), 0);
	ck_assert_uint_eq(t_flags(t_sim, c) & (PS_P_STOPPED_SIG | PS_P_CONTINUED), PS_P_CONTINUED);
	ck_assert_int_eq(w4(p, c, PS_WCONTINUED, &st), c);
	ck_assert_int_eq(st, 0x13);
	ck_assert(PS_WIFCONTINUED(st));
	ck_assert(PS_WIFSIGNALED_2008(st));
	ck_assert(!PS_WIFEXITED(st));
	ck_assert(!PS_WIFSTOPPED(st));
	ck_assert_uint_eq(t_flags(t_sim, c) & PS_P_CONTINUED, 0);
	ck_assert_int_eq(w4(p, c, PS_WCONTINUED | PS_WNOHANG, &st), 0);
}
END_TEST

/* Scenario 10: stop -> reported -> SIGCONT -> SIGTSTP: w(C,WUNTRACED)
 * reports 0x127f again (the new stop re-arms P_WAITED). */
START_TEST(s10_new_stop_reported_again)
{
	int32_t s, p, c;
	int st = -1;

	family(&s, &p);
	c = t_fork_of(p);
	ck_assert_int_eq(ps_kill(t_sim, p, c, PS_SIGTSTP), 0);
	wait_ok(p, c, PS_WUNTRACED, c, 0x127f);
	ck_assert_int_eq(w4(p, c, PS_WUNTRACED | PS_WNOHANG, &st), 0);
	ck_assert_int_eq(ps_kill(t_sim, p, c, PS_SIGCONT), 0);
	ck_assert_int_eq(ps_kill(t_sim, p, c, PS_SIGTSTP), 0);
	ck_assert_uint_eq(t_flags(t_sim, c) & (PS_P_STOPPED_SIG | PS_P_WAITED), PS_P_STOPPED_SIG);
	wait_ok(p, c, PS_WUNTRACED, c, 0x127f);
	ck_assert_int_eq(w4(p, c, PS_WUNTRACED | PS_WNOHANG, &st), 0);
}
END_TEST

/* Scenario 11: P forks C1 then C2; both exit while P sleeps elsewhere
 * (pause: their SIGCHLDs, ignored, do not end it); w(-1,0) twice returns
 * C2 (newest first), then C1.  The order is the children list's, not the
 * order of the exits: a second pair exiting newest-first gives the same. */
START_TEST(s11_newest_child_first)
{
	int32_t s, p, c1, c2, c3, c4;
	struct ps_sysret r;

	family(&s, &p);
	t_set_action(p, PS_SIGUSR1, HANDLER_ADDR, 0);
	c1 = t_fork_of(p);
	c2 = t_fork_of(p);
	ck_assert_int_eq(ps_pause(t_sim, p), PS_EINPROGRESS);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, c1, 1), 0);
	ck_assert_int_eq(ps_exit(t_sim, c2, 2), 0);
	expect_no_ev(PS_EV_WAKEUP, p, ANY, ANY, ANY);
	r = t_sysret(p);
	ck_assert_int_eq(r.sys, PS_SYS_PAUSE);
	ck_assert_int_eq(r.state, PS_SYSST_SLEEPING);
	ck_assert_int_eq(ps_kill(t_sim, s, p, PS_SIGUSR1), 0);
	r = t_sysret(p);
	ck_assert_int_eq(r.state, PS_SYSST_DONE);
	ck_assert_int_eq(r.retval, PS_EINTR);

	wait_ok(p, -1, 0, c2, 0x200);
	wait_ok(p, -1, 0, c1, 0x100);

	c3 = t_fork_of(p);
	c4 = t_fork_of(p);
	ck_assert_int_eq(ps_exit(t_sim, c4, 4), 0);
	ck_assert_int_eq(ps_exit(t_sim, c3, 3), 0);
	wait_ok(p, -1, 0, c4, 0x400);
	wait_ok(p, -1, 0, c3, 0x300);
	ck_assert_int_eq(w4(p, -1, 0, NULL), PS_ECHILD);
}
END_TEST

/* Scenario 12: P in pgrp G; C1 in G; C2 moved to pgrp H; both zombies:
 * w(0,0) reaps C1 (though C2 is newer), then w(0,WNOHANG) is ECHILD (C2 does
 * not match pid 0); w(-H,0) then reaps C2. */
START_TEST(s12_wait_mypgrp)
{
	int32_t s, p, c1, c2;

	family(&s, &p);
	c1 = t_fork_of(p);
	c2 = t_fork_of(p);
	ck_assert_int_eq(ps_setpgid(t_sim, p, c2, c2), 0);
	ck_assert_int_eq(t_pinfo(c1).pgid, p);
	ck_assert_int_eq(t_pinfo(c2).pgid, c2);
	ck_assert_int_eq(ps_exit(t_sim, c1, 1), 0);
	ck_assert_int_eq(ps_exit(t_sim, c2, 2), 0);
	wait_ok(p, 0, 0, c1, 0x100);
	ck_assert_int_eq(w4(p, 0, PS_WNOHANG, NULL), PS_ECHILD);
	ck_assert_int_eq(t_state(t_sim, c2), PS_PRS_ZOMBIE);
	wait_ok(p, -c2, 0, c2, 0x200);
	ck_assert_int_eq(t_state(t_sim, c2), -1);
}
END_TEST

/* Scenario 13: P's pgid is 1 (init's group): w(0,WNOHANG) reaps a zombie
 * child in another group: pid 0 becomes -1, WAIT_ANY. */
START_TEST(s13_pgid_1_mypgrp_is_any)
{
	int32_t p = t_fork_of(1), c;

	ck_assert_int_eq(t_pinfo(p).pgid, 1);
	c = t_fork_of(p);
	ck_assert_int_eq(ps_setpgid(t_sim, p, c, c), 0);
	ck_assert_int_eq(t_pinfo(c).pgid, c);
	ck_assert_int_eq(w4(p, 0, PS_WNOHANG, NULL), 0); /* matched while running */
	ck_assert_int_eq(ps_exit(t_sim, c, 4), 0);
	wait_ok(p, 0, PS_WNOHANG, c, 0x400);
	ck_assert_int_eq(t_state(t_sim, c), -1);
}
END_TEST

/* Scenario 14: P has running children C1, C2 (and a Linux-clone child C3
 * signalling SIGUSR1, to observe p_sigparent); P exit(0).  Each goes to init
 * (E26, in P's list order, each to the head of init's list) with
 * p_sigparent = SIGCHLD; init gets no SIGCHLD for them.  When C1 exits,
 * init gets a plain SIGCHLD (no record) and reaps it; C3, its p_sigparent
 * reset to SIGCHLD, is reaped by init's plain wait as well.  (That init is
 * woken at P's E26 cannot be observed: init never sleeps here.) */
START_TEST(s14_running_children_go_to_init)
{
	int32_t s, p, c1, c2, c3;
	struct ps_siginfo si[4];
	long i3, i2, i1, ie;

	family(&s, &p);
	c1 = t_fork_of(p);
	c2 = t_fork_of(p);
	ck_assert_int_eq(ps_fork_exitsig(t_sim, p, PS_SIGUSR1, &c3), 0);
	catch_and_block(1, PS_SIGCHLD);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, p, 0), 0);
	i3 = expect_ev(0, PS_EV_REPARENT, c3, 1, ANY, ANY);
	i2 = expect_ev(i3 + 1, PS_EV_REPARENT, c2, 1, ANY, ANY);
	i1 = expect_ev(i2 + 1, PS_EV_REPARENT, c1, 1, ANY, ANY);
	ie = expect_ev(i1 + 1, PS_EV_EXIT, p, s, ANY, 0);
	expect_ev(ie + 1, PS_EV_SIGNAL_SEND, s, p, PS_SIGCHLD, ANY);
	expect_no_ev(PS_EV_SIGNAL_SEND, 1, ANY, ANY, ANY);
	ck_assert_int_eq(t_pinfo(c1).pptr, 1);
	ck_assert_int_eq(t_pinfo(c1).ppid, 1);
	ck_assert_int_eq(t_pinfo(c2).pptr, 1);
	ck_assert_int_eq(t_pinfo(c3).pptr, 1);
	{
		int32_t kids[64];
		size_t n = 0;

		ck_assert_int_eq(ps_proc_children(t_sim, 1, kids, 64, &n), 0);
		ck_assert_uint_ge(n, 3);
		ck_assert_int_eq(kids[0], c1);
		ck_assert_int_eq(kids[1], c2);
		ck_assert_int_eq(kids[2], c3);
	}
	ck_assert_int_eq(t_pinfo(p).state, PS_PRS_ZOMBIE);

	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, c1, 0), 0);
	ie = expect_ev(0, PS_EV_EXIT, c1, 1, ANY, 0);
	ie = expect_ev(ie + 1, PS_EV_SIGNAL_SEND, 1, c1, PS_SIGCHLD, ANY);
	expect_ev(ie + 1, PS_EV_REAP, c1, 1, ANY, 0);
	ck_assert_int_eq(t_state(t_sim, c1), -1);
	ck_assert_uint_eq(sigq(1, si, 4), 0); /* plain: no siginfo */
	ck_assert_uint_ne(t_pinfo(1).siglist & SIGBIT(PS_SIGCHLD), 0);

	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, c3, 5), 0);
	expect_ev(0, PS_EV_SIGNAL_SEND, 1, c3, PS_SIGCHLD, ANY);
	expect_no_ev(PS_EV_SIGNAL_SEND, ANY, ANY, PS_SIGUSR1, ANY);
	expect_ev(0, PS_EV_REAP, c3, 1, ANY, 0x500);
	ck_assert_int_eq(t_state(t_sim, c3), -1);

	ck_assert_int_eq(ps_exit(t_sim, c2, 2), 0);
	ck_assert_int_eq(t_state(t_sim, c2), -1);
	wait_ok(s, p, 0, p, 0);
}
END_TEST

/* Scenario 15: P has an unreaped zombie child Z; P exit(0): Z moves to init,
 * init gets no SIGCHLD for Z, and reaps it with Z's original status. */
START_TEST(s15_zombie_child_to_init_without_sigchld)
{
	int32_t s, p, z, n0;
	long ir, iw;

	family(&s, &p);
	z = t_fork_of(p);
	ck_assert_int_eq(ps_exit(t_sim, z, 4), 0);
	n0 = nprocs();
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, p, 0), 0);
	ir = expect_ev(0, PS_EV_REPARENT, z, 1, ANY, ANY);
	expect_ev(ir + 1, PS_EV_EXIT, p, s, ANY, 0);
	iw = expect_ev(ir + 1, PS_EV_WAIT, 1, z, ANY, 0x400);
	expect_ev(iw + 1, PS_EV_REAP, z, 1, ANY, 0x400);
	expect_no_ev(PS_EV_SIGNAL_SEND, 1, ANY, ANY, ANY);
	expect_no_ev(PS_EV_SIGNAL_SEND, ANY, z, ANY, ANY);
	expect_ev(0, PS_EV_SIGNAL_SEND, s, p, PS_SIGCHLD, ANY);
	ck_assert_int_eq(t_state(t_sim, z), -1);
	ck_assert_int_eq(t_state(t_sim, p), PS_PRS_ZOMBIE);
	ck_assert_int_eq(nprocs(), n0 - 1);
}
END_TEST

/* Scenario 16: P sets SIGCHLD to SIG_IGN, forks C (its only child) and
 * blocks in w(-1,0); C exit(1): no SIGCHLD to P; C goes to init (E29), P is
 * woken (its last child left), init gets SIGCHLD and reaps C; P's wait
 * returns ECHILD. */
START_TEST(s16_sigign_only_child_echild)
{
	int32_t s, p, c;
	struct ps_sysret r;
	long ir, iw;

	family(&s, &p);
	t_set_action(p, PS_SIGCHLD, PS_SIG_IGN, 0);
	c = t_fork_of(p);
	t_clear_events();
	ck_assert_int_eq(w4(p, -1, 0, NULL), PS_EINPROGRESS);
	expect_ev(0, PS_EV_SLEEP, p, ANY, ANY, ANY);
	r = t_sysret(p);
	ck_assert_int_eq(r.sys, PS_SYS_WAIT4);
	ck_assert_int_eq(r.state, PS_SYSST_SLEEPING);
	ck_assert_str_eq(r.wmesg, "wait");
	ck_assert_int_eq(ps_kill(t_sim, p, c, 0), PS_EBUSY);

	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, c, 1), 0);
	expect_no_ev(PS_EV_SIGNAL_SEND, p, ANY, ANY, ANY);
	ir = expect_ev(0, PS_EV_REPARENT, c, 1, ANY, ANY);
	iw = expect_ev(ir + 1, PS_EV_WAKEUP, p, ANY, ANY, 0);
	expect_ev(iw + 1, PS_EV_SIGNAL_SEND, 1, c, PS_SIGCHLD, ANY);
	expect_ev(ir + 1, PS_EV_REAP, c, 1, ANY, 0x100);
	expect_ev(iw + 1, PS_EV_SYSRET, p, ANY, ANY, PS_ECHILD);
	ck_assert_int_eq(t_state(t_sim, c), -1);
	r = t_sysret(p);
	ck_assert_int_eq(r.state, PS_SYSST_DONE);
	ck_assert_int_eq(r.retval, PS_ECHILD);
	ck_assert_int_eq(w4(p, -1, PS_WNOHANG, NULL), PS_ECHILD);
}
END_TEST

/* Scenario 17: P has SA_NOCLDWAIT and children C1 (running) and C2; P is
 * blocked in w(-1,0).  C2 exits: P is not woken and stays blocked (the
 * 2008 auto-reap wakes the old parent only when its last child leaves).
 * When C1 later exits, P wakes and gets ECHILD. */
START_TEST(s17_nocldwait_wakes_only_on_last_child)
{
	int32_t s, p, c1, c2;
	struct ps_sysret r;

	family(&s, &p);
	t_set_action(p, PS_SIGCHLD, PS_SIG_DFL, PS_SA_NOCLDWAIT);
	c1 = t_fork_of(p);
	c2 = t_fork_of(p);
	ck_assert_int_eq(w4(p, -1, 0, NULL), PS_EINPROGRESS);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, c2, 2), 0);
	expect_no_ev(PS_EV_WAKEUP, p, ANY, ANY, ANY);
	expect_no_ev(PS_EV_SIGNAL_SEND, p, ANY, ANY, ANY);
	expect_no_ev(PS_EV_SYSRET, p, ANY, ANY, ANY);
	expect_ev(expect_ev(0, PS_EV_REPARENT, c2, 1, ANY, ANY) + 1, PS_EV_REAP, c2, 1, ANY, 0x200);
	ck_assert_int_eq(t_state(t_sim, c2), -1);
	r = t_sysret(p);
	ck_assert_int_eq(r.state, PS_SYSST_SLEEPING);
	ck_assert_int_eq(r.slept, 1);
	{
		int32_t exp[] = {c1};
		assert_children(p, exp, 1);
	}

	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, c1, 1), 0);
	expect_ev(expect_ev(0, PS_EV_REPARENT, c1, 1, ANY, ANY) + 1, PS_EV_WAKEUP, p, ANY, ANY, 0);
	expect_ev(0, PS_EV_SYSRET, p, ANY, ANY, PS_ECHILD);
	expect_ev(0, PS_EV_REAP, c1, 1, ANY, 0x100);
	r = t_sysret(p);
	ck_assert_int_eq(r.state, PS_SYSST_DONE);
	ck_assert_int_eq(r.retval, PS_ECHILD);
}
END_TEST

/* Scenario 18: a zombie made before P set SA_NOCLDWAIT stays P's: the flag
 * is checked only at exit time; w(-1,0) reaps it normally. */
START_TEST(s18_nocldwait_after_zombie)
{
	int32_t s, p, c, n0;

	family(&s, &p);
	c = t_fork_of(p);
	ck_assert_int_eq(ps_exit(t_sim, c, 6), 0);
	n0 = nprocs();
	t_clear_events();
	t_set_action(p, PS_SIGCHLD, PS_SIG_DFL, PS_SA_NOCLDWAIT);
	ck_assert_int_eq(t_pinfo(c).state, PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_pinfo(c).pptr, p);
	wait_ok(p, -1, 0, c, 0x600);
	expect_ev(0, PS_EV_REAP, c, p, ANY, 0x600);
	expect_no_ev(PS_EV_REPARENT, ANY, ANY, ANY, ANY);
	ck_assert_int_eq(nprocs(), n0 - 1);
	ck_assert_int_eq(w4(p, -1, PS_WNOHANG, NULL), PS_ECHILD);
}
END_TEST

/* ====================================================================== */
/* Scenarios 19-22: ptrace                                                  */
/* ====================================================================== */

/* Scenario 19: D attaches to T (parent P); T exit(7).
 *
 * Tested: the attach (T's p_pptr is D, its real parent P is kept in
 * p_oppid; SIGSTOP makes a debugger stop with both stop bits); D, not P,
 * gets the SIGCHLD (CLD_TRAPPED); P receives nothing and can no longer wait
 * for T (ECHILD); D's w(T,0) without WUNTRACED reports the stop, 0x117f.
 *
 * Not testable at the object level: "T exit(7)".  T stays debugger-stopped
 * (there is no PT_CONTINUE, and a debugger-stopped process ignores every
 * signal, SIGKILL included), so T makes no call (ps_exit is PS_EBUSY) and
 * cannot be killed while traced.  Hence none of: D's SIGCHLD with
 * CLD_EXITED/0x700, D's w = (T, 0x700) handing T back to P (Z5), P's
 * SIGCHLD and P's w = (T, 0x700), "T freed only after P's wait".  The
 * give-back itself is tested through init in s21/ex_d_*. */
START_TEST(s19_tracer_attach_and_trace_stop)
{
	int32_t s, p, t, d;
	struct ps_siginfo si[4];
	struct ps_proc_info pi;
	long ir;
	int st = -1;

	family(&s, &p);
	t = t_fork_of(p);
	set_ruid(t, OTHER_UID);
	d = t_session(t_sim);
	catch_and_block(d, PS_SIGCHLD);
	catch_and_block(p, PS_SIGCHLD);
	t_clear_events();
	ck_assert_int_eq(ps__ptrace_attach(t_sim, d, t), 0);
	ir = expect_ev(0, PS_EV_REPARENT, t, d, ANY, ANY);
	ir = expect_ev(ir + 1, PS_EV_STOP, t, ANY, PS_SIGSTOP, ANY);
	expect_ev(ir + 1, PS_EV_SIGNAL_SEND, d, t, PS_SIGCHLD, ANY);
	pi = t_pinfo(t);
	ck_assert_int_eq(pi.pptr, d);
	ck_assert_int_eq(pi.ppid, p);
	ck_assert_int_eq(pi.oppid, p);
	ck_assert_uint_eq(pi.flags & (PS_P_TRACED | PS_P_STOPPED_SIG | PS_P_STOPPED_TRACE),
	                  PS_P_TRACED | PS_P_STOPPED_SIG | PS_P_STOPPED_TRACE);
	ck_assert_uint_eq(sigq(d, si, 4), 1);
	assert_si(&si[0], PS_CLD_TRAPPED, t, OTHER_UID, PS_SIGSTOP);
	expect_no_ev(PS_EV_SIGNAL_SEND, p, ANY, ANY, ANY);
	ck_assert_uint_eq(sigq(p, si, 4), 0);

	/* P has no child any more: its waits see nothing. */
	ck_assert_int_eq(w4(p, t, PS_WNOHANG, &st), PS_ECHILD);
	ck_assert_int_eq(w4(p, -1, PS_WNOHANG | PS_WUNTRACED, &st), PS_ECHILD);

	/* The tracer sees the stop without WUNTRACED, once. */
	ck_assert_int_eq(w4(d, t, 0, &st), t);
	ck_assert_int_eq(st, 0x117f);
	ck_assert(PS_WIFSTOPPED(st));
	ck_assert_int_eq(PS_WSTOPSIG(st), PS_SIGSTOP);
	ck_assert_uint_ne(t_flags(t_sim, t) & PS_P_WAITED, 0);
	ck_assert_uint_eq(sigq(d, si, 4), 0);
	ck_assert_int_eq(w4(d, t, PS_WNOHANG, &st), 0);

	/* Why the rest of the scenario cannot be driven. */
	ck_assert_int_eq(ps_exit(t_sim, t, 7), PS_EBUSY);
	ck_assert_int_eq(ps_kill(t_sim, d, t, PS_SIGKILL), 0);
	ck_assert_int_eq(t_state(t_sim, t), PS_PRS_NORMAL);
}
END_TEST

/* Scenario 20: as 19, but P has already exited and been reaped.
 *
 * Tested: P's exit leaves T's p_oppid stale (2008: exit1 never clears it,
 * the real parent's exit does not touch it), T's real parent then reads as
 * init; the tracer still gets T's stop; when T dies, the reaper's Z5 finds
 * no process with pid p_oppid (pfind fails), so T is freed by that wait
 * (Z6), not handed anywhere.
 *
 * Not testable: "T exit(7)" while traced (see s19), so the reaper here is
 * init (T reaches it through D's exit, E26, status 9), not D: D's
 * w = (T, 0x700) and D's next w = ECHILD cannot be driven. */
START_TEST(s20_real_parent_gone_reaper_frees)
{
	int32_t s, p, t, d, n0;
	struct ps_proc_info pi;
	long i;

	family(&s, &p);
	t = t_fork_of(p);
	d = t_session(t_sim);
	ck_assert_int_eq(ps__ptrace_attach(t_sim, d, t), 0);
	ck_assert_int_eq(ps_exit(t_sim, p, 0), 0);
	wait_ok(s, p, 0, p, 0);
	ck_assert_int_eq(t_state(t_sim, p), -1);
	pi = t_pinfo(t);
	ck_assert_int_eq(pi.pptr, d);
	ck_assert_int_eq(pi.oppid, p); /* stale */
	ck_assert_int_eq(pi.ppid, 1);
	wait_ok(d, t, 0, t, 0x117f);

	n0 = nprocs();
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, d, 0), 0);
	i = expect_ev(0, PS_EV_REPARENT, t, 1, ANY, ANY);
	i = expect_ev(i + 1, PS_EV_SIGNAL_SEND, t, ANY, PS_SIGKILL, ANY);
	i = expect_ev(i + 1, PS_EV_EXIT, t, 1, ANY, 9);
	i = expect_ev(i + 1, PS_EV_WAIT, 1, t, ANY, 9);
	expect_ev(i + 1, PS_EV_REAP, t, 1, ANY, 9);
	ck_assert_uint_eq(ev_n(PS_EV_WAIT, 1, t, ANY, ANY), 1);
	ck_assert_uint_eq(ev_n(PS_EV_REPARENT, t, ANY, ANY, ANY), 1);
	ck_assert_int_eq(t_state(t_sim, t), -1);
	ck_assert_int_eq(t_state(t_sim, d), -1); /* d was init's child */
	ck_assert_int_eq(nprocs(), n0 - 2);
}
END_TEST

/* Scenario 21: D attached to T (parent P); D exits.  At D's E26, T goes to
 * init, has P_TRACED (and P_STOPPED_TRACE) cleared and gets SIGKILL; T
 * dies (9), init gets a plain SIGCHLD; init's wait hands T back to P (Z5:
 * T is not freed; P gets SIGCHLD with T's stale record); P's w = (T, 9)
 * frees it.  (The spec's "running" T: after the attach T is
 * debugger-stopped, which is the only traced state reachable here.) */
START_TEST(s21_tracer_exit_kills_and_gives_back)
{
	int32_t s, p, t, d, n0;
	struct ps_siginfo si[4];
	struct ps_proc_info pi;
	long i;
	int st = -1;

	family(&s, &p);
	t = t_fork_of(p);
	d = t_session(t_sim);
	catch_and_block(p, PS_SIGCHLD);
	ck_assert_int_eq(ps__ptrace_attach(t_sim, d, t), 0);
	n0 = nprocs();
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, d, 0), 0);
	i = expect_ev(0, PS_EV_REPARENT, t, 1, ANY, ANY);
	i = expect_ev(i + 1, PS_EV_SIGNAL_SEND, t, ANY, PS_SIGKILL, ANY);
	i = expect_ev(i + 1, PS_EV_EXIT, d, 1, ANY, 0);
	i = expect_ev(i + 1, PS_EV_EXIT, t, 1, ANY, 9);
	i = expect_ev(i + 1, PS_EV_SIGNAL_SEND, 1, t, PS_SIGCHLD, ANY);
	/* init's wait (its PS_EV_WAIT may be logged after the give-back's
	 * effects): T back to P, SIGCHLD to P, T not freed. */
	expect_ev(i + 1, PS_EV_WAIT, 1, t, ANY, 9);
	i = expect_ev(i + 1, PS_EV_REPARENT, t, p, ANY, ANY);
	expect_ev(i + 1, PS_EV_SIGNAL_SEND, p, t, PS_SIGCHLD, ANY);
	expect_no_ev(PS_EV_REAP, t, ANY, ANY, ANY);
	ck_assert_uint_eq(ev_n(PS_EV_WAIT, 1, t, ANY, ANY), 1);
	pi = t_pinfo(t);
	ck_assert_int_eq(pi.state, PS_PRS_ZOMBIE);
	ck_assert_int_eq(pi.pptr, p);
	ck_assert_int_eq(pi.ppid, p);
	ck_assert_int_eq(pi.oppid, 0);
	ck_assert_int_eq(pi.xstat, 9);
	ck_assert_uint_eq(pi.flags & (PS_P_TRACED | PS_P_STOPPED_TRACE), 0);
	ck_assert_int_eq(nprocs(), n0 - 1); /* d reaped by init; t kept */
	ck_assert_uint_eq(sigq(p, si, 4), 1);
	ck_assert_int_eq(si[0].pid, t);
	ck_assert_int_ne(si[0].code, PS_CLD_KILLED); /* stale, not refilled */

	ck_assert_int_eq(w4(p, -1, 0, &st), t);
	ck_assert_int_eq(st, 9);
	ck_assert(PS_WIFSIGNALED(st));
	ck_assert_int_eq(PS_WTERMSIG(st), PS_SIGKILL);
	expect_ev(0, PS_EV_REAP, t, p, ANY, 9);
	ck_assert_int_eq(t_state(t_sim, t), -1);
	ck_assert_int_eq(nprocs(), n0 - 2);
	ck_assert_uint_eq(sigq(p, si, 4), 0);
	ck_assert_int_eq(w4(p, -1, PS_WNOHANG, NULL), PS_ECHILD);
}
END_TEST

/*
 * Scenario 22: a traced child whose p_oppid is its current parent's own pid
 * (PT_TRACE_ME, or PT_ATTACH by the real parent: spec §11.9) is reported
 * twice by the 2008 kernel: the first reaping wait gives it back to the
 * caller itself (Z5, a no-op reparent), queues a fresh SIGCHLD and does not
 * free it; the second wait frees it.  PS_EXIT_MODERN reports it once.
 *
 * Tested: the real parent P attaches its own child C: p_oppid is P's pid,
 * no reparent, and P sees the debugger stop without WUNTRACED.  The double
 * report itself is tested where the object level can reach it: a child of
 * init, traced by D, is SIGKILLed at D's exit and lands on init, its real
 * parent (p_oppid 1), so init's wait gives it back to init (2008) and init
 * reports it twice.
 *
 * Not testable: "C exits with 0x100" while traced by P (see s19), so P's
 * two w = (C, 0x100), P's fresh SIGCHLD and the third w = ECHILD cannot be
 * driven.
 */
static void
s22_init_child_killed_by_tracer_exit(int modern)
{
	int32_t x = t_fork_of(1), d = t_session(t_sim), n0;
	struct ps_proc_info pi;
	long i;

	ck_assert_int_eq(ps__ptrace_attach(t_sim, d, x), 0);
	pi = t_pinfo(x);
	ck_assert_int_eq(pi.oppid, 1);
	ck_assert_int_eq(pi.ppid, 1);
	ck_assert_int_eq(pi.pptr, d);
	n0 = nprocs();
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, d, 0), 0);
	i = expect_ev(0, PS_EV_REPARENT, x, 1, ANY, ANY);
	i = expect_ev(i + 1, PS_EV_EXIT, x, 1, ANY, 9);
	i = expect_ev(i + 1, PS_EV_SIGNAL_SEND, 1, x, PS_SIGCHLD, ANY); /* E30 */
	if (!modern) {
		/* Given back to itself (a fresh SIGCHLD, not freed), then
		 * reported again and freed. */
		expect_ev(i + 1, PS_EV_SIGNAL_SEND, 1, x, PS_SIGCHLD, ANY); /* Z5 */
		i = expect_ev(i + 1, PS_EV_WAIT, 1, x, ANY, 9);
		i = expect_ev(i + 1, PS_EV_WAIT, 1, x, ANY, 9);
		ck_assert_uint_eq(ev_n(PS_EV_WAIT, 1, x, ANY, ANY), 2);
		ck_assert_uint_eq(ev_n(PS_EV_SIGNAL_SEND, 1, x, PS_SIGCHLD, ANY), 2);
	} else {
		i = expect_ev(i + 1, PS_EV_WAIT, 1, x, ANY, 9);
		ck_assert_uint_eq(ev_n(PS_EV_WAIT, 1, x, ANY, ANY), 1);
		ck_assert_uint_eq(ev_n(PS_EV_SIGNAL_SEND, 1, x, PS_SIGCHLD, ANY), 1);
	}
	expect_ev(i + 1, PS_EV_REAP, x, 1, ANY, 9);
	ck_assert_uint_eq(ev_n(PS_EV_REAP, x, ANY, ANY, ANY), 1);
	ck_assert_uint_eq(ev_n(PS_EV_REPARENT, x, ANY, ANY, ANY), 1);
	ck_assert_int_eq(t_state(t_sim, x), -1);
	ck_assert_int_eq(nprocs(), n0 - 2); /* x and d */
}

START_TEST(s22_double_report_2008)
{
	int32_t s, p, c;
	struct ps_proc_info pi;

	family(&s, &p);
	c = t_fork_of(p);
	t_clear_events();
	ck_assert_int_eq(ps__ptrace_attach(t_sim, p, c), 0);
	expect_no_ev(PS_EV_REPARENT, ANY, ANY, ANY, ANY);
	pi = t_pinfo(c);
	ck_assert_int_eq(pi.pptr, p);
	ck_assert_int_eq(pi.ppid, p);
	ck_assert_int_eq(pi.oppid, p);
	ck_assert_uint_eq(pi.flags & (PS_P_TRACED | PS_P_STOPPED_TRACE),
	                  PS_P_TRACED | PS_P_STOPPED_TRACE);
	wait_ok(p, c, 0, c, 0x117f);

	s22_init_child_killed_by_tracer_exit(0);
}
END_TEST

START_TEST(s22_single_report_modern)
{
	struct ps_config cfg = t_config();

	cfg.exit_compat = PS_EXIT_MODERN;
	t_replace_sim(&cfg);
	s22_init_child_killed_by_tracer_exit(1);
}
END_TEST

/* ====================================================================== */
/* Worked examples (spec §8)                                                */
/* ====================================================================== */

/* Example (c): P ignores SIGCHLD (SIG_IGN) and has running children C1, C2;
 * P blocked in wait4(-1, 0).  C1 exit(5): C1 goes to init (E29), P still
 * has C2 so it is not woken and gets no signal; init gets a plain SIGCHLD
 * and reaps C1 (0x500).  C2 exit(0): P's list is empty, P is woken and
 * wait4 returns ECHILD.  A WNOHANG wait returns 0 while C2 runs, ECHILD
 * after.  A zombie made before SIG_IGN was set is not affected. */
START_TEST(ex_c_sigign_parent)
{
	int32_t s, p, z, c1, c2;
	struct ps_sysret r;
	long i;

	family(&s, &p);
	z = t_fork_of(p);
	ck_assert_int_eq(ps_exit(t_sim, z, 3), 0);
	t_clear_events();
	t_set_action(p, PS_SIGCHLD, PS_SIG_IGN, 0);
	expect_no_ev(PS_EV_REPARENT, ANY, ANY, ANY, ANY);
	ck_assert_int_eq(t_pinfo(z).state, PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_pinfo(z).pptr, p);
	wait_ok(p, z, 0, z, 0x300);
	expect_ev(0, PS_EV_REAP, z, p, ANY, 0x300);

	c1 = t_fork_of(p);
	c2 = t_fork_of(p);
	ck_assert_int_eq(w4(p, -1, PS_WNOHANG, NULL), 0);
	ck_assert_int_eq(w4(p, -1, 0, NULL), PS_EINPROGRESS);

	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, c1, 5), 0);
	i = expect_ev(0, PS_EV_REPARENT, c1, 1, ANY, ANY);
	i = expect_ev(i + 1, PS_EV_SIGNAL_SEND, 1, c1, PS_SIGCHLD, ANY);
	expect_ev(i + 1, PS_EV_REAP, c1, 1, ANY, 0x500);
	expect_no_ev(PS_EV_SIGNAL_SEND, p, ANY, ANY, ANY);
	expect_no_ev(PS_EV_WAKEUP, p, ANY, ANY, ANY);
	ck_assert_int_eq(t_state(t_sim, c1), -1);
	r = t_sysret(p);
	ck_assert_int_eq(r.state, PS_SYSST_SLEEPING);

	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, c2, 0), 0);
	i = expect_ev(0, PS_EV_REPARENT, c2, 1, ANY, ANY);
	expect_ev(i + 1, PS_EV_WAKEUP, p, ANY, ANY, 0);
	expect_ev(i + 1, PS_EV_SYSRET, p, ANY, ANY, PS_ECHILD);
	expect_ev(i + 1, PS_EV_REAP, c2, 1, ANY, 0);
	expect_no_ev(PS_EV_SIGNAL_SEND, p, ANY, ANY, ANY);
	r = t_sysret(p);
	ck_assert_int_eq(r.state, PS_SYSST_DONE);
	ck_assert_int_eq(r.retval, PS_ECHILD);
	ck_assert_int_eq(w4(p, -1, PS_WNOHANG, NULL), PS_ECHILD);

	/* E29 also sets p_sigparent = SIGCHLD: a Linux-clone child (SIGUSR1)
	 * sends P nothing and is reaped by init's plain wait. */
	ck_assert_int_eq(ps_fork_exitsig(t_sim, p, PS_SIGUSR1, &c1), 0);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, c1, 7), 0);
	i = expect_ev(0, PS_EV_REPARENT, c1, 1, ANY, ANY);
	i = expect_ev(i + 1, PS_EV_SIGNAL_SEND, 1, c1, PS_SIGCHLD, ANY);
	expect_ev(i + 1, PS_EV_REAP, c1, 1, ANY, 0x700);
	expect_no_ev(PS_EV_SIGNAL_SEND, p, ANY, ANY, ANY);
	ck_assert_int_eq(t_state(t_sim, c1), -1);
}
END_TEST

/* Example (c) with SA_NOCLDWAIT ("behaves the same"), and step 1's "any
 * queued SIGCHLD siginfo of C1 at P is removed": P catches and blocks
 * SIGCHLD, C1's stop and continue queue its record at P; at C1's exit the
 * reparent to init takes the record off P's queue, and P gets no new one. */
START_TEST(ex_c_nocldwait_queued_record_removed)
{
	int32_t s, p, c1, c2;
	struct ps_siginfo si[4];
	struct ps_sysret r;

	family(&s, &p);
	t_set_action(p, PS_SIGCHLD, HANDLER_ADDR, PS_SA_NOCLDWAIT);
	ck_assert_int_eq(ps_sigprocmask(t_sim, p, 1, SIGBIT(PS_SIGCHLD), NULL), 0);
	c1 = t_fork_of(p);
	c2 = t_fork_of(p);
	ck_assert_int_eq(ps_kill(t_sim, s, c1, PS_SIGTSTP), 0);
	ck_assert_uint_eq(sigq(p, si, 4), 1);
	ck_assert_int_eq(si[0].code, PS_CLD_STOPPED);
	ck_assert_int_eq(ps_kill(t_sim, s, c1, PS_SIGCONT), 0);
	ck_assert_uint_eq(sigq(p, si, 4), 1);
	ck_assert_int_eq(si[0].code, PS_CLD_CONTINUED);
	ck_assert_int_eq(si[0].pid, c1);
	ck_assert_int_eq(w4(p, -1, 0, NULL), PS_EINPROGRESS);

	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, c1, 5), 0);
	expect_ev(expect_ev(0, PS_EV_REPARENT, c1, 1, ANY, ANY) + 1, PS_EV_REAP, c1, 1, ANY, 0x500);
	expect_no_ev(PS_EV_SIGNAL_SEND, p, ANY, ANY, ANY);
	expect_no_ev(PS_EV_WAKEUP, p, ANY, ANY, ANY);
	ck_assert_uint_eq(sigq(p, si, 4), 0);
	ck_assert_uint_eq(t_pinfo(p).siglist & SIGBIT(PS_SIGCHLD), 0);
	ck_assert_int_eq(t_sysret(p).state, PS_SYSST_SLEEPING);

	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, c2, 0), 0);
	expect_ev(0, PS_EV_WAKEUP, p, ANY, ANY, 0);
	expect_ev(0, PS_EV_REAP, c2, 1, ANY, 0);
	expect_no_ev(PS_EV_SIGNAL_SEND, p, ANY, ANY, ANY);
	r = t_sysret(p);
	ck_assert_int_eq(r.state, PS_SYSST_DONE);
	ck_assert_int_eq(r.retval, PS_ECHILD);
	ck_assert_uint_eq(sigq(p, si, 4), 0);
}
END_TEST

/* Example (c), note: when the parent is init itself, E29 changes nothing
 * (reparenting to itself is a no-op) and the SIGCHLD is ignored; the child
 * is init's zombie, reaped by init with its status. */
START_TEST(ex_c_init_parent_ignoring)
{
	int32_t x;
	long i;

	t_set_action(1, PS_SIGCHLD, PS_SIG_IGN, 0);
	x = t_fork_of(1);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, x, 3), 0);
	expect_no_ev(PS_EV_REPARENT, ANY, ANY, ANY, ANY);
	i = expect_ev(0, PS_EV_EXIT, x, 1, ANY, 0x300);
	i = expect_ev(i + 1, PS_EV_SIGNAL_SEND, 1, x, PS_SIGCHLD, ANY);
	i = expect_ev(i + 1, PS_EV_SIGNAL_DISCARD, 1, ANY, PS_SIGCHLD, ANY);
	expect_ev(i + 1, PS_EV_REAP, x, 1, ANY, 0x300);
	ck_assert_int_eq(t_state(t_sim, x), -1);
}
END_TEST

/* Example (d), variant "D exits while T is alive and traced": at D's E26 T
 * loses P_TRACED and P_STOPPED_TRACE, gets SIGKILL and moves to init with
 * p_oppid still P's pid; T dies (9); init's wait hands it back to P, which
 * gets a SIGCHLD whose record is stale: T's p_ksi as it was last filled,
 * by its debugger stop (CLD_TRAPPED, SIGSTOP), not CLD_KILLED.  The
 * give-back does not credit T's usage to init (inv. 19); P's wait returns
 * T with status 9 and T's usage, and credits it to P. */
START_TEST(ex_d_tracer_exits_while_traced)
{
	int32_t s, p, t, d;
	struct ps_siginfo si[4];
	struct ps_rusage ru, init_cru0, init_cru1, p_cru;
	struct ps_rusage use = {.utime_ns = 2000000000, .maxrss = 640};
	long i;
	int st = -1;

	family(&s, &p);
	t = t_fork_of(p);
	set_ruid(t, OTHER_UID);
	ck_assert_int_eq(ps_proc_charge(t_sim, t, &use), 0);
	d = t_session(t_sim);
	catch_and_block(p, PS_SIGCHLD);
	ck_assert_int_eq(ps__ptrace_attach(t_sim, d, t), 0);
	wait_ok(d, t, 0, t, 0x117f); /* the stop report to D */
	ck_assert_int_eq(ps_getrusage(t_sim, 1, PS_RUSAGE_CHILDREN, &init_cru0), 0);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, d, 0), 0);

	i = expect_ev(0, PS_EV_REPARENT, t, 1, ANY, ANY);
	i = expect_ev(i + 1, PS_EV_SIGNAL_SEND, t, ANY, PS_SIGKILL, ANY);
	i = expect_ev(i + 1, PS_EV_EXIT, t, 1, ANY, 9);
	expect_ev(i + 1, PS_EV_WAIT, 1, t, ANY, 9);
	i = expect_ev(i + 1, PS_EV_REPARENT, t, p, ANY, ANY);
	expect_ev(i + 1, PS_EV_SIGNAL_SEND, p, t, PS_SIGCHLD, ANY);
	expect_no_ev(PS_EV_REAP, t, ANY, ANY, ANY);
	ck_assert_uint_eq(t_flags(t_sim, t) & (PS_P_TRACED | PS_P_STOPPED_TRACE), 0);
	ck_assert_int_eq(t_pinfo(t).oppid, 0);
	ck_assert_int_eq(t_pinfo(t).pptr, p);
	ck_assert_uint_eq(sigq(p, si, 4), 1);
	assert_si(&si[0], PS_CLD_TRAPPED, t, OTHER_UID, PS_SIGSTOP);
	ck_assert_int_eq(ps_getrusage(t_sim, 1, PS_RUSAGE_CHILDREN, &init_cru1), 0);
	ck_assert_int_eq(init_cru1.utime_ns, init_cru0.utime_ns);

	memset(&ru, 0, sizeof(ru));
	ck_assert_int_eq(ps_wait4(t_sim, p, t, 0, &st, &ru), t);
	ck_assert_int_eq(st, 9);
	ck_assert_int_eq(ru.utime_ns, use.utime_ns);
	ck_assert_int_eq(ru.maxrss, use.maxrss);
	ck_assert_int_eq(ps_getrusage(t_sim, p, PS_RUSAGE_CHILDREN, &p_cru), 0);
	ck_assert_int_eq(p_cru.utime_ns, use.utime_ns);
	ck_assert_int_eq(t_state(t_sim, t), -1);
	ck_assert_uint_eq(sigq(p, si, 4), 0);
}
END_TEST

/* Example (d), variant "P ignores SIGCHLD": the give-back still hands T to P
 * (Z5 does not consult P's PS_CLDSIGIGN), P's SIGCHLD is discarded, and T
 * stays P's zombie (it is not auto-reaped) until P waits or exits; here P
 * exits, T goes to init (no SIGCHLD for an inherited zombie) and init reaps
 * it with status 9. */
START_TEST(ex_d_real_parent_ignores_sigchld)
{
	int32_t s, p, t, d;
	long i;

	family(&s, &p);
	t = t_fork_of(p);
	d = t_session(t_sim);
	t_set_action(p, PS_SIGCHLD, PS_SIG_IGN, 0);
	ck_assert_int_eq(ps__ptrace_attach(t_sim, d, t), 0);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, d, 0), 0);
	i = expect_ev(0, PS_EV_EXIT, t, 1, ANY, 9);
	expect_ev(i + 1, PS_EV_WAIT, 1, t, ANY, 9);
	i = expect_ev(i + 1, PS_EV_REPARENT, t, p, ANY, ANY);
	i = expect_ev(i + 1, PS_EV_SIGNAL_SEND, p, t, PS_SIGCHLD, ANY);
	expect_ev(i + 1, PS_EV_SIGNAL_DISCARD, p, ANY, PS_SIGCHLD, ANY);
	expect_no_ev(PS_EV_REAP, t, ANY, ANY, ANY);
	ck_assert_int_eq(t_pinfo(t).state, PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_pinfo(t).pptr, p);
	{
		int32_t exp[] = {t};
		assert_children(p, exp, 1);
	}

	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, p, 0), 0);
	i = expect_ev(0, PS_EV_REPARENT, t, 1, ANY, ANY);
	expect_ev(i + 1, PS_EV_REAP, t, 1, ANY, 9);
	expect_no_ev(PS_EV_SIGNAL_SEND, 1, t, ANY, ANY);
	ck_assert_int_eq(t_state(t_sim, t), -1);
}
END_TEST

/* Example (e): waitpid(-pgid) selection.  P's children, newest first: C3
 * (pgrp 20, running), C2 (pgrp 20, zombie, exit 2), C1 (pgrp 10, zombie,
 * exit 1); G, C3's child, is in pgrp 20 too. */
START_TEST(ex_e_waitpid_pgid_selection)
{
	int32_t s, p, c1, c2, c3, g, g10, g20;
	int st = -1;

	family(&s, &p);
	c1 = t_fork_of(p);
	ck_assert_int_eq(ps_setpgid(t_sim, p, c1, c1), 0);
	g10 = c1;
	c2 = t_fork_of(p);
	ck_assert_int_eq(ps_setpgid(t_sim, p, c2, c2), 0);
	g20 = c2;
	c3 = t_fork_of(p);
	ck_assert_int_eq(ps_setpgid(t_sim, p, c3, g20), 0);
	g = t_fork_of(c3);
	ck_assert_int_eq(t_pinfo(g).pgid, g20);
	ck_assert_int_eq(ps_exit(t_sim, c2, 2), 0);
	ck_assert_int_eq(ps_exit(t_sim, c1, 1), 0);
	{
		int32_t exp[] = {c3, c2, c1};
		assert_children(p, exp, 3);
	}

	/* 1: C3 matches but is not reportable; C2 is reaped; C1 not looked at. */
	t_clear_events();
	wait_ok(p, -g20, 0, c2, 0x200);
	expect_no_ev(PS_EV_WAIT, p, c1, ANY, ANY);
	ck_assert_int_eq(t_state(t_sim, c1), PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_pinfo(c1).pgid, g10);
	/* 2 */
	ck_assert_int_eq(w4(p, -g20, PS_WNOHANG, &st), 0);
	/* 3: a group with no child of P in it (S's). */
	ck_assert_int_eq(w4(p, -s, PS_WNOHANG, &st), PS_ECHILD);
	ck_assert_int_eq(w4(p, -s, 0, &st), PS_ECHILD);
	/* 4, 5: C3 leaves pgrp 20; G (a grandchild) is still in it: ECHILD. */
	ck_assert_int_eq(ps_setpgid(t_sim, c3, 0, 0), 0);
	ck_assert_int_eq(t_pinfo(c3).pgid, c3);
	ck_assert_int_eq(ps_pgfind(t_sim, g20), 0);
	ck_assert_int_eq(t_pinfo(g).pgid, g20);
	st = 0x5555;
	ck_assert_int_eq(w4(p, -g20, 0, &st), PS_ECHILD);
	ck_assert_int_eq(w4(p, -g20, PS_WNOHANG, &st), PS_ECHILD);
	ck_assert_int_eq(st, 0x5555); /* untouched on ECHILD (§3.5) */
	ck_assert_int_eq(w4(p, -c3, PS_WNOHANG, &st), 0);
	wait_ok(p, -g10, 0, c1, 0x100);
}
END_TEST

/* Example (f): WNOHANG with one running child returns 0 (status and usage
 * contents unspecified: not asserted); the same call naming a non-child,
 * or made by a process with no children, gives ECHILD. */
START_TEST(ex_f_wnohang_running_child)
{
	int32_t s, p, c, q;
	struct ps_rusage ru;
	int st;

	family(&s, &p);
	c = t_fork_of(p);
	q = t_fork_of(s);
	t_clear_events();
	ck_assert_int_eq(ps_wait4(t_sim, p, -1, PS_WNOHANG, &st, &ru), 0);
	ck_assert_int_eq(ps_wait4(t_sim, p, s, PS_WNOHANG, &st, &ru), PS_ECHILD);
	ck_assert_int_eq(ps_wait4(t_sim, p, q, PS_WNOHANG, &st, &ru), PS_ECHILD);
	ck_assert_int_eq(ps_wait4(t_sim, q, -1, PS_WNOHANG, &st, &ru), PS_ECHILD);
	ck_assert_int_eq(ps_wait4(t_sim, c, -1, PS_WNOHANG, &st, &ru), PS_ECHILD);
	expect_no_ev(PS_EV_WAIT, ANY, ANY, ANY, ANY);
	expect_no_ev(PS_EV_SLEEP, ANY, ANY, ANY, ANY);
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_NORMAL);
}
END_TEST

/* Example (g): WUNTRACED reports a stop once.  Steps 1-7 of spec §8 (g),
 * with P catching and blocking SIGCHLD to see its records.  Step 4's
 * blocking wait sleeps; a SIGCONT wakes it (P_STATCHILD) but it finds
 * nothing to report and sleeps again; the next SIGTSTP re-arms P_WAITED and
 * the sleeping wait reports 0x127f (step 7). */
START_TEST(ex_g_wuntraced_reports_once)
{
	int32_t s, p, c;
	struct ps_siginfo si[4];
	struct ps_sysret r;
	int st = -1;

	family(&s, &p);
	c = t_fork_of(p);
	catch_and_block(p, PS_SIGCHLD);

	/* 1 */
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, p, c, PS_SIGTSTP), 0);
	ck_assert_uint_eq(t_flags(t_sim, c) & (PS_P_STOPPED_SIG | PS_P_WAITED | PS_P_STOPPED_TRACE),
	                  PS_P_STOPPED_SIG);
	expect_ev(expect_ev(0, PS_EV_STOP, c, ANY, PS_SIGTSTP, ANY) + 1, PS_EV_SIGNAL_SEND, p, c,
	          PS_SIGCHLD, ANY);
	ck_assert_uint_ne(t_flags(t_sim, p) & P_STATCHILD_, 0);
	ck_assert_uint_eq(sigq(p, si, 4), 1);
	assert_si(&si[0], PS_CLD_STOPPED, c, t_pinfo(c).cred.ruid, PS_SIGTSTP);
	/* 2 */
	wait_ok(p, c, PS_WUNTRACED, c, 0x127f);
	ck_assert_uint_ne(t_flags(t_sim, c) & PS_P_WAITED, 0);
	ck_assert_uint_eq(t_flags(t_sim, p) & P_STATCHILD_, 0);
	ck_assert_uint_eq(sigq(p, si, 4), 0);
	ck_assert_uint_eq(t_pinfo(p).siglist & SIGBIT(PS_SIGCHLD), 0);
	/* 3 */
	ck_assert_int_eq(w4(p, c, PS_WUNTRACED | PS_WNOHANG, &st), 0);
	/* 5 (before 4, which leaves P asleep) */
	ck_assert_int_eq(w4(p, c, PS_WNOHANG, &st), 0);
	/* 4 */
	t_clear_events();
	ck_assert_int_eq(w4(p, c, PS_WUNTRACED, &st), PS_EINPROGRESS);
	r = t_sysret(p);
	ck_assert_int_eq(r.state, PS_SYSST_SLEEPING);
	ck_assert_int_eq(r.slept, 1);
	ck_assert_str_eq(r.wmesg, "wait");
	/* A continue wakes the sleeping wait, which finds nothing and sleeps. */
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, s, c, PS_SIGCONT), 0);
	expect_ev(0, PS_EV_WAKEUP, p, ANY, ANY, 0);
	expect_no_ev(PS_EV_SYSRET, p, ANY, ANY, ANY);
	r = t_sysret(p);
	ck_assert_int_eq(r.state, PS_SYSST_SLEEPING);
	ck_assert_int_eq(r.slept, 2);
	ck_assert_uint_ne(t_flags(t_sim, c) & PS_P_CONTINUED, 0);
	/* 7: a new stop clears P_WAITED; the sleeping wait reports it. */
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, s, c, PS_SIGTSTP), 0);
	expect_ev(0, PS_EV_SYSRET, p, ANY, ANY, c);
	r = t_sysret(p);
	ck_assert_int_eq(r.state, PS_SYSST_DONE);
	ck_assert_int_eq(r.retval, c);
	ck_assert_int_eq(r.status, 0x127f);
	ck_assert_uint_ne(t_flags(t_sim, c) & PS_P_WAITED, 0);
	ck_assert_uint_eq(sigq(p, si, 4), 0);
	/* 6 */
	ck_assert_int_eq(ps_kill(t_sim, p, c, PS_SIGCONT), 0);
	ck_assert_uint_ne(t_flags(t_sim, c) & PS_P_CONTINUED, 0);
	ck_assert_uint_eq(sigq(p, si, 4), 1);
	assert_si(&si[0], PS_CLD_CONTINUED, c, t_pinfo(c).cred.ruid, PS_SIGCONT);
	wait_ok(p, c, PS_WCONTINUED, c, 0x13);
	ck_assert_uint_eq(sigq(p, si, 4), 0);
	ck_assert_int_eq(w4(p, c, PS_WCONTINUED | PS_WNOHANG, &st), 0);
	/* 7 again, without sleeping */
	ck_assert_int_eq(ps_kill(t_sim, p, c, PS_SIGTSTP), 0);
	ck_assert_uint_eq(t_flags(t_sim, c) & (PS_P_WAITED | PS_P_CONTINUED), 0);
	wait_ok(p, c, PS_WUNTRACED, c, 0x127f);
}
END_TEST

/* Example (g), step 8: when C is traced by P, its stop is reported without
 * WUNTRACED (here the debugger stop of the attach: SIGSTOP, 0x117f), once. */
START_TEST(ex_g_traced_stop_without_wuntraced)
{
	int32_t s, p, c;
	int st = -1;

	family(&s, &p);
	c = t_fork_of(p);
	ck_assert_int_eq(ps__ptrace_attach(t_sim, p, c), 0);
	ck_assert_int_eq(w4(p, c, PS_WNOHANG, &st), c);
	ck_assert_int_eq(st, 0x117f);
	ck_assert_int_eq(w4(p, c, PS_WNOHANG, &st), 0);
	ck_assert_int_eq(w4(p, c, PS_WNOHANG | PS_WUNTRACED, &st), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("exit_wait");
	TCase *tc;

	tc = tcase_create("scenarios");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, s01_exit_zombie_then_reaped);
	tcase_add_test(tc, s02_no_children_echild);
	tcase_add_test(tc, s03_wnohang_running_child_zero);
	tcase_add_test(tc, s04_grandchild_never_matches);
	tcase_add_test(tc, s05_unknown_options_einval);
	tcase_add_test(tc, s06_sigkill_status_and_cld_killed);
	tcase_add_test(tc, s07_wuntraced_reports_stop_once);
	tcase_add_test(tc, s08_stop_needs_wuntraced);
	tcase_add_test(tc, s09_wcontinued_reports_0x13);
	tcase_add_test(tc, s10_new_stop_reported_again);
	tcase_add_test(tc, s11_newest_child_first);
	tcase_add_test(tc, s12_wait_mypgrp);
	tcase_add_test(tc, s13_pgid_1_mypgrp_is_any);
	tcase_add_test(tc, s14_running_children_go_to_init);
	tcase_add_test(tc, s15_zombie_child_to_init_without_sigchld);
	tcase_add_test(tc, s16_sigign_only_child_echild);
	tcase_add_test(tc, s17_nocldwait_wakes_only_on_last_child);
	tcase_add_test(tc, s18_nocldwait_after_zombie);
	suite_add_tcase(s, tc);

	tc = tcase_create("ptrace");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, s19_tracer_attach_and_trace_stop);
	tcase_add_test(tc, s20_real_parent_gone_reaper_frees);
	tcase_add_test(tc, s21_tracer_exit_kills_and_gives_back);
	tcase_add_test(tc, s22_double_report_2008);
	tcase_add_test(tc, s22_single_report_modern);
	suite_add_tcase(s, tc);

	tc = tcase_create("examples");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ex_c_sigign_parent);
	tcase_add_test(tc, ex_c_nocldwait_queued_record_removed);
	tcase_add_test(tc, ex_c_init_parent_ignoring);
	tcase_add_test(tc, ex_d_tracer_exits_while_traced);
	tcase_add_test(tc, ex_d_real_parent_ignores_sigchld);
	tcase_add_test(tc, ex_e_waitpid_pgid_selection);
	tcase_add_test(tc, ex_f_wnohang_running_child);
	tcase_add_test(tc, ex_g_wuntraced_reports_once);
	tcase_add_test(tc, ex_g_traced_stop_without_wuntraced);
	suite_add_tcase(s, tc);

	return t_run(s);
}
