// SPDX-License-Identifier: GPL-2.0-or-later
/* net_dgram.c - sendto, sendmsg, recvfrom, recvmsg and their mmsg forms
 *
 * DOC: Theory of Operation
 *
 * A stream socket's data never meets the supervisor: send() and recv()
 * are not trapped, and sendto()/recvfrom() only when they carry an
 * address, which TCP ignores (MSG_FASTOPEN aside, refused here).  So for
 * stream sockets these calls go on to the kernel.
 *
 * A datagram socket's destination is in every sendmsg(), in memory the
 * guest could rewrite after a check, so the supervisor makes every send of
 * a datagram socket itself, on its copy, with the translated address and
 * a copy of the data; and every receive that reports a source address,
 * which it translates back (a reply from the host's loopback shows as from
 * the gateway, one from the upstream resolver as from 10.0.2.3).
 *
 * A call that would block waits in the event loop (its socket's readiness,
 * and SO_RCVTIMEO or SO_SNDTIMEO through a timerfd); it is tried again each
 * time, so no datagram is taken for a call that is no longer waiting.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <unistd.h>

#include "net_internal.h"

#define DG_MAX_DATA	(1u << 20)	/* more than a datagram can hold */
#define DG_MAX_CTL	(64u << 10)
#define DG_MAX_IOV	1024		/* UIO_MAXIOV */

/**
 * struct dg_wait - a datagram call waiting for its socket
 * @n:		module state
 * @d:		the deferred call
 * @s:		the socket (s.fd watched)
 * @tfd:	timerfd of its SO_RCVTIMEO/SO_SNDTIMEO, or -1
 * @op:		the operation, tried again when the socket is ready
 */
struct dg_wait {
	struct net *n;
	struct facet_deferred *d;
	struct nsock s;
	int tfd;
	int64_t (*op)(struct net *n, struct facet_call *call,
		      const struct nsock *s, bool wait);
};

/**
 * dg_wait_free() - stop watching and free @w
 * @w:	the wait
 */
static void dg_wait_free(struct dg_wait *w)
{
	facet_unwatch(w->n->f, w->s.fd);
	if (w->tfd >= 0) {
		facet_unwatch(w->n->f, w->tfd);
		close(w->tfd);
	}
	ns_put(&w->s);
	free(w);
}

/**
 * dg_cancel() - the guest stopped waiting
 * @arg:	struct dg_wait
 */
static void dg_cancel(void *arg)
{
	dg_wait_free(arg);
}

/**
 * dg_ready() - the socket is ready, or the timeout ran out: try again
 * @f:		supervisor context
 * @fd:		the socket's copy or the timerfd
 * @events:	what happened
 * @arg:	struct dg_wait
 */
static void dg_ready(struct facet *f, int fd, uint32_t events, void *arg)
{
	struct dg_wait *w = arg;
	int64_t r;

	(void)events;
	if (fd == w->tfd) {
		r = -EAGAIN;
	} else {
		r = w->op(w->n, facet_deferred_call(w->d), &w->s, true);
		if (r == -EAGAIN)
			return;
	}
	facet_reply(f, w->d, r < 0 ? -1 : r, r < 0 ? (int)-r : 0);
	dg_wait_free(w);
}

/**
 * dg_timer() - a timerfd for the socket's timeout option @opt
 * @s:		the socket
 * @opt:	SO_RCVTIMEO or SO_SNDTIMEO
 * Return: the timerfd, or -1 if there is no timeout
 */
static int dg_timer(const struct nsock *s, int opt)
{
	struct timeval tv = { 0 };
	socklen_t l = sizeof(tv);
	struct itimerspec it = { 0 };
	int fd;

	if (getsockopt(s->fd, SOL_SOCKET, opt, &tv, &l) < 0 ||
	    (!tv.tv_sec && !tv.tv_usec))
		return -1;
	if ((fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK)) < 0)
		return -1;
	it.it_value.tv_sec = tv.tv_sec;
	it.it_value.tv_nsec = tv.tv_usec * 1000;
	timerfd_settime(fd, 0, &it, NULL);
	return fd;
}

/**
 * dg_run() - run @op now, or wait for the socket if it would block
 * @n:		module state
 * @call:	the call
 * @s:		the socket; its copy passes to the wait
 * @op:		the operation
 * @flags:	the call's MSG_* flags (MSG_DONTWAIT never waits)
 * @out:	sending (wait for EPOLLOUT), else receiving
 * Return: outcome
 */
