// SPDX-License-Identifier: GPL-2.0-or-later
/* api.c - services the core offers to modules (declared in facet_module.h)
 *
 * Guest memory goes through here so that every module follows the same
 * rules: after reading, check that the notification is still pending (else
 * the tid may name another process and the bytes are not the caller's);
 * before writing, check the same, so we never write into a process that
 * merely inherited the tid.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <limits.h>
#include <stdio.h>

#include "dispatch.h"
#include "hostpath.h"
#include "mem.h"
#include "module.h"
#include "notify.h"
#include "procfs.h"
#include "supervisor.h"
#include "task.h"

/**
 * facet_trap() - trap syscall @nr for the module whose init() is running
 * @f:	supervisor context
 * @nr:	x86_64 syscall number, or one the kernel lacks (a virtual syscall)
 * Return: 0, -EINVAL for a number out of range, -EPERM outside init()
 */
int facet_trap(struct facet *f, int nr)
{
	if (f->cur_mod < 0)
		return -EPERM;
	if (nr < 0 || nr >= SYS_NR_MAX)
		return -EINVAL;
	bit_set(f->mods[f->cur_mod].traps, nr);
	f->mods[f->cur_mod].fd_arg[nr] = 0;
	f->mods[f->cur_mod].cond_only[nr / 8] &= (uint8_t)~(1u << (nr % 8));
	return 0;
}

/**
 * facet_trap_fd() - trap syscall @nr only where an fd argument is watched
 * @f:		supervisor context
 * @nr:		x86_64 syscall number
 * @arg:	index of the fd argument (0-5)
 *
 * The filter compares the argument's low 32 bits, as the kernel reads an
 * fd, with the watched range (facet_fd_watched()), so calls on other fds
 * never leave the kernel.  A number some module traps whole (facet_trap())
 * reaches this module for every fd: its handler checks the range.
 *
 * Return: 0, -EINVAL for a number or argument out of range, -EPERM outside
 * init()
 */
int facet_trap_fd(struct facet *f, int nr, unsigned int arg)
{
	struct module_slot *s;

	if (f->cur_mod < 0)
		return -EPERM;
	if (nr < 0 || nr >= SYS_NR_MAX || arg > 5)
		return -EINVAL;
	s = &f->mods[f->cur_mod];
	if (!bit_test(s->traps, nr))
		s->fd_arg[nr] = (uint8_t)(arg + 1);
	bit_set(s->traps, nr);
	return 0;
}

/**
 * facet_trap_if() - trap syscall @nr only when an argument says so
 * @f:		supervisor context
 * @nr:		x86_64 syscall number
 * @arg:	argument index (0-5)
 * @op:		FACET_CMP_EQ: trap when (argument & @mask) == @value;
 *		FACET_CMP_NE: when it differs; FACET_CMP_GE: when it is at
 *		least @value
 * @mask:	bits of the argument compared (all 64 but for FACET_CMP_EQ)
 * @value:	what they are compared with
 *
 * One BPF compare in the filter, so the calls that do not match never
 * leave the kernel: sendto() with a destination address, ioctl() of one
 * request family.  A number some module traps whole reaches this module
 * for every call: its handler checks again.
 *
 * Return: 0, -EINVAL for a number or argument out of range (or a partial
 * mask but with FACET_CMP_EQ, which libseccomp cannot express), -ENOSPC past
 * TRAP_CONDS_MAX, -EPERM outside init()
 */
int facet_trap_if(struct facet *f, int nr, unsigned int arg,
		  enum facet_cmp op, uint64_t mask, uint64_t value)
{
	struct module_slot *s;

