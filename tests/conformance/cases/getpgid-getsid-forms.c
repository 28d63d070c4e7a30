/* getpgid and getsid: of the caller (0 and its own pid), of a child in
 * another session, of that child as a zombie, and of its pid once reaped.
 * The scenario is getpgid-getsid-forms.json. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int ready = conf_chan(), bye = conf_chan();
	pid_t a;

	OBS("getpgid", getpgid(0));
	OBS("getsid", getsid(0));
	OBS("getpgid", getpgid(getpid()));
	if ((a = conf_fork()) == 0) {
		conf_tag("a");
		OBS("setsid", setsid());
		conf_post(ready);
		conf_await(bye);
		conf_exit(0);
	}
	conf_await(ready);
	OBS("getpgid", getpgid(a));
	OBS("getsid", getsid(a));                       /* another session */
	conf_post(bye);
	conf_await_state(a, "Z");
	OBS("getpgid", getpgid(a));                     /* a zombie */
	OBS("getsid", getsid(a));
	conf_wait4(a, 0);
	OBS("getpgid", getpgid(a));                     /* reaped: ESRCH */
	OBS("getsid", getsid(a));
	return 0;
}
