// SPDX-License-Identifier: GPL-2.0-or-later
/* inject.c - example module: make chosen syscalls fail with a chosen errno
 *
 * A complete, small facet module, built by "make" as modules/inject.so:
 *
 *	facet --module modules/inject.so:mkdir=EROFS,unlink=EACCES -- sh
 *
 * makes every mkdir(2) in the guest fail with EROFS and every unlink(2) with
 * EACCES, without running them; a syscall named without "=ERRNO" fails with
 * ENOSYS.  Useful to see how a program copes with errors it rarely meets.
 *
 * It shows the whole module interface: options (option()), start-up checks
 * and raw traps (init() and facet_trap()), answering a call (syscall()),
 * and clean-up (fini()).  Build your own the same way:
 *
 *	cc -shared -fPIC -I/usr/local/include -o mine.so mine.c
 *
 * with #include <facet/module.h> once facet is installed.
 */
#define _GNU_SOURCE	/* strerrorname_np() */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "facet_module.h"

#define NR_MAX 1024

/**
 * struct inject - the module's state: which errno each syscall gets
 * @err:	positive errno per syscall number, 0 for "leave alone"
 */
struct inject {
	int err[NR_MAX];
};

/**
 * errno_parse() - "EROFS" -> EROFS, or a plain number
 * @s:	the text
 * Return: the errno, or 0 if unknown
 */
static int errno_parse(const char *s)
{
	char *end;
	long v;
	int e;

	for (e = 1; e < 200; e++) {
		const char *name = strerrorname_np(e);

		if (name && !strcmp(name, s))
			return e;
	}
	v = strtol(s, &end, 10);
	return *end || v <= 0 || v > 4095 ? 0 : (int)v;
}

/**
 * inject_option() - one "SYSCALL[=ERRNO]" from --module inject.so:ARGS
 * @f:		supervisor context
 * @state:	our state, made on the first option
 * @name:	the syscall's name
 * @value:	errno name or number, or NULL for ENOSYS
 * Return: 0, -EINVAL for an unknown syscall or errno
 */
static int inject_option(struct facet *f, void **state, const char *name,
			 const char *value)
{
	struct inject *in = *state;
	int nr = facet_syscall_nr(name), err = value ? errno_parse(value) : ENOSYS;

	(void)f;
	if (nr < 0 || nr >= NR_MAX || !err)
		return -EINVAL;
	if (!in && !(in = *state = calloc(1, sizeof(*in))))
		return -ENOMEM;
	in->err[nr] = err;
	return 0;
}

/**
 * inject_init() - trap every syscall we were told about
 * @f:		supervisor context
 * @state:	our state
 * Return: 0, -EINVAL if no syscall was named
 */
static int inject_init(struct facet *f, void *state)
{
	struct inject *in = state;
	int nr;

	if (!in) {
		facet_error(f, "name at least one syscall: inject.so:mkdir=EROFS");
		return -EINVAL;
	}
	for (nr = 0; nr < NR_MAX; nr++)
		if (in->err[nr])
			facet_trap(f, nr);
	return 0;
}

/**
 * inject_syscall() - fail the call with its errno, without running it
 * @state:	our state
 * @call:	a call we trapped
 * Return: FACET_REPLY
 */
static enum facet_outcome inject_syscall(void *state, struct facet_call *call)
{
	struct inject *in = state;

	call->error = in->err[call->nr];
	return FACET_REPLY;
}

const struct facet_module facet_module = {
	.abi = FACET_MODULE_ABI,
	.size = sizeof(struct facet_module),
	.name = "inject",
	.summary = "make chosen syscalls fail with a chosen errno",
	.option = inject_option,
	.init = inject_init,
	.fini = free,
	.syscall = inject_syscall,
};
