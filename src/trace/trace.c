/*
 * Trace writers (procsim/trace.h, docs/trace-format.md): the event stream
 * turned into text, JSON lines, a Chrome trace or a Graphviz tree.
 *
 * A writer is a small state machine fed one event at a time; it holds no
 * pointer into the simulator and keeps nothing of an event but numbers
 * (the event and its detail are borrowed for the callback only).  Its
 * output depends on the events, the flags, the namer's answers and, for
 * dot and the end of a chrome trace, on the simulator's state at the call:
 * never on addresses, hash order or the host's clock, so the same run
 * gives the same bytes.
 *
 * Write errors are not reported event by event (ps_trace_event is a
 * callback and has no result); the stream's error flag is sticky, and
 * ps_trace_close() flushes and reports PS_EIO if any write failed.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <procsim/procsim.h>
#include <procsim/trace.h>

#include "base/assert.h"
#include "trace/trace_internal.h"

#define LINE_STACK 1024     /* Events fit this; longer ones go to the heap. */
#define KERNEL_TRACK PS_CPUS_MAX /* Chrome thread of the events with no CPU. */
#define FNV_PRIME 0x100000001b3ull

struct ps_trace {
	int format;             /* enum ps_trace_format */
	unsigned flags;         /* PS_TRACE_* */
	FILE *fp;               /* Borrowed: never closed here. */
	ps_trace_namer namer;
	void *namer_arg;
	int err;                /* First failure other than a write: PS_ENOMEM. */
	bool snapshot_taken;    /* dot: the tree has been written. */
	/* chrome */
	bool chrome_any;        /* An entry is out: the next needs a comma. */
	bool process_named;     /* The "CPUs" process's metadata is out. */
	bool kernel_named;      /* The kernel track's metadata is out. */
	uint64_t last_time;     /* Of the last event seen, ns. */
	bool cpu_named[PS_CPUS_MAX];
	bool cpu_open[PS_CPUS_MAX]; /* A slice is open on the CPU's track. */
};

static const char *const format_names[] = {
	[PS_TRACE_NONE] = "none", [PS_TRACE_TEXT] = "text", [PS_TRACE_JSONL] = "jsonl",
	[PS_TRACE_CHROME] = "chrome", [PS_TRACE_DOT] = "dot",
};
#define NFORMATS (sizeof(format_names) / sizeof(format_names[0]))

int
ps_trace_format_number(const char *name)
{
	if (name == NULL)
		return PS_EINVAL;
	for (size_t i = 0; i < NFORMATS; i++)
		if (strcmp(format_names[i], name) == 0)
			return (int)i;
	return PS_EINVAL;
}

const char *
ps_trace_format_name(int format)
{
	if (format < 0 || (size_t)format >= NFORMATS)
		return NULL;
	return format_names[format];
}

int
ps_event_verbose(uint32_t type)
{
	switch (type) {
	case PS_EV_SYSCALL:
	case PS_EV_SYSRET:
	case PS_EV_SWITCH:
	case PS_EV_IDLE:
	case PS_EV_SLEEP:
	case PS_EV_WAKEUP:
	case PS_EV_TIMER:
		return 1;
	default:
		return 0;
	}
}

/* --- hashing --- */

static uint64_t
fnv1a(uint64_t hash, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		hash ^= (unsigned char)s[i];
		hash *= FNV_PRIME;
	}
	return hash;
}

uint64_t
ps_trace_hash_event(uint64_t hash, const struct ps_event *ev)
{
	char stack[LINE_STACK], *line = stack;
	int n;

	if (ev == NULL || (n = ps_event_json(ev, stack, sizeof(stack))) < 0)
		return hash;
	if ((size_t)n >= sizeof(stack)) {
		/* A detail longer than any the kernel writes today. */
		line = malloc((size_t)n + 1);
		PS_ASSERT_MSG(line != NULL, "out of memory hashing event %" PRIu64, ev->seq);
		PS_ASSERT(ps_event_json(ev, line, (size_t)n + 1) == n);
	}
	hash = fnv1a(hash, line, (size_t)n);
	hash = fnv1a(hash, "\n", 1);
	if (line != stack)
		free(line);
	return hash;
}

/* --- writers --- */