static enum facet_outcome dg_run(struct net *n, struct facet_call *call,
				 struct nsock *s,
				 int64_t (*op)(struct net *, struct facet_call *,
					       const struct nsock *, bool),
				 int flags, bool out)
{
	int64_t r = op(n, call, s, false);
	struct dg_wait *w;

	if (r != -EAGAIN || (flags & MSG_DONTWAIT) || !ns_blocking(s))
		return ns_done(call, r);
	if (!(w = calloc(1, sizeof(*w))))
		return ns_done(call, -ENOMEM);
	*w = (struct dg_wait){ .n = n, .s = *s, .op = op,
		.tfd = dg_timer(s, out ? SO_SNDTIMEO : SO_RCVTIMEO) };
	if (facet_watch(n->f, w->s.fd, out ? EPOLLOUT : EPOLLIN, dg_ready, w) < 0 ||
	    (w->tfd >= 0 && facet_watch(n->f, w->tfd, EPOLLIN, dg_ready, w) < 0) ||
	    !(w->d = facet_defer(n->f, call, dg_cancel, w))) {
		s->fd = -1;
		dg_wait_free(w);
		return ns_done(call, -ENOMEM);
	}
	s->fd = -1;
	return FACET_DEFER;
}

/**
 * dg_dest() - the host destination of a datagram to guest address @ga
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * @ga:		guest pointer to the address, or 0 for the connected peer
 * @glen:	its length
 * @h:		filled in
 * @hlen:	set to its length (0: no address, send to the peer)
 * @lan:	set to the destination if it is on the LAN
 * Return: 0, 1 to drop the datagram silently (DNS with no upstream), 2
 *	   for a LAN destination (the netstack sends it), or -errno
 */
static int dg_dest(struct net *n, struct facet_call *call,
		   const struct nsock *s, uint64_t ga, uint64_t glen,
		   struct sockaddr_storage *h, socklen_t *hlen,
		   struct sockaddr_in6 *lan)
{
	struct sockaddr_in6 v, hv;
	struct sockaddr_storage ss;
	struct net_sockrec *rec;
	socklen_t len;
	int r, kind;

	*hlen = 0;
	if (!ga)
		return 0;
	if ((r = ns_read_addr(n, call, ga, glen, &ss, &len)) < 0 ||
	    (r = na_from(&ss, len, &v)) < 0 ||
	    (r = ns_check_family(s, ss.ss_family, true)) < 0 ||
	    (r = ns_dest(n, s, &v, &hv, &kind)) < 0)
		return r;
	if (kind == NS_DNS && !n->dns_uplen)
		return 1;
	if (kind == NS_LAN) {
		*lan = v;
		return ns_autobind(n, s) < 0 ? -EADDRNOTAVAIL : 2;
	}
	if (kind == NS_DNS && (rec = rec_get(n, s->ino, true))) {
		rec->dns = true;
		rec->dns6 = !na_is_v4(&v.sin6_addr);
	}
	if (kind == NS_VIEW && ((rec = rec_get(n, s->ino, false)) ||
				na_own(&n->conf, &v.sin6_addr)) &&
	    (rec || (rec = rec_get(n, s->ino, true))))
		rec->own = na_own(&n->conf, &v.sin6_addr);
	if (!(*hlen = na_to(&hv, s->family, h)))
		return -ENETUNREACH;
	if (ns_key(s) && (r = ns_autobind(n, s)) < 0)
		return r;
	return 0;
}

/**
 * dg_scatter() - copy @len bytes of @buf into @iovcnt guest iovecs
 * @n:		module state
 * @call:	the call
 * @iovp:	guest pointer to the iovecs
 * @iovcnt:	how many
 * @buf:	data
 * @len:	its length
 * Return: 0 or -errno
 */
static int dg_scatter(struct net *n, struct facet_call *call, uint64_t iovp,
		      size_t iovcnt, const char *buf, size_t len)
{
	struct iovec iov;
	size_t i, k;

	for (i = 0; i < iovcnt && len; i++) {
		if (facet_read(n->f, call, iovp + i * sizeof(iov), &iov, sizeof(iov)) < 0)
			return -EFAULT;
		k = iov.iov_len < len ? iov.iov_len : len;
		if (k && facet_write(n->f, call, (uint64_t)iov.iov_base, buf, k) < 0)
			return -EFAULT;
		buf += k;
		len -= k;
	}
	return 0;
}

