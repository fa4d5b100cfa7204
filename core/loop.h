/* SPDX-License-Identifier: GPL-2.0-or-later */
/* loop.h - the supervisor's event loop */
#ifndef LOOP_H
#define LOOP_H

#include <signal.h>

struct facet;

void loop_init(struct facet *f);
void loop_signals(struct facet *f, sigset_t *old);
int loop_run(struct facet *f);

#endif /* LOOP_H */
