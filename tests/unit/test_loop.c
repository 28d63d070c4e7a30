/*
 * The libuv driver (procsim/loop.h): fast mode runs to idle or to a bound
 * in bounded batches, a caller's timer can pause it (a breakpoint) and
 * resume it, SIGINT interrupts it, paced mode never runs ahead of real
 * time, and options are checked.  No assertion depends on the host being
 * fast: paced mode is only checked for not running ahead.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <procsim/loop.h>
#include <procsim/procsim.h>

#include "testlib.h"

static uv_loop_t uvl;
static ps_sim_t *sim;
static int32_t sh;

static void
setup(void)
{
	struct ps_config c = t_config();
	struct ps_asm_error err;

	ck_assert_int_eq(uv_loop_init(&uvl), 0);
	ck_assert_int_eq(ps_sim_new(&c, &sim), 0);
	/* A parent that forks and reaps 50 children, each working 10 us. */
	ck_assert_int_eq(ps_program_add(sim, "p",
	                                 "start:\n  li r9, 50\n"
	                                 "again:\n  sys fork\n  bnez r0, parent\n"
	                                 "  work 10000\n  sys exit 0\n"
	                                 "parent:\n  sys wait4 -1, 0, 0, 0\n"
	                                 "  sub r9, r9, 1\n  bnez r9, again\n  sys exit 7\n",
	                                 &err),
	                 0);
	ck_assert_int_eq(ps_fork(sim, 1, &sh), 0);
	int32_t pid;
	ck_assert_int_eq(ps_spawn(sim, sh, "p", NULL, NULL, &pid), 0);
}

static void
teardown(void)
{
	t_check(sim);
	ps_sim_free(sim);
	ck_assert_int_eq(uv_run(&uvl, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&uvl), 0);
}

static ps_loop_t *
new_loop(struct ps_loop_options *o)
{
	ps_loop_t *l = NULL;

	ck_assert_int_eq(ps_loop_new(sim, &uvl, o, &l), 0);
	ck_assert_int_eq(ps_loop_start(l), 0);
	return l;
}

static struct ps_loop_status
status(ps_loop_t *l)
{
	struct ps_loop_status st;

	ck_assert_int_eq(ps_loop_status(l, &st), 0);
	return st;
}

START_TEST(fast_runs_until_idle_in_batches)
{
	struct ps_loop_options o;
	ps_loop_t *l;
	struct ps_loop_status st;

	ps_loop_options_init(&o);
	o.batch = 16;
	l = new_loop(&o);
	ck_assert_int_eq(uv_run(&uvl, UV_RUN_DEFAULT), 0);
	st = status(l);
	ck_assert_int_eq(st.state, PS_LOOP_IDLE);
	ck_assert_uint_eq(st.next, PS_TIME_NEVER);
	ck_assert_uint_gt(st.batches, 1); /* 16 steps at most per iteration. */
	ck_assert_uint_le(st.steps, st.batches * 16);
	/* The program finished: the shell has its zombie with status 7. */
	int status_word;
	ck_assert_int_gt(ps_wait(sim, sh, -1, PS_WNOHANG, &status_word), 0);
	ck_assert_int_eq(status_word, 7 << 8);
	ps_loop_free(l);
}
END_TEST

