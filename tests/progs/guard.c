// SPDX-License-Identifier: GPL-2.0-or-later
/* guard.c - probe what a guest may do to the supervisor and the kernel
 *
 * Usage: guard PROBE...
 *
 * Each PROBE prints one line "PROBE: ok" or "PROBE: -1 ERRNAME", so the
 * caller compares the output with what facet's filter must answer:
 *
 *   io_uring_setup	io_uring_setup(2) (facet: ENOSYS, a ring bypasses it)
 *   ptrace_attach	PTRACE_ATTACH to getppid()	(facet: EPERM)
 *   ptrace_seize	PTRACE_SEIZE of getppid()	(facet: EPERM)
 *   ptrace_traceme	PTRACE_TRACEME	(facet: EPERM, facet traces us)
 *   vm_readv		process_vm_readv from getppid()	(facet: EPERM)
 *   vm_writev		process_vm_writev of 0 bytes to getppid() (facet: EPERM)
 *   pidfd_open		pidfd_open(getppid())	(facet: EPERM)
 *   proc_mem		open and read /proc/PPID/mem (unprivileged: denied)
 *   kill0		kill(getppid(), 0)	(allowed)
 *   listener		a seccomp filter of its own with a notification
 *			listener, which would take over the supervisor's
 *			notifications (the kernel: EBUSY below a listener)
 *
 * Under facet getppid() of the first guest is the supervisor.  A probe that
 * succeeds undoes what it did (detaches, closes) at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/io_uring.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

/* report() - print the probe's result from a return value and errno */
static void report(const char *name, long r)
{
	if (r < 0)
		printf("%s: -1 %s\n", name, strerrorname_np(errno));
	else
		printf("%s: ok\n", name);
}

/* probe_ptrace() - attach to (and at once detach from) the parent */
static long probe_ptrace(int req, pid_t pid)
{
	long r = ptrace(req, pid, NULL, NULL);

	if (r == 0) {
		if (req == PTRACE_ATTACH)	/* wait for its SIGSTOP first */
			waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, NULL, NULL);
	}
	return r;
}

/* probe_vm() - move a few bytes from/to the parent at our own address */
static long probe_vm(pid_t pid, int write)
{
	char buf[8] = "";
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { buf, write ? 0 : sizeof(buf) };

	if (write)	/* 0 bytes: must not change the parent even if allowed */
		return process_vm_writev(pid, &local, 1, &remote, 1, 0);
	return process_vm_readv(pid, &local, 1, &remote, 1, 0);
}

/* probe_proc_mem() - read 1 byte of the parent's memory through /proc */
static long probe_proc_mem(pid_t pid)
{
	char path[64], c;
	long r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	/* any address will do: the check that matters is at open() */
	r = pread(fd, &c, 1, (off_t)(unsigned long)probe_proc_mem);
	if (r < 0 && errno == EIO)
		r = 0;		/* opened and readable, just nothing there */
	close(fd);
	return r;
}

int main(int argc, char **argv)
{
	pid_t pp = getppid();
	long r;
	int i, fd;

	for (i = 1; i < argc; i++) {
		const char *p = argv[i];

		if (!strcmp(p, "io_uring_setup")) {
			struct io_uring_params params = { 0 };

			r = fd = syscall(SYS_io_uring_setup, 1, &params);
			if (fd >= 0)
				close(fd);
		} else if (!strcmp(p, "ptrace_attach")) {
			r = probe_ptrace(PTRACE_ATTACH, pp);
		} else if (!strcmp(p, "ptrace_seize")) {
			r = probe_ptrace(PTRACE_SEIZE, pp);
		} else if (!strcmp(p, "ptrace_traceme")) {
			r = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		} else if (!strcmp(p, "vm_readv")) {
			r = probe_vm(pp, 0);
		} else if (!strcmp(p, "vm_writev")) {
			r = probe_vm(pp, 1);
		} else if (!strcmp(p, "pidfd_open")) {
			r = fd = syscall(SYS_pidfd_open, pp, 0);
			if (fd >= 0)
				close(fd);
		} else if (!strcmp(p, "proc_mem")) {
			r = probe_proc_mem(pp);
		} else if (!strcmp(p, "kill0")) {
			r = kill(pp, 0);
		} else if (!strcmp(p, "listener")) {
			struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
			struct sock_fprog prog = { 1, &allow };

			prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
			r = fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
					 SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
			if (fd >= 0)
				close(fd);
		} else {
			fprintf(stderr, "guard: unknown probe '%s'\n", p);
			return 2;
		}
		report(p, r);
	}
	return 0;
}
