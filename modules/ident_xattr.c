// SPDX-License-Identifier: GPL-2.0-or-later
/* ident_xattr.c - extended attributes only root may set, kept by the view
 *
 * DOC: Theory of Operation
 *
 * Two namespaces of extended attributes are root's: security.capability
 * (file capabilities: setcap(8), and package scripts that give ping or
 * dumpcap theirs) needs CAP_SETFCAP, and trusted.* needs CAP_SYS_ADMIN.
 * The host refuses both to facet's user, so the view keeps them as records
 * beside the owners (ident_db.c, and the --fakeroot-db file): set, get,
 * list and remove answer from the records with the kernel's rules (who may,
 * XATTR_CREATE and XATTR_REPLACE, ERANGE for a short buffer, a capability
 * value of a known format), a listing adds their names to the host's, and a
 * chown drops a file's capabilities as the kernel does.  Every other
 * attribute is the host's, through the other modules.
 *
 * A record carries its file's birth time, as an owner's does: one left by
 * a file removed behind facet's back is not given to a new file that
 * reuses the inode number.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "ident_internal.h"

#define CAPS_NAME	"security.capability"

/**
 * kept() - is an attribute one the view keeps?
 * @name:	its name
 * Return: true for security.capability and trusted.*
 */
static bool kept(const char *name)
{
	return !strcmp(name, CAPS_NAME) || !strncmp(name, "trusted.", 8);
}

/**
 * may_see() - may the thread see or change this attribute at all?
 * @c:		credentials
 * @name:	a kept attribute
 * @write:	to set or remove it
 * Return: true if so
 */
static bool may_see(const struct cred *c, const char *name, bool write)
{
	if (!strncmp(name, "trusted.", 8))
		return ident_capable(c, CAP_SYS_ADMIN);
	return !write || ident_capable(c, CAP_SETFCAP);
}

/**
 * caps_valid() - is a value one the kernel takes for security.capability?
 * @v:		the value
 * @len:	its length
 * Return: true for revision 1 (12 bytes), 2 (20) or 3 (24)
 */
static bool caps_valid(const void *v, size_t len)
{
	uint32_t magic;

	if (len < 4)
		return false;
	memcpy(&magic, v, 4);	/* little-endian on x86_64 */
	switch (magic & VFS_CAP_REVISION_MASK) {
	case VFS_CAP_REVISION_1: return len == XATTR_CAPS_SZ_1;
	case VFS_CAP_REVISION_2: return len == XATTR_CAPS_SZ_2;
	case VFS_CAP_REVISION_3: return len == XATTR_CAPS_SZ_3;
	}
	return false;
}

/**
 * target() - the file an xattr call names, and its key
 * @id:		module state
 * @call:	the call
 * @st:		filled: its host attributes
 * @rflags:	FACET_RES_CHANGE for set and remove, else 0
 * Return: an fd of it (O_PATH, or the guest's own), or -errno
 */
static int target(struct ident *id, struct facet_call *call, struct stat *st,
		  int rflags)
{
	char path[PATH_MAX];
	int fd, e;

	switch (call->nr) {
	case SYS_fsetxattr: case SYS_fgetxattr: case SYS_flistxattr:
	case SYS_fremovexattr:
		fd = ident_guest_fd(call, (int)call->args[0]);
		break;
	default:
		if ((e = ident_path(id, call, call->args[0], path)) < 0)
			return e;
		fd = facet_resolve(id->f, call, AT_FDCWD, path, rflags |
				   (call->nr == SYS_lsetxattr ||
				    call->nr == SYS_lgetxattr ||
				    call->nr == SYS_llistxattr ||
				    call->nr == SYS_lremovexattr ?
				    FACET_RES_NOFOLLOW : 0));
	}
	if (fd >= 0 && fstat(fd, st) < 0) {
		e = -errno;
		close(fd);
		return e;
	}
	return fd;
}

/**
 * fresh() - drop the file's kept attributes if they are another file's
 * @id:		module state
 * @fd:		the file
 * @st:		its attributes
 */
