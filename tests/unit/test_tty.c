/*
 * Terminal I/O for job control (tty.h, src/kern/tty.c, docs/tty.md): reads
 * and writes through the input and output queues, the background check
 * (SIGTTIN on a background read, SIGTTOU on a background write with
 * TOSTOP, PS_EIO when the signal is ignored or blocked or the group is
 * orphaned), the hangup of a lost carrier (SIGHUP to the session leader
 * only, end of file and EIO afterwards), the revoke of a session leader's
 * exit, and every error of the API.
 *
 * The usual tree: a login shell sh (session leader, terminal ttyv0 taken
 * with TIOCSCTTY, so its group is the foreground), and jobs forked by sh,
 * each put in its own group by sh.  The fixture checks every invariant
 * after each operation and at teardown.
 */
#include "testlib.h"

#include <stdint.h>
#include <string.h>

#define SIGBIT(s) (1u << ((s) - 1))
#define HANDLER_ADDR 0x1000u

/* --- helpers --- */

static int32_t
new_tty(const char *name)
{
	int32_t dev = -1;

	ck_assert_int_eq(ps_tty_new(t_sim, name, &dev), 0);
	return dev;
}

static struct ps_tty_info
tinfo(int32_t dev)
{
	struct ps_tty_info ti;

	ck_assert_int_eq(ps_tty_info(t_sim, dev, &ti), 0);
	return ti;
}

static int
is_stopped(int32_t pid)
{
	return (t_flags(t_sim, pid) & PS_P_STOPPED_SIG) != 0;
}

static uint32_t
pinfo_siglist(int32_t pid)
{
	struct ps_proc_info pi;

	ck_assert_int_eq(ps_proc_info(t_sim, pid, &pi), 0);
	return pi.siglist;
}

static void
input(int32_t dev, const char *s)
{
	ck_assert_int_eq(ps_tty_input(t_sim, dev, s, strlen(s)), (int)strlen(s));
}

/* Drain the output queue and compare it with expect. */
static void
assert_output(int32_t dev, const char *expect)
{
	char buf[PS_TTY_QUEUE_SIZE + 1];
	size_t n = 12345;

	ck_assert_int_eq(ps_tty_output(t_sim, dev, buf, sizeof(buf) - 1, &n), 0);
	buf[n < sizeof(buf) ? n : sizeof(buf) - 1] = '\0';
	ck_assert_uint_eq(n, strlen(expect));
	ck_assert_str_eq(buf, expect);
}

/* The read/write call of pid is asleep on wmesg. */
static void
assert_asleep(int32_t pid, int sys, const char *wmesg)
{
	struct ps_sysret sr = t_sysret(pid);

	ck_assert_int_eq(sr.sys, sys);
	ck_assert_int_eq(sr.state, PS_SYSST_SLEEPING);
	ck_assert_str_eq(sr.wmesg, wmesg);
}

/* The call of pid was woken while its process is stopped: it is resumed
 * once the process is continued. */
static void
assert_woken_stopped(int32_t pid, int sys)
{
	struct ps_sysret sr = t_sysret(pid);

	ck_assert(is_stopped(pid));
	ck_assert_int_eq(sr.sys, sys);
	ck_assert_int_eq(sr.state, PS_SYSST_SLEEPING);
	ck_assert_str_eq(sr.wmesg, "");
	ck_assert_uint_eq(sr.wchan, 0);
}

/* The call of pid is done with retval (and, for a read, bytes data). */
static void
assert_done(int32_t pid, int sys, int64_t retval, const char *data)
{
	struct ps_sysret sr = t_sysret(pid);

	ck_assert_int_eq(sr.sys, sys);
	ck_assert_int_eq(sr.state, PS_SYSST_DONE);
	ck_assert_int_eq(sr.retval, retval);
	ck_assert_str_eq(sr.wmesg, "");
	if (data != NULL) {
		ck_assert_uint_eq(sr.nbytes, strlen(data));
		ck_assert_int_eq(memcmp(sr.data, data, sr.nbytes), 0);
	}
}

/* Signal-send events for sig in the log, as pids in order. */
static size_t
sends(int sig, int32_t *pids, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < t_events.n && i < EVLOG_MAX; i++) {
		const struct ps_event *e = &t_events.ev[i];
		if ((int)e->type != PS_EV_SIGNAL_SEND || e->sig != sig)
			continue;
		if (n < cap)
			pids[n] = e->pid;
		n++;
	}
	return n;
}

/*
 * A login shell with a controlling terminal and one background job of two
 * processes: sh (leader, foreground), j (sh's child, leader of group j),
 * j2 (j's child, in group j).  Group j is not orphaned: j's parent sh is
 * in another group of the session.
 */
struct term {
	int32_t dev, sh, j, j2;
};

static struct term
term_setup(void)
{
	struct term t;

	t.dev = new_tty("ttyv0");
	t.sh = t_session(t_sim);
	ck_assert_int_eq(ps_tiocsctty(t_sim, t.sh, t.dev), 0);
	t.j = t_fork(t_sim, t.sh);
	ck_assert_int_eq(ps_setpgid(t_sim, t.sh, t.j, t.j), 0);
	t.j2 = t_fork(t_sim, t.j);
	ck_assert_int_eq(ps_getpgid(t_sim, t.j2, 0), t.j);
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, t.sh, t.dev), t.sh);
	ck_assert_int_ne(t_jobc(t_sim, t.j), 0);
	return t;
}

/* --- reading in the foreground --- */

START_TEST(fg_read_takes_queued_bytes)
{
	struct term t = term_setup();
	char buf[64];

	input(t.dev, "hello");
	ck_assert_uint_eq(tinfo(t.dev).inq, 5);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, buf, sizeof(buf)), 5);
	ck_assert_int_eq(memcmp(buf, "hello", 5), 0);
	ck_assert_uint_eq(tinfo(t.dev).inq, 0);
	/* Up to len at once; the rest stays queued, in order. */
	input(t.dev, "abcdef");
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, buf, 4), 4);
	ck_assert_int_eq(memcmp(buf, "abcd", 4), 0);
	ck_assert_int_eq(buf[4], 0);
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, buf, sizeof(buf)), 2);
	ck_assert_int_eq(memcmp(buf, "ef", 2), 0);
	/* Nothing slept: no sleep, no sysret event; the record says done. */
	ck_assert_uint_eq(t_count(PS_EV_SLEEP, 0, 0), 0);
	ck_assert_uint_eq(t_count(PS_EV_SYSRET, 0, 0), 0);
	assert_done(t.sh, PS_SYS_READ, 2, "ef");
	/* A zero-length read returns 0 at once, even with nothing queued. */
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, NULL, 0), 0);
	ck_assert_uint_eq(t_count(PS_EV_SLEEP, 0, 0), 0);
	/* More than fits is dropped: the queue holds PS_TTY_QUEUE_SIZE bytes. */
	static char big[PS_TTY_QUEUE_SIZE + 100];
	memset(big, 'q', sizeof(big));
	ck_assert_int_eq(ps_tty_input(t_sim, t.dev, big, sizeof(big)), PS_TTY_QUEUE_SIZE);
	ck_assert_int_eq(ps_tty_input(t_sim, t.dev, "z", 1), 0);
	ck_assert_uint_eq(tinfo(t.dev).inq, PS_TTY_QUEUE_SIZE);
	/* A read that completes within the call is not capped at 256. */
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, big, sizeof(big)), PS_TTY_QUEUE_SIZE);
	ck_assert_uint_eq(tinfo(t.dev).inq, 0);
}
END_TEST

