/*
 * Internals of the trace writers (src/trace), shared between trace.c (the
 * writers), trace_text.c (the text format's wording) and trace_dot.c.
 * Nothing here is exported: the public surface is include/procsim/trace.h.
 */
#ifndef PS_TRACE_INTERNAL_H
#define PS_TRACE_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include <procsim/trace.h>

/*
 * A bounded string builder with snprintf's contract: it keeps counting the
 * length the whole text needs after the buffer is full, so callers can
 * retry with a buffer of the right size.  buf may be NULL when len is 0.
 */
struct trace_sbuf {
	char *buf;
	size_t len;
	size_t n;       /* Length of the whole text so far, written or not. */
};

void trace_sb_init(struct trace_sbuf *sb, char *buf, size_t len);
void trace_sb_printf(struct trace_sbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * The sentence of the text format for ev (the last column), e.g.
 * "forked 13(job)", into sb.  PS_EINVAL for an unknown type.  The chrome
 * writer puts the same sentence in each instant's args.
 */
int trace_what(struct trace_sbuf *sb, const struct ps_event *ev, ps_trace_namer namer, void *arg);

/*
 * "13(job)" for pid 13 when namer knows it as "job", else "13", into buf
 * (always terminated).  The namer's string is copied at once, since it is
 * only borrowed until the namer's next call.
 */
void trace_pid_name(char *buf, size_t len, int32_t pid, ps_trace_namer namer, void *arg);

/* A JSON string (quoted, escaped as ps_event_json escapes) to fp. */
void trace_json_string(FILE *fp, const char *s);

#endif /* PS_TRACE_INTERNAL_H */
