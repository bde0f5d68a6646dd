/*
 * Unix stream control sockets shared by the daemons: listening with safe
 * permissions (mode 0660, a stale socket replaced, a live one refused) and
 * the client side that sends one command line and copies the reply.
 */
#ifndef FT_CTLSOCK_H
#define FT_CTLSOCK_H

#include <sys/types.h>

#include <stdio.h>

#include "lib/errbuf.h"

/*
 * Listen on path: a socket file left by a dead process is replaced, one a
 * live process accepts on is refused. The socket gets mode 0660 and, when
 * uid is not (uid_t)-1, that owner and gid (so a daemon that drops its
 * privileges can still remove it). Returns a non-blocking, close-on-exec
 * listening descriptor, or -1 with eb naming the path and the error.
 */
int ctlsock_listen(const char *path, uid_t uid, gid_t gid, struct errbuf *eb);

/*
 * Client: connect to path, send cmd and a newline, copy the reply to out
 * until the server closes. Returns 0, or -1 with eb filled.
 */
int ctlsock_client(
    const char *path, const char *cmd, FILE *out, struct errbuf *eb);

#endif
