/*
 * kinfo_proc export: the ps(1) view of the process table, as the
 * kern.proc.<selector> sysctl builds it (spec-kern_proc.md §6).
 *
 * One record is built in two passes.  The process pass zeroes the record
 * and copies what the whole process shares: ids, credentials, flags, the
 * group, the session and the controlling terminal, the real parent and the
 * debugger.  The thread pass adds what belongs to one thread: its state,
 * wait channel and message, its id.  A per-process record (KERN_PROC_PROC,
 * or any selector but ALL without INC_THREAD) takes its thread part from
 * the first thread only; a per-thread record is redone for every thread on
 * the same buffer, so the process part carries over and the thread part
 * (and the thread's own pending signals) replaces the previous thread's.
 *
 * The output buffer behaves like the sysctl old buffer: records are
 * appended while they fit, the first record that does not fit ends the call
 * with ENOMEM, and a size probe (no buffer) only counts, plus five records
 * of slack.  Each emitted process is looked up again afterwards, as the
 * kernel does; for a zombie asked for by pid that second lookup fails
 * (pfind never finds zombies), which is why kern.proc.pid.<zombie> gives
 * ESRCH in this FreeBSD revision (§6.4).
 *
 * Not modelled: %cpu, priorities, times, rusage, memory sizes, jails,
 * login classes and the 32-bit layout.  Locks: proctree_lock shared, then
 * allproc_lock shared for a listing; each process under its PROC_LOCK, its
 * session fields under SESS_LOCK; nothing is held on return.
 */
#include <stdlib.h>
#include <string.h>

#include <procsim/kinfo.h>

#include "base/assert.h"
#include "kern/kern.h"

/* kern_proc_out flag: one record per process instead of one per thread. */
#define KINFO_NOTHREADS 0x01

/* ps(1)'s state letters, and the length its STAT column can reach. */
_Static_assert(sizeof(((struct ps_kinfo_proc *)0)->ki_state) >= 8,
               "ki_state holds a letter, six modifiers and a NUL");

/*
 * Where records go: the caller's buffer, or nowhere when it is a size
 * probe (ks_buf NULL), which only counts.
 */
struct kinfo_sink {
	struct ps_kinfo_proc *ks_buf; /* NULL: count only. */
	size_t ks_cap;                /* Records ks_buf can take. */
	size_t ks_len;                /* Records appended (or counted). */
};

static int
sink_append(struct kinfo_sink *ks, const struct ps_kinfo_proc *ki)
{
	if (ks->ks_buf != NULL) {
		if (ks->ks_len >= ks->ks_cap)
			return PS_ENOMEM;
		ks->ks_buf[ks->ks_len] = *ki;
	}
	ks->ks_len++;
	return 0;
}

/* Bounded copy that always terminates dst (strlcpy). */
static void
kinfo_strcpy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * ps(1)'s STAT column from a finished record (spec §6.6): the state
 * letter, then the modifiers in ps's order.  Sleeps are not split into
 * I (idle for 20 s) and D (uninterruptible): the model keeps no sleep time
 * and no interruptibility, so every sleep reads S.  Nice, vfork, capability
 * mode and jails are not modelled, so <, N, V, C and J never appear.
 */
static void
kinfo_state(struct ps_kinfo_proc *ki)
{
	char *cp = ki->ki_state;

	switch (ki->ki_stat) {
	case PS_SSTOP:
		*cp++ = 'T';
		break;
	case PS_SSLEEP:
		*cp++ = 'S';
		break;
	case PS_SRUN:
	case PS_SIDL:
		*cp++ = 'R';
		break;
	case PS_SWAIT:
		*cp++ = 'W';
		break;
	case PS_SLOCK:
		*cp++ = 'L';
		break;
	case PS_SZOMB:
		*cp++ = 'Z';
		break;
	default:
		*cp++ = '?';
		break;
	}
	if ((ki->ki_flag & P_INMEM) == 0)
		*cp++ = 'W';
	if ((ki->ki_flag & P_TRACED) != 0)
		*cp++ = 'X';
	if ((ki->ki_flag & P_WEXIT) != 0 && ki->ki_stat != PS_SZOMB)
		*cp++ = 'E';
	if ((ki->ki_flag & P_SYSTEM) != 0 || ki->ki_lock > 0)
		*cp++ = 'L';
	if ((ki->ki_kiflag & PS_KI_SLEADER) != 0)
		*cp++ = 's';
	if ((ki->ki_flag & P_CONTROLT) != 0 && ki->ki_pgid == ki->ki_tpgid)
		*cp++ = '+';
	PS_ASSERT(cp < ki->ki_state + sizeof(ki->ki_state));
	*cp = '\0';
}

