// SPDX-License-Identifier: GPL-2.0-or-later
/* test_net.c - the view's rtnetlink answers and interface ioctls
 *		(modules/net_rtnl.c: nl_answer(); modules/net_ioctl.c: nl_ifreq(),
 *		nl_ifconf())
 *
 * Each test sends one request to nl_answer(), collects the messages it
 * emits, and parses them as a netlink client would: header, family header,
 * attributes, the NLMSG_DONE or NLMSG_ERROR at the end.  The expected
 * values are what a real namespace holding the same interfaces answers.
 */
#include <net/if.h>	/* before the linux/ headers */
#include <net/if_arp.h>
#include <arpa/inet.h>
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"
#include "unit.h"

#define SEQ	4242
#define PORT	777
#define MSGS	32

/**
 * struct got - the messages nl_answer() emitted
 * @n:		how many
 * @len:	the length of each
 * @msg:	each, copied (aligned for the headers)
 */
struct got {
	int n;
	size_t len[MSGS];
	union {
		struct nlmsghdr h;
		char b[4096];
	} msg[MSGS];
};

/**
 * collect() - the emit callback: keep a copy
 * @arg:	the struct got
 * @msg:	a message
 * @len:	its length
 * Return: 0
 */
static int collect(void *arg, const void *msg, size_t len)
{
	struct got *g = arg;

	ck_assert_int_lt(g->n, MSGS);
	ck_assert_uint_le(len, sizeof(g->msg[0]));
	memcpy(g->msg[g->n].b, msg, len);
	g->len[g->n++] = len;
	return 0;
}

/**
 * view() - the view of a test: lo, and in NAT mode eth0 with the default
 *	    addresses
 * @mode:	NET_NONE or NET_NAT
 * Return: the configuration
 */
static struct net_conf view(enum net_mode mode)
{
	struct net_conf c;

	net_conf_defaults(&c);
	c.mode = mode;
	if (mode == NET_VDE)	/* a LAN without --gateway */
		c.gw = c.gw6_on = false;
	return c;
}

/**
 * struct req - a request: header, family header, room for attributes
 */
struct req {
	struct nlmsghdr h;
	union {
		struct rtgenmsg g;
		struct ifinfomsg i;
		struct ifaddrmsg a;
		struct rtmsg r;
	} u;
	char attrs[64];
};

/**
 * mkreq() - start a request
 * @r:		filled
 * @type:	RTM_*
 * @flags:	NLM_F_* besides NLM_F_REQUEST
 * @hdr:	size of its family header
 * @family:	the family byte
 */
static void mkreq(struct req *r, int type, int flags, size_t hdr, int family)
{
	memset(r, 0, sizeof(*r));
	r->h.nlmsg_len = NLMSG_LENGTH(hdr);
	r->h.nlmsg_type = (uint16_t)type;
	r->h.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	r->h.nlmsg_seq = SEQ;
	r->u.g.rtgen_family = (unsigned char)family;
}

/**
 * addattr() - append an attribute to a request
 * @r:		the request
 * @type:	attribute type
 * @data:	payload
 * @len:	its length
 */
static void addattr(struct req *r, int type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->h.nlmsg_len));

	a->rta_type = (unsigned short)type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_SPACE(len);
}

/**
 * ask() - send a request to the view, collect the answer
 * @c:		the view
 * @r:		the request
 * @g:		filled
 */
static void ask(const struct net_conf *c, const struct req *r, struct got *g)
{
	memset(g, 0, sizeof(*g));
	ck_assert_int_eq(nl_answer(c, r, r->h.nlmsg_len, PORT, collect, g), 0);
}

/**
 * check_msg() - the checks every message passes: its length is what was
 *		 emitted, seq and pid are the requester's, its attributes
 *		 tile its payload exactly
 * @g:		the answer
 * @i:		which message
 * @hdr:	size of its family header (0: no attributes to walk)
 */
static void check_msg(const struct got *g, int i, size_t hdr)
{
	const struct nlmsghdr *h = &g->msg[i].h;
	const struct rtattr *a;
	int left;

	ck_assert_uint_eq(h->nlmsg_len, g->len[i]);
	ck_assert_uint_eq(h->nlmsg_seq, SEQ);
	ck_assert_uint_eq(h->nlmsg_pid, PORT);
	if (!hdr)
		return;
	a = (const struct rtattr *)((const char *)NLMSG_DATA(h) + NLMSG_ALIGN(hdr));
	left = (int)(h->nlmsg_len - NLMSG_LENGTH(hdr));
	while (RTA_OK(a, left))
		a = RTA_NEXT(a, left);
	ck_assert_int_eq(left, 0);
}

/**
 * attr() - an attribute of a reply message
 * @h:		the message
 * @hdr:	size of its family header
 * @type:	attribute type
 * @len:	set to the payload length, if not NULL
 * Return: the payload, or NULL
 */
static const void *attr(const struct nlmsghdr *h, size_t hdr, int type,
			size_t *len)
{
	const struct rtattr *a =
		(const struct rtattr *)((const char *)NLMSG_DATA(h) + NLMSG_ALIGN(hdr));
	int left = (int)(h->nlmsg_len - NLMSG_LENGTH(hdr));

	for (; RTA_OK(a, left); a = RTA_NEXT(a, left)) {
		if (a->rta_type == type) {
			if (len)
				*len = RTA_PAYLOAD(a);
			return RTA_DATA(a);
		}
	}
	return NULL;
}

