/*
 * Control sockets: lib/ctlsock (stale socket replaced, live one and a
 * non-socket refused, mode 0660, the client) and the collector's
 * non-blocking server (a line in pieces, many clients, an idle client
 * dropped after its timeout, never blocking).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/cctl.h"
#include "ctl_testutil.h"
#include "lib/ctlsock.h"
#include "tdir_testutil.h"

static char dir[64];
static char path[128];

static int
setup(void **state)
{
	(void)state;
	assert_int_equal(tdir_make(dir, sizeof(dir), "cctl"), 0);
	snprintf(path, sizeof(path), "%s/s", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	(void)tdir_remove(dir);
	return 0;
}

static int
echo_cmd(void *arg, const char *cmd, FILE *out)
{
	(*(int *)arg)++;
	if (strcmp(cmd, "big") == 0) {
		for (int i = 0; i < 20000; i++)
			fprintf(out, "line %d of a long answer\n", i);
		return 0;
	}
	fprintf(out, "got [%s]\n", cmd);
	return 0;
}

static void
test_ctlsock_stale_live_and_mode(void **state)
{
	struct errbuf eb;
	struct stat st;
	int fd, fd2;

	(void)state;
	/* A regular file in the way is not removed. */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	assert_int_equal(ctlsock_listen(path, (uid_t)-1, (gid_t)-1, &eb), -1);
	assert_non_null(strstr(eb.msg, "not a socket"));
	unlink(path);
	/* A stale socket (bound, nobody listening) is replaced. */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	{
		struct sockaddr_un sun = { .sun_family = AF_UNIX };

		strcpy(sun.sun_path, path);
		assert_int_equal(
		    bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	}
	close(fd);
	fd = ctlsock_listen(path, (uid_t)-1, (gid_t)-1, &eb);
	assert_true(fd >= 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0660);
	assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
	/* A live one is refused and left alone. */
	fd2 = ctlsock_listen(path, (uid_t)-1, (gid_t)-1, &eb);
	assert_int_equal(fd2, -1);
	assert_non_null(strstr(eb.msg, "another process is listening"));
	assert_int_equal(stat(path, &st), 0);
	close(fd);
}

static void
test_cctl_line_in_pieces_and_many_clients(void **state)
{
	struct errbuf eb;
	struct cctl *c;
	char buf[256];
	int fd, calls = 0, k[CCTL_MAX_CLIENTS], i;
	ssize_t n;

	(void)state;
	fd = ctlsock_listen(path, (uid_t)-1, (gid_t)-1, &eb);
	assert_true(fd >= 0);
	assert_non_null(c = cctl_new(fd, path, echo_cmd, &calls));
	k[0] = ctlt_connect(path);
	assert_int_equal(write(k[0], "sta", 3), 3);
	cctl_service(c, 1000); /* half a line: no answer, no blocking */
	assert_int_equal(calls, 0);
	assert_int_equal(cctl_clients(c), 1);
	for (i = 1; i < CCTL_MAX_CLIENTS; i++) {
		k[i] = ctlt_connect(path);
		assert_int_equal(write(k[i], "help\n", 5), 5);
	}
	cctl_service(c, 1001);
	assert_int_equal(calls, CCTL_MAX_CLIENTS - 1);
	for (i = 1; i < CCTL_MAX_CLIENTS; i++) {
		n = read(k[i], buf, sizeof(buf) - 1);
		assert_true(n > 0);
		buf[n] = '\0';
		assert_string_equal(buf, "got [help]\n");
		close(k[i]);
	}
	assert_int_equal(write(k[0], "ts json\r\n", 9), 9);
	cctl_service(c, 1002);
	n = read(k[0], buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "got [stats json]\n");
	close(k[0]);
	cctl_service(c, 1003);
	assert_int_equal(cctl_clients(c), 0);
	cctl_free(c);
	/* The socket is removed. */
	assert_int_equal(access(path, F_OK), -1);
}

static void
test_cctl_idle_and_unread_clients_are_dropped(void **state)
{
	struct errbuf eb;
	struct cctl *c;
	int fd, calls = 0, idle, slow;

	(void)state;
	fd = ctlsock_listen(path, (uid_t)-1, (gid_t)-1, &eb);
	assert_true(fd >= 0);
	assert_non_null(c = cctl_new(fd, path, echo_cmd, &calls));
	idle = ctlt_connect(path);
	slow = ctlt_connect(path);
	/* An answer larger than the socket buffers, never read. */
	assert_int_equal(write(slow, "big\n", 4), 4);
	cctl_service(c, 1000);
	assert_int_equal(calls, 1);
	assert_int_equal(cctl_clients(c), 2);
	cctl_service(c, 1000 + CCTL_TIMEOUT_MS - 1);
	assert_int_equal(cctl_clients(c), 2);
	cctl_service(c, 1000 + CCTL_TIMEOUT_MS);
	assert_int_equal(cctl_clients(c), 0);
	close(idle);
	close(slow);
	cctl_free(c);
}

static void
test_ctlsock_client(void **state)
{
	struct errbuf eb;
	FILE *fp;
	char *text = NULL;
	size_t len = 0;

	(void)state;
	fp = open_memstream(&text, &len);
	assert_int_equal(ctlsock_client(path, "stats", fp, &eb), -1);
	fclose(fp);
	free(text);
	assert_non_null(strstr(eb.msg, path));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_ctlsock_stale_live_and_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_cctl_line_in_pieces_and_many_clients, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_cctl_idle_and_unread_clients_are_dropped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_ctlsock_client, setup, teardown),
	};

	return cmocka_run_group_tests_name("collector_cctl", tests, NULL, NULL);
}
