/*
 * Fuzz target for configuration loading: the input is a flowtally.conf
 * text. Loading must fail cleanly (with a message) or succeed, and never
 * crash or leak; a loaded configuration must print, and then each
 * program's reading of its values (the scanner's vocabulary and compiled
 * tables, the collector's and the sensor's settings, the CGI's) must in
 * turn succeed or fail with a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi/cgiconf.h"
#include "collector/cconf.h"
#include "lib/conf.h"
#include "scanner/aggregate.h"
#include "scanner/classify.h"
#include "scanner/vocab.h"
#include "sensor/opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failure always says why. */
static void
fuzz_said(int rv, const struct errbuf *eb)
{
	if (rv == -1 && eb->msg[0] == '\0')
		abort();
}

/* Every program's reading of a loaded configuration. */
static void
fuzz_programs(cfg_t *cfg)
{
	struct errbuf eb;
	struct vocab v;
	struct cls c;
	struct agg a;
	struct cconf cc;
	struct cgiconf gc;
	struct sensor_opts so;
	int rv;

	memset(&v, 0, sizeof(v));
	eb.msg[0] = '\0';
	rv = vocab_load(&v, cfg, &eb);
	fuzz_said(rv, &eb);
	if (rv == 0) {
		eb.msg[0] = '\0';
		rv = cls_build(&c, &v, &eb);
		fuzz_said(rv, &eb);
		if (rv == 0) {
			/* The counters must fold into rows of the layout. */
			if (agg_init(&a, &c) == 0) {
				(void)agg_rows(&a);
				agg_clear(&a);
			}
			cls_clear(&c);
		}
	}
	vocab_clear(&v);
	memset(&cc, 0, sizeof(cc));
	eb.msg[0] = '\0';
	fuzz_said(cconf_build(&cc, cfg, NULL, &eb), &eb);
	cconf_clear(&cc);
	memset(&gc, 0, sizeof(gc));
	eb.msg[0] = '\0';
	fuzz_said(cgiconf_load(cfg, &gc, &eb), &eb);
	cgiconf_clear(&gc);
	opts_defaults(&so);
	eb.msg[0] = '\0';
	fuzz_said(opts_apply_conf(&so, cfg, &eb), &eb);
}

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
		fuzz_programs(cfg);
		conf_free(cfg);
	}
	free(text);
	return 0;
}