static void fresh(struct ident *id, int fd, const struct stat *st)
{
	const struct xrec *x = owners_xget(&id->own, st->st_dev, st->st_ino, NULL);
	int64_t sec;
	uint32_t nsec;

	if (!x || (!x->btime_sec && !x->btime_nsec))
		return;
	ident_birth(fd, &sec, &nsec);
	if ((sec || nsec) && (sec != x->btime_sec || nsec != x->btime_nsec))
		owners_xdrop(&id->own, st->st_dev, st->st_ino, NULL);
}

/**
 * do_set() - setxattr of a kept attribute
 * @id:		module state
 * @call:	the call
 * @c:		credentials
 * @name:	its name
 * Return: 0 or -errno
 */
static int do_set(struct ident *id, struct facet_call *call,
		  const struct cred *c, const char *name)
{
	uint64_t size = call->args[3];
	int flags = (int)call->args[4], fd;
	struct xrec x = { .name = (char *)name };
	const struct xrec *old;
	struct stat st;
	int e = 0;

	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		return -EINVAL;
	if (size > XATTR_SIZE_MAX)
		return -E2BIG;
	if ((fd = target(id, call, &st, FACET_RES_CHANGE)) < 0)
		return fd;
	if (!may_see(c, name, true)) {
		close(fd);
		return -EPERM;
	}
	fresh(id, fd, &st);
	x.dev = st.st_dev;
	x.ino = st.st_ino;
	x.len = (uint32_t)size;
	ident_birth(fd, &x.btime_sec, &x.btime_nsec);
	close(fd);
	old = owners_xget(&id->own, x.dev, x.ino, name);
	if ((flags & XATTR_CREATE) && old)
		return -EEXIST;
	if ((flags & XATTR_REPLACE) && !old)
		return -ENODATA;
	if (!(x.value = malloc(size ? size : 1)))
		return -ENOMEM;
	if (size && facet_read(id->f, call, call->args[2], x.value, size) < 0)
		e = -EFAULT;
	else if (!strcmp(name, CAPS_NAME) && !caps_valid(x.value, size))
		e = -EINVAL;
	else
		e = owners_xput(&id->own, &x);
	free(x.value);
	return e;
}

/**
 * do_get() - getxattr of a kept attribute
 * @id:		module state
 * @call:	the call
 * @c:		credentials
 * @name:	its name
 * Return: the value's length, or -errno
 */
static long do_get(struct ident *id, struct facet_call *call,
		   const struct cred *c, const char *name)
{
	uint64_t size = call->args[3];
	const struct xrec *x;
	struct stat st;
	int fd = target(id, call, &st, 0);

	if (fd < 0)
		return fd;
	fresh(id, fd, &st);
	close(fd);
	x = owners_xget(&id->own, st.st_dev, st.st_ino, name);
	if (!x || !may_see(c, name, false))
		return -ENODATA;
	if (!size)
		return x->len;
	if (size < x->len)
		return -ERANGE;
	if (x->len && facet_write(id->f, call, call->args[2], x->value, x->len) < 0)
		return -EFAULT;
	return x->len;
}

/**
 * do_remove() - removexattr of a kept attribute
 * @id:		module state
 * @call:	the call
 * @c:		credentials
 * @name:	its name
 * Return: 0 or -errno
 */
static int do_remove(struct ident *id, struct facet_call *call,
		     const struct cred *c, const char *name)
{
	struct stat st;
	int fd = target(id, call, &st, FACET_RES_CHANGE);

	if (fd < 0)
		return fd;
	fresh(id, fd, &st);
	close(fd);
	if (!may_see(c, name, true))
		return -EPERM;
	if (!owners_xget(&id->own, st.st_dev, st.st_ino, name))
		return -ENODATA;
	return owners_xdrop(&id->own, st.st_dev, st.st_ino, name);
}

/**
 * host_list() - the host's names of a file's attributes
 * @fd:		the file
 * @buf:	XATTR_LIST_MAX bytes
 * Return: their length, or -errno
 */
static long host_list(int fd, char *buf)
{
	char proc[64];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = listxattr(proc, buf, XATTR_LIST_MAX);
	if (n < 0 && (errno == ENOTSUP || errno == EPERM))
		n = 0;	/* a symlink's, or a filesystem without any */
	return n < 0 ? -errno : n;
}

