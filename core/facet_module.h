/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* facet_module.h - the interface between the facet supervisor and its modules
 *
 * DOC: Modules
 *
 * A module is a named, constant table of functions, in the manner of libfuse's
 * struct fuse_operations.  Every member is optional: the core supplies the
 * default (for a syscall no module answers, the kernel runs it unchanged).
 * Built-in modules are listed in one array in modules/builtin.c; an external
 * module is a shared object that exports one symbol,
 *
 *	const struct facet_module facet_module = { ... };
 *
 * loaded with "facet --module FILE.so[:ARGS]".  ABI and size travel with the
 * table so the interface can grow: the core reads no member past @size.
 *
 * Lifecycle: option() is called once per option the user gave (built-in
 * modules' options are facet's own command-line options; an external module
 * receives ARGS split at commas, "name=value" or "name").  A module with at
 * least one option, or loaded with --module, is active: its init() runs once
 * before the guest starts, and may call facet_trap() to ask for raw syscalls.
 * fini() runs when the supervisor ends.
 *
 * Calls: execve and execveat may be trapped too; they reach the module
 * through ptrace (the exec has not happened yet), with the same interface.
 * For a trapped syscall the core first offers the raw call to each
 * active module that trapped that number (syscall()), then to the core handler
 * of the syscall (see core/syscalls.list), which copies arguments out of the
 * guest, calls the module operations (uname(), ...) and writes results back.
 * A handler answers with an outcome:
 *
 *	FACET_PASS	not mine: offer it to the next module, then the default
 *	FACET_REPLY	answered: @ret, or @error if not 0, is the result
 *	FACET_DEFER	will answer later, with facet_reply() on the handle
 *			returned by facet_defer(); the guest waits, and a handled
 *			signal interrupts it as the kernel would (EINTR or restart)
 *	FACET_CONTINUE	let the kernel run the call as the guest made it; only
 *			safe where the outcome does not depend on guest memory
 */
#ifndef FACET_MODULE_H
#define FACET_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/utsname.h>

#define FACET_MODULE_ABI 1

struct facet;		/* the supervisor: opaque to modules */
struct facet_task;	/* one guest thread: opaque to modules */
struct facet_deferred;	/* a call that will be answered later */

/**
 * enum facet_outcome - what a handler did with a trapped call
 */
enum facet_outcome {
	FACET_PASS = 0,
	FACET_REPLY,
	FACET_DEFER,
	FACET_CONTINUE,
};

/**
 * struct facet_call - one trapped system call
 * @nr:		x86_64 syscall number
 * @args:	raw arguments
 * @tid:	calling thread, as the supervisor sees it
 * @task:	the calling task, for facet_task_*() helpers
 * @ret:	result to return when @error is 0
 * @error:	positive errno to fail with, or 0
 */
struct facet_call {
	int nr;
	uint64_t args[6];
	pid_t tid;
	struct facet_task *task;
	int64_t ret;
	int error;
};

/* Answer @call with a kernel-style result: @r, or the error -@r if it is
 * negative.  Return: FACET_REPLY, for a handler to return. */
static inline enum facet_outcome facet_result(struct facet_call *call, int64_t r)
{
	if (r < 0) {
		call->error = (int)-r;
	} else {
		call->ret = r;
		call->error = 0;
	}
	return FACET_REPLY;
}

/**
 * struct facet_option - one option a module understands
 * @name:	long option name ("hostname" gives --hostname)
 * @arg:	name of its argument for --help, or NULL if it takes none
 * @help:	one line of help
 * @key:	short option letter ('b' gives -b), or 0; built-in modules only
 */
struct facet_option {
	const char *name;
	const char *arg;
	const char *help;
	int key;
};

