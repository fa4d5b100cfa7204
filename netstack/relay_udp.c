// SPDX-License-Identifier: GPL-2.0-or-later
/* relay_udp.c - UDP datagrams between the host's loopback and the LAN
 *
 * DOC: Theory of Operation
 *
 * Guest to LAN: facet hands each datagram over in NS_UDP_SEND, and it
 * leaves from an lwIP pcb bound to the view port (made on first use if no
 * NS_UDP_BIND came).
 *
 * LAN to guest: a view port bound with NS_UDP_BIND has an lwIP pcb; what
 * arrives on it is sent to the guest's host port from a kernel UDP socket
 * of ours on 127.0.0.1, one per LAN peer (address and port), so that the
 * source port tells facet who sent it: NS_PEER says which host port stands
 * for which peer, and recvfrom() in the guest can show the LAN address.
 * Datagrams the guest sends to that relay socket go back to its peer from
 * the view port.  A relay socket idle for UDP_PEER_IDLE_MS is closed.
 *
 * Relay sockets closed while a batch of epoll events is being handled go
 * to a dead list, freed after the batch, so that a later event of the
 * same batch never points to freed memory.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netstack.h"

#include "lwip/udp.h"

#define UDP_PEER_IDLE_MS	180000
#define UDP_BUDGET		64	/* datagrams read per event */
#define UDP_MAX			UINT16_MAX

/**
 * struct udp_peer - a relay socket for one LAN peer of a view port
 * @ev:		event loop entry of @fd (EV_UDP)
 * @next:	next of the same view port, or on c->udp.dead
 * @b:		its view port, NULL once closed
 * @addr:	the LAN peer's address
 * @port:	and port
 * @fd:		our socket on 127.0.0.1, connected to the guest's port
 * @host_port:	its port (NS_PEER)
 * @last:	last datagram either way, ms
 */
struct udp_peer {
	struct ns_ev ev;
	struct udp_peer *next;
	struct udp_bind *b;
	ip_addr_t addr;
	uint16_t port;
	int fd;
	uint16_t host_port;
	uint64_t last;
};

/**
 * struct udp_bind - a view port on the LAN
 * @next:	next in c->udp.binds
 * @c:		context
 * @pcb:	lwIP's pcb, bound to the view port on any address
 * @vport:	the view port
 * @host_port:	the guest's socket on the host's loopback, 0 if none
 * @loop6:	that socket is on ::1, not 127.0.0.1
 * @peers:	its relay sockets
 */
struct udp_bind {
	struct udp_bind *next;
	struct ctx *c;
	struct udp_pcb *pcb;
	uint16_t vport;
	uint16_t host_port;
	bool loop6;
	struct udp_peer *peers;
};

static unsigned char udp_buf[UDP_MAX];

/**
 * udp_peer_kill() - close a relay socket
 * @c:		context
 * @p:		relay socket, already unlinked from its view port
 */
static void udp_peer_kill(struct ctx *c, struct udp_peer *p)
{
	close(p->fd);
	p->b = NULL;
	p->next = c->udp.dead;
	c->udp.dead = p;
}

/**
 * udp_bind_kill_peers() - close every relay socket of a view port
 * @b:		view port
 */
static void udp_bind_kill_peers(struct udp_bind *b)
{
	struct udp_peer *p;

	while ((p = b->peers)) {
		b->peers = p->next;
		udp_peer_kill(b->c, p);
	}
}

/**
 * udp_peer_open() - a relay socket for a new LAN peer
 * @b:		view port, with a guest's host port
 * @p:		relay socket to set up, with its peer set
 *
 * Return: 0, or -errno
 */
static int udp_peer_open(struct udp_bind *b, struct udp_peer *p)
{
	struct sockaddr_in sa = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr_in6 sa6 = {
		.sin6_family = AF_INET6,
		.sin6_addr = IN6ADDR_LOOPBACK_INIT,
	};
	struct sockaddr *a = b->loop6 ? (struct sockaddr *)&sa6 : (struct sockaddr *)&sa;
	socklen_t al = b->loop6 ? sizeof(sa6) : sizeof(sa), sl = al;
	struct ns_msg m = { .type = NS_PEER, .id = IPPROTO_UDP,
			    .vport = b->vport, .aport = p->port };

	p->fd = socket(a->sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd < 0)
		return -errno;
	if (bind(p->fd, a, sl) || getsockname(p->fd, a, &sl))
		goto fail;
	p->host_port = ntohs(b->loop6 ? sa6.sin6_port : sa.sin_port);
	sa.sin_port = sa6.sin6_port = htons(b->host_port);
	if (connect(p->fd, a, al) ||
	    ev_add(b->c, p->fd, EPOLLIN, &p->ev))
		goto fail;
	m.port = p->host_port;
	ctl_addr_put(m.addr, &p->addr);
	ctl_send(b->c, &m, NULL);
	return 0;
fail:
	close(p->fd);
	return -errno;
}

