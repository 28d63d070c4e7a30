/*
 * conform: run a conformance case on the host kernel and in procsim, and
 * compare what each side observed (docs/conformance.md).
 *
 *   conform run CASE.json --host BIN [-v]       judge one case (a ctest test)
 *   conform observe CASE.json --host BIN        print both sides' observations
 *   conform table --host-dir DIR --doc FILE CASE.json...
 *                                               rewrite the table in FILE
 *
 * A case is a scenario whose "conformance" object says what each process
 * must observe ("expect"), and where FreeBSD and Linux differ
 * ("divergences": for one process, a list for each side, with the seed
 * line that the FreeBSD list follows).  The procsim side (FreeBSD
 * semantics) must match the FreeBSD lists, the host side (this machine's
 * kernel, Linux) the Linux lists; everywhere else both must match
 * "expect".  Exit status: 0 when both sides are as the case says, 1 when
 * one is not (the first difference is printed), 2 on bad usage or a bad
 * case, 3 when the host run timed out.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <procsim/procsim.h>

/* ---- small containers ------------------------------------------------ */

struct strv {
	char **v;
	size_t n, cap;
};

static void *xrealloc(void *p, size_t n)
{
	if (!(p = realloc(p, n ? n : 1))) {
		fputs("conform: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xrealloc(NULL, n), s, n);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0) {
		fputs("conform: out of memory\n", stderr);
		exit(2);
	}
	va_end(ap);
	return s;
}

static void strv_insert(struct strv *sv, size_t at, char *s)
{
	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? 2 * sv->cap : 8;
		sv->v = xrealloc(sv->v, sv->cap * sizeof(*sv->v));
	}
	memmove(sv->v + at + 1, sv->v + at, (sv->n - at) * sizeof(*sv->v));
	sv->v[at] = s;
	sv->n++;
}

static void strv_push(struct strv *sv, char *s)
{
	strv_insert(sv, sv->n, s);
}

static void strv_free(struct strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- observations --------------------------------------------------- */

/*
 * One side's run, reduced to what is compared.  Items are kept per pid
 * with pids unresolved; names are given once the run is over (a process
 * may name itself after it recorded something, and values such as a
 * fork's result name processes that had no name yet).
 */
enum { IT_CALL, IT_HANDLER, IT_REAP };

struct item {
	int kind;
	char *call;          /* IT_CALL */
	long long value;     /* result; IT_REAP: the reaped pid */
	char *err;           /* IT_CALL: errno name when the call failed */
	char *status;        /* the status in words (wait, reap), or NULL */
	long long word;      /* the raw status word */
	char *sig;           /* IT_HANDLER */
};

struct plog {
	long pid;
	struct item *v;
	size_t n, cap;
	long ins;            /* where a handler goes (before the last sysret), or -1 */
	uint64_t ins_mark;   /* the thread's cycles when that call returned */
	long ret_ins;        /* ins to go back to when the running handler returns */
	bool ins_observed;   /* the item at ins is that call's observation */
	char *wait_status;   /* a wait report waiting for its sysret */
	long long wait_word;
};

struct side {
	const char *label;   /* "procsim" or "host" */
	struct plog *logs;
	size_t nlogs;
	long *name_pid;      /* names: pid -> name */
	char **name;
	size_t nnames;
	long init_pid;
	bool timed_out;
	char *error;         /* the run could not be made */
};

static struct plog *plog_of(struct side *s, long pid)
{
	for (size_t i = 0; i < s->nlogs; i++)
		if (s->logs[i].pid == pid)
			return &s->logs[i];
	s->logs = xrealloc(s->logs, (s->nlogs + 1) * sizeof(*s->logs));
	struct plog *l = &s->logs[s->nlogs++];
	memset(l, 0, sizeof(*l));
	l->pid = pid;
	l->ins = -1;
	l->ret_ins = -1;
	return l;
}

static void plog_insert(struct plog *l, size_t at, struct item it)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	memmove(l->v + at + 1, l->v + at, (l->n - at) * sizeof(*l->v));
	l->v[at] = it;
	l->n++;
}

static void set_name(struct side *s, long pid, const char *name)
{
	for (size_t i = 0; i < s->nnames; i++)
		if (s->name_pid[i] == pid) {
			free(s->name[i]);
			s->name[i] = xstrdup(name);
			return;
		}
	s->name_pid = xrealloc(s->name_pid, (s->nnames + 1) * sizeof(*s->name_pid));
	s->name = xrealloc(s->name, (s->nnames + 1) * sizeof(*s->name));
	s->name_pid[s->nnames] = pid;
	s->name[s->nnames++] = xstrdup(name);
}

static const char *name_of(const struct side *s, long pid)
{
	for (size_t i = 0; i < s->nnames; i++)
		if (s->name_pid[i] == pid)
			return s->name[i];
	return NULL;
}

