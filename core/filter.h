/* SPDX-License-Identifier: GPL-2.0-or-later */
/* filter.h - the guest's seccomp filter */
#ifndef FILTER_H
#define FILTER_H

#include <linux/filter.h>

struct facet;

/* SECCOMP_RET_TRACE data marking facet's own exec traps */
#define FILTER_TRACE_EXEC 0xfac

int filter_build(struct facet *f, struct sock_fprog *prog);
int filter_load(const struct facet *f, const struct sock_fprog *prog);

#endif /* FILTER_H */
