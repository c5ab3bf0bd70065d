#ifndef SL_STOPWORDS_H
#define SL_STOPWORDS_H

/* Stop words per language, for the text analysis: which folded tokens carry
 * no meaning for search and similarity, and, counted over a text, which
 * language it is most likely in. */

#include <stddef.h>

typedef struct sl_stoplist {
    const char *lang;          /* ISO 639-1 code: "en", "de", ... */
    const char *const *words;  /* case-folded, NFKC-normalized UTF-8 */
    size_t n_words;
    /* Days of the week and months (folded, as words): they date a text
     * and say nothing of what it is about. Searchable, unlike stop
     * words, but left out of the term vectors that compare articles. */
    const char *const *calendar;
    size_t n_calendar;
} sl_stoplist;

/* All built-in lists; *out_n receives the count. Static data, never freed. */
const sl_stoplist *sl_stoplists(size_t *out_n);

#endif /* SL_STOPWORDS_H */