/**
 * dg_iov_len() - the room of @iovcnt guest iovecs
 * @n:		module state
 * @call:	the call
 * @iovp:	guest pointer to the iovecs
 * @iovcnt:	how many
 * Return: their total length (capped at DG_MAX_DATA), or -errno
 */
static ssize_t dg_iov_len(struct net *n, struct facet_call *call, uint64_t iovp,
			  size_t iovcnt)
{
	struct iovec iov;
	size_t i, total = 0;

	if (iovcnt > DG_MAX_IOV)
		return -EMSGSIZE;
	for (i = 0; i < iovcnt && total < DG_MAX_DATA; i++) {
		if (facet_read(n->f, call, iovp + i * sizeof(iov), &iov, sizeof(iov)) < 0)
			return -EFAULT;
		total += iov.iov_len;
	}
	return (ssize_t)(total > DG_MAX_DATA ? DG_MAX_DATA : total);
}

/**
 * dg_send_one() - send one guest msghdr @m on @s
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * @m:		the guest's msghdr (its pointers are guest addresses)
 * @flags:	MSG_* flags
 * Return: bytes sent, or -errno
 */
static int64_t dg_send_one(struct net *n, struct facet_call *call,
			   const struct nsock *s, const struct msghdr *m,
			   int flags)
{
	struct sockaddr_storage h;
	struct sockaddr_in6 lan;
	struct msghdr hm = { 0 };
	struct iovec iov;
	char *data = NULL, *ctl = NULL;
	ssize_t len;
	int64_t r;

	if ((r = dg_dest(n, call, s, (uint64_t)m->msg_name, m->msg_namelen, &h,
			 &hm.msg_namelen, &lan)) != 0 && r != 2)
		return r < 0 ? r : dg_iov_len(n, call, (uint64_t)m->msg_iov, m->msg_iovlen);
	if ((len = facet_read_iov(n->f, call, (uint64_t)m->msg_iov, m->msg_iovlen,
				  DG_MAX_DATA, &data)) < 0)
		return len;
	if (r == 2) {
		r = lan_udp_send(n, s, &lan, data, (size_t)len);
		free(data);
		return r;
	}
	if (m->msg_controllen > DG_MAX_CTL) {
		free(data);
		return -ENOBUFS;
	}
	if (m->msg_controllen && (!(ctl = malloc(m->msg_controllen)) ||
	    facet_read(n->f, call, (uint64_t)m->msg_control, ctl, m->msg_controllen) < 0)) {
		free(data);
		free(ctl);
		return ctl ? -EFAULT : -ENOMEM;
	}
	iov = (struct iovec){ data, (size_t)len };
	hm.msg_name = hm.msg_namelen ? &h : NULL;
	hm.msg_iov = &iov;
	hm.msg_iovlen = 1;
	hm.msg_control = ctl;
	hm.msg_controllen = ctl ? m->msg_controllen : 0;
	r = sendmsg(s->fd, &hm, flags | MSG_DONTWAIT | MSG_NOSIGNAL);
	r = r < 0 ? -errno : r;
	free(data);
	free(ctl);
	return r;
}

/**
 * dg_recv_one() - receive one datagram into guest msghdr @m (at guest
 *		   address @mp, whose msg_namelen, msg_controllen and
 *		   msg_flags are updated)
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * @m:		the guest's msghdr
 * @mp:		its guest address
 * @flags:	MSG_* flags
 * Return: bytes received, or -errno
 */
