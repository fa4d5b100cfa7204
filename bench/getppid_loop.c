// SPDX-License-Identifier: GPL-2.0-or-later
/* getppid_loop.c - call getppid(2) N times (default 100000): an untrapped call
 *
 * Shows that syscalls the filter lets through run at native speed.
 */

#define _GNU_SOURCE
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

/**
 * main() - loop over getppid(2)
 * @argc:	argument count
 * @argv:	[N]
 *
 * Return: 0, or 1 if a call failed
 */
int main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 100000;

	for (i = 0; i < n; i++)
		if (syscall(SYS_getppid) < 0)
			return 1;
	return 0;
}
