/*
 * procsim: the umbrella header.  libprocsim simulates BSD process
 * management (process groups, sessions, job control, exit and wait,
 * signals) in user space, deterministically.
 */
#ifndef PROCSIM_PROCSIM_H
#define PROCSIM_PROCSIM_H

#include <procsim/error.h>
#include <procsim/event.h>
#include <procsim/export.h>
#include <procsim/kinfo.h>
#include <procsim/proc.h>
#include <procsim/ptrace.h>
#include <procsim/program.h>
#include <procsim/run.h>
#include <procsim/scenario.h>
#include <procsim/sim.h>
#include <procsim/trace.h>
#include <procsim/tty.h>
#include <procsim/wait.h>

#define PS_VERSION_MAJOR 0
#define PS_VERSION_MINOR 1
#define PS_VERSION_PATCH 0

#ifdef __cplusplus
extern "C" {
#endif

/* "0.1.0" */
PS_EXTERN const char *ps_version_string(void);

#ifdef __cplusplus
}
#endif

#endif /* PROCSIM_PROCSIM_H */
