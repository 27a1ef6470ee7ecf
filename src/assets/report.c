/* The report of a run's assets, mtport-assets.tsv: one row per URL with
 * what became of it and the posts that use it, in URL order. URLs, rows
 * and uses live in spools; memory keeps three offsets per URL. */
#include "assets_int.h"
#include <stdlib.h>
#include <string.h>

struct mtport_asset_report {
  mtport_strset *urls;
  mtport_spool *data; /* URLs, rows, uses */
  uint64_t *url_off, *row_off, *use_tail;
  size_t cap;
  size_t counts[MTPORT_ASSET_STATUS_COUNT];
  size_t unset; /* URLs used but never set */
  uint64_t url_bytes;
  mtport_buf tmp;
};

const char *mtport_asset_status_name(mtport_asset_status s) {
  static const char *const names[] = {"copied",   "shared",  "missing",
                                      "external", "refused", "failed",
                                      "fetched",  "cached",  "too-large"};
  return (unsigned)s < MTPORT_ASSET_STATUS_COUNT ? names[s] : "failed";
}

int mtport_asset_report_new(mtport_asset_report **out) {
  mtport_asset_report *r = calloc(1, sizeof *r);
  if (!r)
    return MTPORT_ENOMEM;
  if (mtport_strset_new(&r->urls, MTPORT_STRSET_SPOOL) ||
      mtport_spool_new(&r->data, "asset-report")) {
    mtport_asset_report_free(r);
    return MTPORT_ENOMEM;
  }
  *out = r;
  return MTPORT_OK;
}

void mtport_asset_report_free(mtport_asset_report *r) {
  if (!r)
    return;
  mtport_strset_free(r->urls);
  mtport_spool_free(r->data);
  free(r->url_off);
  free(r->row_off);
  free(r->use_tail);
  mtport_buf_dispose(&r->tmp);
  free(r);
}

void mtport_asset_report_counts(const mtport_asset_report *r, size_t *counts) {
  for (int i = 0; i < MTPORT_ASSET_STATUS_COUNT; i++)
    counts[i] = r ? r->counts[i] : 0;
  if (r)
    counts[MTPORT_ASSET_MISSING] += r->unset;
}

/* Appends a length-prefixed string (UINT32_MAX for NULL). */
static int S_put_str(mtport_buf *b, const char *s) {
  uint32_t n = s ? (uint32_t)strlen(s) : UINT32_MAX;
  int rc = mtport_buf_append(b, (const char *)&n, sizeof n);
  if (s)
    rc |= mtport_buf_append(b, s, n);
  return rc;
}

/* The index of @url, added when new; offsets are stored + 1, 0 = none. */
static int S_url(mtport_asset_report *r, const char *url, size_t *idx) {
  size_t n = strlen(url);
  int rc = mtport_strset_add(r->urls, url, n, idx);
  if (rc != 1)
    return rc < 0 ? rc : MTPORT_OK;
  if (*idx >= r->cap) {
    size_t nc = r->cap ? r->cap * 2 : 256;
    uint64_t *a[3] = {realloc(r->url_off, nc * 8), NULL, NULL};
    if (a[0])
      r->url_off = a[0];
    a[1] = realloc(r->row_off, nc * 8);
    if (a[1])
      r->row_off = a[1];
    a[2] = realloc(r->use_tail, nc * 8);
    if (a[2])
      r->use_tail = a[2];
    if (!a[0] || !a[1] || !a[2])
      return MTPORT_ENOMEM; /* the URL stays in the set, unused */
    r->cap = nc;
  }
  uint32_t len = (uint32_t)n;
  uint64_t off;
  if ((rc = mtport_spool_append(r->data, &len, sizeof len, &off)) ||
      (rc = mtport_spool_append(r->data, url, n, NULL)))
    return rc;
  r->url_off[*idx] = off + 1;
  r->row_off[*idx] = r->use_tail[*idx] = 0;
  r->url_bytes += n;
  r->unset++;
  return MTPORT_OK;
}