static void side_free(struct side *s)
{
	for (size_t i = 0; i < s->nlogs; i++) {
		for (size_t j = 0; j < s->logs[i].n; j++) {
			struct item *it = &s->logs[i].v[j];
			free(it->call);
			free(it->err);
			free(it->status);
			free(it->sig);
		}
		free(s->logs[i].v);
		free(s->logs[i].wait_status);
	}
	free(s->logs);
	for (size_t i = 0; i < s->nnames; i++)
		free(s->name[i]);
	free(s->name);
	free(s->name_pid);
	free(s->error);
	memset(s, 0, sizeof(*s));
}

/* The calls compared unless a case says otherwise. */
static const char *const default_observed[] = {
	"fork", "setsid", "setpgid", "getpgrp", "getpgid", "getsid", "getppid", "kill",
	"wait4", "wait6", "tcsetpgrp", "tcgetpgrp", "tiocsctty", "read", "write", "pause",
	NULL,
};

/* Calls whose positive result is a pid (shown as the process's name). */
static const char *const pid_valued[] = {
	"fork", "setsid", "getpgrp", "getpgid", "getsid", "getppid", "tcgetpgrp",
	"wait4", "wait6", "getpid", NULL,
};

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

struct observed {
	struct strv calls;
};

static bool observes(const struct observed *o, const char *call)
{
	for (size_t i = 0; i < o->calls.n; i++)
		if (strcmp(o->calls.v[i], call) == 0)
			return true;
	return false;
}

/* A call returned (sysret).  A wait report seen just before is its status. */
static void on_sysret(struct plog *l, const struct observed *o, const char *call,
                      long long value, const char *err, uint64_t mark)
{
	struct item it = { .kind = IT_CALL };

	if (!observes(o, call)) {
		free(l->wait_status);
		l->wait_status = NULL;
		l->ins = (long)l->n;
		l->ins_mark = mark;
		l->ins_observed = false;
		return;
	}
	it.call = xstrdup(call);
	it.value = value;
	it.err = err ? xstrdup(err) : NULL;
	if (l->wait_status && value > 0) {
		it.status = l->wait_status;
		it.word = l->wait_word;
		l->wait_status = NULL;
	}
	free(l->wait_status);
	l->wait_status = NULL;
	l->ins = (long)l->n;
	l->ins_mark = mark;
	l->ins_observed = true;
	plog_insert(l, l->n, it);
}

/*
 * The process died of a signal (or was killed while stopped) on the way
 * out of a call: the program never saw the call's result, so it is not an
 * observation (a host program cannot record it either).
 */
static void on_death(struct plog *l, uint64_t mark)
{
	if (l->ins < 0 || !l->ins_observed || l->ins_mark != mark || (size_t)l->ins >= l->n)
		return;
	struct item *it = &l->v[l->ins];
	free(it->call);
	free(it->err);
	free(it->status);
	memmove(it, it + 1, (l->n - (size_t)l->ins - 1) * sizeof(*it));
	l->n--;
	l->ins = -1;
}

/*
 * A handler ran.  A program sees the handler of a signal taken on the way
 * out of a system call before it sees the call's result, so such a handler
 * goes before that call's observation (the kernel reports the sysret
 * first).  "On the way out" means the thread ran no instruction since the
 * call returned (mark: its cycle count is the same), however long it was
 * stopped in between.  Otherwise the handler goes last.
 */
static void on_handler(struct plog *l, const char *sig, uint64_t mark)
{
	struct item it = { .kind = IT_HANDLER, .sig = xstrdup(sig) };

	if (l->ins >= 0 && l->ins_mark == mark) {
		plog_insert(l, (size_t)l->ins++, it);
		l->ret_ins = l->ins;
	} else {
		plog_insert(l, l->n, it);
		l->ins = l->ret_ins = -1;
	}
}

/*
 * A system call was made.  sigreturn takes the thread back to where the
 * handler interrupted it: a handler taken right after that (a second
 * signal, blocked while the first handler ran) still comes before the
 * call whose return both interrupted.  Any other call ends the window.
 */
static void on_syscall(struct plog *l, const char *call, uint64_t mark)
{
	if (strcmp(call, "sigreturn") == 0) {
		l->ins = l->ret_ins;
		l->ins_mark = mark;
		l->ret_ins = -1;
	} else {
		l->ins = -1;
	}
}

static void on_reap(struct side *s, long reaper, long child, const char *status, long long word)
{
	struct item it = { .kind = IT_REAP, .value = child, .status = xstrdup(status),
	                   .word = word };
	struct plog *l = plog_of(s, reaper);

	plog_insert(l, l->n, it);
}

/* ---- the procsim side ----------------------------------------------- */

/* A BSD status word as FreeBSD's <sys/wait.h> macros read it. */
static char *bsd_status(uint32_t w)
{
	int st = (int)(w & 0177);

	if (w == 0x13)
		return xstrdup("continued");
	if (st == 0177)
		return fmt("stopped by %s", ps_signal_name((int)(w >> 8)));
	if (st == 0)
		return fmt("exited %u", (w >> 8) & 0xff);
	return fmt("killed by %s%s", ps_signal_name(st), (w & 0200) ? " (core dumped)" : "");
}

