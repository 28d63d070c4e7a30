/* A wait4 asleep on a running child is interrupted by a caught signal whose
 * handler has no SA_RESTART: EINTR after the handler; the next wait4 reaps
 * the child.  The scenario is wait-interrupted-eintr.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int waiting = conf_chan(), done = conf_chan();
	pid_t child;

	conf_catch(SIGUSR1, 0);
	if ((child = conf_fork()) == 0) {
		conf_tag("child");
		conf_await(waiting);
		conf_await_state(getppid(), "S");   /* top asleep in wait4 */
		OBS("kill", kill((pid_t)OBS("getppid", getppid()), SIGUSR1));
		conf_await(done);                   /* top's wait4 has returned */
		conf_exit(8);
	}
	conf_post(waiting);
	conf_wait4(child, 0);                   /* handler SIGUSR1, EINTR */
	conf_post(done);
	conf_wait4(child, 0);                   /* exited 8 */
	return 0;
}
