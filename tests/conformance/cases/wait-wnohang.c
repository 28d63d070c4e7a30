/* WNOHANG: 0 while the child runs, the child once it is a zombie, then
 * ECHILD.  The scenario is wait-wnohang.json. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int go = conf_chan();
	pid_t child;

	if ((child = conf_fork()) == 0) {
		conf_tag("child");
		conf_await(go);
		conf_exit(7);
	}
	conf_wait4(-1, WNOHANG);                /* the child runs: 0 */
	conf_wait4(child, WNOHANG);             /* the same with its pid: 0 */
	conf_post(go);
	conf_await_state(child, "Z");
	conf_wait4(child, WNOHANG);             /* the zombie: reaped */
	conf_wait4(-1, WNOHANG);                /* no child left: ECHILD */
	conf_wait4(child, WNOHANG);             /* ECHILD */
	return 0;
}
