/*
 * text.c - tokenizer, normalization, stop words, stemming and the
 * language guess: the one place where text becomes terms.
 *
 * The analysis runs on every article at ingest and on every query, so it
 * is built around a cache: a token as written (with the analysis language)
 * maps to its term once, and afterwards costs one hash lookup. Only on a
 * miss is the token folded (NFKC + case folding with utf8proc), checked
 * against the stop words and stemmed (Snowball). News vocabulary is
 * Zipfian, so nearly every token is a hit.
 *
 * Tokens: runs of letters, digits and marks; an apostrophe between
 * letters joins ("don't", "l'état" - the French/Italian elision is cut
 * later), as do "." and "," between digits ("3.5", "12,500") and dots in
 * single-letter acronyms ("U.S."). Hyphens and other punctuation split.
 * URLs and e-mail addresses are kept whole. Scripts written without
 * spaces (Han, kana) give overlapping bigrams.
 */
#include "text.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "stopwords.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/strtab.h"
#include "util/utf8.h"

#define MAX_LANGS 48 /* below NO_LANG */
#define GUESS_TOKENS 600              /* tokens the language guess reads */
#define CACHE_LIMIT (4u * 1024 * 1024) /* cached tokens before a reset */
#define INITIAL_VOCABULARY (64 * 1024)

/* The language the guess falls back to for Latin-script text. */
#define DEFAULT_LANG "en"

enum { S_LATIN, S_CYRILLIC, S_GREEK, S_ARABIC, S_HEBREW, S_HAN, S_KANA,
       S_HANGUL, S_THAI, S_DEVANAGARI, N_SCRIPTS };

typedef struct lang_ctx {
	char code[4];
	struct sb_stemmer *stemmer; /* NULL: no stemming for the language */
	uint32_t stop_bit;          /* 0: no stop list */
	int elision;                /* cut "l'", "d'", "dell'" prefixes */
} lang_ctx;

/* A token found in the text, before it is mapped to a term. */
typedef struct raw_token {
	uint32_t off;
	uint16_t len;
	uint8_t field;
	uint8_t flags;  /* SL_TOK_SENT | SL_TOK_URL | SL_TOK_CJK */
	uint32_t entry; /* its token cache entry */
	uint64_t hash;  /* of the bytes as written */
} raw_token;

/* How many tokens ahead the lookups prefetch: enough to hide a miss to
 * memory behind the work on the tokens in between. */
#define PREFETCH_AHEAD 12

#define NO_SCRIPT 0xFF
#define NO_LANG 0xFF

/*
 * What the cache knows of a token as written: what does not depend on
 * the language (folded form, the languages it is a stop word in, how it
 * was capitalised, its script), and its term in the language it was last
 * analysed in - corpora are mostly in one language, so that is a hit too.
 */
typedef struct cache_entry {
	uint32_t folded;    /* term index of the folded form */
	uint32_t term;      /* term index in language `lang` */
	uint32_t stop_mask; /* bit l: a stop word of stop list l; bit
			     * CALENDAR + l: a calendar word of list l */
	uint8_t flags;      /* SL_TOK_CAP|UPPER|NUM|URL|CJK, ENTRY_EMPTY */
	uint8_t lang;       /* language index of `term`, or NO_LANG */
	uint8_t stop;       /* a stop word in `lang` */
	uint8_t calendar;   /* a calendar word in `lang` */
} cache_entry_t;

/* The stop-word mask's bit of list l's calendar words: CALENDAR + l. */
#define CALENDAR 16

/* An entry flag beside the SL_TOK_* ones: folded to nothing. */
#define ENTRY_EMPTY SL_TOK_SENT

struct sl_analyzer {
	/* Stop words: folded word -> bit mask of languages. */
	sl_strtab stops;
	uint32_t *stop_mask;
	const sl_stoplist *stoplists;
	size_t n_stoplists;

	lang_ctx langs[MAX_LANGS];
	size_t n_langs;

	/* Token cache: hash of the token as written -> cache_entry_t. The
	 * 64-bit hash is the token's identity, as it is for terms. */
	sl_hmap cache;
	cache_entry_t *entries;
	size_t n_entries, entries_cap;

	/* Terms (folded forms and stems): text -> index, the id being the
	 * text's hash; with the stamp of the last analysis that used each
	 * and its index in that analysis. */
	sl_strtab terms;
	struct term_use {
		uint32_t stamp; /* the analysis that last used the term */
		uint32_t local; /* its index in that analysis */
	} *term_use;
	size_t terms_cap;

