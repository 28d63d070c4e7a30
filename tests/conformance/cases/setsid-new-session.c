/* setsid() makes a new session and group led by the caller; a group
 * leader's setsid() is EPERM.  The scenario is setsid-new-session.json. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	pid_t child = conf_fork();

	if (child == 0) {
		conf_tag("child");
		OBS("setsid", setsid());
		OBS("getpgrp", getpgrp());
		OBS("getsid", getsid(0));
		OBS("getppid", getppid());
		OBS("setsid", setsid());
		conf_exit(0);
	}
	conf_wait4(child, 0);
	return 0;
}
