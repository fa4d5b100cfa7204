// SPDX-License-Identifier: GPL-2.0-or-later
/* net.c - the net module: a network of the view's own
 *
 * DOC: Theory of Operation
 *
 * "--net none" gives the view a loopback of its own and nothing else;
 * "--net nat" adds an interface (10.0.2.15/24, as QEMU's user network)
 * whose traffic leaves through the host: the gateway 10.0.2.2 is the
 * host's own loopback, 10.0.2.3 forwards DNS to the host's resolver, and
 * any other address is reached from the host's sockets.  "-p" publishes
 * a port of the view on the host.  "--net vde:URL" puts the interface on
 * a virtual LAN instead, through facet-netstack (net_lan.c).  No root,
 * tap device or namespace.
 *
 * The kernel carries the data (design principle 2): a guest's TCP or UDP
 * socket is the real host socket socket(2) made, so read, write, poll,
 * epoll, sendfile and splice run natively and at native speed.  What is
 * trapped is what names an address: bind, listen, connect, accept,
 * getsockname, getpeername, the send and receive calls of datagram
 * sockets, and those of stream sockets only when they carry an address
 * (sendto/recvfrom with one, which the filter tells: facet_trap_if()).
 * net_addr.c translates the names and keeps the view's port space;
 * net_sock.c and net_conn.c make the calls; net_dgram.c moves datagrams.
 *
 * Netlink route sockets (getifaddrs, "ip addr") are emulated in
 * net_netlink.c (the answers: net_rtnl.c), the interface ioctls in
 * net_ioctl.c, and the files of /proc/net that list interfaces and routes
 * are made in net_proc.c, so the view shows its own interfaces.  Raw and
 * packet sockets, and the families that would reach past the view (vsock,
 * other netlink protocols), are refused.
 *
 * One network serves every process of the run.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net_internal.h"

/* LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP (Linux 6.7;
 * Debian 12's headers predate them) */
#define NET_FENCE_TCP	3ull

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static const struct facet_option net_options[] = {
	{ "net", "MODE", "network of the view: host (default), none, nat, vde:URL", 0 },
	{ "publish", "[HOSTIP:]HOSTPORT:PORT[/udp]",
	  "with --net nat: host's HOSTIP:HOSTPORT reaches the view's PORT", 'p' },
	{ "ip", "ADDR[/PREFIX]", "the view's address (10.0.2.15/24, fd00::15/64)", 0 },
	{ "gateway", "ADDR", "the gateway, the host's loopback (10.0.2.2, fd00::2)", 0 },
	{ "dns", "ADDR", "the DNS forwarder's address (10.0.2.3, fd00::3)", 0 },
	{ "dns-forward", "ADDR[:PORT]",
	  "resolver the DNS forwarder asks (the host's first nameserver)", 0 },
	{ "pcap", "FILE", "with --net vde: write the view's frames to FILE", 0 },
	{ "mtu", "N", "the MTU of the view's interface (1500; 576-9000 on a LAN)", 0 },
	{ NULL, NULL, NULL, 0 },
};

/**
 * net_conf_defaults() - QEMU's user network, and a ULA prefix for IPv6
 * @c:	filled in
 */
void net_conf_defaults(struct net_conf *c)
{
	static const unsigned char mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

	c->mode = NET_HOST;
	snprintf(c->ifname, sizeof(c->ifname), "eth0");
	memcpy(c->mac, mac, sizeof(mac));
	c->mtu = 1500;
	inet_pton(AF_INET, "10.0.2.15", &c->ip4);
	c->prefix4 = 24;
	inet_pton(AF_INET, "10.0.2.2", &c->gw4);
	inet_pton(AF_INET, "10.0.2.3", &c->dns4);
	inet_pton(AF_INET6, "fd00::15", &c->ip6);
	c->prefix6 = 64;
	inet_pton(AF_INET6, "fd00::2", &c->gw6);
	inet_pton(AF_INET6, "fd00::3", &c->dns6);
	c->gw = c->gw6_on = true;
}

