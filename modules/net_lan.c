// SPDX-License-Identifier: GPL-2.0-or-later
/* net_lan.c - a view on a virtual LAN: --net vde:URL
 *
 * DOC: Theory of Operation
 *
 * The LAN's Ethernet frames need a TCP/IP stack of the view's own: facet
 * starts facet-netstack (netstack/), lwIP plugged into the VDE switch, and
 * talks with it over a SOCK_SEQPACKET socketpair (netstack_proto.h).  The
 * guests' sockets stay the real kernel sockets they made, bound on the
 * host's loopback as under --net none; what goes to the LAN is relayed by
 * the netstack between that loopback and lwIP:
 *
 * - connect() to a LAN address: the guest's socket is given a view port
 *   and NS_CONNECT goes out with its host port; the call waits until lwIP
 *   has connected (NS_CONNECTED) or failed (NS_FAILED: the errno is the
 *   guest's), then the supervisor connects the guest's socket to the
 *   netstack's relay listener, which pairs it with the LAN connection by
 *   that host port.  A non-blocking connect waits for the answer too, a
 *   little (see lan_connect()), and returns EINPROGRESS; a failure then
 *   shows through SO_ERROR (ECONNREFUSED, or ETIMEDOUT), as the kernel's.
 * - listen() on a view port: NS_LISTEN; a LAN peer's connection comes from
 *   the netstack's socket on the loopback, announced first by NS_PEER, so
 *   that accept() lets it in and getpeername() shows the LAN address.
 * - UDP: each bound view port is announced (NS_UDP_BIND); datagrams to the
 *   LAN travel in NS_UDP_SEND; datagrams from the LAN come from one relay
 *   socket of the netstack per LAN peer, which NS_PEER names.  connect()
 *   of a UDP socket to a LAN address asks for that relay socket at once
 *   (NS_UDP_CONNECT) and connects the guest's socket to it, so that send()
 *   and recv() need no trap.
 *
 * A guest's IPv6 socket sits on ::1: its relays are the netstack's on ::1
 * (lan_fam()).  Ping sockets are not relayed (ENETUNREACH).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "net_internal.h"
#include "../netstack/netstack_proto.h"

#define LAN_HELLO_MS	10000	/* the netstack plugs into the switch */
#define LAN_SYNC_MS	2000	/* an NS_UDP_CONNECT's answer */
#define LAN_NB_WAIT_MS	100	/* a non-blocking connect waits this much */
#define LAN_MSG_MAX	(sizeof(struct ns_msg) + 1024)
#define LAN_UDP_MAX	(UINT16_MAX - 8 - 20)

/**
 * struct lan_wait - a TCP connect waiting for the LAN, then the relay
 * @n:		module state
 * @d:		the deferred call
 * @s:		the socket (s.fd: the supervisor's copy)
 * @v:		the LAN destination
 * @id:		its NS_CONNECT number
 * @hport:	the socket's host port (the relay pairs by it)
 * @fam:	the socket's loopback: 0 for 127.0.0.1, 1 for ::1
 * @blocking:	the guest's socket is blocking
 * @tfd:	a non-blocking connect's deadline (timerfd), or -1
 * @dialing:	connected to the relay, waiting for the socket to be
 *		writable (the LAN side is up)
 * @next:	list of waits
 *
 * The call waits (@d); or a non-blocking one was answered at its deadline
 * (@d NULL) and its socket waits, parked.
 */
struct lan_wait {
	struct net *n;
	struct facet_deferred *d;
	struct nsock s;
	uint32_t id;
	uint16_t hport;
	int fam;
	bool blocking;
	int tfd;
	bool dialing;
	struct lan_wait *next;
};

static void lan_event(struct facet *f, int fd, uint32_t events, void *arg);
static void lan_wait_free(struct lan_wait *w);
static int lan_timer(struct lan_wait *w);
static void lan_timer_stop(struct lan_wait *w);
static int lan_hole(struct net *n);

/**
 * lan_send() - a message to the netstack
 * @n:		module state
 * @m:		header (m->len set here)
 * @data:	payload, or NULL
 * @len:	its length
 * @drop:	may be dropped if the netstack is behind (a datagram)
 * Return: 0 or -errno
 */
