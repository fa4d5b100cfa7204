// SPDX-License-Identifier: GPL-2.0-or-later
/* files_overlay.c - copy-on-write mounts (--overlay DIR[:UPPER])
 *
 * DOC: Theory of Operation
 *
 * An overlay mount has two layers: the lower, which is only ever read, and
 * the upper, where every change lands (UPPER, or a directory in facet's
 * private in-memory directory that goes at exit).  A name is the upper's if
 * the upper has it, else the lower's; a directory both layers have shows
 * the entries of both.
 *
 * The upper has the layout the kernel's overlayfs uses, so a kept UPPER can
 * be mounted with it later:
 *
 * - a whiteout, a character device 0/0, says a lower name was deleted (the
 *   kernel lets anyone make one since 5.8);
 * - a directory made where a lower one was deleted gets a whiteout for each
 *   lower entry, which is what an opaque directory means, without needing
 *   a trusted xattr.
 *
 * Changing a lower object first copies it up: its directories, then the
 * object with its data, mode, owner (where the kernel allows), extended
 * attributes and times, linked in whole (O_TMPFILE) so that no half copy
 * is ever seen.  A lower directory is not renamed (EXDEV, as overlayfs
 * without redirect_dir says; mv copies instead).
 *
 * Permission is judged as the kernel would on the visible object: a copy
 * the supervisor owns because it could not give it the lower's owner is
 * judged with the lower's owner, so a user cannot write in an overlay of a
 * tree they could not write natively.
 *
 * Every path here is relative to the mount's root and walked from the
 * layers' root fds without following symlinks, so a guest that swaps a
 * directory for a symlink meanwhile gets an error, never a write outside.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "files_internal.h"

#ifndef O_TMPFILE
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif

/* the supervisor, told of every copy-up (facet_copied()), or NULL */
static struct facet *ovl_facet;

/**
 * ovl_tell_copies() - tell the other modules of every copy-up from now on
 * @f:		supervisor context
 */
void ovl_tell_copies(struct facet *f)
{
	ovl_facet = f;
}

/**
 * ovl_whiteout_st() - is this a whiteout?
 * @st:	its stat
 * Return: true for a character device 0/0
 */
bool ovl_whiteout_st(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == 0;
}

/**
 * ovl_pos_close() - close what a position holds
 * @o:	the position
 */
void ovl_pos_close(struct ovl_pos *o)
{
	if (o->fd >= 0)
		close(o->fd);
	if (o->low >= 0)
		close(o->low);
	o->fd = o->low = -1;
}

/**
 * ovl_step() - one name in an overlay directory
 * @dir:	the directory (its @fd is the upper's if @up)
 * @name:	the name
 * @next:	the object named
 *
 * Return: 0, or -errno (-ENOENT for a whiteout); @next holds nothing then,
 * except that @next->below says whether the lower has the name
 */
int ovl_step(const struct ovl_pos *dir, const char *name, struct ovl_pos *next)
{
	const int fl = O_PATH | O_NOFOLLOW | O_CLOEXEC;
	int lowdir = dir->up ? dir->low : dir->fd;
	struct stat st;
	int fd, lfd = -1;

	*next = (struct ovl_pos){ .fd = -1, .low = -1 };
	if (lowdir >= 0) {
		lfd = openat(lowdir, name, fl);
		if (lfd < 0 && errno != ENOENT && errno != ENOTDIR)
			return -errno;
		next->below = lfd >= 0;
	}
	if (!dir->up) {
		next->fd = lfd;
		return lfd < 0 ? -ENOENT : 0;
	}
	fd = openat(dir->fd, name, fl);
	if (fd < 0) {
		int e = errno;

		if (e != ENOENT) {
			if (lfd >= 0)
				close(lfd);
			return -e;
		}
		next->fd = lfd;
		return lfd < 0 ? -ENOENT : 0;
	}
	if (fstat(fd, &st) < 0 || ovl_whiteout_st(&st)) {
		close(fd);
		if (lfd >= 0)
			close(lfd);
		return -ENOENT;
	}
	next->fd = fd;
	next->up = true;
	if (lfd >= 0 && S_ISDIR(st.st_mode) && fd_is_dir(lfd))
		next->low = lfd;
	else if (lfd >= 0)
		close(lfd);
	return 0;
}

/**
 * ovl_root() - the position of an overlay mount's root
 * @m:	the mount
 * @o:	filled
 * Return: 0 or -errno
 */
int ovl_root(const struct fmount *m, struct ovl_pos *o)
{
	*o = (struct ovl_pos){ .up = true, .below = true };
	o->fd = fcntl(m->ufd, F_DUPFD_CLOEXEC, 3);
	o->low = fcntl(m->fd, F_DUPFD_CLOEXEC, 3);
	if (o->fd < 0 || o->low < 0) {
		ovl_pos_close(o);
		return -errno;
	}
	return 0;
}