/**
 * parse_port() - a port number, 1-65535
 * @s:		text
 * @out:	the port
 * Return: 0 or -EINVAL
 */
static int parse_port(const char *s, uint16_t *out)
{
	char *end;
	long v;

	if (!*s)
		return -EINVAL;
	v = strtol(s, &end, 10);
	if (*end || v < 1 || v > 65535)
		return -EINVAL;
	*out = (uint16_t)v;
	return 0;
}

/**
 * parse_hostport() - "ADDR", "ADDR:PORT" or "[V6]:PORT" into @out
 * @s:		text
 * @port:	the port when none is given (network order)
 * @out:	the address
 * @len:	its length
 * Return: 0 or -EINVAL
 */
static int parse_hostport(const char *s, uint16_t port,
			  struct sockaddr_storage *out, socklen_t *len)
{
	struct sockaddr_in *in = (void *)out;
	struct sockaddr_in6 *in6 = (void *)out;
	char buf[INET6_ADDRSTRLEN + 8], *colon;
	uint16_t p;

	memset(out, 0, sizeof(*out));
	snprintf(buf, sizeof(buf), "%s", s);
	if (buf[0] == '[') {
		if (!(colon = strchr(buf, ']')))
			return -EINVAL;
		*colon++ = 0;
		memmove(buf, buf + 1, strlen(buf));
		if (*colon && (*colon != ':' || parse_port(colon + 1, &p) < 0))
			return -EINVAL;
		if (*colon)
			port = htons(p);
	} else if ((colon = strchr(buf, ':')) && !strchr(colon + 1, ':')) {
		*colon = 0;
		if (parse_port(colon + 1, &p) < 0)
			return -EINVAL;
		port = htons(p);
	}
	if (inet_pton(AF_INET, buf, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = port;
		*len = sizeof(*in);
		return 0;
	}
	if (inet_pton(AF_INET6, buf, &in6->sin6_addr) != 1)
		return -EINVAL;
	in6->sin6_family = AF_INET6;
	in6->sin6_port = port;
	*len = sizeof(*in6);
	return 0;
}

/**
 * publish_dup() - does @p take a host port or publish a view port that an
 *		   earlier -p does?
 * @f:		supervisor context, for the message
 * @n:		module state
 * @p:		the new option
 * Return: true (message printed) if so
 */
static bool publish_dup(struct facet *f, const struct net *n,
			const struct net_publish *p)
{
	const struct net_publish *q;
	uint16_t hp = ntohs(((const struct sockaddr_in *)&p->host)->sin_port);

	for (q = n->publish; q; q = q->next) {
		if (q->proto != p->proto)
			continue;
		if (q->gport == p->gport) {
			facet_error(f, "-p: port %u of the view is published twice", p->gport);
			return true;
		}
		if (hp == ntohs(((const struct sockaddr_in *)&q->host)->sin_port)) {
			facet_error(f, "-p: host port %u is published twice", hp);
			return true;
		}
	}
	return false;
}

/**
 * parse_publish() - "[HOSTIP:]HOSTPORT:PORT[/udp|/tcp]"
 * @f:		supervisor context, for messages
 * @n:		module state; the option is added to n->publish
 * @value:	the text
 * Return: 0 or -EINVAL (message printed)
 */
static int parse_publish(struct facet *f, struct net *n, const char *value)
{
	char buf[128], *proto, *gport, *hport;
	struct net_publish *p = calloc(1, sizeof(*p));
	uint16_t hp;

	if (!p)
		return -ENOMEM;
	snprintf(buf, sizeof(buf), "%s", value);
	p->proto = IPPROTO_TCP;
	p->hold = -1;
	if ((proto = strchr(buf, '/'))) {
		*proto++ = 0;
		if (!strcmp(proto, "udp"))
			p->proto = IPPROTO_UDP;
		else if (strcmp(proto, "tcp"))
			goto bad;
	}
	if (!(gport = strrchr(buf, ':')) || parse_port(gport + 1, &p->gport) < 0)
		goto bad;
	*gport = 0;
	hport = strrchr(buf, ':');
	if (hport && hport > buf && hport[-1] != ':' && (hport[-1] != ']' || buf[0] == '[')) {
		*hport = 0;
		if (parse_port(hport + 1, &hp) < 0 ||
		    parse_hostport(buf, htons(hp), &p->host, &p->hlen) < 0)
			goto bad;
	} else if (parse_port(buf, &hp) < 0 ||
		   parse_hostport("127.0.0.1", htons(hp), &p->host, &p->hlen) < 0) {
		goto bad;
	}
	if (publish_dup(f, n, p)) {
		free(p);
		return -EINVAL;
	}
	p->next = n->publish;
	n->publish = p;
	return 0;
bad:
	free(p);
	facet_error(f, "-p %s: expected [HOSTIP:]HOSTPORT:PORT[/udp]", value);
	return -EINVAL;
}

/**
 * parse_ip() - --ip ADDR[/PREFIX], IPv4 or IPv6
 * @c:		the view's network
 * @value:	the text
 * Return: 0 or -EINVAL
 */
static int parse_ip(struct net_conf *c, const char *value)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	long prefix = -1;
	bool v6 = strchr(value, ':') != NULL;

