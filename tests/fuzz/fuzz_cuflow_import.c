/*
 * Fuzz the CUFlow.cf importer (flowtally-scanner --import-cuflow). The
 * input is a CUFlow.cf. The import must fail with a message naming the
 * line, or print a configuration that flowtally itself then loads: the
 * text parses and the scanner's vocabulary accepts it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/conf.h"
#include "scanner/cuflow_import.h"
#include "scanner/vocab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The printed configuration loads; abort() (a finding) if it does not. */
static void
fuzz_check_output(const char *text)
{
	struct errbuf eb;
	struct vocab v;
	cfg_t *cfg;

	if ((cfg = conf_load_string(text, "imported.conf", &eb)) == NULL) {
		fprintf(stderr, "imported configuration does not load: %s\n%s",
		    eb.msg, text);
		abort();
	}
	memset(&v, 0, sizeof(v));
	if (vocab_load(&v, cfg, &eb) == -1) {
		fprintf(stderr, "imported vocabulary refused: %s\n%s", eb.msg,
		    text);
		abort();
	}
	vocab_clear(&v);
	conf_free(cfg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct errbuf eb;
	char *text = NULL;
	size_t len = 0;
	FILE *fp, *out;
	int rv;

	if (size > 65536)
		return 0;
	if (path[0] == '\0')
		snprintf(path, sizeof(path), "/tmp/fuzz_cuflow.%d.cf",
		    (int)getpid());
	if ((fp = fopen(path, "wb")) == NULL)
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	if ((out = open_memstream(&text, &len)) == NULL)
		return 0;
	eb.msg[0] = '\0';
	rv = cuflow_import(path, out, &eb);
	fclose(out);
	if (rv == -1 && strncmp(eb.msg, path, strlen(path)) != 0)
		abort(); /* a failure names the file (and line) */
	if (rv == 0)
		fuzz_check_output(text);
	free(text);
	unlink(path);
	return 0;
}
