// SPDX-License-Identifier: GPL-2.0-or-later
/* temporary weak stubs until net_netlink.c lands */
#include <errno.h>
#include "net_internal.h"
__attribute__((weak)) enum facet_outcome nl_socket(struct net *n, struct facet_call *call, int type)
{ (void)n; (void)type; call->ret = -1; call->error = EAFNOSUPPORT; return FACET_REPLY; }
__attribute__((weak)) struct nl_sock *nl_find(struct net *n, int fd) { (void)n; (void)fd; return NULL; }
__attribute__((weak)) enum facet_outcome nl_call(struct net *n, struct facet_call *call, struct nl_sock *s, int fd)
{ (void)n; (void)call; (void)s; (void)fd; return FACET_PASS; }
__attribute__((weak)) enum facet_outcome nl_ioctl(struct net *n, struct facet_call *call) { (void)n; (void)call; return FACET_PASS; }
__attribute__((weak)) void nl_free_all(struct net *n) { (void)n; }
