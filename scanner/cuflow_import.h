/*
 * Migration from FlowScan/CUFlow: read a CUFlow.cf and print the
 * equivalent flowtally.conf vocabulary and scanner section, so one command
 * carries a site's Subnets, Networks, Services, Protocols, Routers,
 * SampleRates, TOS classes, AS groups and Scoreboard settings over.
 */
#ifndef FT_SCANNER_CUFLOW_IMPORT_H
#define FT_SCANNER_CUFLOW_IMPORT_H

#include <stdio.h>

#include "lib/errbuf.h"

/*
 * Translate the CUFlow.cf at path and write the flowtally configuration to
 * out. Returns 0, or -1 with eb naming the file and line (as CUFlow's own
 * parser would refuse it).
 */
int cuflow_import(const char *path, FILE *out, struct errbuf *eb);

#endif
