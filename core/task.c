// SPDX-License-Identifier: GPL-2.0-or-later
/* task.c - the process table: guest threads keyed by tid
 *
 * DOC: Theory of Operation
 *
 * Every guest thread runs under the supervisor's ptrace with automatic attach
 * on fork, vfork and clone, so the tracer learns of each new thread (the
 * parent's PTRACE_EVENT_FORK/VFORK/CLONE and the child's first stop, in either
 * order) and of each death (wait status).  The table is a hash of tid ->
 * struct facet_task; it holds only what views need, never a copy of the
 * kernel's fd table, so dup2 or fork cannot desynchronise it.  A seccomp
 * notification from a thread not yet known (its creation event not yet read)
 * creates the entry early: task_get() is idempotent.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "supervisor.h"
#include "task.h"
#include "redo.h"
#include "tracer.h"

static unsigned int view_ids;

/**
 * view_new() - make a view with one reference
 * Return: the view (dies on allocation failure, at start-up only)
 */
struct view *view_new(void)
{
	struct view *v = calloc(1, sizeof(*v));

	if (!v)
		die("out of memory");
	v->refs = 1;
	v->id = ++view_ids;
	return v;
}

/**
 * view_get() - take a reference to @v
 * @v:	view, may be NULL
 * Return: @v
 */
struct view *view_get(struct view *v)
{
	if (v)
		v->refs++;
	return v;
}

/**
 * view_put() - drop a reference to @v, freeing it with the last
 * @v:	view, may be NULL
 */
void view_put(struct view *v)
{
	if (v && --v->refs == 0)
		free(v);
}

static unsigned int task_hash(const struct facet *f, pid_t tid)
{
	return (unsigned int)tid * 2654435761u % f->tasks_size;
}

/**
 * task_grow() - double the hash table when it fills up
 * @f:	supervisor context
 * Return: 0, or -ENOMEM (the table keeps working, only slower)
 */
static int task_grow(struct facet *f)
{
	unsigned int old = f->tasks_size, i;
	struct facet_task **tab = f->tasks, *t, *n;

	f->tasks = calloc(old ? old * 2 : 256, sizeof(*f->tasks));
	if (!f->tasks) {
		f->tasks = tab;
		return -ENOMEM;
	}
	f->tasks_size = old ? old * 2 : 256;
	for (i = 0; i < old; i++) {
		for (t = tab[i]; t; t = n) {
			n = t->next;
			t->next = f->tasks[task_hash(f, t->tid)];
			f->tasks[task_hash(f, t->tid)] = t;
		}
	}
	free(tab);
	return 0;
}

/**
 * task_find() - look up a thread
 * @f:		supervisor context
 * @tid:	thread id
 * Return: the task, or NULL if unknown
 */
struct facet_task *task_find(struct facet *f, pid_t tid)
{
	struct facet_task *t;

	if (!f->tasks_size)
		return NULL;
	for (t = f->tasks[task_hash(f, tid)]; t; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}

/**
 * task_get() - look up a thread, creating its entry if it is new
 * @f:		supervisor context
 * @tid:	thread id
 *
 * A new entry is its own process and has no view yet: task_inherit() gives
 * it the parent's once the creation event is read.
 *
 * Return: the task, or NULL if memory ran out
 */
struct facet_task *task_get(struct facet *f, pid_t tid)
{
	struct facet_task *t = task_find(f, tid);
	unsigned int h;

	if (t)
		return t;
	if (f->ntasks * 4 >= f->tasks_size * 3)
		task_grow(f);		/* load factor 3/4 */
	if (!f->tasks_size)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->tid = t->tgid = tid;
	t->continued = -1;
	h = task_hash(f, tid);
	t->next = f->tasks[h];
	f->tasks[h] = t;
	f->ntasks++;
	return t;
}

/**
 * task_inherit() - a new task takes what its creator sees
 * @f:		supervisor context
 * @parent:	the creating thread
 * @child:	the new thread or process
 * @thread:	the child shares the parent's thread group
 */
void task_inherit(struct facet *f, struct facet_task *parent,
		  struct facet_task *child, bool thread)
{
	int i;

	if (child->adopted)
		return;
	child->adopted = true;
	if (thread)
		child->tgid = parent->tgid;
	view_put(child->view);
	child->view = view_get(parent->view);
	for (i = 0; i < f->nmods; i++)
		if (f->mods[i].active && f->mods[i].m->task_new) {
			f->cur_mod = i;
			f->mods[i].m->task_new(f->mods[i].state, parent, child);
			f->cur_mod = -1;
		}
}

/**
 * task_unlink() - take @tid out of the hash table
 * @f:		supervisor context
 * @tid:	thread id
 * Return: the task, or NULL if it was not there
 */
static struct facet_task *task_unlink(struct facet *f, pid_t tid)
{
	struct facet_task **pp, *t;

	if (!f->tasks_size)
		return NULL;
	for (pp = &f->tasks[task_hash(f, tid)]; (t = *pp); pp = &t->next) {
		if (t->tid == tid) {
			*pp = t->next;
			f->ntasks--;
			return t;
		}
	}
	return NULL;
}

/**
 * task_remove() - forget a thread that is gone
 * @f:		supervisor context
 * @tid:	thread id; unknown ids are ignored
 */
void task_remove(struct facet *f, pid_t tid)
{
	struct facet_task *t = task_unlink(f, tid);
	int i;

	if (!t)
		return;
	if (t->exec_done.cb)
		tracer_exec_report(f, t, NULL, ESRCH);
	redo_drop(f, t);
	for (i = 0; i < f->nmods; i++)
		if (f->mods[i].active && f->mods[i].m->task_exit) {
			f->cur_mod = i;
			f->mods[i].m->task_exit(f->mods[i].state, t);
			f->cur_mod = -1;
		}
	view_put(t->view);
	free(t);
}

/**
 * task_free_all() - empty the table (supervisor exit, tests)
 * @f:	supervisor context
 */
void task_free_all(struct facet *f)
{
	unsigned int i;
	struct facet_task *t, *n;

	for (i = 0; i < f->tasks_size; i++) {
		for (t = f->tasks[i]; t; t = n) {
			n = t->next;
			view_put(t->view);
			free(t->redo);
			free(t);
		}
	}
	free(f->tasks);
	f->tasks = NULL;
	f->tasks_size = f->ntasks = 0;
}
