/*
 * flowtally-dump: print flow files (one, several, or directory trees in
 * time order) as text, CSV or JSON Lines, or their counters with --stats;
 * with --import, build a flow file from CSV. Options and wiring only.
 */
#include <sys/stat.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/errbuf.h"
#include "lib/log.h"
#include "lib/tmutil.h"
#include "tools/dump.h"
#include "tools/dumpimport.h"
#include "tools/dumpwalk.h"

enum {
	OPT_STATS = 256,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_IMPORT,
	OPT_START,
	OPT_END,
	OPT_CODEC,
	OPT_NEST,
};

static void __attribute__((noreturn)) usage(void)
{
	fprintf(stderr,
	    "usage: flowtally-dump [-o text|csv|json] [--stats] [--since T] [--until T] FILE|DIR...\n"
	    "       flowtally-dump --import CSV --start T --end T [--codec lz4|zstd|none] [--nest] OUTDIR\n");
	exit(2);
}

static int
import_main(const char *csv, const char *outdir, const char *start,
    const char *end, const char *codec, int nest)
{
	struct dumpimport_opts o = { .codec = FLOWFILE_CODEC_LZ4,
		.nest = nest ? 3 : 0 };
	char path[4096];
	struct errbuf eb;
	uint64_t s, e;
	FILE *fp;
	int rv;

	if (start == NULL || end == NULL || tm_parse(start, &s) == -1 ||
	    tm_parse(end, &e) == -1 || s % 1000 != 0 || e % 1000 != 0 || e <= s)
		fatalx(
		    "--import needs --start T and --end T, whole seconds, start before end");
	o.start_s = s / 1000;
	o.end_s = e / 1000;
	if (codec != NULL && flowfile_codec_parse(codec, &o.codec) == -1)
		fatalx("unknown codec '%s' (lz4, zstd or none)", codec);
	if (strcmp(csv, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(csv, "r")) == NULL)
		fatal("%s", csv);
	rv = dumpimport_csv(fp, csv, outdir, &o, path, sizeof(path), &eb);
	if (fp != stdin)
		fclose(fp);
	if (rv == -1) {
		log_warnx("%s", eb.msg);
		return 1;
	}
	printf("%s\n", path);
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "since", required_argument, NULL, OPT_SINCE },
		{ "until", required_argument, NULL, OPT_UNTIL },
		{ "import", required_argument, NULL, OPT_IMPORT },
		{ "start", required_argument, NULL, OPT_START },
		{ "end", required_argument, NULL, OPT_END },
		{ "codec", required_argument, NULL, OPT_CODEC },
		{ "nest", no_argument, NULL, OPT_NEST },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dump_opts o = { .kind = DUMPFMT_TEXT, .until_ms = UINT64_MAX };
	const char *import = NULL, *start = NULL, *end = NULL, *codec = NULL;
	struct dumpwalk w;
	struct errbuf eb;
	struct stat st;
	struct dump d;
	int ch, i, nest = 0, status = 0;
	size_t k;

	log_init("flowtally-dump", 1, 0);
	while ((ch = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			if (dumpfmt_parse_kind(optarg, &o.kind) == -1)
				fatalx(
				    "unknown output format '%s' (text, csv or json)",
				    optarg);
			break;
		case OPT_STATS:
			o.stats = true;
			break;
		case OPT_SINCE:
			if (tm_parse(optarg, &o.since_ms) == -1)
				fatalx("--since: bad time '%s'", optarg);
			break;
		case OPT_UNTIL:
			if (tm_parse(optarg, &o.until_ms) == -1)
				fatalx("--until: bad time '%s'", optarg);
			break;
		case OPT_IMPORT:
			import = optarg;
			break;
		case OPT_START:
			start = optarg;
			break;
		case OPT_END:
			end = optarg;
			break;
		case OPT_CODEC:
			codec = optarg;
			break;
		case OPT_NEST:
			nest = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (import != NULL) {
		if (argc != 1)
			usage();
		return import_main(import, argv[0], start, end, codec, nest);
	}
	if (argc < 1)
		usage();
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	if (dump_init(&d, &o, stdout) == -1)
		fatal("dump");
	for (i = 0; i < argc; i++) {
		if (stat(argv[i], &st) == -1) {
			log_warn("%s", argv[i]);
			status = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (dump_file(&d, argv[i]) == -1)
				status = 1;
			continue;
		}
		dumpwalk_init(&w);
		if (dumpwalk_dir(&w, argv[i],
			o.until_ms == UINT64_MAX ? UINT64_MAX
						 : (o.until_ms + 999) / 1000,
			&eb) == -1) {
			log_warnx("%s", eb.msg);
			status = 1;
		}
		dumpwalk_sort(&w);
		for (k = 0; k < w.n; k++)
			if (dump_file(&d, w.v[k].path) == -1)
				status = 1;
		dumpwalk_clear(&w);
	}
	if (dump_finish(&d) == -1) {
		log_warn("stdout");
		status = 1;
	}
	dump_clear(&d);
	return status;
}
