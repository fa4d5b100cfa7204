// SPDX-License-Identifier: GPL-2.0-or-later
/* net_sock.c - bind, listen, connect, accept and the names of sockets
 *
 * DOC: Theory of Operation
 *
 * Act, don't continue (design principle 3): an address a guest passes is
 * read once, judged and translated (net_addr.c), and the supervisor makes
 * the call itself on its copy of the guest's socket (facet_getfd(): the
 * same open file), so a thread that rewrites the address afterwards
 * changes nothing.  The kernel then carries the data natively.
 *
 * Calls that may wait never block the supervisor: a blocking connect is
 * started non-blocking and answered when the socket becomes writable; a
 * blocking accept when the listener becomes readable (facet_defer(),
 * facet_watch()).  Meanwhile a handled signal interrupts the guest as the
 * kernel would (the core answers ERESTARTSYS), and no connection is taken
 * from the queue for a call that is no longer waiting.
 *
 * accept() also keeps the view closed: a listener's host socket sits on
 * a port of the host's loopback, so a host process could find it; only
 * connections made from the view (their host ports were noted at connect
 * time) or, on a published port (-p), from anywhere the host allows, are
 * handed to the guest.  Others are closed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net_internal.h"

/**
 * ns_kind_of() - family, type and protocol of socket @s, from the cache
 *		  kept by inode or from the kernel
 * @n:		module state
 * @s:		the socket: fd and ino set; the rest filled in
 */
static void ns_kind_of(struct net *n, struct nsock *s)
{
	struct net_kindc *k = &n->kinds[s->ino % NET_KINDS];
	socklen_t l = sizeof(int);

	if (k->ino == s->ino) {
		s->family = k->family;
		s->type = k->type;
		s->proto = k->proto;
		return;
	}
	getsockopt(s->fd, SOL_SOCKET, SO_DOMAIN, &s->family, &l);
	l = sizeof(int);
	getsockopt(s->fd, SOL_SOCKET, SO_TYPE, &s->type, &l);
	l = sizeof(int);
	getsockopt(s->fd, SOL_SOCKET, SO_PROTOCOL, &s->proto, &l);
	*k = (struct net_kindc){ s->ino, s->family, s->type, s->proto };
}

/**
 * ns_get() - the supervisor's copy of a guest socket, and what it is
 * @n:		module state
 * @call:	the trapped call
 * @gfd:	the guest's fd
 * @s:		filled in; s->fd is to be closed with ns_put()
 * Return: 0 for an IPv4/IPv6 socket, 1 for anything else (s->fd still
 *	   set if it is a socket, for the netlink check), or -errno
 */
