/*
 * The public API over the simulated kernel.  Every entry point validates
 * its arguments (bad input returns PS_EINVAL or PS_ESRCH, never asserts),
 * names the calling process curproc, runs the kernel path, and then ends
 * the operation: pending signals are delivered, init reaps what it has
 * inherited, and, when configured, the invariant checker runs.
 */
#include <stdlib.h>
#include <string.h>

#include <procsim/procsim.h>

#include "base/assert.h"
#include "kern/internal_api.h"
#include "kern/kern.h"
#include "kern/simop.h"
#include "vm/vm.h"

void
ps_config_init(struct ps_config *config)
{
	if (config == NULL)
		return;
	memset(config, 0, sizeof(*config));
	config->seed = 1;
	config->pid_max = PS_PID_MAX_DEFAULT;
	config->maxproc = 10000;
	config->randompid = 0;
	config->securelevel = -1;
	config->jobc_algo = PS_JOBC_FREEBSD;
	config->see_other_uids = 1;
	config->unprivileged_proc_debug = 1;
	config->witness_strict = 0;
	config->check_every_op = 0;
	config->check_mode = PS_CHECK_FULL;
	config->check_full_every = 0;
	config->exit_compat = PS_EXIT_2008;
	config->coredump = 1;
	config->cpus = 1;
	config->policy = PS_POLICY_RR;
	config->pct_depth = 3;
	config->pct_steps = 100000;
	config->quantum_ns = 1000000;
	config->sys_cycles = 100;
	config->mem_frames = 65536;
}

static int
config_valid(const struct ps_config *c)
{
	if (c->pid_max < 300 || c->pid_max > PS_PID_MAX_LIMIT)
		return 0;
	if (c->maxproc < 16 || c->maxproc > PS_PID_MAX_LIMIT)
		return 0;
	if (c->randompid < 0 || c->randompid >= c->pid_max)
		return 0;
	if (c->securelevel < -1 || c->securelevel > 3)
		return 0;
	if (c->jobc_algo > PS_JOBC_DRAGONFLY)
		return 0;
	if (c->see_other_uids > 1 || c->unprivileged_proc_debug > 1 || c->witness_strict > 1 ||
	    c->check_every_op > 1 || c->check_mode > PS_CHECK_INCREMENTAL ||
	    c->exit_compat > PS_EXIT_MODERN || c->coredump > 1 ||
	    c->leader_exit > PS_LEADER_EXIT_2008 || c->ptrace_rev > PS_PTRACE_REV_A)
		return 0;
	if (c->cpus < 1 || c->cpus > PS_CPUS_MAX || c->policy > PS_POLICY_PCT)
		return 0;
	if (c->pct_depth < 1 || c->pct_depth > 32 || c->pct_steps < 1 || c->quantum_ns < 1)
		return 0;
	if (c->sys_cycles < 1 || c->sys_cycles > 1000000000u || c->mem_frames < 16 ||
	    c->mem_frames > (1u << 26))
		return 0;
	return 1;
}

/* init: forked from swapper, it makes itself a session leader (init(8)). */
static int
init_create(struct kernel *k)
{
	struct proc *p;
	int error;

	k->curproc = k->proc0;
	error = fork1(k, k->proc0, &p);
	if (error != 0)
		return error;
	PS_ASSERT(p->p_pid == 1);
	k->initproc = p;
	strcpy(p->p_comm, "init");
	k->curproc = p;
	error = sys_setsid(k, p);
	PS_ASSERT(error == 1);
	k->curproc = NULL;
	return 0;
}

int
ps_sim_new(const struct ps_config *config, ps_sim_t **out)
{
	struct ps_sim *sim;
	struct kernel *k;
	int error;

	if (config == NULL || out == NULL || !config_valid(config))
		return PS_EINVAL;
	sim = calloc(1, sizeof(*sim));
	if (sim == NULL)
		return PS_ENOMEM;
	k = &sim->k;
	k->k_cfg = *config;
	k->securelevel = config->securelevel;
	ps_rng_seed(&k->rng, config->seed);
	ps_rng_seed(&k->rng_work, config->seed ^ 0x77057c0ad0000001ull);
	witness_init(&k->witness);
	error = procinit(k);
	if (error == 0)
		error = sleepq_init(k);
	if (error == 0)
		error = sched_init(k);
	if (error == 0)
		error = vm_phys_new(config->mem_frames, &k->phys);
	if (error == 0)
		error = proc0_init(k);
	if (error == 0)
		error = init_create(k);
	if (error == 0)
		error = kern_chk_init(k);
	if (error != 0) {
		ps_sim_free(sim);
		return error;
	}
	k->event_seq = 0;
	*out = sim;
	return 0;
}

