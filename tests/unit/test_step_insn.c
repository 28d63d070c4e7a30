/*
 * Stepping one instruction at a time (ps_sim_step_insn, ps_scenario_step)
 * is the run taken in whole steps: for every scenario of the repository,
 * under several policies and CPU counts, the two give the same events (the
 * trace hash covers every field of every event), the same verdict and the
 * same final clock.  Also: a cut step is continued, not restarted; an API
 * call between two instructions ends it; `work N` is one instruction.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <procsim/procsim.h>

#include "testlib.h"

struct cfg {
	int32_t cpus;
	int32_t policy;
	uint64_t seed;
};

static const struct cfg cfgs[] = {
	{ 1, PS_POLICY_RR, 1 },
	{ 2, PS_POLICY_RR, 1 },
	{ 3, PS_POLICY_RANDOM, 7 },
	{ 2, PS_POLICY_PCT, 11 },
	{ 4, PS_POLICY_FIFO, 3 },
};

struct outcome {
	uint64_t hash, events, now, insn_steps;
	int verdict;
	uint32_t passed, failed;
};

static void
run_one(const ps_scenario_t *sc, const struct cfg *c, int by_insn, struct outcome *o)
{
	struct ps_scenario_options opt;
	ps_scenario_run_t *run = NULL;
	char err[512];
	int done = 0, r;

	ps_scenario_options_init(&opt);
	opt.set = PS_SCOPT_CPUS | PS_SCOPT_POLICY | PS_SCOPT_SEED;
	opt.cpus = c->cpus;
	opt.policy = c->policy;
	opt.seed = c->seed;
	r = ps_scenario_start(sc, &opt, &run, err, sizeof(err));
	ck_assert_msg(r == 0, "%s: start: %s", ps_scenario_source(sc), err);
	memset(o, 0, sizeof(*o));
	while (!done) {
		if (by_insn) {
			r = ps_scenario_step(run, &done);
			ck_assert_int_ge(r, 0);
			o->insn_steps += (uint64_t)r;
		} else {
			ck_assert_int_eq(ps_scenario_advance(run, 1000, &done), 0);
		}
	}
	o->verdict = ps_scenario_finish(run);
	o->hash = ps_scenario_trace_hash(run);
	o->events = ps_scenario_events(run);
	o->now = ps_sim_now(ps_scenario_sim(run));
	ps_scenario_counts(run, &o->passed, &o->failed);
	ps_scenario_run_free(run);
}

static int
check_dir(const char *dir)
{
	struct dirent **ents = NULL;
	int n = scandir(dir, &ents, NULL, alphasort), files = 0;

	ck_assert_msg(n >= 0, "cannot read %s", dir);
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		size_t len = strlen(name);
		char path[1024];
		ps_scenario_t *sc = NULL;
		char err[512];

		if (len < 6 || strcmp(name + len - 5, ".json") != 0) {
			free(ents[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		free(ents[i]);
		ck_assert_msg(ps_scenario_load_file(path, &sc, err, sizeof(err)) == 0, "%s", err);
		for (size_t k = 0; k < sizeof(cfgs) / sizeof(cfgs[0]); k++) {
			struct outcome whole, insn;

			run_one(sc, &cfgs[k], 0, &whole);
			run_one(sc, &cfgs[k], 1, &insn);
			ck_assert_msg(whole.hash == insn.hash && whole.events == insn.events,
			              "%s (cpus %d, %s): whole steps give %llu events (hash %016llx), "
			              "one instruction at a time %llu (hash %016llx)",
			              path, cfgs[k].cpus, ps_policy_name(cfgs[k].policy),
			              (unsigned long long)whole.events, (unsigned long long)whole.hash,
			              (unsigned long long)insn.events, (unsigned long long)insn.hash);
			ck_assert_msg(whole.verdict == insn.verdict && whole.passed == insn.passed &&
			                  whole.failed == insn.failed && whole.now == insn.now,
			              "%s (cpus %d, %s): verdict %d/%u/%u at %llu vs %d/%u/%u at %llu",
			              path, cfgs[k].cpus, ps_policy_name(cfgs[k].policy), whole.verdict,
			              whole.passed, whole.failed, (unsigned long long)whole.now,
			              insn.verdict, insn.passed, insn.failed,
			              (unsigned long long)insn.now);
		}
		ps_scenario_free(sc);
		files++;
	}
	free(ents);
	return files;
}

START_TEST(every_scenario_same_events)
{
	int n = check_dir(PROCSIM_SOURCE_DIR "/tests/scenarios");

	n += check_dir(PROCSIM_SOURCE_DIR "/examples/scenarios");
	n += check_dir(PROCSIM_SOURCE_DIR "/tests/scenarios/fail");
	ck_assert_int_ge(n, 80);
}
END_TEST

/* A program that counts to 1000 and exits: many instructions, one step. */
static const char *counter =
	"        li r1, 0\n"
	"loop:   add r1, r1, 1\n"
	"        cmp r1, 1000\n"
	"        blt loop\n"
	"        work 5000\n"
	"        li r1, 3\n"
	"        mov r0, r1\n"
	"        sys exit\n";

