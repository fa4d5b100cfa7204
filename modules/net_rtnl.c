// SPDX-License-Identifier: GPL-2.0-or-later
/* net_rtnl.c - the view's rtnetlink: the links, addresses, routes and
 *		rules that ip(8), getifaddrs() and friends read of the view
 *
 * DOC: Theory of Operation
 *
 * A guest of a private network must not see the host's interfaces, and
 * must see its own: lo, and in NAT mode the interface of struct net_conf.
 * The kernel would answer NETLINK_ROUTE from the host's network namespace,
 * so the view answers it here; the transport that carries requests and
 * replies is net_netlink.c.
 *
 * The view is described once, as tables of interfaces, addresses and
 * routes built from struct net_conf (nl_view_ifs(), nl_view_addrs(),
 * nl_view_routes()): the interface ioctls (net_ioctl.c) and the /proc/net
 * files (net_proc.c) read the same tables.
 *
 * The responder, nl_answer(), is a pure function of the view and one
 * request: it builds the reply messages the kernel's rtnetlink would send
 * to an unprivileged caller of a namespace holding those interfaces
 * (dumps of links, addresses, routes and rules; a link by index or name;
 * "ip route get"), and EPERM for every change.  The attribute layout and
 * order follow the kernel's, checked against a real namespace.
 */
#include <net/if.h>	/* first: linux/if.h then leaves glibc's names be */
#include <net/if_arp.h>
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/in_route.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

#ifndef IFA_PROTO
#define IFA_PROTO		11
#endif
#ifndef IFAPROT_KERNEL_LO
#define IFAPROT_KERNEL_LO	1
#define IFAPROT_KERNEL_LL	3
#endif

#define NL_MSG_MAX	2048		/* one reply message, at most */
#define NL_DUMPED	1		/* a dump was answered: no ACK */
#define NL_INFINITY	0xffffffffu	/* an address lifetime: forever */

/**
 * struct nl_out - the answer to one request, being built
 * @c:		the view
 * @req:	the request
 * @reqlen:	its length
 * @portid:	the requester's port id
 * @emit:	where each message goes
 * @arg:	argument of @emit
 * @fail:	first failure of @emit (then nothing more is emitted)
 * @len:	bytes of @m used
 * @m:		the message being built
 */
struct nl_out {
	const struct net_conf *c;
	const struct nlmsghdr *req;
	size_t reqlen;
	uint32_t portid;
	int (*emit)(void *arg, const void *msg, size_t len);
	void *arg;
	int fail;
	size_t len;
	union {
		struct nlmsghdr h;
		uint64_t align;
		char b[NL_MSG_MAX];
	} m;
};

/* The view's interfaces, addresses and routes */

/**
 * nl_view_ifs() - the interfaces the view shows (net_internal.h)
 * @c:		the view
 * @ifs:	filled, NL_IFS_MAX entries
 * Return: how many
 */
int nl_view_ifs(const struct net_conf *c, struct nl_if *ifs)
{
	static const unsigned char bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	ifs[0] = (struct nl_if){ .index = NET_IF_LO, .name = "lo",
		.flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP,
		.type = ARPHRD_LOOPBACK, .mtu = 65536,
		.operstate = IF_OPER_UNKNOWN };
	if (!net_eth(c))
		return 1;
	ifs[1] = (struct nl_if){ .index = NET_IF_ETH, .name = c->ifname,
		.flags = IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST |
			 IFF_LOWER_UP,
		.type = ARPHRD_ETHER, .mtu = c->mtu, .min_mtu = 68,
		.max_mtu = 65535, .operstate = IF_OPER_UP };
	memcpy(ifs[1].addr, c->mac, 6);
	memcpy(ifs[1].brd, bcast, 6);
	return 2;
}

/**
 * nl_mask4() - an IPv4 netmask (net_internal.h)
 * @prefix:	its length
 * Return: the mask, host order
 */
uint32_t nl_mask4(unsigned int prefix)
{
	return prefix >= 32 ? ~0u : ~(~0u >> prefix);
}

/**
 * nl_linklocal() - the view interface's fe80:: address (EUI-64 of the MAC)
 * @c:		the view
 * @a:		filled
 */
static void nl_linklocal(const struct net_conf *c, unsigned char a[16])
{
	static const unsigned char pre[8] = { 0xfe, 0x80 };

	memcpy(a, pre, 8);
	a[8] = c->mac[0] ^ 0x02;
	a[9] = c->mac[1];
	a[10] = c->mac[2];
	a[11] = 0xff;
	a[12] = 0xfe;
	memcpy(a + 13, c->mac + 3, 3);
}

/**
 * nl_view_addrs() - the addresses the view shows, in the kernel's dump
 *		     order (net_internal.h)
 * @c:		the view
 * @a:		filled, NL_ADDRS_MAX entries
 * Return: how many
 */
