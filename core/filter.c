// SPDX-License-Identifier: GPL-2.0-or-later
/* filter.c - build the guest's seccomp filter from the trap set
 *
 * DOC: Theory of Operation
 *
 * Trap little, in BPF (design notes, principle 1).  The filter allows every
 * syscall by default and sends to the supervisor only the numbers in f->trap,
 * which dispatch.c computed from the active modules' operations and raw
 * traps; so a syscall no module cares about never leaves the kernel.
 * Besides those:
 *
 * - numbers a module traps only when an argument matches (facet_trap_if():
 *   a sendto() with an address, an ioctl() of one family) are sent on that
 *   one compare.
 * - numbers a module traps only on watched fds (facet_trap_fd()) are sent
 *   when that argument's low 32 bits fall in the watched range, which is
 *   one masked compare, so calls on every other fd stay in the kernel.
 * - execve and execveat, when a module traps them or --trace is on, return
 *   SECCOMP_RET_TRACE, reaching the supervisor's ptrace side channel
 *   (tracer.c), where a module sees the exec and can refuse or rewrite it;
 *   that costs one ptrace stop (~40 us here) per exec, so only then.
 * - io_uring_setup/enter/register fail with ENOSYS unless a module traps
 *   them: a ring would run file and network operations the filter never sees.
 * - ptrace, process_vm_readv/writev and pidfd_open aimed at the supervisor
 *   fail with EPERM.  The supervisor is not dumpable, which stops an ordinary
 *   user, but a guest running as root holds CAP_SYS_PTRACE.  pids are
 *   compared on their low 32 bits, as the kernel reads them.
 * - FACET_SYS_CTL, the control call of facet's utilities (ctl.c), a
 *   number no kernel has, always reaches the supervisor.
 * - Foreign ABIs (i386 int 0x80, x32) kill the process: libseccomp's
 *   bad-architecture action covers i386 and we add the x32 bit by hand.
 *
 * libseccomp 2.5.4 cannot set WAIT_KILLABLE_RECV, so the program is exported
 * as BPF and loaded with seccomp(2) directly (filter_load()).
 */
#include <errno.h>
#include <stddef.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "filter.h"
#include "notify.h"
#include "supervisor.h"

#define X32_SYSCALL_BIT 0x40000000

/**
 * filter_guard() - refuse @nr's calls that aim at the supervisor
 * @ctx:	filter being built
 * @nr:		syscall
 * @arg:	index of its pid argument
 * @pid:	the supervisor's pid
 * Return: 0 or -errno from libseccomp
 */
static int filter_guard(scmp_filter_ctx ctx, int nr, unsigned int arg,
			pid_t pid)
{
	struct scmp_arg_cmp cmp = {
		.arg = arg, .op = SCMP_CMP_MASKED_EQ,
		.datum_a = 0xffffffffu, .datum_b = (uint32_t)pid,
	};

	return seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EPERM), nr, 1, &cmp);
}

/**
 * filter_watched() - notify @nr's calls whose fd argument is watched
 * @ctx:	filter being built
 * @nr:		syscall
 * @arg:	index of its fd argument
 * Return: 0 or -errno from libseccomp
 */
static int filter_watched(scmp_filter_ctx ctx, int nr, unsigned int arg)
{
	struct scmp_arg_cmp cmp = {
		.arg = arg, .op = SCMP_CMP_MASKED_EQ,
		.datum_a = (uint32_t)~(FACET_FD_WATCHED_N - 1),
		.datum_b = FACET_FD_WATCHED,
	};

	return seccomp_rule_add_array(ctx, SCMP_ACT_NOTIFY, nr, 1, &cmp);
}

/**
 * filter_cond() - notify @c's calls whose argument matches
 * @ctx:	filter being built
 * @c:		the condition (facet_trap_if())
 * Return: 0 or -errno from libseccomp
 */
static int filter_cond(scmp_filter_ctx ctx, const struct trap_cond *c)
{
	static const enum scmp_compare ops[] = {
		[FACET_CMP_EQ] = SCMP_CMP_MASKED_EQ, [FACET_CMP_NE] = SCMP_CMP_NE,
		[FACET_CMP_GE] = SCMP_CMP_GE,
	};
	struct scmp_arg_cmp cmp = {
		.arg = c->arg, .op = ops[c->op],
		.datum_a = c->op == FACET_CMP_EQ ? c->mask : c->value,
		.datum_b = c->value,
	};

	return seccomp_rule_add_array(ctx, SCMP_ACT_NOTIFY, c->nr, 1, &cmp);
}

/**
 * filter_rules() - add facet's rules to @ctx
 * @f:		supervisor context
 * @ctx:	filter being built
 * Return: 0 or -errno from libseccomp
 */
