/* WordPress eXtended RSS 1.2, the file WordPress's importer reads.
 *
 * Follows WordPress's own writer (export.php) element for element, because
 * the importer has three parsers and the older ones match literal prefixed
 * tag names, line by line (docs/output-formats.md §1). The prepass collects
 * authors, categories and tags, which must precede the items. Memory grows
 * with distinct authors and terms, plus a bit per post id and the sets of
 * post names and of WordPress's duplicate rule: in memory up to 50,000
 * posts (a few MB), spooled beyond (30 bytes of memory per post); never
 * with the text of posts. */
#include "wxr.h"
#include <libxml/xmlwriter.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_NONE ((size_t)-1)
#define S_SLUG_MAX 200      /* WordPress's post_name and slug column width */
#define S_SPOOL_POSTS 50000 /* posts kept in memory by the growing sets */

/* ---- sets ------------------------------------------------------------------
 * Everything keyed by a string lives in mtport_strset: in memory for what
 * grows with distinct authors and terms, spooled (8 bytes of memory per
 * string) for what grows with the posts. Keys are the strings themselves,
 * never hashes, so two keys never collide. */

/* FNV-1a, for the logins made from a name's hash ("author-1a2b3c4d"): the
 * text of a login must not change between versions. */
static uint64_t S_hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ull;
  }
  return h;
}

/* The index of the @n bytes at @key in @set (NULL: an empty set), or
 * S_NONE when absent; *rc (may be NULL) gets a read failure of a spooled
 * set. */
static size_t S_find_n(mtport_strset *set, const char *key, size_t n, int *rc) {
  size_t i;
  int r = set ? mtport_strset_find(set, key, n, &i) : 0;
  if (r < 0 && rc)
    *rc = r;
  return r == 1 ? i : S_NONE;
}

static size_t S_find(mtport_strset *set, const char *key) {
  return S_find_n(set, key, strlen(key), NULL);
}

/* Adds the @n bytes at @key to *@set, made on first use with @flags;
 * *index (may be NULL) gets the key's index. 1 when added, 0 when there,
 * or a negative code. */
static int S_add_n(mtport_strset **set, unsigned flags, const char *key,
                   size_t n, size_t *index) {
  if (!*set && mtport_strset_new(set, flags))
    return MTPORT_ENOMEM;
  return mtport_strset_add(*set, key, n, index);
}

static int S_add(mtport_strset **set, const char *key) {
  int rc = S_add_n(set, 0u, key, strlen(key), NULL);
  return rc < 0 ? rc : MTPORT_OK;
}

/* Where the next search for a free name or date starts, per base: only
 * bases that needed a search have one, so runs of equal titles or slugs
 * stay linear. */
typedef struct S_hint {
  mtport_strset *keys;
  unsigned flags; /* the set's: spooled for hints that grow with posts */
  uint64_t *next; /* by key index */
  size_t cap;
} S_hint;

static uint64_t S_hint_get(S_hint *h, const char *key, size_t n) {
  size_t i = S_find_n(h->keys, key, n, NULL);
  return i == S_NONE ? 0 : h->next[i];
}

static int S_hint_put(S_hint *h, const char *key, size_t n, uint64_t v) {
  size_t i;
  int rc = S_add_n(&h->keys, h->flags, key, n, &i);
  if (rc < 0)
    return rc;
  if (i >= h->cap) {
    size_t cap = h->cap ? h->cap * 2 : 16;
    while (cap <= i)
      cap *= 2;
    uint64_t *v2 = realloc(h->next, cap * sizeof *v2);
    if (!v2)
      return MTPORT_ENOMEM;
    h->next = v2;
    h->cap = cap;
  }
  h->next[i] = v;
  return MTPORT_OK;
}

static void S_hint_free(S_hint *h) {
  mtport_strset_free(h->keys);
  free(h->next);
}

/* A set of post ids: a bitmap for the small ones (MT numbers entries 1, 2,
 * 3...: an eighth of a byte each), a string set of their 8 bytes for the
 * rest. */
#define S_IDS_BITMAP_MAX ((uint64_t)1 << 24) /* 2 MB of bitmap at most */
typedef struct S_ids {
  unsigned char *bits;
  size_t nbytes;
  mtport_strset *big;
} S_ids;

static int S_ids_has(const S_ids *s, uint64_t id) {
  if (id < S_IDS_BITMAP_MAX)
    return id / 8 < s->nbytes && (s->bits[id / 8] >> (id % 8)) & 1;
  return S_find_n(s->big, (const char *)&id, sizeof id, NULL) != S_NONE;
}

static int S_ids_add(S_ids *s, uint64_t id) {
  if (id >= S_IDS_BITMAP_MAX) {
    int rc = S_add_n(&s->big, 0u, (const char *)&id, sizeof id, NULL);
    return rc < 0 ? rc : MTPORT_OK;
  }
  if (id / 8 >= s->nbytes) {
    size_t n = s->nbytes ? s->nbytes : 1024;
    while (n <= id / 8)
      n *= 2;
    unsigned char *b = realloc(s->bits, n);
    if (!b)
      return MTPORT_ENOMEM;
    memset(b + s->nbytes, 0, n - s->nbytes);
    s->bits = b;
    s->nbytes = n;
  }
  s->bits[id / 8] |= (unsigned char)(1u << (id % 8));
  return MTPORT_OK;
}

static void S_ids_free(S_ids *s) {
  free(s->bits);
  mtport_strset_free(s->big);
}

/* ---- state -------------------------------------------------------------- */

typedef struct S_author {
  char *name, *email, *login;
} S_author;

typedef struct S_term {
  char *name, *slug;
  char *parent;      /* categories: the parent's name, or NULL */
  size_t parent_idx; /* resolved in prepass_done */
  size_t depth;
  long long id;
} S_term;

typedef struct S_terms {
  S_term *v;
  size_t n, cap;
  mtport_strset *by_name; /* a name's index is its term's */
  mtport_strset *slugs;
  S_hint next;
} S_terms;

/* The site's category tree (mtport_site.categories), names cleaned as the
 * terms' are: the first category of each name with its slug and parent. */
typedef struct S_node {
  char *name, *slug, *parent;
} S_node;

typedef struct S_tree {
  S_node *v;
  size_t n;
  mtport_strset *by_name; /* a name's index is its node's */
} S_tree;

typedef struct S_state {
  mtport_wxr_env env;
  xmlTextWriterPtr w;
  int err; /* a writer call failed */
  int head_done;
  char *title, *home, *description, *language;
  mtport_time updated, newest;
  S_author *authors;
  size_t n_authors, cap_authors;
  mtport_strset *author_keys; /* a key's index is its author's */
  mtport_strset *logins;
  S_hint login_next;
  S_terms cats, tags;
  S_tree tree;
  S_ids entry_ids, used_ids;
  /* WordPress's duplicate rule over the posts written so far (see
   * wxr_collate.c): "T" type, local date, folded title, and "D" type,
   * local date; spooled, with the ordinal of the post that added each key
   * in owners (8 bytes by key index) to name it in a note */
  mtport_strset *dupes;
  mtport_spool *owners;
  uint64_t *owner_v; /* the same in memory, when the sets are not spooled */
  size_t owner_cap;
  S_hint nudges;
  mtport_strset *names; /* "type/post_name", spooled */
  S_hint name_next;
  unsigned long n_posts;   /* counted by the prepass */
  unsigned long no_author; /* of them, posts without an author */
  size_t fallback;         /* the author given to those, or S_NONE */
  unsigned long no_author_written;
  mtport_clean_report junk; /* removed from bodies, for the run's note */
  unsigned long junk_entries;
  unsigned spool; /* MTPORT_STRSET_SPOOL, or 0 when $TMPDIR takes no file */
  int spool_reported;
  char *files_url; /* the asset layer's files folder, served here */
  long long next_id, next_comment_id;
  mtport_buf clean, tmp, key, part, wptitle, fold, fold2;
} S_state;

static void S_spool_report(S_state *st, int rc);
static void S_diag(S_state *st, const mtport_post *p, mtport_severity sev,
                   const char *code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
static void S_diag(S_state *st, const mtport_post *p, mtport_severity sev,
                   const char *code, const char *fmt, ...) {
  if (!st->env.diag)
    return;
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  st->env.diag(st->env.payload, p, sev, code, msg);
}

/* strdup() that takes NULL. */
static char *S_dup(const char *s) { return s ? strdup(s) : NULL; }

static int S_empty(const char *s) { return !s || !*s; }

/* Appends the form of @p s a reader of our XML will see: valid UTF-8
 * without the characters XML 1.0 forbids, CR LF and lone CR as LF. Returns
 * the number of repairs or MTPORT_ENOMEM. */
static int S_norm(mtport_buf *out, const char *s, size_t n) {
  size_t start = out->len;
  int r = mtport_utf8_sanitize(out, s ? s : "", s ? n : 0);
  if (r < 0)
    return r;
  char *d = out->data, *q = d ? d + start : NULL;
  for (size_t i = start; d && i < out->len; i++) {
    if (d[i] == '\r') {
      *q++ = '\n';
      if (i + 1 < out->len && d[i + 1] == '\n')
        i++;
    } else
      *q++ = d[i];
  }
  if (d) {
    *q = '\0';
    out->len = (size_t)(q - d);
  }
  return r;
}

/* Authors and terms are keyed by the name as written, so two source names
 * that clean up to one are one entry. Returns a new string, "" for NULL,
 * or NULL on allocation failure. */
static char *S_keydup(const char *s) {
  mtport_buf b = MTPORT_BUF_INIT;
  if (S_norm(&b, s, s ? strlen(s) : 0) < 0) {
    mtport_buf_dispose(&b);
    return NULL;
  }
  return mtport_buf_detach(&b);
}

/* ---- slugs and logins --------------------------------------------------- */

/* WordPress stores slugs percent-encoded (lower-case hex) when they hold
 * non-ASCII letters; the result stays within S_SLUG_MAX bytes and is cut on
 * a character boundary. Returns a new string or NULL. */
static char *S_wp_slug(const char *src, unsigned slug_flags) {
  char *s = mtport_slugify(src ? src : "", slug_flags, S_SLUG_MAX);
  if (!s)
    return NULL;
  mtport_buf b = MTPORT_BUF_INIT;
  static const char hex[] = "0123456789abcdef";
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    size_t clen = 1;
    if (*p >= 0x80)
      while ((p[clen] & 0xC0) == 0x80)
        clen++;
    size_t need = *p >= 0x80 ? 3 * clen : 1;
    if (b.len + need > S_SLUG_MAX)
      break;
    for (size_t i = 0; i < clen; i++) {
      if (p[i] >= 0x80) {
        char e[3] = {'%', hex[p[i] >> 4], hex[p[i] & 15]};
        mtport_buf_append(&b, e, 3);
      } else
        mtport_buf_putc(&b, (char)p[i]);
    }
    p += clen;
  }
  free(s);
  while (b.len && b.data[b.len - 1] == '-') /* a cut may leave a dash */
    b.data[--b.len] = '\0';
  if (!b.len)
    mtport_buf_puts(&b, "post");
  return mtport_buf_detach(&b);
}

