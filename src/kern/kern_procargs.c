/*
 * A process's arguments, environment, auxiliary vector and memory map, as
 * the kern.proc.args, kern.proc.env, kern.proc.auxv and kern.proc.vmmap
 * sysctls give them (spec-kern_proc.md §7 and §8.1).
 *
 * Nothing here trusts what exec once wrote.  The reads go through the MMU
 * with the debugger's rules (proc_readmem, on vm_rwmem), starting from the
 * one fixed address the ABI promises, VM_PS_STRINGS: struct ps_strings
 * gives argv[] and envp[] and their counts, argv[] gives the strings, and
 * the auxiliary vector is found one word past envp's NULL.  A program that
 * stores over its own argument strings, or moves its argv[] elsewhere and
 * fixes ps_strings, is reported as it now is.  Each step may fail as
 * FreeBSD's get_proc_vector and get_ps_strings fail (§7.2, §7.3): a
 * ps_strings or vector read that comes up short is ENOMEM (a vector of 0
 * entries included: a read of 0 bytes counts as a failed read), an
 * absurd count or a lost auxv is ENOEXEC, a NULL in argv[] ends the list
 * quietly, and strings are read in 256-byte chunks within a total budget.
 *
 * Answers are gathered in a host buffer (the sysctl's sbuf) and handed
 * to the caller at the end, which is where a buffer that is too small
 * shows: the part that fits is written and the call says ENOMEM, as
 * SYSCTL_OUT does.  An error of the memory read wins over that one.
 *
 * procsim keeps no p_args cache for processes that run programs: their
 * arguments always come from memory.  A puppet (a process that never ran
 * a program, so has no address space) answers kern.proc.args with its
 * command name, which stands for the p_args cache FreeBSD's exec fills;
 * like p_args it lasts until the process is reaped.  A system process has
 * neither, and gets the empty answer the sysctls give it.
 *
 * These are queries: they take the caller's credentials but are not
 * operations of the simulation (no simop_end, nothing counted), so a REPL
 * may look between two instructions of a step without ending the step.
 * Locks: allproc_lock shared inside pget, then the target's PROC_LOCK;
 * the target is held (PHOLD) and unlocked while its memory is read, as
 * proc_rwmem requires; nothing is held on return.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <procsim/kinfo.h>

#include "base/assert.h"
#include "kern/kern.h"
#include "kern/simop.h"
#include "vm/vm.h"

/* FreeBSD's PATH_MAX, for the string budget. */
#define PROCARGS_PATH_MAX 1024
/* Chunk size of the string reads (GET_PS_STRINGS_CHUNK_SZ). */
#define PS_STRINGS_CHUNK 256
/* The most get_ps_strings gathers, NULs included. */
#define PS_STRINGS_BUDGET (2 * (PROCARGS_PATH_MAX + PS_ARG_MAX))

_Static_assert(sizeof(struct ps_auxinfo) == 16, "an auxv record is two 64-bit words");
_Static_assert(sizeof(struct ps_strings_user) == 32, "ps_strings is four 64-bit words");

enum proc_vector_type {
	PROC_ARG,
	PROC_ENV,
	PROC_AUX,
};

/* --- The answer being built: FreeBSD's sbuf for a sysctl --- */

struct pa_sbuf {
	uint8_t *buf;
	size_t len;   /* Bytes appended. */
	size_t cap;   /* Bytes allocated. */
	bool nomem;   /* The host ran out of memory: the answer is cut. */
};

static void
pa_cat(struct pa_sbuf *sb, const void *data, size_t n)
{
	size_t ncap;
	uint8_t *nb;

	if (sb->nomem || n == 0)
		return;
	if (sb->cap - sb->len < n) {
		ncap = sb->cap != 0 ? sb->cap : PS_STRINGS_CHUNK;
		while (ncap - sb->len < n)
			ncap *= 2;
		nb = realloc(sb->buf, ncap);
		if (nb == NULL) {
			sb->nomem = true;
			return;
		}
		sb->buf = nb;
		sb->cap = ncap;
	}
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	PS_ASSERT(sb->len <= sb->cap);
}

