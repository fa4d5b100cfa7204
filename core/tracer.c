// SPDX-License-Identifier: GPL-2.0-or-later
/* tracer.c - the ptrace side channel: task lifecycle, exec, job control
 *
 * DOC: Theory of Operation
 *
 * Every guest thread is traced by the supervisor (PTRACE_SEIZE on the first
 * guest, automatic attach for every fork, vfork and clone after it), but
 * never with PTRACE_SYSCALL: the only stops are
 *
 * - creation (PTRACE_EVENT_FORK/VFORK/CLONE in the parent, a first
 *   PTRACE_EVENT_STOP in the child): the process table learns of the task
 *   and the child inherits its parent's view;
 * - exec, as a SECCOMP_RET_TRACE stop before it (FILTER_TRACE_EXEC), only
 *   when a module traps execve/execveat or --trace is on: the modules see it
 *   there and may refuse or rewrite it.  There is no stop after an exec
 *   (PTRACE_O_TRACEEXEC): each stop costs ~40 us here.  Without it, a
 *   non-leader thread that execs takes over the leader's tid unseen; the
 *   leader's entry then stands for the new program, which shares its view,
 *   and the thread's old entry lingers until the supervisor ends;
 * - signal delivery: every signal is re-injected unchanged;
 * - group-stop (SIGSTOP, SIGTSTP, ...): PTRACE_LISTEN keeps the task stopped
 *   until SIGCONT without holding it in ptrace.  When the first guest stops
 *   for job control, the supervisor stops itself with the same signal, so the
 *   shell that started facet sees its job stopped, as it would natively;
 * - death, in the wait status.
 *
 * Untraced syscalls cost nothing extra.  Being the tracer also makes the
 * supervisor fail closed: PTRACE_O_EXITKILL sends SIGKILL to every guest if
 * the supervisor dies, however it dies, and no guest can be traced (and so
 * steered) by another.  The price is that a guest cannot itself use ptrace
 * (gdb, strace) inside facet.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <linux/kcmp.h>
#include <sys/wait.h>
#include <sched.h>
#include <time.h>

#define ERESTARTSYS 512	/* kernel-internal restart codes */
#define ERESTARTNOINTR 513
#include <unistd.h>

#include "filter.h"
#include "mem.h"
#include "procfs.h"
#include "redo.h"
#include "task.h"
#include "dispatch.h"
#include "trace.h"
#include "tracer.h"
#include "supervisor.h"

/**
 * tracer_now_ms() - monotonic clock in milliseconds
 * Return: the time
 */
uint64_t tracer_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/**
 * tracer_resume() - restart a stopped tracee
 * @tid:	tracee
 * @sig:	signal to deliver, 0 for none
 */
static void tracer_resume(pid_t tid, int sig)
{
	if (ptrace(PTRACE_CONT, tid, 0, sig) < 0 && errno != ESRCH)
		warn("cannot resume task %d: %s", tid, strerror(errno));
}

/**
 * tracer_suspend_self() - stop the supervisor as its first guest stopped
 * @f:		supervisor context
 * @sig:	the stop signal
 *
 * The signal is blocked (signalfd); we queue it, then unblock it so its
 * default action (stop) takes place; SIGCONT wakes us and we block it again.
 */
