/* References in an HTML body: every URL a post shows or links to, with its
 * byte range in the input so it can be replaced in place, and the
 * rewriter that replaces them.
 *
 * A tag scanner rather than libxml2's HTML parser, which gives no byte
 * offsets. It reads the input once, front to back, and never recurses;
 * where HTML parsers disagree it follows libxml2's (which converts the
 * body to Markdown afterwards): comments end at "-->" or "--!>", a
 * "<![CDATA[" or "<?" is text whose content is still parsed, <script> and
 * <style> hold no markup. Attribute values are read in any quoting, with
 * HTML's character references decoded (named ones need their ';', as in
 * libxml2). Tags never closed by '>' are left alone: a browser drops them. */
#include "assets_int.h"
#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>

/* ---- the tags and attributes that carry references ------------------ */

enum {
  S_T_OTHER,
  S_T_A,
  S_T_AREA,
  S_T_IMG,
  S_T_SOURCE,
  S_T_VIDEO,
  S_T_AUDIO,
  S_T_OBJECT,
  S_T_EMBED,
  S_T_PARAM,
  S_T_FORM,
  S_T_SPAN,
  S_T_SCRIPT,
  S_T_STYLE
};

static const struct {
  const char *name;
  int id;
} S_tags[] = {
    {"a", S_T_A},           {"area", S_T_AREA},   {"img", S_T_IMG},
    {"source", S_T_SOURCE}, {"video", S_T_VIDEO}, {"audio", S_T_AUDIO},
    {"object", S_T_OBJECT}, {"embed", S_T_EMBED}, {"param", S_T_PARAM},
    {"form", S_T_FORM},     {"span", S_T_SPAN},   {"script", S_T_SCRIPT},
    {"style", S_T_STYLE}};

static int S_lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int S_ieq(const char *a, size_t n, const char *lit) {
  size_t i = 0;
  for (; i < n && lit[i]; i++)
    if (S_lower((unsigned char)a[i]) != lit[i])
      return 0;
  return i == n && !lit[i];
}

static int S_space(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int S_alpha(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int S_tag_id(const char *s, size_t n, const char **name) {
  for (size_t i = 0; i < sizeof S_tags / sizeof *S_tags; i++)
    if (S_ieq(s, n, S_tags[i].name)) {
      *name = S_tags[i].name;
      return S_tags[i].id;
    }
  *name = NULL;
  return S_T_OTHER;
}

/* The attribute of tag @tag that holds a URL: its static name and flags,
 * or NULL. */
static const char *S_url_attr(int tag, const char *a, size_t n,
                              unsigned *flags) {
  *flags = 0;
  switch (tag) {
  case S_T_A:
  case S_T_AREA:
    if (S_ieq(a, n, "href"))
      return "href";
    if (tag == S_T_A && S_ieq(a, n, "onclick")) {
      *flags = MTPORT_REF_SCRIPT;
      return "onclick";
    }
    return NULL;
  case S_T_IMG:
  case S_T_SOURCE:
    *flags = MTPORT_REF_EMBED;
    if (S_ieq(a, n, "src"))
      return "src";
    if (S_ieq(a, n, "srcset")) {
      *flags |= MTPORT_REF_SRCSET;
      return "srcset";
    }
    return NULL;
  case S_T_VIDEO:
  case S_T_AUDIO:
    *flags = MTPORT_REF_EMBED;
    if (S_ieq(a, n, "src"))
      return "src";
    if (tag == S_T_VIDEO && S_ieq(a, n, "poster"))
      return "poster";
    return NULL;
  case S_T_OBJECT:
    *flags = MTPORT_REF_EMBED;
    return S_ieq(a, n, "data") ? "data" : NULL;
  case S_T_EMBED:
    *flags = MTPORT_REF_EMBED;
    return S_ieq(a, n, "src") ? "src" : NULL;
  case S_T_PARAM:
    *flags = MTPORT_REF_EMBED;
    return S_ieq(a, n, "value") ? "value" : NULL;
  default:
    return NULL;
  }
}

/* One bit per URL attribute name, so that only the first of a name counts
 * (as in HTML parsers). */
static unsigned S_attr_bit(const char *name) {
  static const char *const names[] = {"src",  "srcset", "href",   "poster",
                                      "data", "value",  "onclick"};
  for (unsigned k = 0; k < sizeof names / sizeof *names; k++)
    if (strcmp(name, names[k]) == 0)
      return 1u << k;
  return 1u << 7;
}

/* ---- character references ------------------------------------------- */

static void S_put_cp(mtport_buf *out, unsigned long cp, int *rc) {
  char u[4];
  size_t k;
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    cp = 0xFFFD;
  if (cp < 0x80)
    u[0] = (char)cp, k = 1;
  else if (cp < 0x800)
    u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)), k = 2;
  else if (cp < 0x10000)
    u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
    u[2] = (char)(0x80 | (cp & 0x3F)), k = 3;
  else
    u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)),
    k = 4;
  *rc |= mtport_buf_append(out, u, k);
}