static int64_t dg_recv_one(struct net *n, struct facet_call *call,
			   const struct nsock *s, struct msghdr *m, uint64_t mp,
			   int flags)
{
	ssize_t room = dg_iov_len(n, call, (uint64_t)m->msg_iov, m->msg_iovlen);
	size_t clen = m->msg_controllen > DG_MAX_CTL ? DG_MAX_CTL : m->msg_controllen;
	struct sockaddr_storage ss;
	struct sockaddr_in6 h, v;
	struct msghdr hm = { 0 };
	struct iovec iov;
	int64_t r;
	char *data, *ctl = NULL;

	if (room < 0)
		return room;
	if (!(data = malloc((size_t)room + 1)) || (clen && !(ctl = malloc(clen)))) {
		free(data);
		return -ENOMEM;
	}
	iov = (struct iovec){ data, (size_t)room };
	hm = (struct msghdr){ .msg_name = &ss, .msg_namelen = sizeof(ss),
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
		.msg_controllen = clen };
	r = recvmsg(s->fd, &hm, flags | MSG_DONTWAIT);
	if (r < 0) {
		r = -errno;
		goto out;
	}
	if (dg_scatter(n, call, (uint64_t)m->msg_iov, m->msg_iovlen, data,
		       (size_t)r < (size_t)room ? (size_t)r : (size_t)room) < 0 ||
	    (clen && hm.msg_controllen &&
	     facet_write(n->f, call, (uint64_t)m->msg_control, ctl, hm.msg_controllen) < 0)) {
		r = -EFAULT;
		goto out;
	}
	if (m->msg_name && hm.msg_namelen && na_from(&ss, hm.msg_namelen, &h) == 0) {
		view_peer(n, s, &h, &v);
		m->msg_namelen = na_to(&v, s->family, &ss);
		if (facet_write(n->f, call, (uint64_t)m->msg_name, &ss,
				m->msg_namelen) < 0)
			r = -EFAULT;
	} else {
		m->msg_namelen = 0;
	}
	m->msg_controllen = clen ? hm.msg_controllen : 0;
	m->msg_flags = hm.msg_flags;
	if (r >= 0 && mp &&
	    facet_write(n->f, call, mp, m, sizeof(*m)) < 0)
		r = -EFAULT;
out:
	free(data);
	free(ctl);
	return r;
}

/**
 * dg_send_buf() - like dg_send_one(), the data being one guest buffer
 *		   (sendto) described by @m->msg_iov[0] in supervisor memory
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * @m:		msghdr whose msg_iov points to one iovec here
 * @flags:	MSG_* flags
 * Return: bytes sent, or -errno
 */
static int64_t dg_send_buf(struct net *n, struct facet_call *call,
		    const struct nsock *s, const struct msghdr *m, int flags)
{
	struct sockaddr_storage h;
	struct sockaddr_in6 lan;
	socklen_t hlen;
	size_t len = m->msg_iov[0].iov_len;
	char *data;
	int64_t r;

	if ((r = dg_dest(n, call, s, (uint64_t)m->msg_name, m->msg_namelen, &h,
			 &hlen, &lan)) != 0 && r != 2)
		return r < 0 ? r : (int64_t)len;
	if (len > DG_MAX_DATA)
		return -EMSGSIZE;
	if (!(data = malloc(len + 1)))
		return -ENOMEM;
	if (len && facet_read(n->f, call, (uint64_t)m->msg_iov[0].iov_base, data, len) < 0) {
		free(data);
		return -EFAULT;
	}
	if (r == 2) {
		r = lan_udp_send(n, s, &lan, data, len);
		free(data);
		return r;
	}
	r = sendto(s->fd, data, len, flags | MSG_DONTWAIT | MSG_NOSIGNAL,
		   hlen ? (struct sockaddr *)&h : NULL, hlen);
	r = r < 0 ? -errno : r;
	free(data);
	return r;
}

/**
 * op_sendto() - sendto(fd, buf, len, flags, addr, alen) of a datagram
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * @wait:	tried again after a wait
 * Return: bytes sent, or -errno
 */
static int64_t op_sendto(struct net *n, struct facet_call *call,
			 const struct nsock *s, bool wait)
{
	const uint64_t *a = call->args;
	struct iovec iov = { (void *)a[1], a[2] };
	struct msghdr m = { .msg_name = (void *)a[4], .msg_namelen = (socklen_t)a[5],
			    .msg_iov = (void *)&iov, .msg_iovlen = 1 };

	(void)wait;
	return dg_send_buf(n, call, s, &m, (int)a[3]);
}

/**
 * op_recvfrom() - recvfrom(fd, buf, len, flags, addr, alenp) of a datagram
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * @wait:	tried again after a wait
 * Return: bytes received, or -errno
 */
static int64_t op_recvfrom(struct net *n, struct facet_call *call,
			   const struct nsock *s, bool wait)
{
	const uint64_t *a = call->args;
	struct sockaddr_storage ss;
	struct sockaddr_in6 h, v;
	socklen_t l = sizeof(ss);
	size_t len = a[2] > DG_MAX_DATA ? DG_MAX_DATA : a[2];
	char *data = malloc(len + 1);
	int64_t r;

	(void)wait;
	if (!data)
		return -ENOMEM;
	r = recvfrom(s->fd, data, len, (int)a[3] | MSG_DONTWAIT,
		     (struct sockaddr *)&ss, &l);
	if (r < 0) {
		free(data);
		return -errno;
	}
	if (len && facet_write(n->f, call, a[1], data, (size_t)r < len ? (size_t)r : len) < 0)
		r = -EFAULT;
	free(data);
	if (r >= 0 && a[4] && na_from(&ss, l, &h) == 0) {
		view_peer(n, s, &h, &v);
		if (ns_write_addr(n, call, &v, s->family, a[4], a[5]) < 0)
			r = -EFAULT;
	}
	return r;
}