static void tracer_suspend_self(struct facet *f, int sig)
{
	sigset_t set;

	verbose(f, 2, "first guest stopped by SIG%s: stopping too", sigabbrev_np(sig));
	sigemptyset(&set);
	sigaddset(&set, sig);
	if (sig == SIGSTOP) {
		raise(SIGSTOP);
		return;
	}
	kill(f->self, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

/**
 * tracer_was_gone() - did @tid die before its creation event was read?
 * @f:		supervisor context
 * @tid:	the new task of a fork/vfork/clone event
 *
 * The child's first stop, its whole life and its death can all be reported
 * before the parent's creation event (they are separate tasks, and waitpid
 * picks either); that event must not bring the dead child back.
 *
 * Return: true if @tid is in the ring of such deaths (and takes it out)
 */
static bool tracer_was_gone(struct facet *f, pid_t tid)
{
	unsigned int i;

	for (i = 0; i < sizeof(f->gone) / sizeof(f->gone[0]); i++) {
		if (f->gone[i] == tid) {
			f->gone[i] = 0;
			return true;
		}
	}
	return false;
}

/**
 * tracer_exited() - a tracee is gone
 * @f:		supervisor context
 * @tid:	its tid
 * @status:	wait status
 */
static void tracer_exited(struct facet *f, pid_t tid, int status)
{
	struct facet_task *t = task_find(f, tid);

	if (tid == f->child) {
		f->child_status = status;
		f->child_done = true;
	}
	if (!t || !t->adopted)	/* its creation event is still to come */
		f->gone[f->ngone++ % (sizeof(f->gone) / sizeof(f->gone[0]))] = tid;
	if (t && t->exec_hold) {	/* killed in its exec: let the others go */
		t->exec_hold = false;
		tracer_release(f, t->tgid);
	}
	task_remove(f, tid);
}

/**
 * tracer_new_task() - a tracee created a thread or process
 * @f:		supervisor context
 * @parent:	the creator's tid
 * @event:	PTRACE_EVENT_FORK, _VFORK or _CLONE
 */
static void tracer_new_task(struct facet *f, pid_t parent, int event)
{
	struct facet_task *p = task_get(f, parent), *c;
	unsigned long msg;
	bool thread = false;
	char path[64];

	if (ptrace(PTRACE_GETEVENTMSG, parent, 0, &msg) < 0 || !p)
		return;
	if (!task_find(f, (pid_t)msg) && tracer_was_gone(f, (pid_t)msg))
		return;		/* it lived and died before we read this */
	c = task_get(f, (pid_t)msg);
	if (!c)
		return;
	if (event == PTRACE_EVENT_VFORK)
		c->vfork_parent = parent;
	if (event == PTRACE_EVENT_CLONE) {
		/* clone() without CLONE_THREAD makes a process: ask /proc */
		snprintf(path, sizeof(path), "/proc/%d/task/%lu", p->tgid, msg);
		thread = access(path, F_OK) == 0;
	}
	task_inherit(f, p, c, thread);
}

/**
 * tracer_adopt() - give a new task its creator's view before it runs
 * @f:	supervisor context
 * @t:	the task, at its first stop, its creation event not read yet
 *
 * The creator is held at its fork/clone event stop until we read that, so
 * what it sees now is what the child must inherit; /proc says who it is.
 */
static void tracer_adopt(struct facet *f, struct facet_task *t)
{
	struct facet_task *p;
	char buf[2048];
	long tgid, ppid;

	if (proc_status(t->tid, buf, sizeof(buf)) <= 0)
		return;
	tgid = proc_status_number(buf, "Tgid:");
	ppid = proc_status_number(buf, "PPid:");
	if (tgid > 0 && tgid != t->tid)
		p = task_find(f, (pid_t)tgid);
	else
		p = ppid > 0 ? task_find(f, (pid_t)ppid) : NULL;
	if (p)
		task_inherit(f, p, t, p->tgid == tgid);
}

/**
 * tracer_shares_mm() - does @u run in the same memory as @t?
 * @t:	one task
 * @u:	another
 * Return: true for threads of one process, and for processes made with
 * CLONE_VM (vfork, posix_spawn) while they share it
 */
static bool tracer_shares_mm(const struct facet_task *t,
			     const struct facet_task *u)
{
	if (t->tgid == u->tgid)
		return true;
	return syscall(SYS_kcmp, t->tid, u->tid, KCMP_VM, 0, 0) == 0;
}

/**
 * tracer_is_deferred() - is @tid waiting for a deferred reply?
 * @f:		supervisor context
 * @tid:	thread id
 * Return: true if so: it sleeps in the kernel until we answer
 */
static bool tracer_is_deferred(struct facet *f, pid_t tid)
{
	struct facet_deferred *d;

	for (d = f->deferred; d; d = d->next)
		if (d->n.call.tid == tid)
			return true;
	return false;
}

/**
 * tracer_in_vfork() - is @u asleep in vfork(), its child not yet gone to
 *		       a program of its own?
 * @f:		supervisor context
 * @u:		a task
 * Return: true if so: it cannot run (nor stop) before that child execs or
 *	   exits, and that child, sharing the memory, is held with the rest
 */
static bool tracer_in_vfork(struct facet *f, const struct facet_task *u)
{
	const struct facet_task *v;
	unsigned int b;

	for (b = 0; b < f->tasks_size; b++)
		for (v = f->tasks[b]; v; v = v->next)
			if (v->vfork_parent == u->tid && v != u &&
			    tracer_shares_mm(u, v))
				return true;
	return false;
}

/**
 * tracer_proc_stopped() - is @tid in a stop already (its report taken)?
 * @tid:	thread
 * Return: true if /proc says it is stopped (t or T)
 */
static bool tracer_proc_stopped(pid_t tid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && (p[2] == 't' || p[2] == 'T');
}

/**
 * tracer_hold_wait() - wait until a task asked to stop does
 * @f:	supervisor context
 * @u:	the task, after PTRACE_INTERRUPT
 *
 * Whatever stop it reports first (the interrupt, a syscall, a signal)
 * holds it; that status is handled when it is released.  A task whose
 * stop was reported already (its status waits in the loop's queue, or it
 * is in a group-stop) reports nothing new now.  It is held all the same,
 * with status 0: its stop, when the loop handles it, is kept for the
 * release (tracer_stopped()).  So is the stop of a task that does not stop
 * within a second (asleep in the kernel beyond reach), rather than wait
 * on it for ever: the interrupt stops it before it runs a user
 * instruction, and it stays stopped until the release.
 */
static void tracer_hold_wait(struct facet *f, struct facet_task *u)
{
	struct timespec nap = { 0, 100000 };
	pid_t tid = u->tid, r;
	int st, i;

	for (i = 0; i < 10000; i++) {
		r = waitpid(tid, &st, __WALL | WNOHANG);
		if (r == tid)
			break;
		if (r < 0 && errno != EINTR) {
			u->held = false;
			return;
		}
		if (i > 10 && tracer_proc_stopped(tid)) {
			/* it may have stopped just now: then this takes it */
			r = waitpid(tid, &st, __WALL | WNOHANG);
			if (r == tid)
				break;
			if (r == 0) {
				u->held_status = 0;
				return;
			}
		}
		if (i < 100)
			sched_yield();	/* it needs a CPU to stop: give ours */
		else
			nanosleep(&nap, NULL);
	}
	if (i == 10000) {
		u->held_status = 0;
		return;
	}
	if (WIFSTOPPED(st)) {
		u->held_status = st;
		return;
	}
	u->held = false;
	tracer_exited(f, tid, st);	/* frees u */
}

/**
 * tracer_hold() - stop every other task that shares @t's memory
 * @f:	supervisor context
 * @t:	a task about to exec with strings the supervisor wrote, or to make
 *	a call with data it wrote (redo.c)
 * @by:	the holder's mark, given to tracer_release() (an exec's tgid, a
 *	redo's -tid)
 *
 * Threads and CLONE_VM processes could rewrite those strings between our
 * write and the kernel's read; held in ptrace, they cannot.  Tasks asleep
 * until we act (a deferred call, the vfork parent) need no stopping, nor
 * can they be stopped: a thread asleep in vfork() for another child, which
 * waits at its own exec for us, would never stop, and we would wait on it
 * for ever.
 *
 * Return: how many tasks are held
 */
int tracer_hold(struct facet *f, struct facet_task *t, pid_t by)
{
	pid_t *tids = NULL;
	int n = 0, i;
	unsigned int b;
	struct facet_task *u;

	for (b = 0; b < f->tasks_size; b++) {
		for (u = f->tasks[b]; u; u = u->next) {
			if (u == t || u->held || u->tid == t->vfork_parent ||
			    !tracer_shares_mm(t, u) || tracer_is_deferred(f, u->tid) ||
			    tracer_in_vfork(f, u))
				continue;
			if (ptrace(PTRACE_INTERRUPT, u->tid, 0, 0) < 0)
				continue;
			pid_t *nt = realloc(tids, (size_t)(n + 1) * sizeof(*tids));
			if (!nt)
				break;
			tids = nt;
			tids[n++] = u->tid;
			u->held = true;
			u->held_by = by;
		}
	}
	for (i = 0; i < n; i++)
		if ((u = task_find(f, tids[i])))
			tracer_hold_wait(f, u);
	free(tids);
	return n;
}

/**
 * tracer_release() - let go of the tasks a tracer_hold() held
 * @f:		supervisor context
 * @tgid:	the holder's mark (the process whose exec held them)
 */
void tracer_release(struct facet *f, pid_t tgid)
{
	pid_t *tids = NULL;
	int *sts = NULL;
	int n = 0, i;
	unsigned int b;
	struct facet_task *u;

	for (b = 0; b < f->tasks_size; b++) {
		for (u = f->tasks[b]; u; u = u->next) {
			if (!u->held || u->held_by != tgid)
				continue;
			pid_t *nt = realloc(tids, (size_t)(n + 1) * sizeof(*tids));
			int *ns = realloc(sts, (size_t)(n + 1) * sizeof(*sts));
			if (nt)
				tids = nt;
			if (ns)
				sts = ns;
			if (!nt || !ns)
				break;
			u->held = false;
			tids[n] = u->tid;
			sts[n++] = u->held_status;
		}
	}
	for (i = 0; i < n; i++) {
		if (!sts[i])
			continue;	/* its own stop is still to be handled */
		/* our interrupt is resumed there too, unless a redo waits
		 * for that very stop */
		tracer_stopped(f, tids[i], sts[i]);
	}
	free(tids);
	free(sts);
}

/**
 * tracer_guest_argv() - the guest's argv pointers
 * @tid:	the task
 * @argv:	guest address of its argv
 * @out:	set to a malloc'd array (NULL-terminated)
 * Return: count, or -errno
 */
static long tracer_guest_argv(pid_t tid, uint64_t argv, uint64_t **out)
{
	uint64_t *v = NULL, *nv;
	size_t n = 0, cap = 0;

	*out = NULL;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if (cap > (1u << 20) || !(nv = realloc(v, cap * sizeof(*v)))) {
				free(v);
				return -E2BIG;
			}
			v = nv;
		}
		if (!argv) {
			v[n] = 0;
			break;
		}
		if (mem_read(tid, argv + n * 8, &v[n], 8) < 0) {
			free(v);
			return -EFAULT;
		}
		if (!v[n])
			break;
		n++;
	}
	*out = v;
	return (long)n;
}

