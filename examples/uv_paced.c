/*
 * uv_paced: the libuv driver in paced mode.
 *
 * A simulated program forks three children; child i sleeps i * 20 ms of
 * virtual time (nanosleep), burns 100 000 cycles and exits with status i;
 * the parent waits for all three and exits.  The driver runs it on a libuv
 * loop with virtual time paced at half the speed of real time (ratio 0.5:
 * half a virtual nanosecond per real one), so the run's 60-odd virtual
 * milliseconds take about 120 ms of real time, and each event is printed
 * with both clocks.  A progress callback prints a status line every 25 ms
 * of real time, and ^C (SIGINT) stops the run.
 *
 * At the end the program checks that pacing held: the real time the run
 * took is at least the virtual time divided by the ratio (the driver never
 * runs ahead of real time), and prints "paced: ok".  Exit status 0 when the
 * run went idle with everything reaped and the pacing held, 1 otherwise.
 *
 * Build: CMake builds it as example_uv_paced; by hand, against a build in
 * build/:
 *   cc -std=c11 -Iinclude examples/uv_paced.c -Lbuild -lprocsim -luv \
 *      -Wl,-rpath,build
 */
/* <uv.h> needs POSIX types (pthread_rwlock_t) that strict C11 hides. */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <procsim/loop.h>
#include <procsim/procsim.h>

#define RATIO 0.5

static const char program[] =
    "start:\n"
    "  li r6, 3\n"                 /* children still to fork */
    "spawn:\n"
    "  sys fork\n"
    "  bnez r0, parent\n"
    "  mul r1, r6, 20000000\n"     /* child: sleep r6 * 20 ms */
    "  sys nanosleep r1\n"
    "  work 100000\n"
    "  sys exit r6\n"
    "parent:\n"
    "  sub r6, r6, 1\n"
    "  bnez r6, spawn\n"
    "  li r7, 3\n"                 /* children still to reap */
    "reap:\n"
    "  sys wait4 -1, 0, 0, 0\n"
    "  sub r7, r7, 1\n"
    "  bnez r7, reap\n"
    "  sys exit 0\n";

struct app {
	uint64_t real0;      /* uv_hrtime() at the start */
	int forks, exits, waits;
};

/*
 * Events arrive from inside the driver's steps.  The callback may not call
 * into the simulator; it only prints.  The real time shown is how far into
 * the run the step that made the event was taken.
 */
static void
on_event(const struct ps_event *ev, void *arg)
{
	struct app *app = arg;
	char line[256];

	switch (ev->type) {
	case PS_EV_FORK:
		/* Not init's fork that ps_spawn makes: the program's own. */
		if (ev->pid != 1)
			app->forks++;
		break;
	case PS_EV_EXIT:
		app->exits++;
		break;
	case PS_EV_WAIT:
		app->waits++;
		break;
	default:
		/* Print only the process-lifecycle events; the rest is noise here. */
		if (ev->type != PS_EV_SLEEP && ev->type != PS_EV_WAKEUP && ev->type != PS_EV_REAP)
			return;
	}
	if (ps_event_format(ev, line, sizeof(line)) < 0)
		return;
	printf("virtual %7.3f ms  real %7.3f ms  %s\n", (double)ev->time / 1e6,
	       (double)(uv_hrtime() - app->real0) / 1e6, line);
}

static void
on_progress(ps_loop_t *loop, const struct ps_loop_status *st, void *arg)
{
	(void)loop;
	(void)arg;
	printf("progress: %s, virtual %.3f ms, %" PRIu64 " steps, lag %.3f ms\n",
	       ps_loop_state_name(st->state), (double)st->now / 1e6, st->steps,
	       (double)st->lag_ns / 1e6);
}

static void
on_stop(ps_loop_t *loop, const struct ps_loop_status *st, void *arg)
{
	(void)loop;
	(void)arg;
	printf("stopped: %s at virtual %.3f ms after %.3f ms real, %" PRIu64 " steps in %" PRIu64
	       " batches\n",
	       ps_loop_state_name(st->state), (double)st->now / 1e6, (double)st->real_ns / 1e6,
	       st->steps, st->batches);
}

int
main(void)
{
	struct ps_config cfg;
	struct ps_loop_options opt;
	struct ps_loop_status st;
	struct ps_asm_error aerr;
	struct app app = { 0 };
	ps_sim_t *sim;
	ps_loop_t *drv;
	uv_loop_t uv;
	int32_t pid;
	int rc, ok;

	ps_config_init(&cfg);
	if (ps_sim_new(&cfg, &sim) != 0)
		return 1;
	ps_sim_set_event_cb(sim, on_event, &app);
	if ((rc = ps_program_add(sim, "forker", program, &aerr)) != 0) {
		fprintf(stderr, "assembly: line %d column %d: %s\n", aerr.line, aerr.column,
		        aerr.message);
		return 1;
	}
	app.real0 = uv_hrtime();
	/* init is its parent: when it exits, init reaps it. */
	if ((rc = ps_spawn(sim, 1, "forker", NULL, NULL, &pid)) != 0) {
		fprintf(stderr, "spawn: %s\n", ps_strerror(rc));
		return 1;
	}
	printf("spawned forker as pid %d; pacing at %.2f virtual ns per real ns\n", (int)pid,
	       RATIO);

	if (uv_loop_init(&uv) != 0)
		return 1;
	ps_loop_options_init(&opt);
	opt.mode = PS_LOOP_PACED;
	opt.ratio = RATIO;
	opt.handle_sigint = 1;
	opt.progress_ms = 25;
	opt.progress = on_progress;
	opt.on_stop = on_stop;
	if ((rc = ps_loop_new(sim, &uv, &opt, &drv)) != 0) {
		fprintf(stderr, "ps_loop_new: %s\n", ps_strerror(rc));
		return 1;
	}
	ps_loop_start(drv);
	/* Returns when the run stops: the driver's handles were all it had. */
	uv_run(&uv, UV_RUN_DEFAULT);
	ps_loop_status(drv, &st);

	ok = st.state == PS_LOOP_IDLE && app.forks == 3 && app.exits == 4 && app.waits >= 3;
	/* The driver must never run ahead of real time. */
	if ((double)st.real_ns * RATIO + 1e6 >= (double)st.now) {
		printf("paced: ok (%.3f ms virtual in %.3f ms real, ratio %.2f)\n",
		       (double)st.now / 1e6, (double)st.real_ns / 1e6,
		       (double)st.now / (double)st.real_ns);
	} else {
		printf("paced: ran ahead of real time (%.3f ms virtual in %.3f ms real)\n",
		       (double)st.now / 1e6, (double)st.real_ns / 1e6);
		ok = 0;
	}
	printf("%d forks, %d exits, %d waits: %s\n", app.forks, app.exits, app.waits,
	       ok ? "ok" : "FAILED");

	ps_loop_free(drv);
	uv_run(&uv, UV_RUN_DEFAULT);   /* the handles' close callbacks */
	uv_loop_close(&uv);
	ps_sim_free(sim);
	return ok ? 0 : 1;
}