struct simctx {
	struct side *side;
	const struct observed *obs;
	ps_sim_t *sim;
};

static void sim_started(ps_scenario_run_t *run, void *arg)
{
	((struct simctx *)arg)->sim = ps_scenario_sim(run);
}

/* The cycles a thread has run (its clock of user-visible progress). */
static uint64_t thread_mark(const struct simctx *c, int32_t tid)
{
	struct ps_thread_info ti;

	if (!c->sim || tid <= 0 || ps_thread_info(c->sim, tid, &ti) < 0)
		return UINT64_MAX;
	return ti.cycles;
}

static void sim_event(const struct ps_event *ev, void *arg)
{
	struct simctx *c = arg;
	struct side *s = c->side;
	const char *type = ps_event_name(ev->type);
	struct plog *l;

	if (!type || ev->pid <= 0)
		return;
	if (strcmp(type, "reap") == 0) {
		if (ev->pid2 == 1) {
			char *st = bsd_status((uint32_t)ev->value);
			on_reap(s, 1, ev->pid, st, (uint32_t)ev->value);
			free(st);
		}
		return;
	}
	if (ev->pid == 1)
		return;
	l = plog_of(s, ev->pid);
	if (strcmp(type, "wait") == 0) {
		free(l->wait_status);
		l->wait_status = bsd_status((uint32_t)ev->value);
		l->wait_word = (uint32_t)ev->value;
	} else if (strcmp(type, "sysret") == 0) {
		const char *call = ev->detail ? ev->detail : "?";
		uint64_t mark = thread_mark(c, ev->tid);
		if (ev->value < 0)
			on_sysret(l, c->obs, call, -1, ps_err_name(ev->value), mark);
		else
			on_sysret(l, c->obs, call, ev->value, NULL, mark);
	} else if (strcmp(type, "deliver") == 0 && ev->detail &&
	           strcmp(ev->detail, "handler") == 0) {
		on_handler(l, ps_signal_name(ev->sig), thread_mark(c, ev->tid));
	} else if (strcmp(type, "deliver") == 0 && ev->detail &&
	           strncmp(ev->detail, "terminate", 9) == 0) {
		on_death(l, thread_mark(c, ev->tid));
	} else if (strcmp(type, "syscall") == 0) {
		on_syscall(l, ev->detail ? ev->detail : "?", thread_mark(c, ev->tid));
	}
}

static int run_sim(const char *path, const struct observed *obs, struct side *s)
{
	char err[512];
	ps_scenario_t *sc = NULL;
	ps_scenario_run_t *run = NULL;
	struct ps_scenario_options opt;
	struct simctx ctx = { s, obs, NULL };
	int done = 0, r;

	s->label = "procsim";
	s->init_pid = 1;
	if ((r = ps_scenario_load_file(path, &sc, err, sizeof(err))) < 0) {
		s->error = fmt("%s", err);
		return 2;
	}
	ps_scenario_options_init(&opt);
	opt.set = PS_SCOPT_CHECK;
	opt.check = 1;
	opt.on_event = sim_event;
	opt.on_run = sim_started;
	opt.arg = &ctx;
	if ((r = ps_scenario_start(sc, &opt, &run, err, sizeof(err))) < 0) {
		s->error = fmt("%s", err);
		ps_scenario_free(sc);
		return 2;
	}
	while (!done)
		if ((r = ps_scenario_advance(run, 1u << 20, &done)) < 0)
			break;
	if (r < 0) {
		s->error = fmt("the simulation stopped: %s", ps_strerror(r));
		r = 1;
	} else if ((r = ps_scenario_finish(run)) != 0) {
		fputs("conform: the scenario's own expectations or invariants failed:\n", stderr);
		ps_scenario_report(run, stderr, "procsim");
		s->error = xstrdup("the scenario's own expectations or invariants failed");
	}
	/* Names: every pid the run saw. */
	for (size_t i = 0; i < s->nlogs; i++) {
		const char *n = ps_scenario_pid_name(run, (int32_t)s->logs[i].pid);
		if (n)
			set_name(s, s->logs[i].pid, n);
	}
	for (int32_t pid = 2; pid < 4096; pid++) {
		const char *n = ps_scenario_pid_name(run, pid);
		if (n && !name_of(s, pid))
			set_name(s, pid, n);
	}
	set_name(s, 1, "init");
	ps_scenario_run_free(run);
	ps_scenario_free(sc);
	return r;
}

/* ---- the host side --------------------------------------------------- */

