// SPDX-License-Identifier: GPL-2.0-or-later
/* net_proc.c - the view's /proc/net files: ifconfig, route, netstat -i,
 *		ip maddr and the like read the view's interfaces there
 *
 * DOC: Theory of Operation
 *
 * net-tools and others do not ask rtnetlink: they read /proc/net/dev,
 * if_inet6, route, ipv6_route, ... which the kernel writes from the
 * network namespace of the process, the host's.  Each file that lists
 * interfaces, addresses, routes or memberships is written here instead,
 * from the same tables of the view as the rtnetlink responder
 * (nl_view_ifs(), nl_view_addrs(), nl_view_routes() in net_rtnl.c), in
 * the kernel's format (its seq_printf() strings, compared with a real
 * namespace holding lo and an eth0 set up as struct net_conf says).
 *
 * The view's traffic is the host's sockets', so its counters are zero; and
 * it has no neighbours yet (the ARP table is empty).  The text is made
 * once, at start, and np_give() hands each file to the files module
 * (option "proc-net", "NAME\nTEXT"), which answers an open of
 * /proc/net/NAME, /proc/PID/net/NAME and the like with a sealed copy.
 * The socket tables (tcp, udp, unix...) are not among these files.
 */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "net_internal.h"

/* From the kernel's include/uapi/linux/route.h and ipv6_route.h */
#define NP_RTF_UP		0x0001
#define NP_RTF_GATEWAY		0x0002
#define NP_RTF_HOST		0x0004
#define NP_RTF_REJECT		0x0200
#define NP_RTF_NONEXTHOP	0x00200000
#define NP_RTF_LOCAL		0x80000000u

/* ipv6_addr_scope() values, as /proc/net/if_inet6 shows them */
#define NP_IFA_HOST		0x10
#define NP_IFA_LINK		0x20

#define NP_IFA_F_PERMANENT	0x80

/**
 * struct np_out - a file being written
 * @p:		the buffer
 * @size:	its room
 * @len:	bytes written (kept below @size: NUL-terminated)
 * @over:	it did not fit
 */
struct np_out {
	char *p;
	size_t size;
	size_t len;
	bool over;
};

/**
 * np_printf() - append to the file
 * @o:		the file
 * @fmt:	format, as the kernel's seq_printf()
 */
__attribute__((format(printf, 2, 3)))
static void np_printf(struct np_out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->over)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->p + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->size - o->len) {
		o->over = true;
		o->p[o->len] = 0;
		return;
	}
	o->len += (size_t)n;
}

/**
 * np_pad() - end a line padded with spaces to @width (seq_pad())
 * @o:		the file
 * @start:	where the line began
 * @width:	its width before the newline
 */
static void np_pad(struct np_out *o, size_t start, size_t width)
{
	size_t used = o->len - start;

	np_printf(o, "%*s\n", used < width ? (int)(width - used) : 0, "");
}

/**
 * np_hex() - bytes as lowercase hex with no separator (%pi6, %*phN)
 * @out:	filled, 2 * @len + 1 bytes
 * @a:		the bytes
 * @len:	how many
 * Return: @out
 */
static char *np_hex(char *out, const unsigned char *a, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", a[i]);
	out[2 * len] = 0;
	return out;
}

/**
 * np_raw4() - an IPv4 address (network order) as the kernel's %08X of a
 *	       __be32 prints it: its bytes read as a native integer
 * @a:		the 4 bytes
 * Return: the value
 */
static uint32_t np_raw4(const void *a)
{
	uint32_t v;

	memcpy(&v, a, 4);
	return v;
}

/**
 * np_if_name() - the name of a view interface
 * @c:		the view
 * @index:	its index
 * Return: the name ("" for none)
 */
static const char *np_if_name(const struct net_conf *c, int index)
{
	return index == NET_IF_LO ? "lo" : index == NET_IF_ETH ? c->ifname : "";
}

/**
 * np_dev() - /proc/net/dev (dev_seq_show()): the counters, all zero
 * @c:		the view
 * @o:		the file
 */
