/*
 * Fuzz target for the flow-file block payload decoders (lib/ffcodec.c)
 * without the block checksum in front that stops mutated files early:
 * byte 0 picks the codec, bytes 1-2 the record count (1..4096), byte 3 the
 * record size (IPv4, IPv6 or any small size), the rest is the payload. A
 * decode must never crash or write outside its n x rl bytes; what it
 * accepts must encode again to a payload that decodes to the same planes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ffcodec.h"
#include "lib/flowfile_fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t out[FF_RAW_MAX + 64], rows[FF_RAW_MAX], again[2 * FF_RAW_MAX];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ff_dec *d;
	static struct ff_enc *e;
	const char *why;
	size_t n, rl, z, i, k;
	int codec;

	if (size < 4)
		return 0;
	if (d == NULL && (d = ff_dec_new()) == NULL)
		abort();
	if (e == NULL &&
	    (e = ff_enc_new(FF_CODEC_LZ4_SPARSE, 0, FF_RAW_MAX)) == NULL)
		abort();
	codec = data[0] % 6;
	n = 1 + (((size_t)data[1] << 8 | data[2]) % FLOWFILE_BLOCK_MAX);
	rl = data[3] < 128  ? FF_REC_V4
	    : data[3] < 192 ? FF_REC_V6
			    : data[3] - 191;
	memset(out + n * rl, 0x5a, 64);
	if (ff_dec_block(d, codec, data + 4, size - 4, out, n, rl, &why) == -1)
		return 0;
	for (i = 0; i < 64; i++)
		if (out[n * rl + i] != 0x5a)
			abort(); /* wrote past its block */
	if (codec == FF_CODEC_ZSTD_ROWS)
		return 0;
	/* Planes back to rows, encoded again: the same planes. */
	for (k = 0; k < rl; k++)
		for (i = 0; i < n; i++)
			rows[i * rl + k] = out[k * n + i];
	z = ff_enc_block(e, again, rows, n, rl);
	if (z > 0) {
		if (ff_dec_block(d, FF_CODEC_LZ4_SPARSE, again, z, rows, n, rl,
			&why) == -1 ||
		    memcmp(rows, out, n * rl) != 0)
			abort();
	}
	return 0;
}
