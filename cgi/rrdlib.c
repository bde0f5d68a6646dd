/*
 * Lazy librrd: dlopen() its soname (found by CMake at build time) the first
 * time a graph is drawn, and look up the handful of functions we call.
 */
#include "cgi/rrdlib.h"

#include <dlfcn.h>
#include <stddef.h>

#ifndef FT_LIBRRD_SONAME
#define FT_LIBRRD_SONAME "librrd.so.8"
#endif

static struct rrdlib rrdlib;
static int rrdlib_loaded;

static int
rrdlib_sym(void *h, const char *name, void *out, struct errbuf *eb)
{
	void *p;

	if ((p = dlsym(h, name)) == NULL) {
		errbuf_set(eb, "%s: no symbol %s", FT_LIBRRD_SONAME, name);
		return -1;
	}
	/* POSIX guarantees function pointers survive this round trip. */
	*(void **)out = p;
	return 0;
}

const struct rrdlib *
rrdlib_get(struct errbuf *eb)
{
	const char *err;
	void *h;

	if (rrdlib_loaded)
		return &rrdlib;
	if ((h = dlopen(FT_LIBRRD_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		err = dlerror();
		errbuf_set(eb, "%s", err != NULL ? err : FT_LIBRRD_SONAME);
		return NULL;
	}
	if (rrdlib_sym(h, "rrd_graph_v", &rrdlib.graph_v, eb) == -1 ||
	    rrdlib_sym(h, "rrd_info_free", &rrdlib.info_free, eb) == -1 ||
	    rrdlib_sym(h, "rrd_get_error", &rrdlib.get_error, eb) == -1 ||
	    rrdlib_sym(h, "rrd_clear_error", &rrdlib.clear_error, eb) == -1 ||
	    rrdlib_sym(h, "rrdc_connect", &rrdlib.c_connect, eb) == -1 ||
	    rrdlib_sym(h, "rrdc_flush", &rrdlib.c_flush, eb) == -1 ||
	    rrdlib_sym(h, "rrdc_disconnect", &rrdlib.c_disconnect, eb) == -1) {
		dlclose(h);
		return NULL;
	}
	rrdlib_loaded = 1;
	return &rrdlib;
}
