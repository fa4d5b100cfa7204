// SPDX-License-Identifier: GPL-2.0-or-later
/* procfs.c - reading what the kernel says of a guest thread in /proc
 *
 * /proc/TID/status holds what no syscall tells another process: pending,
 * blocked, ignored and caught signals, capabilities, the thread count.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"

/**
 * proc_status() - read /proc/TID/status
 * @tid:	thread
 * @buf:	destination, NUL-terminated
 * @size:	its size (2048 holds every line facet reads)
 * Return: length, or -errno (-ENOENT: the thread is gone)
 */
int proc_status(pid_t tid, char *buf, size_t size)
{
	char path[40];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, size - 1);
	if (len < 0)
		len = -errno;
	close(fd);
	buf[len > 0 ? len : 0] = '\0';
	return (int)len;
}

/**
 * proc_status_mask() - a hexadecimal mask line of /proc/TID/status
 * @status:	the file's text
 * @key:	"SigPnd:", "CapEff:" and so on
 * Return: the mask, 0 if absent
 */
uint64_t proc_status_mask(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p ? strtoull(p + strlen(key), NULL, 16) : 0;
}

/**
 * proc_status_number() - a decimal line of /proc/TID/status
 * @status:	the file's text
 * @key:	"TracerPid:", "Threads:" and so on
 * Return: the value, 0 if absent
 */
long proc_status_number(const char *status, const char *key)
{
	const char *p = strstr(status, key);

	return p ? strtol(p + strlen(key), NULL, 10) : 0;
}
