/*
 * procsim repl FILE: explore a scenario interactively (docs/repl.md).
 *
 * A session is a scenario and a position in its run.  The scenario is the
 * file as loaded plus the actions injected with `do`, each at the virtual
 * time it was injected; the position is the number of instruction steps
 * (ps_scenario_step) taken from the start.  Both are plain data, and a run
 * is a pure function of them, so going back is starting afresh and
 * stepping to an earlier position, and `save` writes the session as a
 * scenario that `procsim run` replays to the same end.
 *
 * An injected action is not done to the live run: it becomes an event of
 * the scenario at the time it was asked for, and the run is rebuilt with
 * it from the start, so that what the REPL shows is exactly what the
 * saved scenario does.  The time chosen is the earliest at which a timer
 * fires after everything already seen (every CPU's own clock, which runs
 * ahead of the kernel's between two kernel actions), so the replayed
 * history up to the present is the one that was seen; the REPL checks
 * that it is (same events, same trace hash) and says so if not.
 *
 * Moving forward goes through the libuv driver with a step function of
 * ours, so that Ctrl-C stops a long `run` (or a long replay) and leaves
 * the REPL at a well-defined position.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <procsim/loop.h>

#include "cli.h"
#include "repl.h"

#define MAX_ARGS 16
#define SHOW_MAX 200          /* Events printed by one command at most. */

/* An event seen, for `trace` and `back to`. */
struct rec {
	struct ps_event ev;
	uint64_t unit;            /* The step (1-based) it happened in. */
	char *detail;             /* Owned copy of ev.detail. */
};

enum bp_kind {
	BP_ORPHAN, BP_EXIT, BP_SIGNAL, BP_SYSCALL, BP_PID, BP_TIME, BP_EVENT, BP_PTRACE,
	BP_TRACESTOP,
};

struct bp {
	int id;                   /* 0: a `run until` condition. */
	enum bp_kind kind;
	int32_t num;              /* Signal, pid, event type. */
	char name[32];            /* System call. */
	uint64_t t;
	char text[96];            /* As the user wrote it. */
};

struct inject {
	json_t *action;           /* The event, with "at". */
	uint64_t at;
	char *text;               /* The command as typed. */
	int fired;
	int32_t result;
	uint64_t unit;            /* The step it fired in. */
	/* A ptrace action: the request's value, from its `ptrace` event (the
	 * action's result is 0 or the error; the value is the event's). */
	bool has_value;
	uint32_t value;
	bool word;                /* PT_READ_I/D: the value is a word (shown in hex too). */
};

/* What a move is for, and why it stopped. */
struct goal {
	uint64_t units;           /* Steps to take at most (0: no limit). */
	uint64_t events;          /* Stop after this many shown events (0: no limit). */
	long action;              /* Stop once this "events" entry fired (-1: none). */
	bool breaks;              /* Breakpoints stop it. */
	const struct bp *until;   /* `run until`. */
	/* Outcome. */
	uint64_t taken, seen;
	bool met;                 /* The goal was reached. */
	char why[256];            /* A breakpoint or pause that stopped it. */
};

struct session {
	const char *path;
	json_t *doc;
	size_t nbase;             /* Entries of the file's own "events". */
	uint64_t *pauses;         /* Times of its `pause` events. */
	size_t npauses;
	struct inject *inj;
	size_t ninj;
	struct ps_scenario_options opt;
	ps_scenario_t *sc;
	ps_scenario_run_t *run;
	uint64_t units;
	bool done, judged;
	struct rec *recs;
	size_t nrecs, caprecs;
	bool quiet, verbose;
	size_t shown, suppressed;
	struct bp *bps;
	size_t nbps;
	int next_bp;
	struct goal *goal;
	uint64_t last_due;        /* When the last step was due. */
	bool cpu_stepped;         /* A CPU (not a timer) made a step, */
	uint64_t cpu_due;         /* the last one due then. */
	ps_loop_t *loop;
	uv_loop_t uv;
	struct repl_line *line;
	FILE *out;
	int errors;               /* Commands that failed. */
};

/* --- output --- */

