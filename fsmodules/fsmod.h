/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsmod.h - facet's own file systems: libfuse high-level modules that run in
 * the supervisor's process, or alone as ordinary FUSE programs
 *
 * A file system here is a &struct fuse_operations (libfuse 3's high-level,
 * path-based API) and two functions around it.  The supervisor loads it
 * with no daemon and no IPC ("-m NAME:SOURCE:DST", fsmod_start()); the same
 * source also builds a standalone program, PROGRAM SOURCE MOUNTPOINT,
 * that mounts under the real kernel (fsmodules/standalone.c), facet-NAMEfs
 * for a module NAME (facet-archivefs for "archive").
 */
#ifndef FSMOD_H
#define FSMOD_H

#include <stdbool.h>
#include <stddef.h>

struct facet;
struct fusec;
struct fuse_operations;

/**
 * struct fsmod - one of facet's own file systems
 * @name:	its name for "-m NAME:SOURCE:DST" (program: facet-NAMEfs)
 * @summary:	one line for --help and facet-modules(7)
 * @readonly:	it never writes: its mounts are read-only in the view
 * @ops:	the file system; private_data (fuse_get_context()) is what
 *		@open made
 * @open:	open @source with comma-separated @opts (NULL: none) into
 *		*@data; on failure -errno and a message in @why
 * @close:	free what @open made, after the file system is destroyed
 */
struct fsmod {
	const char *name;
	const char *summary;
	bool readonly;
	const struct fuse_operations *ops;
	int (*open)(const char *source, const char *opts, void **data,
		    char *why, size_t whysize);
	void (*close)(void *data);
};

extern const struct fsmod *const fsmod_builtin[];

const struct fsmod *fsmod_find(const char *name);
int fsmod_start(struct facet *f, const struct fsmod *mod, const char *source,
		const char *opts, struct fusec **out);

#endif /* FSMOD_H */
