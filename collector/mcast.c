/*
 * Joining multicast groups. The socket is bound to the group address
 * itself, so it only gets that group's datagrams; IP_MULTICAST_ALL off
 * keeps other sockets' memberships from leaking into it.
 */
#include "collector/mcast.h"

#include <sys/socket.h>

#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <string.h>

#include "lib/addr.h"

bool
mcast_is_group(const struct ft_addr *a)
{
	if (a->family == FT_AF_INET)
		return (a->v4 >> 28) == 0xe;
	if (a->family == FT_AF_INET6)
		return a->v6[0] == 0xff;
	return false;
}

int
mcast_join(
    int fd, const struct ft_addr *group, const char *ifname, struct errbuf *eb)
{
	char g[ADDR_STRLEN];
	unsigned int idx = 0;
	int off = 0, rc;

	addr_format(group, g, sizeof(g));
	if (!mcast_is_group(group)) {
		errbuf_set(eb, "%s is not a multicast group", g);
		return -1;
	}
	if (ifname != NULL && *ifname != '\0' &&
	    (idx = if_nametoindex(ifname)) == 0) {
		errbuf_set(eb, "joining %s: no interface \"%s\"", g, ifname);
		return -1;
	}
	if (group->family == FT_AF_INET) {
		struct ip_mreqn mr;

		memset(&mr, 0, sizeof(mr));
		mr.imr_multiaddr.s_addr = htonl(group->v4);
		mr.imr_ifindex = (int)idx;
		rc = setsockopt(
		    fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr));
		if (rc == 0)
			(void)setsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &off,
			    sizeof(off));
	} else {
		struct ipv6_mreq mr;

		memset(&mr, 0, sizeof(mr));
		memcpy(&mr.ipv6mr_multiaddr, group->v6, 16);
		mr.ipv6mr_interface = idx;
		rc = setsockopt(
		    fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr));
#ifdef IPV6_MULTICAST_ALL
		if (rc == 0)
			(void)setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL,
			    &off, sizeof(off));
#endif
	}
	if (rc == -1) {
		errbuf_set(eb, "joining %s%s%s: %s", g, idx ? " on " : "",
		    idx ? ifname : "", strerror(errno));
		return -1;
	}
	return 0;
}
