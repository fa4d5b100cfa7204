// SPDX-License-Identifier: GPL-2.0-or-later
/* net_netlink.c - the view's rtnetlink and interface ioctls: what
 *		   ip(8), getifaddrs() and friends see of the view's network
 *
 * DOC: Theory of Operation
 *
 * A guest of a private network must not see the host's interfaces, and
 * must see its own: lo, and in NAT mode the interface of struct net_conf.
 * The kernel would answer NETLINK_ROUTE and the SIOCGIF* ioctls from the
 * host's network namespace, so both are answered here.
 *
 * The responder, nl_answer(), is a pure function of the view and one
 * request: it builds the reply messages the kernel's rtnetlink would send
 * to an unprivileged caller of a namespace holding those interfaces
 * (dumps of links, addresses, routes and rules; a link by index or name;
 * "ip route get"), and EPERM for every change.  The attribute layout and
 * order follow the kernel's, checked against a real namespace.
 *
 * The transport: socket(AF_NETLINK, ..., NETLINK_ROUTE) gives the guest one
 * end of an AF_UNIX SOCK_SEQPACKET socketpair; the supervisor keeps the
 * other (@peer).  Each reply message is one datagram written to @peer, so
 * read() and recv() without an address, which are not trapped, read them
 * as from netlink, and poll/epoll readiness is the kernel's.  The calls
 * that carry netlink addresses or requests (bind, sendmsg, recvmsg, ...)
 * reach nl_call(); recvmsg reads the guest's own end, so that the name and
 * flags it reports are netlink's.  SEQPACKET rather than DGRAM because the
 * supervisor's end reports EPOLLHUP when the guest's end is gone: that is
 * when the socket is forgotten; so shutdown() must reach nl_call() too
 * (netlink has none: EOPNOTSUPP), as run natively it would hang up @peer.
 * A request the guest sends without an address (write(), send()), not
 * trapped, arrives on @peer and is answered the same way.
 *
 * Port ids are given as the kernel's netlink_autobind() does: the process
 * id first, then -4097, -4098, ... for further sockets.
 *
 * The interface ioctls (SIOCGIFCONF, SIOCGIFFLAGS, ...) are answered from
 * the same description of the view, by nl_ifreq() and nl_ifconf(); those
 * that change an interface fail with EPERM, and those that would look at a
 * host device by name answer for the view's names only.  The ones about
 * the socket itself (SIOCGSTAMP, SIOCATMARK...) are the kernel's.
 */
#include <net/if.h>	/* first: linux/if.h then leaves glibc's names be */
#include <net/if_arp.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fib_rules.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/in_route.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "net_internal.h"

#ifndef IFA_PROTO
#define IFA_PROTO		11
#endif
#ifndef IFAPROT_KERNEL_LO
#define IFAPROT_KERNEL_LO	1
#define IFAPROT_KERNEL_LL	3
#endif
#ifndef SOL_NETLINK
#define SOL_NETLINK		270
#endif

#define NL_MSG_MAX	2048		/* one reply message, at most */
#define NL_SEND_MAX	(1 << 20)	/* one request datagram, at most */
#define NL_RECV_MAX	(1 << 18)	/* bytes of one datagram copied out */
#define NL_DUMPED	1		/* a dump was answered: no ACK */
#define NL_DEFERRED	(-4096)		/* the call waits for a reply */
#define NL_ROVER	(-4097)		/* the kernel's first non-pid port id */
#define NL_TXQLEN	1000
#define NL_INFINITY	0xffffffffu	/* an address lifetime: forever */

/* Bits of nl_sock.opts: one per SOL_NETLINK option, by number */
#define NL_OPT(o)	(1u << (o))

/**
 * struct nl_if - one interface of the view
 * @index:	ifindex
 * @name:	its name
 * @flags:	IFF_* as RTM_NEWLINK shows them (IFF_LOWER_UP included)
 * @type:	ARPHRD_*
 * @mtu:	MTU
 * @min_mtu:	smallest MTU it would take
 * @max_mtu:	largest
 * @addr:	hardware address
 * @brd:	hardware broadcast address
 * @operstate:	IF_OPER_*
 */
struct nl_if {
	int index;
	const char *name;
	unsigned int flags;
	unsigned short type;
	unsigned int mtu, min_mtu, max_mtu;
	unsigned char addr[6], brd[6];
	unsigned char operstate;
};

/**
 * struct nl_ifaddr - one address of the view
 * @family:	AF_INET or AF_INET6
 * @index:	interface
 * @prefix:	prefix length
 * @scope:	RT_SCOPE_*
 * @proto:	IFAPROT_* (0: not sent)
 * @addr:	the address (4 or 16 bytes)
 * @brd:	IPv4 broadcast address, if @has_brd
 * @has_brd:	it has one
 * @label:	IPv4 label (the interface's name)
 */
struct nl_ifaddr {
	int family, index;
	unsigned char prefix, scope, proto;
	unsigned char addr[16];
	unsigned char brd[4];
	bool has_brd;
	const char *label;
};

/**
 * struct nl_route - one route of the view
 * @family:	AF_INET or AF_INET6
 * @dst_len:	prefix length of @dst
 * @table:	RT_TABLE_MAIN or RT_TABLE_LOCAL
 * @protocol:	RTPROT_*
 * @scope:	RT_SCOPE_*
 * @type:	RTN_*
 * @dst:	destination prefix
 * @gw:		gateway, if @has_gw
 * @src:	preferred source (IPv4), if @has_src
 * @has_gw:	it goes through a gateway
 * @has_src:	it has a preferred source
 * @oif:	output interface
 * @metric:	IPv6 metric (RTA_PRIORITY)
 */
struct nl_route {
	unsigned char family, dst_len, table, protocol, scope, type;
	unsigned char dst[16], gw[16], src[16];
	bool has_gw, has_src;
	int oif;
	uint32_t metric;
};

#define NL_IFS_MAX	2
#define NL_ADDRS_MAX	5
#define NL_ROUTES_MAX	16

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
 * nl_view_ifs() - the interfaces the view shows
 * @c:		the view
 * @ifs:	filled, NL_IFS_MAX entries
 * Return: how many
 */
