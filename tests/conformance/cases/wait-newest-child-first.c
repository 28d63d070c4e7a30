/* Two zombies: FreeBSD's wait4(-1) reports the newest child first, Linux
 * the oldest.  The scenario is wait-newest-child-first.json. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	pid_t a, b;

	if ((a = conf_fork()) == 0) {
		conf_tag("a");
		conf_exit(1);
	}
	if ((b = conf_fork()) == 0) {
		conf_tag("b");
		conf_exit(2);
	}
	conf_await_state(a, "Z");
	conf_await_state(b, "Z");
	conf_wait4(-1, 0);
	conf_wait4(-1, 0);
	conf_wait4(-1, 0);
	return 0;
}
