/*
 * End-to-end tests of the scoreboard through its API (scanner/board.h): a
 * fixed host table published into a temporary directory, compared with the
 * golden HTML and JSON in tests/data/board/ (FT_REGEN=1 rewrites them),
 * validated by html5lib in strict mode, with hostile reverse-DNS names
 * injected through the resolver hook, rates over a 600 s interval, the
 * history tree and index, and a resolver that never stalls the caller.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/conf.h"
#include "scanner/board_int.h"
#include "tdir_testutil.h"

/* The parts of the real schema the scoreboard reads. */
static cfg_opt_t t_net_opts[] = {
	CFG_STR_LIST("prefixes", NULL, CFGF_NONE),
	CFG_END(),
};
static cfg_opt_t t_scanner_opts[] = {
	CFG_SEC("scoreboard", conf_board_opts, CFGF_NONE),
	CFG_END(),
};
static cfg_opt_t t_top_opts[] = {
	CFG_SEC("network", t_net_opts, CFGF_MULTI | CFGF_TITLE),
	CFG_SEC("scanner", t_scanner_opts, CFGF_NONE),
	CFG_END(),
};

static char tdir[256];

static cfg_t *
t_config(const char *scoreboard_extra)
{
	char text[2048];
	cfg_t *cfg = cfg_init(t_top_opts, CFGF_NONE);

	snprintf(text, sizeof(text),
	    "network \"lan\" { prefixes = { \"10.0.0.0/8\" } }\n"
	    "network \"v6 & <co>\" { prefixes = { \"2001:db8::/32\" } }\n"
	    "network \"servers\" { prefixes = { \"10.1.0.0/16\" } }\n"
	    "scanner { scoreboard {\n"
	    "  top = 3\n  dir = \"%s\"\n  aggregate = 4\n"
	    "  graph_url = \"/cgi-bin/flowtally.cgi\"\n"
	    "  title = \"Example <NOC>\"\n  %s\n} }\n",
	    tdir, scoreboard_extra);
	assert_non_null(cfg);
	assert_int_equal(cfg_parse_buf(cfg, text), CFG_SUCCESS);
	return cfg;
}

