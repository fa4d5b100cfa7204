// SPDX-License-Identifier: GPL-2.0-or-later
/* rbtree.h - ordered sets of long integers (red-black trees) */
#ifndef RBTREE_H
#define RBTREE_H

#include <stdbool.h>
#include <stddef.h>

struct rb_node {
	long key;
	struct rb_node *left, *right, *parent;
	bool red;
};

struct rbtree {
	struct rb_node *root;
	size_t count;
};

void rb_init(struct rbtree *t);
void rb_free(struct rbtree *t);
bool rb_insert(struct rbtree *t, long key);
bool rb_contains(const struct rbtree *t, long key);
bool rb_erase(struct rbtree *t, long key);
void rb_walk(const struct rbtree *t, void (*fn)(long key, void *arg), void *arg);
int rb_check(const struct rbtree *t);

#endif /* RBTREE_H */
