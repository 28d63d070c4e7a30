/*
 * Modelled locks and the witness (issue item 10; spec-kern_proc.md §5).
 *
 * Goal: the lock primitives enforce their discipline (a misuse aborts, as
 * the seeds' assertions panic), the witness knows the seed order, learns
 * new orders, and reports a reversal as an event, in the statistics and,
 * in strict mode, as the operation's error; kernel paths leave no lock
 * held (I21).  Method: tests reach the kernel inside a simulator through
 * internal_api.h and take its real locks directly.
 */
#include <signal.h>
#include <string.h>

#include "kern/internal_api.h"
#include "kern/kern.h"
#include "testlib.h"

/* §5.3: proctree before allproc before PROC_LOCK; pgrp before proc
 * before session; tty before pgrp. */
START_TEST(seed_order_known)
{
	struct kernel *k = ps__kernel(t_sim);

	ck_assert(witness_knows_order(&k->witness, LC_PROCTREE, LC_ALLPROC));
	ck_assert(witness_knows_order(&k->witness, LC_ALLPROC, LC_PROC));
	ck_assert(witness_knows_order(&k->witness, LC_PROCTREE, LC_PROC)); /* closure */
	ck_assert(witness_knows_order(&k->witness, LC_PGRP, LC_PROC));
	ck_assert(witness_knows_order(&k->witness, LC_PROC, LC_SESS));
	ck_assert(witness_knows_order(&k->witness, LC_TTY, LC_PGRP));
	ck_assert(!witness_knows_order(&k->witness, LC_PROC, LC_PGRP));
	ck_assert(!witness_knows_order(&k->witness, LC_SESS, LC_PROC));
}
END_TEST

/* A reversal: PROC_LOCK held, then PGRP_LOCK (§5.3 rule 1). */
START_TEST(reversal_reported)
{
	struct kernel *k = ps__kernel(t_sim);
	struct proc *init = pfind_any_nolock(k, 1);
	uint64_t before = ps_sim_lock_reversals(t_sim);
	long idx;

	t_clear_events();
	mtx_lock(k, &init->p_mtx);
	mtx_lock(k, &init->p_pgrp->pg_mtx);
	mtx_unlock(k, &init->p_pgrp->pg_mtx);
	mtx_unlock(k, &init->p_mtx);
	ck_assert_uint_eq(ps_sim_lock_reversals(t_sim), before + 1);
	idx = t_find(0, PS_EV_LOCK_REVERSAL, 0, 0);
	ck_assert_int_ge(idx, 0);
	ck_assert_str_eq(k->witness.last, "process lock -> process group");
	/* The reversal does not get learned: the right order still holds. */
	ck_assert(witness_knows_order(&k->witness, LC_PGRP, LC_PROC));
	ck_assert(!witness_knows_order(&k->witness, LC_PROC, LC_PGRP));
	/* Forget it so that teardown's "no reversals" check passes. */
	k->witness.reversals = 0;
}
END_TEST

/* An order learned from use is enforced afterwards. */
START_TEST(learned_order_enforced)
{
	struct kernel *k = ps__kernel(t_sim);
	struct tty *tp;
	int32_t dev;

	ck_assert_int_eq(ps_tty_new(t_sim, "tty0", &dev), 0);
	tp = tty_find_dev(k, dev);
	/* Neither order between ppeers and a tty is in the seed table. */
	ck_assert(!witness_knows_order(&k->witness, LC_PPEERS, LC_TTY));
	ck_assert(!witness_knows_order(&k->witness, LC_TTY, LC_PPEERS));
	mtx_lock(k, &k->ppeers_lock);
	mtx_lock(k, &tp->t_mtx);
	mtx_unlock(k, &tp->t_mtx);
	mtx_unlock(k, &k->ppeers_lock);
	ck_assert(witness_knows_order(&k->witness, LC_PPEERS, LC_TTY));
	/* Learned transitively: ppeers before tty before pgrp. */
	ck_assert(witness_knows_order(&k->witness, LC_PPEERS, LC_PGRP));
	ck_assert_uint_eq(ps_sim_lock_reversals(t_sim), 0);
	mtx_lock(k, &tp->t_mtx);
	mtx_lock(k, &k->ppeers_lock);
	mtx_unlock(k, &k->ppeers_lock);
	mtx_unlock(k, &tp->t_mtx);
	ck_assert_uint_eq(ps_sim_lock_reversals(t_sim), 1);
	k->witness.reversals = 0;
}
END_TEST

