/*
 * Lookups and credential checks: pfind, zpfind, pgfind, pfind_tid, pget
 * with every PGET_* flag (spec-kern_proc.md §2, §10.1, §10.2 item 1),
 * inferior (§2.6), p_cansee, p_candebug (spec-sys_process.md Phase 3,
 * lines 495-510), p_cansignal, setuid/exec and P_SUGID, and kill(2) in
 * its four pid forms.
 *
 * Each test names the spec item it checks.  Credentials are set with
 * ps_setcred (uids; gids stay 0 so that only the uids differ).
 */
#include "testlib.h"

#include "kern/internal_api.h"
#include "kern/kern.h"

/* ---- helpers ---- */

/* All three uids of pid set to uid, all gids 0. */
static void
set_uid(int32_t pid, int32_t uid)
{
	struct ps_cred c = {uid, uid, uid, 0, 0, 0};

	ck_assert_int_eq(ps_setcred(t_sim, pid, &c), 0);
}

static void
set_cred3(int32_t pid, int32_t uid, int32_t ruid, int32_t svuid)
{
	struct ps_cred c = {uid, ruid, svuid, 0, 0, 0};

	ck_assert_int_eq(ps_setcred(t_sim, pid, &c), 0);
}

static struct ps_cred
cred_of(int32_t pid)
{
	struct ps_proc_info pi;

	ck_assert_int_eq(ps_proc_info(t_sim, pid, &pi), 0);
	return pi.cred;
}

/* Fork children of init that exit at once until `last` is handed out. */
static void
burn_until(int32_t last)
{
	for (int i = 0; i < 100000; i++) {
		int32_t c = t_fork(t_sim, 1);

		ck_assert_int_eq(ps_exit(t_sim, c, 0), 0);
		if (c == last)
			return;
	}
	ck_abort_msg("pid %d never handed out", last);
}

static struct proc *
kproc_of(int32_t pid)
{
	struct proc *p = pfind_any_nolock(ps__kernel(t_sim), pid);

	ck_assert_ptr_nonnull(p);
	return p;
}

/* ================= pfind / zpfind / pgfind / pfind_tid ================= */

/* §2.1: pfind finds live processes only; never a zombie.  §2.3: zpfind
 * finds zombies only. */
START_TEST(pfind_live_not_zombie)
{
	int32_t sh, z = t_zombie(&sh);

	ck_assert_int_eq(ps_pfind(t_sim, 0), 0);
	ck_assert_int_eq(ps_pfind(t_sim, 1), 0);
	ck_assert_int_eq(ps_pfind(t_sim, sh), 0);
	ck_assert_int_eq(ps_pfind(t_sim, z), PS_ESRCH);
	ck_assert_int_eq(ps_zpfind(t_sim, z), 0);
	ck_assert_int_eq(ps_zpfind(t_sim, sh), PS_ESRCH);
	/* Reaped: neither finds it. */
	ck_assert_int_eq(ps_wait(t_sim, sh, z, 0, NULL), z);
	ck_assert_int_eq(ps_pfind(t_sim, z), PS_ESRCH);
	ck_assert_int_eq(ps_zpfind(t_sim, z), PS_ESRCH);
	/* Never allocated, negative, out of range. */
	ck_assert_int_eq(ps_pfind(t_sim, 4242), PS_ESRCH);
	ck_assert_int_eq(ps_pfind(t_sim, -1), PS_ESRCH);
	ck_assert_int_eq(ps_zpfind(t_sim, -1), PS_ESRCH);
	ck_assert_int_eq(ps_pfind(t_sim, PS_PID_MAX_DEFAULT + 5), PS_ESRCH);
}
END_TEST

/* §2.4: pgfind finds live groups; a zombie stays in its group until it is
 * reaped (§1.1, I-list), so its group is still found; after the reap the
 * group is gone. */
START_TEST(pgfind_groups)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);

	ck_assert_int_eq(ps_pgfind(t_sim, sh), 0);
	ck_assert_int_eq(ps_pgfind(t_sim, c), PS_ESRCH);
	ck_assert_int_eq(ps_setpgid(t_sim, c, 0, 0), 0);
	ck_assert_int_eq(ps_pgfind(t_sim, c), 0);
	ck_assert_int_eq(ps_exit(t_sim, c, 0), 0);
	ck_assert_int_eq(ps_pgfind(t_sim, c), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, c, 0, NULL), c);
	ck_assert_int_eq(ps_pgfind(t_sim, c), PS_ESRCH);
	ck_assert_int_eq(ps_pgfind(t_sim, -1), PS_ESRCH);
	ck_assert_int_eq(ps_pgfind(t_sim, 0), 0); /* swapper's group 0 */
}
END_TEST

/* §2.4 / §10.2 item 2: pgfind returns the group locked; the caller must
 * unlock it. */
START_TEST(pgfind_returns_locked)
{
	struct kernel *k = ps__kernel(t_sim);
	int32_t sh = t_session(t_sim);
	struct pgrp *g;

	sx_slock(k, &k->proctree_lock);
	g = pgfind(k, sh);
	ck_assert_ptr_nonnull(g);
	ck_assert(lock_owned(&g->pg_mtx));
	PGRP_UNLOCK(g);
	ck_assert_ptr_null(pgfind(k, 4242));
	sx_sunlock(k, &k->proctree_lock);
	ck_assert_uint_eq(k->nheld, 0);
}
END_TEST

/* §2.2: a tid from thr_new resolves to its process; tids are above
 * pid_max (spec-sys_process.md: thread ids are allocated strictly above
 * PID_MAX); an exited process's threads are not found (zombies are not
 * searched). */
START_TEST(pfind_tid)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);
	int32_t tid = -1, tid2 = -1;

	ck_assert_int_eq(ps_thread_new(t_sim, c, &tid), 0);
	ck_assert_int_gt(tid, PS_PID_MAX_DEFAULT);
	ck_assert_int_eq(ps_pfind_tid(t_sim, tid), c);
	ck_assert_int_eq(ps_thread_new(t_sim, sh, &tid2), 0);
	ck_assert_int_ne(tid2, tid);
	ck_assert_int_eq(ps_pfind_tid(t_sim, tid2), sh);
	ck_assert_uint_eq(t_flags(t_sim, c) & PS_P_HADTHREADS, PS_P_HADTHREADS);
	/* Not a tid: a pid, a negative number, an unallocated tid. */
	ck_assert_int_eq(ps_pfind_tid(t_sim, c), PS_ESRCH);
	ck_assert_int_eq(ps_pfind_tid(t_sim, -7), PS_ESRCH);
	ck_assert_int_eq(ps_pfind_tid(t_sim, tid2 + 1000), PS_ESRCH);
	/* The process exits: its threads are gone from the lookup. */
	ck_assert_int_eq(ps_exit(t_sim, c, 0), 0);
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_ZOMBIE);
	ck_assert_int_eq(ps_pfind_tid(t_sim, tid), PS_ESRCH);
	ck_assert_int_eq(ps_pfind_tid(t_sim, tid2), sh);
}
END_TEST

/* ================================ pget ================================ */

/* §2.5 step 2-3, §10.1: no process with that pid -> ESRCH; negative pids
 * -> ESRCH (§10.2 item 1). */
