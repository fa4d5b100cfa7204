// SPDX-License-Identifier: GPL-2.0-or-later
/* files_sandbox.c - --sandbox: a view that shows only what it must
 *
 * DOC: Theory of Operation
 * With --sandbox the guest's / is a private, empty in-memory directory
 * (what --tmpfs / gives), and only this is put in it before the user's own
 * options:
 *  - read-only: /usr, and /bin, /sbin, /lib, /lib32, /lib64, /libx32 as the
 *    host has them (the same symlinks on a merged-/usr system, else the
 *    directories bound); the parts of /etc that programs need to start,
 *    find users, names and certificates (sandbox_etc[]);
 *  - /dev/null, zero, full, random, urandom and tty (the host's devices),
 *    /dev/fd and /dev/std* as symlinks into /proc, and a private /dev/shm;
 *  - /proc (the host's, as the view shows it) and a private /tmp.
 * --allow-read PATH and --allow-write PATH bind PATH at itself, read-only
 * or not; -b, --tmpfs, -m and the rest work as without --sandbox.  A path
 * the view does not show does not exist (ENOENT); a read-only one fails
 * writes with EROFS.
 *
 * Processes: a sandbox sees only its own.  /proc lists only theirs, and
 * /proc/PID of another does not exist.  The calls that name another
 * process by its id (kill, tgkill, pidfd_open, process_vm_readv, ptrace,
 * kcmp, prlimit64, sched_setaffinity, ...) fail with ESRCH for one that is
 * not a guest, as in a PID namespace; kill(-1) signals every guest but the
 * caller, and kill(0) or kill(-PGID) only the guests of that process
 * group (the first guest shares facet's, and the shell's, with the host).
 *
 * Calls that reach past any view are refused with EPERM, as to a process
 * without the capability or in a container (sandbox_denied[]): keyrings,
 * BPF, perf events, userfaultfd, setns, fanotify, modules, kexec, I/O
 * ports, setting the clock, the kernel's log; and so are a new user
 * namespace (unshare, clone; --allow-userns lets them), TIOCSTI, device
 * nodes, and personality
 * flags beyond UNAME26 and ADDR_NO_RANDOMIZE.  clone3() gives ENOSYS, its
 * flags being in memory a thread could change after a check: the C
 * library then uses clone().  adjtimex() only reads.
 *
 * A mount point inside one of facet's own in-memory directories (the
 * sandbox's /, or any --tmpfs) is made there when the mount is put in the
 * view, with the directories above it: a directory for a directory, an
 * empty file for anything else, so that listings show it as a mount
 * namespace would.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <unistd.h>

#include "files_internal.h"

/* top-level system directories, shown read-only as the host has them */
static const char *const sandbox_sys[] = {
	"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
};

/* what of /etc programs need: the loader, users and groups, names and
 * addresses, time, certificates, the alternatives Debian's commands are */
static const char *const sandbox_etc[] = {
	"/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
	"/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/hosts",
	"/etc/host.conf", "/etc/resolv.conf", "/etc/gai.conf", "/etc/services",
	"/etc/protocols", "/etc/localtime", "/etc/timezone", "/etc/alternatives",
	"/etc/ssl", "/etc/ca-certificates", "/etc/os-release",
	"/etc/debian_version", "/etc/mime.types", "/etc/inputrc",
	"/etc/bash.bashrc", "/etc/profile", "/etc/environment", "/etc/magic",
	"/etc/locale.alias", "/etc/python3", "/etc/python3.11",
};

/* devices bound from the host, writable (writing to /dev/null is not a
 * change to anything) */
static const char *const sandbox_dev[] = {
	"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
	"/dev/tty",
};

/* symlinks of /dev */
static const char *const sandbox_links[][2] = {
	{ "/dev/fd", "/proc/self/fd" },
	{ "/dev/stdin", "/proc/self/fd/0" },
	{ "/dev/stdout", "/proc/self/fd/1" },
	{ "/dev/stderr", "/proc/self/fd/2" },
};

/**
 * ours() - where @guest would be in one of facet's own in-memory
 *	    directories (--tmpfs, the sandbox's /), if it is below one
 * @fs:		module state
 * @guest:	a guest path
 * @host:	set to the host path @guest would have there
 * @size:	room in @host
 * @top:	set to that directory's host path
 * Return: true if @guest is strictly below one of facet's own directories
 */