static char *read_all(int fd, size_t *len)
{
	size_t n = 0, cap = 1 << 16;
	char *buf = xrealloc(NULL, cap);
	ssize_t k;

	for (;;) {
		if (n + 1 >= cap)
			buf = xrealloc(buf, cap *= 2);
		k = read(fd, buf + n, cap - n - 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

static void host_record(struct side *s, const struct observed *obs, json_t *rec)
{
	const char *type = json_string_value(json_object_get(rec, "type"));
	long pid = (long)json_integer_value(json_object_get(rec, "pid"));
	long pid2 = (long)json_integer_value(json_object_get(rec, "pid2"));
	long long value = json_integer_value(json_object_get(rec, "value"));
	const char *detail = json_string_value(json_object_get(rec, "detail"));
	const char *err = json_string_value(json_object_get(rec, "errno"));
	const char *sig = json_string_value(json_object_get(rec, "sig"));
	struct plog *l;

	if (!type)
		return;
	if (strcmp(type, "tag") == 0 && detail) {
		set_name(s, pid, detail);
		if (strcmp(detail, "init") == 0)
			s->init_pid = pid;
		return;
	}
	if (strcmp(type, "timeout") == 0) {
		s->timed_out = true;
		return;
	}
	if (strcmp(type, "reap") == 0) {
		on_reap(s, pid2, pid, detail ? detail : "?", value);
		return;
	}
	l = plog_of(s, pid);
	if (strcmp(type, "wait") == 0) {
		free(l->wait_status);
		l->wait_status = xstrdup(detail ? detail : "?");
		l->wait_word = value;
	} else if (strcmp(type, "sysret") == 0 && detail) {
		on_sysret(l, obs, detail, value, err, 0);
		l->ins = -1;    /* the host records in the order the program saw */
	} else if (strcmp(type, "deliver") == 0 && sig) {
		on_handler(l, sig, 0);
	}
}

static int run_host(const char *bin, const char *top, bool tty, bool isolate,
                    const struct observed *obs, struct side *s)
{
	int pfd[2], st;
	pid_t pid;
	size_t len;
	char *out, *line, *save = NULL;

	s->label = "host";
	if (pipe(pfd) < 0) {
		s->error = fmt("pipe: %s", strerror(errno));
		return 2;
	}
	fflush(NULL);
	if ((pid = fork()) < 0) {
		s->error = fmt("fork: %s", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		const char *argv[8];
		int k = 0;
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		argv[k++] = bin;
		argv[k++] = "--top";
		argv[k++] = top;
		if (tty)
			argv[k++] = "--tty";
		if (isolate)
			argv[k++] = "--isolate";
		argv[k] = NULL;
		execv(bin, (char *const *)argv);
		fprintf(stderr, "conform: cannot run %s: %s\n", bin, strerror(errno));
		_exit(2);
	}
	close(pfd[1]);
	out = read_all(pfd[0], &len);
	close(pfd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_error_t je;
		json_t *rec = json_loads(line, 0, &je);
		if (!rec) {
			s->error = fmt("bad record from the host program: %s", line);
			break;
		}
		host_record(s, obs, rec);
		json_decref(rec);
	}
	free(out);
	if (!s->error && (!WIFEXITED(st) || (WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != 3)))
		s->error = fmt("the host harness failed (status %d)", st);
	if (s->timed_out && !s->error)
		s->error = xstrdup("the host run timed out: a process never ended (see the "
		                   "observations below for how far each got)");
	return s->error ? (s->timed_out ? 3 : 2) : 0;
}

/* ---- rendering ------------------------------------------------------- */

struct proclist {
	char *name;
	struct strv obs;
};

struct rendered {
	struct proclist *p;
	size_t n;
	char *error;
};

static struct strv *rendered_get(struct rendered *r, const char *name, bool create)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->p[i].name, name) == 0)
			return &r->p[i].obs;
	if (!create)
		return NULL;
	r->p = xrealloc(r->p, (r->n + 1) * sizeof(*r->p));
	memset(&r->p[r->n], 0, sizeof(r->p[r->n]));
	r->p[r->n].name = xstrdup(name);
	return &r->p[r->n++].obs;
}

static void rendered_free(struct rendered *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->p[i].name);
		strv_free(&r->p[i].obs);
	}
	free(r->p);
	free(r->error);
	memset(r, 0, sizeof(*r));
}

static char *pid_text(const struct side *s, long pid)
{
	const char *n = name_of(s, pid);

	if (pid == s->init_pid)
		n = "init";
	return n ? fmt("@%s", n) : fmt("@#%ld", pid);
}

