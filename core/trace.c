// SPDX-License-Identifier: GPL-2.0-or-later
/* trace.c - --trace: one line per trapped call, arguments decoded
 *
 * A line reads
 *
 *	[TID] name(arg, ...) = RESULT <ANSWERED BY>
 *
 * with paths and strings quoted, flags as text, the result as a number or
 * "-1 ENAME (message)", and the answering module, or "kernel" for calls the
 * supervisor let the kernel run (their result is the kernel's to know, shown
 * as "?").  Guest memory is read for display only, before the reply, and
 * nothing is decided on it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "dispatch.h"
#include "mem.h"
#include "decode.h"
#include "trace.h"

/**
 * trace_args() - write "name(arg, ...)"
 * @buf:	output
 * @size:	room in @buf
 * @nr:		syscall number
 * @args:	raw arguments
 * @tid:	guest thread
 * Return: bytes written
 */
static size_t trace_args(char *buf, size_t size, int nr, const uint64_t *args,
			 pid_t tid)
{
	const char *kinds = "xxxxxx", *name = NULL;
	size_t len;
	int i;

	if (nr >= 0 && nr < SYS_NR_MAX && sys_table[nr].name) {
		name = sys_table[nr].name;
		kinds = sys_table[nr].args;
	}
	len = name ? (size_t)snprintf(buf, size, "%s(", name)
		   : (size_t)snprintf(buf, size, "syscall_%d(", nr);
	for (i = 0; i < 6 && kinds[i] && len + 8 < size; i++) {
		if (i)
			len += (size_t)snprintf(buf + len, size - len, ", ");
		len += decode_arg(buf + len, size - len, kinds[i], args[i], tid);
	}
	len += (size_t)snprintf(buf + len, size - len, ")");
	return len < size ? len : size - 1;
}

/**
 * trace_call() - print the line of a trapped call, before its reply
 * @f:	supervisor context
 * @n:	the call, answered
 * @o:	outcome
 */
void trace_call(struct facet *f, const struct notif *n, enum facet_outcome o)
{
	char line[1024], res[128];

	trace_args(line, sizeof(line), n->call.nr, n->call.args, n->call.tid);
	if (o == FACET_REPLY)
		decode_result(res, sizeof(res), n->call.ret, n->call.error);
	else
		snprintf(res, sizeof(res), "?");
	fprintf(f->trace, "[%d] %s = %s <%s>\n", n->call.tid, line, res,
		o == FACET_REPLY && n->by ? n->by : "kernel");
	fflush(f->trace);
}
