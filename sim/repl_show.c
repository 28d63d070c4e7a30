/*
 * procsim repl: views of the simulator now (ps, tree, pgrps, sessions,
 * jobc, explain, mem, regs, args, vmmap, ptrace).
 *
 * Every view is built from the public API only, as a tool outside the
 * library would build it, into a memory buffer first: a view that fails
 * half way (a list that cannot be allocated, a process that is not there)
 * then writes nothing to v->out, as repl.h promises, and the REPL prints
 * the one line of v->err instead.
 *
 * Output is deterministic: pids, counts, names and virtual quantities
 * only, never host addresses or times.  A pid is shown as `3(job)` when
 * the scenario names it, as the text trace shows it.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repl.h"

/* --- Output buffer --- */

struct sbuf {
	char *buf;
	size_t len, cap;
	bool nomem;
};

static void sb_printf(struct sbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (sb->nomem)
		return;
	va_start(ap, fmt);
	w = vsnprintf(sb->buf != NULL ? sb->buf + sb->len : NULL,
	              sb->buf != NULL ? sb->cap - sb->len : 0, fmt, ap);
	va_end(ap);
	if (w < 0) {
		sb->nomem = true;
		return;
	}
	if (sb->buf == NULL || (size_t)w >= sb->cap - sb->len) {
		size_t ncap = sb->cap != 0 ? sb->cap : 1024;
		char *p;

		while (ncap - sb->len <= (size_t)w)
			ncap *= 2;
		if ((p = realloc(sb->buf, ncap)) == NULL) {
			sb->nomem = true;
			return;
		}
		sb->buf = p;
		sb->cap = ncap;
		va_start(ap, fmt);
		w = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
		va_end(ap);
		if (w < 0) {
			sb->nomem = true;
			return;
		}
	}
	sb->len += (size_t)w;
}

/* n spaces (indentation, column padding). */
static void
sb_pad(struct sbuf *sb, size_t n)
{
	for (; n > 0; n--)
		sb_printf(sb, " ");
}

/* --- Errors and the end of a view --- */

static int view_fail(struct repl_view *v, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Fill v->err with one line and return err. */
static int
view_fail(struct repl_view *v, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->err, sizeof(v->err), fmt, ap);
	va_end(ap);
	return err;
}

/* An API call failed in the middle of a view: say which and why. */
static int
view_api_fail(struct repl_view *v, int err, const char *what)
{
	return view_fail(v, err, "%s: %s (%s)", what, ps_strerror(err), ps_err_name(err));
}

/*
 * Hand a finished view to v->out, or fail with nothing written.  The
 * buffer is freed either way.
 */
static int
view_finish(struct repl_view *v, struct sbuf *sb, int err)
{
	if (err == 0 && sb->nomem)
		err = view_fail(v, PS_ENOMEM, "out of memory");
	if (err == 0 && sb->len > 0 && fwrite(sb->buf, 1, sb->len, v->out) != sb->len)
		err = view_fail(v, PS_EIO, "cannot write the view");
	if (err == 0)
		v->err[0] = '\0';
	free(sb->buf);
	sb->buf = NULL;
	return err;
}

/* --- Names --- */

#define NAME_CHARS 16 /* Of a namer's name shown; longer ones are cut. */
#define PIDNAME_LEN (12 + NAME_CHARS + 3)

/*
 * "3(job)", or "3" when the scenario has no name for pid.  The name is
 * made printable on one line (a control character would break the
 * columns) and cut to NAME_CHARS.
 */
static const char *
pid_name(const struct repl_view *v, int32_t pid, char *buf, size_t len)
{
	const char *name = v->namer != NULL ? v->namer(v->arg, pid) : NULL;
	size_t n;

	snprintf(buf, len, "%d", (int)pid);
	if (name == NULL || name[0] == '\0')
		return buf;
	n = strlen(buf);
	if (n + 3 > len)
		return buf;
	buf[n++] = '(';
	for (size_t i = 0; name[i] != '\0' && i < NAME_CHARS && n + 2 < len; i++) {
		unsigned char c = (unsigned char)name[i];

		buf[n++] = c < 0x20 || c == 0x7f ? '.' : (char)c;
	}
	buf[n++] = ')';
	buf[n] = '\0';
	return buf;
}

/* A kernel string (comm, wmesg) made printable. */
static const char *
printable(const char *s, char *buf, size_t len)
{
	size_t n = 0;

	for (; *s != '\0' && n + 1 < len; s++) {
		unsigned char c = (unsigned char)*s;

		buf[n++] = c < 0x20 || c >= 0x7f ? '.' : (char)c;
	}
	buf[n] = '\0';
	return buf;
}

/* A wait status word in words: "exited 0", "killed by SIGHUP". */
static const char *
status_words(int32_t w, char *buf, size_t len)
{
	const char *sig;

	if (PS_WIFEXITED(w)) {
		/* Not masked to 8 bits, as the 2008 word holds exit(256). */
		snprintf(buf, len, "exited %u", (unsigned)w >> 8);
	} else if (PS_WIFSTOPPED(w) || PS_WIFCONTINUED(w)) {
		snprintf(buf, len, "status 0x%x", (unsigned)w);
	} else {
		sig = ps_signal_name(PS_WTERMSIG(w));
		if (sig != NULL)
			snprintf(buf, len, "killed by %s%s", sig,
			         PS_WCOREDUMP(w) ? ", core dumped" : "");
		else
			snprintf(buf, len, "killed by signal %d", PS_WTERMSIG(w));
	}
	return buf;
}

