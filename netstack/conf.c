// SPDX-License-Identifier: GPL-2.0-or-later
/* conf.c - facet-netstack's command line
 *
 *   facet-netstack --vde URL --ip ADDR[/PREFIX] [--ip6 ADDR[/PREFIX]]
 *                  [--gateway ADDR]... [--mac XX:XX:XX:XX:XX:XX] [--mtu N]
 *                  [--pcap FILE] [-v]
 *
 * The MAC address defaults to a locally administered one made from the
 * IPv4 address (02:fa:a:b:c:d), so that a view that is started again
 * keeps its address and the LAN's ARP caches stay right.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netstack.h"

#define MTU_MIN		576
#define MTU_MAX		9000	/* TCP_MSS in lwipopts.h is sized for it */
#define MTU_MIN_IPV6	1280

static const char usage[] =
"Usage: facet-netstack --vde URL --ip ADDR[/PREFIX] [OPTIONS]\n"
"Run a TCP/IP stack on a VDE switch for a facet view; facet talks to it\n"
"over fd 3 (see netstack/netstack_proto.h).\n"
"\n"
"  --vde URL            the switch: libvdeplug URL or vde_switch directory\n"
"  --ip ADDR[/PREFIX]   IPv4 address on the LAN (prefix 24 by default)\n"
"  --ip6 ADDR[/PREFIX]  IPv6 address on the LAN (prefix 64 by default)\n"
"  --gateway ADDR       IPv4 or IPv6 default gateway (may be given twice)\n"
"  --mac XX:..:XX       MAC address (default 02:fa and the IPv4 address)\n"
"  --mtu N              MTU, %d to %d (default 1500)\n"
"  --pcap FILE          write every frame in and out to FILE (pcap)\n"
"  -v, --verbose        report connections and errors as they happen\n"
"  -h, --help           this help\n";

/**
 * conf_prefix() - split "ADDR/PREFIX" and parse the prefix
 * @arg:	the option's argument, cut at the slash
 * @max:	32 or 128
 * @def:	prefix when there is none
 *
 * Return: the prefix length, or -1 if it is not a number up to @max
 */
static int conf_prefix(char *arg, int max, int def)
{
	char *slash = strchr(arg, '/'), *end;
	long n;

	if (!slash)
		return def;
	*slash = '\0';
	errno = 0;
	n = strtol(slash + 1, &end, 10);
	if (errno || end == slash + 1 || *end || n < 0 || n > max)
		return -1;
	return (int)n;
}

/**
 * conf_ip4() - --ip ADDR[/PREFIX]
 * @c:		context
 * @arg:	the option's argument
 */
static void conf_ip4(struct ctx *c, char *arg)
{
	int prefix = conf_prefix(arg, 32, 24);
	struct in_addr a;

	if (prefix < 0 || inet_pton(AF_INET, arg, &a) != 1)
		netstack_fail(c, EINVAL, "--ip: %s is not ADDR[/PREFIX]", arg);
	ip4_addr_set_u32(&c->conf.ip4, a.s_addr);
	ip4_addr_set_u32(&c->conf.mask4,
			 prefix ? htonl(~0U << (32 - prefix)) : 0);
}

/**
 * conf_ip6() - --ip6 ADDR[/PREFIX]
 * @c:		context
 * @arg:	the option's argument
 */
static void conf_ip6(struct ctx *c, char *arg)
{
	int prefix = conf_prefix(arg, 128, 64);
	struct in6_addr a;

	if (prefix < 0 || inet_pton(AF_INET6, arg, &a) != 1)
		netstack_fail(c, EINVAL, "--ip6: %s is not ADDR[/PREFIX]", arg);
	if (prefix != 64)
		ns_warn("--ip6: lwIP takes /64 as the on-link prefix, not /%d",
			prefix);
	memcpy(c->conf.ip6.addr, &a, sizeof(a));
	c->conf.prefix6 = prefix;
	c->conf.has_ip6 = true;
}

/**
 * conf_gateway() - --gateway ADDR, IPv4 or IPv6
 * @c:		context
 * @arg:	the option's argument
 */
static void conf_gateway(struct ctx *c, const char *arg)
{
	struct in6_addr a6;
	struct in_addr a;

	if (inet_pton(AF_INET, arg, &a) == 1) {
		ip4_addr_set_u32(&c->conf.gw4, a.s_addr);
	} else if (inet_pton(AF_INET6, arg, &a6) == 1) {
		memcpy(c->conf.gw6.addr, &a6, sizeof(a6));
		c->conf.has_gw6 = true;
	} else {
		netstack_fail(c, EINVAL, "--gateway: %s is not an address", arg);
	}
}

