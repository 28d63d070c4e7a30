/* kill(-1, sig) signals every process the caller may signal except init
 * and the caller itself.  Isolated: run in a pid namespace of its own.
 * The scenario is kill-minus-one.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int ready = conf_chan(), done = conf_chan();
	pid_t a, b, c;

	conf_catch(SIGUSR1, 0);            /* the caller must not see it */
	if ((a = conf_fork()) == 0) {
		conf_tag("a");                 /* top's group and session */
		conf_catch(SIGUSR1, 0);
		conf_post(ready);
		conf_await(done);              /* the handler interrupts or follows this */
		conf_exit(0);
	}
	if ((b = conf_fork()) == 0) {
		conf_tag("b");
		conf_catch(SIGUSR1, 0);
		OBS("setsid", setsid());       /* another session */
		if ((c = conf_fork()) == 0) {
			conf_tag("c");             /* top's grandchild */
			conf_catch(SIGUSR1, 0);
			conf_post(ready);
			conf_await(done);
			conf_exit(0);
		}
		conf_post(ready);
		conf_await(done);
		conf_wait4(c, 0);
		conf_exit(0);
	}
	conf_await(ready);
	conf_await(ready);
	conf_await(ready);
	OBS("kill", kill(-1, SIGUSR1));
	conf_post(done);
	conf_post(done);
	conf_post(done);
	conf_wait4(a, 0);
	conf_wait4(b, 0);
	return 0;
}
