/* A wait4 asleep on a running child, interrupted by a caught signal whose
 * handler has SA_RESTART: the handler runs and the wait4 is restarted; it
 * reports the child when it exits.  The scenario is
 * wait-restart-sa-restart.json. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"

/* voluntary_ctxt_switches of pid, from /proc (-1 if unreadable). */
static long voluntary_switches(pid_t pid)
{
	char path[64], buf[4096], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	if (!(p = strstr(buf, "\nvoluntary_ctxt_switches:")))
		return -1;
	return atol(p + strlen("\nvoluntary_ctxt_switches:"));
}

int conf_case(void)
{
	int waiting = conf_chan();
	pid_t child;

	conf_catch(SIGUSR1, SA_RESTART);
	if ((child = conf_fork()) == 0) {
		struct timespec ms = { 0, 1000000 };
		pid_t top;
		long before;

		conf_tag("child");
		conf_await(waiting);
		top = getppid();
		conf_await_state(top, "S");         /* top asleep in wait4 */
		before = voluntary_switches(top);
		OBS("kill", kill((pid_t)OBS("getppid", getppid()), SIGUSR1));
		/* Exit only once top has run its handler and is asleep again
		 * (in the restarted wait4): it has switched out since. */
		while (voluntary_switches(top) <= before)
			nanosleep(&ms, NULL);
		conf_await_state(top, "S");
		conf_exit(9);
	}
	conf_post(waiting);
	conf_wait4(child, 0);                   /* handler SIGUSR1, then exited 9 */
	return 0;
}
