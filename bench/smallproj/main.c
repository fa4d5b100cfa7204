// SPDX-License-Identifier: GPL-2.0-or-later
/* main.c - calc: a big-integer expression calculator (a benchmark workload)
 *
 *   calc                 read lines from standard input, print each value
 *   calc -e EXPR...      evaluate each EXPR in one environment
 *   calc --selftest      check every module; exit 1 on a failure
 *   calc --builtins      list the built-in functions
 *
 * Example: calc -e 'f(n) = n < 2 ? n : f(n-1) + f(n-2)' 'f(20)' 'fact(30)'
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "hashmap.h"
#include "rbtree.h"
#include "vec.h"

static int failures;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
			__FILE__, __LINE__, #cond);			\
		failures++;						\
	}								\
} while (0)

static const struct {
	const char *src;
	const char *want;	/* value, or the start of the error */
} calc_cases[] = {
	{ "1 + 2 * 3", "7" },
	{ "(1 + 2) * 3", "9" },
	{ "-2 ^ 2", "-4" },
	{ "2 ^ 3 ^ 2", "512" },
	{ "2 ** 100", "1267650600228229401496703205376" },
	{ "7 / -2; 7 % -2", "1" },
	{ "-7 / 2", "-3" },
	{ "x = 5; y = x * x; y - x", "20" },
	{ "1 < 2 && 2 < 3", "1" },
	{ "0 || 0", "0" },
	{ "!0 + !5", "1" },
	{ "3 > 2 ? 10 : 20", "10" },
	{ "f(n) = n < 2 ? n : f(n - 1) + f(n - 2); f(20)", "6765" },
	{ "g(a, b) = b == 0 ? a : g(b, a % b); g(1071, 462)", "21" },
	{ "fact(25)", "15511210043330985984000000" },
	{ "fib(100)", "354224848179261915075" },
	{ "gcd(12, 18, 27)", "3" },
	{ "lcm(4, 6, 10)", "60" },
	{ "max(3, -1, 7, 2) - min(3, -1, 7, 2)", "8" },
	{ "sum(1, 2, 3, 4)", "10" },
	{ "distinct(1, 2, 2, 3, 3, 3)", "3" },
	{ "isprime(1000000007) + isprime(1000000011)", "1" },
	{ "sqrt(10 ^ 40)", "100000000000000000000" },
	{ "sqrt(99)", "9" },
	{ "digits(2 ^ 1000)", "302" },
	{ "123456789123456789 * 987654321987654321",
	  "121932631356500531347203169112635269" },
	{ "(10 ^ 30 + 7) / (10 ^ 12 + 3)", "999999999997000000" },
	{ "(10 ^ 30 + 7) % (10 ^ 12 + 3)", "9000007" },
	{ "1 / 0", "pos 3: division by zero" },
	{ "nope + 1", "pos 1: undefined variable" },
	{ "1 +", "pos 4: expected a number" },
	{ "(1", "pos 3: expected ')'" },
	{ "3 = 4", "pos 3: cannot assign" },
	{ "h(x) = h(x); h(1)", "pos 8: recursion too deep" },
	{ "frob(1)", "pos 1: unknown function" },
	{ "fact(-1)", "pos 1: fact: argument must be" },
	{ "# a comment only", "" },
};

/**
 * test_calc() - run the expression table through one environment each
 */
static void test_calc(void)
{
	struct strbuf out;
	size_t i;

	sb_init(&out);
	for (i = 0; i < sizeof(calc_cases) / sizeof(calc_cases[0]); i++) {
		struct env e;
		size_t n = strlen(calc_cases[i].want);

		env_init(&e);
		env_eval(&e, calc_cases[i].src, &out);
		if (strncmp(out.buf, calc_cases[i].want, n) || (!n && out.len)) {
			fprintf(stderr, "calc: '%s' gave '%s', want '%s'\n",
				calc_cases[i].src, out.buf, calc_cases[i].want);
			failures++;
		}
		env_free(&e);
	}
	sb_free(&out);
}

/**
 * rng() - xorshift64* pseudo-random numbers, reproducible
 *
 * Return: the next number
 */
static unsigned long rng(void)
{
	static unsigned long x = 88172645463325252UL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	return x * 2685821657736338717UL;
}

/**
 * test_bigint() - compare random bigint arithmetic with machine arithmetic
 */
static void test_bigint(void)
{
	struct bigint a, b, r;
	struct strbuf sb;
	char want[64];
	int i;

	bi_init(&a);
	bi_init(&b);
	bi_init(&r);
	sb_init(&sb);
	for (i = 0; i < 2000; i++) {
		long x = (long)(rng() % 2000000000001UL) - 1000000000000L;
		long y = (long)(rng() % 2000001UL) - 1000000L;

		bi_set_long(&a, x);
		bi_set_long(&b, y);
		bi_mul(&r, &a, &b);
		sb_reset(&sb);
		bi_format(&sb, &r);
		snprintf(want, sizeof(want), "%ld", x * y);
		CHECK(!strcmp(sb.buf, want));
		if (!y)
			continue;
		bi_divmod(&r, NULL, &a, &b);
		sb_reset(&sb);
		bi_format(&sb, &r);
		snprintf(want, sizeof(want), "%ld", x / y);
		CHECK(!strcmp(sb.buf, want));
	}
	bi_free(&a);
	bi_free(&b);
	bi_free(&r);
	sb_free(&sb);
}

