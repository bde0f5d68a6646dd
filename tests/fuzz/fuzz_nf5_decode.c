/*
 * Fuzz the NetFlow v5 decoder (and the version dispatch) with one
 * datagram per input.
 */
#include <stddef.h>
#include <stdint.h>

#include "lib/nfdecode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
emit(void *arg, const struct flow *f)
{
	uint64_t *sum = arg;

	*sum += f->bytes + f->first_ms + f->last_ms + f->sampling;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct nf_session *s;
	struct nf_packet_info info;
	uint64_t sum = 0;

	if (s == NULL && (s = nf_session_new(NULL)) == NULL)
		return 0;
	(void)nf_decode(s, data, size, NULL, 0, emit, &sum, &info);
	return 0;
}