void
ps_sim_free(ps_sim_t *sim)
{
	struct kernel *k;
	struct proc *p, *np;
	struct pgrp *g, *ng;
	struct session *s;

	if (sim == NULL)
		return;
	k = &sim->k;
	/* Sessions are reached through their groups; free each once. */
	for (uint32_t b = 0; k->pgrphashtbl != NULL && b <= k->pgrphash; b++)
		LIST_FOREACH(g, &k->pgrphashtbl[b], pg_hash)
			g->pg_session->s_chk = 0;
	for (uint32_t b = 0; k->pgrphashtbl != NULL && b <= k->pgrphash; b++) {
		LIST_FOREACH_SAFE(g, &k->pgrphashtbl[b], pg_hash, ng) {
			s = g->pg_session;
			if (++s->s_chk == (uint32_t)s->s_count)
				free(s);
			free(g);
		}
	}
	LIST_FOREACH_SAFE(p, &k->allproc, p_list, np) {
		vmspace_free(p->p_vmspace);
		thread_free_all(k, p);
		sigacts_free(p->p_sigacts);
		free(p);
	}
	LIST_FOREACH_SAFE(p, &k->zombproc, p_list, np) {
		thread_free_all(k, p);
		sigacts_free(p->p_sigacts);
		free(p);
	}
	deadthreads_free(k);
	programs_free(k);
	if (k->phys != NULL)
		vm_phys_free(k->phys);
	sched_fini(k);
	tty_free_all(k);
	sleepq_fini(k);
	procfini(k);
	kern_chk_free(k);
	free(sim);
}

int
ps_sim_config(const ps_sim_t *sim, struct ps_config *out)
{
	if (sim == NULL || out == NULL)
		return PS_EINVAL;
	*out = sim->k.k_cfg;
	return 0;
}

int
ps_sim_check(ps_sim_t *sim, struct ps_check_report *report)
{
	struct ps_check_report local;

	if (sim == NULL)
		return PS_EINVAL;
	return kern_check(&sim->k, report != NULL ? report : &local);
}

uint64_t
ps_sim_lock_reversals(const ps_sim_t *sim)
{
	return sim != NULL ? sim->k.witness.reversals : 0;
}

int
ps_sim_stats(const ps_sim_t *sim, struct ps_sim_stats *out)
{
	if (sim == NULL || out == NULL)
		return PS_EINVAL;
	*out = sim->k.stats;
	out->nprocs = sim->k.nprocs;
	out->nzombies = sim->k.nzombies;
	out->npgrps = sim->k.npgrps;
	out->nsessions = sim->k.nsessions;
	return 0;
}

int
ps_sim_set_event_cb(ps_sim_t *sim, ps_event_cb cb, void *arg)
{
	if (sim == NULL)
		return PS_EINVAL;
	sim->k.event_cb = cb;
	sim->k.event_arg = arg;
	return 0;
}

/* --- operation framing --- */

/* The live, non-exiting process pid, or NULL. */
struct proc *
simop_live_proc(struct kernel *k, int32_t pid)
{
	struct proc *p;

	if (pid < 0 || pid >= k->k_cfg.pid_max)
		return NULL;
	p = pfind_any_nolock(k, pid);
	if (p == NULL || p->p_state != PRS_NORMAL || (p->p_flag & P_WEXIT) != 0)
		return NULL;
	return p;
}

/* Begin an operation made by process pid. */
int
simop_begin(ps_sim_t *sim, int32_t pid, struct proc **pp)
{
	struct kernel *k;
	struct proc *p;

	if (sim == NULL)
		return PS_EINVAL;
	k = &sim->k;
	PS_ASSERT(k->nheld == 0);
	p = simop_live_proc(k, pid);
	if (p == NULL)
		return PS_ESRCH;
	k->curproc = p;
	k->witness.error = 0;
	*pp = p;
	return 0;
}

/*
 * Begin a system call made by process pid: a stopped process runs no code,
 * and one asleep in a call (or about to make it again) is still in it, so
 * neither makes calls (PS_EBUSY).
 */
int
simop_begin_run(ps_sim_t *sim, int32_t pid, struct proc **pp)
{
	int error = simop_begin(sim, pid, pp);
	struct thread *td;

	if (error != 0)
		return error;
	td = (*pp)->p_threads;
	if (P_RUNNER(*pp) || P_SHOULDSTOP(*pp) != 0 || td->td_inhibitors != 0 ||
	    (td->td_sa.sf_state != SFS_NONE && td->td_sa.sf_state != SFS_DONE)) {
		sim->k.curproc = NULL;
		return PS_EBUSY;
	}
	return 0;
}

/*
 * End an operation: every thread that can run passes userret (woken calls
 * complete, signals are delivered) and init reaps, until nothing moves;
 * then the strict-witness and invariant verdicts, which override rv.
 */
