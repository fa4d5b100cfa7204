// SPDX-License-Identifier: GPL-2.0-or-later
/* bigint.h - arbitrary precision signed integers */
#ifndef BIGINT_H
#define BIGINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* magnitude in base 10^9 limbs, least significant first; zero has len 0 */
struct bigint {
	uint32_t *limb;
	size_t len;
	size_t cap;
	bool neg;
};

#define BI_BASE 1000000000U

void bi_init(struct bigint *a);
void bi_free(struct bigint *a);
void bi_set_long(struct bigint *a, long v);
int bi_set_str(struct bigint *a, const char *s, size_t n);
void bi_copy(struct bigint *dst, const struct bigint *src);
bool bi_is_zero(const struct bigint *a);
int bi_to_long(const struct bigint *a, long *out);
int bi_cmp(const struct bigint *a, const struct bigint *b);
void bi_add(struct bigint *r, const struct bigint *a, const struct bigint *b);
void bi_sub(struct bigint *r, const struct bigint *a, const struct bigint *b);
void bi_mul(struct bigint *r, const struct bigint *a, const struct bigint *b);
int bi_divmod(struct bigint *q, struct bigint *m, const struct bigint *a,
	      const struct bigint *b);
int bi_pow(struct bigint *r, const struct bigint *a, unsigned long e);
void bi_gcd(struct bigint *r, const struct bigint *a, const struct bigint *b);
void bi_format(struct strbuf *sb, const struct bigint *a);

#endif /* BIGINT_H */