	snprintf(buf, sizeof(buf), "%s", value);
	if ((slash = strchr(buf, '/'))) {
		*slash = 0;
		prefix = strtol(slash + 1, &end, 10);
		if (*end || !slash[1] || prefix < 1 || prefix > (v6 ? 127 : 30))
			return -EINVAL;
	}
	if (v6) {
		if (inet_pton(AF_INET6, buf, &c->ip6) != 1)
			return -EINVAL;
		c->prefix6 = prefix < 0 ? 64 : (unsigned int)prefix;
		return 0;
	}
	if (inet_pton(AF_INET, buf, &c->ip4) != 1)
		return -EINVAL;
	c->prefix4 = prefix < 0 ? 24 : (unsigned int)prefix;
	return 0;
}

/**
 * parse_addr() - --gateway or --dns: an IPv4 or IPv6 address
 * @v4:		set if IPv4
 * @v6:		set if IPv6
 * @value:	the text
 * Return: 0 or -EINVAL
 */
static int parse_addr(struct in_addr *v4, struct in6_addr *v6, const char *value)
{
	if (inet_pton(AF_INET, value, v4) == 1 || inet_pton(AF_INET6, value, v6) == 1)
		return 0;
	return -EINVAL;
}

/**
 * net_mode() - --net MODE
 * @f:		supervisor context
 * @n:		module state
 * @value:	the mode
 * Return: 0 or -EINVAL (message printed)
 */
static int net_mode(struct facet *f, struct net *n, const char *value)
{
	if (!strcmp(value, "host"))
		n->conf.mode = NET_HOST;
	else if (!strcmp(value, "none"))
		n->conf.mode = NET_NONE;
	else if (!strcmp(value, "nat") || !strcmp(value, "user"))
		n->conf.mode = NET_NAT;
	else if (!strncmp(value, "vde:", 4) && value[4]) {
		n->conf.mode = NET_VDE;
		free(n->lan.url);
		if (!(n->lan.url = strdup(value + 4)))
			return -ENOMEM;
	} else
		facet_error(f, "--net %s: expected host, none, nat or vde:URL", value);
	return !strcmp(value, "host") || n->conf.mode != NET_HOST ? 0 : -EINVAL;
}

/**
 * net_option() - one of the module's options
 * @f:		supervisor context
 * @state:	module state, made on the first option
 * @name:	option name
 * @value:	its argument
 * Return: 0 or -errno (message printed)
 */