/*
 * The process part of a record (spec §6.1).  The record is cleared first,
 * so a field with no source here is 0.  proctree_lock keeps the real
 * parent stable; p is locked.
 */
static void
fill_kinfo_proc_only(struct kernel *k, struct proc *p, struct ps_kinfo_proc *ki)
{
	struct session *sp;
	struct tty *tp;

	sx_assert(&k->proctree_lock, SA_LOCKED);
	PROC_LOCK_ASSERT(p, MA_OWNED);
	memset(ki, 0, sizeof(*ki));

	ki->ki_structsize = (int32_t)sizeof(*ki);
	ki->ki_flag = p->p_flag;
	ki->ki_uid = p->p_ucred.cr_uid;
	ki->ki_ruid = p->p_ucred.cr_ruid;
	ki->ki_svuid = p->p_ucred.cr_svuid;
	ki->ki_gid = p->p_ucred.cr_gid;
	ki->ki_rgid = p->p_ucred.cr_rgid;
	ki->ki_svgid = p->p_ucred.cr_svgid;
	if (p->p_state == PRS_ZOMBIE)
		ki->ki_stat = PS_SZOMB;
	ki->ki_pid = p->p_pid;

	/* Group, session and terminal.  Without a ctty tpgid and tsid stay 0. */
	tp = NULL;
	if (p->p_pgrp != NULL) {
		ki->ki_pgid = p->p_pgrp->pg_id;
		ki->ki_jobc = p->p_pgrp->pg_jobc;
		sp = p->p_pgrp->pg_session;
		if (sp != NULL) {
			ki->ki_sid = sp->s_sid;
			SESS_LOCK(sp);
			/* The vnode reference, not P_CONTROLT: gone for the whole
			 * session once its leader has exited. */
			if (sp->s_ttyvp != NULL)
				ki->ki_kiflag |= PS_KI_CTTY;
			if (sp->s_leader == p)
				ki->ki_kiflag |= PS_KI_SLEADER;
			tp = sp->s_ttyp;
			SESS_UNLOCK(sp);
		}
	}
	if ((p->p_flag & P_CONTROLT) != 0 && tp != NULL) {
		ki->ki_tdev = tp->t_dev;
		ki->ki_tpgid = tp->t_pgrp != NULL ? tp->t_pgrp->pg_id : k->no_pid;
		if (tp->t_session != NULL)
			ki->ki_tsid = tp->t_session->s_sid;
	} else {
		ki->ki_tdev = PS_NODEV;
	}

	if (p->p_comm[0] != '\0')
		kinfo_strcpy(ki->ki_comm, sizeof(ki->ki_comm), p->p_comm);
	ki->ki_siglist = p->p_siglist;
	/* p_xstat also holds the last stop signal; only a zombie's is its
	 * wait status. */
	if (p->p_state == PRS_ZOMBIE)
		ki->ki_xstat = p->p_xstat;
	ki->ki_lock = p->p_lock;

	/* The real parent, never the debugger; the debugger goes apart. */
	if (p->p_pptr != NULL) {
		ki->ki_ppid = proc_realparent(k, p)->p_pid;
		if ((p->p_flag & P_TRACED) != 0)
			ki->ki_tracer = p->p_pptr->p_pid;
	}
}

/*
 * The thread part of a record (spec §6.2).  With perthread the record is
 * one of a per-thread listing and takes the thread's own pending signals;
 * signals in this model are all sent to the process, so that set is empty.
 * The state checks the thread's runnability before the process's stop
 * flags, as the kernel does.  p is locked.
 */
