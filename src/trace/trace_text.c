/*
 * The text format: one aligned line per event, for a person to read.
 *
 *   TIME         CPU  EVENT                PID               WHAT
 *       0.000500000   1  fork                 12(sh)            forked 13(job)
 *
 * The columns have fixed widths (the event column fits the longest event
 * name, lock_order_reversal), so that every line's event starts at the same
 * offset and a trace can be read down a column.  A subject too long for its
 * column pushes the sentence right, never the columns before it.
 *
 * The sentence says what happened in the words of the event type, from the
 * event's fields alone (docs/api.md §4.1 says what each field holds for
 * each type), with process names from the caller's namer.  Every type has a
 * sentence; nothing prints a placeholder for a field the type defines.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <procsim/procsim.h>
#include <procsim/trace.h>

#include "base/assert.h"
#include "trace/trace_internal.h"

#define TIME_SEC_W 5    /* Whole seconds: up to 99999 s before the column grows. */
#define CPU_W 3
#define EVENT_W 19      /* strlen("lock_order_reversal") */
#define WHO_W 16
#define NAME_MAX_ 64    /* A "pid(name)" or a subject, truncated beyond. */

void
trace_sb_init(struct trace_sbuf *sb, char *buf, size_t len)
{
	sb->buf = buf;
	sb->len = buf != NULL ? len : 0;
	sb->n = 0;
	if (sb->len > 0)
		sb->buf[0] = '\0';
}

void
trace_sb_printf(struct trace_sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int w;

	va_start(ap, fmt);
	if (sb->n < sb->len)
		w = vsnprintf(sb->buf + sb->n, sb->len - sb->n, fmt, ap);
	else
		w = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	PS_ASSERT(w >= 0);
	sb->n += (size_t)w;
}

/*
 * A string from the kernel (a detail) or a namer, made printable on one
 * line: control characters would break the columns of the lines after.
 */
static void
sb_text(struct trace_sbuf *sb, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		trace_sb_printf(sb, "%c", c < 0x20 || c == 0x7f ? '.' : c);
	}
}

void
trace_pid_name(char *buf, size_t len, int32_t pid, ps_trace_namer namer, void *arg)
{
	struct trace_sbuf sb;
	const char *name = namer != NULL ? namer(arg, pid) : NULL;

	PS_ASSERT(buf != NULL && len > 0);
	trace_sb_init(&sb, buf, len);
	trace_sb_printf(&sb, "%d", pid);
	if (name != NULL && name[0] != '\0') {
		trace_sb_printf(&sb, "(");
		sb_text(&sb, name);
		trace_sb_printf(&sb, ")");
	}
}

/* A signal's name, or "signal N" for a number that is none. */
static void
sb_sig(struct trace_sbuf *sb, int sig)
{
	const char *name = ps_signal_name(sig);

	if (name != NULL)
		trace_sb_printf(sb, "%s", name);
	else
		trace_sb_printf(sb, "signal %d", sig);
}

/* A wait status word in words (wait.h's decoders, BSD's encoding). */
static void
sb_status(struct trace_sbuf *sb, int32_t w)
{
	if (PS_WIFCONTINUED(w)) {
		trace_sb_printf(sb, "continued");
	} else if (PS_WIFSTOPPED(w)) {
		trace_sb_printf(sb, "stopped by ");
		sb_sig(sb, PS_WSTOPSIG(w));
	} else if (PS_WIFEXITED(w)) {
		/* Not masked to 8 bits: exit(256) shows as 256, as the word holds it. */
		trace_sb_printf(sb, "exited %u", (unsigned)w >> 8);
	} else {
		trace_sb_printf(sb, "killed by ");
		sb_sig(sb, PS_WTERMSIG(w));
		if (PS_WCOREDUMP(w))
			trace_sb_printf(sb, " (core dumped)");
	}
}

static void
sb_pid(struct trace_sbuf *sb, int32_t pid, ps_trace_namer namer, void *arg)
{
	char who[NAME_MAX_];

	trace_pid_name(who, sizeof(who), pid, namer, arg);
	trace_sb_printf(sb, "%s", who);
}

/* A detail, or what stands for it when the kernel gave none. */
static void
sb_detail(struct trace_sbuf *sb, const char *detail, const char *none)
{
	sb_text(sb, detail != NULL ? detail : none);
}

