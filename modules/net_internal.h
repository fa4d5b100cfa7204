/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net_internal.h - the net module's state, shared by modules/net*.c */
#ifndef NET_INTERNAL_H
#define NET_INTERNAL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include "facet_module.h"

/**
 * enum net_mode - what --net gave the view
 * @NET_HOST:	the host's network, nothing trapped (the default)
 * @NET_NONE:	a loopback of its own and nothing else
 * @NET_NAT:	its own loopback and an interface whose traffic leaves
 *		through the host's sockets (the gateway is the host's
 *		loopback, the DNS address the host's resolver)
 * @NET_VDE:	its own loopback and an interface on a virtual LAN (a VDE
 *		switch), through facet-netstack (net_lan.c)
 */
enum net_mode {
	NET_HOST = 0,
	NET_NONE,
	NET_NAT,
	NET_VDE,
};

/**
 * struct net_conf - the view's network, as its guests see it
 * @mode:	enum net_mode
 * @ifname:	the interface besides lo ("eth0"), NAT only
 * @mac:	its hardware address
 * @mtu:	its MTU
 * @ip4:	its IPv4 address (10.0.2.15)
 * @prefix4:	its prefix length (24)
 * @gw4:	the gateway (10.0.2.2): the host's loopback seen from the view
 * @dns4:	the DNS forwarder's address (10.0.2.3)
 * @ip6:	its IPv6 address (fd00::15)
 * @prefix6:	its prefix length (64)
 * @gw6:	the IPv6 gateway (fd00::2)
 * @dns6:	the IPv6 DNS forwarder (fd00::3)
 * @gw:		there is an IPv4 gateway (NAT: always; a LAN: if --gateway)
 * @gw6_on:	there is an IPv6 gateway (likewise)
 */
struct net_conf {
	enum net_mode mode;
	char ifname[16];
	unsigned char mac[6];
	unsigned int mtu;
	struct in_addr ip4;
	unsigned int prefix4;
	struct in_addr gw4;
	struct in_addr dns4;
	struct in6_addr ip6;
	unsigned int prefix6;
	struct in6_addr gw6;
	struct in6_addr dns6;
	bool gw;
	bool gw6_on;
};

/* Does the view have an interface besides lo (NAT or a LAN)? */
static inline bool net_eth(const struct net_conf *c)
{
	return c->mode == NET_NAT || c->mode == NET_VDE;
}

/* net.c: the defaults (NET_HOST; the addresses --net nat gives) */
void net_conf_defaults(struct net_conf *c);

/* Interface indexes the view shows: lo is 1, the NAT interface 2 */
#define NET_IF_LO	1
#define NET_IF_ETH	2

/*
 * The view's interfaces, addresses and routes (net_rtnl.c): built from
 * struct net_conf, read by the rtnetlink responder, the interface ioctls
 * (net_ioctl.c) and the /proc/net files (net_proc.c).
 */

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
#define NL_TXQLEN	1000	/* every interface's tx queue length */

/* The interfaces the view shows, lo first (NL_IFS_MAX entries); how many */
int nl_view_ifs(const struct net_conf *c, struct nl_if *ifs);
/* Its addresses, in the kernel's dump order (NL_ADDRS_MAX); how many */
int nl_view_addrs(const struct net_conf *c, struct nl_ifaddr *a);
/* Its routes, in the kernel's dump order (NL_ROUTES_MAX); how many */
int nl_view_routes(const struct net_conf *c, struct nl_route *r);
/* The IPv4 netmask of prefix length @prefix, host order */
uint32_t nl_mask4(unsigned int prefix);

/* The netlink emulation (net_netlink.c, answered by net_rtnl.c) */

/**
 * struct nl_sock - an AF_NETLINK NETLINK_ROUTE socket of a guest
 * @ino:	inode of the guest's end (the fd it holds): how calls on
 *		that fd are recognised
 * @peer:	the supervisor's end of the SOCK_SEQPACKET socketpair; replies
 *		are written here, one netlink message per datagram (EPOLLHUP
 *		on it: the guest closed its end, the socket is forgotten)
 * @portid:	the port id bind() gave it (0 until bound or autobound)
 * @groups:	multicast groups asked for in bind() (kept, never sent to)
 * @type:	SOCK_RAW or SOCK_DGRAM, as socket() asked (for SO_TYPE)
 * @opts:	SOL_NETLINK on/off options set: bit 1 << NETLINK_*
 * @dst_portid:	the port connect() gave (0: the kernel's)
 * @n:		the module state, for the peer's event callback
 * @next:	list
 */
