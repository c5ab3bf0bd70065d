/*
 * engine.c - ties the parts together: the one place that knows them all.
 *
 * An article is added in one step: tidied, given its canonical URL and
 * id, analysed once (language, terms, reading time, summary), and stored.
 * Later parts (index, copies, stories) hook in here and read the same
 * analysis instead of tokenizing again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "article.h"
#include "dedup.h"
#include "engine_int.h"
#include "error.h"
#include "util/mem.h"
#include "util/strtab.h"

int sl_engine_open(sl_engine **out, const char *path, unsigned flags)
{
	sl_engine *e;
	int rc;

	*out = NULL;
	e = sl_calloc(1, sizeof(*e));
	pthread_mutex_init(&e->lock, NULL);
	{
		pthread_mutexattr_t attr;

		pthread_mutexattr_init(&attr);
		pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
		pthread_mutex_init(&e->access, &attr);
		pthread_mutexattr_destroy(&attr);
	}
	rc = sl_store_open(&e->store, path, flags);
	if (rc < 0) {
		free(e);
		return rc;
	}
	e->analyzer = sl_analyzer_new();
	*out = e;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Index updates wait for the commit                                   */

static void drop_pending(sl_engine *e)
{
	sl_hmap_clear(&e->pend_df);
	e->pend_docs = 0;
	for (size_t i = 0; i < e->n_pending; i++) {
		free(e->pending[i].id);
		free(e->pending[i].outlet);
		free(e->pending[i].lang);
		free(e->pending[i].terms);
		free(e->pending[i].copy_of);
		free(e->pending[i].rerooted);
		sl_vec_clear(&e->pending[i].vec);
	}
	e->n_pending = 0;
}

/* Keep what the index needs of an article until its batch commits; the
 * placement's vector moves into it. */
static void queue_for_index(sl_engine *e, const sl_article *a,
			    const sl_analysis *an, sl_placement *pl)
{
	pending_doc *p;

	sl_grow(&e->pending, &e->cap_pending, e->n_pending + 1,
		sizeof(*e->pending));
	p = &e->pending[e->n_pending++];
	p->id = sl_strdup(a->id);
	p->outlet = sl_strdup(a->outlet);
	p->lang = sl_strdup(a->lang);
	p->published = a->published;
	p->seq = a->seq;
	p->n_terms = an->n_terms;
	p->terms = sl_malloc((an->n_terms ? an->n_terms : 1) *
			     sizeof(sl_term));
	memcpy(p->terms, an->terms, an->n_terms * sizeof(sl_term));
	for (size_t i = 0; i < an->n_terms; i++)
		p->terms[i].text = NULL; /* dies with the analysis */
	memcpy(p->field_len, an->field_len, sizeof(p->field_len));
	p->story = pl->story;
	p->copy_of = pl->copy_of ? sl_strdup(pl->copy_of) : NULL;
	p->rerooted = pl->rerooted ? sl_strdup(pl->rerooted) : NULL;
	p->vec = pl->vec;
	pl->vec = (sl_vec){0};
}

static void index_pending(sl_engine *e)
{
	for (size_t i = 0; i < e->n_pending && e->index; i++) {
		const pending_doc *p = &e->pending[i];
		sl_analysis an = {0};
		sl_index_doc_info info = {p->id,    p->published, p->outlet,
					  p->lang,  p->seq,       p->story,
					  p->copy_of, &p->vec};

		an.terms = p->terms;
		an.n_terms = p->n_terms;
		memcpy(an.field_len, p->field_len, sizeof(an.field_len));
		sl_index_add(e->index, &info, &an);
		e->index_changes++;
	}
	/* Families relinked in the batch, in turn, once all are in: a copy
	 * queued before its family was relinked names the old original. */
	for (size_t i = 0; i < e->n_pending && e->index; i++)
		if (e->pending[i].rerooted)
			sl_index_reroot(e->index, e->pending[i].story,
					e->pending[i].rerooted,
					e->pending[i].id);
	drop_pending(e);
}

const sl_analysis *sl_engine_analyze(sl_engine *e, const sl_article *a)
{
	return sl_analyze(e->analyzer, a->title, a->title ? strlen(a->title) : 0,
			  a->body_text, a->body_text ? strlen(a->body_text) : 0,
			  a->lang);
}

