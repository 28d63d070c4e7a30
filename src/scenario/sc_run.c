/*
 * Running a scenario: build the machine, create the processes, fire the
 * events at their times, record every kernel event, and drive the
 * simulator to the end time.
 *
 * Names.  A scenario speaks of processes by name.  A name is bound to a pid
 * when a process is created under it (a "processes" entry, a spawn, a fork
 * event's "name") or when a program runs `tag NAME`; "init" is pid 1.  A
 * name may be bound to several pids (a program that tags each of its
 * children "worker"): expectations then hold for every one of them, and an
 * action needs the name to be unambiguous when it runs.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/sc_internal.h"

char *
sc_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (s == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return p;
	ncap = *cap != 0 ? *cap : 16;
	while (ncap < need)
		ncap *= 2;
	np = realloc(p, ncap * size);
	if (np == NULL)
		return NULL;
	*cap = ncap;
	return np;
}

void
sc_fail(struct ps_scenario_run *run, int expect, const char *path, uint64_t time, uint64_t seq,
        char *what, char *why)
{
	struct sc_failure *f;
	void *p = grow(run->fails, &run->capfails, run->nfails + 1, sizeof(*run->fails));

	if (p == NULL) {
		free(what);
		free(why);
		return;
	}
	run->fails = p;
	f = &run->fails[run->nfails++];
	memset(f, 0, sizeof(*f));
	f->expect = expect;
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->what = what;
	f->why = why;
	f->time = time;
	f->seq = seq;
}

/* --- names --- */

static uint32_t
hash_u32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return x;
}

static uint32_t
hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static struct sc_name *
name_find(const struct ps_scenario_run *run, const char *name)
{
	for (size_t i = 0; i < run->nnames; i++)
		if (strcmp(run->names[i].name, name) == 0)
			return &run->names[i];
	return NULL;
}

/* pid -> the index of its latest name in run->names, or -1. */
static int
pidname_get(const struct ps_scenario_run *run, int32_t pid)
{
	if (run->pidname_cap == 0)
		return -1;
	for (size_t i = hash_u32((uint32_t)pid) & (run->pidname_cap - 1);;
	     i = (i + 1) & (run->pidname_cap - 1)) {
		if (run->pidname_val[i] == 0)
			return -1;
		if (run->pidname_key[i] == pid)
			return (int)run->pidname_val[i] - 1;
	}
}

static int
pidname_put(struct ps_scenario_run *run, int32_t pid, uint32_t idx)
{
	if ((run->pidname_n + 1) * 2 > run->pidname_cap) {
		size_t ncap = run->pidname_cap != 0 ? run->pidname_cap * 2 : 64;
		int32_t *nk = calloc(ncap, sizeof(*nk));
		uint32_t *nv = calloc(ncap, sizeof(*nv));

		if (nk == NULL || nv == NULL) {
			free(nk);
			free(nv);
			return PS_ENOMEM;
		}
		for (size_t i = 0; i < run->pidname_cap; i++) {
			if (run->pidname_val[i] == 0)
				continue;
			size_t j = hash_u32((uint32_t)run->pidname_key[i]) & (ncap - 1);

			while (nv[j] != 0)
				j = (j + 1) & (ncap - 1);
			nk[j] = run->pidname_key[i];
			nv[j] = run->pidname_val[i];
		}
		free(run->pidname_key);
		free(run->pidname_val);
		run->pidname_key = nk;
		run->pidname_val = nv;
		run->pidname_cap = ncap;
	}
	size_t i = hash_u32((uint32_t)pid) & (run->pidname_cap - 1);

	while (run->pidname_val[i] != 0 && run->pidname_key[i] != pid)
		i = (i + 1) & (run->pidname_cap - 1);
	if (run->pidname_val[i] == 0)
		run->pidname_n++;
	run->pidname_key[i] = pid;
	run->pidname_val[i] = idx + 1;
	return 0;
}

static int
name_bind(struct ps_scenario_run *run, const char *name, int32_t pid)
{
	struct sc_name *n = name_find(run, name);
	void *p;

	if (name[0] == '\0')
		return 0;
	if (n == NULL) {
		p = grow(run->names, &run->capnames, run->nnames + 1, sizeof(*run->names));
		if (p == NULL)
			return PS_ENOMEM;
		run->names = p;
		n = &run->names[run->nnames];
		memset(n, 0, sizeof(*n));
		if ((n->name = strdup(name)) == NULL)
			return PS_ENOMEM;
		run->nnames++;
	}
	for (size_t i = 0; i < n->n; i++)
		if (n->pids[i] == pid)
			return pidname_put(run, pid, (uint32_t)(n - run->names));
	p = grow(n->pids, &n->cap, n->n + 1, sizeof(*n->pids));
	if (p == NULL)
		return PS_ENOMEM;
	n->pids = p;
	n->pids[n->n++] = pid;
	return pidname_put(run, pid, (uint32_t)(n - run->names));
}

const char *
ps_scenario_pid_name(void *arg, int32_t pid)
{
	const struct ps_scenario_run *run = arg;
	int i;

	if (run == NULL)
		return NULL;
	i = pidname_get(run, pid);
	return i >= 0 ? run->names[i].name : NULL;
}

int
sc_resolve(const struct ps_scenario_run *run, const struct sc_ref *ref, int32_t *pids,
           size_t cap, size_t *count)
{
	const struct sc_name *n;

	if (ref->name == NULL) {
		*count = 1;
		if (cap < 1)
			return PS_ERANGE;
		pids[0] = ref->pid;
		return 0;
	}
	n = name_find(run, ref->name);
	if (n == NULL) {
		*count = 0;
		return PS_ESRCH;
	}
	*count = n->n;
	if (cap < n->n)
		return PS_ERANGE;
	memcpy(pids, n->pids, n->n * sizeof(*pids));
	return 0;
}

const char *
sc_ref_text(const struct sc_ref *ref, char *buf, size_t len)
{
	if (ref->name != NULL)
		return ref->name;
	snprintf(buf, len, "#%d", ref->pid);
	return buf;
}

int
ps_scenario_resolve(const ps_scenario_run_t *run, const char *text, int32_t *pids, size_t cap,
                    size_t *count)
{
	struct sc_ref ref = { NULL, 0 };
	size_t dummy;

	if (run == NULL || text == NULL || (pids == NULL && cap != 0))
		return PS_EINVAL;
	if (count == NULL)
		count = &dummy;
	if (text[0] == '#' || (text[0] >= '0' && text[0] <= '9')) {
		char *end;
		long x = strtol(text[0] == '#' ? text + 1 : text, &end, 10);

		if (*end != '\0' || end == text + (text[0] == '#') || x < 0 || x > PS_PID_MAX_LIMIT)
			return PS_EINVAL;
		ref.pid = (int32_t)x;
	} else {
		ref.name = (char *)text;
	}
	return sc_resolve(run, &ref, pids, cap, count);
}

