/* Internal links: the key under which an old URL is matched in every form
 * it is written, the index from old URLs to what they lead to, and the
 * shapes of MT's archive, feed and script URLs. */
#include "assets_int.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- keys -------------------------------------------------------------- */

static int S_hexv(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Characters a key writes as they are; the rest of ASCII is escaped. */
static int S_plain(unsigned char c) {
  if (c >= 0x80)
    return 1; /* UTF-8, checked as a whole */
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
      (c >= '0' && c <= '9'))
    return 1;
  return strchr("-._~!$&'()*+,;=:@", c) != NULL && c;
}

/* Appends @n bytes of a path or query with its escapes normalised:
 * decoded when the byte is plain (and the result valid UTF-8), else
 * upper-case %XX; '/' and '?' as delimiters stay (an escaped one stays
 * escaped). @keep is the delimiters written as they are. */
static int S_norm(mtport_buf *out, const char *s, size_t n, const char *keep) {
  size_t start = out->len;
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    int a, b;
    if (c == '%' && i + 2 < n && (a = S_hexv((unsigned char)s[i + 1])) >= 0 &&
        (b = S_hexv((unsigned char)s[i + 2])) >= 0) {
      unsigned char d = (unsigned char)(a * 16 + b);
      i += 2;
      if (S_plain(d))
        rc |= mtport_buf_putc(out, (char)d);
      else
        rc |= mtport_buf_printf(out, "%%%02X", d);
    } else if (S_plain(c) || strchr(keep, c))
      rc |= mtport_buf_putc(out, (char)c);
    else
      rc |= mtport_buf_printf(out, "%%%02X", c);
  }
  if (rc)
    return MTPORT_ENOMEM;
  if (mtport_utf8_valid(out->data + start, out->len - start))
    return MTPORT_OK;
  /* bytes that are not UTF-8 are escaped, so equal bytes give equal keys */
  mtport_buf t = MTPORT_BUF_INIT;
  rc = mtport_buf_append(&t, out->data + start, out->len - start);
  out->len = start;
  for (size_t i = 0; !rc && i < t.len; i++) {
    unsigned char c = (unsigned char)t.data[i];
    rc = c >= 0x80 ? mtport_buf_printf(out, "%%%02X", c)
                   : mtport_buf_putc(out, (char)c);
  }
  mtport_buf_dispose(&t);
  if (out->data)
    out->data[out->len] = '\0';
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}

/* Removes dot segments, repeated slashes and a trailing slash of the
 * path at out[start..], which is empty or begins with '/'. */
static void S_clean_path(mtport_buf *out, size_t start) {
  char *p = out->data + start;
  size_t n = out->len - start, w = 0, i = 0;
  while (i < n) {
    if (p[i] == '/') {
      i++;
      continue;
    }
    size_t j = i;
    while (j < n && p[j] != '/')
      j++;
    size_t len = j - i;
    if (len == 2 && p[i] == '.' && p[i + 1] == '.') {
      while (w > 0 && p[w - 1] != '/')
        w--;
      if (w > 0)
        w--;
    } else if (!(len == 1 && p[i] == '.')) {
      /* "/seg" over "/+seg" of the input: never past what was read */
      p[w++] = '/';
      memmove(p + w, p + i, len);
      w += len;
    }
    i = j;
  }
  out->len = start + w;
  if (out->data)
    out->data[out->len] = '\0';
}

/* The page forms MT publishes one URL under. */
static const char *const S_page_exts[] = {".html", ".htm", ".php", ".shtml"};

