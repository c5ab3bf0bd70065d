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
#include "util/mem.h"
#include "util/strtab.h"
#include "util/utf8.h"

#define MAX_LANGS 48
#define GUESS_TOKENS 600              /* tokens the language guess reads */
#define CACHE_LIMIT (4u * 1024 * 1024) /* cached tokens before a reset */

/* The language the guess falls back to for Latin-script text. */
#define DEFAULT_LANG "en"

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
	uint8_t flags; /* SL_TOK_SENT | SL_TOK_URL | SL_TOK_CJK */
} raw_token;

struct sl_analyzer {
	/* Stop words: folded word -> bit mask of languages. */
	sl_strtab stops;
	uint32_t *stop_mask;
	const sl_stoplist *stoplists;
	size_t n_stoplists;

	lang_ctx langs[MAX_LANGS];
	size_t n_langs;

	/* Token cache: [language index][token as written] -> term. */
	sl_strtab cache;
	uint32_t *cache_term;
	uint8_t *cache_flags;
	size_t cache_cap;

	/* Terms (stems): text -> id, and the stamp of the last analysis that
	 * used them with their index in it. */
	sl_strtab terms;
	uint64_t *term_id;
	uint32_t *term_stamp;
	uint32_t *term_local;
	uint8_t *term_stop;
	size_t terms_cap;
	uint32_t stamp;

	raw_token *raw;
	size_t n_raw, raw_cap;
	sl_buf scratch;
	const char *fields[SL_N_FIELDS];

	sl_analysis result;
	size_t tokens_cap, result_terms_cap;
};

/* ASCII character classes. */
enum { C_LOWER = 1, C_UPPER = 2, C_DIGIT = 4, C_SPACE = 8 };
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

sl_analyzer *sl_analyzer_new(void)
{
	static int classes_ready;
	sl_analyzer *an = sl_calloc(1, sizeof(*an));

	if (!classes_ready) {
		init_classes();
		classes_ready = 1;
	}
	sl_strtab_init(&an->stops);
	sl_strtab_init(&an->cache);
	sl_strtab_init(&an->terms);
	an->stoplists = sl_stoplists(&an->n_stoplists);
	for (size_t l = 0; l < an->n_stoplists; l++) {
		const sl_stoplist *sl = &an->stoplists[l];

		for (size_t w = 0; w < sl->n_words; w++) {
			size_t len = strlen(sl->words[w]);
			size_t cap = an->stops.cap;
			uint32_t e = sl_strtab_intern(
				&an->stops, sl->words[w], len,
				sl_hash(sl->words[w], len), NULL);

			if (an->stops.cap != cap || !an->stop_mask) {
				an->stop_mask = sl_realloc(
					an->stop_mask,
					an->stops.cap * sizeof(uint32_t));
				memset(an->stop_mask + cap, 0,
				       (an->stops.cap - cap) * sizeof(uint32_t));
			}
			an->stop_mask[e] |= 1u << l;
		}
	}
	an->stamp = 1;
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
	sl_strtab_free(&an->cache);
	sl_strtab_free(&an->terms);
	free(an->stop_mask);
	free(an->cache_term);
	free(an->cache_flags);
	free(an->term_id);
	free(an->term_stamp);
	free(an->term_local);
	free(an->term_stop);
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
}