int
simop_end(ps_sim_t *sim, int rv)
{
	struct kernel *k = &sim->k;
	struct ps_check_report *rep = &k->last_check;

	PS_ASSERT_MSG(k->nheld == 0, "operation ended with %u locks held", k->nheld);
	do {
		ast_run(k);
		init_reap(k);
	} while (!TAILQ_EMPTY(&k->astq));
	k->curproc = NULL;
	k->stats.operations++;
	if (k->k_cfg.witness_strict && k->witness.error)
		rv = PS_ELOCKORDER;
	if (k->k_cfg.check_every_op && kern_check_auto(k, rep) != 0) {
		kevent_emit(k, PS_EV_INVARIANT, NULL, 0, 0, (int32_t)rep->failures, rep->message);
		rv = PS_EINVARIANT;
	}
	return rv;
}

/* --- queries --- */

static void
fill_proc_info(struct kernel *k, struct proc *p, struct ps_proc_info *out)
{
	struct session *s;
	struct proc *rp;

	memset(out, 0, sizeof(*out));
	out->pid = p->p_pid;
	out->pptr = p->p_pptr != NULL ? p->p_pptr->p_pid : 0;
	rp = p->p_pptr;
	if ((p->p_flag & P_TRACED) != 0 && p->p_oppid != 0) {
		rp = pfind_any_nolock(k, p->p_oppid);
		if (rp == NULL || rp->p_state != PRS_NORMAL)
			rp = k->initproc;
	}
	out->ppid = rp != NULL ? rp->p_pid : 0;
	out->oppid = p->p_oppid;
	out->pgid = p->p_pgrp != NULL ? p->p_pgrp->pg_id : -1;
	out->sid = p->p_pgrp != NULL ? p->p_session->s_sid : -1;
	out->pg_jobc = p->p_pgrp != NULL ? p->p_pgrp->pg_jobc : 0;
	out->orphaned = p->p_pgrp != NULL && p->p_pgrp->pg_jobc == 0;
	out->nthreads = p->p_numthreads;
	out->flags = p->p_flag;
	out->state = p->p_state;
	out->tty = -1;
	if (p->p_pgrp != NULL) {
		s = p->p_session;
		out->session_leader = s->s_leader == p;
		if ((p->p_flag & P_CONTROLT) != 0 && s->s_ttyp != NULL)
			out->tty = s->s_ttyp->t_dev;
	}
	out->siglist = p->p_siglist;
	out->sigmask = p->p_threads != NULL ? p->p_threads->td_sigmask : 0;
	out->xstat = p->p_state == PRS_ZOMBIE ? p->p_xstat : 0;
	out->holds = p->p_lock;
	out->cred.uid = p->p_ucred.cr_uid;
	out->cred.ruid = p->p_ucred.cr_ruid;
	out->cred.svuid = p->p_ucred.cr_svuid;
	out->cred.gid = p->p_ucred.cr_gid;
	out->cred.rgid = p->p_ucred.cr_rgid;
	out->cred.svgid = p->p_ucred.cr_svgid;
	memcpy(out->comm, p->p_comm, sizeof(out->comm));
	memcpy(out->tag, p->p_tag, sizeof(out->tag));
	out->runs_program = P_RUNNER(p);
}

int
ps_proc_info(ps_sim_t *sim, int32_t pid, struct ps_proc_info *out)
{
	struct proc *p;

	if (sim == NULL || out == NULL)
		return PS_EINVAL;
	if (pid < 0 || pid >= sim->k.k_cfg.pid_max)
		return PS_ESRCH;
	p = pfind_any_nolock(&sim->k, pid);
	if (p == NULL || p->p_state == PRS_NEW)
		return PS_ESRCH;
	fill_proc_info(&sim->k, p, out);
	return 0;
}

static struct pgrp *
find_pgrp(ps_sim_t *sim, int32_t pgid)
{
	if (pgid < 0 || pgid >= sim->k.k_cfg.pid_max)
		return NULL;
	return pgfind_nolock(&sim->k, pgid);
}

int
ps_pgrp_info(ps_sim_t *sim, int32_t pgid, struct ps_pgrp_info *out)
{
	struct pgrp *g;
	struct proc *m;
	struct tty *tp;

	if (sim == NULL || out == NULL)
		return PS_EINVAL;
	g = find_pgrp(sim, pgid);
	if (g == NULL)
		return PS_ESRCH;
	memset(out, 0, sizeof(*out));
	out->pgid = g->pg_id;
	out->sid = g->pg_session->s_sid;
	out->pg_jobc = g->pg_jobc;
	LIST_FOREACH(m, &g->pg_members, p_pglist)
		out->members++;
	out->orphaned = g->pg_jobc == 0;
	tp = g->pg_session->s_ttyp;
	out->foreground = tp != NULL && tp->t_pgrp == g;
	return 0;
}

