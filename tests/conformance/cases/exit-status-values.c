/* Exit statuses 0, 1, 255 and 256 as the parent's wait sees them, with the
 * raw status words.  The scenario is exit-status-values.json. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	static const int codes[] = { 0, 1, 255, 256 };
	static const char *const names[] = { "e0", "e1", "e255", "e256" };

	for (int i = 0; i < 4; i++) {
		pid_t c = conf_fork();

		if (c == 0) {
			conf_tag(names[i]);
			_exit(codes[i]);
		}
		conf_wait4(c, 0);
	}
	return 0;
}
