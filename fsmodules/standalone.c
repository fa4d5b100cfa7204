// SPDX-License-Identifier: GPL-2.0-or-later
/* standalone.c - one of facet's own file systems as an ordinary FUSE
 * program: facet-NAMEfs [OPTIONS] SOURCE MOUNTPOINT
 *
 * Built once per module, with -DFSMOD=its descriptor.  It mounts under the
 * real kernel (with /dev/fuse and fusermount3), or in a facet view, where
 * facet takes the mount as it takes any FUSE daemon's.
 */
#define FUSE_USE_VERSION 35
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fuse3/fuse.h>

#include "fsmod.h"

extern const struct fsmod FSMOD;

/**
 * struct standalone - the command line
 * @source:	the first argument that is not an option
 */
struct standalone {
	const char *source;
};

/**
 * take_source() - fuse_opt_parse()'s hook: the first non-option is SOURCE,
 *		   the rest go to libfuse
 * Return: 0 to drop the argument, 1 to keep it
 */
static int take_source(void *data, const char *arg, int key, struct fuse_args *out)
{
	struct standalone *s = data;

	(void)out;
	if (key == FUSE_OPT_KEY_NONOPT && !s->source) {
		s->source = arg;
		return 0;
	}
	return 1;
}

/**
 * usage() - how to call it
 * @prog:	argv[0]
 */
static void usage(const char *prog)
{
	printf("usage: %s [-f] [-d] [-o OPTION,...] SOURCE MOUNTPOINT\n"
	       "%s\n\n", prog, FSMOD.summary);
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct standalone s = { 0 };
	char src[PATH_MAX], why[512] = "";
	void *data = NULL;
	int i, e;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(argv[0]);
			fuse_lib_help(&args);
			return 0;
		}
	if (fuse_opt_parse(&args, &s, NULL, take_source) < 0)
		return 1;
	if (!s.source || args.argc < 2) {
		fprintf(stderr, "%s: give SOURCE and MOUNTPOINT (--help)\n", argv[0]);
		return 1;
	}
	/* fuse_main() changes to / when it goes to the background */
	if (!realpath(s.source, src)) {
		perror(s.source);
		return 1;
	}
	if ((e = FSMOD.open(src, NULL, &data, why, sizeof(why))) < 0) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], s.source, *why ? why : strerror(-e));
		return 1;
	}
	e = fuse_main(args.argc, args.argv, FSMOD.ops, data);
	FSMOD.close(data);
	fuse_opt_free_args(&args);
	return e;
}
