/*
 * The scoreboard history (scanner/board_hist.c): page names from the
 * interval start (UTC), the day index and the history index in HTML and
 * JSON (newest first, only names of pages and days listed, titles
 * escaped, navigation relative to each page), a missing day directory
 * named in the error, and removal of days past the retention, once a day.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scanner/board_int.h"
#include "tdir_testutil.h"

#define T0 1700000100ULL /* 2023-11-14T22:15:00Z */

struct fx {
	struct tdir_fix t;
	struct board b;
	char *text;
};

static int
setup(void **state)
{
	static char title[] = "T & <co>";
	struct fx *f;

	if (tdir_setup_size(state, "boardhist", sizeof(struct fx)) == -1)
		return -1;
	f = *state;
	snprintf(f->b.dir, sizeof(f->b.dir), "%s", f->t.dir);
	f->b.title = title;
	f->b.cur_rel = "current.html";
	f->b.aggregate = 10;
	f->b.agg_rel = "overall.html";
	f->b.history = 1;
	f->b.history_days = 2;
	board_buf_init(&f->b.out);
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	board_buf_free(&f->b.out);
	free(f->text);
	return tdir_teardown(state);
}

static void
make(struct fx *f, const char *rel)
{
	if (tdir_create(f->t.dir, rel) == -1)
		fail_msg("create %s/%s", f->t.dir, rel);
}

static bool
exists(struct fx *f, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", f->t.dir, rel);
	return access(path, F_OK) == 0;
}

/* The text of dir/rel (kept in f until the next call). */
static const char *
slurp(struct fx *f, const char *rel)
{
	char path[512];
	size_t len = 0, k;
	FILE *fp;

	free(f->text);
	assert_non_null(f->text = calloc(1, 65536));
	snprintf(path, sizeof(path), "%s/%s", f->t.dir, rel);
	if ((fp = fopen(path, "r")) == NULL)
		fail_msg("%s missing", path);
	while ((k = fread(f->text + len, 1, 65535 - len, fp)) > 0)
		len += k;
	fclose(fp);
	return f->text;
}

static void
has(const char *text, const char *want)
{
	if (strstr(text, want) == NULL)
		fail_msg("\"%s\" not in:\n%s", want, text);
}

static void
test_board_hist_name(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(board_hist_name(T0, buf, sizeof(buf)),
	    "history/2023/2023-11-14/221500Z");
	assert_string_equal(board_hist_name(0, buf, sizeof(buf)),
	    "history/1970/1970-01-01/000000Z");
	assert_string_equal(board_hist_name(T0 + 6299, buf, sizeof(buf)),
	    "history/2023/2023-11-14/235959Z");
	assert_string_equal(board_hist_name(T0 + 6300, buf, sizeof(buf)),
	    "history/2023/2023-11-15/000000Z");
}

static void
test_board_hist_index(void **state)
{
	struct fx *f = *state;
	struct errbuf eb;
	const char *s;

	make(f, "history/2023/2023-11-14/221500Z.html");
	make(f, "history/2023/2023-11-14/221500Z.json");
	make(f, "history/2023/2023-11-14/222000Z.html");
	make(f, "history/2023/2023-11-14/222000Z.json");
	make(f, "history/2023/2023-11-14/notes.html"); /* not a page */
	make(f, "history/2023/2023-11-13/235500Z.html");
	make(f, "history/2023/misc/"); /* not a day */
	make(f, "history/2022/2022-12-31/120000Z.html");
	make(f, "history/old/"); /* not a year */
	assert_int_equal(board_hist_index(&f->b, T0, &eb), 0);

	s = slurp(f, "history/2023/2023-11-14/index.json");
	assert_string_equal(s,
	    "{\"version\":1,\"day\":\"2023-11-14\",\"pages\":[\n"
	    "{\"html\":\"222000Z.html\",\"json\":\"222000Z.json\"},\n"
	    "{\"html\":\"221500Z.html\",\"json\":\"221500Z.json\"}\n]}\n");
	s = slurp(f, "history/2023/2023-11-14/index.html");
	has(s,
	    "<title>T &amp; &lt;co&gt;: history of 2023-11-14 (UTC)</title>");
	has(s,
	    "<a href=\"../../../current.html\">Current</a>\n"
	    "<a href=\"../../../history/index.html\">History</a>\n"
	    "<a href=\"../../../overall.html\">Aggregate</a>\n</nav>\n");
	has(s,
	    "<p><a href=\"../../index.html\">All days</a></p>\n"
	    "<ul class=\"times\">\n"
	    "<li><a href=\"222000Z.html\">22:20:00</a></li>\n"
	    "<li><a href=\"221500Z.html\">22:15:00</a></li>\n</ul>\n");
	assert_null(strstr(s, "notes"));

	s = slurp(f, "history/index.json");
	assert_string_equal(s,
	    "{\"version\":1,\"days\":[\n"
	    "{\"day\":\"2023-11-14\",\"index\":\"2023/2023-11-14/index.json\"},\n"
	    "{\"day\":\"2023-11-13\",\"index\":\"2023/2023-11-13/index.json\"},\n"
	    "{\"day\":\"2022-12-31\",\"index\":\"2022/2022-12-31/index.json\"}\n"
	    "]}\n");
	s = slurp(f, "history/index.html");
	has(s, "<h1>T &amp; &lt;co&gt;: history (UTC)</h1>");
	has(s, "<a href=\"../current.html\">Current</a>");
	has(s,
	    "<h2>2023</h2>\n<ul>\n"
	    "<li><a href=\"2023/2023-11-14/index.html\">2023-11-14</a></li>\n"
	    "<li><a href=\"2023/2023-11-13/index.html\">2023-11-13</a></li>\n"
	    "</ul>\n<h2>2022</h2>\n<ul>\n"
	    "<li><a href=\"2022/2022-12-31/index.html\">2022-12-31</a></li>\n"
	    "</ul>\n</body>\n");
	assert_null(strstr(s, "misc"));
	assert_null(strstr(s, "old"));
	/* Only the day of start was indexed. */
	assert_false(exists(f, "history/2023/2023-11-13/index.html"));
}

