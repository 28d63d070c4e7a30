/*
 * procsim repl: reading lines.
 *
 * On a terminal, libedit edits the line (emacs bindings), keeps a history
 * (in $PROCSIM_HISTORY, or ~/.procsim_history) and completes the word at
 * the cursor on TAB through the REPL's completer.  Otherwise lines are read
 * plainly from the input with getline: no prompt, no history.
 *
 * Ctrl-C at the prompt.  libedit keeps ISIG set while it edits, so the
 * terminal turns Ctrl-C into SIGINT rather than handing libedit a
 * character.  Our SIGINT handler records the signal and writes a byte to a
 * pipe; libedit reads the terminal through line_getc, which waits on both
 * the terminal and that pipe.  A SIGINT that arrives while libedit is busy
 * between two reads (redrawing, completing), or that another thread takes,
 * therefore still ends the read at once: the byte is in the pipe.  The
 * read then fails with EINTR, el_gets gives up the line, and
 * repl_line_read returns "".  libedit's own signal handling (EL_SIGNAL) is
 * not used: it passes each signal on with kill(0, sig), to the whole
 * process group.
 *
 * History.  A history file that cannot be read or written never stops the
 * REPL: one warning on stderr, and the REPL goes on without it.  A file
 * that exists but cannot be loaded (unreadable, or not a libedit history
 * file) is never written over, since it may be something else entirely
 * that $PROCSIM_HISTORY names by mistake.  The file is saved after each
 * line entered, so a crash loses nothing.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include <histedit.h>

#include "repl.h"

#define HISTORY_SIZE 1000

struct repl_line {
	bool interactive;
	FILE *in, *out;
	int infd;
	repl_complete_fn complete;
	void *arg;

	/* Plain lines. */
	char *buf;
	size_t cap;

	/* The terminal. */
	EditLine *el;
	History *hist;
	char *prompt;
	char *histfile;                /* NULL: no history file. */
	bool histsave;                 /* The file may be written. */
	bool dirty;                    /* Lines entered since the last save. */
	bool warned;                   /* A history warning was given. */
	struct sigaction oldint;       /* SIGINT's action before open. */
};

/*
 * The handler's state.  Only one interactive reader exists at a time (the
 * handler has no way to tell readers apart).
 */
static volatile sig_atomic_t sigint_seen;
static volatile sig_atomic_t sigint_wfd = -1;
static int sigint_rfd = -1;

static void
on_sigint(int sig)
{
	int saved = errno;
	ssize_t r;

	(void)sig;
	sigint_seen = 1;
	if (sigint_wfd >= 0) {
		r = write(sigint_wfd, "i", 1);
		(void)r;               /* Full pipe: a byte is there already. */
	}
	errno = saved;
}

static void
drain_sigint(void)
{
	char tmp[64];

	if (sigint_rfd < 0)
		return;
	while (read(sigint_rfd, tmp, sizeof(tmp)) > 0)
		continue;
}

static void
install_sigint(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;               /* No SA_RESTART: a blocked read ends. */
	sigaction(SIGINT, &sa, NULL);
}

static int
set_flags(int fd)
{
	int fl;

	fl = fcntl(fd, F_GETFL);
	if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		return -1;
	fl = fcntl(fd, F_GETFD);
	if (fl == -1 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) == -1)
		return -1;
	return 0;
}

static void
history_warn(struct repl_line *l, const char *what, int err)
{
	if (l->warned)
		return;
	l->warned = true;
	if (err != 0)
		fprintf(stderr, "procsim: history file %s: %s: %s (history not kept)\n",
		        l->histfile, what, strerror(err));
	else
		fprintf(stderr, "procsim: history file %s: %s (history not kept)\n", l->histfile,
		        what);
}

/* The history file's name: NULL for none (or no memory for the name). */
static char *
history_path(void)
{
	const char *env, *home;
	char *p;
	size_t n;

	env = getenv("PROCSIM_HISTORY");
	if (env != NULL)
		return env[0] != '\0' ? strdup(env) : NULL;
	home = getenv("HOME");
	if (home == NULL || home[0] == '\0')
		return NULL;
	n = strlen(home) + sizeof("/.procsim_history");
	p = malloc(n);
	if (p != NULL)
		snprintf(p, n, "%s/.procsim_history", home);
	return p;
}

