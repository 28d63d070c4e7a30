/* A background process whose group has been orphaned (its parent, the
 * group's only link into the session, exited) reads its controlling
 * terminal: read = -1 EIO, and no SIGTTIN is sent.
 * The scenario is tty-bg-read-orphaned-eio.json. */
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int ready = conf_chan(), done = conf_chan();
	pid_t mid;
	int fd;

	OBS("setsid", setsid());
	fd = conf_tty();
	OBS("tiocsctty", ioctl(fd, TIOCSCTTY, 0));
	if ((mid = conf_fork()) == 0) {
		pid_t me = getpid();

		conf_tag("mid");
		if (conf_fork() == 0) {
			char c;

			conf_tag("job");
			conf_catch(SIGTTIN, 0);
			OBS("setpgid", setpgid(0, 0));
			conf_post(ready);
			conf_await_state(me, "Zx");     /* until mid has exited */
			OBS("getppid", getppid());
			OBS("read", read(fd, &c, 1));
			conf_post(done);
			conf_exit(0);
		}
		conf_await(ready);
		conf_exit(0);
	}
	conf_wait4(mid, 0);
	conf_await(done);       /* keep the terminal until job has read */
	return 0;
}