int mtport_assets__decode_entities(mtport_buf *out, const char *s, size_t n) {
  int rc = 0;
  size_t i = 0;
  while (i < n) {
    const char *amp = memchr(s + i, '&', n - i);
    size_t stop = amp ? (size_t)(amp - s) : n;
    rc |= mtport_buf_append(out, s + i, stop - i);
    if (!amp)
      break;
    i = stop + 1;
    size_t k = i;
    if (k < n && s[k] == '#') {
      int hex = k + 1 < n && (s[k + 1] == 'x' || s[k + 1] == 'X');
      k += hex ? 2 : 1;
      unsigned long cp = 0;
      size_t d = k;
      while (k < n && k - d < 8 &&
             ((s[k] >= '0' && s[k] <= '9') ||
              (hex && ((s[k] >= 'a' && s[k] <= 'f') ||
                       (s[k] >= 'A' && s[k] <= 'F'))))) {
        int v = s[k] <= '9' ? s[k] - '0' : (S_lower(s[k]) - 'a' + 10);
        cp = cp * (hex ? 16 : 10) + (unsigned long)v;
        k++;
      }
      if (k > d) {
        S_put_cp(out, cp, &rc);
        i = k < n && s[k] == ';' ? k + 1 : k;
        continue;
      }
    } else {
      char name[33];
      size_t m = 0;
      while (k < n && m < 32 &&
             (S_alpha((unsigned char)s[k]) || (s[k] >= '0' && s[k] <= '9')))
        name[m++] = s[k++];
      name[m] = '\0';
      if (m && k < n && s[k] == ';') {
        const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
        if (e) {
          S_put_cp(out, e->value, &rc);
          i = k + 1;
          continue;
        }
      }
    }
    rc |= mtport_buf_putc(out, '&');
  }
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}

/* ---- the scanner -------------------------------------------------------- */

/* A reference collected but dropped at the tag's end (a <param> value
 * whose name is not a URL's). */
#define S_SKIP 0x80000000u

typedef struct {
  size_t vs, ve;   /* the value's bytes, quotes excluded */
  char quote;      /* '"', '\'' or 0 */
  size_t first, n; /* its references in S_scan.refs */
} S_attr;

typedef struct {
  mtport_html_ref ref;
  size_t url_off; /* decoded URL in S_scan.urls */
  size_t attr;
} S_ref;

typedef struct {
  const char *h;
  size_t n;
  unsigned long line; /* line at offset line_pos */
  size_t line_pos;
  /* the tag being read */
  S_attr *attrs;
  size_t n_attrs, cap_attrs;
  S_ref *refs;
  size_t n_refs, cap_refs;
  mtport_buf urls;
  /* across tags */
  size_t next_index;
  size_t link;         /* the open <a>'s href, or SIZE_MAX */
  long long wrap_id;   /* the open MT asset wrapper's id */
  unsigned wrap_depth; /* form/span depth inside it */
  /* the caller */
  mtport_html_ref_fn find;
  mtport_html_rewrite_fn rewrite;
  void *payload;
  mtport_buf *out;
  size_t copied;
  mtport_buf repl;
} S_scan;

