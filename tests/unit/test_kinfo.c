/*
 * kinfo_proc export (spec-kern_proc.md §6, I19, I22, §10.2 items 10-15):
 * the selectors and their filters, per-thread and per-process records,
 * list order, the size probe's slack, a short buffer, argument errors, the
 * zombie-by-pid quirk, visibility, the terminal fields, KI_CTTY after the
 * leader's exit, the real parent against the debugger, and ps(1)'s STAT.
 *
 * Trees are built through the public API.  The only exception is a sleeping
 * thread: the object level has no call that sleeps, so those tests set a
 * thread's state through the kernel (ps__kernel) and put it back.
 */
#include "testlib.h"

#include "kern/internal_api.h"
#include "kern/kern.h"

#include <string.h>

#define SIGBIT(s) (1u << ((s) - 1))
#define MAXREC 64

static struct ps_kinfo_proc recs[MAXREC];

/* --- helpers --- */

static int32_t
no_pid(void)
{
	struct ps_config cfg;

	ck_assert_int_eq(ps_sim_config(t_sim, &cfg), 0);
	return cfg.pid_max + 1;
}

static int32_t
nprocs(void)
{
	struct ps_sim_stats st;

	ck_assert_int_eq(ps_sim_stats(t_sim, &st), 0);
	return st.nprocs;
}

/* A query by caller into recs; fails the test unless it succeeds. */
static size_t
query_as(int32_t caller, int selector, const int32_t *args, uint32_t nargs)
{
	size_t n = MAXREC;
	int rc;

	memset(recs, 0, sizeof(recs));
	rc = ps_kinfo_proc(t_sim, caller, selector, args, nargs, recs, &n);
	ck_assert_msg(rc == 0, "kinfo selector %#x by %d: %s", selector, caller, ps_err_name(rc));
	ck_assert_uint_le(n, MAXREC);
	ck_assert_uint_eq(ps__kernel(t_sim)->nheld, 0);
	return n;
}

static size_t
query0(int selector)
{
	return query_as(1, selector, NULL, 0);
}

static size_t
query1(int selector, int32_t arg)
{
	return query_as(1, selector, &arg, 1);
}

/* A size probe: the count it reports. */
static size_t
probe_as(int32_t caller, int selector, const int32_t *args, uint32_t nargs)
{
	size_t n = 12345;
	int rc = ps_kinfo_proc(t_sim, caller, selector, args, nargs, NULL, &n);

	ck_assert_msg(rc == 0, "probe %#x: %s", selector, ps_err_name(rc));
	return n;
}

/* The per-process record of pid, as init sees it. */
static struct ps_kinfo_proc
rec_of(int32_t pid)
{
	struct ps_kinfo_proc ki;
	size_t n = 1;
	int rc = ps_kinfo_proc(t_sim, 1, PS_KERN_PROC_PID, &pid, 1, &ki, &n);

	ck_assert_msg(rc == 0, "kinfo pid %d: %s", pid, ps_err_name(rc));
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ki.ki_pid, pid);
	return ki;
}

/* recs[0..n) hold exactly the pids want[0..m), in that order. */
static void
expect_pids(size_t n, const int32_t *want, size_t m)
{
	ck_assert_uint_eq(n, m);
	for (size_t i = 0; i < m; i++)
		ck_assert_msg(recs[i].ki_pid == want[i], "record %zu: pid %d, want %d", i,
		              recs[i].ki_pid, want[i]);
}

/* The n-th thread (0 = first) of pid, for the sleeping-thread tests. */
static struct thread *
nth_thread(int32_t pid, int nth)
{
	struct proc *p = pfind_any_nolock(ps__kernel(t_sim), pid);
	struct thread *td;

	ck_assert_ptr_nonnull(p);
	td = p->p_threads;
	for (; nth > 0 && td != NULL; nth--)
		td = td->td_plist;
	ck_assert_ptr_nonnull(td);
	return td;
}

static void
thread_sleep(struct thread *td, uint64_t wchan, const char *wmesg)
{
	td->td_state = TDS_INHIBITED;
	td->td_wchan = wchan;
	td->td_wmesg = wmesg;
}

static void
thread_wake(struct thread *td)
{
	td->td_state = TDS_CAN_RUN;
	td->td_wchan = 0;
	td->td_wmesg = NULL;
}

static int32_t
new_tty(const char *name)
{
	int32_t dev = -1;

	ck_assert_int_eq(ps_tty_new(t_sim, name, &dev), 0);
	return dev;
}

static void
set_ids(int32_t pid, int32_t uid, int32_t ruid, int32_t gid, int32_t rgid)
{
	struct ps_cred c;

	c.uid = c.svuid = uid;
	c.ruid = ruid;
	c.gid = c.svgid = gid;
	c.rgid = rgid;

	ck_assert_int_eq(ps_setcred(t_sim, pid, &c), 0);
}

/* --- order and thread mode --- */

/*
 * §6.5 "Order of results", I22: PROC gives one record per process,
 * allproc newest first, then zombproc most recently exited first.
 */
START_TEST(proc_lists_allproc_then_zombies_in_order)
{
	int32_t a, b, sh, z1, z2;
	int32_t want[7], pl[16];
	size_t n, npl;

	a = t_fork_of(1);
	b = t_fork_of(1);
	sh = t_session(t_sim);
	z1 = t_fork_of(sh);
	z2 = t_fork_of(sh);
	ck_assert_int_eq(ps_exit(t_sim, z1, 0), 0);
	ck_assert_int_eq(ps_exit(t_sim, z2, 0), 0);

	want[0] = sh;
	want[1] = b;
	want[2] = a;
	want[3] = 1;
	want[4] = 0;
	want[5] = z2;
	want[6] = z1;
	n = query0(PS_KERN_PROC_PROC);
	expect_pids(n, want, 7);
	ck_assert_int_eq((int32_t)n, nprocs());
	ck_assert_int_eq(recs[5].ki_stat, PS_SZOMB);
	ck_assert_int_eq(recs[6].ki_stat, PS_SZOMB);
	ck_assert_int_eq(recs[4].ki_stat, PS_SRUN);

	/* The same order as the kernel's own lists. */
	ck_assert_int_eq(ps_proc_list(t_sim, pl, 16, &npl), 0);
	expect_pids(n, pl, npl);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(recs[i].ki_structsize, (int32_t)sizeof(struct ps_kinfo_proc));
}
END_TEST