	if (f->cur_mod < 0)
		return -EPERM;
	if (nr < 0 || nr >= SYS_NR_MAX || arg > 5 || op > FACET_CMP_GE ||
	    (op != FACET_CMP_EQ && mask != ~0ull))
		return -EINVAL;
	s = &f->mods[f->cur_mod];
	if (s->nconds >= TRAP_CONDS_MAX)
		return -ENOSPC;
	s->conds[s->nconds++] = (struct trap_cond){ .nr = nr, .arg = (uint8_t)arg,
		.op = (uint8_t)op, .mask = mask, .value = value & mask };
	if (!bit_test(s->traps, nr))
		bit_set(s->cond_only, nr);
	bit_set(s->traps, nr);
	return 0;
}

/**
 * facet_syscall_nr() - look a syscall up by name in syscalls.list
 * @name:	"openat" and so on
 * Return: its x86_64 number, or -ENOENT
 */
int facet_syscall_nr(const char *name)
{
	int nr;

	for (nr = 0; nr < SYS_NR_MAX; nr++)
		if (sys_table[nr].name && !strcmp(sys_table[nr].name, name))
			return nr;
	return -ENOENT;
}

/**
 * api_still_waiting() - is @call's thread still the one that made it?
 * @f:		supervisor context
 * @call:	the trapped call
 * Return: true if its notification is pending, or it is held in ptrace
 */
static bool api_still_waiting(struct facet *f, const struct facet_call *call)
{
	const struct notif *n = NOTIF(call);

	return n->ptraced || notify_valid(f->notify_fd, n->id);
}

/**
 * facet_read() - copy guest memory of @call's thread
 * @f:		supervisor context
 * @call:	the trapped call
 * @addr:	guest address
 * @buf:	destination
 * @len:	bytes
 * Return: 0, -EFAULT, or -ESRCH if the caller is gone
 */
int facet_read(struct facet *f, const struct facet_call *call, uint64_t addr,
	       void *buf, size_t len)
{
	int r = mem_read(call->tid, addr, buf, len);

	if (!api_still_waiting(f, call))
		return -ESRCH;
	return r;
}

/**
 * facet_read_string() - copy a NUL-terminated guest string
 * @f:		supervisor context
 * @call:	the trapped call
 * @addr:	guest address
 * @buf:	destination
 * @size:	room, NUL included
 * Return: length, -EFAULT, -ENAMETOOLONG, or -ESRCH if the caller is gone
 */
int facet_read_string(struct facet *f, const struct facet_call *call,
		      uint64_t addr, char *buf, size_t size)
{
	int r = mem_read_string(call->tid, addr, buf, size);

	if (!api_still_waiting(f, call))
		return -ESRCH;
	return r;
}

/**
 * facet_read_iov() - copy the data of @iovcnt guest iovecs at @iovp into
 *		      one buffer
 * @f:		supervisor context
 * @call:	the trapped call
 * @iovp:	guest address of the struct iovec array
 * @iovcnt:	its length (at most IOV_MAX, as the kernel allows)
 * @max:	most bytes in all
 * @buf:	set to a malloc'ed buffer (one byte longer than the data)
 * Return: the data's length, -EMSGSIZE (more than @max or too many
 *	   iovecs), -EFAULT, -ENOMEM, or -ESRCH if the caller is gone
 */
ssize_t facet_read_iov(struct facet *f, const struct facet_call *call,
		       uint64_t iovp, size_t iovcnt, size_t max, char **buf)
{
	struct iovec *iov;
	size_t i, total = 0;
	char *p;
	int r = 0;

	*buf = NULL;
	if (iovcnt > IOV_MAX)
		return -EMSGSIZE;
	if (!(iov = calloc(iovcnt + 1, sizeof(*iov))))
		return -ENOMEM;
	if (iovcnt && (r = facet_read(f, call, iovp, iov, iovcnt * sizeof(*iov))) < 0)
		goto out;
	for (i = 0; i < iovcnt && total <= max; i++)
		total += iov[i].iov_len > max ? max + 1 : iov[i].iov_len;
	if (total > max || !(p = *buf = malloc(total + 1))) {
		r = total > max ? -EMSGSIZE : -ENOMEM;
		goto out;
	}
	for (i = 0; i < iovcnt && !r; p += iov[i++].iov_len)
		if (iov[i].iov_len)
			r = facet_read(f, call, (uint64_t)(uintptr_t)iov[i].iov_base,
				       p, iov[i].iov_len);
	if (r < 0) {
		free(*buf);
		*buf = NULL;
	}
out:
	free(iov);
	return r < 0 ? r : (ssize_t)total;
}

