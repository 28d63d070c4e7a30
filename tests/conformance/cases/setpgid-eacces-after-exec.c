/* setpgid by the parent on its child succeeds before the child execs and
 * fails with EACCES after; the child itself may still call setpgid.  The
 * scenario is setpgid-eacces-after-exec.json. */
#include <unistd.h>

#include "conf.h"

/* Channels are numbered from 0 in the order they are made, and keep their
 * numbers across conf_exec. */
enum { MOVED, EXECD, TRIED };

int conf_after_exec(const char *phase)
{
	(void)phase;                                   /* the child, exec'd */
	conf_post(EXECD);
	conf_await(TRIED);
	OBS("setpgid", setpgid(0, 0));                 /* its own call: allowed */
	OBS("getpgrp", getpgrp());
	return 0;
}

int conf_case(void)
{
	pid_t child;

	if (conf_chan() != MOVED || conf_chan() != EXECD || conf_chan() != TRIED)
		return 99;
	if ((child = conf_fork()) == 0) {
		conf_tag("child");
		conf_await(MOVED);
		conf_exec("child");
	}
	OBS("setpgid", setpgid(child, child));         /* before the exec: 0 */
	conf_post(MOVED);
	conf_await(EXECD);
	OBS("setpgid", setpgid(child, child));         /* EACCES */
	OBS("setpgid", setpgid(child, OBS("getpgrp", getpgrp()))); /* EACCES */
	conf_post(TRIED);
	conf_wait4(child, 0);
	return 0;
}