/**
 * attr_u32() - a 32-bit attribute, which must be there
 * @h:		the message
 * @hdr:	size of its family header
 * @type:	attribute type
 * Return: its value
 */
static uint32_t attr_u32(const struct nlmsghdr *h, size_t hdr, int type)
{
	size_t len = 0;
	const void *p = attr(h, hdr, type, &len);
	uint32_t v;

	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(len, 4);
	memcpy(&v, p, 4);
	return v;
}

/**
 * attr_ip() - an address attribute as text, "" if absent
 * @h:		the message
 * @hdr:	size of its family header
 * @type:	attribute type
 * @buf:	INET6_ADDRSTRLEN bytes
 * Return: @buf
 */
static const char *attr_ip(const struct nlmsghdr *h, size_t hdr, int type,
			   char *buf)
{
	size_t len = 0;
	const void *p = attr(h, hdr, type, &len);

	*buf = 0;
	if (p)
		ck_assert_ptr_nonnull(inet_ntop(len == 4 ? AF_INET : AF_INET6, p,
						 buf, INET6_ADDRSTRLEN));
	return buf;
}

/**
 * check_done() - the last message is NLMSG_DONE, multi, status 0
 * @g:		the answer
 */
static void check_done(const struct got *g)
{
	const struct nlmsghdr *h = &g->msg[g->n - 1].h;
	int status;

	ck_assert_int_ge(g->n, 1);
	check_msg(g, g->n - 1, 0);
	ck_assert_int_eq(h->nlmsg_type, NLMSG_DONE);
	ck_assert_int_eq(h->nlmsg_flags, NLM_F_MULTI);
	ck_assert_uint_eq(h->nlmsg_len, NLMSG_LENGTH(sizeof(int)));
	memcpy(&status, NLMSG_DATA(h), sizeof(status));
	ck_assert_int_eq(status, 0);
}

/* Links */

static const struct {
	enum net_mode mode;
	int n;
} link_dumps[] = {
	{ NET_NONE, 1 },
	{ NET_NAT, 2 },
};

START_TEST(link_dump)
{
	static const unsigned char mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	static const unsigned char zero[6], bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct net_conf c = view(link_dumps[_i].mode);
	const size_t hdr = sizeof(struct ifinfomsg);
	const struct ifinfomsg *m;
	const struct nlmsghdr *h;
	struct got g;
	struct req r;
	size_t len;
	int i;

	/* glibc's getifaddrs() sends a bare struct rtgenmsg */
	mkreq(&r, RTM_GETLINK, NLM_F_DUMP, sizeof(struct rtgenmsg), AF_UNSPEC);
	ask(&c, &r, &g);
	ck_assert_int_eq(g.n, link_dumps[_i].n + 1);
	check_done(&g);
	for (i = 0; i < link_dumps[_i].n; i++) {
		h = &g.msg[i].h;
		m = NLMSG_DATA(h);
		check_msg(&g, i, hdr);
		ck_assert_int_eq(h->nlmsg_type, RTM_NEWLINK);
		ck_assert_int_eq(h->nlmsg_flags, NLM_F_MULTI);
		ck_assert_int_eq(m->ifi_index, i + 1);
		ck_assert_str_eq(attr(h, hdr, IFLA_IFNAME, NULL), i ? "eth0" : "lo");
		ck_assert_str_eq(attr(h, hdr, IFLA_QDISC, NULL), "noqueue");
		ck_assert_uint_eq(attr_u32(h, hdr, IFLA_TXQLEN), 1000);
		ck_assert_uint_eq(attr_u32(h, hdr, IFLA_MTU), i ? 1500 : 65536);
		ck_assert_int_eq(*(const uint8_t *)attr(h, hdr, IFLA_OPERSTATE, NULL),
				 i ? IF_OPER_UP : IF_OPER_UNKNOWN);
		ck_assert_ptr_nonnull(attr(h, hdr, IFLA_STATS64, &len));
		ck_assert_uint_eq(len, sizeof(struct rtnl_link_stats64));
		ck_assert_ptr_nonnull(attr(h, hdr, IFLA_STATS, &len));
		ck_assert_uint_eq(len, sizeof(struct rtnl_link_stats));
		ck_assert_int_eq(memcmp(attr(h, hdr, IFLA_ADDRESS, &len), i ? mac : zero, 6), 0);
		ck_assert_uint_eq(len, 6);
		ck_assert_int_eq(memcmp(attr(h, hdr, IFLA_BROADCAST, NULL), i ? bcast : zero, 6), 0);
	}
	m = NLMSG_DATA(&g.msg[0].h);
	ck_assert_int_eq(m->ifi_type, ARPHRD_LOOPBACK);
	ck_assert_uint_eq(m->ifi_flags, IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP);
	if (link_dumps[_i].mode != NET_NAT)
		return;
	m = NLMSG_DATA(&g.msg[1].h);
	ck_assert_int_eq(m->ifi_type, ARPHRD_ETHER);
	ck_assert_uint_eq(m->ifi_flags, IFF_UP | IFF_BROADCAST | IFF_RUNNING |
			  IFF_MULTICAST | IFF_LOWER_UP);
}
END_TEST