void sl_engine_vec(sl_engine *e, const sl_article *a, const sl_analysis *an,
		   int keep_text, sl_vec *out)
{
	sl_df_source df = sl_engine_df(e);

	sl_vec_of(out,
		  &(sl_doc_text){an, a->title, a->body_text, a->outlet,
				 a->byline, keep_text},
		  &df);
}

void sl_engine_index_article(sl_engine *e, const sl_article *a)
{
	const sl_analysis *an = sl_engine_analyze(e, a);
	int64_t story = 0;
	char *copy_of = NULL;
	sl_vec v;

	if (e->store->ops->placement(e->store, a->id, &story, &copy_of) < 0)
		story = 0; /* not placed yet */
	sl_engine_vec(e, a, an, 0, &v);
	sl_index_doc_info info = {a->id, a->published, a->outlet, a->lang,
				  a->seq, story,       copy_of,   &v};

	sl_index_add(e->index, &info, an);
	sl_vec_clear(&v);
	free(copy_of);
}

static void snapshot_path(const sl_engine *e, char *buf, size_t n)
{
	const char *db = e->store->ops->path(e->store);

	snprintf(buf, n, "%s.index", db ? db : "storyline.db");
}

/* A setting of the store as a number, or absent when it has none. */
static int64_t setting_int(sl_engine *e, const char *key, int64_t absent)
{
	char *v = NULL;
	int64_t n = absent;

	if (e->store->ops->setting(e->store, key, &v) == 0)
		n = strtoll(v, NULL, 10);
	free(v);
	return n;
}

/*
 * Every restory moves the store to a new placement epoch (a setting,
 * absent for the first): an index and a placer made under an older one
 * hold the old stories. Another process's restory is found this way
 * (sl_engine_refresh lets both go), and a snapshot is checked against
 * the store's id and epoch together, so that one saved under an older
 * epoch (a restory stopped before it saved its own) is not trusted.
 */
static int64_t store_epoch(sl_engine *e)
{
	return setting_int(e, "placement_epoch", 0);
}

void sl_engine_snapshot_id(sl_engine *e, int64_t epoch, char *buf, size_t n)
{
	const char *id = e->store->ops->id(e->store);

	if (epoch)
		snprintf(buf, n, "%s/%lld", id, (long long)epoch);
	else
		snprintf(buf, n, "%s", id);
}

typedef struct catch_up {
	sl_engine *e;
	size_t added;
	int64_t max_seq;
	int skip_own; /* a refresh: what this process committed is in */
} catch_up;

static int is_own(const sl_engine *e, int64_t seq)
{
	for (size_t i = 0; i < e->n_own; i++)
		if (seq >= e->own[i][0] && seq <= e->own[i][1])
			return 1;
	return 0;
}

static int index_one(const sl_article *a, void *ctx)
{
	catch_up *c = ctx;

	if (a->seq > c->max_seq)
		c->max_seq = a->seq;
	if (c->skip_own && is_own(c->e, a->seq))
		return 0;
	sl_engine_index_article(c->e, a);
	c->added++;
	return 0;
}

/*
 * The index comes from its snapshot when there is a good one, plus the
 * articles stored after it; else it is rebuilt from the store. Either
 * way the caller may save a new snapshot when it is done.
 */
