// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_rtnl.c - the view's rtnetlink responder (modules/net_rtnl.c) on
 * arbitrary requests, as a guest may send them
 *
 * The input is cut into messages the way net_netlink.c does (each
 * nlmsg_len checked against what is left); every reply message must be a
 * whole netlink message of the length it says, within NL's limits.
 */
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

static int emit(void *arg, const void *msg, size_t len)
{
	const struct nlmsghdr *h = msg;

	(void)arg;
	if (len < NLMSG_HDRLEN || h->nlmsg_len != len || len > 65536)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct net_conf c;
	const struct nlmsghdr *h;
	size_t off = 0;
	char *buf;

	if (!c.mtu) {	/* QEMU's user network, as --net nat has it */
		c.mode = NET_NAT;
		strcpy(c.ifname, "eth0");
		c.mtu = 1500;
		inet_pton(AF_INET, "10.0.2.15", &c.ip4);
		c.prefix4 = 24;
		inet_pton(AF_INET, "10.0.2.2", &c.gw4);
		inet_pton(AF_INET, "10.0.2.3", &c.dns4);
		inet_pton(AF_INET6, "fd00::15", &c.ip6);
		c.prefix6 = 64;
		inet_pton(AF_INET6, "fd00::2", &c.gw6);
		c.gw = true;
	}
	if (size > 65536 || !(buf = malloc(size ? size : 1)))
		return 0;
	memcpy(buf, data, size);
	while (size - off >= NLMSG_HDRLEN) {
		h = (const struct nlmsghdr *)(buf + off);
		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > size - off)
			break;
		if (nl_answer(&c, h, h->nlmsg_len, 1234, emit, NULL) < 0)
			break;
		off += NLMSG_ALIGN(h->nlmsg_len);
		if (off > size)
			break;
	}
	free(buf);
	return 0;
}
