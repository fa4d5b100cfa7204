/* SPDX-License-Identifier: GPL-2.0-or-later */
/* syscalls.h - the syscall table generated from core/syscalls.list */
#ifndef SYSCALLS_H
#define SYSCALLS_H

#include <stddef.h>

#define SYS_NR_MAX 1024	/* x86_64 numbers are below 512; 512-1023 are free for
			 * virtual syscalls that the kernel answers ENOSYS */

enum sys_class { SC_PATH, SC_FD, SC_PROC, SC_IDENT, SC_NET, SC_MEM, SC_SIG,
		 SC_MISC };

struct facet;
struct facet_call;
enum facet_outcome;

/**
 * struct sys_desc - what facet knows of one syscall
 * @name:	its name, NULL for numbers absent from syscalls.list
 * @args:	one letter per argument (see syscalls.list)
 * @cls:	class
 * @handler:	core handler, or NULL
 * @op:		offset in struct facet_module of the operation that makes the
 *		core trap this call (0: none)
 */
struct sys_desc {
	const char *name;
	const char *args;
	enum sys_class cls;
	enum facet_outcome (*handler)(struct facet *f, struct facet_call *call);
	size_t op;
};

extern const struct sys_desc sys_table[SYS_NR_MAX];

const char *sys_name(int nr, char *buf, size_t size);

#endif /* SYSCALLS_H */