int ns_get(struct net *n, struct facet_call *call, int gfd, struct nsock *s)
{
	struct stat st;

	memset(s, 0, sizeof(*s));
	s->fd = facet_getfd(n->f, call, gfd);
	if (s->fd < 0)
		return s->fd;
	if (fstat(s->fd, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		ns_put(s);
		return 1;
	}
	s->ino = st.st_ino;
	ns_kind_of(n, s);
	return s->family == AF_INET || s->family == AF_INET6 ? 0 : 1;
}

/**
 * ns_put() - close the copy ns_get() took
 * @s:	the socket
 */
void ns_put(struct nsock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/**
 * ns_key() - the port space a socket's ports live in
 * @s:	the socket
 * Return: IPPROTO_TCP (MPTCP shares its ports), IPPROTO_UDP or
 *	   IPPROTO_UDPLITE; 0 for ping sockets, whose "port" is an echo id
 *	   the view need not keep apart
 */
int ns_key(const struct nsock *s)
{
	if (s->proto == IPPROTO_ICMP || s->proto == IPPROTO_ICMPV6)
		return 0;
	if (s->type != SOCK_DGRAM)
		return IPPROTO_TCP;
	return s->proto == IPPROTO_UDPLITE ? IPPROTO_UDPLITE : IPPROTO_UDP;
}

/**
 * ns_done() - answer a call with @r (>= 0 a result, < 0 -errno)
 * @call:	the call
 * @r:		result
 * Return: FACET_REPLY
 */
enum facet_outcome ns_done(struct facet_call *call, int64_t r)
{
	call->ret = r < 0 ? -1 : r;
	call->error = r < 0 ? (int)-r : 0;
	return FACET_REPLY;
}

/**
 * ns_read_addr() - read the address a guest passed
 * @n:		module state
 * @call:	the call
 * @addr:	guest pointer
 * @len:	its length, as the guest gave it
 * @out:	filled in
 * @olen:	set to the length read
 * Return: 0 or -errno (EINVAL for a bad length, EFAULT)
 */
int ns_read_addr(struct net *n, struct facet_call *call, uint64_t addr,
		 uint64_t len, struct sockaddr_storage *out, socklen_t *olen)
{
	if ((int64_t)(int)len < 0 || (int)len > (int)sizeof(*out))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	*olen = (socklen_t)len;
	if (len && facet_read(n->f, call, addr, out, len) < 0)
		return -EFAULT;
	return 0;
}

/**
 * ns_write_addr() - give the guest an address, as accept/getsockname do
 * @n:		module state
 * @call:	the call
 * @v:		the view address
 * @family:	the socket's family
 * @addr:	guest buffer (may be 0 with @lenp 0)
 * @lenp:	guest pointer to its length, updated to the full length
 * Return: 0 or -errno
 */
int ns_write_addr(struct net *n, struct facet_call *call,
		  const struct sockaddr_in6 *v, int family, uint64_t addr,
		  uint64_t lenp)
{
	struct sockaddr_storage ss;
	socklen_t full = na_to(v, family, &ss);
	int len;

	if (!lenp)
		return 0;
	if (facet_read(n->f, call, lenp, &len, sizeof(len)) < 0)
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (!full) {		/* an AF_INET socket with an IPv6 peer: none */
		memset(&ss, 0, sizeof(ss));
		ss.ss_family = AF_INET;
		full = sizeof(struct sockaddr_in);
	}
	if ((len && facet_write(n->f, call, addr, &ss,
				(size_t)len < full ? (size_t)len : full) < 0) ||
	    facet_write(n->f, call, lenp, &full, sizeof(int)) < 0)
		return -EFAULT;
	return 0;
}

/**
 * rec_get() - the record of the socket with inode @ino
 * @n:		module state
 * @ino:	inode
 * @make:	create it if missing
 * Return: the record, or NULL
 */
struct net_sockrec *rec_get(struct net *n, ino_t ino, bool make)
{
	struct net_sockrec **pp = &n->recs[ino % NET_RECS_HASH], *r;

	for (r = *pp; r; r = r->next)
		if (r->ino == ino)
			return r;
	if (!make || !(r = calloc(1, sizeof(*r))))
		return NULL;
	r->ino = ino;
	r->next = *pp;
	*pp = r;
	n->nrecs++;
	return r;
}

/**
 * rec_drop() - forget the record of @ino (its socket was bound or
 *		connected anew)
 * @n:		module state
 * @ino:	inode
 */
void rec_drop(struct net *n, ino_t ino)
{
	struct net_sockrec **pp, *r;

	for (pp = &n->recs[ino % NET_RECS_HASH]; (r = *pp); pp = &r->next)
		if (r->ino == ino) {
			*pp = r->next;
			free(r);
			n->nrecs--;
			return;
		}
}

/**
 * host_name() - getsockname or getpeername of the host socket
 * @s:		the socket
 * @peer:	getpeername
 * @out:	the host's address, internal form
 * Return: 0 or -errno
 */
int host_name(const struct nsock *s, bool peer, struct sockaddr_in6 *out)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof(ss);
	int r = peer ? getpeername(s->fd, (struct sockaddr *)&ss, &l)
		     : getsockname(s->fd, (struct sockaddr *)&ss, &l);

	if (r < 0)
		return -errno;
	return na_from(&ss, l, out);
}

/**
 * view_peer() - the view's name for a host address a socket talks with
 * @n:		module state
 * @s:		the socket (its record may say)
 * @h:		the host address (internal form)
 * @v:		filled in
 */
void view_peer(struct net *n, const struct nsock *s,
	       const struct sockaddr_in6 *h, struct sockaddr_in6 *v)
{
	const struct net_sockrec *r = rec_get(n, s->ino, false);
	const struct net_conf *c = &n->conf;
	uint16_t port = ntohs(h->sin6_port);
	const struct in6_addr *vdst;
	const struct lan_peer *lp;
	struct sockaddr_in6 up;
	struct net_port *p;

	*v = *h;
	if (r && r->dns && n->dns_uplen) {
		na_from(&n->dns_up, n->dns_uplen, &up);
		if (IN6_ARE_ADDR_EQUAL(&up.sin6_addr, &h->sin6_addr) &&
		    up.sin6_port == h->sin6_port) {
			na_set(v, c->dns4, r->dns6 ? &c->dns6 : NULL, htons(53));
			return;
		}
	}
	if (r && r->peer.sin6_family && (s->type == SOCK_DGRAM || r->lan)) {
		/* connected: the kernel lets only its peer through; or
		 * connected through the netstack to a LAN peer */
		*v = r->peer;
		return;
	}
	if (!na_loopback(&h->sin6_addr))
		return;			/* the world, as it is (NAT) */
	if (ns_key(s) && (p = port_by_host(n, ns_key(s), port))) {
		const struct net_sockrec *pr = rec_get(n, p->ino, false);

		v->sin6_port = htons(p->vport);
		if (r && r->peer.sin6_family)
			v->sin6_addr = r->peer.sin6_addr;
		else if (!na_any(&p->vaddr))
			v->sin6_addr = p->vaddr;
		else if (pr && pr->own)	/* it sent to the view's address */
			na_set(v, c->ip4, na_is_v4(&h->sin6_addr) ? NULL : &c->ip6,
			       v->sin6_port);
		return;			/* one of the view's own ports */
	}
	if ((vdst = client_find(n, port))) {
		if (na_own(c, vdst))
			v->sin6_addr = *vdst;
		return;			/* a client in the view */
	}
	if (c->mode == NET_VDE && ns_key(s) && (lp = lan_peer(n, ns_key(s), port))) {
		v->sin6_addr = lp->addr;	/* a peer on the LAN */
		v->sin6_port = htons(lp->aport);
		return;
	}
	if (c->mode == NET_NAT)		/* the host, behind the gateway */
		na_set(v, c->gw4, na_is_v4(&h->sin6_addr) ? NULL : &c->gw6,
		       h->sin6_port);
}

/**
 * view_local() - the view's name for a socket's own host address
 * @n:		module state
 * @s:		the socket
 * @h:		its host address (getsockname)
 * @v:		filled in
 */
void view_local(struct net *n, const struct nsock *s,
		const struct sockaddr_in6 *h, struct sockaddr_in6 *v)
{
	const struct net_conf *c = &n->conf;
	struct sockaddr_in6 peer, vpeer;
	struct net_port *p = ns_key(s) ? port_by_host(n, ns_key(s),
						      ntohs(h->sin6_port)) : NULL;
	bool v4 = na_is_v4(&h->sin6_addr) || (s->family == AF_INET);
	bool conn = host_name(s, true, &peer) == 0;

	*v = *h;
	if (p) {
		v->sin6_port = htons(p->vport);
		v->sin6_addr = p->vaddr;
	}
	if (conn) {
		view_peer(n, s, &peer, &vpeer);
		if (na_loopback(&vpeer.sin6_addr))
			na_host_loopback(&vpeer.sin6_addr, &v->sin6_addr);
		else if (na_own(c, &vpeer.sin6_addr))
			v->sin6_addr = vpeer.sin6_addr;
		else
			na_set(v, c->ip4, na_is_v4(&vpeer.sin6_addr) ? NULL : &c->ip6,
			       v->sin6_port);
		return;
	}
	if (p || na_any(&h->sin6_addr) || na_loopback(&h->sin6_addr))
		return;
	/* bound to a host address by the kernel (an unconnected UDP socket
	 * that sent out): the view's own address */
	na_set(v, c->ip4, v4 ? NULL : &c->ip6, v->sin6_port);
}

/**
 * ns_sink() - the host address where datagrams to an unbound port of the
 *	       view go to vanish, or connections to a port nobody listens on
 *	       are refused
 * @n:		module state
 * @h:		host loopback address (its family decides); port set here
 * @tcp:	for a connection (a socket bound and never listening)
 * Return: 0 or -errno
 */
int ns_sink(struct net *n, struct sockaddr_in6 *h, bool tcp)
{
	int i = !na_is_v4(&h->sin6_addr), one = 1;
	int *fd = tcp ? &n->tcp_sink[i] : &n->sink[i];
	uint16_t *port = tcp ? &n->tcp_sink_port[i] : &n->sink_port[i];
	struct sockaddr_storage ss;
	struct sockaddr_in6 b = *h;
	socklen_t l;

	if (!*fd) {
		b.sin6_port = 0;
		l = na_to(&b, i ? AF_INET6 : AF_INET, &ss);
		*fd = socket(ss.ss_family, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
		if (*fd < 0 || bind(*fd, (struct sockaddr *)&ss, l) < 0 ||
		    getsockname(*fd, (struct sockaddr *)&ss, &l) < 0) {
			if (*fd >= 0)
				close(*fd);
			*fd = 0;
			return -ECONNREFUSED;
		}
		if (!tcp)
			setsockopt(*fd, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one));
		*port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	}
	h->sin6_port = htons(*port);
	return 0;
}

/**
 * ns_upstream() - is @v the upstream resolver, under NAT?
 * @n:		module state
 * @v:		view destination
 * Return: true if so
 */
static bool ns_upstream(const struct net *n, const struct sockaddr_in6 *v)
{
	struct sockaddr_in6 up;

	return n->conf.mode == NET_NAT && n->dns_uplen &&
	       na_from(&n->dns_up, n->dns_uplen, &up) == 0 &&
	       IN6_ARE_ADDR_EQUAL(&up.sin6_addr, &v->sin6_addr) &&
	       up.sin6_port == v->sin6_port;
}

/**
 * ns_dest() - where a view destination really is
 * @n:		module state
 * @s:		the socket
 * @v:		view destination
 * @h:		host destination, filled in
 * @kind:	set to the enum ns_kind of @v
 * Return: 0, or -errno for a destination the view cannot reach
 */
int ns_dest(struct net *n, const struct nsock *s, const struct sockaddr_in6 *v,
	    struct sockaddr_in6 *h, int *kind)
{
	const struct net_conf *c = &n->conf;
	const struct in6_addr *a = &v->sin6_addr;
	struct net_port *p;

	*h = *v;
	*kind = NS_OUT;
	if (ns_upstream(n, v)) {	/* the host's resolver, named as the
					   host's resolv.conf names it */
		*kind = NS_DNS;
		return 0;
	}
	if (na_local(c, a)) {
		*kind = NS_VIEW;
		if (!ns_key(s)) {		/* ping: the view answers */
			na_host_loopback(a, &h->sin6_addr);
			return 0;
		}
		p = port_lookup(n, ns_key(s), a, ntohs(v->sin6_port));
		na_host_loopback(a, &h->sin6_addr);
		if (p) {
			h->sin6_port = htons(p->hport);
			return 0;
		}
		/* a datagram nobody receives, a connection the kernel
		 * refuses (at once, or through SO_ERROR if non-blocking) */
		return ns_sink(n, h, ns_key(s) == IPPROTO_TCP);
	}
	if (c->mode == NET_VDE) {
		*kind = NS_LAN;
		return lan_dest(n, s, v);
	}
	if (c->mode != NET_NAT)
		return -ENETUNREACH;
	if (na_gateway(c, a)) {
		*kind = NS_HOST;
		na_host_loopback(a, &h->sin6_addr);
		return 0;
	}
	if (na_dns(c, a)) {
		*kind = NS_DNS;
		if (!n->dns_uplen || ntohs(v->sin6_port) != 53)
			return ns_key(s) == IPPROTO_TCP ? -ECONNREFUSED : 0;
		return na_from(&n->dns_up, n->dns_uplen, h);
	}
	if (na_subnet(c, a) && !IN6_IS_ADDR_MULTICAST(a))
		return -EHOSTUNREACH;
	return 0;
}

/**
 * host_bind_addr() - the host address a view bind to @vaddr takes
 * @n:		module state
 * @s:		the socket
 * @vaddr:	view address (local to the view)
 * @out:	host address
 *
 * Loopback binds, and every bind of a view with no way out (--net none)
 * or whose way out is the netstack's relays (a LAN), stay on the host's
 * loopback, out of reach of other machines.  Under NAT
 * a bind to the wildcard or the view's address takes the host's wildcard,
 * so that the socket can still connect out (a bind before connect) and
 * receive replies from outside; accept() keeps connections from outside
 * away from it (net_conn.c).  A dual-stack socket needs the IPv6 wildcard
 * to take IPv4 as well.
 */
static void host_bind_addr(struct net *n, const struct nsock *s,
			   const struct in6_addr *vaddr, struct in6_addr *out)
{
	bool v4 = na_is_v4(vaddr) || s->family == AF_INET;
	int v6only = 1;
	socklen_t l = sizeof(v6only);

	if (s->family == AF_INET6)
		getsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &l);
	if (na_loopback(vaddr)) {
		na_host_loopback(vaddr, out);
	} else if (s->family == AF_INET6 && !v6only && na_any(vaddr)) {
		*out = in6addr_any;
	} else if (n->conf.mode == NET_NAT) {
		if (v4)
			na_map4(out, 0);
		else
			*out = in6addr_any;
	} else if (v4) {
		na_map4(out, htonl(INADDR_LOOPBACK));
	} else {
		*out = in6addr_loopback;
	}
}

