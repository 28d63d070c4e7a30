/*
 * The scheduler (see sched.h for the model of time).
 *
 * A step is one of: fire the earliest timer (when it is due no later than
 * every busy CPU), or run the busy CPU with the lowest clock until it
 * passes the next busy CPU's clock, the next timer, its quantum, or the
 * caller's bound.  Idle CPUs take runnable threads at the start of a step,
 * lowest CPU number first, at the current time.
 *
 * Policies decide which runnable thread a CPU takes and when a running
 * thread yields its CPU:
 *   rr      the queue's head; at the end of its quantum a thread goes to
 *           the tail if anything waits.
 *   fifo    the queue's head; a thread keeps its CPU until it blocks.
 *   random  a uniformly random queued thread (the scheduling PRNG stream);
 *           quantum preemption as rr, the preempted thread included in the
 *           next draw.
 *   pct     the highest priority (random at creation, distinct); at each
 *           of d-1 change points (random instruction counts within
 *           pct_steps) the running thread drops below every initial
 *           priority; a higher-priority runnable thread preempts the lowest
 *           running one.  (Burckhardt et al., ASPLOS 2010.)
 */
#include <stdlib.h>
#include <string.h>

#include "base/assert.h"
#include "cpu/cpu.h"
#include "kern/kern.h"
#include "sched/sched.h"
#include "vm/vm.h"

#define NEVER PS_TIME_NEVER

static inline uint64_t
min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

int
sched_init(struct kernel *k)
{
	struct sched *s = &k->sched;
	const struct ps_config *c = &k->k_cfg;

	memset(s, 0, sizeof(*s));
	s->ncpus = c->cpus;
	s->policy = c->policy;
	s->quantum = c->quantum_ns;
	s->sys_cycles = c->sys_cycles;
	s->run_limit = NEVER;
	s->part_cpu = -1;
	TAILQ_INIT(&s->runq);
	ps_rng_seed(&s->rng, c->seed ^ 0x5c4ed011e5c4ed01ull);
	if (s->policy == PS_POLICY_PCT && c->pct_depth > 1) {
		s->pct_npoints = c->pct_depth - 1;
		s->pct_points = calloc(s->pct_npoints, sizeof(*s->pct_points));
		if (s->pct_points == NULL)
			return PS_ENOMEM;
		for (uint32_t i = 0; i < s->pct_npoints; i++)
			s->pct_points[i] = 1 + ps_rng_below(&s->rng, c->pct_steps);
		/* Ascending (insertion sort: d is small). */
		for (uint32_t i = 1; i < s->pct_npoints; i++)
			for (uint32_t j = i; j > 0 && s->pct_points[j - 1] > s->pct_points[j]; j--) {
				uint64_t t = s->pct_points[j];

				s->pct_points[j] = s->pct_points[j - 1];
				s->pct_points[j - 1] = t;
			}
	}
	return 0;
}

void
sched_fini(struct kernel *k)
{
	free(k->sched.heap);
	free(k->sched.pct_points);
	k->sched.heap = NULL;
	k->sched.pct_points = NULL;
}

uint64_t
sched_now(const struct kernel *k)
{
	return k->sched.now;
}

void
sched_thread_init(struct kernel *k, struct thread *td)
{
	/* Initial PCT priorities lie above every change-point priority (1..d-1). */
	td->td_prio = (uint64_t)k->k_cfg.pct_depth + (ps_rng_next(&k->sched.rng) >> 16);
	td->td_oncpu = -1;
}

/* --- timers --- */

static bool
timer_before(const struct timer *a, const struct timer *b)
{
	return a->tm_time < b->tm_time || (a->tm_time == b->tm_time && a->tm_seq < b->tm_seq);
}

static uint64_t
timer_push(struct sched *s, const struct timer *tm)
{
	uint32_t i;

	if (s->nheap == s->heapcap) {
		uint32_t ncap = s->heapcap == 0 ? 64 : s->heapcap * 2;
		struct timer *nh = realloc(s->heap, ncap * sizeof(*nh));

		PS_ASSERT_MSG(nh != NULL, "out of memory for timers");
		s->heap = nh;
		s->heapcap = ncap;
	}
	i = s->nheap++;
	s->heap[i] = *tm;
	s->heap[i].tm_seq = ++s->timer_seq;
	while (i > 0 && timer_before(&s->heap[i], &s->heap[(i - 1) / 2])) {
		struct timer t = s->heap[i];

		s->heap[i] = s->heap[(i - 1) / 2];
		s->heap[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
	return s->timer_seq;
}

static void
timer_pop(struct sched *s, struct timer *out)
{
	uint32_t i = 0;

	PS_ASSERT(s->nheap > 0);
	*out = s->heap[0];
	s->heap[0] = s->heap[--s->nheap];
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < s->nheap && timer_before(&s->heap[l], &s->heap[m]))
			m = l;
		if (r < s->nheap && timer_before(&s->heap[r], &s->heap[m]))
			m = r;
		if (m == i)
			break;
		struct timer t = s->heap[i];

		s->heap[i] = s->heap[m];
		s->heap[m] = t;
		i = m;
	}
}

