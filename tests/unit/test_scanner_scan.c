/*
 * The scanner's pass over flow files (scanner/scan.c): one file gives the
 * classification counters, the interval and the RRD values worked out by
 * hand; a damaged block, failed RRDs and a failed scoreboard are counted
 * as problems, the damaged block's records as lost; an
 * unreadable or inverted file fails naming the file; bad settings fail
 * naming the option; a pass processes each pending file once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/stat.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rrd.h>

#include "addr_testutil.h"
#include "flowfile_testutil.h"
#include "lib/conf.h"
#include "lib/flowfile.h"
#include "scanner/scan.h"
#include "tdir_testutil.h"

#define T0 1700000100ULL /* a multiple of 300 */

struct fx {
	struct tdir_fix t;
	char flows[128];
	cfg_t *cfg;
	struct scan s;
	int inited;
};

#define CONF_FMT                                                               \
	"subnets = { \"10.0.0.0/8\" }\n"                                       \
	"service \"http\" { ports = { \"80/tcp\" } }\n"                        \
	"protocol \"tcp\" { }\n"                                               \
	"router \"r1\" { address = \"192.0.2.1\" }\n"                          \
	"scanner {\n"                                                          \
	" flow_dir = \"%s/flows\"\n rrd_dir = \"%s/rrd\"\n"                    \
	" state_dir = \"%s/state\"\n interval = %d\n archive = \"%s\"\n"       \
	" scoreboard { %s }\n"                                                 \
	"}\n"

/*
 * Load the config with interval, archive and the scoreboard's settings;
 * 0, or -1 with eb set.
 */
static int
fx_conf_board(struct fx *f, int interval, const char *archive,
    const char *board, struct errbuf *eb)
{
	char text[2048];

	snprintf(text, sizeof(text), CONF_FMT, f->t.dir, f->t.dir, f->t.dir,
	    interval, archive, board);
	conf_free(f->cfg);
	f->cfg = conf_load_string(text, "scan.conf", eb);
	return f->cfg == NULL ? -1 : 0;
}

/* fx_conf_board() without a scoreboard. */
static int
fx_conf(struct fx *f, int interval, const char *archive, struct errbuf *eb)
{
	return fx_conf_board(f, interval, archive, "top = 0", eb);
}

static int
setup(void **state)
{
	struct errbuf eb;
	struct fx *f;

	if (tdir_setup_size(state, "scan", sizeof(struct fx)) == -1)
		return -1;
	f = *state;
	snprintf(f->flows, sizeof(f->flows), "%s/flows", f->t.dir);
	if (mkdir(f->flows, 0755) == -1 || fx_conf(f, 300, "keep", &eb) == -1 ||
	    scan_init(&f->s, f->cfg, &eb) == -1) {
		print_error("%s\n", eb.msg);
		return -1;
	}
	f->inited = 1;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	if (f->inited)
		scan_clear(&f->s);
	conf_free(f->cfg);
	return tdir_teardown(state);
}

static struct flow
mkflow(uint32_t exp, uint32_t src, uint32_t dst, uint64_t bytes, uint64_t pkts,
    uint32_t sampling)
{
	struct flow fl;

	memset(&fl, 0, sizeof(fl));
	fl.exporter = taddr_v4(exp);
	fl.src = taddr_v4(src);
	fl.dst = taddr_v4(dst);
	fl.bytes = bytes;
	fl.packets = pkts;
	fl.sampling = sampling;
	fl.proto = 6;
	fl.sport = 80;
	fl.dport = 40000;
	fl.first_ms = T0 * 1000 + 1000;
	fl.last_ms = fl.first_ms + 2000;
	return fl;
}

/* Write flows[0..n) as the file of [start, end) in the flow dir. */
static void
write_flows(struct fx *f, uint64_t start, uint64_t end,
    const struct flow *flows, size_t n, char *path, size_t len)
{
	fft_write(f->flows, start, end, flows, n, NULL, 0, path, len);
}

