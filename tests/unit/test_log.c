/*
 * Tests for lib/log.c and lib/errbuf.c: foreground logging writes one line
 * per event to stderr with the program name (and errno text for log_warn),
 * debug only when verbose; errbuf formats and truncates safely.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/errbuf.h"
#include "lib/log.h"

/* Run fn with stderr redirected to a file; return what it wrote. */
static char *
capture(void (*fn)(void))
{
	static char out[4096];
	char path[] = "/tmp/ft_log.XXXXXX";
	int fd, saved;
	ssize_t n;

	fflush(stderr);
	assert_true((fd = mkstemp(path)) != -1);
	assert_true((saved = dup(STDERR_FILENO)) != -1);
	assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	fn();
	fflush(stderr);
	assert_int_equal(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	n = pread(fd, out, sizeof(out) - 1, 0);
	assert_true(n >= 0);
	out[n] = '\0';
	close(fd);
	unlink(path);
	return out;
}

static void
emit_levels(void)
{
	log_init("ft-test", 1, 0);
	log_setverbose(0);
	log_info("started %d", 1);
	log_warnx("exporter %s: gap %u", "192.0.2.1", 7u);
	log_debug("hidden");
	errno = ENOENT;
	log_warn("open %s", "/x");
	log_setverbose(1);
	log_debug("shown");
	log_setverbose(0);
}

static void
test_log_stderr_lines(void **state)
{
	const char *out;

	(void)state;
	out = capture(emit_levels);
	assert_string_equal(out,
	    "ft-test: started 1\n"
	    "ft-test: exporter 192.0.2.1: gap 7\n"
	    "ft-test: open /x: No such file or directory\n"
	    "ft-test: shown\n");
	assert_int_equal(log_getverbose(), 0);
}

static void
emit_errno_kept(void)
{
	log_init("ft-test", 1, 0);
	errno = EACCES;
	log_warn("first");
	/* log_warn leaves errno alone for the caller. */
	assert_int_equal(errno, EACCES);
}

static void
test_log_keeps_errno(void **state)
{
	(void)state;
	assert_string_equal(
	    capture(emit_errno_kept), "ft-test: first: Permission denied\n");
}

static void
emit_long(void)
{
	char big[5000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_init("ft-test", 1, 0);
	log_info("%s", big);
}

static void
test_log_long_message_truncated(void **state)
{
	const char *out;

	(void)state;
	out = capture(emit_long);
	/* One line, cut but terminated. */
	assert_true(strlen(out) > 1000);
	assert_true(strlen(out) < 4096);
	assert_int_equal(out[strlen(out) - 1], '\n');
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
}

static void
test_errbuf(void **state)
{
	struct errbuf eb;
	char big[1000];

	(void)state;
	errbuf_set(&eb, "%s:%d: %s", "f.conf", 12, "unknown option 'prot'");
	assert_string_equal(eb.msg, "f.conf:12: unknown option 'prot'");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	errbuf_set(&eb, "%s", big);
	assert_int_equal(strlen(eb.msg), sizeof(eb.msg) - 1);
	errbuf_set(NULL, "%s", "ignored");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_stderr_lines),
		cmocka_unit_test(test_log_keeps_errno),
		cmocka_unit_test(test_log_long_message_truncated),
		cmocka_unit_test(test_errbuf),
	};
	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