/* A terminal's name, or "-". */
static const char *
tty_name(struct repl_view *v, int32_t dev, char *buf, size_t len)
{
	struct ps_tty_info ti;

	if (dev < 0 || ps_tty_info(v->sim, dev, &ti) != 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	return printable(ti.name, buf, len);
}

/* --- Lists --- */

enum list_kind { LIST_PROCS, LIST_PGRPS, LIST_CHILDREN, LIST_MEMBERS };

static int
list_call(ps_sim_t *sim, enum list_kind kind, int32_t id, int32_t *buf, size_t cap,
          size_t *count)
{
	switch (kind) {
	case LIST_PROCS:
		return ps_proc_list(sim, buf, cap, count);
	case LIST_PGRPS:
		return ps_pgrp_list(sim, buf, cap, count);
	case LIST_CHILDREN:
		return ps_proc_children(sim, id, buf, cap, count);
	case LIST_MEMBERS:
		return ps_pgrp_members(sim, id, buf, cap, count);
	}
	return PS_EINVAL;
}

/*
 * One of the kernel's lists, whole, in a malloc'd array (NULL when empty).
 * The list cannot change between the two calls: nothing runs in between.
 */
static int
list_get(ps_sim_t *sim, enum list_kind kind, int32_t id, int32_t **out, size_t *n)
{
	int32_t *buf = NULL;
	size_t cap = 0, count = 0;
	int err;

	*out = NULL;
	*n = 0;
	for (;;) {
		if ((err = list_call(sim, kind, id, buf, cap, &count)) < 0) {
			free(buf);
			return err;
		}
		if (count <= cap)
			break;
		free(buf);
		cap = count;
		if ((buf = malloc(cap * sizeof(*buf))) == NULL)
			return PS_ENOMEM;
	}
	*out = buf;
	*n = count;
	return 0;
}

static int
cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

/* Every process's kinfo record (as the swapper, who sees everything). */
static int
kinfo_all(ps_sim_t *sim, struct ps_kinfo_proc **out, size_t *n)
{
	struct ps_kinfo_proc *kp;
	size_t count = 0;
	int err;

	*out = NULL;
	*n = 0;
	if ((err = ps_kinfo_proc(sim, 0, PS_KERN_PROC_ALL, NULL, 0, NULL, &count)) < 0)
		return err;
	if (count == 0)
		return 0;
	if ((kp = calloc(count, sizeof(*kp))) == NULL)
		return PS_ENOMEM;
	if ((err = ps_kinfo_proc(sim, 0, PS_KERN_PROC_ALL, NULL, 0, kp, &count)) < 0) {
		free(kp);
		return err;
	}
	*out = kp;
	*n = count;
	return 0;
}

static int
cmp_kinfo_pid(const void *a, const void *b)
{
	const struct ps_kinfo_proc *x = a, *y = b;

	return (x->ki_pid > y->ki_pid) - (x->ki_pid < y->ki_pid);
}

/* The thread ids of pid, first thread first, in a malloc'd array. */
static int
threads_get(ps_sim_t *sim, int32_t pid, int32_t **out, size_t *n)
{
	int32_t *tids = NULL;
	size_t cap = 0, count = 0;
	int err;

	*out = NULL;
	*n = 0;
	for (;;) {
		err = ps_proc_threads(sim, pid, tids, cap, &count);
		if (err != PS_ERANGE && (err < 0 || count <= cap))
			break;
		free(tids);
		cap = count;
		if ((tids = malloc(cap * sizeof(*tids))) == NULL)
			return PS_ENOMEM;
	}
	if (err < 0) {
		free(tids);
		return err;
	}
	*out = tids;
	*n = count < cap ? count : cap;
	return 0;
}

/* --- Tables --- */

#define TABLE_COLS 10
#define TABLE_CELL 48

/*
 * Rows of short cells, aligned column by column when printed, and an
 * optional free-form last column (a list of members) that is not padded.
 */
struct table_row {
	char cell[TABLE_COLS][TABLE_CELL];
	char *tail;
};

struct table {
	size_t ncols;
	const char *const *heads; /* ncols titles, then the tail's (or NULL). */
	const char *align;        /* 'l' or 'r' per column. */
	struct table_row *rows;
	size_t nrows, cap;
	bool nomem;
};

static struct table_row *
table_add(struct table *t)
{
	struct table_row *r;

	if (t->nrows == t->cap) {
		size_t ncap = t->cap != 0 ? t->cap * 2 : 16;
		void *p = realloc(t->rows, ncap * sizeof(*t->rows));

		if (p == NULL) {
			t->nomem = true;
			return NULL;
		}
		t->rows = p;
		t->cap = ncap;
	}
	r = &t->rows[t->nrows++];
	memset(r, 0, sizeof(*r));
	return r;
}

static void table_cell(struct table_row *r, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
table_cell(struct table_row *r, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->cell[col], sizeof(r->cell[col]), fmt, ap);
	va_end(ap);
}

/* The tail of a row from a buffer built for it (taken over, or NULL). */
static void
table_tail(struct table *t, struct table_row *r, struct sbuf *tail)
{
	if (tail->nomem) {
		t->nomem = true;
		free(tail->buf);
	} else {
		r->tail = tail->buf;
	}
	tail->buf = NULL;
	tail->len = tail->cap = 0;
	tail->nomem = false;
}

static void
table_line(struct sbuf *sb, const struct table *t, const size_t *width, const char *const *cells,
           const char *tail)
{
	size_t end = sb->len;

	for (size_t c = 0; c < t->ncols; c++) {
		size_t n = strlen(cells[c]);

		if (c > 0)
			sb_printf(sb, "  ");
		if (t->align[c] == 'r')
			sb_pad(sb, width[c] - n);
		sb_printf(sb, "%s", cells[c]);
		if (t->align[c] != 'r')
			sb_pad(sb, width[c] - n);
	}
	if (tail != NULL)
		sb_printf(sb, "  %s", tail);
	/* No trailing blanks from the padding of a last left-aligned cell. */
	if (!sb->nomem && sb->buf != NULL) {
		while (sb->len > end && sb->buf[sb->len - 1] == ' ')
			sb->len--;
		sb->buf[sb->len] = '\0';
	}
	sb_printf(sb, "\n");
}

static void
table_print(struct sbuf *sb, struct table *t)
{
	size_t width[TABLE_COLS];
	const char *cells[TABLE_COLS];

	for (size_t c = 0; c < t->ncols; c++) {
		width[c] = strlen(t->heads[c]);
		for (size_t i = 0; i < t->nrows; i++) {
			size_t n = strlen(t->rows[i].cell[c]);

			if (n > width[c])
				width[c] = n;
		}
	}
	table_line(sb, t, width, t->heads, t->heads[t->ncols]);
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t c = 0; c < t->ncols; c++)
			cells[c] = t->rows[i].cell[c];
		table_line(sb, t, width, cells, t->rows[i].tail);
	}
	if (t->nomem)
		sb->nomem = true;
}

static void
table_free(struct table *t)
{
	for (size_t i = 0; i < t->nrows; i++)
		free(t->rows[i].tail);
	free(t->rows);
	t->rows = NULL;
	t->nrows = t->cap = 0;
}

/* pids with their names, separated by spaces, in the order given. */
static void
sb_pids(struct sbuf *sb, const struct repl_view *v, const int32_t *pids, size_t n)
{
	char nb[PIDNAME_LEN];

	for (size_t i = 0; i < n; i++)
		sb_printf(sb, "%s%s", i > 0 ? " " : "", pid_name(v, pids[i], nb, sizeof(nb)));
	if (n == 0)
		sb_printf(sb, "-");
}

/* --- ps --- */

int
view_ps(struct repl_view *v)
{
	static const char *const heads[] = {"PID", "PPID", "PGID", "SID", "JOBC", "STAT", "TT",
	                                    "WCHAN", "COMM", NULL};
	struct table t = {.ncols = 9, .heads = heads, .align = "llllrllll"};
	struct sbuf sb = {0};
	struct ps_kinfo_proc *kp;
	char nb[PIDNAME_LEN], tb[24];
	size_t n;
	int err;

	if ((err = kinfo_all(v->sim, &kp, &n)) < 0)
		return view_api_fail(v, err, "kern.proc.all");
	for (size_t i = 0; i < n; i++) {
		const struct ps_kinfo_proc *k = &kp[i];
		struct table_row *r;

		if ((r = table_add(&t)) == NULL)
			break;
		table_cell(r, 0, "%s", pid_name(v, k->ki_pid, nb, sizeof(nb)));
		table_cell(r, 1, "%s", pid_name(v, k->ki_ppid, nb, sizeof(nb)));
		table_cell(r, 2, "%s", pid_name(v, k->ki_pgid, nb, sizeof(nb)));
		table_cell(r, 3, "%s", pid_name(v, k->ki_sid, nb, sizeof(nb)));
		table_cell(r, 4, "%d", (int)k->ki_jobc);
		table_cell(r, 5, "%s", printable(k->ki_state, tb, sizeof(tb)));
		table_cell(r, 6, "%s", tty_name(v, k->ki_tdev, tb, sizeof(tb)));
		table_cell(r, 7, "%s", k->ki_wmesg[0] != '\0' ?
		           printable(k->ki_wmesg, tb, sizeof(tb)) : "-");
		table_cell(r, 8, "%s", printable(k->ki_comm, tb, sizeof(tb)));
	}
	table_print(&sb, &t);
	table_free(&t);
	free(kp);
	return view_finish(v, &sb, 0);
}

/* --- tree --- */

struct tree_ctx {
	struct repl_view *v;
	struct sbuf *sb;
	struct ps_kinfo_proc *kp; /* Sorted by pid. */
	size_t nkp;
	char *prefix;             /* The branches drawn left of the node. */
	size_t plen, pcap;
	int err;
	const char *what;         /* The call that failed. */
};

static const struct ps_kinfo_proc *
tree_kinfo(const struct tree_ctx *tc, int32_t pid)
{
	struct ps_kinfo_proc key;

	key.ki_pid = pid;
	return bsearch(&key, tc->kp, tc->nkp, sizeof(*tc->kp), cmp_kinfo_pid);
}

/* The CPU one of pid's threads runs on now, or -1. */
static int
proc_cpu(ps_sim_t *sim, int32_t pid)
{
	struct ps_thread_info ti;
	int32_t *tids;
	size_t nt;
	int cpu = -1;

	if (threads_get(sim, pid, &tids, &nt) != 0)
		return -1;
	for (size_t i = 0; i < nt && cpu < 0; i++)
		if (ps_thread_info(sim, tids[i], &ti) == 0 && ti.state == PS_TD_RUNNING)
			cpu = ti.cpu;
	free(tids);
	return cpu;
}

/* What pid is doing, in words, for the tree. */
static void
sb_state(struct sbuf *sb, struct repl_view *v, const struct ps_proc_info *pi,
         const struct ps_kinfo_proc *k)
{
	char buf[48], nb[PIDNAME_LEN];
	int stat = k != NULL ? k->ki_stat : 0;
	int cpu;

	if (pi->state == PS_PRS_ZOMBIE) {
		sb_printf(sb, "zombie (%s)", status_words(pi->xstat, buf, sizeof(buf)));
		return;
	}
	if (pi->flags & PS_P_WEXIT)
		sb_printf(sb, "exiting");
	else if (stat == PS_SSTOP)
		sb_printf(sb, "%s", (pi->flags & PS_P_STOPPED_TRACE) ? "stopped by the debugger" :
		          "stopped");
	else if (stat == PS_SSLEEP)
		sb_printf(sb, "sleeping on \"%s\"", printable(k->ki_wmesg, buf, sizeof(buf)));
	else if (!pi->runs_program)
		sb_printf(sb, "idle (runs no program)");
	else if ((cpu = proc_cpu(v->sim, pi->pid)) >= 0)
		sb_printf(sb, "running on cpu %d", cpu);
	else if (stat == PS_SRUN)
		sb_printf(sb, "runnable");
	else
		sb_printf(sb, "new");
	if (pi->flags & PS_P_TRACED)
		sb_printf(sb, ", traced by %s",
		          pid_name(v, k != NULL ? k->ki_tracer : pi->pptr, nb, sizeof(nb)));
}

