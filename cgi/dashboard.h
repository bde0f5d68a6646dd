/*
 * Dashboards for wall screens: a grid of graphs named in the config, the
 * current scoreboard below, a dark theme, a refresh aligned to the
 * scanner interval, and a kiosk variant without navigation.
 */
#ifndef FT_CGI_DASHBOARD_H
#define FT_CGI_DASHBOARD_H

#include <stdio.h>
#include <time.h>

#include "cgi/catalog.h"
#include "cgi/cgiconf.h"
#include "cgi/query.h"

/*
 * Seconds until the dashboard should reload: its own refresh when set,
 * otherwise until the next interval's data is in.
 */
int dashboard_refresh(
    const struct cgiconf *cc, const struct cgiconf_dash *d, time_t now);

/*
 * Write dashboard d to fp. Each configured graph is a query string parsed
 * and resolved like a request; one that fails shows an error tile.
 * kiosk drops the navigation. Returns 0 or -1.
 */
int dashboard_render(FILE *fp, const struct cgiconf *cc,
    const struct catalog *cat, const struct cgiconf_dash *d, bool kiosk,
    time_t now);

#endif
