/*
 * Fuzz the session-file loader. The first input byte is a flag: with bit
 * 0 set, a valid checksum is appended so the parser itself is reached.
 * The rest is written after the magic as a state file and loaded.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/nfdecode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct nf_limits lim = { .max_templates = 8, .max_exporters = 2 };
	struct nf_session *s;
	uint64_t h = 0xcbf29ce484222325ull;
	uint8_t tail[8], flag;
	FILE *fp;
	size_t i;

	if (path[0] == '\0')
		snprintf(
		    path, sizeof(path), "/tmp/fuzz_nfsave.%d", (int)getpid());
	if (size == 0)
		return 0;
	flag = data[0];
	data++;
	size--;
	if ((fp = fopen(path, "wb")) == NULL)
		return 0;
	fwrite("FTNFSES1", 1, 8, fp);
	fwrite(data, 1, size, fp);
	if (flag & 1) {
		for (i = 0; i < 8; i++)
			h = (h ^ (uint8_t) "FTNFSES1"[i]) * 0x100000001b3ull;
		for (i = 0; i < size; i++)
			h = (h ^ data[i]) * 0x100000001b3ull;
		for (i = 0; i < 8; i++)
			tail[i] = (uint8_t)(h >> (56 - 8 * i));
		fwrite(tail, 1, 8, fp);
	}
	fclose(fp);
	if ((s = nf_session_new(&lim)) != NULL) {
		(void)nf_session_load(s, path);
		nf_session_free(s);
	}
	unlink(path);
	return 0;
}
