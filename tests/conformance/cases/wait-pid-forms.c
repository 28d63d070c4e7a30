/* wait4's pid argument: > 0 (that child only), -1 (any child), 0 (children
 * in the caller's group only), -pgid (children in that group only).  The
 * scenario is wait-pid-forms.json.
 *
 * Children: a (top's group), b (its own group), c (b's group), d (top's
 * group), e (top's group, forked late).  Each wait has exactly one child it
 * may report, so the order in which the kernel scans its children (FreeBSD
 * newest first, Linux oldest first) never shows. */
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int go_a = conf_chan(), go_b = conf_chan(), go_c = conf_chan(), go_d = conf_chan();
	int ready = conf_chan();
	pid_t a, b, c, d, e;

	OBS("setsid", setsid());
	if ((a = conf_fork()) == 0) {
		conf_tag("a");
		conf_await(go_a);
		conf_exit(1);
	}
	if ((b = conf_fork()) == 0) {
		conf_tag("b");
		OBS("setpgid", setpgid(0, 0));
		conf_post(ready);
		conf_await(go_b);
		conf_exit(2);
	}
	conf_await(ready);                      /* group b exists */
	if ((c = conf_fork()) == 0) {
		conf_tag("c");
		OBS("setpgid", setpgid(0, b));  /* joins b's group */
		conf_post(ready);
		conf_await(go_c);
		conf_exit(3);
	}
	conf_await(ready);
	if ((d = conf_fork()) == 0) {
		conf_tag("d");
		conf_await(go_d);
		conf_exit(4);
	}

	/* pid > 0: a and b are zombies; only a is reported. */
	conf_post(go_a);
	conf_post(go_b);
	conf_await_state(a, "Z");
	conf_await_state(b, "Z");
	conf_wait4(a, 0);
	/* -1: any child, here b (another group). */
	conf_wait4(-1, 0);

	/* 0: c (b's group) is a zombie, d (top's group) runs: nothing to
	 * report; then d exits and is reported, never c. */
	conf_post(go_c);
	conf_await_state(c, "Z");
	conf_wait4(0, WNOHANG);
	conf_post(go_d);
	conf_wait4(0, 0);
	conf_wait4(0, WNOHANG);                 /* only c is left: ECHILD */

	/* -pgid: e (top's group) and c (b's group) are zombies: -b reports c. */
	if ((e = conf_fork()) == 0) {
		conf_tag("e");
		conf_exit(5);
	}
	conf_await_state(e, "Z");
	conf_wait4(-b, 0);
	conf_wait4(-b, WNOHANG);                /* only e is left: ECHILD */
	conf_wait4(-1, 0);
	conf_wait4(-1, WNOHANG);
	return 0;
}
