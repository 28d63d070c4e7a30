/*
 * procsim: events.  The simulated kernel reports what it does as a stream
 * of events, numbered from 1 in the order they happen.  A callback installed
 * with ps_sim_set_event_cb() sees each one as it is emitted; the event and
 * its detail string are borrowed for the duration of the callback only.
 */
#ifndef PROCSIM_EVENT_H
#define PROCSIM_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include <procsim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PS_EVENT_MAP(XX)                                                      \
	XX(FORK, "fork")                 /* pid forked pid2 (child). */       \
	XX(EXEC, "exec")                                                      \
	XX(EXIT, "exit")                 /* value: the wait status word. */   \
	XX(REAP, "reap")                 /* pid2 reaped pid. */               \
	XX(REPARENT, "reparent")         /* pid to new parent pid2. */        \
	XX(SETSID, "setsid")                                                  \
	XX(SETPGID, "setpgid")           /* pid moved to pgid. */             \
	XX(PGRP_CREATE, "pgrp_create")                                        \
	XX(PGRP_DELETE, "pgrp_delete")                                        \
	XX(SESSION_CREATE, "session_create")                                  \
	XX(SESSION_FREE, "session_free")                                      \
	XX(JOBC, "jobc")                 /* pgid's pg_jobc is now value. */   \
	XX(ORPHANED, "orphaned")         /* value: 1 if it has a stopped member. */ \
	XX(SIGNAL_SEND, "signal")        /* pid2 (0 kernel) sent sig to pid. */ \
	XX(SIGNAL_DELIVER, "deliver")    /* detail: action taken. */          \
	XX(SIGNAL_DISCARD, "discard")    /* detail: why. */                   \
	XX(STOP, "stop")                                                      \
	XX(CONTINUE, "continue")                                              \
	XX(CTTY, "ctty")                 /* pid's session took tty value. */  \
	XX(TCSETPGRP, "tcsetpgrp")                                            \
	XX(REVOKE, "revoke")             /* tty value revoked. */             \
	XX(SETUID, "setuid")                                                  \
	XX(THREAD_NEW, "thread_new")     /* value: tid. */                   \
	XX(WAIT, "wait")                 /* pid's wait reported pid2. */      \
	XX(SLEEP, "sleep")               /* detail: wait message. */          \
	XX(WAKEUP, "wakeup")             /* value: 0, or EINTR/ERESTART. */   \
	XX(SYSRET, "sysret")             /* A call returned: value (see api.md). */ \
	XX(HANGUP, "hangup")             /* tty value hung up. */             \
	XX(LOCK_REVERSAL, "lock_order_reversal")                             \
	XX(INVARIANT, "invariant")                                           \
	XX(SYSCALL, "syscall")           /* value: ps_sysno; detail: name. */ \
	XX(SWITCH, "switch")             /* pid's thread (tid) took cpu value. */ \
	XX(TAG, "tag")                   /* pid named itself detail. */      \
	XX(FAULT, "fault")               /* sig raised by a fault; detail. */ \
	XX(THREAD_EXIT, "thread_exit")   /* value: tid. */                  \
	XX(TIMER, "timer")               /* A caller's timer fired: value, its id. */ \
	XX(IDLE, "idle")                 /* pid's thread (tid) left cpu value. */ \
	XX(PTRACE, "ptrace")             /* pid made request detail on pid2: result value. */ \
	XX(PROCCTL, "procctl")           /* pid's procctl on pid2: result value; detail. */

enum ps_event_type {
#define PS_EVENT_ENUM_(name, str) PS_EV_##name,
	PS_EVENT_MAP(PS_EVENT_ENUM_)
#undef PS_EVENT_ENUM_
	PS_EV_COUNT_
};

struct ps_event {
	uint64_t seq;       /* 1, 2, 3, ... */
	uint32_t type;      /* enum ps_event_type */
	int32_t pid;        /* The process the event is about, or 0. */
	int32_t pid2;       /* The other process (parent, child, sender), or 0. */
	int32_t pgid;       /* Its process group at the time, or 0. */
	int32_t sid;        /* Its session at the time, or 0. */
	int32_t sig;        /* A signal number, or 0. */
	int32_t value;      /* Type-specific number (see PS_EVENT_MAP). */
	const char *detail; /* Type-specific text, or NULL. */
	uint64_t time;      /* Virtual time, ns. */
	int32_t tid;        /* The thread concerned, or 0. */
	int32_t cpu;        /* The CPU it ran on, or -1. */
};

typedef void (*ps_event_cb)(const struct ps_event *ev, void *arg);

/* Install (or, with NULL, remove) the event callback. */
PS_EXTERN int ps_sim_set_event_cb(ps_sim_t *sim, ps_event_cb cb, void *arg);

/* "fork" for PS_EV_FORK; NULL for an unknown type. */
PS_EXTERN const char *ps_event_name(uint32_t type);

/*
 * One line of text for ev, without a newline, such as
 * "#12 signal pid=41 pid2=0 pgid=41 sid=10 sig=SIGHUP value=0".  Returns the
 * length the whole line needs (as snprintf does) or PS_EINVAL.
 */
PS_EXTERN int ps_event_format(const struct ps_event *ev, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* PROCSIM_EVENT_H */
