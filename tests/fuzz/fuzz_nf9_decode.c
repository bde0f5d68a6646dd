/*
 * Fuzz the NetFlow v9 decoder over a sequence of datagrams (see
 * fuzz_nf_common.h), with template state carried between them.
 */
#include "fuzz_nf_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_nf_datagrams(data, size, 9);
	return 0;
}
