/*
 * Fuzz the NetFlow v5 encoder against the decoder: flows built from the
 * input are encoded and decoded back; every field v5 carries must survive
 * (counters saturated at 32 bits, AS numbers over 16 bits as AS_TRANS,
 * ifIndex saturated at 16 bits, times at ms precision from boot).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/nfdecode.h"
#include "lib/nfencode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BOOT_MS 1700000000000ull
#define NOW_MS  (BOOT_MS + 86400000ull)
#define NFLOWS  40

struct got {
	size_t n;
	struct flow f[NFLOWS];
};

static int
collect(void *arg, const struct flow *f)
{
	struct got *g = arg;

	if (g->n < NFLOWS)
		g->f[g->n++] = *f;
	return 0;
}

static uint64_t
take(const uint8_t **p, size_t *left, size_t n)
{
	uint64_t v = 0;

	while (n-- > 0 && *left > 0) {
		v = v << 8 | **p;
		(*p)++;
		(*left)--;
	}
	return v;
}

static void
check(const struct flow *in, const struct flow *out)
{
	if (out->src.v4 != in->src.v4 || out->dst.v4 != in->dst.v4 ||
	    out->bytes != (in->bytes > UINT32_MAX ? UINT32_MAX : in->bytes) ||
	    out->packets != in->packets || out->sport != in->sport ||
	    out->dport != in->dport || out->proto != in->proto ||
	    out->tos != in->tos || out->tcp_flags != in->tcp_flags ||
	    out->src_mask != in->src_mask ||
	    out->src_as != (in->src_as > 65535 ? 23456 : in->src_as) ||
	    out->in_if != (in->in_if > 65535 ? 65535 : in->in_if) ||
	    out->first_ms != in->first_ms || out->last_ms != in->last_ms)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct flow flows[NFLOWS];
	struct nf_encoder_opts o = { .version = 5, .boot_ms = BOOT_MS };
	struct nf_encoder *e;
	struct nf_session *s;
	struct nf_packet_info info;
	struct got g;
	uint8_t buf[1500];
	size_t n = 0, i, k, done = 0, consumed, skipped;
	ssize_t len;

	memset(flows, 0, sizeof(flows));
	o.sampling = (uint32_t)take(&data, &size, 1);
	while (size > 0 && n < NFLOWS) {
		struct flow *f = &flows[n++];

		if (take(&data, &size, 1) & 1)
			ft_addr_set_v6(
			    &f->src, (const uint8_t *)"0123456789abcdef");
		else
			ft_addr_set_v4(
			    &f->src, (uint32_t)take(&data, &size, 4));
		ft_addr_set_v4(&f->dst, (uint32_t)take(&data, &size, 4));
		f->bytes = take(&data, &size, 5);
		f->packets = take(&data, &size, 4);
		/* Times within the 24.8 days the signed uptime math covers. */
		f->first_ms = NOW_MS - take(&data, &size, 3);
		f->last_ms = f->first_ms + take(&data, &size, 2);
		if (f->last_ms > NOW_MS)
			f->last_ms = NOW_MS;
		f->sport = (uint16_t)take(&data, &size, 2);
		f->dport = (uint16_t)take(&data, &size, 2);
		f->proto = (uint8_t)take(&data, &size, 1);
		f->tos = (uint8_t)take(&data, &size, 1);
		f->tcp_flags = (uint8_t)take(&data, &size, 1);
		f->src_mask = (uint8_t)take(&data, &size, 1);
		f->src_as = (uint32_t)take(&data, &size, 3);
		f->in_if = (uint32_t)take(&data, &size, 3);
	}
	if ((e = nf_encoder_new(&o)) == NULL)
		return 0;
	if ((s = nf_session_new(NULL)) == NULL) {
		nf_encoder_free(e);
		return 0;
	}
	while (done < n) {
		len = nf_encoder_pack(e, flows + done, n - done, NOW_MS, buf,
		    sizeof(buf), &consumed, &skipped);
		if (len < 0 || consumed == 0)
			abort();
		memset(&g, 0, sizeof(g));
		if (len > 0) {
			if (nf_decode(s, buf, (size_t)len, NULL, NOW_MS,
				collect, &g, &info) != NF_OK)
				abort();
		}
		for (i = 0, k = 0; i < consumed; i++) {
			const struct flow *f = &flows[done + i];

			if (f->src.family != FT_AF_INET)
				continue;
			if (k >= g.n)
				abort();
			check(f, &g.f[k++]);
		}
		done += consumed;
	}
	nf_session_free(s);
	nf_encoder_free(e);
	return 0;
}
