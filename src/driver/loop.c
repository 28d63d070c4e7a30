/*
 * The libuv driver (include/procsim/loop.h, docs/driver.md): runs a
 * simulator on a uv_loop_t, fast or paced, stopping on SIGINT.
 *
 * The driver is a thin adapter over the public execution API
 * (ps_sim_next_time, ps_sim_step, ps_sim_run_until): it holds no simulated
 * state of its own, so anything it does a program can do in its own loop.
 * It is the only part of the library that reads the real clock, and only
 * to decide how much to do per loop iteration and, when paced, how far
 * virtual time should have gone: what the simulation does never depends on
 * it.
 *
 * Handles, all initialised by ps_loop_new and closed by ps_loop_free:
 *	idle      fast mode: one batch of steps per loop iteration.
 *	tick      paced mode: one batch, then sleep until the next thing due.
 *	progress  repeating, unreferenced: the progress callback.
 *	sigint    unreferenced: SIGINT stops the run.
 * Only the handles of a RUNNING driver are active: a driver that is not
 * running costs nothing and keeps no loop alive, and the SIGINT handler is
 * not installed, so ^C behaves as usual outside a run.
 */
/* <uv.h> needs POSIX types (pthread_rwlock_t) that strict C11 hides. */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <procsim/loop.h>

#define LOOP_BATCH_DEFAULT 4096
#define LOOP_BUDGET_MS_DEFAULT 10
/*
 * Longest paced sleep.  A change made to the simulation from outside the
 * driver (a REPL command, a ps_sim_at by the program) can make something
 * due sooner than when the driver decided to sleep; it is noticed within
 * this much real time.
 */
#define LOOP_PACED_MAX_SLEEP_MS 100
/* Steps between two reads of the real clock while batching. */
#define LOOP_CLOCK_EVERY 8
#define LOOP_NHANDLES 4

struct ps_loop {
	ps_sim_t *sim;
	uv_loop_t *uv;
	struct ps_loop_options opt;
	uv_idle_t idle;
	uv_timer_t tick;
	uv_timer_t progress;
	uv_signal_t sigint;
	uint8_t state;            /* enum ps_loop_state */
	int32_t error;
	uint32_t sigints;
	int nopen;                /* Handles not yet closed. */
	uint64_t steps;
	uint64_t batches;
	uint64_t real_ns;         /* Real time of the finished RUNNING spells. */
	uint64_t run_start;       /* uv_hrtime() when the current spell began. */
	/* Paced: virtual base_virt corresponds to real base_real. */
	uint64_t base_real;
	uint64_t base_virt;
};

/* What one batch ended with. */
enum drive_result {
	DRIVE_MORE = 0,     /* Batch or time budget used up: come back. */
	DRIVE_STOPPED = 1,  /* Someone (a timer callback) stopped the run. */
	DRIVE_IDLE = 2,     /* Nothing can happen any more. */
	DRIVE_REACHED = 3,  /* The clock is at the target. */
};

void
ps_loop_options_init(struct ps_loop_options *opt)
{
	if (opt == NULL)
		return;
	memset(opt, 0, sizeof(*opt));
	opt->mode = PS_LOOP_FAST;
	opt->until = PS_TIME_NEVER;
	opt->batch = LOOP_BATCH_DEFAULT;
	opt->budget_ms = LOOP_BUDGET_MS_DEFAULT;
	opt->ratio = 1.0;
}

