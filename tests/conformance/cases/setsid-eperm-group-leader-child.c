/* A process that made itself a group leader cannot setsid (EPERM); its
 * child can, and is then in a session of its own.  The scenario is
 * setsid-eperm-group-leader-child.json. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int ready = conf_chan(), bye = conf_chan();
	pid_t c;

	OBS("setpgid", setpgid(0, 0));                  /* lead a group */
	OBS("setsid", setsid());                        /* a group leader: EPERM */
	OBS("getpgrp", getpgrp());
	if ((c = conf_fork()) == 0) {
		conf_tag("c");
		OBS("setsid", setsid());
		OBS("getsid", getsid(0));
		OBS("getpgrp", getpgrp());
		conf_post(ready);
		conf_await(bye);
		conf_exit(0);
	}
	conf_await(ready);
	OBS("getsid", getsid(c));                       /* c's own session */
	OBS("getsid", getsid(0));                       /* still init's */
	conf_post(bye);
	conf_wait4(c, 0);
	return 0;
}