int
ps_trace_open(int format, FILE *fp, unsigned flags, ps_trace_t **out)
{
	ps_trace_t *tr;

	if (out == NULL || ps_trace_format_name(format) == NULL || (flags & ~PS_TRACE_VERBOSE) != 0)
		return PS_EINVAL;
	/* A writer of nothing needs no stream. */
	if (fp == NULL && format != PS_TRACE_NONE)
		return PS_EINVAL;
	if ((tr = calloc(1, sizeof(*tr))) == NULL)
		return PS_ENOMEM;
	tr->format = format;
	tr->flags = flags;
	tr->fp = fp;
	if (format == PS_TRACE_TEXT)
		fprintf(fp, "%s\n", ps_trace_text_header());
	else if (format == PS_TRACE_CHROME)
		fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[", fp);
	*out = tr;
	return 0;
}

void
ps_trace_set_namer(ps_trace_t *tr, ps_trace_namer namer, void *arg)
{
	if (tr == NULL)
		return;
	tr->namer = namer;
	tr->namer_arg = arg;
}

/*
 * A line made by a formatter with snprintf's contract, written with a
 * newline: on the stack when it fits, else in a heap buffer of its size.
 */
typedef int (*line_fn)(const struct ps_trace *tr, const struct ps_event *ev, char *buf,
                       size_t len);

static void
put_line(struct ps_trace *tr, const struct ps_event *ev, line_fn fn)
{
	char stack[LINE_STACK], *line = stack;
	int n = fn(tr, ev, stack, sizeof(stack));

	if (n < 0)
		return;         /* An unknown type: nothing to write. */
	if ((size_t)n >= sizeof(stack)) {
		if ((line = malloc((size_t)n + 1)) == NULL) {
			if (tr->err == 0)
				tr->err = PS_ENOMEM;
			return;
		}
		/* A namer may answer differently the second time: write what
		 * the buffer holds, never more. */
		int again = fn(tr, ev, line, (size_t)n + 1);

		if (again >= 0 && again < n)
			n = again;
	}
	fwrite(line, 1, (size_t)n, tr->fp);
	fputc('\n', tr->fp);
	if (line != stack)
		free(line);
}

static int
text_line(const struct ps_trace *tr, const struct ps_event *ev, char *buf, size_t len)
{
	return ps_trace_format_text(ev, tr->namer, tr->namer_arg, buf, len);
}

static int
json_line(const struct ps_trace *tr, const struct ps_event *ev, char *buf, size_t len)
{
	(void)tr;
	return ps_event_json(ev, buf, len);
}

/* --- chrome --- */

void
trace_json_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

/* Starts an entry of traceEvents: one per line, commas between. */
static void
chrome_entry(struct ps_trace *tr)
{
	fputs(tr->chrome_any ? ",\n" : "\n", tr->fp);
	tr->chrome_any = true;
}

/*
 * A timestamp in microseconds with three decimals, by integer arithmetic:
 * a double printed with %f could round differently from one libc to the
 * next, and the trace must be the same bytes everywhere.
 */
static void
chrome_ts(FILE *fp, uint64_t ns)
{
	fprintf(fp, "%" PRIu64 ".%03u", ns / 1000, (unsigned)(ns % 1000));
}

/* A thread of the "CPUs" process named, and placed by its sort index. */
static void
chrome_thread_name(struct ps_trace *tr, int tid, const char *name)
{
	if (!tr->process_named) {
		tr->process_named = true;
		chrome_entry(tr);
		fputs("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":0,"
		      "\"args\":{\"name\":\"CPUs\"}}", tr->fp);
	}
	chrome_entry(tr);
	fprintf(tr->fp, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":0,\"tid\":%d,"
	        "\"args\":{\"name\":\"%s\"}}", tid, name);
	chrome_entry(tr);
	fprintf(tr->fp, "{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":0,\"tid\":%d,"
	        "\"args\":{\"sort_index\":%d}}", tid, tid);
}

/* The metadata of a track, the first time it is used: cpu's, or with -1
 * the kernel's (events made outside any CPU). */
static void
chrome_track(struct ps_trace *tr, int cpu)
{
	char name[16];

	if (cpu < 0) {
		if (!tr->kernel_named) {
			tr->kernel_named = true;
			chrome_thread_name(tr, KERNEL_TRACK, "kernel");
		}
		return;
	}
	PS_ASSERT(cpu < PS_CPUS_MAX);
	if (!tr->cpu_named[cpu]) {
		tr->cpu_named[cpu] = true;
		snprintf(name, sizeof(name), "cpu%d", cpu);
		chrome_thread_name(tr, cpu, name);
	}
}

/* Ends the slice open on cpu's track, if one is. */
static void
chrome_end(struct ps_trace *tr, int cpu, uint64_t ns)
{
	if (!tr->cpu_open[cpu])
		return;
	tr->cpu_open[cpu] = false;
	chrome_entry(tr);
	fprintf(tr->fp, "{\"ph\":\"E\",\"pid\":0,\"tid\":%d,\"ts\":", cpu);
	chrome_ts(tr->fp, ns);
	fputc('}', tr->fp);
}

/* A switch opens the slice of the thread that took the CPU. */
static void
chrome_begin(struct ps_trace *tr, const struct ps_event *ev, int cpu)
{
	const char *name = tr->namer != NULL ? tr->namer(tr->namer_arg, ev->pid) : NULL;
	char title[80];

	if (name != NULL && name[0] != '\0')
		snprintf(title, sizeof(title), "%d %s", ev->pid, name);
	else
		snprintf(title, sizeof(title), "%d", ev->pid);
	tr->cpu_open[cpu] = true;
	chrome_entry(tr);
	fputs("{\"name\":", tr->fp);
	trace_json_string(tr->fp, title);
	fprintf(tr->fp, ",\"cat\":\"run\",\"ph\":\"B\",\"pid\":0,\"tid\":%d,\"ts\":", cpu);
	chrome_ts(tr->fp, ev->time);
	fprintf(tr->fp, ",\"args\":{\"pid\":%d,\"tid\":%d}}", ev->pid, ev->tid);
}

/* The category of an instant, for filtering in the viewer. */
static const char *
chrome_cat(uint32_t type)
{
	switch (type) {
	case PS_EV_SIGNAL_SEND: case PS_EV_SIGNAL_DELIVER: case PS_EV_SIGNAL_DISCARD:
	case PS_EV_STOP: case PS_EV_CONTINUE: case PS_EV_FAULT:
		return "signal";
	case PS_EV_SETSID: case PS_EV_SETPGID: case PS_EV_PGRP_CREATE: case PS_EV_PGRP_DELETE:
	case PS_EV_SESSION_CREATE: case PS_EV_SESSION_FREE: case PS_EV_JOBC: case PS_EV_ORPHANED:
		return "jobc";
	case PS_EV_CTTY: case PS_EV_TCSETPGRP: case PS_EV_REVOKE: case PS_EV_HANGUP:
		return "tty";
	case PS_EV_LOCK_REVERSAL: case PS_EV_INVARIANT:
		return "check";
	case PS_EV_PTRACE: case PS_EV_PROCCTL:
		return "debug";
	default:
		return ps_event_verbose(type) ? "sched" : "proc";
	}
}

static void
chrome_instant(struct ps_trace *tr, const struct ps_event *ev)
{
	struct trace_sbuf sb;
	char what[512];
	int track = ev->cpu >= 0 && ev->cpu < PS_CPUS_MAX ? ev->cpu : -1;

	chrome_track(tr, track);
	trace_sb_init(&sb, what, sizeof(what));
	if (trace_what(&sb, ev, tr->namer, tr->namer_arg) != 0)
		return;
	chrome_entry(tr);
	fprintf(tr->fp, "{\"name\":\"%s\",\"cat\":\"%s\",\"ph\":\"i\",\"s\":\"%s\",\"pid\":0,"
	        "\"tid\":%d,\"ts\":", ps_event_name(ev->type), chrome_cat(ev->type),
	        track >= 0 ? "t" : "g", track >= 0 ? track : KERNEL_TRACK);
	chrome_ts(tr->fp, ev->time);
	fprintf(tr->fp, ",\"args\":{\"seq\":%" PRIu64 ",\"pid\":%d,\"pid2\":%d,\"pgid\":%d,"
	        "\"sid\":%d,\"tid\":%d", ev->seq, ev->pid, ev->pid2, ev->pgid, ev->sid, ev->tid);
	if (ev->sig != 0) {
		const char *sig = ps_signal_name(ev->sig);

		if (sig != NULL)
			fprintf(tr->fp, ",\"sig\":\"%s\"", sig);
		else
			fprintf(tr->fp, ",\"sig\":%d", ev->sig);
	}
	fprintf(tr->fp, ",\"value\":%d", ev->value);
	if (ev->detail != NULL) {
		fputs(",\"detail\":", tr->fp);
		trace_json_string(tr->fp, ev->detail);
	}
	/* A sentence cut at the buffer's end still reads; it is only a label. */
	fputs(",\"what\":", tr->fp);
	trace_json_string(tr->fp, what);
	fputs("}}", tr->fp);
}

static void
chrome_event(struct ps_trace *tr, const struct ps_event *ev)
{
	int cpu = ev->value;

	if (ev->time > tr->last_time)
		tr->last_time = ev->time;
	if ((ev->type == PS_EV_SWITCH || ev->type == PS_EV_IDLE) && cpu >= 0 &&
	    cpu < PS_CPUS_MAX) {
		/* The slices: a switch ends the CPU's last run and starts the
		 * next, an idle ends it; they are never drawn as instants. */
		chrome_track(tr, cpu);
		chrome_end(tr, cpu, ev->time);
		if (ev->type == PS_EV_SWITCH)
			chrome_begin(tr, ev, cpu);
		return;
	}
	if (ps_event_verbose(ev->type) && (tr->flags & PS_TRACE_VERBOSE) == 0)
		return;
	chrome_instant(tr, ev);
}

static void
chrome_close(struct ps_trace *tr, ps_sim_t *sim)
{
	uint64_t end = tr->last_time;

	if (sim != NULL && ps_sim_now(sim) > end)
		end = ps_sim_now(sim);
	for (int c = 0; c < PS_CPUS_MAX; c++)
		chrome_end(tr, c, end);
	fputs("\n]}\n", tr->fp);
}

/* --- feeding and closing --- */

void
ps_trace_event(const struct ps_event *ev, void *arg)
{
	struct ps_trace *tr = arg;

	if (ev == NULL || tr == NULL || ps_event_name(ev->type) == NULL)
		return;
	switch (tr->format) {
	case PS_TRACE_TEXT:
	case PS_TRACE_JSONL:
		if (ps_event_verbose(ev->type) && (tr->flags & PS_TRACE_VERBOSE) == 0)
			return;
		put_line(tr, ev, tr->format == PS_TRACE_TEXT ? text_line : json_line);
		break;
	case PS_TRACE_CHROME:
		chrome_event(tr, ev);
		break;
	default:
		/* dot draws the tree from the simulator, not from events. */
		break;
	}
}

int
ps_trace_snapshot(ps_trace_t *tr, ps_sim_t *sim)
{
	int rc;

	if (tr == NULL || sim == NULL)
		return PS_EINVAL;
	if (tr->format != PS_TRACE_DOT || tr->snapshot_taken)
		return 0;
	tr->snapshot_taken = true;
	rc = ps_trace_dot(sim, tr->fp, tr->namer, tr->namer_arg);
	if (rc != 0 && rc != PS_EIO && tr->err == 0)
		tr->err = rc;
	return rc;
}

int
ps_trace_close(ps_trace_t *tr, ps_sim_t *sim)
{
	int rc;

	if (tr == NULL)
		return 0;
	if (tr->format == PS_TRACE_CHROME) {
		chrome_close(tr, sim);
	} else if (tr->format == PS_TRACE_DOT && !tr->snapshot_taken) {
		/* Without a simulator there is no tree: an empty graph keeps
		 * the file one that Graphviz opens. */
		if (sim != NULL)
			(void)ps_trace_snapshot(tr, sim);
		else
			fputs("digraph procsim {\n}\n", tr->fp);
	}
	rc = tr->err;
	if (tr->fp != NULL && (fflush(tr->fp) != 0 || ferror(tr->fp)))
		rc = PS_EIO;
	free(tr);
	return rc;
}
