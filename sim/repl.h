/*
 * procsim repl: the interactive explorer (docs/repl.md).
 *
 *   repl.c        the session: a scenario, the injected actions, the
 *                 position (instructions stepped from the start), moving
 *                 forward and back by deterministic replay, breakpoints,
 *                 save; the command table.
 *   repl_show.c   views of the simulator now: ps, tree, pgrps, sessions,
 *                 jobc, explain, mem, regs, args, vmmap, ptrace.
 *   repl_line.c   reading lines: libedit (editing, history, completion)
 *                 on a terminal, plain lines otherwise.
 */
#ifndef PROCSIM_REPL_H
#define PROCSIM_REPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <procsim/procsim.h>

/* --- repl_show.c --- */

/*
 * What a view needs: the simulator, the scenario's names for pids (namer
 * may be NULL) and where to write.  A view writes to out and returns 0, or
 * returns a negative PS_E* code with one line in err (no newline) saying
 * what is wrong ("no process group 12"), having written nothing.
 */
struct repl_view {
	ps_sim_t *sim;
	ps_trace_namer namer;
	void *arg;
	FILE *out;
	char err[256];
};

/* Every process (zombies included), ps(1)-like, one per line. */
int view_ps(struct repl_view *v);
/* The process tree from swapper and init down, with groups and sessions. */
int view_tree(struct repl_view *v);
/* Every process group: pgid, session, pg_jobc, orphaned, foreground, members. */
int view_pgrps(struct repl_view *v);
/* Every session: sid, leader, s_count, terminal, foreground group. */
int view_sessions(struct repl_view *v);
/* pg_jobc of a group, and the count recomputed from its members. */
int view_jobc(struct repl_view *v, int32_t pgid);
/* Why a group is or is not orphaned, member by member (spec §4.1). */
int view_explain(struct repl_view *v, int32_t pgid);
/* len bytes of pid's memory at addr, hex and ASCII (len <= 4096). */
int view_mem(struct repl_view *v, int32_t pid, uint64_t addr, size_t len);
/* Registers and state of each thread of pid. */
int view_regs(struct repl_view *v, int32_t pid);
/* pid's arguments, environment and auxiliary vector, as the kernel reads
 * them from its memory (kern.proc.args, .env, .auxv). */
int view_args(struct repl_view *v, int32_t pid);
/* pid's memory map (kern.proc.vmmap): ranges, protections, offset,
 * resident pages, backing, path. */
int view_vmmap(struct repl_view *v, int32_t pid);
/* pid's ptrace state (ps_ptrace_info): tracer, p_oppid, real parent,
 * p_flag, p_stops, p_xstat, p_xthread, and each thread's ps_thread_dbg. */
int view_ptrace(struct repl_view *v, int32_t pid);

/* --- repl_line.c --- */

struct repl_line;

/*
 * Completion: given the whole line up to the cursor and the start of the
 * word being completed (line + word_start .. the cursor), fill *out with a
 * malloc'd array of malloc'd candidate words (each a full word, not a
 * suffix) and return how many.  The caller frees them.
 */
typedef size_t (*repl_complete_fn)(void *arg, const char *line, size_t word_start, char ***out);

/*
 * Open the reader.  interactive: libedit on the terminal (prompts, line
 * editing, history, completion on TAB); otherwise plain lines from in,
 * no prompt and no history.  History is kept in $PROCSIM_HISTORY if set
 * ("" keeps none), else ~/.procsim_history.  PS_ENOMEM, PS_EIO.
 */
int repl_line_open(struct repl_line **out, const char *prog, bool interactive, FILE *in,
                   FILE *out_fp, repl_complete_fn complete, void *arg);
/*
 * The next line, without its newline, malloc'd; NULL at end of input.  A
 * Ctrl-C at the prompt abandons the line being typed and returns "".
 */
char *repl_line_read(struct repl_line *l, const char *prompt);
/* SIGINT goes back to the reader (after something else took it). */
void repl_line_sigint(struct repl_line *l);
/* Save the history and close. NULL is a no-op. */
void repl_line_close(struct repl_line *l);

/* --- repl.c --- */

/* procsim repl FILE [options] */
int cmd_repl(int argc, char **argv);

#endif /* PROCSIM_REPL_H */