int nl_view_addrs(const struct net_conf *c, struct nl_ifaddr *a)
{
	uint32_t brd = htonl(ntohl(c->ip4.s_addr) | ~nl_mask4(c->prefix4));
	int n = 0;

	a[n] = (struct nl_ifaddr){ AF_INET, NET_IF_LO, 8, RT_SCOPE_HOST, 0,
				   { 127, 0, 0, 1 }, { 0 }, false, "lo" };
	n++;
	if (net_eth(c)) {
		a[n] = (struct nl_ifaddr){ .family = AF_INET, .index = NET_IF_ETH,
			.prefix = (unsigned char)c->prefix4, .has_brd = true,
			.label = c->ifname };
		memcpy(a[n].addr, &c->ip4, 4);
		memcpy(a[n++].brd, &brd, 4);
	}
	a[n++] = (struct nl_ifaddr){ AF_INET6, NET_IF_LO, 128, RT_SCOPE_HOST,
		IFAPROT_KERNEL_LO, { [15] = 1 }, { 0 }, false, NULL };
	if (!net_eth(c))
		return n;
	a[n] = (struct nl_ifaddr){ .family = AF_INET6, .index = NET_IF_ETH,
		.prefix = (unsigned char)c->prefix6 };
	memcpy(a[n++].addr, &c->ip6, 16);
	a[n] = (struct nl_ifaddr){ .family = AF_INET6, .index = NET_IF_ETH,
		.prefix = 64, .scope = RT_SCOPE_LINK, .proto = IFAPROT_KERNEL_LL };
	nl_linklocal(c, a[n++].addr);
	return n;
}

/**
 * nl_route4() - an IPv4 route
 * @r:		filled
 * @dst:	destination, network order
 * @len:	its prefix length
 * @table:	RT_TABLE_*
 * @type:	RTN_*
 * @oif:	interface
 * @src:	preferred source, network order (0: none)
 */
static void nl_route4(struct nl_route *r, uint32_t dst, int len, int table,
		      int type, int oif, uint32_t src)
{
	*r = (struct nl_route){ .family = AF_INET, .dst_len = (unsigned char)len,
		.table = (unsigned char)table, .protocol = RTPROT_KERNEL,
		.type = (unsigned char)type, .oif = oif, .has_src = !!src };
	if (table == RT_TABLE_LOCAL)
		r->scope = type == RTN_LOCAL ? RT_SCOPE_HOST : RT_SCOPE_LINK;
	else
		r->scope = RT_SCOPE_LINK;
	memcpy(r->dst, &dst, 4);
	memcpy(r->src, &src, 4);
}

/**
 * nl_cmp4() - order of IPv4 routes in the kernel's trie walk
 * @a:		a struct nl_route
 * @b:		another
 * Return: <0, 0, >0
 */
static int nl_cmp4(const void *a, const void *b)
{
	const struct nl_route *x = a, *y = b;
	uint32_t p, q;

	memcpy(&p, x->dst, 4);
	memcpy(&q, y->dst, 4);
	if (ntohl(p) != ntohl(q))
		return ntohl(p) < ntohl(q) ? -1 : 1;
	return (int)x->dst_len - (int)y->dst_len;
}

/**
 * nl_view_routes4() - the IPv4 routes: main table, then local
 * @c:		the view
 * @r:		filled from here
 * Return: how many
 */
static int nl_view_routes4(const struct net_conf *c, struct nl_route *r)
{
	uint32_t ip = c->ip4.s_addr, m = nl_mask4(c->prefix4);
	uint32_t lo = htonl(INADDR_LOOPBACK);
	int n = 0, local;

	if (net_eth(c) && c->gw) {
		nl_route4(&r[n], 0, 0, RT_TABLE_MAIN, RTN_UNICAST, NET_IF_ETH, 0);
		r[n].protocol = RTPROT_BOOT;
		r[n].scope = RT_SCOPE_UNIVERSE;
		r[n].has_gw = true;
		memcpy(r[n++].gw, &c->gw4, 4);
	}
	if (net_eth(c)) {
		nl_route4(&r[n++], htonl(ntohl(ip) & m), (int)c->prefix4,
			  RT_TABLE_MAIN, RTN_UNICAST, NET_IF_ETH, ip);
	}
	local = n;
	nl_route4(&r[n++], htonl(0x7f000000), 8, RT_TABLE_LOCAL, RTN_LOCAL,
		  NET_IF_LO, lo);
	nl_route4(&r[n++], lo, 32, RT_TABLE_LOCAL, RTN_LOCAL, NET_IF_LO, lo);
	nl_route4(&r[n++], htonl(0x7fffffff), 32, RT_TABLE_LOCAL,
		  RTN_BROADCAST, NET_IF_LO, lo);
	if (net_eth(c)) {
		nl_route4(&r[n++], ip, 32, RT_TABLE_LOCAL, RTN_LOCAL,
			  NET_IF_ETH, ip);
		if (c->prefix4 < 31)
			nl_route4(&r[n++], htonl(ntohl(ip) | ~m), 32,
				  RT_TABLE_LOCAL, RTN_BROADCAST, NET_IF_ETH, ip);
	}
	qsort(r + local, (size_t)(n - local), sizeof(*r), nl_cmp4);
	return n;
}