#define R1   0xc0000201 /* 192.0.2.1, router r1 */
#define RX   0xc0000263 /* 192.0.2.99, not a router */
#define IN1  0x0a010101 /* 10.1.1.1 */
#define IN2  0x0a020202 /* 10.2.2.2 */
#define OUT1 0xc6336401 /* 198.51.100.1 */
#define OUT2 0xcb007101 /* 203.0.113.1 */
#define MC   0xe0000005 /* 224.0.0.5 */

/* The last values written to rrd_dir/rel, DS k as a number. */
static void
last_ds(struct fx *f, const char *rel, uint64_t want_t, const uint64_t *want)
{
	char path[256], **names, **vals;
	unsigned long n, k;
	time_t t;

	snprintf(path, sizeof(path), "%s/rrd/%s", f->t.dir, rel);
	if (rrd_lastupdate_r(path, &t, &n, &names, &vals) != 0)
		fail_msg("%s: %s", path, rrd_get_error());
	assert_int_equal(t, want_t);
	assert_int_equal(n, AGG_NCOUNT);
	for (k = 0; k < n; k++) {
		if (strtoull(vals[k], NULL, 10) != want[k])
			fail_msg("%s DS %s: got %s, want %llu", rel, names[k],
			    vals[k], (unsigned long long)want[k]);
		free(names[k]);
		free(vals[k]);
	}
	free(names);
	free(vals);
}

static void
test_scanner_scan_one_file(void **state)
{
	struct fx *f = *state;
	struct flow fl[] = {
		mkflow(R1, IN1, OUT1, 1000, 10, 1), /* out */
		mkflow(R1, OUT1, IN1, 2000, 20, 1), /* in */
		mkflow(R1, IN1, IN2, 400, 4, 1),    /* internal */
		mkflow(R1, OUT1, OUT2, 500, 5, 1),  /* transit */
		mkflow(R1, OUT1, MC, 300, 3, 1),    /* multicast, in */
		mkflow(RX, OUT2, IN2, 7000, 70, 0), /* in, no router, rate? */
		mkflow(R1, IN2, OUT2, 100, 1, 10),  /* out, 1-in-10 */
	};
	struct scan_result res;
	struct errbuf eb;
	char path[512];
	/* in/out bytes, in/out packets, in/out flows. */
	const uint64_t total[] = { 2000 + 300 + 7000, 1000 + 100, 20 + 3 + 70,
		10 + 1, 3, 1 + 10 };
	const uint64_t r1_total[] = { 2000 + 300, 1000 + 100, 23, 11, 2, 11 };
	const uint64_t internal[] = { 400, 0, 4, 0, 1, 0 };
	const uint64_t transit[] = { 500, 0, 5, 0, 1, 0 };

	write_flows(f, T0, T0 + 300, fl, sizeof(fl) / sizeof(fl[0]), path,
	    sizeof(path));
	assert_int_equal(scan_file(&f->s, path, &res, &eb), 0);
	assert_int_equal(res.start, T0);
	assert_int_equal(res.end, T0 + 300);
	assert_int_equal(res.st.flows, 7);
	assert_int_equal(res.st.hits, 5);
	assert_int_equal(res.st.internal, 1);
	assert_int_equal(res.st.transit, 1);
	assert_int_equal(res.st.multicast, 1);
	assert_int_equal(res.st.no_router, 1);
	assert_int_equal(res.st.sampling_unknown, 1);
	assert_int_equal(res.lost, 0);
	assert_int_equal(res.problems, 0);
	assert_int_equal(res.rrd.errors, 0);
	assert_int_equal(res.rrd.created, f->s.o.n);
	assert_int_equal(res.rrd.updated, f->s.o.n);
	assert_true(res.seconds >= 0.0 && res.seconds < 30.0);
	last_ds(f, "total.rrd", T0 + 300, total);
	last_ds(f, "r1/total.rrd", T0 + 300, r1_total);
	last_ds(f, "internal.rrd", T0 + 300, internal);
	last_ds(f, "transit.rrd", T0 + 300, transit);

	/* The same file again: counters reset per file, RRDs refuse it. */
	assert_int_equal(scan_file(&f->s, path, &res, &eb), 0);
	assert_int_equal(res.st.flows, 7);
	assert_int_equal(res.st.hits, 5);
	assert_int_equal(res.rrd.updated, 0);
	assert_int_equal(res.rrd.already, f->s.o.n);
	assert_int_equal(res.problems, 0);
}

