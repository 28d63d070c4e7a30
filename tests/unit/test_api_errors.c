/*
 * The public API's error contract (the headers in include/procsim/): every entry
 * point given a NULL simulator, NULL out pointers, negative or huge pids,
 * bad signals or bad options returns the documented negative PS_E* code
 * and never crashes ("Every public function that can fail returns ... a
 * negative PS_E* code", error.h; "A caller pid that names no live process
 * gives PS_ESRCH; a NULL simulator or a NULL out pointer gives PS_EINVAL",
 * proc.h).  Also the name tables, exit and wait (spec-kern_exit.md: status
 * words, pid forms, WUNTRACED/WCONTINUED, auto-reaping), sigaction's
 * SIGKILL/SIGSTOP rule.
 *
 * ps_kinfo_proc's argument errors are covered by test_kinfo.c.
 */
#include <string.h>

#include "testlib.h"

static const int32_t bad_pids[] = {-1, -2, INT32_MIN, PS_PID_MAX_DEFAULT, PS_PID_MAX_DEFAULT + 1,
                                   INT32_MAX, 4242};
#define NBAD ((int)(sizeof(bad_pids) / sizeof(bad_pids[0])))

/* ===================== NULL simulator everywhere ===================== */

/* proc.h, sim.h, event.h: a NULL simulator gives PS_EINVAL. */
START_TEST(null_sim)
{
	struct ps_proc_info pi;
	struct ps_pgrp_info gi;
	struct ps_session_info si;
	struct ps_config cfg;
	struct ps_sim_stats st;
	struct ps_check_report rep;
	struct ps_sigaction sa = {0};
	struct ps_cred cr = {0};
	int32_t pids[4], out = -1;
	size_t n = 0;
	uint32_t oset;
	int status;

	ck_assert_int_eq(ps_sim_config(NULL, &cfg), PS_EINVAL);
	ck_assert_int_eq(ps_sim_check(NULL, &rep), PS_EINVAL);
	ck_assert_int_eq(ps_sim_check(NULL, NULL), PS_EINVAL);
	ck_assert_uint_eq(ps_sim_lock_reversals(NULL), 0);
	ck_assert_int_eq(ps_sim_stats(NULL, &st), PS_EINVAL);
	ck_assert_int_eq(ps_sim_set_event_cb(NULL, NULL, NULL), PS_EINVAL);
	ps_sim_free(NULL);

	ck_assert_int_eq(ps_proc_info(NULL, 1, &pi), PS_EINVAL);
	ck_assert_int_eq(ps_pgrp_info(NULL, 1, &gi), PS_EINVAL);
	ck_assert_int_eq(ps_session_info(NULL, 1, &si), PS_EINVAL);
	ck_assert_int_eq(ps_pgrp_members(NULL, 1, pids, 4, &n), PS_EINVAL);
	ck_assert_int_eq(ps_proc_children(NULL, 1, pids, 4, &n), PS_EINVAL);
	ck_assert_int_eq(ps_proc_list(NULL, pids, 4, &n), PS_EINVAL);
	ck_assert_int_eq(ps_pgrp_list(NULL, pids, 4, &n), PS_EINVAL);
	ck_assert_int_eq(ps_pfind(NULL, 1), PS_EINVAL);
	ck_assert_int_eq(ps_zpfind(NULL, 1), PS_EINVAL);
	ck_assert_int_eq(ps_pgfind(NULL, 1), PS_EINVAL);
	ck_assert_int_eq(ps_pfind_tid(NULL, PS_PID_MAX_DEFAULT + 2), PS_EINVAL);
	ck_assert_int_eq(ps_pget(NULL, 1, 1, 0), PS_EINVAL);
	ck_assert_int_eq(ps_pget(NULL, 1, 1, 0x80), PS_EINVAL);
	ck_assert_int_eq(ps_inferior(NULL, 1, 1), PS_EINVAL);
	ck_assert_int_eq(ps_p_cansee(NULL, 1, 1), PS_EINVAL);
	ck_assert_int_eq(ps_p_candebug(NULL, 1, 1), PS_EINVAL);
	ck_assert_int_eq(ps_p_cansignal(NULL, 1, 1, PS_SIGHUP), PS_EINVAL);
	ck_assert_int_eq(ps_p_cansignal(NULL, 1, 1, -1), PS_EINVAL);
	ck_assert_int_eq(ps_fork(NULL, 1, &out), PS_EINVAL);
	ck_assert_int_eq(out, -1);
	ck_assert_int_eq(ps_exit(NULL, 2, 0), PS_EINVAL);
	ck_assert_int_eq(ps_wait(NULL, 1, -1, 0, &status), PS_EINVAL);
	ck_assert_int_eq(ps_setsid(NULL, 1), PS_EINVAL);
	ck_assert_int_eq(ps_setpgid(NULL, 1, 0, 0), PS_EINVAL);
	ck_assert_int_eq(ps_getpgrp(NULL, 1), PS_EINVAL);
	ck_assert_int_eq(ps_getpgid(NULL, 1, 0), PS_EINVAL);
	ck_assert_int_eq(ps_getsid(NULL, 1, 0), PS_EINVAL);
	ck_assert_int_eq(ps_getppid(NULL, 1), PS_EINVAL);
	ck_assert_int_eq(ps_kill(NULL, 1, 1, 0), PS_EINVAL);
	ck_assert_int_eq(ps_sigaction(NULL, 1, PS_SIGHUP, &sa, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_sigprocmask(NULL, 1, 1, 0, &oset), PS_EINVAL);
	ck_assert_int_eq(ps_setuid(NULL, 1, 0), PS_EINVAL);
	ck_assert_int_eq(ps_setcred(NULL, 1, &cr), PS_EINVAL);
	ck_assert_int_eq(ps_exec(NULL, 1, "x"), PS_EINVAL);
	ck_assert_int_eq(ps_thread_new(NULL, 1, &out), PS_EINVAL);
	ck_assert_int_eq(ps_kproc_new(NULL, "k", &out), PS_EINVAL);
	ck_assert_int_eq(ps_set_securelevel(NULL, 1), PS_EINVAL);
	ck_assert_int_eq(ps_tty_new(NULL, "tty0", &out), PS_EINVAL);
	ck_assert_int_eq(ps_tty_lookup(NULL, "tty0"), PS_EINVAL);
	ck_assert_int_eq(ps_tiocsctty(NULL, 1, 0), PS_EINVAL);
	ck_assert_int_eq(ps_tcsetpgrp(NULL, 1, 0, 1), PS_EINVAL);
	ck_assert_int_eq(ps_tcgetpgrp(NULL, 1, 0), PS_EINVAL);
	ck_assert_int_eq(out, -1);
}
END_TEST

/* ======================== NULL out pointers ======================== */

/* proc.h: a NULL out pointer gives PS_EINVAL, and nothing happens. */
START_TEST(null_out_pointers)
{
	struct ps_sim_stats st0, st1;
	size_t n = 99;
	int32_t pids[2];
	int32_t sh = t_session(t_sim);

	ck_assert_int_eq(ps_sim_stats(t_sim, &st0), 0);
	ck_assert_int_eq(ps_sim_config(t_sim, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_sim_stats(t_sim, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_proc_info(t_sim, 1, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_pgrp_info(t_sim, 1, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_session_info(t_sim, 1, NULL), PS_EINVAL);
	/* Lists: count is required; pids may be NULL only with cap 0. */
	ck_assert_int_eq(ps_pgrp_members(t_sim, 1, pids, 2, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_pgrp_members(t_sim, 1, NULL, 2, &n), PS_EINVAL);
	ck_assert_int_eq(ps_proc_children(t_sim, 1, pids, 2, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_proc_children(t_sim, 1, NULL, 1, &n), PS_EINVAL);
	ck_assert_int_eq(ps_proc_list(t_sim, pids, 2, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_proc_list(t_sim, NULL, 2, &n), PS_EINVAL);
	ck_assert_int_eq(ps_pgrp_list(t_sim, pids, 2, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_pgrp_list(t_sim, NULL, 2, &n), PS_EINVAL);
	ck_assert_uint_eq(n, 99);
	/* NULL with cap 0 is a count query. */
	ck_assert_int_eq(ps_proc_list(t_sim, NULL, 0, &n), 0);
	ck_assert_uint_eq(n, 3); /* swapper, init, sh */
	ck_assert_int_eq(ps_pgrp_list(t_sim, NULL, 0, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(ps_proc_children(t_sim, 1, NULL, 0, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ps_pgrp_members(t_sim, sh, NULL, 0, &n), 0);
	ck_assert_uint_eq(n, 1);
	/* A short buffer: count is the full size, only cap entries written. */
	pids[1] = -77;
	ck_assert_int_eq(ps_proc_list(t_sim, pids, 1, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(pids[1], -77);

	ck_assert_int_eq(ps_fork(t_sim, sh, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_thread_new(t_sim, sh, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_kproc_new(t_sim, "k", NULL), PS_EINVAL);
	ck_assert_int_eq(ps_kproc_new(t_sim, NULL, pids), PS_EINVAL);
	ck_assert_int_eq(ps_kproc_new(t_sim, "", pids), PS_EINVAL);
	ck_assert_int_eq(ps_setcred(t_sim, sh, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_exec(t_sim, sh, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_exec(t_sim, sh, ""), PS_EINVAL);
	ck_assert_int_eq(ps_tty_new(t_sim, NULL, pids), PS_EINVAL);
	ck_assert_int_eq(ps_tty_new(t_sim, "tty0", NULL), PS_EINVAL);
	ck_assert_int_eq(ps_tty_lookup(t_sim, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_sim_new(NULL, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_signal_number(NULL), PS_EINVAL);
	ps_config_init(NULL);

	/* None of that forked, created or changed anything. */
	ck_assert_int_eq(ps_sim_stats(t_sim, &st1), 0);
	ck_assert_int_eq(st1.nprocs, st0.nprocs);
	ck_assert_uint_eq(st1.operations, st0.operations);
	ck_assert_int_eq(ps_tty_lookup(t_sim, "tty0"), PS_ENOENT);
	/* Optional out pointers may be NULL. */
	ck_assert_int_eq(ps_sigprocmask(t_sim, sh, 1, 0, NULL), 0);
	ck_assert_int_eq(ps_sigaction(t_sim, sh, PS_SIGHUP, NULL, NULL), 0);
	ck_assert_int_eq(ps_sim_check(t_sim, NULL), 0);
}
END_TEST

/* ================== bad pids: negative, huge, unknown ================== */

/* Queries and lookups: a pid that names nothing is PS_ESRCH. */
START_TEST(bad_pids_queries)
{
	struct ps_proc_info pi;
	struct ps_pgrp_info gi;
	struct ps_session_info si;
	size_t n;
	int32_t sh = t_session(t_sim);

	for (int i = 0; i < NBAD; i++) {
		int32_t p = bad_pids[i];

		ck_assert_int_eq(ps_proc_info(t_sim, p, &pi), PS_ESRCH);
		ck_assert_int_eq(ps_pgrp_info(t_sim, p, &gi), PS_ESRCH);
		ck_assert_int_eq(ps_session_info(t_sim, p, &si), PS_ESRCH);
		ck_assert_int_eq(ps_pgrp_members(t_sim, p, NULL, 0, &n), PS_ESRCH);
		ck_assert_int_eq(ps_proc_children(t_sim, p, NULL, 0, &n), PS_ESRCH);
		ck_assert_int_eq(ps_pfind(t_sim, p), PS_ESRCH);
		ck_assert_int_eq(ps_zpfind(t_sim, p), PS_ESRCH);
		ck_assert_int_eq(ps_pgfind(t_sim, p), PS_ESRCH);
		ck_assert_int_eq(ps_pfind_tid(t_sim, p), PS_ESRCH);
		ck_assert_int_eq(ps_pget(t_sim, sh, p, 0), PS_ESRCH);
		ck_assert_int_eq(ps_pget(t_sim, sh, p, PS_PGET_NOTID), PS_ESRCH);
		ck_assert_int_eq(ps_inferior(t_sim, sh, p), PS_ESRCH);
		ck_assert_int_eq(ps_p_cansee(t_sim, sh, p), PS_ESRCH);
		ck_assert_int_eq(ps_p_candebug(t_sim, sh, p), PS_ESRCH);
		ck_assert_int_eq(ps_p_cansignal(t_sim, sh, p, PS_SIGHUP), PS_ESRCH);
		ck_assert_int_eq(ps_getpgid(t_sim, sh, p), PS_ESRCH);
		ck_assert_int_eq(ps_getsid(t_sim, sh, p), PS_ESRCH);
	}
}
END_TEST

/* Operations with a caller that is not a live process: PS_ESRCH, and
 * no operation is counted. */
START_TEST(bad_caller)
{
	struct ps_sigaction sa = {0};
	struct ps_cred cr = {0};
	struct ps_sim_stats st0, st1;
	int32_t out = -1, dev = -1;
	uint32_t oset;
	int status;

	ck_assert_int_eq(ps_tty_new(t_sim, "ttyv0", &dev), 0);
	ck_assert_int_eq(ps_sim_stats(t_sim, &st0), 0);
	for (int i = 0; i < NBAD; i++) {
		int32_t p = bad_pids[i];

		ck_assert_int_eq(ps_fork(t_sim, p, &out), PS_ESRCH);
		ck_assert_int_eq(ps_exit(t_sim, p, 0), PS_ESRCH);
		ck_assert_int_eq(ps_wait(t_sim, p, -1, 0, &status), PS_ESRCH);
		ck_assert_int_eq(ps_setsid(t_sim, p), PS_ESRCH);
		ck_assert_int_eq(ps_setpgid(t_sim, p, 0, 0), PS_ESRCH);
		ck_assert_int_eq(ps_getpgrp(t_sim, p), PS_ESRCH);
		ck_assert_int_eq(ps_getpgid(t_sim, p, 0), PS_ESRCH);
		ck_assert_int_eq(ps_getsid(t_sim, p, 0), PS_ESRCH);
		ck_assert_int_eq(ps_getppid(t_sim, p), PS_ESRCH);
		ck_assert_int_eq(ps_kill(t_sim, p, 1, 0), PS_ESRCH);
		ck_assert_int_eq(ps_sigaction(t_sim, p, PS_SIGHUP, &sa, NULL), PS_ESRCH);
		ck_assert_int_eq(ps_sigprocmask(t_sim, p, 1, 0, &oset), PS_ESRCH);
		ck_assert_int_eq(ps_setuid(t_sim, p, 0), PS_ESRCH);
		ck_assert_int_eq(ps_setcred(t_sim, p, &cr), PS_ESRCH);
		ck_assert_int_eq(ps_exec(t_sim, p, "x"), PS_ESRCH);
		ck_assert_int_eq(ps_thread_new(t_sim, p, &out), PS_ESRCH);
		ck_assert_int_eq(ps_pget(t_sim, p, 1, 0), PS_ESRCH);
		ck_assert_int_eq(ps_inferior(t_sim, p, 1), PS_ESRCH);
		ck_assert_int_eq(ps_p_cansee(t_sim, p, 1), PS_ESRCH);
		ck_assert_int_eq(ps_p_candebug(t_sim, p, 1), PS_ESRCH);
		ck_assert_int_eq(ps_p_cansignal(t_sim, p, 1, PS_SIGHUP), PS_ESRCH);
		ck_assert_int_eq(ps_tiocsctty(t_sim, p, dev), PS_ESRCH);
		ck_assert_int_eq(ps_tcsetpgrp(t_sim, p, dev, 1), PS_ESRCH);
		ck_assert_int_eq(ps_tcgetpgrp(t_sim, p, dev), PS_ESRCH);
	}
	ck_assert_int_eq(out, -1);
	ck_assert_int_eq(ps_sim_stats(t_sim, &st1), 0);
	ck_assert_int_eq(st1.nprocs, st0.nprocs);
	ck_assert_uint_eq(st1.operations, st0.operations);
}
END_TEST

/* A zombie caller is not a live process: PS_ESRCH for every operation
 * it would make (proc.h). */
START_TEST(zombie_caller)
{
	struct ps_sigaction sa = {0};
	struct ps_cred cr = {0};
	int32_t sh, z = t_zombie(&sh), out = -1, dev = -1;
	uint32_t oset;

	ck_assert_int_eq(ps_tty_new(t_sim, "ttyv0", &dev), 0);
	ck_assert_int_eq(ps_fork(t_sim, z, &out), PS_ESRCH);
	ck_assert_int_eq(ps_exit(t_sim, z, 0), PS_ESRCH);
	ck_assert_int_eq(ps_wait(t_sim, z, -1, PS_WNOHANG, NULL), PS_ESRCH);
	ck_assert_int_eq(ps_setsid(t_sim, z), PS_ESRCH);
	ck_assert_int_eq(ps_setpgid(t_sim, z, 0, 0), PS_ESRCH);
	ck_assert_int_eq(ps_getpgrp(t_sim, z), PS_ESRCH);
	ck_assert_int_eq(ps_getpgid(t_sim, z, 0), PS_ESRCH);
	ck_assert_int_eq(ps_getsid(t_sim, z, 0), PS_ESRCH);
	ck_assert_int_eq(ps_getppid(t_sim, z), PS_ESRCH);
	ck_assert_int_eq(ps_kill(t_sim, z, sh, 0), PS_ESRCH);
	ck_assert_int_eq(ps_sigaction(t_sim, z, PS_SIGHUP, &sa, NULL), PS_ESRCH);
	ck_assert_int_eq(ps_sigprocmask(t_sim, z, 1, 0, &oset), PS_ESRCH);
	ck_assert_int_eq(ps_setuid(t_sim, z, 0), PS_ESRCH);
	ck_assert_int_eq(ps_setcred(t_sim, z, &cr), PS_ESRCH);
	ck_assert_int_eq(ps_exec(t_sim, z, "x"), PS_ESRCH);
	ck_assert_int_eq(ps_thread_new(t_sim, z, &out), PS_ESRCH);
	ck_assert_int_eq(ps_pget(t_sim, z, sh, 0), PS_ESRCH);
	ck_assert_int_eq(ps_inferior(t_sim, z, z), PS_ESRCH);
	ck_assert_int_eq(ps_p_cansee(t_sim, z, sh), PS_ESRCH);
	ck_assert_int_eq(ps_p_candebug(t_sim, z, sh), PS_ESRCH);
	ck_assert_int_eq(ps_p_cansignal(t_sim, z, sh, PS_SIGHUP), PS_ESRCH);
	ck_assert_int_eq(ps_tiocsctty(t_sim, z, dev), PS_ESRCH);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, z, dev, sh), PS_ESRCH);
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, z, dev), PS_ESRCH);
	ck_assert_int_eq(out, -1);
	/* The zombie is still there, untouched, and can be reaped. */
	ck_assert_int_eq(t_state(t_sim, z), PS_PRS_ZOMBIE);
	ck_assert_int_eq(ps_wait(t_sim, sh, z, 0, NULL), z);
}
END_TEST

/* Target pids out of range for operations that take one. */
START_TEST(bad_target_pids)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);

	/* setpgid: a negative pid names nothing; a negative pgid is EINVAL;
	 * a pgid that names no group is EPERM (FreeBSD sys_setpgid). */
	ck_assert_int_eq(ps_setpgid(t_sim, sh, -1, 0), PS_ESRCH);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, INT32_MIN, 0), PS_ESRCH);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, 4242, 0), PS_ESRCH);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, INT32_MAX, 0), PS_ESRCH);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, -1), PS_EINVAL);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, INT32_MIN), PS_EINVAL);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, 4242), PS_EPERM);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, INT32_MAX), PS_EPERM);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, PS_PID_MAX_DEFAULT), PS_EPERM);
	/* kill: pid > 0 naming nothing, and groups naming nothing. */
	ck_assert_int_eq(ps_kill(t_sim, sh, 4242, PS_SIGHUP), PS_ESRCH);
	ck_assert_int_eq(ps_kill(t_sim, sh, INT32_MAX, PS_SIGHUP), PS_ESRCH);
	ck_assert_int_eq(ps_kill(t_sim, sh, PS_PID_MAX_DEFAULT, PS_SIGHUP), PS_ESRCH);
	ck_assert_int_eq(ps_kill(t_sim, sh, -4242, PS_SIGHUP), PS_ESRCH);
	ck_assert_int_eq(ps_kill(t_sim, sh, -PS_PID_MAX_DEFAULT, PS_SIGHUP), PS_ESRCH);
	ck_assert_int_eq(ps_kill(t_sim, sh, INT32_MIN, PS_SIGHUP), PS_ESRCH);
	ck_assert_int_eq(ps_kill(t_sim, sh, INT32_MIN + 1, PS_SIGHUP), PS_ESRCH);
	/* wait: pids that match no child. */
	ck_assert_int_eq(ps_wait(t_sim, sh, 4242, PS_WNOHANG, NULL), PS_ECHILD);
	ck_assert_int_eq(ps_wait(t_sim, sh, INT32_MAX, PS_WNOHANG, NULL), PS_ECHILD);
	ck_assert_int_eq(ps_wait(t_sim, sh, INT32_MIN, PS_WNOHANG, NULL), PS_ECHILD);
	ck_assert_int_eq(ps_wait(t_sim, sh, -4242, PS_WNOHANG, NULL), PS_ECHILD);
	ck_assert_int_eq(ps_wait(t_sim, sh, 1, PS_WNOHANG, NULL), PS_ECHILD);
	/* setuid/setcred: negative ids. */
	struct ps_cred neg = {0, -1, 0, 0, 0, 0};
	ck_assert_int_eq(ps_setuid(t_sim, sh, -1), PS_EINVAL);
	ck_assert_int_eq(ps_setuid(t_sim, sh, INT32_MIN), PS_EINVAL);
	ck_assert_int_eq(ps_setcred(t_sim, sh, &neg), PS_EINVAL);
	neg.ruid = 0;
	neg.svgid = -5;
	ck_assert_int_eq(ps_setcred(t_sim, sh, &neg), PS_EINVAL);
	/* Nothing moved. */
	ck_assert_int_eq(ps_getpgid(t_sim, sh, c), sh);
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_NORMAL);
}
END_TEST