struct nl_sock {
	ino_t ino;
	int peer;
	uint32_t portid;
	uint32_t groups;
	int type;
	uint32_t opts;
	uint32_t dst_portid;
	struct net *n;
	struct nl_sock *next;
};

struct net;

/*
 * nl_socket() - socket(AF_NETLINK, @type, NETLINK_ROUTE): give the guest
 * one end of an AF_UNIX SOCK_SEQPACKET socketpair, keep the other, and return
 * the outcome (FACET_REPLY with the fd installed, or an error).
 */
enum facet_outcome nl_socket(struct net *n, struct facet_call *call, int type);
/* The emulated socket the guest's fd @fd (the supervisor's copy) is, or NULL */
struct nl_sock *nl_find(struct net *n, int fd);
/* A socket call (bind, connect, getsockname, getpeername, sendto,
 * sendmsg, sendmmsg, recvfrom, recvmsg, recvmmsg, setsockopt,
 * getsockopt, shutdown, listen, accept) made on @s; @fd is the supervisor's
 * copy of the guest's end.  Answers as the kernel's NETLINK_ROUTE would for
 * an unprivileged user in a network namespace holding @n's interfaces. */
enum facet_outcome nl_call(struct net *n, struct facet_call *call,
			   struct nl_sock *s, int fd);
/* Build the answer to one request @req (its nlmsg_len checked by the
 * caller) for port @portid: each reply message is passed to @emit in turn
 * (dumps end with NLMSG_DONE; requests with NLM_F_ACK or errors give
 * NLMSG_ERROR).  Return: 0 or -errno (out of memory). */
int nl_answer(const struct net_conf *c, const void *req, size_t len,
	      uint32_t portid,
	      int (*emit)(void *arg, const void *msg, size_t len), void *arg);
/* ioctl(fd, SIOC*) (net_ioctl.c): the interface requests (SIOCGIFCONF, SIOCGIFFLAGS,
 * SIOCGIFADDR, SIOCGIFNETMASK, SIOCGIFBRDADDR, SIOCGIFINDEX, SIOCGIFNAME,
 * SIOCGIFMTU, SIOCGIFHWADDR, SIOCGIFTXQLEN, SIOCGIFDSTADDR) answered from
 * @n's interfaces; setting ones fail with EPERM; others go on to the
 * kernel (FACET_CONTINUE). */
enum facet_outcome nl_ioctl(struct net *n, struct facet_call *call);
/* Free every emulated socket */
void nl_free_all(struct net *n);
/* The pure parts of nl_ioctl(), for the unit tests: answer one SIOCGIF*
 * query @req in @ifr (@inet: asked on an AF_INET socket), 0 or -errno;
 * and fill the first @max SIOCGIFCONF entries, returning how many the
 * view has. */
struct ifreq;
int nl_ifreq(const struct net_conf *c, unsigned int req, bool inet,
	     struct ifreq *ifr);
int nl_ifconf(const struct net_conf *c, struct ifreq *out, int max);

/*
 * The port map (net_port.c): the view's own port space.  A guest socket is
 * a real host socket; the view's port numbers are mapped to host ports the
 * kernel picked, so that binding :80 needs no privilege and takes nothing
 * on the host, and two views never collide.
 */

/**
 * struct net_port - one bound view port
 * @proto:	its port space: IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE
 * @family:	AF_INET or AF_INET6 of the socket
 * @vaddr:	the view address it is bound to (AF_INET6 form; v4 as
 *		::ffff:a.b.c.d; all zero for a wildcard)
 * @vport:	its view port
 * @hport:	the host port of its host socket
 * @ino:	the host socket's inode, to tell whether it still exists
 * @published:	bound on the host at a published address (-p): reached by
 *		anyone the host lets in
 * @reuseport:	it was bound with SO_REUSEPORT
 * @dual:	an AF_INET6 socket that takes IPv4 too (IPV6_V6ONLY off)
 * @next:	list
 */
