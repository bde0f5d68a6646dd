/*
 * Control socket clients for the unit tests: a raw connection to a Unix
 * stream socket (to send any bytes, or none) and reading a reply to the
 * end, so servers can be driven from the test's own thread.
 */
#ifndef FT_CTL_TESTUTIL_H
#define FT_CTL_TESTUTIL_H

#include <sys/socket.h>
#include <sys/un.h>

#include <string.h>
#include <unistd.h>

/* A blocking stream connection to the socket at p; fails the test if not. */
static inline int
ctlt_connect(const char *p)
{
	struct sockaddr_un sun;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, p);
	assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

/* Read fd to its end into buf (NUL-terminated, cap - 1 at most). */
static inline size_t
ctlt_read_all(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t r;

	while (n < cap - 1 && (r = read(fd, buf + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	return n;
}

#endif