/**
 * conf_mac() - --mac XX:XX:XX:XX:XX:XX
 * @c:		context
 * @arg:	the option's argument
 */
static void conf_mac(struct ctx *c, const char *arg)
{
	unsigned int m[6];
	char end;
	int i;

	if (sscanf(arg, "%x:%x:%x:%x:%x:%x%c", &m[0], &m[1], &m[2], &m[3],
		   &m[4], &m[5], &end) != 6)
		netstack_fail(c, EINVAL, "--mac: %s is not XX:XX:XX:XX:XX:XX", arg);
	for (i = 0; i < 6; i++) {
		if (m[i] > 0xff)
			netstack_fail(c, EINVAL, "--mac: %s: bad byte", arg);
		c->conf.mac[i] = (uint8_t)m[i];
	}
	if (c->conf.mac[0] & 1)
		netstack_fail(c, EINVAL, "--mac: %s is a multicast address", arg);
}

/**
 * conf_mtu() - --mtu N
 * @c:		context
 * @arg:	the option's argument
 */
static void conf_mtu(struct ctx *c, const char *arg)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (errno || end == arg || *end || n < MTU_MIN || n > MTU_MAX)
		netstack_fail(c, EINVAL, "--mtu: %s is not %d to %d", arg,
			      MTU_MIN, MTU_MAX);
	c->conf.mtu = (uint16_t)n;
}

/**
 * conf_check() - check the options together, fill in defaults
 * @c:		context
 * @mac_set:	--mac was given
 */
static void conf_check(struct ctx *c, int mac_set)
{
	const ip4_addr_t *gw = &c->conf.gw4;
	uint32_t a = ip4_addr_get_u32(&c->conf.ip4);

	if (!c->conf.vde_url)
		netstack_fail(c, EINVAL, "--vde URL is required");
	if (ip4_addr_isany(&c->conf.ip4))
		netstack_fail(c, EINVAL, "--ip ADDR/PREFIX is required");
	if (!ip4_addr_isany(gw) &&
	    !ip4_addr_netcmp(gw, &c->conf.ip4, &c->conf.mask4))
		netstack_fail(c, EINVAL, "--gateway is not on the --ip network");
	if (c->conf.has_ip6 && c->conf.mtu < MTU_MIN_IPV6)
		netstack_fail(c, EINVAL, "--mtu: IPv6 needs %d at least",
			      MTU_MIN_IPV6);
	if (!mac_set) {
		c->conf.mac[0] = 0x02;
		c->conf.mac[1] = 0xfa;
		memcpy(c->conf.mac + 2, &a, 4);
	}
}

/**
 * conf() - parse the command line into c->conf
 * @c:		context
 * @argc:	argument count
 * @argv:	arguments
 *
 * Exits on --help, and through netstack_fail() on a bad option.
 */
void conf(struct ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vde",	required_argument, NULL, 'V' },
		{ "ip",		required_argument, NULL, 'i' },
		{ "ip6",	required_argument, NULL, '6' },
		{ "gateway",	required_argument, NULL, 'g' },
		{ "mac",	required_argument, NULL, 'm' },
		{ "mtu",	required_argument, NULL, 'M' },
		{ "pcap",	required_argument, NULL, 'P' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ 0 },
	};
	int opt, mac_set = 0;

	c->conf.mtu = 1500;
	while ((opt = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'V': c->conf.vde_url = optarg; break;
		case 'i': conf_ip4(c, optarg); break;
		case '6': conf_ip6(c, optarg); break;
		case 'g': conf_gateway(c, optarg); break;
		case 'm': conf_mac(c, optarg); mac_set = 1; break;
		case 'M': conf_mtu(c, optarg); break;
		case 'P': c->conf.pcap = optarg; break;
		case 'v': log_verbose = 1; break;
		case 'h':
			printf(usage, MTU_MIN, MTU_MAX);
			exit(0);
		default:
			netstack_fail(c, EINVAL, "bad option (see --help)");
		}
	}
	if (optind < argc)
		netstack_fail(c, EINVAL, "unexpected argument %s", argv[optind]);
	conf_check(c, mac_set);
}
