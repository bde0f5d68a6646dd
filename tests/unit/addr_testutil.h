/*
 * Addresses for the unit tests, as values: an IPv4 address from its
 * number, an IPv6 address in 2001:db8::/32 numbered by its last 32 bits,
 * and an IPv4 socket address (a datagram's sender).
 */
#ifndef FT_ADDR_TESTUTIL_H
#define FT_ADDR_TESTUTIL_H

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdint.h>
#include <string.h>

#include "lib/addr.h"

/* The IPv4 address a (host byte order: 0x0a000001 is 10.0.0.1). */
static inline struct ft_addr
taddr_v4(uint32_t a)
{
	struct ft_addr x;

	ft_addr_set_v4(&x, a);
	return x;
}

/* The IPv6 address 2001:db8::low, low in the last 32 bits. */
static inline struct ft_addr
taddr_v6(uint32_t low)
{
	uint8_t b[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	struct ft_addr x;

	b[12] = (uint8_t)(low >> 24);
	b[13] = (uint8_t)(low >> 16);
	b[14] = (uint8_t)(low >> 8);
	b[15] = (uint8_t)low;
	ft_addr_set_v6(&x, b);
	return x;
}

/* The socket address a:port (both in host byte order). */
static inline struct sockaddr_in
taddr_sin4(uint32_t a, uint16_t port)
{
	struct sockaddr_in s;

	memset(&s, 0, sizeof(s));
	s.sin_family = AF_INET;
	s.sin_addr.s_addr = htonl(a);
	s.sin_port = htons(port);
	return s;
}

#endif
