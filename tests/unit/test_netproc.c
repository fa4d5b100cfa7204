// SPDX-License-Identifier: GPL-2.0-or-later
/* test_netproc.c - the view's /proc/net files (modules/net_proc.c)
 *
 * Each file of each view is compared, whole, with what the kernel writes
 * in a real namespace holding lo and an eth0 set up as the view (a veth,
 * with 10.0.2.15/24, fd00::15/64 and the default routes), except where
 * the view differs on purpose: its counters are zero, if_inet6 lists lo
 * first (the kernel's order is a hash keyed per namespace), and the
 * reference counts of ipv6_route are a fresh namespace's.  Lines of
 * /proc/net/route are padded to 127 characters; the table leaves the
 * padding out and the test checks it.  The kernel prints IPv4 addresses
 * of route and igmp as a native integer: the table is a little-endian
 * machine's.
 */
#include <arpa/inet.h>
#include <check.h>
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "../../modules/net_internal.h"
#include "unit.h"

/**
 * view() - the view of a test: lo, and in NAT mode eth0 with the default
 *	    addresses
 * @mode:	NET_NONE or NET_NAT
 * Return: the configuration
 */
static struct net_conf view(enum net_mode mode)
{
	struct net_conf c;

	net_conf_defaults(&c);
	c.mode = mode;
	return c;
}

static const struct {
	enum net_mode mode;
	const char *name;
	const char *text;
} files[] = {
	{ NET_NONE, "dev",
	  "Inter-|   Receive                                                |  Transmit\n"
	  " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
	  "    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n" },
	{ NET_NONE, "if_inet6",
	  "00000000000000000000000000000001 01 80 10 80       lo\n" },
	{ NET_NONE, "route",
	  "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" },
	{ NET_NONE, "ipv6_route",
	  "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n"
	  "00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo\n"
	  "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n" },
	{ NET_NONE, "dev_mcast",
	  "" },
	{ NET_NONE, "arp",
	  "IP address       HW type     Flags       HW address            Mask     Device\n" },
	{ NET_NONE, "igmp",
	  "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"
	  "1\tlo        :     1      V3\n"
	  "\t\t\t\t010000E0     1 0:00000000\t\t0\n" },
	{ NET_NONE, "igmp6",
	  "1    lo              ff020000000000000000000000000001     1 0000000C 0\n"
	  "1    lo              ff010000000000000000000000000001     1 00000008 0\n" },
	{ NET_NONE, "mcfilter",
	  "Idx Device        MCA        SRC    INC    EXC\n" },
	{ NET_NONE, "mcfilter6",
	  "Idx Device                Multicast Address                   Source Address    INC    EXC\n" },
	{ NET_NONE, "anycast6",
	  "" },
	{ NET_NAT, "dev",
	  "Inter-|   Receive                                                |  Transmit\n"
	  " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
	  "    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n"
	  "  eth0:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n" },
	{ NET_NAT, "if_inet6",
	  "00000000000000000000000000000001 01 80 10 80       lo\n"
	  "fd000000000000000000000000000015 02 40 00 80     eth0\n"
	  "fe80000000000000505400fffe123456 02 40 20 80     eth0\n" },
	{ NET_NAT, "route",
	  "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
	  "eth0\t00000000\t0202000A\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
	  "eth0\t0002000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n" },
	{ NET_NAT, "ipv6_route",
	  "fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0\n"
	  "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000002 00000000 00000001     eth0\n"
	  "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000002 00000400 00000001 00000000 00000003     eth0\n"
	  "00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo\n"
	  "fd000000000000000000000000000015 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001     eth0\n"
	  "fe80000000000000505400fffe123456 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001     eth0\n"
	  "ff000000000000000000000000000000 08 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000004 00000000 00000001     eth0\n"
	  "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n" },
	{ NET_NAT, "dev_mcast",
	  "2    eth0            1     0     333300000001\n"
	  "2    eth0            1     0     01005e000001\n"
	  "2    eth0            1     0     3333ff123456\n"
	  "2    eth0            1     0     3333ff000015\n" },
	{ NET_NAT, "arp",
	  "IP address       HW type     Flags       HW address            Mask     Device\n" },
	{ NET_NAT, "igmp",
	  "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"
	  "1\tlo        :     1      V3\n"
	  "\t\t\t\t010000E0     1 0:00000000\t\t0\n"
	  "2\teth0      :     1      V3\n"
	  "\t\t\t\t010000E0     1 0:00000000\t\t0\n" },
	{ NET_NAT, "igmp6",
	  "1    lo              ff020000000000000000000000000001     1 0000000C 0\n"
	  "1    lo              ff010000000000000000000000000001     1 00000008 0\n"
	  "2    eth0            ff0200000000000000000001ff000015     1 00000004 0\n"
	  "2    eth0            ff0200000000000000000001ff123456     1 00000004 0\n"
	  "2    eth0            ff020000000000000000000000000001     1 0000000C 0\n"
	  "2    eth0            ff010000000000000000000000000001     1 00000008 0\n" },
	{ NET_NAT, "mcfilter",
	  "Idx Device        MCA        SRC    INC    EXC\n" },
	{ NET_NAT, "mcfilter6",
	  "Idx Device                Multicast Address                   Source Address    INC    EXC\n" },
	{ NET_NAT, "anycast6",
	  "" },
};

