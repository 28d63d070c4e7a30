/*
 * The public API of terminal I/O (tty.h): read and write as sleepable
 * system calls made by a process, and the terminal's side (input typed,
 * output displayed, TOSTOP, carrier loss) as actions of the kernel.
 *
 * read and write follow sim_wait.c's sys_call: the call is made on the
 * caller's first thread through syscall_start(); if it completes within
 * the operation its result is returned (and a read's bytes copied to the
 * caller's buffer), otherwise PS_EINPROGRESS, and the result is left in the
 * thread's frame for ps_sysret().  The caller's buffer is handed to the
 * kernel as the call's user address (sf_args[1]) and taken back before
 * returning: a call that completes later never touches it.
 *
 * The terminal's side has no calling process: like ps_kproc_new, it runs
 * as swapper, framed by simop_begin()/simop_end(), so that the signals it
 * posts are delivered and the calls it wakes complete before it returns.
 */
#include <stdint.h>
#include <string.h>

#include <procsim/procsim.h>

#include "kern/kern.h"
#include "kern/simop.h"

/* Copy a completed read's bytes out of the frame. */
static void
tty_copyout(const struct syscall_frame *sf, void *buf, size_t len)
{
	size_t n = sf->sf_nbytes;

	if (sf->sf_ret <= 0 || sf->sf_data == NULL || buf == NULL)
		return;
	if (n > len)
		n = len;
	memcpy(buf, sf->sf_data, n);
}

/*
 * Make a read or write for pid on dev and end the operation.  Returns the
 * call's result when it completed, PS_EINPROGRESS otherwise.
 */
static int
tty_sys_call(ps_sim_t *sim, int32_t pid, int32_t dev, int code, const void *ubuf, void *rbuf,
             size_t len)
{
	struct syscall_frame *sf;
	struct kernel *k;
	struct proc *p;
	struct thread *td;
	int64_t args[3];
	int error, rv;

	if ((error = simop_begin_run(sim, pid, &p)) != 0)
		return error;
	k = &sim->k;
	if (tty_find_dev(k, dev) == NULL) {
		k->curproc = NULL;
		return PS_ENOTTY;
	}
	if ((p->p_flag & P_SYSTEM) != 0) {
		/* Kernel processes have no descriptors. */
		k->curproc = NULL;
		return PS_EPERM;
	}
	td = p->p_threads;
	args[0] = dev;
	args[1] = (int64_t)(intptr_t)ubuf;
	args[2] = (int64_t)len;
	syscall_start(k, td, code, args, 3);
	sf = &td->td_sa;
	rv = sf->sf_state == SFS_DONE ? (int)sf->sf_ret : PS_EINPROGRESS;
	if (rv != PS_EINPROGRESS && rbuf != NULL)
		tty_copyout(sf, rbuf, len);
	rv = simop_end(sim, rv);
	p = simop_live_proc(k, pid);
	if (p != NULL && p->p_threads->td_sa.sf_code == code) {
		sf = &p->p_threads->td_sa;
		if (rv == PS_EINPROGRESS && sf->sf_state == SFS_DONE) {
			/* Restarted and completed on the way out (after a handler). */
			rv = (int)sf->sf_ret;
			if (rbuf != NULL)
				tty_copyout(sf, rbuf, len);
		}
		if (sf->sf_state != SFS_DONE)
			sf->sf_args[1] = 0; /* The caller's buffer is gone. */
	}
	return rv;
}

int
ps_tty_read(ps_sim_t *sim, int32_t pid, int32_t dev, void *buf, size_t len)
{
	if (sim == NULL || (buf == NULL && len != 0) || len > INT32_MAX)
		return PS_EINVAL;
	return tty_sys_call(sim, pid, dev, PS_SYS_READ, buf, buf, len);
}

int
ps_tty_write(ps_sim_t *sim, int32_t pid, int32_t dev, const void *buf, size_t len)
{
	if (sim == NULL || (buf == NULL && len != 0) || len > INT32_MAX)
		return PS_EINVAL;
	return tty_sys_call(sim, pid, dev, PS_SYS_WRITE, buf, NULL, len);
}

/* Begin a terminal-side action on dev, as the kernel (swapper). */
static int
tty_kop_begin(ps_sim_t *sim, int32_t dev, struct tty **tpp)
{
	struct proc *p0;
	int error;

	*tpp = tty_find_dev(&sim->k, dev);
	if (*tpp == NULL)
		return PS_ENOTTY;
	if ((error = simop_begin(sim, 0, &p0)) != 0)
		return error;
	return 0;
}

int
ps_tty_input(ps_sim_t *sim, int32_t dev, const void *buf, size_t len)
{
	struct tty *tp;
	int error;

	if (sim == NULL || (buf == NULL && len != 0))
		return PS_EINVAL;
	if ((error = tty_kop_begin(sim, dev, &tp)) != 0)
		return error;
	return simop_end(sim, tty_input(&sim->k, tp, buf, len));
}

int
ps_tty_output(ps_sim_t *sim, int32_t dev, void *buf, size_t cap, size_t *n)
{
	struct tty *tp;
	int error;

	if (sim == NULL || n == NULL || (buf == NULL && cap != 0))
		return PS_EINVAL;
	if ((error = tty_kop_begin(sim, dev, &tp)) != 0)
		return error;
	*n = tty_output(&sim->k, tp, buf, cap);
	return simop_end(sim, 0);
}

int
ps_tty_set_tostop(ps_sim_t *sim, int32_t dev, int on)
{
	struct tty *tp;
	int error;

	if (sim == NULL || (on != 0 && on != 1))
		return PS_EINVAL;
	if ((error = tty_kop_begin(sim, dev, &tp)) != 0)
		return error;
	tty_set_tostop(&sim->k, tp, on != 0);
	return simop_end(sim, 0);
}

int
ps_tty_hangup(ps_sim_t *sim, int32_t dev)
{
	struct tty *tp;
	int error;

	if (sim == NULL)
		return PS_EINVAL;
	if ((error = tty_kop_begin(sim, dev, &tp)) != 0)
		return error;
	tty_hangup(&sim->k, tp);
	return simop_end(sim, 0);
}

int
ps_tty_info(ps_sim_t *sim, int32_t dev, struct ps_tty_info *out)
{
	struct tty *tp;

	if (sim == NULL || out == NULL)
		return PS_EINVAL;
	tp = tty_find_dev(&sim->k, dev);
	if (tp == NULL)
		return PS_ENOTTY;
	memset(out, 0, sizeof(*out));
	out->dev = tp->t_dev;
	memcpy(out->name, tp->t_name, sizeof(out->name));
	out->sid = tp->t_session != NULL ? tp->t_session->s_sid : 0;
	out->pgid = tp->t_pgrp != NULL ? tp->t_pgrp->pg_id : 0;
	out->tostop = tp->t_tostop;
	out->hungup = tp->t_zombie;
	out->revokes = tp->t_revokes;
	out->inq = tp->t_inq_len;
	out->outq = tp->t_outq_len;
	return 0;
}