/**
 * facet_exec_redirect() - make a held exec run another file (facet_module.h)
 * @f:		supervisor context
 * @call:	an execve/execveat delivered by the tracer
 * @path:	host path to execute
 * @prefix:	first arguments, NULL-terminated, or NULL to keep the argv
 * @keep_from:	the guest's arguments from this index follow @prefix
 *
 * Writes the strings and the new argv array below the guest's stack
 * pointer, past the 128-byte red zone, and turns the call into
 * execve(path, argv, envp).  The other tasks sharing the memory are held
 * (tracer_hold()) until the exec returns or succeeds.
 *
 * Return: 0, or -errno
 */
int facet_exec_redirect(struct facet *f, struct facet_call *call,
			const char *path, const char *const prefix[],
			int keep_from)
{
	struct notif *n = NOTIF(call);
	struct user_regs_struct *regs = n->regs;
	struct facet_task *t = task_find(f, call->tid);
	uint64_t sp, envp, gargv, *guest = NULL, *ptrs;
	size_t len = strlen(path) + 1, np = 0, i, k, sz, at, strs;
	long ng = 0;
	char *buf;
	int r;

	if (!n->ptraced || !regs || !t)
		return -EINVAL;
	gargv = call->nr == __NR_execveat ? regs->rdx : regs->rsi;
	envp = call->nr == __NR_execveat ? regs->r10 : regs->rdx;
	for (np = 0; prefix && prefix[np]; np++)
		len += strlen(prefix[np]) + 1;
	if (prefix && keep_from >= 0) {
		ng = tracer_guest_argv(call->tid, gargv, &guest);
		if (ng < 0)
			return (int)ng;
		if (keep_from > ng)
			keep_from = (int)ng;
	}
	k = prefix && keep_from >= 0 ? (size_t)(ng - keep_from) : 0;
	strs = (len + 7) / 8 * 8;
	sz = strs + (np + k + 1) * 8;
	sp = (regs->rsp - 128 - sz) & ~15ull;
	buf = calloc(1, sz);
	if (!buf) {
		free(guest);
		return -ENOMEM;
	}
	strcpy(buf, path);
	at = strlen(path) + 1;
	ptrs = (uint64_t *)(buf + strs);
	for (i = 0; i < np; i++) {
		ptrs[i] = sp + at;
		strcpy(buf + at, prefix[i]);
		at += strlen(prefix[i]) + 1;
	}
	for (i = 0; i < k; i++)
		ptrs[np + i] = guest[keep_from + (long)i];
	ptrs[np + k] = 0;
	free(guest);
	/* hold the others first: nothing may change our strings after */
	if (tracer_hold(f, t, t->tgid) > 0 && task_find(f, call->tid))
		t->exec_hold = true;
	r = mem_write(call->tid, sp, buf, sz);
	free(buf);
	if (r < 0)
		return r;
	regs->orig_rax = __NR_execve;
	regs->rdi = sp;
	regs->rsi = prefix ? sp + strs : gargv;
	regs->rdx = envp;
	if (ptrace(PTRACE_SETREGS, call->tid, 0, regs) < 0)
		return -errno;
	return 0;
}

