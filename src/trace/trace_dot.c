/*
 * The dot format: the process tree of a simulator as a Graphviz digraph.
 *
 * Sessions are clusters, each holding a cluster per process group, which
 * holds the group's members; processes in no live group (none today, but
 * the writer does not rely on it) stand outside every cluster.  Edges go
 * from the real parent (ps_proc_info().ppid) to the child, and a dotted
 * edge "traces" from a debugger to each process it traces.
 *
 * Only the public query API is used (ps_proc_list, ps_proc_info,
 * ps_pgrp_list, ps_pgrp_info, ps_pgrp_members, ps_session_info), so the
 * tree drawn is the one any caller can see.  Every list is sorted by id
 * before it is written: list order in the kernel depends on the history
 * of the tables, and the drawing must depend only on the tree.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <procsim/procsim.h>
#include <procsim/trace.h>

#include "base/assert.h"

/* What one drawing needs, fetched before anything is written. */
struct dot_state {
	struct ps_proc_info *procs;   /* Sorted by pid. */
	size_t nprocs;
	struct ps_pgrp_info *pgrps;   /* Sorted by pgid. */
	size_t npgrps;
	int32_t *sids;                /* Distinct sessions of the groups, sorted. */
	size_t nsids;
	int32_t *scratch;             /* Members of one group. */
	bool *placed;                 /* procs[i] is inside a cluster. */
};

static int
cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

static int
cmp_proc(const void *a, const void *b)
{
	return cmp_i32(&((const struct ps_proc_info *)a)->pid, &((const struct ps_proc_info *)b)->pid);
}

static int
cmp_pgrp(const void *a, const void *b)
{
	return cmp_i32(&((const struct ps_pgrp_info *)a)->pgid,
	               &((const struct ps_pgrp_info *)b)->pgid);
}

/* The index of pid in the sorted process table, or -1. */
static long
find_proc(const struct dot_state *st, int32_t pid)
{
	struct ps_proc_info key = { .pid = pid };
	const struct ps_proc_info *p;

	if (st->nprocs == 0)
		return -1;
	p = bsearch(&key, st->procs, st->nprocs, sizeof(*st->procs), cmp_proc);
	return p != NULL ? (long)(p - st->procs) : -1;
}

/* An id list from one of the list calls, in a new array. */
typedef int (*list_fn)(ps_sim_t *sim, int32_t *ids, size_t cap, size_t *count);

static int
fetch_ids(ps_sim_t *sim, list_fn fn, int32_t **out, size_t *count)
{
	size_t n = 0, again = 0;
	int32_t *ids;
	int rc;

	if ((rc = fn(sim, NULL, 0, &n)) != 0)
		return rc;
	/* One more than asked for, so that an empty list is still an array. */
	if ((ids = calloc(n + 1, sizeof(*ids))) == NULL)
		return PS_ENOMEM;
	if ((rc = fn(sim, ids, n, &again)) != 0) {
		free(ids);
		return rc;
	}
	/* Nothing runs between the two calls: the list cannot have changed. */
	PS_ASSERT(again == n);
	*out = ids;
	*count = n;
	return 0;
}