static int filter_rules(struct facet *f, scmp_filter_ctx ctx)
{
	static const int uring[] = { __NR_io_uring_setup, __NR_io_uring_enter,
				     __NR_io_uring_register };
	static const struct { int nr; unsigned int arg; } guard[] = {
		{ __NR_ptrace, 1 }, { __NR_process_vm_readv, 0 },
		{ __NR_process_vm_writev, 0 }, { __NR_pidfd_open, 0 },
	};
	int nr, r = 0;
	size_t i;

	for (nr = 0; nr < SYS_NR_MAX && !r; nr++) {
		if ((nr == __NR_execve || nr == __NR_execveat) && f->trap_exec)
			r = seccomp_rule_add(ctx, SCMP_ACT_TRACE(FILTER_TRACE_EXEC), nr, 0);
		else if (bit_test(f->trap, nr))
			r = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 0);
		else if (f->trap_fd[nr])
			r = filter_watched(ctx, nr, f->trap_fd[nr] - 1u);
	}
	for (i = 0; i < f->nconds && !r; i++)
		r = filter_cond(ctx, &f->conds[i]);
	if (!r)		/* the control call (ctl.c) */
		r = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, FACET_SYS_CTL, 0);
	for (i = 0; i < sizeof(uring) / sizeof(uring[0]) && !r; i++)
		if (!bit_test(f->trap, uring[i]))
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), uring[i], 0);
	for (i = 0; i < sizeof(guard) / sizeof(guard[0]) && !r; i++)
		if (!bit_test(f->trap, guard[i].nr))
			r = filter_guard(ctx, guard[i].nr, guard[i].arg, f->self);
	return r;
}

/**
 * filter_export() - turn @ctx into a BPF program in memory
 * @ctx:	finished filter
 * @prog:	filled in; its filter array is malloc'ed
 * Return: 0 or -errno
 */
static int filter_export(scmp_filter_ctx ctx, struct sock_fprog *prog)
{
	int fd = memfd_create("facet-filter", MFD_CLOEXEC), r;
	struct stat st;

	if (fd < 0)
		return -errno;
	r = seccomp_export_bpf(ctx, fd);
	if (!r && fstat(fd, &st))
		r = -errno;
	if (!r && (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter)))
		r = -EINVAL;
	if (!r) {
		prog->len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
		prog->filter = malloc((size_t)st.st_size);
		if (!prog->filter ||
		    pread(fd, prog->filter, (size_t)st.st_size, 0) != st.st_size)
			r = -EIO;
	}
	close(fd);
	return r;
}

/**
 * filter_prepend_x32() - kill x32 calls before libseccomp's program runs
 * @prog:	exported program, grown in place
 *
 * x32 calls arrive with AUDIT_ARCH_X86_64 and the syscall number ORed with
 * 0x40000000, so the architecture check lets them through.  Negative numbers
 * (syscall(-1) probes) are left to the rest of the program, which allows
 * them: the kernel answers ENOSYS.
 *
 * Return: 0 or -ENOMEM
 */
static int filter_prepend_x32(struct sock_fprog *prog)
{
	const struct sock_filter head[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x80000000u, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	size_t n = sizeof(head) / sizeof(head[0]);
	struct sock_filter *p = malloc((prog->len + n) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	memcpy(p, head, sizeof(head));
	memcpy(p + n, prog->filter, prog->len * sizeof(*p));
	free(prog->filter);
	prog->filter = p;
	prog->len = (unsigned short)(prog->len + n);
	return 0;
}

/**
 * filter_build() - make the guest's filter from the trap set
 * @f:		supervisor context, trap set computed
 * @prog:	the BPF program, for filter_load() in the child
 * Return: 0 or -errno
 */
int filter_build(struct facet *f, struct sock_fprog *prog)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r;

	if (!ctx)
		return -ENOMEM;
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (!r)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (!r)
		r = filter_rules(f, ctx);
	if (!r)
		r = filter_export(ctx, prog);
	if (!r)
		r = filter_prepend_x32(prog);
	seccomp_release(ctx);
	return r;
}

/**
 * filter_load() - install the filter in the calling (child) process
 * @f:		supervisor context (features)
 * @prog:	from filter_build()
 *
 * Without CAP_SYS_ADMIN the kernel wants no_new_privs first; with it (facet
 * run as root) we leave no_new_privs off, so setuid programs behave in the
 * guest as they do outside.
 *
 * Return: the listener fd, or -errno
 */
int filter_load(const struct facet *f, const struct sock_fprog *prog)
{
	unsigned long flags = SECCOMP_FILTER_FLAG_NEW_LISTENER;
	long fd;

	if (f->feat.waitkill)
		flags |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog);
	if (fd < 0 && errno == EACCES) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
			return -errno;
		fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog);
	}
	return fd < 0 ? -errno : (int)fd;
}
