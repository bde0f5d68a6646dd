/*
 * Fuzz target for the flow-file reader: any bytes are opened from memory
 * and read to the end. The reader must never crash, read out of bounds or
 * return more records than the blocks it accepted hold.
 */
#include <stddef.h>
#include <stdint.h>

#include "lib/flowfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct flow out[1000];
	struct flowfile_reader *r;
	const struct flowfile_header *h;
	struct errbuf eb;
	uint64_t sum = 0;
	ssize_t n;
	int guard;

	if (flowfile_open_mem(data, size, "fuzz", &r, &eb) == -1)
		return 0;
	h = flowfile_header(r);
	for (uint32_t i = 0; i < h->n_exporters; i++)
		sum += h->exporters[i].flows;
	/* Each call makes progress, so the file size bounds the loop. */
	for (guard = 0; guard < 1000000; guard++) {
		n = flowfile_read(r, out, sizeof(out) / sizeof(out[0]), &eb);
		if (n == 0)
			break;
		if (n > 0)
			sum += out[n - 1].bytes;
	}
	(void)sum;
	flowfile_close(r);
	return 0;
}
