// SPDX-License-Identifier: GPL-2.0-or-later
/* strbuf.c - growable, always NUL-terminated strings */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/**
 * sb_grow() - make room for @extra more bytes plus the terminator
 * @sb:		buffer
 * @extra:	bytes needed
 */
static void sb_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->cap)
		return;
	while (sb->cap < need)
		sb->cap = sb->cap ? sb->cap * 2 : 16;
	sb->buf = realloc(sb->buf, sb->cap);
	if (!sb->buf) {
		perror("realloc");
		exit(1);
	}
}

/**
 * sb_init() - set up an empty buffer
 * @sb:		buffer
 */
void sb_init(struct strbuf *sb)
{
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	sb_grow(sb, 0);
	sb->buf[0] = '\0';
}

/**
 * sb_free() - release a buffer's memory
 * @sb:		buffer
 */
void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

/**
 * sb_reset() - empty a buffer, keeping its memory
 * @sb:		buffer
 */
void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->buf[0] = '\0';
}

/**
 * sb_putc() - append one character
 * @sb:		buffer
 * @c:		character
 */
void sb_putc(struct strbuf *sb, char c)
{
	sb_grow(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

/**
 * sb_putn() - append @n bytes
 * @sb:		buffer
 * @s:		bytes
 * @n:		how many
 */
void sb_putn(struct strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

/**
 * sb_puts() - append a C string
 * @sb:		buffer
 * @s:		string
 */
void sb_puts(struct strbuf *sb, const char *s)
{
	sb_putn(sb, s, strlen(s));
}

/**
 * sb_vprintf() - append formatted text
 * @sb:		buffer
 * @fmt:	printf format
 * @ap:		arguments
 */
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	sb_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

/**
 * sb_printf() - append formatted text
 * @sb:		buffer
 * @fmt:	printf format
 */
void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

/**
 * sb_reverse() - reverse the bytes from @from to the end
 * @sb:		buffer
 * @from:	first byte to reverse
 */
void sb_reverse(struct strbuf *sb, size_t from)
{
	size_t i = from, j = sb->len;

	while (j > i + 1) {
		char t = sb->buf[i];

		sb->buf[i++] = sb->buf[--j];
		sb->buf[j] = t;
	}
}

/**
 * sb_trim() - remove leading and trailing white space
 * @sb:		buffer
 */
void sb_trim(struct strbuf *sb)
{
	size_t start = 0;

	while (sb->len && isspace((unsigned char)sb->buf[sb->len - 1]))
		sb->len--;
	while (start < sb->len && isspace((unsigned char)sb->buf[start]))
		start++;
	memmove(sb->buf, sb->buf + start, sb->len - start);
	sb->len -= start;
	sb->buf[sb->len] = '\0';
}

/**
 * sb_detach() - hand the string over to the caller
 * @sb:		buffer, left empty and reusable
 *
 * Return: the string, to be freed by the caller
 */
char *sb_detach(struct strbuf *sb)
{
	char *s = sb->buf;

	sb_init(sb);
	return s;
}

/**
 * sb_cmp() - compare two buffers byte by byte, shorter first on a tie
 * @a:		first
 * @b:		second
 *
 * Return: <0, 0 or >0 like memcmp()
 */
int sb_cmp(const struct strbuf *a, const struct strbuf *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int r = memcmp(a->buf, b->buf, n);

	if (r)
		return r;
	return (a->len > b->len) - (a->len < b->len);
}

/**
 * sb_replace() - replace every occurrence of @from with @to
 * @sb:		buffer
 * @from:	non-empty string to look for
 * @to:		replacement
 *
 * Return: the number of replacements
 */
size_t sb_replace(struct strbuf *sb, const char *from, const char *to)
{
	size_t flen = strlen(from), count = 0;
	struct strbuf out;
	const char *p, *hit;

	if (!flen)
		return 0;
	sb_init(&out);
	for (p = sb->buf; (hit = strstr(p, from)); p = hit + flen) {
		sb_putn(&out, p, (size_t)(hit - p));
		sb_puts(&out, to);
		count++;
	}
	sb_puts(&out, p);
	sb_free(sb);
	*sb = out;
	return count;
}