static unsigned long S_line_at(S_scan *s, size_t off) {
  while (s->line_pos < off) {
    const char *nl = memchr(s->h + s->line_pos, '\n', off - s->line_pos);
    if (!nl) {
      s->line_pos = off;
      break;
    }
    s->line++;
    s->line_pos = (size_t)(nl - s->h) + 1;
  }
  return s->line;
}

static int S_grow(void **arr, size_t *cap, size_t need, size_t sz) {
  if (need <= *cap)
    return 0;
  size_t nc = *cap ? *cap * 2 : 8;
  while (nc < need)
    nc *= 2;
  void *a = realloc(*arr, nc * sz);
  if (!a)
    return MTPORT_ENOMEM;
  *arr = a;
  *cap = nc;
  return 0;
}

/* Adds the reference at raw bytes [a, b) of attribute @attr. */
static int S_add_ref(S_scan *s, size_t attr, size_t a, size_t b,
                     const char *tag, const char *name, unsigned flags) {
  while (a < b && S_space((unsigned char)s->h[a]))
    a++;
  while (b > a && S_space((unsigned char)s->h[b - 1]))
    b--;
  if (a == b)
    return 0;
  if (S_grow((void **)&s->refs, &s->cap_refs, s->n_refs + 1, sizeof *s->refs))
    return MTPORT_ENOMEM;
  S_ref *r = &s->refs[s->n_refs];
  memset(r, 0, sizeof *r);
  r->attr = attr;
  r->url_off = s->urls.len;
  size_t before = s->urls.len;
  if (mtport_assets__decode_entities(&s->urls, s->h + a, b - a))
    return MTPORT_ENOMEM;
  if (!mtport_utf8_valid(s->urls.data + before, s->urls.len - before)) {
    mtport_buf fix = MTPORT_BUF_INIT;
    int rc = mtport_utf8_sanitize(&fix, s->urls.data + before,
                                  s->urls.len - before) < 0;
    s->urls.len = before;
    rc |= mtport_buf_append(&s->urls, fix.data ? fix.data : "", fix.len);
    mtport_buf_dispose(&fix);
    if (rc)
      return MTPORT_ENOMEM;
  }
  r->ref.url_len = s->urls.len - before;
  if (mtport_buf_putc(&s->urls, '\0'))
    return MTPORT_ENOMEM;
  r->ref.tag = tag;
  r->ref.attr = name;
  r->ref.start = a;
  r->ref.end = b;
  r->ref.flags = flags;
  r->ref.link = SIZE_MAX;
  s->attrs[attr].n++;
  s->n_refs++;
  return 0;
}

/* The candidates of a srcset value: "url [descriptor], url ...". */
static int S_srcset(S_scan *s, size_t attr, const char *tag, unsigned flags) {
  size_t i = s->attrs[attr].vs, e = s->attrs[attr].ve;
  const char *h = s->h;
  while (i < e) {
    while (i < e && (S_space((unsigned char)h[i]) || h[i] == ','))
      i++;
    size_t us = i;
    while (i < e && !S_space((unsigned char)h[i]))
      i++;
    size_t ue = i;
    while (ue > us && h[ue - 1] == ',')
      ue--; /* "a.jpg," is a URL and the separator */
    int rc = S_add_ref(s, attr, us, ue, tag, "srcset", flags);
    if (rc)
      return rc;
    if (ue < i)
      continue;    /* the comma after the URL ended the candidate */
    int paren = 0; /* descriptors up to the next comma outside () */
    while (i < e && (paren || h[i] != ',')) {
      if (h[i] == '(')
        paren = 1;
      else if (h[i] == ')')
        paren = 0;
      i++;
    }
  }
  return 0;
}

/* onclick="window.open('URL', ...)": the first argument when it is a
 * string literal (MT's pop-up links; TypePad's use this.href). */