START_TEST(pget_no_such_pid)
{
	int32_t sh = t_session(t_sim);

	ck_assert_int_eq(ps_pget(t_sim, sh, 4242, 0), PS_ESRCH);
	ck_assert_int_eq(ps_pget(t_sim, sh, -1, 0), PS_ESRCH);
	ck_assert_int_eq(ps_pget(t_sim, sh, -sh, 0), PS_ESRCH);
	ck_assert_int_eq(ps_pget(t_sim, sh, INT32_MIN, 0), PS_ESRCH);
	ck_assert_int_eq(ps_pget(t_sim, sh, -1, PS_PGET_NOTID), PS_ESRCH);
	/* A plain lookup finds live processes. */
	ck_assert_int_eq(ps_pget(t_sim, sh, 1, 0), 1);
	ck_assert_int_eq(ps_pget(t_sim, sh, 0, 0), 0);
	ck_assert_int_eq(ps_pget(t_sim, sh, sh, 0), sh);
}
END_TEST

/* §2.5 step 2, §10.2 item 1: pget returns a zombie unless NOTWEXIT is
 * given, with it ESRCH. */
START_TEST(pget_zombie)
{
	int32_t sh, z = t_zombie(&sh);

	ck_assert_int_eq(ps_pget(t_sim, sh, z, 0), z);
	ck_assert_int_eq(ps_pget(t_sim, sh, z, PS_PGET_CANSEE), z);
	ck_assert_int_eq(ps_pget(t_sim, sh, z, PS_PGET_NOTWEXIT), PS_ESRCH);
	ck_assert_int_eq(ps_pget(t_sim, sh, z, PS_PGET_WANTREAD), PS_ESRCH);
	ck_assert_int_eq(ps_pget(t_sim, sh, z, PS_PGET_NOTWEXIT | PS_PGET_NOTID), PS_ESRCH);
}
END_TEST

/* §2.5 table: PGET_NOTWEXIT refuses a live process with P_WEXIT set
 * (ESRCH, 408-411); PGET_NOTINEXEC refuses one with P_INEXEC (ESRCH,
 * 412-419).  The flags are set directly: the object level has no window
 * in which a process is exiting or in execve. */
START_TEST(pget_notwexit_notinexec_flags)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);
	struct proc *p = kproc_of(c);

	ck_assert_int_eq(ps_pget(t_sim, sh, c, PS_PGET_NOTWEXIT | PS_PGET_NOTINEXEC), c);
	p->p_flag |= P_WEXIT;
	ck_assert_int_eq(ps_pget(t_sim, sh, c, 0), c);
	ck_assert_int_eq(ps_pget(t_sim, sh, c, PS_PGET_NOTINEXEC), c);
	ck_assert_int_eq(ps_pget(t_sim, sh, c, PS_PGET_NOTWEXIT), PS_ESRCH);
	/* Order: ISCURRENT (404-407) is checked before NOTWEXIT (408-411). */
	ck_assert_int_eq(ps_pget(t_sim, sh, c, PS_PGET_ISCURRENT | PS_PGET_NOTWEXIT), PS_EPERM);
	p->p_flag &= ~P_WEXIT;

	p->p_flag |= P_INEXEC;
	ck_assert_int_eq(ps_pget(t_sim, sh, c, 0), c);
	ck_assert_int_eq(ps_pget(t_sim, sh, c, PS_PGET_NOTWEXIT), c);
	ck_assert_int_eq(ps_pget(t_sim, sh, c, PS_PGET_NOTINEXEC), PS_ESRCH);
	/* p_candebug: a target in exec is busy (spec-sys_process.md 505). */
	ck_assert_int_eq(ps_pget(t_sim, sh, c, PS_PGET_CANDEBUG), PS_EBUSY);
	ck_assert_int_eq(ps_p_candebug(t_sim, sh, c), PS_EBUSY);
	p->p_flag &= ~P_INEXEC;
	ck_assert_int_eq(ps_pget(t_sim, sh, c, PS_PGET_NOTINEXEC | PS_PGET_CANDEBUG), c);
	ck_assert_uint_eq(ps__kernel(t_sim)->nheld, 0);
}
END_TEST

/* §2.5 step 2, §10.2 item 1: a number above pid_max is a thread id unless
 * PGET_NOTID; thread-id lookups never find zombies. */
START_TEST(pget_tid)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);
	int32_t tid = -1;

	ck_assert_int_eq(ps_thread_new(t_sim, c, &tid), 0);
	ck_assert_int_gt(tid, PS_PID_MAX_DEFAULT);
	ck_assert_int_eq(ps_pget(t_sim, sh, tid, 0), c);
	ck_assert_int_eq(ps_pget(t_sim, sh, tid, PS_PGET_CANSEE | PS_PGET_HOLD), c);
	ck_assert_int_eq(ps_pget(t_sim, sh, tid, PS_PGET_NOTID), PS_ESRCH);
	/* NO_PID (pid_max + 1) and an unallocated tid: nothing. */
	ck_assert_int_eq(ps_pget(t_sim, sh, PS_PID_MAX_DEFAULT + 1, 0), PS_ESRCH);
	ck_assert_int_eq(ps_pget(t_sim, sh, tid + 500, 0), PS_ESRCH);
	ck_assert_int_eq(ps_pget(t_sim, sh, INT32_MAX, 0), PS_ESRCH);
	/* The owner exits: its tid no longer resolves, even without NOTWEXIT. */
	ck_assert_int_eq(ps_exit(t_sim, c, 0), 0);
	ck_assert_int_eq(ps_pget(t_sim, sh, tid, 0), PS_ESRCH);
	ck_assert_int_eq(ps_pget(t_sim, sh, c, 0), c);
}
END_TEST

/* §2.5 with a small pid_max: the boundary is pid <= PID_MAX (pid lookup)
 * versus above (tid lookup). */
START_TEST(pget_tid_boundary_small_pid_max)
{
	struct ps_config cfg = t_config();
	int32_t sh, tid = -1;

	cfg.pid_max = 300;
	t_replace_sim(&cfg);
	sh = t_session(t_sim);
	ck_assert_int_eq(ps_thread_new(t_sim, sh, &tid), 0);
	ck_assert_int_gt(tid, 300);
	ck_assert_int_eq(ps_pget(t_sim, sh, tid, 0), sh);
	ck_assert_int_eq(ps_pget(t_sim, sh, tid, PS_PGET_NOTID), PS_ESRCH);
	ck_assert_int_eq(ps_pget(t_sim, sh, 300, 0), PS_ESRCH);
	ck_assert_int_eq(ps_pget(t_sim, sh, 301, 0), PS_ESRCH);
}
END_TEST

/* §2.5 table, PGET_CANSEE (394-398): with security.bsd.see_other_uids off,
 * a process of another real uid is invisible (ESRCH) unless the caller
 * is privileged. */
START_TEST(pget_cansee_other_uids)
{
	struct ps_config cfg = t_config();
	int32_t a, b, a2, r;

	cfg.see_other_uids = 0;
	t_replace_sim(&cfg);
	a = t_session(t_sim);
	b = t_session(t_sim);
	a2 = t_fork(t_sim, a);
	r = t_session(t_sim);
	set_uid(a, 1000);
	set_uid(b, 2000);
	set_cred3(a2, 2000, 1000, 2000); /* same real uid as a */

	ck_assert_int_eq(ps_pget(t_sim, a, b, PS_PGET_CANSEE), PS_ESRCH);
	ck_assert_int_eq(ps_pget(t_sim, a, b, 0), b);
	ck_assert_int_eq(ps_pget(t_sim, a, a2, PS_PGET_CANSEE), a2);
	ck_assert_int_eq(ps_pget(t_sim, a, a, PS_PGET_CANSEE), a);
	ck_assert_int_eq(ps_pget(t_sim, r, b, PS_PGET_CANSEE), b);
	ck_assert_int_eq(ps_pget(t_sim, r, a, PS_PGET_CANSEE), a);
	/* Order: CANSEE first, so ESRCH rather than ISCURRENT's EPERM. */
	ck_assert_int_eq(ps_pget(t_sim, a, b, PS_PGET_CANSEE | PS_PGET_ISCURRENT), PS_ESRCH);
	ck_assert_int_eq(ps_p_cansee(t_sim, a, b), PS_ESRCH);
	ck_assert_int_eq(ps_p_cansee(t_sim, b, a), PS_ESRCH);
	ck_assert_int_eq(ps_p_cansee(t_sim, a, a2), 0);
	ck_assert_int_eq(ps_p_cansee(t_sim, r, a), 0);
	/* Init (uid 0) is hidden from a as well. */
	ck_assert_int_eq(ps_p_cansee(t_sim, a, 1), PS_ESRCH);
}
END_TEST

