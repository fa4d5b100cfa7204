// SPDX-License-Identifier: GPL-2.0-or-later
/* files_resolve.c - the one resolver: guest path to host object
 *
 * DOC: Theory of Operation
 *
 * Every path argument of every trapped call comes here, with the caller's
 * root, working directory or dirfd.  The answer is an O_PATH fd the
 * supervisor holds (and, for calls that create or remove, the parent
 * directory's fd and the last name), so the operation that follows acts on
 * the object found, never on a path the guest could change meanwhile.
 *
 * Two ways lead there:
 *
 * - The fast path, for a path without "." or ".." components: the mount
 *   holding it lexically is found, and the kernel walks the rest with
 *   openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) from the mount's root.
 *   If the walk would leave the mount (absolute symlink, "..") the kernel
 *   says EXDEV.  If other mounts lie below this one, a symlink inside could
 *   have led where the guest sees another mount (or a hidden path): the
 *   host path of the result is then checked, and a shadowed result, or any
 *   error, sends the call to the slow path.
 *
 * - The walker, one component at a time, as the kernel's own lookup does:
 *   mount points switch to the mounted object, ".." at a mount's root goes
 *   to the parent mount, symlinks are read and their text resolved in the
 *   guest's terms (absolute ones from the guest's root), at most 40 of them
 *   (ELOOP).  Under /proc, "self" and "thread-self" name the caller, not
 *   the supervisor, and the magic links (cwd, root, exe, fd/N) of a guest
 *   process answer in guest terms; those of other processes are refused
 *   (EACCES), for they lead outside the view.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "files_internal.h"

#define LINKS_MAX 40

/**
 * struct walk - the walker's position
 * @g:		canonical guest path of @cur
 * @cur:	O_PATH fd of the directory reached
 * @m:		mount @cur is in
 * @links:	symlinks followed so far
 * @low:	in an overlay, the lower directory when both layers have
 *		@g (else -1)
 * @up:		in an overlay, @cur is in the upper layer
 */
struct walk {
	char g[PATH_MAX];
	int cur;
	struct fmount *m;
	int links;
	int low;
	bool up;
};

/**
 * walk_move() - the walker's directory becomes another
 * @w:		walker
 * @fd:		the directory (taken)
 * @low:	its lower layer's (taken), or -1
 * @up:		@fd is an overlay's upper
 */
static void walk_move(struct walk *w, int fd, int low, bool up)
{
	if (w->cur >= 0)
		close(w->cur);
	if (w->low >= 0)
		close(w->low);
	w->cur = fd;
	w->low = low;
	w->up = up;
}

/**
 * openat2_path() - openat2(2) with RESOLVE_* flags
 * @dirfd:	start
 * @path:	relative path
 * @flags:	open flags
 * @resolve:	RESOLVE_* flags
 * Return: fd or -1 with errno
 */
int openat2_path(int dirfd, const char *path, int flags, uint64_t resolve)
{
	struct open_how how = { .flags = (uint64_t)flags | O_CLOEXEC,
				.resolve = resolve };

	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/**
 * fd_proc_path() - "/proc/self/fd/N[/name]", to act on an fd by path
 * @out:	result
 * @size:	room
 * @fd:		the supervisor's fd
 * @name:	a component below it, or NULL
 * Return: 0 or -ENAMETOOLONG
 */
int fd_proc_path(char *out, size_t size, int fd, const char *name)
{
	int n = snprintf(out, size, "/proc/self/fd/%d%s%s", fd,
			 name && *name ? "/" : "", name ? name : "");

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/**
 * fd_host_path() - the host path of one of the supervisor's fds
 * @fd:		the fd
 * @out:	the path
 * @size:	room
 * Return: its length, or -errno
 */
int fd_host_path(int fd, char *out, size_t size)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, out, size - 1);
	if (n < 0)
		return -errno;
	out[n] = 0;
	return (int)n;
}

/**
 * fd_is_dir() - is an fd a directory?
 * @fd:	the fd
 * Return: true if so
 */
bool fd_is_dir(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
}

/**
 * fd_is_link() - is an fd (O_PATH) a symlink itself?
 * @fd:	the fd
 * Return: true if so
 */
bool fd_is_link(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISLNK(st.st_mode);
}

/**
 * res_fd_host() - host path of a guest's fd
 * @tid:	guest thread
 * @fd:		its fd
 * @out:	the path, or "pipe:[N]" and the like
 * @size:	room
 * Return: length, or -errno (-EBADF if no such fd)
 */
int res_fd_host(pid_t tid, int fd, char *out, size_t size)
{
	char link[64];
	ssize_t n;

	if (fd < 0)
		return -EBADF;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", tid, fd);
	n = readlink(link, out, size - 1);
	if (n < 0)
		return errno == ENOENT ? -EBADF : -errno;
	out[n] = 0;
	return (int)n;
}

/**
 * res_fd_guest() - guest path of a guest's fd
 * @fs:		module state
 * @p:		the process
 * @tid:	its thread
 * @fd:		its fd
 * @out:	the guest path
 * @size:	room
 * Return: 0, -EBADF, -ENOENT if the view does not show what @fd is
 */
