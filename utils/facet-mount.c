// SPDX-License-Identifier: GPL-2.0-or-later
/* facet-mount.c - mount into this process's view (and its children's)
 *
 *	facet-mount [-r] [-o OPTIONS] TYPE SOURCE DIR	an image, through the
 *						FUSE program TYPE or facet's own
 *						file system TYPE (archive)
 *	facet-mount --bind [-r] SOURCE DEST	SOURCE, as this view shows it,
 *						also at DEST
 */
#include <getopt.h>

#include "facet_util.h"

/**
 * usage() - the synopsis, to @out
 * @out:	stdout or stderr
 */
static void usage(FILE *out)
{
	fprintf(out,
		"Usage: facet-mount [-r] [-o OPTIONS] TYPE SOURCE DIR\n"
		"       facet-mount --bind [-r] SOURCE DEST\n"
		"Mount into the view of this process and of the children it starts\n"
		"afterwards (run inside facet).  TYPE is a FUSE program (fuse2fs,\n"
		"squashfuse, fuseiso, fuse-zip, archivemount, ...) or archive.\n"
		"  -B, --bind        SOURCE appears at DEST too\n"
		"  -r, --read-only   writes fail with EROFS\n"
		"  -o OPTIONS        passed to the file system (-o)\n"
		"  -h, --help        this help\n"
		"See facet-mount(1).\n");
}

/**
 * why() - what an errno from the supervisor means here
 * @e:		errno
 * Return: the message
 */
static const char *why(int e)
{
	switch (e) {
	case EOPNOTSUPP:
		return "this view is fixed (facet --fixed): it cannot change";
	case EXDEV:
		return "the source is in an image or an overlay, which facet serves itself";
	case EPERM:
		return "a hidden path lies below the source";
	case EINVAL:
		return "the file system could not be mounted (facet said why)";
	default:
		return strerror(e);
	}
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "bind", no_argument, NULL, 'B' },
		{ "read-only", no_argument, NULL, 'r' },
		{ "options", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char src[PATH_MAX], dst[PATH_MAX], o[PATH_MAX] = "";
	const char *type = NULL, *ov = NULL;
	int c, bind = 0, ro = 0;

	while ((c = getopt_long(argc, argv, "Bro:h", opts, NULL)) != -1) {
		switch (c) {
		case 'B': bind = 1; break;
		case 'r': ro = 1; break;
		case 'o': ov = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (argc - optind != (bind ? 2 : 3)) {
		usage(stderr);
		return 1;
	}
	util_need_facet("facet-mount");
	type = bind ? "bind" : argv[optind++];
	if (!util_abs(argv[optind], src) || !util_abs(argv[optind + 1], dst)) {
		fprintf(stderr, "facet-mount: path too long\n");
		return 1;
	}
	if (ov || ro)
		snprintf(o, sizeof(o), "%s%s%s", ov ? ov : "", ov && ro ? "," : "", ro ? "ro" : "");
	if (util_ctl(FACET_CTL_MOUNT, type, src, dst, *o ? o : NULL) < 0) {
		fprintf(stderr, "facet-mount: %s on %s: %s\n", argv[optind], argv[optind + 1],
			why(errno));
		return 32;	/* mount(8)'s "mount failure" */
	}
	return 0;
}