static void say(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
say(struct session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(s->out, fmt, ap);
	va_end(ap);
}

/* An error of a command: one line, and the session goes on. */
static int
fail(struct session *s, const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", s->out);
	va_start(ap, fmt);
	vfprintf(s->out, fmt, ap);
	va_end(ap);
	fputc('\n', s->out);
	s->errors++;
	return -1;
}

static const char *
fmt_time(uint64_t t, char *buf, size_t len)
{
	if (t == PS_TIME_NEVER)
		snprintf(buf, len, "never");
	else
		snprintf(buf, len, "%" PRIu64 ".%09" PRIu64, t / 1000000000u, t % 1000000000u);
	return buf;
}

static ps_sim_t *
sim_of(struct session *s)
{
	return ps_scenario_sim(s->run);
}

static void
print_event(struct session *s, const struct ps_event *ev)
{
	char line[512];

	ps_trace_format_text(ev, ps_scenario_pid_name, s->run, line, sizeof(line));
	say(s, "%s\n", line);
}

/* --- events and stops --- */

static bool
shown_type(const struct session *s, uint32_t type)
{
	return s->verbose || !ps_event_verbose(type);
}

static bool
bp_matches(const struct bp *b, const struct ps_event *ev)
{
	switch (b->kind) {
	case BP_ORPHAN:
		return ev->type == PS_EV_ORPHANED;
	case BP_EXIT:
		return ev->type == PS_EV_EXIT && (b->num == 0 || ev->pid == b->num);
	case BP_SIGNAL:
		return ev->type == PS_EV_SIGNAL_SEND && (b->num == 0 || ev->sig == b->num);
	case BP_SYSCALL:
		return ev->type == PS_EV_SYSCALL && ev->detail != NULL &&
		       strcmp(ev->detail, b->name) == 0;
	case BP_PID:
		return ev->pid == b->num || ev->pid2 == b->num;
	case BP_EVENT:
		return ev->type == (uint32_t)b->num;
	case BP_PTRACE:
		/* A request made by P, or made of P (pid2 is the pid argument). */
		return ev->type == PS_EV_PTRACE &&
		       (b->num == 0 || ev->pid == b->num || ev->pid2 == b->num);
	case BP_TRACESTOP:
		return ev->type == PS_EV_STOP && ev->detail != NULL &&
		       strcmp(ev->detail, "trace") == 0 && (b->num == 0 || ev->pid == b->num);
	case BP_TIME:
		return false;
	}
	return false;
}

static void
stop_for(struct session *s, const struct bp *b, const struct ps_event *ev)
{
	struct goal *g = s->goal;
	char line[400];

	if (g == NULL || g->why[0] != '\0')
		return;
	if (ev != NULL) {
		ps_trace_format_text(ev, ps_scenario_pid_name, s->run, line, sizeof(line));
		if (b->id != 0)
			snprintf(g->why, sizeof(g->why), "breakpoint %d (%s): #%" PRIu64, b->id,
			         b->text, ev->seq);
		else
			snprintf(g->why, sizeof(g->why), "reached %s: #%" PRIu64, b->text, ev->seq);
	} else {
		/* A time: stopped before the first step due at or after it. */
		char t[32];

		fmt_time(ps_sim_next_time(sim_of(s)), t, sizeof(t));
		if (b->id != 0)
			snprintf(g->why, sizeof(g->why), "breakpoint %d (%s): the next step is at %s",
			         b->id, b->text, t);
		else
			snprintf(g->why, sizeof(g->why), "reached %s: the next step is at %s", b->text,
			         t);
	}
	if (s->loop != NULL)
		ps_loop_pause(s->loop);
}

static void
on_event(const struct ps_event *ev, void *arg)
{
	struct session *s = arg;
	struct goal *g = s->goal;
	struct rec *r;

	if (s->nrecs == s->caprecs) {
		size_t ncap = s->caprecs != 0 ? s->caprecs * 2 : 256;
		void *p = realloc(s->recs, ncap * sizeof(*s->recs));

		if (p == NULL)
			return;
		s->recs = p;
		s->caprecs = ncap;
	}
	r = &s->recs[s->nrecs++];
	r->ev = *ev;
	r->unit = s->units + 1;
	r->detail = ev->detail != NULL ? strdup(ev->detail) : NULL;
	r->ev.detail = r->detail;
	if (s->quiet || g == NULL)
		return;
	if (shown_type(s, ev->type)) {
		g->seen++;
		if (s->shown < SHOW_MAX) {
			print_event(s, ev);
			s->shown++;
		} else {
			s->suppressed++;
		}
	}
	if (ev->type == PS_EV_TIMER) {
		for (size_t i = 0; i < s->npauses; i++)
			if (s->pauses[i] == ev->time && g->breaks && g->why[0] == '\0') {
				char t[32];

				snprintf(g->why, sizeof(g->why), "the scenario's pause at %s",
				         fmt_time(ev->time, t, sizeof(t)));
				if (s->loop != NULL)
					ps_loop_pause(s->loop);
			}
	}
	if (g->breaks)
		for (size_t i = 0; i < s->nbps; i++)
			if (bp_matches(&s->bps[i], ev))
				stop_for(s, &s->bps[i], ev);
	if (g->until != NULL && bp_matches(g->until, ev))
		stop_for(s, g->until, ev);
}

static void
on_run(ps_scenario_run_t *run, void *arg)
{
	struct session *s = arg;

	s->run = run;
}

/* A time breakpoint is crossed when the next step is due at or after it
 * and the last one was due before it. */
static bool
time_crossed(const struct session *s, const struct bp *b, uint64_t next)
{
	return b->kind == BP_TIME && next != PS_TIME_NEVER && next >= b->t && s->last_due < b->t;
}

/*
 * The value of ptrace action inj, which succeeded in the step just taken:
 * the value of its `ptrace` event, the first after *from of this step made
 * by its tracer with its request.
 */
static void
ptrace_value(struct session *s, struct inject *inj, size_t *from)
{
	const char *by = json_string_value(json_object_get(inj->action, "by"));
	json_t *rq = json_object_get(inj->action, "request");
	int req = json_is_integer(rq) ? (int)json_integer_value(rq)
	                              : ps_ptrace_request_number(json_string_value(rq));
	const char *name = ps_ptrace_request_name(req);
	char buf[24];
	int32_t pids[64];
	size_t n = 0;

	inj->has_value = false;
	if (inj->result != 0 || by == NULL ||
	    ps_scenario_resolve(s->run, by, pids, 64, &n) != 0)
		return;
	if (name == NULL) {
		snprintf(buf, sizeof(buf), "request %d", req);
		name = buf;
	}
	for (size_t r = *from; r < s->nrecs; r++) {
		const struct ps_event *ev = &s->recs[r].ev;

		if (ev->type != PS_EV_PTRACE || ev->detail == NULL || strcmp(ev->detail, name) != 0)
			continue;
		for (size_t k = 0; k < n && k < 64; k++)
			if (pids[k] == ev->pid) {
				inj->has_value = true;
				inj->value = (uint32_t)ev->value;
				inj->word = req == PS_PT_READ_I || req == PS_PT_READ_D;
				*from = r + 1;
				return;
			}
	}
}

static bool
is_ptrace(const struct inject *inj)
{
	const char *kind = json_string_value(json_object_get(inj->action, "do"));

	return kind != NULL && strcmp(kind, "ptrace") == 0;
}

/* Injected actions that fired in the step just taken: when, and with what. */
static void
note_fired(struct session *s)
{
	size_t from = s->nrecs;

	/* The events of this step, for the values of ptrace requests. */
	while (from > 0 && s->recs[from - 1].unit == s->units)
		from--;
	for (size_t i = 0; i < s->ninj; i++) {
		int fired = 0;

		if (s->inj[i].fired)
			continue;
		ps_scenario_action_result(s->run, s->nbase + i, &fired, &s->inj[i].result);
		if (fired) {
			s->inj[i].fired = 1;
			s->inj[i].unit = s->units;
			if (is_ptrace(&s->inj[i]))
				ptrace_value(s, &s->inj[i], &from);
		}
	}
}

/* "=> 0", "=> 3" (a thread count), "=> 113 (0x71)" (a word read), "=>
 * EBUSY (device busy)": what an injected action returned. */
static void
say_result(struct session *s, const struct inject *inj, int32_t result, bool brief)
{
	if (result < 0 && brief)
		say(s, "=> %s\n", ps_err_name(result));
	else if (result < 0)
		say(s, "=> %s (%s)\n", ps_err_name(result), ps_strerror(result));
	else if (inj->has_value && inj->word)
		say(s, "=> %u (0x%x)\n", (unsigned)inj->value, (unsigned)inj->value);
	else if (inj->has_value)
		say(s, "=> %u\n", (unsigned)inj->value);
	else
		say(s, "=> %d\n", result);
}

/* One step of a move: the driver's step function. */
static int
move_step(void *arg)
{
	struct session *s = arg;
	struct goal *g = s->goal;
	struct ps_sched_stats st;
	uint64_t next, timers;
	int done = 0, r;

	if (g->units != 0 && g->taken >= g->units) {
		g->met = true;
		return 0;
	}
	next = ps_sim_next_time(sim_of(s));
	if (next > ps_scenario_until(s->run))
		next = PS_TIME_NEVER;
	if (g->breaks)
		for (size_t i = 0; i < s->nbps; i++)
			if (time_crossed(s, &s->bps[i], next)) {
				s->last_due = next;
				stop_for(s, &s->bps[i], NULL);
				return 1;
			}
	if (g->until != NULL && time_crossed(s, g->until, next)) {
		s->last_due = next;
		stop_for(s, g->until, NULL);
		return 1;
	}
	if (g->why[0] != '\0')
		return 1;
	if (ps_sched_stats(sim_of(s), &st) != 0)
		st.timers_fired = 0;
	timers = st.timers_fired;
	r = ps_scenario_step(s->run, &done);
	if (r < 0)
		return r;
	if (r > 0) {
		s->units++;
		g->taken++;
		if (next != PS_TIME_NEVER)
			s->last_due = next;
		if (next != PS_TIME_NEVER && ps_sched_stats(sim_of(s), &st) == 0 &&
		    st.timers_fired == timers) {
			s->cpu_stepped = true;
			s->cpu_due = next;
		}
		note_fired(s);
	}
	if (done)
		s->done = true;
	if (r == 0)
		return 0;
	if (g->events != 0 && g->seen >= g->events)
		g->met = true;
	if (g->action >= 0) {
		int fired = 0;

		ps_scenario_action_result(s->run, (size_t)g->action, &fired, NULL);
		if (fired)
			g->met = true;
	}
	if (g->met) {
		ps_loop_pause(s->loop);
		return 1;
	}
	return done ? 0 : 1;
}

/*
 * Move toward g.  Returns 0, or -1 after an error message; *interrupted
 * says whether Ctrl-C stopped it.
 */
static int
move(struct session *s, struct goal *g, bool *interrupted)
{
	struct ps_loop_options lo;
	struct ps_loop_status st;
	int r;

	*interrupted = false;
	if (s->done)
		return 0;
	ps_loop_options_init(&lo);
	lo.step = move_step;
	lo.arg = s;
	lo.handle_sigint = 1;
	lo.batch = 4096;
	lo.budget_ms = 20;
	if ((r = ps_loop_new(sim_of(s), &s->uv, &lo, &s->loop)) != 0)
		return fail(s, "cannot run the simulator's loop: %s", ps_strerror(r));
	s->goal = g;
	s->shown = s->suppressed = 0;
	ps_loop_start(s->loop);
	uv_run(&s->uv, UV_RUN_DEFAULT);
	ps_loop_status(s->loop, &st);
	ps_loop_free(s->loop);
	s->loop = NULL;
	uv_run(&s->uv, UV_RUN_DEFAULT);
	s->goal = NULL;
	if (s->line != NULL)
		repl_line_sigint(s->line);
	if (s->suppressed != 0 && !s->quiet)
		say(s, "... %zu more events (trace %zu shows them)\n", s->suppressed,
		    s->suppressed + s->shown);
	if (st.state == PS_LOOP_INTERRUPTED)
		*interrupted = true;
	if (st.state == PS_LOOP_ERROR)
		return fail(s, "the simulation failed: %s", ps_strerror(st.error));
	return 0;
}

/* --- building runs --- */

static void
recs_clear(struct session *s)
{
	for (size_t i = 0; i < s->nrecs; i++)
		free(s->recs[i].detail);
	s->nrecs = 0;
}

/* Remove the "expect_..." keys of a ptrace action. */
static void
drop_checks(json_t *a)
{
	const char *key;
	json_t *v;
	void *tmp;

	json_object_foreach_safe(a, tmp, key, v) {
		(void)v;
		if (strncmp(key, "expect_", 7) == 0)
			json_object_del(a, key);
	}
}

static bool
has_checks(json_t *a)
{
	const char *key;
	json_t *v;

	json_object_foreach(a, key, v) {
		(void)v;
		if (strncmp(key, "expect_", 7) == 0)
			return true;
	}
	return false;
}

/* The scenario with the injections, as JSON text (malloc'd). */
static json_t *
session_doc(const struct session *s, bool final)
{
	json_t *doc = json_deep_copy(s->doc);
	json_t *events;

	if (doc == NULL)
		return NULL;
	events = json_object_get(doc, "events");
	if (events == NULL) {
		events = json_array();
		json_object_set_new(doc, "events", events);
	}
	for (size_t i = 0; i < s->ninj; i++) {
		json_t *a = json_deep_copy(s->inj[i].action);

		if (final) {
			/* What it did, as an expectation of the saved scenario. */
			if (!s->inj[i].fired)
				json_object_set_new(a, "expect", json_string("any"));
			else if (s->inj[i].result < 0)
				json_object_set_new(a, "expect",
				                    json_pack("{s:s}", "errno",
				                              ps_err_name(s->inj[i].result)));
			else if (s->inj[i].result > 0)
				json_object_set_new(a, "expect",
				                    json_pack("{s:i}", "result", s->inj[i].result));
			else
				json_object_del(a, "expect");
			/* A ptrace request's value is checked by "expect_value". */
			if (s->inj[i].fired && s->inj[i].has_value && s->inj[i].value != 0 &&
			    json_object_get(a, "expect_value") == NULL) {
				char hex[16];

				snprintf(hex, sizeof(hex), "0x%x", (unsigned)s->inj[i].value);
				json_object_set_new(a, "expect_value",
				                    s->inj[i].word ? json_string(hex)
				                                   : json_integer(s->inj[i].value));
			}
			/* Checks of a request that failed (a `do {JSON}`) would contradict
			 * the error now expected. */
			if (s->inj[i].fired && s->inj[i].result < 0)
				drop_checks(a);
		}
		json_array_append_new(events, a);
	}
	return doc;
}

/*
 * Load doc.  Its name is the file's while nothing has been injected (so a
 * report's replay command is right); after that, the session exists only
 * once saved, and reports say so.
 */
static int
load_doc(const struct session *s, json_t *doc, ps_scenario_t **out, char *err, size_t errlen)
{
	const char *name = s->ninj == 0 ? s->path : "SAVED.json";
	char *text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
	int r;

	if (text == NULL)
		return PS_ENOMEM;
	r = ps_scenario_load_string(text, strlen(text), name, out, err, errlen);
	free(text);
	return r;
}

/*
 * A fresh run of sc (the session's scenario when NULL), stepped quietly
 * to `units` steps: the session then is there.  The old run is freed.
 */
static int
restart(struct session *s, ps_scenario_t *sc, uint64_t units, bool *interrupted)
{
	struct ps_scenario_options opt = s->opt;
	ps_scenario_run_t *old = s->run;
	char err[512];
	struct goal g = { 0 };
	int r;

	*interrupted = false;
	opt.on_event = on_event;
	opt.on_run = on_run;
	opt.arg = s;
	recs_clear(s);
	s->run = NULL;
	ps_scenario_run_free(old);
	if (sc != NULL && sc != s->sc) {
		ps_scenario_free(s->sc);
		s->sc = sc;
	}
	s->units = 0;
	s->done = s->judged = false;
	for (size_t i = 0; i < s->ninj; i++)
		s->inj[i].fired = 0;
	s->last_due = 0;
	s->cpu_stepped = false;
	s->cpu_due = 0;
	r = ps_scenario_start(s->sc, &opt, &s->run, err, sizeof(err));
	if (r != 0) {
		s->run = NULL;
		return fail(s, "%s", r == PS_EINVAL ? err : ps_strerror(r));
	}
	if (units == 0)
		return 0;
	g.units = units;
	g.action = -1;
	s->quiet = true;
	r = move(s, &g, interrupted);
	s->quiet = false;
	return r;
}

/* --- where we are --- */

static void
judge(struct session *s)
{
	uint32_t passed = 0, failed = 0;

	if (s->judged)
		return;
	s->judged = true;
	ps_scenario_finish(s->run);
	ps_scenario_counts(s->run, &passed, &failed);
	if (failed == 0) {
		say(s, "the run is over: %u expectation%s held\n", passed, passed == 1 ? "" : "s");
		return;
	}
	say(s, "the run is over: %u expectation%s held, %u failed:\n", passed,
	    passed == 1 ? "" : "s", failed);
	ps_scenario_report(s->run, s->out, "procsim");
}

static void
where(struct session *s)
{
	char t[32];

	say(s, "at %s, step %" PRIu64 ", event #%" PRIu64 "%s\n",
	    fmt_time(ps_sim_now(sim_of(s)), t, sizeof(t)), s->units, ps_scenario_events(s->run),
	    s->done ? " (the end)" : "");
	if (s->done)
		judge(s);
}

static void
after_move(struct session *s, const struct goal *g, bool interrupted)
{
	if (interrupted)
		say(s, "interrupted\n");
	else if (g->why[0] != '\0')
		say(s, "stopped: %s\n", g->why);
	where(s);
}

/* --- parsing arguments --- */

static int
split(char *line, char **argv)
{
	int n = 0;
	char *p = line;

	while (*p == ' ' || *p == '\t')
		p++;
	/* A line that starts with # is a comment; #12 later on is pid 12. */
	if (*p == '#')
		return 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (n == MAX_ARGS)
			return -1;
		argv[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p == '\0')
			break;
		*p++ = '\0';
	}
	return n;
}

static bool
parse_u64(const char *text, uint64_t *out)
{
	char *end;

	if (text[0] == '-' || text[0] == '\0')
		return false;
	errno = 0;
	*out = strtoull(text, &end, 0);
	return errno == 0 && *end == '\0';
}

static bool
parse_i32(const char *text, int32_t *out)
{
	char *end;
	long long x;

	if (text[0] == '\0')
		return false;
	errno = 0;
	x = strtoll(text, &end, 0);
	if (errno != 0 || *end != '\0' || x < INT32_MIN || x > INT32_MAX)
		return false;
	*out = (int32_t)x;
	return true;
}

/* A process reference ("job", "#12", "12") to one pid. */
static int
resolve_pid(struct session *s, const char *ref, int32_t *pid)
{
	int32_t pids[64];
	size_t n = 0;
	int r = ps_scenario_resolve(s->run, ref, pids, 64, &n);

	if (r == PS_EINVAL)
		return fail(s, "\"%s\" is not a process: give a name, #PID or PID", ref);
	if (r == PS_ESRCH || n == 0)
		return fail(s, "no process is called \"%s\"", ref);
	if (n > 1) {
		/* The one not yet reaped, if only one is. */
		size_t live = 0;

		for (size_t i = 0; i < n && i < 64; i++)
			if (ps_proc_info(sim_of(s), pids[i], &(struct ps_proc_info){ 0 }) == 0) {
				*pid = pids[i];
				live++;
			}
		if (live == 1)
			return 0;
		return fail(s, "\"%s\" names %zu processes; say which with #PID", ref, n);
	}
	*pid = pids[0];
	return 0;
}

