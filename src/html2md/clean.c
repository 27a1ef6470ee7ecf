/* HTML for the HTML outputs (WXR, JSON Feed) without what the Markdown
 * outputs leave out: scripts, styles, meta/link/base and tracking junk.
 *
 * The elements are found by the converter's own parse (the same libxml2
 * HTML parser, context and options: mtport_md__sax_parse) and its own rules
 * (mtport_md__class_uncached, mtport_md__is_junk), so both kinds of output
 * lose the same elements. The rest is copied byte for byte: only the
 * source ranges of removed elements are cut, located from the parser's
 * position at each SAX event, so nothing is re-serialized.
 *
 * Positions: at startElement the parser stands on the '>' of the start
 * tag, whose '<' is the first "<name" after the previous event's end; at
 * endElement it stands after "</name>" when the end tag is explicit, or
 * inside the tag that implied the end (after its name), or at the end of
 * the input. An implied element (html, body, a paragraph around text) has
 * no start tag in the source and no attributes, so it is never removed. */
#include "html2md_int.h"
#include <libxml/HTMLtree.h>
#include <libxml/parserInternals.h>

typedef struct S_span {
  size_t from, to;
} S_span;

typedef struct S_clean {
  const char *html;
  size_t len;
  size_t last;      /* where the last event's source ended */
  size_t depth;     /* elements open */
  size_t cut_depth; /* depth of the element being removed, 0 when none */
  size_t cut_from;  /* its start tag's '<' */
  size_t cut_gt;    /* where its start tag ended (the parser's position) */
  int cut_kind;
  S_span *spans;
  size_t n, cap;
  /* the element handed to the converter's rules: attributes and their
   * text children, grown as needed */
  xmlAttr *attrs;
  xmlNode *texts;
  size_t n_attrs;
  mtport_clean_report rep;
  int oom;
} S_clean;

enum { K_SCRIPT, K_STYLE, K_HEAD, K_TRACKER };

static S_clean *S_c(void *ctx) { return ((xmlParserCtxtPtr)ctx)->_private; }

static size_t S_pos(S_clean *c, void *ctx) {
  long at = xmlByteConsumed((xmlParserCtxtPtr)ctx);
  if (at < 0)
    return c->last;
  return (size_t)at > c->len ? c->len : (size_t)at;
}

static int S_lower(int ch) { return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch; }

/* 1 when @p s (up to @p end) starts with @p name, case-insensitively,
 * followed by a character that ends a tag name. */
static int S_names(const char *s, const char *end, const char *name) {
  size_t i = 0;
  for (; name[i]; i++)
    if (s + i >= end || S_lower((unsigned char)s[i]) != name[i])
      return 0;
  if (s + i >= end)
    return 1;
  char ch = s[i];
  return ch == '>' || ch == '/' || ch == ' ' || ch == '\t' || ch == '\n' ||
         ch == '\r' || ch == '\f';
}

/* 1 when @p s (up to @p end) starts with @p name, case-insensitively. */
static int S_names_prefix(const char *s, const char *end, const char *name) {
  for (size_t i = 0; name[i]; i++)
    if (s + i >= end || S_lower((unsigned char)s[i]) != name[i])
      return 0;
  return 1;
}

/* The first "<name" in [from, to], or (size_t)-1. */
static size_t S_find_start(const S_clean *c, size_t from, size_t to,
                           const char *name) {
  const char *end = c->html + c->len;
  for (size_t i = from; i <= to && i < c->len; i++) {
    const char *lt = memchr(c->html + i, '<', to + 1 - i);
    if (!lt)
      break;
    if (S_names(lt + 1, end, name))
      return (size_t)(lt - c->html);
    i = (size_t)(lt - c->html);
  }
  return (size_t)-1;
}

/* The last '<' in [from, to), or (size_t)-1. */
static size_t S_last_lt(const S_clean *c, size_t from, size_t to) {
  for (size_t i = to; i > from; i--)
    if (c->html[i - 1] == '<')
      return i - 1;
  return (size_t)-1;
}

