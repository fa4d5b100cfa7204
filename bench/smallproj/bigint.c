// SPDX-License-Identifier: GPL-2.0-or-later
/* bigint.c - arbitrary precision integers in base 10^9
 *
 * Schoolbook addition, subtraction and multiplication on magnitudes, long
 * division by binary search on each quotient limb (simple and exact), and
 * sign handling on top. Results may alias operands: every operation works on
 * a temporary and moves it into place.
 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bigint.h"

/**
 * bi_reserve() - make room for @n limbs
 * @a:		number
 * @n:		limbs wanted
 */
static void bi_reserve(struct bigint *a, size_t n)
{
	if (n <= a->cap)
		return;
	a->cap = n < 4 ? 4 : n;
	a->limb = realloc(a->limb, a->cap * sizeof(*a->limb));
	if (!a->limb) {
		perror("realloc");
		exit(1);
	}
}

/**
 * bi_trim() - drop leading zero limbs; zero is never negative
 * @a:		number
 */
static void bi_trim(struct bigint *a)
{
	while (a->len && !a->limb[a->len - 1])
		a->len--;
	if (!a->len)
		a->neg = false;
}

/**
 * bi_move() - replace @dst by @src, leaving @src empty
 * @dst:	destination (freed first)
 * @src:	source
 */
static void bi_move(struct bigint *dst, struct bigint *src)
{
	bi_free(dst);
	*dst = *src;
	bi_init(src);
}

/**
 * bi_init() - set a number up as zero
 * @a:		number
 */
void bi_init(struct bigint *a)
{
	a->limb = NULL;
	a->len = a->cap = 0;
	a->neg = false;
}

/**
 * bi_free() - release a number's memory (it reads as zero afterwards)
 * @a:		number
 */
void bi_free(struct bigint *a)
{
	free(a->limb);
	bi_init(a);
}

/**
 * bi_set_long() - set from a machine integer
 * @a:		number
 * @v:		value
 */
void bi_set_long(struct bigint *a, long v)
{
	unsigned long m = v < 0 ? -(unsigned long)v : (unsigned long)v;

	a->len = 0;
	a->neg = v < 0;
	bi_reserve(a, 3);
	while (m) {
		a->limb[a->len++] = (uint32_t)(m % BI_BASE);
		m /= BI_BASE;
	}
	bi_trim(a);
}

/**
 * bi_set_str() - parse decimal digits
 * @a:		number
 * @s:		digits, optionally after one '-'
 * @n:		length of @s
 *
 * Return: 0, or -1 if @s holds no digits or something else
 */