/* p_cansee with the default see_other_uids=1: everything is visible. */
START_TEST(cansee_default_sees_all)
{
	int32_t a = t_session(t_sim), b = t_session(t_sim);

	set_uid(a, 1000);
	set_uid(b, 2000);
	ck_assert_int_eq(ps_p_cansee(t_sim, a, b), 0);
	ck_assert_int_eq(ps_pget(t_sim, a, b, PS_PGET_CANSEE), b);
}
END_TEST

/* §2.5 table, PGET_CANDEBUG (399-403): p_candebug's error is passed
 * through. */
START_TEST(pget_candebug_errors)
{
	int32_t a = t_session(t_sim), b = t_session(t_sim), a2 = t_fork(t_sim, a);
	int32_t r = t_session(t_sim);

	set_uid(a, 1000);
	set_uid(a2, 1000);
	set_uid(b, 2000);
	ck_assert_int_eq(ps_pget(t_sim, a, b, PS_PGET_CANDEBUG), PS_EPERM);
	ck_assert_int_eq(ps_pget(t_sim, a, b, PS_PGET_WANTREAD), PS_EPERM);
	ck_assert_int_eq(ps_pget(t_sim, a, a2, PS_PGET_CANDEBUG), a2);
	ck_assert_int_eq(ps_pget(t_sim, a, a2, PS_PGET_WANTREAD), a2);
	ck_assert_int_eq(ps_pget(t_sim, r, b, PS_PGET_WANTREAD), b);
	/* CANDEBUG comes before ISCURRENT. */
	ck_assert_int_eq(ps_pget(t_sim, a, b, PS_PGET_CANDEBUG | PS_PGET_ISCURRENT), PS_EPERM);
}
END_TEST

/* §2.5 table, PGET_ISCURRENT (404-407): another process -> EPERM, even
 * for root; the caller itself is fine. */
START_TEST(pget_iscurrent)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);

	ck_assert_int_eq(ps_pget(t_sim, sh, c, PS_PGET_ISCURRENT), PS_EPERM);
	ck_assert_int_eq(ps_pget(t_sim, sh, 1, PS_PGET_ISCURRENT), PS_EPERM);
	ck_assert_int_eq(ps_pget(t_sim, sh, sh, PS_PGET_ISCURRENT), sh);
	ck_assert_int_eq(ps_pget(t_sim, c, c, PS_PGET_ISCURRENT | PS_PGET_WANTREAD), c);
	/* A tid of the caller's own thread is the caller. */
	int32_t tid = -1;
	ck_assert_int_eq(ps_thread_new(t_sim, c, &tid), 0);
	ck_assert_int_eq(ps_pget(t_sim, c, tid, PS_PGET_ISCURRENT), c);
	ck_assert_int_eq(ps_pget(t_sim, sh, tid, PS_PGET_ISCURRENT), PS_EPERM);
}
END_TEST

/* §2.5 step 5 (420-425): PGET_HOLD returns the process held; the public
 * call releases the hold before returning, so no hold is left behind. */
START_TEST(pget_hold_released)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);
	struct ps_proc_info pi;

	ck_assert_int_eq(ps_pget(t_sim, sh, c, PS_PGET_HOLD), c);
	ck_assert_int_eq(ps_proc_info(t_sim, c, &pi), 0);
	ck_assert_int_eq(pi.holds, 0);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(ps_pget(t_sim, sh, c, PS_PGET_WANTREAD), c);
	ck_assert_int_eq(ps_proc_info(t_sim, c, &pi), 0);
	ck_assert_int_eq(pi.holds, 0);
	/* A failing pget takes no hold either. */
	ck_assert_int_eq(ps_pget(t_sim, sh, c, PS_PGET_HOLD | PS_PGET_ISCURRENT), PS_EPERM);
	ck_assert_int_eq(ps_proc_info(t_sim, c, &pi), 0);
	ck_assert_int_eq(pi.holds, 0);
	/* With no hold left, the process can exit (exit1 asserts p_lock == 0). */
	ck_assert_int_eq(ps_exit(t_sim, c, 0), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, c, 0, NULL), c);
}
END_TEST

/* §2.5 "Lock state on return", §10.2 item 2: success without HOLD leaves
 * the process locked and not held; with HOLD held and unlocked; failure
 * leaves nothing held. */
START_TEST(pget_lock_states)
{
	struct kernel *k = ps__kernel(t_sim);
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);
	struct proc *p = NULL;

	k->curproc = kproc_of(sh);
	ck_assert_uint_eq(k->nheld, 0);
	ck_assert_int_eq(pget(k, c, 0, &p), 0);
	ck_assert_int_eq(p->p_pid, c);
	ck_assert(PROC_LOCKED(p));
	ck_assert_uint_eq(k->nheld, 1);
	ck_assert_int_eq(p->p_lock, 0);
	PROC_UNLOCK(p);

	ck_assert_int_eq(pget(k, c, PS_PGET_HOLD, &p), 0);
	ck_assert(!PROC_LOCKED(p));
	ck_assert_uint_eq(k->nheld, 0);
	ck_assert_int_eq(p->p_lock, 1);
	PROC_LOCK(p);
	_PRELE(k, p);
	PROC_UNLOCK(p);

	ck_assert_int_eq(pget(k, c, PS_PGET_HOLD | PS_PGET_ISCURRENT, &p), PS_EPERM);
	ck_assert_uint_eq(k->nheld, 0);
	ck_assert_int_eq(kproc_of(c)->p_lock, 0);
	ck_assert_int_eq(pget(k, 4242, PS_PGET_HOLD, &p), PS_ESRCH);
	ck_assert_uint_eq(k->nheld, 0);
	k->curproc = NULL;
}
END_TEST

/* ps_pget: flags outside PGET_* are EINVAL (include/procsim/proc.h). */
START_TEST(pget_bad_flags)
{
	int32_t sh = t_session(t_sim);

	ck_assert_int_eq(ps_pget(t_sim, sh, sh, 0x80), PS_EINVAL);
	ck_assert_int_eq(ps_pget(t_sim, sh, sh, -1), PS_EINVAL);
	ck_assert_int_eq(ps_pget(t_sim, sh, sh, 0x100 | PS_PGET_HOLD), PS_EINVAL);
	ck_assert_int_eq(ps_pget(t_sim, sh, sh, INT32_MIN), PS_EINVAL);
	/* All seven flags together are valid. */
	ck_assert_int_eq(ps_pget(t_sim, sh, sh, 0x7f), sh);
	ck_assert_int_eq(ps_pget(NULL, sh, sh, 0), PS_EINVAL);
	/* A caller that is not a live process. */
	ck_assert_int_eq(ps_pget(t_sim, 4242, sh, 0), PS_ESRCH);
}
END_TEST

