// SPDX-License-Identifier: GPL-2.0-or-later
/* launch.c - start the first guest under the filter and the tracer
 *
 * DOC: Theory of Operation
 *
 * The supervisor forks.  The child waits on a pipe until the parent has
 * seized it with ptrace (so no exec can happen untraced: execve returns
 * SECCOMP_RET_TRACE, which without a tracer would fail with ENOSYS), then
 * installs the filter, stops on an int3 instruction before anything it does
 * can be trapped (the SIGTRAP's ptrace stop), where the supervisor copies the
 * listener fd out of it with pidfd_getfd(), and execs the command.  From then on every descendant
 * inherits the filter and is traced, by automatic attach, before it runs.
 *
 * Until the seize, PR_SET_PDEATHSIG covers the window in which the
 * supervisor could die; after it, PTRACE_O_EXITKILL does, and the child
 * clears PDEATHSIG so the guest sees what it would natively.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/ptrace.h>
#include <dirent.h>
#include <linux/kcmp.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "filter.h"
#include "launch.h"
#include "procfs.h"
#include "task.h"
#include "tracer.h"
#include "supervisor.h"

/**
 * launch_take_listener() - copy the child's listener fd into the supervisor
 * @pid:	the child, stopped on its int3 with the filter installed
 *
 * The child cannot send the fd itself: any call it made after installing
 * the filter could be trapped, and only the holder of the fd can answer.
 * It holds exactly one "seccomp notify" file: find it in /proc/PID/fd and
 * take a copy with pidfd_getfd(), which our ptrace access permits.
 *
 * Return: the fd, or -errno
 */
static int launch_take_listener(pid_t pid)
{
	char dir[32], path[300], link[64];
	struct dirent *de;
	int pidfd, fd = -ENOENT;
	ssize_t n;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	d = opendir(dir);
	if (pidfd < 0 || !d) {
		fd = -errno;
		goto out;
	}
	while ((de = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, "anon_inode:seccomp notify"))
			continue;
		/* one the child inherited from us (a FUSE daemon's) */
		if (syscall(SYS_kcmp, getpid(), pid, KCMP_FILE, atoi(de->d_name),
			    atoi(de->d_name)) == 0)
			continue;
		fd = (int)syscall(SYS_pidfd_getfd, pidfd, atoi(de->d_name), 0);
		if (fd < 0)
			fd = -errno;
		break;
	}
out:
	if (d)
		closedir(d);
	if (pidfd >= 0)
		close(pidfd);
	return fd;
}

/**
 * launch_first_stop() - wait for the child to stop on its int3, with the
 *			 filter installed, and take its listener there
 * @f:	supervisor context; sets notify_fd
 */
static void launch_first_stop(struct facet *f)
{
	int st;

	for (;;) {
		if (waitpid(f->child, &st, __WALL) < 0)
			die("cannot wait for the guest: %s", strerror(errno));
		if (!WIFSTOPPED(st))
			exit(125);	/* it died: it said why */
		if (st >> 16 == 0 && WSTOPSIG(st) == SIGTRAP)
			break;	/* the child's int3 */
		/* another signal: deliver it and wait again */
		ptrace(PTRACE_CONT, f->child, 0, WSTOPSIG(st));
	}
	f->notify_fd = launch_take_listener(f->child);
	if (f->notify_fd < 0) {
		kill(f->child, SIGKILL);
		die("cannot take the guest's seccomp listener: %s",
		    strerror(-f->notify_fd));
	}
	ptrace(PTRACE_CONT, f->child, 0, 0);	/* swallow the SIGTRAP */
}

/**
 * fence_enter() - enter the Landlock ruleset (see facet_fence())
 * @fd:		the ruleset
 *
 * Without CAP_SYS_ADMIN the kernel wants no_new_privs first, as for the
 * seccomp filter (filter_load()).
 *
 * Return: 0 or -errno
 */
