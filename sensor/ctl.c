/*
 * Control socket server and client. The server reads a single command
 * line per connection with a receive timeout, so a stuck client cannot
 * stall the capture loop for long.
 */
#include "sensor/ctl.h"

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/ctlsock.h"

struct ctl {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static const struct {
	const char *name;
	enum ctl_cmd cmd;
} ctl_cmds[] = {
	{ "stats", CTL_STATS },
	{ "statistics", CTL_STATS },
	{ "expire-all", CTL_EXPIRE_ALL },
	{ "expire", CTL_EXPIRE_ALL },
	{ "shutdown", CTL_SHUTDOWN },
	{ "dump", CTL_DUMP },
	{ "dump-flows", CTL_DUMP },
};

enum ctl_cmd
ctl_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); i++)
		if (strcmp(s, ctl_cmds[i].name) == 0)
			return ctl_cmds[i].cmd;
	return CTL_NONE;
}

struct ctl *
ctl_open(const char *path, struct errbuf *eb)
{
	struct ctl *c;

	if (strlen(path) >= sizeof(c->path)) {
		errbuf_set(eb, "%s: control socket path too long", path);
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		errbuf_set(eb, "out of memory");
		return NULL;
	}
	strcpy(c->path, path);
	if ((c->fd = ctlsock_listen(path, (uid_t)-1, (gid_t)-1, eb)) == -1) {
		free(c);
		return NULL;
	}
	return c;
}

void
ctl_close(struct ctl *c)
{
	if (c == NULL)
		return;
	close(c->fd);
	(void)unlink(c->path);
	free(c);
}

int
ctl_fd(const struct ctl *c)
{
	return c->fd;
}

enum ctl_cmd
ctl_accept(struct ctl *c, FILE **out)
{
	struct timeval tv = { 1, 0 };
	char line[64];
	size_t n = 0;
	ssize_t r;
	enum ctl_cmd cmd;
	FILE *fp;
	int cfd;

	*out = NULL;
	if ((cfd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		return CTL_NONE;
	(void)setsockopt(cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (n < sizeof(line) - 1) {
		r = read(cfd, line + n, sizeof(line) - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		if (memchr(line, '\n', n) != NULL)
			break;
	}
	line[n] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if ((fp = fdopen(cfd, "w")) == NULL) {
		close(cfd);
		return CTL_NONE;
	}
	if ((cmd = ctl_parse(line)) == CTL_NONE) {
		fprintf(fp,
		    "error: unknown command \"%.40s\" (stats, "
		    "expire-all, shutdown, dump)\n",
		    line);
		fclose(fp);
		return CTL_NONE;
	}
	*out = fp;
	return cmd;
}

void
ctl_reply_done(FILE *out)
{
	if (out != NULL)
		fclose(out);
}

int
ctl_client(const char *path, const char *cmd, FILE *out, struct errbuf *eb)
{
	return ctlsock_client(path, cmd, out, eb);
}