int sl_engine_index_ready(sl_engine *e)
{
	char path[4096], id[128];
	int64_t snap_seq = 0;
	sl_stats stats;
	catch_up c = {e, 0, 0, 0};
	int rc;

	if (e->index)
		return 0;
	snapshot_path(e, path, sizeof(path));
	e->epoch = store_epoch(e);
	sl_engine_snapshot_id(e, e->epoch, id, sizeof(id));
	if (sl_index_load(&e->index, path, id, &snap_seq) == 0) {
		/* A snapshot ahead of its store (a restored database) is
		 * not trusted. */
		if (sl_engine_stats(e, &stats) == 0 &&
		    stats.max_seq >= snap_seq) {
			e->index_source = SL_INDEX_SNAPSHOT;
		} else {
			sl_index_free(e->index);
			e->index = NULL;
			snap_seq = 0;
		}
		sl_stats_clear(&stats);
	}
	/* A rebuild numbers the articles in publication order, whatever
	 * order they were stored in (an archive imported out of order):
	 * a search within dates, as every rail is, then reads the index's
	 * windows of those dates only. After a snapshot, the articles
	 * stored since come in store order, as they came live. */
	if (!e->index) {
		e->index = sl_index_new();
		e->index_source = SL_INDEX_REBUILT;
		rc = e->store->ops->scan_by_time(e->store, index_one, &c);
	} else {
		rc = sl_engine_foreach(e, snap_seq, index_one, &c);
	}
	if (rc < 0) {
		sl_index_free(e->index);
		e->index = NULL;
		return sl_error_prefix(rc, "building the search index");
	}
	e->index_changes += c.added;
	e->followed = c.max_seq > snap_seq ? c.max_seq : snap_seq;
	if (c.added > 1000)
		sl_index_compact(e->index);
	return 0;
}

/*
 * Has another process placed everything again (a restory)? Then the
 * index and the placer hold old stories: both are let go, and read again
 * when next needed (the index from the snapshot that process leaves).
 * Asked at every refresh and at the start of every batch, so that a
 * server's pages and a polling round's new articles follow.
 */
static int replaced(sl_engine *e)
{
	if (!e->index || store_epoch(e) == e->epoch)
		return 0;
	sl_index_free(e->index);
	e->index = NULL;
	e->index_changes = 0;
	e->n_own = 0;
	sl_placer_free(e->placer);
	e->placer = NULL;
	__atomic_add_fetch(&e->changes, 1, __ATOMIC_RELEASE);
	return 1;
}

int sl_engine_refresh(sl_engine *e)
{
	catch_up c = {e, 0, 0, 1};
	int rc;

	if (!e->index || e->in_batch)
		return 0; /* loaded fresh when first needed */
	if (replaced(e))
		return 0;
	/* Everything stored after the last article followed, but for what
	 * this process committed itself (another process may have
	 * committed between those batches). */
	rc = sl_engine_foreach(e, e->followed, index_one, &c);
	if (rc < 0)
		return sl_error_prefix(rc, "following the store");
	if (c.max_seq > e->followed)
		e->followed = c.max_seq;
	e->n_own = 0;
	if (c.added) {
		/* what another process stored: its stories are in the
		 * store, so the placer is read again */
		e->index_changes += c.added;
		sl_placer_free(e->placer);
		e->placer = NULL;
		__atomic_add_fetch(&e->changes, 1, __ATOMIC_RELEASE);
	}
	return (int)(c.added > 0x7fffffff ? 0x7fffffff : c.added);
}

int sl_engine_index_save(sl_engine *e)
{
	char path[4096], id[128];
	int rc;

	if (!e->index)
		return 0;
	/* A snapshot says "everything up to my highest sequence number":
	 * true only once what other processes stored between this one's
	 * batches is in too. */
	if ((rc = sl_engine_refresh(e)) < 0)
		return rc;
	if (!e->index) /* let go: another process placed everything again */
		return 0;
	snapshot_path(e, path, sizeof(path));
	sl_engine_snapshot_id(e, e->epoch, id, sizeof(id));
	rc = sl_index_save(e->index, path, id);
	if (rc == 0)
		e->index_changes = 0;
	return rc;
}

void sl_engine_free(sl_engine *e)
{
	if (!e)
		return;
	if (e->in_batch)
		e->store->ops->rollback(e->store);
	/* Leave a snapshot for the next start when the index changed; a
	 * failure only costs that start a rebuild. */
	if (e->index && e->index_changes)
		sl_engine_index_save(e);
	e->store->ops->close(e->store);
	sl_analyzer_free(e->analyzer);
	sl_index_free(e->index);
	sl_placer_free(e->placer);
	sl_hmap_free(&e->pend_df);
	drop_pending(e);
	free(e->pending);
	pthread_mutex_destroy(&e->lock);
	pthread_mutex_destroy(&e->access);
	free(e->own);
	free(e->top.t);
	free(e);
}