static int S_onclick(S_scan *s, size_t attr, const char *tag) {
  const char *h = s->h;
  size_t i = s->attrs[attr].vs, e = s->attrs[attr].ve;
  /* unquoted, the value would be quoted by a rewrite and its string's
   * quote become a character reference: MT always quotes it */
  if (!s->attrs[attr].quote)
    return 0;
  static const char open[] = "window.open(";
  for (; i + sizeof open - 1 <= e; i++)
    if (memcmp(h + i, open, sizeof open - 1) == 0)
      break;
  if (i + sizeof open - 1 > e)
    return 0;
  i += sizeof open - 1;
  while (i < e && S_space((unsigned char)h[i]))
    i++;
  if (i >= e || (h[i] != '\'' && h[i] != '"'))
    return 0;
  char q = h[i++];
  size_t us = i;
  while (i < e && h[i] != q && h[i] != '\\')
    i++;
  if (i >= e || h[i] != q)
    return 0; /* escapes in the literal: not a plain URL */
  return S_add_ref(s, attr, us, i, tag, "onclick",
                   MTPORT_REF_SCRIPT | MTPORT_REF_LINK);
}

/* Escapes @url for where it goes and appends it to the output. */
static int S_put_escaped(mtport_buf *out, const char *u, size_t n, char quote,
                         unsigned flags) {
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)u[i];
    if (c < 0x20 || c == 0x7F ||
        (c == ' ' && (flags & (MTPORT_REF_SRCSET | MTPORT_REF_SCRIPT))) ||
        (c == ',' && (flags & MTPORT_REF_SRCSET)) ||
        ((c == '\'' || c == '"' || c == '\\') && (flags & MTPORT_REF_SCRIPT)))
      rc |= mtport_buf_printf(out, "%%%02X", c);
    else if (c == '&')
      rc |= mtport_buf_puts(out, "&amp;");
    else if (c == '<')
      rc |= mtport_buf_puts(out, "&lt;");
    else if (c == '>')
      rc |= mtport_buf_puts(out, "&gt;");
    else if (c == '"' && quote != '\'')
      rc |= mtport_buf_puts(out, "&quot;");
    else if (c == '\'' && quote == '\'')
      rc |= mtport_buf_puts(out, "&#39;");
    else
      rc |= mtport_buf_putc(out, (char)c);
  }
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}

/* Copies raw bytes of an unquoted value that is being quoted with '"'. */
static int S_put_unquoted(mtport_buf *out, const char *s, size_t n) {
  int rc = 0;
  for (size_t i = 0; i < n; i++)
    rc |= s[i] == '"' ? mtport_buf_puts(out, "&quot;")
                      : mtport_buf_putc(out, s[i]);
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}

/* The tag is complete: hands its references to the caller, and in
 * rewriting mode writes the replacements. */
