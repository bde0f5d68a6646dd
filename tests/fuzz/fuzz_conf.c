/*
 * Fuzz target for configuration loading: the input is a flowtally.conf
 * text. Loading must fail cleanly (with a message) or succeed, and never
 * crash or leak; a loaded configuration must print.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errbuf eb;
	char *text;
	cfg_t *cfg;
	FILE *fp;

	if (size > 65536)
		return 0;
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	eb.msg[0] = '\0';
	cfg = conf_load_string(text, "fuzz.conf", &eb);
	if (cfg == NULL) {
		/* A failure always says why. */
		if (eb.msg[0] == '\0')
			abort();
	} else {
		if ((fp = fopen("/dev/null", "w")) != NULL) {
			conf_print(cfg, fp);
			fclose(fp);
		}
		conf_free(cfg);
	}
	free(text);
	return 0;
}