/* 1 when the tag at @p lt is "</name". */
static int S_is_end_tag(const S_clean *c, size_t lt, const char *name) {
  return lt + 1 < c->len && c->html[lt + 1] == '/' &&
         S_names(c->html + lt + 2, c->html + c->len, name);
}

/* Lays out @p atts as the attributes of @p el, as html2md_sax.c does
 * (a boolean attribute without a value holds its name). */
static int S_attrs(S_clean *c, xmlNode *el, const xmlChar **atts) {
  size_t n = 0;
  while (atts && atts[2 * n])
    n++;
  if (n > c->n_attrs) {
    xmlAttr *a = realloc(c->attrs, n * sizeof *a);
    if (a)
      c->attrs = a;
    xmlNode *t = realloc(c->texts, n * sizeof *t);
    if (t)
      c->texts = t;
    if (!a || !t)
      return MTPORT_ENOMEM;
    c->n_attrs = n;
  }
  for (size_t i = 0; i < n; i++) {
    xmlAttr *a = &c->attrs[i];
    const xmlChar *an = atts[2 * i], *value = atts[2 * i + 1];
    if (!value && htmlIsBooleanAttr(an))
      value = an;
    memset(a, 0, sizeof *a);
    a->type = XML_ATTRIBUTE_NODE;
    a->name = an;
    a->parent = el;
    a->next = i + 1 < n ? &c->attrs[i + 1] : NULL;
    if (value) {
      xmlNode *t = &c->texts[i];
      memset(t, 0, sizeof *t);
      t->type = XML_TEXT_NODE;
      t->content = (xmlChar *)value;
      t->parent = (xmlNode *)a;
      a->children = a->last = t;
    }
  }
  el->properties = n ? c->attrs : NULL;
  return MTPORT_OK;
}

static void S_start(void *ctx, const xmlChar *name, const xmlChar **atts) {
  S_clean *c = S_c(ctx);
  c->depth++;
  if (c->cut_depth || c->oom || !name)
    return;
  size_t at = S_pos(c, ctx);
  size_t lt = S_find_start(c, c->last, at, (const char *)name);
  if (lt == (size_t)-1)
    return; /* implied by the parser: nothing in the source */
  c->last = at;
  /* the converter sees "o:p" as "p" (html2md_sax.c) */
  const char *colon = strchr((const char *)name, ':');
  xmlNode el;
  memset(&el, 0, sizeof el);
  el.type = XML_ELEMENT_NODE;
  el.name = colon ? (const xmlChar *)colon + 1 : name;
  if (S_attrs(c, &el, atts)) {
    c->oom = 1;
    return;
  }
  int cls = mtport_md__class_uncached(&el);
  if (cls != H_REMOVE && cls != H_DROP)
    return;
  const char *n = (const char *)el.name;
  c->cut_kind = cls == H_DROP             ? K_HEAD
                : strcmp(n, "style") == 0 ? K_STYLE
                : strcmp(n, "script") == 0 || strcmp(n, "noscript") == 0 ||
                        strcmp(n, "template") == 0
                    ? K_SCRIPT
                    : K_TRACKER;
  c->cut_depth = c->depth;
  c->cut_from = lt;
  c->cut_gt = at;
}

static void S_end(void *ctx, const xmlChar *name) {
  S_clean *c = S_c(ctx);
  size_t depth = c->depth;
  if (c->depth)
    c->depth--;
  if (c->oom || !name)
    return;
  size_t at = S_pos(c, ctx);
  if (c->cut_depth != depth) {
    /* an explicit end tag moves the mark; an implied end does not (the
     * parser may be inside the start tag that implied it) */
    size_t lt = c->cut_depth ? (size_t)-1 : S_last_lt(c, c->last, at);
    if (lt != (size_t)-1 && S_is_end_tag(c, lt, (const char *)name))
      c->last = at;
    return;
  }
  /* where the removed element ends */
  size_t end = at;
  if (at > c->cut_gt + 2 && at < c->len) {
    size_t lt = S_last_lt(c, c->cut_gt, at);
    if (lt != (size_t)-1 && !S_is_end_tag(c, lt, (const char *)name))
      end = lt; /* ended by the next tag: keep that tag */
  }
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 8;
    S_span *s = realloc(c->spans, cap * sizeof *s);
    if (!s) {
      c->oom = 1;
      return;
    }
    c->spans = s;
    c->cap = cap;
  }
  c->spans[c->n++] = (S_span){c->cut_from, end};
  switch (c->cut_kind) {
  case K_SCRIPT:
    c->rep.scripts++;
    break;
  case K_STYLE:
    c->rep.styles++;
    break;
  case K_HEAD:
    c->rep.heads++;
    break;
  default:
    c->rep.trackers++;
  }
  c->cut_depth = 0;
  c->last = end;
}

