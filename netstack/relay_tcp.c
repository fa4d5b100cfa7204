// SPDX-License-Identifier: GPL-2.0-or-later
/* relay_tcp.c - TCP connections between the host's loopback and the LAN
 *
 * DOC: Theory of Operation
 *
 * A relayed connection pairs a kernel socket on the host's loopback (the
 * guest's end) with an lwIP pcb (the LAN's end), and copies bytes both
 * ways:
 *
 * - guest to LAN, NS_CONNECT: lwIP connects; on success facet hears
 *   NS_CONNECTED and connects the guest's socket to the relay listener;
 *   the accepted socket is paired by its client port (@port of
 *   NS_CONNECT).  An lwIP connection nobody pairs within TCP_PAIR_MS is
 *   reset.  A relay connection that comes before NS_CONNECTED is paired
 *   too, and waits (reset if the LAN connection fails).
 * - LAN to guest, NS_LISTEN: an lwIP listener on the view port; for each
 *   connection lwIP accepts, facet hears NS_PEER and a kernel socket
 *   connects to the guest's listener on 127.0.0.1 (then ::1, if that is
 *   refused).
 *
 * Backpressure, both ways.  Kernel to LAN: the socket is read only while
 * lwIP's send buffer and segment queue have room, and no further; lwIP's
 * sent callback resumes reading.  LAN to kernel: what lwIP delivers is
 * queued as pbufs and written with sendmsg(); tcp_recved() opens lwIP's
 * receive window only for bytes the kernel took, so a guest that does not
 * read closes the LAN peer's window.
 *
 * One receive budget for all connections.  The switch holds only so much
 * for one port (vde_switch: its socket send buffer, about 90 frames) and
 * drops the rest, and lwIP recovers from many losses in a window only by
 * timeout: a burst larger than the port's buffer costs seconds.  So the
 * windows we advertise add up to TCP_RX_BUDGET: a connection that
 * received data in the last TCP_RX_ACTIVE_MS counts as active, each active
 * one may have TCP_RX_BUDGET / active (at least TCP_RX_MIN) of window, and
 * window freed by the kernel taking data beyond that is owed, given back
 * with tcp_recved() when the share grows again.
 *
 * Closing.  EOF from the kernel socket becomes tcp_shutdown() of the send
 * side (a FIN after the queued data); a FIN from the LAN becomes
 * shutdown(SHUT_WR) once the queued data is written.  When both have
 * happened the pcb is handed back to lwIP with tcp_close() (it finishes
 * the close itself) and the socket is closed.  A reset or error on either
 * side resets the other: tcp_abort() sends RST to the LAN, and a close
 * with SO_LINGER 0 sends RST to the guest.
 *
 * Re-entrancy.  lwIP's callbacks run inside tcp_input() and its timers,
 * and socket events arrive in batches, so neither frees anything: they
 * set flags and put the connection on the dirty list.  tcp_relay_run(),
 * called by the event loop after each batch and after lwIP's timers, does
 * the I/O and is the only place a connection is freed.
 *
 * Kernel sockets are edge-triggered: TC_READABLE and TC_WRITABLE remember
 * readiness until a read or write says EAGAIN, so the epoll set never
 * changes while a connection lives.
 */
#include <assert.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>	/* before lwIP: it has a TCP_MSS of its own */
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netstack.h"

#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"

static_assert(TCP_MSS == 9000 - 40, "glibc's TCP_MSS replaced lwIP's");

#define TCP_PAIR_MS	30000		/* NS_CONNECTED to the relay connect */
#define TCP_RX_BUDGET	TCP_WND		/* sum of windows of active connections */
#define TCP_RX_MIN	(2 * 1460)	/* smallest share */
#define TCP_RX_ACTIVE_MS 100		/* "active": received data this recently */
#define TCP_RX_COUNT_MS	20		/* how often shares are computed */
#define TCP_READ_BUDGET	(256 * 1024)	/* bytes from one socket per run */
#define TCP_IOV_MAX	64
#define TCP_CHUNK	UINT16_MAX	/* tcp_write(), tcp_recved() take u16 */

/**
 * enum tcp_conn_flags - state of a relayed connection
 * @TC_OUTGOING:	made by NS_CONNECT (guest to LAN)
 * @TC_LAN_UP:		lwIP's connection is established
 * @TC_LAN_GONE:	lwIP freed the pcb (error callback, @lan_err says why)
 * @TC_CONNECTING:	the kernel socket's connect() is in progress
 * @TC_LOOP6:		the kernel socket is on ::1, 127.0.0.1 was refused
 * @TC_K_ERR:		the kernel socket failed (@k_err says why)
 * @TC_READABLE:	the kernel socket may have data or EOF
 * @TC_WRITABLE:	the kernel socket may take data
 * @TC_LAN_FIN:		a FIN came from the LAN
 * @TC_K_SHUT:		... and was passed on: shutdown(SHUT_WR) is done
 * @TC_K_EOF:		EOF came from the kernel socket
 * @TC_LAN_SHUT:	... and was passed on: tcp_shutdown() is done
 * @TC_DIRTY:		on the dirty list
 */
enum tcp_conn_flags {
	TC_OUTGOING	= 1 << 0,
	TC_LAN_UP	= 1 << 1,
	TC_LAN_GONE	= 1 << 2,
	TC_CONNECTING	= 1 << 3,
	TC_LOOP6	= 1 << 4,
	TC_K_ERR	= 1 << 5,
	TC_READABLE	= 1 << 6,
	TC_WRITABLE	= 1 << 7,
	TC_LAN_FIN	= 1 << 8,
	TC_K_SHUT	= 1 << 9,
	TC_K_EOF	= 1 << 10,
	TC_LAN_SHUT	= 1 << 11,
	TC_DIRTY	= 1 << 12,
};

#define TC_DONE	(TC_LAN_FIN | TC_K_SHUT | TC_K_EOF | TC_LAN_SHUT)