/* An ASCII login WordPress's sanitize_user(strict) keeps as is: letters,
 * digits and '-' from the slug of the name; a name without any becomes
 * "author-" plus a hash of the name, so the login does not depend on the
 * order authors appear in. */
static char *S_login_base(const char *name) {
  char *s = mtport_slugify(name, 0, 50); /* room for a suffix in 60 */
  if (!s)
    return NULL;
  mtport_buf b = MTPORT_BUF_INIT;
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        (c == '-' && b.len && b.data[b.len - 1] != '-'))
      mtport_buf_putc(&b, (char)c);
  }
  free(s);
  while (b.len && b.data[b.len - 1] == '-')
    b.data[--b.len] = '\0';
  /* "post" is mtport_slugify's answer for a name with nothing to keep */
  int fallback = b.len && strcmp(b.data, "post") == 0;
  for (const char *p = name; fallback && p[0] && p[1] && p[2] && p[3]; p++)
    if ((p[0] | 0x20) == 'p' && (p[1] | 0x20) == 'o' && (p[2] | 0x20) == 's' &&
        (p[3] | 0x20) == 't')
      fallback = 0;
  if (!b.len || fallback) {
    mtport_buf_clear(&b);
    mtport_buf_printf(
        &b, "author-%08lx",
        (unsigned long)(S_hash(name, strlen(name)) & 0xffffffffu));
  }
  return mtport_buf_detach(&b);
}

/* Makes @base unique within @used by adding -2, -3...; takes ownership.
 * @next remembers where the search for each base stopped. */
static char *S_unique(mtport_strset *used, S_hint *next, char *base) {
  if (!base || S_find(used, base) == S_NONE)
    return base;
  size_t n = strlen(base);
  unsigned long k = (unsigned long)S_hint_get(next, base, n);
  mtport_buf b = MTPORT_BUF_INIT;
  for (k = k < 2 ? 2 : k;; k++) {
    mtport_buf_clear(&b);
    mtport_buf_printf(&b, "%s-%lu", base, k);
    if (!b.data)
      break;
    if (S_find(used, b.data) == S_NONE)
      break;
  }
  if (S_hint_put(next, base, n, (uint64_t)k + 1))
    mtport_buf_dispose(&b);
  free(base);
  return b.data ? mtport_buf_detach(&b) : NULL;
}

/* ---- prepass: authors and terms ----------------------------------------- */

static const char *S_author_key(const mtport_person *a) {
  if (!S_empty(a->name))
    return a->name;
  return S_empty(a->email) ? NULL : a->email;
}

static int S_add_author_key(S_state *st, const mtport_person *a,
                            const char *key) {
  if (!*key)
    return MTPORT_OK;
  size_t i = S_find(st->author_keys, key);
  if (i != S_NONE) {
    if (!st->authors[i].email && !S_empty(a->email))
      st->authors[i].email = S_keydup(a->email);
    return MTPORT_OK;
  }
  if (st->n_authors == st->cap_authors) {
    size_t cap = st->cap_authors ? st->cap_authors * 2 : 8;
    S_author *v = realloc(st->authors, cap * sizeof *v);
    if (!v)
      return MTPORT_ENOMEM;
    st->authors = v;
    st->cap_authors = cap;
  }
  S_author *au = &st->authors[st->n_authors];
  au->name = S_dup(key);
  au->email = S_empty(a->email) ? NULL : S_keydup(a->email);
  au->login = S_login_base(key);
  if (au->login && S_find(st->logins, au->login) != S_NONE) {
    /* two names with one ASCII form: tell them apart by the name's hash */
    mtport_buf b = MTPORT_BUF_INIT;
    mtport_buf_printf(&b, "%s-%08lx", au->login,
                      (unsigned long)(S_hash(key, strlen(key)) & 0xffffffffu));
    free(au->login);
    au->login = S_unique(st->logins, &st->login_next, mtport_buf_detach(&b));
  }
  if (!au->name || !au->login || S_add(&st->logins, au->login) ||
      S_add(&st->author_keys, key)) {
    free(au->name);
    free(au->email);
    free(au->login);
    return MTPORT_ENOMEM;
  }
  st->n_authors++;
  return MTPORT_OK;
}

/* Adds the author; *named (may be NULL) is 1 when the author has a key
 * (a name or an email), 0 when a post by it has no author to WordPress. */
static int S_add_author(S_state *st, const mtport_person *a, int *named) {
  char *key = S_keydup(S_author_key(a));
  int rc = key ? S_add_author_key(st, a, key) : MTPORT_ENOMEM;
  if (named)
    *named = key && *key;
  free(key);
  return rc;
}

/* Finds or adds a term named @name (already cleaned, not empty); returns
 * its index or S_NONE on allocation failure. */
static size_t S_add_term_key(S_state *st, S_terms *t, const char *name,
                             const char *slug, const char *parent) {
  /* what a post leaves out of a category, the site's tree may know */
  size_t k = t == &st->cats ? S_find(st->tree.by_name, name) : S_NONE;
  if (k != S_NONE) {
    if (S_empty(slug))
      slug = st->tree.v[k].slug;
    if (S_empty(parent))
      parent = st->tree.v[k].parent;
  }
  size_t i = S_find(t->by_name, name);
  if (i != S_NONE) {
    if (!t->v[i].parent && !S_empty(parent) && strcmp(parent, name) != 0)
      t->v[i].parent = S_dup(parent);
    return i;
  }
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    S_term *v = realloc(t->v, cap * sizeof *v);
    if (!v)
      return S_NONE;
    t->v = v;
    t->cap = cap;
  }
  S_term *e = &t->v[t->n];
  memset(e, 0, sizeof *e);
  e->parent_idx = S_NONE;
  e->name = S_dup(name);
  unsigned fl = (st->env.flags & MTPORT_WXR_KEEP_UNDERSCORES)
                    ? MTPORT_SLUG_KEEP_UNDERSCORES
                    : 0u;
  e->slug =
      S_unique(t->slugs, &t->next, S_wp_slug(S_empty(slug) ? name : slug, fl));
  if (!S_empty(parent) && strcmp(parent, name) != 0)
    e->parent = S_dup(parent);
  if (!e->name || !e->slug || S_add(&t->slugs, e->slug) ||
      S_add(&t->by_name, name)) {
    free(e->name);
    free(e->slug);
    free(e->parent);
    return S_NONE;
  }
  return t->n++;
}

#define S_SKIP ((size_t)-2) /* a name that cleans up to nothing */

static size_t S_add_term(S_state *st, S_terms *t, const char *name,
                         const char *slug, const char *parent) {
  char *n = S_keydup(name), *par = parent ? S_keydup(parent) : NULL;
  size_t i = S_NONE;
  if (n && (!parent || par))
    i = *n ? S_add_term_key(st, t, n, slug, par && *par ? par : NULL) : S_SKIP;
  free(n);
  free(par);
  return i;
}

static void S_terms_free(S_terms *t) {
  for (size_t i = 0; i < t->n; i++) {
    free(t->v[i].name);
    free(t->v[i].slug);
    free(t->v[i].parent);
  }
  free(t->v);
  mtport_strset_free(t->by_name);
  mtport_strset_free(t->slugs);
  S_hint_free(&t->next);
}

static int S_newer(const mtport_time *a, const mtport_time *than) {
  return a->has_date && (!than->has_date || mtport_time_cmp(a, than) > 0);
}

int mtport_wxr__prepass(void *state, const mtport_post *p) {
  S_state *st = state;
  if (p->status == MTPORT_STATUS_SPAM)
    return MTPORT_OK; /* skipped in entry(); its terms must not appear */
  st->n_posts++;
  int named = 0;
  for (size_t i = 0; i < p->n_authors; i++)
    if (S_add_author(st, &p->authors[i], i ? NULL : &named))
      return MTPORT_ENOMEM;
  if (!named)
    st->no_author++;
  for (size_t i = 0; i < p->n_categories; i++) {
    const mtport_term *c = &p->categories[i];
    if (S_empty(c->name))
      continue;
    if (!S_empty(c->parent) &&
        S_add_term(st, &st->cats, c->parent, NULL, NULL) == S_NONE)
      return MTPORT_ENOMEM;
    if (S_add_term(st, &st->cats, c->name, c->slug, c->parent) == S_NONE)
      return MTPORT_ENOMEM;
  }
  for (size_t i = 0; i < p->n_tags; i++)
    if (!S_empty(p->tags[i].name) &&
        S_add_term(st, &st->tags, p->tags[i].name, p->tags[i].slug, NULL) ==
            S_NONE)
      return MTPORT_ENOMEM;
  if (p->entry_id > 0 && S_ids_add(&st->entry_ids, (uint64_t)p->entry_id))
    return MTPORT_ENOMEM;
  if (S_newer(&p->published, &st->newest))
    st->newest = p->published;
  if (S_newer(&p->updated, &st->newest))
    st->newest = p->updated;
  return MTPORT_OK;
}