/**
 * publish_for() - the -p option that publishes view port @vport
 * @n:		module state
 * @s:		the socket being bound
 * @vaddr:	its view address
 * @vport:	host order
 * @h:		set to the host address to bind
 * Return: the option, or NULL
 */
static struct net_publish *publish_for(struct net *n, const struct nsock *s,
				       const struct in6_addr *vaddr,
				       uint16_t vport, struct sockaddr_in6 *h)
{
	struct net_publish *p;
	int v6only = 1;
	socklen_t l = sizeof(v6only);

	if (na_loopback(vaddr))
		return NULL;
	if (s->family == AF_INET6)
		getsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &l);
	for (p = n->publish; p; p = p->next) {
		if (p->proto != ns_key(s) || p->gport != vport)
			continue;
		if (na_from(&p->host, p->hlen, h) < 0)
			continue;
		if (na_is_v4(&h->sin6_addr) != na_is_v4(vaddr) && !na_any(vaddr))
			continue;
		if (na_is_v4(&h->sin6_addr) ? (s->family == AF_INET6 && v6only)
					    : s->family == AF_INET)
			continue;
		return p;
	}
	return NULL;
}

/**
 * ns_bind_host() - bind the host socket for view address @v
 * @n:		module state
 * @s:		the socket
 * @v:		view address and port
 * Return: 0 or -errno
 */