	/* Language evidence gathered while tokens are looked up. */
	size_t scripts[N_SCRIPTS];
	size_t stop_hits[32];
	uint32_t stamp;

	raw_token *raw;
	size_t n_raw, raw_cap;
	sl_buf scratch;
	const char *fields[SL_N_FIELDS];

	sl_analysis result;
	size_t tokens_cap, result_terms_cap;
};

/* ASCII character classes. */
enum { C_LOWER = 1, C_UPPER = 2, C_DIGIT = 4, C_SPACE = 8, C_MAIL = 16 };
#define C_ALPHA (C_LOWER | C_UPPER)
#define C_ALNUM (C_ALPHA | C_DIGIT)

static uint8_t ascii_class[128];

static void init_classes(void)
{
	for (int c = 0; c < 128; c++) {
		uint8_t k = 0;

		if (c >= 'a' && c <= 'z')
			k = C_LOWER;
		else if (c >= 'A' && c <= 'Z')
			k = C_UPPER;
		else if (c >= '0' && c <= '9')
			k = C_DIGIT;
		else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
			 c == '\f' || c == '\v')
			k = C_SPACE;
		else if (c == '@' || c == '.' || c == '-' || c == '_' ||
			 c == '+')
			k = C_MAIL; /* may continue an e-mail address */
		ascii_class[c] = k;
	}
}

static inline int cls(const char *s, size_t n, size_t i)
{
	unsigned char c;

	if (i >= n)
		return 0;
	c = (unsigned char)s[i];
	return c < 0x80 ? ascii_class[c] : 0;
}

static int is_cjk(int32_t cp)
{
	return (cp >= 0x3040 && cp <= 0x30FF) || /* hiragana, katakana */
	       (cp >= 0x31F0 && cp <= 0x31FF) ||
	       (cp >= 0x3400 && cp <= 0x4DBF) || /* Han extension A */
	       (cp >= 0x4E00 && cp <= 0x9FFF) || /* Han */
	       (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFF66 && cp <= 0xFF9F) || /* half-width katakana */
	       (cp >= 0x20000 && cp <= 0x2FA1F);
}

/* Letters, marks and digits continue a word; connector punctuation and
 * format characters (soft hyphen, joiners) are dropped by the folding. */
static int is_word_cp(int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return !is_cjk(cp);
	case UTF8PROC_CATEGORY_CF:
		return cp == 0x00AD || cp == 0x200C || cp == 0x200D;
	default:
		return 0;
	}
}

static int is_sentence_end(int32_t cp)
{
	return cp == '.' || cp == '!' || cp == '?' || cp == 0x3002 ||
	       cp == 0xFF01 || cp == 0xFF1F || cp == 0x2026 || cp == 0x0964;
}

/* ------------------------------------------------------------------ */
/* Set-up                                                              */

/* Set bits of a word's entry in the stop-word table. */
static void mark_word(sl_analyzer *an, const char *word, uint32_t bits)
{
	size_t len = strlen(word), cap = an->stops.cap;
	uint32_t e = sl_strtab_intern(&an->stops, word, len,
				      sl_hash(word, len), NULL);

	if (an->stops.cap != cap || !an->stop_mask) {
		an->stop_mask =
		    sl_realloc(an->stop_mask, an->stops.cap * sizeof(uint32_t));
		memset(an->stop_mask + cap, 0,
		       (an->stops.cap - cap) * sizeof(uint32_t));
	}
	an->stop_mask[e] |= bits;
}

sl_analyzer *sl_analyzer_new(void)
{
	static int classes_ready;
	sl_analyzer *an = sl_calloc(1, sizeof(*an));

	if (!classes_ready) {
		init_classes();
		classes_ready = 1;
	}
	sl_strtab_init(&an->stops);
	sl_strtab_init(&an->terms);
	an->stoplists = sl_stoplists(&an->n_stoplists);
	for (size_t l = 0; l < an->n_stoplists; l++) {
		const sl_stoplist *sl = &an->stoplists[l];

		for (size_t w = 0; w < sl->n_words; w++)
			mark_word(an, sl->words[w], 1u << l);
		for (size_t w = 0; w < sl->n_calendar; w++)
			mark_word(an, sl->calendar[w], 1u << (CALENDAR + l));
	}
	an->stamp = 1;
	/* A news vocabulary runs to tens of thousands of forms within the
	 * first articles: start there rather than grow through it. */
	sl_hmap_reserve(&an->cache, INITIAL_VOCABULARY);
	sl_grow(&an->entries, &an->entries_cap, INITIAL_VOCABULARY,
		sizeof(*an->entries));
	return an;
}

