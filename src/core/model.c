/* The post model: constructors, setters that copy and sanitize, cleanup. */
#include "core.h"
#include <stdlib.h>
#include <string.h>

int mtport_set_str(char **dst, const char *src, size_t len) {
  if (!src) {
    free(*dst);
    *dst = NULL;
    return 0;
  }
  if (len == (size_t)-1)
    len = strlen(src);
  mtport_buf b = MTPORT_BUF_INIT;
  int repairs = mtport_utf8_sanitize(&b, src, len);
  if (repairs < 0) {
    mtport_buf_dispose(&b);
    return repairs;
  }
  char *d = mtport_buf_detach(&b);
  if (!d)
    return MTPORT_ENOMEM;
  free(*dst);
  *dst = d;
  return repairs;
}

int mtport_text_set(mtport_text *t, const char *src, size_t len,
                    mtport_text_format format, const char *filter) {
  int r = mtport_set_str(&t->text, src, len);
  if (r < 0)
    return r;
  /* every format but plain text is read as HTML in the end, character
   * references included: those to controls go as raw controls do */
  if (src && format != MTPORT_TEXT_PLAIN && strstr(t->text, "&#")) {
    mtport_buf b = MTPORT_BUF_INIT;
    int f = mtport__html_fix_refs(&b, t->text, strlen(t->text));
    char *d = f > 0 ? mtport_buf_detach(&b) : NULL;
    mtport_buf_dispose(&b);
    if (f < 0 || (f > 0 && !d))
      return MTPORT_ENOMEM;
    if (d) {
      free(t->text);
      t->text = d;
      r += f;
    }
  }
  t->format = src ? format : MTPORT_TEXT_NONE;
  int r2 = mtport_set_str(&t->filter, filter, (size_t)-1);
  if (r2 < 0)
    return r2;
  return r + r2;
}

static void S_text_free(mtport_text *t) {
  free(t->text);
  free(t->filter);
  free(t->base);
  memset(t, 0, sizeof *t);
}

static void S_person_free(mtport_person *p) {
  free(p->name);
  free(p->email);
  free(p->url);
}

static void S_term_free(mtport_term *t) {
  free(t->name);
  free(t->slug);
  free(t->parent);
}

/* Grows an array of elements of size sz to hold n+1. */
static int S_reserve(void **arr, size_t *cap, size_t n, size_t sz) {
  if (n < *cap)
    return MTPORT_OK;
  size_t nc = *cap ? *cap * 2 : 4;
  void *a = realloc(*arr, nc * sz);
  if (!a)
    return MTPORT_ENOMEM;
  memset((char *)a + *cap * sz, 0, (nc - *cap) * sz);
  *arr = a;
  *cap = nc;
  return MTPORT_OK;
}

mtport_post *mtport_post_new(void) {
  mtport_post *p = calloc(1, sizeof *p);
  if (p) {
    p->allow_comments = MTPORT_FLAG_UNKNOWN;
    p->allow_pings = MTPORT_FLAG_UNKNOWN;
  }
  return p;
}

/* Name look-ups in a post's tags (0) and categories (1): a scan while a
 * list is short, a string set of its names once it is long, so that a post
 * with 100,000 tags is read in linear time. A set is rebuilt when its list
 * was changed other than through the setters (a spooled post loaded). */
#define S_INDEX_MIN 24

struct mtport__post_index {
  mtport_strset *set[2];
  const mtport_term *arr[2]; /* the list and length the set is for */
  size_t n[2];
};

static void S_index_free(struct mtport__post_index *x) {
  if (!x)
    return;
  mtport_strset_free(x->set[0]);
  mtport_strset_free(x->set[1]);
  free(x);
}

/* The set for list @w of @p (@v, @n), built when missing or stale; NULL on
 * allocation failure (the caller scans). */