/**
 * struct facet_module - a module's table of functions
 * @abi:	FACET_MODULE_ABI
 * @size:	sizeof(struct facet_module) where the module was built
 * @name:	short name, unique among loaded modules
 * @summary:	one line for --help and facet-modules(7)
 * @options:	options, terminated by an entry whose name is NULL
 * @option:	an option was given: allocate *@state on first use; -errno
 *		(with a message from facet_error()) rejects it.  A NULL
 *		@name: the module is made active with no option (the files
 *		module, unless --fixed)
 * @init:	the module is active; validate, trap raw syscalls; -errno fails
 * @fini:	the supervisor is ending
 * @syscall:	a raw call of a number this module trapped with facet_trap()
 * @task_new:	@child was created by @parent (fork, vfork, clone, thread)
 * @task_exit:	@task is gone
 * @uname:	adjust @u, which holds the answer uname(2) is about to give
 * @sethostname: the guest sets its host name (@domain: setdomainname)
 * @resolve:	the host object that guest path @path (relative to the
 *		guest's @dirfd, or AT_FDCWD) names in this module's view, for
 *		facet_resolve(): an O_PATH fd, -errno, or -ENOSYS to leave it
 *		to the next module (FACET_RES_* @flags)
 * @capable:	does the caller hold capability @cap in the view: 1, 0, or
 *		-ENOSYS to leave it to the kernel (facet_capable())
 * @copied:	host object @from was copied to @to (an overlay's copy-up,
 *		facet_copied()): what the module keeps of @from belongs to
 *		@to as well; both are O_PATH fds the module must not close
 * @ctl:	a control call (FACET_SYS_CTL, below) of operation @op:
 *		FACET_PASS if it is not this module's
 * @status:	lines for "facet-ctl status": "KIND\tFIELD\t..." each, of
 *		what the module does for @call's process
 */
struct facet_module {
	unsigned int abi;
	size_t size;
	const char *name;
	const char *summary;
	const struct facet_option *options;

	int (*option)(struct facet *f, void **state, const char *name,
		      const char *value);
	int (*init)(struct facet *f, void *state);
	void (*fini)(void *state);

	enum facet_outcome (*syscall)(void *state, struct facet_call *call);
	void (*task_new)(void *state, struct facet_task *parent,
			 struct facet_task *child);
	void (*task_exit)(void *state, struct facet_task *task);

	enum facet_outcome (*uname)(void *state, struct facet_call *call,
				    struct utsname *u);
	enum facet_outcome (*sethostname)(void *state, struct facet_call *call,
					  const char *name, size_t len,
					  int domain);
	int (*resolve)(void *state, struct facet_call *call, int dirfd,
		       const char *path, int flags);
	int (*capable)(void *state, const struct facet_call *call, int cap);
	void (*copied)(void *state, int from, int to);
	enum facet_outcome (*ctl)(void *state, struct facet_call *call,
				  unsigned int op);
	void (*status)(void *state, struct facet_call *call, FILE *out);
};

/*
 * The control call: a syscall number no kernel has, which facet's filter
 * sends to the supervisor (elsewhere it fails with ENOSYS, which is how
 * the utilities know they run outside facet).  args[0] is the operation;
 * the rest are its arguments, pointers into the caller's memory:
 *
 *	FACET_CTL_PROBE		returns FACET_CTL_MAGIC
 *	FACET_CTL_STATUS	(buf, size): lines "KIND\tFIELD\t...", a NUL
 *				after; returns the length, or ERANGE with
 *				the length needed when @size is short
 *	FACET_CTL_MOUNT		(type, source, dst, options or NULL): mount
 *				into the caller's view ("bind" or an image)
 *	FACET_CTL_UMOUNT	(dst): unmount from the caller's view
 *	FACET_CTL_OPTION	(name, value or NULL): one of facet's options,
 *				given to facet run inside a view, for the
 *				calling process (and the children it starts)
 *	FACET_CTL_INSMOD	(path, args or NULL): load a module (only
 *				with facet --allow-insmod)
 *	FACET_CTL_RMMOD		(name): unload one loaded with --module or
 *				INSMOD; EBUSY while a call or task holds it
 *
 * Operations other than PROBE and STATUS are offered to each active
 * module's ctl() method in turn; STATUS asks every active module's
 * status() for its lines.
 */
