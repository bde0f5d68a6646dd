/*
 * The collector's settings (collector/cconf.c): sizes, listen endpoints,
 * a whole "collector" section resolved into values, command-line flags
 * laid over it, and errors that name the option and the bad value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "collector/cconf.h"
#include "lib/conf.h"

static void
test_cconf_size(void **state)
{
	uint64_t b = 0;

	(void)state;
	assert_int_equal(cconf_parse_size("123", &b), 0);
	assert_int_equal(b, 123);
	assert_int_equal(cconf_parse_size("10K", &b), 0);
	assert_int_equal(b, 10240);
	assert_int_equal(cconf_parse_size("50m", &b), 0);
	assert_int_equal(b, 50ULL << 20);
	assert_int_equal(cconf_parse_size("2GiB", &b), 0);
	assert_int_equal(b, 2ULL << 30);
	assert_int_equal(cconf_parse_size("1TB", &b), 0);
	assert_int_equal(b, 1ULL << 40);
	assert_int_equal(cconf_parse_size("1P", &b), -1);
	assert_int_equal(cconf_parse_size("G", &b), -1);
	assert_int_equal(cconf_parse_size("1GBs", &b), -1);
	assert_int_equal(cconf_parse_size("99999999999T", &b), -1);
}

static void
test_cconf_listen(void **state)
{
	struct cconf_listen l;
	struct errbuf eb;

	(void)state;
	assert_int_equal(cconf_parse_listen("9995", &l, &eb), 0);
	assert_int_equal(l.port, 9995);
	assert_int_equal(l.addr.family, FT_AF_NONE);
	assert_int_equal(cconf_parse_listen("127.0.0.1:2055", &l, &eb), 0);
	assert_int_equal(l.addr.family, FT_AF_INET);
	assert_int_equal(l.addr.v4, 0x7f000001);
	assert_int_equal(l.port, 2055);
	assert_int_equal(cconf_parse_listen("[::1]:4739", &l, &eb), 0);
	assert_int_equal(l.addr.family, FT_AF_INET6);
	assert_int_equal(l.port, 4739);
	assert_int_equal(cconf_parse_listen("::1:4739", &l, &eb), -1);
	assert_non_null(strstr(eb.msg, "\"::1:4739\""));
	assert_int_equal(cconf_parse_listen("70000", &l, &eb), -1);
	assert_int_equal(cconf_parse_listen("10.0.0.1:2055%eth0", &l, &eb), -1);
	assert_non_null(strstr(eb.msg, "multicast"));
	assert_int_equal(cconf_parse_listen("239.1.1.1:2055%", &l, &eb), -1);
	assert_non_null(strstr(eb.msg, "interface"));
}

static const char *conf_ok =
    "collector {\n"
    "  listen = { \"127.0.0.1:2055\", \"[::1]:2055\" }\n"
    "  dir = \"/srv/flows\"\n"
    "  interval = \"5m\"\n"
    "  compress = \"none\"\n"
    "  late_grace = \"90s\"\n"
    "  allow = { \"192.0.2.0/24\" }\n"
    "  expire { max_size = \"50G\" max_age = \"90d\" }\n"
    "}\n";

/* Load text and build; returns cconf_build()'s result (c to be cleared). */
static int
build(const char *text, const struct cconf_cli *cli, struct cconf *c,
    struct errbuf *eb)
{
	cfg_t *cfg = conf_load_string(text, "t.conf", eb);
	int rv;

	assert_non_null(cfg);
	memset(c, 0, sizeof(*c));
	rv = cconf_build(c, cfg, cli, eb);
	conf_free(cfg);
	return rv;
}

static void
test_cconf_build(void **state)
{
	struct cconf c;
	struct errbuf eb;

	(void)state;
	assert_int_equal(build(conf_ok, NULL, &c, &eb), 0);
	assert_int_equal(c.n_listen, 2);
	assert_int_equal(c.listen[1].addr.family, FT_AF_INET6);
	assert_string_equal(c.dir, "/srv/flows");
	assert_int_equal(c.interval, 300);
	assert_int_equal(c.codec, FLOWFILE_CODEC_NONE);
	assert_int_equal(c.late_grace, 90);
	assert_int_equal(c.n_allow, 1);
	assert_true(c.expire_max_bytes == 50ULL << 30);
	assert_int_equal(c.expire_max_age, 90 * 86400);
	assert_false(c.export_time);
	cconf_clear(&c);
}

/* LZ4 unless the file says otherwise; each codec by its name. */
static void
test_cconf_codecs(void **state)
{
	static const struct {
		const char *text;
		enum flowfile_codec codec;
	} ok[] = {
		{ "collector { }", FLOWFILE_CODEC_LZ4 },
		{ "collector { compress = \"lz4\" }", FLOWFILE_CODEC_LZ4 },
		{ "collector { compress = \"zstd\" }", FLOWFILE_CODEC_ZSTD },
		{ "collector { compress = \"none\" }", FLOWFILE_CODEC_NONE },
	};
	struct cconf c;
	struct errbuf eb;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(build(ok[i].text, NULL, &c, &eb), 0);
		assert_int_equal(c.codec, ok[i].codec);
		cconf_clear(&c);
	}
}

static void
test_cconf_cli_overrides(void **state)
{
	struct cconf_cli cli;
	struct cconf c;
	struct errbuf eb;

	(void)state;
	memset(&cli, 0, sizeof(cli));
	cli.listen[0] = "9996";
	cli.n_listen = 1;
	cli.dir = "/tmp/other";
	cli.interval = "60";
	cli.export_time = true;
	assert_int_equal(build(conf_ok, &cli, &c, &eb), 0);
	assert_int_equal(c.n_listen, 1);
	assert_int_equal(c.listen[0].port, 9996);
	assert_string_equal(c.dir, "/tmp/other");
	assert_int_equal(c.interval, 60);
	assert_true(c.export_time);
	cconf_clear(&c);
}

static void
test_cconf_errors(void **state)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "collector { compress = \"lzo\" }", "compress \"lzo\"" },
		{ "collector { zstd_level = 0 }", "zstd_level 0" },
		{ "collector { late_grace = \"2d\" }", "late_grace \"2d\"" },
		{ "collector { allow = { \"10.0.0.300\" } }",
		    "allow \"10.0.0.300\"" },
		{ "collector { listen = { \"x:1\" } }", "listen \"x:1\"" },
		{ "collector { expire { max_size = \"10Q\" } }",
		    "max_size \"10Q\"" },
		{ "collector { expire { max_age = \"soon\" } }",
		    "max_age \"soon\"" },
		{ "collector { queue_size = 1000 }", "queue_size 1000" },
		{ "collector { nest = 2 }", "nest 2" },
	};
	struct cconf c;
	struct errbuf eb;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(build(bad[i].text, NULL, &c, &eb), -1);
		if (strstr(eb.msg, bad[i].want) == NULL)
			fail_msg("%s: \"%s\" does not name %s", bad[i].text,
			    eb.msg, bad[i].want);
		cconf_clear(&c);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cconf_size),
		cmocka_unit_test(test_cconf_listen),
		cmocka_unit_test(test_cconf_build),
		cmocka_unit_test(test_cconf_codecs),
		cmocka_unit_test(test_cconf_cli_overrides),
		cmocka_unit_test(test_cconf_errors),
	};
	return cmocka_run_group_tests_name(
	    "collector_cconf", tests, NULL, NULL);
}