/**
 * nl_route6() - an IPv6 route
 * @r:		filled
 * @dst:	destination prefix
 * @len:	its length
 * @table:	RT_TABLE_*
 * @type:	RTN_*
 * @oif:	interface
 * @metric:	metric
 */
static void nl_route6(struct nl_route *r, const void *dst, int len, int table,
		      int type, int oif, uint32_t metric)
{
	*r = (struct nl_route){ .family = AF_INET6, .dst_len = (unsigned char)len,
		.table = (unsigned char)table, .protocol = RTPROT_KERNEL,
		.scope = RT_SCOPE_UNIVERSE, .type = (unsigned char)type,
		.oif = oif, .metric = metric };
	memcpy(r->dst, dst, 16);
}

/**
 * nl_prefix6() - the network of an IPv6 address
 * @out:	filled
 * @a:		the address
 * @len:	prefix length
 */
static void nl_prefix6(unsigned char out[16], const void *a, unsigned int len)
{
	unsigned int i;

	memcpy(out, a, 16);
	for (i = 0; i < 16; i++) {
		if (len >= 8 * (i + 1))
			continue;
		out[i] &= (unsigned char)(len > 8 * i ? 0xff << (8 - (len - 8 * i)) : 0);
	}
}

/**
 * nl_view_routes6() - the IPv6 routes: main table, then local
 * @c:		the view
 * @r:		filled from here
 * Return: how many
 */
static int nl_view_routes6(const struct net_conf *c, struct nl_route *r)
{
	static const unsigned char ll[16] = { 0xfe, 0x80 }, mc[16] = { 0xff },
				   any[16], lo[16] = { [15] = 1 };
	unsigned char a[16];
	int n = 0;

	if (net_eth(c)) {
		nl_prefix6(a, &c->ip6, c->prefix6);
		nl_route6(&r[n++], a, (int)c->prefix6, RT_TABLE_MAIN, RTN_UNICAST,
			  NET_IF_ETH, 256);
		nl_route6(&r[n++], ll, 64, RT_TABLE_MAIN, RTN_UNICAST, NET_IF_ETH, 256);
	}
	if (net_eth(c) && c->gw6_on) {
		nl_route6(&r[n], any, 0, RT_TABLE_MAIN, RTN_UNICAST, NET_IF_ETH, 1024);
		r[n].protocol = RTPROT_BOOT;
		r[n].has_gw = true;
		memcpy(r[n++].gw, &c->gw6, 16);
	}
	nl_route6(&r[n++], lo, 128, RT_TABLE_LOCAL, RTN_LOCAL, NET_IF_LO, 0);
	if (!net_eth(c))
		return n;
	nl_route6(&r[n++], &c->ip6, 128, RT_TABLE_LOCAL, RTN_LOCAL, NET_IF_ETH, 0);
	nl_linklocal(c, a);
	nl_route6(&r[n++], a, 128, RT_TABLE_LOCAL, RTN_LOCAL, NET_IF_ETH, 0);
	nl_route6(&r[n++], mc, 8, RT_TABLE_LOCAL, RTN_MULTICAST, NET_IF_ETH, 256);
	return n;
}

/**
 * nl_view_routes() - every route of the view, in the kernel's dump order
 *		      (net_internal.h)
 * @c:		the view
 * @r:		filled, NL_ROUTES_MAX entries
 * Return: how many
 */
int nl_view_routes(const struct net_conf *c, struct nl_route *r)
{
	int n = nl_view_routes4(c, r);

	return n + nl_view_routes6(c, r + n);
}
/* Building messages */

/**
 * nl_begin() - start a reply message
 * @o:		the answer
 * @type:	message type
 * @flags:	NLM_F_*
 * @hdr:	size of the family header that follows
 * Return: the family header, zeroed
 */
static void *nl_begin(struct nl_out *o, uint16_t type, uint16_t flags,
		      size_t hdr)
{
	memset(o->m.b, 0, NLMSG_HDRLEN + NLMSG_ALIGN(hdr));
	o->m.h.nlmsg_type = type;
	o->m.h.nlmsg_flags = flags;
	o->m.h.nlmsg_seq = o->req->nlmsg_seq;
	o->m.h.nlmsg_pid = o->portid;
	o->len = NLMSG_HDRLEN + NLMSG_ALIGN(hdr);
	return o->m.b + NLMSG_HDRLEN;
}

/**
 * nl_put() - append an attribute (all fit: messages are far below the room)
 * @o:		the answer
 * @type:	attribute type
 * @data:	payload
 * @len:	its length
 */
static void nl_put(struct nl_out *o, unsigned short type, const void *data,
		   size_t len)
{
	struct rtattr *a = (struct rtattr *)(o->m.b + o->len);

	if (o->len + RTA_SPACE(len) > sizeof(o->m))
		return;
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	memset((char *)RTA_DATA(a) + len, 0, RTA_SPACE(len) - RTA_LENGTH(len));
	o->len += RTA_SPACE(len);
}