static int net_option(struct facet *f, void **state, const char *name,
		      const char *value)
{
	struct net *n = *state;
	int r = 0;

	if (!name || !value)
		return -EINVAL;
	if (!n) {
		if (!(n = *state = calloc(1, sizeof(*n))))
			return -ENOMEM;
		n->f = f;
		n->lan.ctl = -1;
		net_conf_defaults(&n->conf);
	}
	if (!strcmp(name, "net"))
		return net_mode(f, n, value);
	if (!strcmp(name, "publish"))
		return parse_publish(f, n, value);
	if (!strcmp(name, "pcap")) {
		free(n->lan.pcap);
		return (n->lan.pcap = strdup(value)) ? 0 : -ENOMEM;
	}
	if (!strcmp(name, "mtu")) {
		char *end;
		long v = strtol(value, &end, 10);

		if (*end || !*value || v < 576 || v > 9000) {
			facet_error(f, "--mtu %s: expected 576 to 9000", value);
			return -EINVAL;
		}
		n->conf.mtu = (unsigned int)v;
		return 0;
	}
	if (!strcmp(name, "ip")) {
		r = parse_ip(&n->conf, value);
		n->ip6_set |= r == 0 && strchr(value, ':');
	} else if (!strcmp(name, "gateway")) {
		r = parse_addr(&n->conf.gw4, &n->conf.gw6, value);
		n->gw_set |= r == 0 && !strchr(value, ':');
		n->gw6_set |= r == 0 && strchr(value, ':');
	}
	else if (!strcmp(name, "dns")) {
		r = parse_addr(&n->conf.dns4, &n->conf.dns6, value);
		n->dns_set |= r == 0 && !strchr(value, ':');
	}
	else if (!strcmp(name, "dns-forward"))
		r = parse_hostport(value, htons(53), &n->dns_up, &n->dns_uplen);
	else
		return -EINVAL;
	if (r < 0)
		facet_error(f, "--%s %s: not a valid address", name, value);
	return r;
}

/**
 * net_upstream() - the host's first nameserver, for the DNS forwarder
 * @n:	module state; n->dns_up unless --dns-forward gave one
 */
static void net_upstream(struct net *n)
{
	char line[512], addr[INET6_ADDRSTRLEN + 1];
	FILE *in;

	if (n->dns_uplen || !(in = fopen("/etc/resolv.conf", "re")))
		return;
	while (fgets(line, sizeof(line), in))
		if (sscanf(line, " nameserver %46s", addr) == 1 &&
		    parse_hostport(addr, htons(53), &n->dns_up, &n->dns_uplen) == 0)
			break;
	fclose(in);
}

/**
 * net_resolv() - the view's /etc/resolv.conf under NAT: the forwarder,
 *		  and the host's search and options lines
 * @f:		supervisor context
 * @n:		module state
 * Return: 0 or -errno
 */
static int net_resolv(struct facet *f, struct net *n)
{
	char text[4096], line[512], a4[INET_ADDRSTRLEN];
	size_t len;
	FILE *in;

	inet_ntop(AF_INET, &n->conf.dns4, a4, sizeof(a4));
	if (n->conf.mode == NET_VDE)	/* a server on the LAN, if --dns */
		len = (size_t)snprintf(text, sizeof(text), "# facet --net vde: --dns\n%s%s\n",
				       n->dns_set ? "nameserver " : "# no nameserver",
				       n->dns_set ? a4 : "");
	else
		len = (size_t)snprintf(text, sizeof(text), "# the DNS forwarder of facet --net nat\n"
				       "nameserver %s\n", a4);
	if ((in = fopen("/etc/resolv.conf", "re"))) {
		while (fgets(line, sizeof(line), in) && len < sizeof(text) - sizeof(line))
			if (!strncmp(line, "search", 6) || !strncmp(line, "domain", 6) ||
			    !strncmp(line, "options", 7))
				len += (size_t)snprintf(text + len, sizeof(text) - len, "%s", line);
		fclose(in);
	}
	return facet_module_option(f, "files", "resolv-conf", text);
}

/**
 * net_hold() - bind every published host address now, so a port in use
 *		fails at start; each is let go when the view binds its port
 * @f:		supervisor context
 * @n:		module state
 * Return: 0 or -errno (message printed)
 */
