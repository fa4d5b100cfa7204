// SPDX-License-Identifier: GPL-2.0-or-later
/* net_ioctl.c - the interface ioctls (SIOCGIFCONF, SIOCGIFFLAGS, ...)
 *		 answered from the view's interfaces
 *
 * DOC: Theory of Operation
 *
 * The kernel answers the 0x89xx ioctls of any socket from the host's
 * network namespace.  Those about interfaces are answered here from the
 * same description of the view as rtnetlink (net_rtnl.c), by nl_ifreq()
 * and nl_ifconf(); those that change an interface fail with EPERM, and
 * those that would look at a host device by name answer for the view's
 * names only.  The ones about the socket itself (SIOCGSTAMP,
 * SIOCATMARK...) are the kernel's.
 */
#include <net/if.h>	/* first: linux/if.h then leaves glibc's names be */
#include <errno.h>
#include <linux/sockios.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net_internal.h"

/**
 * nl_ioc_reply() - answer an ioctl with a kernel-style result
 * @call:	the call
 * @r:		value >= 0, or -errno
 * Return: FACET_REPLY
 */
static enum facet_outcome nl_ioc_reply(struct facet_call *call, long r)
{
	call->ret = r < 0 ? 0 : r;
	call->error = r < 0 ? (int)-r : 0;
	return FACET_REPLY;
}

/**
 * enum nl_ioc_kind - how an 0x89xx ioctl is answered
 * @NL_IOC_KERNEL:	about the socket itself: the kernel answers
 * @NL_IOC_GET:		an interface query answered from the view (ifreq)
 * @NL_IOC_CONF:	SIOCGIFCONF
 * @NL_IOC_SET:		a change: EPERM, as for an unprivileged caller
 * @NL_IOC_DEV:		a device query the view's interfaces do not support:
 *			ENODEV for a name it does not have, else the errno
 * @NL_IOC_ARP:		an ARP table query: no entry
 */
enum nl_ioc_kind {
	NL_IOC_KERNEL = 0,
	NL_IOC_GET,
	NL_IOC_CONF,
	NL_IOC_SET,
	NL_IOC_DEV,
	NL_IOC_ARP,
};

