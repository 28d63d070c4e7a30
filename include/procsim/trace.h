/*
 * procsim: traces.  A trace writer turns the event stream into one of four
 * formats (docs/trace-format.md):
 *
 *   text    aligned columns for a person: time, CPU, event, process, and a
 *           sentence of detail, with process names where they are known;
 *   jsonl   one JSON object per event per line, the stable machine format
 *           (ps_event_json's objects);
 *   chrome  the Trace Event Format that Perfetto and chrome://tracing open:
 *           a track per CPU with a slice per thread run, instant events for
 *           signals, exits, orphaning and the rest;
 *   dot     Graphviz: the process tree at the end of a run (or at a chosen
 *           time), sessions and process groups as clusters.
 *
 * A writer is fed with ps_trace_event() (it has the signature of a
 * ps_event_cb, so it can be installed directly) and finished with
 * ps_trace_close().  Writers never close the FILE they were given.
 *
 * Verbose events (syscall, sysret, switch, idle, sleep, wakeup, timer) are
 * left out of text and jsonl unless PS_TRACE_VERBOSE is set; chrome always
 * uses switch and idle to draw its slices but shows the verbose ones as
 * instants only with the flag.
 */
#ifndef PROCSIM_TRACE_H
#define PROCSIM_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <procsim/event.h>
#include <procsim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ps_trace_format {
	PS_TRACE_NONE = 0,
	PS_TRACE_TEXT = 1,
	PS_TRACE_JSONL = 2,
	PS_TRACE_CHROME = 3,
	PS_TRACE_DOT = 4,
};

/* Writer flags. */
#define PS_TRACE_VERBOSE 0x1u /* Include the verbose events. */

/* "text" -> PS_TRACE_TEXT; PS_EINVAL for an unknown name. */
PS_EXTERN int ps_trace_format_number(const char *name);
PS_EXTERN const char *ps_trace_format_name(int format);

/* 1 for the verbose event types (see above), 0 for the others. */
PS_EXTERN int ps_event_verbose(uint32_t type);

/*
 * A namer gives the name a scenario knows a process by ("sh", "job"), or
 * NULL.  Writers show it beside the pid.  It is asked when an event is
 * written (so a name given after a process's fork shows from the next
 * line on), and its string is copied at once: it need only stay valid
 * until the namer's next call.
 */
typedef const char *(*ps_trace_namer)(void *arg, int32_t pid);

typedef struct ps_trace ps_trace_t;

/*
 * A writer of format to fp; it writes the format's opening (the text
 * header, the start of the chrome object) at once.  PS_EINVAL for a NULL
 * out, a NULL fp (allowed for PS_TRACE_NONE only), an unknown format or
 * unknown flags; PS_ENOMEM.  PS_TRACE_NONE gives a writer that writes
 * nothing.
 */
PS_EXTERN int ps_trace_open(int format, FILE *fp, unsigned flags, ps_trace_t **out);
PS_EXTERN void ps_trace_set_namer(ps_trace_t *tr, ps_trace_namer namer, void *arg);

/* Feed one event (a ps_event_cb: arg is the ps_trace_t).  NULLs and
 * unknown types are ignored; write errors surface at ps_trace_close(). */
PS_EXTERN void ps_trace_event(const struct ps_event *ev, void *arg);

/*
 * For dot: write the process tree of sim now (the first call wins; later
 * ones are ignored and return 0).  Other formats ignore it.  PS_EINVAL for
 * NULL; otherwise what ps_trace_dot() returns.
 */
PS_EXTERN int ps_trace_snapshot(ps_trace_t *tr, ps_sim_t *sim);

/*
 * Finish and free the writer, and flush fp (never closed here).  chrome
 * closes the slices still open at the time of sim (NULL: at the last
 * event) and ends the JSON; dot writes the tree of sim unless a snapshot
 * was taken (an empty digraph when sim is NULL).  Returns 0, PS_EIO when a
 * write to fp failed at any point (or the flush did), or PS_ENOMEM when an
 * event too long for the stack could not be written.  The writer is freed
 * in every case.  NULL is a no-op returning 0.
 */
PS_EXTERN int ps_trace_close(ps_trace_t *tr, ps_sim_t *sim);

/*
 * One event as a line of the text format, without the newline, into buf
 * (as snprintf: returns the length the whole line needs).  namer may be
 * NULL.  PS_EINVAL for a NULL ev or an unknown type.
 */
PS_EXTERN int ps_trace_format_text(const struct ps_event *ev, ps_trace_namer namer, void *arg,
                                   char *buf, size_t len);

/* The header line of the text format (its column titles). */
PS_EXTERN const char *ps_trace_text_header(void);

/*
 * The process tree of sim as a Graphviz digraph, written to fp and
 * flushed.  Sessions and process groups are clusters; zombies, stopped and
 * traced processes are styled; edges go from parent to child, and from a
 * debugger to what it traces.  namer may be NULL (a process's tag names
 * it then).  PS_EINVAL, PS_ENOMEM, PS_EIO.
 */
PS_EXTERN int ps_trace_dot(ps_sim_t *sim, FILE *fp, ps_trace_namer namer, void *arg);

/*
 * Hashing a trace: FNV-1a (64 bits) over the JSON-lines text of every
 * event, verbose ones included, each line ending in "\n".  Start from
 * PS_TRACE_HASH_INIT.  A NULL ev or an unknown type leaves hash as it is.
 */
#define PS_TRACE_HASH_INIT 0xcbf29ce484222325ull
PS_EXTERN uint64_t ps_trace_hash_event(uint64_t hash, const struct ps_event *ev);

#ifdef __cplusplus
}
#endif

#endif /* PROCSIM_TRACE_H */