static int S_emit(S_scan *s, int tag, int keep_param, int mt_image,
                  int self_link) {
  for (size_t k = 0; k < s->n_refs; k++) {
    S_ref *r = &s->refs[k];
    r->ref.url = s->urls.data + r->url_off;
    if (tag == S_T_PARAM && !keep_param)
      r->ref.flags |= S_SKIP; /* not a reference: skipped below */
    if (mt_image && tag == S_T_IMG)
      r->ref.flags |= MTPORT_REF_MT_IMAGE;
    if (tag == S_T_A || tag == S_T_AREA)
      r->ref.flags |= MTPORT_REF_LINK;
    r->ref.mt_asset_id = s->wrap_id;
    if (s->link != SIZE_MAX && !self_link) {
      r->ref.link = s->link;
      r->ref.flags |= MTPORT_REF_IN_LINK;
    } else if (self_link && r->ref.attr[0] != 'h')
      r->ref.link = s->link; /* an onclick names its own link */
  }
  for (size_t ai = 0; ai < s->n_attrs; ai++) {
    S_attr *at = &s->attrs[ai];
    int quoted_open = 0;
    for (size_t k = at->first; k < at->first + at->n; k++) {
      S_ref *r = &s->refs[k];
      if (r->ref.flags & S_SKIP)
        continue;
      r->ref.line = S_line_at(s, r->ref.start);
      r->ref.index = s->next_index++;
      if (s->find) {
        int rc = s->find(&r->ref, s->payload);
        if (rc < 0)
          return rc;
        continue;
      }
      mtport_buf_clear(&s->repl);
      int chosen = s->rewrite(&r->ref, &s->repl, s->payload);
      if (chosen < 0)
        return chosen;
      if (chosen == 0)
        continue;
      mtport_buf *o = s->out;
      int rc = 0;
      if (!at->quote && !quoted_open) {
        rc |= mtport_buf_append(o, s->h + s->copied, at->vs - s->copied);
        rc |= mtport_buf_putc(o, '"');
        s->copied = at->vs;
        quoted_open = 1;
      }
      if (quoted_open)
        rc |= S_put_unquoted(o, s->h + s->copied, r->ref.start - s->copied);
      else
        rc |= mtport_buf_append(o, s->h + s->copied, r->ref.start - s->copied);
      /* the replacement must stay valid UTF-8 */
      if (!mtport_utf8_valid(s->repl.data ? s->repl.data : "", s->repl.len)) {
        mtport_buf fix = MTPORT_BUF_INIT;
        rc |= mtport_utf8_sanitize(&fix, s->repl.data, s->repl.len) < 0;
        rc |= S_put_escaped(o, fix.data ? fix.data : "", fix.len,
                            quoted_open ? '"' : at->quote, r->ref.flags);
        mtport_buf_dispose(&fix);
      } else
        rc |= S_put_escaped(o, s->repl.data ? s->repl.data : "", s->repl.len,
                            quoted_open ? '"' : at->quote, r->ref.flags);
      s->copied = r->ref.end;
      if (rc)
        return MTPORT_ENOMEM;
    }
    if (quoted_open) {
      int rc = S_put_unquoted(s->out, s->h + s->copied, at->ve - s->copied);
      rc |= mtport_buf_putc(s->out, '"');
      s->copied = at->ve;
      if (rc)
        return MTPORT_ENOMEM;
    }
  }
  return 0;
}

/* Reads the start tag whose name begins at @i (after '<'). Returns the
 * offset after it, or n when it never ends; *rc gets an error. */