struct net_port {
	int proto;
	int family;
	struct in6_addr vaddr;
	uint16_t vport;
	uint16_t hport;
	ino_t ino;
	bool published;
	bool reuseport;
	bool dual;
	struct net_port *next;
};

/**
 * struct net_publish - one -p [HOSTIP:]HOSTPORT:GUESTPORT[/udp]
 * @proto:	IPPROTO_TCP or IPPROTO_UDP
 * @host:	the host address (AF_INET or AF_INET6)
 * @hlen:	its length
 * @gport:	the guest port
 * @hold:	a socket bound to @host, holding it from start until the
 *		guest binds @gport (closed then), or -1
 * @next:	list
 */
struct net_publish {
	int proto;
	struct sockaddr_storage host;
	socklen_t hlen;
	uint16_t gport;
	int hold;
	struct net_publish *next;
};

/**
 * struct net_sockrec - what the module knows of one guest socket, keyed by
 *			inode: what the view shows as its local and peer
 *			addresses where the host's do not tell
 * @ino:	inode of the host socket
 * @local:	the view address it is bound or connected from (family 0:
 *		derive from the host's)
 * @peer:	the view address it is connected to (family 0: derive)
 * @dns:	it sent to the view's DNS address: replies from the upstream
 *		resolver show as from there
 * @dns6:	that address was the IPv6 one
 * @own:	it sent to the view's own address, not to its loopback: its
 *		datagrams come from there
 * @lan:	it is connected to @peer on the LAN, through the netstack
 * @next:	hash chain
 */
struct net_sockrec {
	ino_t ino;
	struct sockaddr_in6 local;
	struct sockaddr_in6 peer;
	bool dns;
	bool dns6;
	bool own;
	bool lan;
	struct net_sockrec *next;
};

#define NET_RECS_HASH 1024
#define NET_KINDS 256

/**
 * struct net_kindc - what a socket is, kept by inode (inodes of sockets
 *		      are not reused while the counter does not wrap)
 */
struct net_kindc {
	ino_t ino;
	int family;
	int type;
	int proto;
};
#define NET_CLIENTS_MAX 4096

/**
 * struct lan_peer - what a port of the netstack on the host's loopback
 *		     stands for (NS_PEER)
 * @addr:	the LAN peer's address
 * @aport:	its port
 * @vport:	the view port it talks with
 * @set:	the entry is in use
 */
struct lan_peer {
	struct in6_addr addr;
	uint16_t aport;
	uint16_t vport;
	bool set;
};

struct lan_wait;

/**
 * struct net_lan - the view's virtual LAN (net_lan.c)
 * @url:	the switch (--net vde:URL)
 * @pcap:	--pcap FILE, or NULL
 * @ctl:	the control socket to facet-netstack, or -1
 * @relay:	its relay listeners' ports on 127.0.0.1 and ::1 (0: none)
 * @watched:	@ctl is in the event loop
 * @down:	the netstack or the switch is gone
 * @ids:	the last connect number given
 * @waits:	connects waiting for the LAN
 * @peers:	by protocol (TCP, UDP) and host port: 2 * 65536 entries
 * @hole:	the black holes, on 127.0.0.1 and ::1: a listener whose
 *		queue of one is full, so that it drops every SYN, and the
 *		connection that fills it (net_lan.c, lan_connect())
 * @hole_port:	the listeners' ports (0: none)
 */
struct net_lan {
	char *url;
	char *pcap;
	int ctl;
	uint16_t relay[2];
	bool watched;
	bool down;
	uint32_t ids;
	struct lan_wait *waits;
	struct lan_peer *peers;
	int hole[2][2];
	uint16_t hole_port[2];
};

