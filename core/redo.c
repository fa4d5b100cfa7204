// SPDX-License-Identifier: GPL-2.0-or-later
/* redo.c - a call the kernel makes in the guest's thread for the supervisor
 *
 * DOC: Theory of Operation
 *
 * Some results cannot be made by the supervisor and handed over: the kernel
 * passes no O_PATH file through SECCOMP_IOCTL_NOTIF_ADDFD, so an O_PATH fd
 * of a symlink whose guest path is not its host path (a bind elsewhere, a
 * root directory) can only be made by the guest's own thread.  facet_redo()
 * has that thread make it, with arguments the supervisor chose:
 *
 * 1. the trapped call is answered -ERESTARTNOINTR, after a PTRACE_INTERRUPT:
 *    the thread stops (PTRACE_EVENT_STOP) before it returns, and the kernel
 *    then restarts the call;
 * 2. at the restarted call's syscall-entry stop (PTRACE_SYSCALL), the data
 *    is written below the stack's red zone, and the registers are set to
 *    the new call;
 * 3. the new call reaches the filter as any call does; its notification is
 *    recognised here and let run (CONTINUE);
 * 4. at its syscall-exit stop the result is checked (an fd must be the
 *    object the supervisor found, else a close(2) is made the same way and
 *    the guest gets the module's errno), and the guest's registers come
 *    back with that result.
 *
 * The guest's call is restarted, not repeated.  A signal meanwhile is
 * delivered with the syscall stops kept: its handler's calls pass, and the
 * guest's call, restarted after it, is the one planted.  A handler that
 * never returns drops the redo; the call, should it come again, reaches
 * the module again by notification.  It costs four or five ptrace stops
 * (~40 us each here): only for what has no other way.
 *
 * From the write of the data to the check of the result, every other task
 * that shares the memory is held in ptrace (tracer_hold()), as for an
 * exec the supervisor rewrote: none can change the data between our write
 * and the kernel's read, nor use a wrong fd before it is closed.  The
 * result is checked all the same (an fd that is not the object the module
 * named is closed before the thread goes on).
 */
#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "dispatch.h"
#include "mem.h"
#include "redo.h"
#include "task.h"
#include "tracer.h"
#include "supervisor.h"

#define ERESTARTNOINTR 513	/* kernel-internal: restart the call */
#define REDO_DATA_MAX 4096
#define REDO_OTHERS_MAX 16	/* calls of a signal handler let pass first */

/**
 * struct redo - one call being made in a guest's thread
 * @state:	the stop awaited
 * @plan:	the call (its @data points to @buf)
 * @buf:	copy of the data
 * @nr:		the guest's call
 * @args:	its arguments
 * @planted:	the new call's arguments, as the filter will see them
 * @regs:	the thread's registers at the entry stop (the guest's own)
 * @ret:	the new call's result for the guest
 * @others:	syscall entries seen before the guest's call came back
 * @holding:	the tasks sharing the memory are held (tracer_hold())
 */
struct redo {
	enum { REDO_STOP, REDO_ENTRY, REDO_EXIT, REDO_CLOSE } state;
	struct facet_redo plan;
	unsigned char buf[REDO_DATA_MAX];
	int nr;
	uint64_t args[6];
	uint64_t planted[6];
	struct user_regs_struct regs;
	int64_t ret;
	unsigned int others;
	bool holding;
};

/**
 * redo_drop() - forget a task's redo, and let go of the tasks it holds
 * @f:	supervisor context
 * @t:	the task
 */
void redo_drop(struct facet *f, struct facet_task *t)
{
	struct redo *r = t->redo;

	if (!r)
		return;
	t->redo = NULL;
	if (r->holding)
		tracer_release(f, -t->tid);
	free(r);
}

/**
 * facet_redo() - have the kernel make another call in @call's thread
 *		  (facet_module.h)
 * @f:		supervisor context
 * @call:	the trapped call (by notification)
 * @p:		the call to make
 * Return: FACET_REPLY
 */
