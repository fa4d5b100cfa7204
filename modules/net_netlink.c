// SPDX-License-Identifier: GPL-2.0-or-later
/* net_netlink.c - the guest's NETLINK_ROUTE sockets: a socketpair whose
 *		   far end the supervisor answers with net_rtnl.c
 *
 * DOC: Theory of Operation
 *
 * socket(AF_NETLINK, ..., NETLINK_ROUTE) gives the guest one end of an
 * AF_UNIX SOCK_SEQPACKET socketpair; the supervisor keeps the other
 * (@peer).  Each reply message is one datagram written to @peer, so
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
 * Each request is answered by nl_answer() (net_rtnl.c).
 *
 * Port ids are given as the kernel's netlink_autobind() does: the process
 * id first, then -4097, -4098, ... for further sockets.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "net_internal.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK		270
#endif

#define NL_SEND_MAX	(1 << 20)	/* one request datagram, at most */
#define NL_RECV_MAX	(1 << 18)	/* bytes of one datagram copied out */
#define NL_DEFERRED	(-4096)		/* the call waits for a reply */
#define NL_ROVER	(-4097)		/* the kernel's first non-pid port id */
#define NL_PASS		(-4095)		/* nl_call(): not ours, FACET_PASS */

/* Bits of nl_sock.opts: one per SOL_NETLINK option, by number */
#define NL_OPT(o)	(1u << (o))

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
