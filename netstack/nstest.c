// SPDX-License-Identifier: GPL-2.0-or-later
/* nstest.c - drive two facet-netstack processes as facet would, and check
 *
 *   nstest --netstack PATH --vde URL [--pcap-dir DIR] [--big MB] [--ip6]
 *          [--only TEST,...] [-v]
 *
 * Starts netstack A (10.1.0.2/24) and B (10.1.0.3/24) on the switch, each
 * with a SOCK_SEQPACKET socketpair as fd 3, and plays facet's part: for A,
 * NS_LISTEN of view port 80 to a kernel listener of ours on 127.0.0.1;
 * for B, NS_CONNECT to 10.1.0.2:80 and a kernel socket connected to B's
 * relay port.  The tests move data through A <-> switch <-> B and compare
 * what arrives with what was sent (contents and CRC-32).  ARP and ping are
 * checked from a VDE plug of our own.
 *
 * Prints one "ok"/"not ok" line a test, then "N passed, N failed";
 * exits 0 if none failed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libvdeplug.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "netstack_proto.h"

#define WAIT_MS		10000
#define PAT_PERIOD	1000003		/* pattern period, prime */
#define CHUNK		65536
#define BACKLOG_MAX	64

/**
 * struct stack - one facet-netstack under test
 * @name:	"A" or "B"
 * @ip:		its IPv4 address
 * @ip6:	its IPv6 address
 * @pid:	its process
 * @fd:		our end of its fd 3
 * @relay:	its relay port (NS_HELLO)
 * @q:		messages read but not asked for yet
 * @nq:		how many
 */
struct stack {
	const char *name;
	const char *ip;
	const char *ip6;
	pid_t pid;
	int fd;
	uint16_t relay;
	struct ns_msg q[BACKLOG_MAX];
	int nq;
};

static struct stack A = { .name = "A", .ip = "10.1.0.2", .ip6 = "fd00:1::2" };
static struct stack B = { .name = "B", .ip = "10.1.0.3", .ip6 = "fd00:1::3" };
static const char *opt_netstack, *opt_vde, *opt_pcap_dir, *opt_only;
static int opt_big = 200, opt_ip6, opt_verbose;
static int passed, failed;
static uint16_t listen_port;	/* our "guest" listener for A's view port 80 */
static int listen_fd = -1;
static unsigned char *pattern;
static uint32_t next_id = 1;

/* reporting ------------------------------------------------------------ */

/**
 * result() - print a test's result
 * @ok:		passed?
 * @name:	test name
 * @fmt:	details, printf format, then its arguments
 */