int mtport_asset_report_set(mtport_asset_report *r,
                            const mtport_asset_row *row) {
  if (!r || !row || !row->url)
    return MTPORT_EINVALID;
  size_t idx;
  int rc = S_url(r, row->url, &idx);
  if (rc)
    return rc;
  if (idx >= r->cap)
    return MTPORT_ENOMEM;
  mtport_buf_clear(&r->tmp);
  unsigned char st = (unsigned char)row->status;
  rc = mtport_buf_append(&r->tmp, (const char *)&st, 1);
  rc |=
      mtport_buf_append(&r->tmp, (const char *)&row->bytes, sizeof row->bytes);
  rc |= S_put_str(&r->tmp, row->source);
  rc |= S_put_str(&r->tmp, row->stored);
  rc |= S_put_str(&r->tmp, row->sha256);
  rc |= S_put_str(&r->tmp, row->reason);
  if (rc)
    return MTPORT_ENOMEM;
  if (r->row_off[idx]) {
    unsigned char old;
    if ((rc = mtport_spool_read(r->data, r->row_off[idx] - 1 + 4, &old, 1)))
      return rc;
    if (old < MTPORT_ASSET_STATUS_COUNT && r->counts[old])
      r->counts[old]--;
  } else
    r->unset--;
  uint32_t len = (uint32_t)r->tmp.len;
  uint64_t off;
  if ((rc = mtport_spool_append(r->data, &len, sizeof len, &off)) ||
      (rc = mtport_spool_append(r->data, r->tmp.data, r->tmp.len, NULL)))
    return rc;
  r->row_off[idx] = off + 1;
  if (st < MTPORT_ASSET_STATUS_COUNT)
    r->counts[st]++;
  return MTPORT_OK;
}

/* Reads the length-prefixed record at @off (stored + 1) into r->tmp. */
static int S_read_rec(mtport_asset_report *r, uint64_t off, mtport_buf *b) {
  uint32_t len;
  int rc = mtport_spool_read(r->data, off - 1, &len, sizeof len);
  if (rc)
    return rc;
  mtport_buf_clear(b);
  if (mtport__buf_reserve(b, len))
    return MTPORT_ENOMEM;
  if ((rc = mtport_spool_read(r->data, off - 1 + sizeof len, b->data, len)))
    return rc;
  b->len = len;
  b->data[len] = '\0';
  return MTPORT_OK;
}

int mtport_asset_report_use(mtport_asset_report *r, const char *url,
                            const char *post) {
  if (!r || !url || !post)
    return MTPORT_EINVALID;
  size_t idx;
  int rc = S_url(r, url, &idx);
  if (rc)
    return rc;
  if (idx >= r->cap)
    return MTPORT_ENOMEM;
  size_t pn = strlen(post);
  if (r->use_tail[idx]) {
    /* the same post again, in a row: once */
    if ((rc = S_read_rec(r, r->use_tail[idx] + 8, &r->tmp)))
      return rc;
    if (r->tmp.len == pn && memcmp(r->tmp.data, post, pn) == 0)
      return MTPORT_OK;
  }
  /* uses of a URL are chained backwards: prev(8), len(4), label */
  uint64_t prev = r->use_tail[idx], off;
  uint32_t len = (uint32_t)pn;
  if ((rc = mtport_spool_append(r->data, &prev, sizeof prev, &off)) ||
      (rc = mtport_spool_append(r->data, &len, sizeof len, NULL)) ||
      (rc = mtport_spool_append(r->data, post, pn, NULL)))
    return rc;
  r->use_tail[idx] = off + 1;
  return MTPORT_OK;
}

/* ---- writing ------------------------------------------------------------ */

/* URLs sort in memory up to this many bytes, else read back from the
 * spool for each comparison. */
#define S_SORT_IN_MEMORY (16u << 20)

typedef struct {
  mtport_asset_report *r;
  mtport_buf a, b;
  int rc;
  const char *all;   /* every URL, NUL-terminated, when they fit */
  uint64_t *all_off; /* by URL index */
} S_sort;

