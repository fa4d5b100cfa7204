/* SPDX-License-Identifier: GPL-2.0-or-later */
/* syscalls.h - the syscall table generated from core/syscalls.list */
#ifndef SYSCALLS_H
#define SYSCALLS_H

#include <stddef.h>

#define SYS_NR_MAX 1024	/* x86_64 numbers are below 512; 512-1023 are free for
			 * virtual syscalls that the kernel answers ENOSYS */

/* numbers newer than the kernel headers facet may be built with (6.1) */
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif
#ifndef __NR_setxattrat
#define __NR_setxattrat 463
#define __NR_getxattrat 464
#define __NR_listxattrat 465
#define __NR_removexattrat 466
#endif
#ifndef __NR_open_tree_attr
#define __NR_open_tree_attr 467
#endif
#ifndef __NR_file_getattr
#define __NR_file_getattr 468
#define __NR_file_setattr 469
#endif

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