/**
 * struct tcp_conn - one relayed connection
 * @ev:		event loop entry of @fd (EV_TCP)
 * @c:		context
 * @next:	next in c->tcp.conns
 * @pprev:	link pointing here
 * @dirty_next:	next on the dirty list
 * @pcb:	lwIP's end, or NULL
 * @fd:		the kernel socket, or -1 before it is paired
 * @flags:	enum tcp_conn_flags
 * @id:		facet's number (NS_CONNECT)
 * @host_port:	NS_CONNECT: the guest's client port, to pair with;
 *		NS_LISTEN: the guest's listening port
 * @vport:	NS_LISTEN: the view port
 * @lan_err:	why lwIP dropped the connection
 * @k_err:	why the kernel socket failed (errno)
 * @deadline:	NS_CONNECT: reset if not paired by then (ms)
 * @rx_at:	last time data came from the LAN (ms)
 * @owed:	window freed but not given back yet (see receive budget)
 * @rxq:	from the LAN, not written to the kernel yet: a list of pbufs
 *		linked by their next pointers (not a pbuf chain: tot_len is
 *		16 bits, the queue is up to TCP_WND)
 * @rxq_tail:	last pbuf in @rxq
 * @stash:	read from the kernel but refused by tcp_write(), or NULL
 * @stash_len:	its length
 */
struct tcp_conn {
	struct ns_ev ev;
	struct ctx *c;
	struct tcp_conn *next;
	struct tcp_conn **pprev;
	struct tcp_conn *dirty_next;
	struct tcp_pcb *pcb;
	int fd;
	uint32_t flags;
	uint32_t id;
	uint16_t host_port;
	uint16_t vport;
	err_t lan_err;
	int k_err;
	uint64_t deadline;
	uint64_t rx_at;
	size_t owed;
	struct pbuf *rxq;
	struct pbuf *rxq_tail;
	unsigned char *stash;
	size_t stash_len;
};

/**
 * struct tcp_listener - a view port listening on the LAN
 * @next:	next in c->tcp.listeners
 * @c:		context
 * @pcb:	lwIP's listening pcb
 * @vport:	the view port
 * @host_port:	the guest's listener on the host's loopback
 */
struct tcp_listener {
	struct tcp_listener *next;
	struct ctx *c;
	struct tcp_pcb *pcb;
	uint16_t vport;
	uint16_t host_port;
};

/**
 * tcp_errno() - the errno a kernel would give for an lwIP error
 * @err:	lwIP error
 * @connecting:	the connection was not established yet
 *
 * Return: positive errno
 */
static int tcp_errno(err_t err, bool connecting)
{
	switch (err) {
	case ERR_RST:	return connecting ? ECONNREFUSED : ECONNRESET;
	case ERR_ABRT:	return connecting ? ETIMEDOUT : ECONNABORTED;
	case ERR_TIMEOUT: return ETIMEDOUT;
	case ERR_RTE:	return ENETUNREACH;
	case ERR_USE:	return EADDRINUSE;
	case ERR_MEM:
	case ERR_BUF:	return ENOBUFS;
	case ERR_VAL:
	case ERR_ARG:	return EINVAL;
	case ERR_CLSD:	return ECONNRESET;
	case ERR_CONN:	return ENOTCONN;
	case ERR_ISCONN: return EISCONN;
	default:	return EIO;
	}
}

/**
 * tcp_reply() - send facet NS_CONNECTED, NS_FAILED or NS_PEER
 * @c:		context
 * @type:	message type
 * @id:		NS_CONNECT's number, or IPPROTO_TCP for NS_PEER
 * @err:	errno for NS_FAILED
 * @vport:	view port
 * @port:	host port (NS_PEER)
 * @peer:	LAN peer (NS_PEER), or NULL
 * @aport:	its port
 */
static void tcp_reply(struct ctx *c, enum ns_type type, uint32_t id, int err,
		      uint16_t vport, uint16_t port, const ip_addr_t *peer,
		      uint16_t aport)
{
	struct ns_msg m = {
		.type = type, .err = (uint16_t)err, .id = id, .vport = vport,
		.port = port, .aport = aport,
	};

	if (peer)
		ctl_addr_put(m.addr, peer);
	ctl_send(c, &m, NULL);
}

/* connections ---------------------------------------------------------- */

/**
 * tcp_conn_dirty() - give a connection to the next tcp_relay_run()
 * @tc:		connection
 */
static void tcp_conn_dirty(struct tcp_conn *tc)
{
	if (tc->flags & TC_DIRTY)
		return;
	tc->flags |= TC_DIRTY;
	tc->dirty_next = tc->c->tcp.dirty;
	tc->c->tcp.dirty = tc;
}

/**
 * tcp_conn_new() - a new connection, not connected to anything yet
 * @c:		context
 * @flags:	initial enum tcp_conn_flags
 *
 * Return: the connection, or NULL if out of memory
 */
static struct tcp_conn *tcp_conn_new(struct ctx *c, uint32_t flags)
{
	struct tcp_conn *tc = calloc(1, sizeof(*tc));

	if (!tc)
		return NULL;
	tc->ev.type = EV_TCP;
	tc->c = c;
	tc->fd = -1;
	tc->flags = flags;
	tc->next = c->tcp.conns;
	if (tc->next)
		tc->next->pprev = &tc->next;
	tc->pprev = &c->tcp.conns;
	c->tcp.conns = tc;
	return tc;
}

/**
 * tcp_conn_free() - forget a connection whose ends are closed
 * @tc:		connection, not being run by tcp_relay_run()
 */
static void tcp_conn_free(struct tcp_conn *tc)
{
	struct tcp_conn **d;

	for (d = &tc->c->tcp.dirty; (tc->flags & TC_DIRTY) && *d;
	     d = &(*d)->dirty_next) {
		if (*d == tc) {
			*d = tc->dirty_next;
			break;
		}
	}
	*tc->pprev = tc->next;
	if (tc->next)
		tc->next->pprev = tc->pprev;
	if (tc->rxq)
		pbuf_free(tc->rxq);
	free(tc->stash);
	free(tc);
}

