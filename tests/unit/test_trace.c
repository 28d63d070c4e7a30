/*
 * Trace writers (procsim/trace.h, docs/trace-format.md).
 *
 * Goal: each format says what the run did, in the documented shape, and
 * the same run gives the same bytes.  Method: small simulators are built
 * through the public API and every event goes, through one callback, to a
 * writer of each format at once (each into its own open_memstream buffer),
 * to ps_trace_hash_event, and to a reference list of ps_event_json lines
 * made here.  Then:
 *
 *   - text: the header and every line put the event and the process at
 *     the same column offsets, and the lines hold the expected sentences
 *     (fork, signal, orphaned, exit, reap, setpgid, sysret with an error);
 *   - jsonl: the output is exactly the reference lines, verbose ones only
 *     with PS_TRACE_VERBOSE;
 *   - chrome: jansson parses it; per CPU track, B and E alternate (never an
 *     E without its B, none left open), timestamps never go back, the
 *     expected instants and metadata are there, a timestamp reads as the
 *     event's nanoseconds / 1000 with three decimals;
 *   - dot: the session and group clusters, a stopped member of an orphaned
 *     group filled, a zombie dashed, parent edges;
 *   - hash: equal to FNV-1a 64 computed here over the reference text;
 *   - every event type has a sentence with no placeholder;
 *   - argument errors, unknown names, and PS_EIO from a failing stream.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <procsim/procsim.h>
#include <procsim/trace.h>

#include "kern/internal_api.h"
#include "testlib.h"

/* --- a memory stream --- */

struct mem {
	FILE *fp;
	char *buf;
	size_t len;
};

static void
mem_open(struct mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->fp = open_memstream(&m->buf, &m->len);
	ck_assert_ptr_nonnull(m->fp);
}

/* Close the stream: m->buf then holds everything written. */
static void
mem_close(struct mem *m)
{
	ck_assert_int_eq(fclose(m->fp), 0);
	m->fp = NULL;
	ck_assert_ptr_nonnull(m->buf);
}

/* --- names the tests know processes by --- */

#define NAMES_MAX 16
struct names {
	int n;
	int32_t pid[NAMES_MAX];
	char name[NAMES_MAX][16];
};

static void
name_add(struct names *nm, int32_t pid, const char *name)
{
	ck_assert_int_lt(nm->n, NAMES_MAX);
	nm->pid[nm->n] = pid;
	snprintf(nm->name[nm->n], sizeof(nm->name[0]), "%s", name);
	nm->n++;
}

static const char *
namer(void *arg, int32_t pid)
{
	struct names *nm = arg;

	for (int i = 0; i < nm->n; i++)
		if (nm->pid[i] == pid)
			return nm->name[i];
	return NULL;
}

/* --- every format at once --- */

enum { W_TEXT, W_TEXT_V, W_JSONL, W_JSONL_V, W_CHROME, W_CHROME_V, W_DOT, W_NONE, NW };

struct fan {
	ps_trace_t *tr[NW];
	struct mem out[NW];
	struct mem ref_all;        /* ps_event_json + "\n" of every event. */
	struct mem ref_quiet;      /* The same, verbose events left out. */
	uint64_t hash;
	uint64_t nevents;
	uint64_t last_time;
	struct names names;
};

static const struct {
	int format;
	unsigned flags;
} fan_spec[NW] = {
	[W_TEXT] = { PS_TRACE_TEXT, 0 },
	[W_TEXT_V] = { PS_TRACE_TEXT, PS_TRACE_VERBOSE },
	[W_JSONL] = { PS_TRACE_JSONL, 0 },
	[W_JSONL_V] = { PS_TRACE_JSONL, PS_TRACE_VERBOSE },
	[W_CHROME] = { PS_TRACE_CHROME, 0 },
	[W_CHROME_V] = { PS_TRACE_CHROME, PS_TRACE_VERBOSE },
	[W_DOT] = { PS_TRACE_DOT, 0 },
	[W_NONE] = { PS_TRACE_NONE, 0 },
};

static void
fan_cb(const struct ps_event *ev, void *arg)
{
	struct fan *f = arg;
	char line[1024];
	int n = ps_event_json(ev, line, sizeof(line));

	ck_assert_int_gt(n, 0);
	ck_assert_int_lt(n, (int)sizeof(line));
	fprintf(f->ref_all.fp, "%s\n", line);
	if (!ps_event_verbose(ev->type))
		fprintf(f->ref_quiet.fp, "%s\n", line);
	for (int i = 0; i < NW; i++)
		ps_trace_event(ev, f->tr[i]);
	f->hash = ps_trace_hash_event(f->hash, ev);
	f->nevents++;
	f->last_time = ev->time;
}

static struct fan *
fan_new(ps_sim_t *sim)
{
	struct fan *f = calloc(1, sizeof(*f));

	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < NW; i++) {
		mem_open(&f->out[i]);
		ck_assert_int_eq(ps_trace_open(fan_spec[i].format, f->out[i].fp, fan_spec[i].flags,
		                               &f->tr[i]), 0);
		ps_trace_set_namer(f->tr[i], namer, &f->names);
	}
	mem_open(&f->ref_all);
	mem_open(&f->ref_quiet);
	f->hash = PS_TRACE_HASH_INIT;
	ck_assert_int_eq(ps_sim_set_event_cb(sim, fan_cb, f), 0);
	return f;
}

/* Close every writer (at the time of sim) and every stream. */
static void
fan_close(struct fan *f, ps_sim_t *sim)
{
	ck_assert_int_eq(ps_sim_set_event_cb(sim, NULL, NULL), 0);
	for (int i = 0; i < NW; i++) {
		ck_assert_int_eq(ps_trace_close(f->tr[i], sim), 0);
		f->tr[i] = NULL;
		mem_close(&f->out[i]);
	}
	mem_close(&f->ref_all);
	mem_close(&f->ref_quiet);
}

static void
fan_free(struct fan *f)
{
	for (int i = 0; i < NW; i++)
		free(f->out[i].buf);
	free(f->ref_all.buf);
	free(f->ref_quiet.buf);
	free(f);
}

/* --- checks on the text format --- */

/* Offsets of the columns, read off the header. */
static size_t
column(const char *title)
{
	const char *h = ps_trace_text_header();
	const char *p = strstr(h, title);

	ck_assert_ptr_nonnull(p);
	return (size_t)(p - h);
}

static bool
is_event_name(const char *s, size_t len)
{
	for (uint32_t t = 0; t < PS_EV_COUNT_; t++)
		if (strlen(ps_event_name(t)) == len && strncmp(ps_event_name(t), s, len) == 0)
			return true;
	return false;
}

/*
 * Every line: the time and the CPU end where the header's titles end, the
 * event starts at the EVENT column and is a known name, the subject starts
 * at the PID column; there is a sentence.  Returns the number of lines.
 */
