// SPDX-License-Identifier: GPL-2.0-or-later
/* ctl.c - the messages with facet on fd 3
 *
 * fd 3 is one end of a SOCK_SEQPACKET socketpair: every message is one
 * datagram, a struct ns_msg and its payload (netstack_proto.h).  It is
 * non-blocking both ways: what facet does not take at once waits in a
 * queue here, sent when fd 3 is writable again, so that a slow facet never
 * stalls the relays.  When fd 3 hangs up (facet is gone) or NS_BYE
 * arrives, facet-netstack drains and exits.
 *
 * Extensions to netstack_proto.h that facet may ignore: NS_HELLO carries
 * NS_PROTO_VERSION in @id and the port of the relay listener on ::1 (0:
 * none) in @vport; NS_CONNECTED carries the LAN connection's local
 * port in @vport; NS_PEER carries the protocol (IPPROTO_TCP, IPPROTO_UDP)
 * in @id and the view port in @vport; an NS_LISTEN or NS_UDP_BIND that
 * lwIP refuses is answered with NS_FAILED, @id 0 and the view port in
 * @vport.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "netstack.h"

#define CTL_MSG_MAX	(sizeof(struct ns_msg) + UINT16_MAX)
#define CTL_BUDGET	64	/* messages read per event */

/**
 * struct ctl_out - a message facet has not taken yet
 * @next:	next one
 * @len:	length of @data
 * @data:	header and payload
 */
struct ctl_out {
	struct ctl_out *next;
	size_t len;
	unsigned char data[];
};

/**
 * ctl_probe() - is fd 3 the socket facet gives us?
 *
 * Return: 3 if fd 3 is a SOCK_SEQPACKET socket, -1 otherwise
 */
int ctl_probe(void)
{
	socklen_t len = sizeof(int);
	int type;

	if (getsockopt(CTL_FD, SOL_SOCKET, SO_TYPE, &type, &len) ||
	    type != SOCK_SEQPACKET)
		return -1;
	return CTL_FD;
}

/**
 * ctl_init() - make fd 3 non-blocking and watch it
 * @c:		context, with c->ctl.fd from ctl_probe()
 *
 * Return: 0, or -errno
 */
int ctl_init(struct ctx *c)
{
	int fd = c->ctl.fd;

	if (fd < 0)
		return -ENOTSOCK;
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC))
		return -errno;
	c->ctl.ev.type = EV_CTL;
	c->ctl.out_tail = &c->ctl.out;
	return ev_add(c, fd, EPOLLIN | EPOLLRDHUP, &c->ctl.ev);
}

/**
 * ctl_close() - stop talking to facet
 * @c:		context
 * @why:	why, for the log
 */
static void ctl_close(struct ctx *c, const char *why)
{
	struct ctl_out *o;

	if (c->ctl.fd < 0)
		return;
	close(c->ctl.fd);
	c->ctl.fd = -1;
	while ((o = c->ctl.out)) {
		c->ctl.out = o->next;
		free(o);
	}
	c->ctl.out_tail = &c->ctl.out;
	netstack_quit(c, why);
}

/**
 * ctl_queue() - keep a message until fd 3 is writable
 * @c:		context
 * @iov:	header and payload
 * @len:	their total length
 */
static void ctl_queue(struct ctx *c, const struct iovec iov[2], size_t len)
{
	struct ctl_out *o = malloc(sizeof(*o) + len);

	if (!o) {
		ns_err("out of memory: message to facet lost");
		return;
	}
	o->next = NULL;
	o->len = len;
	memcpy(o->data, iov[0].iov_base, iov[0].iov_len);
	if (iov[1].iov_len)
		memcpy(o->data + iov[0].iov_len, iov[1].iov_base, iov[1].iov_len);
	if (!c->ctl.out)
		ev_mod(c, c->ctl.fd, EPOLLIN | EPOLLRDHUP | EPOLLOUT, &c->ctl.ev);
	*c->ctl.out_tail = o;
	c->ctl.out_tail = &o->next;
}

/**
 * ctl_send() - send a message to facet
 * @c:		context
 * @m:		header; @m->len is the payload's length
 * @payload:	payload, or NULL if @m->len is 0
 */
void ctl_send(struct ctx *c, const struct ns_msg *m, const void *payload)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)m, .iov_len = sizeof(*m) },
		{ .iov_base = (void *)payload, .iov_len = m->len },
	};
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };

	if (c->ctl.fd < 0)
		return;
	if (!c->ctl.out) {
		if (sendmsg(c->ctl.fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT) >= 0)
			return;
		if (errno != EAGAIN && errno != ENOBUFS) {
			ctl_close(c, "fd 3 is closed");
			return;
		}
	}
	ctl_queue(c, iov, sizeof(*m) + m->len);
}