static int ns_bind_host(struct net *n, const struct nsock *s,
			const struct sockaddr_in6 *v)
{
	struct net_port e = { .proto = ns_key(s), .family = s->family,
			      .vaddr = v->sin6_addr, .vport = ntohs(v->sin6_port),
			      .ino = s->ino };
	struct sockaddr_in6 h = { .sin6_family = AF_INET6 };
	struct sockaddr_storage ss;
	struct net_publish *pub = NULL;
	struct net_port *old = NULL;
	socklen_t l = sizeof(int);
	int one = 0, v6only = 1;

	getsockopt(s->fd, SOL_SOCKET, SO_REUSEPORT, &one, &l);
	e.reuseport = one;
	l = sizeof(int);
	if (s->family == AF_INET6 &&
	    !getsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &l))
		e.dual = !v6only && na_any(&e.vaddr);
	if (e.vport && (old = port_clash(n, e.proto, s->family, &e.vaddr, e.vport)) &&
	    !(old->reuseport && e.reuseport))
		return -EADDRINUSE;
	if (e.vport && (pub = publish_for(n, s, &e.vaddr, e.vport, &h))) {
		if (pub->hold >= 0)
			close(pub->hold);
		pub->hold = -1;
		e.published = true;
	} else if (old) {
		host_bind_addr(n, s, &e.vaddr, &h.sin6_addr);
		h.sin6_port = htons(old->hport);
	} else {
		host_bind_addr(n, s, &e.vaddr, &h.sin6_addr);
	}
	if (!(l = na_to(&h, s->family, &ss)) ||
	    bind(s->fd, (struct sockaddr *)&ss, l) < 0)
		return l ? -errno : -EAFNOSUPPORT;
	if (host_name(s, false, &h) < 0)
		return -EIO;
	e.hport = ntohs(h.sin6_port);
	if (!e.vport)
		e.vport = port_used(n, e.proto, e.hport) ? port_free(n, e.proto)
							 : e.hport;
	if (!port_add(n, &e))
		return -ENOMEM;
	if (n->conf.mode == NET_VDE)
		lan_bound(n, s, &e);
	return 0;
}

