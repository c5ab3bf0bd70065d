/*
 * date.c - dates as feeds and pages write them, read into seconds since
 * the epoch (UTC). Owns the tables of month, day and zone names.
 *
 * Two readers share the pieces (times, zones, the end of the text):
 * - ISO 8601, for text that opens with a four- or eight-digit year. What
 *   sl_time_parse accepts goes to it first, so this parser is a strict
 *   superset of the public one; the rest (slashes, blanks before the zone,
 *   named zones, compact forms) is read here.
 * - Everything else: an optional day name, then day-month-year or
 *   month-day-year with the month a word, then an optional time and zone.
 *   A leading word that is both a month and a day name ("mar" is March
 *   and mardi/martes) is tried as the month first, then as the day name.
 *
 * Choices, each made once here:
 * - No zone is UTC. Zone names are read from the table below, whatever
 *   their case. Where a name is ambiguous the table picks one: CST and
 *   CDT are US Central (RFC 822), not China; IST is India (+05:30), not
 *   Ireland or Israel; AST/ADT are Atlantic, not Arabia; BST is British
 *   Summer Time. ET, CT, MT and PT (as US news pages write them) take
 *   daylight time by the US rule since 2007 (second Sunday in March to the
 *   first Sunday in November, 02:00 local), applied to every year.
 * - Military zones: RFC 822 got their signs backwards and RFC 1123 and
 *   2822 say to read them as -0000, an unknown zone; here every letter
 *   but Z (UTC) and J (not a zone) reads as +0000. They must be upper
 *   case ("9:15 a" is not zone A); "z" is UTC, as in RFC 3339.
 * - Years: two digits by RFC 2822 (00-49 are 2000-2049, 50-99 are
 *   1950-1999), three digits plus 1900 (also RFC 2822), four as written.
 * - Numbers-only dates other than ISO ones are read only with dots,
 *   day first ("20.11.2026", as German and Dutch pages write them):
 *   "11/20/2026" and "20/11/2026" cannot be told apart and are refused.
 * - A leap second (:60) is the second before it, as in sl_time_parse;
 *   24:00 is the end of the day. Fractions of a second are dropped.
 * - Day names are skipped, never checked against the date: feeds get
 *   them wrong more often than the date.
 *
 * Civil-date arithmetic is util/time.c's (Howard Hinnant's
 * days_from_civil): no locale, no TZ variable, no strptime or timegm.
 * The text is read byte by byte up to its NUL and never past it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "date.h"
#include "util/civil.h"
#include "error.h"
#include "storyline.h"

/* Longest word looked up in a table, in bytes ("segunda-feira" is 13). */
#define WORD_MAX 24

typedef struct date_fields {
	int year, mon, day;
	int hour, min, sec;
	int off;     /* seconds east of UTC */
	int us_zone; /* ET, CT, MT, PT: standard offset in minutes; 0 none */
} date_fields;

/*
 * Month names, lower case, one string a month: en, de, fr, es, it, pt,
 * nl, then spellings without accents and abbreviations that are not
 * prefixes. Any prefix of three bytes or more of a name names its month
 * when all the names it prefixes agree ("jui" is juin and juillet, so it
 * names none).
 */
static const char *const month_names[12] = {
    "january januar janvier enero gennaio janeiro januari jänner jaenner",
    "february februar février febrero febbraio fevereiro februari fevrier",
    "march märz mars marzo março maart maerz marz marco mrz mrt",
    "april avril abril aprile",
    "may mai mayo maggio maio mei",
    "june juni juin junio giugno junho",
    "july juli juillet julio luglio julho",
    "august août agosto augustus aout",
    "september septembre septiembre settembre setembro setiembre",
    "october oktober octobre octubre ottobre outubro",
    "november novembre noviembre novembro",
    "december dezember décembre diciembre dicembre dezembro decembre",
};

/* Day names, lower case, one string a language (then spellings without
 * accents); any prefix of two bytes or more is one ("Do.", "Thu",
 * "Thurs", "mer."). */