/**
 * tcp_conn_detach() - stop lwIP's callbacks for a connection
 * @tc:		connection
 */
static void tcp_conn_detach(struct tcp_conn *tc)
{
	if (!tc->pcb)
		return;
	tcp_arg(tc->pcb, NULL);
	tcp_recv(tc->pcb, NULL);
	tcp_sent(tc->pcb, NULL);
	tcp_err(tc->pcb, NULL);
}

/**
 * tcp_conn_reset() - reset both ends and free the connection
 * @tc:		connection
 */
static void tcp_conn_reset(struct tcp_conn *tc)
{
	ns_dbg("TCP: reset connection (lwIP %d, errno %d)", tc->lan_err,
	       tc->k_err);
	tcp_conn_detach(tc);
	if (tc->pcb)
		tcp_abort(tc->pcb);
	if (tc->fd >= 0)
		close_rst(tc->fd);
	tcp_conn_free(tc);
}

/**
 * tcp_conn_finish() - both ends are closed cleanly: free the connection
 * @tc:		connection
 *
 * lwIP keeps the pcb until its FIN is acknowledged and frees it then.
 */
static void tcp_conn_finish(struct tcp_conn *tc)
{
	tcp_conn_detach(tc);
	if (tc->pcb && tcp_close(tc->pcb) != ERR_OK)
		tcp_abort(tc->pcb);
	close(tc->fd);
	tcp_conn_free(tc);
}

/* lwIP's callbacks ----------------------------------------------------- */

/**
 * tcp_conn_lan_fin() - a FIN came from the LAN
 * @tc:		connection
 * @pcb:	its pcb
 *
 * If our FIN went already, the pcb is now in CLOSING or TIME_WAIT, which
 * lwIP frees by itself without a callback: give it back at once.
 */
static void tcp_conn_lan_fin(struct tcp_conn *tc, struct tcp_pcb *pcb)
{
	tc->flags |= TC_LAN_FIN;
	if (!(tc->flags & TC_LAN_SHUT))
		return;
	tcp_conn_detach(tc);
	tcp_close(pcb);
	tc->pcb = NULL;
}

/**
 * tcp_conn_recv() - lwIP's recv callback: data or a FIN from the LAN
 * @arg:	connection
 * @pcb:	its pcb
 * @p:		data, or NULL for a FIN
 * @err:	ERR_OK
 *
 * Return: ERR_OK: the data is ours now
 */
static err_t tcp_conn_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p,
			   err_t err)
{
	struct tcp_conn *tc = arg;
	struct pbuf *q;

	(void)err;
	if (!p)
		tcp_conn_lan_fin(tc, pcb);
	else
		tc->rx_at = tc->c->now;
	while ((q = p)) {
		p = q->next;
		q->next = NULL;		/* each pbuf of a chain has its own ref */
		if (!q->len) {
			pbuf_free(q);
			continue;
		}
		if (tc->rxq_tail)
			tc->rxq_tail->next = q;
		else
			tc->rxq = q;
		tc->rxq_tail = q;
	}
	tcp_conn_dirty(tc);
	return ERR_OK;
}

/**
 * tcp_conn_sent() - lwIP's sent callback: the LAN acknowledged data
 * @arg:	connection
 * @pcb:	its pcb
 * @len:	bytes acknowledged
 *
 * Return: ERR_OK
 */
static err_t tcp_conn_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	struct tcp_conn *tc = arg;

	(void)pcb;
	(void)len;
	if (((tc->flags & TC_READABLE) && !(tc->flags & TC_K_EOF)) ||
	    tc->stash || ((tc->flags & TC_K_EOF) && !(tc->flags & TC_LAN_SHUT)))
		tcp_conn_dirty(tc);
	return ERR_OK;
}

/**
 * tcp_conn_err() - lwIP's error callback: the pcb is gone
 * @arg:	connection, or NULL once detached
 * @err:	why: ERR_RST, ERR_ABRT, ... or ERR_CLSD after a clean close
 */
static void tcp_conn_err(void *arg, err_t err)
{
	struct tcp_conn *tc = arg;

	if (!tc)
		return;
	tc->pcb = NULL;
	tc->lan_err = err;
	tc->flags |= TC_LAN_GONE;
	tcp_conn_dirty(tc);
}

/**
 * tcp_conn_connected() - lwIP's connected callback (NS_CONNECT)
 * @arg:	connection
 * @pcb:	its pcb
 * @err:	ERR_OK
 *
 * Return: ERR_OK
 */
static err_t tcp_conn_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct tcp_conn *tc = arg;
	struct ctx *c = tc->c;

	(void)err;
	tc->flags |= TC_LAN_UP;
	tc->deadline = c->now + TCP_PAIR_MS;
	ns_dbg("TCP: connection %u is up", tc->id);
	tcp_reply(c, NS_CONNECTED, tc->id, 0, pcb->local_port, tc->host_port,
		  NULL, 0);
	tcp_conn_dirty(tc);	/* the kernel side may be there already */
	return ERR_OK;
}

/**
 * tcp_conn_attach() - take lwIP's callbacks for a connection's pcb
 * @tc:		connection, with @tc->pcb set
 */
static void tcp_conn_attach(struct tcp_conn *tc)
{
	tcp_arg(tc->pcb, tc);
	tcp_recv(tc->pcb, tcp_conn_recv);
	tcp_sent(tc->pcb, tcp_conn_sent);
	tcp_err(tc->pcb, tcp_conn_err);
	tcp_nagle_disable(tc->pcb);
}

/* LAN to kernel -------------------------------------------------------- */

/**
 * tcp_conn_credit() - open lwIP's window for bytes the kernel took
 * @tc:		connection
 * @n:		bytes the kernel took now
 *
 * The window opens up to the connection's share of the receive budget;
 * the rest is owed until the share grows.
 */