/**
 * unpad() - check that each line of @text is 127 characters, and strip
 *	     the trailing spaces (seq_pad()), in place
 * @text:	a /proc/net/route
 */
static void unpad(char *text)
{
	char *line = text, *end, *out = text;
	size_t len;

	while ((end = strchr(line, '\n'))) {
		ck_assert_uint_eq((size_t)(end - line), 127);
		for (len = (size_t)(end - line); len && line[len - 1] == ' '; len--)
			;
		memmove(out, line, len);
		out += len;
		*out++ = '\n';
		line = end + 1;
	}
	*out = 0;
}

START_TEST(file_text)
{
	struct net_conf c = view(files[_i].mode);
	char buf[NP_TEXT_MAX];
	int len;

	if (BYTE_ORDER != LITTLE_ENDIAN && (!strcmp(files[_i].name, "route") ||
					    !strcmp(files[_i].name, "igmp")))
		return;
	len = np_text(&c, files[_i].name, buf, sizeof(buf));
	ck_assert_int_ge(len, 0);
	ck_assert_uint_eq((size_t)len, strlen(buf));
	if (!strcmp(files[_i].name, "route"))
		unpad(buf);
	ck_assert_str_eq(buf, files[_i].text);
}
END_TEST

/* Another address and prefix: the routes follow them */
START_TEST(route_other_net)
{
	struct net_conf c = view(NET_NAT);
	char buf[NP_TEXT_MAX];

	if (BYTE_ORDER != LITTLE_ENDIAN)
		return;
	inet_pton(AF_INET, "172.16.5.9", &c.ip4);
	inet_pton(AF_INET, "172.16.0.1", &c.gw4);
	c.prefix4 = 16;
	ck_assert_int_gt(np_text(&c, "route", buf, sizeof(buf)), 0);
	unpad(buf);
	ck_assert_str_eq(buf,
		"Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
		"eth0\t00000000\t010010AC\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
		"eth0\t000010AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n");
}
END_TEST

/* An address whose solicited-node group is the link-local one's: one
 * group with two users, one link-layer address (as the kernel shows) */
START_TEST(shared_group)
{
	struct net_conf c = view(NET_NAT);
	char buf[NP_TEXT_MAX];

	inet_pton(AF_INET6, "fd00::12:3456", &c.ip6);
	ck_assert_int_gt(np_text(&c, "dev_mcast", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf,
		"2    eth0            1     0     333300000001\n"
		"2    eth0            1     0     01005e000001\n"
		"2    eth0            1     0     3333ff123456\n");
	ck_assert_int_gt(np_text(&c, "igmp6", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf,
		"1    lo              ff020000000000000000000000000001     1 0000000C 0\n"
		"1    lo              ff010000000000000000000000000001     1 00000008 0\n"
		"2    eth0            ff0200000000000000000001ff123456     2 00000004 0\n"
		"2    eth0            ff020000000000000000000000000001     1 0000000C 0\n"
		"2    eth0            ff010000000000000000000000000001     1 00000008 0\n");
}
END_TEST

/* The names, and what is not a file of the view or does not fit */
START_TEST(names_and_errors)
{
	struct net_conf c = view(NET_NAT);
	char buf[NP_TEXT_MAX], small[64];
	unsigned int i;

	for (i = 0; np_name(i); i++)
		ck_assert_int_ge(np_text(&c, np_name(i), buf, sizeof(buf)), 0);
	ck_assert_uint_eq(i, sizeof(files) / sizeof(files[0]) / 2);
	ck_assert_int_eq(np_text(&c, "tcp", buf, sizeof(buf)), -ENOENT);
	ck_assert_int_eq(np_text(&c, "", buf, sizeof(buf)), -ENOENT);
	ck_assert_int_eq(np_text(&c, "dev", small, sizeof(small)), -ENOSPC);
	ck_assert_int_eq(np_text(&c, "dev", small, 0), -ENOSPC);
	ck_assert_int_eq(np_text(&c, "anycast6", small, sizeof(small)), 0);
	ck_assert_str_eq(small, "");
}
END_TEST

Suite *suite_netproc(void)
{
	Suite *s = suite_create("netproc");
	TCase *t = tcase_create("files");

	tcase_add_loop_test(t, file_text, 0, sizeof(files) / sizeof(files[0]));
	tcase_add_test(t, route_other_net);
	tcase_add_test(t, shared_group);
	tcase_add_test(t, names_and_errors);
	suite_add_tcase(s, t);
	return s;
}