static size_t
check_text_columns(const char *text, bool verbose)
{
	size_t ev_col = column("EVENT"), pid_col = column("PID"), what_col = column("WHAT");
	const char *line = text, *nl;
	size_t n = 0;

	ck_assert_uint_eq(ev_col, 21);
	ck_assert_uint_eq(pid_col, 42);
	ck_assert_uint_eq(what_col, 60);
	nl = strchr(line, '\n');
	ck_assert_ptr_nonnull(nl);
	ck_assert_int_eq(strncmp(line, ps_trace_text_header(), (size_t)(nl - line)), 0);
	for (line = nl + 1; *line != '\0'; line = nl + 1) {
		size_t len, evlen;

		nl = strchr(line, '\n');
		ck_assert_ptr_nonnull(nl);
		len = (size_t)(nl - line);
		ck_assert_msg(len > what_col, "short line: %.*s", (int)len, line);
		/* "    0.000500000" then the CPU right-aligned under "CPU". */
		ck_assert_int_eq(line[5], '.');
		ck_assert_int_eq(line[15], ' ');
		ck_assert_int_ne(line[18], ' ');
		ck_assert_int_eq(line[ev_col - 1], ' ');
		ck_assert_int_ne(line[ev_col], ' ');
		evlen = strcspn(line + ev_col, " ");
		ck_assert_msg(is_event_name(line + ev_col, evlen), "no event at column %zu: %.*s",
		              ev_col, (int)len, line);
		if (!verbose) {
			char name[32];

			snprintf(name, sizeof(name), "%.*s", (int)evlen, line + ev_col);
			ck_assert_msg(strcmp(name, "syscall") != 0 && strcmp(name, "sysret") != 0 &&
			              strcmp(name, "switch") != 0 && strcmp(name, "idle") != 0,
			              "verbose line in a quiet trace: %.*s", (int)len, line);
		}
		ck_assert_int_eq(line[pid_col - 1], ' ');
		ck_assert_int_ne(line[pid_col], ' ');
		ck_assert_ptr_null(memchr(line, '?', len));
		n++;
	}
	return n;
}

/* The line of the text trace that contains every one of the strings. */
static bool
text_has(const char *text, const char *a, const char *b, const char *c)
{
	const char *line = text;

	while (*line != '\0') {
		const char *nl = strchr(line, '\n');
		size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);
		char buf[512];

		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		if (strstr(buf, a) != NULL && (b == NULL || strstr(buf, b) != NULL) &&
		    (c == NULL || strstr(buf, c) != NULL))
			return true;
		if (nl == NULL)
			break;
		line = nl + 1;
	}
	return false;
}

static size_t
count_lines(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/* --- checks on the chrome format --- */

struct chrome_stats {
	size_t begins[PS_CPUS_MAX + 1];
	size_t instants;
	size_t named_cpus;
	bool kernel_track;
	size_t by_name_exit, by_name_tag, by_name_sysret, by_name_syscall, by_name_orphaned;
};

static double
num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	ck_assert_msg(json_is_number(v), "%s is not a number", key);
	return json_number_value(v);
}

/* Parse; well-formed slices per track, time never backwards; counts. */
static void
check_chrome(const char *text, struct chrome_stats *cs)
{
	json_error_t err;
	json_t *root = json_loads(text, 0, &err), *evs, *e;
	double last[PS_CPUS_MAX + 1];
	int depth[PS_CPUS_MAX + 1];
	size_t i;

	ck_assert_msg(root != NULL, "chrome trace: %d:%d: %s", err.line, err.column, err.text);
	memset(cs, 0, sizeof(*cs));
	memset(depth, 0, sizeof(depth));
	for (i = 0; i <= PS_CPUS_MAX; i++)
		last[i] = -1;
	ck_assert_str_eq(json_string_value(json_object_get(root, "displayTimeUnit")), "ns");
	evs = json_object_get(root, "traceEvents");
	ck_assert(json_is_array(evs));
	json_array_foreach(evs, i, e) {
		const char *ph = json_string_value(json_object_get(e, "ph"));
		const char *name = json_string_value(json_object_get(e, "name"));
		int tid;

		ck_assert_ptr_nonnull(ph);
		ck_assert_int_eq((int)num(e, "pid"), 0);
		if (strcmp(ph, "M") == 0) {
			const char *v = json_string_value(json_object_get(json_object_get(e, "args"), "name"));

			if (strcmp(name, "thread_name") == 0 && strncmp(v, "cpu", 3) == 0)
				cs->named_cpus++;
			if (strcmp(name, "thread_name") == 0 && strcmp(v, "kernel") == 0)
				cs->kernel_track = true;
			continue;
		}
		tid = (int)num(e, "tid");
		ck_assert(tid >= 0 && tid <= PS_CPUS_MAX);
		/* Each track's timestamps never go back. */
		ck_assert_msg(num(e, "ts") >= last[tid], "ts goes back on track %d", tid);
		last[tid] = num(e, "ts");
		if (strcmp(ph, "B") == 0) {
			ck_assert_int_lt(tid, PS_CPUS_MAX);
			ck_assert_int_eq(depth[tid], 0);
			depth[tid]++;
			cs->begins[tid]++;
			ck_assert_int_gt((int)num(json_object_get(e, "args"), "pid"), 0);
		} else if (strcmp(ph, "E") == 0) {
			ck_assert_int_eq(depth[tid], 1);
			depth[tid]--;
		} else {
			const char *s = json_string_value(json_object_get(e, "s"));

			ck_assert_str_eq(ph, "i");
			ck_assert_ptr_nonnull(s);
			ck_assert_str_eq(s, tid == PS_CPUS_MAX ? "g" : "t");
			ck_assert_ptr_nonnull(json_string_value(
			    json_object_get(json_object_get(e, "args"), "what")));
			cs->instants++;
			cs->by_name_exit += strcmp(name, "exit") == 0;
			cs->by_name_tag += strcmp(name, "tag") == 0;
			cs->by_name_sysret += strcmp(name, "sysret") == 0;
			cs->by_name_syscall += strcmp(name, "syscall") == 0;
			cs->by_name_orphaned += strcmp(name, "orphaned") == 0;
		}
	}
	for (i = 0; i <= PS_CPUS_MAX; i++)
		ck_assert_msg(depth[i] == 0, "slice left open on track %zu", i);
	json_decref(root);
}

/* --- a job-control story through the object-level API --- */

struct story {
	int32_t tty, sh, job, job2, z, z2;
};

/*
 * A login shell with a terminal; a job of two in its own group, which
 * ignores SIGHUP; a zombie child of the job; a child of the shell reaped
 * with wait.  The job is stopped, continued and stopped again, then the
 * shell exits: the job's group is orphaned with stopped members (SIGHUP,
 * ignored, and SIGCONT); then init stops the job's leader with SIGSTOP, so
 * the orphaned group has a stopped member at the end.
 */
