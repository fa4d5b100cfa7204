// SPDX-License-Identifier: GPL-2.0-or-later
/* floor.c - the bare seccomp user-notification floor, for benchmarks
 *
 * The simplest supervisor that can answer a trapped uname(2): it is what any
 * notification-based supervisor (facet included) costs at the least, so
 * "facet / floor" says how much facet's own machinery adds on top.
 *
 *   floor [--write] -- COMMAND [ARG...]
 *
 * The child sets PR_SET_NO_NEW_PRIVS, installs a libseccomp filter (default
 * ALLOW, NOTIFY for uname only), hands the listener to the parent over a unix
 * socketpair (SCM_RIGHTS) and execs COMMAND. The parent runs a plain blocking
 * loop: poll, SECCOMP_IOCTL_NOTIF_RECV, answer, SECCOMP_IOCTL_NOTIF_SEND.
 *
 * Without --write the answer is val = 0 and guest memory is left untouched:
 * the bare RECV + SEND round trip (the guest's buffer holds garbage). With
 * --write a struct utsname built once (nodename "floor") is copied into the
 * guest with process_vm_writev after a SECCOMP_IOCTL_NOTIF_ID_VALID check:
 * the minimal correct uname emulation.
 *
 * Exits with the child's status (128 + signal if it was killed).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>

/* Linux 6.6: wake the guest on the supervisor's CPU (fewer cross-CPU hops) */
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS	SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP	(1UL << 0)
#endif

/**
 * die() - print a message with errno's text and exit 125
 * @what:	what failed
 */
static void die(const char *what)
{
	perror(what);
	exit(125);
}

/**
 * send_fd() - pass a file descriptor over a unix socket
 * @sock:	connected unix socket
 * @fd:		descriptor to pass
 */
static void send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sock, &msg, 0) != 1)
		die("sendmsg");
}

/**
 * recv_fd() - receive a file descriptor sent by send_fd()
 * @sock:	connected unix socket
 *
 * Return: the received descriptor, -1 if the peer sent none (it died)
 */
static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/**
 * child() - install the filter, hand the listener over, exec the command
 * @sock:	our end of the socketpair
 * @argv:	command and arguments
 */
static void child(int sock, char **argv)
{
	scmp_filter_ctx ctx;
	int fd;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("PR_SET_NO_NEW_PRIVS");
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, SCMP_SYS(uname), 0))
		die("seccomp rule");
	if (seccomp_load(ctx))
		die("seccomp_load");
	fd = seccomp_notify_fd(ctx);
	if (fd < 0)
		die("seccomp_notify_fd");
	send_fd(sock, fd);
	close(fd);
	close(sock);
	seccomp_release(ctx);
	execvp(argv[0], argv);
	fprintf(stderr, "floor: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/**
 * write_uts() - copy our utsname into the guest's buffer, if it is still there
 * @fd:		listener
 * @req:	the uname notification
 * @uts:	what to write
 *
 * Return: 0 on success, -errno for the reply
 */
static int write_uts(int fd, const struct seccomp_notif *req,
		     const struct utsname *uts)
{
	struct iovec local = { .iov_base = (void *)uts, .iov_len = sizeof(*uts) };
	struct iovec remote = {
		.iov_base = (void *)(uintptr_t)req->data.args[0],
		.iov_len = sizeof(*uts),
	};

	/* the pid might have been reused by now: check the request still lives */
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id))
		return -ENOENT;
	if (process_vm_writev(req->pid, &local, 1, &remote, 1, 0) != sizeof(*uts))
		return -EFAULT;
	return 0;
}

/**
 * serve_one() - receive one notification and answer it
 * @fd:		listener
 * @uts:	utsname to write, NULL for the bare reply
 */
static void serve_one(int fd, const struct utsname *uts)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	int ret = 0;

	memset(&req, 0, sizeof(req));
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req))
		return;		/* EINTR, or ENOENT: the guest went away */
	if (uts)
		ret = write_uts(fd, &req, uts);
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.val = 0;
	resp.error = ret;
	/* ENOENT here means the task is gone: nothing to do */
	ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/**
 * reap() - reap every exited child, note the status of the main one
 * @sfd:	signalfd for SIGCHLD (drained here)
 * @pid:	the main child
 * @status:	its wait status, set when it is reaped
 */
static void reap(int sfd, pid_t pid, int *status)
{
	char buf[sizeof(struct signalfd_siginfo) * 8];
	pid_t got;
	int st;

	while (read(sfd, buf, sizeof(buf)) > 0)
		;
	while ((got = waitpid(-1, &st, WNOHANG)) > 0)
		if (got == pid)
			*status = st;
}

/**
 * supervise() - answer notifications until no guest is left
 * @fd:		listener
 * @pid:	the child
 * @uts:	utsname to write, NULL for the bare reply
 *
 * A task drops its reference to the filter only when it is reaped, so a zombie
 * guest would keep POLLHUP away: we are a child subreaper (orphaned guests come
 * to us) and reap on SIGCHLD, read from a signalfd polled beside the listener.
 *
 * Return: the child's wait status
 */
static int supervise(int fd, pid_t pid, const struct utsname *uts)
{
	struct pollfd pfd[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = -1, .events = POLLIN },
	};
	int status = 0, st;
	sigset_t set;
	pid_t got;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	pfd[1].fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (pfd[1].fd < 0)
		die("signalfd");
	/* the ioctl is 6.6+: on older kernels it fails, which is fine */
	ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
	      SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		if (pfd[1].revents)
			reap(pfd[1].fd, pid, &status);
		if (pfd[0].revents & POLLIN)
			serve_one(fd, uts);
		else if (pfd[0].revents & (POLLHUP | POLLERR))
			break;	/* RECV would fail forever: no guest left */
	}
	while ((got = waitpid(-1, &st, 0)) > 0)	/* any left over */
		if (got == pid)
			status = st;
	return status;
}

/**
 * main() - parse options, fork the guest, supervise it
 * @argc:	argument count
 * @argv:	[--write] -- COMMAND [ARG...]
 *
 * Return: the child's exit status, 128 + signal, or 125 on our own failure
 */
int main(int argc, char **argv)
{
	static struct utsname uts;
	bool do_write = false;
	int sv[2], fd, status, i = 1;
	sigset_t set;
	pid_t pid;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (strcmp(argv[i], "--write")) {
			i = argc;	/* unknown option: usage */
			break;
		}
		do_write = true;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: floor [--write] -- COMMAND [ARG...]\n");
		return 125;
	}
	uname(&uts);
	strcpy(uts.nodename, "floor");

	/* SIGCHLD is read from a signalfd; orphaned guests are ours to reap */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		die("socketpair");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		sigprocmask(SIG_UNBLOCK, &set, NULL);
		close(sv[0]);
		child(sv[1], argv + i);
	}
	close(sv[1]);
	fd = recv_fd(sv[0]);
	close(sv[0]);
	if (fd < 0) {	/* the child failed before the exec: pass its status on */
		waitpid(pid, &status, 0);
		return WIFEXITED(status) ? WEXITSTATUS(status) : 125;
	}

	status = supervise(fd, pid, do_write ? &uts : NULL);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
