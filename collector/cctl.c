/*
 * Non-blocking control socket server. Each client is a small state
 * machine: reading its line (at most CCTL_LINE bytes), then writing the
 * answer built in memory, then closed. Clients beyond CCTL_MAX_CLIENTS
 * wait in the kernel's backlog.
 */
#include "collector/cctl.h"

#include <sys/socket.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CCTL_LINE 256

struct cctl_client {
	int fd; /* -1: free slot */
	uint64_t since_ms;
	char line[CCTL_LINE];
	size_t len;
	char *out; /* the answer, once the line is complete */
	size_t out_len;
	size_t out_off;
};

struct cctl {
	int fd;
	char *path;
	cctl_cmd_fn *fn;
	void *arg;
	struct cctl_client cl[CCTL_MAX_CLIENTS];
};

struct cctl *
cctl_new(int fd, const char *path, cctl_cmd_fn *fn, void *arg)
{
	struct cctl *c;
	size_t i;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if (path != NULL && (c->path = strdup(path)) == NULL) {
		free(c);
		return NULL;
	}
	c->fd = fd;
	c->fn = fn;
	c->arg = arg;
	for (i = 0; i < CCTL_MAX_CLIENTS; i++)
		c->cl[i].fd = -1;
	return c;
}

static void
cctl_drop(struct cctl_client *k)
{
	if (k->fd != -1)
		close(k->fd);
	free(k->out);
	memset(k, 0, sizeof(*k));
	k->fd = -1;
}

void
cctl_free(struct cctl *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < CCTL_MAX_CLIENTS; i++)
		cctl_drop(&c->cl[i]);
	close(c->fd);
	/* After a privilege drop this may fail; the next start replaces it. */
	if (c->path != NULL)
		(void)unlink(c->path);
	free(c->path);
	free(c);
}

size_t
cctl_pollfds(const struct cctl *c, struct pollfd *pfd, size_t max)
{
	size_t i, n = 0, used = 0;

	for (i = 0; i < CCTL_MAX_CLIENTS; i++) {
		const struct cctl_client *k = &c->cl[i];

		if (k->fd == -1)
			continue;
		used++;
		if (n < max) {
			pfd[n].fd = k->fd;
			pfd[n].events = k->out != NULL ? POLLOUT : POLLIN;
			pfd[n].revents = 0;
			n++;
		}
	}
	if (used < CCTL_MAX_CLIENTS && n < max) {
		pfd[n].fd = c->fd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		n++;
	}
	return n;
}

size_t
cctl_clients(const struct cctl *c)
{
	size_t i, n = 0;

	for (i = 0; i < CCTL_MAX_CLIENTS; i++)
		n += c->cl[i].fd != -1;
	return n;
}

static void
cctl_accept(struct cctl *c, uint64_t mono_ms)
{
	size_t i;
	int fd;

	for (i = 0; i < CCTL_MAX_CLIENTS; i++) {
		if (c->cl[i].fd != -1)
			continue;
		fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd == -1)
			return; /* EAGAIN: nobody waiting */
		c->cl[i].fd = fd;
		c->cl[i].since_ms = mono_ms;
	}
}

/* The line is complete (or the client stopped sending): answer it. */
static void
cctl_answer(struct cctl *c, struct cctl_client *k)
{
	FILE *fp;

	k->line[k->len] = '\0';
	k->line[strcspn(k->line, "\r\n")] = '\0';
	if ((fp = open_memstream(&k->out, &k->out_len)) == NULL) {
		cctl_drop(k);
		return;
	}
	(void)c->fn(c->arg, k->line, fp);
	if (fclose(fp) != 0 || k->out == NULL) {
		cctl_drop(k);
		return;
	}
	k->out_off = 0;
	(void)shutdown(k->fd, SHUT_RD);
}

static void
cctl_read(struct cctl *c, struct cctl_client *k)
{
	ssize_t r;
	bool eof = false;

	while (k->len < sizeof(k->line) - 1) {
		r = read(k->fd, k->line + k->len, sizeof(k->line) - 1 - k->len);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			cctl_drop(k);
			return;
		}
		if (r == 0) {
			eof = true;
			break;
		}
		k->len += (size_t)r;
		if (memchr(k->line, '\n', k->len) != NULL)
			break;
	}
	if (eof && k->len == 0) {
		cctl_drop(k);
		return;
	}
	if (eof || k->len == sizeof(k->line) - 1 ||
	    memchr(k->line, '\n', k->len) != NULL)
		cctl_answer(c, k);
}

static void
cctl_write(struct cctl_client *k)
{
	ssize_t r;

	while (k->out_off < k->out_len) {
		r = send(k->fd, k->out + k->out_off, k->out_len - k->out_off,
		    MSG_NOSIGNAL);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			break; /* the client went away */
		}
		k->out_off += (size_t)r;
	}
	cctl_drop(k);
}

void
cctl_service(struct cctl *c, uint64_t mono_ms)
{
	size_t i;

	cctl_accept(c, mono_ms);
	for (i = 0; i < CCTL_MAX_CLIENTS; i++) {
		struct cctl_client *k = &c->cl[i];

		if (k->fd == -1)
			continue;
		if (k->out == NULL)
			cctl_read(c, k);
		if (k->fd != -1 && k->out != NULL)
			cctl_write(k);
		if (k->fd != -1 && mono_ms >= k->since_ms + CCTL_TIMEOUT_MS)
			cctl_drop(k);
	}
}
