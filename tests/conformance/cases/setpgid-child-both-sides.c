/* The race-free shell idiom: the parent calls setpgid(child, child) and
 * the child calls setpgid(0, 0); both succeed, whichever comes second
 * finding the work done.  The scenario is setpgid-child-both-sides.json. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int go = conf_chan(), done = conf_chan(), bye = conf_chan();
	pid_t child = conf_fork();

	if (child == 0) {
		conf_tag("child");
		conf_await(go);                        /* the parent's call first */
		OBS("setpgid", setpgid(0, 0));         /* already there: 0 */
		OBS("getpgrp", getpgrp());
		conf_post(done);
		conf_await(bye);                       /* alive for the parent's getpgid */
		conf_exit(0);
	}
	OBS("setpgid", setpgid(child, child));
	conf_post(go);
	conf_await(done);
	OBS("getpgid", getpgid(child));
	conf_post(bye);
	conf_wait4(child, 0);
	return 0;
}
