/* A session leader with the pty as controlling terminal makes a child's
 * group the foreground group and exits: the foreground job gets SIGHUP
 * (no SIGCONT).  A member of that group forked before the leader took the
 * terminal has no P_CONTROLT: FreeBSD skips it, Linux signals it.
 * The scenario is tty-session-leader-exit-fg-job.json. */
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int r1 = conf_chan(), r2 = conf_chan();
	pid_t top = getpid();
	pid_t early, job;
	int fd;

	OBS("setsid", setsid());
	fd = conf_tty();
	if ((early = conf_fork()) == 0) {
		conf_tag("early");
		conf_catch(SIGHUP, 0);
		conf_catch(SIGCONT, 0);
		OBS("setpgid", setpgid(0, 0));
		conf_post(r1);
		conf_await_state(top, "Zx");    /* until the leader has exited */
		OBS("getppid", getppid());
		conf_exit(0);
	}
	conf_await(r1);
	OBS("tiocsctty", ioctl(fd, TIOCSCTTY, 0));
	if ((job = conf_fork()) == 0) {
		conf_tag("job");
		conf_catch(SIGHUP, 0);
		conf_catch(SIGCONT, 0);
		OBS("setpgid", setpgid(0, early));
		conf_post(r2);
		conf_await_state(top, "Zx");
		OBS("getppid", getppid());
		conf_exit(0);
	}
	conf_await(r2);
	OBS("tcsetpgrp", tcsetpgrp(fd, early));
	OBS("tcgetpgrp", tcgetpgrp(fd));
	return 0;
}