static void
story_run(ps_sim_t *sim, struct fan *f, struct story *s)
{
	struct ps_sigaction ign = { .handler = PS_SIG_IGN };
	int status = -1;

	/*
	 * The namer is asked when an event is written, so names are given
	 * before the forks, with the pids sequential allocation will hand
	 * out (checked as they come).
	 */
	name_add(&f->names, 1, "init");
	name_add(&f->names, 2, "sh");
	name_add(&f->names, 3, "job");
	name_add(&f->names, 4, "job2");
	name_add(&f->names, 5, "z");
	name_add(&f->names, 6, "z2");
	ck_assert_int_eq(ps_tty_new(sim, "tty0", &s->tty), 0);
	s->sh = t_session(sim);
	ck_assert_int_eq(s->sh, 2);
	ck_assert_int_eq(ps_tiocsctty(sim, s->sh, s->tty), 0);
	s->job = t_fork(sim, s->sh);
	ck_assert_int_eq(ps_setpgid(sim, s->sh, s->job, s->job), 0);
	s->job2 = t_fork(sim, s->job);
	s->z = t_fork(sim, s->job);
	s->z2 = t_fork(sim, s->sh);
	ck_assert_int_eq(s->job, 3);
	ck_assert_int_eq(s->job2, 4);
	ck_assert_int_eq(s->z, 5);
	ck_assert_int_eq(s->z2, 6);
	ck_assert_int_eq(ps_exit(sim, s->z, 7), 0);
	ck_assert_int_eq(ps_exit(sim, s->z2, 0), 0);
	ck_assert_int_eq(ps_wait(sim, s->sh, s->z2, 0, &status), s->z2);
	ck_assert_int_eq(status, 0);
	ck_assert_int_eq(ps_sigaction(sim, s->job, PS_SIGHUP, &ign, NULL), 0);
	ck_assert_int_eq(ps_sigaction(sim, s->job2, PS_SIGHUP, &ign, NULL), 0);
	ck_assert_int_eq(ps_kill(sim, s->sh, -s->job, PS_SIGTSTP), 0);
	ck_assert_int_eq(ps_kill(sim, s->sh, -s->job, PS_SIGCONT), 0);
	ck_assert_int_eq(ps_kill(sim, s->sh, -s->job, PS_SIGTSTP), 0);
	ck_assert((t_flags(sim, s->job2) & PS_P_STOPPED_SIG) != 0);
	ck_assert_int_eq(ps_exit(sim, s->sh, 0), 0);
	ck_assert_int_eq(ps_kill(sim, 1, s->job, PS_SIGSTOP), 0);
	ck_assert((t_flags(sim, s->job) & PS_P_STOPPED_SIG) != 0);
	ck_assert((t_flags(sim, s->job2) & PS_P_STOPPED_SIG) == 0);
	t_check(sim);
}

static struct ps_proc_info
pinfo(ps_sim_t *sim, int32_t pid)
{
	struct ps_proc_info pi;

	ck_assert_int_eq(ps_proc_info(sim, pid, &pi), 0);
	return pi;
}

static ps_sim_t *
new_sim(int cpus)
{
	struct ps_config c = t_config();
	ps_sim_t *sim = NULL;

	c.cpus = cpus;
	ck_assert_int_eq(ps_sim_new(&c, &sim), 0);
	return sim;
}

START_TEST(text_tells_the_story_in_aligned_columns)
{
	ps_sim_t *sim = new_sim(1);
	struct fan *f = fan_new(sim);
	struct story s;
	char a[64], b[64];
	const char *text;

	story_run(sim, f, &s);
	fan_close(f, sim);
	text = f->out[W_TEXT].buf;
	/* One line per non-verbose event, after the header. */
	ck_assert_uint_eq(check_text_columns(text, false), count_lines(f->ref_quiet.buf));
	ck_assert_uint_eq(check_text_columns(f->out[W_TEXT_V].buf, true), f->nevents);
	snprintf(a, sizeof(a), "%d(sh)", s.sh);
	snprintf(b, sizeof(b), "forked %d(job)", s.job);
	ck_assert(text_has(text, " fork ", a, b));
	snprintf(b, sizeof(b), "joined pgrp %d", s.job);
	ck_assert(text_has(text, " setpgid ", b, NULL));
	snprintf(b, sizeof(b), "SIGTSTP from %d(sh)", s.sh);
	ck_assert(text_has(text, " signal ", "(job2)", b));
	ck_assert(text_has(text, " signal ", "(job2)", "SIGHUP from kernel"));
	ck_assert(text_has(text, " discard ", "(job2)", "SIGHUP discarded: ignored"));
	ck_assert(text_has(text, " stop ", "(job2)", "stopped by SIGTSTP"));
	ck_assert(text_has(text, " continue ", "(job2)", "continued by SIGCONT"));
	snprintf(a, sizeof(a), " pgrp %d ", s.job);
	ck_assert(text_has(text, " orphaned ", a, "has a stopped member"));
	snprintf(a, sizeof(a), " %d(z) ", s.z);
	ck_assert(text_has(text, " exit ", a, "exited 7, parent"));
	snprintf(a, sizeof(a), " %d(z2) ", s.z2);
	snprintf(b, sizeof(b), "reaped by %d(sh): exited 0", s.sh);
	ck_assert(text_has(text, " reap ", a, b));
	snprintf(b, sizeof(b), "reported %d(z2): exited 0", s.z2);
	ck_assert(text_has(text, " wait ", b, NULL));
	snprintf(a, sizeof(a), " %d(sh) ", s.sh);
	ck_assert(text_has(text, " reap ", a, "reaped by 1(init)"));
	snprintf(b, sizeof(b), "reparented to 1(init)");
	ck_assert(text_has(text, " reparent ", "(job)", b));
	ck_assert(text_has(text, " ctty ", "took tty 0 (tty0) as controlling terminal", NULL));
	ck_assert(text_has(text, " revoke ", " tty 0 ", "tty0 revoked"));
	ck_assert(text_has(text, " jobc ", " pgrp ", "pg_jobc="));
	/* Object-level calls run on no CPU: the column says "-". */
	ck_assert_int_eq(text[strlen(ps_trace_text_header()) + 1 + 18], '-');
	/* The time of an object-level story is 0. */
	ck_assert_int_eq(strncmp(text + strlen(ps_trace_text_header()) + 1, "    0.000000000 ", 16), 0);
	fan_free(f);
	ps_sim_free(sim);
}
END_TEST

START_TEST(jsonl_is_event_json_and_hash_is_fnv_of_it)
{
	ps_sim_t *sim = new_sim(1);
	struct fan *f = fan_new(sim);
	struct story s;
	uint64_t h = 0xcbf29ce484222325ull;

	story_run(sim, f, &s);
	fan_close(f, sim);
	ck_assert_str_eq(f->out[W_JSONL].buf, f->ref_quiet.buf);
	ck_assert_str_eq(f->out[W_JSONL_V].buf, f->ref_all.buf);
	ck_assert_uint_eq(count_lines(f->out[W_JSONL_V].buf), f->nevents);
	for (const char *p = f->ref_all.buf; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 0x100000001b3ull;
	}
	ck_assert_uint_eq(f->hash, h);
	ck_assert_uint_ne(h, PS_TRACE_HASH_INIT);
	/* A writer of none writes nothing. */
	ck_assert_uint_eq(f->out[W_NONE].len, 0);
	fan_free(f);
	ps_sim_free(sim);
}
END_TEST

/*
 * ps_event_json formats by hand (it runs for every event of every run, to
 * hash it); the result is what snprintf with the documented format makes,
 * for extreme numbers, escapes, and a buffer of every length (truncated
 * and NUL-terminated as snprintf does, the whole length returned).
 */
