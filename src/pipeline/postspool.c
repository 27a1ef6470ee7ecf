/* The spool's binary form of a post: length-prefixed strings copied with
 * memcpy, fixed-width integers in native byte order (the bytes never leave
 * the process), no sanitizing (the strings were sanitized when read).
 *
 * Layout, in order:
 *   u32 magic "MPS1"
 *   i32 kind, i32 status, i64 entry_id, time published, time updated,
 *   i32 allow_comments, i32 allow_pings, u64 origin.line, u64 origin.col,
 *   u64 ordinal, i32 excerpt/body/more formats,
 *   u64 n_authors, n_tags, n_categories, n_comments, n_extra
 *   str source_id, title, permalink, basename, keywords,
 *   text excerpt, body, more (str text, filter, base each)
 *   authors (str name, email, url), tags, categories (str name, slug,
 *   parent), comments (i32 kind, approved, junk, body format, time date,
 *   str id, parent_id, name, email, url, ip, title, body text/filter/base),
 *   extra (str key, value)
 * where time = i64 epoch, i32 offset_min, u8 has_date, u8 has_tz and
 * str = u32 length then the bytes (no NUL); length 0xFFFFFFFF is NULL and
 * 0xFFFFFFFE is followed by a u64 length for strings of 4 GiB or more. */
#include "postspool.h"
#include "core/core.h"
#include <stdlib.h>
#include <string.h>

#define S_MAGIC 0x3153504Du /* "MPS1" read as little-endian */
#define S_NULL 0xFFFFFFFFu
#define S_LONG 0xFFFFFFFEu
#define S_TIME_SIZE 14u
#define S_HEAD_SIZE                                                            \
  (4u + 4 + 4 + 8 + 2 * S_TIME_SIZE + 4 + 4 + 3 * 8 + 3 * 4 + 5 * 8)
_Static_assert(S_HEAD_SIZE == 132, "tests/unit/test_postspool.c knows this");
/* The fewest bytes an array element can take, to bound counts before
 * allocating: every string takes at least its 4-byte length. */
#define S_MIN_PERSON 12u
#define S_MIN_TERM 12u
#define S_MIN_COMMENT (4u * 4 + S_TIME_SIZE + 10 * 4)
#define S_MIN_FIELD 8u

/* ---- saving ---- */

/* Unchecked puts: the caller made room. */
static char *S_u32(char *w, uint32_t v) {
  memcpy(w, &v, 4);
  return w + 4;
}
static char *S_i32(char *w, int32_t v) {
  memcpy(w, &v, 4);
  return w + 4;
}
static char *S_u64(char *w, uint64_t v) {
  memcpy(w, &v, 8);
  return w + 8;
}
static char *S_i64(char *w, int64_t v) {
  memcpy(w, &v, 8);
  return w + 8;
}
static char *S_time(char *w, const mtport_time *t) {
  w = S_i64(w, t->epoch);
  w = S_i32(w, t->offset_min);
  *w++ = (char)t->has_date;
  *w++ = (char)t->has_tz;
  return w;
}

static int S_str(mtport_buf *b, const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (mtport__buf_reserve(b, n + 12) != MTPORT_OK)
    return MTPORT_ENOMEM;
  char *w = b->data + b->len;
  if (!s) {
    w = S_u32(w, S_NULL);
  } else if (n < S_LONG) {
    w = S_u32(w, (uint32_t)n);
  } else {
    w = S_u32(w, S_LONG);
    w = S_u64(w, (uint64_t)n);
  }
  memcpy(w, s ? s : "", n);
  b->len = (size_t)(w - b->data) + n;
  return MTPORT_OK;
}

static int S_str3(mtport_buf *b, const char *x, const char *y, const char *z) {
  if (S_str(b, x) || S_str(b, y) || S_str(b, z))
    return MTPORT_ENOMEM;
  return MTPORT_OK;
}

