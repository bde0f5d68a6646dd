/*
 * flowtally-dump's CSV: formatting of extreme values, import of what it
 * prints (exact round trip through a flow file), and import errors that
 * name the line and column.
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

#include "lib/flowfile.h"
#include "tdir_testutil.h"
#include "tools/dumpfmt.h"
#include "tools/dumpimport.h"

static void
extreme_flow(struct flow *f)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0x01 };

	memset(f, 0, sizeof(*f));
	f->bytes = UINT64_MAX;
	f->packets = UINT64_MAX - 1;
	f->first_ms = 0;
	f->last_ms = UINT64_MAX; /* past year 9999: "@<ms>" */
	ft_addr_set_v6(&f->src, v6);
	ft_addr_set_v4(&f->dst, 0xffffffff);
	ft_addr_set_v4(&f->exporter, 0x7f000001);
	f->in_if = UINT32_MAX;
	f->out_if = 1;
	f->src_as = 4200000000u;
	f->dst_as = 0;
	f->sampling = 0;
	f->sport = 65535;
	f->dport = 3 << 8 | 1;
	f->proto = 255;
	f->tos = 255;
	f->tcp_flags = 0xff;
	f->src_mask = 128;
	f->dst_mask = 32;
	f->direction = FLOW_DIR_UNKNOWN;
	f->vlan = 4095;
}

static void
test_dump_csv_format(void **state)
{
	char line[DUMPFMT_LINE_MAX], hdr[DUMPFMT_LINE_MAX];
	struct flow f;

	(void)state;
	extreme_flow(&f);
	assert_true(dumpfmt_record(DUMPFMT_CSV, &f, line, sizeof(line)) > 0);
	assert_string_equal(line,
	    "1970-01-01T00:00:00.000Z,@18446744073709551615,127.0.0.1,"
	    "2001:db8::1,255.255.255.255,65535,769,255,255,255,"
	    "18446744073709551614,18446744073709551615,4294967295,1,"
	    "4200000000,0,0,-,128,32,255,4095\n");
	dumpfmt_header(DUMPFMT_CSV, hdr, sizeof(hdr));
	assert_non_null(strstr(hdr,
	    "first,last,exporter,src,dst,sport,dport,proto,tos,tcp_flags,"
	    "packets,bytes,in_if,out_if,src_as,dst_as,sampling"));
	assert_int_equal(dumpfmt_record(DUMPFMT_CSV, &f, line, 20), -1);
	assert_true(dumpfmt_record(DUMPFMT_JSON, &f, line, sizeof(line)) > 0);
	assert_non_null(strstr(line, "\"last\":\"@18446744073709551615\""));
	assert_true(dumpfmt_record(DUMPFMT_TEXT, &f, line, sizeof(line)) > 0);
	assert_non_null(strstr(line, " CEUAPRSF "));
}

/*
 * Import csv text into a fresh directory (dir: 64 bytes); returns 0/-1
 * like the import.
 */
static int
import(const char *csv, char *dir, char *path, size_t len, struct errbuf *eb)
{
	struct dumpimport_opts o = { .start_s = 1700000100,
		.end_s = 1700000400,
		.codec = FLOWFILE_CODEC_ZSTD };
	FILE *fp = fmemopen((void *)csv, strlen(csv), "r");
	int rv;

	assert_non_null(fp);
	assert_int_equal(tdir_make(dir, 64, "dump_csv"), 0);
	rv = dumpimport_csv(fp, "in.csv", dir, &o, path, len, eb);
	fclose(fp);
	return rv;
}

static void
cleanup(const char *dir)
{
	assert_int_equal(tdir_remove(dir), 0);
}

