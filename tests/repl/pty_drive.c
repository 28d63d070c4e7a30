/*
 * pty_drive: run an interactive program on a pseudo-terminal and drive it
 * from a script, expect(1)-like, for tests of line editing and Ctrl-C.
 *
 *   pty_drive [-v] [-t TIMEOUT_MS] [-l LOGFILE] SCRIPT -- PROGRAM [ARGS...]
 *
 * PROGRAM runs on a new pty as a session leader with the pty as its
 * controlling terminal and as its stdin, stdout and stderr, with
 * TERM=xterm, COLUMNS and LINES unset, a window of 80x24, the kernel's
 * default terminal modes (canonical, echo, ISIG: Ctrl-C sends SIGINT to
 * the foreground process group) and every signal at its default action.
 * Then SCRIPT runs, one command a line:
 *
 *   send TEXT     write TEXT to the terminal, as typed.  C-like escapes:
 *                 \r \n \t \e (ESC) \xHH (two hex digits) \\.  Enter is
 *                 \r; Ctrl-C is \x03, Ctrl-D \x04, up arrow \e[A.
 *   expect REGEX  wait until what the program wrote since the last match
 *                 matches REGEX (POSIX extended, REG_NEWLINE; no C escapes
 *                 here, REGEX goes to regcomp as written), then forget the
 *                 output up to the end of the match.  The text matched has
 *                 ANSI escape sequences and control characters other than
 *                 newline and tab removed (so \r too: lines end in \n).
 *                 Output comes in pieces, so `$` matches only before a
 *                 newline, never at the end of what has arrived so far;
 *                 `^` matches at the start of a line.  Prefer regexes that
 *                 end in fixed text: `.*` at the end matches whatever
 *                 happened to have arrived.
 *   sleep MS      wait MS milliseconds (reading output meanwhile).
 *   wait CODE     wait for PROGRAM to exit with status CODE (0..255); dying
 *                 of a signal, or not exiting in time, fails.
 *
 * The argument is the rest of the line after the command word and the
 * blanks that follow it: trailing blanks are part of it (but a trailing \r
 * of a CRLF file is not).  For a leading blank write \x20 in send and [ ]
 * in expect; [ ] is also a safe way to end a regex in a blank.  Lines
 * starting with # (after blanks) and blank lines are ignored.
 *
 * -t sets the time limit of every send, expect and wait (default 5000 ms).
 * -l writes the raw bytes read from the terminal to LOGFILE.  -v tells each
 * step on stderr as it runs.
 *
 * A step that fails prints the script's name and line, why, and what was
 * seen since the last match (as matched, and the last bytes raw), and
 * ends the run.  Either way PROGRAM, if still running at the end, gets
 * SIGTERM, then after a second SIGKILL (its process group), and is
 * reaped.  Exit status: 0 every step passed, 1 a step failed (or
 * pty_drive was interrupted), 2 bad usage, a bad script (the whole script
 * is checked before PROGRAM starts), or PROGRAM could not be started.
 *
 * Writing scripts.  Wait for the prompt before typing: until a line
 * editor has put the terminal in its mode, the kernel echoes what is typed
 * (and takes Ctrl-D as end of file), so the echo and the editing keys
 * behave differently.  What a line editor draws while a line is edited
 * (cursor moves, redraws) is not the screen once the escape sequences are
 * gone: match what the program prints once Enter is pressed, which shows
 * the line it received.  A terminal in its default modes echoes Ctrl-C as
 * ^C, on the same line as what follows it.  Every send, expect and wait has the whole time
 * limit; no fixed sleeps are needed, expect waits.
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXIT_PASS 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2

#define DEFAULT_TIMEOUT_MS 5000
/* How long a program has between SIGTERM and SIGKILL at the end. */
#define TERM_GRACE_MS 1000
/* A failure report shows the last RAW_KEEP bytes read, raw... */
#define RAW_KEEP 1024
/* ...and the last SHOW_MAX bytes of the text not yet matched. */
#define SHOW_MAX 4096

enum op { OP_SEND, OP_EXPECT, OP_SLEEP, OP_WAIT };