int res_fd_guest(struct files *fs, struct fproc *p, pid_t tid, int fd,
		 char *out, size_t size)
{
	char host[PATH_MAX];
	int r = res_fd_host(tid, fd, host, sizeof(host));

	(void)fs;
	if (r < 0)
		return r;
	if (host[0] != '/')
		return -ENOENT;
	return fview_to_guest(p->view, host, out, size);
}

/**
 * res_release() - close what a resolution holds
 * @r:	the result
 */
void res_release(struct fres *r)
{
	if (r->fd >= 0)
		close(r->fd);
	if (r->dirfd >= 0)
		close(r->dirfd);
	r->fd = r->dirfd = -1;
}

/**
 * canon_open() - open a canonical guest path (no symlinks on the way)
 * @v:		the view
 * @g:		canonical guest path of a directory or mount root
 * @m:		set to its mount
 * @o:		in an overlay, set to where the object is in the layers
 * Return: O_PATH fd, or -errno
 */
static int canon_open(const struct fview *v, const char *g, struct fmount **m,
		      struct ovl_pos *o)
{
	const char *rest;
	int fd;

	*m = fview_under(v, g, &rest);
	if ((*m)->kind == FM_HIDE)
		return -ENOENT;
	if ((*m)->kind == FM_OVERLAY) {
		fd = ovl_lookup(*m, rest, o, NULL);
		return fd < 0 ? fd : o->fd;
	}
	if (!*rest)
		fd = fcntl((*m)->fd, F_DUPFD_CLOEXEC, 3);
	else
		fd = openat2_path((*m)->fd, rest, O_PATH, RESOLVE_BENEATH |
				  RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	return fd < 0 ? -errno : fd;
}

/**
 * walk_set() - move the walker to a canonical guest path
 * @w:		walker
 * @v:		the view
 * @g:		where
 * Return: 0 or -errno
 */
static int walk_set(struct walk *w, const struct fview *v, const char *g)
{
	int fd;

	if (g != w->g) {
		if (strlen(g) >= sizeof(w->g))
			return -ENAMETOOLONG;
		strcpy(w->g, g);
	}
	struct ovl_pos o = { .fd = -1, .low = -1 };

	fd = canon_open(v, w->g, &w->m, &o);
	if (fd < 0)
		return fd;
	walk_move(w, fd, o.low, o.up);
	return 0;
}

/**
 * walk_proc_rel() - where the walker is inside the host's /proc
 * @w:	walker
 * Return: path relative to /proc ("" for /proc itself), or NULL if the
 * walker is not in /proc
 */
static const char *walk_proc_rel(const struct walk *w)
{
	static char rel[PATH_MAX];
	const char *in, *pr;
	size_t plen;

	if (!w->m->proc)
		return NULL;
	in = w->g + (w->m->glen == 1 ? 1 : w->m->glen + (w->g[w->m->glen] == '/'));
	pr = w->m->procrel;
	plen = strlen(pr);
	if (!plen) {
		snprintf(rel, sizeof(rel), "%s", in);
		return rel;
	}
	if (strncmp(in, pr, plen) || (in[plen] && in[plen] != '/'))
		return NULL;
	snprintf(rel, sizeof(rel), "%s", in[plen] ? in + plen + 1 : "");
	return rel;
}

/**
 * fd_guest_self() - guest path of a directory fd the supervisor holds
 * @v:		the view
 * @fd:		the fd
 * @out:	its guest path
 * @size:	room
 * Return: 0, or -ENOENT if the view does not show it
 */
static int fd_guest_self(const struct fview *v, int fd, char *out, size_t size)
{
	char link[64], host[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, host, sizeof(host) - 1);
	if (n <= 0 || host[0] != '/')
		return -ENOENT;
	host[n] = 0;
	return fview_to_guest(v, host, out, size);
}

/**
 * proc_magic() - which magic link of /proc a name is
 * @rel:	directory, relative to /proc
 * @name:	the link
 * @pid:	set to the process it belongs to
 * Return: MAGIC_* kind, or MAGIC_NONE if @rel/@name is no magic link
 */
static int proc_magic(const char *rel, const char *name, pid_t *pid)
{
	char *end;
	long n = strtol(rel, &end, 10);

	if (end == rel || n <= 0)
		return MAGIC_NONE;
	*pid = (pid_t)n;
	if (*end == '/' && !strncmp(end, "/task/", 6)) {
		strtol(end + 6, &end, 10);
	}
	if (!*end) {
		if (!strcmp(name, "cwd"))
			return MAGIC_CWD;
		if (!strcmp(name, "root"))
			return MAGIC_ROOT;
		if (!strcmp(name, "exe"))
			return MAGIC_EXE;
		return MAGIC_OTHER;	/* ns/ entries are directories */
	}
	return MAGIC_OTHER;	/* fd/N, map_files/X, ns/X */
}

/**
 * walk_magic() - step through a magic link of a guest process
 * @fs:		module state
 * @w:		walker, in the link's directory
 * @kind:	MAGIC_*
 * @pid:	whose link
 * @name:	the link's name
 * @rem:	rest of the path, to which cwd and root links are prefixed
 * @remsize:	room there
 * @nfd:	set to the object's fd for exe/fd links
 * Return: 1 if @rem was rewritten (restart from /), 0 if @nfd is the
 * object, or -errno
 */
static int walk_magic(struct files *fs, struct walk *w, int kind, pid_t pid,
		      const char *name, char *rem, size_t remsize, int *nfd)
{
	struct fproc *q = files_proc_of(fs, pid);
	const char *to;
	char tmp[PATH_MAX];

	if (!q)
		return -EACCES;		/* another process: outside the view */
	if (kind == MAGIC_CWD || kind == MAGIC_ROOT) {
		to = kind == MAGIC_CWD ? q->cwd : q->root;
		if (snprintf(tmp, sizeof(tmp), "%s/%s", to, rem) >= (int)sizeof(tmp) ||
		    strlen(tmp) >= remsize)
			return -ENAMETOOLONG;
		strcpy(rem, tmp);
		return 1;
	}
	*nfd = openat(w->cur, name, O_PATH | O_CLOEXEC);
	return *nfd < 0 ? -errno : 0;
}

/**
 * next_component() - take the first component off a path
 * @rem:	path (leading slashes skipped); advanced past the component
 * @c:		the component
 * @last:	set if nothing but slashes follows
 * @slash:	set if slashes follow the last component
 * Return: 0, -ENAMETOOLONG for a component over NAME_MAX
 */
static int next_component(const char **rem, char *c, bool *last, bool *slash)
{
	const char *p = *rem, *e;
	size_t len;

	while (*p == '/')
		p++;
	e = strchrnul(p, '/');
	len = (size_t)(e - p);
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(c, p, len);
	c[len] = 0;
	*slash = *e == '/';
	while (*e == '/')
		e++;
	*last = !*e;
	*rem = e;
	return 0;
}

/**
 * walk_up() - ".."
 * @w:		walker
 * @v:		view
 * @root:	the process's root: ".." stops there
 * Return: 0 or -errno
 */
static int walk_up(struct walk *w, const struct fview *v, const char *root)
{
	bool at_mount_root = !strcmp(w->g, w->m->guest);
	char *slash;
	int fd;

	if (!strcmp(w->g, root) || !strcmp(w->g, "/"))
		return 0;
	slash = strrchr(w->g, '/');
	if (slash == w->g)
		slash[1] = 0;
	else
		*slash = 0;
	if (at_mount_root || w->m->kind == FM_OVERLAY)
		return walk_set(w, v, w->g);	/* into the parent mount */
	fd = openat(w->cur, "..", O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	walk_move(w, fd, -1, false);
	return 0;
}

/**
 * walk_link() - a symlink in the way: its text goes in front of the rest
 * @w:		walker
 * @v:		view
 * @root:	the process's root, where absolute targets start
 * @lfd:	O_PATH fd of the link
 * @rem:	rest of the path (rewritten)
 * @remsize:	room in @rem
 * @slash:	the link was followed by a slash
 * Return: 0 or -errno
 */
static int walk_link(struct walk *w, const struct fview *v, const char *root,
		     int lfd, char *rem, size_t remsize, bool slash)
{
	char target[PATH_MAX], tmp[PATH_MAX * 2];
	ssize_t n;

	if (++w->links > LINKS_MAX)
		return -ELOOP;
	n = readlinkat(lfd, "", target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	if (!n)
		return -ENOENT;
	target[n] = 0;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s%s%s", target,
			     *rem || slash ? "/" : "", rem) >= remsize)
		return -ENAMETOOLONG;
	strcpy(rem, tmp);
	if (target[0] == '/')
		return walk_set(w, v, root);
	return 0;
}

/**
 * walk_finish() - the last component was reached: fill @r
 * @w:		walker (its fd moves to @r->dirfd)
 * @r:		result
 * @name:	last component
 * @fd:		the object's fd, or -1 if it does not exist
 * @m:		its mount
 * Return: 0 or -ENAMETOOLONG
 */
static int walk_finish(struct walk *w, struct fres *r, const char *name,
		       int fd, struct fmount *m)
{
	r->dirfd = w->cur;
	w->cur = -1;
	walk_move(w, -1, -1, false);
	r->fd = fd;
	r->m = m;
	strcpy(r->name, name);
	return path_join(r->guest, sizeof(r->guest), w->g, name);
}

/**
 * walk_self() - the whole path named the walker's directory ("/", "x/..")
 * @w:	walker
 * @r:	result
 * Return: 0
 */
static int walk_self(struct walk *w, struct fres *r)
{
	r->fd = w->cur;
	w->cur = -1;
	walk_move(w, -1, -1, false);
	r->dirfd = -1;
	r->m = w->m;
	r->name[0] = 0;
	strcpy(r->guest, w->g);
	return 0;
}

/**
 * walk() - resolve component by component
 * @fs:		module state
 * @p:		the calling process
 * @tid:	its thread (for /proc/thread-self)
 * @start:	canonical guest path relative paths start from
 * @path:	the path
 * @r:		result; @r->flags says what for
 * Return: 0 or -errno
 */
static int walk(struct files *fs, struct fproc *p, pid_t tid, const char *start,
		const char *path, struct fres *r)
{
	struct walk w = { .cur = -1, .low = -1 };
	struct ovl_pos op = { .fd = -1, .low = -1 };
	char rem[PATH_MAX * 2], c[NAME_MAX + 1], ng[PATH_MAX];
	const char *rp, *prel;
	bool last, slash, follow;
	struct fmount *mm;
	struct stat st;
	int nfd, e, kind;
	pid_t mpid = 0;

	if (strlen(path) >= sizeof(rem))
		return -ENAMETOOLONG;
	strcpy(rem, path);
	e = walk_set(&w, p->view, path[0] == '/' ? p->root : start);
	while (!e) {
		rp = rem;
		while (*rp == '/')
			rp++;
		if (!*rp) {
			e = walk_self(&w, r);
			break;
		}
		if ((e = next_component(&rp, c, &last, &slash)) < 0)
			break;
		memmove(rem, rp, strlen(rp) + 1);
		if (slash && last)
			r->flags |= RES_DIR;
		if (!strcmp(c, ".") || !strcmp(c, "..")) {
			if (c[1] && (e = walk_up(&w, p->view, p->root)) < 0)
				break;
			if (last) {
				e = walk_self(&w, r);
				break;
			}
			continue;
		}
		prel = walk_proc_rel(&w);
		if (prel && !*prel && (!strcmp(c, "self") || !strcmp(c, "thread-self"))) {
			pid_t tgid = facet_task_tgid(facet_task_find(fs->f, tid));

			if (c[0] == 's')
				snprintf(c, sizeof(c), "%d", tgid);
			else
				snprintf(c, sizeof(c), "%d/task/%d", tgid, tid);
			if (strlen(c) + strlen(rem) + 2 > sizeof(rem)) {
				e = -ENAMETOOLONG;
				break;
			}
			memmove(rem + strlen(c) + 1, rem, strlen(rem) + 1);
			memcpy(rem, c, strlen(c));
			rem[strlen(c)] = '/';
			continue;
		}
		/* a sandbox sees only its own processes in /proc */
		if (prel && !*prel && fs->sandbox && sandbox_foreign_pid(fs, c)) {
			e = -ENOENT;
			break;
		}
		if ((e = path_join(ng, sizeof(ng), w.g, c)) < 0)
			break;
		mm = fview_at(p->view, ng);
		if (mm && mm->kind == FM_HIDE) {
			e = -ENOENT;
			break;
		}
		if (mm) {
			op = (struct ovl_pos){ .fd = -1, .low = -1 };
			if (mm->kind == FM_OVERLAY)
				nfd = ovl_root(mm, &op) < 0 ? -1 : op.fd;
			else
				nfd = fcntl(mm->fd, F_DUPFD_CLOEXEC, 3);
			if (nfd < 0) {
				e = -errno;
				break;
			}
			if (last && op.low >= 0) {
				close(op.low);
				op.low = -1;
			}
			if (last) {
				e = walk_finish(&w, r, c, nfd, mm);
				break;
			}
			if (!mm->dir) {
				close(nfd);
				e = -ENOTDIR;
				break;
			}
			walk_move(&w, nfd, op.low, op.up);
			op.low = -1;
			w.m = mm;
			strcpy(w.g, ng);
			continue;
		}
		op = (struct ovl_pos){ .fd = -1, .low = -1 };
		if (w.m->kind == FM_OVERLAY) {
			struct ovl_pos here = { .fd = w.cur, .low = w.low, .up = w.up };

			e = ovl_step(&here, c, &op);
			nfd = op.fd;
			if (e < 0)
				errno = -e;
			else if (last && op.low >= 0) {
				close(op.low);
				op.low = -1;
			}
		} else if (w.m->kind == FM_IMAGE && (e = img_enter(w.m, w.cur, c)) < 0) {
			nfd = -1;
			errno = -e;
		} else {
			nfd = openat(w.cur, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		}
		if (nfd < 0) {
			e = -errno;
			if (e == -ENOENT && last && (r->flags & RES_PARENT))
				e = walk_finish(&w, r, c, -1, w.m);
			break;
		}
		if (fstat(nfd, &st) < 0) {
			e = -errno;
			close(nfd);
			break;
		}
		follow = !last || (r->flags & RES_FOLLOW) || slash;
		kind = S_ISLNK(st.st_mode) && prel ? proc_magic(prel, c, &mpid)
						   : MAGIC_NONE;
		if (kind != MAGIC_NONE && !follow) {
			r->magic = kind;
			r->magic_pid = mpid;
			e = walk_finish(&w, r, c, nfd, w.m);
			break;
		}
		if (kind != MAGIC_NONE) {
			close(nfd);
			nfd = -1;
			e = walk_magic(fs, &w, kind, mpid, c, rem, sizeof(rem), &nfd);
			if (e == 1) {
				e = walk_set(&w, p->view, "/");
				continue;
			}
			if (e < 0)
				break;
			if (last) {
				e = walk_finish(&w, r, c, nfd, w.m);
				break;
			}
			/* a directory fd of the guest's: go on from where the
			 * view shows it, so mounts and hidden paths below count */
			if (fstat(nfd, &st) < 0 || !S_ISDIR(st.st_mode)) {
				close(nfd);
				e = -ENOTDIR;
				break;
			}
			e = fd_guest_self(p->view, nfd, ng, sizeof(ng));
			close(nfd);
			if (e < 0) {
				e = -EACCES;	/* nothing the view shows */
				break;
			}
			e = walk_set(&w, p->view, ng);
			continue;
		}
		if (S_ISLNK(st.st_mode) && follow) {
			e = walk_link(&w, p->view, p->root, nfd, rem, sizeof(rem), slash);
			close(nfd);
			continue;
		}
		if (last) {
			if (slash && !S_ISDIR(st.st_mode)) {
				close(nfd);
				e = -ENOTDIR;
				break;
			}
			e = walk_finish(&w, r, c, nfd, w.m);
			break;
		}
		if (!S_ISDIR(st.st_mode)) {
			close(nfd);
			e = -ENOTDIR;
			break;
		}
		walk_move(&w, nfd, op.low, op.up);
		op.low = -1;
		strcpy(w.g, ng);
	}
	if (op.low >= 0)
		close(op.low);
	walk_move(&w, -1, -1, false);
	if (e < 0)
		res_release(r);
	return e < 0 ? e : 0;
}

/**
 * fast_check() - may the fast path's result stand?
 * @v:		view
 * @m:		the mount it started in
 * @fd:		the object found
 * @guest:	set to its guest path
 * Return: true if it is in @m and not under another mount
 */
static bool fast_check(const struct fview *v, struct fmount *m, int fd,
		       char *guest)
{
	char host[PATH_MAX];
	const char *rest;
	ssize_t n;

	if (!m->nested)
		return true;
	n = fd_host_path(fd, host, sizeof(host));
	if (n <= 0)
		return false;
	if (m->hlen == 1)
		rest = host + 1;
	else if (!strncmp(host, m->host, m->hlen) && (!host[m->hlen] || host[m->hlen] == '/'))
		rest = host[m->hlen] ? host + m->hlen + 1 : host + m->hlen;
	else
		return false;
	if (path_join(guest, PATH_MAX, m->guest, rest) < 0)
		return false;
	return !fview_shadowed(v, m, guest);
}

/**
 * fast_plain() - can @path go the fast way?
 * @path:	lexically joined absolute guest path
 * Return: true if it has no empty, "." or ".." component and no trailing
 * slash: its text is the normalized path, which the mount table knows
 */
bool fast_plain(const char *path)
{
	const char *p = path;
	size_t len = strlen(path);

	if ((len > 1 && path[len - 1] == '/') || strstr(path, "//"))
		return false;	/* "/a//b" is not the mount point "/a/b" */
	while ((p = strstr(p, "/."))) {
		if (p[2] == 0 || p[2] == '/' || (p[2] == '.' && (!p[3] || p[3] == '/')))
			return false;
		p += 2;
	}
	return true;
}

/**
 * fast_overlay() - the fast path in an overlay: two lookups, no symlinks
 * @p:		calling process
 * @m:		the overlay mount
 * @full:	absolute guest path, in @m
 * @rest:	its path below @m
 * @r:		result
 *
 * If the upper has the path, that is the object (a whiteout: none).  If
 * the upper has no such name (ENOENT: every name it has on the way is a
 * directory), what the lower has shows.  Anything else (a symlink on the
 * way, ENOTDIR, a name to create) is the walker's.
 *
 * Return: 0 or -errno if it is the answer, 1 to take the walker
 */
static int fast_overlay(struct fproc *p, struct fmount *m, const char *full,
			const char *rest, struct fres *r)
{
	int fl = O_PATH | (r->flags & RES_FOLLOW ? 0 : O_NOFOLLOW), fd;
	struct stat st;

	if ((r->flags & RES_PARENT) || !*rest || !fast_plain(full) ||
	    fview_shadowed(p->view, m, full))
		return 1;
	fd = openat2_beneath(m->ufd, rest, fl);
	if (fd >= 0) {
		if (fstat(fd, &st) < 0 || ovl_whiteout_st(&st)) {
			close(fd);
			return -ENOENT;
		}
	} else if (errno == ENOENT) {
		fd = openat2_beneath(m->fd, rest, fl);
		if (fd < 0)
			return errno == ENOENT ? -ENOENT : 1;
	} else {
		return 1;
	}
	r->m = m;
	r->fd = fd;
	snprintf(r->guest, sizeof(r->guest), "%s", full);
	return 0;
}

static bool fdir_alone(const struct fview *v, const struct fmount *m,
		       const char *guest);

/**
 * fast_at() - the fast path below a directory nothing else is mounted in
 * @p:		calling process
 * @m:		its mount, a directory bind
 * @base:	the directory's fd
 * @rest:	the path below it (not empty)
 * @full:	absolute guest path of the whole
 * @nested:	other mounts lie below @base: check where the walk led
 * @r:		result
 * Return: 0 or -errno if it is the answer, 1 to take the walker
 */
static int fast_at(struct fproc *p, struct fmount *m, int base,
		   const char *rest, const char *full, bool nested,
		   struct fres *r)
{
	const char *slash;
	char parent[PATH_MAX];
	int fd, res = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	struct stat st;

	r->m = m;
	if (!(r->flags & RES_PARENT)) {
		/* the guest's own flags if the caller will open, else O_PATH */
		int of = r->oflags != -1 ? (r->oflags & ~O_CREAT) | O_NONBLOCK : O_PATH;

		if (m->ro && r->oflags != -1 &&
		    ((of & O_ACCMODE) != O_RDONLY || (of & O_TRUNC)))
			return 1;	/* the walker finds the error to give */
		of |= r->flags & RES_FOLLOW ? 0 : O_NOFOLLOW;
		/* with other mounts below: a walk that met no symlink went
		 * where the text says, which is in @m and no other mount
		 * (fview_under() chose @m for it), so neither what it found
		 * nor where it stopped needs checking; but a name missing
		 * on the host may be a mount's parent in the view */
		if (nested) {
			fd = openat2_path(base, rest, of, res | RESOLVE_NO_SYMLINKS);
			if (fd >= 0 || ((errno == ENOENT || errno == ENOTDIR) &&
					fdir_alone(p->view, m, full)))
				nested = false;
			else
				fd = openat2_path(base, rest, of, res);
		} else {
			fd = openat2_path(base, rest, of, res);
		}
		if (fd < 0)
			return nested || errno == EXDEV || errno == ELOOP ||
			       errno == EAGAIN || errno == ENXIO ? 1 : -errno;
		if (nested && !fast_check(p->view, m, fd, r->guest)) {
			close(fd);
			return 1;
		}
		if (!nested)
			snprintf(r->guest, sizeof(r->guest), "%s", full);
		r->fd = fd;
		r->opened = r->oflags != -1;
		return 0;
	}
	slash = strrchr(rest, '/');
	if (strlen(slash ? slash + 1 : rest) > NAME_MAX || fview_at(p->view, full))
		return 1;
	snprintf(r->name, sizeof(r->name), "%s", slash ? slash + 1 : rest);
	if (slash) {
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - rest), rest);
		fd = openat2_path(base, parent, O_PATH | O_DIRECTORY, res);
	} else {
		fd = fcntl(base, F_DUPFD_CLOEXEC, 3);
	}
	if (fd < 0)
		return nested || errno == EXDEV || errno == ELOOP ||
		       errno == EAGAIN ? 1 : -errno;
	if (nested && !fast_check(p->view, m, fd, parent)) {
		close(fd);
		return 1;
	}
	r->dirfd = fd;
	r->fd = openat(fd, r->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (r->fd >= 0 && (r->flags & RES_FOLLOW) &&
	    (fstat(r->fd, &st) < 0 || S_ISLNK(st.st_mode))) {
		res_release(r);
		return 1;
	}
	if (r->fd < 0 && errno != ENOENT) {
		int e = -errno;

		res_release(r);
		return nested ? 1 : e;
	}
	if (nested) {
		/* the name may be a mount point or hidden where the parent
		 * was reached by a way ("a/link-to-../b") the text does not
		 * show */
		if (path_join(r->guest, sizeof(r->guest), parent, r->name) < 0 ||
		    fview_shadowed(p->view, m, r->guest)) {
			res_release(r);
			return 1;
		}
	} else
		snprintf(r->guest, sizeof(r->guest), "%s", full);
	return 0;
}

/**
 * fast() - the fast path (see Theory of Operation)
 * @p:		calling process
 * @full:	absolute guest path
 * @r:		result
 * Return: 0 or -errno if it is the answer, 1 to take the walker
 */
static int fast(struct fproc *p, const char *full, struct fres *r)
{
	const char *rest;
	struct fmount *m;

	m = fview_under(p->view, full, &rest);
	if (m->kind == FM_OVERLAY)
		return fast_overlay(p, m, full, rest, r);
	if (m->kind != FM_BIND || !m->dir || !*rest || !fast_plain(full))
		return 1;
	if (m->proc && !strncmp(rest, m->procrel, strlen(m->procrel)))
		return 1;
	return fast_at(p, m, m->fd, rest, full, m->nested, r);
}

/**
 * fdir_init() - no directory fds known yet
 * @p:	process state
 */
void fdir_init(struct fproc *p)
{
	int i;

	for (i = 0; i < FDIR_SLOTS; i++) {
		p->dirs[i].gfd = p->dirs[i].fd = -1;
		p->dirs[i].guest = NULL;
	}
}

/**
 * fdir_flush() - forget the directory fds (the view changed, or the end)
 * @p:	process state
 */
void fdir_flush(struct fproc *p)
{
	int i;

	for (i = 0; i < FDIR_SLOTS; i++) {
		if (p->dirs[i].fd >= 0)
			close(p->dirs[i].fd);
		free(p->dirs[i].guest);
	}
	fdir_init(p);
}

/**
 * fdir_alone() - is nothing else of the view (a mount, a hidden path) at or
 *		  below a directory?
 * @v:		the view
 * @m:		the mount the directory is in
 * @guest:	its guest path
 * Return: true if so
 */
static bool fdir_alone(const struct fview *v, const struct fmount *m,
		       const char *guest)
{
	int i;

	for (i = 0; i < v->n; i++)
		if (v->m[i] != m && v->m[i]->glen > 1 &&
		    strcmp(v->m[i]->guest, guest) &&
		    path_under(v->m[i]->guest, guest, strlen(guest)))
			return false;
	return true;
}

/**
 * fdir_plain() - may the kernel walk below a directory of the view?
 * @v:		the view
 * @m:		the mount the directory is in
 * @guest:	its guest path
 * Return: true if @m is a directory bind and nothing lies below @guest:
 *	   no other mount or hide, and not the host's /proc
 */
bool fdir_plain(const struct fview *v, const struct fmount *m,
		const char *guest)
{
	char dir[PATH_MAX], proc[PATH_MAX];
	const char *rest;

	if (m->kind != FM_BIND || !m->dir || !fdir_alone(v, m, guest))
		return false;
	if (!m->proc)
		return true;
	/* the host's /proc must be neither at, nor above, nor below it */
	rest = path_under(guest, m->guest, m->glen);
	if (!rest)
		return false;
	snprintf(dir, sizeof(dir), "/%s", rest);
	snprintf(proc, sizeof(proc), "/%s", m->procrel);
	return !path_under(dir, proc, strlen(proc)) &&
	       !path_under(proc, dir, strlen(dir));
}

/**
 * fdir_get() - a guest's directory fd, from the cache or found now
 * @fs:		module state
 * @p:		calling process
 * @call:	the call (for its thread)
 * @gfd:	the guest's fd
 *
 * An entry stands while kcmp(2) says the guest's fd is still the same
 * open file as the supervisor's copy, and no rename happened since (the
 * guest path could be another).  The answer of a miss is kept.
 *
 * Return: the entry, or NULL if @gfd is not a directory of the view (or
 *	   any error: the caller takes the long way, which tells)
 */
struct fdir *fdir_get(struct files *fs, struct fproc *p,
		      const struct facet_call *call, int gfd)
{
	static pid_t self;
	struct fdir *d = &p->dirs[gfd % FDIR_SLOTS];
	char host[PATH_MAX], guest[PATH_MAX];
	const char *rest;
	struct fmount *m;
	struct stat st;
	int pfd, fd;

	if (!self)
		self = getpid();
	if (d->gfd == gfd && d->gen == fs->gen &&
	    syscall(SYS_kcmp, call->tid, self, KCMP_FILE, gfd, d->fd) == 0)
		return d;
	pfd = files_pidfd(p, facet_task_tgid(call->task));
	if (pfd < 0)
		return NULL;
	fd = (int)syscall(SYS_pidfd_getfd, pfd, gfd, 0);
	if (fd < 0)
		return NULL;
	if (!fd_is_dir(fd) || fd_host_path(fd, host, sizeof(host)) < 0 ||
	    fview_to_guest(p->view, host, guest, sizeof(guest)) < 0 ||
	    !(m = fview_under(p->view, guest, &rest))) {
		close(fd);
		return NULL;
	}
	if (d->fd >= 0)
		close(d->fd);
	free(d->guest);
	d->gfd = -1;
	d->fd = fd;
	if (!(d->guest = strdup(guest)))
		return NULL;
	d->gfd = gfd;
	d->gen = fs->gen;
	d->m = m;
	d->plain = fdir_plain(p->view, m, guest);
	d->img = m->kind == FM_IMAGE && fdir_alone(p->view, m, guest);
	d->ino = 0;
	if (d->img && fstat(fd, &st) == 0)
		d->ino = st.st_ino;
	d->fenced = d->plain && fence_covers(fs, host);
	return d;
}

/**
 * fdir_quick() - may a call on (@dirfd, @path) run on a directory fd as is?
 * @fs:		module state
 * @p:		calling process
 * @call:	the call
 * @dirfd:	the guest's dirfd
 * @path:	the path, as the guest gave it
 *
 * For the commonest calls of tree walkers (find, tar, rm -r: fstatat on
 * one name in a directory they hold open), a one-component @path (not
 * "..") in a directory nothing is mounted below means in the view what it
 * means to the kernel, except where it is a symlink the call follows: the
 * caller checks that.
 *
 * Return: the supervisor's fd of @dirfd, or -1 to resolve the long way
 */
int fdir_quick(struct files *fs, struct fproc *p, const struct facet_call *call,
	       int dirfd, const char *path)
{
	return fdir_quick_stat(fs, p, call, dirfd, path, NULL, NULL, NULL);
}

/**
 * fdir_quick_stat() - fdir_quick(), and the name's lstat where finding the
 *		       answer gave it
 * @fs:		module state
 * @p:		calling process
 * @call:	the call
 * @dirfd:	the guest's dirfd
 * @path:	the path, as the guest gave it
 * @st:		where the lstat of @path in the directory goes, or NULL
 * @have:	set if *@st was filled (with @st only)
 * @img:	if not NULL, set to the image mount the directory is in, or
 *		NULL
 *
 * Return: the supervisor's fd of @dirfd, or -1 to resolve the long way
 */
int fdir_quick_stat(struct files *fs, struct fproc *p,
		    const struct facet_call *call, int dirfd, const char *path,
		    struct stat *st, bool *have, struct fmount **img)
{
	struct fdir *d;
	int e;

