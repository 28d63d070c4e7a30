/* Group G = {c1, c2}: c1's parent is the session leader top, c2's parent is
 * p, in top's group.  c1 is stopped; p exits: G still qualifies through c1,
 * so nothing is sent although a member is stopped.  top then continues c1
 * and reaps it.  The scenario is orphan-group-kept-by-other-member.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int joined = conf_chan();
	pid_t c1, p, c2;

	OBS("setsid", setsid());
	if ((c1 = conf_fork()) == 0) {
		conf_tag("c1");
		conf_catch(SIGHUP, 0);
		conf_catch(SIGCONT, 0);
		OBS("setpgid", setpgid(0, 0));
		OBS("kill", kill(getpid(), SIGSTOP));
		conf_exit(0);
	}
	conf_wait4(c1, WUNTRACED);
	if ((p = conf_fork()) == 0) {
		pid_t me = getpid();

		conf_tag("p");
		if ((c2 = conf_fork()) == 0) {
			conf_tag("c2");
			conf_catch(SIGHUP, 0);
			conf_catch(SIGCONT, 0);
			OBS("setpgid", setpgid(0, c1));
			conf_post(joined);
			/* Until p has exited: a SIGHUP or SIGCONT from its
			 * exit would be taken on the way out of a poll. */
			conf_await_state(me, "Zx");
			OBS("getppid", getppid());
			conf_exit(0);
		}
		conf_await(joined);
		conf_exit(0);
	}
	conf_wait4(p, 0);
	OBS("kill", kill(c1, SIGCONT));
	conf_wait4(c1, 0);
	return 0;
}
