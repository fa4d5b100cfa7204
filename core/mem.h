/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mem.h - reading and writing guest memory */
#ifndef MEM_H
#define MEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

int mem_read(pid_t tid, uint64_t addr, void *buf, size_t len);
int mem_write(pid_t tid, uint64_t addr, const void *buf, size_t len);
int mem_read_string(pid_t tid, uint64_t addr, char *buf, size_t size);

#endif /* MEM_H */