void sl_analyzer_free(sl_analyzer *an)
{
	if (!an)
		return;
	for (size_t i = 0; i < an->n_langs; i++)
		if (an->langs[i].stemmer)
			sb_stemmer_delete(an->langs[i].stemmer);
	sl_strtab_free(&an->stops);
	sl_hmap_free(&an->cache);
	sl_strtab_free(&an->terms);
	free(an->stop_mask);
	free(an->entries);
	free(an->term_use);
	free(an->raw);
	sl_buf_free(&an->scratch);
	free(an->result.tokens);
	free(an->result.terms);
	free(an);
}

/* Index of the language context for a normalized code, made on first
 * use; -1 when the table is full. */
static int lang_index(sl_analyzer *an, const char *code)
{
	lang_ctx *lc;

	for (size_t i = 0; i < an->n_langs; i++)
		if (strcmp(an->langs[i].code, code) == 0)
			return (int)i;
	if (an->n_langs == MAX_LANGS)
		return -1;
	lc = &an->langs[an->n_langs];
	memset(lc, 0, sizeof(*lc));
	strcpy(lc->code, code);
	lc->stemmer = sb_stemmer_new(code, "UTF_8");
	for (size_t l = 0; l < an->n_stoplists; l++)
		if (strcmp(an->stoplists[l].lang, code) == 0)
			lc->stop_bit = 1u << l;
	lc->elision = !strcmp(code, "fr") || !strcmp(code, "it") ||
		      !strcmp(code, "ca");
	return (int)an->n_langs++;
}

/* "pt-BR" -> "pt"; 0 when tag does not start with 2-3 letters. */
static int normalize_lang(char out[4], const char *tag)
{
	size_t n = 0;

	if (!tag)
		return 0;
	while (n < 4 && ((tag[n] >= 'a' && tag[n] <= 'z') ||
			 (tag[n] >= 'A' && tag[n] <= 'Z')))
		n++;
	if (n < 2 || n > 3 || (tag[n] && tag[n] != '-' && tag[n] != '_'))
		return 0;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)(tag[i] | 0x20);
	out[n] = '\0';
	return 1;
}

/* ------------------------------------------------------------------ */
/* Tokenizer                                                           */

static void emit(sl_analyzer *an, size_t off, size_t len, int field,
		 int flags)
{
	raw_token *t;

	if (len > SL_MAX_TOKEN * 4) /* a run of letters with no end */
		len = sl_utf8_floor(an->fields[field] + off, len,
				    SL_MAX_TOKEN * 4);
	sl_grow(&an->raw, &an->raw_cap, an->n_raw + 1, sizeof(*an->raw));
	t = &an->raw[an->n_raw++];
	t->off = (uint32_t)off;
	t->len = (uint16_t)len;
	t->field = (uint8_t)field;
	t->flags = (uint8_t)flags;
	t->hash = sl_hash(an->fields[field] + off, len);
}

static int ascii_ieq(const char *s, size_t n, size_t i, const char *lit)
{
	size_t k = strlen(lit);

	if (i + k > n)
		return 0;
	for (size_t j = 0; j < k; j++) {
		char c = s[i + j];

		if (c >= 'A' && c <= 'Z')
			c |= 0x20;
		if (c != lit[j])
			return 0;
	}
	return 1;
}

/* End of a URL starting at i, or i when there is none. */
static size_t match_url(const char *s, size_t n, size_t i)
{
	size_t j;

	if (ascii_ieq(s, n, i, "http://"))
		j = i + 7;
	else if (ascii_ieq(s, n, i, "https://"))
		j = i + 8;
	else if (ascii_ieq(s, n, i, "www.") && cls(s, n, i + 4) & C_ALNUM)
		j = i + 4;
	else
		return i;
	while (j < n && !(cls(s, n, j) & C_SPACE) && !strchr("<>\"`", s[j]))
		j++;
	while (j > i && strchr(".,;:!?)]}'", s[j - 1]))
		j--;
	return j;
}

