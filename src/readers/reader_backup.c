/* MT backup XML importer (mt-formats.md §3).
 *
 * A backup is not in entry order: categories, tags, placements, objecttags,
 * comments, pings and fileinfo refer to entries by id and may come after
 * them. open() therefore streams the whole input once with xmlTextReader,
 * expanding one top-level object at a time, and keeps:
 *   - small tables: blogs, authors, categories/folders, tags, placements,
 *     objecttags, templatemaps, trackback id -> entry id, fileinfo URLs;
 *   - an index entry (id, offset, line) per entry/page and per kept comment
 *     or ping (entry or trackback id, offset);
 *   - the entries, pages, comments and pings themselves in an anonymous
 *     temporary spool file (tmpfile()), one flat key/value record each.
 * next() then reads one entry record and its comment records back from the
 * spool. The input is read once, so stdin needs no special handling. A
 * split backup (NAME-1.xml, NAME-2.xml, ...) is read as one: part 1 streams
 * the later parts into the same tables.
 *
 * Memory bound: O(#objects in the small tables + #entries + #comments)
 * fixed-size index rows of about 40 bytes (plus labels, tag names and one
 * fileinfo URL per entry), plus the largest single object (one entry with
 * its comments while it is built), plus a 64 KiB read buffer. Never the sum
 * of the bodies: those live on disk in the spool. Measured: a 239 MB backup
 * with 10,000 entries and 40,000 comments peaks at 9.5 MB RSS. Objects a
 * migration does not need (templates, logs, plugindata, assets, ...) are
 * skipped without being expanded. */
#include "reader_int.h"
#include "xmlcdata.h" /* CDATA as text: libxml2's reader is quadratic on it */
#include "xmltail.h"  /* where the root element ends */
#include <errno.h>
#include <fcntl.h>
#include <libxml/xmlreader.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- growable arrays ------------------------------------------------- */

static void *S_push(void *arrp, size_t *n, size_t *cap, size_t sz) {
  void **arr = (void **)arrp;
  if (*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 16;
    void *a = realloc(*arr, nc * sz);
    if (!a)
      return NULL;
    *arr = a;
    *cap = nc;
  }
  void *e = (char *)*arr + *n * sz;
  memset(e, 0, sz);
  (*n)++;
  return e;
}

/* ---- tables ------------------------------------------------------------ */

typedef struct {
  long long id, parent_id;
  int website;
  char *name, *description, *site_url, *language, *convert_paras,
      *convert_paras_comments, *server_offset;
  unsigned long entries; /* entries and pages that belong to it */
} S_blog;

typedef struct {
  long long id;
  char *name, *nickname, *email, *url;
} S_author;

typedef struct {
  long long id, parent;
  char *label, *basename;
  int folder; /* an MT folder (pages), not a category */
} S_cat;

typedef struct {
  long long id, n8d;
  char *name;
} S_tag;

/* A link between two ids, kept in file order by seq. */
typedef struct {
  long long key, val;
  unsigned long seq;
  int flag;
} S_link;

enum { S_AT_OTHER = 0, S_AT_INDIVIDUAL, S_AT_PAGE };

typedef struct {
  long long entry, map;
  unsigned long seq;
  int archive;
  char *url;
} S_finfo;

/* An entry, page, comment or ping record in the spool. */
typedef struct {
  long long key;  /* entries: entry id; comments: entry id; pings: tb id */
  long long blog; /* entries: blog id */
  unsigned long seq;
  unsigned long line;
  long off;
  int kind;      /* entries: mtport_post_kind; comments: mtport_comment_kind */
  unsigned part; /* which part of a split backup it came from */
} S_rec;

#define S_TABLE(T, name)                                                       \
  T *name;                                                                     \
  size_t n_##name, cap_##name

#define S_RAW 65536 /* bytes read from the input at a time */

typedef struct S_state {
  FILE *spool;
  S_TABLE(S_blog, blogs);
  S_TABLE(S_author, authors);
  S_TABLE(S_cat, cats);
  S_TABLE(S_tag, tags);
  S_TABLE(S_link, places); /* entry -> category, flag primary */
  S_TABLE(S_link, otags);  /* entry -> tag */
  S_TABLE(S_link, tbs);    /* trackback id -> entry id */
  S_TABLE(S_link, maps);   /* templatemap id -> is_preferred */
  S_TABLE(S_finfo, finfos);
  S_TABLE(S_rec, entries);
  S_TABLE(S_rec, crefs);
  size_t cursor;
  unsigned long seq;
  const S_blog *site_blog;
  /* time zone for 14-digit dates: forced, else per blog server_offset */
  int tz_forced, tz_min;
  mtport_tz *tz; /* --timezone, offset or IANA name (DST-aware) */
  int tz_warned;
  /* counts for the summary diagnostics */
  unsigned long junk_left, orphans, scrubbed, utf8_repairs;
  /* the read callback's buffers */
  char raw[S_RAW];
  size_t carry;
  mtport_buf out;
  size_t out_pos;
  int eof, repair_utf8;
  /* where the root element ends: only the document up to its closing tag
   * reaches libxml2; the rest is checked here (S_drain) */
  mtport_xmltail tail;
  mtport_xmlcdata cdata;
  mtport_buf mid;     /* sanitized bytes on their way through cdata */
  int trail_read_err; /* reading that rest failed */
  int part_fd;  /* a later part of a split backup, or -1: the reader's input */
  char **parts; /* display names of parts 2.. (parts[0] is unused) */
  size_t n_parts;
  unsigned cur_part;
  /* the record being decoded */
  char *rbuf;
  size_t rcap;
  char **keys, **vals;
  size_t nf, capf;
  mtport_buf tmp;
  /* the reader and the first XML error */
  mtport_reader *r;
  int xml_err;
  unsigned long err_line, err_col;
  char err_msg[256];
} S_state;

/* ---- small helpers ------------------------------------------------------ */

static long long S_ll(const char *s) {
  if (!s)
    return 0;
  char *end;
  long long v = strtoll(s, &end, 10);
  return end == s ? 0 : v;
}

static int S_eq(const char *a, const char *b) {
  return a && b && strcmp(a, b) == 0;
}

static int S_cmp_link(const void *a, const void *b) {
  const S_link *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return (x->seq > y->seq) - (x->seq < y->seq);
}

static int S_cmp_finfo(const void *a, const void *b) {
  const S_finfo *x = a, *y = b;
  if (x->entry != y->entry)
    return x->entry < y->entry ? -1 : 1;
  return (x->seq > y->seq) - (x->seq < y->seq);
}

static int S_cmp_rec(const void *a, const void *b) {
  const S_rec *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return (x->seq > y->seq) - (x->seq < y->seq);
}

/* qsort that accepts an empty (NULL) array. */
static void S_sort(void *a, size_t n, size_t sz,
                   int (*cmp)(const void *, const void *)) {
  if (a && n > 1)
    qsort(a, n, sz, cmp);
}

static int S_cmp_ll(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return (x > y) - (x < y);
}

/* Sort by id, then file order, so the first of duplicates wins. */
#define S_CMP_ID(T)                                                            \
  static int S_cmp_##T(const void *a, const void *b) {                         \
    const T *x = a, *y = b;                                                    \
    return (x->id > y->id) - (x->id < y->id);                                  \
  }
S_CMP_ID(S_author)
S_CMP_ID(S_cat)
S_CMP_ID(S_tag)

/* First index whose key is >= k in an array sorted by key. */
#define S_LOWER(fn, T, field)                                                  \
  static size_t fn(const T *a, size_t n, long long k) {                        \
    size_t lo = 0, hi = n;                                                     \
    while (lo < hi) {                                                          \
      size_t mid = lo + (hi - lo) / 2;                                         \
      if (a[mid].field < k)                                                    \
        lo = mid + 1;                                                          \
      else                                                                     \
        hi = mid;                                                              \
    }                                                                          \
    return lo;                                                                 \
  }
S_LOWER(S_lower_link, S_link, key)
S_LOWER(S_lower_finfo, S_finfo, entry)
S_LOWER(S_lower_rec, S_rec, key)
S_LOWER(S_lower_author, S_author, id)
S_LOWER(S_lower_cat, S_cat, id)
S_LOWER(S_lower_tag, S_tag, id)

static const S_author *S_find_author(const S_state *s, long long id) {
  size_t i = S_lower_author(s->authors, s->n_authors, id);
  return i < s->n_authors && s->authors[i].id == id ? &s->authors[i] : NULL;
}
static const S_cat *S_find_cat(const S_state *s, long long id) {
  size_t i = S_lower_cat(s->cats, s->n_cats, id);
  return i < s->n_cats && s->cats[i].id == id ? &s->cats[i] : NULL;
}
static const S_tag *S_find_tag(const S_state *s, long long id) {
  size_t i = S_lower_tag(s->tags, s->n_tags, id);
  return i < s->n_tags && s->tags[i].id == id ? &s->tags[i] : NULL;
}
static const S_blog *S_find_blog(const S_state *s, long long id) {
  for (size_t i = 0; i < s->n_blogs; i++) /* a handful at most */
    if (s->blogs[i].id == id)
      return &s->blogs[i];
  return NULL;
}
static const S_link *S_find_link(const S_link *a, size_t n, long long k) {
  size_t i = S_lower_link(a, n, k);
  return i < n && a[i].key == k ? &a[i] : NULL;
}

