/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf.h - facet-netstack's command line */
#ifndef NS_CONF_H
#define NS_CONF_H

#include <stdbool.h>
#include <stdint.h>

#include "lwip/ip_addr.h"

/**
 * struct ns_conf - what the command line says
 * @vde_url:	--vde: the switch (libvdeplug URL or path)
 * @ip4:	--ip: IPv4 address
 * @mask4:	its netmask, from the prefix
 * @gw4:	--gateway (IPv4), or any
 * @has_ip6:	--ip6 given
 * @ip6:	--ip6: IPv6 address
 * @prefix6:	its prefix length
 * @has_gw6:	--gateway (IPv6) given
 * @gw6:	that gateway
 * @mac:	--mac, or made from the IPv4 address
 * @mtu:	--mtu, default 1500
 * @pcap:	--pcap: capture file, or NULL
 */
struct ns_conf {
	const char *vde_url;
	ip4_addr_t ip4;
	ip4_addr_t mask4;
	ip4_addr_t gw4;
	bool has_ip6;
	ip6_addr_t ip6;
	int prefix6;
	bool has_gw6;
	ip6_addr_t gw6;
	uint8_t mac[6];
	uint16_t mtu;
	const char *pcap;
};

struct ctx;
void conf(struct ctx *c, int argc, char **argv);

#endif /* NS_CONF_H */
