/*
 * Loading a scenario: JSON (jansson) into struct ps_scenario.
 *
 * The loader checks everything that can be checked without running: every
 * key is known for the object it is in, every value has the expected type
 * and range, names of programs, terminals, signals and errors exist, and a
 * reference to another expectation points back.  The first problem ends
 * the load with one message that names the file and the JSON path, and
 * says what was expected and what was found.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "scenario/sc_internal.h"

struct ld {
	const char *file;
	char path[SC_PATH_MAX];
	size_t plen;
	char *err;
	size_t errlen;
	bool failed;
	bool nomem;
	ps_scenario_t *sc;
};

/* --- paths and errors --- */

static size_t
path_push_key(struct ld *ld, const char *key)
{
	size_t saved = ld->plen;
	int n = snprintf(ld->path + ld->plen, sizeof(ld->path) - ld->plen, "/%s", key);

	if (n > 0)
		ld->plen = ld->plen + (size_t)n < sizeof(ld->path) ? ld->plen + (size_t)n
		                                                 : sizeof(ld->path) - 1;
	return saved;
}

static size_t
path_push_index(struct ld *ld, size_t i)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%zu", i);
	return path_push_key(ld, buf);
}

static void
path_pop(struct ld *ld, size_t saved)
{
	ld->plen = saved;
	ld->path[saved] = '\0';
}

static const char *
cur_path(const struct ld *ld)
{
	return ld->plen == 0 ? "/" : ld->path;
}

static int
lerr(struct ld *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
lerr(struct ld *ld, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (ld->failed)
		return -1;
	ld->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ld->err != NULL && ld->errlen > 0)
		snprintf(ld->err, ld->errlen, "%s: %s: %s", ld->file, cur_path(ld), msg);
	return -1;
}

static int
lnomem(struct ld *ld)
{
	ld->nomem = true;
	return lerr(ld, "out of memory");
}

/* What a JSON value is, for "got ..." in messages. */
static const char *
jtype(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a fractional number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "something else";
}

static char *
xstrdup(struct ld *ld, const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		lnomem(ld);
	return d;
}

/*
 * Every key of obj must be one of allowed (NULL-terminated).  On an unknown
 * key the path names it and the message lists what is allowed.
 */
static int
check_keys(struct ld *ld, json_t *obj, const char *const *allowed, const char *what)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		size_t i;

		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL) {
			char list[300];
			size_t n = 0;

			list[0] = '\0';
			for (i = 0; allowed[i] != NULL && n < sizeof(list); i++)
				n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
				                      i ? ", " : "", allowed[i]);
			size_t saved = path_push_key(ld, key);
			lerr(ld, "unknown key \"%s\" in %s (expected one of: %s)", key, what, list);
			path_pop(ld, saved);
			return -1;
		}
	}
	return 0;
}

/* --- typed getters: 0 found, 1 absent, -1 error --- */

static int
get_string(struct ld *ld, json_t *obj, const char *key, bool required, const char **out)
{
	json_t *v = json_object_get(obj, key);
	size_t saved;

	if (v == NULL) {
		if (required)
			return lerr(ld, "missing key \"%s\"", key);
		return 1;
	}
	saved = path_push_key(ld, key);
	if (!json_is_string(v)) {
		lerr(ld, "expected a string, got %s", jtype(v));
		path_pop(ld, saved);
		return -1;
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		lerr(ld, "expected a string without NUL characters");
		path_pop(ld, saved);
		return -1;
	}
	path_pop(ld, saved);
	*out = json_string_value(v);
	return 0;
}

static int
want_int(struct ld *ld, json_t *v, int64_t min, int64_t max, int64_t *out)
{
	int64_t x = 0;

	if (!json_is_integer(v))
		return lerr(ld, "expected an integer from %lld to %lld, got %s", (long long)min,
		            (long long)max, jtype(v));
	x = (int64_t)json_integer_value(v);
	if (x < min || x > max)
		return lerr(ld, "expected an integer from %lld to %lld, got %lld", (long long)min,
		            (long long)max, (long long)x);
	*out = x;
	return 0;
}

static int
get_int(struct ld *ld, json_t *obj, const char *key, bool required, int64_t min, int64_t max,
        int64_t *out)
{
	json_t *v = json_object_get(obj, key);
	size_t saved;
	int r;

	if (v == NULL) {
		if (required)
			return lerr(ld, "missing key \"%s\"", key);
		return 1;
	}
	saved = path_push_key(ld, key);
	r = want_int(ld, v, min, max, out);
	path_pop(ld, saved);
	return r;
}

static int
get_bool(struct ld *ld, json_t *obj, const char *key, bool *out)
{
	json_t *v = json_object_get(obj, key);
	size_t saved;

	if (v == NULL)
		return 1;
	if (!json_is_boolean(v)) {
		saved = path_push_key(ld, key);
		lerr(ld, "expected true or false, got %s", jtype(v));
		path_pop(ld, saved);
		return -1;
	}
	*out = json_is_true(v);
	return 0;
}

int
ps_parse_time(const char *text, uint64_t *ns)
{
	static const struct {
		const char *unit;
		uint64_t mult;
	} units[] = { { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 }, { "", 1 } };
	uint64_t whole = 0, frac = 0, fracdiv = 1;
	const char *p = text;
	bool digits = false;

	if (text == NULL || ns == NULL)
		return PS_EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		uint64_t d = (uint64_t)(*p - '0');

		if (whole > (UINT64_MAX - d) / 10)
			return PS_ERANGE;
		whole = whole * 10 + d;
		digits = true;
	}
	if (*p == '.') {
		p++;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (fracdiv < 1000000000) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				fracdiv *= 10;
			} else if (*p != '0') {
				return PS_EINVAL;  /* Finer than a nanosecond in any unit. */
			}
			digits = true;
		}
	}
	if (!digits)
		return PS_EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(p, units[i].unit) != 0)
			continue;
		uint64_t m = units[i].mult;

		if (whole > UINT64_MAX / m)
			return PS_ERANGE;
		/* The fraction must come out in whole nanoseconds. */
		if ((frac * m) % fracdiv != 0)
			return PS_EINVAL;
		if (whole * m > UINT64_MAX - frac * m / fracdiv)
			return PS_ERANGE;
		*ns = whole * m + frac * m / fracdiv;
		return 0;
	}
	return PS_EINVAL;
}

static int
want_time(struct ld *ld, json_t *v, uint64_t *out)
{
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		return 0;
	}
	if (json_is_string(v)) {
		int r = ps_parse_time(json_string_value(v), out);

		if (r == 0 && *out == PS_TIME_NEVER)
			r = PS_ERANGE;  /* "never" is not a time. */
		if (r == 0)
			return 0;
		if (r == PS_ERANGE)
			return lerr(ld, "the time \"%s\" is too large", json_string_value(v));
	}
	return lerr(ld, "expected a time such as \"500us\", \"1.5ms\", \"2s\" or a number of "
	                "nanoseconds, got %s%s%s%s",
	            jtype(v), json_is_string(v) ? " \"" : "",
	            json_is_string(v) ? json_string_value(v) : "", json_is_string(v) ? "\"" : "");
}

static int
get_time(struct ld *ld, json_t *obj, const char *key, bool required, uint64_t *out)
{
	json_t *v = json_object_get(obj, key);
	size_t saved;
	int r;

	if (v == NULL) {
		if (required)
			return lerr(ld, "missing key \"%s\"", key);
		return 1;
	}
	saved = path_push_key(ld, key);
	r = want_time(ld, v, out);
	path_pop(ld, saved);
	return r;
}

int
sc_parse_signal(const char *s)
{
	return ps_signal_number(s);
}

static int
want_signal(struct ld *ld, json_t *v, bool zero_ok, int32_t *out)
{
	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);

		if (x >= (zero_ok ? 0 : 1) && x < PS_NSIG) {
			*out = (int32_t)x;
			return 0;
		}
	} else if (json_is_string(v)) {
		int sig = sc_parse_signal(json_string_value(v));

		if (sig > 0) {
			*out = sig;
			return 0;
		}
		return lerr(ld, "expected a signal name such as \"SIGHUP\" or \"HUP\", got \"%s\"",
		            json_string_value(v));
	}
	return lerr(ld, "expected a signal name such as \"SIGHUP\" or a number %d..%d, got %s",
	            zero_ok ? 0 : 1, PS_NSIG - 1, jtype(v));
}

static int
get_signal(struct ld *ld, json_t *obj, const char *key, bool required, bool zero_ok,
           int32_t *out)
{
	json_t *v = json_object_get(obj, key);
	size_t saved;
	int r;

	if (v == NULL) {
		if (required)
			return lerr(ld, "missing key \"%s\"", key);
		return 1;
	}
	saved = path_push_key(ld, key);
	r = want_signal(ld, v, zero_ok, out);
	path_pop(ld, saved);
	return r;
}

static int
errno_number(const char *name)
{
#define SC_ERRNO_(n, value, msg)                                                              \
	if (strcmp(name, #n) == 0)                                                            \
		return value;
	PS_ERRNO_MAP(SC_ERRNO_)
#undef SC_ERRNO_
	return 0;
}

/* A name a scenario gives: letters, digits and _.- only, 1..63 long. */
static bool
good_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63)
		return false;
	for (const char *p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			return false;
	return true;
}

/*
 * A process reference: a pid (an integer >= 0, "#12" or "12") or a name.
 */
static int
want_ref(struct ld *ld, json_t *v, struct sc_ref *ref)
{
	const char *s;

	memset(ref, 0, sizeof(*ref));
	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);

		if (x < 0 || x > PS_PID_MAX_LIMIT)
			return lerr(ld, "expected a pid from 0 to %d, got %lld", PS_PID_MAX_LIMIT,
			            (long long)x);
		ref->pid = (int32_t)x;
		return 0;
	}
	if (!json_is_string(v))
		return lerr(ld, "expected a process: a name, \"#PID\" or a pid, got %s", jtype(v));
	s = json_string_value(v);
	if (s[0] == '#' || (s[0] >= '0' && s[0] <= '9')) {
		char *end;
		long x;

		errno = 0;
		x = strtol(s[0] == '#' ? s + 1 : s, &end, 10);
		if (errno != 0 || *end != '\0' || end == s + (s[0] == '#') || x < 0 ||
		    x > PS_PID_MAX_LIMIT)
			return lerr(ld, "expected a process: a name, \"#PID\" or a pid, got \"%s\"", s);
		ref->pid = (int32_t)x;
		return 0;
	}
	if (!good_name(s))
		return lerr(ld, "expected a process name (letters, digits, _ - . ; at most 63), "
		                "got \"%s\"", s);
	ref->name = xstrdup(ld, s);
	return ref->name == NULL ? -1 : 0;
}

static int
get_ref(struct ld *ld, json_t *obj, const char *key, bool required, struct sc_ref *ref)
{
	json_t *v = json_object_get(obj, key);
	size_t saved;
	int r;

	if (v == NULL) {
		if (required)
			return lerr(ld, "missing key \"%s\"", key);
		return 1;
	}
	saved = path_push_key(ld, key);
	r = want_ref(ld, v, ref);
	path_pop(ld, saved);
	return r;
}

static int
get_strv(struct ld *ld, json_t *obj, const char *key, char ***out)
{
	json_t *v = json_object_get(obj, key);
	size_t saved, n;
	char **sv;

	if (v == NULL)
		return 1;
	saved = path_push_key(ld, key);
	if (!json_is_array(v)) {
		lerr(ld, "expected an array of strings, got %s", jtype(v));
		path_pop(ld, saved);
		return -1;
	}
	n = json_array_size(v);
	if (n > 64) {
		lerr(ld, "expected at most 64 strings, got %zu", n);
		path_pop(ld, saved);
		return -1;
	}
	sv = calloc(n + 1, sizeof(*sv));
	if (sv == NULL) {
		path_pop(ld, saved);
		return lnomem(ld);
	}
	*out = sv;
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(v, i);
		size_t s2 = path_push_index(ld, i);

		if (!json_is_string(e) || strlen(json_string_value(e)) != json_string_length(e)) {
			lerr(ld, "expected a string, got %s", jtype(e));
			path_pop(ld, s2);
			path_pop(ld, saved);
			return -1;
		}
		path_pop(ld, s2);
		if ((sv[i] = xstrdup(ld, json_string_value(e))) == NULL) {
			path_pop(ld, saved);
			return -1;
		}
	}
	path_pop(ld, saved);
	return 0;
}

static int
find_tty(const ps_scenario_t *sc, const char *name)
{
	for (size_t i = 0; i < sc->nttys; i++)
		if (strcmp(sc->ttys[i], name) == 0)
			return (int)i;
	return -1;
}