static void result(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("%s - %s", ok ? "ok" : "not ok", name);
	if (fmt && *fmt) {
		printf(ok ? " (" : ": ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		if (ok)
			printf(")");
	}
	printf("\n");
	fflush(stdout);
	if (ok)
		passed++;
	else
		failed++;
}

/**
 * msec() - monotonic time
 *
 * Return: milliseconds
 */
static double msec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* fd 3 messages -------------------------------------------------------- */

/**
 * v4mapped() - an address for a message
 * @b:		16 bytes to fill
 * @text:	IPv4 or IPv6 address
 */
static void v4mapped(uint8_t b[16], const char *text)
{
	memset(b, 0, 16);
	if (inet_pton(AF_INET, text, b + 12) == 1)
		b[10] = b[11] = 0xff;
	else
		inet_pton(AF_INET6, text, b);
}

/**
 * addr_text() - a message's address as text
 * @b:		16 bytes
 *
 * Return: static buffer
 */
static const char *addr_text(const uint8_t b[16])
{
	static char s[INET6_ADDRSTRLEN];
	static const uint8_t pre[12] = { [10] = 0xff, [11] = 0xff };

	if (!memcmp(b, pre, 12))
		return inet_ntop(AF_INET, b + 12, s, sizeof(s));
	return inet_ntop(AF_INET6, b, s, sizeof(s));
}

/**
 * ns_send() - send a message to a netstack
 * @s:		netstack
 * @m:		header, @m->len set
 * @payload:	payload or NULL
 */
static void ns_send(struct stack *s, struct ns_msg *m, const void *payload)
{
	unsigned char buf[sizeof(*m) + UINT16_MAX];

	memcpy(buf, m, sizeof(*m));
	if (m->len)
		memcpy(buf + sizeof(*m), payload, m->len);
	if (send(s->fd, buf, sizeof(*m) + m->len, MSG_NOSIGNAL) < 0)
		fprintf(stderr, "nstest: send to %s: %s\n", s->name,
			strerror(errno));
}

/**
 * ns_expect_any() - wait for a message of some types from a netstack
 * @s:		netstack
 * @types:	mask of 1 << enum ns_type
 * @m:		filled with the message
 * @ms:		timeout
 *
 * Other messages are kept for later calls.
 *
 * Return: true if one came
 */
static bool ns_expect_any(struct stack *s, unsigned types, struct ns_msg *m,
			  int ms)
{
	unsigned char buf[sizeof(*m) + UINT16_MAX];
	struct pollfd p = { .fd = s->fd, .events = POLLIN };
	double end = msec() + ms;
	int i;

	for (i = 0; i < s->nq; i++) {
		if (types & (1U << s->q[i].type)) {
			*m = s->q[i];
			memmove(&s->q[i], &s->q[i + 1],
				(size_t)(--s->nq - i) * sizeof(*m));
			return true;
		}
	}
	while (msec() < end) {
		if (poll(&p, 1, (int)(end - msec()) + 1) <= 0)
			continue;
		if (recv(s->fd, buf, sizeof(buf), 0) < (ssize_t)sizeof(*m))
			return false;
		memcpy(m, buf, sizeof(*m));
		if (opt_verbose)
			fprintf(stderr, "nstest: %s says %u id %u err %u vport %u "
				"port %u %s:%u\n", s->name, m->type, m->id, m->err,
				m->vport, m->port, addr_text(m->addr), m->aport);
		if (types & (1U << m->type))
			return true;
		if (s->nq < BACKLOG_MAX)
			s->q[s->nq++] = *m;
	}
	return false;
}

/**
 * ns_expect() - wait for a message of a type from a netstack
 * @s:		netstack
 * @type:	enum ns_type
 * @m:		filled with the message
 * @ms:		timeout
 *
 * Return: true if it came
 */
static bool ns_expect(struct stack *s, int type, struct ns_msg *m, int ms)
{
	return ns_expect_any(s, 1U << type, m, ms);
}

/**
 * ns_sync() - wait until a netstack has acted on what was sent before
 * @s:		netstack
 *
 * Messages on fd 3 are handled in order, and an NS_CONNECT to TEST-NET-1
 * (192.0.2.1), which no route reaches, is answered at once with NS_FAILED.
 *
 * Return: that NS_FAILED's errno (ENETUNREACH expected), or -1
 */
static int ns_sync(struct stack *s)
{
	struct ns_msg m = { .type = NS_CONNECT, .id = next_id++, .aport = 9,
			    .port = 1 };
	struct ns_msg r;

	v4mapped(m.addr, "192.0.2.1");
	ns_send(s, &m, NULL);
	while (ns_expect_any(s, 1U << NS_FAILED | 1U << NS_CONNECTED, &r,
			     WAIT_MS)) {
		if (r.id == m.id)
			return r.type == NS_FAILED ? r.err : -1;
	}
	return -1;
}

/**
 * ns_start() - start a netstack with fd 3, wait for NS_HELLO
 * @s:		netstack
 *
 * Return: true if it said hello
 */
static bool ns_start(struct stack *s)
{
	char ip[64], ip6[64], pcap[4096];
	const char *argv[16];
	struct ns_msg m;
	int sv[2], n = 0;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return false;
	snprintf(ip, sizeof(ip), "%s/24", s->ip);
	snprintf(ip6, sizeof(ip6), "%s/64", s->ip6);
	argv[n++] = opt_netstack;
	argv[n++] = "--vde";
	argv[n++] = opt_vde;
	argv[n++] = "--ip";
	argv[n++] = ip;
	if (opt_ip6) {
		argv[n++] = "--ip6";
		argv[n++] = ip6;
	}
	if (opt_pcap_dir) {
		snprintf(pcap, sizeof(pcap), "%s/%s.pcap", opt_pcap_dir, s->name);
		argv[n++] = "--pcap";
		argv[n++] = pcap;
	}
	if (opt_verbose)
		argv[n++] = "-v";
	argv[n] = NULL;
	s->pid = fork();
	if (s->pid == 0) {
		dup2(sv[1], 3);
		execv(opt_netstack, (char **)argv);
		_exit(127);
	}
	close(sv[1]);
	s->fd = sv[0];
	if (!ns_expect(s, NS_HELLO, &m, WAIT_MS) || m.err)
		return false;
	s->relay = m.port;
	return s->relay != 0;
}

/* data: a pattern both ends know --------------------------------------- */

/**
 * pattern_init() - the bytes every transfer sends, from a fixed seed
 *
 * Byte i of a stream with seed k is pattern[(k + i) % PAT_PERIOD]; the
 * buffer has CHUNK bytes more so that any chunk is contiguous.
 */
static void pattern_init(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	size_t i;

	pattern = malloc(PAT_PERIOD + CHUNK);
	for (i = 0; i < PAT_PERIOD; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		pattern[i] = (unsigned char)(x >> 24);
	}
	memcpy(pattern + PAT_PERIOD, pattern, CHUNK);
}

/**
 * struct flow - one direction of a transfer
 * @src:	socket written
 * @dst:	socket read
 * @total:	bytes to send
 * @shut:	shutdown(SHUT_WR) @src when all is sent; read @dst to EOF
 * @seed:	pattern offset
 * @sent:	bytes written
 * @rcvd:	bytes read
 * @crc_tx:	CRC-32 of what was written
 * @crc_rx:	CRC-32 of what was read
 * @eof:	EOF read
 * @bad:	first offset that differed, or -1
 * @err:	errno of a failed read or write
 */
struct flow {
	int src, dst;
	size_t total;
	bool shut;
	size_t seed;
	size_t sent, rcvd;
	uLong crc_tx, crc_rx;
	bool eof;
	long long bad;
	int err;
};

/**
 * flow_init() - set up a flow
 * @f:		flow
 * @src:	socket to write
 * @dst:	socket to read
 * @total:	bytes
 * @shut:	half-close after sending
 */
static void flow_init(struct flow *f, int src, int dst, size_t total, bool shut)
{
	static size_t seeds = 12345;

	memset(f, 0, sizeof(*f));
	f->src = src;
	f->dst = dst;
	f->total = total;
	f->shut = shut;
	f->seed = (seeds += 7919) % PAT_PERIOD;
	f->crc_tx = f->crc_rx = crc32(0, NULL, 0);
	f->bad = -1;
}

/**
 * flow_done() - has everything of a flow arrived?
 * @f:		flow
 *
 * Return: true when done, or failed
 */
static bool flow_done(const struct flow *f)
{
	if (f->err || f->bad >= 0)
		return true;
	return f->shut ? f->eof : f->rcvd >= f->total;
}

/**
 * flow_write() - write the next chunk of a flow
 * @f:		flow
 */
static void flow_write(struct flow *f)
{
	const unsigned char *p = pattern + (f->seed + f->sent) % PAT_PERIOD;
	size_t n = f->total - f->sent;
	ssize_t w;

	w = send(f->src, p, n < CHUNK ? n : CHUNK, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (w < 0 && errno != EAGAIN) {
		f->err = errno;
		return;
	}
	if (w <= 0)
		return;
	f->crc_tx = crc32(f->crc_tx, p, (uInt)w);
	f->sent += (size_t)w;
	if (f->sent == f->total && f->shut)
		shutdown(f->src, SHUT_WR);
}

/**
 * flow_read() - read what arrived of a flow and check it
 * @f:		flow
 */
static void flow_read(struct flow *f)
{
	static unsigned char buf[CHUNK];
	const unsigned char *p;
	ssize_t r = recv(f->dst, buf, sizeof(buf), MSG_DONTWAIT);

	if (r < 0 && errno != EAGAIN)
		f->err = errno;
	if (r == 0)
		f->eof = true;
	if (r <= 0)
		return;
	p = pattern + (f->seed + f->rcvd) % PAT_PERIOD;
	if (f->rcvd + (size_t)r > f->total || memcmp(p, buf, (size_t)r))
		f->bad = (long long)f->rcvd;
	f->crc_rx = crc32(f->crc_rx, buf, (uInt)r);
	f->rcvd += (size_t)r;
}

/**
 * flows_run() - move flows until all are done
 * @f:		flows
 * @n:		how many (at most 64)
 * @ms:		give up after this long
 *
 * Return: true if all arrived whole and unchanged
 */
static bool flows_run(struct flow *f, int n, int ms)
{
	struct pollfd p[128];
	double end = msec() + ms;
	bool all;
	int i;

	for (;;) {
		all = true;
		for (i = 0; i < n; i++) {
			all &= flow_done(&f[i]);
			p[2 * i].fd = f[i].sent < f[i].total && !f[i].err ?
				      f[i].src : -1;
			p[2 * i].events = POLLOUT;
			p[2 * i + 1].fd = flow_done(&f[i]) ? -1 : f[i].dst;
			p[2 * i + 1].events = POLLIN;
		}
		if (all || msec() > end)
			break;
		if (poll(p, (nfds_t)(2 * n), 200) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			if (p[2 * i].revents)
				flow_write(&f[i]);
			if (p[2 * i + 1].revents)
				flow_read(&f[i]);
		}
	}
	for (i = 0; i < n; i++) {
		if (!flow_done(&f[i]) || f[i].err || f[i].bad >= 0 ||
		    f[i].rcvd != f[i].total || f[i].crc_rx != f[i].crc_tx)
			return false;
	}
	return true;
}

/**
 * flow_why() - why a flow failed, for the report
 * @f:		flow
 *
 * Return: static text
 */
static const char *flow_why(const struct flow *f)
{
	static char s[256];

	char bad[48] = "";

	if (f->bad >= 0)
		snprintf(bad, sizeof(bad), "data differ at %lld, ", f->bad);
	snprintf(s, sizeof(s), "sent %zu/%zu, received %zu%s, crc %08lx/%08lx, "
		 "%s%s", f->sent, f->total, f->rcvd, f->eof ? " and EOF" : "",
		 f->crc_tx, f->crc_rx, bad, f->err ? strerror(f->err) : "no error");
	return s;
}

/* TCP connections through both netstacks ------------------------------- */

/**
 * loopback_socket() - a TCP or UDP socket bound on 127.0.0.1
 * @type:	SOCK_STREAM or SOCK_DGRAM
 * @port:	set to its port
 *
 * Return: the socket
 */
static int loopback_socket(int type, uint16_t *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sl) ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl)) {
		perror("nstest: socket");
		exit(2);
	}
	*port = ntohs(sa.sin_port);
	return fd;
}

