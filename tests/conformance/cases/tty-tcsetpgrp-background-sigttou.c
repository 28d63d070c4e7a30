/* Background tcsetpgrp: SIGTTOU stops the caller; once it is the foreground
 * and continued, the call succeeds.  The scenario is
 * tty-tcsetpgrp-background-sigttou.json. */
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int fd;
	pid_t job;

	OBS("setsid", setsid());
	fd = conf_tty();
	OBS("tiocsctty", ioctl(fd, TIOCSCTTY, 0));
	if ((job = conf_fork()) == 0) {
		conf_tag("job");
		OBS("setpgid", setpgid(0, 0));
		OBS("tcsetpgrp", tcsetpgrp(fd, getpid()));
		OBS("tcgetpgrp", tcgetpgrp(fd));
		conf_exit(0);
	}
	conf_wait4(job, WUNTRACED);
	OBS("tcsetpgrp", tcsetpgrp(fd, job));
	OBS("kill", kill(job, SIGCONT));
	conf_wait4(job, 0);
	return 0;
}
