/*
 * Judging expectations, and the report of those that failed.
 *
 * State expectations are judged when they fall due: a timer at their time,
 * or the end of the run.  Event expectations are judged after the run, over
 * the whole recorded trace, so that a name bound late (a child that tags
 * itself after its parent forked it) still matches the fork.  An
 * expectation "after" another only looks at events that follow the other's
 * first match.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/sc_internal.h"

/* A growing string for messages. */
struct sbuf {
	char *s;
	size_t n, cap;
};

static void
sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (b->n + (size_t)n + 1 > b->cap) {
		size_t ncap = b->cap != 0 ? b->cap : 128;
		char *p;

		while (ncap < b->n + (size_t)n + 1)
			ncap *= 2;
		p = realloc(b->s, ncap);
		if (p == NULL)
			return;
		b->s = p;
		b->cap = ncap;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	b->n += (size_t)n;
}

static char *
sb_take(struct sbuf *b)
{
	char *s = b->s;

	b->s = NULL;
	b->n = b->cap = 0;
	return s;
}

static bool
in_set(const int32_t *pids, size_t n, int32_t x)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == x)
			return true;
	return false;
}

static int
cmp_pid(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

static const char *
pname(const struct ps_scenario_run *run, int32_t pid, char *buf, size_t len)
{
	const char *n = ps_scenario_pid_name((void *)run, pid);

	if (n != NULL)
		snprintf(buf, len, "%d(%s)", pid, n);
	else
		snprintf(buf, len, "%d", pid);
	return buf;
}

static const char *
status_text(int32_t w, char *buf, size_t len)
{
	if (PS_WIFEXITED(w))
		snprintf(buf, len, "exited %d", PS_WEXITSTATUS_2008(w)); /* Unmasked. */
	else if (PS_WIFSTOPPED(w))
		snprintf(buf, len, "stopped %s", ps_signal_name(PS_WSTOPSIG(w)) != NULL
		                                     ? ps_signal_name(PS_WSTOPSIG(w)) : "?");
	else if (PS_WIFCONTINUED(w))
		snprintf(buf, len, "continued");
	else
		snprintf(buf, len, "signaled %s%s",
		         ps_signal_name(PS_WTERMSIG(w)) != NULL ? ps_signal_name(PS_WTERMSIG(w)) : "?",
		         PS_WCOREDUMP(w) ? " core" : "");
	return buf;
}

static bool
status_match(const struct sc_status *st, int32_t w)
{
	if (st->any_core)
		return (w & ~PS_WCOREFLAG) == (st->word & ~PS_WCOREFLAG);
	return w == st->word;
}

/* The last recorded event of type about pid, or NULL. */
static const struct sc_rec *
last_event(const struct ps_scenario_run *run, uint32_t type, int32_t pid)
{
	for (size_t i = run->nrecs; i-- > 0;)
		if (run->recs[i].type == type && run->recs[i].pid == pid)
			return &run->recs[i];
	return NULL;
}

static void
check_ref(const struct ps_scenario_run *run, struct sbuf *why, const char *what,
          const struct sc_ref *ref, int32_t actual)
{
	const int32_t *set;
	int32_t one;
	size_t n = sc_ref_pids(run, ref, &one, &set);
	char b1[64], b2[48];

	if (in_set(set, n, actual))
		return;
	sb_add(why, "%s%s is %s, not %s", why->n ? "; " : "", what,
	       pname(run, actual, b1, sizeof(b1)), sc_ref_text(ref, b2, sizeof(b2)));
	if (n == 0 && ref->name != NULL)
		sb_add(why, " (no process was ever called \"%s\")", ref->name);
}

static void
check_int(struct sbuf *why, const char *what, int64_t want, int64_t actual)
{
	if (want != actual)
		sb_add(why, "%s%s is %lld, not %lld", why->n ? "; " : "", what, (long long)actual,
		       (long long)want);
}

static void
check_bool(struct sbuf *why, const char *what, int want, int actual)
{
	if (want >= 0 && (want != 0) != (actual != 0))
		sb_add(why, "%s%s is %s", why->n ? "; " : "", what, actual ? "true" : "false");
}

static void
check_tty(const struct ps_scenario_run *run, struct sbuf *why, const struct sc_expect *e,
          int32_t actual)
{
	int32_t want = e->tty != NULL ? sc_tty_dev(run, e->tty) : -1;

	if (want == actual)
		return;
	const char *name = NULL;

	for (size_t i = 0; i < run->sc->nttys; i++)
		if (run->tty_dev[i] == actual)
			name = run->sc->ttys[i];
	sb_add(why, "%stty is %s, not %s", why->n ? "; " : "", name != NULL ? name : "none",
	       e->tty != NULL ? e->tty : "none");
}

static void
check_mem(struct ps_scenario_run *run, struct sbuf *why, const struct sc_mem *m, int32_t pid)
{
	uint8_t buf[4096];
	uint64_t addr;
	size_t done = 0;
	int r = sc_mem_addr(run, pid, m, &addr);

	if (r != 0) {
		sb_add(why, "%sno address for symbol \"%s\": %s", why->n ? "; " : "", m->symbol,
		       ps_err_name(r));
		return;
	}
	r = ps_mem_read(run->sim, pid, addr, buf, m->len, &done);
	if (r != 0) {
		sb_add(why, "%sreading %zu bytes at 0x%llx: %s", why->n ? "; " : "", m->len,
		       (unsigned long long)addr, ps_err_name(r));
		return;
	}
	if (memcmp(buf, m->bytes, m->len) == 0)
		return;
	sb_add(why, "%smemory at 0x%llx is", why->n ? "; " : "", (unsigned long long)addr);
	for (size_t i = 0; i < m->len && i < 64; i++)
		sb_add(why, " %02x", buf[i]);
	if (m->len > 64)
		sb_add(why, " ...");
}

static const char *
state_name(enum sc_state s)
{
	static const char *const names[] = {
		[SCS_ANY] = "any", [SCS_ALIVE] = "alive", [SCS_STOPPED] = "stopped",
		[SCS_ZOMBIE] = "zombie", [SCS_REAPED] = "reaped", [SCS_EXITED] = "exited",
	};
	return names[s];
}

/* What ptrace keeps: traced by whom, p_oppid, p_stops, P_PROTECTED. */
static void
judge_ptrace(struct ps_scenario_run *run, const struct sc_expect *e, int32_t pid,
             struct sbuf *why)
{
	struct ps_ptrace_info info;
	bool traced;

	if (e->traced < 0 && !e->has_tracer && !e->has_oppid && !e->has_stops &&
	    e->protect < 0 && e->inherit_protect < 0 && e->follow_fork < 0 && !e->has_realparent)
		return;
	if (ps_ptrace_info(run->sim, pid, &info) != 0) {
		sb_add(why, "%sno ptrace state", why->n ? "; " : "");
		return;
	}
	traced = (info.flags & PS_P_TRACED) != 0;
	check_bool(why, "traced", e->traced, traced);
	if (e->has_tracer) {
		if (e->tracer.name == NULL && e->tracer.pid == 0) {
			if (traced)
				sb_add(why, "%sit is traced by %d", why->n ? "; " : "", info.pptr);
		} else if (!traced) {
			sb_add(why, "%sit is not traced", why->n ? "; " : "");
		} else {
			check_ref(run, why, "its tracer", &e->tracer, info.pptr);
		}
	}
	if (e->has_oppid) {
		if (e->oppid.name == NULL && e->oppid.pid == 0)
			check_int(why, "p_oppid", 0, info.oppid);
		else
			check_ref(run, why, "p_oppid", &e->oppid, info.oppid);
	}
	if (e->has_realparent)
		check_ref(run, why, "its real parent", &e->realparent, info.realparent);
	if (e->has_stops && info.stops != e->stops)
		sb_add(why, "%sp_stops is [%s%s%s]%s", why->n ? "; " : "",
		       info.stops & PS_S_PT_SCE ? "SCE" : "",
		       (info.stops & PS_S_PT_SCE) && (info.stops & PS_S_PT_SCX) ? ", " : "",
		       info.stops & PS_S_PT_SCX ? "SCX" : "",
		       info.stops & ~(PS_S_PT_SCE | PS_S_PT_SCX) ? " and other bits" : "");
	check_bool(why, "protected", e->protect, (info.flags & PS_P_PROTECTED) != 0);
	check_bool(why, "inherit_protected", e->inherit_protect,
	           (info.flags2 & PS_P2_INHERIT_PROTECTED) != 0);
	check_bool(why, "follow_fork", e->follow_fork, (info.flags & PS_P_FOLLOWFORK) != 0);
}

static void
judge_proc(struct ps_scenario_run *run, const struct sc_expect *e, int32_t pid,
           struct sbuf *why)
{
	struct ps_proc_info pi;
	enum sc_state actual;
	char b1[64], b2[64];
	bool gone = ps_proc_info(run->sim, pid, &pi) != 0;
	size_t mark = why->n;

	if (gone)
		actual = SCS_REAPED;
	else if (pi.state == PS_PRS_ZOMBIE)
		actual = SCS_ZOMBIE;
	else if (pi.flags & (PS_P_STOPPED_SIG | PS_P_STOPPED_TRACE))
		actual = SCS_STOPPED;
	else
		actual = SCS_ALIVE;
	if (e->state != SCS_ANY && e->state != actual &&
	    !(e->state == SCS_EXITED && (actual == SCS_ZOMBIE || actual == SCS_REAPED)))
		sb_add(why, "%sstate is %s, not %s", why->n ? "; " : "", state_name(actual),
		       state_name(e->state));
	if (e->wstatus.set) {
		const struct sc_rec *r = last_event(run, PS_EV_EXIT, pid);
		int32_t w = !gone && actual == SCS_ZOMBIE ? pi.xstat : r != NULL ? r->value : -1;

		if (actual != SCS_ZOMBIE && actual != SCS_REAPED)
			sb_add(why, "%sit has not exited (status expected: %s)", why->n ? "; " : "",
			       status_text(e->wstatus.word, b1, sizeof(b1)));
		else if (!status_match(&e->wstatus, w))
			sb_add(why, "%sstatus is %s (0x%x), not %s", why->n ? "; " : "",
			       status_text(w, b1, sizeof(b1)), (unsigned)w,
			       status_text(e->wstatus.word, b2, sizeof(b2)));
	}
	if (e->has_reaper) {
		const struct sc_rec *r = last_event(run, PS_EV_REAP, pid);

		if (r == NULL)
			sb_add(why, "%sit was not reaped", why->n ? "; " : "");
		else
			check_ref(run, why, "its reaper", &e->reaper, r->pid2);
	}
	bool fields = e->has_ppid || e->has_pgid || e->has_sid || e->pg_jobc != INT64_MIN ||
	              e->orphaned >= 0 || e->session_leader >= 0 || e->has_tty ||
	              e->threads != INT64_MIN || e->has_pending || e->comm != NULL ||
	              e->tag != NULL || e->uid != INT64_MIN || e->has_mem || e->traced >= 0 ||
	              e->has_tracer || e->has_oppid || e->has_stops || e->protect >= 0 ||
	              e->inherit_protect >= 0 || e->follow_fork >= 0 || e->has_realparent;
	if (gone) {
		if (fields)
			sb_add(why, "%sit has been reaped: nothing else can be checked",
			       why->n ? "; " : "");
		goto out;
	}
	if (e->has_ppid)
		check_ref(run, why, "ppid", &e->ppid, pi.ppid);
	if (e->has_pgid)
		check_ref(run, why, "pgid", &e->pgid, pi.pgid);
	if (e->has_sid)
		check_ref(run, why, "sid", &e->sid, pi.sid);
	if (e->pg_jobc != INT64_MIN)
		check_int(why, "pg_jobc", e->pg_jobc, pi.pg_jobc);
	check_bool(why, "orphaned", e->orphaned, pi.orphaned);
	check_bool(why, "session_leader", e->session_leader, pi.session_leader);
	if (e->has_tty)
		check_tty(run, why, e, pi.tty);
	if (e->threads != INT64_MIN)
		check_int(why, "threads", e->threads, pi.nthreads);
	if (e->uid != INT64_MIN)
		check_int(why, "uid", e->uid, pi.cred.uid);
	if (e->has_pending && pi.siglist != e->pending) {
		sb_add(why, "%spending signals are {", why->n ? "; " : "");
		for (int s = 1, first = 1; s < PS_NSIG; s++)
			if (pi.siglist & (1u << (s - 1))) {
				sb_add(why, "%s%s", first ? "" : ", ", ps_signal_name(s));
				first = 0;
			}
		sb_add(why, "}");
	}
	if (e->comm != NULL && strcmp(e->comm, pi.comm) != 0)
		sb_add(why, "%scomm is \"%s\"", why->n ? "; " : "", pi.comm);
	if (e->tag != NULL && strcmp(e->tag, pi.tag) != 0)
		sb_add(why, "%stag is \"%s\"", why->n ? "; " : "", pi.tag);
	if (e->has_mem)
		check_mem(run, why, &e->mem, pid);
	judge_ptrace(run, e, pid, why);
out:
	if (why->n > mark) {
		/* Say which process, when the name stands for several. */
		char *tail = strdup(why->s + mark);

		why->n = mark;
		why->s[mark] = '\0';
		sb_add(why, "%s%s: %s", mark ? "; " : "", pname(run, pid, b1, sizeof(b1)),
		       tail != NULL ? tail : "");
		free(tail);
	}
}

/* Prefix what was added to why since mark with the object it is about. */
static void
name_subject(struct sbuf *why, size_t mark, const char *what, int32_t id)
{
	char *tail;

	if (why->n <= mark)
		return;
	tail = strdup(why->s + mark);
	why->n = mark;
	why->s[mark] = '\0';
	sb_add(why, "%s%s %d: %s", mark ? "; " : "", what, id, tail != NULL ? tail : "");
	free(tail);
}

static void
judge_pgrp(struct ps_scenario_run *run, const struct sc_expect *e, int32_t pgid,
           struct sbuf *why)
{
	struct ps_pgrp_info gi;
	bool exists = ps_pgrp_info(run->sim, pgid, &gi) == 0;

	if (e->exists >= 0 && e->exists != exists) {
		sb_add(why, "pgrp %d %s", pgid, exists ? "exists" : "does not exist");
		return;
	}
	if (!exists) {
		if (e->pg_jobc != INT64_MIN || e->orphaned >= 0 || e->members != INT64_MIN ||
		    e->foreground >= 0 || e->has_sid)
			sb_add(why, "pgrp %d does not exist", pgid);
		return;
	}
	size_t mark = why->n;

	if (e->pg_jobc != INT64_MIN)
		check_int(why, "pg_jobc", e->pg_jobc, gi.pg_jobc);
	check_bool(why, "orphaned", e->orphaned, gi.orphaned);
	check_bool(why, "foreground", e->foreground, gi.foreground);
	if (e->members != INT64_MIN)
		check_int(why, "members", e->members, gi.members);
	if (e->has_sid)
		check_ref(run, why, "sid", &e->sid, gi.sid);
	name_subject(why, mark, "pgrp", pgid);
}

static void
judge_session(struct ps_scenario_run *run, const struct sc_expect *e, int32_t sid,
              struct sbuf *why)
{
	struct ps_session_info si;
	bool exists = ps_session_info(run->sim, sid, &si) == 0;

	if (e->exists >= 0 && e->exists != exists) {
		sb_add(why, "session %d %s", sid, exists ? "exists" : "does not exist");
		return;
	}
	if (!exists) {
		if (e->has_leader || e->s_count != INT64_MIN || e->has_tty || e->has_fg)
			sb_add(why, "session %d does not exist", sid);
		return;
	}
	size_t mark = why->n;

	if (e->has_leader) {
		if (e->leader.name == NULL && e->leader.pid == 0)
			check_int(why, "leader", 0, si.leader);
		else
			check_ref(run, why, "leader", &e->leader, si.leader);
	}
	if (e->s_count != INT64_MIN)
		check_int(why, "s_count", e->s_count, si.s_count);
	if (e->has_tty)
		check_tty(run, why, e, si.tty);
	if (e->has_fg)
		check_ref(run, why, "the foreground pgrp", &e->fg, si.tpgid);
	name_subject(why, mark, "session", sid);
}

void
sc_judge_state(struct ps_scenario_run *run, size_t i, bool at_end)
{
	const struct sc_expect *e = &run->sc->expects[i];
	const int32_t *pids;
	int32_t one;
	struct sbuf why = { 0 };
	size_t n;
	char b[48];

	(void)at_end;
	if (run->judged[i])
		return;
	run->judged[i] = true;
	/* Judging binds no name, so the borrowed pids stay valid. */
	n = sc_ref_pids(run, &e->subject, &one, &pids);
	if (n == 0) {
		sb_add(&why, "no process was ever called \"%s\"",
		       sc_ref_text(&e->subject, b, sizeof(b)));
	} else {
		for (size_t k = 0; k < n; k++) {
			if (e->kind == SCE_PROC)
				judge_proc(run, e, pids[k], &why);
			else if (e->kind == SCE_PGRP)
				judge_pgrp(run, e, pids[k], &why);
			else
				judge_session(run, e, pids[k], &why);
		}
	}
	if (why.n == 0) {
		run->passed++;
		return;
	}
	sc_fail(run, (int)i, e->path, ps_sim_now(run->sim), 0, sc_printf("%s", e->json),
	        sb_take(&why));
}

/* --- events --- */

struct matcher {
	const struct sc_expect *e;
	int32_t *sets[16];
	size_t nset[16];
	int32_t tty[16];
};

static bool
rec_matches(const struct ps_scenario_run *run, const struct matcher *m, const struct sc_rec *r)
{
	const struct sc_expect *e = m->e;

	if (r->type != e->type)
		return false;
	if (e->has_since && r->time < e->since)
		return false;
	if (e->has_until && r->time > e->until)
		return false;
	if (e->status.set && !status_match(&e->status, r->value))
		return false;
	for (size_t k = 0; k < e->nmatch && k < 16; k++) {
		const struct sc_match *f = &e->match[k];
		int32_t v;

		switch (f->field) {
		case SCF_PID: v = r->pid; break;
		case SCF_PID2: v = r->pid2; break;
		case SCF_PGID: v = r->pgid; break;
		case SCF_SID: v = r->sid; break;
		case SCF_SIG: v = r->sig; break;
		case SCF_TID: v = r->tid; break;
		case SCF_CPU: v = r->cpu; break;
		case SCF_TTY: v = r->value; break;
		case SCF_VALUE: v = r->value; break;
		case SCF_DETAIL: {
			const char *d = sc_str(run, r->detail);

			if (d == NULL || strcmp(d, f->str) != 0)
				return false;
			continue;
		}
		default:
			return false;
		}
		if (f->is_ref) {
			if (m->nset[k] == 0 || bsearch(&v, m->sets[k], m->nset[k], sizeof(v),
			                               cmp_pid) == NULL)
				return false;
		} else if (f->field == SCF_TTY) {
			if (v != m->tty[k])
				return false;
		} else if (v != f->num) {
			return false;
		}
	}
	return true;
}

static void
format_rec(const struct ps_scenario_run *run, const struct sc_rec *r, struct sbuf *b,
           const char *indent)
{
	struct ps_event ev;
	char line[512];

	sc_rec_to_event(run, r, &ev);
	ps_trace_format_text(&ev, ps_scenario_pid_name, (void *)run, line, sizeof(line));
	sb_add(b, "\n%s%s", indent, line);
}

void
sc_judge_events(struct ps_scenario_run *run)
{
	const ps_scenario_t *sc = run->sc;

	for (size_t i = 0; i < sc->nexpects; i++) {
		const struct sc_expect *e = &sc->expects[i];
		struct matcher m = { e, { 0 }, { 0 }, { 0 } };
		uint64_t lo = 0, n = 0, first = 0, first_time = 0;
		struct sbuf why = { 0 };
		char b[48];
		bool ok;

		if (e->kind != SCE_EVENT)
			continue;
		run->judged[i] = true;
		if (e->after >= 0) {
			lo = run->matched[e->after];
			if (lo == 0) {
				sb_add(&why, "it follows %s, which did not happen",
				       sc->expects[e->after].path);
				sc_fail(run, (int)i, e->path, ps_sim_now(run->sim), 0,
				        sc_printf("%s", e->json), sb_take(&why));
				continue;
			}
		}
		for (size_t k = 0; k < e->nmatch && k < 16; k++) {
			if (e->match[k].is_ref) {
				const int32_t *pids;
				int32_t one;
				size_t np = sc_ref_pids(run, &e->match[k].ref, &one, &pids);

				/* A sorted copy: names may stand for thousands of pids. */
				m.sets[k] = malloc((np + 1) * sizeof(int32_t));
				if (m.sets[k] != NULL && np > 0) {
					memcpy(m.sets[k], pids, np * sizeof(int32_t));
					qsort(m.sets[k], np, sizeof(int32_t), cmp_pid);
					m.nset[k] = np;
				}
			}
			if (e->match[k].field == SCF_TTY)
				m.tty[k] = sc_tty_dev(run, e->match[k].str);
		}
		for (size_t k = 0; k < run->nrecs; k++) {
			const struct sc_rec *r = &run->recs[k];

			if (r->seq <= lo || !rec_matches(run, &m, r))
				continue;
			if (n++ == 0) {
				first = r->seq;
				first_time = r->time;
			}
		}
		if (e->never)
			ok = n == 0;
		else if (e->count >= 0)
			ok = (int64_t)n == e->count;
		else if (e->at_least >= 0 || e->at_most >= 0)
			ok = (e->at_least < 0 || (int64_t)n >= e->at_least) &&
			     (e->at_most < 0 || (int64_t)n <= e->at_most);
		else
			ok = n >= 1;
		run->matched[i] = first;
		if (ok) {
			run->passed++;
		} else {
			uint64_t t = ps_sim_now(run->sim), seq = 0;

			if (e->never) {
				sb_add(&why, "it happened %llu time%s; the first one is marked >>",
				       (unsigned long long)n, n == 1 ? "" : "s");
				t = first_time;
				seq = first;
			} else if (n > 0) {
				sb_add(&why, "it happened %llu time%s; the first one is marked >>",
				       (unsigned long long)n, n == 1 ? "" : "s");
				t = first_time;
				seq = first;
			} else {
				size_t shown = 0, same = 0;

				sb_add(&why, "it never happened");
				if (e->after >= 0)
					sb_add(&why, " after %s (event #%llu)", sc->expects[e->after].path,
					       (unsigned long long)lo);
				for (size_t k = 0; k < e->nmatch; k++)
					if (e->match[k].is_ref && e->match[k].ref.name != NULL &&
					    m.nset[k] == 0)
						sb_add(&why, "; no process was ever called \"%s\"",
						       sc_ref_text(&e->match[k].ref, b, sizeof(b)));
				for (size_t k = 0; k < run->nrecs; k++)
					if (run->recs[k].type == e->type && run->recs[k].seq > lo)
						same++;
				if (same > 0) {
					sb_add(&why, "; %zu \"%s\" event%s did not match%s", same,
					       ps_event_name(e->type), same == 1 ? "" : "s",
					       same > 5 ? ", the first five:" : ":");
					for (size_t k = 0; k < run->nrecs && shown < 5; k++)
						if (run->recs[k].type == e->type && run->recs[k].seq > lo) {
							format_rec(run, &run->recs[k], &why, "      ");
							shown++;
						}
				}
			}
			sc_fail(run, (int)i, e->path, t, seq, sc_printf("%s", e->json),
			        sb_take(&why));
		}
		for (size_t k = 0; k < 16; k++)
			free(m.sets[k]);
	}
}

/* --- report --- */

static void
fmt_time(uint64_t ns, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%09llus", (unsigned long long)(ns / 1000000000u),
	         (unsigned long long)(ns % 1000000000u));
}

