/*
 * Fuzz the IPFIX decoder over a sequence of messages (see
 * fuzz_nf_common.h), with template state carried between them.
 */
#include "fuzz_nf_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_nf_datagrams(data, size, 10);
	return 0;
}