static const char *const day_names[] = {
    "monday tuesday wednesday thursday friday saturday sunday weds",
    "montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag",
    "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "lunes martes miércoles jueves viernes sábado domingo miercoles sabado",
    "lunedì martedì mercoledì giovedì venerdì sabato domenica "
    "lunedi martedi mercoledi giovedi venerdi",
    "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira "
    "terca-feira",
    "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
};

/* Zone names and their offsets east of UTC, in minutes. Ambiguous names
 * are read as the file comment says; ET/CT/MT/PT are below, with DST. */
static const struct zone_name {
	const char *name;
	int minutes;
} zone_names[] = {
    {"ut", 0},	    {"utc", 0},	    {"gmt", 0},	   {"z", 0},	  {"wet", 0},
    {"west", 60},   {"bst", 60},    {"ist", 330},  {"cet", 60},	  {"cest", 120},
    {"met", 60},    {"mest", 120},  {"mez", 60},   {"mesz", 120}, {"eet", 120},
    {"eest", 180},  {"msk", 180},   {"est", -300}, {"edt", -240}, {"cst", -360},
    {"cdt", -300},  {"mst", -420},  {"mdt", -360}, {"pst", -480}, {"pdt", -420},
    {"akst", -540}, {"akdt", -480}, {"hst", -600}, {"ast", -240}, {"adt", -180},
    {"nst", -210},  {"ndt", -150},  {"brt", -180}, {"art", -180}, {"pkt", 300},
    {"wib", 420},   {"sgt", 480},   {"hkt", 480},  {"awst", 480}, {"jst", 540},
    {"kst", 540},   {"acst", 570},  {"acdt", 630}, {"aest", 600}, {"aedt", 660},
    {"nzst", 720},  {"nzdt", 780},
};

/* US zones as news pages write them: the standard offset, an hour more
 * in daylight time. */
static const struct zone_name us_zones[] = {
    {"et", -300},
    {"ct", -360},
    {"mt", -420},
    {"pt", -480},
};

/* Words between a date and its time: "at 9:15", "um 09:15", "à 09:15",
 * "a las 9:15", "alle 9:15", "às 09:15", "om 9:15" (French "9h15" is not
 * read). */
static const char *const time_words[] = {
    "at", "um", "à", "a", "as", "às", "las", "alle", "ore", "om",
};