static mtport_strset *S_index(mtport_post *p, int w, const mtport_term *v,
                              size_t n) {
  if (!p->index && !(p->index = calloc(1, sizeof *p->index)))
    return NULL;
  struct mtport__post_index *x = p->index;
  if (x->set[w] && x->arr[w] == v && x->n[w] == n)
    return x->set[w];
  mtport_strset_free(x->set[w]);
  x->set[w] = NULL;
  mtport_strset *set;
  if (mtport_strset_new(&set, 0) != MTPORT_OK)
    return NULL;
  for (size_t i = 0; i < n; i++)
    if (v[i].name &&
        mtport_strset_add(set, v[i].name, strlen(v[i].name), NULL) < 0) {
      mtport_strset_free(set);
      return NULL;
    }
  x->set[w] = set;
  x->arr[w] = v;
  x->n[w] = n;
  return set;
}

static int S_scan(const mtport_term *t, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (t[i].name && strcmp(t[i].name, name) == 0)
      return (int)i;
  return -1;
}

/* 1 when list @w holds @name (sanitized), else 0. */
static int S_has(mtport_post *p, int w, const char *name) {
  const mtport_term *v = w ? p->categories : p->tags;
  size_t n = w ? p->n_categories : p->n_tags;
  mtport_strset *set = n >= S_INDEX_MIN ? S_index(p, w, v, n) : NULL;
  if (!set)
    return S_scan(v, n, name) >= 0;
  return mtport_strset_find(set, name, strlen(name), NULL) == 1;
}

/* List @w just got its last term: the set follows, when there is one. */
static void S_added(mtport_post *p, int w) {
  struct mtport__post_index *x = p->index;
  const mtport_term *v = w ? p->categories : p->tags;
  size_t n = w ? p->n_categories : p->n_tags;
  if (!x || !x->set[w] || x->n[w] != n - 1)
    return;
  if (mtport_strset_add(x->set[w], v[n - 1].name, strlen(v[n - 1].name), NULL) <
      0) {
    mtport_strset_free(x->set[w]); /* rebuilt on the next look-up */
    x->set[w] = NULL;
    return;
  }
  x->arr[w] = v;
  x->n[w] = n;
}

void mtport_post_reset(mtport_post *p) {
  if (!p)
    return;
  S_index_free(p->index);
  free(p->source_id);
  free(p->title);
  free(p->permalink);
  free(p->basename);
  free(p->keywords);
  for (size_t i = 0; i < p->n_authors; i++)
    S_person_free(&p->authors[i]);
  free(p->authors);
  for (size_t i = 0; i < p->n_tags; i++)
    S_term_free(&p->tags[i]);
  free(p->tags);
  for (size_t i = 0; i < p->n_categories; i++)
    S_term_free(&p->categories[i]);
  free(p->categories);
  S_text_free(&p->excerpt);
  S_text_free(&p->body);
  S_text_free(&p->more);
  for (size_t i = 0; i < p->n_comments; i++) {
    mtport_comment *c = &p->comments[i];
    free(c->id);
    free(c->parent_id);
    S_person_free(&c->author);
    free(c->ip);
    free(c->title);
    S_text_free(&c->body);
  }
  free(p->comments);
  for (size_t i = 0; i < p->n_extra; i++) {
    free(p->extra[i].key);
    free(p->extra[i].value);
  }
  free(p->extra);
  memset(p, 0, sizeof *p);
  p->allow_comments = MTPORT_FLAG_UNKNOWN;
  p->allow_pings = MTPORT_FLAG_UNKNOWN;
}

void mtport_post_free(mtport_post *p) {
  if (!p)
    return;
  mtport_post_reset(p);
  free(p);
}

mtport_site *mtport_site_new(void) { return calloc(1, sizeof(mtport_site)); }

void mtport_site_free(mtport_site *s) {
  if (!s)
    return;
  free(s->title);
  free(s->description);
  free(s->home_url);
  free(s->feed_url);
  free(s->id);
  free(s->language);
  free(s->generator);
  for (size_t i = 0; i < s->n_categories; i++)
    S_term_free(&s->categories[i]);
  free(s->categories);
  free(s);
}

/* Sets three optional strings, summing repairs. */
static int S_set3(char **a, const char *va, char **b, const char *vb, char **c,
                  const char *vc) {
  int r1 = mtport_set_str(a, va, (size_t)-1);
  int r2 = r1 < 0 ? r1 : mtport_set_str(b, vb, (size_t)-1);
  int r3 = r2 < 0 ? r2 : mtport_set_str(c, vc, (size_t)-1);
  if (r1 < 0 || r2 < 0 || r3 < 0)
    return MTPORT_ENOMEM;
  return r1 + r2 + r3;
}

