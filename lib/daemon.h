/*
 * Daemon plumbing shared by the sensor, collector and scanner: pidfile,
 * detaching, privilege drop and flag-only signal handling.
 */
#ifndef FT_DAEMON_H
#define FT_DAEMON_H

#include <signal.h>

/* Flags set by the signal handlers; the main loop reads and clears them. */
extern volatile sig_atomic_t daemon_quit;   /* SIGTERM, SIGINT */
extern volatile sig_atomic_t daemon_reload; /* SIGHUP */
extern volatile sig_atomic_t daemon_usr1;   /* SIGUSR1 */

/*
 * Install the handlers (without SA_RESTART) and ignore SIGPIPE. The handled
 * signals are blocked on return; *orig receives the previous mask, to be
 * passed to ppoll()/pselect() so a signal can only arrive while waiting.
 * Returns 0 or -1 with errno set.
 */
int daemon_signals(sigset_t *orig);

/*
 * Create path holding our pid, failing if another live process holds it
 * (stale pidfiles are replaced). Returns 0 or -1 with errno set (EEXIST when
 * another instance runs).
 */
int daemon_pidfile_write(const char *path);
void daemon_pidfile_remove(const char *path);

/*
 * Detach from the terminal (fork, setsid, fork, chdir /, stdio to
 * /dev/null): 0 or -1. The parents exit; a pidfile written before keeps its
 * lock and gets the daemon's pid.
 */
int daemon_detach(void);

/*
 * When running as root and user is not NULL or empty: optionally chroot to
 * dir (NULL for none), then setgroups, setresgid and setresuid to user.
 * Does nothing when not root. Returns 0, or -1 with errno set (ENOENT for an
 * unknown user).
 */
int daemon_drop_privs(const char *user, const char *chroot_dir);

#endif
