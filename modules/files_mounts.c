// SPDX-License-Identifier: GPL-2.0-or-later
/* files_mounts.c - /proc/PID/mounts and mountinfo in the view's terms
 *
 * DOC: Theory of Operation
 * The kernel lists its mounts by host path.  In a view that shows host
 * directories elsewhere (-b SRC:DST, -r), a program that looks a mount up
 * by the path it knows (mount -o remount DIR, findmnt, df, systemd) would
 * not find it.  So an open of a mounts or mountinfo file of /proc, for
 * reading, in such a view, gets a copy made at the open in which each
 * mount point is named as the view shows it: under the bind whose host
 * directory holds it (the deepest); a mount the view does not show at all
 * is left out.  The view's own mounts follow, as the kernel would list
 * them had it made them (view_lines()): a bind as the file system its
 * directory is on, with that directory as its root; --tmpfs as tmpfs; an
 * image as fuse.TYPE with the image as its source; an overlay as overlay;
 * each with the device numbers stat() shows in it, "ro" where writes fail,
 * and mount ids of their own.  In a view that shows the host's directories
 * where they are, the kernel answers.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "files_internal.h"

/**
 * mounts_kind() - is a host file a mount table of /proc?
 * @fd:		the file (O_PATH)
 * Return: 'm' for mounts, 'i' for mountinfo, 0 for neither
 */
static int mounts_kind(int fd)
{
	char proc[64], link[PATH_MAX];
	const char *base;
	struct statfs sfs;
	ssize_t n;

	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		return 0;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, link, sizeof(link) - 1);
	if (n <= 0 || strncmp(link, "/proc/", 6))
		return 0;
	link[n] = 0;
	base = strrchr(link, '/') + 1;
	return !strcmp(base, "mounts") ? 'm' : !strcmp(base, "mountinfo") ? 'i' : 0;
}

/**
 * unescape() - a path as /proc writes it (\040 for a space) made plain
 * @s:		the field, changed in place
 */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

/**
 * put_escaped() - append a path as /proc writes it
 * @out:	the buffer
 * @len:	bytes in it, advanced
 * @cap:	its room
 * @s:		the path
 */
static void put_escaped(char *out, size_t *len, size_t cap, const char *s)
{
	for (; *s && *len + 4 < cap; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\')
			*len += (size_t)snprintf(out + *len, cap - *len, "\\%03o",
						 (unsigned char)*s);
		else
			out[(*len)++] = *s;
	}
}

/**
 * guest_of() - the guest path the view shows a host directory at
 * @v:		the view
 * @host:	host path
 * @out:	PATH_MAX bytes
 * Return: true if the view shows it
 */
static bool guest_of(const struct fview *v, const char *host, char *out)
{
	const struct fmount *best = NULL, *at;
	char cand[PATH_MAX];
	const char *rest;
	size_t hl;
	int i;

	for (i = 0; i < v->n; i++) {
		const struct fmount *m = v->m[i];

		if (m->kind != FM_BIND || !m->dir || !m->host || m->quiet)
			continue;
		hl = strcmp(m->host, "/") ? m->hlen : 0;
		if (strncmp(host, m->host, hl) || (host[hl] && host[hl] != '/'))
			continue;
		snprintf(cand, sizeof(cand), "%s%s", strcmp(m->guest, "/") || !host[hl] ?
			 m->guest : "", host + hl);
		/* shown there, unless another mount of the view covers it */
		at = fview_under(v, cand, &rest);
		if (at != m || (best && m->hlen <= best->hlen))
			continue;
		best = m;
		snprintf(out, PATH_MAX, "%s", cand);
	}
	return best != NULL;
}

#define KLINES_MAX	4096

/**
 * struct kline - one mount of the kernel's table, as read
 * @id:		mount id (mountinfo), 0 for mounts
 * @mnt:	its mount point, a host path
 * @root:	the root of the mount in its file system (mountinfo)
 * @opts:	per-mount options
 * @fstype:	file system type
 * @source:	its source
 * @super:	per-superblock options (mountinfo)
 * @guest:	where the view shows it, or NULL
 * @buf:	the copy of the line's end that @opts, @fstype, @super are in
 */