static struct session *
find_session(ps_sim_t *sim, int32_t sid)
{
	struct pgrp *g = find_pgrp(sim, sid);

	/* A session's first group has the session's id while it lives; once
	 * it is gone, look through every group. */
	if (g != NULL && g->pg_session->s_sid == sid)
		return g->pg_session;
	for (uint32_t b = 0; b <= sim->k.pgrphash; b++)
		LIST_FOREACH(g, &sim->k.pgrphashtbl[b], pg_hash)
			if (g->pg_session->s_sid == sid)
				return g->pg_session;
	return NULL;
}

int
ps_session_info(ps_sim_t *sim, int32_t sid, struct ps_session_info *out)
{
	struct session *s;

	if (sim == NULL || out == NULL)
		return PS_EINVAL;
	if (sid < 0 || sid >= sim->k.k_cfg.pid_max || (s = find_session(sim, sid)) == NULL)
		return PS_ESRCH;
	memset(out, 0, sizeof(*out));
	out->sid = s->s_sid;
	out->leader = s->s_leader != NULL ? s->s_leader->p_pid : 0;
	out->s_count = s->s_count;
	out->tty = s->s_ttyp != NULL ? s->s_ttyp->t_dev : -1;
	out->tty_vnode = s->s_ttyvp != NULL;
	out->tpgid = -1;
	if (s->s_ttyp != NULL && s->s_ttyp->t_session == s && s->s_ttyp->t_pgrp != NULL)
		out->tpgid = s->s_ttyp->t_pgrp->pg_id;
	memcpy(out->login, s->s_login, sizeof(out->login));
	return 0;
}

static void
list_put(int32_t *pids, size_t cap, size_t *n, int32_t v)
{
	if (*n < cap)
		pids[*n] = v;
	(*n)++;
}

static int
list_args_ok(ps_sim_t *sim, int32_t *pids, size_t cap, size_t *count)
{
	return sim != NULL && count != NULL && (pids != NULL || cap == 0);
}

int
ps_pgrp_members(ps_sim_t *sim, int32_t pgid, int32_t *pids, size_t cap, size_t *count)
{
	struct pgrp *g;
	struct proc *m;
	size_t n = 0;

	if (!list_args_ok(sim, pids, cap, count))
		return PS_EINVAL;
	if ((g = find_pgrp(sim, pgid)) == NULL)
		return PS_ESRCH;
	LIST_FOREACH(m, &g->pg_members, p_pglist)
		list_put(pids, cap, &n, m->p_pid);
	*count = n;
	return 0;
}

int
ps_proc_children(ps_sim_t *sim, int32_t pid, int32_t *pids, size_t cap, size_t *count)
{
	struct proc *p, *q;
	size_t n = 0;

	if (!list_args_ok(sim, pids, cap, count))
		return PS_EINVAL;
	if (pid < 0 || pid >= sim->k.k_cfg.pid_max || (p = pfind_any_nolock(&sim->k, pid)) == NULL)
		return PS_ESRCH;
	LIST_FOREACH(q, &p->p_children, p_sibling)
		list_put(pids, cap, &n, q->p_pid);
	*count = n;
	return 0;
}

int
ps_proc_list(ps_sim_t *sim, int32_t *pids, size_t cap, size_t *count)
{
	struct proc *p;
	size_t n = 0;

	if (!list_args_ok(sim, pids, cap, count))
		return PS_EINVAL;
	LIST_FOREACH(p, &sim->k.allproc, p_list)
		list_put(pids, cap, &n, p->p_pid);
	LIST_FOREACH(p, &sim->k.zombproc, p_list)
		list_put(pids, cap, &n, p->p_pid);
	*count = n;
	return 0;
}

static int
cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

int
ps_pgrp_list(ps_sim_t *sim, int32_t *pgids, size_t cap, size_t *count)
{
	struct pgrp *g;
	int32_t *all;
	size_t n = 0, total;

	if (!list_args_ok(sim, pgids, cap, count))
		return PS_EINVAL;
	total = (size_t)sim->k.npgrps;
	if (cap >= total) {
		all = pgids;
	} else if ((all = malloc(total * sizeof(*all))) == NULL) {
		return PS_ENOMEM;
	}
	/* Collect every group, sort, then copy the smallest cap. */
	for (uint32_t b = 0; b <= sim->k.pgrphash; b++)
		LIST_FOREACH(g, &sim->k.pgrphashtbl[b], pg_hash)
			list_put(all, total, &n, g->pg_id);
	PS_ASSERT(n == total);
	if (n > 0)
		qsort(all, n, sizeof(*all), cmp_i32);
	if (all != pgids) {
		if (cap > 0)
			memcpy(pgids, all, cap * sizeof(*pgids));
		free(all);
	}
	*count = n;
	return 0;
}

/* --- lookups --- */

int
ps_pfind(ps_sim_t *sim, int32_t pid)
{
	struct kernel *k;
	struct proc *p;

	if (sim == NULL)
		return PS_EINVAL;
	k = &sim->k;
	if (pid < 0 || pid >= k->k_cfg.pid_max)
		return PS_ESRCH;
	if ((p = pfind(k, pid)) == NULL)
		return PS_ESRCH;
	PROC_UNLOCK(p);
	return 0;
}