/**
 * nl_put_u32() - append a 32-bit attribute
 * @o:		the answer
 * @type:	attribute type
 * @v:		value
 */
static void nl_put_u32(struct nl_out *o, unsigned short type, uint32_t v)
{
	nl_put(o, type, &v, sizeof(v));
}

/**
 * nl_put_u8() - append an 8-bit attribute
 * @o:		the answer
 * @type:	attribute type
 * @v:		value
 */
static void nl_put_u8(struct nl_out *o, unsigned short type, uint8_t v)
{
	nl_put(o, type, &v, sizeof(v));
}

/**
 * nl_put_str() - append a string attribute, NUL included
 * @o:		the answer
 * @type:	attribute type
 * @s:		the string
 */
static void nl_put_str(struct nl_out *o, unsigned short type, const char *s)
{
	nl_put(o, type, s, strlen(s) + 1);
}

/**
 * nl_put_64() - append an attribute of 64-bit fields, aligned on 8 bytes
 *		 with an empty @pad attribute before it as the kernel does
 * @o:		the answer
 * @type:	attribute type
 * @pad:	the family's pad attribute type
 * @data:	payload
 * @len:	its length
 */
static void nl_put_64(struct nl_out *o, unsigned short type, unsigned short pad,
		      const void *data, size_t len)
{
	if ((o->len + RTA_LENGTH(0)) % 8)
		nl_put(o, pad, NULL, 0);
	nl_put(o, type, data, len);
}

/**
 * nl_end() - finish the message and emit it
 * @o:		the answer
 */
static void nl_end(struct nl_out *o)
{
	o->m.h.nlmsg_len = (uint32_t)o->len;
	if (!o->fail)
		o->fail = o->emit(o->arg, o->m.b, o->len);
}

/**
 * nl_error() - the NLMSG_ERROR reply: an ACK (@err 0) or an error, which
 *		carries the request whole (NETLINK_CAP_ACK is the transport's)
 * @o:		the answer
 * @err:	0 or -errno
 */
static void nl_error(struct nl_out *o, int err)
{
	size_t room = sizeof(o->m) - NLMSG_HDRLEN - sizeof(struct nlmsgerr);
	size_t echo = err ? o->reqlen - NLMSG_HDRLEN : 0;
	uint16_t flags = err ? 0 : NLM_F_CAPPED;
	struct nlmsgerr *e;

	if (echo > room) {
		echo = 0;
		flags = NLM_F_CAPPED;
	}
	e = nl_begin(o, NLMSG_ERROR, flags, sizeof(*e));
	e->error = err;
	e->msg = *o->req;
	memcpy(o->m.b + o->len, o->req + 1, echo);
	o->len += NLMSG_ALIGN(echo);
	nl_end(o);
}

/**
 * nl_done() - the NLMSG_DONE that ends a dump
 * @o:		the answer
 */
static void nl_done(struct nl_out *o)
{
	int *status = nl_begin(o, NLMSG_DONE, NLM_F_MULTI, sizeof(int));

	*status = 0;
	nl_end(o);
}

/* Reading requests */

/**
 * nl_payload() - bytes after the request's netlink header
 * @o:		the answer
 * Return: the length
 */
static size_t nl_payload(const struct nl_out *o)
{
	return o->reqlen - NLMSG_HDRLEN;
}

/**
 * nl_attr() - find an attribute of the request
 * @o:		the answer
 * @hdr:	size of the family header before the attributes
 * @type:	attribute type
 * @len:	set to its payload length
 * Return: its payload, or NULL
 */
static const void *nl_attr(const struct nl_out *o, size_t hdr,
			   unsigned short type, size_t *len)
{
	const char *base = (const char *)o->req;
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(hdr);
	const struct rtattr *a;

	while (off + sizeof(*a) <= o->reqlen) {
		a = (const struct rtattr *)(base + off);
		if (a->rta_len < sizeof(*a) || off + a->rta_len > o->reqlen)
			return NULL;
		if ((a->rta_type & NLA_TYPE_MASK) == type) {
			*len = RTA_PAYLOAD(a);
			return RTA_DATA(a);
		}
		off += RTA_ALIGN(a->rta_len);
	}
	return NULL;
}

/* Links */

/**
 * nl_fill_link() - emit RTM_NEWLINK for an interface
 * @o:		the answer
 * @i:		the interface
 * @flags:	NLM_F_MULTI in a dump, else 0
 */
