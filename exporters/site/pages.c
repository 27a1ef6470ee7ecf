/* The scaffold's pages, from what the first pass saw: one per category
 * and tag, at a URL made from our own slugs (the generators' own slugs
 * break names such as "C#", "?", "100%" or ".."); one per year and month
 * of the posts, at MT's old archive addresses ("/2009/12/"); and the Atom
 * feed at every old feed address. Posts carry the keys that tie them to
 * these pages in their front matter. */
#include "site_int.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const S_tax[2] = {"categories", "tags"};
static const site_page_kind S_kind[2] = {SITE_PAGE_CATEGORY, SITE_PAGE_TAG};
/* where MT published its feeds, below the blog's URL (index.xml and
 * index.rdf: MT 2 and 3's RSS; rss.xml: later RSS templates); the first is
 * also the new site's own */
static const char *const S_feeds[] = {"atom.xml", "index.xml", "index.rdf",
                                      "rss.xml", NULL};

static int S_empty(const char *s) { return !s || !*s; }

int mtport__site_is_public(const site_state *st, const mtport_post *p) {
  if (mtport__site_is_draft(p))
    return 0;
  return p->kind == MTPORT_KIND_PAGE || st->gen->drafts != SITE_DRAFT_FOLDER ||
         p->published.has_date || p->updated.has_date;
}

/* The date lists and archives go by: published, else updated. */
static const mtport_time *S_date(const mtport_post *p) {
  return p->published.has_date ? &p->published : &p->updated;
}

/* ---- the label of an untitled post ------------------------------------- */

#define S_LABEL_WORDS 8
#define S_LABEL_CHARS 60

int mtport__site_label(const mtport_post *p, const char *slug,
                       mtport_buf *out) {
  mtport_buf_clear(out);
  const mtport_text *t = !S_empty(p->body.text) ? &p->body : &p->more;
  mtport_buf h = MTPORT_BUF_INIT, txt = MTPORT_BUF_INIT;
  int rc = MTPORT_OK;
  if (!S_empty(t->text)) {
    rc = mtport_text_to_html(&h, t, NULL);
    if (!rc)
      rc = mtport_html_to_text(&txt, h.data ? h.data : "", h.len);
  }
  /* whole words up to a count, or characters for scripts without spaces */
  size_t words = 0, chars = 0, i = 0, end = 0;
  while (!rc && i < txt.len && words < S_LABEL_WORDS && chars < S_LABEL_CHARS) {
    unsigned char c = (unsigned char)txt.data[i];
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (i + n > txt.len)
      break;
    if (c == ' ')
      words++;
    else
      end = i + n;
    i += n;
    chars++;
  }
  if (!rc && end) {
    rc = mtport_buf_append(out, txt.data, end);
    if (!rc && end < txt.len)
      rc = mtport_buf_puts(out, "\xE2\x80\xA6"); /* an ellipsis */
  } else if (!rc && S_date(p)->has_date) {
    mtport_tm tm;
    mtport_time_local(S_date(p), &tm);
    rc = mtport_buf_printf(out, "%04d-%02d-%02d", tm.year, tm.month, tm.day);
  } else if (!rc)
    rc = mtport_buf_puts(out, slug ? slug : "");
  mtport_buf_dispose(&h);
  mtport_buf_dispose(&txt);
  return rc;
}

/* ---- set-up ------------------------------------------------------------- */

/* Adds a feed address (a path below the base path) once. */
static int S_feed_add(site_state *st, const char *path) {
  for (size_t i = 0; i < st->n_feeds; i++)
    if (strcmp(st->feeds[i], path) == 0)
      return MTPORT_OK;
  char **v = realloc(st->feeds, (st->n_feeds + 1) * sizeof *v);
  if (!v)
    return MTPORT_ENOMEM;
  st->feeds = v;
  if (!(v[st->n_feeds] = strdup(path)))
    return MTPORT_ENOMEM;
  st->n_feeds++;
  return MTPORT_OK;
}

/* The path @url's path has on the new site: without the base path when it
 * starts with it (as old URLs are kept), decoded when that is safe. */
static int S_site_path(site_state *st, const char *path, mtport_buf *out) {
  size_t bl = strlen(st->base_path);
  const char *r = path;
  if (strncmp(path, st->base_path, bl) == 0)
    r = path + bl - 1;
  mtport_buf_clear(out);
  return mtport__site_put_decoded_path(out, r);
}

