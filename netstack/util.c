// SPDX-License-Identifier: GPL-2.0-or-later
/* util.c - facet-netstack's small helpers: logging, epoll, time
 *
 * Messages go to stderr with the program's name: facet-netstack's stderr is
 * facet's, so they end up where facet's own messages do.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "netstack.h"

int log_verbose;

/**
 * vlog() - print one message with the program's name
 * @what:	prefix after the name ("", "warning: ", ...)
 * @fmt:	printf format
 * @ap:		its arguments
 */
static void vlog(const char *what, const char *fmt, va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	fprintf(stderr, "facet-netstack: %s%s\n", what, buf);
}

/**
 * ns_err() - report an error
 * @fmt:	printf format, then its arguments
 */
void ns_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

/**
 * ns_warn() - report something that went wrong and was coped with
 * @fmt:	printf format, then its arguments
 */
void ns_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

/**
 * ns_dbg() - report an event, with --verbose only
 * @fmt:	printf format, then its arguments
 */
void ns_dbg(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

/**
 * ev_add() - watch a file descriptor in the event loop
 * @c:		context
 * @fd:		file descriptor
 * @events:	EPOLL* mask
 * @ev:		what the event loop dispatches on
 *
 * Return: 0, or -errno
 */
int ev_add(const struct ctx *c, int fd, uint32_t events, struct ns_ev *ev)
{
	struct epoll_event e = { .events = events, .data.ptr = ev };

	return epoll_ctl(c->epfd, EPOLL_CTL_ADD, fd, &e) ? -errno : 0;
}

/**
 * ev_mod() - change the events watched on a file descriptor
 * @c:		context
 * @fd:		file descriptor
 * @events:	EPOLL* mask
 * @ev:		what the event loop dispatches on
 *
 * Return: 0, or -errno
 */
int ev_mod(const struct ctx *c, int fd, uint32_t events, struct ns_ev *ev)
{
	struct epoll_event e = { .events = events, .data.ptr = ev };

	return epoll_ctl(c->epfd, EPOLL_CTL_MOD, fd, &e) ? -errno : 0;
}

/**
 * now_ms() - milliseconds on the monotonic clock
 *
 * Return: the time, in ms
 */
uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/**
 * close_rst() - close a TCP socket with a reset, not a FIN
 * @fd:		socket
 *
 * SO_LINGER with a zero timeout makes close() send RST and drop what is
 * queued: how a reset on one side of a relay reaches the other.
 */
void close_rst(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}
