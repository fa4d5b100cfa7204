// SPDX-License-Identifier: GPL-2.0-or-later
/* uname_loop.c - call uname(2) N times (default 100000): a trapped syscall
 *
 * Goes through syscall(2) so that no libc caching can skip the kernel.
 */

#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

/**
 * main() - loop over uname(2)
 * @argc:	argument count
 * @argv:	[N [-k]]: -k goes on when a call fails (an answer that is an
 *		error costs the same round trip)
 *
 * Return: 0, or 1 if a call failed
 */
int main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 100000;
	int keep_going = argc > 2 && !strcmp(argv[2], "-k");
	struct utsname u;

	for (i = 0; i < n; i++)
		if (syscall(SYS_uname, &u) && !keep_going)
			return 1;
	return 0;
}
