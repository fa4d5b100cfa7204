// SPDX-License-Identifier: GPL-2.0-or-later
/* fsmod.c - run facet's own file systems inside the supervisor
 *
 * DOC: Theory of Operation
 * A module is written against libfuse 3's high-level API, so libfuse
 * itself keeps its node table, its paths and its option handling.  Instead
 * of mounting, the session gets a custom I/O channel
 * (fuse_session_custom_io()) and every request of the supervisor's FUSE
 * client is handed straight to fuse_session_process_buf(): the module's
 * method runs in this thread and its reply comes back through the
 * channel's writev before the call returns.  No daemon, no socket, no
 * context switch.  Requests are handled one at a time (the supervisor is
 * single-threaded), so the connection being answered is simply remembered
 * around the call.
 */
#define FUSE_USE_VERSION 35
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fuse3/fuse.h>
#include <fuse3/fuse_lowlevel.h>

#include "facet_module.h"
#include "fuse_client.h"
#include "fsmod.h"

extern const struct fsmod archivefs_mod;

const struct fsmod *const fsmod_builtin[] = {
	&archivefs_mod,
	NULL,
};

/**
 * struct fsmod_conn - one mount of a module
 * @mod:	the module
 * @fuse:	libfuse's high-level state for it
 * @data:	what the module's open() made
 */
struct fsmod_conn {
	const struct fsmod *mod;
	struct fuse *fuse;
	void *data;
};

static struct fusec *fsmod_answering;	/* the connection being answered */

/**
 * fsmod_find() - one of facet's own file systems, by name
 * @name:	the TYPE of "-m TYPE:SOURCE:DST"
 * Return: the module, or NULL if @name is not one
 */
const struct fsmod *fsmod_find(const char *name)
{
	int i;

	for (i = 0; fsmod_builtin[i]; i++)
		if (!strcmp(fsmod_builtin[i]->name, name))
			return fsmod_builtin[i];
	return NULL;
}

/**
 * fsmod_writev() - the session's reply, to the connection being answered
 * @fd:		the session's placeholder fd (unused)
 * @iov:	the reply
 * @count:	pieces
 * @userdata:	unused
 * Return: bytes taken
 */
static ssize_t fsmod_writev(int fd, struct iovec *iov, int count, void *userdata)
{
	ssize_t n = 0;
	int i;

	(void)fd;
	(void)userdata;
	if (fsmod_answering)
		fusec_local_reply(fsmod_answering, iov, count);
	for (i = 0; i < count; i++)
		n += (ssize_t)iov[i].iov_len;
	return n;
}

/**
 * fsmod_read() - the session never reads: requests are handed to it
 * Return: -1 (EIO)
 */
static ssize_t fsmod_read(int fd, void *buf, size_t len, void *userdata)
{
	(void)fd;
	(void)buf;
	(void)len;
	(void)userdata;
	errno = EIO;
	return -1;
}

static const struct fuse_custom_io fsmod_io = {
	.writev = fsmod_writev,
	.read = fsmod_read,
};

/**
 * fsmod_request() - run one request through libfuse and the module
 * @ctx:	the mount
 * @c:		its connection
 * @req:	fuse_in_header and arguments
 * @len:	bytes
 */
static void fsmod_request(void *ctx, struct fusec *c, const void *req, size_t len)
{
	struct fsmod_conn *m = ctx;
	struct fuse_buf b = { .size = len, .mem = (void *)req };

	fsmod_answering = c;
	fuse_session_process_buf(fuse_get_session(m->fuse), &b);
	fsmod_answering = NULL;
}

/**
 * fsmod_destroy() - free a mount, after DESTROY
 * @ctx:	the mount
 */
static void fsmod_destroy(void *ctx)
{
	struct fsmod_conn *m = ctx;

	if (m->fuse)
		fuse_destroy(m->fuse);
	if (m->data)
		m->mod->close(m->data);
	free(m);
}

static const struct fusec_local_ops fsmod_local = {
	.request = fsmod_request,
	.destroy = fsmod_destroy,
};

/**
 * fsmod_session() - libfuse's state for a mount, talking through fsmod_io
 * @m:		the mount (@m->data set)
 * Return: 0 or -errno
 */
static int fsmod_session(struct fsmod_conn *m)
{
	char *argv[] = { (char *)"facet", NULL };
	struct fuse_args args = FUSE_ARGS_INIT(1, argv);
	int fd;

	m->fuse = fuse_new(&args, m->mod->ops, sizeof(*m->mod->ops), m->data);
	fuse_opt_free_args(&args);
	if (!m->fuse)
		return -ENOMEM;
	if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		return -errno;
	if (fuse_session_custom_io(fuse_get_session(m->fuse), &fsmod_io, fd) < 0) {
		close(fd);
		return -ENOMEM;
	}
	return 0;
}

/**
 * own_opts() - the options meant for the module: those facet takes itself
 *		("ro", done by the view) left out
 * @opts:	comma-separated options, or NULL
 * @out:	result
 * @size:	room there
 * Return: @out, or NULL if none are left
 */
static const char *own_opts(const char *opts, char *out, size_t size)
{
	size_t n, len = 0;

	*out = 0;
	while (opts && *opts) {
		n = strcspn(opts, ",");
		if (!(n == 2 && !strncmp(opts, "ro", 2)) && n && len + n + 2 <= size) {
			len += (size_t)snprintf(out + len, size - len, "%s%.*s",
						len ? "," : "", (int)n, opts);
		}
		opts += n + (opts[n] == ',');
	}
	return *out ? out : NULL;
}

/**
 * fsmod_start() - mount one of facet's own file systems, in this process
 * @f:		supervisor, for messages
 * @mod:	the module
 * @source:	its archive, image or directory
 * @opts:	comma-separated options, or NULL
 * @out:	the connection the image layer talks to
 * Return: 0 or -errno (message printed)
 */
int fsmod_start(struct facet *f, const struct fsmod *mod, const char *source,
		const char *opts, struct fusec **out)
{
	struct fsmod_conn *m = calloc(1, sizeof(*m));
	char why[512] = "", mine[1024];
	int e;

	if (!m)
		return -ENOMEM;
	m->mod = mod;
	opts = own_opts(opts, mine, sizeof(mine));
	if ((e = mod->open(source, opts, &m->data, why, sizeof(why))) < 0) {
		facet_error(f, "%s: %s: %s", mod->name, source, *why ? why : strerror(-e));
		free(m);
		return e;
	}
	if ((e = fsmod_session(m)) < 0) {
		facet_error(f, "%s: %s: %s", mod->name, source, strerror(-e));
		fsmod_destroy(m);
		return e;
	}
	return fusec_local(f, mod->name, &fsmod_local, m, out);
}