/**
 * sock_port() - a socket's local (or peer) port
 * @fd:		socket
 * @peer:	the peer's port
 *
 * Return: the port
 */
static uint16_t sock_port(int fd, bool peer)
{
	struct sockaddr_in sa = { 0 };
	socklen_t sl = sizeof(sa);

	if ((peer ? getpeername : getsockname)(fd, (struct sockaddr *)&sa, &sl))
		return 0;
	return ntohs(sa.sin_port);
}

/**
 * nonblock() - make a socket non-blocking
 * @fd:		socket
 */
static void nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/**
 * tcp_connect_via() - connect through B to a LAN address, as facet would
 * @dst:	LAN address (text)
 * @port:	LAN port
 * @err:	set to NS_FAILED's errno, or 0
 *
 * Return: our client socket, connected through B's relay, or -1
 */
static int tcp_connect_via(const char *dst, uint16_t port, int *err)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct ns_msg m = { .type = NS_CONNECT, .id = next_id++, .aport = port };
	uint16_t cport;
	int fd = loopback_socket(SOCK_STREAM, &cport);

	*err = 0;
	m.port = cport;
	v4mapped(m.addr, dst);
	ns_send(&B, &m, NULL);
	for (;;) {
		struct ns_msg r;

		if (!ns_expect_any(&B, 1U << NS_CONNECTED | 1U << NS_FAILED,
				   &r, WAIT_MS)) {
			*err = ETIMEDOUT;
			close(fd);
			return -1;
		}
		if (r.id != m.id)
			continue;
		if (r.type == NS_CONNECTED)
			break;
		*err = r.err;
		close(fd);
		return -1;
	}
	sa.sin_port = htons(B.relay);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		*err = errno;
		close(fd);
		return -1;
	}
	return fd;
}

