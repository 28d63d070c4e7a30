/*
 * orphan: a stopped job is orphaned when its login shell exits.
 *
 * The program builds, through the public API only, what a terminal login
 * looks like to the kernel:
 *
 *   init (1)
 *     sh        session leader, controlling terminal ttyv0
 *       cat     pipeline "cat | less", its own process group
 *       less    same group as cat
 *
 * It stops the pipeline as ^Z would (SIGTSTP to the group), gives the
 * terminal back to the shell, and lets the shell exit.  The shell was the
 * only process that kept the pipeline's group from being orphaned (a parent
 * in another group of the same session, spec-kern_proc.md §4.1), so the
 * group becomes orphaned while its members are stopped, and every member
 * gets SIGHUP and then SIGCONT (§4.6).  Continued, they die of the SIGHUP,
 * and init reaps them.
 *
 * Every event is printed with ps_event_format().  The simulator runs the
 * invariant checker after every operation (check_every_op), and the
 * program checks once more at the end with ps_sim_check().  Exit status 0
 * when everything happened as described, 1 otherwise.
 *
 * Build: CMake builds every C file in examples/ as example_<name>
 * (build/example_orphan); by hand, against a build in build/:
 *   cc -std=c11 -Iinclude examples/orphan.c -Lbuild -lprocsim -Wl,-rpath,build
 */
#include <stdio.h>
#include <stdlib.h>

#include <procsim/procsim.h>

/* What the event callback saw happen to the two job members. */
struct watch {
	int32_t member[2];
	uint64_t hup_seq[2];  /* seq of the SIGHUP sent to member[i], 0 if none */
	uint64_t cont_seq[2]; /* seq of the SIGCONT sent to member[i] after it */
	int reaped_by_init[2];
	int orphaned_with_stopped; /* PS_EV_ORPHANED with value 1 seen */
};

/*
 * The event callback.  The event and its detail string are borrowed: they
 * are valid only until the callback returns, so copy what you keep.  The
 * callback runs inside the kernel path, so it must not call back into the
 * simulator.
 */
static void
on_event(const struct ps_event *ev, void *arg)
{
	struct watch *w = arg;
	char line[256];

	if (ps_event_format(ev, line, sizeof(line)) >= 0)
		printf("  %s\n", line);

	if (ev->type == PS_EV_ORPHANED && ev->value == 1)
		w->orphaned_with_stopped = 1;
	for (int i = 0; i < 2; i++) {
		if (ev->pid != w->member[i])
			continue;
		if (ev->type == PS_EV_SIGNAL_SEND && ev->sig == PS_SIGHUP && w->hup_seq[i] == 0)
			w->hup_seq[i] = ev->seq;
		if (ev->type == PS_EV_SIGNAL_SEND && ev->sig == PS_SIGCONT && w->hup_seq[i] != 0 &&
		    w->cont_seq[i] == 0)
			w->cont_seq[i] = ev->seq;
		if (ev->type == PS_EV_REAP && ev->pid2 == 1)
			w->reaped_by_init[i] = 1;
	}
}

/* Print a step and its result; a negative result is a failure. */
static int
step(const char *what, int rc)
{
	if (rc < 0) {
		printf("%s: failed: %s (%s)\n", what, ps_err_name(rc), ps_strerror(rc));
		return -1;
	}
	printf("%s -> %d\n", what, rc);
	return 0;
}

/* Is pid stopped by a signal right now? */
static int
is_stopped(ps_sim_t *sim, int32_t pid)
{
	struct ps_proc_info pi;

	return ps_proc_info(sim, pid, &pi) == 0 && (pi.flags & PS_P_STOPPED_SIG) != 0;
}

