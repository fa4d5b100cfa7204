// SPDX-License-Identifier: GPL-2.0-or-later
/* test_netaddr.c - the net module's names: view destinations to host ones
 * and back, and the view's port space (modules/net_addr.c, net_sock.c)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net_internal.h"
#include "unit.h"

/**
 * mk() - an internal address from text and a port
 * @text:	"10.0.2.2" or "fd00::2"
 * @port:	host order
 * Return: the address
 */
static struct sockaddr_in6 mk(const char *text, uint16_t port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	struct in_addr v4;

	if (inet_pton(AF_INET, text, &v4) == 1)
		na_map4(&a.sin6_addr, v4.s_addr);
	else
		ck_assert_int_eq(inet_pton(AF_INET6, text, &a.sin6_addr), 1);
	return a;
}

/**
 * mknet() - a NAT view with the default addresses and no ports
 * @mode:	NET_NONE or NET_NAT
 * Return: the module state (free() it)
 */
static struct net *mknet(enum net_mode mode)
{
	struct net *n = calloc(1, sizeof(*n));

	net_conf_defaults(&n->conf);
	n->conf.mode = mode;
	return n;
}

static void freenet(struct net *n)
{
	struct net_port *p;

	while ((p = n->ports)) {
		n->ports = p->next;
		free(p);
	}
	free(n);
}

START_TEST(addr_round_trip)
{
	struct sockaddr_storage ss = { 0 }, out;
	struct sockaddr_in *in = (void *)&ss;
	struct sockaddr_in6 a;

	in->sin_family = AF_INET;
	in->sin_port = htons(80);
	inet_pton(AF_INET, "127.0.0.1", &in->sin_addr);
	ck_assert_int_eq(na_from(&ss, sizeof(*in), &a), 0);
	ck_assert(na_is_v4(&a.sin6_addr) && na_loopback(&a.sin6_addr));
	ck_assert_int_eq(na_to(&a, AF_INET, &out), sizeof(struct sockaddr_in));
	ck_assert_mem_eq(&out, &ss, sizeof(struct sockaddr_in));
	ck_assert_int_eq(na_to(&a, AF_INET6, &out), sizeof(struct sockaddr_in6));
	ck_assert(IN6_IS_ADDR_V4MAPPED(&((struct sockaddr_in6 *)&out)->sin6_addr));
	ck_assert_int_eq(na_from(&ss, sizeof(*in) - 1, &a), -EINVAL);
	ss.ss_family = AF_UNIX;
	ck_assert_int_eq(na_from(&ss, sizeof(ss), &a), -EAFNOSUPPORT);
	a = mk("fd00::15", 1);
	ck_assert_int_eq(na_to(&a, AF_INET, &out), 0);	/* no v4 form */
}
END_TEST

/* what each view address is, in a NAT view */
static const struct {
	const char *addr;
	bool local, gateway, dns, subnet;
} kinds[] = {
	{ "127.0.0.1",	true,  false, false, false },
	{ "127.9.9.9",	true,  false, false, false },
	{ "0.0.0.0",	true,  false, false, false },
	{ "::",		true,  false, false, false },
	{ "::1",	true,  false, false, false },
	{ "10.0.2.15",	true,  false, false, true },
	{ "fd00::15",	true,  false, false, true },
	{ "10.0.2.2",	false, true,  false, true },
	{ "fd00::2",	false, true,  false, true },
	{ "10.0.2.3",	false, false, true,  true },
	{ "10.0.2.99",	false, false, false, true },
	{ "10.0.3.1",	false, false, false, false },
	{ "192.0.2.1",	false, false, false, false },
	{ "2001:db8::1", false, false, false, false },
};

