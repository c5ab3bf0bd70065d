/*
 * dedup.c - MinHash fingerprints and their LSH table (see dedup.h).
 *
 * One permutation hashing: the 64-bit hash of each distinct shingle falls
 * into one of 64 bins by its top 6 bits, and each bin keeps the smallest
 * low 32 bits it receives; an empty bin borrows from the next full one to
 * its right, shifted by the distance (rotation densification). That is
 * one hash per shingle instead of 64, with the same estimate of Jaccard
 * resemblance as 64 independent MinHash functions for texts of a few
 * hundred words, and unbiased, if noisier, for short ones. The
 * LSH table cuts a fingerprint into 32 bands of 2 values: two texts with
 * resemblance J share a band with probability 1 - (1 - J^2)^32, 0.99 at
 * J = 0.4, so trimmed and truncated copies are found, while unrelated
 * texts (J near 0) rarely meet. Candidates are then checked on the whole
 * fingerprint.
 */
#include "dedup.h"

#include <stdlib.h>
#include <string.h>

#include "util/hmap.h"
#include "util/mem.h"
#include "util/order.h"

#define SHINGLE 4
#define BANDS	32
#define ROWS	(SL_MINHASH / BANDS)

/* Copies: at least this much of the smaller text in the larger... */
#define COPY_CONTAINMENT 0.8
/* ...when the smaller has this many shingles (about as many words)... */
#define COPY_MIN_SHINGLES 30
/* ...and is at least this share of the larger; or near-identical. */
#define COPY_MIN_RATIO	    0.4
#define COPY_NEAR_IDENTICAL 0.9

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* Fill the empty bins from the next full one to the right. */
static void densify(uint32_t min[SL_MINHASH])
{
	uint32_t src[SL_MINHASH];

	memcpy(src, min, sizeof(src));
	for (unsigned i = 0; i < SL_MINHASH; i++) {
		unsigned d;

		if (src[i] != UINT32_MAX)
			continue;
		for (d = 1; d < SL_MINHASH; d++)
			if (src[(i + d) % SL_MINHASH] != UINT32_MAX)
				break;
		if (d == SL_MINHASH)
			return; /* no shingle at all */
		min[i] = src[(i + d) % SL_MINHASH] + d * 0x9e3779b9u;
	}
}

void sl_fingerprint_of(const sl_analysis *an, sl_fingerprint *out)
{
	uint64_t *sh, *set;
	size_t n = 0, n_tok = 0, distinct = 0;
	unsigned field = SL_FIELD_BODY;

	for (unsigned i = 0; i < SL_MINHASH; i++)
		out->min[i] = UINT32_MAX;
	out->n_shingles = 0;
	if (an->field_len[SL_FIELD_BODY] == 0)
		field = SL_FIELD_TITLE;
	for (size_t i = 0; i < an->n_tokens; i++)
		n_tok += an->tokens[i].field == field;
	if (n_tok == 0)
		return;
	sh = sl_malloc((n_tok > SHINGLE ? n_tok : 1) * sizeof(*sh));
	{
		uint64_t win[SHINGLE] = {0};
		size_t seen = 0;

		for (size_t i = 0; i < an->n_tokens; i++) {
			const sl_token *t = &an->tokens[i];

			if (t->field != field)
				continue;
			memmove(win, win + 1, (SHINGLE - 1) * sizeof(*win));
			win[SHINGLE - 1] = an->terms[t->term].id;
			if (++seen < SHINGLE)
				continue;
			uint64_t h = 0;

			for (unsigned k = 0; k < SHINGLE; k++)
				h = mix(h ^ win[k]);
			sh[n++] = h;
		}
		if (n == 0) { /* shorter than one shingle: the words */
			uint64_t h = 0;

			for (size_t k = 0; k < seen && k < SHINGLE; k++)
				h = mix(h ^ win[SHINGLE - 1 - k]);
			sh[n++] = h;
		}
	}
	/* Each distinct shingle once: an open-addressing set of hashes. */
	size_t mask = 1;

	while (mask < 2 * n)
		mask <<= 1;
	set = sl_calloc(mask, sizeof(*set));
	mask--;
	for (size_t i = 0; i < n; i++) {
		uint64_t h = sh[i] ? sh[i] : 1;
		size_t at = h & mask;

		while (set[at] && set[at] != h)
			at = (at + 1) & mask;
		if (set[at])
			continue;
		set[at] = h;
		distinct++;
		if ((uint32_t)h < out->min[h >> 58])
			out->min[h >> 58] = (uint32_t)h;
	}
	free(set);
	densify(out->min);
	out->n_shingles = (uint32_t)distinct;
	free(sh);
}

