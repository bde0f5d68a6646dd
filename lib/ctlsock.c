/*
 * Control socket plumbing: the address, the stale-socket check, binding
 * under a umask so the socket is never briefly world-accessible, and the
 * one-command client.
 */
#include "lib/ctlsock.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static int
ctlsock_addr(const char *path, struct sockaddr_un *sun, struct errbuf *eb)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (path == NULL || *path == '\0' ||
	    strlen(path) >= sizeof(sun->sun_path)) {
		errbuf_set(eb, "%s: control socket path empty or too long",
		    path ? path : "");
		return -1;
	}
	strcpy(sun->sun_path, path);
	return 0;
}

/* Whether a live process accepts connections on path. */
static int
ctlsock_live(const struct sockaddr_un *sun)
{
	int fd, live;

	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	live = connect(fd, (const struct sockaddr *)sun, sizeof(*sun)) == 0;
	close(fd);
	return live;
}

int
ctlsock_listen(const char *path, uid_t uid, gid_t gid, struct errbuf *eb)
{
	struct sockaddr_un sun;
	struct stat st;
	mode_t old;
	int fd;

	if (ctlsock_addr(path, &sun, eb) == -1)
		return -1;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			errbuf_set(eb, "%s: exists and is not a socket", path);
			return -1;
		}
		if (ctlsock_live(&sun)) {
			errbuf_set(
			    eb, "%s: another process is listening", path);
			return -1;
		}
		(void)unlink(path); /* stale */
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1) {
		errbuf_set(eb, "%s: socket: %s", path, strerror(errno));
		return -1;
	}
	old = umask(0117);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		umask(old);
		errbuf_set(eb, "%s: bind: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	if (uid != (uid_t)-1 && chown(path, uid, gid) == -1) {
		errbuf_set(eb, "%s: chown: %s", path, strerror(errno));
		goto fail;
	}
	if (listen(fd, 16) == -1) {
		errbuf_set(eb, "%s: listen: %s", path, strerror(errno));
		goto fail;
	}
	return fd;
fail:
	(void)unlink(path);
	close(fd);
	return -1;
}

int
ctlsock_client(const char *path, const char *cmd, FILE *out, struct errbuf *eb)
{
	struct sockaddr_un sun;
	struct timeval tv = { 30, 0 };
	char buf[4096];
	ssize_t r;
	int fd, rc = -1;

	if (ctlsock_addr(path, &sun, eb) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		errbuf_set(eb, "socket: %s", strerror(errno));
		return -1;
	}
	/* A daemon that accepts but never answers does not hang us. */
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		errbuf_set(eb, "%s: %s", path, strerror(errno));
		goto done;
	}
	if (write(fd, cmd, strlen(cmd)) == -1 || write(fd, "\n", 1) == -1) {
		errbuf_set(eb, "%s: write: %s", path, strerror(errno));
		goto done;
	}
	(void)shutdown(fd, SHUT_WR);
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		if (fwrite(buf, 1, (size_t)r, out) != (size_t)r)
			break;
	if (r == -1) {
		errbuf_set(eb, "%s: read: %s", path, strerror(errno));
		goto done;
	}
	rc = 0;
done:
	close(fd);
	return rc;
}