/* The shortest exact spelling of a duration for the command line. */
static void
fmt_duration(uint64_t ns, char *buf, size_t len)
{
	if (ns != 0 && ns % 1000000000u == 0)
		snprintf(buf, len, "%llus", (unsigned long long)(ns / 1000000000u));
	else if (ns != 0 && ns % 1000000u == 0)
		snprintf(buf, len, "%llums", (unsigned long long)(ns / 1000000u));
	else if (ns != 0 && ns % 1000u == 0)
		snprintf(buf, len, "%lluus", (unsigned long long)(ns / 1000u));
	else
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
}

/* Quote for a POSIX shell when needed. */
static void
sh_quote(struct sbuf *b, const char *s)
{
	bool plain = *s != '\0';

	for (const char *p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("_-./+,:@%=", *p) != NULL))
			plain = false;
	if (plain) {
		sb_add(b, "%s", s);
		return;
	}
	sb_add(b, "'");
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '\'')
			sb_add(b, "'\\''");
		else
			sb_add(b, "%c", *p);
	}
	sb_add(b, "'");
}

const char *
ps_scenario_replay_command(ps_scenario_run_t *run, const char *prog)
{
	struct ps_config cfg;
	struct sbuf b = { 0 };
	char t[32];

	if (run == NULL)
		return NULL;
	ps_sim_config(run->sim, &cfg);
	sb_add(&b, "%s run ", prog != NULL ? prog : "procsim");
	sh_quote(&b, run->sc->source);
	sb_add(&b, " --seed %llu --cpus %d --policy %s", (unsigned long long)cfg.seed, cfg.cpus,
	       ps_policy_name(cfg.policy));
	if (run->until != PS_TIME_NEVER) {
		fmt_duration(run->until, t, sizeof(t));
		sb_add(&b, " --until %s", t);
	}
	if (cfg.check_every_op) {
		bool incr = cfg.check_mode == PS_CHECK_INCREMENTAL;

		sb_add(&b, incr ? " --check=incremental" : " --check");
		if (cfg.check_full_every > (incr ? 0u : 1u))
			sb_add(&b, " --check-full-every %u", cfg.check_full_every);
	}
	free(run->replay);
	run->replay = sb_take(&b);
	return run->replay;
}

