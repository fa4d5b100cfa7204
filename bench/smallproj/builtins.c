// SPDX-License-Identifier: GPL-2.0-or-later
/* builtins.c - the calculator's built-in functions
 *
 * A table of {name, arity range, handler}; handlers get evaluated arguments.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "rbtree.h"

struct builtin {
	const char *name;
	size_t min_args, max_args;	/* max 0: any number */
	const char *help;
	int (*fn)(struct env *e, const struct node *call, struct bigint *a,
		  size_t n, struct bigint *out);
};

/**
 * berr() - record an error for a builtin call
 * @e:		environment
 * @call:	call node
 * @msg:	message
 *
 * Return: -1
 */
static int berr(struct env *e, const struct node *call, const char *msg)
{
	if (!e->err.len)
		sb_printf(&e->err, "pos %zu: %s: %s", call->pos + 1,
			  call->name, msg);
	return -1;
}

/**
 * small_arg() - an argument as a long within [lo, hi]
 * @a:		argument
 * @lo:		minimum
 * @hi:		maximum
 * @v:		result
 *
 * Return: 0, or -1 if out of range
 */
static int small_arg(const struct bigint *a, long lo, long hi, long *v)
{
	return bi_to_long(a, v) || *v < lo || *v > hi ? -1 : 0;
}

/**
 * b_abs() - absolute value
 * @e:		environment
 * @call:	call node
 * @a:		arguments
 * @n:		their number
 * @out:	result
 *
 * Return: 0
 */
static int b_abs(struct env *e, const struct node *call, struct bigint *a,
		 size_t n, struct bigint *out)
{
	(void)e, (void)call, (void)n;
	bi_copy(out, &a[0]);
	out->neg = false;
	return 0;
}

/**
 * b_gcd() - greatest common divisor of all arguments
 * @e:		environment
 * @call:	call node
 * @a:		arguments
 * @n:		their number
 * @out:	result
 *
 * Return: 0
 */
static int b_gcd(struct env *e, const struct node *call, struct bigint *a,
		 size_t n, struct bigint *out)
{
	size_t i;

	(void)e, (void)call;
	bi_copy(out, &a[0]);
	out->neg = false;
	for (i = 1; i < n; i++)
		bi_gcd(out, out, &a[i]);
	return 0;
}

/**
 * b_lcm() - least common multiple of all arguments
 * @e:		environment
 * @call:	call node
 * @a:		arguments
 * @n:		their number
 * @out:	result
 *
 * Return: 0
 */
static int b_lcm(struct env *e, const struct node *call, struct bigint *a,
		 size_t n, struct bigint *out)
{
	struct bigint g;
	size_t i;

	(void)e, (void)call;
	bi_init(&g);
	bi_copy(out, &a[0]);
	out->neg = false;
	for (i = 1; i < n && !bi_is_zero(out); i++) {
		bi_gcd(&g, out, &a[i]);
		if (bi_is_zero(&g))
			continue;
		bi_divmod(out, NULL, out, &g);
		bi_mul(out, out, &a[i]);
		out->neg = false;
	}
	bi_free(&g);
	return 0;
}

/**
 * b_fact() - factorial
 * @e:		environment
 * @call:	call node
 * @a:		arguments
 * @n:		their number
 * @out:	result
 *
 * Return: 0, or -1 if the argument is negative or too large
 */
static int b_fact(struct env *e, const struct node *call, struct bigint *a,
		  size_t n, struct bigint *out)
{
	struct bigint k;
	long v, i;

	(void)n;
	if (small_arg(&a[0], 0, 5000, &v))
		return berr(e, call, "argument must be in 0..5000");
	bi_init(&k);
	bi_set_long(out, 1);
	for (i = 2; i <= v; i++) {
		bi_set_long(&k, i);
		bi_mul(out, out, &k);
	}
	bi_free(&k);
	return 0;
}

/**
 * b_fib() - Fibonacci numbers, fib(0) = 0
 * @e:		environment
 * @call:	call node
 * @a:		arguments
 * @n:		their number
 * @out:	result
 *
 * Return: 0, or -1 if the argument is negative or too large
 */