static void tcp_conn_credit(struct tcp_conn *tc, size_t n)
{
	size_t cap = tc->c->tcp.rx_share, give, ann;
	struct tcp_pcb *pcb = tc->pcb;

	tc->owed += n;
	if (!pcb || !tc->owed || pcb->rcv_wnd >= cap)
		return;
	give = MIN(tc->owed, cap - pcb->rcv_wnd);
	tc->owed -= give;
	ann = pcb->rcv_ann_wnd;
	while (give) {
		u16_t chunk = (u16_t)MIN(give, TCP_CHUNK);

		tcp_recved(pcb, chunk);
		give -= chunk;
	}
	/* tcp_recved() announces only large openings: a small share may
	 * have closed the window, and the peer waits for the update */
	if (ann < 2U * pcb->mss && pcb->rcv_ann_wnd != ann) {
		tcp_ack_now(pcb);
		tcp_output(pcb);
	}
}

/**
 * tcp_relay_share() - recompute the receive budget's share, now and then
 * @c:		context
 *
 * When the share grows, owed window is given back at once.
 */
static void tcp_relay_share(struct ctx *c)
{
	size_t active = 0, share, old = c->tcp.rx_share;
	struct tcp_conn *tc;

	if (old && c->now - c->tcp.rx_counted < TCP_RX_COUNT_MS)
		return;
	c->tcp.rx_counted = c->now;
	for (tc = c->tcp.conns; tc; tc = tc->next)
		active += tc->pcb && c->now - tc->rx_at < TCP_RX_ACTIVE_MS;
	share = MAX(TCP_RX_BUDGET / MAX(active, 1), (size_t)TCP_RX_MIN);
	c->tcp.rx_share = share;
	for (tc = c->tcp.conns; share > old && tc; tc = tc->next) {
		if (tc->owed)
			tcp_conn_credit(tc, 0);
	}
}

/**
 * tcp_conn_consume() - the kernel took @n bytes of the queue
 * @tc:		connection
 * @n:		bytes written
 */
static void tcp_conn_consume(struct tcp_conn *tc, size_t n)
{
	size_t left = n;
	struct pbuf *q;

	while (left && (q = tc->rxq)) {
		if (left < q->len) {
			pbuf_remove_header(q, left);
			break;
		}
		left -= q->len;
		tc->rxq = q->next;
		q->next = NULL;
		pbuf_free(q);
	}
	if (!tc->rxq)
		tc->rxq_tail = NULL;
	tcp_conn_credit(tc, n);
}

/**
 * tcp_conn_to_kernel() - write what came from the LAN to the kernel
 * @tc:		connection
 *
 * Return: 0, or -errno if the socket failed
 */
static int tcp_conn_to_kernel(struct tcp_conn *tc)
{
	struct iovec iov[TCP_IOV_MAX];
	struct msghdr mh = { .msg_iov = iov };
	struct pbuf *q;
	ssize_t n;

	while (tc->rxq && (tc->flags & TC_WRITABLE)) {
		mh.msg_iovlen = 0;
		for (q = tc->rxq; q && mh.msg_iovlen < TCP_IOV_MAX; q = q->next) {
			iov[mh.msg_iovlen].iov_base = q->payload;
			iov[mh.msg_iovlen++].iov_len = q->len;
		}
		n = sendmsg(tc->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EAGAIN)
			tc->flags &= ~TC_WRITABLE;
		else if (n < 0 && errno != EINTR)
			return -errno;
		else if (n > 0)
			tcp_conn_consume(tc, (size_t)n);
	}
	if (!tc->rxq && (tc->flags & TC_LAN_FIN) && !(tc->flags & TC_K_SHUT)) {
		shutdown(tc->fd, SHUT_WR);
		tc->flags |= TC_K_SHUT;
	}
	return 0;
}

/* kernel to LAN -------------------------------------------------------- */

/**
 * tcp_conn_room() - how much lwIP can take now
 * @tc:		connection, with a pcb
 *
 * Both the send buffer and the segment queue must have room: a segment
 * takes at most one MSS, and tcp_write() fails rather than go past
 * TCP_SND_QUEUELEN.
 *
 * Return: bytes
 */
static size_t tcp_conn_room(const struct tcp_conn *tc)
{
	const struct tcp_pcb *pcb = tc->pcb;
	size_t segs, qlen = tcp_sndqueuelen(pcb);

	if (pcb->state != ESTABLISHED && pcb->state != CLOSE_WAIT)
		return 0;
	if (qlen + 4 >= TCP_SND_QUEUELEN)
		return 0;
	segs = TCP_SND_QUEUELEN - qlen - 4;
	return MIN((size_t)tcp_sndbuf(pcb), segs * pcb->mss);
}

/**
 * tcp_conn_write() - give lwIP bytes read from the kernel
 * @tc:		connection, with a pcb and no stash
 * @buf:	data
 * @len:	its length, at most TCP_CHUNK
 *
 * What lwIP refuses for lack of memory is kept in the stash and tried
 * again when lwIP acknowledges data: it was taken from the kernel already.
 *
 * Return: 0, or -EIO if lwIP fails otherwise
 */
static int tcp_conn_write(struct tcp_conn *tc, const void *buf, size_t len)
{
	err_t err = tcp_write(tc->pcb, buf, (u16_t)len, TCP_WRITE_FLAG_COPY);

	if (err == ERR_OK)
		return 0;
	if (err != ERR_MEM || !len)
		return -EIO;
	tc->stash = malloc(len);
	if (!tc->stash)
		return -ENOMEM;
	memcpy(tc->stash, buf, len);
	tc->stash_len = len;
	return 0;
}

/**
 * tcp_conn_unstash() - give lwIP what it refused before
 * @tc:		connection, with a pcb
 *
 * Return: 0, or -errno
 */
