// SPDX-License-Identifier: GPL-2.0-or-later
/* files_ops.c - the path syscalls, performed by the supervisor in the view
 *
 * Each handler reads the guest's arguments once, resolves its paths
 * (files_resolve.c) to fds the supervisor holds, performs the operation
 * itself on those fds and returns the result: an fd through ADDFD, bytes
 * written into the guest's buffer, or a status.  Nothing is let run by the
 * kernel with a path the guest could rewrite after the check.
 *
 * Acting on an fd where the kernel offers no *at() form goes through
 * "/proc/self/fd/N", which the kernel follows to that exact inode.
 *
 * Syscalls that are variants of one another share a handler, as in
 * strace: files_handle() maps each number to its family's handler with the
 * arguments in one order.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stddef.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/fanotify.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>
#include <dirent.h>

#include "files_internal.h"
#include "fuse_client.h"
#include "procfs.h"
#include "syscalls.h"

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

#define FIFO_WAIT (-4096)	/* open_*(): a FIFO open that must wait */

/**
 * struct ctx - one call being handled
 * @fs:		module state
 * @p:		the calling process
 * @call:	the call; its result goes in @call->ret / @call->error
 */
struct ctx {
	struct files *fs;
	struct fproc *p;
	struct facet_call *call;
};

/**
 * done() - answer the call with a kernel-style result
 * @c:		the call
 * @r:		value >= 0, or -errno
 * Return: FACET_REPLY
 */
static enum facet_outcome done(struct ctx *c, long r)
{
	if (r < 0) {
		c->call->error = (int)-r;
	} else {
		c->call->ret = r;
		c->call->error = 0;
	}
	return FACET_REPLY;
}

/**
 * give_fd() - answer the call with an fd of the supervisor's, or an error
 * @c:		the call
 * @fd:		the fd (closed here), or -errno
 * @flags:	O_CLOEXEC or not, for the guest's copy
 * Return: FACET_REPLY
 */
static enum facet_outcome give_fd(struct ctx *c, int fd, int flags)
{
	int e;

	if (fd < 0)
		return done(c, fd);
	e = facet_addfd(c->fs->f, c->call, fd, flags & O_CLOEXEC);
	close(fd);
	return done(c, e);
}

/**
 * give_watched() - give a big file of an image as a watched fd, to be
 *		    filled as it is read; or, if the guest has no room for
 *		    one, filled whole as an ordinary fd
 * @c:		the call
 * @m:		its mount
 * @fd:		the file (closed here), or -errno
 * @flags:	O_CLOEXEC or not, for the guest's copy
 * Return: FACET_REPLY
 */
static enum facet_outcome give_watched(struct ctx *c, struct fmount *m,
				       int fd, int flags)
{
	int e;

	if (fd < 0)
		return done(c, fd);
	e = facet_addfd_watched(c->fs->f, c->call, fd, flags & O_CLOEXEC);
	if (e == -EBUSY && (e = img_ready(m, fd, O_RDONLY, false)) >= 0)
		e = facet_addfd(c->fs->f, c->call, fd, flags & O_CLOEXEC);
	close(fd);
	return done(c, e);
}

/**
 * get_path() - read a path argument
 * @c:		the call
 * @addr:	guest address
 * @buf:	PATH_MAX bytes
 * Return: 0, -EFAULT, -ENAMETOOLONG
 */
static int get_path(struct ctx *c, uint64_t addr, char *buf)
{
	int r;

	if (!addr)
		return -EFAULT;
	r = facet_read_string(c->fs->f, c->call, addr, buf, PATH_MAX);
	return r < 0 ? r : 0;
}

/**
 * resolve() - read and resolve a path argument
 * @c:		the call
 * @dirfd:	AT_FDCWD or the guest's dirfd
 * @addr:	guest address of the path
 * @flags:	RES_*
 * @r:		result
 * Return: 0 or -errno
 */
static int resolve(struct ctx *c, int dirfd, uint64_t addr, int flags,
		   struct fres *r)
{
	char path[PATH_MAX];
	int e = get_path(c, addr, path);

	r->fd = r->dirfd = -1;
	if (e < 0)
		return e;
	return res_resolve(c->fs, c->p, c->call, dirfd, path, flags, r);
}

/**
 * is_ro() - is the resolved object on a read-only mount?
 * @r:	result
 * Return: true if writing there must fail with EROFS
 */
static bool is_ro(const struct fres *r)
{
	return r->m && r->m->ro;
}

/**
 * fd_mount_ro() - is a guest's fd on a read-only mount of the view?
 * @c:		the call
 * @fd:		the guest's fd
 * Return: true if so
 */
static bool fd_mount_ro(struct ctx *c, int fd)
{
	char g[PATH_MAX];
	const char *rest;

	if (res_fd_guest(c->fs, c->p, c->call->tid, fd, g, sizeof(g)) < 0)
		return false;
	return fview_under(c->p->view, g, &rest)->ro;
}

/**
 * fd_ovl_upper() - a guest's fd is about to have its file changed: if it
 *		is an overlay's lower file, the upper copy to change instead
 * @c:		the call
 * @fd:		the guest's fd
 * @how:	OVL_*
 * @ufd:	set to an O_PATH fd of the upper copy
 * Return: 0, 1 if @fd is no lower file (change it), or -errno
 */
static int fd_ovl_upper(struct ctx *c, int fd, int how, int *ufd)
{
	char host[PATH_MAX];

	if (!c->fs->overlays || res_fd_host(c->call->tid, fd, host, sizeof(host)) < 0 ||
	    host[0] != '/')
		return 1;
	return ovl_fd_modify(c->p->view, host, how, ufd);
}

/**
 * guest_fd() - the supervisor's copy of a guest's fd (same open file)
 * @c:		the call
 * @fd:		the guest's fd
 * Return: fd to close after use, or -errno
 */
static int guest_fd(struct ctx *c, int fd)
{
	int pfd = files_pidfd(c->p, facet_task_tgid(c->call->task));
	int r;

	if (pfd < 0)
		return pfd;
	r = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
	return r < 0 ? -errno : r;
}

/**
 * with_umask() - run the creating call with the guest's umask
 * @c:		the call
 * @set:	true before, false after
 */
static void with_umask(struct ctx *c, bool set)
{
	static mode_t saved;

	if (set)
		saved = umask(c->p->umask);
	else
		umask(saved);
}

/**
 * is_ovl() - is the resolved object in an overlay mount?
 * @r:	result
 * Return: true if changing it goes through files_overlay.c
 */
static bool is_ovl(const struct fres *r)
{
	return r->m && r->m->kind == FM_OVERLAY;
}

/* what img_statx_fix() needs of a statx in an image */
#define IMG_STATX	(STATX_TYPE | STATX_MODE | STATX_INO | STATX_SIZE | STATX_BLOCKS)

/**
 * is_img() - is this in an image (files_image.c)?
 * @r:		result
 * Return: true if so
 */
static bool is_img(const struct fres *r)
{
	return r->m && r->m->kind == FM_IMAGE;
}

/**
 * ovl_new() - an overlay's name is about to be made: prepare the upper
 * @r:		result (RES_PARENT, the name does not exist)
 * @below:	set if the lower has the name (whited out), or NULL
 * Return: 0 or -errno; nothing to do outside overlays
 */
static int ovl_new(struct fres *r, bool *below)
{
	int e = is_ovl(r) ? ovl_create(r) : 0;

	if (below)
		*below = e == 1;
	return e < 0 ? e : 0;
}

/**
 * ovl_change() - an overlay's object is about to change: copy it up
 * @r:		result
 * @how:	OVL_*
 * @nodata:	its data will be truncated
 * Return: 0 or -errno; nothing to do outside overlays
 */
static int ovl_change(struct fres *r, int how, bool nodata)
{
	return is_ovl(r) ? ovl_modify(r, how, nodata) : 0;
}

/**
 * img_chattr() - chmod or chown in an image: the daemon first
 * @r:		the object
 * @chown:	a chown, else a chmod
 * @mode:	new mode
 * @uid:	owner or -1
 * @gid:	group or -1
 * Return: 0 or -errno
 */
static int img_chattr(const struct fres *r, bool chown, mode_t mode, uid_t uid,
		      gid_t gid)
{
	struct fuse_setattr_in sa = { 0 };

	if (chown) {
		sa.valid = (uid != (uid_t)-1 ? FATTR_UID : 0) |
			   (gid != (gid_t)-1 ? FATTR_GID : 0);
		sa.uid = uid;
		sa.gid = gid;
		if (!sa.valid)
			return 0;
	} else {
		sa.valid = FATTR_MODE;
		sa.mode = mode & 07777;
	}
	return img_setattr(r->m, r->fd, &sa);
}

/**
 * img_truncate() - truncate in an image: the daemon first
 * @r:		the file
 * @size:	new size
 * Return: 0 or -errno
 */
static int img_truncate(const struct fres *r, uint64_t size)
{
	struct fuse_setattr_in sa = { .valid = FATTR_SIZE, .size = size };

	return img_setattr(r->m, r->fd, &sa);
}

/**
 * is_mount_root() - does the result name a mount point of the view?
 * @r:	result
 * Return: true if so (it cannot be removed or renamed: EBUSY)
 */
static bool is_mount_root(const struct fres *r)
{
	return r->m && !strcmp(r->m->guest, r->guest);
}

/* --- open ----------------------------------------------------------------- */

/**
 * o_path_flags() - what an O_PATH open becomes
 * @flags:	the guest's flags
 * @mode:	the object's type
 *
 * The kernel will not pass an O_PATH file through ADDFD (it takes files
 * with fget(), which skips them), so the guest gets the object opened
 * for reading, without blocking: fstat, fchdir, *at() and fexecve work on
 * it as on an O_PATH fd.  An object the caller may not read cannot be
 * given this way (EACCES), nor a symlink itself (ELOOP).
 *
 * Return: flags for open()
 */
static int o_path_flags(int flags, mode_t mode)
{
	int f = O_RDONLY | O_NONBLOCK | O_NOCTTY | (flags & (O_CLOEXEC | O_DIRECTORY));

	return S_ISDIR(mode) ? f | O_DIRECTORY : f;
}

/**
 * open_existing() - open what the resolver found, with the guest's flags
 * @r:		result (its fd is O_PATH)
 * @flags:	open flags
 * Return: fd, or -errno
 */