START_TEST(fg_read_sleeps_until_input)
{
	struct term t = term_setup();
	char buf[16] = "untouched";

	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, buf, sizeof(buf)), PS_EINPROGRESS);
	ck_assert_str_eq(buf, "untouched");
	assert_asleep(t.sh, PS_SYS_READ, "ttyin");
	ck_assert_uint_eq(t_sysret(t.sh).slept, 1);
	ck_assert_uint_eq(t_count(PS_EV_SLEEP, t.sh, 0), 1);
	/* Asleep in a call: it makes no other. */
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, buf, sizeof(buf)), PS_EBUSY);
	ck_assert_int_eq(ps_tty_write(t_sim, t.sh, t.dev, "x", 1), PS_EBUSY);
	t_clear_events();
	input(t.dev, "ls\n");
	assert_done(t.sh, PS_SYS_READ, 3, "ls\n");
	ck_assert_uint_eq(tinfo(t.dev).inq, 0);
	ck_assert_str_eq(buf, "untouched"); /* Completed later: buf not written. */
	long w = t_find(0, PS_EV_WAKEUP, t.sh, 0), r = t_find(0, PS_EV_SYSRET, t.sh, 0);
	ck_assert_int_ge(w, 0);
	ck_assert_int_gt(r, w);
	ck_assert_int_eq(t_events.ev[r].value, 3);
	ck_assert_uint_eq(t_count(PS_EV_SYSRET, 0, 0), 1);
	/* Two readers asleep: the first woken takes everything queued. */
	int32_t c = t_fork(t_sim, t.sh);
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, buf, 8), PS_EINPROGRESS);
	ck_assert_int_eq(ps_tty_read(t_sim, c, t.dev, buf, 8), PS_EINPROGRESS);
	input(t.dev, "abc");
	assert_done(t.sh, PS_SYS_READ, 3, "abc");
	assert_asleep(c, PS_SYS_READ, "ttyin");
	ck_assert_uint_eq(t_sysret(c).slept, 2);
	input(t.dev, "d");
	assert_done(c, PS_SYS_READ, 1, "d");
}
END_TEST

/*
 * The sleep queues grow with the process tables (kern_proc.c): readers
 * asleep on one terminal when thousands of processes are created, and the
 * queues rehashed several times, are still woken in the order they went to
 * sleep, and every process is still found by its pid, its group by its
 * pgid, its zombie by its parent's wait.
 */
START_TEST(readers_keep_their_order_across_table_growth)
{
	struct term t = term_setup();
	int32_t r[4], crowd[700];
	char buf[8];
	int status;

	r[0] = t.sh;
	for (int i = 1; i < 4; i++)
		r[i] = t_fork(t_sim, t.sh);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(ps_tty_read(t_sim, r[i], t.dev, buf, 1), PS_EINPROGRESS);
	/* 64 buckets at first: 700 more processes double them 4 times. */
	for (int i = 0; i < 700; i++) {
		crowd[i] = t_fork(t_sim, i % 2 == 0 ? 1 : t.j);
		if (i % 100 == 0)
			t_setpgid_ok(crowd[i], crowd[i], crowd[i]);
	}
	for (int i = 0; i < 4; i++)
		assert_asleep(r[i], PS_SYS_READ, "ttyin");
	/* One byte at a time: each goes to the longest sleeper. */
	input(t.dev, "a");
	assert_done(r[0], PS_SYS_READ, 1, "a");
	input(t.dev, "b");
	assert_done(r[1], PS_SYS_READ, 1, "b");
	input(t.dev, "c");
	assert_done(r[2], PS_SYS_READ, 1, "c");
	input(t.dev, "d");
	assert_done(r[3], PS_SYS_READ, 1, "d");
	/* Every process, group and zombie is found. */
	for (int i = 0; i < 700; i++) {
		ck_assert_int_eq(ps_pfind(t_sim, crowd[i]), 0);
		if (i % 100 == 0)
			ck_assert_int_eq(ps_getpgid(t_sim, crowd[i], crowd[i]), crowd[i]);
	}
	for (int i = 1; i < 700; i += 2)
		ck_assert_int_eq(ps_exit(t_sim, crowd[i], 0), 0);
	for (int i = 1; i < 700; i += 2)
		ck_assert_int_eq(ps_wait(t_sim, t.j, crowd[i], PS_WNOHANG, &status), crowd[i]);
	t_check(t_sim);
}
END_TEST

/* A read that completes after its call returned hands out at most 256
 * bytes (ps_sysret's data); the rest stays queued. */
START_TEST(slept_read_capped)
{
	struct term t = term_setup();
	static char buf[1000], big[600];

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, buf, sizeof(buf)), PS_EINPROGRESS);
	ck_assert_int_eq(ps_tty_input(t_sim, t.dev, big, sizeof(big)), (int)sizeof(big));
	struct ps_sysret sr = t_sysret(t.sh);
	ck_assert_int_eq(sr.state, PS_SYSST_DONE);
	ck_assert_int_eq(sr.retval, PS_TTY_READ_SLEPT_MAX);
	ck_assert_uint_eq(sr.nbytes, PS_TTY_READ_SLEPT_MAX);
	ck_assert_int_eq(memcmp(sr.data, big, PS_TTY_READ_SLEPT_MAX), 0);
	ck_assert_uint_eq(tinfo(t.dev).inq, sizeof(big) - PS_TTY_READ_SLEPT_MAX);
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, buf, sizeof(buf)),
	                 (int)(sizeof(big) - PS_TTY_READ_SLEPT_MAX));
	ck_assert_int_eq(
	    memcmp(buf, big + PS_TTY_READ_SLEPT_MAX, sizeof(big) - PS_TTY_READ_SLEPT_MAX), 0);
	/* A smaller read that slept returns at most its length. */
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, buf, 2), PS_EINPROGRESS);
	input(t.dev, "xyz");
	assert_done(t.sh, PS_SYS_READ, 2, "xy");
	ck_assert_uint_eq(tinfo(t.dev).inq, 1);
}
END_TEST

/* --- background reads: SIGTTIN --- */