static void render(const struct side *s, bool raw, struct rendered *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < s->nlogs; i++) {
		const struct plog *l = &s->logs[i];
		const char *pname = l->pid == s->init_pid ? "init" : name_of(s, l->pid);
		struct strv *dst;

		if (!l->n)
			continue;
		if (!pname) {
			out->error = fmt("%s: process %ld recorded observations but never named "
			                 "itself", s->label, l->pid);
			pname = "(unnamed)";
		}
		if ((dst = rendered_get(out, pname, false)) && dst->n && !out->error)
			out->error = fmt("%s: two processes are named \"%s\"", s->label, pname);
		dst = rendered_get(out, pname, true);
		for (size_t j = 0; j < l->n; j++) {
			const struct item *it = &l->v[j];
			char *word = raw && it->status ? fmt(" [word 0x%llx]", it->word) : xstrdup("");
			char *text;
			if (it->kind == IT_HANDLER) {
				text = fmt("handler %s", it->sig);
			} else if (it->kind == IT_REAP) {
				char *who = pid_text(s, (long)it->value);
				text = fmt("reaped %s: %s%s", who, it->status, word);
				free(who);
			} else if (it->err) {
				text = fmt("%s = -1 %s", it->call, it->err);
			} else if (it->value > 0 && in_list(pid_valued, it->call)) {
				char *who = pid_text(s, (long)it->value);
				if (it->status)
					text = fmt("%s = %s: %s%s", it->call, who, it->status, word);
				else
					text = fmt("%s = %s", it->call, who);
				free(who);
			} else {
				text = fmt("%s = %lld", it->call, it->value);
			}
			free(word);
			strv_push(dst, text);
		}
	}
	/* init's reaps come in the order the processes died, which two
	 * kernels need not share when several die at once: sorted. */
	struct strv *init = rendered_get(out, "init", false);
	if (init)
		qsort(init->v, init->n, sizeof(*init->v), cmp_str);
}

/* ---- the case -------------------------------------------------------- */

struct divergence {
	const char *proc;
	json_t *freebsd, *linux_;
	const char *cite, *explain;
};

struct ccase {
	char *path, *id;
	json_t *root, *conf;
	const char *summary, *top;
	bool tty, isolate, raw;
	struct observed obs;
	json_t *expect;
	struct divergence *div;
	size_t ndiv;
};

