/* kill(0, sig) signals every member of the caller's process group, the
 * caller included, and no process of another group.  The scenario is
 * kill-zero-own-group.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int ready = conf_chan(), done = conf_chan();
	pid_t member, other;

	OBS("setpgid", setpgid(0, 0));     /* a group of our own, not init's */
	conf_catch(SIGUSR2, 0);
	if ((member = conf_fork()) == 0) {
		conf_tag("member");            /* in top's group */
		conf_catch(SIGUSR2, 0);
		conf_post(ready);
		OBS("pause", pause());
		conf_exit(0);
	}
	if ((other = conf_fork()) == 0) {
		conf_tag("other");
		conf_catch(SIGUSR2, 0);
		OBS("setpgid", setpgid(0, 0)); /* a group of its own */
		conf_post(ready);
		conf_await(done);              /* a SIGUSR2 would show here */
		conf_exit(0);
	}
	conf_await(ready);
	conf_await(ready);
	conf_await_state(member, "S");     /* asleep in pause() */
	OBS("kill", kill(0, SIGUSR2));
	conf_post(done);
	conf_wait4(member, 0);
	conf_wait4(other, 0);
	return 0;
}