/* FreeBSD sys_setpgid checks the target before it looks the pgid up:
 * ESRCH for a pid that names nothing or a process that is not the caller
 * or its descendant, EACCES for a child that has exec'd, and only then
 * EPERM for a pgid that names no group.  A pgid above pid_max names no
 * group, so it must give the same errors in the same order. */
START_TEST(setpgid_huge_pgid_error_order)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);
	int32_t other = t_session(t_sim);

	ck_assert_int_eq(ps_exec(t_sim, c, "prog"), 0);
	/* With an ordinary pgid that names no group, the order is right. */
	ck_assert_int_eq(ps_setpgid(t_sim, sh, 4242, 4243), PS_ESRCH);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, other, 4243), PS_ESRCH);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, 4243), PS_EACCES);
	/* The same with a pgid at or above pid_max. */
	ck_assert_int_eq(ps_setpgid(t_sim, sh, 4242, PS_PID_MAX_DEFAULT), PS_ESRCH);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, other, INT32_MAX), PS_ESRCH);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, INT32_MAX), PS_EACCES);
}
END_TEST

/* ========================= signals and options ========================= */

/* Signal numbers outside 1..NSIG-1 (0 where only a check is meant) are
 * PS_EINVAL; sigprocmask's how must be 1..3. */
START_TEST(bad_signals_and_options)
{
	struct ps_sigaction sa = {PS_SIG_IGN, 0, 0}, old;
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);
	uint32_t oset = 0xffffffffu;
	static const int bad[] = {-1, PS_NSIG, 64, INT32_MAX, INT32_MIN};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(ps_kill(t_sim, sh, c, bad[i]), PS_EINVAL);
		ck_assert_int_eq(ps_kill(t_sim, sh, -1, bad[i]), PS_EINVAL);
		ck_assert_int_eq(ps_kill(t_sim, sh, 0, bad[i]), PS_EINVAL);
		ck_assert_int_eq(ps_p_cansignal(t_sim, sh, c, bad[i]), PS_EINVAL);
		ck_assert_int_eq(ps_sigaction(t_sim, sh, bad[i], &sa, &old), PS_EINVAL);
		ck_assert_int_eq(ps_sigaction(t_sim, sh, bad[i], NULL, &old), PS_EINVAL);
	}
	ck_assert_int_eq(ps_sigaction(t_sim, sh, 0, &sa, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_sigprocmask(t_sim, sh, 0, 1, &oset), PS_EINVAL);
	ck_assert_int_eq(ps_sigprocmask(t_sim, sh, 4, 1, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_sigprocmask(t_sim, sh, -1, 1, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_sigprocmask(t_sim, sh, 1, 0, &oset), 0);
	ck_assert_uint_eq(oset, 0);
	/* kill with a bad signal sent nothing. */
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_NORMAL);
	/* wait: unknown option bits. */
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, 0x08, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, 0x10, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, 0x40000000, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, -1, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, PS_WNOHANG | 0x100, NULL), PS_EINVAL);
	/* securelevel range -1..3. */
	ck_assert_int_eq(ps_set_securelevel(t_sim, -2), PS_EINVAL);
	ck_assert_int_eq(ps_set_securelevel(t_sim, 4), PS_EINVAL);
	ck_assert_int_eq(ps_set_securelevel(t_sim, INT32_MIN), PS_EINVAL);
	ck_assert_int_eq(ps_set_securelevel(t_sim, 3), 0);
	ck_assert_int_eq(ps_set_securelevel(t_sim, -1), 0);
	/* pget flags. */
	ck_assert_int_eq(ps_pget(t_sim, sh, c, 0x80), PS_EINVAL);
}
END_TEST

