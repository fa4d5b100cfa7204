/* SPDX-License-Identifier: GPL-2.0-or-later */
/* relay_tcp.h - TCP connections between the host's loopback and the LAN */
#ifndef NS_RELAY_TCP_H
#define NS_RELAY_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include "netstack_proto.h"

struct tcp_conn;
struct tcp_listener;

/**
 * struct relay_tcp_state - the TCP relays
 * @fd:		relay listener on 127.0.0.1, where guests' sockets connect
 * @port:	its port (NS_HELLO)
 * @ev:		its event loop entry
 * @fd6:	relay listener on ::1, for guests' IPv6 sockets, or -1
 * @port6:	its port (NS_HELLO), 0 if there is none
 * @ev6:	its event loop entry
 * @conns:	every relayed connection
 * @dirty:	connections with something to do, see tcp_relay_run()
 * @listeners:	view ports listening on the LAN (NS_LISTEN)
 * @rx_share:	receive window each active connection may have
 * @rx_counted:	when @rx_share was computed (ms)
 */
struct relay_tcp_state {
	int fd;
	uint16_t port;
	struct ns_ev ev;
	int fd6;
	uint16_t port6;
	struct ns_ev ev6;
	struct tcp_conn *conns;
	struct tcp_conn *dirty;
	struct tcp_listener *listeners;
	size_t rx_share;
	uint64_t rx_counted;
};

struct ctx;
void tcp_relay_init(struct ctx *c);
void tcp_relay_connect(struct ctx *c, const struct ns_msg *m);
void tcp_relay_listen(struct ctx *c, const struct ns_msg *m);
void tcp_relay_unlisten(struct ctx *c, const struct ns_msg *m);
void tcp_relay_event(struct ctx *c, struct ns_ev *ev, uint32_t events);
void tcp_relay_run(struct ctx *c);
void tcp_relay_timer(struct ctx *c);
bool tcp_relay_busy(const struct ctx *c);
void tcp_relay_stop(struct ctx *c);
void tcp_relay_abort(struct ctx *c);

#endif /* NS_RELAY_TCP_H */
