/* setpgid on a process that is neither the caller nor its child: the
 * caller's parent is ESRCH on both systems; a grandchild is ESRCH on Linux
 * (children only) but allowed by FreeBSD (any descendant).  The scenario is
 * setpgid-esrch-not-child.json. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int gpid = conf_chan(), go = conf_chan();
	pid_t mid, grand;

	if ((mid = conf_fork()) == 0) {
		conf_tag("mid");
		if ((grand = conf_fork()) == 0) {
			conf_tag("grand");
			conf_await(go);                 /* after top's setpgid */
			OBS("getpgrp", getpgrp());
			conf_exit(0);
		}
		conf_send_pid(gpid, grand);
		OBS("setpgid", setpgid(OBS("getppid", getppid()), 0)); /* my parent: ESRCH */
		conf_wait4(grand, 0);
		conf_exit(0);
	}
	grand = conf_recv_pid(gpid);
	OBS("setpgid", setpgid(grand, grand));  /* a grandchild */
	OBS("setpgid", setpgid(OBS("getppid", getppid()), 0)); /* my parent: ESRCH */
	conf_post(go);
	conf_wait4(mid, 0);
	return 0;
}