static int S_save(mtport_buf *b, const mtport_post *p) {
  if (mtport__buf_reserve(b, S_HEAD_SIZE) != MTPORT_OK)
    return MTPORT_ENOMEM;
  char *w = b->data + b->len;
  w = S_u32(w, S_MAGIC);
  w = S_i32(w, (int32_t)p->kind);
  w = S_i32(w, (int32_t)p->status);
  w = S_i64(w, (int64_t)p->entry_id);
  w = S_time(w, &p->published);
  w = S_time(w, &p->updated);
  w = S_i32(w, (int32_t)p->allow_comments);
  w = S_i32(w, (int32_t)p->allow_pings);
  w = S_u64(w, (uint64_t)p->origin.line);
  w = S_u64(w, (uint64_t)p->origin.col);
  w = S_u64(w, (uint64_t)p->ordinal);
  w = S_i32(w, (int32_t)p->excerpt.format);
  w = S_i32(w, (int32_t)p->body.format);
  w = S_i32(w, (int32_t)p->more.format);
  w = S_u64(w, (uint64_t)p->n_authors);
  w = S_u64(w, (uint64_t)p->n_tags);
  w = S_u64(w, (uint64_t)p->n_categories);
  w = S_u64(w, (uint64_t)p->n_comments);
  w = S_u64(w, (uint64_t)p->n_extra);
  b->len = (size_t)(w - b->data);

  if (S_str(b, p->source_id) || S_str(b, p->title) || S_str(b, p->permalink) ||
      S_str(b, p->basename) || S_str(b, p->keywords) ||
      S_str3(b, p->excerpt.text, p->excerpt.filter, p->excerpt.base) ||
      S_str3(b, p->body.text, p->body.filter, p->body.base) ||
      S_str3(b, p->more.text, p->more.filter, p->more.base))
    return MTPORT_ENOMEM;
  for (size_t i = 0; i < p->n_authors; i++) {
    const mtport_person *a = &p->authors[i];
    if (S_str3(b, a->name, a->email, a->url))
      return MTPORT_ENOMEM;
  }
  for (size_t i = 0; i < p->n_tags; i++) {
    const mtport_term *t = &p->tags[i];
    if (S_str3(b, t->name, t->slug, t->parent))
      return MTPORT_ENOMEM;
  }
  for (size_t i = 0; i < p->n_categories; i++) {
    const mtport_term *t = &p->categories[i];
    if (S_str3(b, t->name, t->slug, t->parent))
      return MTPORT_ENOMEM;
  }
  for (size_t i = 0; i < p->n_comments; i++) {
    const mtport_comment *c = &p->comments[i];
    if (mtport__buf_reserve(b, 4 * 4 + S_TIME_SIZE) != MTPORT_OK)
      return MTPORT_ENOMEM;
    w = b->data + b->len;
    w = S_i32(w, (int32_t)c->kind);
    w = S_i32(w, (int32_t)c->approved);
    w = S_i32(w, (int32_t)c->junk);
    w = S_i32(w, (int32_t)c->body.format);
    w = S_time(w, &c->date);
    b->len = (size_t)(w - b->data);
    if (S_str(b, c->id) || S_str(b, c->parent_id) ||
        S_str3(b, c->author.name, c->author.email, c->author.url) ||
        S_str(b, c->ip) || S_str(b, c->title) ||
        S_str3(b, c->body.text, c->body.filter, c->body.base))
      return MTPORT_ENOMEM;
  }
  for (size_t i = 0; i < p->n_extra; i++)
    if (S_str(b, p->extra[i].key) || S_str(b, p->extra[i].value))
      return MTPORT_ENOMEM;
  return MTPORT_OK;
}

int mtport__post_save(mtport_buf *out, const mtport_post *p) {
  size_t start = out->len;
  int rc = S_save(out, p);
  if (rc != MTPORT_OK) { /* leave the buffer as it was */
    out->len = start;
    if (out->data)
      out->data[start] = '\0';
    return rc;
  }
  out->data[out->len] = '\0';
  return MTPORT_OK;
}

/* ---- loading ---- */

typedef struct S_rd {
  const char *p, *end;
} S_rd;

static int S_get(S_rd *r, void *v, size_t n) {
  if ((size_t)(r->end - r->p) < n)
    return MTPORT_EPARSE;
  memcpy(v, r->p, n);
  r->p += n;
  return MTPORT_OK;
}

static int S_get_i32(S_rd *r, int *v) {
  int32_t x;
  if (S_get(r, &x, 4))
    return MTPORT_EPARSE;
  *v = (int)x;
  return MTPORT_OK;
}

/* Reads an i32 that must lie in [lo, hi] (an enumeration). */
static int S_get_enum(S_rd *r, int lo, int hi, int *v) {
  if (S_get_i32(r, v) || *v < lo || *v > hi)
    return MTPORT_EPARSE;
  return MTPORT_OK;
}

