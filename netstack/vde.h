/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vde.h - lwIP's netif on a VDE plug */
#ifndef NS_VDE_H
#define NS_VDE_H

#include <stdbool.h>
#include <stdint.h>
#include <libvdeplug.h>

#include "lwip/netif.h"
#include "lwip/pbuf.h"

/**
 * struct vde_state - the plug and the netif
 * @conn:	libvdeplug connection
 * @fd:		its data socket (one Ethernet frame a datagram)
 * @ctl_fd:	its control socket, or -1 (EOF: the switch is gone)
 * @ev:		event loop entry of @fd
 * @ctl_ev:	event loop entry of @ctl_fd
 * @netif:	lwIP's interface
 * @frame_max:	longest frame: MTU, Ethernet header and an 802.1Q tag
 * @frame:	a frame made flat, to send a pbuf chain
 * @spare:	receive buffer left over from the last read
 * @ring:	frames the switch did not take yet, @frame_max bytes each
 * @ring_len:	their lengths
 * @ring_head:	oldest frame in @ring
 * @ring_count:	frames in @ring
 * @dropped:	frames dropped because @ring was full or sending failed
 */
struct vde_state {
	VDECONN *conn;
	int fd;
	int ctl_fd;
	struct ns_ev ev;
	struct ns_ev ctl_ev;
	struct netif netif;
	size_t frame_max;
	unsigned char *frame;
	struct pbuf *spare;
	unsigned char *ring;
	uint16_t *ring_len;
	unsigned int ring_head;
	unsigned int ring_count;
	uint64_t dropped;
};

struct ctx;
void vde_init(struct ctx *c);
bool vde_reaches(const struct ctx *c, const ip_addr_t *a);
void vde_event(struct ctx *c, const struct ns_ev *ev, uint32_t events);
void vde_unplug(struct ctx *c);

#endif /* NS_VDE_H */
