// SPDX-License-Identifier: GPL-2.0-or-later
/* net_addr.c - the view's addresses and port space, and their host twins
 *
 * DOC: Theory of Operation
 *
 * A guest's TCP and UDP sockets are real host sockets (design principle
 * 2): the kernel carries their data.  What makes the network the view's is
 * the names.  Every address a guest gives (bind, connect, sendto) is
 * translated here into the host address its socket really uses, and every
 * address the kernel reports (getsockname, getpeername, accept, recvfrom)
 * back into the view's:
 *
 *	view				host
 *	127.0.0.1:P, ::1:P, 10.0.2.15:P	127.0.0.1:H (or ::1, ::) where H is
 *	  (a port of the view)		  the host port the kernel picked
 *					  when the view bound P
 *	10.0.2.2:P (the gateway)	127.0.0.1:P, the host's own loopback
 *	10.0.2.3:53 (DNS)		the upstream resolver
 *	any other address (NAT)		itself
 *
 * Internally every address is a struct sockaddr_in6, IPv4 ones in their
 * v4-mapped form (::ffff:a.b.c.d), so that one code path serves both
 * families and dual-stack sockets.
 *
 * The port map (struct net_port) holds the view's bound ports.  Entries are
 * not told when a guest closes its socket (close is not trapped), so one
 * that seems to conflict with a new bind is checked first: a probe socket
 * bound to the same host port (with SO_REUSEADDR, which TIME_WAIT
 * connections do not stop) succeeds only if nothing holds it any more.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net_internal.h"

/**
 * na_is_v4() - is @a an IPv4 address (v4-mapped)?
 * @a:	address
 * Return: true if so
 */
bool na_is_v4(const struct in6_addr *a)
{
	return IN6_IS_ADDR_V4MAPPED(a);
}

/**
 * na_v4() - the IPv4 address in v4-mapped @a, in network order
 * @a:	address
 * Return: the address
 */
uint32_t na_v4(const struct in6_addr *a)
{
	uint32_t v;

	memcpy(&v, &a->s6_addr[12], 4);
	return v;
}

/**
 * na_map4() - the v4-mapped form of IPv4 address @v (network order)
 * @out:	filled in
 * @v:		address
 */
void na_map4(struct in6_addr *out, uint32_t v)
{
	memset(out, 0, sizeof(*out));
	out->s6_addr[10] = out->s6_addr[11] = 0xff;
	memcpy(&out->s6_addr[12], &v, 4);
}

/**
 * na_any() - is @a a wildcard (0.0.0.0 or ::)?
 * @a:	address
 * Return: true if so
 */
bool na_any(const struct in6_addr *a)
{
	return IN6_IS_ADDR_UNSPECIFIED(a) || (na_is_v4(a) && !na_v4(a));
}

/**
 * na_loopback() - is @a a loopback address (127.0.0.0/8 or ::1)?
 * @a:	address
 * Return: true if so
 */
bool na_loopback(const struct in6_addr *a)
{
	if (na_is_v4(a))
		return (ntohl(na_v4(a)) >> 24) == 127;
	return IN6_IS_ADDR_LOOPBACK(a);
}

/**
 * na_eq4() - is @a the IPv4 address @v?
 * @a:	address
 * @v:	IPv4 address, network order
 * Return: true if so
 */
static bool na_eq4(const struct in6_addr *a, struct in_addr v)
{
	return na_is_v4(a) && na_v4(a) == v.s_addr;
}

/**
 * na_own() - is @a the view's own address on its interface?
 * @c:	the view's network
 * @a:	address
 * Return: true if so
 */
bool na_own(const struct net_conf *c, const struct in6_addr *a)
{
	return net_eth(c) &&
	       (na_eq4(a, c->ip4) || IN6_ARE_ADDR_EQUAL(a, &c->ip6));
}

/**
 * na_local() - does @a name the view itself (loopback, own, wildcard)?
 * @c:	the view's network
 * @a:	address
 * Return: true if so
 */
bool na_local(const struct net_conf *c, const struct in6_addr *a)
{
	return na_any(a) || na_loopback(a) || na_own(c, a);
}

/**
 * na_gateway() - is @a the view's gateway (the host)?
 * @c:	the view's network
 * @a:	address
 * Return: true if so
 */
bool na_gateway(const struct net_conf *c, const struct in6_addr *a)
{
	return c->mode == NET_NAT &&
	       (na_eq4(a, c->gw4) || IN6_ARE_ADDR_EQUAL(a, &c->gw6));
}

