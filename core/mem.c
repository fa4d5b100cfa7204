// SPDX-License-Identifier: GPL-2.0-or-later
/* mem.c - reading and writing guest memory
 *
 * DOC: Theory of Operation
 *
 * process_vm_readv()/process_vm_writev() move bytes without stopping the
 * guest; where they are unavailable (ENOSYS, or EPERM under some LSMs) the
 * same is done through /proc/TID/mem.  A short transfer means an unmapped
 * page: the caller answers EFAULT as the kernel would.
 *
 * These functions know nothing of notifications.  Callers check, with
 * SECCOMP_IOCTL_NOTIF_ID_VALID, that the thread is still the one that made
 * the call after reading (the tid could have been reused) and before
 * writing; and they copy once, then decide on the copy, since the guest can
 * change its memory at any time (design notes, principle 3).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "mem.h"

#define PAGE 4096u

/**
 * mem_proc() - fall back to /proc/TID/mem
 * @tid:	thread
 * @addr:	guest address
 * @buf:	local buffer
 * @len:	bytes
 * @write:	direction
 * Return: bytes moved, or -errno
 */
static ssize_t mem_proc(pid_t tid, uint64_t addr, void *buf, size_t len,
			int write)
{
	char path[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", tid);
	fd = open(path, (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write ? pwrite(fd, buf, len, (off_t)addr)
		  : pread(fd, buf, len, (off_t)addr);
	if (n < 0)
		n = -errno;
	close(fd);
	return n;
}

/**
 * mem_move() - one transfer between the supervisor and a guest
 * @tid:	thread
 * @addr:	guest address
 * @buf:	local buffer
 * @len:	bytes
 * @write:	direction
 * Return: bytes moved, or -errno
 */
static ssize_t mem_move(pid_t tid, uint64_t addr, void *buf, size_t len,
			int write)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n;

	n = write ? process_vm_writev(tid, &local, 1, &remote, 1, 0)
		  : process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n >= 0)
		return n;
	if (errno == ENOSYS || errno == EPERM)
		return mem_proc(tid, addr, buf, len, write);
	return -errno;
}

/**
 * mem_read() - copy @len bytes from the guest
 * @tid:	thread
 * @addr:	guest address
 * @buf:	destination
 * @len:	bytes
 * Return: 0, or -EFAULT / -errno
 */
int mem_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	ssize_t n;

	if (!len)
		return 0;
	n = mem_move(tid, addr, buf, len, 0);
	if (n < 0)
		return n == -ESRCH ? -ESRCH : -EFAULT;
	return (size_t)n == len ? 0 : -EFAULT;
}

/**
 * mem_write() - copy @len bytes to the guest
 * @tid:	thread
 * @addr:	guest address
 * @buf:	source
 * @len:	bytes
 * Return: 0, or -EFAULT / -errno
 */
int mem_write(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	ssize_t n;

	if (!len)
		return 0;
	n = mem_move(tid, addr, (void *)buf, len, 1);
	if (n < 0)
		return n == -ESRCH ? -ESRCH : -EFAULT;
	return (size_t)n == len ? 0 : -EFAULT;
}

/**
 * mem_read_string() - copy a NUL-terminated string from the guest
 * @tid:	thread
 * @addr:	guest address
 * @buf:	destination, always NUL-terminated on success
 * @size:	room in @buf, NUL included
 *
 * Reads page by page so that a string ending just before an unmapped page
 * is still read whole.
 *
 * Return: length, -EFAULT for a bad address, -ENAMETOOLONG if no NUL fits
 */
int mem_read_string(pid_t tid, uint64_t addr, char *buf, size_t size)
{
	size_t got = 0, chunk;
	ssize_t n;
	char *nul;

	while (got < size) {
		chunk = PAGE - ((addr + got) % PAGE);
		if (chunk > size - got)
			chunk = size - got;
		n = mem_move(tid, addr + got, buf + got, chunk, 0);
		if (n <= 0)
			return n == -ESRCH ? -ESRCH : -EFAULT;
		nul = memchr(buf + got, '\0', (size_t)n);
		if (nul)
			return (int)(nul - buf);
		got += (size_t)n;
		if ((size_t)n < chunk)
			return -EFAULT;
	}
	return -ENAMETOOLONG;
}