static void nl_fill_link(struct nl_out *o, const struct nl_if *i, uint16_t flags)
{
	struct ifinfomsg *m = nl_begin(o, RTM_NEWLINK, flags, sizeof(*m));
	struct rtnl_link_stats64 s64 = { 0 };
	struct rtnl_link_stats s32 = { 0 };
	struct rtnl_link_ifmap map = { 0 };

	*m = (struct ifinfomsg){ .ifi_family = AF_UNSPEC, .ifi_type = i->type,
		.ifi_index = i->index, .ifi_flags = i->flags };
	nl_put_str(o, IFLA_IFNAME, i->name);
	nl_put_u32(o, IFLA_TXQLEN, NL_TXQLEN);
	nl_put_u8(o, IFLA_OPERSTATE, i->operstate);
	nl_put_u8(o, IFLA_LINKMODE, 0);
	nl_put_u32(o, IFLA_MTU, i->mtu);
	nl_put_u32(o, IFLA_MIN_MTU, i->min_mtu);
	nl_put_u32(o, IFLA_MAX_MTU, i->max_mtu);
	nl_put_u32(o, IFLA_GROUP, 0);
	nl_put_u32(o, IFLA_PROMISCUITY, 0);
	nl_put_u32(o, IFLA_NUM_TX_QUEUES, 1);
	nl_put_u32(o, IFLA_GSO_MAX_SEGS, 65535);
	nl_put_u32(o, IFLA_GSO_MAX_SIZE, 65536);
	nl_put_u32(o, IFLA_NUM_RX_QUEUES, 1);
	nl_put_u8(o, IFLA_CARRIER, 1);
	nl_put_u32(o, IFLA_CARRIER_CHANGES, 0);
	nl_put_u8(o, IFLA_PROTO_DOWN, 0);
	nl_put(o, IFLA_ADDRESS, i->addr, sizeof(i->addr));
	nl_put(o, IFLA_BROADCAST, i->brd, sizeof(i->brd));
	nl_put_64(o, IFLA_STATS64, IFLA_PAD, &s64, sizeof(s64));
	nl_put(o, IFLA_STATS, &s32, sizeof(s32));
	nl_put_str(o, IFLA_QDISC, "noqueue");
	nl_put_64(o, IFLA_MAP, IFLA_PAD, &map, sizeof(map));
	nl_end(o);
}

/**
 * nl_dump_links() - RTM_GETLINK with NLM_F_DUMP
 * @o:		the answer
 *
 * AF_BRIDGE asks for bridge ports: the view has none.
 */
static void nl_dump_links(struct nl_out *o)
{
	struct nl_if ifs[NL_IFS_MAX];
	int i, n = nl_view_ifs(o->c, ifs);

	if (nl_payload(o) >= 1 && *(const uint8_t *)(o->req + 1) == AF_BRIDGE)
		return;
	for (i = 0; i < n; i++)
		nl_fill_link(o, &ifs[i], NLM_F_MULTI);
}

/**
 * nl_get_link() - RTM_GETLINK of one interface, by index or by name
 * @o:		the answer
 * Return: 0, -EINVAL (neither given), -ENODEV
 */
static int nl_get_link(struct nl_out *o)
{
	const struct ifinfomsg *m = (const void *)(o->req + 1);
	char name[IFNAMSIZ] = "";
	struct nl_if ifs[NL_IFS_MAX];
	int i, n = nl_view_ifs(o->c, ifs);
	const char *a;
	size_t len;

	if (nl_payload(o) < sizeof(*m))
		return -EINVAL;
	if (!(a = nl_attr(o, sizeof(*m), IFLA_IFNAME, &len)))
		a = nl_attr(o, sizeof(*m), IFLA_ALT_IFNAME, &len);
	if (a)
		memcpy(name, a, len < IFNAMSIZ - 1 ? len : IFNAMSIZ - 1);
	if (m->ifi_index <= 0 && !a)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (m->ifi_index > 0 ? ifs[i].index == m->ifi_index
				     : !strcmp(ifs[i].name, name)) {
			nl_fill_link(o, &ifs[i], 0);
			return 0;
		}
	}
	return -ENODEV;
}

/* Addresses */

/**
 * nl_fill_addr() - emit RTM_NEWADDR for an address, in a dump
 * @o:		the answer
 * @a:		the address
 */
static void nl_fill_addr(struct nl_out *o, const struct nl_ifaddr *a)
{
	struct ifaddrmsg *m = nl_begin(o, RTM_NEWADDR, NLM_F_MULTI, sizeof(*m));
	struct ifa_cacheinfo ci = { .ifa_prefered = NL_INFINITY,
				    .ifa_valid = NL_INFINITY };
	size_t alen = a->family == AF_INET ? 4 : 16;

	*m = (struct ifaddrmsg){ .ifa_family = (uint8_t)a->family,
		.ifa_prefixlen = a->prefix, .ifa_flags = IFA_F_PERMANENT,
		.ifa_scope = a->scope, .ifa_index = (uint32_t)a->index };
	nl_put(o, IFA_ADDRESS, a->addr, alen);
	if (a->family == AF_INET) {
		nl_put(o, IFA_LOCAL, a->addr, alen);
		if (a->has_brd)
			nl_put(o, IFA_BROADCAST, a->brd, 4);
		nl_put_str(o, IFA_LABEL, a->label);
		nl_put_u32(o, IFA_FLAGS, IFA_F_PERMANENT);
		nl_put(o, IFA_CACHEINFO, &ci, sizeof(ci));
	} else {
		nl_put(o, IFA_CACHEINFO, &ci, sizeof(ci));
		nl_put_u32(o, IFA_FLAGS, IFA_F_PERMANENT);
	}
	if (a->proto)
		nl_put_u8(o, IFA_PROTO, a->proto);
	nl_end(o);
}