/**
 * facet_exec_done() - be told when an exec has run (facet_module.h)
 * @f:		supervisor context
 * @call:	an execve or execveat held in ptrace
 * @done:	callback
 * @arg:	its argument
 * Return: 0, -EBUSY or -EINVAL
 */
int facet_exec_done(struct facet *f, struct facet_call *call,
		    void (*done)(struct facet *f, struct facet_task *t,
				 int error, void *arg),
		    void *arg)
{
	struct facet_task *t = call->task;

	if (!NOTIF(call)->ptraced || !t || f->cur_mod < 0)
		return -EINVAL;
	if (t->exec_done.cb)
		return -EBUSY;
	t->exec_done.cb = done;
	t->exec_done.arg = arg;
	t->exec_done.mod = f->cur_mod;
	f->exec_watches++;
	return 0;
}

/**
 * tracer_exec_report() - tell a module what came of an exec it watches
 * @f:		supervisor context
 * @w:		the task that asked (its exec_done is taken)
 * @t:		the task standing for the program, or NULL if it died
 * @error:	0, or the exec's positive errno
 */
void tracer_exec_report(struct facet *f, struct facet_task *w,
			struct facet_task *t, int error)
{
	void (*cb)(struct facet *, struct facet_task *, int, void *) =
		w->exec_done.cb;
	int saved = f->cur_mod;