const char *
ps_loop_state_name(int state)
{
	static const char *const names[] = {
		[PS_LOOP_NEW] = "new",
		[PS_LOOP_RUNNING] = "running",
		[PS_LOOP_PAUSED] = "paused",
		[PS_LOOP_INTERRUPTED] = "interrupted",
		[PS_LOOP_DONE] = "done",
		[PS_LOOP_IDLE] = "idle",
		[PS_LOOP_ERROR] = "error",
	};

	if (state < 0 || (size_t)state >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[state];
}

/* Virtual time that real time `real` stands for, in paced mode. */
static uint64_t
paced_due(const struct ps_loop *l, uint64_t real)
{
	double dv = (double)(real - l->base_real) * l->opt.ratio;

	/* Saturate well below PS_TIME_NEVER rather than wrap. */
	if (!(dv < 1.0e19) || l->base_virt + (uint64_t)dv < l->base_virt)
		return PS_TIME_NEVER - 1;
	return l->base_virt + (uint64_t)dv;
}

static void
fill_status(struct ps_loop *l, struct ps_loop_status *st)
{
	uint64_t real = uv_hrtime();

	memset(st, 0, sizeof(*st));
	st->state = l->state;
	st->mode = l->opt.mode;
	st->error = l->error;
	st->sigints = l->sigints;
	st->steps = l->steps;
	st->batches = l->batches;
	st->now = ps_sim_now(l->sim);
	st->next = ps_sim_next_time(l->sim);
	st->until = l->opt.until;
	st->real_ns = l->real_ns + (l->state == PS_LOOP_RUNNING ? real - l->run_start : 0);
	if (l->opt.mode == PS_LOOP_PACED && l->state == PS_LOOP_RUNNING) {
		uint64_t due = paced_due(l, real);

		if (due > l->opt.until)
			due = l->opt.until;
		/* Behind only if something was due that has not run yet. */
		if (due > st->now && st->next <= due)
			st->lag_ns = due - (st->next > st->now ? st->next : st->now);
	}
}

static void on_idle(uv_idle_t *h);
static void on_tick(uv_timer_t *h);
static void on_sigint(uv_signal_t *h, int signum);

static void
on_progress(uv_timer_t *h)
{
	struct ps_loop *l = h->data;
	struct ps_loop_status st;

	if (l->opt.progress == NULL)
		return;
	fill_status(l, &st);
	l->opt.progress(l, &st, l->opt.arg);
}

/* Start the active handles of a run: RUNNING from here. */
static void
arm(struct ps_loop *l)
{
	l->state = PS_LOOP_RUNNING;
	l->run_start = uv_hrtime();
	if (l->opt.mode == PS_LOOP_FAST) {
		uv_idle_start(&l->idle, on_idle);
	} else {
		/*
		 * Anchor virtual time now to real time now: a run that was
		 * paused does not rush to catch up with the pause.
		 */
		l->base_real = l->run_start;
		l->base_virt = ps_sim_now(l->sim);
		uv_timer_start(&l->tick, on_tick, 0, 0);
	}
	if (l->opt.progress != NULL && l->opt.progress_ms > 0)
		uv_timer_start(&l->progress, on_progress, l->opt.progress_ms, l->opt.progress_ms);
	/*
	 * uv_signal_start installs the process-wide handler, and
	 * uv_signal_stop puts the default back when the run stops.  A run
	 * that fails to install it still runs, without ^C.
	 */
	if (l->opt.handle_sigint)
		(void)uv_signal_start(&l->sigint, on_sigint, SIGINT);
}

/* Stop every handle and account for the real time of the spell. */
static void
disarm(struct ps_loop *l)
{
	if (l->state == PS_LOOP_RUNNING)
		l->real_ns += uv_hrtime() - l->run_start;
	uv_idle_stop(&l->idle);
	uv_timer_stop(&l->tick);
	uv_timer_stop(&l->progress);
	if (l->opt.handle_sigint)
		uv_signal_stop(&l->sigint);
}

/*
 * The run stopped by itself.  The user's callback comes last: it may
 * resume the driver, and nothing here touches l after it.
 */
static void
finish(struct ps_loop *l, int state, int err)
{
	struct ps_loop_status st;

	disarm(l);
	l->state = (uint8_t)state;
	l->error = err;
	if (l->opt.on_stop != NULL) {
		fill_status(l, &st);
		l->opt.on_stop(l, &st, l->opt.arg);
	}
}

static void
on_sigint(uv_signal_t *h, int signum)
{
	struct ps_loop *l = h->data;

	(void)signum;
	l->sigints++;
	if (l->state == PS_LOOP_RUNNING)
		finish(l, PS_LOOP_INTERRUPTED, 0);
}

/*
 * One batch: steps toward target (PS_TIME_NEVER: no bound) until batch
 * steps were taken or the real clock passes deadline.  A finite target is
 * passed to ps_sim_run_until so that a CPU's slice ends at the target
 * rather than at its quantum; each call takes one step so that a timer
 * callback's ps_loop_pause() stops the run right after its step.
 */
static int
drive(struct ps_loop *l, uint64_t target, uint64_t deadline)
{
	uint64_t n, k, next;
	int r;

	for (n = 0; n < l->opt.batch; n++) {
		if (l->opt.step != NULL) {
			if ((r = l->opt.step(l->opt.arg)) < 0)
				return r;
			if (r == 0)
				return DRIVE_REACHED;
			l->steps++;
			if (l->state != PS_LOOP_RUNNING)
				return DRIVE_STOPPED;
			if ((n + 1) % LOOP_CLOCK_EVERY == 0 && uv_hrtime() >= deadline)
				return DRIVE_MORE;
			continue;
		}
		next = ps_sim_next_time(l->sim);
		if (next == PS_TIME_NEVER)
			return DRIVE_IDLE;
		if (next > target) {
			/* No step: this only sets the clock to target. */
			if (target != PS_TIME_NEVER &&
			    (r = ps_sim_run_until(l->sim, target, 1, NULL)) < 0)
				return r;
			return DRIVE_REACHED;
		}
		if (target == PS_TIME_NEVER) {
			/*
			 * Not ps_sim_run_until(PS_TIME_NEVER): it would set
			 * the clock to PS_TIME_NEVER on the way out.
			 */
			if ((r = ps_sim_step(l->sim)) < 0)
				return r;
			if (r == 0)
				return DRIVE_IDLE;
			k = 1;
		} else if ((r = ps_sim_run_until(l->sim, target, 1, &k)) < 0) {
			return r;
		}
		l->steps += k;
		if (l->state != PS_LOOP_RUNNING)
			return DRIVE_STOPPED;
		if ((n + 1) % LOOP_CLOCK_EVERY == 0 && uv_hrtime() >= deadline)
			return DRIVE_MORE;
	}
	return DRIVE_MORE;
}

/* Fast mode: a batch per loop iteration while the idle handle is active. */
static void
on_idle(uv_idle_t *h)
{
	struct ps_loop *l = h->data;
	int r;

	r = drive(l, l->opt.until, uv_hrtime() + (uint64_t)l->opt.budget_ms * 1000000u);
	l->batches++;
	if (r < 0)
		finish(l, PS_LOOP_ERROR, r);
	else if (r == DRIVE_IDLE)
		finish(l, PS_LOOP_IDLE, 0);
	else if (r == DRIVE_REACHED)
		finish(l, PS_LOOP_DONE, 0);
}

/*
 * Paced mode: catch the simulation up with real time, then sleep until
 * the next step is due (or come straight back if the batch ran out).
 */
static void
on_tick(uv_timer_t *h)
{
	struct ps_loop *l = h->data;
	uint64_t real = uv_hrtime(), target, next, wait_ns, ms;
	int r;

	target = paced_due(l, real);
	if (target > l->opt.until)
		target = l->opt.until;
	r = drive(l, target, real + (uint64_t)l->opt.budget_ms * 1000000u);
	l->batches++;
	if (r < 0) {
		finish(l, PS_LOOP_ERROR, r);
		return;
	}
	if (r == DRIVE_IDLE) {
		finish(l, PS_LOOP_IDLE, 0);
		return;
	}
	if (r == DRIVE_STOPPED || l->state != PS_LOOP_RUNNING)
		return;
	if (r == DRIVE_MORE) {
		/* Behind real time: the next loop iteration goes on. */
		uv_timer_start(&l->tick, on_tick, 0, 0);
		return;
	}
	if (target >= l->opt.until) {
		finish(l, PS_LOOP_DONE, 0);
		return;
	}
	/* Ahead of the simulation: sleep until its next step is due. */
	next = ps_sim_next_time(l->sim);
	if (next > l->opt.until)
		next = l->opt.until;
	ms = LOOP_PACED_MAX_SLEEP_MS;
	if (next != PS_TIME_NEVER && next > target) {
		double w = (double)(next - target) / l->opt.ratio;

		/* Round up: waking early would only mean sleeping again. */
		if (w < (double)LOOP_PACED_MAX_SLEEP_MS * 1e6) {
			wait_ns = (uint64_t)w + 1;
			ms = (wait_ns + 999999) / 1000000;
		}
	}
	uv_timer_start(&l->tick, on_tick, ms, 0);
}

static void
on_close(uv_handle_t *h)
{
	struct ps_loop *l = h->data;

	if (--l->nopen == 0)
		free(l);
}

int
ps_loop_new(ps_sim_t *sim, uv_loop_t *loop, const struct ps_loop_options *opt, ps_loop_t **out)
{
	struct ps_loop *l;

	if (out != NULL)
		*out = NULL;
	if (sim == NULL || loop == NULL || out == NULL)
		return PS_EINVAL;
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return PS_ENOMEM;
	if (opt != NULL)
		l->opt = *opt;
	else
		ps_loop_options_init(&l->opt);
	if (l->opt.batch == 0)
		l->opt.batch = LOOP_BATCH_DEFAULT;
	if (l->opt.budget_ms == 0)
		l->opt.budget_ms = LOOP_BUDGET_MS_DEFAULT;
	if (l->opt.ratio == 0)
		l->opt.ratio = 1.0;
	if (l->opt.mode > PS_LOOP_PACED || !(l->opt.ratio > 0) || isinf(l->opt.ratio) ||
	    (l->opt.step != NULL && l->opt.mode != PS_LOOP_FAST)) {
		free(l);
		return PS_EINVAL;
	}
	l->sim = sim;
	l->uv = loop;
	l->state = PS_LOOP_NEW;
	/*
	 * The idle and timer inits cannot fail on Unix; the signal handle's
	 * can (it opens the loop's signal pipe the first time).
	 */
	if (uv_signal_init(loop, &l->sigint) != 0) {
		free(l);
		return PS_EIO;
	}
	uv_idle_init(loop, &l->idle);
	uv_timer_init(loop, &l->tick);
	uv_timer_init(loop, &l->progress);
	l->idle.data = l->tick.data = l->progress.data = l->sigint.data = l;
	/*
	 * The progress timer and the signal handler must not keep the loop
	 * alive by themselves: uv_run returns when the run stops.
	 */
	uv_unref((uv_handle_t *)&l->progress);
	uv_unref((uv_handle_t *)&l->sigint);
	l->nopen = LOOP_NHANDLES;
	*out = l;
	return 0;
}

void
ps_loop_free(ps_loop_t *l)
{
	if (l == NULL)
		return;
	disarm(l);
	l->state = PS_LOOP_PAUSED;
	uv_close((uv_handle_t *)&l->idle, on_close);
	uv_close((uv_handle_t *)&l->tick, on_close);
	uv_close((uv_handle_t *)&l->progress, on_close);
	uv_close((uv_handle_t *)&l->sigint, on_close);
}

int
ps_loop_start(ps_loop_t *l)
{
	if (l == NULL)
		return PS_EINVAL;
	if (l->state != PS_LOOP_NEW)
		return PS_EBUSY;
	arm(l);
	return 0;
}

int
ps_loop_pause(ps_loop_t *l)
{
	if (l == NULL || l->state != PS_LOOP_RUNNING)
		return PS_EINVAL;
	disarm(l);
	l->state = PS_LOOP_PAUSED;
	return 0;
}

int
ps_loop_resume(ps_loop_t *l)
{
	if (l == NULL)
		return PS_EINVAL;
	switch (l->state) {
	case PS_LOOP_PAUSED:
	case PS_LOOP_INTERRUPTED:
	case PS_LOOP_DONE:
	case PS_LOOP_IDLE:
		arm(l);
		return 0;
	default:
		return PS_EINVAL;
	}
}

int
ps_loop_set_until(ps_loop_t *l, uint64_t until)
{
	if (l == NULL)
		return PS_EINVAL;
	l->opt.until = until;
	return 0;
}

int
ps_loop_status(ps_loop_t *l, struct ps_loop_status *out)
{
	if (l == NULL || out == NULL)
		return PS_EINVAL;
	fill_status(l, out);
	return 0;
}