START_TEST(bg_read_sigttin_stops_group)
{
	struct term t = term_setup();
	int32_t members[8], got[8];
	size_t nm = 0;
	char buf[16];

	ck_assert_int_eq(ps_pgrp_members(t_sim, t.j, members, 8, &nm), 0);
	ck_assert_uint_eq(nm, 2);
	input(t.dev, "typed");
	t_clear_events();
	/* Input is queued, but the reader is in the background. */
	ck_assert_int_eq(ps_tty_read(t_sim, t.j, t.dev, buf, sizeof(buf)), PS_EINPROGRESS);
	/* SIGTTIN to every member of the group, from the kernel, in member order. */
	ck_assert_uint_eq(sends(PS_SIGTTIN, got, 8), nm);
	for (size_t i = 0; i < nm; i++)
		ck_assert_int_eq(got[i], members[i]);
	for (size_t i = 0; i < t_events.n; i++)
		if (t_events.ev[i].type == PS_EV_SIGNAL_SEND && t_events.ev[i].sig == PS_SIGTTIN)
			ck_assert_int_eq(t_events.ev[i].pid2, 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.sh, 0),
	                  t_count(PS_EV_SIGNAL_SEND, t.sh, PS_SIGCHLD));
	/* Both stopped; the reader stopped as it went to sleep, and sleeps on. */
	ck_assert(is_stopped(t.j));
	ck_assert(is_stopped(t.j2));
	ck_assert_uint_eq(t_count(PS_EV_STOP, t.j, PS_SIGTTIN), 1);
	ck_assert_uint_eq(t_count(PS_EV_STOP, t.j2, PS_SIGTTIN), 1);
	long stop = t_find(0, PS_EV_STOP, t.j, PS_SIGTTIN), sl = t_find(0, PS_EV_SLEEP, t.j, 0);
	ck_assert_int_ge(stop, 0);
	ck_assert_int_gt(sl, stop);
	assert_asleep(t.j, PS_SYS_READ, "ttybg");
	ck_assert_uint_eq(tinfo(t.dev).inq, 5);
	/* The parents hear of the stops: sh of j, j of j2. */
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.sh, PS_SIGCHLD), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.j, PS_SIGCHLD), 1);
	int st = 0;
	ck_assert_int_eq(ps_wait(t_sim, t.sh, t.j, PS_WUNTRACED | PS_WNOHANG, &st), t.j);
	ck_assert(PS_WIFSTOPPED(st));
	ck_assert_int_eq(PS_WSTOPSIG(st), PS_SIGTTIN);
	/* Stopped: no calls. */
	ck_assert_int_eq(ps_tty_read(t_sim, t.j2, t.dev, buf, sizeof(buf)), PS_EBUSY);
	/* fg: the shell gives the job the terminal, then continues it. */
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, t.sh, t.dev, t.j), 0);
	ck_assert(is_stopped(t.j));
	assert_woken_stopped(t.j, PS_SYS_READ);
	ck_assert_uint_eq(tinfo(t.dev).inq, 5);
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, t.sh, -t.j, PS_SIGCONT), 0);
	ck_assert(!is_stopped(t.j));
	ck_assert(!is_stopped(t.j2));
	assert_done(t.j, PS_SYS_READ, 5, "typed");
	ck_assert_uint_eq(tinfo(t.dev).inq, 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, PS_SIGTTIN), 0);
	ck_assert_uint_eq(t_count(PS_EV_SYSRET, t.j, 0), 1);
	/* Now in the foreground, j reads directly. */
	input(t.dev, "more");
	ck_assert_int_eq(ps_tty_read(t_sim, t.j2, t.dev, buf, sizeof(buf)), 4);
	ck_assert_int_eq(memcmp(buf, "more", 4), 0);
	/* sh is now in the background, but its group is orphaned (its parent,
	 * init, is in another session): EIO, no signal. */
	t_clear_events();
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, buf, sizeof(buf)), PS_EIO);
	ck_assert(!is_stopped(t.sh));
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, 0), 0);
}
END_TEST

/* bg after a SIGTTIN stop: continued in the background, the reader stays
 * asleep until it is put in the foreground. */
START_TEST(bg_read_continued_in_background_waits)
{
	struct term t = term_setup();
	char buf[16];

	ck_assert_int_eq(ps_tty_read(t_sim, t.j, t.dev, buf, sizeof(buf)), PS_EINPROGRESS);
	ck_assert(is_stopped(t.j));
	ck_assert_int_eq(ps_kill(t_sim, t.sh, -t.j, PS_SIGCONT), 0);
	ck_assert(!is_stopped(t.j));
	assert_asleep(t.j, PS_SYS_READ, "ttybg");
	input(t.dev, "abc");
	assert_asleep(t.j, PS_SYS_READ, "ttybg");
	/* tcsetpgrp to another group wakes it; still behind: SIGTTIN again. */
	int32_t k2 = t_fork(t_sim, t.sh);
	ck_assert_int_eq(ps_setpgid(t_sim, t.sh, k2, k2), 0);
	t_clear_events();
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, t.sh, t.dev, k2), 0);
	ck_assert_uint_eq(t_count(PS_EV_WAKEUP, t.j, 0), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.j, PS_SIGTTIN), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.j2, PS_SIGTTIN), 1);
	ck_assert(is_stopped(t.j));
	assert_asleep(t.j, PS_SYS_READ, "ttybg");
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, t.sh, t.dev, t.j), 0);
	assert_woken_stopped(t.j, PS_SYS_READ);
	ck_assert_int_eq(ps_kill(t_sim, t.sh, t.j, PS_SIGCONT), 0);
	assert_done(t.j, PS_SYS_READ, 3, "abc");
}
END_TEST

START_TEST(bg_read_sigttin_ignored_eio)
{
	struct term t = term_setup();
	char buf[16];

	t_set_action(t.j, PS_SIGTTIN, PS_SIG_IGN, 0);
	input(t.dev, "abc");
	t_clear_events();
	ck_assert_int_eq(ps_tty_read(t_sim, t.j, t.dev, buf, sizeof(buf)), PS_EIO);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, PS_SIGTTIN), 0);
	ck_assert_uint_eq(t_count(PS_EV_SLEEP, 0, 0), 0);
	ck_assert(!is_stopped(t.j) && !is_stopped(t.j2));
	ck_assert_uint_eq(tinfo(t.dev).inq, 3);
	assert_done(t.j, PS_SYS_READ, PS_EIO, NULL);
}
END_TEST

START_TEST(bg_read_sigttin_blocked_eio)
{
	struct term t = term_setup();
	char buf[16];

	ck_assert_int_eq(ps_sigprocmask(t_sim, t.j, 1, SIGBIT(PS_SIGTTIN), NULL), 0);
	t_clear_events();
	ck_assert_int_eq(ps_tty_read(t_sim, t.j, t.dev, buf, sizeof(buf)), PS_EIO);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, PS_SIGTTIN), 0);
	ck_assert(!is_stopped(t.j) && !is_stopped(t.j2));
	/* Another member, not blocking it, stops the whole group. */
	ck_assert_int_eq(ps_tty_read(t_sim, t.j2, t.dev, buf, sizeof(buf)), PS_EINPROGRESS);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, PS_SIGTTIN), 2);
	ck_assert(is_stopped(t.j2));
	ck_assert(!is_stopped(t.j)); /* Blocked: pending, not acted on. */
	ck_assert((pinfo_siglist(t.j) & SIGBIT(PS_SIGTTIN)) != 0);
}
END_TEST

/* An orphaned group may neither read nor (with TOSTOP) write: EIO, and no
 * signal is sent. */
START_TEST(orphaned_group_eio)
{
	struct term t = term_setup();
	struct ps_pgrp_info gi;
	char buf[16];

	/* j exits: j2 goes to init, and group j (only j2) is orphaned. */
	ck_assert_int_eq(ps_exit(t_sim, t.j, 0), 0);
	ck_assert_int_eq(ps_pgrp_info(t_sim, t.j, &gi), 0);
	ck_assert_int_eq(gi.orphaned, 1);
	ck_assert((t_flags(t_sim, t.j2) & PS_P_CONTROLT) != 0);
	input(t.dev, "abc");
	t_clear_events();
	ck_assert_int_eq(ps_tty_read(t_sim, t.j2, t.dev, buf, sizeof(buf)), PS_EIO);
	ck_assert_int_eq(ps_tty_write(t_sim, t.j2, t.dev, "x", 1), 1); /* No TOSTOP. */
	ck_assert_int_eq(ps_tty_set_tostop(t_sim, t.dev, 1), 0);
	ck_assert_int_eq(ps_tty_write(t_sim, t.j2, t.dev, "y", 1), PS_EIO);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, 0), 0);
	ck_assert_uint_eq(t_count(PS_EV_SLEEP, 0, 0), 0);
	ck_assert(!is_stopped(t.j2));
	ck_assert_uint_eq(tinfo(t.dev).inq, 3);
	assert_output(t.dev, "x");
}
END_TEST