static const struct {
	enum net_mode mode;
	int index;		/* ifi_index asked for, or 0 */
	const char *name;	/* IFLA_IFNAME given, or NULL */
	int err;		/* 0: found; else the error */
	int found;		/* the index answered */
} link_gets[] = {
	{ NET_NAT, 2, NULL, 0, 2 },
	{ NET_NAT, 0, "eth0", 0, 2 },
	{ NET_NAT, 0, "lo", 0, 1 },
	{ NET_NAT, 0, "wlan0", -ENODEV, 0 },
	{ NET_NAT, 7, NULL, -ENODEV, 0 },
	{ NET_NAT, 0, NULL, -EINVAL, 0 },
	{ NET_NONE, 2, NULL, -ENODEV, 0 },
	{ NET_NONE, 0, "eth0", -ENODEV, 0 },
	{ NET_NONE, 1, "ignored", 0, 1 },	/* the index wins */
};

START_TEST(link_get)
{
	struct net_conf c = view(link_gets[_i].mode);
	const struct nlmsgerr *e;
	struct got g;
	struct req r;

	mkreq(&r, RTM_GETLINK, 0, sizeof(struct ifinfomsg), AF_UNSPEC);
	r.u.i.ifi_index = link_gets[_i].index;
	if (link_gets[_i].name)
		addattr(&r, IFLA_IFNAME, link_gets[_i].name,
			strlen(link_gets[_i].name) + 1);
	ask(&c, &r, &g);
	ck_assert_int_eq(g.n, 1);
	check_msg(&g, 0, 0);
	if (link_gets[_i].err) {
		e = NLMSG_DATA(&g.msg[0].h);
		ck_assert_int_eq(g.msg[0].h.nlmsg_type, NLMSG_ERROR);
		ck_assert_int_eq(e->error, link_gets[_i].err);
		return;
	}
	check_msg(&g, 0, sizeof(struct ifinfomsg));
	ck_assert_int_eq(g.msg[0].h.nlmsg_type, RTM_NEWLINK);
	ck_assert_int_eq(g.msg[0].h.nlmsg_flags, 0);	/* no NLM_F_MULTI */
	ck_assert_int_eq(((struct ifinfomsg *)NLMSG_DATA(&g.msg[0].h))->ifi_index,
			 link_gets[_i].found);
}
END_TEST

/* Addresses */

static const struct {
	enum net_mode mode;
	int family;		/* the request's */
	int index;		/* the request's ifa_index */
	const char *want;	/* "FAMILY/INDEX/ADDR/PREFIX/SCOPE" each */
} addr_dumps[] = {
	{ NET_NONE, AF_UNSPEC, 0, "2/1/127.0.0.1/8/254 10/1/::1/128/254" },
	{ NET_NONE, AF_INET6, 0, "10/1/::1/128/254" },
	{ NET_NAT, AF_UNSPEC, 0,
	  "2/1/127.0.0.1/8/254 2/2/10.0.2.15/24/0 10/1/::1/128/254 "
	  "10/2/fd00::15/64/0 10/2/fe80::5054:ff:fe12:3456/64/253" },
	{ NET_NAT, AF_INET, 0, "2/1/127.0.0.1/8/254 2/2/10.0.2.15/24/0" },
	{ NET_NAT, AF_INET6, 2, "10/2/fd00::15/64/0 10/2/fe80::5054:ff:fe12:3456/64/253" },
	{ NET_NAT, AF_PACKET, 0,	/* any other family: all, as the kernel */
	  "2/1/127.0.0.1/8/254 2/2/10.0.2.15/24/0 10/1/::1/128/254 "
	  "10/2/fd00::15/64/0 10/2/fe80::5054:ff:fe12:3456/64/253" },
};

START_TEST(addr_dump)
{
	struct net_conf c = view(addr_dumps[_i].mode);
	const size_t hdr = sizeof(struct ifaddrmsg);
	char text[512] = "", ip[INET6_ADDRSTRLEN], one[128], brd[INET6_ADDRSTRLEN];
	const struct ifa_cacheinfo *ci;
	const struct ifaddrmsg *m;
	const struct nlmsghdr *h;
	struct got g;
	struct req r;
	int i;

	mkreq(&r, RTM_GETADDR, NLM_F_DUMP, hdr, addr_dumps[_i].family);
	r.u.a.ifa_index = (uint32_t)addr_dumps[_i].index;
	ask(&c, &r, &g);
	check_done(&g);
	for (i = 0; i < g.n - 1; i++) {
		h = &g.msg[i].h;
		m = NLMSG_DATA(h);
		check_msg(&g, i, hdr);
		ck_assert_int_eq(h->nlmsg_type, RTM_NEWADDR);
		ck_assert_int_eq(h->nlmsg_flags, NLM_F_MULTI);
		ck_assert_int_eq(m->ifa_flags, IFA_F_PERMANENT);
		ck_assert_uint_eq(attr_u32(h, hdr, IFA_FLAGS), IFA_F_PERMANENT);
		ci = attr(h, hdr, IFA_CACHEINFO, NULL);
		ck_assert_ptr_nonnull(ci);
		ck_assert_uint_eq(ci->ifa_valid, 0xffffffff);
		snprintf(one, sizeof(one), "%s%d/%u/%s/%d/%d", i ? " " : "",
			 m->ifa_family, m->ifa_index, attr_ip(h, hdr, IFA_ADDRESS, ip),
			 m->ifa_prefixlen, m->ifa_scope);
		strcat(text, one);
		if (m->ifa_family != AF_INET)
			continue;
		ck_assert_str_eq(attr_ip(h, hdr, IFA_LOCAL, brd), ip);
		ck_assert_str_eq(attr(h, hdr, IFA_LABEL, NULL), m->ifa_index == 1 ? "lo" : "eth0");
		ck_assert_str_eq(attr_ip(h, hdr, IFA_BROADCAST, brd),
				 m->ifa_index == 1 ? "" : "10.0.2.255");
	}
	ck_assert_str_eq(text, addr_dumps[_i].want);
}
END_TEST