/* sigaction(2): SIGKILL and SIGSTOP take nothing but SIG_DFL (EINVAL);
 * their old action can still be read. */
START_TEST(sigaction_kill_stop)
{
	struct ps_sigaction ign = {PS_SIG_IGN, 0, 0}, h = {0x4000, 0, 0};
	struct ps_sigaction dfl = {PS_SIG_DFL, 0, 0}, old = {77, 77, 77};
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);

	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGKILL, &ign, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGKILL, &h, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGSTOP, &ign, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGSTOP, &h, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGKILL, &dfl, NULL), 0);
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGSTOP, NULL, &old), 0);
	ck_assert_uint_eq(old.handler, PS_SIG_DFL);
	/* Other signals take handlers, and the old action comes back. */
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGTERM, &h, NULL), 0);
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGTERM, &ign, &old), 0);
	ck_assert_uint_eq(old.handler, 0x4000);
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGTERM, NULL, &old), 0);
	ck_assert_uint_eq(old.handler, PS_SIG_IGN);
	/* SIGKILL still kills a process that ignores SIGTERM. */
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGTERM), 0);
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_NORMAL);
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGKILL), 0);
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_ZOMBIE);
}
END_TEST

/* ============================ name tables ============================ */

/* error.h: ps_err_name / ps_strerror from PS_ERRNO_MAP; unknown values
 * give "EUNKNOWN" / "unknown error". */