START_TEST(event_json_is_snprintf_exact)
{
	static const char detail[] = "a\"b\\c\n\x01\x7f\xff z";
	struct ps_event ev = { .seq = UINT64_MAX, .time = 18446744073709551615ull,
	                       .type = PS_EV_SIGNAL_SEND, .pid = INT32_MIN, .pid2 = -1,
	                       .pgid = INT32_MAX, .sid = 0, .tid = -77, .cpu = -1,
	                       .sig = PS_SIGTERM, .value = INT32_MIN, .detail = detail };
	char ref[512], got[512], esc[128];
	size_t e = 0;
	int n;

	for (const char *c = detail; *c != '\0'; c++) {
		unsigned char u = (unsigned char)*c;

		if (u == '"' || u == '\\')
			e += (size_t)snprintf(esc + e, sizeof(esc) - e, "\\%c", u);
		else if (u < 0x20 || u >= 0x7f)
			e += (size_t)snprintf(esc + e, sizeof(esc) - e, "\\u%04x", u);
		else
			e += (size_t)snprintf(esc + e, sizeof(esc) - e, "%c", u);
	}
	n = snprintf(ref, sizeof(ref),
	             "{\"seq\":%llu,\"t\":%llu,\"type\":\"%s\",\"pid\":%d,\"pid2\":%d,\"pgid\":%d,"
	             "\"sid\":%d,\"tid\":%d,\"cpu\":%d,\"sig\":\"%s\",\"value\":%d,\"detail\":\"%s\"}",
	             (unsigned long long)ev.seq, (unsigned long long)ev.time,
	             ps_event_name(ev.type), ev.pid, ev.pid2, ev.pgid, ev.sid, ev.tid, ev.cpu,
	             ps_signal_name(ev.sig), ev.value, esc);
	ck_assert_int_lt(n, (int)sizeof(ref));
	ck_assert_int_eq(ps_event_json(&ev, NULL, 0), n);
	for (size_t len = 1; len <= (size_t)n + 1; len++) {
		memset(got, '#', sizeof(got));
		ck_assert_int_eq(ps_event_json(&ev, got, len), n);
		ck_assert_uint_eq(strlen(got), len - 1);
		ck_assert_int_eq(memcmp(got, ref, len - 1), 0);
		ck_assert_int_eq(got[len], '#'); /* Nothing written past the buffer. */
	}
	/* No signal and no detail: "sig":null and no "detail" member. */
	ev.sig = 0;
	ev.detail = NULL;
	ck_assert_int_gt(ps_event_json(&ev, got, sizeof(got)), 0);
	ck_assert_ptr_nonnull(strstr(got, ",\"sig\":null,\"value\":-2147483648}"));
}
END_TEST

START_TEST(hash_of_a_long_detail_matches_the_json)
{
	/* A detail longer than the stack buffer goes through the heap. */
	static char detail[3000];
	struct ps_event ev = { .seq = 9, .type = PS_EV_TAG, .pid = 4, .cpu = -1, .detail = detail };
	char *line;
	int n;
	uint64_t h = PS_TRACE_HASH_INIT;

	memset(detail, 'x', sizeof(detail) - 1);
	detail[17] = '"';
	detail[18] = '\n';
	n = ps_event_json(&ev, NULL, 0);
	ck_assert_int_gt(n, 2048);
	line = malloc((size_t)n + 2);
	ck_assert_ptr_nonnull(line);
	ck_assert_int_eq(ps_event_json(&ev, line, (size_t)n + 1), n);
	line[n] = '\n';
	for (int i = 0; i <= n; i++) {
		h ^= (unsigned char)line[i];
		h *= 0x100000001b3ull;
	}
	ck_assert_uint_eq(ps_trace_hash_event(PS_TRACE_HASH_INIT, &ev), h);
	/* And the writers take it whole. */
	struct mem m;
	ps_trace_t *tr;

	mem_open(&m);
	ck_assert_int_eq(ps_trace_open(PS_TRACE_JSONL, m.fp, 0, &tr), 0);
	ps_trace_event(&ev, tr);
	ck_assert_int_eq(ps_trace_close(tr, NULL), 0);
	mem_close(&m);
	ck_assert_uint_eq(m.len, (size_t)n + 1);
	ck_assert_int_eq(memcmp(m.buf, line, (size_t)n + 1), 0);
	free(m.buf);
	mem_open(&m);
	ck_assert_int_eq(ps_trace_open(PS_TRACE_TEXT, m.fp, 0, &tr), 0);
	ps_trace_event(&ev, tr);
	ck_assert_int_eq(ps_trace_close(tr, NULL), 0);
	mem_close(&m);
	ck_assert_uint_gt(m.len, 2900);
	ck_assert_ptr_nonnull(strstr(m.buf, "named itself xxxxxxxxxxxxxxxxx\"."));
	free(m.buf);
	free(line);
}
END_TEST

START_TEST(dot_draws_sessions_groups_and_states)
{
	ps_sim_t *sim = new_sim(1);
	struct fan *f = fan_new(sim);
	struct story s;
	struct mem direct;
	char want[160];
	const char *dot;

	story_run(sim, f, &s);
	/* The snapshot is taken now; later events do not change it. */
	ck_assert_int_eq(ps_trace_snapshot(f->tr[W_DOT], sim), 0);
	ck_assert_int_eq(ps_kill(sim, 1, s.job, PS_SIGCONT), 0);
	ck_assert_int_eq(ps_trace_snapshot(f->tr[W_DOT], sim), 0);
	fan_close(f, sim);
	dot = f->out[W_DOT].buf;
	ck_assert_int_eq(strncmp(dot, "digraph procsim {\n", 18), 0);
	ck_assert_int_eq(strcmp(dot + strlen(dot) - 2, "}\n"), 0);
	/* The shell's session, its leader gone, still with its terminal. */
	snprintf(want, sizeof(want), "subgraph cluster_s%d {\n\t\tlabel=\"session %d, leader gone, tty 0\";",
	         s.sh, s.sh);
	ck_assert_msg(strstr(dot, want) != NULL, "no %s in\n%s", want, dot);
	snprintf(want, sizeof(want), "subgraph cluster_g%d {\n\t\t\tlabel=\"pgrp %d, pg_jobc 0, orphaned\";",
	         s.job, s.job);
	ck_assert_msg(strstr(dot, want) != NULL, "no %s in\n%s", want, dot);
	/* Orphaned with a stopped member: drawn in red. */
	ck_assert_ptr_nonnull(strstr(dot, "orphaned\";\n\t\t\tstyle=solid; color=red3; fontcolor=red3;\n"));
	/* init's session and group, foreground of no terminal. */
	ck_assert_ptr_nonnull(strstr(dot, "subgraph cluster_s1 {"));
	ck_assert_ptr_nonnull(strstr(dot, "subgraph cluster_g1 {"));
	/* The stopped leader filled, its continued partner plain, the zombie dashed. */
	snprintf(want, sizeof(want), "p%d [label=\"%d job\\n", s.job, s.job);
	ck_assert_msg(strstr(dot, want) != NULL, "no %s in\n%s", want, dot);
	snprintf(want, sizeof(want), "p%d [label=\"%d job\\n%s\", shape=ellipse, style=filled, "
	         "fillcolor=\"#ffc8c8\"];", s.job, s.job, pinfo(sim, s.job).comm);
	ck_assert_msg(strstr(dot, want) != NULL, "no %s in\n%s", want, dot);
	snprintf(want, sizeof(want), "p%d [label=\"%d job2\\n%s\", shape=ellipse];", s.job2, s.job2,
	         pinfo(sim, s.job2).comm);
	ck_assert_msg(strstr(dot, want) != NULL, "no %s in\n%s", want, dot);
	snprintf(want, sizeof(want), "p%d [label=\"%d z\\n%s\", shape=ellipse, style=dashed, "
	         "color=gray50, fontcolor=gray50];", s.z, s.z, pinfo(sim, s.z).comm);
	ck_assert_msg(strstr(dot, want) != NULL, "no %s in\n%s", want, dot);
	/* The zombie is drawn inside its group's cluster, after the group's label. */
	snprintf(want, sizeof(want), "cluster_g%d", s.job);
	const char *g = strstr(dot, want);
	snprintf(want, sizeof(want), "\tp%d [", s.z);
	ck_assert(g != NULL && strstr(dot, want) > g);
	/* Edges from the real parent; the shell, reaped, is gone. */
	snprintf(want, sizeof(want), "\tp1 -> p%d;\n", s.job);
	ck_assert_ptr_nonnull(strstr(dot, want));
	snprintf(want, sizeof(want), "\tp%d -> p%d;\n", s.job, s.z);
	ck_assert_ptr_nonnull(strstr(dot, want));
	snprintf(want, sizeof(want), "\tp%d -> p%d;\n", s.job, s.job2);
	ck_assert_ptr_nonnull(strstr(dot, want));
	ck_assert_ptr_nonnull(strstr(dot, "\tp0 -> p1;\n"));
	snprintf(want, sizeof(want), "p%d ", s.sh);
	ck_assert_ptr_null(strstr(dot, want));
	ck_assert_ptr_null(strstr(dot, "traces"));
	/* ps_trace_dot draws the same tree as the writer did before SIGCONT. */
	ck_assert_int_eq(ps_kill(sim, 1, s.job, PS_SIGSTOP), 0);
	mem_open(&direct);
	ck_assert_int_eq(ps_trace_dot(sim, direct.fp, namer, &f->names), 0);
	mem_close(&direct);
	ck_assert_str_eq(direct.buf, dot);
	free(direct.buf);
	fan_free(f);
	ps_sim_free(sim);
}
END_TEST