static char *
t_read(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *p;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	p = calloc(1, (size_t)n + 1);
	if (fread(p, 1, (size_t)n, fp) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(fp);
	return p;
}

static char long_name[600];

/* Names for the test hosts: hostile markup, quotes, a very long one. */
static int
t_resolver(const struct ft_addr *a, char *buf, size_t len, void *arg)
{
	(void)arg;
	if (a->family == FT_AF_INET && a->v4 == 0x0a000001)
		snprintf(buf, len, "<script>alert('x')</script>\"&.example");
	else if (a->family == FT_AF_INET && a->v4 == 0x0a010002)
		snprintf(buf, len, "%s", long_name);
	else if (a->family == FT_AF_INET && a->v4 == 0x0a000003)
		snprintf(buf, len, "ctl\x01\x7f\xc3\xa9.example");
	else if (a->family == FT_AF_INET6)
		snprintf(buf, len, "v6host.example");
	else
		return -1;
	return 0;
}

static void
t_fill(struct hosttab *t, struct board_totals *tot)
{
	uint8_t six[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x42 };
	struct ft_addr a;

	memset(tot, 0, sizeof(*tot));
	ft_addr_set_v4(&a, 0x0a000001);
	hosttab_add(t, &a, HOST_IN, 75000, 600, 60);
	hosttab_add(t, &a, HOST_OUT, 1500, 30, 6);
	ft_addr_set_v4(&a, 0x0a010002);
	hosttab_add(t, &a, HOST_IN, 75000, 300, 6);
	ft_addr_set_v4(&a, 0x0a000003);
	hosttab_add(t, &a, HOST_IN, 30000, 1200, 12);
	hosttab_add(t, &a, HOST_OUT, 60000000, 45000, 600);
	ft_addr_set_v4(&a, 0xc0a80001); /* in no network */
	hosttab_add(t, &a, HOST_IN, 10, 1, 1);
	ft_addr_set_v6(&a, six);
	hosttab_add(t, &a, HOST_OUT, 1200000, 1000, 3);
	tot->bytes[HOST_IN] = 300000;
	tot->pkts[HOST_IN] = 3000;
	tot->flows[HOST_IN] = 120;
	tot->bytes[HOST_OUT] = 123456789;
	tot->pkts[HOST_OUT] = 60000;
	tot->flows[HOST_OUT] = 0; /* a zero total gives 0 % */
}

static void
t_golden(const char *got_path, const char *name)
{
	char path[1024], *got, *want;
	const char *src = getenv("FT_SRCDIR");

	assert_non_null(src);
	got = t_read(got_path);
	assert_non_null(got);
	snprintf(path, sizeof(path), "%s/tests/data/board/%s", src, name);
	if (getenv("FT_REGEN")) {
		FILE *fp = fopen(path, "wb");

		assert_non_null(fp);
		fputs(got, fp);
		fclose(fp);
	}
	want = t_read(path);
	assert_non_null(want);
	if (strcmp(got, want) != 0)
		fail_msg("%s differs from %s (FT_REGEN=1 to regenerate)",
		    got_path, path);
	free(got);
	free(want);
}

static void
t_validate(const char *files)
{
	char cmd[8192];
	int n;

	n = snprintf(cmd, sizeof(cmd),
	    "/usr/bin/python3 %s/tests/data/board/validate_html.py %s",
	    getenv("FT_SRCDIR"), files);
	assert_true(n > 0 && (size_t)n < sizeof(cmd));
	assert_int_equal(system(cmd), 0);
}

static int
t_setup(void **state)
{
	(void)state;
	return tdir_make(tdir, sizeof(tdir), "board");
}

static int
t_teardown(void **state)
{
	(void)state;
	return tdir_remove(tdir);
}

/* 2026-11-25 13:05:00 UTC, a 600 s interval. */
#define T_START 1795611900ULL

static void
test_board_pages_golden(void **state)
{
	struct hosttab *t = hosttab_new(64);
	struct board_totals tot;
	struct errbuf eb;
	struct board *b;
	cfg_t *cfg;
	char p[1024], files[4096], *html, *json;

	(void)state;
	memset(long_name, 'x', sizeof(long_name) - 1);
	memcpy(long_name, "<b>", 3);
	cfg = t_config("rdns = true\n  rdns_wait = 5000");
	b = board_new(cfg, "test.conf", &eb);
	assert_non_null(b);
	assert_true(board_enabled(b));
	board_set_resolver(b, t_resolver, NULL);
	t_fill(t, &tot);
	if (board_interval(b, t, &tot, T_START, T_START + 600, &eb) != 0)
		fail_msg("board_interval: %s", eb.msg);

	snprintf(p, sizeof(p), "%s/current.html", tdir);
	t_golden(p, "current.html");
	html = t_read(p);
	snprintf(p, sizeof(p), "%s/current.json", tdir);
	t_golden(p, "current.json");
	json = t_read(p);
	snprintf(p, sizeof(p), "%s/overall.html", tdir);
	t_golden(p, "overall.html");
	snprintf(p, sizeof(p), "%s/overall.json", tdir);
	t_golden(p, "overall.json");

	/* Rates over the real 600 s and shares of the direction's total. */
	assert_non_null(strstr(json, "\"address\":\"10.0.0.1\""));
	assert_non_null(strstr(json,
	    "\"bytes\":75000,\"bits_per_s\":1000.000,\"bytes_pct\":25.000"));
	assert_non_null(strstr(json,
	    "\"flows\":600,\"flows_per_s\":1.000,"
	    "\"flows_pct\":0.000"));
	assert_non_null(strstr(html, "1.0 k <span class=\"pct\">(25.0%)"));
	/* Hostile names escaped, control bytes replaced, long names cut. */
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<b>"));
	assert_non_null(strstr(html,
	    "&lt;script&gt;alert(&#39;x&#39;)"
	    "&lt;/script&gt;&quot;&amp;.example"));
	assert_non_null(strstr(html, "ctl????.example"));
	assert_non_null(strstr(json, "\\u003cscript\\u003ealert('x')"));
	assert_null(strstr(html,
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
	/* Network links, label percent-encoded then HTML-escaped. */
	assert_non_null(strstr(html,
	    "<a href=\"/cgi-bin/flowtally.cgi?network=v6%20%26%20%3Cco%3E\">"
	    "v6 &amp; &lt;co&gt;</a>"));
	assert_non_null(strstr(html, "?network=servers\">servers</a>"));
	free(html);
	free(json);

	/* History page, day index and history index. */
	snprintf(p, sizeof(p), "%s/history/2026/2026-11-25/130500Z.json", tdir);
	assert_int_equal(access(p, R_OK), 0);
	snprintf(files, sizeof(files),
	    "%s/current.html %s/overall.html %s/history/index.html "
	    "%s/history/2026/2026-11-25/index.html "
	    "%s/history/2026/2026-11-25/130500Z.html %s/current.json "
	    "%s/overall.json %s/history/index.json "
	    "%s/history/2026/2026-11-25/index.json",
	    tdir, tdir, tdir, tdir, tdir, tdir, tdir, tdir, tdir);
	t_validate(files);
	snprintf(p, sizeof(p), "%s/history/2026/2026-11-25/index.html", tdir);
	html = t_read(p);
	assert_non_null(strstr(html, "<a href=\"130500Z.html\">13:05:00</a>"));
	free(html);
	snprintf(p, sizeof(p), "%s/history/index.html", tdir);
	html = t_read(p);
	assert_non_null(strstr(
	    html, "<a href=\"2026/2026-11-25/index.html\">2026-11-25</a>"));
	free(html);
	board_free(b);
	cfg_free(cfg);
	hosttab_free(t);
}

/* History retention: days older than history_days go, newer stay. */
static void
test_board_pages_retention(void **state)
{
	struct hosttab *t = hosttab_new(64);
	struct board_totals tot;
	struct errbuf eb;
	struct board *b;
	cfg_t *cfg;
	char p[1024];
	int i;

	(void)state;
	cfg = t_config("history_days = 2\n aggregate = 0");
	b = board_new(cfg, "test.conf", &eb);
	assert_non_null(b);
	t_fill(t, &tot);
	for (i = 0; i < 4; i++)
		assert_int_equal(
		    board_interval(b, t, &tot, T_START + (uint64_t)i * 86400,
			T_START + (uint64_t)i * 86400 + 300, &eb),
		    0);
	/* Days 25, 26 gone; 27 and 28 kept (today and the day before). */
	snprintf(p, sizeof(p), "%s/history/2026/2026-11-26", tdir);
	assert_int_not_equal(access(p, F_OK), 0);
	snprintf(p, sizeof(p), "%s/history/2026/2026-11-27/130500Z.html", tdir);
	assert_int_equal(access(p, F_OK), 0);
	snprintf(p, sizeof(p), "%s/overall.html", tdir);
	assert_int_not_equal(access(p, F_OK), 0); /* aggregate off */
	board_free(b);
	cfg_free(cfg);
	hosttab_free(t);
}

/* A resolver that blocks until released. */
static pthread_mutex_t slow_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slow_cv = PTHREAD_COND_INITIALIZER;
static int slow_go;

static int
t_slow(const struct ft_addr *a, char *buf, size_t len, void *arg)
{
	(void)a;
	(void)arg;
	pthread_mutex_lock(&slow_mu);
	while (!slow_go)
		pthread_cond_wait(&slow_cv, &slow_mu);
	pthread_mutex_unlock(&slow_mu);
	snprintf(buf, len, "slow.example");
	return 0;
}

static void
test_board_pages_rdns_nostall(void **state)
{
	struct hosttab *t = hosttab_new(64);
	struct board_totals tot;
	struct ft_addr a;
	struct errbuf eb;
	struct board *b;
	cfg_t *cfg;
	char p[1024], name[BOARD_NAMELEN], *html;
	int i;

	(void)state;
	cfg = t_config("rdns = true\n rdns_wait = 50\n rdns_max_lookups = 2\n"
		       " history = false");
	b = board_new(cfg, "test.conf", &eb);
	assert_non_null(b);
	board_set_resolver(b, t_slow, NULL);
	t_fill(t, &tot);
	/* Returns although the resolver is stuck; no names on the page. */
	assert_int_equal(
	    board_interval(b, t, &tot, T_START, T_START + 300, &eb), 0);
	snprintf(p, sizeof(p), "%s/current.html", tdir);
	html = t_read(p);
	assert_null(strstr(html, "slow.example"));
	free(html);
	pthread_mutex_lock(&slow_mu);
	slow_go = 1;
	pthread_cond_broadcast(&slow_cv);
	pthread_mutex_unlock(&slow_mu);
	/* Names arrive: at most 2 lookups per interval were queued. */
	ft_addr_set_v4(&a, 0x0a000001);
	for (i = 0; i < 500 && !board_name(b, &a, name, sizeof(name)); i++)
		usleep(10000);
	assert_string_equal(name, "slow.example");
	assert_int_equal(
	    board_interval(b, t, &tot, T_START + 300, T_START + 600, &eb), 0);
	html = t_read(p);
	assert_non_null(strstr(html, "slow.example"));
	free(html);
	board_free(b);
	cfg_free(cfg);
	hosttab_free(t);
}

static void
test_board_pages_config(void **state)
{
	struct errbuf eb;
	struct board *b;
	cfg_t *cfg;

	(void)state;
	cfg = t_config("top = 0");
	b = board_new(cfg, "test.conf", &eb);
	assert_non_null(b);
	assert_false(board_enabled(b));
	assert_int_equal(board_max_hosts(b), 262144);
	assert_int_equal(board_interval(b, NULL, NULL, 0, 0, &eb), 0);
	board_free(b);
	cfg_free(cfg);
	cfg = t_config("top = -1");
	assert_null(board_new(cfg, "test.conf", &eb));
	assert_string_equal(
	    eb.msg, "test.conf: scanner.scoreboard.top = -1: must be 0..1000");
	cfg_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_board_pages_golden, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(
		    test_board_pages_retention, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(
		    test_board_pages_rdns_nostall, t_setup, t_teardown),
		cmocka_unit_test_setup_teardown(
		    test_board_pages_config, t_setup, t_teardown),
	};

	return cmocka_run_group_tests_name("board_pages", tests, NULL, NULL);
}
