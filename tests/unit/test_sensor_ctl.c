/*
 * The sensor's control socket: command names and aliases, the socket's
 * life (mode 0660, removed on close, a path too long named), one command
 * per connection with its reply stream, unknown and empty commands
 * answered with an error, and the client against a forked server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl_testutil.h"
#include "sensor/ctl.h"
#include "tdir_testutil.h"

struct cfix {
	struct tdir_fix td;
	char path[128];
	struct ctl *c;
};

static int
setup(void **state)
{
	struct errbuf eb;
	struct cfix *f;

	if (tdir_setup_size(state, "sctl", sizeof(*f)) == -1)
		return -1;
	f = *state;
	snprintf(f->path, sizeof(f->path), "%s/ctl", f->td.dir);
	return (f->c = ctl_open(f->path, &eb)) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	struct cfix *f = *state;

	ctl_close(f->c);
	return tdir_teardown(state);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

static void
test_parse(void **state)
{
	(void)state;
	assert_int_equal(ctl_parse("stats"), CTL_STATS);
	assert_int_equal(ctl_parse("statistics"), CTL_STATS);
	assert_int_equal(ctl_parse("expire-all"), CTL_EXPIRE_ALL);
	assert_int_equal(ctl_parse("expire"), CTL_EXPIRE_ALL);
	assert_int_equal(ctl_parse("shutdown"), CTL_SHUTDOWN);
	assert_int_equal(ctl_parse("dump"), CTL_DUMP);
	assert_int_equal(ctl_parse("dump-flows"), CTL_DUMP);
	assert_int_equal(ctl_parse(""), CTL_NONE);
	assert_int_equal(ctl_parse("STATS"), CTL_NONE);
	assert_int_equal(ctl_parse("stats "), CTL_NONE);
	assert_int_equal(ctl_parse("stat"), CTL_NONE);
}

static void
test_socket_life(void **state)
{
	struct cfix *f = *state;
	struct errbuf eb;
	struct stat st;
	char longp[200];

	assert_int_equal(lstat(f->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0660);
	assert_true(ctl_fd(f->c) >= 0);
	/* Nobody waiting: nothing to do, no reply stream. */
	{
		FILE *out = (FILE *)1;

		assert_int_equal(ctl_accept(f->c, &out), CTL_NONE);
		assert_null(out);
	}
	ctl_close(f->c);
	f->c = NULL;
	assert_int_equal(lstat(f->path, &st), -1);
	ctl_close(NULL);
	memset(longp, 'x', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	memset(&eb, 0, sizeof(eb));
	assert_null(ctl_open(longp, &eb));
	assert_non_null(strstr(eb.msg, "control socket path too long"));
	assert_int_equal(strncmp(eb.msg, longp, 100), 0);
	/* Reopened on the same path. */
	f->c = ctl_open(f->path, &eb);
	assert_non_null(f->c);
}

/* Send text (may be empty) on a new connection, then ctl_accept(). */
static enum ctl_cmd
send_accept(struct cfix *f, const char *text, int *fd, FILE **out)
{
	*fd = ctlt_connect(f->path);
	if (*text != '\0')
		assert_int_equal(
		    write(*fd, text, strlen(text)), (ssize_t)strlen(text));
	else
		shutdown(*fd, SHUT_WR);
	return ctl_accept(f->c, out);
}

static void
test_accept_commands(void **state)
{
	struct cfix *f = *state;
	char buf[512];
	FILE *out;
	int fd;

	assert_int_equal(send_accept(f, "stats\r\n", &fd, &out), CTL_STATS);
	assert_non_null(out);
	fputs("frames 3\n", out);
	ctl_reply_done(out);
	ctlt_read_all(fd, buf, sizeof(buf));
	assert_string_equal(buf, "frames 3\n");
	close(fd);
	/* Only the first line counts. */
	assert_int_equal(
	    send_accept(f, "dump\nshutdown\n", &fd, &out), CTL_DUMP);
	ctl_reply_done(out);
	ctlt_read_all(fd, buf, sizeof(buf));
	assert_string_equal(buf, "");
	close(fd);
	ctl_reply_done(NULL);
}

static void
test_accept_errors(void **state)
{
	struct cfix *f = *state;
	char buf[512], line[128];
	FILE *out;
	int fd;

	assert_int_equal(send_accept(f, "bogus\n", &fd, &out), CTL_NONE);
	assert_null(out);
	ctlt_read_all(fd, buf, sizeof(buf));
	assert_string_equal(buf,
	    "error: unknown command \"bogus\" (stats, expire-all, shutdown, "
	    "dump)\n");
	close(fd);
	/* Nothing sent: answered too. */
	assert_int_equal(send_accept(f, "", &fd, &out), CTL_NONE);
	ctlt_read_all(fd, buf, sizeof(buf));
	assert_string_equal(buf,
	    "error: unknown command \"\" (stats, expire-all, shutdown, "
	    "dump)\n");
	close(fd);
	/* A long line: the command quoted is cut to 40 characters. */
	memset(line, 'a', sizeof(line) - 2);
	line[sizeof(line) - 2] = '\n';
	line[sizeof(line) - 1] = '\0';
	assert_int_equal(send_accept(f, line, &fd, &out), CTL_NONE);
	ctlt_read_all(fd, buf, sizeof(buf));
	assert_string_equal(buf,
	    "error: unknown command \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\" "
	    "(stats, expire-all, shutdown, dump)\n");
	close(fd);
}

/* The client against a server in a child process. */
static void
test_client(void **state)
{
	struct cfix *f = *state;
	struct errbuf eb = { "" };
	struct pollfd pfd = { ctl_fd(f->c), POLLIN, 0 };
	char *text = NULL, missing[160];
	size_t len = 0;
	FILE *fp;
	pid_t pid;
	int st;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		FILE *out;
		enum ctl_cmd cmd = CTL_NONE;

		if (poll(&pfd, 1, 5000) == 1)
			cmd = ctl_accept(f->c, &out);
		if (cmd != CTL_NONE) {
			fprintf(out, "cmd %d\n", (int)cmd);
			ctl_reply_done(out);
		}
		_exit(cmd == CTL_EXPIRE_ALL ? 0 : 1);
	}
	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	assert_int_equal(ctl_client(f->path, "expire", fp, &eb), 0);
	fclose(fp);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_string_equal(text, "cmd 2\n");
	free(text);
	/* No server: the error names the socket. */
	snprintf(missing, sizeof(missing), "%s/none", f->td.dir);
	assert_int_equal(ctl_client(missing, "stats", stdout, &eb), -1);
	assert_int_equal(strncmp(eb.msg, missing, strlen(missing)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		T(test_socket_life),
		T(test_accept_commands),
		T(test_accept_errors),
		T(test_client),
	};

	return cmocka_run_group_tests_name("sensor_ctl", tests, NULL, NULL);
}