/* End of an e-mail address starting at i, or i when there is none. */
static size_t match_email(const char *s, size_t n, size_t i)
{
	size_t j = i, dots = 0, last_dot = 0;

	while (j < n && ((cls(s, n, j) & C_ALNUM) || strchr("._%+-", s[j])) &&
	       s[j])
		j++;
	if (j == i || j >= n || s[j] != '@')
		return i;
	j++;
	while (j < n && ((cls(s, n, j) & C_ALNUM) ||
			 (s[j] == '-' || s[j] == '.'))) {
		if (s[j] == '.') {
			dots++;
			last_dot = j;
		}
		j++;
	}
	while (j > i && s[j - 1] == '.') {
		j--;
		dots--;
		last_dot = 0;
		for (size_t k = j; k-- > i && s[k] != '@';)
			if (s[k] == '.') {
				last_dot = k;
				break;
			}
	}
	if (!dots || !last_dot || j - last_dot < 3 ||
	    !(cls(s, n, last_dot + 1) & C_ALPHA))
		return i;
	return j;
}

/* Scan a word starting at i; returns where scanning goes on. */
static size_t scan_word(sl_analyzer *an, const char *s, size_t n, size_t i,
			int field, int *sent)
{
	size_t j = i, end;
	int seg_len = 0, prev = 0; /* prev: class of the last character */

	if ((s[i] | 0x20) == 'h' || (s[i] | 0x20) == 'w') {
		end = match_url(s, n, i);
		if (end > i) {
			emit(an, i, end - i, field, SL_TOK_URL | *sent);
			*sent = 0;
			return end;
		}
	}
	while (j < n) {
		unsigned char c = (unsigned char)s[j];

		if (c < 0x80) {
			int k = ascii_class[c];

			if (k & C_ALNUM) {
				prev = k;
				seg_len++;
				j++;
				continue;
			}
			if (c == '\'' && (prev & C_ALPHA) &&
			    (cls(s, n, j + 1) & C_ALPHA ||
			     (j + 1 < n && (unsigned char)s[j + 1] >= 0x80))) {
				j++;
				seg_len = 0;
				continue;
			}
			if ((c == '.' || c == ',') && (prev & C_DIGIT) &&
			    (cls(s, n, j + 1) & C_DIGIT)) {
				j++;
				continue;
			}
			if (c == '.' && seg_len == 1 && (prev & C_ALPHA) &&
			    (cls(s, n, j + 1) & C_ALPHA) &&
			    (j + 2 >= n || s[j + 2] == '.')) {
				j++;
				seg_len = 0;
				continue;
			}
			break;
		} else {
			int32_t cp;
			size_t len = sl_utf8_decode(s + j, n - j, &cp);

			if (cp == 0x2019 && prev & C_ALPHA && j + len < n &&
			    ((cls(s, n, j + len) & C_ALPHA) ||
			     (unsigned char)s[j + len] >= 0x80)) {
				j += len;
				seg_len = 0;
				continue;
			}
			if (!is_word_cp(cp))
				break;
			prev = C_ALPHA; /* good enough for the joiners */
			seg_len++;
			j += len;
		}
	}
	if (cls(s, n, j) & C_MAIL) {
		end = match_email(s, n, i);
		if (end > j) {
			emit(an, i, end - i, field, SL_TOK_URL | *sent);
			*sent = 0;
			return end;
		}
	}
	/* "U.S." keeps its last dot, which then ends no sentence. */
	end = j;
	if (j < n && s[j] == '.' && j >= i + 3 && s[j - 2] == '.')
		end = j + 1;
	emit(an, i, j - i, field, *sent);
	*sent = 0;
	return end;
}

static size_t scan_cjk(sl_analyzer *an, const char *s, size_t n, size_t i,
		       int field, int *sent)
{
	size_t starts[2] = {i, i};
	size_t j = i, count = 0;
	int32_t cp;

	while (j < n) {
		size_t len = sl_utf8_decode(s + j, n - j, &cp);

		if (!is_cjk(cp))
			break;
		if (count >= 1)
			emit(an, starts[(count - 1) & 1], j + len -
			     starts[(count - 1) & 1], field,
			     SL_TOK_CJK | (count == 1 ? *sent : 0));
		starts[count & 1] = j;
		count++;
		j += len;
	}
	if (count == 1)
		emit(an, i, j - i, field, SL_TOK_CJK | *sent);
	*sent = 0;
	return j;
}

/* A line shorter than this ends where its sentence does: a heading, a
 * list item, a row of figures ("Net 12.3 mln vs 10.1 mln"). A longer one
 * may be prose wrapped at a fixed width, which goes on below it. */
