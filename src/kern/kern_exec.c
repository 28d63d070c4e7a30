/*
 * Programs and images: the registry of assembled programs, execve (a new
 * address space built from a program, the old one released), the start of
 * a program runner (ps_spawn), threads leaving, and the end of each
 * scheduler step.
 */
#include <stdlib.h>
#include <string.h>

#include <procsim/program.h>

#include "base/assert.h"
#include "kern/kern.h"
#include "vm/vm.h"

struct program {
	char pr_name[32];
	struct asm_image pr_img;
	struct vm_object *pr_text;
	struct vm_object *pr_data;
};

struct program *
program_find(struct kernel *k, const char *name)
{
	for (uint32_t i = 0; i < k->nprograms; i++)
		if (strcmp(k->programs[i]->pr_name, name) == 0)
			return k->programs[i];
	return NULL;
}

/* Programs live as long as the simulator: holding one is free. */
void
program_hold(struct program *pr)
{
	(void)pr;
}

const char *
program_name(const struct program *pr)
{
	return pr->pr_name;
}

/* The program's file id in the simulated file system: its index + 1. */
int64_t
program_fileid(struct kernel *k, const struct program *pr)
{
	for (uint32_t i = 0; i < k->nprograms; i++)
		if (k->programs[i] == pr)
			return (int64_t)i + 1;
	return PS_VNOVAL;
}

const struct asm_image *
program_image(const struct program *pr)
{
	return &pr->pr_img;
}

/* Resolve terminal names (tty0) for the assembler. */
static int
resolve_tty(void *arg, const char *name, int64_t *value)
{
	struct kernel *k = arg;
	struct tty *tp;

	LIST_FOREACH(tp, &k->ttys, t_list)
		if (strcmp(tp->t_name, name) == 0) {
			*value = tp->t_dev;
			return 0;
		}
	return -1;
}

int
program_add(struct kernel *k, const char *name, const char *text, struct asm_error *err)
{
	struct program *pr, **np;
	int error;

	if (program_find(k, name) != NULL)
		return PS_EEXIST;
	pr = calloc(1, sizeof(*pr));
	if (pr == NULL)
		return PS_ENOMEM;
	strncpy(pr->pr_name, name, sizeof(pr->pr_name) - 1);
	error = asm_assemble(text, resolve_tty, k, &pr->pr_img, err);
	if (error != 0) {
		free(pr);
		return error;
	}
	pr->pr_text = vm_object_image(pr->pr_img.text, pr->pr_img.text_len, "text");
	if (pr->pr_img.data_len > 0)
		pr->pr_data = vm_object_image(pr->pr_img.data, pr->pr_img.data_len, "data");
	if (pr->pr_text == NULL || (pr->pr_img.data_len > 0 && pr->pr_data == NULL))
		goto nomem;
	if (k->nprograms == k->programcap) {
		uint32_t ncap = k->programcap == 0 ? 8 : 2 * k->programcap;

		np = realloc(k->programs, ncap * sizeof(*np));
		if (np == NULL)
			goto nomem;
		k->programs = np;
		k->programcap = ncap;
	}
	k->programs[k->nprograms++] = pr;
	return 0;
nomem:
	vm_object_deallocate(pr->pr_text);
	vm_object_deallocate(pr->pr_data);
	asm_image_free(&pr->pr_img);
	free(pr);
	return PS_ENOMEM;
}

void
programs_free(struct kernel *k)
{
	for (uint32_t i = 0; i < k->nprograms; i++) {
		struct program *pr = k->programs[i];

		vm_object_deallocate(pr->pr_text);
		vm_object_deallocate(pr->pr_data);
		asm_image_free(&pr->pr_img);
		free(pr);
	}
	free(k->programs);
	k->programs = NULL;
	k->nprograms = 0;
}

