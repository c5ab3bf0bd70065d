/*
 * hmap.c - open addressing for sl_hmap (linear probing, load <= 1/2).
 */
#include "hmap.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"

static void insert(sl_hmap_slot *slots, size_t n_slots, uint64_t key,
		   uint32_t value, uint32_t extra)
{
	size_t mask = n_slots - 1, i;

	for (i = key & mask; slots[i].key && slots[i].key != key;
	     i = (i + 1) & mask)
		;
	slots[i].key = key;
	slots[i].value = value;
	slots[i].extra = extra;
}

static void resize(sl_hmap *m, size_t n_slots)
{
	sl_hmap_slot *slots = sl_calloc(n_slots, sizeof(*slots));

	for (size_t i = 0; i < m->n_slots; i++)
		if (m->slots[i].key)
			insert(slots, n_slots, m->slots[i].key,
			       m->slots[i].value, m->slots[i].extra);
	free(m->slots);
	m->slots = slots;
	m->n_slots = n_slots;
}

void sl_hmap_reserve(sl_hmap *m, size_t n)
{
	size_t n_slots = m->n_slots ? m->n_slots : 1024;

	while (n * 2 > n_slots)
		n_slots *= 2;
	if (n_slots > m->n_slots)
		resize(m, n_slots);
}

void sl_hmap_put(sl_hmap *m, uint64_t hash, uint32_t value, uint32_t extra)
{
	uint64_t key = sl_hmap_key(hash);

	if ((m->n + 1) * 2 > m->n_slots)
		resize(m, m->n_slots ? m->n_slots * 2 : 1024);
	if (sl_hmap_get(m, key) == SL_HMAP_NONE)
		m->n++;
	insert(m->slots, m->n_slots, key, value, extra);
}

void sl_hmap_clear(sl_hmap *m)
{
	if (m->slots)
		memset(m->slots, 0, m->n_slots * sizeof(*m->slots));
	m->n = 0;
}

void sl_hmap_free(sl_hmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