/* The feed's addresses: the new site's /atom.xml; MT's four below the old
 * blog's URL (the site's, when the input has none); and the input's own
 * feed, when a file can serve it. */
static int S_feeds_plan(site_state *st, const mtport_site *site) {
  char *home =
      site && !S_empty(site->home_url) ? mtport_url_path(site->home_url) : NULL;
  mtport_buf full = MTPORT_BUF_INIT, rel = MTPORT_BUF_INIT;
  int rc = S_feed_add(st, "/atom.xml");
  for (size_t i = 0; !rc && S_feeds[i]; i++) {
    mtport_buf_clear(&full);
    const char *h = home && *home ? home : st->base_path;
    rc = mtport_buf_printf(&full, "%s%s%s", h,
                           h[strlen(h) - 1] == '/' ? "" : "/", S_feeds[i]);
    if (!rc)
      rc = S_site_path(st, full.data, &rel);
    if (!rc)
      rc = S_feed_add(st, rel.data);
  }
  const char *u = site ? site->feed_url : NULL;
  char *path = !rc && !S_empty(u) ? mtport__site_path_of(u) : NULL;
  if (path) {
    const char *last = strrchr(path, '/');
    int ok = !strchr(u, '?') && !strchr(u, '#') && last && last[1] &&
             strchr(last, '.') && strcmp(last, "/.") && strcmp(last, "/..");
    if (!ok)
      mtport__site_diag(st, NULL, MTPORT_SEV_WARNING, "old-feed-unserved",
                        "the old feed address '%s' is not a file the site "
                        "can serve: redirect it to %satom.xml on your server",
                        u, st->base_path);
    else if (!(rc = S_site_path(st, path, &rel)))
      rc = S_feed_add(st, rel.data);
  }
  free(path);
  free(home);
  mtport_buf_dispose(&full);
  mtport_buf_dispose(&rel);
  return rc;
}

int mtport__pages_init(site_state *st, const mtport_site *site) {
  for (int t = 0; t < 2; t++) {
    site_terms *tm = &st->terms[t];
    if (mtport_strset_new(&tm->names, MTPORT_STRSET_SPOOL) ||
        mtport_spool_new(&tm->text, "terms") ||
        mtport_strset_new(&tm->taken, MTPORT_STRSET_SPOOL))
      return MTPORT_ENOMEM;
  }
  if (mtport_strset_new(&st->archives, 0))
    return MTPORT_ENOMEM;
  if (site && !S_empty(site->id) && !(st->feed_id = strdup(site->id)))
    return MTPORT_ENOMEM;
  return S_feeds_plan(st, site);
}

void mtport__pages_free(site_state *st) {
  for (int t = 0; t < 2; t++) {
    site_terms *tm = &st->terms[t];
    mtport_strset_free(tm->names);
    mtport_spool_free(tm->text);
    mtport_strset_free(tm->taken);
    free(tm->at);
    free(tm->suffix);
    free(tm->public);
    memset(tm, 0, sizeof *tm);
  }
  mtport_strset_free(st->archives);
  st->archives = NULL;
  for (size_t i = 0; i < st->n_feeds; i++)
    free(st->feeds[i]);
  free(st->feeds);
  st->feeds = NULL;
  st->n_feeds = 0;
  free(st->feed_id);
  free(st->input_name);
  st->feed_id = st->input_name = NULL;
}

/* ---- the first pass ----------------------------------------------------- */

static int S_term_add(site_terms *tm, const char *name, int pub) {
  size_t n = strlen(name), i;
  if (n > 0xFFFFFFFFu)
    return MTPORT_EINVALID;
  int added = mtport_strset_add(tm->names, name, n, &i);
  if (added < 0)
    return added;
  if (i >= tm->cap) {
    size_t nc = tm->cap ? tm->cap * 2 : 64;
    uint64_t *at = realloc(tm->at, nc * sizeof *at);
    if (at)
      tm->at = at;
    uint32_t *sf = realloc(tm->suffix, nc * sizeof *sf);
    if (sf)
      tm->suffix = sf;
    unsigned char *pb = realloc(tm->public, nc);
    if (pb)
      tm->public = pb;
    if (!at || !sf || !pb)
      return MTPORT_ENOMEM;
    tm->cap = nc;
  }
  if (added) { /* the name again, with its length, for the pages */
    uint32_t len = (uint32_t)n;
    mtport_buf rec = MTPORT_BUF_INIT;
    int rc = mtport_buf_append(&rec, (const char *)&len, sizeof len);
    if (!rc)
      rc = mtport_buf_append(&rec, name, n);
    if (!rc)
      rc = mtport_spool_append(tm->text, rec.data, rec.len, &tm->at[i]);
    mtport_buf_dispose(&rec);
    if (rc)
      return rc;
    tm->suffix[i] = 0;
    tm->public[i] = 0;
  }
  tm->public[i] |= (unsigned char)pub;
  return MTPORT_OK;
}