/**
 * na_dns() - is @a the view's DNS forwarder?
 * @c:	the view's network
 * @a:	address
 * Return: true if so
 */
bool na_dns(const struct net_conf *c, const struct in6_addr *a)
{
	return c->mode == NET_NAT &&
	       (na_eq4(a, c->dns4) || IN6_ARE_ADDR_EQUAL(a, &c->dns6));
}

/**
 * na_subnet() - is @a in the view's IPv4 or IPv6 subnet?
 * @c:	the view's network
 * @a:	address
 * Return: true if so
 */
bool na_subnet(const struct net_conf *c, const struct in6_addr *a)
{
	uint32_t m4 = c->prefix4 ? htonl(~0u << (32 - c->prefix4)) : 0;
	unsigned int i, bits = c->prefix6;

	if (!net_eth(c))
		return false;
	if (na_is_v4(a))
		return (na_v4(a) & m4) == (c->ip4.s_addr & m4);
	for (i = 0; i < 16 && bits; i++, bits = bits > 8 ? bits - 8 : 0) {
		uint8_t m = (uint8_t)(0xff << (bits >= 8 ? 0 : 8 - bits));

		if ((a->s6_addr[i] & m) != (c->ip6.s6_addr[i] & m))
			return false;
	}
	return true;
}

/**
 * na_from() - a guest's socket address in the internal form
 * @sa:		the address, as read from the guest
 * @len:	its length
 * @out:	filled in (v4-mapped for AF_INET)
 * Return: 0, -EINVAL if too short, -EAFNOSUPPORT for another family
 */
int na_from(const struct sockaddr_storage *sa, socklen_t len,
	    struct sockaddr_in6 *out)
{
	const struct sockaddr_in *in = (const void *)sa;

	memset(out, 0, sizeof(*out));
	out->sin6_family = AF_INET6;
	if (len < sizeof(sa_family_t))
		return -EINVAL;
	if (sa->ss_family == AF_INET) {
		if (len < sizeof(struct sockaddr_in))
			return -EINVAL;
		na_map4(&out->sin6_addr, in->sin_addr.s_addr);
		out->sin6_port = in->sin_port;
		return 0;
	}
	if (sa->ss_family != AF_INET6)
		return -EAFNOSUPPORT;
	if (len < sizeof(struct sockaddr_in6))
		return -EINVAL;
	memcpy(out, sa, sizeof(*out));
	return 0;
}

/**
 * na_to() - an internal address in the form a socket of @family uses
 * @a:		the address
 * @family:	AF_INET or AF_INET6
 * @out:	filled in
 * Return: its length, or 0 if an IPv6 address cannot be given to an AF_INET
 *	   socket
 */
socklen_t na_to(const struct sockaddr_in6 *a, int family,
		struct sockaddr_storage *out)
{
	struct sockaddr_in *in = (void *)out;

	memset(out, 0, sizeof(*out));
	if (family == AF_INET6) {
		memcpy(out, a, sizeof(*a));
		((struct sockaddr_in6 *)out)->sin6_family = AF_INET6;
		return sizeof(struct sockaddr_in6);
	}
	if (!na_is_v4(&a->sin6_addr) && !na_any(&a->sin6_addr))
		return 0;
	in->sin_family = AF_INET;
	in->sin_port = a->sin6_port;
	in->sin_addr.s_addr = na_is_v4(&a->sin6_addr) ? na_v4(&a->sin6_addr) : 0;
	return sizeof(struct sockaddr_in);
}

/**
 * na_set() - an internal address from an IPv4 (@v6 NULL) or IPv6 address
 * @out:	filled in
 * @v4:		IPv4 address (network order), if @v6 is NULL
 * @v6:		IPv6 address, or NULL
 * @port:	port, network order
 */
void na_set(struct sockaddr_in6 *out, struct in_addr v4,
	    const struct in6_addr *v6, uint16_t port)
{
	memset(out, 0, sizeof(*out));
	out->sin6_family = AF_INET6;
	if (v6)
		out->sin6_addr = *v6;
	else
		na_map4(&out->sin6_addr, v4.s_addr);
	out->sin6_port = port;
}

/**
 * na_host_loopback() - the host's loopback address in @like's family
 * @like:	a view address (its family decides)
 * @out:	127.0.0.1 (v4-mapped) or ::1
 */
void na_host_loopback(const struct in6_addr *like, struct in6_addr *out)
{
	if (na_is_v4(like))
		na_map4(out, htonl(INADDR_LOOPBACK));
	else
		*out = in6addr_loopback;
}

