/* URLs: RFC 3986 reference resolution, path extraction, and rewriting
 * relative href/src attributes in HTML without reserializing it. */
#include "core.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Length of the scheme including ':' when s starts with one, else 0. */
static size_t S_scheme_len(const char *s) {
  if (!isalpha((unsigned char)s[0]))
    return 0;
  size_t i = 1;
  while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' ||
         s[i] == '.')
    i++;
  return s[i] == ':' ? i + 1 : 0;
}

typedef struct {
  const char *scheme, *auth, *path, *query, *frag;
  size_t scheme_n, auth_n, path_n, query_n, frag_n;
  int has_auth, has_query, has_frag;
} S_parts;

static void S_split(const char *s, S_parts *u) {
  memset(u, 0, sizeof *u);
  u->scheme = s;
  u->scheme_n = S_scheme_len(s);
  const char *p = s + u->scheme_n;
  if (p[0] == '/' && p[1] == '/') {
    u->has_auth = 1;
    u->auth = p + 2;
    u->auth_n = strcspn(u->auth, "/?#");
    p = u->auth + u->auth_n;
  }
  u->path = p;
  u->path_n = strcspn(p, "?#");
  p += u->path_n;
  if (*p == '?') {
    u->has_query = 1;
    u->query = p + 1;
    u->query_n = strcspn(u->query, "#");
    p = u->query + u->query_n;
  }
  if (*p == '#') {
    u->has_frag = 1;
    u->frag = p + 1;
    u->frag_n = strlen(u->frag);
  }
}

/* RFC 3986 §5.2.4 remove_dot_segments, appending to out. */
static int S_remove_dots(mtport_buf *out, const char *in, size_t n) {
  size_t start = out->len;
  size_t i = 0;
  while (i < n) {
    const char *p = in + i;
    size_t rest = n - i;
    if (rest >= 3 && strncmp(p, "../", 3) == 0)
      i += 3;
    else if (rest >= 2 && strncmp(p, "./", 2) == 0)
      i += 2;
    else if (rest >= 3 && strncmp(p, "/./", 3) == 0)
      i += 2;
    else if (rest == 2 && strncmp(p, "/.", 2) == 0) {
      i += 1;
      /* leaves "/" to be copied */
      if (mtport_buf_putc(out, '/'))
        return MTPORT_ENOMEM;
      i = n;
    } else if ((rest >= 4 && strncmp(p, "/../", 4) == 0) ||
               (rest == 3 && strncmp(p, "/..", 3) == 0)) {
      i += 3;
      while (out->len > start && out->data[out->len - 1] != '/')
        out->len--;
      if (out->len > start)
        out->len--;
      out->data[out->len] = '\0';
      if (rest == 3) {
        if (mtport_buf_putc(out, '/'))
          return MTPORT_ENOMEM;
      }
    } else if ((rest == 1 && p[0] == '.') ||
               (rest == 2 && strncmp(p, "..", 2) == 0))
      i = n;
    else {
      size_t k = p[0] == '/' ? 1 : 0;
      while (k < rest && p[k] != '/')
        k++;
      if (mtport_buf_append(out, p, k))
        return MTPORT_ENOMEM;
      i += k;
    }
  }
  return MTPORT_OK;
}

