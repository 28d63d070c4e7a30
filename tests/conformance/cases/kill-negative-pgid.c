/* kill(-pgid, sig) signals exactly the members of that process group.
 * The scenario is kill-negative-pgid.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int ready = conf_chan(), done = conf_chan();
	pid_t a, b, other;

	if ((a = conf_fork()) == 0) {
		conf_tag("a");
		conf_catch(SIGUSR1, 0);
		OBS("setpgid", setpgid(0, 0)); /* leads group a */
		conf_post(ready);
		OBS("pause", pause());
		conf_exit(0);
	}
	conf_await(ready);
	if ((b = conf_fork()) == 0) {
		conf_tag("b");
		conf_catch(SIGUSR1, 0);
		OBS("setpgid", setpgid(0, a)); /* joins group a */
		conf_post(ready);
		OBS("pause", pause());
		conf_exit(0);
	}
	conf_await(ready);
	if ((other = conf_fork()) == 0) {
		conf_tag("other");
		conf_catch(SIGUSR1, 0);
		OBS("setpgid", setpgid(0, 0)); /* a group of its own */
		conf_post(ready);
		conf_await(done);              /* a SIGUSR1 would show here */
		conf_exit(0);
	}
	conf_await(ready);
	conf_await_state(a, "S");          /* both asleep in pause() */
	conf_await_state(b, "S");
	OBS("kill", kill(-a, SIGUSR1));
	conf_post(done);
	conf_wait4(a, 0);
	conf_wait4(b, 0);
	conf_wait4(other, 0);
	return 0;
}