static int S_get_time(S_rd *r, mtport_time *t) {
  int64_t e;
  int32_t off;
  if (S_get(r, &e, 8) || S_get(r, &off, 4) || S_get(r, &t->has_date, 1) ||
      S_get(r, &t->has_tz, 1))
    return MTPORT_EPARSE;
  t->epoch = e;
  t->offset_min = (int)off;
  return MTPORT_OK;
}

/* Reads a count of elements of at least @p min bytes each: a count the bytes
 * left cannot hold is malformed, which also bounds the allocation. */
static int S_get_count(S_rd *r, size_t min, size_t *n) {
  uint64_t x;
  if (S_get(r, &x, 8) || x > (uint64_t)(r->end - r->p) / min)
    return MTPORT_EPARSE;
  *n = (size_t)x;
  return MTPORT_OK;
}

static int S_get_str(S_rd *r, char **dst) {
  uint32_t n32;
  if (S_get(r, &n32, 4))
    return MTPORT_EPARSE;
  if (n32 == S_NULL)
    return MTPORT_OK; /* *dst is already NULL */
  uint64_t n = n32;
  if (n32 == S_LONG && (S_get(r, &n, 8) || n < S_LONG))
    return MTPORT_EPARSE; /* short, or not the form save writes */
  if (n > (uint64_t)(r->end - r->p))
    return MTPORT_EPARSE;
  char *s = malloc((size_t)n + 1);
  if (!s)
    return MTPORT_ENOMEM;
  memcpy(s, r->p, (size_t)n);
  s[n] = '\0';
  r->p += n;
  *dst = s;
  return MTPORT_OK;
}

static int S_get_str3(S_rd *r, char **x, char **y, char **z) {
  int rc = S_get_str(r, x);
  if (rc == MTPORT_OK)
    rc = S_get_str(r, y);
  if (rc == MTPORT_OK)
    rc = S_get_str(r, z);
  return rc;
}

/* Allocates a zeroed array of @p n elements with cap = n (mtport_post_add_*
 * grows it when n == cap); NULL for none. The count is set at once so that
 * mtport_post_free() releases whatever a failed load filled in. */
static int S_array(void **arr, size_t *n_out, size_t *cap, size_t n,
                   size_t sz) {
  if (n == 0)
    return MTPORT_OK;
  void *a = calloc(n, sz);
  if (!a)
    return MTPORT_ENOMEM;
  *arr = a;
  *n_out = *cap = n;
  return MTPORT_OK;
}

