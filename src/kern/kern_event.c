/*
 * The event stream: every kernel event gets the next sequence number and
 * goes to the installed callback.  Events carry numbers and static or
 * kernel-owned strings only, so emitting one never allocates.
 */
#include <stdio.h>
#include <string.h>

#include <procsim/event.h>

#include "base/assert.h"
#include "kern/kern.h"

static void
emit(struct kernel *k, struct ps_event *ev)
{
	ev->seq = ++k->event_seq;
	ev->time = k->sched.now;
	ev->tid = k->curthread != NULL ? k->curthread->td_tid : 0;
	ev->cpu = k->curthread != NULL ? k->curthread->td_oncpu : -1;
	k->stats.events++;
	if (k->event_cb != NULL)
		k->event_cb(ev, k->event_arg);
}

void
kevent_emit(struct kernel *k, enum ps_event_type type, struct proc *p, pid_t_ pid2, int sig,
            int32_t value, const char *detail)
{
	struct ps_event ev;

	PS_ASSERT((unsigned)type < PS_EV_COUNT_);
	/* Nobody listens (a benchmark, a library user stepping blind): the
	 * event still takes its number, and nothing else is done. */
	if (k->event_cb == NULL) {
		k->event_seq++;
		k->stats.events++;
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	if (p != NULL) {
		ev.pid = p->p_pid;
		if (p->p_pgrp != NULL) {
			ev.pgid = p->p_pgrp->pg_id;
			ev.sid = p->p_pgrp->pg_session->s_sid;
		}
	}
	ev.pid2 = pid2;
	ev.sig = sig;
	ev.value = value;
	ev.detail = detail;
	emit(k, &ev);
}

void
kevent_emit_pg(struct kernel *k, enum ps_event_type type, struct pgrp *pg, int32_t value,
               const char *detail)
{
	struct ps_event ev;

	PS_ASSERT((unsigned)type < PS_EV_COUNT_);
	if (k->event_cb == NULL) {
		k->event_seq++;
		k->stats.events++;
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.pgid = pg->pg_id;
	ev.sid = pg->pg_session->s_sid;
	ev.value = value;
	ev.detail = detail;
	emit(k, &ev);
}

static const char *const event_names[PS_EV_COUNT_] = {
#define PS_EVENT_NAME_(name, str) [PS_EV_##name] = str,
	PS_EVENT_MAP(PS_EVENT_NAME_)
#undef PS_EVENT_NAME_
};

const char *
ps_event_name(uint32_t type)
{
	return type < PS_EV_COUNT_ ? event_names[type] : NULL;
}

int
ps_event_format(const struct ps_event *ev, char *buf, size_t len)
{
	const char *name, *sig;
	int n;

	if (ev == NULL || (buf == NULL && len != 0))
		return PS_EINVAL;
	name = ps_event_name(ev->type);
	if (name == NULL)
		return PS_EINVAL;
	sig = ev->sig != 0 ? ps_signal_name(ev->sig) : NULL;
	n = snprintf(buf, len, "#%llu %s pid=%d pid2=%d pgid=%d sid=%d sig=%s value=%d%s%s",
	             (unsigned long long)ev->seq, name, ev->pid, ev->pid2, ev->pgid, ev->sid,
	             sig != NULL ? sig : "-", ev->value, ev->detail != NULL ? " detail=" : "",
	             ev->detail != NULL ? ev->detail : "");
	return n;
}