static int case_error(const struct ccase *c, const char *f, ...) __attribute__((format(printf, 2, 3)));
static int case_error(const struct ccase *c, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	fprintf(stderr, "conform: %s: ", c->path);
	vfprintf(stderr, f, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 2;
}

static bool is_strlist(json_t *a)
{
	size_t i;
	json_t *v;

	if (!json_is_array(a))
		return false;
	json_array_foreach(a, i, v)
		if (!json_is_string(v))
			return false;
	return true;
}

static int case_load(const char *path, struct ccase *c, bool lenient)
{
	json_error_t je;
	json_t *procs, *ttys, *obs, *divs, *v;
	const char *base = strrchr(path, '/');
	size_t i;

	memset(c, 0, sizeof(*c));
	c->path = xstrdup(path);
	c->id = xstrdup(base ? base + 1 : path);
	if (strstr(c->id, ".json"))
		*strstr(c->id, ".json") = 0;
	if (!(c->root = json_load_file(path, 0, &je)))
		return case_error(c, "%d:%d: %s", je.line, je.column, je.text);
	c->conf = json_object_get(c->root, "conformance");
	if (!json_is_object(c->conf))
		return case_error(c, "no \"conformance\" object");
	c->summary = json_string_value(json_object_get(c->conf, "summary"));
	if (!c->summary)
		return case_error(c, "/conformance/summary: expected a string");
	procs = json_object_get(c->root, "processes");
	if (!json_is_array(procs) || json_array_size(procs) != 1 ||
	    !(c->top = json_string_value(json_object_get(json_array_get(procs, 0), "name"))))
		return case_error(c, "/processes: a case starts exactly one named process");
	ttys = json_object_get(c->root, "ttys");
	c->tty = json_is_array(ttys) && json_array_size(ttys) > 0;
	c->isolate = json_is_true(json_object_get(c->conf, "isolate"));
	c->raw = json_is_true(json_object_get(c->conf, "raw_status"));
	for (const char *const *d = default_observed; *d; d++)
		strv_push(&c->obs.calls, xstrdup(*d));
	obs = json_object_get(c->conf, "observe");
	if (obs) {
		if (!is_strlist(obs))
			return case_error(c, "/conformance/observe: expected a list of call names");
		json_array_foreach(obs, i, v) {
			const char *s = json_string_value(v);
			if (s[0] == '+') {
				strv_push(&c->obs.calls, xstrdup(s + 1));
			} else if (s[0] == '-') {
				for (size_t k = 0; k < c->obs.calls.n; k++)
					if (strcmp(c->obs.calls.v[k], s + 1) == 0)
						c->obs.calls.v[k][0] = 0;
			} else {
				return case_error(c, "/conformance/observe/%zu: \"+CALL\" or \"-CALL\"",
				                  i);
			}
		}
	}
	c->expect = json_object_get(c->conf, "expect");
	if (lenient && !json_is_object(c->expect)) {
		/* conform observe on a case still being written: none yet. */
		json_object_set_new(c->conf, "expect", json_object());
		c->expect = json_object_get(c->conf, "expect");
	}
	if (!json_is_object(c->expect))
		return case_error(c, "/conformance/expect: expected an object of lists");
	const char *k;
	size_t nobs = 0;
	json_object_foreach(c->expect, k, v) {
		if (!is_strlist(v))
			return case_error(c, "/conformance/expect/%s: expected a list of strings", k);
		if (strcmp(k, "init") != 0)
			nobs += json_array_size(v);
	}
	divs = json_object_get(c->conf, "divergences");
	if (divs && !json_is_array(divs))
		return case_error(c, "/conformance/divergences: expected a list");
	c->ndiv = divs ? json_array_size(divs) : 0;
	c->div = xrealloc(NULL, c->ndiv * sizeof(*c->div));
	json_array_foreach(divs, i, v) {
		struct divergence *d = &c->div[i];
		d->proc = json_string_value(json_object_get(v, "proc"));
		d->freebsd = json_object_get(v, "freebsd");
		d->linux_ = json_object_get(v, "linux");
		d->cite = json_string_value(json_object_get(v, "cite"));
		d->explain = json_string_value(json_object_get(v, "explain"));
		if (!d->proc || !is_strlist(d->freebsd) || !is_strlist(d->linux_) || !d->cite ||
		    !d->explain)
			return case_error(c, "/conformance/divergences/%zu: needs \"proc\", "
			                  "\"freebsd\" and \"linux\" lists, \"cite\" and \"explain\"", i);
		if (json_object_get(c->expect, d->proc))
			return case_error(c, "/conformance/divergences/%zu: \"%s\" is also in "
			                  "\"expect\"", i, d->proc);
		if (json_equal(d->freebsd, d->linux_))
			return case_error(c, "/conformance/divergences/%zu: the two lists are the same",
			                  i);
		nobs += json_array_size(d->freebsd) + json_array_size(d->linux_);
	}
	if (nobs == 0 && !lenient)
		return case_error(c, "the case expects no observation from any process but init");
	return 0;
}

static void case_free(struct ccase *c)
{
	strv_free(&c->obs.calls);
	free(c->div);
	json_decref(c->root);
	free(c->path);
	free(c->id);
}

/* The list a side must show for a process (NULL: none is expected). */
static json_t *expected_for(const struct ccase *c, const char *proc, bool freebsd)
{
	for (size_t i = 0; i < c->ndiv; i++)
		if (strcmp(c->div[i].proc, proc) == 0)
			return freebsd ? c->div[i].freebsd : c->div[i].linux_;
	return json_object_get(c->expect, proc);
}

/* Check one side; on a difference, describe the first one. */
static char *judge(const struct ccase *c, const struct rendered *r, bool freebsd)
{
	const char *who = freebsd ? "procsim (FreeBSD semantics)" : "host kernel (Linux)";

	if (r->error)
		return fmt("%s: %s", who, r->error);
	/* Every process the case names, in the case's order... */
	for (size_t pass = 0; pass < 2; pass++) {
		size_t n = pass == 0 ? json_object_size(c->expect) : c->ndiv;
		void *iter = json_object_iter(c->expect);
		for (size_t i = 0; i < n; i++) {
			const char *proc = pass == 0 ? json_object_iter_key(iter) : c->div[i].proc;
			json_t *want = expected_for(c, proc, freebsd);
			struct strv *got = rendered_get((struct rendered *)r, proc, false);
			size_t ng = got ? got->n : 0, nw = json_array_size(want);
			if (pass == 0)
				iter = json_object_iter_next(c->expect, iter);
			for (size_t j = 0; j < nw || j < ng; j++) {
				const char *w = j < nw ? json_string_value(json_array_get(want, j)) : NULL;
				const char *g = j < ng ? got->v[j] : NULL;
				if (w && g && strcmp(w, g) == 0)
					continue;
				if (!g)
					return fmt("%s: process %s, observation %zu: expected \"%s\", "
					           "but nothing more was observed", who, proc, j + 1, w);
				if (!w)
					return fmt("%s: process %s, observation %zu: \"%s\" was not "
					           "expected (the case expects %zu)", who, proc, j + 1, g, nw);
				return fmt("%s: process %s, observation %zu: expected \"%s\", got "
				           "\"%s\"", who, proc, j + 1, w, g);
			}
		}
	}
	/* ...and no process the case does not name observed anything. */
	for (size_t i = 0; i < r->n; i++)
		if (r->p[i].obs.n && !expected_for(c, r->p[i].name, freebsd))
			return fmt("%s: process %s observed \"%s\", but the case expects nothing "
			           "of it", who, r->p[i].name, r->p[i].obs.v[0]);
	return NULL;
}

/* The first place where the two sides differ (for the report). */
static char *first_difference(const struct rendered *a, const struct rendered *b)
{
	for (size_t i = 0; i < a->n; i++) {
		struct strv *x = &a->p[i].obs, *y = rendered_get((struct rendered *)b,
		                                                  a->p[i].name, false);
		size_t ny = y ? y->n : 0;
		for (size_t j = 0; j < x->n || j < ny; j++) {
			const char *p = j < x->n ? x->v[j] : "(nothing)";
			const char *q = j < ny ? y->v[j] : "(nothing)";
			if (strcmp(p, q) != 0)
				return fmt("process %s, observation %zu: procsim \"%s\", host \"%s\"",
				           a->p[i].name, j + 1, p, q);
		}
	}
	for (size_t i = 0; i < b->n; i++)
		if (b->p[i].obs.n && !rendered_get((struct rendered *)a, b->p[i].name, false))
			return fmt("process %s: procsim nothing, host \"%s\"", b->p[i].name,
			           b->p[i].obs.v[0]);
	return NULL;
}

static void print_rendered(FILE *fp, const char *title, const struct rendered *r)
{
	fprintf(fp, "  %s:\n", title);
	for (size_t i = 0; i < r->n; i++) {
		fprintf(fp, "    \"%s\": [", r->p[i].name);
		for (size_t j = 0; j < r->p[i].obs.n; j++)
			fprintf(fp, "%s\n      \"%s\"", j ? "," : "", r->p[i].obs.v[j]);
		fprintf(fp, "%s]%s\n", r->p[i].obs.n ? "\n    " : "", i + 1 < r->n ? "," : "");
	}
}

struct outcome {
	int rc;             /* 0 as the case says, 1 not, 2 could not run, 3 timeout */
	char *sim_verdict;  /* NULL: as expected */
	char *host_verdict;
	char *diff;         /* first difference between the sides, or NULL */
	struct rendered rs, rh;
};

static void outcome_free(struct outcome *o)
{
	free(o->sim_verdict);
	free(o->host_verdict);
	free(o->diff);
	rendered_free(&o->rs);
	rendered_free(&o->rh);
}

static int run_case(const struct ccase *c, const char *host_bin, struct outcome *o)
{
	struct side sim = { 0 }, host = { 0 };
	int rs, rh;

	memset(o, 0, sizeof(*o));
	rs = run_sim(c->path, &c->obs, &sim);
	rh = run_host(host_bin, c->top, c->tty, c->isolate, &c->obs, &host);
	render(&sim, c->raw, &o->rs);
	render(&host, c->raw, &o->rh);
	if (sim.error && !o->rs.error)
		o->rs.error = xstrdup(sim.error);
	if (host.error && !o->rh.error)
		o->rh.error = xstrdup(host.error);
	o->sim_verdict = judge(c, &o->rs, true);
	o->host_verdict = judge(c, &o->rh, false);
	o->diff = first_difference(&o->rs, &o->rh);
	o->rc = (o->sim_verdict || o->host_verdict) ? 1 : 0;
	if (rs == 2 || rh == 2)
		o->rc = 2;
	else if (rh == 3)
		o->rc = 3;
	side_free(&sim);
	side_free(&host);
	return o->rc;
}

static size_t count_obs(const struct rendered *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->p[i].obs.n;
	return n;
}

static int cmd_run(const char *path, const char *bin, bool verbose, bool observe_only)
{
	struct ccase c;
	struct outcome o;
	int rc;

	if ((rc = case_load(path, &c, observe_only)) != 0) {
		case_free(&c);
		return rc;
	}
	rc = run_case(&c, bin, &o);
	if (observe_only) {
		print_rendered(stdout, "procsim (FreeBSD semantics)", &o.rs);
		print_rendered(stdout, "host kernel (Linux)", &o.rh);
		if (o.rs.error)
			printf("  procsim: %s\n", o.rs.error);
		if (o.rh.error)
			printf("  host: %s\n", o.rh.error);
		printf("  first difference: %s\n", o.diff ? o.diff : "none");
		outcome_free(&o);
		case_free(&c);
		return 0;
	}
	if (rc == 0 && c.ndiv == 0)
		printf("%s: agree: %zu observations on each side\n", c.id, count_obs(&o.rs));
	else if (rc == 0)
		printf("%s: diverge exactly as documented (%zu %s): %s\n", c.id, c.ndiv,
		       c.ndiv == 1 ? "divergence" : "divergences", o.diff ? o.diff : "?");
	else {
		printf("%s: FAIL\n", c.id);
		if (o.sim_verdict)
			printf("  %s\n", o.sim_verdict);
		if (o.host_verdict)
			printf("  %s\n", o.host_verdict);
		printf("  first difference between the sides: %s\n", o.diff ? o.diff : "none");
	}
	if (rc != 0 || verbose) {
		print_rendered(stdout, "procsim (FreeBSD semantics) observed", &o.rs);
		print_rendered(stdout, "host kernel (Linux) observed", &o.rh);
	}
	outcome_free(&o);
	case_free(&c);
	return rc;
}

/* ---- the table of docs/conformance.md -------------------------------- */

#define TABLE_BEGIN "<!-- conformance-table:begin -->"
#define TABLE_END "<!-- conformance-table:end -->"

static void md_cell(FILE *fp, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", fp);
		else if (*s == '\n')
			fputc(' ', fp);
		else
			fputc(*s, fp);
	}
}

