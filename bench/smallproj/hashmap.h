// SPDX-License-Identifier: GPL-2.0-or-later
/* hashmap.h - string-keyed hash map with open addressing */
#ifndef HASHMAP_H
#define HASHMAP_H

#include <stddef.h>

struct hm_slot {
	char *key;	/* NULL: empty; HM_TOMBSTONE: deleted */
	void *value;
	unsigned long hash;
};

struct hashmap {
	struct hm_slot *slots;
	size_t cap;	/* power of two */
	size_t used;	/* live keys */
	size_t dead;	/* tombstones */
};

void hm_init(struct hashmap *hm);
void hm_free(struct hashmap *hm, void (*free_value)(void *));
void *hm_get(const struct hashmap *hm, const char *key);
void *hm_put(struct hashmap *hm, const char *key, void *value);
void *hm_del(struct hashmap *hm, const char *key);
int hm_foreach(const struct hashmap *hm,
	       int (*fn)(const char *key, void *value, void *arg), void *arg);
unsigned long hm_hash(const char *s);

#endif /* HASHMAP_H */
