// SPDX-License-Identifier: GPL-2.0-or-later
/* ident_attr.c - owners, modes and device nodes of files in the view
 *
 * DOC: Theory of Operation
 *
 * What stat says.  A file the host says is facet's user's shows as the
 * first guest's (root's under -0); a file with a record (ident_db.c) shows
 * the record's owner, group, mode bits and, for a device node, its type and
 * device number.  The stat calls are offered to the other modules first
 * (facet_next(): the file view answers them for its paths) and their answer
 * is corrected in the guest's buffer; a call nobody answers facet makes
 * itself, as the kernel would.
 *
 * What chown, chmod and mknod do.  The host cannot make a file another
 * user's, or a device node, for an unprivileged user, so these calls are
 * checked against the thread's credentials in the view (the kernel's rules:
 * CAP_CHOWN, CAP_FOWNER, CAP_FSETID, CAP_MKNOD, the owner's rights) and
 * their effect is a record of the host file facet_resolve() names; in an
 * overlay, that is the copy in the upper layer.  chmod also sets the
 * permission bits on the host file, keeping the owner's read and write
 * (and search, for a directory) so that the guest's root, which the host
 * does not know of, can still use what it made; a device node is a regular
 * empty file on the host.
 *
 * Races.  A path is read from the guest once by this module and once by the
 * module that answers the call; a guest that changes it in between only
 * mislabels its own files: the records are the guest's bookkeeping, never
 * a limit the host relies on.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/limits.h>
#include <stdio.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ident_internal.h"

/**
 * ident_birth() - a host file's birth time
 * @fd:		O_PATH fd
 * @sec:	seconds, 0 if the filesystem does not keep it
 * @nsec:	nanoseconds
 */
void ident_birth(int fd, int64_t *sec, uint32_t *nsec)
{
	struct statx stx;

	*sec = 0;
	*nsec = 0;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_BTIME, &stx) == 0 &&
	    (stx.stx_mask & STATX_BTIME)) {
		*sec = stx.stx_btime.tv_sec;
		*nsec = stx.stx_btime.tv_nsec;
	}
}

/**
 * record_of() - the record of a host file, if it is still that file's
 * @id:		module state
 * @dev:	device
 * @ino:	inode
 * @fd:		O_PATH fd of the file, or -1 to resolve it with @call
 * @call:	the call, for facet_resolve() if @fd is -1
 * @dirfd:	its dirfd
 * @path:	its path
 * @rflags:	FACET_RES_*
 * Return: the record, or NULL (one whose inode was reused is dropped)
 */
static const struct rec *record_of(struct ident *id, uint64_t dev,
				   uint64_t ino, int fd,
				   struct facet_call *call, int dirfd,
				   const char *path, int rflags)
{
	const struct rec *r = owners_get(&id->own, dev, ino);
	int64_t sec;
	uint32_t nsec;
	int own = -1;

	if (!r || (!r->btime_sec && !r->btime_nsec))
		return r;
	if (fd < 0 && path)
		fd = own = facet_resolve(id->f, call, dirfd, path, rflags);
	if (fd < 0)
		return r;
	ident_birth(fd, &sec, &nsec);
	if (own >= 0)
		close(own);
	if ((sec || nsec) && (sec != r->btime_sec || nsec != r->btime_nsec)) {
		owners_drop(&id->own, dev, ino);
		return NULL;
	}
	return r;
}

/**
 * apply() - what the view says of a file's attributes
 * @id:		module state
 * @a:		the host's attributes, changed in place
 * @r:		its record, or NULL
 * Return: true if anything changed
 */
static bool apply(const struct ident *id, struct attrs *a, const struct rec *r)
{
	struct attrs o = *a;

	if (a->uid == id->host_uid)
		a->uid = id->start.uid[R];
	if (a->gid == id->host_gid)
		a->gid = id->start.gid[R];
	if (r && (r->what & REC_UID))
		a->uid = r->uid;
	if (r && (r->what & REC_GID))
		a->gid = r->gid;
	if (r && (r->what & REC_MODE))
		a->mode = (a->mode & S_IFMT) | (r->mode & 07777);
	if (r && (r->what & REC_NODE)) {
		a->mode = (r->mode & S_IFMT) | (a->mode & 07777);
		a->rdev = r->rdev;
	}
	return memcmp(&o, a, sizeof(o)) != 0;
}

/**
 * natural() - what a host file's owner and group show as, with no record
 * @id:		module state
 * @st:		its host attributes
 * @uid:	owner in the view
 * @gid:	group in the view
 */
static void natural(const struct ident *id, const struct stat *st,
		    uint32_t *uid, uint32_t *gid)
{
	*uid = st->st_uid == id->host_uid ? id->start.uid[R] : st->st_uid;
	*gid = st->st_gid == id->host_gid ? id->start.gid[R] : st->st_gid;
}