static void
test_board_hist_nav(void **state)
{
	struct fx *f = *state;
	struct errbuf eb;
	const char *s;

	/* No current page under dir and no aggregate: History only. */
	f->b.cur_rel = NULL;
	f->b.aggregate = 0;
	make(f, "history/2023/2023-11-14/221500Z.html");
	assert_int_equal(board_hist_index(&f->b, T0, &eb), 0);
	s = slurp(f, "history/2023/2023-11-14/index.html");
	has(s,
	    "<nav>\n<a href=\"../../../history/index.html\">History</a>\n"
	    "</nav>\n");
	assert_null(strstr(s, "Current"));
	assert_null(strstr(s, "Aggregate"));
}

static void
test_board_hist_missing_day(void **state)
{
	struct fx *f = *state;
	struct errbuf eb;
	char want[512];

	/* The page's directory was never made: the day index cannot be. */
	assert_int_equal(board_hist_index(&f->b, T0, &eb), -1);
	snprintf(want, sizeof(want),
	    "%s/history/2023/2023-11-14/index.html: No such file or directory",
	    f->t.dir);
	assert_string_equal(eb.msg, want);
}

static void
test_board_hist_prune(void **state)
{
	struct fx *f = *state;

	make(f, "history/2023/2023-11-14/221500Z.html");
	make(f, "history/2023/2023-11-13/000000Z.html");
	make(f, "history/2023/2023-11-12/235500Z.html");
	make(f, "history/2023/2023-11-12/index.html");
	make(f, "history/2023/misc/keep");
	make(f, "history/2022/2022-12-31/120000Z.html");
	make(f, "history/index.html");
	/* Two days: the 14th and the 13th stay, older days go. */
	board_hist_prune(&f->b, T0);
	assert_true(exists(f, "history/2023/2023-11-14/221500Z.html"));
	assert_true(exists(f, "history/2023/2023-11-13/000000Z.html"));
	assert_false(exists(f, "history/2023/2023-11-12"));
	assert_true(exists(f, "history/2023/misc/keep"));
	assert_false(exists(f, "history/2022"));
	assert_true(exists(f, "history/index.html"));
	/* Once a day: an old day appearing later the same day stays. */
	make(f, "history/2023/2023-11-01/000000Z.html");
	board_hist_prune(&f->b, T0 + 300);
	assert_true(exists(f, "history/2023/2023-11-01/000000Z.html"));
	/* The next day prunes it, and the 13th (now two days back). */
	board_hist_prune(&f->b, T0 + 6300);
	assert_false(exists(f, "history/2023/2023-11-01"));
	assert_false(exists(f, "history/2023/2023-11-13"));
	assert_true(exists(f, "history/2023/2023-11-14/221500Z.html"));
	/* history_days 0 keeps everything. */
	f->b.history_days = 0;
	make(f, "history/2001/2001-01-01/000000Z.html");
	board_hist_prune(&f->b, T0 + 10 * 86400);
	assert_true(exists(f, "history/2001/2001-01-01/000000Z.html"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_board_hist_name),
		cmocka_unit_test_setup_teardown(
		    test_board_hist_index, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_board_hist_nav, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_board_hist_missing_day, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_board_hist_prune, setup, teardown),
	};
	return cmocka_run_group_tests_name("board_hist", tests, NULL, NULL);
}
