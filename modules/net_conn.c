// SPDX-License-Identifier: GPL-2.0-or-later
/* net_conn.c - connect, accept, getsockname and getpeername in a view
 *
 * See net_sock.c for the rules: the supervisor makes the call on its copy
 * of the guest's socket with the translated address, and a call that must
 * wait is answered from the event loop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "net_internal.h"

/**
 * struct ns_wait - a connect or accept waiting for its socket
 * @n:		module state
 * @d:		the deferred call
 * @s:		the socket (s.fd: the copy watched)
 * @flags:	accept4's flags
 */
struct ns_wait {
	struct net *n;
	struct facet_deferred *d;
	struct nsock s;
	int flags;
};

/**
 * ns_wait_cancel() - the guest stopped waiting (signal, death)
 * @arg:	struct ns_wait
 */
static void ns_wait_cancel(void *arg)
{
	struct ns_wait *w = arg;

	facet_unwatch(w->n->f, w->s.fd);
	ns_put(&w->s);
	free(w);
}

/**
 * ns_wait_start() - defer @call until @s's fd shows @events
 * @n:		module state
 * @call:	the call
 * @s:		the socket; its copy passes to the wait
 * @events:	EPOLLIN or EPOLLOUT
 * @cb:		what runs then
 * @flags:	kept in the wait
 * Return: outcome
 */
static enum facet_outcome ns_wait_start(struct net *n, struct facet_call *call,
					struct nsock *s, uint32_t events,
					void (*cb)(struct facet *f, int fd,
						   uint32_t events, void *arg),
					int flags)
{
	struct ns_wait *w = calloc(1, sizeof(*w));

	if (!w)
		return ns_done(call, -ENOMEM);
	w->n = n;
	w->s = *s;
	w->flags = flags;
	if (facet_watch(n->f, w->s.fd, events, cb, w) < 0) {
		free(w);
		return ns_done(call, -ENOMEM);
	}
	if (!(w->d = facet_defer(n->f, call, ns_wait_cancel, w))) {
		facet_unwatch(n->f, w->s.fd);
		free(w);
		return ns_done(call, -ENOMEM);
	}
	s->fd = -1;		/* the wait's now */
	return FACET_DEFER;
}

/**
 * ns_wait_end() - answer a wait's call with @r and free it
 * @w:	the wait
 * @r:	result or -errno
 */
static void ns_wait_end(struct ns_wait *w, int64_t r)
{
	facet_unwatch(w->n->f, w->s.fd);
	facet_reply(w->n->f, w->d, r < 0 ? -1 : r, r < 0 ? (int)-r : 0);
	ns_put(&w->s);
	free(w);
}

/**
 * ns_blocking() - is the guest's socket in blocking mode?
 * @s:	the socket
 * Return: true if so
 */
bool ns_blocking(const struct nsock *s)
{
	int fl = fcntl(s->fd, F_GETFL);

	return fl >= 0 && !(fl & O_NONBLOCK);
}

/**
 * conn_note() - after a connect to the view's own listener, note the
 *		 client's host port, so that accept() knows it
 * @n:		module state
 * @s:		the socket
 * @v:		the view address it connected to
 * @kind:	enum ns_kind
 */
static void conn_note(struct net *n, const struct nsock *s,
		      const struct sockaddr_in6 *v, int kind)
{
	struct sockaddr_in6 h;
	struct net_sockrec *r;

	rec_drop(n, s->ino);
	if (kind == NS_DNS && (r = rec_get(n, s->ino, true))) {
		r->dns = true;
		r->dns6 = !na_is_v4(&v->sin6_addr);
	}
	if (kind != NS_VIEW)
		return;
	if ((s->type == SOCK_DGRAM || na_own(&n->conf, &v->sin6_addr)) &&
	    (r = rec_get(n, s->ino, true)))
		r->peer = *v;
	if (ns_key(s) == IPPROTO_TCP && host_name(s, false, &h) == 0)
		client_add(n, ntohs(h.sin6_port), &v->sin6_addr);
}

/**
 * conn_done() - a blocking connect's socket became writable
 * @f:		supervisor context
 * @fd:		the copy
 * @events:	what happened
 * @arg:	struct ns_wait
 */
static void conn_done(struct facet *f, int fd, uint32_t events, void *arg)
{
	(void)f;
	(void)events;
	ns_wait_end(arg, ns_sock_error(fd));
}

/**
 * ns_sock_error() - how a connect that was under way ended (SO_ERROR)
 * @fd:		the socket
 * Return: 0 or -errno
 */
