// SPDX-License-Identifier: GPL-2.0-or-later
/* netif.c - the interfaces a program sees, through getifaddrs(3)
 *
 * Usage: netif
 *
 * glibc's getifaddrs() asks the kernel with two NETLINK_ROUTE dumps
 * (RTM_GETLINK, RTM_GETADDR).  One line per entry, sorted by the caller
 * if need be:
 *
 *	lo packet UP,LOOPBACK
 *	lo inet 127.0.0.1/8 UP,LOOPBACK
 *	eth0 inet6 fd00::15/64 UP
 *
 * then "index NAME N" for each name from if_nameindex(3) (the RTM_GETLINK
 * dump again) and if_nametoindex(3) (an ioctl, SIOCGIFINDEX).  Exit 1 if
 * getifaddrs() fails.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* prefix() - the number of leading one bits of the netmask @p, @n bytes */
static int prefix(const unsigned char *p, int n)
{
	int bits = 0;

	for (int i = 0; i < n; i++)
		bits += __builtin_popcount(p[i]);
	return bits;
}

int main(void)
{
	struct ifaddrs *ifa, *i;
	char buf[INET6_ADDRSTRLEN];

	if (getifaddrs(&ifa) < 0) {
		printf("getifaddrs: %s\n", strerrorname_np(errno));
		return 1;
	}
	for (i = ifa; i; i = i->ifa_next) {
		const char *fam = "none";
		int pfx = -1;

		buf[0] = 0;
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET) {
			fam = "inet";
			inet_ntop(AF_INET,
				  &((struct sockaddr_in *)i->ifa_addr)->sin_addr,
				  buf, sizeof(buf));
			if (i->ifa_netmask)
				pfx = prefix((void *)&((struct sockaddr_in *)
					i->ifa_netmask)->sin_addr, 4);
		} else if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET6) {
			fam = "inet6";
			inet_ntop(AF_INET6,
				  &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr,
				  buf, sizeof(buf));
			if (i->ifa_netmask)
				pfx = prefix((void *)&((struct sockaddr_in6 *)
					i->ifa_netmask)->sin6_addr, 16);
		} else if (i->ifa_addr && i->ifa_addr->sa_family == AF_PACKET) {
			fam = "packet";
		}
		printf("%s %s", i->ifa_name, fam);
		if (buf[0])
			printf(" %s/%d", buf, pfx);
		printf(" %s%s\n", i->ifa_flags & IFF_UP ? "UP" : "DOWN",
		       i->ifa_flags & IFF_LOOPBACK ? ",LOOPBACK" : "");
	}
	freeifaddrs(ifa);

	struct if_nameindex *ni = if_nameindex(), *n;

	for (n = ni; n && n->if_index; n++)
		printf("index %s %u %u\n", n->if_name, n->if_index,
		       if_nametoindex(n->if_name));
	if (ni)
		if_freenameindex(ni);
	return 0;
}
