/*
 * Golden-file test for lib/netset.c in the bgpd rde_trie_test style: runs
 * the commands of tests/data/netset/netset.N.in and compares what they
 * print with netset.N.out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/addr.h"
#include "lib/netset.h"

/* Run one command line on ns, appending its output to out. */
static void
run_line(struct netset *ns, char *line, FILE *out)
{
	char cmd[16], arg[ADDR_STRLEN], fmt[ADDR_STRLEN];
	unsigned long value;
	uint32_t v, all[64];
	struct ft_addr a;
	size_t n, i;

	line[strcspn(line, "\n")] = '\0';
	if (line[0] == '#' || line[0] == '\0')
		return;
	if (sscanf(line, "add %63s %lu", arg, &value) == 2) {
		if (netset_add_str(ns, arg, (uint32_t)value) == -1)
			fprintf(out, "add %s: error\n", arg);
		return;
	}
	if (strcmp(line, "build") == 0) {
		assert_int_equal(netset_build(ns), 0);
		return;
	}
	if (strcmp(line, "count") == 0) {
		fprintf(out, "count %zu\n", netset_count(ns));
		return;
	}
	if (sscanf(line, "%15s %63s", cmd, arg) != 2 ||
	    addr_parse(arg, &a) == -1)
		fail_msg("bad line: %s", line);
	addr_format(&a, fmt, sizeof(fmt));
	if (strcmp(cmd, "lookup") == 0) {
		if (netset_lookup(ns, &a, &v))
			fprintf(out, "lookup %s %u\n", fmt, v);
		else
			fprintf(out, "lookup %s -\n", fmt);
	} else if (strcmp(cmd, "all") == 0) {
		n = netset_match_all(ns, &a, all, 64);
		fprintf(out, "all %s", fmt);
		for (i = 0; i < n && i < 64; i++)
			fprintf(out, " %u", all[i]);
		fprintf(out, "\n");
	} else {
		fail_msg("bad command: %s", line);
	}
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	if (fp == NULL)
		fail_msg("cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	assert_non_null(buf = calloc(1, (size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	return buf;
}

static void
test_netset_golden(void **state)
{
	const char *src = getenv("FT_SRCDIR");
	char in[4096], want[4096], line[256];
	char *got = NULL, *expect;
	size_t len = 0;
	struct netset *ns;
	FILE *fp, *out;
	int k;

	(void)state;
	assert_non_null(src);
	for (k = 1;; k++) {
		snprintf(in, sizeof(in), "%s/tests/data/netset/netset.%d.in",
		    src, k);
		if ((fp = fopen(in, "r")) == NULL)
			break;
		snprintf(want, sizeof(want),
		    "%s/tests/data/netset/netset.%d.out", src, k);
		assert_non_null(ns = netset_new());
		assert_non_null(out = open_memstream(&got, &len));
		while (fgets(line, sizeof(line), fp) != NULL)
			run_line(ns, line, out);
		fclose(out);
		fclose(fp);
		expect = slurp(want);
		if (strcmp(got, expect) != 0)
			fail_msg(
			    "%s: output differs from %s:\n%s", in, want, got);
		free(expect);
		free(got);
		got = NULL;
		netset_free(ns);
	}
	assert_true(k > 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_netset_golden),
	};
	return cmocka_run_group_tests_name("netset_golden", tests, NULL, NULL);
}