static int tcp_conn_unstash(struct tcp_conn *tc)
{
	unsigned char *s = tc->stash;
	int rc;

	if (!s || tcp_conn_room(tc) < tc->stash_len)
		return 0;
	tc->stash = NULL;
	rc = tcp_conn_write(tc, s, tc->stash_len);
	free(s);
	return rc;
}

/**
 * tcp_conn_read() - read from the kernel into lwIP, as far as lwIP takes
 * @tc:		connection, with a pcb
 *
 * Return: 0, or -errno if the socket or lwIP failed
 */
static int tcp_conn_read(struct tcp_conn *tc)
{
	static unsigned char buf[TCP_CHUNK];
	size_t room, budget = TCP_READ_BUDGET;
	bool wrote = false;
	ssize_t n;
	int rc = 0;

	while (!rc && (tc->flags & TC_READABLE) && !(tc->flags & TC_K_EOF) &&
	       !tc->stash && (room = tcp_conn_room(tc))) {
		if (!budget) {
			tcp_conn_dirty(tc);	/* let the others run first */
			break;
		}
		n = recv(tc->fd, buf, MIN(MIN(room, budget), sizeof(buf)),
			 MSG_DONTWAIT);
		if (n == 0)
			tc->flags |= TC_K_EOF;
		else if (n < 0 && errno == EAGAIN)
			tc->flags &= ~TC_READABLE;
		else if (n < 0 && errno != EINTR)
			rc = -errno;
		if (n <= 0)
			continue;
		budget -= (size_t)n;
		rc = tcp_conn_write(tc, buf, (size_t)n);
		wrote = true;
	}
	if (wrote)
		tcp_output(tc->pcb);
	return rc;
}

/**
 * tcp_conn_from_kernel() - pass data and EOF from the kernel to the LAN
 * @tc:		connection
 *
 * Return: 0, or -errno if the socket or lwIP failed
 */
static int tcp_conn_from_kernel(struct tcp_conn *tc)
{
	int rc;
	err_t err;

	if (!tc->pcb) {
		/* closed cleanly by lwIP (ERR_CLSD): our FIN went already */
		return 0;
	}
	if ((rc = tcp_conn_unstash(tc)) || (rc = tcp_conn_read(tc)))
		return rc;
	if ((tc->flags & TC_K_EOF) && !(tc->flags & TC_LAN_SHUT) &&
	    !tc->stash) {
		err = tcp_shutdown(tc->pcb, 0, 1);
		if (err != ERR_MEM)
			tc->flags |= TC_LAN_SHUT;
	}
	return 0;
}

/* kernel sockets ------------------------------------------------------- */

/**
 * tcp_conn_loopback() - the host's loopback, port @port
 * @sa:		address to fill
 * @af:		AF_INET (127.0.0.1) or AF_INET6 (::1)
 * @port:	port
 *
 * Return: the address length
 */
static socklen_t tcp_conn_loopback(struct sockaddr_storage *sa, int af,
				   uint16_t port)
{
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)sa;
	struct sockaddr_in *a4 = (struct sockaddr_in *)sa;

	memset(sa, 0, sizeof(*sa));
	if (af == AF_INET6) {
		a6->sin6_family = AF_INET6;
		a6->sin6_addr = in6addr_loopback;
		a6->sin6_port = htons(port);
		return sizeof(*a6);
	}
	a4->sin_family = AF_INET;
	a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a4->sin_port = htons(port);
	return sizeof(*a4);
}

/**
 * tcp_sock_port() - the local port of a socket
 * @fd:		socket
 *
 * Return: the port, or 0 on error
 */
static uint16_t tcp_sock_port(int fd)
{
	struct sockaddr_storage sa = { 0 };
	socklen_t sl = sizeof(sa);

	if (getsockname(fd, (struct sockaddr *)&sa, &sl))
		return 0;
	if (sa.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&sa)->sin6_port);
	return ntohs(((struct sockaddr_in *)&sa)->sin_port);
}

/**
 * tcp_sock_setup() - options of a relayed kernel socket, and watch it
 * @tc:		connection, with @tc->fd set
 *
 * Return: 0, or -errno
 */
static int tcp_sock_setup(struct tcp_conn *tc)
{
	int one = 1;

	setsockopt(tc->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return ev_add(tc->c, tc->fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
		      &tc->ev);
}

/**
 * tcp_conn_dial() - connect a kernel socket to the guest's listener
 * @tc:		connection (NS_LISTEN), with an lwIP pcb
 * @af:		AF_INET: 127.0.0.1, or AF_INET6: ::1
 *
 * Binds first, to tell facet in NS_PEER which client port stands for the
 * LAN peer, then connects without waiting.
 *
 * Return: 0, or -errno
 */
static int tcp_conn_dial(struct tcp_conn *tc, int af)
{
	struct sockaddr_storage sa;
	socklen_t sl = tcp_conn_loopback(&sa, af, 0);
	uint16_t port;
	int fd;

	fd = socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sl) || !(port = tcp_sock_port(fd)))
		goto fail;
	tcp_reply(tc->c, NS_PEER, IPPROTO_TCP, 0, tc->vport, port,
		  &tc->pcb->remote_ip, tc->pcb->remote_port);
	sl = tcp_conn_loopback(&sa, af, tc->host_port);
	if (connect(fd, (struct sockaddr *)&sa, sl) && errno != EINPROGRESS)
		goto fail;
	tc->fd = fd;
	tc->flags |= TC_CONNECTING;
	if (af == AF_INET6)
		tc->flags |= TC_LOOP6;
	return tcp_sock_setup(tc);
fail:
	close(fd);
	return -errno;
}

/**
 * tcp_conn_redial() - the guest's listener refused 127.0.0.1: try ::1
 * @tc:		connection, with a failed kernel connect
 *
 * Return: true if a new connect is under way
 */
