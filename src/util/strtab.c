/*
 * strtab.c - string interning with open addressing (see strtab.h).
 */
#include "strtab.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"

void sl_strtab_init(sl_strtab *t)
{
	memset(t, 0, sizeof(*t));
}

void sl_strtab_free(sl_strtab *t)
{
	free(t->slots);
	free(t->hashes);
	free(t->keys);
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

/* Keys are short (tokens): compare them inline, eight bytes at a time,
 * rather than through a call to memcmp. */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
	uint64_t x, y;

	while (n >= 8) {
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return 0;
		a += 8;
		b += 8;
		n -= 8;
	}
	while (n--)
		if (*a++ != *b++)
			return 0;
	return 1;
}

#define SLOT(hash, e) (((hash) & 0xFFFFFFFF00000000ULL) | ((uint64_t)(e) + 1))

uint32_t sl_strtab_find(const sl_strtab *t, const char *key, size_t len,
			uint64_t hash)
{
	uint64_t tag = hash & 0xFFFFFFFF00000000ULL;
	size_t mask, i;

	if (!t->n_slots)
		return SL_STRTAB_NONE;
	mask = t->n_slots - 1;
	for (i = hash & mask;; i = (i + 1) & mask) {
		uint64_t slot = t->slots[i];
		uint32_t e;

		if (!slot)
			return SL_STRTAB_NONE;
		if ((slot & 0xFFFFFFFF00000000ULL) != tag)
			continue;
		e = (uint32_t)slot - 1;
		if (t->keys[e].len == len &&
		    same_bytes(t->pool + t->keys[e].off, key, len))
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
		t->slots[i] = SLOT(t->hashes[e], e);
	}
}

uint32_t sl_strtab_intern(sl_strtab *t, const char *key, size_t len,
			  uint64_t hash, int *created)
{
	uint32_t e = sl_strtab_find(t, key, len, hash);

	if (created)
		*created = e == SL_STRTAB_NONE;
	return e != SL_STRTAB_NONE ? e : sl_strtab_add(t, key, len, hash);
}

uint32_t sl_strtab_add(sl_strtab *t, const char *key, size_t len,
		       uint64_t hash)
{
	uint32_t e;
	size_t i, mask;

	/* Keep the load under one half: probes stay short. */
	if ((t->n + 1) * 2 > t->n_slots)
		rehash(t, t->n_slots ? t->n_slots * 2 : 1024);
	if (t->n == t->cap) {
		size_t cap = t->cap;

		sl_grow(&t->hashes, &cap, t->n + 1, sizeof(*t->hashes));
		cap = t->cap;
		sl_grow(&t->keys, &cap, t->n + 1, sizeof(*t->keys));
		t->cap = cap;
	}
	sl_grow(&t->pool, &t->pool_cap, t->pool_len + len + 1, 1);
	memcpy(t->pool + t->pool_len, key, len);
	t->pool[t->pool_len + len] = '\0';
	e = (uint32_t)t->n++;
	t->hashes[e] = hash;
	t->keys[e].off = (uint32_t)t->pool_len;
	t->keys[e].len = (uint32_t)len;
	t->pool_len += len + 1;
	mask = t->n_slots - 1;
	for (i = hash & mask; t->slots[i]; i = (i + 1) & mask)
		;
	t->slots[i] = SLOT(hash, e);
	return e;
}
