// SPDX-License-Identifier: GPL-2.0-or-later
/* main.c - facet-netstack: lwIP on a VDE switch, relayed to the loopback
 *
 * DOC: Theory of Operation
 *
 * facet runs a view on a virtual LAN ("--net vde:URL") with this program:
 * lwIP with one Ethernet netif plugged into the switch (vde.c), and the
 * view's connections relayed between lwIP and kernel sockets on the host's
 * loopback (relay_tcp.c, relay_udp.c), as facet asks over fd 3 (ctl.c,
 * netstack_proto.h).  lwIP's state is global, hence a process of its own.
 *
 * One thread, one epoll loop, nothing blocks: fd 3, the plug's sockets,
 * the relay listener and the relay sockets are all non-blocking, and lwIP's
 * timers run from sys_check_timeouts() with the loop's timeout set by
 * sys_timeouts_sleeptime().  After each batch of events and after the
 * timers, tcp_relay_run() does the TCP relays' I/O (see relay_tcp.c for
 * why it is deferred).
 *
 * It exits when facet says NS_BYE or fd 3 hangs up, on SIGTERM, SIGINT or
 * SIGHUP, and when the switch goes away (telling facet NS_BYE): first it
 * lets TCP data in flight reach the LAN for up to QUIT_DRAIN_MS, then it
 * resets what is left.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "netstack.h"

#include "lwip/init.h"
#include "lwip/timeouts.h"

#define EVENTS_MAX	64
#define TICK_MS		1000	/* expiry of relays, pcap flush */
#define QUIT_DRAIN_MS	2000

static volatile sig_atomic_t main_signal;

/**
 * main_on_signal() - SIGTERM, SIGINT, SIGHUP: quit
 * @sig:	the signal
 */
static void main_on_signal(int sig)
{
	main_signal = sig;
}

/**
 * main_signals() - ignore SIGPIPE, catch the quitting signals
 * @unblocked:	set to the mask to wait with, where they are unblocked
 *
 * They stay blocked except while epoll_pwait() waits, so none is lost
 * between a check and the wait.
 */
static void main_signals(sigset_t *unblocked)
{
	struct sigaction sa = { .sa_handler = main_on_signal };
	sigset_t block;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, unblocked);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/**
 * netstack_quit() - stop: the view ends, facet or the switch is gone
 * @c:		context
 * @why:	for the log
 */
void netstack_quit(struct ctx *c, const char *why)
{
	if (c->quit)
		return;
	ns_dbg("quitting: %s", why);
	c->quit = true;
	c->quit_by = c->now + QUIT_DRAIN_MS;
	tcp_relay_stop(c);
}

/**
 * netstack_fail() - cannot start: tell facet (or stderr without it), exit 1
 * @c:		context
 * @err:	errno to report in NS_HELLO
 * @fmt:	printf format of the message, then its arguments
 */
void netstack_fail(struct ctx *c, int err, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->ctl.fd >= 0)	/* facet prints it */
		ctl_hello(c, err ? err : EINVAL, msg);
	else
		ns_err("%s", msg);
	exit(1);
}

/**
 * main_dispatch() - hand an event to the file that owns its object
 * @c:		context
 * @ev:		the object
 * @events:	EPOLL* mask
 */
static void main_dispatch(struct ctx *c, struct ns_ev *ev, uint32_t events)
{
	switch (ev->type) {
	case EV_CTL:
		ctl_event(c, events);
		break;
	case EV_VDE:
	case EV_VDE_CTL:
		vde_event(c, ev, events);
		break;
	case EV_RELAY:
	case EV_TCP:
		tcp_relay_event(c, ev, events);
		break;
	case EV_UDP:
		udp_relay_event(c, ev, events);
		break;
	}
}

/**
 * main_timeout() - how long the loop may wait for events
 * @c:		context
 *
 * Return: milliseconds: 0 if relays have work left, else until the next
 *	   lwIP timer, the next tick, or the end of draining
 */
static int main_timeout(const struct ctx *c)
{
	uint32_t t = sys_timeouts_sleeptime();

	if (c->tcp.dirty)
		return 0;
	t = MIN(t, TICK_MS);
	if (c->quit)
		t = MIN(t, (uint32_t)(c->quit_by > c->now ?
				      c->quit_by - c->now : 0));
	return (int)t;
}

/**
 * main_done() - may the loop end?
 * @c:		context
 *
 * Return: true once quitting and nothing is in flight, or time is up
 */
static bool main_done(const struct ctx *c)
{
	return c->quit && (c->now >= c->quit_by || !tcp_relay_busy(c));
}

/**
 * main_loop() - the event loop
 * @c:		context
 * @unblocked:	signal mask to wait with
 */
static void main_loop(struct ctx *c, const sigset_t *unblocked)
{
	struct epoll_event ev[EVENTS_MAX];
	uint64_t tick = c->now;
	int i, n;

	while (!main_done(c)) {
		n = epoll_pwait(c->epfd, ev, EVENTS_MAX, main_timeout(c),
				unblocked);
		c->now = now_ms();
		if (n < 0 && errno != EINTR)
			netstack_fail(c, errno, "epoll: %s", strerror(errno));
		for (i = 0; i < n; i++)
			main_dispatch(c, ev[i].data.ptr, ev[i].events);
		udp_relay_reap(c);
		tcp_relay_run(c);
		sys_check_timeouts();
		tcp_relay_run(c);
		if (c->now - tick >= TICK_MS) {
			tick = c->now;
			tcp_relay_timer(c);
			udp_relay_timer(c);
			pcap_tick(c);
		}
		if (main_signal)
			netstack_quit(c, strsignal(main_signal));
	}
}

/**
 * main_exit() - reset what is left, tell facet, close everything
 * @c:		context
 */
static void main_exit(struct ctx *c)
{
	struct ns_msg bye = { .type = NS_BYE };

	tcp_relay_abort(c);
	udp_relay_close(c);
	ctl_send(c, &bye, NULL);
	pcap_close(c);
	vde_unplug(c);
}

/**
 * main() - set up, loop, exit
 * @argc:	argument count
 * @argv:	options, see conf.c
 *
 * Return: 0 when facet ended the view, 1 on error or if the switch went
 */
int main(int argc, char **argv)
{
	static struct ctx c;
	sigset_t unblocked;
	int rc;

	c.ctl.fd = ctl_probe();
	c.ctl.out_tail = &c.ctl.out;
	c.tcp.fd = -1;
	c.tcp.fd6 = -1;
	c.now = now_ms();
	conf(&c, argc, argv);
	if (c.ctl.fd < 0) {
		ns_err("fd 3 is not a SOCK_SEQPACKET socket: facet-netstack "
		       "is started by facet");
		return 1;
	}
	main_signals(&unblocked);
	c.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (c.epfd < 0)
		netstack_fail(&c, errno, "epoll: %s", strerror(errno));
	if ((rc = ctl_init(&c)))
		netstack_fail(&c, -rc, "fd 3: %s", strerror(-rc));
	if ((rc = pcap_init(&c)))
		netstack_fail(&c, -rc, "--pcap %s: %s", c.conf.pcap,
			      strerror(-rc));
	lwip_init();
	vde_init(&c);
	tcp_relay_init(&c);
	ctl_hello(&c, 0, NULL);
	main_loop(&c, &unblocked);
	main_exit(&c);
	return c.status;
}
