/*
 * The collector's stats snapshot: the text lines (collector, listen, ring,
 * exporters and one line per exporter with its malformed reasons), the
 * same numbers as JSON (checked by a JSON parser, strings escaped), and
 * the atomic write of the text file with its failure on a bad path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr_testutil.h"
#include "collector/exporter.h"
#include "collector/listener.h"
#include "collector/ring.h"
#include "collector/stats.h"
#include "lib/errbuf.h"
#include "tdir_testutil.h"

struct sfix {
	struct tdir_fix td;
	struct listener *l;
	struct ring *r;
	struct exporter_table *t;
	struct stats_view v;
	char *text;
	size_t len;
};

/*
 * A listener on 127.0.0.1 (ephemeral port), a ring holding one datagram,
 * an exporter 10.0.0.9:2055 v9 domain 7 with one good and one short
 * datagram, a denied 192.0.2.1 and a runt.
 */
static int
setup(void **state)
{
	struct ft_addr lo = taddr_v4(0x7f000001);
	struct sockaddr_in from = taddr_sin4(0x0a000009, 2055);
	struct sockaddr_in bad = taddr_sin4(0xc0000201, 9);
	struct nf_packet_info info;
	struct errbuf eb;
	struct exporter *e;
	struct sfix *f;

	if (tdir_setup_size(state, "stats", sizeof(*f)) == -1)
		return -1;
	f = *state;
	f->l = listener_new();
	f->r = ring_new(4096);
	f->t = exporter_table_new(0);
	if (f->l == NULL || f->r == NULL || f->t == NULL ||
	    listener_add(f->l, &lo, 0, 65536, &eb) == -1 ||
	    ring_put(f->r, "abcd", 4, (struct sockaddr *)&from, sizeof(from),
		1000) == -1 ||
	    (e = exporter_get(f->t, (struct sockaddr *)&from, 9, 7, 1000)) ==
		NULL)
		return -1;
	memset(&info, 0, sizeof(info));
	info.version = 9;
	info.domain = 7;
	info.records = 3;
	info.templates = 2;
	exporter_packet(e, NF_OK, &info, 1000);
	exporter_packet(e, NF_ERR_SHORT, &info, 2000);
	exporter_deny(f->t, (struct sockaddr *)&bad);
	exporter_runt(f->t, (struct sockaddr *)&bad);
	f->v = (struct stats_view){
		.listener = f->l,
		.ring = f->r,
		.exporters = f->t,
		.now_ms = 1700000100999ull,
		.started_ms = 1700000000000ull,
		.interval = 300,
		.files = 2,
		.open_start = 1700000100,
		.open_records = 5,
		.grace_start = 1699999800,
		.flows = 42,
		.late_flows = 1,
		.write_errors = 3,
		.open_path = "/var/flows/ft-v05.2023-11-14.2215",
	};
	return 0;
}