static void
fill_kinfo_thread(struct thread *td, struct ps_kinfo_proc *ki, bool perthread)
{
	struct proc *p = td->td_proc;

	PROC_LOCK_ASSERT(p, MA_OWNED);
	if (td->td_wmesg != NULL)
		kinfo_strcpy(ki->ki_wmesg, sizeof(ki->ki_wmesg), td->td_wmesg);
	else
		memset(ki->ki_wmesg, 0, sizeof(ki->ki_wmesg));

	if (p->p_state == PRS_NORMAL) {
		if (td->td_state == TDS_CAN_RUN || td->td_state == TDS_RUNQ ||
		    td->td_state == TDS_RUNNING)
			ki->ki_stat = PS_SRUN;
		else if (P_SHOULDSTOP(p) != 0)
			ki->ki_stat = PS_SSTOP;
		else if (td->td_state == TDS_INHIBITED && td->td_wchan != 0)
			ki->ki_stat = PS_SSLEEP;
		else
			ki->ki_stat = PS_SWAIT; /* Blocking on a lock is not modelled. */
	} else if (p->p_state == PRS_ZOMBIE) {
		ki->ki_stat = PS_SZOMB;
	} else {
		ki->ki_stat = PS_SIDL;
	}

	ki->ki_wchan = td->td_wchan;
	ki->ki_tid = td->td_tid;
	ki->ki_numthreads = p->p_numthreads;
	if (perthread)
		ki->ki_siglist = 0;
	kinfo_state(ki);
}

/* A process-mode record: the process, then its first thread. */
static void
fill_kinfo_proc(struct kernel *k, struct proc *p, struct ps_kinfo_proc *ki)
{
	KASSERT(p->p_threads != NULL, "fill_kinfo_proc: process without threads");
	fill_kinfo_proc_only(k, p, ki);
	fill_kinfo_thread(p->p_threads, ki, false);
}

/*
 * Append p's record, or one record per thread, to ks.  Stops at the first
 * record that does not fit (ENOMEM).  Entered with p locked; always
 * returns with p unlocked.
 */
static int
kern_proc_out(struct kernel *k, struct proc *p, struct kinfo_sink *ks, int flags)
{
	struct ps_kinfo_proc ki;
	struct thread *td;
	int error = 0;

	PROC_LOCK_ASSERT(p, MA_OWNED);
	fill_kinfo_proc(k, p, &ki);
	if ((flags & KINFO_NOTHREADS) != 0) {
		error = sink_append(ks, &ki);
	} else {
		for (td = p->p_threads; td != NULL; td = td->td_plist) {
			fill_kinfo_thread(td, &ki, true);
			if ((error = sink_append(ks, &ki)) != 0)
				break;
		}
	}
	PROC_UNLOCK(p);
	return error;
}

/*
 * Emit p, then make sure the pid still names p: on the zombie list when
 * the caller is walking zombies, else with pfind (pid 0 is not checked).
 * allproc_held says whether the caller's scan holds allproc_lock, so that
 * the lookup runs under that hold rather than taking the lock again.
 * Entered with p locked; returns with it unlocked.
 */
static int
sysctl_out_proc(struct kernel *k, struct proc *p, struct kinfo_sink *ks, int flags, bool doingzomb,
                bool allproc_held)
{
	struct proc *np;
	pid_t_ pid = p->p_pid;
	int error;

	if ((error = kern_proc_out(k, p, ks, flags)) != 0)
		return error;
	if (!doingzomb && pid == 0)
		return 0;
	if (allproc_held)
		np = doingzomb ? zpfind_locked(k, pid) : pfind_locked(k, pid);
	else
		np = doingzomb ? zpfind(k, pid) : pfind(k, pid);
	if (np == NULL)
		return PS_ESRCH;
	PROC_UNLOCK(np);
	return np == p ? 0 : PS_ESRCH;
}

/* Is selector (INC_THREAD included) one kinfo knows? */
static bool
kinfo_selector_ok(int selector)
{
	if ((selector & ~(PS_KERN_PROC_INC_THREAD | 0x0f)) != 0)
		return false;
	switch (selector & ~PS_KERN_PROC_INC_THREAD) {
	case PS_KERN_PROC_ALL:
	case PS_KERN_PROC_PID:
	case PS_KERN_PROC_PGRP:
	case PS_KERN_PROC_SESSION:
	case PS_KERN_PROC_TTY:
	case PS_KERN_PROC_UID:
	case PS_KERN_PROC_RUID:
	case PS_KERN_PROC_PROC:
		return true;
	default:
		return false;
	}
}

/* The name length each selector takes (spec §6.5 steps 2 and 3). */
static bool
kinfo_nargs_ok(int selector, uint32_t nargs)
{
	switch (selector & ~PS_KERN_PROC_INC_THREAD) {
	case PS_KERN_PROC_ALL:
		return nargs == 0;
	case PS_KERN_PROC_PROC:
		return nargs <= 1;
	default:
		return nargs == 1;
	}
}