#define SHORT_LINE 40

static void tokenize(sl_analyzer *an, const char *s, size_t n, int field)
{
	size_t i = 0, line = 0;
	int sent = SL_TOK_SENT;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		int32_t cp;
		size_t len;

		if (c < 0x80) {
			if (ascii_class[c] & C_ALNUM) {
				i = scan_word(an, s, n, i, field, &sent);
				continue;
			}
			if (c == '.' || c == '!' || c == '?')
				sent = SL_TOK_SENT;
			else if (c == '\n') {
				size_t k = i + 1;

				while (k < n && (s[k] == ' ' || s[k] == '\t' ||
						 s[k] == '\r'))
					k++;
				if ((k < n && s[k] == '\n') ||
				    i - line < SHORT_LINE)
					sent = SL_TOK_SENT;
				line = i + 1;
			}
			i++;
			continue;
		}
		len = sl_utf8_decode(s + i, n - i, &cp);
		if (is_cjk(cp)) {
			i = scan_cjk(an, s, n, i, field, &sent);
		} else if (is_word_cp(cp) && cp != 0x00AD && cp != 0x200C &&
			   cp != 0x200D) {
			i = scan_word(an, s, n, i, field, &sent);
		} else {
			if (is_sentence_end(cp))
				sent = SL_TOK_SENT;
			i += len;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Folding and term lookup                                             */

/*
 * Fold a token as written into an->scratch: NFKC, case folding, the
 * typographic apostrophe made plain, default-ignorable characters
 * dropped, thousands separators and an acronym's last dot removed.
 * Returns SL_TOK_CAP/UPPER/NUM as written.
 */
static int fold(sl_analyzer *an, const char *s, size_t n, int url)
{
	sl_buf *out = &an->scratch;
	int flags = 0, letters = 0, lowers = 0, ascii = 1;

	sl_buf_clear(out);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			ascii = 0;
	if (ascii) {
		char *w;

		sl_buf_reserve(out, n);
		w = out->data;
		for (size_t i = 0; i < n; i++) {
			char c = s[i];
			int k = ascii_class[(unsigned char)c];

			if (k & C_ALPHA) {
				letters++;
				lowers += !!(k & C_LOWER);
			}
			if (!url && c == ',')
				continue;
			if (!url && c == '.' && i + 1 == n)
				continue;
			*w++ = (k & C_UPPER) ? (char)(c | 0x20) : c;
		}
		out->len = (size_t)(w - out->data);
		if (ascii_class[(unsigned char)s[0]] & C_UPPER)
			flags |= SL_TOK_CAP;
	} else {
		utf8proc_uint8_t *mapped = NULL;
		utf8proc_ssize_t mlen;
		int first = 1;

		/* Count letters and capitals as written, and make the
		 * typographic apostrophe plain before mapping. */
		for (size_t i = 0; i < n;) {
			int32_t cp;
			size_t len = sl_utf8_decode(s + i, n - i, &cp);
			int cat = utf8proc_category(cp);

			if (cat == UTF8PROC_CATEGORY_LU ||
			    cat == UTF8PROC_CATEGORY_LT) {
				letters++;
				if (first)
					flags |= SL_TOK_CAP;
			} else if (cat == UTF8PROC_CATEGORY_LL) {
				letters++;
				lowers++;
			}
			if (cat != UTF8PROC_CATEGORY_MN)
				first = 0;
			if (cp == 0x2019)
				sl_buf_addc(out, '\'');
			else if (!(cp == ',' && !url))
				sl_buf_add(out, s + i, len);
			i += len;
		}
		mlen = utf8proc_map((const utf8proc_uint8_t *)out->data,
				    (utf8proc_ssize_t)out->len, &mapped,
				    UTF8PROC_STABLE | UTF8PROC_COMPAT |
					    UTF8PROC_COMPOSE |
					    UTF8PROC_CASEFOLD |
					    UTF8PROC_IGNORE);
		sl_buf_clear(out);
		if (mlen > 0)
			sl_buf_add(out, mapped, (size_t)mlen);
		free(mapped);
	}
	if (letters >= 2 && lowers == 0)
		flags |= SL_TOK_UPPER;
	if (cls(s, n, 0) & C_DIGIT)
		flags |= SL_TOK_NUM;
	if (out->len > SL_MAX_TOKEN)
		out->len = sl_utf8_floor(out->data, out->len, SL_MAX_TOKEN);
	if (out->data)
		out->data[out->len] = '\0';
	return flags;
}

static uint32_t stop_mask(const sl_analyzer *an, const char *w, size_t n)
{
	uint32_t e = sl_strtab_find(&an->stops, w, n, sl_hash(w, n));

	return e == SL_STRTAB_NONE ? 0 : an->stop_mask[e];
}

/* French/Italian elision: "l'état" -> "état", "dell'anno" -> "anno". */
static size_t elided_prefix(const char *w, size_t n)
{
	const char *apos = memchr(w, '\'', n);

	if (apos && apos - w <= 5 && (size_t)(apos - w) + 1 < n)
		return (size_t)(apos - w) + 1;
	return 0;
}

static uint32_t term_index(sl_analyzer *an, const char *text, size_t len)
{
	int created;
	uint32_t t = sl_strtab_intern(&an->terms, text, len,
				      sl_hash(text, len), &created);

	if (created) {
		if (an->terms.cap > an->terms_cap) {
			size_t cap = an->terms.cap;

			an->term_use = sl_realloc(an->term_use,
						  cap * sizeof(*an->term_use));
			an->terms_cap = cap;
		}
		an->term_use[t].stamp = 0;
	}
	return t;
}

static int script_of(int32_t cp);

/* What the language guess needs of a token, kept in its cache slot so
 * that the guess reads nothing else: the stop-word mask and the script. */
#define EVIDENCE(mask, script) ((mask) | (uint32_t)(script) << 24)
#define EVIDENCE_MASK(ev) ((ev) & 0xFFFFFF)
#define EVIDENCE_SCRIPT(ev) ((ev) >> 24)

/* The cache entry of a token as written, made on a miss: that is the
 * only time a token is folded and checked against the stop words.
 * *evidence receives EVIDENCE() of the token. */
static uint32_t cache_entry(sl_analyzer *an, const char *s, size_t n,
			    uint64_t h, int raw_flags, uint32_t *evidence)
{
	const sl_hmap_slot *slot = sl_hmap_find(&an->cache, h);
	cache_entry_t *ce;
	int flags, script = NO_SCRIPT;
	uint32_t mask = 0, folded, e;
	int32_t cp;

	if (slot) {
		*evidence = slot->extra;
		return slot->value;
	}
	flags = fold(an, s, n, raw_flags & SL_TOK_URL);
	flags |= raw_flags & (SL_TOK_URL | SL_TOK_CJK);
	if (!an->scratch.len)
		flags |= ENTRY_EMPTY;
	if (!(flags & (SL_TOK_URL | SL_TOK_CJK | SL_TOK_NUM)))
		mask = stop_mask(an, an->scratch.data, an->scratch.len);
	if (!(flags & SL_TOK_URL)) {
		sl_utf8_decode(s, n, &cp);
		script = script_of(cp);
		if (script < 0)
			script = NO_SCRIPT;
	}
	folded = term_index(an, an->scratch.data ? an->scratch.data : "",
			    an->scratch.len);
	e = (uint32_t)an->n_entries++;
	/* The language guess counts stop words, not calendar words. */
	*evidence = EVIDENCE(mask & ((1u << CALENDAR) - 1), script);
	sl_hmap_put(&an->cache, h, e, *evidence);
	sl_grow(&an->entries, &an->entries_cap, an->n_entries,
		sizeof(*an->entries));
	ce = &an->entries[e];
	ce->folded = folded;
	ce->term = folded;
	ce->stop_mask = mask;
	ce->flags = (uint8_t)flags;
	ce->lang = NO_LANG;
	ce->stop = 0;
	ce->calendar = 0;
	return e;
}

/* Give a cache entry its term in language li: stop word, or stem. */
static void stem_entry(sl_analyzer *an, cache_entry_t *ce, int li)
{
	const lang_ctx *lc = &an->langs[li];
	const char *text;
	size_t len, cut = 0;
	uint32_t mask;
	int stop;

	ce->lang = (uint8_t)li;
	ce->term = ce->folded;
	ce->stop = 0;
	ce->calendar = 0;
	if (ce->flags & (SL_TOK_URL | SL_TOK_CJK | SL_TOK_NUM))
		return;
	/* Work on a copy: interning a term may move the terms' pool. */
	sl_buf_clear(&an->scratch);
	sl_buf_add(&an->scratch, sl_strtab_key(&an->terms, ce->folded),
		   sl_strtab_len(&an->terms, ce->folded));
	text = an->scratch.data;
	len = an->scratch.len;
	mask = ce->stop_mask;
	if (lc->elision && (cut = elided_prefix(text, len))) {
		text += cut;
		len -= cut;
		mask = stop_mask(an, text, len);
	}
	stop = (mask & lc->stop_bit) != 0;
	ce->stop = (uint8_t)stop;
	ce->calendar = (mask & (lc->stop_bit << CALENDAR)) != 0;
	/* Acronyms ("u.s") are not words a stemmer knows. */
	if (!stop && lc->stemmer && !memchr(text, '.', len)) {
		const sb_symbol *stem = sb_stemmer_stem(
			lc->stemmer, (const sb_symbol *)text, (int)len);

		/* Some stemmers (Greek) cut short words to nothing;
		 * such a word stays as it is. */
		if (stem && sb_stemmer_length(lc->stemmer) > 0) {
			text = (const char *)stem;
			len = (size_t)sb_stemmer_length(lc->stemmer);
		}
	}
	if (cut || text != an->scratch.data || len != an->scratch.len)
		ce->term = term_index(an, text, len);
}

/* ------------------------------------------------------------------ */
/* Language guess                                                      */


static int script_of(int32_t cp)
{
	if (cp < 0x250)
		return S_LATIN;
	if (cp >= 0x370 && cp < 0x400)
		return S_GREEK;
	if (cp >= 0x400 && cp < 0x530)
		return S_CYRILLIC;
	if (cp >= 0x590 && cp < 0x600)
		return S_HEBREW;
	if (cp >= 0x600 && cp < 0x700)
		return S_ARABIC;
	if (cp >= 0x900 && cp < 0x980)
		return S_DEVANAGARI;
	if (cp >= 0xE00 && cp < 0xE80)
		return S_THAI;
	if ((cp >= 0x3040 && cp < 0x3100) || (cp >= 0xFF66 && cp < 0xFFA0))
		return S_KANA;
	if (cp >= 0xAC00 && cp < 0xD7B0)
		return S_HANGUL;
	if (is_cjk(cp))
		return S_HAN;
	return -1;
}

/*
 * The script of most tokens decides outside the Latin alphabet; within
 * it, the language whose stop words occur most often, if it clearly does.
 */
static void guess_lang(sl_analyzer *an, char out[4])
{
	static const char *const script_lang[N_SCRIPTS] = {
		DEFAULT_LANG, "ru", "el", "ar", "he", "zh",
		"ja",         "ko", "th", "hi"};
	const size_t *scripts = an->scripts, *hits = an->stop_hits;
	int best_script = S_LATIN;

	for (int sc = 0; sc < N_SCRIPTS; sc++)
		if (scripts[sc] > scripts[best_script])
			best_script = sc;
	/* Japanese mixes kana with Han; any real share of kana decides. */
	if (best_script == S_HAN && scripts[S_KANA] * 5 > scripts[S_HAN])
		best_script = S_KANA;
	strcpy(out, script_lang[best_script]);
	if (best_script == S_LATIN) {
		size_t best = 0, second = 0;
		int best_l = -1;

		for (size_t l = 0; l < an->n_stoplists; l++) {
			if (!strcmp(an->stoplists[l].lang, "ru"))
				continue;
			if (hits[l] > best) {
				second = best;
				best = hits[l];
				best_l = (int)l;
			} else if (hits[l] > second) {
				second = hits[l];
			}
		}
		/* Related languages share articles ("la", "le"): a clear
		 * lead is enough, a tie is no evidence. */
		if (best_l >= 0 && best >= 2 && best > second)
			strcpy(out, an->stoplists[best_l].lang);
	}
}

/* ------------------------------------------------------------------ */
/* Analysis                                                            */

const sl_analysis *sl_analyze(sl_analyzer *an, const char *title,
			      size_t title_len, const char *body,
			      size_t body_len, const char *lang)
{
	sl_analysis *res = &an->result;
	char code[4];
	int li;

	/* A reset keeps the cache bounded; the previous result is dead. */
	if (an->n_entries > CACHE_LIMIT) {
		sl_hmap_clear(&an->cache);
		an->n_entries = 0;
		sl_strtab_clear(&an->terms);
	}
	an->n_raw = 0;
	an->fields[SL_FIELD_TITLE] = title ? title : "";
	an->fields[SL_FIELD_BODY] = body ? body : "";
	if (title)
		tokenize(an, title, title_len, SL_FIELD_TITLE);
	if (body)
		tokenize(an, body, body_len, SL_FIELD_BODY);
	res->lang_guessed = !normalize_lang(code, lang);
	memset(an->scripts, 0, sizeof(an->scripts));
	memset(an->stop_hits, 0, sizeof(an->stop_hits));
	for (size_t i = 0; i < an->n_raw; i++) {
		raw_token *rt = &an->raw[i];
		uint32_t evidence, mask;

		if (i + PREFETCH_AHEAD < an->n_raw)
			sl_hmap_prefetch(&an->cache,
					 an->raw[i + PREFETCH_AHEAD].hash);
		rt->entry = cache_entry(an, an->fields[rt->field] + rt->off,
					rt->len, rt->hash, rt->flags,
					&evidence);
		if (!res->lang_guessed || i >= GUESS_TOKENS)
			continue;
		if (EVIDENCE_SCRIPT(evidence) != NO_SCRIPT)
			an->scripts[EVIDENCE_SCRIPT(evidence)]++;
		for (mask = EVIDENCE_MASK(evidence); mask; mask &= mask - 1)
			an->stop_hits[__builtin_ctz(mask)]++;
	}
	if (res->lang_guessed)
		guess_lang(an, code);
	li = lang_index(an, code);
	if (li < 0) { /* more languages than slots: analyse as the default */
		strcpy(code, DEFAULT_LANG);
		li = lang_index(an, code);
	}
	strcpy(res->lang, code);

	if (++an->stamp == 0) {
		memset(an->term_use, 0, an->terms.n * sizeof(*an->term_use));
		an->stamp = 1;
	}
	sl_grow(&res->tokens, &an->tokens_cap, an->n_raw,
		sizeof(*res->tokens));
	res->n_tokens = 0;
	res->n_terms = 0;
	memset(res->field_len, 0, sizeof(res->field_len));
	res->n_words = 0;
	for (size_t i = 0; i < an->n_raw; i++) {
		const raw_token *rt = &an->raw[i];
		cache_entry_t *ce = &an->entries[rt->entry];
		sl_token *tok;
		sl_term *term;
		uint32_t t;

		if (i + PREFETCH_AHEAD < an->n_raw)
			__builtin_prefetch(
				&an->entries[an->raw[i + PREFETCH_AHEAD].entry]);
		if (i + PREFETCH_AHEAD / 2 < an->n_raw)
			__builtin_prefetch(&an->term_use[
				an->entries[an->raw[i + PREFETCH_AHEAD / 2]
						    .entry].term]);
		if (ce->lang != li)
			stem_entry(an, ce, li);
		if (ce->flags & ENTRY_EMPTY)
			continue; /* folded to nothing (ignorables only) */
		t = ce->term;
		if (an->term_use[t].stamp != an->stamp) {
			an->term_use[t].stamp = an->stamp;
			an->term_use[t].local = (uint32_t)res->n_terms;
			sl_grow(&res->terms, &an->result_terms_cap,
				res->n_terms + 1, sizeof(*res->terms));
			term = &res->terms[res->n_terms++];
			term->id = an->terms.hashes[t];
			term->word = an->terms.hashes[ce->folded];
			/* The text pointer is set at the end: interning a
			 * stem may still move the pool. */
			term->text = NULL;
			term->len = t;
			term->tf[0] = term->tf[1] = 0;
			term->stop = ce->stop;
			term->calendar = ce->calendar;
		}
		term = &res->terms[an->term_use[t].local];
		term->tf[rt->field]++;
		tok = &res->tokens[res->n_tokens++];
		tok->term = an->term_use[t].local;
		tok->off = rt->off;
		tok->len = rt->len;
		tok->field = rt->field;
		tok->flags = (uint8_t)(rt->flags |
				       (ce->flags & (SL_TOK_CAP | SL_TOK_UPPER |
						     SL_TOK_NUM)) |
				       (ce->stop ? SL_TOK_STOP : 0));
		if (!ce->stop)
			res->field_len[rt->field]++;
		if (rt->field == SL_FIELD_BODY)
			res->n_words++;
	}
	for (size_t i = 0; i < res->n_terms; i++) {
		uint32_t t = res->terms[i].len;

		res->terms[i].text = sl_strtab_key(&an->terms, t);
		res->terms[i].len = sl_strtab_len(&an->terms, t);
	}
	return res;
}