/* ============================== inferior ============================== */

/* §2.6: 1 for the caller itself and its descendants, 0 for ancestors and
 * unrelated processes; the walk stops at pid 0. */
START_TEST(inferior_basic)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);
	int32_t g = t_fork(t_sim, c);
	int32_t other = t_session(t_sim);

	ck_assert_int_eq(ps_inferior(t_sim, sh, sh), 1);
	ck_assert_int_eq(ps_inferior(t_sim, sh, c), 1);
	ck_assert_int_eq(ps_inferior(t_sim, sh, g), 1);
	ck_assert_int_eq(ps_inferior(t_sim, c, g), 1);
	ck_assert_int_eq(ps_inferior(t_sim, c, sh), 0);
	ck_assert_int_eq(ps_inferior(t_sim, g, sh), 0);
	ck_assert_int_eq(ps_inferior(t_sim, other, c), 0);
	ck_assert_int_eq(ps_inferior(t_sim, sh, other), 0);
	ck_assert_int_eq(ps_inferior(t_sim, sh, 1), 0);
	ck_assert_int_eq(ps_inferior(t_sim, sh, 0), 0);
	/* init is an ancestor of every user process; swapper of everything. */
	ck_assert_int_eq(ps_inferior(t_sim, 1, g), 1);
	ck_assert_int_eq(ps_inferior(t_sim, 0, g), 1);
	ck_assert_int_eq(ps_inferior(t_sim, 0, 1), 1);
	/* After c exits, g is init's: no longer sh's descendant. */
	ck_assert_int_eq(ps_exit(t_sim, c, 0), 0);
	ck_assert_int_eq(ps_inferior(t_sim, sh, g), 0);
	ck_assert_int_eq(ps_inferior(t_sim, 1, g), 1);
	/* The zombie is still sh's child. */
	ck_assert_int_eq(ps_inferior(t_sim, sh, c), 1);
	ck_assert_int_eq(ps_inferior(t_sim, sh, 4242), PS_ESRCH);
	ck_assert_int_eq(ps_inferior(t_sim, sh, -3), PS_ESRCH);
}
END_TEST

/* §2.6: FreeBSD's inferior steps with proc_realparent, ignoring the
 * debugger's reparenting: a tracer is not an ancestor of its tracee, and
 * the real parent still is. */
START_TEST(inferior_traced_freebsd)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);
	int32_t g = t_fork(t_sim, c);
	int32_t dbg = t_session(t_sim);
	struct ps_proc_info pi;

	ck_assert_int_eq(ps__ptrace_attach(t_sim, dbg, c), 0);
	ck_assert_int_eq(ps_proc_info(t_sim, c, &pi), 0);
	ck_assert_int_eq(pi.pptr, dbg);
	ck_assert_int_eq(pi.ppid, sh);
	ck_assert_int_eq(ps_inferior(t_sim, dbg, c), 0);
	ck_assert_int_eq(ps_inferior(t_sim, dbg, g), 0);
	ck_assert_int_eq(ps_inferior(t_sim, sh, c), 1);
	ck_assert_int_eq(ps_inferior(t_sim, sh, g), 1);
}
END_TEST

/* §2.6: DragonFly steps with p_pptr, so a tracer counts as an ancestor and
 * the real parent does not. */
START_TEST(inferior_traced_dragonfly)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);
	int32_t dbg = t_session(t_sim);

	ck_assert_int_eq(ps__ptrace_attach(t_sim, dbg, c), 0);
	ck_assert_int_eq(ps_inferior(t_sim, dbg, c), 1);
	ck_assert_int_eq(ps_inferior(t_sim, sh, c), 0);
}
END_TEST

/* §2.6 with the real parent gone: FreeBSD's proc_realparent follows the
 * orphan list, not a pid; when the real parent exits its traced child is
 * taken off that list and its real parent is init from then on.  A later
 * process that happens to get the dead parent's pid is not an ancestor. */
START_TEST(inferior_traced_real_parent_reused_pid)
{
	struct ps_config cfg = t_config();
	int32_t sh, c, dbg, x;

	cfg.pid_max = 300;
	cfg.exit_compat = PS_EXIT_MODERN;
	t_replace_sim(&cfg);
	burn_until(99);
	sh = t_session(t_sim);
	c = t_fork(t_sim, sh);
	ck_assert_int_eq(ps_setsid(t_sim, c), c); /* nothing of sh's pid left in c */
	dbg = t_session(t_sim);
	ck_assert_int_eq(ps__ptrace_attach(t_sim, dbg, c), 0);
	ck_assert_int_eq(ps_exit(t_sim, sh, 0), 0);
	ck_assert_int_eq(t_state(t_sim, sh), -1); /* reaped by init */
	ck_assert_int_eq(ps_inferior(t_sim, 1, c), 1);
	ck_assert_int_eq(ps_inferior(t_sim, dbg, c), 0);
	/* Wrap the pid counter round to sh's pid. */
	burn_until(299);
	x = t_fork(t_sim, 1);
	ck_assert_int_eq(x, sh);
	ck_assert_int_eq(ps_inferior(t_sim, x, c), 0);
	ck_assert_int_eq(ps_inferior(t_sim, 1, c), 1);
}
END_TEST

/* The 2008 kern_exit.c (the default) never touches p_oppid at the real
 * parent's exit (spec-kern_exit.md §10.13, §11.10): the pid goes stale,
 * and a process that reuses it is taken for the real parent. */
START_TEST(inferior_traced_real_parent_stale_2008)
{
	struct ps_config cfg = t_config();
	struct ps_proc_info pi;
	int32_t sh, c, dbg, x;

	cfg.pid_max = 300;
	t_replace_sim(&cfg);
	burn_until(99);
	sh = t_session(t_sim);
	c = t_fork(t_sim, sh);
	ck_assert_int_eq(ps_setsid(t_sim, c), c);
	dbg = t_session(t_sim);
	ck_assert_int_eq(ps__ptrace_attach(t_sim, dbg, c), 0);
	ck_assert_int_eq(ps_exit(t_sim, sh, 0), 0);
	ck_assert_int_eq(t_state(t_sim, sh), -1);
	ck_assert_int_eq(ps_proc_info(t_sim, c, &pi), 0);
	ck_assert_int_eq(pi.oppid, sh); /* stale */
	ck_assert_int_eq(pi.ppid, 1);   /* nobody has the pid: init */
	burn_until(299);
	x = t_fork(t_sim, 1);
	ck_assert_int_eq(x, sh);
	ck_assert_int_eq(ps_inferior(t_sim, x, c), 1);
	ck_assert_int_eq(ps_proc_info(t_sim, c, &pi), 0);
	ck_assert_int_eq(pi.ppid, x);
}
END_TEST

/* §2.6 / proc.h ps_proc_info.ppid ("real parent, ignores a debugger"):
 * once the real parent of a traced process has exited and been reaped,
 * the real parent is init (proc_realparent falls back to initproc), so
 * ppid is 1, consistent with inferior(init) == 1. */
START_TEST(traced_real_parent_exited_ppid)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);
	int32_t dbg = t_session(t_sim);
	struct ps_proc_info pi;

	ck_assert_int_eq(ps__ptrace_attach(t_sim, dbg, c), 0);
	ck_assert_int_eq(ps_exit(t_sim, sh, 0), 0);
	ck_assert_int_eq(t_state(t_sim, sh), -1);
	ck_assert_int_eq(ps_inferior(t_sim, 1, c), 1);
	ck_assert_int_eq(ps_proc_info(t_sim, c, &pi), 0);
	ck_assert_int_eq(pi.pptr, dbg);
	ck_assert_int_eq(pi.ppid, 1);
}
END_TEST

