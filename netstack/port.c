// SPDX-License-Identifier: GPL-2.0-or-later
/* port.c - lwIP's port layer: time, random numbers, diagnostics, hooks
 *
 * With NO_SYS, lwIP needs from the system only sys_now(), a millisecond
 * clock for its timers (CLOCK_MONOTONIC, so that setting the wall clock
 * does not fire or stall them), and what arch/cc.h names: LWIP_RAND() for
 * initial sequence numbers and ephemeral ports, and LWIP_PLATFORM_DIAG().
 */
#include <stdarg.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>

#include "netstack.h"

#include "lwip/sys.h"

/**
 * sys_now() - lwIP's clock
 *
 * Return: milliseconds on the monotonic clock, wrapping at 32 bits
 */
u32_t sys_now(void)
{
	return (u32_t)now_ms();
}

/**
 * port_rand() - lwIP's random numbers
 *
 * Initial sequence numbers must not be guessable: they come from
 * getrandom(2), taken 64 at a time.
 *
 * Return: 32 random bits
 */
uint32_t port_rand(void)
{
	static uint32_t pool[64];
	static unsigned int left;

	if (!left) {
		if (getrandom(pool, sizeof(pool), GRND_NONBLOCK) != (ssize_t)sizeof(pool))
			pool[0] ^= (uint32_t)now_ms() * 2654435761U;
		left = 64;
	}
	return pool[--left];
}

/**
 * port_diag() - lwIP's diagnostics, to stderr
 * @fmt:	printf format, then its arguments
 */
void port_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("facet-netstack: lwIP: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/**
 * port_nd6_gateway() - LWIP_HOOK_ND6_GET_GW: the IPv6 --gateway
 * @netif:	our netif, whose state is the context
 * @dest:	an off-link destination
 *
 * lwIP learns IPv6 routers only from router advertisements; a gateway
 * given on the command line is the next hop for every off-link address.
 *
 * Return: the gateway, or NULL to use what router advertisements said
 */
const ip6_addr_t *port_nd6_gateway(struct netif *netif, const ip6_addr_t *dest)
{
	const struct ctx *c = netif->state;

	(void)dest;
	return c->conf.has_gw6 ? &c->conf.gw6 : NULL;
}