static int S_cmp(S_sort *s, size_t x, size_t y) {
  if (s->rc)
    return 0;
  if (s->all)
    return strcmp(s->all + s->all_off[x], s->all + s->all_off[y]);
  if ((s->rc = S_read_rec(s->r, s->r->url_off[x], &s->a)) ||
      (s->rc = S_read_rec(s->r, s->r->url_off[y], &s->b)))
    return 0;
  size_t n = s->a.len < s->b.len ? s->a.len : s->b.len;
  int c = memcmp(s->a.data, s->b.data, n);
  if (c)
    return c;
  return s->a.len < s->b.len ? -1 : s->a.len > s->b.len;
}

/* Bottom-up merge sort of @n indexes by URL: O(n log n) comparisons, in
 * memory when the URLs fit in S_SORT_IN_MEMORY (URLs hold no NUL: they
 * are C strings), else each reading two URLs back from the spool. */
static int S_sort_idx(mtport_asset_report *r, size_t *v, size_t n) {
  size_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
  if (!tmp)
    return MTPORT_ENOMEM;
  S_sort s = {r, MTPORT_BUF_INIT, MTPORT_BUF_INIT, 0, NULL, NULL};
  mtport_buf all = MTPORT_BUF_INIT;
  if (r->url_bytes + n <= S_SORT_IN_MEMORY &&
      (s.all_off = malloc((r->cap ? r->cap : 1) * sizeof *s.all_off))) {
    int rc = 0;
    for (size_t k = 0; k < n && !rc; k++) {
      s.all_off[v[k]] = all.len;
      rc = S_read_rec(r, r->url_off[v[k]], &s.a);
      if (!rc)
        rc = mtport_buf_append(&all, s.a.data, s.a.len + 1);
    }
    if (!rc)
      s.all = all.data ? all.data : "";
  }

  for (size_t w = 1; w < n && !s.rc; w *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * w) {
      size_t mid = lo + w < n ? lo + w : n,
             hi = lo + 2 * w < n ? lo + 2 * w : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi)
        tmp[k++] = S_cmp(&s, v[i], v[j]) <= 0 ? v[i++] : v[j++];
      while (i < mid)
        tmp[k++] = v[i++];
      while (j < hi)
        tmp[k++] = v[j++];
    }
    memcpy(v, tmp, n * sizeof *v);
  }
  free(tmp);
  free(s.all_off);
  mtport_buf_dispose(&all);
  mtport_buf_dispose(&s.a);
  mtport_buf_dispose(&s.b);
  return s.rc;
}

static int S_field(FILE *f, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const char *e = s[i] == '\t'   ? "\\t"
                    : s[i] == '\n' ? "\\n"
                    : s[i] == '\r' ? "\\r"
                    : s[i] == '\\' ? "\\\\"
                                   : NULL;
    if (e ? fputs(e, f) < 0 : putc(s[i], f) == EOF)
      return MTPORT_EIO;
  }
  return MTPORT_OK;
}

/* Reads a length-prefixed string of a row at *p: *s (NULL for none). */
static int S_get_str(const mtport_buf *b, size_t *p, const char **s,
                     size_t *n) {
  uint32_t len;
  if (*p + sizeof len > b->len)
    return MTPORT_EIO;
  memcpy(&len, b->data + *p, sizeof len);
  *p += sizeof len;
  if (len == UINT32_MAX) {
    *s = NULL;
    *n = 0;
    return MTPORT_OK;
  }
  if (*p + len > b->len)
    return MTPORT_EIO;
  *s = b->data + *p;
  *n = len;
  *p += len;
  return MTPORT_OK;
}

