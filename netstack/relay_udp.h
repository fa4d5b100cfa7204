/* SPDX-License-Identifier: GPL-2.0-or-later */
/* relay_udp.h - UDP datagrams between the host's loopback and the LAN */
#ifndef NS_RELAY_UDP_H
#define NS_RELAY_UDP_H

#include <stdint.h>

#include "netstack_proto.h"

struct udp_bind;
struct udp_peer;

/**
 * struct relay_udp_state - the UDP relays
 * @binds:	view ports bound on the LAN (NS_UDP_BIND, NS_UDP_SEND)
 * @dead:	relay sockets closed during this batch of events, freed after
 */
struct relay_udp_state {
	struct udp_bind *binds;
	struct udp_peer *dead;
};

struct ctx;
void udp_relay_bind(struct ctx *c, const struct ns_msg *m);
void udp_relay_unbind(struct ctx *c, const struct ns_msg *m);
void udp_relay_connect(struct ctx *c, const struct ns_msg *m);
void udp_relay_send(struct ctx *c, const struct ns_msg *m, const void *data);
void udp_relay_event(struct ctx *c, struct ns_ev *ev, uint32_t events);
void udp_relay_reap(struct ctx *c);
void udp_relay_timer(struct ctx *c);
void udp_relay_close(struct ctx *c);

#endif /* NS_RELAY_UDP_H */