static int
find_program(const ps_scenario_t *sc, const char *name)
{
	for (size_t i = 0; i < sc->nprograms; i++)
		if (strcmp(sc->programs[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
get_tty(struct ld *ld, json_t *obj, const char *key, bool required, char **out)
{
	const char *s;
	int r = get_string(ld, obj, key, required, &s);
	size_t saved;

	if (r != 0)
		return r;
	if (find_tty(ld->sc, s) < 0) {
		saved = path_push_key(ld, key);
		lerr(ld, "no terminal \"%s\" (declare it in \"ttys\")", s);
		path_pop(ld, saved);
		return -1;
	}
	*out = xstrdup(ld, s);
	return *out == NULL ? -1 : 0;
}

static int
get_program(struct ld *ld, json_t *obj, const char *key, bool required, char **out)
{
	const char *s;
	int r = get_string(ld, obj, key, required, &s);
	size_t saved;

	if (r != 0)
		return r;
	if (find_program(ld->sc, s) < 0) {
		saved = path_push_key(ld, key);
		lerr(ld, "no program \"%s\" (define it in \"programs\")", s);
		path_pop(ld, saved);
		return -1;
	}
	*out = xstrdup(ld, s);
	return *out == NULL ? -1 : 0;
}

/* An object at key (or at the current value when key is NULL). */
static json_t *
want_object(struct ld *ld, json_t *v, const char *what)
{
	if (!json_is_object(v)) {
		lerr(ld, "expected %s (an object), got %s", what, jtype(v));
		return NULL;
	}
	return v;
}

/* --- config --- */

static const char *const config_keys[] = {
	"seed", "cpus", "policy", "quantum", "until", "pct_depth", "pct_steps", "sys_cycles",
	"mem_frames", "pid_max", "maxproc", "randompid", "securelevel", "jobc", "exit",
	"leader_exit", "coredump", "see_other_uids", "unprivileged_proc_debug", "witness_strict",
	"check", "check_full_every", "max_steps", "ptrace_rev", NULL
};

static int
pick(struct ld *ld, json_t *obj, const char *key, const char *const *names, uint8_t *out)
{
	const char *s;
	int r = get_string(ld, obj, key, false, &s);

	if (r != 0)
		return r;
	for (uint8_t i = 0; names[i] != NULL; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
	size_t saved = path_push_key(ld, key);
	lerr(ld, "expected \"%s\" or \"%s\", got \"%s\"", names[0], names[1], s);
	path_pop(ld, saved);
	return -1;
}

/*
 * "check": true or false, or the mode of the checks after every event:
 * "full" (what true means) or "incremental" (docs/testing.md).
 */
static int
load_check(struct ld *ld, json_t *cfg)
{
	struct ps_config *c = &ld->sc->config;
	json_t *v = json_object_get(cfg, "check");
	const char *s;
	size_t saved;

	if (v == NULL)
		return 0;
	if (json_is_boolean(v)) {
		c->check_every_op = json_is_true(v);
		c->check_mode = PS_CHECK_FULL;
		return 0;
	}
	s = json_is_string(v) ? json_string_value(v) : NULL;
	if (s != NULL && (strcmp(s, "full") == 0 || strcmp(s, "incremental") == 0)) {
		c->check_every_op = 1;
		c->check_mode = strcmp(s, "full") == 0 ? PS_CHECK_FULL : PS_CHECK_INCREMENTAL;
		return 0;
	}
	saved = path_push_key(ld, "check");
	if (s != NULL)
		lerr(ld, "expected true, false, \"full\" or \"incremental\", got \"%s\"", s);
	else
		lerr(ld, "expected true, false, \"full\" or \"incremental\", got %s", jtype(v));
	path_pop(ld, saved);
	return -1;
}

/* The integer fields of the configuration: key, place, width, range. */
#define CFG_INT(key, field, min, max)                                                         \
	{ key, offsetof(struct ps_config, field), sizeof(((struct ps_config *)0)->field), min, max }
static const struct {
	const char *key;
	size_t off, size;
	int64_t min, max;
} config_ints[] = {
	CFG_INT("seed", seed, 0, INT64_MAX),
	CFG_INT("cpus", cpus, 1, PS_CPUS_MAX),
	CFG_INT("pct_depth", pct_depth, 1, 32),
	CFG_INT("pct_steps", pct_steps, 1, INT64_MAX),
	CFG_INT("sys_cycles", sys_cycles, 1, UINT32_MAX),
	CFG_INT("mem_frames", mem_frames, 16, 1 << 26),
	CFG_INT("pid_max", pid_max, 300, PS_PID_MAX_LIMIT),
	CFG_INT("maxproc", maxproc, 16, INT32_MAX),
	CFG_INT("randompid", randompid, 0, 1 << 20),
	CFG_INT("securelevel", securelevel, -1, 3),
	CFG_INT("check_full_every", check_full_every, 0, UINT32_MAX),
};
#undef CFG_INT

static int
load_config(struct ld *ld, json_t *cfg)
{
	struct ps_config *c = &ld->sc->config;
	static const char *const jobc[] = { "freebsd", "dragonfly", NULL };
	static const char *const exitc[] = { "2008", "modern", NULL };
	static const char *const leader[] = { "killjobc", "2008", NULL };
	static const char *const ptrev[] = { "B", "A", NULL }; /* enum ps_ptrace_rev */
	const char *s;
	int64_t x = 0;
	bool b;
	int r;

	if (want_object(ld, cfg, "the configuration") == NULL)
		return -1;
	if (check_keys(ld, cfg, config_keys, "config") != 0)
		return -1;
	if ((r = get_string(ld, cfg, "policy", false, &s)) < 0)
		return -1;
	if (r == 0) {
		int p = ps_policy_number(s);

		if (p < 0) {
			size_t saved = path_push_key(ld, "policy");
			lerr(ld, "expected \"rr\", \"fifo\", \"random\" or \"pct\", got \"%s\"", s);
			path_pop(ld, saved);
			return -1;
		}
		c->policy = (uint8_t)p;
	}
	if ((r = get_time(ld, cfg, "quantum", false, &c->quantum_ns)) < 0)
		return -1;
	if (r == 0 && c->quantum_ns == 0) {
		size_t saved = path_push_key(ld, "quantum");
		lerr(ld, "expected a quantum of at least 1ns");
		path_pop(ld, saved);
		return -1;
	}
	if (get_time(ld, cfg, "until", false, &ld->sc->until) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(config_ints) / sizeof(config_ints[0]); i++) {
		uint8_t *f = (uint8_t *)c + config_ints[i].off;

		if ((r = get_int(ld, cfg, config_ints[i].key, false, config_ints[i].min,
		                 config_ints[i].max, &x)) < 0)
			return -1;
		if (r != 0)
			continue;
		switch (config_ints[i].size) {
		case 1: *f = (uint8_t)x; break;
		case 4: memcpy(f, &(uint32_t){ (uint32_t)x }, 4); break;
		default: memcpy(f, &(uint64_t){ (uint64_t)x }, 8); break;
		}
	}
	if (pick(ld, cfg, "jobc", jobc, &c->jobc_algo) < 0 ||
	    pick(ld, cfg, "exit", exitc, &c->exit_compat) < 0 ||
	    pick(ld, cfg, "leader_exit", leader, &c->leader_exit) < 0 ||
	    pick(ld, cfg, "ptrace_rev", ptrev, &c->ptrace_rev) < 0)
		return -1;
	static const struct {
		const char *key;
		size_t off;
	} flags[] = {
		{ "coredump", offsetof(struct ps_config, coredump) },
		{ "see_other_uids", offsetof(struct ps_config, see_other_uids) },
		{ "unprivileged_proc_debug", offsetof(struct ps_config, unprivileged_proc_debug) },
		{ "witness_strict", offsetof(struct ps_config, witness_strict) },
	};
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if ((r = get_bool(ld, cfg, flags[i].key, &b)) < 0)
			return -1;
		if (r == 0)
			*((uint8_t *)c + flags[i].off) = b;
	}
	if (load_check(ld, cfg) < 0)
		return -1;
	if ((r = get_int(ld, cfg, "max_steps", false, 0, INT64_MAX, &x)) < 0)
		return -1;
	if (r == 0)
		ld->sc->max_steps = (uint64_t)x;
	return 0;
}

/* --- terminals and programs --- */

static int
load_ttys(struct ld *ld, json_t *v)
{
	ps_scenario_t *sc = ld->sc;
	size_t n;

	if (!json_is_array(v))
		return lerr(ld, "expected an array of terminal names such as [\"tty0\"], got %s",
		            jtype(v));
	n = json_array_size(v);
	if (n > 64)
		return lerr(ld, "expected at most 64 terminals, got %zu", n);
	sc->ttys = calloc(n + 1, sizeof(*sc->ttys));
	if (sc->ttys == NULL)
		return lnomem(ld);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(v, i);
		size_t saved = path_push_index(ld, i);
		const char *s;

		if (!json_is_string(e) || !good_name(s = json_string_value(e)) || strlen(s) > 15) {
			lerr(ld, "expected a terminal name (letters, digits, _ - . ; at most 15), got "
			         "%s", jtype(e));
			path_pop(ld, saved);
			return -1;
		}
		if (find_tty(sc, s) >= 0) {
			lerr(ld, "terminal \"%s\" is declared twice", s);
			path_pop(ld, saved);
			return -1;
		}
		path_pop(ld, saved);
		if ((sc->ttys[sc->nttys] = xstrdup(ld, s)) == NULL)
			return -1;
		sc->nttys++;
	}
	return 0;
}

static int
load_programs(struct ld *ld, json_t *v)
{
	ps_scenario_t *sc = ld->sc;
	const char *key;
	json_t *text;

	if (!json_is_object(v))
		return lerr(ld, "expected an object of programs {\"name\": \"assembly\"}, got %s",
		            jtype(v));
	sc->programs = calloc(json_object_size(v) + 1, sizeof(*sc->programs));
	if (sc->programs == NULL)
		return lnomem(ld);
	json_object_foreach(v, key, text) {
		struct sc_program *pr = &sc->programs[sc->nprograms];
		size_t saved = path_push_key(ld, key);

		snprintf(pr->path, sizeof(pr->path), "%s", ld->path);
		if (!good_name(key) || strlen(key) > 31) {
			lerr(ld, "expected a program name (letters, digits, _ - . ; at most 31)");
			path_pop(ld, saved);
			return -1;
		}
		if (json_is_string(text)) {
			pr->text = xstrdup(ld, json_string_value(text));
		} else if (json_is_array(text)) {
			size_t total = 1;

			for (size_t i = 0; i < json_array_size(text); i++) {
				json_t *l = json_array_get(text, i);

				if (!json_is_string(l)) {
					size_t s2 = path_push_index(ld, i);
					lerr(ld, "expected a line of assembly (a string), got %s",
					     jtype(l));
					path_pop(ld, s2);
					path_pop(ld, saved);
					return -1;
				}
				total += json_string_length(l) + 1;
			}
			pr->text = malloc(total);
			if (pr->text != NULL) {
				size_t n = 0;

				for (size_t i = 0; i < json_array_size(text); i++) {
					json_t *l = json_array_get(text, i);

					memcpy(pr->text + n, json_string_value(l), json_string_length(l));
					n += json_string_length(l);
					pr->text[n++] = '\n';
				}
				pr->text[n] = '\0';
			} else {
				lnomem(ld);
			}
			pr->lines = true;
		} else {
			lerr(ld, "expected the program's assembly: a string, or an array of lines; "
			         "got %s", jtype(text));
			path_pop(ld, saved);
			return -1;
		}
		path_pop(ld, saved);
		if (pr->text == NULL)
			return -1;
		if ((pr->name = xstrdup(ld, key)) == NULL)
			return -1;
		sc->nprograms++;
	}
	return 0;
}

/* --- processes --- */

static const char *const proc_keys[] = {
	"name", "program", "parent", "argv", "env", "uid", "gid", "setsid", "ctty", "pgrp",
	"foreground", NULL
};

/* The keys of a process, read from obj (a "processes" entry or a spawn). */
static int
load_proc_fields(struct ld *ld, json_t *obj, struct sc_proc *pr)
{
	const char *s;
	int64_t x = 0;
	int r;

	snprintf(pr->path, sizeof(pr->path), "%s", cur_path(ld));
	if (get_string(ld, obj, "name", true, &s) != 0)
		return -1;
	if (!good_name(s)) {
		size_t saved = path_push_key(ld, "name");
		lerr(ld, "expected a process name (letters, digits, _ - . ; at most 63), got \"%s\"",
		     s);
		path_pop(ld, saved);
		return -1;
	}
	if (strcmp(s, "init") == 0) {
		size_t saved = path_push_key(ld, "name");
		lerr(ld, "\"init\" is pid 1 already: choose another name");
		path_pop(ld, saved);
		return -1;
	}
	if ((pr->name = xstrdup(ld, s)) == NULL)
		return -1;
	if (get_program(ld, obj, "program", false, &pr->program) < 0)
		return -1;
	if ((r = get_ref(ld, obj, "parent", false, &pr->parent)) < 0)
		return -1;
	if (r == 1)
		pr->parent.pid = 1;
	if (get_strv(ld, obj, "argv", &pr->argv) < 0 || get_strv(ld, obj, "env", &pr->env) < 0)
		return -1;
	if ((r = get_int(ld, obj, "uid", false, 0, INT32_MAX, &x)) < 0)
		return -1;
	if (r == 0) {
		pr->has_uid = true;
		pr->uid = (int32_t)x;
	}
	if ((r = get_int(ld, obj, "gid", false, 0, INT32_MAX, &x)) < 0)
		return -1;
	if (r == 0) {
		pr->has_gid = true;
		pr->gid = (int32_t)x;
	}
	if (get_bool(ld, obj, "setsid", &pr->setsid) < 0)
		return -1;
	if (get_tty(ld, obj, "ctty", false, &pr->ctty) < 0)
		return -1;
	if (pr->ctty != NULL && !pr->setsid) {
		size_t saved = path_push_key(ld, "ctty");
		lerr(ld, "\"ctty\" needs \"setsid\": true (only a session leader acquires a "
		         "controlling terminal)");
		path_pop(ld, saved);
		return -1;
	}
	if ((r = get_ref(ld, obj, "pgrp", false, &pr->pgrp)) < 0)
		return -1;
	pr->has_pgrp = r == 0;
	if (pr->has_pgrp && pr->setsid)
		return lerr(ld, "\"pgrp\" and \"setsid\" exclude each other (a session leader leads "
		                "its own group)");
	if (get_bool(ld, obj, "foreground", &pr->foreground) < 0)
		return -1;
	return 0;
}

static int
load_processes(struct ld *ld, json_t *v)
{
	ps_scenario_t *sc = ld->sc;

	if (!json_is_array(v))
		return lerr(ld, "expected an array of processes, got %s", jtype(v));
	sc->procs = calloc(json_array_size(v) + 1, sizeof(*sc->procs));
	if (sc->procs == NULL)
		return lnomem(ld);
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *e = json_array_get(v, i);
		size_t saved = path_push_index(ld, i);
		struct sc_proc *pr = &sc->procs[i];

		sc->nprocs++;
		if (want_object(ld, e, "a process") == NULL ||
		    check_keys(ld, e, proc_keys, "a process") != 0 ||
		    load_proc_fields(ld, e, pr) != 0) {
			path_pop(ld, saved);
			return -1;
		}
		/* A parent named must be one of the processes before. */
		if (pr->parent.name != NULL && strcmp(pr->parent.name, "init") != 0) {
			size_t j;

			for (j = 0; j < i; j++)
				if (strcmp(sc->procs[j].name, pr->parent.name) == 0)
					break;
			if (j == i) {
				size_t s2 = path_push_key(ld, "parent");
				lerr(ld, "no process \"%s\" before this one", pr->parent.name);
				path_pop(ld, s2);
				path_pop(ld, saved);
				return -1;
			}
		}
		path_pop(ld, saved);
	}
	return 0;
}

/* --- memory specs --- */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static const char *const mem_keys[] = {
	"addr", "symbol", "program", "offset", "bytes", "string", "u64", NULL
};

static int
load_mem(struct ld *ld, json_t *v, struct sc_mem *m)
{
	json_t *a;
	const char *s;
	int64_t x = 0;
	int r, given = 0;

	if (want_object(ld, v, "a memory range {\"symbol\" or \"addr\", and \"bytes\", "
	                       "\"string\" or \"u64\"}") == NULL ||
	    check_keys(ld, v, mem_keys, "a memory range") != 0)
		return -1;
	if ((a = json_object_get(v, "addr")) != NULL) {
		size_t saved = path_push_key(ld, "addr");
		char *end;

		if (json_is_integer(a) && json_integer_value(a) >= 0) {
			m->addr = (uint64_t)json_integer_value(a);
		} else if (json_is_string(a) && strncmp(json_string_value(a), "0x", 2) == 0 &&
		           json_string_value(a)[2] != '\0') {
			errno = 0;
			m->addr = strtoull(json_string_value(a) + 2, &end, 16);
			if (errno != 0 || *end != '\0') {
				lerr(ld, "expected an address such as \"0x400000\", got \"%s\"",
				     json_string_value(a));
				path_pop(ld, saved);
				return -1;
			}
		} else {
			lerr(ld, "expected an address: a number or a hex string such as "
			         "\"0x400000\", got %s", jtype(a));
			path_pop(ld, saved);
			return -1;
		}
		path_pop(ld, saved);
		m->has_addr = true;
	}
	if ((r = get_string(ld, v, "symbol", false, &s)) < 0)
		return -1;
	if (r == 0 && (m->symbol = xstrdup(ld, s)) == NULL)
		return -1;
	if (m->has_addr == (m->symbol != NULL))
		return lerr(ld, "expected exactly one of \"addr\" and \"symbol\"");
	if (get_program(ld, v, "program", false, &m->program) < 0)
		return -1;
	if ((r = get_int(ld, v, "offset", false, -(1 << 30), 1 << 30, &x)) < 0)
		return -1;
	if (r == 0)
		m->offset = x;
	if ((r = get_string(ld, v, "bytes", false, &s)) < 0)
		return -1;
	if (r == 0) {
		size_t n = 0;

		given++;
		m->bytes = malloc(strlen(s) / 2 + 1);
		if (m->bytes == NULL)
			return lnomem(ld);
		for (const char *p = s; *p != '\0';) {
			if (*p == ' ' || *p == ':') {
				p++;
				continue;
			}
			if (hexval(p[0]) < 0 || p[1] == '\0' || hexval(p[1]) < 0) {
				size_t saved = path_push_key(ld, "bytes");
				lerr(ld, "expected hex bytes such as \"de ad be ef\", got \"%s\"", s);
				path_pop(ld, saved);
				return -1;
			}
			m->bytes[n++] = (uint8_t)(hexval(p[0]) << 4 | hexval(p[1]));
			p += 2;
		}
		m->len = n;
	}
	if ((r = get_string(ld, v, "string", false, &s)) < 0)
		return -1;
	if (r == 0) {
		given++;
		m->len = strlen(s);
		m->bytes = (uint8_t *)xstrdup(ld, s);
		if (m->bytes == NULL)
			return -1;
	}
	if ((a = json_object_get(v, "u64")) != NULL) {
		size_t saved = path_push_key(ld, "u64");

		given++;
		if (!json_is_integer(a)) {
			lerr(ld, "expected an integer, got %s", jtype(a));
			path_pop(ld, saved);
			return -1;
		}
		path_pop(ld, saved);
		uint64_t u = (uint64_t)json_integer_value(a);

		m->len = 8;
		m->bytes = malloc(8);
		if (m->bytes == NULL)
			return lnomem(ld);
		for (int i = 0; i < 8; i++)
			m->bytes[i] = (uint8_t)(u >> (8 * i));
	}
	if (given != 1)
		return lerr(ld, "expected exactly one of \"bytes\", \"string\" and \"u64\"");
	if (m->len == 0 || m->len > 4096)
		return lerr(ld, "expected 1 to 4096 bytes, got %zu", m->len);
	return 0;
}

/* --- events (actions) --- */

static const struct {
	const char *name;
	enum sc_action_kind kind;
	const char *const keys[20];
} action_kinds[] = {
	{ "signal", SCA_SIGNAL, { "target", "pgrp", "pid", "signal", "from", NULL } },
	{ "hangup", SCA_HANGUP, { "tty", NULL } },
	{ "spawn", SCA_SPAWN, { "name", "program", "parent", "argv", "env", "uid", "gid",
	                        "setsid", "ctty", "pgrp", "foreground", NULL } },
	{ "fork", SCA_FORK, { "proc", "name", NULL } },
	{ "exit", SCA_EXIT, { "proc", "status", NULL } },
	{ "wait", SCA_WAIT, { "proc", "pid", "child", "pgrp", "options", NULL } },
	{ "setpgid", SCA_SETPGID, { "proc", "pid", "pgrp", NULL } },
	{ "setsid", SCA_SETSID, { "proc", NULL } },
	{ "tiocsctty", SCA_TIOCSCTTY, { "proc", "tty", NULL } },
	{ "tcsetpgrp", SCA_TCSETPGRP, { "proc", "tty", "pgrp", NULL } },
	{ "setuid", SCA_SETUID, { "proc", "uid", NULL } },
	{ "sigaction", SCA_SIGACTION, { "proc", "signal", "action", "flags", NULL } },
	{ "exec", SCA_EXEC, { "proc", "program", "argv", "env", NULL } },
	{ "poke", SCA_POKE, { "proc", "memory", NULL } },
	{ "check", SCA_CHECK, { NULL } },
	{ "pause", SCA_PAUSE, { "note", NULL } },
	{ "ptrace", SCA_PTRACE, { "by", "request", "target", "addr", "data", "io", "regs", "entry",
	                          "pathlen", "expect_value", "expect_regs", "expect_bytes",
	                          "expect_lwpinfo", "expect_vm_entry", NULL } },
	{ "procctl", SCA_PROCCTL, { "by", "idtype", "id", "com", "flags", NULL } },
};

#define NACTION_KINDS (sizeof(action_kinds) / sizeof(action_kinds[0]))

struct flag_name {
	const char *name;
	int32_t bit;
};

static int
flag_list(struct ld *ld, json_t *obj, const char *key, const struct flag_name *table, size_t n,
          int32_t *out)
{
	json_t *v = json_object_get(obj, key);
	size_t saved;

	*out = 0;
	if (v == NULL)
		return 1;
	saved = path_push_key(ld, key);
	if (!json_is_array(v)) {
		lerr(ld, "expected an array of names such as [\"%s\"], got %s", table[0].name,
		     jtype(v));
		path_pop(ld, saved);
		return -1;
	}
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *e = json_array_get(v, i);
		size_t j, s2 = path_push_index(ld, i);

		for (j = 0; j < n; j++)
			if (json_is_string(e) && strcmp(json_string_value(e), table[j].name) == 0)
				break;
		if (j == n) {
			char list[200];
			size_t m = 0;

			for (size_t k = 0; k < n; k++)
				m += (size_t)snprintf(list + m, sizeof(list) - m, "%s%s", k ? ", " : "",
				                      table[k].name);
			lerr(ld, "expected one of %s, got %s%s%s", list,
			     json_is_string(e) ? "\"" : "", json_is_string(e) ? json_string_value(e)
			                                                       : jtype(e),
			     json_is_string(e) ? "\"" : "");
			path_pop(ld, s2);
			path_pop(ld, saved);
			return -1;
		}
		*out |= table[j].bit;
		path_pop(ld, s2);
	}
	path_pop(ld, saved);
	return 0;
}

static int
load_result(struct ld *ld, json_t *obj, struct sc_action *a)
{
	json_t *v = json_object_get(obj, "expect");
	size_t saved;

	a->result = SCR_OK;
	if (v == NULL)
		return 0;
	a->has_expect = true;
	saved = path_push_key(ld, "expect");
	if (json_is_string(v) && strcmp(json_string_value(v), "any") == 0) {
		a->result = SCR_ANY;
	} else if (json_is_string(v) && strcmp(json_string_value(v), "ok") == 0) {
		a->result = SCR_OK;
	} else if (json_is_object(v)) {
		static const char *const keys[] = { "errno", "result", NULL };
		const char *s;
		int64_t x = 0;
		int r;

		if (check_keys(ld, v, keys, "an action's expected result") != 0)
			goto fail;
		if ((r = get_string(ld, v, "errno", false, &s)) < 0)
			goto fail;
		if (r == 0) {
			int e = errno_number(s);

			if (e == 0) {
				size_t s2 = path_push_key(ld, "errno");
				lerr(ld, "expected an error name such as \"EPERM\", got \"%s\"", s);
				path_pop(ld, s2);
				goto fail;
			}
			a->result = SCR_ERRNO;
			a->result_value = e;
		}
		if ((r = get_int(ld, v, "result", false, INT32_MIN, INT32_MAX, &x)) < 0)
			goto fail;
		if (r == 0) {
			if (a->result == SCR_ERRNO) {
				lerr(ld, "expected one of \"errno\" and \"result\", not both");
				goto fail;
			}
			a->result = SCR_VALUE;
			a->result_value = (int32_t)x;
		}
		if (a->result == SCR_OK) {
			lerr(ld, "expected {\"errno\": NAME} or {\"result\": N}");
			goto fail;
		}
	} else {
		lerr(ld, "expected \"ok\", \"any\", {\"errno\": \"EPERM\"} or {\"result\": N}, got "
		         "%s", jtype(v));
		goto fail;
	}
	path_pop(ld, saved);
	return 0;
fail:
	path_pop(ld, saved);
	return -1;
}

/* --- ptrace and procctl actions --- */

/* An error about the value at key (the path names it). */
static int
lerr_at(struct ld *ld, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
lerr_at(struct ld *ld, const char *key, const char *fmt, ...)
{
	char msg[360];
	va_list ap;
	size_t saved = path_push_key(ld, key);

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lerr(ld, "%s", msg);
	path_pop(ld, saved);
	return -1;
}

/* Hex bytes "de ad be ef" (spaces and colons ignored) into a new buffer. */
static int
want_hex(struct ld *ld, json_t *v, uint8_t **out, size_t *len)
{
	const char *s;
	size_t n = 0;

	if (!json_is_string(v))
		return lerr(ld, "expected hex bytes such as \"de ad be ef\", got %s", jtype(v));
	s = json_string_value(v);
	*out = malloc(strlen(s) / 2 + 1);
	if (*out == NULL)
		return lnomem(ld);
	for (const char *p = s; *p != '\0';) {
		if (*p == ' ' || *p == ':') {
			p++;
			continue;
		}
		if (hexval(p[0]) < 0 || p[1] == '\0' || hexval(p[1]) < 0)
			return lerr(ld, "expected hex bytes such as \"de ad be ef\", got \"%s\"", s);
		(*out)[n++] = (uint8_t)(hexval(p[0]) << 4 | hexval(p[1]));
		p += 2;
	}
	*len = n;
	return 0;
}

#define ADDR_SAME 0x1 /* "same": PS_PT_ADDR_SAME, where the thread stopped. */
#define ADDR_NEG 0x2  /* A negative integer is a 64-bit two's complement value. */

static bool
label_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && ((c >= '0' && c <= '9') || c == '.'));
}