	w->exec_done.cb = NULL;
	f->exec_watches--;
	f->cur_mod = w->exec_done.mod;
	cb(f, t, error, w->exec_done.arg);
	f->cur_mod = saved;
}

/**
 * tracer_watcher() - the task whose exec a stop may end, if it watches it
 * @f:	supervisor context
 * @t:	the stopped task
 *
 * After a non-leader thread's exec, the stop comes from the leader's tid:
 * the watch is on the thread's old entry.
 *
 * Return: the task with the watch, or NULL
 */
static struct facet_task *tracer_watcher(struct facet *f, struct facet_task *t)
{
	struct facet_task *u;
	unsigned int b;

	if (t->exec_done.cb || !f->exec_watches || t->tid != t->tgid)
		return t->exec_done.cb ? t : NULL;
	for (b = 0; b < f->tasks_size; b++)
		for (u = f->tasks[b]; u; u = u->next)
			if (u->tgid == t->tgid && u->exec_done.cb)
				return u;
	return NULL;
}

/**
 * tracer_exec_done() - a syscall stop of an exec that holds others, or
 *			that a module watches
 * @f:	supervisor context
 * @t:	the execing task (or, after a non-leader exec, the leader's entry)
 * @w:	the task with a facet_exec_done() watch, or NULL
 *
 * At the syscall exit (the exec failed, or runs the new program) the held
 * tasks go on and the watcher learns the result; a syscall entry stop,
 * should the kernel report one, is passed over.
 *
 * Return: true if the stop was this, and is handled
 */
static bool tracer_exec_done(struct facet *f, struct facet_task *t,
			     struct facet_task *w)
{
	struct user_regs_struct regs;

	if (ptrace(PTRACE_GETREGS, t->tid, 0, &regs) < 0)
		return false;
	if ((long long)regs.rax == -ENOSYS) {	/* entry */
		ptrace(PTRACE_SYSCALL, t->tid, 0, 0);
		return true;
	}
	if (w)
		tracer_exec_report(f, w, t, (long long)regs.rax < 0 ?
				   (int)-(long long)regs.rax : 0);
	t->exec_hold = false;
	tracer_release(f, t->tgid);
	tracer_resume(t->tid, 0);
	return true;
}