static void
test_scanner_scan_empty_file(void **state)
{
	struct fx *f = *state;
	struct scan_result res;
	struct errbuf eb;
	char path[512];
	const uint64_t zero[AGG_NCOUNT] = { 0 };

	write_flows(f, T0, T0 + 300, NULL, 0, path, sizeof(path));
	assert_int_equal(scan_file(&f->s, path, &res, &eb), 0);
	assert_int_equal(res.st.flows, 0);
	assert_int_equal(res.st.hits, 0);
	assert_int_equal(res.problems, 0);
	assert_int_equal(res.rrd.updated, f->s.o.n);
	/* An interval with no flows is zero traffic, not unknown. */
	last_ds(f, "total.rrd", T0 + 300, zero);
}

static void
test_scanner_scan_damaged_block(void **state)
{
	struct fx *f = *state;
	size_t n = FLOWFILE_BLOCK_RECORDS + 10, i;
	struct flow *fl = calloc(n, sizeof(*fl));
	struct scan_result res;
	struct errbuf eb;
	char path[512];

	assert_non_null(fl);
	for (i = 0; i < n; i++)
		fl[i] = mkflow(R1, OUT1, IN1, 100, 1, 1);
	write_flows(f, T0, T0 + 300, fl, n, path, sizeof(path));
	free(fl);
	/* Flip one payload byte of the second block (10 records). */
	fft_damage_second_block(path, 40);

	assert_int_equal(scan_file(&f->s, path, &res, &eb), 0);
	assert_int_equal(res.problems, 1);
	assert_int_equal(res.lost, 10);
	assert_int_equal(res.st.flows, FLOWFILE_BLOCK_RECORDS);
	assert_int_equal(res.st.hits, FLOWFILE_BLOCK_RECORDS);
	assert_int_equal(res.rrd.updated, f->s.o.n);
}

static void
test_scanner_scan_problems(void **state)
{
	struct fx *f = *state;
	struct flow fl = mkflow(R1, OUT1, IN1, 600, 6, 1);
	struct scan_result res;
	struct errbuf eb;
	char path[512], rrd[256];
	FILE *fp;

	/* The RRD directory is a file: every RRD fails, each a problem. */
	snprintf(rrd, sizeof(rrd), "%s/rrd", f->t.dir);
	tdir_remove(rrd);
	assert_non_null(fp = fopen(rrd, "w"));
	fclose(fp);
	write_flows(f, T0, T0 + 300, &fl, 1, path, sizeof(path));
	assert_int_equal(scan_file(&f->s, path, &res, &eb), 0);
	assert_true(f->s.o.n > 0);
	assert_int_equal(res.rrd.errors, f->s.o.n);
	assert_int_equal(res.rrd.updated, 0);
	assert_int_equal(res.problems, f->s.o.n);
	/* The counts are still those of the file. */
	assert_int_equal(res.st.flows, 1);
	assert_int_equal(res.st.hits, 1);
}