/* ============================= p_candebug ============================= */

/* spec-sys_process.md 502-504: same uids (and groups) -> allowed; other
 * uid -> EPERM unless privileged; oneself always. */
START_TEST(candebug_uids)
{
	int32_t a = t_session(t_sim), a2 = t_fork(t_sim, a), b = t_session(t_sim);
	int32_t r = t_session(t_sim);

	set_uid(a, 1000);
	set_uid(a2, 1000);
	set_uid(b, 2000);
	ck_assert_int_eq(ps_p_candebug(t_sim, a, a2), 0);
	ck_assert_int_eq(ps_p_candebug(t_sim, a2, a), 0);
	ck_assert_int_eq(ps_p_candebug(t_sim, a, b), PS_EPERM);
	ck_assert_int_eq(ps_p_candebug(t_sim, b, a), PS_EPERM);
	ck_assert_int_eq(ps_p_candebug(t_sim, a, r), PS_EPERM);
	ck_assert_int_eq(ps_p_candebug(t_sim, r, a), 0);
	ck_assert_int_eq(ps_p_candebug(t_sim, r, b), 0);
	ck_assert_int_eq(ps_p_candebug(t_sim, a, a), 0);
	ck_assert_int_eq(ps_p_candebug(t_sim, b, b), 0);
	ck_assert_int_eq(ps_p_candebug(t_sim, a, 4242), PS_ESRCH);
}
END_TEST

/* spec-sys_process.md 503-504: unless the caller's effective uid equals
 * the target's real, effective and saved uids (and the groups are a
 * subset), privilege is needed. */
START_TEST(candebug_svuid_ruid_gid)
{
	int32_t a = t_session(t_sim), t = t_fork(t_sim, a), r = t_session(t_sim);
	struct ps_cred c = {1000, 1000, 1000, 5, 5, 5};

	set_uid(a, 1000);
	set_cred3(t, 1000, 1000, 2000); /* saved uid differs */
	ck_assert_int_eq(ps_p_candebug(t_sim, a, t), PS_EPERM);
	ck_assert_int_eq(ps_p_candebug(t_sim, r, t), 0);
	set_cred3(t, 1000, 2000, 1000); /* real uid differs */
	ck_assert_int_eq(ps_p_candebug(t_sim, a, t), PS_EPERM);
	ck_assert_int_eq(ps_p_candebug(t_sim, r, t), 0);
	set_cred3(t, 2000, 1000, 1000); /* effective uid differs */
	ck_assert_int_eq(ps_p_candebug(t_sim, a, t), PS_EPERM);
	set_cred3(t, 1000, 1000, 1000);
	ck_assert_int_eq(ps_p_candebug(t_sim, a, t), 0);
	/* The target's groups are not the caller's. */
	ck_assert_int_eq(ps_setcred(t_sim, t, &c), 0);
	ck_assert_int_eq(ps_p_candebug(t_sim, a, t), PS_EPERM);
	ck_assert_int_eq(ps_p_candebug(t_sim, r, t), 0);
}
END_TEST

/* spec-sys_process.md 504: a target with P_SUGID needs privilege even when
 * all the uids match.  setuid by root makes it (and fork inherits it). */
START_TEST(candebug_sugid)
{
	int32_t a = t_session(t_sim), t = t_session(t_sim), r = t_session(t_sim);
	int32_t tc;

	set_uid(a, 1000);
	ck_assert_uint_eq(t_flags(t_sim, t) & PS_P_SUGID, 0);
	ck_assert_int_eq(ps_setuid(t_sim, t, 1000), 0);
	ck_assert_uint_eq(t_flags(t_sim, t) & PS_P_SUGID, PS_P_SUGID);
	ck_assert_int_eq(cred_of(t).uid, 1000);
	ck_assert_int_eq(cred_of(t).ruid, 1000);
	ck_assert_int_eq(cred_of(t).svuid, 1000);
	ck_assert_int_eq(ps_p_candebug(t_sim, a, t), PS_EPERM);
	ck_assert_int_eq(ps_p_candebug(t_sim, r, t), 0);
	ck_assert_int_eq(ps_p_candebug(t_sim, t, t), 0);
	tc = t_fork(t_sim, t);
	ck_assert_uint_eq(t_flags(t_sim, tc) & PS_P_SUGID, PS_P_SUGID);
	ck_assert_int_eq(ps_p_candebug(t_sim, a, tc), PS_EPERM);
	/* exec of a non-set-id image with uid == ruid clears it. */
	ck_assert_int_eq(ps_exec(t_sim, t, "prog"), 0);
	ck_assert_uint_eq(t_flags(t_sim, t) & PS_P_SUGID, 0);
	ck_assert_int_eq(ps_p_candebug(t_sim, a, t), 0);
}
END_TEST

/* spec-sys_process.md 505: init may not be debugged while securelevel > 0,
 * not even by root; at securelevel 0 or -1 root may. */
START_TEST(candebug_init_securelevel)
{
	int32_t r = t_session(t_sim);

	ck_assert_int_eq(ps_p_candebug(t_sim, r, 1), 0);
	ck_assert_int_eq(ps_set_securelevel(t_sim, 1), 0);
	ck_assert_int_eq(ps_p_candebug(t_sim, r, 1), PS_EPERM);
	ck_assert_int_eq(ps_pget(t_sim, r, 1, PS_PGET_CANDEBUG), PS_EPERM);
	ck_assert_int_eq(ps__ptrace_attach(t_sim, r, 1), PS_EPERM);
	/* Only init: other root processes are still fine. */
	int32_t r2 = t_session(t_sim);
	ck_assert_int_eq(ps_p_candebug(t_sim, r, r2), 0);
	ck_assert_int_eq(ps_set_securelevel(t_sim, 3), 0);
	ck_assert_int_eq(ps_p_candebug(t_sim, r, 1), PS_EPERM);
	ck_assert_int_eq(ps_set_securelevel(t_sim, 0), 0);
	ck_assert_int_eq(ps_p_candebug(t_sim, r, 1), 0);
	/* init debugging itself is "oneself", checked first. */
	ck_assert_int_eq(ps_set_securelevel(t_sim, 2), 0);
	ck_assert_int_eq(ps_p_candebug(t_sim, 1, 1), 0);
}
END_TEST

/* The configured securelevel is honoured from the start. */
START_TEST(candebug_init_securelevel_config)
{
	struct ps_config cfg = t_config();
	int32_t r;

	cfg.securelevel = 1;
	t_replace_sim(&cfg);
	r = t_session(t_sim);
	ck_assert_int_eq(ps_p_candebug(t_sim, r, 1), PS_EPERM);
}
END_TEST

/* spec-sys_process.md 502: with unprivileged debugging disabled, a
 * non-root caller gets EPERM, before the "oneself" check; root is not
 * affected. */
START_TEST(candebug_unprivileged_disabled)
{
	struct ps_config cfg = t_config();
	int32_t a, a2, r;

	cfg.unprivileged_proc_debug = 0;
	t_replace_sim(&cfg);
	a = t_session(t_sim);
	a2 = t_fork(t_sim, a);
	r = t_session(t_sim);
	set_uid(a, 1000);
	set_uid(a2, 1000);
	ck_assert_int_eq(ps_p_candebug(t_sim, a, a2), PS_EPERM);
	ck_assert_int_eq(ps_pget(t_sim, a, a2, PS_PGET_CANDEBUG), PS_EPERM);
	ck_assert_int_eq(ps_p_candebug(t_sim, a, a), PS_EPERM);
	ck_assert_int_eq(ps_p_candebug(t_sim, r, a), 0);
	ck_assert_int_eq(ps_p_candebug(t_sim, r, r), 0);
}
END_TEST

