/* SPDX-License-Identifier: GPL-2.0-or-later */
/* procfs.h - reading what the kernel says of a guest thread in /proc */
#ifndef PROCFS_H
#define PROCFS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

int proc_status(pid_t tid, char *buf, size_t size);
uint64_t proc_status_mask(const char *status, const char *key);
long proc_status_number(const char *status, const char *key);

#endif /* PROCFS_H */
