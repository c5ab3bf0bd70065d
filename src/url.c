/*
 * url.c - canonical article URLs, the identity of articles that come
 * without an id.
 *
 * Two links to one article differ in case, ports, fragments and the
 * tracking parameters that newsletters and social sites append; the
 * canonical form removes exactly those differences and nothing that could
 * name another page (path case, other parameters and their order stay).
 */
#include <ctype.h>
#include <string.h>

#include "error.h"
#include "storyline.h"
#include "util/mem.h"

/* Query parameters that only say how a reader arrived. */
static const char *const tracking_params[] = {
	"fbclid", "gclid",   "gclsrc", "dclid",    "msclkid", "mc_cid",
	"mc_eid", "igshid",  "yclid",  "_ga",      "_gl",     "mkt_tok",
	"ncid",   "ocid",    "cmpid",  "smid",     "s_cid",   "wt.mc_id",
	"twclid", "li_fat_id", "ttclid", "srsltid", NULL,
};

static int is_tracking(const char *name, size_t len)
{
	if (len >= 4 && strncasecmp(name, "utm_", 4) == 0)
		return 1;
	for (const char *const *t = tracking_params; *t; t++)
		if (strlen(*t) == len && strncasecmp(name, *t, len) == 0)
			return 1;
	return 0;
}

/* Append s[0..n) with percent-escapes' hex digits upper-cased and
 * white space or control characters escaped. */
static void add_escaped(sl_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			sl_buf_addc(b, '%');
			sl_buf_addc(b, (char)toupper((unsigned char)s[i + 1]));
			sl_buf_addc(b, (char)toupper((unsigned char)s[i + 2]));
			i += 2;
		} else if ((unsigned char)s[i] <= 0x20 ||
			   (unsigned char)s[i] == 0x7F) {
			/* White space and controls are escaped in a URL. */
			sl_buf_printf(b, "%%%02X", (unsigned char)s[i]);
		} else {
			sl_buf_addc(b, s[i]);
		}
	}
}

int sl_url_canonical(char **out, const char *url)
{
	const char *p, *end, *auth, *auth_end, *host, *port = NULL;
	const char *path, *query = NULL, *query_end;
	sl_buf b = {0};
	int https;

	*out = NULL;
	if (!url)
		return sl_error_set(SL_EINVAL, "no URL");
	while (*url && isspace((unsigned char)*url))
		url++;
	end = url + strlen(url);
	while (end > url && isspace((unsigned char)end[-1]))
		end--;
	if ((size_t)(end - url) > 8 && strncasecmp(url, "https://", 8) == 0) {
		https = 1;
		auth = url + 8;
	} else if ((size_t)(end - url) > 7 &&
		   strncasecmp(url, "http://", 7) == 0) {
		https = 0;
		auth = url + 7;
	} else {
		return sl_error_set(SL_EINVAL, "not an http(s) URL: \"%.80s\"",
				    url);
	}
	for (auth_end = auth; auth_end < end && !strchr("/?#", *auth_end);
	     auth_end++)
		;
	host = auth;
	for (p = auth; p < auth_end; p++)
		if (*p == '@')
			host = p + 1; /* keep user info as written */
	if (host < auth_end && *host == '[') { /* IPv6 literal */
		p = memchr(host, ']', (size_t)(auth_end - host));
		if (!p)
			goto bad;
		if (p + 1 < auth_end && p[1] == ':')
			port = p + 2;
		else if (p + 1 != auth_end)
			goto bad;
	} else {
		p = memchr(host, ':', (size_t)(auth_end - host));
		if (p)
			port = p + 1;
	}
	if ((port ? port - 1 : auth_end) == host)
		goto bad;
	sl_buf_adds(&b, https ? "https://" : "http://");
	sl_buf_add(&b, auth, (size_t)(host - auth));
	for (p = host; p < (port ? port - 1 : auth_end); p++)
		sl_buf_addc(&b, (char)tolower((unsigned char)*p));
	if (port) {
		long num = 0;

		for (p = port; p < auth_end; p++) {
			if (!isdigit((unsigned char)*p) || num > 65535)
				goto bad;
			num = num * 10 + (*p - '0');
		}
		if (num > 65535)
			goto bad;
		if (port < auth_end && num != (https ? 443 : 80))
			sl_buf_printf(&b, ":%ld", num);
	}

	path = auth_end;
	for (p = path; p < end && *p != '?' && *p != '#'; p++)
		;
	if (p == path)
		sl_buf_addc(&b, '/');
	else
		add_escaped(&b, path, (size_t)(p - path));
	if (p < end && *p == '?') {
		query = p + 1;
		for (query_end = query; query_end < end && *query_end != '#';
		     query_end++)
			;
		int first = 1;

		for (p = query; p < query_end;) {
			const char *amp = memchr(p, '&',
						 (size_t)(query_end - p));
			const char *param_end = amp ? amp : query_end;
			const char *eq = memchr(p, '=',
						(size_t)(param_end - p));
			size_t name_len = (size_t)((eq ? eq : param_end) - p);

			if (param_end > p && !is_tracking(p, name_len)) {
				sl_buf_addc(&b, first ? '?' : '&');
				add_escaped(&b, p, (size_t)(param_end - p));
				first = 0;
			}
			p = param_end + (amp ? 1 : 0);
		}
	}
	*out = sl_buf_detach(&b);
	return 0;
bad:
	sl_buf_free(&b);
	return sl_error_set(SL_EINVAL, "malformed URL: \"%.80s\"", url);
}