static bool ours(struct files *fs, const char *guest, char *host, size_t size,
		 const char **top)
{
	const struct fmount *m;
	const char *rest;
	size_t n;

	if (!fs->tmpdir || !(m = fview_under(fs->view, guest, &rest)) ||
	    m->kind != FM_BIND || !m->host || !m->dir || !*rest)
		return false;
	n = strlen(fs->tmpdir);
	if (strncmp(m->host, fs->tmpdir, n) || m->host[n] != '/')
		return false;
	*top = m->host;
	return path_join(host, size, m->host, rest) == 0;
}

/**
 * make_parents() - the directories above @host, below @top
 * @top:	where to start (exists; @host is strictly below it)
 * @host:	the path
 * Return: 0 or -errno
 */
static int make_parents(const char *top, char *host)
{
	size_t n = strlen(top);
	char *s;

	for (s = host + n + 1; (s = strchr(s, '/')); s++) {
		*s = 0;
		if (mkdir(host, 0755) < 0 && errno != EEXIST) {
			*s = '/';
			return -errno;
		}
		*s = '/';
	}
	return 0;
}

/**
 * files_mountpoint() - make the mount point of a mount about to be put at
 *			@guest, if it falls in one of facet's own in-memory
 *			directories
 * @fs:		module state
 * @guest:	where the mount goes
 * @dir:	it shows a directory (else a file)
 * Return: 0 or -errno (message printed)
 */
int files_mountpoint(struct files *fs, const char *guest, bool dir)
{
	char host[PATH_MAX];
	const char *top;
	int fd, e;

	if (!ours(fs, guest, host, sizeof(host), &top))
		return 0;
	if ((e = make_parents(top, host)) < 0 ||
	    (dir ? mkdir(host, 0755) : (fd = open(host, O_CREAT | O_WRONLY | O_CLOEXEC, 0644),
					fd < 0 ? -1 : close(fd))) < 0) {
		e = e < 0 ? e : -errno;
		if (e == -EEXIST)
			return 0;
		facet_error(fs->f, "mount point %s: %s", guest, strerror(-e));
		return e;
	}
	return 0;
}

/**
 * link_in() - make a symlink at @guest (in the sandbox's /)
 * @fs:		module state
 * @guest:	where
 * @target:	what it points to
 * Return: 0 or -errno (message printed)
 */
static int link_in(struct files *fs, const char *guest, const char *target)
{
	char host[PATH_MAX];
	const char *top;
	int e;

	if (!ours(fs, guest, host, sizeof(host), &top))
		return 0;
	if ((e = make_parents(top, host)) < 0 ||
	    (symlink(target, host) < 0 && errno != EEXIST)) {
		e = e < 0 ? e : -errno;
		facet_error(fs->f, "%s: %s", guest, strerror(-e));
		return e;
	}
	return 0;
}

/**
 * show() - bind a host path at the same place in the sandbox, or copy it
 *	    as a symlink if it is one
 * @fs:		module state
 * @path:	the path (absent on this host: nothing is done)
 * @ro:		read-only
 * Return: 0 or -errno (message printed)
 */
static int show(struct files *fs, const char *path, bool ro)
{
	char target[PATH_MAX];
	struct stat st;
	ssize_t n;
	int e;

	if (lstat(path, &st) < 0)
		return 0;
	if (S_ISLNK(st.st_mode)) {
		if ((n = readlink(path, target, sizeof(target) - 1)) < 0)
			return 0;
		target[n] = 0;
		return link_in(fs, path, target);
	}
	if ((e = files_mountpoint(fs, path, S_ISDIR(st.st_mode))) < 0)
		return e;
	if ((e = fview_add(fs->view, path, path, FM_BIND, ro)) < 0)
		facet_error(fs->f, "cannot bind %s: %s", path, strerror(-e));
	return e;
}

/**
 * private_dir() - a private in-memory directory at @guest
 * @fs:		module state
 * @guest:	where
 * Return: 0 or -errno (message printed)
 */
static int private_dir(struct files *fs, const char *guest)
{
	char *host;
	int e;

	if ((e = files_mountpoint(fs, guest, true)) < 0)
		return e;
	if (!(host = files_tmpfs(fs)))
		return -EIO;
	chmod(host, 01777);
	e = fview_add(fs->view, guest, host, FM_BIND, false);
	free(host);
	if (e < 0)
		facet_error(fs->f, "%s: %s", guest, strerror(-e));
	return e;
}

