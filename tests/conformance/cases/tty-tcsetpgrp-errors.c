/* tcsetpgrp/tcgetpgrp errors: ENOTTY on a terminal that is not the
 * caller's controlling terminal, EPERM for a group of another session, and
 * for a pgid that does not exist EPERM on FreeBSD but ESRCH on Linux;
 * tcgetpgrp names the foreground group.
 * The scenario is tty-tcsetpgrp-errors.json. */
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int r1 = conf_chan(), g1 = conf_chan(), r2 = conf_chan(), g2 = conf_chan();
	pid_t other, gone, job;
	int fd;

	OBS("setsid", setsid());
	fd = conf_tty();
	/* Not yet the controlling terminal: ENOTTY. */
	OBS("tcgetpgrp", tcgetpgrp(fd));
	OBS("tcsetpgrp", tcsetpgrp(fd, getpid()));
	OBS("tiocsctty", ioctl(fd, TIOCSCTTY, 0));
	OBS("tcgetpgrp", tcgetpgrp(fd));
	if ((other = conf_fork()) == 0) {
		conf_tag("other");
		OBS("setsid", setsid());
		/* The terminal of another session: ENOTTY. */
		OBS("tcsetpgrp", tcsetpgrp(fd, getpid()));
		OBS("tcgetpgrp", tcgetpgrp(fd));
		conf_post(r1);
		conf_await(g1);
		conf_exit(0);
	}
	conf_await(r1);
	OBS("tcsetpgrp", tcsetpgrp(fd, other));        /* another session: EPERM */
	conf_post(g1);
	conf_wait4(other, 0);
	if ((gone = conf_fork()) == 0) {
		conf_tag("gone");
		conf_exit(0);
	}
	conf_wait4(gone, 0);
	OBS("tcsetpgrp", tcsetpgrp(fd, gone));         /* no such group */
	if ((job = conf_fork()) == 0) {
		conf_tag("job");
		OBS("setpgid", setpgid(0, 0));
		conf_post(r2);
		conf_await(g2);
		conf_exit(0);
	}
	conf_await(r2);
	OBS("tcsetpgrp", tcsetpgrp(fd, job));
	OBS("tcgetpgrp", tcgetpgrp(fd));
	conf_post(g2);
	conf_wait4(job, 0);
	return 0;
}