/**
 * tcp_failed_with() - wait for NS_FAILED from B
 * @want:	errno expected
 * @dst:	LAN address
 * @port:	LAN port
 * @got:	set to the errno received
 *
 * Return: true if NS_FAILED came with @want
 */
static bool tcp_failed_with(int want, const char *dst, uint16_t port, int *got)
{
	int fd = tcp_connect_via(dst, port, got);

	if (fd >= 0)
		close(fd);
	return fd < 0 && *got == want;
}

/**
 * tcp_accept_peer() - accept the connection A makes to our listener
 * @peer:	expected LAN peer address
 * @why:	set to what went wrong
 *
 * Checks that A's NS_PEER names the peer and the client port it connects
 * from.
 *
 * Return: the accepted socket, or -1
 */
static int tcp_accept_peer(const char *peer, const char **why)
{
	struct pollfd p = { .fd = listen_fd, .events = POLLIN };
	uint8_t want[16];
	struct ns_msg m;
	int fd;

	*why = NULL;
	if (!ns_expect(&A, NS_PEER, &m, WAIT_MS)) {
		*why = "no NS_PEER from A";
		return -1;
	}
	v4mapped(want, peer);
	if (m.id != IPPROTO_TCP || memcmp(m.addr, want, 16) || m.vport != 80)
		*why = "NS_PEER does not name the LAN peer";
	if (poll(&p, 1, WAIT_MS) <= 0 || (fd = accept(listen_fd, NULL, NULL)) < 0) {
		*why = "A did not connect to the guest's listener";
		return -1;
	}
	if (!*why && sock_port(fd, true) != m.port)
		*why = "A connected from a port NS_PEER did not name";
	return fd;
}

/**
 * tcp_pair() - a connection B -> A:80, both ends ours
 * @dst:	A's address (IPv4 or IPv6 text)
 * @client:	set to the client socket (on B's relay)
 * @server:	set to the accepted socket (from A)
 * @why:	set to what went wrong
 *
 * Return: true if both ends are there
 */
static bool tcp_pair(const char *dst, int *client, int *server,
		     const char **why)
{
	const char *peer = strchr(dst, ':') ? B.ip6 : B.ip;
	int err;

	*client = tcp_connect_via(dst, 80, &err);
	if (*client < 0) {
		*why = err ? strerror(err) : "connect failed";
		return false;
	}
	*server = tcp_accept_peer(peer, why);
	if (*server < 0 || *why) {
		close(*client);
		if (*server >= 0)
			close(*server);
		return false;
	}
	nonblock(*client);
	nonblock(*server);
	return true;
}

/* the tests ------------------------------------------------------------ */

/**
 * test_tcp_hello() - a few bytes each way, NS_PEER names the peer
 */
static void test_tcp_hello(void)
{
	struct flow f[2];
	const char *why;
	int c, s;

	if (!tcp_pair(A.ip, &c, &s, &why)) {
		result(false, "tcp connect B->A:80, NS_PEER", "%s", why);
		return;
	}
	flow_init(&f[0], c, s, 5, false);
	flow_init(&f[1], s, c, 5, false);
	result(flows_run(f, 2, WAIT_MS), "tcp connect B->A:80, NS_PEER",
	       "client port %u, server %u", sock_port(c, false),
	       sock_port(s, true));
	close(c);
	close(s);
}

/**
 * test_tcp_both_ways() - @mb MiB each way at once, then a clean close
 * @mb:		size, MiB
 */
static void test_tcp_both_ways(int mb)
{
	size_t n = (size_t)mb << 20;
	struct flow f[2];
	char name[64];
	const char *why;
	double t;
	bool ok;
	int c, s;

	snprintf(name, sizeof(name), "tcp %d MiB both ways at once", mb);
	if (!tcp_pair(A.ip, &c, &s, &why)) {
		result(false, name, "%s", why);
		return;
	}
	flow_init(&f[0], c, s, n, true);
	flow_init(&f[1], s, c, n, true);
	t = msec();
	ok = flows_run(f, 2, 300000);
	t = (msec() - t) / 1e3;
	if (ok)
		result(ok, name, "%.2f s, %.1f MB/s each way, crc %08lx and %08lx",
		       t, n / t / 1e6, f[0].crc_rx, f[1].crc_rx);
	else
		result(ok, name, "%s", flow_why(&f[0]));
	if (!ok)
		printf("# other way: %s\n", flow_why(&f[1]));
	close(c);
	close(s);
}

