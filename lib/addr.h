/*
 * Parse and format addresses and prefixes into caller buffers; also the
 * socket-address helpers the daemons use to name exporters and collectors.
 */
#ifndef FT_ADDR_H
#define FT_ADDR_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include "lib/flow.h"

/* Enough for any address, prefix or "[v6]:port" text plus NUL. */
#define ADDR_STRLEN 64

/* A prefix: address with host bits cleared, and its length. */
struct ft_prefix {
	struct ft_addr addr;
	uint8_t len; /* 0..32 or 0..128 */
};

/* Parse an IPv4 or IPv6 address in standard text form: 0 or -1. */
int addr_parse(const char *s, struct ft_addr *a);
/*
 * Parse "addr/len" or a bare address (as /32 or /128). Host bits beyond len
 * must be zero unless allow_host_bits, in which case they are cleared.
 * Returns 0 or -1.
 */
int addr_parse_prefix(const char *s, int allow_host_bits, struct ft_prefix *p);
/* Standard text form (inet_ntop); "-" for FT_AF_NONE. Returns buf. */
char *addr_format(const struct ft_addr *a, char *buf, size_t len);
/* "addr/len". Returns buf. */
char *addr_format_prefix(const struct ft_prefix *p, char *buf, size_t len);
/* Clear the bits of a beyond len (len is clamped to the family's width). */
void addr_mask(struct ft_addr *a, unsigned len);
/* Whether a lies in p (false across families). */
int addr_in_prefix(const struct ft_addr *a, const struct ft_prefix *p);

/* Convert between struct ft_addr + port and a sockaddr. */
void addr_from_sockaddr(
    const struct sockaddr *sa, struct ft_addr *a, uint16_t *port);
/* Fill ss from a and port; returns the sockaddr length, or 0 if unset. */
socklen_t addr_to_sockaddr(
    const struct ft_addr *a, uint16_t port, struct sockaddr_storage *ss);
/* "a.b.c.d:port" or "[v6]:port". Returns buf. */
char *addr_format_sockaddr(const struct sockaddr *sa, char *buf, size_t len);
/*
 * Parse an endpoint "PORT", "ADDR:PORT" or "[V6]:PORT" (numeric addresses
 * only). With no address part, the
 * address is left FT_AF_NONE (any). Returns 0 or -1.
 */
int addr_parse_endpoint(const char *s, struct ft_addr *a, uint16_t *port);

#endif