/**
 * do_list() - listxattr: the host's names and the kept ones
 * @id:		module state
 * @call:	the call
 * @c:		credentials
 * Return: the list's length, or -errno
 */
static long do_list(struct ident *id, struct facet_call *call,
		    const struct cred *c)
{
	uint64_t size = call->args[2];
	char *buf = malloc(XATTR_LIST_MAX + 1);
	struct stat st;
	long n;
	size_t i, nl;
	int fd = target(id, call, &st, 0);

	if (!buf || fd < 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return fd < 0 ? fd : -ENOMEM;
	}
	fresh(id, fd, &st);
	n = host_list(fd, buf);
	close(fd);
	for (i = 0; n >= 0 && i < id->own.nx; i++) {
		const struct xrec *x = &id->own.x[i];

		if (x->dev != st.st_dev || x->ino != st.st_ino ||
		    !may_see(c, x->name, false))
			continue;
		nl = strlen(x->name) + 1;
		if ((size_t)n + nl > XATTR_LIST_MAX) {
			n = -E2BIG;
			break;
		}
		memcpy(buf + n, x->name, nl);
		n += (long)nl;
	}
	if (n > 0 && size) {
		if ((uint64_t)n > size)
			n = -ERANGE;
		else if (facet_write(id->f, call, call->args[1], buf, (size_t)n) < 0)
			n = -EFAULT;
	}
	free(buf);
	return n;
}

/**
 * ident_xattr() - the xattr calls: kept attributes answered here
 * @id:		module state
 * @call:	the call
 * Return: outcome
 */
enum facet_outcome ident_xattr(struct ident *id, struct facet_call *call)
{
	struct cred *c = ident_cred(id, call);
	char name[XATTR_NAME_MAX + 2];
	int r;

	if (!c)
		return ident_reply(call, -ENOMEM);
	switch (call->nr) {
	case SYS_listxattr: case SYS_llistxattr: case SYS_flistxattr:
		return id->own.nx ? ident_reply(call, do_list(id, call, c))
				  : facet_next(id->f, call);
	}
	r = call->args[1] ? facet_read_string(id->f, call, call->args[1], name,
					      sizeof(name)) : -EFAULT;
	if (r == -ENAMETOOLONG || (r >= 0 && strlen(name) > XATTR_NAME_MAX))
		return ident_reply(call, -ERANGE);
	if (r < 0 || !kept(name))
		return facet_next(id->f, call);
	switch (call->nr) {
	case SYS_setxattr: case SYS_lsetxattr: case SYS_fsetxattr:
		return ident_reply(call, do_set(id, call, c, name));
	case SYS_getxattr: case SYS_lgetxattr: case SYS_fgetxattr:
		return ident_reply(call, do_get(id, call, c, name));
	}
	return ident_reply(call, do_remove(id, call, c, name));
}

/**
 * ident_fcaps() - a program's file capabilities, as the view keeps them
 * @id:		module state
 * @st:		the program's host attributes
 * @fc:		filled: permitted, inheritable (64 bits each)
 * @eff:	filled: the effective bit
 * Return: true if it has some
 */
bool ident_fcaps(struct ident *id, const struct stat *st, uint64_t fc[2],
		 bool *eff)
{
	const struct xrec *x = owners_xget(&id->own, st->st_dev, st->st_ino,
					   CAPS_NAME);
	uint32_t w[6] = { 0 };

	if (!x || !caps_valid(x->value, x->len))
		return false;
	memcpy(w, x->value, x->len < sizeof(w) ? x->len : sizeof(w));
	*eff = w[0] & VFS_CAP_FLAGS_EFFECTIVE;
	fc[0] = w[1];
	fc[1] = w[2];
	if ((w[0] & VFS_CAP_REVISION_MASK) != VFS_CAP_REVISION_1) {
		fc[0] |= (uint64_t)w[3] << 32;
		fc[1] |= (uint64_t)w[4] << 32;
	}
	return true;
}
