/*
 * procsim: terminal I/O for job control (FreeBSD's tty layer, reduced to
 * what job control needs).  See docs/tty.md.
 *
 * A terminal (created with ps_tty_new, proc.h) has an input queue, filled
 * by ps_tty_input (bytes typed at the terminal) and emptied by reads, and
 * an output queue, filled by writes and emptied by ps_tty_output (what the
 * terminal displays).  Both hold PS_TTY_QUEUE_SIZE bytes.  No line
 * discipline is modelled: input is raw, a read returns what is queued.
 *
 * Job control (tty_wait_background): a process that reads its controlling
 * terminal while its group is not the terminal's foreground group gets
 * SIGTTIN (posted to its whole group, members with a controlling terminal
 * only) and sleeps until the foreground group changes; if SIGTTIN is
 * ignored or blocked, or the group is orphaned, the read fails with PS_EIO
 * instead.  Writes do the same with SIGTTOU, but only when TOSTOP is set on
 * the terminal (ps_tty_set_tostop); an ignored or blocked SIGTTOU lets the
 * write through.  A terminal that is not the caller's controlling terminal
 * has no job-control checks.
 *
 * Hangup (ps_tty_hangup, carrier loss): the terminal is hung up for good,
 * its session leader gets SIGHUP, its queues are flushed and every process
 * sleeping on it is woken; reads then return 0 (end of file) and writes
 * PS_EIO.  After a session leader's exit revokes its controlling terminal,
 * the session's members read 0 from it and their writes fail with PS_EIO.
 *
 * ps_tty_read and ps_tty_write are system calls made by process pid: they
 * may sleep (PS_EINPROGRESS), and the result then comes with ps_sysret()
 * (wait.h), as for wait4 or pause.  Every function returns a negative PS_E*
 * code on failure: PS_EINVAL for a NULL simulator or a NULL buffer with a
 * nonzero length, PS_ENOTTY for an unknown device number.
 */
#ifndef PROCSIM_TTY_H
#define PROCSIM_TTY_H

#include <stddef.h>
#include <stdint.h>

#include <procsim/sim.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Capacity of each terminal queue, in bytes. */
#define PS_TTY_QUEUE_SIZE 4096
/* The most bytes a read that slept can return (ps_sysret's data). */
#define PS_TTY_READ_SLEPT_MAX 256

/*
 * read(2) of terminal dev by process pid, up to len bytes into buf (NULL
 * allowed when len is 0).  Returns the number of bytes read (as many as are
 * queued, up to len), 0 for end of file (len 0, a hung-up terminal, a
 * revoked controlling terminal), PS_EIO (background read with SIGTTIN
 * ignored or blocked, or from an orphaned group), PS_EINTR (a caught
 * signal interrupted it), or PS_EINPROGRESS: the process sleeps, for input
 * ("ttyin") or to be put in the foreground ("ttybg").  A read that sleeps
 * completes later: ps_sysret() then gives the count in retval and the
 * bytes in data/nbytes, and because data holds 256 bytes, a read that
 * completes after the call has returned reads at most
 * PS_TTY_READ_SLEPT_MAX bytes (the rest stays queued).  buf is written
 * only when the read completes within the call.
 * Other errors: PS_EINVAL (len above INT32_MAX), PS_ESRCH (bad pid),
 * PS_EBUSY (pid stopped or inside a call), PS_EPERM (a system process),
 * PS_ENOTTY, PS_ENOMEM.
 */
PS_EXTERN int ps_tty_read(ps_sim_t *sim, int32_t pid, int32_t dev, void *buf, size_t len);

/*
 * write(2) of len bytes from buf to terminal dev by process pid.  The bytes
 * are appended to the output queue; when it is full the process sleeps
 * ("ttyout", PS_EINPROGRESS) until ps_tty_output drains it, and the call
 * completes once every byte is queued.  Returns len, PS_EIO (hung-up
 * terminal, revoked controlling terminal, background write with TOSTOP set
 * from an orphaned group), PS_EINTR, or PS_EINPROGRESS (asleep in "ttyout",
 * or in "ttybg" after SIGTTOU).  A write interrupted by a signal after some
 * bytes were queued returns that count instead.  Other errors as
 * ps_tty_read.
 */
PS_EXTERN int ps_tty_write(ps_sim_t *sim, int32_t pid, int32_t dev, const void *buf, size_t len);

/*
 * Bytes typed at terminal dev: appended to its input queue, and readers
 * asleep on it woken.  Returns the number of bytes taken (fewer than len
 * when the queue fills: the rest is dropped), or PS_EIO for a hung-up
 * terminal.
 */
PS_EXTERN int ps_tty_input(ps_sim_t *sim, int32_t dev, const void *buf, size_t len);

/*
 * What the terminal displays: takes up to cap bytes from dev's output
 * queue into buf, their number in *n (0 when nothing is queued), and wakes
 * writers asleep on a full queue.  Returns 0; PS_EINVAL for a NULL n.
 */
PS_EXTERN int ps_tty_output(ps_sim_t *sim, int32_t dev, void *buf, size_t cap, size_t *n);

/* stty tostop (on 1) / -tostop (on 0) on dev; PS_EINVAL for other values. */
PS_EXTERN int ps_tty_set_tostop(ps_sim_t *sim, int32_t dev, int on);

/*
 * Carrier loss on dev (ttydisc_modem(tp, 0)): the terminal is hung up for
 * the rest of the simulation, SIGHUP goes to its session's leader (only the
 * leader), both queues are flushed and every sleeper is woken.  Event:
 * PS_EV_HANGUP (value: dev, detail: its name).  Hanging up a hung-up
 * terminal does nothing.  Returns 0.
 */
PS_EXTERN int ps_tty_hangup(ps_sim_t *sim, int32_t dev);

struct ps_tty_info {
	int32_t dev;
	char name[16];
	int32_t sid;    /* Session it controls, 0 for none. */
	int32_t pgid;   /* Foreground process group, 0 for none. */
	uint8_t tostop; /* TOSTOP is set. */
	uint8_t hungup; /* Hung up (ps_tty_hangup). */
	uint8_t pad_[2];
	uint32_t revokes; /* Times its vnode was revoked (session leader exits). */
	uint32_t inq;     /* Bytes typed, not yet read. */
	uint32_t outq;    /* Bytes written, not yet drained. */
};

/* The state of terminal dev. */
PS_EXTERN int ps_tty_info(ps_sim_t *sim, int32_t dev, struct ps_tty_info *out);

#ifdef __cplusplus
}
#endif

#endif /* PROCSIM_TTY_H */