/**
 * ns_bind_view() - bind a socket at view address @v, checked
 * @n:		module state
 * @s:		the socket
 * @v:		view address and port
 * Return: 0 or -errno
 */
static int ns_bind_view(struct net *n, const struct nsock *s,
			const struct sockaddr_in6 *v)
{
	struct sockaddr_in6 h;

	if (!na_local(&n->conf, &v->sin6_addr))
		return -EADDRNOTAVAIL;
	if (host_name(s, false, &h) == 0 && h.sin6_port)
		return -EINVAL;		/* bound already */
	if (!ns_key(s)) {		/* ping: an echo id, kept as is */
		struct sockaddr_storage ss;
		socklen_t l;

		h = *v;
		na_host_loopback(&v->sin6_addr, &h.sin6_addr);
		if (na_any(&v->sin6_addr))
			h.sin6_addr = v->sin6_addr;
		l = na_to(&h, s->family, &ss);
		return bind(s->fd, (struct sockaddr *)&ss, l) < 0 ? -errno : 0;
	}
	rec_drop(n, s->ino);
	return ns_bind_host(n, s, v);
}

/**
 * ns_check_family() - does address family @fam suit socket @s?
 * @s:		the socket
 * @fam:	sa_family of the guest's address
 * @conn:	for connect/sendto (AF_INET into a v6 datagram socket is
 *		allowed as the kernel does)
 * Return: 0, or -EAFNOSUPPORT
 */