/*
 * §6.5 step 1, §10.2 item 12, I22: ALL is per-thread, PROC per-process,
 * PROC|INC_THREAD per-thread; the threads of a process come in thread-list
 * order, each with its own tid and the process's thread count.
 */
START_TEST(all_is_per_thread_proc_is_per_process)
{
	int32_t a, t1, t2, first;
	size_t nall, nproc, ninc, i;

	a = t_fork_of(1);
	ck_assert_int_eq(ps_thread_new(t_sim, a, &t1), 0);
	ck_assert_int_eq(ps_thread_new(t_sim, a, &t2), 0);
	first = rec_of(a).ki_tid;
	ck_assert_int_gt(first, no_pid());
	ck_assert_int_ne(first, t1);
	ck_assert_int_eq(rec_of(a).ki_numthreads, 3);

	nproc = query0(PS_KERN_PROC_PROC);
	ck_assert_int_eq((int32_t)nproc, nprocs());
	for (i = 0; i < nproc; i++)
		if (recs[i].ki_pid == a)
			ck_assert_int_eq(recs[i].ki_tid, first);

	nall = query0(PS_KERN_PROC_ALL);
	ck_assert_uint_eq(nall, nproc + 2);
	/* a is the newest process: its three records lead, in thread order. */
	ck_assert_int_eq(recs[0].ki_pid, a);
	ck_assert_int_eq(recs[1].ki_pid, a);
	ck_assert_int_eq(recs[2].ki_pid, a);
	ck_assert_int_eq(recs[0].ki_tid, first);
	ck_assert_int_eq(recs[1].ki_tid, t1);
	ck_assert_int_eq(recs[2].ki_tid, t2);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(recs[i].ki_numthreads, 3);
	ck_assert_int_eq(recs[3].ki_pid, 1);

	ninc = query0(PS_KERN_PROC_PROC | PS_KERN_PROC_INC_THREAD);
	ck_assert_uint_eq(ninc, nall);
	ck_assert_int_eq(recs[2].ki_tid, t2);
	/* PROC takes an ignored argument; ALL|INC_THREAD is still ALL. */
	ck_assert_uint_eq(query1(PS_KERN_PROC_PROC, 4242), nproc);
	ck_assert_uint_eq(query0(PS_KERN_PROC_ALL | PS_KERN_PROC_INC_THREAD), nall);
}
END_TEST

/* §6.5 step 1: INC_THREAD turns the filtered selectors per-thread too. */
START_TEST(inc_thread_applies_to_filtered_selectors)
{
	int32_t sh, j, t1;
	size_t n;

	sh = t_session(t_sim);
	j = t_fork_of(sh);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, j, j), 0);
	ck_assert_int_eq(ps_thread_new(t_sim, j, &t1), 0);

	ck_assert_uint_eq(query1(PS_KERN_PROC_PID, j), 1);
	n = query1(PS_KERN_PROC_PID | PS_KERN_PROC_INC_THREAD, j);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(recs[1].ki_tid, t1);
	ck_assert_uint_eq(query1(PS_KERN_PROC_PGRP, j), 1);
	ck_assert_uint_eq(query1(PS_KERN_PROC_PGRP | PS_KERN_PROC_INC_THREAD, j), 2);
	ck_assert_uint_eq(query1(PS_KERN_PROC_SESSION, sh), 2);
	ck_assert_uint_eq(query1(PS_KERN_PROC_SESSION | PS_KERN_PROC_INC_THREAD, sh), 3);
	ck_assert_uint_eq(query1(PS_KERN_PROC_UID | PS_KERN_PROC_INC_THREAD, 0),
	                  query0(PS_KERN_PROC_ALL));
	ck_assert_uint_eq(query1(PS_KERN_PROC_RUID, 0), query0(PS_KERN_PROC_PROC));
}
END_TEST

/*
 * §10.2 item 14, §6.2 state table: a process-mode record takes its state,
 * wait channel and message from the first thread only; per-thread records
 * each show their own thread.  A sleeping thread is SSLEEP with its wchan
 * and its message cut to 8 bytes; an inhibited thread with no wchan in a
 * process that is not stopped is SWAIT.
 */
START_TEST(process_mode_reflects_first_thread)
{
	struct thread *td0, *td1;
	struct ps_kinfo_proc ki;
	int32_t a, t1;
	size_t n;

	a = t_fork_of(1);
	ck_assert_int_eq(ps_thread_new(t_sim, a, &t1), 0);
	td0 = nth_thread(a, 0);
	td1 = nth_thread(a, 1);

	thread_sleep(td1, 0xdead0, "select");
	ki = rec_of(a);
	ck_assert_int_eq(ki.ki_stat, PS_SRUN);
	ck_assert_str_eq(ki.ki_wmesg, "");
	ck_assert_uint_eq(ki.ki_wchan, 0);
	n = query1(PS_KERN_PROC_PID | PS_KERN_PROC_INC_THREAD, a);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(recs[0].ki_stat, PS_SRUN);
	ck_assert_int_eq(recs[1].ki_stat, PS_SSLEEP);
	ck_assert_int_eq(recs[1].ki_tid, t1);
	ck_assert_str_eq(recs[1].ki_wmesg, "select");
	ck_assert_uint_eq(recs[1].ki_wchan, 0xdead0);
	ck_assert_str_eq(recs[1].ki_state, "S");
	/* The record for the first thread was not left with the second's. */
	ck_assert_str_eq(recs[0].ki_wmesg, "");

	thread_wake(td1);
	thread_sleep(td0, 0xbeef0, "nanosleep_long");
	ki = rec_of(a);
	ck_assert_int_eq(ki.ki_stat, PS_SSLEEP);
	ck_assert_str_eq(ki.ki_wmesg, "nanoslee");
	ck_assert_uint_eq(ki.ki_wchan, 0xbeef0);
	ck_assert_str_eq(ki.ki_state, "S");

	/* Inhibited without a wait channel, not stopped: SWAIT, "W". */
	thread_sleep(td0, 0, NULL);
	ki = rec_of(a);
	ck_assert_int_eq(ki.ki_stat, PS_SWAIT);
	ck_assert_str_eq(ki.ki_state, "W");

	thread_wake(td0);
	ck_assert_int_eq(rec_of(a).ki_stat, PS_SRUN);
}
END_TEST

