/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hostpath.h - resolve a guest's path as the kernel would (hostpath.c) */
#ifndef HOSTPATH_H
#define HOSTPATH_H

#include <stdbool.h>
#include <sys/types.h>

int hostpath_walk(int start, const char *path, bool follow, pid_t tid,
		  pid_t tgid);

#endif /* HOSTPATH_H */
