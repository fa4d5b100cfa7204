// SPDX-License-Identifier: GPL-2.0-or-later
/* rbtree.c - red-black trees of long keys (CLRS-style, parent pointers)
 *
 * Used by the calculator's distinct() and by its self-test, which checks the
 * red-black invariants after random insertions and deletions.
 */

#include <stdio.h>
#include <stdlib.h>

#include "rbtree.h"

/**
 * rb_init() - set up an empty tree
 * @t:		tree
 */
void rb_init(struct rbtree *t)
{
	t->root = NULL;
	t->count = 0;
}

/**
 * rb_free_node() - free a subtree
 * @n:		its root, may be NULL
 */
static void rb_free_node(struct rb_node *n)
{
	while (n) {
		struct rb_node *right = n->right;

		rb_free_node(n->left);
		free(n);
		n = right;
	}
}

/**
 * rb_free() - free every node
 * @t:		tree
 */
void rb_free(struct rbtree *t)
{
	rb_free_node(t->root);
	rb_init(t);
}

/**
 * rb_rotate() - rotate @x down to the left (@left) or to the right
 * @t:		tree
 * @x:		node to rotate down
 * @left:	direction
 */
static void rb_rotate(struct rbtree *t, struct rb_node *x, bool left)
{
	struct rb_node *y = left ? x->right : x->left;
	struct rb_node *inner = left ? y->left : y->right;

	if (left)
		x->right = inner;
	else
		x->left = inner;
	if (inner)
		inner->parent = x;
	y->parent = x->parent;
	if (!x->parent)
		t->root = y;
	else if (x == x->parent->left)
		x->parent->left = y;
	else
		x->parent->right = y;
	if (left)
		y->left = x;
	else
		y->right = x;
	x->parent = y;
}

/**
 * is_red() - colour of a possibly NULL node (NULL leaves are black)
 * @n:		node
 *
 * Return: true if @n is red
 */
static bool is_red(const struct rb_node *n)
{
	return n && n->red;
}

/**
 * rb_insert_fixup() - restore the invariants after inserting @z
 * @t:		tree
 * @z:		new red node
 */
static void rb_insert_fixup(struct rbtree *t, struct rb_node *z)
{
	while (is_red(z->parent)) {
		struct rb_node *p = z->parent, *g = p->parent;
		bool left = p == g->left;
		struct rb_node *uncle = left ? g->right : g->left;

		if (is_red(uncle)) {
			p->red = uncle->red = false;
			g->red = true;
			z = g;
			continue;
		}
		if (z == (left ? p->right : p->left)) {
			z = p;
			rb_rotate(t, z, left);
			p = z->parent;
		}
		p->red = false;
		g->red = true;
		rb_rotate(t, g, !left);
	}
	t->root->red = false;
}

/**
 * rb_insert() - add a key
 * @t:		tree
 * @key:	key
 *
 * Return: true if it was added, false if it was already there
 */
bool rb_insert(struct rbtree *t, long key)
{
	struct rb_node **link = &t->root, *parent = NULL, *z;

	while (*link) {
		parent = *link;
		if (key == parent->key)
			return false;
		link = key < parent->key ? &parent->left : &parent->right;
	}
	z = calloc(1, sizeof(*z));
	if (!z) {
		perror("calloc");
		exit(1);
	}
	z->key = key;
	z->parent = parent;
	z->red = true;
	*link = z;
	t->count++;
	rb_insert_fixup(t, z);
	return true;
}

/**
 * rb_lookup() - find the node of a key
 * @t:		tree
 * @key:	key
 *
 * Return: the node, NULL if absent
 */
static struct rb_node *rb_lookup(const struct rbtree *t, long key)
{
	struct rb_node *n = t->root;

	while (n && n->key != key)
		n = key < n->key ? n->left : n->right;
	return n;
}

/**
 * rb_contains() - test for a key
 * @t:		tree
 * @key:	key
 *
 * Return: true if present
 */
bool rb_contains(const struct rbtree *t, long key)
{
	return rb_lookup(t, key) != NULL;
}

/**
 * rb_transplant() - put @v where @u is in @u's parent
 * @t:		tree
 * @u:		node being replaced
 * @v:		replacement, may be NULL
 */
static void rb_transplant(struct rbtree *t, struct rb_node *u,
			  struct rb_node *v)
{
	if (!u->parent)
		t->root = v;
	else if (u == u->parent->left)
		u->parent->left = v;
	else
		u->parent->right = v;
	if (v)
		v->parent = u->parent;
}