double sl_fingerprint_jaccard(const sl_fingerprint *a, const sl_fingerprint *b)
{
	unsigned same = 0;

	if (!a->n_shingles || !b->n_shingles)
		return 0;
	for (unsigned i = 0; i < SL_MINHASH; i++)
		same += a->min[i] == b->min[i];
	return (double)same / SL_MINHASH;
}

double sl_fingerprint_containment(const sl_fingerprint *a,
				  const sl_fingerprint *b)
{
	double j = sl_fingerprint_jaccard(a, b);
	double na = a->n_shingles, nb = b->n_shingles;
	double small = na < nb ? na : nb, c;

	if (small == 0)
		return 0;
	/* |A n B| = J |A u B| and |A u B| = |A| + |B| - |A n B|. */
	c = j * (na + nb) / (1 + j) / small;
	return c > 1 ? 1 : c;
}

int sl_fingerprint_is_copy(const sl_fingerprint *a, const sl_fingerprint *b)
{
	double na = a->n_shingles, nb = b->n_shingles;
	double small = na < nb ? na : nb, large = na < nb ? nb : na;

	if (small == 0)
		return 0;
	if (sl_fingerprint_jaccard(a, b) >= COPY_NEAR_IDENTICAL)
		return 1;
	return small >= COPY_MIN_SHINGLES && small >= COPY_MIN_RATIO * large &&
	       sl_fingerprint_containment(a, b) >= COPY_CONTAINMENT;
}

/* ------------------------------------------------------------------ */
/* LSH                                                                 */

typedef struct bucket {
	uint32_t *items;
	size_t n, cap;
} bucket;

struct sl_lsh {
	sl_hmap keys; /* band key -> bucket */
	bucket *buckets;
	size_t n_buckets, cap_buckets;
	uint32_t *mark; /* per item: last query that saw it */
	size_t cap_mark;
	uint32_t query;
};

static uint64_t band_key(const sl_fingerprint *fp, unsigned band)
{
	uint64_t h = mix(band + 1);

	for (unsigned r = 0; r < ROWS; r++)
		h = mix(h ^ fp->min[band * ROWS + r]);
	return h;
}

sl_lsh *sl_lsh_new(void)
{
	return sl_calloc(1, sizeof(sl_lsh));
}

void sl_lsh_clear(sl_lsh *l)
{
	for (size_t i = 0; i < l->n_buckets; i++)
		free(l->buckets[i].items);
	l->n_buckets = 0;
	sl_hmap_clear(&l->keys);
}

void sl_lsh_free(sl_lsh *l)
{
	if (!l)
		return;
	sl_lsh_clear(l);
	sl_hmap_free(&l->keys);
	free(l->buckets);
	free(l->mark);
	free(l);
}

void sl_lsh_add(sl_lsh *l, uint32_t item, const sl_fingerprint *fp)
{
	if (!fp->n_shingles)
		return;
	for (unsigned b = 0; b < BANDS; b++) {
		uint64_t key = band_key(fp, b);
		uint32_t i = sl_hmap_get(&l->keys, key);
		bucket *bk;

		if (i == SL_HMAP_NONE) {
			sl_grow(&l->buckets, &l->cap_buckets, l->n_buckets + 1,
				sizeof(*l->buckets));
			i = (uint32_t)l->n_buckets++;
			memset(&l->buckets[i], 0, sizeof(bucket));
			sl_hmap_put(&l->keys, key, i, 0);
		}
		bk = &l->buckets[i];
		sl_grow(&bk->items, &bk->cap, bk->n + 1, sizeof(*bk->items));
		bk->items[bk->n++] = item;
	}
	if (item >= l->cap_mark) {
		size_t old = l->cap_mark;

		sl_grow(&l->mark, &l->cap_mark, (size_t)item + 1,
			sizeof(*l->mark));
		memset(l->mark + old, 0,
		       (l->cap_mark - old) * sizeof(*l->mark));
	}
}

size_t sl_lsh_candidates(sl_lsh *l, const sl_fingerprint *fp, uint32_t **out,
			 size_t *cap)
{
	size_t n = 0;

	if (!fp->n_shingles)
		return 0;
	if (++l->query == 0) { /* wrapped: forget old marks */
		memset(l->mark, 0, l->cap_mark * sizeof(*l->mark));
		l->query = 1;
	}
	for (unsigned b = 0; b < BANDS; b++) {
		uint32_t i = sl_hmap_get(&l->keys, band_key(fp, b));

		if (i == SL_HMAP_NONE)
			continue;
		for (size_t k = 0; k < l->buckets[i].n; k++) {
			uint32_t item = l->buckets[i].items[k];

			if (l->mark[item] == l->query)
				continue;
			l->mark[item] = l->query;
			sl_grow(out, cap, n + 1, sizeof(**out));
			(*out)[n++] = item;
		}
	}
	if (n > 1)
		qsort(*out, n, sizeof(**out), sl_cmp_u32);
	return n;
}