/**
 * fix_stat() - correct a struct stat for the view
 * @id:		module state
 * @st:		the host's answer, changed in place
 * @fd:		the file, or -1 (then @call, @dirfd, @path, @rflags find it)
 * @call:	the call
 * @dirfd:	guest's dirfd
 * @path:	guest's path
 * @rflags:	FACET_RES_*
 * Return: true if it changed
 */
static bool fix_stat(struct ident *id, struct stat *st, int fd,
		     struct facet_call *call, int dirfd, const char *path,
		     int rflags)
{
	struct attrs a = { st->st_dev, st->st_ino, st->st_uid, st->st_gid,
			   st->st_mode, st->st_rdev };
	const struct rec *r = record_of(id, a.dev, a.ino, fd, call, dirfd,
					path, rflags);

	if (!apply(id, &a, r))
		return false;
	st->st_uid = a.uid;
	st->st_gid = a.gid;
	st->st_mode = a.mode;
	st->st_rdev = a.rdev;
	if (r && (r->what & REC_NODE))
		st->st_size = 0;
	return true;
}

/**
 * fix_statx() - correct a struct statx for the view
 * @id:		module state
 * @stx:	the host's answer, changed in place
 * @fd:		see fix_stat()
 * @call:	the call
 * @dirfd:	guest's dirfd
 * @path:	guest's path
 * @rflags:	FACET_RES_*
 * Return: true if it changed
 */
static bool fix_statx(struct ident *id, struct statx *stx, int fd,
		      struct facet_call *call, int dirfd, const char *path,
		      int rflags)
{
	struct attrs a = { makedev(stx->stx_dev_major, stx->stx_dev_minor),
			   stx->stx_ino, stx->stx_uid, stx->stx_gid,
			   stx->stx_mode,
			   makedev(stx->stx_rdev_major, stx->stx_rdev_minor) };
	const struct rec *r = record_of(id, a.dev, a.ino, fd, call, dirfd,
					path, rflags);

	if (!apply(id, &a, r))
		return false;
	if (stx->stx_mask & STATX_UID)
		stx->stx_uid = a.uid;
	if (stx->stx_mask & STATX_GID)
		stx->stx_gid = a.gid;
	stx->stx_mode = (uint16_t)a.mode;
	stx->stx_rdev_major = major(a.rdev);
	stx->stx_rdev_minor = minor(a.rdev);
	if (r && (r->what & REC_NODE))
		stx->stx_size = 0;
	return true;
}

/**
 * ident_reply() - answer a call
 * @call:	the call
 * @r:		result or -errno
 * Return: FACET_REPLY
 */
enum facet_outcome ident_reply(struct facet_call *call, long r)
{
	return facet_result(call, r);
}

/**
 * ident_path() - read a path argument
 * @id:		module state
 * @call:	the call
 * @addr:	guest address
 * @buf:	PATH_MAX bytes
 * Return: 0 or -errno
 */
int ident_path(struct ident *id, struct facet_call *call, uint64_t addr,
		    char *buf)
{
	int r;

	if (!addr)
		return -EFAULT;
	r = facet_read_string(id->f, call, addr, buf, PATH_MAX);
	return r < 0 ? r : 0;
}

/**
 * ident_res_flags() - FACET_RES_* from AT_* flags
 * @at:		AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH
 * Return: the flags
 */
int ident_res_flags(unsigned int at)
{
	return (at & AT_SYMLINK_NOFOLLOW ? FACET_RES_NOFOLLOW : 0) |
	       (at & AT_EMPTY_PATH ? FACET_RES_EMPTY : 0);
}

/**
 * ident_guest_fd() - a copy of one of the guest's fds
 * @call:	the call
 * @fd:		the guest's fd
 * Return: the copy, or -errno
 */
int ident_guest_fd(struct facet_call *call, int fd)
{
	int pidfd = (int)syscall(SYS_pidfd_open, facet_task_tgid(call->task), 0);
	int r;

	if (pidfd < 0)
		return -errno;
	r = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	r = r < 0 ? -errno : r;
	close(pidfd);
	return r;
}

/**
 * op_stat() - stat, lstat, newfstatat, fstat
 * @id:		module state
 * @call:	the call
 * @dirfd:	guest's dirfd, or the fd (fstat: @addr 0)
 * @addr:	path, or 0 for fstat
 * @buf:	guest's struct stat
 * @at:		AT_* flags
 * Return: outcome
 */