int ns_check_family(const struct nsock *s, int fam, bool conn)
{
	if (fam == s->family)
		return 0;
	if (conn && s->family == AF_INET6 && fam == AF_INET && s->type == SOCK_DGRAM)
		return 0;
	return -EAFNOSUPPORT;
}

/**
 * ns_bind() - bind(fd, addr, len)
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * Return: outcome
 */
enum facet_outcome ns_bind(struct net *n, struct facet_call *call,
			   const struct nsock *s)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 v;
	socklen_t len;
	int r;

	if ((r = ns_read_addr(n, call, call->args[1], call->args[2], &ss, &len)) < 0)
		return ns_done(call, r);
	if (s->family == AF_INET && len >= sizeof(struct sockaddr_in) &&
	    ss.ss_family == AF_UNSPEC &&
	    !((struct sockaddr_in *)&ss)->sin_addr.s_addr)
		ss.ss_family = AF_INET;	/* the kernel takes this for INADDR_ANY */
	if ((r = na_from(&ss, len, &v)) < 0)
		return ns_done(call, r == -EAFNOSUPPORT && s->family == AF_INET6
					 ? -EINVAL : r);
	if ((r = ns_check_family(s, ss.ss_family, false)) < 0)
		return ns_done(call, s->family == AF_INET6 ? -EINVAL : r);
	return ns_done(call, ns_bind_view(n, s, &v));
}

/**
 * ns_autobind() - a socket about to listen or send with no address yet
 *		   gets a port of the view, as the kernel would give one
 * @n:		module state
 * @s:		the socket
 * Return: 0 or -errno
 */
int ns_autobind(struct net *n, const struct nsock *s)
{
	struct sockaddr_in6 h, v = { .sin6_family = AF_INET6 };

	if (host_name(s, false, &h) == 0 && h.sin6_port)
		return 0;
	if (s->family == AF_INET)
		na_map4(&v.sin6_addr, 0);
	return ns_key(s) ? ns_bind_host(n, s, &v) : 0;
}

/**
 * ns_listen() - listen(fd, backlog): an unbound socket is bound first
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * Return: outcome
 */
enum facet_outcome ns_listen(struct net *n, struct facet_call *call,
			     const struct nsock *s)
{
	int r = s->type == SOCK_STREAM ? ns_autobind(n, s) : 0;

	if (r < 0)
		return ns_done(call, r);
	if (listen(s->fd, (int)call->args[1]) < 0)
		return ns_done(call, -errno);
	if (n->conf.mode == NET_VDE && s->type == SOCK_STREAM)
		lan_listen(n, s);
	return ns_done(call, 0);
}