static int nl_view_ifs(const struct net_conf *c, struct nl_if *ifs)
{
	static const unsigned char bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	ifs[0] = (struct nl_if){ .index = NET_IF_LO, .name = "lo",
		.flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP,
		.type = ARPHRD_LOOPBACK, .mtu = 65536,
		.operstate = IF_OPER_UNKNOWN };
	if (c->mode != NET_NAT)
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
 * nl_mask4() - an IPv4 netmask
 * @prefix:	its length
 * Return: the mask, host order
 */
static uint32_t nl_mask4(unsigned int prefix)
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
 * nl_view_addrs() - the addresses the view shows, in the kernel's dump order
 * @c:		the view
 * @a:		filled, NL_ADDRS_MAX entries
 * Return: how many
 */
static int nl_view_addrs(const struct net_conf *c, struct nl_ifaddr *a)
{
	uint32_t brd = htonl(ntohl(c->ip4.s_addr) | ~nl_mask4(c->prefix4));
	int n = 0;

	a[n] = (struct nl_ifaddr){ AF_INET, NET_IF_LO, 8, RT_SCOPE_HOST, 0,
				   { 127, 0, 0, 1 }, { 0 }, false, "lo" };
	n++;
	if (c->mode == NET_NAT) {
		a[n] = (struct nl_ifaddr){ .family = AF_INET, .index = NET_IF_ETH,
			.prefix = (unsigned char)c->prefix4, .has_brd = true,
			.label = c->ifname };
		memcpy(a[n].addr, &c->ip4, 4);
		memcpy(a[n++].brd, &brd, 4);
	}
	a[n++] = (struct nl_ifaddr){ AF_INET6, NET_IF_LO, 128, RT_SCOPE_HOST,
		IFAPROT_KERNEL_LO, { [15] = 1 }, { 0 }, false, NULL };
	if (c->mode != NET_NAT)
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

	if (c->mode == NET_NAT) {
		nl_route4(&r[n], 0, 0, RT_TABLE_MAIN, RTN_UNICAST, NET_IF_ETH, 0);
		r[n].protocol = RTPROT_BOOT;
		r[n].scope = RT_SCOPE_UNIVERSE;
		r[n].has_gw = true;
		memcpy(r[n++].gw, &c->gw4, 4);
		nl_route4(&r[n++], htonl(ntohl(ip) & m), (int)c->prefix4,
			  RT_TABLE_MAIN, RTN_UNICAST, NET_IF_ETH, ip);
	}
	local = n;
	nl_route4(&r[n++], htonl(0x7f000000), 8, RT_TABLE_LOCAL, RTN_LOCAL,
		  NET_IF_LO, lo);
	nl_route4(&r[n++], lo, 32, RT_TABLE_LOCAL, RTN_LOCAL, NET_IF_LO, lo);
	nl_route4(&r[n++], htonl(0x7fffffff), 32, RT_TABLE_LOCAL,
		  RTN_BROADCAST, NET_IF_LO, lo);
	if (c->mode == NET_NAT) {
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

	if (c->mode == NET_NAT) {
		nl_prefix6(a, &c->ip6, c->prefix6);
		nl_route6(&r[n++], a, (int)c->prefix6, RT_TABLE_MAIN, RTN_UNICAST,
			  NET_IF_ETH, 256);
		nl_route6(&r[n++], ll, 64, RT_TABLE_MAIN, RTN_UNICAST, NET_IF_ETH, 256);
		nl_route6(&r[n], any, 0, RT_TABLE_MAIN, RTN_UNICAST, NET_IF_ETH, 1024);
		r[n].protocol = RTPROT_BOOT;
		r[n].has_gw = true;
		memcpy(r[n++].gw, &c->gw6, 16);
	}
	nl_route6(&r[n++], lo, 128, RT_TABLE_LOCAL, RTN_LOCAL, NET_IF_LO, 0);
	if (c->mode != NET_NAT)
		return n;
	nl_route6(&r[n++], &c->ip6, 128, RT_TABLE_LOCAL, RTN_LOCAL, NET_IF_ETH, 0);
	nl_linklocal(c, a);
	nl_route6(&r[n++], a, 128, RT_TABLE_LOCAL, RTN_LOCAL, NET_IF_ETH, 0);
	nl_route6(&r[n++], mc, 8, RT_TABLE_LOCAL, RTN_MULTICAST, NET_IF_ETH, 256);
	return n;
}

/**
 * nl_view_routes() - every route of the view, in the kernel's dump order
 * @c:		the view
 * @r:		filled, NL_ROUTES_MAX entries
 * Return: how many
 */
static int nl_view_routes(const struct net_conf *c, struct nl_route *r)
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

/* The transport: the guest's socket */

#define NL_PASS		(-4095)		/* nl_call(): not ours, FACET_PASS */

/**
 * struct nl_ctx - one socket call being handled
 * @n:		module state
 * @call:	the call
 * @s:		the emulated socket (NULL: none known)
 * @fd:		the supervisor's copy of the guest's end
 */
struct nl_ctx {
	struct net *n;
	struct facet_call *call;
	struct nl_sock *s;
	int fd;
};

/**
 * struct nl_wait - a blocking receive that waits for a reply
 * @n:		module state
 * @d:		the deferred call
 * @fd:		a dup of the guest's end, watched for EPOLLIN
 */
struct nl_wait {
	struct net *n;
	struct facet_deferred *d;
	int fd;
};

/**
 * nl_outcome() - answer a call with a kernel-style result
 * @call:	the call
 * @r:		value >= 0, -errno, NL_DEFERRED or NL_PASS
 * Return: the outcome
 */
static enum facet_outcome nl_outcome(struct facet_call *call, long r)
{
	if (r == NL_DEFERRED)
		return FACET_DEFER;
	if (r == NL_PASS)
		return FACET_PASS;
	call->ret = r < 0 ? 0 : r;
	call->error = r < 0 ? (int)-r : 0;
	return FACET_REPLY;
}

/**
 * nl_tgid() - the calling process, for autobind
 * @call:	the call
 * Return: its pid, or 0 if unknown
 */
static uint32_t nl_tgid(const struct facet_call *call)
{
	return call->task ? (uint32_t)facet_task_tgid(call->task) : 0;
}

/**
 * nl_drop() - forget an emulated socket
 * @n:		module state
 * @s:		the socket (freed)
 */
static void nl_drop(struct net *n, struct nl_sock *s)
{
	struct nl_sock **pp;

	for (pp = &n->nl; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	facet_unwatch(n->f, s->peer);
	close(s->peer);
	free(s);
}

/**
 * nl_port_used() - does an emulated socket hold port id @portid?
 * @n:		module state
 * @portid:	the port id
 * Return: true if so
 */
static bool nl_port_used(const struct net *n, uint32_t portid)
{
	const struct nl_sock *s;

	for (s = n->nl; s; s = s->next)
		if (s->portid == portid)
			return true;
	return false;
}

/**
 * nl_autobind() - give an unbound socket a port id (netlink_autobind()):
 *		   the process id if free, else -4097, -4098, ...
 * @n:		module state
 * @s:		the socket
 * @tgid:	the calling process, or 0
 */
static void nl_autobind(struct net *n, struct nl_sock *s, uint32_t tgid)
{
	uint32_t p = tgid;

	if (s->portid)
		return;
	if (!p || nl_port_used(n, p))
		for (p = (uint32_t)NL_ROVER; nl_port_used(n, p); p--)
			;
	s->portid = p;
}

/**
 * nl_emit() - send one reply message to the guest's end, as a datagram
 * @arg:	the struct nl_sock
 * @msg:	the message
 * @len:	its length
 *
 * With NETLINK_CAP_ACK, an error carries the request's header only.
 *
 * Return: 0, or -errno (-ENOBUFS: the guest's queue is full)
 */
static int nl_emit(void *arg, const void *msg, size_t len)
{
	const struct nlmsghdr *h = msg;
	struct nl_sock *s = arg;
	union {
		struct nlmsghdr h;
		char b[NLMSG_LENGTH(sizeof(struct nlmsgerr))];
	} cap;

	if ((s->opts & NL_OPT(NETLINK_CAP_ACK)) && h->nlmsg_type == NLMSG_ERROR &&
	    len > sizeof(cap)) {
		memcpy(cap.b, msg, sizeof(cap));
		cap.h.nlmsg_len = sizeof(cap);
		cap.h.nlmsg_flags |= NLM_F_CAPPED;
		msg = cap.b;
		len = sizeof(cap);
	}
	if (send(s->peer, msg, len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		return errno == EAGAIN ? -ENOBUFS : -errno;
	return 0;
}

/**
 * nl_transmit() - answer the requests of one datagram (netlink_rcv_skb())
 * @n:		module state
 * @s:		the socket they came from
 * @buf:	the datagram
 * @len:	its length
 * Return: 0, or -errno if a reply could not be queued
 */
static int nl_transmit(struct net *n, struct nl_sock *s, const char *buf,
		       size_t len)
{
	const struct nlmsghdr *h;
	size_t off = 0, step;
	int r;

	while (len - off >= NLMSG_HDRLEN) {
		h = (const struct nlmsghdr *)(buf + off);
		if (h->nlmsg_len < NLMSG_HDRLEN || h->nlmsg_len > len - off)
			break;
		r = nl_answer(&n->conf, h, h->nlmsg_len, s->portid, nl_emit, s);
		if (r < 0)
			return r;
		step = NLMSG_ALIGN(h->nlmsg_len);
		off += step < len - off ? step : len - off;
	}
	return 0;
}

/**
 * nl_peer_event() - the supervisor's end of a socket: the guest closed its
 *		     own (EPOLLHUP), or wrote requests with write()
 * @f:		supervisor context
 * @fd:		the peer
 * @events:	what happened
 * @arg:	the struct nl_sock
 */
static void nl_peer_event(struct facet *f, int fd, uint32_t events, void *arg)
{
	struct nl_sock *s = arg;
	char *buf;
	ssize_t r;

	(void)f;
	if (events & (EPOLLHUP | EPOLLERR)) {
		nl_drop(s->n, s);
		return;
	}
	if (!(buf = malloc(NL_RECV_MAX)))
		return;
	while ((r = recv(fd, buf, NL_RECV_MAX, MSG_DONTWAIT)) > 0) {
		nl_autobind(s->n, s, 0);
		if (nl_transmit(s->n, s, buf, (size_t)r) < 0)
			break;
	}
	free(buf);
}

/**
 * nl_sock_new() - record a new emulated socket
 * @n:		module state
 * @guest:	the end the guest will hold
 * @peer:	the supervisor's end (taken: closed on failure)
 * @type:	SOCK_RAW or SOCK_DGRAM
 * @sp:		set to the socket
 * Return: 0 or -errno
 */
static int nl_sock_new(struct net *n, int guest, int peer, int type,
		       struct nl_sock **sp)
{
	struct nl_sock *s = calloc(1, sizeof(*s));
	struct stat st;
	int r = -ENOMEM;

	if (!s || fstat(guest, &st) < 0 ||
	    fcntl(peer, F_SETFL, O_NONBLOCK) < 0) {
		r = s ? -errno : r;
		goto fail;
	}
	*s = (struct nl_sock){ .ino = st.st_ino, .peer = peer, .type = type,
			       .n = n, .next = n->nl };
	r = facet_watch(n->f, peer, EPOLLIN, nl_peer_event, s);
	if (r < 0)
		goto fail;
	n->nl = s;
	*sp = s;
	return 0;
fail:
	free(s);
	close(peer);
	return r;
}

/**
 * nl_socket() - socket(AF_NETLINK, @type, NETLINK_ROUTE) (net_internal.h)
 * @n:		module state
 * @call:	the call, answered here
 * @type:	the type argument, SOCK_NONBLOCK and SOCK_CLOEXEC included
 * Return: FACET_REPLY
 */
enum facet_outcome nl_socket(struct net *n, struct facet_call *call, int type)
{
	int base = type & 0xf, sv[2], r;
	struct nl_sock *s = NULL;

	if (type & ~(0xf | SOCK_NONBLOCK | SOCK_CLOEXEC))
		return nl_outcome(call, -EINVAL);
	if (base != SOCK_RAW && base != SOCK_DGRAM)
		return nl_outcome(call, -ESOCKTNOSUPPORT);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return nl_outcome(call, -errno);
	r = nl_sock_new(n, sv[0], sv[1], base, &s);
	if (!r && (type & SOCK_NONBLOCK) && fcntl(sv[0], F_SETFL, O_NONBLOCK) < 0)
		r = -errno;
	if (!r)
		r = facet_addfd(n->f, call, sv[0], type & SOCK_CLOEXEC ? O_CLOEXEC : 0);
	close(sv[0]);
	if (r < 0 && s)
		nl_drop(n, s);
	return nl_outcome(call, r);
}

/**
 * nl_find() - the emulated socket a guest fd is (net_internal.h)
 * @n:		module state
 * @fd:		the supervisor's copy of the guest's fd
 * Return: the socket, or NULL
 */
struct nl_sock *nl_find(struct net *n, int fd)
{
	struct nl_sock *s;
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode))
		return NULL;
	for (s = n->nl; s; s = s->next)
		if (s->ino == st.st_ino)
			return s;
	return NULL;
}

/**
 * nl_free_all() - forget every emulated socket (net_internal.h)
 * @n:		module state
 */
void nl_free_all(struct net *n)
{
	while (n->nl)
		nl_drop(n, n->nl);
}

/* Addresses */

/**
 * nl_get_addr() - read a struct sockaddr_nl argument (move_addr_to_kernel())
 * @x:		the call
 * @addr:	guest address
 * @len:	its length argument
 * @a:		filled; bytes past @len are zero
 * Return: 0, -EINVAL (a bad length), -EFAULT
 */
static int nl_get_addr(struct nl_ctx *x, uint64_t addr, uint64_t len,
		       struct sockaddr_nl *a)
{
	size_t n = len < sizeof(*a) ? (size_t)len : sizeof(*a);

	memset(a, 0, sizeof(*a));
	if ((int)len < 0 || len > sizeof(struct sockaddr_storage))
		return -EINVAL;
	if (n && facet_read(x->n->f, x->call, addr, a, n) < 0)
		return -EFAULT;
	return 0;
}

/**
 * nl_put_addr() - give the guest a netlink address (move_addr_to_user())
 * @x:		the call
 * @addr:	guest buffer
 * @lenp:	guest address of its length, in and out
 * @a:		the address
 * Return: 0, -EINVAL, -EFAULT
 */
static int nl_put_addr(struct nl_ctx *x, uint64_t addr, uint64_t lenp,
		       const struct sockaddr_nl *a)
{
	int len, full = sizeof(*a);

	if (facet_read(x->n->f, x->call, lenp, &len, sizeof(len)) < 0)
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (len > full)
		len = full;
	if (len && facet_write(x->n->f, x->call, addr, a, (size_t)len) < 0)
		return -EFAULT;
	if (facet_write(x->n->f, x->call, lenp, &full, sizeof(full)) < 0)
		return -EFAULT;
	return 0;
}

/**
 * nl_bind() - bind(fd, sockaddr_nl, len) (netlink_bind())
 * @x:		the call
 * Return: 0 or -errno
 */
static long nl_bind(struct nl_ctx *x)
{
	struct sockaddr_nl a;
	int r = nl_get_addr(x, x->call->args[1], x->call->args[2], &a);

	if (r < 0)
		return r;
	if (x->call->args[2] < sizeof(a) || a.nl_family != AF_NETLINK)
		return -EINVAL;
	if (x->s->portid && a.nl_pid != x->s->portid)
		return -EINVAL;
	if (!x->s->portid && a.nl_pid && nl_port_used(x->n, a.nl_pid))
		return -EADDRINUSE;
	if (!x->s->portid && a.nl_pid)
		x->s->portid = a.nl_pid;
	nl_autobind(x->n, x->s, nl_tgid(x->call));
	x->s->groups = a.nl_groups;
	return 0;
}

/**
 * nl_connect() - connect(fd, sockaddr_nl, len) (netlink_connect()):
 *		  AF_UNSPEC disconnects
 * @x:		the call
 * Return: 0 or -errno (-EPERM for groups: rtnetlink takes no
 *	   unprivileged sends to them)
 */
static long nl_connect(struct nl_ctx *x)
{
	struct sockaddr_nl a;
	int r = nl_get_addr(x, x->call->args[1], x->call->args[2], &a);

	if (r < 0)
		return r;
	if (x->call->args[2] < sizeof(a.nl_family))
		return -EINVAL;
	if (a.nl_family == AF_UNSPEC) {
		x->s->dst_portid = 0;
		return 0;
	}
	if (a.nl_family != AF_NETLINK || x->call->args[2] < sizeof(a))
		return -EINVAL;
	if (a.nl_groups)
		return -EPERM;
	nl_autobind(x->n, x->s, nl_tgid(x->call));
	x->s->dst_portid = a.nl_pid;
	return 0;
}

/**
 * nl_getname() - getsockname() / getpeername() (netlink_getname()): no
 *		  autobind, as the kernel
 * @x:		the call
 * @peer:	getpeername
 * Return: 0 or -errno
 */
static long nl_getname(struct nl_ctx *x, bool peer)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };

	a.nl_pid = peer ? x->s->dst_portid : x->s->portid;
	a.nl_groups = peer ? 0 : x->s->groups;
	return nl_put_addr(x, x->call->args[1], x->call->args[2], &a);
}

/* Sending */

/**
 * nl_check_dest() - the checks netlink_sendmsg() makes on a destination
 * @x:		the call
 * @addr:	guest address of a struct sockaddr_nl, or 0
 * @len:	its length (0: none, the connected one counts)
 * @flags:	MSG_* of the call
 * Return: 0, or -errno
 */
static int nl_check_dest(struct nl_ctx *x, uint64_t addr, uint64_t len,
			 int flags)
{
	struct sockaddr_nl a;
	int r;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (!addr || !len)
		return 0;
	if ((r = nl_get_addr(x, addr, len, &a)) < 0)
		return r;
	if (len < sizeof(a) || a.nl_family != AF_NETLINK)
		return -EINVAL;
	return a.nl_pid || a.nl_groups ? -EPERM : 0;
}

/**
 * nl_deliver() - answer a request the guest sent: autobind, size check,
 *		  then the replies, queued to its end
 * @x:		the call
 * @buf:	the datagram
 * @len:	its length
 * @named:	it was sent with an address (else to the connected port)
 * Return: @len, or -errno
 */
static long nl_deliver(struct nl_ctx *x, const char *buf, size_t len,
		       bool named)
{
	socklen_t sl = sizeof(int);
	int sndbuf = 0, r;

	nl_autobind(x->n, x->s, nl_tgid(x->call));
	if (!getsockopt(x->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &sl) &&
	    len + 32 > (size_t)sndbuf)
		return -EMSGSIZE;
	if (!named && x->s->dst_portid)
		return -ECONNREFUSED;
	r = nl_transmit(x->n, x->s, buf, len);
	return r < 0 ? r : (long)len;
}

/**
 * nl_gather() - copy the guest's iovecs into one buffer
 * @x:		the call
 * @iov:	guest address of the iovec array
 * @iovlen:	its length
 * @bufp:	set to the buffer, which the caller frees
 * @lenp:	set to its length
 * Return: 0, -EMSGSIZE, -EFAULT, -ENOMEM
 */
static int nl_gather(struct nl_ctx *x, uint64_t iov, size_t iovlen,
		     char **bufp, size_t *lenp)
{
	struct iovec v[UIO_MAXIOV];
	size_t i, total = 0, off = 0;
	char *buf;

	if (iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	if (iovlen && facet_read(x->n->f, x->call, iov, v, iovlen * sizeof(*v)) < 0)
		return -EFAULT;
	for (i = 0; i < iovlen; i++)
		if ((total += v[i].iov_len) > NL_SEND_MAX)
			return -EMSGSIZE;
	if (!(buf = malloc(total + 1)))
		return -ENOMEM;
	for (i = 0; i < iovlen; off += v[i++].iov_len)
		if (v[i].iov_len && facet_read(x->n->f, x->call,
					       (uintptr_t)v[i].iov_base,
					       buf + off, v[i].iov_len) < 0) {
			free(buf);
			return -EFAULT;
		}
	*bufp = buf;
	*lenp = total;
	return 0;
}

/**
 * nl_sendmsg_one() - send one struct msghdr of the guest's
 * @x:		the call
 * @m:		the msghdr, read from the guest (its pointers are the guest's)
 * @flags:	MSG_*
 * Return: bytes sent, or -errno
 */
static long nl_sendmsg_one(struct nl_ctx *x, const struct msghdr *m, int flags)
{
	uint64_t name = (uintptr_t)m->msg_name;
	size_t len;
	char *buf;
	long r;

	if ((r = nl_check_dest(x, name, m->msg_namelen, flags)) < 0)
		return r;
	if ((r = nl_gather(x, (uintptr_t)m->msg_iov, m->msg_iovlen, &buf, &len)) < 0)
		return r;
	r = nl_deliver(x, buf, len, name && m->msg_namelen);
	free(buf);
	return r;
}

/**
 * nl_sendto() - sendto(fd, buf, len, flags, addr, addrlen)
 * @x:		the call
 * Return: bytes sent, or -errno
 */
static long nl_sendto(struct nl_ctx *x)
{
	const uint64_t *a = x->call->args;
	size_t len = (size_t)a[2];
	char *buf;
	long r;

	if ((r = nl_check_dest(x, a[4], a[5], (int)a[3])) < 0)
		return r;
	if (len > NL_SEND_MAX)
		return -EMSGSIZE;
	if (!(buf = malloc(len + 1)))
		return -ENOMEM;
	if (len && facet_read(x->n->f, x->call, a[1], buf, len) < 0)
		r = -EFAULT;
	else
		r = nl_deliver(x, buf, len, a[4] && (socklen_t)a[5]);
	free(buf);
	return r;
}

/**
 * nl_sendmsg() - sendmsg(fd, msg, flags)
 * @x:		the call
 * Return: bytes sent, or -errno
 */
static long nl_sendmsg(struct nl_ctx *x)
{
	struct msghdr m;

	if (facet_read(x->n->f, x->call, x->call->args[1], &m, sizeof(m)) < 0)
		return -EFAULT;
	return nl_sendmsg_one(x, &m, (int)x->call->args[2]);
}

/**
 * nl_sendmmsg() - sendmmsg(fd, msgvec, vlen, flags)
 * @x:		the call
 * Return: messages sent, or -errno if none was
 */
static long nl_sendmmsg(struct nl_ctx *x)
{
	uint64_t vec = x->call->args[1], at;
	unsigned int i, vlen = (unsigned int)x->call->args[2], sent;
	struct mmsghdr m;
	long r = 0;

	if (vlen > UIO_MAXIOV)
		vlen = UIO_MAXIOV;
	for (i = 0; i < vlen; i++) {
		at = vec + i * sizeof(m);
		if (facet_read(x->n->f, x->call, at, &m, sizeof(m)) < 0) {
			r = -EFAULT;
			break;
		}
		if ((r = nl_sendmsg_one(x, &m.msg_hdr, (int)x->call->args[3])) < 0)
			break;
		sent = (unsigned int)r;
		if (facet_write(x->n->f, x->call, at + offsetof(struct mmsghdr, msg_len),
				&sent, sizeof(sent)) < 0) {
			r = -EFAULT;
			break;
		}
	}
	return i ? (long)i : r;
}

/* Receiving */

/**
 * nl_recv_data() - receive one datagram from the guest's end into its
 *		    buffers, never blocking (netlink_recvmsg())
 * @x:		the call
 * @iov:	the guest's buffers (guest addresses)
 * @iovlen:	how many
 * @flags:	MSG_* of the call (MSG_PEEK and MSG_TRUNC count)
 * @mflags:	set to MSG_TRUNC if the datagram did not fit
 * Return: its length (whole with MSG_TRUNC), -EAGAIN, or -errno
 */
static long nl_recv_data(struct nl_ctx *x, const struct iovec *iov,
			 size_t iovlen, int flags, int *mflags)
{
	size_t i, total = 0, off, n;
	struct iovec v;
	struct msghdr m = { .msg_iov = &v, .msg_iovlen = 1 };
	ssize_t r;

	for (i = 0; i < iovlen; i++)
		total += iov[i].iov_len;
	v.iov_len = total < NL_RECV_MAX ? total : NL_RECV_MAX;
	if (!(v.iov_base = malloc(v.iov_len + 1)))
		return -ENOMEM;
	r = recvmsg(x->fd, &m, (flags & (MSG_PEEK | MSG_TRUNC)) | MSG_DONTWAIT);
	if (r < 0)
		r = -errno;
	n = r < 0 ? 0 : (size_t)r < v.iov_len ? (size_t)r : v.iov_len;
	for (i = 0, off = 0; i < iovlen && off < n; off += iov[i++].iov_len) {
		size_t k = n - off < iov[i].iov_len ? n - off : iov[i].iov_len;

		if (k && facet_write(x->n->f, x->call, (uintptr_t)iov[i].iov_base,
				     (char *)v.iov_base + off, k) < 0) {
			r = -EFAULT;
			break;
		}
	}
	free(v.iov_base);
	*mflags = m.msg_flags & MSG_TRUNC;
	return r;
}

/**
 * nl_put_cmsg() - the control data of a received datagram: NETLINK_PKTINFO
 *		   if asked for (group 0: a unicast reply)
 * @x:		the call
 * @m:		the guest's msghdr
 * @mflags:	MSG_CTRUNC is added if it does not fit
 * Return: msg_controllen to give back, or -EFAULT
 */
static long nl_put_cmsg(struct nl_ctx *x, const struct msghdr *m, int *mflags)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(struct nl_pktinfo))];
	} c;

	if (!x->s || !(x->s->opts & NL_OPT(NETLINK_PKTINFO)) || !m->msg_control)
		return 0;
	if (m->msg_controllen < sizeof(c)) {
		*mflags |= MSG_CTRUNC;
		return 0;
	}
	memset(&c, 0, sizeof(c));
	c.h.cmsg_len = CMSG_LEN(sizeof(struct nl_pktinfo));
	c.h.cmsg_level = SOL_NETLINK;
	c.h.cmsg_type = NETLINK_PKTINFO;
	if (facet_write(x->n->f, x->call, (uintptr_t)m->msg_control, &c, sizeof(c)) < 0)
		return -EFAULT;
	return sizeof(c);
}

