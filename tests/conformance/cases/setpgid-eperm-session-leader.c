/* A session leader cannot change its group: its parent's setpgid on it is
 * EPERM (it is in another session), and its own setpgid, to a group of its
 * session or to its own, is EPERM.  The scenario is
 * setpgid-eperm-session-leader.json. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int t_ready = conf_chan(), bye = conf_chan(), s_ready = conf_chan(), s_go = conf_chan();
	pid_t s, t;

	if ((s = conf_fork()) == 0) {
		conf_tag("s");
		OBS("setsid", setsid());
		if ((t = conf_fork()) == 0) {
			conf_tag("t");
			OBS("setpgid", setpgid(0, 0));  /* a second group in s's session */
			conf_post(t_ready);
			conf_await(bye);
			conf_exit(0);
		}
		conf_await(t_ready);
		OBS("setpgid", setpgid(0, t));          /* a session leader: EPERM */
		OBS("setpgid", setpgid(0, 0));          /* EPERM */
		conf_post(s_ready);
		conf_await(s_go);
		conf_post(bye);
		conf_wait4(t, 0);
		conf_exit(0);
	}
	conf_await(s_ready);
	OBS("setpgid", setpgid(s, s));                  /* EPERM */
	OBS("setpgid", setpgid(s, OBS("getpgrp", getpgrp()))); /* EPERM */
	conf_post(s_go);
	conf_wait4(s, 0);
	return 0;
}
