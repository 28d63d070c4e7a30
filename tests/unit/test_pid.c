/*
 * Pid allocation as FreeBSD's fork_findpid does it (README "Pid
 * allocation"; include/procsim/proc.h ps_fork; spec-kern_proc.md §1.1 and
 * the invariant that pids, pgids and sids share one name space): the next
 * number after the last pid handed out that is not in use as a pid, a
 * process group id or a session id; wrapping at pid_max to
 * PS_PID_WRAP_FLOOR (100); an optional seeded random step (randompid);
 * EAGAIN when no number is free and at maxproc, the last 10 slots being
 * root's.  Also ps_sim_new's configuration checks (include/procsim/sim.h).
 */
#include <stdbool.h>

#include "testlib.h"

/* ---- helpers ---- */

/* Fork a child of init and let it exit at once (init reaps it): hands out
 * one pid without keeping it.  Returns the pid. */
static int32_t
burn_pid(ps_sim_t *sim)
{
	int32_t c = t_fork(sim, 1);

	ck_assert_int_eq(ps_exit(sim, c, 0), 0);
	ck_assert_int_eq(t_state(sim, c), -1);
	return c;
}

/* Burn pids until the last one handed out is `last`. */
static void
burn_until(ps_sim_t *sim, int32_t last)
{
	for (int i = 0; i < 1000000; i++)
		if (burn_pid(sim) == last)
			return;
	ck_abort_msg("pid %d never handed out", last);
}

static int32_t
nprocs(ps_sim_t *sim)
{
	struct ps_sim_stats st;

	ck_assert_int_eq(ps_sim_stats(sim, &st), 0);
	return st.nprocs;
}

/* ============================ sequential ============================ */

/* fork_findpid: lastpid + 1; swapper is 0, init 1, so the first fork
 * gives 2; a freed pid is not reused before the counter wraps. */
START_TEST(sequential)
{
	int32_t a = t_fork(t_sim, 1);
	int32_t b = t_fork(t_sim, a);
	int32_t c = t_fork(t_sim, 1);
	int32_t kp = -1;

	ck_assert_int_eq(a, 2);
	ck_assert_int_eq(b, 3);
	ck_assert_int_eq(c, 4);
	ck_assert_int_eq(ps_exit(t_sim, b, 0), 0);
	ck_assert_int_eq(ps_wait(t_sim, a, b, 0, NULL), b);
	ck_assert_int_eq(t_state(t_sim, b), -1);
	ck_assert_int_eq(t_fork(t_sim, a), 5);
	/* Kernel processes take pids from the same counter. */
	ck_assert_int_eq(ps_kproc_new(t_sim, "kthr", &kp), 0);
	ck_assert_int_eq(kp, 6);
	ck_assert_int_eq(t_fork(t_sim, c), 7);
	/* A failed fork consumes no pid (zombie caller: ESRCH). */
	ck_assert_int_eq(ps_exit(t_sim, c, 0), 0);
	ck_assert_int_eq(ps_fork(t_sim, 4242, &(int32_t){0}), PS_ESRCH);
	ck_assert_int_eq(t_fork(t_sim, 1), 8);
}
END_TEST

/* Same calls, same pids: a second simulator hands out the same numbers. */
START_TEST(sequential_deterministic)
{
	struct ps_config cfg = t_config();
	ps_sim_t *other = NULL;
	int32_t x, y;

	ck_assert_int_eq(ps_sim_new(&cfg, &other), 0);
	for (int i = 0; i < 50; i++) {
		x = t_fork(t_sim, 1);
		y = t_fork(other, 1);
		ck_assert_int_eq(x, y);
		if (i % 3 == 0) {
			ck_assert_int_eq(ps_exit(t_sim, x, 0), 0);
			ck_assert_int_eq(ps_exit(other, y, 0), 0);
		}
	}
	ps_sim_free(other);
}
END_TEST

/* ============================ pgid / sid ============================ */