static int open_existing(const struct fres *r, int flags)
{
	char path[64];
	struct stat st;
	int fd;

	if (fstat(r->fd, &st) < 0)
		return -errno;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;	/* O_PATH of a symlink: see o_path_flags() */
	if ((flags & O_DIRECTORY) && !S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (flags & O_PATH)
		flags = o_path_flags(flags, st.st_mode);
	if (S_ISFIFO(st.st_mode) && !(flags & (O_PATH | O_NONBLOCK)) &&
	    (flags & O_ACCMODE) != O_RDWR)
		return FIFO_WAIT;	/* would put the supervisor to sleep */
	fd_proc_path(path, sizeof(path), r->fd, NULL);
	fd = open(path, (flags & ~(O_CREAT | O_EXCL | O_NOFOLLOW)) | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/**
 * open_do() - open, creating if asked, after resolution
 * @c:		the call
 * @r:		result
 * @flags:	open flags
 * @mode:	creation mode
 * Return: fd, or -errno
 */
static int open_do(struct ctx *c, struct fres *r, int flags, mode_t mode)
{
	bool write = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
	int fd;

	if ((flags & __O_TMPFILE) == __O_TMPFILE) {
		if (is_ro(r))
			return -EROFS;
		if ((fd = ovl_change(r, OVL_DIR, false)) < 0)
			return fd;
		with_umask(c, true);
		fd = openat(r->fd, ".", flags | O_CLOEXEC, mode);
		with_umask(c, false);
		return fd < 0 ? -errno : fd;
	}
	if (r->fd >= 0) {
		if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
			return -EEXIST;
		if (write && !(flags & O_PATH) && is_ro(r))
			return -EROFS;
		if (write && !(flags & O_PATH) && is_ovl(r) && !fd_is_dir(r->fd) &&
		    (fd = ovl_modify(r, OVL_WRITE, flags & O_TRUNC)) < 0)
			return fd;
		if (is_img(r) && !(flags & O_PATH)) {
			if ((fd = img_ready(r->m, r->fd, flags, true)) < 0)
				return fd;
			r->lazy = fd == 1;
		}
		fd = open_existing(r, flags);
		if (fd >= 0 && is_img(r) && !(flags & O_PATH))
			img_opened(r->m, fd, flags);
		return fd;
	}
	if (is_ro(r))
		return -EROFS;
	if (r->flags & RES_DIR)
		return -EISDIR;
	if ((fd = ovl_new(r, NULL)) < 0)
		return fd;
	if (is_img(r) &&
	    (fd = img_create(r, S_IFREG | (mode & ~c->p->umask), 0, NULL)) < 0)
		return fd;
	with_umask(c, true);
	fd = openat(r->dirfd, r->name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
	with_umask(c, false);
	if (fd < 0)
		return -errno;
	if (is_img(r)) {
		img_made(r);
		img_opened(r->m, fd, flags);
	}
	return fd;
}

/**
 * open_fast() - the fast path opened the object (non-blocking): check it
 * @r:		result, @r->fd open with the guest's flags and O_NONBLOCK
 * @flags:	the guest's flags
 * Return: fd to give (taken from @r), or -errno
 */
static int open_fast(struct fres *r, int flags)
{
	struct stat st;
	int fd;

	if (fstat(r->fd, &st) < 0)
		return -errno;
	if (S_ISFIFO(st.st_mode) && !(flags & O_NONBLOCK) &&
	    (flags & O_ACCMODE) != O_RDWR)
		return FIFO_WAIT;
	if (!(flags & O_NONBLOCK) &&
	    fcntl(r->fd, F_SETFL, fcntl(r->fd, F_GETFL) & ~O_NONBLOCK) < 0)
		return -errno;
	fd = r->fd;
	r->fd = -1;
	return fd;
}

/**
 * open_kernel() - is this an open the kernel may run for the guest?
 * @c:		the call
 * @flags:	open flags
 *
 * Only opens for reading (see files_fence.c): the fence grants no more.
 *
 * Return: true if the flags allow it and the guest is fenced
 */
static bool open_kernel(const struct ctx *c, int flags)
{
	return c->fs->fence && (flags & O_ACCMODE) == O_RDONLY &&
	       !(flags & (O_CREAT | O_TRUNC | O_PATH)) &&
	       (flags & __O_TMPFILE) != __O_TMPFILE;
}

/**
 * open_quick() - one name, not followed, in a directory fd that is plain
 * @c:		the call
 * @dirfd:	guest's dirfd
 * @path:	the path, as read
 * @flags:	open flags
 *
 * The commonest open of tree walkers (find, tar, rm -r):
 * openat(dirfd, name, O_NOFOLLOW) in a directory nothing of the view lies
 * below means to the kernel what it means in the view, found or not.
 *
 * Return: true to let the kernel open it, without resolving it here
 */
static bool open_quick(struct ctx *c, int dirfd, const char *path, int flags)
{
	struct fdir *d;

	if (!open_kernel(c, flags) || !(flags & O_NOFOLLOW) || dirfd < 0 ||
	    !*path || strchr(path, '/') || !strcmp(path, ".") ||
	    !strcmp(path, "..") || files_procnet_named(c->fs, path))
		return false;	/* a /proc/net file the view writes, maybe */
	d = fdir_get(c->fs, c->p, c->call, dirfd);
	return d && d->fenced;
}

static bool same_object(struct ctx *c, int dirfd, const char *path, int flags,
			const struct fres *r);

/**
 * open_same() - does the kernel find what the view found?
 * @c:		the call
 * @dirfd:	guest's dirfd
 * @path:	the path, as read
 * @flags:	open flags
 * @r:		what the view resolved @path to
 *
 * The path is looked up again as the kernel will for the guest: from the
 * host's root, the guest's dirfd or its working directory as the kernel
 * has it (not the view's), following symlinks in the host's tree.  If that
 * reaches the very object the view found, and the fence grants it, the
 * kernel may open it (no ADDFD: see files_fence.c).  An overlay's file not
 * yet copied up, a path through merged /usr's symlinks, a file of a mount
 * shown at its own place all qualify; anything the view moves does not.
 *
 * Return: true to let the kernel open it
 */
static bool open_same(struct ctx *c, int dirfd, const char *path, int flags,
		      const struct fres *r)
{
	if (!open_kernel(c, flags) || r->fd < 0 || r->magic != MAGIC_NONE ||
	    is_img(r))
		return false;	/* an image's file may have to be filled first */
	return same_object(c, dirfd, path, flags, r);
}

/**
 * open_symlink_redo() - O_PATH | O_NOFOLLOW of a symlink, which no fd the
 *			 supervisor makes can be passed for: the guest's own
 *			 thread opens it by its host path (facet_redo()),
 *			 symlinks refused on the way and the object checked
 *			 after.  Not by the guest's path, even
 *			 where the view shows the host's: the kernel would
 *			 walk it again, and a swap meanwhile (a symlink on the
 *			 way) could reach what the view hides; an O_PATH fd
 *			 reads no data, but it tells a symlink's target and
 *			 the object's metadata
 * @c:		the call
 * @r:		what the view resolved the path to (a symlink)
 * @flags:	open flags
 * Return: FACET_REPLY
 */
static enum facet_outcome open_symlink_redo(struct ctx *c, const struct fres *r,
					    int flags)
{
	struct { struct open_how how; char path[PATH_MAX]; } d = { .how = {
		.flags = (uint64_t)(flags & (O_PATH | O_NOFOLLOW | O_CLOEXEC | O_DIRECTORY)),
		.resolve = RESOLVE_NO_SYMLINKS } };
	struct facet_redo p = {
		.nr = __NR_openat2, .data = &d, .data_args = 1u << 1 | 1u << 2,
		.args = { (uint64_t)(int64_t)AT_FDCWD, offsetof(typeof(d), path), 0,
			  sizeof(d.how) },
		.check = true, .fail = ELOOP };
	struct stat st;
	int n;

	if (fstat(r->fd, &st) < 0 || !S_ISLNK(st.st_mode) ||
	    (n = fd_host_path(r->fd, d.path, sizeof(d.path))) <= 0 || d.path[0] != '/')
		return done(c, -ELOOP);
	p.len = offsetof(typeof(d), path) + (size_t)n + 1;
	p.dev = st.st_dev;
	p.ino = st.st_ino;
	return facet_redo(c->fs->f, c->call, &p);
}

/**
 * same_object() - does the kernel, looking @path up for the guest, reach
 *		   the object the view found, in a tree the fence grants?
 * @c:		the call
 * @dirfd:	guest's dirfd
 * @path:	the path, as read
 * @flags:	open flags (O_NOFOLLOW counts)
 * @r:		what the view resolved @path to
 * Return: true if so
 */
static bool same_object(struct ctx *c, int dirfd, const char *path, int flags,
			const struct fres *r)
{
	char host[PATH_MAX], link[64];
	struct stat a, b;
	struct fdir *d;
	int start, k, cwd = -1;
	bool same;

	if (path[0] == '/') {
		start = c->fs->hostroot;
	} else if (dirfd >= 0) {
		if (!(d = fdir_get(c->fs, c->p, c->call, dirfd)))
			return false;
		start = d->fd;
	} else {
		snprintf(link, sizeof(link), "/proc/%d/cwd", c->call->tid);
		if ((cwd = open(link, O_PATH | O_CLOEXEC)) < 0)
			return false;
		start = cwd;
	}
	k = openat2_path(start, path, O_PATH | (flags & O_NOFOLLOW),
			 RESOLVE_NO_MAGICLINKS);
	if (cwd >= 0)
		close(cwd);
	if (k < 0)
		return false;
	same = fstat(k, &a) == 0 && fstat(r->fd, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino &&
	       fd_host_path(k, host, sizeof(host)) > 0 && fence_covers(c->fs, host);
	close(k);
	return same;
}

/**
 * op_open() - open, openat, creat, openat2
 * @c:		the call
 * @dirfd:	guest's dirfd
 * @addr:	path
 * @flags:	open flags
 * @mode:	creation mode
 * @resolve_flags: openat2's RESOLVE_* (only NO_SYMLINKS, NO_MAGICLINKS
 *		and NO_XDEV are honoured beyond what the view does;
 *		BENEATH and IN_ROOT give ENOSYS... see files_handle())
 * Return: FACET_REPLY
 */
static enum facet_outcome op_open(struct ctx *c, int dirfd, uint64_t addr,
				  int flags, mode_t mode, bool plain)
{
	char path[PATH_MAX];
	enum facet_outcome o;
	struct fres r;
	int rf = 0, fd, e;

	if ((e = get_path(c, addr, path)) < 0)
		return done(c, e);
	if (!strcmp(path, "/dev/fuse") && !(flags & O_PATH))
		return give_fd(c, img_dev_open(c->fs), flags);	/* op_fuse_mount() */
	/* a sandbox never lets the kernel read a path it checked: every open
	 * but a symlink's O_PATH (below) is the supervisor's */
	if (plain && !c->fs->sandbox && open_quick(c, dirfd, path, flags))
		return FACET_CONTINUE;

	if (!(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL))
		rf |= RES_FOLLOW;
	if ((flags & O_CREAT) && (flags & __O_TMPFILE) != __O_TMPFILE)
		rf |= RES_PARENT;
	else if (!(flags & O_PATH) && (flags & __O_TMPFILE) != __O_TMPFILE)
		rf |= RES_OPEN;
	r.oflags = flags;
	e = res_resolve(c->fs, c->p, c->call, dirfd, path, rf, &r);
	if (e < 0)
		return done(c, e);
	if (r.fd >= 0 && ((e = files_mounts_open(c->fs, c->p->view, r.fd, flags, &fd)) <= 0 ||
			  (e = files_procnet_open(c->fs, r.fd, flags, &fd)) <= 0)) {
		res_release(&r);	/* /proc/PID/mountinfo in the view's terms,
					   /proc/net/dev of its network */
		return e < 0 ? done(c, e) : give_fd(c, fd, flags);
	}
	if (plain && !c->fs->sandbox && open_same(c, dirfd, path, flags, &r)) {
		res_release(&r);
		return FACET_CONTINUE;
	}
	if ((flags & (O_PATH | O_NOFOLLOW)) == (O_PATH | O_NOFOLLOW) &&
	    r.fd >= 0 && r.magic == MAGIC_NONE && !is_img(&r) && fd_is_link(r.fd)) {
		o = open_symlink_redo(c, &r, flags);
		res_release(&r);
		return o;
	}
	r.lazy = false;
	fd = r.opened ? open_fast(&r, flags) : open_do(c, &r, flags, mode & 07777);
	if (fd == FIFO_WAIT) {
		e = fifo_open_deferred(c->fs->f, c->call, r.fd, flags);
		res_release(&r);
		return e < 0 ? done(c, e) : FACET_DEFER;
	}
	res_release(&r);
	return r.lazy ? give_watched(c, r.m, fd, flags) : give_fd(c, fd, flags);
}

/**
 * op_openat2() - openat2(dirfd, path, how, size)
 * @c:		the call
 * Return: FACET_REPLY
 */
static enum facet_outcome op_openat2(struct ctx *c)
{
	struct open_how how = { 0 };
	uint64_t *a = c->call->args;

	if (a[3] < 24)
		return done(c, -EINVAL);
	if (facet_read(c->fs->f, c->call, a[2], &how, sizeof(how)) < 0)
		return done(c, -EFAULT);
	if (how.resolve & ~(uint64_t)(RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV |
				      RESOLVE_CACHED))
		return done(c, -ENOSYS);	/* callers fall back to openat */
	if (how.resolve & RESOLVE_CACHED)
		return done(c, -EAGAIN);
	if ((how.flags >> 32) || (how.mode && !(how.flags & O_CREAT)))
		return done(c, -EINVAL);
	return op_open(c, (int)a[0], a[1], (int)how.flags, (mode_t)how.mode, false);
}

/* --- stat ----------------------------------------------------------------- */

/**
 * stat_flags() - resolver flags from AT_* flags
 * @at:		AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH
 * Return: RES_* flags
 */
static int stat_flags(unsigned int at)
{
	return (at & AT_SYMLINK_NOFOLLOW ? 0 : RES_FOLLOW) |
	       (at & AT_EMPTY_PATH ? RES_EMPTY : 0);
}

/**
 * op_stat() - stat, lstat, newfstatat
 * @c:		the call
 * @dirfd:	guest's dirfd
 * @addr:	path
 * @buf:	guest's struct stat
 * @at:		AT_* flags
 * Return: FACET_REPLY
 */
static enum facet_outcome op_stat(struct ctx *c, int dirfd, uint64_t addr,
				  uint64_t buf, unsigned int at)
{
	char path[PATH_MAX];
	struct fmount *img;
	struct stat st;
	struct fres r;
	bool have;
	int e, base;

	if (at & ~(unsigned int)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return done(c, -EINVAL);
	if ((e = get_path(c, addr, path)) < 0)
		return done(c, e);
	base = fdir_quick_stat(c->fs, c->p, c->call, dirfd, path, &st, &have, &img);
	if (base >= 0) {
		e = !have && fstatat(base, path, &st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
		if (e || !S_ISLNK(st.st_mode) || (at & AT_SYMLINK_NOFOLLOW))
			goto out;	/* else the link's text is the view's */
	}
	e = res_resolve(c->fs, c->p, c->call, dirfd, path,
			stat_flags(at) | RES_NOMOUNT, &r);
	if (e < 0)
		return done(c, e);
	e = fstatat(r.fd, "", &st, AT_EMPTY_PATH) < 0 ? -errno : 0;
	img = r.m;
	res_release(&r);
out:
	if (!e)
		img_stat_fix(img, &st);
	if (!e)
		e = facet_write(c->fs->f, c->call, buf, &st, sizeof(st));
	return done(c, e);
}

/**
 * op_statx() - statx(dirfd, path, flags, mask, buf)
 * @c:		the call
 * Return: FACET_REPLY
 */
static enum facet_outcome op_statx(struct ctx *c)
{
	uint64_t *a = c->call->args;
	unsigned int at = (unsigned int)a[2];
	char path[PATH_MAX];
	struct fmount *img;
	struct statx stx;
	struct fres r;
	int e, base;

	if ((e = get_path(c, a[1], path)) < 0)
		return done(c, e);
	base = fdir_quick_stat(c->fs, c->p, c->call, (int)a[0], path, NULL, NULL, &img);
	if (base >= 0) {
		e = statx(base, path, AT_SYMLINK_NOFOLLOW | (at & AT_STATX_SYNC_TYPE),
			  (unsigned int)a[3] | STATX_TYPE | (img ? IMG_STATX : 0), &stx) < 0 ? -errno : 0;
		if (e || !S_ISLNK(stx.stx_mode) || (at & AT_SYMLINK_NOFOLLOW))
			goto out;	/* else the link's text is the view's */
	}
	e = res_resolve(c->fs, c->p, c->call, (int)a[0], path,
			stat_flags(at) | RES_NOMOUNT, &r);
	if (e < 0)
		return done(c, e);
	e = statx(r.fd, "", AT_EMPTY_PATH | (at & AT_STATX_SYNC_TYPE),
		  (unsigned int)a[3] | (is_img(&r) ? IMG_STATX : 0), &stx) < 0 ? -errno : 0;
	img = r.m;
	res_release(&r);
out:
	if (!e)
		img_statx_fix(img, &stx);
	if (!e)
		e = facet_write(c->fs->f, c->call, a[4], &stx, sizeof(stx));
	return done(c, e);
}

/**
 * op_statfs() - statfs(path, buf)
 * @c:		the call
 * Return: FACET_REPLY
 */
static enum facet_outcome op_statfs(struct ctx *c)
{
	struct statfs sf;
	struct fres r;
	int e = resolve(c, AT_FDCWD, c->call->args[0], RES_FOLLOW, &r);

	if (e < 0)
		return done(c, e);
	e = fstatfs(r.fd, &sf) < 0 ? -errno : 0;
	if (!e && is_img(&r))
		img_statfs(c->fs, r.m, r.fd, &sf);
	if (!e && is_ro(&r))
		sf.f_flags |= ST_RDONLY;
	res_release(&r);
	if (!e)
		e = facet_write(c->fs->f, c->call, c->call->args[1], &sf, sizeof(sf));
	return done(c, e);
}

/**
 * op_fstatfs() - fstatfs(fd, buf) of a file in an image
 * @c:		the call
 * Return: outcome (FACET_CONTINUE if the fd is not in an image)
 */
static enum facet_outcome op_fstatfs(struct ctx *c)
{
	struct statfs sf;
	int fd = guest_fd(c, (int)c->call->args[0]), e;

	if (fd < 0)
		return FACET_CONTINUE;	/* the kernel finds the error */
	e = fstatfs(fd, &sf) < 0 ? -errno : img_statfs(c->fs, NULL, fd, &sf);
	close(fd);
	if (e == 1)
		return FACET_CONTINUE;
	if (!e)
		e = facet_write(c->fs->f, c->call, c->call->args[1], &sf, sizeof(sf));
	return done(c, e);
}

/**
 * op_access() - access, faccessat, faccessat2
 * @c:		the call
 * @dirfd:	guest's dirfd
 * @addr:	path
 * @mode:	F_OK or R_OK|W_OK|X_OK
 * @at:		AT_EACCESS, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH
 * Return: FACET_REPLY
 */
static enum facet_outcome op_access(struct ctx *c, int dirfd, uint64_t addr,
				    int mode, unsigned int at)
{
	struct stat st;
	struct fres r;
	int e;

	if (mode & ~(R_OK | W_OK | X_OK) ||
	    at & ~(unsigned int)(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return done(c, -EINVAL);
	e = resolve(c, dirfd, addr, stat_flags(at), &r);
	if (e < 0)
		return done(c, e);
	if ((mode & W_OK) && is_ro(&r) && fstat(r.fd, &st) == 0 &&
	    (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode)))
		e = -EROFS;
	else if (syscall(SYS_faccessat2, r.fd, "", mode,
			 AT_EMPTY_PATH | (at & AT_EACCESS)) < 0)
		e = -errno;
	res_release(&r);
	return done(c, e);
}

/* --- links ---------------------------------------------------------------- */

/**
 * magic_text() - what readlink says of a /proc magic link, in guest terms
 * @c:		the call
 * @r:		result naming the link
 * @out:	text
 * @size:	room
 * Return: length, or -errno
 */
static int magic_text(struct ctx *c, const struct fres *r, char *out, size_t size)
{
	struct fproc *q = files_proc_of(c->fs, r->magic_pid);
	char host[PATH_MAX];
	ssize_t n;

	if (q && r->magic == MAGIC_CWD)
		return snprintf(out, size, "%s", q->cwd);
	if (q && r->magic == MAGIC_ROOT)
		return snprintf(out, size, "%s", q->root);
	n = readlinkat(r->fd, "", host, sizeof(host) - 1);
	if (n < 0)
		return -errno;
	host[n] = 0;
	if (!q || host[0] != '/')
		return snprintf(out, size, "%s", host);
	if (r->magic == MAGIC_EXE && q->exe && q->interp && !strcmp(host, q->interp))
		return snprintf(out, size, "%s", q->exe);
	if (fview_to_guest(q->view, host, out, size) < 0)
		return snprintf(out, size, "%s", host);
	return (int)strlen(out);
}

/**
 * op_readlink() - readlink, readlinkat
 * @c:		the call
 * @dirfd:	guest's dirfd
 * @addr:	path
 * @buf:	guest buffer
 * @size:	its size
 * Return: FACET_REPLY
 */
static enum facet_outcome op_readlink(struct ctx *c, int dirfd, uint64_t addr,
				      uint64_t buf, long size)
{
	char text[PATH_MAX];
	struct fres r;
	long n;
	int e;

	if (size <= 0)
		return done(c, -EINVAL);
	e = resolve(c, dirfd, addr, RES_EMPTY, &r);
	if (e < 0)
		return done(c, e);
	if (r.magic != MAGIC_NONE) {
		n = magic_text(c, &r, text, sizeof(text));
	} else {
		n = readlinkat(r.fd, "", text, sizeof(text));
		if (n < 0)
			n = errno == ENOENT ? -EINVAL : -errno;
	}
	res_release(&r);
	if (n < 0)
		return done(c, n);
	if (n > size)
		n = size;
	e = facet_write(c->fs->f, c->call, buf, text, (size_t)n);
	return done(c, e < 0 ? e : n);
}

/**
 * op_symlink() - symlink, symlinkat
 * @c:		the call
 * @target:	guest address of the link's text
 * @dirfd:	guest's dirfd
 * @addr:	path of the new link
 * Return: FACET_REPLY
 */
static enum facet_outcome op_symlink(struct ctx *c, uint64_t target, int dirfd,
				     uint64_t addr)
{
	char text[PATH_MAX];
	struct fres r;
	int e = get_path(c, target, text);

	if (e < 0)
		return done(c, e);
	if (!*text)
		return done(c, -ENOENT);
	e = resolve(c, dirfd, addr, RES_PARENT, &r);
	if (e < 0)
		return done(c, e);
	if (r.fd >= 0 || r.dirfd < 0)
		e = -EEXIST;
	else if (r.flags & RES_DIR)
		e = -ENOENT;	/* "name/": only a directory is made so */
	else if (is_ro(&r))
		e = -EROFS;
	else if ((e = ovl_new(&r, NULL)) < 0)
		;
	else if (is_img(&r) && (e = img_create(&r, S_IFLNK | 0777, 0, text)) < 0)
		;
	else if (symlinkat(text, r.dirfd, r.name) < 0)
		e = -errno;
	else if (is_img(&r))
		img_made(&r);
	res_release(&r);
	return done(c, e);
}

/**
 * resolve_two() - resolve the two paths of link and rename
 * @c:		the call
 * @odir:	guest's dirfd of the existing name
 * @oaddr:	its path
 * @oflags:	RES_* for it
 * @ndir:	guest's dirfd of the new name
 * @naddr:	new path
 * @o:		result for the old name
 * @n:		result for the new name (RES_PARENT)
 * Return: 0, or -errno with nothing held
 */
static int resolve_two(struct ctx *c, int odir, uint64_t oaddr, int oflags,
		       int ndir, uint64_t naddr, struct fres *o, struct fres *n)
{
	int e = resolve(c, odir, oaddr, oflags, o);

	if (e < 0)
		return e;
	e = resolve(c, ndir, naddr, RES_PARENT, n);
	if (e < 0)
		res_release(o);
	return e;
}

/**
 * op_link() - link, linkat
 * @c:		the call
 * @odir:	guest's dirfd of the existing file
 * @oaddr:	its path
 * @ndir:	guest's dirfd of the new name
 * @naddr:	new path
 * @at:		AT_SYMLINK_FOLLOW, AT_EMPTY_PATH
 * Return: FACET_REPLY
 */
static enum facet_outcome op_link(struct ctx *c, int odir, uint64_t oaddr,
				  int ndir, uint64_t naddr, unsigned int at)
{
	struct fres o, n;
	char path[64];
	int e;

	if (at & ~(unsigned int)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return done(c, -EINVAL);
	e = resolve_two(c, odir, oaddr, (at & AT_SYMLINK_FOLLOW ? RES_FOLLOW : 0) |
			(at & AT_EMPTY_PATH ? RES_EMPTY : 0), ndir, naddr, &o, &n);
	if (e < 0)
		return done(c, e);
	if (n.fd >= 0 || n.dirfd < 0)
		e = -EEXIST;
	else if (n.flags & RES_DIR)
		e = -ENOENT;
	else if (!o.m || !n.m || o.m->id != n.m->id)
		e = -EXDEV;
	else if (is_ro(&n))
		e = -EROFS;
	else if ((e = ovl_change(&o, 0, false)) < 0 || (e = ovl_new(&n, NULL)) < 0)
		;
	else if (is_img(&n) && (e = img_link(&o, &n)) < 0)
		;
	else if (fd_proc_path(path, sizeof(path), o.fd, NULL) == 0 &&
		 linkat(AT_FDCWD, path, n.dirfd, n.name, AT_SYMLINK_FOLLOW) < 0)
		e = -errno;
	else if (is_img(&n))
		img_made(&n);
	res_release(&o);
	res_release(&n);
	return done(c, e);
}

/**
 * op_unlink() - unlink, unlinkat, rmdir
 * @c:		the call
 * @dirfd:	guest's dirfd
 * @addr:	path
 * @at:		0 or AT_REMOVEDIR
 * Return: FACET_REPLY
 */
static enum facet_outcome op_unlink(struct ctx *c, int dirfd, uint64_t addr,
				    unsigned int at)
{
	char path[PATH_MAX];
	const char *base;
	struct fres r;
	int e;

	if (at & ~(unsigned int)AT_REMOVEDIR)
		return done(c, -EINVAL);
	e = get_path(c, addr, path);
	if (e < 0)
		return done(c, e);
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if ((at & AT_REMOVEDIR) && !strcmp(base, "."))
		return done(c, -EINVAL);
	if ((at & AT_REMOVEDIR) && !strcmp(base, ".."))
		return done(c, -ENOTEMPTY);
	e = res_resolve(c->fs, c->p, c->call, dirfd, path, RES_PARENT, &r);
	if (e < 0)
		return done(c, e);
	if (r.fd < 0)
		e = -ENOENT;
	else if (r.dirfd < 0 || is_mount_root(&r))
		e = -EBUSY;
	else if (is_ro(&r))
		e = -EROFS;
	else if (is_ovl(&r))
		e = ovl_remove(r.m, r.guest, at & AT_REMOVEDIR);
	else if (is_img(&r) && ((at & AT_REMOVEDIR) != 0) != fd_is_dir(r.fd))
		e = at & AT_REMOVEDIR ? -ENOTDIR : -EISDIR;
	else if (is_img(&r) && (e = img_remove(&r, at & AT_REMOVEDIR)) < 0)
		;
	else if (unlinkat(r.dirfd, r.name, (int)at) < 0)
		e = -errno;
	res_release(&r);
	return done(c, e);
}

/**
 * op_rename() - rename, renameat, renameat2
 * @c:		the call
 * @odir:	guest's dirfd of the old name
 * @oaddr:	old path
 * @ndir:	guest's dirfd of the new name
 * @naddr:	new path
 * @flags:	RENAME_*
 * Return: FACET_REPLY
 */
static enum facet_outcome op_rename(struct ctx *c, int odir, uint64_t oaddr,
				    int ndir, uint64_t naddr, unsigned int flags)
{
	struct fres o, n;
	int e;

	e = resolve_two(c, odir, oaddr, RES_PARENT, ndir, naddr, &o, &n);
	if (e < 0)
		return done(c, e);
	if (o.fd < 0)
		e = -ENOENT;
	else if (!o.m || !n.m || o.m->id != n.m->id)
		e = -EXDEV;	/* the kernel says this before EBUSY */
	else if (((o.flags | n.flags) & RES_DIR) && !fd_is_dir(o.fd))
		e = -ENOTDIR;	/* "name/" of a file */
	else if (o.dirfd < 0 || n.dirfd < 0 || is_mount_root(&o) ||
		 (n.fd >= 0 && is_mount_root(&n)))
		e = -EBUSY;
	else if (is_ro(&o))
		e = -EROFS;
	else if (is_ovl(&o))
		e = ovl_rename(o.m, o.guest, n.guest, flags);
	else if (is_img(&o) && (e = img_rename(&o, &n, flags)) < 0)
		;
	else if (syscall(SYS_renameat2, o.dirfd, o.name, n.dirfd, n.name, flags) < 0)
		e = -errno;
	if (!e)
		c->fs->gen++;	/* a directory fd may now stand elsewhere */
	res_release(&o);
	res_release(&n);
	return done(c, e);
}

/**
 * op_mknod() - mkdir, mkdirat, mknod, mknodat
 * @c:		the call
 * @dirfd:	guest's dirfd
 * @addr:	path
 * @mode:	type and permissions
 * @dev:	device number (mknod)
 * @dir:	mkdir
 * Return: FACET_REPLY
 */
static enum facet_outcome op_mknod(struct ctx *c, int dirfd, uint64_t addr,
				   mode_t mode, dev_t dev, bool dir)
{
	struct fres r;
	bool below = false;
	int e = resolve(c, dirfd, addr, RES_PARENT, &r);

	if (e < 0)
		return done(c, e);
	if (r.fd >= 0 || r.dirfd < 0)
		e = -EEXIST;
	else if (!dir && (r.flags & RES_DIR))
		e = -ENOENT;
	else if (is_ro(&r))
		e = -EROFS;
	else if (is_ovl(&r) && !dir && S_ISCHR(mode) && !dev)
		e = -EPERM;	/* a whiteout: the overlay's own mark */
	else if ((e = ovl_new(&r, &below)) < 0)
		;
	else if (is_img(&r) &&
		 (e = img_create(&r, (dir ? S_IFDIR | (mode & 07777) : mode) & ~c->p->umask,
				 dev, NULL)) < 0)
		;
	else {
		with_umask(c, true);
		if ((dir ? mkdirat(r.dirfd, r.name, mode)
			 : mknodat(r.dirfd, r.name, mode, dev)) < 0)
			e = -errno;
		with_umask(c, false);
		if (!e && dir && below)
			e = ovl_created_dir(&r);
		if (!e && is_img(&r))
			img_made(&r);
	}
	res_release(&r);
	return done(c, e);
}

/* --- attributes ----------------------------------------------------------- */

/**
 * op_chattr() - chmod, fchmodat, fchmodat2, chown, lchown, fchownat
 * @c:		the call
 * @dirfd:	guest's dirfd
 * @addr:	path
 * @at:		AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH
 * @chown:	a chown (@uid, @gid), else a chmod (@mode)
 * @mode:	new mode
 * @uid:	owner or -1
 * @gid:	group or -1
 * Return: FACET_REPLY
 */
static enum facet_outcome op_chattr(struct ctx *c, int dirfd, uint64_t addr,
				    unsigned int at, bool chown, mode_t mode,
				    uid_t uid, gid_t gid)
{
	char path[64];
	struct stat st;
	struct fres r;
	int e;

	if (at & ~(unsigned int)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return done(c, -EINVAL);
	e = resolve(c, dirfd, addr, stat_flags(at), &r);
	if (e < 0)
		return done(c, e);
	if (!chown && fstat(r.fd, &st) < 0)
		e = -errno;
	else if (!chown && S_ISLNK(st.st_mode))
		e = -EOPNOTSUPP;	/* no mode of its own */
	else if (is_ro(&r))
		e = -EROFS;
	else if ((e = ovl_change(&r, OVL_OWNER, false)) < 0)
		;
	else if (is_img(&r) && (e = img_chattr(&r, chown, mode, uid, gid)) < 0)
		;
	else if (chown && is_img(&r) && geteuid())
		;	/* the image keeps it: facet cannot on the host */
	else if (chown)
		e = fchownat(r.fd, "", uid, gid, AT_EMPTY_PATH) < 0 ? -errno : 0;
	else if (fd_proc_path(path, sizeof(path), r.fd, NULL) == 0 &&
		 chmod(path, mode) < 0)
		e = -errno;
	res_release(&r);
	return done(c, e);
}

/**
 * op_truncate() - truncate(path, length)
 * @c:		the call
 * Return: FACET_REPLY
 */
static enum facet_outcome op_truncate(struct ctx *c)
{
	char path[64];
	struct stat st;
	struct fres r;
	int e, fd;

	if ((long)c->call->args[1] < 0)
		return done(c, -EINVAL);
	e = resolve(c, AT_FDCWD, c->call->args[0], RES_FOLLOW, &r);
	if (e < 0)
		return done(c, e);
	if (fstat(r.fd, &st) < 0)
		e = -errno;
	else if (S_ISDIR(st.st_mode))
		e = -EISDIR;
	else if (!S_ISREG(st.st_mode))
		e = -EINVAL;
	else if (is_ro(&r))
		e = -EROFS;
	else if ((e = ovl_change(&r, OVL_WRITE, !c->call->args[1])) < 0)
		;
	else if (is_img(&r) && (e = img_truncate(&r, c->call->args[1])) < 0)
		;
	else {
		fd_proc_path(path, sizeof(path), r.fd, NULL);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || ftruncate(fd, (off_t)c->call->args[1]) < 0)
			e = -errno;
		if (fd >= 0)
			close(fd);
	}
	res_release(&r);
	return done(c, e);
}

/**
 * read_times() - the time argument of the utime family, as timespec[2]
 * @c:		the call
 * @addr:	guest address, or 0 for "now"
 * @kind:	'n' timespec[2], 'v' timeval[2], 'u' struct utimbuf
 * @ts:		result
 * Return: 1 if times were given, 0 for now, -errno
 */
static int read_times(struct ctx *c, uint64_t addr, int kind,
		      struct timespec ts[2])
{
	struct timeval tv[2];
	struct utimbuf ub;
	int i;

	if (!addr)
		return 0;
	if (kind == 'n')
		return facet_read(c->fs->f, c->call, addr, ts, 2 * sizeof(*ts)) < 0 ? -EFAULT : 1;
	if (kind == 'u') {
		if (facet_read(c->fs->f, c->call, addr, &ub, sizeof(ub)) < 0)
			return -EFAULT;
		ts[0] = (struct timespec){ ub.actime, 0 };
		ts[1] = (struct timespec){ ub.modtime, 0 };
		return 1;
	}
	if (facet_read(c->fs->f, c->call, addr, tv, sizeof(tv)) < 0)
		return -EFAULT;
	for (i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		ts[i] = (struct timespec){ tv[i].tv_sec, tv[i].tv_usec * 1000 };
	}
	return 1;
}

/**
 * op_utimes() - utime, utimes, futimesat, utimensat
 * @c:		the call
 * @dirfd:	guest's dirfd
 * @addr:	path, or 0 (utimensat: the dirfd itself)
 * @times:	guest address of the times
 * @kind:	see read_times()
 * @at:		AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH
 * Return: FACET_REPLY
 */
static enum facet_outcome op_utimes(struct ctx *c, int dirfd, uint64_t addr,
				    uint64_t times, int kind, unsigned int at)
{
	struct timespec ts[2];
	char path[PATH_MAX];
	struct stat st;
	struct fres r;
	int e, given, fd;

	given = read_times(c, times, kind, ts);
	if (given < 0)
		return done(c, given);
	if (at & ~(unsigned int)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return done(c, -EINVAL);
	if (!addr && kind == 'n') {	/* futimens() */
		if (dirfd == AT_FDCWD)
			return done(c, -EFAULT);
		if (fd_mount_ro(c, dirfd))
			return done(c, -EROFS);
		e = fd_ovl_upper(c, dirfd, given ? OVL_OWNER : OVL_TOUCH, &fd);
		if (e < 0)
			return done(c, e);
		if (!e) {
			fd_proc_path(path, sizeof(path), fd, NULL);
			e = utimensat(AT_FDCWD, path, given ? ts : NULL, 0) < 0 ? -errno : 0;
			close(fd);
			return done(c, e);
		}
		fd = guest_fd(c, dirfd);
		if (fd < 0)
			return done(c, fd);
		e = futimens(fd, given ? ts : NULL) < 0 ? -errno : 0;
		if (!e)
			img_touched(c->fs, fd);
		close(fd);
		return done(c, e);
	}
	e = resolve(c, dirfd, addr, stat_flags(at), &r);
	if (e < 0)
		return done(c, e);
	if (is_ro(&r))
		e = -EROFS;
	else if ((e = ovl_change(&r, given ? OVL_OWNER : OVL_TOUCH, false)) < 0)
		;
	else if (fstat(r.fd, &st) < 0)
		e = -errno;
	else if (S_ISLNK(st.st_mode) && r.dirfd >= 0)
		e = utimensat(r.dirfd, r.name, given ? ts : NULL,
			      AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
	else if (fd_proc_path(path, sizeof(path), r.fd, NULL) == 0)
		e = utimensat(AT_FDCWD, path, given ? ts : NULL, 0) < 0 ? -errno : 0;
	if (!e && is_img(&r))
		img_touched(c->fs, r.fd);
	res_release(&r);
	return done(c, e);
}

/**
 * xattr_target() - the path to act on for an xattr call
 * @r:		result
 * @follow:	not an l*xattr call
 * @out:	"/proc/self/fd/N" or "/proc/self/fd/DIR/NAME"
 * @size:	room
 * @nofollow:	set if @out must not be followed at its end
 * Return: 0 or -errno
 */
static int xattr_target(const struct fres *r, bool follow, char *out,
			size_t size, bool *nofollow)
{
	struct stat st;

	*nofollow = false;
	if (!follow && r->dirfd >= 0 && fstat(r->fd, &st) == 0 &&
	    S_ISLNK(st.st_mode)) {
		*nofollow = true;
		return fd_proc_path(out, size, r->dirfd, r->name);
	}
	return fd_proc_path(out, size, r->fd, NULL);
}

/**
 * op_xattr() - [l]{get,set,list,remove}xattr
 * @c:		the call
 * @op:		'g', 's', 'l', 'r'
 * @follow:	not an l* variant
 * Return: FACET_REPLY
 */
static enum facet_outcome op_xattr(struct ctx *c, int op, bool follow)
{
	uint64_t *a = c->call->args;
	char name[256], path[PATH_MAX], *val = NULL;
	size_t size = op == 'l' ? a[2] : a[3];
	bool nofollow;
	struct fres r;
	long n = 0;
	int e;

	if (op != 'l' && facet_read_string(c->fs->f, c->call, a[1], name, sizeof(name)) < 0)
		return done(c, -ERANGE);
	if (size > 65536)
		size = op == 's' ? (size_t)-1 : 65536;
	if (size == (size_t)-1)
		return done(c, -E2BIG);
	if (size && !(val = malloc(size)))
		return done(c, -ENOMEM);
	if (op == 's' && size &&
	    facet_read(c->fs->f, c->call, a[2], val, size) < 0) {
		free(val);
		return done(c, -EFAULT);
	}
	e = resolve(c, AT_FDCWD, a[0], follow ? RES_FOLLOW : 0, &r);
	if (!e && (op == 's' || op == 'r') && is_ro(&r))
		e = -EROFS;
	if (!e && (op == 's' || op == 'r'))
		e = ovl_change(&r, OVL_OWNER, false);
	if (!e && is_img(&r) &&
	    img_xattr(c->fs, r.m, r.fd, op, name, val, size, (int)a[4], &n) == 0) {
		e = n < 0 ? (int)n : 0;
		goto out;
	}
	if (!e)
		e = xattr_target(&r, follow, path, sizeof(path), &nofollow);
	if (!e) {
		switch (op) {
		case 'g': n = (nofollow ? lgetxattr : getxattr)(path, name, val, size); break;
		case 's': n = (nofollow ? lsetxattr : setxattr)(path, name, val, size, (int)a[4]); break;
		case 'l': n = (nofollow ? llistxattr : listxattr)(path, val, size); break;
		default: n = (nofollow ? lremovexattr : removexattr)(path, name); break;
		}
		if (n < 0)
			e = -errno;
	}
out:
	res_release(&r);
	if (!e && (op == 'g' || op == 'l') && size && n > 0)
		e = facet_write(c->fs->f, c->call, op == 'l' ? a[1] : a[2], val, (size_t)n);
	free(val);
	return done(c, e < 0 ? e : n);
}

/**
 * fattr_image() - fchmod, fchown, fsetxattr, fremovexattr of a file in an
 *		   image: its daemon first
 * @c:		the call
 * @fd:		the file
 * @name:	the attribute (fsetxattr, fremovexattr)
 * @val:	its value (fsetxattr)
 * Return: 1 to go on and change the cache's object too (or not in an
 *	   image), 0 if done, or -errno
 */
static int fattr_image(struct ctx *c, int fd, const char *name, void *val)
{
	uint64_t *a = c->call->args;
	struct fuse_setattr_in sa = { 0 };
	int nr = c->call->nr, e;
	long n;

	if (!c->fs->images)
		return 1;
	if (nr == __NR_fsetxattr || nr == __NR_fremovexattr) {
		e = img_xattr(c->fs, NULL, fd, nr == __NR_fsetxattr ? 's' : 'r',
			      name, val, nr == __NR_fsetxattr ? a[3] : 0, (int)a[4], &n);
		return e == 1 ? 1 : (int)(n < 0 ? n : 0);
	}
	if (nr == __NR_fchmod) {
		sa.valid = FATTR_MODE;
		sa.mode = (uint32_t)a[1] & 07777;
	} else {
		sa.valid = ((uid_t)a[1] != (uid_t)-1 ? FATTR_UID : 0) |
			   ((gid_t)a[2] != (gid_t)-1 ? FATTR_GID : 0);
		sa.uid = (uint32_t)a[1];
		sa.gid = (uint32_t)a[2];
	}
	e = sa.valid ? img_fsetattr(c->fs, fd, &sa) : 1;
	return e < 0 ? e : 1;
}

/**
 * op_fxattr() - fgetxattr, flistxattr of a file in an image: its daemon's
 * @c:		the call
 * Return: outcome (FACET_CONTINUE if not in an image)
 */
static enum facet_outcome op_fxattr(struct ctx *c)
{
	uint64_t *a = c->call->args;
	bool get = c->call->nr == __NR_fgetxattr;
	size_t size = get ? a[3] : a[2];
	char name[256], *val = NULL;
	int fd, e;
	long n = 0;

	if (get && facet_read_string(c->fs->f, c->call, a[1], name, sizeof(name)) < 0)
		return done(c, -ERANGE);
	if ((fd = guest_fd(c, (int)a[0])) < 0)
		return FACET_CONTINUE;
	if (size > 65536)
		size = 65536;
	if (size && !(val = malloc(size))) {
		close(fd);
		return done(c, -ENOMEM);
	}
	e = img_xattr(c->fs, NULL, fd, get ? 'g' : 'l', get ? name : NULL, val, size, 0, &n);
	close(fd);
	if (e == 1) {
		free(val);
		return FACET_CONTINUE;
	}
	if (n > 0 && size)
		e = facet_write(c->fs->f, c->call, get ? a[2] : a[1], val, (size_t)n);
	free(val);
	return done(c, e < 0 ? e : n);
}

/**
 * op_fattr() - fchmod, fchown, fsetxattr, fremovexattr: EROFS on a
 *		read-only mount, else done on the guest's own open file
 * @c:		the call
 * Return: FACET_REPLY
 */
static enum facet_outcome op_fattr(struct ctx *c)
{
	uint64_t *a = c->call->args;
	char name[256], path[64], *val = NULL;
	int fd, e = 0, nr = c->call->nr;

	if (fd_mount_ro(c, (int)a[0]))
		return done(c, -EROFS);
	if ((nr == __NR_fsetxattr || nr == __NR_fremovexattr) &&
	    facet_read_string(c->fs->f, c->call, a[1], name, sizeof(name)) < 0)
		return done(c, -ERANGE);
	if (nr == __NR_fsetxattr) {
		if (a[3] > 65536)
			return done(c, -E2BIG);
		if (a[3] && (!(val = malloc(a[3])) ||
			     facet_read(c->fs->f, c->call, a[2], val, a[3]) < 0)) {
			free(val);
			return done(c, -EFAULT);
		}
	}
	/* an overlay's lower file changes in its upper copy, else the
	 * guest's own open file changes; both by path, to the inode */
	e = fd_ovl_upper(c, (int)a[0], OVL_OWNER, &fd);
	if (e == 1 && (fd = guest_fd(c, (int)a[0])) < 0)
		e = fd;
	if (e < 0) {
		free(val);
		return done(c, e);
	}
	if ((e = fattr_image(c, fd, name, val)) <= 0) {
		close(fd);
		free(val);
		return done(c, e);
	}
	fd_proc_path(path, sizeof(path), fd, NULL);
	if (nr == __NR_fchmod)
		e = chmod(path, (mode_t)a[1]);
	else if (nr == __NR_fchown)
		e = fchownat(fd, "", (uid_t)a[1], (gid_t)a[2], AT_EMPTY_PATH);
	else if (nr == __NR_fsetxattr)
		e = setxattr(path, name, val, a[3], (int)a[4]);
	else
		e = removexattr(path, name);
	e = e < 0 ? -errno : 0;
	close(fd);
	free(val);
	return done(c, e);
}

/* --- directories ---------------------------------------------------------- */

/**
 * set_cwd() - the process's new working directory
 * @c:		the call
 * @r:		resolution of it (canonical guest path)
 * Return: 0 or -errno
 */
static int set_cwd(struct ctx *c, struct fres *r)
{
	struct stat st;
	char *g;

	if (fstat(r->fd, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (syscall(SYS_faccessat2, r->fd, "", X_OK, AT_EMPTY_PATH) < 0)
		return -errno;
	if (!(g = strdup(r->guest)))
		return -ENOMEM;
	free(c->p->cwd);
	c->p->cwd = g;
	if (c->p->cwdfd >= 0)
		close(c->p->cwdfd);
	c->p->cwdfd = r->fd;
	r->fd = -1;
	return 0;
}

/**
 * op_chdir() - chdir(path)
 * @c:		the call
 * Return: FACET_REPLY
 */
static enum facet_outcome op_chdir(struct ctx *c)
{
	struct fres r;
	int e = resolve(c, AT_FDCWD, c->call->args[0], RES_FOLLOW | RES_CANON, &r);

	if (e < 0)
		return done(c, e);
	e = set_cwd(c, &r);
	res_release(&r);
	return done(c, e);
}

/**
 * op_fchdir() - fchdir(fd)
 * @c:		the call
 * Return: FACET_REPLY
 */
static enum facet_outcome op_fchdir(struct ctx *c)
{
	char link[64];
	struct fres r = { .dirfd = -1 };
	int e;

	e = res_fd_guest(c->fs, c->p, c->call->tid, (int)c->call->args[0],
			 r.guest, sizeof(r.guest));
	if (e == -ENOENT)
		e = -ENOTDIR;	/* a pipe, or nothing the view shows */
	if (e < 0)
		return done(c, e);
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", c->call->tid,
		 (int)c->call->args[0]);
	r.fd = open(link, O_PATH | O_CLOEXEC);
	if (r.fd < 0)
		return done(c, -EBADF);
	e = set_cwd(c, &r);
	res_release(&r);
	return done(c, e);
}

/**
 * op_getcwd() - getcwd(buf, size)
 * @c:		the call
 * Return: FACET_REPLY
 */
static enum facet_outcome op_getcwd(struct ctx *c)
{
	const char *cwd = c->p->cwd, *root = c->p->root;
	size_t rl = strlen(root), len;
	int e;

	if (strcmp(root, "/") && !strncmp(cwd, root, rl) &&
	    (cwd[rl] == '/' || !cwd[rl]))
		cwd = cwd[rl] ? cwd + rl : "/";
	len = strlen(cwd) + 1;
	if (c->call->args[1] < len)
		return done(c, -ERANGE);
	e = facet_write(c->fs->f, c->call, c->call->args[0], cwd, len);
	return done(c, e < 0 ? e : (long)len);
}

/**
 * op_chroot() - chroot(path), for a guest that may (CAP_SYS_CHROOT)
 * @c:		the call
 * Return: FACET_REPLY
 */
static enum facet_outcome op_chroot(struct ctx *c)
{
	struct stat st;
	struct fres r;
	char *g;
	int e;

	e = resolve(c, AT_FDCWD, c->call->args[0], RES_FOLLOW | RES_CANON, &r);
	if (e < 0)
		return done(c, e);
	if (fstat(r.fd, &st) < 0 || !S_ISDIR(st.st_mode))
		e = -ENOTDIR;
	else if (!facet_capable(c->fs->f, c->call, CAP_SYS_CHROOT))
		e = -EPERM;
	else if (!(g = strdup(r.guest)))
		e = -ENOMEM;
	else {
		free(c->p->root);
		c->p->root = g;
	}
	res_release(&r);
	return done(c, e);
}

/**
 * dirent_hidden() - is this directory entry a hidden path of the view?
 * @v:		the view
 * @dir:	guest path of the directory
 * @name:	entry name
 * Return: true to leave it out of the listing
 */
static bool dirent_hidden(const struct fview *v, const char *dir,
			  const char *name)
{
	char g[PATH_MAX];
	const struct fmount *m;

	if (path_join(g, sizeof(g), dir, name) < 0)
		return false;
	m = fview_at(v, g);
	return m && m->kind == FM_HIDE;
}

/**
 * dir_has_hidden() - does a directory hold a hidden path?
 * @v:		the view
 * @dir:	its guest path
 * Return: true if some hide's parent is @dir
 */
static bool dir_has_hidden(const struct fview *v, const char *dir)
{
	size_t dl = strlen(dir);
	const char *g, *slash;
	int i;

	for (i = 0; i < v->n; i++) {
		if (v->m[i]->kind != FM_HIDE)
			continue;
		g = v->m[i]->guest;
		slash = strrchr(g, '/');
		if ((size_t)(slash - g) == dl && !strncmp(g, dir, dl))
			return true;
		if (slash == g && dl == 1)
			return true;
	}
	return false;
}

/**
 * getdents_merged() - getdents64 of a directory both layers of an overlay
 *		have: the merged entries, from the guest's file position
 * @c:		the call
 * @o:		the directory
 * @dir:	its guest path, or NULL (no hidden entries to leave out)
 * @gfd:	the guest's open directory (shares its position)
 * @buf:	room for the entries
 * @size:	its size
 *
 * The position is an index into the merged listing; d_off says the same,
 * so seekdir() and rewinddir() work as on any directory.
 *
 * Return: bytes filled, or -errno
 */
static long getdents_merged(struct ctx *c, const struct ovl_pos *o,
			    const char *dir, int gfd, char *buf, size_t size)
{
	struct ovl_list l;
	off_t pos = lseek(gfd, 0, SEEK_CUR);
	size_t out = 0, i, len, rec;
	int e;

	if (pos < 0)
		return -errno;
	if ((e = ovl_list(o, &l)) < 0)
		return e;
	for (i = (size_t)pos; i < l.n; i++) {
		struct dirent64 *d = (struct dirent64 *)(buf + out);

		if (dir && dirent_hidden(c->p->view, dir, l.v[i].name))
			continue;
		len = strlen(l.v[i].name);
		rec = (offsetof(struct dirent64, d_name) + len + 1 + 7) & ~(size_t)7;
		if (out + rec > size)
			break;
		memset(d, 0, rec);
		d->d_ino = l.v[i].ino;
		d->d_off = (off_t)i + 1;
		d->d_reclen = (unsigned short)rec;
		d->d_type = l.v[i].type;
		memcpy(d->d_name, l.v[i].name, len);
		out += rec;
	}
	e = !out && i < l.n ? -EINVAL : 0;	/* no room for one entry */
	ovl_list_free(&l);
	if (!e && lseek(gfd, (off_t)i, SEEK_SET) < 0)
		e = -errno;
	return e < 0 ? e : (long)out;
}

/**
 * op_getdents64() - getdents64(fd, buf, size) without the hidden entries
 * @c:		the call
 *
 * Done on the guest's own open directory (the offset moves for it too).
 *
 * Return: FACET_REPLY
 */
static enum facet_outcome op_getdents64(struct ctx *c)
{
	uint64_t *a = c->call->args;
	char dir[PATH_MAX], *buf;
	size_t size = a[2] > 1 << 20 ? 1 << 20 : a[2], in = 0, out = 0;
	bool procdir;
	long n;
	int fd, e;

	e = res_fd_guest(c->fs, c->p, c->call->tid, (int)a[0], dir, sizeof(dir));
	if (c->fs->overlays) {
		struct ovl_pos o;
		char host[PATH_MAX];

		if (res_fd_host(c->call->tid, (int)a[0], host, sizeof(host)) > 0 &&
		    host[0] == '/' && ovl_dir_of(c->p->view, host, &o) == 0) {
			fd = guest_fd(c, (int)a[0]);
			buf = fd < 0 ? NULL : malloc(size ? size : 1);
			n = !buf ? (fd < 0 ? fd : -ENOMEM)
				 : getdents_merged(c, &o, e < 0 || !dir_has_hidden(c->p->view, dir)
						   ? NULL : dir, fd, buf, size);
			ovl_pos_close(&o);
			if (fd >= 0)
				close(fd);
			e = n > 0 ? facet_write(c->fs->f, c->call, a[1], buf, (size_t)n) : 0;
			free(buf);
			return done(c, n < 0 ? n : e < 0 ? e : n);
		}
	}
	procdir = e >= 0 && c->fs->sandbox && !strcmp(dir, "/proc");
	if (e < 0 || (!procdir && !dir_has_hidden(c->p->view, dir))) {
		fd = guest_fd(c, (int)a[0]);
		if (fd < 0)
			return done(c, fd);
		/* a directory the sandbox does not show, whose fd came in
		 * from outside (inherited, passed over a socket): its names
		 * stay outside too */
		if (e == -ENOENT && c->fs->sandbox && fd_is_dir(fd)) {
			close(fd);
			return done(c, -EACCES);
		}
		buf = malloc(size ? size : 1);
		n = buf ? syscall(SYS_getdents64, fd, buf, size) : -1;
		e = n < 0 ? -errno : 0;
		close(fd);
		if (!e && n > 0)
			e = facet_write(c->fs->f, c->call, a[1], buf, (size_t)n);
		free(buf);
		return done(c, e < 0 ? e : n);
	}
	fd = guest_fd(c, (int)a[0]);
	if (fd < 0)
		return done(c, fd);
	buf = malloc(size ? size : 1);
	if (!buf) {
		close(fd);
		return done(c, -ENOMEM);
	}
	do {
		n = syscall(SYS_getdents64, fd, buf, size);
		if (n <= 0)
			break;
		for (in = 0, out = 0; in < (size_t)n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + in);
			size_t len = d->d_reclen;

			if (!dirent_hidden(c->p->view, dir, d->d_name) &&
			    !(procdir && sandbox_foreign_pid(c->fs, d->d_name))) {
				memmove(buf + out, d, len);
				out += len;
			}
			in += len;
		}
	} while (!out);
	e = n < 0 ? -errno : 0;
	close(fd);
	if (!e && out)
		e = facet_write(c->fs->f, c->call, a[1], buf, out);
	free(buf);
	return done(c, e < 0 ? e : (long)out);
}

/* --- watches, sockets, mounts --------------------------------------------- */

/**
 * op_inotify() - inotify_add_watch(fd, path, mask)
 * @c:		the call
 * Return: FACET_REPLY
 */
static enum facet_outcome op_inotify(struct ctx *c)
{
	uint64_t *a = c->call->args;
	uint32_t mask = (uint32_t)a[2];
	char path[PATH_MAX];
	bool nofollow;
	struct fres r;
	int fd, e;

	e = resolve(c, AT_FDCWD, a[1], mask & IN_DONT_FOLLOW ? 0 : RES_FOLLOW, &r);
	if (e < 0)
		return done(c, e);
	fd = guest_fd(c, (int)a[0]);
	if (fd < 0) {
		res_release(&r);
		return done(c, fd);
	}
	e = xattr_target(&r, !(mask & IN_DONT_FOLLOW), path, sizeof(path), &nofollow);
	if (!e)
		e = inotify_add_watch(fd, path, nofollow ? mask : mask & ~IN_DONT_FOLLOW);
	if (e < 0)
		e = -errno;
	close(fd);
	res_release(&r);
	return done(c, e);
}

/**
 * op_fanotify() - fanotify_mark(fd, flags, mask, dirfd, path)
 * @c:		the call
 * Return: FACET_REPLY
 */
static enum facet_outcome op_fanotify(struct ctx *c)
{
	uint64_t *a = c->call->args;
	unsigned int flags = (unsigned int)a[1];
	char path[64];
	struct fres r;
	int fd, e;

	if (!a[4])
		e = res_resolve(c->fs, c->p, c->call, (int)a[3], "",
				RES_EMPTY, &r);
	else
		e = resolve(c, (int)a[3], a[4],
			    flags & FAN_MARK_DONT_FOLLOW ? 0 : RES_FOLLOW, &r);
	if (e < 0)
		return done(c, e);
	fd = guest_fd(c, (int)a[0]);
	if (fd >= 0) {
		fd_proc_path(path, sizeof(path), r.fd, NULL);
		e = fanotify_mark(fd, flags & ~FAN_MARK_DONT_FOLLOW, a[2],
				  AT_FDCWD, path) < 0 ? -errno : 0;
		close(fd);
	} else {
		e = fd;
	}
	res_release(&r);
	return done(c, e);
}

/**
 * unix_name_add() - remember the name a guest gave a socket the view bound
 *		     elsewhere (the host's path, or a /proc path for a long
 *		     one), for getsockname
 * @fs:		module state
 * @fd:		the socket (the supervisor's copy)
 * @host:	the path it is bound to
 * @guest:	the guest's sun_path (not NUL-terminated if it fills @glen)
 * @glen:	its bytes
 */
static void unix_name_add(struct files *fs, int fd, const char *host,
			  const char *guest, size_t glen)
{
	struct unix_name *u;
	struct stat st;
	unsigned int i;

	if (glen > sizeof(u->guest) - 1)
		glen = sizeof(u->guest) - 1;
	if (fstat(fd, &st) < 0 || (!strncmp(host, guest, glen) && !host[strnlen(guest, glen)]))
		return;	/* nothing to say but what the kernel says */
	if (!fs->unames && !(fs->unames = calloc(UNAMES_MAX, sizeof(*fs->unames))))
		return;
	for (i = 0; i < fs->nunames && i < UNAMES_MAX && fs->unames[i].ino != st.st_ino; i++)
		;
	u = &fs->unames[i < UNAMES_MAX ? i : fs->nunames % UNAMES_MAX];
	if (i == fs->nunames || i == UNAMES_MAX)
		fs->nunames++;
	u->ino = st.st_ino;
	snprintf(u->host, sizeof(u->host), "%s", host);
	memcpy(u->guest, guest, glen);
	u->guest[glen] = 0;
}

/**
 * unix_name_of() - the guest's name for the host path a socket is bound
 *		    to: one a guest bound (unix_name_add()), else the path
 *		    where the view shows it
 * @fs:		module state
 * @host:	the host path
 * @tmp:	room for an answer made here
 * Return: the name, or NULL if the guest would see @host as it is (or not
 *	   at all)
 */
static const struct unix_name *unix_name_of(struct files *fs, const char *host,
					    struct unix_name *tmp)
{
	unsigned int i;

	for (i = 0; i < fs->nunames && i < UNAMES_MAX; i++)
		if (!strcmp(fs->unames[i].host, host))
			return &fs->unames[i];
	if (fview_to_guest(fs->view, host, tmp->guest, sizeof(tmp->guest)) < 0 ||
	    !strcmp(tmp->guest, host))
		return NULL;
	snprintf(tmp->host, sizeof(tmp->host), "%s", host);
	return tmp;
}

/**
 * op_getsockname() - getsockname() and getpeername(): a socket the view
 *		      bound elsewhere answers with the name the guest gave,
 *		      and a sandbox's abstract names lose their prefix
 * @c:		the call
 * Return: outcome
 */
static enum facet_outcome op_getsockname(struct ctx *c)
{
	uint64_t *a = c->call->args;
	bool peer = c->call->nr == __NR_getpeername;
	struct sockaddr_un sun = { 0 };
	socklen_t sl = sizeof(sun), out;
	const struct unix_name *u = NULL;
	char hp[sizeof(sun.sun_path) + 1];
	struct unix_name guest;
	struct stat st;
	unsigned int i;
	int fd, len, r;

	if ((fd = guest_fd(c, (int)a[0])) < 0)
		return FACET_CONTINUE;
	r = (peer ? getpeername : getsockname)(fd, (struct sockaddr *)&sun, &sl);
	if (!peer && !r && fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode))
		for (i = 0; i < c->fs->nunames && i < UNAMES_MAX; i++)
			if (c->fs->unames[i].ino == st.st_ino)
				u = &c->fs->unames[i];
	close(fd);
	if (r < 0 || sun.sun_family != AF_UNIX || sl > sizeof(sun))
		return FACET_CONTINUE;	/* the kernel answers the same */
	memcpy(hp, sun.sun_path, sizeof(sun.sun_path));
	hp[sizeof(sun.sun_path)] = 0;	/* a name of 108 bytes has no NUL */
	if (!u && hp[0] == '/')	/* a peer's name, or a host's socket */
		u = unix_name_of(c->fs, hp, &guest);
	if (u && !strcmp(hp, u->host)) {
		memset(sun.sun_path, 0, sizeof(sun.sun_path));
		memcpy(sun.sun_path, u->guest, strlen(u->guest));
		sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(u->guest) + 1);
	} else if (!c->fs->sandbox || !unix_strip(&sun, &sl)) {
		return FACET_CONTINUE;	/* not one of ours (any more) */
	}
	if (facet_read(c->fs->f, c->call, a[2], &len, sizeof(len)) < 0)
		return done(c, -EFAULT);
	if (len < 0)
		return done(c, -EINVAL);
	out = sl;
	if ((len && facet_write(c->fs->f, c->call, a[1], &sun,
				(size_t)len < out ? (size_t)len : out) < 0) ||
	    facet_write(c->fs->f, c->call, a[2], &out, sizeof(out)) < 0)
		return done(c, -EFAULT);
	return done(c, 0);
}

/**
 * unix_path_addr() - the host address of an AF_UNIX path a guest binds or
 *		      connects to, resolved in the view
 * @c:		the call
 * @sun:	the guest's address
 * @len:	its length
 * @bind_it:	bind, not connect
 * @host:	filled in
 * @r:		the resolution, released by the caller
 * Return: 0 or -errno
 */
static int unix_path_addr(struct ctx *c, const struct sockaddr_un *sun, size_t len,
			  bool bind_it, struct sockaddr_un *host, struct fres *r)
{
	char path[PATH_MAX], dirp[PATH_MAX];
	int e;

	memcpy(path, sun->sun_path, len - offsetof(struct sockaddr_un, sun_path));
	path[len - offsetof(struct sockaddr_un, sun_path)] = 0;
	e = res_resolve(c->fs, c->p, c->call, AT_FDCWD, path,
			bind_it ? RES_PARENT : RES_FOLLOW, r);
	if (e < 0)
		return e;
	if (bind_it && r->fd >= 0)
		e = -EADDRINUSE;
	else if (bind_it && is_ro(r))
		e = -EROFS;
	else if (bind_it)
		e = ovl_new(r, NULL);
	if (e)
		return e;
	/* the host path if it fits (getsockname shows it), else /proc */
	if (bind_it) {
		char link[64];
		ssize_t l;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", r->dirfd);
		l = readlink(link, dirp, sizeof(dirp) - 1);
		dirp[l > 0 ? l : 0] = 0;
		if (l <= 0 || path_join(path, sizeof(path), dirp, r->name) < 0 ||
		    strlen(path) >= sizeof(host->sun_path))
			fd_proc_path(path, sizeof(path), r->dirfd, r->name);
	} else {
		fd_proc_path(path, sizeof(path), r->fd, NULL);
	}
	if (strlen(path) >= sizeof(host->sun_path))
		return -ENAMETOOLONG;
	memcpy(host->sun_path, path, strlen(path) + 1);
	return 0;
}

/**
 * op_unix() - bind or connect with an address
 * @c:		the call
 * @bind_it:	bind, not connect
 *
 * On an AF_UNIX socket the call is made by the supervisor, on its copy,
 * whatever the address: a path resolved in the view, a sandbox's abstract
 * name in its namespace (files_unix.c), anything else as the guest gave it
 * (the copy the supervisor read: another thread cannot change it after).
 * Other families go on to the kernel.
 *
 * Return: outcome
 */
static enum facet_outcome op_unix(struct ctx *c, bool bind_it)
{
	const size_t off = offsetof(struct sockaddr_un, sun_path);
	uint64_t *a = c->call->args;
	struct sockaddr_un sun = { 0 }, host = { .sun_family = AF_UNIX };
	size_t len = a[2] > sizeof(sun) ? sizeof(sun) : a[2];
	socklen_t hl = sizeof(host);
	struct fres r = { .fd = -1, .dirfd = -1 };
	int fd, e, type, hold;

	if ((fd = guest_fd(c, (int)a[0])) < 0)
		return FACET_CONTINUE;	/* the kernel says EBADF */
	if (!unix_kind(fd, &type)) {
		close(fd);
		return FACET_CONTINUE;	/* not AF_UNIX: nothing of the view */
	}
	if (a[2] > sizeof(struct sockaddr_storage))
		e = -EINVAL;
	else if (len && facet_read(c->fs->f, c->call, a[1], &sun, len) < 0)
		e = -EFAULT;
	else if (sun.sun_family == AF_UNIX && a[2] > sizeof(sun))
		e = -EINVAL;	/* the kernel's unix_validate_addr() */
	else if (bind_it && c->fs->sandbox && len == sizeof(sa_family_t) &&
		 sun.sun_family == AF_UNIX)
		e = unix_autobind(fd);
	else if (sun.sun_family != AF_UNIX || len <= off)
		e = bind_it ? (bind(fd, (struct sockaddr *)&sun, (socklen_t)len) < 0 ?
			       -errno : 0)
			    : unix_connect_now(fd, &sun, (socklen_t)len);
	else if (!sun.sun_path[0])
		e = c->fs->sandbox ? unix_abstract(sun.sun_path + 1, len - off - 1,
						   &host, &hl) : 0;
	else
		e = unix_path_addr(c, &sun, len, bind_it, &host, &r);
	if (!e && sun.sun_family == AF_UNIX && len > off) {
		if (!sun.sun_path[0] && !c->fs->sandbox) {
			host = sun;
			hl = (socklen_t)len;
		}
		if (!bind_it) {
			if (c->fs->sandbox)
				unix_autobind_passcred(fd);
			/* the connect may wait: it takes fd, and r's fd that
			 * the address names (/proc/self/fd/N) */
			hold = r.fd;
			r.fd = -1;
			res_release(&r);
			e = unix_connect(c->fs, c->call, fd, &host, hl, hold);
			return e == 1 ? FACET_DEFER : done(c, e);
		}
		with_umask(c, true);
		e = bind(fd, (struct sockaddr *)&host, hl) < 0 ? -errno : 0;
		with_umask(c, false);
		if (!e && sun.sun_path[0])
			unix_name_add(c->fs, fd, host.sun_path, sun.sun_path, len - off);
	}
	close(fd);
	res_release(&r);
	return done(c, e);
}

/**
 * mount_opt_fd() - the "fd=N" of a FUSE mount's options
 * @data:	the options
 * Return: N, or -1
 */
static int mount_opt_fd(const char *data)
{
	const char *p = data;
	char *end;
	long v;

	while (p && *p) {
		if (!strncmp(p, "fd=", 3)) {
			v = strtol(p + 3, &end, 10);
			return end != p + 3 && (*end == ',' || !*end) &&
			       v >= 0 && v <= INT_MAX ? (int)v : -1;
		}
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	return -1;
}

/**
 * op_fuse_mount() - mount(2) of a FUSE file system by its daemon, run in the
 *		     view: the "fd=N" it names is the socket its open of
 *		     /dev/fuse got (op_open()); the mount lands in the view
 *		     the daemon shares with the processes that started it
 * @c:		the call
 * @type:	"fuse" or "fuse.NAME"
 * Return: FACET_REPLY
 *
 * As fusermount allows, anyone may mount on a directory they can write,
 * and unmount it again (op_umount()).
 */
static enum facet_outcome op_fuse_mount(struct ctx *c, const char *type)
{
	uint64_t *a = c->call->args;
	char data[4096];
	struct fres dst;
	int e, fd = -1;

	if (a[3] & (MS_REMOUNT | MS_BIND | MS_MOVE))
		return done(c, -EINVAL);
	if (!a[4] || facet_read_string(c->fs->f, c->call, a[4], data, sizeof(data)) < 0)
		return done(c, -EINVAL);
	e = resolve(c, AT_FDCWD, a[1], RES_FOLLOW | RES_CANON, &dst);
	if (e < 0)
		return done(c, e);
	if (!fd_is_dir(dst.fd))
		e = -ENOTDIR;
	else if (!facet_capable(c->fs->f, c->call, CAP_SYS_ADMIN) &&
		 syscall(SYS_faccessat2, dst.fd, "", W_OK, AT_EMPTY_PATH | AT_EACCESS) < 0)
		e = -EPERM;
	else if (mount_opt_fd(data) < 0 || (fd = guest_fd(c, mount_opt_fd(data))) < 0)
		e = -EINVAL;
	else
		e = img_guest_mount(c->fs, c->p->view, dst.guest, fd, type,
				    a[3] & MS_RDONLY);
	if (fd >= 0)
		close(fd);
	if (!e) {
		c->fs->gen++;
		fdir_flush(c->p);
	}
	res_release(&dst);
	return done(c, e);
}

/**
 * host_capable() - does the caller really hold @cap, whatever an identity
 *		    module says (a fake root makes its mounts in the view)?
 * @c:		the call
 * @cap:	CAP_*
 * Return: true if the kernel would grant it
 */
static bool host_capable(struct ctx *c, int cap)
{
	char buf[2048];

	return proc_status(c->call->tid, buf, sizeof(buf)) > 0 &&
	       ((proc_status_mask(buf, "CapEff:") >> cap) & 1);
}

/**
 * host_backed() - is a result a host object the view shows as it is: in a
 *		   plain bind, not in facet's private directory (--tmpfs)?
 * @fs:		module state
 * @r:		the result
 * Return: true if so
 */
static bool host_backed(const struct files *fs, const struct fres *r)
{
	size_t n = fs->tmpdir ? strlen(fs->tmpdir) : 0;

	return r->m && r->m->kind == FM_BIND && r->fd >= 0 &&
	       !(n && !strncmp(r->m->host, fs->tmpdir, n) &&
		 (!r->m->host[n] || r->m->host[n] == '/'));
}

/**
 * block_fs() - does a file system type mount a block device (its source is
 *		a path), as /proc/filesystems says?
 * @type:	the type
 * Return: true unless it is listed "nodev"
 */
static bool block_fs(const char *type)
{
	char line[128], *t;
	bool block = true;
	FILE *fp = fopen("/proc/filesystems", "re");

	while (fp && fgets(line, sizeof(line), fp)) {
		line[strcspn(line, "\n")] = 0;
		t = strchr(line, '\t');
		if (t && !strcmp(t + 1, type)) {
			block = strncmp(line, "nodev", 5) != 0;
			break;
		}
	}
	if (fp)
		fclose(fp);
	return block;
}

#define MS_PROPAGATION	(MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)

/**
 * mount_host() - mount(2) by a guest that is really privileged, on a host
 *		  directory the view shows as it is: the supervisor makes
 *		  the kernel's mount itself, as it would be made natively,
 *		  on the objects it resolved (/proc/self/fd/N), so that a
 *		  path the guest rewrites after the check changes nothing
 * @c:		the call
 * @dst:	the target, resolved
 * @type:	its type ("" if none)
 * Return: 0 or -errno; 1 if this is not such a mount (the view makes it)
 *
 * The options (@data) are passed as they are: paths in them (overlay's
 * lowerdir=) are the host's.
 */
static int mount_host(struct ctx *c, const struct fres *dst, const char *type)
{
	uint64_t *a = c->call->args;
	unsigned long flags = a[3];
	struct fres src = { .fd = -1, .dirfd = -1 };
	char source[PATH_MAX], target[64], from[64], data[4096];
	const char *sp = NULL;
	int e = 0;

	if (!host_capable(c, CAP_SYS_ADMIN) || !host_backed(c->fs, dst))
		return 1;
	if ((flags & (MS_BIND | MS_MOVE)) ||
	    (!(flags & (MS_REMOUNT | MS_PROPAGATION)) && *type && block_fs(type) && a[0])) {
		e = resolve(c, AT_FDCWD, a[0], RES_FOLLOW, &src);
		if (e < 0)
			return e;
		if ((flags & (MS_BIND | MS_MOVE)) && !host_backed(c->fs, &src)) {
			res_release(&src);
			return 1;
		}
		snprintf(from, sizeof(from), "/proc/self/fd/%d", src.fd);
		sp = from;
	} else if (a[0] && facet_read_string(c->fs->f, c->call, a[0], source,
					     sizeof(source)) >= 0) {
		sp = source;
	}
	if (a[4] && !(flags & (MS_BIND | MS_MOVE | MS_PROPAGATION)) &&
	    facet_read_string(c->fs->f, c->call, a[4], data, sizeof(data)) < 0 &&
	    facet_read(c->fs->f, c->call, a[4], data, sizeof(data)) < 0)
		e = -EFAULT;
	snprintf(target, sizeof(target), "/proc/self/fd/%d", dst->fd);
	if (!e && mount(sp, target, *type ? type : NULL, flags,
			a[4] && !(flags & (MS_BIND | MS_MOVE | MS_PROPAGATION))
			? data : NULL) < 0)
		e = -errno;
	res_release(&src);
	return e;
}

/**
 * op_mount() - mount(2): by a guest that is really privileged, on a host
 *		directory shown as it is, the kernel's mount (mount_host());
 *		else, for a guest that may, a bind or a tmpfs in the view
 * @c:		the call
 * Return: FACET_REPLY
 *
 * A view has no propagation: making one of its mounts shared, private or
 * slave succeeds and changes nothing.
 */
static enum facet_outcome op_mount(struct ctx *c)
{
	uint64_t *a = c->call->args;
	unsigned long flags = a[3];
	struct fres src = { .fd = -1, .dirfd = -1 }, dst;
	char host[PATH_MAX], link[64], type[64] = "";
	const char *tmp = NULL;
	ssize_t n;
	int e;

	if (a[2] && facet_read_string(c->fs->f, c->call, a[2], type, sizeof(type)) < 0)
		return done(c, -EFAULT);
	if (!strcmp(type, "fuse") || !strncmp(type, "fuse.", 5))
		return op_fuse_mount(c, type);
	if (!facet_capable(c->fs->f, c->call, CAP_SYS_ADMIN))
		return done(c, -EPERM);
	e = resolve(c, AT_FDCWD, a[1], RES_FOLLOW | RES_CANON, &dst);
	if (e < 0)
		return done(c, e);
	if ((e = mount_host(c, &dst, type)) <= 0) {
		c->fs->gen++;	/* directory fds may now stand elsewhere */
		fdir_flush(c->p);
		res_release(&dst);
		return done(c, e);
	}
	e = 0;	/* the view's to make */
	if (!(flags & (MS_BIND | MS_REMOUNT | MS_MOVE))) {
		if (flags & MS_PROPAGATION)
			e = is_mount_root(&dst) ? 0 : -EINVAL;
		else if (strcmp(type, "tmpfs"))
			e = -EPERM;	/* only binds and tmpfs are views' to make */
		else if (!fd_is_dir(dst.fd))
			e = -ENOTDIR;
		else if (!(tmp = files_tmpfs(c->fs)))
			e = -ENOMEM;
		if (e || !tmp) {
			res_release(&dst);
			return done(c, e);
		}
		snprintf(host, sizeof(host), "%s", tmp);
	} else if (flags & MS_MOVE) {
		e = -EINVAL;	/* views' mounts do not move */
	} else if (!(flags & MS_REMOUNT)) {
		e = resolve(c, AT_FDCWD, a[0], RES_FOLLOW, &src);
		if (!e) {
			snprintf(link, sizeof(link), "/proc/self/fd/%d", src.fd);
			n = readlink(link, host, sizeof(host) - 1);
			host[n > 0 ? n : 0] = 0;
			e = n > 0 ? 0 : -EINVAL;
		}
	}
	if (!e && (flags & MS_REMOUNT) && !is_mount_root(&dst))
		e = -EINVAL;
	/* the view is changed for every process that shares it, as a mount
	 * namespace is (facet-mount changes the caller's alone) */
	if (!e && (flags & MS_REMOUNT))
		fview_at(c->p->view, dst.guest)->ro = flags & MS_RDONLY;
	else if (!e)
		e = fview_add(c->p->view, dst.guest, host, FM_BIND, flags & MS_RDONLY);
	if (!e) {
		c->fs->gen++;
		fdir_flush(c->p);
	}
	free((char *)tmp);
	res_release(&src);
	res_release(&dst);
	return done(c, e);
}

/**
 * umount_host() - umount2(2) by a guest that is really privileged, of a
 *		   kernel's mount on a host directory shown as it is
 * @c:		the call
 * @r:		the target, resolved (released here: a file open in a mount
 *		keeps it busy)
 * Return: FACET_REPLY
 */
static enum facet_outcome umount_host(struct ctx *c, struct fres *r)
{
	char link[64], host[PATH_MAX];
	ssize_t n;
	int e = 0;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", r->fd);
	n = readlink(link, host, sizeof(host) - 1);
	res_release(r);
	if (n <= 0)
		return done(c, -EINVAL);
	host[n] = 0;
	if (umount2(host, (int)c->call->args[1] | UMOUNT_NOFOLLOW) < 0)
		e = -errno;
	c->fs->gen++;
	fdir_flush(c->p);
	return done(c, e);
}

/**
 * op_umount() - umount2(target, flags), for a guest that may
 * @c:		the call
 * Return: FACET_REPLY
 */
static enum facet_outcome op_umount(struct ctx *c)
{
	struct fres r;
	bool root, gone, own;
	int e;

	e = resolve(c, AT_FDCWD, c->call->args[0],
		    (c->call->args[1] & UMOUNT_NOFOLLOW ? 0 : RES_FOLLOW) | RES_CANON, &r);
	if (e < 0)
		return done(c, facet_capable(c->fs->f, c->call, CAP_SYS_ADMIN) ? e : -EPERM);
	if (!is_mount_root(&r) && !img_unmounted(c->fs, r.guest) &&
	    host_capable(c, CAP_SYS_ADMIN) && host_backed(c->fs, &r))
		return umount_host(c, &r);
	/* a FUSE file system a guest mounted is the guest's to unmount, as
	 * fusermount -u lets its user; it goes from every process sharing
	 * the view, as from the kernel's mount namespace.  Its daemon, when
	 * it ends, unmounts it once more: that succeeds, with nothing to do */
	root = is_mount_root(&r);
	gone = !root && img_unmounted(c->fs, r.guest);
	own = gone || (root && r.m->kind == FM_IMAGE && img_by_guest(r.m));
	if (!own && !facet_capable(c->fs->f, c->call, CAP_SYS_ADMIN))
		e = -EPERM;
	else if (gone)
		;
	else if (!root || !strcmp(r.guest, "/"))
		e = -EINVAL;
	else if (own)
		img_guest_umount(r.m);
	if (!e && !gone) {	/* from every process sharing the view */
		fview_remove(c->p->view, r.guest);
		c->fs->gen++;	/* directory fds may now stand elsewhere */
		fdir_flush(c->p);
	}
	res_release(&r);
	return done(c, e);
}

/**
 * op_open_tree() - open_tree(dirfd, path, flags) without OPEN_TREE_CLONE:
 *		    an O_PATH fd; cloning a mount is not the guest's to do
 * @c:		the call
 * Return: FACET_REPLY
 */
static enum facet_outcome op_open_tree(struct ctx *c)
{
	uint64_t *a = c->call->args;
	unsigned int flags = (unsigned int)a[2];
	struct fres r;
	int e, fd;

	if (flags & (OPEN_TREE_CLONE | AT_RECURSIVE))
		return done(c, -EPERM);
	e = resolve(c, (int)a[0], a[1], stat_flags(flags), &r);
	if (e < 0)
		return done(c, e);
	fd = open_existing(&r, O_PATH | O_CLOEXEC);
	res_release(&r);
	return give_fd(c, fd, flags & O_CLOEXEC);
}

/* --- watched fds: big files of images ------------------------------------- */

/**
 * iov_total() - the bytes an iovec array of the guest's asks for
 * @c:		the call
 * @addr:	guest address of the array
 * @n:		its length
 * Return: the sum (UINT64_MAX if it cannot be read: all of the file)
 */
static uint64_t iov_total(struct ctx *c, uint64_t addr, uint64_t n)
{
	struct iovec v[64];
	uint64_t sum = 0, k, i;

	while (n) {
		k = n < 64 ? n : 64;
		if (facet_read(c->fs->f, c->call, addr, v, k * sizeof(v[0])) < 0)
			return UINT64_MAX;
		for (i = 0; i < k; i++)
			if ((sum += v[i].iov_len) < v[i].iov_len)
				return UINT64_MAX;
		addr += k * sizeof(v[0]);
		n -= k;
	}
	return sum;
}

/**
 * fill_passed() - a message about to be sent may carry watched fds
 *		   (SCM_RIGHTS): their receivers get ordinary numbers, so
 *		   fill those files whole
 * @c:		the call
 * @addr:	guest address of the struct msghdr
 * Return: 0 or -errno
 */
static int fill_passed(struct ctx *c, uint64_t addr)
{
	char ctl[4096];
	struct msghdr h;
	struct cmsghdr *cm;
	size_t i, nfd;
	int *fds, fd, e = 0;

	if (facet_read(c->fs->f, c->call, addr, &h, sizeof(h)) < 0 ||
	    !h.msg_control || h.msg_controllen < sizeof(struct cmsghdr))
		return 0;	/* the kernel gives its own error */
	if (h.msg_controllen > sizeof(ctl))
		h.msg_controllen = sizeof(ctl);
	if (facet_read(c->fs->f, c->call, (uint64_t)(uintptr_t)h.msg_control,
		       ctl, h.msg_controllen) < 0)
		return 0;
	h.msg_control = ctl;
	for (cm = CMSG_FIRSTHDR(&h); cm && !e; cm = CMSG_NXTHDR(&h, cm)) {
		if (cm->cmsg_len > h.msg_controllen - (size_t)((char *)cm - ctl))
			break;	/* past what was read: the kernel's EINVAL */
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS ||
		    cm->cmsg_len < CMSG_LEN(0))
			continue;
		fds = (int *)CMSG_DATA(cm);
		nfd = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < nfd && !e; i++) {
			if (!facet_fd_watched(fds[i]) || (fd = guest_fd(c, fds[i])) < 0)
				continue;
			e = img_fill(c->fs, fd, 0, UINT64_MAX);
			close(fd);
		}
	}
	return e;
}

/**
 * op_sendmsg() - sendmsg() and sendmmsg(), seen for the fds they may pass,
 *		  and made by the supervisor on AF_UNIX datagram sockets
 *		  if the view changes what their addresses name
 * @c:		the call
 * Return: outcome
 */
static enum facet_outcome op_sendmsg(struct ctx *c)
{
	uint64_t *a = c->call->args, i, n = 1;
	int e = 0;

	if (c->call->nr == __NR_sendmmsg)
		n = a[2] < 1024 ? a[2] : 1024;	/* UIO_MAXIOV: the kernel's cap */
	for (i = 0; i < n && !e; i++)
		e = fill_passed(c, a[1] + i * (c->call->nr == __NR_sendmmsg ?
					       sizeof(struct mmsghdr) : 0));
	if (e < 0)
		return done(c, e);
	return c->fs->unix_send ? unix_send(c->fs, c->call) : FACET_PASS;
}

/**
 * watched_range() - the bytes of a watched file a call on it will read
 * @c:		the call
 * @fd:		the supervisor's copy of the fd (same file position)
 * @from:	first byte
 * @to:		end; UINT64_MAX with @from 0: the whole file
 * Return: false if the call reads none (the kernel runs it as it is)
 */
static bool watched_range(struct ctx *c, int fd, uint64_t *from, uint64_t *to)
{
	uint64_t *a = c->call->args, n = 0;
	off_t pos = 0;

	*from = 0;
	*to = UINT64_MAX;
	switch (c->call->nr) {
	case __NR_read: case __NR_readv: case __NR_preadv2:
		if ((pos = lseek(fd, 0, SEEK_CUR)) < 0)
			return false;
		break;
	}
	switch (c->call->nr) {
	case __NR_read:
		*from = (uint64_t)pos;
		n = a[2];
		break;
	case __NR_pread64:
		*from = a[3];
		n = a[2];
		break;
	case __NR_readv:
		*from = (uint64_t)pos;
		n = iov_total(c, a[1], a[2]);
		break;
	case __NR_preadv:
	case __NR_preadv2:
		*from = (int64_t)a[3] == -1 ? (uint64_t)pos : a[3];
		n = iov_total(c, a[1], a[2]);
		break;
	case __NR_mmap:
		*from = a[5];
		n = a[1];
		break;
	case __NR_lseek:	/* SEEK_DATA and SEEK_HOLE would see holes */
		return a[2] == SEEK_DATA || a[2] == SEEK_HOLE;
	case __NR_fcntl:	/* a copy at an ordinary number */
		return a[1] == F_DUPFD || a[1] == F_DUPFD_CLOEXEC;
	default:		/* dup*, sendfile, splice, copy_file_range */
		return true;
	}
	*to = *from + n < *from ? UINT64_MAX : *from + n;
	if (*from == 0 && *to == UINT64_MAX)
		*to = UINT64_MAX - 1;	/* not "whole": a read to the end */
	return true;
}

/**
 * op_watched() - a call on a watched fd, which may stand for a big file of
 *		  an image (files_image.c): fill what it reads, then let it run
 * @c:		the call
 * Return: FACET_PASS, or FACET_REPLY for an error filling the file
 */
static enum facet_outcome op_watched(struct ctx *c)
{
	uint64_t *a = c->call->args, from, to;
	int gfd = (int)a[0], fd, pfd, e = 0;

	if (c->call->nr == __NR_mmap)
		gfd = (int)a[4];
	else if (c->call->nr == __NR_sendfile || c->call->nr == __NR_pidfd_getfd)
		gfd = (int)a[1];
	if (!c->fs->images || !facet_fd_watched(gfd))
		return FACET_PASS;
	if (c->call->nr == __NR_pidfd_getfd) {
		/* another process's fd: a copy in the caller gets an
		 * ordinary number */
		if ((pfd = guest_fd(c, (int)a[0])) < 0)
			return FACET_PASS;
		fd = (int)syscall(SYS_pidfd_getfd, pfd, gfd, 0);
		close(pfd);
	} else {
		fd = guest_fd(c, gfd);
	}
	if (fd < 0)
		return FACET_PASS;	/* the kernel finds the error */
	if (watched_range(c, fd, &from, &to))
		e = img_fill(c->fs, fd, from, to);
	close(fd);
	return e < 0 ? done(c, e) : FACET_PASS;
}

/**
 * op_sync() - fsync, fdatasync, syncfs and sync: what guests wrote into an
 *	       image reaches it before the call returns
 * @c:		the call
 * Return: outcome
 */
static enum facet_outcome op_sync(struct ctx *c)
{
	int fd, e;

	if (c->call->nr == __NR_sync) {
		img_sync_all(c->fs);
		return FACET_CONTINUE;
	}
	if ((fd = guest_fd(c, (int)c->call->args[0])) < 0)
		return FACET_CONTINUE;	/* the kernel finds the error */
	e = img_sync(c->fs, fd, c->call->nr == __NR_syncfs);
	close(fd);
	return e == 1 ? FACET_CONTINUE : done(c, e);
}

/* --- the table ------------------------------------------------------------ */

/* syscalls that touch no path but that the view must see */
static const int trap_other[] = {
	__NR_umask, __NR_fchmod, __NR_fchown, __NR_fsetxattr, __NR_fremovexattr,
	__NR_bind, __NR_connect, __NR_getcwd, __NR_fchdir,
	__NR_open_by_handle_at,
};


/* calls that read a watched fd, or copy it to an ordinary number, and the
 * index of that fd argument */
static const struct { int nr; unsigned int arg; } trap_fd[] = {
	{ __NR_read, 0 }, { __NR_pread64, 0 }, { __NR_readv, 0 },
	{ __NR_preadv, 0 }, { __NR_preadv2, 0 }, { __NR_mmap, 4 },
	{ __NR_lseek, 0 }, { __NR_sendfile, 1 }, { __NR_splice, 0 },
	{ __NR_copy_file_range, 0 }, { __NR_dup, 0 }, { __NR_dup2, 0 },
	{ __NR_dup3, 0 }, { __NR_fcntl, 0 }, { __NR_pidfd_getfd, 1 },
};

/* calls that must write an image's files back before they return, and
 * those that answer with the image's figures or attributes */
static const int trap_sync[] = {
	__NR_fsync, __NR_fdatasync, __NR_syncfs, __NR_sync, __NR_fstatfs,
	__NR_fgetxattr, __NR_flistxattr,
};

/**
 * trap_watched() - trap the calls on watched fds, and the messages that
 *		    may pass them, so that big files of images are filled as
 *		    they are read; and the sync calls
 * @fs:		module state
 * Return: 0 or -errno
 */
static int trap_watched(struct files *fs)
{
	size_t i;
	int e = 0;

	for (i = 0; i < sizeof(trap_fd) / sizeof(trap_fd[0]) && !e; i++)
		e = facet_trap_fd(fs->f, trap_fd[i].nr, trap_fd[i].arg);
	if (!e)
		e = facet_trap(fs->f, __NR_sendmsg);
	if (!e)
		e = facet_trap(fs->f, __NR_sendmmsg);
	for (i = 0; i < sizeof(trap_sync) / sizeof(trap_sync[0]) && !e; i++)
		e = facet_trap(fs->f, trap_sync[i]);
	fs->lazy = !e;
	return e;
}

/**
 * files_trap_all() - trap every syscall that takes a path
 * @fs:		module state
 * Return: 0 or -errno
 */
int files_trap_all(struct files *fs)
{
	const struct fview *v = fs->view;
	size_t i;
	int nr, e = 0;

	for (nr = 0; nr < 512 && !e; nr++)
		if (sys_table[nr].name && sys_table[nr].cls == SC_PATH)
			e = facet_trap(fs->f, nr);
	for (i = 0; i < sizeof(trap_other) / sizeof(trap_other[0]) && !e; i++)
		e = facet_trap(fs->f, trap_other[i]);
	/* numbers newer than this list (6.17) may take paths the view does not
	 * know of: ENOSYS, the answer of a kernel without them */
	for (nr = 470; nr < 512 && !e; nr++)
		e = facet_trap(fs->f, nr);
	for (i = 0; (int)i < v->n; i++) {
		const struct fmount *m = v->m[i];

		if (m->kind == FM_HIDE && !m->quiet)
			fs->getdents = true;
		else if (m->kind == FM_OVERLAY)
			fs->getdents = fs->overlays = true;
		/* a directory shown elsewhere than on the host: a socket bound
		 * there has a host name the guest did not give (getsockname
		 * is trapped only then: it costs a trap a call) */
		if (m->kind != FM_HIDE && m->dir && !m->quiet &&
		    (m->kind != FM_BIND || strcmp(m->guest, m->host)))
			fs->unix_names = true;
		/* an AF_UNIX path names another object than on the host */
		if (m->kind != FM_BIND || strcmp(m->guest, m->host))
			fs->unix_send = true;
	}
	fs->unix_send |= fs->sandbox;
	if ((fs->unix_names || fs->sandbox) && !e)
		e = facet_trap(fs->f, __NR_getsockname);
	if ((fs->unix_names || fs->sandbox) && !e)
		e = facet_trap(fs->f, __NR_getpeername);
	if (fs->unix_send && !e)
		e = facet_trap_if(fs->f, __NR_sendto, 4, FACET_CMP_NE, ~0ull, 0);
	if (fs->unix_send && !e)
		e = facet_trap(fs->f, __NR_sendmsg);
	if (fs->unix_send && !e)
		e = facet_trap(fs->f, __NR_sendmmsg);
	if (fs->overlays)
		ovl_tell_copies(fs->f);
	if (fs->sandbox)	/* /proc lists only the sandbox's processes */
		fs->getdents = true;
	if (fs->getdents && !e)
		e = facet_trap(fs->f, __NR_getdents64);
	if (!e)
		e = facet_trap(fs->f, __NR_execve);
	if (!e)
		e = facet_trap(fs->f, __NR_execveat);
	if (fs->sandbox && !e)
		e = sandbox_trap(fs);
	if (fs->sandbox && !e)
		e = sandbox_policy_trap(fs);
	if (fs->images && !e)
		e = trap_watched(fs);
	return e;
}

/**
 * withheld() - did a call that failed with ENOENT name a path the host has
 *		but the view withholds: below a hide, or in a sandbox's own /
 *		(where everything shown is at its host path)?
 * @fs:		module state
 * @call:	the call
 * Return: true if so
 */
static bool withheld(struct files *fs, struct facet_call *call)
{
	const struct sys_desc *d = &sys_table[call->nr];
	const char *p = d->args ? strchr(d->args, 'p') : NULL, *rest;
	struct fproc *proc = files_proc(fs, call);
	char path[PATH_MAX], abs[PATH_MAX], norm[PATH_MAX];
	const struct fmount *m;
	struct stat st;

	if (!p || p - d->args >= 6 || !proc ||
	    facet_read_string(fs->f, call, call->args[p - d->args], path, sizeof(path)) < 0)
		return false;
	/* relative to the cwd (an *at call's own dirfd is not followed) */
	if (path[0] != '/' && ((p != d->args && (d->args[0] != 'd' ||
						 (int)call->args[0] != AT_FDCWD)) ||
			       !proc->cwd ||
			       path_join(abs, sizeof(abs), proc->cwd, path) < 0))
		return false;
	if (path_normalize(path[0] == '/' ? path : abs, norm, sizeof(norm)) < 0)
		return false;
	m = fview_under(proc->view, norm, &rest);
	if (m->kind != FM_HIDE && !(fs->sandbox && !strcmp(m->guest, "/")))
		return false;
	return lstat(norm, &st) == 0;
}

/**
 * log_denial() - --log-denials: say what the view refused a call, and why,
 *		  where the refusal is the view's (not the file system's)
 * @fs:		module state
 * @call:	the call, answered with an error
 */
static void log_denial(struct files *fs, struct facet_call *call)
{
	const struct sys_desc *d = &sys_table[call->nr];
	const char *p = d->args ? strchr(d->args, 'p') : NULL, *why = NULL;
	char path[PATH_MAX] = "";
	struct stat st;

	if (p && p - d->args < 6 &&
	    facet_read_string(fs->f, call, call->args[p - d->args], path, sizeof(path)) < 0)
		path[0] = 0;
	switch (call->error) {
	case ESRCH:
		if (fs->sandbox && sandbox_names_pid(call->nr)) {
			snprintf(path, sizeof(path), "%d", (int)call->args[0]);
			why = "a process outside the sandbox";
		}
		break;
	case EROFS:
		why = "read-only in the view";
		break;
	case EPERM:
		if (fs->refused)
			why = "refused in a sandbox: it reaches past the view";
		else if (call->nr == __NR_open_by_handle_at)
			why = "a file handle names a file past the view";
		break;
	case EACCES:
		if (fs->sandbox && call->nr == __NR_getdents64)
			why = "a directory from outside the view";
		break;
	case ENOENT:	/* the host has it, the view does not show it */
		if (path[0] == '/' && lstat(path, &st) == 0)
			why = "not shown by the view";
		break;
	}
	if (fs->withheld && !why)
		why = "not shown by the view";	/* --deny-errno's, or relative */
	if (why && d->name)
		fprintf(stderr, "facet: denied: %d %s(%s): %s (%s)\n",
			facet_task_tgid(call->task), d->name, path,
			strerror(call->error), why);
	else if (why) {	/* a call syscalls.list does not describe */
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, call->nr);

		fprintf(stderr, "facet: denied: %d %s(): %s (%s)\n",
			facet_task_tgid(call->task), name ? name : "?",
			strerror(call->error), why);
		free(name);
	}
}

static enum facet_outcome files_dispatch(struct files *fs, struct facet_call *call);

/**
 * files_handle() - route a trapped call to its family's handler; with
 *		    --log-denials, say what the view refused
 * @fs:		module state
 * @call:	the call
 * Return: outcome
 */
enum facet_outcome files_handle(struct files *fs, struct facet_call *call)
{
	enum facet_outcome o;

	fs->refused = fs->withheld = false;
	o = files_dispatch(fs, call);
	if ((fs->deny_errno || fs->log_denials) && o == FACET_REPLY &&
	    call->error == ENOENT && (fs->withheld = withheld(fs, call)) && fs->deny_errno)
		call->error = fs->deny_errno;
	if (fs->log_denials && o == FACET_REPLY && call->error)
		log_denial(fs, call);
	return o;
}

/**
 * files_dispatch() - route a trapped call to its family's handler
 * @fs:		module state
 * @call:	the call
 * Return: outcome
 */
static enum facet_outcome files_dispatch(struct files *fs, struct facet_call *call)
{
	struct ctx c = { fs, files_proc(fs, call), call };
	uint64_t *a = call->args;
	int d0 = (int)a[0];
	long reply;

	if (fs->sandbox && call->nr != __NR_pidfd_getfd) {
		if (sandbox_policy(fs, call, &reply)) {
			fs->refused = reply == -EPERM;
			return done(&c, reply);
		}
		if (sandbox_pid_call(fs, call, &reply))
			return done(&c, reply);
		if (sandbox_names_pid(call->nr))
			return FACET_CONTINUE;	/* a guest's: as it is */
		if (sandbox_policy_only(call->nr))
			return FACET_PASS;	/* allowed: for the next module */
	}
	switch (call->nr) {
	case __NR_open: return op_open(&c, AT_FDCWD, a[0], (int)a[1], (mode_t)a[2], true);
	case __NR_openat: return op_open(&c, d0, a[1], (int)a[2], (mode_t)a[3], true);
	case __NR_creat: return op_open(&c, AT_FDCWD, a[0], O_CREAT | O_WRONLY | O_TRUNC, (mode_t)a[1], false);
	case __NR_openat2: return op_openat2(&c);
	case __NR_stat: return op_stat(&c, AT_FDCWD, a[0], a[1], 0);
	case __NR_lstat: return op_stat(&c, AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW);
	case __NR_newfstatat: return op_stat(&c, d0, a[1], a[2], (unsigned int)a[3]);
	case __NR_statx: return op_statx(&c);
	case __NR_statfs: return op_statfs(&c);
	case __NR_access: return op_access(&c, AT_FDCWD, a[0], (int)a[1], 0);
	case __NR_faccessat: return op_access(&c, d0, a[1], (int)a[2], 0);
	case __NR_faccessat2: return op_access(&c, d0, a[1], (int)a[2], (unsigned int)a[3]);
	case __NR_readlink: return op_readlink(&c, AT_FDCWD, a[0], a[1], (long)a[2]);
	case __NR_readlinkat: return op_readlink(&c, d0, a[1], a[2], (long)a[3]);
	case __NR_symlink: return op_symlink(&c, a[0], AT_FDCWD, a[1]);
	case __NR_symlinkat: return op_symlink(&c, a[0], (int)a[1], a[2]);
	case __NR_link: return op_link(&c, AT_FDCWD, a[0], AT_FDCWD, a[1], 0);
	case __NR_linkat: return op_link(&c, d0, a[1], (int)a[2], a[3], (unsigned int)a[4]);
	case __NR_unlink: return op_unlink(&c, AT_FDCWD, a[0], 0);
	case __NR_rmdir: return op_unlink(&c, AT_FDCWD, a[0], AT_REMOVEDIR);
	case __NR_unlinkat: return op_unlink(&c, d0, a[1], (unsigned int)a[2]);
	case __NR_rename: return op_rename(&c, AT_FDCWD, a[0], AT_FDCWD, a[1], 0);
	case __NR_renameat: return op_rename(&c, d0, a[1], (int)a[2], a[3], 0);
	case __NR_renameat2: return op_rename(&c, d0, a[1], (int)a[2], a[3], (unsigned int)a[4]);
	case __NR_mkdir: return op_mknod(&c, AT_FDCWD, a[0], (mode_t)a[1], 0, true);
	case __NR_mkdirat: return op_mknod(&c, d0, a[1], (mode_t)a[2], 0, true);
	case __NR_mknod: return op_mknod(&c, AT_FDCWD, a[0], (mode_t)a[1], (dev_t)a[2], false);
	case __NR_mknodat: return op_mknod(&c, d0, a[1], (mode_t)a[2], (dev_t)a[3], false);
	case __NR_chmod: return op_chattr(&c, AT_FDCWD, a[0], 0, false, (mode_t)a[1], 0, 0);
	case __NR_fchmodat: return op_chattr(&c, d0, a[1], 0, false, (mode_t)a[2], 0, 0);
	case __NR_fchmodat2: return op_chattr(&c, d0, a[1], (unsigned int)a[3], false, (mode_t)a[2], 0, 0);
	case __NR_chown: return op_chattr(&c, AT_FDCWD, a[0], 0, true, 0, (uid_t)a[1], (gid_t)a[2]);
	case __NR_lchown: return op_chattr(&c, AT_FDCWD, a[0], AT_SYMLINK_NOFOLLOW, true, 0, (uid_t)a[1], (gid_t)a[2]);
	case __NR_fchownat: return op_chattr(&c, d0, a[1], (unsigned int)a[4], true, 0, (uid_t)a[2], (gid_t)a[3]);
	case __NR_truncate: return op_truncate(&c);
	case __NR_utime: return op_utimes(&c, AT_FDCWD, a[0], a[1], 'u', 0);
	case __NR_utimes: return op_utimes(&c, AT_FDCWD, a[0], a[1], 'v', 0);
	case __NR_futimesat: return op_utimes(&c, d0, a[1], a[2], 'v', 0);
	case __NR_utimensat: return op_utimes(&c, d0, a[1], a[2], 'n', (unsigned int)a[3]);
	case __NR_getxattr: return op_xattr(&c, 'g', true);
	case __NR_lgetxattr: return op_xattr(&c, 'g', false);
	case __NR_setxattr: return op_xattr(&c, 's', true);
	case __NR_lsetxattr: return op_xattr(&c, 's', false);
	case __NR_listxattr: return op_xattr(&c, 'l', true);
	case __NR_llistxattr: return op_xattr(&c, 'l', false);
	case __NR_removexattr: return op_xattr(&c, 'r', true);
	case __NR_lremovexattr: return op_xattr(&c, 'r', false);
	case __NR_fchmod: case __NR_fchown: case __NR_fsetxattr: case __NR_fremovexattr:
		return op_fattr(&c);
	case __NR_chdir: return op_chdir(&c);
	case __NR_fchdir: return op_fchdir(&c);
	case __NR_getcwd: return op_getcwd(&c);
	case __NR_chroot: return op_chroot(&c);
	case __NR_getdents64: return op_getdents64(&c);
	case __NR_inotify_add_watch: return op_inotify(&c);
	case __NR_fanotify_mark: return op_fanotify(&c);
	case __NR_bind: return op_unix(&c, true);
	case __NR_getsockname: case __NR_getpeername: return op_getsockname(&c);
	case __NR_connect: return op_unix(&c, false);
	case __NR_mount: return op_mount(&c);
	case __NR_umount2: return op_umount(&c);
	case __NR_open_tree: return op_open_tree(&c);
	case __NR_read: case __NR_pread64: case __NR_readv: case __NR_preadv:
	case __NR_preadv2: case __NR_mmap: case __NR_lseek: case __NR_sendfile:
	case __NR_splice: case __NR_copy_file_range: case __NR_dup:
	case __NR_dup2: case __NR_dup3: case __NR_fcntl: case __NR_pidfd_getfd:
		return op_watched(&c);
	case __NR_sendmsg: case __NR_sendmmsg:
		return op_sendmsg(&c);
	case __NR_sendto:	/* trapped with an address; another module may
				   trap it whole */
		return c.fs->unix_send && a[4] ? unix_send(c.fs, c.call) : FACET_PASS;
	case __NR_fsync: case __NR_fdatasync: case __NR_syncfs: case __NR_sync:
		return op_sync(&c);
	case __NR_fstatfs: return op_fstatfs(&c);
	case __NR_fgetxattr: case __NR_flistxattr: return op_fxattr(&c);
	case __NR_umask:
		c.p->umask = (mode_t)a[0] & 0777;
		return FACET_CONTINUE;	/* no memory involved */
	case __NR_name_to_handle_at:
		return done(&c, -EOPNOTSUPP);
	case __NR_open_by_handle_at:	/* a handle names a file past any view */
		return done(&c, -EPERM);
	case __NR_uselib: case __NR_quotactl:
	case __NR_setxattrat: case __NR_getxattrat: case __NR_listxattrat:
	case __NR_removexattrat: case __NR_open_tree_attr: case __NR_file_getattr:
	case __NR_file_setattr:
		return done(&c, -ENOSYS);
	case __NR_acct: case __NR_swapon: case __NR_swapoff: case __NR_pivot_root:
	case __NR_move_mount: case __NR_fsopen: case __NR_fsconfig: case __NR_fsmount:
	case __NR_fspick: case __NR_mount_setattr:
		return done(&c, -EPERM);
	default:
		return done(&c, -ENOSYS);
	}
}

/**
 * files_resolve_host() - the host object a guest path names in the view
 * @fs:		module state
 * @call:	the call
 * @dirfd:	guest's dirfd or AT_FDCWD
 * @path:	the path
 * @flags:	FACET_RES_*
 * Return: an O_PATH fd (the copy in the overlay's upper layer with
 * FACET_RES_CHANGE), or -errno
 */
int files_resolve_host(struct files *fs, struct facet_call *call, int dirfd,
		       const char *path, int flags)
{
	struct ctx c = { fs, files_proc(fs, call), call };
	struct fres r;
	int e, fd;

	e = res_resolve(fs, c.p, call, dirfd, path,
			(flags & FACET_RES_NOFOLLOW ? 0 : RES_FOLLOW) |
			(flags & FACET_RES_EMPTY ? RES_EMPTY : 0) |
			(flags & FACET_RES_CHANGE ? 0 : RES_NOMOUNT), &r);
	if (e < 0)
		return e;
	if (flags & FACET_RES_CHANGE)
		e = is_ro(&r) ? -EROFS : ovl_change(&r, OVL_OWNER, false);
	fd = r.fd;
	if (!e)
		r.fd = -1;
	res_release(&r);
	return e < 0 ? e : fd;
}