int ns_sock_error(int fd)
{
	socklen_t l = sizeof(int);
	int err = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0)
		err = errno;
	return -err;
}

/**
 * conn_tcp() - connect a stream socket to host address @h without
 *		blocking the supervisor
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * @h:		host destination
 * @v:		view destination
 * @kind:	enum ns_kind
 * Return: outcome
 */
static enum facet_outcome conn_tcp(struct net *n, struct facet_call *call,
				   struct nsock *s, const struct sockaddr_in6 *h,
				   const struct sockaddr_in6 *v, int kind)
{
	bool blocking = ns_blocking(s);
	int fl = fcntl(s->fd, F_GETFL), r, e;
	struct sockaddr_storage ss;
	socklen_t l = na_to(h, s->family, &ss);

	if (!l)
		return ns_done(call, -ENETUNREACH);
	/* the copy shares the guest's file: O_NONBLOCK for this call only */
	if (blocking)
		fcntl(s->fd, F_SETFL, fl | O_NONBLOCK);
	r = connect(s->fd, (struct sockaddr *)&ss, l);
	e = errno;
	if (blocking)
		fcntl(s->fd, F_SETFL, fl);
	if (r == 0 || e == EINPROGRESS)
		conn_note(n, s, v, kind);
	if (r == 0)
		return ns_done(call, 0);
	if ((e == EINPROGRESS || e == EALREADY) && blocking)
		return ns_wait_start(n, call, s, EPOLLOUT, conn_done, 0);
	return ns_done(call, -e);
}

/**
 * conn_unspec() - connect(AF_UNSPEC): dissolve the association
 * @n:		module state
 * @s:		the socket
 * Return: 0 or -errno
 */
static int conn_unspec(struct net *n, const struct nsock *s)
{
	struct sockaddr sa = { .sa_family = AF_UNSPEC };

	rec_drop(n, s->ino);
	return connect(s->fd, &sa, sizeof(sa)) < 0 ? -errno : 0;
}

/**
 * ns_connect() - connect(fd, addr, len)
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * Return: outcome
 */
enum facet_outcome ns_connect(struct net *n, struct facet_call *call,
			      struct nsock *s)
{
	struct sockaddr_in6 v, h;
	struct sockaddr_storage ss;
	socklen_t len;
	int r, kind;

	if ((r = ns_read_addr(n, call, call->args[1], call->args[2], &ss, &len)) < 0)
		return ns_done(call, r);
	if (len >= sizeof(sa_family_t) && ss.ss_family == AF_UNSPEC)
		return ns_done(call, conn_unspec(n, s));
	if ((r = na_from(&ss, len, &v)) < 0 ||
	    (r = ns_check_family(s, ss.ss_family, true)) < 0)
		return ns_done(call, r);
	if ((r = ns_dest(n, s, &v, &h, &kind)) < 0)
		return ns_done(call, r);
	if (kind == NS_LAN && s->type == SOCK_STREAM)
		return lan_connect(n, call, s, &v);
	if (kind == NS_LAN)
		return ns_done(call, lan_udp_connect(n, s, &v));
	if (s->type == SOCK_STREAM)
		return conn_tcp(n, call, s, &h, &v, kind);
	if (kind == NS_DNS && !n->dns_uplen) {
		/* no resolver to forward to: queries go unanswered */
		na_host_loopback(&v.sin6_addr, &h.sin6_addr);
		h.sin6_port = 0;
	}
	if (ns_key(s) && (r = ns_autobind(n, s)) < 0)
		return ns_done(call, r);
	if (!(len = na_to(&h, s->family, &ss)))
		return ns_done(call, -ENETUNREACH);
	if (connect(s->fd, (struct sockaddr *)&ss, len) < 0)
		return ns_done(call, -errno);
	conn_note(n, s, &v, kind);
	return ns_done(call, 0);
}

/**
 * acc_allowed() - may the view see connection @c on listener @s?
 * @n:		module state
 * @s:		the listener
 * @peer:	the host address of the connecting side
 * Return: true if so
 */