enum facet_outcome facet_redo(struct facet *f, struct facet_call *call,
			      const struct facet_redo *p)
{
	struct facet_task *t = call->task;
	struct redo *r;

	if (!t || NOTIF(call)->ptraced || p->len > REDO_DATA_MAX ||
	    !(r = calloc(1, sizeof(*r))))
		return facet_result(call, -p->fail);
	redo_drop(f, t);	/* a stale one: its call was restarted */
	r->plan = *p;
	memcpy(r->buf, p->data, p->len);
	r->plan.data = r->buf;
	r->nr = call->nr;
	memcpy(r->args, call->args, sizeof(r->args));
	if (ptrace(PTRACE_INTERRUPT, call->tid, 0, 0) < 0) {
		free(r);
		return facet_result(call, -p->fail);
	}
	t->redo = r;
	call->error = ERESTARTNOINTR;
	return FACET_REPLY;
}

/**
 * redo_call() - is this notification the call a redo planted?
 * @f:	supervisor context
 * @n:	the notification
 *
 * Any other call of the thread means its redo is stale (dropped).
 *
 * Return: true to let it run (CONTINUE)
 */
bool redo_call(struct facet *f, struct notif *n)
{
	struct facet_task *t = n->call.task;
	struct redo *r = t ? t->redo : NULL;

	if (!r)
		return false;
	if (r->state == REDO_EXIT && n->call.nr == r->plan.nr &&
	    !memcmp(n->call.args, r->planted, sizeof(r->planted)))
		return true;
	redo_drop(f, t);
	return false;
}

/**
 * redo_plant() - set up the new call at the restarted call's entry stop
 * @t:		the task
 * @r:		its redo
 * Return: 0, or -errno (the guest's call then fails with the plan's errno)
 */
static int redo_plant(struct facet_task *t, struct redo *r)
{
	struct user_regs_struct regs = r->regs;
	uint64_t sp = (regs.rsp - 128 - r->plan.len) & ~15ull;
	unsigned long long *a[6] = {
		&regs.rdi, &regs.rsi, &regs.rdx, &regs.r10, &regs.r8, &regs.r9 };
	int i, e;

	if (r->plan.len && (e = mem_write(t->tid, sp, r->buf, r->plan.len)) < 0)
		return e;
	for (i = 0; i < 6; i++) {
		r->planted[i] = r->plan.args[i];
		if (r->plan.data_args & (1u << i))
			r->planted[i] += sp;
		*a[i] = r->planted[i];
	}
	regs.orig_rax = (unsigned long long)r->plan.nr;
	return ptrace(PTRACE_SETREGS, t->tid, 0, &regs) < 0 ? -errno : 0;
}

/**
 * redo_same() - is the fd the new call made the object the plan names?
 * @t:	the task
 * @r:	its redo, @ret an fd
 * Return: true if so
 */
static bool redo_same(const struct facet_task *t, const struct redo *r)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/fd/%lld", t->tid, (long long)r->ret);
	return stat(path, &st) == 0 && st.st_dev == r->plan.dev &&
	       st.st_ino == r->plan.ino;
}

/**
 * redo_finish() - give the guest its registers back, with the result
 * @f:	supervisor context
 * @t:	the task, at a syscall-exit stop
 */
static void redo_finish(struct facet *f, struct facet_task *t)
{
	struct redo *r = t->redo;

	r->regs.rax = (unsigned long long)r->ret;
	ptrace(PTRACE_SETREGS, t->tid, 0, &r->regs);
	redo_drop(f, t);
	ptrace(PTRACE_CONT, t->tid, 0, 0);
}

/**
 * redo_exit() - the new call is done: check it, then finish or close
 * @f:		supervisor context
 * @t:		the task, at the new call's syscall-exit stop
 * @rval:	its result
 */
static void redo_exit(struct facet *f, struct facet_task *t, int64_t rval)
{
	struct redo *r = t->redo;
	struct user_regs_struct regs;

	r->ret = rval;
	if (!r->plan.check || rval < 0 || redo_same(t, r) ||
	    ptrace(PTRACE_GETREGS, t->tid, 0, &regs) < 0)
		return redo_finish(f, t);
	/* another object: close it with the same syscall instruction */
	r->ret = -r->plan.fail;
	r->state = REDO_CLOSE;
	regs.rip -= 2;
	regs.rax = __NR_close;
	regs.rdi = (unsigned long long)rval;
	ptrace(PTRACE_SETREGS, t->tid, 0, &regs);
	ptrace(PTRACE_SYSCALL, t->tid, 0, 0);
}

