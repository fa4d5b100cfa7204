/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lwipopts.h - how facet-netstack configures lwIP 2.1.3
 *
 * One process, one thread, one netif: NO_SYS with the raw API and lwIP's
 * own timers (sys_check_timeouts() from the event loop).  Memory comes from
 * the C library (MEM_LIBC_MALLOC, MEMP_MEM_MALLOC): a host program has no
 * reason for fixed pools, and pool exhaustion is what stalls large-window
 * lwIP setups.
 *
 * Throughput.  The send side is sized for bulk transfer: a 2 MiB send
 * buffer, TCP_SND_QUEUELEN allowing that many segments, and TCP writes
 * landing in one pbuf per segment (LWIP_NETIF_TX_SINGLE_PBUF) with the
 * checksum computed while copying.  The receive window is not: vde_switch
 * buffers about 90 frames for a port (its socket send buffer) and drops
 * the rest, and lwIP (Reno, no SACK) recovers from a window's worth of
 * losses only by timeout.  Measured through vde_switch, 64 KiB gives
 * 50 MB/s, 96-128 KiB 90-110 MB/s, 192 KiB and more 6-15 MB/s.  So
 * TCP_WND is 96 KiB, with window scaling on, and relay_tcp.c shares it
 * between the connections receiving at the same time.  TCP_MSS is large
 * enough for a 9000 byte MTU: what a connection uses is clamped to the
 * netif's MTU (TCP_CALCULATE_EFF_SEND_MSS).
 */
#ifndef LWIPOPTS_H
#define LWIPOPTS_H

/* --- system ------------------------------------------------------------ */
#define NO_SYS				1
#define LWIP_TIMERS			1
#define SYS_LIGHTWEIGHT_PROT		0
#define LWIP_NETCONN			0
#define LWIP_SOCKET			0
#define LWIP_NETIF_API			0
#define LWIP_STATS			0
/* glibc's <arpa/inet.h> provides htons() and friends: lwIP must not */
#define LWIP_DONT_PROVIDE_BYTEORDER_FUNCTIONS 1

/* --- memory: the C library's allocator, no fixed pools ----------------- */
#define MEM_LIBC_MALLOC			1
#define MEMP_MEM_MALLOC			1
#define MEM_ALIGNMENT			8
#define PBUF_POOL_BUFSIZE		LWIP_MEM_ALIGN_SIZE(9000 + 18)

/* --- link: Ethernet, ARP ----------------------------------------------- */
#define LWIP_ETHERNET			1
#define LWIP_ARP			1
#define ARP_TABLE_SIZE			64
#define ARP_QUEUEING			1
#define ARP_QUEUE_LEN			16
#define ETHARP_SUPPORT_STATIC_ENTRIES	0
#define LWIP_SINGLE_NETIF		1
#define LWIP_NETIF_TX_SINGLE_PBUF	1
#define LWIP_HAVE_LOOPIF		0
#define LWIP_NETIF_LOOPBACK		0

/* --- IPv4 -------------------------------------------------------------- */
#define LWIP_IPV4			1
#define IP_FORWARD			0
#define IP_FRAG				1
#define IP_REASSEMBLY			1
#define IP_REASS_MAX_PBUFS		256
#define MEMP_NUM_REASSDATA		16
#define LWIP_ICMP			1
#define LWIP_RAW			0
#define LWIP_DHCP			0
#define LWIP_AUTOIP			0
#define LWIP_IGMP			0
#define LWIP_DNS			0

/* --- IPv6 -------------------------------------------------------------- */
#define LWIP_IPV6			1
#define LWIP_IPV6_SCOPES		0	/* one netif: no zones */
#define LWIP_IPV6_NUM_ADDRESSES		3	/* link-local + --ip6 */
#define LWIP_IPV6_FRAG			1
#define LWIP_IPV6_REASS			1
#define IPV6_FRAG_COPYHEADER		1	/* 64-bit pointers */
#define LWIP_ICMP6			1
#define LWIP_IPV6_MLD			1
#define LWIP_IPV6_AUTOCONFIG		0	/* addresses are given */
#define LWIP_IPV6_DHCP6			0
#define LWIP_ND6_QUEUEING		1
#define MEMP_NUM_ND6_QUEUE		64
#define LWIP_ND6_NUM_NEIGHBORS		64
#define LWIP_ND6_NUM_DESTINATIONS	64

/* --- UDP, TCP ---------------------------------------------------------- */
#define LWIP_UDP			1
#define LWIP_TCP			1
#define SO_REUSE			1	/* view ports are reused at once */
#define TCP_MSS				(9000 - 40)
#define TCP_CALCULATE_EFF_SEND_MSS	1
#define LWIP_WND_SCALE			1
#define TCP_RCV_SCALE			7
/* the receive window is also the receive budget of relay_tcp.c */
#define TCP_WND				(96 * 1024)
#define TCP_WND_UPDATE_THRESHOLD	(TCP_WND / 4)
/* lwIP's timers tick every TCP_TMR_INTERVAL (delayed ACKs) and twice that
 * (retransmissions), and its RTO never falls below 3 slow ticks: 50 ms
 * makes that 300 ms, close to Linux's 200 ms, where the default 250 ms
 * made each loss on the switch cost 1.5 s */
#define TCP_TMR_INTERVAL		50
/* TIME-WAIT lasts 2 * TCP_MSL: on a LAN no segment outlives a few seconds
 * (a SYN that reuses its ports ends it at once: port_tcp_inpacket()) */
#define TCP_MSL				5000
#define TCP_SND_BUF			(2 * 1024 * 1024)
/* counted in segments of the usual Ethernet MSS, not TCP_MSS */
#define TCP_SND_QUEUELEN		(4 * TCP_SND_BUF / 1460)
#define TCP_SNDLOWAT			16384
#define TCP_OVERSIZE			TCP_MSS
#define TCP_QUEUE_OOSEQ			1
#define LWIP_TCP_SACK_OUT		0
#define LWIP_TCP_KEEPALIVE		0
#define LWIP_TCP_TIMESTAMPS		0
#define TCP_LISTEN_BACKLOG		0
#define LWIP_CHECKSUM_ON_COPY		1
#define LWIP_CHKSUM_ALGORITHM		3
#define LWIP_CALLBACK_API		1
#define LWIP_EVENT_API			0

/* --- callbacks and hooks ----------------------------------------------- */
#define LWIP_NETIF_STATUS_CALLBACK	0
#define LWIP_NETIF_LINK_CALLBACK	0
#define LWIP_NETIF_HOSTNAME		0
#define LWIP_HOOK_FILENAME		"lwip_hooks.h"
#define LWIP_HOOK_ND6_GET_GW(netif, dest) port_nd6_gateway(netif, dest)
#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p) \
	port_tcp_inpacket(pcb, hdr, optlen, opt1len, opt2, p)

#endif /* LWIPOPTS_H */
