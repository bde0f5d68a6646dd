/*
 * Address and prefix parsing and formatting over inet_pton/inet_ntop, into
 * caller buffers, plus conversions to and from socket addresses.
 */
#include "lib/addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
addr_parse(const char *s, struct ft_addr *a)
{
	struct in_addr in4;
	uint8_t in6[16];

	if (s == NULL)
		return -1;
	if (inet_pton(AF_INET, s, &in4) == 1) {
		ft_addr_set_v4(a, ntohl(in4.s_addr));
		return 0;
	}
	if (inet_pton(AF_INET6, s, in6) == 1) {
		ft_addr_set_v6(a, in6);
		return 0;
	}
	return -1;
}

void
addr_mask(struct ft_addr *a, unsigned len)
{
	unsigned i;

	if (a->family == FT_AF_INET) {
		if (len == 0)
			a->v4 = 0;
		else if (len < 32)
			a->v4 &= ~(uint32_t)0 << (32 - len);
	} else if (a->family == FT_AF_INET6) {
		for (i = 0; i < 16; i++) {
			if (len >= 8 * (i + 1))
				continue;
			if (len <= 8 * i)
				a->v6[i] = 0;
			else
				a->v6[i] &=
				    (uint8_t)(0xff << (8 - (len - 8 * i)));
		}
	}
}

int
addr_parse_prefix(const char *s, int allow_host_bits, struct ft_prefix *p)
{
	char tmp[ADDR_STRLEN];
	const char *slash;
	char *end;
	unsigned long len;
	unsigned max;
	struct ft_addr masked;
	size_t n;

	if (s == NULL)
		return -1;
	slash = strchr(s, '/');
	n = slash ? (size_t)(slash - s) : strlen(s);
	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (addr_parse(tmp, &p->addr) == -1)
		return -1;
	max = p->addr.family == FT_AF_INET ? 32 : 128;
	if (slash == NULL) {
		len = max;
	} else {
		if (slash[1] < '0' || slash[1] > '9')
			return -1;
		errno = 0;
		len = strtoul(slash + 1, &end, 10);
		if (errno != 0 || *end != '\0' || len > max ||
		    end - (slash + 1) > 3)
			return -1;
	}
	masked = p->addr;
	addr_mask(&masked, (unsigned)len);
	if (!allow_host_bits && !ft_addr_equal(&masked, &p->addr))
		return -1;
	p->addr = masked;
	p->len = (uint8_t)len;
	return 0;
}

char *
addr_format(const struct ft_addr *a, char *buf, size_t len)
{
	struct in_addr in4;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (a->family == FT_AF_INET) {
		in4.s_addr = htonl(a->v4);
		if (inet_ntop(AF_INET, &in4, buf, (socklen_t)len) == NULL)
			buf[0] = '\0';
	} else if (a->family == FT_AF_INET6) {
		if (inet_ntop(AF_INET6, a->v6, buf, (socklen_t)len) == NULL)
			buf[0] = '\0';
	} else {
		snprintf(buf, len, "-");
	}
	return buf;
}

char *
addr_format_prefix(const struct ft_prefix *p, char *buf, size_t len)
{
	char a[ADDR_STRLEN];

	addr_format(&p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->len);
	return buf;
}

int
addr_in_prefix(const struct ft_addr *a, const struct ft_prefix *p)
{
	struct ft_addr m;

	if (a->family != p->addr.family)
		return 0;
	m = *a;
	addr_mask(&m, p->len);
	return ft_addr_equal(&m, &p->addr);
}

void
addr_from_sockaddr(const struct sockaddr *sa, struct ft_addr *a, uint16_t *port)
{
	const struct sockaddr_in *s4;
	const struct sockaddr_in6 *s6;
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
		0xff };

	memset(a, 0, sizeof(*a));
	if (port)
		*port = 0;
	if (sa->sa_family == AF_INET) {
		s4 = (const struct sockaddr_in *)(const void *)sa;
		ft_addr_set_v4(a, ntohl(s4->sin_addr.s_addr));
		if (port)
			*port = ntohs(s4->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		s6 = (const struct sockaddr_in6 *)(const void *)sa;
		/* A v4-mapped source on a dual-stack socket is an IPv4 peer. */
		if (memcmp(s6->sin6_addr.s6_addr, mapped, 12) == 0)
			ft_addr_set_v4(a,
			    (uint32_t)s6->sin6_addr.s6_addr[12] << 24 |
				(uint32_t)s6->sin6_addr.s6_addr[13] << 16 |
				(uint32_t)s6->sin6_addr.s6_addr[14] << 8 |
				s6->sin6_addr.s6_addr[15]);
		else
			ft_addr_set_v6(a, s6->sin6_addr.s6_addr);
		if (port)
			*port = ntohs(s6->sin6_port);
	}
}

socklen_t
addr_to_sockaddr(
    const struct ft_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4;
	struct sockaddr_in6 *s6;

	memset(ss, 0, sizeof(*ss));
	if (a->family == FT_AF_INET) {
		s4 = (struct sockaddr_in *)(void *)ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		s4->sin_addr.s_addr = htonl(a->v4);
		return sizeof(*s4);
	}
	if (a->family == FT_AF_INET6) {
		s6 = (struct sockaddr_in6 *)(void *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(s6->sin6_addr.s6_addr, a->v6, 16);
		return sizeof(*s6);
	}
	return 0;
}

char *
addr_format_sockaddr(const struct sockaddr *sa, char *buf, size_t len)
{
	struct ft_addr a;
	uint16_t port;
	char s[ADDR_STRLEN];

	addr_from_sockaddr(sa, &a, &port);
	addr_format(&a, s, sizeof(s));
	if (a.family == FT_AF_INET6)
		snprintf(buf, len, "[%s]:%u", s, port);
	else
		snprintf(buf, len, "%s:%u", s, port);
	return buf;
}

static int
parse_port(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

int
addr_parse_endpoint(const char *s, struct ft_addr *a, uint16_t *port)
{
	char host[ADDR_STRLEN];
	const char *colon, *close;
	size_t n;

	memset(a, 0, sizeof(*a));
	if (s == NULL || *s == '\0')
		return -1;
	if (s[0] == '[') {
		close = strchr(s, ']');
		if (close == NULL || close[1] != ':')
			return -1;
		n = (size_t)(close - s - 1);
		if (n == 0 || n >= sizeof(host))
			return -1;
		memcpy(host, s + 1, n);
		host[n] = '\0';
		if (addr_parse(host, a) == -1 || a->family != FT_AF_INET6)
			return -1;
		return parse_port(close + 2, port);
	}
	colon = strrchr(s, ':');
	if (colon == NULL)
		return parse_port(s, port);
	if (strchr(s, ':') != colon)
		return -1; /* bare IPv6 needs brackets */
	n = (size_t)(colon - s);
	if (n == 0 || n >= sizeof(host))
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	if (addr_parse(host, a) == -1)
		return -1;
	return parse_port(colon + 1, port);
}