/**
 * test_tcp_half_close() - one side shuts down writing, the other goes on
 * @server_first: the server half-closes first
 */
static void test_tcp_half_close(bool server_first)
{
	const char *name = server_first ? "tcp half-close, server first" :
					  "tcp half-close, client first";
	struct flow f;
	const char *why;
	int c, s, a, b;

	if (!tcp_pair(A.ip, &c, &s, &why)) {
		result(false, name, "%s", why);
		return;
	}
	a = server_first ? s : c;
	b = server_first ? c : s;
	flow_init(&f, a, b, 100000, true);
	if (!flows_run(&f, 1, WAIT_MS)) {
		result(false, name, "first half: %s", flow_why(&f));
	} else {
		flow_init(&f, b, a, 200000, true);
		if (flows_run(&f, 1, WAIT_MS))
			result(true, name, "100000 bytes, EOF, 200000 bytes "
			       "back, EOF");
		else
			result(false, name, "second half: %s", flow_why(&f));
	}
	close(c);
	close(s);
}

/**
 * wait_reset() - read a socket until it fails
 * @fd:		socket
 *
 * Return: the errno (ECONNRESET expected), 0 on EOF, -1 on timeout
 */
static int wait_reset(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[4096];
	ssize_t r;

	while (poll(&p, 1, WAIT_MS) > 0) {
		r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (r < 0 && errno != EAGAIN)
			return errno;
		if (r == 0)
			return 0;
	}
	return -1;
}

/**
 * close_rst() - close a socket with RST
 * @fd:		socket
 */
static void close_rst(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

/**
 * test_tcp_reset() - a reset on one end resets the other
 * @server_first: the server resets
 */
static void test_tcp_reset(bool server_first)
{
	const char *name = server_first ? "tcp reset by the server" :
					  "tcp reset by the client";
	const char *why;
	int c, s, e;

	if (!tcp_pair(A.ip, &c, &s, &why)) {
		result(false, name, "%s", why);
		return;
	}
	close_rst(server_first ? s : c);
	e = wait_reset(server_first ? c : s);
	result(e == ECONNRESET, name, "other end: %s",
	       e > 0 ? strerror(e) : e ? "nothing" : "EOF");
	close(server_first ? c : s);
}

/**
 * test_tcp_refused() - NS_FAILED ECONNREFUSED for a closed port
 */
static void test_tcp_refused(void)
{
	int got = 0;
	bool ok = tcp_failed_with(ECONNREFUSED, A.ip, 81, &got);

	result(ok, "tcp refused: NS_FAILED ECONNREFUSED for A:81", "got %s",
	       strerror(got));
}

/**
 * test_tcp_unreachable() - NS_FAILED ENETUNREACH at once, off the LAN
 */
static void test_tcp_unreachable(void)
{
	double t = msec();
	int e = ns_sync(&B);

	result(e == ENETUNREACH, "tcp off the LAN, no gateway: NS_FAILED "
	       "ENETUNREACH", "got %s in %.1f ms", e > 0 ? strerror(e) : "none",
	       msec() - t);
}

/**
 * test_tcp_unlisten() - NS_UNLISTEN closes the port, NS_LISTEN opens it
 */
static void test_tcp_unlisten(void)
{
	struct ns_msg m = { .type = NS_UNLISTEN, .vport = 80 };
	const char *why = NULL;
	int got, c, s;
	bool ok;

	ns_send(&A, &m, NULL);
	ns_sync(&A);		/* A reads fd 3 and the switch apart */
	ok = tcp_failed_with(ECONNREFUSED, A.ip, 80, &got);
	m.type = NS_LISTEN;
	m.port = listen_port;
	ns_send(&A, &m, NULL);
	ns_sync(&A);
	if (ok && tcp_pair(A.ip, &c, &s, &why)) {
		close(c);
		close(s);
	} else if (ok) {
		ok = false;
	}
	result(ok, "tcp NS_UNLISTEN refuses, NS_LISTEN again accepts", "%s",
	       why ? why : strerror(got));
}

/**
 * test_tcp_many() - many connections at once
 * @n:		how many
 */
static void test_tcp_many(int n)
{
	struct flow f[64];
	int c[32], s[32], i, k;
	const char *why = "";
	bool ok = true;
	double t;

	for (k = 0; k < n && ok; k += ok)
		ok = tcp_pair(A.ip, &c[k], &s[k], &why);
	for (i = 0; ok && i < n; i++) {
		flow_init(&f[2 * i], c[i], s[i], 65536 * (size_t)(i + 1), true);
		flow_init(&f[2 * i + 1], s[i], c[i], 65536, true);
	}
	t = msec();
	if (ok && !(ok = flows_run(f, 2 * n, 60000))) {
		for (i = 0; i < 2 * n && flow_done(&f[i]); i++)
			;
		why = flow_why(&f[i < 2 * n ? i : 0]);
	}
	t = (msec() - t) / 1e3;
	if (ok)
		result(ok, "tcp 32 connections at once", "64 KiB to 2 MiB each, "
		       "%.2f s, %.1f MB/s in all", t,
		       (n * (n + 1) / 2 + n) * 65536.0 / t / 1e6);
	else
		result(ok, "tcp 32 connections at once", "%s", why);
	for (i = 0; i < k; i++) {
		close(c[i]);
		close(s[i]);
	}
}

/**
 * test_tcp_big() - the throughput test, one way
 * @mb:		MiB
 * @b_to_a:	client (B side) sends
 */
static void test_tcp_big(int mb, bool b_to_a)
{
	size_t n = (size_t)mb << 20;
	struct flow f;
	const char *why;
	char name[64];
	double t;
	bool ok;
	int c, s;

	snprintf(name, sizeof(name), "tcp %d MiB %s", mb,
		 b_to_a ? "B->A" : "A->B");
	if (!tcp_pair(A.ip, &c, &s, &why)) {
		result(false, name, "%s", why);
		return;
	}
	flow_init(&f, b_to_a ? c : s, b_to_a ? s : c, n, true);
	t = msec();
	ok = flows_run(&f, 1, 300000);
	t = (msec() - t) / 1e3;
	if (ok)
		result(ok, name, "%.2f s, %.1f MB/s, crc %08lx", t, n / t / 1e6,
		       f.crc_rx);
	else
		result(ok, name, "%s", flow_why(&f));
	close(c);
	close(s);
}

/**
 * test_tcp6() - a connection over IPv6
 */
static void test_tcp6(void)
{
	struct flow f[2];
	const char *why;
	int c, s;

	if (!tcp_pair(A.ip6, &c, &s, &why)) {
		result(false, "tcp over IPv6 B->[fd00:1::2]:80", "%s", why);
		return;
	}
	flow_init(&f[0], c, s, 1 << 20, true);
	flow_init(&f[1], s, c, 1 << 20, true);
	result(flows_run(f, 2, 60000), "tcp over IPv6 B->[fd00:1::2]:80",
	       "1 MiB each way");
	close(c);
	close(s);
}

/**
 * udp_expect() - receive a datagram and check where it came from
 * @fd:		our "guest" socket
 * @data:	payload expected
 * @len:	its length
 * @port:	host port it must come from
 *
 * Return: true if it came, as expected
 */
static bool udp_expect(int fd, const void *data, size_t len, uint16_t port)
{
	static unsigned char buf[UINT16_MAX];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct sockaddr_in sa = { 0 };
	socklen_t sl = sizeof(sa);
	ssize_t r;

	if (poll(&p, 1, WAIT_MS) <= 0)
		return false;
	r = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&sa, &sl);
	return r == (ssize_t)len && !memcmp(buf, data, len) &&
	       ntohs(sa.sin_port) == port;
}

