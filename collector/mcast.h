/*
 * Multicast listening: whether a listen address is a group (224.0.0.0/4,
 * ff00::/8), and joining it on a socket bound to it, optionally on a named
 * interface.
 */
#ifndef FT_COLLECTOR_MCAST_H
#define FT_COLLECTOR_MCAST_H

#include <stdbool.h>

#include "lib/errbuf.h"
#include "lib/flow.h"

/* Whether a is an IPv4 or IPv6 multicast group address. */
bool mcast_is_group(const struct ft_addr *a);

/*
 * Join group on the UDP socket fd (IP_ADD_MEMBERSHIP or IPV6_JOIN_GROUP) on
 * interface ifname (NULL or empty: the one the kernel's routes pick), and
 * receive only the groups joined on fd. 0, or -1 with eb naming the group,
 * the interface and the error.
 */
int mcast_join(
    int fd, const struct ft_addr *group, const char *ifname, struct errbuf *eb);

#endif