/* Routes */

static const struct {
	enum net_mode mode;
	int family;
	const char *want;	/* "TABLE:TYPE:DST/LEN:via GW:dev OIF:src SRC:metric M"
				   each, fields left out when absent */
} route_dumps[] = {
	{ NET_NONE, AF_INET,
	  "255:2:127.0.0.0/8:dev 1:src 127.0.0.1 "
	  "255:2:127.0.0.1/32:dev 1:src 127.0.0.1 "
	  "255:3:127.255.255.255/32:dev 1:src 127.0.0.1" },
	{ NET_NONE, AF_INET6, "255:2:::1/128:dev 1:metric 0" },
	{ NET_NAT, AF_INET,
	  "254:1:/0:via 10.0.2.2:dev 2 "
	  "254:1:10.0.2.0/24:dev 2:src 10.0.2.15 "
	  "255:2:10.0.2.15/32:dev 2:src 10.0.2.15 "
	  "255:3:10.0.2.255/32:dev 2:src 10.0.2.15 "
	  "255:2:127.0.0.0/8:dev 1:src 127.0.0.1 "
	  "255:2:127.0.0.1/32:dev 1:src 127.0.0.1 "
	  "255:3:127.255.255.255/32:dev 1:src 127.0.0.1" },
	{ NET_VDE, AF_INET,
	  "254:1:10.0.2.0/24:dev 2:src 10.0.2.15 "
	  "255:2:10.0.2.15/32:dev 2:src 10.0.2.15 "
	  "255:3:10.0.2.255/32:dev 2:src 10.0.2.15 "
	  "255:2:127.0.0.0/8:dev 1:src 127.0.0.1 "
	  "255:2:127.0.0.1/32:dev 1:src 127.0.0.1 "
	  "255:3:127.255.255.255/32:dev 1:src 127.0.0.1" },
	{ NET_VDE, AF_INET6,
	  "254:1:fd00::/64:dev 2:metric 256 "
	  "254:1:fe80::/64:dev 2:metric 256 "
	  "255:2:::1/128:dev 1:metric 0 "
	  "255:2:fd00::15/128:dev 2:metric 0 "
	  "255:2:fe80::5054:ff:fe12:3456/128:dev 2:metric 0 "
	  "255:5:ff00::/8:dev 2:metric 256" },
	{ NET_NAT, AF_INET6,
	  "254:1:fd00::/64:dev 2:metric 256 "
	  "254:1:fe80::/64:dev 2:metric 256 "
	  "254:1:/0:via fd00::2:dev 2:metric 1024 "
	  "255:2:::1/128:dev 1:metric 0 "
	  "255:2:fd00::15/128:dev 2:metric 0 "
	  "255:2:fe80::5054:ff:fe12:3456/128:dev 2:metric 0 "
	  "255:5:ff00::/8:dev 2:metric 256" },
};

/**
 * route_text() - one route message as "TABLE:TYPE:DST/LEN:..." (see
 *		  route_dumps)
 * @h:		the message
 * @out:	filled
 * @size:	its room
 */
static void route_text(const struct nlmsghdr *h, char *out, size_t size)
{
	const struct rtmsg *m = NLMSG_DATA(h);
	const size_t hdr = sizeof(*m);
	char dst[INET6_ADDRSTRLEN], x[INET6_ADDRSTRLEN], part[64];

	ck_assert_uint_eq(attr_u32(h, hdr, RTA_TABLE), m->rtm_table);
	snprintf(out, size, "%d:%d:%s/%d", m->rtm_table, m->rtm_type,
		 attr_ip(h, hdr, RTA_DST, dst), m->rtm_dst_len);
	if (*attr_ip(h, hdr, RTA_GATEWAY, x)) {
		snprintf(part, sizeof(part), ":via %s", x);
		strncat(out, part, size - strlen(out) - 1);
	}
	snprintf(part, sizeof(part), ":dev %u", attr_u32(h, hdr, RTA_OIF));
	strncat(out, part, size - strlen(out) - 1);
	if (*attr_ip(h, hdr, RTA_PREFSRC, x)) {
		snprintf(part, sizeof(part), ":src %s", x);
		strncat(out, part, size - strlen(out) - 1);
	}
	if (attr(h, hdr, RTA_PRIORITY, NULL)) {
		snprintf(part, sizeof(part), ":metric %u", attr_u32(h, hdr, RTA_PRIORITY));
		strncat(out, part, size - strlen(out) - 1);
	}
}

START_TEST(route_dump)
{
	struct net_conf c = view(route_dumps[_i].mode);
	char text[1024] = "", one[160];
	const struct rtmsg *m;
	struct got g;
	struct req r;
	int i;

	mkreq(&r, RTM_GETROUTE, NLM_F_DUMP, sizeof(struct rtmsg), route_dumps[_i].family);
	ask(&c, &r, &g);
	check_done(&g);
	for (i = 0; i < g.n - 1; i++) {
		m = NLMSG_DATA(&g.msg[i].h);
		check_msg(&g, i, sizeof(*m));
		ck_assert_int_eq(g.msg[i].h.nlmsg_type, RTM_NEWROUTE);
		ck_assert_int_eq(g.msg[i].h.nlmsg_flags, NLM_F_MULTI);
		ck_assert_int_eq(m->rtm_family, route_dumps[_i].family);
		route_text(&g.msg[i].h, one, sizeof(one));
		if (i)
			strcat(text, " ");
		strcat(text, one);
	}
	ck_assert_str_eq(text, route_dumps[_i].want);
}
END_TEST

