// SPDX-License-Identifier: GPL-2.0-or-later
/* vde.c - lwIP's netif on a VDE plug
 *
 * DOC: Theory of Operation
 *
 * The netif is an Ethernet interface (ARP, ND6, MLD) whose link output is
 * vde_send() and whose input is what vde_recv() reads, one frame per
 * datagram on the plug's data socket.  lwIP answers ARP and ICMP echo for
 * its own addresses by itself.
 *
 * The data socket is non-blocking.  A frame the switch does not take at
 * once (its socket queue is full) waits in a ring here and the loop waits
 * for EPOLLOUT; when the ring is full too, the link output fails with
 * ERR_MEM: TCP keeps the segment queued and sends it again, which is the
 * backpressure from the link to lwIP's TCP.  When the ring drains, every
 * TCP connection with segments waiting is kicked with tcp_output().
 *
 * Received frames are read straight into a pbuf of the largest frame size
 * (no copy), which is then trimmed and handed to netif->input.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "netstack.h"

#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/nd6.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "netif/ethernet.h"

#define VDE_RING	256	/* frames waiting for the switch */
#define VDE_BUDGET	256	/* frames read per event */
#define ETH_HLEN_MIN	14

/**
 * vde_ring_add() - keep a frame until the switch takes it
 * @c:		context
 * @data:	frame
 * @len:	its length
 *
 * Return: ERR_OK, or ERR_MEM if the ring is full
 */
static err_t vde_ring_add(struct ctx *c, const void *data, size_t len)
{
	struct vde_state *v = &c->vde;
	unsigned int slot;

	if (v->ring_count == VDE_RING) {
		v->dropped++;
		return ERR_MEM;
	}
	if (!v->ring_count)
		ev_mod(c, v->fd, EPOLLIN | EPOLLOUT, &v->ev);
	slot = (v->ring_head + v->ring_count++) % VDE_RING;
	memcpy(v->ring + slot * v->frame_max, data, len);
	v->ring_len[slot] = (uint16_t)len;
	return ERR_OK;
}

/**
 * vde_out() - send a frame to the switch, or queue it
 * @c:		context
 * @data:	frame
 * @len:	its length
 *
 * Return: ERR_OK (sent or queued), ERR_MEM (queue full), ERR_IF (error)
 */
static err_t vde_out(struct ctx *c, const void *data, size_t len)
{
	struct vde_state *v = &c->vde;
	err_t err = ERR_OK;

	if (v->ring_count || vde_send(v->conn, data, len, 0) < 0) {
		if (!v->ring_count && errno != EAGAIN && errno != ENOBUFS) {
			ns_dbg("vde_send: %s", strerror(errno));
			v->dropped++;
			return ERR_IF;
		}
		err = vde_ring_add(c, data, len);
	}
	if (err == ERR_OK)
		pcap_frame(c, data, len);
	return err;
}

/**
 * vde_linkoutput() - lwIP's link output: one frame to the switch
 * @netif:	our netif
 * @p:		the frame, possibly a chain
 *
 * Return: ERR_OK, ERR_MEM when the switch is full, or ERR_IF
 */
static err_t vde_linkoutput(struct netif *netif, struct pbuf *p)
{
	struct ctx *c = netif->state;

	if (p->tot_len > c->vde.frame_max)
		return ERR_BUF;
	if (!p->next)
		return vde_out(c, p->payload, p->len);
	pbuf_copy_partial(p, c->vde.frame, p->tot_len, 0);
	return vde_out(c, c->vde.frame, p->tot_len);
}

/**
 * vde_netif_init() - set up the netif, called by netif_add()
 * @netif:	our netif
 *
 * Return: ERR_OK
 */
static err_t vde_netif_init(struct netif *netif)
{
	struct ctx *c = netif->state;

	netif->name[0] = 'v';
	netif->name[1] = 'd';
	netif->hwaddr_len = ETH_HWADDR_LEN;
	memcpy(netif->hwaddr, c->conf.mac, ETH_HWADDR_LEN);
	netif->mtu = c->conf.mtu;
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
		       NETIF_FLAG_ETHERNET | NETIF_FLAG_MLD6;
	netif->output = etharp_output;
	netif->output_ip6 = ethip6_output;
	netif->linkoutput = vde_linkoutput;
	return ERR_OK;
}

