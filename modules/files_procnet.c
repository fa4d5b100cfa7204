// SPDX-License-Identifier: GPL-2.0-or-later
/* files_procnet.c - /proc/net files of the view's own network
 *
 * DOC: Theory of Operation
 * A view with a network of its own (--net) lists its interfaces, addresses
 * and routes in /proc/net files it writes once (modules/net_proc.c) and
 * gives this module, one option "proc-net" ("NAME\nTEXT") each.  An open
 * for reading of such a file, by any of its names (/proc/net/NAME, a link
 * to /proc/self/net, /proc/thread-self/net/NAME, /proc/PID/net/NAME,
 * /proc/PID/task/TID/net/NAME), gets a sealed copy of the text instead of
 * the kernel's file, which describes the host's network.  The file is
 * known by the host object the path resolved to, as files_mounts.c knows
 * mount tables: a file of procfs whose path is one of those.  Other
 * /proc/net files (the socket tables) stay the kernel's, as do the
 * directories.
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
 * struct files_procnet - one /proc/net file the view writes
 * @name:	its name in /proc/net
 * @text:	its content
 * @len:	its length
 * @next:	list
 */
struct files_procnet {
	char *name;
	char *text;
	size_t len;
	struct files_procnet *next;
};

/**
 * procnet_find() - the file the view writes under a name
 * @fs:		module state
 * @name:	the name in /proc/net
 * @len:	its length
 * Return: the file, or NULL
 */
static const struct files_procnet *procnet_find(const struct files *fs,
						 const char *name, size_t len)
{
	const struct files_procnet *p;

	for (p = fs->procnet; p; p = p->next)
		if (strlen(p->name) == len && !memcmp(p->name, name, len))
			return p;
	return NULL;
}

/**
 * files_procnet_add() - the "proc-net" option, from the net module
 *			 (files_internal.h): a later one of a name replaces
 *			 the earlier
 * @fs:		module state
 * @value:	"NAME\nTEXT"
 * Return: 0, -EINVAL (no name), -ENOMEM
 */
int files_procnet_add(struct files *fs, const char *value)
{
	const char *nl = strchr(value, '\n');
	struct files_procnet *p, **pp;

	if (!nl || nl == value || memchr(value, '/', (size_t)(nl - value)))
		return -EINVAL;
	if (!(p = calloc(1, sizeof(*p))) ||
	    !(p->name = strndup(value, (size_t)(nl - value))) ||
	    !(p->text = strdup(nl + 1))) {
		if (p)
			free(p->name);
		free(p);
		return -ENOMEM;
	}
	p->len = strlen(p->text);
	for (pp = &fs->procnet; *pp && strcmp((*pp)->name, p->name); pp = &(*pp)->next)
		;
	if (*pp) {
		p->next = (*pp)->next;
		free((*pp)->name);
		free((*pp)->text);
		free(*pp);
	}
	*pp = p;
	return 0;
}

/**
 * files_procnet_named() - is @name the name of a file the view writes?
 *			   (files_internal.h)
 * @fs:		module state
 * @name:	a last path component
 * Return: true if so
 */
bool files_procnet_named(const struct files *fs, const char *name)
{
	return fs->procnet && procnet_find(fs, name, strlen(name));
}

/**
 * procnet_skip_num() - step over "DIGITS/"
 * @s:		where they should be
 * Return: what follows the slash, or NULL
 */
static const char *procnet_skip_num(const char *s)
{
	const char *p = s;

	while (*p >= '0' && *p <= '9')
		p++;
	return p > s && *p == '/' ? p + 1 : NULL;
}

/**
 * procnet_of() - which file the view writes is a host file, if any
 * @fs:		module state
 * @fd:		the file (O_PATH)
 * Return: the file, or NULL
 */
static const struct files_procnet *procnet_of(const struct files *fs, int fd)
{
	char proc[64], link[PATH_MAX];
	struct statfs sfs;
	const char *p;
	ssize_t n;

	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)
		return NULL;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, link, sizeof(link) - 1);
	if (n <= 0)
		return NULL;
	link[n] = 0;
	if (strncmp(link, "/proc/", 6) || !(p = procnet_skip_num(link + 6)))
		return NULL;
	if (!strncmp(p, "task/", 5) && !(p = procnet_skip_num(p + 5)))
		return NULL;
	if (strncmp(p, "net/", 4) || strchr(p + 4, '/'))
		return NULL;
	return procnet_find(fs, p + 4, strlen(p + 4));
}

/**
 * files_procnet_open() - an open of a /proc/net file the view writes
 *			  (files_internal.h)
 * @fs:		module state
 * @fd:		the file the path names (O_PATH)
 * @flags:	the open's flags: only a plain read-only open is answered
 * @copy:	set to an fd of the view's copy
 * Return: 0 with @copy set, 1 if it is none of that, or -errno
 */
int files_procnet_open(const struct files *fs, int fd, int flags, int *copy)
{
	const struct files_procnet *p;
	int r;

	if (!fs->procnet || (flags & (O_ACCMODE | O_PATH | O_CREAT | O_DIRECTORY)) ||
	    !(p = procnet_of(fs, fd)))
		return 1;
	if ((r = facet_sealed_copy(p->name, p->text, p->len)) < 0)
		return r;
	*copy = r;
	return 0;
}

/**
 * files_procnet_free() - forget the files (files_internal.h)
 * @fs:		module state
 */
void files_procnet_free(struct files *fs)
{
	struct files_procnet *p;

	while ((p = fs->procnet)) {
		fs->procnet = p->next;
		free(p->name);
		free(p->text);
		free(p);
	}
}