size_t
sc_ref_pids(const struct ps_scenario_run *run, const struct sc_ref *ref, int32_t *one,
            const int32_t **pids)
{
	const struct sc_name *n;

	if (ref->name == NULL) {
		*one = ref->pid;
		*pids = one;
		return 1;
	}
	n = name_find(run, ref->name);
	*pids = n != NULL ? n->pids : NULL;
	return n != NULL ? n->n : 0;
}

/* One pid for ref, now: a name must be bound to exactly one live pid. */
static int
resolve_one(struct ps_scenario_run *run, const struct sc_ref *ref, int32_t *pid, char **why)
{
	const int32_t *pids;
	int32_t one;
	size_t n = sc_ref_pids(run, ref, &one, &pids), live = 0;

	if (n == 0) {
		*why = sc_printf("no process is called \"%s\" yet", ref->name);
		return PS_ESRCH;
	}
	if (n == 1) {
		*pid = pids[0];
		return 0;
	}
	/* Several: the one still alive (not reaped) if only one is. */
	for (size_t i = 0; i < n; i++) {
		struct ps_proc_info pi;

		if (ps_proc_info(run->sim, pids[i], &pi) == 0 && pi.state != PS_PRS_ZOMBIE) {
			*pid = pids[i];
			live++;
		}
	}
	if (live == 1)
		return 0;
	*why = sc_printf("\"%s\" names %zu processes (%zu alive); use \"#PID\"", ref->name, n,
	                 live);
	return PS_ERANGE;
}

int
sc_tty_dev(const struct ps_scenario_run *run, const char *name)
{
	for (size_t i = 0; i < run->sc->nttys; i++)
		if (strcmp(run->sc->ttys[i], name) == 0)
			return run->tty_dev[i];
	return -1;
}

/* --- recording events --- */

const char *
sc_str(const struct ps_scenario_run *run, uint32_t i)
{
	return i != 0 && i < run->nstrs ? run->strs[i] : NULL;
}

static uint32_t
intern(struct ps_scenario_run *run, const char *s)
{
	uint32_t h;
	size_t i;

	if (s == NULL)
		return 0;
	if ((run->nstrs + 1) * 2 > run->strhash_cap) {
		size_t ncap = run->strhash_cap != 0 ? run->strhash_cap * 2 : 64;
		uint32_t *nh = calloc(ncap, sizeof(*nh));

		if (nh == NULL)
			return 0;
		for (size_t k = 1; k < run->nstrs; k++) {
			size_t j = hash_str(run->strs[k]) & (ncap - 1);

			while (nh[j] != 0)
				j = (j + 1) & (ncap - 1);
			nh[j] = (uint32_t)k;
		}
		free(run->strhash);
		run->strhash = nh;
		run->strhash_cap = ncap;
	}
	h = hash_str(s);
	for (i = h & (run->strhash_cap - 1); run->strhash[i] != 0;
	     i = (i + 1) & (run->strhash_cap - 1))
		if (strcmp(run->strs[run->strhash[i]], s) == 0)
			return run->strhash[i];
	void *p = grow(run->strs, &run->capstrs, run->nstrs + 1, sizeof(*run->strs));
	char *d = strdup(s);

	if (p == NULL || d == NULL) {
		if (p != NULL)
			run->strs = p;
		free(d);
		return 0;
	}
	run->strs = p;
	run->strs[run->nstrs] = d;
	run->strhash[i] = (uint32_t)run->nstrs;
	return (uint32_t)run->nstrs++;
}

void
sc_rec_to_event(const struct ps_scenario_run *run, const struct sc_rec *r, struct ps_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->seq = r->seq;
	ev->time = r->time;
	ev->type = r->type;
	ev->pid = r->pid;
	ev->pid2 = r->pid2;
	ev->pgid = r->pgid;
	ev->sid = r->sid;
	ev->sig = r->sig;
	ev->value = r->value;
	ev->tid = r->tid;
	ev->cpu = r->cpu;
	ev->detail = sc_str(run, r->detail);
}

static void
on_event(const struct ps_event *ev, void *arg)
{
	struct ps_scenario_run *run = arg;
	void *p;

	run->hash = ps_trace_hash_event(run->hash, ev);
	run->nevents++;
	p = grow(run->recs, &run->caprecs, run->nrecs + 1, sizeof(*run->recs));
	if (p != NULL) {
		struct sc_rec *r;

		run->recs = p;
		r = &run->recs[run->nrecs++];
		r->seq = ev->seq;
		r->time = ev->time;
		r->pid = ev->pid;
		r->pid2 = ev->pid2;
		r->pgid = ev->pgid;
		r->sid = ev->sid;
		r->sig = ev->sig;
		r->value = ev->value;
		r->tid = ev->tid;
		r->cpu = ev->cpu;
		r->type = ev->type;
		r->detail = intern(run, ev->detail);
	}
	if (ev->type == PS_EV_TAG && ev->detail != NULL)
		name_bind(run, ev->detail, ev->pid);
	if (ev->type == PS_EV_INVARIANT && !run->invariant_broken) {
		run->invariant_broken = true;
		run->invariant_time = ev->time;
		snprintf(run->invariant_msg, sizeof(run->invariant_msg), "%s",
		         ev->detail != NULL ? ev->detail : "an invariant broke");
	}
	if (run->opt.on_event != NULL)
		run->opt.on_event(ev, run->opt.arg);
}

uint64_t
ps_scenario_trace_hash(const ps_scenario_run_t *run)
{
	return run != NULL ? run->hash : 0;
}

uint64_t
ps_scenario_events(const ps_scenario_run_t *run)
{
	return run != NULL ? run->nevents : 0;
}

/* --- creating processes --- */

