/* setpgid with a negative pgid is EINVAL, checked before the pid is looked
 * at.  The scenario is setpgid-einval-negative.json. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	OBS("setpgid", setpgid(0, -1));         /* EINVAL */
	OBS("setpgid", setpgid(-1, -1));        /* EINVAL, not ESRCH */
	OBS("getpgrp", getpgrp());              /* unchanged: init's group */
	return 0;
}
