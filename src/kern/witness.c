/*
 * Witness: the lock-order checker, in the manner of FreeBSD's
 * subr_witness.c.  The order between lock classes is a relation kept as its
 * transitive closure in a small matrix.  It starts from the orders the seeds
 * establish (spec-kern_proc.md §5.3) and grows with every acquisition that
 * nests a class under another for the first time.  Taking class B while
 * holding class A when B is known to come before A is a reversal: the
 * acquisition still happens (the simulated kernel cannot deadlock, there is
 * one context), but it is counted, reported as a PS_EV_LOCK_REVERSAL event
 * and flagged so that a strict simulator fails the operation.
 *
 * Nesting two locks of one class is allowed only for the classes the kernel
 * creates DUPOK: process groups (the new group before the old one in
 * doenterpgrp) and processes (a child before its parent in signal delivery).
 */
#include <stdio.h>
#include <string.h>

#include "base/assert.h"
#include "kern/kern.h"
#include "kern/lock.h"

/* The seed orders: each pair is "first before second". */
static const uint8_t witness_seed_order[][2] = {
	{LC_PROCTREE, LC_ALLPROC},
	{LC_ALLPROC, LC_PROC},
	{LC_PROCTREE, LC_TTY},
	{LC_TTY, LC_PGRP},
	{LC_PROCTREE, LC_PGRP},
	{LC_PGRP, LC_PROC},
	{LC_PROC, LC_SESS},
	{LC_PROC, LC_SIGACTS},
	{LC_PROC, LC_PROC_SLOCK},
	{LC_PROC_SLOCK, LC_THREAD},
	{LC_PROC, LC_THREAD},
	{LC_PPEERS, LC_PROC},
};

static bool
class_dupok(enum lock_class cls)
{
	return cls == LC_PGRP || cls == LC_PROC;
}

static void
witness_close(struct witness *w)
{
	for (int m = 0; m < LC_COUNT; m++)
		for (int a = 0; a < LC_COUNT; a++)
			if (w->order[a][m])
				for (int b = 0; b < LC_COUNT; b++)
					if (w->order[m][b])
						w->order[a][b] = 1;
}

void
witness_init(struct witness *w)
{
	memset(w, 0, sizeof(*w));
	for (size_t i = 0; i < sizeof(witness_seed_order) / sizeof(witness_seed_order[0]); i++)
		w->order[witness_seed_order[i][0]][witness_seed_order[i][1]] = 1;
	witness_close(w);
	for (int a = 0; a < LC_COUNT; a++)
		PS_ASSERT_MSG(w->order[a][a] == 0, "witness seed table has a cycle through %s",
		              lock_class_name((enum lock_class)a));
}

bool
witness_knows_order(const struct witness *w, enum lock_class a, enum lock_class b)
{
	PS_ASSERT((unsigned)a < LC_COUNT);
	PS_ASSERT((unsigned)b < LC_COUNT);
	return w->order[a][b] != 0;
}

static void
witness_report(struct kernel *k, enum lock_class held, enum lock_class taken)
{
	struct witness *w = &k->witness;

	w->reversals++;
	w->error = 1;
	k->stats.lock_reversals++;
	snprintf(w->last, sizeof(w->last), "%s -> %s", lock_class_name(held),
	         lock_class_name(taken));
	kevent_emit(k, PS_EV_LOCK_REVERSAL, NULL, 0, 0, (int32_t)w->reversals, w->last);
}

void
witness_check(struct kernel *k, const struct lock_object *lo)
{
	struct witness *w = &k->witness;
	enum lock_class cls = (enum lock_class)lo->lo_class;
	bool learned = false;

	PS_ASSERT((unsigned)cls < LC_COUNT);
	for (uint32_t i = 0; i < k->nheld; i++) {
		enum lock_class hc = (enum lock_class)k->held[i].hl_lock->lo_class;

		if (hc == cls) {
			if (!class_dupok(cls))
				witness_report(k, hc, cls);
			continue;
		}
		if (w->order[cls][hc]) {
			/* cls must come before hc, yet hc is held. */
			witness_report(k, hc, cls);
			continue;
		}
		if (!w->order[hc][cls]) {
			w->order[hc][cls] = 1;
			learned = true;
		}
	}
	if (learned)
		witness_close(w);
}
