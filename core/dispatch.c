// SPDX-License-Identifier: GPL-2.0-or-later
/* dispatch.c - route each trapped call to the modules, answer it
 *
 * DOC: Theory of Operation
 *
 * One notification is read per wake-up of the event loop (RECV blocks, so we
 * only call it when epoll says the listener is readable).  The call is
 * offered first to the raw syscall() hooks of the modules that trapped its
 * number, then to its core handler (sys_<name>, see syscalls.list), which
 * calls the module operations.  If nobody answers, the kernel runs the call
 * (CONTINUE): that only happens for calls trapped for --trace.
 *
 * Signals and the wait in the kernel.  Without WAIT_KILLABLE_RECV, any
 * signal aborts a pending notification and the call restarts: a guest
 * signalled faster than the supervisor answers (Go's runtime sends SIGURG
 * every ~10 ms; our storm test every 1 ms) keeps restarting, and a call that
 * had an effect (a file created) before its reply was refused would run
 * twice.  With it, once the supervisor has read the notification only a
 * fatal signal ends the wait: every call the supervisor answers at once
 * finishes, as a short uninterruptible sleep in the kernel would.  That is
 * the right choice for nearly every call, so the filter always asks for it.
 *
 * The other side: a call answered later (FACET_DEFER: a FUSE round trip, an
 * accept with no connection yet) may wait for long, and must stay
 * interruptible as under the kernel.  So deferred calls are per-call
 * interruptible: while any is pending, a timer (every SWEEP_MS) reads each
 * waiting thread's pending, blocked and caught signals from
 * /proc/TID/status.  A signal the thread will act on (caught, or a stop
 * signal) makes us cancel the module's work and answer -ERESTARTSYS, which
 * the kernel turns into EINTR or a restart as the handler's SA_RESTART says,
 * since that thread has the signal pending.  A process-wide signal in a
 * multi-threaded process may be taken by another thread, so we wait one more
 * sweep before deciding it is ours.  Cost: nothing for calls answered at
 * once; up to SWEEP_MS of latency to interrupt a deferred one.  On kernels
 * before 5.19 the kernel interrupts the wait itself, and the sweep only
 * finds the notifications that vanished (notify_valid()).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "dispatch.h"
#include "module.h"
#include "notify.h"
#include "procfs.h"
#include "redo.h"
#include "task.h"
#include "trace.h"

#define SWEEP_MS 5
#define ERESTARTSYS 512		/* kernel-internal: restart or EINTR */

/**
 * dispatch_by() - record which module answers @call
 * @call:	the call
 * @slot:	module slot
 * @f:		supervisor context
 */
void dispatch_by(struct facet_call *call, int slot, struct facet *f)
{
	NOTIF(call)->by = f->mods[slot].m->name;
}

/**
 * dispatch_from() - offer a call to the modules from position @first on
 * @f:		supervisor context
 * @n:		the call
 * @first:	first position in &struct facet.order to ask
 * Return: the outcome; for FACET_PASS the kernel should run it
 */
static enum facet_outcome dispatch_from(struct facet *f, struct notif *n,
					int first)
{
	const struct sys_desc *d;
	enum facet_outcome o;
	int k, i, nr = n->call.nr, saved = f->cur_mod;

	if (nr == FACET_SYS_CTL)
		return first ? FACET_PASS : ctl_call(f, &n->call);
	for (k = first; k < f->nmods; k++) {
		struct module_slot *s = &f->mods[i = f->order[k]];

		if (!s->active || !s->m->syscall || !bit_test(s->traps, nr))
			continue;
		n->by = s->m->name;	/* before: the handler may defer */
		f->cur_mod = i;
		o = s->m->syscall(s->state, &n->call);
		f->cur_mod = saved;
		if (o != FACET_PASS)
			return o;
		n->by = NULL;
	}
	d = nr >= 0 && nr < SYS_NR_MAX ? &sys_table[nr] : NULL;
	if (d && d->handler)
		return d->handler(f, &n->call);
	return FACET_PASS;
}

/**
 * dispatch_call() - find the answer to a call
 * @f:	supervisor context
 * @n:	the call
 * Return: the outcome; for FACET_PASS the kernel should run it
 */
enum facet_outcome dispatch_call(struct facet *f, struct notif *n)
{
	return dispatch_from(f, n, 0);
}

/**
 * dispatch_next() - offer a call to the modules after the one handling it
 * @f:		supervisor context
 * @call:	the call, from a module's syscall() method
 * Return: their outcome (FACET_PASS: nobody answered, the kernel would run it)
 */
