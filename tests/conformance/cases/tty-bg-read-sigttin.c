/* A member of a background group (not orphaned) reads the controlling
 * terminal: SIGTTIN stops it; the shell's wait4(WUNTRACED) reports the
 * stop; the shell kills it with SIGKILL and reaps it.
 * The scenario is tty-bg-read-sigttin.json. */
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	pid_t job;
	int fd;
	char c;

	OBS("setsid", setsid());
	fd = conf_tty();
	OBS("tiocsctty", ioctl(fd, TIOCSCTTY, 0));
	if ((job = conf_fork()) == 0) {
		conf_tag("job");
		OBS("setpgid", setpgid(0, 0));
		OBS("read", read(fd, &c, 1));   /* stops; never returns */
		conf_exit(0);
	}
	conf_wait4(job, WUNTRACED);
	OBS("kill", kill(job, SIGKILL));
	conf_wait4(job, 0);
	return 0;
}
