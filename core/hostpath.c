// SPDX-License-Identifier: GPL-2.0-or-later
/* hostpath.c - resolve a guest's path as the kernel would, in the supervisor
 *
 * With no file view, a guest's path means what it means to the kernel: its
 * root is the host's, its working directory and fds are its own.  The
 * supervisor reaches those through /proc/TID/cwd and /proc/TID/fd/N, but
 * the path can name the caller itself too, "/proc/self/fd/3" or, through
 * /dev/fd and /dev/stdin, "/proc/self/fd/0": opened by the supervisor,
 * "self" would be the supervisor.  So the path is walked one component at
 * a time, following symlinks by their text, and "self" and "thread-self" in
 * the root of a procfs mean the guest.  Magic links below /proc/PID are
 * followed by the kernel, for the PID the path names.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "hostpath.h"

#define PROC_MAGIC	0x9fa0
#define LINKS_MAX	40

/**
 * on_proc() - is @fd on a procfs mount?
 * @fd:		an O_PATH fd
 * Return: true if so
 */
static bool on_proc(int fd)
{
	struct statfs sfs;

	return fstatfs(fd, &sfs) == 0 && sfs.f_type == PROC_MAGIC;
}

/**
 * is_proc_root() - is @fd the root of a procfs mount?
 * @fd:		an O_PATH fd
 * Return: true if so
 */
static bool is_proc_root(int fd)
{
	struct stat st;

	return on_proc(fd) && fstat(fd, &st) == 0 && st.st_ino == 1;
}

/**
 * step() - open one component
 * @dir:	directory (O_PATH)
 * @name:	component
 * @tid:	the guest thread
 * @tgid:	its process
 * @follow:	follow a magic link here
 * Return: O_PATH fd, or -errno
 */
static int step(int dir, const char *name, pid_t tid, pid_t tgid,
		bool follow)
{
	char sub[64];
	int fd;

	if (is_proc_root(dir) && (!strcmp(name, "self") ||
				  !strcmp(name, "thread-self"))) {
		if (name[0] == 's')
			snprintf(sub, sizeof(sub), "%d", tgid);
		else
			snprintf(sub, sizeof(sub), "%d/task/%d", tgid, tid);
		name = sub;
	}
	fd = openat(dir, name, O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
	return fd < 0 ? -errno : fd;
}

/**
 * hostpath_walk() - resolve @path from @start as the kernel would for a guest
 * @start:	O_PATH fd of the directory a relative path starts from (taken)
 * @path:	the path
 * @follow:	follow a symlink in the last component
 * @tid:	the guest thread
 * @tgid:	its process
 * Return: an O_PATH fd of the object, or -errno
 */
int hostpath_walk(int start, const char *path, bool follow, pid_t tid,
		  pid_t tgid)
{
	char *buf = malloc(2 * PATH_MAX), *rest, *name, link[PATH_MAX];
	int cur = start, next, links = 0, e = 0;
	struct stat st;
	ssize_t n;

	if (!buf) {
		close(cur);
		return -ENOMEM;
	}
	snprintf(buf, 2 * PATH_MAX, "%s", path);
	rest = buf;
	while (!e) {
		if (*rest == '/') {
			close(cur);
			if ((cur = open("/", O_PATH | O_CLOEXEC)) < 0) {
				e = -errno;
				break;
			}
			while (*rest == '/')
				rest++;
		}
		if (!*rest)
			break;
		name = rest;
		rest += strcspn(rest, "/");
		if (*rest)
			*rest++ = '\0';
		while (*rest == '/')
			rest++;
		/* a magic link of /proc is the kernel's to follow */
		next = step(cur, name, tid, tgid, false);
		if (next < 0) {
			e = next;
			break;
		}
		if (fstat(next, &st) < 0 || !S_ISLNK(st.st_mode) ||
		    (!*rest && !follow)) {
			close(cur);
			cur = next;
			continue;
		}
		n = on_proc(next) ? 0 : readlinkat(next, "", link, sizeof(link) - 1);
		if (n <= 0 || ++links > LINKS_MAX) {
			/* a magic link (/proc/PID/fd/N...) is the kernel's */
			close(next);
			if (n < 0 || links > LINKS_MAX) {
				e = n < 0 ? -ENOENT : -ELOOP;
				break;
			}
			next = step(cur, name, tid, tgid, true);
			if (next < 0) {
				e = next;
				break;
			}
			close(cur);
			cur = next;
			continue;
		}
		close(next);
		link[n] = '\0';
		if (strlen(link) + strlen(rest) + 2 > PATH_MAX) {
			e = -ENAMETOOLONG;
			break;
		}
		memmove(buf + n + 1, rest, strlen(rest) + 1);
		memcpy(buf, link, (size_t)n);
		buf[n] = '/';
		rest = buf;
	}
	free(buf);
	if (e) {
		close(cur);
		return e;
	}
	return cur;
}
