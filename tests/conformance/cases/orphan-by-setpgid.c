/* A group orphaned by setpgid: FreeBSD sends SIGHUP and SIGCONT to its
 * stopped member, Linux does not.  The scenario is orphan-by-setpgid.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

static void member(int ready)
{
	conf_tag("s");
	conf_catch(SIGHUP, 0);
	conf_catch(SIGUSR1, 0);
	OBS("kill", kill(getpid(), SIGSTOP));
	conf_post(ready);
	OBS("pause", pause());
	conf_exit(0);
}

static void leader(int spid, int ready)
{
	pid_t p, s;

	conf_tag("q");
	conf_catch(SIGHUP, 0);
	OBS("setpgid", setpgid(0, 0));
	if ((p = conf_fork()) == 0) {
		conf_tag("p");
		if ((s = conf_fork()) == 0)
			member(ready);
		conf_send_pid(spid, s);
		conf_exit(0);
	}
	s = conf_recv_pid(spid);
	conf_wait4(p, 0);                      /* s is init's now */
	conf_await_state(s, "T");
	OBS("setpgid", setpgid(0, OBS("getppid", getppid())));
	OBS("kill", kill(-getpid(), SIGCONT));
	conf_await(ready);
	conf_await_state(s, "S");              /* asleep in pause() */
	OBS("kill", kill(-getpid(), SIGUSR1));
	conf_exit(0);
}

int conf_case(void)
{
	int spid = conf_chan(), ready = conf_chan();
	pid_t q;

	OBS("setsid", setsid());
	if ((q = conf_fork()) == 0)
		leader(spid, ready);
	conf_wait4(q, 0);
	return 0;
}
