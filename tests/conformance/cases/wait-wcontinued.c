/* WCONTINUED reports a stopped child that SIGCONT continued, once.  The
 * status words differ (FreeBSD 0x13, Linux 0xffff).  The scenario is
 * wait-wcontinued.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int go = conf_chan();
	pid_t child;

	if ((child = conf_fork()) == 0) {
		conf_tag("child");
		OBS("kill", kill(getpid(), SIGSTOP));
		conf_await(go);                 /* stay alive until told */
		conf_exit(0);
	}
	conf_await_state(child, "T");           /* stopped (the stop is not waited for) */
	OBS("kill", kill(child, SIGCONT));
	conf_wait4(child, WNOHANG);             /* no WCONTINUED: 0 */
	conf_wait4(child, WCONTINUED);          /* continued */
	conf_wait4(child, WCONTINUED | WNOHANG); /* reported already: 0 */
	conf_post(go);
	conf_wait4(child, 0);                   /* exited 0 */
	return 0;
}