START_TEST(error_names)
{
	ck_assert_str_eq(ps_err_name(PS_EPERM), "EPERM");
	ck_assert_str_eq(ps_err_name(PS_ESRCH), "ESRCH");
	ck_assert_str_eq(ps_err_name(PS_ECHILD), "ECHILD");
	ck_assert_str_eq(ps_err_name(PS_EAGAIN), "EAGAIN");
	ck_assert_str_eq(ps_err_name(PS_EINVAL), "EINVAL");
	ck_assert_str_eq(ps_err_name(PS_EINVARIANT), "EINVARIANT");
	ck_assert_str_eq(ps_err_name(PS_ENOSPC_TRACE), "ENOSPC_TRACE");
	ck_assert_str_eq(ps_err_name(0), "EUNKNOWN");
	ck_assert_str_eq(ps_err_name(1), "EUNKNOWN");
	ck_assert_str_eq(ps_err_name(-6), "EUNKNOWN");
	ck_assert_str_eq(ps_err_name(INT32_MIN), "EUNKNOWN");
	ck_assert_str_eq(ps_strerror(PS_ESRCH), "no such process");
	ck_assert_str_eq(ps_strerror(PS_EPERM), "operation not permitted");
	ck_assert_str_eq(ps_strerror(PS_EAGAIN), "resource temporarily unavailable");
	ck_assert_str_eq(ps_strerror(0), "unknown error");
	ck_assert_str_eq(ps_strerror(12345), "unknown error");
	/* FreeBSD's errno numbers. */
	ck_assert_int_eq(PS_EPERM, -1);
	ck_assert_int_eq(PS_ESRCH, -3);
	ck_assert_int_eq(PS_ECHILD, -10);
	ck_assert_int_eq(PS_EBUSY, -16);
	ck_assert_int_eq(PS_EINVAL, -22);
	ck_assert_int_eq(PS_EAGAIN, -35);
	/* Every code in the map names itself and has a message. */
#define CHECK_ONE_(name, value, msg)                                          \
	ck_assert_str_eq(ps_err_name(value), #name);                          \
	ck_assert_str_eq(ps_strerror(value), msg);
	PS_ERRNO_MAP(CHECK_ONE_)
#undef CHECK_ONE_
}
END_TEST

/* proc.h: ps_signal_name / ps_signal_number, FreeBSD numbering; with or
 * without the SIG prefix; unknown -> NULL / PS_EINVAL. */
START_TEST(signal_names)
{
	ck_assert_str_eq(ps_signal_name(PS_SIGHUP), "SIGHUP");
	ck_assert_str_eq(ps_signal_name(PS_SIGKILL), "SIGKILL");
	ck_assert_str_eq(ps_signal_name(PS_SIGCHLD), "SIGCHLD");
	ck_assert_str_eq(ps_signal_name(PS_SIGTHR), "SIGTHR");
	ck_assert_ptr_null(ps_signal_name(0));
	ck_assert_ptr_null(ps_signal_name(-1));
	ck_assert_ptr_null(ps_signal_name(PS_NSIG));
	ck_assert_ptr_null(ps_signal_name(INT32_MIN));
	ck_assert_int_eq(ps_signal_number("SIGHUP"), 1);
	ck_assert_int_eq(ps_signal_number("HUP"), 1);
	ck_assert_int_eq(ps_signal_number("SIGTSTP"), 18);
	ck_assert_int_eq(ps_signal_number("CONT"), 19);
	ck_assert_int_eq(ps_signal_number("SIGTHR"), 32);
	ck_assert_int_eq(ps_signal_number("SIGFOO"), PS_EINVAL);
	ck_assert_int_eq(ps_signal_number(""), PS_EINVAL);
	ck_assert_int_eq(ps_signal_number("SIG"), PS_EINVAL);
	ck_assert_int_eq(ps_signal_number("sighup"), PS_EINVAL);
	ck_assert_int_eq(ps_signal_number(NULL), PS_EINVAL);
	for (int s = 1; s < PS_NSIG; s++) {
		const char *n = ps_signal_name(s);

		ck_assert_ptr_nonnull(n);
		ck_assert_int_eq(ps_signal_number(n), s);
		ck_assert_int_eq(ps_signal_number(n + 3), s);
	}
	ck_assert_str_eq(ps_version_string(), "0.1.0");
}
END_TEST

/* event.h: ps_event_name for each type, NULL beyond; ps_event_format:
 * PS_EINVAL for a NULL event, a NULL buffer with a length, an unknown
 * type; the snprintf-style length otherwise, even when truncating. */
START_TEST(event_names_and_format)
{
	struct ps_event ev;
	char buf[256], small[8];
	int n, n2;

	ck_assert_str_eq(ps_event_name(PS_EV_FORK), "fork");
	ck_assert_str_eq(ps_event_name(PS_EV_SIGNAL_SEND), "signal");
	ck_assert_str_eq(ps_event_name(PS_EV_INVARIANT), "invariant");
	ck_assert_ptr_null(ps_event_name(PS_EV_COUNT_));
	ck_assert_ptr_null(ps_event_name(UINT32_MAX));
	for (uint32_t t = 0; t < PS_EV_COUNT_; t++)
		ck_assert_ptr_nonnull(ps_event_name(t));

	memset(&ev, 0, sizeof(ev));
	ev.seq = 12;
	ev.type = PS_EV_SIGNAL_SEND;
	ev.pid = 41;
	ev.sig = PS_SIGHUP;
	ck_assert_int_eq(ps_event_format(NULL, buf, sizeof(buf)), PS_EINVAL);
	ck_assert_int_eq(ps_event_format(NULL, NULL, 0), PS_EINVAL);
	ck_assert_int_eq(ps_event_format(&ev, NULL, 10), PS_EINVAL);
	n = ps_event_format(&ev, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq((int)strlen(buf), n);
	ck_assert_ptr_nonnull(strstr(buf, "#12 signal"));
	ck_assert_ptr_nonnull(strstr(buf, "SIGHUP"));
	ck_assert_ptr_nonnull(strstr(buf, "41"));
	/* Size probe and truncation. */
	ck_assert_int_eq(ps_event_format(&ev, NULL, 0), n);
	memset(small, 'x', sizeof(small));
	n2 = ps_event_format(&ev, small, sizeof(small));
	ck_assert_int_eq(n2, n);
	ck_assert_int_eq(small[sizeof(small) - 1], '\0');
	ck_assert_int_eq(strncmp(small, buf, sizeof(small) - 1), 0);
	/* Unknown type; a signal number out of range still formats. */
	ev.type = PS_EV_COUNT_;
	ck_assert_int_eq(ps_event_format(&ev, buf, sizeof(buf)), PS_EINVAL);
	ev.type = PS_EV_STOP;
	ev.sig = 99;
	ev.detail = "because";
	n = ps_event_format(&ev, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_ptr_nonnull(strstr(buf, "because"));
}
END_TEST

/* Events recorded live format without error. */
START_TEST(event_format_live_events)
{
	char buf[512];
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);

	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGTERM), 0);
	ck_assert_uint_gt(t_events.n, 0);
	for (size_t i = 0; i < t_events.n && i < EVLOG_MAX; i++) {
		ck_assert_uint_eq(t_events.ev[i].seq, (uint64_t)(i + 1));
		ck_assert_int_gt(ps_event_format(&t_events.ev[i], buf, sizeof(buf)), 0);
	}
}
END_TEST

