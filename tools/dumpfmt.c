/*
 * One line per record as aligned text, CSV or JSON Lines. Times are UTC
 * ISO 8601 with milliseconds, addresses in standard text form; no name
 * lookups of any kind.
 */
#include "tools/dumpfmt.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "lib/tmutil.h"

static const char *const dumpfmt_names[DUMPFMT_NCOLS] = {
	[DUMPFMT_FIRST] = "first",
	[DUMPFMT_LAST] = "last",
	[DUMPFMT_EXPORTER] = "exporter",
	[DUMPFMT_SRC] = "src",
	[DUMPFMT_DST] = "dst",
	[DUMPFMT_SPORT] = "sport",
	[DUMPFMT_DPORT] = "dport",
	[DUMPFMT_PROTO] = "proto",
	[DUMPFMT_TOS] = "tos",
	[DUMPFMT_TCP_FLAGS] = "tcp_flags",
	[DUMPFMT_PACKETS] = "packets",
	[DUMPFMT_BYTES] = "bytes",
	[DUMPFMT_IN_IF] = "in_if",
	[DUMPFMT_OUT_IF] = "out_if",
	[DUMPFMT_SRC_AS] = "src_as",
	[DUMPFMT_DST_AS] = "dst_as",
	[DUMPFMT_SAMPLING] = "sampling",
	[DUMPFMT_NEXTHOP] = "nexthop",
	[DUMPFMT_SRC_MASK] = "src_mask",
	[DUMPFMT_DST_MASK] = "dst_mask",
	[DUMPFMT_DIRECTION] = "direction",
	[DUMPFMT_VLAN] = "vlan",
};

/* Text columns: widths fit IPv4; longer values push the line right. */
#define DUMPFMT_TEXT_FMT                                                       \
	"%-24s %-24s %-5s %-15s %5s %-15s %5s %10s %14s %-8s %3s %6s %6s "     \
	"%10s %10s %-15s %s\n"

#define DUMPFMT_MAX_MS 253402300799999ULL /* 9999-12-31T23:59:59.999Z */

char *
dumpfmt_time(uint64_t ms, char *buf, size_t len)
{
	if (ms > DUMPFMT_MAX_MS) {
		snprintf(buf, len, "@%" PRIu64, ms);
		return buf;
	}
	return tm_format_iso_ms(ms, buf, len);
}