START_TEST(route_dump_all)
{
	struct net_conf c = view(NET_NAT);
	struct got g;
	struct req r;

	/* AF_UNSPEC: IPv4 (7 routes), then IPv6 (7) */
	mkreq(&r, RTM_GETROUTE, NLM_F_DUMP, sizeof(struct rtgenmsg), AF_UNSPEC);
	ask(&c, &r, &g);
	ck_assert_int_eq(g.n, 15);
	ck_assert_int_eq(((struct rtmsg *)NLMSG_DATA(&g.msg[6].h))->rtm_family, AF_INET);
	ck_assert_int_eq(((struct rtmsg *)NLMSG_DATA(&g.msg[7].h))->rtm_family, AF_INET6);
	check_done(&g);
}
END_TEST

static const struct {
	enum net_mode mode;
	int family;
	const char *dst;
	int err;		/* 0, or the NLMSG_ERROR */
	const char *want;	/* as route_text() */
	uint32_t flags;		/* rtm_flags */
} route_gets[] = {
	{ NET_NAT, AF_INET, "1.1.1.1", 0,
	  "254:1:1.1.1.1/32:via 10.0.2.2:dev 2:src 10.0.2.15", RTM_F_CLONED },
	{ NET_NAT, AF_INET, "10.0.2.7", 0,
	  "254:1:10.0.2.7/32:dev 2:src 10.0.2.15", RTM_F_CLONED },
	{ NET_NAT, AF_INET, "10.0.2.15", 0, "254:2:10.0.2.15/32:dev 1:src 10.0.2.15",
	  RTM_F_CLONED | 0x80000000 },
	{ NET_NAT, AF_INET, "10.0.2.255", 0, "254:3:10.0.2.255/32:dev 2:src 10.0.2.15",
	  RTM_F_CLONED | 0x90000000 },
	{ NET_NAT, AF_INET, "127.0.0.5", 0, "254:2:127.0.0.5/32:dev 1:src 127.0.0.1",
	  RTM_F_CLONED | 0x80000000 },
	{ NET_NONE, AF_INET, "127.0.0.5", 0, "254:2:127.0.0.5/32:dev 1:src 127.0.0.1",
	  RTM_F_CLONED | 0x80000000 },
	{ NET_NONE, AF_INET, "1.1.1.1", -ENETUNREACH, NULL, 0 },
	{ NET_NAT, AF_INET6, "2001::1", 0,
	  "254:1:2001::1/128:via fd00::2:dev 2:src fd00::15:metric 1024", 0 },
	{ NET_NAT, AF_INET6, "fe80::1", 0,
	  "254:1:fe80::1/128:dev 2:src fe80::5054:ff:fe12:3456:metric 256", 0 },
	{ NET_NAT, AF_INET6, "::1", 0, "255:2:::1/128:dev 1:src ::1:metric 0", 0 },
	{ NET_NAT, AF_INET6, "fd00::15", 0,
	  "255:2:fd00::15/128:dev 1:src fd00::15:metric 0", 0 },
	{ NET_NONE, AF_INET6, "2001::1", -ENETUNREACH, NULL, 0 },
	{ NET_VDE, AF_INET, "1.1.1.1", -ENETUNREACH, NULL, 0 },
	{ NET_VDE, AF_INET, "10.0.2.7", 0,
	  "254:1:10.0.2.7/32:dev 2:src 10.0.2.15", RTM_F_CLONED },
	{ NET_VDE, AF_INET6, "2001::1", -ENETUNREACH, NULL, 0 },
	{ NET_VDE, AF_INET6, "fd00::7", 0,
	  "254:1:fd00::7/128:dev 2:src fd00::15:metric 256", 0 },
};

START_TEST(route_get)
{
	struct net_conf c = view(route_gets[_i].mode);
	unsigned char dst[16];
	const struct rtmsg *m;
	char text[160];
	struct got g;
	struct req r;

	mkreq(&r, RTM_GETROUTE, 0, sizeof(struct rtmsg), route_gets[_i].family);
	ck_assert_int_eq(inet_pton(route_gets[_i].family, route_gets[_i].dst, dst), 1);
	addattr(&r, RTA_DST, dst, route_gets[_i].family == AF_INET ? 4 : 16);
	ask(&c, &r, &g);
	ck_assert_int_eq(g.n, 1);
	if (route_gets[_i].err) {
		ck_assert_int_eq(g.msg[0].h.nlmsg_type, NLMSG_ERROR);
		ck_assert_int_eq(((struct nlmsgerr *)NLMSG_DATA(&g.msg[0].h))->error,
				 route_gets[_i].err);
		return;
	}
	m = NLMSG_DATA(&g.msg[0].h);
	check_msg(&g, 0, sizeof(*m));
	ck_assert_int_eq(g.msg[0].h.nlmsg_type, RTM_NEWROUTE);
	ck_assert_int_eq(g.msg[0].h.nlmsg_flags, 0);
	ck_assert_uint_eq(m->rtm_flags, route_gets[_i].flags);
	route_text(&g.msg[0].h, text, sizeof(text));
	ck_assert_str_eq(text, route_gets[_i].want);
}
END_TEST

/* Rules */