static ps_sim_t *
counter_sim(int32_t *pid)
{
	struct ps_config c;
	ps_sim_t *sim = NULL;
	struct ps_asm_error ae;

	ps_config_init(&c);
	c.quantum_ns = 1000000000;
	ck_assert_int_eq(ps_sim_new(&c, &sim), 0);
	ck_assert_int_eq(ps_program_add(sim, "counter", counter, &ae), 0);
	ck_assert_int_eq(ps_spawn(sim, 1, "counter", NULL, NULL, pid), 0);
	return sim;
}

START_TEST(instructions_one_by_one)
{
	int32_t pid, tid;
	size_t nt;
	ps_sim_t *sim = counter_sim(&pid);
	struct ps_sched_stats st;
	struct ps_thread_info ti;
	uint64_t calls = 0, insns = 0;

	ck_assert_int_eq(ps_proc_threads(sim, pid, &tid, 1, &nt), 0);
	/* Each call retires at most one instruction; the step is one. */
	for (;;) {
		int r = ps_sim_step_insn(sim, PS_TIME_NEVER);

		ck_assert_int_ge(r, 0);
		if (r == 0)
			break;
		calls++;
		ck_assert_int_eq(ps_sched_stats(sim, &st), 0);
		ck_assert_uint_le(st.instructions, insns + 1);
		insns = st.instructions;
		if (ps_thread_info(sim, tid, &ti) == 0 && ti.regs.r[1] == 500) {
			/* Midway through the loop: still inside the first step. */
			ck_assert_uint_eq(st.steps, 0);
		}
	}
	ck_assert_int_eq(ps_sched_stats(sim, &st), 0);
	/* li + 1000 * 3 + work + li + sys: each its own call. */
	ck_assert_uint_eq(st.instructions, 1 + 3000 + 1 + 1 + 1 + 1);
	ck_assert_uint_ge(calls, st.instructions);
	ck_assert_int_eq(t_state(sim, pid), -1);
	ps_sim_free(sim);
}
END_TEST

START_TEST(api_call_ends_cut_step)
{
	int32_t pid, tid;
	size_t nt;
	ps_sim_t *sim = counter_sim(&pid);
	struct ps_thread_info ti;
	struct ps_proc_info pi;
	struct ps_sched_stats st;
	uint64_t steps;

	ck_assert_int_eq(ps_proc_threads(sim, pid, &tid, 1, &nt), 0);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(ps_sim_step_insn(sim, PS_TIME_NEVER), 1);
	ck_assert_int_eq(ps_thread_info(sim, tid, &ti), 0);
	ck_assert_uint_gt(ti.regs.r[1], 0);
	/* Stop it from outside: the cut step must not run it on. */
	ck_assert_int_eq(ps_kill(sim, 1, pid, PS_SIGSTOP), 0);
	while (ps_sim_step_insn(sim, PS_TIME_NEVER) == 1)
		;
	ck_assert_int_eq(ps_proc_info(sim, pid, &pi), 0);
	ck_assert_int_eq(pi.state, PS_PRS_NORMAL);
	ck_assert(pi.flags & PS_P_STOPPED_SIG);
	ck_assert_int_eq(ps_thread_info(sim, tid, &ti), 0);
	ck_assert_uint_lt(ti.regs.r[1], 1000);
	/*
	 * Continued: a whole step after cut ones finishes the cut one, which
	 * (the quantum being long) runs the rest of the program: one step.
	 */
	ck_assert_int_eq(ps_kill(sim, 1, pid, PS_SIGCONT), 0);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(ps_sim_step_insn(sim, PS_TIME_NEVER), 1);
	ck_assert_int_eq(ps_thread_info(sim, tid, &ti), 0);
	ck_assert_uint_lt(ti.regs.r[1], 1000);
	ck_assert_int_eq(ps_sched_stats(sim, &st), 0);
	steps = st.steps;
	ck_assert_int_eq(ps_sim_step(sim), 1);
	ck_assert_int_eq(ps_sched_stats(sim, &st), 0);
	ck_assert_uint_eq(st.steps, steps + 1);
	/* It exited, and init reaped it. */
	ck_assert_int_eq(ps_proc_info(sim, pid, &pi), PS_ESRCH);
	ck_assert_int_eq(ps_thread_info(sim, tid, &ti), PS_ESRCH);
	ps_sim_free(sim);
}
END_TEST

START_TEST(step_insn_errors_and_bounds)
{
	int32_t pid;
	ps_sim_t *sim = counter_sim(&pid);

	ck_assert_int_eq(ps_sim_step_insn(NULL, 0), PS_EINVAL);
	/* Nothing due at or before t = 0?  The thread is due at 0. */
	ck_assert_int_eq(ps_sim_step_insn(sim, 0), 1);
	/* Up to t = 10: the clock never passes t + 1 within a step. */
	while (ps_sim_step_insn(sim, 10) == 1)
		;
	ck_assert_uint_le(ps_sim_next_time(sim), 11);
	ck_assert_uint_gt(ps_sim_next_time(sim), 10);
	ck_assert_int_eq(ps_scenario_step(NULL, NULL), PS_EINVAL);
	ps_sim_free(sim);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("step_insn");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, instructions_one_by_one);
	tcase_add_test(tc, api_call_ends_cut_step);
	tcase_add_test(tc, step_insn_errors_and_bounds);
	tcase_add_test(tc, every_scenario_same_events);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
