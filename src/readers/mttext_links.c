/* Exact old URLs for a text export, taken from an Atom feed or backup of the
 * same blog: a title + date -> permalink map. Only those three fields are
 * kept, so memory grows with the number of posts, not their size. */
#include "mttext.h"
#include <stdlib.h>
#include <string.h>

typedef struct S_link {
  char *title;
  mtport_time date;
  char *url;
} S_link;

struct mtport_linkmap {
  S_link *v;
  size_t n, cap;
};

/* Titles compare as plain text. Both sides come decoded from the readers;
 * this evens out whitespace, and treats anything left that looks like
 * markup alike on both sides. */
static char *S_key(const char *title) {
  mtport_buf b = MTPORT_BUF_INIT;
  if (mtport_html_to_text(&b, title, strlen(title)) != MTPORT_OK) {
    mtport_buf_dispose(&b);
    return NULL;
  }
  return mtport_buf_detach(&b);
}

static int S_cmp(const void *a, const void *b) {
  const S_link *x = a, *y = b;
  int c = strcmp(x->title, y->title);
  if (c)
    return c;
  return mtport_time_cmp(&x->date, &y->date);
}

int mtport_linkmap__load(mtport_linkmap **out, mtport_reader *r,
                         const char *path) {
  *out = NULL;
  mtport_linkmap *m = calloc(1, sizeof *m);
  if (!m)
    return MTPORT_ENOMEM;
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  o.diag = r->opts.diag;
  o.diag_payload = r->opts.diag_payload;
  o.timezone = r->opts.timezone;
  o.flags = r->opts.flags;
  mtport_reader *src = NULL;
  int rc = mtport_reader_open(&src, path, &o);
  if (rc != MTPORT_OK) {
    free(m);
    return rc;
  }
  const mtport_post *p;
  while ((rc = mtport_reader_next(src, &p)) == 1) {
    if (!p->permalink || !p->title || !p->published.has_date)
      continue;
    if (m->n == m->cap) {
      size_t nc = m->cap ? m->cap * 2 : 64;
      S_link *nv = realloc(m->v, nc * sizeof *nv);
      if (!nv) {
        rc = MTPORT_ENOMEM;
        break;
      }
      m->v = nv, m->cap = nc;
    }
    S_link *l = &m->v[m->n];
    l->title = S_key(p->title);
    l->url = mtport__strdup(p->permalink);
    l->date = p->published;
    if (!l->title || !l->url) {
      free(l->title);
      free(l->url);
      rc = MTPORT_ENOMEM;
      break;
    }
    m->n++;
  }
  mtport_reader_free(src);
  if (rc < 0) {
    mtport_linkmap__free(m);
    return rc;
  }
  if (m->n)
    qsort(m->v, m->n, sizeof *m->v, S_cmp);
  *out = m;
  return MTPORT_OK;
}

/* Local wall time as seconds, for comparing a zone-less date with a zoned
 * one. */
static int64_t S_wall(const mtport_time *t) {
  return t->epoch + (int64_t)t->offset_min * 60;
}

const char *mtport_linkmap__find(const mtport_linkmap *m, const char *title,
                                 const mtport_time *t) {
  if (!m || !m->n || !title || !t->has_date)
    return NULL;
  char *key = S_key(title);
  if (!key)
    return NULL;
  size_t lo = 0, hi = m->n; /* first entry with this title */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(m->v[mid].title, key) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  const char *best = NULL;
  int64_t best_d = 0;
  for (size_t i = lo; i < m->n && strcmp(m->v[i].title, key) == 0; i++) {
    const mtport_time *d = &m->v[i].date;
    /* the same instant when both have zones, else the same wall time; a
     * minute of slack for exports that drop seconds */
    int64_t diff =
        t->has_tz && d->has_tz ? t->epoch - d->epoch : S_wall(t) - S_wall(d);
    if (diff < 0)
      diff = -diff;
    if (diff <= 60 && (!best || diff < best_d))
      best = m->v[i].url, best_d = diff;
  }
  free(key);
  return best;
}

size_t mtport_linkmap__size(const mtport_linkmap *m) { return m ? m->n : 0; }

void mtport_linkmap__free(mtport_linkmap *m) {
  if (!m)
    return;
  for (size_t i = 0; i < m->n; i++) {
    free(m->v[i].title);
    free(m->v[i].url);
  }
  free(m->v);
  free(m);
}
