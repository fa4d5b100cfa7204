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

#endif /* LWIP_HOOKS_H */
