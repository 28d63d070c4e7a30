/* Posting a stop signal discards a pending SIGCONT.  The scenario is
 * stop-discards-pending-sigcont.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

static void mask(int how, int sig)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(how, &s, NULL);
}

int conf_case(void)
{
	int ready = conf_chan(), go = conf_chan();
	pid_t stopped, held;

	/* SIGSTOP: SIGCONT pending and held, SIGSTOP stops the child, a fresh
	 * SIGCONT continues it and stays pending until it is unblocked. */
	if ((stopped = conf_fork()) == 0) {
		conf_tag("stopped");
		conf_catch(SIGCONT, 0);
		mask(SIG_BLOCK, SIGCONT);
		conf_post(ready);
		conf_await(go);
		mask(SIG_UNBLOCK, SIGCONT);    /* the fresh SIGCONT: one handler */
		OBS("getppid", getppid());
		conf_exit(0);
	}
	conf_await(ready);
	OBS("kill", kill(stopped, SIGCONT));   /* held: pending */
	OBS("kill", kill(stopped, SIGSTOP));   /* discards it, and stops the child */
	conf_wait4(stopped, WUNTRACED);        /* stopped by SIGSTOP */
	OBS("kill", kill(stopped, SIGCONT));   /* continues it; held: pending */
	conf_post(go);
	conf_wait4(stopped, 0);

	/* SIGTSTP caught and held: it stops nothing, but posting it discards
	 * the pending SIGCONT all the same, so no SIGCONT handler runs. */
	if ((held = conf_fork()) == 0) {
		conf_tag("held");
		conf_catch(SIGCONT, 0);
		conf_catch(SIGTSTP, 0);
		mask(SIG_BLOCK, SIGCONT);
		mask(SIG_BLOCK, SIGTSTP);
		conf_post(ready);
		conf_await(go);
		mask(SIG_UNBLOCK, SIGCONT);    /* nothing pending: no handler */
		mask(SIG_UNBLOCK, SIGTSTP);    /* handler SIGTSTP */
		OBS("getppid", getppid());
		conf_exit(0);
	}
	conf_await(ready);
	OBS("kill", kill(held, SIGCONT));      /* held: pending */
	OBS("kill", kill(held, SIGTSTP));      /* held too; discards the SIGCONT */
	conf_post(go);
	conf_wait4(held, 0);
	return 0;
}
