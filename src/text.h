/*
 * text.h - the text analysis every part shares: tokens, terms, language.
 *
 * An article is analysed once, when it is added; the index, duplicate
 * detection, stories and the rail all read the same sl_analysis instead of
 * tokenizing again. A term is a stem (or a stop word, a number, a URL);
 * its id is the 64-bit hash of its text, stable across runs and machines.
 */
#ifndef SL_TEXT_H
#define SL_TEXT_H

#include <stddef.h>
#include <stdint.h>

typedef enum sl_field { SL_FIELD_TITLE = 0, SL_FIELD_BODY = 1 } sl_field;
#define SL_N_FIELDS 2

/* Token flags: cues later parts use (names, numbers, sentences). */
enum {
	SL_TOK_CAP = 1,     /* written with an upper-case first letter */
	SL_TOK_UPPER = 2,   /* written all in capitals (two letters or more) */
	SL_TOK_NUM = 4,     /* starts with a digit */
	SL_TOK_SENT = 8,    /* first token of a sentence or paragraph */
	SL_TOK_STOP = 16,   /* a stop word of the analysis language */
	SL_TOK_URL = 32,    /* a URL or e-mail address, kept whole */
	SL_TOK_CJK = 64     /* a bigram of a script written without spaces */
};

/* One token, in text order. */
typedef struct sl_token {
	uint32_t term;  /* index into sl_analysis.terms */
	uint32_t off;   /* byte offset in the field's text */
	uint16_t len;   /* bytes in the field's text */
	uint8_t field;  /* sl_field */
	uint8_t flags;  /* SL_TOK_* */
} sl_token;

/* One distinct term of the article with its frequency per field. */
typedef struct sl_term {
	uint64_t id;   /* sl_hash of text */
	uint64_t word; /* sl_hash of its first token folded but not stemmed:
			* a name's key in every language */
	const char *text;
	uint32_t len;
	uint32_t tf[SL_N_FIELDS];
	uint8_t stop;	  /* 1 for a stop word */
	uint8_t calendar; /* 1 for a day or a month: it dates the text */
} sl_term;

typedef struct sl_analysis {
	char lang[8];     /* the language used: given or guessed */
	int lang_guessed; /* 1 when no language was given */
	sl_token *tokens;
	size_t n_tokens;
	sl_term *terms; /* in order of first occurrence */
	size_t n_terms;
	uint32_t field_len[SL_N_FIELDS]; /* tokens per field */
	size_t n_words; /* body words, for the reading time */
} sl_analysis;

typedef struct sl_analyzer sl_analyzer;

/*
 * An analyzer holds the stemmers and a cache of token -> term lookups. It
 * is not thread-safe: use one per thread. Caller frees.
 */
sl_analyzer *sl_analyzer_new(void);
void sl_analyzer_free(sl_analyzer *an);

/*
 * Analyse a title and a body (valid UTF-8; either may be NULL). lang is
 * an ISO 639 code or tag ("en", "pt-BR"), or NULL/"" to guess it. The
 * result belongs to the analyzer and stays valid until its next call.
 */
const sl_analysis *sl_analyze(sl_analyzer *an, const char *title,
			      size_t title_len, const char *body,
			      size_t body_len, const char *lang);

/* Token text as written in the field (for names, snippets). */
static inline const char *sl_token_source(const sl_token *tok,
					  const char *title, const char *body)
{
	return (tok->field == SL_FIELD_TITLE ? title : body) + tok->off;
}

/* Longest token kept, in bytes; longer ones are cut at a code point. */
#define SL_MAX_TOKEN 64

#endif