/* fork_findpid skips numbers in use as a pgid or a sid, not just as a
 * pid: after a wrap, a reaped session leader's pid (still the sid of a
 * surviving group) and a reaped group leader's pid (still the pgid of its
 * surviving group) are both passed over. */
START_TEST(skip_pgid_and_sid)
{
	struct ps_config cfg = t_config();
	struct ps_session_info si;
	struct ps_proc_info pi;
	int32_t sh, a, b, next;

	cfg.pid_max = 300;
	t_replace_sim(&cfg);
	burn_until(t_sim, 99);
	sh = t_session(t_sim);       /* 100: pid, pgid, sid */
	a = t_fork(t_sim, sh);       /* 101 */
	ck_assert_int_eq(sh, 100);
	ck_assert_int_eq(a, 101);
	ck_assert_int_eq(ps_setpgid(t_sim, a, 0, 0), 0);
	b = t_fork(t_sim, a);        /* 102, in group 101 */
	ck_assert_int_eq(b, 102);
	/* a exits and is reaped: 101 survives as b's pgid only. */
	ck_assert_int_eq(ps_exit(t_sim, a, 0), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, a, 0, NULL), a);
	/* sh exits and is reaped by init: 100 survives as the sid only. */
	ck_assert_int_eq(ps_exit(t_sim, sh, 0), 0);
	ck_assert_int_eq(t_state(t_sim, sh), -1);
	ck_assert_int_eq(t_state(t_sim, a), -1);
	ck_assert_int_eq(ps_pgfind(t_sim, 100), PS_ESRCH);
	ck_assert_int_eq(ps_pgfind(t_sim, 101), 0);
	ck_assert_int_eq(ps_session_info(t_sim, 100, &si), 0);
	ck_assert_int_eq(si.leader, 0);
	ck_assert_int_eq(ps_proc_info(t_sim, b, &pi), 0);
	ck_assert_int_eq(pi.pgid, 101);
	ck_assert_int_eq(pi.sid, 100);

	burn_until(t_sim, 299);
	/* Wrap: 100 (sid), 101 (pgid) and 102 (pid) are in use. */
	next = t_fork(t_sim, 1);
	ck_assert_int_eq(next, 103);
	t_check(t_sim);
}
END_TEST

/* Without a wrap, the counter alone already avoids live ids; a number
 * freed of every use is handed out again once the counter comes round. */
START_TEST(reuse_after_all_uses_end)
{
	struct ps_config cfg = t_config();
	int32_t sh, a;

	cfg.pid_max = 300;
	t_replace_sim(&cfg);
	burn_until(t_sim, 99);
	sh = t_session(t_sim);  /* 100 */
	a = t_fork(t_sim, sh);  /* 101 */
	ck_assert_int_eq(ps_setpgid(t_sim, a, 0, 0), 0);
	/* Everything in session 100 goes away: 100 and 101 are free. */
	ck_assert_int_eq(ps_exit(t_sim, a, 0), 0);
	ck_assert_int_eq(ps_wait(t_sim, sh, a, 0, NULL), a);
	ck_assert_int_eq(ps_exit(t_sim, sh, 0), 0);
	ck_assert_int_eq(ps_pgfind(t_sim, 101), PS_ESRCH);
	burn_until(t_sim, 299);
	ck_assert_int_eq(t_fork(t_sim, 1), 100);
	ck_assert_int_eq(t_fork(t_sim, 1), 101);
}
END_TEST

/* ================================ wrap ================================ */

/* fork_findpid: trypid >= pid_max wraps to trypid % pid_max, raised to
 * at least 100; pid_max itself is never a pid; low pids are not reused. */