/* A system call's result: "= 13", or "= -1 EPERM" for an error code. */
static void
sb_result(struct trace_sbuf *sb, int32_t value)
{
	const char *err = value < 0 ? ps_err_name(value) : NULL;

	trace_sb_printf(sb, "= %d", value);
	if (err != NULL && strcmp(err, "EUNKNOWN") != 0)
		trace_sb_printf(sb, " %s", err);
}

/* A system call's name from the event's detail ("?" is the kernel's mark
 * for a number that names no call). */
static void
sb_syscall(struct trace_sbuf *sb, const char *detail)
{
	if (detail == NULL || strcmp(detail, "?") == 0)
		trace_sb_printf(sb, "unknown system call");
	else
		sb_text(sb, detail);
}

/* The sentences of the process life cycle and of groups and sessions. */
static int
what_proc(struct trace_sbuf *sb, const struct ps_event *ev, ps_trace_namer namer, void *arg)
{
	switch (ev->type) {
	case PS_EV_FORK:
		trace_sb_printf(sb, "forked ");
		sb_pid(sb, ev->pid2, namer, arg);
		break;
	case PS_EV_EXEC:
		trace_sb_printf(sb, "exec'd ");
		sb_detail(sb, ev->detail, "a new image");
		break;
	case PS_EV_EXIT:
		sb_status(sb, ev->value);
		trace_sb_printf(sb, ", parent ");
		sb_pid(sb, ev->pid2, namer, arg);
		break;
	case PS_EV_REAP:
		trace_sb_printf(sb, "reaped by ");
		sb_pid(sb, ev->pid2, namer, arg);
		trace_sb_printf(sb, ": ");
		sb_status(sb, ev->value);
		break;
	case PS_EV_REPARENT:
		trace_sb_printf(sb, "reparented to ");
		sb_pid(sb, ev->pid2, namer, arg);
		break;
	case PS_EV_PTRACE:
		sb_detail(sb, ev->detail, "ptrace");
		trace_sb_printf(sb, " on ");
		sb_pid(sb, ev->pid2, namer, arg);
		if (ev->sig != 0) {
			trace_sb_printf(sb, " with ");
			sb_sig(sb, ev->sig);
		}
		trace_sb_printf(sb, " ");
		sb_result(sb, ev->value);
		break;
	case PS_EV_PROCCTL:
		trace_sb_printf(sb, "procctl ");
		sb_detail(sb, ev->detail, "");
		trace_sb_printf(sb, " on %d ", ev->pid2);
		sb_result(sb, ev->value);
		break;
	case PS_EV_WAIT:
		trace_sb_printf(sb, "reported ");
		sb_pid(sb, ev->pid2, namer, arg);
		trace_sb_printf(sb, ": ");
		sb_status(sb, ev->value);
		/* The plain kinds say what the status says; the others add to it. */
		if (ev->detail != NULL && strcmp(ev->detail, "exited") != 0 &&
		    strcmp(ev->detail, "stopped") != 0 && strcmp(ev->detail, "continued") != 0) {
			trace_sb_printf(sb, " [");
			sb_text(sb, ev->detail);
			trace_sb_printf(sb, "]");
		}
		break;
	case PS_EV_SETUID:
		trace_sb_printf(sb, "setuid %d", ev->value);
		break;
	case PS_EV_THREAD_NEW:
		trace_sb_printf(sb, "new thread %d", ev->value);
		break;
	case PS_EV_THREAD_EXIT:
		trace_sb_printf(sb, "thread %d exited", ev->value);
		break;
	case PS_EV_TAG:
		trace_sb_printf(sb, "named itself ");
		sb_detail(sb, ev->detail, "\"\"");
		break;
	case PS_EV_SETSID:
		trace_sb_printf(sb, "leads new session %d", ev->value);
		break;
	case PS_EV_SETPGID:
		trace_sb_printf(sb, "joined pgrp %d", ev->value);
		break;
	case PS_EV_PGRP_CREATE:
		trace_sb_printf(sb, "created in session %d", ev->sid);
		break;
	case PS_EV_PGRP_DELETE:
		trace_sb_printf(sb, "deleted, pg_jobc=%d", ev->value);
		break;
	case PS_EV_SESSION_CREATE:
		trace_sb_printf(sb, "created session %d", ev->value);
		break;
	case PS_EV_SESSION_FREE:
		trace_sb_printf(sb, "freed");
		break;
	case PS_EV_JOBC:
		trace_sb_printf(sb, "pg_jobc=%d", ev->value);
		if (ev->detail != NULL) {
			trace_sb_printf(sb, " (");
			sb_text(sb, ev->detail);
			trace_sb_printf(sb, ")");
		}
		break;
	case PS_EV_ORPHANED:
		if (ev->value != 0)
			trace_sb_printf(sb, "has a stopped member: SIGHUP and SIGCONT to every member");
		else
			trace_sb_printf(sb, "has no stopped member");
		break;
	default:
		return 0;
	}
	return 1;
}

