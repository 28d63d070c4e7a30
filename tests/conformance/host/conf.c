/*
 * procsim conformance: the host harness and the recording calls of conf.h.
 *
 * main() is the harness.  Usage (the comparator, conform, runs it):
 *
 *   conf-NAME --top NAME [--tty] [--isolate] [--timeout SECONDS]
 *
 * It writes every record of the run, as JSON lines, on standard output
 * once the run is over, and exits 0; 3 when the run timed out (every
 * descendant is then killed), 2 on bad usage or when the harness cannot
 * set itself up (a message on standard error says why).
 *
 * Records go to an unlinked temporary file opened O_APPEND and shared by
 * every process of the case: each record is one write(2) of one line, so
 * lines never interleave, and no process can block on a full pipe.  The
 * writer is async-signal-safe (a handler records with it).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "conf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define CONF_MAXCHAN 32

static int rec_fd = -1;         /* the shared record file */
static int master_fd = -1;      /* the pty master (harness only) */
static int chans[CONF_MAXCHAN][2];
static int nchans;
static volatile sig_atomic_t timed_out;

/* ---- names ---------------------------------------------------------- */

static const char *const signames[] = {
	[SIGHUP] = "SIGHUP",   [SIGINT] = "SIGINT",       [SIGQUIT] = "SIGQUIT",
	[SIGILL] = "SIGILL",   [SIGTRAP] = "SIGTRAP",     [SIGABRT] = "SIGABRT",
	[SIGBUS] = "SIGBUS",   [SIGFPE] = "SIGFPE",       [SIGKILL] = "SIGKILL",
	[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV",     [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM",     [SIGTERM] = "SIGTERM",
	[SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT",     [SIGSTOP] = "SIGSTOP",
	[SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN",     [SIGTTOU] = "SIGTTOU",
	[SIGURG] = "SIGURG",   [SIGXCPU] = "SIGXCPU",     [SIGXFSZ] = "SIGXFSZ",
	[SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH",
	[SIGIO] = "SIGIO",     [SIGSYS] = "SIGSYS",
};

const char *conf_signame(int sig)
{
	if (sig > 0 && sig < (int)(sizeof(signames) / sizeof(signames[0])) && signames[sig])
		return signames[sig];
	return "SIG?";
}

const char *conf_errname(int err)
{
	switch (err) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case ENXIO: return "ENXIO";
	case E2BIG: return "E2BIG";
	case EBADF: return "EBADF";
	case ECHILD: return "ECHILD";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EINVAL: return "EINVAL";
	case ENOTTY: return "ENOTTY";
	case ERANGE: return "ERANGE";
	case ENOSYS: return "ENOSYS";
	default: return "EUNKNOWN";
	}
}

/* ---- the record writer (async-signal-safe) --------------------------- */

struct line {
	char b[512];
	size_t n;
};

static void put(struct line *l, const char *s)
{
	while (*s && l->n < sizeof(l->b) - 2)
		l->b[l->n++] = *s++;
}

static void put_str(struct line *l, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	put(l, "\"");
	for (; *s && l->n < sizeof(l->b) - 8; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			l->b[l->n++] = '\\';
			l->b[l->n++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			char u[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };
			put(l, u);
		} else {
			l->b[l->n++] = (char)c;
		}
	}
	put(l, "\"");
}

static void put_int(struct line *l, long long v)
{
	char d[24];
	int i = (int)sizeof(d) - 1;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

	d[i] = 0;
	do
		d[--i] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		d[--i] = '-';
	put(l, d + i);
}

/* {"type":T,"pid":P,"pid2":Q,"sig":S|null,"value":V[,"detail":D][,"errno":E]} */
static void record(const char *type, long pid, long pid2, const char *sig, long long value,
                   const char *detail, const char *err)
{
	struct line l = { .n = 0 };
	int saved = errno;

	if (rec_fd < 0)
		return;
	put(&l, "{\"type\":");
	put_str(&l, type);
	put(&l, ",\"pid\":");
	put_int(&l, pid);
	put(&l, ",\"pid2\":");
	put_int(&l, pid2);
	put(&l, ",\"sig\":");
	if (sig)
		put_str(&l, sig);
	else
		put(&l, "null");
	put(&l, ",\"value\":");
	put_int(&l, value);
	if (detail) {
		put(&l, ",\"detail\":");
		put_str(&l, detail);
	}
	if (err) {
		put(&l, ",\"errno\":");
		put_str(&l, err);
	}
	put(&l, "}\n");
	if (write(rec_fd, l.b, l.n) < 0) {
		/* Nothing sensible to do in a handler; the comparator will
		 * report the missing record. */
	}
	errno = saved;
}

/* ---- helpers for cases ------------------------------------------------ */

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("conf: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	_exit(100);
}

void conf_tag(const char *name)
{
	record("tag", getpid(), 0, NULL, 0, name, NULL);
}

long conf_rec(const char *call, long ret)
{
	int saved = errno;

	if (ret == -1)
		record("sysret", getpid(), 0, NULL, -1, call, conf_errname(saved));
	else
		record("sysret", getpid(), 0, NULL, ret, call, NULL);
	errno = saved;
	return ret;
}

pid_t conf_fork(void)
{
	pid_t p = fork();

	if (p != 0)
		conf_rec("fork", p);
	return p;
}

/* The status word in words, read with this host's <sys/wait.h> macros. */
static const char *decode(int status, char *buf, size_t len)
{
	if (WIFCONTINUED(status))
		snprintf(buf, len, "continued");
	else if (WIFSTOPPED(status))
		snprintf(buf, len, "stopped by %s", conf_signame(WSTOPSIG(status)));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by %s%s", conf_signame(WTERMSIG(status)),
		         WCOREDUMP(status) ? " (core dumped)" : "");
	else
		snprintf(buf, len, "exited %d", WEXITSTATUS(status));
	return buf;
}

pid_t conf_wait4(pid_t pid, int options)
{
	int status = 0;
	pid_t r;

	r = waitpid(pid, &status, options);
	char text[64];

	if (r > 0)
		record("wait", getpid(), r, NULL, status, decode(status, text, sizeof(text)), NULL);
	return (pid_t)conf_rec("wait4", r);
}

pid_t conf_wait6(idtype_t idtype, id_t id, int options)
{
	siginfo_t si;
	int status;
	int r;

	memset(&si, 0, sizeof(si));
	r = waitid(idtype, id, &si, options);
	if (r < 0)
		return (pid_t)conf_rec("wait6", -1);
	if (si.si_pid == 0)
		return (pid_t)conf_rec("wait6", 0);
	/* Rebuild the status word Linux's waitpid would give. */
	switch (si.si_code) {
	case CLD_EXITED: status = (si.si_status & 0xff) << 8; break;
	case CLD_KILLED: status = si.si_status; break;
	case CLD_DUMPED: status = si.si_status | 0x80; break;
	case CLD_STOPPED:
	case CLD_TRAPPED: status = (si.si_status << 8) | 0x7f; break;
	case CLD_CONTINUED: status = 0xffff; break;
	default: status = -1; break;
	}
	char text[64];
	record("wait", getpid(), si.si_pid, NULL, status, decode(status, text, sizeof(text)),
	       NULL);
	return (pid_t)conf_rec("wait6", si.si_pid);
}

static void on_signal(int sig)
{
	record("deliver", getpid(), 0, conf_signame(sig), 0, "handler", NULL);
}

static void set_action(int sig, void (*fn)(int), int flags, int block_all)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	if (block_all)
		sigfillset(&sa.sa_mask);
	else
		sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, NULL) < 0)
		die("sigaction(%s): %s", conf_signame(sig), strerror(errno));
}