/* Does p pass the selector's filter?  p is locked. */
static bool
kinfo_matches(struct kernel *k, struct proc *p, int oid, int32_t arg)
{
	struct session *sp;
	bool match;

	PROC_LOCK_ASSERT(p, MA_OWNED);
	switch (oid) {
	case PS_KERN_PROC_PGRP:
		return p->p_pgrp != NULL && p->p_pgrp->pg_id == arg;
	case PS_KERN_PROC_SESSION:
		return p->p_pgrp != NULL && p->p_session != NULL && p->p_session->s_sid == arg;
	case PS_KERN_PROC_TTY:
		/* The process's own P_CONTROLT, then its session's terminal. */
		if ((p->p_flag & P_CONTROLT) == 0 || p->p_pgrp == NULL || p->p_session == NULL)
			return false;
		sp = p->p_session;
		SESS_LOCK(sp);
		match = sp->s_ttyp != NULL && sp->s_ttyp->t_dev == arg;
		SESS_UNLOCK(sp);
		return match;
	case PS_KERN_PROC_UID:
		return p->p_ucred.cr_uid == arg;
	case PS_KERN_PROC_RUID:
		return p->p_ucred.cr_ruid == arg;
	default:
		return true; /* ALL, PROC. */
	}
}

/* Copy what a staging sink holds into ks. */
static int
sink_copy(struct kinfo_sink *ks, const struct kinfo_sink *stage)
{
	int error = 0;

	for (size_t i = 0; i < stage->ks_len && error == 0; i++)
		error = sink_append(ks, &stage->ks_buf[i]);
	return error;
}

/*
 * KERN_PROC_PID (spec §6.5 step 2): pget with PGET_CANSEE, whose error
 * passes through (so an unseen process is an error here, not a silence).
 *
 * The zombie quirk: the kernel copies the record out before its second
 * lookup fails, but sysctl(2) reports no length with an error other than
 * ENOMEM, so the caller learns nothing.  Here the records are built in a
 * staging buffer and reach the caller only when the call succeeds or
 * fails with ENOMEM; after ESRCH the caller's buffer is untouched and
 * *count is 0.
 */
static int
kinfo_pid(struct kernel *k, pid_t_ pid, int flags, struct kinfo_sink *ks)
{
	struct ps_kinfo_proc one;
	struct kinfo_sink stage;
	struct proc *p;
	size_t want;
	int error;

	sx_slock(k, &k->proctree_lock);
	error = pget(k, pid, PS_PGET_CANSEE, &p);
	if (error != 0) {
		sx_sunlock(k, &k->proctree_lock);
		return error;
	}
	stage = *ks;
	if (ks->ks_buf != NULL) {
		want = (flags & KINFO_NOTHREADS) != 0 ? 1 : (size_t)p->p_numthreads;
		stage.ks_cap = want < ks->ks_cap ? want : ks->ks_cap;
		stage.ks_len = 0;
		stage.ks_buf = stage.ks_cap > 1 ? calloc(stage.ks_cap, sizeof(one)) : &one;
		if (stage.ks_buf == NULL) {
			PROC_UNLOCK(p);
			sx_sunlock(k, &k->proctree_lock);
			return PS_ENOMEM;
		}
	}
	error = sysctl_out_proc(k, p, &stage, flags, false, false);
	sx_sunlock(k, &k->proctree_lock);
	if (ks->ks_buf == NULL) {
		if (error == 0)
			ks->ks_len = stage.ks_len;
		return error;
	}
	if (error == 0 || error == PS_ENOMEM) {
		if (sink_copy(ks, &stage) != 0)
			PS_PANIC("kinfo_pid: staged more records than the buffer holds");
	}
	if (stage.ks_buf != &one)
		free(stage.ks_buf);
	return error;
}

/*
 * kern.proc.<selector> as process cur sees it (the sysctl handler,
 * spec §6.5).  selector is a PS_KERN_PROC_* value, optionally with
 * PS_KERN_PROC_INC_THREAD; args/nargs are the name elements after it.
 * buf NULL is a size probe: *count receives the matching records plus
 * PS_KINFO_PROBE_SLACK (none for PID).  Otherwise *count is buf's capacity
 * on entry and the records written on return; when they do not all fit,
 * those that do are written and the result is PS_ENOMEM.  On any other
 * error *count is 0 and buf is left as it was.  cur must be k->curproc;
 * no lock may be held on entry, and none is held on return.
 */