/* A caught SIGTTIN interrupts the reader's sleep: EINTR; with SA_RESTART
 * the read is made again after the handler and sleeps again. */
START_TEST(caught_sigttin_eintr)
{
	struct term t = term_setup();
	char buf[16];

	t_set_action(t.j, PS_SIGTTIN, HANDLER_ADDR, 0);
	t_clear_events();
	ck_assert_int_eq(ps_tty_read(t_sim, t.j, t.dev, buf, sizeof(buf)), PS_EINTR);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.j, PS_SIGTTIN), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DELIVER, t.j, PS_SIGTTIN), 1); /* The handler. */
	ck_assert(!is_stopped(t.j));
	ck_assert(is_stopped(t.j2)); /* Its default action. */
	assert_done(t.j, PS_SYS_READ, PS_EINTR, NULL);
	ck_assert_uint_eq(t_count(PS_EV_SLEEP, t.j, 0), 0);
}
END_TEST

START_TEST(caught_sigttin_restart_sleeps_again)
{
	struct term t = term_setup();
	char buf[16];

	t_set_action(t.j, PS_SIGTTIN, HANDLER_ADDR, PS_SA_RESTART);
	t_set_action(t.j2, PS_SIGTTIN, PS_SIG_IGN, 0);
	t_clear_events();
	ck_assert_int_eq(ps_tty_read(t_sim, t.j, t.dev, buf, sizeof(buf)), PS_EINPROGRESS);
	/* Posted once, handled once, and the restarted read sleeps. */
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.j, PS_SIGTTIN), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DELIVER, t.j, PS_SIGTTIN), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DISCARD, t.j2, PS_SIGTTIN), 1);
	ck_assert(!is_stopped(t.j));
	assert_asleep(t.j, PS_SYS_READ, "ttybg");
	long d = t_find(0, PS_EV_SIGNAL_DELIVER, t.j, PS_SIGTTIN),
	     s = t_find(0, PS_EV_SLEEP, t.j, 0);
	ck_assert_int_ge(d, 0);
	ck_assert_int_gt(s, d);
	/* Put in the foreground it waits for input, then reads. */
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, t.sh, t.dev, t.j), 0);
	assert_asleep(t.j, PS_SYS_READ, "ttyin");
	input(t.dev, "ok");
	assert_done(t.j, PS_SYS_READ, 2, "ok");
	/* A caught signal while asleep for input: EINTR from the sleep. */
	t_set_action(t.j, PS_SIGUSR1, HANDLER_ADDR, 0);
	ck_assert_int_eq(ps_tty_read(t_sim, t.j, t.dev, buf, sizeof(buf)), PS_EINPROGRESS);
	ck_assert_int_eq(ps_kill(t_sim, t.sh, t.j, PS_SIGUSR1), 0);
	assert_done(t.j, PS_SYS_READ, PS_EINTR, NULL);
}
END_TEST

/* --- background writes: SIGTTOU with TOSTOP --- */

START_TEST(bg_write_without_tostop)
{
	struct term t = term_setup();

	ck_assert_int_eq(tinfo(t.dev).tostop, 0);
	t_clear_events();
	ck_assert_int_eq(ps_tty_write(t_sim, t.j, t.dev, "out", 3), 3);
	ck_assert_int_eq(ps_tty_write(t_sim, t.sh, t.dev, "put", 3), 3);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, 0), 0);
	ck_assert_uint_eq(tinfo(t.dev).outq, 6);
	assert_done(t.j, PS_SYS_WRITE, 3, NULL);
	assert_output(t.dev, "output");
	ck_assert_uint_eq(tinfo(t.dev).outq, 0);
	/* Zero bytes: 0. */
	ck_assert_int_eq(ps_tty_write(t_sim, t.j, t.dev, NULL, 0), 0);
}
END_TEST

START_TEST(bg_write_tostop_sigttou_stops)
{
	struct term t = term_setup();
	int32_t got[8], members[8];
	size_t nm;

	ck_assert_int_eq(ps_pgrp_members(t_sim, t.j, members, 8, &nm), 0);
	ck_assert_int_eq(ps_tty_set_tostop(t_sim, t.dev, 1), 0);
	ck_assert_int_eq(tinfo(t.dev).tostop, 1);
	/* The foreground writes freely. */
	ck_assert_int_eq(ps_tty_write(t_sim, t.sh, t.dev, "$ ", 2), 2);
	t_clear_events();
	ck_assert_int_eq(ps_tty_write(t_sim, t.j, t.dev, "out", 3), PS_EINPROGRESS);
	ck_assert_uint_eq(sends(PS_SIGTTOU, got, 8), nm);
	for (size_t i = 0; i < nm; i++)
		ck_assert_int_eq(got[i], members[i]);
	ck_assert(is_stopped(t.j) && is_stopped(t.j2));
	ck_assert_uint_eq(t_count(PS_EV_STOP, t.j, PS_SIGTTOU), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.sh, PS_SIGCHLD), 1);
	assert_asleep(t.j, PS_SYS_WRITE, "ttybg");
	ck_assert_uint_eq(tinfo(t.dev).outq, 2);
	/* fg: the write goes through. */
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, t.sh, t.dev, t.j), 0);
	ck_assert_int_eq(ps_kill(t_sim, t.sh, -t.j, PS_SIGCONT), 0);
	assert_done(t.j, PS_SYS_WRITE, 3, NULL);
	assert_output(t.dev, "$ out");
	/* -tostop: background writes go through again. */
	ck_assert_int_eq(ps_tty_set_tostop(t_sim, t.dev, 0), 0);
	t_clear_events();
	ck_assert_int_eq(ps_tty_write(t_sim, t.sh, t.dev, "bg", 2), 2);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, 0), 0);
}
END_TEST

START_TEST(bg_write_sigttou_ignored_or_blocked_written)
{
	struct term t = term_setup();

	ck_assert_int_eq(ps_tty_set_tostop(t_sim, t.dev, 1), 0);
	t_set_action(t.j, PS_SIGTTOU, PS_SIG_IGN, 0);
	ck_assert_int_eq(ps_sigprocmask(t_sim, t.j2, 1, SIGBIT(PS_SIGTTOU), NULL), 0);
	t_clear_events();
	ck_assert_int_eq(ps_tty_write(t_sim, t.j, t.dev, "ign", 3), 3);
	ck_assert_int_eq(ps_tty_write(t_sim, t.j2, t.dev, "blk", 3), 3);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, 0), 0);
	ck_assert(!is_stopped(t.j) && !is_stopped(t.j2));
	assert_output(t.dev, "ignblk");
}
END_TEST

/* A caught SIGTTOU: EINTR, nothing written. */
START_TEST(bg_write_caught_sigttou_eintr)
{
	struct term t = term_setup();

	ck_assert_int_eq(ps_tty_set_tostop(t_sim, t.dev, 1), 0);
	t_set_action(t.j, PS_SIGTTOU, HANDLER_ADDR, 0);
	ck_assert_int_eq(ps_tty_write(t_sim, t.j, t.dev, "abc", 3), PS_EINTR);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DELIVER, t.j, PS_SIGTTOU), 1);
	ck_assert(is_stopped(t.j2));
	ck_assert_uint_eq(tinfo(t.dev).outq, 0);
}
END_TEST