int mtport_url_key(mtport_buf *key, const char *url, const char *base,
                   mtport_buf *fragment) {
  if (!key || !url)
    return MTPORT_EINVALID;
  mtport_buf_clear(key);
  if (fragment)
    mtport_buf_clear(fragment);
  char *abs = NULL;
  while (*url == ' ' || *url == '\t' || *url == '\n' || *url == '\r')
    url++;
  mtport_assets__url u;
  mtport_assets__split(url, &u);
  if (!u.scheme_n && base && *base)
    abs = mtport_url_resolve(base, url);
  else if (!u.scheme_n && url[0] == '/' && url[1] == '/')
    abs = mtport__strdup(url); /* "//host/path": no scheme is needed */
  else
    abs = mtport__strdup(url);
  if (!abs)
    return MTPORT_ENOMEM;
  mtport_assets__split(abs, &u);
  int rc = MTPORT_OK;
  if (!u.has_auth || !u.host_n)
    rc = MTPORT_EINVALID;
  if (!rc)
    rc = mtport_assets__host_key(key, &u);
  size_t ps = key->len;
  if (!rc)
    rc = S_norm(key, u.path, u.path_n, "/");
  if (!rc) {
    S_clean_path(key, ps);
    /* a last segment index.* names its folder; MT's page extensions go */
    char *p = key->data + ps;
    size_t n = key->len - ps;
    size_t ls = n;
    while (ls > 0 && p[ls - 1] != '/')
      ls--;
    for (size_t k = 0; k < 4; k++) {
      size_t el = strlen(S_page_exts[k]);
      if (n - ls == 5 + el && memcmp(p + ls, "index", 5) == 0 &&
          mtport_assets__ieq(p + ls + 5, el, S_page_exts[k])) {
        n = ls;
        break;
      }
      if (n - ls > el && mtport_assets__ieq(p + n - el, el, S_page_exts[k])) {
        n -= el;
        break;
      }
    }
    while (n > 0 && p[n - 1] == '/')
      n--;
    key->len = ps + n;
    key->data[key->len] = '\0';
  }
  if (!rc && u.has_query && u.query_n) {
    rc = mtport_buf_putc(key, '?');
    if (!rc)
      rc = S_norm(key, u.query, u.query_n, "/?");
  }
  if (!rc && fragment && u.has_frag)
    rc = mtport_buf_append(fragment, u.frag, u.frag_n);
  free(abs);
  if (rc)
    mtport_buf_clear(key);
  return rc;
}

/* ---- the index ---------------------------------------------------------- */

#define S_VALUE_BITS 56

struct mtport_link_index {
  mtport_strset *keys;
  uint64_t *vals; /* kind << 56 | value, by key index */
  size_t cap;
  pthread_mutex_t lock;
};

int mtport_link_index_new(mtport_link_index **out) {
  mtport_link_index *ix = calloc(1, sizeof *ix);
  if (!ix)
    return MTPORT_ENOMEM;
  if (mtport_strset_new(&ix->keys, MTPORT_STRSET_SPOOL)) {
    free(ix);
    return MTPORT_ENOMEM;
  }
  pthread_mutex_init(&ix->lock, NULL);
  *out = ix;
  return MTPORT_OK;
}

void mtport_link_index_free(mtport_link_index *ix) {
  if (!ix)
    return;
  mtport_strset_free(ix->keys);
  free(ix->vals);
  pthread_mutex_destroy(&ix->lock);
  free(ix);
}

size_t mtport_link_index_count(const mtport_link_index *ix) {
  return ix ? mtport_strset_count(ix->keys) : 0;
}

int mtport_link_index_add(mtport_link_index *ix, const char *url,
                          mtport_link_kind kind, uint64_t value,
                          mtport_link_kind *prev_kind, uint64_t *prev_value) {
  if (!ix || !url || value >> S_VALUE_BITS || kind == MTPORT_LINK_NONE)
    return MTPORT_EINVALID;
  mtport_buf key = MTPORT_BUF_INIT;
  int rc = mtport_url_key(&key, url, NULL, NULL);
  if (rc) {
    mtport_buf_dispose(&key);
    return rc;
  }
  size_t idx;
  pthread_mutex_lock(&ix->lock);
  rc = mtport_strset_add(ix->keys, key.data, key.len, &idx);
  if (rc == 1 && idx >= ix->cap) {
    size_t nc = ix->cap ? ix->cap * 2 : 256;
    uint64_t *v = realloc(ix->vals, nc * sizeof *v);
    if (!v)
      rc = MTPORT_ENOMEM; /* the key stays, leading nowhere */
    else
      ix->vals = v, ix->cap = nc;
  }
  if (rc == 1)
    ix->vals[idx] = (uint64_t)kind << S_VALUE_BITS | value;
  else if (rc == 0 && idx < ix->cap) {
    if (prev_kind)
      *prev_kind = (mtport_link_kind)(ix->vals[idx] >> S_VALUE_BITS);
    if (prev_value)
      *prev_value = ix->vals[idx] & (((uint64_t)1 << S_VALUE_BITS) - 1);
  }
  pthread_mutex_unlock(&ix->lock);
  mtport_buf_dispose(&key);
  return rc;
}

