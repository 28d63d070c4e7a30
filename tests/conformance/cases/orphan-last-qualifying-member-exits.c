/* Group G = {a, b}: a's parent (the session leader) is in another group of
 * the session, b is a's child.  b stops itself; a exits.  G loses its last
 * qualifying member and is orphaned with a stopped member: b gets SIGHUP
 * then SIGCONT, and is init's.  The scenario is
 * orphan-last-qualifying-member-exits.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	pid_t a, b;

	OBS("setsid", setsid());
	if ((a = conf_fork()) == 0) {
		conf_tag("a");
		OBS("setpgid", setpgid(0, 0));
		if ((b = conf_fork()) == 0) {
			conf_tag("b");
			conf_catch(SIGHUP, 0);
			conf_catch(SIGCONT, 0);
			OBS("kill", kill(getpid(), SIGSTOP));
			OBS("getppid", getppid());
			conf_exit(0);
		}
		conf_wait4(b, WUNTRACED);
		conf_exit(0);
	}
	conf_wait4(a, 0);
	return 0;
}