/**
 * facet_write() - copy to guest memory of @call's thread
 * @f:		supervisor context
 * @call:	the trapped call
 * @addr:	guest address
 * @buf:	source
 * @len:	bytes
 * Return: 0, -EFAULT, or -ESRCH if the caller is gone
 */
int facet_write(struct facet *f, const struct facet_call *call, uint64_t addr,
		const void *buf, size_t len)
{
	if (!api_still_waiting(f, call))
		return -ESRCH;
	return mem_write(call->tid, addr, buf, len);
}

/**
 * api_pidfd_getfd() - pidfd_getfd() through a pidfd of @tgid kept for the
 *		       next call
 * @f:		supervisor context
 * @tgid:	the process
 * @fd:		its fd
 * @fresh:	open a new pidfd even if one is kept
 * Return: the copy, or -errno
 */
static int api_pidfd_getfd(struct facet *f, pid_t tgid, int fd, bool fresh)
{
	unsigned int i = (unsigned int)tgid % (sizeof(f->pidfds) / sizeof(f->pidfds[0]));
	int r;

	if (fresh || f->pidfds[i].tgid != tgid || f->pidfds[i].fd <= 0) {
		if (f->pidfds[i].fd > 0)
			close(f->pidfds[i].fd);
		f->pidfds[i].tgid = tgid;
		f->pidfds[i].fd = (int)syscall(SYS_pidfd_open, tgid, 0);
		if (f->pidfds[i].fd < 0) {
			f->pidfds[i].fd = 0;
			return -ESRCH;
		}
		fcntl(f->pidfds[i].fd, F_SETFD, FD_CLOEXEC);
	}
	r = (int)syscall(SYS_pidfd_getfd, f->pidfds[i].fd, fd, 0);
	return r < 0 ? -errno : r;
}

/**
 * facet_getfd() - the supervisor's copy of a guest's fd
 * @f:		supervisor context
 * @call:	the trapped call, whose process holds the fd
 * @fd:		the guest's fd number
 *
 * pidfd_getfd(): the copy shares the guest's open file description (its
 * offset and status flags).  The pid is checked after the copy is taken,
 * so a process that died meanwhile, and another that got its pid, never
 * lends us its fd.  pidfds are kept by tgid, so that most calls cost
 * one pidfd_getfd().
 *
 * Return: an fd the caller closes, or -errno (-EBADF: no such fd)
 */
int facet_getfd(struct facet *f, const struct facet_call *call, int fd)
{
	pid_t tgid = facet_task_tgid(call->task);
	int r = api_pidfd_getfd(f, tgid, fd, false);

	if (r == -ESRCH)	/* a pidfd of a process gone: its pid reused? */
		r = api_pidfd_getfd(f, tgid, fd, true);
	if (r >= 0 && !api_still_waiting(f, call)) {
		close(r);
		return -ESRCH;
	}
	return r;
}

/**
 * facet_copied() - a host object was copied to another (facet_module.h)
 * @f:		supervisor context
 * @from:	the original (O_PATH)
 * @to:		the copy (O_PATH)
 */
void facet_copied(struct facet *f, int from, int to)
{
	int i, saved = f->cur_mod;

	for (i = 0; i < f->nmods; i++) {
		struct module_slot *s = &f->mods[i];

		if (i == saved || !s->active ||
		    !MODULE_HAS(s->m, offsetof(struct facet_module, copied)))
			continue;
		f->cur_mod = i;
		s->m->copied(s->state, from, to);
		f->cur_mod = saved;
	}
}