int
ps_zpfind(ps_sim_t *sim, int32_t pid)
{
	struct kernel *k;
	struct proc *p;

	if (sim == NULL)
		return PS_EINVAL;
	k = &sim->k;
	if (pid < 0 || pid >= k->k_cfg.pid_max)
		return PS_ESRCH;
	if ((p = zpfind(k, pid)) == NULL)
		return PS_ESRCH;
	PROC_UNLOCK(p);
	return 0;
}

int
ps_pgfind(ps_sim_t *sim, int32_t pgid)
{
	struct kernel *k;
	struct pgrp *g;

	if (sim == NULL)
		return PS_EINVAL;
	k = &sim->k;
	if (pgid < 0 || pgid >= k->k_cfg.pid_max)
		return PS_ESRCH;
	sx_slock(k, &k->proctree_lock);
	g = pgfind(k, pgid);
	if (g != NULL)
		PGRP_UNLOCK(g);
	sx_sunlock(k, &k->proctree_lock);
	return g != NULL ? 0 : PS_ESRCH;
}

int
ps_pfind_tid(ps_sim_t *sim, int32_t tid)
{
	struct kernel *k;
	struct proc *p;
	int pid;

	if (sim == NULL)
		return PS_EINVAL;
	k = &sim->k;
	sx_slock(k, &k->allproc_lock);
	p = pfind_tid_locked(k, tid);
	sx_sunlock(k, &k->allproc_lock);
	if (p == NULL)
		return PS_ESRCH;
	pid = p->p_pid;
	PROC_UNLOCK(p);
	return pid;
}

int
ps_pget(ps_sim_t *sim, int32_t caller, int32_t pid, int flags)
{
	struct kernel *k;
	struct proc *cur, *p;
	int error;

	if (sim != NULL && (flags & ~0x7f) != 0)
		return PS_EINVAL;
	if ((error = simop_begin(sim, caller, &cur)) != 0)
		return error;
	k = &sim->k;
	error = pget(k, pid, flags, &p);
	if (error == 0) {
		error = p->p_pid;
		if ((flags & PS_PGET_HOLD) != 0) {
			PROC_LOCK(p);
			_PRELE(k, p);
		}
		PROC_UNLOCK(p);
	}
	k->curproc = NULL;
	return error;
}

int
ps_inferior(ps_sim_t *sim, int32_t caller, int32_t pid)
{
	struct kernel *k;
	struct proc *cur, *p;
	int error, r;

	if ((error = simop_begin(sim, caller, &cur)) != 0)
		return error;
	k = &sim->k;
	if (pid < 0 || pid >= k->k_cfg.pid_max || (p = pfind_any_nolock(k, pid)) == NULL) {
		k->curproc = NULL;
		return PS_ESRCH;
	}
	sx_slock(k, &k->proctree_lock);
	PROC_LOCK(p);
	r = inferior(k, p);
	PROC_UNLOCK(p);
	sx_sunlock(k, &k->proctree_lock);
	k->curproc = NULL;
	return r;
}

/* Run a credential check of caller against pid (live or zombie). */
static int
cred_check(ps_sim_t *sim, int32_t caller, int32_t pid, int which, int sig)
{
	struct kernel *k;
	struct proc *cur, *p;
	int error;

	if ((error = simop_begin(sim, caller, &cur)) != 0)
		return error;
	k = &sim->k;
	if (pid < 0 || pid >= k->k_cfg.pid_max || (p = pfind_any_nolock(k, pid)) == NULL) {
		k->curproc = NULL;
		return PS_ESRCH;
	}
	PROC_LOCK(p);
	if (which == 0)
		error = p_cansee(k, cur, p);
	else if (which == 1)
		error = p_candebug(k, cur, p);
	else
		error = p_cansignal(k, cur, p, sig);
	PROC_UNLOCK(p);
	k->curproc = NULL;
	return error;
}

int
ps_p_cansee(ps_sim_t *sim, int32_t caller, int32_t pid)
{
	return cred_check(sim, caller, pid, 0, 0);
}

int
ps_p_candebug(ps_sim_t *sim, int32_t caller, int32_t pid)
{
	return cred_check(sim, caller, pid, 1, 0);
}

int
ps_p_cansignal(ps_sim_t *sim, int32_t caller, int32_t pid, int sig)
{
	if (sig < 0 || sig >= PS_NSIG)
		return sim == NULL ? PS_EINVAL : PS_EINVAL;
	return cred_check(sim, caller, pid, 2, sig);
}

/* --- operations --- */

int
ps_fork(ps_sim_t *sim, int32_t pid, int32_t *child)
{
	struct proc *p, *p2;
	int error;

	if (child == NULL)
		return PS_EINVAL;
	if ((error = simop_begin_run(sim, pid, &p)) != 0)
		return error;
	if ((p->p_flag & P_SYSTEM) != 0 && p != sim->k.proc0)
		error = PS_EPERM;
	else
		error = fork1(&sim->k, p, &p2);
	if (error == 0)
		*child = p2->p_pid;
	return simop_end(sim, error);
}