/**
 * ovl_lookup() - the object at a path of an overlay mount
 * @m:		the mount
 * @rel:	path relative to its root, canonical ("" for the root)
 * @o:		filled: the object
 * @parent:	filled with its directory, or NULL
 * Return: 0 or -errno; on -ENOENT with @parent, @parent is the directory
 * (if it exists) and @o->below says whether the lower has the name
 */
int ovl_lookup(const struct fmount *m, const char *rel, struct ovl_pos *o,
	       struct ovl_pos *parent)
{
	char c[NAME_MAX + 1];
	struct ovl_pos cur, next;
	const char *p = rel, *e;
	int r;

	*o = (struct ovl_pos){ .fd = -1, .low = -1 };
	if (parent)
		*parent = (struct ovl_pos){ .fd = -1, .low = -1 };
	if ((r = ovl_root(m, &cur)) < 0)
		return r;
	while (*p) {
		e = strchrnul(p, '/');
		if ((size_t)(e - p) > NAME_MAX) {
			ovl_pos_close(&cur);
			return -ENAMETOOLONG;
		}
		memcpy(c, p, (size_t)(e - p));
		c[e - p] = 0;
		p = *e ? e + 1 : e;
		if (!fd_is_dir(cur.fd)) {
			ovl_pos_close(&cur);
			return -ENOTDIR;
		}
		r = ovl_step(&cur, c, &next);
		if (!*p && parent) {
			*parent = cur;
		} else {
			ovl_pos_close(&cur);
		}
		if (r < 0) {
			*o = next;
			return r;
		}
		cur = next;
	}
	*o = cur;
	return 0;
}

/**
 * copy_xattrs() - the extended attributes of one file onto another
 * @from:	path of the source ("/proc/self/fd/N")
 * @to:		path of the copy
 *
 * Those the kernel does not let this user set (trusted.*, security.* as a
 * rule) are left out, as cp -a leaves them.
 */
static void copy_xattrs(const char *from, const char *to)
{
	char list[8192], val[8192], *n;
	ssize_t len, vl;

	len = listxattr(from, list, sizeof(list));
	for (n = list; len > 0 && n < list + len; n += strlen(n) + 1) {
		vl = getxattr(from, n, val, sizeof(val));
		if (vl >= 0)
			(void)setxattr(to, n, val, (size_t)vl, 0);
	}
}

/**
 * copy_attrs() - owner, mode, xattrs and times of a copied-up object
 * @lfd:	the lower object (O_PATH)
 * @ufd:	its copy (any fd)
 * @st:		the lower's stat
 */
static void copy_attrs(int lfd, int ufd, const struct stat *st)
{
	char from[64], to[64];
	struct timespec ts[2] = { st->st_atim, st->st_mtim };

	fd_proc_path(from, sizeof(from), lfd, NULL);
	fd_proc_path(to, sizeof(to), ufd, NULL);
	(void)chown(to, st->st_uid, st->st_gid);	/* where allowed */
	(void)chmod(to, st->st_mode & 07777);
	copy_xattrs(from, to);
	(void)utimensat(AT_FDCWD, to, ts, 0);
}

/**
 * copy_data() - all of one file into another
 * @in:		source, open for reading
 * @out:	destination, open for writing
 * Return: 0 or -errno
 */
static int copy_data(int in, int out)
{
	char buf[65536];
	ssize_t n, w, off;

	for (;;) {
		n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
		if (n == 0)
			return 0;
		if (n < 0)
			break;
	}
	if (errno != EXDEV && errno != EINVAL && errno != ENOSYS &&
	    errno != EOPNOTSUPP)
		return -errno;
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (off = 0; off < n; off += w)
			if ((w = write(out, buf + off, (size_t)(n - off))) < 0)
				return -errno;
	}
	return 0;
}

/**
 * copy_file() - copy up a regular file, whole or not at all
 * @updir:	upper directory
 * @name:	its name there
 * @lfd:	the lower file (O_PATH)
 * @st:		its stat
 * @nodata:	leave the data out (it is about to be truncated)
 * Return: 0 or -errno
 */