START_TEST(fast_stops_at_until)
{
	struct ps_loop_options o;
	ps_loop_t *l;

	ps_loop_options_init(&o);
	o.until = 100000;
	l = new_loop(&o);
	ck_assert_int_eq(uv_run(&uvl, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(status(l).state, PS_LOOP_DONE);
	ck_assert_uint_eq(ps_sim_now(sim), 100000);
	/* Extend the bound and go on to the end. */
	ck_assert_int_eq(ps_loop_set_until(l, PS_TIME_NEVER), 0);
	ck_assert_int_eq(ps_loop_resume(l), 0);
	ck_assert_int_eq(uv_run(&uvl, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(status(l).state, PS_LOOP_IDLE);
	ck_assert_uint_gt(ps_sim_now(sim), 100000);
	ps_loop_free(l);
}
END_TEST

static ps_loop_t *bp_loop;
static uint64_t bp_at;

static void
breakpoint(ps_sim_t *s, uint64_t t, void *arg)
{
	(void)s;
	(void)arg;
	bp_at = t;
	ck_assert_int_eq(ps_loop_pause(bp_loop), 0);
}

START_TEST(a_timer_pauses_the_run)
{
	struct ps_loop_options o;

	ps_loop_options_init(&o);
	bp_loop = new_loop(&o);
	ck_assert_int_eq(ps_sim_at(sim, 250000, breakpoint, NULL, NULL), 0);
	ck_assert_int_eq(uv_run(&uvl, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(status(bp_loop).state, PS_LOOP_PAUSED);
	ck_assert_uint_eq(bp_at, 250000);
	ck_assert_uint_eq(ps_sim_now(sim), 250000);
	ck_assert_int_eq(ps_loop_resume(bp_loop), 0);
	ck_assert_int_eq(uv_run(&uvl, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(status(bp_loop).state, PS_LOOP_IDLE);
	ps_loop_free(bp_loop);
}
END_TEST

static void
raise_sigint(ps_sim_t *s, uint64_t t, void *arg)
{
	(void)s;
	(void)t;
	(void)arg;
	raise(SIGINT);
}

START_TEST(sigint_interrupts_promptly)
{
	struct ps_loop_options o;
	ps_loop_t *l;
	struct ps_loop_status st;

	ps_loop_options_init(&o);
	o.handle_sigint = 1;
	o.batch = 64;
	l = new_loop(&o);
	ck_assert_int_eq(ps_sim_at(sim, 50000, raise_sigint, NULL, NULL), 0);
	ck_assert_int_eq(uv_run(&uvl, UV_RUN_DEFAULT), 0);
	st = status(l);
	ck_assert_int_eq(st.state, PS_LOOP_INTERRUPTED);
	ck_assert_uint_eq(st.sigints, 1);
	/* Stopped soon after: the program (about 550 us of work) is far from done. */
	ck_assert_uint_lt(ps_sim_now(sim), 400000);
	ck_assert_uint_ne(ps_sim_next_time(sim), PS_TIME_NEVER);
	ps_loop_free(l);
}
END_TEST

static uint64_t
real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

START_TEST(paced_never_runs_ahead_of_real_time)
{
	struct ps_loop_options o;
	ps_loop_t *l;
	uint64_t t0, elapsed;

	/* 300 us of virtual time at ratio 0.01 (100 times slower than real
	 * time): at least about 30 ms of real time. */
	ps_loop_options_init(&o);
	o.mode = PS_LOOP_PACED;
	o.ratio = 0.01;
	o.until = 300000;
	l = new_loop(&o);
	t0 = real_ns();
	ck_assert_int_eq(uv_run(&uvl, UV_RUN_DEFAULT), 0);
	elapsed = real_ns() - t0;
	ck_assert_int_eq(status(l).state, PS_LOOP_DONE);
	ck_assert_uint_eq(ps_sim_now(sim), 300000);
	ck_assert_uint_ge(elapsed, 25000000);
	ps_loop_free(l);
}
END_TEST

/* A step function of the caller's: one instruction at a time, counted,
 * with a breakpoint on the 500th; then on to the end. */
static ps_loop_t *own_loop;
static uint64_t own_calls;

static int
own_step(void *arg)
{
	int r;

	(void)arg;
	r = ps_sim_step_insn(sim, PS_TIME_NEVER);
	if (r > 0 && ++own_calls == 500)
		ck_assert_int_eq(ps_loop_pause(own_loop), 0);
	return r;
}

START_TEST(the_callers_step_function)
{
	struct ps_loop_options o;
	struct ps_loop_status st;
	struct ps_sched_stats ss;

	ps_loop_options_init(&o);
	o.step = own_step;
	o.batch = 64;
	own_calls = 0;
	own_loop = new_loop(&o);
	ck_assert_int_eq(uv_run(&uvl, UV_RUN_DEFAULT), 0);
	st = status(own_loop);
	ck_assert_int_eq(st.state, PS_LOOP_PAUSED);
	ck_assert_uint_eq(st.steps, 500);
	ck_assert_uint_eq(own_calls, 500);
	ck_assert_int_eq(ps_loop_resume(own_loop), 0);
	ck_assert_int_eq(uv_run(&uvl, UV_RUN_DEFAULT), 0);
	st = status(own_loop);
	ck_assert_int_eq(st.state, PS_LOOP_DONE);
	ck_assert_uint_eq(st.steps, own_calls);
	ck_assert_int_eq(ps_sched_stats(sim, &ss), 0);
	/* At least one call per instruction. */
	ck_assert_uint_ge(own_calls, ss.instructions);
	ck_assert_uint_eq(ps_sim_next_time(sim), PS_TIME_NEVER);
	ps_loop_free(own_loop);
}
END_TEST

START_TEST(options_are_checked)
{
	struct ps_loop_options o;
	ps_loop_t *l = NULL;

	ps_loop_options_init(&o);
	ck_assert_int_eq(ps_loop_new(NULL, &uvl, &o, &l), PS_EINVAL);
	ck_assert_int_eq(ps_loop_new(sim, NULL, &o, &l), PS_EINVAL);
	ck_assert_int_eq(ps_loop_new(sim, &uvl, &o, NULL), PS_EINVAL);
	/* Zero batch, budget and ratio mean the defaults. */
	o.batch = 0;
	o.budget_ms = 0;
	o.ratio = 0;
	ck_assert_int_eq(ps_loop_new(sim, &uvl, &o, &l), 0);
	ps_loop_free(l);
	ps_loop_options_init(&o);
	o.mode = 9;
	ck_assert_int_eq(ps_loop_new(sim, &uvl, &o, &l), PS_EINVAL);
	ck_assert_ptr_null(l);
	ps_loop_options_init(&o);
	o.mode = PS_LOOP_PACED;
	o.ratio = -1;
	ck_assert_int_eq(ps_loop_new(sim, &uvl, &o, &l), PS_EINVAL);
	/* The caller's step function: fast mode only. */
	ps_loop_options_init(&o);
	o.mode = PS_LOOP_PACED;
	o.step = own_step;
	ck_assert_int_eq(ps_loop_new(sim, &uvl, &o, &l), PS_EINVAL);
	ck_assert_int_eq(ps_loop_status(NULL, &(struct ps_loop_status){ 0 }), PS_EINVAL);
	ck_assert_str_eq(ps_loop_state_name(PS_LOOP_IDLE), "idle");
	ps_loop_free(NULL);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("loop");
	TCase *tc = tcase_create("driver");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fast_runs_until_idle_in_batches);
	tcase_add_test(tc, fast_stops_at_until);
	tcase_add_test(tc, a_timer_pauses_the_run);
	tcase_add_test(tc, sigint_interrupts_promptly);
	tcase_add_test(tc, paced_never_runs_ahead_of_real_time);
	tcase_add_test(tc, options_are_checked);
	tcase_add_test(tc, the_callers_step_function);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