int sl_engine_begin(sl_engine *e)
{
	int rc = e->store->ops->begin(e->store);

	if (rc == 0) {
		e->in_batch = 1;
		replaced(e); /* read inside the batch: no restory in between */
	}
	return rc;
}

int sl_engine_commit(sl_engine *e)
{
	int rc = e->store->ops->commit(e->store);

	e->in_batch = 0;
	if (rc == 0) {
		int64_t lo = INT64_MAX, hi = INT64_MIN;

		for (size_t i = 0; i < e->n_pending; i++) {
			if (e->pending[i].seq < lo)
				lo = e->pending[i].seq;
			if (e->pending[i].seq > hi)
				hi = e->pending[i].seq;
		}
		if (e->n_pending && e->index) {
			sl_grow(&e->own, &e->cap_own, e->n_own + 1,
				sizeof(*e->own));
			e->own[e->n_own][0] = lo;
			e->own[e->n_own++][1] = hi;
		}
		index_pending(e);
		__atomic_add_fetch(&e->changes, 1, __ATOMIC_RELEASE);
	} else { /* what was placed in memory is not in the store */
		sl_placer_free(e->placer);
		e->placer = NULL;
	}
	drop_pending(e);
	return rc;
}

int sl_engine_rollback(sl_engine *e)
{
	e->in_batch = 0;
	drop_pending(e);
	sl_placer_free(e->placer); /* rebuilt from the store when needed */
	e->placer = NULL;
	return e->store->ops->rollback(e->store);
}

static void hash_field(XXH3_state_t *st, const char *s)
{
	/* The length first, so that fields cannot run into each other. */
	uint64_t len = s ? strlen(s) + 1 : 0;

	XXH3_64bits_update(st, &len, sizeof(len));
	if (s)
		XXH3_64bits_update(st, s, len);
}

/* Everything stored about the article except when it was fetched and its
 * sequence number: equal hashes mean nothing to write. */
static uint64_t content_hash(const sl_article *a)
{
	XXH3_state_t st;

	XXH3_64bits_reset(&st);
	hash_field(&st, a->url);
	hash_field(&st, a->outlet);
	hash_field(&st, a->title);
	hash_field(&st, a->byline);
	XXH3_64bits_update(&st, &a->published, sizeof(a->published));
	hash_field(&st, a->lang);
	hash_field(&st, a->body_text);
	hash_field(&st, a->body_html);
	hash_field(&st, a->summary);
	hash_field(&st, a->image);
	for (size_t i = 0; i < a->n_captions; i++)
		hash_field(&st, a->captions[i]);
	hash_field(&st, a->extra);
	return XXH3_64bits_digest(&st);
}

static char *hex_id(uint64_t h)
{
	char buf[17];

	snprintf(buf, sizeof(buf), "%016llx", (unsigned long long)h);
	return sl_strdup(buf);
}

/* The id of an article that came without one: the article already stored
 * under its canonical URL, else a hash of that URL, else a hash of what
 * identifies a story without a link (outlet, title, time). */
