/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netstack_proto.h - the messages between facet and facet-netstack
 *
 * DOC: Theory of Operation
 *
 * A view on a virtual LAN ("facet --net vde:URL") needs a TCP/IP stack that
 * speaks Ethernet frames to the switch: facet-netstack runs lwIP with one
 * netif on the VDE plug, in a process of its own (lwIP's state is global).
 * The guests' sockets stay real kernel sockets; what reaches the LAN is
 * relayed by facet-netstack between the host's loopback and lwIP:
 *
 * - a guest's TCP connect to a LAN address: facet sends NS_CONNECT; the
 *   netstack opens the lwIP connection and answers NS_CONNECTED (or
 *   NS_FAILED with the errno the kernel would give: ECONNREFUSED,
 *   ETIMEDOUT, EHOSTUNREACH); facet then connects the guest's socket to
 *   the netstack's relay listener (@relay_port of NS_HELLO) on the host's
 *   loopback, and the netstack pairs the accepted connection with the
 *   lwIP one by the client's host port given in NS_CONNECT, and pumps.
 * - a guest listening on a view port: facet sends NS_LISTEN with the host
 *   port of the guest's listener; for each connection from the LAN the
 *   netstack first sends NS_PEER (the client host port it will connect
 *   from, and the LAN peer's address), then connects a kernel socket to
 *   that host port and pumps.  NS_UNLISTEN ends it.
 * - UDP: a datagram from a guest to a LAN address travels in NS_UDP_SEND
 *   (source view port, destination, payload).  A datagram from the LAN to
 *   a view port bound with NS_UDP_BIND is sent by the netstack to the
 *   guest's host port from a kernel UDP socket of its own, one per LAN
 *   peer; NS_PEER tells facet which host port stands for which peer, so
 *   that recvfrom() shows the LAN address.  A guest that connects a UDP
 *   socket to a LAN address asks for that relay socket at once
 *   (NS_UDP_CONNECT) and the kernel connects the guest's socket to it:
 *   send() and recv() then need no trap.
 *
 * A guest's IPv6 socket sits on ::1 rather than 127.0.0.1: it connects to
 * the relay listener there, and NS_UDP_BIND and NS_UDP_CONNECT carry
 * NS_LOOP6 in @err for it, so that the netstack's relay sockets reach it.
 *
 * Messages are datagrams on a SOCK_SEQPACKET socketpair (fd 3 of the
 * netstack): a struct ns_msg header, then its payload.  Addresses are
 * IPv6 in form, IPv4 as v4-mapped (::ffff:a.b.c.d); ports are host order.
 */
#ifndef NETSTACK_PROTO_H
#define NETSTACK_PROTO_H

#include <stdint.h>

#define NS_PROTO_VERSION 1

/* @err of NS_UDP_BIND and NS_UDP_CONNECT: the guest's socket is on ::1 */
#define NS_LOOP6	6

enum ns_type {
	/* netstack -> facet */
	NS_HELLO = 1,		/* ready: @port = relay listener's host port
				   on 127.0.0.1, @vport on ::1 (0: none);
				   @err != 0: could not start (message in
				   the payload) */
	NS_CONNECTED,		/* @id's LAN connection is up */
	NS_FAILED,		/* @id failed with errno @err */
	NS_PEER,		/* host port @port (TCP: the client port of a
				   relay connection; UDP: a relay socket's)
				   stands for LAN peer @addr:@aport */
	/* facet -> netstack */
	NS_CONNECT,		/* @id: TCP to @addr:@aport from view port
				   @vport (0: any); the guest's socket will
				   connect to the relay from host port @port */
	NS_LISTEN,		/* TCP view port @vport; connections go to
				   host port @port */
	NS_UNLISTEN,		/* TCP view port @vport no longer listens */
	NS_UDP_BIND,		/* UDP view port @vport is the guest's host
				   port @port */
	NS_UDP_UNBIND,		/* UDP view port @vport is gone */
	NS_UDP_SEND,		/* payload: one datagram from view port
				   @vport to @addr:@aport */
	/* both ways */
	NS_BYE,			/* the view ends */
	/* facet -> netstack */
	NS_UDP_CONNECT,		/* @id: a relay socket for LAN peer
				   @addr:@aport of UDP view port @vport (the
				   guest's host port @port), for a connected
				   guest socket: answered with NS_PEER, then
				   NS_CONNECTED (@port: the relay socket's)
				   or NS_FAILED */
};

/**
 * struct ns_msg - one message
 * @type:	enum ns_type
 * @err:	positive errno, or 0
 * @id:		facet's number for a connect
 * @vport:	a port of the view
 * @port:	a host port (the host's loopback)
 * @aport:	the LAN peer's port
 * @addr:	the LAN peer's address (16 bytes, IPv4 v4-mapped)
 * @len:	payload length after this header
 */
struct ns_msg {
	uint16_t type;
	uint16_t err;
	uint32_t id;
	uint16_t vport;
	uint16_t port;
	uint16_t aport;
	uint16_t len;
	uint8_t addr[16];
};

#endif /* NETSTACK_PROTO_H */
