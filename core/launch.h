/* SPDX-License-Identifier: GPL-2.0-or-later */
/* launch.h - starting the first guest */
#ifndef LAUNCH_H
#define LAUNCH_H

#include <linux/filter.h>
#include <signal.h>

struct facet;

void launch(struct facet *f, char **argv, const struct sock_fprog *prog,
	    const sigset_t *mask);

#endif /* LAUNCH_H */