static void
test_dump_csv_import_roundtrip(void **state)
{
	char csv[2 * DUMPFMT_LINE_MAX], dir[64], path[512];
	struct flowfile_reader *r;
	struct errbuf eb;
	struct flow f, g[2];
	size_t off;

	(void)state;
	extreme_flow(&f);
	dumpfmt_header(DUMPFMT_CSV, csv, sizeof(csv));
	off = strlen(csv);
	dumpfmt_record(DUMPFMT_CSV, &f, csv + off, sizeof(csv) - off);
	assert_int_equal(import(csv, dir, path, sizeof(path), &eb), 0);
	assert_int_equal(flowfile_open(path, &r, &eb), 0);
	assert_int_equal(flowfile_header(r)->n_exporters, 1);
	assert_int_equal(flowfile_header(r)->exporters[0].flows, 1);
	assert_int_equal(flowfile_read(r, g, 2, &eb), 1);
	assert_memory_equal(&f, &g[0], sizeof(f));
	assert_int_equal(flowfile_read(r, g, 2, &eb), 0);
	flowfile_close(r);
	cleanup(dir);
}

static void
test_dump_csv_import_subset(void **state)
{
	char dir[64], path[512];
	struct flowfile_reader *r;
	struct errbuf eb;
	struct flow g[2];

	(void)state;
	assert_int_equal(import("bytes,src,first\n"
				"1500,10.0.0.1,2023-11-14T22:15:01.5\n",
			     dir, path, sizeof(path), &eb),
	    -1);
	assert_string_equal(eb.msg,
	    "in.csv:2: bad value '2023-11-14T22:15:01.5' for column 'first'");
	cleanup(dir);
	assert_int_equal(
	    import("bytes,src,first\r\n"
		   "1500,10.0.0.1,2023-11-14T22:15:01.500Z\r\n\r\n",
		dir, path, sizeof(path), &eb),
	    0);
	assert_int_equal(flowfile_open(path, &r, &eb), 0);
	assert_int_equal(flowfile_read(r, g, 2, &eb), 1);
	assert_int_equal(g[0].bytes, 1500);
	assert_int_equal(g[0].src.family, FT_AF_INET);
	assert_int_equal(g[0].src.v4, 0x0a000001);
	assert_int_equal(g[0].dst.family, FT_AF_NONE);
	assert_int_equal(g[0].first_ms, 1700000101500ULL);
	flowfile_close(r);
	cleanup(dir);
}

static void
test_dump_csv_import_errors(void **state)
{
	static const struct {
		const char *csv;
		const char *msg;
	} cases[] = {
		{ "", "in.csv:1: no header line" },
		{ "bytes,colour\n", "in.csv:1: unknown column 'colour'" },
		{ "bytes,bytes\n", "in.csv:1: duplicate column 'bytes'" },
		{ "bytes,src\n1,10.0.0.1,3\n", "in.csv:2: expected 2 fields" },
		{ "bytes,src\n1\n", "in.csv:2: expected 2 fields" },
		{ "sport\n65536\n",
		    "in.csv:2: bad value '65536' for column 'sport'" },
		{ "proto\n-1\n",
		    "in.csv:2: bad value '-1' for column 'proto'" },
		{ "bytes\n18446744073709551616\n",
		    "in.csv:2: bad value '18446744073709551616' for column 'bytes'" },
		{ "src\n10.0.0.300\n",
		    "in.csv:2: bad value '10.0.0.300' for column 'src'" },
		{ "tos\n1\n2x\n", "in.csv:3: bad value '2x' for column 'tos'" },
	};
	char dir[64], path[512];
	struct errbuf eb;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(
		    import(cases[i].csv, dir, path, sizeof(path), &eb), -1);
		assert_string_equal(eb.msg, cases[i].msg);
		/* Nothing is left behind, not even an in-progress file. */
		assert_int_equal(rmdir(dir), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dump_csv_format),
		cmocka_unit_test(test_dump_csv_import_roundtrip),
		cmocka_unit_test(test_dump_csv_import_subset),
		cmocka_unit_test(test_dump_csv_import_errors),
	};

	return cmocka_run_group_tests_name("dump_csv", tests, NULL, NULL);
}