int
ps_fork_exitsig(ps_sim_t *sim, int32_t pid, int exitsig, int32_t *child)
{
	struct proc *p, *p2;
	int error;

	if (child == NULL || exitsig < 0 || exitsig >= PS_NSIG)
		return PS_EINVAL;
	if ((error = simop_begin_run(sim, pid, &p)) != 0)
		return error;
	if ((p->p_flag & P_SYSTEM) != 0)
		error = PS_EPERM;
	else
		error = fork1(&sim->k, p, &p2);
	if (error == 0) {
		p2->p_sigparent = (int16_t)exitsig;
		*child = p2->p_pid;
	}
	return simop_end(sim, error);
}

int
ps_exit(ps_sim_t *sim, int32_t pid, int status)
{
	struct proc *p;
	int error;

	if ((error = simop_begin_run(sim, pid, &p)) != 0)
		return error;
	if (p == sim->k.initproc || (p->p_flag & P_SYSTEM) != 0) {
		error = PS_EPERM; /* init and system processes never exit. */
	} else {
		exit1(&sim->k, p, W_EXITCODE(status, 0)); /* Not masked (2008). */
	}
	return simop_end(sim, error);
}

int
ps_wait(ps_sim_t *sim, int32_t pid, int32_t wpid, int options, int *status)
{
	return ps_wait4(sim, pid, wpid, options, status, NULL);
}

int
ps_setsid(ps_sim_t *sim, int32_t pid)
{
	struct proc *p;
	int error;

	if ((error = simop_begin_run(sim, pid, &p)) != 0)
		return error;
	return simop_end(sim, sys_setsid(&sim->k, p));
}

int
ps_setpgid(ps_sim_t *sim, int32_t caller, int32_t pid, int32_t pgid)
{
	struct proc *p;
	int error;

	if ((error = simop_begin_run(sim, caller, &p)) != 0)
		return error;
	return simop_end(sim, sys_setpgid(&sim->k, p, pid, pgid));
}

int
ps_getpgrp(ps_sim_t *sim, int32_t caller)
{
	struct proc *p;
	int error;

	if ((error = simop_begin(sim, caller, &p)) != 0)
		return error;
	error = p->p_pgrp->pg_id;
	sim->k.curproc = NULL;
	return error;
}

int
ps_getppid(ps_sim_t *sim, int32_t caller)
{
	struct ps_proc_info info;
	struct proc *p;
	int error;

	if ((error = simop_begin(sim, caller, &p)) != 0)
		return error;
	sim->k.curproc = NULL;
	fill_proc_info(&sim->k, p, &info);
	return info.ppid;
}

int
ps_getpgid(ps_sim_t *sim, int32_t caller, int32_t pid)
{
	struct proc *p;
	int error;

	if ((error = simop_begin(sim, caller, &p)) != 0)
		return error;
	error = pid < 0 || pid >= sim->k.k_cfg.pid_max ? PS_ESRCH : sys_getpgid(&sim->k, p, pid);
	sim->k.curproc = NULL;
	return error;
}

int
ps_getsid(ps_sim_t *sim, int32_t caller, int32_t pid)
{
	struct proc *p;
	int error;

	if ((error = simop_begin(sim, caller, &p)) != 0)
		return error;
	error = pid < 0 || pid >= sim->k.k_cfg.pid_max ? PS_ESRCH : sys_getsid(&sim->k, p, pid);
	sim->k.curproc = NULL;
	return error;
}

int
ps_kill(ps_sim_t *sim, int32_t caller, int32_t pid, int sig)
{
	struct proc *p;
	int error;

	if ((error = simop_begin_run(sim, caller, &p)) != 0)
		return error;
	if (sig < 0 || sig >= PS_NSIG)
		return simop_end(sim, PS_EINVAL);
	if (pid >= sim->k.k_cfg.pid_max || pid <= -sim->k.k_cfg.pid_max || pid == INT32_MIN)
		return simop_end(sim, PS_ESRCH);
	return simop_end(sim, kern_kill(&sim->k, p, pid, sig));
}

int
ps_sigaction(ps_sim_t *sim, int32_t pid, int sig, const struct ps_sigaction *act,
             struct ps_sigaction *oact)
{
	struct proc *p;
	int error;

	if ((error = simop_begin_run(sim, pid, &p)) != 0)
		return error;
	return simop_end(sim, kern_sigaction(&sim->k, p, sig, act, oact));
}