struct kline {
	int id;
	char *mnt, *root, *opts, *fstype, *source, *super;
	char *guest;
	char *buf;
};

/**
 * struct ktable - the kernel's mounts, and the ids the view's lines take
 * @l:		lines
 * @n:		how many
 * @max_id:	the largest mount id seen
 */
struct ktable {
	struct kline l[KLINES_MAX];
	int n;
	int max_id;
};

/**
 * kline_add() - note a kernel line, split into fields (@f, @rest point
 *		 into the buffer being rewritten, which outlives the table)
 * @t:		the table
 * @kind:	'm' or 'i'
 * @f:		the fields up to the mount point (unescaped)
 * @rest:	what follows the mount point
 * @guest:	where the view shows it, or NULL
 */
static void kline_add(struct ktable *t, int kind, char **f, char *rest,
		      const char *guest)
{
	struct kline *k;
	char *dash, *sv = NULL;

	if (t->n >= KLINES_MAX)
		return;
	k = &t->l[t->n];
	memset(k, 0, sizeof(*k));
	if (!(k->mnt = strdup(f[kind == 'm' ? 1 : 4])) ||
	    !(rest = strdup(rest))) {
		free(k->mnt);
		return;
	}
	k->guest = guest ? strdup(guest) : NULL;
	k->buf = rest;
	if (kind == 'm') {
		k->source = strdup(f[0]);
		k->fstype = strtok_r(rest, " ", &sv);
		k->opts = strtok_r(NULL, " ", &sv);
	} else {
		k->id = atoi(f[0]);
		k->root = strdup(f[3]);
		k->opts = strtok_r(rest, " ", &sv);
		if ((dash = strstr(sv ? sv : "", "- "))) {
			sv = dash + 2;
			k->fstype = strtok_r(NULL, " ", &sv);
			k->source = strdup(strtok_r(NULL, " ", &sv) ?: "none");
			k->super = strtok_r(NULL, " \n", &sv);
		}
		if (k->id > t->max_id)
			t->max_id = k->id;
	}
	k->opts = k->opts ?: "rw";
	k->fstype = k->fstype ?: "none";
	k->super = k->super ?: "rw";
	if (!k->source)
		k->source = strdup("none");
	t->n++;
}

/**
 * rewrite() - the mount table in @in, as the view shows it
 * @v:		the view
 * @kind:	'm' or 'i'
 * @in:		the kernel's text (changed)
 * @out:	the result
 * @cap:	its room
 * @t:		filled with the kernel's lines, for view_lines()
 * Return: its length
 */
static size_t rewrite(const struct fview *v, int kind, char *in, char *out,
		      size_t cap, struct ktable *t)
{
	char *line, *nl, *f[6], *save, guest[PATH_MAX];
	size_t len = 0;
	int n, at = kind == 'm' ? 1 : 4;
	bool shown;

	for (line = in; *line; line = nl + 1) {
		nl = strchrnul(line, '\n');
		if (!*nl) {
			if (!*line)
				break;
			nl[1] = 0;
		}
		*nl = 0;
		/* fields before and after the mount point, kept as they are */
		save = line;
		for (n = 0; n <= at && (f[n] = strsep(&save, " ")); n++)
			;
		if (n <= at || !save)
			continue;
		unescape(f[at]);
		if (kind == 'i')
			unescape(f[3]);
		shown = guest_of(v, f[at], guest);
		kline_add(t, kind, f, save, shown ? guest : NULL);
		if (!shown)
			continue;	/* not in the view */
		if (kind == 'i') {	/* the root was unescaped: put it back */
			for (n = 0; n < 3 && len + 2 < cap; n++)
				len += (size_t)snprintf(out + len, cap - len, "%s ", f[n]);
			put_escaped(out, &len, cap, f[3]);
			if (len + 2 < cap)
				out[len++] = ' ';
			put_escaped(out, &len, cap, guest);
			if (len + 2 < cap)
				len += (size_t)snprintf(out + len, cap - len, " %s\n", save);
			if (len >= cap)
				len = cap - 1;
			continue;
		}
		for (n = 0; n < at && len + 2 < cap; n++)
			len += (size_t)snprintf(out + len, cap - len, "%s ", f[n]);
		put_escaped(out, &len, cap, guest);
		if (len + 2 < cap)
			len += (size_t)snprintf(out + len, cap - len, " %s\n", save);
		if (len >= cap)
			len = cap - 1;
	}
	return len;
}

