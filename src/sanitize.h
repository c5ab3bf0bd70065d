/*
 * sanitize.h - article HTML cut down to an allow-list of reading tags and
 * attributes; shared by extraction (the chosen body) and by callers with
 * a fragment of their own (a feed item's content).
 */
#ifndef SL_SANITIZE_H
#define SL_SANITIZE_H

#include "html.h"

/*
 * Append the sanitized HTML of n (its own tag too when allowed) and its
 * subtree to out. Links and images are resolved against base (may be
 * NULL) and dropped when their scheme is not http(s) (or mailto for
 * links).
 */
void sl_sanitize_node(sl_buf *out, xmlNode *n, const char *base);

/*
 * One pass of sl_sanitize_html: parse html and clean it. Run on output
 * of sl_sanitize_node, it gives the tree a parser reads from that output
 * (an unwrapped tag can leave <p><p>), so cleaning it again changes
 * nothing. Caller frees.
 */
char *sl_sanitize_reparse(const char *html, size_t len, const char *base_url);

#endif