START_TEST(wrap_at_pid_max)
{
	struct ps_config cfg = t_config();
	int32_t p;

	cfg.pid_max = 300;
	t_replace_sim(&cfg);
	burn_until(t_sim, 298);
	ck_assert_int_eq(burn_pid(t_sim), 299);
	ck_assert_int_eq(burn_pid(t_sim), 100);
	ck_assert_int_eq(burn_pid(t_sim), 101);
	/* Live processes at 102..109 are skipped after the next wrap. */
	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(t_fork(t_sim, 1), 102 + i);
	burn_until(t_sim, 299);
	p = t_fork(t_sim, 1);
	ck_assert_int_eq(p, 100);
	p = t_fork(t_sim, 1);
	ck_assert_int_eq(p, 101);
	ck_assert_int_eq(t_fork(t_sim, 1), 110);
	ck_assert_int_eq(ps_pfind(t_sim, 300), PS_ESRCH);
}
END_TEST

/* Many wraps: every pid handed out stays in [100, pid_max) once the
 * counter has wrapped, and the invariants hold throughout. */
START_TEST(wrap_many_times)
{
	struct ps_config cfg = t_config();
	bool wrapped = false;
	int32_t prev = 1, p;

	cfg.pid_max = 300;
	t_replace_sim(&cfg);
	for (int i = 0; i < 1000; i++) {
		p = burn_pid(t_sim);
		ck_assert_int_lt(p, 300);
		if (p < prev)
			wrapped = true;
		if (wrapped)
			ck_assert_int_ge(p, 100);
		else
			ck_assert_int_eq(p, prev + 1);
		prev = p;
	}
	ck_assert(wrapped);
}
END_TEST

/* ============================ randompid ============================ */

static void
random_pids(uint64_t seed, int32_t randompid, int32_t pid_max, int32_t *out, int n)
{
	struct ps_config cfg = t_config();
	ps_sim_t *sim;

	cfg.seed = seed;
	cfg.randompid = randompid;
	cfg.pid_max = pid_max;
	sim = t_new_sim(&cfg);
	for (int i = 0; i < n; i++)
		out[i] = t_fork(sim, 1);
	t_check(sim);
	ps_sim_free(sim);
}

/* kern.randompid: trypid = lastpid + 1 + a random step below randompid,
 * from the seeded generator: the same seed gives the same pids, another
 * seed other pids; steps lie in [1, randompid]. */
START_TEST(randompid_seeded)
{
	enum { N = 40 };
	int32_t s1[N], s1b[N], s2[N];
	int differ = 0, jumps = 0;
	int32_t prev = 1;

	random_pids(7, 100, PS_PID_MAX_DEFAULT, s1, N);
	random_pids(7, 100, PS_PID_MAX_DEFAULT, s1b, N);
	random_pids(8, 100, PS_PID_MAX_DEFAULT, s2, N);
	for (int i = 0; i < N; i++) {
		ck_assert_int_eq(s1[i], s1b[i]);
		differ += s1[i] != s2[i];
		ck_assert_int_gt(s1[i], prev);
		ck_assert_int_le(s1[i] - prev, 100);
		jumps += s1[i] - prev > 1;
		prev = s1[i];
	}
	ck_assert_int_gt(differ, 0);
	ck_assert_int_gt(jumps, N / 2);
}
END_TEST

/* randompid with a small pid_max: pids stay in range through wraps and
 * the invariants hold. */
START_TEST(randompid_wraps)
{
	struct ps_config cfg = t_config();
	int32_t p, prev = 1;
	bool wrapped = false;

	cfg.pid_max = 300;
	cfg.randompid = 299;
	cfg.seed = 99;
	t_replace_sim(&cfg);
	for (int i = 0; i < 500; i++) {
		p = burn_pid(t_sim);
		ck_assert_int_ge(p, 2);
		ck_assert_int_lt(p, 300);
		if (p < prev)
			wrapped = true;
		if (wrapped)
			ck_assert_int_ge(p, 100);
		prev = p;
	}
	ck_assert(wrapped);
	/* Live processes are never handed out twice. */
	int32_t live[50];
	for (int i = 0; i < 50; i++) {
		live[i] = t_fork(t_sim, 1);
		for (int j = 0; j < i; j++)
			ck_assert_int_ne(live[i], live[j]);
	}
}
END_TEST