/* A group: a pgid, or the group a process leads (else the one it is in). */
static int
resolve_pgid(struct session *s, const char *ref, int32_t *pgid)
{
	struct ps_proc_info pi;
	int32_t pid;

	if (parse_i32(ref, pgid)) {
		if (*pgid <= 0)
			return fail(s, "no process group %d", *pgid);
		return 0;
	}
	if (resolve_pid(s, ref, &pid) != 0)
		return -1;
	if (pid <= 0)
		return fail(s, "no process group %d", pid);
	if (ps_pgfind(sim_of(s), pid) == 0) {
		*pgid = pid;
		return 0;
	}
	if (ps_proc_info(sim_of(s), pid, &pi) != 0 || pi.pgid <= 0)
		return fail(s, "%s has no process group (it has been reaped)", ref);
	*pgid = pi.pgid;
	return 0;
}

/* "orphan", "exit [P]", "signal SIG", "syscall NAME", "pid P", "time T",
 * "event TYPE", "ptrace [P]", "tracestop [P]" into b; returns the words
 * used, or -1. */
static int
parse_cond(struct session *s, int argc, char **argv, struct bp *b)
{
	memset(b, 0, sizeof(*b));
	if (argc < 1)
		return fail(s, "say what to stop on: orphan, exit [P], signal SIG, syscall NAME, "
		               "pid P, time T, event TYPE, ptrace [P], tracestop [P]");
	if (strcmp(argv[0], "orphan") == 0 || strcmp(argv[0], "orphaned") == 0) {
		b->kind = BP_ORPHAN;
		snprintf(b->text, sizeof(b->text), "orphan");
		return 1;
	}
	if (strcmp(argv[0], "exit") == 0 || strcmp(argv[0], "ptrace") == 0 ||
	    strcmp(argv[0], "tracestop") == 0) {
		b->kind = argv[0][0] == 'e' ? BP_EXIT : argv[0][0] == 'p' ? BP_PTRACE : BP_TRACESTOP;
		if (argc >= 2 && resolve_pid(s, argv[1], &b->num) != 0)
			return -1;
		snprintf(b->text, sizeof(b->text), "%s%s%s", argv[0], argc >= 2 ? " " : "",
		         argc >= 2 ? argv[1] : "");
		return argc >= 2 ? 2 : 1;
	}
	if (argc < 2)
		return fail(s, "\"%s\" needs an argument (help break)", argv[0]);
	if (strcmp(argv[0], "signal") == 0) {
		b->kind = BP_SIGNAL;
		if ((b->num = ps_signal_number(argv[1])) <= 0)
			return fail(s, "unknown signal \"%s\" (such as SIGHUP, HUP or 1)", argv[1]);
	} else if (strcmp(argv[0], "syscall") == 0) {
		b->kind = BP_SYSCALL;
		if (ps_syscall_number(argv[1]) <= 0)
			return fail(s, "unknown system call \"%s\"", argv[1]);
		snprintf(b->name, sizeof(b->name), "%s", argv[1]);
	} else if (strcmp(argv[0], "pid") == 0) {
		b->kind = BP_PID;
		if (resolve_pid(s, argv[1], &b->num) != 0)
			return -1;
	} else if (strcmp(argv[0], "time") == 0) {
		b->kind = BP_TIME;
		if (ps_parse_time(argv[1], &b->t) != 0)
			return fail(s, "bad time \"%s\" (such as 1500, 2us, 1.5ms, 3s)", argv[1]);
	} else if (strcmp(argv[0], "event") == 0) {
		b->kind = BP_EVENT;
		b->num = -1;
		for (uint32_t t = 0; t < PS_EV_COUNT_; t++)
			if (strcmp(ps_event_name(t), argv[1]) == 0)
				b->num = (int32_t)t;
		if (b->num < 0)
			return fail(s, "unknown event type \"%s\" (docs/trace-format.md)", argv[1]);
	} else {
		return fail(s, "cannot stop on \"%s\": orphan, exit, signal, syscall, pid, time, "
		               "event, ptrace or tracestop", argv[0]);
	}
	snprintf(b->text, sizeof(b->text), "%s %s", argv[0], argv[1]);
	return 2;
}

/* --- commands: moving --- */

static int
need_run(struct session *s)
{
	if (s->done) {
		say(s, "the run is over; `back` goes back, `do` adds an action\n");
		return -1;
	}
	return 0;
}

/* step [N]: N steps; next [N]: to the Nth next event shown. */
static int
cmd_step(struct session *s, int argc, char **argv)
{
	bool is_next = argv[0][0] == 'n';
	struct goal g = { 0 };
	uint64_t n = 1;
	bool intr;

	if (argc > 2 || (argc == 2 && (!parse_u64(argv[1], &n) || n == 0)))
		return fail(s, is_next ? "usage: next [N] (to the Nth next event, N >= 1)"
		                       : "usage: step [N] (N instructions, N >= 1)");
	if (is_next)
		g.events = n;
	else
		g.units = n;
	g.action = -1;
	g.breaks = true;
	if (need_run(s) != 0)
		return 0;
	if (move(s, &g, &intr) != 0)
		return -1;
	after_move(s, &g, intr);
	return 0;
}

static int
cmd_go(struct session *s, int argc, char **argv)
{
	struct goal g = { 0 };
	struct bp until;
	bool intr;

	g.action = -1;
	g.breaks = true;
	if (argc >= 2) {
		int n;

		if (strcmp(argv[1], "until") != 0)
			return fail(s, "usage: run [until COND] (help run)");
		if ((n = parse_cond(s, argc - 2, argv + 2, &until)) < 0)
			return -1;
		if (2 + n != argc)
			return fail(s, "too many words after \"%s\"", until.text);
		g.until = &until;
	}
	if (need_run(s) != 0)
		return 0;
	if (move(s, &g, &intr) != 0)
		return -1;
	after_move(s, &g, intr);
	return 0;
}

static int
cmd_back(struct session *s, int argc, char **argv)
{
	uint64_t n = 1, target;
	bool intr;

	if (argc == 3 && strcmp(argv[1], "to") == 0) {
		uint64_t seq;
		const char *a = argv[2][0] == '#' ? argv[2] + 1 : argv[2];

		if (!parse_u64(a, &seq) || seq == 0)
			return fail(s, "usage: back to #SEQ (an event's number, as trace shows it)");
		size_t i = s->nrecs;

		while (i > 0 && s->recs[i - 1].ev.seq != seq)
			i--;
		if (i == 0)
			return fail(s, "event #%" PRIu64 " has not happened", seq);
		target = s->recs[i - 1].unit - 1;
	} else if (argc <= 2) {
		if (argc == 2 && (!parse_u64(argv[1], &n) || n == 0))
			return fail(s, "usage: back [N] | back to #SEQ");
		if (n > s->units)
			n = s->units;
		target = s->units - n;
	} else {
		return fail(s, "usage: back [N] | back to #SEQ");
	}
	if (restart(s, NULL, target, &intr) != 0)
		return -1;
	if (intr)
		say(s, "interrupted while replaying\n");
	for (size_t i = 0; i < s->ninj; i++)
		if (!s->inj[i].fired)
			say(s, "note: `%s` is still ahead (at %" PRIu64 " ns); `drop %zu` removes it\n",
			    s->inj[i].text, s->inj[i].at, i + 1);
	where(s);
	return 0;
}

/* --- commands: breakpoints --- */

static int
cmd_break(struct session *s, int argc, char **argv)
{
	struct bp b;
	int n;
	void *p;

	if (argc == 1) {
		if (s->nbps == 0)
			say(s, "no breakpoints\n");
		for (size_t i = 0; i < s->nbps; i++)
			say(s, "%d: on %s\n", s->bps[i].id, s->bps[i].text);
		return 0;
	}
	if (strcmp(argv[1], "on") != 0)
		return fail(s, "usage: break on COND (help break)");
	if ((n = parse_cond(s, argc - 2, argv + 2, &b)) < 0)
		return -1;
	if (2 + n != argc)
		return fail(s, "too many words after \"%s\"", b.text);
	p = realloc(s->bps, (s->nbps + 1) * sizeof(*s->bps));
	if (p == NULL)
		return fail(s, "out of memory");
	s->bps = p;
	b.id = ++s->next_bp;
	s->bps[s->nbps++] = b;
	say(s, "breakpoint %d: on %s\n", b.id, b.text);
	return 0;
}

static int
cmd_delete(struct session *s, int argc, char **argv)
{
	int32_t id;

	if (argc == 1) {
		say(s, "deleted %zu breakpoint%s\n", s->nbps, s->nbps == 1 ? "" : "s");
		s->nbps = 0;
		return 0;
	}
	if (argc != 2 || !parse_i32(argv[1], &id))
		return fail(s, "usage: delete [N]");
	for (size_t i = 0; i < s->nbps; i++)
		if (s->bps[i].id == id) {
			memmove(&s->bps[i], &s->bps[i + 1], (s->nbps - i - 1) * sizeof(*s->bps));
			s->nbps--;
			say(s, "deleted breakpoint %d\n", id);
			return 0;
		}
	return fail(s, "no breakpoint %d", id);
}

/* --- commands: looking --- */

static int
view(struct session *s, int r, struct repl_view *v)
{
	if (r < 0)
		return fail(s, "%s", v->err[0] != '\0' ? v->err : ps_strerror(r));
	return 0;
}

static void
view_init(struct session *s, struct repl_view *v)
{
	memset(v, 0, sizeof(*v));
	v->sim = sim_of(s);
	v->namer = ps_scenario_pid_name;
	v->arg = s->run;
	v->out = s->out;
}

static int
cmd_view(struct session *s, int argc, char **argv)
{
	struct repl_view v;

	if (argc != 1)
		return fail(s, "%s takes no arguments", argv[0]);
	view_init(s, &v);
	if (strcmp(argv[0], "ps") == 0)
		return view(s, view_ps(&v), &v);
	if (strcmp(argv[0], "tree") == 0)
		return view(s, view_tree(&v), &v);
	if (strcmp(argv[0], "pgrps") == 0)
		return view(s, view_pgrps(&v), &v);
	return view(s, view_sessions(&v), &v);
}

static int
cmd_group(struct session *s, int argc, char **argv)
{
	struct repl_view v;
	int32_t pgid = 0;

	if (argc != 2)
		return fail(s, "usage: %s PGID (a group id, or a process: the group it leads or is "
		               "in)", argv[0]);
	if (resolve_pgid(s, argv[1], &pgid) != 0)
		return -1;
	view_init(s, &v);
	if (strcmp(argv[0], "jobc") == 0)
		return view(s, view_jobc(&v, pgid), &v);
	return view(s, view_explain(&v, pgid), &v);
}

static int
cmd_mem(struct session *s, int argc, char **argv)
{
	struct repl_view v;
	struct ps_proc_info pi;
	int32_t pid;
	uint64_t addr, len = 64;
	char label[64];
	int64_t off = 0;

	if (argc < 3 || argc > 4)
		return fail(s, "usage: mem PID ADDR [LEN] (ADDR: a number or a label[+OFF])");
	if (resolve_pid(s, argv[1], &pid) != 0)
		return -1;
	if (argc == 4 && (!parse_u64(argv[3], &len) || len == 0 || len > 4096))
		return fail(s, "the length must be 1..4096");
	if (!parse_u64(argv[2], &addr)) {
		const char *plus = strpbrk(argv[2], "+-");
		size_t n = plus != NULL ? (size_t)(plus - argv[2]) : strlen(argv[2]);
		int r;

		if (n == 0 || n >= sizeof(label))
			return fail(s, "bad address \"%s\"", argv[2]);
		memcpy(label, argv[2], n);
		label[n] = '\0';
		if (plus != NULL) {
			char *end;

			errno = 0;
			off = strtoll(plus, &end, 0);
			if (errno != 0 || *end != '\0')
				return fail(s, "bad offset in \"%s\"", argv[2]);
		}
		if (ps_proc_info(sim_of(s), pid, &pi) != 0)
			return fail(s, "no process %d", pid);
		r = ps_program_symbol(sim_of(s), pi.comm, label, &addr);
		if (r != 0)
			return fail(s, "no label \"%s\" in program \"%s\"", label, pi.comm);
		addr += (uint64_t)off;
	}
	view_init(s, &v);
	return view(s, view_mem(&v, pid, addr, (size_t)len), &v);
}