static bool tcp_conn_redial(struct tcp_conn *tc)
{
	if (!(tc->flags & TC_CONNECTING) || (tc->flags & TC_LOOP6) ||
	    tc->k_err != ECONNREFUSED || !tc->pcb)
		return false;
	close(tc->fd);
	tc->fd = -1;
	tc->flags &= ~(TC_K_ERR | TC_CONNECTING);
	return tcp_conn_dial(tc, AF_INET6) == 0;
}

/**
 * tcp_conn_sock_event() - record what epoll says of a kernel socket
 * @tc:		connection
 * @events:	EPOLL* mask
 */
static void tcp_conn_sock_event(struct tcp_conn *tc, uint32_t events)
{
	socklen_t sl = sizeof(int);
	int err = 0;

	if (events & (EPOLLERR | ((tc->flags & TC_CONNECTING) ? EPOLLHUP : 0)))
		getsockopt(tc->fd, SOL_SOCKET, SO_ERROR, &err, &sl);
	if (err || ((tc->flags & TC_CONNECTING) && (events & EPOLLHUP))) {
		tc->k_err = err ? err : ECONNREFUSED;
		tc->flags |= TC_K_ERR;
	} else if ((tc->flags & TC_CONNECTING) && (events & EPOLLOUT)) {
		tc->flags &= ~TC_CONNECTING;
		ns_dbg("TCP: view port %u: connected to the guest", tc->vport);
	}
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
		tc->flags |= TC_READABLE;
	if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR))
		tc->flags |= TC_WRITABLE;
	tcp_conn_dirty(tc);
}

/* the pump ------------------------------------------------------------- */

/**
 * tcp_conn_lan_gone() - lwIP dropped the connection: tell whoever waits
 * @tc:		connection
 *
 * Return: true if the connection was freed
 */
static bool tcp_conn_lan_gone(struct tcp_conn *tc)
{
	struct ctx *c = tc->c;

	if (tc->lan_err == ERR_CLSD)
		return false;	/* clean close: flush what is queued */
	if ((tc->flags & TC_OUTGOING) && !(tc->flags & TC_LAN_UP)) {
		ns_dbg("TCP: connection %u failed: lwIP error %d", tc->id,
		       tc->lan_err);
		tcp_reply(c, NS_FAILED, tc->id, tcp_errno(tc->lan_err, true),
			  0, tc->host_port, NULL, 0);
		if (tc->fd >= 0)	/* facet did not wait for NS_CONNECTED */
			close_rst(tc->fd);
		tcp_conn_free(tc);
		return true;
	}
	tcp_conn_reset(tc);
	return true;
}

/**
 * tcp_conn_step() - do what a connection can do now
 * @tc:		connection, just taken off the dirty list
 */
static void tcp_conn_step(struct tcp_conn *tc)
{
	if ((tc->flags & TC_K_ERR) && !tcp_conn_redial(tc)) {
		tcp_conn_reset(tc);
		return;
	}
	if ((tc->flags & TC_LAN_GONE) && tcp_conn_lan_gone(tc))
		return;
	if (tc->fd < 0 && tc->deadline && tc->c->now >= tc->deadline) {
		ns_dbg("TCP: connection %u: facet never connected", tc->id);
		tcp_conn_reset(tc);
		return;
	}
	if (tc->fd < 0 || (tc->flags & TC_CONNECTING))
		return;
	if ((tc->k_err = -tcp_conn_to_kernel(tc)) ||
	    (tc->k_err = -tcp_conn_from_kernel(tc))) {
		tcp_conn_reset(tc);
		return;
	}
	if ((tc->flags & TC_DONE) == TC_DONE && !(tc->flags & TC_DIRTY))
		tcp_conn_finish(tc);
}

/**
 * tcp_relay_run() - let every dirty connection do what it can
 * @c:		context
 *
 * Connections that make themselves dirty again (read budget spent) wait
 * for the next run, after the event loop polled once more.
 */
void tcp_relay_run(struct ctx *c)
{
	struct tcp_conn *tc, *list = c->tcp.dirty;

	tcp_relay_share(c);
	c->tcp.dirty = NULL;
	while ((tc = list)) {
		list = tc->dirty_next;
		tc->flags &= ~TC_DIRTY;
		tcp_conn_step(tc);
	}
}

/* relay listener: guest to LAN ----------------------------------------- */

/**
 * tcp_conn_unpaired() - the NS_CONNECT waiting for host port @port
 * @c:		context
 * @port:	the guest's client port
 *
 * Return: the connection, or NULL
 */
static struct tcp_conn *tcp_conn_unpaired(const struct ctx *c, uint16_t port)
{
	struct tcp_conn *tc;

	for (tc = c->tcp.conns; tc; tc = tc->next) {
		if ((tc->flags & TC_OUTGOING) && tc->fd < 0 &&
		    tc->host_port == port)
			return tc;
	}
	return NULL;
}

/**
 * tcp_relay_pair() - pair a connection to the relay with its NS_CONNECT
 * @c:		context
 * @fd:		accepted socket
 * @sa:		its peer's address
 */
static void tcp_relay_pair(struct ctx *c, int fd,
			   const struct sockaddr_storage *sa)
{
	uint16_t port = ntohs(sa->ss_family == AF_INET6 ?
			      ((const struct sockaddr_in6 *)sa)->sin6_port :
			      ((const struct sockaddr_in *)sa)->sin_port);
	struct tcp_conn *tc = tcp_conn_unpaired(c, port);

	if (!tc) {
		ns_dbg("TCP: relay connection from port %u: no connection "
		       "waits for it", port);
		close_rst(fd);
		return;
	}
	tc->fd = fd;
	tc->deadline = 0;
	if (tcp_sock_setup(tc)) {
		tc->k_err = errno;
		tc->flags |= TC_K_ERR;
	}
	tc->flags |= TC_READABLE | TC_WRITABLE;
	tcp_conn_dirty(tc);
}

/**
 * tcp_relay_accept() - accept connections to a relay listener
 * @c:		context
 * @lfd:	the listener (127.0.0.1 or ::1)
 */