static int net_hold(struct facet *f, struct net *n)
{
	struct net_publish *p;
	char a[INET6_ADDRSTRLEN];
	int one = 1;

	for (p = n->publish; p; p = p->next) {
		p->hold = socket(p->host.ss_family, (p->proto == IPPROTO_TCP ? SOCK_STREAM
								 : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
		if (p->hold >= 0 && p->proto == IPPROTO_TCP)
			setsockopt(p->hold, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (p->hold >= 0 && !bind(p->hold, (struct sockaddr *)&p->host, p->hlen))
			continue;
		inet_ntop(p->host.ss_family, p->host.ss_family == AF_INET
			  ? (void *)&((struct sockaddr_in *)&p->host)->sin_addr
			  : (void *)&((struct sockaddr_in6 *)&p->host)->sin6_addr, a, sizeof(a));
		facet_error(f, "-p: cannot take %s port %u on the host: %s", a,
			    ntohs(((struct sockaddr_in *)&p->host)->sin_port), strerror(errno));
		return -errno;
	}
	return 0;
}

/**
 * net_vde_conf() - a LAN's defaults: the MAC address facet-netstack makes
 *		    from the IPv4 address (02:fa:a:b:c:d), and, unless --ip gave
 *		    one, an IPv6 address made from it too (fd00::a:b:c:d),
 *		    so that views on one switch differ; a gateway only if
 *		    --gateway names one
 * @n:		module state
 */
static void net_vde_conf(struct net *n)
{
	struct net_conf *c = &n->conf;

	c->gw = n->gw_set;
	c->gw6_on = n->gw6_set;
	c->mac[0] = 0x02;
	c->mac[1] = 0xfa;
	memcpy(c->mac + 2, &c->ip4, 4);
	if (!n->ip6_set) {
		inet_pton(AF_INET6, "fd00::", &c->ip6);
		memcpy(c->ip6.s6_addr + 12, &c->ip4, 4);
		c->prefix6 = 64;
	}
}

/**
 * net_trap_socket() - trap the socket() calls the view may refuse: families
 *		       from AF_NETLINK (16) up, raw, packet and sequenced
 *		       types, SCTP.  Plain TCP and UDP sockets (and AF_UNIX)
 *		       are made without a round trip.  The kernel reads these
 *		       arguments as ints: compares on the low 32 bits, or
 *		       (AF_NETLINK and up) ones that any higher bits only
 *		       make true.
 * @f:	supervisor context
 * Return: 0 or -errno
 */
static int net_trap_socket(struct facet *f)
{
	static const int types[] = { SOCK_RAW, SOCK_RDM, SOCK_SEQPACKET, SOCK_PACKET };
	size_t i;
	int r = facet_trap_if(f, __NR_socket, 0, FACET_CMP_GE, ~0ull, AF_NETLINK);

	for (i = 0; i < sizeof(types) / sizeof(types[0]) && !r; i++)
		r = facet_trap_if(f, __NR_socket, 1, FACET_CMP_EQ, 0xf, (uint64_t)types[i]);
	if (!r)
		r = facet_trap_if(f, __NR_socket, 2, FACET_CMP_EQ, 0xffffffff, IPPROTO_SCTP);
	return r;
}

/**
 * net_traps() - trap what names an address, and nothing that moves data
 * @f:	supervisor context
 * Return: 0 or -errno
 */
static int net_traps(struct facet *f)
{
	static const int whole[] = {
		__NR_bind, __NR_listen, __NR_connect, __NR_accept,
		__NR_accept4, __NR_getsockname, __NR_getpeername, __NR_sendmsg,
		__NR_recvmsg, __NR_sendmmsg, __NR_recvmmsg, __NR_getsockopt,
		__NR_shutdown,
	};
	size_t i;
	int r = 0;

	for (i = 0; i < sizeof(whole) / sizeof(whole[0]) && !r; i++)
		r = facet_trap(f, whole[i]);
	if (!r)		/* only with an address: send() and recv() stay out */
		r = facet_trap_if(f, __NR_sendto, 4, FACET_CMP_NE, ~0ull, 0);
	if (!r)
		r = facet_trap_if(f, __NR_recvfrom, 4, FACET_CMP_NE, ~0ull, 0);
	if (!r)		/* the socket ioctls, SIOC* (0x89xx) */
		r = facet_trap_if(f, __NR_ioctl, 1, FACET_CMP_EQ, 0xff00, 0x8900);
	if (!r)		/* netlink options of the emulated sockets */
		r = facet_trap_if(f, __NR_setsockopt, 1, FACET_CMP_EQ, 0xffffffff, SOL_NETLINK);
	return r ? r : net_trap_socket(f);
}

/**
 * net_fence() - a Landlock domain (ABI 4, Linux 6.7) in which a guest's own
 *		 TCP bind() and connect() fail with EACCES
 * @f:		supervisor context
 *
 * The view's network makes every bind and connect of a guest's TCP socket
 * itself, on its copy (net_sock.c, net_conn.c); one the kernel ran on the
 * guest's behalf would be a way past the view.  Landlock does not apply to
 * the supervisor.  Without it, or on an older kernel, there is no fence.
 */
static void net_fence(struct facet *f)
{
	struct { uint64_t fs, net, scoped; } ra = { 0, NET_FENCE_TCP, 0 };
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1 /* _VERSION */);
	int rs;

	if (abi < 4)
		return;
	if ((rs = (int)syscall(SYS_landlock_create_ruleset, &ra, sizeof(ra), 0)) < 0)
		return;
	if (facet_fence(f, rs) < 0)
		facet_verbose(f, "no Landlock fence for TCP");
}

/**
 * net_init() - check the options, hold published ports, trap
 * @f:		supervisor context
 * @state:	module state
 * Return: 0 or -errno (message printed)
 */
static int net_init(struct facet *f, void *state)
{
	struct net *n = state;
	int r;

	if (n->conf.mode == NET_HOST) {
		if (n->publish || n->dns_uplen || n->lan.pcap)
			facet_error(f, "-p, --ip, --gateway, --dns, --dns-forward and --pcap "
				    "need --net none, nat or vde:URL");
		return n->publish || n->dns_uplen || n->lan.pcap ? -EINVAL : 0;
	}
	if (n->publish && n->conf.mode != NET_NAT) {
		facet_error(f, "-p needs --net nat");
		return -EINVAL;
	}
	if (n->lan.pcap && n->conf.mode != NET_VDE) {
		/* under NAT the kernel carries the packets: facet never sees them */
		facet_error(f, "--pcap needs --net vde:URL (under --net nat, capture "
			    "on the host's interface instead)");
		return -EINVAL;
	}
	if (n->conf.mode == NET_VDE)
		net_vde_conf(n);
	if ((n->conf.gw && n->conf.ip4.s_addr == n->conf.gw4.s_addr) ||
	    (n->conf.mode == NET_NAT && n->conf.ip4.s_addr == n->conf.dns4.s_addr)) {
		facet_error(f, "the view's address cannot be its gateway's or DNS's");
		return -EINVAL;
	}
	if (n->conf.mode == NET_NAT)
		net_upstream(n);
	if ((r = net_hold(f, n)) < 0)
		return r;
	if (net_eth(&n->conf) && (r = net_resolv(f, n)) < 0 && r != -ENOENT)
		return r;
	if ((r = np_give(f, &n->conf)) < 0 && r != -ENOENT)	/* net_proc.c */
		return r;
	if (n->conf.mode == NET_VDE && (r = lan_start(n)) < 0)
		return r;
	net_fence(f);
	return net_traps(f);
}

/**
 * net_socket() - socket(domain, type, protocol): what the view allows
 * @n:		module state
 * @call:	the call
 * Return: outcome
 */
static enum facet_outcome net_socket(struct net *n, struct facet_call *call)
{
	int dom = (int)call->args[0], type = (int)call->args[1] & 0xf;
	int proto = (int)call->args[2];

	switch (dom) {
	case AF_UNIX:
	case AF_ALG:
		return FACET_PASS;
	case AF_INET:
	case AF_INET6:
		if (type != SOCK_STREAM && type != SOCK_DGRAM)
			return ns_done(call, type == SOCK_RAW ? -EPERM : -EPROTONOSUPPORT);
		/* SCTP associates on a send to an address: not in the view */
		if (proto == IPPROTO_SCTP)
			return ns_done(call, -EPROTONOSUPPORT);
		return FACET_PASS;
	case AF_NETLINK:
		if (proto == NETLINK_ROUTE)
			return nl_socket(n, call, (int)call->args[1]);
		if (proto == NETLINK_KOBJECT_UEVENT)
			return FACET_PASS;
		return ns_done(call, -EPROTONOSUPPORT);
	case AF_PACKET:
		return ns_done(call, -EPERM);
	default:
		return ns_done(call, -EAFNOSUPPORT);
	}
}

/**
 * net_on_socket() - a call on an IPv4/IPv6 socket
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * Return: outcome
 */
static enum facet_outcome net_on_socket(struct net *n, struct facet_call *call,
					struct nsock *s)
{
	switch (call->nr) {
	case __NR_bind:
		return ns_bind(n, call, s);
	case __NR_listen:
		return ns_listen(n, call, s);
	case __NR_connect:
		return ns_connect(n, call, s);
	case __NR_accept:
	case __NR_accept4:
		return ns_accept(n, call, s);
	case __NR_getsockname:
	case __NR_getpeername:
		return ns_getname(n, call, s);
	case __NR_sendto:
	case __NR_recvfrom:
	case __NR_sendmsg:
	case __NR_recvmsg:
	case __NR_sendmmsg:
	case __NR_recvmmsg:
		return ns_dgram(n, call, s);
	default:
		return FACET_PASS;	/* get/setsockopt: the real socket's */
	}
}

/**
 * net_syscall() - a trapped call
 * @state:	module state
 * @call:	the call
 * Return: outcome
 */
static enum facet_outcome net_syscall(void *state, struct facet_call *call)
{
	struct net *n = state;
	enum facet_outcome o = FACET_PASS;
	struct nl_sock *nl;
	struct nsock s;
	int r;

	if (n->conf.mode == NET_VDE)
		lan_watch(n);
	if (call->nr == __NR_socket)
		return net_socket(n, call);
	if (call->nr == __NR_ioctl)
		return nl_ioctl(n, call);
	if ((call->nr == __NR_sendto || call->nr == __NR_recvfrom) && !call->args[4])
		return FACET_PASS;	/* no address: trapped for another */
	r = ns_get(n, call, (int)call->args[0], &s);
	if (r < 0)
		return FACET_PASS;	/* the kernel tells EBADF, ENOTSOCK */
	if (r == 0)
		o = net_on_socket(n, call, &s);
	else if (s.fd >= 0 && (nl = nl_find(n, s.fd)))
		o = nl_call(n, call, nl, s.fd);
	ns_put(&s);
	return o;
}

/**
 * net_fini() - free everything
 * @state:	module state
 */
static void net_fini(void *state)
{
	struct net *n = state;
	struct net_publish *p;
	struct net_port *q;
	struct net_sockrec *r;
	unsigned int i;

	if (!n)
		return;
	while ((p = n->publish)) {
		n->publish = p->next;
		if (p->hold >= 0)
			close(p->hold);
		free(p);
	}
	while ((q = n->ports)) {
		n->ports = q->next;
		free(q);
	}
	for (i = 0; i < NET_RECS_HASH; i++)
		while ((r = n->recs[i])) {
			n->recs[i] = r->next;
			free(r);
		}
	nl_free_all(n);
	lan_stop(n);
	for (i = 0; i < 2; i++) {
		if (n->sink[i] > 0)
			close(n->sink[i]);
		if (n->tcp_sink[i] > 0)
			close(n->tcp_sink[i]);
	}
	free(n);
}

const struct facet_module net_module = {
	.abi = FACET_MODULE_ABI,
	.size = sizeof(struct facet_module),
	.name = "net",
	.summary = "a network of the view's own: --net none, nat, vde:URL, -p",
	.options = net_options,
	.option = net_option,
	.init = net_init,
	.fini = net_fini,
	.syscall = net_syscall,
};