/* Is the timer still wanted?  A timeout is stale once its thread woke. */
static bool
timer_live(struct kernel *k, const struct timer *tm)
{
	struct thread *td;

	if (tm->tm_cancelled)
		return false;
	if (tm->tm_kind != TMR_TIMEOUT)
		return true;
	td = tdfind_nolock(k, tm->tm_tid);
	return td != NULL && td->td_timer == tm->tm_seq;
}

/* Drop stale timers from the top; the earliest live one's time. */
static uint64_t
timer_next(struct kernel *k)
{
	struct sched *s = &k->sched;
	struct timer dead;

	while (s->nheap > 0 && !timer_live(k, &s->heap[0]))
		timer_pop(s, &dead);
	return s->nheap > 0 ? s->heap[0].tm_time : NEVER;
}

uint64_t
sched_timeout(struct kernel *k, uint64_t t, struct thread *td)
{
	struct timer tm = { .tm_time = t, .tm_kind = TMR_TIMEOUT, .tm_tid = td->td_tid };

	td->td_timer = timer_push(&k->sched, &tm);
	return td->td_timer;
}

uint64_t
sched_timer_ext(struct kernel *k, uint64_t t, ps_timer_cb cb, void *arg)
{
	struct timer tm = { .tm_time = t, .tm_kind = TMR_EXTERNAL, .tm_cb = cb, .tm_arg = arg };

	return timer_push(&k->sched, &tm);
}

int
sched_timer_cancel(struct kernel *k, uint64_t id)
{
	struct sched *s = &k->sched;

	for (uint32_t i = 0; i < s->nheap; i++)
		if (s->heap[i].tm_seq == id && s->heap[i].tm_kind == TMR_EXTERNAL &&
		    !s->heap[i].tm_cancelled) {
			s->heap[i].tm_cancelled = 1;
			return 0;
		}
	return PS_ESRCH;
}

static void
timer_fire(struct kernel *k)
{
	struct sched *s = &k->sched;
	struct timer tm;

	timer_pop(s, &tm);
	s->kernel_entered = true;
	if (tm.tm_time > s->now)
		s->now = tm.tm_time;
	s->st.timers_fired++;
	if (tm.tm_kind == TMR_TIMEOUT) {
		struct thread *td = tdfind_nolock(k, tm.tm_tid);

		td->td_timer = 0;
		kern_timeout(k, td);
	} else {
		kevent_emit(k, PS_EV_TIMER, NULL, 0, 0, (int32_t)(tm.tm_seq & 0x7fffffff), NULL);
		tm.tm_cb((ps_sim_t *)k, tm.tm_time, tm.tm_arg);
	}
}

/* --- the run queue --- */

static bool
policy_preempts(const struct sched *s)
{
	return s->policy == PS_POLICY_RR || s->policy == PS_POLICY_RANDOM;
}

/* The thread an idle CPU takes, off the queue; NULL if none. */
static struct thread *
runq_choose(struct sched *s)
{
	struct thread *td, *best;

	if (s->nrunq == 0)
		return NULL;
	switch (s->policy) {
	case PS_POLICY_RANDOM: {
		uint64_t n = ps_rng_below(&s->rng, s->nrunq);

		best = TAILQ_FIRST(&s->runq);
		while (n-- > 0)
			best = TAILQ_NEXT(best, td_runq);
		break;
	}
	case PS_POLICY_PCT:
		best = TAILQ_FIRST(&s->runq);
		TAILQ_FOREACH(td, &s->runq, td_runq)
			if (td->td_prio > best->td_prio)
				best = td;
		break;
	default:
		best = TAILQ_FIRST(&s->runq);
		break;
	}
	TAILQ_REMOVE(&s->runq, best, td_runq);
	s->nrunq--;
	return best;
}