static void
history_open(struct repl_line *l)
{
	HistEvent ev;
	struct stat st;

	l->histfile = history_path();
	if (l->histfile == NULL)
		return;
	if (stat(l->histfile, &st) == -1 || (S_ISREG(st.st_mode) && st.st_size == 0)) {
		/*
		 * A file yet to be made (libedit refuses an empty one); any
		 * other trouble shows when saving.
		 */
		l->histsave = true;
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		history_warn(l, "is a directory", 0);
		return;
	}
	errno = 0;
	if (history(l->hist, &ev, H_LOAD, l->histfile) == -1) {
		if (errno != 0)
			history_warn(l, "cannot be read", errno);
		else
			history_warn(l, "is not in libedit's format", 0);
		return;
	}
	l->histsave = true;
}

static void
history_store(struct repl_line *l)
{
	HistEvent ev;

	if (!l->histsave || !l->dirty)
		return;
	errno = 0;
	if (history(l->hist, &ev, H_SAVE, l->histfile) == -1)
		history_warn(l, "cannot be written", errno);
	else
		l->dirty = false;
}

static char *
line_prompt(EditLine *el)
{
	void *p = NULL;

	if (el_get(el, EL_CLIENTDATA, &p) != 0 || p == NULL)
		return (char *)"";
	return ((struct repl_line *)p)->prompt;
}

/*
 * libedit's read function (EL_GETCFN): the next character from the
 * terminal, 0 at end of file, -1 with errno EINTR once SIGINT came.
 */
static int
line_getc(EditLine *el, wchar_t *wc)
{
	struct repl_line *l;
	struct pollfd pfd[2];
	char mb[MB_LEN_MAX];
	size_t n = 0, r;
	mbstate_t st;
	ssize_t got;
	void *p = NULL;

	*wc = L'\0';
	if (el_get(el, EL_CLIENTDATA, &p) != 0 || p == NULL) {
		errno = EINVAL;
		return -1;
	}
	l = p;
	for (;;) {
		if (sigint_seen) {
			errno = EINTR;
			return -1;
		}
		pfd[0].fd = l->infd;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		pfd[1].fd = sigint_rfd;
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (pfd[1].revents != 0) {
			/* sigint_seen is set; the loop's top returns. */
			drain_sigint();
			continue;
		}
		if (pfd[0].revents & POLLNVAL) {
			errno = EBADF;
			return -1;
		}
		if (pfd[0].revents == 0)
			continue;
		got = read(l->infd, mb + n, 1);
		if (got == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		if (got == 0)
			return 0;
		n++;
		for (;;) {
			memset(&st, 0, sizeof(st));
			r = mbrtowc(wc, mb, n, &st);
			if (r == (size_t)-2 && n < sizeof(mb))
				break;         /* Part of a character: read on. */
			if (r == (size_t)-1 || r == (size_t)-2) {
				/*
				 * Not a character.  Drop what came before the
				 * last byte, which may start a good one.
				 */
				if (n > 1) {
					mb[0] = mb[n - 1];
					n = 1;
					continue;
				}
				n = 0;
				break;
			}
			return 1;
		}
	}
}

/* Characters (not bytes) in s, for el_deletestr. */
static int
char_count(const char *s)
{
	size_t n;

	n = mbstowcs(NULL, s, 0);
	if (n == (size_t)-1)
		n = strlen(s);
	return n > INT_MAX ? INT_MAX : (int)n;
}

/* Put word in place of old, the text just before the cursor. */
static int
replace_word(EditLine *el, const char *old, const char *word)
{
	if (old[0] != '\0')
		el_deletestr(el, char_count(old));
	if (word[0] == '\0')
		return 0;
	return el_insertstr(el, word);
}

/* Bytes of the longest common prefix of v[0..n), cut at a character. */
static size_t
common_prefix(char *const *v, size_t n)
{
	size_t len, i, j, at, r;
	mbstate_t st;

	len = strlen(v[0]);
	for (i = 1; i < n; i++) {
		for (j = 0; j < len && v[i][j] == v[0][j]; j++)
			continue;
		len = j;
	}
	/* Do not cut a multibyte character in two. */
	memset(&st, 0, sizeof(st));
	for (at = 0; at < len; at += r) {
		r = mbrlen(v[0] + at, len - at, &st);
		if (r == (size_t)-1)
			return len;    /* Not text in this locale: bytes, then. */
		if (r == (size_t)-2 || r == 0)
			break;
	}
	return at < len ? at : len;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t
display_width(const char *s)
{
	size_t n;

	n = mbstowcs(NULL, s, 0);
	return n == (size_t)-1 ? strlen(s) : n;
}

/* The candidates below the line, in columns down the page, as ls(1) does. */
static void
list_candidates(EditLine *el, FILE *out, char *const *v, size_t n)
{
	size_t maxw = 0, colw, ncols, nrows, r, c, i, w;
	int cols = 0;

	if (el_get(el, EL_GETTC, "co", &cols) != 0 || cols <= 0)
		cols = 80;
	for (i = 0; i < n; i++) {
		w = display_width(v[i]);
		if (w > maxw)
			maxw = w;
	}
	colw = maxw + 2;
	/* The last column needs no gap; keep off the last screen column. */
	ncols = ((size_t)cols + 1) / colw;
	if (ncols == 0)
		ncols = 1;
	nrows = (n + ncols - 1) / ncols;
	fputc('\n', out);
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < ncols; c++) {
			i = c * nrows + r;
			if (i >= n)
				break;
			fputs(v[i], out);
			if (i + nrows < n)
				fprintf(out, "%*s", (int)(colw - display_width(v[i])), "");
		}
		fputc('\n', out);
	}
	fflush(out);
}

