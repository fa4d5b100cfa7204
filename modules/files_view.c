// SPDX-License-Identifier: GPL-2.0-or-later
/* files_view.c - a view's mount table: guest paths to host objects
 *
 * A view is a list of mounts, each a guest path and what is there: a host
 * file or directory (bind, rootfs, tmpfs), two directories layered
 * (overlay, files_overlay.c) or nothing (hide).  The list is
 * kept longest guest path first, so the first mount that is a prefix of a
 * path is the one the path is in.  The root mount "/" always exists: the
 * host's / unless -r gave another.
 *
 * Paths here are canonical guest paths: absolute, no "." or "..", no
 * doubled or trailing slash.  The resolver (files_resolve.c) makes them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files_internal.h"

static int fview_ids;

/**
 * fview_new() - an empty view
 * Return: the view, or NULL if out of memory
 */
struct fview *fview_new(void)
{
	struct fview *v = calloc(1, sizeof(*v));

	if (v)
		v->refs = 1;
	return v;
}

/**
 * fmount_free() - release one mount
 * @m:	the mount
 */
static void fmount_free(struct fmount *m)
{
	if (m->fd >= 0)
		close(m->fd);
	if (m->ufd >= 0)
		close(m->ufd);
	free(m->guest);
	free(m->host);
	free(m->uhost);
	free(m);
}

/**
 * fmount_dup() - copy a mount, with an fd of its own
 * @m:	the mount
 * Return: the copy, or NULL
 */
static struct fmount *fmount_dup(const struct fmount *m)
{
	struct fmount *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	*c = *m;
	c->guest = strdup(m->guest);
	c->host = m->host ? strdup(m->host) : NULL;
	c->fd = m->fd >= 0 ? fcntl(m->fd, F_DUPFD_CLOEXEC, 3) : -1;
	c->uhost = m->uhost ? strdup(m->uhost) : NULL;
	c->ufd = m->ufd >= 0 ? fcntl(m->ufd, F_DUPFD_CLOEXEC, 3) : -1;
	if (!c->guest || (m->host && !c->host) || (m->uhost && !c->uhost)) {
		fmount_free(c);
		return NULL;
	}
	return c;
}

/**
 * fview_copy() - a private copy of a view, to change (mount in the guest)
 * @v:	the view
 * Return: the copy, or NULL
 */
struct fview *fview_copy(const struct fview *v)
{
	struct fview *c = fview_new();
	int i;

	if (!c)
		return NULL;
	for (i = 0; i < v->n; i++) {
		if (!(c->m[i] = fmount_dup(v->m[i]))) {
			fview_put(c);
			return NULL;
		}
		c->n++;
	}
	return c;
}

/**
 * fview_put() - drop a reference
 * @v:	the view, or NULL
 */
void fview_put(struct fview *v)
{
	int i;

	if (!v || --v->refs)
		return;
	for (i = 0; i < v->n; i++)
		fmount_free(v->m[i]);
	free(v);
}

/**
 * fview_add() - mount something at a guest path
 * @v:		the view
 * @guest:	canonical guest path
 * @host:	canonical host path (bind), or NULL (hide)
 * @kind:	FM_BIND or FM_HIDE
 * @ro:		read-only
 *
 * A later mount at the same path replaces the earlier one, as mounting
 * over a mount point does.
 *
 * Return: 0, or -errno from opening @host
 */
int fview_add(struct fview *v, const char *guest, const char *host,
	      enum fmount_kind kind, bool ro)
{
	struct fmount *m = calloc(1, sizeof(*m));
	struct stat st;
	int i;

	if (!m)
		return -ENOMEM;
	m->fd = m->ufd = -1;
	m->kind = kind;
	m->ro = ro;
	m->id = ++fview_ids;
	m->guest = strdup(guest);
	m->glen = strlen(guest);
	if (host) {
		m->host = strdup(host);
		m->hlen = strlen(host);
		m->fd = open(host, O_PATH | O_CLOEXEC);
		if (m->fd < 0 || fstat(m->fd, &st) < 0) {
			i = -errno;
			fmount_free(m);
			return i;
		}
		m->dir = S_ISDIR(st.st_mode);
	}
	if (!m->guest || (host && !m->host)) {
		fmount_free(m);
		return -ENOMEM;
	}
	for (i = 0; i < v->n; i++) {
		if (!strcmp(v->m[i]->guest, guest)) {
			fmount_free(v->m[i]);
			v->m[i] = m;
			fview_finish(v);
			return 0;
		}
	}
	if (v->n == FILES_MOUNTS_MAX) {
		fmount_free(m);
		return -ENOSPC;
	}
	v->m[v->n++] = m;
	fview_finish(v);
	return 0;
}