/**
 * ktable_free() - free a table of kernel lines
 * @t:		the table
 */
static void ktable_free(struct ktable *t)
{
	int i;

	for (i = 0; i < t->n; i++) {
		free(t->l[i].mnt);
		free(t->l[i].root);
		free(t->l[i].source);
		free(t->l[i].guest);
		free(t->l[i].buf);
	}
	free(t);
}

/**
 * kline_of() - the kernel mount a host path is on: the one whose mount
 *		point is its longest prefix (the last such, as mounted later)
 * @t:		the table
 * @host:	host path
 * Return: the line, or NULL
 */
static const struct kline *kline_of(const struct ktable *t, const char *host)
{
	const struct kline *best = NULL;
	size_t l, bl = 0;
	int i;

	for (i = 0; i < t->n; i++) {
		l = strcmp(t->l[i].mnt, "/") ? strlen(t->l[i].mnt) : 0;
		if (strncmp(host, t->l[i].mnt, l) || (host[l] && host[l] != '/'))
			continue;
		if (!best || l >= bl) {
			best = &t->l[i];
			bl = l;
		}
	}
	return best;
}

/**
 * parent_id() - the mount id of what a view mount at @guest is mounted on
 * @t:		the kernel's lines (with where the view shows them)
 * @ids:	ids of the view's lines so far
 * @paths:	their guest paths
 * @n:		how many
 * @guest:	the view mount's guest path
 * Return: the id (the deepest mount point above @guest)
 */
static int parent_id(const struct ktable *t, const int *ids, char *const *paths,
		     int n, const char *guest)
{
	int i, id = 1;
	size_t l, bl = 0;

	for (i = 0; i < t->n + n; i++) {
		const char *p = i < t->n ? t->l[i].guest : paths[i - t->n];

		if (!p)
			continue;
		l = strcmp(p, "/") ? strlen(p) : 0;
		if (l >= strlen(guest) || strncmp(guest, p, l) || guest[l] != '/' ||
		    (bl && l < bl))
			continue;
		bl = l ? l : 1;
		id = i < t->n ? t->l[i].id : ids[i - t->n];
	}
	return id;
}

/**
 * view_lines() - append the view's own mounts, as the kernel would list
 *		  them, after the kernel's (see the top of this file)
 * @fs:		module state
 * @v:		the view
 * @kind:	'm' or 'i'
 * @t:		the kernel's lines
 * @out:	the text
 * @len:	its length, advanced
 * @cap:	its room
 */
