/*
 * Golden decodes of real exports. As a cmocka test: the ipfixcol2 example
 * file (68 IPFIX messages) decodes to tshark's record count and counter
 * sums. With --print FILE...: decode the files in order as datagrams of one
 * exporter and print one JSON line per packet and per flow, for the
 * Logstash-expectation checker tests/tools/nf_golden_check.py.
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
#include "lib/nfdecode.h"
#include "nf_testutil.h"

static uint8_t *
read_file(const char *path, size_t *len)
{
	FILE *fp;
	uint8_t *buf = NULL;
	long n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else
			*len = (size_t)n;
	}
	fclose(fp);
	return buf;
}

static int
print_flow(void *arg, const struct flow *f)
{
	char s[ADDR_STRLEN], d[ADDR_STRLEN], n[ADDR_STRLEN];

	(void)arg;
	printf("{\"type\":\"flow\",\"src\":\"%s\",\"dst\":\"%s\","
	       "\"nexthop\":\"%s\",\"sport\":%u,\"dport\":%u,\"proto\":%u,"
	       "\"tos\":%u,\"tcp_flags\":%u,\"in_if\":%u,\"out_if\":%u,"
	       "\"src_as\":%u,\"dst_as\":%u,\"src_mask\":%u,\"dst_mask\":%u,"
	       "\"bytes\":%llu,\"packets\":%llu,\"first_ms\":%llu,"
	       "\"last_ms\":%llu,\"sampling\":%u,\"direction\":%u,"
	       "\"vlan\":%u}\n",
	    addr_format(&f->src, s, sizeof(s)),
	    addr_format(&f->dst, d, sizeof(d)),
	    addr_format(&f->nexthop, n, sizeof(n)), f->sport, f->dport,
	    f->proto, f->tos, f->tcp_flags, f->in_if, f->out_if, f->src_as,
	    f->dst_as, f->src_mask, f->dst_mask, (unsigned long long)f->bytes,
	    (unsigned long long)f->packets, (unsigned long long)f->first_ms,
	    (unsigned long long)f->last_ms, f->sampling, f->direction, f->vlan);
	return 0;
}

static void
print_option(void *arg, uint16_t tid)
{
	(void)arg;
	printf("{\"type\":\"options\",\"template\":%u}\n", tid);
}

static int
print_mode(int argc, char **argv)
{
	struct nf_session *s = nf_session_new(NULL);
	struct nf_packet_info info;
	struct sockaddr_in from = { .sin_family = AF_INET,
		.sin_port = htons(4444),
		.sin_addr = { .s_addr = htonl(0xc0000201) } };
	uint8_t *buf;
	size_t len;
	int i, rc;

	if (s == NULL)
		return 1;
	nf_session_set_options_fn(s, print_option, NULL);
	for (i = 0; i < argc; i++) {
		if ((buf = read_file(argv[i], &len)) == NULL) {
			perror(argv[i]);
			nf_session_free(s);
			return 1;
		}
		rc = nf_decode(s, buf, len, (struct sockaddr *)&from, 0,
		    print_flow, NULL, &info);
		printf("{\"type\":\"packet\",\"file\":\"%s\",\"rc\":%d,"
		       "\"version\":%u,\"records\":%u,\"options\":%u,"
		       "\"held\":%u,\"released\":%u,\"templates\":%u,"
		       "\"export_ms\":%llu}\n",
		    argv[i], rc, info.version, info.records, info.options,
		    info.held, info.released, info.templates,
		    (unsigned long long)info.export_ms);
		free(buf);
	}
	nf_session_free(s);
	return 0;
}

struct sums {
	uint64_t records, octets, packets;
};

static int
sum_flow(void *arg, const struct flow *f)
{
	struct sums *sm = arg;

	sm->records++;
	sm->octets += f->bytes;
	sm->packets += f->packets;
	return 0;
}

/* The ipfixcol2 file: concatenated IPFIX messages, each one datagram. */
static void
test_nf_golden_ipfixcol2(void **state)
{
	struct nf_session *s = nf_session_new(NULL);
	struct nf_packet_info info;
	struct sums sm = { 0 };
	char path[4096];
	const char *src = getenv("FT_SRCDIR");
	uint8_t *buf;
	size_t len, off = 0, mlen, msgs = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/data/netflow/%s",
	    src ? src : ".", "example_flows.ipfix");
	assert_non_null(buf = read_file(path, &len));
	while (off + 4 <= len) {
		mlen = (size_t)buf[off + 2] << 8 | buf[off + 3];
		assert_true(mlen >= 16 && off + mlen <= len);
		assert_int_equal(
		    nf_decode(s, buf + off, mlen, (struct sockaddr *)&nft_from4,
			0, sum_flow, &sm, &info),
		    NF_OK);
		off += mlen;
		msgs++;
	}
	assert_int_equal(off, len);
	assert_int_equal(msgs, 68);
	/* tshark: 3979 data records, octets 49001404, packets 56695. */
	assert_int_equal(sm.records, 3979);
	assert_int_equal(sm.octets, 49001404);
	assert_int_equal(sm.packets, 56695);
	free(buf);
	nf_session_free(s);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nf_golden_ipfixcol2),
	};

	if (argc > 1 && strcmp(argv[1], "--print") == 0)
		return print_mode(argc - 2, argv + 2);
	return cmocka_run_group_tests_name("nf_golden", tests, NULL, NULL);
}