static int
teardown(void **state)
{
	struct sfix *f = *state;

	listener_free(f->l);
	ring_free(f->r);
	exporter_table_free(f->t);
	free(f->text);
	return tdir_teardown(state);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

/* Print with fn into f->text (a memory stream). */
static void
print(struct sfix *f, int (*fn)(const struct stats_view *, FILE *))
{
	FILE *fp;

	free(f->text);
	f->text = NULL;
	fp = open_memstream(&f->text, &f->len);
	assert_non_null(fp);
	assert_int_equal(fn(&f->v, fp), 0);
	assert_int_equal(fclose(fp), 0);
}

/* Line n (from 0) of text into line: 0, or -1 when there are fewer. */
static int
nth_line(const char *text, int n, char *line, size_t cap)
{
	const char *p = text, *nl;

	for (; n > 0; n--) {
		if ((p = strchr(p, '\n')) == NULL)
			return -1;
		p++;
	}
	if ((nl = strchr(p, '\n')) == NULL || (size_t)(nl - p) >= cap)
		return -1;
	memcpy(line, p, (size_t)(nl - p));
	line[nl - p] = '\0';
	return 0;
}

static void
test_text(void **state)
{
	struct sfix *f = *state;
	char line[1024], want[1024];
	uint16_t port = listener_port(f->l, 0);

	print(f, stats_print);
	assert_int_equal(nth_line(f->text, 0, line, sizeof(line)), 0);
	assert_string_equal(line,
	    "collector now=1700000100 started=1700000000 interval=300 "
	    "files=2 flows=42 late_flows=1 write_errors=3 "
	    "open_start=1700000100 open_records=5 grace_start=1699999800 "
	    "kernel_drops=0 ring_drops=0 "
	    "open_file=/var/flows/ft-v05.2023-11-14.2215");
	assert_int_equal(nth_line(f->text, 1, line, sizeof(line)), 0);
	snprintf(want, sizeof(want),
	    "listen addr=127.0.0.1:%u port=%u rcvbuf=%d packets=0 bytes=0 "
	    "kernel_drops=0 truncated=0 ring_drops=0",
	    port, port, listener_rcvbuf(f->l, 0));
	assert_true(port != 0);
	assert_string_equal(line, want);
	assert_int_equal(nth_line(f->text, 2, line, sizeof(line)), 0);
	snprintf(want, sizeof(want),
	    "ring size=4096 used=%zu high_water=%zu puts=1 drops=0",
	    ring_used(f->r), ring_used(f->r));
	assert_true(ring_used(f->r) >= 4);
	assert_string_equal(line, want);
	assert_int_equal(nth_line(f->text, 3, line, sizeof(line)), 0);
	assert_string_equal(line,
	    "exporters denied=1 last_denied=192.0.2.1 runts=1 table_full=0");
	assert_int_equal(nth_line(f->text, 4, line, sizeof(line)), 0);
	assert_string_equal(line,
	    "exporter addr=10.0.0.9 port=2055 version=9 domain=7 packets=2 "
	    "flows=0 lost_flows=0 lost_packets=0 late_packets=0 resets=0 "
	    "templates=4 malformed=1 malformed_short=1 malformed_version=0 "
	    "malformed_count=0 malformed_length=0 malformed_flowset=0 "
	    "malformed_template=0 malformed_memory=0 sampling=1 "
	    "sampling_unknown_flows=0 sampling_override=0 clock_skew_ms=0 "
	    "first_seen=1 last_seen=1");
	assert_int_equal(nth_line(f->text, 5, line, sizeof(line)), -1);
	assert_int_equal(strlen(f->text), f->len);
}

/* No open file, no sockets, no exporters: still whole lines. */
static void
test_text_empty(void **state)
{
	struct sfix *f = *state;
	struct listener *none = listener_new();
	struct exporter_table *t = exporter_table_new(0);
	char line[1024];

	assert_non_null(none);
	assert_non_null(t);
	f->v.listener = none;
	f->v.exporters = t;
	f->v.open_path = NULL;
	print(f, stats_print);
	assert_int_equal(nth_line(f->text, 0, line, sizeof(line)), 0);
	assert_non_null(strstr(line, " open_file=-"));
	assert_int_equal(nth_line(f->text, 1, line, sizeof(line)), 0);
	assert_int_equal(strncmp(line, "ring ", 5), 0);
	assert_int_equal(nth_line(f->text, 2, line, sizeof(line)), 0);
	assert_string_equal(
	    line, "exporters denied=0 last_denied=- runts=0 table_full=0");
	assert_int_equal(nth_line(f->text, 3, line, sizeof(line)), -1);
	listener_free(none);
	exporter_table_free(t);
}

/*
 * Run a Python check over the file at path (JSON): 0 when it exits 0.
 * The test is skipped when python3 is missing.
 */
static int
py_check(const char *path, const char *code)
{
	char cmd[4096];

	snprintf(cmd, sizeof(cmd),
	    "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); %s' "
	    "%s",
	    code, path);
	return system(cmd);
}

static void
test_json(void **state)
{
	struct sfix *f = *state;
	char path[128], code[2048];
	FILE *fp;

	if (system("python3 -c 1 2>/dev/null") != 0)
		skip();
	f->v.open_path = "/odd \"name\"\\\n\x01";
	snprintf(path, sizeof(path), "%s/stats.json", f->td.dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(stats_print_json(&f->v, fp), 0);
	assert_int_equal(fclose(fp), 0);
	snprintf(code, sizeof(code),
	    "c=d[\"collector\"]; l=d[\"listen\"]; r=d[\"ring\"]; "
	    "g=d[\"exporters_global\"]; e=d[\"exporters\"]; "
	    "assert c==dict(now=1700000100, started=1700000000, "
	    "interval=300, files=2, flows=42, late_flows=1, write_errors=3, "
	    "open_start=1700000100, open_records=5, grace_start=1699999800, "
	    "kernel_drops=0, ring_drops=0, "
	    "open_file=\"/odd \\\"name\\\"\\\\\\n\\x01\"), c; "
	    "assert len(l)==1 and l[0][\"addr\"]==\"127.0.0.1:%u\" and "
	    "l[0][\"port\"]==%u and l[0][\"rcvbuf\"]==%d and "
	    "l[0][\"packets\"]==0, l; "
	    "assert r==dict(size=4096, used=%zu, high_water=%zu, puts=1, "
	    "drops=0), r; "
	    "assert g==dict(denied=1, last_denied=\"192.0.2.1\", runts=1, "
	    "table_full=0), g; "
	    "assert len(e)==1 and e[0][\"addr\"]==\"10.0.0.9\" and "
	    "e[0][\"port\"]==2055 and e[0][\"domain\"]==7 and "
	    "e[0][\"packets\"]==2 and e[0][\"malformed\"]==1 and "
	    "e[0][\"malformed_by\"]==dict(short=1, version=0, count=0, "
	    "length=0, flowset=0, template=0, memory=0) and "
	    "e[0][\"sampling_override\"] is False and "
	    "e[0][\"first_seen\"]==1 and e[0][\"last_seen\"]==1, e",
	    listener_port(f->l, 0), listener_port(f->l, 0),
	    listener_rcvbuf(f->l, 0), ring_used(f->r), ring_used(f->r));
	assert_int_equal(py_check(path, code), 0);
	/* Nothing at all: an empty list of each, a null open file. */
	f->v.open_path = NULL;
	exporter_table_free(f->t);
	f->t = exporter_table_new(0);
	assert_non_null(f->t);
	f->v.exporters = f->t;
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(stats_print_json(&f->v, fp), 0);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(py_check(path,
			     "assert d[\"collector\"][\"open_file\"] is None "
			     "and d[\"exporters\"]==[] and "
			     "d[\"exporters_global\"][\"last_denied\"]==\"-\""),
	    0);
}

/* stats_write: the text, atomically (no temporary left), or -1. */
static void
test_write(void **state)
{
	struct sfix *f = *state;
	char path[128], got[4096];
	struct dirent *de;
	size_t n;
	FILE *fp;
	DIR *d;
	int files = 0;

	print(f, stats_print);
	snprintf(path, sizeof(path), "%s/stats", f->td.dir);
	assert_int_equal(stats_write(&f->v, path), 0);
	/* Again over the old one. */
	assert_int_equal(stats_write(&f->v, path), 0);
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(got, 1, sizeof(got), fp);
	fclose(fp);
	assert_int_equal(n, f->len);
	assert_memory_equal(got, f->text, n);
	d = opendir(f->td.dir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		files += de->d_name[0] != '.';
	closedir(d);
	assert_int_equal(files, 1);
	snprintf(path, sizeof(path), "%s/missing/stats", f->td.dir);
	errno = 0;
	assert_int_equal(stats_write(&f->v, path), -1);
	assert_int_equal(errno, ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_text),
		T(test_text_empty),
		T(test_json),
		T(test_write),
	};

	return cmocka_run_group_tests_name(
	    "collector_stats", tests, NULL, NULL);
}