/**
 * nl_family_ok() - does a dump of @want include entries of @family?
 * @want:	the family the request names (others than INET and INET6,
 *		AF_UNSPEC among them, get every family)
 * @family:	AF_INET or AF_INET6
 * Return: true if so
 */
static bool nl_family_ok(int want, int family)
{
	return (want != AF_INET && want != AF_INET6) || want == family;
}

/**
 * nl_dump_addrs() - RTM_GETADDR with NLM_F_DUMP: IPv4, then IPv6
 * @o:		the answer
 *
 * The family is the first byte, whether the request holds a struct
 * rtgenmsg (glibc) or a struct ifaddrmsg, whose index, when given, selects
 * one interface as the kernel's strict checking does.
 */
static void nl_dump_addrs(struct nl_out *o)
{
	const struct ifaddrmsg *m = (const void *)(o->req + 1);
	struct nl_ifaddr a[NL_ADDRS_MAX];
	int i, n = nl_view_addrs(o->c, a);
	uint32_t index = 0;

	if (nl_payload(o) >= sizeof(*m))
		index = m->ifa_index;
	for (i = 0; i < n; i++)
		if (nl_family_ok(m->ifa_family, a[i].family) &&
		    (!index || index == (uint32_t)a[i].index))
			nl_fill_addr(o, &a[i]);
}

/* Routes */

/**
 * nl_fill_route() - emit RTM_NEWROUTE for a route, in a dump
 * @o:		the answer
 * @r:		the route
 */
static void nl_fill_route(struct nl_out *o, const struct nl_route *r)
{
	struct rtmsg *m = nl_begin(o, RTM_NEWROUTE, NLM_F_MULTI, sizeof(*m));
	size_t alen = r->family == AF_INET ? 4 : 16;
	struct rta_cacheinfo ci = { 0 };

	*m = (struct rtmsg){ .rtm_family = r->family, .rtm_dst_len = r->dst_len,
		.rtm_table = r->table, .rtm_protocol = r->protocol,
		.rtm_scope = r->scope, .rtm_type = r->type };
	nl_put_u32(o, RTA_TABLE, r->table);
	if (r->dst_len)
		nl_put(o, RTA_DST, r->dst, alen);
	if (r->family == AF_INET6)
		nl_put_u32(o, RTA_PRIORITY, r->metric);
	if (r->has_src)
		nl_put(o, RTA_PREFSRC, r->src, alen);
	if (r->has_gw)
		nl_put(o, RTA_GATEWAY, r->gw, alen);
	nl_put_u32(o, RTA_OIF, (uint32_t)r->oif);
	if (r->family == AF_INET6) {
		nl_put(o, RTA_CACHEINFO, &ci, sizeof(ci));
		nl_put_u8(o, RTA_PREF, 0);	/* ICMPV6_ROUTER_PREF_MEDIUM */
	}
	nl_end(o);
}

/**
 * nl_dump_routes() - RTM_GETROUTE with NLM_F_DUMP
 * @o:		the answer
 */
static void nl_dump_routes(struct nl_out *o)
{
	struct nl_route r[NL_ROUTES_MAX];
	int i, n = nl_view_routes(o->c, r);
	int want = *(const uint8_t *)(o->req + 1);

	for (i = 0; i < n; i++)
		if (nl_family_ok(want, r[i].family))
			nl_fill_route(o, &r[i]);
}

/**
 * nl_covers() - is @addr inside the prefix of @r?
 * @r:		a route
 * @addr:	an address of its family
 * Return: true if so
 */
static bool nl_covers(const struct nl_route *r, const unsigned char *addr)
{
	unsigned char net[16];

	if (r->family == AF_INET6) {
		nl_prefix6(net, addr, r->dst_len);
		return !memcmp(net, r->dst, 16);
	}
	memset(net, 0, sizeof(net));
	memcpy(net, addr, 4);
	nl_prefix6(net, net, r->dst_len);
	return !memcmp(net, r->dst, 4);
}

/**
 * nl_lookup() - the route the view takes to @addr: the longest prefix of
 *		 the local table, else of the main table (the default rules)
 * @r:		the routes
 * @n:		how many
 * @family:	AF_INET or AF_INET6
 * @addr:	the destination
 * Return: the route, or NULL (unreachable)
 */
static const struct nl_route *nl_lookup(const struct nl_route *r, int n,
					int family, const unsigned char *addr)
{
	static const int tables[] = { RT_TABLE_LOCAL, RT_TABLE_MAIN };
	const struct nl_route *best = NULL;
	size_t t;
	int i;

	for (t = 0; t < 2 && !best; t++)
		for (i = 0; i < n; i++)
			if (r[i].family == family && r[i].table == tables[t] &&
			    nl_covers(&r[i], addr) &&
			    (!best || r[i].dst_len > best->dst_len))
				best = &r[i];
	return best;
}