/**
 * udp_send_via() - NS_UDP_SEND
 * @s:		netstack
 * @vport:	source view port
 * @dst:	LAN address
 * @port:	LAN port
 * @data:	payload
 * @len:	its length
 */
static void udp_send_via(struct stack *s, uint16_t vport, const char *dst,
			 uint16_t port, const void *data, size_t len)
{
	struct ns_msg m = { .type = NS_UDP_SEND, .vport = vport, .aport = port,
			    .len = (uint16_t)len };

	v4mapped(m.addr, dst);
	ns_send(s, &m, data);
}

/**
 * udp_peer() - wait for NS_PEER for UDP and check the peer it names
 * @s:		netstack
 * @peer:	LAN address expected
 * @aport:	LAN port expected
 * @port:	set to the host port
 *
 * Return: true if it came and is right
 */
static bool udp_peer(struct stack *s, const char *peer, uint16_t aport,
		     uint16_t *port)
{
	struct ns_msg m;
	uint8_t want[16];

	v4mapped(want, peer);
	if (!ns_expect(s, NS_PEER, &m, WAIT_MS))
		return false;
	*port = m.port;
	return m.id == IPPROTO_UDP && !memcmp(m.addr, want, 16) &&
	       m.aport == aport;
}

/**
 * test_udp() - datagrams both ways, NS_PEER, replies, fragments
 */
static void test_udp(void)
{
	struct ns_msg m = { .type = NS_UDP_BIND };
	uint16_t pa, pb, ra = 0, rb = 0;
	int ua = loopback_socket(SOCK_DGRAM, &pa);
	int ub = loopback_socket(SOCK_DGRAM, &pb);
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	static char big[8000];
	bool ok;

	m.vport = 53;
	m.port = pa;
	ns_send(&A, &m, NULL);
	m.vport = 5353;
	m.port = pb;
	ns_send(&B, &m, NULL);
	ns_sync(&A);
	ns_sync(&B);
	udp_send_via(&B, 5353, A.ip, 53, "ping-udp", 8);
	ok = udp_peer(&A, B.ip, 5353, &ra) && udp_expect(ua, "ping-udp", 8, ra);
	result(ok, "udp B:5353 -> A:53, NS_PEER", "relay port %u", ra);
	udp_send_via(&A, 53, B.ip, 5353, "pong-udp", 8);
	ok = udp_peer(&B, A.ip, 53, &rb) && udp_expect(ub, "pong-udp", 8, rb);
	result(ok, "udp A:53 -> B:5353, NS_PEER", "relay port %u", rb);
	sa.sin_port = htons(ra);
	sendto(ua, "again", 5, 0, (struct sockaddr *)&sa, sizeof(sa));
	result(udp_expect(ub, "again", 5, rb),
	       "udp reply through the relay socket", NULL);
	memset(big, 'x', sizeof(big));
	udp_send_via(&B, 5353, A.ip, 53, big, sizeof(big));
	result(udp_expect(ua, big, sizeof(big), ra),
	       "udp 8000-byte datagram (IP fragments)", NULL);
	m.type = NS_UDP_UNBIND;
	ns_send(&B, &m, NULL);
	m.vport = 53;
	ns_send(&A, &m, NULL);
	close(ua);
	close(ub);
}

