/*
 * The counter cells of a compiled classification (struct cls in
 * classify.h): which cell a flow adds to for each kind of object (total,
 * protocol, service, ToS and AS sets per router slot; network sets and
 * interface x AS sets site-wide), and the counter rows each cell folds
 * into. Built once with the tables, read-only after.
 */
#ifndef FT_SCANNER_CELLS_H
#define FT_SCANNER_CELLS_H

#include "scanner/classify.h"

/*
 * Fill c's cells, site_cells, proto_cell, tos_cell, svc_cell,
 * n_svc_cells, as_cell, as_loc, n_as_loc, ifas_cell, net_cell, net_svc
 * and the ifas rows of c->ifx, from its sets, maps and counter layout
 * (cls_build() calls it last). 0, or -1 when out of memory (what was
 * built is freed by cls_clear()).
 */
int cells_build(struct cls *c);

#endif
