// SPDX-License-Identifier: GPL-2.0-or-later
/* ident_perm.c - permission checks and owners of new files in the view
 *
 * DOC: Theory of Operation
 *
 * The host judges every call by facet's own user, who owns (on the host)
 * all that the guest made.  A thread whose identity in the view lacks
 * CAP_DAC_OVERRIDE (any --uid, or root after setuid() to another user) is
 * judged here first, by the kernel's rules with the view's owners and modes
 * (ident_may()): open for reading or writing, creation, removal and
 * renaming in a directory (with the sticky bit's rule), link, chdir and
 * truncate.  A call the view allows goes on to the other modules and the
 * host, which may still refuse it: a view only ever takes rights away.
 *
 * A file, directory, symlink or node made by a thread whose filesystem ids
 * differ from the first guest's, or inside a directory with a recorded
 * set-group-id bit, gets a record of its owner and group, as the kernel
 * would give them.  Where no other module answers the call it is made here,
 * with the guest's umask, so that the new object is known.
 *
 * A thread with CAP_DAC_OVERRIDE, as under -0, passes straight on, unless
 * it makes something whose owner the view must record.
 *
 * Races.  The object checked and the object the next module opens are
 * found by two walks of the same path; a guest that swaps them in between
 * gains nothing the host does not allow its user anyway.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ident_internal.h"

/**
 * struct made - what a creating call is about to make, and where
 * @pfd:	the parent directory (O_PATH), or -1
 * @pa:		its attributes in the view
 * @name:	the last component of the path
 * @path:	the path (the parent's part cut off by parent_of())
 */
struct made {
	int pfd;
	struct attrs pa;
	const char *name;
	char path[PATH_MAX];
};

/**
 * checked() - must this thread's calls be judged by the view?
 * @c:		its credentials
 * Return: true if it cannot override permissions
 */
static bool checked(const struct cred *c)
{
	return !ident_capable(c, CAP_DAC_OVERRIDE);
}

/**
 * foreign() - would what this thread makes need a record of its owner?
 * @id:		module state
 * @c:		its credentials
 * Return: true if its filesystem ids are not the first guest's, or a
 *	   set-group-id directory may hand down its group
 */
static bool foreign(const struct ident *id, const struct cred *c)
{
	return c->uid[FS] != id->start.uid[R] || c->gid[FS] != id->start.gid[R] ||
	       id->own.sgid_dirs;
}

/**
 * dir_named() - does a path end in a slash, naming a directory?
 * @path:	the path
 * Return: true if so (a file cannot be made by that name: the next module
 *	   gives the kernel's error)
 */
static bool dir_named(const char *path)
{
	size_t n = strlen(path);

	return n > 1 && path[n - 1] == '/';
}

/**
 * parent_of() - the directory that holds a path's last component
 * @id:		module state
 * @call:	the call
 * @dirfd:	guest's dirfd
 * @m:		@m->path holds the path; filled
 * Return: 0, or -errno (no parent: "/", ".", ".." or an empty name)
 */
static int parent_of(struct ident *id, struct facet_call *call, int dirfd,
		     struct made *m)
{
	struct stat st;
	const struct rec *r;
	char *p = m->path, *slash;
	size_t n = strlen(p);

	m->pfd = -1;
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	slash = strrchr(p, '/');
	m->name = slash ? slash + 1 : p;
	if (!*m->name || !strcmp(m->name, ".") || !strcmp(m->name, ".."))
		return -EINVAL;
	if (slash == p)
		m->pfd = facet_resolve(id->f, call, dirfd, "/", 0);
	else if (slash) {
		*slash = '\0';
		m->pfd = facet_resolve(id->f, call, dirfd, p, 0);
		*slash = '/';
	} else
		m->pfd = facet_resolve(id->f, call, dirfd, "", FACET_RES_EMPTY);
	if (m->pfd < 0)
		return m->pfd;
	if (ident_view_attrs(id, m->pfd, &st, &m->pa, &r) < 0) {
		close(m->pfd);
		m->pfd = -1;
		return -EIO;
	}
	return 0;
}

/**
 * dir_may() - may the thread add or remove names in a directory?
 * @c:		credentials
 * @m:		the directory (parent_of())
 * @victim:	the object removed or replaced (O_PATH), or -1 if none
 * @id:		module state
 * Return: 0, -EACCES, or -EPERM (the sticky bit)
 */
