/*
 * procsim run FILE: load a scenario, run it, write its trace, judge its
 * expectations.  Exit 0 when every expectation held, 1 when one failed or
 * an invariant broke, 2 for bad usage or bad input.
 *
 * The trace goes to stdout, or to -o OUT through a temporary file renamed
 * over OUT at the end, so a run that cannot start (or is interrupted)
 * never leaves OUT half written or destroys what was there.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void
run_usage(FILE *fp)
{
	fprintf(fp,
	        "usage: procsim run FILE [--seed N] [--cpus N] [--policy rr|fifo|random|pct]\n"
	        "                        [--until TIME] [--trace text|jsonl|chrome|dot|none]\n"
	        "                        [-o OUT] [--verbose] [--at TIME]\n"
	        "                        [--check[=full|incremental]] [--check-full-every N]\n"
	        "                        [--trace-hash] [--quiet]\n"
	        "\n"
	        "Run the scenario in FILE (docs/scenario-format.md) and judge its expectations.\n"
	        "\n"
	        "  --seed N        seed of the random generator (overrides config.seed)\n"
	        "  --cpus N        simulated CPUs, 1..64 (overrides config.cpus)\n"
	        "  --policy P      scheduling policy (overrides config.policy)\n"
	        "  --until TIME    end of the run in virtual time, such as 2s or 500us\n"
	        "                  (overrides config.until; without one, run until idle)\n"
	        "  --trace FMT     text (the default), jsonl, chrome (Perfetto), dot\n"
	        "                  (Graphviz, the process tree at the end), none\n"
	        "  -o OUT          write the trace to OUT instead of stdout\n"
	        "  --verbose, -v   include system calls, context switches, sleeps and\n"
	        "                  timers in text and jsonl traces\n"
	        "  --at TIME       dot: draw the tree at TIME instead of at the end\n"
	        "  --check         check every kernel invariant after every event\n"
	        "                  (a full walk each time; --check=full is the same)\n"
	        "  --check=incremental\n"
	        "                  after every event, check only what it touched\n"
	        "  --check-full-every N\n"
	        "                  a full walk every N-th event (incremental: 0 never;\n"
	        "                  full: check only every N-th event)\n"
	        "  --trace-hash    print the trace's hash (FNV-1a of its JSON lines) last\n"
	        "  --quiet, -q     no summary line and no progress\n"
	        "\n"
	        "Exit status: 0 every expectation held, 1 one failed or an invariant broke\n"
	        "(the report on stderr starts with the command that replays the run),\n"
	        "2 bad usage or a bad scenario, 130 interrupted.\n");
}

/*
 * Until the run has started, events are kept here rather than written: a
 * scenario that cannot start (exit 2) writes no trace at all, and the
 * events of the start (the processes' forks) are written once the names
 * of those processes are known.
 */
struct run_ctx {
	ps_trace_t *tr;                /* NULL while starting. */
	ps_scenario_run_t *run;
	struct ps_event *held;
	size_t nheld, capheld;
	int nomem;
};

static void
on_run(ps_scenario_run_t *run, void *arg)
{
	struct run_ctx *ctx = arg;

	ctx->run = run;
}

static void
on_event(const struct ps_event *ev, void *arg)
{
	struct run_ctx *ctx = arg;
	struct ps_event *e;

	if (ctx->tr != NULL) {
		ps_trace_event(ev, ctx->tr);
		return;
	}
	if (ctx->nheld == ctx->capheld) {
		size_t ncap = ctx->capheld != 0 ? ctx->capheld * 2 : 64;
		void *p = realloc(ctx->held, ncap * sizeof(*ctx->held));

		if (p == NULL) {
			ctx->nomem = 1;
			return;
		}
		ctx->held = p;
		ctx->capheld = ncap;
	}
	e = &ctx->held[ctx->nheld];
	*e = *ev;
	if (ev->detail != NULL && (e->detail = strdup(ev->detail)) == NULL) {
		ctx->nomem = 1;
		return;
	}
	ctx->nheld++;
}

static void
drop_held(struct run_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nheld; i++)
		free((char *)ctx->held[i].detail);
	free(ctx->held);
	ctx->held = NULL;
	ctx->nheld = ctx->capheld = 0;
}

static void
snapshot(ps_sim_t *sim, uint64_t t, void *arg)
{
	(void)t;
	ps_trace_snapshot(arg, sim);
}

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long x;

	if (s == NULL || *s == '\0' || *s == '-')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || x > max)
		return -1;
	*out = x;
	return 0;
}

static int
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "procsim run: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(procsim run --help for the options)\n");
	return EXIT_USAGE;
}

/* Same file?  (Writing the trace over the scenario would lose it.) */
static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