/* spec-sys_process.md 503: visibility comes before the uid check, so an
 * invisible target gives ESRCH, not EPERM. */
START_TEST(candebug_visibility_first)
{
	struct ps_config cfg = t_config();
	int32_t a, b;

	cfg.see_other_uids = 0;
	t_replace_sim(&cfg);
	a = t_session(t_sim);
	b = t_session(t_sim);
	set_uid(a, 1000);
	set_uid(b, 2000);
	ck_assert_int_eq(ps_p_candebug(t_sim, a, b), PS_ESRCH);
	ck_assert_int_eq(ps_pget(t_sim, a, b, PS_PGET_CANDEBUG), PS_ESRCH);
}
END_TEST

/* ============================ p_cansignal ============================ */

/* FreeBSD cr_cansignal: the real or effective uid of the sender must
 * match the real or saved uid of the target, unless privileged. */
START_TEST(cansignal_uids)
{
	int32_t a = t_session(t_sim), a2 = t_session(t_sim), b = t_session(t_sim);
	int32_t r = t_session(t_sim);

	set_uid(a, 1000);
	set_cred3(a2, 3000, 1000, 3000); /* same real uid as a */
	set_uid(b, 2000);
	ck_assert_int_eq(ps_p_cansignal(t_sim, a, a2, PS_SIGTERM), 0);
	ck_assert_int_eq(ps_p_cansignal(t_sim, a, b, PS_SIGTERM), PS_EPERM);
	ck_assert_int_eq(ps_p_cansignal(t_sim, b, a, PS_SIGHUP), PS_EPERM);
	ck_assert_int_eq(ps_p_cansignal(t_sim, a, r, PS_SIGTERM), PS_EPERM);
	ck_assert_int_eq(ps_p_cansignal(t_sim, r, a, PS_SIGKILL), 0);
	ck_assert_int_eq(ps_p_cansignal(t_sim, r, b, PS_SIGTERM), 0);
	ck_assert_int_eq(ps_p_cansignal(t_sim, a, a, PS_SIGTERM), 0);
	/* Sender's effective uid against the target's saved uid. */
	set_cred3(b, 2000, 2000, 1000);
	ck_assert_int_eq(ps_p_cansignal(t_sim, a, b, PS_SIGTERM), 0);
	/* Sender's real uid against the target's real uid, effective differs. */
	set_cred3(b, 2000, 2000, 2000);
	set_cred3(a, 2000, 1000, 1000);
	ck_assert_int_eq(ps_p_cansignal(t_sim, a, b, PS_SIGTERM), 0);
	/* Each of the four matches alone is enough: sender (euid 10, ruid
	 * 20, svuid 40) against target (ruid, svuid); the target's effective
	 * uid and the sender's saved uid play no part. */
	{
		static const struct {
			int32_t t_uid, t_ruid, t_svuid;
			int want;
		} cases[] = {
			{50, 20, 30, 0},        /* sender ruid == target ruid */
			{50, 10, 30, 0},        /* sender euid == target ruid */
			{50, 40, 20, 0},        /* sender ruid == target svuid */
			{50, 40, 10, 0},        /* sender euid == target svuid */
			{10, 40, 30, PS_EPERM}, /* only the target's euid matches */
			{50, 40, 30, PS_EPERM}, /* the sender's svuid 40 == target ruid */
		};
		int32_t s1 = t_session(t_sim), t1 = t_session(t_sim);

		set_cred3(s1, 10, 20, 40);
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			set_cred3(t1, cases[i].t_uid, cases[i].t_ruid, cases[i].t_svuid);
			ck_assert_msg(ps_p_cansignal(t_sim, s1, t1, PS_SIGTERM) == cases[i].want,
			              "case %zu", i);
		}
	}
	/* sig 0 is checked the same way. */
	set_uid(a, 1000);
	ck_assert_int_eq(ps_p_cansignal(t_sim, a, b, 0), PS_EPERM);
	ck_assert_int_eq(ps_p_cansignal(t_sim, a, a2, 0), 0);
}
END_TEST

/* FreeBSD p_cansignal: SIGCONT may be sent to any process of the same
 * session whatever the uids; only SIGCONT, only within the session. */
START_TEST(cansignal_sigcont_session)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);
	int32_t other = t_session(t_sim);

	set_uid(sh, 1000);
	set_uid(c, 2000);
	set_uid(other, 2000);
	ck_assert_int_eq(ps_p_cansignal(t_sim, sh, c, PS_SIGCONT), 0);
	ck_assert_int_eq(ps_p_cansignal(t_sim, c, sh, PS_SIGCONT), 0);
	ck_assert_int_eq(ps_p_cansignal(t_sim, sh, c, PS_SIGTERM), PS_EPERM);
	ck_assert_int_eq(ps_p_cansignal(t_sim, sh, c, PS_SIGSTOP), PS_EPERM);
	ck_assert_int_eq(ps_p_cansignal(t_sim, sh, other, PS_SIGCONT), PS_EPERM);
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGCONT), 0);
	ck_assert_int_eq(ps_kill(t_sim, sh, other, PS_SIGCONT), PS_EPERM);
}
END_TEST

/* ps_p_cansignal: signal numbers outside 0..NSIG-1 are EINVAL. */
START_TEST(cansignal_bad_signal)
{
	int32_t sh = t_session(t_sim);

	ck_assert_int_eq(ps_p_cansignal(t_sim, sh, sh, -1), PS_EINVAL);
	ck_assert_int_eq(ps_p_cansignal(t_sim, sh, sh, PS_NSIG), PS_EINVAL);
	ck_assert_int_eq(ps_p_cansignal(t_sim, sh, 4242, PS_SIGHUP), PS_ESRCH);
}
END_TEST

/* =========================== setuid / exec =========================== */

/* FreeBSD setuid: a non-root process may set its uid to its real or saved
 * uid; anything else is EPERM.  A no-op change leaves P_SUGID clear. */
START_TEST(setuid_unprivileged)
{
	int32_t a = t_session(t_sim);
	struct ps_cred c;

	set_uid(a, 1000);
	ck_assert_int_eq(ps_setuid(t_sim, a, 2000), PS_EPERM);
	ck_assert_int_eq(ps_setuid(t_sim, a, 0), PS_EPERM);
	ck_assert_int_eq(cred_of(a).uid, 1000);
	ck_assert_uint_eq(t_flags(t_sim, a) & PS_P_SUGID, 0);
	ck_assert_int_eq(ps_setuid(t_sim, a, 1000), 0);
	ck_assert_uint_eq(t_flags(t_sim, a) & PS_P_SUGID, 0);

	/* euid 2000, ruid 1000, svuid 3000: to the saved uid, only the
	 * effective uid changes (uid != euid and no privilege). */
	set_cred3(a, 2000, 1000, 3000);
	ck_assert_int_eq(ps_setuid(t_sim, a, 4000), PS_EPERM);
	ck_assert_int_eq(ps_setuid(t_sim, a, 3000), 0);
	c = cred_of(a);
	ck_assert_int_eq(c.uid, 3000);
	ck_assert_int_eq(c.ruid, 1000);
	ck_assert_int_eq(c.svuid, 3000);
	ck_assert_uint_eq(t_flags(t_sim, a) & PS_P_SUGID, PS_P_SUGID);
	/* Back to the real uid: again only the effective uid. */
	ck_assert_int_eq(ps_setuid(t_sim, a, 1000), 0);
	c = cred_of(a);
	ck_assert_int_eq(c.uid, 1000);
	ck_assert_int_eq(c.ruid, 1000);
	ck_assert_int_eq(c.svuid, 3000);
	ck_assert_int_eq(ps_setuid(t_sim, a, -1), PS_EINVAL);
}
END_TEST