/*
 * An address or a register value: an integer, "0x..." or decimal digits, a
 * label of the target's program with an optional offset ("done", "loop+8",
 * "buf-0x10"), or "same" where ADDR_SAME allows it.
 */
static int
want_addr(struct ld *ld, json_t *v, int flags, struct sc_addr *a)
{
	const char *s, *p;
	char *end;

	memset(a, 0, sizeof(*a));
	a->set = true;
	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);

		if (x < 0 && !(flags & ADDR_NEG))
			return lerr(ld, "expected an address (0 or more), got %lld", (long long)x);
		a->value = (uint64_t)x;
		return 0;
	}
	if (!json_is_string(v))
		goto bad;
	s = json_string_value(v);
	if ((flags & ADDR_SAME) && strcmp(s, "same") == 0) {
		a->value = 1;
		return 0;
	}
	if (s[0] >= '0' && s[0] <= '9') {
		errno = 0;
		a->value = strtoull(s, &end, strncmp(s, "0x", 2) == 0 ? 16 : 10);
		if (errno != 0 || *end != '\0')
			goto bad;
		return 0;
	}
	for (p = s; label_char(*p, p == s); p++)
		;
	if (p == s || p - s > 31 || (*p != '\0' && *p != '+' && *p != '-'))
		goto bad;
	if (*p != '\0') {
		long long off;

		if (p[1] < '0' || p[1] > '9')
			goto bad;
		errno = 0;
		off = strtoll(p + 1, &end, 0);
		if (errno != 0 || *end != '\0' || off > (1ll << 40))
			goto bad;
		a->offset = *p == '-' ? -off : off;
	}
	a->label = strndup(s, (size_t)(p - s));
	return a->label == NULL ? lnomem(ld) : 0;