int
ps_sigprocmask(ps_sim_t *sim, int32_t pid, int how, uint32_t set, uint32_t *oset)
{
	struct proc *p;
	sigset32_t old;
	int error;

	if ((error = simop_begin_run(sim, pid, &p)) != 0)
		return error;
	error = kern_sigprocmask(&sim->k, p->p_threads, how, set, &old);
	if (error == 0 && oset != NULL)
		*oset = old;
	return simop_end(sim, error);
}

int
ps_setuid(ps_sim_t *sim, int32_t pid, int32_t uid)
{
	struct proc *p;
	int error;

	if ((error = simop_begin_run(sim, pid, &p)) != 0)
		return error;
	return simop_end(sim, sys_setuid(&sim->k, p, uid));
}

int
ps_setcred(ps_sim_t *sim, int32_t pid, const struct ps_cred *cred)
{
	struct kernel *k;
	struct proc *p;
	int error;

	if (cred == NULL)
		return PS_EINVAL;
	if (cred->uid < 0 || cred->ruid < 0 || cred->svuid < 0 || cred->gid < 0 ||
	    cred->rgid < 0 || cred->svgid < 0)
		return PS_EINVAL;
	if ((error = simop_begin(sim, pid, &p)) != 0)
		return error;
	k = &sim->k;
	PROC_LOCK(p);
	p->p_ucred.cr_uid = cred->uid;
	p->p_ucred.cr_ruid = cred->ruid;
	p->p_ucred.cr_svuid = cred->svuid;
	p->p_ucred.cr_gid = cred->gid;
	p->p_ucred.cr_rgid = cred->rgid;
	p->p_ucred.cr_svgid = cred->svgid;
	PROC_UNLOCK(p);
	return simop_end(sim, 0);
}

int
ps_exec(ps_sim_t *sim, int32_t pid, const char *comm)
{
	struct proc *p;
	int error;

	if (comm == NULL || comm[0] == '\0')
		return PS_EINVAL;
	if ((error = simop_begin_run(sim, pid, &p)) != 0)
		return error;
	if (p->p_sigacts->ps_sigcatch != 0 && sigacts_unshare(p) != 0)
		return simop_end(sim, PS_ENOMEM);
	exec_common(&sim->k, p, comm);
	return simop_end(sim, 0);
}

int
ps_thread_new(ps_sim_t *sim, int32_t pid, int32_t *tid)
{
	struct proc *p;
	struct thread *td;
	int error;

	if (tid == NULL)
		return PS_EINVAL;
	if ((error = simop_begin_run(sim, pid, &p)) != 0)
		return error;
	error = thread_create(&sim->k, p, &td);
	if (error == 0)
		*tid = td->td_tid;
	return simop_end(sim, error);
}

int
ps_kproc_new(ps_sim_t *sim, const char *name, int32_t *pid)
{
	struct proc *p, *kp;
	int error;

	if (name == NULL || pid == NULL || name[0] == '\0')
		return PS_EINVAL;
	if ((error = simop_begin(sim, 0, &p)) != 0)
		return error;
	error = kproc_create(&sim->k, name, &kp);
	if (error == 0)
		*pid = kp->p_pid;
	return simop_end(sim, error);
}

int
ps_set_securelevel(ps_sim_t *sim, int level)
{
	if (sim == NULL || level < -1 || level > 3)
		return PS_EINVAL;
	sim->k.securelevel = level;
	return 0;
}

/* --- terminals --- */

int
ps_tty_new(ps_sim_t *sim, const char *name, int32_t *dev)
{
	struct tty *tp;
	size_t len;

	if (sim == NULL || name == NULL || dev == NULL)
		return PS_EINVAL;
	len = strlen(name);
	if (len == 0 || len >= sizeof(tp->t_name))
		return PS_EINVAL;
	if (ps_tty_lookup(sim, name) >= 0)
		return PS_EEXIST;
	tp = tty_alloc(&sim->k, name);
	if (tp == NULL)
		return PS_ENOMEM;
	*dev = tp->t_dev;
	return 0;
}

int
ps_tty_lookup(ps_sim_t *sim, const char *name)
{
	struct tty *tp;

	if (sim == NULL || name == NULL)
		return PS_EINVAL;
	LIST_FOREACH(tp, &sim->k.ttys, t_list)
		if (strcmp(tp->t_name, name) == 0)
			return tp->t_dev;
	return PS_ENOENT;
}

static int
tty_op(ps_sim_t *sim, int32_t pid, int32_t dev, struct proc **pp, struct tty **tpp)
{
	int error = simop_begin_run(sim, pid, pp);

	if (error != 0)
		return error;
	*tpp = tty_find_dev(&sim->k, dev);
	if (*tpp == NULL) {
		sim->k.curproc = NULL;
		return PS_ENOTTY;
	}
	return 0;
}

int
ps_tiocsctty(ps_sim_t *sim, int32_t pid, int32_t dev)
{
	struct proc *p;
	struct tty *tp;
	int error;

	if ((error = tty_op(sim, pid, dev, &p, &tp)) != 0)
		return error;
	return simop_end(sim, tty_ioctl_sctty(&sim->k, p, tp));
}

