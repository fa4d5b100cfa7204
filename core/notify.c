// SPDX-License-Identifier: GPL-2.0-or-later
/* notify.c - the seccomp user-notification listener: probe, receive, answer
 *
 * DOC: Theory of Operation
 *
 * The guest's filter returns SECCOMP_RET_USER_NOTIF for trapped syscalls; the
 * kernel then parks the calling thread and queues a notification on the
 * listener fd, which the supervisor reads (RECV) and answers (SEND, or ADDFD
 * with the SEND flag to install an fd and return it in one step).  Only this
 * file issues the listener's ioctls.
 *
 * Replies fail with ENOENT when the notification is gone: the thread died, or
 * (without WAIT_KILLABLE_RECV) a signal interrupted the wait.  That is not an
 * error of the supervisor; callers clean up and go on.
 *
 * Kernel features are probed here and reported by "facet -v": ADDFD with
 * SEND (5.14) is required; WAIT_KILLABLE_RECV (5.19) and the synchronous
 * wake-up (6.6) are used when present.
 */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "notify.h"
#include "supervisor.h"

/**
 * notify_probe_filter() - learn which filter flags this kernel accepts
 * @f:	supervisor context; sets f->feat.waitkill
 *
 * The kernel checks flags before it copies the program, so a NULL program
 * gives EFAULT for known flags and EINVAL for unknown ones, without
 * installing anything.
 */
void notify_probe_filter(struct facet *f)
{
	unsigned long flags = SECCOMP_FILTER_FLAG_NEW_LISTENER |
			      SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;

	errno = 0;
	syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, NULL);
	f->feat.waitkill = errno == EFAULT;
	errno = 0;
	syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		SECCOMP_FILTER_FLAG_NEW_LISTENER, NULL);
	if (errno != EFAULT)
		die("this kernel has no seccomp user notification (needs Linux 5.14 or later)");
}

/**
 * notify_probe_listener() - learn what the listener offers, and tune it
 * @f:	supervisor context with notify_fd set
 *
 * ADDFD is checked for its flags before its fd, so an invalid source fd
 * tells EBADF (SEND known) from EINVAL (SEND unknown).
 */
void notify_probe_listener(struct facet *f)
{
	struct seccomp_notif_addfd addfd = {
		.id = 0, .flags = SECCOMP_ADDFD_FLAG_SEND, .srcfd = (__u32)-1,
	};
	struct seccomp_notif_sizes sz;
	__u64 sync = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;
	const char *off;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) == 0 &&
	    (sz.seccomp_notif < sizeof(struct seccomp_notif) ||
	     sz.seccomp_notif_resp < sizeof(struct seccomp_notif_resp)))
		die("the kernel's seccomp notification structures are smaller than facet's");

	errno = 0;
	ioctl(f->notify_fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
	f->feat.addfd_send = errno == EBADF;
	if (!f->feat.addfd_send)
		die("this kernel lacks SECCOMP_ADDFD_FLAG_SEND (needs Linux 5.14 or later)");

	/* wake the supervisor on the guest's CPU: the hand-off across CPUs
	 * costs 20-50 us against 1.6 us on the same one (design notes) */
	off = getenv("FACET_DISABLE");
	f->feat.sync_wakeup = !(off && strstr(off, "syncwake")) &&
		ioctl(f->notify_fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, sync) == 0;
}

/**
 * notify_recv() - read one notification
 * @fd:		listener
 * @req:	filled in
 * Return: 0, or -errno (-ENOENT: the notification vanished before we read it)
 */
int notify_recv(int fd, struct seccomp_notif *req)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	/* the receive waits when nothing is pending: a call seen by one poll
	 * may have been taken meanwhile (facet_guest_calls()) or withdrawn */
	if (poll(&p, 1, 0) != 1 || !(p.revents & POLLIN))
		return -EAGAIN;
	memset(req, 0, sizeof(*req));
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
		return -errno;
	return 0;
}

/**
 * notify_valid() - is the notification still pending (its thread alive and
 *		    still waiting)?
 * @fd:	listener
 * @id:	notification cookie
 * Return: true if it is
 */
bool notify_valid(int fd, uint64_t id)
{
	return ioctl(fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

/**
 * notify_send() - answer a notification
 * @fd:		listener
 * @id:		notification cookie
 * @val:	return value when @error is 0
 * @error:	positive errno, or 0
 * @cont:	let the kernel run the call instead (SECCOMP_USER_NOTIF_FLAG_CONTINUE)
 * Return: 0, or -errno (-ENOENT: the thread is gone or stopped waiting)
 */
int notify_send(int fd, uint64_t id, int64_t val, int error, bool cont)
{
	struct seccomp_notif_resp resp = {
		.id = id,
		.val = error || cont ? 0 : val,
		.error = cont ? 0 : -error,
		.flags = cont ? SECCOMP_USER_NOTIF_FLAG_CONTINUE : 0,
	};

	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0)
		return -errno;
	return 0;
}

/**
 * notify_addfd() - install @srcfd in the guest and return its number as the
 *		    call's result, atomically (ADDFD with SEND)
 * @fd:			listener
 * @id:			notification cookie
 * @srcfd:		the supervisor's fd; it stays open here
 * @newfd_flags:	O_CLOEXEC or 0
 * @newfd:		the number it takes in the guest (an fd open there is
 *			closed first, as dup2 does), or -1 for the lowest free
 * Return: the guest's fd number, or -errno
 */
int notify_addfd(int fd, uint64_t id, int srcfd, unsigned int newfd_flags,
		 int newfd)
{
	struct seccomp_notif_addfd addfd = {
		.id = id, .flags = SECCOMP_ADDFD_FLAG_SEND,
		.srcfd = (__u32)srcfd, .newfd_flags = newfd_flags,
	};

	if (newfd >= 0) {
		addfd.flags |= SECCOMP_ADDFD_FLAG_SETFD;
		addfd.newfd = (__u32)newfd;
	}
	int r = ioctl(fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);

	return r < 0 ? -errno : r;
}

/**
 * notify_addfd_only() - install @srcfd in the guest without answering
 * @fd:			listener
 * @id:			notification cookie
 * @srcfd:		the supervisor's fd; it stays open here
 * @newfd_flags:	O_CLOEXEC or 0
 * Return: the guest's fd number, or -errno
 */
int notify_addfd_only(int fd, uint64_t id, int srcfd, unsigned int newfd_flags)
{
	struct seccomp_notif_addfd addfd = {
		.id = id, .srcfd = (__u32)srcfd, .newfd_flags = newfd_flags,
	};
	int r = ioctl(fd, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);

	return r < 0 ? -errno : r;
}