static int lan_send(struct net *n, struct ns_msg *m, const void *data,
		    size_t len, bool drop)
{
	struct iovec iov[2] = { { m, sizeof(*m) }, { (void *)data, len } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = data ? 2 : 1 };
	struct pollfd p = { .fd = n->lan.ctl, .events = POLLOUT };
	int tries;

	if (n->lan.ctl < 0 || n->lan.down)
		return -ENETDOWN;
	m->len = (uint16_t)len;
	for (tries = 0; tries < 2; tries++) {
		if (sendmsg(n->lan.ctl, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
			return 0;
		if (errno != EAGAIN || drop)
			return errno == EAGAIN ? -ENOBUFS : -ENETDOWN;
		poll(&p, 1, 1000);
	}
	return -ENOBUFS;
}

/**
 * lan_find_prog() - where facet-netstack is: $FACET_NETSTACK, beside
 *		     facet, in build/ beside it (the source tree), or in PATH
 * @buf:	for the path
 * @size:	its size
 * Return: the program (@buf, or a name for PATH)
 */
static const char *lan_find_prog(char *buf, size_t size)
{
	static const char *const rel[] = { "facet-netstack", "build/facet-netstack",
					   "../lib/facet/facet-netstack" };
	const char *env = getenv("FACET_NETSTACK");
	char self[PATH_MAX - 64], *slash;
	ssize_t l;
	size_t i;

	if (env && *env)
		return env;
	l = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (l > 0) {
		self[l] = 0;
		if ((slash = strrchr(self, '/')))
			*slash = 0;
		for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(buf, size, "%s/%s", self, rel[i]);
			if (access(buf, X_OK) == 0)
				return buf;
		}
	}
	return "facet-netstack";
}

/**
 * lan_args() - the netstack's command line
 * @n:		module state
 * @prog:	the program
 * @argv:	filled in (at most 16 entries, NULL-terminated)
 * @bufs:	room for the formatted values
 */
static void lan_args(struct net *n, const char *prog, char *argv[16],
		     char bufs[5][64])
{
	const struct net_conf *c = &n->conf;
	char a[INET6_ADDRSTRLEN];
	int i = 0;

	argv[i++] = (char *)prog;
	argv[i++] = "--vde";
	argv[i++] = n->lan.url;
	inet_ntop(AF_INET, &c->ip4, a, sizeof(a));
	snprintf(bufs[0], 64, "%s/%u", a, c->prefix4);
	argv[i++] = "--ip";
	argv[i++] = bufs[0];
	inet_ntop(AF_INET6, &c->ip6, a, sizeof(a));
	snprintf(bufs[1], 64, "%s/%u", a, c->prefix6);
	argv[i++] = "--ip6";
	argv[i++] = bufs[1];
	if (c->gw) {
		inet_ntop(AF_INET, &c->gw4, bufs[2], 64);
		argv[i++] = "--gateway";
		argv[i++] = bufs[2];
	}
	if (c->gw6_on) {
		inet_ntop(AF_INET6, &c->gw6, bufs[4], 64);
		argv[i++] = "--gateway";
		argv[i++] = bufs[4];
	}
	snprintf(bufs[3], 64, "%u", c->mtu);
	argv[i++] = "--mtu";
	argv[i++] = bufs[3];
	if (n->lan.pcap) {
		argv[i++] = "--pcap";
		argv[i++] = n->lan.pcap;
	}
	argv[i] = NULL;
}

/**
 * lan_spawn() - start the netstack with @fd as its fd 3; it is no child
 *		 of facet's (the supervisor's loop waits for every child)
 * @argv:	its command line
 * @fd:		its end of the socketpair
 * Return: 0 or -errno
 */
static int lan_spawn(char *const argv[], int fd)
{
	pid_t pid;

	fflush(stderr);
	if ((pid = fork()) < 0)
		return -errno;
	if (!pid) {
		if ((pid = fork()) == 0) {
			sigset_t none;

			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
			setpgid(0, 0);	/* the terminal's ^C is the guest's */
			if (fd == 3)
				fcntl(3, F_SETFD, 0);
			else if (dup2(fd, 3) < 0)
				_exit(127);
			execvp(argv[0], argv);
			fprintf(stderr, "facet: net: cannot run %s: %s\n", argv[0],
				strerror(errno));
			_exit(127);
		}
		_exit(pid < 0 ? 127 : 0);
	}
	waitpid(pid, NULL, 0);
	return 0;
}

/**
 * lan_hello() - wait for the netstack's NS_HELLO
 * @n:		module state
 * Return: 0, or -EINVAL (message printed)
 */
static int lan_hello(struct net *n)
{
	struct pollfd p = { .fd = n->lan.ctl, .events = POLLIN };
	unsigned char buf[LAN_MSG_MAX + 1];
	struct ns_msg m;
	ssize_t r;

	r = poll(&p, 1, LAN_HELLO_MS);
	if (r == 1)
		r = recv(n->lan.ctl, buf, sizeof(buf) - 1, 0);
	if (r <= 0 || (size_t)r < sizeof(m)) {
		facet_error(n->f, "--net vde:%s: facet-netstack %s", n->lan.url,
			    r == 0 && !p.revents ? "did not start in time"
						 : "exited before it was ready");
		return -EINVAL;
	}
	memcpy(&m, buf, sizeof(m));
	buf[r] = 0;
	if (m.type != NS_HELLO || m.err) {
		facet_error(n->f, "--net vde:%s: %s", n->lan.url,
			    m.type != NS_HELLO ? "facet-netstack speaks another protocol"
			    : (size_t)r > sizeof(m) ? (char *)buf + sizeof(m)
			    : strerror(m.err));
		return -EINVAL;
	}
	if (m.id != NS_PROTO_VERSION) {
		facet_error(n->f, "--net vde:%s: facet-netstack speaks protocol %u, "
			    "facet %u", n->lan.url, m.id, NS_PROTO_VERSION);
		return -EINVAL;
	}
	n->lan.relay[0] = m.port;
	n->lan.relay[1] = m.vport;
	return 0;
}

/**
 * lan_start() - start the view's stack on the switch
 * @n:		module state
 * Return: 0 or -errno (message printed)
 */
int lan_start(struct net *n)
{
	char path[PATH_MAX], bufs[5][64], *argv[16];
	const char *prog = lan_find_prog(path, sizeof(path));
	int sp[2], r, size = 4 << 20;

	n->lan.ctl = -1;
	if ((r = lan_hole(n)) < 0) {
		facet_error(n->f, "--net vde: cannot listen on the host's loopback: %s",
			    strerror(-r));
		return r;
	}
	if (!(n->lan.peers = calloc(2 * 65536, sizeof(*n->lan.peers))))
		return -ENOMEM;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		return -errno;
	setsockopt(sp[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	lan_args(n, prog, argv, bufs);
	r = lan_spawn(argv, sp[1]);
	close(sp[1]);
	n->lan.ctl = sp[0];
	if (r < 0) {
		facet_error(n->f, "--net vde: cannot start %s: %s", prog, strerror(-r));
		return r;
	}
	if ((r = lan_hello(n)) < 0)
		return r;
	fcntl(n->lan.ctl, F_SETFL, O_NONBLOCK | O_RDWR);
	return 0;
}

/**
 * lan_watch() - watch the control socket in the event loop, which runs
 *		 once the first guest does (called on each trapped call)
 * @n:		module state
 */
void lan_watch(struct net *n)
{
	if (n->lan.ctl < 0 || n->lan.watched)
		return;
	n->lan.watched = facet_watch(n->f, n->lan.ctl, EPOLLIN, lan_event, n) == 0;
}

/**
 * lan_stop() - the view ends: tell the netstack, free what is left
 * @n:		module state
 */
void lan_stop(struct net *n)
{
	struct ns_msg m = { .type = NS_BYE };
	int i;

	if (n->lan.ctl >= 0) {
		lan_send(n, &m, NULL, 0, true);
		close(n->lan.ctl);
		n->lan.ctl = -1;
	}
	while (n->lan.waits)
		lan_wait_free(n->lan.waits);
	for (i = 0; i < 4; i++)
		if (n->lan.hole[i / 2][i % 2] > 0)
			close(n->lan.hole[i / 2][i % 2]);
	free(n->lan.peers);
	n->lan.peers = NULL;
	free(n->lan.url);
	free(n->lan.pcap);
}

/* LAN peers named by NS_PEER ---------------------------------------------- */

/**
 * lan_slot() - the entry for host port @hport of @proto
 * @n:		module state
 * @proto:	IPPROTO_TCP or IPPROTO_UDP
 * @hport:	host order
 * Return: the entry, or NULL if not on a LAN
 */
static struct lan_peer *lan_slot(const struct net *n, int proto, uint16_t hport)
{
	if (!n->lan.peers || (proto != IPPROTO_TCP && proto != IPPROTO_UDP))
		return NULL;
	return &n->lan.peers[(proto == IPPROTO_UDP) * 65536 + hport];
}

/**
 * lan_forget() - host port @hport is someone else's now
 * @n:		module state
 * @proto:	IPPROTO_TCP or IPPROTO_UDP
 * @hport:	host order
 */
void lan_forget(struct net *n, int proto, uint16_t hport)
{
	struct lan_peer *p = lan_slot(n, proto, hport);

	if (p)
		p->set = false;
}

/**
 * lan_peer() - the LAN peer host port @hport stands for
 * @n:		module state
 * @proto:	IPPROTO_TCP or IPPROTO_UDP
 * @hport:	a port on the host's loopback, host order
 * Return: the peer, or NULL
 *
 * Messages waiting on the control socket are read first: the netstack
 * names a peer before it connects or sends from its port.
 */
const struct lan_peer *lan_peer(struct net *n, int proto, uint16_t hport)
{
	const struct lan_peer *p = lan_slot(n, proto, hport);

	if (!p)
		return NULL;
	lan_event(n->f, n->lan.ctl, EPOLLIN, n);
	return p->set ? p : NULL;
}

/* TCP connect ------------------------------------------------------------ */

/**
 * lan_wait_free() - unlink and free a wait
 * @w:		the wait
 */
static void lan_wait_free(struct lan_wait *w)
{
	struct lan_wait **pp;

	for (pp = &w->n->lan.waits; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	if (w->dialing)
		facet_unwatch(w->n->f, w->s.fd);
	lan_timer_stop(w);
	ns_put(&w->s);
	free(w);
}

/**
 * lan_cancel() - the guest stopped waiting; the netstack resets the LAN
 *		  connection nobody pairs
 * @arg:	struct lan_wait
 */
static void lan_cancel(void *arg)
{
	lan_wait_free(arg);
}

/**
 * lan_end() - answer a wait's connect with @r (if a call waits) and free it
 * @w:		the wait
 * @r:		0 or -errno
 */
static void lan_end(struct lan_wait *w, int r)
{
	if (w->d)
		facet_reply(w->n->f, w->d, r < 0 ? -1 : 0, r < 0 ? -r : 0);
	lan_wait_free(w);
}

/**
 * lan_dial_done() - the relay connection is up, or failed
 * @f:		supervisor context
 * @fd:		the copy
 * @events:	what happened
 * @arg:	struct lan_wait
 */
static void lan_dial_done(struct facet *f, int fd, uint32_t events, void *arg)
{
	(void)f;
	(void)events;
	lan_end(arg, ns_sock_error(fd));
}

/**
 * lan_loopback() - 127.0.0.1:@port, or [::1]:@port
 * @h:		filled in
 * @v6:		::1
 * @port:	host order
 */
static void lan_loopback(struct sockaddr_in6 *h, int v6, uint16_t port)
{
	memset(h, 0, sizeof(*h));
	h->sin6_family = AF_INET6;
	if (v6)
		h->sin6_addr = in6addr_loopback;
	else
		na_map4(&h->sin6_addr, htonl(INADDR_LOOPBACK));
	h->sin6_port = htons(port);
}

/**
 * lan_fam() - which of the host's loopbacks a socket is on: its relay
 *	       listener, black hole and relay sockets are the netstack's there
 * @s:		the socket
 * Return: 1 for ::1 (an IPv6 socket), 0 for 127.0.0.1 (IPv4, and a
 *	   dual-stack socket on the wildcard)
 */
static int lan_fam(const struct nsock *s)
{
	struct sockaddr_in6 h;

	return host_name(s, false, &h) == 0 && !na_is_v4(&h.sin6_addr) &&
	       !na_any(&h.sin6_addr);
}

/**
 * lan_dial() - connect the guest's socket to host address @h, without
 *		blocking the supervisor
 * @s:		the socket (the copy)
 * @h:		where
 * Return: 0 (connected), -EINPROGRESS, or -errno
 */
static int lan_dial(const struct nsock *s, const struct sockaddr_in6 *h)
{
	int fl = fcntl(s->fd, F_GETFL), r, e;
	struct sockaddr_storage ss;
	socklen_t l = na_to(h, s->family, &ss);

	if (!l)
		return -EAFNOSUPPORT;
	fcntl(s->fd, F_SETFL, fl | O_NONBLOCK);
	r = connect(s->fd, (struct sockaddr *)&ss, l);
	e = errno;
	fcntl(s->fd, F_SETFL, fl);
	return r == 0 ? 0 : e == EALREADY ? -EINPROGRESS : -e;
}

/**
 * lan_redial() - a non-blocking connect's socket, parked in SYN_SENT on the
 *		  black hole, goes to @h instead: the connection is dissolved
 *		  (connect(AF_UNSPEC)), its error cleared, its host port taken
 *		  again (the relay pairs by it), and @h dialled
 * @w:		the wait (w->s: the copy; w->hport)
 * @h:		the relay, or the refusing sink
 */
static void lan_redial(struct lan_wait *w, const struct sockaddr_in6 *h)
{
	struct sockaddr sa = { .sa_family = AF_UNSPEC };
	struct sockaddr_storage ss;
	struct sockaddr_in6 b;
	socklen_t l = sizeof(int);
	int err;

	if (connect(w->s.fd, &sa, sizeof(sa)) < 0)
		return;		/* not ours to change any more */
	getsockopt(w->s.fd, SOL_SOCKET, SO_ERROR, &err, &l);
	lan_loopback(&b, w->fam, w->hport);
	if (!(l = na_to(&b, w->s.family, &ss)) ||
	    bind(w->s.fd, (struct sockaddr *)&ss, l) < 0)
		facet_verbose(w->n->f, "LAN connect: host port %u taken meanwhile", w->hport);
	lan_dial(&w->s, h);
}

/**
 * lan_answer() - NS_CONNECTED or NS_FAILED for a TCP connect
 * @n:		module state
 * @m:		the message
 *
 * A blocking connect is waiting: on success the guest's socket dials the
 * relay and the call is answered when that is up; a failure is the
 * call's error.  A non-blocking connect still waiting dials the relay, or,
 * if refused, the sink that refuses (ECONNREFUSED through SO_ERROR), and
 * is answered EINPROGRESS.  One answered already, its socket parked in
 * SYN_SENT, is moved likewise (lan_redial()), or, for a timeout, stays
 * parked with TCP_USER_TIMEOUT so short that the kernel gives it ETIMEDOUT
 * at its next SYN.
 */
static void lan_answer(struct net *n, const struct ns_msg *m)
{
	struct sockaddr_in6 h;
	struct lan_wait *w;
	int r, one = 1;

	for (w = n->lan.waits; w && w->id != m->id; w = w->next)
		;
	if (!w || w->dialing)
		return;
	r = m->type == NS_CONNECTED ? 0 : m->err ? -(int)m->err : -ECONNREFUSED;
	lan_loopback(&h, w->fam, r == 0 ? n->lan.relay[w->fam] : 0);
	if (r == -ECONNREFUSED && (!w->d || !w->blocking) && ns_sink(n, &h, true) < 0)
		r = -ENOBUFS;
	if (!w->d) {			/* parked */
		if (r == -ETIMEDOUT)
			setsockopt(w->s.fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &one, sizeof(one));
		else if (r == 0 || r == -ECONNREFUSED)
			lan_redial(w, &h);
		lan_end(w, 0);
		return;
	}
	if (r == -ECONNREFUSED && !w->blocking) {
		lan_dial(&w->s, &h);	/* the kernel refuses: SO_ERROR */
		lan_end(w, -EINPROGRESS);
		return;
	}
	if (r < 0) {
		lan_end(w, r);
		return;
	}
	r = lan_dial(&w->s, &h);
	if (r != -EINPROGRESS || !w->blocking) {
		lan_end(w, r);
		return;
	}
	lan_timer_stop(w);
	if (facet_watch(n->f, w->s.fd, EPOLLOUT, lan_dial_done, w) < 0) {
		lan_end(w, -ENOMEM);
		return;
	}
	w->dialing = true;
}

/**
 * lan_park() - a non-blocking connect's deadline: answer EINPROGRESS, and
 *		park its socket on the black hole until the LAN answers
 * @f:		supervisor context
 * @fd:		the timerfd
 * @events:	what happened
 * @arg:	struct lan_wait
 */
static void lan_park(struct facet *f, int fd, uint32_t events, void *arg)
{
	struct lan_wait *w = arg;
	struct sockaddr_in6 h;
	int r;

	(void)fd;
	(void)events;
	lan_timer_stop(w);
	lan_loopback(&h, w->fam, w->n->lan.hole_port[w->fam]);
	r = lan_dial(&w->s, &h);
	if (r != -EINPROGRESS) {
		lan_end(w, r == 0 ? -EIO : r);
		return;
	}
	facet_reply(f, w->d, -1, EINPROGRESS);
	w->d = NULL;
}

/**
 * lan_timer() - arm a non-blocking connect's deadline
 * @w:		the wait
 * Return: 0 or -errno
 */
static int lan_timer(struct lan_wait *w)
{
	struct itimerspec it = { .it_value.tv_nsec = LAN_NB_WAIT_MS * 1000000L };

	w->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (w->tfd < 0)
		return -errno;
	if (timerfd_settime(w->tfd, 0, &it, NULL) < 0 ||
	    facet_watch(w->n->f, w->tfd, EPOLLIN, lan_park, w) < 0) {
		close(w->tfd);
		w->tfd = -1;
		return -ENOMEM;
	}
	return 0;
}

/**
 * lan_timer_stop() - disarm it
 * @w:		the wait
 */
static void lan_timer_stop(struct lan_wait *w)
{
	if (w->tfd < 0)
		return;
	facet_unwatch(w->n->f, w->tfd);
	close(w->tfd);
	w->tfd = -1;
}

/**
 * lan_bound_port() - the host and view ports of a bound socket
 * @n:		module state
 * @s:		the socket
 * @hport:	set, host order
 * Return: the view port, or 0 if it has none
 */
static uint16_t lan_bound_port(struct net *n, const struct nsock *s,
			       uint16_t *hport)
{
	struct sockaddr_in6 h;
	struct net_port *p;

	if (host_name(s, false, &h) < 0)
		return 0;
	*hport = ntohs(h.sin6_port);
	p = port_by_host(n, ns_key(s), *hport);
	return p ? p->vport : 0;
}

/**
 * lan_note() - the socket talks with LAN address @v: what the view shows
 *		as its peer
 * @n:		module state
 * @s:		the socket
 * @v:		the LAN address
 */
static void lan_note(struct net *n, const struct nsock *s,
		     const struct sockaddr_in6 *v)
{
	struct net_sockrec *r;

	rec_drop(n, s->ino);
	if ((r = rec_get(n, s->ino, true))) {
		r->peer = *v;
		r->lan = true;
	}
}

/**
 * lan_state() - the TCP state of a socket: is a connect under way, or
 *		 done?
 * @n:		module state
 * @s:		the socket
 * Return: -EALREADY, -EISCONN, or 0 (neither)
 */
static int lan_state(struct net *n, const struct nsock *s)
{
	struct tcp_info ti;
	socklen_t l = sizeof(ti);
	struct lan_wait *w;

	for (w = n->lan.waits; w; w = w->next)
		if (w->s.ino == s->ino)
			return -EALREADY;
	if (getsockopt(s->fd, IPPROTO_TCP, TCP_INFO, &ti, &l) < 0)
		return 0;
	if (ti.tcpi_state == TCP_SYN_SENT)
		return -EALREADY;
	if (ti.tcpi_state != TCP_CLOSE && ti.tcpi_state != TCP_LISTEN)
		return -EISCONN;
	return 0;
}

/**
 * lan_connect() - connect() of a stream socket to a LAN address
 * @n:		module state
 * @call:	the call
 * @s:		the socket; its copy passes to the wait
 * @v:		the LAN address (lan_dest() said yes)
 * Return: outcome
 *
 * A blocking connect waits for the LAN's answer (lan_answer()).  So does
 * a non-blocking one, for LAN_NB_WAIT_MS at most (a LAN answers in far
 * less): then it is answered as the kernel would, EINPROGRESS with the
 * socket on its way to the relay, or to the sink that refuses.  If the LAN
 * is slower (a host that does not answer), the call is answered
 * EINPROGRESS at the deadline and the socket parked on the black hole (a
 * listener on the host's loopback whose full queue drops every SYN), so
 * that it stays in SYN_SENT, not writable, SO_ERROR 0, until the answer.
 */
enum facet_outcome lan_connect(struct net *n, struct facet_call *call,
			       struct nsock *s, const struct sockaddr_in6 *v)
{
	struct ns_msg m = { .type = NS_CONNECT, .aport = ntohs(v->sin6_port) };
	struct lan_wait *w;
	int r, fam;

	if ((r = lan_state(n, s)) < 0)
		return ns_done(call, r);
	if (ns_key(s) != IPPROTO_TCP)
		return ns_done(call, -ENETUNREACH);
	if ((r = ns_autobind(n, s)) < 0)
		return ns_done(call, r);
	fam = lan_fam(s);
	if (!n->lan.relay[fam] || !n->lan.hole_port[fam])
		return ns_done(call, -ENETUNREACH);
	if (!(m.vport = lan_bound_port(n, s, &m.port)))
		return ns_done(call, -EADDRNOTAVAIL);
	if (!(w = calloc(1, sizeof(*w))))
		return ns_done(call, -ENOMEM);
	w->n = n;
	w->tfd = -1;
	w->fam = fam;
	w->blocking = ns_blocking(s);
	w->hport = m.port;
	w->id = m.id = ++n->lan.ids ? n->lan.ids : ++n->lan.ids;
	memcpy(m.addr, &v->sin6_addr, 16);
	if ((r = lan_send(n, &m, NULL, 0, false)) < 0 ||
	    (!w->blocking && (r = lan_timer(w)) < 0) ||
	    !(w->d = facet_defer(n->f, call, lan_cancel, w))) {
		lan_timer_stop(w);
		free(w);
		return ns_done(call, r < 0 ? r : -ENOMEM);
	}
	w->s = *s;
	s->fd = -1;		/* the wait's now */
	lan_note(n, &w->s, v);
	w->next = n->lan.waits;
	n->lan.waits = w;
	return FACET_DEFER;
}

/**
 * lan_hole() - make the black hole: a listener with a queue of one, filled
 * @n:		module state
 * Return: 0 or -errno
 */
static int lan_hole(struct net *n)
{
	struct sockaddr_in6 h;
	struct sockaddr_storage a;
	socklen_t l;
	int i, *fd;

	for (i = 0; i < 2; i++) {
		fd = n->lan.hole[i];
		lan_loopback(&h, i, 0);
		l = na_to(&h, i ? AF_INET6 : AF_INET, &a);
		fd[0] = socket(a.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		fd[1] = socket(a.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd[0] < 0 || fd[1] < 0 ||
		    bind(fd[0], (struct sockaddr *)&a, l) < 0 ||
		    listen(fd[0], 0) < 0 ||
		    getsockname(fd[0], (struct sockaddr *)&a, &l) < 0 ||
		    connect(fd[1], (struct sockaddr *)&a, l) < 0) {
			if (i)		/* no IPv6 on the loopback: none */
				return 0;
			return -errno;
		}
		n->lan.hole_port[i] = ntohs(((struct sockaddr_in *)&a)->sin_port);
	}
	return 0;
}

/* UDP -------------------------------------------------------------------- */

/**
 * lan_sync() - wait for the answer to request @id, serving the other
 *		messages meanwhile
 * @n:		module state
 * @id:		the request
 * @out:	the answer
 * Return: 0 or -errno
 */
static int lan_sync(struct net *n, uint32_t id, struct ns_msg *out);

/**
 * lan_udp_connect() - connect() of a UDP socket to a LAN address: to the
 *		       netstack's relay socket for that peer
 * @n:		module state
 * @s:		the socket
 * @v:		the LAN address
 * Return: 0 or -errno
 */
int lan_udp_connect(struct net *n, const struct nsock *s,
		    const struct sockaddr_in6 *v)
{
	struct ns_msg m = { .type = NS_UDP_CONNECT, .aport = ntohs(v->sin6_port) };
	struct sockaddr_storage ss;
	struct sockaddr_in6 h;
	socklen_t l;
	int r;

	if ((r = ns_autobind(n, s)) < 0)
		return r;
	if (!(m.vport = lan_bound_port(n, s, &m.port)))
		return -EADDRNOTAVAIL;
	m.id = ++n->lan.ids ? n->lan.ids : ++n->lan.ids;
	m.err = lan_fam(s) ? NS_LOOP6 : 0;
	memcpy(m.addr, &v->sin6_addr, 16);
	if ((r = lan_send(n, &m, NULL, 0, false)) < 0 || (r = lan_sync(n, m.id, &m)) < 0)
		return r;
	if (m.type != NS_CONNECTED)
		return m.err ? -(int)m.err : -ENOBUFS;
	lan_loopback(&h, lan_fam(s), m.port);
	l = na_to(&h, s->family, &ss);
	if (!l || connect(s->fd, (struct sockaddr *)&ss, l) < 0)
		return l ? -errno : -EAFNOSUPPORT;
	lan_note(n, s, v);
	return 0;
}

/**
 * lan_udp_send() - a datagram from socket @s to LAN address @v
 * @n:		module state
 * @s:		the socket (bound: dg_dest() autobinds)
 * @v:		the LAN address
 * @data:	payload
 * @len:	its length
 * Return: @len, or -errno
 */
int64_t lan_udp_send(struct net *n, const struct nsock *s,
		     const struct sockaddr_in6 *v, const void *data, size_t len)
{
	struct ns_msg m = { .type = NS_UDP_SEND, .aport = ntohs(v->sin6_port) };
	int r;

	if (len > LAN_UDP_MAX)
		return -EMSGSIZE;
	if (!(m.vport = lan_bound_port(n, s, &m.port)))
		return -EADDRNOTAVAIL;
	memcpy(m.addr, &v->sin6_addr, 16);
	r = lan_send(n, &m, data, len, true);
	return r == -ENOBUFS ? (int64_t)len : r < 0 ? r : (int64_t)len;
}

/**
 * lan_bound() - a socket got a view port: a UDP one is announced, so that
 *		 datagrams from the LAN reach it
 * @n:		module state
 * @s:		the socket
 * @p:		its port entry
 */
void lan_bound(struct net *n, const struct nsock *s, const struct net_port *p)
{
	struct ns_msg m = { .type = NS_UDP_BIND, .vport = p->vport, .port = p->hport };
	struct sockaddr_in6 h;

	if (p->proto != IPPROTO_UDP || na_loopback(&p->vaddr) ||
	    host_name(s, false, &h) < 0)
		return;
	if (lan_fam(s))
		m.err = NS_LOOP6;
	lan_send(n, &m, NULL, 0, false);
}

/**
 * lan_listen() - a stream socket listens: its view port takes
 *		  connections from the LAN
 * @n:		module state
 * @s:		the socket
 */
void lan_listen(struct net *n, const struct nsock *s)
{
	struct ns_msg m = { .type = NS_LISTEN };
	struct sockaddr_in6 h;
	struct net_port *p;

	if (host_name(s, false, &h) < 0 ||
	    !(p = port_by_host(n, IPPROTO_TCP, ntohs(h.sin6_port))) ||
	    na_loopback(&p->vaddr))
		return;
	m.vport = p->vport;
	m.port = p->hport;
	lan_send(n, &m, NULL, 0, false);
}

/**
 * lan_dest() - may socket @s reach LAN address @v?
 * @n:		module state
 * @s:		the socket
 * @v:		the destination (not the view's own)
 * Return: 0 or -errno
 */
int lan_dest(struct net *n, const struct nsock *s, const struct sockaddr_in6 *v)
{
	const struct net_conf *c = &n->conf;

	bool v4 = na_is_v4(&v->sin6_addr);

	if (n->lan.down)
		return -ENETDOWN;
	if (!ns_key(s))
		return -ENETUNREACH;	/* ping: not relayed */
	if (s->type == SOCK_STREAM && IN6_IS_ADDR_MULTICAST(&v->sin6_addr))
		return -ENETUNREACH;
	if (!v4 && (!n->lan.relay[1] || IN6_IS_ADDR_LINKLOCAL(&v->sin6_addr)))
		return -ENETUNREACH;	/* no IPv6 on the host's loopback */
	if (!na_subnet(c, &v->sin6_addr) && !(v4 ? c->gw : c->gw6_on))
		return -ENETUNREACH;
	return 0;
}

/* the control socket ----------------------------------------------------- */

/**
 * lan_dispatch() - one message from the netstack
 * @n:		module state
 * @m:		the message
 */
static void lan_dispatch(struct net *n, const struct ns_msg *m)
{
	struct lan_peer *p;

	switch (m->type) {
	case NS_CONNECTED:
	case NS_FAILED:
		if (m->id)
			lan_answer(n, m);
		else
			facet_verbose(n->f, "the LAN refused view port %u: %s",
				      m->vport, strerror(m->err));
		break;
	case NS_PEER:
		if (!(p = lan_slot(n, (int)m->id, m->port)))
			break;
		memcpy(&p->addr, m->addr, 16);
		p->aport = m->aport;
		p->vport = m->vport;
		p->set = true;
		if (m->id == IPPROTO_TCP)
			client_forget(n, m->port);
		break;
	case NS_BYE:
		if (!n->lan.down)
			facet_error(n->f, "--net vde:%s: the switch went away",
				    n->lan.url);
		n->lan.down = true;
		break;
	default:
		break;
	}
}

/**
 * lan_down() - the netstack is gone: every wait fails
 * @n:		module state
 */
static void lan_down(struct net *n)
{
	if (n->lan.ctl >= 0) {
		if (n->lan.watched)
			facet_unwatch(n->f, n->lan.ctl);
		n->lan.watched = false;
		close(n->lan.ctl);
		n->lan.ctl = -1;
	}
	if (!n->lan.down)
		facet_error(n->f, "--net vde:%s: facet-netstack has exited", n->lan.url);
	n->lan.down = true;
	while (n->lan.waits)
		lan_end(n->lan.waits, -ENETDOWN);
}

/**
 * lan_event() - the control socket is readable: read what is there
 * @f:		supervisor context
 * @fd:		the socket
 * @events:	what happened
 * @arg:	module state
 */
static void lan_event(struct facet *f, int fd, uint32_t events, void *arg)
{
	unsigned char buf[LAN_MSG_MAX];
	struct net *n = arg;
	struct ns_msg m;
	ssize_t r;

	(void)f;
	(void)events;
	while (fd >= 0 && fd == n->lan.ctl) {
		r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (r <= 0) {
			lan_down(n);
			return;
		}
		if ((size_t)r < sizeof(m))
			continue;
		memcpy(&m, buf, sizeof(m));
		lan_dispatch(n, &m);
	}
}

static int lan_sync(struct net *n, uint32_t id, struct ns_msg *out)
{
	struct pollfd p = { .fd = n->lan.ctl, .events = POLLIN };
	unsigned char buf[LAN_MSG_MAX];
	struct timespec t0, t;
	ssize_t r;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		ms = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms >= LAN_SYNC_MS)
			return -ETIMEDOUT;
		if (n->lan.ctl < 0)
			return -ENETDOWN;
		p.fd = n->lan.ctl;
		if (poll(&p, 1, (int)(LAN_SYNC_MS - ms)) < 1)
			continue;
		r = recv(n->lan.ctl, buf, sizeof(buf), MSG_DONTWAIT);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r <= 0) {
			lan_down(n);
			return -ENETDOWN;
		}
		if ((size_t)r < sizeof(*out))
			continue;
		memcpy(out, buf, sizeof(*out));
		if (out->id == id && (out->type == NS_CONNECTED || out->type == NS_FAILED))
			return 0;
		lan_dispatch(n, out);
	}
}
