// SPDX-License-Identifier: GPL-2.0-or-later
/* connrate.c - TCP connections per second
 *
 * Usage:
 *   connrate loop ADDR N		N times: connect to a listener of our own
 *					on ADDR, accept, close both
 *   connrate serve ADDR PORTFILE	accept and close, for ever; the port
 *					the kernel picked goes to PORTFILE
 *   connrate connect ADDR PORT N	N times: connect to ADDR:PORT, wait for
 *					the server to close (read() 0), close
 *
 * loop and connect print the rate (connections per second, measured around
 * the loop only, so a wrapper's start-up does not count) on stdout, and exit
 * 1 at the first failure.  The side that closes first keeps the TIME_WAIT:
 * the accepting one, so the client's ephemeral ports are not used up.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_storage sa;
static socklen_t salen;

static void die(const char *what)
{
	fprintf(stderr, "connrate: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void parse(const char *addr, int port)
{
	struct sockaddr_in *s4 = (void *)&sa;
	struct sockaddr_in6 *s6 = (void *)&sa;

	memset(&sa, 0, sizeof(sa));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		salen = sizeof(*s4);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		salen = sizeof(*s6);
	} else {
		fprintf(stderr, "connrate: bad address %s\n", addr);
		exit(2);
	}
}

static int listener(void)
{
	int one = 1, fd = socket(sa.ss_family, SOCK_STREAM, 0);

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, salen) < 0 ||
	    listen(fd, 128) < 0)
		die("listen");
	salen = sizeof(sa);
	getsockname(fd, (struct sockaddr *)&sa, &salen);
	return fd;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "loop")) {
		long n = atol(argv[3]);

		parse(argv[2], 0);
		int l = listener();
		double t = now();

		for (long i = 0; i < n; i++) {
			int c = socket(sa.ss_family, SOCK_STREAM, 0);

			if (c < 0 || connect(c, (struct sockaddr *)&sa, salen) < 0)
				die("connect");
			int a = accept(l, NULL, NULL);

			if (a < 0)
				die("accept");
			close(a);
			close(c);
		}
		printf("%.0f\n", n / (now() - t));
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "serve")) {
		parse(argv[2], 0);
		int l = listener();
		FILE *f = fopen(argv[3], "w");

		if (!f)
			die(argv[3]);
		fprintf(f, "%d\n", ntohs(sa.ss_family == AF_INET ?
			((struct sockaddr_in *)&sa)->sin_port :
			((struct sockaddr_in6 *)&sa)->sin6_port));
		fclose(f);
		for (;;) {
			int a = accept(l, NULL, NULL);

			if (a >= 0)
				close(a);
		}
	}
	if (argc == 5 && !strcmp(argv[1], "connect")) {
		long n = atol(argv[4]);
		char b;

		parse(argv[2], atoi(argv[3]));
		double t = now();

		for (long i = 0; i < n; i++) {
			int c = socket(sa.ss_family, SOCK_STREAM, 0);

			if (c < 0 || connect(c, (struct sockaddr *)&sa, salen) < 0)
				die("connect");
			if (read(c, &b, 1) < 0)
				die("read");
			close(c);
		}
		printf("%.0f\n", n / (now() - t));
		return 0;
	}
	fprintf(stderr, "usage: connrate loop ADDR N | serve ADDR PORTFILE | "
		"connect ADDR PORT N\n");
	return 2;
}
