// SPDX-License-Identifier: GPL-2.0-or-later
/* netblock.c - blocking and non-blocking socket calls, and signals
 *
 * Usage: netblock ADDR TEST...
 *
 * Every test makes its own sockets on ADDR (an IPv4 or IPv6 literal: the
 * host's 127.0.0.1 natively, the view's 127.0.0.1, ::1 or 10.0.2.15 under
 * facet --net), with a port the kernel picks, and prints one line that does
 * not depend on timing, addresses or ports:
 *
 *   accept-eintr	blocking accept(), SIGALRM after 100 ms, handler
 *			without SA_RESTART: -1 EINTR
 *   accept-restart	the same with SA_RESTART: accept() goes on waiting;
 *			a child connects 300 ms after the signal and accept()
 *			returns it
 *   recv-eintr		blocking recvfrom() on a UDP socket, as accept-eintr
 *   recv-restart	as accept-restart: a child's datagram arrives after
 *			the signal; recvfrom() returns it and its source, the
 *			child's own address (getsockname)
 *   connect-nb		non-blocking connect() to a listener: -1 EINPROGRESS
 *			(what Linux gives on loopback too; 0 is accepted but
 *			printed), then poll() POLLOUT and SO_ERROR 0;
 *			accept() gives the peer getsockname() said
 *   connect-refused	non-blocking connect() to a port nobody listens on:
 *			-1 EINPROGRESS or ECONNREFUSED, and if EINPROGRESS,
 *			poll() then SO_ERROR ECONNREFUSED
 *   poll-data		poll() on a connected pair until data comes (the
 *			peer writes after 200 ms): POLLIN, read() gives it
 *
 * Exit status 0 when every test printed what it should, 1 otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t signals;
static struct sockaddr_storage base;	/* ADDR, port 0 */
static socklen_t baselen;
static int bad;

static void on_alarm(int sig)
{
	(void)sig;
	signals++;
}

/* alarm_in() - SIGALRM in @ms, handled with or without SA_RESTART */
static void alarm_in(int ms, int restart)
{
	struct sigaction sa = { .sa_handler = on_alarm,
				.sa_flags = restart ? SA_RESTART : 0 };
	struct itimerval it = { .it_value = { ms / 1000, (ms % 1000) * 1000 } };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	signals = 0;
	setitimer(ITIMER_REAL, &it, NULL);
}

static const char *ename(int e)
{
	const char *s = strerrorname_np(e);

	return s ? s : "E?";
}

/* bound() - a socket of @type bound to ADDR, port 0; its address in @sa */
static int bound(int type, struct sockaddr_storage *sa, socklen_t *len)
{
	int fd = socket(base.ss_family, type, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&base, baselen) < 0) {
		printf("socket/bind: %s\n", ename(errno));
		exit(1);
	}
	*len = sizeof(*sa);
	getsockname(fd, (struct sockaddr *)sa, len);
	return fd;
}

/* same_addr() - the same address and port */
static int same_addr(const struct sockaddr_storage *a,
		     const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

		return x->sin_port == y->sin_port &&
		       x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

	return x->sin6_port == y->sin6_port &&
	       !memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr));
}

/* later() - fork a child that sleeps @ms, then connects to (@type
 * SOCK_STREAM) or sends "hello" to (SOCK_DGRAM) @to, and writes its own
 * address to @pipefd before exiting */
static pid_t later(int ms, int type, const struct sockaddr_storage *to,
		   socklen_t tolen, int pipefd)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	usleep(ms * 1000);
	int fd = socket(to->ss_family, type, 0);
	struct sockaddr_storage me;
	socklen_t melen = sizeof(me);

	if (type == SOCK_STREAM) {
		if (connect(fd, (const struct sockaddr *)to, tolen) < 0)
			_exit(2);
	} else {
		/* bind first, so that getsockname() names the source */
		if (bind(fd, (struct sockaddr *)&base, baselen) < 0 ||
		    sendto(fd, "hello", 5, 0, (const struct sockaddr *)to,
			   tolen) != 5)
			_exit(2);
	}
	getsockname(fd, (struct sockaddr *)&me, &melen);
	if (pipefd >= 0 && write(pipefd, &me, sizeof(me)) != sizeof(me))
		_exit(3);
	usleep(100000);
	_exit(0);
}