START_TEST(rule_dump)
{
	static const struct { int family, n; } cases[] = {
		{ AF_INET, 3 }, { AF_INET6, 2 }, { AF_UNSPEC, 5 },
	};
	static const uint32_t prefs[] = { 0, 32766, 32767, 0, 32766 };
	static const int tables[] = { 255, 254, 253, 255, 254 };
	struct net_conf c = view(NET_NAT);
	const size_t hdr = sizeof(struct fib_rule_hdr);
	const struct fib_rule_hdr *h;
	size_t k, i, first;
	struct got g;
	struct req r;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		mkreq(&r, RTM_GETRULE, NLM_F_DUMP, hdr, cases[k].family);
		ask(&c, &r, &g);
		ck_assert_int_eq(g.n, cases[k].n + 1);
		check_done(&g);
		first = cases[k].family == AF_INET6 ? 3 : 0;
		for (i = 0; i < (size_t)cases[k].n; i++) {
			h = NLMSG_DATA(&g.msg[i].h);
			check_msg(&g, (int)i, hdr);
			ck_assert_int_eq(g.msg[i].h.nlmsg_type, RTM_NEWRULE);
			ck_assert_int_eq(h->action, FR_ACT_TO_TBL);
			ck_assert_int_eq(h->table, tables[first + i]);
			ck_assert_uint_eq(attr_u32(&g.msg[i].h, hdr, FRA_TABLE),
					  (uint32_t)tables[first + i]);
			if (prefs[first + i])
				ck_assert_uint_eq(attr_u32(&g.msg[i].h, hdr, FRA_PRIORITY),
						  prefs[first + i]);
			else
				ck_assert_ptr_null(attr(&g.msg[i].h, hdr, FRA_PRIORITY, NULL));
		}
	}
}
END_TEST

/* Errors and acknowledgements */

static const struct {
	int type;
	int flags;
	size_t hdr;		/* family header sent */
	int n;			/* messages answered */
	int last;		/* type of the last */
	int err;		/* its error, if NLMSG_ERROR */
} errs[] = {
	{ RTM_NEWLINK, 0, sizeof(struct ifinfomsg), 1, NLMSG_ERROR, -EPERM },
	{ RTM_SETLINK, NLM_F_ACK, sizeof(struct ifinfomsg), 1, NLMSG_ERROR, -EPERM },
	{ RTM_NEWADDR, NLM_F_ACK, sizeof(struct ifaddrmsg), 1, NLMSG_ERROR, -EPERM },
	{ RTM_DELROUTE, 0, sizeof(struct rtmsg), 1, NLMSG_ERROR, -EPERM },
	{ RTM_NEWNEIGH, 0, 12, 1, NLMSG_ERROR, -EPERM },
	{ RTM_NEWRULE, 0, 12, 1, NLMSG_ERROR, -EPERM },
	{ RTM_GETLINK, NLM_F_DUMP | NLM_F_ACK, 16, 3, NLMSG_DONE, 0 },	/* no ACK */
	{ RTM_GETNEIGH, NLM_F_DUMP, 12, 1, NLMSG_DONE, 0 },
	{ RTM_GETQDISC, NLM_F_DUMP, 20, 1, NLMSG_DONE, 0 },
	{ RTM_GETNETCONF, NLM_F_DUMP, 4, 1, NLMSG_DONE, 0 },
	{ RTM_GETQDISC, 0, 20, 1, NLMSG_ERROR, -EOPNOTSUPP },
	{ RTM_GETADDR, 0, sizeof(struct ifaddrmsg), 1, NLMSG_ERROR, -EOPNOTSUPP },
	{ RTM_GETROUTE, 0, sizeof(struct rtgenmsg), 1, NLMSG_ERROR, -EINVAL },
	{ RTM_MAX + 1, 0, 4, 1, NLMSG_ERROR, -EOPNOTSUPP },
	{ RTM_GETLINK, NLM_F_ACK, 0, 1, NLMSG_ERROR, 0 },	/* empty: ignored */
	{ RTM_GETLINK, 0, 0, 0, 0, 0 },
	{ NLMSG_NOOP, NLM_F_ACK, 0, 1, NLMSG_ERROR, 0 },	/* control: ACK */
	{ NLMSG_NOOP, 0, 0, 0, 0, 0 },
};

START_TEST(errors)
{
	struct net_conf c = view(NET_NAT);
	const struct nlmsgerr *e;
	const struct nlmsghdr *h;
	struct got g;
	struct req r;

	mkreq(&r, errs[_i].type, errs[_i].flags, errs[_i].hdr, AF_INET);
	if (!errs[_i].hdr)
		r.h.nlmsg_len = NLMSG_HDRLEN;
	ask(&c, &r, &g);
	ck_assert_int_eq(g.n, errs[_i].n);
	if (!g.n)
		return;
	h = &g.msg[g.n - 1].h;
	check_msg(&g, g.n - 1, 0);
	ck_assert_int_eq(h->nlmsg_type, errs[_i].last);
	if (errs[_i].last != NLMSG_ERROR)
		return;
	e = NLMSG_DATA(h);
	ck_assert_int_eq(e->error, errs[_i].err);
	ck_assert_int_eq(memcmp(&e->msg, &r.h, sizeof(r.h)), 0);
	if (errs[_i].err) {	/* an error carries the whole request */
		ck_assert_int_eq(h->nlmsg_flags, 0);
		ck_assert_uint_eq(h->nlmsg_len, NLMSG_HDRLEN + sizeof(int) +
				  NLMSG_ALIGN(r.h.nlmsg_len));
		ck_assert_int_eq(memcmp(&e->msg, &r, r.h.nlmsg_len), 0);
	} else {		/* an ACK, the request's header only */
		ck_assert_int_eq(h->nlmsg_flags, NLM_F_CAPPED);
		ck_assert_uint_eq(h->nlmsg_len, NLMSG_LENGTH(sizeof(*e)));
	}
}
END_TEST