static int b_fib(struct env *e, const struct node *call, struct bigint *a,
		 size_t n, struct bigint *out)
{
	struct bigint x, y, t;
	long v, i;

	(void)n;
	if (small_arg(&a[0], 0, 20000, &v))
		return berr(e, call, "argument must be in 0..20000");
	bi_init(&x);
	bi_init(&y);
	bi_set_long(&y, 1);
	for (i = 0; i < v; i++) {
		bi_add(&x, &x, &y);	/* (x, y) = (y, x + y) */
		t = x;
		x = y;
		y = t;
	}
	bi_copy(out, &x);
	bi_free(&x);
	bi_free(&y);
	return 0;
}

/**
 * b_minmax() - smallest (min) or largest (max) argument
 * @e:		environment
 * @call:	call node
 * @a:		arguments
 * @n:		their number
 * @out:	result
 *
 * Return: 0
 */
static int b_minmax(struct env *e, const struct node *call, struct bigint *a,
		    size_t n, struct bigint *out)
{
	int want = strcmp(call->name, "min") ? 1 : -1;
	size_t i, best = 0;

	(void)e;
	for (i = 1; i < n; i++)
		if (bi_cmp(&a[i], &a[best]) == want)
			best = i;
	bi_copy(out, &a[best]);
	return 0;
}

/**
 * b_sum() - sum of the arguments
 * @e:		environment
 * @call:	call node
 * @a:		arguments
 * @n:		their number
 * @out:	result
 *
 * Return: 0
 */
static int b_sum(struct env *e, const struct node *call, struct bigint *a,
		 size_t n, struct bigint *out)
{
	size_t i;

	(void)e, (void)call;
	bi_set_long(out, 0);
	for (i = 0; i < n; i++)
		bi_add(out, out, &a[i]);
	return 0;
}

/**
 * b_distinct() - how many different values the arguments hold
 * @e:		environment
 * @call:	call node
 * @a:		arguments (each must fit a long)
 * @n:		their number
 * @out:	result
 *
 * Return: 0, or -1 if an argument is too large
 */
static int b_distinct(struct env *e, const struct node *call, struct bigint *a,
		      size_t n, struct bigint *out)
{
	struct rbtree t;
	size_t i;
	long v;

	rb_init(&t);
	for (i = 0; i < n; i++) {
		if (bi_to_long(&a[i], &v)) {
			rb_free(&t);
			return berr(e, call, "arguments must fit 64 bits");
		}
		rb_insert(&t, v);
	}
	bi_set_long(out, (long)t.count);
	rb_free(&t);
	return 0;
}

/**
 * mulmod() - (a * b) mod m without overflow
 * @a:		factor below @m
 * @b:		factor below @m
 * @m:		modulus
 *
 * Return: the product modulo @m
 */
static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
	return (uint64_t)((unsigned __int128)a * b % m);
}

/**
 * powmod() - (b ** e) mod m
 * @b:		base
 * @e:		exponent
 * @m:		modulus
 *
 * Return: the power modulo @m
 */
static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m)
{
	uint64_t r = 1;

	b %= m;
	for (; e; e >>= 1) {
		if (e & 1)
			r = mulmod(r, b, m);
		b = mulmod(b, b, m);
	}
	return r;
}

/**
 * is_prime() - deterministic Miller-Rabin for 64-bit numbers
 * @n:		number
 *
 * Return: 1 if @n is prime, else 0
 */
static int is_prime(uint64_t n)
{
	static const uint64_t bases[] = { 2, 3, 5, 7, 11, 13, 17, 19, 23, 29,
					  31, 37 };
	uint64_t d = n - 1;
	unsigned int s = 0, i, r;

	if (n < 2)
		return 0;
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		if (n % bases[i] == 0)
			return n == bases[i];
	for (; !(d & 1); d >>= 1)
		s++;
	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		uint64_t x = powmod(bases[i], d, n);

		if (x == 1 || x == n - 1)
			continue;
		for (r = 1; r < s && x != n - 1; r++)
			x = mulmod(x, x, n);
		if (x != n - 1)
			return 0;
	}
	return 1;
}

/**
 * b_isprime() - 1 if the argument is a prime, else 0
 * @e:		environment
 * @call:	call node
 * @a:		arguments
 * @n:		their number
 * @out:	result
 *
 * Return: 0, or -1 if the argument does not fit 63 bits
 */