/* ---- sniffing ------------------------------------------------------------ */

#define S_NS "http://www.sixapart.com/ns/movabletype"

/* Skips a BOM, whitespace, the XML declaration, comments and PIs; scores a
 * root element named movabletype, higher with MT's namespace. */
static int S_sniff(const unsigned char *h, size_t n) {
  size_t i = 0;
  if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF)
    i = 3;
  for (;;) {
    while (i < n &&
           (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n'))
      i++;
    if (i + 1 >= n || h[i] != '<')
      return 0;
    if (h[i + 1] == '?' || h[i + 1] == '!') { /* declaration, comment */
      const char *end = NULL;
      for (size_t j = i + 2; j < n; j++)
        if (h[j] == '>') {
          end = (const char *)h + j;
          break;
        }
      if (!end)
        return 0;
      i = (size_t)(end - (const char *)h) + 1;
      continue;
    }
    break;
  }
  static const char root[] = "<movabletype";
  if (n - i < sizeof root || memcmp(h + i, root, sizeof root - 1) != 0)
    return 0;
  unsigned char c = h[i + sizeof root - 1];
  if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '>')
    return 0;
  /* the namespace must be on the root's start tag (within the head) */
  size_t ns_len = sizeof S_NS - 1;
  for (size_t j = i; j + ns_len <= n && h[j] != '>'; j++)
    if (memcmp(h + j, S_NS, ns_len) == 0)
      return 95;
  return 70;
}

/* ---- input: a read callback that repairs what MT gets wrong ------------ */

/* ---- input: the end of the root element ------------------------------- */

/* Once the root has closed (xmltail.h): reads the rest of the input,
 * checking it, and never hands it to libxml2. Stops at the first byte not
 * allowed there. */
static void S_drain(S_state *s) {
  while (!s->tail.junk) {
    long k;
    if (s->part_fd >= 0) {
      ssize_t g;
      do
        g = read(s->part_fd, s->raw, S_RAW);
      while (g < 0 && errno == EINTR);
      k = (long)g;
    } else {
      k = mtport_input__read(&s->r->in, s->raw, S_RAW);
    }
    if (k < 0)
      s->trail_read_err = 1;
    if (k <= 0)
      return;
    mtport_xmltail__scan(&s->tail, s->raw, (size_t)k);
  }
}

/* MT's to_xml does not remove C0 control characters, which XML 1.0 forbids;
 * spam pings carry them. They become spaces. Old blogs also hold bytes that
 * are not UTF-8 although the backup is declared UTF-8: unless the document
 * declares another encoding, each invalid sequence becomes U+FFFD. Both are
 * counted and reported once. A sequence cut by a chunk boundary is carried
 * over to the next chunk. */
static int S_io_read(void *ctx, char *buf, int len) {
  S_state *s = ctx;
  while (s->out_pos >= s->out.len) {
    if (s->eof)
      return 0;
    mtport_buf_clear(&s->out);
    s->out_pos = 0;
    char *raw = s->raw;
    long k;
    if (s->part_fd >= 0) {
      ssize_t g;
      do
        g = read(s->part_fd, raw + s->carry, S_RAW - s->carry);
      while (g < 0 && errno == EINTR);
      k = (long)g;
    } else {
      k = mtport_input__read(&s->r->in, raw + s->carry, S_RAW - s->carry);
    }
    if (k < 0)
      return -1;
    size_t n = s->carry + (size_t)k, cut = n;
    if (k > 0 && !s->tail.root_done) {
      /* the carried bytes were scanned in the previous round */
      n = s->carry + mtport_xmltail__scan(&s->tail, raw + s->carry, (size_t)k);
      cut = n;
    }
    if (k == 0)
      s->eof = 1;
    else if (s->tail.root_done) {
      /* the document ends at the cut, which is just after a '>' */
    } else if (s->repair_utf8) {
      /* keep a trailing incomplete sequence for the next round */
      for (size_t i = n; i > 0 && n - i < 3; i--) {
        unsigned char c = (unsigned char)raw[i - 1];
        if ((c & 0xC0) == 0x80)
          continue;
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (n - (i - 1) < need)
          cut = i - 1;
        break;
      }
    }
    for (size_t i = 0; i < cut; i++) {
      unsigned char c = (unsigned char)raw[i];
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        raw[i] = ' ';
        s->scrubbed++;
      }
    }
    int rc;
    if (s->repair_utf8 && !mtport_utf8_valid(raw, cut)) {
      mtport_buf_clear(&s->mid);
      rc = mtport_utf8_sanitize(&s->mid, raw, cut);
      if (rc > 0)
        s->utf8_repairs += (unsigned long)rc;
      if (rc >= 0)
        rc = mtport_xmlcdata__filter(&s->cdata, s->mid.data ? s->mid.data : "",
                                     s->mid.len, &s->out);
    } else {
      rc = mtport_xmlcdata__filter(&s->cdata, raw, cut, &s->out);
    }
    if (rc >= 0 && (s->eof || s->tail.root_done))
      rc = mtport_xmlcdata__finish(&s->cdata, &s->out);
    if (rc < 0)
      return -1;
    memmove(raw, raw + cut, n - cut);
    s->carry = n - cut;
    if (s->tail.root_done && !s->eof) {
      S_drain(s); /* the raw buffer is free: its bytes are in s->out */
      s->eof = 1;
    }
  }
  size_t give = s->out.len - s->out_pos;
  if (give > (size_t)len)
    give = (size_t)len;
  memcpy(buf, s->out.data + s->out_pos, give);
  s->out_pos += give;
  return (int)give;
}

static int S_io_close(void *ctx) { return 0; }

static void S_xml_error(void *arg, xmlErrorPtr e) {
  S_state *s = arg;
  if (!e || e->level == XML_ERR_NONE)
    return;
  const char *msg = e->message ? e->message : "malformed XML";
  size_t ml = strlen(msg);
  while (ml && (msg[ml - 1] == '\n' || msg[ml - 1] == ' '))
    ml--;
  if (e->level == XML_ERR_WARNING || (s->r->opts.flags & MTPORT_READ_RECOVER)) {
    if (e->level != XML_ERR_WARNING && !s->err_msg[0]) {
      /* named by the fatal error should recovery still give up */
      s->err_line = (unsigned long)(e->line > 0 ? e->line : 0);
      s->err_col = (unsigned long)(e->int2 > 0 ? e->int2 : 0);
      snprintf(s->err_msg, sizeof s->err_msg, "%.*s",
               (int)(ml > 200 ? 200 : ml), msg);
    }
    mtport_reader__diag(s->r, MTPORT_SEV_WARNING,
                        e->level == XML_ERR_WARNING ? "xml-warning"
                                                    : "xml-recovered",
                        (unsigned long)(e->line > 0 ? e->line : 0),
                        (unsigned long)(e->int2 > 0 ? e->int2 : 0), NULL,
                        "%.*s", (int)(ml > 200 ? 200 : ml), msg);
    return;
  }
  if (!s->xml_err) {
    s->xml_err = 1;
    s->err_line = (unsigned long)(e->line > 0 ? e->line : 0);
    s->err_col = (unsigned long)(e->int2 > 0 ? e->int2 : 0);
    snprintf(s->err_msg, sizeof s->err_msg, "%.*s", (int)(ml > 200 ? 200 : ml),
             msg);
  }
}

/* ---- the spool ------------------------------------------------------------
 */

static int S_put_u32(FILE *f, size_t v) {
  unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                        (unsigned char)(v >> 8), (unsigned char)v};
  return fwrite(b, 1, 4, f) == 4 ? 0 : -1;
}

static unsigned long S_get_u32(const unsigned char *b) {
  return (unsigned long)b[0] << 24 | (unsigned long)b[1] << 16 |
         (unsigned long)b[2] << 8 | b[3];
}

static int S_put_field(FILE *f, const char *k, const char *v) {
  size_t kl = strlen(k), vl = strlen(v);
  if (vl > 0xfffffff0u)
    vl = 0xfffffff0u;
  if (S_put_u32(f, kl) || fwrite(k, 1, kl, f) != kl || S_put_u32(f, vl) ||
      fwrite(v, 1, vl, f) != vl)
    return -1;
  return 0;
}

/* MT::Serialize blobs ("SERG", base64) carry nothing a migration uses. */
static int S_is_blob(const char *v) { return strncmp(v, "U0VSRw", 6) == 0; }

/* Writes the object @p node as one record: attributes under their names,
 * element children under "<name". Returns the record's offset or -1. */
static long S_spool(S_state *s, xmlNodePtr node) {
  FILE *f = s->spool;
  long off = ftell(f);
  if (off < 0)
    return -1;
  /* the record length is patched in afterwards */
  if (S_put_u32(f, 0))
    return -1;
  size_t total = 0;
  for (xmlAttrPtr a = node->properties; a; a = a->next) {
    xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
    if (!v)
      continue;
    int rc = S_put_field(f, (const char *)a->name, (const char *)v);
    total += 8 + strlen((const char *)a->name) + strlen((const char *)v);
    xmlFree(v);
    if (rc)
      return -1;
  }
  char key[128];
  for (xmlNodePtr c = node->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    xmlChar *v = xmlNodeGetContent(c);
    if (!v)
      continue;
    if (S_is_blob((const char *)v)) {
      xmlFree(v);
      continue;
    }
    snprintf(key, sizeof key, "<%s", (const char *)c->name);
    int rc = S_put_field(f, key, (const char *)v);
    total += 8 + strlen(key) + strlen((const char *)v);
    xmlFree(v);
    if (rc)
      return -1;
  }
  long end = ftell(f);
  if (end < 0 || fseek(f, off, SEEK_SET) || S_put_u32(f, total) ||
      fseek(f, end, SEEK_SET))
    return -1;
  return off;
}

