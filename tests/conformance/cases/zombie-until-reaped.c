/* A child that has exited stays a zombie until its parent waits: kill(pid,
 * 0) finds it and it keeps its group; after the wait it is gone.  The
 * scenario is zombie-until-reaped.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int go = conf_chan();
	pid_t child;

	if ((child = conf_fork()) == 0) {
		conf_tag("child");
		OBS("setpgid", setpgid(0, 0));  /* a group of its own */
		conf_await(go);
		conf_exit(6);
	}
	conf_post(go);
	conf_await_state(child, "Z");
	OBS("kill", kill(child, 0));            /* the zombie: 0 */
	OBS("getpgid", getpgid(child));         /* Linux: its group; FreeBSD: ESRCH */
	OBS("kill", kill(-child, 0));           /* its group, a zombie only */
	conf_wait4(child, 0);                   /* reaped */
	OBS("kill", kill(child, 0));            /* ESRCH */
	OBS("getpgid", getpgid(child));         /* ESRCH */
	conf_wait4(child, 0);                   /* ECHILD */
	return 0;
}