static void
tree_node(struct tree_ctx *tc, int32_t pid, bool last, int depth)
{
	struct repl_view *v = tc->v;
	struct sbuf *sb = tc->sb;
	struct ps_proc_info pi;
	char nb[PIDNAME_LEN], gb[PIDNAME_LEN], cb[24];
	int32_t *kids;
	size_t nkids, plen;
	int err;

	if (tc->err != 0)
		return;
	if ((err = ps_proc_info(v->sim, pid, &pi)) < 0) {
		tc->err = err;
		tc->what = "process information";
		return;
	}
	sb_printf(sb, "%s", tc->prefix);
	if (depth > 0)
		sb_printf(sb, "%s", last ? "`- " : "|- ");
	sb_printf(sb, "%s %s [pgrp %s, ", pid_name(v, pid, nb, sizeof(nb)),
	          printable(pi.comm, cb, sizeof(cb)), pid_name(v, pi.pgid, gb, sizeof(gb)));
	sb_printf(sb, "session %s", pid_name(v, pi.sid, nb, sizeof(nb)));
	if (pi.session_leader)
		sb_printf(sb, ", session leader");
	else if (pi.pgid == pid)
		sb_printf(sb, ", group leader");
	sb_printf(sb, "] ");
	sb_state(sb, v, &pi, tree_kinfo(tc, pid));
	if (pi.flags & PS_P_TRACED && pi.ppid != pi.pptr)
		sb_printf(sb, " (real parent %s)", pid_name(v, pi.ppid, nb, sizeof(nb)));
	sb_printf(sb, "\n");

	if ((err = list_get(v->sim, LIST_CHILDREN, pid, &kids, &nkids)) < 0) {
		tc->err = err;
		tc->what = "children";
		return;
	}
	/* Ascending pids read best; the kernel's list is newest first. */
	if (nkids > 1)
		qsort(kids, nkids, sizeof(*kids), cmp_i32);
	plen = tc->plen;
	if (depth > 0) {
		if (tc->plen + 4 > tc->pcap) {
			size_t ncap = tc->pcap * 2 + 64;
			char *p = realloc(tc->prefix, ncap);

			if (p == NULL) {
				free(kids);
				tc->err = PS_ENOMEM;
				tc->what = "tree";
				return;
			}
			tc->prefix = p;
			tc->pcap = ncap;
		}
		memcpy(tc->prefix + tc->plen, last ? "   " : "|  ", 4);
		tc->plen += 3;
	}
	for (size_t i = 0; i < nkids; i++) {
		/* Never loop, whatever a list says. */
		if (kids[i] == pid)
			continue;
		tree_node(tc, kids[i], i + 1 == nkids, depth + 1);
	}
	tc->plen = plen;
	tc->prefix[plen] = '\0';
	free(kids);
}

int
view_tree(struct repl_view *v)
{
	struct sbuf sb = {0};
	struct tree_ctx tc = {.v = v, .sb = &sb};
	int err;

	if ((err = kinfo_all(v->sim, &tc.kp, &tc.nkp)) < 0)
		return view_api_fail(v, err, "kern.proc.all");
	if (tc.nkp > 1)
		qsort(tc.kp, tc.nkp, sizeof(*tc.kp), cmp_kinfo_pid);
	tc.pcap = 64;
	if ((tc.prefix = malloc(tc.pcap)) == NULL) {
		free(tc.kp);
		return view_fail(v, PS_ENOMEM, "out of memory");
	}
	tc.prefix[0] = '\0';
	tree_node(&tc, 0, true, 0);
	free(tc.prefix);
	free(tc.kp);
	if (tc.err != 0) {
		free(sb.buf);
		return view_api_fail(v, tc.err, tc.what);
	}
	return view_finish(v, &sb, 0);
}

/* --- pgrps --- */

int
view_pgrps(struct repl_view *v)
{
	static const char *const heads[] = {"PGID", "SID", "JOBC", "ORPHANED", "FG", "MEMBERS"};
	struct table t = {.ncols = 5, .heads = heads, .align = "llrll"};
	struct sbuf sb = {0}, tail = {0};
	char nb[PIDNAME_LEN];
	int32_t *pg, *mem;
	size_t npg, nmem;
	int err;

	if ((err = list_get(v->sim, LIST_PGRPS, 0, &pg, &npg)) < 0)
		return view_api_fail(v, err, "process groups");
	for (size_t i = 0; i < npg; i++) {
		struct ps_pgrp_info gi;
		struct table_row *r;

		if ((err = ps_pgrp_info(v->sim, pg[i], &gi)) < 0 ||
		    (err = list_get(v->sim, LIST_MEMBERS, pg[i], &mem, &nmem)) < 0)
			break;
		if ((r = table_add(&t)) == NULL) {
			free(mem);
			break;
		}
		table_cell(r, 0, "%s", pid_name(v, gi.pgid, nb, sizeof(nb)));
		table_cell(r, 1, "%s", pid_name(v, gi.sid, nb, sizeof(nb)));
		table_cell(r, 2, "%d", (int)gi.pg_jobc);
		table_cell(r, 3, "%s", gi.orphaned ? "yes" : "no");
		table_cell(r, 4, "%s", gi.foreground ? "yes" : "no");
		sb_pids(&tail, v, mem, nmem);
		table_tail(&t, r, &tail);
		free(mem);
	}
	free(pg);
	if (err < 0) {
		table_free(&t);
		return view_api_fail(v, err, "process group");
	}
	table_print(&sb, &t);
	table_free(&t);
	return view_finish(v, &sb, 0);
}

/* --- sessions --- */

