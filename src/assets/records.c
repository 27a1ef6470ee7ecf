/* The asset records of an MT backup (mt-formats.md §3.4): `asset`,
 * `image`, `file`, `audio` and `video` elements, their `objectasset`
 * links to entries, and each blog's site and archive URLs, which the
 * `%r`/`%a` placeholders of asset URLs stand for (MT::Asset::url).
 *
 * Parts are streamed with libxml2's reader; only these elements are
 * expanded, everything else is skipped. Records go to a spool as
 * length-prefixed fields; memory keeps, per record, its offset, its
 * first entry, its id for lookups and its URL's key in a spooled set. */
#include "assets_int.h"
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

enum {
  S_F_ELEMENT,
  S_F_URL,
  S_F_PATH,
  S_F_NAME,
  S_F_MIME,
  S_F_LABEL,
  S_F_COUNT
};

typedef struct {
  long long id;
  char *site_url, *archive_url;
} S_blog;

typedef struct {
  long long id;
  size_t idx;
} S_byid;

typedef struct {
  long long asset_id, entry_id;
} S_link;

struct mtport_asset_records {
  char *support_url;
  mtport_spool *spool;
  uint64_t *off; /* by record */
  long long *entry;
  size_t n, cap;
  S_byid *byid; /* sorted at finish */
  S_blog *blogs;
  size_t n_blogs, cap_blogs;
  S_link *links;
  size_t n_links, cap_links;
  mtport_strset *urls; /* URL keys -> url_idx[] */
  size_t *url_idx;
  int finished;
  /* the record handed out */
  mtport_buf cur, resolved, key;
};

int mtport_asset_records_new(mtport_asset_records **out,
                             const char *support_url) {
  mtport_asset_records *r = calloc(1, sizeof *r);
  if (!r)
    return MTPORT_ENOMEM;
  if ((support_url && !(r->support_url = mtport__strdup(support_url))) ||
      mtport_spool_new(&r->spool, "asset-records") ||
      mtport_strset_new(&r->urls, MTPORT_STRSET_SPOOL)) {
    mtport_asset_records_free(r);
    return MTPORT_ENOMEM;
  }
  *out = r;
  return MTPORT_OK;
}

void mtport_asset_records_free(mtport_asset_records *r) {
  if (!r)
    return;
  free(r->support_url);
  mtport_spool_free(r->spool);
  free(r->off);
  free(r->entry);
  free(r->byid);
  for (size_t i = 0; i < r->n_blogs; i++)
    free(r->blogs[i].site_url), free(r->blogs[i].archive_url);
  free(r->blogs);
  free(r->links);
  mtport_strset_free(r->urls);
  free(r->url_idx);
  mtport_buf_dispose(&r->cur);
  mtport_buf_dispose(&r->resolved);
  mtport_buf_dispose(&r->key);
  free(r);
}

size_t mtport_asset_records_count(const mtport_asset_records *r) {
  return r ? r->n : 0;
}

static long long S_ll(const char *s) {
  long long v = 0;
  if (!s)
    return 0;
  while (*s == ' ')
    s++;
  for (; *s >= '0' && *s <= '9' && v < 100000000000000000LL; s++)
    v = v * 10 + (*s - '0');
  return v;
}

static void *S_grow(void *arr, size_t *cap, size_t n, size_t sz) {
  if (n < *cap)
    return arr;
  size_t nc = *cap ? *cap * 2 : 64;
  void *a = realloc(arr, nc * sz);
  if (a)
    *cap = nc;
  return a;
}

/* The value of attribute or child element @name of @el, or NULL; the
 * caller xmlFree()s it. */
