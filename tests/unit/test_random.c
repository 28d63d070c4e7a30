/*
 * Randomized operations with every invariant checked after each one
 * (issue item 11; spec-kern_proc.md §9).
 *
 * Goal: no sequence of fork, setsid, setpgid, exit, wait, kill, sigaction,
 * exec, setuid, TIOCSCTTY, tcsetpgrp and debugger attach/detach can break
 * an invariant, crash, or end an operation with a lock held; and the same
 * seed gives the same event stream.  Method: a seeded generator (its own,
 * independent of the simulator's) picks an operation and its arguments
 * from the live processes; results may be any error the calls document,
 * but never PS_EINVARIANT or PS_ELOCKORDER, and ps_sim_check() must return
 * 0 after every operation.  The tree is kept between 1 and ~250
 * processes.  The event stream is hashed (FNV-1a over every field).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kern/internal_api.h"
#include "testlib.h"

#define OPS_MAX 100000
#define PIDS_MAX 1024

struct gen {
	uint64_t s;
};

static uint64_t
gen_next(struct gen *g)
{
	/* splitmix64: enough for choosing operations. */
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t
pick(struct gen *g, uint32_t n)
{
	return (uint32_t)(gen_next(g) % n);
}

struct run {
	ps_sim_t *sim;
	struct gen g;
	uint64_t hash;
	uint64_t events;
	uint64_t ok, failed;
	uint64_t orphanings, hangups, drift_max;
	int32_t tty;
};

static void
hash_event(const struct ps_event *ev, void *arg)
{
	struct run *r = arg;
	const int32_t f[] = {(int32_t)ev->type, ev->pid, ev->pid2, ev->pgid, ev->sid, ev->sig,
	                     ev->value};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		r->hash ^= (uint32_t)f[i];
		r->hash *= 0x100000001b3ULL;
	}
	if (ev->detail != NULL)
		for (const char *c = ev->detail; *c != '\0'; c++) {
			r->hash ^= (uint8_t)*c;
			r->hash *= 0x100000001b3ULL;
		}
	r->hash ^= ev->seq;
	r->events++;
	r->orphanings += ev->type == PS_EV_ORPHANED;
	r->hangups += ev->type == PS_EV_ORPHANED && ev->value == 1;
}

/* A random live process other than swapper, or 1 (init). */
static int32_t
random_proc(struct run *r, bool include_init)
{
	int32_t pids[PIDS_MAX];
	size_t n = 0;
	struct ps_proc_info pi;

	ck_assert_int_eq(ps_proc_list(r->sim, pids, PIDS_MAX, &n), 0);
	ck_assert_uint_le(n, PIDS_MAX);
	for (int tries = 0; tries < 8; tries++) {
		int32_t pid = pids[pick(&r->g, (uint32_t)n)];

		if (ps_proc_info(r->sim, pid, &pi) != 0 || pi.state != PS_PRS_NORMAL)
			continue;
		if (pid == 0 || (pid == 1 && !include_init) || (pi.flags & PS_P_SYSTEM) != 0)
			continue;
		return pid;
	}
	return 1;
}

static int32_t
random_child_or_self(struct run *r, int32_t pid)
{
	int32_t kids[PIDS_MAX];
	size_t n = 0;

	ck_assert_int_eq(ps_proc_children(r->sim, pid, kids, PIDS_MAX, &n), 0);
	if (n == 0 || pick(&r->g, 3) == 0)
		return pid;
	return kids[pick(&r->g, (uint32_t)(n < PIDS_MAX ? n : PIDS_MAX))];
}

static int32_t
random_pgid(struct run *r, int32_t target)
{
	int32_t pgids[PIDS_MAX];
	size_t n = 0;

	switch (pick(&r->g, 4)) {
	case 0:
		return 0;
	case 1:
		return target;
	default:
		ck_assert_int_eq(ps_pgrp_list(r->sim, pgids, PIDS_MAX, &n), 0);
		return pgids[pick(&r->g, (uint32_t)(n < PIDS_MAX ? n : PIDS_MAX))];
	}
}

static const int sigs[] = {PS_SIGHUP, PS_SIGTSTP, PS_SIGSTOP, PS_SIGCONT, PS_SIGCONT,
                           PS_SIGTERM, PS_SIGKILL, PS_SIGTTIN, PS_SIGCHLD, PS_SIGUSR1, 0};