/* --- selectors --- */

/*
 * §6.5 filter table, PGRP and SESSION rows: members of the group / the
 * session, in allproc order; a selector that matches nothing is an empty
 * success.
 */
START_TEST(selector_pgrp_and_session)
{
	int32_t sh, j, j2, other;
	int32_t want[3];
	size_t n;

	sh = t_session(t_sim);
	j = t_fork_of(sh);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, j, j), 0);
	j2 = t_fork_of(j);
	other = t_session(t_sim);

	want[0] = j2;
	want[1] = j;
	n = query1(PS_KERN_PROC_PGRP, j);
	expect_pids(n, want, 2);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(recs[i].ki_pgid, j);
		ck_assert_int_eq(recs[i].ki_sid, sh);
	}

	want[0] = j2;
	want[1] = j;
	want[2] = sh;
	n = query1(PS_KERN_PROC_SESSION, sh);
	expect_pids(n, want, 3);

	want[0] = other;
	expect_pids(query1(PS_KERN_PROC_SESSION, other), want, 1);
	ck_assert_uint_eq(query1(PS_KERN_PROC_PGRP, 777), 0);
	ck_assert_uint_eq(query1(PS_KERN_PROC_SESSION, 777), 0);
	/* Session 0 holds swapper alone. */
	want[0] = 0;
	expect_pids(query1(PS_KERN_PROC_SESSION, 0), want, 1);
}
END_TEST

/*
 * §6.5 filter table, TTY row; §6.1 KI_CTTY and ki_tdev rows; I19: the TTY
 * selector wants the process's own P_CONTROLT.  A session member forked
 * before the leader took the terminal has no P_CONTROLT: it is not listed,
 * has ki_tdev NODEV, yet reports KI_CTTY, which follows the session's
 * vnode reference.
 */
START_TEST(selector_tty_needs_p_controlt)
{
	int32_t sh, x, c, dev, dev2;
	int32_t want[2];
	struct ps_kinfo_proc ki;
	size_t n;

	dev = new_tty("ttyv0");
	dev2 = new_tty("ttyv1");
	sh = t_session(t_sim);
	x = t_fork_of(sh);
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, dev), 0);
	c = t_fork_of(sh);

	want[0] = c;
	want[1] = sh;
	n = query1(PS_KERN_PROC_TTY, dev);
	expect_pids(n, want, 2);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(recs[i].ki_tdev, dev);
		ck_assert_int_eq(recs[i].ki_tsid, sh);
		ck_assert_int_eq(recs[i].ki_tpgid, sh);
		ck_assert_uint_eq(recs[i].ki_kiflag & PS_KI_CTTY, PS_KI_CTTY);
	}
	ck_assert_uint_eq(query1(PS_KERN_PROC_TTY, dev2), 0);
	ck_assert_uint_eq(query1(PS_KERN_PROC_TTY, PS_NODEV), 0);

	ki = rec_of(x);
	ck_assert_uint_eq(ki.ki_flag & PS_P_CONTROLT, 0);
	ck_assert_int_eq(ki.ki_tdev, PS_NODEV);
	ck_assert_int_eq(ki.ki_tpgid, 0);
	ck_assert_int_eq(ki.ki_tsid, 0);
	ck_assert_uint_eq(ki.ki_kiflag, PS_KI_CTTY);
	ck_assert_str_eq(ki.ki_state, "R");
}
END_TEST

/* §6.5 filter table, UID and RUID rows; §6.1 credential rows. */
START_TEST(selector_uid_and_ruid)
{
	int32_t u, v;
	int32_t want[1];
	struct ps_kinfo_proc ki;

	u = t_fork_of(1);
	v = t_fork_of(1);
	set_ids(u, 1000, 2000, 10, 20);
	set_ids(v, 2000, 1000, 30, 40);

	want[0] = u;
	expect_pids(query1(PS_KERN_PROC_UID, 1000), want, 1);
	want[0] = v;
	expect_pids(query1(PS_KERN_PROC_RUID, 1000), want, 1);
	want[0] = v;
	expect_pids(query1(PS_KERN_PROC_UID, 2000), want, 1);
	ck_assert_uint_eq(query1(PS_KERN_PROC_UID, 3000), 0);
	ck_assert_int_eq((int32_t)query1(PS_KERN_PROC_UID, 0), nprocs() - 2);

	ki = rec_of(u);
	ck_assert_int_eq(ki.ki_uid, 1000);
	ck_assert_int_eq(ki.ki_ruid, 2000);
	ck_assert_int_eq(ki.ki_svuid, 1000);
	ck_assert_int_eq(ki.ki_gid, 10);
	ck_assert_int_eq(ki.ki_rgid, 20);
	ck_assert_int_eq(ki.ki_svgid, 10);
}
END_TEST

/* --- buffer handling and errors --- */

/*
 * §6.5 step 4, I22: a size probe counts the matching records plus five of
 * slack; the PID selector returns before the slack is added.
 */
START_TEST(size_probe_adds_slack_except_pid)
{
	int32_t a, t1, t2, pg;
	size_t nproc, nall;

	a = t_fork_of(1);
	ck_assert_int_eq(ps_thread_new(t_sim, a, &t1), 0);
	ck_assert_int_eq(ps_thread_new(t_sim, a, &t2), 0);
	nproc = query0(PS_KERN_PROC_PROC);
	nall = query0(PS_KERN_PROC_ALL);

	ck_assert_uint_eq(probe_as(1, PS_KERN_PROC_PROC, NULL, 0), nproc + PS_KINFO_PROBE_SLACK);
	ck_assert_uint_eq(probe_as(1, PS_KERN_PROC_ALL, NULL, 0), nall + PS_KINFO_PROBE_SLACK);
	pg = 1;
	ck_assert_uint_eq(probe_as(1, PS_KERN_PROC_PGRP, &pg, 1), 2 + PS_KINFO_PROBE_SLACK);
	pg = 777;
	ck_assert_uint_eq(probe_as(1, PS_KERN_PROC_PGRP, &pg, 1), PS_KINFO_PROBE_SLACK);
	ck_assert_uint_eq(probe_as(1, PS_KERN_PROC_PID, &a, 1), 1);
	ck_assert_uint_eq(probe_as(1, PS_KERN_PROC_PID | PS_KERN_PROC_INC_THREAD, &a, 1), 3);
}
END_TEST

