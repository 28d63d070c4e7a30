/* setpgid to a pgid that names no group of the session is EPERM, even when
 * a process with that pid exists (a sibling that leads no group).  The
 * scenario is setpgid-eperm-no-such-group.json. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int b_done = conf_chan(), bye_a = conf_chan(), bye_b = conf_chan();
	pid_t a, b;

	if ((a = conf_fork()) == 0) {
		conf_tag("a");                          /* stays in init's group */
		conf_await(bye_a);
		conf_exit(0);
	}
	if ((b = conf_fork()) == 0) {
		conf_tag("b");
		OBS("setpgid", setpgid(0, a));          /* no group a: EPERM */
		OBS("getpgrp", getpgrp());
		conf_post(b_done);
		conf_await(bye_b);
		conf_exit(0);
	}
	conf_await(b_done);
	OBS("setpgid", setpgid(b, a));                  /* EPERM */
	OBS("setpgid", setpgid(0, a));                  /* EPERM */
	conf_post(bye_a);
	conf_post(bye_b);
	conf_wait4(a, 0);
	conf_wait4(b, 0);
	return 0;
}
