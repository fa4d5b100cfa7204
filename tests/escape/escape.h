/* SPDX-License-Identifier: GPL-2.0-or-later */
/* escape.h - what the escape cases share: each case is one program that
 * tries one way out of a view and says what it tried and what happened.
 *
 * Exit status: 0 every attempt was held, 1 some attempt got out (each one
 * printed with "ESCAPED"), 77 the case cannot run here (printed why),
 * 2 bad usage.  Run natively, where the way is open, the same program
 * shows that it can tell (status 1), so a status 0 under facet means
 * something.
 */
#ifndef ESCAPE_H
#define ESCAPE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int esc_escaped;

/* tried() - say what is tried */
static inline void tried(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("tried: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	fflush(stdout);
}

/* outcome() - an attempt's result: @out true means it got out */
static inline void outcome(int out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs(out ? "  ESCAPED: " : "  held: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	fflush(stdout);
	esc_escaped += !!out;
}

/* refused() - a call that must fail: @r its return, @what the call */
static inline void refused(long r, const char *what)
{
	int e = errno;

	outcome(r >= 0, "%s: %s", what, r >= 0 ? "succeeded" : strerror(e));
}

/* has_secret() - does fd @fd read the secret marker? (closes it) */
static inline int has_secret(int fd)
{
	char buf[64] = { 0 };
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 && strstr(buf, "TOPSECRET") != NULL;
}

/* finish() - the exit status */
static inline int finish(void)
{
	printf("%s\n", esc_escaped ? "result: ESCAPED" : "result: held");
	return esc_escaped ? 1 : 0;
}

#endif