static int
cmd_regs(struct session *s, int argc, char **argv)
{
	struct repl_view v;
	int32_t pid;

	if (argc != 2)
		return fail(s, "usage: regs PID");
	if (resolve_pid(s, argv[1], &pid) != 0)
		return -1;
	view_init(s, &v);
	return view(s, view_regs(&v, pid), &v);
}

/* args PID, vmmap PID: what the kern.proc sysctls say of a process;
 * ptrace PID: what ptrace keeps of it. */
static int
cmd_procview(struct session *s, int argc, char **argv)
{
	struct repl_view v;
	int32_t pid;

	if (argc != 2)
		return fail(s, "usage: %s PID", argv[0]);
	if (resolve_pid(s, argv[1], &pid) != 0)
		return -1;
	view_init(s, &v);
	if (strcmp(argv[0], "args") == 0)
		return view(s, view_args(&v, pid), &v);
	if (strcmp(argv[0], "ptrace") == 0)
		return view(s, view_ptrace(&v, pid), &v);
	return view(s, view_vmmap(&v, pid), &v);
}

static int
cmd_trace(struct session *s, int argc, char **argv)
{
	uint64_t n = 20;
	size_t start, count = 0;

	if (argc > 2 || (argc == 2 && (!parse_u64(argv[1], &n) || n == 0)))
		return fail(s, "usage: trace [N] (the last N events, 20 by default)");
	/* Walk back over the last n events shown. */
	start = s->nrecs;
	while (start > 0 && count < n) {
		start--;
		if (shown_type(s, s->recs[start].ev.type))
			count++;
	}
	if (count == 0) {
		say(s, "no events yet\n");
		return 0;
	}
	say(s, "    SEQ%s\n", ps_trace_text_header());
	for (size_t i = start; i < s->nrecs; i++)
		if (shown_type(s, s->recs[i].ev.type)) {
			char line[512], seq[24];

			ps_trace_format_text(&s->recs[i].ev, ps_scenario_pid_name, s->run, line,
			                     sizeof(line));
			snprintf(seq, sizeof(seq), "#%" PRIu64, s->recs[i].ev.seq);
			say(s, "%7s%s\n", seq, line);
		}
	return 0;
}

static int
cmd_set(struct session *s, int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "verbose") == 0) {
		if (strcmp(argv[2], "on") == 0)
			s->verbose = true;
		else if (strcmp(argv[2], "off") == 0)
			s->verbose = false;
		else
			return fail(s, "usage: set verbose on|off");
		say(s, "verbose %s\n", s->verbose ? "on" : "off");
		return 0;
	}
	return fail(s, "usage: set verbose on|off");
}

/* --- writing files --- */

/*
 * Write through a temporary file in the same directory, renamed over path
 * once complete: a failure leaves whatever was at path as it was.  The
 * scenario being explored is never overwritten.
 */
static int
write_atomic(struct session *s, const char *path, int (*fn)(struct session *, FILE *, void *),
             void *arg)
{
	struct stat a, b;
	char *tmp;
	int fd, r;
	FILE *fp;

	if (stat(path, &a) == 0 && stat(s->path, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino)
		return fail(s, "%s is the scenario being explored; choose another file", path);
	if (stat(path, &a) == 0 && !S_ISREG(a.st_mode))
		return fail(s, "%s is not a regular file", path);
	tmp = malloc(strlen(path) + 16);
	if (tmp == NULL)
		return fail(s, "out of memory");
	sprintf(tmp, "%s.tmp.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		r = errno;
		free(tmp);
		return fail(s, "cannot write %s: %s", path, strerror(r));
	}
	fp = fdopen(fd, "w");
	if (fp == NULL) {
		close(fd);
		unlink(tmp);
		free(tmp);
		return fail(s, "cannot write %s: %s", path, strerror(errno));
	}
	r = fn(s, fp, arg);
	if (fflush(fp) != 0 || ferror(fp) || fsync(fileno(fp)) != 0)
		r = r != 0 ? r : -1;
	if (fclose(fp) != 0)
		r = r != 0 ? r : -1;
	if (r == 0 && rename(tmp, path) != 0)
		r = -1;
	if (r != 0) {
		int e = errno;

		unlink(tmp);
		free(tmp);
		return fail(s, "cannot write %s: %s", path, e != 0 ? strerror(e) : "write error");
	}
	free(tmp);
	return 0;
}

static int
write_dot(struct session *s, FILE *fp, void *arg)
{
	(void)arg;
	return ps_trace_dot(sim_of(s), fp, ps_scenario_pid_name, s->run) == 0 ? 0 : -1;
}

static int
cmd_dot(struct session *s, int argc, char **argv)
{
	if (argc != 2)
		return fail(s, "usage: dot FILE (the process tree now, for Graphviz; - for here)");
	if (strcmp(argv[1], "-") == 0)
		return write_dot(s, s->out, NULL) == 0 ? 0 : fail(s, "cannot write the tree");
	if (write_atomic(s, argv[1], write_dot, NULL) != 0)
		return -1;
	say(s, "wrote %s\n", argv[1]);
	return 0;
}

/* --- do: injecting an action --- */

/* The processes an action names must exist now (a typo is not an action). */
static bool
refs_ok(struct session *s, json_t *a)
{
	static const char *const keys[] = { "proc", "target", "from", "child", "by", "id", NULL };
	int32_t pid;

	for (size_t i = 0; keys[i] != NULL; i++) {
		const char *ref = json_string_value(json_object_get(a, keys[i]));

		if (ref != NULL && resolve_pid(s, ref, &pid) != 0)
			return false;
	}
	/* setpgid's pid and pgrp, tcsetpgrp's pgrp: processes too. */
	for (size_t i = 0; i < 2; i++) {
		const char *ref = json_string_value(json_object_get(a, i == 0 ? "pid" : "pgrp"));

		if (ref != NULL && resolve_pid(s, ref, &pid) != 0)
			return false;
	}
	return true;
}

/* A word as JSON: an integer when it is a decimal number, else the string
 * (hex, a label, a signal name: the loader judges it). */
static json_t *
json_word(const char *w)
{
	char *end;
	long long x;

	if ((w[0] >= '0' && w[0] <= '9') || (w[0] == '-' && w[1] >= '0' && w[1] <= '9')) {
		if (strncmp(w, "0x", 2) == 0 || strncmp(w, "-0x", 3) == 0)
			return json_string(w);
		errno = 0;
		x = strtoll(w, &end, 10);
		if (errno == 0 && *end == '\0')
			return json_integer(x);
	}
	return json_string(w);
}

/* "attach", "PT_ATTACH", "10": the request's number; -1 if none. */
static int
request_of(const char *w)
{
	int32_t n;
	int r = ps_ptrace_request_number(w);

	if (r >= 0)
		return r;
	if (parse_i32(w, &n) && n >= 0)
		return n;
	return -1;
}

/* The request names, lower case and without PT_, for messages and TAB. */
static size_t
request_names(char (*names)[24], size_t cap)
{
	size_t n = 0;

	for (int req = 0; req < 64 && n < cap; req++) {
		const char *name = ps_ptrace_request_name(req);

		if (name == NULL)
			continue;
		if (strncmp(name, "PT_", 3) == 0)
			name += 3;
		for (size_t i = 0; i < 23; i++) {
			names[n][i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a'
			                                                      : name[i]);
			if (name[i] == '\0')
				break;
		}
		names[n++][23] = '\0';
	}
	return n;
}

/*
 * A word the loader reads as a label of the target's program ("done",
 * "loop+8"): the program must have it (else the scenario cannot run the
 * action: a typo is not an action).  0, or -1 after an error message.
 */
static int
label_ok(struct session *s, const char *target, const char *w)
{
	struct ps_proc_info pi;
	struct ps_thread_info ti;
	char label[64];
	uint64_t addr;
	int32_t pid;
	size_t n;

	if (!((w[0] >= 'a' && w[0] <= 'z') || (w[0] >= 'A' && w[0] <= 'Z') || w[0] == '_') ||
	    strcmp(w, "same") == 0)
		return 0;
	n = strcspn(w, "+-");
	if (n >= sizeof(label))
		return 0; /* The loader says what is wrong with it. */
	memcpy(label, w, n);
	label[n] = '\0';
	if (resolve_pid(s, target, &pid) != 0)
		return -1;
	/* A thread id stands for its process. */
	if (ps_proc_info(sim_of(s), pid, &pi) != 0 &&
	    (ps_thread_info(sim_of(s), pid, &ti) != 0 || ps_proc_info(sim_of(s), ti.pid, &pi) != 0))
		return fail(s, "no label \"%s\": %s is not a process that runs a program", label,
		            target);
	if (!pi.runs_program)
		return fail(s, "no label \"%s\": %s runs no program", label, target);
	if (ps_program_symbol(sim_of(s), pi.comm, label, &addr) != 0)
		return fail(s, "no label \"%s\" in program \"%s\"", label, pi.comm);
	return 0;
}

#define PTRACE_USAGE                                                                           \
	"ptrace BY REQUEST TARGET [ADDR [DATA]] (ADDR: a number, label[+OFF], same or -; DATA: " \
	"a number or a signal)"

/*
 * do ptrace BY REQUEST TARGET [ADDR [DATA]], and the forms of the requests
 * that carry a structure:
 *   do ptrace BY io TARGET read_d|read_i|write_d|write_i OFFS LEN|BYTES
 *   do ptrace BY setregs TARGET REG=VALUE...
 *   do ptrace BY vm_entry TARGET [ENTRY [PATHLEN]]
 * as a "ptrace" event (scenario-format.md).
 */
static json_t *
ptrace_action(struct session *s, int argc, char **argv)
{
	int req;
	json_t *a;

	if (argc < 4) {
		fail(s, "usage: do " PTRACE_USAGE);
		return NULL;
	}
	if ((req = request_of(argv[3])) < 0) {
		char names[48][24], list[48 * 24] = "";
		size_t n = request_names(names, 48), len = 0;

		for (size_t i = 0; i < n && len < sizeof(list); i++)
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? " " : "",
			                        names[i]);
		fail(s, "unknown ptrace request \"%s\": %s, or a number", argv[3], list);
		return NULL;
	}
	a = json_pack("{s:s,s:s}", "do", "ptrace", "by", argv[2]);
	if (ps_ptrace_request_name(req) != NULL)
		json_object_set_new(a, "request", json_string(ps_ptrace_request_name(req)));
	else
		json_object_set_new(a, "request", json_integer(req));
	if (req == PS_PT_TRACE_ME) {
		if (argc != 4) {
			json_decref(a);
			fail(s, "usage: do ptrace BY trace_me (no target: BY asks its parent to trace "
			        "it)");
			return NULL;
		}
		return a;
	}
	if (argc < 5) {
		char num[24];
		const char *name = ps_ptrace_request_name(req);

		if (name == NULL) {
			snprintf(num, sizeof(num), "request %d", req);
			name = num;
		}
		json_decref(a);
		fail(s, "do ptrace: %s needs a target (a process, #PID, or a thread id)", name);
		return NULL;
	}
	json_object_set_new(a, "target", json_string(argv[4]));
	if (req == PS_PT_IO) {
		json_t *io;

		if (argc != 8) {
			json_decref(a);
			fail(s, "usage: do ptrace BY io TARGET read_d|read_i|write_d|write_i OFFS "
			        "LEN|BYTES (BYTES: hex, such as 71:00:00:00:00:00:00:00)");
			return NULL;
		}
		if (label_ok(s, argv[4], argv[6]) != 0) {
			json_decref(a);
			return NULL;
		}
		io = json_pack("{s:o,s:o}", "op", json_word(argv[5]), "offs", json_word(argv[6]));
		if (strncmp(argv[5], "write", 5) == 0)
			json_object_set_new(io, "bytes", json_string(argv[7]));
		else
			json_object_set_new(io, "len", json_word(argv[7]));
		json_object_set_new(a, "io", io);
		return a;
	}
	if (req == PS_PT_SETREGS) {
		json_t *regs = json_object();

		if (argc < 6) {
			json_decref(a);
			json_decref(regs);
			fail(s, "usage: do ptrace BY setregs TARGET REG=VALUE... (r0-r15, pc, sp, "
			        "flags; the others keep their values)");
			return NULL;
		}
		for (int i = 5; i < argc; i++) {
			char *eq = strchr(argv[i], '=');

			if (eq == NULL || eq == argv[i] || eq[1] == '\0') {
				json_decref(a);
				json_decref(regs);
				fail(s, "do ptrace setregs: \"%s\" is not REG=VALUE (such as pc=done, "
				        "r1=5)", argv[i]);
				return NULL;
			}
			if (label_ok(s, argv[4], eq + 1) != 0) {
				json_decref(a);
				json_decref(regs);
				return NULL;
			}
			*eq = '\0';
			json_object_set_new(regs, argv[i], json_word(eq + 1));
			*eq = '=';
		}
		json_object_set_new(a, "regs", regs);
		return a;
	}
	if (req == PS_PT_VM_ENTRY) {
		if (argc > 7) {
			json_decref(a);
			fail(s, "usage: do ptrace BY vm_entry TARGET [ENTRY [PATHLEN]]");
			return NULL;
		}
		if (argc >= 6)
			json_object_set_new(a, "entry", json_word(argv[5]));
		if (argc == 7)
			json_object_set_new(a, "pathlen", json_word(argv[6]));
		return a;
	}
	if (argc > 7) {
		json_decref(a);
		fail(s, "usage: do " PTRACE_USAGE);
		return NULL;
	}
	/* "-": the default address (where it stopped for the resume requests,
	 * the scenario's structure for the others, else 0). */
	if (argc >= 6 && strcmp(argv[5], "-") != 0) {
		if (label_ok(s, argv[4], argv[5]) != 0) {
			json_decref(a);
			return NULL;
		}
		json_object_set_new(a, "addr", json_word(argv[5]));
	}
	if (argc == 7)
		json_object_set_new(a, "data", json_word(argv[6]));
	return a;
}