/* The output queue is bounded: a writer sleeps until the terminal drains
 * it, then finishes. */
START_TEST(write_sleeps_on_full_output_queue)
{
	struct term t = term_setup();
	static char data[9000], out[PS_TTY_QUEUE_SIZE];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)('A' + i % 23);
	ck_assert_int_eq(ps_tty_write(t_sim, t.sh, t.dev, data, sizeof(data)), PS_EINPROGRESS);
	assert_asleep(t.sh, PS_SYS_WRITE, "ttyout");
	ck_assert_uint_eq(tinfo(t.dev).outq, PS_TTY_QUEUE_SIZE);
	/* Changing the caller's data afterwards changes nothing: it was copied. */
	memset(data, '!', sizeof(data));
	/* Drain 1000: the writer queues 1000 more and sleeps again. */
	ck_assert_int_eq(ps_tty_output(t_sim, t.dev, out, 1000, &n), 0);
	ck_assert_uint_eq(n, 1000);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(out[i], (char)('A' + i % 23));
	ck_assert_uint_eq(tinfo(t.dev).outq, PS_TTY_QUEUE_SIZE);
	assert_asleep(t.sh, PS_SYS_WRITE, "ttyout");
	ck_assert_uint_eq(t_sysret(t.sh).slept, 2);
	/* Drain a queueful: the rest (3904 bytes) fits, the write completes. */
	ck_assert_int_eq(ps_tty_output(t_sim, t.dev, out, sizeof(out), &n), 0);
	ck_assert_uint_eq(n, PS_TTY_QUEUE_SIZE);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(out[i], (char)('A' + (i + 1000) % 23));
	assert_done(t.sh, PS_SYS_WRITE, 9000, NULL);
	ck_assert_uint_eq(t_count(PS_EV_SYSRET, t.sh, 0), 1);
	ck_assert_uint_eq(tinfo(t.dev).outq, 9000 - 1000 - PS_TTY_QUEUE_SIZE);
	ck_assert_int_eq(ps_tty_output(t_sim, t.dev, out, sizeof(out), &n), 0);
	ck_assert_uint_eq(n, 9000 - 1000 - PS_TTY_QUEUE_SIZE);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(out[i], (char)('A' + (i + 1000 + PS_TTY_QUEUE_SIZE) % 23));
	ck_assert_int_eq(ps_tty_output(t_sim, t.dev, out, sizeof(out), &n), 0);
	ck_assert_uint_eq(n, 0);
	/* A writer interrupted after queueing some bytes returns that count. */
	ck_assert_int_eq(ps_tty_write(t_sim, t.sh, t.dev, data, PS_TTY_QUEUE_SIZE - 10),
	                 PS_TTY_QUEUE_SIZE - 10);
	t_set_action(t.sh, PS_SIGUSR1, HANDLER_ADDR, 0);
	int32_t c = t_fork(t_sim, t.sh);
	ck_assert_int_eq(ps_tty_write(t_sim, t.sh, t.dev, "0123456789abcdef", 16), PS_EINPROGRESS);
	ck_assert_int_eq(ps_kill(t_sim, c, t.sh, PS_SIGUSR1), 0);
	assert_done(t.sh, PS_SYS_WRITE, 10, NULL);
	/* None queued: EINTR. */
	ck_assert_int_eq(ps_tty_write(t_sim, t.sh, t.dev, "x", 1), PS_EINPROGRESS);
	ck_assert_int_eq(ps_kill(t_sim, c, t.sh, PS_SIGUSR1), 0);
	assert_done(t.sh, PS_SYS_WRITE, PS_EINTR, NULL);
	ck_assert_uint_eq(tinfo(t.dev).outq, PS_TTY_QUEUE_SIZE);
	/* None queued and SA_RESTART: made again after the handler, asleep again. */
	t_set_action(t.sh, PS_SIGUSR2, HANDLER_ADDR, PS_SA_RESTART);
	ck_assert_int_eq(ps_tty_write(t_sim, t.sh, t.dev, "yz", 2), PS_EINPROGRESS);
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, c, t.sh, PS_SIGUSR2), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DELIVER, t.sh, PS_SIGUSR2), 1);
	ck_assert_uint_eq(t_count(PS_EV_SYSRET, t.sh, 0), 0);
	assert_asleep(t.sh, PS_SYS_WRITE, "ttyout");
	ck_assert_uint_eq(t_sysret(t.sh).slept, 2);
	ck_assert_int_eq(ps_tty_output(t_sim, t.dev, out, 2, &n), 0);
	ck_assert_uint_eq(n, 2);
	assert_done(t.sh, PS_SYS_WRITE, 2, NULL);
	ck_assert_int_eq(ps_tty_output(t_sim, t.dev, out, sizeof(out), &n), 0);
	ck_assert_uint_eq(n, PS_TTY_QUEUE_SIZE);
	ck_assert_int_eq(memcmp(out + PS_TTY_QUEUE_SIZE - 2, "yz", 2), 0);
}
END_TEST

/* --- terminals that are not the caller's controlling terminal --- */

START_TEST(non_ctty_no_job_control)
{
	struct term t = term_setup();
	int32_t other = new_tty("ttyv1");
	char buf[16];

	ck_assert_int_eq(ps_tty_set_tostop(t_sim, other, 1), 0);
	input(other, "in");
	t_clear_events();
	/* A background job reads and writes another terminal freely. */
	ck_assert_int_eq(ps_tty_read(t_sim, t.j, other, buf, sizeof(buf)), 2);
	ck_assert_int_eq(memcmp(buf, "in", 2), 0);
	ck_assert_int_eq(ps_tty_write(t_sim, t.j, other, "out", 3), 3);
	ck_assert_int_eq(ps_tty_read(t_sim, t.j, other, buf, sizeof(buf)), PS_EINPROGRESS);
	assert_asleep(t.j, PS_SYS_READ, "ttyin");
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, 0), 0);
	ck_assert(!is_stopped(t.j));
	/* tcsetpgrp on the controlling terminal does not wake it. */
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, t.sh, t.dev, t.j), 0);
	assert_asleep(t.j, PS_SYS_READ, "ttyin");
	input(other, "z");
	assert_done(t.j, PS_SYS_READ, 1, "z");
	/* A process of another session reads ttyv0 with no checks either. */
	int32_t sh2 = t_session(t_sim);
	input(t.dev, "q");
	ck_assert_int_eq(ps_tty_read(t_sim, sh2, t.dev, buf, sizeof(buf)), 1);
	ck_assert_int_eq(ps_tty_set_tostop(t_sim, t.dev, 1), 0);
	ck_assert_int_eq(ps_tty_write(t_sim, sh2, t.dev, "w", 1), 1);
	/* A process without a controlling terminal: no checks. */
	int32_t d = t_fork(t_sim, 1);
	ck_assert_int_eq(ps_tty_write(t_sim, d, t.dev, "d", 1), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, PS_SIGTTIN), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, PS_SIGTTOU), 0);
	assert_output(t.dev, "wd");
	assert_output(other, "out");
}
END_TEST

/* --- hangup --- */

/* Carrier loss: SIGHUP to the session leader only; its default action
 * kills it, and its exit (killjobc) hangs up the foreground group and
 * revokes the terminal.  A background job is left alone. */
