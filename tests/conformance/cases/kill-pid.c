/* kill(pid, SIGUSR1) runs the target's handler, which interrupts its
 * pause(); kill(pid, 0) probes an existing process.  The scenario is
 * kill-pid.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int ready = conf_chan();
	pid_t child;

	if ((child = conf_fork()) == 0) {
		conf_tag("child");
		conf_catch(SIGUSR1, 0);
		conf_post(ready);
		OBS("pause", pause());
		conf_exit(0);
	}
	conf_await(ready);
	conf_await_state(child, "S");      /* asleep in pause() */
	OBS("kill", kill(child, 0));
	OBS("kill", kill(child, SIGUSR1));
	conf_wait4(child, 0);
	return 0;
}