enum facet_outcome dispatch_next(struct facet *f, struct facet_call *call)
{
	int k;

	if (f->cur_mod < 0)
		return FACET_PASS;
	for (k = 0; k < f->nmods && f->order[k] != f->cur_mod; k++)
		;
	return dispatch_from(f, NOTIF(call), k + 1);
}

/**
 * dispatch_answer() - send the answer of a call that is not deferred
 * @f:	supervisor context
 * @n:	the call
 * @o:	its outcome
 */
static void dispatch_answer(struct facet *f, struct notif *n,
			    enum facet_outcome o)
{
	bool cont = o != FACET_REPLY;
	struct facet_task *t = task_find(f, n->call.tid);
	int r;

	if (t) {	/* for tracer_signal() */
		t->continued = cont ? n->call.nr : -1;
		t->interrupted = !cont && n->call.error == ERESTARTSYS;
	}
	if (f->trace)
		trace_call(f, n, o);
	if (n->answered)
		return;
	r = notify_send(f->notify_fd, n->id, n->call.ret, n->call.error, cont);
	if (r < 0 && r != -ENOENT)
		warn("reply to task %d failed: %s", n->call.tid, strerror(-r));
}

/**
 * dispatch_req() - answer or defer one notification
 * @f:		supervisor context
 * @req:	what the kernel gave
 */
static void dispatch_req(struct facet *f, const struct seccomp_notif *req)
{
	struct notif n = { 0 };
	enum facet_outcome o;
	int i;

	n.id = req->id;
	n.call.nr = req->data.nr;
	n.call.tid = (pid_t)req->pid;
	for (i = 0; i < 6; i++)
		n.call.args[i] = req->data.args[i];
	n.call.task = task_get(f, n.call.tid);
	if (n.call.task && n.call.task->redo && redo_call(f, &n)) {
		dispatch_answer(f, &n, FACET_CONTINUE);	/* redo.c planted it */
		return;
	}
	o = dispatch_call(f, &n);
	if (o != FACET_DEFER)
		dispatch_answer(f, &n, o);
}

/**
 * dispatch_notify() - read one notification and answer or defer it
 * @f:	supervisor context
 */
void dispatch_notify(struct facet *f)
{
	struct seccomp_notif req;

	if (notify_recv(f->notify_fd, &req) < 0)
		return;		/* ENOENT: the caller went away meanwhile */
	dispatch_req(f, &req);
}

int facet_guest_calls_fd(struct facet *f)
{
	return f->notify_fd;
}

/**
 * facet_guest_calls() - take one notification while a module waits inside
 *			 a call: answer it now if @now says so, else keep it
 *			 for dispatch_queued()
 * @f:		supervisor context
 * @now:	does the wait depend on thread @tid (NULL: on none)?
 * @arg:	its argument
 */
void facet_guest_calls(struct facet *f, int (*now)(void *arg, pid_t tid),
		       void *arg)
{
	struct seccomp_notif req, *q;

	if (notify_recv(f->notify_fd, &req) < 0)
		return;
	if (now && now(arg, (pid_t)req.pid)) {
		dispatch_req(f, &req);
		return;
	}
	if (f->nqueued == f->queued_cap) {
		unsigned int cap = f->queued_cap ? f->queued_cap * 2 : 16;

		if (!(q = realloc(f->queued, cap * sizeof(*q)))) {
			/* no room to keep it: the caller sees a failed call */
			notify_send(f->notify_fd, req.id, 0, ENOMEM, false);
			return;
		}
		f->queued = q;
		f->queued_cap = cap;
	}
	f->queued[f->nqueued++] = req;
}

/**
 * dispatch_queued() - answer the calls facet_guest_calls() kept, in order
 * @f:		supervisor context
 */
void dispatch_queued(struct facet *f)
{
	struct seccomp_notif req;

	while (f->nqueued) {
		req = f->queued[0];
		memmove(f->queued, f->queued + 1, --f->nqueued * sizeof(req));
		if (notify_valid(f->notify_fd, req.id))
			dispatch_req(f, &req);
	}
}

/**
 * dispatch_sweep_arm() - run the sweep timer while calls are deferred
 * @f:	supervisor context
 */
static void dispatch_sweep_arm(struct facet *f)
{
	struct itimerspec its = { 0 };

	if (f->ndeferred) {
		its.it_interval.tv_nsec = SWEEP_MS * 1000000L;
		its.it_value = its.it_interval;
	}
	timerfd_settime(f->sweep_fd, 0, &its, NULL);
}

