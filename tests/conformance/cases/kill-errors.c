/* kill(2)'s errors: ESRCH for a pid or a group that does not exist, EINVAL
 * for a signal number out of range; a zombie can still be signalled (0).
 * The scenario is kill-errors.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	pid_t z;

	if ((z = conf_fork()) == 0) {
		conf_tag("zombie");
		OBS("setpgid", setpgid(0, 0)); /* leads group z */
		conf_exit(0);
	}
	conf_await_state(z, "Z");          /* a zombie, not yet reaped */
	OBS("kill", kill(z, 0));           /* the zombie exists: 0 */
	OBS("kill", kill(-z, 0));          /* its group too: 0 */
	OBS("kill", kill(getpid(), 200));  /* no such signal: EINVAL */
	conf_wait4(z, 0);                  /* reaped: pid and group are gone */
	OBS("kill", kill(z, 0));           /* ESRCH */
	OBS("kill", kill(-z, 0));          /* ESRCH */
	return 0;
}