int mtport_link_index_find(mtport_link_index *ix, const char *url,
                           const char *base, mtport_link_kind *kind,
                           uint64_t *value, mtport_buf *fragment) {
  if (!ix || !url)
    return MTPORT_EINVALID;
  mtport_buf key = MTPORT_BUF_INIT;
  int rc = mtport_url_key(&key, url, base, fragment);
  if (rc == MTPORT_EINVALID) {
    mtport_buf_dispose(&key);
    return 0; /* no host: not a link to anything indexed */
  }
  size_t idx = 0;
  if (!rc) {
    pthread_mutex_lock(&ix->lock); /* a spooled set reads into one buffer */
    rc = mtport_strset_find(ix->keys, key.data, key.len, &idx);
    pthread_mutex_unlock(&ix->lock);
  }
  if (rc == 1 && idx < ix->cap) {
    if (kind)
      *kind = (mtport_link_kind)(ix->vals[idx] >> S_VALUE_BITS);
    if (value)
      *value = ix->vals[idx] & (((uint64_t)1 << S_VALUE_BITS) - 1);
  } else if (rc == 1)
    rc = 0;
  mtport_buf_dispose(&key);
  return rc;
}

/* ---- old page shapes --------------------------------------------------- */

void mtport_old_page_dispose(mtport_old_page *p) {
  if (!p)
    return;
  free(p->name);
  memset(p, 0, sizeof *p);
}

static int S_num(const char *s, size_t n, int lo, int hi, int *out) {
  if (n == 0 || n > 4)
    return 0;
  int v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return 0;
    v = v * 10 + (s[i] - '0');
  }
  if (v < lo || v > hi)
    return 0;
  *out = v;
  return 1;
}

/* The value of query parameter @name (decoded, '+' a space), or NULL. */
static char *S_param(const char *q, size_t n, const char *name) {
  size_t nl = strlen(name);
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && q[j] != '&' && q[j] != ';')
      j++;
    if (j - i > nl && memcmp(q + i, name, nl) == 0 && q[i + nl] == '=') {
      mtport_buf v = MTPORT_BUF_INIT;
      for (size_t k = i + nl + 1; k < j; k++)
        if (mtport_buf_putc(&v, q[k] == '+' ? ' ' : q[k])) {
          mtport_buf_dispose(&v);
          return NULL;
        }
      mtport_buf d = MTPORT_BUF_INIT;
      int rc = mtport_assets__pct_decode(&d, v.data ? v.data : "", v.len);
      mtport_buf_dispose(&v);
      char *r = rc ? NULL : mtport_buf_detach(&d);
      mtport_buf_dispose(&d);
      return r;
    }
    i = j + 1;
  }
  return NULL;
}

/* MT's scripts: mt.cgi, mt-<name>.cgi (and .fcgi). */
static int S_script(mtport_old_page *o, const mtport_assets__url *u,
                    const char *last, size_t ln) {
  size_t stem = ln;
  if (mtport_assets__iends(last, ln, ".fcgi"))
    stem = ln - 5;
  else if (mtport_assets__iends(last, ln, ".cgi"))
    stem = ln - 4;
  else
    return 0;
  if (!(stem == 2 && mtport_assets__ieq(last, 2, "mt")) &&
      !(stem > 3 && mtport_assets__ieq(last, 3, "mt-")))
    return 0;
  const char *q = u->has_query ? u->query : "";
  size_t qn = u->has_query ? u->query_n : 0;
  if (stem == 9 && mtport_assets__ieq(last, 9, "mt-search")) {
    char *tag = S_param(q, qn, "tag");
    if (tag && *tag) {
      o->kind = MTPORT_OLD_TAG;
      o->name = tag;
      return 1;
    }
    free(tag);
    o->kind = MTPORT_OLD_SEARCH;
  } else if (stem == 11 && mtport_assets__ieq(last, 11, "mt-ftsearch"))
    o->kind = MTPORT_OLD_SEARCH;
  else
    o->kind = MTPORT_OLD_SCRIPT;
  o->name = mtport__strndup(last, ln);
  return o->name ? 1 : -1;
}

static const char *const S_feeds[] = {"atom.xml", "index.xml", "index.rdf",
                                      "rss.xml",  "rss2.xml",  "feed.xml"};