void conf_catch(int sig, int flags)
{
	set_action(sig, on_signal, flags, 1);
}

void conf_ignore(int sig, int flags)
{
	set_action(sig, SIG_IGN, flags, 0);
}

void conf_default(int sig, int flags)
{
	set_action(sig, SIG_DFL, flags, 0);
}

int conf_chan(void)
{
	if (nchans == CONF_MAXCHAN)
		die("too many channels");
	if (pipe(chans[nchans]) < 0)
		die("pipe: %s", strerror(errno));
	return nchans++;
}

void conf_post(int chan)
{
	char c = 'x';

	if (chan < 0 || chan >= nchans)
		die("conf_post: no channel %d", chan);
	while (write(chans[chan][1], &c, 1) != 1)
		if (errno != EINTR)
			die("conf_post: %s", strerror(errno));
}

void conf_await(int chan)
{
	char c;
	ssize_t n;

	if (chan < 0 || chan >= nchans)
		die("conf_await: no channel %d", chan);
	while ((n = read(chans[chan][0], &c, 1)) != 1)
		if (n == 0 || errno != EINTR)
			die("conf_await: %s", n == 0 ? "end of file" : strerror(errno));
}

void conf_send_pid(int chan, pid_t pid)
{
	if (chan < 0 || chan >= nchans)
		die("conf_send_pid: no channel %d", chan);
	if (write(chans[chan][1], &pid, sizeof(pid)) != (ssize_t)sizeof(pid))
		die("conf_send_pid: %s", strerror(errno));
}