START_TEST(addr_kinds)
{
	struct net *n = mknet(NET_NAT);
	struct sockaddr_in6 a = mk(kinds[_i].addr, 0);

	ck_assert_msg(na_local(&n->conf, &a.sin6_addr) == kinds[_i].local, "%s local", kinds[_i].addr);
	ck_assert_msg(na_gateway(&n->conf, &a.sin6_addr) == kinds[_i].gateway, "%s gw", kinds[_i].addr);
	ck_assert_msg(na_dns(&n->conf, &a.sin6_addr) == kinds[_i].dns, "%s dns", kinds[_i].addr);
	ck_assert_msg(na_subnet(&n->conf, &a.sin6_addr) == kinds[_i].subnet, "%s subnet", kinds[_i].addr);
	freenet(n);
}
END_TEST

/**
 * add_port() - record view port @vport of a TCP socket at host port @hport
 * @n:		module state
 * @family:	AF_INET or AF_INET6
 * @vaddr:	view address text
 * @vport:	view port
 * @hport:	host port
 */
static void add_port(struct net *n, int family, const char *vaddr,
		     uint16_t vport, uint16_t hport)
{
	struct net_port e = { .proto = IPPROTO_TCP, .family = family,
			      .vaddr = mk(vaddr, 0).sin6_addr, .vport = vport,
			      .hport = hport, .ino = hport };

	ck_assert_ptr_nonnull(port_add(n, &e));
}

/* where a TCP connect from the view goes */
static const struct {
	enum net_mode mode;
	const char *to;
	uint16_t port;
	int err;
	int kind;
	const char *host;
	uint16_t hport;
} dests[] = {
	{ NET_NAT, "127.0.0.1", 80, 0, NS_VIEW, "127.0.0.1", 40080 },
	{ NET_NAT, "10.0.2.15", 80, 0, NS_VIEW, "127.0.0.1", 40080 },
	/* nobody listens: the kernel refuses it, at a port of facet's */
	{ NET_NAT, "127.0.0.1", 81, 0, NS_VIEW, NULL, 0 },
	{ NET_NAT, "10.0.2.2", 8080, 0, NS_HOST, "127.0.0.1", 8080 },
	{ NET_NAT, "fd00::2", 8080, 0, NS_HOST, "::1", 8080 },
	{ NET_NAT, "10.0.2.77", 80, -EHOSTUNREACH, NS_OUT, NULL, 0 },
	{ NET_NAT, "192.0.2.1", 443, 0, NS_OUT, "192.0.2.1", 443 },
	{ NET_NAT, "::1", 80, 0, NS_VIEW, NULL, 0 },
	{ NET_NONE, "127.0.0.1", 80, 0, NS_VIEW, "127.0.0.1", 40080 },
	{ NET_NONE, "10.0.2.2", 8080, -ENETUNREACH, NS_OUT, NULL, 0 },
	{ NET_NONE, "192.0.2.1", 443, -ENETUNREACH, NS_OUT, NULL, 0 },
};

/**
 * listener() - a real TCP listener on the host's loopback
 * @port:	set to its port, host order
 * Return: its fd
 */
static int listener(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t l = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(fd, 1), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &l), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

START_TEST(dest_table)
{
	struct net *n = mknet(dests[_i].mode);
	uint16_t hp, want_port = dests[_i].hport;
	int lfd = listener(&hp);
	struct nsock s = { .fd = -1, .family = AF_INET6, .type = SOCK_STREAM,
			   .proto = IPPROTO_TCP, .ino = 1 };
	struct sockaddr_in6 v = mk(dests[_i].to, dests[_i].port), h, want;
	int kind = -1;

	add_port(n, AF_INET, "0.0.0.0", 80, hp);
	if (want_port == 40080)		/* the view's port 80: the listener's */
		want_port = hp;
	ck_assert_int_eq(ns_dest(n, &s, &v, &h, &kind), dests[_i].err);
	ck_assert_int_eq(kind, dests[_i].kind);
	if (dests[_i].host) {
		want = mk(dests[_i].host, want_port);
		ck_assert_mem_eq(&h.sin6_addr, &want.sin6_addr, 16);
		ck_assert_uint_eq(ntohs(h.sin6_port), want_port);
	}
	close(lfd);
	freenet(n);
}
END_TEST