/**
 * ctl_flush() - send what waits for facet, while fd 3 takes it
 * @c:		context
 */
static void ctl_flush(struct ctx *c)
{
	struct ctl_out *o;

	while ((o = c->ctl.out)) {
		if (send(c->ctl.fd, o->data, o->len,
			 MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
			if (errno != EAGAIN && errno != ENOBUFS)
				ctl_close(c, "fd 3 is closed");
			return;
		}
		c->ctl.out = o->next;
		free(o);
	}
	c->ctl.out_tail = &c->ctl.out;
	ev_mod(c, c->ctl.fd, EPOLLIN | EPOLLRDHUP, &c->ctl.ev);
}

/**
 * ctl_hello() - tell facet we are ready, or why we cannot start
 * @c:		context
 * @err:	0, or the errno that stopped us
 * @why:	message when @err is set, or NULL
 */
void ctl_hello(struct ctx *c, int err, const char *why)
{
	struct ns_msg m = {
		.type = NS_HELLO, .err = (uint16_t)err, .id = NS_PROTO_VERSION,
		.port = c->tcp.port, .vport = c->tcp.port6,
		.len = why ? (uint16_t)strlen(why) : 0,
	};

	ctl_send(c, &m, why);
}

/**
 * ctl_dispatch() - act on one message from facet
 * @c:		context
 * @buf:	the message
 * @n:		its length
 */
static void ctl_dispatch(struct ctx *c, const unsigned char *buf, size_t n)
{
	struct ns_msg m;

	if (n < sizeof(m)) {
		ns_warn("short message from facet (%zu bytes)", n);
		return;
	}
	memcpy(&m, buf, sizeof(m));
	if (m.len != n - sizeof(m)) {
		ns_warn("message from facet: length %u, payload %zu",
			m.len, n - sizeof(m));
		return;
	}
	switch (m.type) {
	case NS_CONNECT:	tcp_relay_connect(c, &m);		break;
	case NS_LISTEN:		tcp_relay_listen(c, &m);		break;
	case NS_UNLISTEN:	tcp_relay_unlisten(c, &m);		break;
	case NS_UDP_BIND:	udp_relay_bind(c, &m);			break;
	case NS_UDP_UNBIND:	udp_relay_unbind(c, &m);		break;
	case NS_UDP_SEND:	udp_relay_send(c, &m, buf + sizeof(m));	break;
	case NS_UDP_CONNECT:	udp_relay_connect(c, &m);		break;
	case NS_BYE:		netstack_quit(c, "facet said bye");	break;
	default:
		ns_warn("unknown message %u from facet", m.type);
	}
}

/**
 * ctl_event() - fd 3 is readable, writable or hung up
 * @c:		context
 * @events:	EPOLL* mask
 */
void ctl_event(struct ctx *c, uint32_t events)
{
	static unsigned char buf[CTL_MSG_MAX];
	ssize_t n;
	int i;

	if (events & EPOLLOUT)
		ctl_flush(c);
	for (i = 0; i < CTL_BUDGET && c->ctl.fd >= 0; i++) {
		n = recv(c->ctl.fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			ctl_close(c, "fd 3 hung up");
			return;
		}
		if (n < 0)
			break;
		if ((size_t)n > sizeof(buf)) {
			ns_warn("message from facet too long (%zd bytes)", n);
			continue;
		}
		ctl_dispatch(c, buf, (size_t)n);
	}
	if (i < CTL_BUDGET && c->ctl.fd >= 0 &&
	    (events & (EPOLLHUP | EPOLLERR)))
		ctl_close(c, "fd 3 hung up");
}

/**
 * ctl_addr_get() - an address from a message
 * @a:		lwIP address to set
 * @b:		IPv6 address, IPv4 as v4-mapped
 */
void ctl_addr_get(ip_addr_t *a, const uint8_t b[16])
{
	static const uint8_t v4mapped[12] = { [10] = 0xff, [11] = 0xff };
	ip6_addr_t a6;

	if (!memcmp(b, v4mapped, sizeof(v4mapped))) {
		IP_ADDR4(a, b[12], b[13], b[14], b[15]);
		return;
	}
	memcpy(a6.addr, b, 16);
	ip_addr_copy_from_ip6(*a, a6);
}

/**
 * ctl_addr_put() - an address into a message
 * @b:		IPv6 address to set, IPv4 as v4-mapped
 * @a:		lwIP address
 */
void ctl_addr_put(uint8_t b[16], const ip_addr_t *a)
{
	if (IP_IS_V4(a)) {
		memset(b, 0, 10);
		b[10] = b[11] = 0xff;
		memcpy(b + 12, &ip_2_ip4(a)->addr, 4);
		return;
	}
	memcpy(b, ip_2_ip6(a)->addr, 16);
}
