// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz_trace.c - --trace's argument decoders (core/decode.c) on arbitrary
 * values and buffer sizes: the output stays inside the buffer, is
 * NUL-terminated and as long as they say
 *
 * Input: a size byte, a kind letter, 8 bytes of value, an errno byte,
 * then a string the 'p' kind reads from this process's own memory.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char kinds[] = "ifudpsomagckwx";
	char str[256], *buf;
	size_t room, n;
	uint64_t v;
	char kind;
	int err;

	if (size < 11)
		return 0;
	room = (size_t)data[0] % 200 + 1;
	kind = kinds[data[1] % (sizeof(kinds) - 1)];
	memcpy(&v, data + 2, sizeof(v));
	err = data[10];
	n = size - 11 < sizeof(str) - 1 ? size - 11 : sizeof(str) - 1;
	memcpy(str, data + 11, n);
	str[n] = 0;
	if (kind == 'p' || kind == 's')
		v = (uint64_t)(uintptr_t)str;
	buf = malloc(room);	/* exactly @room: ASan sees a byte past it */
	n = decode_arg(buf, room, kind, v, getpid());
	if (n >= room || buf[n] || strlen(buf) != n)
		abort();
	n = decode_result(buf, room, (int64_t)v, err);
	if (n >= room || strlen(buf) != n)
		abort();
	n = decode_flags(buf, room, v, "oac"[data[1] % 3]);
	if (n >= room || strlen(buf) != n)
		abort();
	free(buf);
	return 0;
}