static int derive_id(sl_engine *e, sl_article *a)
{
	XXH3_state_t st;
	int rc;

	if (a->canonical_url) {
		rc = e->store->ops->id_for_url(e->store, a->canonical_url,
					       &a->id);
		if (rc == 0)
			return 0;
		if (rc != SL_ENOTFOUND)
			return rc;
		a->id = hex_id(sl_hash(a->canonical_url, strlen(a->canonical_url)));
		return 0;
	}
	XXH3_64bits_reset(&st);
	hash_field(&st, a->outlet);
	hash_field(&st, a->title);
	XXH3_64bits_update(&st, &a->published, sizeof(a->published));
	if (!a->title)
		hash_field(&st, a->body_text);
	a->id = hex_id(XXH3_64bits_digest(&st));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Copies and stories                                                  */

static void engine_df(void *ctx, const uint64_t *terms, size_t n,
		      uint32_t *out, size_t *n_docs)
{
	sl_engine *e = ctx;

	*n_docs = 0;
	if (e->index)
		sl_index_df(e->index, terms, n, out, n_docs);
	else
		memset(out, 0, n * sizeof(*out));
	*n_docs += e->pend_docs;
	for (size_t i = 0; e->pend_docs && i < n; i++) {
		uint32_t extra = sl_hmap_get(&e->pend_df, terms[i]);

		if (extra != SL_HMAP_NONE)
			out[i] += extra;
	}
}

sl_df_source sl_engine_df(sl_engine *e)
{
	sl_df_source src = {engine_df, e};

	return src;
}

/* Count an article's terms until its batch reaches the index. */
static void count_terms(sl_hmap *df, size_t *n_docs, const sl_analysis *an)
{
	for (size_t i = 0; i < an->n_terms; i++) {
		uint32_t c = sl_hmap_get(df, an->terms[i].id);

		sl_hmap_put(df, an->terms[i].id, c == SL_HMAP_NONE ? 1 : c + 1,
			    0);
	}
	(*n_docs)++;
}

static int64_t article_time(const sl_article *a)
{
	return a->published != SL_TIME_NONE ? a->published : a->fetched_at;
}

/* Place an article and store where it went; *pl keeps the placement
 * (its vector is the caller's to clear, whatever is returned). */
static int place_with(sl_engine *e, const sl_article *a,
		      const sl_analysis *an, const sl_df_source *df,
		      sl_placement *pl)
{
	int64_t time = article_time(a);
	sl_doc_text d = {an, a->title, a->body_text, a->outlet, a->byline, 0};
	int rc;

	sl_placer_place(e->placer, a->id, time, &d, df, pl);
	if (pl->rerooted &&
	    (rc = e->store->ops->reroot(e->store, pl->story, pl->rerooted,
					a->id)) < 0)
		return rc;
	return e->store->ops->place(e->store, a->id, pl->story, pl->copy_of,
				    time);
}

/* Record in the store the rules its stories are placed under (in a
 * batch). */
static int set_rules(sl_engine *e)
{
	char buf[16];
	int rc;

	snprintf(buf, sizeof(buf), "%d", SL_STORY_RULES);
	rc = e->store->ops->set_setting(e->store, "story_rules", buf);
	if (rc == 0)
		e->rules_pending = 0;
	return rc;
}

/* A new article gets its copy link and story; an update keeps its place,
 * so re-ingesting never reshuffles stories. *pl receives the placement
 * and the article's vector (the caller clears it). */
static int place(sl_engine *e, const sl_article *a, const sl_analysis *an,
		 sl_add_status status, sl_placement *pl, char **kept)
{
	sl_df_source df = sl_engine_df(e);
	int rc;

	memset(pl, 0, sizeof(*pl));
	if (status == SL_ADD_UPDATED) {
		rc = e->store->ops->placement(e->store, a->id, &pl->story,
					      kept);
		if (rc != SL_ENOTFOUND) {
			pl->copy_of = *kept;
			if (rc == 0)
				sl_engine_vec(e, a, an, 0, &pl->vec);
			return rc;
		}
	}
	if (sl_placer_behind(e->placer, article_time(a)))
		e->late++;
	if ((rc = place_with(e, a, an, &df, pl)) < 0 ||
	    (e->rules_pending && (rc = set_rules(e)) < 0))
		return rc;
	if (!pl->copy_of) /* vectors' df: originals only (see the index) */
		count_terms(&e->pend_df, &e->pend_docs, an);
	return 0;
}

typedef struct rebuild {
	sl_engine *e;
	sl_df_source df;
} rebuild;

static int restore_one(const sl_member *m, void *ctx)
{
	rebuild *r = ctx;
	const sl_analysis *an = sl_analyze(
		r->e->analyzer, m->title, m->title ? strlen(m->title) : 0,
		m->body, m->body ? strlen(m->body) : 0, m->lang);
	sl_doc_text d = {an, m->title, m->body, m->outlet, m->byline, 0};

	sl_placer_restore(r->e->placer, m->id, m->time, &d, &r->df, m->story,
			  m->copy_of, m->root_time);
	return 0;
}

/* How long a story stays open without news: the store's setting. */
static int64_t story_window(sl_engine *e)
{
	int64_t w = setting_int(e, "story_window", 0);

	return w > 0 ? w : SL_STORY_WINDOW;
}

int sl_engine_stories_ready(sl_engine *e)
{
	int64_t max_story, max_time, placed, window;
	rebuild r = {e, sl_engine_df(e)};
	int rc;

	if (e->placer)
		return 0;
	if ((rc = sl_engine_index_ready(e)) < 0)
		return rc;
	if ((rc = e->store->ops->story_bounds(e->store, &max_story, &max_time,
					      &placed)) < 0)
		return rc;
	window = story_window(e);
	e->rules_pending = placed == 0;
	e->placer = sl_placer_new(window);
	sl_placer_set_next(e->placer, max_story);
	if (placed &&
	    (rc = e->store->ops->recent_members(
		     e->store, max_time - window - SL_STORY_SLACK, restore_one,
		     &r)) != 0) {
		sl_placer_free(e->placer);
		e->placer = NULL;
		return rc < 0 ? rc : SL_EIO;
	}
	return 0;
}

/* Restory: placement from scratch, in publication order, with document
 * frequencies counted as it goes, the way an ingest from empty of the
 * news as it came sees them: the same articles give the same stories
 * whatever order they were stored in. The index is built anew in the
 * same pass, in the same order, with the new places. */
typedef struct replay {
	sl_engine *e;
	sl_hmap df;
	size_t n_docs, done, total;
	int64_t max_seq; /* of the articles indexed */
	sl_progress_fn progress;
	void *ctx;
	int rc;
} replay;

static void replay_df(void *ctx, const uint64_t *terms, size_t n,
		      uint32_t *out, size_t *n_docs)
{
	replay *r = ctx;

	for (size_t i = 0; i < n; i++) {
		uint32_t c = sl_hmap_get(&r->df, terms[i]);

		out[i] = c == SL_HMAP_NONE ? 0 : c;
	}
	*n_docs = r->n_docs;
}

static int replay_one(const sl_article *a, void *ctx)
{
	replay *r = ctx;
	sl_df_source df = {replay_df, r};
	const sl_analysis *an = sl_engine_analyze(r->e, a);
	sl_placement pl;

	r->rc = place_with(r->e, a, an, &df, &pl);
	if (r->rc == 0) {
		sl_index_doc_info info = {a->id,    a->published, a->outlet,
					  a->lang,  a->seq,       pl.story,
					  pl.copy_of, &pl.vec};

		sl_index_add(r->e->index, &info, an);
		if (a->seq > r->max_seq)
			r->max_seq = a->seq;
	}
	sl_vec_clear(&pl.vec);
	if (r->rc < 0)
		return 1;
	if (!pl.copy_of)
		count_terms(&r->df, &r->n_docs, an);
	r->done++;
	if (r->progress && (r->done % 1000 == 0 || r->done == r->total))
		r->progress(r->done, r->total, r->ctx);
	return 0;
}

size_t sl_engine_late(sl_engine *e)
{
	return e->late;
}

int sl_engine_restory(sl_engine *e, int64_t window, sl_progress_fn progress,
		      void *ctx)
{
	replay r = {.e = e, .progress = progress, .ctx = ctx};
	sl_stats st;
	int64_t epoch;
	char buf[24];
	int rc;

	if (e->in_batch)
		return sl_error_set(SL_EINVAL, "restory inside a batch");
	if ((rc = e->store->ops->stats(e->store, &st)) < 0)
		return rc;
	r.total = (size_t)st.articles;
	sl_stats_clear(&st);
	if ((rc = sl_engine_begin(e)) < 0)
		return rc;
	if (window > 0) {
		snprintf(buf, sizeof(buf), "%lld", (long long)window);
		if ((rc = e->store->ops->set_setting(e->store, "story_window",
						     buf)) < 0) {
			sl_engine_rollback(e);
			return rc;
		}
	}
	sl_placer_free(e->placer);
	e->placer = sl_placer_new(story_window(e));
	/* The new index takes the old one's place (not beside it: twice
	 * the memory; nor read first, only to be let go). */
	sl_index_free(e->index);
	e->index = sl_index_new();
	rc = e->store->ops->clear_placements(e->store);
	if (rc == 0)
		rc = set_rules(e);
	epoch = store_epoch(e) + 1;
	snprintf(buf, sizeof(buf), "%lld", (long long)epoch);
	if (rc == 0)
		rc = e->store->ops->set_setting(e->store, "placement_epoch",
						buf);
	if (rc == 0)
		rc = e->store->ops->scan_by_time(e->store, replay_one, &r);
	if (rc == 0 && r.rc < 0)
		rc = r.rc;
	sl_hmap_free(&r.df);
	if (rc == 0)
		rc = sl_engine_commit(e);
	else
		sl_engine_rollback(e);
	if (rc != 0) {
		/* The index and the placer are partly rebuilt, with places
		 * that were rolled back: both are read again (the index
		 * from its snapshot) when next needed. */
		sl_index_free(e->index);
		e->index = NULL;
		sl_placer_free(e->placer);
		e->placer = NULL;
		return rc < 0 ? rc : SL_EIO;
	}
	/* Everything stored is in: the batch held the write lock. */
	e->epoch = epoch;
	e->followed = r.max_seq;
	e->n_own = 0;
	e->index_changes = r.done; /* its snapshot is saved anew */
	e->index_source = SL_INDEX_REBUILT;
	sl_index_compact(e->index);
	return 0;
}

int sl_engine_add(sl_engine *e, sl_article *a, sl_add_status *out)
{
	const sl_analysis *an;
	sl_add_status status;
	int rc;

	if (out)
		*out = 0;
	if (!e->in_batch)
		return sl_error_set(SL_EINVAL, "sl_engine_add outside a batch");
	sl_article_tidy(a);
	if (!a->title && !a->body_text)
		return sl_error_set(SL_EINVAL,
				    "article has no title and no body");
	free(a->canonical_url);
	a->canonical_url = NULL;
	if (a->url && sl_url_canonical(&a->canonical_url, a->url) < 0)
		a->canonical_url = NULL; /* kept as given; no identity */
	if (!a->id && (rc = derive_id(e, a)) < 0)
		return rc;
	/* Before this article's analysis: loading may analyse others. */
	if ((rc = sl_engine_stories_ready(e)) < 0)
		return rc;

	an = sl_engine_analyze(e, a);
	free(a->lang);
	a->lang = sl_strdup(an->lang);
	a->reading_minutes = sl_reading_minutes(an->n_words);
	if (!a->summary)
		a->summary = sl_summary_of(a->body_text, SL_SUMMARY_CHARS);
	if (a->fetched_at == SL_TIME_NONE)
		a->fetched_at = (int64_t)time(NULL);

	rc = e->store->ops->put(e->store, a, content_hash(a), &status);
	if (rc < 0)
		return sl_error_prefix(rc, "storing \"%s\"", a->id);
	if (status != SL_ADD_UNCHANGED) {
		sl_placement pl;
		char *kept = NULL; /* an update's copy_of */

		rc = place(e, a, an, status, &pl, &kept);
		if (rc == 0 && e->index)
			queue_for_index(e, a, an, &pl);
		sl_vec_clear(&pl.vec);
		free(kept);
		if (rc < 0)
			return sl_error_prefix(rc, "placing \"%s\"", a->id);
	}
	if (out)
		*out = status;
	return 0;
}

int sl_engine_get(sl_engine *e, const char *id, sl_article **out)
{
	return e->store->ops->get(e->store, id, out);
}

int sl_engine_foreach(sl_engine *e, int64_t after_seq, sl_article_fn fn,
		      void *ctx)
{
	return e->store->ops->scan(e->store, after_seq, fn, ctx);
}

int sl_engine_stats(sl_engine *e, sl_stats *out)
{
	int rc = e->store->ops->stats(e->store, out);
	int64_t rules;

	if (rc < 0)
		return rc;
	/* A store with articles and no rules recorded was placed before
	 * they were. */
	rules = setting_int(e, "story_rules", -1);
	out->stories_current =
		rules < 0 ? out->articles == 0 : rules == SL_STORY_RULES;
	return 0;
}

void sl_stats_clear(sl_stats *s)
{
	if (!s)
		return;
	free(s->langs);
	memset(s, 0, sizeof(*s));
}

void sl_engine_enter(sl_engine *e)
{
	pthread_mutex_lock(&e->access);
}

void sl_engine_leave(sl_engine *e)
{
	pthread_mutex_unlock(&e->access);
}