/* Loads the record at @p off into s->keys/s->vals (pointers into rbuf). */
static int S_load(S_state *s, long off) {
  unsigned char hdr[4];
  if (fseek(s->spool, off, SEEK_SET) || fread(hdr, 1, 4, s->spool) != 4)
    return MTPORT_EIO;
  size_t len = S_get_u32(hdr);
  /* one NUL per key and value fits in the 8 length bytes each pair has */
  if (len + 1 > s->rcap) {
    char *b = realloc(s->rbuf, len + 1);
    if (!b)
      return MTPORT_ENOMEM;
    s->rbuf = b;
    s->rcap = len + 1;
  }
  if (fread(s->rbuf, 1, len, s->spool) != len)
    return MTPORT_EIO;
  s->nf = 0;
  size_t p = 0;
  char *b = s->rbuf;
  while (p + 8 <= len) {
    size_t kl = S_get_u32((unsigned char *)b + p);
    if (p + 4 + kl + 4 > len)
      return MTPORT_EIO;
    char *k = b + p + 4;
    size_t vl = S_get_u32((unsigned char *)b + p + 4 + kl);
    if (p + 8 + kl + vl > len)
      return MTPORT_EIO;
    /* shift the key left over its length bytes to make room for NULs */
    memmove(b + p, k, kl);
    k = b + p;
    k[kl] = '\0';
    char *v = b + p + 4 + kl + 4;
    memmove(k + kl + 1, v, vl);
    v = k + kl + 1;
    v[vl] = '\0';
    if (s->nf == s->capf) {
      size_t nc = s->capf ? s->capf * 2 : 32;
      char **nk = realloc(s->keys, nc * sizeof *nk);
      if (!nk)
        return MTPORT_ENOMEM;
      s->keys = nk;
      char **nv = realloc(s->vals, nc * sizeof *nv);
      if (!nv)
        return MTPORT_ENOMEM;
      s->vals = nv;
      s->capf = nc;
    }
    s->keys[s->nf] = k;
    s->vals[s->nf] = v;
    s->nf++;
    p += 8 + kl + vl;
  }
  return MTPORT_OK;
}

/* A column of the loaded record: the attribute, or the child element MT
 * writes instead when the value is longer than 255 characters. */
static const char *S_get(const S_state *s, const char *key) {
  for (size_t i = 0; i < s->nf; i++)
    if (strcmp(s->keys[i], key) == 0)
      return s->vals[i];
  if (key[0] == '<')
    return NULL;
  for (size_t i = 0; i < s->nf; i++)
    if (s->keys[i][0] == '<' && strcmp(s->keys[i] + 1, key) == 0)
      return s->vals[i];
  return NULL;
}

/* ---- pass one: reading objects into tables ------------------------------- */

static char *S_child(xmlNodePtr n, const char *name);

/* A column: the attribute, or the child element used for long values. */
static char *S_attr(xmlNodePtr n, const char *name) {
  xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
  if (!v)
    return S_child(n, name);
  char *r = NULL;
  mtport_set_str(&r, (const char *)v, (size_t)-1);
  xmlFree(v);
  return r;
}

static long long S_attr_ll(xmlNodePtr n, const char *name) {
  xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
  long long r = S_ll((const char *)v);
  xmlFree(v);
  return r;
}

static int S_attr_is(xmlNodePtr n, const char *name, const char *want) {
  xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
  int r = S_eq((const char *)v, want);
  xmlFree(v);
  return r;
}

/* The text of the first element child named @p name, sanitized. */
static char *S_child(xmlNodePtr n, const char *name) {
  for (xmlNodePtr c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE &&
        strcmp((const char *)c->name, name) == 0) {
      xmlChar *v = xmlNodeGetContent(c);
      char *r = NULL;
      if (v)
        mtport_set_str(&r, (const char *)v, (size_t)-1);
      xmlFree(v);
      return r;
    }
  return NULL;
}

#define S_NEW(tbl) S_push(&s->tbl, &s->n_##tbl, &s->cap_##tbl, sizeof *s->tbl)

/* Takes one top-level object. Returns MTPORT_OK or a negative rc. */
static int S_object(S_state *s, const char *name, xmlNodePtr n,
                    unsigned long line) {
  unsigned long seq = ++s->seq;
  if (strcmp(name, "blog") == 0 || strcmp(name, "website") == 0) {
    S_blog *b = S_NEW(blogs);
    if (!b)
      return MTPORT_ENOMEM;
    b->id = S_attr_ll(n, "id");
    b->parent_id = S_attr_ll(n, "parent_id");
    b->website = name[0] == 'w';
    b->name = S_attr(n, "name");
    b->description = S_attr(n, "description");
    b->site_url = S_attr(n, "site_url");
    b->language = S_attr(n, "language");
    b->convert_paras = S_attr(n, "convert_paras");
    b->convert_paras_comments = S_attr(n, "convert_paras_comments");
    b->server_offset = S_attr(n, "server_offset");
    return MTPORT_OK;
  }
  if (strcmp(name, "author") == 0) {
    S_author *a = S_NEW(authors);
    if (!a)
      return MTPORT_ENOMEM;
    a->id = S_attr_ll(n, "id");
    a->name = S_attr(n, "name");
    a->nickname = S_attr(n, "nickname");
    a->email = S_attr(n, "email");
    a->url = S_attr(n, "url");
    return MTPORT_OK;
  }
  if (strcmp(name, "category") == 0 || strcmp(name, "folder") == 0) {
    S_cat *c = S_NEW(cats);
    if (!c)
      return MTPORT_ENOMEM;
    c->id = S_attr_ll(n, "id");
    c->parent = S_attr_ll(n, "parent");
    c->label = S_attr(n, "label");
    c->basename = S_attr(n, "basename");
    c->folder = name[0] == 'f';
    return MTPORT_OK;
  }
  if (strcmp(name, "tag") == 0) {
    S_tag *t = S_NEW(tags);
    if (!t)
      return MTPORT_ENOMEM;
    t->id = S_attr_ll(n, "id");
    t->n8d = S_attr_ll(n, "n8d_id");
    t->name = S_attr(n, "name");
    return MTPORT_OK;
  }
  if (strcmp(name, "placement") == 0) {
    S_link *l = S_NEW(places);
    if (!l)
      return MTPORT_ENOMEM;
    l->key = S_attr_ll(n, "entry_id");
    l->val = S_attr_ll(n, "category_id");
    l->flag = S_attr_ll(n, "is_primary") != 0;
    l->seq = seq;
    return MTPORT_OK;
  }
  if (strcmp(name, "objecttag") == 0) {
    /* entries and pages both use the datasource 'entry' */
    if (!S_attr_is(n, "object_datasource", "entry"))
      return MTPORT_OK;
    S_link *l = S_NEW(otags);
    if (!l)
      return MTPORT_ENOMEM;
    l->key = S_attr_ll(n, "object_id");
    l->val = S_attr_ll(n, "tag_id");
    l->seq = seq;
    return MTPORT_OK;
  }
  if (strcmp(name, "trackback") == 0) {
    long long e = S_attr_ll(n, "entry_id");
    if (!e)
      return MTPORT_OK; /* a category's trackback */
    S_link *l = S_NEW(tbs);
    if (!l)
      return MTPORT_ENOMEM;
    l->key = S_attr_ll(n, "id");
    l->val = e;
    l->seq = seq;
    return MTPORT_OK;
  }
  if (strcmp(name, "templatemap") == 0) {
    S_link *l = S_NEW(maps);
    if (!l)
      return MTPORT_ENOMEM;
    l->key = S_attr_ll(n, "id");
    l->flag = S_attr_ll(n, "is_preferred") != 0;
    l->seq = seq;
    return MTPORT_OK;
  }
  if (strcmp(name, "fileinfo") == 0) {
    long long e = S_attr_ll(n, "entry_id");
    if (!e)
      return MTPORT_OK; /* index, category or date archive */
    char *url = S_attr(n, "url");
    if (!url)
      return MTPORT_OK;
    S_finfo *f = S_NEW(finfos);
    if (!f) {
      free(url);
      return MTPORT_ENOMEM;
    }
    f->entry = e;
    f->map = S_attr_ll(n, "templatemap_id");
    f->seq = seq;
    f->url = url;
    f->archive = S_attr_is(n, "archive_type", "Individual") ? S_AT_INDIVIDUAL
                 : S_attr_is(n, "archive_type", "Page")     ? S_AT_PAGE
                                                            : S_AT_OTHER;
    return MTPORT_OK;
  }
  int is_entry = strcmp(name, "entry") == 0, is_page = !strcmp(name, "page");
  if (is_entry || is_page) {
    long off = S_spool(s, n);
    if (off < 0)
      goto spool_failed;
    S_rec *e = S_NEW(entries);
    if (!e)
      return MTPORT_ENOMEM;
    e->key = S_attr_ll(n, "id");
    e->blog = S_attr_ll(n, "blog_id");
    e->off = off;
    e->seq = seq;
    e->line = line;
    e->part = s->cur_part;
    /* MT 4.0-4.1 wrote pages as <entry class='page'> */
    e->kind = is_page || S_attr_is(n, "class", "page") ? MTPORT_KIND_PAGE
                                                       : MTPORT_KIND_POST;
    return MTPORT_OK;
  }
  int is_ping = strcmp(name, "tbping") == 0;
  if (is_ping || strcmp(name, "comment") == 0) {
    if (S_attr_ll(n, "junk_status") < 0 &&
        !(s->r->opts.flags & MTPORT_READ_INCLUDE_JUNK)) {
      s->junk_left++;
      return MTPORT_OK;
    }
    long off = S_spool(s, n);
    if (off < 0)
      goto spool_failed;
    S_rec *c = S_NEW(crefs);
    if (!c)
      return MTPORT_ENOMEM;
    c->key = S_attr_ll(n, is_ping ? "tb_id" : "entry_id");
    c->kind = is_ping ? MTPORT_TRACKBACK : MTPORT_COMMENT;
    c->off = off;
    c->seq = seq;
    c->line = line;
    c->part = s->cur_part;
    return MTPORT_OK;
  }
  return MTPORT_OK;
spool_failed:
  mtport_reader__diag(s->r, MTPORT_SEV_FATAL, "spool-failed", line, 0, NULL,
                      "cannot write the temporary spool file");
  return MTPORT_EIO;
}