/**
 * nl_source6() - the source address the view picks for an IPv6 route
 * @c:		the view
 * @r:		the route
 * @dst:	the destination
 * @out:	filled
 */
static void nl_source6(const struct net_conf *c, const struct nl_route *r,
		       const unsigned char *dst, unsigned char *out)
{
	bool link = (dst[0] == 0xfe && (dst[1] & 0xc0) == 0x80) ||
		    (dst[0] == 0xff && (dst[1] & 0x0f) <= 2);

	if (r->type == RTN_LOCAL)
		memcpy(out, dst, 16);
	else if (link)
		nl_linklocal(c, out);
	else
		memcpy(out, &c->ip6, 16);
}

/**
 * nl_get_route4() - "ip route get" of an IPv4 address (rt_fill_info())
 * @o:		the answer
 * @r:		the route taken
 * @dst:	the destination
 */
static void nl_get_route4(struct nl_out *o, const struct nl_route *r,
			  const unsigned char *dst)
{
	struct rtmsg *m = nl_begin(o, RTM_NEWROUTE, 0, sizeof(*m));
	struct rta_cacheinfo ci = { 0 };
	uint32_t flags = RTM_F_CLONED;

	if (r->type == RTN_LOCAL)
		flags |= RTCF_LOCAL;
	else if (r->type == RTN_BROADCAST)
		flags |= RTCF_LOCAL | RTCF_BROADCAST;
	*m = (struct rtmsg){ .rtm_family = AF_INET, .rtm_dst_len = 32,
		.rtm_table = RT_TABLE_MAIN, .rtm_type = r->type,
		.rtm_flags = flags };
	nl_put_u32(o, RTA_TABLE, RT_TABLE_MAIN);
	nl_put(o, RTA_DST, dst, 4);
	nl_put_u32(o, RTA_OIF, r->type == RTN_LOCAL ? NET_IF_LO : (uint32_t)r->oif);
	nl_put(o, RTA_PREFSRC, r->has_src ? r->src : (const void *)&o->c->ip4, 4);
	if (r->has_gw)
		nl_put(o, RTA_GATEWAY, r->gw, 4);
	nl_put(o, RTA_CACHEINFO, &ci, sizeof(ci));
	nl_end(o);
}

/**
 * nl_get_route6() - "ip -6 route get" of an address (rt6_fill_node())
 * @o:		the answer
 * @r:		the route taken
 * @dst:	the destination
 */
static void nl_get_route6(struct nl_out *o, const struct nl_route *r,
			  const unsigned char *dst)
{
	struct rtmsg *m = nl_begin(o, RTM_NEWROUTE, 0, sizeof(*m));
	static const unsigned char any[16];
	struct rta_cacheinfo ci = { 0 };
	unsigned char src[16];

	*m = (struct rtmsg){ .rtm_family = AF_INET6, .rtm_dst_len = 128,
		.rtm_src_len = 128, .rtm_table = r->table,
		.rtm_protocol = r->protocol, .rtm_type = r->type };
	nl_source6(o->c, r, dst, src);
	nl_put_u32(o, RTA_TABLE, r->table);
	nl_put(o, RTA_DST, dst, 16);
	nl_put(o, RTA_SRC, any, 16);
	nl_put(o, RTA_PREFSRC, src, 16);
	nl_put_u32(o, RTA_PRIORITY, r->metric);
	if (r->has_gw)
		nl_put(o, RTA_GATEWAY, r->gw, 16);
	nl_put_u32(o, RTA_OIF, r->type == RTN_LOCAL ? NET_IF_LO : (uint32_t)r->oif);
	nl_put(o, RTA_CACHEINFO, &ci, sizeof(ci));
	nl_put_u8(o, RTA_PREF, 0);
	nl_end(o);
}

/**
 * nl_get_route() - RTM_GETROUTE without NLM_F_DUMP: the route to RTA_DST
 * @o:		the answer
 * Return: 0, -EINVAL (a short request), -ENETUNREACH, -EOPNOTSUPP (a
 *	   family other than IPv4 and IPv6)
 */
static int nl_get_route(struct nl_out *o)
{
	const struct rtmsg *m = (const void *)(o->req + 1);
	struct nl_route r[NL_ROUTES_MAX];
	int n = nl_view_routes(o->c, r);
	unsigned char dst[16] = { 0 };
	const struct nl_route *hit;
	const void *a;
	size_t alen, want;

	if (nl_payload(o) < 1 ||
	    (m->rtm_family != AF_INET && m->rtm_family != AF_INET6))
		return -EOPNOTSUPP;
	if (nl_payload(o) < sizeof(*m))
		return -EINVAL;
	want = m->rtm_family == AF_INET ? 4 : 16;
	if ((a = nl_attr(o, sizeof(*m), RTA_DST, &alen))) {
		if (alen < want)
			return -EINVAL;
		memcpy(dst, a, want);
	}
	if (!(hit = nl_lookup(r, n, m->rtm_family, dst)))
		return -ENETUNREACH;
	if (m->rtm_family == AF_INET)
		nl_get_route4(o, hit, dst);
	else
		nl_get_route6(o, hit, dst);
	return 0;
}

