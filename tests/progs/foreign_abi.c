// SPDX-License-Identifier: GPL-2.0-or-later
/* foreign_abi.c - make a getpid through a foreign syscall ABI
 *
 * Usage: foreign_abi int80|x32
 *
 *   int80	i386 getpid (nr 20) through "int $0x80" from 64-bit code
 *   x32	x32 getpid: nr 39 | 0x40000000 through "syscall"
 *
 * Natively the call returns (the pid, or -ENOSYS if the kernel lacks the
 * ABI) and we print what it gave.  facet's filter must kill the process with
 * SIGSYS before the call runs, so under facet nothing is printed and the exit
 * status is 128 + 31 = 159.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define X32_SYSCALL_BIT	0x40000000L
#define I386_GETPID	20
#define X64_GETPID	39

/* int80_getpid() - getpid through the i386 entry point; -errno on failure */
static long int80_getpid(void)
{
	long ret = I386_GETPID;

	/* the i386 entry clobbers r8-r11 (saved as 0) but nothing else */
	__asm__ volatile("int $0x80"
			 : "+a"(ret)
			 :
			 : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

/* x32_getpid() - getpid with the x32 bit; -errno on failure */
static long x32_getpid(void)
{
	long ret = X64_GETPID | X32_SYSCALL_BIT;

	__asm__ volatile("syscall"
			 : "+a"(ret)
			 :
			 : "memory", "rcx", "r11");
	return ret;
}

int main(int argc, char **argv)
{
	long r;

	if (argc != 2 || (strcmp(argv[1], "int80") && strcmp(argv[1], "x32"))) {
		fprintf(stderr, "usage: foreign_abi int80|x32\n");
		return 2;
	}
	r = strcmp(argv[1], "int80") ? x32_getpid() : int80_getpid();
	if (r == getpid())
		printf("%s: returned our pid\n", argv[1]);
	else if (r < 0 && r > -4096)
		printf("%s: returned -1 %s\n", argv[1], strerrorname_np((int)-r));
	else
		printf("%s: returned %ld\n", argv[1], r);
	return 0;
}