int mtport_post_add_author(mtport_post *p, const char *name, const char *email,
                           const char *url) {
  if (S_reserve((void **)&p->authors, &p->cap_authors, p->n_authors,
                sizeof *p->authors))
    return MTPORT_ENOMEM;
  mtport_person *a = &p->authors[p->n_authors++];
  return S_set3(&a->name, name, &a->email, email, &a->url, url);
}

int mtport_post_add_tag(mtport_post *p, const char *name, const char *slug) {
  if (!name)
    return 0;
  char *clean = NULL;
  int r = mtport_set_str(&clean, name, (size_t)-1);
  if (r < 0)
    return r;
  if (S_has(p, 0, clean)) {
    free(clean);
    return 0;
  }
  if (S_reserve((void **)&p->tags, &p->cap_tags, p->n_tags, sizeof *p->tags)) {
    free(clean);
    return MTPORT_ENOMEM;
  }
  mtport_term *t = &p->tags[p->n_tags++];
  t->name = clean;
  clean = NULL;
  int r2 = S_set3(&t->slug, slug, &t->parent, NULL, &clean, NULL);
  S_added(p, 0);
  return r2 < 0 ? r2 : r + r2;
}

int mtport_post_add_category(mtport_post *p, const char *name, const char *slug,
                             const char *parent, int primary) {
  if (!name)
    return 0;
  char *clean = NULL;
  int r = mtport_set_str(&clean, name, (size_t)-1);
  if (r < 0)
    return r;
  int at = -1;
  if (S_has(p, 1, clean)) {
    r = 0;
    if (primary) /* where it is: a scan, once per post */
      at = S_scan(p->categories, p->n_categories, clean);
    free(clean);
    if (at < 0)
      return 0;
  } else {
    if (S_reserve((void **)&p->categories, &p->cap_categories, p->n_categories,
                  sizeof *p->categories)) {
      free(clean);
      return MTPORT_ENOMEM;
    }
    at = (int)p->n_categories++;
    mtport_term *t = &p->categories[at];
    t->name = clean;
    clean = NULL;
    int r2 = S_set3(&t->slug, slug, &t->parent, parent, &clean, NULL);
    S_added(p, 1);
    if (r2 < 0)
      return r2;
    r += r2;
  }
  if (primary && at > 0) { /* move to the front, keeping the others' order */
    mtport_term t = p->categories[at];
    memmove(&p->categories[1], &p->categories[0], (size_t)at * sizeof t);
    p->categories[0] = t;
  }
  return r;
}

mtport_comment *mtport_post_add_comment(mtport_post *p) {
  if (S_reserve((void **)&p->comments, &p->cap_comments, p->n_comments,
                sizeof *p->comments))
    return NULL;
  mtport_comment *c = &p->comments[p->n_comments++];
  memset(c, 0, sizeof *c);
  c->approved = 1;
  return c;
}

int mtport_post_add_extra(mtport_post *p, const char *key, const char *value) {
  if (!key)
    return MTPORT_EINVALID;
  if (S_reserve((void **)&p->extra, &p->cap_extra, p->n_extra,
                sizeof *p->extra))
    return MTPORT_ENOMEM;
  mtport_field *f = &p->extra[p->n_extra++];
  char *unused = NULL;
  return S_set3(&f->key, key, &f->value, value ? value : "", &unused, NULL);
}

const char *mtport_post_extra(const mtport_post *p, const char *key) {
  for (size_t i = 0; i < p->n_extra; i++)
    if (strcmp(p->extra[i].key, key) == 0)
      return p->extra[i].value;
  return NULL;
}

const char *mtport_status_name(mtport_status s) {
  switch (s) {
  case MTPORT_STATUS_PUBLISH:
    return "publish";
  case MTPORT_STATUS_DRAFT:
    return "draft";
  case MTPORT_STATUS_REVIEW:
    return "review";
  case MTPORT_STATUS_FUTURE:
    return "future";
  case MTPORT_STATUS_UNPUBLISH:
    return "unpublish";
  case MTPORT_STATUS_SPAM:
    return "spam";
  default:
    return "unknown";
  }
}