/**
 * op_sendmsg() - sendmsg(fd, msg, flags) of a datagram
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * @wait:	tried again after a wait
 * Return: bytes sent, or -errno
 */
static int64_t op_sendmsg(struct net *n, struct facet_call *call,
			  const struct nsock *s, bool wait)
{
	struct msghdr m;

	(void)wait;
	if (facet_read(n->f, call, call->args[1], &m, sizeof(m)) < 0)
		return -EFAULT;
	return dg_send_one(n, call, s, &m, (int)call->args[2]);
}

/**
 * op_recvmsg() - recvmsg(fd, msg, flags) of a datagram
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * @wait:	tried again after a wait
 * Return: bytes received, or -errno
 */
static int64_t op_recvmsg(struct net *n, struct facet_call *call,
			  const struct nsock *s, bool wait)
{
	struct msghdr m;

	(void)wait;
	if (facet_read(n->f, call, call->args[1], &m, sizeof(m)) < 0)
		return -EFAULT;
	return dg_recv_one(n, call, s, &m, call->args[1], (int)call->args[2]);
}

/**
 * op_mmsg() - sendmmsg(fd, vec, vlen, flags) and recvmmsg(..., timeout):
 *	       as many as go without blocking, after the first
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * @wait:	tried again after a wait
 * Return: messages done, or -errno if none was
 */
static int64_t op_mmsg(struct net *n, struct facet_call *call,
		       const struct nsock *s, bool wait)
{
	bool rx = call->nr == __NR_recvmmsg;
	unsigned int i, vlen = (unsigned int)call->args[2];
	int flags = (int)call->args[3];
	struct mmsghdr mm;
	uint64_t p;
	int64_t r = 0;

	(void)wait;
	if (vlen > DG_MAX_IOV)
		vlen = DG_MAX_IOV;
	for (i = 0; i < vlen; i++) {
		p = call->args[1] + i * sizeof(mm);
		if (facet_read(n->f, call, p, &mm, sizeof(mm)) < 0) {
			r = -EFAULT;
			break;
		}
		r = rx ? dg_recv_one(n, call, s, &mm.msg_hdr, p, flags)
		       : dg_send_one(n, call, s, &mm.msg_hdr, flags);
		if (r < 0)
			break;
		mm.msg_len = (unsigned int)r;
		if (facet_write(n->f, call, p + offsetof(struct mmsghdr, msg_len),
				&mm.msg_len, sizeof(mm.msg_len)) < 0) {
			r = -EFAULT;
			break;
		}
		if (rx && (flags & MSG_WAITFORONE))
			flags |= MSG_DONTWAIT;
	}
	return i ? (int64_t)i : r;
}

/**
 * ns_dgram() - a send or receive call on an IPv4/IPv6 socket
 * @n:		module state
 * @call:	the call
 * @s:		the socket
 * Return: outcome; FACET_PASS for stream sockets, whose data is the
 *	   kernel's
 */
enum facet_outcome ns_dgram(struct net *n, struct facet_call *call,
			    struct nsock *s)
{
	int64_t (*op)(struct net *, struct facet_call *, const struct nsock *, bool);
	int flags = (int)call->args[call->nr == __NR_sendmsg ||
				    call->nr == __NR_recvmsg ? 2 : 3];
	bool out = call->nr == __NR_sendto || call->nr == __NR_sendmsg ||
		   call->nr == __NR_sendmmsg;

	if (s->type == SOCK_STREAM) {
		if (out && (flags & MSG_FASTOPEN))
			return ns_done(call, -EOPNOTSUPP);
		return FACET_PASS;
	}
	switch (call->nr) {
	case __NR_sendto:
		op = op_sendto;
		break;
	case __NR_recvfrom:
		op = op_recvfrom;
		break;
	case __NR_sendmsg:
		op = op_sendmsg;
		break;
	case __NR_recvmsg:
		op = op_recvmsg;
		break;
	default:
		op = op_mmsg;
	}
	return dg_run(n, call, s, op, flags, out);
}
