/*
 * strtab.c - string interning with open addressing (see strtab.h).
 */
#include "strtab.h"

#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "mem.h"

uint64_t sl_hash(const void *p, size_t n)
{
	return XXH3_64bits(p, n);
}

void sl_strtab_init(sl_strtab *t)
{
	memset(t, 0, sizeof(*t));
}

void sl_strtab_free(sl_strtab *t)
{
	free(t->slots);
	free(t->hashes);
	free(t->offs);
	free(t->lens);
	free(t->pool);
	sl_strtab_init(t);
}

void sl_strtab_clear(sl_strtab *t)
{
	if (t->slots)
		memset(t->slots, 0, t->n_slots * sizeof(*t->slots));
	t->n = 0;
	t->pool_len = 0;
}

uint32_t sl_strtab_find(const sl_strtab *t, const char *key, size_t len,
			uint64_t hash)
{
	size_t mask, i;

	if (!t->n_slots)
		return SL_STRTAB_NONE;
	mask = t->n_slots - 1;
	for (i = hash & mask;; i = (i + 1) & mask) {
		uint32_t slot = t->slots[i];
		uint32_t e;

		if (!slot)
			return SL_STRTAB_NONE;
		e = slot - 1;
		if (t->hashes[e] == hash && t->lens[e] == len &&
		    memcmp(t->pool + t->offs[e], key, len) == 0)
			return e;
	}
}

static void rehash(sl_strtab *t, size_t n_slots)
{
	size_t mask = n_slots - 1;
	uint32_t e;

	free(t->slots);
	t->slots = sl_calloc(n_slots, sizeof(*t->slots));
	t->n_slots = n_slots;
	for (e = 0; e < t->n; e++) {
		size_t i = t->hashes[e] & mask;

		while (t->slots[i])
			i = (i + 1) & mask;
		t->slots[i] = e + 1;
	}
}

uint32_t sl_strtab_intern(sl_strtab *t, const char *key, size_t len,
			  uint64_t hash, int *created)
{
	uint32_t e = sl_strtab_find(t, key, len, hash);
	size_t i, mask;

	if (created)
		*created = 0;
	if (e != SL_STRTAB_NONE)
		return e;
	/* Keep the load under one half: probes stay short. */
	if ((t->n + 1) * 2 > t->n_slots)
		rehash(t, t->n_slots ? t->n_slots * 2 : 1024);
	if (t->n == t->cap) {
		size_t cap = t->cap;

		sl_grow(&t->hashes, &cap, t->n + 1, sizeof(*t->hashes));
		cap = t->cap;
		sl_grow(&t->offs, &cap, t->n + 1, sizeof(*t->offs));
		cap = t->cap;
		sl_grow(&t->lens, &cap, t->n + 1, sizeof(*t->lens));
		t->cap = cap;
	}
	sl_grow(&t->pool, &t->pool_cap, t->pool_len + len + 1, 1);
	memcpy(t->pool + t->pool_len, key, len);
	t->pool[t->pool_len + len] = '\0';
	e = (uint32_t)t->n++;
	t->hashes[e] = hash;
	t->offs[e] = (uint32_t)t->pool_len;
	t->lens[e] = (uint32_t)len;
	t->pool_len += len + 1;
	mask = t->n_slots - 1;
	for (i = hash & mask; t->slots[i]; i = (i + 1) & mask)
		;
	t->slots[i] = e + 1;
	if (created)
		*created = 1;
	return e;
}