struct step {
	enum op op;
	int line;
	char *arg;              /* The argument as written. */
	char *data;             /* send: the bytes, escapes decoded. */
	size_t len;
	regex_t re;             /* expect. */
	long num;               /* sleep: ms; wait: the exit status. */
};

/* Where feed_text is in an escape sequence. */
enum strip_state { ST_TEXT, ST_ESC, ST_ESC_INTER, ST_CSI, ST_STRING, ST_STRING_ESC };

struct drv {
	const char *script;
	int timeout_ms;
	bool verbose;
	int logfd;
	const char *logname;

	pid_t pid;
	int master;
	bool eof;               /* The terminal has been hung up (EIO or 0). */
	bool reaped;
	int status;

	/* Text since the last match, NUL-terminated; bol: it starts a line. */
	char *text;
	size_t tlen, tcap;
	bool bol;
	enum strip_state st;

	/*
	 * The last bytes read, raw (at least RAW_KEEP of them once so many
	 * have come), for a failure report: what the line editor really drew.
	 */
	unsigned char raw[2 * RAW_KEEP];
	size_t rlen;
	size_t rdropped;        /* Read before raw[0]. */
};

/* SIGCHLD, and the signals that end pty_drive, wake poll through here. */
static int sigpipe_fd[2] = { -1, -1 };
static volatile sig_atomic_t got_stop_signal;

static void
on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;
	ssize_t w;

	if (sig != SIGCHLD)
		got_stop_signal = sig;
	/* Nonblocking: if the pipe is full, poll will wake anyway. */
	w = write(sigpipe_fd[1], &c, 1);
	(void)w;
	errno = saved;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *
