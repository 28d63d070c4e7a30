/* Posting SIGCONT discards a pending (blocked) stop signal: a child that
 * blocked SIGTSTP, got it, then got SIGCONT, does not stop when it
 * unblocks SIGTSTP.  A control child without the SIGCONT does stop.  The
 * scenario is sigcont-discards-pending-stop.json. */
#include <signal.h>
#include <unistd.h>

#include "conf.h"

static void tstp_mask(int how)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGTSTP);
	sigprocmask(how, &s, NULL);
}

int conf_case(void)
{
	int ready = conf_chan(), go = conf_chan();
	pid_t control, cont;

	if ((control = conf_fork()) == 0) {
		conf_tag("control");
		OBS("setpgid", setpgid(0, 0)); /* not orphaned: top is in another group */
		tstp_mask(SIG_BLOCK);
		conf_post(ready);
		conf_await(go);
		tstp_mask(SIG_UNBLOCK);        /* the pending SIGTSTP stops it here */
		OBS("getppid", getppid());
		conf_exit(0);
	}
	conf_await(ready);
	OBS("kill", kill(control, SIGTSTP));   /* held: pending */
	conf_post(go);
	conf_wait4(control, WUNTRACED);        /* stopped by SIGTSTP */
	OBS("kill", kill(control, SIGCONT));
	conf_wait4(control, 0);

	if ((cont = conf_fork()) == 0) {
		conf_tag("cont");
		OBS("setpgid", setpgid(0, 0));
		tstp_mask(SIG_BLOCK);
		conf_post(ready);
		conf_await(go);
		tstp_mask(SIG_UNBLOCK);        /* nothing pending any more */
		OBS("getppid", getppid());
		conf_exit(0);
	}
	conf_await(ready);
	OBS("kill", kill(cont, SIGTSTP));      /* held: pending */
	OBS("kill", kill(cont, SIGCONT));      /* discards the pending SIGTSTP */
	conf_wait4(cont, WUNTRACED | WNOHANG); /* not stopped: 0 */
	conf_post(go);
	conf_wait4(cont, WUNTRACED);           /* exited 0, never stopped */
	return 0;
}