/**
 * fview_remove() - take the mount at a guest path out of a view
 * @v:		the view
 * @guest:	canonical guest path
 * Return: 0, or -EINVAL if nothing is mounted there
 */
int fview_remove(struct fview *v, const char *guest)
{
	int i;

	for (i = 0; i < v->n; i++) {
		if (!strcmp(v->m[i]->guest, guest)) {
			fmount_free(v->m[i]);
			v->m[i] = v->m[--v->n];
			fview_finish(v);
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * fview_add_overlay() - mount a copy-on-write directory at a guest path
 * @v:		the view
 * @guest:	canonical guest path
 * @lower:	canonical host path of the directory read
 * @upper:	canonical host path of the directory changes land in
 * Return: 0, or -errno from opening them
 */
int fview_add_overlay(struct fview *v, const char *guest, const char *lower,
		      const char *upper)
{
	struct fmount *m;
	int r = fview_add(v, guest, lower, FM_OVERLAY, false);

	if (r < 0)
		return r;
	m = fview_at(v, guest);
	if (!m->dir)
		return -ENOTDIR;
	m->uhost = strdup(upper);
	if (!m->uhost)
		return -ENOMEM;
	m->ufd = open(upper, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return m->ufd < 0 ? -errno : 0;
}

/**
 * path_under() - is @path @prefix or below it?
 * @path:	canonical path
 * @prefix:	canonical path
 * @len:	strlen(@prefix)
 * Return: pointer to the rest of @path ("" or "x/y", no leading slash), or
 * NULL if @path is not under @prefix
 */
const char *path_under(const char *path, const char *prefix, size_t len)
{
	if (len == 1)		/* "/" */
		return path + 1;
	if (strncmp(path, prefix, len) || (path[len] && path[len] != '/'))
		return NULL;
	return path[len] ? path + len + 1 : path + len;
}

/**
 * fmount_cmp() - order for qsort(): longest guest path first
 * @a:	mount pointer
 * @b:	mount pointer
 * Return: <0, 0, >0
 */
static int fmount_cmp(const void *a, const void *b)
{
	const struct fmount *x = *(struct fmount *const *)a;
	const struct fmount *y = *(struct fmount *const *)b;

	if (x->glen != y->glen)
		return x->glen > y->glen ? -1 : 1;
	return strcmp(x->guest, y->guest);
}

/**
 * fview_finish() - sort the table and work out the derived flags
 * @v:	the view
 */
void fview_finish(struct fview *v)
{
	struct fmount *m;
	const char *rel;
	int i, j;

	qsort(v->m, (size_t)v->n, sizeof(v->m[0]), fmount_cmp);
	for (i = 0; i < v->n; i++) {
		m = v->m[i];
		m->nested = false;
		for (j = 0; j < i; j++)
			if (path_under(v->m[j]->guest, m->guest, m->glen))
				m->nested = true;
		m->proc = false;
		if (m->kind == FM_BIND && m->host && m->dir) {
			rel = path_under("/proc", m->host, m->hlen);
			m->proc = rel != NULL;
			m->procrel = rel ? rel : "";
		}
	}
}

/**
 * fview_at() - the mount whose guest path is exactly @guest
 * @v:		the view
 * @guest:	canonical guest path
 * Return: the mount, or NULL
 */
struct fmount *fview_at(const struct fview *v, const char *guest)
{
	size_t len = strlen(guest);
	int i;

	for (i = 0; i < v->n; i++)
		if (v->m[i]->glen == len && !strcmp(v->m[i]->guest, guest))
			return v->m[i];
	return NULL;
}

/**
 * fview_under() - the mount a canonical guest path is in
 * @v:		the view
 * @guest:	canonical guest path
 * @rest:	set to the path below the mount ("" at its root)
 * Return: the mount (the root mount at least)
 */
struct fmount *fview_under(const struct fview *v, const char *guest,
			   const char **rest)
{
	const char *r;
	int i;

	for (i = 0; i < v->n; i++) {
		r = path_under(guest, v->m[i]->guest, v->m[i]->glen);
		if (r) {
			*rest = r;
			return v->m[i];
		}
	}
	*rest = guest + 1;
	return v->m[v->n - 1];
}

/**
 * fview_shadowed() - is @guest, in mount @m, covered by a mount below it?
 * @v:		the view
 * @m:		the mount
 * @guest:	canonical guest path under @m
 * Return: true if another mount is at @guest or above it, below @m
 */
bool fview_shadowed(const struct fview *v, const struct fmount *m,
		    const char *guest)
{
	int i;

	if (!m->nested)
		return false;
	for (i = 0; i < v->n && v->m[i] != m; i++)
		if (v->m[i]->glen > m->glen &&
		    path_under(guest, v->m[i]->guest, v->m[i]->glen))
			return true;
	return false;
}

/**
 * fview_to_guest() - the guest path of a host path, if the view shows it
 * @v:		the view
 * @host:	canonical host path
 * @out:	the guest path
 * @size:	room in @out
 *
 * Of the mounts whose host path holds @host, the one with the longest host
 * path wins (an overlay's layers both count); a place a mount below covers
 * does not count.
 *
 * Return: 0, -ENOENT if the view does not show @host, -ENAMETOOLONG
 */
int fview_to_guest(const struct fview *v, const char *host, char *out,
		   size_t size)
{
	const struct fmount *best = NULL;
	const char *rest, *brest = NULL;
	size_t bestlen = 0;
	int i;

	for (i = 0; i < v->n; i++) {
		const struct fmount *m = v->m[i];
		size_t hlen = m->hlen;

		if (m->kind == FM_HIDE)
			continue;
		rest = path_under(host, m->host, m->hlen);
		if (m->uhost && path_under(host, m->uhost, strlen(m->uhost))) {
			hlen = strlen(m->uhost);
			rest = path_under(host, m->uhost, hlen);
		}
		if (!rest || (best && bestlen >= hlen))
			continue;
		if (path_join(out, size, m->guest, rest) < 0)
			return -ENAMETOOLONG;
		if (fview_shadowed(v, m, out))
			continue;
		best = m;
		bestlen = hlen;
		brest = rest;
	}
	if (!best)
		return -ENOENT;
	return path_join(out, size, best->guest, brest);
}

/**
 * path_join() - "dir/name" without doubled slashes
 * @out:	result
 * @size:	room
 * @dir:	a path
 * @name:	relative path, may be ""
 * Return: 0 or -ENAMETOOLONG
 */
int path_join(char *out, size_t size, const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);

	if (dl && dir[dl - 1] == '/' && nl)
		dl--;
	if (dl + (nl ? 1 : 0) + nl + 1 > size)
		return -ENAMETOOLONG;
	memmove(out, dir, dl);
	if (nl) {
		out[dl] = '/';
		memcpy(out + dl + 1, name, nl);
		dl += nl + 1;
	}
	if (!dl)
		out[dl++] = '/';
	out[dl] = 0;
	return 0;
}

/**
 * path_normalize() - make an absolute path canonical, lexically
 * @in:		absolute path
 * @out:	result (may not be @in)
 * @size:	room
 *
 * For paths facet itself is given (options), where ".." means the parent
 * of the text before it, as in realpath -m.
 *
 * Return: 0, -EINVAL if @in is not absolute, -ENAMETOOLONG
 */
int path_normalize(const char *in, char *out, size_t size)
{
	size_t o = 0, len;
	const char *p = in, *e;

	if (*in != '/' || size < 2)
		return -EINVAL;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		e = strchrnul(p, '/');
		len = (size_t)(e - p);
		if (len == 1 && *p == '.') {
			/* nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else {
			if (o + 1 + len + 1 > size)
				return -ENAMETOOLONG;
			out[o++] = '/';
			memcpy(out + o, p, len);
			o += len;
		}
		p = e;
	}
	if (!o)
		out[o++] = '/';
	out[o] = 0;
	return 0;
}