/* The sentences of signals and terminals. */
static int
what_sig(struct trace_sbuf *sb, const struct ps_event *ev, ps_trace_namer namer, void *arg)
{
	switch (ev->type) {
	case PS_EV_SIGNAL_SEND:
		sb_sig(sb, ev->sig);
		trace_sb_printf(sb, " from ");
		if (ev->pid2 == 0)
			trace_sb_printf(sb, "kernel");
		else
			sb_pid(sb, ev->pid2, namer, arg);
		break;
	case PS_EV_SIGNAL_DELIVER:
		sb_sig(sb, ev->sig);
		trace_sb_printf(sb, " delivered: ");
		sb_detail(sb, ev->detail, "taken");
		break;
	case PS_EV_SIGNAL_DISCARD:
		sb_sig(sb, ev->sig);
		trace_sb_printf(sb, " discarded: ");
		sb_detail(sb, ev->detail, "dropped");
		break;
	case PS_EV_STOP:
		if (ev->detail != NULL && strcmp(ev->detail, "trace") == 0)
			trace_sb_printf(sb, "stopped for the debugger by ");
		else
			trace_sb_printf(sb, "stopped by ");
		sb_sig(sb, ev->sig);
		break;
	case PS_EV_CONTINUE:
		if (ev->sig == PS_SIGKILL)
			trace_sb_printf(sb, "made runnable by SIGKILL");
		else {
			trace_sb_printf(sb, "continued by ");
			sb_sig(sb, ev->sig);
		}
		break;
	case PS_EV_FAULT:
		if (ev->detail != NULL && strcmp(ev->detail, "signal frame does not fit the stack") == 0) {
			trace_sb_printf(sb, "frame for ");
			sb_sig(sb, ev->value);
			trace_sb_printf(sb, " does not fit the stack: ");
		} else {
			sb_detail(sb, ev->detail, "fault");
			trace_sb_printf(sb, " at 0x%x: ", (unsigned)ev->value);
		}
		sb_sig(sb, ev->sig);
		break;
	case PS_EV_CTTY:
		trace_sb_printf(sb, "took tty %d", ev->value);
		if (ev->detail != NULL) {
			trace_sb_printf(sb, " (");
			sb_text(sb, ev->detail);
			trace_sb_printf(sb, ")");
		}
		trace_sb_printf(sb, " as controlling terminal");
		break;
	case PS_EV_TCSETPGRP:
		trace_sb_printf(sb, "foreground pgrp of ");
		sb_detail(sb, ev->detail, "its terminal");
		trace_sb_printf(sb, " set to %d", ev->value);
		break;
	case PS_EV_REVOKE:
	case PS_EV_HANGUP:
		if (ev->detail != NULL) {
			sb_text(sb, ev->detail);
			trace_sb_printf(sb, " ");
		}
		trace_sb_printf(sb, "%s", ev->type == PS_EV_REVOKE ? "revoked" : "hung up");
		break;
	default:
		return 0;
	}
	return 1;
}

