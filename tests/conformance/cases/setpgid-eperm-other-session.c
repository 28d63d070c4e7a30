/* setpgid into a group of another session is EPERM, whether the process
 * moves itself or its parent moves it.  The scenario is
 * setpgid-eperm-other-session.json. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int a_ready = conf_chan(), b_done = conf_chan(), bye_a = conf_chan(), bye_b = conf_chan();
	pid_t a, b;

	if ((a = conf_fork()) == 0) {
		conf_tag("a");
		OBS("setsid", setsid());                /* session a, group a */
		conf_post(a_ready);
		conf_await(bye_a);
		conf_exit(0);
	}
	conf_await(a_ready);
	if ((b = conf_fork()) == 0) {
		conf_tag("b");
		OBS("setpgid", setpgid(0, a));          /* EPERM */
		OBS("getpgrp", getpgrp());              /* still init's group */
		conf_post(b_done);
		conf_await(bye_b);
		conf_exit(0);
	}
	conf_await(b_done);
	OBS("setpgid", setpgid(b, a));                  /* EPERM */
	conf_post(bye_a);
	conf_post(bye_b);
	conf_wait4(a, 0);
	conf_wait4(b, 0);
	return 0;
}