/**
 * rb_erase_fixup() - restore the invariants after removing a black node
 * @t:		tree
 * @x:		node that took its place, may be NULL
 * @parent:	@x's parent (needed when @x is NULL)
 */
static void rb_erase_fixup(struct rbtree *t, struct rb_node *x,
			   struct rb_node *parent)
{
	while (x != t->root && !is_red(x)) {
		bool left = x == parent->left;
		struct rb_node *w = left ? parent->right : parent->left;

		if (is_red(w)) {
			w->red = false;
			parent->red = true;
			rb_rotate(t, parent, left);
			w = left ? parent->right : parent->left;
		}
		if (!is_red(w->left) && !is_red(w->right)) {
			w->red = true;
			x = parent;
			parent = x->parent;
			continue;
		}
		if (!is_red(left ? w->right : w->left)) {
			(left ? w->left : w->right)->red = false;
			w->red = true;
			rb_rotate(t, w, !left);
			w = left ? parent->right : parent->left;
		}
		w->red = parent->red;
		parent->red = false;
		(left ? w->right : w->left)->red = false;
		rb_rotate(t, parent, left);
		x = t->root;
	}
	if (x)
		x->red = false;
}

/**
 * rb_erase() - remove a key
 * @t:		tree
 * @key:	key
 *
 * Return: true if it was removed, false if absent
 */
bool rb_erase(struct rbtree *t, long key)
{
	struct rb_node *z = rb_lookup(t, key), *y, *x, *xp;
	bool was_red;

	if (!z)
		return false;
	y = z;
	was_red = y->red;
	if (!z->left || !z->right) {
		x = z->left ? z->left : z->right;
		xp = z->parent;
		rb_transplant(t, z, x);
	} else {
		for (y = z->right; y->left; y = y->left)
			;
		was_red = y->red;
		x = y->right;
		if (y->parent == z) {
			xp = y;
		} else {
			xp = y->parent;
			rb_transplant(t, y, y->right);
			y->right = z->right;
			y->right->parent = y;
		}
		rb_transplant(t, z, y);
		y->left = z->left;
		y->left->parent = y;
		y->red = z->red;
	}
	free(z);
	t->count--;
	if (!was_red)
		rb_erase_fixup(t, x, xp);
	return true;
}

/**
 * rb_walk_node() - in-order walk of a subtree
 * @n:		root of the subtree
 * @fn:		called on each key
 * @arg:	passed to @fn
 */
static void rb_walk_node(const struct rb_node *n, void (*fn)(long, void *),
			 void *arg)
{
	while (n) {
		rb_walk_node(n->left, fn, arg);
		fn(n->key, arg);
		n = n->right;
	}
}

/**
 * rb_walk() - call @fn on every key in ascending order
 * @t:		tree
 * @fn:		callback
 * @arg:	passed to @fn
 */
void rb_walk(const struct rbtree *t, void (*fn)(long key, void *arg), void *arg)
{
	rb_walk_node(t->root, fn, arg);
}

/**
 * rb_check_node() - verify order, colours and black heights of a subtree
 * @n:		root of the subtree
 * @lo:		keys must be greater than this (if @has_lo)
 * @hi:		keys must be smaller than this (if @has_hi)
 * @has_lo:	whether @lo applies
 * @has_hi:	whether @hi applies
 *
 * Return: the black height, -1 if an invariant is broken
 */
static int rb_check_node(const struct rb_node *n, long lo, long hi,
			 bool has_lo, bool has_hi)
{
	int l, r;

	if (!n)
		return 1;
	if ((has_lo && n->key <= lo) || (has_hi && n->key >= hi))
		return -1;
	if (n->red && (is_red(n->left) || is_red(n->right)))
		return -1;
	if ((n->left && n->left->parent != n) ||
	    (n->right && n->right->parent != n))
		return -1;
	l = rb_check_node(n->left, lo, n->key, has_lo, true);
	r = rb_check_node(n->right, n->key, hi, true, has_hi);
	if (l < 0 || r < 0 || l != r)
		return -1;
	return l + !n->red;
}

/**
 * rb_check() - verify every red-black invariant
 * @t:		tree
 *
 * Return: 0 if the tree is valid, -1 if not
 */
int rb_check(const struct rbtree *t)
{
	if (is_red(t->root))
		return -1;
	return rb_check_node(t->root, 0, 0, false, false) < 0 ? -1 : 0;
}
