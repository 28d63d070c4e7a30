/*
 * Operation framing for the public API (sim.c and the sim_*.c files).  An
 * operation names the process that makes it (curproc), runs the kernel
 * path, and ends with simop_end(): threads pass userret (woken calls
 * complete, signals are delivered), init reaps, and, when configured, the
 * strict witness and the invariant checker give their verdicts.
 */
#ifndef PS_KERN_SIMOP_H
#define PS_KERN_SIMOP_H

#include <procsim/procsim.h>

#include "kern/proc.h"

/* The live, non-exiting process pid, or NULL. */
struct proc *simop_live_proc(struct kernel *k, int32_t pid);
/* Begin an operation by pid: PS_EINVAL (NULL sim), PS_ESRCH. */
int simop_begin(ps_sim_t *sim, int32_t pid, struct proc **pp);
/* As simop_begin, and PS_EBUSY if pid is stopped or inside a call. */
int simop_begin_run(ps_sim_t *sim, int32_t pid, struct proc **pp);
/* End the operation; returns rv unless a verdict overrides it. */
int simop_end(ps_sim_t *sim, int rv);

#endif /* PS_KERN_SIMOP_H */
