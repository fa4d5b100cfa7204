// SPDX-License-Identifier: GPL-2.0-or-later
/* ctl.c - the control call: how facet-mount, facet-umount and facet-ctl,
 * run inside a view, talk to the supervisor
 *
 * DOC: Theory of Operation
 * FACET_SYS_CTL is a syscall number no kernel has.  The filter always sends
 * it here; outside facet the kernel answers ENOSYS, which is how the
 * utilities know where they run.  Its first argument is the operation:
 * PROBE and STATUS are the core's, every other one is offered to the
 * active modules' ctl() methods in turn, the way raw syscalls are.  No
 * capability is asked for: what a process changes is its own view, and
 * the modules check that it names only what that view already shows.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dispatch.h"
#include "module.h"
#include "task.h"

/**
 * ctl_tasks() - a "task" line for each guest thread facet knows
 * @f:		supervisor context
 * @out:	where to
 */
static void ctl_tasks(struct facet *f, FILE *out)
{
	char path[64], comm[32];
	struct facet_task *t;
	unsigned int i;
	FILE *c;

	for (i = 0; i < f->tasks_size; i++)
		for (t = f->tasks[i]; t; t = t->next) {
			snprintf(path, sizeof(path), "/proc/%d/comm", t->tid);
			*comm = 0;
			if ((c = fopen(path, "re"))) {
				if (!fgets(comm, sizeof(comm), c))
					*comm = 0;
				fclose(c);
			}
			comm[strcspn(comm, "\n")] = 0;
			fprintf(out, "task\t%d\t%d\t%s\n", t->tid, t->tgid, comm);
		}
}

/**
 * ctl_status() - FACET_CTL_STATUS: what facet does, as lines
 * @f:		supervisor context
 * @call:	the call: args[1] buffer, args[2] its size
 * Return: FACET_REPLY (the length, written only if it fits with its NUL)
 */
static enum facet_outcome ctl_status(struct facet *f, struct facet_call *call)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int i, e = 0;

	if (!out) {
		call->error = ENOMEM;
		return FACET_REPLY;
	}
	fprintf(out, "facet\t%s\t%d\n", FACET_VERSION, (int)getpid());
	for (i = 0; i < f->nmods; i++) {
		struct module_slot *s = &f->mods[i];

		if (s->removed)
			continue;
		fprintf(out, "module\t%s\t%s\t%s\n", s->m->name,
			s->active ? "active" : "inactive", s->dl ? "loaded" : "built-in");
		if (s->active && MODULE_HAS(s->m, offsetof(struct facet_module, status))) {
			f->cur_mod = i;
			s->m->status(s->state, call, out);
			f->cur_mod = -1;
		}
	}
	ctl_tasks(f, out);
	if (fclose(out) || !buf) {
		free(buf);
		call->error = ENOMEM;
		return FACET_REPLY;
	}
	if (len + 1 <= call->args[2])
		e = facet_write(f, call, call->args[1], buf, len + 1);
	free(buf);
	call->error = e < 0 ? -e : 0;
	call->ret = (int64_t)len;
	return FACET_REPLY;
}

static pid_t ctl_caller;	/* process of the rmmod, which holds nothing */

/**
 * ctl_busy() - does a deferred call or another process's task data still
 *		hold module @slot?
 * @f:		supervisor context
 * @slot:	the module
 * Return: true if so
 */
static bool ctl_busy(struct facet *f, int slot)
{
	const char *name = f->mods[slot].m->name;
	struct facet_deferred *d;
	struct facet_task *t;
	unsigned int i;

	for (d = f->deferred; d; d = d->next)
		if (d->n.by == name)
			return true;
	for (i = 0; i < f->tasks_size; i++)
		for (t = f->tasks[i]; t; t = t->next)
			if (t->data[slot] && t->tgid != ctl_caller)
				return true;
	return false;
}

/**
 * ctl_modules() - FACET_CTL_INSMOD (path, args) and FACET_CTL_RMMOD (name)
 * @f:		supervisor context
 * @call:	the call
 * @op:		which
 * Return: FACET_REPLY
 *
 * A module runs in the supervisor, with all it can do: loading one is for
 * a session started with --allow-insmod only.  The file is the one the
 * caller's view shows, opened once and loaded from that fd.
 */
static enum facet_outcome ctl_modules(struct facet *f, struct facet_call *call,
				      unsigned int op)
{
	char a[PATH_MAX], b[1024], path[64];
	int fd, e;

	call->ret = 0;
	if (!call->args[1] || facet_read_string(f, call, call->args[1], a, sizeof(a)) < 0) {
		call->error = EFAULT;
		return FACET_REPLY;
	}
	if (op == FACET_CTL_RMMOD) {
		ctl_caller = call->task ? facet_task_tgid(call->task) : 0;
		e = module_rmmod(f, a, ctl_busy);
		call->error = -e;
		return FACET_REPLY;
	}
	if (!f->allow_insmod) {
		call->error = EPERM;
		return FACET_REPLY;
	}
	*b = 0;
	if (call->args[2] && facet_read_string(f, call, call->args[2], b, sizeof(b)) < 0) {
		call->error = EFAULT;
		return FACET_REPLY;
	}
	if ((fd = facet_resolve(f, call, AT_FDCWD, a, 0)) < 0) {
		call->error = -fd;
		return FACET_REPLY;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	e = module_insmod(f, path, *b ? b : NULL);
	close(fd);
	call->error = e == -ENOENT ? ENOEXEC : -e;
	return FACET_REPLY;
}

/**
 * ctl_call() - a call of FACET_SYS_CTL
 * @f:		supervisor context
 * @call:	the call
 * Return: outcome
 */
enum facet_outcome ctl_call(struct facet *f, struct facet_call *call)
{
	unsigned int op = (unsigned int)call->args[0];
	enum facet_outcome o;
	int i;

	if (op == FACET_CTL_PROBE) {
		call->ret = FACET_CTL_MAGIC;
		return FACET_REPLY;
	}
	if (op == FACET_CTL_STATUS)
		return ctl_status(f, call);
	if (op == FACET_CTL_INSMOD || op == FACET_CTL_RMMOD)
		return ctl_modules(f, call, op);
	for (i = 0; i < f->nmods; i++) {
		struct module_slot *s = &f->mods[i];

		if (!s->active || !MODULE_HAS(s->m, offsetof(struct facet_module, ctl)))
			continue;
		dispatch_by(call, i, f);
		f->cur_mod = i;
		o = s->m->ctl(s->state, call, op);
		f->cur_mod = -1;
		if (o != FACET_PASS)
			return o;
	}
	call->error = EOPNOTSUPP;	/* no module does that here */
	return FACET_REPLY;
}
