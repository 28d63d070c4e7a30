/* A process joins the group its sibling leads; the group outlives its
 * leader.  The scenario is setpgid-join-sibling-group.json. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int a_ready = conf_chan(), b_joined = conf_chan(), a_bye = conf_chan(), b_go = conf_chan();
	pid_t a, b;

	if ((a = conf_fork()) == 0) {
		conf_tag("a");
		OBS("setpgid", setpgid(0, 0));          /* group a */
		conf_post(a_ready);
		conf_await(a_bye);
		conf_exit(0);
	}
	conf_await(a_ready);
	if ((b = conf_fork()) == 0) {
		conf_tag("b");
		OBS("setpgid", setpgid(0, a));          /* join a's group */
		OBS("getpgrp", getpgrp());
		conf_post(b_joined);
		conf_await(b_go);                       /* a is gone */
		OBS("getpgrp", getpgrp());
		conf_exit(0);
	}
	conf_await(b_joined);
	OBS("getpgid", getpgid(a));
	OBS("getpgid", getpgid(b));
	conf_post(a_bye);
	conf_wait4(a, 0);                               /* the leader is gone */
	OBS("getpgid", getpgid(b));                     /* still a's group */
	conf_post(b_go);
	conf_wait4(b, 0);
	return 0;
}