static const struct {
	unsigned int req;
	unsigned char kind;
	unsigned char err;
} nl_iocs[] = {
	{ SIOCGIFNAME, NL_IOC_GET, 0 },		{ SIOCGIFCONF, NL_IOC_CONF, 0 },
	{ SIOCGIFFLAGS, NL_IOC_GET, 0 },	{ SIOCGIFADDR, NL_IOC_GET, 0 },
	{ SIOCGIFDSTADDR, NL_IOC_GET, 0 },	{ SIOCGIFBRDADDR, NL_IOC_GET, 0 },
	{ SIOCGIFNETMASK, NL_IOC_GET, 0 },	{ SIOCGIFMETRIC, NL_IOC_GET, 0 },
	{ SIOCGIFMTU, NL_IOC_GET, 0 },		{ SIOCGIFHWADDR, NL_IOC_GET, 0 },
	{ SIOCGIFINDEX, NL_IOC_GET, 0 },	{ SIOCGIFTXQLEN, NL_IOC_GET, 0 },
	{ SIOCGIFMAP, NL_IOC_GET, 0 },
	{ SIOCADDRT, NL_IOC_SET, 0 },		{ SIOCDELRT, NL_IOC_SET, 0 },
	{ SIOCRTMSG, NL_IOC_SET, 0 },		{ SIOCSIFLINK, NL_IOC_SET, 0 },
	{ SIOCSIFFLAGS, NL_IOC_SET, 0 },	{ SIOCSIFADDR, NL_IOC_SET, 0 },
	{ SIOCSIFDSTADDR, NL_IOC_SET, 0 },	{ SIOCSIFBRDADDR, NL_IOC_SET, 0 },
	{ SIOCSIFNETMASK, NL_IOC_SET, 0 },	{ SIOCSIFMETRIC, NL_IOC_SET, 0 },
	{ SIOCSIFMEM, NL_IOC_SET, 0 },		{ SIOCSIFMTU, NL_IOC_SET, 0 },
	{ SIOCSIFNAME, NL_IOC_SET, 0 },		{ SIOCSIFHWADDR, NL_IOC_SET, 0 },
	{ SIOCSIFENCAP, NL_IOC_SET, 0 },	{ SIOCSIFSLAVE, NL_IOC_SET, 0 },
	{ SIOCADDMULTI, NL_IOC_SET, 0 },	{ SIOCDELMULTI, NL_IOC_SET, 0 },
	{ SIOCSIFPFLAGS, NL_IOC_SET, 0 },	{ SIOCDIFADDR, NL_IOC_SET, 0 },
	{ SIOCSIFHWBROADCAST, NL_IOC_SET, 0 },	{ SIOCSIFBR, NL_IOC_SET, 0 },
	{ SIOCSIFTXQLEN, NL_IOC_SET, 0 },	{ SIOCDARP, NL_IOC_SET, 0 },
	{ SIOCSARP, NL_IOC_SET, 0 },		{ SIOCDRARP, NL_IOC_SET, 0 },
	{ SIOCSRARP, NL_IOC_SET, 0 },		{ SIOCSIFMAP, NL_IOC_SET, 0 },
	{ SIOCADDDLCI, NL_IOC_SET, 0 },		{ SIOCDELDLCI, NL_IOC_SET, 0 },
	{ SIOCSIFVLAN, NL_IOC_SET, 0 },		{ SIOCBONDENSLAVE, NL_IOC_SET, 0 },
	{ SIOCBONDRELEASE, NL_IOC_SET, 0 },	{ SIOCBONDSETHWADDR, NL_IOC_SET, 0 },
	{ SIOCBONDCHANGEACTIVE, NL_IOC_SET, 0 }, { SIOCBRADDBR, NL_IOC_SET, 0 },
	{ SIOCBRDELBR, NL_IOC_SET, 0 },		{ SIOCBRADDIF, NL_IOC_SET, 0 },
	{ SIOCBRDELIF, NL_IOC_SET, 0 },		{ SIOCSHWTSTAMP, NL_IOC_SET, 0 },
	{ SIOCSMIIREG, NL_IOC_SET, 0 },
	{ SIOCETHTOOL, NL_IOC_DEV, EOPNOTSUPP }, { SIOCGMIIPHY, NL_IOC_DEV, EOPNOTSUPP },
	{ SIOCGMIIREG, NL_IOC_DEV, EOPNOTSUPP }, { SIOCGHWTSTAMP, NL_IOC_DEV, EOPNOTSUPP },
	{ SIOCWANDEV, NL_IOC_DEV, EOPNOTSUPP },	{ SIOCGIFSLAVE, NL_IOC_DEV, EINVAL },
	{ SIOCBONDINFOQUERY, NL_IOC_DEV, EOPNOTSUPP },
	{ SIOCBONDSLAVEINFOQUERY, NL_IOC_DEV, EOPNOTSUPP },
	{ SIOCGARP, NL_IOC_ARP, 0 },		{ SIOCGRARP, NL_IOC_ARP, 0 },
};

/**
 * nl_ioc_kind() - how an ioctl request is answered
 * @req:	the request
 * @err:	set to the errno of an NL_IOC_DEV
 * Return: enum nl_ioc_kind
 */
static int nl_ioc_kind(unsigned int req, int *err)
{
	size_t i;

	*err = EOPNOTSUPP;
	if (req >= SIOCDEVPRIVATE && req <= SIOCDEVPRIVATE + 15)
		return NL_IOC_DEV;
	for (i = 0; i < sizeof(nl_iocs) / sizeof(nl_iocs[0]); i++) {
		if (nl_iocs[i].req == req) {
			*err = nl_iocs[i].err;
			return nl_iocs[i].kind;
		}
	}
	return NL_IOC_KERNEL;
}

/**
 * nl_if_by_name() - a view interface by name, an alias ("eth0:1") naming
 *		     its device
 * @ifs:	the interfaces
 * @n:		how many
 * @ifname:	the name, as in struct ifreq
 * @alias:	set if the name has a ':' part
 * Return: the interface, or NULL
 */
static const struct nl_if *nl_if_by_name(const struct nl_if *ifs, int n,
					 const char *ifname, bool *alias)
{
	char name[IFNAMSIZ], *colon;
	int i;

	memcpy(name, ifname, IFNAMSIZ);
	name[IFNAMSIZ - 1] = 0;
	if ((colon = strchr(name, ':')))
		*colon = 0;
	*alias = colon != NULL;
	for (i = 0; i < n; i++)
		if (!strcmp(ifs[i].name, name))
			return &ifs[i];
	return NULL;
}

/**
 * nl_ifreq_addr() - SIOCGIFADDR, DSTADDR, BRDADDR, NETMASK (devinet_ioctl())
 * @c:		the view
 * @i:		the interface
 * @req:	which
 * @alias:	the name was an alias label, which the view has none of
 * @ifr:	answered in
 * Return: 0, -EADDRNOTAVAIL
 */