#define FACET_SYS_CTL		4012
#define FACET_CTL_MAGIC		0x66616365	/* "face" */
enum facet_ctl_op {
	FACET_CTL_PROBE = 0,
	FACET_CTL_STATUS = 1,
	FACET_CTL_MOUNT = 2,
	FACET_CTL_UMOUNT = 3,
	FACET_CTL_OPTION = 4,
	FACET_CTL_INSMOD = 5,
	FACET_CTL_RMMOD = 6,
};

/* facet_resolve() flags */
#define FACET_RES_NOFOLLOW	1	/* a symlink last is the object itself */
#define FACET_RES_EMPTY		2	/* "" names @dirfd (AT_EMPTY_PATH) */
#define FACET_RES_CHANGE	4	/* its attributes are about to change:
					   -EROFS on a read-only mount, an
					   overlay copies it up first */

/* Services the core offers to modules (core/api.c) */

/* Trap syscall @nr for the calling module: its syscall() method sees it. */
int facet_trap(struct facet *f, int nr);

/* Watched fds: numbers FACET_FD_WATCHED .. + FACET_FD_WATCHED_N - 1, which a
 * module hands out with facet_addfd_watched() so that the filter can send it
 * the calls on those fds alone (facet_trap_fd()), and no others. */
#define FACET_FD_WATCHED	0x300
#define FACET_FD_WATCHED_N	0x100
#define facet_fd_watched(fd) \
	(((uint32_t)(fd) & ~(uint32_t)(FACET_FD_WATCHED_N - 1)) == FACET_FD_WATCHED)

/* Trap syscall @nr when its argument @arg (0-5), an fd, is watched. */
int facet_trap_fd(struct facet *f, int nr, unsigned int arg);

/* Trap syscall @nr only when argument @arg (0-5) masked with @mask equals
 * @value (FACET_CMP_EQ), or, @mask all ones, differs from it or is at least
 * it (unsigned).  Several conditions on one number: any of them traps. */
enum facet_cmp {
	FACET_CMP_EQ = 0,
	FACET_CMP_NE,
	FACET_CMP_GE,
};
int facet_trap_if(struct facet *f, int nr, unsigned int arg,
		  enum facet_cmp op, uint64_t mask, uint64_t value);

/* Number of syscall @name ("openat"), or -ENOENT if facet does not know it. */
int facet_syscall_nr(const char *name);

/* Read or write guest memory of @call's task, checked against task reuse. */
int facet_read(struct facet *f, const struct facet_call *call, uint64_t addr,
	       void *buf, size_t len);
int facet_write(struct facet *f, const struct facet_call *call, uint64_t addr,
		const void *buf, size_t len);
/* Read a NUL-terminated string of at most @size bytes (with the NUL). */
int facet_read_string(struct facet *f, const struct facet_call *call,
		      uint64_t addr, char *buf, size_t size);

/* Copy the data of @iovcnt guest iovecs at @iovp into a malloc'ed *@buf
 * (freed by the caller); its length, or -EMSGSIZE beyond @max bytes,
 * -EFAULT, -ENOMEM, -ESRCH. */
ssize_t facet_read_iov(struct facet *f, const struct facet_call *call,
		       uint64_t iovp, size_t iovcnt, size_t max, char **buf);

/* The supervisor's copy of the calling process's fd @fd (pidfd_getfd():
 * the same open file description), checked against pid reuse; the caller
 * closes it.  -EBADF if the guest has no such fd. */
int facet_getfd(struct facet *f, const struct facet_call *call, int fd);

/* Offer @call, from a module's syscall() method, to the modules after it
 * and then the core handler, as if the calling module had passed: for a
 * module that adjusts what the others answer.  FACET_PASS: nobody answered,
 * the kernel would run the call. */
enum facet_outcome facet_next(struct facet *f, struct facet_call *call);

/* The host object guest path @path names for @call's task, as the modules'
 * views resolve it (the first active module with resolve()), else as the
 * kernel would: an O_PATH fd the caller closes, or -errno. */
int facet_resolve(struct facet *f, struct facet_call *call, int dirfd,
		  const char *path, int flags);

/* Give module @module option @name, as if from the command line, from an
 * option() hook; it applies if that module is active (this does not make it
 * so): 0, -ENOENT if it is not loaded, or its -errno. */
