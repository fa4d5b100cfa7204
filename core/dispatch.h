/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dispatch.h - routing trapped calls to modules, deferred replies */
#ifndef DISPATCH_H
#define DISPATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "supervisor.h"

/**
 * struct notif - a trapped call as the core holds it
 * @call:	what modules see (first member: container_of)
 * @id:		the notification cookie
 * @by:		name of the module that answered, NULL for the kernel
 * @ptraced:	delivered by the tracer (exec), not by notification: the
 *		task is stopped, @id means nothing, and it cannot be deferred
 * @answered:	already answered by facet_addfd() (ADDFD with SEND)
 * @regs:	for @ptraced: the task's registers (struct user_regs_struct),
 *		which facet_exec_redirect() may change
 */
struct notif {
	struct facet_call call;
	uint64_t id;
	const char *by;
	bool ptraced;
	bool answered;
	void *regs;
};

#define NOTIF(c) ((struct notif *)((char *)(c) - offsetof(struct notif, call)))

/**
 * struct facet_deferred - a call answered later
 * @n:		the call, copied
 * @cancel:	module's clean-up if the guest stops waiting
 * @arg:	its argument
 * @waited:	sweeps seen with a signal pending that another thread may take
 * @prev, @next: list of f->deferred
 */
struct facet_deferred {
	struct notif n;
	void (*cancel)(void *arg);
	void *arg;
	unsigned int waited;
	struct facet_deferred *prev, *next;
};

void dispatch_notify(struct facet *f);
void dispatch_queued(struct facet *f);
enum facet_outcome ctl_call(struct facet *f, struct facet_call *call);
enum facet_outcome dispatch_call(struct facet *f, struct notif *n);
enum facet_outcome dispatch_next(struct facet *f, struct facet_call *call);
void dispatch_sweep(struct facet *f);
void dispatch_by(struct facet_call *call, int slot, struct facet *f);

#endif /* DISPATCH_H */
