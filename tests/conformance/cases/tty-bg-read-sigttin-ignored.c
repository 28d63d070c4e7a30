/* A process of a background group (not orphaned) that ignores SIGTTIN
 * reads its controlling terminal: read = -1 EIO, nothing stops.  The same
 * with SIGTTIN caught but blocked: EIO, and nothing is left pending.
 * The scenario is tty-bg-read-sigttin-ignored.json. */
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	pid_t job;
	int fd;

	OBS("setsid", setsid());
	fd = conf_tty();
	OBS("tiocsctty", ioctl(fd, TIOCSCTTY, 0));
	if ((job = conf_fork()) == 0) {
		sigset_t ttin;
		char c;

		conf_tag("job");
		conf_ignore(SIGTTIN, 0);
		OBS("setpgid", setpgid(0, 0));
		OBS("read", read(fd, &c, 1));
		conf_catch(SIGTTIN, 0);
		sigemptyset(&ttin);
		sigaddset(&ttin, SIGTTIN);
		sigprocmask(SIG_BLOCK, &ttin, NULL);
		OBS("read", read(fd, &c, 1));
		sigprocmask(SIG_UNBLOCK, &ttin, NULL);  /* nothing pending */
		conf_exit(0);
	}
	conf_wait4(job, WUNTRACED);
	return 0;
}
