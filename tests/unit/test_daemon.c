/*
 * Tests for lib/daemon.c: the pidfile (create, refusal while another live
 * process holds it, stale replacement, removal), signal flags, privilege
 * drop and detaching, each risky step in a forked child.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/daemon.h"
#include "tdir_testutil.h"

struct fix {
	struct tdir_fix
	    d; /* first, for tdir_setup_size() and tdir_teardown() */
	char pidfile[128];
};

static int
setup(void **state)
{
	struct fix *t;

	if (tdir_setup_size(state, "daemon", sizeof(*t)) == -1)
		return -1;
	t = *state;
	snprintf(t->pidfile, sizeof(t->pidfile), "%s/test.pid", t->d.dir);
	return 0;
}

/* The pid in path, or -1. */
static long
read_pid(const char *path)
{
	FILE *fp = fopen(path, "r");
	long v = -1;

	if (fp == NULL)
		return -1;
	if (fscanf(fp, "%ld", &v) != 1)
		v = -1;
	fclose(fp);
	return v;
}

static void
test_daemon_pidfile_create_remove(void **state)
{
	struct fix *t = *state;

	assert_int_equal(daemon_pidfile_write(t->pidfile), 0);
	assert_int_equal(read_pid(t->pidfile), (long)getpid());
	/* Writing again from the owner just refreshes it. */
	assert_int_equal(daemon_pidfile_write(t->pidfile), 0);
	assert_int_equal(read_pid(t->pidfile), (long)getpid());
	daemon_pidfile_remove(t->pidfile);
	assert_int_equal(access(t->pidfile, F_OK), -1);
	/* Removing twice is harmless. */
	daemon_pidfile_remove(t->pidfile);
}