/*
 * §6.4, §10.1 ENOMEM row: a buffer too small takes the records that fit,
 * in order, and the call fails with ENOMEM; a process's per-thread records
 * can be cut between two threads.
 */
START_TEST(short_buffer_gives_enomem_with_what_fits)
{
	struct ps_kinfo_proc full[MAXREC], small[3];
	int32_t a, t1, t2;
	size_t nfull, n;
	int rc;

	a = t_fork_of(1);
	ck_assert_int_eq(ps_thread_new(t_sim, a, &t1), 0);
	ck_assert_int_eq(ps_thread_new(t_sim, a, &t2), 0);
	nfull = query0(PS_KERN_PROC_PROC);
	memcpy(full, recs, sizeof(full));
	ck_assert_uint_gt(nfull, 2);

	memset(small, 0xa5, sizeof(small));
	n = 2;
	rc = ps_kinfo_proc(t_sim, 1, PS_KERN_PROC_PROC, NULL, 0, small, &n);
	ck_assert_int_eq(rc, PS_ENOMEM);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(small[0].ki_pid, full[0].ki_pid);
	ck_assert_int_eq(small[1].ki_pid, full[1].ki_pid);
	ck_assert_int_eq(small[2].ki_structsize, (int32_t)0xa5a5a5a5);

	n = 0;
	rc = ps_kinfo_proc(t_sim, 1, PS_KERN_PROC_PROC, NULL, 0, small, &n);
	ck_assert_int_eq(rc, PS_ENOMEM);
	ck_assert_uint_eq(n, 0);

	/* Cut inside a's threads. */
	memset(small, 0xa5, sizeof(small));
	n = 2;
	rc = ps_kinfo_proc(t_sim, 1, PS_KERN_PROC_PID | PS_KERN_PROC_INC_THREAD, &a, 1, small, &n);
	ck_assert_int_eq(rc, PS_ENOMEM);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(small[1].ki_tid, t1);
	ck_assert_int_eq(small[2].ki_structsize, (int32_t)0xa5a5a5a5);

	/* Exactly enough room is a success. */
	n = 3;
	rc = ps_kinfo_proc(t_sim, 1, PS_KERN_PROC_PID | PS_KERN_PROC_INC_THREAD, &a, 1, small, &n);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(small[2].ki_tid, t2);
	ck_assert_uint_eq(ps__kernel(t_sim)->nheld, 0);
}
END_TEST

/*
 * §6.5 steps 2-3, §10.1 EINVAL row: the name length each selector takes
 * (ALL none, PROC none or one, the others exactly one), unknown selectors
 * (GID and RGID are not modelled), NULL pointers.  Arguments are judged
 * before the caller.
 */
/* Expect PS_EINVAL from a query into recs, with *count cleared. */
static void
expect_einval(int32_t caller, int selector, const int32_t *args, uint32_t nargs)
{
	size_t n = MAXREC;
	int rc = ps_kinfo_proc(t_sim, caller, selector, args, nargs, recs, &n);

	ck_assert_msg(rc == PS_EINVAL, "selector %#x, %u args: %s", selector, nargs,
	              ps_err_name(rc));
	ck_assert_uint_eq(n, 0);
}

START_TEST(bad_arguments_are_einval)
{
	static const int bad_sel[] = {7, 9, 10, 11, 12, 15, -1, 0x20, 0x17, 0x1a, 0x110};
	static const int one_arg[] = {
	    PS_KERN_PROC_PID, PS_KERN_PROC_PGRP, PS_KERN_PROC_SESSION,
	    PS_KERN_PROC_TTY, PS_KERN_PROC_UID,  PS_KERN_PROC_RUID,
	};
	int32_t args[2] = {1, 1};
	size_t n;
	int sel;

	n = MAXREC;
	ck_assert_int_eq(ps_kinfo_proc(NULL, 1, PS_KERN_PROC_PROC, NULL, 0, recs, &n), PS_EINVAL);
	ck_assert_int_eq(ps_kinfo_proc(t_sim, 1, PS_KERN_PROC_PROC, NULL, 0, recs, NULL),
	                 PS_EINVAL);
	for (size_t i = 0; i < sizeof(bad_sel) / sizeof(bad_sel[0]); i++)
		expect_einval(1, bad_sel[i], args, 1);
	for (size_t i = 0; i < sizeof(one_arg) / sizeof(one_arg[0]); i++) {
		for (int inc = 0; inc <= PS_KERN_PROC_INC_THREAD; inc += PS_KERN_PROC_INC_THREAD) {
			sel = one_arg[i] | inc;
			expect_einval(1, sel, args, 0);
			expect_einval(1, sel, args, 2);
			/* One element, but no array to hold it. */
			expect_einval(1, sel, NULL, 1);
		}
	}
	expect_einval(1, PS_KERN_PROC_ALL, args, 1);
	expect_einval(1, PS_KERN_PROC_PROC, args, 2);
	expect_einval(1, PS_KERN_PROC_PROC | PS_KERN_PROC_INC_THREAD, args, 2);
	/* Arguments are judged before the caller. */
	expect_einval(9999, PS_KERN_PROC_ALL, args, 1);
	/* The same calls with the right lengths work. */
	ck_assert_uint_gt(query0(PS_KERN_PROC_ALL), 0);
	ck_assert_uint_gt(query_as(1, PS_KERN_PROC_PROC, args, 1), 0);
	ck_assert_uint_eq(query_as(1, PS_KERN_PROC_PGRP, args, 1), 1);
}
END_TEST