START_TEST(not_a_request)
{
	struct net_conf c = view(NET_NAT);
	struct got g;
	struct req r;

	/* no NLM_F_REQUEST: only acknowledged, and only if asked */
	mkreq(&r, RTM_GETLINK, NLM_F_DUMP, sizeof(struct rtgenmsg), AF_UNSPEC);
	r.h.nlmsg_flags &= (uint16_t)~NLM_F_REQUEST;
	ask(&c, &r, &g);
	ck_assert_int_eq(g.n, 0);
	r.h.nlmsg_flags |= NLM_F_ACK;
	ask(&c, &r, &g);
	ck_assert_int_eq(g.n, 1);
	ck_assert_int_eq(g.msg[0].h.nlmsg_type, NLMSG_ERROR);
	/* a get that succeeds with NLM_F_ACK: the reply, then the ACK */
	mkreq(&r, RTM_GETLINK, NLM_F_ACK, sizeof(struct ifinfomsg), AF_UNSPEC);
	r.u.i.ifi_index = 1;
	ask(&c, &r, &g);
	ck_assert_int_eq(g.n, 2);
	ck_assert_int_eq(g.msg[0].h.nlmsg_type, RTM_NEWLINK);
	ck_assert_int_eq(g.msg[1].h.nlmsg_type, NLMSG_ERROR);
	ck_assert_int_eq(((struct nlmsgerr *)NLMSG_DATA(&g.msg[1].h))->error, 0);
}
END_TEST

/**
 * refuse() - an emit callback that fails after @arg messages
 * @arg:	an int countdown
 * @msg:	unused
 * @len:	unused
 * Return: 0, then -ENOBUFS
 */
static int refuse(void *arg, const void *msg, size_t len)
{
	int *left = arg;

	(void)msg;
	(void)len;
	ck_assert_int_ge(*left, 0);	/* never called again after failing */
	return (*left)-- > 0 ? 0 : -ENOBUFS;
}

START_TEST(emit_fails)
{
	struct net_conf c = view(NET_NAT);
	struct req r;
	int left = 1;

	mkreq(&r, RTM_GETADDR, NLM_F_DUMP, sizeof(struct rtgenmsg), AF_UNSPEC);
	ck_assert_int_eq(nl_answer(&c, &r, r.h.nlmsg_len, PORT, refuse, &left),
			 -ENOBUFS);
	ck_assert_int_eq(left, -1);
}
END_TEST

/* The interface ioctls */

static const struct {
	enum net_mode mode;
	unsigned int req;
	const char *name;	/* ifr_name, or for SIOCGIFNAME the index */
	bool inet;		/* asked on an AF_INET socket */
	int err;
	const char *want;	/* the answer, as text */
} ifreqs[] = {
	{ NET_NAT, SIOCGIFFLAGS, "lo", true, 0, "0x49" },
	{ NET_NAT, SIOCGIFFLAGS, "eth0", false, 0, "0x1043" },
	{ NET_NAT, SIOCGIFFLAGS, "eth0:1", true, 0, "0x1043" },
	{ NET_NONE, SIOCGIFFLAGS, "eth0", true, -ENODEV, NULL },
	{ NET_NAT, SIOCGIFFLAGS, "wlan0", false, -ENODEV, NULL },
	{ NET_NAT, SIOCGIFADDR, "eth0", true, 0, "10.0.2.15" },
	{ NET_NAT, SIOCGIFADDR, "lo", true, 0, "127.0.0.1" },
	{ NET_NAT, SIOCGIFADDR, "eth0", false, -ENOTTY, NULL },
	{ NET_NAT, SIOCGIFADDR, "eth0:1", true, -EADDRNOTAVAIL, NULL },
	{ NET_NAT, SIOCGIFADDR, "wlan0", true, -ENODEV, NULL },
	{ NET_NAT, SIOCGIFDSTADDR, "eth0", true, 0, "10.0.2.15" },
	{ NET_NAT, SIOCGIFNETMASK, "eth0", true, 0, "255.255.255.0" },
	{ NET_NAT, SIOCGIFNETMASK, "lo", true, 0, "255.0.0.0" },
	{ NET_NAT, SIOCGIFBRDADDR, "eth0", true, 0, "10.0.2.255" },
	{ NET_NAT, SIOCGIFBRDADDR, "lo", true, 0, "0.0.0.0" },
	{ NET_NAT, SIOCGIFINDEX, "eth0", false, 0, "2" },
	{ NET_NAT, SIOCGIFINDEX, "lo", false, 0, "1" },
	{ NET_NAT, SIOCGIFNAME, "2", false, 0, "eth0" },
	{ NET_NONE, SIOCGIFNAME, "2", false, -ENODEV, NULL },
	{ NET_NAT, SIOCGIFMTU, "eth0", false, 0, "1500" },
	{ NET_NAT, SIOCGIFMTU, "lo", false, 0, "65536" },
	{ NET_NAT, SIOCGIFTXQLEN, "lo", false, 0, "1000" },
	{ NET_NAT, SIOCGIFMETRIC, "lo", false, 0, "0" },
	{ NET_NAT, SIOCGIFHWADDR, "eth0", false, 0, "1 52:54:00:12:34:56" },
	{ NET_NAT, SIOCGIFHWADDR, "lo", false, 0, "772 00:00:00:00:00:00" },
	{ NET_NAT, SIOCGIFMAP, "eth0", false, 0, "0" },
};

