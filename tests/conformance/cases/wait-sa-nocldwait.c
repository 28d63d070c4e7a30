/* A parent catches SIGCHLD with SA_NOCLDWAIT and sleeps in wait4(-1) while
 * its only child exits.  FreeBSD hands the child to init, which gets the
 * SIGCHLD and reaps it; Linux signals the parent (its handler runs) and
 * reaps the child itself.  Either way the wait is ECHILD.  The scenario is
 * wait-sa-nocldwait.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int waiting = conf_chan();
	pid_t child;

	conf_catch(SIGCHLD, SA_NOCLDWAIT);
	if ((child = conf_fork()) == 0) {
		conf_tag("child");
		conf_await(waiting);
		conf_await_state(getppid(), "S");   /* top asleep in wait4 */
		conf_exit(4);
	}
	conf_post(waiting);
	conf_wait4(-1, 0);                      /* ECHILD */
	conf_wait4(-1, WNOHANG);                /* ECHILD */
	return 0;
}
