/*
 * procsim: the command-line simulator.  For now it has the demo; `run`,
 * `repl`, `sweep` and `bench` arrive with the scenario, REPL and
 * performance work.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	        "usage: procsim demo [--dragonfly] [--quiet]\n"
	        "       procsim --help | --version\n"
	        "\n"
	        "  demo       build a process tree with a login shell and a stopped job,\n"
	        "             let the shell exit, and show the job's group being\n"
	        "             orphaned, hung up, continued, killed and reaped.\n"
	        "\n"
	        "Exit status: 0 success, 1 an invariant broke, 2 bad usage.\n");
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
	if (strcmp(argv[1], "demo") == 0)
		return cmd_demo(argc - 1, argv + 1);
	fprintf(stderr, "procsim: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
