// SPDX-License-Identifier: GPL-2.0-or-later
/* facet-umount.c - unmount from this process's view (and its children's)
 *
 *	facet-umount DIR...
 */
#include "facet_util.h"

int main(int argc, char *argv[])
{
	char dst[PATH_MAX];
	int i, rc = 0;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fprintf(argc < 2 ? stderr : stdout,
			"Usage: facet-umount DIR...\n"
			"Unmount DIR from the view of this process and of the children it\n"
			"starts afterwards (run inside facet).  See facet-umount(1).\n");
		return argc < 2;
	}
	util_need_facet("facet-umount");
	for (i = 1; i < argc; i++) {
		if (!util_abs(argv[i], dst) ||
		    util_ctl(FACET_CTL_UMOUNT, dst, NULL, NULL, NULL) < 0) {
			fprintf(stderr, "facet-umount: %s: %s\n", argv[i],
				errno == EINVAL ? "not mounted" : errno == EPERM ?
				"mounted by facet's options, which stay" : strerror(errno));
			rc = 32;
		}
	}
	return rc;
}
