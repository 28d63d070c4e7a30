/* The daemon idiom: a child forks a grandchild and exits; the grandchild
 * calls setsid(), its parent is now init, and init reaps it at the end.
 * The scenario is orphan-double-fork-daemon.json. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	pid_t mid;

	if ((mid = conf_fork()) == 0) {
		pid_t me = getpid();

		conf_tag("mid");
		if (conf_fork() == 0) {
			conf_tag("daemon");
			conf_await_state(me, "Zx");     /* until mid has exited */
			OBS("setsid", setsid());
			OBS("getppid", getppid());
			conf_exit(0);
		}
		conf_exit(0);
	}
	conf_wait4(mid, 0);
	return 0;
}