static int
run(ps_sim_t *sim, struct watch *w)
{
	struct ps_pgrp_info gi;
	struct ps_proc_info pi;
	int32_t tty, sh, cat, less;

	if (step("create ttyv0", ps_tty_new(sim, "ttyv0", &tty)) != 0 ||
	    step("init: fork the login shell", ps_fork(sim, 1, &sh)) != 0 ||
	    step("sh: exec", ps_exec(sim, sh, "sh")) != 0 ||
	    step("sh: setsid()", ps_setsid(sim, sh)) != 0 ||
	    step("sh: ioctl(TIOCSCTTY)", ps_tiocsctty(sim, sh, tty)) != 0)
		return -1;

	/* The pipeline: the shell forks both and puts them in cat's group. */
	if (step("sh: fork cat", ps_fork(sim, sh, &cat)) != 0 ||
	    step("sh: setpgid(cat, cat)", ps_setpgid(sim, sh, cat, cat)) != 0 ||
	    step("cat: exec", ps_exec(sim, cat, "cat")) != 0 ||
	    step("sh: fork less", ps_fork(sim, sh, &less)) != 0 ||
	    step("sh: setpgid(less, cat)", ps_setpgid(sim, sh, less, cat)) != 0 ||
	    step("less: exec", ps_exec(sim, less, "less")) != 0 ||
	    step("sh: tcsetpgrp(ttyv0, cat)", ps_tcsetpgrp(sim, sh, tty, cat)) != 0)
		return -1;
	w->member[0] = cat;
	w->member[1] = less;

	/* ^Z: the terminal stops its foreground group; the shell takes the
	 * terminal back. */
	if (step("SIGTSTP to the job's group", ps_kill(sim, sh, -cat, PS_SIGTSTP)) != 0 ||
	    step("sh: tcsetpgrp(ttyv0, sh)", ps_tcsetpgrp(sim, sh, tty, sh)) != 0)
		return -1;
	if (!is_stopped(sim, cat) || !is_stopped(sim, less)) {
		printf("the job did not stop\n");
		return -1;
	}
	if (ps_pgrp_info(sim, cat, &gi) != 0 || gi.pg_jobc != 2 || gi.orphaned) {
		printf("the job's group should have pg_jobc 2 and not be orphaned\n");
		return -1;
	}
	printf("job stopped: group %d has %d members, pg_jobc %d\n", gi.pgid, gi.members,
	       gi.pg_jobc);

	/* The shell exits: the job's group is orphaned with stopped members. */
	if (step("sh: _exit(0)", ps_exit(sim, sh, 0)) != 0)
		return -1;

	for (int i = 0; i < 2; i++) {
		if (w->hup_seq[i] == 0 || w->cont_seq[i] == 0) {
			printf("member %d did not get SIGHUP then SIGCONT\n", w->member[i]);
			return -1;
		}
		if (!w->reaped_by_init[i] || ps_proc_info(sim, w->member[i], &pi) != PS_ESRCH) {
			printf("member %d was not reaped by init\n", w->member[i]);
			return -1;
		}
	}
	if (!w->orphaned_with_stopped) {
		printf("no orphaned event with a stopped member\n");
		return -1;
	}
	if (ps_pgfind(sim, cat) != PS_ESRCH || ps_pgfind(sim, sh) != PS_ESRCH) {
		printf("the job's or the shell's group survived\n");
		return -1;
	}
	return 0;
}

int
main(void)
{
	struct ps_config cfg;
	struct ps_check_report rep;
	struct watch w = {{0, 0}, {0, 0}, {0, 0}, {0, 0}, 0};
	ps_sim_t *sim = NULL;
	int rc;

	ps_config_init(&cfg);
	cfg.check_every_op = 1; /* every operation fails with PS_EINVARIANT if one breaks */
	cfg.witness_strict = 1; /* ... and with PS_ELOCKORDER on a lock order reversal */
	rc = ps_sim_new(&cfg, &sim);
	if (rc != 0) {
		fprintf(stderr, "ps_sim_new: %s\n", ps_strerror(rc));
		return EXIT_FAILURE;
	}
	ps_sim_set_event_cb(sim, on_event, &w);

	rc = run(sim, &w);
	if (ps_sim_check(sim, &rep) != 0) {
		printf("invariant %s broken: %s\n", rep.invariant, rep.message);
		rc = -1;
	} else {
		printf("invariants hold (%llu conditions checked, %u groups drifting)\n",
		       (unsigned long long)rep.checks, rep.drift);
	}
	ps_sim_free(sim);
	printf("%s\n", rc == 0 ? "ok: the orphaned job was hung up, continued and reaped"
	                       : "FAILED");
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