static void tcp_relay_accept(struct ctx *c, int lfd)
{
	struct sockaddr_storage sa = { 0 };
	socklen_t sl;
	int fd;

	for (;;) {
		sl = sizeof(sa);
		fd = accept4(lfd, (struct sockaddr *)&sa, &sl,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != ECONNABORTED &&
			    errno != EINTR)
				ns_warn("relay accept: %s", strerror(errno));
			if (errno != ECONNABORTED && errno != EINTR)
				return;
			continue;
		}
		tcp_relay_pair(c, fd, &sa);
	}
}

/**
 * tcp_relay_event() - an event on the relay listener or a kernel socket
 * @c:		context
 * @ev:		&c->tcp.ev, or a connection's
 * @events:	EPOLL* mask
 */
void tcp_relay_event(struct ctx *c, struct ns_ev *ev, uint32_t events)
{
	if (ev == &c->tcp.ev)
		tcp_relay_accept(c, c->tcp.fd);
	else if (ev == &c->tcp.ev6)
		tcp_relay_accept(c, c->tcp.fd6);
	else
		tcp_conn_sock_event(container_of(ev, struct tcp_conn, ev),
				    events);
}

/**
 * tcp_conn_open() - start lwIP's connection for an NS_CONNECT
 * @tc:		connection
 * @dst:	LAN address
 * @port:	LAN port
 * @vport:	local view port, 0 for any
 *
 * Return: ERR_OK, or why lwIP refused
 */
static err_t tcp_conn_open(struct tcp_conn *tc, const ip_addr_t *dst,
			   uint16_t port, uint16_t vport)
{
	struct tcp_pcb *pcb = tcp_new_ip_type(IP_GET_TYPE(dst));
	ip_addr_t any;
	err_t err;

	if (!pcb)
		return ERR_MEM;
	ip_set_option(pcb, SOF_REUSEADDR);
	ip_addr_set_any(IP_IS_V6(dst), &any);
	if (vport && (err = tcp_bind(pcb, &any, vport)) != ERR_OK) {
		tcp_close(pcb);
		return err;
	}
	tc->pcb = pcb;
	tcp_conn_attach(tc);
	err = tcp_connect(pcb, dst, port, tcp_conn_connected);
	if (err != ERR_OK) {
		tcp_conn_detach(tc);
		tcp_abort(pcb);
		tc->pcb = NULL;
	}
	return err;
}

/**
 * tcp_relay_connect() - NS_CONNECT: a guest connects to the LAN
 * @c:		context
 * @m:		the message
 */
void tcp_relay_connect(struct ctx *c, const struct ns_msg *m)
{
	struct tcp_conn *tc = tcp_conn_unpaired(c, m->port);
	ip_addr_t dst;
	err_t err;

	if (tc) {
		/* facet reused the client port: the old one is abandoned */
		tc->k_err = ECONNABORTED;
		tc->flags |= TC_K_ERR;
		tc->host_port = 0;
		tcp_conn_dirty(tc);
	}
	ctl_addr_get(&dst, m->addr);
	tc = tcp_conn_new(c, TC_OUTGOING);
	if (!tc) {
		tcp_reply(c, NS_FAILED, m->id, ENOBUFS, 0, m->port, NULL, 0);
		return;
	}
	tc->id = m->id;
	tc->host_port = m->port;
	ns_dbg("TCP: connection %u to %s port %u", m->id, ipaddr_ntoa(&dst),
	       m->aport);
	err = vde_reaches(c, &dst) ? tcp_conn_open(tc, &dst, m->aport, m->vport)
				   : ERR_RTE;
	if (err != ERR_OK) {
		tcp_reply(c, NS_FAILED, m->id, tcp_errno(err, true), 0,
			  m->port, NULL, 0);
		tcp_conn_free(tc);
	}
}

/* lwIP listeners: LAN to guest ----------------------------------------- */

/**
 * tcp_listener_accept() - lwIP's accept callback: a LAN peer connected
 * @arg:	listener
 * @pcb:	the new connection
 * @err:	ERR_OK, or ERR_MEM if lwIP could not make it
 *
 * Return: ERR_OK, or ERR_ABRT after tcp_abort()
 */
static err_t tcp_listener_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct tcp_listener *l = arg;
	struct tcp_conn *tc;
	int rc;

	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	tc = tcp_conn_new(l->c, TC_LAN_UP);
	if (!tc) {
		tcp_abort(pcb);
		return ERR_ABRT;
	}
	tc->pcb = pcb;
	tc->vport = l->vport;
	tc->host_port = l->host_port;
	tcp_conn_attach(tc);
	ns_dbg("TCP: view port %u: connection from %s port %u", l->vport,
	       ipaddr_ntoa(&pcb->remote_ip), pcb->remote_port);
	if ((rc = tcp_conn_dial(tc, AF_INET))) {
		ns_warn("TCP: cannot connect to the guest: %s", strerror(-rc));
		tcp_conn_detach(tc);
		tcp_abort(pcb);
		tcp_conn_free(tc);
		return ERR_ABRT;
	}
	return ERR_OK;
}

/**
 * tcp_listener_find() - the listener of a view port
 * @c:		context
 * @vport:	view port
 *
 * Return: the link pointing to it, or to the NULL at the end of the list
 */
static struct tcp_listener **tcp_listener_find(struct ctx *c, uint16_t vport)
{
	struct tcp_listener **l;

	for (l = &c->tcp.listeners; *l; l = &(*l)->next) {
		if ((*l)->vport == vport)
			break;
	}
	return l;
}

/**
 * tcp_listener_open() - an lwIP listener on a view port, any address
 * @l:		listener, with its ports set
 *
 * Return: ERR_OK, or why lwIP refused
 */
