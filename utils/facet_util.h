/* SPDX-License-Identifier: GPL-2.0-or-later */
/* facet_util.h - what facet-mount, facet-umount and facet-ctl share: the
 * control call to the supervisor (FACET_SYS_CTL, see facet_module.h) */
#ifndef FACET_UTIL_H
#define FACET_UTIL_H

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "facet_module.h"

/**
 * util_ctl() - the control call
 * @op:		FACET_CTL_*
 * @a:		its arguments
 * Return: its result, or -1 with errno set
 */
static inline long util_ctl(unsigned int op, const void *a, const void *b,
			    const void *c, const void *d)
{
	return syscall(FACET_SYS_CTL, (long)op, a, b, c, d);
}

/**
 * util_need_facet() - exit 2 with a message unless running under facet
 * @prog:	the program's name
 */
static inline void util_need_facet(const char *prog)
{
	if (util_ctl(FACET_CTL_PROBE, NULL, NULL, NULL, NULL) != FACET_CTL_MAGIC) {
		fprintf(stderr, "%s: not running under facet (run it inside "
			"\"facet -- COMMAND\")\n", prog);
		exit(2);
	}
}

/**
 * util_abs() - @path made absolute from the working directory, as the
 *		supervisor resolves paths from / of the caller's view
 * @path:	the argument
 * @out:	PATH_MAX bytes
 * Return: @out, or NULL (too long)
 */
static inline char *util_abs(const char *path, char *out)
{
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return strlen(path) < PATH_MAX ? strcpy(out, path) : NULL;
	if (!getcwd(cwd, sizeof(cwd)) ||
	    snprintf(out, PATH_MAX, "%s/%s", cwd, path) >= PATH_MAX)
		return NULL;
	return out;
}

#endif /* FACET_UTIL_H */