static size_t S_start_tag(S_scan *s, size_t i, int *rc, int *raw) {
  const char *h = s->h;
  size_t n = s->n;
  size_t ns = i;
  while (i < n && !S_space((unsigned char)h[i]) && h[i] != '/' && h[i] != '>')
    i++;
  const char *tag_name;
  int tag = S_tag_id(h + ns, i - ns, &tag_name);
  s->n_attrs = s->n_refs = 0;
  mtport_buf_clear(&s->urls);
  int keep_param = 0, mt_image = 0, has_href = 0, self_close = 0;
  long long asset_id = 0;
  unsigned seen = 0; /* attributes already read, by bit: the first wins */
  for (;;) {
    while (i < n && (S_space((unsigned char)h[i]) || h[i] == '/')) {
      self_close = h[i] == '/';
      i++;
    }
    if (i >= n)
      return n; /* never closed: dropped by browsers, left alone here */
    if (h[i] == '>')
      break;
    self_close = 0;
    size_t as = i;
    i++; /* a name may begin with '=' */
    while (i < n && !S_space((unsigned char)h[i]) && h[i] != '/' &&
           h[i] != '>' && h[i] != '=')
      i++;
    size_t an = i - as;
    size_t j = i;
    while (j < n && S_space((unsigned char)h[j]))
      j++;
    size_t vs = i, ve = i;
    char quote = 0;
    if (j < n && h[j] == '=') {
      j++;
      while (j < n && S_space((unsigned char)h[j]))
        j++;
      if (j < n && (h[j] == '"' || h[j] == '\'')) {
        quote = h[j];
        vs = j + 1;
        const char *q = memchr(h + vs, quote, n - vs);
        if (!q)
          return n;
        ve = (size_t)(q - h);
        i = ve + 1;
      } else {
        vs = j;
        while (j < n && !S_space((unsigned char)h[j]) && h[j] != '>')
          j++;
        ve = i = j;
      }
    }
    if (tag == S_T_OTHER || tag == S_T_SCRIPT || tag == S_T_STYLE)
      continue;
    unsigned flags;
    const char *aname = S_url_attr(tag, h + as, an, &flags);
    if (aname) {
      unsigned bit = S_attr_bit(aname);
      if (seen & bit || ve == vs)
        continue;
      seen |= bit;
      if (S_grow((void **)&s->attrs, &s->cap_attrs, s->n_attrs + 1,
                 sizeof *s->attrs)) {
        *rc = MTPORT_ENOMEM;
        return n;
      }
      S_attr *at = &s->attrs[s->n_attrs];
      at->vs = vs, at->ve = ve, at->quote = quote;
      at->first = s->n_refs, at->n = 0;
      size_t ai = s->n_attrs++;
      int r;
      if (flags & MTPORT_REF_SRCSET)
        r = S_srcset(s, ai, tag_name, flags);
      else if (flags & MTPORT_REF_SCRIPT)
        r = S_onclick(s, ai, tag_name);
      else
        r = S_add_ref(s, ai, vs, ve, tag_name, aname, flags);
      if (aname[0] == 'h')
        has_href = 1;
      if (r) {
        *rc = r;
        return n;
      }
    } else if (tag == S_T_PARAM && S_ieq(h + as, an, "name")) {
      static const char *const names[] = {"movie", "src", "url", "filename"};
      for (size_t k = 0; k < 4; k++)
        keep_param |= S_ieq(h + vs, ve - vs, names[k]);
    } else if (tag == S_T_IMG && S_ieq(h + as, an, "class")) {
      for (size_t k = vs; k + 9 <= ve && !mt_image; k++)
        mt_image = memcmp(h + k, "mt-image-", 9) == 0;
    } else if ((tag == S_T_FORM || tag == S_T_SPAN) &&
               S_ieq(h + as, an, "mt:asset-id")) {
      for (size_t k = vs;
           k < ve && h[k] >= '0' && h[k] <= '9' && asset_id < 100000000000000LL;
           k++)
        asset_id = asset_id * 10 + (h[k] - '0');
    }
  }
  i++; /* '>' */
  if ((tag == S_T_FORM || tag == S_T_SPAN) && !self_close) {
    if (s->wrap_depth)
      s->wrap_depth++;
    else if (asset_id > 0)
      s->wrap_id = asset_id, s->wrap_depth = 1;
  }
  /* a new <a> ends the one open (HTML does not nest links) */
  if (tag == S_T_A)
    s->link = SIZE_MAX;
  int self_link = 0;
  if (tag == S_T_A && has_href && !self_close) {
    for (size_t k = 0; k < s->n_refs; k++)
      if (s->refs[k].ref.attr[0] == 'h') {
        s->link = s->next_index + k; /* its index once emitted */
        self_link = 1;
        break;
      }
  }
  *rc = S_emit(s, tag, keep_param, mt_image, self_link);
  *raw = tag == S_T_SCRIPT ? 1 : tag == S_T_STYLE ? 2 : 0;
  return i;
}

/* An end tag whose name begins at @i. */
static size_t S_end_tag(S_scan *s, size_t i) {
  const char *h = s->h;
  size_t ns = i;
  while (i < s->n && !S_space((unsigned char)h[i]) && h[i] != '/' &&
         h[i] != '>')
    i++;
  const char *name;
  int tag = S_tag_id(h + ns, i - ns, &name);
  const char *gt = memchr(h + i, '>', s->n - i);
  if (!gt)
    return s->n;
  if (tag == S_T_A)
    s->link = SIZE_MAX;
  else if ((tag == S_T_FORM || tag == S_T_SPAN) && s->wrap_depth &&
           --s->wrap_depth == 0)
    s->wrap_id = 0;
  return (size_t)(gt - h) + 1;
}