/* The caller must be a live process, as for every other call (proc.h). */
START_TEST(caller_must_be_live)
{
	int32_t sh, z;
	size_t n;

	sh = t_session(t_sim);
	z = t_fork_of(sh);
	ck_assert_int_eq(ps_exit(t_sim, z, 0), 0);
	n = MAXREC;
	ck_assert_int_eq(ps_kinfo_proc(t_sim, 4000, PS_KERN_PROC_ALL, NULL, 0, recs, &n), PS_ESRCH);
	ck_assert_uint_eq(n, 0);
	n = MAXREC;
	ck_assert_int_eq(ps_kinfo_proc(t_sim, z, PS_KERN_PROC_ALL, NULL, 0, recs, &n), PS_ESRCH);
	n = MAXREC;
	ck_assert_int_eq(ps_kinfo_proc(t_sim, -1, PS_KERN_PROC_ALL, NULL, 0, recs, &n), PS_ESRCH);
	n = MAXREC;
	ck_assert_int_eq(ps_kinfo_proc(t_sim, 99999, PS_KERN_PROC_ALL, NULL, 0, recs, &n),
	                 PS_ESRCH);
	/* The zombie's parent may list, and sees the zombie. */
	ck_assert_uint_eq(query_as(sh, PS_KERN_PROC_PGRP, &sh, 1), 2);
	ck_assert_uint_eq(ps__kernel(t_sim)->nheld, 0);
	ck_assert_ptr_null(ps__kernel(t_sim)->curproc);
}
END_TEST

/*
 * §6.4 quirk, §10.1 ESRCH row (sysctl_out_proc): a zombie asked for by pid
 * gives ESRCH; the caller gets no record and *count 0.  Listings do show
 * zombies, with their wait status.  A pid above pid_max is a thread id.
 */
START_TEST(pid_of_zombie_is_esrch)
{
	struct ps_kinfo_proc ki;
	int32_t sh, z, k9, t1, missing;
	size_t n, i;
	int rc;

	sh = t_session(t_sim);
	z = t_fork_of(sh);
	k9 = t_fork_of(sh);
	ck_assert_int_eq(ps_exit(t_sim, z, 3), 0);
	ck_assert_int_eq(ps_kill(t_sim, sh, k9, PS_SIGTERM), 0);
	ck_assert_int_eq(t_state(t_sim, z), PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_state(t_sim, k9), PS_PRS_ZOMBIE);

	memset(recs, 0xa5, sizeof(recs));
	n = MAXREC;
	rc = ps_kinfo_proc(t_sim, sh, PS_KERN_PROC_PID, &z, 1, recs, &n);
	ck_assert_int_eq(rc, PS_ESRCH);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(recs[0].ki_structsize, (int32_t)0xa5a5a5a5);
	n = 7;
	rc = ps_kinfo_proc(t_sim, sh, PS_KERN_PROC_PID, &z, 1, NULL, &n);
	ck_assert_int_eq(rc, PS_ESRCH);
	n = MAXREC;
	rc = ps_kinfo_proc(t_sim, sh, PS_KERN_PROC_PID | PS_KERN_PROC_INC_THREAD, &z, 1, recs, &n);
	ck_assert_int_eq(rc, PS_ESRCH);
	ck_assert_uint_eq(n, 0);

	missing = 4321;
	n = MAXREC;
	ck_assert_int_eq(ps_kinfo_proc(t_sim, sh, PS_KERN_PROC_PID, &missing, 1, recs, &n),
	                 PS_ESRCH);
	missing = -5;
	n = MAXREC;
	ck_assert_int_eq(ps_kinfo_proc(t_sim, sh, PS_KERN_PROC_PID, &missing, 1, recs, &n),
	                 PS_ESRCH);

	/* In the group listing the zombies are there, after the live ones. */
	n = query1(PS_KERN_PROC_PGRP, sh);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(recs[0].ki_pid, sh);
	ck_assert_int_eq(recs[1].ki_pid, k9);
	ck_assert_int_eq(recs[2].ki_pid, z);
	ck_assert_int_eq(recs[1].ki_xstat, PS_SIGTERM);
	ck_assert_int_eq(recs[2].ki_xstat, 3 << 8);
	for (i = 1; i < 3; i++) {
		ck_assert_int_eq(recs[i].ki_stat, PS_SZOMB);
		ck_assert_str_eq(recs[i].ki_state, "Z");
		ck_assert_int_eq(recs[i].ki_ppid, sh);
		ck_assert_uint_eq(recs[i].ki_flag & PS_P_WEXIT, PS_P_WEXIT);
	}
	ck_assert_int_eq(recs[0].ki_xstat, 0);

	/* A thread id finds its process. */
	ck_assert_int_eq(ps_thread_new(t_sim, sh, &t1), 0);
	n = 1;
	ck_assert_int_eq(ps_kinfo_proc(t_sim, 1, PS_KERN_PROC_PID, &t1, 1, &ki, &n), 0);
	ck_assert_int_eq(ki.ki_pid, sh);
}
END_TEST

/*
 * §10.2 item 13, §6.5 step 6: with see_other_uids off, processes of
 * another real uid are skipped silently in listings (and in the probe's
 * count), but asked for by pid they are an error: p_cansee's ESRCH.
 */
START_TEST(unseen_processes_skipped_but_pid_is_error)
{
	int32_t a, b, c;
	int32_t want[2];
	size_t n;

	a = t_fork_of(1);
	set_ids(a, 1000, 1000, 100, 100);
	b = t_fork_of(a);
	c = t_fork_of(1);
	set_ids(c, 2000, 2000, 200, 200);

	want[0] = b;
	want[1] = a;
	expect_pids(query_as(a, PS_KERN_PROC_PROC, NULL, 0), want, 2);
	expect_pids(query_as(a, PS_KERN_PROC_ALL, NULL, 0), want, 2);
	ck_assert_uint_eq(probe_as(a, PS_KERN_PROC_PROC, NULL, 0), 2 + PS_KINFO_PROBE_SLACK);
	ck_assert_uint_eq(query_as(a, PS_KERN_PROC_UID, (int32_t[]){2000}, 1), 0);
	ck_assert_uint_eq(query_as(a, PS_KERN_PROC_PGRP, (int32_t[]){1}, 1), 2);

	n = MAXREC;
	ck_assert_int_eq(ps_kinfo_proc(t_sim, a, PS_KERN_PROC_PID, &c, 1, recs, &n), PS_ESRCH);
	ck_assert_uint_eq(n, 0);
	n = MAXREC;
	ck_assert_int_eq(ps_kinfo_proc(t_sim, a, PS_KERN_PROC_PID, (int32_t[]){1}, 1, recs, &n),
	                 PS_ESRCH);
	ck_assert_uint_eq(query_as(a, PS_KERN_PROC_PID, &b, 1), 1);

	/* Root sees everyone. */
	n = query0(PS_KERN_PROC_PROC);
	ck_assert_int_eq((int32_t)n, nprocs());
	ck_assert_uint_eq(query_as(1, PS_KERN_PROC_PID, &c, 1), 1);
	ck_assert_int_eq(recs[0].ki_uid, 2000);
}
END_TEST

