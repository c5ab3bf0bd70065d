/*
 * hmap.h - a map from 64-bit hashes to 32-bit values.
 *
 * For keys whose identity already is their 64-bit hash (term ids are
 * sl_hash of the term's text), so the bytes need not be kept or compared:
 * one 16-byte slot per key, found in one probe most of the time.
 */
#ifndef SL_HMAP_H
#define SL_HMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct sl_hmap_slot {
	uint64_t key; /* 0 = empty (a real key of 0 is stored as 1) */
	uint32_t value;
	uint32_t extra; /* 32 bits the caller may keep beside the value */
} sl_hmap_slot;

typedef struct sl_hmap {
	sl_hmap_slot *slots;
	size_t n_slots; /* power of two */
	size_t n;
} sl_hmap;

#define SL_HMAP_NONE UINT32_MAX

static inline uint64_t sl_hmap_key(uint64_t hash)
{
	return hash ? hash : 1;
}

/* The slot holding hash, or NULL. */
static inline const sl_hmap_slot *sl_hmap_find(const sl_hmap *m,
					       uint64_t hash)
{
	uint64_t key = sl_hmap_key(hash);
	size_t mask, i;

	if (!m->n_slots)
		return NULL;
	mask = m->n_slots - 1;
	for (i = key & mask; m->slots[i].key; i = (i + 1) & mask)
		if (m->slots[i].key == key)
			return &m->slots[i];
	return NULL;
}

/* The value stored under hash, or SL_HMAP_NONE. */
static inline uint32_t sl_hmap_get(const sl_hmap *m, uint64_t hash)
{
	const sl_hmap_slot *slot = sl_hmap_find(m, hash);

	return slot ? slot->value : SL_HMAP_NONE;
}

static inline void sl_hmap_prefetch(const sl_hmap *m, uint64_t hash)
{
	if (m->n_slots)
		__builtin_prefetch(
			&m->slots[sl_hmap_key(hash) & (m->n_slots - 1)]);
}

/* Make room for n keys without growing. */
void sl_hmap_reserve(sl_hmap *m, size_t n);

/* Store value and extra under hash (replacing what was there). */
void sl_hmap_put(sl_hmap *m, uint64_t hash, uint32_t value, uint32_t extra);
void sl_hmap_clear(sl_hmap *m); /* forget every key, keep memory */
void sl_hmap_free(sl_hmap *m);

#endif