/* FreeBSD sys_setuid with POSIX_APPENDIX_B_4_2_2 (kern_prot.c defines
 * it): setuid(geteuid()) is allowed without privilege ("allow
 * setuid(geteuid())") and, since uid == euid counts as appropriate
 * privilege, it also sets the real and saved uids. */
START_TEST(setuid_to_euid_bsd_compat)
{
	int32_t a = t_session(t_sim);
	struct ps_cred c;

	set_cred3(a, 2000, 1000, 3000);
	ck_assert_int_eq(ps_setuid(t_sim, a, 2000), 0);
	c = cred_of(a);
	ck_assert_int_eq(c.uid, 2000);
	ck_assert_int_eq(c.ruid, 2000);
	ck_assert_int_eq(c.svuid, 2000);
	ck_assert_uint_eq(t_flags(t_sim, a) & PS_P_SUGID, PS_P_SUGID);
}
END_TEST

/* FreeBSD setuid: root sets all three uids, and the change marks P_SUGID;
 * afterwards the process has no privilege left. */
START_TEST(setuid_root)
{
	int32_t r = t_session(t_sim);
	int32_t r2 = t_session(t_sim);
	struct ps_cred c;

	ck_assert_int_eq(ps_setuid(t_sim, r, 0), 0); /* no change */
	ck_assert_uint_eq(t_flags(t_sim, r) & PS_P_SUGID, 0);
	ck_assert_int_eq(ps_setuid(t_sim, r, 1000), 0);
	c = cred_of(r);
	ck_assert_int_eq(c.uid, 1000);
	ck_assert_int_eq(c.ruid, 1000);
	ck_assert_int_eq(c.svuid, 1000);
	ck_assert_uint_eq(t_flags(t_sim, r) & PS_P_SUGID, PS_P_SUGID);
	ck_assert_int_eq(ps_setuid(t_sim, r, 0), PS_EPERM);
	/* Root with a non-root real uid: still privileged by euid. */
	set_cred3(r2, 0, 1000, 1000);
	ck_assert_int_eq(ps_setuid(t_sim, r2, 2000), 0);
	c = cred_of(r2);
	ck_assert_int_eq(c.uid, 2000);
	ck_assert_int_eq(c.ruid, 2000);
	ck_assert_int_eq(c.svuid, 2000);
	ck_assert_uint_eq(t_flags(t_sim, r2) & PS_P_SUGID, PS_P_SUGID);
	ck_assert_uint_ge(t_count(PS_EV_SETUID, r, 0), 2);
}
END_TEST

/* FreeBSD do_execve: a non-set-id exec sets the saved ids from the
 * effective ones and clears P_SUGID only when uid == ruid and
 * gid == rgid. */
START_TEST(exec_clears_sugid)
{
	int32_t a = t_session(t_sim), b = t_session(t_sim);
	struct ps_cred c;

	ck_assert_int_eq(ps_setuid(t_sim, a, 1000), 0);
	ck_assert_uint_eq(t_flags(t_sim, a) & PS_P_SUGID, PS_P_SUGID);
	ck_assert_int_eq(ps_exec(t_sim, a, "sh"), 0);
	ck_assert_uint_eq(t_flags(t_sim, a) & PS_P_SUGID, 0);
	ck_assert_uint_eq(t_flags(t_sim, a) & PS_P_EXEC, PS_P_EXEC);

	/* euid 3000 != ruid 2000: P_SUGID survives exec. */
	set_cred3(b, 1000, 2000, 3000);
	ck_assert_int_eq(ps_setuid(t_sim, b, 3000), 0);
	ck_assert_uint_eq(t_flags(t_sim, b) & PS_P_SUGID, PS_P_SUGID);
	ck_assert_int_eq(ps_exec(t_sim, b, "prog"), 0);
	ck_assert_uint_eq(t_flags(t_sim, b) & PS_P_SUGID, PS_P_SUGID);
	c = cred_of(b);
	ck_assert_int_eq(c.uid, 3000);
	ck_assert_int_eq(c.ruid, 2000);
	ck_assert_int_eq(c.svuid, 3000);
}
END_TEST

/* ================================ kill ================================ */

static struct ps_sigaction catcher = {0x1000, 0, 0};

/* kill(pid > 0): the one process; no such pid -> ESRCH; sig 0 checks
 * permission only (no signal is posted). */
START_TEST(kill_pid)
{
	int32_t sh = t_session(t_sim);
	int32_t c = t_fork(t_sim, sh);
	int32_t u = t_session(t_sim);

	set_uid(u, 1000);
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, sh, c, 0), 0);
	ck_assert_int_eq(ps_kill(t_sim, u, c, 0), PS_EPERM);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, 0), 0);
	ck_assert_int_eq(ps_kill(t_sim, u, c, PS_SIGTERM), PS_EPERM);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, 0), 0);
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_NORMAL);
	ck_assert_int_eq(ps_kill(t_sim, sh, 4242, PS_SIGTERM), PS_ESRCH);
	ck_assert_int_eq(ps_kill(t_sim, sh, 4242, 0), PS_ESRCH);
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGTERM), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, c, PS_SIGTERM), 1);
	ck_assert_int_eq(t_state(t_sim, c), PS_PRS_ZOMBIE);
	/* A zombie is found by kill (pfind, then zpfind): 0, signal discarded. */
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_SIGTERM), 0);
	ck_assert_int_eq(ps_kill(t_sim, sh, c, 0), 0);
	ck_assert_uint_ge(t_count(PS_EV_SIGNAL_DISCARD, c, PS_SIGTERM), 1);
	ck_assert_int_eq(ps_kill(t_sim, u, c, 0), PS_EPERM);
	/* Bad signal numbers. */
	ck_assert_int_eq(ps_kill(t_sim, sh, c, PS_NSIG), PS_EINVAL);
	ck_assert_int_eq(ps_kill(t_sim, sh, c, -1), PS_EINVAL);
}
END_TEST

/* kill(0): every member of the caller's group, the caller included. */
START_TEST(kill_own_group)
{
	int32_t sh = t_session(t_sim);
	int32_t a = t_fork(t_sim, sh), b = t_fork(t_sim, sh);
	int32_t other = t_fork(t_sim, sh);

	ck_assert_int_eq(ps_setpgid(t_sim, sh, other, other), 0);
	ck_assert_int_eq(ps_sigaction(t_sim, sh, PS_SIGUSR1, &catcher, NULL), 0);
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, sh, 0, PS_SIGUSR1), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, sh, PS_SIGUSR1), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, a, PS_SIGUSR1), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, b, PS_SIGUSR1), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, other, 0), 0);
	ck_assert_int_eq(t_state(t_sim, a), PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_state(t_sim, b), PS_PRS_ZOMBIE);
	ck_assert_int_eq(t_state(t_sim, sh), PS_PRS_NORMAL);
	ck_assert_int_eq(t_state(t_sim, other), PS_PRS_NORMAL);
}
END_TEST

/* kill(-pgid): the group's members; no such group -> ESRCH; members none
 * of which may be signalled -> EPERM. */
