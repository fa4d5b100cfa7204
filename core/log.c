// SPDX-License-Identifier: GPL-2.0-or-later
/* log.c - messages from the supervisor, prefixed "facet: " */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "supervisor.h"

/* exit status for facet's own failures, as env(1) and chroot(1) use */
#define EXIT_FACET 125

/**
 * vmsg() - print "facet: MESSAGE\n" on standard error
 * @fmt:	printf format
 * @ap:		its arguments
 */
static void vmsg(const char *fmt, va_list ap)
{
	fputs("facet: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/**
 * die() - report a fatal error of the supervisor and exit 125
 * @fmt:	printf format
 *
 * Only for start-up and the supervisor's own failures: a misbehaving guest
 * never brings the supervisor down.  The guests die with us (ptrace EXITKILL).
 */
void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(EXIT_FACET);
}

/**
 * warn() - report a problem and go on
 * @fmt:	printf format
 */
void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

/**
 * verbose() - report something when -v was given @level times or more
 * @f:		supervisor context
 * @level:	1 for start-up facts, 2 for per-event detail
 * @fmt:	printf format
 */
void verbose(const struct facet *f, int level, const char *fmt, ...)
{
	va_list ap;

	if (f->verbose < level)
		return;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}
