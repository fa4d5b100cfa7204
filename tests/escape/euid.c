// SPDX-License-Identifier: GPL-2.0-or-later
/* euid.c - print the effective user id: installed setuid root by the test
 * runner, it shows whether an exec honoured the setuid bit */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("%d\n", (int)geteuid());
	return 0;
}