static enum facet_outcome op_stat(struct ident *id, struct facet_call *call,
				  int dirfd, uint64_t addr, uint64_t buf,
				  unsigned int at)
{
	enum facet_outcome o = addr ? facet_next(id->f, call) : FACET_PASS;
	char path[PATH_MAX] = "";
	struct stat st;
	int e, fd;

	if (o == FACET_DEFER || (o == FACET_REPLY && call->error))
		return o;
	if (addr && (e = ident_path(id, call, addr, path)) < 0)
		return o == FACET_REPLY ? o : ident_reply(call, e);
	if (o == FACET_REPLY) {		/* answered: correct it */
		if (facet_read(id->f, call, buf, &st, sizeof(st)) == 0 &&
		    fix_stat(id, &st, -1, call, dirfd, path, ident_res_flags(at)))
			facet_write(id->f, call, buf, &st, sizeof(st));
		return o;
	}
	if (at & ~(unsigned int)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return ident_reply(call, -EINVAL);
	fd = addr ? facet_resolve(id->f, call, dirfd, path, ident_res_flags(at))
		  : ident_guest_fd(call, dirfd);
	if (fd < 0)
		return ident_reply(call, fd);
	e = fstat(fd, &st) < 0 ? -errno : 0;
	if (!e) {
		fix_stat(id, &st, fd, call, dirfd, path, 0);
		e = facet_write(id->f, call, buf, &st, sizeof(st));
	}
	close(fd);
	return ident_reply(call, e);
}

/**
 * op_statx() - statx(dirfd, path, flags, mask, buf)
 * @id:		module state
 * @call:	the call
 * Return: outcome
 */
static enum facet_outcome op_statx(struct ident *id, struct facet_call *call)
{
	const uint64_t *a = call->args;
	enum facet_outcome o = facet_next(id->f, call);
	unsigned int at = (unsigned int)a[2];
	char path[PATH_MAX];
	struct statx stx;
	int e, fd;

	if (o == FACET_DEFER || (o == FACET_REPLY && call->error))
		return o;
	if ((e = ident_path(id, call, a[1], path)) < 0)
		return o == FACET_REPLY ? o : ident_reply(call, e);
	if (o == FACET_REPLY) {
		if (facet_read(id->f, call, a[4], &stx, sizeof(stx)) == 0 &&
		    fix_statx(id, &stx, -1, call, (int)a[0], path, ident_res_flags(at)))
			facet_write(id->f, call, a[4], &stx, sizeof(stx));
		return o;
	}
	fd = facet_resolve(id->f, call, (int)a[0], path, ident_res_flags(at));
	if (fd < 0)
		return ident_reply(call, fd);
	e = statx(fd, "", AT_EMPTY_PATH | (at & AT_STATX_SYNC_TYPE),
		  (unsigned int)a[3], &stx) < 0 ? -errno : 0;
	if (!e) {
		fix_statx(id, &stx, fd, call, (int)a[0], path, 0);
		e = facet_write(id->f, call, a[4], &stx, sizeof(stx));
	}
	close(fd);
	return ident_reply(call, e);
}

/**
 * ident_put_record() - store what the view now says of a host file
 * @id:		module state
 * @fd:		the file
 * @st:		its host attributes
 * @what:	REC_* to keep
 * @uid:	owner in the view
 * @gid:	group in the view
 * @mode:	type and mode in the view
 * @rdev:	device number (REC_NODE)
 * Return: 0 or -errno
 */
int ident_put_record(struct ident *id, int fd, const struct stat *st,
		      uint32_t what, uint32_t uid, uint32_t gid, uint32_t mode,
		      uint64_t rdev)
{
	struct rec r = { .dev = st->st_dev, .ino = st->st_ino, .uid = uid,
			 .gid = gid, .mode = mode, .rdev = rdev };
	uint32_t nu, ng;
	int e;

	natural(id, st, &nu, &ng);
	r.what = what & ~(REC_UID | REC_GID);
	if (uid != nu)
		r.what |= REC_UID;
	if (gid != ng)
		r.what |= REC_GID;
	if ((r.what & REC_MODE) && !(r.what & REC_NODE) &&
	    (mode & 07777) == (st->st_mode & 07777))
		r.what &= ~REC_MODE;
	if (!r.what)
		return owners_drop(&id->own, r.dev, r.ino);
	ident_birth(fd, &r.btime_sec, &r.btime_nsec);
	e = owners_put(&id->own, &r);
	if (e < 0)
		facet_error(id->f, "cannot record the owner of inode %llu: %s",
			    (unsigned long long)r.ino, strerror(-e));
	return e;
}

/**
 * ident_view_attrs() - a host file and what the view says of it
 * @id:		module state
 * @fd:		the file
 * @st:		its host attributes
 * @a:		the view's
 * @r:		its record (NULL if none)
 * Return: 0 or -errno
 */
int ident_view_attrs(struct ident *id, int fd, struct stat *st,
		      struct attrs *a, const struct rec **r)
{
	if (fstat(fd, st) < 0)
		return -errno;
	*a = (struct attrs){ st->st_dev, st->st_ino, st->st_uid, st->st_gid,
			     st->st_mode, st->st_rdev };
	*r = record_of(id, a->dev, a->ino, fd, NULL, -1, NULL, 0);
	apply(id, a, *r);
	return 0;
}

/**
 * do_chown() - chown a resolved file in the view
 * @id:		module state
 * @c:		caller's credentials
 * @fd:		the file (O_PATH)
 * @uid:	new owner or -1
 * @gid:	new group or -1
 * Return: 0 or -errno
 */
static int do_chown(struct ident *id, const struct cred *c, int fd,
		    uint32_t uid, uint32_t gid)
{
	const struct rec *r;
	struct attrs a;
	struct stat st;
	uint32_t what, mode;
	int e = ident_view_attrs(id, fd, &st, &a, &r);

	if (e < 0)
		return e;
	if (!ident_capable(c, CAP_CHOWN)) {
		if (uid != (uint32_t)-1 && (c->uid[FS] != a.uid || uid != a.uid))
			return -EPERM;
		if (gid != (uint32_t)-1 && (c->uid[FS] != a.uid ||
		    (gid != a.gid && !ident_in_group(c, gid))))
			return -EPERM;
	}
	what = r ? r->what & (REC_MODE | REC_NODE) : 0;
	mode = r && (r->what & (REC_MODE | REC_NODE)) ? r->mode : st.st_mode;
	if (!S_ISDIR(a.mode) && (uid != (uint32_t)-1 || gid != (uint32_t)-1) &&
	    (a.mode & (S_ISUID | S_ISGID))) {
		/* the kernel drops set-id bits of a file given away */
		mode = (mode & S_IFMT) | (a.mode & 07777 & ~S_ISUID);
		if (a.mode & S_IXGRP)
			mode &= ~(uint32_t)S_ISGID;
		what |= REC_MODE;
	}
	if ((uid != (uint32_t)-1 || gid != (uint32_t)-1) && !S_ISDIR(a.mode))
		owners_xdrop(&id->own, st.st_dev, st.st_ino, "security.capability");
	return ident_put_record(id, fd, &st, what,
			  uid == (uint32_t)-1 ? a.uid : uid,
			  gid == (uint32_t)-1 ? a.gid : gid, mode,
			  r ? r->rdev : 0);
}

/**
 * do_chmod() - chmod a resolved file in the view
 * @id:		module state
 * @c:		caller's credentials
 * @fd:		the file (O_PATH)
 * @mode:	new mode bits
 * Return: 0 or -errno
 */
static int do_chmod(struct ident *id, const struct cred *c, int fd,
		    uint32_t mode)
{
	const struct rec *r;
	char proc[64];
	struct attrs a;
	struct stat st;
	uint32_t host;
	int e = ident_view_attrs(id, fd, &st, &a, &r);

	if (e < 0)
		return e;
	if (S_ISLNK(st.st_mode))
		return -EOPNOTSUPP;
	if (c->uid[FS] != a.uid && !ident_capable(c, CAP_FOWNER))
		return -EPERM;
	mode &= 07777;
	if ((mode & S_ISGID) && !ident_in_group(c, a.gid) &&
	    !ident_capable(c, CAP_FSETID))
		mode &= ~(uint32_t)S_ISGID;
	host = (mode & 0777) | (S_ISDIR(st.st_mode) ? 0700 : 0600);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (st.st_uid == id->host_uid && chmod(proc, host) == 0)
		st.st_mode = (st.st_mode & S_IFMT) | host;
	return ident_put_record(id, fd, &st, REC_MODE | (r ? r->what & REC_NODE : 0),
			  a.uid, a.gid, (a.mode & S_IFMT) | mode,
			  r ? r->rdev : 0);
}

/**
 * op_chattr() - the chown and chmod families
 * @id:		module state
 * @call:	the call
 * @dirfd:	guest's dirfd, or the fd (@addr 0: fchown, fchmod)
 * @addr:	path or 0
 * @at:		AT_* flags
 * @chown:	a chown (@uid, @gid), else a chmod (@mode)
 * @mode:	new mode
 * @uid:	owner or -1
 * @gid:	group or -1
 * Return: FACET_REPLY
 */
static enum facet_outcome op_chattr(struct ident *id, struct facet_call *call,
				    int dirfd, uint64_t addr, unsigned int at,
				    bool chown, uint32_t mode, uint32_t uid,
				    uint32_t gid)
{
	struct cred *c = ident_cred(id, call);
	char path[PATH_MAX] = "";
	int e, fd;

	if (at & ~(unsigned int)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return ident_reply(call, -EINVAL);
	if (!c)
		return ident_reply(call, -ENOMEM);
	if (!addr)
		at |= AT_EMPTY_PATH;
	else if ((e = ident_path(id, call, addr, path)) < 0)
		return ident_reply(call, e);
	fd = facet_resolve(id->f, call, dirfd, path,
			   ident_res_flags(at) | FACET_RES_CHANGE);
	if (fd < 0)
		return ident_reply(call, fd);
	e = chown ? do_chown(id, c, fd, uid, gid) : do_chmod(id, c, fd, mode);
	close(fd);
	return ident_reply(call, e);
}

/**
 * ident_umask() - the calling process's umask
 * @call:	the call
 * Return: the umask (022 if it cannot be read)
 */
mode_t ident_umask(const struct facet_call *call)
{
	char p[64], buf[4096], *u;
	ssize_t n;
	int fd;

	snprintf(p, sizeof(p), "/proc/%d/status", call->tid);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 022;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	u = strstr(buf, "\nUmask:");
	return u ? (mode_t)strtol(u + 7, NULL, 8) & 0777 : 022;
}

/**
 * make_node() - mknod as the kernel would, where no module answered it
 * @call:	the call
 * @dirfd:	guest's dirfd
 * @path:	guest's path
 * @mode:	type and mode
 * Return: 0 or -errno
 */
static int make_node(struct facet_call *call, int dirfd, const char *path,
		     mode_t mode)
{
	char base[64];
	mode_t old;
	int b, e;

	if (*path == '/')
		snprintf(base, sizeof(base), "/");
	else if (dirfd == AT_FDCWD)
		snprintf(base, sizeof(base), "/proc/%d/cwd", call->tid);
	else
		snprintf(base, sizeof(base), "/proc/%d/fd/%d", call->tid, dirfd);
	b = open(base, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (b < 0)
		return dirfd >= 0 && errno == ENOENT ? -EBADF : -errno;
	old = umask(ident_umask(call));
	e = mknodat(b, path, mode, 0) < 0 ? -errno : 0;
	umask(old);
	close(b);
	return e;
}

/**
 * op_mknod() - mknod, mknodat: device nodes become records
 * @id:		module state
 * @call:	the call
 * @dirfd:	guest's dirfd
 * @addr:	path
 * @mi:		index of the mode argument (the device number follows)
 * Return: outcome
 */
static enum facet_outcome op_mknod(struct ident *id, struct facet_call *call,
				   int dirfd, uint64_t addr, int mi)
{
	struct cred *c = ident_cred(id, call);
	uint64_t omode = call->args[mi], odev = call->args[mi + 1];
	mode_t mode = (mode_t)omode, type = mode & S_IFMT;
	char path[PATH_MAX];
	enum facet_outcome o;
	struct stat st;
	int e, fd;

	if (!c)
		return ident_reply(call, -ENOMEM);
	if (type != S_IFCHR && type != S_IFBLK) {
		if (c->uid[FS] == id->start.uid[R] && c->gid[FS] == id->start.gid[R])
			return facet_next(id->f, call);
	} else if (!ident_capable(c, CAP_MKNOD))
		return ident_reply(call, -EPERM);
	if ((e = ident_path(id, call, addr, path)) < 0)
		return ident_reply(call, e);
	if (type == S_IFCHR || type == S_IFBLK) {
		call->args[mi] = S_IFREG | (mode & 07777);
		call->args[mi + 1] = 0;
	}
	o = facet_next(id->f, call);
	call->args[mi] = omode;
	call->args[mi + 1] = odev;
	if (o == FACET_PASS || o == FACET_CONTINUE)
		o = ident_reply(call, make_node(call, dirfd, path,
					  type == S_IFCHR || type == S_IFBLK ?
					  S_IFREG | (mode & 07777) : mode));
	if (o != FACET_REPLY || call->error)
		return o;
	fd = facet_resolve(id->f, call, dirfd, path, FACET_RES_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return o;
	}
	ident_put_record(id, fd, &st, type == S_IFCHR || type == S_IFBLK ? REC_NODE : 0,
		   c->uid[FS], c->gid[FS], type | (st.st_mode & 07777),
		   (uint64_t)odev);
	close(fd);
	return o;
}

/**
 * ident_may() - the kernel's permission check, with the view's ids and attributes
 * @c:		credentials
 * @a:		the file's attributes in the view
 * @mode:	R_OK, W_OK, X_OK
 * @eff:	check the effective ids (AT_EACCESS), else the real ones
 * Return: true if allowed
 */
bool ident_may(const struct cred *c, const struct attrs *a, int mode,
		bool eff)
{
	uint32_t uid = eff ? c->uid[FS] : c->uid[R];
	bool root = eff ? ident_capable(c, CAP_DAC_OVERRIDE)
			: (c->uid[R] == 0 && (c->cap[C_PERM] >> CAP_DAC_OVERRIDE) & 1);
	uint32_t bits;

	if (root)	/* anything, but run only what something may run */
		return !(mode & X_OK) || S_ISDIR(a->mode) || (a->mode & 0111);
	if (uid == a->uid)
		bits = a->mode >> 6;
	else if (eff ? ident_in_group(c, a->gid) :
		 (a->gid == c->gid[R] || ident_in_group(c, a->gid)))
		bits = a->mode >> 3;
	else
		bits = a->mode;
	if (((bits & 7) & (uint32_t)mode) == (uint32_t)mode)
		return true;
	/* reading and searching, not writing or running a file */
	return eff && ident_capable(c, CAP_DAC_READ_SEARCH) && !(mode & W_OK) &&
	       (S_ISDIR(a->mode) || !(mode & X_OK));
}

/**
 * op_access() - access, faccessat, faccessat2: the view's ids decide
 * @id:		module state
 * @call:	the call
 * @dirfd:	guest's dirfd
 * @addr:	path
 * @mode:	F_OK or R_OK | W_OK | X_OK
 * @at:		AT_EACCESS, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH
 * Return: outcome
 */
static enum facet_outcome op_access(struct ident *id, struct facet_call *call,
				    int dirfd, uint64_t addr, int mode,
				    unsigned int at)
{
	struct cred *c = ident_cred(id, call);
	char path[PATH_MAX];
	const struct rec *r;
	enum facet_outcome o;
	struct attrs a;
	struct stat st;
	int e, fd;

	if (mode & ~(R_OK | W_OK | X_OK) ||
	    at & ~(unsigned int)(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return ident_reply(call, -EINVAL);
	if (!c)
		return ident_reply(call, -ENOMEM);
	if ((e = ident_path(id, call, addr, path)) < 0)
		return ident_reply(call, e);
	fd = facet_resolve(id->f, call, dirfd, path, ident_res_flags(at));
	if (fd < 0)
		return ident_reply(call, fd);
	e = ident_view_attrs(id, fd, &st, &a, &r);
	close(fd);
	if (e < 0 || mode == F_OK)
		return ident_reply(call, e);
	if (!ident_may(c, &a, mode, at & AT_EACCESS))
		return ident_reply(call, -EACCES);
	if (!(mode & W_OK))
		return ident_reply(call, 0);
	/* a read-only mount is the file view's to say */
	o = facet_next(id->f, call);
	if (o == FACET_REPLY && call->error == EROFS)
		return o;
	return ident_reply(call, 0);
}

/**
 * last_link() - the record a removal of this name would leave behind
 * @id:		module state
 * @call:	the call
 * @dirfd:	guest's dirfd
 * @addr:	path
 * @key:	device and inode of the file, if it has a record and this is
 *		its last link
 * Return: true if so
 */
static bool last_link(struct ident *id, struct facet_call *call, int dirfd,
		      uint64_t addr, uint64_t key[2])
{
	char path[PATH_MAX];
	struct stat st;
	int fd;

	if ((!id->own.n && !id->own.nx) || ident_path(id, call, addr, path) < 0)
		return false;
	fd = facet_resolve(id->f, call, dirfd, path, FACET_RES_NOFOLLOW);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 ||
	    (!owners_get(&id->own, st.st_dev, st.st_ino) &&
	     !owners_xget(&id->own, st.st_dev, st.st_ino, NULL)) ||
	    (!S_ISDIR(st.st_mode) && st.st_nlink > 1)) {
		close(fd);
		return false;
	}
	close(fd);
	key[0] = st.st_dev;
	key[1] = st.st_ino;
	return true;
}

/**
 * unlink_here() - unlink or rmdir a name as the kernel would
 * @id:		module state
 * @call:	the call
 * @dirfd:	guest's dirfd
 * @addr:	path
 * @flags:	AT_REMOVEDIR or 0
 * Return: 0 or -errno
 */
static int unlink_here(struct ident *id, struct facet_call *call, int dirfd,
		       uint64_t addr, int flags)
{
	char path[PATH_MAX], *slash, *name;
	int dfd, e;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	if ((e = ident_path(id, call, addr, path)) < 0)
		return e;
	while (strlen(path) > 1 && path[strlen(path) - 1] == '/')
		path[strlen(path) - 1] = '\0';
	slash = strrchr(path, '/');
	name = slash ? slash + 1 : path;
	if (!*name)
		return -EBUSY;	/* "/" */
	if (!strcmp(name, "."))
		return -EINVAL;
	if (!strcmp(name, ".."))
		return -ENOTEMPTY;
	if (slash == path)
		dfd = facet_resolve(id->f, call, dirfd, "/", 0);
	else if (slash) {
		*slash = '\0';
		dfd = facet_resolve(id->f, call, dirfd, path, 0);
	} else
		dfd = facet_resolve(id->f, call, dirfd, "", FACET_RES_EMPTY);
	if (dfd < 0)
		return dfd;
	e = unlinkat(dfd, name, flags) < 0 ? -errno : 0;
	close(dfd);
	return e;
}

/**
 * op_remove() - unlink, rmdir, rename over a file: its record goes with it
 * @id:		module state
 * @call:	the call
 * @dirfd:	guest's dirfd of the name removed (or replaced)
 * @addr:	that name
 * @flags:	RENAME_EXCHANGE and RENAME_NOREPLACE keep the file
 * Return: the other modules' outcome
 */
static enum facet_outcome op_remove(struct ident *id, struct facet_call *call,
				    int dirfd, uint64_t addr, unsigned int flags)
{
	uint64_t key[2];
	int e = ident_perm_remove(id, call);
	bool drop = !e && !(flags & (RENAME_EXCHANGE | RENAME_NOREPLACE)) &&
		    last_link(id, call, dirfd, addr, key);
	enum facet_outcome o = e ? ident_reply(call, e) : facet_next(id->f, call);

	if (!drop || o == FACET_DEFER || (o == FACET_REPLY && call->error))
		return o;
	if (o != FACET_REPLY) {
		/* nobody answered: an unlink runs here; a rename runs in the
		 * kernel and the record stays, told apart by birth time */
		if (call->nr == SYS_rename || call->nr == SYS_renameat ||
		    call->nr == SYS_renameat2)
			return o;
		o = ident_reply(call, unlink_here(id, call, dirfd, addr,
					    call->nr == SYS_rmdir ? AT_REMOVEDIR :
					    call->nr == SYS_unlinkat ?
					    (int)call->args[2] : 0));
		if (call->error)
			return o;
	}
	owners_drop(&id->own, key[0], key[1]);
	return o;
}

/**
 * fix_types() - readdir's types of recorded device nodes
 * @id:		module state
 * @buf:	struct linux_dirent64 records
 * @len:	their length
 * @dev:	the directory's device
 * Return: true if one changed
 */
static bool fix_types(struct ident *id, unsigned char *buf, long len,
		      uint64_t dev)
{
	bool changed = false;
	long off = 0;

	while (off + 19 < len) {
		uint64_t ino;
		uint16_t reclen;
		const struct rec *r;

		memcpy(&ino, buf + off, 8);
		memcpy(&reclen, buf + off + 16, 2);
		if (reclen < 20 || off + reclen > len)
			break;
		r = owners_get(&id->own, dev, ino);
		if (r && (r->what & REC_NODE)) {
			buf[off + 18] = S_ISCHR(r->mode) ? DT_CHR : DT_BLK;
			changed = true;
		}
		off += reclen;
	}
	return changed;
}

/**
 * op_getdents() - getdents64: a device node's type is the record's
 * @id:		module state
 * @call:	the call
 * Return: outcome
 */
static enum facet_outcome op_getdents(struct ident *id, struct facet_call *call)
{
	const uint64_t *a = call->args;
	size_t count = a[2] > (1 << 20) ? 1 << 20 : a[2];
	enum facet_outcome o;
	unsigned char *buf;
	struct stat st;
	long n;
	int fd;

	if (!id->own.nodes)
		return facet_next(id->f, call);
	o = facet_next(id->f, call);
	if (o == FACET_DEFER || (o == FACET_REPLY && (call->error || call->ret <= 0)))
		return o;
	fd = ident_guest_fd(call, (int)a[0]);
	if (fd < 0)
		return o == FACET_REPLY ? o : ident_reply(call, fd);
	buf = malloc(count ? count : 1);
	if (!buf || fstat(fd, &st) < 0) {
		free(buf);
		close(fd);
		return o == FACET_REPLY ? o : ident_reply(call, -ENOMEM);
	}
	if (o == FACET_REPLY) {		/* another module answered: correct it */
		n = call->ret;
		if ((size_t)n <= count && facet_read(id->f, call, a[1], buf, n) == 0 &&
		    fix_types(id, buf, n, st.st_dev))
			facet_write(id->f, call, a[1], buf, n);
	} else {	/* on the guest's own open file: its offset moves */
		n = syscall(SYS_getdents64, fd, buf, count);
		n = n < 0 ? -errno : n;
		if (n > 0) {
			fix_types(id, buf, n, st.st_dev);
			if (facet_write(id->f, call, a[1], buf, n) < 0)
				n = -EFAULT;
		}
		o = ident_reply(call, n);
	}
	free(buf);
	close(fd);
	return o;
}

/**
 * ident_copied() - a copy-up keeps what the view said of the original
 * @id:		module state
 * @from:	the lower object
 * @to:		its copy in the upper layer
 *
 * The copy is the supervisor's file on the host, so its owner, mode and
 * node type as the view showed them (recorded or natural) are recorded.
 */
void ident_copied(struct ident *id, int from, int to)
{
	const struct rec *r;
	struct stat st, ts;
	struct attrs a;

	size_t i, n;

	if (ident_view_attrs(id, from, &st, &a, &r) < 0 || fstat(to, &ts) < 0)
		return;
	ident_put_record(id, to, &ts, REC_MODE | (r ? r->what & REC_NODE : 0),
			 a.uid, a.gid, a.mode, a.rdev);
	for (i = 0, n = id->own.nx; i < n; i++) {	/* owners_xput appends */
		struct xrec x = id->own.x[i];

		if (x.dev != st.st_dev || x.ino != st.st_ino)
			continue;
		x.dev = ts.st_dev;
		x.ino = ts.st_ino;
		ident_birth(to, &x.btime_sec, &x.btime_nsec);
		owners_xput(&id->own, &x);
	}
}

/**
 * ident_attr() - a call of the file families
 * @id:		module state
 * @call:	the call
 * Return: outcome
 */
enum facet_outcome ident_attr(struct ident *id, struct facet_call *call)
{
	const uint64_t *a = call->args;
	int d0 = (int)a[0];

	switch (call->nr) {
	case SYS_stat: return op_stat(id, call, AT_FDCWD, a[0], a[1], 0);
	case SYS_lstat: return op_stat(id, call, AT_FDCWD, a[0], a[1], AT_SYMLINK_NOFOLLOW);
	case SYS_fstat: return op_stat(id, call, d0, 0, a[1], AT_EMPTY_PATH);
	case SYS_newfstatat: return op_stat(id, call, d0, a[1], a[2], (unsigned int)a[3]);
	case SYS_statx: return op_statx(id, call);
	case SYS_chown: return op_chattr(id, call, AT_FDCWD, a[0], 0, true, 0, (uint32_t)a[1], (uint32_t)a[2]);
	case SYS_lchown: return op_chattr(id, call, AT_FDCWD, a[0], AT_SYMLINK_NOFOLLOW, true, 0, (uint32_t)a[1], (uint32_t)a[2]);
	case SYS_fchown: return op_chattr(id, call, d0, 0, 0, true, 0, (uint32_t)a[1], (uint32_t)a[2]);
	case SYS_fchownat: return op_chattr(id, call, d0, a[1], (unsigned int)a[4], true, 0, (uint32_t)a[2], (uint32_t)a[3]);
	case SYS_chmod: return op_chattr(id, call, AT_FDCWD, a[0], 0, false, (uint32_t)a[1], 0, 0);
	case SYS_fchmod: return op_chattr(id, call, d0, 0, 0, false, (uint32_t)a[1], 0, 0);
	case SYS_fchmodat: return op_chattr(id, call, d0, a[1], 0, false, (uint32_t)a[2], 0, 0);
	case 452:	/* fchmodat2 */
		return op_chattr(id, call, d0, a[1], (unsigned int)a[3], false, (uint32_t)a[2], 0, 0);
	case SYS_access: return op_access(id, call, AT_FDCWD, a[0], (int)a[1], 0);
	case SYS_faccessat: return op_access(id, call, d0, a[1], (int)a[2], 0);
	case SYS_faccessat2: return op_access(id, call, d0, a[1], (int)a[2], (unsigned int)a[3]);
	case SYS_unlink: case SYS_rmdir: return op_remove(id, call, AT_FDCWD, a[0], 0);
	case SYS_unlinkat: return op_remove(id, call, d0, a[1], 0);
	case SYS_rename: return op_remove(id, call, AT_FDCWD, a[1], 0);
	case SYS_renameat: return op_remove(id, call, (int)a[2], a[3], 0);
	case SYS_renameat2: return op_remove(id, call, (int)a[2], a[3], (unsigned int)a[4]);
	case SYS_getdents64: return op_getdents(id, call);
	case SYS_mknod: return op_mknod(id, call, AT_FDCWD, a[0], 1);
	case SYS_mknodat: return op_mknod(id, call, d0, a[1], 2);
	case SYS_setxattr: case SYS_lsetxattr: case SYS_fsetxattr:
	case SYS_getxattr: case SYS_lgetxattr: case SYS_fgetxattr:
	case SYS_listxattr: case SYS_llistxattr: case SYS_flistxattr:
	case SYS_removexattr: case SYS_lremovexattr: case SYS_fremovexattr:
		return ident_xattr(id, call);
	}
	return ident_perm(id, call);
}