static int
dot_fetch(ps_sim_t *sim, struct dot_state *st)
{
	int32_t *ids;
	size_t n;
	int rc;

	if ((rc = fetch_ids(sim, ps_proc_list, &ids, &n)) != 0)
		return rc;
	st->procs = calloc(n + 1, sizeof(*st->procs));
	st->placed = calloc(n + 1, sizeof(*st->placed));
	st->scratch = calloc(n + 1, sizeof(*st->scratch));
	if (st->procs == NULL || st->placed == NULL || st->scratch == NULL) {
		free(ids);
		return PS_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (ps_proc_info(sim, ids[i], &st->procs[st->nprocs]) == 0)
			st->nprocs++;
	free(ids);
	qsort(st->procs, st->nprocs, sizeof(*st->procs), cmp_proc);

	if ((rc = fetch_ids(sim, ps_pgrp_list, &ids, &n)) != 0)
		return rc;
	st->pgrps = calloc(n + 1, sizeof(*st->pgrps));
	st->sids = calloc(n + 1, sizeof(*st->sids));
	if (st->pgrps == NULL || st->sids == NULL) {
		free(ids);
		return PS_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (ps_pgrp_info(sim, ids[i], &st->pgrps[st->npgrps]) == 0)
			st->npgrps++;
	free(ids);
	qsort(st->pgrps, st->npgrps, sizeof(*st->pgrps), cmp_pgrp);
	for (size_t i = 0; i < st->npgrps; i++)
		st->sids[i] = st->pgrps[i].sid;
	if (st->npgrps > 0)
		qsort(st->sids, st->npgrps, sizeof(*st->sids), cmp_i32);
	for (size_t i = 0; i < st->npgrps; i++)
		if (st->nsids == 0 || st->sids[st->nsids - 1] != st->sids[i])
			st->sids[st->nsids++] = st->sids[i];
	return 0;
}

static void
dot_free(struct dot_state *st)
{
	free(st->procs);
	free(st->pgrps);
	free(st->sids);
	free(st->scratch);
	free(st->placed);
}

/* A string inside a DOT double-quoted string. */
static void
dot_text(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fputc(' ', fp);
		else
			fputc(c, fp);
	}
}

/*
 * One process: "PID name\ncomm", where the name is the namer's or else
 * the one the program gave itself with `tag`.  Zombies dashed and gray,
 * processes stopped by a signal filled light red, traced ones diamonds in
 * bold; the others plain ellipses.
 */
static void
dot_node(FILE *fp, const struct ps_proc_info *pi, const char *indent, ps_trace_namer namer,
         void *arg)
{
	const char *name = namer != NULL ? namer(arg, pi->pid) : NULL;
	bool zombie = pi->state == PS_PRS_ZOMBIE;
	bool stopped = !zombie && (pi->flags & PS_P_STOPPED_SIG) != 0;
	bool traced = !zombie && (pi->flags & PS_P_TRACED) != 0;

	if (name == NULL || name[0] == '\0')
		name = pi->tag;
	fprintf(fp, "%sp%d [label=\"%d", indent, pi->pid, pi->pid);
	if (name[0] != '\0') {
		fputc(' ', fp);
		dot_text(fp, name);
	}
	fputs("\\n", fp);
	dot_text(fp, pi->comm);
	fprintf(fp, "\", shape=%s", traced ? "diamond" : "ellipse");
	if (zombie)
		fputs(", style=dashed, color=gray50, fontcolor=gray50", fp);
	else if (stopped && traced)
		fputs(", style=\"filled,bold\", fillcolor=\"#ffc8c8\"", fp);
	else if (stopped)
		fputs(", style=filled, fillcolor=\"#ffc8c8\"", fp);
	else if (traced)
		fputs(", style=bold", fp);
	fputs("];\n", fp);
}

/*
 * One group.  An orphaned group with a stopped member is the case job
 * control exists to catch (nobody is left to continue it), so it is drawn
 * in red; a plain orphaned group (every login shell's own) only says so
 * in its label.
 */
static void
dot_pgrp(ps_sim_t *sim, FILE *fp, struct dot_state *st, const struct ps_pgrp_info *gi,
         ps_trace_namer namer, void *arg)
{
	size_t n = 0;
	bool stopped = false;

	if (ps_pgrp_members(sim, gi->pgid, st->scratch, st->nprocs, &n) != 0)
		n = 0;
	if (n > st->nprocs)
		n = st->nprocs;
	qsort(st->scratch, n, sizeof(*st->scratch), cmp_i32);
	for (size_t i = 0; i < n; i++) {
		long k = find_proc(st, st->scratch[i]);

		if (k >= 0 && st->procs[k].state != PS_PRS_ZOMBIE &&
		    (st->procs[k].flags & PS_P_STOPPED_SIG) != 0)
			stopped = true;
	}
	fprintf(fp, "\t\tsubgraph cluster_g%d {\n", gi->pgid);
	fprintf(fp, "\t\t\tlabel=\"pgrp %d, pg_jobc %d%s%s\";\n", gi->pgid, gi->pg_jobc,
	        gi->orphaned ? ", orphaned" : "", gi->foreground ? ", foreground" : "");
	fprintf(fp, "\t\t\tstyle=%s;%s\n", gi->foreground ? "bold" : "solid",
	        gi->orphaned && stopped ? " color=red3; fontcolor=red3;" : "");
	for (size_t i = 0; i < n; i++) {
		long k = find_proc(st, st->scratch[i]);

		if (k < 0 || st->placed[k])
			continue;
		st->placed[k] = true;
		dot_node(fp, &st->procs[k], "\t\t\t", namer, arg);
	}
	fputs("\t\t}\n", fp);
}

static void
dot_session(ps_sim_t *sim, FILE *fp, struct dot_state *st, int32_t sid, ps_trace_namer namer,
            void *arg)
{
	struct ps_session_info si;

	fprintf(fp, "\tsubgraph cluster_s%d {\n", sid);
	if (ps_session_info(sim, sid, &si) == 0) {
		fprintf(fp, "\t\tlabel=\"session %d, ", sid);
		/* Leader 0 is swapper in its own session 0, else a leader gone. */
		if (si.leader != 0 || sid == 0)
			fprintf(fp, "leader %d, ", si.leader);
		else
			fputs("leader gone, ", fp);
		if (si.tty >= 0)
			fprintf(fp, "tty %d\";\n", si.tty);
		else
			fputs("no tty\";\n", fp);
	} else {
		fprintf(fp, "\t\tlabel=\"session %d\";\n", sid);
	}
	fputs("\t\tstyle=rounded;\n", fp);
	for (size_t i = 0; i < st->npgrps; i++)
		if (st->pgrps[i].sid == sid)
			dot_pgrp(sim, fp, st, &st->pgrps[i], namer, arg);
	fputs("\t}\n", fp);
}

static void
dot_edges(FILE *fp, const struct dot_state *st)
{
	for (size_t i = 0; i < st->nprocs; i++) {
		const struct ps_proc_info *pi = &st->procs[i];

		if (pi->ppid != pi->pid && find_proc(st, pi->ppid) >= 0)
			fprintf(fp, "\tp%d -> p%d;\n", pi->ppid, pi->pid);
		if ((pi->flags & PS_P_TRACED) != 0 && pi->pptr != pi->pid &&
		    find_proc(st, pi->pptr) >= 0)
			fprintf(fp, "\tp%d -> p%d [style=dotted, label=\"traces\"];\n", pi->pptr,
			        pi->pid);
	}
}

int
ps_trace_dot(ps_sim_t *sim, FILE *fp, ps_trace_namer namer, void *arg)
{
	struct dot_state st;
	int rc;

	if (sim == NULL || fp == NULL)
		return PS_EINVAL;
	memset(&st, 0, sizeof(st));
	if ((rc = dot_fetch(sim, &st)) != 0) {
		dot_free(&st);
		return rc;
	}
	fputs("digraph procsim {\n", fp);
	fputs("\tgraph [fontname=\"Helvetica\", fontsize=10];\n", fp);
	fputs("\tnode [fontname=\"Helvetica\", fontsize=10];\n", fp);
	fputs("\tedge [fontname=\"Helvetica\", fontsize=9];\n", fp);
	for (size_t i = 0; i < st.nsids; i++)
		dot_session(sim, fp, &st, st.sids[i], namer, arg);
	for (size_t i = 0; i < st.nprocs; i++)
		if (!st.placed[i])
			dot_node(fp, &st.procs[i], "\t", namer, arg);
	dot_edges(fp, &st);
	fputs("}\n", fp);
	dot_free(&st);
	/* Flushed, so that a full device is reported here and not later. */
	if (fflush(fp) != 0 || ferror(fp))
		return PS_EIO;
	return 0;
}
