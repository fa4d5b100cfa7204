/* SPDX-License-Identifier: GPL-2.0-or-later */
/* files_internal.h - the files module's parts: views, resolver, handlers */
#ifndef FILES_INTERNAL_H
#define FILES_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "facet_module.h"

#define FILES_MOUNTS_MAX 256

/**
 * enum fmount_kind - what a mount of the view is
 * @FM_BIND:	a host file or directory (-b, -r, --tmpfs: a private one)
 * @FM_HIDE:	nothing: the path does not exist (--hide)
 */
enum fmount_kind {
	FM_BIND,
	FM_HIDE,
};

/**
 * struct fmount - one entry of a view's mount table
 * @guest:	guest path, absolute and canonical ("/" for the root)
 * @glen:	strlen(@guest)
 * @host:	host path of what is mounted (canonical), or NULL for a hide
 * @hlen:	strlen(@host)
 * @fd:		O_PATH fd of @host, or -1
 * @kind:	FM_BIND or FM_HIDE
 * @ro:		writes fail with EROFS
 * @dir:	@host is a directory
 * @nested:	another mount lies strictly below @guest
 * @proc:	the host's /proc is @host or below it, at @procrel
 * @procrel:	path of /proc relative to @host ("" if @host is /proc)
 * @id:		number compared for EXDEV
 * @quiet:	a hide that listings need not leave out (facet's own)
 */
struct fmount {
	char *guest;
	size_t glen;
	char *host;
	size_t hlen;
	int fd;
	enum fmount_kind kind;
	bool ro, dir, nested, proc, quiet;
	const char *procrel;
	int id;
};

/**
 * struct fview - a mount table, shared by the processes that see it
 * @refs:	holders
 * @m:		mounts, longest guest path first
 * @n:		how many
 */
struct fview {
	unsigned int refs;
	struct fmount *m[FILES_MOUNTS_MAX];
	int n;
};

/**
 * struct fproc - what one guest process sees of files (threads share it)
 * @refs:	tasks pointing here
 * @view:	its mount table
 * @cwd:	working directory, a guest path
 * @root:	root directory (chroot), a guest path
 * @umask:	file mode creation mask
 * @exe:	guest path of the program, when it was started through its ELF
 *		interpreter (then /proc/PID/exe names @interp), else NULL
 * @interp:	host path of that interpreter
 * @pidfd:	pidfd of the process, for pidfd_getfd(), or -1
 * @cwdfd:	O_PATH fd of @cwd, or -1 until needed
 */
struct fproc {
	unsigned int refs;
	struct fview *view;
	char *cwd;
	char *root;
	mode_t umask;
	char *exe;
	char *interp;
	int pidfd;
	int cwdfd;
};

/**
 * struct files - the module's state
 * @f:		supervisor context
 * @view:	the view the first guest starts in
 * @cwd:	its working directory (-w), or NULL for facet's own
 * @tmpdir:	private directory holding tmpfs mounts, removed at the end
 * @ntmp:	tmpfs mounts made
 * @root_given:	-r was given
 * @getdents:	getdents64 is trapped (a hidden entry may need filtering)
 * @loaders:	host paths of ELF interpreters exec has linked to
 * @nloaders:	how many
 */
struct files {
	struct facet *f;
	struct fview *view;
	char *cwd;
	char *tmpdir;
	int ntmp;
	bool root_given;
	bool getdents;
	char *loaders[16];
	int nloaders;
};

/* what a resolution is for */
#define RES_FOLLOW	1	/* follow a symlink in the last component */
#define RES_EMPTY	2	/* an empty path names the dirfd (AT_EMPTY_PATH) */
#define RES_PARENT	4	/* the last component may not exist: give the
				   parent directory and the name */
#define RES_DIR		8	/* (set by the resolver) trailing slash */
#define RES_CANON	16	/* @guest must be canonical (chdir) */
#define RES_OPEN	64	/* @oflags is set: see struct fres */
#define RES_NOMOUNT	32	/* an fd (empty path) needs no mount: a
				   lookup that writes nothing (stat) */

/**
 * struct fres - what a path names
 * @m:		mount of the result
 * @fd:		O_PATH fd of the object, or -1 if it does not exist (only
 *		with RES_PARENT) or was not asked for
 * @dirfd:	O_PATH fd of its parent directory, or -1 (mount root)
 * @name:	last component, for *at() calls on @dirfd
 * @guest:	guest path of the object (canonical where the walker made it)
 * @flags:	RES_* as asked, plus RES_DIR
 * @oflags:	open flags, if the fast path may open the object with them
 *		(O_NONBLOCK added) instead of O_PATH; -1 if not
 * @opened:	it did: @fd is open with @oflags
 * @magic:	the object is a /proc magic link (not followed): which one
 * @magic_pid:	the process it belongs to
 */
struct fres {
	struct fmount *m;
	int fd;
	int dirfd;
	char name[NAME_MAX + 1];
	char guest[PATH_MAX];
	int flags;
	int oflags;
	bool opened;
	enum { MAGIC_NONE, MAGIC_CWD, MAGIC_ROOT, MAGIC_EXE, MAGIC_OTHER } magic;
	pid_t magic_pid;
};

/* files_view.c */
struct fview *fview_new(void);
struct fview *fview_copy(const struct fview *v);
void fview_put(struct fview *v);
int fview_add(struct fview *v, const char *guest, const char *host,
	      enum fmount_kind kind, bool ro);
void fview_finish(struct fview *v);
struct fmount *fview_at(const struct fview *v, const char *guest);
struct fmount *fview_under(const struct fview *v, const char *guest,
			   const char **rest);
bool fview_shadowed(const struct fview *v, const struct fmount *m,
		    const char *guest);
int fview_to_guest(const struct fview *v, const char *host, char *out,
		   size_t size);
int path_normalize(const char *in, char *out, size_t size);
int path_join(char *out, size_t size, const char *dir, const char *name);

/* files_resolve.c */
int res_resolve(struct files *fs, struct fproc *p, const struct facet_call *call,
		int dirfd, const char *path, int flags, struct fres *r);
int res_fd_guest(struct files *fs, struct fproc *p, pid_t tid, int fd,
		 char *out, size_t size);
void res_release(struct fres *r);
int res_fd_host(pid_t tid, int fd, char *out, size_t size);
int fd_proc_path(char *out, size_t size, int fd, const char *name);

/* files.c */
struct fproc *files_proc(struct files *fs, struct facet_call *call);
struct fproc *files_proc_of(struct files *fs, pid_t tid);
int files_pidfd(struct fproc *p, pid_t tgid);
int files_private_dir(struct files *fs);

/* files_ops.c */
enum facet_outcome files_handle(struct files *fs, struct facet_call *call);
int files_trap_all(struct files *fs);

/* files_fifo.c */
int fifo_open_deferred(struct facet *f, struct facet_call *call, int opath,
		       int flags);

/* files_exec.c */
enum facet_outcome files_exec(struct files *fs, struct fproc *p,
			      struct facet_call *call);

#endif /* FILES_INTERNAL_H */
