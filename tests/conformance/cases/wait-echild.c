/* ECHILD: no children, with and without WNOHANG; and a wait for one's own
 * parent.  The scenario is wait-echild.json. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	pid_t child;

	conf_wait4(-1, 0);                      /* no children: ECHILD */
	conf_wait4(-1, WNOHANG);                /* ECHILD, not 0 */
	conf_wait4(0, WNOHANG);                 /* ECHILD */
	conf_wait4((pid_t)OBS("getppid", getppid()), 0);   /* my parent: ECHILD */
	if ((child = conf_fork()) == 0) {
		conf_tag("child");
		conf_wait4((pid_t)OBS("getppid", getppid()), 0);  /* top: ECHILD */
		conf_wait4(getppid(), WNOHANG);
		conf_wait4(-1, 0);
		conf_exit(0);
	}
	conf_wait4(child, 0);
	conf_wait4(child, 0);                   /* reaped: ECHILD */
	return 0;
}