int
cmd_run(int argc, char **argv)
{
	struct ps_scenario_options opt;
	struct run_ctx ctx = { 0 };
	int format = PS_TRACE_TEXT, have_at = 0;
	uint64_t at = 0;
	const char *file = NULL, *out = NULL;
	char err[768], *tmp = NULL;
	int verbose = 0, hash = 0, quiet = 0, rc, done = 0, r;
	ps_scenario_t *sc = NULL;
	ps_scenario_run_t *run = NULL;
	FILE *fp = stdout;
	uint64_t x;

	ps_scenario_options_init(&opt);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			run_usage(stdout);
			return EXIT_OK;
		} else if (strcmp(a, "--seed") == 0) {
			if (parse_u64(v, INT64_MAX, &opt.seed) != 0)
				return usage_error("--seed needs a number from 0 to 2^63-1, got '%s'",
				                   v != NULL ? v : "");
			opt.set |= PS_SCOPT_SEED;
			i++;
		} else if (strcmp(a, "--cpus") == 0) {
			if (parse_u64(v, PS_CPUS_MAX, &x) != 0 || x == 0)
				return usage_error("--cpus needs a number from 1 to 64, got '%s'",
				                   v != NULL ? v : "");
			opt.cpus = (int32_t)x;
			opt.set |= PS_SCOPT_CPUS;
			i++;
		} else if (strcmp(a, "--policy") == 0) {
			if (v == NULL || (r = ps_policy_number(v)) < 0)
				return usage_error("--policy needs rr, fifo, random or pct, got '%s'",
				                   v != NULL ? v : "");
			opt.policy = r;
			opt.set |= PS_SCOPT_POLICY;
			i++;
		} else if (strcmp(a, "--until") == 0) {
			if (v == NULL || ps_parse_time(v, &opt.until) != 0)
				return usage_error("--until needs a time such as 2s, 1.5ms or 500us, "
				                   "got '%s'", v != NULL ? v : "");
			opt.set |= PS_SCOPT_UNTIL;
			i++;
		} else if (strcmp(a, "--trace") == 0) {
			if (v == NULL || (format = ps_trace_format_number(v)) < 0)
				return usage_error("--trace needs text, jsonl, chrome, dot or none, got "
				                   "'%s'", v != NULL ? v : "");
			i++;
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			if (v == NULL || *v == '\0')
				return usage_error("%s needs a file name", a);
			out = v;
			i++;
		} else if (strcmp(a, "--at") == 0) {
			if (v == NULL || ps_parse_time(v, &at) != 0)
				return usage_error("--at needs a time such as 1ms, got '%s'",
				                   v != NULL ? v : "");
			have_at = 1;
			i++;
		} else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
			verbose = 1;
		} else if (strcmp(a, "--check") == 0 || strcmp(a, "--check=full") == 0) {
			opt.check = PS_SCCHECK_FULL;
			opt.set |= PS_SCOPT_CHECK;
		} else if (strcmp(a, "--check=incremental") == 0) {
			opt.check = PS_SCCHECK_INCREMENTAL;
			opt.set |= PS_SCOPT_CHECK;
		} else if (strncmp(a, "--check=", 8) == 0) {
			return usage_error("--check= needs full or incremental, got '%s'", a + 8);
		} else if (strcmp(a, "--check-full-every") == 0) {
			if (parse_u64(v, UINT32_MAX, &x) != 0)
				return usage_error("--check-full-every needs a number from 0 to "
				                   "4294967295, got '%s'", v != NULL ? v : "");
			opt.check_full_every = (uint32_t)x;
			opt.set |= PS_SCOPT_CHECK_FULL_EVERY;
			i++;
		} else if (strcmp(a, "--trace-hash") == 0) {
			hash = 1;
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			quiet = 1;
		} else if (a[0] == '-' && a[1] != '\0') {
			return usage_error("unknown option '%s'", a);
		} else if (file == NULL) {
			file = a;
		} else {
			return usage_error("one scenario at a time (got '%s' too)", a);
		}
	}
	if (file == NULL)
		return usage_error("%s", "no scenario FILE given");
	if (have_at && format != PS_TRACE_DOT)
		return usage_error("%s", "--at is for --trace dot");

	r = ps_scenario_load_file(file, &sc, err, sizeof(err));
	if (r != 0) {
		fprintf(stderr, "procsim: %s\n", err);
		return EXIT_USAGE;
	}
	if (out != NULL) {
		if (same_file(out, file)) {
			fprintf(stderr, "procsim: -o %s is the scenario itself; not overwriting it\n",
			        out);
			ps_scenario_free(sc);
			return EXIT_USAGE;
		}
		tmp = malloc(strlen(out) + 16);
		if (tmp == NULL) {
			ps_scenario_free(sc);
			return EXIT_USAGE;
		}
		sprintf(tmp, "%s.tmp-XXXXXX", out);
		int fd = mkstemp(tmp);

		if (fd < 0 || (fp = fdopen(fd, "w")) == NULL) {
			fprintf(stderr, "procsim: cannot write %s: %s\n", out, strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlink(tmp);
			}
			free(tmp);
			ps_scenario_free(sc);
			return EXIT_USAGE;
		}
	}
	opt.on_event = on_event;
	opt.on_run = on_run;
	opt.arg = &ctx;
	r = ps_scenario_start(sc, &opt, &run, err, sizeof(err));
	if (r != 0) {
		if (r == PS_EINVAL)
			fprintf(stderr, "procsim: %s\n", err);
		else
			fprintf(stderr, "procsim: %s: cannot start: %s\n", file, ps_strerror(r));
		rc = EXIT_USAGE;
		goto out;
	}
	if (ctx.nomem || ps_trace_open(format, fp, verbose ? PS_TRACE_VERBOSE : 0, &ctx.tr) != 0) {
		fprintf(stderr, "procsim: out of memory\n");
		rc = EXIT_USAGE;
		goto out;
	}
	ps_trace_set_namer(ctx.tr, ps_scenario_pid_name, run);
	for (size_t i = 0; i < ctx.nheld; i++)
		ps_trace_event(&ctx.held[i], ctx.tr);
	drop_held(&ctx);
	if (have_at)
		ps_sim_at(ps_scenario_sim(run), at, snapshot, ctx.tr, NULL);

	int progress = !quiet && isatty(STDERR_FILENO) && getenv("CI") == NULL;
	double t0 = wall_now(), last = t0;

	signal(SIGINT, on_sigint);
	while (!done && !interrupted) {
		r = ps_scenario_advance(run, 200000, &done);
		if (r != 0) {
			fprintf(stderr, "procsim: the run failed: %s\n", ps_strerror(r));
			break;
		}
		if (progress) {
			double now = wall_now();

			if (now - last >= 0.25) {
				last = now;
				uint64_t t = ps_sim_now(ps_scenario_sim(run));

				fprintf(stderr, "\rprocsim: t=%llu.%09llus  %llu events  %.1fs ",
				        (unsigned long long)(t / 1000000000u),
				        (unsigned long long)(t % 1000000000u),
				        (unsigned long long)ps_scenario_events(run), now - t0);
				fflush(stderr);
			}
		}
	}
	signal(SIGINT, SIG_DFL);
	if (progress && wall_now() - t0 >= 0.25)
		fprintf(stderr, "\r%60s\r", "");
	if (interrupted) {
		uint64_t t = ps_sim_now(ps_scenario_sim(run));

		fprintf(stderr, "procsim: interrupted at t=%llu.%09llus\n",
		        (unsigned long long)(t / 1000000000u), (unsigned long long)(t % 1000000000u));
		rc = 130;
		goto out;
	}
	rc = ps_scenario_finish(run) == 0 ? EXIT_OK : EXIT_FAILED;
	if (ps_trace_close(ctx.tr, ps_scenario_sim(run)) != 0) {
		ctx.tr = NULL;
		fprintf(stderr, "procsim: writing the trace failed\n");
		rc = EXIT_USAGE;
		goto out;
	}
	ctx.tr = NULL;
	/* The hash line goes after the trace, unless that would spoil a
	 * JSON or DOT document on standard output: then to stderr. */
	if (hash)
		fprintf(tmp == NULL && (format == PS_TRACE_CHROME || format == PS_TRACE_DOT)
		            ? stderr : tmp != NULL ? stdout : fp,
		        "trace-hash %016llx events %llu\n",
		        (unsigned long long)ps_scenario_trace_hash(run),
		        (unsigned long long)ps_scenario_events(run));
	if (fflush(fp) != 0 || ferror(fp)) {
		fprintf(stderr, "procsim: writing %s failed: %s\n", out != NULL ? out : "stdout",
		        strerror(errno));
		rc = EXIT_USAGE;
		goto out;
	}
	if (rc != EXIT_OK) {
		ps_scenario_report(run, stderr, "procsim");
	} else if (!quiet) {
		uint32_t passed = 0;
		uint64_t t = ps_sim_now(ps_scenario_sim(run));

		ps_scenario_counts(run, &passed, NULL);
		fprintf(stderr, "procsim: %s: %u expectation%s held (t=%llu.%09llus, %llu events)\n",
		        file, passed, passed == 1 ? "" : "s", (unsigned long long)(t / 1000000000u),
		        (unsigned long long)(t % 1000000000u),
		        (unsigned long long)ps_scenario_events(run));
	}
	if (tmp != NULL) {
		if (fclose(fp) != 0 || rename(tmp, out) != 0) {
			fprintf(stderr, "procsim: cannot write %s: %s\n", out, strerror(errno));
			unlink(tmp);
			rc = EXIT_USAGE;
		}
		fp = NULL;
		free(tmp);
		tmp = NULL;
	}
out:
	drop_held(&ctx);
	if (ctx.tr != NULL)
		ps_trace_close(ctx.tr, NULL);
	if (tmp != NULL) {
		if (fp != NULL)
			fclose(fp);
		unlink(tmp);
		free(tmp);
	}
	ps_scenario_run_free(run);
	ps_scenario_free(sc);
	return rc;
}