static int nl_ifreq_addr(const struct net_conf *c, const struct nl_if *i,
			 unsigned int req, bool alias, struct ifreq *ifr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct nl_ifaddr a[NL_ADDRS_MAX];
	int k, n = nl_view_addrs(c, a);
	uint32_t mask;

	for (k = 0; k < n; k++)
		if (a[k].family == AF_INET && a[k].index == i->index)
			break;
	if (alias || k == n)
		return -EADDRNOTAVAIL;
	mask = htonl(nl_mask4(a[k].prefix));
	if (req == SIOCGIFBRDADDR)
		memcpy(&sin.sin_addr, a[k].brd, 4);
	else if (req == SIOCGIFNETMASK)
		memcpy(&sin.sin_addr, &mask, 4);
	else
		memcpy(&sin.sin_addr, a[k].addr, 4);
	memcpy(&ifr->ifr_addr, &sin, sizeof(sin));
	return 0;
}

/**
 * nl_ioc_is_addr() - is @req one of the IPv4 address queries, which only
 *		      an AF_INET socket answers?
 * @req:	the request
 * Return: true if so
 */
static bool nl_ioc_is_addr(unsigned int req)
{
	return req == SIOCGIFADDR || req == SIOCGIFDSTADDR ||
	       req == SIOCGIFBRDADDR || req == SIOCGIFNETMASK;
}

/**
 * nl_ifreq() - answer a SIOCGIF* query from the view (net_internal.h)
 * @c:		the view
 * @req:	SIOCGIFFLAGS and so on
 * @inet:	asked on an AF_INET socket (the address queries need one)
 * @ifr:	the guest's struct ifreq, answered in place
 * Return: 0, -ENODEV (no such interface), -EADDRNOTAVAIL, -ENOTTY
 */
int nl_ifreq(const struct net_conf *c, unsigned int req, bool inet,
	     struct ifreq *ifr)
{
	struct nl_if ifs[NL_IFS_MAX];
	int k, n = nl_view_ifs(c, ifs);
	const struct nl_if *i;
	bool alias;

	if (req == SIOCGIFNAME) {
		for (k = 0; k < n && ifs[k].index != ifr->ifr_ifindex; k++)
			;
		if (k == n)
			return -ENODEV;
		strncpy(ifr->ifr_name, ifs[k].name, IFNAMSIZ);
		return 0;
	}
	if (nl_ioc_is_addr(req) && !inet)
		return -ENOTTY;
	if (!(i = nl_if_by_name(ifs, n, ifr->ifr_name, &alias)))
		return -ENODEV;
	if (nl_ioc_is_addr(req))
		return nl_ifreq_addr(c, i, req, alias, ifr);
	switch (req) {
	case SIOCGIFFLAGS:
		ifr->ifr_flags = (short)(i->flags & 0xffff);
		break;
	case SIOCGIFMETRIC:
		ifr->ifr_metric = 0;
		break;
	case SIOCGIFMTU:
		ifr->ifr_mtu = (int)i->mtu;
		break;
	case SIOCGIFHWADDR:
		memset(&ifr->ifr_hwaddr, 0, sizeof(ifr->ifr_hwaddr));
		ifr->ifr_hwaddr.sa_family = i->type;
		memcpy(ifr->ifr_hwaddr.sa_data, i->addr, sizeof(i->addr));
		break;
	case SIOCGIFINDEX:
		ifr->ifr_ifindex = i->index;
		break;
	case SIOCGIFTXQLEN:
		ifr->ifr_qlen = NL_TXQLEN;
		break;
	case SIOCGIFMAP:
		memset(&ifr->ifr_map, 0, sizeof(ifr->ifr_map));
		break;
	default:
		return -ENOTTY;
	}
	return 0;
}

/**
 * nl_ifconf() - the entries of SIOCGIFCONF: each IPv4 address, labelled
 *		 with its interface (net_internal.h)
 * @c:		the view
 * @out:	filled with the first @max entries
 * @max:	room
 * Return: how many entries the view has
 */
int nl_ifconf(const struct net_conf *c, struct ifreq *out, int max)
{
	struct nl_ifaddr a[NL_ADDRS_MAX];
	int k, n = nl_view_addrs(c, a), total = 0;
	struct sockaddr_in sin = { .sin_family = AF_INET };

	for (k = 0; k < n; k++) {
		if (a[k].family != AF_INET)
			continue;
		if (total < max) {
			memset(&out[total], 0, sizeof(out[total]));
			strncpy(out[total].ifr_name, a[k].label, IFNAMSIZ - 1);
			memcpy(&sin.sin_addr, a[k].addr, 4);
			memcpy(&out[total].ifr_addr, &sin, sizeof(sin));
		}
		total++;
	}
	return total;
}

