// SPDX-License-Identifier: GPL-2.0-or-later
/* ids_static.c - a static program that prints its ids and files' owners
 *
 * Usage: ids_static [PATH...]
 *
 * Prints "uid euid gid egid" on one line, then "UID:GID MODE PATH" for each
 * PATH (lstat).  Built with -static (see Makefile), so no LD_PRELOAD can
 * answer for it: the identity it sees is the one the system calls give.
 */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct stat st;
	int i, rc = 0;

	printf("%u %u %u %u\n", getuid(), geteuid(), getgid(), getegid());
	for (i = 1; i < argc; i++) {
		if (lstat(argv[i], &st) < 0) {
			perror(argv[i]);
			rc = 1;
			continue;
		}
		printf("%u:%u %o %s\n", st.st_uid, st.st_gid,
		       st.st_mode & 07777, argv[i]);
	}
	return rc;
}