/* "2009" and "2009-12" of @t into @year and @month; 0 for a year no
 * archive address has four digits for. */
static int S_archive_keys(const mtport_time *t, char year[8], char month[16]) {
  mtport_tm tm;
  if (!t->has_date)
    return 0;
  mtport_time_local(t, &tm);
  if (tm.year < 1 || tm.year > 9999)
    return 0;
  snprintf(year, 8, "%04d", tm.year);
  snprintf(month, 16, "%04d-%02d", tm.year, tm.month);
  return 1;
}

int mtport__pages_add(site_state *st, const mtport_post *p) {
  if (!st->scaffold)
    return MTPORT_OK;
  if (!st->input_name && !S_empty(p->origin.file) &&
      !(st->input_name = strdup(p->origin.file)))
    return MTPORT_ENOMEM;
  int pub = mtport__site_is_public(st, p), rc = MTPORT_OK;
  for (int t = 0; t < 2 && !rc; t++) {
    const mtport_term *v = t ? p->tags : p->categories;
    size_t n = t ? p->n_tags : p->n_categories;
    for (size_t i = 0; i < n && !rc; i++)
      if (!S_empty(v[i].name))
        rc = S_term_add(&st->terms[t], v[i].name, pub);
  }
  char y[8], m[16];
  if (!rc && pub && p->kind == MTPORT_KIND_POST &&
      S_archive_keys(S_date(p), y, m)) {
    int a = mtport_strset_add(st->archives, y, strlen(y), NULL);
    if (a >= 0)
      a = mtport_strset_add(st->archives, m, strlen(m), NULL);
    rc = a < 0 ? a : MTPORT_OK;
  }
  return rc;
}

/* ---- slugs and keys ------------------------------------------------------ */

/* The name of term @i into @out (cleared). */
static int S_name(site_terms *tm, size_t i, mtport_buf *out) {
  uint32_t len;
  mtport_buf_clear(out);
  int rc = mtport_spool_read(tm->text, tm->at[i], &len, sizeof len);
  char *s = rc ? NULL : malloc((size_t)len + 1);
  if (!rc && !s)
    rc = MTPORT_ENOMEM;
  if (!rc && len)
    rc = mtport_spool_read(tm->text, tm->at[i] + sizeof len, s, len);
  if (!rc)
    rc = mtport_buf_append(out, s, len);
  free(s);
  return rc;
}

static int S_hex(mtport_buf *out, const char *s) {
  int rc = mtport_buf_putc(out, 'u');
  for (const unsigned char *c = (const unsigned char *)s; *c && !rc; c++)
    rc = mtport_buf_printf(out, "%02x", *c);
  return rc;
}

/* The slug a name wants: ours, or "u" and its bytes in hex when it has
 * nothing a slug keeps ("?", "%", "..": mtport_slugify() says "post"). */
static int S_base(const char *name, mtport_buf *out) {
  mtport_buf_clear(out);
  char *s = mtport_slugify(name, 0, SITE_SLUG_MAX / 2);
  if (!s)
    return MTPORT_ENOMEM;
  int rc;
  if (strcmp(s, "post") == 0 && !strstr(name, "post") &&
      !strstr(name, "Post") && !strstr(name, "POST")) {
    mtport_buf h = MTPORT_BUF_INIT;
    rc = S_hex(&h, name);
    if (!rc) /* hex of a long name is cut like any slug */
      rc = mtport_buf_append(
          out, h.data, h.len > SITE_SLUG_MAX / 2 ? SITE_SLUG_MAX / 2 : h.len);
    mtport_buf_dispose(&h);
  } else
    rc = mtport_buf_puts(out, s);
  free(s);
  return rc;
}