static int dir_may(struct ident *id, const struct cred *c,
		   const struct made *m, int victim)
{
	const struct rec *r;
	struct attrs va;
	struct stat st;

	if (!ident_may(c, &m->pa, W_OK | X_OK, true))
		return -EACCES;
	if (!(m->pa.mode & S_ISVTX) || victim < 0 ||
	    ident_capable(c, CAP_FOWNER) || c->uid[FS] == m->pa.uid)
		return 0;
	if (ident_view_attrs(id, victim, &st, &va, &r) < 0)
		return 0;
	return c->uid[FS] == va.uid ? 0 : -EPERM;
}

/**
 * record_new() - record the owner of an object a thread just made
 * @id:		module state
 * @c:		its credentials
 * @m:		where (its parent, for a set-group-id bit)
 * @fd:		the new object (any fd), or -1 to find it by @m's name
 */
static void record_new(struct ident *id, const struct cred *c,
		       const struct made *m, int fd)
{
	bool sgid = m->pfd >= 0 && (m->pa.mode & S_ISGID);
	uint32_t gid = sgid ? m->pa.gid : c->gid[FS];
	struct stat st;
	int own = -1;

	if (fd < 0 && m->pfd >= 0)
		fd = own = openat(m->pfd, m->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && fstat(fd, &st) == 0) {
		uint32_t mode = st.st_mode;

		if (sgid && S_ISDIR(mode))
			mode |= S_ISGID;	/* a directory passes it on */
		ident_put_record(id, fd, &st, mode != st.st_mode ? REC_MODE : 0,
				 c->uid[FS], gid, mode, 0);
	}
	if (own >= 0)
		close(own);
}

/**
 * open_mode() - the access an open asks for
 * @flags:	open flags
 * Return: R_OK, W_OK or both
 */
static int open_mode(uint64_t flags)
{
	int acc = (flags & O_ACCMODE) == O_WRONLY ? W_OK :
		  (flags & O_ACCMODE) == O_RDWR ? R_OK | W_OK : R_OK;

	return acc | (flags & O_TRUNC ? W_OK : 0);
}

/**
 * create_here() - an O_CREAT open no other module answered, made here
 * @id:		module state
 * @call:	the call
 * @m:		where
 * @flags:	open flags
 * @mode:	mode of a new file
 * Return: FACET_REPLY, or FACET_PASS if the kernel had better do it
 */
static enum facet_outcome create_here(struct ident *id, struct facet_call *call,
				      const struct made *m, uint64_t flags,
				      mode_t mode)
{
	mode_t old = umask(ident_umask(call));
	int fd = openat(m->pfd, m->name, (int)(flags | O_NOCTTY | O_CLOEXEC),
			mode);
	int e = fd < 0 ? -errno : 0;

	umask(old);
	if (fd < 0)
		return ident_reply(call, e);
	if ((e = facet_addfd(id->f, call, fd, flags & O_CLOEXEC)) < 0) {
		close(fd);
		return ident_reply(call, e);
	}
	record_new(id, ident_cred(id, call), m, fd);
	close(fd);
	return FACET_REPLY;
}

/**
 * op_creat() - an open of a name that does not exist, with O_CREAT
 * @id:		module state
 * @call:	the call
 * @c:		credentials
 * @dirfd:	guest's dirfd
 * @m:		@m->path holds the path
 * @flags:	open flags
 * @mode:	mode of the new file
 * @resolve:	openat2's RESOLVE_* flags: the kernel must apply them
 * Return: outcome
 */