static void
cpu_switch_to(struct kernel *k, int c, struct thread *td, uint64_t clock)
{
	struct sched *s = &k->sched;
	struct cpu *cp = &s->cpus[c];

	cp->c_td = td;
	cp->c_clock = clock;
	cp->c_slice_end = policy_preempts(s) ? clock + s->quantum : NEVER;
	cp->c_resched = 0;
	s->kernel_entered = true;
	td->td_oncpu = (int16_t)c;
	td->td_state = TDS_RUNNING;
	s->st.switches++;
	struct thread *saved = k->curthread;

	k->curthread = td;
	kevent_emit(k, PS_EV_SWITCH, td->td_proc, 0, 0, c, NULL);
	k->curthread = saved;
}

void
sched_add(struct kernel *k, struct thread *td)
{
	struct sched *s = &k->sched;

	if (td->td_oncpu >= 0 || TAILQ_LINKED(td, td_runq))
		return;
	td->td_state = TDS_RUNQ;
	TAILQ_INSERT_TAIL(&s->runq, td, td_runq);
	s->nrunq++;
	if (s->policy == PS_POLICY_PCT) {
		/* A thread above the lowest running one preempts it when no CPU is idle. */
		int low = -1;

		for (int c = 0; c < s->ncpus; c++) {
			if (s->cpus[c].c_td == NULL)
				return;
			if (low < 0 || s->cpus[c].c_td->td_prio < s->cpus[low].c_td->td_prio)
				low = c;
		}
		if (td->td_prio > s->cpus[low].c_td->td_prio)
			s->cpus[low].c_resched = 1;
	}
}

void
sched_rem(struct kernel *k, struct thread *td)
{
	struct sched *s = &k->sched;

	if (TAILQ_LINKED(td, td_runq)) {
		TAILQ_REMOVE(&s->runq, td, td_runq);
		s->nrunq--;
	}
	if (td->td_oncpu >= 0) {
		struct thread *saved = k->curthread;

		k->curthread = td;
		kevent_emit(k, PS_EV_IDLE, td->td_proc, 0, 0, td->td_oncpu, NULL);
		k->curthread = saved;
		s->cpus[td->td_oncpu].c_td = NULL;
		td->td_oncpu = -1;
	}
}

/* Idle CPUs take runnable threads, at the current time. */
static void
dispatch_idle(struct kernel *k)
{
	struct sched *s = &k->sched;

	for (int c = 0; c < s->ncpus && s->nrunq > 0; c++)
		if (s->cpus[c].c_td == NULL)
			cpu_switch_to(k, c, runq_choose(s), s->now);
}

/* The busy CPU with the lowest clock (ties: lowest number), or -1. */
static int
cpu_earliest(const struct sched *s)
{
	int best = -1;

	for (int c = 0; c < s->ncpus; c++)
		if (s->cpus[c].c_td != NULL &&
		    (best < 0 || s->cpus[c].c_clock < s->cpus[best].c_clock))
			best = c;
	return best;
}

uint64_t
sched_next_time(struct kernel *k)
{
	struct sched *s = &k->sched;
	uint64_t t = timer_next(k);
	int c;

	if (s->nrunq > 0) {
		for (c = 0; c < s->ncpus; c++)
			if (s->cpus[c].c_td == NULL)
				return s->now;
	}
	c = cpu_earliest(s);
	if (c >= 0)
		t = min_u64(t, s->cpus[c].c_clock);
	return t;
}

/* --- running a CPU --- */

static uint8_t *
td_translate(void *ctx, uint64_t addr, int access, int *sig)
{
	struct thread *td = ctx;
	int err;
	uint8_t *p = vm_fault_page(td->td_proc->p_vmspace, addr, (uint8_t)access, &err);

	if (p == NULL)
		*sig = err == VM_FAULT_SEGV ? PS_SIGSEGV : PS_SIGBUS;
	return p;
}

static const struct cpu_mem_ops td_mem_ops = { td_translate };

/* The thread on CPU c still wants it? */
static bool
td_can_continue(const struct thread *td, int c)
{
	return td->td_oncpu == c && td->td_inhibitors == 0 && td->td_proc->p_state == PRS_NORMAL;
}

