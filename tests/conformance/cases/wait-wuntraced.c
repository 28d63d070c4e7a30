/* WUNTRACED reports a stop once; a wait without WUNTRACED never reports it.
 * The scenario is wait-wuntraced.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	pid_t child;

	if ((child = conf_fork()) == 0) {
		conf_tag("child");
		OBS("kill", kill(getpid(), SIGSTOP));
		conf_exit(3);
	}
	conf_await_state(child, "T");
	conf_wait4(child, WNOHANG);             /* no WUNTRACED: 0 */
	conf_wait4(child, WUNTRACED);           /* the stop */
	conf_wait4(child, WUNTRACED | WNOHANG); /* already reported: 0 */
	conf_wait4(-1, WUNTRACED | WNOHANG);    /* 0 */
	conf_wait4(child, WNOHANG);             /* 0 */
	OBS("kill", kill(child, SIGCONT));
	conf_wait4(child, 0);                   /* its exit */
	return 0;
}
