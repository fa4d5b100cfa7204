// SPDX-License-Identifier: GPL-2.0-or-later
/* hashmap.c - string-keyed hash map: linear probing, tombstones, FNV-1a */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashmap.h"

static char tombstone;
#define HM_TOMBSTONE (&tombstone)

/**
 * hm_hash() - FNV-1a hash of a string, with a final avalanche
 * @s:		string
 *
 * Return: the hash
 */
unsigned long hm_hash(const char *s)
{
	unsigned long h = 1469598103934665603UL;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211UL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdUL;
	h ^= h >> 33;
	return h;
}

/**
 * hm_find() - find the slot of @key, or where it would go
 * @hm:		map
 * @key:	key
 * @hash:	its hash
 *
 * Return: the slot holding @key, else the first free (or dead) slot seen
 */
static struct hm_slot *hm_find(const struct hashmap *hm, const char *key,
			       unsigned long hash)
{
	size_t mask = hm->cap - 1, i = hash & mask;
	struct hm_slot *free_slot = NULL;

	for (;;) {
		struct hm_slot *s = &hm->slots[i];

		if (!s->key)
			return free_slot ? free_slot : s;
		if (s->key == HM_TOMBSTONE) {
			if (!free_slot)
				free_slot = s;
		} else if (s->hash == hash && !strcmp(s->key, key)) {
			return s;
		}
		i = (i + 1) & mask;
	}
}

/**
 * hm_resize() - rehash into a table of @cap slots, dropping tombstones
 * @hm:		map
 * @cap:	new capacity, a power of two larger than hm->used
 */
static void hm_resize(struct hashmap *hm, size_t cap)
{
	struct hm_slot *old = hm->slots;
	size_t i, old_cap = hm->cap;

	hm->slots = calloc(cap, sizeof(*hm->slots));
	if (!hm->slots) {
		perror("calloc");
		exit(1);
	}
	hm->cap = cap;
	hm->dead = 0;
	for (i = 0; i < old_cap; i++) {
		struct hm_slot *s = &old[i];

		if (s->key && s->key != HM_TOMBSTONE)
			*hm_find(hm, s->key, s->hash) = *s;
	}
	free(old);
}

/**
 * hm_init() - set up an empty map
 * @hm:		map
 */
void hm_init(struct hashmap *hm)
{
	hm->slots = NULL;
	hm->cap = hm->used = hm->dead = 0;
	hm_resize(hm, 16);
}

/**
 * hm_free() - release a map and, optionally, its values
 * @hm:		map
 * @free_value:	called on each value, or NULL
 */
void hm_free(struct hashmap *hm, void (*free_value)(void *))
{
	size_t i;

	for (i = 0; i < hm->cap; i++) {
		struct hm_slot *s = &hm->slots[i];

		if (!s->key || s->key == HM_TOMBSTONE)
			continue;
		free(s->key);
		if (free_value)
			free_value(s->value);
	}
	free(hm->slots);
	hm->slots = NULL;
	hm->cap = hm->used = hm->dead = 0;
}

/**
 * hm_get() - look a key up
 * @hm:		map
 * @key:	key
 *
 * Return: its value, NULL if absent
 */
void *hm_get(const struct hashmap *hm, const char *key)
{
	struct hm_slot *s = hm_find(hm, key, hm_hash(key));

	return s->key && s->key != HM_TOMBSTONE ? s->value : NULL;
}

/**
 * hm_put() - set a key's value
 * @hm:		map
 * @key:	key (copied)
 * @value:	value
 *
 * Return: the previous value, NULL if the key is new
 */
void *hm_put(struct hashmap *hm, const char *key, void *value)
{
	unsigned long hash = hm_hash(key);
	struct hm_slot *s;
	void *old;

	if ((hm->used + hm->dead + 1) * 4 > hm->cap * 3)
		hm_resize(hm, hm->used * 2 >= hm->cap ? hm->cap * 2 : hm->cap);
	s = hm_find(hm, key, hash);
	if (s->key && s->key != HM_TOMBSTONE) {
		old = s->value;
		s->value = value;
		return old;
	}
	if (s->key == HM_TOMBSTONE)
		hm->dead--;
	s->key = strdup(key);
	s->hash = hash;
	s->value = value;
	hm->used++;
	return NULL;
}

/**
 * hm_del() - remove a key
 * @hm:		map
 * @key:	key
 *
 * Return: its value, NULL if it was absent
 */
void *hm_del(struct hashmap *hm, const char *key)
{
	struct hm_slot *s = hm_find(hm, key, hm_hash(key));
	void *value;

	if (!s->key || s->key == HM_TOMBSTONE)
		return NULL;
	value = s->value;
	free(s->key);
	s->key = HM_TOMBSTONE;
	s->value = NULL;
	hm->used--;
	hm->dead++;
	return value;
}

/**
 * hm_foreach() - call @fn on every entry, in table order
 * @hm:		map
 * @fn:		callback; a non-zero return stops the walk
 * @arg:	passed to @fn
 *
 * Return: the first non-zero value returned by @fn, else 0
 */
int hm_foreach(const struct hashmap *hm,
	       int (*fn)(const char *key, void *value, void *arg), void *arg)
{
	size_t i;
	int r;

	for (i = 0; i < hm->cap; i++) {
		struct hm_slot *s = &hm->slots[i];

		if (!s->key || s->key == HM_TOMBSTONE)
			continue;
		r = fn(s->key, s->value, arg);
		if (r)
			return r;
	}
	return 0;
}