int facet_module_option(struct facet *f, const char *module, const char *name,
			const char *value);

/* A sealed read-only file of @len bytes of @buf, to give a guest in place of
 * a file the view rewrites (/proc/PID/status, mountinfo): an fd or -errno. */
int facet_sealed_copy(const char *name, const void *buf, size_t len);

/* Does @call's thread hold capability @cap (CAP_SYS_ADMIN...) in the view? */
int facet_capable(struct facet *f, const struct facet_call *call, int cap);

/* Tell the other modules that host object @from was copied to @to (O_PATH
 * fds), as an overlay's copy-up does, so what they keep of it follows. */
void facet_copied(struct facet *f, int from, int to);

/* Take over @call: returns a handle for facet_reply(), and the handler
 * returns FACET_DEFER.  NULL if out of memory, or for execve/execveat,
 * which are answered at once (the task is held in ptrace meanwhile).  @cancel, if not NULL, runs if the guest gives up
 * waiting (a signal, or death) before facet_reply().
 */
struct facet_deferred *facet_defer(struct facet *f, struct facet_call *call,
				   void (*cancel)(void *arg), void *arg);
/* The call a deferred handle stands for (for facet_addfd() before the reply). */
struct facet_call *facet_deferred_call(struct facet_deferred *d);
/* Answer a deferred call (@error: positive errno or 0); frees @d. */
void facet_reply(struct facet *f, struct facet_deferred *d, int64_t ret,
		 int error);

/* Watch @fd in the supervisor's event loop: @cb runs when @events occur. */
int facet_watch(struct facet *f, int fd, uint32_t events,
		void (*cb)(struct facet *f, int fd, uint32_t events, void *arg),
		void *arg);
void facet_unwatch(struct facet *f, int fd);

/* For a module that must wait, inside a call, on a guest process of its own
 * (a FUSE daemon run in the view): poll facet_guest_events_fd() as well,
 * and call facet_guest_events() when it is readable, so that the guest's
 * new threads and processes, signals and exits are served meanwhile. */
int facet_guest_events_fd(struct facet *f);
void facet_guest_events(struct facet *f);

/* Likewise for the guest's own trapped calls (the daemon's fstat or open
 * while it answers): poll facet_guest_calls_fd() too and, when it is
 * readable, call facet_guest_calls().  A call whose caller the wait
 * depends on (@now(@arg, tid) non-zero) is answered at once: the modules'
 * handlers run inside the wait, and must not need what is waited for.
 * Any other is kept and answered by the loop once the module returns. */
int facet_guest_calls_fd(struct facet *f);
void facet_guest_calls(struct facet *f, int (*now)(void *arg, pid_t tid),
		       void *arg);

/* Install the supervisor's @fd in @call's process and answer the call with
 * its number there (atomically where the kernel can: ADDFD with SEND); the
 * handler then returns FACET_REPLY.  @cloexec: O_CLOEXEC or 0.
 * Return: the guest's fd number, or -errno (the call is not answered). */
int facet_addfd(struct facet *f, struct facet_call *call, int fd,
		unsigned int cloexec);
/* The same, at a free watched number: -EBUSY when none fits (the guest
 * has one of fds 0-2 closed, its limit is lower, the range is full), and
 * the caller gives it an ordinary one with facet_addfd(). */
int facet_addfd_watched(struct facet *f, struct facet_call *call, int fd,
			unsigned int cloexec);

/* For an execve/execveat held in ptrace: run execve(@path, argv, envp)
 * instead, @path being a host path, and argv the strings @prefix (NULL-
 * terminated) followed by the guest's own argv from index @keep_from on
 * (none if @keep_from < 0; @prefix NULL keeps the guest's argv whole).
 * Strings go below the guest's stack (past the red zone); every other task
 * sharing the caller's memory is held still until the exec is done, so none
 * can rewrite them meanwhile.  The handler then returns FACET_CONTINUE.
 * Return: 0, or -errno (nothing changed). */
int facet_exec_redirect(struct facet *f, struct facet_call *call,
			const char *path, const char *const prefix[],
			int keep_from);

