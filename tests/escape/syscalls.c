// SPDX-License-Identifier: GPL-2.0-or-later
/* syscalls.c - calls that reach past any view: io_uring, keyrings, BPF,
 * perf events, userfaultfd, namespaces, personality, device nodes,
 * TIOCSTI, modules, I/O ports, the clock
 *
 * usage: syscalls WRITABLE_DIR
 * Each call must fail.  Some fail natively too for a user without
 * privileges; as root they would succeed, which is what a sandbox run as
 * root must stop.  Where one would change the host (the clock), it asks
 * for what is already so, and changes nothing even if let through.
 */
#include "escape.h"

#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>

/* call() - one raw call that must fail */
static void call(const char *what, long r)
{
	tried("%s", what);
	refused(r, what);
	if (r >= 0 && !strncmp(what, "personality", 11))
		personality(PER_LINUX);
}

int main(int argc, char **argv)
{
	struct perf_event_attr pe = { .type = PERF_TYPE_SOFTWARE, .size = sizeof(pe),
				      .config = PERF_COUNT_SW_CPU_CLOCK };
	union bpf_attr ba = { .map_type = BPF_MAP_TYPE_ARRAY, .key_size = 4,
			      .value_size = 4, .max_entries = 1 };
	struct timex tx = { 0 };
	struct timespec now;
	char node[4096];
	char c = 'x';
	long r;
	pid_t pid;
	int st;

	if (argc != 2)
		return 2;
	snprintf(node, sizeof(node), "%s/disk", argv[1]);
	unlink(node);
	call("io_uring_setup", syscall(SYS_io_uring_setup, 1, calloc(1, 120)));
	call("add_key (a keyring of the user's)", syscall(SYS_add_key, "user", "facet-esc",
							    "x", 1, -4 /* USER */));
	call("keyctl(GET_KEYRING_ID)", syscall(SYS_keyctl, 0, -4, 0));
	call("bpf(MAP_CREATE)", syscall(SYS_bpf, BPF_MAP_CREATE, &ba, sizeof(ba)));
	call("perf_event_open(all processes)", syscall(SYS_perf_event_open, &pe, -1, 0, -1, 0));
	call("userfaultfd", syscall(SYS_userfaultfd, 0));
	call("unshare(CLONE_NEWUSER)", unshare(CLONE_NEWUSER));
	r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
	if (r == 0)
		_exit(0);
	if (r > 0)
		waitpid((pid_t)r, &st, 0);
	call("clone(CLONE_NEWUSER)", r);
	call("setns(/proc/1/ns/mnt)", setns(open("/proc/1/ns/mnt", O_RDONLY), 0));
	call("personality(READ_IMPLIES_EXEC | MMAP_PAGE_ZERO)",
	     personality(PER_LINUX | READ_IMPLIES_EXEC | MMAP_PAGE_ZERO) < 0 ? -1 :
	     (personality(0xffffffff) & MMAP_PAGE_ZERO) ? 0 : -1);
	call("mknod of a block device (the host's first disk)",
	     mknod(node, S_IFBLK | 0600, makedev(8, 0)));
	call("ioctl(0, TIOCSTI)", ioctl(0, TIOCSTI, &c));
	call("init_module", syscall(SYS_init_module, "", 0, ""));
	call("iopl(3)", syscall(SYS_iopl, 3));
	adjtimex(&tx);
	tx.modes = ADJ_TICK;	/* the tick it has */
	call("adjtimex(ADJ_TICK)", adjtimex(&tx));
	clock_gettime(CLOCK_REALTIME, &now);
	call("clock_settime(CLOCK_REALTIME, now)", clock_settime(CLOCK_REALTIME, &now));
	call("fanotify_init", syscall(SYS_fanotify_init, 0, 0));
	call("syslog(READ_ALL)", syscall(SYS_syslog, 3, node, 16));
	/* a guest's own child may still be traced: no check here */
	(void)pid;
	unlink(node);
	return finish();
}
