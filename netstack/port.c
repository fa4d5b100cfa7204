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

#include "lwip/priv/tcp_priv.h"
#include "lwip/sys.h"
#include "lwip/tcp.h"

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

/**
 * port_tcp_inpacket() - lwIP's LWIP_HOOK_TCP_INPACKET_PCB: a segment for a
 *			 pcb was found, before lwIP handles it
 * @pcb:	the pcb (listening, active, or in TIME-WAIT)
 * @hdr:	the segment's TCP header
 * @optlen:	unused
 * @opt1len:	unused
 * @opt2:	unused
 * @p:		unused
 *
 * A SYN that reuses the ports of a connection in TIME-WAIT starts a new
 * connection on Linux when its sequence number is newer (RFC 6191); lwIP
 * would answer with a reset (or an ACK, and drop it), so a LAN peer that
 * connects often to a view that closes first would see "refused".  Here
 * the old connection makes way: the SYN is answered with the TIME-WAIT
 * ACK, which a client in SYN-SENT answers with a reset and an immediate
 * new SYN (lwIP and Linux both do), and that one finds the listener.
 *
 * Return: ERR_OK to let lwIP handle the segment, ERR_ABRT to drop it
 */
err_t port_tcp_inpacket(struct tcp_pcb *pcb, struct tcp_hdr *hdr, u16_t optlen,
			u16_t opt1len, u8_t *opt2, struct pbuf *p)
{
	(void)optlen;
	(void)opt1len;
	(void)opt2;
	(void)p;
	if (pcb->state != TIME_WAIT ||
	    (TCPH_FLAGS(hdr) & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN)
		return ERR_OK;
	tcp_ack_now(pcb);
	tcp_output(pcb);
	tcp_pcb_remove(&tcp_tw_pcbs, pcb);
	tcp_free(pcb);
	return ERR_ABRT;
}

