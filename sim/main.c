/*
 * procsim: the command-line simulator: run, repl, demo and bench.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "repl.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	        "usage: procsim run FILE [--seed N] [--cpus N] [--policy P] [--until TIME]\n"
	        "                   [--trace text|jsonl|chrome|dot|none] [-o OUT]\n"
	        "                   [--check[=full|incremental]] [--check-full-every N]\n"
	        "                   [--trace-hash] [--verbose] [--at TIME] [--quiet]\n"
	        "       procsim repl FILE [--seed N] [--cpus N] [--policy P] [--until TIME]\n"
	        "       procsim demo [--dragonfly] [--quiet]\n"
	        "       procsim bench [NAME...] [--json] [--quick]\n"
	        "       procsim --help | --version\n"
	        "\n"
	        "  run        run a JSON scenario (docs/scenario-format.md), write its\n"
	        "             trace and judge its expectations (procsim run --help).\n"
	        "  repl       explore a scenario interactively: step, run to breakpoints,\n"
	        "             go back, inspect groups and sessions, inject actions, save\n"
	        "             the session as a scenario (procsim repl --help).\n"
	        "  demo       build a process tree with a login shell and a stopped job,\n"
	        "             let the shell exit, and show the job's group being\n"
	        "             orphaned, hung up, continued, killed and reaped.\n"
	        "  bench      performance figures: insns (simulated instructions/s),\n"
	        "             switch (context switches/s), fork (fork+exit+wait cycles/s,\n"
	        "             with the host kernel's as a ratio), orphan (cost of an exit\n"
	        "             that orphans groups, as the process table grows).  All by\n"
	        "             default; --json prints one JSON object per line, --quick\n"
	        "             runs small sizes.\n"
	        "\n"
	        "Exit status: 0 success, 1 an expectation failed or an invariant broke\n"
	        "(or a benchmark could not run), 2 bad usage or bad input.\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("procsim %s\n", ps_version_string());
		return EXIT_OK;
	}
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "repl") == 0)
		return cmd_repl(argc - 1, argv + 1);
	if (strcmp(argv[1], "demo") == 0)
		return cmd_demo(argc - 1, argv + 1);
	if (strcmp(argv[1], "bench") == 0)
		return cmd_bench(argc - 1, argv + 1);
	fprintf(stderr, "procsim: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