int bi_set_str(struct bigint *a, const char *s, size_t n)
{
	bool neg = n && *s == '-';
	size_t i, end, start = neg;

	if (start >= n)
		return -1;
	for (i = start; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	a->len = 0;
	bi_reserve(a, (n - start) / 9 + 1);
	for (end = n; end > start; end = end >= start + 9 ? end - 9 : start) {
		size_t from = end >= start + 9 ? end - 9 : start;
		uint32_t limb = 0;

		for (i = from; i < end; i++)
			limb = limb * 10 + (uint32_t)(s[i] - '0');
		a->limb[a->len++] = limb;
		if (from == start)
			break;
	}
	a->neg = neg;
	bi_trim(a);
	return 0;
}

/**
 * bi_copy() - copy a number
 * @dst:	destination
 * @src:	source
 */
void bi_copy(struct bigint *dst, const struct bigint *src)
{
	if (dst == src)
		return;
	bi_reserve(dst, src->len);
	if (src->len)
		memcpy(dst->limb, src->limb, src->len * sizeof(*src->limb));
	dst->len = src->len;
	dst->neg = src->neg;
}

/**
 * bi_is_zero() - test for zero
 * @a:		number
 *
 * Return: true if @a is zero
 */
bool bi_is_zero(const struct bigint *a)
{
	return !a->len;
}

/**
 * bi_to_long() - convert to a machine integer
 * @a:		number
 * @out:	result
 *
 * Return: 0, or -1 if it does not fit
 */
int bi_to_long(const struct bigint *a, long *out)
{
	unsigned long m = 0, limit = a->neg ? (unsigned long)LONG_MAX + 1
					    : (unsigned long)LONG_MAX;
	size_t i;

	for (i = a->len; i-- > 0;) {
		if (m > (limit - a->limb[i]) / BI_BASE)
			return -1;
		m = m * BI_BASE + a->limb[i];
	}
	*out = a->neg ? (long)(0 - m) : (long)m;
	return 0;
}

/**
 * cmp_mag() - compare magnitudes
 * @a:		first
 * @b:		second
 *
 * Return: -1, 0 or 1
 */
static int cmp_mag(const struct bigint *a, const struct bigint *b)
{
	size_t i;

	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	for (i = a->len; i-- > 0;)
		if (a->limb[i] != b->limb[i])
			return a->limb[i] < b->limb[i] ? -1 : 1;
	return 0;
}

/**
 * bi_cmp() - compare two numbers
 * @a:		first
 * @b:		second
 *
 * Return: -1, 0 or 1
 */
int bi_cmp(const struct bigint *a, const struct bigint *b)
{
	if (a->neg != b->neg)
		return a->neg ? -1 : 1;
	return a->neg ? -cmp_mag(a, b) : cmp_mag(a, b);
}

/**
 * add_mag() - @r = |a| + |b|
 * @r:		result, may be @a (limbs are read before they are written)
 * @a:		first
 * @b:		second
 */
static void add_mag(struct bigint *r, const struct bigint *a,
		    const struct bigint *b)
{
	size_t i, n = a->len > b->len ? a->len : b->len;
	uint32_t carry = 0;

	bi_reserve(r, n + 1);
	for (i = 0; i < n; i++) {
		uint32_t s = carry;

		s += i < a->len ? a->limb[i] : 0;
		s += i < b->len ? b->limb[i] : 0;
		carry = s >= BI_BASE;
		r->limb[i] = carry ? s - BI_BASE : s;
	}
	r->limb[n] = carry;
	r->len = n + 1;
	bi_trim(r);
}

/**
 * sub_mag() - @r = |a| - |b|, where |a| >= |b|
 * @r:		result, may be @a (limbs are read before they are written)
 * @a:		larger
 * @b:		smaller
 */
static void sub_mag(struct bigint *r, const struct bigint *a,
		    const struct bigint *b)
{
	size_t i;
	int64_t borrow = 0;

	bi_reserve(r, a->len);
	for (i = 0; i < a->len; i++) {
		int64_t d = (int64_t)a->limb[i] - borrow -
			    (i < b->len ? b->limb[i] : 0);

		borrow = d < 0;
		r->limb[i] = (uint32_t)(d < 0 ? d + BI_BASE : d);
	}
	r->len = a->len;
	bi_trim(r);
}

/**
 * add_signed() - @r = a + (bneg ? -|b| : |b|)
 * @r:		result, may alias
 * @a:		first
 * @b:		second
 * @bneg:	sign to give @b
 */
static void add_signed(struct bigint *r, const struct bigint *a,
		       const struct bigint *b, bool bneg)
{
	struct bigint t;

	bi_init(&t);
	if (a->neg == bneg) {
		add_mag(&t, a, b);
		t.neg = a->neg;
	} else if (cmp_mag(a, b) >= 0) {
		sub_mag(&t, a, b);
		t.neg = a->neg;
	} else {
		sub_mag(&t, b, a);
		t.neg = bneg;
	}
	bi_trim(&t);
	bi_move(r, &t);
}

/**
 * bi_add() - @r = @a + @b
 * @r:		result, may alias
 * @a:		first
 * @b:		second
 */
void bi_add(struct bigint *r, const struct bigint *a, const struct bigint *b)
{
	add_signed(r, a, b, b->neg);
}

/**
 * bi_sub() - @r = @a - @b
 * @r:		result, may alias
 * @a:		first
 * @b:		second
 */
void bi_sub(struct bigint *r, const struct bigint *a, const struct bigint *b)
{
	add_signed(r, a, b, !b->neg);
}

/**
 * bi_mul() - @r = @a * @b (schoolbook)
 * @r:		result, may alias
 * @a:		first
 * @b:		second
 */
void bi_mul(struct bigint *r, const struct bigint *a, const struct bigint *b)
{
	struct bigint t;
	size_t i, j;

	bi_init(&t);
	bi_reserve(&t, a->len + b->len + 1);
	memset(t.limb, 0, (a->len + b->len + 1) * sizeof(*t.limb));
	for (i = 0; i < a->len; i++) {
		uint64_t carry = 0;

		for (j = 0; j < b->len; j++) {
			uint64_t cur = t.limb[i + j] + carry +
				       (uint64_t)a->limb[i] * b->limb[j];

			t.limb[i + j] = (uint32_t)(cur % BI_BASE);
			carry = cur / BI_BASE;
		}
		for (j = i + b->len; carry; j++) {
			uint64_t cur = t.limb[j] + carry;

			t.limb[j] = (uint32_t)(cur % BI_BASE);
			carry = cur / BI_BASE;
		}
	}
	t.len = a->len + b->len + 1;
	t.neg = a->neg != b->neg;
	bi_trim(&t);
	bi_move(r, &t);
}

/**
 * mul_small() - @r = |a| * @k
 * @r:		result, not aliasing @a
 * @a:		number
 * @k:		factor below BI_BASE
 */
static void mul_small(struct bigint *r, const struct bigint *a, uint32_t k)
{
	uint64_t carry = 0;
	size_t i;

	bi_reserve(r, a->len + 1);
	for (i = 0; i < a->len; i++) {
		uint64_t cur = (uint64_t)a->limb[i] * k + carry;

		r->limb[i] = (uint32_t)(cur % BI_BASE);
		carry = cur / BI_BASE;
	}
	r->limb[a->len] = (uint32_t)carry;
	r->len = a->len + 1;
	r->neg = false;
	bi_trim(r);
}

/**
 * shift_in() - @rem = @rem * BI_BASE + @limb
 * @rem:	running remainder (non-negative)
 * @limb:	next limb
 */
static void shift_in(struct bigint *rem, uint32_t limb)
{
	bi_reserve(rem, rem->len + 1);
	memmove(rem->limb + 1, rem->limb, rem->len * sizeof(*rem->limb));
	rem->limb[0] = limb;
	rem->len++;
	bi_trim(rem);
}

/**
 * quotient_limb() - largest q with |b| * q <= @rem, by binary search
 * @rem:	running remainder
 * @b:		divisor
 * @tmp:	scratch
 *
 * Return: q, below BI_BASE
 */
static uint32_t quotient_limb(const struct bigint *rem, const struct bigint *b,
			      struct bigint *tmp)
{
	uint32_t lo = 0, hi = BI_BASE - 1;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo + 1) / 2;

		mul_small(tmp, b, mid);
		if (cmp_mag(tmp, rem) <= 0)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/**
 * bi_divmod() - truncating division: @a = @q * @b + @m, |m| < |b|
 * @q:		quotient, or NULL
 * @m:		remainder (sign of @a), or NULL
 * @a:		dividend
 * @b:		divisor
 *
 * Return: 0, or -1 on division by zero
 */
int bi_divmod(struct bigint *q, struct bigint *m, const struct bigint *a,
	      const struct bigint *b)
{
	struct bigint quo, rem, tmp, bmag = *b;
	size_t i;

	if (bi_is_zero(b))
		return -1;
	bmag.neg = false;
	bi_init(&quo);
	bi_init(&rem);
	bi_init(&tmp);
	bi_reserve(&quo, a->len);
	quo.len = a->len;
	for (i = a->len; i-- > 0;) {
		uint32_t d;

		shift_in(&rem, a->limb[i]);
		d = quotient_limb(&rem, &bmag, &tmp);
		mul_small(&tmp, &bmag, d);
		sub_mag(&rem, &rem, &tmp);
		quo.limb[i] = d;
	}
	quo.neg = a->neg != b->neg;
	rem.neg = a->neg;
	bi_trim(&quo);
	bi_trim(&rem);
	if (q)
		bi_move(q, &quo);
	if (m)
		bi_move(m, &rem);
	bi_free(&quo);
	bi_free(&rem);
	bi_free(&tmp);
	return 0;
}

/**
 * bi_pow() - @r = @a ** @e by square-and-multiply
 * @r:		result, may alias
 * @a:		base
 * @e:		exponent
 *
 * Return: 0, or -1 if the result would be unreasonably large
 */
int bi_pow(struct bigint *r, const struct bigint *a, unsigned long e)
{
	struct bigint base, acc;

	bool unit = a->len <= 1 && (!a->len || a->limb[0] == 1);

	/* keep results below about 100k digits: 0 and +-1 never grow */
	if (!unit && e > 100000 / (9 * a->len))
		return -1;
	bi_init(&base);
	bi_init(&acc);
	bi_copy(&base, a);
	bi_set_long(&acc, 1);
	while (e) {
		if (e & 1)
			bi_mul(&acc, &acc, &base);
		e >>= 1;
		if (e)
			bi_mul(&base, &base, &base);
	}
	bi_move(r, &acc);
	bi_free(&base);
	return 0;
}

/**
 * bi_gcd() - @r = gcd(|a|, |b|) by Euclid's algorithm
 * @r:		result, may alias
 * @a:		first
 * @b:		second
 */
void bi_gcd(struct bigint *r, const struct bigint *a, const struct bigint *b)
{
	struct bigint x, y, m;

	bi_init(&x);
	bi_init(&y);
	bi_init(&m);
	bi_copy(&x, a);
	bi_copy(&y, b);
	x.neg = y.neg = false;
	while (!bi_is_zero(&y)) {
		bi_divmod(NULL, &m, &x, &y);
		bi_move(&x, &y);
		bi_move(&y, &m);
	}
	bi_move(r, &x);
	bi_free(&y);
}

/**
 * bi_format() - append the decimal form of @a
 * @sb:		buffer
 * @a:		number
 */
void bi_format(struct strbuf *sb, const struct bigint *a)
{
	size_t i;

	if (!a->len) {
		sb_putc(sb, '0');
		return;
	}
	if (a->neg)
		sb_putc(sb, '-');
	sb_printf(sb, "%u", a->limb[a->len - 1]);
	for (i = a->len - 1; i-- > 0;)
		sb_printf(sb, "%09u", a->limb[i]);
}