static int fence_enter(int fd)
{
	if (syscall(SYS_landlock_restrict_self, fd, 0) == 0)
		return 0;
	if (errno != EPERM || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	return syscall(SYS_landlock_restrict_self, fd, 0) == 0 ? 0 : -errno;
}

/**
 * launch_child() - the child's side: wait, filter, exec; never returns
 * @f:		supervisor context (copy)
 * @argv:	command
 * @prog:	the filter
 * @mask:	signal mask to restore
 * @go:		read end of the start pipe
 */
static void launch_child(struct facet *f, char **argv,
			 const struct sock_fprog *prog, const sigset_t *mask,
			 int go)
{
	char c;
	int fd, i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != f->self || read(go, &c, 1) != 1)
		_exit(125);
	prctl(PR_SET_PDEATHSIG, 0);
	sigaction(SIGCHLD, &f->chld_action, NULL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	for (i = 0; i < f->nfences; i++)
		if ((fd = fence_enter(f->fence_fds[i])) < 0) {
			fprintf(stderr, "facet: cannot enter the Landlock domain: %s\n",
				strerror(-fd));
			_exit(125);
		}
	if (f->mem_limit) {	/* --memory, inherited by every guest */
		struct rlimit rl = { f->mem_limit, f->mem_limit };

		if (setrlimit(RLIMIT_AS, &rl) < 0) {
			fprintf(stderr, "facet: --memory: %s\n", strerror(errno));
			_exit(125);
		}
	}
	fd = filter_load(f, prog);
	if (fd < 0) {
		fprintf(stderr, "facet: cannot install the seccomp filter: %s\n",
			strerror(-fd));
		_exit(125);
	}
	/* Stop, without a syscall (any could be trapped, and only the holder
	 * of the listener can answer): the tracer takes a copy of fd, which is
	 * close-on-exec, at the SIGTRAP's signal-delivery-stop. */
	__asm__ volatile("int3");
	execvp(argv[0], argv);
	fprintf(stderr, "facet: %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/**
 * launch_seize_failed() - explain why the guest cannot be traced, and exit
 * @err:	errno of PTRACE_SEIZE
 */
static void __attribute__((noreturn)) launch_seize_failed(int err)
{
	char buf[2048];

	/* our children inherit our tracer's auto-attach: it holds them */
	if (proc_status(getpid(), buf, sizeof(buf)) > 0 &&
	    proc_status_number(buf, "TracerPid:") != 0)
		die("cannot trace the guest: facet is itself traced (by a "
		    "debugger, strace -f or another facet), and a process has "
		    "one tracer; run facet outside it");
	die("cannot trace the guest: %s (ptrace may be restricted: see "
	    "/proc/sys/kernel/yama/ptrace_scope)", strerror(err));
}

/**
 * launch() - start the first guest, traced and filtered
 * @f:		supervisor context; sets child and notify_fd
 * @argv:	command and arguments
 * @prog:	filter from filter_build()
 * @mask:	signal mask the guest starts with
 */
void launch(struct facet *f, char **argv, const struct sock_fprog *prog,
	    const sigset_t *mask)
{
	int go[2], st;
	struct facet_task *t;


	if (pipe2(go, O_CLOEXEC))
		die("cannot start the guest: %s", strerror(errno));
	f->child = fork();
	if (f->child < 0)
		die("fork: %s", strerror(errno));
	if (f->child == 0) {
		close(go[1]);
		launch_child(f, argv, prog, mask, go[0]);
	}
	close(go[0]);
	if (ptrace(PTRACE_SEIZE, f->child, 0, TRACER_OPTIONS) < 0) {
		int err = errno;

		kill(f->child, SIGKILL);
		waitpid(f->child, &st, 0);
		launch_seize_failed(err);
	}
	/* no ptrace, /proc/PID/mem or core dump of the supervisor; only now:
	 * a child forked while we were not dumpable could not be seized */
	prctl(PR_SET_DUMPABLE, 0);
	t = task_get(f, f->child);
	if (!t)
		die("out of memory");
	t->adopted = true;
	t->view = view_new();
	if (write(go[1], "g", 1) != 1)
		die("cannot start the guest: %s", strerror(errno));
	close(go[1]);
	launch_first_stop(f);
}