bad:
	return lerr(ld, "expected an address: a number, a hex string such as \"0x400000\", or a "
	                "label of the target's program with an optional offset (\"done\", "
	                "\"loop+8\")%s; got %s%s%s%s",
	            (flags & ADDR_SAME) ? ", or \"same\"" : "", jtype(v),
	            json_is_string(v) ? " \"" : "", json_is_string(v) ? json_string_value(v) : "",
	            json_is_string(v) ? "\"" : "");
}

static int
get_addr(struct ld *ld, json_t *obj, const char *key, bool required, int flags,
         struct sc_addr *a)
{
	json_t *v = json_object_get(obj, key);
	size_t saved;
	int r;

	if (v == NULL) {
		if (required)
			return lerr(ld, "missing key \"%s\"", key);
		return 1;
	}
	saved = path_push_key(ld, key);
	r = want_addr(ld, v, flags, a);
	path_pop(ld, saved);
	return r;
}

/* ptrace's data: an int (a word to write, a count, a bool), "0x...", or a signal. */
static int
want_data(struct ld *ld, json_t *v, int32_t *out)
{
	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);

		if (x >= INT32_MIN && x <= (json_int_t)UINT32_MAX) {
			*out = (int32_t)(uint32_t)x;
			return 0;
		}
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;

		if (strncmp(s, "0x", 2) == 0) {
			unsigned long long x;

			errno = 0;
			x = strtoull(s, &end, 16);
			if (errno == 0 && *end == '\0' && s[2] != '\0' && x <= UINT32_MAX) {
				*out = (int32_t)(uint32_t)x;
				return 0;
			}
		} else if (sc_parse_signal(s) > 0) {
			*out = sc_parse_signal(s);
			return 0;
		}
	}
	return lerr(ld, "expected ptrace's data: an integer that fits in 32 bits, a hex string "
	                "such as \"0x71\", or a signal name such as \"SIGUSR1\"; got %s%s%s%s",
	            jtype(v), json_is_string(v) ? " \"" : "",
	            json_is_string(v) ? json_string_value(v) : "", json_is_string(v) ? "\"" : "");
}

static const char *const reg_names[SC_NREGS] = {
	"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "r13",
	"r14", "r15", "pc", "sp", "flags",
};

/* {"pc": ADDR, "r1": N, ...} */
static int
load_regs(struct ld *ld, json_t *v, uint32_t *mask, struct sc_addr *vals)
{
	const char *key;
	json_t *x;

	if (want_object(ld, v, "registers {\"pc\": ..., \"r1\": ...}") == NULL)
		return -1;
	if (json_object_size(v) == 0)
		return lerr(ld, "expected at least one register (r0-r15, pc, sp, flags)");
	json_object_foreach(v, key, x) {
		size_t i, saved = path_push_key(ld, key);
		int r;

		for (i = 0; i < SC_NREGS; i++)
			if (strcmp(key, reg_names[i]) == 0)
				break;
		if (i == SC_NREGS) {
			lerr(ld, "expected a register: r0-r15, pc, sp or flags");
			path_pop(ld, saved);
			return -1;
		}
		r = want_addr(ld, x, ADDR_NEG, &vals[i]);
		path_pop(ld, saved);
		if (r != 0)
			return -1;
		*mask |= 1u << i;
	}
	return 0;
}

/* Requests whose addr is a structure: the scenario gives it (NULL: 0). */
static bool
pt_struct_request(int req)
{
	switch (req) {
	case PS_PT_IO: case PS_PT_LWPINFO: case PS_PT_GETLWPLIST: case PS_PT_GETREGS:
	case PS_PT_SETREGS: case PS_PT_GETFPREGS: case PS_PT_SETFPREGS: case PS_PT_GETDBREGS:
	case PS_PT_SETDBREGS: case PS_PT_VM_ENTRY:
		return true;
	default:
		return false;
	}
}

static const char *
pt_name(int req, char *buf, size_t len)
{
	const char *n = ps_ptrace_request_name(req);

	if (n != NULL)
		return n;
	snprintf(buf, len, "request %d", req);
	return buf;
}

static int
want_request(struct ld *ld, json_t *v, int *req)
{
	if (json_is_integer(v) && json_integer_value(v) >= INT32_MIN &&
	    json_integer_value(v) <= INT32_MAX) {
		*req = (int)json_integer_value(v);
		return 0;
	}
	if (json_is_string(v) && (*req = ps_ptrace_request_number(json_string_value(v))) >= 0)
		return 0;
	return lerr(ld, "expected a ptrace request such as \"PT_ATTACH\" or \"attach\", or its "
	                "number; got %s%s%s%s",
	            jtype(v), json_is_string(v) ? " \"" : "",
	            json_is_string(v) ? json_string_value(v) : "", json_is_string(v) ? "\"" : "");
}

static int
load_pt_io(struct ld *ld, json_t *v, struct sc_ptrace *pt)
{
	static const char *const keys[] = { "op", "offs", "len", "bytes", NULL };
	static const char *const ops[] = { NULL, "read_d", "write_d", "read_i", "write_i" };
	json_t *x;
	int64_t n = 0;
	int r;

	if (want_object(ld, v, "a transfer {\"op\", \"offs\", \"len\" or \"bytes\"}") == NULL ||
	    check_keys(ld, v, keys, "a PT_IO transfer") != 0)
		return -1;
	if ((x = json_object_get(v, "op")) == NULL)
		return lerr(ld, "missing key \"op\"");
	if (json_is_integer(x) && json_integer_value(x) >= INT32_MIN &&
	    json_integer_value(x) <= INT32_MAX) {
		pt->io_op = (int32_t)json_integer_value(x);
	} else {
		int i;

		for (i = 1; i <= 4; i++)
			if (json_is_string(x) && strcmp(json_string_value(x), ops[i]) == 0)
				break;
		if (i > 4)
			return lerr_at(ld, "op", "expected \"read_d\", \"write_d\", \"read_i\", "
			                         "\"write_i\" or a number, got %s%s%s%s",
			               jtype(x), json_is_string(x) ? " \"" : "",
			               json_is_string(x) ? json_string_value(x) : "",
			               json_is_string(x) ? "\"" : "");
		pt->io_op = i;
	}
	if (get_addr(ld, v, "offs", true, 0, &pt->io_offs) != 0)
		return -1;
	bool write = pt->io_op == PS_PIOD_WRITE_D || pt->io_op == PS_PIOD_WRITE_I;
	bool read = pt->io_op == PS_PIOD_READ_D || pt->io_op == PS_PIOD_READ_I;

	if ((r = get_int(ld, v, "len", false, 0, 65536, &n)) < 0)
		return -1;
	if (r == 0 && write)
		return lerr_at(ld, "len", "a write moves its \"bytes\": it takes no \"len\"");
	pt->io_len = (uint64_t)n;
	if ((x = json_object_get(v, "bytes")) != NULL) {
		size_t saved = path_push_key(ld, "bytes"), len = 0;

		if (r == 0 || read) {
			lerr(ld, "\"bytes\" are what a write moves; a read takes \"len\" (its bytes "
			         "are checked with \"expect_bytes\")");
			path_pop(ld, saved);
			return -1;
		}
		r = want_hex(ld, x, &pt->io_bytes, &len);
		path_pop(ld, saved);
		if (r != 0)
			return -1;
		pt->io_len = len;
	} else if (write) {
		return lerr(ld, "missing key \"bytes\" (what the write moves)");
	}
	return 0;
}

static int
load_pt_lwpinfo(struct ld *ld, json_t *v, struct sc_ptrace *pt)
{
	static const char *const keys[] = { "event", "flags", "signal", "syscall", "child", NULL };
	static const struct flag_name lwflags[] = {
		{ "SA", PS_PL_FLAG_SA }, { "BOUND", PS_PL_FLAG_BOUND }, { "SCE", PS_PL_FLAG_SCE },
		{ "SCX", PS_PL_FLAG_SCX }, { "EXEC", PS_PL_FLAG_EXEC }, { "SI", PS_PL_FLAG_SI },
		{ "FORKED", PS_PL_FLAG_FORKED }, { "CHILD", PS_PL_FLAG_CHILD },
	};
	const char *s;
	int r;

	if (want_object(ld, v, "what PT_LWPINFO reports {\"event\", \"flags\", ...}") == NULL ||
	    check_keys(ld, v, keys, "an expected PT_LWPINFO") != 0)
		return -1;
	pt->has_lwpinfo = true;
	pt->lw_event = pt->lw_flags = pt->lw_signal = pt->lw_syscall = -1;
	if ((r = get_string(ld, v, "event", false, &s)) < 0)
		return -1;
	if (r == 0) {
		if (strcmp(s, "signal") == 0)
			pt->lw_event = PS_PL_EVENT_SIGNAL;
		else if (strcmp(s, "none") == 0)
			pt->lw_event = PS_PL_EVENT_NONE;
		else
			return lerr_at(ld, "event", "expected \"signal\" or \"none\", got \"%s\"", s);
	}
	if ((r = flag_list(ld, v, "flags", lwflags, sizeof(lwflags) / sizeof(lwflags[0]),
	                   &pt->lw_flags)) < 0)
		return -1;
	if (r == 1)
		pt->lw_flags = -1;
	if (get_signal(ld, v, "signal", false, false, &pt->lw_signal) < 0)
		return -1;
	if ((r = get_string(ld, v, "syscall", false, &s)) < 0)
		return -1;
	if (r == 0 && (pt->lw_syscall = ps_syscall_number(s)) < 0)
		return lerr_at(ld, "syscall", "expected a system call name such as \"wait4\" (see "
		                              "docs/isa.md), got \"%s\"", s);
	if ((r = get_ref(ld, v, "child", false, &pt->lw_child)) < 0)
		return -1;
	pt->has_lw_child = r == 0;
	return 0;
}

static int
load_pt_vm(struct ld *ld, json_t *v, struct sc_ptrace *pt)
{
	static const char *const keys[] = { "entry", "start", "end", "prot", "path", NULL };
	json_t *x;
	int64_t n = 0;
	int r;

	if (want_object(ld, v, "what PT_VM_ENTRY reports {\"start\", \"end\", ...}") == NULL ||
	    check_keys(ld, v, keys, "an expected PT_VM_ENTRY") != 0)
		return -1;
	pt->has_vm = true;
	pt->vm_prot = -1;
	if ((r = get_int(ld, v, "entry", false, 0, INT32_MAX, &n)) < 0)
		return -1;
	pt->vm_entry = r == 0 ? n : -1;
	if (get_addr(ld, v, "start", false, 0, &pt->vm_start) < 0 ||
	    get_addr(ld, v, "end", false, 0, &pt->vm_end) < 0)
		return -1;
	if ((x = json_object_get(v, "prot")) != NULL) {
		const char *s = json_is_string(x) ? json_string_value(x) : "";

		if (strlen(s) != 3 || (s[0] != 'r' && s[0] != '-') || (s[1] != 'w' && s[1] != '-') ||
		    (s[2] != 'x' && s[2] != '-'))
			return lerr_at(ld, "prot", "expected a protection such as \"r-x\" or \"rw-\"");
		pt->vm_prot = (s[0] == 'r' ? 1 : 0) | (s[1] == 'w' ? 2 : 0) | (s[2] == 'x' ? 4 : 0);
	}
	if ((x = json_object_get(v, "path")) != NULL) {
		pt->has_vm_path = true;
		if (json_is_string(x)) {
			if ((pt->vm_path = xstrdup(ld, json_string_value(x))) == NULL)
				return -1;
		} else if (!json_is_null(x)) {
			return lerr_at(ld, "path", "expected the entry's file (\"/bin/prog\") or null "
			                           "for none, got %s", jtype(x));
		}
	}
	return 0;
}

/* Keys that belong to one request only: the key, and the request. */
static int
pt_key_for(struct ld *ld, json_t *obj, const char *key, int req, int want, const char *what)
{
	char b1[24], b2[24];

	if (json_object_get(obj, key) == NULL || req == want)
		return 0;
	return lerr_at(ld, key, "\"%s\" goes with %s (%s), not with %s", key, pt_name(want, b1,
	               sizeof(b1)), what, pt_name(req, b2, sizeof(b2)));
}