/* do procctl BY pid|pgid ID set|clear[,descend][,inherit] (or numbers). */
static json_t *
procctl_action(struct session *s, int argc, char **argv)
{
	json_t *a, *flags;
	int32_t n;

	if (argc != 6) {
		fail(s, "usage: do procctl BY pid|pgid ID set|clear[,descend][,inherit]");
		return NULL;
	}
	a = json_pack("{s:s,s:s}", "do", "procctl", "by", argv[2]);
	json_object_set_new(a, "idtype", json_word(argv[3]));
	json_object_set_new(a, "id", json_string(argv[4]));
	if (parse_i32(argv[5], &n)) {
		flags = json_integer(n);
	} else {
		char buf[128], *save = NULL;

		flags = json_array();
		snprintf(buf, sizeof(buf), "%s", argv[5]);
		for (char *w = strtok_r(buf, ",", &save); w != NULL; w = strtok_r(NULL, ",", &save))
			json_array_append_new(flags, json_string(w));
	}
	json_object_set_new(a, "flags", flags);
	return a;
}

static json_t *
action_of(struct session *s, int argc, char **argv)
{
	const char *k = argc >= 2 ? argv[1] : "";
	json_t *a;
	int32_t n;

	if (argc >= 2 && argv[1][0] == '{') {
		/* A scenario event as JSON, for anything the short forms lack. */
		char text[1024] = "";
		json_error_t je;

		for (int i = 1; i < argc; i++) {
			strncat(text, argv[i], sizeof(text) - strlen(text) - 2);
			strcat(text, " ");
		}
		a = json_loads(text, 0, &je);
		if (a == NULL || !json_is_object(a)) {
			json_decref(a);
			fail(s, "do: not a JSON object: %s", je.text);
			return NULL;
		}
		if (json_object_get(a, "at") != NULL) {
			json_decref(a);
			fail(s, "do: no \"at\": the action happens now");
			return NULL;
		}
		return a;
	}
#define WANT(cond, usage)                                                                      \
	do {                                                                                   \
		if (!(cond)) {                                                                 \
			fail(s, "usage: do %s", usage);                                        \
			return NULL;                                                           \
		}                                                                              \
	} while (0)
	if (strcmp(k, "signal") == 0 || strcmp(k, "kill") == 0) {
		WANT(argc == 4 || (argc == 6 && strcmp(argv[4], "from") == 0),
		     "signal PROC SIG [from PROC] | kill PID SIG (kill(2)'s pid: -PGID for a group)");
		if (ps_signal_number(argv[3]) <= 0) {
			fail(s, "unknown signal \"%s\"", argv[3]);
			return NULL;
		}
		if (strcmp(k, "kill") == 0) {
			WANT(parse_i32(argv[2], &n), "kill PID SIG (a number; -PGID for a group)");
			a = json_pack("{s:s,s:i,s:s}", "do", "signal", "pid", n, "signal", argv[3]);
		} else {
			a = json_pack("{s:s,s:s,s:s}", "do", "signal", "target", argv[2], "signal",
			              argv[3]);
		}
		if (argc == 6)
			json_object_set_new(a, "from", json_string(argv[5]));
		return a;
	}
	if (strcmp(k, "hangup") == 0) {
		WANT(argc == 3, "hangup TTY");
		return json_pack("{s:s,s:s}", "do", "hangup", "tty", argv[2]);
	}
	if (strcmp(k, "fork") == 0) {
		WANT(argc == 3 || (argc == 5 && strcmp(argv[3], "name") == 0),
		     "fork PROC [name NAME]");
		a = json_pack("{s:s,s:s}", "do", "fork", "proc", argv[2]);
		if (argc == 5)
			json_object_set_new(a, "name", json_string(argv[4]));
		return a;
	}
	if (strcmp(k, "exit") == 0) {
		WANT(argc == 3 || (argc == 4 && parse_i32(argv[3], &n)), "exit PROC [STATUS]");
		a = json_pack("{s:s,s:s}", "do", "exit", "proc", argv[2]);
		if (argc == 4)
			json_object_set_new(a, "status", json_integer(n));
		return a;
	}
	if (strcmp(k, "setpgid") == 0) {
		WANT(argc >= 3 && argc <= 5, "setpgid PROC [PID [PGRP]]");
		a = json_pack("{s:s,s:s}", "do", "setpgid", "proc", argv[2]);
		if (argc >= 4)
			json_object_set_new(a, "pid", json_string(argv[3]));
		if (argc == 5)
			json_object_set_new(a, "pgrp", json_string(argv[4]));
		return a;
	}
	if (strcmp(k, "setsid") == 0) {
		WANT(argc == 3, "setsid PROC");
		return json_pack("{s:s,s:s}", "do", "setsid", "proc", argv[2]);
	}
	if (strcmp(k, "wait") == 0) {
		WANT(argc == 3 || argc == 4, "wait PROC [CHILD]");
		a = json_pack("{s:s,s:s,s:[s]}", "do", "wait", "proc", argv[2], "options", "WNOHANG");
		if (argc == 4)
			json_object_set_new(a, "child", json_string(argv[3]));
		return a;
	}
	if (strcmp(k, "tcsetpgrp") == 0) {
		WANT(argc == 5, "tcsetpgrp PROC TTY PGRP");
		return json_pack("{s:s,s:s,s:s,s:s}", "do", "tcsetpgrp", "proc", argv[2], "tty",
		                 argv[3], "pgrp", argv[4]);
	}
	if (strcmp(k, "check") == 0) {
		WANT(argc == 2, "check");
		return json_pack("{s:s}", "do", "check");
	}
	if (strcmp(k, "ptrace") == 0)
		return ptrace_action(s, argc, argv);
	if (strcmp(k, "procctl") == 0)
		return procctl_action(s, argc, argv);
	fail(s, "usage: do signal|kill|hangup|fork|exit|setpgid|setsid|wait|tcsetpgrp|check|"
	        "ptrace|procctl ... or do {JSON event} (help do)");
	return NULL;
#undef WANT
}

/*
 * When an action injected now fires: after everything seen so far.  A
 * timer due at the same time as a step fires before it (sched.c), so the
 * action must also come after the time the last step was due: a step that
 * took no time (a process stopping on its way back to user mode) would
 * otherwise come after it in the rebuilt run.  (Timers due at the same time
 * fire in the order they were set: an action injected after another at the
 * same time still comes after it.)
 */
static uint64_t
inject_time(struct session *s)
{
	struct ps_sched_stats st;
	uint64_t t = ps_sim_now(sim_of(s));

	if (ps_sched_stats(sim_of(s), &st) == 0)
		for (int c = 0; c < st.ncpus; c++)
			if (st.clock[c] > t)
				t = st.clock[c];
	if (s->cpu_stepped && s->cpu_due >= t)
		t = s->cpu_due + 1;
	return t;
}

static int
cmd_do(struct session *s, int argc, char **argv, const char *text)
{
	json_t *a = action_of(s, argc, argv), *doc;
	uint64_t at, before_units, before_events, before_hash, until;
	ps_scenario_t *sc = NULL;
	struct inject *inj;
	struct goal g = { 0 };
	char err[512], t[32];
	bool intr;
	void *p;
	int32_t result = 0;
	uint32_t failed_before = 0, failed = 0;
	int fired = 0;

	if (a == NULL)
		return -1;
	if (argv[1][0] != '{' && !refs_ok(s, a)) {
		json_decref(a);
		return -1;
	}
	at = inject_time(s);
	until = ps_scenario_until(s->run);
	if (until != PS_TIME_NEVER && at > until) {
		json_decref(a);
		return fail(s, "the run is over at %s (the scenario's until): an action now would "
		               "come after it", fmt_time(until, t, sizeof(t)));
	}
	json_object_set_new(a, "at", json_integer((json_int_t)at));
	/* Any result is fine for an action tried now; but a request with
	 * "expect_..." checks (a `do {JSON}`) must succeed to be judged. */
	if (!has_checks(a))
		json_object_set_new(a, "expect", json_string("any"));
	p = realloc(s->inj, (s->ninj + 1) * sizeof(*s->inj));
	if (p == NULL) {
		json_decref(a);
		return fail(s, "out of memory");
	}
	s->inj = p;
	inj = &s->inj[s->ninj++];
	memset(inj, 0, sizeof(*inj));
	inj->action = a;
	inj->at = at;
	inj->text = strdup(text);
	doc = session_doc(s, false);
	if (doc == NULL || load_doc(s, doc, &sc, err, sizeof(err)) != 0) {
		/* The loader names the path; the last event is this action. */
		const char *msg = strstr(err, ": ");

		json_decref(doc);
		json_decref(a);
		free(inj->text);
		s->ninj--;
		return fail(s, "do: %s", msg != NULL ? msg + 2 : err);
	}
	json_decref(doc);
	before_units = s->units;
	before_events = ps_scenario_events(s->run);
	before_hash = ps_scenario_trace_hash(s->run);
	if (restart(s, sc, before_units, &intr) != 0)
		return -1;
	if (intr) {
		say(s, "interrupted while replaying\n");
		where(s);
		return 0;
	}
	if (ps_scenario_events(s->run) != before_events ||
	    ps_scenario_trace_hash(s->run) != before_hash)
		say(s, "note: with the action scheduled, the run up to here differs from what was "
		       "shown (CPUs tied at the same instant); trace shows it as it is now\n");
	say(s, "%s at %s\n", text, fmt_time(at, t, sizeof(t)));
	g.action = (long)(s->nbase + s->ninj - 1);
	ps_scenario_counts(s->run, NULL, &failed_before);
	if (move(s, &g, &intr) != 0)
		return -1;
	ps_scenario_action_result(s->run, (size_t)g.action, &fired, &result);
	if (!fired)
		say(s, "%s\n", intr ? "interrupted before the action" : "the action did not run");
	else
		say_result(s, &s->inj[s->ninj - 1], result, false);
	/* An "expect_..." check of a `do {JSON}` that did not hold, say. */
	ps_scenario_counts(s->run, NULL, &failed);
	if (failed > failed_before)
		say(s, "note: %u expectation%s failed meanwhile (the judgement at the end of the "
		       "run says which)\n", failed - failed_before,
		    failed - failed_before == 1 ? "" : "s");
	where(s);
	return 0;
}