static xmlChar *S_field(xmlNodePtr el, const char *name) {
  xmlChar *v = xmlGetProp(el, (const xmlChar *)name);
  if (v)
    return v;
  for (xmlNodePtr c = el->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
      return xmlNodeGetContent(c);
  return NULL;
}

/* Keeps an expanded asset element as one record. */
static int S_keep_asset(mtport_asset_records *r, xmlNodePtr el,
                        unsigned long line, unsigned part, mtport_diag_fn diag,
                        void *payload, const char *name) {
  xmlChar *id = S_field(el, "id");
  long long aid = S_ll((const char *)id);
  xmlFree(id);
  if (aid <= 0) {
    if (diag) {
      mtport_diag d = {MTPORT_SEV_WARNING,
                       "asset-record",
                       "an asset record without an id is left out",
                       name,
                       line,
                       0,
                       0,
                       NULL};
      diag(&d, payload);
    }
    return MTPORT_OK;
  }
  if (!(r->off = S_grow(r->off, &r->cap, r->n, sizeof *r->off)))
    return MTPORT_ENOMEM;
  size_t cap2 = r->cap;
  long long *e = realloc(r->entry, cap2 * sizeof *e);
  if (!e)
    return MTPORT_ENOMEM;
  r->entry = e;
  mtport_buf rec = MTPORT_BUF_INIT;
  int64_t nums[5] = {aid, 0, 0, (int64_t)line, (int64_t)part};
  xmlChar *bid = S_field(el, "blog_id");
  xmlChar *par = S_field(el, "parent");
  nums[1] = S_ll((const char *)bid);
  nums[2] = S_ll((const char *)par);
  xmlFree(bid);
  xmlFree(par);
  int rc = mtport_buf_append(&rec, (const char *)nums, sizeof nums);
  static const char *const names[S_F_COUNT] = {
      NULL, "url", "file_path", "file_name", "mime_type", "label"};
  for (int f = 0; f < S_F_COUNT && !rc; f++) {
    xmlChar *v = f == S_F_ELEMENT ? xmlStrdup(el->name) : S_field(el, names[f]);
    uint32_t len = v ? (uint32_t)strlen((const char *)v) : UINT32_MAX;
    rc |= mtport_buf_append(&rec, (const char *)&len, sizeof len);
    if (v) /* with its NUL, so that a record read back hands out strings */
      rc |= mtport_buf_append(&rec, (const char *)v, (size_t)len + 1);
    xmlFree(v);
  }
  uint32_t total = (uint32_t)rec.len;
  if (!rc)
    rc = mtport_spool_append(r->spool, &total, sizeof total, &r->off[r->n]);
  if (!rc)
    rc = mtport_spool_append(r->spool, rec.data, rec.len, NULL);
  mtport_buf_dispose(&rec);
  if (rc)
    return rc;
  r->entry[r->n] = 0;
  r->n++;
  r->finished = 0;
  return MTPORT_OK;
}

static int S_keep_blog(mtport_asset_records *r, xmlNodePtr el) {
  if (!(r->blogs =
            S_grow(r->blogs, &r->cap_blogs, r->n_blogs, sizeof *r->blogs)))
    return MTPORT_ENOMEM;
  S_blog *b = &r->blogs[r->n_blogs];
  memset(b, 0, sizeof *b);
  xmlChar *id = S_field(el, "id"), *su = S_field(el, "site_url"),
          *au = S_field(el, "archive_url");
  b->id = S_ll((const char *)id);
  int rc = MTPORT_OK;
  if ((su && !(b->site_url = mtport__strdup((const char *)su))) ||
      (au && *au && !(b->archive_url = mtport__strdup((const char *)au))))
    rc = MTPORT_ENOMEM;
  xmlFree(id), xmlFree(su), xmlFree(au);
  if (rc) {
    free(b->site_url), free(b->archive_url);
    return rc;
  }
  r->n_blogs++;
  r->finished = 0; /* its URLs resolve placeholders */
  return MTPORT_OK;
}

static int S_keep_link(mtport_asset_records *r, xmlNodePtr el) {
  xmlChar *ds = S_field(el, "object_ds"), *oid = S_field(el, "object_id"),
          *aid = S_field(el, "asset_id");
  int rc = MTPORT_OK;
  if (ds && strcmp((const char *)ds, "entry") == 0 && S_ll((const char *)oid) &&
      S_ll((const char *)aid)) {
    if (!(r->links =
              S_grow(r->links, &r->cap_links, r->n_links, sizeof *r->links)))
      rc = MTPORT_ENOMEM;
    else {
      r->links[r->n_links].asset_id = S_ll((const char *)aid);
      r->links[r->n_links].entry_id = S_ll((const char *)oid);
      r->n_links++;
      r->finished = 0;
    }
  }
  xmlFree(ds), xmlFree(oid), xmlFree(aid);
  return rc;
}

/* ---- streaming a part ---------------------------------------------------- */

typedef struct {
  mtport_read_fn rd;
  void *src;
  int rc;
} S_io;

static int S_io_read(void *ctx, char *buf, int len) {
  S_io *io = ctx;
  size_t got = 0;
  int rc = io->rd(io->src, buf, (size_t)len, &got);
  if (rc < 0) {
    io->rc = rc;
    return -1;
  }
  return (int)got;
}

static int S_io_close(void *ctx) {
  (void)ctx;
  return 0;
}

typedef struct {
  mtport_diag_fn diag;
  void *payload;
  const char *name;
  int reported;
} S_errs;

static void S_xml_error(void *arg, const char *msg,
                        xmlParserSeverities severity,
                        xmlTextReaderLocatorPtr loc) {
  S_errs *e = arg;
  if (severity != XML_PARSER_SEVERITY_ERROR || !e->diag || e->reported)
    return;
  e->reported = 1; /* the first error stops the reader: one message */
  mtport_buf m = MTPORT_BUF_INIT;
  mtport_buf_puts(&m, "asset records: ");
  mtport_utf8_sanitize(&m, msg, strlen(msg));
  while (m.len && (m.data[m.len - 1] == '\n' || m.data[m.len - 1] == ' '))
    m.data[--m.len] = '\0';
  mtport_diag d = {MTPORT_SEV_ERROR,
                   "asset-records-xml",
                   m.data ? m.data : "malformed XML",
                   e->name,
                   (unsigned long)xmlTextReaderLocatorLineNumber(loc),
                   0,
                   0,
                   NULL};
  e->diag(&d, e->payload);
  mtport_buf_dispose(&m);
}

static int S_is_asset(const char *n) {
  return !strcmp(n, "asset") || !strcmp(n, "image") || !strcmp(n, "file") ||
         !strcmp(n, "audio") || !strcmp(n, "video");
}

int mtport_asset_records_scan(mtport_asset_records *r, mtport_read_fn rd,
                              void *src, const char *name, unsigned part,
                              mtport_diag_fn diag, void *payload) {
  if (!r || !rd)
    return MTPORT_EINVALID;
  S_io io = {rd, src, 0};
  S_errs errs = {diag, payload, name, 0};
  /* no DTD, no entities loaded, no network */
  xmlTextReaderPtr xr =
      xmlReaderForIO(S_io_read, S_io_close, &io, NULL, NULL,
                     XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_BIG_LINES |
                         XML_PARSE_HUGE);
  if (!xr)
    return MTPORT_ENOMEM;
  xmlTextReaderSetErrorHandler(xr, S_xml_error, &errs);
  int rc = MTPORT_OK;
  int r1 = xmlTextReaderRead(xr);
  while (r1 == 1 && !rc) {
    if (xmlTextReaderNodeType(xr) != XML_READER_TYPE_ELEMENT ||
        xmlTextReaderDepth(xr) != 1) {
      r1 = xmlTextReaderRead(xr);
      continue;
    }
    /* a top-level object: kept when it is one of ours, then skipped
     * whole; Next() lands on what follows it, which the loop looks at */
    const char *nm = (const char *)xmlTextReaderConstLocalName(xr);
    int asset = nm && S_is_asset(nm);
    int blog = nm && (!strcmp(nm, "blog") || !strcmp(nm, "website"));
    int link = nm && !strcmp(nm, "objectasset");
    if (asset || blog || link) {
      unsigned long line = (unsigned long)xmlTextReaderGetParserLineNumber(xr);
      xmlNodePtr el = xmlTextReaderExpand(xr);
      if (!el) {
        r1 = -1;
        break;
      }
      rc = asset  ? S_keep_asset(r, el, line, part, diag, payload, name)
           : blog ? S_keep_blog(r, el)
                  : S_keep_link(r, el);
    }
    r1 = xmlTextReaderNext(xr);
  }
  int bad = errs.reported || r1 < 0;
  xmlFreeTextReader(xr);
  if (rc)
    return rc;
  if (io.rc)
    return io.rc;
  return bad ? MTPORT_EPARSE : MTPORT_OK;
}

/* ---- lookups ------------------------------------------------------------ */

static const S_blog *S_blog_of(const mtport_asset_records *r, long long id) {
  for (size_t i = 0; i < r->n_blogs; i++)
    if (r->blogs[i].id == id)
      return &r->blogs[i];
  return NULL;
}

/* The absolute URL of a raw asset URL into @out: 1, or 0 when it cannot
 * be resolved (as MT::Asset::url: "%r" is the site URL, "%a" the
 * archive URL, "%s" the support URL, each without its trailing '/'). */
static int S_resolve(const mtport_asset_records *r, long long blog_id,
                     const char *raw, mtport_buf *out) {
  mtport_buf_clear(out);
  if (!raw || !*raw)
    return 0;
  const S_blog *b = S_blog_of(r, blog_id);
  if (raw[0] == '%' && (raw[1] == 'r' || raw[1] == 'a' || raw[1] == 's')) {
    const char *root = NULL;
    if (raw[1] == 's' || !b)
      root = r->support_url;
    else if (raw[1] == 'r')
      root = b->site_url;
    else
      root = b->archive_url ? b->archive_url : b->site_url;
    if (!root || !*root)
      return 0;
    size_t rn = strlen(root);
    while (rn > 0 && root[rn - 1] == '/')
      rn--;
    int rc = mtport_buf_append(out, root, rn);
    for (const char *p = raw + 2; *p && !rc; p++)
      rc = mtport_buf_putc(out, *p == '\\' ? '/' : *p);
    return rc ? MTPORT_ENOMEM : 1;
  }
  mtport_assets__url u;
  mtport_assets__split(raw, &u);
  if (u.scheme_n)
    return mtport_buf_puts(out, raw) ? MTPORT_ENOMEM : 1;
  if (!b || !b->site_url)
    return 0;
  char *abs = mtport_url_resolve(b->site_url, raw);
  int rc = abs ? mtport_buf_puts(out, abs) : MTPORT_ENOMEM;
  free(abs);
  return rc ? MTPORT_ENOMEM : 1;
}

static int S_load(mtport_asset_records *r, size_t idx,
                  mtport_asset_record *out) {
  uint32_t total;
  int rc = mtport_spool_read(r->spool, r->off[idx], &total, sizeof total);
  if (rc)
    return rc;
  mtport_buf_clear(&r->cur);
  if (mtport__buf_reserve(&r->cur, total))
    return MTPORT_ENOMEM;
  if ((rc = mtport_spool_read(r->spool, r->off[idx] + sizeof total, r->cur.data,
                              total)))
    return rc;
  r->cur.len = total;
  int64_t nums[5];
  memcpy(nums, r->cur.data, sizeof nums);
  const char *f[S_F_COUNT];
  size_t p = sizeof nums;
  for (int k = 0; k < S_F_COUNT; k++) {
    uint32_t len;
    if (p + sizeof len > total)
      return MTPORT_EIO;
    memcpy(&len, r->cur.data + p, sizeof len);
    p += sizeof len;
    if (len == UINT32_MAX)
      f[k] = NULL;
    else {
      if (p + len + 1 > total)
        return MTPORT_EIO;
      f[k] = r->cur.data + p;
      p += (size_t)len + 1;
    }
  }
  memset(out, 0, sizeof *out);
  out->id = nums[0];
  out->blog_id = nums[1];
  out->parent = nums[2];
  out->line = (unsigned long)nums[3];
  out->part = (unsigned)nums[4];
  out->element = f[S_F_ELEMENT];
  out->raw_url = f[S_F_URL];
  out->file_path = f[S_F_PATH];
  out->file_name = f[S_F_NAME];
  out->mime_type = f[S_F_MIME];
  out->label = f[S_F_LABEL];
  out->entry_id = r->entry[idx];
  rc = S_resolve(r, out->blog_id, out->raw_url, &r->resolved);
  if (rc < 0)
    return rc;
  out->url = rc == 1 ? r->resolved.data : NULL;
  return MTPORT_OK;
}

static int S_cmp_id(const void *x, const void *y) {
  const S_byid *a = x, *b = y;
  if (a->id != b->id)
    return a->id < b->id ? -1 : 1;
  return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static long S_find_id(const mtport_asset_records *r, long long id) {
  size_t lo = 0, hi = r->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (r->byid[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < r->n && r->byid[lo].id == id ? (long)lo : -1;
}

int mtport_asset_records_finish(mtport_asset_records *r) {
  if (!r)
    return MTPORT_EINVALID;
  if (r->finished)
    return MTPORT_OK; /* nothing was scanned since */
  free(r->byid);
  r->byid = r->n ? malloc(r->n * sizeof *r->byid) : NULL;
  if (r->n && !r->byid)
    return MTPORT_ENOMEM;
  for (size_t i = 0; i < r->n; i++) {
    uint32_t total;
    int64_t id;
    int rc = mtport_spool_read(r->spool, r->off[i], &total, sizeof total);
    if (!rc)
      rc =
          mtport_spool_read(r->spool, r->off[i] + sizeof total, &id, sizeof id);
    if (rc)
      return rc;
    r->byid[i].id = id;
    r->byid[i].idx = i;
    r->entry[i] = 0;
  }
  if (r->n)
    qsort(r->byid, r->n, sizeof *r->byid, S_cmp_id);
  /* the first entry of each asset, in reading order */
  for (size_t i = 0; i < r->n_links; i++) {
    long k = S_find_id(r, r->links[i].asset_id);
    if (k >= 0 && !r->entry[r->byid[k].idx])
      r->entry[r->byid[k].idx] = r->links[i].entry_id;
  }
  /* URL keys, the first record of a URL kept */
  mtport_strset_free(r->urls);
  r->urls = NULL;
  free(r->url_idx);
  r->url_idx = r->n ? malloc(r->n * sizeof *r->url_idx) : NULL;
  if ((r->n && !r->url_idx) || mtport_strset_new(&r->urls, MTPORT_STRSET_SPOOL))
    return MTPORT_ENOMEM;
  for (size_t i = 0; i < r->n; i++) {
    mtport_asset_record rec;
    int rc = S_load(r, i, &rec);
    if (rc)
      return rc;
    if (!rec.url || mtport_url_key(&r->key, rec.url, NULL, NULL) != MTPORT_OK)
      continue;
    size_t k;
    rc = mtport_strset_add(r->urls, r->key.data, r->key.len, &k);
    if (rc < 0)
      return rc;
    if (rc == 1)
      r->url_idx[k] = i;
  }
  r->finished = 1;
  return MTPORT_OK;
}

int mtport_asset_records_at(mtport_asset_records *r, size_t i,
                            mtport_asset_record *out) {
  if (!r || !out)
    return MTPORT_EINVALID;
  if (i >= r->n)
    return 0;
  int rc = S_load(r, i, out);
  return rc ? rc : 1;
}

int mtport_asset_records_by_id(mtport_asset_records *r, long long id,
                               mtport_asset_record *out) {
  if (!r || !out)
    return MTPORT_EINVALID;
  if (!r->finished && (r->n || r->n_links)) {
    int rc = mtport_asset_records_finish(r);
    if (rc)
      return rc;
  }
  long k = r->byid ? S_find_id(r, id) : -1;
  if (k < 0)
    return 0;
  int rc = S_load(r, r->byid[k].idx, out);
  return rc ? rc : 1;
}

int mtport_asset_records_by_url(mtport_asset_records *r, const char *url,
                                mtport_asset_record *out) {
  if (!r || !out || !url)
    return MTPORT_EINVALID;
  if (!r->finished) {
    int rc = mtport_asset_records_finish(r);
    if (rc)
      return rc;
  }
  if (mtport_url_key(&r->key, url, NULL, NULL) != MTPORT_OK)
    return 0;
  size_t k;
  int rc = mtport_strset_find(r->urls, r->key.data, r->key.len, &k);
  if (rc != 1)
    return rc;
  rc = S_load(r, r->url_idx[k], out);
  return rc ? rc : 1;
}