static int
load_ptrace(struct ld *ld, json_t *obj, struct sc_action *a)
{
	struct sc_ptrace *pt = calloc(1, sizeof(*pt));
	json_t *v;
	int64_t n = 0;
	int r;
	char b[24];

	if (pt == NULL)
		return lnomem(ld);
	a->pt = pt;
	pt->thread = -1;
	if ((v = json_object_get(obj, "request")) == NULL)
		return lerr(ld, "missing key \"request\"");
	{
		size_t saved = path_push_key(ld, "request");

		r = want_request(ld, v, &pt->req);
		path_pop(ld, saved);
		if (r != 0)
			return -1;
	}
	/* The target: a process, or {"proc": P, "thread": N}, its Nth thread. */
	if ((v = json_object_get(obj, "target")) != NULL) {
		size_t saved = path_push_key(ld, "target");

		if (pt->req == PS_PT_TRACE_ME) {
			lerr(ld, "PT_TRACE_ME has no target: \"by\" asks to be traced by its parent");
			path_pop(ld, saved);
			return -1;
		}
		pt->has_target = true;
		if (json_is_object(v)) {
			static const char *const tkeys[] = { "proc", "thread", NULL };

			if (check_keys(ld, v, tkeys, "a thread") != 0 ||
			    get_ref(ld, v, "proc", true, &pt->target) != 0 ||
			    get_int(ld, v, "thread", true, 0, 1 << 20, &n) != 0) {
				path_pop(ld, saved);
				return -1;
			}
			pt->thread = (int32_t)n;
		} else if (json_is_string(v) || json_is_integer(v)) {
			r = want_ref(ld, v, &pt->target);
			if (r != 0) {
				path_pop(ld, saved);
				return -1;
			}
		} else {
			lerr(ld, "expected a process (a name, \"#PID\" or a pid) or a thread "
			         "{\"proc\": P, \"thread\": N}, got %s", jtype(v));
			path_pop(ld, saved);
			return -1;
		}
		path_pop(ld, saved);
	} else if (pt->req != PS_PT_TRACE_ME) {
		return lerr(ld, "missing key \"target\" (the process, or a thread {\"proc\": P, "
		                "\"thread\": N})");
	}
	if ((r = get_addr(ld, obj, "addr", false, ADDR_SAME, &pt->addr)) < 0)
		return -1;
	if (r == 0 && pt_struct_request(pt->req) && (pt->addr.label != NULL || pt->addr.value != 0))
		return lerr_at(ld, "addr", "the structure of %s is the scenario's: \"addr\" may "
		                           "only be 0 (a NULL pointer, for EFAULT)",
		               pt_name(pt->req, b, sizeof(b)));
	if ((v = json_object_get(obj, "data")) != NULL) {
		size_t saved = path_push_key(ld, "data");

		r = want_data(ld, v, &pt->data);
		path_pop(ld, saved);
		if (r != 0)
			return -1;
		pt->has_data = true;
	}
	if (pt_key_for(ld, obj, "io", pt->req, PS_PT_IO, "the transfer") != 0 ||
	    pt_key_for(ld, obj, "regs", pt->req, PS_PT_SETREGS, "the registers to change") != 0 ||
	    pt_key_for(ld, obj, "entry", pt->req, PS_PT_VM_ENTRY, "the entry's cookie") != 0 ||
	    pt_key_for(ld, obj, "pathlen", pt->req, PS_PT_VM_ENTRY, "the path's buffer") != 0 ||
	    pt_key_for(ld, obj, "expect_regs", pt->req, PS_PT_GETREGS, "the registers read") != 0 ||
	    pt_key_for(ld, obj, "expect_bytes", pt->req, PS_PT_IO, "the bytes read") != 0 ||
	    pt_key_for(ld, obj, "expect_lwpinfo", pt->req, PS_PT_LWPINFO, "the report") != 0 ||
	    pt_key_for(ld, obj, "expect_vm_entry", pt->req, PS_PT_VM_ENTRY, "the entry") != 0)
		return -1;
	if (pt->req == PS_PT_IO) {
		if ((v = json_object_get(obj, "io")) == NULL)
			return lerr(ld, "missing key \"io\" (the transfer: {\"op\": \"read_d\", "
			                "\"offs\": ADDR, \"len\": N})");
		size_t saved = path_push_key(ld, "io");

		r = load_pt_io(ld, v, pt);
		path_pop(ld, saved);
		if (r != 0)
			return -1;
	}
	if ((v = json_object_get(obj, "regs")) != NULL) {
		size_t saved = path_push_key(ld, "regs");

		r = load_regs(ld, v, &pt->regs_mask, pt->regs);
		path_pop(ld, saved);
		if (r != 0)
			return -1;
	}
	if ((r = get_int(ld, obj, "entry", false, INT32_MIN, INT32_MAX, &n)) < 0)
		return -1;
	pt->entry = r == 0 ? (int32_t)n : 0;
	if ((r = get_int(ld, obj, "pathlen", false, 0, 4096, &n)) < 0)
		return -1;
	pt->pathlen = r == 0 ? (uint32_t)n : 0;
	bool has_pathlen = r == 0;
	/* The checks of a request that succeeds. */
	bool checks = false;

	if ((v = json_object_get(obj, "expect_value")) != NULL) {
		size_t saved = path_push_key(ld, "expect_value");

		r = want_data(ld, v, (int32_t *)&pt->value);
		path_pop(ld, saved);
		if (r != 0)
			return -1;
		pt->has_value = checks = true;
	}
	if ((v = json_object_get(obj, "expect_regs")) != NULL) {
		size_t saved = path_push_key(ld, "expect_regs");

		r = load_regs(ld, v, &pt->eregs_mask, pt->eregs);
		path_pop(ld, saved);
		if (r != 0)
			return -1;
		checks = true;
	}
	if ((v = json_object_get(obj, "expect_bytes")) != NULL) {
		size_t saved = path_push_key(ld, "expect_bytes");

		if (pt->io_op != PS_PIOD_READ_D && pt->io_op != PS_PIOD_READ_I) {
			lerr(ld, "only a read (\"read_d\", \"read_i\") has bytes to expect");
			path_pop(ld, saved);
			return -1;
		}
		r = want_hex(ld, v, &pt->ebytes, &pt->nebytes);
		if (r == 0 && json_object_get(json_object_get(obj, "io"), "len") == NULL)
			pt->io_len = pt->nebytes;
		else if (r == 0 && pt->nebytes != pt->io_len)
			r = lerr(ld, "expected %llu bytes (the transfer's \"len\"), got %zu",
			         (unsigned long long)pt->io_len, pt->nebytes);
		path_pop(ld, saved);
		if (r != 0)
			return -1;
		checks = true;
	} else if (pt->req == PS_PT_IO && (pt->io_op == PS_PIOD_READ_D ||
	                                   pt->io_op == PS_PIOD_READ_I) &&
	           json_object_get(json_object_get(obj, "io"), "len") == NULL) {
		return lerr(ld, "a read needs \"len\" in \"io\", or \"expect_bytes\"");
	}
	if ((v = json_object_get(obj, "expect_lwpinfo")) != NULL) {
		size_t saved = path_push_key(ld, "expect_lwpinfo");

		r = load_pt_lwpinfo(ld, v, pt);
		path_pop(ld, saved);
		if (r != 0)
			return -1;
		checks = true;
	}
	if ((v = json_object_get(obj, "expect_vm_entry")) != NULL) {
		size_t saved = path_push_key(ld, "expect_vm_entry");

		r = load_pt_vm(ld, v, pt);
		path_pop(ld, saved);
		if (r != 0)
			return -1;
		if (pt->has_vm_path && !has_pathlen)
			pt->pathlen = 256;
		checks = true;
	}
	if (checks) {
		if (a->result == SCR_ERRNO || a->result == SCR_ANY)
			return lerr_at(ld, "expect", "the \"expect_...\" checks judge a request that "
			                             "succeeds: \"expect\" must be \"ok\" then");
		a->has_expect = true;
	}
	return 0;
}

static int
load_procctl(struct ld *ld, json_t *obj, struct sc_action *a)
{
	static const struct flag_name pflags[] = {
		{ "set", PS_PPROT_SET }, { "clear", PS_PPROT_CLEAR },
		{ "descend", PS_PPROT_DESCEND }, { "inherit", PS_PPROT_INHERIT },
	};
	struct sc_procctl *pc = calloc(1, sizeof(*pc));
	json_t *v;
	int64_t n = 0;
	int r;

	if (pc == NULL)
		return lnomem(ld);
	a->pc = pc;
	pc->idtype = PS_PROCCTL_P_PID;
	if ((v = json_object_get(obj, "idtype")) != NULL) {
		if (json_is_string(v) && strcmp(json_string_value(v), "pid") == 0)
			pc->idtype = PS_PROCCTL_P_PID;
		else if (json_is_string(v) && strcmp(json_string_value(v), "pgid") == 0)
			pc->idtype = PS_PROCCTL_P_PGID;
		else if (json_is_integer(v) && json_integer_value(v) >= INT32_MIN &&
		         json_integer_value(v) <= INT32_MAX)
			pc->idtype = (int32_t)json_integer_value(v);
		else
			return lerr_at(ld, "idtype",
			               "expected \"pid\", \"pgid\" or a number, got %s%s%s%s",
			               jtype(v), json_is_string(v) ? " \"" : "",
			               json_is_string(v) ? json_string_value(v) : "",
			               json_is_string(v) ? "\"" : "");
	}
	if (get_ref(ld, obj, "id", true, &pc->id) != 0)
		return -1;
	if ((r = get_int(ld, obj, "com", false, INT32_MIN, INT32_MAX, &n)) < 0)
		return -1;
	pc->com = r == 0 ? (int32_t)n : PS_PROC_SPROTECT;
	if ((v = json_object_get(obj, "flags")) == NULL)
		return lerr(ld, "missing key \"flags\" ([\"set\"], [\"clear\"], with \"descend\", "
		                "\"inherit\"; or a number)");
	if (json_is_integer(v)) {
		if (get_int(ld, obj, "flags", true, INT32_MIN, INT32_MAX, &n) != 0)
			return -1;
		pc->flags = (int32_t)n;
	} else if (flag_list(ld, obj, "flags", pflags, 4, &pc->flags) < 0) {
		return -1;
	}
	return 0;
}