/* --- terminal fields --- */

/*
 * §10.2 item 10, §6.1 ki_tpgid row: when the foreground group is deleted
 * the terminal has no foreground group and the processes that keep it
 * report NO_PID (pid_max + 1).  Until the reap, the zombie is still in the
 * foreground group ("Z+").
 */
START_TEST(tpgid_no_pid_after_foreground_group_deleted)
{
	struct ps_kinfo_proc ki;
	int32_t sh, j, dev;
	int status;

	dev = new_tty("ttyv0");
	sh = t_session(t_sim);
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, dev), 0);
	j = t_fork_of(sh);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, j, j), 0);

	ki = rec_of(sh);
	ck_assert_int_eq(ki.ki_tpgid, sh);
	ck_assert_str_eq(ki.ki_state, "Rs+");
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, sh, dev, j), 0);
	ki = rec_of(sh);
	ck_assert_int_eq(ki.ki_tpgid, j);
	ck_assert_str_eq(ki.ki_state, "Rs");
	ki = rec_of(j);
	ck_assert_int_eq(ki.ki_tpgid, j);
	ck_assert_int_eq(ki.ki_pgid, j);
	ck_assert_int_eq(ki.ki_jobc, 1);
	ck_assert_str_eq(ki.ki_state, "R+");

	ck_assert_int_eq(ps_exit(t_sim, j, 0), 0);
	ck_assert_uint_eq(query1(PS_KERN_PROC_PGRP, j), 1);
	ck_assert_str_eq(recs[0].ki_state, "Z+");
	ck_assert_int_eq(recs[0].ki_tpgid, j);

	ck_assert_int_eq(ps_wait(t_sim, sh, j, 0, &status), j);
	ck_assert_int_ne(ps_pgfind(t_sim, j), 0);
	ki = rec_of(sh);
	ck_assert_int_eq(ki.ki_tpgid, no_pid());
	ck_assert_int_eq(ki.ki_tdev, dev);
	ck_assert_int_eq(ki.ki_tsid, sh);
	ck_assert_str_eq(ki.ki_state, "Rs");
}
END_TEST

/*
 * §10.2 item 11, §6.1 ki_tpgid/ki_tsid rows: without a controlling
 * terminal ki_tdev is NODEV and ki_tpgid and ki_tsid stay 0, not NO_PID.
 */
START_TEST(no_ctty_reports_nodev_and_zeros)
{
	struct ps_kinfo_proc ki;
	int32_t c, sh;

	c = t_fork_of(1);
	sh = t_session(t_sim);
	ki = rec_of(c);
	ck_assert_int_eq(ki.ki_tdev, PS_NODEV);
	ck_assert_int_eq(ki.ki_tpgid, 0);
	ck_assert_int_eq(ki.ki_tsid, 0);
	ck_assert_uint_eq(ki.ki_kiflag, 0);
	ck_assert_int_eq(ki.ki_sid, 1);
	ck_assert_int_eq(ki.ki_pgid, 1);
	ck_assert_int_eq(ki.ki_ppid, 1);
	ck_assert_str_eq(ki.ki_state, "R");

	ki = rec_of(sh);
	ck_assert_int_eq(ki.ki_tdev, PS_NODEV);
	ck_assert_int_eq(ki.ki_tpgid, 0);
	ck_assert_int_eq(ki.ki_tsid, 0);
	ck_assert_uint_eq(ki.ki_kiflag, PS_KI_SLEADER);
	ck_assert_str_eq(ki.ki_state, "Rs");

	ki = rec_of(1);
	ck_assert_uint_eq(ki.ki_kiflag, PS_KI_SLEADER);
	ck_assert_int_eq(ki.ki_tdev, PS_NODEV);
}
END_TEST

/*
 * §6.1 KI_CTTY row, I19, §10.2 item 9: KI_CTTY follows s_ttyvp, which the
 * leader's exit clears for the whole session; a surviving member keeps
 * P_CONTROLT and s_ttyp stays, so it still reports the terminal (and is
 * still found by the TTY selector), with no foreground group once the
 * leader's group is gone.  KI_SLEADER goes with s_leader.
 */
START_TEST(ki_ctty_false_after_leader_exit)
{
	struct ps_kinfo_proc ki;
	int32_t sh, c, dev;
	int32_t want[1];

	dev = new_tty("ttyv0");
	sh = t_session(t_sim);
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, dev), 0);
	c = t_fork_of(sh);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, c), 0);
	ki = rec_of(c);
	ck_assert_uint_eq(ki.ki_kiflag, PS_KI_CTTY);
	ck_assert_uint_eq(rec_of(sh).ki_kiflag, PS_KI_CTTY | PS_KI_SLEADER);

	ck_assert_int_eq(ps_exit(t_sim, sh, 0), 0);
	ck_assert_int_eq(t_state(t_sim, sh), -1); /* init reaped it. */
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_NORMAL);

	ki = rec_of(c);
	ck_assert_uint_eq(ki.ki_kiflag & PS_KI_CTTY, 0);
	ck_assert_uint_eq(ki.ki_kiflag & PS_KI_SLEADER, 0);
	ck_assert_uint_eq(ki.ki_flag & PS_P_CONTROLT, PS_P_CONTROLT);
	ck_assert_int_eq(ki.ki_tdev, dev);
	ck_assert_int_eq(ki.ki_tsid, sh);
	ck_assert_int_eq(ki.ki_sid, sh);
	ck_assert_int_eq(ki.ki_tpgid, no_pid());
	ck_assert_int_eq(ki.ki_ppid, 1);
	ck_assert_str_eq(ki.ki_state, "R");

	want[0] = c;
	expect_pids(query1(PS_KERN_PROC_TTY, dev), want, 1);
	expect_pids(query1(PS_KERN_PROC_SESSION, sh), want, 1);
}
END_TEST

