/*
 * Error detail for callers: a fixed buffer a failing function fills with a
 * one-line message ("flowtally.conf:12: unknown option 'prot'"). No global
 * error state.
 */
#ifndef FT_ERRBUF_H
#define FT_ERRBUF_H

struct errbuf {
	char msg[512];
};

/* Format a message into eb (eb may be NULL: then nothing happens). */
void errbuf_set(struct errbuf *eb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