static void
test_scanner_scan_board(void **state)
{
	struct fx *f = *state;
	struct flow fl[] = { mkflow(R1, OUT1, IN1, 600, 6, 1),
		mkflow(R1, IN2, OUT2, 60, 1, 1) };
	struct scan_result res;
	struct errbuf eb;
	char path[512], board[384], sb[128];
	FILE *fp;

	snprintf(sb, sizeof(sb), "%s/sb", f->t.dir);
	snprintf(board, sizeof(board),
	    "top = 3 dir = \"%s\" history = false aggregate = 0", sb);
	scan_clear(&f->s);
	f->inited = 0;
	assert_int_equal(fx_conf_board(f, 300, "keep", board, &eb), 0);
	if (scan_init(&f->s, f->cfg, &eb) == -1)
		fail_msg("%s", eb.msg);
	f->inited = 1;
	assert_non_null(f->s.ht);
	write_flows(f, T0, T0 + 300, fl, 2, path, sizeof(path));
	assert_int_equal(scan_file(&f->s, path, &res, &eb), 0);
	assert_int_equal(res.problems, 0);
	snprintf(path, sizeof(path), "%s/current.html", sb);
	assert_int_equal(access(path, F_OK), 0);

	/* The scoreboard cannot write its pages: one problem. */
	assert_int_equal(tdir_remove(sb), 0);
	assert_non_null(fp = fopen(sb, "w"));
	fclose(fp);
	write_flows(f, T0 + 300, T0 + 600, fl, 2, path, sizeof(path));
	assert_int_equal(scan_file(&f->s, path, &res, &eb), 0);
	assert_int_equal(res.problems, 1);
	assert_int_equal(res.rrd.errors, 0);
	assert_int_equal(res.rrd.updated, f->s.o.n);
}

static void
test_scanner_scan_unusable(void **state)
{
	struct fx *f = *state;
	struct scan_result res;
	struct errbuf eb;
	char path[512];
	FILE *fp;

	/* Missing file. */
	snprintf(path, sizeof(path), "%s/ft-20231114-221500Z", f->flows);
	assert_int_equal(scan_file(&f->s, path, &res, &eb), -1);
	assert_non_null(strstr(eb.msg, path));
	/* Not a flow file. */
	assert_non_null(fp = fopen(path, "w"));
	fputs(
	    "this is not a flow file, it is text long enough ...........", fp);
	fclose(fp);
	assert_int_equal(scan_file(&f->s, path, &res, &eb), -1);
	assert_non_null(strstr(eb.msg, path));
	assert_int_equal(remove(path), 0);
	/* Inverted and empty intervals. */
	write_flows(f, T0 + 300, T0, NULL, 0, path, sizeof(path));
	assert_int_equal(scan_file(&f->s, path, &res, &eb), -1);
	assert_non_null(strstr(eb.msg, path));
	assert_non_null(strstr(eb.msg, "empty or inverted interval"));
	assert_int_equal(res.start, T0 + 300);
	assert_int_equal(res.end, T0);
	assert_int_equal(remove(path), 0);
	write_flows(f, T0, T0, NULL, 0, path, sizeof(path));
	assert_int_equal(scan_file(&f->s, path, &res, &eb), -1);
	assert_non_null(strstr(eb.msg, "empty or inverted interval"));
}

static void
test_scanner_scan_other_interval(void **state)
{
	struct fx *f = *state;
	struct flow fl = mkflow(R1, OUT1, IN1, 600, 6, 1);
	struct scan_result res;
	struct errbuf eb;
	char path[512];
	const uint64_t want[] = { 600, 0, 6, 0, 1, 0 };

	/* A 60 s file with a 300 s step: warned about, still counted. */
	write_flows(f, T0, T0 + 60, &fl, 1, path, sizeof(path));
	assert_int_equal(scan_file(&f->s, path, &res, &eb), 0);
	assert_int_equal(res.end - res.start, 60);
	assert_int_equal(res.st.flows, 1);
	assert_int_equal(res.st.hits, 1);
	last_ds(f, "total.rrd", T0 + 60, want);
}

