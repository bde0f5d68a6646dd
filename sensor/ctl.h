/*
 * The sensor's control socket (a Unix stream socket): one command line per
 * connection ("stats", "expire-all", "shutdown", "dump"), answered in text,
 * and the client side used by "flowtally-sensor -c SOCKET CMD".
 */
#ifndef FT_SENSOR_CTL_H
#define FT_SENSOR_CTL_H

#include <stdio.h>

#include "lib/errbuf.h"

enum ctl_cmd {
	CTL_NONE = 0, /* nothing (yet), or a bad command already answered */
	CTL_STATS,
	CTL_EXPIRE_ALL,
	CTL_SHUTDOWN,
	CTL_DUMP,
};

struct ctl;

/* Listen on path (a stale socket is replaced; mode 0660). NULL + eb. */
struct ctl *ctl_open(const char *path, struct errbuf *eb);
/* Stop listening and remove the socket. */
void ctl_close(struct ctl *c);
int ctl_fd(const struct ctl *c);

/*
 * Accept one client and read its command (waiting at most a second). On a
 * known command returns it and sets *out to a stream for the reply, which
 * the caller ends with ctl_reply_done(). Returns CTL_NONE when there was
 * nothing to do (the client was answered with an error).
 */
enum ctl_cmd ctl_accept(struct ctl *c, FILE **out);
void ctl_reply_done(FILE *out);

/* Parse a command name: the command or CTL_NONE. */
enum ctl_cmd ctl_parse(const char *s);

/*
 * Client: send cmd to the sensor at path and copy the reply to out.
 * Returns 0, or -1 with eb filled.
 */
int ctl_client(const char *path, const char *cmd, FILE *out, struct errbuf *eb);

#endif
