/*
 * The one configuration file, over libconfuse: a shared top level (log,
 * local subnets, networks, services, protocols, routers, interfaces, ToS
 * classes, AS groups) and a section per program. Every program parses the
 * whole file, so an unknown key anywhere is an error for all of them.
 *
 * The schema is split by owner: conf_shared.c (top level), conf_sensor.c,
 * conf_collector.c, conf_scanner.c and conf_cgi.c each define one
 * cfg_opt_t array; conf.c assembles them.
 */
#ifndef FT_CONF_H
#define FT_CONF_H

#include <stdio.h>

#include <confuse.h>

#include "lib/errbuf.h"

/* The per-owner schema arrays (terminated by CFG_END()). */
extern cfg_opt_t conf_shared_opts[];
extern cfg_opt_t conf_sensor_opts[];
extern cfg_opt_t conf_collector_opts[];
extern cfg_opt_t conf_scanner_opts[];
extern cfg_opt_t conf_cgi_opts[];
/* scanner { scoreboard { } }: owned by the scoreboard, included by
 * conf_scanner.c. */
extern cfg_opt_t conf_board_opts[];

/*
 * Parse path against the full schema. On failure returns NULL and fills eb
 * with "path:line: message" (or "path: message" when there is no line);
 * besides libconfuse's own checks, a section left open at the end of the
 * file is an error. The caller frees the result with conf_free().
 *
 * Not reentrant: libconfuse's lexer is global and its error callback has
 * no user argument, so the errbuf and name of the parse under way sit in
 * static variables. Load configurations from one thread at a time (every
 * program does so at start-up and on SIGHUP in its main loop).
 */
cfg_t *conf_load(const char *path, struct errbuf *eb);
/* Parse a configuration held in memory (tests, fuzzing); name is used in
 * messages. Same contract as conf_load(). */
cfg_t *conf_load_string(const char *text, const char *name, struct errbuf *eb);
/* A configuration with every default, no file. NULL on allocation failure. */
cfg_t *conf_default(void);
void conf_free(cfg_t *cfg);
/* Print the effective configuration (defaults included) to fp: 0 or -1. */
int conf_print(cfg_t *cfg, FILE *fp);
/* The default config path (FLOWTALLY_SYSCONFDIR "/flowtally.conf"). */
const char *conf_default_path(void);

#endif