static int
cmd_drop(struct session *s, int argc, char **argv)
{
	uint64_t k = s->ninj, target = s->units;
	ps_scenario_t *sc = NULL;
	json_t *doc;
	char err[512];
	bool intr;

	if (argc > 2 || (argc == 2 && (!parse_u64(argv[1], &k) || k == 0)))
		return fail(s, "usage: drop [N] (an injected action, the last by default)");
	if (s->ninj == 0 || k > s->ninj)
		return fail(s, "no injected action %" PRIu64 " (actions lists them)", k);
	if (s->inj[k - 1].fired)
		target = s->inj[k - 1].unit - 1;
	json_decref(s->inj[k - 1].action);
	say(s, "dropped `%s`\n", s->inj[k - 1].text);
	free(s->inj[k - 1].text);
	memmove(&s->inj[k - 1], &s->inj[k], (s->ninj - k) * sizeof(*s->inj));
	s->ninj--;
	doc = session_doc(s, false);
	if (doc == NULL || load_doc(s, doc, &sc, err, sizeof(err)) != 0) {
		json_decref(doc);
		return fail(s, "%s", err);
	}
	json_decref(doc);
	if (restart(s, sc, target, &intr) != 0)
		return -1;
	where(s);
	return 0;
}

static int
cmd_actions(struct session *s, int argc, char **argv)
{
	char t[32];

	(void)argv;
	if (argc != 1)
		return fail(s, "usage: actions");
	if (s->ninj == 0)
		say(s, "no injected actions\n");
	for (size_t i = 0; i < s->ninj; i++) {
		say(s, "%zu: at %s: %s", i + 1, fmt_time(s->inj[i].at, t, sizeof(t)), s->inj[i].text);
		if (!s->inj[i].fired) {
			say(s, " (ahead)\n");
		} else {
			say(s, " ");
			say_result(s, &s->inj[i], s->inj[i].result, true);
		}
	}
	return 0;
}

/* --- save: the session as a scenario --- */

/* How the saved scenario refers to pid: its name if the name is its own. */
static json_t *
ref_json(struct session *s, ps_scenario_run_t *run, int32_t pid)
{
	const char *name = ps_scenario_pid_name(run, pid);
	int32_t pids[2];
	size_t n = 0;
	char buf[16];

	(void)s;
	if (name != NULL && ps_scenario_resolve(run, name, pids, 2, &n) == 0 && n == 1 &&
	    pids[0] == pid)
		return json_string(name);
	snprintf(buf, sizeof(buf), "#%d", pid);
	return json_string(buf);
}

static json_t *
status_json(int32_t w)
{
	char buf[48];
	int sig = w & 0x7f;

	if (sig == 0)
		snprintf(buf, sizeof(buf), "exited %d", (w >> 8) & 0xff);
	else if (sig != 0x7f)
		snprintf(buf, sizeof(buf), "signaled %s%s", ps_signal_name(sig),
		         (w & 0x80) ? " core" : "");
	else
		return json_integer(w);
	return json_string(buf);
}

static bool
recorded_type(uint32_t type)
{
	switch (type) {
	case PS_EV_FORK: case PS_EV_EXIT: case PS_EV_REAP: case PS_EV_REPARENT:
	case PS_EV_SETSID: case PS_EV_SETPGID: case PS_EV_ORPHANED: case PS_EV_SIGNAL_SEND:
	case PS_EV_STOP: case PS_EV_CONTINUE: case PS_EV_HANGUP: case PS_EV_REVOKE:
	case PS_EV_TCSETPGRP: case PS_EV_CTTY: case PS_EV_PTRACE: case PS_EV_PROCCTL:
		return true;
	default:
		return false;
	}
}

#define SAVE_EVENTS_MAX 120

/*
 * What the run of doc (to its end) saw, as expectations: the key events
 * in order, how many of each kind, and the state of every process, group
 * and session at the end.
 */
static json_t *
recorded_expectations(struct session *s, ps_scenario_run_t *run)
{
	ps_sim_t *sim = ps_scenario_sim(run);
	json_t *ex = json_array();
	uint64_t counts[PS_EV_COUNT_] = { 0 };
	int32_t *pids = NULL, pgids[4096];
	size_t npids = 0, cap = 0, n = 0, chained = 0;
	char id[16], prev[16] = "";

	for (size_t i = 0; i < s->nrecs; i++) {
		const struct ps_event *ev = &s->recs[i].ev;
		json_t *e;

		if (ev->type == PS_EV_FORK && ev->pid2 > 1) {
			if (npids == cap) {
				cap = cap != 0 ? cap * 2 : 64;
				pids = realloc(pids, cap * sizeof(*pids));
			}
			pids[npids++] = ev->pid2;
		}
		if (!recorded_type(ev->type))
			continue;
		counts[ev->type]++;
		if (chained >= SAVE_EVENTS_MAX)
			continue;
		e = json_pack("{s:s}", "event", ps_event_name(ev->type));
		if (ev->type == PS_EV_ORPHANED) {
			json_object_set_new(e, "pgid", ref_json(s, run, ev->pgid));
			json_object_set_new(e, "stopped", json_boolean(ev->value != 0));
		} else if (ev->type == PS_EV_PTRACE || ev->type == PS_EV_PROCCTL) {
			/* A request: who, of whom, which, and what it returned. */
			bool pt = ev->type == PS_EV_PTRACE;

			json_object_set_new(e, pt ? "tracer" : "caller", ref_json(s, run, ev->pid));
			if (ev->pid2 > 0)
				json_object_set_new(e, "target", ref_json(s, run, ev->pid2));
			if (ev->detail != NULL && pt && strncmp(ev->detail, "request ", 8) == 0)
				json_object_set_new(e, "request", json_integer(atoi(ev->detail + 8)));
			else if (ev->detail != NULL)
				json_object_set_new(e, pt ? "request" : "detail", json_string(ev->detail));
			if (ev->sig > 0)
				json_object_set_new(e, "signal", json_string(ps_signal_name(ev->sig)));
			json_object_set_new(e, "result", json_integer(ev->value));
		} else {
			if (ev->pid > 0)
				json_object_set_new(e, "pid", ref_json(s, run, ev->pid));
			if (ev->pid2 > 0)
				json_object_set_new(e, "pid2", ref_json(s, run, ev->pid2));
			if (ev->sig > 0)
				json_object_set_new(e, "signal", json_string(ps_signal_name(ev->sig)));
			/* A stop for a debugger ("trace") or by a signal. */
			if (ev->type == PS_EV_STOP && ev->detail != NULL)
				json_object_set_new(e, "detail", json_string(ev->detail));
		}
		snprintf(id, sizeof(id), "e%zu", chained++);
		json_object_set_new(e, "id", json_string(id));
		if (prev[0] != '\0')
			json_object_set_new(e, "after", json_string(prev));
		memcpy(prev, id, sizeof(prev));
		json_array_append_new(ex, e);
	}
	for (uint32_t t = 0; t < PS_EV_COUNT_; t++)
		if (counts[t] != 0)
			json_array_append_new(ex, json_pack("{s:s,s:I}", "event", ps_event_name(t),
			                                     "count", (json_int_t)counts[t]));
	/* Every process the run made, as it is at the end. */
	for (size_t i = 0; i < npids; i++) {
		struct ps_proc_info pi;
		json_t *e = json_pack("{s:b}", "at_end", 1);

		json_object_set_new(e, "proc", ref_json(s, run, pids[i]));
		if (ps_proc_info(sim, pids[i], &pi) != 0) {
			json_object_set_new(e, "state", json_string("reaped"));
			for (size_t k = s->nrecs; k-- > 0;) {
				const struct ps_event *ev = &s->recs[k].ev;

				if (ev->type == PS_EV_REAP && ev->pid == pids[i] && ev->pid2 > 0)
					json_object_set_new(e, "reaped_by", ref_json(s, run, ev->pid2));
				if (ev->type == PS_EV_EXIT && ev->pid == pids[i]) {
					json_object_set_new(e, "status", status_json(ev->value));
					break;
				}
			}
		} else if (pi.state == PS_PRS_ZOMBIE) {
			json_object_set_new(e, "state", json_string("zombie"));
			json_object_set_new(e, "status", status_json(pi.xstat));
			json_object_set_new(e, "ppid", ref_json(s, run, pi.ppid));
		} else {
			bool stopped = (pi.flags & (PS_P_STOPPED_SIG | PS_P_STOPPED_TRACE)) != 0;

			json_object_set_new(e, "state", json_string(stopped ? "stopped" : "alive"));
			json_object_set_new(e, "ppid", ref_json(s, run, pi.ppid));
			json_object_set_new(e, "pgid", ref_json(s, run, pi.pgid));
			json_object_set_new(e, "sid", ref_json(s, run, pi.sid));
		}
		json_array_append_new(ex, e);
	}
	free(pids);
	/* Groups and sessions that exist at the end (init's aside). */
	if (ps_pgrp_list(sim, pgids, sizeof(pgids) / sizeof(pgids[0]), &n) == 0) {
		int32_t sids[4096];
		size_t nsids = 0;

		for (size_t i = 0; i < n; i++) {
			struct ps_pgrp_info gi;

			if (pgids[i] <= 1 || ps_pgrp_info(sim, pgids[i], &gi) != 0)
				continue;
			json_array_append_new(
			    ex, json_pack("{s:b,s:o,s:i,s:b,s:i}", "at_end", 1, "pgrp",
			                  ref_json(s, run, gi.pgid), "pg_jobc", gi.pg_jobc, "orphaned",
			                  gi.orphaned, "members", gi.members));
			bool seen = false;

			for (size_t k = 0; k < nsids; k++)
				seen |= sids[k] == gi.sid;
			if (!seen && gi.sid > 1)
				sids[nsids++] = gi.sid;
		}
		for (size_t i = 0; i < nsids; i++) {
			struct ps_session_info si;

			if (ps_session_info(sim, sids[i], &si) != 0)
				continue;
			json_array_append_new(
			    ex, json_pack("{s:b,s:o,s:o,s:i}", "at_end", 1, "session",
			                  ref_json(s, run, si.sid), "leader",
			                  si.leader > 0 ? ref_json(s, run, si.leader) : json_integer(0),
			                  "s_count", si.s_count));
		}
	}
	return ex;
}

/* Run doc to its end (events recorded into the session's log). */
static int
run_doc(struct session *s, json_t *doc, ps_scenario_t **scp, ps_scenario_run_t **runp,
        char *err, size_t errlen)
{
	struct ps_scenario_options opt = s->opt;
	int done = 0, r;

	opt.on_event = on_event;
	opt.on_run = NULL;
	opt.arg = s;
	opt.set |= PS_SCOPT_CHECK;
	opt.check = 1;
	if ((r = load_doc(s, doc, scp, err, errlen)) != 0)
		return r;
	if ((r = ps_scenario_start(*scp, &opt, runp, err, errlen)) != 0)
		return r;
	while (!done)
		if ((r = ps_scenario_advance(*runp, 1u << 20, &done)) < 0)
			return r;
	return ps_scenario_finish(*runp);
}