/* --- parent and debugger --- */

/*
 * §10.2 item 15, §6.1 ki_ppid/ki_tracer rows: while traced, ki_ppid is the
 * real parent and the debugger is in ki_tracer (with X in the STAT
 * column); without tracing ki_tracer is 0.  After the detach the debugger
 * is gone from the record.
 */
START_TEST(ppid_is_real_parent_tracer_apart)
{
	struct ps_kinfo_proc ki;
	struct ps_proc_info pi;
	int32_t sh, a, t;

	sh = t_session(t_sim);
	a = t_fork_of(sh);
	t = t_fork_of(sh);
	ki = rec_of(a);
	ck_assert_int_eq(ki.ki_ppid, sh);
	ck_assert_int_eq(ki.ki_tracer, 0);

	ck_assert_int_eq(ps__ptrace_attach(t_sim, t, a), 0);
	ki = rec_of(a);
	ck_assert_uint_eq(ki.ki_flag & PS_P_TRACED, PS_P_TRACED);
	ck_assert_int_eq(ki.ki_ppid, sh);
	ck_assert_int_eq(ki.ki_tracer, t);
	ck_assert_ptr_nonnull(strchr(ki.ki_state, 'X'));
	/* The attach's SIGSTOP put it in a debugger stop: SSTOP, "TX". */
	ck_assert_int_eq(ki.ki_stat, PS_SSTOP);
	ck_assert_str_eq(ki.ki_state, "TX");
	/* The kernel's own view: the debugger is p_pptr. */
	ck_assert_int_eq(ps_proc_info(t_sim, a, &pi), 0);
	ck_assert_int_eq(pi.pptr, t);
	ck_assert_int_eq(rec_of(t).ki_tracer, 0);

	/* The tracer collects the stop before it may detach (spec §3.3). */
	ck_assert_int_eq(ps_wait(t_sim, t, a, 0, NULL), a);
	ck_assert_int_eq(ps__ptrace_detach(t_sim, t, a, 0), 0);
	ki = rec_of(a);
	ck_assert_uint_eq(ki.ki_flag & PS_P_TRACED, 0);
	ck_assert_int_eq(ki.ki_ppid, sh);
	ck_assert_int_eq(ki.ki_tracer, 0);
	ck_assert_ptr_null(strchr(ki.ki_state, 'X'));
	ck_assert_int_eq(ki.ki_stat, PS_SRUN); /* Detached without a signal: runs. */

	/* swapper has no parent: 0; init's parent is swapper: 0 too. */
	ck_assert_int_eq(rec_of(0).ki_ppid, 0);
	ck_assert_int_eq(rec_of(1).ki_ppid, 0);
}
END_TEST

/* --- STAT column and copied fields --- */

/*
 * §6.6: the state letter, then X, E, L (system process or held), s
 * (session leader), + (ctty and in the foreground group).
 */
START_TEST(state_strings)
{
	struct thread *td;
	int32_t kp, sh, c, x, lone, dev;

	ck_assert_int_eq(ps_kproc_new(t_sim, "pagedaemon", &kp), 0);
	ck_assert_str_eq(rec_of(0).ki_state, "RLs");
	ck_assert_str_eq(rec_of(kp).ki_state, "RL");
	ck_assert_str_eq(rec_of(kp).ki_comm, "pagedaemon");
	ck_assert_str_eq(rec_of(1).ki_state, "Rs");

	dev = new_tty("ttyv0");
	sh = t_session(t_sim);
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, dev), 0);
	c = t_fork_of(sh);
	ck_assert_str_eq(rec_of(sh).ki_state, "Rs+");
	ck_assert_str_eq(rec_of(c).ki_state, "R+");

	/* Stopped by a signal: T, in the foreground or without a ctty. */
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGSTOP), 0);
	ck_assert_int_eq(rec_of(c).ki_stat, PS_SSTOP);
	ck_assert_str_eq(rec_of(c).ki_state, "T+");
	lone = t_fork_of(1);
	ck_assert_int_eq(ps_kill(t_sim, 1, lone, PS_SIGSTOP), 0);
	ck_assert_str_eq(rec_of(lone).ki_state, "T");
	ck_assert_int_eq(ps_kill(t_sim, 1, lone, PS_SIGCONT), 0);
	ck_assert_str_eq(rec_of(lone).ki_state, "R");

	/* A sleeping session leader without a terminal: Ss. */
	x = t_session(t_sim);
	td = nth_thread(x, 0);
	thread_sleep(td, 0x1000, "wait");
	ck_assert_str_eq(rec_of(x).ki_state, "Ss");
	ck_assert_str_eq(rec_of(x).ki_wmesg, "wait");
	thread_wake(td);
	ck_assert_str_eq(rec_of(x).ki_state, "Rs");

	/* A zombie: Z, and never E although P_WEXIT is set. */
	lone = t_fork_of(x);
	ck_assert_int_eq(ps_exit(t_sim, lone, 0), 0);
	ck_assert_uint_eq(query1(PS_KERN_PROC_PGRP, x), 2);
	ck_assert_int_eq(recs[1].ki_pid, lone);
	ck_assert_str_eq(recs[1].ki_state, "Z");
}
END_TEST

/*
 * §6.1, §6.2: fields copied from the process: size, ids, group and
 * session, jobc, flags, command name, hold count, pending signals.  A
 * per-thread record carries the thread's own pending set instead, which
 * is empty when every signal went to the process.
 */