/**
 * nl_recvmsg_one() - receive into one struct msghdr of the guest's, and
 *		      give back its name, flags and control length
 * @x:		the call
 * @at:		guest address of the msghdr
 * @m:		its contents
 * @flags:	MSG_*
 * Return: bytes received, or -errno
 */
static long nl_recvmsg_one(struct nl_ctx *x, uint64_t at, const struct msghdr *m,
			   int flags)
{
	const struct sockaddr_nl from = { .nl_family = AF_NETLINK };
	struct iovec v[UIO_MAXIOV];
	int mflags = 0;
	long r, ctl;

	if (m->msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	if (m->msg_iovlen && facet_read(x->n->f, x->call, (uintptr_t)m->msg_iov, v,
					m->msg_iovlen * sizeof(*v)) < 0)
		return -EFAULT;
	if ((r = nl_recv_data(x, v, m->msg_iovlen, flags, &mflags)) < 0)
		return r;
	if (m->msg_name && nl_put_addr(x, (uintptr_t)m->msg_name,
				       at + offsetof(struct msghdr, msg_namelen),
				       &from) < 0)
		return -EFAULT;
	if ((ctl = nl_put_cmsg(x, m, &mflags)) < 0 ||
	    facet_write(x->n->f, x->call, at + offsetof(struct msghdr, msg_controllen),
			&ctl, sizeof(size_t)) < 0 ||
	    facet_write(x->n->f, x->call, at + offsetof(struct msghdr, msg_flags),
			&mflags, sizeof(mflags)) < 0)
		return -EFAULT;
	return r;
}

/**
 * nl_recvfrom() - recvfrom(fd, buf, len, flags, addr, addrlen)
 * @x:		the call
 * Return: bytes received, or -errno
 */
static long nl_recvfrom(struct nl_ctx *x)
{
	const uint64_t *a = x->call->args;
	const struct sockaddr_nl from = { .nl_family = AF_NETLINK };
	struct iovec v = { (void *)(uintptr_t)a[1], (size_t)a[2] };
	int mflags;
	long r = nl_recv_data(x, &v, 1, (int)a[3], &mflags);

	if (r >= 0 && a[4] && nl_put_addr(x, a[4], a[5], &from) < 0)
		return -EFAULT;
	return r;
}

/**
 * nl_recvmsg() - recvmsg(fd, msg, flags)
 * @x:		the call
 * Return: bytes received, or -errno
 */
static long nl_recvmsg(struct nl_ctx *x)
{
	struct msghdr m;

	if (facet_read(x->n->f, x->call, x->call->args[1], &m, sizeof(m)) < 0)
		return -EFAULT;
	return nl_recvmsg_one(x, x->call->args[1], &m, (int)x->call->args[2]);
}

/**
 * nl_recvmmsg() - recvmmsg(fd, msgvec, vlen, flags, timeout): what is
 *		   queued, up to @vlen; it waits for the first only
 * @x:		the call
 * Return: messages received, or -errno if none was
 */
static long nl_recvmmsg(struct nl_ctx *x)
{
	uint64_t vec = x->call->args[1], at;
	unsigned int i, vlen = (unsigned int)x->call->args[2], got;
	int flags = (int)x->call->args[3];
	struct mmsghdr m;
	long r = 0;

	if (vlen > UIO_MAXIOV)
		vlen = UIO_MAXIOV;
	for (i = 0; i < vlen; i++) {
		at = vec + i * sizeof(m);
		if (facet_read(x->n->f, x->call, at, &m, sizeof(m)) < 0) {
			r = -EFAULT;
			break;
		}
		if ((r = nl_recvmsg_one(x, at, &m.msg_hdr, flags)) < 0)
			break;
		got = (unsigned int)r;
		if (facet_write(x->n->f, x->call, at + offsetof(struct mmsghdr, msg_len),
				&got, sizeof(got)) < 0) {
			r = -EFAULT;
			break;
		}
	}
	return i ? (long)i : r;
}

/**
 * nl_recv_any() - the receive call @x stands for, never blocking
 * @x:		the call
 * Return: its result, or -EAGAIN
 */
static long nl_recv_any(struct nl_ctx *x)
{
	const uint64_t *a = x->call->args;
	int flags = (int)(x->call->nr == SYS_recvmsg ? a[2] : a[3]);

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	switch (x->call->nr) {
	case SYS_recvfrom:
		return nl_recvfrom(x);
	case SYS_recvmsg:
		return nl_recvmsg(x);
	default:
		return nl_recvmmsg(x);
	}
}

/**
 * nl_wait_free() - stop waiting
 * @w:		the wait (freed)
 */
static void nl_wait_free(struct nl_wait *w)
{
	facet_unwatch(w->n->f, w->fd);
	close(w->fd);
	free(w);
}

/**
 * nl_wait_cancel() - the guest stopped waiting (a signal, or death)
 * @arg:	the struct nl_wait
 */
static void nl_wait_cancel(void *arg)
{
	nl_wait_free(arg);
}

/**
 * nl_wait_event() - a reply reached the end a blocked receive waits on
 * @f:		supervisor context
 * @fd:		the watched dup
 * @events:	what happened
 * @arg:	the struct nl_wait
 */
static void nl_wait_event(struct facet *f, int fd, uint32_t events, void *arg)
{
	struct nl_wait *w = arg;
	struct nl_ctx x = { .n = w->n, .call = facet_deferred_call(w->d),
			    .fd = fd };
	long r;

	(void)events;
	x.s = nl_find(w->n, fd);
	r = nl_recv_any(&x);
	if (r == -EAGAIN)	/* another thread took it */
		return;
	facet_reply(f, w->d, r < 0 ? 0 : r, r < 0 ? (int)-r : 0);
	nl_wait_free(w);
}

/**
 * nl_wait() - a blocking receive found nothing: answer when a reply comes
 * @x:		the call
 * Return: NL_DEFERRED, or -errno
 */
static long nl_wait(struct nl_ctx *x)
{
	struct nl_wait *w = calloc(1, sizeof(*w));
	int r;

	if (!w)
		return -ENOMEM;
	w->n = x->n;
	if ((w->fd = fcntl(x->fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		r = -errno;
		free(w);
		return r;
	}
	if ((r = facet_watch(x->n->f, w->fd, EPOLLIN, nl_wait_event, w)) < 0) {
		close(w->fd);
		free(w);
		return r;
	}
	if (!(w->d = facet_defer(x->n->f, x->call, nl_wait_cancel, w))) {
		nl_wait_free(w);
		return -ENOMEM;
	}
	return NL_DEFERRED;
}

/**
 * nl_recv() - recvfrom, recvmsg, recvmmsg: what is queued, or, on a
 *	       blocking socket, wait for it
 * @x:		the call
 * Return: the result, or NL_DEFERRED
 */
static long nl_recv(struct nl_ctx *x)
{
	int flags = (int)(x->call->nr == SYS_recvmsg ? x->call->args[2]
						      : x->call->args[3]);
	long r = nl_recv_any(x);
	int fl;

	if (r != -EAGAIN || (flags & MSG_DONTWAIT))
		return r;
	fl = fcntl(x->fd, F_GETFL);
	if (fl < 0 || (fl & O_NONBLOCK))
		return r;
	return nl_wait(x);
}

/* Options */

/**
 * nl_put_opt() - give getsockopt()'s answer
 * @x:		the call
 * @v:		the value
 * @vlen:	its size
 * @exact:	a shorter buffer is EINVAL (netlink's own options), else the
 *		value is cut (SOL_SOCKET's)
 * Return: 0 or -errno
 */
static long nl_put_opt(struct nl_ctx *x, const void *v, int vlen, bool exact)
{
	int len;

	if (facet_read(x->n->f, x->call, x->call->args[4], &len, sizeof(len)) < 0)
		return -EFAULT;
	if (len < 0 || (exact && len < vlen))
		return -EINVAL;
	if (len > vlen)
		len = vlen;
	if (facet_write(x->n->f, x->call, x->call->args[3], v, (size_t)len) < 0 ||
	    facet_write(x->n->f, x->call, x->call->args[4], &len, sizeof(len)) < 0)
		return -EFAULT;
	return 0;
}

/**
 * nl_flag_opt() - is @opt one of the on/off SOL_NETLINK options?
 * @opt:	option number
 * Return: true if so
 */
static bool nl_flag_opt(int opt)
{
	switch (opt) {
	case NETLINK_PKTINFO:
	case NETLINK_BROADCAST_ERROR:
	case NETLINK_NO_ENOBUFS:
	case NETLINK_LISTEN_ALL_NSID:
	case NETLINK_CAP_ACK:
	case NETLINK_EXT_ACK:
	case NETLINK_GET_STRICT_CHK:
		return true;
	}
	return false;
}

/**
 * nl_setsockopt() - setsockopt(): SOL_NETLINK here, SOL_SOCKET to the
 *		     kernel (the unix socket has those)
 * @x:		the call
 * Return: 0, -errno, or NL_PASS
 */
static long nl_setsockopt(struct nl_ctx *x)
{
	int level = (int)x->call->args[1], opt = (int)x->call->args[2], val = 0;

	if (level == SOL_SOCKET)
		return NL_PASS;
	if (level != SOL_NETLINK)
		return -ENOPROTOOPT;
	if ((int)x->call->args[4] >= (int)sizeof(int) &&
	    facet_read(x->n->f, x->call, x->call->args[3], &val, sizeof(val)) < 0)
		return -EFAULT;
	if (opt == NETLINK_LISTEN_ALL_NSID)	/* needs CAP_NET_BROADCAST */
		return -EPERM;
	if (nl_flag_opt(opt)) {
		x->s->opts = val ? x->s->opts | NL_OPT(opt) : x->s->opts & ~NL_OPT(opt);
		return 0;
	}
	if (opt != NETLINK_ADD_MEMBERSHIP && opt != NETLINK_DROP_MEMBERSHIP)
		return -ENOPROTOOPT;
	if (val <= 0 || val > RTNLGRP_MAX)
		return -EINVAL;
	if (val <= 32 && opt == NETLINK_ADD_MEMBERSHIP)
		x->s->groups |= 1u << (val - 1);
	else if (val <= 32)
		x->s->groups &= ~(1u << (val - 1));
	return 0;
}

/**
 * nl_list_memberships() - getsockopt(NETLINK_LIST_MEMBERSHIPS): the group
 *			   bitmap, in 32-bit words as far as they fit
 * @x:		the call
 * Return: 0 or -errno
 */
static long nl_list_memberships(struct nl_ctx *x)
{
	uint32_t words[(RTNLGRP_MAX + 31) / 32] = { x->s->groups };
	int len, need = (int)(((RTNLGRP_MAX + 7) / 8 + 3) & ~3);

	if (facet_read(x->n->f, x->call, x->call->args[4], &len, sizeof(len)) < 0)
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	len = len < need ? len & ~3 : need;
	if ((size_t)len > sizeof(words))
		len = sizeof(words);
	if (facet_write(x->n->f, x->call, x->call->args[3], words, (size_t)len) < 0 ||
	    facet_write(x->n->f, x->call, x->call->args[4], &need, sizeof(need)) < 0)
		return -EFAULT;
	return 0;
}

/**
 * nl_getsockopt() - getsockopt(): SOL_NETLINK, and what SOL_SOCKET must
 *		     tell of a netlink socket (type, domain, protocol, no peer)
 * @x:		the call
 * Return: 0, -errno, or NL_PASS
 */
static long nl_getsockopt(struct nl_ctx *x)
{
	int level = (int)x->call->args[1], opt = (int)x->call->args[2], v;
	const struct ucred none = { .pid = 0, .uid = (uid_t)-1, .gid = (gid_t)-1 };

	if (level == SOL_SOCKET) {
		switch (opt) {
		case SO_TYPE:
			v = x->s->type;
			return nl_put_opt(x, &v, sizeof(v), false);
		case SO_DOMAIN:
			v = AF_NETLINK;
			return nl_put_opt(x, &v, sizeof(v), false);
		case SO_PROTOCOL:
			v = NETLINK_ROUTE;
			return nl_put_opt(x, &v, sizeof(v), false);
		case SO_PEERCRED:
			return nl_put_opt(x, &none, sizeof(none), false);
		}
		return NL_PASS;
	}
	if (level != SOL_NETLINK)
		return -ENOPROTOOPT;
	if (opt == NETLINK_LIST_MEMBERSHIPS)
		return nl_list_memberships(x);
	if (!nl_flag_opt(opt))
		return -ENOPROTOOPT;
	v = !!(x->s->opts & NL_OPT(opt));
	return nl_put_opt(x, &v, sizeof(v), true);
}

/**
 * nl_call() - a socket call on an emulated socket (net_internal.h)
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * @fd:		the supervisor's copy of the guest's end
 * Return: the outcome (FACET_PASS for a call it leaves to the kernel)
 */
enum facet_outcome nl_call(struct net *n, struct facet_call *call,
			   struct nl_sock *s, int fd)
{
	struct nl_ctx x = { .n = n, .call = call, .s = s, .fd = fd };

	switch (call->nr) {
	case SYS_bind:
		return nl_outcome(call, nl_bind(&x));
	case SYS_connect:
		return nl_outcome(call, nl_connect(&x));
	case SYS_getsockname:
	case SYS_getpeername:
		return nl_outcome(call, nl_getname(&x, call->nr == SYS_getpeername));
	case SYS_sendto:
		return nl_outcome(call, nl_sendto(&x));
	case SYS_sendmsg:
		return nl_outcome(call, nl_sendmsg(&x));
	case SYS_sendmmsg:
		return nl_outcome(call, nl_sendmmsg(&x));
	case SYS_recvfrom:
	case SYS_recvmsg:
	case SYS_recvmmsg:
		return nl_outcome(call, nl_recv(&x));
	case SYS_setsockopt:
		return nl_outcome(call, nl_setsockopt(&x));
	case SYS_getsockopt:
		return nl_outcome(call, nl_getsockopt(&x));
	case SYS_shutdown:
	case SYS_listen:
	case SYS_accept:
	case SYS_accept4:
		return nl_outcome(call, -EOPNOTSUPP);
	}
	return FACET_PASS;
}

/* The interface ioctls */

/**
 * enum nl_ioc_kind - how an 0x89xx ioctl is answered
 * @NL_IOC_KERNEL:	about the socket itself: the kernel answers
 * @NL_IOC_GET:		an interface query answered from the view (ifreq)
 * @NL_IOC_CONF:	SIOCGIFCONF
 * @NL_IOC_SET:		a change: EPERM, as for an unprivileged caller
 * @NL_IOC_DEV:		a device query the view's interfaces do not support:
 *			ENODEV for a name it does not have, else the errno
 * @NL_IOC_ARP:		an ARP table query: no entry
 */
enum nl_ioc_kind {
	NL_IOC_KERNEL = 0,
	NL_IOC_GET,
	NL_IOC_CONF,
	NL_IOC_SET,
	NL_IOC_DEV,
	NL_IOC_ARP,
};

static const struct {
	unsigned int req;
	unsigned char kind;
	unsigned char err;
} nl_iocs[] = {
	{ SIOCGIFNAME, NL_IOC_GET, 0 },		{ SIOCGIFCONF, NL_IOC_CONF, 0 },
	{ SIOCGIFFLAGS, NL_IOC_GET, 0 },	{ SIOCGIFADDR, NL_IOC_GET, 0 },
	{ SIOCGIFDSTADDR, NL_IOC_GET, 0 },	{ SIOCGIFBRDADDR, NL_IOC_GET, 0 },
	{ SIOCGIFNETMASK, NL_IOC_GET, 0 },	{ SIOCGIFMETRIC, NL_IOC_GET, 0 },
	{ SIOCGIFMTU, NL_IOC_GET, 0 },		{ SIOCGIFHWADDR, NL_IOC_GET, 0 },
	{ SIOCGIFINDEX, NL_IOC_GET, 0 },	{ SIOCGIFTXQLEN, NL_IOC_GET, 0 },
	{ SIOCGIFMAP, NL_IOC_GET, 0 },
	{ SIOCADDRT, NL_IOC_SET, 0 },		{ SIOCDELRT, NL_IOC_SET, 0 },
	{ SIOCRTMSG, NL_IOC_SET, 0 },		{ SIOCSIFLINK, NL_IOC_SET, 0 },
	{ SIOCSIFFLAGS, NL_IOC_SET, 0 },	{ SIOCSIFADDR, NL_IOC_SET, 0 },
	{ SIOCSIFDSTADDR, NL_IOC_SET, 0 },	{ SIOCSIFBRDADDR, NL_IOC_SET, 0 },
	{ SIOCSIFNETMASK, NL_IOC_SET, 0 },	{ SIOCSIFMETRIC, NL_IOC_SET, 0 },
	{ SIOCSIFMEM, NL_IOC_SET, 0 },		{ SIOCSIFMTU, NL_IOC_SET, 0 },
	{ SIOCSIFNAME, NL_IOC_SET, 0 },		{ SIOCSIFHWADDR, NL_IOC_SET, 0 },
	{ SIOCSIFENCAP, NL_IOC_SET, 0 },	{ SIOCSIFSLAVE, NL_IOC_SET, 0 },
	{ SIOCADDMULTI, NL_IOC_SET, 0 },	{ SIOCDELMULTI, NL_IOC_SET, 0 },
	{ SIOCSIFPFLAGS, NL_IOC_SET, 0 },	{ SIOCDIFADDR, NL_IOC_SET, 0 },
	{ SIOCSIFHWBROADCAST, NL_IOC_SET, 0 },	{ SIOCSIFBR, NL_IOC_SET, 0 },
	{ SIOCSIFTXQLEN, NL_IOC_SET, 0 },	{ SIOCDARP, NL_IOC_SET, 0 },
	{ SIOCSARP, NL_IOC_SET, 0 },		{ SIOCDRARP, NL_IOC_SET, 0 },
	{ SIOCSRARP, NL_IOC_SET, 0 },		{ SIOCSIFMAP, NL_IOC_SET, 0 },
	{ SIOCADDDLCI, NL_IOC_SET, 0 },		{ SIOCDELDLCI, NL_IOC_SET, 0 },
	{ SIOCSIFVLAN, NL_IOC_SET, 0 },		{ SIOCBONDENSLAVE, NL_IOC_SET, 0 },
	{ SIOCBONDRELEASE, NL_IOC_SET, 0 },	{ SIOCBONDSETHWADDR, NL_IOC_SET, 0 },
	{ SIOCBONDCHANGEACTIVE, NL_IOC_SET, 0 }, { SIOCBRADDBR, NL_IOC_SET, 0 },
	{ SIOCBRDELBR, NL_IOC_SET, 0 },		{ SIOCBRADDIF, NL_IOC_SET, 0 },
	{ SIOCBRDELIF, NL_IOC_SET, 0 },		{ SIOCSHWTSTAMP, NL_IOC_SET, 0 },
	{ SIOCSMIIREG, NL_IOC_SET, 0 },
	{ SIOCETHTOOL, NL_IOC_DEV, EOPNOTSUPP }, { SIOCGMIIPHY, NL_IOC_DEV, EOPNOTSUPP },
	{ SIOCGMIIREG, NL_IOC_DEV, EOPNOTSUPP }, { SIOCGHWTSTAMP, NL_IOC_DEV, EOPNOTSUPP },
	{ SIOCWANDEV, NL_IOC_DEV, EOPNOTSUPP },	{ SIOCGIFSLAVE, NL_IOC_DEV, EINVAL },
	{ SIOCBONDINFOQUERY, NL_IOC_DEV, EOPNOTSUPP },
	{ SIOCBONDSLAVEINFOQUERY, NL_IOC_DEV, EOPNOTSUPP },
	{ SIOCGARP, NL_IOC_ARP, 0 },		{ SIOCGRARP, NL_IOC_ARP, 0 },
};

/**
 * nl_ioc_kind() - how an ioctl request is answered
 * @req:	the request
 * @err:	set to the errno of an NL_IOC_DEV
 * Return: enum nl_ioc_kind
 */
static int nl_ioc_kind(unsigned int req, int *err)
{
	size_t i;

	*err = EOPNOTSUPP;
	if (req >= SIOCDEVPRIVATE && req <= SIOCDEVPRIVATE + 15)
		return NL_IOC_DEV;
	for (i = 0; i < sizeof(nl_iocs) / sizeof(nl_iocs[0]); i++) {
		if (nl_iocs[i].req == req) {
			*err = nl_iocs[i].err;
			return nl_iocs[i].kind;
		}
	}
	return NL_IOC_KERNEL;
}

/**
 * nl_if_by_name() - a view interface by name, an alias ("eth0:1") naming
 *		     its device
 * @ifs:	the interfaces
 * @n:		how many
 * @ifname:	the name, as in struct ifreq
 * @alias:	set if the name has a ':' part
 * Return: the interface, or NULL
 */
static const struct nl_if *nl_if_by_name(const struct nl_if *ifs, int n,
					 const char *ifname, bool *alias)
{
	char name[IFNAMSIZ], *colon;
	int i;

	memcpy(name, ifname, IFNAMSIZ);
	name[IFNAMSIZ - 1] = 0;
	if ((colon = strchr(name, ':')))
		*colon = 0;
	*alias = colon != NULL;
	for (i = 0; i < n; i++)
		if (!strcmp(ifs[i].name, name))
			return &ifs[i];
	return NULL;
}

/**
 * nl_ifreq_addr() - SIOCGIFADDR, DSTADDR, BRDADDR, NETMASK (devinet_ioctl())
 * @c:		the view
 * @i:		the interface
 * @req:	which
 * @alias:	the name was an alias label, which the view has none of
 * @ifr:	answered in
 * Return: 0, -EADDRNOTAVAIL
 */
static int nl_ifreq_addr(const struct net_conf *c, const struct nl_if *i,
			 unsigned int req, bool alias, struct ifreq *ifr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct nl_ifaddr a[NL_ADDRS_MAX];
	int k, n = nl_view_addrs(c, a);
	uint32_t mask;

	for (k = 0; k < n; k++)
		if (a[k].family == AF_INET && a[k].index == i->index)
			break;
	if (alias || k == n)
		return -EADDRNOTAVAIL;
	mask = htonl(nl_mask4(a[k].prefix));
	if (req == SIOCGIFBRDADDR)
		memcpy(&sin.sin_addr, a[k].brd, 4);
	else if (req == SIOCGIFNETMASK)
		memcpy(&sin.sin_addr, &mask, 4);
	else
		memcpy(&sin.sin_addr, a[k].addr, 4);
	memcpy(&ifr->ifr_addr, &sin, sizeof(sin));
	return 0;
}

/**
 * nl_ioc_is_addr() - is @req one of the IPv4 address queries, which only
 *		      an AF_INET socket answers?
 * @req:	the request
 * Return: true if so
 */
static bool nl_ioc_is_addr(unsigned int req)
{
	return req == SIOCGIFADDR || req == SIOCGIFDSTADDR ||
	       req == SIOCGIFBRDADDR || req == SIOCGIFNETMASK;
}

/**
 * nl_ifreq() - answer a SIOCGIF* query from the view (net_internal.h)
 * @c:		the view
 * @req:	SIOCGIFFLAGS and so on
 * @inet:	asked on an AF_INET socket (the address queries need one)
 * @ifr:	the guest's struct ifreq, answered in place
 * Return: 0, -ENODEV (no such interface), -EADDRNOTAVAIL, -ENOTTY
 */
int nl_ifreq(const struct net_conf *c, unsigned int req, bool inet,
	     struct ifreq *ifr)
{
	struct nl_if ifs[NL_IFS_MAX];
	int k, n = nl_view_ifs(c, ifs);
	const struct nl_if *i;
	bool alias;

	if (req == SIOCGIFNAME) {
		for (k = 0; k < n && ifs[k].index != ifr->ifr_ifindex; k++)
			;
		if (k == n)
			return -ENODEV;
		strncpy(ifr->ifr_name, ifs[k].name, IFNAMSIZ);
		return 0;
	}
	if (nl_ioc_is_addr(req) && !inet)
		return -ENOTTY;
	if (!(i = nl_if_by_name(ifs, n, ifr->ifr_name, &alias)))
		return -ENODEV;
	if (nl_ioc_is_addr(req))
		return nl_ifreq_addr(c, i, req, alias, ifr);
	switch (req) {
	case SIOCGIFFLAGS:
		ifr->ifr_flags = (short)(i->flags & 0xffff);
		break;
	case SIOCGIFMETRIC:
		ifr->ifr_metric = 0;
		break;
	case SIOCGIFMTU:
		ifr->ifr_mtu = (int)i->mtu;
		break;
	case SIOCGIFHWADDR:
		memset(&ifr->ifr_hwaddr, 0, sizeof(ifr->ifr_hwaddr));
		ifr->ifr_hwaddr.sa_family = i->type;
		memcpy(ifr->ifr_hwaddr.sa_data, i->addr, sizeof(i->addr));
		break;
	case SIOCGIFINDEX:
		ifr->ifr_ifindex = i->index;
		break;
	case SIOCGIFTXQLEN:
		ifr->ifr_qlen = NL_TXQLEN;
		break;
	case SIOCGIFMAP:
		memset(&ifr->ifr_map, 0, sizeof(ifr->ifr_map));
		break;
	default:
		return -ENOTTY;
	}
	return 0;
}

/**
 * nl_ifconf() - the entries of SIOCGIFCONF: each IPv4 address, labelled
 *		 with its interface (net_internal.h)
 * @c:		the view
 * @out:	filled with the first @max entries
 * @max:	room
 * Return: how many entries the view has
 */
int nl_ifconf(const struct net_conf *c, struct ifreq *out, int max)
{
	struct nl_ifaddr a[NL_ADDRS_MAX];
	int k, n = nl_view_addrs(c, a), total = 0;
	struct sockaddr_in sin = { .sin_family = AF_INET };

	for (k = 0; k < n; k++) {
		if (a[k].family != AF_INET)
			continue;
		if (total < max) {
			memset(&out[total], 0, sizeof(out[total]));
			strncpy(out[total].ifr_name, a[k].label, IFNAMSIZ - 1);
			memcpy(&sin.sin_addr, a[k].addr, 4);
			memcpy(&out[total].ifr_addr, &sin, sizeof(sin));
		}
		total++;
	}
	return total;
}

/**
 * nl_ioc_conf() - SIOCGIFCONF (dev_ifconf()): with a NULL buffer, the
 *		   length needed; else the entries that fit whole
 * @n:		module state
 * @call:	the call
 * Return: 0 or -EFAULT
 */
static long nl_ioc_conf(struct net *n, struct facet_call *call)
{
	struct ifreq r[NL_ADDRS_MAX];
	int total = nl_ifconf(&n->conf, r, NL_ADDRS_MAX), fit;
	struct ifconf ic;

	if (facet_read(n->f, call, call->args[2], &ic, sizeof(ic)) < 0)
		return -EFAULT;
	fit = ic.ifc_len < 0 ? 0 : ic.ifc_len / (int)sizeof(struct ifreq);
	fit = ic.ifc_buf ? (fit < total ? fit : total) : total;
	if (ic.ifc_buf && fit && facet_write(n->f, call, (uintptr_t)ic.ifc_buf, r,
					     (size_t)fit * sizeof(r[0])) < 0)
		return -EFAULT;
	ic.ifc_len = fit * (int)sizeof(struct ifreq);
	if (facet_write(n->f, call, call->args[2], &ic.ifc_len, sizeof(ic.ifc_len)) < 0)
		return -EFAULT;
	return 0;
}

/**
 * nl_ioc_ifreq() - an ioctl on a struct ifreq: a query, or one of a device
 *		    the view's interfaces cannot answer
 * @n:		module state
 * @call:	the call
 * @kind:	NL_IOC_GET or NL_IOC_DEV
 * @err:	the errno of an NL_IOC_DEV on a known interface
 * @inet:	the socket is AF_INET
 * Return: 0 or -errno
 */
static long nl_ioc_ifreq(struct net *n, struct facet_call *call, int kind,
			 int err, bool inet)
{
	unsigned int req = (unsigned int)call->args[1];
	struct nl_if ifs[NL_IFS_MAX];
	struct ifreq ifr;
	bool alias;
	int r;

	if (facet_read(n->f, call, call->args[2], &ifr, sizeof(ifr)) < 0)
		return -EFAULT;
	if (kind == NL_IOC_DEV)
		return nl_if_by_name(ifs, nl_view_ifs(&n->conf, ifs),
				     ifr.ifr_name, &alias) ? -err : -ENODEV;
	if ((r = nl_ifreq(&n->conf, req, inet, &ifr)) < 0)
		return r;
	if (facet_write(n->f, call, call->args[2], &ifr, sizeof(ifr)) < 0)
		return -EFAULT;
	return 0;
}

/**
 * nl_sock_domain() - the address family of a guest fd, if it is a socket
 * @n:		module state
 * @call:	the call
 * Return: AF_*, or -1 if the fd is no socket (or is not there)
 */
static int nl_sock_domain(struct net *n, struct facet_call *call)
{
	int fd = facet_getfd(n->f, call, (int)call->args[0]), domain = -1;
	socklen_t len = sizeof(domain);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode) ||
	    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0)
		domain = -1;
	close(fd);
	return domain;
}

/**
 * nl_ioctl() - ioctl(fd, 0x89xx, arg) on a guest socket (net_internal.h)
 * @n:		module state
 * @call:	the call
 * Return: FACET_REPLY for the interface requests, FACET_CONTINUE for the
 *	   socket's own, FACET_PASS for another request or an fd that is no
 *	   socket
 */
enum facet_outcome nl_ioctl(struct net *n, struct facet_call *call)
{
	unsigned int req = (unsigned int)call->args[1];
	int kind, err, domain;

	if ((req & 0xff00) != 0x8900)
		return FACET_PASS;
	if ((domain = nl_sock_domain(n, call)) < 0)
		return FACET_PASS;
	switch ((kind = nl_ioc_kind(req, &err))) {
	case NL_IOC_SET:
		return nl_outcome(call, -EPERM);
	case NL_IOC_CONF:
		return nl_outcome(call, nl_ioc_conf(n, call));
	case NL_IOC_ARP:
		return nl_outcome(call, domain == AF_INET ? -ENXIO : -ENOTTY);
	case NL_IOC_GET:
	case NL_IOC_DEV:
		return nl_outcome(call, nl_ioc_ifreq(n, call, kind, err,
						     domain == AF_INET));
	}
	return FACET_CONTINUE;
}