/* The sentences of execution (verbose for the most part) and of checks. */
static int
what_run(struct trace_sbuf *sb, const struct ps_event *ev)
{
	switch (ev->type) {
	case PS_EV_SYSCALL:
		sb_syscall(sb, ev->detail);
		if (ev->detail == NULL || strcmp(ev->detail, "?") == 0)
			trace_sb_printf(sb, " %d", ev->value);
		break;
	case PS_EV_SYSRET:
		sb_syscall(sb, ev->detail);
		trace_sb_printf(sb, " ");
		sb_result(sb, ev->value);
		break;
	case PS_EV_SLEEP:
		trace_sb_printf(sb, "thread %d sleeps on ", ev->value);
		sb_detail(sb, ev->detail, "a channel");
		break;
	case PS_EV_WAKEUP:
		if (ev->value == 0) {
			trace_sb_printf(sb, "woken from ");
			sb_detail(sb, ev->detail, "its sleep");
		} else if (ev->value == 1) {
			trace_sb_printf(sb, "interrupted, to be restarted");
		} else {
			trace_sb_printf(sb, "interrupted (EINTR)");
		}
		break;
	case PS_EV_SWITCH:
		trace_sb_printf(sb, "thread %d runs on cpu %d", ev->tid, ev->value);
		break;
	case PS_EV_IDLE:
		trace_sb_printf(sb, "thread %d left cpu %d", ev->tid, ev->value);
		break;
	case PS_EV_TIMER:
		trace_sb_printf(sb, "timer %d fired", ev->value);
		break;
	case PS_EV_LOCK_REVERSAL:
		trace_sb_printf(sb, "reversal %d: ", ev->value);
		sb_detail(sb, ev->detail, "lock order reversed");
		break;
	case PS_EV_INVARIANT:
		trace_sb_printf(sb, "%d broken: ", ev->value);
		sb_detail(sb, ev->detail, "an invariant does not hold");
		break;
	default:
		return 0;
	}
	return 1;
}

int
trace_what(struct trace_sbuf *sb, const struct ps_event *ev, ps_trace_namer namer, void *arg)
{
	PS_ASSERT(sb != NULL && ev != NULL);
	if (what_proc(sb, ev, namer, arg) || what_sig(sb, ev, namer, arg) || what_run(sb, ev))
		return 0;
	return PS_EINVAL;
}

/* The subject column: the process, or the group, session or terminal an
 * event without a process is about. */
static void
who(char *buf, size_t len, const struct ps_event *ev, ps_trace_namer namer, void *arg)
{
	switch (ev->type) {
	case PS_EV_PGRP_CREATE:
	case PS_EV_PGRP_DELETE:
	case PS_EV_JOBC:
	case PS_EV_ORPHANED:
		snprintf(buf, len, "pgrp %d", ev->pgid);
		break;
	case PS_EV_SESSION_FREE:
		snprintf(buf, len, "session %d", ev->value);
		break;
	case PS_EV_REVOKE:
	case PS_EV_HANGUP:
		snprintf(buf, len, "tty %d", ev->value);
		break;
	case PS_EV_LOCK_REVERSAL:
	case PS_EV_INVARIANT:
	case PS_EV_TIMER:
		snprintf(buf, len, "-");
		break;
	default:
		trace_pid_name(buf, len, ev->pid, namer, arg);
		break;
	}
}

int
ps_trace_format_text(const struct ps_event *ev, ps_trace_namer namer, void *arg, char *buf,
                     size_t len)
{
	struct trace_sbuf sb;
	const char *name;
	char subject[NAME_MAX_], cpu[16];
	size_t start;

	if (ev == NULL || (buf == NULL && len != 0))
		return PS_EINVAL;
	if ((name = ps_event_name(ev->type)) == NULL)
		return PS_EINVAL;
	who(subject, sizeof(subject), ev, namer, arg);
	if (ev->cpu < 0)
		snprintf(cpu, sizeof(cpu), "-");
	else
		snprintf(cpu, sizeof(cpu), "%d", ev->cpu);
	trace_sb_init(&sb, buf, len);
	trace_sb_printf(&sb, "%*llu.%09llu %*s  %-*s  %-*s  ", TIME_SEC_W,
	                (unsigned long long)(ev->time / 1000000000u),
	                (unsigned long long)(ev->time % 1000000000u), CPU_W, cpu, EVENT_W, name,
	                WHO_W, subject);
	start = sb.n;
	if (trace_what(&sb, ev, namer, arg) != 0)
		return PS_EINVAL;
	PS_ASSERT(sb.n > start);
	return (int)sb.n;
}

const char *
ps_trace_text_header(void)
{
	/* The widths of ps_trace_format_text's columns, spelt out. */
	_Static_assert(TIME_SEC_W + 10 == 15 && CPU_W == 3 && EVENT_W == 19 && WHO_W == 16,
	               "the header's widths follow the columns'");
	return "           TIME CPU  EVENT                PID               WHAT";
}
