// SPDX-License-Identifier: GPL-2.0-or-later
/* unixsock.c - AF_UNIX sockets of the host that the view does not show: a
 * path (stream and datagram) and abstract names
 *
 * usage: unixsock SECRET_PATH_SOCKET ABSTRACT_NAME
 * The test runner binds, on the host, a stream listener at
 * SECRET_PATH_SOCKET, another at the abstract ABSTRACT_NAME, and a
 * datagram socket at ABSTRACT_NAME".d"; a connection or datagram reaching
 * any of them is an escape (the runner also counts what they got).
 */
#include "escape.h"

#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

/* addr() - an AF_UNIX address: @abs makes it abstract; returns its length */
static socklen_t addr(struct sockaddr_un *a, const char *name, int abs)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	snprintf(a->sun_path + !!abs, sizeof(a->sun_path) - 1, "%s", name);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + !!abs + strlen(name) +
			   !abs);
}

int main(int argc, char **argv)
{
	struct sockaddr_un a;
	char d[120];
	socklen_t l;
	int s;

	if (argc != 3)
		return 2;
	tried("connect to the host's socket %s", argv[1]);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	l = addr(&a, argv[1], 0);
	refused(connect(s, (struct sockaddr *)&a, l), "connect");
	close(s);
	tried("sendto the host's path %s (datagram)", argv[1]);
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	refused(sendto(s, "TOPSECRET", 9, 0, (struct sockaddr *)&a, l), "sendto");
	close(s);
	tried("connect to the host's abstract @%s", argv[2]);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	l = addr(&a, argv[2], 1);
	refused(connect(s, (struct sockaddr *)&a, l), "connect");
	close(s);
	snprintf(d, sizeof(d), "%s.d", argv[2]);
	tried("sendto the host's abstract @%s (datagram)", d);
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	l = addr(&a, d, 1);
	refused(sendto(s, "TOPSECRET", 9, 0, (struct sockaddr *)&a, l), "sendto");
	tried("sendmsg to it");
	{
		struct iovec iov = { (char *)"TOPSECRET", 9 };
		struct msghdr m = { .msg_name = &a, .msg_namelen = l, .msg_iov = &iov,
				    .msg_iovlen = 1 };

		refused(sendmsg(s, &m, 0), "sendmsg");
	}
	tried("connect the datagram socket to it, then send");
	refused(connect(s, (struct sockaddr *)&a, l) == 0 ? send(s, "TOPSECRET", 9, 0) : -1,
		"connect + send");
	close(s);
	/* an attack on the supervisor, which copies and reads control
	 * messages: one that claims more bytes than it has */
	tried("sendmsg with SCM_RIGHTS claiming 4000 bytes of a 64-byte buffer");
	{
		char ctl[64] = { 0 }, path[] = "/";
		struct cmsghdr *c = (struct cmsghdr *)ctl;
		struct iovec iov = { path, 1 };
		ssize_t n;
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
				    .msg_controllen = sizeof(ctl) };

		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = 4000;
		s = socket(AF_UNIX, SOCK_DGRAM, 0);
		l = addr(&a, "facet-esc-self", 1);
		m.msg_name = &a;
		m.msg_namelen = l;
		errno = 0;
		n = sendmsg(s, &m, 0);
		outcome(n >= 0 || errno != EINVAL, "sendmsg: %s", n >= 0 ? "sent" : strerror(errno));
		close(s);
	}
	return finish();
}
