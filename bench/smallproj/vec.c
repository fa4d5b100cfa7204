// SPDX-License-Identifier: GPL-2.0-or-later
/* vec.c - growable pointer arrays; merge sort (stable) and binary search */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vec.h"

/**
 * vec_reserve() - make room for at least @n items
 * @v:		vector
 * @n:		capacity wanted
 */
static void vec_reserve(struct vec *v, size_t n)
{
	if (n <= v->cap)
		return;
	while (v->cap < n)
		v->cap = v->cap ? v->cap * 2 : 8;
	v->items = realloc(v->items, v->cap * sizeof(*v->items));
	if (!v->items) {
		perror("realloc");
		exit(1);
	}
}

/**
 * vec_init() - set up an empty vector
 * @v:		vector
 */
void vec_init(struct vec *v)
{
	v->items = NULL;
	v->len = v->cap = 0;
}

/**
 * vec_free() - release a vector and, optionally, its items
 * @v:		vector
 * @free_item:	called on each item, or NULL
 */
void vec_free(struct vec *v, void (*free_item)(void *))
{
	size_t i;

	if (free_item)
		for (i = 0; i < v->len; i++)
			free_item(v->items[i]);
	free(v->items);
	vec_init(v);
}

/**
 * vec_push() - append an item
 * @v:		vector
 * @item:	item
 */
void vec_push(struct vec *v, void *item)
{
	vec_reserve(v, v->len + 1);
	v->items[v->len++] = item;
}

/**
 * vec_pop() - remove the last item
 * @v:		vector
 *
 * Return: the item, NULL if the vector was empty
 */
void *vec_pop(struct vec *v)
{
	return v->len ? v->items[--v->len] : NULL;
}

/**
 * vec_insert() - insert an item before position @at
 * @v:		vector
 * @at:		position, at most v->len
 * @item:	item
 */
void vec_insert(struct vec *v, size_t at, void *item)
{
	if (at > v->len)
		at = v->len;
	vec_reserve(v, v->len + 1);
	memmove(v->items + at + 1, v->items + at,
		(v->len - at) * sizeof(*v->items));
	v->items[at] = item;
	v->len++;
}

/**
 * vec_remove() - remove the item at @at
 * @v:		vector
 * @at:		position
 *
 * Return: the item, NULL if @at is out of range
 */
void *vec_remove(struct vec *v, size_t at)
{
	void *item;

	if (at >= v->len)
		return NULL;
	item = v->items[at];
	memmove(v->items + at, v->items + at + 1,
		(v->len - at - 1) * sizeof(*v->items));
	v->len--;
	return item;
}

/**
 * merge() - merge two sorted runs of @src into @dst
 * @src:	source items
 * @dst:	destination
 * @lo:		start of the first run
 * @mid:	start of the second run
 * @hi:		end of the second run
 * @cmp:	comparison
 */
static void merge(void **src, void **dst, size_t lo, size_t mid, size_t hi,
		  vec_cmp_fn cmp)
{
	size_t i = lo, j = mid, k = lo;

	while (i < mid && j < hi)
		dst[k++] = cmp(src[j], src[i]) < 0 ? src[j++] : src[i++];
	while (i < mid)
		dst[k++] = src[i++];
	while (j < hi)
		dst[k++] = src[j++];
}

/**
 * insertion_sort() - sort a short run in place
 * @a:		items
 * @lo:		first
 * @hi:		one past the last
 * @cmp:	comparison
 */
static void insertion_sort(void **a, size_t lo, size_t hi, vec_cmp_fn cmp)
{
	size_t i, j;

	for (i = lo + 1; i < hi; i++) {
		void *x = a[i];

		for (j = i; j > lo && cmp(x, a[j - 1]) < 0; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

/**
 * vec_sort() - stable bottom-up merge sort
 * @v:		vector
 * @cmp:	comparison on items
 */
void vec_sort(struct vec *v, vec_cmp_fn cmp)
{
	const size_t run = 16;
	void **tmp, **src = v->items, **dst;
	size_t width, lo;

	for (lo = 0; lo < v->len; lo += run)
		insertion_sort(v->items, lo,
			       lo + run < v->len ? lo + run : v->len, cmp);
	if (v->len <= run)
		return;
	tmp = malloc(v->len * sizeof(*tmp));
	if (!tmp) {
		perror("malloc");
		exit(1);
	}
	dst = tmp;
	for (width = run; width < v->len; width *= 2) {
		for (lo = 0; lo < v->len; lo += 2 * width) {
			size_t mid = lo + width < v->len ? lo + width : v->len;
			size_t hi = lo + 2 * width < v->len ? lo + 2 * width
							    : v->len;

			merge(src, dst, lo, mid, hi, cmp);
		}
		void **t = src;

		src = dst;
		dst = t;
	}
	if (src != v->items)
		memcpy(v->items, src, v->len * sizeof(*tmp));
	free(tmp);
}

/**
 * vec_bsearch() - find an item in a sorted vector
 * @v:		vector sorted by @cmp
 * @key:	item to look for
 * @cmp:	comparison
 *
 * Return: the index of the first equal item, or -(insertion point) - 1
 */
long vec_bsearch(const struct vec *v, const void *key, vec_cmp_fn cmp)
{
	size_t lo = 0, hi = v->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp(v->items[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < v->len && !cmp(v->items[lo], key))
		return (long)lo;
	return -(long)lo - 1;
}

/**
 * vec_reverse() - reverse the order of the items
 * @v:		vector
 */
void vec_reverse(struct vec *v)
{
	size_t i, j;

	for (i = 0, j = v->len; j > i + 1; i++, j--) {
		void *t = v->items[i];

		v->items[i] = v->items[j - 1];
		v->items[j - 1] = t;
	}
}

/**
 * vec_unique() - drop adjacent duplicates from a sorted vector
 * @v:		vector
 * @cmp:	comparison
 * @free_item:	called on each dropped item, or NULL
 *
 * Return: the number of items dropped
 */
size_t vec_unique(struct vec *v, vec_cmp_fn cmp, void (*free_item)(void *))
{
	size_t i, out = 0, dropped = 0;

	for (i = 0; i < v->len; i++) {
		if (out && !cmp(v->items[out - 1], v->items[i])) {
			if (free_item)
				free_item(v->items[i]);
			dropped++;
			continue;
		}
		v->items[out++] = v->items[i];
	}
	v->len = out;
	return dropped;
}
