// SPDX-License-Identifier: GPL-2.0-or-later
/* limits.c - the limits module: --pids N, a bound on the guests' tasks
 *
 * The kernel's RLIMIT_NPROC counts every process of the user, the guests'
 * and the host's alike, and does not bind root.  So the supervisor counts
 * the guests itself: every guest thread is its tracee, and each creation
 * and death reaches the module (task_new, task_exit).  With --pids, fork,
 * vfork, clone and clone3 are trapped; one that would make the guests more
 * than N tasks (threads count, as in a cgroup's pids.max) fails with
 * EAGAIN, as the kernel's limits make it fail.
 *
 * A creation the module let through is counted as pending until its task
 * is seen, so that guests forking at once cannot go past N together; a
 * pending one that never shows (the kernel refused it) is forgotten after
 * a second.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>

#include "facet_module.h"

#define LIMITS_PENDING	64	/* creations let through, not yet seen */
#define LIMITS_STALE_MS	1000	/* a pending creation older than this failed */

/**
 * struct limits - the module's state
 * @f:		supervisor context
 * @max:	--pids: most guest tasks
 * @tasks:	guest tasks alive (the first guest is one)
 * @pending:	when each creation let through was (ms), oldest first
 * @npending:	how many
 */
struct limits {
	struct facet *f;
	unsigned long max;
	unsigned long tasks;
	long long pending[LIMITS_PENDING];
	int npending;
};

static const struct facet_option limits_options[] = {
	{ "pids", "N", "the guests may have N tasks (processes and threads) at most: fork and clone fail with EAGAIN beyond", 0 },
	{ NULL, NULL, NULL, 0 },
};

/* CLOCK_MONOTONIC in milliseconds */
static long long limits_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/**
 * pending_drop() - forget the oldest @n pending creations
 * @l:		module state
 * @n:		how many
 */
static void pending_drop(struct limits *l, int n)
{
	if (n > l->npending)
		n = l->npending;
	memmove(l->pending, l->pending + n, (size_t)(l->npending - n) * sizeof(*l->pending));
	l->npending -= n;
}

/**
 * limits_option() - --pids N
 * @f:		supervisor context
 * @state:	module state, made here
 * @name:	option name
 * @value:	its argument
 * Return: 0 or -errno (message printed)
 */
static int limits_option(struct facet *f, void **state, const char *name,
			 const char *value)
{
	struct limits *l = *state;
	unsigned long v;
	char *end;

	if (!name || !value)
		return -EINVAL;
	if (!l) {
		if (!(l = *state = calloc(1, sizeof(*l))))
			return -ENOMEM;
		l->f = f;
		l->tasks = 1;
	}
	errno = 0;
	v = strtoul(value, &end, 10);
	if (errno || end == value || *end || *value == '-' || v < 1 || v > 4194304) {
		facet_error(f, "--pids %s: expected a whole number from 1 to 4194304", value);
		return -EINVAL;
	}
	l->max = v;
	return 0;
}

/**
 * limits_init() - trap the calls that make tasks
 * @f:		supervisor context
 * @state:	module state
 * Return: 0 or -errno
 */
static int limits_init(struct facet *f, void *state)
{
	static const int nrs[] = { __NR_fork, __NR_vfork, __NR_clone, __NR_clone3 };
	size_t i;
	int e = 0;

	(void)state;
	for (i = 0; !e && i < sizeof(nrs) / sizeof(*nrs); i++)
		e = facet_trap(f, nrs[i]);
	return e;
}

/**
 * limits_syscall() - a guest makes a task: let it, or EAGAIN past --pids
 * @state:	module state
 * @call:	fork, vfork, clone or clone3
 * Return: FACET_CONTINUE, or the outcome of a module after this one
 */
static enum facet_outcome limits_syscall(void *state, struct facet_call *call)
{
	struct limits *l = state;
	long long now = limits_now();
	enum facet_outcome o;
	int stale = 0;

	/* a later module may refuse it (a sandbox's clone3): not counted */
	if ((o = facet_next(l->f, call)) != FACET_PASS)
		return o;
	while (stale < l->npending && now - l->pending[stale] > LIMITS_STALE_MS)
		stale++;
	pending_drop(l, stale);
	if (l->tasks + (unsigned long)l->npending >= l->max) {
		call->error = EAGAIN;
		return FACET_REPLY;
	}
	if (l->npending == LIMITS_PENDING)
		pending_drop(l, 1);
	l->pending[l->npending++] = now;
	return FACET_CONTINUE;
}

/**
 * limits_task_new() - a task the count was waiting for
 * @state:	module state
 * @parent:	its creator
 * @child:	the task
 */
static void limits_task_new(void *state, struct facet_task *parent,
			    struct facet_task *child)
{
	struct limits *l = state;

	(void)parent;
	(void)child;
	l->tasks++;
	pending_drop(l, 1);
}

/**
 * limits_task_exit() - a task is gone
 * @state:	module state
 * @task:	the task
 */
static void limits_task_exit(void *state, struct facet_task *task)
{
	struct limits *l = state;

	(void)task;
	if (l->tasks)
		l->tasks--;
}

/**
 * limits_fini() - free the module's state
 * @state:	module state
 */
static void limits_fini(void *state)
{
	free(state);
}

const struct facet_module limits_module = {
	.abi = FACET_MODULE_ABI,
	.size = sizeof(struct facet_module),
	.name = "limits",
	.summary = "bounds on what the guests use (tasks)",
	.options = limits_options,
	.option = limits_option,
	.init = limits_init,
	.fini = limits_fini,
	.syscall = limits_syscall,
	.task_new = limits_task_new,
	.task_exit = limits_task_exit,
};