int mtport_old_page_shape(mtport_old_page *o, const char *url,
                          const char *site_url) {
  if (!o)
    return MTPORT_EINVALID;
  memset(o, 0, sizeof *o);
  if (!url)
    return MTPORT_OK;
  mtport_assets__url u, s;
  mtport_assets__split(url, &u);
  mtport_buf path = MTPORT_BUF_INIT, hu = MTPORT_BUF_INIT, hs = MTPORT_BUF_INIT,
             sp = MTPORT_BUF_INIT;
  int rc = mtport_assets__pct_decode(&path, u.path, u.path_n);
  rc |= mtport_assets__host_key(&hu, &u);
  int same = site_url == NULL;
  if (site_url) {
    mtport_assets__split(site_url, &s);
    rc |= mtport_assets__host_key(&hs, &s);
    rc |= mtport_assets__pct_decode(&sp, s.path, s.path_n);
    same = hu.len && hs.len && strcmp(hu.data, hs.data) == 0;
  }
  if (rc) {
    rc = MTPORT_ENOMEM;
    goto done;
  }
  const char *p = path.data ? path.data : "";
  size_t pn = path.len;
  const char *last = p + pn;
  while (last > p && last[-1] != '/')
    last--;
  size_t ln = (size_t)(p + pn - last);
  if (!same || !u.has_auth)
    goto done;
  if ((rc = S_script(o, &u, last, ln)) != 0) {
    rc = rc < 0 ? MTPORT_ENOMEM : MTPORT_OK;
    goto done;
  }
  if (!site_url)
    goto done;
  /* below the site's path */
  const char *root = sp.data ? sp.data : "";
  size_t rn = sp.len;
  while (rn > 0 && root[rn - 1] == '/')
    rn--;
  if (pn < rn || memcmp(p, root, rn) != 0 || (pn > rn && p[rn] != '/'))
    goto done;
  const char *r = p + rn;
  size_t n = pn - rn;
  while (n && *r == '/')
    r++, n--;
  if (u.has_query && u.query_n)
    goto done; /* pages with queries are none of these */
  /* feeds, in any folder */
  for (size_t k = 0; k < sizeof S_feeds / sizeof *S_feeds; k++)
    if (ln == strlen(S_feeds[k]) && memcmp(last, S_feeds[k], ln) == 0) {
      size_t dn = n - ln;
      while (dn && r[dn - 1] == '/')
        dn--;
      o->kind = MTPORT_OLD_FEED;
      if (!(o->name = mtport__strndup(r, dn)))
        rc = MTPORT_ENOMEM;
      goto done;
    }
  /* index.* names the folder */
  size_t ls = n;
  while (ls && r[ls - 1] != '/')
    ls--;
  for (size_t k = 0; k < 4; k++)
    if (n - ls == 5 + strlen(S_page_exts[k]) &&
        memcmp(r + ls, "index", 5) == 0 &&
        mtport_assets__ieq(r + ls + 5, n - ls - 5, S_page_exts[k]))
      n = ls;
  while (n && r[n - 1] == '/')
    n--;
  if (n == 0) {
    o->kind = MTPORT_OLD_HOME;
    goto done;
  }
  /* MT 3's archive folder */
  if (n > 9 && memcmp(r, "archives/", 9) == 0)
    r += 9, n -= 9;
  /* YYYY, YYYY/MM, YYYY/MM/DD; MT 3's YYYY_MM.html */
  int y, m = 0, d = 0;
  if (n == 4 && S_num(r, 4, 1990, 2100, &y)) {
    o->kind = MTPORT_OLD_YEAR;
  } else if (n == 7 && r[4] == '/' && S_num(r, 4, 1990, 2100, &y) &&
             S_num(r + 5, 2, 1, 12, &m)) {
    o->kind = MTPORT_OLD_MONTH;
  } else if (n == 10 && r[4] == '/' && r[7] == '/' &&
             S_num(r, 4, 1990, 2100, &y) && S_num(r + 5, 2, 1, 12, &m) &&
             S_num(r + 8, 2, 1, 31, &d)) {
    o->kind = MTPORT_OLD_DAY;
  } else if (n >= 12 && r[4] == '_' && S_num(r, 4, 1990, 2100, &y) &&
             S_num(r + 5, 2, 1, 12, &m)) {
    size_t rest = n - 7;
    const char *e = r + 7;
    for (size_t k = 0; k < 4; k++)
      if (rest == strlen(S_page_exts[k]) &&
          mtport_assets__ieq(e, rest, S_page_exts[k]))
        o->kind = MTPORT_OLD_MONTH;
    if (!o->kind && rest >= 3 && e[0] == '_' && S_num(e + 1, 2, 1, 31, &d))
      for (size_t k = 0; k < 4; k++)
        if (rest - 3 == strlen(S_page_exts[k]) &&
            mtport_assets__ieq(e + 3, rest - 3, S_page_exts[k]))
          o->kind = MTPORT_OLD_DAY;
  }
  if (o->kind)
    o->year = y, o->month = m, o->day = d;
done:
  mtport_buf_dispose(&path);
  mtport_buf_dispose(&hu);
  mtport_buf_dispose(&hs);
  mtport_buf_dispose(&sp);
  if (rc)
    mtport_old_page_dispose(o);
  return rc;
}