/* Text, comments and processing instructions end where the parser is. */
static void S_moved(void *ctx) {
  S_clean *c = S_c(ctx);
  if (!c->cut_depth)
    c->last = S_pos(c, ctx);
}

static void S_chars(void *ctx, const xmlChar *ch, int len) { S_moved(ctx); }

static void S_comment(void *ctx, const xmlChar *value) { S_moved(ctx); }

static void S_pi(void *ctx, const xmlChar *target, const xmlChar *data) {
  S_moved(ctx);
}

/* 1 when the attribute @p name appears in the tag [p, end) with a value
 * that may read as one pixel ("0", "1", "1px", or a character reference). */
static int S_px_attr(const char *p, const char *end, const char *name) {
  size_t n = strlen(name);
  for (; p + n < end; p++) {
    if (S_lower((unsigned char)*p) != name[0] || !S_names_prefix(p, end, name))
      continue;
    const char *v = p + n;
    while (v < end && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r'))
      v++;
    if (v >= end || *v++ != '=')
      continue;
    while (v < end && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r' ||
                       *v == '"' || *v == '\''))
      v++;
    if (v < end && (*v == '&' || ((*v == '0' || *v == '1') &&
                                  (v + 1 >= end || v[1] < '0' || v[1] > '9'))))
      return 1;
  }
  return 0;
}

/* The '>' that ends the tag at @p, quoted values (after '=') skipped, or
 * @p end. */
static const char *S_tag_end(const char *p, const char *end) {
  char prev = 0;
  for (; p < end; p++) {
    if (*p == '>')
      return p;
    if ((*p == '"' || *p == '\'') && prev == '=') {
      const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
      if (!q)
        return end;
      p = q;
    }
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
      prev = *p;
  }
  return end;
}