/**
 * cmp_long_ptr() - order pointers to longs by value
 * @a:		first
 * @b:		second
 *
 * Return: <0, 0 or >0
 */
static int cmp_long_ptr(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/**
 * test_vec() - sort, search and deduplicate random numbers
 */
static void test_vec(void)
{
	static long vals[5000];
	struct vec v;
	size_t i;
	long key;

	vec_init(&v);
	for (i = 0; i < 5000; i++) {
		vals[i] = (long)(rng() % 1000);
		vec_push(&v, &vals[i]);
	}
	vec_sort(&v, cmp_long_ptr);
	for (i = 1; i < v.len; i++)
		CHECK(*(long *)v.items[i - 1] <= *(long *)v.items[i]);
	vec_unique(&v, cmp_long_ptr, NULL);
	for (i = 1; i < v.len; i++)
		CHECK(*(long *)v.items[i - 1] < *(long *)v.items[i]);
	key = *(long *)v.items[v.len / 2];
	CHECK(vec_bsearch(&v, &key, cmp_long_ptr) == (long)(v.len / 2));
	key = 5000;
	CHECK(vec_bsearch(&v, &key, cmp_long_ptr) == -(long)v.len - 1);
	vec_free(&v, NULL);
}

/**
 * test_hashmap() - insert, overwrite and delete many keys
 */
static void test_hashmap(void)
{
	struct hashmap hm;
	char key[32];
	long i;

	hm_init(&hm);
	for (i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "k%ld", i);
		CHECK(!hm_put(&hm, key, (void *)(i + 1)));
	}
	for (i = 0; i < 10000; i += 2) {
		snprintf(key, sizeof(key), "k%ld", i);
		CHECK(hm_del(&hm, key) == (void *)(i + 1));
	}
	for (i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "k%ld", i);
		CHECK(hm_get(&hm, key) == (i % 2 ? (void *)(i + 1) : NULL));
	}
	CHECK(hm.used == 5000);
	hm_free(&hm, NULL);
}

/**
 * test_rbtree() - random inserts and erases, checking invariants throughout
 */
static void test_rbtree(void)
{
	static unsigned char present[4096];
	struct rbtree t;
	size_t count = 0;
	int i;

	rb_init(&t);
	for (i = 0; i < 20000; i++) {
		long k = (long)(rng() % 4096);

		if (rng() % 3) {
			CHECK(rb_insert(&t, k) == !present[k]);
			count += !present[k];
			present[k] = 1;
		} else {
			CHECK(rb_erase(&t, k) == present[k]);
			count -= present[k];
			present[k] = 0;
		}
		if (i % 1000 == 0)
			CHECK(!rb_check(&t));
	}
	CHECK(t.count == count && !rb_check(&t));
	rb_free(&t);
}

/**
 * selftest() - run every module's test
 *
 * Return: the process exit status
 */
static int selftest(void)
{
	test_calc();
	test_bigint();
	test_vec();
	test_hashmap();
	test_rbtree();
	printf("%d passed, %d failed\n", failures ? 0 : 5, failures);
	return failures ? 1 : 0;
}

/**
 * run_line() - evaluate one line and print its value or error
 * @e:		environment
 * @line:	source
 * @out:	scratch buffer
 *
 * Return: 0, or 1 on error
 */
static int run_line(struct env *e, const char *line, struct strbuf *out)
{
	int r = env_eval(e, line, out);

	if (r < 0) {
		fprintf(stderr, "error: %s\n", out->buf);
		return 1;
	}
	if (!r)
		printf("%s\n", out->buf);
	return 0;
}

/**
 * repl() - evaluate standard input line by line
 * @e:		environment
 *
 * Return: the process exit status: 1 if any line failed
 */
static int repl(struct env *e)
{
	struct strbuf out;
	char *line = NULL;
	size_t cap = 0;
	int status = 0;

	sb_init(&out);
	while (getline(&line, &cap, stdin) > 0)
		status |= run_line(e, line, &out);
	free(line);
	sb_free(&out);
	return status;
}

/**
 * main() - dispatch on the command line
 * @argc:	argument count
 * @argv:	see the top of this file
 *
 * Return: 0 on success, 1 on an error, 2 on bad usage
 */
int main(int argc, char **argv)
{
	struct strbuf out;
	struct env e;
	int i, status = 0;

	if (argc > 1 && !strcmp(argv[1], "--selftest"))
		return selftest();
	sb_init(&out);
	if (argc > 1 && !strcmp(argv[1], "--builtins")) {
		builtin_list(&out);
		fputs(out.buf, stdout);
		sb_free(&out);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "-e")) {
		fprintf(stderr, "usage: calc [-e EXPR... | --selftest | --builtins]\n");
		return 2;
	}
	env_init(&e);
	if (argc > 1)
		for (i = 2; i < argc; i++)
			status |= run_line(&e, argv[i], &out);
	else
		status = repl(&e);
	env_free(&e);
	sb_free(&out);
	return status;
}