static int copy_file(int updir, const char *name, int lfd,
		     const struct stat *st, bool nodata)
{
	char dpath[64], lpath[64], tpath[64], tmpname[64];
	int in = -1, out, e = 0;
	bool named = false;

	fd_proc_path(dpath, sizeof(dpath), updir, NULL);
	fd_proc_path(lpath, sizeof(lpath), lfd, NULL);
	if (!nodata && (in = open(lpath, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return -errno;
	out = open(dpath, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (out < 0) {		/* a filesystem without O_TMPFILE */
		snprintf(tmpname, sizeof(tmpname), ".facet-copyup.%d", (int)getpid());
		(void)unlinkat(updir, tmpname, 0);
		out = openat(updir, tmpname, O_CREAT | O_EXCL | O_WRONLY |
			     O_NOFOLLOW | O_CLOEXEC, 0600);
		named = out >= 0;
	}
	if (out < 0)
		e = -errno;
	if (!e && in >= 0)
		e = copy_data(in, out);
	if (!e) {
		copy_attrs(lfd, out, st);
		fd_proc_path(tpath, sizeof(tpath), out, NULL);
		if (named ? renameat(updir, tmpname, updir, name) < 0
			  : linkat(AT_FDCWD, tpath, updir, name, AT_SYMLINK_FOLLOW) < 0)
			e = -errno;
	}
	if (e && named)
		(void)unlinkat(updir, tmpname, 0);
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return e;
}

/**
 * copy_obj() - copy up one lower object into an upper directory
 * @updir:	the upper directory
 * @name:	the name
 * @lfd:	the lower object (O_PATH)
 * @nodata:	a regular file's data is not needed
 * Return: 0 or -errno
 */
static int copy_obj(int updir, const char *name, int lfd, bool nodata)
{
	char target[PATH_MAX];
	struct stat st;
	struct timespec ts[2];
	ssize_t n;
	int fd;

	if (fstat(lfd, &st) < 0)
		return -errno;
	ts[0] = st.st_atim;
	ts[1] = st.st_mtim;
	if (S_ISREG(st.st_mode))
		return copy_file(updir, name, lfd, &st, nodata);
	if (S_ISLNK(st.st_mode)) {
		n = readlinkat(lfd, "", target, sizeof(target) - 1);
		if (n < 0)
			return -errno;
		target[n] = 0;
		if (symlinkat(target, updir, name) < 0)
			return -errno;
		(void)fchownat(updir, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW);
		(void)utimensat(updir, name, ts, AT_SYMLINK_NOFOLLOW);
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		if (mkdirat(updir, name, 0700) < 0)
			return -errno;
	} else if (ovl_whiteout_st(&st) ||
		   mknodat(updir, name, st.st_mode & (S_IFMT | 0600), st.st_rdev) < 0) {
		return ovl_whiteout_st(&st) ? -EPERM : -errno;
	}
	fd = openat(updir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	copy_attrs(lfd, fd, &st);
	close(fd);
	return 0;
}

/**
 * copy_one() - copy up one lower object, and tell the other modules
 * @updir:	the upper directory
 * @name:	the name
 * @lfd:	the lower object (O_PATH)
 * @nodata:	a regular file's data is not needed
 * Return: 0 or -errno
 */
static int copy_one(int updir, const char *name, int lfd, bool nodata)
{
	int e = copy_obj(updir, name, lfd, nodata), fd;

	if (!e && ovl_facet &&
	    (fd = openat(updir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		facet_copied(ovl_facet, lfd, fd);
		close(fd);
	}
	return e;
}

/**
 * ovl_copy_up() - make the upper hold an object and its directories
 * @m:		the mount
 * @rel:	canonical path relative to its root
 * @nodata:	a regular file's data is not needed (O_TRUNC)
 * @o:		filled: the upper object (@o->low: the lower directory, if
 *		both layers have one; @o->below: the lower has the name)
 * Return: 0 or -errno
 */
int ovl_copy_up(const struct fmount *m, const char *rel, bool nodata,
		struct ovl_pos *o)
{
	char c[NAME_MAX + 1];
	struct ovl_pos cur, next;
	const char *p = rel, *e;
	int r = ovl_root(m, &cur);

	while (!r && *p) {
		e = strchrnul(p, '/');
		if ((size_t)(e - p) > NAME_MAX) {
			r = -ENAMETOOLONG;
			break;
		}
		memcpy(c, p, (size_t)(e - p));
		c[e - p] = 0;
		p = *e ? e + 1 : e;
		if (!fd_is_dir(cur.fd)) {
			r = -ENOTDIR;
			break;
		}
		r = ovl_step(&cur, c, &next);
		if (!r && !next.up) {
			struct stat dst;

			/* the directory's times stay as they were */
			if (fstat(cur.fd, &dst) < 0) {
				r = -errno;
				ovl_pos_close(&next);
				break;
			}
			r = copy_one(cur.fd, c, next.fd, nodata && !*p);
			if (!r) {
				struct timespec ts[2] = { dst.st_atim, dst.st_mtim };
				char dp[64];

				fd_proc_path(dp, sizeof(dp), cur.fd, NULL);
				(void)utimensat(AT_FDCWD, dp, ts, 0);
			}
			close(next.fd);
			next.fd = -1;
			if (!r && (next.fd = openat(cur.fd, c, O_PATH | O_NOFOLLOW |
						      O_CLOEXEC)) < 0)
				r = -errno;
			if (!r && next.below && fd_is_dir(next.fd))
				next.low = openat(cur.up ? cur.low : cur.fd, c,
						  O_PATH | O_NOFOLLOW | O_CLOEXEC);
			next.up = true;
		}
		ovl_pos_close(&cur);
		cur = next;
	}
	if (r < 0) {
		ovl_pos_close(&cur);
		return r;
	}
	*o = cur;
	return 0;
}

/* --- permission ----------------------------------------------------------- */

/**
 * in_group() - is the caller in a group?
 * @gid:	the group
 * Return: true if it is the effective or a supplementary group
 */
static bool in_group(gid_t gid)
{
	gid_t groups[256];
	int i, n;

	if (gid == getegid())
		return true;
	n = getgroups(256, groups);
	for (i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/**
 * ovl_owner() - the owner an object of the overlay shows to permission
 * @o:		the object
 * @st:		filled with its stat, the owner the lower's where the upper
 *		copy could not take it
 * @lowst:	the lower object's stat, if known (@o->below), or NULL
 * Return: 0 or -errno
 */
static int ovl_owner(const struct ovl_pos *o, struct stat *st,
		     const struct stat *lowst)
{
	if (fstat(o->fd, st) < 0)
		return -errno;
	if (o->up && lowst) {
		st->st_uid = lowst->st_uid;
		st->st_gid = lowst->st_gid;
	}
	return 0;
}

/**
 * may() - the kernel's permission check on mode bits
 * @st:		the object (owner as ovl_owner() gives)
 * @want:	R_OK, W_OK, X_OK bits
 * Return: 0 or -EACCES
 */
static int may(const struct stat *st, int want)
{
	uid_t uid = geteuid();
	mode_t bits;

	if (!uid) {
		if (!(want & X_OK) || S_ISDIR(st->st_mode) || (st->st_mode & 0111))
			return 0;
		return -EACCES;
	}
	if (st->st_uid == uid)
		bits = (st->st_mode >> 6) & 7;
	else if (in_group(st->st_gid))
		bits = (st->st_mode >> 3) & 7;
	else
		bits = st->st_mode & 7;
	return ((mode_t)want & ~bits) ? -EACCES : 0;
}

/**
 * lower_stat() - stat of the lower object behind an overlay object
 * @m:		the mount
 * @rel:	its path
 * @st:		filled
 * Return: true if the lower has it
 */
static bool lower_stat(const struct fmount *m, const char *rel, struct stat *st)
{
	if (!*rel)
		return fstat(m->fd, st) == 0;
	return fstatat(m->fd, rel, st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       !ovl_whiteout_st(st);
}

/**
 * ovl_check() - may the caller do this to an overlay object?
 * @m:		the mount
 * @rel:	the object's path
 * @o:		the object
 * @how:	OVL_WRITE (its data), OVL_OWNER (mode, owner, times, xattrs),
 *		OVL_TOUCH (times to now: owner or writer), OVL_DIR (an entry
 *		in it, a directory), 0 (nothing: a link's source)
 * Return: 0 or -EACCES / -EPERM
 */
static int ovl_check(const struct fmount *m, const char *rel,
		     const struct ovl_pos *o, int how)
{
	struct stat st, lst;
	bool low = lower_stat(m, rel, &lst);
	int e = ovl_owner(o, &st, low ? &lst : NULL);

	if (e < 0)
		return e;
	switch (how) {
	case 0:
		return 0;
	case OVL_WRITE:
		return may(&st, W_OK);
	case OVL_DIR:
		return may(&st, W_OK | X_OK);
	case OVL_TOUCH:
		if (!geteuid() || st.st_uid == geteuid())
			return 0;
		return may(&st, W_OK);
	default:
		return !geteuid() || st.st_uid == geteuid() ? 0 : -EPERM;
	}
}

/**
 * sticky_check() - may the caller remove or replace an entry of a directory?
 * @m:		the mount
 * @drel:	the directory's path
 * @dir:	the directory
 * @rel:	the entry's path
 * @obj:	the entry
 * Return: 0, or -EPERM where the sticky bit forbids it
 */
static int sticky_check(const struct fmount *m, const char *drel,
			const struct ovl_pos *dir, const char *rel,
			const struct ovl_pos *obj)
{
	struct stat ds, os, l;

	if (!geteuid() || ovl_owner(dir, &ds, lower_stat(m, drel, &l) ? &l : NULL) < 0 ||
	    !(ds.st_mode & S_ISVTX))
		return 0;
	if (ovl_owner(obj, &os, lower_stat(m, rel, &l) ? &l : NULL) < 0)
		return 0;
	return os.st_uid == geteuid() || ds.st_uid == geteuid() ? 0 : -EPERM;
}

/* --- listing -------------------------------------------------------------- */

/**
 * struct ovl_names - names of a directory, sorted for bsearch()
 * @v:	the names
 * @n:	how many
 */
struct ovl_names {
	char **v;
	size_t n;
};

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/**
 * ents_add() - one entry more
 * @l:		the listing
 * @d:		the entry
 * Return: 0 or -ENOMEM
 */
static int ents_add(struct ovl_list *l, const struct dirent *d)
{
	struct ovl_ent *e;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct ovl_ent *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	e = &l->v[l->n];
	if (!(e->name = strdup(d->d_name)))
		return -ENOMEM;
	e->ino = d->d_ino;
	e->type = d->d_type;
	l->n++;
	return 0;
}

/**
 * ovl_list_free() - release a listing
 * @l:	the listing
 */
void ovl_list_free(struct ovl_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/**
 * open_dir() - a DIR stream on an O_PATH directory fd
 * @fd:	the fd
 * Return: the stream, or NULL with errno
 */
static DIR *open_dir(int fd)
{
	char path[64];
	int dfd;
	DIR *d;

	fd_proc_path(path, sizeof(path), fd, NULL);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return NULL;
	if (!(d = fdopendir(dfd)))
		close(dfd);
	return d;
}

/**
 * ovl_list() - the merged entries of a directory
 * @dir:	the directory: upper (@dir->up) with the lower in @dir->low,
 *		or the lower alone
 * @l:		filled: the upper's entries but whiteouts, then the lower's
 *		the upper has no name for ("." and ".." first)
 * Return: 0 or -errno
 */
int ovl_list(const struct ovl_pos *dir, struct ovl_list *l)
{
	struct ovl_names seen = { 0 };
	struct dirent *d;
	struct stat st;
	DIR *ud = NULL, *ld = NULL;
	int e = 0;

	memset(l, 0, sizeof(*l));
	if (!(ud = open_dir(dir->fd)))
		return -errno;
	if (dir->up && dir->low >= 0 && !(ld = open_dir(dir->low))) {
		closedir(ud);
		return -errno;
	}
	while (!e && (errno = 0, d = readdir(ud))) {
		if (ld) {
			char **v = realloc(seen.v, (seen.n + 1) * sizeof(*v));

			if (!v || !(v[seen.n] = strdup(d->d_name))) {
				seen.v = v ? v : seen.v;
				e = -ENOMEM;
				break;
			}
			seen.v = v;
			seen.n++;
		}
		if (dir->up && (d->d_type == DT_CHR || d->d_type == DT_UNKNOWN) &&
		    fstatat(dirfd(ud), d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    ovl_whiteout_st(&st))
			continue;
		e = ents_add(l, d);
	}
	if (!e && errno)
		e = -errno;
	if (ld && !e) {
		qsort(seen.v, seen.n, sizeof(*seen.v), name_cmp);
		while (!e && (errno = 0, d = readdir(ld))) {
			const char *key = d->d_name;

			if (!bsearch(&key, seen.v, seen.n, sizeof(*seen.v), name_cmp))
				e = ents_add(l, d);
		}
		if (!e && errno)
			e = -errno;
	}
	while (seen.n)
		free(seen.v[--seen.n]);
	free(seen.v);
	closedir(ud);
	if (ld)
		closedir(ld);
	if (e)
		ovl_list_free(l);
	return e;
}

/**
 * list_empty() - does a merged directory hold nothing but "." and ".."?
 * @dir:	the directory
 * Return: 1 if empty, 0 if not, -errno
 */
static int list_empty(const struct ovl_pos *dir)
{
	struct ovl_list l;
	size_t i, n = 0;
	int e = ovl_list(dir, &l);

	if (e < 0)
		return e;
	for (i = 0; i < l.n; i++)
		if (strcmp(l.v[i].name, ".") && strcmp(l.v[i].name, ".."))
			n++;
	ovl_list_free(&l);
	return !n;
}

/* --- changes -------------------------------------------------------------- */

/**
 * whiteout() - mark a name deleted in an upper directory
 * @updir:	the directory
 * @name:	the name (must not exist there)
 * Return: 0 or -errno
 */
static int whiteout(int updir, const char *name)
{
	return mknodat(updir, name, S_IFCHR, makedev(0, 0)) < 0 ? -errno : 0;
}

/**
 * clear_whiteouts() - remove the whiteouts of an upper directory
 * @updir:	the directory (O_PATH)
 * Return: 0 or -errno
 */
static int clear_whiteouts(int updir)
{
	struct dirent *d;
	struct stat st;
	DIR *ud = open_dir(updir);
	int e = 0;

	if (!ud)
		return -errno;
	while ((d = readdir(ud)))
		if (fstatat(dirfd(ud), d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    ovl_whiteout_st(&st) && unlinkat(dirfd(ud), d->d_name, 0) < 0)
			e = -errno;
	closedir(ud);
	return e;
}

/**
 * make_opaque() - hide every lower entry behind an upper directory
 * @updir:	the upper directory (O_PATH)
 * @lowdir:	the lower directory at the same path (O_PATH)
 * Return: 0 or -errno
 */
static int make_opaque(int updir, int lowdir)
{
	struct dirent *d;
	DIR *ld = open_dir(lowdir);
	int e = 0;

	if (!ld)
		return -errno;
	while (!e && (d = readdir(ld))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (whiteout(updir, d->d_name) < 0 && errno != EEXIST)
			e = -errno;
	}
	closedir(ld);
	return e;
}

/**
 * split() - a path's directory and last name
 * @rel:	the path (relative to the mount's root, not "")
 * @dir:	filled: its directory ("" for the root)
 * @name:	set to the last name (inside @rel)
 */
static void split(const char *rel, char dir[PATH_MAX], const char **name)
{
	const char *slash = strrchr(rel, '/');

	if (!slash) {
		dir[0] = 0;
		*name = rel;
		return;
	}
	snprintf(dir, PATH_MAX, "%.*s", (int)(slash - rel), rel);
	*name = slash + 1;
}

/**
 * ovl_rel() - path of a guest path inside its overlay mount
 * @m:		the mount
 * @guest:	canonical guest path under it
 * Return: the path, "" for the mount's root
 */
const char *ovl_rel(const struct fmount *m, const char *guest)
{
	if (m->glen == 1)
		return guest + 1;
	return guest[m->glen] ? guest + m->glen + 1 : guest + m->glen;
}

/**
 * checked_copy_up() - copy up an object the caller may change
 * @m:		the mount
 * @rel:	its path
 * @how:	the change (see ovl_check())
 * @nodata:	a regular file's data is not needed
 * @up:		filled: the upper object
 * Return: 0 or -errno
 */
static int checked_copy_up(const struct fmount *m, const char *rel, int how,
			   bool nodata, struct ovl_pos *up)
{
	struct ovl_pos o;
	int e = ovl_lookup(m, rel, &o, NULL);

	if (e < 0)
		return e;
	e = ovl_check(m, rel, &o, how);
	ovl_pos_close(&o);
	return e < 0 ? e : ovl_copy_up(m, rel, nodata, up);
}

/**
 * ovl_modify() - an object is about to change: copy it up
 * @r:		resolution (its mount an overlay); its fd and dirfd become
 *		the upper's
 * @how:	OVL_WRITE, OVL_OWNER, OVL_TOUCH
 * @nodata:	the data will be truncated anyway
 * Return: 0 or -errno
 */
int ovl_modify(struct fres *r, int how, bool nodata)
{
	const char *rel = ovl_rel(r->m, r->guest);
	char drel[PATH_MAX];
	const char *name;
	struct ovl_pos up = { .fd = -1, .low = -1 };
	int e = checked_copy_up(r->m, rel, how, nodata, &up);

	if (e < 0)
		return e;
	res_release(r);
	r->fd = up.fd;
	if (up.low >= 0)
		close(up.low);
	if (*rel) {
		split(rel, drel, &name);
		r->dirfd = ovl_copy_up(r->m, drel, false, &up) < 0 ? -1 : up.fd;
		if (up.low >= 0 && r->dirfd >= 0)
			close(up.low);
		snprintf(r->name, sizeof(r->name), "%s", name);	/* for *at() */
	}
	return 0;
}

/**
 * ovl_create() - a name is about to be made: its directory in the upper
 * @r:		resolution with RES_PARENT of a name that does not exist;
 *		its dirfd becomes the upper directory's
 * Return: 1 if the lower has the name (a directory made there must be
 * made opaque: ovl_created_dir()), 0, or -errno
 */
int ovl_create(struct fres *r)
{
	const char *rel = ovl_rel(r->m, r->guest), *name;
	char drel[PATH_MAX];
	struct ovl_pos up = { .fd = -1, .low = -1 };
	struct stat st;
	int e;

	if (!*rel)
		return -EEXIST;
	split(rel, drel, &name);
	if ((e = checked_copy_up(r->m, drel, OVL_DIR, false, &up)) < 0)
		return e;
	if (fstatat(up.fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!ovl_whiteout_st(&st) || unlinkat(up.fd, name, 0) < 0) {
			ovl_pos_close(&up);
			return -EEXIST;
		}
	}
	e = up.low >= 0 && faccessat(up.low, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
	if (up.low >= 0)
		close(up.low);
	if (r->dirfd >= 0)
		close(r->dirfd);
	r->dirfd = up.fd;
	return e;
}

/**
 * ovl_created_dir() - a directory was made where the lower has the name
 * @r:		the resolution ovl_create() prepared
 * Return: 0 or -errno
 */
int ovl_created_dir(struct fres *r)
{
	const char *rel = ovl_rel(r->m, r->guest);
	int ufd, lfd, e;

	ufd = openat(r->dirfd, r->name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	if (ufd < 0)
		return -errno;
	lfd = openat2_beneath(r->m->fd, rel, O_PATH | O_NOFOLLOW);
	e = lfd >= 0 && fd_is_dir(lfd) ? make_opaque(ufd, lfd) : 0;
	if (lfd >= 0)
		close(lfd);
	close(ufd);
	return e;
}

/**
 * ovl_remove() - unlink or rmdir in an overlay
 * @m:		the mount
 * @guest:	the object's canonical guest path
 * @dir:	rmdir
 * Return: 0 or -errno
 */
int ovl_remove(const struct fmount *m, const char *guest, bool dir)
{
	const char *rel = ovl_rel(m, guest), *name;
	char drel[PATH_MAX];
	struct ovl_pos o, d, up = { .fd = -1, .low = -1 };
	struct stat st;
	int e;

	if (!*rel)
		return -EBUSY;
	split(rel, drel, &name);
	if ((e = ovl_lookup(m, rel, &o, &d)) < 0) {
		ovl_pos_close(&d);
		return e;
	}
	if (fstat(o.fd, &st) < 0)
		e = -errno;
	else if (dir && !S_ISDIR(st.st_mode))
		e = -ENOTDIR;
	else if (!dir && S_ISDIR(st.st_mode))
		e = -EISDIR;
	if (!e)
		e = ovl_check(m, drel, &d, OVL_DIR);
	if (!e)
		e = sticky_check(m, drel, &d, rel, &o);
	if (!e && dir && (e = list_empty(&o)) >= 0)
		e = e ? 0 : -ENOTEMPTY;
	ovl_pos_close(&d);
	if (!e)
		e = ovl_copy_up(m, drel, false, &up);
	if (e < 0) {
		ovl_pos_close(&o);
		return e;
	}
	if (o.up && dir)
		e = clear_whiteouts(o.fd);
	if (!e && o.up && unlinkat(up.fd, name, dir ? AT_REMOVEDIR : 0) < 0)
		e = -errno;
	if (!e && o.below)
		e = whiteout(up.fd, name);
	ovl_pos_close(&o);
	ovl_pos_close(&up);
	return e;
}

/**
 * ovl_rename() - rename inside one overlay mount
 * @m:		the mount
 * @og:		old canonical guest path
 * @ng:		new canonical guest path
 * @flags:	RENAME_NOREPLACE, RENAME_EXCHANGE
 * Return: 0 or -errno
 */
int ovl_rename(const struct fmount *m, const char *og, const char *ng,
	       unsigned int flags)
{
	const char *orel = ovl_rel(m, og), *nrel = ovl_rel(m, ng), *oname, *nname;
	char odrel[PATH_MAX], ndrel[PATH_MAX];
	struct ovl_pos o, n, od, nd, oup = { .fd = -1, .low = -1 },
		       nup = { .fd = -1, .low = -1 };
	struct stat ost, nst;
	bool nexists, xchg = flags & RENAME_EXCHANGE;
	int e;

	if (flags & ~(unsigned int)(RENAME_NOREPLACE | RENAME_EXCHANGE) ||
	    (xchg && (flags & RENAME_NOREPLACE)))
		return -EINVAL;
	if (!*orel || !*nrel)
		return -EBUSY;
	split(orel, odrel, &oname);
	split(nrel, ndrel, &nname);
	if ((e = ovl_lookup(m, orel, &o, &od)) < 0) {
		ovl_pos_close(&od);
		return e;
	}
	e = ovl_lookup(m, nrel, &n, &nd);
	nexists = !e;
	if (e == -ENOENT && !xchg && nd.fd >= 0)
		e = 0;
	if (!e && fstat(o.fd, &ost) < 0)
		e = -errno;
	if (!e && nexists && fstat(n.fd, &nst) < 0)
		e = -errno;
	if (!e && nexists && (flags & RENAME_NOREPLACE))
		e = -EEXIST;
	if (!e && !strcmp(orel, nrel))
		goto out;	/* the same name: nothing to do */
	if (!e && !xchg && nexists) {
		if (S_ISDIR(ost.st_mode) && !S_ISDIR(nst.st_mode))
			e = -ENOTDIR;
		else if (!S_ISDIR(ost.st_mode) && S_ISDIR(nst.st_mode))
			e = -EISDIR;
		else if (S_ISDIR(nst.st_mode) && (e = list_empty(&n)) >= 0)
			e = e ? 0 : -ENOTEMPTY;
	}
	if (!e && S_ISDIR(ost.st_mode) && (!o.up || o.low >= 0))
		e = -EXDEV;	/* a lower directory */
	if (!e && xchg && S_ISDIR(nst.st_mode) && (!n.up || n.low >= 0))
		e = -EXDEV;
	if (!e && S_ISDIR(ost.st_mode) && !strncmp(nrel, orel, strlen(orel)) &&
	    nrel[strlen(orel)] == '/')
		e = -EINVAL;	/* into itself */
	if (!e)
		e = ovl_check(m, odrel, &od, OVL_DIR);
	if (!e)
		e = ovl_check(m, ndrel, &nd, OVL_DIR);
	if (!e)
		e = sticky_check(m, odrel, &od, orel, &o);
	if (!e && nexists)
		e = sticky_check(m, ndrel, &nd, nrel, &n);
	if (e)
		goto out;
	/* copy up what moves, and the directory it goes to */
	ovl_pos_close(&o);
	if ((e = ovl_copy_up(m, orel, false, &o)) < 0)
		goto out;
	if (xchg) {
		ovl_pos_close(&n);
		if ((e = ovl_copy_up(m, nrel, false, &n)) < 0)
			goto out;
	}
	if ((e = ovl_copy_up(m, odrel, false, &oup)) < 0 ||
	    (e = ovl_copy_up(m, ndrel, false, &nup)) < 0)
		goto out;
	if (!xchg) {
		if (fstatat(nup.fd, nname, &nst, AT_SYMLINK_NOFOLLOW) == 0) {
			if (ovl_whiteout_st(&nst) && S_ISDIR(ost.st_mode))
				e = unlinkat(nup.fd, nname, 0) < 0 ? -errno : 0;
			else if (S_ISDIR(nst.st_mode))
				e = clear_whiteouts(n.fd);
		}
		if (!e && syscall(SYS_renameat2, oup.fd, oname, nup.fd, nname, 0) < 0)
			e = -errno;
		if (!e && o.below)
			e = whiteout(oup.fd, oname);
		if (!e && S_ISDIR(ost.st_mode) && n.below &&
		    faccessat(nup.low, nname, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
			int lfd = openat(nup.low, nname, O_PATH | O_NOFOLLOW | O_CLOEXEC);
			int ufd = openat(nup.fd, nname, O_PATH | O_NOFOLLOW | O_CLOEXEC);

			if (lfd >= 0 && ufd >= 0 && fd_is_dir(lfd))
				e = make_opaque(ufd, lfd);
			if (lfd >= 0)
				close(lfd);
			if (ufd >= 0)
				close(ufd);
		}
	} else if (syscall(SYS_renameat2, oup.fd, oname, nup.fd, nname,
			   RENAME_EXCHANGE) < 0) {
		e = -errno;
	}
out:
	ovl_pos_close(&o);
	ovl_pos_close(&n);
	ovl_pos_close(&od);
	ovl_pos_close(&nd);
	ovl_pos_close(&oup);
	ovl_pos_close(&nup);
	return e;
}

/**
 * ovl_of_host() - the overlay mount a host path is seen in, and where
 * @v:		the view
 * @host:	canonical host path
 * @rel:	filled: the path relative to the mount's root
 * @upper:	set if @host is in the upper layer
 * Return: the mount, or NULL if the view shows @host outside overlays
 */
const struct fmount *ovl_of_host(const struct fview *v, const char *host,
				 char rel[PATH_MAX], bool *upper)
{
	const struct fmount *m;
	const char *rest;
	char g[PATH_MAX];
	size_t len;

	if (fview_to_guest(v, host, g, sizeof(g)) < 0)
		return NULL;
	m = fview_under(v, g, &rest);
	if (m->kind != FM_OVERLAY)
		return NULL;
	snprintf(rel, PATH_MAX, "%s", rest);
	len = strlen(m->uhost);
	*upper = !strncmp(host, m->uhost, len) && (!host[len] || host[len] == '/');
	return m;
}

/**
 * ovl_fd_modify() - a guest's open file of a lower layer is about to change
 * @v:		the view
 * @host:	host path of the file
 * @how:	OVL_WRITE, OVL_OWNER, OVL_TOUCH
 * @fd:		set to an O_PATH fd of the upper copy
 * Return: 1 if @host is in no lower layer (act on the guest's file), 0,
 * or -errno
 */
int ovl_fd_modify(const struct fview *v, const char *host, int how, int *fd)
{
	char rel[PATH_MAX];
	bool upper;
	const struct fmount *m = ovl_of_host(v, host, rel, &upper);
	struct ovl_pos o;
	int e;

	if (!m || upper)
		return 1;
	if ((e = checked_copy_up(m, rel, how, false, &o)) < 0)
		return e;
	if (o.low >= 0)
		close(o.low);
	*fd = o.fd;
	return 0;
}

/**
 * ovl_dir_of() - the merged directory a guest's open directory lists
 * @v:		the view
 * @host:	host path of the directory
 * @o:		filled: the directory, if both layers have it
 * Return: 1 if the listing is the plain one of @host, 0, or -errno
 */
int ovl_dir_of(const struct fview *v, const char *host, struct ovl_pos *o)
{
	char rel[PATH_MAX];
	bool upper;
	const struct fmount *m = ovl_of_host(v, host, rel, &upper);
	int e;

	if (!m)
		return 1;
	e = ovl_lookup(m, rel, o, NULL);
	if (e < 0)
		return e == -ENOENT ? 1 : e;
	if (o->up && o->low >= 0)
		return 0;
	ovl_pos_close(o);
	return 1;
}

/**
 * openat2_beneath() - open a path below a directory, following nothing
 * @dirfd:	the directory
 * @rel:	the path ("" for the directory itself)
 * @flags:	open flags
 * Return: fd or -1 with errno
 */
int openat2_beneath(int dirfd, const char *rel, int flags)
{
	struct open_how how = { .flags = (uint64_t)flags | O_CLOEXEC,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
					   RESOLVE_NO_MAGICLINKS };

	if (!*rel)
		return fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	return (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
}
