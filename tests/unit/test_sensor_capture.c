/*
 * The sensor's capture files (never a live interface): pcap files written
 * here with pcap_dump and as raw bytes (nanosecond pcap, a truncated
 * record), frames handed with millisecond times, dispatch counts and end
 * of file, BPF filters, and errors naming the file and the filter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame_testutil.h"
#include "sensor/capture.h"
#include "tdir_testutil.h"

#define SEC 1700000000

struct got {
	size_t n;
	uint64_t ts[16];
	uint32_t caplen[16], wirelen[16];
	uint8_t proto[16];
};

static void
collect(void *arg, const struct capture_pkt *p)
{
	struct got *g = arg;

	if (g->n < 16) {
		g->ts[g->n] = p->ts_ms;
		g->caplen[g->n] = p->caplen;
		g->wirelen[g->n] = p->wirelen;
		g->proto[g->n] = p->caplen > 23 ? p->data[23] : 0;
	}
	g->n++;
}

static int
setup(void **state)
{
	return tdir_setup(state, "cap");
}

/*
 * Write path with pcap_dump: n Ethernet frames, UDP (even i) or TCP (odd
 * i), frame i at SEC + i seconds and i * 1001 + 999 microseconds, the last
 * captured short (snaplen 40) when cut.
 */
static void
write_pcap(const char *path, size_t n, int cut)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d;
	struct pcap_pkthdr h;
	struct frame f;
	size_t i;

	assert_non_null(p);
	d = pcap_dump_open(p, path);
	assert_non_null(d);
	for (i = 0; i < n; i++) {
		memset(&f, 0, sizeof(f));
		frame_eth(&f, 0x0800);
		if (i % 2 == 0) {
			frame_ipv4(&f, 17, 8 + 10, 0);
			frame_udp(&f, 10);
			frame_payload(&f, 10);
		} else {
			frame_ipv4(&f, 6, 20, 0);
			frame_tcp(&f, 0x02);
		}
		h.ts.tv_sec = SEC + (time_t)i;
		h.ts.tv_usec = (suseconds_t)(i * 1001 + 999);
		h.len = (bpf_u_int32)f.len;
		h.caplen = cut && i == n - 1 ? 40 : h.len;
		pcap_dump((u_char *)d, &h, f.b);
	}
	pcap_dump_close(d);
	pcap_close(p);
}

static void
test_file_frames(void **state)
{
	struct tdir_fix *t = *state;
	struct errbuf eb = { "" };
	struct capture *c;
	struct got g = { 0 };
	char path[128];
	size_t i;

	snprintf(path, sizeof(path), "%s/five.pcap", t->dir);
	write_pcap(path, 5, 1);
	c = capture_open_file(path, NULL, &eb);
	assert_non_null(c);
	assert_int_equal(capture_linktype(c), DLT_EN10MB);
	assert_int_equal(capture_fd(c), -1);
	/* At most cnt frames a call, then -2 at the end of the file. */
	assert_int_equal(capture_dispatch(c, 2, collect, &g, &eb), 2);
	assert_int_equal(capture_dispatch(c, 2, collect, &g, &eb), 2);
	assert_int_equal(capture_dispatch(c, 2, collect, &g, &eb), 1);
	assert_int_equal(capture_dispatch(c, 2, collect, &g, &eb), -2);
	assert_int_equal(capture_dispatch(c, -1, collect, &g, &eb), -2);
	assert_int_equal(g.n, 5);
	for (i = 0; i < 5; i++) {
		/* Microseconds truncated to milliseconds. */
		assert_int_equal(g.ts[i],
		    (uint64_t)(SEC + i) * 1000 + (i * 1001 + 999) / 1000);
		assert_int_equal(g.proto[i], i % 2 ? 6 : 17);
	}
	assert_int_equal(g.ts[0], 1700000000000ull);
	assert_int_equal(g.ts[4], 1700000004005ull);
	assert_int_equal(g.caplen[0], 14 + 20 + 8 + 10);
	assert_int_equal(g.wirelen[0], g.caplen[0]);
	assert_int_equal(g.caplen[4], 40);
	assert_int_equal(g.wirelen[4], 14 + 20 + 8 + 10);
	/* Files have no kernel statistics. */
	{
		uint64_t r, d, ifd;

		assert_int_equal(capture_stats(c, &r, &d, &ifd), -1);
	}
	capture_close(c);
	capture_close(NULL);
}