/* The quantum is over, or a higher priority waits: give the CPU up. */
static void
cpu_preempt(struct kernel *k, int c)
{
	struct sched *s = &k->sched;
	struct cpu *cp = &s->cpus[c];
	struct thread *td = cp->c_td, *next;

	if (s->nrunq == 0) {
		cp->c_slice_end = policy_preempts(s) ? cp->c_clock + s->quantum : NEVER;
		return;
	}
	if (s->policy == PS_POLICY_PCT) {
		next = TAILQ_FIRST(&s->runq);
		TAILQ_FOREACH(next, &s->runq, td_runq)
			if (next->td_prio > td->td_prio)
				break;
		if (next == NULL)
			return;
	}
	td->td_oncpu = -1;
	cp->c_td = NULL;
	td->td_state = TDS_RUNQ;
	TAILQ_INSERT_TAIL(&s->runq, td, td_runq);
	s->nrunq++;
	s->st.preemptions++;
	cpu_switch_to(k, c, runq_choose(s), cp->c_clock);
}

/*
 * The start of CPU c's slice: catch up with what is pending for its thread
 * (a reschedule, an AST).  Returns false when that ended the step (the
 * thread left the CPU); else *limit becomes the clock the slice runs to.
 */
static bool
slice_begin(struct kernel *k, int c, uint64_t *limit)
{
	struct sched *s = &k->sched;
	struct cpu *cp = &s->cpus[c];
	struct thread *td = cp->c_td;

	s->now = cp->c_clock > s->now ? cp->c_clock : s->now;
	if (cp->c_resched) {
		s->kernel_entered = true;
		cp->c_resched = 0;
		cpu_preempt(k, c);
		return false;
	}
	if ((td->td_flags & TDF_ASTPENDING) != 0) {
		s->kernel_entered = true;
		trap_ast(k, td);
		if (!td_can_continue(td, c))
			return false;
	}
	*limit = min_u64(*limit, cp->c_slice_end);
	if (s->pct_next < s->pct_npoints) {
		uint64_t left = s->pct_points[s->pct_next] - s->st.instructions;

		*limit = min_u64(*limit, cp->c_clock + (left == 0 ? 1 : left));
	}
	return true;
}

/*
 * Run CPU c's thread toward limit, at most cap cycles of it (NEVER: no
 * cap), then let the kernel act on why it stopped.  Returns false when the
 * cap cut the slice short of where it would have ended (nothing else
 * happened: the next call goes on from there), true when the slice ended.
 * A cut never changes the outcome: the interpreter carries all its state
 * in the registers, and nothing outside the CPU runs in between.
 */
static bool
slice_run(struct kernel *k, int c, uint64_t limit, uint64_t cap)
{
	struct sched *s = &k->sched;
	struct cpu *cp = &s->cpus[c];
	struct thread *td = cp->c_td;
	struct cpu_exit ex;
	uint64_t budget = limit > cp->c_clock ? limit - cp->c_clock : 1;

	if (cap < budget)
		budget = cap;
	/* A thread armed for a single step (PT_STEP) runs one instruction. */
	if ((td->td_dbgflags & TDB_STEP) != 0) {
		uint64_t one = cpu_next_cycles(&td->td_frame, &td_mem_ops, td);

		if (one < budget)
			budget = one;
	}
	cpu_run(&td->td_frame, &td_mem_ops, td, budget, s->sys_cycles, &ex);
	s->st.instructions += ex.insns;
	s->st.cycles += ex.cycles;
	td->td_cycles += ex.cycles;
	td->td_proc->p_ru.utime_ns +=
	    (int64_t)(ex.cycles - (ex.reason == CPU_EXIT_SYSCALL ? min_u64(s->sys_cycles, ex.cycles) : 0));
	cp->c_busy += ex.cycles;
	cp->c_clock += ex.cycles;
	bool stepped = (td->td_dbgflags & TDB_STEP) != 0 && ex.insns > 0;

	if (ex.reason == CPU_EXIT_BUDGET && cp->c_clock < limit && !stepped)
		return false;
	/* The kernel acts at the start of the stopping instruction. */
	uint64_t cost = ex.reason == CPU_EXIT_SYSCALL ? s->sys_cycles : 1;
	uint64_t at = cp->c_clock - min_u64(cost, ex.cycles);

	/* The clock of the simulation moves with what the kernel does, not
	 * with a CPU's own run ahead: a slice that only ran instructions
	 * leaves it alone. */
	if ((ex.reason != CPU_EXIT_BUDGET || stepped) && at > s->now)
		s->now = at;
	if (ex.reason != CPU_EXIT_BUDGET || stepped)
		s->kernel_entered = true;
	switch (ex.reason) {
	case CPU_EXIT_BUDGET:
		break;
	case CPU_EXIT_SYSCALL:
		s->st.syscalls++;
		trap_syscall(k, td, ex.code);
		/* The step's trap comes once the call has returned. */
		if (stepped && td->td_syscall != 0)
			td->td_dbgflags |= TDB_STEPPED;
		else if (stepped)
			trap_step(k, td);
		stepped = false;
		break;
	case CPU_EXIT_TAG:
		trap_tag(k, td, ex.addr);
		break;
	default:
		s->st.faults++;
		trap_fault(k, td, ex.sig, ex.addr, ex.reason);
		break;
	}
	if (stepped)
		trap_step(k, td);
	/* The PCT change point: the thread that reached it drops. */
	while (s->pct_next < s->pct_npoints && s->st.instructions >= s->pct_points[s->pct_next]) {
		if (cp->c_td == td)
			td->td_prio = s->pct_next + 1;
		s->pct_next++;
		cp->c_resched = 1;
	}
	if (cp->c_td != td) {
		/* It slept, stopped or exited: the CPU takes the next thread now. */
		if (cp->c_td == NULL && s->nrunq > 0)
			cpu_switch_to(k, c, runq_choose(s), cp->c_clock);
		return true;
	}
	if (!td_can_continue(td, c)) {
		sched_rem(k, td);
		if (s->nrunq > 0)
			cpu_switch_to(k, c, runq_choose(s), cp->c_clock);
		return true;
	}
	if (cp->c_clock >= cp->c_slice_end)
		cpu_preempt(k, c);
	return true;
}

