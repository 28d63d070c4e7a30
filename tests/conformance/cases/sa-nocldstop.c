/* SA_NOCLDSTOP: the parent's SIGCHLD handler does not run when its child
 * stops (or is continued), and does run when it exits.  The scenario is
 * sa-nocldstop.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int pausing = conf_chan();
	pid_t child;

	conf_catch(SIGCHLD, SA_NOCLDSTOP);
	if ((child = conf_fork()) == 0) {
		conf_tag("child");
		OBS("kill", kill(getpid(), SIGSTOP));
		conf_await(pausing);
		conf_await_state(getppid(), "S");   /* top asleep in pause */
		conf_exit(5);
	}
	conf_wait4(child, WUNTRACED);           /* the stop: no handler */
	OBS("kill", kill(child, SIGCONT));      /* the continue: no handler */
	conf_post(pausing);
	OBS("pause", pause());                  /* the exit: handler, EINTR */
	conf_wait4(child, 0);
	return 0;
}