START_TEST(dot_at_close_without_snapshot)
{
	ps_sim_t *sim = new_sim(1);
	struct mem m;
	ps_trace_t *tr;

	mem_open(&m);
	ck_assert_int_eq(ps_trace_open(PS_TRACE_DOT, m.fp, 0, &tr), 0);
	ck_assert_int_eq(ps_trace_close(tr, sim), 0);
	mem_close(&m);
	ck_assert_ptr_nonnull(strstr(m.buf, "label=\"1\\ninit\""));
	free(m.buf);
	/* With no simulator: an empty graph. */
	mem_open(&m);
	ck_assert_int_eq(ps_trace_open(PS_TRACE_DOT, m.fp, 0, &tr), 0);
	ck_assert_int_eq(ps_trace_close(tr, NULL), 0);
	mem_close(&m);
	ck_assert_str_eq(m.buf, "digraph procsim {\n}\n");
	free(m.buf);
	ps_sim_free(sim);
}
END_TEST

/*
 * A traced process (attached through the kernel's internal entry point:
 * ptrace has no public call yet) is a diamond with a dotted edge from its
 * debugger, besides the edge from its real parent.
 */
START_TEST(dot_draws_a_traced_process)
{
	ps_sim_t *sim = new_sim(1);
	struct mem m;
	int32_t sh, dbg, child;
	char want[128];

	sh = t_session(sim);
	dbg = t_fork(sim, sh);
	child = t_fork(sim, sh);
	ck_assert_int_eq(ps__ptrace_attach(sim, dbg, child), 0);
	ck_assert((pinfo(sim, child).flags & PS_P_TRACED) != 0);
	mem_open(&m);
	ck_assert_int_eq(ps_trace_dot(sim, m.fp, NULL, NULL), 0);
	mem_close(&m);
	snprintf(want, sizeof(want), "\tp%d -> p%d;\n", sh, child);
	ck_assert_ptr_nonnull(strstr(m.buf, want));
	snprintf(want, sizeof(want), "\tp%d -> p%d [style=dotted, label=\"traces\"];\n", dbg, child);
	ck_assert_msg(strstr(m.buf, want) != NULL, "no %s in\n%s", want, m.buf);
	snprintf(want, sizeof(want), "p%d [label=\"%d\\n%s\", shape=diamond", child, child,
	         pinfo(sim, child).comm);
	ck_assert_msg(strstr(m.buf, want) != NULL, "no %s in\n%s", want, m.buf);
	/* The attach's SIGSTOP stopped it: filled as well as bold. */
	ck_assert((pinfo(sim, child).flags & PS_P_STOPPED_SIG) != 0);
	ck_assert_ptr_nonnull(strstr(m.buf, "shape=diamond, style=\"filled,bold\", fillcolor="));
	free(m.buf);
	ck_assert_int_eq(ps_wait(sim, dbg, child, 0, NULL), child);
	ck_assert_int_eq(ps__ptrace_detach(sim, dbg, child, 0), 0);
	ps_sim_free(sim);
}
END_TEST

/* --- programs on two CPUs --- */

static void
add_prog(ps_sim_t *sim, const char *name, const char *text)
{
	struct ps_asm_error err;
	int rc = ps_program_add(sim, name, text, &err);

	ck_assert_msg(rc == 0, "%s: %d:%d: %s", name, err.line, err.column, err.message);
}

/*
 * Two workers on two CPUs: each names itself, works, makes a setpgid into
 * init's group (EPERM: another session), works again and exits.
 */
static void
workers_run(ps_sim_t *sim, struct fan *f, int32_t *a, int32_t *b, bool to_end)
{
	int32_t sh;

	add_prog(sim, "w", "start:\n  tag worker\n  work 50000\n  sys setpgid 0, 1\n"
	                   "  work 20000\n  sys exit 3\n");
	name_add(&f->names, 2, "sh");
	name_add(&f->names, 3, "a");
	name_add(&f->names, 4, "b");
	sh = t_session(sim);
	ck_assert_int_eq(ps_spawn(sim, sh, "w", NULL, NULL, a), 0);
	ck_assert_int_eq(ps_spawn(sim, sh, "w", NULL, NULL, b), 0);
	ck_assert_int_eq(sh, 2);
	ck_assert_int_eq(*a, 3);
	ck_assert_int_eq(*b, 4);
	if (to_end) {
		ck_assert_int_eq(ps_sim_run_until(sim, PS_TIME_NEVER, 1000000, NULL), 0);
		ck_assert_uint_eq(ps_sim_next_time(sim), PS_TIME_NEVER);
	} else {
		ck_assert_int_eq(ps_sim_run_until(sim, 30000, 1000000, NULL), 0);
	}
	t_check(sim);
}