/* Past the end of <script> or <style>: the next "</script" or "</style". */
static size_t S_skip_raw(const S_scan *s, size_t i, const char *name) {
  size_t len = strlen(name);
  while (i < s->n) {
    const char *lt = memchr(s->h + i, '<', s->n - i);
    if (!lt)
      return s->n;
    i = (size_t)(lt - s->h);
    if (i + 2 + len <= s->n && s->h[i + 1] == '/' &&
        S_ieq(s->h + i + 2, len, name))
      return i;
    i++;
  }
  return s->n;
}

static int S_run(S_scan *s) {
  const char *h = s->h;
  size_t n = s->n, i = 0;
  int rc = 0;
  s->line = 1;
  s->link = SIZE_MAX;
  while (i < n && !rc) {
    const char *lt = memchr(h + i, '<', n - i);
    if (!lt)
      break;
    i = (size_t)(lt - h) + 1;
    if (i >= n)
      break;
    if (h[i] == '!') {
      if (i + 2 < n && h[i + 1] == '-' && h[i + 2] == '-') {
        size_t k = i + 3;
        for (;; k++) { /* to "-->" or "--!>" */
          const char *d = k < n ? memchr(h + k, '-', n - k) : NULL;
          if (!d) {
            k = n;
            break;
          }
          k = (size_t)(d - h);
          if (k + 2 < n && h[k + 1] == '-' && h[k + 2] == '>') {
            k += 3;
            break;
          }
          if (k + 3 < n && h[k + 1] == '-' && h[k + 2] == '!' &&
              h[k + 3] == '>') {
            k += 4;
            break;
          }
        }
        i = k;
      } else if (i + 1 < n && h[i + 1] == '[') {
        i++; /* "<![CDATA[": text to libxml2; its content is parsed */
      } else {
        const char *gt = memchr(h + i, '>', n - i); /* <!DOCTYPE ...> */
        i = gt ? (size_t)(gt - h) + 1 : n;
      }
    } else if (h[i] == '/') {
      if (i + 1 < n && S_alpha((unsigned char)h[i + 1]))
        i = S_end_tag(s, i + 1);
    } else if (S_alpha((unsigned char)h[i])) {
      int raw = 0;
      i = S_start_tag(s, i, &rc, &raw);
      if (raw)
        i = S_skip_raw(s, i, raw == 1 ? "script" : "style");
    }
  }
  return rc;
}

static void S_dispose(S_scan *s) {
  free(s->attrs);
  free(s->refs);
  mtport_buf_dispose(&s->urls);
  mtport_buf_dispose(&s->repl);
}

int mtport_html_refs(const char *html, size_t len, mtport_html_ref_fn fn,
                     void *payload) {
  if (!fn || (!html && len))
    return MTPORT_EINVALID;
  S_scan s;
  memset(&s, 0, sizeof s);
  s.h = html ? html : "";
  s.n = len;
  s.find = fn;
  s.payload = payload;
  int rc = S_run(&s);
  S_dispose(&s);
  return rc;
}

int mtport_html_rewrite(mtport_buf *out, const char *html, size_t len,
                        mtport_html_rewrite_fn fn, void *payload) {
  if (!fn || !out || (!html && len))
    return MTPORT_EINVALID;
  S_scan s;
  memset(&s, 0, sizeof s);
  s.h = html ? html : "";
  s.n = len;
  s.rewrite = fn;
  s.payload = payload;
  s.out = out;
  size_t start = out->len;
  int rc = S_run(&s);
  if (!rc && mtport_buf_append(out, s.h + s.copied, len - s.copied))
    rc = MTPORT_ENOMEM;
  if (rc && out->data) {
    out->len = start;
    out->data[start] = '\0';
  }
  S_dispose(&s);
  return rc;
}