START_TEST(hangup_sighup_leader_then_killjobc)
{
	struct term t = term_setup();
	int32_t f = t_fork(t_sim, t.sh), f2;
	char buf[16];

	ck_assert_int_eq(ps_setpgid(t_sim, t.sh, f, f), 0);
	f2 = t_fork(t_sim, f);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, t.sh, t.dev, f), 0);
	input(t.dev, "lost");
	ck_assert_int_eq(ps_tty_write(t_sim, f, t.dev, "gone", 4), 4);
	t_clear_events();
	ck_assert_int_eq(ps_tty_hangup(t_sim, t.dev), 0);
	long h = t_find(0, PS_EV_HANGUP, 0, 0);
	ck_assert_int_ge(h, 0);
	ck_assert_int_eq(t_events.ev[h].value, t.dev);
	ck_assert_int_eq(t_events.ev[h].pid, 0);
	ck_assert_uint_eq(t_count(PS_EV_HANGUP, 0, 0), 1);
	/* The first SIGHUP after the hangup goes to the leader, from the kernel. */
	long s1 = t_find(h, PS_EV_SIGNAL_SEND, 0, PS_SIGHUP);
	ck_assert_int_eq(t_events.ev[s1].pid, t.sh);
	ck_assert_int_eq(t_events.ev[s1].pid2, 0);
	/* The leader dies of it; its exit sends SIGHUP to f and f2 and revokes. */
	long del = t_find(0, PS_EV_SIGNAL_DELIVER, t.sh, PS_SIGHUP);
	long hf = t_find(0, PS_EV_SIGNAL_SEND, f, PS_SIGHUP);
	long hf2 = t_find(0, PS_EV_SIGNAL_SEND, f2, PS_SIGHUP);
	long rv = t_find(0, PS_EV_REVOKE, 0, 0);
	long ex = t_find(0, PS_EV_EXIT, t.sh, 0);
	ck_assert_int_gt(del, s1);
	ck_assert_int_gt(hf, del);
	ck_assert_int_gt(hf2, del);
	ck_assert_int_gt(rv, hf);
	ck_assert_int_gt(ex, del);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.sh, PS_SIGHUP), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, f, PS_SIGHUP), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, f2, PS_SIGHUP), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.j, PS_SIGHUP), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.j2, PS_SIGHUP), 0);
	ck_assert_int_ne(t_state(t_sim, t.sh), PS_PRS_NORMAL);
	ck_assert_int_ne(t_state(t_sim, f), PS_PRS_NORMAL);
	ck_assert_int_ne(t_state(t_sim, f2), PS_PRS_NORMAL);
	ck_assert_int_eq(t_state(t_sim, t.j), PS_PRS_NORMAL);
	ck_assert_int_eq(t_state(t_sim, t.j2), PS_PRS_NORMAL);
	struct ps_tty_info ti = tinfo(t.dev);
	ck_assert_int_eq(ti.hungup, 1);
	ck_assert_uint_eq(ti.revokes, 1);
	ck_assert_uint_eq(ti.inq, 0); /* Flushed. */
	ck_assert_uint_eq(ti.outq, 0);
	/* The background job, now orphaned, reads end of file and cannot write. */
	ck_assert_int_eq(ps_tty_read(t_sim, t.j, t.dev, buf, sizeof(buf)), 0);
	ck_assert_int_eq(ps_tty_write(t_sim, t.j2, t.dev, "x", 1), PS_EIO);
	/* No more input; a second hangup does nothing. */
	ck_assert_int_eq(ps_tty_input(t_sim, t.dev, "x", 1), PS_EIO);
	t_clear_events();
	ck_assert_int_eq(ps_tty_hangup(t_sim, t.dev), 0);
	ck_assert_uint_eq(t_events.n, 0);
}
END_TEST

/* A leader that ignores SIGHUP survives: the terminal is hung up but not
 * revoked; reads give end of file, writes EIO, sleepers are woken. */
START_TEST(hangup_ignored_by_leader_eof_eio)
{
	struct term t = term_setup();
	static char fill[PS_TTY_QUEUE_SIZE];
	int32_t f = t_fork(t_sim, t.sh), w = t_fork(t_sim, t.sh);
	char buf[16];

	t_set_action(t.sh, PS_SIGHUP, PS_SIG_IGN, 0);
	ck_assert_int_eq(ps_setpgid(t_sim, t.sh, f, f), 0);
	ck_assert_int_eq(ps_setpgid(t_sim, t.sh, w, f), 0);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, t.sh, t.dev, f), 0);
	/* f asleep for input, w asleep on a full output queue. */
	ck_assert_int_eq(ps_tty_read(t_sim, f, t.dev, buf, sizeof(buf)), PS_EINPROGRESS);
	ck_assert_int_eq(ps_tty_write(t_sim, w, t.dev, fill, sizeof(fill)), PS_TTY_QUEUE_SIZE);
	ck_assert_int_eq(ps_tty_write(t_sim, w, t.dev, "more", 4), PS_EINPROGRESS);
	assert_asleep(w, PS_SYS_WRITE, "ttyout");
	t_clear_events();
	ck_assert_int_eq(ps_tty_hangup(t_sim, t.dev), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, 0), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.sh, PS_SIGHUP), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DISCARD, t.sh, PS_SIGHUP), 1);
	ck_assert_int_eq(t_state(t_sim, t.sh), PS_PRS_NORMAL);
	ck_assert_uint_eq(t_count(PS_EV_REVOKE, 0, 0), 0);
	/* The sleepers wake: the reader with end of file, the writer with EIO. */
	assert_done(f, PS_SYS_READ, 0, "");
	assert_done(w, PS_SYS_WRITE, PS_EIO, NULL);
	ck_assert_uint_eq(t_count(PS_EV_SYSRET, f, 0), 1);
	ck_assert_uint_eq(t_count(PS_EV_SYSRET, w, 0), 1);
	struct ps_tty_info ti = tinfo(t.dev);
	ck_assert_int_eq(ti.hungup, 1);
	ck_assert_uint_eq(ti.revokes, 0);
	ck_assert_uint_eq(ti.outq, 0);
	/* Later reads: end of file; writes: EIO (foreground and leader alike). */
	ck_assert_int_eq(ps_tty_read(t_sim, f, t.dev, buf, sizeof(buf)), 0);
	ck_assert_int_eq(ps_tty_write(t_sim, f, t.dev, "x", 1), PS_EIO);
	ck_assert_int_eq(ps_tty_write(t_sim, t.sh, t.dev, "x", 1), PS_EIO);
	/* The background check still comes first: j is in the background (and
	 * sh's own group is orphaned: its parent is init). */
	ck_assert_int_eq(ps_tty_read(t_sim, t.j, t.dev, buf, sizeof(buf)), PS_EINPROGRESS);
	ck_assert(is_stopped(t.j));
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, buf, sizeof(buf)), PS_EIO);
	/* Draining a flushed queue gives nothing. */
	size_t n = 7;
	ck_assert_int_eq(ps_tty_output(t_sim, t.dev, buf, sizeof(buf), &n), 0);
	ck_assert_uint_eq(n, 0);
}
END_TEST

/* The leader asleep in a read when the carrier goes: SIGHUP interrupts
 * the sleep and kills it; its read never completes. */