/* what the view shows for a host address a socket talks with */
static const struct {
	const char *host;
	uint16_t port;
	const char *view;
	uint16_t vport;
} peers[] = {
	{ "127.0.0.1", 40080, "10.0.2.15", 80 },	/* a port of the view */
	{ "127.0.0.1", 51000, "127.0.0.1", 51000 },	/* a client in the view */
	{ "127.0.0.1", 8080, "10.0.2.2", 8080 },	/* the host itself */
	{ "::1", 8080, "fd00::2", 8080 },
	{ "192.0.2.1", 443, "192.0.2.1", 443 },		/* outside, as it is */
};

START_TEST(peer_table)
{
	struct net *n = mknet(NET_NAT);
	struct nsock s = { .fd = -1, .family = AF_INET6, .type = SOCK_STREAM,
			   .proto = IPPROTO_TCP, .ino = 7 };
	struct sockaddr_in6 h = mk(peers[_i].host, peers[_i].port), v;
	struct sockaddr_in6 want = mk(peers[_i].view, peers[_i].vport);
	struct in6_addr lo = mk("127.0.0.1", 0).sin6_addr;

	add_port(n, AF_INET, "10.0.2.15", 80, 40080);
	client_add(n, 51000, &lo);
	view_peer(n, &s, &h, &v);
	ck_assert_mem_eq(&v.sin6_addr, &want.sin6_addr, 16);
	ck_assert_uint_eq(ntohs(v.sin6_port), peers[_i].vport);
	freenet(n);
}
END_TEST

START_TEST(port_space)
{
	struct net *n = mknet(NET_NONE);
	struct in6_addr any4 = mk("0.0.0.0", 0).sin6_addr;
	struct in6_addr lo6 = mk("::1", 0).sin6_addr;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t l = sizeof(a);

	/* a real listener holds host port H: its entry clashes */
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(fd, 1), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &l), 0);
	add_port(n, AF_INET, "0.0.0.0", 80, ntohs(a.sin_port));
	ck_assert_ptr_nonnull(port_clash(n, IPPROTO_TCP, AF_INET, &any4, 80));
	ck_assert_ptr_null(port_clash(n, IPPROTO_TCP, AF_INET, &any4, 81));
	ck_assert_ptr_null(port_clash(n, IPPROTO_UDP, AF_INET, &any4, 80));
	/* a v6-only socket may share the port with a v4 one */
	ck_assert_ptr_null(port_clash(n, IPPROTO_TCP, AF_INET6, &lo6, 80));
	ck_assert_ptr_nonnull(port_lookup(n, IPPROTO_TCP, &any4, 80));
	ck_assert_ptr_null(port_lookup(n, IPPROTO_TCP, &lo6, 80));
	ck_assert_ptr_nonnull(port_by_host(n, IPPROTO_TCP, ntohs(a.sin_port)));
	/* once closed, the entry is stale: a new bind may take the port */
	close(fd);
	ck_assert_ptr_null(port_clash(n, IPPROTO_TCP, AF_INET, &any4, 80));
	ck_assert_ptr_null(n->ports);
	ck_assert(port_free(n, IPPROTO_TCP) >= 32768);
	freenet(n);
}
END_TEST

Suite *suite_netaddr(void)
{
	Suite *s = suite_create("netaddr");
	TCase *tc = tcase_create("names");

	tcase_add_test(tc, addr_round_trip);
	tcase_add_loop_test(tc, addr_kinds, 0, sizeof(kinds) / sizeof(kinds[0]));
	tcase_add_loop_test(tc, dest_table, 0, sizeof(dests) / sizeof(dests[0]));
	tcase_add_loop_test(tc, peer_table, 0, sizeof(peers) / sizeof(peers[0]));
	tcase_add_test(tc, port_space);
	suite_add_tcase(s, tc);
	return s;
}
