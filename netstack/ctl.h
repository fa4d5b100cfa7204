/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl.h - the messages with facet on fd 3 */
#ifndef NS_CTL_H
#define NS_CTL_H

#include <stdint.h>

#include "lwip/ip_addr.h"
#include "netstack_proto.h"

#define CTL_FD		3

struct ctl_out;

/**
 * struct ctl_state - fd 3
 * @fd:		the SOCK_SEQPACKET socket, or -1 when it is not there
 * @ev:		its event loop entry
 * @out:	messages facet has not taken yet, oldest first
 * @out_tail:	where the next one is linked
 */
struct ctl_state {
	int fd;
	struct ns_ev ev;
	struct ctl_out *out;
	struct ctl_out **out_tail;
};

struct ctx;
int ctl_probe(void);
int ctl_init(struct ctx *c);
void ctl_send(struct ctx *c, const struct ns_msg *m, const void *payload);
void ctl_hello(struct ctx *c, int err, const char *why);
void ctl_event(struct ctx *c, uint32_t events);
void ctl_addr_get(ip_addr_t *a, const uint8_t b[16]);
void ctl_addr_put(uint8_t b[16], const ip_addr_t *a);

#endif /* NS_CTL_H */