static int
load_action(struct ld *ld, json_t *obj, struct sc_action *a)
{
	static const struct flag_name wopts[] = {
		{ "WNOHANG", PS_WNOHANG }, { "WUNTRACED", PS_WUNTRACED },
		{ "WCONTINUED", PS_WCONTINUED },
	};
	static const struct flag_name saflags[] = {
		{ "SA_NOCLDSTOP", PS_SA_NOCLDSTOP }, { "SA_NOCLDWAIT", PS_SA_NOCLDWAIT },
		{ "SA_RESTART", PS_SA_RESTART },
	};
	const char *kind, *s;
	const char *keys[28];
	size_t k, nk = 0;
	int64_t x = 0;
	int r;

	snprintf(a->path, sizeof(a->path), "%s", cur_path(ld));
	if (want_object(ld, obj, "an event {\"at\": TIME, \"do\": ACTION, ...}") == NULL)
		return -1;
	if (get_string(ld, obj, "do", true, &kind) != 0)
		return -1;
	for (k = 0; k < NACTION_KINDS; k++)
		if (strcmp(kind, action_kinds[k].name) == 0)
			break;
	if (k == NACTION_KINDS) {
		char list[300];
		size_t m = 0;

		for (size_t i = 0; i < NACTION_KINDS; i++)
			m += (size_t)snprintf(list + m, sizeof(list) - m, "%s%s", i ? ", " : "",
			                      action_kinds[i].name);
		size_t saved = path_push_key(ld, "do");
		lerr(ld, "expected an action (%s), got \"%s\"", list, kind);
		path_pop(ld, saved);
		return -1;
	}
	a->kind = action_kinds[k].kind;
	keys[nk++] = "at";
	keys[nk++] = "do";
	keys[nk++] = "expect";
	for (size_t i = 0; action_kinds[k].keys[i] != NULL; i++)
		keys[nk++] = action_kinds[k].keys[i];
	keys[nk] = NULL;
	char what[48];
	snprintf(what, sizeof(what), "%s \"%s\" event", strchr("aeiou", kind[0]) ? "an" : "a",
	         kind);
	if (check_keys(ld, obj, keys, what) != 0)
		return -1;
	if (get_time(ld, obj, "at", true, &a->at) != 0)
		return -1;
	if (load_result(ld, obj, a) != 0)
		return -1;
	/* Most actions are made by a process. */
	if (a->kind != SCA_SIGNAL && a->kind != SCA_HANGUP && a->kind != SCA_SPAWN &&
	    a->kind != SCA_CHECK && a->kind != SCA_PAUSE) {
		/* A debugger is "by": the process it debugs is the target. */
		const char *who = a->kind == SCA_PTRACE || a->kind == SCA_PROCCTL ? "by" : "proc";

		if (get_ref(ld, obj, who, true, &a->proc) != 0)
			return -1;
		a->has_proc = true;
	}
	switch (a->kind) {
	case SCA_SIGNAL: {
		int given = 0;

		if ((r = get_ref(ld, obj, "target", false, &a->target)) < 0)
			return -1;
		if (r == 0) {
			a->target_kind = 1;
			given++;
		}
		if ((r = get_ref(ld, obj, "pgrp", false, &a->target)) < 0)
			return -1;
		if (r == 0) {
			a->target_kind = 2;
			given++;
		}
		if ((r = get_int(ld, obj, "pid", false, -PS_PID_MAX_LIMIT, PS_PID_MAX_LIMIT, &x)) < 0)
			return -1;
		if (r == 0) {
			a->target_kind = 3;
			a->number2 = (int32_t)x;
			given++;
		}
		if (given != 1)
			return lerr(ld, "expected exactly one of \"target\" (a process), \"pgrp\" (its "
			                "group) and \"pid\" (kill's raw pid argument)");
		if (get_signal(ld, obj, "signal", true, true, &a->number) != 0)
			return -1;
		if ((r = get_ref(ld, obj, "from", false, &a->proc)) < 0)
			return -1;
		if (r == 1)
			a->proc.pid = 0;
		a->has_proc = true;
		break;
	}
	case SCA_HANGUP:
		return get_tty(ld, obj, "tty", true, &a->tty) != 0 ? -1 : 0;
	case SCA_SPAWN:
		a->spawn = calloc(1, sizeof(*a->spawn));
		if (a->spawn == NULL)
			return lnomem(ld);
		if (load_proc_fields(ld, obj, a->spawn) != 0)
			return -1;
		if (a->spawn->program == NULL)
			return lerr(ld, "missing key \"program\" (a spawned process runs a program; "
			                "use \"fork\" for one that does not)");
		break;
	case SCA_FORK:
		if ((r = get_string(ld, obj, "name", false, &s)) < 0)
			return -1;
		if (r == 0) {
			if (!good_name(s)) {
				size_t saved = path_push_key(ld, "name");
				lerr(ld, "expected a process name (letters, digits, _ - . ; at most 63), "
				         "got \"%s\"", s);
				path_pop(ld, saved);
				return -1;
			}
			if ((a->name = xstrdup(ld, s)) == NULL)
				return -1;
		}
		break;
	case SCA_EXIT:
		if ((r = get_int(ld, obj, "status", false, INT32_MIN, INT32_MAX, &x)) < 0)
			return -1;
		a->number = r == 0 ? (int32_t)x : 0;
		break;
	case SCA_WAIT: {
		int given = 0;

		a->number = -1;
		if ((r = get_int(ld, obj, "pid", false, -PS_PID_MAX_LIMIT, PS_PID_MAX_LIMIT, &x)) < 0)
			return -1;
		if (r == 0) {
			a->target_kind = 3;
			a->number = (int32_t)x;
			given++;
		}
		if ((r = get_ref(ld, obj, "child", false, &a->target)) < 0)
			return -1;
		if (r == 0) {
			a->target_kind = 1;
			given++;
		}
		if ((r = get_ref(ld, obj, "pgrp", false, &a->target)) < 0)
			return -1;
		if (r == 0) {
			a->target_kind = 2;
			given++;
		}
		if (given > 1)
			return lerr(ld, "expected at most one of \"pid\", \"child\" and \"pgrp\"");
		if (flag_list(ld, obj, "options", wopts, 3, &a->number2) < 0)
			return -1;
		break;
	}
	case SCA_SETPGID:
		if ((r = get_ref(ld, obj, "pid", false, &a->target)) < 0)
			return -1;
		a->target_kind = r == 0 ? 1 : 0;
		if ((r = get_ref(ld, obj, "pgrp", false, &a->pgrp)) < 0)
			return -1;
		a->has_pgrp = r == 0;
		break;
	case SCA_SETSID:
		break;
	case SCA_TIOCSCTTY:
		return get_tty(ld, obj, "tty", true, &a->tty) != 0 ? -1 : 0;
	case SCA_TCSETPGRP:
		if (get_tty(ld, obj, "tty", true, &a->tty) != 0)
			return -1;
		if (get_ref(ld, obj, "pgrp", true, &a->pgrp) != 0)
			return -1;
		a->has_pgrp = true;
		break;
	case SCA_SETUID:
		if (get_int(ld, obj, "uid", true, 0, INT32_MAX, &x) != 0)
			return -1;
		a->number = (int32_t)x;
		break;
	case SCA_SIGACTION:
		if (get_signal(ld, obj, "signal", true, false, &a->number) != 0)
			return -1;
		if (get_string(ld, obj, "action", true, &s) != 0)
			return -1;
		if (strcmp(s, "default") == 0) {
			a->handler = PS_SIG_DFL;
		} else if (strcmp(s, "ignore") == 0) {
			a->handler = PS_SIG_IGN;
		} else {
			size_t saved = path_push_key(ld, "action");
			lerr(ld, "expected \"default\" or \"ignore\", got \"%s\"", s);
			path_pop(ld, saved);
			return -1;
		}
		if (flag_list(ld, obj, "flags", saflags, 3, &a->number2) < 0)
			return -1;
		break;
	case SCA_EXEC:
		if (get_program(ld, obj, "program", true, &a->program) != 0)
			return -1;
		if (get_strv(ld, obj, "argv", &a->argv) < 0 || get_strv(ld, obj, "env", &a->env) < 0)
			return -1;
		break;
	case SCA_POKE: {
		json_t *m = json_object_get(obj, "memory");
		size_t saved;

		if (m == NULL)
			return lerr(ld, "missing key \"memory\"");
		saved = path_push_key(ld, "memory");
		r = load_mem(ld, m, &a->mem);
		path_pop(ld, saved);
		if (r != 0)
			return -1;
		break;
	}
	case SCA_PAUSE:
		if (get_string(ld, obj, "note", false, &s) < 0)
			return -1;
		break;
	case SCA_CHECK:
		break;
	case SCA_PTRACE:
		return load_ptrace(ld, obj, a);
	case SCA_PROCCTL:
		return load_procctl(ld, obj, a);
	}
	return 0;
}

static int
load_events(struct ld *ld, json_t *v)
{
	ps_scenario_t *sc = ld->sc;

	if (!json_is_array(v))
		return lerr(ld, "expected an array of events, got %s", jtype(v));
	sc->actions = calloc(json_array_size(v) + 1, sizeof(*sc->actions));
	if (sc->actions == NULL)
		return lnomem(ld);
	for (size_t i = 0; i < json_array_size(v); i++) {
		size_t saved = path_push_index(ld, i);

		sc->nactions++;
		sc->actions[i].json = json_dumps(json_array_get(v, i), JSON_COMPACT);
		if (load_action(ld, json_array_get(v, i), &sc->actions[i]) != 0) {
			path_pop(ld, saved);
			return -1;
		}
		path_pop(ld, saved);
	}
	return 0;
}

/* --- expectations --- */

/* Keys and what they match, per event type; "*" for every type. */
static const struct {
	const char *type;
	const char *key;
	enum sc_field field;
} field_keys[] = {
	{ "*", "pid", SCF_PID }, { "*", "proc", SCF_PID }, { "*", "pid2", SCF_PID2 },
	{ "*", "pgid", SCF_PGID }, { "*", "sid", SCF_SID }, { "*", "signal", SCF_SIG },
	{ "*", "value", SCF_VALUE }, { "*", "detail", SCF_DETAIL }, { "*", "tid", SCF_TID },
	{ "*", "cpu", SCF_CPU },
	{ "fork", "parent", SCF_PID }, { "fork", "child", SCF_PID2 },
	{ "reap", "reaper", SCF_PID2 },
	{ "reparent", "parent", SCF_PID2 },
	{ "signal", "to", SCF_PID }, { "signal", "from", SCF_PID2 },
	{ "deliver", "to", SCF_PID }, { "discard", "to", SCF_PID },
	{ "wait", "child", SCF_PID2 },
	{ "sysret", "syscall", SCF_DETAIL }, { "syscall", "syscall", SCF_DETAIL },
	{ "ctty", "tty", SCF_TTY }, { "revoke", "tty", SCF_TTY }, { "hangup", "tty", SCF_TTY },
	{ "tag", "name", SCF_DETAIL },
	{ "jobc", "pg_jobc", SCF_VALUE },
	{ "orphaned", "stopped", SCF_VALUE },
	{ "exit", "status", SCF_VALUE },
	{ "sysret", "errno", SCF_VALUE }, { "sysret", "result", SCF_VALUE },
	{ "wait", "status", SCF_VALUE },
	{ "ptrace", "tracer", SCF_PID }, { "ptrace", "target", SCF_PID2 },
	{ "ptrace", "request", SCF_DETAIL }, { "ptrace", "errno", SCF_VALUE },
	{ "ptrace", "result", SCF_VALUE },
	{ "procctl", "caller", SCF_PID }, { "procctl", "target", SCF_PID2 },
	{ "procctl", "errno", SCF_VALUE }, { "procctl", "result", SCF_VALUE },
};

#define NFIELD_KEYS (sizeof(field_keys) / sizeof(field_keys[0]))

/*
 * A wait status: "exited N", "signaled SIG" (also "killed SIG"), with
 * " core" to require the core flag, "stopped SIG", "continued", or the
 * status word as an integer.
 */
static int
want_status(struct ld *ld, json_t *v, struct sc_status *st)
{
	char word[16], arg[24], extra[8];
	int n, sig;

	memset(st, 0, sizeof(*st));
	st->set = true;
	if (json_is_integer(v)) {
		if (json_integer_value(v) < INT32_MIN || json_integer_value(v) > INT32_MAX)
			return lerr(ld, "expected a status word that fits in 32 bits, got %lld",
			            (long long)json_integer_value(v));
		st->word = (int32_t)json_integer_value(v);
		return 0;
	}
	if (!json_is_string(v))
		goto bad;
	n = sscanf(json_string_value(v), "%15s %23s %7s", word, arg, extra);
	if (n == 1 && strcmp(word, "continued") == 0) {
		st->word = 0x13;
		return 0;
	}
	if (n < 2)
		goto bad;
	if (strcmp(word, "exited") == 0 && n == 2) {
		char *end;
		long code = strtol(arg, &end, 10);

		if (*end != '\0' || code < 0 || code > 0x7fffff)
			goto bad;
		st->word = PS_W_EXITCODE(code, 0);
		return 0;
	}
	sig = sc_parse_signal(arg);
	if (sig <= 0)
		goto bad;
	if (strcmp(word, "signaled") == 0 || strcmp(word, "killed") == 0) {
		if (n == 3 && strcmp(extra, "core") != 0)
			goto bad;
		st->word = sig | (n == 3 ? PS_WCOREFLAG : 0);
		st->any_core = n == 2;
		return 0;
	}
	if (strcmp(word, "stopped") == 0 && n == 2) {
		st->word = PS_W_STOPCODE(sig);
		return 0;
	}
bad:
	return lerr(ld, "expected a wait status: \"exited N\", \"signaled SIGNAME\" (\"... core\" "
	                "to require a core dump), \"stopped SIGNAME\", \"continued\" or the status "
	                "word as an integer; got %s%s%s%s",
	            jtype(v), json_is_string(v) ? " \"" : "",
	            json_is_string(v) ? json_string_value(v) : "", json_is_string(v) ? "\"" : "");
}

static int
load_match(struct ld *ld, json_t *obj, struct sc_expect *e, const char *type)
{
	const char *key;
	json_t *v;

	e->match = calloc(json_object_size(obj) + 1, sizeof(*e->match));
	if (e->match == NULL)
		return lnomem(ld);
	json_object_foreach(obj, key, v) {
		size_t i;

		for (i = 0; i < NFIELD_KEYS; i++)
			if (strcmp(key, field_keys[i].key) == 0 &&
			    (strcmp(field_keys[i].type, "*") == 0 ||
			     strcmp(field_keys[i].type, type) == 0))
				break;
		if (i == NFIELD_KEYS)
			continue;  /* Not a field (the caller checked the keys). */
		struct sc_match *m = &e->match[e->nmatch++];
		size_t saved = path_push_key(ld, key);
		int r = 0;

		m->field = field_keys[i].field;
		snprintf(m->key, sizeof(m->key), "%s", key);
		switch (m->field) {
		case SCF_PID:
		case SCF_PID2:
		case SCF_PGID:
		case SCF_SID:
			m->is_ref = true;
			r = want_ref(ld, v, &m->ref);
			break;
		case SCF_SIG:
			r = want_signal(ld, v, false, &m->num);
			break;
		case SCF_DETAIL:
			if (strcmp(key, "request") == 0) {
				/* The kernel's name: "PT_ATTACH", or "request 24". */
				char b[24];
				int req = 0;

				if ((r = want_request(ld, v, &req)) == 0 &&
				    (m->str = xstrdup(ld, pt_name(req, b, sizeof(b)))) == NULL)
					r = -1;
			} else if (!json_is_string(v))
				r = lerr(ld, "expected a string, got %s", jtype(v));
			else if (strcmp(key, "syscall") == 0 &&
			         ps_syscall_number(json_string_value(v)) < 0)
				r = lerr(ld, "expected a system call name such as \"wait4\" (see "
				             "docs/isa.md), got \"%s\"", json_string_value(v));
			else if ((m->str = xstrdup(ld, json_string_value(v))) == NULL)
				r = -1;
			break;
		case SCF_TTY:
			if (!json_is_string(v) || find_tty(ld->sc, json_string_value(v)) < 0)
				r = lerr(ld, "expected a terminal declared in \"ttys\"");
			else if ((m->str = xstrdup(ld, json_string_value(v))) == NULL)
				r = -1;
			break;
		case SCF_VALUE:
			if (strcmp(key, "status") == 0) {
				struct sc_status st;

				r = want_status(ld, v, &st);
				m->num = st.word;
				if (r == 0 && st.any_core) {
					/* Match with or without the core flag: judged below. */
					e->status = st;
					e->nmatch--;
				}
			} else if (strcmp(key, "errno") == 0) {
				if (!json_is_string(v) || errno_number(json_string_value(v)) == 0)
					r = lerr(ld, "expected an error name such as \"EPERM\"");
				else
					m->num = errno_number(json_string_value(v));
			} else if (strcmp(key, "stopped") == 0) {
				if (!json_is_boolean(v))
					r = lerr(ld, "expected true or false, got %s", jtype(v));
				else
					m->num = json_is_true(v);
			} else {
				int64_t x = 0;

				r = want_int(ld, v, INT32_MIN, INT32_MAX, &x);
				m->num = (int32_t)x;
			}
			break;
		case SCF_TID:
		case SCF_CPU: {
			int64_t x = 0;

			r = want_int(ld, v, -1, INT32_MAX, &x);
			m->num = (int32_t)x;
			break;
		}
		}
		path_pop(ld, saved);
		if (r != 0)
			return -1;
	}
	return 0;
}

