/*
 * Daemon plumbing: flag-only signal handlers, a locked pidfile that detects
 * stale copies, detaching from the terminal and dropping root privileges.
 */
#include "lib/daemon.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

volatile sig_atomic_t daemon_quit;
volatile sig_atomic_t daemon_reload;
volatile sig_atomic_t daemon_usr1;

/*
 * The pidfile stays open and flock()ed for the life of the process: the lock
 * is what says "running" and it vanishes with the process, even after a
 * crash or kill -9, so a leftover file is recognised as stale without
 * trusting its pid (which may have been reused). The pid inside is for
 * people and scripts. flock locks belong to the open file description, so
 * the process left by daemon_detach() keeps holding the lock after its
 * parents exit, and daemon_detach() rewrites the pid to its own.
 */
static int daemon_pidfd = -1;
static pid_t daemon_pidowner;

static void
daemon_sighandler(int sig)
{
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		daemon_quit = 1;
		break;
	case SIGHUP:
		daemon_reload = 1;
		break;
	case SIGUSR1:
		daemon_usr1 = 1;
		break;
	default:
		break;
	}
}

int
daemon_signals(sigset_t *orig)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1 };
	struct sigaction sa;
	sigset_t mask;
	size_t i;

	sigemptyset(&mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&mask, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &mask, orig) == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = daemon_sighandler;
	sa.sa_mask = mask; /* no handler interrupts another */
	sa.sa_flags = 0;   /* no SA_RESTART: a blocking call returns EINTR */
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) == -1)
			return -1;
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGPIPE, &sa, NULL) == -1)
		return -1;
	return 0;
}

/* Replace the pid in the pidfile open on fd with ours: 0 or -1. */
static int
daemon_pidfile_rewrite(int fd)
{
	char buf[32];
	int n;

	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) == -1 || pwrite(fd, buf, (size_t)n, 0) != n)
		return -1;
	daemon_pidowner = getpid();
	return 0;
}

int
daemon_pidfile_write(const char *path)
{
	int fd, saved;

	if (daemon_pidfd != -1) {
		/* Ours already (or our parent's, before detaching). */
		fd = daemon_pidfd;
	} else {
		fd =
		    open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd == -1)
			return -1;
		if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
			/* A live process holds it. */
			saved = errno;
			close(fd);
			errno = saved == EWOULDBLOCK ? EEXIST : saved;
			return -1;
		}
		/* Locked: whatever pid is inside is stale; replace it. */
	}
	if (daemon_pidfile_rewrite(fd) == -1) {
		saved = errno;
		if (fd != daemon_pidfd)
			close(fd);
		errno = saved;
		return -1;
	}
	daemon_pidfd = fd;
	daemon_pidowner = getpid();
	return 0;
}

void
daemon_pidfile_remove(const char *path)
{
	if (daemon_pidfd == -1 || daemon_pidowner != getpid())
		return;
	unlink(path);
	close(daemon_pidfd);
	daemon_pidfd = -1;
}

int
daemon_detach(void)
{
	pid_t pid;
	int fd;

	if ((pid = fork()) == -1)
		return -1;
	if (pid != 0)
		_exit(0);
	if (setsid() == -1)
		return -1;
	/* A second fork: never again a session leader, so no controlling
	 * terminal can be acquired by opening one. */
	if ((pid = fork()) == -1)
		return -1;
	if (pid != 0)
		_exit(0);
	if (chdir("/") == -1)
		return -1;
	if ((fd = open("/dev/null", O_RDWR)) == -1)
		return -1;
	if (dup2(fd, STDIN_FILENO) == -1 || dup2(fd, STDOUT_FILENO) == -1 ||
	    dup2(fd, STDERR_FILENO) == -1) {
		close(fd);
		return -1;
	}
	if (fd > STDERR_FILENO)
		close(fd);
	/* A pidfile written before detaching names our parent: fix it. */
	if (daemon_pidfd != -1 && daemon_pidfile_rewrite(daemon_pidfd) == -1)
		return -1;
	return 0;
}

int
daemon_drop_privs(const char *user, const char *chroot_dir)
{
	struct passwd *pw;
	uid_t uid;
	gid_t gid;

	if (geteuid() != 0 || user == NULL || *user == '\0')
		return 0;
	errno = 0;
	if ((pw = getpwnam(user)) == NULL) {
		if (errno == 0)
			errno = ENOENT;
		return -1;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (chroot_dir != NULL && *chroot_dir != '\0') {
		if (chroot(chroot_dir) == -1 || chdir("/") == -1)
			return -1;
	}
	if (setgroups(1, &gid) == -1 || setresgid(gid, gid, gid) == -1 ||
	    setresuid(uid, uid, uid) == -1)
		return -1;
	/* Paranoia: regaining root must be impossible now. */
	if (uid != 0 && (setuid(0) != -1 || seteuid(0) != -1)) {
		errno = EPERM;
		return -1;
	}
	return 0;
}