static int S_load(S_rd *r, mtport_post *p) {
  uint32_t magic;
  int kind, status, ac, ap, fx, fb, fm, rc;
  int64_t eid;
  uint64_t line, col, ord;
  size_t na, nt, nc, ncm, ne;
  if (S_get(r, &magic, 4) || magic != S_MAGIC ||
      S_get_enum(r, MTPORT_KIND_POST, MTPORT_KIND_PAGE, &kind) ||
      S_get_enum(r, MTPORT_STATUS_UNKNOWN, MTPORT_STATUS_SPAM, &status) ||
      S_get(r, &eid, 8) || S_get_time(r, &p->published) ||
      S_get_time(r, &p->updated) ||
      S_get_enum(r, MTPORT_FLAG_UNKNOWN, MTPORT_FLAG_ON, &ac) ||
      S_get_enum(r, MTPORT_FLAG_UNKNOWN, MTPORT_FLAG_ON, &ap) ||
      S_get(r, &line, 8) || S_get(r, &col, 8) || S_get(r, &ord, 8) ||
      S_get_enum(r, MTPORT_TEXT_NONE, MTPORT_TEXT_UNKNOWN, &fx) ||
      S_get_enum(r, MTPORT_TEXT_NONE, MTPORT_TEXT_UNKNOWN, &fb) ||
      S_get_enum(r, MTPORT_TEXT_NONE, MTPORT_TEXT_UNKNOWN, &fm))
    return MTPORT_EPARSE;
  /* Each count is checked against the bytes left after the header, a loose
   * but safe bound; the element reads below check exactly. */
  if (S_get_count(r, S_MIN_PERSON, &na) || S_get_count(r, S_MIN_TERM, &nt) ||
      S_get_count(r, S_MIN_TERM, &nc) || S_get_count(r, S_MIN_COMMENT, &ncm) ||
      S_get_count(r, S_MIN_FIELD, &ne))
    return MTPORT_EPARSE;
  p->kind = (mtport_post_kind)kind;
  p->status = (mtport_status)status;
  p->entry_id = (long long)eid;
  p->allow_comments = (mtport_flag)ac;
  p->allow_pings = (mtport_flag)ap;
  p->origin.line = (unsigned long)line;
  p->origin.col = (unsigned long)col;
  p->ordinal = (unsigned long)ord;
  p->excerpt.format = (mtport_text_format)fx;
  p->body.format = (mtport_text_format)fb;
  p->more.format = (mtport_text_format)fm;

  if ((rc = S_get_str(r, &p->source_id)) || (rc = S_get_str(r, &p->title)) ||
      (rc = S_get_str(r, &p->permalink)) || (rc = S_get_str(r, &p->basename)) ||
      (rc = S_get_str(r, &p->keywords)) ||
      (rc = S_get_str3(r, &p->excerpt.text, &p->excerpt.filter,
                       &p->excerpt.base)) ||
      (rc = S_get_str3(r, &p->body.text, &p->body.filter, &p->body.base)) ||
      (rc = S_get_str3(r, &p->more.text, &p->more.filter, &p->more.base)))
    return rc;

  if ((rc = S_array((void **)&p->authors, &p->n_authors, &p->cap_authors, na,
                    sizeof *p->authors)))
    return rc;
  for (size_t i = 0; i < na; i++) {
    mtport_person *a = &p->authors[i];
    if ((rc = S_get_str3(r, &a->name, &a->email, &a->url)))
      return rc;
  }
  if ((rc = S_array((void **)&p->tags, &p->n_tags, &p->cap_tags, nt,
                    sizeof *p->tags)))
    return rc;
  for (size_t i = 0; i < nt; i++) {
    mtport_term *t = &p->tags[i];
    if ((rc = S_get_str3(r, &t->name, &t->slug, &t->parent)))
      return rc;
  }
  if ((rc = S_array((void **)&p->categories, &p->n_categories,
                    &p->cap_categories, nc, sizeof *p->categories)))
    return rc;
  for (size_t i = 0; i < nc; i++) {
    mtport_term *t = &p->categories[i];
    if ((rc = S_get_str3(r, &t->name, &t->slug, &t->parent)))
      return rc;
  }
  if ((rc = S_array((void **)&p->comments, &p->n_comments, &p->cap_comments,
                    ncm, sizeof *p->comments)))
    return rc;
  for (size_t i = 0; i < ncm; i++) {
    mtport_comment *c = &p->comments[i];
    int ck, cf;
    if (S_get_enum(r, MTPORT_COMMENT, MTPORT_PINGBACK, &ck) ||
        S_get_i32(r, &c->approved) || S_get_i32(r, &c->junk) ||
        S_get_enum(r, MTPORT_TEXT_NONE, MTPORT_TEXT_UNKNOWN, &cf) ||
        S_get_time(r, &c->date))
      return MTPORT_EPARSE;
    c->kind = (mtport_comment_kind)ck;
    c->body.format = (mtport_text_format)cf;
    if ((rc = S_get_str(r, &c->id)) || (rc = S_get_str(r, &c->parent_id)) ||
        (rc = S_get_str3(r, &c->author.name, &c->author.email,
                         &c->author.url)) ||
        (rc = S_get_str(r, &c->ip)) || (rc = S_get_str(r, &c->title)) ||
        (rc = S_get_str3(r, &c->body.text, &c->body.filter, &c->body.base)))
      return rc;
  }
  if ((rc = S_array((void **)&p->extra, &p->n_extra, &p->cap_extra, ne,
                    sizeof *p->extra)))
    return rc;
  for (size_t i = 0; i < ne; i++) {
    /* the model promises a key (mtport_post_extra() compares it) */
    if ((rc = S_get_str(r, &p->extra[i].key)) ||
        (rc = S_get_str(r, &p->extra[i].value)))
      return rc;
    if (!p->extra[i].key)
      return MTPORT_EPARSE;
  }
  return r->p == r->end ? MTPORT_OK : MTPORT_EPARSE;
}

int mtport__post_load(const char *data, size_t len, const char *file,
                      mtport_post **out) {
  *out = NULL;
  if (!data) /* nothing, not even the magic */
    return MTPORT_EPARSE;
  mtport_post *p = mtport_post_new();
  if (!p)
    return MTPORT_ENOMEM;
  S_rd r = {data, data + len};
  int rc = S_load(&r, p);
  if (rc != MTPORT_OK) {
    mtport_post_free(p);
    return rc;
  }
  p->origin.file = file;
  *out = p;
  return MTPORT_OK;
}