int
ps_tcsetpgrp(ps_sim_t *sim, int32_t pid, int32_t dev, int32_t pgid)
{
	struct proc *p;
	struct tty *tp;
	int error;

	if ((error = tty_op(sim, pid, dev, &p, &tp)) != 0)
		return error;
	return simop_end(sim, tty_ioctl_spgrp(&sim->k, p, tp, pgid));
}

int
ps_tcgetpgrp(ps_sim_t *sim, int32_t pid, int32_t dev)
{
	struct proc *p;
	struct tty *tp;
	int error;

	if ((error = tty_op(sim, pid, dev, &p, &tp)) != 0)
		return error;
	error = tty_ioctl_gpgrp(&sim->k, p, tp);
	sim->k.curproc = NULL;
	return error;
}

/* --- names --- */

static const char *const signames[PS_NSIG] = {
	[PS_SIGHUP] = "SIGHUP", [PS_SIGINT] = "SIGINT", [PS_SIGQUIT] = "SIGQUIT",
	[PS_SIGILL] = "SIGILL", [PS_SIGTRAP] = "SIGTRAP", [PS_SIGABRT] = "SIGABRT",
	[PS_SIGEMT] = "SIGEMT", [PS_SIGFPE] = "SIGFPE", [PS_SIGKILL] = "SIGKILL",
	[PS_SIGBUS] = "SIGBUS", [PS_SIGSEGV] = "SIGSEGV", [PS_SIGSYS] = "SIGSYS",
	[PS_SIGPIPE] = "SIGPIPE", [PS_SIGALRM] = "SIGALRM", [PS_SIGTERM] = "SIGTERM",
	[PS_SIGURG] = "SIGURG", [PS_SIGSTOP] = "SIGSTOP", [PS_SIGTSTP] = "SIGTSTP",
	[PS_SIGCONT] = "SIGCONT", [PS_SIGCHLD] = "SIGCHLD", [PS_SIGTTIN] = "SIGTTIN",
	[PS_SIGTTOU] = "SIGTTOU", [PS_SIGIO] = "SIGIO", [PS_SIGXCPU] = "SIGXCPU",
	[PS_SIGXFSZ] = "SIGXFSZ", [PS_SIGVTALRM] = "SIGVTALRM", [PS_SIGPROF] = "SIGPROF",
	[PS_SIGWINCH] = "SIGWINCH", [PS_SIGINFO] = "SIGINFO", [PS_SIGUSR1] = "SIGUSR1",
	[PS_SIGUSR2] = "SIGUSR2", [PS_SIGTHR] = "SIGTHR",
};

const char *
ps_signal_name(int sig)
{
	return sig > 0 && sig < PS_NSIG ? signames[sig] : NULL;
}

int
ps_signal_number(const char *name)
{
	if (name == NULL)
		return PS_EINVAL;
	for (int sig = 1; sig < PS_NSIG; sig++)
		if (strcmp(name, signames[sig]) == 0 || strcmp(name, signames[sig] + 3) == 0)
			return sig;
	return PS_EINVAL;
}

const char *
ps_err_name(int err)
{
	switch (err) {
#define PS_ERR_NAME_(name, value, msg)                                        \
	case PS_##name:                                                       \
		return #name;
		PS_ERRNO_MAP(PS_ERR_NAME_)
#undef PS_ERR_NAME_
	default:
		return "EUNKNOWN";
	}
}

const char *
ps_strerror(int err)
{
	switch (err) {
#define PS_ERR_MSG_(name, value, msg)                                         \
	case PS_##name:                                                       \
		return msg;
		PS_ERRNO_MAP(PS_ERR_MSG_)
#undef PS_ERR_MSG_
	default:
		return "unknown error";
	}
}

const char *
ps_version_string(void)
{
	return "0.1.0";
}

/* --- internal entry points (internal_api.h) --- */

static int
ptrace_op(ps_sim_t *sim, int32_t tracer, int req, int32_t pid, int sig)
{
	struct proc *td;
	int error, rv;

	if ((error = simop_begin_run(sim, tracer, &td)) != 0)
		return error;
	struct pt_caller c = { .p = td, .td = td->p_threads, .uvm = NULL };

	error = sys_ptrace(&sim->k, &c, req, pid, 1, sig, &rv);
	return simop_end(sim, error);
}

int
ps__ptrace_attach(ps_sim_t *sim, int32_t tracer, int32_t pid)
{
	return ptrace_op(sim, tracer, PS_PT_ATTACH, pid, 0);
}

int
ps__ptrace_detach(ps_sim_t *sim, int32_t tracer, int32_t pid, int sig)
{
	return ptrace_op(sim, tracer, PS_PT_DETACH, pid, sig);
}

struct kernel *
ps__kernel(ps_sim_t *sim)
{
	return &sim->k;
}