/* ARP and ping from a VDE plug of our own ------------------------------ */

static const uint8_t my_mac[6] = { 0x02, 0, 0, 0, 0, 0x99 };
static const char *my_ip = "10.1.0.99";

/**
 * csum() - the Internet checksum
 * @p:		data
 * @len:	its length
 *
 * Return: the checksum, ready to store
 */
static uint16_t csum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		s += (uint32_t)b[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons((uint16_t)~s);
}

/**
 * arp_frame() - an ARP request or reply
 * @f:		frame buffer, 42 bytes
 * @op:		1 request, 2 reply
 * @tmac:	target MAC (reply), or NULL
 * @tip:	target IPv4 address, network order
 */
static void arp_frame(uint8_t *f, int op, const uint8_t *tmac, const void *tip)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	memcpy(f, tmac ? tmac : bcast, 6);
	memcpy(f + 6, my_mac, 6);
	memcpy(f + 12, "\x08\x06\x00\x01\x08\x00\x06\x04\x00", 9);
	f[21] = (uint8_t)op;
	memcpy(f + 22, my_mac, 6);
	inet_pton(AF_INET, my_ip, f + 28);
	memset(f + 32, 0, 6);
	if (tmac)
		memcpy(f + 32, tmac, 6);
	memcpy(f + 38, tip, 4);
}

/**
 * plug_wait() - read frames until one matches, answering ARP for us
 * @v:		our plug
 * @f:		frame buffer (1518 bytes)
 * @type:	ethertype wanted (0x0806, 0x0800)
 * @ms:		timeout
 *
 * Return: the frame's length, or 0 on timeout
 */
static ssize_t plug_wait(VDECONN *v, uint8_t *f, uint16_t type, int ms)
{
	struct pollfd p = { .fd = vde_datafd(v), .events = POLLIN };
	double end = msec() + ms;
	uint8_t reply[42], me[4];
	ssize_t n;

	inet_pton(AF_INET, my_ip, me);
	while (msec() < end) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = vde_recv(v, f, 1518, 0);
		if (n < 42)
			continue;
		if (f[12] == 0x08 && f[13] == 0x06 && f[21] == 1 &&
		    !memcmp(f + 38, me, 4)) {
			arp_frame(reply, 2, f + 22, f + 28);
			vde_send(v, reply, sizeof(reply), 0);
			continue;
		}
		if (f[12] == type >> 8 && f[13] == (type & 0xff) &&
		    memcmp(f, my_mac, 6) == 0)
			return n;
	}
	return 0;
}

/**
 * ping() - ARP for an address, then ICMP echo it
 * @v:		our plug
 * @ip:		the address
 * @rtt:	set to the echo's round trip, ms
 * @why:	set to what went wrong
 *
 * Return: true if both were answered
 */
static bool ping(VDECONN *v, const char *ip, double *rtt, const char **why)
{
	uint8_t f[1518], q[98], tip[4], mac[6];
	double t;
	ssize_t n;

	inet_pton(AF_INET, ip, tip);
	arp_frame(q, 1, NULL, tip);
	vde_send(v, q, 42, 0);
	do {
		n = plug_wait(v, f, 0x0806, 3000);
	} while (n && (f[21] != 2 || memcmp(f + 28, tip, 4)));
	if (!n) {
		*why = "no ARP reply";
		return false;
	}
	memcpy(mac, f + 22, 6);
	/* Ethernet, IPv4 (20), ICMP echo (8 + 56) */
	memcpy(q, mac, 6);
	memcpy(q + 6, my_mac, 6);
	q[12] = 0x08;
	q[13] = 0x00;
	memset(q + 14, 0, 20);
	q[14] = 0x45;
	q[17] = 84;
	q[22] = 64;
	q[23] = 1;
	inet_pton(AF_INET, my_ip, q + 26);
	memcpy(q + 30, tip, 4);
	memcpy(q + 24, (uint16_t[]){ csum(q + 14, 20) }, 2);
	memset(q + 34, 0, 64);
	q[34] = 8;
	q[38] = 0x12;
	q[39] = 0x34;
	q[41] = 1;
	for (n = 0; n < 56; n++)
		q[42 + n] = (uint8_t)('a' + n % 26);
	memcpy(q + 36, (uint16_t[]){ csum(q + 34, 64) }, 2);
	t = msec();
	vde_send(v, q, sizeof(q), 0);
	do {
		n = plug_wait(v, f, 0x0800, 3000);
	} while (n && (f[23] != 1 || f[34] != 0 || memcmp(f + 26, tip, 4)));
	*rtt = msec() - t;
	if (!n || memcmp(f + 38, q + 38, 60)) {
		*why = n ? "echo reply differs" : "no echo reply";
		return false;
	}
	return true;
}