void
strv_free(char **v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* The parent a process sees with getppid(2). */
pid_t_
proc_getppid(struct kernel *k, struct proc *p)
{
	struct proc *rp = p->p_pptr;

	if ((p->p_flag & P_TRACED) != 0 && p->p_oppid != 0) {
		rp = pfind_any_nolock(k, p->p_oppid);
		if (rp == NULL || rp->p_state != PRS_NORMAL)
			rp = k->initproc;
	}
	return rp != NULL ? rp->p_pid : 0;
}

struct thread *
tdfind_nolock(struct kernel *k, lwpid_t_ tid)
{
	struct thread *td;

	LIST_FOREACH(td, TIDHASH(k, tid), td_hash)
		if (td->td_tid == tid)
			return td;
	return NULL;
}

/* td becomes p's first thread (the one exit and exec keep). */
void
thread_make_first(struct proc *p, struct thread *td)
{
	struct thread **pp;

	if (p->p_threads == td)
		return;
	for (pp = &p->p_threads; *pp != td; pp = &(*pp)->td_plist)
		PS_ASSERT(*pp != NULL);
	*pp = td->td_plist;
	td->td_plist = p->p_threads;
	p->p_threads = td;
}

/*
 * td leaves its process (thr_exit, or single-threading for exit and exec).
 * It is unlinked at once and freed after the step.
 */
void
thread_exit_one(struct kernel *k, struct thread *td)
{
	struct proc *p = td->td_proc;
	struct thread **pp;

	PS_ASSERT(p->p_numthreads > 1);
	for (pp = &p->p_threads; *pp != td; pp = &(*pp)->td_plist)
		PS_ASSERT(*pp != NULL);
	*pp = td->td_plist;
	p->p_numthreads--;
	thread_abandon(k, td);
	sched_rem(k, td);
	LIST_REMOVE(td, td_hash);
	kevent_emit(k, PS_EV_THREAD_EXIT, p, 0, 0, td->td_tid, NULL);
	td->td_timer = 0;
	td->td_plist = k->deadthreads;
	k->deadthreads = td;
}

void
deadthreads_free(struct kernel *k)
{
	struct thread *td;

	while ((td = k->deadthreads) != NULL) {
		k->deadthreads = td->td_plist;
		free(td->td_sa.sf_data);
		free(td->td_md);
		free(td);
	}
}

/*
 * The part of exec that is the same with or without an image: P_EXEC, the
 * saved ids, P_SUGID, the command name, caught signals back to default.
 * It cannot fail: when a signal is caught, the caller has already made
 * p's actions its own (sigacts_unshare) while it could still back out.
 */
void
exec_common(struct kernel *k, struct proc *p, const char *comm)
{
	PROC_LOCK(p);
	p->p_flag |= P_EXEC;
	/* A non-set-id image: the saved uid follows the effective one and,
	 * when the ids are not mixed, P_SUGID goes (FreeBSD do_execve). */
	p->p_ucred.cr_svuid = p->p_ucred.cr_uid;
	p->p_ucred.cr_svgid = p->p_ucred.cr_gid;
	if (p->p_ucred.cr_uid == p->p_ucred.cr_ruid && p->p_ucred.cr_gid == p->p_ucred.cr_rgid)
		p->p_flag &= ~P_SUGID;
	strncpy(p->p_comm, comm, MAXCOMLEN);
	p->p_comm[MAXCOMLEN] = '\0';
	PS_ASSERT(p->p_sigacts->ps_sigcatch == 0 || p->p_sigacts->ps_refcnt == 1);
	for (int sig = 1; sig < PS_NSIG; sig++) {
		if ((p->p_sigacts->ps_sigcatch & SIGMASK(sig)) != 0) {
			p->p_sigacts->ps_sigact[sig] = PS_SIG_DFL;
			p->p_sigacts->ps_sigcatch &= ~SIGMASK(sig);
		}
	}
	PROC_UNLOCK(p);
	kevent_emit(k, PS_EV_EXEC, p, 0, 0, 0, p->p_comm);
}

/*
 * execve of prog in td's process.  The new address space is built first:
 * on failure (ENOMEM, E2BIG) the old image is untouched.  Other threads
 * go (single-threading), the thread's registers start at the entry with
 * r0 = argc, r1 = argv, r2 = envp.
 */
int
kern_execve(struct kernel *k, struct thread *td, struct program *pr, const char *const *argv,
            const char *const *envp)
{
	struct proc *p = td->td_proc;
	struct vm_image_args ia;
	struct ps_strings_user pss;
	struct vmspace *vm;
	char execpath[sizeof("/bin/") + sizeof(pr->pr_name)];
	uint64_t sp;
	int error;

	memset(&ia, 0, sizeof(ia));
	ia.text = pr->pr_text;
	ia.text_len = pr->pr_img.text_len;
	ia.data = pr->pr_data;
	ia.data_len = pr->pr_img.data_len;
	ia.sigcode = cpu_sigcode;
	ia.sigcode_len = sizeof(cpu_sigcode);
	ia.argv = argv;
	ia.envp = envp;
	ia.entry = pr->pr_img.entry;
	memcpy(execpath, "/bin/", 5);
	strcpy(execpath + 5, pr->pr_name);
	ia.execpath = execpath;
	if (p->p_sigacts->ps_sigcatch != 0 && (error = sigacts_unshare(p)) != 0)
		return error;
	error = vm_exec_image(k->phys, &ia, &vm, &sp);
	if (error != 0)
		return error;
	error = vm_copyin(vm, VM_PS_STRINGS, &pss, sizeof(pss));
	PS_ASSERT(error == 0);
	thread_make_first(p, td);
	while (p->p_numthreads > 1)
		thread_exit_one(k, td->td_plist);
	vmspace_free(p->p_vmspace);
	p->p_vmspace = vm;
	p->p_prog = pr;
	memset(&td->td_frame, 0, sizeof(td->td_frame));
	td->td_frame.pc = pr->pr_img.entry;
	td->td_frame.sp = sp;
	td->td_frame.r[0] = pss.ps_nargvstr;
	td->td_frame.r[1] = pss.ps_argvstr;
	td->td_frame.r[2] = pss.ps_envstr;
	td->td_syscall = 0;
	td->td_dbgflags &= ~TDB_STEP;
	exec_common(k, p, pr->pr_name);
	PROC_LOCK(p);
	p->p_flag &= ~P_PPTRACE;
	/* A traced process stops on its way out of execve (spec A.1). */
	if ((p->p_flag & P_TRACED) != 0)
		td->td_dbgflags |= TDB_EXEC;
	PROC_UNLOCK(p);
	if ((p->p_kflag & PK_RUNNER) == 0) {
		p->p_kflag |= PK_RUNNER;
		k->nrunners++;
		sched_thread_init(k, td);
		if (td->td_inhibitors == 0)
			sched_add(k, td);
	}
	return 0;
}

/* exit1's part: the address space goes (vmspace_exit). */
void
exit_vmspace(struct kernel *k, struct proc *p)
{
	if (p->p_vmspace == NULL)
		return;
	vmspace_free(p->p_vmspace);
	p->p_vmspace = NULL;
	k->nrunners--;
}

/*
 * After every scheduler step: process-less AST work, init's reaping, dead
 * threads, and the invariant checker when configured.  Returns 1, or
 * PS_EINVARIANT.
 */
int
kern_after_step(struct kernel *k)
{
	struct ps_check_report *rep = &k->last_check;

	PS_ASSERT_MSG(k->nheld == 0, "step ended with %u locks held", k->nheld);
	do {
		ast_run(k);
		init_reap(k);
	} while (!TAILQ_EMPTY(&k->astq));
	deadthreads_free(k);
	if (k->k_cfg.check_every_op) {
		if (kern_check_auto(k, rep) != 0) {
			kevent_emit(k, PS_EV_INVARIANT, NULL, 0, 0, (int32_t)rep->failures,
			            rep->message);
			return PS_EINVARIANT;
		}
	}
	return 1;
}