/*
 * Hand the answer to the caller, in records of recsize bytes: all of it
 * when it fits in cap records, else the first cap and PS_ENOMEM; a size
 * probe (out NULL) only counts.  error, the kernel's result, wins.
 */
static int
pa_deliver(struct pa_sbuf *sb, void *out, size_t cap, size_t recsize, size_t *count, int error)
{
	size_t nrec = sb->len / recsize;

	PS_ASSERT(recsize > 0);
	PS_ASSERT(sb->len % recsize == 0 || sb->nomem);
	if (error == 0 && sb->nomem)
		error = PS_ENOMEM;
	if (out == NULL) {
		*count = nrec;
	} else {
		*count = nrec <= cap ? nrec : cap;
		if (*count > 0)
			memcpy(out, sb->buf, *count * recsize);
		if (error == 0 && nrec > cap)
			error = PS_ENOMEM;
	}
	free(sb->buf);
	sb->buf = NULL;
	return error;
}

/* --- Reading the target's memory --- */

/*
 * proc_readmem: len bytes of p's memory at va, as a debugger reads them.
 * Returns the bytes read, which are fewer than len when a page on the way
 * cannot be read, or -1 when none could be: a read of 0 bytes included,
 * which is how the kernel's proc_readmem answers it.  p is held and not
 * locked (proc_rwmem's rule).
 */
static int64_t
proc_readmem(struct proc *p, uint64_t va, void *buf, size_t len)
{
	size_t done = 0;
	int error;

	PS_ASSERT_MSG(p->p_lock > 0, "proc_readmem: pid %d is not held", p->p_pid);
	PS_ASSERT(!PROC_LOCKED(p));
	if (p->p_vmspace == NULL || len == 0)
		return -1;
	error = vm_rwmem(p->p_vmspace, va, buf, len, false, &done);
	PS_ASSERT(done <= len);
	PS_ASSERT(error != 0 || done == len);
	return done > 0 ? (int64_t)done : -1;
}

/* Where the auxiliary vector of pss starts, and how many records it has. */
static int
auxv_extent(struct proc *p, const struct ps_strings_user *pss, uint64_t *vptr, size_t *vsize)
{
	struct ps_auxinfo aux;
	uint64_t ptr;
	size_t i;

	/* Just past the NULL that ends envp[], naturally aligned. */
	*vptr = pss->ps_envstr + (pss->ps_nenvstr + 1) * sizeof(uint64_t);
	if (*vptr % sizeof(uint64_t) != 0)
		return PS_ENOEXEC;
	memset(&aux, 0, sizeof(aux));
	for (ptr = *vptr, i = 0; i < PS_PROC_AUXV_MAX; i++) {
		if (proc_readmem(p, ptr, &aux, sizeof(aux)) != (int64_t)sizeof(aux))
			return PS_ENOMEM;
		if (aux.a_type == PS_AT_NULL)
			break;
		ptr += sizeof(aux);
	}
	/* No AT_NULL within the limit: this is not an auxv any more. */
	if (aux.a_type != PS_AT_NULL)
		return PS_ENOEXEC;
	*vsize = i + 1;
	return 0;
}

/*
 * get_proc_vector: argv[] or envp[] (vsize addresses) or the auxiliary
 * vector (vsize records, AT_NULL included), read whole from p's memory
 * into *vecp (malloc'd; the caller frees it).  PS_ENOMEM, PS_ENOEXEC.
 */
static int
get_proc_vector(struct proc *p, enum proc_vector_type type, void **vecp, size_t *vsizep)
{
	struct ps_strings_user pss;
	uint64_t vptr, count;
	size_t vsize, size;
	void *vec;
	int error;

	*vecp = NULL;
	*vsizep = 0;
	if (proc_readmem(p, VM_PS_STRINGS, &pss, sizeof(pss)) != (int64_t)sizeof(pss))
		return PS_ENOMEM;
	switch (type) {
	case PROC_ARG:
	case PROC_ENV:
		vptr = type == PROC_ARG ? pss.ps_argvstr : pss.ps_envstr;
		count = type == PROC_ARG ? pss.ps_nargvstr : pss.ps_nenvstr;
		if (count > PS_ARG_MAX)
			return PS_ENOEXEC;
		vsize = (size_t)count;
		size = vsize * sizeof(uint64_t);
		break;
	case PROC_AUX:
		if ((error = auxv_extent(p, &pss, &vptr, &vsize)) != 0)
			return error;
		size = vsize * sizeof(struct ps_auxinfo);
		break;
	default:
		PS_PANIC("get_proc_vector: type %d", (int)type);
	}
	vec = malloc(size > 0 ? size : 1);
	if (vec == NULL)
		return PS_ENOMEM;
	/* A short read is a failure here, and so is a read of nothing. */
	if (proc_readmem(p, vptr, vec, size) != (int64_t)size) {
		free(vec);
		return PS_ENOMEM;
	}
	*vecp = vec;
	*vsizep = vsize;
	return 0;
}