/**
 * test_ping() - ARP and ICMP echo to both netstacks
 */
static void test_ping(void)
{
	VDECONN *v = vde_open((char *)opt_vde, "nstest", NULL);
	const char *why = "cannot plug into the switch";
	struct stack *s[2] = { &A, &B };
	double rtt = 0;
	char name[64];
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "arp and ping %s", s[i]->ip);
		if (v && ping(v, s[i]->ip, &rtt, &why))
			result(true, name, "rtt %.3f ms", rtt);
		else
			result(false, name, "%s", why);
	}
	if (v)
		vde_close(v);
}

/**
 * wait_exit() - wait for a netstack to exit
 * @s:		netstack
 * @ms:		timeout
 *
 * Return: its wait status, or -1 on timeout (then it is killed)
 */
static int wait_exit(struct stack *s, int ms)
{
	double end = msec() + ms;
	int st;

	while (msec() < end) {
		if (waitpid(s->pid, &st, WNOHANG) == s->pid)
			return st;
		usleep(10000);
	}
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &st, 0);
	return -1;
}

/**
 * test_bye() - NS_BYE ends A, a hang-up of fd 3 ends B
 */
static void test_bye(void)
{
	struct ns_msg m = { .type = NS_BYE };
	int st;

	ns_send(&A, &m, NULL);
	st = wait_exit(&A, 5000);
	result(st == 0, "NS_BYE: A exits with 0", "status %d", st);
	close(B.fd);
	st = wait_exit(&B, 5000);
	result(st == 0, "fd 3 hangs up: B exits with 0", "status %d", st);
}

/**
 * selected() - was a test asked for with --only?
 * @name:	test's short name
 *
 * Return: true if it should run
 */
static bool selected(const char *name)
{
	const char *p = opt_only;
	size_t n = strlen(name);

	if (!p)
		return true;
	while ((p = strstr(p, name))) {
		if ((p == opt_only || p[-1] == ',') && (!p[n] || p[n] == ','))
			return true;
		p += n;
	}
	return false;
}

/**
 * setup() - start both netstacks, A's listener on view port 80
 *
 * Return: true if both said hello
 */
static bool setup(void)
{
	struct ns_msg m = { .type = NS_LISTEN, .vport = 80 };

	if (!ns_start(&A) || !ns_start(&B))
		return false;
	listen_fd = loopback_socket(SOCK_STREAM, &listen_port);
	listen(listen_fd, 128);
	m.port = listen_port;
	ns_send(&A, &m, NULL);
	return ns_sync(&A) == ENETUNREACH;
}

/**
 * main() - run the tests
 * @argc:	argument count
 * @argv:	options
 *
 * Return: 0 if all passed, 1 if some failed, 2 on usage errors
 */
int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "netstack", required_argument, NULL, 'n' },
		{ "vde", required_argument, NULL, 'V' },
		{ "pcap-dir", required_argument, NULL, 'p' },
		{ "big", required_argument, NULL, 'b' },
		{ "ip6", no_argument, NULL, '6' },
		{ "only", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ 0 },
	};
	int o;

	while ((o = getopt_long(argc, argv, "v", opts, NULL)) != -1) {
		switch (o) {
		case 'n': opt_netstack = optarg; break;
		case 'V': opt_vde = optarg; break;
		case 'p': opt_pcap_dir = optarg; break;
		case 'b': opt_big = atoi(optarg); break;
		case '6': opt_ip6 = 1; break;
		case 'o': opt_only = optarg; break;
		case 'v': opt_verbose = 1; break;
		default: return 2;
		}
	}
	if (!opt_netstack || !opt_vde) {
		fprintf(stderr, "usage: nstest --netstack PATH --vde URL "
			"[--pcap-dir DIR] [--big MB] [--ip6] [--only T,...]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	pattern_init();
	o = setup();
	result(o, "both netstacks say NS_HELLO, A listens on view port 80",
	       "relay ports %u, %u", A.relay, B.relay);
	if (failed)
		goto out;
	if (selected("ping"))
		test_ping();
	if (selected("tcp")) {
		test_tcp_hello();
		test_tcp_both_ways(1);
		test_tcp_half_close(false);
		test_tcp_half_close(true);
		test_tcp_reset(true);
		test_tcp_reset(false);
		test_tcp_refused();
		test_tcp_unreachable();
		test_tcp_unlisten();
		test_tcp_many(32);
	}
	if (opt_ip6 && selected("tcp6"))
		test_tcp6();
	if (selected("udp"))
		test_udp();
	if (selected("big") && opt_big > 0) {
		test_tcp_big(opt_big, true);
		test_tcp_big(opt_big, false);
		test_tcp_both_ways(opt_big);
	}
	test_bye();
out:
	if (A.pid > 0 && !kill(A.pid, 0))
		wait_exit(&A, 0);
	if (B.pid > 0 && !kill(B.pid, 0))
		wait_exit(&B, 0);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