/* TAB: complete the word at the cursor. */
static unsigned char
line_complete(EditLine *el, int ch)
{
	struct repl_line *l;
	const LineInfo *li;
	char *upto = NULL, **cand = NULL, **v = NULL, *pre;
	size_t len, ws, n = 0, nv, i, plen;
	unsigned char ret = CC_ERROR;
	void *p = NULL;

	(void)ch;
	if (el_get(el, EL_CLIENTDATA, &p) != 0 || p == NULL)
		return CC_ERROR;
	l = p;
	if (l->complete == NULL)
		return CC_ERROR;
	li = el_line(el);
	len = (size_t)(li->cursor - li->buffer);
	upto = malloc(len + 1);
	if (upto == NULL)
		return CC_ERROR;
	memcpy(upto, li->buffer, len);
	upto[len] = '\0';
	for (ws = len; ws > 0 && upto[ws - 1] != ' '; ws--)
		continue;

	n = l->complete(l->arg, upto, ws, &cand);
	if (n == 0 || cand == NULL)
		goto out;
	/* Sorted and without repeats, for the prefix and the listing. */
	v = malloc(n * sizeof(*v));
	if (v == NULL)
		goto out;
	memcpy(v, cand, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_str);
	for (nv = 1, i = 1; i < n; i++)
		if (strcmp(v[i], v[nv - 1]) != 0)
			v[nv++] = v[i];

	if (nv == 1) {
		if (replace_word(el, upto + ws, v[0]) == 0 && el_insertstr(el, " ") == 0)
			ret = CC_REFRESH;
		goto out;
	}
	plen = common_prefix(v, nv);
	if (plen > len - ws) {
		pre = strndup(v[0], plen);
		if (pre != NULL && replace_word(el, upto + ws, pre) == 0)
			ret = CC_REFRESH;
		free(pre);
		goto out;
	}
	list_candidates(el, l->out, v, nv);
	ret = CC_REDISPLAY;
out:
	for (i = 0; cand != NULL && i < n; i++)
		free(cand[i]);
	free(cand);
	free(v);
	free(upto);
	return ret;
}

static int
open_terminal(struct repl_line *l, const char *prog)
{
	HistEvent ev;
	int fds[2];

	if (sigint_wfd >= 0)
		return PS_EBUSY;
	if (pipe(fds) == -1)
		return PS_EIO;
	if (set_flags(fds[0]) == -1 || set_flags(fds[1]) == -1) {
		close(fds[0]);
		close(fds[1]);
		return PS_EIO;
	}
	sigint_rfd = fds[0];
	sigint_wfd = fds[1];

	l->hist = history_init();
	if (l->hist == NULL)
		return PS_ENOMEM;
	history(l->hist, &ev, H_SETSIZE, HISTORY_SIZE);
	history(l->hist, &ev, H_SETUNIQUE, 1);
	history_open(l);

	l->el = el_init(prog != NULL ? prog : "procsim", l->in, l->out, stderr);
	if (l->el == NULL)
		return PS_ENOMEM;
	el_set(l->el, EL_CLIENTDATA, (void *)l);
	el_set(l->el, EL_EDITOR, "emacs");
	el_set(l->el, EL_PROMPT, line_prompt);
	el_set(l->el, EL_HIST, history, l->hist);
	el_set(l->el, EL_GETCFN, line_getc);
	/* Wide names: el_set would copy them to wide strings it never frees. */
	el_wset(l->el, EL_ADDFN, L"repl-complete", L"Complete the word at the cursor",
	        line_complete);
	el_set(l->el, EL_BIND, "^I", "repl-complete", NULL);

	sigaction(SIGINT, NULL, &l->oldint);
	install_sigint();
	return 0;
}