static int
write_json(struct session *s, FILE *fp, void *arg)
{
	(void)s;
	if (json_dumpf(arg, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
		return -1;
	return fputc('\n', fp) == EOF ? -1 : 0;
}

static int
cmd_save(struct session *s, int argc, char **argv)
{
	json_t *doc, *config, *base_expect;
	ps_scenario_t *sc = NULL;
	ps_scenario_run_t *run = NULL;
	char err[512], t[32];
	uint64_t now = ps_sim_now(sim_of(s)), seen = ps_scenario_events(s->run);
	struct rec *keep_recs = s->recs;
	size_t keep_n = s->nrecs, keep_cap = s->caprecs;
	ps_scenario_run_t *keep_run = s->run;
	json_t *events, *pristine;
	bool kept = true, checks = false, checks_dropped = false;
	int r;

	if (argc != 2)
		return fail(s, "usage: save FILE");
	doc = session_doc(s, true);
	if (doc == NULL)
		return fail(s, "out of memory");
	config = json_object_get(doc, "config");
	if (config == NULL) {
		config = json_object();
		json_object_set_new(doc, "config", config);
	}
	/* The options of this session become the saved scenario's own. */
	if (s->opt.set & PS_SCOPT_SEED)
		json_object_set_new(config, "seed", json_integer((json_int_t)s->opt.seed));
	if (s->opt.set & PS_SCOPT_CPUS)
		json_object_set_new(config, "cpus", json_integer(s->opt.cpus));
	if (s->opt.set & PS_SCOPT_POLICY)
		json_object_set_new(config, "policy", json_string(ps_policy_name(s->opt.policy)));
	if (!s->done)
		json_object_set_new(config, "until", json_integer((json_int_t)now));
	else if (s->opt.set & PS_SCOPT_UNTIL)
		json_object_set_new(config, "until", json_integer((json_int_t)s->opt.until));
	base_expect = json_incref(json_object_get(doc, "expect"));
	/* Run it (with the file's own expectations and the checks of injected
	 * ptrace requests, if they still hold) and record what it sees, on a
	 * log of its own.  Variant 1 leaves the checks out, 2 the file's
	 * expectations, 3 both. */
	events = json_object_get(doc, "events");
	for (size_t i = s->nbase; i < json_array_size(events); i++)
		checks |= has_checks(json_array_get(events, i));
	pristine = json_deep_copy(doc);
	s->recs = NULL;
	s->nrecs = s->caprecs = 0;
	s->quiet = true;
	r = run_doc(s, doc, &sc, &run, err, sizeof(err));
	for (int variant = 1; r == 1 && pristine != NULL && variant <= 3; variant++) {
		if (((variant & 1) && !checks) || ((variant & 2) && base_expect == NULL))
			continue;
		json_decref(doc);
		doc = json_deep_copy(pristine);
		events = json_object_get(doc, "events");
		if (variant & 1)
			for (size_t i = s->nbase; i < json_array_size(events); i++)
				drop_checks(json_array_get(events, i));
		if (variant & 2)
			json_object_del(doc, "expect");
		checks_dropped = (variant & 1) != 0;
		kept = (variant & 2) == 0;
		ps_scenario_run_free(run);
		ps_scenario_free(sc);
		run = NULL;
		sc = NULL;
		recs_clear(s);
		r = run_doc(s, doc, &sc, &run, err, sizeof(err));
	}
	if (r == 0) {
		json_t *ex = json_object_get(doc, "expect");
		json_t *rec = recorded_expectations(s, run);

		if (ex == NULL) {
			json_object_set_new(doc, "expect", rec);
		} else {
			json_array_extend(ex, rec);
			json_decref(rec);
		}
		ps_scenario_run_free(run);
		ps_scenario_free(sc);
		run = NULL;
		sc = NULL;
		recs_clear(s);
		/* And it must pass as written. */
		r = run_doc(s, doc, &sc, &run, err, sizeof(err));
	}
	if (r == 1) {
		say(s, "error: the saved scenario would not pass (a bug in procsim):\n");
		ps_scenario_report(run, s->out, "procsim");
		s->errors++;
	}
	uint64_t saved_events = run != NULL ? ps_scenario_events(run) : 0;

	ps_scenario_run_free(run);
	ps_scenario_free(sc);
	recs_clear(s);
	free(s->recs);
	s->recs = keep_recs;
	s->nrecs = keep_n;
	s->caprecs = keep_cap;
	s->run = keep_run;
	s->quiet = false;
	json_decref(base_expect);
	json_decref(pristine);
	if (r != 0) {
		json_decref(doc);
		return r == 1 ? -1 : fail(s, "cannot save: %s", err);
	}
	if (json_object_get(doc, "name") != NULL) {
		const char *name = json_string_value(json_object_get(doc, "name"));
		char buf[256];

		snprintf(buf, sizeof(buf), "%s (explored)", name != NULL ? name : "");
		json_object_set_new(doc, "name", json_string(buf));
	}
	r = write_atomic(s, argv[1], write_json, doc);
	json_decref(doc);
	if (r != 0)
		return -1;
	say(s, "wrote %s: until %s, %zu injected action%s; `procsim run %s` passes\n", argv[1],
	    s->done ? "the scenario's end" : fmt_time(now, t, sizeof(t)), s->ninj,
	    s->ninj == 1 ? "" : "s", argv[1]);
	if (!kept)
		say(s, "note: the file's own expectations were left out: the saved run ends before "
		       "they are all met\n");
	if (checks_dropped)
		say(s, "note: the \"expect_...\" checks of the injected requests were left out: "
		       "one of them does not hold\n");
	if (saved_events > seen)
		say(s, "note: the saved run goes on to the end of that instant: %" PRIu64
		       " events more than seen here\n", saved_events - seen);
	return 0;
}

/* --- help --- */

struct command {
	const char *name;
	const char *usage;
	const char *help;
};

static const struct command commands[] = {
	{ "step", "step [N]", "run N instructions (1): one CPU's next instruction, or a timer" },
	{ "next", "next [N]", "run to the Nth next event (1)" },
	{ "run", "run [until COND]", "run to the end, a breakpoint, COND or Ctrl-C" },
	{ "break", "break [on COND]", "stop on COND: orphan | exit [P] | signal SIG | syscall NAME"
	                             " | pid P | time T | event TYPE | ptrace [P] | tracestop [P];"
	                             " no COND: list" },
	{ "delete", "delete [N]", "delete breakpoint N, or all" },
	{ "back", "back [N] | back to #SEQ", "go back N instructions, or to just before event SEQ"
	                                     " (by replaying from the start)" },
	{ "ps", "ps", "every process, as ps(1) shows it" },
	{ "tree", "tree", "the process tree, with groups and sessions" },
	{ "pgrps", "pgrps", "every process group: pg_jobc, orphaned, members" },
	{ "sessions", "sessions", "every session: leader, terminal, foreground group" },
	{ "jobc", "jobc PGID", "a group's pg_jobc, and the count recomputed from its members" },
	{ "explain", "explain PGID", "why a group is or is not orphaned, member by member" },
	{ "mem", "mem PID ADDR [LEN]", "LEN bytes (64) of memory at ADDR (a number or label[+off])" },
	{ "regs", "regs PID", "registers of each thread of PID" },
	{ "args", "args PID", "arguments, environment and auxv of PID, read from its memory" },
	{ "vmmap", "vmmap PID", "the memory map of PID: ranges, protections, resident pages" },
	{ "ptrace", "ptrace PID", "what ptrace keeps of PID: tracer, p_oppid, real parent, flags,"
	                          " p_xstat, and each thread's td_dbgflags and td_xsig" },
	{ "do", "do ACTION", "act now: signal P SIG [from P] | kill PID SIG | hangup TTY | fork P"
	                     " [name N] | exit P [STATUS] | setpgid P [PID [PGRP]] | setsid P | wait"
	                     " P [CHILD] | tcsetpgrp P TTY PGRP | check | ptrace BY REQUEST TARGET"
	                     " [ADDR [DATA]] | ptrace BY io TARGET OP OFFS LEN|BYTES | ptrace BY"
	                     " setregs TARGET REG=VALUE... | ptrace BY vm_entry TARGET [ENTRY"
	                     " [PATHLEN]] | procctl BY pid|pgid ID set|clear[,descend][,inherit] |"
	                     " {JSON event}" },
	{ "actions", "actions", "the actions injected with do" },
	{ "drop", "drop [N]", "remove injected action N (the last)" },
	{ "trace", "trace [N]", "the last N events (20), numbered for back to" },
	{ "dot", "dot FILE", "write the process tree now as Graphviz (- for here)" },
	{ "save", "save FILE", "write the session as a scenario that records what was seen" },
	{ "set", "set verbose on|off", "show system calls, switches and timers too" },
	{ "where", "where", "the time, the step, the last event and the trace hash" },
	{ "help", "help [CMD]", "this list, or one command" },
	{ "quit", "quit", "leave (so does end of input)" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static int
cmd_help(struct session *s, int argc, char **argv)
{
	if (argc == 2) {
		for (size_t i = 0; i < NCOMMANDS; i++)
			if (strcmp(commands[i].name, argv[1]) == 0) {
				say(s, "%s\n  %s\n", commands[i].usage, commands[i].help);
				return 0;
			}
		return fail(s, "no command \"%s\" (help lists them)", argv[1]);
	}
	if (argc > 2)
		return fail(s, "usage: help [CMD]");
	for (size_t i = 0; i < NCOMMANDS; i++)
		say(s, "  %-24s %s\n", commands[i].usage, commands[i].help);
	say(s, "Processes are names from the scenario, #PID or PID; times are like 1500, 2us, "
	       "1.5ms.\n");
	return 0;
}

/* --- completion --- */

static const char *const cond_words[] = { "orphan", "exit", "signal", "syscall", "pid",
	                                  "time", "event", "ptrace", "tracestop", NULL };
static const char *const do_words[] = { "signal", "kill", "hangup", "fork", "exit", "setpgid",
	                                "setsid", "wait", "tcsetpgrp", "check", "ptrace",
	                                "procctl", NULL };
static const char *const io_words[] = { "read_d", "read_i", "write_d", "write_i", NULL };
static const char *const procctl_flags[] = { "set", "clear", "set,descend", "set,inherit",
	                                     "set,descend,inherit", "clear,descend",
	                                     "clear,inherit", "clear,descend,inherit", NULL };

static void
add_cand(char ***v, size_t *n, const char *word, const char *prefix)
{
	void *p;

	if (strncmp(word, prefix, strlen(prefix)) != 0)
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i], word) == 0)
			return;
	p = realloc(*v, (*n + 1) * sizeof(**v));
	if (p == NULL)
		return;
	*v = p;
	if (((*v)[*n] = strdup(word)) != NULL)
		(*n)++;
}

static size_t
complete(void *arg, const char *line, size_t word_start, char ***out)
{
	struct session *s = arg;
	char buf[512], *argv[MAX_ARGS];
	const char *prefix = line + word_start;
	size_t n = 0;
	int argc;

	*out = NULL;
	snprintf(buf, sizeof(buf), "%.*s", (int)word_start, line);
	argc = split(buf, argv);
	if (argc < 0)
		return 0;
	if (argc == 0) {
		for (size_t i = 0; i < NCOMMANDS; i++)
			add_cand(out, &n, commands[i].name, prefix);
		return n;
	}
	if ((argc == 1 && (strcmp(argv[0], "break") == 0 || strcmp(argv[0], "run") == 0))) {
		add_cand(out, &n, strcmp(argv[0], "run") == 0 ? "until" : "on", prefix);
		return n;
	}
	if (argc == 2 && (strcmp(argv[1], "on") == 0 || strcmp(argv[1], "until") == 0)) {
		for (size_t i = 0; cond_words[i] != NULL; i++)
			add_cand(out, &n, cond_words[i], prefix);
		return n;
	}
	if (argc == 1 && strcmp(argv[0], "do") == 0) {
		for (size_t i = 0; do_words[i] != NULL; i++)
			add_cand(out, &n, do_words[i], prefix);
		return n;
	}
	if (argc >= 3 && strcmp(argv[0], "do") == 0 && strcmp(argv[1], "ptrace") == 0) {
		/* do ptrace BY <request> TARGET, do ptrace BY io TARGET <op> */
		if (argc == 3) {
			char names[48][24];
			size_t k = request_names(names, 48);

			for (size_t i = 0; i < k; i++)
				add_cand(out, &n, names[i], prefix);
			return n;
		}
		if (argc == 5 && request_of(argv[3]) == PS_PT_IO) {
			for (size_t i = 0; io_words[i] != NULL; i++)
				add_cand(out, &n, io_words[i], prefix);
			return n;
		}
		if (argc == 5 && request_of(argv[3]) != PS_PT_SETREGS)
			add_cand(out, &n, "same", prefix);
	}
	if (argc >= 3 && strcmp(argv[0], "do") == 0 && strcmp(argv[1], "procctl") == 0) {
		/* do procctl BY <pid|pgid> ID <flags> */
		if (argc == 3 || argc == 5) {
			const char *const *w = argc == 3 ? (const char *const[]){ "pid", "pgid", NULL }
			                                 : procctl_flags;

			for (size_t i = 0; w[i] != NULL; i++)
				add_cand(out, &n, w[i], prefix);
			return n;
		}
	}
	if (argc == 1 && strcmp(argv[0], "help") == 0) {
		for (size_t i = 0; i < NCOMMANDS; i++)
			add_cand(out, &n, commands[i].name, prefix);
		return n;
	}
	if (argc == 1 && strcmp(argv[0], "set") == 0) {
		add_cand(out, &n, "verbose", prefix);
		return n;
	}
	if (argc == 1 && strcmp(argv[0], "event") == 0) {
		return 0;
	}
	/* Names of processes, signals, event types. */
	if (strncmp(prefix, "SIG", strlen(prefix) < 3 ? strlen(prefix) : 3) == 0 &&
	    prefix[0] == 'S')
		for (int sig = 1; sig < 32; sig++)
			if (ps_signal_name(sig) != NULL)
				add_cand(out, &n, ps_signal_name(sig), prefix);
	if (strcmp(argv[argc - 1], "event") == 0)
		for (uint32_t t = 0; t < PS_EV_COUNT_; t++)
			add_cand(out, &n, ps_event_name(t), prefix);
	if (s->run != NULL)
		for (size_t i = 0; i < s->nrecs; i++) {
			const char *name = ps_scenario_pid_name(s->run, s->recs[i].ev.pid);

			if (name != NULL)
				add_cand(out, &n, name, prefix);
		}
	return n;
}

/* --- the loop --- */

static int
dispatch(struct session *s, char *line, bool *quit)
{
	char copy[1024], *argv[MAX_ARGS];
	int argc;

	snprintf(copy, sizeof(copy), "%s", line);
	/* do {JSON}: the JSON as typed, one word however many spaces it has. */
	{
		char *p = line + strspn(line, " \t");

		if (strncmp(p, "do", 2) == 0 && (p[2] == ' ' || p[2] == '\t') &&
		    p[2 + strspn(p + 2, " \t")] == '{') {
			argv[0] = p;
			p[2] = '\0';
			argv[1] = p + 3 + strspn(p + 3, " \t");
			argv[1][strcspn(argv[1], "\n")] = '\0';
			if (s->run == NULL)
				return fail(s, "no run (the last rebuild failed); `back` starts again");
			return cmd_do(s, 2, argv, copy);
		}
	}
	argc = split(line, argv);
	if (argc < 0)
		return fail(s, "too many words (at most %d)", MAX_ARGS);
	if (argc == 0)
		return 0;
	if (s->run == NULL && strcmp(argv[0], "quit") != 0 && strcmp(argv[0], "help") != 0)
		return fail(s, "no run (the last rebuild failed); `back` starts again");
	if (strcmp(argv[0], "quit") == 0 || strcmp(argv[0], "exit") == 0) {
		*quit = true;
		return 0;
	}
	if (strcmp(argv[0], "step") == 0 || strcmp(argv[0], "s") == 0)
		return cmd_step(s, argc, argv);
	if (strcmp(argv[0], "next") == 0 || strcmp(argv[0], "n") == 0)
		return cmd_step(s, argc, argv);
	if (strcmp(argv[0], "run") == 0 || strcmp(argv[0], "continue") == 0 ||
	    strcmp(argv[0], "c") == 0)
		return cmd_go(s, argc, argv);
	if (strcmp(argv[0], "break") == 0 || strcmp(argv[0], "b") == 0)
		return cmd_break(s, argc, argv);
	if (strcmp(argv[0], "delete") == 0)
		return cmd_delete(s, argc, argv);
	if (strcmp(argv[0], "back") == 0)
		return cmd_back(s, argc, argv);
	if (strcmp(argv[0], "ps") == 0 || strcmp(argv[0], "tree") == 0 ||
	    strcmp(argv[0], "pgrps") == 0 || strcmp(argv[0], "sessions") == 0)
		return cmd_view(s, argc, argv);
	if (strcmp(argv[0], "jobc") == 0 || strcmp(argv[0], "explain") == 0)
		return cmd_group(s, argc, argv);
	if (strcmp(argv[0], "mem") == 0)
		return cmd_mem(s, argc, argv);
	if (strcmp(argv[0], "regs") == 0)
		return cmd_regs(s, argc, argv);
	if (strcmp(argv[0], "args") == 0 || strcmp(argv[0], "vmmap") == 0 ||
	    strcmp(argv[0], "ptrace") == 0)
		return cmd_procview(s, argc, argv);
	if (strcmp(argv[0], "do") == 0)
		return cmd_do(s, argc, argv, copy);
	if (strcmp(argv[0], "drop") == 0)
		return cmd_drop(s, argc, argv);
	if (strcmp(argv[0], "actions") == 0)
		return cmd_actions(s, argc, argv);
	if (strcmp(argv[0], "trace") == 0)
		return cmd_trace(s, argc, argv);
	if (strcmp(argv[0], "dot") == 0)
		return cmd_dot(s, argc, argv);
	if (strcmp(argv[0], "save") == 0)
		return cmd_save(s, argc, argv);
	if (strcmp(argv[0], "set") == 0)
		return cmd_set(s, argc, argv);
	if (strcmp(argv[0], "where") == 0) {
		if (argc != 1)
			return fail(s, "usage: where");
		where(s);
		say(s, "trace hash %016" PRIx64 " (procsim run --trace-hash gives the same for the "
		       "same events)\n", ps_scenario_trace_hash(s->run));
		return 0;
	}
	if (strcmp(argv[0], "help") == 0 || strcmp(argv[0], "?") == 0)
		return cmd_help(s, argc, argv);
	return fail(s, "unknown command \"%s\" (help lists the commands)", argv[0]);
}

static void
repl_usage(FILE *fp)
{
	fprintf(fp,
	        "usage: procsim repl FILE [--seed N] [--cpus N] [--policy rr|fifo|random|pct]\n"
	        "                         [--until TIME]\n"
	        "\n"
	        "Explore the scenario in FILE interactively (docs/repl.md): step, run to\n"
	        "breakpoints, go back, look at processes, groups and sessions, inject\n"
	        "actions, and save the session as a scenario.  Commands come from the\n"
	        "terminal (with line editing, history and TAB completion) or, when stdin\n"
	        "is not a terminal, one per line with no prompt.  `help` lists them.\n"
	        "\n"
	        "Exit status: 0 (quit or end of input), 2 bad usage or a bad scenario.\n");
}

static int
parse_options(int argc, char **argv, struct ps_scenario_options *opt, const char **path)
{
	*path = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t x;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			repl_usage(stdout);
			return 1;
		}
		if (a[0] != '-') {
			if (*path != NULL) {
				fprintf(stderr, "procsim repl: one scenario at a time\n");
				return -1;
			}
			*path = a;
			continue;
		}
		if (v == NULL) {
			fprintf(stderr, "procsim repl: %s needs a value\n", a);
			return -1;
		}
		i++;
		if (strcmp(a, "--seed") == 0 && parse_u64(v, &x)) {
			opt->set |= PS_SCOPT_SEED;
			opt->seed = x;
		} else if (strcmp(a, "--cpus") == 0 && parse_u64(v, &x) && x >= 1 &&
		           x <= PS_CPUS_MAX) {
			opt->set |= PS_SCOPT_CPUS;
			opt->cpus = (int32_t)x;
		} else if (strcmp(a, "--policy") == 0 && ps_policy_number(v) >= 0) {
			opt->set |= PS_SCOPT_POLICY;
			opt->policy = ps_policy_number(v);
		} else if (strcmp(a, "--until") == 0 && ps_parse_time(v, &x) == 0) {
			opt->set |= PS_SCOPT_UNTIL;
			opt->until = x;
		} else {
			fprintf(stderr, "procsim repl: bad option %s %s\n", a, v);
			return -1;
		}
	}
	if (*path == NULL) {
		fprintf(stderr, "procsim repl: which scenario? (procsim repl FILE)\n");
		return -1;
	}
	return 0;
}

