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

void mtport_post_reset(mtport_post *p) {
  if (!p)
    return;
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

static int S_find_term(const mtport_term *t, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (t[i].name && strcmp(t[i].name, name) == 0)
      return (int)i;
  return -1;
}

int mtport_post_add_tag(mtport_post *p, const char *name, const char *slug) {
  if (!name || S_find_term(p->tags, p->n_tags, name) >= 0)
    return 0;
  if (S_reserve((void **)&p->tags, &p->cap_tags, p->n_tags, sizeof *p->tags))
    return MTPORT_ENOMEM;
  mtport_term *t = &p->tags[p->n_tags++];
  return S_set3(&t->name, name, &t->slug, slug, &t->parent, NULL);
}

int mtport_post_add_category(mtport_post *p, const char *name, const char *slug,
                             const char *parent, int primary) {
  if (!name)
    return 0;
  int at = S_find_term(p->categories, p->n_categories, name);
  int r = 0;
  if (at < 0) {
    if (S_reserve((void **)&p->categories, &p->cap_categories, p->n_categories,
                  sizeof *p->categories))
      return MTPORT_ENOMEM;
    at = (int)p->n_categories++;
    mtport_term *t = &p->categories[at];
    r = S_set3(&t->name, name, &t->slug, slug, &t->parent, parent);
    if (r < 0)
      return r;
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