/* ======================== terminals: bad args ======================== */

/* ps_tty_new: empty or too long names EINVAL, duplicates EEXIST;
 * ps_tty_lookup of an unknown name ENOENT; operations on an unknown
 * device ENOTTY. */
START_TEST(tty_bad_args)
{
	int32_t dev = -1, dev2 = -1;
	int32_t sh = t_session(t_sim);

	ck_assert_int_eq(ps_tty_new(t_sim, "", &dev), PS_EINVAL);
	ck_assert_int_eq(ps_tty_new(t_sim, "a-name-much-too-long-for-a-tty", &dev), PS_EINVAL);
	ck_assert_int_eq(dev, -1);
	ck_assert_int_eq(ps_tty_new(t_sim, "ttyv0", &dev), 0);
	ck_assert_int_eq(ps_tty_new(t_sim, "ttyv0", &dev2), PS_EEXIST);
	ck_assert_int_eq(dev2, -1);
	ck_assert_int_eq(ps_tty_lookup(t_sim, "ttyv0"), dev);
	ck_assert_int_eq(ps_tty_lookup(t_sim, "ttyv9"), PS_ENOENT);
	ck_assert_int_eq(ps_tty_lookup(t_sim, ""), PS_ENOENT);
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, dev + 100), PS_ENOTTY);
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, -1), PS_ENOTTY);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, sh, -1, sh), PS_ENOTTY);
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, sh, INT32_MAX), PS_ENOTTY);
	/* Not its controlling terminal yet. */
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, sh, dev), PS_ENOTTY);
	ck_assert_int_eq(ps_tiocsctty(t_sim, sh, dev), 0);
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, sh, dev), sh);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, sh, dev, 4242), PS_EPERM);
	ck_assert_int_eq(ps_tcsetpgrp(t_sim, sh, dev, INT32_MAX), PS_EPERM);
	ck_assert_int_lt(ps_tcsetpgrp(t_sim, sh, dev, -1), 0);
	ck_assert_int_eq(ps_tcgetpgrp(t_sim, sh, dev), sh);
}
END_TEST