/* Rules */

/**
 * nl_fill_rule() - emit RTM_NEWRULE for one of the default rules
 * @o:		the answer
 * @family:	AF_INET or AF_INET6
 * @table:	table it looks up
 * @pref:	its priority
 */
static void nl_fill_rule(struct nl_out *o, int family, int table, uint32_t pref)
{
	struct fib_rule_hdr *h = nl_begin(o, RTM_NEWRULE, NLM_F_MULTI, sizeof(*h));

	*h = (struct fib_rule_hdr){ .family = (uint8_t)family,
		.table = (uint8_t)table, .action = FR_ACT_TO_TBL };
	nl_put_u32(o, FRA_TABLE, (uint32_t)table);
	nl_put_u32(o, FRA_SUPPRESS_PREFIXLEN, 0xffffffff);
	nl_put_u8(o, FRA_PROTOCOL, RTPROT_KERNEL);
	if (pref)
		nl_put_u32(o, FRA_PRIORITY, pref);
	nl_end(o);
}

/**
 * nl_dump_rules() - RTM_GETRULE with NLM_F_DUMP: the kernel's default rules
 * @o:		the answer
 */
static void nl_dump_rules(struct nl_out *o)
{
	int want = *(const uint8_t *)(o->req + 1);

	if (nl_family_ok(want, AF_INET)) {
		nl_fill_rule(o, AF_INET, RT_TABLE_LOCAL, 0);
		nl_fill_rule(o, AF_INET, RT_TABLE_MAIN, 32766);
		nl_fill_rule(o, AF_INET, RT_TABLE_DEFAULT, 32767);
	}
	if (nl_family_ok(want, AF_INET6)) {
		nl_fill_rule(o, AF_INET6, RT_TABLE_LOCAL, 0);
		nl_fill_rule(o, AF_INET6, RT_TABLE_MAIN, 32766);
	}
}

/* The request */

/**
 * nl_dump() - a request with NLM_F_DUMP: the entries, then NLMSG_DONE;
 *	       kinds the view has none of (neighbours, qdiscs...) are empty
 * @o:		the answer
 * @type:	RTM_GET*
 */
static void nl_dump(struct nl_out *o, int type)
{
	switch (type) {
	case RTM_GETLINK:
		nl_dump_links(o);
		break;
	case RTM_GETADDR:
		nl_dump_addrs(o);
		break;
	case RTM_GETROUTE:
		nl_dump_routes(o);
		break;
	case RTM_GETRULE:
		nl_dump_rules(o);
		break;
	}
	nl_done(o);
}

/**
 * nl_request() - answer one rtnetlink request (rtnetlink_rcv_msg())
 * @o:		the answer
 * Return: 0 (answered: ACK if asked), NL_DUMPED, or -errno for NLMSG_ERROR
 */
static int nl_request(struct nl_out *o)
{
	int type = o->req->nlmsg_type;

	if (type > RTM_MAX)
		return -EOPNOTSUPP;
	if (nl_payload(o) < 1)		/* "at least 1 byte": ignored */
		return 0;
	if (((type - RTM_BASE) & 3) != 2)	/* NEW, DEL, SET */
		return -EPERM;
	if ((o->req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
		nl_dump(o, type);
		return NL_DUMPED;
	}
	if (type == RTM_GETLINK)
		return nl_get_link(o);
	if (type == RTM_GETROUTE)
		return nl_get_route(o);
	return -EOPNOTSUPP;
}

/**
 * nl_answer() - answer one netlink request of the view (net_internal.h)
 * @c:		the view
 * @req:	the request, nlmsg_len checked
 * @len:	its length (nlmsg_len)
 * @portid:	the requester's port id, for nlmsg_pid
 * @emit:	called with each reply message
 * @arg:	argument of @emit
 *
 * As netlink_rcv_skb(): a message that is no request, or a control
 * message, is only acknowledged if NLM_F_ACK asks; an error always is.
 *
 * Return: 0, or the first error of @emit
 */
int nl_answer(const struct net_conf *c, const void *req, size_t len,
	      uint32_t portid,
	      int (*emit)(void *arg, const void *msg, size_t len), void *arg)
{
	struct nl_out o = { .c = c, .req = req, .reqlen = len, .portid = portid,
			    .emit = emit, .arg = arg };
	int r = 0;

	if (len < NLMSG_HDRLEN)
		return 0;
	if ((o.req->nlmsg_flags & NLM_F_REQUEST) &&
	    o.req->nlmsg_type >= NLMSG_MIN_TYPE)
		r = nl_request(&o);
	if (r != NL_DUMPED && (r < 0 || (o.req->nlmsg_flags & NLM_F_ACK)))
		nl_error(&o, r < 0 ? r : 0);
	return o.fail;
}
