/*
 * The public API of execution (procsim/run.h, procsim/program.h):
 * programs, spawning and exec, stepping the scheduler, timers, threads,
 * memory, and the JSON form of events.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <procsim/procsim.h>

#include "base/assert.h"
#include "kern/kern.h"
#include "kern/simop.h"
#include "vm/vm.h"

static const struct {
	const char *name;
	int num;
} syscall_names[] = {
#define PS_SYSNAME_(name, num) { #name, num },
	PS_SYSCALL_MAP(PS_SYSNAME_)
#undef PS_SYSNAME_
};
#define NSYSCALLS (sizeof(syscall_names) / sizeof(syscall_names[0]))

const char *
ps_syscall_name(int sysno)
{
	for (size_t i = 0; i < NSYSCALLS; i++)
		if (syscall_names[i].num == sysno)
			return syscall_names[i].name;
	return NULL;
}

int
ps_syscall_number(const char *name)
{
	if (name == NULL)
		return PS_EINVAL;
	for (size_t i = 0; i < NSYSCALLS; i++)
		if (strcmp(syscall_names[i].name, name) == 0)
			return syscall_names[i].num;
	return PS_EINVAL;
}

static const char *const policy_names[] = {
	[PS_POLICY_RR] = "rr", [PS_POLICY_FIFO] = "fifo",
	[PS_POLICY_RANDOM] = "random", [PS_POLICY_PCT] = "pct",
};

int
ps_policy_number(const char *name)
{
	if (name == NULL)
		return PS_EINVAL;
	for (int i = 0; i <= PS_POLICY_PCT; i++)
		if (strcmp(policy_names[i], name) == 0)
			return i;
	return PS_EINVAL;
}

const char *
ps_policy_name(int policy)
{
	return policy >= 0 && policy <= PS_POLICY_PCT ? policy_names[policy] : NULL;
}

/* --- programs --- */

