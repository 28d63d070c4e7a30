/* Parent exit orphans a group with a stopped member: SIGHUP then SIGCONT
 * to it.  The scenario is orphan-parent-exit-stopped.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	pid_t job;

	OBS("setsid", setsid());
	if ((job = conf_fork()) == 0) {
		conf_tag("job");
		conf_catch(SIGHUP, 0);
		conf_catch(SIGCONT, 0);
		OBS("setpgid", setpgid(0, 0));
		OBS("kill", kill(getpid(), SIGSTOP));
		OBS("getppid", getppid());
		conf_exit(0);
	}
	conf_wait4(job, WUNTRACED);
	return 0;
}