static void
test_filter(void **state)
{
	struct tdir_fix *t = *state;
	struct errbuf eb = { "" };
	struct capture *c;
	struct got g = { 0 };
	char path[128], want[256];

	snprintf(path, sizeof(path), "%s/f.pcap", t->dir);
	write_pcap(path, 6, 0);
	c = capture_open_file(path, "tcp", &eb);
	assert_non_null(c);
	/* Frames the filter refuses count for nothing, even at cnt 1. */
	assert_int_equal(capture_dispatch(c, 1, collect, &g, &eb), 1);
	assert_int_equal(capture_dispatch(c, -1, collect, &g, &eb), 2);
	assert_int_equal(capture_dispatch(c, -1, collect, &g, &eb), -2);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.proto[0], 6);
	assert_int_equal(g.proto[2], 6);
	capture_close(c);
	/* An empty filter is no filter. */
	c = capture_open_file(path, "", &eb);
	assert_non_null(c);
	g.n = 0;
	assert_int_equal(capture_dispatch(c, -1, collect, &g, &eb), 6);
	capture_close(c);
	/* A bad expression: the file and the filter are named. */
	assert_null(capture_open_file(path, "port nonsense or", &eb));
	snprintf(want, sizeof(want), "%s: filter \"port nonsense or\": ", path);
	assert_int_equal(strncmp(eb.msg, want, strlen(want)), 0);
	assert_true(strlen(eb.msg) > strlen(want));
}

static void
test_open_errors(void **state)
{
	struct tdir_fix *t = *state;
	struct errbuf eb = { "" };
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/missing.pcap", t->dir);
	assert_null(capture_open_file(path, NULL, &eb));
	assert_non_null(strstr(eb.msg, path));
	assert_non_null(strstr(eb.msg, "No such file"));
	/* Not a capture file. */
	snprintf(path, sizeof(path), "%s/text.pcap", t->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("this is not a capture file at all\n", fp);
	fclose(fp);
	memset(&eb, 0, sizeof(eb));
	assert_null(capture_open_file(path, NULL, &eb));
	assert_int_equal(strncmp(eb.msg, path, strlen(path)), 0);
	/* Through a stream: the given name is used, the stream closed. */
	fp = fopen(path, "r");
	assert_non_null(fp);
	memset(&eb, 0, sizeof(eb));
	assert_null(capture_open_fp(fp, "stdin-test", NULL, &eb));
	assert_int_equal(strncmp(eb.msg, "stdin-test: ", 12), 0);
}

static void
put32le(FILE *fp, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
		(uint8_t)(v >> 24) };

	assert_int_equal(fwrite(b, 1, 4, fp), 4);
}

/*
 * Raw bytes: a nanosecond pcap (magic a1b23c4d) of two frames, the second
 * record cut short; read through capture_open_fp.
 */
static void
test_nanosecond_truncated(void **state)
{
	struct tdir_fix *t = *state;
	struct errbuf eb = { "" };
	struct capture *c;
	struct got g = { 0 };
	struct frame f;
	char path[128];
	FILE *fp;
	int i;

	frame_eth_udp4(&f, 4);
	snprintf(path, sizeof(path), "%s/ns.pcap", t->dir);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	put32le(fp, 0xa1b23c4d);
	put32le(fp, 0x00040002); /* version 2.4 */
	put32le(fp, 0);
	put32le(fp, 0);
	put32le(fp, 65535);
	put32le(fp, 1); /* Ethernet */
	for (i = 0; i < 2; i++) {
		put32le(fp, SEC);
		put32le(fp, 999999999); /* ns: 999 ms, not rounded up */
		put32le(fp, (uint32_t)f.len);
		put32le(fp, (uint32_t)f.len);
		assert_int_equal(fwrite(f.b, 1, i == 0 ? f.len : 10, fp),
		    i == 0 ? f.len : 10);
	}
	fclose(fp);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	c = capture_open_fp(fp, "ns", NULL, &eb);
	assert_non_null(c);
	assert_int_equal(capture_linktype(c), DLT_EN10MB);
	assert_int_equal(capture_dispatch(c, 1, collect, &g, &eb), 1);
	assert_int_equal(g.ts[0], (uint64_t)SEC * 1000 + 999);
	assert_int_equal(g.caplen[0], f.len);
	/* The cut record is an error, with libpcap's reason. */
	assert_int_equal(capture_dispatch(c, 1, collect, &g, &eb), -1);
	assert_non_null(strstr(eb.msg, "truncated"));
	assert_int_equal(g.n, 1);
	capture_close(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_file_frames, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_filter, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_open_errors, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_nanosecond_truncated, setup, tdir_teardown),
	};

	return cmocka_run_group_tests_name("sensor_capture", tests, NULL, NULL);
}