/**
 * facet_capable() - does the caller hold a capability?
 * @f:		supervisor context
 * @call:	the trapped call
 * @cap:	capability number (CAP_SYS_ADMIN, ...)
 *
 * An identity module (capable()) answers for the view; else the effective
 * set in /proc/TID/status, the kernel's answer.
 *
 * Return: 1 if it does, 0 if not or if the caller is gone
 */
int facet_capable(struct facet *f, const struct facet_call *call, int cap)
{
	char buf[2048];
	int i, r, saved = f->cur_mod;

	if (cap < 0 || cap > 63)
		return 0;
	for (i = 0; i < f->nmods; i++) {
		struct module_slot *s = &f->mods[i];

		if (!s->active ||
		    !MODULE_HAS(s->m, offsetof(struct facet_module, capable)))
			continue;
		f->cur_mod = i;
		r = s->m->capable(s->state, call, cap);
		f->cur_mod = saved;
		if (r != -ENOSYS)
			return r > 0;
	}
	if (proc_status(call->tid, buf, sizeof(buf)) <= 0)
		return 0;
	return (proc_status_mask(buf, "CapEff:") >> cap) & 1;
}

/**
 * facet_next() - offer a call to the modules after the calling one
 * @f:		supervisor context
 * @call:	the call the calling module's syscall() method holds
 * Return: their outcome; FACET_PASS if none answered
 */
enum facet_outcome facet_next(struct facet *f, struct facet_call *call)
{
	return dispatch_next(f, call);
}

/**
 * resolve_kernel() - what a path names for a task, as the kernel resolves it
 * @call:	the call
 * @dirfd:	the guest's dirfd or AT_FDCWD
 * @path:	the path
 * @flags:	FACET_RES_*
 *
 * Used when no module has a view of the file tree: the guest's root is the
 * host's, its working directory and fds are read through /proc.
 *
 * Return: an O_PATH fd, or -errno
 */
static int resolve_kernel(const struct facet_call *call, int dirfd,
			  const char *path, int flags)
{
	pid_t tgid = call->task ? call->task->tgid : call->tid;
	struct stat st;
	char base[64];
	int b;

	if (!*path && !(flags & FACET_RES_EMPTY))
		return -ENOENT;
	if (*path == '/')
		snprintf(base, sizeof(base), "/");
	else if (dirfd == AT_FDCWD)
		snprintf(base, sizeof(base), "/proc/%d/cwd", call->tid);
	else if (dirfd < 0)
		return -EBADF;
	else
		snprintf(base, sizeof(base), "/proc/%d/fd/%d", call->tid, dirfd);
	b = open(base, O_PATH | O_CLOEXEC);
	if (b < 0)
		return errno == ENOENT && dirfd >= 0 && *path != '/' ? -EBADF : -errno;
	if (!*path)
		return b;
	b = hostpath_walk(b, path, !(flags & FACET_RES_NOFOLLOW) ||
			  path[strlen(path) - 1] == '/', call->tid, tgid);
	if (b >= 0 && path[strlen(path) - 1] == '/' &&
	    (fstat(b, &st) < 0 || !S_ISDIR(st.st_mode))) {
		close(b);
		return -ENOTDIR;
	}
	return b;
}

/**
 * facet_resolve() - the host object a guest path names in the caller's view
 * @f:		supervisor context
 * @call:	the call
 * @dirfd:	the guest's dirfd or AT_FDCWD
 * @path:	the path, already read from the guest
 * @flags:	FACET_RES_*
 * Return: an O_PATH fd, or -errno
 */