/**
 * nl_ioc_conf() - SIOCGIFCONF (dev_ifconf()): with a NULL buffer, the
 *		   length needed; else the entries that fit whole
 * @n:		module state
 * @call:	the call
 * Return: 0 or -EFAULT
 */
static long nl_ioc_conf(struct net *n, struct facet_call *call)
{
	struct ifreq r[NL_ADDRS_MAX];
	int total = nl_ifconf(&n->conf, r, NL_ADDRS_MAX), fit;
	struct ifconf ic;

	if (facet_read(n->f, call, call->args[2], &ic, sizeof(ic)) < 0)
		return -EFAULT;
	fit = ic.ifc_len < 0 ? 0 : ic.ifc_len / (int)sizeof(struct ifreq);
	fit = ic.ifc_buf ? (fit < total ? fit : total) : total;
	if (ic.ifc_buf && fit && facet_write(n->f, call, (uintptr_t)ic.ifc_buf, r,
					     (size_t)fit * sizeof(r[0])) < 0)
		return -EFAULT;
	ic.ifc_len = fit * (int)sizeof(struct ifreq);
	if (facet_write(n->f, call, call->args[2], &ic.ifc_len, sizeof(ic.ifc_len)) < 0)
		return -EFAULT;
	return 0;
}

/**
 * nl_ioc_ifreq() - an ioctl on a struct ifreq: a query, or one of a device
 *		    the view's interfaces cannot answer
 * @n:		module state
 * @call:	the call
 * @kind:	NL_IOC_GET or NL_IOC_DEV
 * @err:	the errno of an NL_IOC_DEV on a known interface
 * @inet:	the socket is AF_INET
 * Return: 0 or -errno
 */
static long nl_ioc_ifreq(struct net *n, struct facet_call *call, int kind,
			 int err, bool inet)
{
	unsigned int req = (unsigned int)call->args[1];
	struct nl_if ifs[NL_IFS_MAX];
	struct ifreq ifr;
	bool alias;
	int r;

	if (facet_read(n->f, call, call->args[2], &ifr, sizeof(ifr)) < 0)
		return -EFAULT;
	if (kind == NL_IOC_DEV)
		return nl_if_by_name(ifs, nl_view_ifs(&n->conf, ifs),
				     ifr.ifr_name, &alias) ? -err : -ENODEV;
	if ((r = nl_ifreq(&n->conf, req, inet, &ifr)) < 0)
		return r;
	if (facet_write(n->f, call, call->args[2], &ifr, sizeof(ifr)) < 0)
		return -EFAULT;
	return 0;
}

/**
 * nl_sock_domain() - the address family of a guest fd, if it is a socket
 * @n:		module state
 * @call:	the call
 * Return: AF_*, or -1 if the fd is no socket (or is not there)
 */
static int nl_sock_domain(struct net *n, struct facet_call *call)
{
	int fd = facet_getfd(n->f, call, (int)call->args[0]), domain = -1;
	socklen_t len = sizeof(domain);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISSOCK(st.st_mode) ||
	    getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0)
		domain = -1;
	close(fd);
	return domain;
}

/**
 * nl_ioctl() - ioctl(fd, 0x89xx, arg) on a guest socket (net_internal.h)
 * @n:		module state
 * @call:	the call
 * Return: FACET_REPLY for the interface requests, FACET_CONTINUE for the
 *	   socket's own, FACET_PASS for another request or an fd that is no
 *	   socket
 */
enum facet_outcome nl_ioctl(struct net *n, struct facet_call *call)
{
	unsigned int req = (unsigned int)call->args[1];
	int kind, err, domain;

	if ((req & 0xff00) != 0x8900)
		return FACET_PASS;
	if ((domain = nl_sock_domain(n, call)) < 0)
		return FACET_PASS;
	switch ((kind = nl_ioc_kind(req, &err))) {
	case NL_IOC_SET:
		return nl_ioc_reply(call, -EPERM);
	case NL_IOC_CONF:
		return nl_ioc_reply(call, nl_ioc_conf(n, call));
	case NL_IOC_ARP:
		return nl_ioc_reply(call, domain == AF_INET ? -ENXIO : -ENOTTY);
	case NL_IOC_GET:
	case NL_IOC_DEV:
		return nl_ioc_reply(call, nl_ioc_ifreq(n, call, kind, err,
						     domain == AF_INET));
	}
	return FACET_CONTINUE;
}
