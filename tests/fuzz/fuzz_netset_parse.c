/*
 * Fuzz target for prefix parsing and prefix sets: each input line is a
 * prefix string, parsed (strictly and with host bits allowed), formatted
 * and re-parsed (must round-trip), added to a netset; then every lookup is
 * made on the built set and the unbuilt scan, which must agree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "lib/netset.h"

#define FUZZ_MAX_LINES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int ok)
{
	if (!ok)
		abort();
}

/* Lookups of a on both sets must give the same answers. */
static void
compare(const struct netset *built, const struct netset *scan,
    const struct ft_addr *a)
{
	uint32_t v1 = 0, v2 = 0, all1[FUZZ_MAX_LINES * 2],
		 all2[FUZZ_MAX_LINES * 2];
	size_t n1, n2;
	int f1, f2;

	f1 = netset_lookup(built, a, &v1);
	f2 = netset_lookup(scan, a, &v2);
	check(f1 == f2 && (!f1 || v1 == v2));
	check(netset_contains(built, a) == f1);
	n1 = netset_match_all(built, a, all1, FUZZ_MAX_LINES * 2);
	n2 = netset_match_all(scan, a, all2, FUZZ_MAX_LINES * 2);
	check(n1 == n2 && n1 <= FUZZ_MAX_LINES * 2);
	check(memcmp(all1, all2, n1 * sizeof(*all1)) == 0);
	check((n1 > 0) == (f1 != 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netset *built = NULL, *scan = NULL;
	struct ft_prefix pre[FUZZ_MAX_LINES], p2;
	struct ft_addr probe;
	char line[ADDR_STRLEN * 2], text[ADDR_STRLEN];
	size_t i = 0, n, np = 0, k;

	if ((built = netset_new()) == NULL || (scan = netset_new()) == NULL)
		goto done;
	while (i < size && np < FUZZ_MAX_LINES) {
		for (n = 0; i < size && data[i] != '\n'; i++)
			if (n < sizeof(line) - 1)
				line[n++] = (char)data[i];
		i++;
		line[n] = '\0';
		if (addr_parse_prefix(line, 1, &pre[np]) == -1) {
			check(addr_parse_prefix(line, 0, &p2) == -1);
			check(netset_add_str(built, line, 0) == -1);
			continue;
		}
		/* Formatting and parsing again gives the same prefix. */
		addr_format_prefix(&pre[np], text, sizeof(text));
		check(addr_parse_prefix(text, 0, &p2) == 0);
		check(p2.len == pre[np].len &&
		    ft_addr_equal(&p2.addr, &pre[np].addr));
		check(netset_add(built, &pre[np], (uint32_t)(np % 7)) == 0);
		check(netset_add(scan, &pre[np], (uint32_t)(np % 7)) == 0);
		np++;
	}
	check(netset_count(built) == netset_count(scan));
	if (netset_build(built) == -1)
		goto done;
	for (k = 0; k < np; k++) {
		probe = pre[k].addr;
		compare(built, scan, &probe);
		/* The last address of the prefix and one past it. */
		if (probe.family == FT_AF_INET) {
			probe.v4 |= pre[k].len == 0 ? 0xffffffffu
			    : pre[k].len >= 32      ? 0
						    : 0xffffffffu >> pre[k].len;
			compare(built, scan, &probe);
			probe.v4++;
			compare(built, scan, &probe);
		} else {
			for (n = pre[k].len; n < 128; n++)
				probe.v6[n / 8] |= (uint8_t)(0x80 >> (n % 8));
			compare(built, scan, &probe);
			for (n = 16; n > 0 && ++probe.v6[n - 1] == 0; n--)
				;
			compare(built, scan, &probe);
		}
	}
done:
	netset_free(built);
	netset_free(scan);
	return 0;
}