static int
find_expect_id(const ps_scenario_t *sc, size_t before, const char *id)
{
	for (size_t i = 0; i < before; i++)
		if (sc->expects[i].id != NULL && strcmp(sc->expects[i].id, id) == 0)
			return (int)i;
	return -1;
}

static int
load_event_expect(struct ld *ld, json_t *obj, struct sc_expect *e, size_t index)
{
	const char *type;
	const char *keys[48];
	size_t nk = 0;
	json_t *v;
	int64_t x = 0;
	bool b;
	int r;

	e->kind = SCE_EVENT;
	if (json_object_get(obj, "event") != NULL) {
		if (get_string(ld, obj, "event", true, &type) != 0)
			return -1;
	} else {
		type = "sysret";  /* {"syscall": NAME, "proc": ..., "errno": ...} */
	}
	for (e->type = 0; e->type < PS_EV_COUNT_; e->type++)
		if (strcmp(ps_event_name(e->type), type) == 0)
			break;
	if (e->type == PS_EV_COUNT_) {
		char list[700];
		size_t m = 0;

		for (uint32_t t = 0; t < PS_EV_COUNT_; t++)
			m += (size_t)snprintf(list + m, sizeof(list) - m, "%s%s", t ? ", " : "",
			                      ps_event_name(t));
		size_t saved = path_push_key(ld, "event");
		lerr(ld, "expected an event type (%s), got \"%s\"", list, type);
		path_pop(ld, saved);
		return -1;
	}
	static const char *const common[] = {
		"event", "id", "count", "at_least", "at_most", "never", "after", "since", "until",
		NULL
	};
	for (size_t i = 0; common[i] != NULL; i++)
		keys[nk++] = common[i];
	for (size_t i = 0; i < NFIELD_KEYS && nk < 47; i++)
		if (strcmp(field_keys[i].type, "*") == 0 || strcmp(field_keys[i].type, type) == 0)
			keys[nk++] = field_keys[i].key;
	keys[nk] = NULL;
	char what[64];
	snprintf(what, sizeof(what), "an expectation of %s \"%s\" event",
	         strchr("aeiou", type[0]) ? "an" : "a", type);
	if (check_keys(ld, obj, keys, what) != 0)
		return -1;
	if (json_object_get(obj, "sig") != NULL)
		return lerr(ld, "use \"signal\", not \"sig\"");
	/* Two keys for one field would be ambiguous. */
	{
		const char *key;
		bool seen[SCF_TTY + 1] = { false };

		json_object_foreach(obj, key, v) {
			for (size_t i = 0; i < NFIELD_KEYS; i++) {
				if (strcmp(key, field_keys[i].key) != 0 ||
				    (strcmp(field_keys[i].type, "*") != 0 &&
				     strcmp(field_keys[i].type, type) != 0))
					continue;
				if (seen[field_keys[i].field]) {
					size_t saved = path_push_key(ld, key);
					lerr(ld, "\"%s\" names a field already given under another key",
					     key);
					path_pop(ld, saved);
					return -1;
				}
				seen[field_keys[i].field] = true;
				break;
			}
		}
	}
	if (load_match(ld, obj, e, type) != 0)
		return -1;
	if ((r = get_int(ld, obj, "count", false, 0, INT32_MAX, &x)) < 0)
		return -1;
	e->count = r == 0 ? x : -1;
	if ((r = get_int(ld, obj, "at_least", false, 0, INT32_MAX, &x)) < 0)
		return -1;
	e->at_least = r == 0 ? x : -1;
	if ((r = get_int(ld, obj, "at_most", false, 0, INT32_MAX, &x)) < 0)
		return -1;
	e->at_most = r == 0 ? x : -1;
	b = false;
	if (get_bool(ld, obj, "never", &b) < 0)
		return -1;
	e->never = b;
	if (e->never && (e->count >= 0 || e->at_least >= 0 || e->at_most >= 0))
		return lerr(ld, "\"never\" excludes \"count\", \"at_least\" and \"at_most\"");
	if (e->count >= 0 && (e->at_least >= 0 || e->at_most >= 0))
		return lerr(ld, "\"count\" excludes \"at_least\" and \"at_most\"");
	e->after = -1;
	if ((v = json_object_get(obj, "after")) != NULL) {
		size_t saved = path_push_key(ld, "after");

		if (json_is_integer(v) && json_integer_value(v) >= 0 &&
		    (size_t)json_integer_value(v) < index) {
			e->after = (int)json_integer_value(v);
		} else if (json_is_string(v) &&
		           (e->after = find_expect_id(ld->sc, index, json_string_value(v))) >= 0) {
			/* found */
		} else {
			char got[80];

			if (json_is_string(v))
				snprintf(got, sizeof(got), "\"%.60s\"", json_string_value(v));
			else if (json_is_integer(v))
				snprintf(got, sizeof(got), "%lld", (long long)json_integer_value(v));
			else
				snprintf(got, sizeof(got), "%s", jtype(v));
			if (index == 0)
				lerr(ld, "expected the index or \"id\" of an earlier expectation (there "
				         "is none before this one), got %s", got);
			else
				lerr(ld, "expected the index (0..%zu) or the \"id\" of an earlier "
				         "expectation, got %s", index - 1, got);
			path_pop(ld, saved);
			return -1;
		}
		if (ld->sc->expects[e->after].kind != SCE_EVENT || ld->sc->expects[e->after].never) {
			lerr(ld, "\"after\" must name an expectation of an event that happens (%s is %s)",
			     ld->sc->expects[e->after].path,
			     ld->sc->expects[e->after].never ? "a \"never\"" : "about a state");
			path_pop(ld, saved);
			return -1;
		}
		path_pop(ld, saved);
	}
	if ((r = get_time(ld, obj, "since", false, &e->since)) < 0)
		return -1;
	e->has_since = r == 0;
	if ((r = get_time(ld, obj, "until", false, &e->until)) < 0)
		return -1;
	e->has_until = r == 0;
	return 0;
}

static int
load_when(struct ld *ld, json_t *obj, struct sc_expect *e)
{
	bool b = false;
	int r;

	if ((r = get_time(ld, obj, "at", false, &e->at)) < 0)
		return -1;
	if (get_bool(ld, obj, "at_end", &b) < 0)
		return -1;
	if (r == 0 && b)
		return lerr(ld, "expected one of \"at\" and \"at_end\", not both");
	if (r != 0 && json_object_get(obj, "at_end") != NULL && !b)
		return lerr(ld, "\"at_end\": false needs \"at\": TIME");
	e->at_end = r != 0;
	return 0;
}

static int
get_tty_or_null(struct ld *ld, json_t *obj, struct sc_expect *e)
{
	json_t *v = json_object_get(obj, "tty");

	if (v == NULL)
		return 0;
	e->has_tty = true;
	if (json_is_null(v))
		return 0;
	return get_tty(ld, obj, "tty", true, &e->tty);
}

static int
get_tristate(struct ld *ld, json_t *obj, const char *key, int *out)
{
	bool b;
	int r = get_bool(ld, obj, key, &b);

	*out = r == 0 ? b : -1;
	return r < 0 ? -1 : 0;
}

static int
get_count(struct ld *ld, json_t *obj, const char *key, int64_t min, int64_t *out)
{
	int64_t x = 0;
	int r = get_int(ld, obj, key, false, min, INT32_MAX, &x);

	*out = r == 0 ? x : -1;
	return r < 0 ? -1 : 0;
}

static int
get_opt_ref(struct ld *ld, json_t *obj, const char *key, bool *has, struct sc_ref *ref)
{
	int r = get_ref(ld, obj, key, false, ref);

	*has = r == 0;
	return r < 0 ? -1 : 0;
}

/* What ptrace keeps about a process (ps_ptrace_info). */
static int
load_ptrace_state(struct ld *ld, json_t *obj, struct sc_expect *e)
{
	static const struct flag_name stops[] = {
		{ "SCE", (int32_t)PS_S_PT_SCE }, { "SCX", (int32_t)PS_S_PT_SCX },
	};
	static const char *const refs[] = { "tracer", "oppid" };
	int32_t bits = 0;
	int r;

	if (get_tristate(ld, obj, "traced", &e->traced) < 0 ||
	    get_tristate(ld, obj, "protected", &e->protect) < 0 ||
	    get_tristate(ld, obj, "inherit_protected", &e->inherit_protect) < 0 ||
	    get_tristate(ld, obj, "follow_fork", &e->follow_fork) < 0)
		return -1;
	for (size_t i = 0; i < 2; i++) {
		json_t *v = json_object_get(obj, refs[i]);
		struct sc_ref *ref = i == 0 ? &e->tracer : &e->oppid;

		if (v == NULL)
			continue;
		*(i == 0 ? &e->has_tracer : &e->has_oppid) = true;
		/* null (or 0): none. */
		if (!json_is_null(v) && get_ref(ld, obj, refs[i], true, ref) != 0)
			return -1;
	}
	if (get_opt_ref(ld, obj, "real_parent", &e->has_realparent, &e->realparent) < 0)
		return -1;
	if ((r = flag_list(ld, obj, "stops", stops, 2, &bits)) < 0)
		return -1;
	e->has_stops = r == 0;
	e->stops = (uint32_t)bits;
	return 0;
}

static int
load_proc_expect(struct ld *ld, json_t *obj, struct sc_expect *e)
{
	static const char *const keys[] = {
		"proc", "id", "at", "at_end", "state", "ppid", "pgid", "sid", "pg_jobc",
		"orphaned", "session_leader", "tty", "threads", "pending", "comm", "tag", "status",
		"reaped_by", "uid", "memory", "traced", "tracer", "oppid", "stops", "protected",
		"inherit_protected", "follow_fork", "real_parent", NULL
	};
	static const struct {
		const char *name;
		enum sc_state st;
	} states[] = { { "alive", SCS_ALIVE }, { "stopped", SCS_STOPPED },
		       { "zombie", SCS_ZOMBIE }, { "reaped", SCS_REAPED },
		       { "exited", SCS_EXITED } };
	const char *s;
	json_t *v;
	int r;

	e->kind = SCE_PROC;
	if (check_keys(ld, obj, keys, "an expectation about a process") != 0)
		return -1;
	if (get_ref(ld, obj, "proc", true, &e->subject) != 0 || load_when(ld, obj, e) != 0)
		return -1;
	if ((r = get_string(ld, obj, "state", false, &s)) < 0)
		return -1;
	if (r == 0) {
		size_t i;

		for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
			if (strcmp(s, states[i].name) == 0)
				break;
		if (i == sizeof(states) / sizeof(states[0])) {
			size_t saved = path_push_key(ld, "state");
			lerr(ld, "expected \"alive\", \"stopped\", \"zombie\", \"reaped\" or \"exited\" "
			         "(zombie or reaped), got \"%s\"", s);
			path_pop(ld, saved);
			return -1;
		}
		e->state = states[i].st;
	}
	if (get_opt_ref(ld, obj, "ppid", &e->has_ppid, &e->ppid) < 0 ||
	    get_opt_ref(ld, obj, "pgid", &e->has_pgid, &e->pgid) < 0 ||
	    get_opt_ref(ld, obj, "sid", &e->has_sid, &e->sid) < 0 ||
	    get_opt_ref(ld, obj, "reaped_by", &e->has_reaper, &e->reaper) < 0)
		return -1;
	if (get_count(ld, obj, "pg_jobc", INT32_MIN, &e->pg_jobc) < 0 ||
	    get_count(ld, obj, "threads", 0, &e->threads) < 0 ||
	    get_count(ld, obj, "uid", 0, &e->uid) < 0)
		return -1;
	if (json_object_get(obj, "pg_jobc") == NULL)
		e->pg_jobc = INT64_MIN;
	if (get_tristate(ld, obj, "orphaned", &e->orphaned) < 0 ||
	    get_tristate(ld, obj, "session_leader", &e->session_leader) < 0)
		return -1;
	if (get_tty_or_null(ld, obj, e) < 0)
		return -1;
	if ((v = json_object_get(obj, "pending")) != NULL) {
		size_t saved = path_push_key(ld, "pending");

		e->has_pending = true;
		if (!json_is_array(v)) {
			lerr(ld, "expected an array of signal names, got %s", jtype(v));
			path_pop(ld, saved);
			return -1;
		}
		for (size_t i = 0; i < json_array_size(v); i++) {
			size_t s2 = path_push_index(ld, i);
			int32_t sig;

			r = want_signal(ld, json_array_get(v, i), false, &sig);
			path_pop(ld, s2);
			if (r != 0) {
				path_pop(ld, saved);
				return -1;
			}
			e->pending |= 1u << (sig - 1);
		}
		path_pop(ld, saved);
	}
	if ((r = get_string(ld, obj, "comm", false, &s)) < 0)
		return -1;
	if (r == 0 && (e->comm = xstrdup(ld, s)) == NULL)
		return -1;
	if ((r = get_string(ld, obj, "tag", false, &s)) < 0)
		return -1;
	if (r == 0 && (e->tag = xstrdup(ld, s)) == NULL)
		return -1;
	if ((v = json_object_get(obj, "status")) != NULL) {
		size_t saved = path_push_key(ld, "status");

		r = want_status(ld, v, &e->wstatus);
		if (r == 0 && (PS_WIFSTOPPED(e->wstatus.word) ||
		               PS_WIFCONTINUED(e->wstatus.word)))
			r = lerr(ld, "expected the status of an exit (\"exited N\" or \"signaled "
			             "SIG\"): a process's state says whether it is stopped; a stop or a "
			             "continue is a \"wait\" event's value");
		path_pop(ld, saved);
		if (r != 0)
			return -1;
	}
	if ((v = json_object_get(obj, "memory")) != NULL) {
		size_t saved = path_push_key(ld, "memory");

		r = load_mem(ld, v, &e->mem);
		path_pop(ld, saved);
		if (r != 0)
			return -1;
		e->has_mem = true;
	}
	return load_ptrace_state(ld, obj, e);
}

