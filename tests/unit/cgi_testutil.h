/*
 * The fixture of the CGI unit tests: a scanner-like RRD directory made in a
 * temporary directory (the files only need the right names), a config that
 * names it as rrd_dir, and the cgiconf and catalog loaded from the two;
 * and pages rendered into memory with checks of what they hold.
 */
#ifndef FT_CGI_TESTUTIL_H
#define FT_CGI_TESTUTIL_H

#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cgi/catalog.h"
#include "cgi/cgiconf.h"
#include "lib/conf.h"
#include "tdir_testutil.h"

struct cgit_fix {
	char dir[64]; /* the RRD directory */
	cfg_t *cfg;
	struct cgiconf cc;
	struct catalog cat;
};

/* Create the empty file dir/name; fails the test if it cannot. */
static inline void
cgit_touch(const char *dir, const char *name)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
}

/* A fixture with an empty RRD directory /tmp/ft-TAG.*; fails the test. */
static inline struct cgit_fix *
cgit_new(const char *tag)
{
	struct cgit_fix *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(tdir_make(f->dir, sizeof(f->dir), tag), 0);
	return f;
}

/*
 * Create the files names[] (NULL-terminated) in the RRD directory, or in
 * its new subdirectory sub (a router's) when sub is not NULL.
 */
static inline void
cgit_files(struct cgit_fix *f, const char *sub, const char *const *names)
{
	char dir[128];

	if (sub == NULL)
		snprintf(dir, sizeof(dir), "%s", f->dir);
	else {
		snprintf(dir, sizeof(dir), "%s/%s", f->dir, sub);
		assert_int_equal(mkdir(dir, 0755), 0);
	}
	for (; *names != NULL; names++)
		cgit_touch(dir, *names);
}

/*
 * The usual small RRD directory: total, protocols tcp and udp and service
 * http (both files) at the top level, and router gw1's total.
 */
static inline void
cgit_files_gw1(struct cgit_fix *f)
{
	static const char *const top[] = { "total.rrd", "protocol_tcp.rrd",
		"protocol_udp.rrd", "service_http_src.rrd",
		"service_http_dst.rrd", NULL };
	static const char *const gw1[] = { "total.rrd", NULL };

	cgit_files(f, NULL, top);
	cgit_files(f, "gw1", gw1);
}

/*
 * Load the config printed from fmt (a 1 KiB at most; the caller passes
 * f->dir for its rrd_dir), then the cgiconf and the catalog from it; fails
 * the test, with the parser's message, if any of them fails.
 */
static inline void __attribute__((format(printf, 2, 3)))
cgit_load(struct cgit_fix *f, const char *fmt, ...)
{
	char conf[1024];
	struct errbuf eb;
	va_list ap;

	va_start(ap, fmt);
	assert_true(
	    (size_t)vsnprintf(conf, sizeof(conf), fmt, ap) < sizeof(conf));
	va_end(ap);
	f->cfg = conf_load_string(conf, "test.conf", &eb);
	if (f->cfg == NULL)
		fail_msg("%s", eb.msg);
	assert_int_equal(cgiconf_load(f->cfg, &f->cc, &eb), 0);
	assert_int_equal(catalog_load(&f->cat, &f->cc, &eb), 0);
}

/*
 * A page rendered into memory: open a stream with cgit_page_open(), render
 * into p->fp, then cgit_page_close() leaves the text in p->buf (free it
 * with cgit_page_free()).
 */
struct cgit_page {
	char *buf;
	size_t len;
	FILE *fp;
};

static inline void
cgit_page_open(struct cgit_page *p)
{
	p->buf = NULL;
	p->len = 0;
	p->fp = open_memstream(&p->buf, &p->len);
	assert_non_null(p->fp);
}

static inline void
cgit_page_close(struct cgit_page *p)
{
	assert_int_equal(fclose(p->fp), 0);
	p->fp = NULL;
	assert_non_null(p->buf);
}

static inline void
cgit_page_free(struct cgit_page *p)
{
	free(p->buf);
	p->buf = NULL;
}

/* How many times needle occurs in page (not overlapping). */
static inline size_t
cgit_count(const char *page, const char *needle)
{
	size_t n = 0, k = strlen(needle);

	while ((page = strstr(page, needle)) != NULL) {
		n++;
		page += k;
	}
	return n;
}

/* Fail the test, quoting needle, unless page holds it exactly once. */
static inline void
cgit_once(const char *page, const char *needle)
{
	size_t n = cgit_count(page, needle);

	if (n != 1)
		fail_msg("page holds \"%s\" %zu times, want once", needle, n);
}

/* Fail the test, quoting needle, if page holds it. */
static inline void
cgit_none(const char *page, const char *needle)
{
	if (strstr(page, needle) != NULL)
		fail_msg("page holds \"%s\", want none", needle);
}

/* cmocka teardown: free what the fixture in *state holds and remove it. */
static inline int
cgit_teardown(void **state)
{
	struct cgit_fix *f = *state;

	catalog_clear(&f->cat);
	cgiconf_clear(&f->cc);
	conf_free(f->cfg);
	assert_int_equal(tdir_remove(f->dir), 0);
	free(f);
	return 0;
}

#endif