static int cmd_table(const char *dir, const char *doc, int n, char **cases)
{
	char *text, *begin, *end, *tmp;
	size_t len;
	int fd, failures = 0;
	FILE *fp, *out;
	struct utsname u;

	qsort(cases, (size_t)n, sizeof(*cases), cmp_str);
	if ((fd = open(doc, O_RDONLY)) < 0) {
		fprintf(stderr, "conform: %s: %s\n", doc, strerror(errno));
		return 2;
	}
	text = read_all(fd, &len);
	close(fd);
	if (!(begin = strstr(text, TABLE_BEGIN)) || !(end = strstr(begin, TABLE_END))) {
		fprintf(stderr, "conform: %s has no %s ... %s markers\n", doc, TABLE_BEGIN,
		        TABLE_END);
		free(text);
		return 2;
	}
	tmp = fmt("%s.tmp.%d", doc, (int)getpid());
	if (!(out = fopen(tmp, "w"))) {
		fprintf(stderr, "conform: %s: %s\n", tmp, strerror(errno));
		free(text);
		free(tmp);
		return 2;
	}
	uname(&u);
	fwrite(text, 1, (size_t)(begin - text), out);
	fprintf(out, "%s\n", TABLE_BEGIN);
	fprintf(out, "Generated by `cmake --build BUILD --target conformance-table` on %s %s "
	        "(%s): %d cases.\n\n", u.sysname, u.release, u.machine, n);
	fputs("| Case | What it checks | procsim (FreeBSD) | host (Linux) | Result |\n", out);
	fputs("|---|---|---|---|---|\n", out);
	fp = tmpfile();
	for (int i = 0; i < n; i++) {
		struct ccase c;
		struct outcome o;
		char *bin;
		const char *result;
		if (case_load(cases[i], &c, false) != 0) {
			case_free(&c);
			failures++;
			continue;
		}
		bin = fmt("%s/conf-%s", dir, c.id);
		run_case(&c, bin, &o);
		result = o.rc ? "**FAIL**" : c.ndiv ? "diverge (documented)" : "agree";
		failures += o.rc != 0;
		fprintf(out, "| [%s](../tests/conformance/cases/%s.json) | ", c.id, c.id);
		md_cell(out, c.summary);
		for (int side = 0; side < 2; side++) {
			const char *verdict = side ? o.host_verdict : o.sim_verdict;
			if (verdict) {
				fputs(" | ", out);
				md_cell(out, verdict);
			} else {
				fprintf(out, " | %zu observations, as expected",
				        count_obs(side ? &o.rh : &o.rs));
			}
		}
		fprintf(out, " | %s |\n", result);
		for (size_t k = 0; k < c.ndiv && fp; k++) {
			struct divergence *d = &c.div[k];
			size_t j;
			json_t *v;
			fprintf(fp, "#### %s: process `%s`\n\n", c.id, d->proc);
			md_cell(fp, d->explain);
			fprintf(fp, "\n\n* FreeBSD (%s), procsim:", d->cite);
			json_array_foreach(d->freebsd, j, v)
				fprintf(fp, "%s `%s`", j ? "," : "", json_string_value(v));
			fputs("\n* Linux, this host:", fp);
			json_array_foreach(d->linux_, j, v)
				fprintf(fp, "%s `%s`", j ? "," : "", json_string_value(v));
			fputs("\n\n", fp);
		}
		free(bin);
		outcome_free(&o);
		case_free(&c);
	}
	if (fp) {
		char buf[4096];
		size_t k;
		fputs("\n### The documented divergences\n\n", out);
		rewind(fp);
		while ((k = fread(buf, 1, sizeof(buf), fp)) > 0)
			fwrite(buf, 1, k, out);
		fclose(fp);
	}
	fputs(end, out);
	if (fclose(out) != 0 || rename(tmp, doc) != 0) {
		fprintf(stderr, "conform: writing %s: %s\n", doc, strerror(errno));
		unlink(tmp);
		free(tmp);
		free(text);
		return 2;
	}
	free(tmp);
	free(text);
	fprintf(stderr, "conform: wrote the table of %d cases to %s%s\n", n, doc,
	        failures ? " (some FAILED: see the table)" : "");
	return failures ? 1 : 0;
}

static int usage(void)
{
	fputs("usage: conform run CASE.json --host BIN [-v]\n"
	      "       conform observe CASE.json --host BIN\n"
	      "       conform table --host-dir DIR --doc FILE CASE.json...\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && (strcmp(argv[1], "run") == 0 || strcmp(argv[1], "observe") == 0) &&
	    strcmp(argv[3], "--host") == 0) {
		bool verbose = argc == 6 && strcmp(argv[5], "-v") == 0;
		if (argc > 6 || (argc == 6 && !verbose))
			return usage();
		return cmd_run(argv[2], argv[4], verbose, strcmp(argv[1], "observe") == 0);
	}
	if (argc >= 7 && strcmp(argv[1], "table") == 0 && strcmp(argv[2], "--host-dir") == 0 &&
	    strcmp(argv[4], "--doc") == 0)
		return cmd_table(argv[3], argv[5], argc - 6, argv + 6);
	return usage();
}