/* Objects worth expanding; everything else is skipped unparsed. */
static int S_wanted(const char *n) {
  static const char *const names[] = {
      "blog",     "website",   "author",    "category",  "folder",
      "tag",      "placement", "objecttag", "trackback", "templatemap",
      "fileinfo", "entry",     "page",      "comment",   "tbping"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strcmp(n, names[i]) == 0)
      return 1;
  return 0;
}

/* ---- time zones and dates ------------------------------------------------ */

/* "+hh:mm", "-hhmm", "+h", "Z", "UTC". Returns 1 and the minutes. */
static int S_parse_offset(const char *z, int *min) {
  if (S_eq(z, "Z") || S_eq(z, "UTC") || S_eq(z, "utc")) {
    *min = 0;
    return 1;
  }
  if (!z || (*z != '+' && *z != '-'))
    return 0;
  int sign = *z == '-' ? -1 : 1, h = 0, m = 0, nd = 0;
  const char *p = z + 1;
  while (*p >= '0' && *p <= '9' && nd < 2)
    h = h * 10 + (*p++ - '0'), nd++;
  if (!nd)
    return 0;
  if (*p == ':')
    p++;
  if (*p) {
    if (!(p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9') || p[2])
      return 0;
    m = (p[0] - '0') * 10 + (p[1] - '0');
  }
  if (h > 23 || m > 59)
    return 0;
  *min = sign * (h * 60 + m);
  return 1;
}

/* The offset in minutes that @p blog's 14-digit dates are in. */
static int S_blog_offset(S_state *s, const S_blog *b, int *has_tz) {
  *has_tz = 1;
  if (s->tz_forced)
    return s->tz_min;
  if (b && b->server_offset) {
    char *end;
    double h = strtod(b->server_offset, &end);
    if (end != b->server_offset && h >= -24 && h <= 24)
      return (int)(h * 60 + (h < 0 ? -0.5 : 0.5));
  }
  *has_tz = 0;
  if (!s->tz_warned) {
    s->tz_warned = 1;
    mtport_reader__diag(s->r, MTPORT_SEV_WARNING, "no-timezone", 0, 0, NULL,
                        "the backup gives no time zone (server_offset) for "
                        "its dates: reading them as UTC; use --timezone");
  }
  return 0;
}

/* MT's 14-digit YYYYMMDDhhmmss local time, in @p off minutes from UTC, or
 * in the IANA zone @p tz when given (its offset depends on the date). */
static int S_mt_date(mtport_time *t, const char *v, int off, int has_tz,
                     const mtport_tz *tz) {
  mtport_tm tm;
  int d[14];
  if (!v || strlen(v) != 14)
    return MTPORT_EPARSE;
  for (int i = 0; i < 14; i++) {
    if (v[i] < '0' || v[i] > '9')
      return MTPORT_EPARSE;
    d[i] = v[i] - '0';
  }
  tm.year = d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3];
  tm.month = d[4] * 10 + d[5];
  tm.day = d[6] * 10 + d[7];
  tm.hour = d[8] * 10 + d[9];
  tm.minute = d[10] * 10 + d[11];
  tm.second = d[12] * 10 + d[13];
  if (tm.second == 60)
    tm.second = 59;
  if (tz)
    off = mtport_tz__offset_local(tz, &tm), has_tz = 1;
  return mtport_time_from_local(t, &tm, off, has_tz) == MTPORT_OK
             ? MTPORT_OK
             : MTPORT_EPARSE;
}

/* ---- text filters, status, asset cleanup --------------------------------- */

/* Maps an MT filter name (or comma list) to the model's format. */
static mtport_text_format S_format(const char *f) {
  if (!f || !*f || strcmp(f, "0") == 0)
    return MTPORT_TEXT_HTML;
  mtport_text_format found = MTPORT_TEXT_NONE;
  const char *p = f;
  while (*p) {
    const char *e = strchr(p, ',');
    size_t n = e ? (size_t)(e - p) : strlen(p);
#define S_IS(lit) (n == sizeof lit - 1 && memcmp(p, lit, n) == 0)
    mtport_text_format one;
    if (S_IS("__sanitize__") || n == 0)
      one = MTPORT_TEXT_NONE; /* sanitizing does not change the format */
    else if (S_IS("1") || S_IS("__default__"))
      one = MTPORT_TEXT_CONVERT_BREAKS;
    else if (S_IS("0") || S_IS("richtext") || S_IS("block_editor") ||
             S_IS("blockeditor"))
      one = MTPORT_TEXT_HTML;
    else if (S_IS("markdown") || S_IS("markdown_with_smartypants") ||
             S_IS("commonmark") || S_IS("gfm"))
      one = MTPORT_TEXT_MARKDOWN;
    else if (S_IS("textile_2"))
      one = MTPORT_TEXT_TEXTILE;
    else
      one = MTPORT_TEXT_UNKNOWN;
#undef S_IS
    if (one != MTPORT_TEXT_NONE) {
      if (found != MTPORT_TEXT_NONE && found != one)
        return MTPORT_TEXT_UNKNOWN; /* a chain of different filters */
      found = one;
    }
    p += n;
    if (*p == ',')
      p++;
  }
  return found == MTPORT_TEXT_NONE ? MTPORT_TEXT_HTML : found;
}

static mtport_status S_status(const char *v) {
  switch (S_ll(v)) {
  case 1:
    return MTPORT_STATUS_DRAFT; /* HOLD */
  case 2:
    return MTPORT_STATUS_PUBLISH; /* RELEASE */
  case 3:
    return MTPORT_STATUS_REVIEW;
  case 4:
    return MTPORT_STATUS_FUTURE;
  case 5:
    return MTPORT_STATUS_SPAM; /* JUNK */
  case 6:
    return MTPORT_STATUS_UNPUBLISH;
  default:
    return MTPORT_STATUS_UNKNOWN;
  }
}

static int S_ieq(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z')
      x = (char)(x - 'A' + 'a');
    if (x != y)
      return 0;
  }
  return 1;
}

/* Finds the end of a start tag at @p p ('>' outside quotes), or NULL. */
static const char *S_tag_end(const char *p) {
  char q = 0;
  for (; *p; p++) {
    if (q) {
      if (*p == q)
        q = 0;
    } else if (*p == '"' || *p == '\'')
      q = *p;
    else if (*p == '>')
      return p;
  }
  return NULL;
}

/* Copies the attributes in [a, end) to @p out, leaving out mt:asset-id and
 * contenteditable. Returns 1 when mt:asset-id was among them. */