/**
 * vde_netif_add() - add the netif with the configured addresses
 * @c:		context
 */
static void vde_netif_add(struct ctx *c)
{
	struct netif *n = &c->vde.netif;
	s8_t idx;

	netif_add(n, &c->conf.ip4, &c->conf.mask4, &c->conf.gw4, c,
		  vde_netif_init, netif_input);
	netif_set_default(n);
	netif_set_up(n);
	netif_set_link_up(n);
	if (!c->conf.has_ip6)
		return;
	netif_create_ip6_linklocal_address(n, 1);
	if (netif_add_ip6_address(n, &c->conf.ip6, &idx) != ERR_OK)
		netstack_fail(c, ENOMEM, "cannot add the --ip6 address");
	/* given, not configured: no duplicate address detection */
	netif_ip6_addr_set_state(n, idx, IP6_ADDR_PREFERRED);
}

/**
 * vde_init() - plug into the switch, add the netif
 * @c:		context
 *
 * Exits through netstack_fail() if the switch cannot be reached.
 */
void vde_init(struct ctx *c)
{
	struct vde_state *v = &c->vde;

	v->conn = vde_open((char *)c->conf.vde_url, "facet-netstack", NULL);
	if (!v->conn)
		netstack_fail(c, errno ? errno : ENETUNREACH,
			      "cannot plug into VDE switch %s: %s",
			      c->conf.vde_url, strerror(errno));
	v->fd = vde_datafd(v->conn);
	v->ctl_fd = vde_ctlfd(v->conn);
	v->frame_max = (size_t)c->conf.mtu + SIZEOF_ETH_HDR + 4;
	v->frame = malloc(v->frame_max);
	v->ring = malloc(VDE_RING * v->frame_max);
	v->ring_len = calloc(VDE_RING, sizeof(*v->ring_len));
	if (!v->frame || !v->ring || !v->ring_len)
		netstack_fail(c, ENOMEM, "out of memory");
	if (fcntl(v->fd, F_SETFL, fcntl(v->fd, F_GETFL) | O_NONBLOCK))
		netstack_fail(c, errno, "VDE data socket: %s", strerror(errno));
	v->ev.type = EV_VDE;
	v->ctl_ev.type = EV_VDE_CTL;
	if (ev_add(c, v->fd, EPOLLIN, &v->ev) ||
	    (v->ctl_fd >= 0 && ev_add(c, v->ctl_fd, EPOLLIN, &v->ctl_ev)))
		netstack_fail(c, errno, "epoll: %s", strerror(errno));
	vde_netif_add(c);
}

/**
 * vde_reaches() - is there a route to an address?
 * @c:		context
 * @a:		address
 *
 * lwIP with one netif sends everything there and fails only when the
 * frame is built, so a connection to an unreachable network would time
 * out; the kernel says ENETUNREACH at once.  On the LAN (the --ip
 * network, link-local or the --ip6 /64), or with a gateway, there is one.
 *
 * Return: true if @a can be reached
 */
bool vde_reaches(const struct ctx *c, const ip_addr_t *a)
{
	const ip6_addr_t *a6 = ip_2_ip6(a);

	if (IP_IS_V4(a))
		return ip4_addr_netcmp(ip_2_ip4(a), &c->conf.ip4, &c->conf.mask4) ||
		       !ip4_addr_isany_val(c->conf.gw4);
	if (!c->conf.has_ip6)
		return false;
	return ip6_addr_islinklocal(a6) || ip6_addr_netcmp(a6, &c->conf.ip6) ||
	       c->conf.has_gw6 || nd6_find_route(a6);
}

/**
 * vde_kick() - the link takes frames again: let TCP send what waits
 */
static void vde_kick(void)
{
	struct tcp_pcb *pcb;

	for (pcb = tcp_active_pcbs; pcb; pcb = pcb->next) {
		if (pcb->unsent || (pcb->flags & TF_ACK_NOW))
			tcp_output(pcb);
	}
}

/**
 * vde_flush() - send the frames waiting in the ring
 * @c:		context
 */
static void vde_flush(struct ctx *c)
{
	struct vde_state *v = &c->vde;

	while (v->ring_count) {
		unsigned int slot = v->ring_head;

		if (vde_send(v->conn, v->ring + slot * v->frame_max,
			     v->ring_len[slot], 0) < 0) {
			if (errno == EAGAIN || errno == ENOBUFS)
				return;
			v->dropped++;
		}
		v->ring_head = (slot + 1) % VDE_RING;
		v->ring_count--;
	}
	ev_mod(c, v->fd, EPOLLIN, &v->ev);
	vde_kick();
}

