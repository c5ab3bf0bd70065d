/*
 * strtab.h - a string interning table: bytes -> dense index 0..n-1.
 *
 * The analysis looks up every token of every article here, so the table
 * is built for that: open addressing with linear probing over 32-bit
 * slots, the 64-bit hash kept per entry so most mismatches cost no
 * memcmp, and keys packed into one pool. Callers keep per-entry payload
 * in their own arrays indexed by the returned index.
 */
#ifndef SL_STRTAB_H
#define SL_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL
#endif
#include <xxhash.h>

/* Where an entry's key lies in the pool. */
typedef struct sl_strtab_key {
	uint32_t off;
	uint32_t len;
} sl_strtab_key_t;

typedef struct sl_strtab {
	/* Slot: the hash's upper 32 bits << 32 | (entry index + 1); 0 is
	 * empty. Most mismatches are rejected without leaving the slot. */
	uint64_t *slots;
	size_t n_slots; /* power of two */
	uint64_t *hashes;
	sl_strtab_key_t *keys;
	size_t n, cap;
	char *pool;
	size_t pool_len, pool_cap;
} sl_strtab;

#define SL_STRTAB_NONE UINT32_MAX

/* The hash of term ids and table keys: XXH3, stable across machines. */
static inline uint64_t sl_hash(const void *p, size_t n)
{
	return XXH3_64bits(p, n);
}

void sl_strtab_init(sl_strtab *t);
void sl_strtab_free(sl_strtab *t);
void sl_strtab_clear(sl_strtab *t); /* forget every entry, keep memory */

/* Index of key, or SL_STRTAB_NONE. */
uint32_t sl_strtab_find(const sl_strtab *t, const char *key, size_t len,
			uint64_t hash);

/*
 * Index of key, adding it when absent (*created set to 1 then). Indexes
 * are dense (0..n-1) and stable until sl_strtab_clear.
 */
uint32_t sl_strtab_intern(sl_strtab *t, const char *key, size_t len,
			  uint64_t hash, int *created);

/* Start loading the slot a lookup of hash will read first. */
static inline void sl_strtab_prefetch(const sl_strtab *t, uint64_t hash)
{
	if (t->n_slots)
		__builtin_prefetch(&t->slots[hash & (t->n_slots - 1)]);
}

/* Add a key known to be absent (sl_strtab_find said so); its index. */
uint32_t sl_strtab_add(sl_strtab *t, const char *key, size_t len,
		       uint64_t hash);

static inline const char *sl_strtab_key(const sl_strtab *t, uint32_t i)
{
	return t->pool + t->keys[i].off;
}

static inline uint32_t sl_strtab_len(const sl_strtab *t, uint32_t i)
{
	return t->keys[i].len;
}

#endif