pid_t conf_recv_pid(int chan)
{
	pid_t pid;
	size_t got = 0;

	if (chan < 0 || chan >= nchans)
		die("conf_recv_pid: no channel %d", chan);
	while (got < sizeof(pid)) {
		ssize_t n = read(chans[chan][0], (char *)&pid + got, sizeof(pid) - got);
		if (n > 0)
			got += (size_t)n;
		else if (n == 0 || errno != EINTR)
			die("conf_recv_pid: %s", n == 0 ? "end of file" : strerror(errno));
	}
	return pid;
}

static int proc_state(pid_t pid)
{
	char path[64], buf[512];
	ssize_t n;
	int fd;
	char *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return 'x';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 'x';
	buf[n] = 0;
	if (!(p = strrchr(buf, ')')) || p[1] != ' ')
		return '?';
	return p[2];
}

void conf_await_state(pid_t pid, const char *states)
{
	struct timespec ms = { 0, 1000000 };

	if (getenv("CONF_ISOLATED"))
		die("conf_await_state cannot read /proc in an isolated case; use a channel");
	for (;;) {
		int s = proc_state(pid);
		if (strchr(states, s) || (s == 't' && strchr(states, 'T')))
			return;
		nanosleep(&ms, NULL);
	}
}

int conf_tty(void)
{
	const char *path = getenv("CONF_TTY");
	int fd;

	if (!path)
		die("this case needs a terminal: give its scenario \"ttys\"");
	if ((fd = open(path, O_RDWR | O_NOCTTY)) < 0)
		die("open %s: %s", path, strerror(errno));
	return fd;
}

_Noreturn void conf_exit(int code)
{
	_exit(code);
}

/* ---- exec ------------------------------------------------------------- */

__attribute__((weak)) int conf_after_exec(const char *phase)
{
	die("conf_exec(\"%s\") but the case has no conf_after_exec()", phase);
}

void conf_exec(const char *phase)
{
	char env[CONF_MAXCHAN * 24 + 1] = "";
	size_t n = 0;

	for (int i = 0; i < nchans; i++)
		n += (size_t)snprintf(env + n, sizeof(env) - n, "%d,%d;", chans[i][0],
		                      chans[i][1]);
	setenv("CONF_CHANS", env, 1);
	execl("/proc/self/exe", "conf", "--phase", phase, (char *)NULL);
	die("exec: %s", strerror(errno));
}

static void restore_after_exec(void)
{
	const char *e = getenv("CONF_CHANS");
	int r, w, k;

	while (e && sscanf(e, "%d,%d;%n", &r, &w, &k) == 2 && nchans < CONF_MAXCHAN) {
		chans[nchans][0] = r;
		chans[nchans][1] = w;
		nchans++;
		e += k;
	}
}

/* ---- the harness ------------------------------------------------------ */

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/* The top process starts from a clean slate: default dispositions, nothing
 * blocked, no harness descriptors but the record file. */
static void top_setup(void)
{
	sigset_t none;

	alarm(0);
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (master_fd >= 0)
		close(master_fd);
	master_fd = -1;
}

/*
 * SIGKILL every descendant of the caller.  In an isolated case the caller
 * is pid 1 of its own pid namespace, where kill(-1) reaches exactly the
 * case's processes (and /proc, not remounted, shows the outer pids).
 * Otherwise they are found through /proc.
 */