static void
test_scanner_scan_bad_settings(void **state)
{
	struct fx *f = *state;
	struct scan s;
	struct errbuf eb;

	assert_int_equal(fx_conf(f, 5, "keep", &eb), 0);
	assert_int_equal(scan_init(&s, f->cfg, &eb), -1);
	assert_string_equal(
	    eb.msg, "scan.conf: scanner interval 5 out of range (10..86400)");
	assert_int_equal(fx_conf(f, 86401, "keep", &eb), 0);
	assert_int_equal(scan_init(&s, f->cfg, &eb), -1);
	assert_non_null(strstr(eb.msg, "interval 86401 out of range"));
	assert_int_equal(fx_conf(f, 300, "shred", &eb), 0);
	assert_int_equal(scan_init(&s, f->cfg, &eb), -1);
	assert_string_equal(eb.msg,
	    "scan.conf: scanner archive \"shred\": want keep, move or delete");
	/* Bounds themselves are accepted. */
	assert_int_equal(fx_conf(f, 10, "delete", &eb), 0);
	assert_int_equal(scan_init(&s, f->cfg, &eb), 0);
	assert_int_equal(s.interval, 10);
	scan_clear(&s);
}

/* scan_settings(), what `flowtally-scanner -n` checks, as scan_init(). */
static void
test_scanner_scan_settings(void **state)
{
	struct fx *f = *state;
	enum spool_archive arch;
	uint32_t iv = 0;
	struct errbuf eb;

	assert_int_equal(fx_conf(f, 5, "keep", &eb), 0);
	assert_int_equal(scan_settings(f->cfg, &iv, &arch, &eb), -1);
	assert_string_equal(
	    eb.msg, "scan.conf: scanner interval 5 out of range (10..86400)");
	assert_int_equal(fx_conf(f, 300, "shred", &eb), 0);
	assert_int_equal(scan_settings(f->cfg, &iv, &arch, &eb), -1);
	assert_non_null(strstr(eb.msg, "archive \"shred\""));
	assert_int_equal(fx_conf(f, 600, "move", &eb), 0);
	assert_int_equal(scan_settings(f->cfg, &iv, &arch, &eb), 0);
	assert_int_equal(iv, 600);
	assert_int_equal(arch, SPOOL_MOVE);
}

static void
test_scanner_scan_pass(void **state)
{
	struct fx *f = *state;
	volatile sig_atomic_t quit = 0;
	struct flow fl = mkflow(R1, IN1, OUT1, 100, 1, 1);
	char p1[512], p2[512], bad[512];
	FILE *fp;

	write_flows(f, T0 + 300, T0 + 600, &fl, 1, p2, sizeof(p2));
	write_flows(f, T0, T0 + 300, &fl, 1, p1, sizeof(p1));
	/* An unusable file with a complete-file name: rejected, not done. */
	snprintf(bad, sizeof(bad), "%s/ft-20231114-222500Z", f->flows);
	assert_non_null(fp = fopen(bad, "w"));
	fputs("garbage", fp);
	fclose(fp);
	assert_int_equal(scan_pass(&f->s, &quit), 2);
	assert_true(spool_is_done(&f->s.sp, T0));
	assert_true(spool_is_done(&f->s.sp, T0 + 300));
	assert_false(spool_is_done(&f->s.sp, T0 + 600));
	/* Kept in place (archive = keep), the bad one moved away. */
	assert_int_equal(access(p1, F_OK), 0);
	assert_int_equal(access(bad, F_OK), -1);
	/* Nothing left to do. */
	assert_int_equal(scan_pass(&f->s, &quit), 0);
	/* quit set before the pass: nothing processed. */
	write_flows(f, T0 + 900, T0 + 1200, &fl, 1, p1, sizeof(p1));
	quit = 1;
	assert_int_equal(scan_pass(&f->s, &quit), 0);
	assert_false(spool_is_done(&f->s.sp, T0 + 900));
	quit = 0;
	assert_int_equal(scan_pass(&f->s, &quit), 1);
	assert_true(spool_is_done(&f->s.sp, T0 + 900));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_scanner_scan_one_file, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_scanner_scan_empty_file, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_scanner_scan_damaged_block, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_scanner_scan_problems, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_scanner_scan_board, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_scanner_scan_unusable, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_scanner_scan_other_interval, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_scanner_scan_bad_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_scanner_scan_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_scanner_scan_pass, setup, teardown),
	};
	return cmocka_run_group_tests_name("scanner_scan", tests, NULL, NULL);
}