/**
 * sandbox_build() - the sandbox's / and what it shows before the user's
 *		     options
 * @fs:		module state, its view empty
 * Return: 0 or -errno (message printed)
 */
int sandbox_build(struct files *fs)
{
	char *root = files_tmpfs(fs);
	size_t i;
	int e;

	if (!root)
		return -EIO;
	e = fview_add(fs->view, "/", root, FM_BIND, false);
	free(root);
	if (e < 0) {
		facet_error(fs->f, "cannot make the sandbox's /: %s", strerror(-e));
		return e;
	}
	for (i = 0; !e && i < sizeof(sandbox_sys) / sizeof(*sandbox_sys); i++)
		e = show(fs, sandbox_sys[i], true);
	for (i = 0; !e && i < sizeof(sandbox_etc) / sizeof(*sandbox_etc); i++)
		e = show(fs, sandbox_etc[i], true);
	for (i = 0; !e && i < sizeof(sandbox_dev) / sizeof(*sandbox_dev); i++)
		e = show(fs, sandbox_dev[i], false);
	for (i = 0; !e && i < sizeof(sandbox_links) / sizeof(*sandbox_links); i++)
		e = link_in(fs, sandbox_links[i][0], sandbox_links[i][1]);
	if (!e)
		e = show(fs, "/proc", false);
	if (!e)
		e = private_dir(fs, "/dev/shm");
	if (!e)
		e = private_dir(fs, "/tmp");
	return e;
}

/* calls that name another process, and which argument holds its id
 * (kcmp names two: its second is checked too) */
static const struct { int nr; int arg; } sandbox_pid_calls[] = {
	{ __NR_kill, 0 }, { __NR_tkill, 0 }, { __NR_tgkill, 0 },
	{ __NR_rt_sigqueueinfo, 0 }, { __NR_rt_tgsigqueueinfo, 0 },
	{ __NR_pidfd_open, 0 }, { __NR_process_vm_readv, 0 },
	{ __NR_process_vm_writev, 0 }, { __NR_ptrace, 1 }, { __NR_kcmp, 0 },
	{ __NR_prlimit64, 0 }, { __NR_sched_setaffinity, 0 },
	{ __NR_sched_getaffinity, 0 }, { __NR_sched_setscheduler, 0 },
	{ __NR_sched_setparam, 0 }, { __NR_sched_setattr, 0 },
	{ __NR_migrate_pages, 0 }, { __NR_move_pages, 0 },
	{ __NR_get_robust_list, 0 }, { __NR_setpriority, 1 },
	{ __NR_getpriority, 1 }, { __NR_ioprio_set, 1 }, { __NR_ioprio_get, 1 },
};

/**
 * sandbox_trap() - trap the calls that name another process
 * @fs:		module state (--sandbox given)
 * Return: 0 or -errno
 */
int sandbox_trap(struct files *fs)
{
	size_t i;
	int e = 0;

	for (i = 0; !e && i < sizeof(sandbox_pid_calls) / sizeof(*sandbox_pid_calls); i++)
		e = facet_trap(fs->f, sandbox_pid_calls[i].nr);
	return e;
}

/**
 * sandbox_names_pid() - is @nr a call sandbox_pid_call() looks at?
 * @nr:		syscall number
 * Return: true if so
 */
bool sandbox_names_pid(int nr)
{
	size_t i;

	for (i = 0; i < sizeof(sandbox_pid_calls) / sizeof(*sandbox_pid_calls); i++)
		if (sandbox_pid_calls[i].nr == nr)
			return true;
	return false;
}

/* is process (or thread) @pid one of the sandbox's? 0: the caller */
static bool guest_pid(struct files *fs, long pid)
{
	return pid == 0 || (pid > 0 && pid <= INT32_MAX &&
			    facet_task_find(fs->f, (pid_t)pid));
}

/**
 * struct group_kill - kill(2) of several processes, guests only
 * @self:	the caller's process, left out of kill(-1)
 * @pgid:	the process group, or 0 for every guest
 * @sig:	the signal
 * @done:	processes signalled
 * @e:		the first error
 */
struct group_kill {
	pid_t self, pgid;
	int sig, done, e;
};

static int kill_one(struct facet_task *t, void *arg)
{
	struct group_kill *k = arg;
	pid_t p = facet_task_tgid(t);

	if (facet_task_tid(t) != p || (!k->pgid && p == k->self) ||
	    (k->pgid && getpgid(p) != k->pgid))
		return 0;
	if (kill(p, k->sig) == 0)
		k->done++;
	else if (!k->e)
		k->e = -errno;
	return 0;
}

