/* Children killed by SIGKILL, SIGTERM, SIGUSR1 and SIGINT (each with its
 * default action, terminate) are reported killed by that signal.  The
 * scenario is death-by-signal.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	static const int sigs[] = { SIGKILL, SIGTERM, SIGUSR1, SIGINT };
	static const char *const names[] = { "kill", "term", "usr1", "int" };
	int ready = conf_chan();

	for (int i = 0; i < 4; i++) {
		pid_t c = conf_fork();

		if (c == 0) {
			conf_tag(names[i]);
			conf_post(ready);
			pause();               /* never returns: killed */
			conf_exit(0);
		}
		conf_await(ready);
		OBS("kill", kill(c, sigs[i]));
		conf_wait4(c, 0);
	}
	return 0;
}