/*
 * get_ps_strings: the strings of argv[] or envp[], each with its NUL,
 * appended to sb.  On an error the strings gathered before it stay.
 */
static int
get_ps_strings(struct proc *p, enum proc_vector_type type, struct pa_sbuf *sb)
{
	char chunk[PS_STRINGS_CHUNK];
	const char *nul;
	uint64_t *vec, sptr;
	size_t done, len, vsize, i;
	void *v;
	int error;

	PS_ASSERT(type == PROC_ARG || type == PROC_ENV);
	PS_ASSERT(p->p_lock > 0);
	if ((error = get_proc_vector(p, type, &v, &vsize)) != 0)
		return error;
	vec = v;
	len = 0;
	for (done = 0, i = 0; i < vsize && done < PS_STRINGS_BUDGET; i++) {
		/* The program may have cut its own list short. */
		if (vec[i] == 0)
			break;
		for (sptr = vec[i];; sptr += PS_STRINGS_CHUNK) {
			/*
			 * A short read leaves the rest of the chunk as it was:
			 * zeroed first, so a string running into an unreadable
			 * page ends at the page's end, the same on every run.
			 */
			memset(chunk, 0, sizeof(chunk));
			if (proc_readmem(p, sptr, chunk, sizeof(chunk)) <= 0) {
				error = PS_ENOMEM;
				goto out;
			}
			nul = memchr(chunk, '\0', sizeof(chunk));
			len = nul != NULL ? (size_t)(nul - chunk) : sizeof(chunk);
			if (done + len >= PS_STRINGS_BUDGET)
				len = PS_STRINGS_BUDGET - done - 1;
			pa_cat(sb, chunk, len);
			if (len != PS_STRINGS_CHUNK)
				break;
			done += PS_STRINGS_CHUNK;
		}
		pa_cat(sb, "", 1);
		done += len + 1;
	}
out:
	free(vec);
	return error;
}

/* proc_getauxv: the raw records of the auxiliary vector, appended to sb. */
static int
proc_getauxv(struct proc *p, struct pa_sbuf *sb)
{
	size_t vsize;
	void *aux;
	int error;

	PS_ASSERT(p->p_lock > 0);
	if ((error = get_proc_vector(p, PROC_AUX, &aux, &vsize)) != 0)
		return error;
	PS_ASSERT(vsize >= 1);
	pa_cat(sb, aux, vsize * sizeof(struct ps_auxinfo));
	free(aux);
	return 0;
}

/* The hold taken to read p's memory goes. */
static void
procargs_rele(struct kernel *k, struct proc *p)
{
	PROC_LOCK(p);
	_PRELE(k, p);
	PROC_UNLOCK(p);
}

/* A process that never ran a program: no address space, no system process. */
static bool
proc_is_puppet(const struct proc *p)
{
	return (p->p_kflag & PK_RUNNER) == 0 && (p->p_flag & P_SYSTEM) == 0;
}

/* --- The sysctls --- */

/*
 * kern.proc.args: p_cansee is enough, and zombies are found.  The cached
 * arguments first (a puppet's command name), else memory unless the
 * process is exiting or a system process, else nothing.
 */