/* DUPOK classes: two proc locks (child then parent) or two pgrp locks
 * nest without a report; two session locks do not. */
START_TEST(dupok_classes)
{
	struct kernel *k = ps__kernel(t_sim);
	int32_t sh = t_session(t_sim), c = t_fork(t_sim, sh);
	struct proc *ps = pfind_any_nolock(k, sh), *pc = pfind_any_nolock(k, c);
	struct proc *init = pfind_any_nolock(k, 1);

	mtx_lock(k, &pc->p_mtx);
	mtx_lock(k, &ps->p_mtx);
	mtx_unlock(k, &ps->p_mtx);
	mtx_unlock(k, &pc->p_mtx);
	mtx_lock(k, &ps->p_pgrp->pg_mtx);
	mtx_lock(k, &init->p_pgrp->pg_mtx);
	mtx_unlock(k, &init->p_pgrp->pg_mtx);
	mtx_unlock(k, &ps->p_pgrp->pg_mtx);
	ck_assert_uint_eq(ps_sim_lock_reversals(t_sim), 0);
	mtx_lock(k, &ps->p_pgrp->pg_session->s_mtx);
	mtx_lock(k, &init->p_pgrp->pg_session->s_mtx);
	mtx_unlock(k, &init->p_pgrp->pg_session->s_mtx);
	mtx_unlock(k, &ps->p_pgrp->pg_session->s_mtx);
	ck_assert_uint_eq(ps_sim_lock_reversals(t_sim), 1);
	k->witness.reversals = 0;
}
END_TEST

/* In strict mode a reversal during an operation is that operation's
 * error.  The kernel paths have none, so one is planted: a lock taken in
 * the event callback, which runs inside the operation's locks. */
static void
reverse_in_callback(const struct ps_event *ev, void *arg)
{
	struct kernel *k = arg;
	struct proc *init;

	if (ev->type != PS_EV_FORK)
		return;
	init = pfind_any_nolock(k, 1);
	/* The fork event is emitted with no lock held; nest wrongly here. */
	mtx_lock(k, &init->p_mtx);
	mtx_lock(k, &init->p_pgrp->pg_mtx);
	mtx_unlock(k, &init->p_pgrp->pg_mtx);
	mtx_unlock(k, &init->p_mtx);
}

START_TEST(strict_mode_fails_operation)
{
	struct kernel *k = ps__kernel(t_sim);
	int32_t child;

	ps_sim_set_event_cb(t_sim, reverse_in_callback, k);
	ck_assert_int_eq(ps_fork(t_sim, 1, &child), PS_ELOCKORDER);
	ps_sim_set_event_cb(t_sim, NULL, NULL);
	/* The fork itself happened; the error reports the reversal. */
	ck_assert_int_eq(t_state(t_sim, child), PS_PRS_NORMAL);
	ck_assert_int_eq(ps_fork(t_sim, 1, &child), 0);
	k->witness.reversals = 0;
}
END_TEST

/* I21: a lock held between operations is an invariant failure. */
START_TEST(held_lock_is_invariant_failure)
{
	struct kernel *k = ps__kernel(t_sim);
	struct ps_check_report rep;

	sx_slock(k, &k->proctree_lock);
	ck_assert_int_eq(ps_sim_check(t_sim, &rep), PS_EINVARIANT);
	ck_assert_str_eq(rep.invariant, "I21");
	sx_sunlock(k, &k->proctree_lock);
	ck_assert_int_eq(ps_sim_check(t_sim, &rep), 0);
}
END_TEST