static int S_alpha_ch(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The words the junk rules look for in classes and URLs (case-sensitive
 * there too). */
static const char *const S_words[] = {"zemanta", "feedflare", "feedburner",
                                      "doubleclick"};
static const size_t S_n_words = sizeof S_words / sizeof *S_words;

/* 1 when one of the words is in [p, end), tabs and line breaks inside a
 * word skipped (as mtport_md__is_junk skips them in URLs). */
static int S_has_word_ws(const char *p, const char *end,
                         const char *const *words, size_t n_words) {
  for (size_t i = 0; i < n_words; i++) {
    const char *w = words[i];
    for (const char *s = p; (s = memchr(s, w[0], (size_t)(end - s))) != NULL;
         s++) {
      const char *q = s + 1;
      size_t k = 1;
      while (w[k] && q < end) {
        if (*q == '\t' || *q == '\n' || *q == '\r') {
          q++;
          continue;
        }
        if (*q != w[k])
          break;
        q++, k++;
      }
      if (!w[k])
        return 1;
    }
  }
  return 0;
}

/* A look for anything the parse could remove: a script, style, noscript,
 * template, meta, link or base tag, an img tag whose width and height may
 * be one pixel, or a tag holding one of the words the junk rules look for
 * in classes and URLs (also split by tabs and line breaks, which the rules
 * skip in URLs). Bodies without any are copied as they are, without a
 * parse. Junk whose words are written as character references escapes
 * this look; it is kept, nothing is lost. Tag by tag, every tag read to
 * its end: S_maybe_junk runs it only on the few bodies its cheap look
 * cannot clear. */
static int S_maybe_junk_tags(const char *h, size_t n) {
  static const char *const tags[] = {"script", "style", "noscript", "template",
                                     "meta",   "link",  "base"};
  const char *end = h + n;
  for (const char *p = h; (p = memchr(p, '<', (size_t)(end - p))) != NULL;
       p++) {
    if (p + 1 >= end || !S_alpha_ch(p[1]))
      continue; /* not a start tag */
    for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
      if (S_lower((unsigned char)p[1]) == tags[i][0] &&
          S_names(p + 1, end, tags[i]))
        return 1;
    const char *te = S_tag_end(p, end);
    if (S_names(p + 1, end, "img") && S_px_attr(p, te, "width") &&
        S_px_attr(p, te, "height"))
      return 1;
    if (S_has_word_ws(p, te, S_words, S_n_words))
      return 1;
    p = te - 1;
  }
  return 0;
}

static int S_ws(char c) { return c == '\t' || c == '\n' || c == '\r'; }

/* 1 when @p w, its letters separated by tabs and line breaks or not, is in
 * [h, end) with its letter @p j at @p at (as S_has_word_ws matches it). */
static int S_word_at(const char *h, const char *end, const char *at,
                     const char *w, size_t j) {
  const char *q = at - 1;
  for (size_t k = j; k-- > 0; q--) {
    while (q >= h && S_ws(*q))
      q--;
    if (q < h || *q != w[k])
      return 0;
  }
  q = at + 1;
  for (size_t k = j + 1; w[k]; k++, q++) {
    while (q < end && S_ws(*q))
      q++;
    if (q >= end || *q != w[k])
      return 0;
  }
  return 1;
}

/* 1 when a junk word is anywhere in [h, end), in or out of tags: found
 * from the rare letters 'z' (zemanta) and 'd' (feed..., doubleclick) by
 * memchr. */
static int S_any_word(const char *h, const char *end) {
  for (const char *p = h; (p = memchr(p, 'z', (size_t)(end - p))) != NULL; p++)
    if (S_word_at(h, end, p, "zemanta", 0))
      return 1;
  for (const char *p = h; (p = memchr(p, 'd', (size_t)(end - p))) != NULL;
       p++) {
    /* most 'd's are neither after an 'e' nor before an 'o' */
    int after_e = p > h && (p[-1] == 'e' || S_ws(p[-1]));
    int before_o = p + 1 < end && (p[1] == 'o' || S_ws(p[1]));
    if ((after_e && (S_word_at(h, end, p, "feedburner", 3) ||
                     S_word_at(h, end, p, "feedflare", 3))) ||
        (before_o && S_word_at(h, end, p, "doubleclick", 0)))
      return 1;
  }
  return 0;
}

/* S_maybe_junk_tags' answer, cheaply for most bodies: a body it says yes to
 * has one of the tags at a '<' (a tag's first letter tested before its
 * name) or a word somewhere, so a body with neither is a no without
 * reading each tag to its end; the rest get the full look. */
static int S_maybe_junk(const char *h, size_t n) {
  const char *end = h + n;
  for (const char *p = h; (p = memchr(p, '<', (size_t)(end - p))) != NULL;
       p++) {
    if (p + 1 >= end)
      break;
    const char *t = p + 1;
    int hit = 0;
    switch (S_lower((unsigned char)*t)) {
    case 's':
      hit = S_names(t, end, "script") || S_names(t, end, "style");
      break;
    case 'n':
      hit = S_names(t, end, "noscript");
      break;
    case 't':
      hit = S_names(t, end, "template");
      break;
    case 'm':
      hit = S_names(t, end, "meta");
      break;
    case 'l':
      hit = S_names(t, end, "link");
      break;
    case 'b':
      hit = S_names(t, end, "base");
      break;
    case 'i':
      if (S_names(t, end, "img")) {
        const char *te = S_tag_end(p, end);
        hit = S_px_attr(p, te, "width") && S_px_attr(p, te, "height");
      }
      break;
    default:
      break;
    }
    if (hit)
      return S_maybe_junk_tags(h, n);
  }
  return S_any_word(h, end) ? S_maybe_junk_tags(h, n) : 0;
}

int mtport_html_clean(mtport_buf *out, const char *html, size_t len,
                      mtport_clean_report *report) {
  if (!html || !len || len > (size_t)0x7fffffff || !S_maybe_junk(html, len))
    return html && len ? mtport_buf_append(out, html, len) : MTPORT_OK;
  mtport_md__init();
  S_clean c;
  memset(&c, 0, sizeof c);
  c.html = html;
  c.len = len;
  /* the parse of mtport_md__html_parse, with callbacks that only look */
  static const mtport_md__sax cb = {S_start, S_end,     S_chars, S_chars,
                                    S_chars, S_comment, S_pi};
  xmlParserCtxtPtr ctxt = mtport_md__sax_parse(html, len, &cb, &c);
  if (!ctxt)
    return MTPORT_ENOMEM;
  if (ctxt->myDoc)
    xmlFreeDoc(ctxt->myDoc); /* the document node alone: no tree was built */
  ctxt->myDoc = NULL;
  xmlFreeParserCtxt(ctxt);
  int rc = c.oom ? MTPORT_ENOMEM : MTPORT_OK;
  size_t at = 0;
  for (size_t i = 0; i < c.n && !rc; i++) {
    if (c.spans[i].from < at)
      continue; /* never overlaps; a guard for odd positions */
    rc = mtport_buf_append(out, html + at, c.spans[i].from - at);
    at = c.spans[i].to > at ? c.spans[i].to : at;
  }
  if (!rc && c.cut_depth && c.cut_from >= at) {
    /* the input ended inside a removed element */
    rc = mtport_buf_append(out, html + at, c.cut_from - at);
    at = len;
    switch (c.cut_kind) {
    case K_SCRIPT:
      c.rep.scripts++;
      break;
    case K_STYLE:
      c.rep.styles++;
      break;
    case K_HEAD:
      c.rep.heads++;
      break;
    default:
      c.rep.trackers++;
    }
  }
  if (!rc && at < len)
    rc = mtport_buf_append(out, html + at, len - at);
  if (!rc && report) {
    report->scripts += c.rep.scripts;
    report->styles += c.rep.styles;
    report->heads += c.rep.heads;
    report->trackers += c.rep.trackers;
  }
  free(c.spans);
  free(c.attrs);
  free(c.texts);
  return rc;
}

int mtport_clean_report_format(const mtport_clean_report *r, mtport_buf *out) {
  const struct {
    unsigned long n;
    const char *one, *many;
  } k[] = {
      {r->scripts, "script", "scripts"},
      {r->styles, "style sheet", "style sheets"},
      {r->heads, "meta, link or base element", "meta, link and base elements"},
      {r->trackers, "tracking element", "tracking elements"}};
  int rc = MTPORT_OK, first = 1;
  for (size_t i = 0; i < sizeof k / sizeof *k && !rc; i++) {
    if (!k[i].n)
      continue;
    rc = mtport_buf_printf(out, "%s%lu %s", first ? "" : ", ", k[i].n,
                           k[i].n == 1 ? k[i].one : k[i].many);
    first = 0;
  }
  if (!rc && first)
    rc = mtport_buf_puts(out, "nothing");
  return rc;
}

int mtport_html_escape(mtport_buf *out, const char *s, size_t len) {
  int rc = MTPORT_OK;
  size_t from = 0;
  for (size_t i = 0; i < len && !rc; i++) {
    const char *e = s[i] == '&'   ? "&amp;"
                    : s[i] == '<' ? "&lt;"
                    : s[i] == '>' ? "&gt;"
                    : s[i] == '"' ? "&quot;"
                                  : NULL;
    if (!e)
      continue;
    rc = mtport_buf_append(out, s + from, i - from);
    if (!rc)
      rc = mtport_buf_puts(out, e);
    from = i + 1;
  }
  if (!rc && from < len)
    rc = mtport_buf_append(out, s + from, len - from);
  return rc;
}
