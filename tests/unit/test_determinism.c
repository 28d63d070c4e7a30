/*
 * Determinism: the same programs, seed and options give a byte-identical
 * JSON-lines trace on every run and on every build (Debug, Release,
 * ASan+UBSan).  A seeded random workload (forks, waits, sleeps, signals,
 * work of random lengths, all drawn from the workload stream) runs on 4
 * CPUs under every policy; its trace is hashed (FNV-1a 64 over the JSON
 * lines) and compared with a second run in the same process and with the
 * hash recorded here.  The recorded hashes pin the trace across builds: a
 * change of the trace's contents must update them, deliberately.
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <procsim/procsim.h>

#include "testlib.h"

static const char workload[] =
	"; A random walk of a process tree: each process makes 20 random moves.\n"
	"start:\n"
	"  sys sigaction SIGUSR1, h, 2, 0     ; SA_RESTART\n"
	"  li r9, 0\n"
	"loop:\n"
	"  add r9, r9, 1\n"
	"  cmp r9, 20\n"
	"  bge done\n"
	"  sys random 7\n"
	"  cmp r0, 0\n  beq f\n"
	"  cmp r0, 1\n  beq w\n"
	"  cmp r0, 2\n  beq s\n"
	"  cmp r0, 3\n  beq k\n"
	"  cmp r0, 4\n  beq m\n"
	"  sys random 3000\n"
	"  work r0\n"
	"  b loop\n"
	"f:\n  sys fork\n  b loop\n"
	"w:\n  sys wait4 -1, 0, 1, 0\n  b loop\n"
	"s:\n  sys random 20000\n  sys nanosleep r0\n  b loop\n"
	"k:\n  sys getppid\n  sys kill r0, SIGUSR1\n  b loop\n"
	"m:\n  ld r1, [counter]\n  add r1, r1, 1\n  st r1, [counter]\n  b loop\n"
	"done:\n"
	"  sys wait4 -1, 0, 0, 0\n"
	"  cmp r0, 0\n"
	"  bgt done\n"
	"  ld r1, [counter]\n"
	"  sys exit r1\n"
	"h:\n  ret\n"
	".data\ncounter: .quad 0\n";

struct hasher {
	uint64_t h;
	uint64_t lines;
};

static void
hash_cb(const struct ps_event *ev, void *arg)
{
	struct hasher *hs = arg;
	char line[512];
	int n = ps_event_json(ev, line, sizeof(line));

	ck_assert_int_gt(n, 0);
	ck_assert_int_lt(n, (int)sizeof(line));
	line[n++] = '\n';
	for (int i = 0; i < n; i++) {
		hs->h ^= (unsigned char)line[i];
		hs->h *= 0x100000001b3ull;
	}
	hs->lines++;
}

/* Run the workload: 3 processes on 4 CPUs; the trace's hash. */
static uint64_t
run_workload(int policy, uint64_t seed, uint64_t *lines)
{
	struct ps_config c = t_config();
	struct hasher hs = { 0xcbf29ce484222325ull, 0 };
	ps_sim_t *sim;
	int32_t sh, pid;
	int rc;

	c.cpus = 4;
	c.policy = (uint8_t)policy;
	c.seed = seed;
	c.quantum_ns = 20000;
	c.pct_steps = 200000;
	ck_assert_int_eq(ps_sim_new(&c, &sim), 0);
	ck_assert_int_eq(ps_sim_set_event_cb(sim, hash_cb, &hs), 0);
	ck_assert_int_eq(ps_program_add(sim, "walk", workload, NULL), 0);
	sh = t_session(sim);
	/* The walkers signal their parents: the shell ignores it. */
	struct ps_sigaction ign = { .handler = PS_SIG_IGN };
	ck_assert_int_eq(ps_sigaction(sim, sh, PS_SIGUSR1, &ign, NULL), 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(ps_spawn(sim, sh, "walk", NULL, NULL, &pid), 0);
	rc = ps_sim_run_until(sim, 60ull * 1000 * 1000 * 1000, 10000000, NULL);
	ck_assert_msg(rc == 0, "run: %s", ps_err_name(rc));
	ck_assert_uint_eq(ps_sim_next_time(sim), PS_TIME_NEVER);
	/* Everything exited: the shell has three zombies, init reaped the rest. */
	struct ps_sim_stats st;
	ck_assert_int_eq(ps_sim_stats(sim, &st), 0);
	ck_assert_int_eq(st.nprocs - st.nzombies, 3); /* swapper, init, the shell */
	ck_assert_int_eq(st.nzombies, 3);
	t_check(sim);
	ps_sim_free(sim);
	*lines = hs.lines;
	return hs.h;
}

static const struct {
	int policy;
	uint64_t seed;
	uint64_t hash;   /* The trace's FNV-1a 64 on every build. */
	uint64_t lines;
} golden[] = {
	{ PS_POLICY_RR, 1, 0x4dab8e7dcb170720ull, 1666 },
	{ PS_POLICY_FIFO, 2, 0xb8ed198640efa22eull, 1945 },
	{ PS_POLICY_RANDOM, 3, 0x55276c38117a501dull, 1301 },
	{ PS_POLICY_PCT, 4, 0x76c295a4bc84968aull, 1587 },
	{ PS_POLICY_RANDOM, 5, 0x9de923a788c5ced9ull, 1673 },
};

START_TEST(same_seed_same_trace_on_every_build)
{
	uint64_t l1, l2;
	uint64_t h1 = run_workload(golden[_i].policy, golden[_i].seed, &l1);
	uint64_t h2 = run_workload(golden[_i].policy, golden[_i].seed, &l2);

	printf("determinism: policy %s seed %" PRIu64 ": %" PRIu64 " events, hash 0x%016" PRIx64 "\n",
	       ps_policy_name(golden[_i].policy), golden[_i].seed, l1, h1);
	ck_assert_uint_eq(h1, h2);
	ck_assert_uint_eq(l1, l2);
	ck_assert_uint_gt(l1, 500);
	ck_assert_msg(h1 == golden[_i].hash && l1 == golden[_i].lines,
	              "trace differs from the recorded one: 0x%016" PRIx64 " (%" PRIu64
	              " events), recorded 0x%016" PRIx64 " (%" PRIu64 ")",
	              h1, l1, golden[_i].hash, golden[_i].lines);
}
END_TEST

START_TEST(another_seed_another_trace)
{
	uint64_t l;
	uint64_t a = run_workload(PS_POLICY_RANDOM, 3, &l);
	uint64_t b = run_workload(PS_POLICY_RANDOM, 33, &l);

	ck_assert_uint_ne(a, b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("determinism");
	TCase *tc = tcase_create("trace");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, same_seed_same_trace_on_every_build, 0,
	                    (int)(sizeof(golden) / sizeof(golden[0])));
	tcase_add_test(tc, another_seed_another_trace);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
