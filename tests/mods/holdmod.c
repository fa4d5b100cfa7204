// SPDX-License-Identifier: GPL-2.0-or-later
/* holdmod.c - test module: keeps a little state for every process created
 * after it is loaded, and lets it go when the process ends, so that
 * "facet-ctl rmmod hold" is busy (EBUSY) while such a process runs
 */
#include <stdlib.h>

#include "facet_module.h"

static struct facet *hold_f;

static int hold_init(struct facet *f, void *state)
{
	(void)state;
	hold_f = f;
	return 0;
}

static void hold_task_new(void *state, struct facet_task *parent,
			  struct facet_task *child)
{
	void **d = facet_task_data(hold_f, child);

	(void)state;
	(void)parent;
	if (d && !*d)
		*d = malloc(1);
}

static void hold_task_exit(void *state, struct facet_task *task)
{
	void **d = facet_task_data(hold_f, task);

	(void)state;
	if (d) {
		free(*d);
		*d = NULL;
	}
}

const struct facet_module facet_module = {
	.abi = FACET_MODULE_ABI,
	.size = sizeof(struct facet_module),
	.name = "hold",
	.summary = "test: holds state for each process started after it",
	.init = hold_init,
	.task_new = hold_task_new,
	.task_exit = hold_task_exit,
};