int
view_sessions(struct repl_view *v)
{
	static const char *const heads[] = {"SID", "LEADER", "COUNT", "TTY", "FG", "GROUPS"};
	struct table t = {.ncols = 5, .heads = heads, .align = "llrll"};
	struct sbuf sb = {0}, tail = {0};
	struct ps_pgrp_info gi;
	struct ps_proc_info pi;
	char nb[PIDNAME_LEN], tb[24];
	int32_t *pg, *sids = NULL;
	size_t npg, nsid = 0;
	int err = 0;

	if ((err = list_get(v->sim, LIST_PGRPS, 0, &pg, &npg)) < 0)
		return view_api_fail(v, err, "process groups");
	/* Every session has a group (s_count counts them): collect their sids. */
	if (npg > 0 && (sids = malloc(npg * sizeof(*sids))) == NULL) {
		free(pg);
		return view_fail(v, PS_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < npg && err == 0; i++) {
		if ((err = ps_pgrp_info(v->sim, pg[i], &gi)) == 0)
			sids[nsid++] = gi.sid;
	}
	if (nsid > 1)
		qsort(sids, nsid, sizeof(*sids), cmp_i32);
	for (size_t i = 0; i < nsid && err == 0; i++) {
		struct ps_session_info si;
		struct table_row *r;
		bool first = true;

		if (i > 0 && sids[i] == sids[i - 1])
			continue;
		if ((err = ps_session_info(v->sim, sids[i], &si)) < 0)
			break;
		if ((r = table_add(&t)) == NULL)
			break;
		table_cell(r, 0, "%s", pid_name(v, si.sid, nb, sizeof(nb)));
		/* 0 is "exited", except for the swapper's own session. */
		if (si.leader != 0 || (si.sid == 0 && ps_proc_info(v->sim, 0, &pi) == 0 &&
		                       pi.session_leader))
			table_cell(r, 1, "%s", pid_name(v, si.leader, nb, sizeof(nb)));
		else
			table_cell(r, 1, "exited");
		table_cell(r, 2, "%d", (int)si.s_count);
		table_cell(r, 3, "%s", tty_name(v, si.tty, tb, sizeof(tb)));
		if (si.tty >= 0 && si.tpgid > 0)
			table_cell(r, 4, "%s", pid_name(v, si.tpgid, nb, sizeof(nb)));
		else
			table_cell(r, 4, "-");
		/* Its groups, ascending as ps_pgrp_list gives them. */
		for (size_t j = 0; j < npg; j++) {
			if (ps_pgrp_info(v->sim, pg[j], &gi) != 0 || gi.sid != si.sid)
				continue;
			sb_printf(&tail, "%s%s", first ? "" : " ", pid_name(v, pg[j], nb, sizeof(nb)));
			first = false;
		}
		table_tail(&t, r, &tail);
	}
	free(sids);
	free(pg);
	if (err < 0) {
		table_free(&t);
		return view_api_fail(v, err, "session");
	}
	table_print(&sb, &t);
	table_free(&t);
	return view_finish(v, &sb, 0);
}

/* --- jobc and explain: the qualification rule of spec §4.1 --- */

enum why {
	WHY_QUALIFIES,    /* Parent in another group of the same session. */
	WHY_ZOMBIE,
	WHY_EXITING,      /* P_WEXIT: killjobc has taken it out (§4.7). */
	WHY_SWAPPER,      /* The swapper itself: no parent. */
	WHY_NO_PARENT,    /* Its parent cannot be found. */
	WHY_SAME_GROUP,
	WHY_OTHER_SESSION,
};

struct member {
	struct ps_proc_info pi;
	enum why why;
	int32_t parent;       /* p_pptr */
	int32_t parent_pgid, parent_sid;
	bool stopped_sig;     /* Stopped as orphanpg tests it (§4.4, §4.6). */
	bool stopped;         /* Stopped in any way (for the listing). */
};

struct group {
	struct ps_pgrp_info gi;
	struct member *m;
	size_t n;
	int32_t recount;      /* Qualifying members. */
	bool dragonfly;
};

static void
group_free(struct group *g)
{
	free(g->m);
	g->m = NULL;
}

/* Judge one member m of group g (spec §4.1, conditions 2 to 4). */
static void
member_judge(struct repl_view *v, const struct group *g, struct member *m,
             const struct ps_kinfo_proc *k)
{
	struct ps_proc_info pp;
	uint32_t stopbits = m->pi.flags &
	    (PS_P_STOPPED_SIG | PS_P_STOPPED_TRACE | PS_P_STOPPED_SINGLE);

	m->stopped = m->pi.state != PS_PRS_ZOMBIE && k != NULL && k->ki_stat == PS_SSTOP;
	/* FreeBSD: exactly a signal stop; DragonFly: p_stat == SSTOP. */
	m->stopped_sig = g->dragonfly ? m->stopped :
	    m->pi.state != PS_PRS_ZOMBIE && stopbits == PS_P_STOPPED_SIG;
	m->parent = m->pi.pptr;
	m->parent_pgid = m->parent_sid = -1;
	if (m->pi.state == PS_PRS_ZOMBIE) {
		m->why = WHY_ZOMBIE;
	} else if (m->pi.flags & PS_P_WEXIT) {
		m->why = WHY_EXITING;
	} else if (m->pi.pid == 0) {
		m->why = WHY_SWAPPER;
	} else if (ps_proc_info(v->sim, m->parent, &pp) != 0) {
		m->why = WHY_NO_PARENT;
	} else {
		m->parent_pgid = pp.pgid;
		m->parent_sid = pp.sid;
		if (pp.pgid == g->gi.pgid)
			m->why = WHY_SAME_GROUP;
		else if (pp.sid != g->gi.sid)
			m->why = WHY_OTHER_SESSION;
		else
			m->why = WHY_QUALIFIES;
	}
}

/* Group pgid and its members, each judged; err set on failure. */
static int
group_load(struct repl_view *v, int32_t pgid, struct group *g)
{
	struct ps_config cfg;
	struct ps_kinfo_proc k;
	int32_t *mem;
	size_t n, one;
	int err;

	memset(g, 0, sizeof(*g));
	if (ps_pgrp_info(v->sim, pgid, &g->gi) != 0)
		return view_fail(v, PS_ESRCH, "no process group %d", (int)pgid);
	g->dragonfly = ps_sim_config(v->sim, &cfg) == 0 && cfg.jobc_algo == PS_JOBC_DRAGONFLY;
	if ((err = list_get(v->sim, LIST_MEMBERS, pgid, &mem, &n)) < 0)
		return view_api_fail(v, err, "members");
	if (n > 0 && (g->m = calloc(n, sizeof(*g->m))) == NULL) {
		free(mem);
		return view_fail(v, PS_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct member *m = &g->m[g->n];

		if (ps_proc_info(v->sim, mem[i], &m->pi) != 0)
			continue;
		one = 1;
		if (ps_kinfo_proc(v->sim, 0, PS_KERN_PROC_PID, &mem[i], 1, &k, &one) != 0)
			one = 0;
		member_judge(v, g, m, one == 1 ? &k : NULL);
		if (m->why == WHY_QUALIFIES)
			g->recount++;
		g->n++;
	}
	free(mem);
	return 0;
}

int
view_jobc(struct repl_view *v, int32_t pgid)
{
	struct sbuf sb = {0};
	struct group g;
	char nb[PIDNAME_LEN];
	int err;

	if ((err = group_load(v, pgid, &g)) < 0)
		return err;
	sb_printf(&sb, "pgrp %s: pg_jobc = %d (the kernel's count), %d recomputed from its "
	          "%zu member%s (spec §4.1)\n", pid_name(v, pgid, nb, sizeof(nb)),
	          (int)g.gi.pg_jobc, (int)g.recount, g.n, g.n == 1 ? "" : "s");
	if (g.gi.pg_jobc != g.recount)
		sb_printf(&sb, "they differ: drift, reparenting (to init, a reaper or a debugger) "
		          "is not accounted (spec §4.8)\n");
	group_free(&g);
	return view_finish(v, &sb, 0);
}

/* Why member m does or does not count, in a few words. */
static void
sb_why(struct sbuf *sb, struct repl_view *v, const struct member *m)
{
	char nb[PIDNAME_LEN], sbuf[48];
	const struct ps_proc_info *pi = &m->pi;

	switch (m->why) {
	case WHY_ZOMBIE:
		sb_printf(sb, "does not count: a zombie (%s)",
		          status_words(pi->xstat, sbuf, sizeof(sbuf)));
		return;
	case WHY_EXITING:
		sb_printf(sb, "does not count: exiting (P_WEXIT), taken out at exit");
		return;
	case WHY_SWAPPER:
		sb_printf(sb, "does not count: the swapper has no parent");
		return;
	case WHY_NO_PARENT:
		sb_printf(sb, "does not count: it has no parent");
		return;
	default:
		break;
	}
	sb_printf(sb, "%s: parent %s", m->why == WHY_QUALIFIES ? "qualifies" : "does not count",
	          pid_name(v, m->parent, nb, sizeof(nb)));
	if (m->parent == 0)
		sb_printf(sb, " (the swapper)");
	else if (pi->flags & PS_P_TRACED && pi->ppid != m->parent)
		sb_printf(sb, " (its debugger)");
	switch (m->why) {
	case WHY_QUALIFIES:
		sb_printf(sb, " is in group %s, another group of the same session",
		          pid_name(v, m->parent_pgid, nb, sizeof(nb)));
		break;
	case WHY_SAME_GROUP:
		sb_printf(sb, " is in the same group");
		break;
	case WHY_OTHER_SESSION:
		sb_printf(sb, " is in session %s, another session",
		          pid_name(v, m->parent_sid, nb, sizeof(nb)));
		break;
	default:
		break;
	}
}

int
view_explain(struct repl_view *v, int32_t pgid)
{
	struct sbuf sb = {0};
	struct group g;
	char nb[PIDNAME_LEN], nb2[PIDNAME_LEN], nb3[PIDNAME_LEN], gname[PIDNAME_LEN];
	size_t width = 0, nstopped = 0;
	bool posix_orphaned, kernel_orphaned, drift, anystopped = false;
	int err;

	if ((err = group_load(v, pgid, &g)) < 0)
		return err;
	pid_name(v, pgid, gname, sizeof(gname));
	kernel_orphaned = g.gi.pg_jobc == 0;
	posix_orphaned = g.recount == 0;
	drift = g.gi.pg_jobc != g.recount;
	sb_printf(&sb, "pgrp %s in session %s: pg_jobc = %d: %s%s\n", gname,
	          pid_name(v, g.gi.sid, nb, sizeof(nb)), (int)g.gi.pg_jobc,
	          kernel_orphaned ? "orphaned" : "not orphaned",
	          drift ? " (by the kernel's count)" : "");

	/* Members, in the kernel's list order (the order orphanpg signals). */
	for (size_t i = 0; i < g.n; i++) {
		size_t w = strlen(pid_name(v, g.m[i].pi.pid, nb, sizeof(nb)));

		if (w > width)
			width = w;
		if (g.m[i].stopped_sig)
			nstopped++;
		if (g.m[i].stopped)
			anystopped = true;
	}
	for (size_t i = 0; i < g.n; i++) {
		const struct member *m = &g.m[i];

		pid_name(v, m->pi.pid, nb, sizeof(nb));
		sb_printf(&sb, "  %s", nb);
		sb_pad(&sb, width - strlen(nb));
		sb_printf(&sb, " %s ", m->stopped ? "T" : " ");
		sb_why(&sb, v, m);
		sb_printf(&sb, "\n");
	}
	if (anystopped)
		sb_printf(&sb, "  (T: stopped)\n");

	sb_printf(&sb, "A group is orphaned when no member has a parent in another group of the "
	          "same session (POSIX).\n");
	/* The verdict by the rule; the kernel's own count is judged after it. */
	if (drift)
		sb_printf(&sb, "By that rule, recomputed from the members: ");
	if (posix_orphaned) {
		sb_printf(&sb, "%s: no member qualifies.\n", drift ? "orphaned" : "Orphaned");
		if (nstopped > 0) {
			sb_printf(&sb, "Stopped:");
			for (size_t i = 0; i < g.n; i++)
				if (g.m[i].stopped_sig)
					sb_printf(&sb, " %s", pid_name(v, g.m[i].pi.pid, nb,
					          sizeof(nb)));
			sb_printf(&sb, ".  When a decrement takes pg_jobc to 0, the kernel's "
			          "orphanpg\n"
			          "sends SIGHUP then SIGCONT to every member if one is stopped "
			          "(spec §4.6); a member\n"
			          "that stops after that stays stopped.\n");
		} else {
			sb_printf(&sb, "No member is stopped now.  orphanpg acts once, when "
			          "pg_jobc drops to 0: if a\n"
			          "member was stopped then, it sent SIGHUP then SIGCONT to every "
			          "member (spec §4.6).\n"
			          "Terminal stop signals (SIGTSTP, SIGTTIN, SIGTTOU) with the "
			          "default action are\n"
			          "discarded for its members.\n");
		}
	} else {
		sb_printf(&sb, "%s: it stays connected through\n", drift ? "not orphaned" :
		          "Not orphaned");
		for (size_t i = 0; i < g.n; i++) {
			const struct member *m = &g.m[i];

			if (m->why != WHY_QUALIFIES)
				continue;
			sb_printf(&sb, "  %s, whose parent %s is in group %s\n",
			          pid_name(v, m->pi.pid, nb, sizeof(nb)),
			          pid_name(v, m->parent, nb2, sizeof(nb2)),
			          pid_name(v, m->parent_pgid, nb3, sizeof(nb3)));
		}
		sb_printf(&sb, "It becomes orphaned when %s gone: the parent exits, or moves "
		          "into\n"
		          "group %s or into another session, or the member leaves group %s or "
		          "exits.\n", g.recount == 1 ? "that link is" : "every such link is",
		          gname, gname);
		if (nstopped > 0)
			sb_printf(&sb, "A member is stopped: if the group becomes orphaned then, "
			          "orphanpg sends SIGHUP then\n"
			          "SIGCONT to every member (spec §4.6).\n");
	}

	sb_printf(&sb, "Counts: pg_jobc = %d (the kernel's), %d recomputed from the members "
	          "(spec §4.1).\n", (int)g.gi.pg_jobc, (int)g.recount);
	if (drift) {
		sb_printf(&sb, "They differ: drift (spec §4.8): the kernel does not adjust pg_jobc "
		          "when a process is\n"
		          "reparented (to init, a reaper or a debugger).  The kernel acts on its count: "
		          "it treats the\n"
		          "group as %s", kernel_orphaned ? "orphaned" : "not orphaned");
		if (g.gi.pg_jobc < 0)
			sb_printf(&sb, " (a negative count is not 0)");
		sb_printf(&sb, ", while by POSIX's rule it is %s.\n",
		          posix_orphaned ? "orphaned" : "not orphaned");
	}
	if (g.dragonfly)
		sb_printf(&sb, "jobc algorithm: DragonFly 2003: the qualifying rule is the same, "
		          "the counting differs\n"
		          "(no locks; orphanpg also counts a stop by the debugger, spec §4.4).\n");
	group_free(&g);
	return view_finish(v, &sb, 0);
}

/* --- mem --- */

#define MEM_MAX 4096

static void
sb_hexline(struct sbuf *sb, uint64_t addr, const unsigned char *p, size_t n)
{
	sb_printf(sb, "0x%012llx ", (unsigned long long)addr);
	for (size_t i = 0; i < 16; i++) {
		if (i == 8)
			sb_printf(sb, " ");
		if (i < n)
			sb_printf(sb, " %02x", p[i]);
		else
			sb_printf(sb, "   ");
	}
	sb_printf(sb, "  |");
	for (size_t i = 0; i < n; i++)
		sb_printf(sb, "%c", p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.');
	sb_printf(sb, "|\n");
}

int
view_mem(struct repl_view *v, int32_t pid, uint64_t addr, size_t len)
{
	struct sbuf sb = {0};
	struct ps_proc_info pi;
	unsigned char buf[MEM_MAX];
	size_t done = 0;
	int err;

	if (len < 1 || len > MEM_MAX)
		return view_fail(v, PS_EINVAL, "length must be 1..%d", MEM_MAX);
	if (ps_proc_info(v->sim, pid, &pi) != 0)
		return view_fail(v, PS_ESRCH, "no process %d", (int)pid);
	if (pi.state == PS_PRS_ZOMBIE)
		return view_fail(v, PS_EINVAL, "process %d is a zombie: it has no memory",
		                 (int)pid);
	if (!pi.runs_program)
		return view_fail(v, PS_EINVAL, "process %d runs no program: it has no address "
		                 "space", (int)pid);
	if (addr > UINT64_MAX - (len - 1))
		return view_fail(v, PS_EINVAL, "0x%llx + %zu goes past the end of the address "
		                 "space", (unsigned long long)addr, len);
	err = ps_mem_read(v->sim, pid, addr, buf, len, &done);
	if (done > len)
		done = len;
	if (err < 0 && done == 0) {
		if (err == PS_EFAULT)
			return view_fail(v, err, "cannot read 0x%012llx (EFAULT: the page is not "
			                 "mapped)", (unsigned long long)addr);
		return view_api_fail(v, err, "memory");
	}
	for (size_t off = 0; off < done; off += 16)
		sb_hexline(&sb, addr + off, buf + off, done - off < 16 ? done - off : 16);
	if (err < 0)
		sb_printf(&sb, "fault at 0x%012llx (%s: %s)\n", (unsigned long long)(addr + done),
		          ps_err_name(err), err == PS_EFAULT ? "the page is not mapped" :
		          ps_strerror(err));
	return view_finish(v, &sb, 0);
}

/* --- regs --- */

static const char *
thread_state(const struct ps_thread_info *ti, char *buf, size_t len)
{
	char wb[24];

	switch (ti->state) {
	case PS_TD_RUNNING:
		snprintf(buf, len, "running on cpu %d", (int)ti->cpu);
		break;
	case PS_TD_RUNNABLE:
		snprintf(buf, len, "runnable");
		break;
	case PS_TD_SLEEPING:
		snprintf(buf, len, "sleeping on \"%s\"", printable(ti->wmesg, wb, sizeof(wb)));
		break;
	case PS_TD_STOPPED:
		snprintf(buf, len, "stopped");
		break;
	case PS_TD_SUSPENDED:
		snprintf(buf, len, "suspended (another thread is single-threading)");
		break;
	case PS_TD_IDLE:
		snprintf(buf, len, "idle");
		break;
	case PS_TD_INACTIVE:
	default:
		snprintf(buf, len, "inactive");
		break;
	}
	return buf;
}

int
view_regs(struct repl_view *v, int32_t pid)
{
	struct sbuf sb = {0};
	struct ps_proc_info pi;
	char nb[PIDNAME_LEN], stb[80];
	int32_t *tids;
	size_t nt;
	int err;

	if (ps_proc_info(v->sim, pid, &pi) != 0)
		return view_fail(v, PS_ESRCH, "no process %d", (int)pid);
	pid_name(v, pid, nb, sizeof(nb));
	if (pi.state == PS_PRS_ZOMBIE) {
		sb_printf(&sb, "%s: zombie: no threads\n", nb);
		return view_finish(v, &sb, 0);
	}
	if (!pi.runs_program) {
		sb_printf(&sb, "%s runs no program (a puppet driven by events): no registers\n",
		          nb);
		return view_finish(v, &sb, 0);
	}
	if ((err = threads_get(v->sim, pid, &tids, &nt)) < 0)
		return view_api_fail(v, err, "threads");
	if (nt == 0)
		sb_printf(&sb, "%s: no threads%s\n", nb, pi.flags & PS_P_WEXIT ? " (exiting)" : "");
	for (size_t i = 0; i < nt; i++) {
		struct ps_thread_info ti;
		struct ps_thread_dbg td;
		const char *sys;

		if ((err = ps_thread_info(v->sim, tids[i], &ti)) < 0)
			break;
		sb_printf(&sb, "%sthread %d of %s: %s, %llu cycles run", i > 0 ? "\n" : "",
		          (int)ti.tid, nb, thread_state(&ti, stb, sizeof(stb)),
		          (unsigned long long)ti.cycles);
		if (ti.syscall != 0) {
			sys = ps_syscall_name(ti.syscall);
			if (sys != NULL)
				sb_printf(&sb, ", in system call %s", sys);
			else
				sb_printf(&sb, ", in system call %d", (int)ti.syscall);
		}
		/* What a debugger did to it (nothing for a process never traced). */
		if (ps_thread_dbg(v->sim, tids[i], &td) == 0) {
			if (td.in_trace_stop)
				sb_printf(&sb, ", in a trace stop");
			if (td.dbgflags & PS_TDB_STEP)
				sb_printf(&sb, ", single step armed");
		}
		sb_printf(&sb, "\n");
		if (ti.state == PS_TD_IDLE) {
			sb_printf(&sb, "  runs no program (a puppet driven by events)\n");
			continue;
		}
		for (int r = 0; r < 16; r++) {
			char rn[8];

			snprintf(rn, sizeof(rn), "r%d", r);
			sb_printf(&sb, "  %-3s 0x%016llx%s", rn, (unsigned long long)ti.regs.r[r],
			          r % 4 == 3 ? "\n" : "");
		}
		sb_printf(&sb, "  pc  0x%016llx  sp  0x%016llx  flags %c%c%c",
		          (unsigned long long)ti.regs.pc, (unsigned long long)ti.regs.sp,
		          ti.regs.flags & 1 ? 'Z' : '-', ti.regs.flags & 2 ? 'N' : '-',
		          ti.regs.flags & 4 ? 'C' : '-');
		if (ti.regs.flags & ~(uint64_t)7)
			sb_printf(&sb, " (0x%llx)", (unsigned long long)ti.regs.flags);
		sb_printf(&sb, "\n");
	}
	free(tids);
	if (err < 0) {
		free(sb.buf);
		return view_api_fail(v, err, "thread");
	}
	return view_finish(v, &sb, 0);
}

/* --- args --- */

/* The caller of the kern.proc queries: swapper, root, may read them all. */
#define PROCARGS_CALLER 0
/* Bytes of one string shown; longer ones are cut with "...". */
#define ARG_SHOW_MAX 200

/* s (len bytes, no NUL inside) quoted, with C escapes for what is not printable. */
static void
sb_quoted(struct sbuf *sb, const char *s, size_t len)
{
	size_t n = len < ARG_SHOW_MAX ? len : ARG_SHOW_MAX;

	sb_printf(sb, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			sb_printf(sb, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			sb_printf(sb, "\\x%02x", c);
		else
			sb_printf(sb, "%c", c);
	}
	sb_printf(sb, "\"%s", n < len ? "..." : "");
}

/* What an error of the kern.proc.args family means here. */
static const char *
procargs_why(int err)
{
	switch (err) {
	case PS_ENOMEM:
		return "the read came up short; an empty list reads this way, as in FreeBSD";
	case PS_ENOEXEC:
		return "ps_strings no longer describes a list the kernel believes";
	case PS_ESRCH:
		return "no such process, or it is exiting";
	default:
		return ps_strerror(err);
	}
}

/* One list (argv or env): the strings of buf, NUL-terminated, numbered. */
static void
sb_strings(struct sbuf *sb, const char *what, const char *sysctl, int err, const char *buf,
           size_t len)
{
	size_t i, n = 0, start;

	for (i = 0; i < len; i++)
		if (buf[i] == '\0')
			n++;
	if (err < 0)
		sb_printf(sb, "%-5s %s: %s (%s)\n", what, ps_err_name(err), procargs_why(err), sysctl);
	else if (len == 0)
		sb_printf(sb, "%-5s none (%s)\n", what, sysctl);
	else
		sb_printf(sb, "%-5s %zu string%s, %zu bytes (%s)\n", what, n, n == 1 ? "" : "s", len,
		          sysctl);
	/* What was read before an error is shown too. */
	for (i = 0, start = 0, n = 0; i < len; i++) {
		if (buf[i] != '\0')
			continue;
		sb_printf(sb, "  [%zu] ", n++);
		sb_quoted(sb, buf + start, i - start);
		sb_printf(sb, "\n");
		start = i + 1;
	}
}

/* The whole answer of one strings query, malloc'd; *err its result. */
static char *
procargs_get(ps_sim_t *sim, int32_t pid, bool env, size_t *len, int *err)
{
	size_t need = 0;
	char *buf;

	*len = 0;
	*err = env ? ps_proc_getenvv(sim, PROCARGS_CALLER, pid, NULL, 0, &need)
	           : ps_proc_getargv(sim, PROCARGS_CALLER, pid, NULL, 0, &need);
	if ((buf = malloc(need + 1)) == NULL) {
		*err = PS_ENOMEM;
		return NULL;
	}
	/* The probe's error (a failed memory read) comes again with the data. */
	*err = env ? ps_proc_getenvv(sim, PROCARGS_CALLER, pid, buf, need, len)
	           : ps_proc_getargv(sim, PROCARGS_CALLER, pid, buf, need, len);
	return buf;
}

static const char *
auxv_name(int64_t type)
{
	switch (type) {
	case PS_AT_NULL:
		return "AT_NULL";
	case PS_AT_PAGESZ:
		return "AT_PAGESZ";
	case PS_AT_ENTRY:
		return "AT_ENTRY";
	case PS_AT_EXECPATH:
		return "AT_EXECPATH";
	default:
		return NULL;
	}
}

/* The string at addr in pid's memory (a path), read as a debugger reads. */
static void
sb_user_string(struct sbuf *sb, ps_sim_t *sim, int32_t pid, uint64_t addr)
{
	char s[64];
	size_t room = 4096 - (size_t)(addr & 4095), done = 0;
	const char *nul;

	if (room > sizeof(s))
		room = sizeof(s);
	(void)ps_mem_read(sim, pid, addr, s, room, &done);
	if (done == 0) {
		sb_printf(sb, "  (unreadable)");
		return;
	}
	nul = memchr(s, '\0', done);
	sb_printf(sb, "  ");
	sb_quoted(sb, s, nul != NULL ? (size_t)(nul - s) : done);
}

static void
sb_auxv(struct sbuf *sb, ps_sim_t *sim, int32_t pid)
{
	struct ps_auxinfo *aux = NULL;
	size_t n = 0;
	int err;

	err = ps_proc_getauxv(sim, PROCARGS_CALLER, pid, NULL, 0, &n);
	if (err == 0 && (aux = calloc(n + 1, sizeof(*aux))) == NULL)
		err = PS_ENOMEM;
	if (err == 0)
		err = ps_proc_getauxv(sim, PROCARGS_CALLER, pid, aux, n, &n);
	if (err < 0) {
		sb_printf(sb, "auxv  %s: %s (kern.proc.auxv)\n", ps_err_name(err), procargs_why(err));
		free(aux);
		return;
	}
	if (n == 0)
		sb_printf(sb, "auxv  none (kern.proc.auxv)\n");
	else
		sb_printf(sb, "auxv  %zu record%s (kern.proc.auxv)\n", n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		const char *name = auxv_name(aux[i].a_type);

		if (name != NULL)
			sb_printf(sb, "  %-12s", name);
		else
			sb_printf(sb, "  type %-7lld", (long long)aux[i].a_type);
		if (aux[i].a_type == PS_AT_PAGESZ || aux[i].a_type == PS_AT_NULL)
			sb_printf(sb, " %llu", (unsigned long long)aux[i].a_val);
		else
			sb_printf(sb, " 0x%012llx", (unsigned long long)aux[i].a_val);
		if (aux[i].a_type == PS_AT_EXECPATH)
			sb_user_string(sb, sim, pid, aux[i].a_val);
		sb_printf(sb, "\n");
	}
	free(aux);
}

int
view_args(struct repl_view *v, int32_t pid)
{
	struct sbuf sb = {0};
	struct ps_proc_info pi;
	char nb[PIDNAME_LEN], *buf;
	size_t len;
	int err;

	if (ps_proc_info(v->sim, pid, &pi) != 0)
		return view_fail(v, PS_ESRCH, "no process %d", (int)pid);
	pid_name(v, pid, nb, sizeof(nb));
	if (pi.state == PS_PRS_ZOMBIE)
		sb_printf(&sb, "%s is a zombie: its memory is gone\n", nb);
	else if (pi.flags & PS_P_SYSTEM)
		sb_printf(&sb, "%s is a system process: it has no arguments\n", nb);
	else if (!pi.runs_program)
		sb_printf(&sb, "%s runs no program (a puppet driven by events): its command name "
		          "stands for its arguments\n", nb);
	else
		sb_printf(&sb, "%s, read from its memory:\n", nb);
	buf = procargs_get(v->sim, pid, false, &len, &err);
	if (buf == NULL)
		return view_api_fail(v, err, "arguments");
	sb_strings(&sb, "argv", "kern.proc.args", err, buf, len);
	free(buf);
	buf = procargs_get(v->sim, pid, true, &len, &err);
	if (buf == NULL) {
		free(sb.buf);
		return view_api_fail(v, err, "environment");
	}
	sb_strings(&sb, "env", "kern.proc.env", err, buf, len);
	free(buf);
	sb_auxv(&sb, v->sim, pid);
	return view_finish(v, &sb, 0);
}

/* --- vmmap --- */

static const char *
kve_type_name(int32_t type)
{
	switch (type) {
	case PS_KVME_TYPE_NONE:
		return "none";
	case PS_KVME_TYPE_DEFAULT:
		return "default";
	case PS_KVME_TYPE_VNODE:
		return "vnode";
	case PS_KVME_TYPE_SWAP:
		return "swap";
	case PS_KVME_TYPE_DEVICE:
		return "device";
	case PS_KVME_TYPE_PHYS:
		return "phys";
	case PS_KVME_TYPE_DEAD:
		return "dead";
	default:
		return "unknown";
	}
}

static const char *
kve_prot(uint32_t prot, char *buf)
{
	buf[0] = prot & PS_KVME_PROT_READ ? 'r' : '-';
	buf[1] = prot & PS_KVME_PROT_WRITE ? 'w' : '-';
	buf[2] = prot & PS_KVME_PROT_EXEC ? 'x' : '-';
	buf[3] = '\0';
	return buf;
}

int
view_vmmap(struct repl_view *v, int32_t pid)
{
	struct sbuf sb = {0};
	struct ps_kinfo_vmentry *kve;
	struct ps_proc_info pi;
	char nb[PIDNAME_LEN], p1[4], p2[4], lb[24];
	size_t n = 0;
	int err;

	if (ps_proc_info(v->sim, pid, &pi) != 0)
		return view_fail(v, PS_ESRCH, "no process %d", (int)pid);
	if (pi.state == PS_PRS_ZOMBIE)
		return view_fail(v, PS_ESRCH, "process %d is a zombie: it has no memory map",
		                 (int)pid);
	if (!pi.runs_program)
		return view_fail(v, PS_ESRCH, "process %d runs no program: it has no address "
		                 "space", (int)pid);
	if ((err = ps_proc_vmmap(v->sim, PROCARGS_CALLER, pid, NULL, 0, &n)) < 0)
		return view_api_fail(v, err, "vmmap");
	if ((kve = calloc(n + 1, sizeof(*kve))) == NULL)
		return view_fail(v, PS_ENOMEM, "out of memory");
	if ((err = ps_proc_vmmap(v->sim, PROCARGS_CALLER, pid, kve, n, &n)) < 0) {
		free(kve);
		return view_api_fail(v, err, "vmmap");
	}
	pid_name(v, pid, nb, sizeof(nb));
	sb_printf(&sb, "%s: %zu entr%s (kern.proc.vmmap)\n", nb, n, n == 1 ? "y" : "ies");
	sb_printf(&sb, "START          END            PROT/MAX  OFFSET    RES  PRIV  TYPE     "
	          "FLAGS  OBJ  NAME    PATH\n");
	for (size_t i = 0; i < n; i++) {
		const struct ps_kinfo_vmentry *e = &kve[i];

		sb_printf(&sb, "0x%012llx 0x%012llx %s/%s   0x%-6llx %4u  %4u  %-8s %-5s %4u  ",
		          (unsigned long long)e->kve_start, (unsigned long long)e->kve_end,
		          kve_prot(e->kve_protection, p1), kve_prot(e->kve_max_protection, p2),
		          (unsigned long long)e->kve_offset, (unsigned)e->kve_resident,
		          (unsigned)e->kve_private_resident, kve_type_name(e->kve_type),
		          e->kve_flags & PS_KVME_FLAG_COW ? "cow" : "-", (unsigned)e->kve_obj_id);
		printable(e->kve_label, lb, sizeof(lb));
		/* No trailing blanks when there is no path. */
		if (e->kve_path[0] != '\0')
			sb_printf(&sb, "%-7s %s\n", lb, e->kve_path);
		else
			sb_printf(&sb, "%s\n", lb);
	}
	free(kve);
	return view_finish(v, &sb, 0);
}

/* --- ptrace --- */

struct bit_name {
	uint32_t bit;
	const char *name;
};

static const struct bit_name p_flag_names[] = {
	{ PS_P_CONTROLT, "P_CONTROLT" }, { PS_P_KPROC, "P_KPROC" },
	{ PS_P_FOLLOWFORK, "P_FOLLOWFORK" }, { PS_P_PPWAIT, "P_PPWAIT" },
	{ PS_P_HADTHREADS, "P_HADTHREADS" }, { PS_P_SUGID, "P_SUGID" },
	{ PS_P_SYSTEM, "P_SYSTEM" }, { PS_P_TRACED, "P_TRACED" }, { PS_P_WAITED, "P_WAITED" },
	{ PS_P_WEXIT, "P_WEXIT" }, { PS_P_EXEC, "P_EXEC" }, { PS_P_CONTINUED, "P_CONTINUED" },
	{ PS_P_STOPPED_SIG, "P_STOPPED_SIG" }, { PS_P_STOPPED_TRACE, "P_STOPPED_TRACE" },
	{ PS_P_STOPPED_SINGLE, "P_STOPPED_SINGLE" }, { PS_P_PROTECTED, "P_PROTECTED" },
	{ PS_P_INEXEC, "P_INEXEC" }, { PS_P_INMEM, "P_INMEM" }, { PS_P_PPTRACE, "P_PPTRACE" },
	{ 0, NULL },
};

static const struct bit_name p_flag2_names[] = {
	{ PS_P2_INHERIT_PROTECTED, "P2_INHERIT_PROTECTED" }, { 0, NULL },
};

static const struct bit_name p_stops_names[] = {
	{ PS_S_PT_SCE, "S_PT_SCE" }, { PS_S_PT_SCX, "S_PT_SCX" }, { 0, NULL },
};

static const struct bit_name tdb_names[] = {
	{ PS_TDB_SUSPEND, "TDB_SUSPEND" }, { PS_TDB_XSIG, "TDB_XSIG" },
	{ PS_TDB_USERWR, "TDB_USERWR" }, { PS_TDB_SCE, "TDB_SCE" }, { PS_TDB_SCX, "TDB_SCX" },
	{ PS_TDB_EXEC, "TDB_EXEC" }, { PS_TDB_FORK, "TDB_FORK" },
	{ PS_TDB_STOPATFORK, "TDB_STOPATFORK" }, { PS_TDB_CHILD, "TDB_CHILD" },
	{ PS_TDB_STEP, "TDB_STEP" }, { 0, NULL },
};

/* "0" or "0x...  NAME|NAME", bits without a name in hex at the end. */
static void
sb_bits(struct sbuf *sb, uint32_t w, const struct bit_name *names)
{
	uint32_t rest = w;
	bool first = true;

	if (w == 0) {
		sb_printf(sb, "0");
		return;
	}
	sb_printf(sb, "0x%08x ", (unsigned)w);
	for (size_t i = 0; names[i].name != NULL; i++)
		if (w & names[i].bit) {
			sb_printf(sb, "%s%s", first ? "" : "|", names[i].name);
			rest &= ~names[i].bit;
			first = false;
		}
	if (rest != 0)
		sb_printf(sb, "%s0x%x", first ? "" : "|", (unsigned)rest);
}

/* "SIGTRAP", or the number when it is none. */
static void
sb_sig(struct sbuf *sb, int32_t sig)
{
	const char *name = sig > 0 ? ps_signal_name(sig) : NULL;

	if (name != NULL)
		sb_printf(sb, "%s", name);
	else
		sb_printf(sb, "%d", (int)sig);
}

/* A signal set, bit (sig - 1): "-" or "SIGINT SIGTERM". */
static void
sb_sigset(struct sbuf *sb, uint32_t set)
{
	bool first = true;

	if (set == 0) {
		sb_printf(sb, "-");
		return;
	}
	for (int sig = 1; sig <= 32; sig++)
		if (set & (1u << (sig - 1))) {
			sb_printf(sb, "%s", first ? "" : " ");
			sb_sig(sb, sig);
			first = false;
		}
}

/* "2(dbg)", or "-" for none. */
static const char *
pid_or_none(const struct repl_view *v, int32_t pid, char *buf, size_t len)
{
	if (pid <= 0) {
		snprintf(buf, len, pid == 0 ? "-" : "%d", (int)pid);
		return buf;
	}
	return pid_name(v, pid, buf, len);
}

static void
sb_thread_dbg(struct sbuf *sb, const struct ps_thread_dbg *td, const struct ps_ptrace_info *pi)
{
	sb_printf(sb, "thread %d", (int)td->tid);
	if (td->tid == pi->xthread)
		sb_printf(sb, " (p_xthread: it reported the stop)");
	if (td->in_trace_stop && !(pi->flags & PS_P_STOPPED_TRACE))
		sb_printf(sb, ": in ptracestop, resumed (it leaves when it runs next)\n");
	else
		sb_printf(sb, ": %s\n", td->in_trace_stop ? "in a trace stop (ptracestop)" :
		          td->suspended ? "suspended (its process is stopped)" : "not stopped");
	sb_printf(sb, "  td_dbgflags ");
	sb_bits(sb, td->dbgflags, tdb_names);
	if (td->dbgflags & PS_TDB_STEP)
		sb_printf(sb, " (a single step is armed)");
	if (td->dbgflags & PS_TDB_SUSPEND)
		sb_printf(sb, " (PT_SUSPEND: held back when the process resumes)");
	sb_printf(sb, "\n  td_xsig     ");
	sb_sig(sb, td->xsig);
	if (td->sc_code != 0) {
		const char *sys = ps_syscall_name(td->sc_code);

		sb_printf(sb, "\n  syscall     ");
		if (sys != NULL)
			sb_printf(sb, "%s", sys);
		else
			sb_printf(sb, "%d", (int)td->sc_code);
		sb_printf(sb, ", %d argument%s (its last syscall stop)", (int)td->sc_narg,
		          td->sc_narg == 1 ? "" : "s");
	}
	if (td->forked != 0)
		sb_printf(sb, "\n  forked      %d (td_dbg_forked)", (int)td->forked);
	sb_printf(sb, "\n  sigmask     ");
	sb_sigset(sb, td->sigmask);
	sb_printf(sb, "\n");
}

int
view_ptrace(struct repl_view *v, int32_t pid)
{
	struct sbuf sb = {0};
	struct ps_ptrace_info pi;
	struct ps_proc_info proc;
	char nb[PIDNAME_LEN], tb[PIDNAME_LEN];
	bool zombie;
	int32_t *tids = NULL;
	size_t nt = 0;
	int err;

	if ((err = ps_ptrace_info(v->sim, pid, &pi)) != 0) {
		if (err == PS_ESRCH)
			return view_fail(v, err, "no process %d", (int)pid);
		return view_api_fail(v, err, "ptrace_info");
	}
	zombie = ps_proc_info(v->sim, pid, &proc) == 0 && proc.state == PS_PRS_ZOMBIE;
	pid_name(v, pid, nb, sizeof(nb));
	if (pi.flags & PS_P_TRACED) {
		sb_printf(&sb, "%s: traced by %s, ", nb, pid_name(v, pi.pptr, tb, sizeof(tb)));
		if (zombie)
			sb_printf(&sb, "a zombie\n");
		else if (pi.flags & PS_P_STOPPED_TRACE)
			sb_printf(&sb, "stopped for it by %s%s\n", ps_signal_name(pi.xstat) != NULL ?
			          ps_signal_name(pi.xstat) : "a signal",
			          pi.flags & PS_P_WAITED ? ", the stop collected by its wait (P_WAITED)"
			                                 : ", the stop not yet collected by wait");
		else if (pi.flags & PS_P_STOPPED_SIG)
			sb_printf(&sb, "stopped by a signal\n");
		else if (pi.flags & PS_P_WEXIT)
			sb_printf(&sb, "exiting\n");
		else
			sb_printf(&sb, "running\n");
	} else if (zombie) {
		/* exit1 cleared P_TRACED; the debugger reaps it first (S19). */
		sb_printf(&sb, "%s: a zombie, for %s to reap", nb,
		          pid_or_none(v, pi.pptr, tb, sizeof(tb)));
		if (pi.oppid != 0 && pi.oppid != pi.pptr)
			sb_printf(&sb, ", then to be given back to %s (p_oppid)",
			          pid_or_none(v, pi.oppid, tb, sizeof(tb)));
		sb_printf(&sb, "\n");
	} else {
		sb_printf(&sb, "%s: not traced\n", nb);
	}
	sb_printf(&sb, "  p_pptr      %s%s\n", pid_or_none(v, pi.pptr, tb, sizeof(tb)),
	          pi.flags & PS_P_TRACED ? " (the debugger, while traced)" : "");
	sb_printf(&sb, "  p_oppid     %s\n", pid_or_none(v, pi.oppid, tb, sizeof(tb)));
	sb_printf(&sb, "  realparent  %s (proc_realparent)\n",
	          pid_or_none(v, pi.realparent, tb, sizeof(tb)));
	if (pi.orphan_of != 0)
		sb_printf(&sb, "  orphan of   %s (p_orphan: on the orphan list of the parent it "
		          "was traced away from)\n", pid_or_none(v, pi.orphan_of, tb, sizeof(tb)));
	sb_printf(&sb, "  p_flag      ");
	sb_bits(&sb, pi.flags, p_flag_names);
	sb_printf(&sb, "\n  p_flag2     ");
	sb_bits(&sb, pi.flags2, p_flag2_names);
	sb_printf(&sb, "\n  p_stops     ");
	sb_bits(&sb, pi.stops, p_stops_names);
	sb_printf(&sb, "\n  p_xstat     ");
	if (zombie)
		sb_printf(&sb, "0x%x (%s)", (unsigned)pi.xstat,
		          status_words(pi.xstat, tb, sizeof(tb)));
	else if (pi.xstat > 0 && ps_signal_name(pi.xstat) != NULL)
		sb_printf(&sb, "%d (%s)", (int)pi.xstat, ps_signal_name(pi.xstat));
	else
		sb_printf(&sb, "%d", (int)pi.xstat);
	sb_printf(&sb, "\n  p_xthread   %s\n", pid_or_none(v, pi.xthread, tb, sizeof(tb)));
	sb_printf(&sb, "  p_lock      %d\n", (int)pi.holds);
	if (zombie)
		sb_printf(&sb, "  threads     none (a zombie)\n");
	else
		sb_printf(&sb, "  threads     %d, %d suspended\n", (int)pi.nthreads,
		          (int)pi.suspcount);
	if (pi.vm_timestamp != 0 || pi.icache_syncs != 0)
		sb_printf(&sb, "  map         timestamp %u, %llu instruction cache sync%s\n",
		          (unsigned)pi.vm_timestamp, (unsigned long long)pi.icache_syncs,
		          pi.icache_syncs == 1 ? "" : "s");
	/* A zombie's threads are gone (its count is the last one it had). */
	if (!zombie && pi.nthreads > 0 && (err = threads_get(v->sim, pid, &tids, &nt)) < 0) {
		free(sb.buf);
		return view_api_fail(v, err, "threads");
	}
	for (size_t i = 0; i < nt; i++) {
		struct ps_thread_dbg td;

		if ((err = ps_thread_dbg(v->sim, tids[i], &td)) == PS_ESRCH) {
			sb_printf(&sb, "thread %d: exited\n", (int)tids[i]);
			continue;
		}
		if (err < 0) {
			free(tids);
			free(sb.buf);
			return view_api_fail(v, err, "thread_dbg");
		}
		sb_thread_dbg(&sb, &td, &pi);
	}
	free(tids);
	return view_finish(v, &sb, 0);
}
