/* procsim command-line tool: subcommands. */
#ifndef PROCSIM_CLI_H
#define PROCSIM_CLI_H

#include <stdio.h>

#include <procsim/procsim.h>

/* Exit codes of the DESIGN.md contract. */
#define EXIT_OK 0
#define EXIT_FAILED 1
#define EXIT_USAGE 2

int cmd_demo(int argc, char **argv);
/* procsim run FILE [options]: run a scenario (run.c). */
int cmd_run(int argc, char **argv);
/* procsim bench [NAME...] [--json] [--quick]: performance figures (bench.c). */
int cmd_bench(int argc, char **argv);

/* One line describing ev for a person, without a newline. */
void describe_event(const struct ps_event *ev, char *buf, size_t len);

#endif
