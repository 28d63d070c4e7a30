/* In an orphaned group, SIGTSTP, SIGTTIN and SIGTTOU with the default
 * action are discarded: the process does not stop.  SIGSTOP still stops
 * it; its parent (in another session) sees the stop and continues it.
 * The scenario is orphan-stop-signals-discarded.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	pid_t job;

	if ((job = conf_fork()) == 0) {
		conf_tag("job");
		conf_catch(SIGCONT, 0);
		OBS("setsid", setsid());
		OBS("kill", kill(getpid(), SIGTSTP));
		OBS("kill", kill(getpid(), SIGTTIN));
		OBS("kill", kill(getpid(), SIGTTOU));
		OBS("kill", kill(getpid(), SIGSTOP));
		conf_exit(0);
	}
	conf_wait4(job, WUNTRACED);
	OBS("kill", kill(job, SIGCONT));
	conf_wait4(job, 0);
	return 0;
}