int
repl_line_open(struct repl_line **out, const char *prog, bool interactive, FILE *in,
               FILE *out_fp, repl_complete_fn complete, void *arg)
{
	struct repl_line *l;
	int err;

	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return PS_ENOMEM;
	l->interactive = interactive;
	l->in = in;
	l->out = out_fp;
	l->infd = fileno(in);
	l->complete = complete;
	l->arg = arg;
	if (interactive) {
		l->prompt = strdup("");
		if (l->prompt == NULL) {
			free(l);
			return PS_ENOMEM;
		}
		err = open_terminal(l, prog);
		if (err < 0) {
			if (l->el != NULL)
				el_end(l->el);
			if (l->hist != NULL)
				history_end(l->hist);
			if (err != PS_EBUSY && sigint_wfd >= 0) {
				close(sigint_rfd);
				close(sigint_wfd);
				sigint_rfd = sigint_wfd = -1;
			}
			free(l->histfile);
			free(l->prompt);
			free(l);
			return err;
		}
	}
	*out = l;
	return 0;
}

static char *
read_plain(struct repl_line *l)
{
	ssize_t got;
	size_t len;
	char *nul, *s;

	got = getline(&l->buf, &l->cap, l->in);
	if (got < 0)
		return NULL;
	len = (size_t)got;
	/* A NUL byte ends the line: nothing after it could be a command. */
	nul = memchr(l->buf, '\0', len);
	if (nul != NULL)
		len = (size_t)(nul - l->buf);
	if (len > 0 && l->buf[len - 1] == '\n')
		len--;
	if (len > 0 && l->buf[len - 1] == '\r')
		len--;
	s = malloc(len + 1);
	if (s == NULL)
		return NULL;
	memcpy(s, l->buf, len);
	s[len] = '\0';
	return s;
}

char *
repl_line_read(struct repl_line *l, const char *prompt)
{
	HistEvent ev;
	const char *got;
	char *s, *np, c;
	size_t len, hlen;
	int n = 0;

	if (!l->interactive)
		return read_plain(l);

	np = strdup(prompt != NULL ? prompt : "");
	if (np != NULL) {
		free(l->prompt);
		l->prompt = np;
	}
	/*
	 * A Ctrl-C that came between two reads has nothing to interrupt; the
	 * terminal has echoed it as ^C, so the prompt goes on the next line.
	 */
	if (sigint_seen) {
		sigint_seen = 0;
		fputc('\n', l->out);
		fflush(l->out);
	}
	drain_sigint();

	/*
	 * The terminal in libedit's mode before the prompt shows, not after:
	 * keys typed as soon as the prompt appears are not echoed twice.
	 */
	el_set(l->el, EL_PREP_TERM, 1);
	got = el_gets(l->el, &n);
	if (got == NULL) {
		if (!sigint_seen) {
			/* End of input: end the prompt's line. */
			fputc('\n', l->out);
			fflush(l->out);
			return NULL;
		}
		sigint_seen = 0;
		drain_sigint();
		fputc('\n', l->out);
		fflush(l->out);
		return strdup("");
	}
	/* A line ended by Enter is taken, even if a Ctrl-C came after it. */
	sigint_seen = 0;
	len = strlen(got);
	if (len > 0 && got[len - 1] == '\n')
		len--;
	if (len > 0 && got[len - 1] == '\r')
		len--;
	s = strndup(got, len);
	if (s == NULL)
		return NULL;
	/*
	 * History without trailing blanks (a completion leaves one): libedit
	 * drops one when it recalls an entry anyway, and "start" after
	 * "start " is the same command entered twice.
	 */
	for (hlen = len; hlen > 0 && (s[hlen - 1] == ' ' || s[hlen - 1] == '\t'); hlen--)
		continue;
	if (hlen > 0) {
		c = s[hlen];
		s[hlen] = '\0';
		history(l->hist, &ev, H_ENTER, s);
		s[hlen] = c;
		l->dirty = true;
		history_store(l);
	}
	return s;
}

void
repl_line_sigint(struct repl_line *l)
{
	if (l != NULL && l->interactive)
		install_sigint();
}

void
repl_line_close(struct repl_line *l)
{
	if (l == NULL)
		return;
	if (l->interactive) {
		history_store(l);
		el_end(l->el);
		history_end(l->hist);
		sigaction(SIGINT, &l->oldint, NULL);
		close(sigint_rfd);
		close(sigint_wfd);
		sigint_rfd = sigint_wfd = -1;
		sigint_seen = 0;
	}
	free(l->histfile);
	free(l->prompt);
	free(l->buf);
	free(l);
}