/**
 * udp_peer_get() - the relay socket for a LAN peer, made if needed
 * @b:		view port, with a guest's host port
 * @addr:	LAN peer's address
 * @port:	and port
 *
 * Return: the relay socket, or NULL on error
 */
static struct udp_peer *udp_peer_get(struct udp_bind *b, const ip_addr_t *addr,
				     uint16_t port)
{
	struct udp_peer *p;
	int rc;

	for (p = b->peers; p; p = p->next) {
		if (p->port == port && ip_addr_cmp(&p->addr, addr))
			return p;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->ev.type = EV_UDP;
	ip_addr_copy(p->addr, *addr);
	p->port = port;
	if ((rc = udp_peer_open(b, p))) {
		ns_warn("UDP: relay socket: %s", strerror(-rc));
		free(p);
		return NULL;
	}
	p->b = b;
	p->next = b->peers;
	b->peers = p;
	return p;
}

/**
 * udp_bind_recv() - lwIP's recv callback: a datagram for a view port
 * @arg:	view port
 * @pcb:	its pcb
 * @pb:		the datagram
 * @addr:	its source address
 * @port:	and port
 */
static void udp_bind_recv(void *arg, struct udp_pcb *pcb, struct pbuf *pb,
			  const ip_addr_t *addr, u16_t port)
{
	struct udp_bind *b = arg;
	struct udp_peer *p;
	u16_t len;

	(void)pcb;
	if (b->host_port && (p = udp_peer_get(b, addr, port))) {
		len = pbuf_copy_partial(pb, udp_buf, pb->tot_len, 0);
		if (send(p->fd, udp_buf, len, MSG_DONTWAIT) < 0)
			ns_dbg("UDP: to the guest: %s", strerror(errno));
		p->last = b->c->now;
	}
	pbuf_free(pb);
}

/**
 * udp_bind_find() - the view port @vport
 * @c:		context
 * @vport:	view port
 *
 * Return: the link pointing to it, or to the NULL at the end of the list
 */
static struct udp_bind **udp_bind_find(struct ctx *c, uint16_t vport)
{
	struct udp_bind **b;

	for (b = &c->udp.binds; *b; b = &(*b)->next) {
		if ((*b)->vport == vport)
			break;
	}
	return b;
}

/**
 * udp_bind_new() - bind a view port in lwIP
 * @c:		context
 * @vport:	view port, 0 for any
 * @err:	set to lwIP's error on failure
 *
 * Return: the view port, linked in c->udp.binds, or NULL
 */
static struct udp_bind *udp_bind_new(struct ctx *c, uint16_t vport, err_t *err)
{
	struct udp_bind *b = calloc(1, sizeof(*b));

	*err = ERR_MEM;
	if (!b || !(b->pcb = udp_new_ip_type(IPADDR_TYPE_ANY))) {
		free(b);
		return NULL;
	}
	if ((*err = udp_bind(b->pcb, IP_ANY_TYPE, vport)) != ERR_OK) {
		udp_remove(b->pcb);
		free(b);
		return NULL;
	}
	b->c = c;
	b->vport = vport;
	udp_recv(b->pcb, udp_bind_recv, b);
	b->next = c->udp.binds;
	c->udp.binds = b;
	return b;
}

/**
 * udp_relay_bind() - NS_UDP_BIND: a guest's socket has a view port
 * @c:		context
 * @m:		the message
 */
void udp_relay_bind(struct ctx *c, const struct ns_msg *m)
{
	struct udp_bind *b = *udp_bind_find(c, m->vport);
	struct ns_msg f = { .type = NS_FAILED, .vport = m->vport,
			    .port = m->port };
	err_t err;

	if (!b && !(b = udp_bind_new(c, m->vport, &err))) {
		ns_warn("UDP: cannot bind view port %u: lwIP error %d",
			m->vport, err);
		f.err = err == ERR_USE ? EADDRINUSE : ENOBUFS;
		ctl_send(c, &f, NULL);
		return;
	}
	if (b->host_port != m->port || b->loop6 != (m->err == NS_LOOP6))
		udp_bind_kill_peers(b);
	b->host_port = m->port;
	b->loop6 = m->err == NS_LOOP6;
	ns_dbg("UDP: view port %u is guest port %u", m->vport, m->port);
}

/**
 * udp_relay_unbind() - NS_UDP_UNBIND: a view port is closed
 * @c:		context
 * @m:		the message
 */
void udp_relay_unbind(struct ctx *c, const struct ns_msg *m)
{
	struct udp_bind **bp = udp_bind_find(c, m->vport), *b = *bp;

	if (!b)
		return;
	*bp = b->next;
	udp_bind_kill_peers(b);
	udp_remove(b->pcb);
	free(b);
}

/**
 * udp_relay_out() - send a datagram to the LAN from a view port
 * @b:		view port
 * @dst:	LAN address
 * @port:	LAN port
 * @data:	payload
 * @len:	its length
 */
static void udp_relay_out(struct udp_bind *b, const ip_addr_t *dst,
			  uint16_t port, const void *data, size_t len)
{
	struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
	err_t err;

	if (!p)
		return;
	memcpy(p->payload, data, len);
	err = udp_sendto(b->pcb, p, dst, port);
	if (err != ERR_OK)
		ns_dbg("UDP: to %s port %u: lwIP error %d", ipaddr_ntoa(dst),
		       port, err);
	pbuf_free(p);
}

/**
 * udp_relay_send() - NS_UDP_SEND: a datagram from a guest to the LAN
 * @c:		context
 * @m:		the message
 * @data:	payload, @m->len bytes
 */
void udp_relay_send(struct ctx *c, const struct ns_msg *m, const void *data)
{
	struct udp_bind *b = *udp_bind_find(c, m->vport);
	ip_addr_t dst;
	err_t err;

	if (!b && !(b = udp_bind_new(c, m->vport, &err))) {
		ns_dbg("UDP: cannot send from view port %u: lwIP error %d",
		       m->vport, err);
		return;
	}
	ctl_addr_get(&dst, m->addr);
	udp_relay_out(b, &dst, m->aport, data, m->len);
}

/**
 * udp_relay_connect() - NS_UDP_CONNECT: a relay socket for a connected
 *			 guest socket
 * @c:		context
 * @m:		the message
 */
void udp_relay_connect(struct ctx *c, const struct ns_msg *m)
{
	struct udp_bind *b = *udp_bind_find(c, m->vport);
	struct ns_msg r = { .type = NS_FAILED, .id = m->id, .err = ENOBUFS,
			    .vport = m->vport };
	struct udp_peer *p;
	ip_addr_t dst;
	err_t err;

	if (!b && !(b = udp_bind_new(c, m->vport, &err))) {
		r.err = err == ERR_USE ? EADDRINUSE : ENOBUFS;
		ctl_send(c, &r, NULL);
		return;
	}
	if (b->host_port != m->port || b->loop6 != (m->err == NS_LOOP6))
		udp_bind_kill_peers(b);
	b->host_port = m->port;
	b->loop6 = m->err == NS_LOOP6;
	ctl_addr_get(&dst, m->addr);
	if ((p = udp_peer_get(b, &dst, m->aport))) {
		p->last = c->now;
		r.type = NS_CONNECTED;
		r.err = 0;
		r.port = p->host_port;
		r.aport = m->aport;
		memcpy(r.addr, m->addr, sizeof(r.addr));
	}
	ctl_send(c, &r, NULL);
}

/**
 * udp_relay_event() - a relay socket is readable: the guest answers
 * @c:		context
 * @ev:		the relay socket's
 * @events:	EPOLL* mask
 */
void udp_relay_event(struct ctx *c, struct ns_ev *ev, uint32_t events)
{
	struct udp_peer *p = container_of(ev, struct udp_peer, ev);
	ssize_t n;
	int i;

	(void)events;
	for (i = 0; i < UDP_BUDGET && p->b; i++) {
		n = recv(p->fd, udp_buf, sizeof(udp_buf), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n < 0)	/* ECONNREFUSED: nobody at the guest's port */
			continue;
		udp_relay_out(p->b, &p->addr, p->port, udp_buf, (size_t)n);
		p->last = c->now;
	}
}

/**
 * udp_relay_reap() - free the relay sockets closed meanwhile
 * @c:		context
 */
void udp_relay_reap(struct ctx *c)
{
	struct udp_peer *p;

	while ((p = c->udp.dead)) {
		c->udp.dead = p->next;
		free(p);
	}
}

/**
 * udp_relay_timer() - once a second: close idle relay sockets
 * @c:		context
 */
void udp_relay_timer(struct ctx *c)
{
	struct udp_peer **pp, *p;
	struct udp_bind *b;

	for (b = c->udp.binds; b; b = b->next) {
		for (pp = &b->peers; (p = *pp);) {
			if (c->now - p->last < UDP_PEER_IDLE_MS) {
				pp = &p->next;
				continue;
			}
			*pp = p->next;
			udp_peer_kill(c, p);
		}
	}
}

/**
 * udp_relay_close() - close everything, at exit
 * @c:		context
 */
void udp_relay_close(struct ctx *c)
{
	struct udp_bind *b;

	while ((b = c->udp.binds)) {
		c->udp.binds = b->next;
		udp_bind_kill_peers(b);
		udp_remove(b->pcb);
		free(b);
	}
	udp_relay_reap(c);
}
