/*
 * flowtally-dump's printer (tools/dump.c): which files a time window
 * wants, records kept by the window at its exact edges, the --stats
 * counters of the header and of what was read (text and JSON, names
 * escaped), totals, a damaged file's intact records printed and its loss
 * counted, an unreadable file counted as damaged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr_testutil.h"
#include "flowfile_testutil.h"
#include "tdir_testutil.h"
#include "tools/dump.h"

#define T0 1700000100ULL /* 2023-11-14T22:15:00Z */

struct fx {
	struct tdir_fix t;
	struct dump d;
	char *out;
	size_t len;
	FILE *fp;
};

static int
setup(void **state)
{
	return tdir_setup_size(state, "dumpfile", sizeof(struct fx));
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	dump_clear(&f->d);
	if (f->fp != NULL)
		fclose(f->fp);
	free(f->out);
	return tdir_teardown(state);
}

/* Start a dump of kind (stats or not) of [since_ms, until_ms) to f->out. */
static void
start(struct fx *f, enum dumpfmt_kind kind, bool stats, uint64_t since_ms,
    uint64_t until_ms)
{
	struct dump_opts o = { .kind = kind,
		.stats = stats,
		.since_ms = since_ms,
		.until_ms = until_ms };

	assert_non_null(f->fp = open_memstream(&f->out, &f->len));
	assert_int_equal(dump_init(&f->d, &o, f->fp), 0);
}

/* Flush what was printed into f->out. */
static const char *
printed(struct fx *f)
{
	assert_int_equal(fflush(f->fp), 0);
	return f->out;
}