/* 0 for Sunday to 6 for Saturday. */
static int weekday(int y, int m, int d)
{
	int64_t days = sl_days_from_civil(y, m, d);

	return (int)(((days % 7) + 7 + 4) % 7); /* 1970-01-01 a Thursday */
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_ascii_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The length of the blank at p: ASCII blanks, no-break space U+00A0,
 * thin space U+2009 and narrow no-break space U+202F (which pages and
 * ICU put before "AM"); 0 when p is not at one. */
static size_t blank_len(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	if (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n')
		return 1;
	if (u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0x89 || u[2] == 0xaf))
		return 3;
	return 0;
}

static const char *skip_blanks(const char *p)
{
	size_t n;

	while ((n = blank_len(p)) > 0)
		p += n;
	return p;
}

/* A separator some pages put between date and time: middle dot U+00B7 or
 * en dash U+2013; its length or 0. */
static size_t dot_dash_len(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	if (u[0] == 0xc2 && u[1] == 0xb7)
		return 2;
	if (u[0] == 0xe2 && u[1] == 0x80 && u[2] == 0x93)
		return 3;
	return 0;
}

/* Can p start or continue a word: an ASCII letter or any non-ASCII
 * character that is not a blank or a separator. */
static bool at_letter(const char *p)
{
	if (is_ascii_letter(*p))
		return true;
	return (unsigned char)*p >= 0x80 && !blank_len(p) && !dot_dash_len(p);
}

/* The length of the word at p: letters, with inner hyphens between
 * letters ("quinta-feira"); 0 when p is not at a letter. */
static size_t word_len(const char *p)
{
	size_t n = 0;

	for (;;) {
		if (at_letter(p + n))
			n++;
		else if (n > 0 && p[n] == '-' && at_letter(p + n + 1))
			n++;
		else
			return n;
	}
}

/* The word at p (len bytes) in lower case into buf: ASCII letters and
 * the Latin-1 capitals U+00C0-U+00DE (UTF-8 C3 80-9E). False when it is
 * too long to be in any table. */
static bool fold_word(char buf[WORD_MAX], const char *p, size_t len)
{
	if (len >= WORD_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		else if (i > 0 && (unsigned char)p[i - 1] == 0xc3 &&
			 c >= 0x80 && c <= 0x9e && c != 0x97)
			c += 0x20;
		buf[i] = (char)c;
	}
	buf[len] = '\0';
	return true;
}

/* Does the word at p (len bytes) fold to want? */
static bool word_is(const char *p, size_t len, const char *want)
{
	char buf[WORD_MAX];

	return fold_word(buf, p, len) && strcmp(buf, want) == 0;
}

/* Is word (len bytes, at least min) a prefix of one of the names, a
 * string of names separated by spaces? */
static bool prefix_of_any(const char *names, const char *word, size_t len,
			  size_t min)
{
	const char *name = names;

	if (len < min)
		return false;
	while (*name) {
		size_t n = strcspn(name, " ");

		if (n >= len && memcmp(name, word, len) == 0)
			return true;
		name += n;
		name += *name == ' ';
	}
	return false;
}

/* The month the word at p names (1-12), or 0. */
static int month_of(const char *p, size_t len)
{
	char buf[WORD_MAX];
	int found = 0;

	if (!fold_word(buf, p, len))
		return 0;
	for (int mon = 1; mon <= 12; mon++) {
		if (!prefix_of_any(month_names[mon - 1], buf, len, 3))
			continue;
		if (found)
			return 0; /* a prefix of two months */
		found = mon;
	}
	return found;
}

static bool is_day_name(const char *p, size_t len)
{
	char buf[WORD_MAX];

	if (!fold_word(buf, p, len))
		return false;
	for (size_t i = 0; i < sizeof(day_names) / sizeof(*day_names); i++)
		if (prefix_of_any(day_names[i], buf, len, 2))
			return true;
	return false;
}

/* Read a run of digits at *p: how many, 0 when none. Only the first
 * nine make the value, and the count stops at ten: no caller takes more
 * than eight digits, and a run of millions must not overflow either. */
static int number(const char **p, int *out)
{
	int n = 0, v = 0;

	while (is_digit(**p)) {
		if (n < 9)
			v = v * 10 + (**p - '0');
		if (n < 10)
			n++;
		(*p)++;
	}
	*out = v;
	return n;
}

/* A year of two, three or four digits (RFC 2822 for the short ones);
 * NULL when p is not at one, or at a time ("2026:"). */
static const char *parse_year(const char *p, int *out)
{
	int v, n = number(&p, &v);

	if (n < 2 || n > 4 || *p == ':')
		return NULL;
	if (n == 2)
		v += v < 50 ? 2000 : 1900;
	else if (n == 3)
		v += 1900;
	*out = v;
	return p;
}

/* "am", "pm", "a.m.", "p.m." (any case) at p: sets *pm and returns what
 * follows, or NULL. */
static const char *parse_meridiem(const char *p, bool *pm)
{
	size_t len = word_len(p);
	char c = (char)(p[0] | 0x20);

	if (len == 2 && (word_is(p, 2, "am") || word_is(p, 2, "pm"))) {
		*pm = c == 'p';
		return p + 2;
	}
	if (len == 1 && (c == 'a' || c == 'p') && p[1] == '.' &&
	    (p[2] == 'm' || p[2] == 'M') && !at_letter(p + 3)) {
		*pm = c == 'p';
		return p[3] == '.' ? p + 4 : p + 3;
	}
	return NULL;
}

/*
 * A time at p: H[H]:MM[:SS[.fff]], then "am"/"pm" or German "Uhr"; with
 * iso, also ',' before the fraction and the compact HHMM[SS[.fff]]. Sets
 * the fields only when it returns non-NULL, what follows the time.
 */
static const char *parse_time(const char *p, date_fields *f, bool iso)
{
	const char *q = p, *r;
	int hour, min, sec = 0, v, n;
	bool have_sec = false, pm = false;

	n = number(&q, &v);
	if (iso && (n == 4 || n == 6) && *q != ':') {
		hour = n == 4 ? v / 100 : v / 10000;
		min = n == 4 ? v % 100 : v / 100 % 100;
		sec = n == 4 ? 0 : v % 100;
		have_sec = n == 6;
	} else {
		if (n < 1 || n > 2 || *q != ':')
			return NULL;
		hour = v;
		q++;
		if (number(&q, &min) != 2)
			return NULL;
		if (*q == ':' && is_digit(q[1])) {
			q++;
			if (number(&q, &sec) != 2)
				return NULL;
			have_sec = true;
		}
	}
	if (have_sec && (*q == '.' || (iso && *q == ',')) && is_digit(q[1])) {
		q++;
		while (is_digit(*q))
			q++;
	}
	/* "9:15 pm"; German "09:15 Uhr" */
	r = skip_blanks(q);
	if ((r = parse_meridiem(r, &pm)) != NULL) {
		if (hour < 1 || hour > 12)
			return NULL;
		hour = hour % 12 + (pm ? 12 : 0);
		q = r;
	} else {
		r = skip_blanks(q);
		if (word_len(r) == 3 && word_is(r, 3, "uhr"))
			q = r + 3;
	}
	if (hour > 24 || min > 59 || sec > 60 || (hour == 24 && (min || sec)))
		return NULL;
	f->hour = hour;
	f->min = min;
	f->sec = sec == 60 ? 59 : sec; /* a leap second is the last second */
	return q;
}

/* A numeric offset at p ("+01:00", "-0500", "+01"; "+1" only with
 * short_hour, after "GMT"/"UTC"); what follows it, or NULL. */
static const char *parse_offset(const char *p, date_fields *f, bool short_hour)
{
	int sign = *p == '-' ? -1 : 1, oh, om = 0, v, n;
	const char *q = p + 1;

	n = number(&q, &v);
	if (n == 4) {
		oh = v / 100;
		om = v % 100;
	} else if (n == 2 || (n == 1 && short_hour)) {
		oh = v;
		if (*q == ':' && is_digit(q[1])) {
			q++;
			if (number(&q, &om) != 2)
				return NULL;
		}
	} else {
		return NULL;
	}
	if (oh > 23 || om > 59)
		return NULL;
	f->off = sign * (oh * 3600 + om * 60);
	f->us_zone = 0;
	return q;
}

/*
 * A zone after a time, blanks before it allowed: a numeric offset, a
 * name from the tables (with an offset after UT/UTC/GMT: "GMT+0100"), or
 * a military letter. Returns what follows it, p itself when there is no
 * zone there, or NULL when there is a broken one ("+1", "GMT+").
 */
static const char *parse_zone(const char *p, date_fields *f)
{
	const char *q = skip_blanks(p);
	size_t len;
	char name[WORD_MAX];

	if (*q == '+' || *q == '-')
		return is_digit(q[1]) ? parse_offset(q, f, false) : p;
	len = word_len(q);
	if (len == 0 || !fold_word(name, q, len))
		return p;
	for (size_t i = 0; i < len; i++)
		if (!is_ascii_letter(q[i]))
			return p;
	if (len == 1 && ((q[0] >= 'a' && q[0] != 'z') || q[0] == 'J'))
		return p; /* lower case letters and J are not zones */
	if (len == 1) {
		f->off = 0; /* Z, and every military letter: see above */
		return q + 1;
	}
	for (size_t i = 0; i < sizeof(us_zones) / sizeof(*us_zones); i++) {
		if (strcmp(name, us_zones[i].name) == 0) {
			f->us_zone = us_zones[i].minutes;
			return q + len;
		}
	}
	for (size_t i = 0; i < sizeof(zone_names) / sizeof(*zone_names); i++) {
		if (strcmp(name, zone_names[i].name) != 0)
			continue;
		f->off = zone_names[i].minutes * 60;
		q += len;
		if (zone_names[i].minutes == 0 && (*q == '+' || *q == '-'))
			return parse_offset(q, f, true);
		return q;
	}
	return p;
}

/* Is p at the end: blanks and "(comments)", nested or not, only. */
static bool at_end(const char *p)
{
	p = skip_blanks(p);
	while (*p == '(') {
		size_t depth = 0;

		do {
			if (*p == '\0')
				return false; /* an unclosed comment */
			if (*p == '(')
				depth++;
			else if (*p == ')')
				depth--;
			p++;
		} while (depth > 0);
		p = skip_blanks(p);
	}
	return *p == '\0';
}

/* A time and its zone at p, then the end of the text. */
static bool time_to_end(const char *p, date_fields *f, bool iso)
{
	p = parse_time(p, f, iso);
	if (p)
		p = parse_zone(p, f);
	return p && at_end(p);
}

/*
 * What may follow a date outside ISO: nothing, or a time (after blanks,
 * a ',', '-', '|', '@', a middle dot or a dash, and up to two words such
 * as "at", "um", "a las") with its zone.
 */
static bool human_rest(const char *p, date_fields *f)
{
	const char *q = skip_blanks(p);
	size_t len;

	if (*q == ',' || *q == '-' || *q == '|' || *q == '@')
		q = skip_blanks(q + 1);
	else if ((len = dot_dash_len(q)) > 0)
		q = skip_blanks(q + len);
	for (int n_words = 0; n_words < 2 && (len = word_len(q)) > 0;
	     n_words++) {
		bool known = false;

		for (size_t i = 0; i < sizeof(time_words) / sizeof(*time_words);
		     i++)
			known = known || word_is(q, len, time_words[i]);
		if (!known)
			break;
		q = skip_blanks(q + len);
	}
	if (is_digit(*q) && time_to_end(q, f, false))
		return true;
	f->hour = f->min = f->sec = f->off = f->us_zone = 0;
	return at_end(p);
}

/* An ordinal ending after a day ("20th", "1er"); what follows it. */
static const char *skip_ordinal(const char *p)
{
	static const char *const endings[] = {"st", "nd", "rd", "th", "er"};
	size_t len = word_len(p);

	for (size_t i = 0; len == 2 && i < 5; i++)
		if (word_is(p, 2, endings[i]))
			return p + 2;
	return p;
}

/* Spanish and Portuguese "de"/"del" ("20 de noviembre de 2026"). */
static const char *skip_de(const char *p)
{
	size_t len = word_len(p);

	if ((len == 2 && word_is(p, 2, "de")) ||
	    (len == 3 && word_is(p, 3, "del")))
		return skip_blanks(p + len);
	return p;
}

/* "20 Nov 2026", "20. November 2026", "20-Nov-26", "1er novembre 2026",
 * "20 de noviembre de 2026", "20.11.2026", then human_rest. */
static bool day_first(const char *p, date_fields *f)
{
	bool dot = false;
	size_t len;

	if (number(&p, &f->day) > 2)
		return false;
	p = skip_ordinal(p);
	if (*p == '.') {
		dot = true;
		p++;
	}
	p = skip_blanks(p);
	if (!dot && (*p == '-' || *p == '/'))
		p = skip_blanks(p + 1);
	if (dot && is_digit(*p)) {
		/* 20.11.2026: numbers only with dots, day first */
		int n = number(&p, &f->mon);

		if (n < 1 || n > 2 || *p != '.')
			return false;
		p = skip_blanks(p + 1);
	} else {
		p = skip_de(p);
		len = word_len(p);
		if ((f->mon = month_of(p, len)) == 0)
			return false;
		p += len;
		if (*p == '.')
			p++;
		p = skip_blanks(p);
		if (*p == ',' || *p == '-' || *p == '/')
			p = skip_blanks(p + 1);
		p = skip_de(p);
	}
	p = parse_year(p, &f->year);
	return p && human_rest(p, f);
}

/*
 * "Nov 20, 2026", "November 20th 2026", JavaScript's "Nov 20 2026
 * 09:15:00 GMT+0100", asctime's "Nov 20 09:15:00 [zone] 2026 [zone]".
 */
static bool month_first(const char *p, date_fields *f)
{
	size_t len = word_len(p);
	const char *q;
	int n;

	if ((f->mon = month_of(p, len)) == 0)
		return false;
	p += len;
	if (*p == '.')
		p++;
	p = skip_blanks(p);
	n = number(&p, &f->day);
	if (n < 1 || n > 2)
		return false;
	p = skip_ordinal(p);
	q = skip_blanks(p);
	if (is_digit(*q)) {
		const char *t = parse_time(q, f, false);

		if (t) {
			/* asctime: the year after the time, the zone before
			 * the year or after it */
			const char *z = parse_zone(t, f), *y;

			if (!z || !(y = parse_year(skip_blanks(z), &f->year)))
				return false;
			if (z == t)
				y = parse_zone(y, f);
			return y && at_end(y);
		}
	}
	p = skip_blanks(p);
	if (*p == ',')
		p = skip_blanks(p + 1);
	p = parse_year(p, &f->year);
	return p && human_rest(p, f);
}

/* ISO 8601 dates sl_time_parse leaves: "2026/11/20", "2026-11-20 09:15
 * -0400", "2026-11-20 09:15 CET", "20261120T091500Z", "2026.11.20". */
static bool iso(const char *p, date_fields *f)
{
	int v, n = number(&p, &v);
	const char *q;

	if (n == 8) {
		f->year = v / 10000;
		f->mon = v / 100 % 100;
		f->day = v % 100;
	} else if (n == 4 && (*p == '-' || *p == '/' || *p == '.')) {
		char sep = *p++;

		f->year = v;
		n = number(&p, &f->mon);
		if (n < 1 || n > 2 || *p++ != sep)
			return false;
		n = number(&p, &f->day);
		if (n < 1 || n > 2)
			return false;
	} else {
		return false;
	}
	if (*p == 'T' || *p == 't')
		return time_to_end(p + 1, f, true);
	q = skip_blanks(p);
	if (q != p && is_digit(*q) && time_to_end(q, f, false))
		return true;
	f->hour = f->min = f->sec = f->off = f->us_zone = 0;
	return at_end(p);
}

/* Everything that does not open with a year. */
static bool human(const char *p, date_fields *f)
{
	size_t len = word_len(p);

	if (len == 0)
		return is_digit(*p) && day_first(p, f);
	if (month_of(p, len) && month_first(p, f))
		return true;
	if (!is_day_name(p, len))
		return false;
	*f = (date_fields){0}; /* "mar." was not March: a day name, then */
	p += len;
	if (*p == '.')
		p++;
	p = skip_blanks(p);
	if (*p == ',')
		p = skip_blanks(p + 1);
	return is_digit(*p) ? day_first(p, f) : month_first(p, f);
}

/* ET/CT/MT/PT: the US daylight-time rule on the local date and hour. */
static bool us_daylight(const date_fields *f)
{
	int start = 8 + (7 - weekday(f->year, 3, 1)) % 7; /* 2nd Sunday */
	int end = 1 + (7 - weekday(f->year, 11, 1)) % 7;  /* 1st Sunday */

	if (f->mon > 3 && f->mon < 11)
		return true;
	if (f->mon == 3)
		return f->day > start || (f->day == start && f->hour >= 2);
	if (f->mon == 11)
		return f->day < end || (f->day == end && f->hour < 2);
	return false;
}

int sl_date_parse(int64_t *out, const char *text)
{
	date_fields f = {0};
	const char *p = skip_blanks(text);
	bool ok;
	int64_t t;

	if (is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) &&
	    is_digit(p[3])) {
		/* What the strict parser reads, it reads (and so alike). */
		if (p[4] == '-' && sl_time_parse(&t, p) == 0) {
			*out = t;
			return 0;
		}
		ok = iso(p, &f);
	} else {
		ok = human(p, &f);
	}
	if (!ok || f.year > 9999 || f.mon < 1 || f.mon > 12 || f.day < 1 ||
	    f.day > sl_days_in_month(f.year, f.mon))
		goto bad;
	if (f.us_zone)
		f.off = (f.us_zone + (us_daylight(&f) ? 60 : 0)) * 60;
	t = sl_days_from_civil(f.year, f.mon, f.day) * 86400 + f.hour * 3600 +
	    f.min * 60 + f.sec - f.off;
	if (t < SL_TIME_MIN || t > SL_TIME_MAX)
		goto bad;
	*out = t;
	return 0;
bad:
	return sl_error_set(SL_EINVAL, "not a date: \"%.40s\"", text);
}