START_TEST(hangup_kills_leader_asleep_in_read)
{
	struct term t = term_setup();
	char buf[4];

	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, buf, sizeof(buf)), PS_EINPROGRESS);
	t_clear_events();
	ck_assert_int_eq(ps_tty_hangup(t_sim, t.dev), 0);
	ck_assert_int_ne(t_state(t_sim, t.sh), PS_PRS_NORMAL);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_DELIVER, t.sh, PS_SIGHUP), 1);
	ck_assert_uint_eq(t_count(PS_EV_SYSRET, 0, 0), 0);
	ck_assert_uint_eq(t_count(PS_EV_REVOKE, 0, 0), 1);
	/* The leader's group was the foreground: killjobc's SIGHUP went to it. */
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.sh, PS_SIGHUP), 2);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, t.j, PS_SIGHUP), 0);
	ck_assert_int_eq(t_state(t_sim, t.j), PS_PRS_NORMAL);
}
END_TEST

/* A terminal with no session: the hangup signals nobody. */
START_TEST(hangup_without_session)
{
	int32_t dev = new_tty("ttyd0");
	int32_t p = t_fork(t_sim, 1);
	char buf[4];

	ck_assert_int_eq(ps_tty_read(t_sim, p, dev, buf, sizeof(buf)), PS_EINPROGRESS);
	t_clear_events();
	ck_assert_int_eq(ps_tty_hangup(t_sim, dev), 0);
	ck_assert_uint_eq(t_count(PS_EV_HANGUP, 0, 0), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, 0), 0);
	assert_done(p, PS_SYS_READ, 0, "");
}
END_TEST

/* --- revocation by the session leader's exit --- */

START_TEST(leader_exit_revokes_ctty)
{
	struct term t = term_setup();
	int32_t f = t_fork(t_sim, t.sh);
	char buf[16];

	ck_assert_int_eq(ps_setpgid(t_sim, t.sh, f, f), 0);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, t.sh, t.dev, f), 0);
	t_set_action(f, PS_SIGHUP, PS_SIG_IGN, 0);
	ck_assert_int_eq(ps_tty_read(t_sim, f, t.dev, buf, sizeof(buf)), PS_EINPROGRESS);
	ck_assert_int_eq(ps_tty_set_tostop(t_sim, t.dev, 1), 0);
	t_clear_events();
	ck_assert_int_eq(ps_exit(t_sim, t.sh, 0), 0);
	long rv = t_find(0, PS_EV_REVOKE, 0, 0);
	ck_assert_int_ge(rv, 0);
	ck_assert_int_eq(t_events.ev[rv].value, t.dev);
	/* f ignored the SIGHUP; the revoke woke its read: end of file. */
	ck_assert_int_eq(t_state(t_sim, f), PS_PRS_NORMAL);
	assert_done(f, PS_SYS_READ, 0, "");
	ck_assert_int_gt(t_find(0, PS_EV_SYSRET, f, 0), rv);
	ck_assert_uint_eq(tinfo(t.dev).revokes, 1);
	ck_assert_int_eq(tinfo(t.dev).hungup, 0);
	/* Every member reads end of file and cannot write, with no job
	 * control (TOSTOP is set, j's group is orphaned and in the background). */
	input(t.dev, "late");
	t_clear_events();
	ck_assert_int_eq(ps_tty_read(t_sim, f, t.dev, buf, sizeof(buf)), 0);
	ck_assert_int_eq(ps_tty_read(t_sim, t.j, t.dev, buf, sizeof(buf)), 0);
	ck_assert_int_eq(ps_tty_read(t_sim, t.j2, t.dev, buf, sizeof(buf)), 0);
	ck_assert_int_eq(ps_tty_write(t_sim, f, t.dev, "x", 1), PS_EIO);
	ck_assert_int_eq(ps_tty_write(t_sim, t.j, t.dev, "x", 1), PS_EIO);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, 0), 0);
	ck_assert_uint_eq(tinfo(t.dev).inq, 4);
	ck_assert_uint_eq(tinfo(t.dev).outq, 0);
	/* A new session may take the terminal and use it; the old one still cannot. */
	int32_t sh2 = t_session(t_sim);
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh2, t.dev), 0);
	ck_assert_int_eq(ps_tty_read(t_sim, sh2, t.dev, buf, sizeof(buf)), 4);
	ck_assert_int_eq(memcmp(buf, "late", 4), 0);
	ck_assert_int_eq(ps_tty_write(t_sim, sh2, t.dev, "ok", 2), 2);
	ck_assert_int_eq(ps_tty_read(t_sim, f, t.dev, buf, sizeof(buf)), 0);
	assert_output(t.dev, "ok");
	ck_assert_int_eq(tinfo(t.dev).sid, sh2);
}
END_TEST

/* --- info and errors --- */

START_TEST(tty_info_fields)
{
	int32_t dev = new_tty("ttyv3");
	struct ps_tty_info ti = tinfo(dev);

	ck_assert_int_eq(ti.dev, dev);
	ck_assert_str_eq(ti.name, "ttyv3");
	ck_assert_int_eq(ti.sid, 0);
	ck_assert_int_eq(ti.pgid, 0);
	ck_assert_int_eq(ti.tostop, 0);
	ck_assert_int_eq(ti.hungup, 0);
	ck_assert_uint_eq(ti.revokes, 0);
	ck_assert_uint_eq(ti.inq, 0);
	ck_assert_uint_eq(ti.outq, 0);
	int32_t sh = t_session(t_sim), c;
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, dev), 0);
	c = t_fork(t_sim, sh);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, c), 0);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, sh, dev, c), 0);
	input(dev, "ab");
	ck_assert_int_eq(ps_tty_write(t_sim, c, dev, "xyz", 3), 3);
	ck_assert_int_eq(ps_tty_set_tostop(t_sim, dev, 1), 0);
	ti = tinfo(dev);
	ck_assert_int_eq(ti.sid, sh);
	ck_assert_int_eq(ti.pgid, c);
	ck_assert_int_eq(ti.tostop, 1);
	ck_assert_uint_eq(ti.inq, 2);
	ck_assert_uint_eq(ti.outq, 3);
}
END_TEST