/* randompid 0 is sequential even with another seed. */
START_TEST(randompid_zero_is_sequential)
{
	int32_t a[5];

	random_pids(12345, 0, PS_PID_MAX_DEFAULT, a, 5);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(a[i], 2 + i);
}
END_TEST

/* ============================== EAGAIN ============================== */

/* fork_findpid: every number in use -> EAGAIN (not a loop); the
 * simulator is unchanged and consistent; freeing a pid makes fork work
 * again and it hands out exactly that pid. */
START_TEST(eagain_all_pids_used)
{
	struct ps_config cfg = t_config();
	struct ps_sim_stats before, after;
	int32_t child = -1, n = 0, rc;

	cfg.pid_max = 300;
	cfg.maxproc = 100000;
	t_replace_sim(&cfg);
	for (;;) {
		rc = ps_fork(t_sim, 1, &child);
		if (rc != 0)
			break;
		n++;
		ck_assert_int_lt(n, 1000);
	}
	ck_assert_int_eq(rc, PS_EAGAIN);
	ck_assert_int_eq(n, 298); /* 2..299 */
	ck_assert_int_eq(nprocs(t_sim), 300);
	t_check(t_sim);
	ck_assert_int_eq(ps_sim_stats(t_sim, &before), 0);
	t_clear_events();
	ck_assert_int_eq(ps_fork(t_sim, 150, &child), PS_EAGAIN);
	ck_assert_uint_eq(t_count(PS_EV_FORK, 0, 0), 0);
	ck_assert_int_eq(ps_sim_stats(t_sim, &after), 0);
	ck_assert_int_eq(after.nprocs, before.nprocs);
	ck_assert_int_eq(after.npgrps, before.npgrps);
	t_check(t_sim);
	/* Free 150 and 42 (below the wrap floor: not reusable). */
	ck_assert_int_eq(ps_exit(t_sim, 150, 0), 0);
	ck_assert_int_eq(ps_exit(t_sim, 42, 0), 0);
	ck_assert_int_eq(ps_fork(t_sim, 1, &child), 0);
	ck_assert_int_eq(child, 150);
	ck_assert_int_eq(ps_fork(t_sim, 1, &child), PS_EAGAIN);
	t_check(t_sim);
}
END_TEST

/* kern_fork: nprocs >= maxproc - 10 refuses an unprivileged fork, nprocs
 * >= maxproc every fork (the last 10 slots are root's).  nprocs counts
 * swapper, init and zombies. */
START_TEST(eagain_maxproc)
{
	struct ps_config cfg = t_config();
	struct ps_cred user = {1000, 1000, 1000, 1000, 1000, 1000};
	int32_t u, child = -1, n;

	cfg.maxproc = 16;
	t_replace_sim(&cfg);
	ck_assert_int_eq(nprocs(t_sim), 2);
	u = t_fork(t_sim, 1);
	ck_assert_int_eq(ps_setcred(t_sim, u, &user), 0);
	for (n = 0; ps_fork(t_sim, u, &child) == 0; n++)
		ck_assert_int_lt(n, 100);
	ck_assert_int_eq(n, 3); /* nprocs 3 -> 6 = maxproc - 10 */
	ck_assert_int_eq(ps_fork(t_sim, u, &child), PS_EAGAIN);
	ck_assert_int_eq(nprocs(t_sim), 6);
	t_check(t_sim);
	/* A zombie still counts. */
	ck_assert_int_eq(ps_exit(t_sim, child, 0), 0);
	ck_assert_int_eq(t_state(t_sim, child), PS_PRS_ZOMBIE);
	ck_assert_int_eq(ps_fork(t_sim, u, &child), PS_EAGAIN);
	/* Root may use the last 10 slots, and no more.  The failed forks
	 * consumed no pid: root's first child is the next number. */
	ck_assert_int_eq(ps_fork(t_sim, 1, &child), 0);
	ck_assert_int_eq(child, 6);
	for (n = 1; ps_fork(t_sim, 1, &child) == 0; n++)
		ck_assert_int_lt(n, 100);
	ck_assert_int_eq(n, 10);
	ck_assert_int_eq(nprocs(t_sim), 16);
	ck_assert_int_eq(ps_fork(t_sim, 1, &child), PS_EAGAIN);
	t_check(t_sim);
	/* Kernel processes are under the same limit. */
	ck_assert_int_eq(ps_kproc_new(t_sim, "k", &child), PS_EAGAIN);
	/* Reaping the zombie frees a slot for root only. */
	ck_assert_int_eq(ps_wait(t_sim, u, -1, 0, NULL), 5);
	ck_assert_int_eq(nprocs(t_sim), 15);
	ck_assert_int_eq(ps_fork(t_sim, u, &child), PS_EAGAIN);
	ck_assert_int_eq(ps_fork(t_sim, 1, &child), 0);
	t_check(t_sim);
}
END_TEST