/* Index of the record with seq, or of the last one at or before time. */
static size_t
rec_index(const struct ps_scenario_run *run, uint64_t seq, uint64_t time)
{
	size_t lo = 0, hi = run->nrecs;

	if (seq != 0) {
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (run->recs[mid].seq < seq)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (run->recs[mid].time <= time)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;  /* One past the last at or before time. */
}

static void
context(const struct ps_scenario_run *run, const struct sc_failure *f, struct sbuf *b)
{
	size_t at = rec_index(run, f->seq, f->time), from = at, to = at, k;
	int before = 0, after = 0;

	if (run->nrecs == 0) {
		sb_add(b, "\n    (no events)");
		return;
	}
	/* Six events of interest before, three after (verbose ones skipped). */
	for (k = at; k > 0 && before < 6; k--)
		if (!ps_event_verbose(run->recs[k - 1].type)) {
			before++;
			from = k - 1;
		}
	if (f->seq != 0) {
		to = at + 1;
		for (k = at + 1; k < run->nrecs && after < 3; k++)
			if (!ps_event_verbose(run->recs[k].type)) {
				after++;
				to = k + 1;
			}
	}
	sb_add(b, "\n    %s", ps_trace_text_header());
	for (k = from; k < to && k < run->nrecs; k++) {
		if (ps_event_verbose(run->recs[k].type) && k != at)
			continue;
		format_rec(run, &run->recs[k], b, f->seq != 0 && k == at ? " >> " : "    ");
	}
}

int
ps_scenario_report(ps_scenario_run_t *run, FILE *fp, const char *prog)
{
	struct sbuf b = { 0 };
	char t[40];
	bool io;

	if (run == NULL || fp == NULL)
		return PS_EINVAL;
	if (run->nfails == 0)
		return 0;
	sb_add(&b, "%s\n", ps_scenario_replay_command(run, prog));
	sb_add(&b, "%s: %zu of %zu expectation%s failed in %s", prog != NULL ? prog : "procsim",
	       run->nfails, run->nfails + run->passed, run->nfails + run->passed == 1 ? "" : "s",
	       run->sc->source);
	if (run->sc->name[0] != '\0')
		sb_add(&b, " (\"%s\")", run->sc->name);
	sb_add(&b, "\n");
	for (size_t i = 0; i < run->nfails; i++) {
		const struct sc_failure *f = &run->fails[i];

		fmt_time(f->time, t, sizeof(t));
		sb_add(&b, "\nFAILED %s at %s%s\n", f->path, t,
		       run->done && f->time == ps_sim_now(run->sim) && f->seq == 0 ? " (the end)" : "");
		sb_add(&b, "  expected: %s\n", f->what != NULL ? f->what : "?");
		sb_add(&b, "  found:    %s\n", f->why != NULL ? f->why : "?");
		sb_add(&b, "  trace around it:");
		context(run, f, &b);
		sb_add(&b, "\n");
	}
	io = b.s != NULL && fputs(b.s, fp) < 0;
	free(b.s);
	return io || ferror(fp) ? PS_EIO : 0;
}