static void
collect_pauses(struct session *s)
{
	json_t *events = json_object_get(s->doc, "events"), *e;
	size_t i;

	s->nbase = json_array_size(events);
	s->pauses = calloc(s->nbase + 1, sizeof(*s->pauses));
	if (s->pauses == NULL)
		return;
	json_array_foreach(events, i, e) {
		json_t *at = json_object_get(e, "at");
		const char *kind = json_string_value(json_object_get(e, "do"));
		uint64_t t;

		if (kind == NULL || strcmp(kind, "pause") != 0)
			continue;
		if (json_is_integer(at))
			s->pauses[s->npauses++] = (uint64_t)json_integer_value(at);
		else if (json_is_string(at) && ps_parse_time(json_string_value(at), &t) == 0)
			s->pauses[s->npauses++] = t;
	}
}

static void
session_free(struct session *s)
{
	ps_scenario_run_free(s->run);
	ps_scenario_free(s->sc);
	recs_clear(s);
	free(s->recs);
	for (size_t i = 0; i < s->ninj; i++) {
		json_decref(s->inj[i].action);
		free(s->inj[i].text);
	}
	free(s->inj);
	free(s->bps);
	free(s->pauses);
	json_decref(s->doc);
	uv_loop_close(&s->uv);
}

int
cmd_repl(int argc, char **argv)
{
	struct session s;
	char err[512];
	json_error_t je;
	bool interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO), quit = false, intr;
	int r;

	/* Line editing of non-ASCII input needs the terminal's character set. */
	setlocale(LC_CTYPE, "");
	memset(&s, 0, sizeof(s));
	ps_scenario_options_init(&s.opt);
	r = parse_options(argc, argv, &s.opt, &s.path);
	if (r != 0)
		return r > 0 ? EXIT_OK : (repl_usage(stderr), EXIT_USAGE);
	s.out = stdout;
	if ((r = ps_scenario_load_file(s.path, &s.sc, err, sizeof(err))) != 0) {
		fprintf(stderr, "procsim repl: %s\n", r == PS_EINVAL ? err : ps_strerror(r));
		return EXIT_USAGE;
	}
	/* The loader accepted it: jansson reads it the same way. */
	s.doc = json_load_file(s.path, JSON_REJECT_DUPLICATES, &je);
	if (s.doc == NULL) {
		fprintf(stderr, "procsim repl: %s: %s\n", s.path, je.text);
		ps_scenario_free(s.sc);
		return EXIT_USAGE;
	}
	collect_pauses(&s);
	if (uv_loop_init(&s.uv) != 0) {
		fprintf(stderr, "procsim repl: cannot start libuv\n");
		json_decref(s.doc);
		ps_scenario_free(s.sc);
		return EXIT_FAILED;
	}
	if (restart(&s, NULL, 0, &intr) != 0) {
		session_free(&s);
		return EXIT_USAGE;
	}
	if (repl_line_open(&s.line, "procsim", interactive, stdin, stdout, complete, &s) != 0) {
		fprintf(stderr, "procsim repl: cannot read commands\n");
		session_free(&s);
		return EXIT_FAILED;
	}
	{
		const char *name = ps_scenario_name(s.sc);
		char t[32];

		say(&s, "procsim repl: %s%s%s\n", s.path, name[0] != '\0' ? ": " : "", name);
		say(&s, "until %s; help lists the commands\n",
		    ps_scenario_until(s.run) == PS_TIME_NEVER
		        ? "idle"
		        : fmt_time(ps_scenario_until(s.run), t, sizeof(t)));
		where(&s);
	}
	while (!quit) {
		char *line = repl_line_read(s.line, "(procsim) ");

		if (line == NULL)
			break;
		dispatch(&s, line, &quit);
		free(line);
		fflush(s.out);
	}
	repl_line_close(s.line);
	session_free(&s);
	return EXIT_OK;
}
