/* The shell idiom: with SIGTTOU ignored, a background process may call
 * tcsetpgrp: the job takes the terminal for its own group, then the shell,
 * now in the background, takes it back.  tcgetpgrp names the new
 * foreground each time.  The scenario is
 * tty-tcsetpgrp-background-ignored.json. */
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int r = conf_chan(), g = conf_chan();
	pid_t job;
	int fd;

	OBS("setsid", setsid());
	fd = conf_tty();
	OBS("tiocsctty", ioctl(fd, TIOCSCTTY, 0));
	conf_ignore(SIGTTOU, 0);        /* inherited by job */
	if ((job = conf_fork()) == 0) {
		conf_tag("job");
		OBS("setpgid", setpgid(0, 0));
		OBS("tcsetpgrp", tcsetpgrp(fd, getpid()));     /* from the background */
		OBS("tcgetpgrp", tcgetpgrp(fd));
		conf_post(r);
		conf_await(g);
		OBS("tcgetpgrp", tcgetpgrp(fd));
		conf_exit(0);
	}
	conf_await(r);
	OBS("tcsetpgrp", tcsetpgrp(fd, getpid()));     /* top is in the background now */
	OBS("tcgetpgrp", tcgetpgrp(fd));
	conf_post(g);
	conf_wait4(job, WUNTRACED);
	return 0;
}