/* For an execve/execveat held in ptrace that goes on to the kernel: call
 * @done when it has run, with the task now standing for the program
 * (after a non-leader thread's exec, the leader's entry) and @error 0, or,
 * if it failed, the calling task and the positive errno.  If the task dies
 * first, @done runs with @t NULL and ESRCH, so @arg can be freed.  The task
 * stops once more in ptrace, at the exec's syscall exit: ask only when the
 * outcome matters.  @done runs as the calling module (facet_task_data()).
 * Return: 0, -EBUSY if the task has one already, -EINVAL if not an exec. */
int facet_exec_done(struct facet *f, struct facet_call *call,
		    void (*done)(struct facet *f, struct facet_task *t,
				 int error, void *arg),
		    void *arg);

/**
 * struct facet_redo - a call the kernel makes in the guest's thread in
 *		       place of a trapped one (facet_redo())
 * @nr:		its number
 * @args:	its arguments; those flagged in @data_args are offsets into
 *		@data, and become the guest addresses of those bytes
 * @data:	bytes the call reads (strings, structs), at most 4096
 * @len:	their size
 * @data_args:	bit i set: @args[i] is an offset into @data
 * @check:	the call makes an fd, which must be the object @dev/@ino;
 *		if it is another (a race renamed a directory, or another
 *		thread rewrote @data), it is closed and the guest gets @fail
 * @dev:	device of that object
 * @ino:	its inode
 * @fail:	positive errno for the guest when the call cannot be made
 */
struct facet_redo {
	int nr;
	uint64_t args[6];
	const void *data;
	size_t len;
	unsigned int data_args;
	bool check;
	dev_t dev;
	ino_t ino;
	int fail;
};

/* Have the kernel run @r in @call's thread instead of @call: for what the
 * supervisor cannot make and pass itself (an O_PATH fd of a symlink: ADDFD
 * takes no O_PATH file).  The call is restarted under ptrace, the data is
 * written below the thread's stack (past the red zone), and then the
 * thread's registers are as the guest left them, with @r's result.  Every
 * other task sharing its memory is held still from the write to the check
 * (a stop of each), so none can rewrite the data nor use the fd before it
 * is checked; a call that makes an fd also names the object it may make
 * (@check).
 * The guest's own call comes back here if a signal handler runs first:
 * nothing is done twice.  @r is copied.
 * Return: the outcome for the handler to give (the call is answered). */
enum facet_outcome facet_redo(struct facet *f, struct facet_call *call,
			      const struct facet_redo *r);

/* The first guest enters the Landlock ruleset @fd (from
 * landlock_create_ruleset()) before its exec, and every guest after it
 * inherits the domain: a limit in the kernel to what a guest reaches by
 * itself (calls a module lets the kernel run: FACET_CONTINUE).  Call from
 * init(); the core takes @fd.  Several modules may each give one: the
 * guest enters them all (Landlock stacks domains; each must allow).  A
 * guest that cannot enter them does not start.
 * Return: 0, -EBUSY past FACET_FENCES_MAX rulesets, -EPERM if the user
 * turned Landlock off (FACET_DISABLE=landlock): the module does without. */
#define FACET_FENCES_MAX 4
int facet_fence(struct facet *f, int fd);

/* The calling module's private pointer for @task (initially NULL). */
void **facet_task_data(struct facet *f, struct facet_task *task);
/* The guest task @tid, or NULL if it is none of facet's. */
struct facet_task *facet_task_find(struct facet *f, pid_t tid);
/* Call @fn for each guest task until it returns non-zero; that value. */
int facet_task_each(struct facet *f, int (*fn)(struct facet_task *t, void *arg),
		    void *arg);
/* The process facet started (the guests' first): when it has ended, facet
 * ends once the guests it left are gone. */
pid_t facet_first_guest(const struct facet *f);
/* Thread and process ids of @task. */
pid_t facet_task_tid(const struct facet_task *task);
pid_t facet_task_tgid(const struct facet_task *task);

/* Messages: an error printed as "facet: MODULE: ...", verbose only with -v */
void facet_error(struct facet *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void facet_verbose(struct facet *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* FACET_MODULE_H */
