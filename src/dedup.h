/*
 * dedup.h - copies: MinHash fingerprints of an article's text and a
 * banded LSH table that finds the articles whose fingerprints agree.
 *
 * A fingerprint is computed from the shared analysis (no second pass over
 * the text): shingles of four consecutive body terms, stop words
 * included, so punctuation, quotes and case changes do not matter while
 * word order does. The smallest of 64 independent hashes over the
 * shingles estimates the Jaccard resemblance of two texts; with the
 * number of shingles it also estimates containment, which is what
 * truncated or trimmed republications keep.
 */
#ifndef SL_DEDUP_H
#define SL_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "text.h"

#define SL_MINHASH 64

typedef struct sl_fingerprint {
	uint32_t min[SL_MINHASH];
	uint32_t n_shingles; /* distinct shingles; 0 = no text */
} sl_fingerprint;

/* The fingerprint of an analysed article (its body, else its title). */
void sl_fingerprint_of(const sl_analysis *an, sl_fingerprint *out);

/* Estimated Jaccard resemblance of the two shingle sets, 0..1. */
double sl_fingerprint_jaccard(const sl_fingerprint *a, const sl_fingerprint *b);

/* Estimated share of the smaller shingle set found in the larger, 0..1. */
double sl_fingerprint_containment(const sl_fingerprint *a,
				  const sl_fingerprint *b);

/* Is one a copy of the other: the same text, possibly retitled, trimmed
 * at either end, truncated, or with a line of boilerplate added? */
int sl_fingerprint_is_copy(const sl_fingerprint *a, const sl_fingerprint *b);

/* Banded LSH over fingerprints: items are caller-chosen numbers. */
typedef struct sl_lsh sl_lsh;

sl_lsh *sl_lsh_new(void);
void sl_lsh_free(sl_lsh *l);
void sl_lsh_clear(sl_lsh *l);
void sl_lsh_add(sl_lsh *l, uint32_t item, const sl_fingerprint *fp);

/*
 * Items sharing at least one band with fp, each once, in the order they
 * were added, into *out (grown as needed, capacity in *cap). Returns how
 * many.
 */
size_t sl_lsh_candidates(sl_lsh *l, const sl_fingerprint *fp, uint32_t **out,
			 size_t *cap);

#endif
