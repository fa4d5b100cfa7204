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
 * is left out.  The view's own mounts (binds, tmpfs, images) are not
 * kernel mounts and are not listed.  In a view that shows the host's
 * directories where they are, the kernel answers.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/**
 * rewrite() - the mount table in @in, as the view shows it
 * @v:		the view
 * @kind:	'm' or 'i'
 * @in:		the kernel's text (changed)
 * @out:	the result
 * @cap:	its room
 * Return: its length
 */
static size_t rewrite(const struct fview *v, int kind, char *in, char *out,
		      size_t cap)
{
	char *line, *nl, *f[6], *save, guest[PATH_MAX];
	size_t len = 0;
	int n, at = kind == 'm' ? 1 : 4;

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
		if (!guest_of(v, f[at], guest))
			continue;	/* not in the view */
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
	if (!(out = malloc(got + got / 2 + 4096))) {
		free(in);
		return -ENOMEM;
	}
	len = rewrite(v, kind, in, out, got + got / 2 + 4096);
	r = facet_sealed_copy(kind == 'm' ? "mounts" : "mountinfo", out, len);
	free(in);
	free(out);
	if (r < 0)
		return r;
	*copy = r;
	return 0;
}
