/*
 * Bench helper: print, one per line, the rrd_graph_v() arguments that
 * flowtally.cgi builds for a QUERY_STRING (with FLOWTALLY_CONF), so the
 * benchmark can hand rrdtool graph exactly the same drawing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cgi/catalog.h"
#include "cgi/cgiconf.h"
#include "cgi/graph.h"
#include "cgi/query.h"
#include "lib/conf.h"

int
main(int argc, char **argv)
{
	const struct catalog_item *items[QUERY_MAX_ITEMS];
	struct graph_argv av = { 0 };
	struct graph_req r;
	struct cgiconf cc;
	struct catalog cat;
	struct errbuf eb;
	struct query q;
	cfg_t *cfg;
	size_t i;

	if (argc != 3) {
		fprintf(stderr, "usage: cgi_graph_args CONF QUERY_STRING\n");
		return 2;
	}
	if ((cfg = conf_load(argv[1], &eb)) == NULL ||
	    cgiconf_load(cfg, &cc, &eb) == -1 ||
	    query_parse(argv[2], &q, &eb) == -1 ||
	    catalog_load(&cat, &cc, &eb) == -1 ||
	    graph_req_init(&r, &cc, &cat, &q, items, time(NULL), &eb) == -1 ||
	    graph_build(&r, &av, &eb) == -1) {
		fprintf(stderr, "cgi_graph_args: %s\n", eb.msg);
		return 1;
	}
	for (i = 1; i < av.n; i++) /* without argv[0], "graph" */
		printf("%s\n", av.v[i]);
	graph_argv_free(&av);
	catalog_clear(&cat);
	cgiconf_clear(&cc);
	conf_free(cfg);
	return 0;
}