/* The key of a slug: the slug when ASCII (as every generator keeps it in
 * file names), else "u" and its bytes in hex. */
static int S_key(const char *slug, mtport_buf *out) {
  mtport_buf_clear(out);
  for (const char *s = slug; *s; s++)
    if ((unsigned char)*s >= 0x80)
      return S_hex(out, slug);
  return mtport_buf_puts(out, slug);
}

/* @base, or @base-@k. */
static int S_suffixed(mtport_buf *out, const char *base, uint32_t k) {
  mtport_buf_clear(out);
  return k <= 1 ? mtport_buf_puts(out, base)
                : mtport_buf_printf(out, "%s-%lu", base, (unsigned long)k);
}

/* Term @i's slug and key, after planning. */
static int S_slug(site_terms *tm, size_t i, const char *name, mtport_buf *slug,
                  mtport_buf *key) {
  mtport_buf b = MTPORT_BUF_INIT;
  int rc = S_base(name, &b);
  if (!rc)
    rc = S_suffixed(slug, b.data, tm->suffix[i]);
  if (!rc)
    rc = S_key(slug->data, key);
  mtport_buf_dispose(&b);
  return rc;
}

int mtport__pages_term_url(site_state *st, int tag, const char *name,
                           mtport_buf *out) {
  site_terms *tm = &st->terms[tag ? 1 : 0];
  size_t i;
  int k = tm->names && name
              ? mtport_strset_find(tm->names, name, strlen(name), &i)
              : 0;
  if (k != 1 || !tm->public[i])
    return k < 0 ? k : 0;
  mtport_buf slug = MTPORT_BUF_INIT, key = MTPORT_BUF_INIT;
  int rc = S_slug(tm, i, name, &slug, &key);
  mtport_buf_clear(out);
  if (!rc) /* as the pages are written: "/tags/x/" below the base path */
    rc = mtport_buf_printf(out, "%s%s/%s/", st->base_path, S_tax[tag ? 1 : 0],
                           slug.data) < 0
             ? MTPORT_ENOMEM
             : MTPORT_OK;
  mtport_buf_dispose(&slug);
  mtport_buf_dispose(&key);
  return rc ? rc : 1;
}

/* Gives the terms of one taxonomy their slugs in the order first seen:
 * the first keeps the plain slug, the next that wants it gets -2, -3. A
 * slug wanted again resumes where its last search stopped, so names that
 * share a slug cost one probe each. */
static int S_plan(site_terms *tm) {
  size_t n = mtport_strset_count(tm->names);
  mtport_strset *crowded = NULL;
  uint32_t *next = NULL;
  mtport_buf name = MTPORT_BUF_INIT, base = MTPORT_BUF_INIT,
             cand = MTPORT_BUF_INIT, key = MTPORT_BUF_INIT;
  int rc = mtport_strset_new(&crowded, 0);
  if (!rc)
    rc = mtport_strset_reserve(tm->taken, 2 * n);
  if (!rc && !(next = calloc(n ? n : 1, sizeof *next)))
    rc = MTPORT_ENOMEM;
  for (size_t i = 0; i < n && !rc; i++) {
    size_t c = 0;
    rc = S_name(tm, i, &name);
    if (!rc)
      rc = S_base(name.data, &base);
    int a = rc ? rc : mtport_strset_add(crowded, base.data, base.len, &c);
    if (a < 0) {
      rc = a;
      break;
    }
    uint32_t k = next[c] ? next[c] : 1;
    for (;; k++) {
      int has = S_suffixed(&cand, base.data, k);
      if (!has)
        has = S_key(cand.data, &key);
      if (!has)
        has = mtport_strset_find(tm->taken, cand.data, cand.len, NULL);
      if (!has)
        has = mtport_strset_find(tm->taken, key.data, key.len, NULL);
      if (has < 0)
        rc = has;
      if (has <= 0 || k == 0xFFFFFFFFu)
        break;
    }
    if (!rc &&
        (a = mtport_strset_add(tm->taken, cand.data, cand.len, NULL)) >= 0)
      a = mtport_strset_add(tm->taken, key.data, key.len, NULL);
    if (!rc && a < 0)
      rc = a;
    tm->suffix[i] = k;
    next[c] = k + 1;
  }
  free(next);
  mtport_strset_free(crowded);
  mtport_buf_dispose(&name);
  mtport_buf_dispose(&base);
  mtport_buf_dispose(&cand);
  mtport_buf_dispose(&key);
  return rc;
}

