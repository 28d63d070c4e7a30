/* A session leader's child leads its own group and keeps running; the
 * leader exits.  The group is orphaned but has no stopped member, so
 * nothing is sent (no SIGHUP, no SIGCONT), and the child is now init's.
 * The scenario is orphan-parent-exit-no-stopped.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int ready = conf_chan();
	pid_t top = getpid();
	pid_t job;

	OBS("setsid", setsid());
	if ((job = conf_fork()) == 0) {
		conf_tag("job");
		conf_catch(SIGHUP, 0);
		conf_catch(SIGCONT, 0);
		OBS("setpgid", setpgid(0, 0));
		conf_post(ready);
		/* Wait until the leader has exited (and been reaped): a
		 * SIGHUP or SIGCONT sent by its exit would have been taken
		 * by now, on the way out of one of the polling calls. */
		conf_await_state(top, "Zx");
		OBS("getppid", getppid());
		conf_exit(0);
	}
	conf_await(ready);
	return 0;
}
