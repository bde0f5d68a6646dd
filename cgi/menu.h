/*
 * The menu page (CUGrapher's form, per router rows of item lists) and the
 * "show" page: the same form with the chosen graph, or one graph per
 * item, above it.
 */
#ifndef FT_CGI_MENU_H
#define FT_CGI_MENU_H

#include <stdio.h>

#include "cgi/catalog.h"
#include "cgi/cgiconf.h"
#include "cgi/query.h"

/*
 * Write the page for q (QUERY_PAGE_MENU or QUERY_PAGE_SHOW) to fp. items
 * (n of them) are q's resolved items for the show page; error, when not
 * NULL, is shown above the form (it is escaped). Returns 0 or -1.
 */
int menu_render(FILE *fp, const struct cgiconf *cc, const struct catalog *cat,
    const struct query *q, const struct catalog_item *const *items, size_t n,
    const char *error);

/* The navigation bar: menu, dashboards, scoreboard links. */
void menu_nav(FILE *fp, const struct cgiconf *cc);

#endif