static size_t
lines(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static struct flow
mkflow(uint64_t first_s, uint64_t last_s, uint64_t bytes, uint64_t pkts)
{
	struct flow fl;

	memset(&fl, 0, sizeof(fl));
	fl.exporter = taddr_v4(0xc0000201);
	fl.src = taddr_v4(0x0a000001);
	fl.dst = taddr_v4(0x0a000002);
	fl.first_ms = first_s * 1000;
	fl.last_ms = last_s * 1000;
	fl.bytes = bytes;
	fl.packets = pkts;
	fl.proto = 17;
	fl.sampling = 1;
	return fl;
}

/* Three flows in [T0, T0 + 300) with one exporter's counters. */
static void
three(struct fx *f, char *path, size_t len)
{
	const struct flow fl[] = {
		mkflow(T0 + 1, T0 + 3, 100, 1),
		mkflow(T0 + 50, T0 + 100, 2000, 20),
		mkflow(T0 + 200, T0 + 250, 30000, 300),
	};
	struct flowfile_exporter e;

	memset(&e, 0, sizeof(e));
	e.addr = taddr_v4(0xc0000201);
	e.port = 2055;
	e.version = 9;
	e.domain = 7;
	e.sampling = 1;
	e.packets = 5;
	e.flows = 3;
	e.lost_flows = 2;
	e.malformed = 1;
	e.clock_skew_ms = -12;
	fft_write(f->t.dir, T0, T0 + 300, fl, 3, &e, 1, path, len);
}

static void
test_dump_file_wanted(void **state)
{
	struct fx *f = *state;

	start(f, DUMPFMT_CSV, false, (T0 + 300) * 1000, (T0 + 600) * 1000);
	/* Ends where the window starts: out; starts where it ends: out. */
	assert_false(dump_wanted(&f->d, T0, T0 + 300));
	assert_true(dump_wanted(&f->d, T0 + 1, T0 + 301));
	assert_true(dump_wanted(&f->d, T0 + 599, T0 + 899));
	assert_false(dump_wanted(&f->d, T0 + 600, T0 + 900));
	/* Unknown or inverted ends cannot be ruled out by their end. */
	assert_true(dump_wanted(&f->d, T0 - 300, 0));
	assert_true(dump_wanted(&f->d, T0 - 300, T0 - 600));
	dump_clear(&f->d);
	/* No upper limit. */
	f->d.o.until_ms = UINT64_MAX;
	assert_true(dump_wanted(&f->d, UINT64_MAX / 2000, 0));
}

static void
test_dump_file_window(void **state)
{
	struct fx *f = *state;
	char path[512];
	const char *s;

	three(f, path, sizeof(path));
	/* last >= since keeps the second flow (its last is exactly since),
	 * first < until drops the third (its first is exactly until). */
	start(f, DUMPFMT_CSV, false, (T0 + 100) * 1000, (T0 + 200) * 1000);
	assert_int_equal(dump_file(&f->d, path), 0);
	s = printed(f);
	assert_int_equal(lines(s), 2);
	assert_true(strncmp(s, "first,last,exporter,", 20) == 0);
	assert_non_null(strstr(s,
	    "\n2023-11-14T22:15:50.000Z,"
	    "2023-11-14T22:16:40.000Z,192.0.2.1,"));
	assert_int_equal(f->d.tot.files, 1);
	assert_int_equal(f->d.tot.records, 1);
	assert_int_equal(f->d.tot.packets, 20);
	assert_int_equal(f->d.tot.bytes, 2000);
	assert_int_equal(f->d.tot.damaged, 0);
	/* A file the window does not want: nothing printed or counted. */
	f->d.o.until_ms = T0 * 1000;
	assert_int_equal(dump_file(&f->d, path), 0);
	assert_int_equal(f->d.tot.files, 1);
	assert_int_equal(dump_finish(&f->d), 0);
	assert_int_equal(lines(printed(f)), 2);
}

static void
test_dump_file_stats_text(void **state)
{
	struct fx *f = *state;
	char path[512], want[640];
	const char *s;

	three(f, path, sizeof(path));
	start(f, DUMPFMT_TEXT, true, 0, UINT64_MAX);
	assert_int_equal(dump_file(&f->d, path), 0);
	assert_int_equal(dump_file(&f->d, path), 0);
	assert_int_equal(dump_finish(&f->d), 0);
	s = printed(f);
	snprintf(want, sizeof(want), "file %s\n", path);
	assert_true(strncmp(s, want, strlen(want)) == 0);
	assert_non_null(strstr(s,
	    "\n  interval 2023-11-14T22:15:00.000Z .. "
	    "2023-11-14T22:20:00.000Z\n  version 3 "
	    "creator flowtally host "));
	assert_non_null(strstr(s,
	    " closed yes\n  header records 3 blocks 1 "
	    "exporters 1\n"));
	assert_non_null(strstr(s,
	    "\n  exporter 192.0.2.1 port 2055 version 9 domain 7 sampling 1 "
	    "flags 0x0 packets 5 flows 3 lost_flows 2 malformed 1 "
	    "sequence_resets 0 clock_skew_ms -12\n"));
	assert_non_null(strstr(s,
	    "\n  read records 3 packets 321 bytes "
	    "32100 lost 0\n"));
	/* No records printed; the totals of both files last. */
	assert_null(strstr(s, "192.0.2.1 10.0.0.1"));
	assert_int_equal(lines(s), 2 * 6 + 1);
	assert_non_null(strstr(s,
	    "\ntotals files 2 records 6 packets 642 bytes "
	    "64200 lost 0 damaged 0\n"));
}

static void
test_dump_file_stats_json(void **state)
{
	struct fx *f = *state;
	char path[512], odd[512];
	const char *s;

	three(f, path, sizeof(path));
	/* A name that JSON must escape. */
	snprintf(odd, sizeof(odd), "%s/a\"b\\c", f->t.dir);
	assert_int_equal(rename(path, odd), 0);
	start(f, DUMPFMT_JSON, true, 0, UINT64_MAX);
	assert_int_equal(dump_file(&f->d, odd), 0);
	assert_int_equal(dump_finish(&f->d), 0);
	s = printed(f);
	snprintf(path, sizeof(path), "{\"file\":\"%s/a\\\"b\\\\c\",", f->t.dir);
	assert_true(strncmp(s, path, strlen(path)) == 0);
	assert_non_null(strstr(s,
	    "\"start\":\"2023-11-14T22:15:00.000Z\","
	    "\"end\":\"2023-11-14T22:20:00.000Z\","
	    "\"version\":3,\"creator\":\"flowtally\","));
	assert_non_null(strstr(s,
	    "\"closed\":true,\"records\":3,\"blocks\":1,"
	    "\"exporters\":[{\"addr\":\"192.0.2.1\","
	    "\"port\":2055,\"version\":9,\"domain\":7,"
	    "\"sampling\":1,\"flags\":0,\"packets\":5,"
	    "\"flows\":3,\"lost_flows\":2,\"malformed\":1,"
	    "\"sequence_resets\":0,\"clock_skew_ms\":-12}],"
	    "\"read\":{\"records\":3,\"packets\":321,"
	    "\"bytes\":32100,\"lost\":0}}\n"));
	assert_non_null(strstr(s,
	    "\n{\"totals\":{\"files\":1,\"records\":3,"
	    "\"packets\":321,\"bytes\":32100,\"lost\":0,"
	    "\"damaged\":0}}\n"));
	assert_int_equal(lines(s), 2);
}

static void
test_dump_file_damaged(void **state)
{
	struct fx *f = *state;
	size_t n = FLOWFILE_BLOCK_RECORDS + 10, i;
	struct flow *fl = calloc(n, sizeof(*fl));
	char path[512], bad[512];
	FILE *fp;

	assert_non_null(fl);
	for (i = 0; i < n; i++)
		fl[i] = mkflow(T0 + 1, T0 + 2, 10, 1);
	fft_write(f->t.dir, T0, T0 + 300, fl, n, NULL, 0, path, sizeof(path));
	free(fl);
	fft_damage_second_block(path, 100);
	start(f, DUMPFMT_CSV, false, 0, UINT64_MAX);
	/* The first block's records are printed, the second's lost. */
	assert_int_equal(dump_file(&f->d, path), -1);
	assert_int_equal(lines(printed(f)), 1 + FLOWFILE_BLOCK_RECORDS);
	assert_int_equal(f->d.tot.files, 1);
	assert_int_equal(f->d.tot.records, FLOWFILE_BLOCK_RECORDS);
	assert_int_equal(f->d.tot.bytes, 10 * FLOWFILE_BLOCK_RECORDS);
	assert_int_equal(f->d.tot.lost, 10);
	assert_int_equal(f->d.tot.damaged, 1);
	/* Not a flow file at all: damaged, not a file read. */
	snprintf(bad, sizeof(bad), "%s/junk", f->t.dir);
	assert_non_null(fp = fopen(bad, "w"));
	fputs("junk\n", fp);
	fclose(fp);
	assert_int_equal(dump_file(&f->d, bad), -1);
	snprintf(bad, sizeof(bad), "%s/missing", f->t.dir);
	assert_int_equal(dump_file(&f->d, bad), -1);
	assert_int_equal(f->d.tot.files, 1);
	assert_int_equal(f->d.tot.damaged, 3);
	assert_int_equal(lines(printed(f)), 1 + FLOWFILE_BLOCK_RECORDS);
}

static void
test_dump_file_no_records(void **state)
{
	struct fx *f = *state;
	const char *s;

	/* CSV readers get the header line even when nothing matched. */
	start(f, DUMPFMT_CSV, false, 0, UINT64_MAX);
	assert_int_equal(dump_finish(&f->d), 0);
	s = printed(f);
	assert_int_equal(lines(s), 1);
	assert_true(strncmp(s, "first,last,exporter,src,dst,", 28) == 0);
	/* Twice: still one header. */
	assert_int_equal(dump_finish(&f->d), 0);
	assert_int_equal(lines(printed(f)), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_dump_file_wanted, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_dump_file_window, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_dump_file_stats_text, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_dump_file_stats_json, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_dump_file_damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_dump_file_no_records, setup, teardown),
	};
	return cmocka_run_group_tests_name("dump_file", tests, NULL, NULL);
}