/* ================================ exit ================================ */

/* ps_exit: init and kernel processes never exit (PS_EPERM); a stopped
 * process runs no code to call exit (PS_EBUSY). */
START_TEST(exit_errors)
{
	int32_t kp = -1;
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);

	ck_assert_int_eq(ps_exit(t_sim, 1, 0), PS_EPERM);
	ck_assert_int_eq(ps_exit(t_sim, 0, 0), PS_EPERM);
	ck_assert_int_eq(ps_kproc_new(t_sim, "kworker", &kp), 0);
	ck_assert_int_eq(ps_exit(t_sim, kp, 0), PS_EPERM);
	ck_assert_int_eq(t_state(t_sim, 1), PS_PRS_NORMAL);
	ck_assert_int_eq(t_state(t_sim, kp), PS_PRS_NORMAL);
	/* A kernel process does not fork either (only swapper does). */
	ck_assert_int_eq(ps_fork(t_sim, kp, &(int32_t){0}), PS_EPERM);

	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGSTOP), 0);
	ck_assert_uint_eq(t_flags(t_sim, c) & PS_P_STOPPED_SIG, PS_P_STOPPED_SIG);
	ck_assert_int_eq(ps_exit(t_sim, c, 0), PS_EBUSY);
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_NORMAL);
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGCONT), 0);
	ck_assert_int_eq(ps_exit(t_sim, c, 0), 0);
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_ZOMBIE);
	/* Exiting twice: the zombie is no caller. */
	ck_assert_int_eq(ps_exit(t_sim, c, 0), PS_ESRCH);
}
END_TEST

/* ================================ wait ================================ */

/* wait4: ECHILD with no children; WNOHANG with nothing ready gives 0;
 * where the kernel would sleep the caller sleeps (PS_EINPROGRESS), makes
 * no other call (PS_EBUSY), and its wait completes when a child exits. */
START_TEST(wait_basic_errors)
{
	int32_t sh = t_session(t_sim);
	int st = -5;

	ck_assert_int_eq(ps_wait(t_sim, sh, -1, 0, &st), PS_ECHILD);
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, PS_WNOHANG, &st), PS_ECHILD);
	ck_assert_int_eq(ps_wait(t_sim, sh, 0, 0, &st), PS_ECHILD);
	int32_t c = t_fork(t_sim, sh);
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, PS_WNOHANG, &st), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, c, PS_WNOHANG, &st), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, c, PS_WUNTRACED | PS_WCONTINUED, &st), PS_EINPROGRESS);
	ck_assert_int_eq(st, -5); /* untouched */
	struct ps_sysret sr;
	ck_assert_int_eq(ps_sysret(t_sim, sh, &sr), 0);
	ck_assert_int_eq(sr.sys, PS_SYS_WAIT4);
	ck_assert_int_eq(sr.state, PS_SYSST_SLEEPING);
	ck_assert_str_eq(sr.wmesg, "wait");
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, PS_WNOHANG, &st), PS_EBUSY);
	ck_assert_int_eq(ps_exit(t_sim, c, 9), 0);
	ck_assert_int_eq(ps_sysret(t_sim, sh, &sr), 0);
	ck_assert_int_eq(sr.state, PS_SYSST_DONE);
	ck_assert_int_eq(sr.retval, c);
	ck_assert_int_eq(sr.status, 0x900);
	ck_assert_int_eq(t_state(t_sim, c), -1);
	c = t_fork(t_sim, sh);
	/* Not a child of the caller. */
	ck_assert_int_eq(ps_wait(t_sim, c, sh, PS_WNOHANG, &st), PS_ECHILD);
	/* Linux-clone children only: there are none. */
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, PS_WLINUXCLONE | PS_WNOHANG, &st), PS_ECHILD);
	/* A stopped process cannot call wait. */
	int32_t g = t_fork(t_sim, c);
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGSTOP), 0);
	ck_assert_int_eq(ps_wait(t_sim, c, g, PS_WNOHANG, &st), PS_EBUSY);
}
END_TEST

/* Exit status word W_EXITCODE(ret, 0) = ret << 8, not masked to 8 bits
 * (the 2008 sys_exit); the zombie is reaped exactly once. */
START_TEST(wait_exit_status)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh), d = t_fork(t_sim, sh);
	struct ps_proc_info pi;
	int st = -1;

	ck_assert_int_eq(ps_exit(t_sim, c, 3), 0);
	ck_assert_int_eq(ps_proc_info(t_sim, c, &pi), 0);
	ck_assert_int_eq(pi.xstat, 0x300);
	ck_assert_int_eq(ps_wait(t_sim, sh, c, 0, &st), c);
	ck_assert_int_eq(st, 0x300);
	ck_assert_int_eq(t_state(t_sim, c), -1);
	ck_assert_int_eq(ps_wait(t_sim, sh, c, 0, &st), PS_ECHILD);
	ck_assert_int_eq(ps_exit(t_sim, d, 0x1ff), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, 0, NULL), d);
	ck_assert_int_eq(ps_exit(t_sim, t_fork(t_sim, sh), 0x1ff), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, 0, &st), d + 1);
	ck_assert_int_eq(st, 0x1ff00);
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, 0, &st), PS_ECHILD);
	ck_assert_uint_eq(t_count(PS_EV_REAP, c, 0), 1);
}
END_TEST

/* Death by a signal: status W_EXITCODE(0, sig) = sig. */
START_TEST(wait_signal_status)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh), d = t_fork(t_sim, sh);
	int st = -1;

	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGTERM), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, c, 0, &st), c);
	ck_assert_int_eq(st, PS_SIGTERM);
	ck_assert_int_eq(ps_kill(t_sim, sh, d, PS_SIGKILL), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, PS_WNOHANG, &st), d);
	ck_assert_int_eq(st, PS_SIGKILL);
}
END_TEST

/* WUNTRACED reports a stop once, status W_STOPCODE(sig) = sig<<8 | 0177;
 * without WUNTRACED a stop is not reported; WCONTINUED reports a
 * continue once, status 0x13 (SIGCONT). */