/**
 * sandbox_pid_call() - a call that names another process, in a sandbox
 * @fs:		module state
 * @call:	the call
 * @reply:	set to the answer when the call is answered here
 * Return: true if answered here, false to let it run
 */
bool sandbox_pid_call(struct files *fs, struct facet_call *call, long *reply)
{
	long pid = (long)(int)call->args[0];
	struct group_kill k = { 0 };
	size_t i;

	if (!sandbox_names_pid(call->nr))
		return false;
	for (i = 0; sandbox_pid_calls[i].nr != call->nr; i++)
		;
	if (call->nr == __NR_kill && pid <= 0) {
		/* kill(0), kill(-PGID), kill(-1): the guests among them */
		k.self = facet_task_tgid(call->task);
		k.sig = (int)call->args[1];
		k.pgid = pid == -1 ? 0 : pid == 0 ? getpgid(k.self) : (pid_t)-pid;
		if (k.sig < 0 || k.sig > SIGRTMAX) {
			*reply = -EINVAL;
			return true;
		}
		facet_task_each(fs->f, kill_one, &k);
		*reply = k.done ? 0 : k.e ? k.e : -ESRCH;
		return true;
	}
	pid = (long)(int)call->args[sandbox_pid_calls[i].arg];
	switch (call->nr) {
	case __NR_ptrace:	/* requests on a tracee of the caller's, or ME */
		if (call->args[0] == PTRACE_TRACEME)
			return false;
		break;
	case __NR_setpriority: case __NR_getpriority:
		if (call->args[0] != PRIO_PROCESS)
			return false;	/* a group or a user: the kernel's rules */
		break;
	case __NR_ioprio_set: case __NR_ioprio_get:
		if (call->args[0] != 1)	/* IOPRIO_WHO_PROCESS */
			return false;
		break;
	case __NR_kcmp:
		if (!guest_pid(fs, (long)(int)call->args[1])) {
			*reply = -ESRCH;
			return true;
		}
		break;
	}
	if (guest_pid(fs, pid))
		return false;
	*reply = -ESRCH;
	return true;
}

/**
 * sandbox_foreign_pid() - is @name (an entry of /proc) a process that is
 *			   not the sandbox's?
 * @fs:		module state
 * @name:	the entry
 * Return: true if it is a number that is no guest's
 */
bool sandbox_foreign_pid(struct files *fs, const char *name)
{
	char *end;
	long pid;

	if (*name < '1' || *name > '9')
		return false;
	pid = strtol(name, &end, 10);
	return !*end && !guest_pid(fs, pid);
}

/* --- calls a sandbox refuses ---------------------------------------------- */

/* calls that reach past any view: the kernel's keyrings (shared by all of
 * the user's processes), BPF, perf events, userfaultfd, other processes'
 * namespaces, fanotify (it watches whole filesystems), kernel modules,
 * kexec, I/O ports, the host's clock, the kernel's log.  EPERM, as for a
 * process without the capability, or in a container. */
static const int sandbox_denied[] = {
	__NR_keyctl, __NR_add_key, __NR_request_key, __NR_bpf,
	__NR_perf_event_open, __NR_userfaultfd, __NR_setns, __NR_fanotify_init,
	__NR_init_module, __NR_finit_module, __NR_delete_module,
	__NR_kexec_load, __NR_kexec_file_load, __NR_reboot, __NR_iopl,
	__NR_ioperm, __NR_settimeofday, __NR_clock_settime, __NR_syslog,
	__NR_vhangup,
};

/* personality(2): the execution domains (PER_LINUX, PER_LINUX32) and the
 * flags a program may want (UNAME26, ADDR_NO_RANDOMIZE, as setarch -R);
 * the others weaken the guest's own defences (READ_IMPLIES_EXEC,
 * MMAP_PAGE_ZERO, ...), which is what an exploit wants of them */
#define SANDBOX_PERSONA_OK	(0x0008u | 0x0020000u | 0x0040000u)

/**
 * sandbox_policy_trap() - trap the calls a sandbox refuses or checks
 * @fs:		module state (--sandbox given)
 * Return: 0 or -errno
 */
