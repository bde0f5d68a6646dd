/*
 * Tests for lib/conf.c: the shipped etc/flowtally.conf parses, errors name
 * the file and line (unknown keys, bad values, duplicate titles, unclosed
 * sections), and the defaults and the printer work.
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

#include "lib/conf.h"

static void
test_conf_shipped_file_parses(void **state)
{
	struct errbuf eb = { { 0 } };
	char path[4096];
	const char *src = getenv("FT_SRCDIR");
	cfg_t *cfg;

	(void)state;
	assert_non_null(src);
	snprintf(path, sizeof(path), "%s/etc/flowtally.conf", src);
	cfg = conf_load(path, &eb);
	if (cfg == NULL)
		fail_msg("%s", eb.msg);
	/* Every section every program reads is there. */
	assert_non_null(cfg_getsec(cfg, "log"));
	assert_non_null(cfg_getsec(cfg, "sensor"));
	assert_non_null(cfg_getsec(cfg, "collector"));
	assert_non_null(cfg_getsec(cfg, "scanner"));
	assert_non_null(cfg_getsec(cfg, "cgi"));
	conf_free(cfg);
}

/* Parse text expecting failure; eb receives the message. */
static void
expect_error(const char *text, const char *want)
{
	struct errbuf eb;
	cfg_t *cfg;

	memset(&eb, 0, sizeof(eb));
	cfg = conf_load_string(text, "test.conf", &eb);
	if (cfg != NULL) {
		conf_free(cfg);
		fail_msg("accepted: %s", text);
	}
	if (strstr(eb.msg, want) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", eb.msg, want);
}

static void
test_conf_unknown_key_names_line(void **state)
{
	(void)state;
	expect_error("log {\n\tverbose = 1\n}\nbogus = 1\n",
	    "test.conf:4: no such option 'bogus'");
	/* Inside a section too, where libconfuse knows no file name. */
	expect_error("\n\nlog {\n\tverbose = 1\n\tprot = 2\n}\n",
	    "test.conf:5: no such option 'prot'");
	expect_error("sensor {\n}\ncollector {\n\tx = 1\n}\n",
	    "test.conf:4: no such option 'x'");
}

static void
test_conf_bad_values(void **state)
{
	(void)state;
	expect_error("log {\n\tverbose = \"lots\"\n}\n",
	    "test.conf:2: invalid integer value for option 'verbose'");
	expect_error(
	    "log { verbose = 99999999999999999999999 }\n", "test.conf:1:");
	expect_error("multicast = maybe\n",
	    "test.conf:1: invalid boolean value for option 'multicast'");
	expect_error("network \"a\" {\n}\nnetwork \"a\" {\n}\n",
	    "test.conf:3: found duplicate title 'a'");
	expect_error("log = 1\n", "test.conf:1:");
	expect_error("}\n", "test.conf:1: unexpected closing brace");
}

static void
test_conf_unclosed(void **state)
{
	(void)state;
	/* libconfuse alone would accept these. */
	expect_error("log {\n", "test.conf:1: '{' is never closed");
	expect_error("log {\n\tverbose = 1\n\nsensor {\n}\n",
	    "test.conf:1: '{' is never closed");
	expect_error("log { facility = \"daemon }\n", "unterminated string");
	expect_error("/* comment\nlog {}\n", "unterminated comment");
	/* Braces in strings and comments do not count. */
	{
		struct errbuf eb = { { 0 } };
		cfg_t *cfg = conf_load_string("# {\n// {\n/* { */\nlog {\n"
					      "\tfacility = \"lo{cal0\"\n}\n",
		    "ok.conf", &eb);

		if (cfg == NULL)
			fail_msg("%s", eb.msg);
		assert_string_equal(
		    cfg_getstr(cfg_getsec(cfg, "log"), "facility"), "lo{cal0");
		conf_free(cfg);
	}
}

static void
test_conf_missing_file(void **state)
{
	struct errbuf eb = { { 0 } };

	(void)state;
	assert_null(conf_load("/nonexistent/flowtally.conf", &eb));
	assert_string_equal(
	    eb.msg, "/nonexistent/flowtally.conf: No such file or directory");
	assert_null(conf_load("/", &eb));
	assert_non_null(strstr(eb.msg, "/: "));
	/* No errbuf at all is allowed. */
	assert_null(conf_load_string("bogus = 1", "x", NULL));
}

static void
test_conf_nul_byte(void **state)
{
	struct errbuf eb = { { 0 } };
	char path[] = "/tmp/ft_conf.XXXXXX";
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	assert_int_equal(write(fd, "log {}\0bogus = 1\n", 17), 17);
	close(fd);
	assert_null(conf_load(path, &eb));
	assert_non_null(strstr(eb.msg, "NUL byte"));
	unlink(path);
}

static void
test_conf_default_and_print(void **state)
{
	cfg_t *cfg;
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	assert_non_null(cfg = conf_default());
	assert_int_equal(cfg_getint(cfg_getsec(cfg, "log"), "verbose"), 0);
	assert_string_equal(
	    cfg_getstr(cfg_getsec(cfg, "log"), "facility"), "daemon");
	assert_non_null(fp = open_memstream(&out, &len));
	assert_int_equal(conf_print(cfg, fp), 0);
	fclose(fp);
	assert_non_null(strstr(out, "log {"));
	assert_non_null(strstr(out, "facility=\"daemon\""));
	assert_non_null(strstr(out, "scanner {"));
	conf_free(cfg);

	/* The printed configuration parses back. */
	{
		struct errbuf eb = { { 0 } };
		cfg_t *again = conf_load_string(out, "printed", &eb);

		if (again == NULL)
			fail_msg("%s", eb.msg);
		conf_free(again);
	}
	free(out);
	assert_string_equal(conf_default_path() + strlen(conf_default_path()) -
		strlen("/flowtally.conf"),
	    "/flowtally.conf");
	conf_free(NULL);
}

static void
test_conf_values_read_back(void **state)
{
	struct errbuf eb = { { 0 } };
	cfg_t *cfg, *net;

	(void)state;
	cfg =
	    conf_load_string("log { verbose = 2 }\n"
			     "subnets = { \"10.0.0.0/8\", \"2001:db8::/32\" }\n"
			     "network \"campus\" {\n"
			     "\tprefixes = { \"10.1.0.0/16\" }\n"
			     "}\n",
		"values.conf", &eb);
	if (cfg == NULL)
		fail_msg("%s", eb.msg);
	assert_int_equal(cfg_getint(cfg_getsec(cfg, "log"), "verbose"), 2);
	assert_int_equal(cfg_size(cfg, "subnets"), 2);
	assert_string_equal(cfg_getnstr(cfg, "subnets", 1), "2001:db8::/32");
	assert_int_equal(cfg_size(cfg, "network"), 1);
	net = cfg_getnsec(cfg, "network", 0);
	assert_string_equal(cfg_title(net), "campus");
	assert_string_equal(cfg_getnstr(net, "prefixes", 0), "10.1.0.0/16");
	conf_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf_shipped_file_parses),
		cmocka_unit_test(test_conf_unknown_key_names_line),
		cmocka_unit_test(test_conf_bad_values),
		cmocka_unit_test(test_conf_unclosed),
		cmocka_unit_test(test_conf_missing_file),
		cmocka_unit_test(test_conf_nul_byte),
		cmocka_unit_test(test_conf_default_and_print),
		cmocka_unit_test(test_conf_values_read_back),
	};
	return cmocka_run_group_tests_name("conf", tests, NULL, NULL);
}
