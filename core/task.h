/* SPDX-License-Identifier: GPL-2.0-or-later */
/* task.h - the process table: one entry per guest thread */
#ifndef TASK_H
#define TASK_H

#include <stdbool.h>
#include <sys/types.h>

#include "supervisor.h"

/**
 * struct view - what a group of processes sees
 * @refs:	tasks pointing here
 * @id:		number for messages and --trace
 *
 * Views are data (design notes, principle 5): fork shares the parent's, and
 * a change makes a copy.  Modules keep their per-view state keyed by view.
 */
struct view {
	unsigned int refs;
	unsigned int id;
};

/**
 * struct facet_task - one guest thread
 * @tid:	thread id in the supervisor's pid namespace
 * @tgid:	its thread group (process) id
 * @view:	the view it sees
 * @next:	hash chain
 * @adopted:	its parent's fork event was seen (view inherited)
 * @continued:	syscall number its last trapped call was let run by the
 *		kernel (CONTINUE), or -1: see tracer_signal()
 * @interrupted: its last deferred call was answered ERESTARTSYS on purpose
 * @vfork_parent: the thread waiting in vfork() for this one, or 0
 * @exec_hold:	it is execing with the tasks sharing its memory held still
 *		(see facet_exec_redirect()); they go on at its syscall exit
 * @held:	it is one of those held tasks, by the exec of process
 *		@held_by; @held_status is the stop it reported when held, to
 *		be handled when released
 * @exec_done:	what a module asked to be told when its exec has run
 *		(facet_exec_done()): callback, argument, module index
 * @redo:	a call the kernel makes in its place (redo.c), or NULL
 * @data:	each module's private pointer (facet_task_data())
 */
struct facet_task {
	pid_t tid;
	pid_t tgid;
	struct view *view;
	struct facet_task *next;
	bool adopted;
	int continued;
	bool interrupted;
	pid_t vfork_parent;
	bool exec_hold;
	bool held;
	pid_t held_by;
	int held_status;
	struct {
		void (*cb)(struct facet *f, struct facet_task *t, int error,
			   void *arg);
		void *arg;
		int mod;
	} exec_done;
	struct redo *redo;
	void *data[MODULES_MAX];
};

struct facet_task *task_find(struct facet *f, pid_t tid);
struct facet_task *task_get(struct facet *f, pid_t tid);
void task_inherit(struct facet *f, struct facet_task *parent,
		  struct facet_task *child, bool thread);
void task_remove(struct facet *f, pid_t tid);
void task_free_all(struct facet *f);

struct view *view_new(void);
struct view *view_get(struct view *v);
void view_put(struct view *v);

#endif /* TASK_H */