static void np_dev(const struct net_conf *c, struct np_out *o)
{
	struct nl_if ifs[NL_IFS_MAX];
	int i, n = nl_view_ifs(c, ifs);

	np_printf(o, "Inter-|   Receive                                                |  Transmit\n"
		  " face |bytes    packets errs drop fifo frame compressed multicast|"
		  "bytes    packets errs drop fifo colls carrier compressed\n");
	for (i = 0; i < n; i++)
		np_printf(o, "%6s: %7d %7d %4d %4d %4d %5d %10d %9d "
			  "%8d %7d %4d %4d %4d %5d %7d %10d\n", ifs[i].name,
			  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

/**
 * np_if_inet6() - /proc/net/if_inet6 (if6_seq_show()): the IPv6 addresses
 * @c:		the view
 * @o:		the file
 *
 * The kernel lists them in the order of a hash keyed per namespace, which
 * no two namespaces share; here, lo's first.
 */
static void np_if_inet6(const struct net_conf *c, struct np_out *o)
{
	struct nl_ifaddr a[NL_ADDRS_MAX];
	int i, n = nl_view_addrs(c, a), scope;
	char hex[33];

	for (i = 0; i < n; i++) {
		if (a[i].family != AF_INET6)
			continue;
		scope = a[i].scope == RT_SCOPE_HOST ? NP_IFA_HOST :
			a[i].scope == RT_SCOPE_LINK ? NP_IFA_LINK : 0;
		np_printf(o, "%s %02x %02x %02x %02x %8s\n", np_hex(hex, a[i].addr, 16),
			  a[i].index, a[i].prefix, scope, NP_IFA_F_PERMANENT,
			  np_if_name(c, a[i].index));
	}
}

/**
 * np_route() - /proc/net/route (fib_route_seq_show()): the unicast routes
 *		of the main table, each line padded to 127 characters
 * @c:		the view
 * @o:		the file
 */
static void np_route(const struct net_conf *c, struct np_out *o)
{
	struct nl_route r[NL_ROUTES_MAX];
	int i, n = nl_view_routes(c, r);
	uint32_t mask, flags;
	size_t start;

	np_printf(o, "%-127s\n", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\t"
		  "Metric\tMask\t\tMTU\tWindow\tIRTT");
	for (i = 0; i < n; i++) {
		if (r[i].family != AF_INET || r[i].table != RT_TABLE_MAIN ||
		    r[i].type == RTN_BROADCAST || r[i].type == RTN_MULTICAST)
			continue;
		mask = htonl(nl_mask4(r[i].dst_len));
		flags = NP_RTF_UP | (r[i].has_gw ? NP_RTF_GATEWAY : 0) |
			(r[i].dst_len == 32 ? NP_RTF_HOST : 0);
		start = o->len;
		np_printf(o, "%s\t%08X\t%08X\t%04X\t%d\t%u\t%d\t%08X\t%d\t%u\t%u",
			  np_if_name(c, r[i].oif), np_raw4(r[i].dst),
			  r[i].has_gw ? np_raw4(r[i].gw) : 0, flags, 0, 0,
			  (int)r[i].metric, mask, 0, 0, 0);
		np_pad(o, start, 127);
	}
}

/**
 * np_route6_line() - one line of /proc/net/ipv6_route
 * @o:		the file
 * @dst:	destination prefix
 * @len:	its length
 * @gw:		gateway, or NULL
 * @metric:	metric
 * @ref:	reference count
 * @flags:	RTF_*
 * @dev:	interface name
 */
static void np_route6_line(struct np_out *o, const unsigned char *dst, int len,
			   const unsigned char *gw, uint32_t metric,
			   unsigned int ref, uint32_t flags, const char *dev)
{
	static const unsigned char any[16];
	char d[33], g[33];

	/* the source prefix: "00..00 00" (no CONFIG_IPV6_SUBTREES routes) */
	np_printf(o, "%s %02x %032x %02x %s %08x %08x %08x %08x %8s\n",
		  np_hex(d, dst, 16), len, 0, 0, np_hex(g, gw ? gw : any, 16),
		  metric, ref, 0, flags, dev);
}

/**
 * np_route6_ref() - the reference count a fresh namespace shows for a route
 * @r:		the route
 * Return: the count
 *
 * The counts are the kernel's bookkeeping (cached routes of its own
 * sockets); these are what a namespace set up as the view shows.
 */
static unsigned int np_route6_ref(const struct nl_route *r)
{
	if (r->table == RT_TABLE_LOCAL)
		return r->type == RTN_MULTICAST ? 4 : 2;
	return r->dst[0] == 0xfe && r->dst_len == 64 ? 2 : 1;
}

/**
 * np_route6_table() - the routes of one table in ipv6_route, then the
 *		       entry at the root of its tree when no route is there:
 *		       the kernel's null entry (reject, through lo)
 * @c:		the view
 * @o:		the file
 * @r:		the routes
 * @n:		how many
 * @table:	RT_TABLE_MAIN or RT_TABLE_LOCAL
 */
static void np_route6_table(const struct net_conf *c, struct np_out *o,
			    const struct nl_route *r, int n, int table)
{
	static const unsigned char any[16];
	bool root = false;
	uint32_t flags;
	int i;

	for (i = 0; i < n; i++) {
		if (r[i].family != AF_INET6 || r[i].table != table)
			continue;
		root = root || !r[i].dst_len;
		flags = NP_RTF_UP | (r[i].has_gw ? NP_RTF_GATEWAY : 0) |
			(r[i].type == RTN_LOCAL ? NP_RTF_LOCAL | NP_RTF_NONEXTHOP : 0);
		np_route6_line(o, r[i].dst, r[i].dst_len, r[i].has_gw ? r[i].gw : NULL,
			       r[i].metric, np_route6_ref(&r[i]), flags,
			       np_if_name(c, r[i].oif));
	}
	if (!root)
		np_route6_line(o, any, 0, NULL, 0xffffffff, 1,
			       NP_RTF_REJECT | NP_RTF_NONEXTHOP, "lo");
}

/**
 * np_ipv6_route() - /proc/net/ipv6_route (ipv6_route_native_seq_show()):
 *		     every route, main table then local, in the kernel's
 *		     tree walk (a tree's root last)
 * @c:		the view
 * @o:		the file
 */
static void np_ipv6_route(const struct net_conf *c, struct np_out *o)
{
	struct nl_route r[NL_ROUTES_MAX];
	int n = nl_view_routes(c, r);

	np_route6_table(c, o, r, n, RT_TABLE_MAIN);
	np_route6_table(c, o, r, n, RT_TABLE_LOCAL);
}

/**
 * np_solicited() - the last 24 bits of an address, which name its
 *		    solicited-node multicast group (ff02::1:ffXX:XXXX)
 * @a:		the address
 * Return: them
 */
static uint32_t np_solicited(const unsigned char *a)
{
	return (uint32_t)a[13] << 16 | (uint32_t)a[14] << 8 | a[15];
}

/**
 * np_groups6() - the solicited-node groups of the NAT interface, newest
 *		  first as the kernel lists them: that of its address, then
 *		  of its link-local one (made when the interface came up);
 *		  one with two users if they are the same group
 * @c:		the view
 * @sol:	filled with the groups' last 24 bits
 * @users:	filled with their users
 * Return: how many (0 to 2)
 */
static int np_groups6(const struct net_conf *c, uint32_t sol[2],
		      unsigned int users[2])
{
	struct nl_ifaddr a[NL_ADDRS_MAX];
	int i, n = nl_view_addrs(c, a), k = 0;
	uint32_t s;

	for (i = 0; i < n && k < 2; i++) {
		if (a[i].family != AF_INET6 || a[i].index != NET_IF_ETH)
			continue;
		s = np_solicited(a[i].addr);
		if (k && sol[k - 1] == s) {
			users[k - 1]++;
			continue;
		}
		sol[k] = s;
		users[k++] = 1;
	}
	return k;
}

/**
 * np_dev_mcast() - /proc/net/dev_mcast (dev_mc_seq_show()): the link-layer
 *		    multicast addresses of the NAT interface (lo has none)
 * @c:		the view
 * @o:		the file
 *
 * IPv6 all-nodes, IPv4 all-hosts, then the solicited-node groups in the
 * order they were joined: the link-local address's first.  A group two
 * addresses share is one address of the device, listed once with one
 * reference (its users are counted in igmp6).
 */
static void np_dev_mcast(const struct net_conf *c, struct np_out *o)
{
	static const unsigned char fixed[2][6] = {
		{ 0x33, 0x33, 0, 0, 0, 1 }, { 0x01, 0x00, 0x5e, 0, 0, 1 } };
	unsigned char mac[6] = { 0x33, 0x33, 0xff };
	unsigned int users[2];
	uint32_t sol[2];
	char hex[13];
	int i, k;

	if (!net_eth(c))
		return;
	for (i = 0; i < 2; i++)
		np_printf(o, "%-4d %-15s %-5d %-5d %s\n", NET_IF_ETH, c->ifname, 1, 0,
			  np_hex(hex, fixed[i], 6));
	k = np_groups6(c, sol, users);
	for (i = k - 1; i >= 0; i--) {
		mac[3] = (unsigned char)(sol[i] >> 16);
		mac[4] = (unsigned char)(sol[i] >> 8);
		mac[5] = (unsigned char)sol[i];
		np_printf(o, "%-4d %-15s %-5d %-5d %s\n", NET_IF_ETH, c->ifname,
			  1, 0, np_hex(hex, mac, 6));
	}
}

/**
 * np_igmp() - /proc/net/igmp (igmp_mc_seq_show()): each interface is in
 *	       the all-hosts group 224.0.0.1, no timer running
 * @c:		the view
 * @o:		the file
 */
static void np_igmp(const struct net_conf *c, struct np_out *o)
{
	uint32_t all = htonl(0xe0000001);
	struct nl_if ifs[NL_IFS_MAX];
	int i, n = nl_view_ifs(c, ifs);

	np_printf(o, "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n");
	for (i = 0; i < n; i++) {
		np_printf(o, "%d\t%-10s: %5d %7s\n", ifs[i].index, ifs[i].name, 1, "V3");
		np_printf(o, "\t\t\t\t%08X %5d %d:%08lX\t\t%d\n", np_raw4(&all), 1, 0,
			  0ul, 0);
	}
}

/**
 * np_igmp6_line() - one line of /proc/net/igmp6
 * @o:		the file
 * @index:	interface index
 * @name:	its name
 * @group:	the group
 * @users:	its users
 * @flags:	MAF_* as a fresh namespace shows them
 */
static void np_igmp6_line(struct np_out *o, int index, const char *name,
			  const unsigned char *group, unsigned int users,
			  unsigned int flags)
{
	char hex[33];

	np_printf(o, "%-4d %-15s %s %5u %08X %ld\n", index, name,
		  np_hex(hex, group, 16), users, flags, 0l);
}

/**
 * np_igmp6() - /proc/net/igmp6 (igmp6_mc_seq_show()): each interface's
 *		groups, newest first: the solicited-node ones of the NAT
 *		interface, all-nodes ff02::1 and ff01::1
 * @c:		the view
 * @o:		the file
 */
static void np_igmp6(const struct net_conf *c, struct np_out *o)
{
	static const unsigned char link[16] = { 0xff, 0x02, [15] = 1 },
				   node[16] = { 0xff, 0x01, [15] = 1 };
	unsigned char sn[16] = { 0xff, 0x02, [11] = 1, [12] = 0xff };
	struct nl_if ifs[NL_IFS_MAX];
	int i, k, j, n = nl_view_ifs(c, ifs);
	unsigned int users[2];
	uint32_t sol[2];

	for (i = 0; i < n; i++) {
		k = ifs[i].index == NET_IF_ETH ? np_groups6(c, sol, users) : 0;
		for (j = 0; j < k; j++) {
			sn[13] = (unsigned char)(sol[j] >> 16);
			sn[14] = (unsigned char)(sol[j] >> 8);
			sn[15] = (unsigned char)sol[j];
			np_igmp6_line(o, ifs[i].index, ifs[i].name, sn, users[j], 0x04);
		}
		np_igmp6_line(o, ifs[i].index, ifs[i].name, link, 1, 0x0c);
		np_igmp6_line(o, ifs[i].index, ifs[i].name, node, 1, 0x08);
	}
}

/**
 * np_arp() - /proc/net/arp (arp_seq_show()): the view has no neighbours
 * @c:		the view
 * @o:		the file
 */
static void np_arp(const struct net_conf *c, struct np_out *o)
{
	(void)c;
	np_printf(o, "IP address       HW type     Flags       HW address"
		  "            Mask     Device\n");
}

/**
 * np_mcfilter() - /proc/net/mcfilter: no source filters, the header only
 * @c:		the view
 * @o:		the file
 */
static void np_mcfilter(const struct net_conf *c, struct np_out *o)
{
	(void)c;
	np_printf(o, "Idx Device        MCA        SRC    INC    EXC\n");
}

/**
 * np_mcfilter6() - /proc/net/mcfilter6: no source filters, the header only
 * @c:		the view
 * @o:		the file
 */
static void np_mcfilter6(const struct net_conf *c, struct np_out *o)
{
	(void)c;
	np_printf(o, "Idx Device                Multicast Address"
		  "                   Source Address    INC    EXC\n");
}

/**
 * np_empty() - a file that lists nothing in the view (anycast6: no
 *		anycast addresses, the view does not forward)
 * @c:		the view
 * @o:		the file
 */
static void np_empty(const struct net_conf *c, struct np_out *o)
{
	(void)c;
	(void)o;
}

/* The files, by name */
static const struct {
	const char *name;
	void (*write)(const struct net_conf *c, struct np_out *o);
} np_files[] = {
	{ "dev", np_dev },		{ "if_inet6", np_if_inet6 },
	{ "route", np_route },		{ "ipv6_route", np_ipv6_route },
	{ "dev_mcast", np_dev_mcast },	{ "arp", np_arp },
	{ "igmp", np_igmp },		{ "igmp6", np_igmp6 },
	{ "mcfilter", np_mcfilter },	{ "mcfilter6", np_mcfilter6 },
	{ "anycast6", np_empty },
};

#define NP_FILES	(sizeof(np_files) / sizeof(np_files[0]))

/**
 * np_name() - the name of a file the view writes (net_internal.h)
 * @i:		its number, from 0
 * Return: the name, or NULL past the last
 */
const char *np_name(unsigned int i)
{
	return i < NP_FILES ? np_files[i].name : NULL;
}

/**
 * np_text() - the text of one /proc/net file of the view (net_internal.h)
 * @c:		the view
 * @name:	the file's name in /proc/net ("dev")
 * @out:	filled, NUL-terminated
 * @size:	its room
 * Return: the text's length, -ENOENT (not a file the view writes), or
 *	   -ENOSPC (it does not fit)
 */
int np_text(const struct net_conf *c, const char *name, char *out, size_t size)
{
	struct np_out o = { .p = out, .size = size };
	size_t i;

	for (i = 0; i < NP_FILES && strcmp(np_files[i].name, name); i++)
		;
	if (i == NP_FILES)
		return -ENOENT;
	if (!size)
		return -ENOSPC;
	out[0] = 0;
	np_files[i].write(c, &o);
	return o.over ? -ENOSPC : (int)o.len;
}

/**
 * np_give() - give the files module the view's /proc/net files, as its
 *	       option "proc-net" ("NAME\nTEXT"), one per file (net_internal.h)
 * @f:		supervisor context
 * @c:		the view
 * Return: 0, -ENOENT (no files module), or -errno
 */
int np_give(struct facet *f, const struct net_conf *c)
{
	char buf[NP_TEXT_MAX];
	unsigned int i;
	int len, r;

	for (i = 0; np_name(i); i++) {
		len = snprintf(buf, sizeof(buf), "%s\n", np_name(i));
		r = np_text(c, np_name(i), buf + len, sizeof(buf) - (size_t)len);
		if (r < 0)
			return r;
		if ((r = facet_module_option(f, "files", "proc-net", buf)) < 0)
			return r;
	}
	return 0;
}