char *mtport_url_resolve(const char *base, const char *ref) {
  if (!ref)
    return NULL;
  if (!base || !*base || S_scheme_len(ref))
    return mtport__strdup(ref);
  S_parts b, r;
  S_split(base, &b);
  S_split(ref, &r);
  if (!b.scheme_n) /* a relative base cannot resolve anything */
    return mtport__strdup(ref);
  mtport_buf o = MTPORT_BUF_INIT;
  int rc = mtport_buf_append(&o, b.scheme, b.scheme_n);
  if (r.has_auth) {
    rc |= mtport_buf_puts(&o, "//");
    rc |= mtport_buf_append(&o, r.auth, r.auth_n);
    rc |= S_remove_dots(&o, r.path, r.path_n);
    if (r.has_query) {
      rc |= mtport_buf_putc(&o, '?');
      rc |= mtport_buf_append(&o, r.query, r.query_n);
    }
  } else {
    if (b.has_auth) {
      rc |= mtport_buf_puts(&o, "//");
      rc |= mtport_buf_append(&o, b.auth, b.auth_n);
    }
    if (r.path_n == 0) {
      rc |= mtport_buf_append(&o, b.path, b.path_n);
      if (r.has_query) {
        rc |= mtport_buf_putc(&o, '?');
        rc |= mtport_buf_append(&o, r.query, r.query_n);
      } else if (b.has_query) {
        rc |= mtport_buf_putc(&o, '?');
        rc |= mtport_buf_append(&o, b.query, b.query_n);
      }
    } else {
      if (r.path[0] == '/')
        rc |= S_remove_dots(&o, r.path, r.path_n);
      else {
        mtport_buf m = MTPORT_BUF_INIT;
        if (b.has_auth && b.path_n == 0)
          rc |= mtport_buf_putc(&m, '/');
        else {
          size_t k = b.path_n;
          while (k > 0 && b.path[k - 1] != '/')
            k--;
          rc |= mtport_buf_append(&m, b.path, k);
        }
        rc |= mtport_buf_append(&m, r.path, r.path_n);
        if (!rc)
          rc |= S_remove_dots(&o, m.data, m.len);
        mtport_buf_dispose(&m);
      }
      if (r.has_query) {
        rc |= mtport_buf_putc(&o, '?');
        rc |= mtport_buf_append(&o, r.query, r.query_n);
      }
    }
  }
  if (r.has_frag) {
    rc |= mtport_buf_putc(&o, '#');
    rc |= mtport_buf_append(&o, r.frag, r.frag_n);
  }
  if (rc) {
    mtport_buf_dispose(&o);
    return NULL;
  }
  return mtport_buf_detach(&o);
}

char *mtport_url_path(const char *url) {
  if (!url)
    return NULL;
  S_parts u;
  S_split(url, &u);
  if (!u.scheme_n || !u.has_auth)
    return NULL;
  if (u.path_n == 0)
    return mtport__strdup("/");
  return mtport__strndup(u.path, u.path_n);
}

/* ---- rewriting attributes in HTML ---------------------------------- */

static int S_is_url_attr(const char *name, size_t n) {
  static const char *const names[] = {"href",       "src",    "poster", "data",
                                      "background", "action", "cite"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strlen(names[i]) == n && strncasecmp(name, names[i], n) == 0)
      return 1;
  return 0;
}

/* Appends value resolved against base; a value that holds an entity or is
 * already absolute, a fragment or a special scheme is copied unchanged. */
static int S_put_resolved(mtport_buf *out, const char *v, size_t n,
                          const char *base) {
  size_t lead = 0;
  while (lead < n && isspace((unsigned char)v[lead]))
    lead++;
  const char *s = v + lead;
  size_t sn = n - lead;
  if (sn == 0 || s[0] == '#' || memchr(s, '&', sn) || memchr(s, '<', sn))
    return mtport_buf_append(out, v, n);
  char *ref = mtport__strndup(s, sn);
  if (!ref)
    return MTPORT_ENOMEM;
  int rc;
  if (S_scheme_len(ref))
    rc = mtport_buf_append(out, v, n);
  else {
    char *abs = mtport_url_resolve(base, ref);
    rc = abs ? mtport_buf_puts(out, abs) : MTPORT_ENOMEM;
    free(abs);
  }
  free(ref);
  return rc;
}