int
dumpfmt_parse_time(const char *s, uint64_t *ms)
{
	unsigned long long v;
	char *end;

	if (*s != '@')
		return tm_parse(s, ms);
	if (s[1] < '0' || s[1] > '9')
		return -1;
	errno = 0;
	v = strtoull(s + 1, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*ms = v;
	return 0;
}

const char *
dumpfmt_col_name(enum dumpfmt_col c)
{
	return (unsigned)c < DUMPFMT_NCOLS ? dumpfmt_names[c] : "?";
}

int
dumpfmt_parse_kind(const char *s, enum dumpfmt_kind *k)
{
	if (strcmp(s, "text") == 0)
		*k = DUMPFMT_TEXT;
	else if (strcmp(s, "csv") == 0)
		*k = DUMPFMT_CSV;
	else if (strcmp(s, "json") == 0)
		*k = DUMPFMT_JSON;
	else
		return -1;
	return 0;
}

char *
dumpfmt_tcp_flags(unsigned flags, char *buf, size_t len)
{
	static const char letters[] = "CEUAPRSF";
	char t[9];
	int i;

	for (i = 0; i < 8; i++)
		t[i] = (flags & (0x80u >> i)) ? letters[i] : '.';
	t[8] = '\0';
	snprintf(buf, len, "%s", t);
	return buf;
}

static const char *
dumpfmt_proto(unsigned p, char *buf, size_t len)
{
	switch (p) {
	case 1:
		return "icmp";
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 47:
		return "gre";
	case 50:
		return "esp";
	case 58:
		return "icmp6";
	case 132:
		return "sctp";
	default:
		snprintf(buf, len, "%u", p);
		return buf;
	}
}

char *
dumpfmt_header(enum dumpfmt_kind k, char *buf, size_t len)
{
	size_t off = 0;
	int i, n;

	buf[0] = '\0';
	if (k == DUMPFMT_TEXT) {
		snprintf(buf, len, DUMPFMT_TEXT_FMT, "first", "last", "proto",
		    "src", "sport", "dst", "dport", "packets", "bytes", "flags",
		    "tos", "in_if", "out_if", "src_as", "dst_as", "exporter",
		    "sampling");
	} else if (k == DUMPFMT_CSV) {
		for (i = 0; i < DUMPFMT_NCOLS; i++) {
			n = snprintf(buf + off, len - off, "%s%s",
			    i > 0 ? "," : "", dumpfmt_names[i]);
			if (n < 0 || (size_t)n >= len - off)
				return buf;
			off += (size_t)n;
		}
		snprintf(buf + off, len - off, "\n");
	}
	return buf;
}

int
dumpfmt_record(enum dumpfmt_kind k, const struct flow *f, char *buf, size_t len)
{
	char first[32], last[32], exp[ADDR_STRLEN], src[ADDR_STRLEN],
	    dst[ADDR_STRLEN], nh[ADDR_STRLEN], fl[16], pr[8];
	char sp[8], dp[8], pk[24], by[24], tos[4], ii[12], oi[12], sa[12],
	    da[12], smp[12];
	int n = -1;

	dumpfmt_time(f->first_ms, first, sizeof(first));
	dumpfmt_time(f->last_ms, last, sizeof(last));
	addr_format(&f->exporter, exp, sizeof(exp));
	addr_format(&f->src, src, sizeof(src));
	addr_format(&f->dst, dst, sizeof(dst));
	addr_format(&f->nexthop, nh, sizeof(nh));
	switch (k) {
	case DUMPFMT_TEXT:
		snprintf(sp, sizeof(sp), "%u", f->sport);
		snprintf(dp, sizeof(dp), "%u", f->dport);
		snprintf(pk, sizeof(pk), "%" PRIu64, f->packets);
		snprintf(by, sizeof(by), "%" PRIu64, f->bytes);
		snprintf(tos, sizeof(tos), "%u", f->tos);
		snprintf(ii, sizeof(ii), "%u", f->in_if);
		snprintf(oi, sizeof(oi), "%u", f->out_if);
		snprintf(sa, sizeof(sa), "%u", f->src_as);
		snprintf(da, sizeof(da), "%u", f->dst_as);
		snprintf(smp, sizeof(smp), "%u", f->sampling);
		n = snprintf(buf, len, DUMPFMT_TEXT_FMT, first, last,
		    dumpfmt_proto(f->proto, pr, sizeof(pr)), src, sp, dst, dp,
		    pk, by, dumpfmt_tcp_flags(f->tcp_flags, fl, sizeof(fl)),
		    tos, ii, oi, sa, da, exp, smp);
		break;
	case DUMPFMT_CSV:
		n = snprintf(buf, len,
		    "%s,%s,%s,%s,%s,%u,%u,%u,%u,%u,%" PRIu64 ",%" PRIu64
		    ",%u,%u,%u,%u,%u,%s,%u,%u,%u,%u\n",
		    first, last, exp, src, dst, f->sport, f->dport, f->proto,
		    f->tos, f->tcp_flags, f->packets, f->bytes, f->in_if,
		    f->out_if, f->src_as, f->dst_as, f->sampling, nh,
		    f->src_mask, f->dst_mask, f->direction, f->vlan);
		break;
	case DUMPFMT_JSON:
		n = snprintf(buf, len,
		    "{\"first\":\"%s\",\"last\":\"%s\",\"exporter\":\"%s\","
		    "\"src\":\"%s\",\"dst\":\"%s\",\"sport\":%u,\"dport\":%u,"
		    "\"proto\":%u,\"tos\":%u,\"tcp_flags\":%u,"
		    "\"packets\":%" PRIu64 ",\"bytes\":%" PRIu64 ","
		    "\"in_if\":%u,\"out_if\":%u,\"src_as\":%u,\"dst_as\":%u,"
		    "\"sampling\":%u,\"nexthop\":\"%s\",\"src_mask\":%u,"
		    "\"dst_mask\":%u,\"direction\":%u,\"vlan\":%u}\n",
		    first, last, exp, src, dst, f->sport, f->dport, f->proto,
		    f->tos, f->tcp_flags, f->packets, f->bytes, f->in_if,
		    f->out_if, f->src_as, f->dst_as, f->sampling, nh,
		    f->src_mask, f->dst_mask, f->direction, f->vlan);
		break;
	}
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}