/* The cycles of the next instruction of CPU c's thread. */
static uint64_t
next_insn_cycles(struct kernel *k, int c)
{
	struct thread *td = k->sched.cpus[c].c_td;

	return cpu_next_cycles(&td->td_frame, &td_mem_ops, td);
}

/*
 * One step; with one_insn, a CPU runs one instruction of it and a step
 * cut so is left in part_cpu/part_limit for the next call.
 */
static int
step(struct kernel *k, bool one_insn)
{
	struct sched *s = &k->sched;
	uint64_t tt, limit;
	int c, c2;
	bool ended = true;

	PS_ASSERT(!s->in_step);
	s->in_step = true;
	if (s->part_cpu >= 0) {
		struct cpu *cp = &s->cpus[s->part_cpu];

		c = s->part_cpu;
		s->part_cpu = -1;
		/*
		 * Only a call of the API between two calls (a signal, a
		 * stop, a new timer) can have changed what the step would do:
		 * the cut step then ends where it is, and the next starts
		 * afresh.
		 */
		if (s->part_ops == k->stats.operations && timer_next(k) >= s->part_limit &&
		    cp->c_td != NULL && td_can_continue(cp->c_td, c))
			ended = slice_run(k, c, s->part_limit,
			                  one_insn ? next_insn_cycles(k, c) : NEVER);
		if (!ended) {
			s->part_cpu = c;
			s->in_step = false;
			return 1;
		}
		goto done;
	}
	dispatch_idle(k);
	tt = timer_next(k);
	c = cpu_earliest(s);
	if (c < 0 && tt == NEVER) {
		s->in_step = false;
		return 0;
	}
	if (c < 0 || tt <= s->cpus[c].c_clock) {
		if (tt > s->run_limit) {
			s->in_step = false;
			return 0;
		}
		timer_fire(k);
	} else {
		if (s->cpus[c].c_clock > s->run_limit) {
			s->in_step = false;
			return 0;
		}
		limit = min_u64(tt, s->run_limit == NEVER ? NEVER : s->run_limit + 1);
		for (c2 = 0; c2 < s->ncpus; c2++)
			if (c2 != c && s->cpus[c2].c_td != NULL)
				limit = min_u64(limit, s->cpus[c2].c_clock + 1);
		if (slice_begin(k, c, &limit)) {
			ended = slice_run(k, c, limit, one_insn ? next_insn_cycles(k, c) : NEVER);
			if (!ended) {
				s->part_cpu = c;
				s->part_limit = limit;
				s->part_ops = k->stats.operations;
				s->in_step = false;
				return 1;
			}
		}
	}
done:
	s->st.steps++;
	s->in_step = false;
	/* A step that only ran instructions changed no kernel state. */
	if (!s->kernel_entered)
		return 1;
	s->kernel_entered = false;
	return kern_after_step(k);
}

int
sched_step(struct kernel *k)
{
	return step(k, false);
}

int
sched_step_insn(struct kernel *k)
{
	return step(k, true);
}