static int ascii_ieq(const char *s, size_t n, size_t i, const char *lit)
{
	size_t k = strlen(lit);

	if (i + k > n)
		return 0;
	for (size_t j = 0; j < k; j++)
		if ((s[i + j] | 0x20) != lit[j])
			return 0;
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
	if (j < n && strchr("@.-_+", s[j])) {
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

static void tokenize(sl_analyzer *an, const char *s, size_t n, int field)
{
	size_t i = 0;
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
				if (k < n && s[k] == '\n')
					sent = SL_TOK_SENT;
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
			sl_buf_addc(out, (k & C_UPPER) ? (char)(c | 0x20) : c);
		}
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
	if (ascii_class[(unsigned char)s[0]] & C_DIGIT)
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

static uint32_t term_index(sl_analyzer *an, const char *text, size_t len,
			   int stop)
{
	int created;
	uint32_t t = sl_strtab_intern(&an->terms, text, len,
				      sl_hash(text, len), &created);

	if (created) {
		if (an->terms.cap > an->terms_cap) {
			size_t cap = an->terms.cap;

			an->term_id = sl_realloc(an->term_id,
						 cap * sizeof(*an->term_id));
			an->term_stamp = sl_realloc(
				an->term_stamp, cap * sizeof(*an->term_stamp));
			an->term_local = sl_realloc(
				an->term_local, cap * sizeof(*an->term_local));
			an->term_stop = sl_realloc(
				an->term_stop, cap * sizeof(*an->term_stop));
			an->terms_cap = cap;
		}
		an->term_id[t] = an->terms.hashes[t];
		an->term_stamp[t] = 0;
		an->term_stop[t] = (uint8_t)stop;
	}
	return t;
}

/* Map a token as written to its term, through the cache. */
static uint32_t lookup(sl_analyzer *an, int lang, const char *s, size_t n,
		       int raw_flags, uint8_t *out_flags)
{
	const lang_ctx *lc = &an->langs[lang];
	char key[SL_MAX_TOKEN * 4 + 1];
	uint64_t h;
	uint32_t e, term;
	int created, flags, stop = 0;
	const char *text;
	size_t text_len, cut;

	key[0] = (char)lang;
	memcpy(key + 1, s, n);
	h = sl_hash(key, n + 1);
	e = sl_strtab_find(&an->cache, key, n + 1, h);
	if (e != SL_STRTAB_NONE) {
		*out_flags = an->cache_flags[e];
		return an->cache_term[e];
	}

	flags = fold(an, s, n, raw_flags & SL_TOK_URL);
	text = an->scratch.data ? an->scratch.data : "";
	text_len = an->scratch.len;
	if (!(raw_flags & (SL_TOK_URL | SL_TOK_CJK)) &&
	    !(flags & SL_TOK_NUM)) {
		if (lc->elision && (cut = elided_prefix(text, text_len))) {
			text += cut;
			text_len -= cut;
		}
		stop = lc->stop_bit && (stop_mask(an, text, text_len) &
					lc->stop_bit);
		if (!stop && lc->stemmer) {
			const sb_symbol *stem = sb_stemmer_stem(
				lc->stemmer, (const sb_symbol *)text,
				(int)text_len);

			if (stem) {
				text = (const char *)stem;
				text_len = (size_t)sb_stemmer_length(
					lc->stemmer);
			}
		}
	}
	if (stop)
		flags |= SL_TOK_STOP;
	term = term_index(an, text, text_len, stop);
	e = sl_strtab_intern(&an->cache, key, n + 1, h, &created);
	if (an->cache.cap > an->cache_cap) {
		an->cache_cap = an->cache.cap;
		an->cache_term = sl_realloc(
			an->cache_term, an->cache_cap * sizeof(uint32_t));
		an->cache_flags = sl_realloc(an->cache_flags, an->cache_cap);
	}
	an->cache_term[e] = term;
	an->cache_flags[e] = (uint8_t)flags;
	*out_flags = (uint8_t)flags;
	return term;
}

/* ------------------------------------------------------------------ */
/* Language guess                                                      */

enum { S_LATIN, S_CYRILLIC, S_GREEK, S_ARABIC, S_HEBREW, S_HAN, S_KANA,
       S_HANGUL, S_THAI, S_DEVANAGARI, N_SCRIPTS };

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
	size_t scripts[N_SCRIPTS] = {0};
	size_t hits[32] = {0};
	size_t n = an->n_raw < GUESS_TOKENS ? an->n_raw : GUESS_TOKENS;
	int best_script = S_LATIN;

	for (size_t i = 0; i < n; i++) {
		const raw_token *t = &an->raw[i];
		const char *s = an->fields[t->field] + t->off;
		int32_t cp;
		int script;

		if (t->flags & SL_TOK_URL)
			continue;
		sl_utf8_decode(s, t->len, &cp);
		script = script_of(cp);
		if (script < 0)
			continue;
		scripts[script]++;
		if (script == S_LATIN || script == S_CYRILLIC) {
			uint32_t mask;

			fold(an, s, t->len, 0);
			mask = stop_mask(an, an->scratch.data,
					 an->scratch.len);
			for (size_t l = 0; mask && l < an->n_stoplists; l++)
				if (mask & (1u << l))
					hits[l]++;
		}
	}
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
		if (best_l >= 0 && best >= 2 && best * 2 > second * 3)
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

	an->n_raw = 0;
	an->fields[SL_FIELD_TITLE] = title ? title : "";
	an->fields[SL_FIELD_BODY] = body ? body : "";
	if (title)
		tokenize(an, title, title_len, SL_FIELD_TITLE);
	if (body)
		tokenize(an, body, body_len, SL_FIELD_BODY);

	res->lang_guessed = !normalize_lang(code, lang);
	if (res->lang_guessed)
		guess_lang(an, code);
	li = lang_index(an, code);
	if (li < 0) { /* more languages than slots: analyse as the default */
		strcpy(code, DEFAULT_LANG);
		li = lang_index(an, code);
	}
	strcpy(res->lang, code);

	/* A reset keeps the cache bounded; the previous result is dead. */
	if (an->cache.n > CACHE_LIMIT) {
		sl_strtab_clear(&an->cache);
		sl_strtab_clear(&an->terms);
	}
	if (++an->stamp == 0) {
		memset(an->term_stamp, 0, an->terms.n * sizeof(uint32_t));
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
		const char *s = an->fields[rt->field] + rt->off;
		uint8_t flags;
		uint32_t t = lookup(an, li, s, rt->len, rt->flags, &flags);
		sl_token *tok;
		sl_term *term;

		if (an->terms.lens[t] == 0)
			continue; /* folded to nothing (ignorables only) */
		if (an->term_stamp[t] != an->stamp) {
			an->term_stamp[t] = an->stamp;
			an->term_local[t] = (uint32_t)res->n_terms;
			sl_grow(&res->terms, &an->result_terms_cap,
				res->n_terms + 1, sizeof(*res->terms));
			term = &res->terms[res->n_terms++];
			term->id = an->term_id[t];
			term->text = sl_strtab_key(&an->terms, t);
			term->len = an->terms.lens[t];
			term->tf[0] = term->tf[1] = 0;
			term->stop = an->term_stop[t];
		}
		term = &res->terms[an->term_local[t]];
		term->tf[rt->field]++;
		tok = &res->tokens[res->n_tokens++];
		tok->term = an->term_local[t];
		tok->off = rt->off;
		tok->len = rt->len;
		tok->field = rt->field;
		tok->flags = (uint8_t)(rt->flags | flags);
		if (!(flags & SL_TOK_STOP))
			res->field_len[rt->field]++;
		if (rt->field == SL_FIELD_BODY)
			res->n_words++;
	}
	return res;
}