START_TEST(wait_stop_continue)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);
	int st = -1;

	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGSTOP), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, c, PS_WNOHANG, &st), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, c, PS_WCONTINUED | PS_WNOHANG, &st), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, PS_WUNTRACED | PS_WNOHANG, &st), c);
	ck_assert_int_eq(st, (PS_SIGSTOP << 8) | 0177);
	ck_assert_uint_eq(t_flags(t_sim, c) & PS_P_WAITED, PS_P_WAITED);
	st = -1;
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, PS_WUNTRACED | PS_WNOHANG, &st), 0);
	ck_assert_int_eq(st, -1);
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_NORMAL); /* not reaped */

	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGCONT), 0);
	ck_assert_uint_eq(t_flags(t_sim, c) & PS_P_CONTINUED, PS_P_CONTINUED);
	ck_assert_int_eq(ps_wait(t_sim, sh, c, PS_WUNTRACED | PS_WNOHANG, &st), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, c, PS_WCONTINUED | PS_WNOHANG, &st), c);
	ck_assert_int_eq(st, 0x13);
	ck_assert_int_eq(ps_wait(t_sim, sh, c, PS_WCONTINUED | PS_WNOHANG, &st), 0);

	/* A second stop is reported again, this time with SIGTSTP's number
	 * (c's group is not orphaned: give it a parent in another group of
	 * the session). */
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, c), 0);
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGTSTP), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, -c, PS_WUNTRACED | PS_WNOHANG, &st), c);
	ck_assert_int_eq(st, (PS_SIGTSTP << 8) | 0177);
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGKILL), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, 0, &st), c);
	ck_assert_int_eq(st, PS_SIGKILL);
}
END_TEST

/* wait4 pid forms: -1 any child; 0 children in the caller's own group;
 * -pgid children in that group; a pid exactly that child. */
START_TEST(wait_pid_forms)
{
	int32_t sh = t_session(t_sim);
	int32_t a = t_fork(t_sim, sh);  /* sh's group */
	int32_t b = t_fork(t_sim, sh);  /* own group */
	int32_t d = t_fork(t_sim, sh);  /* sh's group */
	int st;

	ck_assert_int_eq(ps_setpgid(t_sim, sh, b, b), 0);
	ck_assert_int_eq(ps_exit(t_sim, b, 2), 0);
	/* Only b has exited, and it is not in sh's group. */
	ck_assert_int_eq(ps_wait(t_sim, sh, 0, PS_WNOHANG, &st), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, -sh, PS_WNOHANG, &st), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, a, PS_WNOHANG, &st), 0);
	ck_assert_int_eq(ps_exit(t_sim, a, 1), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, 0, PS_WNOHANG, &st), a);
	ck_assert_int_eq(st, 0x100);
	ck_assert_int_eq(ps_wait(t_sim, sh, -b, 0, &st), b);
	ck_assert_int_eq(st, 0x200);
	/* b's group is gone with b. */
	ck_assert_int_eq(ps_wait(t_sim, sh, -b, PS_WNOHANG, &st), PS_ECHILD);
	ck_assert_int_eq(ps_exit(t_sim, d, 4), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, 0, &st), d);
	ck_assert_int_eq(st, 0x400);
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, 0, &st), PS_ECHILD);
	ck_assert_int_eq(ps_wait(t_sim, sh, 0, 0, &st), PS_ECHILD);
}
END_TEST

/* wait(0) with only children in other groups: ECHILD, not a sleep. */
START_TEST(wait_own_group_echild)
{
	int32_t sh = t_session(t_sim);
	int32_t b = t_fork(t_sim, sh);

	ck_assert_int_eq(ps_setpgid(t_sim, sh, b, b), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, 0, 0, NULL), PS_ECHILD);
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, 0, NULL), PS_EINPROGRESS);
}
END_TEST

/* SA_NOCLDWAIT on SIGCHLD, or SIGCHLD set to SIG_IGN: children do not
 * become zombies for the parent (init inherits and reaps them), and the
 * parent's wait then finds no children (ECHILD). */
START_TEST(nocldwait_autoreap)
{
	struct ps_sigaction nocldwait = {PS_SIG_DFL, PS_SA_NOCLDWAIT, 0};
	struct ps_sigaction ign = {PS_SIG_IGN, 0, 0}, old;
	struct ps_sim_stats st;
	int32_t sh = t_session(t_sim), sh2 = t_session(t_sim);
	int32_t c, d;

	ck_assert_int_eq(ps_sigaction(t_sim, sh, PS_SIGCHLD, &nocldwait, NULL), 0);
	ck_assert_int_eq(ps_sigaction(t_sim, sh, PS_SIGCHLD, NULL, &old), 0);
	ck_assert_uint_eq(old.flags & PS_SA_NOCLDWAIT, PS_SA_NOCLDWAIT);
	c = t_fork(t_sim, sh);
	ck_assert_int_eq(ps_exit(t_sim, c, 7), 0);
	ck_assert_int_eq(t_state(t_sim, c), -1);
	ck_assert_int_eq(ps_zpfind(t_sim, c), PS_ESRCH);
	ck_assert_int_eq(ps_wait(t_sim, sh, -1, 0, NULL), PS_ECHILD);
	ck_assert_int_eq(ps_wait(t_sim, sh, c, PS_WNOHANG, NULL), PS_ECHILD);

	ck_assert_int_eq(ps_sigaction(t_sim, sh2, PS_SIGCHLD, &ign, NULL), 0);
	d = t_fork(t_sim, sh2);
	ck_assert_int_eq(ps_kill(t_sim, sh2, d, PS_SIGTERM), 0);
	ck_assert_int_eq(t_state(t_sim, d), -1);
	ck_assert_int_eq(ps_wait(t_sim, sh2, -1, 0, NULL), PS_ECHILD);
	ck_assert_int_eq(ps_sim_stats(t_sim, &st), 0);
	ck_assert_int_eq(st.nzombies, 0);

	/* Back to the default: zombies again. */
	struct ps_sigaction dfl = {PS_SIG_DFL, 0, 0};
	ck_assert_int_eq(ps_sigaction(t_sim, sh2, PS_SIGCHLD, &dfl, NULL), 0);
	d = t_fork(t_sim, sh2);
	ck_assert_int_eq(ps_exit(t_sim, d, 0), 0);
	ck_assert_int_eq(t_state(t_sim, d), PS_PRS_ZOMBIE);
	ck_assert_int_eq(ps_wait(t_sim, sh2, -1, 0, NULL), d);
}
END_TEST

/* init may not refuse zombies: SA_NOCLDWAIT on init is ignored, and init
 * reaps its children at the end of every operation anyway. */
START_TEST(init_reaps)
{
	int32_t c = t_fork(t_sim, 1);

	ck_assert_int_eq(ps_exit(t_sim, c, 0), 0);
	ck_assert_int_eq(t_state(t_sim, c), -1);
	ck_assert_uint_eq(t_count(PS_EV_REAP, c, 0), 1);
}
END_TEST

/* ===================== the simulator survives it all ===================== */