/* Privilege is the effective uid: a process with euid 0 and a non-zero
 * real uid may use the reserved slots. */
START_TEST(eagain_maxproc_euid)
{
	struct ps_config cfg = t_config();
	struct ps_cred setuid_root = {0, 1000, 0, 0, 1000, 0};
	struct ps_cred user = {1000, 0, 0, 0, 0, 0};
	int32_t r, u, child = -1;

	cfg.maxproc = 16;
	t_replace_sim(&cfg);
	r = t_fork(t_sim, 1);
	u = t_fork(t_sim, 1);
	ck_assert_int_eq(ps_setcred(t_sim, r, &setuid_root), 0);
	ck_assert_int_eq(ps_setcred(t_sim, u, &user), 0);
	ck_assert_int_eq(ps_fork(t_sim, u, &child), 0);
	ck_assert_int_eq(ps_fork(t_sim, u, &child), 0);
	ck_assert_int_eq(nprocs(t_sim), 6);
	ck_assert_int_eq(ps_fork(t_sim, u, &child), PS_EAGAIN);
	ck_assert_int_eq(ps_fork(t_sim, r, &child), 0);
}
END_TEST

/* ============================ ps_sim_new ============================ */

/* include/procsim/sim.h: ranges of every field; PS_EINVAL for a NULL
 * pointer or a value out of range; *out untouched on failure. */
START_TEST(config_rejects)
{
	struct ps_config c;
	ps_sim_t *sim = (ps_sim_t *)&c; /* sentinel */

#define REJECT(field, value)                                                  \
	do {                                                                  \
		ps_config_init(&c);                                           \
		c.field = (value);                                            \
		sim = (ps_sim_t *)&c;                                         \
		ck_assert_int_eq(ps_sim_new(&c, &sim), PS_EINVAL);            \
		ck_assert_ptr_eq(sim, (ps_sim_t *)&c);                        \
	} while (0)
#define ACCEPT(field, value)                                                  \
	do {                                                                  \
		ps_config_init(&c);                                           \
		c.field = (value);                                            \
		sim = NULL;                                                   \
		ck_assert_int_eq(ps_sim_new(&c, &sim), 0);                    \
		ck_assert_ptr_nonnull(sim);                                   \
		t_check(sim);                                                 \
		ps_sim_free(sim);                                             \
	} while (0)

	REJECT(pid_max, 299);
	REJECT(pid_max, 0);
	REJECT(pid_max, -1);
	REJECT(pid_max, PS_PID_MAX_LIMIT + 1);
	ACCEPT(pid_max, 300);
	REJECT(maxproc, 15);
	REJECT(maxproc, 0);
	REJECT(maxproc, -16);
	ACCEPT(maxproc, 16);
	REJECT(randompid, -1);
	REJECT(randompid, PS_PID_MAX_DEFAULT);
	REJECT(randompid, PS_PID_MAX_DEFAULT + 1);
	REJECT(securelevel, -2);
	REJECT(securelevel, 4);
	ACCEPT(securelevel, -1);
	ACCEPT(securelevel, 3);
	REJECT(jobc_algo, 2);
	REJECT(jobc_algo, 255);
	ACCEPT(jobc_algo, PS_JOBC_DRAGONFLY);
	REJECT(see_other_uids, 2);
	REJECT(unprivileged_proc_debug, 2);
	REJECT(witness_strict, 2);
	REJECT(check_every_op, 2);

	/* randompid is checked against this config's pid_max. */
	ps_config_init(&c);
	c.pid_max = 300;
	c.randompid = 300;
	ck_assert_int_eq(ps_sim_new(&c, &sim), PS_EINVAL);

	ck_assert_int_eq(ps_sim_new(NULL, &sim), PS_EINVAL);
	ps_config_init(&c);
	ck_assert_int_eq(ps_sim_new(&c, NULL), PS_EINVAL);
#undef REJECT
#undef ACCEPT
}
END_TEST