/**
 * redo_entry() - the restarted call's entry stop: plant the new call
 * @f:		supervisor context
 * @t:		the task
 * @info:	the stop
 */
static void redo_entry(struct facet *f, struct facet_task *t,
		       const struct __ptrace_syscall_info *info)
{
	struct redo *r = t->redo;
	int e;

	if ((int)info->entry.nr != r->nr ||
	    memcmp(info->entry.args, r->args, sizeof(r->args))) {
		/* a signal handler's call (rt_sigreturn at least): the
		 * guest's comes after it, or, if the handler jumped away, it
		 * comes back by notification later */
		if (++r->others < REDO_OTHERS_MAX) {
			ptrace(PTRACE_SYSCALL, t->tid, 0, 0);
			return;
		}
		redo_drop(f, t);
		ptrace(PTRACE_CONT, t->tid, 0, 0);
		return;
	}
	if (ptrace(PTRACE_GETREGS, t->tid, 0, &r->regs) < 0) {
		redo_drop(f, t);
		ptrace(PTRACE_CONT, t->tid, 0, 0);
		return;
	}
	/* nothing that shares the memory runs from our write to the check */
	r->holding = tracer_hold(f, t, -t->tid) > 0;
	if ((e = redo_plant(t, r)) < 0) {
		verbose(f, 1, "task %d: cannot make call %d for it: %s",
			t->tid, r->plan.nr, strerror(-e));
		r->regs.orig_rax = (unsigned long long)-1;	/* skip it */
		r->ret = -r->plan.fail;
		r->regs.rax = (unsigned long long)r->ret;
		ptrace(PTRACE_SETREGS, t->tid, 0, &r->regs);
		redo_drop(f, t);
		ptrace(PTRACE_CONT, t->tid, 0, 0);
		return;
	}
	r->state = REDO_EXIT;
	ptrace(PTRACE_SYSCALL, t->tid, 0, 0);
}

/**
 * redo_stopped() - a ptrace stop of a task with a redo under way
 * @f:		supervisor context
 * @t:		the task
 * @status:	wait status
 * Return: true if the stop was the redo's, and is handled
 */
bool redo_stopped(struct facet *f, struct facet_task *t, int status)
{
	struct redo *r = t->redo;
	struct __ptrace_syscall_info info;

	if (!r)
		return false;
	if (r->state == REDO_STOP) {
		if (status >> 16 != PTRACE_EVENT_STOP || WSTOPSIG(status) != SIGTRAP)
			return false;
		r->state = REDO_ENTRY;
		ptrace(PTRACE_SYSCALL, t->tid, 0, 0);
		return true;
	}
	if (status >> 16 || WSTOPSIG(status) != TRACER_SYSCALL_STOP ||
	    ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof(info), &info) <= 0 ||
	    (info.op != PTRACE_SYSCALL_INFO_ENTRY &&
	     info.op != PTRACE_SYSCALL_INFO_EXIT)) {
		/* a signal: delivered unchanged, the syscall stops kept (its
		 * handler runs, then the guest's call restarts) */
		if (status >> 16)
			return false;	/* group-stop: as any other */
		if (t->tid == f->child && WSTOPSIG(status) <= 64)
			f->child_sig_ms[WSTOPSIG(status)] = tracer_now_ms();
		tracer_signal(f, t);
		ptrace(PTRACE_SYSCALL, t->tid, 0, WSTOPSIG(status));
		return true;
	}
	if (r->state == REDO_ENTRY && info.op == PTRACE_SYSCALL_INFO_ENTRY)
		redo_entry(f, t, &info);
	else if (r->state == REDO_EXIT && info.op == PTRACE_SYSCALL_INFO_EXIT)
		redo_exit(f, t, info.exit.rval);
	else if (r->state == REDO_CLOSE && info.op == PTRACE_SYSCALL_INFO_EXIT)
		redo_finish(f, t);
	else	/* the entry of the close, or of a call the new one was not */
		ptrace(PTRACE_SYSCALL, t->tid, 0, 0);
	return true;
}
