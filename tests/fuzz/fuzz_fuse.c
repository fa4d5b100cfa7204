// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_fuse.c - the FUSE reply parsers (modules/fuse_reply.c) on arbitrary
 * daemon answers: directory listings (READDIR and READDIRPLUS) and entry
 * replies of any length
 *
 * Every name handed out must lie inside the reply and be 1 to NAME_MAX
 * bytes; the bytes read never pass the reply's end (AddressSanitizer
 * watches a buffer of exactly that size).
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuse_client.h"

struct span {
	const char *start;
	size_t len;
	unsigned int entries;
};

static int each(void *arg, const char *name, size_t namelen,
		const struct fuse_entry_out *e)
{
	struct span *s = arg;

	if (!namelen || namelen > NAME_MAX || name < s->start ||
	    name + namelen > s->start + s->len)
		abort();
	if (e && ((const char *)e < s->start ||
		  (const char *)(e + 1) > s->start + s->len))
		abort();
	s->entries++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fusec_entry fe;
	struct span s;
	uint64_t next = 0;
	char *buf;
	int n;

	if (size > 1 << 20)
		return 0;
	/* the supervisor's reply buffers are malloc'ed: 8-byte aligned */
	if (!(buf = malloc(size ? size : 1)))
		return 0;
	memcpy(buf, data, size);
	s = (struct span){ buf, size, 0 };
	n = fusec_dirents(buf, (int)size, false, each, &s, &next);
	if (n < 0 || (size_t)n > size)
		abort();
	s.entries = 0;
	n = fusec_dirents(buf, (int)size, true, each, &s, &next);
	if (n < 0 || (size_t)n > size)
		abort();
	free(buf);
	/* an entry reply: the payload is read into a struct fuse_entry_out,
	 * the length the daemon sent telling how much of it is there */
	{
		struct fuse_entry_out out;

		memset(&out, 0, sizeof(out));
		memcpy(&out, data, size < sizeof(out) ? size : sizeof(out));
		n = fusec_entry_parse(&out, (int)(size < sizeof(out) ? size : sizeof(out)), &fe);
		if (n == 0 && !fe.nodeid)
			abort();
	}
	return 0;
}
