/*
 * Fuzz the CSV importer (flowtally-dump --import). The input is CSV text.
 * The import must fail with a message naming the input, leaving no file
 * behind, or publish one flow file that reads back whole: every record it
 * counts, no damage.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include "lib/flowfile.h"
#include "tools/dumpimport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The published file at path reads back whole; abort() if not. */
static void
fuzz_read_back(const char *path)
{
	static struct flow buf[4096];
	struct flowfile_reader *r;
	struct errbuf eb;
	uint64_t n = 0;
	ssize_t k;

	if (flowfile_open(path, &r, &eb) == -1)
		abort();
	while ((k = flowfile_read(r, buf, 4096, &eb)) > 0)
		n += (uint64_t)k;
	if (k == -1 || flowfile_damaged(r) || n != flowfile_header(r)->records)
		abort();
	flowfile_close(r);
	unlink(path);
}

static char dir[64];

/* The output directory is empty between inputs: remove it at exit. */
static void
fuzz_rmdir(void)
{
	rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dumpimport_opts o = { .start_s = 1700000100,
		.end_s = 1700000400,
		.codec = FLOWFILE_CODEC_ZSTD };
	char path[512];
	struct errbuf eb;
	FILE *fp;
	int rv;

	if (size > 65536)
		return 0;
	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/fuzz_csv.XXXXXX");
		if (mkdtemp(dir) == NULL)
			abort();
		atexit(fuzz_rmdir);
	}
	if ((fp = fmemopen((void *)data, size ? size : 1, "r")) == NULL)
		return 0;
	if (size == 0)
		fgetc(fp); /* an empty stream */
	eb.msg[0] = '\0';
	rv = dumpimport_csv(fp, "fuzz.csv", dir, &o, path, sizeof(path), &eb);
	fclose(fp);
	if (rv == -1) {
		if (strstr(eb.msg, "fuzz.csv") == NULL)
			abort(); /* a failure names the input */
		if (rmdir(dir) == 0 && mkdir(dir, 0700) == -1)
			abort(); /* nothing left behind: the directory was empty
				  */
		return 0;
	}
	fuzz_read_back(path);
	return 0;
}