static bool
program_name_ok(const char *name)
{
	size_t n;

	if (name == NULL)
		return false;
	n = strlen(name);
	if (n == 0 || n > 31)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

int
ps_program_add(ps_sim_t *sim, const char *name, const char *text, struct ps_asm_error *err)
{
	struct asm_error aerr;
	int error;

	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (sim == NULL || !program_name_ok(name) || text == NULL)
		return PS_EINVAL;
	memset(&aerr, 0, sizeof(aerr));
	error = program_add(&sim->k, name, text, &aerr);
	if (error == PS_EINVAL && err != NULL) {
		err->line = aerr.line;
		err->column = aerr.column;
		snprintf(err->message, sizeof(err->message), "%s", aerr.message);
	}
	return error;
}

int
ps_program_info(ps_sim_t *sim, const char *name, struct ps_program_info *out)
{
	struct program *pr;
	const struct asm_image *img;

	if (sim == NULL || name == NULL || out == NULL)
		return PS_EINVAL;
	pr = program_find(&sim->k, name);
	if (pr == NULL)
		return PS_ESRCH;
	img = program_image(pr);
	memset(out, 0, sizeof(*out));
	out->entry = img->entry;
	out->text_len = img->text_len;
	out->data_len = img->data_len;
	out->ninsns = img->ninsns;
	return 0;
}

int
ps_program_symbol(ps_sim_t *sim, const char *program, const char *label, uint64_t *addr)
{
	struct program *pr;
	const struct asm_image *img;

	if (sim == NULL || program == NULL || label == NULL || addr == NULL)
		return PS_EINVAL;
	pr = program_find(&sim->k, program);
	if (pr == NULL)
		return PS_ESRCH;
	img = program_image(pr);
	for (uint32_t i = 0; i < img->nsyms; i++)
		if (strcmp(img->syms[i].name, label) == 0) {
			*addr = img->syms[i].addr;
			return 0;
		}
	return PS_ESRCH;
}

/* --- starting programs --- */

static bool
strv_ok(const char *const *v)
{
	size_t n = 0;

	if (v == NULL)
		return true;
	for (; v[n] != NULL; n++)
		if (n >= 64)
			return false;
	return true;
}

int
ps_execve(ps_sim_t *sim, int32_t pid, const char *program, const char *const *argv,
          const char *const *envp)
{
	struct program *pr;
	struct proc *p;
	int error;

	if (sim == NULL || program == NULL)
		return PS_EINVAL;
	if (!strv_ok(argv) || !strv_ok(envp))
		return PS_E2BIG;
	if ((error = simop_begin_run(sim, pid, &p)) != 0)
		return error;
	if ((p->p_flag & P_SYSTEM) != 0 || p == sim->k.initproc) {
		sim->k.curproc = NULL;
		return PS_EPERM;
	}
	pr = program_find(&sim->k, program);
	if (pr == NULL)
		return simop_end(sim, PS_ESRCH);
	sim->k.curthread = p->p_threads;
	error = kern_execve(&sim->k, p->p_threads, pr, argv, envp);
	/* A traced process stops on its way out of execve (spec A.1). */
	if (error == 0) {
		p->p_threads->td_dbg_sc_code = PS_SYSNO_execve;
		p->p_threads->td_dbg_sc_narg = 3;
		syscall_ret_stop(&sim->k, p->p_threads);
	}
	sim->k.curthread = NULL;
	return simop_end(sim, error);
}

int
ps_spawn(ps_sim_t *sim, int32_t parent, const char *program, const char *const *argv,
         const char *const *envp, int32_t *pid)
{
	struct program *pr;
	struct proc *p, *p2;
	int error;

	if (sim == NULL || program == NULL || pid == NULL)
		return PS_EINVAL;
	if (!strv_ok(argv) || !strv_ok(envp))
		return PS_E2BIG;
	if ((error = simop_begin_run(sim, parent, &p)) != 0)
		return error;
	if ((p->p_flag & P_SYSTEM) != 0) {
		sim->k.curproc = NULL;
		return PS_EPERM;
	}
	pr = program_find(&sim->k, program);
	if (pr == NULL)
		return simop_end(sim, PS_ESRCH);
	error = fork1(&sim->k, p, &p2);
	if (error != 0)
		return simop_end(sim, error);
	/* The child makes the exec. */
	sim->k.curproc = p2;
	sim->k.curthread = p2->p_threads;
	error = kern_execve(&sim->k, p2->p_threads, pr, argv, envp);
	sim->k.curthread = NULL;
	if (error != 0) {
		exit1(&sim->k, p2, W_EXITCODE(127, 0));
		return simop_end(sim, error);
	}
	*pid = p2->p_pid;
	return simop_end(sim, 0);
}

/* --- stepping --- */

uint64_t
ps_sim_now(const ps_sim_t *sim)
{
	return sim != NULL ? sim->k.sched.now : 0;
}

uint64_t
ps_sim_next_time(ps_sim_t *sim)
{
	return sim != NULL ? sched_next_time(&sim->k) : PS_TIME_NEVER;
}

int
ps_sim_step(ps_sim_t *sim)
{
	if (sim == NULL || sim->k.sched.in_step || sim->k.nheld != 0)
		return PS_EINVAL;
	return sched_step(&sim->k);
}

int
ps_sim_run_until(ps_sim_t *sim, uint64_t t, uint64_t max_steps, uint64_t *steps)
{
	struct sched *s;
	uint64_t n = 0;
	int rv = 0;

	if (steps != NULL)
		*steps = 0;
	if (sim == NULL || sim->k.sched.in_step || sim->k.nheld != 0)
		return PS_EINVAL;
	s = &sim->k.sched;
	s->run_limit = t;
	for (;;) {
		if (max_steps != 0 && n >= max_steps) {
			rv = 1;
			break;
		}
		if (sched_next_time(&sim->k) > t)
			break;
		int r = sched_step(&sim->k);

		if (r < 0) {
			rv = r;
			break;
		}
		if (r == 0)
			break;
		n++;
	}
	s->run_limit = PS_TIME_NEVER;
	if (rv == 0 && s->now < t && t != PS_TIME_NEVER)
		s->now = t;
	if (steps != NULL)
		*steps = n;
	return rv;
}

int
ps_sim_step_insn(ps_sim_t *sim, uint64_t t)
{
	struct sched *s;
	int r;

	if (sim == NULL || sim->k.sched.in_step || sim->k.nheld != 0)
		return PS_EINVAL;
	s = &sim->k.sched;
	if (sched_next_time(&sim->k) > t)
		return 0;
	s->run_limit = t;
	r = sched_step_insn(&sim->k);
	s->run_limit = PS_TIME_NEVER;
	return r;
}

int
ps_sim_at(ps_sim_t *sim, uint64_t t, ps_timer_cb cb, void *arg, uint64_t *id)
{
	uint64_t tid;

	if (sim == NULL || cb == NULL || t < sim->k.sched.now)
		return PS_EINVAL;
	tid = sched_timer_ext(&sim->k, t, cb, arg);
	if (id != NULL)
		*id = tid;
	return 0;
}

int
ps_sim_cancel(ps_sim_t *sim, uint64_t id)
{
	if (sim == NULL)
		return PS_EINVAL;
	return sched_timer_cancel(&sim->k, id);
}

/* --- threads --- */

static uint8_t
td_public_state(const struct thread *td)
{
	const struct proc *p = td->td_proc;

	if (p->p_state != PRS_NORMAL || td->td_state == TDS_INACTIVE)
		return PS_TD_INACTIVE;
	if ((td->td_inhibitors & TDI_SUSPENDED) != 0)
		return PS_TD_STOPPED;
	if ((td->td_inhibitors & TDI_SINGLE) != 0)
		return PS_TD_SUSPENDED;
	if ((td->td_inhibitors & TDI_SLEEPING) != 0)
		return PS_TD_SLEEPING;
	if (!P_RUNNER(p))
		return PS_TD_IDLE;
	if (td->td_oncpu >= 0)
		return PS_TD_RUNNING;
	return TAILQ_LINKED(td, td_runq) ? PS_TD_RUNNABLE : PS_TD_INACTIVE;
}

int
ps_thread_info(ps_sim_t *sim, int32_t tid, struct ps_thread_info *out)
{
	struct thread *td;

	if (sim == NULL || out == NULL)
		return PS_EINVAL;
	td = tdfind_nolock(&sim->k, tid);
	if (td == NULL)
		return PS_ESRCH;
	memset(out, 0, sizeof(*out));
	out->tid = td->td_tid;
	out->pid = td->td_proc->p_pid;
	out->cpu = td->td_oncpu;
	out->state = td_public_state(td);
	if (td->td_wmesg != NULL)
		snprintf(out->wmesg, sizeof(out->wmesg), "%s", td->td_wmesg);
	out->wchan = td->td_wchan;
	out->syscall = td->td_syscall;
	out->cycles = td->td_cycles;
	memcpy(out->regs.r, td->td_frame.r, sizeof(out->regs.r));
	out->regs.pc = td->td_frame.pc;
	out->regs.sp = td->td_frame.sp;
	out->regs.flags = td->td_frame.flags;
	return 0;
}

int
ps_proc_threads(ps_sim_t *sim, int32_t pid, int32_t *tids, size_t cap, size_t *count)
{
	struct proc *p;
	size_t n = 0;

	if (sim == NULL || count == NULL || (tids == NULL && cap != 0))
		return PS_EINVAL;
	p = pfind_any_nolock(&sim->k, pid);
	if (p == NULL)
		return PS_ESRCH;
	for (struct thread *td = p->p_threads; td != NULL; td = td->td_plist) {
		if (n < cap)
			tids[n] = td->td_tid;
		n++;
	}
	*count = n;
	return n > cap ? PS_ERANGE : 0;
}

/* --- memory --- */

static int
mem_proc(ps_sim_t *sim, int32_t pid, void *buf, struct proc **pp)
{
	struct proc *p;

	if (sim == NULL || buf == NULL)
		return PS_EINVAL;
	p = pfind_any_nolock(&sim->k, pid);
	if (p == NULL)
		return PS_ESRCH;
	if (p->p_vmspace == NULL)
		return PS_EINVAL;
	*pp = p;
	return 0;
}

int
ps_mem_read(ps_sim_t *sim, int32_t pid, uint64_t addr, void *buf, size_t len, size_t *done)
{
	struct proc *p;
	size_t d = 0;
	int error = mem_proc(sim, pid, buf, &p);

	if (error == 0)
		error = vm_rwmem(p->p_vmspace, addr, buf, len, false, &d);
	if (done != NULL)
		*done = d;
	return error;
}

int
ps_mem_write(ps_sim_t *sim, int32_t pid, uint64_t addr, const void *buf, size_t len,
             size_t *done)
{
	struct proc *p;
	size_t d = 0;
	int error = mem_proc(sim, pid, (void *)(uintptr_t)buf, &p);

	if (error == 0)
		error = vm_rwmem(p->p_vmspace, addr, (void *)(uintptr_t)buf, len, true, &d);
	if (done != NULL)
		*done = d;
	return error;
}

int
ps_mem_info(ps_sim_t *sim, int32_t pid, struct ps_mem_info *out)
{
	struct proc *p;

	if (sim == NULL || out == NULL)
		return PS_EINVAL;
	p = pid == 0 ? NULL : pfind_any_nolock(&sim->k, pid);
	if (pid != 0 && p == NULL)
		return PS_ESRCH;
	memset(out, 0, sizeof(*out));
	out->frames_total = vm_phys_total(sim->k.phys);
	out->frames_used = vm_phys_used(sim->k.phys);
	if (p != NULL && p->p_vmspace != NULL) {
		out->resident = vm_resident(p->p_vmspace);
		out->entries = vm_entry_count(p->p_vmspace);
		out->timestamp = vm_timestamp(p->p_vmspace);
	}
	return 0;
}

int
ps_sched_stats(const ps_sim_t *sim, struct ps_sched_stats *out)
{
	const struct sched *s;

	if (sim == NULL || out == NULL)
		return PS_EINVAL;
	s = &sim->k.sched;
	*out = s->st;
	out->now = s->now;
	out->runnable = s->nrunq;
	out->running = 0;
	for (int c = 0; c < s->ncpus; c++) {
		out->busy_ns[c] = s->cpus[c].c_busy;
		out->clock[c] = s->cpus[c].c_clock;
		out->running += s->cpus[c].c_td != NULL;
	}
	out->ncpus = s->ncpus;
	return 0;
}

/* --- JSON lines --- */

/*
 * An output buffer with snprintf's contract: the whole length is counted,
 * at most len - 1 bytes are stored and a NUL ends them.  Formatting an
 * event by hand rather than through snprintf matters: every event of every
 * scenario run is formatted, to be hashed (ps_trace_hash_event).
 */
struct jbuf {
	char *buf;
	size_t len, n;
};

static void
jb_char(struct jbuf *jb, char c)
{
	if (jb->n + 1 < jb->len)
		jb->buf[jb->n] = c;
	jb->n++;
}

static void
jb_str(struct jbuf *jb, const char *s)
{
	while (*s != '\0')
		jb_char(jb, *s++);
}

static void
jb_u64(struct jbuf *jb, uint64_t v)
{
	char d[20];
	int i = 0;

	do {
		d[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (i > 0)
		jb_char(jb, d[--i]);
}

static void
jb_i32(struct jbuf *jb, int32_t v)
{
	if (v < 0) {
		jb_char(jb, '-');
		jb_u64(jb, (uint64_t)(-(int64_t)v));
	} else {
		jb_u64(jb, (uint64_t)v);
	}
}

/* A JSON string of s (event details are short, plain ASCII as a rule). */
static void
jb_json_str(struct jbuf *jb, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	jb_char(jb, '"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			jb_char(jb, '\\');
			jb_char(jb, (char)c);
		} else if (c < 0x20 || c >= 0x7f) {
			jb_str(jb, "\\u00");
			jb_char(jb, hex[c >> 4]);
			jb_char(jb, hex[c & 15]);
		} else {
			jb_char(jb, (char)c);
		}
	}
	jb_char(jb, '"');
}

int
ps_event_json(const struct ps_event *ev, char *buf, size_t len)
{
	struct jbuf jb = { buf, len, 0 };
	const char *name, *sig;

	if (ev == NULL || (buf == NULL && len != 0))
		return PS_EINVAL;
	name = ps_event_name(ev->type);
	if (name == NULL)
		return PS_EINVAL;
	sig = ev->sig != 0 ? ps_signal_name(ev->sig) : NULL;
	jb_str(&jb, "{\"seq\":");
	jb_u64(&jb, ev->seq);
	jb_str(&jb, ",\"t\":");
	jb_u64(&jb, ev->time);
	jb_str(&jb, ",\"type\":\"");
	jb_str(&jb, name);
	jb_str(&jb, "\",\"pid\":");
	jb_i32(&jb, ev->pid);
	jb_str(&jb, ",\"pid2\":");
	jb_i32(&jb, ev->pid2);
	jb_str(&jb, ",\"pgid\":");
	jb_i32(&jb, ev->pgid);
	jb_str(&jb, ",\"sid\":");
	jb_i32(&jb, ev->sid);
	jb_str(&jb, ",\"tid\":");
	jb_i32(&jb, ev->tid);
	jb_str(&jb, ",\"cpu\":");
	jb_i32(&jb, ev->cpu);
	jb_str(&jb, ",\"sig\":");
	if (sig != NULL) {
		jb_char(&jb, '"');
		jb_str(&jb, sig);
		jb_char(&jb, '"');
	} else {
		jb_str(&jb, "null");
	}
	jb_str(&jb, ",\"value\":");
	jb_i32(&jb, ev->value);
	if (ev->detail != NULL) {
		jb_str(&jb, ",\"detail\":");
		jb_json_str(&jb, ev->detail);
	}
	jb_char(&jb, '}');
	if (len > 0)
		buf[jb.n < len ? jb.n : len - 1] = '\0';
	return (int)jb.n;
}