signame(int sig)
{
	static const struct {
		int sig;
		const char *name;
	} names[] = {
		{ SIGHUP, "SIGHUP" },   { SIGINT, "SIGINT" },   { SIGQUIT, "SIGQUIT" },
		{ SIGILL, "SIGILL" },   { SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
		{ SIGBUS, "SIGBUS" },   { SIGFPE, "SIGFPE" },   { SIGKILL, "SIGKILL" },
		{ SIGUSR1, "SIGUSR1" }, { SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
		{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
		{ SIGCHLD, "SIGCHLD" }, { SIGCONT, "SIGCONT" }, { SIGSTOP, "SIGSTOP" },
		{ SIGTSTP, "SIGTSTP" }, { SIGTTIN, "SIGTTIN" }, { SIGTTOU, "SIGTTOU" },
		{ SIGXCPU, "SIGXCPU" }, { SIGXFSZ, "SIGXFSZ" }, { SIGSYS, "SIGSYS" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].sig == sig)
			return names[i].name;
	return "?";
}

/* Write len bytes of s to fp the way a C string literal would show them. */
static void
put_escaped(FILE *fp, const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\t': fputs("\\t", fp); break;
		case 0x1b: fputs("\\e", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '"': fputs("\\\"", fp); break;
		default:
			if (c >= 0x20 && c < 0x7f)
				fputc(c, fp);
			else
				fprintf(fp, "\\x%02x", c);
		}
	}
}

/*
 * Show s as quoted lines, one per line of output, so that a report stays
 * readable; only the last max bytes.
 */
static void
show_text(FILE *fp, const char *title, const unsigned char *s, size_t len, size_t dropped,
          size_t max)
{
	size_t i, start;

	if (len > max) {
		dropped += len - max;
		s += len - max;
		len = max;
	}
	fprintf(fp, "pty_drive: %s", title);
	if (dropped != 0)
		fprintf(fp, " (the last %zu bytes; %zu before them not shown)", len, dropped);
	fprintf(fp, len == 0 ? ": nothing\n" : ":\n");
	for (start = 0, i = 0; i < len; i++) {
		if (s[i] == '\n' || i + 1 == len) {
			fputs("  \"", fp);
			put_escaped(fp, s + start, i + 1 - start);
			fputs("\"\n", fp);
			start = i + 1;
		}
	}
}

static void
report_seen(struct drv *d)
{
	show_text(stderr, "output since the last match, as matched (escape sequences and \\r removed)",
	          (const unsigned char *)d->text, d->tlen, 0, SHOW_MAX);
	show_text(stderr, "the last bytes read, raw", d->raw, d->rlen, d->rdropped, RAW_KEEP);
	if (d->logname != NULL)
		fprintf(stderr, "pty_drive: the whole transcript is in %s\n", d->logname);
}

static void
step_fail(struct drv *d, const struct step *s, const char *fmt, ...)
{
	static const char *const opname[] = { "send", "expect", "sleep", "wait" };
	va_list ap;

	fprintf(stderr, "pty_drive: %s:%d: %s %s: ", d->script, s->line, opname[s->op], s->arg);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* --- the script --- */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the escapes of send's text into s->data.  -1 with why in err. */
static int
decode_send(struct step *s, char *err, size_t errsz)
{
	const char *p = s->arg;
	char *out = malloc(strlen(p) + 1);
	size_t n = 0;

	if (out == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	while (*p != '\0') {
		int hi, lo;

		if (*p != '\\') {
			out[n++] = *p++;
			continue;
		}
		switch (p[1]) {
		case 'r': out[n++] = '\r'; p += 2; break;
		case 'n': out[n++] = '\n'; p += 2; break;
		case 't': out[n++] = '\t'; p += 2; break;
		case 'e': out[n++] = 0x1b; p += 2; break;
		case '\\': out[n++] = '\\'; p += 2; break;
		case 'x':
			if ((hi = hexval((unsigned char)p[2])) < 0 ||
			    (lo = hexval((unsigned char)p[3])) < 0) {
				snprintf(err, errsz, "\\x needs two hex digits");
				free(out);
				return -1;
			}
			out[n++] = (char)(hi * 16 + lo);
			p += 4;
			break;
		case '\0':
			snprintf(err, errsz, "a lone \\ at the end of the line (write \\\\)");
			free(out);
			return -1;
		default:
			snprintf(err, errsz, "unknown escape \\%c (known: \\r \\n \\t \\e \\xHH \\\\)",
			         p[1]);
			free(out);
			return -1;
		}
	}
	s->data = out;
	s->len = n;
	return 0;
}

static int
parse_num(const char *s, long max, long *out)
{
	char *end;
	long x;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	x = strtol(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (errno != 0 || *end != '\0' || x > max)
		return -1;
	*out = x;
	return 0;
}

/* Parse one line into *s.  1: a step; 0: nothing to do; -1: an error. */
static int
parse_line(char *line, struct step *s, char *err, size_t errsz)
{
	char *p = line, *word;
	size_t n = strlen(line);
	int r;

	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	if (n > 0 && line[n - 1] == '\r')
		line[--n] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	word = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	if (*p != '\0') {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
	}
	if ((s->arg = strdup(p)) == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	if (strcmp(word, "send") == 0) {
		s->op = OP_SEND;
		if (*p == '\0') {
			snprintf(err, errsz, "send needs the text to send");
			return -1;
		}
		return decode_send(s, err, errsz) == 0 ? 1 : -1;
	} else if (strcmp(word, "expect") == 0) {
		s->op = OP_EXPECT;
		if (*p == '\0') {
			snprintf(err, errsz, "expect needs a regex");
			return -1;
		}
		if ((r = regcomp(&s->re, p, REG_EXTENDED | REG_NEWLINE)) != 0) {
			char msg[256];

			regerror(r, &s->re, msg, sizeof(msg));
			snprintf(err, errsz, "bad regex '%s': %s", p, msg);
			return -1;
		}
		return 1;
	} else if (strcmp(word, "sleep") == 0) {
		s->op = OP_SLEEP;
		if (parse_num(p, 3600 * 1000, &s->num) != 0) {
			snprintf(err, errsz, "sleep needs milliseconds (0 to 3600000), got '%s'", p);
			return -1;
		}
		return 1;
	} else if (strcmp(word, "wait") == 0) {
		s->op = OP_WAIT;
		if (parse_num(p, 255, &s->num) != 0) {
			snprintf(err, errsz, "wait needs an exit status (0 to 255), got '%s'", p);
			return -1;
		}
		return 1;
	}
	snprintf(err, errsz, "unknown command '%s' (known: send, expect, sleep, wait)", word);
	return -1;
}

static void
free_steps(struct step *steps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (steps[i].op == OP_EXPECT)
			regfree(&steps[i].re);
		free(steps[i].arg);
		free(steps[i].data);
	}
	free(steps);
}

/*
 * The whole script is read and checked before the program starts, so a
 * mistake in it is told at once, as exit 2, not as a failed step.
 */
static int
load_script(const char *path, struct step **out, size_t *nout)
{
	FILE *fp = fopen(path, "r");
	struct step *steps = NULL;
	size_t n = 0, cap = 0, lsz = 0;
	char *line = NULL, err[512];
	int lineno = 0, r;

	if (fp == NULL) {
		fprintf(stderr, "pty_drive: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &lsz, fp) != -1) {
		struct step s = { 0 };

		lineno++;
		s.line = lineno;
		r = parse_line(line, &s, err, sizeof(err));
		if (r < 0) {
			fprintf(stderr, "pty_drive: %s:%d: %s\n", path, lineno, err);
			free(s.arg);
			free(s.data);
			goto fail;
		}
		if (r == 0) {
			free(s.arg);
			continue;
		}
		if (n == cap) {
			size_t ncap = cap != 0 ? cap * 2 : 32;
			void *p = realloc(steps, ncap * sizeof(*steps));

			if (p == NULL) {
				fprintf(stderr, "pty_drive: out of memory\n");
				if (s.op == OP_EXPECT)
					regfree(&s.re);
				free(s.arg);
				free(s.data);
				goto fail;
			}
			steps = p;
			cap = ncap;
		}
		steps[n++] = s;
	}
	if (ferror(fp)) {
		fprintf(stderr, "pty_drive: %s: %s\n", path, strerror(errno));
		goto fail;
	}
	free(line);
	fclose(fp);
	*out = steps;
	*nout = n;
	return 0;
fail:
	free(line);
	fclose(fp);
	free_steps(steps, n);
	return -1;
}

/* --- output --- */

static int
text_put(struct drv *d, char c)
{
	if (d->tlen + 2 > d->tcap) {
		size_t ncap = d->tcap != 0 ? d->tcap * 2 : 4096;
		char *p = realloc(d->text, ncap);

		if (p == NULL)
			return -1;
		d->text = p;
		d->tcap = ncap;
	}
	d->text[d->tlen++] = c;
	d->text[d->tlen] = '\0';
	return 0;
}

/*
 * Strip escape sequences as they come; a sequence may be split between
 * two reads, hence the state kept in d->st.  Recognized: CSI (ESC [ ...
 * final byte), OSC and the other string sequences (ESC ] P X ^ _ ... up to
 * BEL or ESC \), ESC with intermediates then a final byte (ESC ( B), and
 * two-byte ESC x.  Control characters other than \n and \t are dropped
 * (\r, BEL, the backspaces of line editors, NUL).
 */
static int
feed_text(struct drv *d, const unsigned char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = buf[i];

		switch (d->st) {
		case ST_TEXT:
			if (c == 0x1b)
				d->st = ST_ESC;
			else if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f))
				if (text_put(d, (char)c) != 0)
					return -1;
			break;
		case ST_ESC:
			if (c == '[')
				d->st = ST_CSI;
			else if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_')
				d->st = ST_STRING;
			else if (c >= 0x20 && c <= 0x2f)
				d->st = ST_ESC_INTER;
			else if (c == 0x1b)
				d->st = ST_ESC;
			else
				d->st = ST_TEXT;
			break;
		case ST_ESC_INTER:
			if (c < 0x20 || c > 0x2f)
				d->st = ST_TEXT;
			break;
		case ST_CSI:
			/* Parameters and intermediates 0x20..0x3f, then a final byte. */
			if (c == 0x1b)
				d->st = ST_ESC;
			else if (c >= 0x40 && c <= 0x7e)
				d->st = ST_TEXT;
			else if (c == 0x18 || c == 0x1a)    /* CAN, SUB: abandoned. */
				d->st = ST_TEXT;
			break;
		case ST_STRING:
			if (c == 0x07)
				d->st = ST_TEXT;
			else if (c == 0x1b)
				d->st = ST_STRING_ESC;
			break;
		case ST_STRING_ESC:
			d->st = c == '\\' ? ST_TEXT : ST_STRING;
			break;
		}
	}
	return 0;
}

static void
raw_put(struct drv *d, const unsigned char *buf, size_t n)
{
	if (n >= RAW_KEEP) {
		d->rdropped += d->rlen + (n - RAW_KEEP);
		memcpy(d->raw, buf + n - RAW_KEEP, RAW_KEEP);
		d->rlen = RAW_KEEP;
		return;
	}
	if (d->rlen + n > sizeof(d->raw)) {
		size_t drop = d->rlen + n - RAW_KEEP;

		memmove(d->raw, d->raw + drop, d->rlen - drop);
		d->rlen -= drop;
		d->rdropped += drop;
	}
	memcpy(d->raw + d->rlen, buf, n);
	d->rlen += n;
}

static void
log_raw(struct drv *d, const unsigned char *buf, size_t n)
{
	while (d->logfd >= 0 && n > 0) {
		ssize_t w = write(d->logfd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "pty_drive: %s: %s (no more logging)\n", d->logname,
			        strerror(errno));
			close(d->logfd);
			d->logfd = -1;
			return;
		}
		buf += w;
		n -= (size_t)w;
	}
}

/*
 * Read whatever the terminal has now, without waiting.  A read of 0 or
 * EIO means every process has closed the slave side (Linux gives EIO once
 * the data written before is read): the end of the output.  -1: no memory.
 */
static int
read_avail(struct drv *d)
{
	unsigned char buf[4096];

	while (!d->eof) {
		ssize_t n = read(d->master, buf, sizeof(buf));

		if (n > 0) {
			log_raw(d, buf, (size_t)n);
			raw_put(d, buf, (size_t)n);
			if (feed_text(d, buf, (size_t)n) != 0) {
				fprintf(stderr, "pty_drive: out of memory\n");
				return -1;
			}
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0 && errno != EIO)
			fprintf(stderr, "pty_drive: reading the terminal: %s\n", strerror(errno));
		d->eof = true;
	}
	return 0;
}

static void
reap(struct drv *d)
{
	pid_t r;
	int st;

	while (!d->reaped) {
		r = waitpid(d->pid, &st, WNOHANG);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == d->pid) {
			d->reaped = true;
			d->status = st;
		} else if (r < 0) {
			/* Not ours any more (ECHILD): nothing to wait for. */
			d->reaped = true;
			d->status = -1;
		}
		break;
	}
}

/*
 * Sleep until the terminal can be read (or written, with want_write), a
 * signal comes, or timeout_ms pass; then reap the child if it has exited.
 * Returns poll's revents of the terminal.  The terminal is not watched
 * once hung up, or poll would return POLLHUP at once, forever.
 */
static short
wait_io(struct drv *d, int64_t timeout_ms, bool want_write)
{
	struct pollfd pfd[2];
	nfds_t n = 0;
	int r, tm;

	tm = timeout_ms < 0 ? 0 : timeout_ms > INT_MAX ? INT_MAX : (int)timeout_ms;
	pfd[n].fd = sigpipe_fd[0];
	pfd[n].events = POLLIN;
	pfd[n++].revents = 0;
	if (!d->eof) {
		pfd[n].fd = d->master;
		pfd[n].events = POLLIN | (want_write ? POLLOUT : 0);
		pfd[n++].revents = 0;
	}
	r = poll(pfd, n, tm);
	if (r < 0 && errno != EINTR) {
		fprintf(stderr, "pty_drive: poll: %s\n", strerror(errno));
		exit(EXIT_USAGE);
	}
	if (r > 0 && (pfd[0].revents & POLLIN) != 0) {
		unsigned char junk[64];

		while (read(sigpipe_fd[0], junk, sizeof(junk)) > 0)
			;
	}
	reap(d);
	return n > 1 && r > 0 ? pfd[1].revents : 0;
}

/* --- the steps --- */

static bool
interrupted(struct drv *d, const struct step *s)
{
	if (got_stop_signal == 0)
		return false;
	step_fail(d, s, "interrupted by %s", signame(got_stop_signal));
	return true;
}

static int
do_send(struct drv *d, const struct step *s)
{
	const char *p = s->data;
	size_t left = s->len;
	int64_t deadline = now_ms() + d->timeout_ms;

	while (left > 0) {
		short ev;
		ssize_t w;

		if (interrupted(d, s))
			return -1;
		if (d->eof) {
			step_fail(d, s, "the program has closed the terminal%s",
			          d->reaped ? " (it has exited)" : "");
			return -1;
		}
		w = write(d->master, p, left);
		if (w > 0) {
			p += w;
			left -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EIO) {
			d->eof = true;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			step_fail(d, s, "writing to the terminal: %s", strerror(errno));
			return -1;
		}
		if (now_ms() >= deadline) {
			step_fail(d, s, "the program has not read its input for %d ms",
			          d->timeout_ms);
			return -1;
		}
		/*
		 * The input queue is full: read meanwhile, the program may be
		 * blocked writing to us.
		 */
		ev = wait_io(d, deadline - now_ms(), true);
		if ((ev & (POLLIN | POLLHUP | POLLERR)) != 0 && read_avail(d) != 0)
			return -1;
	}
	return 0;
}

static void
consume(struct drv *d, size_t end)
{
	if (end > 0)
		d->bol = d->text[end - 1] == '\n';
	memmove(d->text, d->text + end, d->tlen - end + 1);
	d->tlen -= end;
}

static int
do_expect(struct drv *d, const struct step *s)
{
	int64_t deadline = now_ms() + d->timeout_ms, left;
	regmatch_t m;

	for (;;) {
		if (regexec(&s->re, d->text, 1, &m, REG_NOTEOL | (d->bol ? 0 : REG_NOTBOL)) == 0) {
			consume(d, (size_t)m.rm_eo);
			return 0;
		}
		if (interrupted(d, s))
			break;
		if (d->eof) {
			step_fail(d, s, "no match, and the program has closed the terminal%s",
			          d->reaped ? " (it has exited)" : "");
			break;
		}
		if ((left = deadline - now_ms()) <= 0) {
			step_fail(d, s, "no match within %d ms", d->timeout_ms);
			break;
		}
		wait_io(d, left, false);
		if (read_avail(d) != 0)
			return -1;
	}
	report_seen(d);
	return -1;
}

static int
do_sleep(struct drv *d, const struct step *s)
{
	int64_t deadline = now_ms() + s->num, left;

	while ((left = deadline - now_ms()) > 0) {
		if (interrupted(d, s))
			return -1;
		wait_io(d, left, false);
		if (read_avail(d) != 0)
			return -1;
	}
	return 0;
}

static int
do_wait(struct drv *d, const struct step *s)
{
	int64_t deadline = now_ms() + d->timeout_ms, left;

	for (;;) {
		reap(d);
		if (d->reaped)
			break;
		if (interrupted(d, s))
			return -1;
		if ((left = deadline - now_ms()) <= 0) {
			step_fail(d, s, "the program has not exited within %d ms", d->timeout_ms);
			report_seen(d);
			return -1;
		}
		wait_io(d, left, false);
		if (read_avail(d) != 0)
			return -1;
	}
	/* What it wrote before exiting is in the terminal's queue now. */
	if (read_avail(d) != 0)
		return -1;
	if (d->status == -1) {
		step_fail(d, s, "the program cannot be waited for");
		return -1;
	}
	if (WIFEXITED(d->status) && WEXITSTATUS(d->status) == s->num)
		return 0;
	if (WIFEXITED(d->status))
		step_fail(d, s, "the program exited with status %d", WEXITSTATUS(d->status));
	else if (WIFSIGNALED(d->status))
		step_fail(d, s, "the program was killed by signal %d (%s)", WTERMSIG(d->status),
		          signame(WTERMSIG(d->status)));
	else
		step_fail(d, s, "the program ended with wait status %#x", d->status);
	report_seen(d);
	return -1;
}

/* --- the program --- */

static void
child_exec(char **argv, int errfd)
{
	static const int sigs[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE,
		                    SIGTERM, SIGHUP, SIGCHLD, SIGALRM, SIGUSR1, SIGUSR2 };
	struct sigaction sa;
	sigset_t none;
	ssize_t w;
	int e;

	/*
	 * Dispositions and the mask survive exec: a pty_drive started with
	 * SIGINT ignored (as a background job of a shell without job control
	 * is) must not pass that on, or Ctrl-C would do nothing.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	close(sigpipe_fd[0]);
	close(sigpipe_fd[1]);

	setenv("TERM", "xterm", 1);
	unsetenv("COLUMNS");
	unsetenv("LINES");
	execvp(argv[0], argv);
	/* Tell the parent why, through the close-on-exec pipe. */
	e = errno;
	w = write(errfd, &e, sizeof(e));
	(void)w;        /* If even that fails, the parent sees status 127. */
	_exit(127);
}

static int
set_flags(int fd, int fdflags, int flflags)
{
	int f;

	if (fdflags != 0 &&
	    ((f = fcntl(fd, F_GETFD)) < 0 || fcntl(fd, F_SETFD, f | fdflags) < 0))
		return -1;
	if (flflags != 0 &&
	    ((f = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, f | flflags) < 0))
		return -1;
	return 0;
}

static int
start_program(struct drv *d, char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	int errpipe[2], e;
	ssize_t n;

	if (pipe(errpipe) != 0 || set_flags(errpipe[0], FD_CLOEXEC, 0) != 0 ||
	    set_flags(errpipe[1], FD_CLOEXEC, 0) != 0) {
		fprintf(stderr, "pty_drive: pipe: %s\n", strerror(errno));
		return -1;
	}
	/* forkpty: setsid, the slave as controlling tty and fds 0-2, TIOCSWINSZ. */
	d->pid = forkpty(&d->master, NULL, NULL, &ws);
	if (d->pid < 0) {
		fprintf(stderr, "pty_drive: forkpty: %s\n", strerror(errno));
		close(errpipe[0]);
		close(errpipe[1]);
		return -1;
	}
	if (d->pid == 0) {
		close(errpipe[0]);
		child_exec(argv, errpipe[1]);
	}
	close(errpipe[1]);
	do
		n = read(errpipe[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(errpipe[0]);
	if (n == (ssize_t)sizeof(e)) {
		fprintf(stderr, "pty_drive: %s: %s\n", argv[0], strerror(e));
		close(d->master);
		d->master = -1;
		while (waitpid(d->pid, NULL, 0) < 0 && errno == EINTR)
			;
		d->reaped = true;
		return -1;
	}
	if (set_flags(d->master, FD_CLOEXEC, O_NONBLOCK) != 0) {
		fprintf(stderr, "pty_drive: fcntl: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * SIGTERM to its process group (a session leader's group is its pid), a
 * grace period during which its output is still read (it may be blocked
 * writing), then SIGKILL.
 */
static void
stop_program(struct drv *d)
{
	int64_t deadline;

	reap(d);
	if (d->reaped)
		return;
	if (d->verbose)
		fprintf(stderr, "pty_drive: the program is still running: SIGTERM\n");
	kill(-d->pid, SIGTERM);
	kill(d->pid, SIGTERM);
	deadline = now_ms() + TERM_GRACE_MS;
	while (!d->reaped && now_ms() < deadline) {
		wait_io(d, deadline - now_ms(), false);
		(void)read_avail(d);
	}
	if (!d->reaped) {
		fprintf(stderr, "pty_drive: the program ignored SIGTERM: SIGKILL\n");
		kill(-d->pid, SIGKILL);
		kill(d->pid, SIGKILL);
		while (waitpid(d->pid, &d->status, 0) < 0 && errno == EINTR)
			;
		d->reaped = true;
	}
}

static void
usage(void)
{
	fprintf(stderr,
	        "usage: pty_drive [-v] [-t TIMEOUT_MS] [-l LOGFILE] SCRIPT -- PROGRAM [ARGS...]\n"
	        "Run PROGRAM on a pseudo-terminal and drive it with SCRIPT: lines of\n"
	        "send TEXT, expect REGEX, sleep MS, wait EXITCODE (see pty_drive.c).\n");
}

static void
trace_step(const struct drv *d, const struct step *s)
{
	static const char *const opname[] = { "send", "expect", "sleep", "wait" };

	fprintf(stderr, "pty_drive: %s:%d: %s ", d->script, s->line, opname[s->op]);
	if (s->op == OP_SEND) {
		fputc('"', stderr);
		put_escaped(stderr, (const unsigned char *)s->data, s->len);
		fputs("\"\n", stderr);
	} else {
		fprintf(stderr, "%s\n", s->arg);
	}
}

int
main(int argc, char **argv)
{
	struct drv d = { .timeout_ms = DEFAULT_TIMEOUT_MS, .logfd = -1, .master = -1,
		         .bol = true };
	struct sigaction sa;
	struct step *steps = NULL;
	size_t nsteps = 0, i;
	long t;
	int c, rc = EXIT_PASS;

	/* "+": stop at SCRIPT, the program's options are its own. */
	while ((c = getopt(argc, argv, "+t:l:vh")) != -1) {
		switch (c) {
		case 't':
			if (parse_num(optarg, INT_MAX, &t) != 0 || t == 0) {
				fprintf(stderr, "pty_drive: -t needs milliseconds, got '%s'\n", optarg);
				return EXIT_USAGE;
			}
			d.timeout_ms = (int)t;
			break;
		case 'l':
			d.logname = optarg;
			break;
		case 'v':
			d.verbose = true;
			break;
		default:
			usage();
			return EXIT_USAGE;
		}
	}
	if (argc - optind < 3 || strcmp(argv[optind + 1], "--") != 0) {
		usage();
		return EXIT_USAGE;
	}
	d.script = argv[optind];
	if (load_script(d.script, &steps, &nsteps) != 0)
		return EXIT_USAGE;
	/* The text buffer is never NULL: regexec wants a string. */
	if ((d.text = malloc(d.tcap = 4096)) == NULL) {
		fprintf(stderr, "pty_drive: out of memory\n");
		rc = EXIT_USAGE;
		goto out;
	}
	d.text[0] = '\0';
	if (d.logname != NULL &&
	    (d.logfd = open(d.logname, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		fprintf(stderr, "pty_drive: %s: %s\n", d.logname, strerror(errno));
		rc = EXIT_USAGE;
		goto out;
	}

	if (pipe(sigpipe_fd) != 0 || set_flags(sigpipe_fd[0], FD_CLOEXEC, O_NONBLOCK) != 0 ||
	    set_flags(sigpipe_fd[1], FD_CLOEXEC, O_NONBLOCK) != 0) {
		fprintf(stderr, "pty_drive: pipe: %s\n", strerror(errno));
		rc = EXIT_USAGE;
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_flags = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	if (start_program(&d, argv + optind + 2) != 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	for (i = 0; i < nsteps && rc == EXIT_PASS; i++) {
		const struct step *s = &steps[i];
		int r = -1;

		if (d.verbose)
			trace_step(&d, s);
		switch (s->op) {
		case OP_SEND: r = do_send(&d, s); break;
		case OP_EXPECT: r = do_expect(&d, s); break;
		case OP_SLEEP: r = do_sleep(&d, s); break;
		case OP_WAIT: r = do_wait(&d, s); break;
		}
		if (r != 0)
			rc = EXIT_FAIL;
	}
	if (rc == EXIT_PASS && d.verbose)
		fprintf(stderr, "pty_drive: %s: all %zu steps passed\n", d.script, nsteps);
out:
	if (d.master >= 0) {
		stop_program(&d);
		close(d.master);
	}
	if (d.logfd >= 0)
		close(d.logfd);
	free(d.text);
	free_steps(steps, nsteps);
	return rc;
}
