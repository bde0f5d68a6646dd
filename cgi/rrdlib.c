/*
 * Lazy librrd: dlopen() its soname (found by CMake at build time) the first
 * time a graph is drawn, and look up the handful of functions we call.
 */
#include "cgi/rrdlib.h"

#include <dlfcn.h>
#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
#define RRDLIB_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RRDLIB_LSAN 1
#endif
#endif
#ifdef RRDLIB_LSAN
#include <sanitizer/lsan_interface.h>
#endif

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

#ifdef RRDLIB_LSAN
/*
 * fontconfig's caches are allocated where __lsan_disable() does not reach
 * them; name the library (weak, so another component may define its own).
 */
const char *__lsan_default_suppressions(void);

__attribute__((weak)) const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
#endif

void
rrdlib_foreign_begin(void)
{
#ifdef RRDLIB_LSAN
	__lsan_disable();
#endif
}

void
rrdlib_foreign_end(void)
{
#ifdef RRDLIB_LSAN
	__lsan_enable();
#endif
}

const struct rrdlib *
rrdlib_get(struct errbuf *eb)
{
	const char *err;
	void *h;

	if (rrdlib_loaded)
		return &rrdlib;
	rrdlib_foreign_begin();
	h = dlopen(FT_LIBRRD_SONAME, RTLD_NOW | RTLD_LOCAL);
	rrdlib_foreign_end();
	if (h == NULL) {
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