/* srcset: comma-separated "url [descriptor]" candidates. */
static int S_put_srcset(mtport_buf *out, const char *v, size_t n,
                        const char *base) {
  size_t i = 0;
  int rc = 0;
  while (i < n && !rc) {
    size_t ws = i;
    while (i < n && isspace((unsigned char)v[i]))
      i++;
    rc |= mtport_buf_append(out, v + ws, i - ws);
    size_t us = i;
    while (i < n && !isspace((unsigned char)v[i]) && v[i] != ',')
      i++;
    rc |= S_put_resolved(out, v + us, i - us, base);
    size_t ds = i;
    while (i < n && v[i] != ',')
      i++;
    if (i < n)
      i++;
    rc |= mtport_buf_append(out, v + ds, i - ds);
  }
  return rc;
}

int mtport_html_absolutize(mtport_buf *out, const char *h, size_t n,
                           const char *base) {
  if (!base || !*base || !memchr(h, '<', n))
    return mtport_buf_append(out, h, n);
  size_t i = 0, copied = 0;
  int rc = 0;
  while (i < n && !rc) {
    if (h[i] != '<') {
      const char *lt = memchr(h + i, '<', n - i);
      i = lt ? (size_t)(lt - h) : n;
      continue;
    }
    if (i + 3 < n && strncmp(h + i, "<!--", 4) == 0) {
      const char *e = NULL;
      for (size_t k = i + 4; k + 2 < n; k++)
        if (h[k] == '-' && h[k + 1] == '-' && h[k + 2] == '>') {
          e = h + k + 3;
          break;
        }
      i = e ? (size_t)(e - h) : n;
      continue;
    }
    if (i + 1 >= n || !isalpha((unsigned char)h[i + 1])) {
      i++;
      continue;
    }
    /* a start tag: walk its attributes */
    size_t k = i + 1;
    size_t tag = k;
    while (k < n &&
           (isalnum((unsigned char)h[k]) || h[k] == ':' || h[k] == '-'))
      k++;
    size_t tag_n = k - tag;
    for (;;) {
      while (k < n && (isspace((unsigned char)h[k]) || h[k] == '/'))
        k++;
      if (k >= n || h[k] == '>' || h[k] == '<')
        break;
      size_t an = k;
      while (k < n && !isspace((unsigned char)h[k]) && h[k] != '=' &&
             h[k] != '>' && h[k] != '/' && h[k] != '<')
        k++;
      size_t an_n = k - an;
      while (k < n && isspace((unsigned char)h[k]))
        k++;
      if (k >= n || h[k] != '=')
        continue;
      k++;
      while (k < n && isspace((unsigned char)h[k]))
        k++;
      size_t vs, ve;
      if (k < n && (h[k] == '"' || h[k] == '\'')) {
        char q = h[k++];
        vs = k;
        while (k < n && h[k] != q)
          k++;
        ve = k;
        if (k < n)
          k++;
      } else {
        vs = k;
        while (k < n && !isspace((unsigned char)h[k]) && h[k] != '>')
          k++;
        ve = k;
      }
      int url = S_is_url_attr(h + an, an_n);
      int srcset = an_n == 6 && strncasecmp(h + an, "srcset", 6) == 0;
      if (url || srcset) {
        rc |= mtport_buf_append(out, h + copied, vs - copied);
        rc |= srcset ? S_put_srcset(out, h + vs, ve - vs, base)
                     : S_put_resolved(out, h + vs, ve - vs, base);
        copied = ve;
      }
    }
    i = k;
    /* script and style hold no markup: skip to their end tag */
    if ((tag_n == 6 && strncasecmp(h + tag, "script", 6) == 0) ||
        (tag_n == 5 && strncasecmp(h + tag, "style", 5) == 0)) {
      while (i + 1 < n &&
             !(h[i] == '<' && h[i + 1] == '/' && i + 2 + tag_n <= n &&
               strncasecmp(h + i + 2, h + tag, tag_n) == 0))
        i++;
    }
  }
  rc |= mtport_buf_append(out, h + copied, n - copied);
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}