START_TEST(programs_on_two_cpus_in_every_format)
{
	ps_sim_t *sim = new_sim(2);
	struct fan *f = fan_new(sim);
	struct chrome_stats cs, csv;
	int32_t a, b;
	char want[96];

	workers_run(sim, f, &a, &b, true);
	fan_close(f, sim);
	/* text: quiet has no execution events; verbose has them. */
	check_text_columns(f->out[W_TEXT].buf, false);
	check_text_columns(f->out[W_TEXT_V].buf, true);
	snprintf(want, sizeof(want), " %d(a) ", a);
	ck_assert(text_has(f->out[W_TEXT].buf, " tag ", want, "named itself worker"));
	ck_assert(text_has(f->out[W_TEXT].buf, " exit ", want, "exited 3, parent"));
	ck_assert(text_has(f->out[W_TEXT_V].buf, " sysret ", want, "setpgid = -1 EPERM"));
	ck_assert(text_has(f->out[W_TEXT_V].buf, " syscall ", want, "setpgid"));
	ck_assert(text_has(f->out[W_TEXT_V].buf, " switch ", want, "runs on cpu"));
	ck_assert(text_has(f->out[W_TEXT_V].buf, " idle ", want, "left cpu"));
	ck_assert(!text_has(f->out[W_TEXT].buf, " sysret ", NULL, NULL));
	/* Both CPUs show in the CPU column. */
	ck_assert(text_has(f->out[W_TEXT_V].buf, "   0  switch ", NULL, NULL));
	ck_assert(text_has(f->out[W_TEXT_V].buf, "   1  switch ", NULL, NULL));
	/* jsonl */
	ck_assert_str_eq(f->out[W_JSONL].buf, f->ref_quiet.buf);
	ck_assert_str_eq(f->out[W_JSONL_V].buf, f->ref_all.buf);
	ck_assert_ptr_nonnull(strstr(f->ref_all.buf, "\"type\":\"idle\""));
	ck_assert_ptr_null(strstr(f->ref_quiet.buf, "\"type\":\"switch\""));
	/* chrome: a slice per run on each CPU, quiet and verbose alike. */
	check_chrome(f->out[W_CHROME].buf, &cs);
	check_chrome(f->out[W_CHROME_V].buf, &csv);
	ck_assert_uint_eq(cs.named_cpus, 2);
	ck_assert_uint_ge(cs.begins[0], 1);
	ck_assert_uint_ge(cs.begins[1], 1);
	ck_assert_uint_eq(cs.begins[0], csv.begins[0]);
	ck_assert_uint_eq(cs.begins[1], csv.begins[1]);
	ck_assert_uint_eq(cs.by_name_exit, 2);
	ck_assert_uint_eq(cs.by_name_tag, 2);
	ck_assert_uint_eq(cs.by_name_sysret, 0);
	ck_assert_uint_eq(cs.by_name_syscall, 0);
	/* setpgid returns; exit does not. */
	ck_assert_uint_eq(csv.by_name_syscall, 4);
	ck_assert_uint_eq(csv.by_name_sysret, 2);
	ck_assert_uint_gt(csv.instants, cs.instants);
	/* The object-level calls before the run are on the kernel track. */
	ck_assert(cs.kernel_track);
	snprintf(want, sizeof(want), "\"name\":\"%d a\",\"cat\":\"run\",\"ph\":\"B\"", a);
	ck_assert_ptr_nonnull(strstr(f->out[W_CHROME].buf, want));
	fan_free(f);
	ps_sim_free(sim);
}
END_TEST

/* Feeds a writer and keeps the time of the first switch that is not a
 * whole microsecond, whose timestamp must show its nanoseconds. */
struct switch_rec {
	ps_trace_t *tr;
	uint64_t t;
};

static void
record_switch(const struct ps_event *ev, void *arg)
{
	struct switch_rec *r = arg;

	ps_trace_event(ev, r->tr);
	if (ev->type == PS_EV_SWITCH && r->t == 0 && ev->time % 1000 != 0)
		r->t = ev->time;
}

START_TEST(chrome_closes_open_slices_at_the_time_of_sim)
{
	ps_sim_t *sim = new_sim(2);
	struct fan *f = fan_new(sim);
	struct chrome_stats cs;
	int32_t a, b;
	char want[96];
	uint64_t now;

	workers_run(sim, f, &a, &b, false);
	now = ps_sim_now(sim);
	ck_assert_uint_eq(now, 30000);
	fan_close(f, sim);
	check_chrome(f->out[W_CHROME].buf, &cs);
	/* Both still running: their slices end at 30 us. */
	snprintf(want, sizeof(want), "{\"ph\":\"E\",\"pid\":0,\"tid\":0,\"ts\":30.000}");
	ck_assert_msg(strstr(f->out[W_CHROME].buf, want) != NULL, "%s", f->out[W_CHROME].buf);
	snprintf(want, sizeof(want), "{\"ph\":\"E\",\"pid\":0,\"tid\":1,\"ts\":30.000}");
	ck_assert_ptr_nonnull(strstr(f->out[W_CHROME].buf, want));
	ck_assert_int_eq(strcmp(f->out[W_CHROME].buf + f->out[W_CHROME].len - 4, "\n]}\n"), 0);
	fan_free(f);
	ps_sim_free(sim);

	/* Without a simulator, at the last event; times with a remainder of
	 * nanoseconds print it exactly. */
	struct mem m;
	ps_trace_t *tr;
	struct switch_rec rec = { NULL, 0 };
	struct ps_config c = t_config();
	int32_t sh, pid;

	c.cpus = 1;
	c.quantum_ns = 12345;
	ck_assert_int_eq(ps_sim_new(&c, &sim), 0);
	mem_open(&m);
	ck_assert_int_eq(ps_trace_open(PS_TRACE_CHROME, m.fp, 0, &tr), 0);
	rec.tr = tr;
	ck_assert_int_eq(ps_sim_set_event_cb(sim, record_switch, &rec), 0);
	add_prog(sim, "w", "start:\n  work 100000\n  sys exit 0\n");
	sh = t_session(sim);
	ck_assert_int_eq(ps_spawn(sim, sh, "w", NULL, NULL, &pid), 0);
	ck_assert_int_eq(ps_spawn(sim, sh, "w", NULL, NULL, &pid), 0);
	ck_assert_int_eq(ps_sim_run_until(sim, 40000, 0, NULL), 0);
	ck_assert_int_eq(ps_sim_set_event_cb(sim, NULL, NULL), 0);
	ck_assert_int_eq(ps_trace_close(tr, NULL), 0);
	mem_close(&m);
	check_chrome(m.buf, &cs);
	ck_assert_uint_ne(rec.t, 0);
	snprintf(want, sizeof(want), "\"ph\":\"B\",\"pid\":0,\"tid\":0,\"ts\":%llu.%03llu,",
	         (unsigned long long)(rec.t / 1000), (unsigned long long)(rec.t % 1000));
	ck_assert_msg(strstr(m.buf, want) != NULL, "no %s in %s", want, m.buf);
	/* The open slice ends at the last event (a switch), not at 40 us. */
	ck_assert_ptr_null(strstr(m.buf, "\"ts\":40.000}"));
	free(m.buf);
	ps_sim_free(sim);
}
END_TEST

/* --- every event type --- */

static struct ps_event
sample(uint32_t type, const char *detail, int sig)
{
	struct ps_event ev = {
		.seq = 7, .type = type, .pid = 13, .pid2 = 12, .pgid = 13, .sid = 12,
		.sig = sig, .value = 0, .detail = detail, .time = 1500000, .tid = 100013, .cpu = 1,
	};

	return ev;
}