int
kern_kinfo_proc(struct kernel *k, struct proc *cur, int selector, const int32_t *args,
                uint32_t nargs, struct ps_kinfo_proc *buf, size_t *count)
{
	struct kinfo_sink ks;
	struct proc *p;
	int doingzomb, error, flags, oid;
	int32_t arg;

	PS_ASSERT(cur != NULL && cur == k->curproc);
	PS_ASSERT(count != NULL);
	ks.ks_buf = buf;
	ks.ks_cap = buf != NULL ? *count : 0;
	ks.ks_len = 0;
	*count = 0;
	if (!kinfo_selector_ok(selector) || (nargs > 0 && args == NULL))
		return PS_EINVAL;

	/* ALL is per-thread; the others are per-process unless INC_THREAD. */
	oid = selector;
	if (oid != PS_KERN_PROC_ALL && (oid & PS_KERN_PROC_INC_THREAD) == 0) {
		flags = KINFO_NOTHREADS;
	} else {
		flags = 0;
		oid &= ~PS_KERN_PROC_INC_THREAD;
	}

	if (oid == PS_KERN_PROC_PID) {
		if (!kinfo_nargs_ok(oid, nargs))
			return PS_EINVAL;
		error = kinfo_pid(k, args[0], flags, &ks);
		if (error == 0 || error == PS_ENOMEM)
			*count = ks.ks_len;
		return error;
	}
	if (!kinfo_nargs_ok(oid, nargs))
		return PS_EINVAL;
	arg = nargs > 0 ? args[0] : 0;

	sx_slock(k, &k->proctree_lock);
	sx_slock(k, &k->allproc_lock);
	error = 0;
	for (doingzomb = 0; doingzomb < 2 && error == 0; doingzomb++) {
		p = doingzomb ? LIST_FIRST(&k->zombproc) : LIST_FIRST(&k->allproc);
		for (; p != NULL && error == 0; p = LIST_NEXT(p, p_list)) {
			PROC_LOCK(p);
			/* Embryos, and what cur may not see, are passed over
			 * without a word. */
			if (p->p_state == PRS_NEW || p_cansee(k, cur, p) != 0 ||
			    !kinfo_matches(k, p, oid, arg)) {
				PROC_UNLOCK(p);
				continue;
			}
			error = sysctl_out_proc(k, p, &ks, flags, doingzomb != 0, true);
		}
	}
	sx_sunlock(k, &k->allproc_lock);
	sx_sunlock(k, &k->proctree_lock);

	if (error == 0 || error == PS_ENOMEM)
		*count = ks.ks_len;
	if (error == 0 && buf == NULL)
		*count += PS_KINFO_PROBE_SLACK;
	return error;
}

/*
 * Public entry point (kinfo.h): validate, name the caller curproc, run
 * kern_kinfo_proc.  A read-only query: no signals to deliver, nothing to
 * reap, so the invariant checker does not run.
 */
int
ps_kinfo_proc(ps_sim_t *sim, int32_t caller, int selector, const int32_t *args, uint32_t nargs,
              struct ps_kinfo_proc *buf, size_t *count)
{
	struct kernel *k;
	struct proc *cur;
	int error;

	if (sim == NULL || count == NULL)
		return PS_EINVAL;
	if (!kinfo_selector_ok(selector) || !kinfo_nargs_ok(selector, nargs) ||
	    (nargs > 0 && args == NULL)) {
		*count = 0;
		return PS_EINVAL;
	}
	k = &sim->k;
	PS_ASSERT(k->nheld == 0);
	cur = NULL;
	if (caller >= 0 && caller < k->k_cfg.pid_max)
		cur = pfind_any_nolock(k, caller);
	if (cur == NULL || cur->p_state != PRS_NORMAL || (cur->p_flag & P_WEXIT) != 0) {
		*count = 0;
		return PS_ESRCH;
	}
	k->curproc = cur;
	k->witness.error = 0;
	error = kern_kinfo_proc(k, cur, selector, args, nargs, buf, count);
	k->curproc = NULL;
	PS_ASSERT_MSG(k->nheld == 0, "kinfo returned with %u locks held", k->nheld);
	return error;
}