static int S_copy_attrs(mtport_buf *out, const char *a, const char *end) {
  int asset = 0;
  while (a < end) {
    const char *ws = a;
    while (a < end && (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r'))
      a++;
    const char *name = a;
    while (a < end && *a != '=' && *a != ' ' && *a != '\t' && *a != '\n' &&
           *a != '\r' && *a != '/')
      a++;
    size_t nl = (size_t)(a - name);
    if (a < end && *a == '=') {
      a++;
      if (a < end && (*a == '"' || *a == '\'')) {
        char q = *a++;
        while (a < end && *a != q)
          a++;
        if (a < end)
          a++;
      } else {
        while (a < end && *a != ' ' && *a != '\t' && *a != '\n' && *a != '\r')
          a++;
      }
    } else if (nl == 0 && a < end) {
      a++; /* a stray character such as '/' */
    }
    int drop = (nl == 11 && S_ieq(name, "mt:asset-id", 11)) ||
               (nl == 15 && S_ieq(name, "contenteditable", 15));
    if (nl == 11 && S_ieq(name, "mt:asset-id", 11))
      asset = 1;
    if (!drop)
      mtport_buf_append(out, ws, (size_t)(a - ws));
  }
  return asset;
}

/* MT's asset_cleanup (mt-formats.md §1.5): a <form> or <span> start tag
 * with mt:asset-id becomes a <span> without mt:asset-id/contenteditable, and
 * its end tag becomes </span>. MT pairs the wrapper with the first end tag
 * after it (a regex); we pair start and end tags of form/span with a stack
 * instead, which gives the same result for MT's own wrappers and keeps
 * nested spans and wrappers balanced. Writes the result to @p out; returns
 * 1 when something changed. */
static int S_asset_cleanup(mtport_buf *out, const char *in) {
  mtport_buf_clear(out);
  int changed = 0;
  const char *p = in;
  mtport_buf tag = MTPORT_BUF_INIT;
  mtport_buf stack = MTPORT_BUF_INIT; /* 'a' asset wrapper, 'o' other */
  while (*p) {
    const char *lt = strchr(p, '<');
    if (!lt) {
      mtport_buf_puts(out, p);
      break;
    }
    mtport_buf_append(out, p, (size_t)(lt - p));
    int closing = lt[1] == '/';
    const char *nm = lt + 1 + closing;
    int is_fs = S_ieq(nm, "form", 4) || S_ieq(nm, "span", 4);
    char after = is_fs ? nm[4] : 0;
    const char *end = NULL;
    if (is_fs && (after == ' ' || after == '\t' || after == '\n' ||
                  after == '\r' || after == '>' || after == '/'))
      end = S_tag_end(lt);
    if (!end) {
      mtport_buf_putc(out, '<');
      p = lt + 1;
      continue;
    }
    p = end + 1;
    if (closing) {
      char top = stack.len ? stack.data[stack.len - 1] : 'o';
      if (stack.len)
        stack.data[--stack.len] = '\0';
      if (top == 'a')
        mtport_buf_puts(out, "</span>");
      else
        mtport_buf_append(out, lt, (size_t)(end + 1 - lt));
      continue;
    }
    mtport_buf_clear(&tag);
    int asset = S_copy_attrs(&tag, nm + 4, end);
    int empty = end > lt && end[-1] == '/';
    if (!empty)
      mtport_buf_putc(&stack, asset ? 'a' : 'o');
    if (!asset) {
      mtport_buf_append(out, lt, (size_t)(end + 1 - lt));
      continue;
    }
    changed = 1;
    mtport_buf_puts(out, "<span");
    mtport_buf_append(out, tag.data ? tag.data : "", tag.len);
    mtport_buf_putc(out, '>');
  }
  mtport_buf_dispose(&tag);
  mtport_buf_dispose(&stack);
  return changed;
}

/* ---- open ------------------------------------------------------------------
 */

static void S_free_state(S_state *s) {
  if (!s)
    return;
  mtport_tz__free(s->tz);
  if (s->spool)
    fclose(s->spool);
  for (size_t i = 0; i < s->n_blogs; i++) {
    S_blog *b = &s->blogs[i];
    free(b->name), free(b->description), free(b->site_url);
    free(b->language), free(b->convert_paras);
    free(b->convert_paras_comments), free(b->server_offset);
  }
  free(s->blogs);
  for (size_t i = 0; i < s->n_authors; i++) {
    S_author *a = &s->authors[i];
    free(a->name), free(a->nickname), free(a->email), free(a->url);
  }
  free(s->authors);
  for (size_t i = 0; i < s->n_cats; i++)
    free(s->cats[i].label), free(s->cats[i].basename);
  free(s->cats);
  for (size_t i = 0; i < s->n_tags; i++)
    free(s->tags[i].name);
  free(s->tags);
  free(s->places);
  free(s->otags);
  free(s->tbs);
  free(s->maps);
  for (size_t i = 0; i < s->n_finfos; i++)
    free(s->finfos[i].url);
  free(s->finfos);
  free(s->entries);
  free(s->crefs);
  free(s->rbuf);
  free(s->keys);
  free(s->vals);
  mtport_buf_dispose(&s->tmp);
  mtport_buf_dispose(&s->out);
  mtport_buf_dispose(&s->mid);
  for (size_t i = 0; i < s->n_parts; i++)
    free(s->parts[i]);
  free(s->parts);
  if (s->part_fd >= 0)
    close(s->part_fd);
  free(s);
}

static void S_close(void *state) { S_free_state(state); }

/* A blog's absolute URL. MT 5+ stores a blog under a website as
 * "subdomain/::/path", relative to the website's URL. */
static char *S_blog_url(const S_state *s, const S_blog *b) {
  if (!b || !b->site_url) /* --site-url stands in for a missing one */
    return s->r->opts.site_url ? mtport__strdup(s->r->opts.site_url) : NULL;
  const char *sep = strstr(b->site_url, "/::/");
  if (!sep)
    return mtport__strdup(b->site_url);
  const S_blog *w = S_find_blog(s, b->parent_id);
  if (!w || !w->site_url || strstr(w->site_url, "/::/"))
    return NULL;
  mtport_buf u = MTPORT_BUF_INIT;
  const char *host = strstr(w->site_url, "://");
  size_t sub = (size_t)(sep - b->site_url);
  if (host && sub) {
    host += 3;
    mtport_buf_append(&u, w->site_url, (size_t)(host - w->site_url));
    mtport_buf_append(&u, b->site_url, sub);
    if (b->site_url[sub - 1] != '.')
      mtport_buf_putc(&u, '.');
    mtport_buf_puts(&u, host);
  } else {
    mtport_buf_puts(&u, w->site_url);
  }
  if (u.len && u.data[u.len - 1] != '/')
    mtport_buf_putc(&u, '/');
  mtport_buf_puts(&u, sep + 4);
  return mtport_buf_detach(&u);
}

/* The spool: an anonymous temporary file (mtport_temp_fd()) as a FILE. */
static FILE *S_tmpfile(void) {
  int fd = mtport_temp_fd("backup");
  if (fd < 0)
    return NULL;
  FILE *f = fdopen(fd, "w+b");
  if (!f)
    close(fd);
  return f;
}

/* Streams the whole input into the tables and the spool. */
static int S_pass(S_state *s) {
  mtport_reader *r = s->r;
  xmlTextReaderPtr x =
      xmlReaderForIO(S_io_read, S_io_close, s, NULL, NULL,
                     mtport_xml__parser_options(r->opts.flags));
  if (!x)
    return MTPORT_ENOMEM;
  xmlTextReaderSetStructuredErrorHandler(x, S_xml_error, s);
  int rc = MTPORT_OK, ret, seen_root = 0;
  ret = xmlTextReaderRead(x);
  while (ret == 1) {
    int type = xmlTextReaderNodeType(x);
    int depth = xmlTextReaderDepth(x);
    if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
      /* MT never writes one; its entities could expand without bound */
      mtport_reader__diag(r, MTPORT_SEV_FATAL, "xml-doctype",
                          (unsigned long)xmlTextReaderGetParserLineNumber(x), 0,
                          NULL, "a DOCTYPE is not allowed in an MT backup");
      rc = MTPORT_EPARSE;
      break;
    }
    if (type != XML_READER_TYPE_ELEMENT) {
      ret = xmlTextReaderRead(x);
      continue;
    }
    const char *name = (const char *)xmlTextReaderConstLocalName(x);
    if (depth == 0) {
      const char *ns = (const char *)xmlTextReaderConstNamespaceUri(x);
      if (!name || strcmp(name, "movabletype") != 0) {
        mtport_reader__diag(
            r, MTPORT_SEV_FATAL, "not-mt-backup",
            (unsigned long)xmlTextReaderGetParserLineNumber(x), 0, NULL,
            "the root element is <%s>, not <movabletype>", name ? name : "?");
        rc = MTPORT_EPARSE;
        break;
      }
      if (!S_eq(ns, S_NS))
        mtport_reader__diag(
            r, MTPORT_SEV_WARNING, "unexpected-namespace",
            (unsigned long)xmlTextReaderGetParserLineNumber(x), 0, NULL,
            "the root element is not in MT's namespace %s", S_NS);
      seen_root = 1;
      xmlChar *sv =
          xmlTextReaderGetAttribute(x, (const xmlChar *)"schema_version");
      if (sv) {
        mtport_buf g = MTPORT_BUF_INIT;
        mtport_buf_printf(&g, "Movable Type (backup schema %s)",
                          (const char *)sv);
        mtport_set_str(&r->site->generator, g.data, g.len);
        mtport_buf_dispose(&g);
        xmlFree(sv);
      }
      ret = xmlTextReaderRead(x);
      continue;
    }
    if (depth == 1 && name && S_wanted(name)) {
      char nm[32];
      snprintf(nm, sizeof nm, "%s", name);
      xmlNodePtr node = xmlTextReaderExpand(x);
      if (!node) {
        ret = -1;
        break;
      }
      rc = S_object(s, nm, node, mtport_xml__line(node));
      if (rc < 0)
        break;
    }
    ret = depth >= 1 ? xmlTextReaderNext(x) : xmlTextReaderRead(x);
  }
  if (rc == MTPORT_OK && (ret < 0 || s->xml_err)) {
    if (s->r->in.error)
      mtport_reader__diag(r, MTPORT_SEV_FATAL, "read-failed", 0, 0, NULL,
                          "cannot read the input");
    else
      mtport_reader__diag(r, MTPORT_SEV_FATAL, "xml-syntax", s->err_line,
                          s->err_col, NULL, "%s",
                          s->err_msg[0] ? s->err_msg : "malformed XML");
    rc = s->r->in.error ? MTPORT_EIO : MTPORT_EPARSE;
  } else if (rc == MTPORT_OK && s->trail_read_err) {
    mtport_reader__diag(r, MTPORT_SEV_FATAL, "read-failed", 0, 0, NULL,
                        "cannot read the input");
    rc = MTPORT_EIO;
  } else if (rc == MTPORT_OK && s->tail.junk) {
    /* the document itself was whole: its objects are all in the tables */
    if (r->opts.flags & MTPORT_READ_RECOVER) {
      mtport_reader__diag(r, MTPORT_SEV_WARNING, "trailing-content",
                          s->tail.junk_line, s->tail.junk_col, NULL,
                          "content after the end of <movabletype> is not "
                          "part of the backup; left out");
    } else {
      mtport_reader__diag(r, MTPORT_SEV_FATAL, "xml-syntax", s->tail.junk_line,
                          s->tail.junk_col, NULL,
                          "malformed XML: content after the end of "
                          "<movabletype> (%zu entries and pages read before "
                          "it, none written; --recover keeps them)",
                          s->n_entries);
      rc = MTPORT_EPARSE;
    }
  } else if (rc == MTPORT_OK && !seen_root) {
    mtport_reader__diag(r, MTPORT_SEV_FATAL, "not-mt-backup", 0, 0, NULL,
                        "no <movabletype> root element");
    rc = MTPORT_EPARSE;
  }
  xmlFreeTextReader(x);
  return rc;
}

/* A category's display name: its label, else its basename. */
static const char *S_cat_name(const S_cat *c) {
  return c->label ? c->label : c->basename;
}

/* The whole category tree, categories then folders, each in id order:
 * posts name only their own categories and parents, so an exporter needs
 * this to reach a grandparent no post is in. */
static int S_fill_tree(S_state *s) {
  for (int folders = 0; folders < 2; folders++)
    for (size_t i = 0; i < s->n_cats; i++) {
      const S_cat *c = &s->cats[i];
      if (c->folder != folders || !S_cat_name(c))
        continue;
      const S_cat *par = c->parent ? S_find_cat(s, c->parent) : NULL;
      if (mtport_site_add_category(s->r->site, S_cat_name(c), c->basename,
                                   par ? S_cat_name(par) : NULL) < 0)
        return MTPORT_ENOMEM;
    }
  return MTPORT_OK;
}

static void S_fill_site(S_state *s) {
  mtport_reader *r = s->r;
  /* the site is the blog holding the most entries; else the first one */
  for (size_t i = 0; i < s->n_entries; i++)
    for (size_t j = 0; j < s->n_blogs; j++)
      if (s->blogs[j].id == s->entries[i].blog)
        s->blogs[j].entries++;
  const S_blog *best = NULL;
  for (size_t j = 0; j < s->n_blogs; j++)
    if (!best || s->blogs[j].entries > best->entries)
      best = &s->blogs[j];
  s->site_blog = best;
  if (!best) {
    mtport_set_str(&r->site->home_url, r->opts.site_url, (size_t)-1);
    return;
  }
  mtport_set_str(&r->site->title, best->name, (size_t)-1);
  mtport_set_str(&r->site->description, best->description, (size_t)-1);
  char *url = S_blog_url(s, best);
  mtport_set_str(&r->site->home_url, url, (size_t)-1);
  free(url);
  if (best->language) { /* MT writes en_US; BCP 47 wants en-US */
    mtport_set_str(&r->site->language, best->language, (size_t)-1);
    for (char *p = r->site->language; p && *p; p++)
      if (*p == '_')
        *p = '-';
  }
}

/* The number N of a split backup's part "<prefix>-N.xml" read from a file
 * whose part 1 exists, with *prefix set (caller frees); 0 otherwise. */
static long S_split_part(mtport_reader *r, char **prefix) {
  *prefix = NULL;
  if (!r->in.own_fd || !r->name)
    return 0;
  size_t n = strlen(r->name);
  if (n < 7 || strcmp(r->name + n - 4, ".xml") != 0)
    return 0;
  size_t d = n - 4;
  while (d > 0 && r->name[d - 1] >= '0' && r->name[d - 1] <= '9')
    d--;
  if (d == n - 4 || d == 0 || r->name[d - 1] != '-' || n - 4 - d > 6)
    return 0;
  long part = strtol(r->name + d, NULL, 10);
  char *pre = mtport__strndup(r->name, d - 1);
  if (!pre)
    return 0;
  mtport_buf one = MTPORT_BUF_INIT;
  mtport_buf_printf(&one, "%s-1.xml", pre);
  int exists = one.data && access(one.data, R_OK) == 0;
  mtport_buf_dispose(&one);
  if (part < 1 || !exists) {
    free(pre);
    return 0;
  }
  *prefix = pre;
  return part;
}

/* Streams parts 2, 3, ... of a split backup into the same tables. */
static int S_more_parts(S_state *s, const char *prefix) {
  mtport_reader *r = s->r;
  for (unsigned k = 2; k < 100000; k++) {
    mtport_buf path = MTPORT_BUF_INIT;
    int fd = -1;
    if (r->n_more) { /* an archive's parts, kept open for the reader */
      if (k - 2 >= r->n_more)
        return MTPORT_OK;
      fd = r->more_fds[k - 2];
      r->more_fds[k - 2] = -1;
      if (mtport_buf_puts(&path, r->more_names[k - 2])) {
        close(fd);
        return MTPORT_ENOMEM;
      }
    } else {
      if (mtport_buf_printf(&path, "%s-%u.xml", prefix, k) < 0)
        return MTPORT_ENOMEM;
      fd = open(path.data, O_RDONLY);
    }
    if (fd < 0) {
      mtport_buf_dispose(&path);
      return MTPORT_OK;
    }
    char **np = realloc(s->parts, (s->n_parts + 2) * sizeof *np);
    if (!np) {
      close(fd);
      mtport_buf_dispose(&path);
      return MTPORT_ENOMEM;
    }
    s->parts = np;
    if (s->n_parts == 0)
      s->parts[s->n_parts++] = NULL; /* part 1 is the reader's own name */
    s->parts[s->n_parts++] = mtport_buf_detach(&path);
    mtport_reader__diag(r, MTPORT_SEV_NOTE, "backup-part", 0, 0, NULL,
                        "reading part %u of the split backup: %s", k,
                        s->parts[s->n_parts - 1]);
    unsigned char head[MTPORT_HEAD_SIZE];
    ssize_t hn = pread(fd, head, sizeof head, 0);
    s->repair_utf8 = mtport_xml__is_utf8_doc(head, hn > 0 ? (size_t)hn : 0);
    mtport_xmlcdata__init(&s->cdata, s->repair_utf8);
    mtport_xmltail__init(&s->tail, head, hn > 0 ? (size_t)hn : 0);
    s->trail_read_err = 0;
    s->part_fd = fd;
    s->cur_part = (unsigned)(s->n_parts - 1);
    s->carry = 0;
    s->eof = 0;
    s->out_pos = 0;
    mtport_buf_clear(&s->out);
    /* diagnostics of this part name its file */
    char *own = r->name;
    r->name = s->parts[s->cur_part];
    int rc = S_pass(s);
    r->name = own;
    close(fd);
    s->part_fd = -1;
    if (rc < 0)
      return rc;
  }
  return MTPORT_OK;
}

static int S_open(mtport_reader *r, void **state) {
  S_state *s = calloc(1, sizeof *s);
  if (!s)
    return MTPORT_ENOMEM;
  s->r = r;
  *state = s;
  if (r->opts.timezone) {
    if (S_parse_offset(r->opts.timezone, &s->tz_min))
      s->tz_forced = 1;
    else if (mtport_tz__open(&s->tz, r->opts.timezone) == MTPORT_OK)
      s->tz_forced = 1;
    else
      mtport_reader__diag(r, MTPORT_SEV_WARNING, "bad-timezone", 0, 0, NULL,
                          "unknown time zone '%s' (give ±hh:mm or an IANA "
                          "name); the blog's server_offset is used instead",
                          r->opts.timezone);
  }
  s->part_fd = -1;
  s->repair_utf8 = mtport_xml__is_utf8_doc(r->in.head, r->in.head_len);
  mtport_xmlcdata__init(&s->cdata, s->repair_utf8);
  mtport_xmltail__init(&s->tail, r->in.head, r->in.head_len);
  s->spool = S_tmpfile();
  if (!s->spool) {
    mtport_reader__diag(r, MTPORT_SEV_FATAL, "spool-failed", 0, 0, NULL,
                        "cannot create a temporary spool file in %s: %s",
                        mtport__temp_dir(), strerror(errno));
    return MTPORT_EIO;
  }
  char *prefix = NULL;
  long part = r->n_more ? 1 : S_split_part(r, &prefix);
  if (part > 1) {
    /* read with part 1: reading it alone would lose its links */
    mtport_reader__diag(r, MTPORT_SEV_WARNING, "backup-part", 0, 0, NULL,
                        "this is part %ld of a split backup; its entries are "
                        "read with %s-1.xml, not here",
                        part, prefix);
    free(prefix);
    S_fill_site(s);
    return MTPORT_OK;
  }
  int rc = S_pass(s);
  if (rc >= 0 && part == 1)
    rc = S_more_parts(s, prefix);
  free(prefix);
  if (rc < 0)
    return rc;
  if (fflush(s->spool)) {
    mtport_reader__diag(r, MTPORT_SEV_FATAL, "spool-failed", 0, 0, NULL,
                        "cannot write the temporary spool file");
    return MTPORT_EIO;
  }
  S_sort(s->authors, s->n_authors, sizeof *s->authors, S_cmp_S_author);
  S_sort(s->cats, s->n_cats, sizeof *s->cats, S_cmp_S_cat);
  S_sort(s->tags, s->n_tags, sizeof *s->tags, S_cmp_S_tag);
  S_sort(s->places, s->n_places, sizeof *s->places, S_cmp_link);
  S_sort(s->otags, s->n_otags, sizeof *s->otags, S_cmp_link);
  S_sort(s->tbs, s->n_tbs, sizeof *s->tbs, S_cmp_link);
  S_sort(s->maps, s->n_maps, sizeof *s->maps, S_cmp_link);
  S_sort(s->finfos, s->n_finfos, sizeof *s->finfos, S_cmp_finfo);
  /* pings hang off trackbacks: key them by entry id like comments */
  for (size_t i = 0; i < s->n_crefs; i++) {
    S_rec *c = &s->crefs[i];
    if (c->kind != MTPORT_TRACKBACK)
      continue;
    const S_link *tb = S_find_link(s->tbs, s->n_tbs, c->key);
    c->key = tb ? tb->val : 0;
  }
  S_sort(s->crefs, s->n_crefs, sizeof *s->crefs, S_cmp_rec);
  /* comments whose entry is not in the backup are reported, not lost
   * silently */
  if (s->n_crefs) {
    long long *ids = malloc((s->n_entries + 1) * sizeof *ids);
    if (!ids)
      return MTPORT_ENOMEM;
    for (size_t i = 0; i < s->n_entries; i++)
      ids[i] = s->entries[i].key;
    S_sort(ids, s->n_entries, sizeof *ids, S_cmp_ll);
    for (size_t i = 0; i < s->n_crefs; i++)
      if (!bsearch(&s->crefs[i].key, ids, s->n_entries, sizeof *ids, S_cmp_ll))
        s->orphans++;
    free(ids);
  }
  if (s->orphans)
    mtport_reader__diag(r, MTPORT_SEV_WARNING, "orphan-comment", 0, 0, NULL,
                        "%lu comments or pings belong to no entry in the "
                        "backup and are left out",
                        s->orphans);
  if (s->junk_left)
    mtport_reader__diag(r, MTPORT_SEV_NOTE, "junk-left-out", 0, 0, NULL,
                        "%lu comments and pings marked as junk are left out "
                        "(--include-junk keeps them)",
                        s->junk_left);
  if (s->utf8_repairs)
    mtport_reader__diag(r, MTPORT_SEV_WARNING, "invalid-utf8", 0, 0, NULL,
                        "%lu byte sequences that are not UTF-8 were replaced "
                        "by U+FFFD",
                        s->utf8_repairs);
  if (s->scrubbed)
    mtport_reader__diag(r, MTPORT_SEV_WARNING, "control-chars", 0, 0, NULL,
                        "%lu control characters not allowed in XML were "
                        "replaced by spaces",
                        s->scrubbed);
  S_fill_site(s);
  if (S_fill_tree(s) < 0)
    return MTPORT_ENOMEM;
  return MTPORT_OK;
}

/* ---- next ------------------------------------------------------------------
 */

/* Attributes mapped to model fields, never copied to extras. */
static int S_mapped(const char *k) {
  static const char *const names[] = {
      "id",          "blog_id",        "author_id",
      "status",      "class",          "title",
      "basename",    "convert_breaks", "allow_comments",
      "allow_pings", "authored_on",    "modified_on",
      "atom_id",     "text",           "text_more",
      "excerpt",     "keywords"};
  if (k[0] == '<') /* the same columns written as elements */
    k++;
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strcmp(k, names[i]) == 0)
      return 1;
  return 0;
}