START_TEST(kill_pgid)
{
	int32_t sh = t_session(t_sim);
	int32_t j = t_fork(t_sim, sh), j2;
	int32_t u = t_session(t_sim);

	ck_assert_int_eq(ps_setpgid(t_sim, sh, j, j), 0);
	j2 = t_fork(t_sim, j);
	set_uid(u, 1000);
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, u, -j, PS_SIGTERM), PS_EPERM);
	ck_assert_int_eq(ps_kill(t_sim, u, -j, 0), PS_EPERM);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, 0), 0);
	ck_assert_int_eq(ps_kill(t_sim, sh, -4242, PS_SIGTERM), PS_ESRCH);
	ck_assert_int_eq(ps_kill(t_sim, sh, -4242, 0), PS_ESRCH);
	ck_assert_int_eq(ps_kill(t_sim, sh, -j, 0), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, 0), 0);
	ck_assert_int_eq(ps_kill(t_sim, sh, -j, PS_SIGTERM), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, j, PS_SIGTERM), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, j2, PS_SIGTERM), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, sh, PS_SIGTERM), 0);
	ck_assert_int_eq(t_state(t_sim, j), PS_PRS_ZOMBIE);
	/* j2 was j's child: init inherited and reaped it. */
	ck_assert_int_eq(t_state(t_sim, j2), -1);
	/* Out-of-range group numbers. */
	ck_assert_int_eq(ps_kill(t_sim, sh, -PS_PID_MAX_DEFAULT - 1, 0), PS_ESRCH);
	ck_assert_int_eq(ps_kill(t_sim, sh, INT32_MIN, 0), PS_ESRCH);
}
END_TEST

/* kill(-1): every process the caller may signal except init (pid <= 1),
 * system processes and the caller itself; ESRCH when there is nothing to
 * signal, EPERM when there are candidates but none may be signalled. */
START_TEST(kill_all)
{
	int32_t kp = -1, sh, c, r;

	ck_assert_int_eq(ps_kproc_new(t_sim, "kworker", &kp), 0);
	sh = t_session(t_sim);
	c = t_fork(t_sim, sh);
	r = t_session(t_sim);
	ck_assert_int_eq(ps_sigaction(t_sim, sh, PS_SIGUSR1, &catcher, NULL), 0);
	ck_assert_int_eq(ps_sigaction(t_sim, c, PS_SIGUSR1, &catcher, NULL), 0);
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, r, -1, PS_SIGUSR1), 0);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, sh, PS_SIGUSR1), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, c, PS_SIGUSR1), 1);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, PS_SIGUSR1), 2);
	ck_assert_int_eq(t_state(t_sim, r), PS_PRS_NORMAL);
	ck_assert_int_eq(t_state(t_sim, kp), PS_PRS_NORMAL);
}
END_TEST

START_TEST(kill_all_esrch_eperm)
{
	int32_t u = t_session(t_sim), v;

	/* Only swapper, init and the caller: nothing to signal. */
	ck_assert_int_eq(ps_kill(t_sim, u, -1, PS_SIGTERM), PS_ESRCH);
	ck_assert_int_eq(ps_kill(t_sim, u, -1, 0), PS_ESRCH);
	/* A root process the non-root caller may not signal. */
	v = t_session(t_sim);
	set_uid(u, 1000);
	t_clear_events();
	ck_assert_int_eq(ps_kill(t_sim, u, -1, PS_SIGTERM), PS_EPERM);
	ck_assert_int_eq(ps_kill(t_sim, u, -1, 0), PS_EPERM);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, 0, 0), 0);
	ck_assert_int_eq(t_state(t_sim, v), PS_PRS_NORMAL);
	/* One it may signal among them: success, only that one is hit. */
	int32_t w = t_session(t_sim);
	set_uid(w, 1000);
	ck_assert_int_eq(ps_kill(t_sim, u, -1, PS_SIGTERM), 0);
	/* w was init's child: it died and init reaped it. */
	ck_assert_int_eq(t_state(t_sim, w), -1);
	ck_assert_int_eq(t_state(t_sim, v), PS_PRS_NORMAL);
	ck_assert_uint_eq(t_count(PS_EV_SIGNAL_SEND, v, 0), 0);
}
END_TEST

/* kill from an invisible caller: with see_other_uids off, p_cansignal
 * fails with ESRCH (the p_cansee error) for pid > 0. */
START_TEST(kill_invisible)
{
	struct ps_config cfg = t_config();
	int32_t a, b;

	cfg.see_other_uids = 0;
	t_replace_sim(&cfg);
	a = t_session(t_sim);
	b = t_session(t_sim);
	set_uid(a, 1000);
	set_uid(b, 2000);
	ck_assert_int_eq(ps_kill(t_sim, a, b, PS_SIGTERM), PS_ESRCH);
	ck_assert_int_eq(ps_kill(t_sim, a, -1, PS_SIGTERM), PS_ESRCH);
	ck_assert_int_eq(ps_p_cansignal(t_sim, a, b, PS_SIGTERM), PS_ESRCH);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("lookup");
	TCase *tc = tcase_create("lookup");
	TCase *td = tcase_create("dragonfly");

	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, pfind_live_not_zombie);
	tcase_add_test(tc, pgfind_groups);
	tcase_add_test(tc, pgfind_returns_locked);
	tcase_add_test(tc, pfind_tid);
	tcase_add_test(tc, pget_no_such_pid);
	tcase_add_test(tc, pget_zombie);
	tcase_add_test(tc, pget_notwexit_notinexec_flags);
	tcase_add_test(tc, pget_tid);
	tcase_add_test(tc, pget_tid_boundary_small_pid_max);
	tcase_add_test(tc, pget_cansee_other_uids);
	tcase_add_test(tc, cansee_default_sees_all);
	tcase_add_test(tc, pget_candebug_errors);
	tcase_add_test(tc, pget_iscurrent);
	tcase_add_test(tc, pget_hold_released);
	tcase_add_test(tc, pget_lock_states);
	tcase_add_test(tc, pget_bad_flags);
	tcase_add_test(tc, inferior_basic);
	tcase_add_test(tc, inferior_traced_freebsd);
	tcase_add_test(tc, inferior_traced_real_parent_reused_pid);
	tcase_add_test(tc, inferior_traced_real_parent_stale_2008);
	tcase_add_test(tc, traced_real_parent_exited_ppid);
	tcase_add_test(tc, candebug_uids);
	tcase_add_test(tc, candebug_svuid_ruid_gid);
	tcase_add_test(tc, candebug_sugid);
	tcase_add_test(tc, candebug_init_securelevel);
	tcase_add_test(tc, candebug_init_securelevel_config);
	tcase_add_test(tc, candebug_unprivileged_disabled);
	tcase_add_test(tc, candebug_visibility_first);
	tcase_add_test(tc, cansignal_uids);
	tcase_add_test(tc, cansignal_sigcont_session);
	tcase_add_test(tc, cansignal_bad_signal);
	tcase_add_test(tc, setuid_unprivileged);
	tcase_add_test(tc, setuid_to_euid_bsd_compat);
	tcase_add_test(tc, setuid_root);
	tcase_add_test(tc, exec_clears_sugid);
	tcase_add_test(tc, kill_pid);
	tcase_add_test(tc, kill_own_group);
	tcase_add_test(tc, kill_pgid);
	tcase_add_test(tc, kill_all);
	tcase_add_test(tc, kill_all_esrch_eperm);
	tcase_add_test(tc, kill_invisible);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(td, t_setup_dragonfly, t_teardown);
	tcase_add_test(td, inferior_traced_dragonfly);
	suite_add_tcase(s, td);
	return t_run(s);
}
