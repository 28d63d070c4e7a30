/* A parent that catches SIGCHLD gets it when its child stops, when it is
 * continued, and when it exits; its waits report stopped, continued and
 * exited.  The scenario is sigchld-on-stop-and-exit.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

int conf_case(void)
{
	int ready = conf_chan(), go = conf_chan();
	sigset_t chld, none;
	pid_t child;

	sigemptyset(&none);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	conf_catch(SIGCHLD, 0);
	/* SIGCHLD is taken only in sigsuspend(), before the wait that reports
	 * the change: the handler never races with a call's result. */
	sigprocmask(SIG_BLOCK, &chld, NULL);
	if ((child = conf_fork()) == 0) {
		conf_tag("child");
		conf_post(ready);
		conf_await(go);                /* stopped and continued in here */
		conf_exit(0);
	}
	conf_await(ready);
	OBS("kill", kill(child, SIGSTOP));
	sigsuspend(&none);                 /* handler SIGCHLD: stopped */
	conf_wait4(child, WUNTRACED);
	OBS("kill", kill(child, SIGCONT));
	sigsuspend(&none);                 /* handler SIGCHLD: continued */
	conf_wait4(child, WCONTINUED);
	conf_post(go);
	sigsuspend(&none);                 /* handler SIGCHLD: exited */
	conf_wait4(child, 0);
	return 0;
}