START_TEST(every_event_type_has_a_sentence)
{
	struct names nm = { 0 };
	char buf[512], small[8];

	name_add(&nm, 13, "job");
	name_add(&nm, 12, "sh");
	for (uint32_t type = 0; type < PS_EV_COUNT_; type++) {
		for (int variant = 0; variant < 4; variant++) {
			struct ps_event ev = sample(type, variant & 1 ? "detail" : NULL,
			                            variant & 2 ? PS_SIGHUP : 0);
			int n;

			ev.value = variant == 3 ? -1 : variant;
			n = ps_trace_format_text(&ev, variant < 2 ? namer : NULL, &nm, buf, sizeof(buf));
			ck_assert_msg(n > 0, "type %s: %d", ps_event_name(type), n);
			ck_assert_uint_eq((size_t)n, strlen(buf));
			ck_assert_msg(strchr(buf, '?') == NULL, "placeholder: %s", buf);
			ck_assert_msg(strstr(buf, "(null)") == NULL, "null: %s", buf);
			ck_assert_ptr_nonnull(strstr(buf, ps_event_name(type)));
			ck_assert_int_eq(strncmp(buf, "    0.001500000   1  ", 21), 0);
			/* The longest event name still leaves the PID column in place. */
			ck_assert_int_eq(buf[41], ' ');
			ck_assert_int_ne(buf[42], ' ');
			/* The sentence is there, after the subject. */
			ck_assert_uint_gt(strlen(buf), 60);
			/* snprintf's contract: the same length, a truncated prefix. */
			ck_assert_int_eq(ps_trace_format_text(&ev, variant < 2 ? namer : NULL, &nm, small,
			                                      sizeof(small)), n);
			ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
			ck_assert_int_eq(strncmp(small, buf, sizeof(small) - 1), 0);
			ck_assert_int_eq(ps_trace_format_text(&ev, variant < 2 ? namer : NULL, &nm, NULL, 0),
			                 n);
		}
	}
	/* A few sentences word for word. */
	struct ps_event ev = sample(PS_EV_EXIT, NULL, 0);

	ev.value = PS_SIGKILL;
	ck_assert_int_gt(ps_trace_format_text(&ev, namer, &nm, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "13(job)           killed by SIGKILL, parent 12(sh)"));
	ev.value = PS_SIGSEGV | PS_WCOREFLAG;
	ck_assert_int_gt(ps_trace_format_text(&ev, namer, &nm, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "killed by SIGSEGV (core dumped)"));
	ev = sample(PS_EV_SYSRET, "setpgid", 0);
	ev.value = PS_EPERM;
	ck_assert_int_gt(ps_trace_format_text(&ev, namer, &nm, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "sysret               13(job)           setpgid = -1 EPERM"));
	ev = sample(PS_EV_SYSCALL, "?", 0);
	ev.value = 999;
	ck_assert_int_gt(ps_trace_format_text(&ev, namer, &nm, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "unknown system call 999"));
	ev = sample(PS_EV_WAIT, "stopped", 0);
	ev.value = PS_W_STOPCODE(PS_SIGTSTP);
	ck_assert_int_gt(ps_trace_format_text(&ev, namer, &nm, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "reported 12(sh): stopped by SIGTSTP"));
	ck_assert_ptr_null(strstr(buf, "["));
	ev = sample(PS_EV_TAG, "job", 0);
	ck_assert_int_gt(ps_trace_format_text(&ev, NULL, NULL, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, " 13                named itself job"));
	ev = sample(PS_EV_HANGUP, "tty3", 0);
	ev.value = 3;
	ev.cpu = -1;
	ck_assert_int_gt(ps_trace_format_text(&ev, NULL, NULL, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "    0.001500000   -  hangup               tty 3             tty3 hung up");
	ev = sample(PS_EV_JOBC, "-1", 0);
	ck_assert_int_gt(ps_trace_format_text(&ev, NULL, NULL, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "jobc                 pgrp 13           pg_jobc=0 (-1)"));
	/* Unknown types and NULLs. */
	ev.type = PS_EV_COUNT_;
	ck_assert_int_eq(ps_trace_format_text(&ev, NULL, NULL, buf, sizeof(buf)), PS_EINVAL);
	ck_assert_int_eq(ps_trace_format_text(NULL, NULL, NULL, buf, sizeof(buf)), PS_EINVAL);
	ev.type = PS_EV_FORK;
	ck_assert_int_eq(ps_trace_format_text(&ev, NULL, NULL, NULL, 10), PS_EINVAL);
}
END_TEST

START_TEST(every_event_type_in_chrome_is_valid_json)
{
	struct chrome_stats cs;
	struct names nm = { 0 };
	struct mem m;
	ps_trace_t *tr;
	size_t quiet = 0;

	/* A name that needs escaping in JSON. */
	name_add(&nm, 13, "j\"o\\b\n");
	mem_open(&m);
	ck_assert_int_eq(ps_trace_open(PS_TRACE_CHROME, m.fp, PS_TRACE_VERBOSE, &tr), 0);
	ps_trace_set_namer(tr, namer, &nm);
	for (uint32_t type = 0; type < PS_EV_COUNT_; type++) {
		struct ps_event ev = sample(type, "d\"e\\t\x01", type % 3 == 0 ? PS_SIGHUP : 0);

		ev.time += type * 1001;
		ev.cpu = type % 2 == 0 ? 1 : -1;
		ev.value = type == PS_EV_SWITCH || type == PS_EV_IDLE ? 1 : 5;
		ps_trace_event(&ev, tr);
		quiet += !ps_event_verbose(type);
	}
	ck_assert_int_eq(ps_trace_close(tr, NULL), 0);
	mem_close(&m);
	check_chrome(m.buf, &cs);
	ck_assert_uint_eq(cs.begins[1], 1);
	/* Every type but switch and idle (drawn as the slice) is an instant. */
	ck_assert_uint_eq(cs.instants, PS_EV_COUNT_ - 2);
	ck_assert_uint_eq(cs.named_cpus, 1);
	ck_assert(cs.kernel_track);
	ck_assert_ptr_nonnull(strstr(m.buf, "\"name\":\"13 j\\\"o\\\\b\\u000a\""));
	free(m.buf);
	ck_assert_uint_eq(quiet, PS_EV_COUNT_ - 7);
}
END_TEST

/* --- names, verbosity, errors --- */

START_TEST(format_names_and_verbosity)
{
	static const char *const names[] = { "none", "text", "jsonl", "chrome", "dot" };

	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(ps_trace_format_number(names[i]), i);
		ck_assert_str_eq(ps_trace_format_name(i), names[i]);
	}
	ck_assert_int_eq(PS_TRACE_TEXT, 1);
	ck_assert_int_eq(PS_TRACE_DOT, 4);
	ck_assert_int_eq(ps_trace_format_number("json"), PS_EINVAL);
	ck_assert_int_eq(ps_trace_format_number("TEXT"), PS_EINVAL);
	ck_assert_int_eq(ps_trace_format_number(""), PS_EINVAL);
	ck_assert_int_eq(ps_trace_format_number(NULL), PS_EINVAL);
	ck_assert_ptr_null(ps_trace_format_name(-1));
	ck_assert_ptr_null(ps_trace_format_name(5));
	for (uint32_t t = 0; t < PS_EV_COUNT_ + 3; t++) {
		int v = t == PS_EV_SYSCALL || t == PS_EV_SYSRET || t == PS_EV_SWITCH ||
		        t == PS_EV_IDLE || t == PS_EV_SLEEP || t == PS_EV_WAKEUP || t == PS_EV_TIMER;

		ck_assert_int_eq(ps_event_verbose(t), v);
	}
	/* The header names its columns. */
	ck_assert_ptr_nonnull(strstr(ps_trace_text_header(), "TIME"));
	ck_assert_ptr_nonnull(strstr(ps_trace_text_header(), "CPU"));
}
END_TEST