	if (have)
		*have = false;
	if (img)
		*img = NULL;
	if (dirfd < 0 || !*path || strchr(path, '/') || !strcmp(path, ".."))
		return -1;
	d = fdir_get(fs, p, call, dirfd);
	if (!d)
		return -1;
	if (d->plain)
		return d->fd;
	/* a directory of an image: once its entries (and the name, if the
	 * daemon's time for it is over) are in the cache */
	if (!d->img || (e = img_enter_at(d->m, d->fd, d->ino, path, st)) < 0)
		return -1;
	if (have)
		*have = e > 0;
	if (img)
		*img = d->m;
	return d->fd;
}

/**
 * res_empty() - an empty path with AT_EMPTY_PATH: the dirfd itself
 * @fs:		module state
 * @p:		calling process
 * @tid:	its thread
 * @dirfd:	the guest's fd, or AT_FDCWD
 * @r:		result
 * Return: 0 or -errno
 */
static int res_empty(struct files *fs, struct fproc *p,
		     const struct facet_call *call, int dirfd, struct fres *r)
{
	const char *rest;
	int pfd;

	if (dirfd == AT_FDCWD)
		return walk(fs, p, call->tid, p->cwd, ".", r);
	if (dirfd < 0)
		return -EBADF;
	/* the guest's own open file: exact, and cheaper than /proc */
	pfd = files_pidfd(p, facet_task_tgid(call->task));
	if (pfd < 0)
		return pfd;
	r->fd = (int)syscall(SYS_pidfd_getfd, pfd, dirfd, 0);
	if (r->fd < 0)
		return -errno;
	r->m = NULL;	/* a pipe, a socket, an fd from outside the view */
	if (!(r->flags & RES_NOMOUNT) &&
	    res_fd_guest(fs, p, call->tid, dirfd, r->guest, sizeof(r->guest)) == 0)
		r->m = fview_under(p->view, r->guest, &rest);
	return 0;
}

/**
 * res_resolve() - what a path argument names
 * @fs:		module state
 * @p:		calling process
 * @call:	the call (for its thread)
 * @dirfd:	AT_FDCWD or the guest's directory fd
 * @path:	the path, as the guest gave it
 * @flags:	RES_*
 * @r:		result, to res_release() after use
 * Return: 0 or -errno, as the kernel would for the lookup
 */
int res_resolve(struct files *fs, struct fproc *p, const struct facet_call *call,
		int dirfd, const char *path, int flags, struct fres *r)
{
	char start[PATH_MAX], full[PATH_MAX];
	struct fdir *d;
	int e;

	int oflags = (flags & RES_OPEN) ? r->oflags : -1;

	memset(r, 0, offsetof(struct fres, name));
	r->oflags = oflags;
	r->fd = r->dirfd = -1;
	r->name[0] = 0;
	r->guest[0] = 0;
	r->flags = flags;
	r->magic = MAGIC_NONE;
	r->magic_pid = 0;
	r->opened = false;
	if (!*path) {
		if (!(flags & RES_EMPTY))
			return -ENOENT;
		return res_empty(fs, p, call, dirfd, r);
	}
	if (path[0] == '/' || dirfd == AT_FDCWD) {
		snprintf(start, sizeof(start), "%s", p->cwd);
	} else if ((d = fdir_get(fs, p, call, dirfd))) {
		if (d->plain && !(flags & RES_CANON) &&
		    path_join(full, sizeof(full), d->guest, path) == 0 &&
		    fast_plain(full)) {
			e = fast_at(p, d->m, d->fd, path, full, false, r);
			if (e <= 0)
				return e;
			r->flags = flags;
			r->opened = false;
		}
		snprintf(start, sizeof(start), "%s", d->guest);
	} else {
		e = res_fd_guest(fs, p, call->tid, dirfd, start, sizeof(start));
		if (e == -ENOENT) {
			char host[PATH_MAX];
			/* not a directory of the view: ENOTDIR as the kernel */
			e = res_fd_host(call->tid, dirfd, host, sizeof(host));
			return e < 0 ? e : -ENOTDIR;
		}
		if (e < 0)
			return e;
	}
	if (!(flags & RES_CANON) && !strcmp(p->root, "/")) {
		if (path[0] == '/')
			e = strlen(path) < sizeof(full) ? 0 : -ENAMETOOLONG;
		else
			e = path_join(full, sizeof(full), start, path);
		if (e < 0)
			return e;
		e = fast(p, path[0] == '/' ? path : full, r);
		if (e <= 0)
			return e;
		r->flags = flags;
		r->opened = false;
	}
	return walk(fs, p, call->tid, start, path, r);
}