static void
test_daemon_pidfile_second_instance(void **state)
{
	struct fix *t = *state;
	int ready[2], done[2];
	char c = 0;
	pid_t pid;
	int status;

	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(done), 0);
	if ((pid = fork()) == 0) {
		/* The "first instance": holds the pidfile until told. */
		close(ready[0]);
		close(done[1]);
		c = daemon_pidfile_write(t->pidfile) == 0 ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1)
			_exit(2);
		if (read(done[0], &c, 1) < 0)
			_exit(2);
		_exit(0); /* dies without removing: leaves a stale file */
	}
	assert_true(pid > 0);
	close(ready[1]);
	close(done[0]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_int_equal(c, 'y');
	assert_int_equal(read_pid(t->pidfile), (long)pid);

	errno = 0;
	assert_int_equal(daemon_pidfile_write(t->pidfile), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(read_pid(t->pidfile), (long)pid);

	/* The first instance exits uncleanly: its file is now stale. */
	assert_int_equal(write(done[1], "x", 1), 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(read_pid(t->pidfile), (long)pid);
	assert_int_equal(daemon_pidfile_write(t->pidfile), 0);
	assert_int_equal(read_pid(t->pidfile), (long)getpid());
	daemon_pidfile_remove(t->pidfile);
	close(ready[0]);
	close(done[1]);
}

static void
test_daemon_pidfile_stale_garbage(void **state)
{
	struct fix *t = *state;
	FILE *fp;

	/* A long pid left by nobody holding a lock, and junk after it. */
	assert_non_null(fp = fopen(t->pidfile, "w"));
	fprintf(fp, "1234567890123\ngarbage garbage garbage\n");
	fclose(fp);
	assert_int_equal(daemon_pidfile_write(t->pidfile), 0);
	assert_int_equal(read_pid(t->pidfile), (long)getpid());
	daemon_pidfile_remove(t->pidfile);
	assert_int_equal(access(t->pidfile, F_OK), -1);
}

static void
test_daemon_pidfile_bad_dir(void **state)
{
	(void)state;
	errno = 0;
	assert_int_equal(daemon_pidfile_write("/nonexistent/dir/x.pid"), -1);
	assert_int_equal(errno, ENOENT);
}

static void
test_daemon_signal_flags(void **state)
{
	sigset_t orig, now;

	(void)state;
	daemon_quit = daemon_reload = daemon_usr1 = 0;
	assert_int_equal(daemon_signals(&orig), 0);
	/* Blocked on return: raising only makes them pending. */
	assert_int_equal(sigprocmask(SIG_BLOCK, NULL, &now), 0);
	assert_true(sigismember(&now, SIGTERM));
	assert_true(sigismember(&now, SIGHUP));
	assert_int_equal(raise(SIGTERM), 0);
	assert_int_equal(raise(SIGHUP), 0);
	assert_int_equal(raise(SIGUSR1), 0);
	assert_int_equal(daemon_quit, 0);
	/* Unblocking (what ppoll does with orig) delivers them. */
	assert_int_equal(sigprocmask(SIG_SETMASK, &orig, NULL), 0);
	assert_int_equal(daemon_quit, 1);
	assert_int_equal(daemon_reload, 1);
	assert_int_equal(daemon_usr1, 1);
	daemon_quit = 0;
	assert_int_equal(raise(SIGINT), 0);
	assert_int_equal(daemon_quit, 1);
	/* SIGPIPE is ignored. */
	assert_int_equal(raise(SIGPIPE), 0);
	daemon_quit = daemon_reload = daemon_usr1 = 0;
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
}

static void
test_daemon_drop_privs(void **state)
{
	struct passwd *pw;
	pid_t pid;
	int status;

	(void)state;
	/* Empty or NULL user: nothing to do. */
	assert_int_equal(daemon_drop_privs(NULL, NULL), 0);
	assert_int_equal(daemon_drop_privs("", NULL), 0);
	if (geteuid() != 0) {
		/* Not root: a no-op even for a user that does not exist. */
		assert_int_equal(daemon_drop_privs("no-such-user-ft", NULL), 0);
		skip();
	}
	errno = 0;
	assert_int_equal(daemon_drop_privs("no-such-user-ft", NULL), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(geteuid(), 0);
	if ((pw = getpwnam("nobody")) == NULL)
		skip();
	if ((pid = fork()) == 0) {
		if (daemon_drop_privs("nobody", "/") == -1)
			_exit(1);
		if (getuid() != pw->pw_uid || geteuid() != pw->pw_uid ||
		    getgid() != pw->pw_gid)
			_exit(2);
		if (setuid(0) != -1 || getgroups(0, NULL) != 1)
			_exit(3);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_daemon_detach(void **state)
{
	struct fix *t = *state;
	char path[160];
	pid_t pid;
	int status, fd, i;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	snprintf(path, sizeof(path), "%s/detached", t->d.dir);
	if ((pid = fork()) == 0) {
		if (daemon_pidfile_write(t->pidfile) == -1)
			_exit(5);
		if (daemon_detach() == -1)
			_exit(1);
		/* The grandchild: new session, stdio on /dev/null, in /. */
		if (getsid(0) == getpid() || isatty(STDIN_FILENO))
			_exit(2);
		/* It holds the pidfile, which now names it. */
		if (read_pid(t->pidfile) != (long)getpid())
			_exit(6);
		if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) == -1)
			_exit(3);
		if (write(fd, "ok", 2) != 2)
			_exit(4);
		close(fd);
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* Wait (bounded) for the detached grandchild to leave its mark. */
	for (i = 0; i < 500 && access(path, F_OK) == -1; i++)
		nanosleep(&ts, NULL);
	assert_int_equal(access(path, F_OK), 0);
	/* Once it has exited, its pidfile is stale and can be taken. */
	for (i = 0; i < 500 && daemon_pidfile_write(t->pidfile) == -1; i++) {
		assert_int_equal(errno, EEXIST);
		nanosleep(&ts, NULL);
	}
	assert_int_equal(read_pid(t->pidfile), (long)getpid());
	daemon_pidfile_remove(t->pidfile);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_daemon_pidfile_create_remove, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_daemon_pidfile_second_instance, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_daemon_pidfile_stale_garbage, setup, tdir_teardown),
		cmocka_unit_test(test_daemon_pidfile_bad_dir),
		cmocka_unit_test(test_daemon_signal_flags),
		cmocka_unit_test(test_daemon_drop_privs),
		cmocka_unit_test_setup_teardown(
		    test_daemon_detach, setup, tdir_teardown),
	};
	return cmocka_run_group_tests_name("daemon", tests, NULL, NULL);
}