static int
random_op(struct run *r, int32_t nprocs)
{
	int32_t p = random_proc(r, pick(&r->g, 8) == 0), q, child;
	uint32_t op = pick(&r->g, 100);
	struct ps_sigaction sa;
	int st;

	/* Keep the tree in bounds: grow when small, shrink when large. */
	if (nprocs < 6)
		op = 0;
	else if (nprocs > 250 && op < 25)
		op = 50;
	if (op < 22)
		return ps_fork(r->sim, p, &child);
	if (op < 28)
		return ps_setsid(r->sim, p);
	if (op < 44) {
		q = random_child_or_self(r, p);
		return ps_setpgid(r->sim, p, pick(&r->g, 2) ? q : 0, random_pgid(r, q));
	}
	if (op < 56)
		return ps_exit(r->sim, p, (int)pick(&r->g, 256));
	if (op < 66) {
		static const int32_t forms[] = {-1, 0, 0};
		int32_t w = forms[pick(&r->g, 3)];

		if (w == 0 && pick(&r->g, 2))
			w = random_child_or_self(r, p);
		return ps_wait(r->sim, p, w, PS_WNOHANG | (int)pick(&r->g, 2) * PS_WUNTRACED |
		                                 (int)pick(&r->g, 2) * PS_WCONTINUED,
		               &st);
	}
	if (op < 80) {
		int sig = sigs[pick(&r->g, sizeof(sigs) / sizeof(sigs[0]))];
		int32_t target;

		switch (pick(&r->g, 3)) {
		case 0:
			target = random_proc(r, false);
			break;
		case 1:
			target = -random_pgid(r, p);
			break;
		default:
			target = 0;
			break;
		}
		return ps_kill(r->sim, p, target == -1 ? 1 : target, sig);
	}
	if (op < 84) {
		memset(&sa, 0, sizeof(sa));
		sa.handler = pick(&r->g, 3) == 0 ? PS_SIG_IGN : (pick(&r->g, 2) ? 0x1000 : PS_SIG_DFL);
		sa.flags = pick(&r->g, 2) ? PS_SA_NOCLDSTOP : 0;
		return ps_sigaction(r->sim, p, pick(&r->g, 2) ? PS_SIGCHLD : PS_SIGHUP, &sa, NULL);
	}
	if (op < 87)
		return ps_exec(r->sim, p, "prog");
	if (op < 89)
		return ps_setuid(r->sim, p, pick(&r->g, 2) ? 0 : 1000);
	if (op < 92)
		return ps_tiocsctty(r->sim, p, r->tty);
	if (op < 95)
		return ps_tcsetpgrp(r->sim, p, r->tty, random_pgid(r, p));
	if (op < 98)
		return ps__ptrace_attach(r->sim, p, random_proc(r, false));
	return ps__ptrace_detach(r->sim, p, random_child_or_self(r, p),
	                         pick(&r->g, 2) ? 0 : PS_SIGCONT);
}

static void
run_ops(struct run *r, uint64_t seed, uint8_t algo, uint32_t nops)
{
	struct ps_config cfg;
	struct ps_check_report rep;
	struct ps_sim_stats st;

	memset(r, 0, sizeof(*r));
	r->g.s = seed;
	r->hash = 0xcbf29ce484222325ULL;
	ps_config_init(&cfg);
	cfg.maxproc = 400;
	cfg.pid_max = 2000; /* Small enough that pids wrap and get reused. */
	cfg.jobc_algo = algo;
	cfg.seed = seed;
	cfg.randompid = seed % 2 == 0 ? 0 : 7;
	ck_assert_int_eq(ps_sim_new(&cfg, &r->sim), 0);
	ps_sim_set_event_cb(r->sim, hash_event, r);
	ck_assert_int_eq(ps_tty_new(r->sim, "tty0", &r->tty), 0);
	for (uint32_t i = 0; i < nops; i++) {
		int rc;

		ps_sim_stats(r->sim, &st);
		rc = random_op(r, st.nprocs);
		ck_assert_msg(rc != PS_EINVARIANT && rc != PS_ELOCKORDER, "op %u: %s", i,
		              ps_err_name(rc));
		if (rc >= 0)
			r->ok++;
		else
			r->failed++;
		if (ps_sim_check(r->sim, &rep) != 0)
			ck_abort_msg("seed %llu op %u: invariant %s broken: %s", (unsigned long long)seed,
			             i, rep.invariant, rep.message);
		if (rep.drift > r->drift_max)
			r->drift_max = rep.drift;
	}
	ck_assert_uint_eq(ps_sim_lock_reversals(r->sim), 0);
	ps_sim_free(r->sim);
	r->sim = NULL;
}

/* 100,000 operations, FreeBSD accounting, invariants after each. */
START_TEST(random_freebsd)
{
	struct run r;

	run_ops(&r, 20261123, PS_JOBC_FREEBSD, OPS_MAX);
	printf("random_freebsd: %llu ops ok, %llu refused, %llu events, %llu orphanings "
	       "(%llu with hangups), max drifting groups %llu\n",
	       (unsigned long long)r.ok, (unsigned long long)r.failed,
	       (unsigned long long)r.events, (unsigned long long)r.orphanings,
	       (unsigned long long)r.hangups, (unsigned long long)r.drift_max);
	/* The walk must exercise what it claims to. */
	ck_assert_uint_gt(r.ok, OPS_MAX / 6);
	ck_assert_uint_gt(r.failed, 100);
	ck_assert_uint_gt(r.orphanings, 100);
	ck_assert_uint_gt(r.hangups, 10);
}
END_TEST

/* The DragonFly 2003 accounting under the same walk. */
START_TEST(random_dragonfly)
{
	struct run r;

	run_ops(&r, 7, PS_JOBC_DRAGONFLY, OPS_MAX / 4);
	ck_assert_uint_gt(r.orphanings, 10);
}
END_TEST

/* Determinism: the same seed, the same events, byte for byte (hashed);
 * another seed, another stream. */
START_TEST(same_seed_same_events)
{
	struct run a, b, c;

	run_ops(&a, 99, PS_JOBC_FREEBSD, 5000);
	run_ops(&b, 99, PS_JOBC_FREEBSD, 5000);
	run_ops(&c, 100, PS_JOBC_FREEBSD, 5000);
	ck_assert_uint_eq(a.events, b.events);
	ck_assert_uint_eq(a.hash, b.hash);
	ck_assert_uint_ne(a.hash, c.hash);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("random");
	TCase *tc = tcase_create("walk");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, random_freebsd);
	tcase_add_test(tc, random_dragonfly);
	tcase_add_test(tc, same_seed_same_events);
	suite_add_tcase(s, tc);
	return t_run(s);
}