int mtport__pages_plan(site_state *st) {
  int rc = MTPORT_OK;
  for (int t = 0; t < 2 && !rc && st->scaffold; t++)
    rc = S_plan(&st->terms[t]);
  return rc;
}

/* ---- front matter ------------------------------------------------------- */

int mtport__pages_front(site_state *st, site_yaml *y, const mtport_post *p) {
  if (!st->scaffold)
    return MTPORT_OK;
  int rc = MTPORT_OK;
  mtport_buf slug = MTPORT_BUF_INIT, key = MTPORT_BUF_INIT;
  for (int t = 0; t < 2 && st->gen->term_keys && !rc; t++) {
    const mtport_term *v = t ? p->tags : p->categories;
    size_t n = t ? p->n_tags : p->n_categories, opened = 0;
    for (size_t i = 0; i < n && !rc; i++) {
      size_t at;
      if (S_empty(v[i].name))
        continue;
      int has = mtport_strset_find(st->terms[t].names, v[i].name,
                                   strlen(v[i].name), &at);
      if (has < 0)
        rc = has;
      if (has <= 0) /* the input changed between passes */
        continue;
      rc = S_slug(&st->terms[t], at, v[i].name, &slug, &key);
      if (!rc && !opened++) {
        mtport__yaml_plain(y, t ? "mt_tags" : "mt_categories");
        mtport__yaml_seq(y, 1);
      }
      if (!rc)
        mtport__yaml_str(y, key.data);
    }
    if (opened)
      mtport__yaml_seq(y, 0);
  }
  char yr[8], m[16];
  if (!rc && p->kind == MTPORT_KIND_POST && S_archive_keys(S_date(p), yr, m)) {
    mtport__yaml_plain(y, "mt_archives");
    mtport__yaml_seq(y, 1);
    mtport__yaml_str(y, yr);
    mtport__yaml_str(y, m);
    mtport__yaml_seq(y, 0);
  }
  char d[40];
  if (!rc && st->gen->key_local_date &&
      mtport_time_format_rfc3339(S_date(p), d, sizeof d, 0))
    mtport__yaml_kv(y, st->gen->key_local_date, d);
  mtport_buf_dispose(&slug);
  mtport_buf_dispose(&key);
  return rc;
}

/* ---- the pages ----------------------------------------------------------- */

static int S_page(site_state *st, const site_page *pg) {
  const char *pattern = st->gen->scaffold_path[pg->kind];
  if (!pattern)
    return MTPORT_OK;
  mtport_buf path = MTPORT_BUF_INIT, out = MTPORT_BUF_INIT;
  site_yaml y;
  int rc = mtport__site_expand(st, pattern, NULL, NULL, pg->key, &path);
  if (!rc)
    rc = mtport_buf_puts(&out, "---\n");
  if (!rc) {
    mtport__yaml_begin(&y, &out, 0);
    if (st->gen->scaffold_front)
      st->gen->scaffold_front(&y, pg);
    rc = mtport__yaml_end(&y, 0);
  }
  if (!rc)
    rc = mtport_buf_puts(&out, "---\n");
  if (!rc)
    rc = mtport__site_write(st, path.data, &out);
  mtport_buf_dispose(&path);
  mtport_buf_dispose(&out);
  return rc;
}

/* The terms' data file: each taxonomy maps the names of its published
 * terms to their URLs, in the order first seen. */
typedef struct S_map {
  site_data format;
  site_yaml y;
  json_t *root, *cur;
} S_map;