static void view_lines(const struct files *fs, const struct fview *v, int kind,
		       const struct ktable *t, char *out, size_t *len, size_t cap)
{
	int ids[FILES_MOUNTS_MAX], n = 0, i, id = t->max_id + 1000;
	char *paths[FILES_MOUNTS_MAX], root[PATH_MAX], opts[512], src[PATH_MAX];
	const char *fstype, *super;
	const struct kline *k;
	struct stat st;
	size_t tl;

	for (i = v->n - 1; i >= 0; i--) {	/* shortest guest path first */
		const struct fmount *m = v->m[i];

		if (m->kind == FM_HIDE || !m->host || !strcmp(m->guest, "/") ||
		    (m->kind == FM_BIND && !strcmp(m->guest, m->host)) ||
		    *len + PATH_MAX * 3 > cap || stat(m->host, &st) < 0)
			continue;
		k = kline_of(t, m->host);
		tl = fs->tmpdir ? strlen(fs->tmpdir) : 0;
		super = "rw";
		snprintf(opts, sizeof(opts), "%s,nosuid,nodev,relatime", m->ro ? "ro" : "rw");
		if (m->kind == FM_IMAGE) {
			fstype = img_type(m);
			snprintf(src, sizeof(src), "%s", img_source(m));
			snprintf(root, sizeof(root), "/");
			super = NULL;
		} else if (m->kind == FM_BIND && tl && !strncmp(m->host, fs->tmpdir, tl) &&
			   m->host[tl] == '/') {
			fstype = "tmpfs";
			snprintf(src, sizeof(src), "tmpfs");
			snprintf(root, sizeof(root), "/");
		} else if (m->kind == FM_OVERLAY) {
			fstype = "overlay";
			snprintf(src, sizeof(src), "overlay");
			snprintf(root, sizeof(root), "/");
		} else {		/* a bind: the file system it is on */
			fstype = k ? k->fstype : "none";
			snprintf(src, sizeof(src), "%s", k ? k->source : "none");
			unescape(src);	/* as the kernel wrote it */
			tl = k && strcmp(k->mnt, "/") ? strlen(k->mnt) : 0;
			snprintf(root, sizeof(root), "%s%s", k && k->root && strcmp(k->root, "/")
				 ? k->root : "", m->host + tl);
			if (!root[0])
				snprintf(root, sizeof(root), "/");
			if (k)
				snprintf(opts, sizeof(opts), "%s%s", m->ro ? "ro" : "rw",
					 k->opts + strcspn(k->opts, ","));
			super = k ? k->super : "rw";
		}
		if (kind == 'm') {
			put_escaped(out, len, cap, src);
			out[(*len)++] = ' ';
			put_escaped(out, len, cap, m->guest);
			*len += (size_t)snprintf(out + *len, cap - *len, " %s%s %s 0 0\n",
						 m->kind == FM_IMAGE ? "fuse." : "", fstype, opts);
			continue;
		}
		ids[n] = id++;
		paths[n] = m->guest;
		*len += (size_t)snprintf(out + *len, cap - *len, "%d %d %u:%u ", ids[n],
					 parent_id(t, ids, paths, n, m->guest),
					 major(st.st_dev), minor(st.st_dev));
		n++;
		put_escaped(out, len, cap, root);
		out[(*len)++] = ' ';
		put_escaped(out, len, cap, m->guest);
		*len += (size_t)snprintf(out + *len, cap - *len, " %s - %s%s ", opts,
					 m->kind == FM_IMAGE ? "fuse." : "", fstype);
		put_escaped(out, len, cap, src);
		if (super)
			*len += (size_t)snprintf(out + *len, cap - *len, " %s\n", super);
		else
			*len += (size_t)snprintf(out + *len, cap - *len,
						 " rw,user_id=%u,group_id=%u\n",
						 (unsigned int)getuid(), (unsigned int)getgid());
	}
}

/**
 * files_mounts_open() - a read-only open of a mount table of /proc, in a
 *			 view that shows host directories elsewhere
 * @fs:		module state
 * @v:		the caller's view
 * @fd:		the file the path names (O_PATH)
 * @flags:	the open's flags
 * @copy:	set to an fd of the view's copy
 * Return: 0 with @copy set, 1 if it is none of that, or -errno
 */
int files_mounts_open(const struct files *fs, const struct fview *v, int fd,
		      int flags, int *copy)
{
	char proc[64], *in = NULL, *out = NULL, *p;
	size_t got = 0, cap = 0, len;
	struct ktable *t = NULL;
	ssize_t n;
	int kind, rfd, r;

	if (!fs->unix_names || (flags & (O_ACCMODE | O_PATH | O_CREAT)) ||
	    !(kind = mounts_kind(fd)))
		return 1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if ((rfd = open(proc, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	do {
		if (got + 4096 >= cap) {
			cap = cap ? cap * 2 : 65536;
			if (cap > (64u << 20) || !(p = realloc(in, cap))) {
				close(rfd);
				free(in);
				return -ENOMEM;
			}
			in = p;
		}
		n = read(rfd, in + got, cap - got - 1);
		got += n > 0 ? (size_t)n : 0;
	} while (n > 0);
	close(rfd);
	in[got] = 0;
	cap = got + got / 2 + (size_t)(v->n + 1) * PATH_MAX * 3;
	if (!(out = malloc(cap)) || !(t = calloc(1, sizeof(*t)))) {
		free(in);
		free(out);
		return -ENOMEM;
	}
	len = rewrite(v, kind, in, out, cap, t);
	view_lines(fs, v, kind, t, out, &len, cap);
	r = facet_sealed_copy(kind == 'm' ? "mounts" : "mountinfo", out, len);
	ktable_free(t);
	free(in);
	free(out);
	if (r < 0)
		return r;
	*copy = r;
	return 0;
}