int sandbox_policy_trap(struct files *fs)
{
	size_t i;
	int e = 0;

	for (i = 0; !e && i < sizeof(sandbox_denied) / sizeof(*sandbox_denied); i++)
		e = facet_trap(fs->f, sandbox_denied[i]);
	/* a new user namespace gives the guest capabilities in it (unless
	 * --allow-userns) */
	if (!e && !fs->allow_userns)
		e = facet_trap_if(fs->f, __NR_unshare, 0, FACET_CMP_EQ,
				  CLONE_NEWUSER, CLONE_NEWUSER);
	if (!e && !fs->allow_userns)
		e = facet_trap_if(fs->f, __NR_clone, 0, FACET_CMP_EQ,
				  CLONE_NEWUSER, CLONE_NEWUSER);
	if (!e && !fs->allow_userns)	/* flags in memory: sandbox_policy() */
		e = facet_trap(fs->f, __NR_clone3);
	/* typing into the terminal the sandbox shares with its user's shell */
	if (!e)
		e = facet_trap_if(fs->f, __NR_ioctl, 1, FACET_CMP_EQ, 0xffffffffu, TIOCSTI);
	if (!e)
		e = facet_trap(fs->f, __NR_personality);
	if (!e)
		e = facet_trap(fs->f, __NR_adjtimex);
	if (!e)
		e = facet_trap(fs->f, __NR_clock_adjtime);
	return e;
}

/**
 * sandbox_adjtime() - adjtimex() and clock_adjtime(): read the clock's
 *		       state, never change it (the supervisor makes the call
 *		       with modes 0 and writes the answer back)
 * @fs:		module state
 * @call:	the call
 * Return: what the call returns, or -errno
 */
static long sandbox_adjtime(struct files *fs, struct facet_call *call)
{
	bool clk = call->nr == __NR_clock_adjtime;
	uint64_t p = call->args[clk ? 1 : 0];
	struct timex tx;
	long r;

	if (facet_read(fs->f, call, p, &tx, sizeof(tx)) < 0)
		return -EFAULT;
	if (tx.modes)
		return -EPERM;
	r = clk ? syscall(SYS_clock_adjtime, (clockid_t)call->args[0], &tx) : adjtimex(&tx);
	if (r < 0)
		return -errno;
	return facet_write(fs->f, call, p, &tx, sizeof(tx)) < 0 ? -EFAULT : r;
}

/**
 * sandbox_policy() - a call of sandbox_policy_trap()'s, or a device node
 * @fs:		module state
 * @call:	the call
 * @reply:	set to the answer if it is refused or made here
 * Return: true if @reply is the answer, false to go on with the call
 *	   (sandbox_policy_only() tells if it is the view's at all)
 */
bool sandbox_policy(struct files *fs, struct facet_call *call, long *reply)
{
	size_t i;

	*reply = -EPERM;
	for (i = 0; i < sizeof(sandbox_denied) / sizeof(*sandbox_denied); i++)
		if (sandbox_denied[i] == call->nr)
			return true;
	switch (call->nr) {
	case __NR_unshare:
	case __NR_clone:
		return !fs->allow_userns && (call->args[0] & CLONE_NEWUSER) != 0;
	case __NR_clone3:
		if (fs->allow_userns)
			return false;
		/* a check of the flags would race a thread changing them:
		 * ENOSYS, and the C library uses clone() instead */
		*reply = -ENOSYS;
		return true;
	case __NR_ioctl:
		return (unsigned int)call->args[1] == TIOCSTI;
	case __NR_personality:
		return (unsigned int)call->args[0] != 0xffffffffu &&
		       ((unsigned int)call->args[0] & ~SANDBOX_PERSONA_OK);
	case __NR_adjtimex:
	case __NR_clock_adjtime:
		*reply = sandbox_adjtime(fs, call);
		return true;
	case __NR_mknod:
	case __NR_mknodat: {	/* a device node would reach the host's disks */
		mode_t m = (mode_t)call->args[call->nr == __NR_mknod ? 1 : 2];

		return S_ISCHR(m) || S_ISBLK(m);
	}
	}
	return false;
}

/**
 * sandbox_policy_only() - is @nr trapped for sandbox_policy() alone (not a
 *			   call of the view's)?
 * @nr:		syscall number
 * Return: true if so
 */
bool sandbox_policy_only(int nr)
{
	return nr == __NR_unshare || nr == __NR_clone || nr == __NR_clone3 ||
	       nr == __NR_ioctl || nr == __NR_personality;
}
