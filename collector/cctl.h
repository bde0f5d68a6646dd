/*
 * The collector's control socket server: accepts clients, reads one
 * command line each and writes the answer back, all without blocking, so
 * a slow or stuck client never holds up the decode/writer thread (packet
 * reception runs on its own thread regardless).
 */
#ifndef FT_COLLECTOR_CCTL_H
#define FT_COLLECTOR_CCTL_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CCTL_MAX_CLIENTS 8
#define CCTL_TIMEOUT_MS  5000 /* a client idle longer is dropped */

/* Answer the command line cmd into out: 0, or -1 (the answer says why). */
typedef int cctl_cmd_fn(void *arg, const char *cmd, FILE *out);

struct cctl;

/*
 * A server on the listening socket fd (taken over; from ctlsock_listen())
 * at path (removed by cctl_free(); NULL: none), answering through fn.
 * NULL with errno set.
 */
struct cctl *cctl_new(int fd, const char *path, cctl_cmd_fn *fn, void *arg);
/* Drop every client, close the socket, remove its path. NULL allowed. */
void cctl_free(struct cctl *c);

/* Fill at most max pollfds with what the server waits on; the count. */
size_t cctl_pollfds(const struct cctl *c, struct pollfd *pfd, size_t max);

/*
 * Do whatever can be done now without blocking: accept, read, answer,
 * write, drop clients past CCTL_TIMEOUT_MS (mono_ms is the monotonic
 * clock). Never blocks.
 */
void cctl_service(struct cctl *c, uint64_t mono_ms);

/* Clients connected now (for tests). */
size_t cctl_clients(const struct cctl *c);

#endif