/**
 * struct net - the module's state
 * @f:		supervisor context
 * @conf:	the view's network
 * @ports:	the view's bound ports
 * @publish:	-p options
 * @recs:	socket records, hashed by inode
 * @nrecs:	how many
 * @clients:	host ports of sockets the view connected to its own
 *		listeners (in-view loopback), so that accept() tells them
 *		from connections that did not come from the view
 * @nclients:	how many (a ring: the oldest are forgotten)
 * @dns_up:	the upstream resolver 10.0.2.3 forwards to
 * @dns_uplen:	its length (0: none found; DNS then fails)
 * @nl:		emulated netlink sockets
 * @kinds:	what recently seen sockets are (ns_get())
 * @sink:	UDP sockets on the host's loopback (IPv4, IPv6) that nobody
 *		reads: where datagrams to a port of the view that nothing is
 *		bound to go, so that they vanish as they would (0: not made)
 * @sink_port:	their ports, host order
 * @tcp_sink:	TCP sockets on the host's loopback, bound and never
 *		listening: a connect to a port of the view nobody listens on
 *		is made there, and refused by the kernel as it would be
 * @tcp_sink_port: their ports
 * @lan:	the virtual LAN (--net vde:)
 * @ip6_set:	--ip gave an IPv6 address
 * @dns_set:	--dns gave an IPv4 address
 * @gw_set:	--gateway gave an IPv4 address
 * @gw6_set:	--gateway gave an IPv6 address
 */
struct net {
	struct facet *f;
	struct net_conf conf;
	struct net_port *ports;
	struct net_publish *publish;
	struct net_sockrec *recs[NET_RECS_HASH];
	unsigned int nrecs;
	struct {
		uint16_t port;
		struct in6_addr vdst;
	} clients[NET_CLIENTS_MAX];
	unsigned int nclients;
	struct sockaddr_storage dns_up;
	socklen_t dns_uplen;
	struct nl_sock *nl;
	struct net_kindc kinds[NET_KINDS];
	int sink[2];
	uint16_t sink_port[2];
	int tcp_sink[2];
	uint16_t tcp_sink_port[2];
	struct net_lan lan;
	bool ip6_set;
	bool dns_set;
	bool gw_set;
	bool gw6_set;
};

/**
 * struct nsock - a guest's IPv4/IPv6 socket, as a call on it sees it
 * @fd:		the supervisor's copy (facet_getfd(): the same open file)
 * @family:	AF_INET or AF_INET6
 * @type:	SOCK_STREAM, SOCK_DGRAM, ...
 * @proto:	IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, ...
 * @ino:	the socket's inode (records are keyed by it)
 */
struct nsock {
	int fd;
	int family;
	int type;
	int proto;
	ino_t ino;
};

/**
 * enum ns_kind - what a destination of the view is
 * @NS_OUT:	outside (NAT): the address itself
 * @NS_VIEW:	the view itself: a port of its own, on the host's loopback
 * @NS_HOST:	the gateway: the host's loopback
 * @NS_DNS:	the DNS forwarder: the upstream resolver
 * @NS_LAN:	on the virtual LAN: through the netstack (net_lan.c)
 */
enum ns_kind {
	NS_OUT,
	NS_VIEW,
	NS_HOST,
	NS_DNS,
	NS_LAN,
};

/* net_proc.c: the view's /proc/net files (dev, if_inet6, route, ...) */
#define NP_TEXT_MAX	8192	/* the longest, at most, NUL included */
/* The name of file @i (from 0) of those the view writes, or NULL */
const char *np_name(unsigned int i);
/* The text of /proc/net/@name in @out: its length, -ENOENT, -ENOSPC */
int np_text(const struct net_conf *c, const char *name, char *out, size_t size);
/* Give each to the files module (option "proc-net"): 0 or -errno */
int np_give(struct facet *f, const struct net_conf *c);

/* net_sock.c */
int ns_get(struct net *n, struct facet_call *call, int gfd, struct nsock *s);
void ns_put(struct nsock *s);
int ns_key(const struct nsock *s);
enum facet_outcome ns_done(struct facet_call *call, int64_t r);
int ns_read_addr(struct net *n, struct facet_call *call, uint64_t addr,
		 uint64_t len, struct sockaddr_storage *out, socklen_t *olen);
int ns_write_addr(struct net *n, struct facet_call *call,
		  const struct sockaddr_in6 *v, int family, uint64_t addr,
		  uint64_t lenp);
struct net_sockrec *rec_get(struct net *n, ino_t ino, bool make);
void rec_drop(struct net *n, ino_t ino);
int host_name(const struct nsock *s, bool peer, struct sockaddr_in6 *out);
void view_peer(struct net *n, const struct nsock *s,
	       const struct sockaddr_in6 *h, struct sockaddr_in6 *v);