/**
 * tracer_exec() - offer an exec, stopped before it runs, to the modules
 * @f:		supervisor context
 * @tid:	tracee, in its SECCOMP_RET_TRACE stop
 * @regs:	its registers
 *
 * The exec is a trapped call like any other, delivered through ptrace: the
 * modules' syscall() hooks and --trace see it, and a module that answers
 * (FACET_REPLY) fails or replaces it: the tracer skips the call and sets
 * its result.  The task stays stopped meanwhile, so guest memory read here
 * cannot belong to anyone else (no notification id to check).
 */
static void tracer_exec(struct facet *f, pid_t tid, struct user_regs_struct *regs)
{
	struct notif n = { .ptraced = true, .regs = regs };
	enum facet_outcome o;

	n.call.nr = (int)regs->orig_rax;
	n.call.tid = tid;
	n.call.task = task_get(f, tid);
	n.call.args[0] = regs->rdi; n.call.args[1] = regs->rsi;
	n.call.args[2] = regs->rdx; n.call.args[3] = regs->r10;
	n.call.args[4] = regs->r8; n.call.args[5] = regs->r9;
	o = dispatch_call(f, &n);
	if (f->trace)
		trace_call(f, &n, o);
	if (o != FACET_REPLY)
		return;
	regs->orig_rax = (unsigned long long)-1;	/* skip the call */
	regs->rax = n.call.error ? (unsigned long long)-n.call.error
				 : (unsigned long long)n.call.ret;
	ptrace(PTRACE_SETREGS, tid, 0, regs);
}

/**
 * tracer_seccomp() - a SECCOMP_RET_TRACE stop
 * @f:		supervisor context
 * @tid:	tracee
 *
 * Ours are execve/execveat.  Any other comes from a filter the guest
 * installed itself; with no tracer of its own the kernel would fail the
 * call with ENOSYS, so we do.
 */
static void tracer_seccomp(struct facet *f, pid_t tid)
{
	struct facet_task *t;
	struct user_regs_struct regs;
	unsigned long msg = 0;

	ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg);
	if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0)
		return;
	if (msg == FILTER_TRACE_EXEC) {
		tracer_exec(f, tid, &regs);
	} else {
		regs.orig_rax = (unsigned long long)-1;
		regs.rax = (unsigned long long)-ENOSYS;
		ptrace(PTRACE_SETREGS, tid, 0, &regs);
	}
	t = task_find(f, tid);
	if (t && (t->exec_hold || t->exec_done.cb)) {	/* stop again at its exit */
		if (ptrace(PTRACE_SYSCALL, tid, 0, 0) < 0 && errno != ESRCH)
			warn("cannot resume task %d: %s", tid, strerror(errno));
		return;
	}
	tracer_resume(tid, 0);
}

/**
 * tracer_signal() - a signal interrupts a thread: keep trapped calls from
 *		     failing with EINTR where the kernel never would
 * @f:	supervisor context
 * @t:	the thread, in its signal-delivery-stop
 *
 * A signal that arrives while a trapped call waits for the supervisor to
 * read it (and, without WAIT_KILLABLE_RECV, at any time before the reply)
 * aborts the wait with -ERESTARTSYS: the kernel then fails the call with
 * EINTR unless the handler has SA_RESTART.  Natively, uname() or an open()
 * of a regular file never fail so.  Since the call never ran, the signal
 * simply came before it: we turn the code into -ERESTARTNOINTR, and the
 * kernel restarts the call after the handler, whatever its flags.  This
 * stop is where the kernel makes that decision, after the tracer has seen
 * the registers.
 *
 * Two -ERESTARTSYS must stay as they are: one the supervisor gave on
 * purpose (a deferred call interrupted by a signal: dispatch.c), and one
 * from the kernel's own code for a call we let it run (CONTINUE), which is
 * interrupted as natively.
 */
void tracer_signal(struct facet *f, struct facet_task *t)
{
	struct user_regs_struct regs;
	int cont = t->continued;
	bool purpose = t->interrupted;
	long nr;

	t->continued = -1;
	t->interrupted = false;
	if (purpose || !f->ntrap ||
	    ptrace(PTRACE_GETREGS, t->tid, 0, &regs) < 0)
		return;
	nr = (long)regs.orig_rax;
	if ((long)regs.rax != -ERESTARTSYS || nr == cont ||
	    !bit_test(f->trap, (int)nr))
		return;
	regs.rax = (unsigned long long)-ERESTARTNOINTR;
	ptrace(PTRACE_SETREGS, t->tid, 0, &regs);
}

