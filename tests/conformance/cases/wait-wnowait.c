/* WNOWAIT: EINVAL for wait4; wait6 (FreeBSD) / waitid (Linux) reports an
 * exit and leaves the zombie for wait4.  The scenario is wait-wnowait.json. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	pid_t kid = conf_fork();

	if (kid == 0) {
		conf_tag("kid");
		conf_exit(3);
	}
	conf_wait4(kid, WNOWAIT);
	conf_wait6(P_PID, (id_t)kid, WEXITED | WNOWAIT);
	conf_wait4(kid, 0);
	conf_wait4(-1, WNOHANG);
	return 0;
}