/* After a storm of bad calls the simulator is consistent and usable. */
START_TEST(survives_bad_calls)
{
	int32_t sh = t_session(t_sim), c = t_fork(t_sim, sh), out;
	struct ps_sigaction sa = {PS_SIG_IGN, 0, 0};

	for (int32_t p = -3; p < 8; p++) {
		for (int sig = -2; sig < PS_NSIG + 2; sig++) {
			if (sig == PS_SIGKILL || sig == PS_SIGSTOP || sig == PS_SIGTSTP)
				continue;
			(void)ps_kill(t_sim, c, p, sig == 0 ? 0 : -1);
			(void)ps_sigaction(t_sim, c, sig, sig == PS_SIGCHLD ? NULL : &sa, NULL);
			(void)ps_pget(t_sim, c, p, sig);
			(void)ps_wait(t_sim, c, p, sig, NULL);
			(void)ps_setpgid(t_sim, c, p, sig);
		}
	}
	t_check(t_sim);
	ck_assert_int_eq(t_state(t_sim, sh), PS_PRS_NORMAL);
	ck_assert_int_eq(ps_fork(t_sim, sh, &out), 0);
	ck_assert_int_gt(out, c);
}
END_TEST

/*
 * procsim/ptrace.h: NULL simulator, bad callers, NULL structures
 * (PS_EFAULT, copied in before the lookup: spec §3.1), unknown requests
 * and names, and the introspection calls' argument errors.
 */
START_TEST(ptrace_api_errors)
{
	struct ps_ptrace_info pi;
	struct ps_thread_dbg td;
	struct ps_regs regs;
	int32_t dbg, k = -1;
	int flags = PS_PPROT_SET, rv = -7;

	ck_assert_int_eq(ps_ptrace(NULL, 1, PS_PT_ATTACH, 2, NULL, 0, &rv), PS_EINVAL);
	ck_assert_int_eq(ps_procctl(NULL, 1, PS_PROCCTL_P_PID, 1, PS_PROC_SPROTECT, &flags),
	                 PS_EINVAL);
	ck_assert_int_eq(ps_ptrace_info(NULL, 1, &pi), PS_EINVAL);
	ck_assert_int_eq(ps_ptrace_info(t_sim, 1, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_thread_dbg(NULL, 100001, &td), PS_EINVAL);
	ck_assert_int_eq(ps_thread_dbg(t_sim, 100001, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_ptrace_inject_enomem(NULL, 1), PS_EINVAL);
	for (int i = 0; i < NBAD; i++) {
		ck_assert_int_eq(ps_ptrace(t_sim, bad_pids[i], PS_PT_ATTACH, 1, NULL, 0, &rv),
		                 PS_ESRCH);
		ck_assert_int_eq(ps_ptrace_info(t_sim, bad_pids[i], &pi), PS_ESRCH);
		ck_assert_int_eq(ps_thread_dbg(t_sim, bad_pids[i], &td), PS_ESRCH);
		ck_assert_int_eq(ps_procctl(t_sim, bad_pids[i], PS_PROCCTL_P_PID, 1, PS_PROC_SPROTECT,
		                            &flags), PS_ESRCH);
	}
	ck_assert_int_eq(rv, -7);
	ck_assert_int_eq(ps_fork(t_sim, 1, &dbg), 0);
	/* A pid that names nobody, a thread id that names no thread. */
	ck_assert_int_eq(ps_ptrace(t_sim, dbg, PS_PT_ATTACH, 4242, NULL, 0, &rv), PS_ESRCH);
	ck_assert_int_eq(ps_ptrace(t_sim, dbg, PS_PT_SUSPEND, PS_PID_MAX_DEFAULT + 500, NULL, 0,
	                           &rv), PS_ESRCH);
	ck_assert_int_eq(ps_ptrace(t_sim, dbg, PS_PT_ATTACH, -5, NULL, 0, &rv), PS_ESRCH);
	/* Structures are copied in before the lookup: NULL is EFAULT first. */
	ck_assert_int_eq(ps_ptrace(t_sim, dbg, PS_PT_IO, 4242, NULL, 0, &rv), PS_EFAULT);
	ck_assert_int_eq(ps_ptrace(t_sim, dbg, PS_PT_SETREGS, 4242, NULL, 0, &rv), PS_EFAULT);
	ck_assert_int_eq(ps_ptrace(t_sim, dbg, PS_PT_VM_ENTRY, 4242, NULL, 0, &rv), PS_EFAULT);
	ck_assert_int_eq(ps_ptrace(t_sim, dbg, PS_PT_GETREGS, 4242, &regs, 0, &rv), PS_ESRCH);
	ck_assert_int_eq(ps_procctl(t_sim, dbg, PS_PROCCTL_P_PID, dbg, PS_PROC_SPROTECT, NULL),
	                 PS_EFAULT);
	ck_assert_int_eq(ps_procctl(t_sim, dbg, PS_PROCCTL_P_PID, dbg, 2, NULL), PS_EINVAL);
	/* Unknown requests on an untraced target: the default checks (EPERM). */
	ck_assert_int_eq(ps_fork(t_sim, dbg, &k), 0);
	ck_assert_int_eq(ps_ptrace(t_sim, dbg, 24, k, NULL, 0, &rv), PS_EPERM);
	ck_assert_int_eq(ps_ptrace(t_sim, dbg, -1, k, NULL, 0, &rv), PS_EPERM);
	ck_assert_int_eq(ps_ptrace(t_sim, dbg, 64, k, NULL, 0, &rv), PS_EPERM);
	/* Names. */
	ck_assert_str_eq(ps_ptrace_request_name(PS_PT_ATTACH), "PT_ATTACH");
	ck_assert_ptr_null(ps_ptrace_request_name(3));
	ck_assert_ptr_null(ps_ptrace_request_name(-1));
	ck_assert_ptr_null(ps_ptrace_request_name(1000));
	ck_assert_int_eq(ps_ptrace_request_number("pt_vm_entry"), PS_PT_VM_ENTRY);
	ck_assert_int_eq(ps_ptrace_request_number("ATTACH"), PS_PT_ATTACH);
	ck_assert_int_eq(ps_ptrace_request_number("PT_LWP_EVENTS"), PS_EINVAL);
	ck_assert_int_eq(ps_ptrace_request_number(NULL), PS_EINVAL);
	ck_assert_int_eq(rv, -7);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("api_errors");
	TCase *tc = tcase_create("api_errors");

	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, null_sim);
	tcase_add_test(tc, ptrace_api_errors);
	tcase_add_test(tc, null_out_pointers);
	tcase_add_test(tc, bad_pids_queries);
	tcase_add_test(tc, bad_caller);
	tcase_add_test(tc, zombie_caller);
	tcase_add_test(tc, bad_target_pids);
	tcase_add_test(tc, setpgid_huge_pgid_error_order);
	tcase_add_test(tc, bad_signals_and_options);
	tcase_add_test(tc, sigaction_kill_stop);
	tcase_add_test(tc, error_names);
	tcase_add_test(tc, signal_names);
	tcase_add_test(tc, event_names_and_format);
	tcase_add_test(tc, event_format_live_events);
	tcase_add_test(tc, tty_bad_args);
	tcase_add_test(tc, exit_errors);
	tcase_add_test(tc, wait_basic_errors);
	tcase_add_test(tc, wait_exit_status);
	tcase_add_test(tc, wait_signal_status);
	tcase_add_test(tc, wait_stop_continue);
	tcase_add_test(tc, wait_pid_forms);
	tcase_add_test(tc, wait_own_group_echild);
	tcase_add_test(tc, nocldwait_autoreap);
	tcase_add_test(tc, init_reaps);
	tcase_add_test(tc, survives_bad_calls);
	suite_add_tcase(s, tc);
	return t_run(s);
}
