/*
 * Internal entry points that run an operation the public API does not have
 * yet, framed like a public call (signals delivered, init reaps, checks).
 * Not exported from the shared library; tests link the static one.
 */
#ifndef PS_KERN_INTERNAL_API_H
#define PS_KERN_INTERNAL_API_H

#include <procsim/sim.h>

struct kernel;

/* PT_ATTACH / PT_DETACH by tracer on pid (see sys_process.c). */
int ps__ptrace_attach(ps_sim_t *sim, int32_t tracer, int32_t pid);
int ps__ptrace_detach(ps_sim_t *sim, int32_t tracer, int32_t pid, int sig);
/* The kernel inside a simulator. */
struct kernel *ps__kernel(ps_sim_t *sim);

#endif
