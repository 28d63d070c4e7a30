/* A parent that ignores SIGCHLD gets no zombies: its blocking wait4(-1)
 * returns ECHILD once its children have exited.  FreeBSD hands each child to
 * init, which reaps it; Linux reaps it itself.  The scenario is
 * wait-sigchld-ignored.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int second = conf_chan(), waiting = conf_chan();
	pid_t c1, c2;

	conf_ignore(SIGCHLD, 0);
	if ((c1 = conf_fork()) == 0) {
		conf_tag("c1");
		conf_await(waiting);
		conf_await_state(getppid(), "S");   /* top asleep in wait4 */
		conf_post(second);
		conf_exit(1);
	}
	if ((c2 = conf_fork()) == 0) {
		conf_tag("c2");
		conf_await(second);
		conf_await_state(c1, "x");          /* c1 gone */
		conf_exit(2);
	}
	conf_wait4(-1, WNOHANG);                /* both run: 0 */
	conf_post(waiting);
	conf_wait4(-1, 0);                      /* ECHILD when both have exited */
	conf_wait4(-1, WNOHANG);                /* ECHILD */
	conf_wait4(c2, 0);                      /* ECHILD */
	return 0;
}