/**
 * na_same_family() - do @a and @b belong to the same IP version?
 * @a:	address
 * @b:	address
 * Return: true if so
 */
static bool na_same_family(const struct in6_addr *a, const struct in6_addr *b)
{
	return na_is_v4(a) == na_is_v4(b) || (na_any(a) && na_any(b));
}

/**
 * port_overlap() - would a bind of @vaddr clash with entry @p's address?
 * @p:		existing entry
 * @family:	the new socket's family
 * @vaddr:	its view address
 * Return: true if they cover a common address
 */
static bool port_overlap(const struct net_port *p, int family,
			 const struct in6_addr *vaddr)
{
	if (p->family != family && !na_any(&p->vaddr) && !na_any(vaddr))
		return na_same_family(&p->vaddr, vaddr) &&
		       IN6_ARE_ADDR_EQUAL(&p->vaddr, vaddr);
	if (p->family != family)	/* a v4 and a v6 socket: the kernel
					   lets them share a port unless one
					   is dual-stack; ask the host */
		return false;
	return na_any(&p->vaddr) || na_any(vaddr) ||
	       IN6_ARE_ADDR_EQUAL(&p->vaddr, vaddr);
}

/**
 * port_alive() - does entry @p's host socket still hold its port?
 * @p:	entry
 * Return: true if so (or if it cannot be told)
 */
static bool port_alive(const struct net_port *p)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_port = htons(p->hport) };
	int fd = socket(AF_INET6, (p->proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM) |
			SOCK_CLOEXEC, p->proto), one = 1, r;

	if (fd < 0)
		return true;
	if (p->proto == IPPROTO_TCP)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	r = bind(fd, (struct sockaddr *)&a, sizeof(a));
	close(fd);
	return r < 0 && errno == EADDRINUSE;
}

/**
 * port_drop() - forget entry @p
 * @n:	module state
 * @p:	entry, on @n's list
 */
static void port_drop(struct net *n, struct net_port *p)
{
	struct net_port **pp;

	for (pp = &n->ports; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			free(p);
			return;
		}
}

/**
 * port_clash() - the live entry a bind of (@proto, @family, @vaddr, @vport)
 *		  would clash with
 * @n:		module state
 * @proto:	the port space: IPPROTO_TCP, IPPROTO_UDP or IPPROTO_UDPLITE
 * @family:	the socket's family
 * @vaddr:	the view address
 * @vport:	the view port, host order
 * Return: the entry, or NULL (stale entries met are dropped)
 */
struct net_port *port_clash(struct net *n, int proto, int family,
			    const struct in6_addr *vaddr, uint16_t vport)
{
	struct net_port *p, *next;

	for (p = n->ports; p; p = next) {
		next = p->next;
		if (p->proto != proto || p->vport != vport ||
		    !port_overlap(p, family, vaddr))
			continue;
		if (port_alive(p))
			return p;
		port_drop(n, p);
	}
	return NULL;
}

/**
 * port_used() - is view port @vport of @proto taken by any entry?
 * @n:		module state
 * @proto:	the port space: IPPROTO_TCP, IPPROTO_UDP or IPPROTO_UDPLITE
 * @vport:	host order
 * Return: true if so
 */
bool port_used(const struct net *n, int proto, uint16_t vport)
{
	const struct net_port *p;

	for (p = n->ports; p; p = p->next)
		if (p->proto == proto && p->vport == vport)
			return true;
	return false;
}

/**
 * port_add() - record a bound view port
 * @n:		module state
 * @tmpl:	what to record (copied)
 * Return: the entry, or NULL if out of memory
 */
struct net_port *port_add(struct net *n, const struct net_port *tmpl)
{
	struct net_port *p = malloc(sizeof(*p)), *old;

	if (!p)
		return NULL;
	/* a host port the kernel gave again: what held it is gone */
	while ((old = port_by_host(n, tmpl->proto, tmpl->hport)) &&
	       old->ino != tmpl->ino && !tmpl->reuseport)
		port_drop(n, old);
	*p = *tmpl;
	p->next = n->ports;
	n->ports = p;
	return p;
}

/**
 * port_by_host() - the entry whose host socket has host port @hport
 * @n:		module state
 * @proto:	the port space: IPPROTO_TCP, IPPROTO_UDP or IPPROTO_UDPLITE
 * @hport:	host order
 * Return: the entry, or NULL
 */
struct net_port *port_by_host(const struct net *n, int proto, uint16_t hport)
{
	struct net_port *p;

	for (p = n->ports; p; p = p->next)
		if (p->proto == proto && p->hport == hport)
			return p;
	return NULL;
}

