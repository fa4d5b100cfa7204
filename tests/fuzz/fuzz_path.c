// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_path.c - the view's path arithmetic (modules/files_view.c) on
 * arbitrary paths: path_normalize(), path_under(), path_join()
 *
 * A normalized path is absolute, has no empty, "." or ".." component and
 * no trailing slash (but "/"), and normalizing it again changes nothing;
 * path_under() of a path and its own prefix finds the rest inside it.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "files_internal.h"

static void check_normal(const char *p)
{
	char again[PATH_MAX];
	size_t l = strlen(p);

	if (p[0] != '/' || strstr(p, "//") || strstr(p, "/./") || strstr(p, "/../"))
		abort();
	if (l > 1 && (p[l - 1] == '/' || !strcmp(p + l - 2, "/.") ||
		      (l > 2 && !strcmp(p + l - 3, "/.."))))
		abort();
	if (path_normalize(p, again, sizeof(again)) < 0 || strcmp(p, again))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[PATH_MAX + 64], out[PATH_MAX], joined[PATH_MAX];
	const char *rest, *cut;
	size_t n = size < sizeof(in) - 1 ? size : sizeof(in) - 1, pl;

	memcpy(in, data, n);
	in[n] = 0;
	if (path_normalize(in, out, sizeof(out)) == 0 && in[0] == '/') {
		check_normal(out);
		/* every prefix ending at a component boundary holds it */
		for (pl = 1; pl <= strlen(out); pl++) {
			if (out[pl] && out[pl] != '/')
				continue;
			rest = path_under(out, out, pl);
			if (!rest || rest < out || rest > out + strlen(out))
				abort();
		}
	}
	/* join the input's two halves, as a directory and a name */
	cut = memchr(in, '\n', n);
	if (cut) {
		in[cut - in] = 0;
		if (path_join(joined, sizeof(joined), in, cut + 1) == 0 &&
		    strlen(joined) >= sizeof(joined))
			abort();
	}
	return 0;
}