/* Operations take locks and release them all. */
START_TEST(operations_release_locks)
{
	struct ps_sim_stats st0, st1;
	struct kernel *k = ps__kernel(t_sim);
	int32_t sh, c;

	ps_sim_stats(t_sim, &st0);
	sh = t_session(t_sim);
	c = t_fork(t_sim, sh);
	ck_assert_int_eq(ps_setpgid(t_sim, sh, c, c), 0);
	ck_assert_int_eq(ps_exit(t_sim, sh, 0), 0);
	ps_sim_stats(t_sim, &st1);
	ck_assert_uint_gt(st1.lock_acquisitions, st0.lock_acquisitions + 10);
	ck_assert_uint_eq(k->nheld, 0);
	ck_assert(lock_owned(&k->proctree_lock) == false);
}
END_TEST

/* Misuse aborts, like the kernel's panics (each runs in its own fork). */
START_TEST(unlock_unowned_aborts)
{
	struct kernel *k = ps__kernel(t_sim);

	mtx_unlock(k, &pfind_any_nolock(k, 1)->p_mtx);
}
END_TEST

START_TEST(recursion_aborts)
{
	struct kernel *k = ps__kernel(t_sim);
	struct proc *p = pfind_any_nolock(k, 1);

	mtx_lock(k, &p->p_mtx);
	mtx_lock(k, &p->p_mtx);
}
END_TEST

START_TEST(assert_owned_aborts)
{
	struct kernel *k = ps__kernel(t_sim);

	PROC_LOCK_ASSERT(pfind_any_nolock(k, 1), MA_OWNED);
}
END_TEST

START_TEST(assert_notowned_aborts)
{
	struct kernel *k = ps__kernel(t_sim);
	struct proc *p = pfind_any_nolock(k, 1);

	PROC_LOCK(p);
	PROC_LOCK_ASSERT(p, MA_NOTOWNED);
}
END_TEST

START_TEST(sx_xlock_while_shared_aborts)
{
	struct kernel *k = ps__kernel(t_sim);

	sx_slock(k, &k->proctree_lock);
	sx_xlock(k, &k->proctree_lock);
}
END_TEST

/* The lock assertions accept what they should. */
START_TEST(assertions_pass)
{
	struct kernel *k = ps__kernel(t_sim);

	sx_assert(&k->proctree_lock, SA_UNLOCKED);
	sx_slock(k, &k->proctree_lock);
	sx_assert(&k->proctree_lock, SA_SLOCKED);
	sx_assert(&k->proctree_lock, SA_LOCKED);
	sx_sunlock(k, &k->proctree_lock);
	sx_xlock(k, &k->proctree_lock);
	sx_assert(&k->proctree_lock, SA_XLOCKED);
	sx_assert(&k->proctree_lock, SA_LOCKED);
	sx_xunlock(k, &k->proctree_lock);
	sx_assert(&k->proctree_lock, SA_UNLOCKED);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("lock");
	TCase *tc = tcase_create("witness");
	TCase *abort_tc = tcase_create("misuse");

	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, seed_order_known);
	tcase_add_test(tc, reversal_reported);
	tcase_add_test(tc, learned_order_enforced);
	tcase_add_test(tc, dupok_classes);
	tcase_add_test(tc, strict_mode_fails_operation);
	tcase_add_test(tc, held_lock_is_invariant_failure);
	tcase_add_test(tc, operations_release_locks);
	tcase_add_test(tc, assertions_pass);
	suite_add_tcase(s, tc);
	/* No teardown check here: the process aborts mid-test. */
	tcase_add_unchecked_fixture(abort_tc, t_setup, NULL);
	tcase_add_test_raise_signal(abort_tc, unlock_unowned_aborts, SIGABRT);
	tcase_add_test_raise_signal(abort_tc, recursion_aborts, SIGABRT);
	tcase_add_test_raise_signal(abort_tc, assert_owned_aborts, SIGABRT);
	tcase_add_test_raise_signal(abort_tc, assert_notowned_aborts, SIGABRT);
	tcase_add_test_raise_signal(abort_tc, sx_xlock_while_shared_aborts, SIGABRT);
	suite_add_tcase(s, abort_tc);
	return t_run(s);
}