START_TEST(api_errors)
{
	struct term t = term_setup();
	struct ps_tty_info ti;
	char buf[8];
	size_t n = 99;
	int32_t bad = 12345;

	/* NULL simulator. */
	ck_assert_int_eq(ps_tty_read(NULL, t.sh, t.dev, buf, 1), PS_EINVAL);
	ck_assert_int_eq(ps_tty_write(NULL, t.sh, t.dev, buf, 1), PS_EINVAL);
	ck_assert_int_eq(ps_tty_input(NULL, t.dev, buf, 1), PS_EINVAL);
	ck_assert_int_eq(ps_tty_output(NULL, t.dev, buf, 1, &n), PS_EINVAL);
	ck_assert_int_eq(ps_tty_set_tostop(NULL, t.dev, 1), PS_EINVAL);
	ck_assert_int_eq(ps_tty_hangup(NULL, t.dev), PS_EINVAL);
	ck_assert_int_eq(ps_tty_info(NULL, t.dev, &ti), PS_EINVAL);
	/* NULL buffers with a length, NULL outputs, bad values. */
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, NULL, 1), PS_EINVAL);
	ck_assert_int_eq(ps_tty_write(t_sim, t.sh, t.dev, NULL, 1), PS_EINVAL);
	ck_assert_int_eq(ps_tty_input(t_sim, t.dev, NULL, 1), PS_EINVAL);
	ck_assert_int_eq(ps_tty_output(t_sim, t.dev, NULL, 1, &n), PS_EINVAL);
	ck_assert_int_eq(ps_tty_output(t_sim, t.dev, buf, 1, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_tty_info(t_sim, t.dev, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_tty_set_tostop(t_sim, t.dev, 2), PS_EINVAL);
	ck_assert_int_eq(ps_tty_set_tostop(t_sim, t.dev, -1), PS_EINVAL);
	if (sizeof(size_t) > 4) {
		ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, buf, (size_t)INT32_MAX + 1),
		                 PS_EINVAL);
		ck_assert_int_eq(ps_tty_write(t_sim, t.sh, t.dev, buf, (size_t)INT32_MAX + 1),
		                 PS_EINVAL);
	}
	ck_assert_uint_eq(n, 99);
	/* NULL with a zero length is fine. */
	ck_assert_int_eq(ps_tty_input(t_sim, t.dev, NULL, 0), 0);
	ck_assert_int_eq(ps_tty_output(t_sim, t.dev, NULL, 0, &n), 0);
	ck_assert_uint_eq(n, 0);
	/* Unknown terminals. */
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, bad, buf, 1), PS_ENOTTY);
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, -1, buf, 1), PS_ENOTTY);
	ck_assert_int_eq(ps_tty_write(t_sim, t.sh, bad, buf, 1), PS_ENOTTY);
	ck_assert_int_eq(ps_tty_input(t_sim, bad, buf, 1), PS_ENOTTY);
	ck_assert_int_eq(ps_tty_output(t_sim, bad, buf, 1, &n), PS_ENOTTY);
	ck_assert_int_eq(ps_tty_set_tostop(t_sim, bad, 1), PS_ENOTTY);
	ck_assert_int_eq(ps_tty_hangup(t_sim, bad), PS_ENOTTY);
	ck_assert_int_eq(ps_tty_info(t_sim, bad, &ti), PS_ENOTTY);
	/* Bad callers: no such process, a zombie, a system process. */
	ck_assert_int_eq(ps_tty_read(t_sim, 4242, t.dev, buf, 1), PS_ESRCH);
	ck_assert_int_eq(ps_tty_read(t_sim, -1, t.dev, buf, 1), PS_ESRCH);
	ck_assert_int_eq(ps_tty_write(t_sim, 4242, t.dev, buf, 1), PS_ESRCH);
	ck_assert_int_eq(ps_tty_write(t_sim, 1 << 30, t.dev, buf, 1), PS_ESRCH);
	int32_t z = t_fork(t_sim, t.sh);
	ck_assert_int_eq(ps_exit(t_sim, z, 0), 0);
	ck_assert_int_eq(ps_tty_read(t_sim, z, t.dev, buf, 1), PS_ESRCH);
	ck_assert_int_eq(ps_tty_write(t_sim, z, t.dev, buf, 1), PS_ESRCH);
	ck_assert_int_eq(ps_tty_read(t_sim, 0, t.dev, buf, 1), PS_EPERM);
	ck_assert_int_eq(ps_tty_write(t_sim, 0, t.dev, buf, 1), PS_EPERM);
	/* A stopped caller, and one asleep in a call: PS_EBUSY. */
	ck_assert_int_eq(ps_kill(t_sim, t.sh, t.j, PS_SIGSTOP), 0);
	ck_assert_int_eq(ps_tty_read(t_sim, t.j, t.dev, buf, 1), PS_EBUSY);
	ck_assert_int_eq(ps_tty_write(t_sim, t.j, t.dev, buf, 1), PS_EBUSY);
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, buf, 1), PS_EINPROGRESS);
	ck_assert_int_eq(ps_tty_read(t_sim, t.sh, t.dev, buf, 1), PS_EBUSY);
	ck_assert_int_eq(ps_tty_write(t_sim, t.sh, t.dev, buf, 1), PS_EBUSY);
	/* None of the failed calls changed the terminal. */
	ti = tinfo(t.dev);
	ck_assert_uint_eq(ti.inq, 0);
	ck_assert_uint_eq(ti.outq, 0);
	ck_assert_int_eq(ti.tostop, 0);
	ck_assert_int_eq(ti.hungup, 0);
	ck_assert_uint_eq(t_count(PS_EV_HANGUP, 0, 0), 0);
}
END_TEST

/* The 2008 exit1's inline leader block instead of killjobc. */
static void
setup_leader_exit_2008(void)
{
	struct ps_config cfg;

	t_setup();
	cfg = t_config();
	cfg.leader_exit = PS_LEADER_EXIT_2008;
	t_replace_sim(&cfg);
}

int
main(void)
{
	Suite *s = suite_create("tty");
	TCase *tc;

	tc = tcase_create("foreground");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, fg_read_takes_queued_bytes);
	tcase_add_test(tc, fg_read_sleeps_until_input);
	tcase_add_test(tc, readers_keep_their_order_across_table_growth);
	tcase_add_test(tc, slept_read_capped);
	tcase_add_test(tc, write_sleeps_on_full_output_queue);
	suite_add_tcase(s, tc);

	tc = tcase_create("background");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, bg_read_sigttin_stops_group);
	tcase_add_test(tc, bg_read_continued_in_background_waits);
	tcase_add_test(tc, bg_read_sigttin_ignored_eio);
	tcase_add_test(tc, bg_read_sigttin_blocked_eio);
	tcase_add_test(tc, orphaned_group_eio);
	tcase_add_test(tc, caught_sigttin_eintr);
	tcase_add_test(tc, caught_sigttin_restart_sleeps_again);
	tcase_add_test(tc, bg_write_without_tostop);
	tcase_add_test(tc, bg_write_tostop_sigttou_stops);
	tcase_add_test(tc, bg_write_sigttou_ignored_or_blocked_written);
	tcase_add_test(tc, bg_write_caught_sigttou_eintr);
	tcase_add_test(tc, non_ctty_no_job_control);
	suite_add_tcase(s, tc);

	tc = tcase_create("hangup");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, hangup_sighup_leader_then_killjobc);
	tcase_add_test(tc, hangup_ignored_by_leader_eof_eio);
	tcase_add_test(tc, hangup_kills_leader_asleep_in_read);
	tcase_add_test(tc, hangup_without_session);
	tcase_add_test(tc, leader_exit_revokes_ctty);
	suite_add_tcase(s, tc);

	/* Job control and hangup under the other accounting and exit paths. */
	tc = tcase_create("dragonfly");
	tcase_add_checked_fixture(tc, t_setup_dragonfly, t_teardown);
	tcase_add_test(tc, bg_read_sigttin_stops_group);
	tcase_add_test(tc, orphaned_group_eio);
	tcase_add_test(tc, bg_write_tostop_sigttou_stops);
	tcase_add_test(tc, hangup_sighup_leader_then_killjobc);
	tcase_add_test(tc, leader_exit_revokes_ctty);
	suite_add_tcase(s, tc);

	tc = tcase_create("leader_exit_2008");
	tcase_add_checked_fixture(tc, setup_leader_exit_2008, t_teardown);
	tcase_add_test(tc, hangup_sighup_leader_then_killjobc);
	tcase_add_test(tc, hangup_kills_leader_asleep_in_read);
	tcase_add_test(tc, leader_exit_revokes_ctty);
	suite_add_tcase(s, tc);

	tc = tcase_create("api");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, tty_info_fields);
	tcase_add_test(tc, api_errors);
	suite_add_tcase(s, tc);

	return t_run(s);
}
