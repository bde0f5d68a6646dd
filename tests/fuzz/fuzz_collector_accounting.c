/*
 * The collector's per-datagram path on hostile input: header peeking
 * (version, domain), the exporter table, decoding with one small-limit
 * session, sampling application and sequence accounting, then a snapshot.
 * Input: datagrams framed as a 2-byte big-endian length and the bytes; the
 * first byte of each also picks the source port, so several streams mix.
 */
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "collector/exporter.h"
#include "lib/nfdecode.h"

struct fuzz_ctx {
	struct exporter *e;
	uint64_t sum;
};

static int
fuzz_emit(void *arg, const struct flow *f)
{
	struct fuzz_ctx *c = arg;
	struct flow copy = *f;

	exporter_flow(c->e, &copy);
	c->sum += copy.bytes + copy.packets + copy.sampling;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct flowfile_exporter snap[8];
	struct nf_limits lim = {
		.max_templates = 16, .max_held_bytes = 4096, .max_exporters = 4
	};
	struct nf_session *s = nf_session_new(&lim);
	struct exporter_table *t = exporter_table_new(4);
	struct nf_packet_info info;
	struct sockaddr_in from;
	struct fuzz_ctx c = { 0 };
	uint16_t version;
	uint32_t domain;
	size_t off = 0, len;
	uint64_t now = 1700000000000ULL;
	int err;

	if (s == NULL || t == NULL)
		goto done;
	memset(&from, 0, sizeof(from));
	from.sin_family = AF_INET;
	from.sin_addr.s_addr = htonl(0x7f000001);
	while (off + 2 <= size) {
		len = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (len > size - off)
			len = size - off;
		from.sin_port =
		    htons((uint16_t)(2055 + (len ? data[off] % 3 : 0)));
		if (exporter_peek(data + off, len, &version, &domain) == 0 &&
		    (c.e = exporter_get(t, (struct sockaddr *)&from, version,
			 domain, now)) != NULL) {
			memset(&info, 0, sizeof(info));
			err = nf_decode(s, data + off, len,
			    (struct sockaddr *)&from, now, fuzz_emit, &c,
			    &info);
			exporter_packet(c.e, err, &info, now);
		}
		off += len;
		now += 1000;
	}
	(void)exporter_snapshot(t, snap, 8, true);
done:
	exporter_table_free(t);
	nf_session_free(s);
	return 0;
}