static int
sysctl_kern_proc_args(struct kernel *k, pid_t_ pid, struct pa_sbuf *sb)
{
	struct proc *p;
	int error;

	if ((error = pget(k, pid, PS_PGET_CANSEE, &p)) != 0)
		return error;
	PROC_LOCK_ASSERT(p, MA_OWNED);
	if (proc_is_puppet(p)) {
		pa_cat(sb, p->p_comm, strlen(p->p_comm) + 1);
		PROC_UNLOCK(p);
		return 0;
	}
	if ((p->p_flag & (P_WEXIT | P_SYSTEM)) != 0) {
		PROC_UNLOCK(p);
		return 0;
	}
	_PHOLD(k, p);
	PROC_UNLOCK(p);
	error = get_ps_strings(p, PROC_ARG, sb);
	procargs_rele(k, p);
	return error;
}

/*
 * kern.proc.env and kern.proc.auxv: debug rights, not exiting (pget's
 * WANTREAD).  A system process answers nothing; so does a puppet, which
 * has no memory to read.
 */
static int
sysctl_kern_proc_vector(struct kernel *k, pid_t_ pid, enum proc_vector_type type,
                        struct pa_sbuf *sb)
{
	struct proc *p;
	int error;

	PS_ASSERT(type == PROC_ENV || type == PROC_AUX);
	if ((error = pget(k, pid, PS_PGET_WANTREAD, &p)) != 0)
		return error;
	PS_ASSERT(!PROC_LOCKED(p));
	PS_ASSERT(p->p_lock > 0);
	if ((p->p_flag & P_SYSTEM) != 0 || p->p_vmspace == NULL)
		error = 0;
	else if (type == PROC_ENV)
		error = get_ps_strings(p, PROC_ENV, sb);
	else
		error = proc_getauxv(p, sb);
	procargs_rele(k, p);
	return error;
}

/* One map entry as kern.proc.vmmap reports it. */
static void
vmentry_fill(const struct proc *p, const struct vm_entry_info *e, struct ps_kinfo_vmentry *kve)
{
	memset(kve, 0, sizeof(*kve));
	kve->kve_structsize = (int32_t)sizeof(*kve);
	kve->kve_start = e->start;
	kve->kve_end = e->end;
	kve->kve_offset = e->offset;
	kve->kve_protection = e->prot & (PS_KVME_PROT_READ | PS_KVME_PROT_WRITE | PS_KVME_PROT_EXEC);
	kve->kve_max_protection = e->max_prot & (PS_KVME_PROT_READ | PS_KVME_PROT_WRITE |
	                                         PS_KVME_PROT_EXEC);
	kve->kve_resident = e->resident;
	kve->kve_private_resident = e->private_count;
	kve->kve_obj_id = e->obj_id;
	snprintf(kve->kve_label, sizeof(kve->kve_label), "%s", e->name);
	switch (e->obj_type) {
	case OBJT_IMAGE:
		/* A program's text and data map its file, /bin/NAME. */
		kve->kve_type = PS_KVME_TYPE_VNODE;
		kve->kve_flags |= PS_KVME_FLAG_COW;
		if (p->p_prog != NULL)
			snprintf(kve->kve_path, sizeof(kve->kve_path), "/bin/%s",
			         program_name(p->p_prog));
		break;
	case OBJT_DEFAULT:
		kve->kve_type = PS_KVME_TYPE_DEFAULT;
		kve->kve_flags |= PS_KVME_FLAG_COW;
		break;
	case OBJT_SHARED:
		/* The shared page is mapped shared: never copied. */
		kve->kve_type = PS_KVME_TYPE_PHYS;
		break;
	default:
		kve->kve_type = PS_KVME_TYPE_UNKNOWN;
		break;
	}
	PS_ASSERT(kve->kve_start < kve->kve_end);
	PS_ASSERT(kve->kve_resident <= (kve->kve_end - kve->kve_start) / PAGE_SIZE);
}

/*
 * kern.proc.vmmap: debug rights, not exiting; no address space is
 * ESRCH.  The entries in address order, one record each.
 */
