/*
 * Smoke test: a simulator starts with swapper (0) and init (1) in their
 * own sessions, and frees cleanly.  spec-kern_proc.md §1.1, §4.9 (init in
 * pg 1 / session 1, its parent pid 0 in session 0).
 */
#include "testlib.h"

START_TEST(boot_state)
{
	struct ps_proc_info pi;

	ck_assert_int_eq(ps_proc_info(t_sim, 1, &pi), 0);
	ck_assert_int_eq(pi.ppid, 0);
	ck_assert_int_eq(pi.pgid, 1);
	ck_assert_int_eq(pi.sid, 1);
	ck_assert_int_eq(pi.session_leader, 1);
	ck_assert_str_eq(pi.comm, "init");
	ck_assert_int_eq(ps_proc_info(t_sim, 0, &pi), 0);
	ck_assert_uint_eq(pi.flags & PS_P_SYSTEM, PS_P_SYSTEM);
	ck_assert_int_eq(pi.sid, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("smoke");
	TCase *tc = tcase_create("boot");

	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_add_test(tc, boot_state);
	suite_add_tcase(s, tc);
	return t_run(s);
}