void view_local(struct net *n, const struct nsock *s,
		const struct sockaddr_in6 *h, struct sockaddr_in6 *v);
int ns_dest(struct net *n, const struct nsock *s, const struct sockaddr_in6 *v,
	    struct sockaddr_in6 *h, int *kind);
int ns_check_family(const struct nsock *s, int fam, bool conn);
int ns_autobind(struct net *n, const struct nsock *s);
int ns_sink(struct net *n, struct sockaddr_in6 *h, bool tcp);
enum facet_outcome ns_bind(struct net *n, struct facet_call *call,
			   const struct nsock *s);
enum facet_outcome ns_listen(struct net *n, struct facet_call *call,
			     const struct nsock *s);

/* net_conn.c */
bool ns_blocking(const struct nsock *s);
int ns_sock_error(int fd);
enum facet_outcome ns_connect(struct net *n, struct facet_call *call,
			      struct nsock *s);
enum facet_outcome ns_accept(struct net *n, struct facet_call *call,
			     struct nsock *s);
enum facet_outcome ns_getname(struct net *n, struct facet_call *call,
			      const struct nsock *s);

/* net_dgram.c */
enum facet_outcome ns_dgram(struct net *n, struct facet_call *call,
			    struct nsock *s);

/* net_addr.c */
uint16_t port_free(const struct net *n, int proto);
bool na_is_v4(const struct in6_addr *a);
uint32_t na_v4(const struct in6_addr *a);
void na_map4(struct in6_addr *out, uint32_t v);
bool na_any(const struct in6_addr *a);
bool na_loopback(const struct in6_addr *a);
bool na_own(const struct net_conf *c, const struct in6_addr *a);
bool na_local(const struct net_conf *c, const struct in6_addr *a);
bool na_gateway(const struct net_conf *c, const struct in6_addr *a);
bool na_dns(const struct net_conf *c, const struct in6_addr *a);
bool na_subnet(const struct net_conf *c, const struct in6_addr *a);
int na_from(const struct sockaddr_storage *sa, socklen_t len,
	    struct sockaddr_in6 *out);
socklen_t na_to(const struct sockaddr_in6 *a, int family,
		struct sockaddr_storage *out);
void na_set(struct sockaddr_in6 *out, struct in_addr v4,
	    const struct in6_addr *v6, uint16_t port);
void na_host_loopback(const struct in6_addr *like, struct in6_addr *out);
struct net_port *port_clash(struct net *n, int proto, int family,
			    const struct in6_addr *vaddr, uint16_t vport);
bool port_used(const struct net *n, int proto, uint16_t vport);
struct net_port *port_add(struct net *n, const struct net_port *tmpl);
struct net_port *port_by_host(const struct net *n, int proto, uint16_t hport);
struct net_port *port_lookup(struct net *n, int proto,
			     const struct in6_addr *vaddr, uint16_t vport);
void client_add(struct net *n, uint16_t hport, const struct in6_addr *vdst);
const struct in6_addr *client_find(const struct net *n, uint16_t hport);
void client_forget(struct net *n, uint16_t hport);

/* net_lan.c */
int lan_start(struct net *n);
void lan_stop(struct net *n);
void lan_watch(struct net *n);
int lan_dest(struct net *n, const struct nsock *s, const struct sockaddr_in6 *v);
enum facet_outcome lan_connect(struct net *n, struct facet_call *call,
			       struct nsock *s, const struct sockaddr_in6 *v);
int lan_udp_connect(struct net *n, const struct nsock *s,
		    const struct sockaddr_in6 *v);
int64_t lan_udp_send(struct net *n, const struct nsock *s,
		     const struct sockaddr_in6 *v, const void *data, size_t len);
void lan_bound(struct net *n, const struct nsock *s, const struct net_port *p);
void lan_listen(struct net *n, const struct nsock *s);
const struct lan_peer *lan_peer(struct net *n, int proto, uint16_t hport);
void lan_forget(struct net *n, int proto, uint16_t hport);

#endif /* NET_INTERNAL_H */
