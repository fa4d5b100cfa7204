/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lwip_hooks.h - the hooks facet-netstack gives lwIP (LWIP_HOOK_FILENAME)
 *
 * Included by lwIP's own sources that call hooks: keep it to declarations
 * of lwIP types only.
 */
#ifndef LWIP_HOOKS_H
#define LWIP_HOOKS_H

#include "lwip/netif.h"
#include "lwip/ip6_addr.h"

const ip6_addr_t *port_nd6_gateway(struct netif *netif, const ip6_addr_t *dest);

struct tcp_pcb;
struct tcp_hdr;
struct pbuf;
err_t port_tcp_inpacket(struct tcp_pcb *pcb, struct tcp_hdr *hdr, u16_t optlen,
			u16_t opt1len, u8_t *opt2, struct pbuf *p);

#endif /* LWIP_HOOKS_H */
