/*
 * Modelled locks: acquisition, release and assertions (see lock.h).
 * Misuse (taking a held mutex again, releasing a lock not held, holding
 * more than LOCK_HELD_MAX) is a programmer error and asserts.
 */
#include "kern/lock.h"

#include "base/assert.h"
#include "kern/kern.h"

static const char *const lock_class_names[LC_COUNT] = {
	[LC_PROCTREE] = "proctree",
	[LC_ALLPROC] = "allproc",
	[LC_PPEERS] = "ppeers",
	[LC_TTY] = "tty",
	[LC_PGRP] = "process group",
	[LC_PROC] = "process lock",
	[LC_SESS] = "session",
	[LC_SIGACTS] = "sigacts",
	[LC_PROC_SLOCK] = "process slock",
	[LC_THREAD] = "thread lock",
};

const char *
lock_class_name(enum lock_class cls)
{
	PS_ASSERT((unsigned)cls < LC_COUNT);
	return lock_class_names[cls];
}

void
lock_init(struct lock_object *lo, enum lock_class cls)
{
	PS_ASSERT((unsigned)cls < LC_COUNT);
	lo->lo_class = (uint8_t)cls;
	lo->lo_xlocked = 0;
	lo->lo_shared = 0;
}

void
lock_destroy(struct kernel *k, struct lock_object *lo)
{
	(void)k;
	PS_ASSERT_MSG(lo->lo_xlocked == 0, "destroying a held %s lock",
	              lock_class_name(lo->lo_class));
	PS_ASSERT_MSG(lo->lo_shared == 0, "destroying a share-held %s lock",
	              lock_class_name(lo->lo_class));
}

bool
lock_owned(const struct lock_object *lo)
{
	return lo->lo_xlocked != 0;
}

static void
held_push(struct kernel *k, struct lock_object *lo, bool shared)
{
	PS_ASSERT_MSG(k->nheld < LOCK_HELD_MAX, "more than %d locks held", LOCK_HELD_MAX);
	k->held[k->nheld].hl_lock = lo;
	k->held[k->nheld].hl_shared = shared;
	k->nheld++;
	k->stats.lock_acquisitions++;
}

static void
held_pop(struct kernel *k, struct lock_object *lo, bool shared)
{
	/* Locks need not be released in reverse order; find the newest hold. */
	for (uint32_t i = k->nheld; i-- > 0;) {
		if (k->held[i].hl_lock == lo && k->held[i].hl_shared == shared) {
			for (uint32_t j = i; j + 1 < k->nheld; j++)
				k->held[j] = k->held[j + 1];
			k->nheld--;
			return;
		}
	}
	PS_PANIC("releasing a %s lock that is not held", lock_class_name(lo->lo_class));
}

void
mtx_lock(struct kernel *k, struct lock_object *lo)
{
	PS_ASSERT_MSG(lo->lo_xlocked == 0, "recursing on non-recursive %s mutex",
	              lock_class_name(lo->lo_class));
	witness_check(k, lo);
	lo->lo_xlocked = 1;
	held_push(k, lo, false);
	/* Whatever the lock protects may change now: the incremental checker
	 * looks at the object after the operation. */
	CHK_TOUCH(k, chk_touch_lock, lo);
}

void
mtx_unlock(struct kernel *k, struct lock_object *lo)
{
	PS_ASSERT_MSG(lo->lo_xlocked == 1, "unlocking an unowned %s mutex",
	              lock_class_name(lo->lo_class));
	lo->lo_xlocked = 0;
	held_pop(k, lo, false);
}

void
sx_xlock(struct kernel *k, struct lock_object *lo)
{
	PS_ASSERT_MSG(lo->lo_xlocked == 0, "sx %s already exclusively held",
	              lock_class_name(lo->lo_class));
	PS_ASSERT_MSG(lo->lo_shared == 0, "sx %s upgrade by xlock while share-held",
	              lock_class_name(lo->lo_class));
	witness_check(k, lo);
	lo->lo_xlocked = 1;
	held_push(k, lo, false);
}

void
sx_slock(struct kernel *k, struct lock_object *lo)
{
	PS_ASSERT_MSG(lo->lo_xlocked == 0, "sx %s share-locked while exclusively held",
	              lock_class_name(lo->lo_class));
	witness_check(k, lo);
	lo->lo_shared++;
	held_push(k, lo, true);
}

void
sx_xunlock(struct kernel *k, struct lock_object *lo)
{
	PS_ASSERT_MSG(lo->lo_xlocked == 1, "sx %s not exclusively held",
	              lock_class_name(lo->lo_class));
	lo->lo_xlocked = 0;
	held_pop(k, lo, false);
}

void
sx_sunlock(struct kernel *k, struct lock_object *lo)
{
	PS_ASSERT_MSG(lo->lo_shared > 0, "sx %s not share-held", lock_class_name(lo->lo_class));
	lo->lo_shared--;
	held_pop(k, lo, true);
}

void
sx_unlock(struct kernel *k, struct lock_object *lo)
{
	if (lo->lo_xlocked)
		sx_xunlock(k, lo);
	else
		sx_sunlock(k, lo);
}

void
lock_assert_(const struct lock_object *lo, int what, const char *file, int line)
{
	bool ok;

	switch (what) {
	case MA_OWNED:
	case SA_XLOCKED:
		ok = lo->lo_xlocked != 0;
		break;
	case MA_NOTOWNED:
		ok = lo->lo_xlocked == 0;
		break;
	case SA_SLOCKED:
		ok = lo->lo_shared > 0;
		break;
	case SA_LOCKED:
		ok = lo->lo_xlocked != 0 || lo->lo_shared > 0;
		break;
	case SA_UNLOCKED:
		ok = lo->lo_xlocked == 0 && lo->lo_shared == 0;
		break;
	default:
		ok = false;
		break;
	}
	if (!ok)
		ps__assert_fail(file, line, "lock assertion", "%s lock: wanted %#x, have x=%d s=%d",
		                lock_class_name(lo->lo_class), what, lo->lo_xlocked, lo->lo_shared);
}