static int b_isprime(struct env *e, const struct node *call, struct bigint *a,
		     size_t n, struct bigint *out)
{
	long v;

	(void)n;
	if (bi_to_long(&a[0], &v))
		return berr(e, call, "argument must fit 64 bits");
	bi_set_long(out, v > 0 && is_prime((uint64_t)v));
	return 0;
}

/**
 * b_sqrt() - integer square root, by Newton's iteration
 * @e:		environment
 * @call:	call node
 * @a:		arguments
 * @n:		their number
 * @out:	floor(sqrt(a[0]))
 *
 * Return: 0, or -1 for a negative argument
 */
static int b_sqrt(struct env *e, const struct node *call, struct bigint *a,
		  size_t n, struct bigint *out)
{
	struct bigint x, y, two;

	(void)n;
	if (a[0].neg)
		return berr(e, call, "negative argument");
	if (bi_is_zero(&a[0])) {
		bi_set_long(out, 0);
		return 0;
	}
	bi_init(&x);
	bi_init(&y);
	bi_init(&two);
	bi_set_long(&two, 2);
	bi_copy(&x, &a[0]);		/* x >= sqrt(a): decreases to it */
	for (;;) {
		bi_divmod(&y, NULL, &a[0], &x);
		bi_add(&y, &y, &x);
		bi_divmod(&y, NULL, &y, &two);
		if (bi_cmp(&y, &x) >= 0)
			break;
		bi_copy(&x, &y);
	}
	bi_copy(out, &x);
	bi_free(&x);
	bi_free(&y);
	bi_free(&two);
	return 0;
}

/**
 * b_digits() - number of decimal digits
 * @e:		environment
 * @call:	call node
 * @a:		arguments
 * @n:		their number
 * @out:	result
 *
 * Return: 0
 */
static int b_digits(struct env *e, const struct node *call, struct bigint *a,
		    size_t n, struct bigint *out)
{
	struct strbuf sb;

	(void)e, (void)call, (void)n;
	sb_init(&sb);
	bi_format(&sb, &a[0]);
	bi_set_long(out, (long)sb.len - a[0].neg);
	sb_free(&sb);
	return 0;
}

static const struct builtin builtins[] = {
	{ "abs",	1, 1, "absolute value",			b_abs },
	{ "digits",	1, 1, "number of decimal digits",	b_digits },
	{ "distinct",	1, 0, "count of different values",	b_distinct },
	{ "fact",	1, 1, "factorial",			b_fact },
	{ "fib",	1, 1, "Fibonacci number",		b_fib },
	{ "gcd",	1, 0, "greatest common divisor",	b_gcd },
	{ "isprime",	1, 1, "1 if prime",			b_isprime },
	{ "lcm",	1, 0, "least common multiple",		b_lcm },
	{ "max",	1, 0, "largest argument",		b_minmax },
	{ "min",	1, 0, "smallest argument",		b_minmax },
	{ "sqrt",	1, 1, "integer square root",		b_sqrt },
	{ "sum",	0, 0, "sum of the arguments",		b_sum },
};

/**
 * find() - look a builtin up by name (the table is sorted)
 * @name:	name
 *
 * Return: the entry, NULL if none
 */
static const struct builtin *find(const char *name)
{
	size_t lo = 0, hi = sizeof(builtins) / sizeof(builtins[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, builtins[mid].name);

		if (!c)
			return &builtins[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/**
 * builtin_exists() - whether a builtin has this name
 * @name:	name
 *
 * Return: 1 or 0
 */
int builtin_exists(const char *name)
{
	return find(name) != NULL;
}

/**
 * builtin_call() - check the arity and run a builtin
 * @e:		environment
 * @call:	call node
 * @args:	evaluated arguments
 * @n:		their number
 * @out:	result
 *
 * Return: 0, or -1 with e->err set
 */
int builtin_call(struct env *e, const struct node *call, struct bigint *args,
		 size_t n, struct bigint *out)
{
	const struct builtin *b = find(call->name);

	if (!b)
		return berr(e, call, "unknown function");
	if (n < b->min_args || (b->max_args && n > b->max_args))
		return berr(e, call, "wrong number of arguments");
	return b->fn(e, call, args, n, out);
}

/**
 * builtin_list() - append a line per builtin: name and help
 * @sb:		buffer
 */
void builtin_list(struct strbuf *sb)
{
	size_t i;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		sb_printf(sb, "%-10s %s\n", builtins[i].name, builtins[i].help);
}
