// SPDX-License-Identifier: GPL-2.0-or-later
/* ident_proc.c - /proc/PID/status with the view's credentials
 *
 * DOC: Theory of Operation
 *
 * Programs learn their own identity from /proc/self/status as often as
 * from getuid(): ps, capsh --print, libcap-ng, shell scripts grepping for
 * CapEff.  An open of a guest's status file (/proc/PID/status or
 * /proc/PID/task/TID/status, through /proc/self and /proc/thread-self as
 * well) is answered with a copy made at the open, in which the Uid, Gid,
 * Groups and capability lines are the view's; every other line is the
 * kernel's (and NoNewPrivs, which facet's own filter sets for every
 * guest, is the guest's own).  The copy is a sealed memfd opened read-only: what was read
 * stays as it was at the open, as a reader of the real file that reads it
 * at once sees it.  The status of a process that is not a guest is left to
 * the kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "ident_internal.h"

/**
 * status_target() - whose status file a host file is
 * @fd:		the file (O_PATH)
 * Return: the thread or process id, or 0 if it is no status file
 */
static pid_t status_target(int fd)
{
	char proc[64], link[PATH_MAX];
	struct statfs sfs;
	int pid, tid, end = 0;
	ssize_t n;

	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		return 0;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	if (sscanf(link, "/proc/%d/task/%d/status%n", &pid, &tid, &end) == 2 &&
	    end == n)
		return tid;
	end = 0;
	if (sscanf(link, "/proc/%d/status%n", &pid, &end) == 1 && end == n)
		return pid;
	return 0;
}

/**
 * clip() - what snprintf() appended
 * @k:		its return value
 * @room:	the room it had
 * Return: bytes appended
 */
static size_t clip(int k, size_t room)
{
	return k < 0 ? 0 : (size_t)k >= room ? room - 1 : (size_t)k;
}

/**
 * put_line() - the view's version of one line of a status file
 * @c:		the credentials
 * @line:	the kernel's line, without its newline
 * @out:	where to append
 * @room:	bytes left at @out
 * Return: bytes appended (at most @room - 1)
 */
static size_t put_line(const struct cred *c, const char *line, char *out,
		       size_t room)
{
	static const char *const caps[] = { "CapEff:", "CapPrm:", "CapInh:",
					    "CapBnd:", "CapAmb:" };
	size_t n, i;
	int k;

	if (!strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4)) {
		const uint32_t *v = line[0] == 'U' ? c->uid : c->gid;

		k = snprintf(out, room, "%.4s\t%u\t%u\t%u\t%u\n", line,
			     v[R], v[E], v[S], v[FS]);
		return clip(k, room);
	}
	if (!strncmp(line, "Groups:", 7)) {
		n = (size_t)snprintf(out, room, "Groups:\t");
		for (i = 0; i < (size_t)c->ngroups && n < room; i++)
			n += (size_t)snprintf(out + n, room - n, "%s%u",
					      i ? " " : "", c->groups[i]);
		if (n < room)	/* the kernel's trailing space */
			n += (size_t)snprintf(out + n, room - n, " \n");
		return n >= room ? room - 1 : n;
	}
	if (!strncmp(line, "NoNewPrivs:", 11)) {
		k = snprintf(out, room, "NoNewPrivs:\t%d\n", c->nnp);
		return clip(k, room);
	}
	for (i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		if (!strncmp(line, caps[i], 7)) {
			k = snprintf(out, room, "%s\t%016llx\n", caps[i],
				     (unsigned long long)c->cap[i]);
			return clip(k, room);
		}
	return clip(snprintf(out, room, "%s\n", line), room);
}

/**
 * rewrite() - the view's status file
 * @c:		the credentials
 * @fd:		the kernel's file (O_PATH)
 * Return: a read-only fd of the copy, or -errno
 */
static int rewrite(const struct cred *c, int fd)
{
	char proc[64], in[16384], out[20480], *line, *nl;
	size_t len = 0, got = 0;
	ssize_t n;
	int rfd;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if ((rfd = open(proc, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	while (got < sizeof(in) - 1 &&
	       (n = read(rfd, in + got, sizeof(in) - 1 - got)) > 0)
		got += (size_t)n;
	close(rfd);
	in[got] = '\0';
	for (line = in; *line; line = nl + 1) {
		nl = strchrnul(line, '\n');
		if (!*nl) {
			len += put_line(c, line, out + len, sizeof(out) - len);
			break;
		}
		*nl = '\0';
		len += put_line(c, line, out + len, sizeof(out) - len);
	}
	return facet_sealed_copy("status", out, len);
}

/**
 * ident_proc_open() - an open of a guest's /proc status file
 * @id:		module state
 * @call:	the open
 * @dirfd:	guest's dirfd
 * @path:	guest's path
 * @flags:	open flags
 * Return: FACET_REPLY with the view's copy, or FACET_PASS if the path is
 *	   none of that
 */
enum facet_outcome ident_proc_open(struct ident *id, struct facet_call *call,
				   int dirfd, const char *path, uint64_t flags)
{
	size_t len = strlen(path);
	struct facet_task *t;
	struct cred *c;
	pid_t who;
	int fd, ro, e;

	if (len < 6 || strcmp(path + len - 6, "status") ||
	    (len > 6 && path[len - 7] != '/') ||
	    (flags & (O_ACCMODE | O_DIRECTORY | O_CREAT)) != O_RDONLY)
		return FACET_PASS;
	fd = facet_resolve(id->f, call, dirfd, path, 0);
	if (fd < 0)
		return FACET_PASS;
	who = status_target(fd);
	t = who ? facet_task_find(id->f, who) : NULL;
	c = t ? ident_task_cred(id, t) : NULL;
	ro = c ? rewrite(c, fd) : -ENOENT;
	close(fd);
	if (ro < 0)
		return FACET_PASS;
	e = facet_addfd(id->f, call, ro, flags & O_CLOEXEC);
	close(ro);
	return e < 0 ? ident_reply(call, e) : FACET_REPLY;
}