int facet_resolve(struct facet *f, struct facet_call *call, int dirfd,
		  const char *path, int flags)
{
	int i, r, saved = f->cur_mod;

	for (i = 0; i < f->nmods; i++) {
		struct module_slot *s = &f->mods[i];

		if (!s->active ||
		    !MODULE_HAS(s->m, offsetof(struct facet_module, resolve)))
			continue;
		f->cur_mod = i;
		r = s->m->resolve(s->state, call, dirfd, path, flags);
		f->cur_mod = saved;
		if (r != -ENOSYS)
			return r;
	}
	return resolve_kernel(call, dirfd, path, flags);
}

/**
 * facet_error() - print an error for a module
 * @f:		supervisor context
 * @fmt:	printf format
 */
void facet_error(struct facet *f, const char *fmt, ...)
{
	va_list ap;

	f->mod_said = true;
	fprintf(stderr, "facet: %s: ", f->cur_mod >= 0 ?
		f->mods[f->cur_mod].m->name : "module");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/**
 * facet_verbose() - print a message for a module when -v was given
 * @f:		supervisor context
 * @fmt:	printf format
 */
void facet_verbose(struct facet *f, const char *fmt, ...)
{
	va_list ap;

	if (!f->verbose)
		return;
	fputs("facet: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/**
 * facet_addfd() - give the guest an fd of the supervisor's as the result
 * @f:		supervisor context
 * @call:	the trapped call, answered here on success
 * @fd:		the supervisor's fd; it stays open here
 * @cloexec:	O_CLOEXEC or 0
 *
 * With ADDFD's SEND flag (5.14) the fd is installed and the call answered
 * in one step, so a signal can never leave the guest with an fd it does not
 * know of.  Before 5.14 the number is sent as an ordinary reply.
 *
 * Return: the guest's fd number, or -errno (-ENOSYS for an exec held in
 * ptrace, which cannot receive fds)
 */
int facet_addfd(struct facet *f, struct facet_call *call, int fd,
		unsigned int cloexec)
{
	struct notif *n = NOTIF(call);
	int r;

	if (n->ptraced)
		return -ENOSYS;
	r = f->feat.addfd_send ? notify_addfd(f->notify_fd, n->id, fd, cloexec, -1)
			       : notify_addfd_only(f->notify_fd, n->id, fd, cloexec);
	if (r < 0)
		return r;
	n->answered = f->feat.addfd_send;
	call->ret = r;
	call->error = 0;
	return r;
}

/**
 * fd_open_in() - is fd @fd open in thread @tid?
 * @tid:	guest thread
 * @fd:		fd number
 * Return: true if open (or if it cannot be told)
 */
static bool fd_open_in(pid_t tid, int fd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", tid, fd);
	return access(path, F_OK) == 0 || errno != ENOENT;
}

/**
 * facet_addfd_watched() - facet_addfd(), the fd taking a free number in the
 *			   watched range
 * @f:		supervisor context
 * @call:	the trapped call, answered here on success
 * @fd:		the supervisor's fd; it stays open here
 * @cloexec:	O_CLOEXEC or 0
 *
 * Programs may count on an open getting the lowest free number: after
 * close(0), open() is the new stdin.  So a guest with one of 0, 1, 2
 * closed gets none, nor one whose limit on open files is below the range.
 * The highest free number is taken, as far as possible from those the
 * kernel hands out.
 *
 * Return: the guest's fd number, or -errno (the call is not answered):
 * -EBUSY when no number fits, and the caller gives the fd an ordinary one
 */
int facet_addfd_watched(struct facet *f, struct facet_call *call, int fd,
			unsigned int cloexec)
{
	struct notif *n = NOTIF(call);
	int i, r;

	if (n->ptraced)
		return -ENOSYS;
	for (i = 0; i < 3; i++)
		if (!fd_open_in(call->tid, i))
			return -EBUSY;
	for (i = FACET_FD_WATCHED + FACET_FD_WATCHED_N - 1;
	     i >= FACET_FD_WATCHED && fd_open_in(call->tid, i); i--)
		;
	if (i < FACET_FD_WATCHED)
		return -EBUSY;
	r = notify_addfd(f->notify_fd, n->id, fd, cloexec, i);
	if (r == -EBADF || r == -EMFILE)	/* RLIMIT_NOFILE below it */
		return -EBUSY;
	if (r < 0)
		return r;
	n->answered = true;
	call->ret = r;
	call->error = 0;
	return r;
}

/**
 * facet_first_guest() - the process facet started, whose end is facet's
 * @f:		supervisor context
 * Return: its pid
 */
pid_t facet_first_guest(const struct facet *f)
{
	return f->child;
}

/**
 * facet_task_data() - the calling module's private pointer for a task
 * @f:		supervisor context
 * @task:	the task
 * Return: where the pointer lives (NULL outside a module's method)
 */
void **facet_task_data(struct facet *f, struct facet_task *task)
{
	if (f->cur_mod < 0 || !task)
		return NULL;
	return &task->data[f->cur_mod];
}

/**
 * facet_task_tid() - thread id of a task
 * @task:	the task
 * Return: its tid
 */
pid_t facet_task_tid(const struct facet_task *task)
{
	return task->tid;
}

/**
 * facet_task_tgid() - process id of a task
 * @task:	the task
 * Return: its thread group id
 */
pid_t facet_task_tgid(const struct facet_task *task)
{
	return task->tgid;
}

/**
 * facet_task_find() - look a guest task up
 * @f:		supervisor context
 * @tid:	thread id
 * Return: the task, or NULL if no guest has that id
 */
struct facet_task *facet_task_find(struct facet *f, pid_t tid)
{
	return task_find(f, tid);
}

/**
 * facet_task_each() - call @fn for every guest task, until it returns
 *		       non-zero
 * @f:		supervisor context
 * @fn:		the function (it must not add or remove tasks)
 * @arg:	for @fn
 * Return: what @fn returned last (0 if every task was seen)
 */
int facet_task_each(struct facet *f, int (*fn)(struct facet_task *t, void *arg),
		    void *arg)
{
	struct facet_task *t;
	unsigned int i;
	int r;

	for (i = 0; i < f->tasks_size; i++)
		for (t = f->tasks[i]; t; t = t->next)
			if ((r = fn(t, arg)))
				return r;
	return 0;
}

/**
 * facet_fence() - a Landlock ruleset for the guest to enter before its exec
 * @f:		supervisor context
 * @fd:		the ruleset (taken)
 * Return: 0, -EBUSY past FACET_FENCES_MAX, -EPERM if FACET_DISABLE
 *	   names "landlock" (@fd is then closed)
 */
int facet_fence(struct facet *f, int fd)
{
	const char *off = getenv("FACET_DISABLE");

	if (f->nfences >= FACET_FENCES_MAX || (off && strstr(off, "landlock"))) {
		close(fd);
		return f->nfences >= FACET_FENCES_MAX ? -EBUSY : -EPERM;
	}
	f->fence_fds[f->nfences++] = fd;
	return 0;
}

/**
 * facet_sealed_copy() - a read-only file holding @len bytes of @buf, for a
 *			 guest to read as a file the view rewrote (facet_module.h)
 * @name:	name of the memfd (for /proc/PID/fd)
 * @buf:	the bytes
 * @len:	how many
 * Return: an fd opened O_RDONLY of a sealed memfd, or -errno
 */
int facet_sealed_copy(const char *name, const void *buf, size_t len)
{
	char proc[64];
	int mfd, ro;

	mfd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		return -errno;
	if (write(mfd, buf, len) != (ssize_t)len) {
		close(mfd);
		return -EIO;
	}
	(void)fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
		    F_SEAL_WRITE | F_SEAL_SEAL);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", mfd);
	ro = open(proc, O_RDONLY | O_CLOEXEC);
	close(mfd);
	return ro < 0 ? -errno : ro;
}