int mtport__pages_write(site_state *st) {
  const site_gen *g = st->gen;
  int rc = MTPORT_OK;
  mtport_buf name = MTPORT_BUF_INIT, slug = MTPORT_BUF_INIT,
             key = MTPORT_BUF_INIT, url = MTPORT_BUF_INIT,
             data = MTPORT_BUF_INIT;
  S_map mp = {.format = g->comments_format};
  if (g->terms_path && mp.format == SITE_DATA_YAML)
    mtport__yaml_begin(&mp.y, &data, 0);
  else if (g->terms_path && !(mp.root = json_object()))
    rc = MTPORT_ENOMEM;
  for (int t = 0; t < 2 && !rc; t++) {
    site_terms *tm = &st->terms[t];
    size_t n = mtport_strset_count(tm->names);
    if (g->terms_path && mp.format == SITE_DATA_YAML) {
      mtport__yaml_plain(&mp.y, S_tax[t]);
      mtport__yaml_map(&mp.y, 1);
    } else if (g->terms_path) {
      mp.cur = json_object();
      if (!mp.cur || json_object_set_new(mp.root, S_tax[t], mp.cur))
        rc = MTPORT_ENOMEM;
    }
    for (size_t i = 0; i < n && !rc; i++) {
      if (!tm->public[i])
        continue; /* a draft's term: no page names it */
      rc = S_name(tm, i, &name);
      if (!rc)
        rc = S_slug(tm, i, name.data, &slug, &key);
      mtport_buf_clear(&url);
      if (!rc)
        rc = mtport_buf_printf(&url, "/%s/%s/", S_tax[t], slug.data);
      site_page pg = {S_kind[t], key.data, name.data, url.data};
      if (!rc)
        rc = S_page(st, &pg);
      if (!rc && g->terms_path && mp.format == SITE_DATA_YAML) {
        mtport__yaml_str(&mp.y, name.data);
        mtport__yaml_str(&mp.y, url.data);
      } else if (!rc && g->terms_path &&
                 json_object_set_new(mp.cur, name.data, json_string(url.data)))
        rc = MTPORT_ENOMEM;
    }
    if (g->terms_path && mp.format == SITE_DATA_YAML)
      mtport__yaml_map(&mp.y, 0);
  }
  if (g->terms_path && mp.format == SITE_DATA_YAML) {
    int e = mtport__yaml_end(&mp.y, 0);
    rc = rc ? rc : e;
  } else if (g->terms_path && !rc) {
    char *s = json_dumps(mp.root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    rc = s ? mtport_buf_puts(&data, s) : MTPORT_ENOMEM;
    if (!rc)
      rc = mtport_buf_putc(&data, '\n');
    free(s);
  }
  json_decref(mp.root);
  if (!rc && g->terms_path)
    rc = mtport__site_write(st, g->terms_path, &data);
  /* the archives: "/2009/" and "/2009/12/" */
  size_t na = mtport_strset_count(st->archives);
  for (size_t i = 0; i < na && !rc; i++) {
    const char *k = mtport_strset_key(st->archives, i, NULL);
    mtport_buf_clear(&url);
    rc = mtport_buf_printf(&url, "/%.4s/%s%s", k, k[4] ? k + 5 : "",
                           k[4] ? "/" : "");
    site_page pg = {SITE_PAGE_ARCHIVE, k, k, url.data};
    if (!rc)
      rc = S_page(st, &pg);
  }
  /* the feed at each of its addresses; a page's key is its path's letters
   * and digits ("/index.rdf": "index-rdf"), -2 when two paths share one */
  mtport_strset *keys = NULL;
  if (!rc && mtport_strset_new(&keys, 0))
    rc = MTPORT_ENOMEM;
  for (size_t i = 0; !rc && i < st->n_feeds; i++) {
    mtport_buf_clear(&slug);
    for (const char *c = st->feeds[i]; *c && !rc; c++) {
      int keep = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                 (*c >= '0' && *c <= '9');
      if (keep || (slug.len && slug.data[slug.len - 1] != '-'))
        rc = mtport_buf_putc(&slug, keep ? *c : '-');
    }
    while (!rc && slug.len && slug.data[slug.len - 1] == '-')
      slug.data[--slug.len] = '\0';
    if (!rc && !slug.len)
      rc = mtport_buf_puts(&slug, "feed");
    int added = 0;
    for (uint32_t k = 1; !rc && !added; k++) {
      rc = S_suffixed(&key, slug.data, k);
      added = rc ? rc : mtport_strset_add(keys, key.data, key.len, NULL);
      rc = added < 0 ? added : rc;
    }
    site_page pg = {SITE_PAGE_FEED, key.data, "", st->feeds[i]};
    if (!rc)
      rc = S_page(st, &pg);
  }
  mtport_strset_free(keys);
  mtport_buf_dispose(&name);
  mtport_buf_dispose(&slug);
  mtport_buf_dispose(&key);
  mtport_buf_dispose(&url);
  mtport_buf_dispose(&data);
  return rc;
}