/* Sets a body text after asset cleanup. */
static int S_set_body(S_state *s, mtport_text *t, const char *v,
                      mtport_text_format f, const char *filter) {
  if (!v)
    return 0;
  const char *use = v;
  if (S_asset_cleanup(&s->tmp, v))
    use = s->tmp.data;
  return mtport_text_set(t, use, (size_t)-1, f, filter);
}

static int S_date(S_state *s, mtport_post *p, mtport_time *t, const char *v,
                  const char *what, const S_blog *b) {
  if (!v)
    return 0;
  int has_tz;
  int off = S_blog_offset(s, b, &has_tz);
  if (S_mt_date(t, v, off, has_tz, s->tz) != MTPORT_OK) {
    memset(t, 0, sizeof *t);
    mtport_reader__diag(s->r, MTPORT_SEV_WARNING, "bad-date", 0, 0, p,
                        "%s '%.40s' is not a 14-digit MT date; left out", what,
                        v);
  }
  return 0;
}

static int S_comments(S_state *s, mtport_post *p, long long entry_id,
                      const S_blog *b) {
  size_t i = S_lower_rec(s->crefs, s->n_crefs, entry_id);
  mtport_text_format cf = b && b->convert_paras_comments
                              ? S_format(b->convert_paras_comments)
                              : MTPORT_TEXT_CONVERT_BREAKS;
  const char *cfilter = b && b->convert_paras_comments
                            ? b->convert_paras_comments
                            : "__default__";
  for (; i < s->n_crefs && s->crefs[i].key == entry_id; i++) {
    const S_rec *cr = &s->crefs[i];
    int rc = S_load(s, cr->off);
    if (rc < 0)
      return rc;
    mtport_comment *c = mtport_post_add_comment(p);
    if (!c)
      return MTPORT_ENOMEM;
    c->kind = (mtport_comment_kind)cr->kind;
    if (mtport_set_str(&c->id, S_get(s, "id"), (size_t)-1) < 0)
      return MTPORT_ENOMEM;
    const char *par = S_get(s, "parent_id");
    if (par && S_ll(par) > 0 &&
        mtport_set_str(&c->parent_id, par, (size_t)-1) < 0)
      return MTPORT_ENOMEM;
    int ping = cr->kind == MTPORT_TRACKBACK;
    const char *name = S_get(s, ping ? "blog_name" : "author");
    const char *url = S_get(s, ping ? "source_url" : "url");
    const char *email = ping ? NULL : S_get(s, "email");
    /* a registered commenter's record fills what the comment lacks */
    const S_author *ca =
        ping ? NULL : S_find_author(s, S_ll(S_get(s, "commenter_id")));
    if (ca) {
      if (!name)
        name = ca->nickname ? ca->nickname : ca->name;
      if (!email)
        email = ca->email;
      if (!url)
        url = ca->url;
    }
    if (mtport_set_str(&c->author.name, name, (size_t)-1) < 0 ||
        mtport_set_str(&c->author.email, email, (size_t)-1) < 0 ||
        mtport_set_str(&c->author.url, url, (size_t)-1) < 0 ||
        mtport_set_str(&c->ip, S_get(s, "ip"), (size_t)-1) < 0 ||
        mtport_set_str(&c->title, ping ? S_get(s, "title") : NULL, (size_t)-1) <
            0)
      return MTPORT_ENOMEM;
    const char *body = S_get(s, ping ? "<excerpt" : "<text");
    if (!body && ping)
      body = S_get(s, "excerpt");
    if (body && mtport_text_set(&c->body, body, (size_t)-1,
                                ping ? MTPORT_TEXT_HTML : cf,
                                ping ? NULL : cfilter) < 0)
      return MTPORT_ENOMEM;
    const char *vis = S_get(s, "visible");
    c->approved = vis ? S_ll(vis) != 0 : 1;
    c->junk = S_ll(S_get(s, "junk_status")) < 0;
    const char *d = S_get(s, "created_on");
    if (d) {
      int has_tz;
      int off = S_blog_offset(s, b, &has_tz);
      if (S_mt_date(&c->date, d, off, has_tz, s->tz) != MTPORT_OK) {
        memset(&c->date, 0, sizeof c->date);
        mtport_reader__diag(s->r, MTPORT_SEV_WARNING, "bad-date", cr->line, 0,
                            p, "comment %s has a bad date '%.40s'",
                            c->id ? c->id : "?", d);
      }
    }
  }
  return MTPORT_OK;
}