static bool acc_allowed(struct net *n, const struct nsock *s,
			const struct sockaddr_in6 *peer)
{
	const struct lan_peer *lp = NULL;
	struct sockaddr_in6 h;
	struct net_port *p;

	if (na_loopback(&peer->sin6_addr) &&
	    client_find(n, ntohs(peer->sin6_port)))
		return true;		/* from the view itself */
	if (host_name(s, false, &h) < 0)
		return false;
	p = port_by_host(n, IPPROTO_TCP, ntohs(h.sin6_port));
	if (p && n->conf.mode == NET_VDE && na_loopback(&peer->sin6_addr))
		lp = lan_peer(n, IPPROTO_TCP, ntohs(peer->sin6_port));
	return p && (p->published || (lp && lp->vport == p->vport));
}

/**
 * acc_try() - take one connection the view may see off listener @s
 * @n:		module state
 * @call:	the call, answered on success
 * @s:		the listener
 * @flags:	accept4's flags
 * Return: 1 answered, 0 nothing queued, or -errno (not answered)
 */
static int acc_try(struct net *n, struct facet_call *call,
		   const struct nsock *s, int flags)
{
	struct pollfd p = { .fd = s->fd, .events = POLLIN };
	struct nsock c = { .family = s->family, .type = s->type,
			   .proto = s->proto };
	struct sockaddr_storage ss;
	struct sockaddr_in6 h, v;
	socklen_t l;
	int r;

	/* only the supervisor accepts on this socket (the guest's accept is
	 * trapped), so what poll() says is still true at accept4() */
	while (poll(&p, 1, 0) == 1) {
		l = sizeof(ss);
		c.fd = accept4(s->fd, (struct sockaddr *)&ss, &l, SOCK_CLOEXEC);
		if (c.fd < 0)
			return errno == EAGAIN || errno == ECONNABORTED ? 0 : -errno;
		if (na_from(&ss, l, &h) < 0 || !acc_allowed(n, s, &h)) {
			close(c.fd);
			continue;
		}
		c.ino = 0;
		view_peer(n, &c, &h, &v);
		if (flags & SOCK_NONBLOCK)
			fcntl(c.fd, F_SETFL, O_NONBLOCK | O_RDWR);
		r = ns_write_addr(n, call, &v, s->family, call->args[1],
				  call->args[2]);
		if (r == 0)
			r = facet_addfd(n->f, call, c.fd, flags & SOCK_CLOEXEC ? O_CLOEXEC : 0);
		close(c.fd);
		return r < 0 ? r : 1;
	}
	return 0;
}

/**
 * acc_ready() - a waiting accept's listener became readable
 * @f:		supervisor context
 * @fd:		the copy
 * @events:	what happened
 * @arg:	struct ns_wait
 */
static void acc_ready(struct facet *f, int fd, uint32_t events, void *arg)
{
	struct ns_wait *w = arg;
	struct facet_call *call = facet_deferred_call(w->d);
	int r;

	(void)f;
	(void)fd;
	(void)events;
	r = acc_try(w->n, call, &w->s, w->flags);
	if (r == 0)
		return;			/* someone else's: wait on */
	ns_wait_end(w, r < 0 ? r : call->ret);
}

/**
 * ns_accept() - accept(fd, addr, lenp) and accept4(..., flags)
 * @n:		module state
 * @call:	the call
 * @s:		the listener
 * Return: outcome
 */
enum facet_outcome ns_accept(struct net *n, struct facet_call *call,
			     struct nsock *s)
{
	int flags = call->nr == __NR_accept4 ? (int)call->args[3] : 0, on = 0, r;
	socklen_t l = sizeof(on);

	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return ns_done(call, -EINVAL);
	if (s->type != SOCK_STREAM)
		return ns_done(call, -EOPNOTSUPP);
	if (getsockopt(s->fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &l) < 0 || !on)
		return ns_done(call, -EINVAL);
	r = acc_try(n, call, s, flags);
	if (r > 0)
		return FACET_REPLY;
	if (r < 0)
		return ns_done(call, r);
	if (!ns_blocking(s))
		return ns_done(call, -EAGAIN);
	return ns_wait_start(n, call, s, EPOLLIN, acc_ready, flags);
}

/**
 * ns_getname() - getsockname(fd, addr, lenp) and getpeername
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * Return: outcome
 */
enum facet_outcome ns_getname(struct net *n, struct facet_call *call,
			      const struct nsock *s)
{
	bool peer = call->nr == __NR_getpeername;
	struct sockaddr_in6 h, v;
	int r = host_name(s, peer, &h);

	if (r < 0)
		return ns_done(call, r);
	if (peer)
		view_peer(n, s, &h, &v);
	else
		view_local(n, s, &h, &v);
	return ns_done(call, ns_write_addr(n, call, &v, s->family,
					   call->args[1], call->args[2]));
}