static enum facet_outcome op_creat(struct ident *id, struct facet_call *call,
				   const struct cred *c, int dirfd,
				   struct made *m, uint64_t flags, mode_t mode,
				   uint64_t resolve)
{
	enum facet_outcome o;
	int e = parent_of(id, call, dirfd, m);

	if (e < 0)
		return facet_next(id->f, call);
	if (faccessat(m->pfd, m->name, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		close(m->pfd);	/* a dangling symlink: made where it points */
		return facet_next(id->f, call);
	}
	if (checked(c) && (e = dir_may(id, c, m, -1)) < 0) {
		close(m->pfd);
		return ident_reply(call, e);
	}
	o = facet_next(id->f, call);
	/* the guest has its fd already (ADDFD with SEND) and may have closed
	 * it: the new file is found by its name */
	if (o == FACET_REPLY && !call->error && foreign(id, c)) {
		record_new(id, c, m, -1);
	} else if ((o == FACET_PASS || o == FACET_CONTINUE) && foreign(id, c) &&
		   !resolve) {
		o = create_here(id, call, m, flags, mode);
	}
	close(m->pfd);
	return o;
}

/**
 * op_open() - open, openat, openat2, creat in the view
 * @id:		module state
 * @call:	the call
 * @dirfd:	guest's dirfd
 * @addr:	path
 * @flags:	open flags
 * @mode:	mode of a new file
 * @resolve:	openat2's RESOLVE_* flags, or 0
 * Return: outcome
 */
static enum facet_outcome op_open(struct ident *id, struct facet_call *call,
				  int dirfd, uint64_t addr, uint64_t flags,
				  mode_t mode, uint64_t resolve)
{
	struct cred *c = ident_cred(id, call);
	bool creat = flags & O_CREAT;
	enum facet_outcome o;
	const struct rec *r;
	struct made m = { .pfd = -1 };
	struct attrs a;
	struct stat st;
	int fd, e;

	if (!c)
		return ident_reply(call, -ENOMEM);
	if (flags & O_PATH || ident_path(id, call, addr, m.path) < 0)
		return facet_next(id->f, call);
	o = ident_proc_open(id, call, dirfd, m.path, flags);
	if (o != FACET_PASS || (!checked(c) && !(creat && foreign(id, c))))
		return o == FACET_PASS ? facet_next(id->f, call) : o;
	fd = facet_resolve(id->f, call, dirfd, m.path,
			   flags & O_NOFOLLOW || (creat && flags & O_EXCL) ?
			   FACET_RES_NOFOLLOW : 0);
	if (fd == -ENOENT && creat && !dir_named(m.path))
		return op_creat(id, call, c, dirfd, &m, flags, mode, resolve);
	if (fd < 0 || (creat && flags & O_EXCL) || !checked(c)) {
		if (fd >= 0)
			close(fd);
		return facet_next(id->f, call);
	}
	e = ident_view_attrs(id, fd, &st, &a, &r);
	close(fd);
	/* a directory opened for writing is EISDIR, before any check */
	if (!e && !(S_ISDIR(a.mode) && (open_mode(flags) & W_OK)) &&
	    !ident_may(c, &a, open_mode(flags), true))
		return ident_reply(call, -EACCES);
	return facet_next(id->f, call);
}

/**
 * op_openat2() - openat2(dirfd, path, how, size)
 * @id:		module state
 * @call:	the call
 * Return: outcome
 */
static enum facet_outcome op_openat2(struct ident *id, struct facet_call *call)
{
	struct open_how how;

	if (call->args[3] < sizeof(how) ||
	    facet_read(id->f, call, call->args[2], &how, sizeof(how)) < 0)
		return facet_next(id->f, call);
	return op_open(id, call, (int)call->args[0], call->args[1], how.flags,
		       (mode_t)how.mode, how.resolve);
}

/**
 * protected_hardlinks() - does the host forbid links to others' files?
 * Return: true if fs.protected_hardlinks is on (and if it cannot be read)
 */
static bool protected_hardlinks(void)
{
	char c = '1';
	int fd = open("/proc/sys/fs/protected_hardlinks", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = '1';
		close(fd);
	}
	return c != '0';
}

/**
 * link_may() - may the thread link to this file (fs.protected_hardlinks)?
 * @id:		module state
 * @call:	link or linkat
 * @c:		credentials
 * Return: 0 or -EPERM
 *
 * Its owner may; another only to a regular file that it may read and
 * write and that would not run as someone else.
 */
static int link_may(struct ident *id, struct facet_call *call,
		    const struct cred *c)
{
	bool at = call->nr == SYS_linkat;
	unsigned int flags = at ? (unsigned int)call->args[4] : 0;
	char path[PATH_MAX];
	const struct rec *r;
	struct attrs a;
	struct stat st;
	int fd, e;

	if (ident_capable(c, CAP_FOWNER) || !protected_hardlinks() ||
	    ident_path(id, call, call->args[at ? 1 : 0], path) < 0)
		return 0;
	fd = facet_resolve(id->f, call, at ? (int)call->args[0] : AT_FDCWD, path,
			   (flags & AT_SYMLINK_FOLLOW ? 0 : FACET_RES_NOFOLLOW) |
			   (flags & AT_EMPTY_PATH ? FACET_RES_EMPTY : 0));
	if (fd < 0)
		return 0;	/* the next module says what is wrong */
	e = ident_view_attrs(id, fd, &st, &a, &r);
	close(fd);
	if (e < 0 || c->uid[FS] == a.uid)
		return 0;
	if (S_ISREG(a.mode) && !(a.mode & S_ISUID) &&
	    (a.mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP) &&
	    ident_may(c, &a, R_OK | W_OK, true))
		return 0;
	return -EPERM;
}

/**
 * make_here() - a mkdir or symlink no other module answered, made here
 * @id:		module state
 * @call:	the call
 * @m:		where
 * @mkdir_mode:	for mkdir, its mode; -1 for symlink
 * Return: 0 or -errno
 */
static int make_here(struct ident *id, struct facet_call *call,
		     const struct made *m, int mkdir_mode)
{
	char target[PATH_MAX];
	mode_t old;
	int e;

	if (mkdir_mode < 0) {
		if ((e = ident_path(id, call, call->args[0], target)) < 0)
			return e;
		return symlinkat(target, m->pfd, m->name) < 0 ? -errno : 0;
	}
	old = umask(ident_umask(call));
	e = mkdirat(m->pfd, m->name, (mode_t)mkdir_mode) < 0 ? -errno : 0;
	umask(old);
	return e;
}

/**
 * op_make() - mkdir, symlink, link: the directory must allow it, and what
 *	       is made gets its owner
 * @id:		module state
 * @call:	the call
 * @dirfd:	guest's dirfd of the new name
 * @addr:	the new name
 * @mkdir_mode:	for mkdir, its mode (-1 otherwise)
 * Return: outcome
 */
static enum facet_outcome op_make(struct ident *id, struct facet_call *call,
				  int dirfd, uint64_t addr, int mkdir_mode)
{
	struct cred *c = ident_cred(id, call);
	bool link = call->nr == SYS_link || call->nr == SYS_linkat;
	enum facet_outcome o;
	struct made m = { .pfd = -1 };
	int e;

	if (!c)
		return ident_reply(call, -ENOMEM);
	if ((!checked(c) && (link || !foreign(id, c))) ||
	    ident_path(id, call, addr, m.path) < 0 ||
	    (mkdir_mode < 0 && dir_named(m.path)) ||
	    parent_of(id, call, dirfd, &m) < 0)
		return facet_next(id->f, call);
	if (checked(c) && ((e = dir_may(id, c, &m, -1)) < 0 ||
			   (link && (e = link_may(id, call, c)) < 0))) {
		close(m.pfd);
		return ident_reply(call, e);
	}
	o = facet_next(id->f, call);
	if ((o == FACET_PASS || o == FACET_CONTINUE) && !link && foreign(id, c))
		o = ident_reply(call, make_here(id, call, &m, mkdir_mode));
	if (o == FACET_REPLY && !call->error && !link && foreign(id, c))
		record_new(id, c, &m, -1);
	close(m.pfd);
	return o;
}

/**
 * victim_may() - may the thread remove or replace a name?
 * @id:		module state
 * @call:	the call
 * @c:		credentials
 * @dirfd:	guest's dirfd
 * @addr:	the name
 * Return: 0 or -errno
 */
static int victim_may(struct ident *id, struct facet_call *call,
		      const struct cred *c, int dirfd, uint64_t addr)
{
	struct made m = { .pfd = -1 };
	int v, e;

	if (ident_path(id, call, addr, m.path) < 0 ||
	    parent_of(id, call, dirfd, &m) < 0)
		return 0;	/* the next module says what is wrong */
	v = openat(m.pfd, m.name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	e = dir_may(id, c, &m, v);
	if (v >= 0)
		close(v);
	close(m.pfd);
	return e;
}

/**
 * ident_perm_remove() - may this unlink, rmdir or rename go on?
 * @id:		module state
 * @call:	the call
 * Return: 0 or -errno
 */
int ident_perm_remove(struct ident *id, struct facet_call *call)
{
	const uint64_t *a = call->args;
	struct cred *c = ident_cred(id, call);
	int e;

	if (!c || !checked(c))
		return 0;
	switch (call->nr) {
	case SYS_unlink: case SYS_rmdir:
		return victim_may(id, call, c, AT_FDCWD, a[0]);
	case SYS_unlinkat:
		return victim_may(id, call, c, (int)a[0], a[1]);
	case SYS_rename:
		e = victim_may(id, call, c, AT_FDCWD, a[0]);
		return e ? e : victim_may(id, call, c, AT_FDCWD, a[1]);
	case SYS_renameat: case SYS_renameat2:
		e = victim_may(id, call, c, (int)a[0], a[1]);
		return e ? e : victim_may(id, call, c, (int)a[2], a[3]);
	}
	return 0;
}

/**
 * op_search() - chdir, fchdir, truncate: a check on the object itself
 * @id:		module state
 * @call:	the call
 * @dirfd:	guest's dirfd, or the fd (fchdir: @addr 0)
 * @addr:	path or 0
 * @mode:	X_OK (chdir) or W_OK (truncate)
 * Return: outcome
 */
static enum facet_outcome op_search(struct ident *id, struct facet_call *call,
				    int dirfd, uint64_t addr, int mode)
{
	struct cred *c = ident_cred(id, call);
	char path[PATH_MAX] = "";
	const struct rec *r;
	struct attrs a;
	struct stat st;
	int fd, e;

	if (!c)
		return ident_reply(call, -ENOMEM);
	if (!checked(c) || (addr && ident_path(id, call, addr, path) < 0))
		return facet_next(id->f, call);
	fd = addr ? facet_resolve(id->f, call, dirfd, path, 0)
		  : ident_guest_fd(call, dirfd);
	if (fd < 0)
		return facet_next(id->f, call);
	e = ident_view_attrs(id, fd, &st, &a, &r);
	close(fd);
	/* not a directory for chdir, a directory for truncate: the next
	 * module's error (ENOTDIR, EISDIR) comes first */
	if (!e && (mode == X_OK) == !!S_ISDIR(a.mode) &&
	    !ident_may(c, &a, mode, true))
		return ident_reply(call, -EACCES);
	return facet_next(id->f, call);
}

/* where the path arguments of the calls trapped here are: dirfd (-1 for
 * AT_FDCWD) and path indexes, twice for the calls with two paths */
static const struct {
	int nr;
	signed char at[4];
} path_args[] = {
	{ SYS_stat, { -1, 0, -1, -1 } }, { SYS_lstat, { -1, 0, -1, -1 } },
	{ SYS_newfstatat, { 0, 1, -1, -1 } }, { SYS_statx, { 0, 1, -1, -1 } },
	{ SYS_chown, { -1, 0, -1, -1 } }, { SYS_lchown, { -1, 0, -1, -1 } },
	{ SYS_fchownat, { 0, 1, -1, -1 } }, { SYS_chmod, { -1, 0, -1, -1 } },
	{ SYS_fchmodat, { 0, 1, -1, -1 } }, { 452 /* fchmodat2 */, { 0, 1, -1, -1 } },
	{ SYS_mknod, { -1, 0, -1, -1 } }, { SYS_mknodat, { 0, 1, -1, -1 } },
	{ SYS_access, { -1, 0, -1, -1 } }, { SYS_faccessat, { 0, 1, -1, -1 } },
	{ SYS_faccessat2, { 0, 1, -1, -1 } }, { SYS_unlink, { -1, 0, -1, -1 } },
	{ SYS_unlinkat, { 0, 1, -1, -1 } }, { SYS_rmdir, { -1, 0, -1, -1 } },
	{ SYS_rename, { -1, 0, -1, 1 } }, { SYS_renameat, { 0, 1, 2, 3 } },
	{ SYS_renameat2, { 0, 1, 2, 3 } }, { SYS_setxattr, { -1, 0, -1, -1 } },
	{ SYS_lsetxattr, { -1, 0, -1, -1 } }, { SYS_getxattr, { -1, 0, -1, -1 } },
	{ SYS_lgetxattr, { -1, 0, -1, -1 } }, { SYS_listxattr, { -1, 0, -1, -1 } },
	{ SYS_llistxattr, { -1, 0, -1, -1 } }, { SYS_removexattr, { -1, 0, -1, -1 } },
	{ SYS_lremovexattr, { -1, 0, -1, -1 } }, { SYS_open, { -1, 0, -1, -1 } },
	{ SYS_openat, { 0, 1, -1, -1 } }, { SYS_openat2, { 0, 1, -1, -1 } },
	{ SYS_creat, { -1, 0, -1, -1 } }, { SYS_mkdir, { -1, 0, -1, -1 } },
	{ SYS_mkdirat, { 0, 1, -1, -1 } }, { SYS_symlink, { -1, 1, -1, -1 } },
	{ SYS_symlinkat, { 1, 2, -1, -1 } }, { SYS_link, { -1, 0, -1, 1 } },
	{ SYS_linkat, { 0, 1, 2, 3 } }, { SYS_chdir, { -1, 0, -1, -1 } },
	{ SYS_truncate, { -1, 0, -1, -1 } }, { SYS_execve, { -1, 0, -1, -1 } },
	{ SYS_execveat, { 0, 1, -1, -1 } },
};

/**
 * search_path() - may the thread search every directory on a path?
 * @id:		module state
 * @call:	the call
 * @c:		credentials
 * @dirfd:	guest's dirfd
 * @addr:	the path
 * Return: 0 or -EACCES (a directory it cannot walk through is found by
 *	   the call itself, which says what is wrong)
 */
static int search_path(struct ident *id, struct facet_call *call,
		       const struct cred *c, int dirfd, uint64_t addr)
{
	char path[PATH_MAX], save;
	const struct rec *r;
	struct attrs a;
	struct stat st;
	size_t i, n, end;
	int fd, e = 0;

	if (ident_path(id, call, addr, path) < 0)
		return 0;
	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
	if (!strrchr(path, '/'))
		return 0;	/* a name in the dirfd: nothing to walk */
	end = (size_t)(strrchr(path, '/') - path);
	/* at each slash up to the last, the directory before it ("/" for
	 * the first of an absolute path) */
	for (i = 0; i <= end && !e; i++) {
		if (path[i] != '/' || (i && path[i - 1] == '/'))
			continue;
		save = path[i ? i : 1];
		path[i ? i : 1] = '\0';
		fd = facet_resolve(id->f, call, dirfd, path, 0);
		path[i ? i : 1] = save;
		if (fd < 0)
			break;
		if (ident_view_attrs(id, fd, &st, &a, &r) == 0 && S_ISDIR(a.mode) &&
		    !ident_may(c, &a, X_OK, true))
			e = -EACCES;
		close(fd);
	}
	return e;
}

/**
 * ident_search() - for a thread the view judges, may it walk the paths of
 *		    this call?
 * @id:		module state
 * @call:	the call
 * Return: 0 or -EACCES
 */
int ident_search(struct ident *id, struct facet_call *call)
{
	struct cred *c = ident_cred(id, call);
	size_t i;
	int k, e = 0;

	if (!c || !checked(c))
		return 0;
	for (i = 0; i < sizeof(path_args) / sizeof(path_args[0]); i++) {
		if (path_args[i].nr != call->nr)
			continue;
		for (k = 0; k < 4 && !e; k += 2)
			if (path_args[i].at[k + 1] >= 0)
				e = search_path(id, call, c, path_args[i].at[k] < 0 ?
						AT_FDCWD : (int)call->args[path_args[i].at[k]],
						call->args[path_args[i].at[k + 1]]);
		break;
	}
	return e;
}

/**
 * ident_perm() - a call judged here
 * @id:		module state
 * @call:	the call
 * Return: outcome, or FACET_PASS if it is none of these
 */
enum facet_outcome ident_perm(struct ident *id, struct facet_call *call)
{
	const uint64_t *a = call->args;

	switch (call->nr) {
	case SYS_open: return op_open(id, call, AT_FDCWD, a[0], a[1], (mode_t)a[2], 0);
	case SYS_openat: return op_open(id, call, (int)a[0], a[1], a[2], (mode_t)a[3], 0);
	case SYS_openat2: return op_openat2(id, call);
	case SYS_creat:
		return op_open(id, call, AT_FDCWD, a[0],
			       O_CREAT | O_WRONLY | O_TRUNC, (mode_t)a[1], 0);
	case SYS_mkdir: return op_make(id, call, AT_FDCWD, a[0], (int)(a[1] & 07777));
	case SYS_mkdirat: return op_make(id, call, (int)a[0], a[1], (int)(a[2] & 07777));
	case SYS_symlink: return op_make(id, call, AT_FDCWD, a[1], -1);
	case SYS_symlinkat: return op_make(id, call, (int)a[1], a[2], -1);
	case SYS_link: return op_make(id, call, AT_FDCWD, a[1], -1);
	case SYS_linkat: return op_make(id, call, (int)a[2], a[3], -1);
	case SYS_chdir: return op_search(id, call, AT_FDCWD, a[0], X_OK);
	case SYS_fchdir: return op_search(id, call, (int)a[0], 0, X_OK);
	case SYS_truncate: return op_search(id, call, AT_FDCWD, a[0], W_OK);
	case SYS_execve: case SYS_execveat: return ident_exec(id, call);
	}
	return FACET_PASS;
}
