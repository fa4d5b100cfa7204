// SPDX-License-Identifier: GPL-2.0-or-later
/* fuse_reply.c - reading what a FUSE daemon answers
 *
 * DOC: Theory of Operation
 *
 * A daemon is a program the user runs on an image anyone may have made:
 * every byte of its answers is untrusted input to the supervisor.  The
 * functions here read the answers whose layout the daemon chooses (entry
 * replies of a length the protocol's minor version sets, directory
 * listings of variable-length records) and depend on nothing else, so
 * tests/fuzz/ feeds them arbitrary bytes.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "fuse_client.h"

/**
 * fusec_valid_ms() - a validity the daemon gave, in milliseconds
 * @sec:	seconds
 * @nsec:	and nanoseconds
 * Return: milliseconds, or FUSEC_FOREVER for a month or more
 */
uint64_t fusec_valid_ms(uint64_t sec, uint32_t nsec)
{
	if (sec >= 30 * 86400)
		return FUSEC_FOREVER;
	return sec * 1000 + nsec / 1000000;
}

/**
 * fusec_entry_valid() - for how long an entry may be trusted: the shorter
 *			 of its name's and its attributes' validity
 * @out:	LOOKUP's (or READDIRPLUS's, MKDIR's...) answer
 * Return: milliseconds, or FUSEC_FOREVER
 */
uint64_t fusec_entry_valid(const struct fuse_entry_out *out)
{
	uint64_t e = fusec_valid_ms(out->entry_valid, out->entry_valid_nsec);
	uint64_t a = fusec_valid_ms(out->attr_valid, out->attr_valid_nsec);

	return e < a ? e : a;
}

/**
 * fusec_entry_parse() - an entry reply (LOOKUP, MKDIR, CREATE, ...)
 * @buf:	the reply's payload
 * @n:		its length, or -errno
 * @e:		result
 * Return: 0, -ENOENT for a negative entry, -EIO for one too short, or @n
 */
int fusec_entry_parse(const struct fuse_entry_out *buf, int n,
		      struct fusec_entry *e)
{
	if (n < 0)
		return n;
	if (n < FUSE_COMPAT_ENTRY_OUT_SIZE)
		return -EIO;
	if (!buf->nodeid)
		return -ENOENT;
	e->nodeid = buf->nodeid;
	e->valid_ms = fusec_entry_valid(buf);
	memset(&e->attr, 0, sizeof(e->attr));
	memcpy(&e->attr, &buf->attr,
	       (size_t)n >= sizeof(*buf) ? sizeof(e->attr)
	       : FUSE_COMPAT_ENTRY_OUT_SIZE - offsetof(struct fuse_entry_out, attr));
	return 0;
}

/**
 * fusec_dirents() - the entries of a READDIR or READDIRPLUS reply
 * @buf:	the reply's payload, 8-byte aligned
 * @n:		its length
 * @plus:	READDIRPLUS (each name comes with its entry)
 * @each:	called for each whole entry, in order, with its name (not
 *		NUL-terminated, 1 to NAME_MAX bytes, inside @buf) and, for
 *		READDIRPLUS, its entry; a non-zero answer stops
 * @arg:	for @each
 * @next:	set to the offset the last entry gave (where the next
 *		READDIR starts); unchanged if there is none
 *
 * A record that does not fit in @n, or names nothing or more than NAME_MAX
 * bytes, ends the list: the daemon is broken, the entries before it stand.
 *
 * Return: the bytes of the entries read (0: none), or @each's negative
 * answer
 */
int fusec_dirents(const char *buf, int n, bool plus,
		  int (*each)(void *arg, const char *name, size_t namelen,
			      const struct fuse_entry_out *e),
		  void *arg, uint64_t *next)
{
	size_t head = plus ? FUSE_NAME_OFFSET_DIRENTPLUS : FUSE_NAME_OFFSET;
	size_t off = 0, size;
	int r = 0;

	while (n > 0 && off + head <= (size_t)n && !r) {
		const struct fuse_direntplus *dp = (const void *)(buf + off);
		const struct fuse_dirent *de = plus ? &dp->dirent : (const void *)dp;

		if (!de->namelen || de->namelen > NAME_MAX)
			break;
		size = plus ? FUSE_DIRENTPLUS_SIZE(dp) : FUSE_DIRENT_SIZE(de);
		if (off + size > (size_t)n)
			break;
		off += size;
		*next = de->off;
		r = each(arg, de->name, de->namelen, plus ? &dp->entry_out : NULL);
	}
	return r < 0 ? r : (int)off;
}