/**
 * facet_defer() - take over a call, to answer it later
 * @f:		supervisor context
 * @call:	the call, as given to the handler
 * @cancel:	called if the guest stops waiting first, or NULL
 * @arg:	argument of @cancel
 * Return: handle for facet_reply(), or NULL (out of memory: answer now)
 */
struct facet_deferred *facet_defer(struct facet *f, struct facet_call *call,
				   void (*cancel)(void *arg), void *arg)
{
	struct facet_deferred *d;

	if (NOTIF(call)->ptraced)
		return NULL;	/* an exec is answered while the task is held */
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->n = *NOTIF(call);
	d->n.call.task = NULL;	/* may be gone by the time we answer */
	d->cancel = cancel;
	d->arg = arg;
	d->next = f->deferred;
	if (d->next)
		d->next->prev = d;
	f->deferred = d;
	if (f->ndeferred++ == 0)
		dispatch_sweep_arm(f);
	return d;
}

/**
 * facet_deferred_call() - the call a deferred handle stands for
 * @d:	the handle
 * Return: its call, valid until facet_reply()
 */
struct facet_call *facet_deferred_call(struct facet_deferred *d)
{
	return &d->n.call;
}

/**
 * dispatch_unlink() - take @d off the deferred list
 * @f:	supervisor context
 * @d:	deferred call
 */
static void dispatch_unlink(struct facet *f, struct facet_deferred *d)
{
	if (d->prev)
		d->prev->next = d->next;
	else
		f->deferred = d->next;
	if (d->next)
		d->next->prev = d->prev;
	if (--f->ndeferred == 0)
		dispatch_sweep_arm(f);
}

/**
 * facet_reply() - answer a deferred call
 * @f:		supervisor context
 * @d:		from facet_defer(); freed here
 * @ret:	result when @error is 0
 * @error:	positive errno, or 0
 */
void facet_reply(struct facet *f, struct facet_deferred *d, int64_t ret,
		 int error)
{
	dispatch_unlink(f, d);
	d->n.call.ret = ret;
	d->n.call.error = error;
	dispatch_answer(f, &d->n, FACET_REPLY);
	free(d);
}

/**
 * dispatch_signalled() - does a deferred call's thread have a signal to act on?
 * @d:	deferred call
 * Return: 1 if so, 0 if not, -1 if it may be another thread's to take
 */
static int dispatch_signalled(struct facet_deferred *d)
{
	/* default action "ignore" (or continue): nothing to interrupt for */
	const uint64_t mild = 1ull << (SIGCHLD - 1) | 1ull << (SIGCONT - 1) |
			      1ull << (SIGURG - 1) | 1ull << (SIGWINCH - 1);
	char buf[2048];
	uint64_t act, cgt, ign;

	if (proc_status(d->n.call.tid, buf, sizeof(buf)) <= 0)
		return 0;
	cgt = proc_status_mask(buf, "SigCgt:");
	ign = proc_status_mask(buf, "SigIgn:");
	/* caught, or stopping or killing by default: a traced task's
	 * killable wait is not ended by the kernel for a fatal signal, so
	 * the answer ERESTARTSYS lets it act */
	act = (cgt | (~(cgt | ign) & ~mild)) & ~proc_status_mask(buf, "SigBlk:");
	if (proc_status_mask(buf, "SigPnd:") & act)
		return 1;
	if (!(proc_status_mask(buf, "ShdPnd:") & act))
		return 0;
	return proc_status_number(buf, "Threads:") == 1 ? 1 : -1;
}

/**
 * dispatch_sweep() - check every deferred call: is its guest still waiting,
 *		      and should a signal interrupt it?
 * @f:	supervisor context
 */
void dispatch_sweep(struct facet *f)
{
	struct facet_deferred *d, *next;
	uint64_t ticks;
	int sig;

	if (read(f->sweep_fd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		return;
	for (d = f->deferred; d; d = next) {
		next = d->next;
		if (!notify_valid(f->notify_fd, d->n.id)) {
			sig = 0;	/* gone, or interrupted by the kernel */
		} else {
			sig = f->feat.waitkill ? dispatch_signalled(d) : 0;
			if (sig < 0 && ++d->waited < 2)
				continue;
			if (!sig)
				continue;
		}
		dispatch_unlink(f, d);
		if (d->cancel)
			d->cancel(d->arg);
		if (sig) {
			d->n.call.error = ERESTARTSYS;
			dispatch_answer(f, &d->n, FACET_REPLY);
		}
		free(d);
	}
}