/**
 * ifreq_text() - the answer of an ioctl as text
 * @req:	the request
 * @ifr:	its answer
 * @out:	filled
 * @size:	its room
 */
static void ifreq_text(unsigned int req, const struct ifreq *ifr, char *out,
		       size_t size)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&ifr->ifr_addr;
	const unsigned char *hw = (const unsigned char *)ifr->ifr_hwaddr.sa_data;

	switch (req) {
	case SIOCGIFFLAGS:
		snprintf(out, size, "%#x", (unsigned short)ifr->ifr_flags);
		break;
	case SIOCGIFADDR:
	case SIOCGIFDSTADDR:
	case SIOCGIFNETMASK:
	case SIOCGIFBRDADDR:
		ck_assert_int_eq(sin->sin_family, AF_INET);
		inet_ntop(AF_INET, &sin->sin_addr, out, (socklen_t)size);
		break;
	case SIOCGIFINDEX:
		snprintf(out, size, "%d", ifr->ifr_ifindex);
		break;
	case SIOCGIFNAME:
		snprintf(out, size, "%s", ifr->ifr_name);
		break;
	case SIOCGIFMTU:
		snprintf(out, size, "%d", ifr->ifr_mtu);
		break;
	case SIOCGIFTXQLEN:
		snprintf(out, size, "%d", ifr->ifr_qlen);
		break;
	case SIOCGIFMETRIC:
		snprintf(out, size, "%d", ifr->ifr_metric);
		break;
	case SIOCGIFHWADDR:
		snprintf(out, size, "%d %02x:%02x:%02x:%02x:%02x:%02x",
			 ifr->ifr_hwaddr.sa_family, hw[0], hw[1], hw[2], hw[3],
			 hw[4], hw[5]);
		break;
	default:
		snprintf(out, size, "%lu", ifr->ifr_map.mem_start +
			 ifr->ifr_map.mem_end + ifr->ifr_map.base_addr);
	}
}

START_TEST(ifreq)
{
	struct net_conf c = view(ifreqs[_i].mode);
	struct ifreq ifr;
	char text[64];

	memset(&ifr, 0xa5, sizeof(ifr));
	if (ifreqs[_i].req == SIOCGIFNAME)
		ifr.ifr_ifindex = atoi(ifreqs[_i].name);
	else
		snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifreqs[_i].name);
	ck_assert_int_eq(nl_ifreq(&c, ifreqs[_i].req, ifreqs[_i].inet, &ifr),
			 ifreqs[_i].err);
	if (ifreqs[_i].err)
		return;
	ifreq_text(ifreqs[_i].req, &ifr, text, sizeof(text));
	ck_assert_str_eq(text, ifreqs[_i].want);
	if (ifreqs[_i].req != SIOCGIFNAME)	/* the name is left as given */
		ck_assert_str_eq(ifr.ifr_name, ifreqs[_i].name);
}
END_TEST

START_TEST(ifconf)
{
	struct net_conf nat = view(NET_NAT), none = view(NET_NONE);
	struct ifreq r[4];
	char ip[INET_ADDRSTRLEN];

	ck_assert_int_eq(nl_ifconf(&none, r, 4), 1);
	ck_assert_str_eq(r[0].ifr_name, "lo");
	ck_assert_int_eq(nl_ifconf(&nat, r, 0), 2);	/* counted, not filled */
	ck_assert_int_eq(nl_ifconf(&nat, r, 4), 2);
	ck_assert_str_eq(r[1].ifr_name, "eth0");
	ck_assert_int_eq(r[1].ifr_addr.sa_family, AF_INET);
	inet_ntop(AF_INET, &((struct sockaddr_in *)&r[1].ifr_addr)->sin_addr, ip, sizeof(ip));
	ck_assert_str_eq(ip, "10.0.2.15");
}
END_TEST

Suite *suite_netlink(void)
{
	Suite *s = suite_create("netlink");
	TCase *tc = tcase_create("rtnetlink");
	TCase *io = tcase_create("ioctl");

	tcase_add_loop_test(tc, link_dump, 0, sizeof(link_dumps) / sizeof(link_dumps[0]));
	tcase_add_loop_test(tc, link_get, 0, sizeof(link_gets) / sizeof(link_gets[0]));
	tcase_add_loop_test(tc, addr_dump, 0, sizeof(addr_dumps) / sizeof(addr_dumps[0]));
	tcase_add_loop_test(tc, route_dump, 0, sizeof(route_dumps) / sizeof(route_dumps[0]));
	tcase_add_test(tc, route_dump_all);
	tcase_add_loop_test(tc, route_get, 0, sizeof(route_gets) / sizeof(route_gets[0]));
	tcase_add_test(tc, rule_dump);
	tcase_add_loop_test(tc, errors, 0, sizeof(errs) / sizeof(errs[0]));
	tcase_add_test(tc, not_a_request);
	tcase_add_test(tc, emit_fails);
	suite_add_tcase(s, tc);
	tcase_add_loop_test(io, ifreq, 0, sizeof(ifreqs) / sizeof(ifreqs[0]));
	tcase_add_test(io, ifconf);
	suite_add_tcase(s, io);
	return s;
}
