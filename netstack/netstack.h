/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netstack.h - facet-netstack's context, which every file is passed
 *
 * One struct ctx holds all the program's state; each file owns a part of
 * it (c->vde, c->tcp, ...) declared in its own header.  Objects watched by
 * the event loop start with a struct ns_ev, whose type the loop dispatches
 * on.
 */
#ifndef NETSTACK_H
#define NETSTACK_H

#include <stdbool.h>
#include <stdint.h>

/**
 * enum ns_ev_type - what an epoll event is about
 * @EV_CTL:	fd 3, the messages from facet
 * @EV_VDE:	the VDE plug's data socket (Ethernet frames)
 * @EV_VDE_CTL:	the VDE plug's control socket (EOF: the switch is gone)
 * @EV_RELAY:	the TCP relay listener on the host's loopback
 * @EV_TCP:	the kernel socket of a relayed TCP connection
 * @EV_UDP:	a UDP relay socket, one per LAN peer of a bound view port
 */
enum ns_ev_type {
	EV_CTL,
	EV_VDE,
	EV_VDE_CTL,
	EV_RELAY,
	EV_TCP,
	EV_UDP,
};

/**
 * struct ns_ev - head of every object the event loop watches
 * @type:	enum ns_ev_type
 */
struct ns_ev {
	enum ns_ev_type type;
};

#include "util.h"
#include "conf.h"
#include "ctl.h"
#include "pcap.h"
#include "vde.h"
#include "relay_tcp.h"
#include "relay_udp.h"

/**
 * struct ctx - facet-netstack's state
 * @conf:	the command line
 * @epfd:	the event loop's epoll instance
 * @now:	time of the current loop iteration, ms (CLOCK_MONOTONIC)
 * @quit:	NS_BYE, fd 3 hung up, or a signal: drain and exit
 * @quit_by:	give up draining at this time
 * @status:	exit status: 1 if the switch went away
 * @ctl:	fd 3 (ctl.c)
 * @pcap:	the capture file (pcap.c)
 * @vde:	the VDE plug and lwIP's netif on it (vde.c)
 * @tcp:	TCP relays (relay_tcp.c)
 * @udp:	UDP relays (relay_udp.c)
 */
struct ctx {
	struct ns_conf conf;
	int epfd;
	uint64_t now;
	bool quit;
	uint64_t quit_by;
	int status;
	struct ctl_state ctl;
	struct pcap_state pcap;
	struct vde_state vde;
	struct relay_tcp_state tcp;
	struct relay_udp_state udp;
};

void netstack_quit(struct ctx *c, const char *why);
void netstack_fail(struct ctx *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

#endif /* NETSTACK_H */