/* The entry's old URL: its fileinfo of the matching archive type, the one
 * of a preferred template map first. */
static const char *S_permalink(const S_state *s, long long id, int page) {
  size_t i = S_lower_finfo(s->finfos, s->n_finfos, id);
  const char *best = NULL;
  int best_rank = -1;
  for (; i < s->n_finfos && s->finfos[i].entry == id; i++) {
    const S_finfo *f = &s->finfos[i];
    int want = page ? S_AT_PAGE : S_AT_INDIVIDUAL;
    int rank = f->archive == want ? 2 : f->archive != S_AT_OTHER ? 1 : 0;
    const S_link *m = S_find_link(s->maps, s->n_maps, f->map);
    rank = rank * 2 + (!m || m->flag);
    if (rank > best_rank)
      best_rank = rank, best = f->url;
  }
  return best;
}

/* The model names only a category's parent; MT's %c path of the primary
 * category ("travel/asia/japan_trips", basenames from the top) is kept as
 * the extra field category_path. Walks up at most 32 levels and stops at a
 * repeated category, so a cycle of parents cannot loop. */
static int S_category_path(S_state *s, mtport_post *p, long long entry) {
  size_t i = S_lower_link(s->places, s->n_places, entry);
  const S_cat *c = NULL;
  for (; i < s->n_places && s->places[i].key == entry; i++) {
    const S_cat *x = S_find_cat(s, s->places[i].val);
    if (x && (!c || s->places[i].flag))
      c = x;
    if (x && s->places[i].flag)
      break;
  }
  if (!c || !c->parent)
    return 0; /* a top-level category is its own basename */
  const S_cat *chain[32];
  size_t n = 0;
  for (; c && n < 32; c = c->parent ? S_find_cat(s, c->parent) : NULL) {
    for (size_t k = 0; k < n; k++)
      if (chain[k] == c)
        c = NULL; /* a cycle: stop at the repeat */
    if (!c)
      break;
    chain[n++] = c;
  }
  mtport_buf_clear(&s->tmp);
  while (n > 0) {
    const char *b = chain[--n]->basename;
    if (mtport_buf_puts(&s->tmp, b ? b : "") < 0 ||
        (n && mtport_buf_putc(&s->tmp, '/') < 0))
      return MTPORT_ENOMEM;
  }
  return mtport_post_add_extra(p, "category_path", s->tmp.data);
}

