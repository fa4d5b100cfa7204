// SPDX-License-Identifier: GPL-2.0-or-later
/* vec.h - growable arrays of pointers, with sorting and searching */
#ifndef VEC_H
#define VEC_H

#include <stddef.h>

struct vec {
	void **items;
	size_t len;
	size_t cap;
};

typedef int (*vec_cmp_fn)(const void *a, const void *b);

void vec_init(struct vec *v);
void vec_free(struct vec *v, void (*free_item)(void *));
void vec_push(struct vec *v, void *item);
void *vec_pop(struct vec *v);
void vec_insert(struct vec *v, size_t at, void *item);
void *vec_remove(struct vec *v, size_t at);
void vec_sort(struct vec *v, vec_cmp_fn cmp);
long vec_bsearch(const struct vec *v, const void *key, vec_cmp_fn cmp);
void vec_reverse(struct vec *v);
size_t vec_unique(struct vec *v, vec_cmp_fn cmp, void (*free_item)(void *));

#endif /* VEC_H */
