// SPDX-License-Identifier: GPL-2.0-or-later
/* strbuf.h - growable strings */
#ifndef STRBUF_H
#define STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
void sb_putc(struct strbuf *sb, char c);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putn(struct strbuf *sb, const char *s, size_t n);
void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_reverse(struct strbuf *sb, size_t from);
void sb_trim(struct strbuf *sb);
char *sb_detach(struct strbuf *sb);
int sb_cmp(const struct strbuf *a, const struct strbuf *b);
size_t sb_replace(struct strbuf *sb, const char *from, const char *to);

#endif /* STRBUF_H */
