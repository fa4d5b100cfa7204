// SPDX-License-Identifier: GPL-2.0-or-later
/* decode.c - the argument decoders of --trace: a syscall's raw argument
 * values as text (numbers, flag words, signal names, quoted guest
 * strings) and its result as "-1 ENAME (message)"
 *
 * Pure functions of a value and a buffer size (and, for strings, guest
 * memory, read for display only), kept apart from trace.c so that
 * tests/fuzz/ can feed them anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "mem.h"

#define TRACE_STR 96	/* strings longer than this are cut, with "..." */

struct flag_name { uint64_t bit; const char *name; };

static const struct flag_name open_flags[] = {
	{ O_WRONLY, "O_WRONLY" }, { O_RDWR, "O_RDWR" }, { O_CREAT, "O_CREAT" },
	{ O_EXCL, "O_EXCL" }, { O_NOCTTY, "O_NOCTTY" }, { O_TRUNC, "O_TRUNC" },
	{ O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" },
	{ O_DSYNC, "O_DSYNC" }, { O_ASYNC, "O_ASYNC" }, { O_DIRECT, "O_DIRECT" },
	{ 0100000, "O_LARGEFILE" }, { O_TMPFILE, "O_TMPFILE" },
	{ O_DIRECTORY, "O_DIRECTORY" },
	{ O_NOFOLLOW, "O_NOFOLLOW" }, { O_NOATIME, "O_NOATIME" },
	{ O_CLOEXEC, "O_CLOEXEC" }, { O_SYNC & ~O_DSYNC, "__O_SYNC" },
	{ O_PATH, "O_PATH" }, { 0, NULL },
};

static const struct flag_name at_flags[] = {
	{ AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW" },
	{ AT_REMOVEDIR, "AT_REMOVEDIR" }, { AT_SYMLINK_FOLLOW, "AT_SYMLINK_FOLLOW" },
	{ AT_NO_AUTOMOUNT, "AT_NO_AUTOMOUNT" }, { AT_EMPTY_PATH, "AT_EMPTY_PATH" },
	{ AT_STATX_FORCE_SYNC, "AT_STATX_FORCE_SYNC" },
	{ AT_STATX_DONT_SYNC, "AT_STATX_DONT_SYNC" }, { 0, NULL },
};

static const struct flag_name clone_flags[] = {
	{ CLONE_VM, "CLONE_VM" }, { CLONE_FS, "CLONE_FS" },
	{ CLONE_FILES, "CLONE_FILES" }, { CLONE_SIGHAND, "CLONE_SIGHAND" },
	{ CLONE_PIDFD, "CLONE_PIDFD" }, { CLONE_PTRACE, "CLONE_PTRACE" },
	{ CLONE_VFORK, "CLONE_VFORK" }, { CLONE_PARENT, "CLONE_PARENT" },
	{ CLONE_THREAD, "CLONE_THREAD" }, { CLONE_NEWNS, "CLONE_NEWNS" },
	{ CLONE_SYSVSEM, "CLONE_SYSVSEM" }, { CLONE_SETTLS, "CLONE_SETTLS" },
	{ CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID" },
	{ CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID" },
	{ CLONE_UNTRACED, "CLONE_UNTRACED" },
	{ CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID" },
	{ CLONE_NEWUSER, "CLONE_NEWUSER" }, { CLONE_NEWPID, "CLONE_NEWPID" },
	{ CLONE_NEWNET, "CLONE_NEWNET" }, { CLONE_IO, "CLONE_IO" }, { 0, NULL },
};

/**
 * decode_flags() - write a flag word as "A|B|0x..."
 * @buf:	output
 * @size:	room in @buf
 * @v:		the value
 * @kind:	'o' open flags, 'a' AT_ flags, 'c' clone flags
 * Return: bytes written (as snprintf, capped at @size - 1)
 */
size_t decode_flags(char *buf, size_t size, uint64_t v, char kind)
{
	const struct flag_name *t = kind == 'o' ? open_flags :
				    kind == 'a' ? at_flags : clone_flags;
	size_t len = 0;

	if (kind == 'o') {
		if (!(v & O_ACCMODE))
			len += (size_t)snprintf(buf, size, "O_RDONLY");
	} else if (kind == 'c' && (v & 0xff)) {
		len += (size_t)snprintf(buf, size, "SIG%s", sigabbrev_np((int)(v & 0xff)) ?: "?");
		v &= ~0xffull;
	}
	for (; t->name; t++) {
		if ((v & t->bit) != t->bit || len >= size)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					len ? "|" : "", t->name);
		v &= ~t->bit;
	}
	if ((v || !len) && len < size)
		len += (size_t)snprintf(buf + len, size - len, "%s%#" PRIx64,
					len ? "|" : "", v);
	return len < size ? len : size - 1;
}

/**
 * decode_string() - quote a guest string, escaping what is not printable
 * @buf:	output
 * @size:	room in @buf
 * @addr:	guest address
 * @tid:	guest thread
 * Return: bytes written
 */
static size_t decode_string(char *buf, size_t size, uint64_t addr, pid_t tid)
{
	char s[TRACE_STR + 1];
	size_t len = 0, i;
	int n = 0;

	if (size < 2) {		/* not even the opening quote and a NUL */
		if (size)
			buf[0] = 0;
		return 0;
	}
	if (!addr)
		len = (size_t)snprintf(buf, size, "NULL");
	else if ((n = mem_read_string(tid, addr, s, sizeof(s))) < 0 && n != -ENAMETOOLONG)
		len = (size_t)snprintf(buf, size, "%#" PRIx64, addr);
	if (len)
		return len < size ? len : size - 1;
	if (n < 0)
		n = TRACE_STR;
	buf[len++] = '"';
	for (i = 0; i < (size_t)n && len + 5 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			len += (size_t)snprintf(buf + len, size - len, "\\%c", c);
		else if (c < 32 || c > 126)
			len += (size_t)snprintf(buf + len, size - len, "\\x%02x", c);
		else
			buf[len++] = (char)c;
	}
	len += (size_t)snprintf(buf + len, size - len, "\"%s",
				n == TRACE_STR ? "..." : "");
	return len < size ? len : size - 1;
}

/**
 * decode_arg() - write one argument as text
 * @buf:	output
 * @size:	room in @buf
 * @kind:	letter from syscalls.list
 * @v:		raw value
 * @tid:	guest thread, for strings
 * Return: bytes written
 */
size_t decode_arg(char *buf, size_t size, char kind, uint64_t v, pid_t tid)
{
	size_t n;

	switch (kind) {
	case 'p': case 's':
		return decode_string(buf, size, v, tid);
	case 'd':
		if ((int)v == AT_FDCWD) {
			n = (size_t)snprintf(buf, size, "AT_FDCWD");
			break;
		}
		/* fallthrough */
	case 'f': case 'i':
		n = (size_t)snprintf(buf, size, "%d", (int)v);
		break;
	case 'u': case 'k':
		n = (size_t)snprintf(buf, size, "%" PRIu64, v);
		break;
	case 'm':
		n = (size_t)snprintf(buf, size, "0%" PRIo64, v);
		break;
	case 'g':
		n = (size_t)snprintf(buf, size, "%s%s", v ? "SIG" : "0",
				     v ? sigabbrev_np((int)v) ?: "?" : "");
		break;
	case 'o': case 'a': case 'c':
		return decode_flags(buf, size, v, kind);
	default:
		n = (size_t)snprintf(buf, size, "%#" PRIx64, v);
	}
	return n < size ? n : size - 1;
}

/**
 * decode_result() - write a result: a number, or "-1 ENAME (text)"
 * @buf:	output
 * @size:	room in @buf
 * @ret:	value when @error is 0
 * @error:	positive errno, or 0
 * Return: bytes written
 */
size_t decode_result(char *buf, size_t size, int64_t ret, int error)
{
	const char *name = error == 512 ? "ERESTARTSYS" : strerrorname_np(error);
	size_t n;

	if (!error)
		n = (size_t)snprintf(buf, size, "%" PRId64, ret);
	else
		n = (size_t)snprintf(buf, size, "-1 %s (%s)", name ? name : "E?",
				     error == 512 ? "interrupted by a signal" :
				     strerror(error));
	return n < size ? n : size - 1;
}