static err_t tcp_listener_open(struct tcp_listener *l)
{
	struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_ANY);
	err_t err;

	if (!pcb)
		return ERR_MEM;
	ip_set_option(pcb, SOF_REUSEADDR);
	err = tcp_bind(pcb, IP_ANY_TYPE, l->vport);
	if (err == ERR_OK)
		l->pcb = tcp_listen_with_backlog_and_err(pcb, TCP_DEFAULT_LISTEN_BACKLOG,
							 &err);
	if (!l->pcb) {
		tcp_close(pcb);
		return err;
	}
	tcp_arg(l->pcb, l);
	tcp_accept(l->pcb, tcp_listener_accept);
	return ERR_OK;
}

/**
 * tcp_relay_listen() - NS_LISTEN: a guest listens on a view port
 * @c:		context
 * @m:		the message
 */
void tcp_relay_listen(struct ctx *c, const struct ns_msg *m)
{
	struct tcp_listener **lp = tcp_listener_find(c, m->vport), *l = *lp;
	err_t err;

	if (l) {
		l->host_port = m->port;
		return;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		tcp_reply(c, NS_FAILED, 0, ENOBUFS, m->vport, m->port, NULL, 0);
		return;
	}
	l->c = c;
	l->vport = m->vport;
	l->host_port = m->port;
	err = tcp_listener_open(l);
	if (err != ERR_OK) {
		ns_warn("TCP: cannot listen on view port %u: lwIP error %d",
			m->vport, err);
		tcp_reply(c, NS_FAILED, 0, tcp_errno(err, false), m->vport,
			  m->port, NULL, 0);
		free(l);
		return;
	}
	*lp = l;
	ns_dbg("TCP: view port %u listens, guest port %u", m->vport, m->port);
}

/**
 * tcp_relay_unlisten() - NS_UNLISTEN: a view port listens no more
 * @c:		context
 * @m:		the message
 */
void tcp_relay_unlisten(struct ctx *c, const struct ns_msg *m)
{
	struct tcp_listener **lp = tcp_listener_find(c, m->vport), *l = *lp;

	if (!l)
		return;
	*lp = l->next;
	tcp_close(l->pcb);
	free(l);
	ns_dbg("TCP: view port %u listens no more", m->vport);
}

/* setup, timers, exit -------------------------------------------------- */

/**
 * tcp_relay_init6() - open the relay listener on ::1, at the port of the
 *		       one on 127.0.0.1 if it is free, else any; without IPv6
 *		       on the loopback there is none (guests' IPv6 sockets do
 *		       not reach the LAN then)
 * @c:		context
 */
static void tcp_relay_init6(struct ctx *c)
{
	struct sockaddr_storage sa;
	socklen_t sl = tcp_conn_loopback(&sa, AF_INET6, c->tcp.port);
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;

	if (fd < 0)
		return;
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sl)) {
		sl = tcp_conn_loopback(&sa, AF_INET6, 0);
		if (bind(fd, (struct sockaddr *)&sa, sl))
			goto none;
	}
	if (listen(fd, SOMAXCONN) || !(c->tcp.port6 = tcp_sock_port(fd)))
		goto none;
	c->tcp.fd6 = fd;
	c->tcp.ev6.type = EV_RELAY;
	if (ev_add(c, fd, EPOLLIN, &c->tcp.ev6))
		goto none;
	return;
none:
	ns_dbg("no relay listener on ::1: %s", strerror(errno));
	close(fd);
	c->tcp.fd6 = -1;
	c->tcp.port6 = 0;
}

/**
 * tcp_relay_init() - open the relay listener on 127.0.0.1
 * @c:		context
 *
 * Exits through netstack_fail() if it cannot.
 */
void tcp_relay_init(struct ctx *c)
{
	struct sockaddr_storage sa;
	socklen_t sl = tcp_conn_loopback(&sa, AF_INET, 0);
	int fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sl) ||
	    listen(fd, SOMAXCONN) || !(c->tcp.port = tcp_sock_port(fd)))
		netstack_fail(c, errno, "relay listener: %s", strerror(errno));
	c->tcp.fd = fd;
	c->tcp.ev.type = EV_RELAY;
	if (ev_add(c, fd, EPOLLIN, &c->tcp.ev))
		netstack_fail(c, errno, "epoll: %s", strerror(errno));
	tcp_relay_init6(c);
}

/**
 * tcp_relay_timer() - once a second: expire unpaired connections
 * @c:		context
 */
void tcp_relay_timer(struct ctx *c)
{
	struct tcp_conn *tc;

	for (tc = c->tcp.conns; tc; tc = tc->next) {
		if (tc->fd < 0 && tc->deadline && c->now >= tc->deadline)
			tcp_conn_dirty(tc);
	}
}

/**
 * tcp_relay_busy() - is there TCP data still on its way to the LAN?
 * @c:		context
 *
 * Return: true if some pcb has data unsent or unacknowledged
 */
bool tcp_relay_busy(const struct ctx *c)
{
	const struct tcp_pcb *pcb;

	if (c->tcp.dirty)
		return true;
	for (pcb = tcp_active_pcbs; pcb; pcb = pcb->next) {
		if (pcb->unsent || pcb->unacked)
			return true;
	}
	return false;
}

/**
 * tcp_relay_stop() - take no new connections: the view ends
 * @c:		context
 */
void tcp_relay_stop(struct ctx *c)
{
	struct tcp_listener *l;

	while ((l = c->tcp.listeners)) {
		c->tcp.listeners = l->next;
		tcp_close(l->pcb);
		free(l);
	}
	if (c->tcp.fd >= 0) {
		close(c->tcp.fd);
		c->tcp.fd = -1;
	}
	if (c->tcp.fd6 >= 0) {
		close(c->tcp.fd6);
		c->tcp.fd6 = -1;
	}
}

/**
 * tcp_relay_abort() - reset every connection left, at exit
 * @c:		context
 */
void tcp_relay_abort(struct ctx *c)
{
	tcp_relay_stop(c);
	c->tcp.dirty = NULL;
	while (c->tcp.conns)
		tcp_conn_reset(c->tcp.conns);
}