/* The posts of URL @idx, in the order of use, comma-separated. */
static int S_posts(mtport_asset_report *r, size_t idx, FILE *f,
                   mtport_buf *lab) {
  size_t n = 0, cap = 0;
  uint64_t *chain = NULL;
  for (uint64_t o = r->use_tail[idx]; o;) {
    uint64_t prev;
    int rc = mtport_spool_read(r->data, o - 1, &prev, sizeof prev);
    if (rc) {
      free(chain);
      return rc;
    }
    if (n == cap) {
      size_t nc = cap ? cap * 2 : 16;
      uint64_t *c = realloc(chain, nc * sizeof *c);
      if (!c) {
        free(chain);
        return MTPORT_ENOMEM;
      }
      chain = c;
      cap = nc;
    }
    chain[n++] = o;
    o = prev;
  }
  int rc = MTPORT_OK;
  for (size_t k = n; k > 0 && !rc; k--) {
    if ((rc = S_read_rec(r, chain[k - 1] + 8, lab)))
      break;
    if (k < n && fputs(", ", f) < 0)
      rc = MTPORT_EIO;
    if (!rc)
      rc = S_field(f, lab->data, lab->len);
  }
  free(chain);
  return rc;
}

int mtport_asset_report_write(mtport_asset_report *r, FILE *f) {
  if (!r || !f)
    return MTPORT_EINVALID;
  if (fputs("url\tstatus\tsource\tstored\tbytes\tsha256\tposts\treason\n", f) <
      0)
    return MTPORT_EIO;
  size_t n = mtport_strset_count(r->urls);
  if (n > r->cap)
    n = r->cap;
  size_t *v = malloc((n ? n : 1) * sizeof *v);
  if (!v)
    return MTPORT_ENOMEM;
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (r->url_off[i])
      v[m++] = i;
  int rc = S_sort_idx(r, v, m);
  mtport_buf url = MTPORT_BUF_INIT, row = MTPORT_BUF_INIT,
             lab = MTPORT_BUF_INIT;
  for (size_t k = 0; k < m && !rc; k++) {
    size_t i = v[k];
    if ((rc = S_read_rec(r, r->url_off[i], &url)))
      break;
    const char *src = NULL, *stored = NULL, *sha = NULL, *reason = NULL;
    size_t srcn = 0, storedn = 0, shan = 0, reasonn = 0;
    unsigned char st = MTPORT_ASSET_MISSING;
    uint64_t bytes = 0;
    if (r->row_off[i]) {
      if ((rc = S_read_rec(r, r->row_off[i], &row)))
        break;
      size_t p = 1 + sizeof bytes;
      if (row.len < p) {
        rc = MTPORT_EIO;
        break;
      }
      st = (unsigned char)row.data[0];
      memcpy(&bytes, row.data + 1, sizeof bytes);
      if ((rc = S_get_str(&row, &p, &src, &srcn)) ||
          (rc = S_get_str(&row, &p, &stored, &storedn)) ||
          (rc = S_get_str(&row, &p, &sha, &shan)) ||
          (rc = S_get_str(&row, &p, &reason, &reasonn)))
        break;
    } else {
      reason = "not resolved";
      reasonn = strlen(reason);
    }
    int io = S_field(f, url.data, url.len) || putc('\t', f) == EOF ||
             fputs(mtport_asset_status_name(st), f) < 0 ||
             putc('\t', f) == EOF || S_field(f, src, srcn) ||
             putc('\t', f) == EOF || S_field(f, stored, storedn) ||
             putc('\t', f) == EOF;
    if (!io && (st == MTPORT_ASSET_COPIED || st == MTPORT_ASSET_SHARED ||
                st == MTPORT_ASSET_FETCHED || st == MTPORT_ASSET_CACHED))
      io = fprintf(f, "%llu", (unsigned long long)bytes) < 0;
    io = io || putc('\t', f) == EOF || S_field(f, sha, shan) ||
         putc('\t', f) == EOF;
    if (io) {
      rc = MTPORT_EIO;
      break;
    }
    if ((rc = S_posts(r, i, f, &lab)))
      break;
    if (putc('\t', f) == EOF || S_field(f, reason, reasonn) ||
        putc('\n', f) == EOF)
      rc = MTPORT_EIO;
  }
  free(v);
  mtport_buf_dispose(&url);
  mtport_buf_dispose(&row);
  mtport_buf_dispose(&lab);
  if (!rc && ferror(f))
    rc = MTPORT_EIO;
  return rc;
}