static void result(const char *test, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void result(const char *test, int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", test);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("%s\n", ok ? "" : " (WRONG)");
	bad |= !ok;
	fflush(stdout);
}

static void t_accept(int restart)
{
	const char *name = restart ? "accept-restart" : "accept-eintr";
	struct sockaddr_storage sa, peer, child;
	socklen_t len, plen = sizeof(peer);
	int p[2], st, fd = bound(SOCK_STREAM, &sa, &len);
	pid_t pid = -1;

	listen(fd, 4);
	if (pipe(p) < 0)
		exit(1);
	if (restart)
		pid = later(400, SOCK_STREAM, &sa, len, p[1]);
	alarm_in(100, restart);
	int c = accept(fd, (struct sockaddr *)&peer, &plen);
	int e = errno;

	if (!restart) {
		result(name, c < 0 && e == EINTR && signals == 1,
		       "%s, %d signal", c < 0 ? ename(e) : "accepted",
		       (int)signals);
	} else if (c < 0) {
		result(name, 0, "%s, %d signal", ename(e), (int)signals);
	} else {
		int same = read(p[0], &child, sizeof(child)) == sizeof(child) &&
			   same_addr(&child, &peer);

		result(name, same && signals == 1,
		       "accepted after %d signal, peer %s", (int)signals,
		       same ? "is the child" : "is NOT the child's address");
		close(c);
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
	close(fd);
	close(p[0]);
	close(p[1]);
}

static void t_recv(int restart)
{
	const char *name = restart ? "recv-restart" : "recv-eintr";
	struct sockaddr_storage sa, from, child;
	socklen_t len, flen = sizeof(from);
	int p[2], st, fd = bound(SOCK_DGRAM, &sa, &len);
	pid_t pid = -1;
	char buf[16] = "";

	if (pipe(p) < 0)
		exit(1);
	if (restart)
		pid = later(400, SOCK_DGRAM, &sa, len, p[1]);
	alarm_in(100, restart);
	ssize_t n = recvfrom(fd, buf, sizeof(buf) - 1, 0,
			     (struct sockaddr *)&from, &flen);
	int e = errno;

	if (!restart) {
		result(name, n < 0 && e == EINTR && signals == 1,
		       "%s, %d signal", n < 0 ? ename(e) : "received",
		       (int)signals);
	} else if (n < 0) {
		result(name, 0, "%s, %d signal", ename(e), (int)signals);
	} else {
		int same = read(p[0], &child, sizeof(child)) == sizeof(child) &&
			   same_addr(&child, &from);

		result(name, same && signals == 1 && !strcmp(buf, "hello"),
		       "'%s' after %d signal, from %s", buf, (int)signals,
		       same ? "the child" : "NOT the child's address");
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
	close(fd);
	close(p[0]);
	close(p[1]);
}

static void t_connect_nb(void)
{
	struct sockaddr_storage sa, me, peer;
	socklen_t len, mlen = sizeof(me), plen = sizeof(peer);
	int l = bound(SOCK_STREAM, &sa, &len), err = -1;
	socklen_t elen = sizeof(err);

	listen(l, 4);
	int fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int r = connect(fd, (struct sockaddr *)&sa, len);
	int e = errno;
	struct pollfd pfd = { fd, POLLOUT, 0 };
	int pr = poll(&pfd, 1, 5000);

	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
	getsockname(fd, (struct sockaddr *)&me, &mlen);
	int c = accept(l, (struct sockaddr *)&peer, &plen);
	int same = c >= 0 && same_addr(&me, &peer);

	result("connect-nb",
	       (r == 0 || e == EINPROGRESS) && pr == 1 &&
	       (pfd.revents & POLLOUT) && err == 0 && same,
	       "%s, poll %s, SO_ERROR %s, accepted peer %s",
	       r == 0 ? "0" : ename(e),
	       pr == 1 && (pfd.revents & POLLOUT) ? "POLLOUT" : "no POLLOUT",
	       err ? ename(err) : "0",
	       same ? "= getsockname" : "!= getsockname");
	close(c);
	close(fd);
	close(l);
}

static void t_connect_refused(void)
{
	struct sockaddr_storage sa;
	socklen_t len;
	int l = bound(SOCK_STREAM, &sa, &len), err = -1;
	socklen_t elen = sizeof(err);

	close(l);		/* its port: nobody listens there now */
	int fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	int r = connect(fd, (struct sockaddr *)&sa, len);
	int e = errno;

	if (r < 0 && e == EINPROGRESS) {
		struct pollfd pfd = { fd, POLLOUT, 0 };

		poll(&pfd, 1, 5000);
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
	} else {
		err = r < 0 ? e : 0;
	}
	result("connect-refused", r < 0 && err == ECONNREFUSED,
	       "%s, then %s", r < 0 ? ename(e) : "0",
	       err ? ename(err) : "connected");
	close(fd);
}

static void t_poll_data(void)
{
	struct sockaddr_storage sa;
	socklen_t len;
	int l = bound(SOCK_STREAM, &sa, &len), st;
	char buf[8] = "";

	listen(l, 4);
	pid_t pid = fork();

	if (!pid) {
		int fd = socket(sa.ss_family, SOCK_STREAM, 0);

		if (connect(fd, (struct sockaddr *)&sa, len) < 0)
			_exit(2);
		usleep(200000);
		if (write(fd, "data", 4) != 4)
			_exit(2);
		usleep(100000);
		_exit(0);
	}
	int c = accept(l, NULL, NULL);
	struct pollfd pfd = { c, POLLIN, 0 };
	int pr = poll(&pfd, 1, 5000);
	ssize_t n = read(c, buf, sizeof(buf) - 1);

	result("poll-data", pr == 1 && (pfd.revents & POLLIN) && n == 4,
	       "poll %s, read '%s'", pr == 1 ? "POLLIN" : "timed out", buf);
	waitpid(pid, &st, 0);
	close(c);
	close(l);
}

int main(int argc, char **argv)
{
	struct sockaddr_in *s4 = (void *)&base;
	struct sockaddr_in6 *s6 = (void *)&base;

	if (argc < 3) {
		fprintf(stderr, "usage: netblock ADDR TEST...\n");
		return 2;
	}
	if (inet_pton(AF_INET, argv[1], &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		baselen = sizeof(*s4);
	} else if (inet_pton(AF_INET6, argv[1], &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		baselen = sizeof(*s6);
	} else {
		fprintf(stderr, "netblock: bad address %s\n", argv[1]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 2; i < argc; i++) {
		const char *t = argv[i];

		if (!strcmp(t, "accept-eintr"))
			t_accept(0);
		else if (!strcmp(t, "accept-restart"))
			t_accept(1);
		else if (!strcmp(t, "recv-eintr"))
			t_recv(0);
		else if (!strcmp(t, "recv-restart"))
			t_recv(1);
		else if (!strcmp(t, "connect-nb"))
			t_connect_nb();
		else if (!strcmp(t, "connect-refused"))
			t_connect_refused();
		else if (!strcmp(t, "poll-data"))
			t_poll_data();
		else {
			fprintf(stderr, "netblock: unknown test %s\n", t);
			return 2;
		}
	}
	return bad;
}