static int
load_pgrp_expect(struct ld *ld, json_t *obj, struct sc_expect *e)
{
	static const char *const keys[] = {
		"pgrp", "id", "at", "at_end", "exists", "pg_jobc", "orphaned", "members",
		"foreground", "sid", NULL
	};

	e->kind = SCE_PGRP;
	if (check_keys(ld, obj, keys, "an expectation about a process group") != 0)
		return -1;
	if (get_ref(ld, obj, "pgrp", true, &e->subject) != 0 || load_when(ld, obj, e) != 0)
		return -1;
	if (get_tristate(ld, obj, "exists", &e->exists) < 0 ||
	    get_tristate(ld, obj, "orphaned", &e->orphaned) < 0 ||
	    get_tristate(ld, obj, "foreground", &e->foreground) < 0)
		return -1;
	if (get_count(ld, obj, "pg_jobc", INT32_MIN, &e->pg_jobc) < 0 ||
	    get_count(ld, obj, "members", 0, &e->members) < 0)
		return -1;
	if (json_object_get(obj, "pg_jobc") == NULL)
		e->pg_jobc = INT64_MIN;
	if (get_opt_ref(ld, obj, "sid", &e->has_sid, &e->sid) < 0)
		return -1;
	return 0;
}

static int
load_session_expect(struct ld *ld, json_t *obj, struct sc_expect *e)
{
	static const char *const keys[] = {
		"session", "id", "at", "at_end", "exists", "leader", "s_count", "tty",
		"foreground", NULL
	};
	json_t *v;

	e->kind = SCE_SESSION;
	if (check_keys(ld, obj, keys, "an expectation about a session") != 0)
		return -1;
	if (get_ref(ld, obj, "session", true, &e->subject) != 0 || load_when(ld, obj, e) != 0)
		return -1;
	if (get_tristate(ld, obj, "exists", &e->exists) < 0)
		return -1;
	if ((v = json_object_get(obj, "leader")) != NULL) {
		e->has_leader = true;
		if (!json_is_null(v) && get_ref(ld, obj, "leader", true, &e->leader) != 0)
			return -1;
		/* null or 0: the leader has exited. */
	}
	if (get_count(ld, obj, "s_count", 0, &e->s_count) < 0)
		return -1;
	if (get_tty_or_null(ld, obj, e) < 0)
		return -1;
	if (get_opt_ref(ld, obj, "foreground", &e->has_fg, &e->fg) < 0)
		return -1;
	return 0;
}

static int
load_expects(struct ld *ld, json_t *v)
{
	ps_scenario_t *sc = ld->sc;

	if (!json_is_array(v))
		return lerr(ld, "expected an array of expectations, got %s", jtype(v));
	sc->expects = calloc(json_array_size(v) + 1, sizeof(*sc->expects));
	if (sc->expects == NULL)
		return lnomem(ld);
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *obj = json_array_get(v, i);
		struct sc_expect *e = &sc->expects[i];
		size_t saved = path_push_index(ld, i);
		const char *id;
		int r;

		sc->nexpects++;
		snprintf(e->path, sizeof(e->path), "%s", ld->path);
		e->json = json_dumps(obj, JSON_COMPACT);
		e->count = e->at_least = e->at_most = -1;
		e->pg_jobc = e->threads = e->members = e->s_count = e->uid = INT64_MIN;
		e->orphaned = e->session_leader = e->exists = e->foreground = -1;
		e->traced = e->protect = e->inherit_protect = e->follow_fork = -1;
		e->after = -1;
		if (want_object(ld, obj, "an expectation") == NULL)
			goto fail;
		if ((r = get_string(ld, obj, "id", false, &id)) < 0)
			goto fail;
		if (r == 0) {
			if (find_expect_id(sc, i, id) >= 0) {
				size_t s2 = path_push_key(ld, "id");
				lerr(ld, "id \"%s\" is used by an earlier expectation", id);
				path_pop(ld, s2);
				goto fail;
			}
			if ((e->id = xstrdup(ld, id)) == NULL)
				goto fail;
		}
		if (json_object_get(obj, "event") != NULL || json_object_get(obj, "syscall") != NULL)
			r = load_event_expect(ld, obj, e, i);
		else if (json_object_get(obj, "proc") != NULL)
			r = load_proc_expect(ld, obj, e);
		else if (json_object_get(obj, "pgrp") != NULL)
			r = load_pgrp_expect(ld, obj, e);
		else if (json_object_get(obj, "session") != NULL)
			r = load_session_expect(ld, obj, e);
		else
			r = lerr(ld, "expected an expectation with \"event\", \"syscall\", \"proc\", "
			             "\"pgrp\" or \"session\"");
		if (r != 0)
			goto fail;
		/* get_count leaves -1 for absent; keep INT64_MIN as "not given". */
		if (e->threads == -1)
			e->threads = INT64_MIN;
		if (e->members == -1)
			e->members = INT64_MIN;
		if (e->s_count == -1)
			e->s_count = INT64_MIN;
		if (e->uid == -1)
			e->uid = INT64_MIN;
		path_pop(ld, saved);
		continue;
fail:
		path_pop(ld, saved);
		return -1;
	}
	return 0;
}

/* --- the document --- */

static const char *const top_keys[] = {
	"procsim", "name", "description", "config", "ttys", "programs", "processes", "events",
	"expect", "conformance", NULL
};

static int
load_document(struct ld *ld, json_t *root)
{
	ps_scenario_t *sc = ld->sc;
	const char *s;
	int64_t version;
	json_t *v;
	int r;

	if (!json_is_object(root))
		return lerr(ld, "expected a scenario (a JSON object), got %s", jtype(root));
	if (check_keys(ld, root, top_keys, "a scenario") != 0)
		return -1;
	if (get_int(ld, root, "procsim", true, 0, INT32_MAX, &version) != 0)
		return -1;
	if (version != PS_SCENARIO_VERSION) {
		size_t saved = path_push_key(ld, "procsim");
		lerr(ld, "expected format version %d, got %lld", PS_SCENARIO_VERSION,
		     (long long)version);
		path_pop(ld, saved);
		return -1;
	}
	if ((r = get_string(ld, root, "name", false, &s)) < 0)
		return -1;
	if ((sc->name = xstrdup(ld, r == 0 ? s : "")) == NULL)
		return -1;
	if ((r = get_string(ld, root, "description", false, &s)) < 0)
		return -1;
	if (r == 0 && (sc->description = xstrdup(ld, s)) == NULL)
		return -1;
	/* Read by the conformance harness (docs/conformance.md), not by runs. */
	if ((v = json_object_get(root, "conformance")) != NULL && !json_is_object(v)) {
		size_t saved = path_push_key(ld, "conformance");
		lerr(ld, "expected an object (docs/conformance.md), got %s", jtype(v));
		path_pop(ld, saved);
		return -1;
	}
	static const struct {
		const char *key;
		int (*load)(struct ld *, json_t *);
	} parts[] = {
		{ "config", load_config }, { "ttys", load_ttys }, { "programs", load_programs },
		{ "processes", load_processes }, { "events", load_events },
		{ "expect", load_expects },
	};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if ((v = json_object_get(root, parts[i].key)) == NULL)
			continue;
		size_t saved = path_push_key(ld, parts[i].key);

		r = parts[i].load(ld, v);
		path_pop(ld, saved);
		if (r != 0)
			return -1;
	}
	return 0;
}

static void
sc_ref_free(struct sc_ref *r)
{
	free(r->name);
}

static void
strv_free(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p != NULL; p++)
		free(*p);
	free(v);
}

static void
proc_free(struct sc_proc *p)
{
	free(p->name);
	free(p->program);
	sc_ref_free(&p->parent);
	strv_free(p->argv);
	strv_free(p->env);
	free(p->ctty);
	sc_ref_free(&p->pgrp);
}

static void
mem_free(struct sc_mem *m)
{
	free(m->symbol);
	free(m->program);
	free(m->bytes);
}

static void
ptrace_free(struct sc_ptrace *pt)
{
	sc_ref_free(&pt->target);
	free(pt->addr.label);
	free(pt->io_offs.label);
	free(pt->io_bytes);
	for (size_t i = 0; i < SC_NREGS; i++) {
		free(pt->regs[i].label);
		free(pt->eregs[i].label);
	}
	free(pt->ebytes);
	sc_ref_free(&pt->lw_child);
	free(pt->vm_start.label);
	free(pt->vm_end.label);
	free(pt->vm_path);
	free(pt);
}

void
sc_scenario_free(ps_scenario_t *sc)
{
	if (sc == NULL)
		return;
	free(sc->source);
	free(sc->name);
	free(sc->description);
	strv_free(sc->ttys);
	for (size_t i = 0; i < sc->nprograms; i++) {
		free(sc->programs[i].name);
		free(sc->programs[i].text);
	}
	free(sc->programs);
	for (size_t i = 0; i < sc->nprocs; i++)
		proc_free(&sc->procs[i]);
	free(sc->procs);
	for (size_t i = 0; i < sc->nactions; i++) {
		struct sc_action *a = &sc->actions[i];

		free(a->json);
		sc_ref_free(&a->proc);
		sc_ref_free(&a->target);
		sc_ref_free(&a->pgrp);
		free(a->tty);
		free(a->program);
		free(a->name);
		strv_free(a->argv);
		strv_free(a->env);
		if (a->spawn != NULL)
			proc_free(a->spawn);
		free(a->spawn);
		mem_free(&a->mem);
		if (a->pt != NULL)
			ptrace_free(a->pt);
		if (a->pc != NULL)
			sc_ref_free(&a->pc->id);
		free(a->pc);
	}
	free(sc->actions);
	for (size_t i = 0; i < sc->nexpects; i++) {
		struct sc_expect *e = &sc->expects[i];

		free(e->id);
		free(e->json);
		for (size_t j = 0; j < e->nmatch; j++) {
			sc_ref_free(&e->match[j].ref);
			free(e->match[j].str);
		}
		free(e->match);
		sc_ref_free(&e->subject);
		sc_ref_free(&e->ppid);
		sc_ref_free(&e->pgid);
		sc_ref_free(&e->sid);
		sc_ref_free(&e->reaper);
		sc_ref_free(&e->leader);
		sc_ref_free(&e->fg);
		free(e->tty);
		free(e->comm);
		free(e->tag);
		mem_free(&e->mem);
		sc_ref_free(&e->tracer);
		sc_ref_free(&e->oppid);
		sc_ref_free(&e->realparent);
	}
	free(sc->expects);
	free(sc);
}

void
ps_scenario_free(ps_scenario_t *sc)
{
	sc_scenario_free(sc);
}

static int
load_json(json_t *root, const char *name, ps_scenario_t **out, char *err, size_t errlen)
{
	struct ld ld = { .file = name, .err = err, .errlen = errlen };
	ps_scenario_t *sc;

	sc = calloc(1, sizeof(*sc));
	if (sc == NULL) {
		json_decref(root);
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: out of memory", name);
		return PS_ENOMEM;
	}
	ld.sc = sc;
	ps_config_init(&sc->config);
	sc->until = PS_TIME_NEVER;
	sc->source = strdup(name);
	if (sc->source == NULL)
		lnomem(&ld);
	else
		load_document(&ld, root);
	json_decref(root);
	if (ld.failed) {
		sc_scenario_free(sc);
		return ld.nomem ? PS_ENOMEM : PS_EINVAL;
	}
	*out = sc;
	return 0;
}

int
ps_scenario_load_string(const char *text, size_t len, const char *name, ps_scenario_t **out,
                        char *err, size_t errlen)
{
	json_error_t je;
	json_t *root;

	if (out != NULL)
		*out = NULL;
	if (text == NULL || out == NULL)
		return PS_EINVAL;
	if (name == NULL)
		name = "<string>";
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s:%d:%d: %s", name, je.line, je.column, je.text);
		return PS_EINVAL;
	}
	return load_json(root, name, out, err, errlen);
}

int
ps_scenario_load_file(const char *path, ps_scenario_t **out, char *err, size_t errlen)
{
	json_error_t je;
	json_t *root;
	FILE *fp;

	if (out != NULL)
		*out = NULL;
	if (path == NULL || out == NULL)
		return PS_EINVAL;
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: is a directory, not a scenario file", path);
		return PS_EINVAL;
	}
	fp = fopen(path, "rb");
	if (fp == NULL) {
		int e = errno;

		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: cannot open: %s", path, strerror(e));
		return e == ENOENT ? PS_ENOENT : e == EACCES ? PS_EACCES : PS_EIO;
	}
	root = json_loadf(fp, JSON_REJECT_DUPLICATES, &je);
	fclose(fp);
	if (root == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s:%d:%d: %s", path, je.line, je.column, je.text);
		return PS_EINVAL;
	}
	return load_json(root, path, out, err, errlen);
}

const char *
ps_scenario_name(const ps_scenario_t *sc)
{
	return sc != NULL ? sc->name : NULL;
}

const char *
ps_scenario_source(const ps_scenario_t *sc)
{
	return sc != NULL ? sc->source : NULL;
}
