/*
 * librrd, loaded on first use with dlopen(): librrd pulls in cairo, pango,
 * glib and fontconfig (some fifty shared objects), which the menu and
 * dashboard pages never need. Only graph requests pay for loading them.
 */
#ifndef FT_CGI_RRDLIB_H
#define FT_CGI_RRDLIB_H

#include <rrd.h>

#include "lib/errbuf.h"

/* The librrd entry points the CGI uses. */
struct rrdlib {
	rrd_info_t *(*graph_v)(int, char **);
	void (*info_free)(rrd_info_t *);
	char *(*get_error)(void);
	void (*clear_error)(void);
	int (*c_connect)(const char *);
	int (*c_flush)(const char *);
	int (*c_disconnect)(void);
};

/*
 * librrd and the fontconfig/pango stack under it keep caches they never
 * free; in a short-lived CGI that is fine, but LeakSanitizer builds would
 * report it. Calls into librrd sit between these two, which tell LSan to
 * ignore allocations made meanwhile (and do nothing in normal builds).
 */
void rrdlib_foreign_begin(void);
void rrdlib_foreign_end(void);

/*
 * Load librrd once and return its entry points, or NULL with eb set when
 * the library or a symbol is missing. The result lives until exit.
 */
const struct rrdlib *rrdlib_get(struct errbuf *eb);

#endif