static int
sysctl_kern_proc_vmmap(struct kernel *k, pid_t_ pid, struct pa_sbuf *sb)
{
	struct ps_kinfo_vmentry kve;
	struct vm_entry_info e;
	struct vmspace *vm;
	struct proc *p;
	uint64_t addr;
	uint32_t i, n;
	int error;

	if ((error = pget(k, pid, PS_PGET_CANDEBUG | PS_PGET_NOTWEXIT, &p)) != 0)
		return error;
	PROC_LOCK_ASSERT(p, MA_OWNED);
	_PHOLD(k, p);
	PROC_UNLOCK(p);
	vm = p->p_vmspace;
	if (vm == NULL) {
		procargs_rele(k, p);
		return PS_ESRCH;
	}
	n = vm_entry_count(vm);
	for (i = 0, addr = 0; i < n; i++) {
		error = vm_entry_lookup(vm, addr, &e);
		PS_ASSERT(error == 0);
		PS_ASSERT(e.start >= addr);
		vmentry_fill(p, &e, &kve);
		pa_cat(sb, &kve, sizeof(kve));
		addr = e.end;
	}
	PS_ASSERT(vm_entry_lookup(vm, addr, &e) == PS_ESRCH);
	procargs_rele(k, p);
	return 0;
}

/* --- The public calls --- */

/*
 * Begin a query made by caller (a live process: PS_ESRCH otherwise).  It
 * is not an operation: see the top of the file.
 */
static int
procargs_begin(ps_sim_t *sim, int32_t caller, struct kernel **kp)
{
	struct proc *cur;
	int error;

	if ((error = simop_begin(sim, caller, &cur)) != 0)
		return error;
	*kp = &sim->k;
	PS_ASSERT((*kp)->curproc == cur);
	return 0;
}

static void
procargs_end(struct kernel *k)
{
	PS_ASSERT_MSG(k->nheld == 0, "procargs returned with %u locks held", k->nheld);
	k->curproc = NULL;
}

static int
proc_strings(ps_sim_t *sim, int32_t caller, int32_t pid, enum proc_vector_type type, char *buf,
             size_t cap, size_t *len)
{
	struct pa_sbuf sb = {0};
	struct kernel *k;
	int error;

	if (sim == NULL || len == NULL)
		return PS_EINVAL;
	*len = 0;
	if ((error = procargs_begin(sim, caller, &k)) != 0)
		return error;
	if (type == PROC_ARG)
		error = sysctl_kern_proc_args(k, pid, &sb);
	else
		error = sysctl_kern_proc_vector(k, pid, PROC_ENV, &sb);
	procargs_end(k);
	return pa_deliver(&sb, buf, cap, 1, len, error);
}

int
ps_proc_getargv(ps_sim_t *sim, int32_t caller, int32_t pid, char *buf, size_t cap, size_t *len)
{
	return proc_strings(sim, caller, pid, PROC_ARG, buf, cap, len);
}

int
ps_proc_getenvv(ps_sim_t *sim, int32_t caller, int32_t pid, char *buf, size_t cap, size_t *len)
{
	return proc_strings(sim, caller, pid, PROC_ENV, buf, cap, len);
}

int
ps_proc_getauxv(ps_sim_t *sim, int32_t caller, int32_t pid, struct ps_auxinfo *buf, size_t cap,
                size_t *count)
{
	struct pa_sbuf sb = {0};
	struct kernel *k;
	int error;

	if (sim == NULL || count == NULL)
		return PS_EINVAL;
	*count = 0;
	if ((error = procargs_begin(sim, caller, &k)) != 0)
		return error;
	error = sysctl_kern_proc_vector(k, pid, PROC_AUX, &sb);
	procargs_end(k);
	return pa_deliver(&sb, buf, cap, sizeof(struct ps_auxinfo), count, error);
}

int
ps_proc_vmmap(ps_sim_t *sim, int32_t caller, int32_t pid, struct ps_kinfo_vmentry *buf,
              size_t cap, size_t *count)
{
	struct pa_sbuf sb = {0};
	struct kernel *k;
	int error;

	if (sim == NULL || count == NULL)
		return PS_EINVAL;
	*count = 0;
	if ((error = procargs_begin(sim, caller, &k)) != 0)
		return error;
	error = sysctl_kern_proc_vmmap(k, pid, &sb);
	procargs_end(k);
	return pa_deliver(&sb, buf, cap, sizeof(struct ps_kinfo_vmentry), count, error);
}