START_TEST(null_arguments_and_bad_values)
{
	ps_sim_t *sim = new_sim(1);
	struct ps_event ev = sample(PS_EV_FORK, NULL, 0);
	ps_trace_t *tr = NULL;
	FILE *fp = fopen("/dev/null", "w");

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(ps_trace_open(PS_TRACE_TEXT, NULL, 0, &tr), PS_EINVAL);
	ck_assert_int_eq(ps_trace_open(PS_TRACE_TEXT, fp, 0, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_trace_open(5, fp, 0, &tr), PS_EINVAL);
	ck_assert_int_eq(ps_trace_open(-1, fp, 0, &tr), PS_EINVAL);
	ck_assert_int_eq(ps_trace_open(PS_TRACE_TEXT, fp, 0x2, &tr), PS_EINVAL);
	ck_assert_ptr_null(tr);
	/* None needs no stream. */
	ck_assert_int_eq(ps_trace_open(PS_TRACE_NONE, NULL, PS_TRACE_VERBOSE, &tr), 0);
	ps_trace_event(&ev, tr);
	ck_assert_int_eq(ps_trace_snapshot(tr, sim), 0);
	ck_assert_int_eq(ps_trace_close(tr, sim), 0);
	/* NULLs are no-ops or PS_EINVAL. */
	ck_assert_int_eq(ps_trace_close(NULL, sim), 0);
	ck_assert_int_eq(ps_trace_close(NULL, NULL), 0);
	ps_trace_event(&ev, NULL);
	ps_trace_set_namer(NULL, namer, NULL);
	ck_assert_int_eq(ps_trace_snapshot(NULL, sim), PS_EINVAL);
	ck_assert_int_eq(ps_trace_dot(NULL, fp, NULL, NULL), PS_EINVAL);
	ck_assert_int_eq(ps_trace_dot(sim, NULL, NULL, NULL), PS_EINVAL);
	ck_assert_uint_eq(ps_trace_hash_event(42, NULL), 42);
	ev.type = PS_EV_COUNT_;
	ck_assert_uint_eq(ps_trace_hash_event(42, &ev), 42);
	for (int f = PS_TRACE_NONE; f <= PS_TRACE_DOT; f++) {
		ck_assert_int_eq(ps_trace_open(f, fp, 0, &tr), 0);
		ps_trace_event(NULL, tr);
		ps_trace_event(&ev, tr);           /* An unknown type is skipped. */
		ck_assert_int_eq(ps_trace_snapshot(tr, NULL), PS_EINVAL);
		ck_assert_int_eq(ps_trace_close(tr, NULL), 0);
	}
	ck_assert_int_eq(fclose(fp), 0);
	ps_sim_free(sim);
}
END_TEST

START_TEST(write_errors_are_eio)
{
	ps_sim_t *sim = new_sim(1);
	struct ps_event ev = sample(PS_EV_FORK, NULL, 0);
	ps_trace_t *tr;
	FILE *fp;

	/* A stream that cannot be written at all. */
	for (int f = PS_TRACE_TEXT; f <= PS_TRACE_DOT; f++) {
		fp = fopen("/dev/null", "r");
		ck_assert_ptr_nonnull(fp);
		ck_assert_int_eq(ps_trace_open(f, fp, PS_TRACE_VERBOSE, &tr), 0);
		ps_trace_event(&ev, tr);
		ck_assert_int_eq(ps_trace_close(tr, sim), PS_EIO);
		ck_assert_int_eq(fclose(fp), 0);
	}
	/* A device that is full: buffered writes fail at the flush. */
	fp = fopen("/dev/full", "w");
	if (fp != NULL) {
		for (int f = PS_TRACE_TEXT; f <= PS_TRACE_DOT; f++) {
			ck_assert_int_eq(ps_trace_open(f, fp, 0, &tr), 0);
			ps_trace_event(&ev, tr);
			ck_assert_int_eq(ps_trace_close(tr, sim), PS_EIO);
			clearerr(fp);
		}
		ck_assert_int_eq(ps_trace_dot(sim, fp, NULL, NULL), PS_EIO);
		clearerr(fp);
		ck_assert_int_eq(ps_trace_open(PS_TRACE_DOT, fp, 0, &tr), 0);
		ck_assert_int_eq(ps_trace_snapshot(tr, sim), PS_EIO);
		ck_assert_int_eq(ps_trace_close(tr, sim), PS_EIO);
		fclose(fp);
	}
	ps_sim_free(sim);
}
END_TEST

START_TEST(same_run_same_bytes)
{
	char *out[2][NW];
	uint64_t hash[2];

	for (int r = 0; r < 2; r++) {
		ps_sim_t *sim = new_sim(2);
		struct fan *f = fan_new(sim);
		int32_t a, b;

		workers_run(sim, f, &a, &b, true);
		ck_assert_int_eq(ps_trace_snapshot(f->tr[W_DOT], sim), 0);
		fan_close(f, sim);
		for (int i = 0; i < NW; i++) {
			out[r][i] = f->out[i].buf;
			f->out[i].buf = NULL;
		}
		hash[r] = f->hash;
		fan_free(f);
		ps_sim_free(sim);
	}
	for (int i = 0; i < NW; i++) {
		ck_assert_str_eq(out[0][i], out[1][i]);
		free(out[0][i]);
		free(out[1][i]);
	}
	ck_assert_uint_eq(hash[0], hash[1]);
}
END_TEST

static Suite *
trace_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("formats");

	tcase_add_test(tc, text_tells_the_story_in_aligned_columns);
	tcase_add_test(tc, jsonl_is_event_json_and_hash_is_fnv_of_it);
	tcase_add_test(tc, hash_of_a_long_detail_matches_the_json);
	tcase_add_test(tc, event_json_is_snprintf_exact);
	tcase_add_test(tc, dot_draws_sessions_groups_and_states);
	tcase_add_test(tc, dot_at_close_without_snapshot);
	tcase_add_test(tc, dot_draws_a_traced_process);
	tcase_add_test(tc, programs_on_two_cpus_in_every_format);
	tcase_add_test(tc, chrome_closes_open_slices_at_the_time_of_sim);
	tcase_add_test(tc, every_event_type_has_a_sentence);
	tcase_add_test(tc, every_event_type_in_chrome_is_valid_json);
	tcase_add_test(tc, same_run_same_bytes);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, format_names_and_verbosity);
	tcase_add_test(tc, null_arguments_and_bad_values);
	tcase_add_test(tc, write_errors_are_eio);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return t_run(trace_suite());
}