START_TEST(fields_copied_from_process)
{
	struct ps_kinfo_proc ki;
	struct ps_proc_info pi;
	uint32_t oset;
	int32_t sh, j, t1;
	size_t n;

	sh = t_session(t_sim);
	j = t_fork_of(sh);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, j, j), 0);
	ck_assert_int_eq(ps_exec(t_sim, j, "vi"), 0);
	ck_assert_int_eq(ps_thread_new(t_sim, j, &t1), 0);
	ck_assert_int_eq(ps_sigprocmask(t_sim, j, 1, SIGBIT(PS_SIGUSR1), &oset), 0);
	ck_assert_int_eq(ps_kill(t_sim, sh, j, PS_SIGUSR1), 0);
	ck_assert_int_eq(ps_proc_info(t_sim, j, &pi), 0);
	ck_assert_uint_eq(pi.siglist, SIGBIT(PS_SIGUSR1));

	ki = rec_of(j);
	ck_assert_int_eq(ki.ki_structsize, (int32_t)sizeof(ki));
	ck_assert_int_eq(ki.ki_pid, j);
	ck_assert_int_eq(ki.ki_ppid, sh);
	ck_assert_int_eq(ki.ki_pgid, j);
	ck_assert_int_eq(ki.ki_sid, sh);
	ck_assert_int_eq(ki.ki_jobc, pi.pg_jobc);
	ck_assert_int_eq(ki.ki_jobc, 1);
	ck_assert_uint_eq(ki.ki_flag, pi.flags);
	ck_assert_uint_eq(ki.ki_flag & PS_P_EXEC, PS_P_EXEC);
	ck_assert_str_eq(ki.ki_comm, "vi");
	ck_assert_int_eq(ki.ki_numthreads, 2);
	ck_assert_int_eq(ki.ki_lock, 0);
	ck_assert_int_eq(ki.ki_xstat, 0);
	ck_assert_uint_eq(ki.ki_siglist, SIGBIT(PS_SIGUSR1));
	ck_assert_int_eq(ki.ki_tracer, 0);
	ck_assert_str_eq(ki.ki_wmesg, "");

	n = query1(PS_KERN_PROC_PID | PS_KERN_PROC_INC_THREAD, j);
	ck_assert_uint_eq(n, 2);
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_eq(recs[i].ki_siglist, 0);
		ck_assert_str_eq(recs[i].ki_comm, "vi");
		ck_assert_int_eq(recs[i].ki_pgid, j);
	}
	/* The group's counter, as the kernel keeps it: 0 once orphaned. */
	ck_assert_int_eq(ps_exit(t_sim, sh, 0), 0);
	ck_assert_int_eq(rec_of(j).ki_jobc, 0);
	ck_assert_int_eq(rec_of(j).ki_ppid, 1);
}
END_TEST

/*
 * §6.5 step 5 and §5: the listing takes proctree_lock and allproc_lock
 * shared and each process's lock, releases everything, and leaves no lock
 * order reversal behind (the fixture is strict).
 */
START_TEST(locks_taken_and_released)
{
	struct ps_sim_stats before, after;
	struct kernel *k = ps__kernel(t_sim);
	int32_t sh, dev;

	dev = new_tty("ttyv0");
	sh = t_session(t_sim);
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, dev), 0);
	(void)t_fork_of(sh);
	ck_assert_int_eq(ps_sim_stats(t_sim, &before), 0);
	ck_assert_uint_eq(query1(PS_KERN_PROC_TTY, dev), 2);
	ck_assert_int_eq(ps_sim_stats(t_sim, &after), 0);
	ck_assert_uint_ge(after.lock_acquisitions - before.lock_acquisitions,
	                  2 + (uint64_t)nprocs());
	ck_assert_uint_eq(k->nheld, 0);
	ck_assert_int_eq(k->proctree_lock.lo_shared, 0);
	ck_assert_int_eq(k->allproc_lock.lo_shared, 0);
	ck_assert_ptr_null(k->curproc);
	ck_assert_uint_eq(ps_sim_lock_reversals(t_sim), 0);
	(void)query1(PS_KERN_PROC_PID, sh);
	(void)query0(PS_KERN_PROC_ALL);
	ck_assert_uint_eq(ps_sim_lock_reversals(t_sim), 0);
	ck_assert_uint_eq(k->nheld, 0);
}
END_TEST

/* A simulator in which users may not see each other's processes. */
static void
setup_hidden(void)
{
	struct ps_config cfg;

	ps_config_init(&cfg);
	cfg.check_every_op = 1;
	cfg.witness_strict = 1;
	cfg.see_other_uids = 0;
	t_sim = t_new_sim(&cfg);
}

int
main(void)
{
	Suite *s = suite_create("kinfo");
	TCase *tc;

	tc = tcase_create("listing");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, proc_lists_allproc_then_zombies_in_order);
	tcase_add_test(tc, all_is_per_thread_proc_is_per_process);
	tcase_add_test(tc, inc_thread_applies_to_filtered_selectors);
	tcase_add_test(tc, process_mode_reflects_first_thread);
	tcase_add_test(tc, selector_pgrp_and_session);
	tcase_add_test(tc, selector_tty_needs_p_controlt);
	tcase_add_test(tc, selector_uid_and_ruid);
	suite_add_tcase(s, tc);

	tc = tcase_create("buffer_and_errors");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, size_probe_adds_slack_except_pid);
	tcase_add_test(tc, short_buffer_gives_enomem_with_what_fits);
	tcase_add_test(tc, bad_arguments_are_einval);
	tcase_add_test(tc, caller_must_be_live);
	tcase_add_test(tc, pid_of_zombie_is_esrch);
	tcase_add_test(tc, locks_taken_and_released);
	suite_add_tcase(s, tc);

	tc = tcase_create("visibility");
	tcase_add_checked_fixture(tc, setup_hidden, t_teardown);
	tcase_add_test(tc, unseen_processes_skipped_but_pid_is_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("fields");
	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, tpgid_no_pid_after_foreground_group_deleted);
	tcase_add_test(tc, no_ctty_reports_nodev_and_zeros);
	tcase_add_test(tc, ki_ctty_false_after_leader_exit);
	tcase_add_test(tc, ppid_is_real_parent_tracer_apart);
	tcase_add_test(tc, state_strings);
	tcase_add_test(tc, fields_copied_from_process);
	suite_add_tcase(s, tc);
	return t_run(s);
}