/* include/procsim/sim.h: randompid in 0..pid_max-1 is accepted, and the
 * new simulator boots as any other: swapper 0, init 1 (init is made
 * before kern.randompid can matter; FreeBSD's init is always pid 1). */
START_TEST(config_accepts_randompid)
{
	struct ps_config c;
	ps_sim_t *sim = NULL;
	struct ps_proc_info pi;

	ps_config_init(&c);
	c.randompid = PS_PID_MAX_DEFAULT - 1;
	ck_assert_int_eq(ps_sim_new(&c, &sim), 0);
	ck_assert_int_eq(ps_proc_info(sim, 1, &pi), 0);
	ck_assert_str_eq(pi.comm, "init");
	t_check(sim);
	ps_sim_free(sim);
	ps_config_init(&c);
	c.pid_max = 300;
	c.randompid = 299;
	sim = NULL;
	ck_assert_int_eq(ps_sim_new(&c, &sim), 0);
	ck_assert_int_eq(ps_proc_info(sim, 1, &pi), 0);
	ck_assert_str_eq(pi.comm, "init");
	ps_sim_free(sim);
}
END_TEST

/* ps_config_init gives FreeBSD's defaults; ps_sim_config returns what the
 * simulator was created with. */
START_TEST(config_defaults_roundtrip)
{
	struct ps_config c, got;
	ps_sim_t *sim = NULL;

	ps_config_init(&c);
	ck_assert_int_eq(c.pid_max, PS_PID_MAX_DEFAULT);
	ck_assert_int_eq(c.randompid, 0);
	ck_assert_int_eq(c.jobc_algo, PS_JOBC_FREEBSD);
	ck_assert_int_ge(c.maxproc, 16);
	c.pid_max = 12345;
	c.maxproc = 777;
	c.seed = 0xdeadbeef;
	ck_assert_int_eq(ps_sim_new(&c, &sim), 0);
	ck_assert_int_eq(ps_sim_config(sim, &got), 0);
	ck_assert_int_eq(got.pid_max, 12345);
	ck_assert_int_eq(got.maxproc, 777);
	ck_assert_uint_eq(got.seed, 0xdeadbeef);
	ps_sim_free(sim);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pid");
	TCase *tc = tcase_create("pid");

	tcase_add_checked_fixture(tc, t_setup, t_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, sequential);
	tcase_add_test(tc, sequential_deterministic);
	tcase_add_test(tc, skip_pgid_and_sid);
	tcase_add_test(tc, reuse_after_all_uses_end);
	tcase_add_test(tc, wrap_at_pid_max);
	tcase_add_test(tc, wrap_many_times);
	tcase_add_test(tc, randompid_seeded);
	tcase_add_test(tc, randompid_wraps);
	tcase_add_test(tc, randompid_zero_is_sequential);
	tcase_add_test(tc, eagain_all_pids_used);
	tcase_add_test(tc, eagain_maxproc);
	tcase_add_test(tc, eagain_maxproc_euid);
	tcase_add_test(tc, config_rejects);
	tcase_add_test(tc, config_accepts_randompid);
	tcase_add_test(tc, config_defaults_roundtrip);
	suite_add_tcase(s, tc);
	return t_run(s);
}