/* ---- writing helpers ---------------------------------------------------- */

#define W(call)                                                                \
  do {                                                                         \
    if ((call) < 0)                                                            \
      st->err = 1;                                                             \
  } while (0)

static void S_nl(S_state *st, int depth) {
  static const char tabs[] = "\n\t\t\t\t";
  W(xmlTextWriterWriteRawLen(st->w, (const xmlChar *)tabs, depth + 1));
}

/* A valid UTF-8 copy of @s without the characters XML 1.0 forbids, in
 * st->clean; repairs are reported once per field. */
static const char *S_clean(S_state *st, const mtport_post *p, const char *what,
                           const char *s, size_t n) {
  mtport_buf_clear(&st->clean);
  int r = S_norm(&st->clean, s, n);
  if (r < 0) {
    st->err = 1;
    return "";
  }
  if (r > 0)
    S_diag(st, p, MTPORT_SEV_WARNING, "invalid-text",
           "%s: removed or replaced %d character%s that XML 1.0 forbids", what,
           r, r == 1 ? "" : "s");
  return st->clean.data ? st->clean.data : "";
}

/* CDATA sections of @t: "]]>" becomes "]]" + "]]><![CDATA[" + ">", as
 * WordPress's wxr_cdata() writes it. */
static void S_cdata_sections(S_state *st, const char *t) {
  size_t len = strlen(t), from = 0;
  for (;;) {
    const char *hit = strstr(t + from, "]]>");
    size_t to = hit ? (size_t)(hit - t) + 2 : len;
    W(xmlTextWriterStartCDATA(st->w));
    while (to > from) { /* the writer takes int lengths */
      size_t k = to - from > (1u << 30) ? (1u << 30) : to - from;
      W(xmlTextWriterWriteRawLen(st->w, (const xmlChar *)t + from, (int)k));
      from += k;
    }
    W(xmlTextWriterEndCDATA(st->w));
    if (!hit)
      break;
  }
}

static void S_cdata_n(S_state *st, const mtport_post *p, const char *name,
                      const char *s, size_t n) {
  const char *t = S_clean(st, p, name, s, n);
  W(xmlTextWriterStartElement(st->w, (const xmlChar *)name));
  S_cdata_sections(st, t);
  W(xmlTextWriterEndElement(st->w));
}

static void S_cdata(S_state *st, const mtport_post *p, const char *name,
                    const char *s) {
  S_cdata_n(st, p, name, s, s ? strlen(s) : 0);
}

/* <name>escaped text</name>, for URLs and other non-CDATA fields. */
static void S_text(S_state *st, const mtport_post *p, const char *name,
                   const char *s) {
  const char *t = S_clean(st, p, name, s, s ? strlen(s) : 0);
  W(xmlTextWriterWriteElement(st->w, (const xmlChar *)name,
                              (const xmlChar *)t));
}

static void S_int(S_state *st, const char *name, long long v) {
  W(xmlTextWriterWriteFormatElement(st->w, (const xmlChar *)name, "%lld", v));
}

/* "Tue, 05 Mar 2024 14:03:09 +0000" (always UTC, English names). */
/* WordPress keeps dates in MySQL DATETIME columns, years 1000 to 9999. A
 * date whose local time or UTC falls outside is moved to the nearest
 * instant inside for both (the entry warns once, see S_check_dates). */
#define S_WP_MIN ((int64_t)-30610224000) /* 1000-01-01 00:00:00 */
#define S_WP_MAX ((int64_t)253402300799) /* 9999-12-31 23:59:59 */

static mtport_time S_wp_clamp(const mtport_time *t, int *moved) {
  mtport_time u = *t;
  int64_t off = (int64_t)t->offset_min * 60;
  int64_t lo = off < 0 ? S_WP_MIN - off : S_WP_MIN;
  int64_t hi = off > 0 ? S_WP_MAX - off : S_WP_MAX;
  if (u.epoch < lo)
    u.epoch = lo;
  else if (u.epoch > hi)
    u.epoch = hi;
  if (moved)
    *moved = u.epoch != t->epoch;
  return u;
}