static int
mkerr(char *err, size_t errlen, const char *source, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int
mkerr(char *err, size_t errlen, const char *source, const char *path, const char *fmt, ...)
{
	char msg[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s: %s: %s", source, path, msg);
	return PS_EINVAL;
}

/*
 * Create the process spec describes, as a child of its parent, and bind its
 * name.  *why says what went wrong.
 */
static int
create_proc(struct ps_scenario_run *run, const struct sc_proc *spec, int32_t *out, char **why)
{
	const char *argv0[2] = { spec->name, NULL };
	const char *const *argv = spec->argv != NULL ? (const char *const *)spec->argv : argv0;
	const char *const *env = (const char *const *)spec->env;
	bool simple = !spec->has_uid && !spec->has_gid && !spec->setsid && !spec->has_pgrp &&
	              !spec->foreground;
	int32_t parent, pid;
	int r;

	if ((r = resolve_one(run, &spec->parent, &parent, why)) != 0)
		return r;
	if (spec->program != NULL && simple) {
		r = ps_spawn(run->sim, parent, spec->program, argv, env, &pid);
		if (r != 0) {
			*why = sc_printf("spawning \"%s\" from pid %d: %s", spec->program, parent,
			                 ps_err_name(r));
			return r;
		}
		*out = pid;
		return name_bind(run, spec->name, pid);
	}
	/* A process that does its setup as its parent's child before it runs. */
	r = ps_fork(run->sim, parent, &pid);
	if (r != 0) {
		*why = sc_printf("fork from pid %d: %s%s", parent, ps_err_name(r),
		                 r == PS_EBUSY ? " (the parent runs a program: its children come "
		                                 "from its own fork)"
		                               : "");
		return r;
	}
	if ((r = name_bind(run, spec->name, pid)) != 0)
		return r;
	*out = pid;
	if (spec->has_uid || spec->has_gid) {
		struct ps_proc_info pi;
		struct ps_cred c;

		ps_proc_info(run->sim, pid, &pi);
		c = pi.cred;
		if (spec->has_uid)
			c.uid = c.ruid = c.svuid = spec->uid;
		if (spec->has_gid)
			c.gid = c.rgid = c.svgid = spec->gid;
		if ((r = ps_setcred(run->sim, pid, &c)) != 0) {
			*why = sc_printf("setting credentials: %s", ps_err_name(r));
			return r;
		}
	}
	if (spec->setsid && (r = ps_setsid(run->sim, pid)) < 0) {
		*why = sc_printf("setsid: %s", ps_err_name(r));
		return r;
	}
	if (spec->ctty != NULL &&
	    (r = ps_tiocsctty(run->sim, pid, sc_tty_dev(run, spec->ctty))) != 0) {
		*why = sc_printf("TIOCSCTTY %s: %s", spec->ctty, ps_err_name(r));
		return r;
	}
	if (spec->has_pgrp) {
		int32_t pg;
		struct ps_proc_info pi;

		if ((r = resolve_one(run, &spec->pgrp, &pg, why)) != 0)
			return r;
		/* "pgrp" naming the process itself: it leads a new group. */
		if (pg == pid)
			pi.pgid = pid;
		else if ((r = ps_proc_info(run->sim, pg, &pi)) != 0) {
			*why = sc_printf("pgrp: no process %d", pg);
			return r;
		}
		if ((r = ps_setpgid(run->sim, pid, pid, pi.pgid)) != 0) {
			*why = sc_printf("setpgid(%d, %d): %s", pid, pi.pgid, ps_err_name(r));
			return r;
		}
	}
	if (spec->foreground) {
		struct ps_proc_info pi;

		ps_proc_info(run->sim, pid, &pi);
		if (pi.tty < 0) {
			*why = sc_printf("\"foreground\": its session has no controlling terminal");
			return PS_ENOTTY;
		}
		if ((r = ps_tcsetpgrp(run->sim, pid, pi.tty, pi.pgid)) != 0) {
			*why = sc_printf("tcsetpgrp: %s", ps_err_name(r));
			return r;
		}
	}
	if (spec->program != NULL &&
	    (r = ps_execve(run->sim, pid, spec->program, argv, env)) != 0) {
		*why = sc_printf("execve \"%s\": %s", spec->program, ps_err_name(r));
		return r;
	}
	return 0;
}

/* --- actions --- */


/* The pgid of the process ref names now. */
static int
resolve_pgid(struct ps_scenario_run *run, const struct sc_ref *ref, int32_t *pgid, char **why)
{
	struct ps_proc_info pi;
	int r = resolve_one(run, ref, pgid, why);

	if (r != 0)
		return r;
	/* A pid given as a number is taken as the pgid itself. */
	if (ref->name == NULL)
		return 0;
	if (ps_proc_info(run->sim, *pgid, &pi) == 0 && pi.pgid > 0)
		*pgid = pi.pgid;
	return 0;
}

int
sc_mem_addr(struct ps_scenario_run *run, int32_t pid, const struct sc_mem *m, uint64_t *addr)
{
	struct ps_proc_info pi;
	const char *prog = m->program;
	int r;

	if (m->has_addr) {
		*addr = m->addr + (uint64_t)m->offset;
		return 0;
	}
	if (prog == NULL) {
		/* The program it runs: exec names the process after it. */
		if ((r = ps_proc_info(run->sim, pid, &pi)) != 0)
			return r;
		prog = pi.comm;
	}
	if ((r = ps_program_symbol(run->sim, prog, m->symbol, addr)) != 0)
		return r;
	*addr += (uint64_t)m->offset;
	return 0;
}

/* --- ptrace and procctl --- */

int
sc_addr_value(struct ps_scenario_run *run, int32_t pid, const struct sc_addr *a, uint64_t *out)
{
	struct ps_proc_info pi;
	int r;

	if (a->label == NULL) {
		*out = a->value;
		return 0;
	}
	if ((r = ps_proc_info(run->sim, pid, &pi)) != 0)
		return r;
	if ((r = ps_program_symbol(run->sim, pi.comm, a->label, out)) != 0)
		return r;
	*out += (uint64_t)a->offset;
	return 0;
}

/* The process whose program names labels: target's own, or its thread's. */
static int32_t
label_pid(struct ps_scenario_run *run, int32_t target)
{
	struct ps_proc_info pi;
	struct ps_thread_info ti;

	if (ps_proc_info(run->sim, target, &pi) == 0)
		return target;
	if (ps_thread_info(run->sim, target, &ti) == 0)
		return ti.pid;
	return target;
}

static int
addr_or_why(struct ps_scenario_run *run, int32_t pid, const struct sc_addr *a, uint64_t *out,
            char **why)
{
	struct ps_proc_info pi;
	int r = sc_addr_value(run, pid, a, out);

	if (r == 0)
		return 0;
	if (ps_proc_info(run->sim, pid, &pi) != 0)
		*why = sc_printf("no label \"%s\": process %d is not there to name its program",
		                 a->label, pid);
	else
		*why = sc_printf("no label \"%s\" in \"%s\", the program of process %d", a->label,
		                 pi.comm, pid);
	return r;
}

/* Appends "; what" (or "what") to a growing message. */
static void
add_why(char **msg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add_why(char **msg, const char *fmt, ...)
{
	va_list ap;
	char part[320];
	char *s;

	va_start(ap, fmt);
	vsnprintf(part, sizeof(part), fmt, ap);
	va_end(ap);
	s = *msg == NULL ? sc_printf("%s", part) : sc_printf("%s; %s", *msg, part);
	if (s != NULL) {
		free(*msg);
		*msg = s;
	}
}

static uint64_t
reg_get(const struct ps_regs *r, size_t i)
{
	return i < 16 ? r->r[i] : i == 16 ? r->pc : i == 17 ? r->sp : r->flags;
}

static void
reg_set(struct ps_regs *r, size_t i, uint64_t v)
{
	if (i < 16)
		r->r[i] = v;
	else if (i == 16)
		r->pc = v;
	else if (i == 17)
		r->sp = v;
	else
		r->flags = v;
}

static const char *const sc_reg_names[SC_NREGS] = {
	"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "r13",
	"r14", "r15", "pc", "sp", "flags",
};

static const char *
lwflag_text(int32_t f, char *buf, size_t len)
{
	static const char *const names[] = { "SA", "BOUND", "SCE", "SCX", "EXEC", "SI", "FORKED",
		                              "CHILD" };
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < 8; i++)
		if (f & (1 << i))
			n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? ", " : "",
			                      names[i]);
	if (f & ~0xff)
		snprintf(buf + n, n < len ? len - n : 0, "%s0x%x", n ? ", " : "", (unsigned)f & ~0xffu);
	return buf;
}

/* Whether pid is one of the pids ref stands for. */
static bool
ref_has(const struct ps_scenario_run *run, const struct sc_ref *ref, int32_t pid)
{
	const int32_t *pids;
	int32_t one;
	size_t n = sc_ref_pids(run, ref, &one, &pids);

	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* The checks of a request that succeeded; *mismatch says what differs. */
static void
ptrace_checks(struct ps_scenario_run *run, const struct sc_ptrace *pt, int32_t lpid, int rv,
              const struct ps_regs *regs, const uint8_t *io, const struct ps_ptrace_lwpinfo *pl,
              const struct ps_ptrace_vm_entry *pve, char **mismatch)
{
	char b[64], b2[64];
	char *why = NULL;
	uint64_t want;

	if (pt->has_value && (uint32_t)rv != pt->value)
		add_why(mismatch, "it returned %u (0x%x), not %u (0x%x)", (unsigned)rv, (unsigned)rv,
		        (unsigned)pt->value, (unsigned)pt->value);
	for (size_t i = 0; i < SC_NREGS; i++) {
		if (!(pt->eregs_mask & (1u << i)))
			continue;
		if (addr_or_why(run, lpid, &pt->eregs[i], &want, &why) != 0) {
			add_why(mismatch, "%s: %s", sc_reg_names[i], why);
			free(why);
			why = NULL;
			continue;
		}
		if (reg_get(regs, i) == want)
			continue;
		if (pt->eregs[i].label != NULL)
			snprintf(b, sizeof(b), "%s", pt->eregs[i].label);
		else
			snprintf(b, sizeof(b), "%lld", (long long)want);
		add_why(mismatch, "%s is 0x%llx (%lld), not 0x%llx (%s)", sc_reg_names[i],
		        (unsigned long long)reg_get(regs, i), (long long)reg_get(regs, i),
		        (unsigned long long)want, b);
	}
	if (pt->ebytes != NULL && memcmp(io, pt->ebytes, pt->nebytes) != 0) {
		char *s = sc_printf("it read");

		for (size_t i = 0; i < pt->nebytes && i < 64 && s != NULL; i++) {
			char *t = sc_printf("%s %02x", s, io[i]);

			free(s);
			s = t;
		}
		if (s != NULL)
			add_why(mismatch, "%s%s", s, pt->nebytes > 64 ? " ..." : "");
		free(s);
	}
	if (pt->has_lwpinfo) {
		if (pt->lw_event >= 0 && pl->pl_event != pt->lw_event)
			add_why(mismatch, "pl_event is %s", pl->pl_event == PS_PL_EVENT_SIGNAL ? "signal"
			                                     : pl->pl_event == PS_PL_EVENT_NONE ? "none"
			                                                                         : "?");
		if (pt->lw_flags >= 0 && pl->pl_flags != pt->lw_flags)
			add_why(mismatch, "pl_flags are [%s], not [%s]",
			        lwflag_text(pl->pl_flags, b, sizeof(b)),
			        lwflag_text(pt->lw_flags, b2, sizeof(b2)));
		if (pt->lw_signal >= 0 && pl->pl_siginfo.signo != pt->lw_signal)
			add_why(mismatch, "pl_siginfo's signal is %d (%s)", pl->pl_siginfo.signo,
			        ps_signal_name(pl->pl_siginfo.signo) != NULL
			            ? ps_signal_name(pl->pl_siginfo.signo) : "none");
		if (pt->lw_syscall >= 0 && (int32_t)pl->pl_syscall_code != pt->lw_syscall)
			add_why(mismatch, "pl_syscall_code is %u (%s)", (unsigned)pl->pl_syscall_code,
			        ps_syscall_name((int)pl->pl_syscall_code) != NULL
			            ? ps_syscall_name((int)pl->pl_syscall_code) : "none");
		if (pt->has_lw_child && !ref_has(run, &pt->lw_child, pl->pl_child_pid))
			add_why(mismatch, "pl_child_pid is %d, not %s", pl->pl_child_pid,
			        sc_ref_text(&pt->lw_child, b, sizeof(b)));
	}
	if (pt->has_vm) {
		if (pt->vm_entry >= 0 && pve->pve_entry != pt->vm_entry)
			add_why(mismatch, "pve_entry is %d", pve->pve_entry);
		for (int k = 0; k < 2; k++) {
			const struct sc_addr *a = k == 0 ? &pt->vm_start : &pt->vm_end;
			uint64_t got = k == 0 ? pve->pve_start : pve->pve_end;

			if (!a->set)
				continue;
			if (addr_or_why(run, lpid, a, &want, &why) != 0) {
				add_why(mismatch, "%s", why);
				free(why);
				why = NULL;
			} else if (got != want) {
				add_why(mismatch, "%s is 0x%llx", k == 0 ? "pve_start" : "pve_end",
				        (unsigned long long)got);
			}
		}
		if (pt->vm_prot >= 0 && (int32_t)pve->pve_prot != pt->vm_prot)
			add_why(mismatch, "pve_prot is %c%c%c", pve->pve_prot & 1 ? 'r' : '-',
			        pve->pve_prot & 2 ? 'w' : '-', pve->pve_prot & 4 ? 'x' : '-');
		if (pt->has_vm_path && pt->vm_path == NULL && pve->pve_pathlen != 0)
			add_why(mismatch, "it has the path \"%s\"", pve->pve_path);
		else if (pt->vm_path != NULL && pve->pve_pathlen == 0)
			add_why(mismatch, "it has no path");
		else if (pt->vm_path != NULL && strcmp(pve->pve_path, pt->vm_path) != 0)
			add_why(mismatch, "its path is \"%s\"", pve->pve_path);
	}
}

static bool
pt_resumes(int req)
{
	switch (req) {
	case PS_PT_CONTINUE: case PS_PT_STEP: case PS_PT_KILL: case PS_PT_DETACH:
	case PS_PT_TO_SCE: case PS_PT_TO_SCX: case PS_PT_SYSCALL:
		return true;
	default:
		return false;
	}
}

/*
 * A "ptrace" action: the request made by `tracer` with the structure it
 * needs in the scenario's memory, then the checks of its results.
 */
static int
do_ptrace(struct ps_scenario_run *run, const struct sc_action *a, int32_t tracer, char **why,
          char **mismatch)
{
	const struct sc_ptrace *pt = a->pt;
	ps_sim_t *sim = run->sim;
	int32_t target = 0, lpid = tracer;
	uint64_t addr = pt_resumes(pt->req) ? 1 : 0, v;
	int data = pt->data, rv = 0, r;
	union {
		struct ps_regs regs;
		struct ps_fpreg fp;
		struct ps_dbreg db;
		struct ps_ptrace_lwpinfo pl;
	} u;
	struct ps_ptrace_io_desc io = { 0 };
	struct ps_ptrace_vm_entry pve = { 0 };
	uint8_t *buf = NULL;
	int32_t *lwps = NULL;
	char *path = NULL;
	void *p = NULL;

	memset(&u, 0, sizeof(u));
	if (pt->has_target) {
		if (resolve_one(run, &pt->target, &target, why) != 0)
			return INT32_MIN;
		lpid = label_pid(run, target);
		if (pt->thread >= 0) {
			int32_t *tids;
			size_t n = 0;

			r = ps_proc_threads(sim, target, NULL, 0, &n);
			if ((r != 0 && r != PS_ERANGE) || (size_t)pt->thread >= n) {
				n = r == 0 || r == PS_ERANGE ? n : 0;
				*why = sc_printf("process %d has %zu thread%s: there is no thread %d", target,
				                 n, n == 1 ? "" : "s", pt->thread);
				return INT32_MIN;
			}
			if ((tids = calloc(n, sizeof(*tids))) == NULL)
				return PS_ENOMEM;
			r = ps_proc_threads(sim, target, tids, n, &n);
			target = tids[pt->thread];
			free(tids);
			if (r != 0)
				return r;
		}
	}
	if (pt->addr.set && addr_or_why(run, lpid, &pt->addr, &addr, why) != 0)
		return INT32_MIN;
	p = (void *)(uintptr_t)addr;
	switch (pt->req) {
	case PS_PT_IO:
		buf = calloc(pt->io_len + 1, 1);
		if (buf == NULL)
			return PS_ENOMEM;
		if (pt->io_bytes != NULL)
			memcpy(buf, pt->io_bytes, pt->io_len);
		if (addr_or_why(run, lpid, &pt->io_offs, &v, why) != 0) {
			free(buf);
			return INT32_MIN;
		}
		io = (struct ps_ptrace_io_desc){ pt->io_op, v, buf, pt->io_len };
		p = &io;
		break;
	case PS_PT_LWPINFO:
		if (!pt->has_data) {
			struct ps_config cfg;

			ps_sim_config(sim, &cfg);
			data = (int)(cfg.ptrace_rev == PS_PTRACE_REV_A ? PS_PT_LWPINFO_SIZE_A
			                                               : PS_PT_LWPINFO_SIZE_B);
		}
		p = &u.pl;
		break;
	case PS_PT_GETLWPLIST: {
		size_t n = 0;

		/* Room for every thread: the kernel stores min(threads, data). */
		(void)ps_proc_threads(sim, lpid, NULL, 0, &n);
		lwps = calloc(n + 1, sizeof(*lwps));
		if (lwps == NULL)
			return PS_ENOMEM;
		if (!pt->has_data)
			data = (int)n;
		p = lwps;
		break;
	}
	case PS_PT_SETREGS:
		/* Only the registers named change: read the others first. */
		r = ps_ptrace(sim, tracer, PS_PT_GETREGS, target, &u.regs, 0, NULL);
		if (r != 0)
			return r;
		for (size_t i = 0; i < SC_NREGS; i++) {
			if (!(pt->regs_mask & (1u << i)))
				continue;
			if (addr_or_why(run, lpid, &pt->regs[i], &v, why) != 0)
				return INT32_MIN;
			reg_set(&u.regs, i, v);
		}
		p = &u.regs;
		break;
	case PS_PT_GETREGS: case PS_PT_GETFPREGS: case PS_PT_SETFPREGS: case PS_PT_GETDBREGS:
	case PS_PT_SETDBREGS:
		p = &u;
		break;
	case PS_PT_VM_ENTRY:
		path = calloc(pt->pathlen + 1, 1);
		if (path == NULL)
			return PS_ENOMEM;
		pve.pve_entry = pt->entry;
		pve.pve_pathlen = pt->pathlen;
		pve.pve_path = path;
		p = &pve;
		break;
	default:
		break;
	}
	/* "addr": 0 on a structure request: a NULL pointer. */
	if (pt->addr.set && addr == 0 && p != NULL && p != (void *)(uintptr_t)addr)
		p = NULL;
	r = ps_ptrace(sim, tracer, pt->req, target, p, data, &rv);
	if (r == 0)
		ptrace_checks(run, pt, lpid, rv, &u.regs, buf, &u.pl, &pve, mismatch);
	free(buf);
	free(lwps);
	free(path);
	return r;
}

static int
do_procctl(struct ps_scenario_run *run, const struct sc_action *a, int32_t caller, char **why)
{
	const struct sc_procctl *pc = a->pc;
	int32_t id;
	int flags = pc->flags;

	if (pc->idtype == PS_PROCCTL_P_PGID) {
		if (resolve_pgid(run, &pc->id, &id, why) != 0)
			return INT32_MIN;
	} else if (resolve_one(run, &pc->id, &id, why) != 0) {
		return INT32_MIN;
	}
	return ps_procctl(run->sim, caller, pc->idtype, id, pc->com, &flags);
}

static int
do_action(struct ps_scenario_run *run, const struct sc_action *a, char **why,
          char **mismatch)
{
	ps_sim_t *sim = run->sim;
	int32_t pid = 0, target = 0, pgid = 0;
	int r;

	if (a->has_proc && (r = resolve_one(run, &a->proc, &pid, why)) != 0)
		return INT32_MIN;
	switch (a->kind) {
	case SCA_SIGNAL:
		if (a->target_kind == 3)
			target = a->number2;
		else if (a->target_kind == 2) {
			if (resolve_pgid(run, &a->target, &target, why) != 0)
				return INT32_MIN;
			target = -target;
		} else if (resolve_one(run, &a->target, &target, why) != 0)
			return INT32_MIN;
		return ps_kill(sim, pid, target, a->number);
	case SCA_HANGUP:
		return ps_tty_hangup(sim, sc_tty_dev(run, a->tty));
	case SCA_SPAWN:
		/* The processes it names must be found (as for every action);
		 * after that a failed spawn returns its call's error, and *why
		 * says which step failed. */
		if (resolve_one(run, &a->spawn->parent, &target, why) != 0 ||
		    (a->spawn->has_pgrp && resolve_one(run, &a->spawn->pgrp, &target, why) != 0))
			return INT32_MIN;
		r = create_proc(run, a->spawn, &target, why);
		return r != 0 ? r : target;
	case SCA_FORK:
		if ((r = ps_fork(sim, pid, &target)) != 0)
			return r;
		if (a->name != NULL)
			name_bind(run, a->name, target);
		return target;
	case SCA_EXIT:
		return ps_exit(sim, pid, a->number);
	case SCA_WAIT: {
		int status = 0;

		target = a->number;
		if (a->target_kind == 1 && resolve_one(run, &a->target, &target, why) != 0)
			return INT32_MIN;
		if (a->target_kind == 2) {
			if (resolve_pgid(run, &a->target, &target, why) != 0)
				return INT32_MIN;
			target = -target;
		}
		return ps_wait(sim, pid, target, a->number2, &status);
	}
	case SCA_SETPGID:
		if (a->target_kind == 1 && resolve_one(run, &a->target, &target, why) != 0)
			return INT32_MIN;
		if (a->has_pgrp && resolve_pgid(run, &a->pgrp, &pgid, why) != 0)
			return INT32_MIN;
		return ps_setpgid(sim, pid, target, pgid);
	case SCA_SETSID:
		return ps_setsid(sim, pid);
	case SCA_TIOCSCTTY:
		return ps_tiocsctty(sim, pid, sc_tty_dev(run, a->tty));
	case SCA_TCSETPGRP:
		if (resolve_pgid(run, &a->pgrp, &pgid, why) != 0)
			return INT32_MIN;
		return ps_tcsetpgrp(sim, pid, sc_tty_dev(run, a->tty), pgid);
	case SCA_SETUID:
		return ps_setuid(sim, pid, a->number);
	case SCA_SIGACTION: {
		struct ps_sigaction act = { a->handler, (uint32_t)a->number2, 0 };

		return ps_sigaction(sim, pid, a->number, &act, NULL);
	}
	case SCA_EXEC:
		return ps_execve(sim, pid, a->program, (const char *const *)a->argv,
		                 (const char *const *)a->env);
	case SCA_POKE: {
		uint64_t addr;
		size_t done = 0;

		if ((r = sc_mem_addr(run, pid, &a->mem, &addr)) != 0) {
			*why = sc_printf("no address for \"%s\": %s", a->mem.symbol, ps_err_name(r));
			return INT32_MIN;
		}
		return ps_mem_write(sim, pid, addr, a->mem.bytes, a->mem.len, &done);
	}
	case SCA_CHECK: {
		struct ps_check_report rep;

		r = ps_sim_check(sim, &rep);
		if (r != 0)
			*why = sc_printf("invariant %s broke: %s", rep.invariant, rep.message);
		return r != 0 ? INT32_MIN : 0;
	}
	case SCA_PAUSE:
		return 0;
	case SCA_PTRACE:
		return do_ptrace(run, a, pid, why, mismatch);
	case SCA_PROCCTL:
		return do_procctl(run, a, pid, why);
	}
	return PS_EINVAL;
}

static void
run_action(struct ps_scenario_run *run, size_t i)
{
	const struct sc_action *a = &run->sc->actions[i];
	char *why = NULL, *step = NULL, *mismatch = NULL;
	int32_t rv = do_action(run, a, &why, &mismatch);
	bool ok;

	/* A spawn that failed returned its error: judged as any call's, with
	 * the step that failed kept for the report. */
	if (a->kind == SCA_SPAWN && rv < 0) {
		step = why;
		why = NULL;
	}
	run->afired[i] = true;
	run->aresult[i] = rv != INT32_MIN ? rv : a->kind == SCA_CHECK ? PS_EINVARIANT : PS_ESRCH;

	switch (a->result) {
	case SCR_ANY:
		ok = why == NULL;
		break;
	case SCR_OK:
		/* A call that went to sleep (a blocking wait) has succeeded so far. */
		ok = why == NULL && (rv >= 0 || rv == PS_EINPROGRESS);
		break;
	case SCR_ERRNO:
		ok = why == NULL && rv == a->result_value;
		break;
	case SCR_VALUE:
	default:
		ok = why == NULL && rv == a->result_value;
		break;
	}
	/* A request that succeeded, with results other than expected. */
	if (ok && mismatch != NULL) {
		ok = false;
		why = sc_printf("it succeeded, but %s", mismatch);
	}
	free(mismatch);
	if (a->has_expect && a->result != SCR_ANY && ok)
		run->passed++;
	if (ok) {
		free(step);
		return;
	}
	char *what;

	if (a->result == SCR_ERRNO)
		what = sc_printf("%s fails with %s", a->json, ps_err_name(a->result_value));
	else if (a->result == SCR_VALUE)
		what = sc_printf("%s returns %d", a->json, a->result_value);
	else
		what = sc_printf("%s succeeds", a->json);
	if (why == NULL) {
		if (rv < 0 && rv > -4096)
			why = sc_printf("it returned %s (%s)%s%s%s", ps_err_name(rv), ps_strerror(rv),
			                step != NULL ? ": " : "", step != NULL ? step : "",
			                a->result == SCR_OK ? "; if that is intended, say "
			                                      "\"expect\": {\"errno\": \"...\"}"
			                                    : "");
		else
			why = sc_printf("it returned %d", rv);
	}
	free(step);
	sc_fail(run, -1, a->path, ps_sim_now(run->sim), 0, what, why);
}

static void
on_timer(ps_sim_t *sim, uint64_t t, void *arg)
{
	struct sc_timer_arg *ta = arg;

	(void)sim;
	(void)t;
	if (ta->kind == 0)
		run_action(ta->run, ta->index);
	else
		sc_judge_state(ta->run, ta->index, false);
}

/* --- the run --- */

void
ps_scenario_options_init(struct ps_scenario_options *opt)
{
	if (opt != NULL)
		memset(opt, 0, sizeof(*opt));
}

static int
add_programs(struct ps_scenario_run *run, char *err, size_t errlen)
{
	const ps_scenario_t *sc = run->sc;

	for (size_t i = 0; i < sc->nprograms; i++) {
		const struct sc_program *pr = &sc->programs[i];
		struct ps_asm_error ae;
		int r = ps_program_add(run->sim, pr->name, pr->text, &ae);

		if (r == 0)
			continue;
		if (r != PS_EINVAL)
			return mkerr(err, errlen, sc->source, pr->path, "cannot add the program: %s",
			             ps_strerror(r));
		if (pr->lines) {
			char path[SC_PATH_MAX + 16];

			snprintf(path, sizeof(path), "%s/%d", pr->path, ae.line - 1);
			return mkerr(err, errlen, sc->source, path, "line %d, column %d: %s", ae.line,
			             ae.column, ae.message);
		}
		return mkerr(err, errlen, sc->source, pr->path, "line %d, column %d: %s", ae.line,
		             ae.column, ae.message);
	}
	return 0;
}

int
ps_scenario_start(const ps_scenario_t *sc, const struct ps_scenario_options *opt,
                  ps_scenario_run_t **out, char *err, size_t errlen)
{
	struct ps_scenario_run *run;
	struct ps_config cfg;
	int r;

	if (out != NULL)
		*out = NULL;
	if (sc == NULL || out == NULL)
		return PS_EINVAL;
	run = calloc(1, sizeof(*run));
	if (run == NULL)
		return PS_ENOMEM;
	run->sc = sc;
	if (opt != NULL)
		run->opt = *opt;
	run->hash = PS_TRACE_HASH_INIT;
	run->strs = calloc(16, sizeof(*run->strs));
	run->capstrs = 16;
	run->nstrs = 1;
	cfg = sc->config;
	run->until = sc->until;
	run->max_steps = sc->max_steps;
	if (run->opt.set & PS_SCOPT_SEED)
		cfg.seed = run->opt.seed;
	if (run->opt.set & PS_SCOPT_CPUS)
		cfg.cpus = run->opt.cpus;
	if (run->opt.set & PS_SCOPT_POLICY)
		cfg.policy = (uint8_t)run->opt.policy;
	if (run->opt.set & PS_SCOPT_UNTIL)
		run->until = run->opt.until;
	if (run->opt.set & PS_SCOPT_CHECK) {
		cfg.check_every_op = run->opt.check != PS_SCCHECK_OFF;
		cfg.check_mode = run->opt.check == PS_SCCHECK_INCREMENTAL ? PS_CHECK_INCREMENTAL
		                                                         : PS_CHECK_FULL;
		/* --check alone keeps its meaning: a full walk after every event. */
		if (run->opt.check == PS_SCCHECK_FULL)
			cfg.check_full_every = 0;
	}
	if (run->opt.set & PS_SCOPT_CHECK_FULL_EVERY)
		cfg.check_full_every = run->opt.check_full_every;
	run->tty_dev = calloc(sc->nttys + 1, sizeof(*run->tty_dev));
	run->matched = calloc(sc->nexpects + 1, sizeof(*run->matched));
	run->judged = calloc(sc->nexpects + 1, sizeof(*run->judged));
	run->targs = calloc(sc->nactions + sc->nexpects + 1, sizeof(*run->targs));
	run->afired = calloc(sc->nactions + 1, sizeof(*run->afired));
	run->aresult = calloc(sc->nactions + 1, sizeof(*run->aresult));
	if (run->strs == NULL || run->tty_dev == NULL || run->matched == NULL ||
	    run->judged == NULL || run->targs == NULL || run->afired == NULL ||
	    run->aresult == NULL) {
		ps_scenario_run_free(run);
		return PS_ENOMEM;
	}
	r = ps_sim_new(&cfg, &run->sim);
	if (r != 0) {
		ps_scenario_run_free(run);
		if (r == PS_EINVAL)
			return mkerr(err, errlen, sc->source, "/config",
			             "the configuration is out of range (see docs/scenario-format.md)");
		return r;
	}
	if (run->opt.on_run != NULL)
		run->opt.on_run(run, run->opt.arg);
	ps_sim_set_event_cb(run->sim, on_event, run);
	if ((r = name_bind(run, "init", 1)) != 0)
		goto fail;
	for (size_t i = 0; i < sc->nttys; i++) {
		if ((r = ps_tty_new(run->sim, sc->ttys[i], &run->tty_dev[i])) != 0) {
			char path[32];

			snprintf(path, sizeof(path), "/ttys/%zu", i);
			r = mkerr(err, errlen, sc->source, path, "cannot create the terminal: %s",
			          ps_strerror(r));
			goto fail;
		}
	}
	if ((r = add_programs(run, err, errlen)) != 0)
		goto fail;
	for (size_t i = 0; i < sc->nprocs; i++) {
		char *why = NULL;
		int32_t pid;

		r = create_proc(run, &sc->procs[i], &pid, &why);
		if (r != 0) {
			r = mkerr(err, errlen, sc->source, sc->procs[i].path, "cannot create process "
			          "\"%s\": %s", sc->procs[i].name, why != NULL ? why : ps_err_name(r));
			free(why);
			goto fail;
		}
	}
	for (size_t i = 0; i < sc->nactions; i++) {
		struct sc_timer_arg *ta = &run->targs[run->ntargs++];

		*ta = (struct sc_timer_arg){ run, 0, i };
		if ((r = ps_sim_at(run->sim, sc->actions[i].at, on_timer, ta, NULL)) != 0)
			goto fail;
	}
	for (size_t i = 0; i < sc->nexpects; i++) {
		const struct sc_expect *e = &sc->expects[i];

		if (e->kind == SCE_EVENT || e->at_end)
			continue;
		struct sc_timer_arg *ta = &run->targs[run->ntargs++];

		*ta = (struct sc_timer_arg){ run, 1, i };
		if ((r = ps_sim_at(run->sim, e->at, on_timer, ta, NULL)) != 0)
			goto fail;
	}
	*out = run;
	return 0;
fail:
	ps_scenario_run_free(run);
	return r;
}

ps_sim_t *
ps_scenario_sim(ps_scenario_run_t *run)
{
	return run != NULL ? run->sim : NULL;
}

uint64_t
ps_scenario_until(const ps_scenario_run_t *run)
{
	return run != NULL ? run->until : 0;
}

/* Completed scheduling steps of the run's simulator. */
static uint64_t
sim_steps(ps_sim_t *sim)
{
	struct ps_sched_stats st;

	return ps_sched_stats(sim, &st) == 0 ? st.steps : 0;
}

static void
note_invariant(struct ps_scenario_run *run)
{
	struct ps_check_report rep;

	ps_sim_check(run->sim, &rep);
	if (!run->invariant_broken) {
		run->invariant_broken = true;
		run->invariant_time = ps_sim_now(run->sim);
		snprintf(run->invariant_msg, sizeof(run->invariant_msg), "%s: %s", rep.invariant,
		         rep.message);
	}
	run->done = true;
}

static void
note_step_limit(struct ps_scenario_run *run)
{
	run->done = true;
	sc_fail(run, -1, "/config/max_steps", ps_sim_now(run->sim), 0,
	        sc_printf("the run ends within %llu steps", (unsigned long long)run->max_steps),
	        sc_printf("it was still going at the step limit"));
}

int
ps_scenario_advance(ps_scenario_run_t *run, uint64_t max_steps, int *done)
{
	uint64_t steps = 0, budget = max_steps;
	int r;

	if (run == NULL || done == NULL)
		return PS_EINVAL;
	*done = run->done;
	if (run->done)
		return 0;
	if (run->max_steps != 0) {
		uint64_t taken = sim_steps(run->sim);
		uint64_t left = run->max_steps > taken ? run->max_steps - taken : 0;

		if (left == 0) {
			note_step_limit(run);
			*done = 1;
			return 0;
		}
		if (budget == 0 || budget > left)
			budget = left;
	}
	r = ps_sim_run_until(run->sim, run->until, budget, &steps);
	if (r == PS_EINVARIANT) {
		note_invariant(run);
	} else if (r < 0) {
		return r;
	} else if (r == 0) {
		run->done = true;
		run->idle_end = run->until == PS_TIME_NEVER;
	} else if (run->max_steps != 0 && sim_steps(run->sim) >= run->max_steps) {
		note_step_limit(run);
	}
	*done = run->done;
	return 0;
}

int
ps_scenario_step(ps_scenario_run_t *run, int *done)
{
	int r;

	if (run == NULL || done == NULL)
		return PS_EINVAL;
	*done = run->done;
	if (run->done)
		return 0;
	if (run->max_steps != 0 && sim_steps(run->sim) >= run->max_steps) {
		note_step_limit(run);
		*done = 1;
		return 0;
	}
	r = ps_sim_step_insn(run->sim, run->until);
	if (r == PS_EINVARIANT) {
		note_invariant(run);
		*done = 1;
		return 1;
	}
	if (r < 0)
		return r;
	if (r == 0) {
		/* Nothing is due before the end: the clock goes to it. */
		if (run->until != PS_TIME_NEVER &&
		    (r = ps_sim_run_until(run->sim, run->until, 0, NULL)) < 0)
			return r;
		run->done = true;
		run->idle_end = run->until == PS_TIME_NEVER;
		*done = 1;
		return 0;
	}
	return 1;
}

int
ps_scenario_counts(const ps_scenario_run_t *run, uint32_t *passed, uint32_t *failed)
{
	if (run == NULL)
		return PS_EINVAL;
	if (passed != NULL)
		*passed = run->passed;
	if (failed != NULL)
		*failed = (uint32_t)run->nfails;
	return 0;
}

int
ps_scenario_finish(ps_scenario_run_t *run)
{
	struct ps_check_report rep;

	if (run == NULL)
		return PS_EINVAL;
	if (!run->finished) {
		run->finished = true;
		for (size_t i = 0; i < run->sc->nexpects; i++)
			if (run->sc->expects[i].kind != SCE_EVENT && run->sc->expects[i].at_end)
				sc_judge_state(run, i, true);
		sc_judge_events(run);
		if (!run->invariant_broken && ps_sim_check(run->sim, &rep) != 0) {
			run->invariant_broken = true;
			run->invariant_time = ps_sim_now(run->sim);
			snprintf(run->invariant_msg, sizeof(run->invariant_msg), "%s: %s",
			         rep.invariant, rep.message);
		}
		if (run->invariant_broken)
			sc_fail(run, -1, "/", run->invariant_time, 0,
			        sc_printf("every kernel invariant holds"),
			        sc_printf("invariant broken: %s", run->invariant_msg));
		if (ps_sim_lock_reversals(run->sim) != 0)
			sc_fail(run, -1, "/", ps_sim_now(run->sim), 0,
			        sc_printf("no lock order reversal"),
			        sc_printf("%llu lock order reversals (see the lock_order_reversal "
			                  "events)",
			                  (unsigned long long)ps_sim_lock_reversals(run->sim)));
	}
	return run->nfails == 0 ? 0 : 1;
}

void
ps_scenario_run_free(ps_scenario_run_t *run)
{
	if (run == NULL)
		return;
	ps_sim_free(run->sim);
	free(run->tty_dev);
	free(run->recs);
	for (size_t i = 1; i < run->nstrs; i++)
		free(run->strs[i]);
	free(run->strs);
	free(run->strhash);
	for (size_t i = 0; i < run->nnames; i++) {
		free(run->names[i].name);
		free(run->names[i].pids);
	}
	free(run->names);
	free(run->pidname_key);
	free(run->pidname_val);
	free(run->matched);
	free(run->judged);
	for (size_t i = 0; i < run->nfails; i++) {
		free(run->fails[i].what);
		free(run->fails[i].why);
	}
	free(run->fails);
	free(run->replay);
	free(run->targs);
	free(run->afired);
	free(run->aresult);
	free(run);
}

int
ps_scenario_action_result(const ps_scenario_run_t *run, size_t i, int *fired, int32_t *result)
{
	if (run == NULL || i >= run->sc->nactions)
		return PS_EINVAL;
	if (fired != NULL)
		*fired = run->afired[i];
	if (result != NULL)
		*result = run->aresult[i];
	return 0;
}