static void kill_descendants(void)
{
	enum { MAXP = 4096 };
	static pid_t pid[MAXP], ppid[MAXP];
	static char mark[MAXP];
	int n = 0, changed;
	DIR *d;
	struct dirent *de;

	if (getenv("CONF_ISOLATED")) {
		kill(-1, SIGKILL);
		return;
	}
	if (!(d = opendir("/proc")))
		return;
	while ((de = readdir(d)) && n < MAXP) {
		char path[300], buf[512], *p;
		int fd;
		ssize_t k;
		pid_t x = (pid_t)atoi(de->d_name);
		if (x <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if ((fd = open(path, O_RDONLY)) < 0)
			continue;
		k = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (k <= 0)
			continue;
		buf[k] = 0;
		if (!(p = strrchr(buf, ')')))
			continue;
		pid[n] = x;
		ppid[n] = (pid_t)atoi(p + 4);
		mark[n] = 0;
		n++;
	}
	closedir(d);
	do {
		changed = 0;
		for (int i = 0; i < n; i++) {
			if (mark[i])
				continue;
			int under = ppid[i] == getpid();
			for (int j = 0; j < n && !under; j++)
				under = mark[j] && pid[j] == ppid[i];
			if (under) {
				mark[i] = 1;
				changed = 1;
			}
		}
	} while (changed);
	for (int i = 0; i < n; i++)
		if (mark[i])
			kill(pid[i], SIGKILL);
}

/* Play init: start the top process, then reap every descendant. */
static int reap_all(const char *top, unsigned timeout)
{
	struct sigaction sa;
	pid_t child;
	int status, killed = 0;

	conf_tag("init");
	fflush(NULL);
	if ((child = fork()) < 0)
		die("fork: %s", strerror(errno));
	if (child == 0) {
		top_setup();
		conf_tag(top);
		conf_exit(conf_case());
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);       /* no SA_RESTART: waitpid sees EINTR */
	alarm(timeout);
	for (;;) {
		pid_t r = waitpid(-1, &status, 0);
		if (r > 0) {
			char text[64];
			record("reap", r, getpid(), NULL, status, decode(status, text, sizeof(text)),
			       NULL);
			continue;
		}
		if (errno == ECHILD)
			break;
		if (errno == EINTR && timed_out && !killed) {
			record("timeout", getpid(), 0, NULL, timeout, "the run did not end", NULL);
			kill_descendants();
			killed = 1;
			alarm(1);
		} else if (errno == EINTR && killed) {
			kill_descendants();
			alarm(1);
		}
	}
	return killed ? 3 : 0;
}

/* A new pid namespace, so that kill(-1) reaches the case's processes only. */
static void isolate(void)
{
	if (unshare(CLONE_NEWPID) == 0)
		return;
	if (unshare(CLONE_NEWUSER | CLONE_NEWPID) == 0)
		return;
	die("cannot make a pid namespace for an isolated case (%s): run as root, or enable "
	    "unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)",
	    strerror(errno));
}

static void open_pty(void)
{
	char *name;

	if ((master_fd = posix_openpt(O_RDWR | O_NOCTTY)) < 0)
		die("posix_openpt: %s", strerror(errno));
	if (grantpt(master_fd) < 0 || unlockpt(master_fd) < 0 || !(name = ptsname(master_fd)))
		die("pseudo-terminal: %s", strerror(errno));
	setenv("CONF_TTY", name, 1);
}

static int copy_out(void)
{
	char buf[8192];
	ssize_t n;

	if (lseek(rec_fd, 0, SEEK_SET) < 0)
		return -1;
	while ((n = read(rec_fd, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			return -1;
	return fflush(stdout);
}

static void usage(void)
{
	fputs("usage: conf-NAME --top NAME [--tty] [--isolate] [--timeout SECONDS]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *top = NULL;
	int tty = 0, iso = 0, rc;
	unsigned timeout = 20;
	char fdstr[16];
	FILE *tmp;

	if (argc == 3 && strcmp(argv[1], "--phase") == 0) {
		const char *e = getenv("CONF_FD");
		rec_fd = e ? atoi(e) : -1;
		restore_after_exec();
		conf_exit(conf_after_exec(argv[2]));
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--top") == 0 && i + 1 < argc)
			top = argv[++i];
		else if (strcmp(argv[i], "--tty") == 0)
			tty = 1;
		else if (strcmp(argv[i], "--isolate") == 0)
			iso = 1;
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			timeout = (unsigned)atoi(argv[++i]);
		else
			usage();
	}
	if (!top || timeout == 0)
		usage();
	if (!(tmp = tmpfile()))
		die("tmpfile: %s", strerror(errno));
	rec_fd = fileno(tmp);
	if (fcntl(rec_fd, F_SETFL, O_APPEND) < 0)
		die("fcntl: %s", strerror(errno));
	snprintf(fdstr, sizeof(fdstr), "%d", rec_fd);
	setenv("CONF_FD", fdstr, 1);
	/* No core files: a death by signal reads the same on every machine. */
	struct rlimit nocore = { 0, 0 };
	setrlimit(RLIMIT_CORE, &nocore);
	if (setsid() < 0)
		die("setsid: %s (the harness must not lead a process group)", strerror(errno));
	if (tty)
		open_pty();
	if (iso) {
		pid_t nsinit;
		int st;
		isolate();
		setenv("CONF_ISOLATED", "1", 1);
		fflush(NULL);
		if ((nsinit = fork()) < 0)
			die("fork: %s", strerror(errno));
		if (nsinit == 0)
			_exit(reap_all(top, timeout));
		/* The namespace's init times the run out itself; should it
		 * hang, killing it takes the whole namespace down. */
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;
		sigaction(SIGALRM, &sa, NULL);
		alarm(timeout + 5);
		while (waitpid(nsinit, &st, 0) < 0) {
			if (errno != EINTR)
				die("waitpid: %s", strerror(errno));
			if (timed_out)
				kill(nsinit, SIGKILL);
		}
		rc = WIFEXITED(st) ? WEXITSTATUS(st) : 3;
	} else {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
			die("PR_SET_CHILD_SUBREAPER: %s", strerror(errno));
		rc = reap_all(top, timeout);
	}
	if (copy_out() < 0)
		die("writing the records: %s", strerror(errno));
	return rc;
}