/* The id MT itself gives an entry without a stored atom_id:
 * tag:HOST,YEAR:PATH/BLOG.ENTRY from the blog URL and the authored year, so
 * that it matches the <id> of MT's own feeds; a local form without URL. */
static int S_make_atom_id(S_state *s, mtport_post *p, const S_blog *b,
                          const S_rec *e) {
  char *url = S_blog_url(s, b);
  const char *host = url ? strstr(url, "://") : NULL;
  const char *au = S_get(s, "authored_on");
  mtport_buf_clear(&s->tmp);
  int rc;
  if (host && au && strlen(au) >= 4) {
    host += 3;
    size_t hl = strcspn(host, ":/");
    const char *path = host + hl;
    while (*path == ':' || (*path >= '0' && *path <= '9'))
      path++; /* the port is not part of the id */
    rc = mtport_buf_printf(&s->tmp, "tag:%.*s,%.4s:%s%s/%lld.%lld", (int)hl,
                           host, au, *path ? path : "/",
                           *path && path[strlen(path) - 1] == '/' ? "" : "/",
                           e->blog, e->key);
  } else {
    rc = mtport_buf_printf(&s->tmp, "mt-backup:blog-%lld:entry-%lld", e->blog,
                           e->key);
  }
  free(url);
  if (rc < 0)
    return rc;
  return mtport_set_str(&p->source_id, s->tmp.data, s->tmp.len);
}

#define S_TRY(x)                                                               \
  do {                                                                         \
    if ((x) < 0)                                                               \
      return MTPORT_ENOMEM;                                                    \
  } while (0)

static int S_next_entry(mtport_reader *r, S_state *s, mtport_post *p);

/* Entries of a later part of a split backup name that part's file, in
 * their origin and in diagnostics. */
static int S_next(mtport_reader *r, void *state, mtport_post *p) {
  S_state *s = state;
  if (s->cursor >= s->n_entries)
    return 0;
  unsigned part = s->entries[s->cursor].part;
  if (!part || part >= s->n_parts)
    return S_next_entry(r, s, p);
  char *own = r->name;
  r->name = s->parts[part];
  p->origin.file = r->name;
  int rc = S_next_entry(r, s, p);
  r->name = own;
  return rc;
}

static int S_next_entry(mtport_reader *r, S_state *s, mtport_post *p) {
  const S_rec *e = &s->entries[s->cursor++];
  int rc = S_load(s, e->off);
  if (rc < 0) {
    mtport_reader__diag(r, MTPORT_SEV_FATAL, "spool-failed", e->line, 0, NULL,
                        "cannot read back the temporary spool file");
    return rc;
  }
  const S_blog *b = S_find_blog(s, e->blog);
  if (!b)
    b = s->site_blog;
  p->origin.line = e->line;
  p->kind = (mtport_post_kind)e->kind;
  p->entry_id = e->key;
  S_TRY(mtport_set_str(&p->title, S_get(s, "title"), (size_t)-1));
  S_TRY(mtport_set_str(&p->basename, S_get(s, "basename"), (size_t)-1));
  const char *st = S_get(s, "status");
  p->status = S_status(st);
  if (p->status == MTPORT_STATUS_UNKNOWN)
    mtport_reader__diag(r, MTPORT_SEV_WARNING, "bad-status", 0, 0, p,
                        "unknown status '%.20s'", st ? st : "");
  /* a NULL convert_breaks column means the blog's default */
  const char *cb = S_get(s, "convert_breaks");
  if (!cb && b)
    cb = b->convert_paras;
  mtport_text_format f = cb ? S_format(cb) : MTPORT_TEXT_CONVERT_BREAKS;
  const char *filter = cb ? cb : "__default__";
  S_TRY(S_set_body(s, &p->body, S_get(s, "<text"), f, filter));
  S_TRY(S_set_body(s, &p->more, S_get(s, "<text_more"), f, filter));
  const char *ex = S_get(s, "<excerpt");
  if (!ex)
    ex = S_get(s, "excerpt");
  if (ex)
    S_TRY(mtport_text_set(&p->excerpt, ex, (size_t)-1, MTPORT_TEXT_HTML, NULL));
  const char *kw = S_get(s, "<keywords");
  if (!kw)
    kw = S_get(s, "keywords");
  S_TRY(mtport_set_str(&p->keywords, kw, (size_t)-1));
  S_date(s, p, &p->published, S_get(s, "authored_on"), "authored_on", b);
  S_date(s, p, &p->updated, S_get(s, "modified_on"), "modified_on", b);
  const char *ac = S_get(s, "allow_comments"), *ap = S_get(s, "allow_pings");
  /* before MT 3.2, 2 meant "closed" */
  p->allow_comments = ac ? (S_ll(ac) == 1 ? MTPORT_FLAG_ON : MTPORT_FLAG_OFF)
                         : MTPORT_FLAG_UNKNOWN;
  p->allow_pings =
      ap ? (S_ll(ap) ? MTPORT_FLAG_ON : MTPORT_FLAG_OFF) : MTPORT_FLAG_UNKNOWN;
  /* ids */
  const char *atom = S_get(s, "atom_id");
  if (atom && *atom) {
    S_TRY(mtport_set_str(&p->source_id, atom, (size_t)-1));
  } else {
    S_TRY(S_make_atom_id(s, p, b, e));
  }
  /* author */
  const S_author *a = S_find_author(s, S_ll(S_get(s, "author_id")));
  if (a) {
    S_TRY(mtport_post_add_author(p, a->nickname ? a->nickname : a->name,
                                 a->email, a->url));
    if (a->name)
      S_TRY(mtport_post_add_extra(p, "author_login", a->name));
  }
  /* categories or folders, the primary one first */
  size_t i = S_lower_link(s->places, s->n_places, e->key);
  for (; i < s->n_places && s->places[i].key == e->key; i++) {
    const S_cat *c = S_find_cat(s, s->places[i].val);
    if (!c) {
      mtport_reader__diag(r, MTPORT_SEV_WARNING, "unknown-category", 0, 0, p,
                          "placement refers to missing category %lld",
                          s->places[i].val);
      continue;
    }
    const S_cat *par = c->parent ? S_find_cat(s, c->parent) : NULL;
    /* a category without label is named by its basename */
    S_TRY(mtport_post_add_category(p, S_cat_name(c), c->basename,
                                   par ? S_cat_name(par) : NULL,
                                   s->places[i].flag));
  }
  S_TRY(S_category_path(s, p, e->key));
  /* tags */
  i = S_lower_link(s->otags, s->n_otags, e->key);
  for (; i < s->n_otags && s->otags[i].key == e->key; i++) {
    const S_tag *t = S_find_tag(s, s->otags[i].val);
    if (!t)
      continue;
    const S_tag *n8d = t->n8d ? S_find_tag(s, t->n8d) : NULL;
    S_TRY(mtport_post_add_tag(p, t->name, n8d ? n8d->name : NULL));
  }
  /* the exact old URL */
  const char *url = S_permalink(s, e->key, e->kind == MTPORT_KIND_PAGE);
  if (url) {
    char *base = S_blog_url(s, b);
    char *abs = mtport_url_resolve(base, url);
    free(base);
    if (!abs)
      return MTPORT_ENOMEM;
    int sr = mtport_set_str(&p->permalink, abs, (size_t)-1);
    free(abs);
    S_TRY(sr);
  }
  /* unmapped attributes and short text children as extras */
  for (size_t k = 0; k < s->nf; k++) {
    const char *key = s->keys[k];
    if (S_mapped(key))
      continue;
    if (strlen(s->vals[k]) > 4096)
      continue;
    S_TRY(mtport_post_add_extra(p, key[0] == '<' ? key + 1 : key, s->vals[k]));
  }
  /* last: S_comments reuses the record buffer */
  rc = S_comments(s, p, e->key, b);
  if (rc == MTPORT_EIO)
    mtport_reader__diag(r, MTPORT_SEV_FATAL, "spool-failed", e->line, 0, NULL,
                        "cannot read back the temporary spool file");
  return rc < 0 ? rc : 1;
}

const mtport_importer mtport_importer_backup = {
    "mt-backup", "Movable Type backup XML (Tools > Backup / Export Site)",
    S_sniff,     S_open,
    S_next,      S_close};