/**
 * tracer_stopped() - handle one ptrace stop
 * @f:		supervisor context
 * @tid:	tracee
 * @status:	wait status (WIFSTOPPED)
 */
void tracer_stopped(struct facet *f, pid_t tid, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;
	struct facet_task *t = task_get(f, tid), *w;

	if (t && t->held && !t->held_status) {
		t->held_status = status;	/* held: handled at the release */
		return;
	}
	if (t && t->redo && redo_stopped(f, t, status))
		return;
	if (t && !event && sig == TRACER_SYSCALL_STOP &&
	    ((w = tracer_watcher(f, t)) || t->exec_hold || t->held) &&
	    tracer_exec_done(f, t, w))
		return;
	if (!event && sig == TRACER_SYSCALL_STOP)	/* nobody waits for it now */
		return tracer_resume(tid, 0);
	switch (event) {
	case PTRACE_EVENT_FORK: case PTRACE_EVENT_VFORK: case PTRACE_EVENT_CLONE:
		tracer_new_task(f, tid, event);
		return tracer_resume(tid, 0);
	case PTRACE_EVENT_SECCOMP:
		return tracer_seccomp(f, tid);
	case PTRACE_EVENT_STOP:
		if (t && !t->adopted && tid != f->child)
			tracer_adopt(f, t);
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
		    sig == SIGTTOU) {
			/* group-stop: stay stopped until SIGCONT */
			ptrace(PTRACE_LISTEN, tid, 0, 0);
			if (tid == f->child)
				tracer_suspend_self(f, sig);
			return;
		}
		return tracer_resume(tid, 0);
	default:
		/* signal-delivery-stop: deliver it unchanged */
		if (tid == f->child && sig > 0 && sig <= 64)
			f->child_sig_ms[sig] = tracer_now_ms();
		if (t)
			tracer_signal(f, t);
		return tracer_resume(tid, sig);
	}
}

/**
 * tracer_reap() - handle every wait status pending (on SIGCHLD)
 * @f:	supervisor context
 */
void tracer_reap(struct facet *f)
{
	unsigned int i, n = f->nheld;
	pid_t tid;
	int status;

	/* first the stops facet_guest_events() left (new ones go after) */
	for (i = 0; i < n; i++)
		tracer_stopped(f, f->held_stops[i].tid, f->held_stops[i].status);
	memmove(f->held_stops, f->held_stops + n, (f->nheld - n) * sizeof(*f->held_stops));
	f->nheld -= n;
	while ((tid = waitpid(-1, &status, __WALL | WNOHANG)) > 0) {
		if (WIFSTOPPED(status))
			tracer_stopped(f, tid, status);
		else if (WIFEXITED(status) || WIFSIGNALED(status))
			tracer_exited(f, tid, status);
	}
	/* the kernel's word that no child and no tracee is left */
	if (tid < 0 && errno == ECHILD)
		f->no_tracees = true;
}

/**
 * tracer_reap_nested() - tracer_reap() while a module waits inside a call:
 *			  task creation, signals and exits are handled, and
 *			  stops that would reach the modules again (a trapped
 *			  exec, an exec's end) are held for the loop
 * @f:	supervisor context
 */
void tracer_reap_nested(struct facet *f)
{
	pid_t tid;
	int status, event, sig;

	while ((tid = waitpid(-1, &status, __WALL | WNOHANG)) > 0) {
		event = status >> 16;
		sig = WIFSTOPPED(status) ? WSTOPSIG(status) : 0;
		if (WIFSTOPPED(status) && (event == PTRACE_EVENT_SECCOMP ||
					   (!event && sig == TRACER_SYSCALL_STOP))) {
			if (f->nheld == f->held_cap) {
				unsigned int cap = f->held_cap ? 2 * f->held_cap : 16;
				void *p = realloc(f->held_stops, cap * sizeof(*f->held_stops));

				if (!p) {	/* cannot hold it: take it now */
					tracer_stopped(f, tid, status);
					continue;
				}
				f->held_stops = p;
				f->held_cap = cap;
			}
			f->held_stops[f->nheld].tid = tid;
			f->held_stops[f->nheld++].status = status;
		} else if (WIFSTOPPED(status)) {
			tracer_stopped(f, tid, status);
		} else if (WIFEXITED(status) || WIFSIGNALED(status)) {
			tracer_exited(f, tid, status);
		}
	}
	if (tid < 0 && errno == ECHILD)
		f->no_tracees = true;
}
