/*
 * embed: run a procsim scenario from a program of one's own, against an
 * installed libprocsim (CMake: find_package(procsim), target
 * procsim::procsim).
 *
 *   procsim_embed FILE.json
 *
 * It does what `procsim run FILE --trace text` does, with the public API
 * only (<procsim/scenario.h>, <procsim/trace.h>):
 *
 *   1. ps_scenario_load_file() reads and checks the scenario; a bad one
 *      gives one line naming the file and the JSON path (or line:column);
 *   2. ps_trace_open() makes a text trace writer on stdout, installed as
 *      the run's event callback (ps_trace_event has the signature of a
 *      ps_event_cb); the on_run callback gives it the run's process names
 *      (ps_scenario_pid_name) before the first event;
 *   3. ps_scenario_start() builds the machine, ps_scenario_advance() runs
 *      it in batches of steps (a program of one's own could do other work
 *      between two batches, or stop early), ps_scenario_finish() judges
 *      the expectations;
 *   4. on failure, ps_scenario_report() writes the report to stderr: first
 *      the command that replays the run, then each failed expectation.
 *
 * Exit status, as procsim run: 0 every expectation held, 1 one failed,
 * 2 bad usage or a bad scenario.
 */
#include <stdio.h>
#include <stdlib.h>

#include <procsim/procsim.h>
#include <procsim/scenario.h>
#include <procsim/trace.h>

/* Called once, with the new run, before its first event. */
static void
on_run(ps_scenario_run_t *run, void *arg)
{
	ps_trace_t *tr = arg;

	ps_trace_set_namer(tr, ps_scenario_pid_name, run);
}

int
main(int argc, char **argv)
{
	struct ps_scenario_options opt;
	ps_scenario_t *sc = NULL;
	ps_scenario_run_t *run = NULL;
	ps_trace_t *tr = NULL;
	char err[1024];
	uint32_t passed = 0;
	int r, rc, done = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE.json\n", argv[0]);
		return 2;
	}

	/* 1. Load: every error names the file and where in it. */
	r = ps_scenario_load_file(argv[1], &sc, err, sizeof(err));
	if (r != 0) {
		fprintf(stderr, "%s: %s\n", argv[0], err);
		return 2;
	}

	/* 2. A text trace on stdout, fed with every event of the run. */
	if (ps_trace_open(PS_TRACE_TEXT, stdout, 0, &tr) != 0) {
		fprintf(stderr, "%s: cannot open the trace writer\n", argv[0]);
		ps_scenario_free(sc);
		return 2;
	}
	ps_scenario_options_init(&opt);
	opt.on_event = ps_trace_event;
	opt.on_run = on_run;
	opt.arg = tr;

	/* 3. Build the machine, then run it.  A program that does not assemble,
	 * or a process that cannot be created, is an error of the scenario
	 * (the trace may already show the processes created before it). */
	r = ps_scenario_start(sc, &opt, &run, err, sizeof(err));
	if (r != 0) {
		if (r == PS_EINVAL)
			fprintf(stderr, "%s: %s\n", argv[0], err);
		else
			fprintf(stderr, "%s: %s: cannot start: %s\n", argv[0], argv[1],
			        ps_strerror(r));
		ps_trace_close(tr, NULL);
		ps_scenario_free(sc);
		return 2;
	}
	while (!done) {
		r = ps_scenario_advance(run, 100000, &done);
		if (r != 0) {
			fprintf(stderr, "%s: the run failed: %s\n", argv[0], ps_strerror(r));
			break;
		}
	}
	rc = ps_scenario_finish(run) == 0 ? 0 : 1;
	if (ps_trace_close(tr, ps_scenario_sim(run)) != 0) {
		fprintf(stderr, "%s: writing the trace failed\n", argv[0]);
		rc = 2;
	}
	fflush(stdout);

	/* 4. The verdict.  The report's first line replays the run with the
	 * procsim tool: "procsim run FILE --seed N --cpus N ...". */
	ps_scenario_counts(run, &passed, NULL);
	if (rc == 1)
		ps_scenario_report(run, stderr, "procsim");
	else if (rc == 0)
		fprintf(stderr, "%s: %s: %u expectation%s held, %llu events, trace hash %016llx\n",
		        argv[0], argv[1], passed, passed == 1 ? "" : "s",
		        (unsigned long long)ps_scenario_events(run),
		        (unsigned long long)ps_scenario_trace_hash(run));
	ps_scenario_run_free(run);
	ps_scenario_free(sc);
	return rc;
}
