/*
 * procsim demo: the classic orphaned-process-group case, built through the
 * public API and narrated from the event stream.
 *
 *   init (1)
 *     sh (login shell): session leader, controlling terminal tty0
 *       make (job): own group, stopped by SIGTSTP
 *         cc (make's child): same group, stopped too
 *
 * The shell exits.  As session leader it hangs up the terminal's
 * foreground group (its own), then leaving its group removes the job's
 * only qualification: the job's group is orphaned with stopped members, so
 * every member gets SIGHUP then SIGCONT (spec-kern_proc.md §4.6, Example
 * B).  Continued, they die of the SIGHUP; init inherits and reaps them.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct demo {
	ps_sim_t *sim;
	bool quiet;
	int failures;
};

static const char *
sig(int s)
{
	const char *n = ps_signal_name(s);
	return n != NULL ? n : "?";
}

void
describe_event(const struct ps_event *ev, char *buf, size_t len)
{
	const char *d = ev->detail != NULL ? ev->detail : "";

	switch (ev->type) {
	case PS_EV_FORK:
		snprintf(buf, len, "fork        %d forked %d", ev->pid, ev->pid2);
		break;
	case PS_EV_EXEC:
		snprintf(buf, len, "exec        %d now runs %s", ev->pid, d);
		break;
	case PS_EV_SETSID:
		snprintf(buf, len, "setsid      %d leads new session %d", ev->pid, ev->value);
		break;
	case PS_EV_SETPGID:
		snprintf(buf, len, "setpgid     %d moved to group %d", ev->pid, ev->value);
		break;
	case PS_EV_PGRP_CREATE:
		snprintf(buf, len, "pgrp        group %d created in session %d", ev->pgid, ev->sid);
		break;
	case PS_EV_PGRP_DELETE:
		snprintf(buf, len, "pgrp        group %d deleted", ev->pgid);
		break;
	case PS_EV_SESSION_CREATE:
		snprintf(buf, len, "session     session %d created", ev->value);
		break;
	case PS_EV_SESSION_FREE:
		snprintf(buf, len, "session     session %d freed", ev->value);
		break;
	case PS_EV_JOBC:
		snprintf(buf, len, "jobc        group %d pg_jobc %s -> %d", ev->pgid, d, ev->value);
		break;
	case PS_EV_ORPHANED:
		snprintf(buf, len, "orphaned    group %d is orphaned: %s", ev->pgid, d);
		break;
	case PS_EV_SIGNAL_SEND:
		if (ev->pid2 != 0)
			snprintf(buf, len, "signal      %s to %d from %d", sig(ev->sig), ev->pid, ev->pid2);
		else
			snprintf(buf, len, "signal      %s to %d from the kernel", sig(ev->sig), ev->pid);
		break;
	case PS_EV_SIGNAL_DELIVER:
		snprintf(buf, len, "deliver     %s to %d: %s", sig(ev->sig), ev->pid, d);
		break;
	case PS_EV_SIGNAL_DISCARD:
		snprintf(buf, len, "discard     %s to %d: %s", sig(ev->sig), ev->pid, d);
		break;
	case PS_EV_STOP:
		snprintf(buf, len, "stop        %d stopped by %s", ev->pid, sig(ev->sig));
		break;
	case PS_EV_CONTINUE:
		snprintf(buf, len, "continue    %d continued (%s)", ev->pid, sig(ev->sig));
		break;
	case PS_EV_EXIT:
		snprintf(buf, len, "exit        %d exited, status %#x, parent %d", ev->pid, ev->value,
		         ev->pid2);
		break;
	case PS_EV_REAP:
		snprintf(buf, len, "reap        %d reaped by %s%d", ev->pid, ev->pid2 == 1 ? "init " : "",
		         ev->pid2);
		break;
	case PS_EV_REPARENT:
		snprintf(buf, len, "reparent    %d now a child of %s%d", ev->pid,
		         ev->pid2 == 1 ? "init " : "", ev->pid2);
		break;
	case PS_EV_CTTY:
		snprintf(buf, len, "ctty        %d took %s as controlling terminal", ev->pid, d);
		break;
	case PS_EV_TCSETPGRP:
		snprintf(buf, len, "tcsetpgrp   %s foreground group is %d", d, ev->value);
		break;
	case PS_EV_REVOKE:
		snprintf(buf, len, "revoke      %s revoked", d);
		break;
	default:
		ps_event_format(ev, buf, len);
		break;
	}
}

static void
on_event(const struct ps_event *ev, void *arg)
{
	struct demo *d = arg;
	char line[200];

	if (d->quiet || ev->type == PS_EV_WAIT)
		return;
	describe_event(ev, line, sizeof(line));
	printf("  %4llu  %s\n", (unsigned long long)ev->seq, line);
}

static void
step(struct demo *d, const char *what, int rc)
{
	struct ps_check_report rep;

	if (!d->quiet)
		printf("%s -> %d%s%s\n", what, rc, rc < 0 ? " " : "", rc < 0 ? ps_err_name(rc) : "");
	if (ps_sim_check(d->sim, &rep) != 0) {
		printf("invariant %s broken: %s\n", rep.invariant, rep.message);
		d->failures++;
	}
}

static void
show_tree(struct demo *d)
{
	int32_t pids[64];
	size_t n = 0;
	struct ps_proc_info pi;
	static const char *const states[] = {"new", "run", "zombie"};

	ps_proc_list(d->sim, pids, 64, &n);
	printf("  %5s %5s %5s %5s %5s %-8s %-10s %s\n", "PID", "PPID", "PGID", "SID", "JOBC", "STATE",
	       "FLAGS", "COMM");
	for (size_t i = 0; i < n && i < 64; i++) {
		if (ps_proc_info(d->sim, pids[i], &pi) != 0)
			continue;
		printf("  %5d %5d %5d %5d %5d %-8s %-10s %s\n", pi.pid, pi.ppid, pi.pgid, pi.sid,
		       pi.pg_jobc,
		       (pi.flags & PS_P_STOPPED_SIG) ? "stopped" : states[pi.state],
		       pi.session_leader ? "leader" : (pi.orphaned ? "orphaned" : "-"), pi.comm);
	}
}

static int
run_demo(struct demo *d)
{
	int32_t sh, make, cc, tty;
	ps_sim_t *sim = d->sim;
	char what[96];

	ps_tty_new(sim, "tty0", &tty);
	printf("== building the tree\n");
	step(d, "init forks the login shell", ps_fork(sim, 1, &sh));
	step(d, "sh: exec", ps_exec(sim, sh, "sh"));
	step(d, "sh: setsid()", ps_setsid(sim, sh));
	step(d, "sh: ioctl(TIOCSCTTY, tty0)", ps_tiocsctty(sim, sh, tty));
	step(d, "sh forks the job", ps_fork(sim, sh, &make));
	snprintf(what, sizeof(what), "sh: setpgid(%d, %d)", make, make);
	step(d, what, ps_setpgid(sim, sh, make, make));
	step(d, "make: exec", ps_exec(sim, make, "make"));
	step(d, "make forks cc", ps_fork(sim, make, &cc));
	step(d, "cc: exec", ps_exec(sim, cc, "cc"));
	printf("\n== the job is stopped (^Z)\n");
	snprintf(what, sizeof(what), "sh: kill(-%d, SIGTSTP)", make);
	step(d, what, ps_kill(sim, sh, -make, PS_SIGTSTP));
	show_tree(d);
	printf("\n== the shell exits\n");
	step(d, "sh: _exit(0)", ps_exit(sim, sh, 0));
	printf("\n== afterwards\n");
	show_tree(d);
	return 0;
}

int
cmd_demo(int argc, char **argv)
{
	struct ps_config cfg;
	struct ps_check_report rep;
	struct demo d = {0};
	int rc;

	ps_config_init(&cfg);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dragonfly") == 0) {
			cfg.jobc_algo = PS_JOBC_DRAGONFLY;
		} else if (strcmp(argv[i], "--quiet") == 0) {
			d.quiet = true;
		} else {
			fprintf(stderr, "procsim demo: unknown option '%s'\n", argv[i]);
			return EXIT_USAGE;
		}
	}
	rc = ps_sim_new(&cfg, &d.sim);
	if (rc != 0) {
		fprintf(stderr, "procsim: cannot create the simulator: %s\n", ps_strerror(rc));
		return EXIT_FAILED;
	}
	ps_sim_set_event_cb(d.sim, on_event, &d);
	run_demo(&d);
	if (ps_sim_check(d.sim, &rep) != 0)
		d.failures++;
	printf("\ninvariants: %s (%llu conditions checked in the last pass)\n",
	       d.failures == 0 ? "all held after every step" : "BROKEN",
	       (unsigned long long)rep.checks);
	ps_sim_free(d.sim);
	return d.failures == 0 ? EXIT_OK : EXIT_FAILED;
}
