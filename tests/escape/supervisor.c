// SPDX-License-Identifier: GPL-2.0-or-later
/* supervisor.c - the process above the guest: ptrace it, read or write its
 * memory, signal it, take a pidfd of it
 *
 * usage: supervisor [PID]
 * PID is the process to attack (default: the parent, which for the first
 * guest is facet itself).
 */
#include "escape.h"

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	pid_t t = argc > 1 ? (pid_t)atoi(argv[1]) : getppid();
	char buf[16], p[64];
	struct iovec l = { buf, sizeof(buf) }, r = { (void *)0x400000, sizeof(buf) };
	long x;

	printf("target: %d\n", (int)t);
	tried("ptrace(PTRACE_ATTACH)");
	x = ptrace(PTRACE_ATTACH, t, 0, 0);
	refused(x, "ptrace attach");
	if (x == 0) {
		waitpid(t, NULL, __WALL);
		ptrace(PTRACE_DETACH, t, 0, 0);
	}
	tried("ptrace(PTRACE_SEIZE)");
	x = ptrace(PTRACE_SEIZE, t, 0, 0);
	refused(x, "ptrace seize");
	if (x == 0)
		ptrace(PTRACE_DETACH, t, 0, 0);
	tried("process_vm_readv");
	errno = 0;
	x = process_vm_readv(t, &l, 1, &r, 1, 0);
	outcome(x >= 0 || errno == EFAULT, "process_vm_readv: %s",
		x >= 0 ? "read" : strerror(errno));
	tried("process_vm_writev");
	errno = 0;
	x = process_vm_writev(t, &l, 1, &r, 1, 0);
	outcome(x >= 0 || errno == EFAULT, "process_vm_writev: %s",
		x >= 0 ? "wrote" : strerror(errno));
	snprintf(p, sizeof(p), "/proc/%d/mem", (int)t);
	tried("open %s", p);
	refused(open(p, O_RDWR), "open mem");
	tried("pidfd_open");
	refused(syscall(SYS_pidfd_open, t, 0), "pidfd_open");
	tried("kill(SIGSTOP)");
	x = kill(t, SIGSTOP);
	refused(x, "kill");
	if (x == 0)
		kill(t, SIGCONT);
	return finish();
}