/**
 * port_match() - would a connection to view (@vaddr, @vport) reach @p?
 * @p:		entry
 * @proto:	the port space: IPPROTO_TCP, IPPROTO_UDP or IPPROTO_UDPLITE
 * @vaddr:	view address (local to the view)
 * @vport:	view port, host order
 * Return: 0 no, 1 through a wildcard, 2 on its very address
 */
static int port_match(const struct net_port *p, int proto,
		      const struct in6_addr *vaddr, uint16_t vport)
{
	bool v4 = na_is_v4(vaddr) || na_any(vaddr);

	if (p->proto != proto || p->vport != vport)
		return 0;
	if (!na_any(&p->vaddr) && !IN6_ARE_ADDR_EQUAL(&p->vaddr, vaddr) &&
	    !(na_any(vaddr) && na_loopback(&p->vaddr)))
		return 0;
	/* a v4 client reaches a v6 socket only if it is dual-stack */
	if (p->family == AF_INET6 && v4 && !na_is_v4(&p->vaddr) &&
	    !(na_any(&p->vaddr) && p->dual))
		return 0;
	if (p->family == AF_INET && !v4)
		return 0;
	return na_any(&p->vaddr) ? 1 : 2;
}

/**
 * port_lookup() - the entry a connection to view (@vaddr, @vport) reaches
 * @n:		module state
 * @proto:	the port space: IPPROTO_TCP, IPPROTO_UDP or IPPROTO_UDPLITE
 * @vaddr:	view address (local to the view)
 * @vport:	view port, host order
 *
 * The newest entry on the very address wins, else the newest wildcard
 * one; an entry whose socket is gone is dropped and the search goes on.
 *
 * Return: the entry, or NULL: nothing of the view listens there
 */
struct net_port *port_lookup(struct net *n, int proto,
			     const struct in6_addr *vaddr, uint16_t vport)
{
	struct net_port *p, *best;
	int m, bm;

	for (;;) {
		best = NULL;
		bm = 0;
		for (p = n->ports; p; p = p->next)
			if ((m = port_match(p, proto, vaddr, vport)) > bm) {
				best = p;
				bm = m;
			}
		if (!best || port_alive(best))
			return best;
		port_drop(n, best);
	}
}

/**
 * client_add() - remember a host port the view connected to its own
 *		  listener from, and the view address it connected to
 * @n:		module state
 * @hport:	the client socket's host port, host order
 * @vdst:	the view address it connected to
 */
void client_add(struct net *n, uint16_t hport, const struct in6_addr *vdst)
{
	unsigned int i = n->nclients++ % NET_CLIENTS_MAX;

	n->clients[i].port = hport;
	n->clients[i].vdst = *vdst;
	lan_forget(n, IPPROTO_TCP, hport);
}

/**
 * client_forget() - @hport is no client of the view's (the netstack's
 *		     connection from the LAN comes from it now)
 * @n:		module state
 * @hport:	host port, host order
 */
void client_forget(struct net *n, uint16_t hport)
{
	unsigned int i, k = n->nclients < NET_CLIENTS_MAX ? n->nclients : NET_CLIENTS_MAX;

	for (i = 0; i < k; i++)
		if (n->clients[i].port == hport)
			n->clients[i].port = 0;
}

/**
 * client_find() - is @hport a client of the view's own listeners?
 * @n:		module state
 * @hport:	host port, host order
 * Return: the view address it connected to, or NULL
 */
const struct in6_addr *client_find(const struct net *n, uint16_t hport)
{
	unsigned int i, k = n->nclients < NET_CLIENTS_MAX ? n->nclients : NET_CLIENTS_MAX;

	for (i = 0; i < k; i++) {
		unsigned int j = (n->nclients - 1 - i) % NET_CLIENTS_MAX;

		if (n->clients[j].port == hport)
			return &n->clients[j].vdst;
	}
	return NULL;
}

/**
 * port_free() - a view port no entry of @proto uses, from the range the
 *		 kernel hands out (for an autobind whose host port the view
 *		 holds already)
 * @n:		module state
 * @proto:	the port space: IPPROTO_TCP, IPPROTO_UDP or IPPROTO_UDPLITE
 * Return: the port, host order
 */
uint16_t port_free(const struct net *n, int proto)
{
	unsigned int i;
	uint16_t p;

	for (i = 0; i < 28232; i++) {
		p = (uint16_t)(32768 + (n->nclients + i * 7919) % 28232);
		if (!port_used(n, proto, p))
			return p;
	}
	return 0;
}
