/*
 * Modelled kernel locks and the lock-order checker (witness).
 *
 * The simulator runs one kernel context at a time, so a lock is never
 * contended; what is modelled is the discipline.  Every lock belongs to a
 * class.  Acquiring a lock records it on the kernel's held-lock stack and
 * asks the witness whether taking this class while holding the others
 * respects the order it knows.  The order is seeded from the table in
 * witness.c (spec-kern_proc.md §5.3, FreeBSD's order_lists[]) and learned
 * from every acquisition after that; taking a class that is known to come
 * *before* one already held is a reversal, reported as an event and, in
 * strict mode, as an error of the operation.
 *
 * Assertions mirror the seeds' mtx_assert/sx_assert: MA_OWNED and
 * MA_NOTOWNED for mutexes, SA_XLOCKED, SA_SLOCKED, SA_LOCKED and SA_UNLOCKED
 * for sx locks.  With a single context "owned" means "held".
 */
#ifndef PS_KERN_LOCK_H
#define PS_KERN_LOCK_H

#include <stdbool.h>
#include <stdint.h>

struct kernel;

/* Lock classes, in the global order of spec-kern_proc.md §5.3 where one
 * exists.  Order between classes is checked by witness.c. */
enum lock_class {
	LC_PROCTREE = 0, /* sx proctree_lock */
	LC_ALLPROC,      /* sx allproc_lock */
	LC_PPEERS,       /* mtx ppeers_lock */
	LC_TTY,          /* mtx tty lock */
	LC_PGRP,         /* mtx pg_mtx, DUPOK (new before old in doenterpgrp) */
	LC_PROC,         /* mtx p_mtx, DUPOK (child before parent in signals) */
	LC_SESS,         /* mtx s_mtx */
	LC_SIGACTS,      /* mtx ps_mtx */
	LC_PROC_SLOCK,   /* spin p_slock */
	LC_THREAD,       /* spin thread lock */
	LC_COUNT
};

struct lock_object {
	uint8_t lo_class;   /* enum lock_class */
	uint8_t lo_xlocked; /* Held exclusively. */
	uint16_t lo_shared; /* Shared holds (sx only). */
};

/* Assertion kinds. */
#define MA_OWNED 0x01
#define MA_NOTOWNED 0x02
#define SA_XLOCKED 0x04
#define SA_SLOCKED 0x08
#define SA_LOCKED 0x10
#define SA_UNLOCKED 0x20

/* The most locks one context may hold at once. */
#define LOCK_HELD_MAX 32

void lock_init(struct lock_object *lo, enum lock_class cls);
void lock_destroy(struct kernel *k, struct lock_object *lo);

void mtx_lock(struct kernel *k, struct lock_object *lo);
void mtx_unlock(struct kernel *k, struct lock_object *lo);
void sx_xlock(struct kernel *k, struct lock_object *lo);
void sx_slock(struct kernel *k, struct lock_object *lo);
void sx_xunlock(struct kernel *k, struct lock_object *lo);
void sx_sunlock(struct kernel *k, struct lock_object *lo);
/* Release a shared or exclusive sx hold, whichever this context has. */
void sx_unlock(struct kernel *k, struct lock_object *lo);

bool lock_owned(const struct lock_object *lo);
void lock_assert_(const struct lock_object *lo, int what, const char *file, int line);
#define mtx_assert(lo, what) lock_assert_((lo), (what), __FILE__, __LINE__)
#define sx_assert(lo, what) lock_assert_((lo), (what), __FILE__, __LINE__)

const char *lock_class_name(enum lock_class cls);

/* Witness (witness.c). */
struct witness {
	/* order[a][b]: class a is known to come before class b (closure). */
	uint8_t order[LC_COUNT][LC_COUNT];
	uint64_t reversals;
	uint8_t error;       /* A reversal happened during this operation. */
	char last[96];       /* "process lock -> process group" of the last one. */
};

void witness_init(struct witness *w);
/* Called before a lock of class cls is taken; checks it against the held
 * stack, learns new orders, reports reversals. */
void witness_check(struct kernel *k, const struct lock_object *lo);
/* Order of classes a before b, or reversal of them, for tests. */
bool witness_knows_order(const struct witness *w, enum lock_class a, enum lock_class b);

#endif /* PS_KERN_LOCK_H */