/**
 * vde_gone() - the switch is gone: tell facet NS_BYE (ENETDOWN) and quit
 * @c:		context
 * @why:	what said so, for the log
 */
static void vde_gone(struct ctx *c, const char *why)
{
	struct ns_msg m = { .type = NS_BYE, .err = ENETDOWN };

	ns_err("the VDE switch %s has gone: %s", c->conf.vde_url, why);
	epoll_ctl(c->epfd, EPOLL_CTL_DEL, c->vde.fd, NULL);
	if (c->vde.ctl_fd >= 0)
		epoll_ctl(c->epfd, EPOLL_CTL_DEL, c->vde.ctl_fd, NULL);
	ctl_send(c, &m, NULL);
	netstack_quit(c, "the switch has gone");
	c->quit_by = c->now;
	c->status = 1;
}

/**
 * vde_ctl_input() - the control socket is readable: EOF if the switch went
 * @c:		context
 */
static void vde_ctl_input(struct ctx *c)
{
	char buf[256];
	ssize_t n = recv(c->vde.ctl_fd, buf, sizeof(buf), MSG_DONTWAIT);

	if (n == 0)
		vde_gone(c, "its control socket hung up");
	else if (n < 0 && errno != EAGAIN && errno != EINTR)
		vde_gone(c, strerror(errno));
}

/**
 * vde_ack_now() - send the ACKs lwIP delays, at the end of a batch
 *
 * lwIP acknowledges every second segment at once and delays the ACK of
 * an odd one until its fast timer (up to TCP_TMR_INTERVAL later).  With
 * the small windows the switch allows, the peer would stall that long at
 * the end of each flight: one ACK per batch of frames read instead.
 */
static void vde_ack_now(void)
{
	struct tcp_pcb *pcb;

	for (pcb = tcp_active_pcbs; pcb; pcb = pcb->next) {
		if (pcb->flags & TF_ACK_DELAY) {
			tcp_ack_now(pcb);
			tcp_output(pcb);
		}
	}
}

/**
 * vde_input() - read frames from the switch into lwIP
 * @c:		context
 */
static void vde_input(struct ctx *c)
{
	struct vde_state *v = &c->vde;
	struct pbuf *p;
	ssize_t n;
	int i;

	for (i = 0; i < VDE_BUDGET; i++) {
		p = v->spare;
		v->spare = NULL;
		if (!p)
			p = pbuf_alloc(PBUF_RAW, (u16_t)v->frame_max, PBUF_RAM);
		if (!p)
			return;
		n = vde_recv(v->conn, p->payload, v->frame_max, 0);
		if (n < ETH_HLEN_MIN) {
			v->spare = p;
			if (n < 0 && errno != EAGAIN && errno != EINTR &&
			    errno != ENOBUFS)
				vde_gone(c, strerror(errno));
			if (n < 0)
				break;
			continue;		/* a runt: not a frame */
		}
		pbuf_realloc(p, (u16_t)n);
		pcap_frame(c, p->payload, (size_t)n);
		if (v->netif.input(p, &v->netif) != ERR_OK)
			pbuf_free(p);
	}
	vde_ack_now();
}

/**
 * vde_event() - the plug is readable or writable, or the switch is gone
 * @c:		context
 * @ev:		&c->vde.ev or &c->vde.ctl_ev
 * @events:	EPOLL* mask
 */
void vde_event(struct ctx *c, const struct ns_ev *ev, uint32_t events)
{
	if (ev == &c->vde.ctl_ev) {
		vde_ctl_input(c);
		return;
	}
	if (events & EPOLLOUT)
		vde_flush(c);
	if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
		vde_input(c);
}

/**
 * vde_unplug() - unplug from the switch
 * @c:		context
 */
void vde_unplug(struct ctx *c)
{
	struct vde_state *v = &c->vde;

	if (v->dropped)
		ns_dbg("%llu frames dropped on the way to the switch",
		       (unsigned long long)v->dropped);
	if (v->conn)
		vde_close(v->conn);
	v->conn = NULL;
}