static void S_rfc822(const mtport_time *t, char *out, size_t size) {
  static const char *const days[] = {"Sun", "Mon", "Tue", "Wed",
                                     "Thu", "Fri", "Sat"};
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr",
                                       "May", "Jun", "Jul", "Aug",
                                       "Sep", "Oct", "Nov", "Dec"};
  mtport_time u = S_wp_clamp(t, NULL);
  u.offset_min = 0;
  mtport_tm tm;
  mtport_time_local(&u, &tm);
  int64_t d = u.epoch >= 0 ? u.epoch / 86400 : -((-u.epoch + 86399) / 86400);
  int wd = (int)(((d % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
  snprintf(out, size, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[wd], tm.day,
           months[tm.month - 1], tm.year, tm.hour, tm.minute, tm.second);
}

/* "YYYY-MM-DD HH:MM:SS" in the time's own offset, or in UTC when @gmt. */
static void S_wpdate(const mtport_time *t, int gmt, char *out, size_t size) {
  if (!t->has_date) {
    snprintf(out, size, "0000-00-00 00:00:00");
    return;
  }
  mtport_time u = S_wp_clamp(t, NULL);
  if (gmt)
    u.offset_min = 0;
  mtport_tm tm;
  mtport_time_local(&u, &tm);
  snprintf(out, size, "%04d-%02d-%02d %02d:%02d:%02d", tm.year, tm.month,
           tm.day, tm.hour, tm.minute, tm.second);
}

/* Author fields sit on one line (the Regex parser reads them line by line):
 * line breaks and tabs become spaces. */
static void S_author_cdata(S_state *st, const char *name, const char *s) {
  char *c = S_dup(s ? s : "");
  if (!c) {
    st->err = 1;
    return;
  }
  for (char *q = c; *q; q++)
    if (*q == '\n' || *q == '\r' || *q == '\t')
      *q = ' ';
  S_cdata(st, NULL, name, c);
  free(c);
}

/* ---- the channel head ---------------------------------------------------- */

/* Orders categories so parents precede children: depth first, then the
 * order of first appearance. */
static int S_cmp_depth(const void *a, const void *b) {
  const S_term *x = *(const S_term *const *)a, *y = *(const S_term *const *)b;
  if (x->depth != y->depth)
    return x->depth < y->depth ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

static int S_resolve_categories(S_state *st) {
  S_terms *c = &st->cats;
  /* Every ancestor of a category, also one no post is in: WordPress needs
   * the whole chain to rebuild the tree. Terms added here are looked at in
   * turn; each is a new name, so the walk ends, also on a loop. */
  for (size_t i = 0; i < c->n; i++) {
    const char *par = c->v[i].parent;
    if (par && S_find(c->by_name, par) == S_NONE &&
        S_add_term_key(st, c, par, NULL, NULL) == S_NONE)
      return MTPORT_ENOMEM;
  }
  for (size_t i = 0; i < c->n; i++) {
    c->v[i].parent_idx =
        c->v[i].parent ? S_find(c->by_name, c->v[i].parent) : S_NONE;
    c->v[i].id = (long long)i; /* first-seen order, for sorting */
  }
  for (size_t i = 0; i < c->n; i++) {
    size_t depth = 0, j = c->v[i].parent_idx;
    while (j != S_NONE && depth <= c->n) {
      depth++;
      j = c->v[j].parent_idx;
    }
    if (depth > c->n) { /* a loop: make this one top-level */
      S_diag(st, NULL, MTPORT_SEV_WARNING, "category-loop",
             "category '%s' is its own ancestor; written without a parent",
             c->v[i].name);
      c->v[i].parent_idx = S_NONE;
      depth = 0;
      i = (size_t)-1; /* depths above may have gone through the loop */
      continue;
    }
    c->v[i].depth = depth;
  }
  return MTPORT_OK;
}

static void S_write_head(S_state *st) {
  st->head_done = 1;
  W(xmlTextWriterStartDocument(st->w, "1.0", "UTF-8", NULL));
  W(xmlTextWriterWriteComment(
      st->w, (const xmlChar *)" This is a WordPress eXtended RSS file "
                              "(WXR 1.2) written by mtport from a Movable "
                              "Type export. Import it with the WordPress "
                              "importer: Tools > Import > WordPress. "));
  W(xmlTextWriterWriteRaw(st->w, (const xmlChar *)"\n"));
  W(xmlTextWriterStartElement(st->w, (const xmlChar *)"rss"));
  static const char *const attrs[][2] = {
      {"version", "2.0"},
      {"xmlns:excerpt", "http://wordpress.org/export/1.2/excerpt/"},
      {"xmlns:content", "http://purl.org/rss/1.0/modules/content/"},
      {"xmlns:wfw", "http://wellformedweb.org/CommentAPI/"},
      {"xmlns:dc", "http://purl.org/dc/elements/1.1/"},
      {"xmlns:wp", "http://wordpress.org/export/1.2/"}};
  for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++)
    W(xmlTextWriterWriteAttribute(st->w, (const xmlChar *)attrs[i][0],
                                  (const xmlChar *)attrs[i][1]));
  S_nl(st, 0);
  W(xmlTextWriterStartElement(st->w, (const xmlChar *)"channel"));
  S_nl(st, 1);
  S_text(st, NULL, "title", st->title);
  S_nl(st, 1);
  S_text(st, NULL, "link", st->home);
  S_nl(st, 1);
  S_text(st, NULL, "description", st->description);
  const mtport_time *pub = st->updated.has_date ? &st->updated : &st->newest;
  if (pub->has_date) {
    char d[64];
    S_rfc822(pub, d, sizeof d);
    S_nl(st, 1);
    S_text(st, NULL, "pubDate", d);
  }
  if (!S_empty(st->language)) {
    for (char *q = st->language; *q; q++) /* MT's en_US is WordPress's en-US */
      if (*q == '_')
        *q = '-';
    S_nl(st, 1);
    S_text(st, NULL, "language", st->language);
  }
  S_nl(st, 1);
  S_text(st, NULL, "wp:wxr_version", "1.2");
  if (!S_empty(st->home)) {
    S_nl(st, 1);
    S_text(st, NULL, "wp:base_site_url", st->home);
    S_nl(st, 1);
    S_text(st, NULL, "wp:base_blog_url", st->home);
  }
  S_nl(st, 0);
  mtport_strset *emails = NULL;
  size_t *owner = st->n_authors ? malloc(st->n_authors * sizeof *owner) : NULL;
  if (st->n_authors && !owner)
    st->err = 1;
  for (size_t i = 0; owner && i < st->n_authors; i++) {
    const S_author *a = &st->authors[i];
    const char *email = a->email;
    if (email) { /* WordPress cannot create two users with one email */
      size_t first = S_find(emails, email);
      if (first != S_NONE) {
        S_diag(st, NULL, MTPORT_SEV_NOTE, "shared-email",
               "authors '%s' and '%s' share an email address; only the first "
               "keeps it, so the importer can create both users",
               st->authors[owner[first]].name, a->name);
        email = NULL;
      } else if (S_add_n(&emails, 0u, email, strlen(email), &first) < 0)
        st->err = 1;
      else
        owner[first] = i;
    }
    S_nl(st, 1);
    W(xmlTextWriterStartElement(st->w, (const xmlChar *)"wp:author"));
    S_int(st, "wp:author_id", (long long)i + 1);
    S_author_cdata(st, "wp:author_login", a->login);
    S_author_cdata(st, "wp:author_email", email);
    S_author_cdata(st, "wp:author_display_name", a->name);
    S_author_cdata(st, "wp:author_first_name", "");
    S_author_cdata(st, "wp:author_last_name", "");
    W(xmlTextWriterEndElement(st->w));
  }
  mtport_strset_free(emails);
  free(owner);
  if (st->n_authors)
    S_nl(st, 0);
  if (S_resolve_categories(st) < 0)
    st->err = 1;
  S_term **order = st->cats.n ? malloc(st->cats.n * sizeof *order) : NULL;
  if (st->cats.n && !order)
    st->err = 1;
  for (size_t i = 0; order && i < st->cats.n; i++)
    order[i] = &st->cats.v[i];
  if (order)
    qsort(order, st->cats.n, sizeof *order, S_cmp_depth);
  long long term_id = 1;
  for (size_t i = 0; order && i < st->cats.n; i++) {
    S_term *c = order[i];
    c->id = term_id++;
    S_nl(st, 1);
    W(xmlTextWriterStartElement(st->w, (const xmlChar *)"wp:category"));
    S_int(st, "wp:term_id", c->id);
    S_cdata(st, NULL, "wp:category_nicename", c->slug);
    S_cdata(st, NULL, "wp:category_parent",
            c->parent_idx != S_NONE ? st->cats.v[c->parent_idx].slug : "");
    S_cdata(st, NULL, "wp:cat_name", c->name);
    W(xmlTextWriterEndElement(st->w));
  }
  free(order);
  for (size_t i = 0; i < st->tags.n; i++) {
    S_term *t = &st->tags.v[i];
    t->id = term_id++;
    S_nl(st, 1);
    W(xmlTextWriterStartElement(st->w, (const xmlChar *)"wp:tag"));
    S_int(st, "wp:term_id", t->id);
    S_cdata(st, NULL, "wp:tag_slug", t->slug);
    S_cdata(st, NULL, "wp:tag_name", t->name);
    W(xmlTextWriterEndElement(st->w));
  }
  if (st->cats.n || st->tags.n)
    S_nl(st, 0);
  S_nl(st, 1);
  mtport_buf_clear(&st->tmp);
  mtport_buf_printf(&st->tmp, "mtport/%s", mtport_version());
  S_text(st, NULL, "generator", st->tmp.data);
  S_nl(st, 0);
}

int mtport_wxr__prepass_done(void *state) {
  S_state *st = state;
  /* posts without an author get one, declared with the others: without
   * it the importer fails to map the author of each such post (and, when
   * no post has one, says so for every post) */
  if (st->no_author && !st->head_done) {
    mtport_buf name = MTPORT_BUF_INIT;
    if (!S_empty(st->env.default_author))
      mtport_buf_puts(&name, st->env.default_author);
    else if (st->title &&
             mtport_html_to_text(&name, st->title, strlen(st->title)))
      st->err = 1;
    char *key = S_keydup(name.data);
    if (key && !*key) { /* nothing left once cleaned */
      free(key);
      key = S_dup("Anonymous");
    }
    mtport_person who = {key, NULL, NULL};
    if (!key || S_add_author_key(st, &who, key))
      st->err = 1;
    else
      st->fallback = S_find(st->author_keys, key);
    free(key);
    mtport_buf_dispose(&name);
  }
  /* What grows with the posts stays in memory up to S_SPOOL_POSTS posts
   * (a few MB; a spool costs a system call a lookup) and is spooled
   * beyond, unless $TMPDIR takes no file (the run has said so). */
  if (st->n_posts >
      (st->env.spool_after ? st->env.spool_after : S_SPOOL_POSTS)) {
    int fd = mtport_temp_fd("wxr");
    st->spool = fd >= 0 ? MTPORT_STRSET_SPOOL : 0u;
    if (fd >= 0)
      close(fd);
  }
  st->nudges.flags = st->name_next.flags = st->spool;
  /* the sets that grow with the posts get their room at once: a spooled
   * set that grows reads every key back */
  int rc = MTPORT_OK;
  if (st->n_posts &&
      ((!st->dupes && (rc = mtport_strset_new(&st->dupes, st->spool))) ||
       (rc = mtport_strset_reserve(st->dupes, 2 * st->n_posts)) ||
       (!st->names && (rc = mtport_strset_new(&st->names, st->spool))) ||
       (rc = mtport_strset_reserve(st->names, st->n_posts))))
    return rc;
  if (!st->head_done)
    S_write_head(st);
  return st->err ? MTPORT_EIO : MTPORT_OK;
}

/* ---- items -----------------------------------------------------------------
 */

static const char *S_status(mtport_status s) {
  switch (s) {
  case MTPORT_STATUS_DRAFT:
    return "draft";
  case MTPORT_STATUS_REVIEW:
    return "pending";
  case MTPORT_STATUS_FUTURE:
    return "future";
  case MTPORT_STATUS_UNPUBLISH:
    return "private";
  default: /* an Atom feed lists published entries only */
    return "publish";
  }
}

static const char *S_open_closed(mtport_flag f) {
  return f == MTPORT_FLAG_OFF ? "closed" : "open";
}

static long long S_post_id(S_state *st, const mtport_post *p) {
  long long id = p->entry_id;
  if (id > 0 && !S_ids_has(&st->used_ids, (uint64_t)id))
    return id;
  if (id > 0)
    S_diag(st, p, MTPORT_SEV_WARNING, "duplicate-id",
           "entry id %lld was already used; the post gets a new id", id);
  do
    id = st->next_id++;
  while (S_ids_has(&st->entry_ids, (uint64_t)id) ||
         S_ids_has(&st->used_ids, (uint64_t)id));
  return id;
}

/* ---- WordPress's duplicate rule ---------------------------------------------
 * The importer skips a post as "already exists" when a post of its type has
 * its local date and a title the database calls equal; an empty title (or
 * "0") matches any post of that date (wxr_collate.c has the details). Such
 * a post is moved on a second at a time until nothing matches. */

/* The key @k ('T' or 'D') of a post of type @kind at local date @d in
 * st->key; a 'T' key ends with the folded title @f. */
static void S_dupe_key(S_state *st, char k, int kind, const char *d,
                       const mtport_buf *f) {
  char head[2] = {k, (char)('0' + kind)}; /* two kinds: post and page */
  mtport_buf_clear(&st->key);
  if (mtport_buf_append(&st->key, head, 2) || mtport_buf_puts(&st->key, d) ||
      (f && (mtport_buf_putc(&st->key, 0x1f) ||
             (f->len && mtport_buf_append(&st->key, f->data, f->len)))))
    st->err = 1;
}

/* The index of a key, or S_NONE. */
static size_t S_dupe_find(S_state *st, char k, int kind, const char *d,
                          const mtport_buf *f) {
  S_dupe_key(st, k, kind, d, f);
  int rc = 0;
  size_t i = st->key.data ? S_find_n(st->dupes, st->key.data, st->key.len, &rc)
                          : S_NONE;
  if (rc)
    st->err = 1;
  return i;
}

/* Adds a key, with the post as its owner when it is new. */
static void S_dupe_take(S_state *st, const mtport_post *p, char k, int kind,
                        const char *d, const mtport_buf *f) {
  S_dupe_key(st, k, kind, d, f);
  if (!st->key.data)
    return;
  size_t i;
  int rc = S_add_n(&st->dupes, st->spool, st->key.data, st->key.len, &i);
  uint64_t owner = p->ordinal; /* by key index, for the notes */
  if (rc < 0)
    st->err = 1;
  else if (rc == 1 && st->spool) {
    if ((!st->owners && mtport_spool_new(&st->owners, "wxr-owners")) ||
        mtport_spool_append(st->owners, &owner, sizeof owner, NULL))
      st->err = 1;
  } else if (rc == 1) {
    if (i >= st->owner_cap) {
      size_t cap = st->owner_cap ? st->owner_cap * 2 : 64;
      while (cap <= i)
        cap *= 2;
      uint64_t *v = realloc(st->owner_v, cap * sizeof *v);
      if (!v) {
        st->err = 1;
        return;
      }
      st->owner_v = v;
      st->owner_cap = cap;
    }
    st->owner_v[i] = owner;
  }
}

/* The ordinal of the post that added key @i, or 0. */
static unsigned long S_dupe_owner(S_state *st, size_t i) {
  uint64_t owner = 0;
  if (i == S_NONE)
    return 0;
  if (!st->spool)
    return i < st->owner_cap ? (unsigned long)st->owner_v[i] : 0;
  if (!st->owners || mtport_spool_read(st->owners, (uint64_t)i * sizeof owner,
                                       &owner, sizeof owner))
    return 0;
  return (unsigned long)owner;
}

/* The date WordPress will import @p under, given its title as written
 * (@title): the post's own, or the first second after it at which no post
 * written before matches. The search resumes where the previous post with
 * the same base key stopped. */
static mtport_time S_distinct_date(S_state *st, const mtport_post *p,
                                   const char *title) {
  mtport_time t = S_wp_clamp(&p->published, NULL);
  if (!t.has_date)
    return t; /* imported at the time of import: it cannot match */
  int kind = (int)p->kind;
  /* an empty title searches for the date alone; a title for itself,
   * without its backslashes (wp_unslash), and as stored */
  int empty = mtport_wxr__php_empty(title);
  const mtport_buf *stored = &st->fold, *searched = &st->fold;
  mtport_buf_clear(&st->fold);
  if (mtport_wxr__fold(&st->fold, title, strlen(title)))
    st->err = 1;
  if (strchr(title, '\\')) {
    mtport_buf_clear(&st->tmp);
    mtport_buf_clear(&st->fold2);
    if (mtport_wxr__unslash(&st->tmp, title, strlen(title)) ||
        mtport_wxr__fold(&st->fold2, st->tmp.data ? st->tmp.data : "",
                         st->tmp.len))
      st->err = 1;
    searched = &st->fold2;
  }
  char d0[32], d[32];
  S_wpdate(&t, 0, d0, sizeof d0);
  S_dupe_key(st, empty ? 'D' : 'T', kind, d0, empty ? NULL : stored);
  mtport_buf_clear(&st->part); /* the base key, for the hint */
  if (st->key.data && mtport_buf_append(&st->part, st->key.data, st->key.len))
    st->err = 1;
  uint64_t nudged =
      S_hint_get(&st->nudges, st->part.data ? st->part.data : "", st->part.len);
  uint64_t earlier = 0;
  int64_t start = t.epoch;
  t.epoch += (int64_t)nudged;
  int pinned = 0; /* past the end of WordPress's range: search earlier */
  S_wp_clamp(&t, &pinned);
  for (;;) {
    if (!pinned) {
      S_wpdate(&t, 0, d, sizeof d);
      if (st->err)
        break;
      if (empty ? S_dupe_find(st, 'D', kind, d, NULL) == S_NONE
                : S_dupe_find(st, 'T', kind, d, searched) == S_NONE &&
                      (searched == stored ||
                       S_dupe_find(st, 'T', kind, d, stored) == S_NONE))
        break;
    }
    if (pinned || earlier) {
      t.epoch = start - (int64_t)++earlier;
      pinned = 0;
      continue;
    }
    t.epoch++;
    nudged++;
    S_wp_clamp(&t, &pinned);
  }
  S_dupe_take(st, p, 'T', kind, d, stored);
  S_dupe_take(st, p, 'D', kind, d, NULL);
  /* a hint only for a base that was nudged: starting the search lower
   * finds the same date, as every date passed over stays taken */
  if (nudged && !earlier &&
      S_hint_put(&st->nudges, st->part.data, st->part.len, nudged + 1))
    st->err = 1;
  if (!nudged && !earlier)
    return t;
  uint64_t moved = earlier ? earlier : nudged;
  const char *way = earlier ? "earlier" : "later";
  /* name the post it would be taken for, at the post's own date */
  size_t i = empty ? S_dupe_find(st, 'D', kind, d0, NULL)
                   : S_dupe_find(st, 'T', kind, d0, searched);
  if (i == S_NONE && !empty)
    i = S_dupe_find(st, 'T', kind, d0, stored);
  unsigned long other = S_dupe_owner(st, i);
  char other_s[48] = "another post";
  if (other)
    snprintf(other_s, sizeof other_s, "entry %lu", other);
  if (empty)
    S_diag(st, p, MTPORT_SEV_NOTE, "date-nudged",
           "the WordPress importer would skip this post as already there: "
           "its title is empty, and an empty title matches any post of the "
           "same date (%s at %s); moved %llu second%s %s, to %s",
           other_s, d0, (unsigned long long)moved, moved == 1 ? "" : "s", way,
           d);
  else
    S_diag(st, p, MTPORT_SEV_NOTE, "date-nudged",
           "the WordPress importer would skip this post as already there: "
           "%s has the same date (%s) and a title WordPress's database "
           "compares as equal (case, accents and compatibility forms "
           "ignored); moved %llu second%s %s, to %s",
           other_s, d0, (unsigned long long)moved, moved == 1 ? "" : "s", way,
           d);
  return t;
}

/* Warns once per post when a date it writes is outside WordPress's range
 * (S_wp_clamp moves it). */
static void S_check_dates(S_state *st, const mtport_post *p,
                          const mtport_time *date) {
  int moved = 0, m;
  if (date->has_date)
    S_wp_clamp(date, &moved);
  if (!moved && p->updated.has_date)
    S_wp_clamp(&p->updated, &moved);
  for (size_t i = 0; i < p->n_comments && !moved; i++)
    if (p->comments[i].date.has_date) {
      S_wp_clamp(&p->comments[i].date, &m);
      moved = m;
    }
  if (moved)
    S_diag(st, p, MTPORT_SEV_WARNING, "date-out-of-range",
           "a date is outside the years 1000-9999 that WordPress can store: "
           "written as the nearest date inside");
}

static void S_category(S_state *st, const mtport_post *p, const char *domain,
                       const S_terms *t, const char *name) {
  char *key = S_keydup(name);
  size_t i = key ? S_find(t->by_name, key) : S_NONE;
  free(key);
  if (i == S_NONE)
    return;
  S_nl(st, 2);
  W(xmlTextWriterStartElement(st->w, (const xmlChar *)"category"));
  W(xmlTextWriterWriteAttribute(st->w, (const xmlChar *)"domain",
                                (const xmlChar *)domain));
  W(xmlTextWriterWriteAttribute(st->w, (const xmlChar *)"nicename",
                                (const xmlChar *)t->v[i].slug));
  S_cdata_sections(st, t->v[i].name); /* cleaned when collected */
  W(xmlTextWriterEndElement(st->w));
}

/* Comment text as WordPress stores it: HTML that wpautop formats at display
 * time, like MT's Convert Line Breaks; Markdown and plain text are rendered
 * first. Pings start with the pinging post's title, as WordPress's do. */
static void S_comment_html(S_state *st, const mtport_comment *c) {
  mtport_buf_clear(&st->tmp);
  if (c->kind != MTPORT_COMMENT && !S_empty(c->title)) {
    mtport_buf_puts(&st->tmp, "<strong>");
    for (const char *q = c->title; *q; q++) {
      switch (*q) {
      case '<':
        mtport_buf_puts(&st->tmp, "&lt;");
        break;
      case '>':
        mtport_buf_puts(&st->tmp, "&gt;");
        break;
      case '&':
        mtport_buf_puts(&st->tmp, "&amp;");
        break;
      default:
        mtport_buf_putc(&st->tmp, *q);
      }
    }
    mtport_buf_puts(&st->tmp, "</strong>\n\n");
  }
  if (c->body.format == MTPORT_TEXT_MARKDOWN ||
      c->body.format == MTPORT_TEXT_PLAIN) {
    if (mtport_text_to_html(&st->tmp, &c->body, NULL))
      st->err = 1;
  } else if (c->body.text)
    mtport_buf_puts(&st->tmp, c->body.text);
}

/* Sorting helpers for the comment id lookup (qsort has no payload). */
typedef struct S_cref {
  const char *id;
  size_t idx;
} S_cref;

static int S_cmp_cref(const void *a, const void *b) {
  const S_cref *x = a, *y = b;
  int c = strcmp(x->id, y->id);
  return c ? c : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

static void S_comments(S_state *st, const mtport_post *p,
                       const mtport_time *post_date) {
  size_t n = p->n_comments;
  if (!n || (st->env.flags & MTPORT_WXR_NO_COMMENTS))
    return;
  S_cref *refs = malloc(n * sizeof *refs);
  size_t *parent = malloc(n * sizeof *parent);
  long long *ids = calloc(n, sizeof *ids);
  size_t *order = malloc(n * sizeof *order);
  size_t *stack = malloc(n * sizeof *stack);
  if (!refs || !parent || !ids || !order || !stack) {
    st->err = 1;
    goto done;
  }
  size_t nrefs = 0;
  for (size_t i = 0; i < n; i++)
    if (!S_empty(p->comments[i].id))
      refs[nrefs++] = (S_cref){p->comments[i].id, i};
  qsort(refs, nrefs, sizeof *refs, S_cmp_cref);
  for (size_t i = 0; i < n; i++) {
    parent[i] = S_NONE;
    const char *pid = p->comments[i].parent_id;
    if (S_empty(pid))
      continue;
    S_cref key = {pid, 0};
    /* the first comment holding that id */
    size_t lo = 0, hi = nrefs;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (S_cmp_cref(&refs[mid], &key) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo < nrefs && strcmp(refs[lo].id, pid) == 0 && refs[lo].idx != i)
      parent[i] = refs[lo].idx;
  }
  /* number parents before their replies (the importer remaps a parent only
   * once it is inserted); walk up iteratively, a loop is cut */
  size_t n_order = 0;
  for (size_t i = 0; i < n; i++) {
    if (ids[i])
      continue;
    size_t top = 0;
    stack[top++] = i;
    ids[i] = -1; /* on the stack */
    for (size_t j = parent[i]; j != S_NONE && ids[j] == 0; j = parent[j]) {
      stack[top++] = j;
      ids[j] = -1;
    }
    while (top) {
      size_t k = stack[--top];
      ids[k] = ++st->next_comment_id;
      order[n_order++] = k;
    }
  }
  for (size_t o = 0; o < n_order; o++) {
    size_t i = order[o];
    const mtport_comment *c = &p->comments[i];
    const mtport_time *d = c->date.has_date ? &c->date : post_date;
    char local[32], gmt[32];
    S_wpdate(d, 0, local, sizeof local);
    S_wpdate(d, 1, gmt, sizeof gmt);
    S_nl(st, 2);
    W(xmlTextWriterStartElement(st->w, (const xmlChar *)"wp:comment"));
    S_nl(st, 3);
    S_int(st, "wp:comment_id", ids[i]);
    S_nl(st, 3);
    S_cdata(st, p, "wp:comment_author", c->author.name);
    S_nl(st, 3);
    S_cdata(st, p, "wp:comment_author_email", c->author.email);
    S_nl(st, 3);
    S_text(st, p, "wp:comment_author_url", c->author.url);
    S_nl(st, 3);
    S_cdata(st, p, "wp:comment_author_IP", c->ip);
    S_nl(st, 3);
    S_cdata(st, p, "wp:comment_date", local);
    S_nl(st, 3);
    S_cdata(st, p, "wp:comment_date_gmt", gmt);
    S_comment_html(st, c);
    S_nl(st, 3);
    S_cdata_n(st, p, "wp:comment_content", st->tmp.data ? st->tmp.data : "",
              st->tmp.len);
    S_nl(st, 3);
    S_cdata(st, p, "wp:comment_approved",
            c->junk ? "spam" : (c->approved ? "1" : "0"));
    S_nl(st, 3);
    S_cdata(st, p, "wp:comment_type",
            c->kind == MTPORT_PINGBACK    ? "pingback"
            : c->kind == MTPORT_TRACKBACK ? "trackback"
                                          : "");
    long long par = 0;
    if (parent[i] != S_NONE && ids[parent[i]] > 0 && ids[parent[i]] < ids[i])
      par = ids[parent[i]];
    S_nl(st, 3);
    S_int(st, "wp:comment_parent", par);
    S_nl(st, 3);
    S_int(st, "wp:comment_user_id", 0);
    S_nl(st, 2);
    W(xmlTextWriterEndElement(st->w));
  }
done:
  free(refs);
  free(parent);
  free(ids);
  free(order);
  free(stack);
}

/* The post's HTML: the body, then "<!--more-->" and the extended body,
 * each rendered from its text filter and without what the Markdown outputs
 * leave out too (scripts, styles, tracking junk), in st->tmp. */
static void S_content(S_state *st, const mtport_post *p) {
  mtport_buf_clear(&st->tmp);
  mtport_clean_report junk;
  memset(&junk, 0, sizeof junk);
  const mtport_text *parts[2] = {&p->body, &p->more};
  for (int i = 0; i < 2; i++) {
    const mtport_text *t = parts[i];
    if (S_empty(t->text))
      continue;
    if (!mtport_text_filter_supported(t))
      S_diag(st, p, MTPORT_SEV_WARNING, "unknown-filter",
             "%s uses text filter '%s', which mtport cannot render; kept as "
             "is",
             i ? "the extended body" : "the body", t->filter ? t->filter : "?");
    if (i == 1 && mtport_buf_puts(&st->tmp, "\n<!--more-->\n"))
      st->err = 1;
    mtport_buf_clear(&st->part);
    if (mtport_text_to_html(&st->part, t, t->base ? t->base : p->permalink))
      st->err = 1;
    /* the texts the Markdown converter reads as HTML (mtport_text_to_
     * markdown); Markdown and Textile are kept as the site outputs keep
     * them */
    int html = t->format == MTPORT_TEXT_HTML ||
               t->format == MTPORT_TEXT_CONVERT_BREAKS;
    if (html ? mtport_html_clean(&st->tmp, st->part.data ? st->part.data : "",
                                 st->part.len, &junk)
             : mtport_buf_append(&st->tmp, st->part.data ? st->part.data : "",
                                 st->part.len))
      st->err = 1;
  }
  if (!junk.scripts && !junk.styles && !junk.heads && !junk.trackers)
    return;
  mtport_buf_clear(&st->part);
  if (mtport_clean_report_format(&junk, &st->part))
    st->err = 1;
  S_diag(st, p, MTPORT_SEV_NOTE, "junk-removed",
         "removed from the post's HTML what the Markdown outputs leave out "
         "too: %s",
         st->part.data ? st->part.data : "");
  st->junk.scripts += junk.scripts;
  st->junk.styles += junk.styles;
  st->junk.heads += junk.heads;
  st->junk.trackers += junk.trackers;
  st->junk_entries++;
}

/* PHP's is_serialized(), strict, as WordPress has it: the importer
 * unserializes a meta value that looks serialized. */
static int S_php_serialized(const char *s) {
  size_t n = strlen(s);
  while (n && strchr(" \t\n\r\v", s[n - 1]))
    n--;
  while (n && strchr(" \t\n\r\v", *s))
    s++, n--;
  if (n == 2 && s[0] == 'N' && s[1] == ';')
    return 1;
  if (n < 4 || s[1] != ':' || (s[n - 1] != ';' && s[n - 1] != '}'))
    return 0;
  size_t i = 2;
  switch (s[0]) {
  case 's':
    if (s[n - 2] != '"')
      return 0;
    /* fall through */
  case 'a':
  case 'O':
  case 'E':
    while (i < n && s[i] >= '0' && s[i] <= '9')
      i++;
    return i > 2 && i < n && s[i] == ':';
  case 'b':
  case 'i':
  case 'd':
    while (i < n && ((s[i] >= '0' && s[i] <= '9') || strchr(".E+-", s[i])))
      i++;
    return i > 2 && i + 1 == n && s[i] == ';';
  default:
    return 0;
  }
}

/* A custom field. A value the importer would take for a serialized PHP
 * value is written serialized, as a string, so that it comes back as is. */
static void S_meta(S_state *st, const mtport_post *p, const char *key,
                   const char *value) {
  S_nl(st, 2);
  W(xmlTextWriterStartElement(st->w, (const xmlChar *)"wp:postmeta"));
  S_nl(st, 3);
  S_cdata(st, p, "wp:meta_key", key);
  const char *v = S_clean(st, p, key, value, strlen(value));
  mtport_buf_clear(&st->part);
  if (S_php_serialized(v)
          ? mtport_buf_printf(&st->part, "s:%zu:\"%s\";", strlen(v), v)
          : mtport_buf_puts(&st->part, v))
    st->err = 1;
  S_nl(st, 3);
  S_cdata(st, p, "wp:meta_value", st->part.data ? st->part.data : "");
  S_nl(st, 2);
  W(xmlTextWriterEndElement(st->w));
}

/* WordPress makes slugs unique on insert; doing it here keeps converters
 * that name files after wp:post_name from overwriting one post with
 * another. Takes ownership of @name. */
static char *S_unique_name(S_state *st, const mtport_post *p, char *name) {
  if (!name)
    return NULL;
  mtport_buf base = MTPORT_BUF_INIT, b = MTPORT_BUF_INIT;
  char *out = NULL;
  if (mtport_buf_printf(&base, "%d/%s", (int)p->kind, name))
    goto done;
  unsigned long k =
      (unsigned long)S_hint_get(&st->name_next, base.data, base.len);
  for (k = k ? k : 1;; k++) {
    mtport_buf_clear(&b);
    if (k == 1 ? mtport_buf_append(&b, base.data, base.len)
               : mtport_buf_printf(&b, "%s-%lu", base.data, k))
      break;
    int rc = S_add_n(&st->names, st->spool, b.data, b.len, NULL);
    if (rc < 0)
      break;
    if (rc == 0)
      continue;
    /* no hint for a name taken at once (see S_distinct_date) */
    if (k > 1 &&
        S_hint_put(&st->name_next, base.data, base.len, (uint64_t)k + 1))
      break;
    out = S_dup(strchr(b.data, '/') + 1);
    break;
  }
done:
  mtport_buf_dispose(&base);
  mtport_buf_dispose(&b);
  free(name);
  return out;
}

int mtport_wxr__entry(void *state, const mtport_post *p) {
  S_state *st = state;
  if (p->status == MTPORT_STATUS_SPAM) {
    S_diag(st, p, MTPORT_SEV_WARNING, "spam-skipped",
           "the entry is marked as spam; WordPress has no such post status, "
           "so it is left out");
    return MTPORT_SKIPPED;
  }
  if (!st->head_done)
    S_write_head(st);
  long long id = S_post_id(st, p);
  if (S_ids_add(&st->used_ids, (uint64_t)id))
    return MTPORT_ENOMEM;
  /* the title as WordPress will store and compare it */
  mtport_buf_clear(&st->part);
  mtport_buf_clear(&st->wptitle);
  if (mtport_wxr__title(&st->part, p->title) ||
      mtport_buf_puts(&st->wptitle,
                      S_clean(st, p, "title", st->part.data, st->part.len)))
    st->err = 1;
  const char *title = st->wptitle.data ? st->wptitle.data : "";
  mtport_time date = S_distinct_date(st, p, title);
  S_check_dates(st, p, &date);
  char buf[64];

  S_nl(st, 1);
  W(xmlTextWriterStartElement(st->w, (const xmlChar *)"item"));
  S_nl(st, 2);
  S_cdata(st, p, "title", title);
  S_nl(st, 2);
  S_text(st, p, "link", p->permalink);
  /* always present (empty without a date): converters index it blindly */
  buf[0] = '\0';
  if (date.has_date)
    S_rfc822(&date, buf, sizeof buf);
  S_nl(st, 2);
  S_text(st, p, "pubDate", buf);
  const char *login = "";
  size_t a = S_NONE;
  if (p->n_authors) {
    char *key = S_keydup(S_author_key(&p->authors[0]));
    a = key && *key ? S_find(st->author_keys, key) : S_NONE;
    free(key);
  }
  if (a == S_NONE && st->fallback != S_NONE) {
    a = st->fallback;
    st->no_author_written++;
  }
  if (a != S_NONE)
    login = st->authors[a].login;
  if (p->n_authors > 1)
    S_diag(st, p, MTPORT_SEV_WARNING, "extra-authors",
           "the entry has %zu authors and a WordPress post has one: it is "
           "written as by '%s' only (the others are still created as "
           "users)",
           p->n_authors, a != S_NONE ? st->authors[a].name : "");
  S_nl(st, 2);
  S_cdata(st, p, "dc:creator", login);
  S_nl(st, 2);
  W(xmlTextWriterStartElement(st->w, (const xmlChar *)"guid"));
  W(xmlTextWriterWriteAttribute(st->w, (const xmlChar *)"isPermaLink",
                                (const xmlChar *)"false"));
  const char *guid = p->source_id ? p->source_id : p->permalink;
  W(xmlTextWriterWriteString(
      st->w,
      (const xmlChar *)S_clean(st, p, "guid", guid, guid ? strlen(guid) : 0)));
  W(xmlTextWriterEndElement(st->w));
  S_nl(st, 2);
  S_text(st, p, "description", "");
  S_content(st, p);
  S_nl(st, 2);
  S_cdata_n(st, p, "content:encoded", st->tmp.data ? st->tmp.data : "",
            st->tmp.len);
  S_nl(st, 2);
  S_cdata(st, p, "excerpt:encoded", p->excerpt.text);
  S_nl(st, 2);
  S_int(st, "wp:post_id", id);
  S_wpdate(&date, 0, buf, sizeof buf);
  S_nl(st, 2);
  S_cdata(st, p, "wp:post_date", buf);
  S_wpdate(&date, 1, buf, sizeof buf);
  S_nl(st, 2);
  S_cdata(st, p, "wp:post_date_gmt", buf);
  if (p->updated.has_date) {
    mtport_time mod = p->updated; /* local time in the post date's offset */
    if (date.has_date)
      mod.offset_min = date.offset_min;
    S_wpdate(&mod, 0, buf, sizeof buf);
    S_nl(st, 2);
    S_cdata(st, p, "wp:post_modified", buf);
    S_wpdate(&p->updated, 1, buf, sizeof buf);
    S_nl(st, 2);
    S_cdata(st, p, "wp:post_modified_gmt", buf);
  }
  S_nl(st, 2);
  S_cdata(st, p, "wp:comment_status", S_open_closed(p->allow_comments));
  S_nl(st, 2);
  S_cdata(st, p, "wp:ping_status", S_open_closed(p->allow_pings));
  char *name;
  if (!S_empty(p->basename)) {
    int keep = (st->env.flags & MTPORT_WXR_KEEP_UNDERSCORES) != 0;
    char *b = S_dup(p->basename);
    for (char *q = b; q && *q; q++)
      if (*q == '_' && !keep)
        *q = '-';
    name = b ? S_wp_slug(b, keep ? MTPORT_SLUG_KEEP_UNDERSCORES : 0u) : NULL;
    free(b);
  } else /* the title is text: the readers decoded it */
    name = S_wp_slug(p->title ? p->title : "", 0);
  name = S_unique_name(st, p, name);
  if (!name)
    st->err = 1;
  S_nl(st, 2);
  S_cdata(st, p, "wp:post_name", name ? name : "");
  free(name);
  S_nl(st, 2);
  S_cdata(st, p, "wp:status", S_status(p->status));
  S_nl(st, 2);
  S_int(st, "wp:post_parent", 0);
  S_nl(st, 2);
  S_int(st, "wp:menu_order", 0);
  S_nl(st, 2);
  S_cdata(st, p, "wp:post_type", p->kind == MTPORT_KIND_PAGE ? "page" : "post");
  S_nl(st, 2);
  S_cdata(st, p, "wp:post_password", "");
  S_nl(st, 2);
  S_int(st, "wp:is_sticky", 0);
  for (size_t i = 0; i < p->n_categories; i++)
    if (!S_empty(p->categories[i].name))
      S_category(st, p, "category", &st->cats, p->categories[i].name);
  for (size_t i = 0; i < p->n_tags; i++)
    if (!S_empty(p->tags[i].name))
      S_category(st, p, "post_tag", &st->tags, p->tags[i].name);
  if (!S_empty(p->keywords))
    S_meta(st, p, "mt_keywords", p->keywords);
  for (size_t i = 0; i < p->n_extra; i++) {
    mtport_buf_clear(&st->key);
    if (mtport_buf_printf(&st->key, "mt_%s", p->extra[i].key))
      st->err = 1;
    S_meta(st, p, st->key.data ? st->key.data : "mt_",
           p->extra[i].value ? p->extra[i].value : "");
  }
  S_comments(st, p, &date);
  S_nl(st, 1);
  W(xmlTextWriterEndElement(st->w));
  int rc = st->err ? MTPORT_EIO : MTPORT_OK;
  S_spool_report(st, rc);
  return rc;
}

/* ---- begin and end --------------------------------------------------------
 */

/* A spool that failed ($TMPDIR full or unwritable) is said once, naming
 * the folder, as the site exporters say it. */
static void S_spool_report(S_state *st, int rc) {
  int errs[] = {mtport_strset_errno(st->dupes), mtport_spool_errno(st->owners),
                mtport_strset_errno(st->names),
                mtport_strset_errno(st->nudges.keys),
                mtport_strset_errno(st->name_next.keys)};
  for (size_t i = 0; rc == MTPORT_EIO && !st->spool_reported &&
                     i < sizeof errs / sizeof *errs;
       i++)
    if (errs[i]) {
      S_diag(st, NULL, MTPORT_SEV_FATAL, "write-failed",
             "cannot use a temporary file in $TMPDIR (default /tmp): %s",
             strerror(errs[i]));
      st->spool_reported = 1;
    }
}

static void S_free(S_state *st) {
  if (st->w)
    xmlFreeTextWriter(st->w); /* also frees the output buffer, not the FILE */
  free(st->title);
  free(st->home);
  free(st->description);
  free(st->language);
  for (size_t i = 0; i < st->n_authors; i++) {
    free(st->authors[i].name);
    free(st->authors[i].email);
    free(st->authors[i].login);
  }
  free(st->authors);
  mtport_strset_free(st->author_keys);
  mtport_strset_free(st->logins);
  S_hint_free(&st->login_next);
  S_terms_free(&st->cats);
  S_terms_free(&st->tags);
  for (size_t i = 0; i < st->tree.n; i++) {
    free(st->tree.v[i].name);
    free(st->tree.v[i].slug);
    free(st->tree.v[i].parent);
  }
  free(st->tree.v);
  mtport_strset_free(st->tree.by_name);
  S_ids_free(&st->entry_ids);
  S_ids_free(&st->used_ids);
  free(st->files_url);
  mtport_strset_free(st->dupes);
  mtport_spool_free(st->owners);
  free(st->owner_v);
  S_hint_free(&st->nudges);
  mtport_strset_free(st->names);
  S_hint_free(&st->name_next);
  mtport_buf *bufs[] = {&st->clean,   &st->tmp,  &st->key,  &st->part,
                        &st->wptitle, &st->fold, &st->fold2};
  for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++)
    mtport_buf_dispose(bufs[i]);
  free(st);
}

/* libxml2 prints I/O errors of the output buffer to stderr by itself; the
 * run reports a failed write as a diagnostic naming the file instead. */
static void S_xml_quiet(void *ctx, const char *msg, ...) {}

/* Copies the site's category tree, keeping the first category of a name. */
static int S_copy_tree(S_state *st, const mtport_site *site) {
  if (!site->n_categories)
    return MTPORT_OK;
  st->tree.v = calloc(site->n_categories, sizeof *st->tree.v);
  if (!st->tree.v)
    return MTPORT_ENOMEM;
  for (size_t i = 0; i < site->n_categories; i++) {
    const mtport_term *c = &site->categories[i];
    char *name = S_keydup(c->name);
    if (!name)
      return MTPORT_ENOMEM;
    if (!*name || S_find(st->tree.by_name, name) != S_NONE) {
      free(name);
      continue;
    }
    S_node *nd = &st->tree.v[st->tree.n++];
    nd->name = name;
    nd->slug = S_empty(c->slug) ? NULL : S_dup(c->slug);
    nd->parent = S_empty(c->parent) ? NULL : S_keydup(c->parent);
    if ((!S_empty(c->slug) && !nd->slug) ||
        (!S_empty(c->parent) && !nd->parent) || S_add(&st->tree.by_name, name))
      return MTPORT_ENOMEM;
    if (nd->parent && !*nd->parent) {
      free(nd->parent);
      nd->parent = NULL;
    }
  }
  return MTPORT_OK;
}

int mtport_wxr__begin(const mtport_wxr_env *env, const mtport_site *site,
                      void **state) {
  *state = NULL;
  if (!env || !env->out)
    return MTPORT_EINVALID;
  S_state *st = calloc(1, sizeof *st);
  if (!st)
    return MTPORT_ENOMEM;
  st->env = *env;
  st->next_id = 1;
  st->fallback = S_NONE;
  if (site) {
    st->title = S_dup(site->title);
    st->home = S_dup(site->home_url);
    st->description = S_dup(site->description);
    st->language = S_dup(site->language);
    st->updated = site->updated;
    if (S_copy_tree(st, site) < 0) {
      S_free(st);
      return MTPORT_ENOMEM;
    }
  }
  xmlSetGenericErrorFunc(NULL, S_xml_quiet); /* thread-local in libxml2 */
  xmlOutputBufferPtr ob = xmlOutputBufferCreateFile(env->out, NULL);
  st->w = ob ? xmlNewTextWriter(ob) : NULL;
  if (!st->w) {
    if (ob)
      xmlOutputBufferClose(ob);
    S_free(st);
    return MTPORT_ENOMEM;
  }
  *state = st;
  return MTPORT_OK;
}

int mtport_wxr__end(void *state, int status) {
  S_state *st = state;
  if (!st)
    return MTPORT_OK;
  int rc = MTPORT_OK;
  if (status == MTPORT_OK) {
    if (!st->head_done)
      S_write_head(st);
    W(xmlTextWriterEndDocument(st->w)); /* closes channel and rss */
    W(xmlTextWriterFlush(st->w));
    rc = st->err ? MTPORT_EIO : MTPORT_OK;
    if (st->no_author_written && st->fallback != S_NONE)
      S_diag(st, NULL, MTPORT_SEV_NOTE, "default-author",
             "%lu entr%s without an author written as by '%s' "
             "(--default-author sets another name)",
             st->no_author_written, st->no_author_written == 1 ? "y" : "ies",
             st->authors[st->fallback].name);
    if (st->junk_entries) {
      mtport_buf b = MTPORT_BUF_INIT;
      if (mtport_clean_report_format(&st->junk, &b) == MTPORT_OK)
        S_diag(st, NULL, MTPORT_SEV_NOTE, "junk-removed",
               "removed from the HTML of %lu entr%s what the Markdown "
               "outputs leave out too: %s",
               st->junk_entries, st->junk_entries == 1 ? "y" : "ies",
               b.data ? b.data : "");
      mtport_buf_dispose(&b);
    }
  }
  S_spool_report(st, rc);
  S_free(st);
  xmlSetGenericErrorFunc(NULL, NULL); /* libxml2's default handler again */
  return rc;
}

/* ---- files (the asset layer) -----------------------------------------------
 *
 * The files the posts use sit in the folder beside the WXR
 * (site.xml -> site-files/), which the user serves at --base-url followed
 * by its name while WordPress imports: one attachment item per file, its
 * wp:attachment_url there and its post the wp:post_parent. The posts refer
 * to the same URLs, which the importer replaces with its own copies'. */

/* The files folder's URL (ending '/'), or NULL when there is none. */
static char *S_files_url(mtport_ctx *ctx, const char *home) {
  if (!mtport_ctx_assets(ctx))
    return NULL;
  const char *base = mtport_ctx_option(ctx, "base-url");
  return mtport_ctx_assets_url(ctx, S_empty(base) ? home : base);
}

typedef struct {
  S_state *st;
  const char *prefix;
  mtport_buf url;
} S_att;

/* One attachment item. Its URL escapes the stored path as the asset
 * layer's rewriting does, so the posts' references match it. */
static int S_attachment(void *payload, const mtport_assets_file *f) {
  S_att *a = payload;
  S_state *st = a->st;
  mtport_buf_clear(&a->url);
  int rc = mtport_buf_puts(&a->url, a->prefix);
  for (const unsigned char *s = (const unsigned char *)f->stored; !rc && *s;
       s++)
    rc = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                 (*s >= '0' && *s <= '9') || strchr("-._~/", *s)
             ? mtport_buf_putc(&a->url, (char)*s)
             : mtport_buf_printf(&a->url, "%%%02X", *s) < 0;
  if (rc)
    return MTPORT_ENOMEM;
  mtport_post none;
  memset(&none, 0, sizeof none);
  long long id = S_post_id(st, &none);
  if (S_ids_add(&st->used_ids, (uint64_t)id))
    return MTPORT_ENOMEM;
  long long parent =
      f->entry_id > 0 && S_ids_has(&st->used_ids, (uint64_t)f->entry_id)
          ? f->entry_id
          : 0;
  const char *name = strrchr(f->stored, '/');
  name = name ? name + 1 : f->stored;
  char *slug = S_wp_slug(name, 0);
  S_nl(st, 1);
  W(xmlTextWriterStartElement(st->w, (const xmlChar *)"item"));
  S_nl(st, 2);
  S_cdata(st, NULL, "title", name);
  S_nl(st, 2);
  S_text(st, NULL, "link", a->url.data);
  S_nl(st, 2);
  W(xmlTextWriterStartElement(st->w, (const xmlChar *)"guid"));
  W(xmlTextWriterWriteAttribute(st->w, (const xmlChar *)"isPermaLink",
                                (const xmlChar *)"false"));
  W(xmlTextWriterWriteString(st->w, (const xmlChar *)a->url.data));
  W(xmlTextWriterEndElement(st->w));
  S_nl(st, 2);
  S_text(st, NULL, "description", "");
  S_nl(st, 2);
  S_cdata(st, NULL, "content:encoded", "");
  S_nl(st, 2);
  S_cdata(st, NULL, "excerpt:encoded", "");
  S_nl(st, 2);
  S_int(st, "wp:post_id", id);
  S_nl(st, 2);
  S_cdata(st, NULL, "wp:comment_status", "closed");
  S_nl(st, 2);
  S_cdata(st, NULL, "wp:ping_status", "closed");
  S_nl(st, 2);
  S_cdata(st, NULL, "wp:post_name", slug ? slug : "");
  S_nl(st, 2);
  S_cdata(st, NULL, "wp:status", "inherit");
  S_nl(st, 2);
  S_int(st, "wp:post_parent", parent);
  S_nl(st, 2);
  S_int(st, "wp:menu_order", 0);
  S_nl(st, 2);
  S_cdata(st, NULL, "wp:post_type", "attachment");
  S_nl(st, 2);
  S_cdata(st, NULL, "wp:post_password", "");
  S_nl(st, 2);
  S_int(st, "wp:is_sticky", 0);
  S_nl(st, 2);
  S_cdata(st, NULL, "wp:attachment_url", a->url.data);
  S_nl(st, 1);
  W(xmlTextWriterEndElement(st->w));
  free(slug);
  return st->err ? MTPORT_EIO : MTPORT_OK;
}

/* Every stored file as an attachment item, after the posts. */
static int S_attachments(S_state *st, mtport_assets *as, const char *prefix) {
  if (!st->head_done)
    S_write_head(st);
  S_att a = {st, prefix, MTPORT_BUF_INIT};
  int rc = mtport_assets_each_file(as, S_attachment, &a);
  mtport_buf_dispose(&a.url);
  return rc;
}

/* ---- the exporter vtable over a run context -------------------------------
 */

static void S_ctx_diag(void *payload, const mtport_post *post,
                       mtport_severity sev, const char *code, const char *msg) {
  mtport_ctx_diag(payload, post, sev, code, "%s", msg);
}

static int S_begin(mtport_ctx *ctx, const mtport_site *site, void **state) {
  mtport_wxr_env env = {mtport_ctx_stream(ctx),
                        0u,
                        S_ctx_diag,
                        ctx,
                        mtport_ctx_option(ctx, "default-author"),
                        0};
  const char *sa = mtport_ctx_option(ctx, "spool-after");
  if (sa && *sa >= '0' && *sa <= '9')
    env.spool_after = strtoul(sa, NULL, 10);
  if (mtport_ctx_flag(ctx, "keep-underscores"))
    env.flags |= MTPORT_WXR_KEEP_UNDERSCORES;
  if (mtport_ctx_flag(ctx, "no-comments"))
    env.flags |= MTPORT_WXR_NO_COMMENTS;
  return mtport_wxr__begin(&env, site, state);
}

static int S_prepass(mtport_ctx *ctx, void *state, const mtport_post *p) {
  return mtport_wxr__prepass(state, p);
}

static int S_prepass_done(mtport_ctx *ctx, void *state) {
  int rc = mtport_wxr__prepass_done(state);
  S_state *st = state;
  mtport_assets *as = mtport_ctx_assets(ctx);
  if (rc || !as)
    return rc;
  /* posts refer to their files where the attachments say they are, and
   * keep their old permalinks (each item's link) */
  if ((st->files_url = S_files_url(ctx, st->home))) {
    mtport_assets_output o = {st->files_url, NULL, NULL, NULL,
                              NULL,          NULL, NULL, 1};
    rc = mtport_assets_set_output(as, &o);
  }
  return rc ? rc : mtport_ctx_assets_keep_permalinks(ctx);
}

static int S_entry(mtport_ctx *ctx, void *state, const mtport_post *p) {
  return mtport_wxr__entry(state, p);
}

static int S_end(mtport_ctx *ctx, void *state, int status) {
  S_state *st = state;
  mtport_assets *as = mtport_ctx_assets(ctx);
  int rc = MTPORT_OK;
  if (status == MTPORT_OK && st && as && st->files_url)
    rc = S_attachments(st, as, st->files_url);
  int e = mtport_wxr__end(state, rc ? rc : status);
  return rc ? rc : e;
}

const mtport_exporter mtport_exporter_wxr = {
    .version = MTPORT_EXPORTER_VERSION,
    .name = "wxr",
    .description =
        "WordPress eXtended RSS 1.2 for the WordPress importer (FILE or -)",
    .output = MTPORT_OUTPUT_STREAM,
    .begin = S_begin,
    .prepass = S_prepass,
    .prepass_done = S_prepass_done,
    .entry = S_entry,
    .end = S_end,
};
