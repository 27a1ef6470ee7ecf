/* Atom importer (Atom 1.0, RFC 4287, and the Atom 0.3 draft MT 3.x wrote).
 *
 * Streams with libxml2's xmlTextReader: feed-level elements are read one at
 * a time, each <entry> is expanded into a small DOM, mapped, and skipped, so
 * memory is bounded by the largest entry. MT specifics (see
 * docs/mt-formats.md §1): tag vs category by the scheme suffix, the label
 * preferred over the term, numeric MT 3.x tag terms, the entry id inside the
 * atom id, xml:base on <content>, body and extended body joined. */
#include "reader_int.h"
#include "xmlcdata.h" /* CDATA as text: libxml2's reader is quadratic on it */
#include "xmltail.h"
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#define S_NS_ATOM10 "http://www.w3.org/2005/Atom"
#define S_NS_ATOM03 "http://purl.org/atom/ns#"
#define S_NS_DC "http://purl.org/dc/elements/1.1/"

typedef struct S_atom {
  mtport_reader *r;
  xmlTextReaderPtr xr;
  xmlDocPtr doc;   /* --recover only: the whole repaired document */
  int on_entry;    /* the reader is positioned on an <entry> start tag */
  int done;        /* end of document seen */
  int version03;   /* Atom 0.3 */
  char *doc_base;  /* fallback base for relative URLs: the blog's URL */
  char *feed_base; /* xml:base of <feed>, resolved */
  /* the last error libxml2 reported */
  char err_msg[512];
  unsigned long err_line, err_col;
  int err_level;
  unsigned long errors; /* errors seen in streaming (non-recover) mode */
  unsigned long repairs;
  mtport_buf tmp;
  mtport_xmltail tail;   /* where <feed> ends: libxml2 gets no byte after it */
  mtport_xmlcdata cdata; /* UTF-8 input: CDATA rewritten as text, */
  mtport_buf cd_out;     /* waiting here for libxml2 */
  size_t cd_pos;
  int cd_eof;
} S_atom;

/* libxml2 error callback: remember the error; in recover mode every error
 * is a repair and gets its own warning. */
static void S_on_error(void *arg, xmlErrorPtr e) {
  S_atom *a = arg;
  if (!e)
    return;
  size_t n = 0;
  const char *m = e->message ? e->message : "XML error";
  while (m[n] && m[n] != '\n' && n + 1 < sizeof a->err_msg)
    n++;
  memcpy(a->err_msg, m, n);
  a->err_msg[n] = '\0';
  a->err_line = e->line > 0 ? (unsigned long)e->line : 0;
  a->err_col = e->int2 > 0 ? (unsigned long)e->int2 : 0;
  a->err_level = e->level;
  if (e->level >= XML_ERR_ERROR)
    a->errors++;
  if ((a->r->opts.flags & MTPORT_READ_RECOVER) && e->level >= XML_ERR_ERROR) {
    a->repairs++;
    mtport_reader__diag(a->r, MTPORT_SEV_WARNING, "xml-repaired", a->err_line,
                        a->err_col, NULL, "recovered from malformed XML: %s",
                        a->err_msg);
  }
}

/* Hands libxml2 the document up to the end of <feed> only (xmltail.h);
 * the rest is read and checked here, and S_trailing reports it. */
static int S_io_raw(S_atom *a, char *buf, int len) {
  if (a->tail.root_done)
    return 0;
  long k = mtport_input__read(&a->r->in, buf, len > 0 ? (size_t)len : 0);
  if (k <= 0)
    return k < 0 ? -1 : 0;
  size_t keep = mtport_xmltail__scan(&a->tail, buf, (size_t)k);
  if (a->tail.prolog > MTPORT_XML_MAX_PROLOG)
    return mtport_input__refuse(&a->r->in, MTPORT_XML_PROLOG_WHY);
  char rest[4096];
  while (a->tail.root_done && !a->tail.junk &&
         (k = mtport_input__read(&a->r->in, rest, sizeof rest)) > 0)
    mtport_xmltail__scan(&a->tail, rest, (size_t)k);
  return (int)keep;
}

/* ... and, for UTF-8 input, through the CDATA filter (xmlcdata.h). */
static int S_io_read(void *ctx, char *buf, int len) {
  S_atom *a = ctx;
  if (!a->cdata.on)
    return S_io_raw(a, buf, len);
  while (a->cd_pos >= a->cd_out.len) {
    if (a->cd_eof)
      return 0;
    mtport_buf_clear(&a->cd_out);
    a->cd_pos = 0;
    int k = S_io_raw(a, buf, len); /* the caller's buffer as scratch */
    if (k < 0)
      return -1;
    int rc =
        k > 0 ? mtport_xmlcdata__filter(&a->cdata, buf, (size_t)k, &a->cd_out)
              : mtport_xmlcdata__finish(&a->cdata, &a->cd_out);
    if (rc == MTPORT_EPARSE)
      return mtport_input__refuse(&a->r->in, MTPORT_XML_ATTRS_WHY);
    if (rc != MTPORT_OK)
      return -1;
    a->cd_eof = k == 0;
  }
  size_t give = a->cd_out.len - a->cd_pos;
  if (give > (size_t)len)
    give = (size_t)len;
  memcpy(buf, a->cd_out.data + a->cd_pos, give);
  a->cd_pos += give;
  return (int)give;
}

/* At the end of the document: content after </feed>. */
static int S_trailing(S_atom *a) {
  if (!a->tail.junk)
    return 0;
  a->tail.junk = 0; /* reported once */
  if (a->r->opts.flags & MTPORT_READ_RECOVER) {
    mtport_reader__diag(a->r, MTPORT_SEV_WARNING, "trailing-content",
                        a->tail.junk_line, a->tail.junk_col, NULL,
                        "content after the end of <feed> is not part of the "
                        "feed; left out");
    return 0;
  }
  mtport_reader__diag(a->r, MTPORT_SEV_FATAL, "xml-syntax", a->tail.junk_line,
                      a->tail.junk_col, NULL,
                      "malformed XML: content after the end of <feed> (%lu "
                      "entr%s read before it; --recover keeps them)",
                      a->r->count, a->r->count == 1 ? "y" : "ies");
  return MTPORT_EPARSE;
}

static int S_io_close(void *ctx) { return 0; }

/* A sniff: an XML document whose first element is <feed>. */
static int S_sniff(const unsigned char *h, size_t n) {
  size_t i = 0;
  if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF)
    i = 3;
  while (i < n) {
    while (i < n &&
           (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n'))
      i++;
    if (i + 1 >= n || h[i] != '<')
      return 0;
    if (h[i + 1] == '?' || h[i + 1] == '!') { /* declaration, comment, DTD */
      const char *end = NULL;
      if (n - i >= 4 && memcmp(h + i, "<!--", 4) == 0) {
        for (size_t k = i + 4; k + 2 < n; k++)
          if (memcmp(h + k, "-->", 3) == 0) {
            end = (const char *)h + k + 2;
            break;
          }
      } else {
        /* a DOCTYPE's internal subset holds '>' of its own */
        const unsigned char *gt = memchr(h + i, '>', n - i);
        const unsigned char *br = memchr(h + i, '[', n - i);
        if (br && gt && br < gt) {
          const unsigned char *cl = memchr(br, ']', n - (size_t)(br - h));
          gt = cl ? memchr(cl, '>', n - (size_t)(cl - h)) : NULL;
        }
        end = (const char *)gt;
      }
      if (!end)
        return 0;
      i = (size_t)(end - (const char *)h) + 1;
      continue;
    }
    size_t k = i + 1;
    while (k < n && h[k] != ':' && h[k] != '>' && h[k] != ' ' && h[k] != '\n' &&
           h[k] != '\t' && h[k] != '\r' && h[k] != '/')
      k++;
    if (k < n && h[k] == ':') /* a prefixed root such as <atom:feed> */
      i = k;
    return (k - i - 1 == 4 && memcmp(h + i + 1, "feed", 4) == 0) ? 90 : 0;
  }
  return 0;
}

static int S_is_atom_ns(const xmlNode *n) {
  if (!n->ns || !n->ns->href)
    return 1; /* un-namespaced feeds exist in the wild */
  const char *h = (const char *)n->ns->href;
  return strcmp(h, S_NS_ATOM10) == 0 || strcmp(h, S_NS_ATOM03) == 0;
}

static int S_is(const xmlNode *n, const char *name) {
  return n->type == XML_ELEMENT_NODE &&
         strcmp((const char *)n->name, name) == 0 && S_is_atom_ns(n);
}

static int S_is_dc(const xmlNode *n, const char *name) {
  return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
         strcmp((const char *)n->ns->href, S_NS_DC) == 0 &&
         strcmp((const char *)n->name, name) == 0;
}

static char *S_attr(const xmlNode *n, const char *name) {
  return (char *)xmlGetProp(n, (const xmlChar *)name);
}

/* Text content with surrounding whitespace trimmed. Caller frees. */
static char *S_text_trim(const xmlNode *n) {
  char *s = (char *)xmlNodeGetContent(n);
  if (!s)
    return NULL;
  size_t b = 0, e = strlen(s);
  while (b < e && strchr(" \t\r\n", s[b]))
    b++;
  while (e > b && strchr(" \t\r\n", s[e - 1]))
    e--;
  memmove(s, s + b, e - b);
  s[e - b] = '\0';
  return s;
}

/* The xml:base in effect at @n, resolved from the outermost ancestor in,
 * starting from the feed's own base. Caller frees. */
static char *S_base_of(S_atom *a, const xmlNode *n) {
  const xmlNode *chain[64];
  size_t k = 0;
  for (const xmlNode *p = n; p && p->type == XML_ELEMENT_NODE && k < 64;
       p = p->parent) {
    if (p->parent && p->parent->type == XML_DOCUMENT_NODE)
      break; /* <feed>: already in feed_base */
    chain[k++] = p;
  }
  char *base = mtport__strdup(a->feed_base ? a->feed_base : a->doc_base);
  while (k-- > 0) {
    xmlChar *xb =
        xmlGetNsProp(chain[k], (const xmlChar *)"base", XML_XML_NAMESPACE);
    if (xb) {
      char *nb = mtport_url_resolve(base, (const char *)xb);
      xmlFree(xb);
      free(base);
      base = nb;
    }
  }
  return base;
}

/* Serializes the children of @n (inline XHTML content). Caller frees. */
static char *S_inner_xml(const xmlNode *n) {
  xmlBufferPtr b = xmlBufferCreate();
  if (!b)
    return NULL;
  for (xmlNode *c = n->children; c; c = c->next)
    xmlNodeDump(b, n->doc, c, 0, 0);
  char *s = mtport__strndup((const char *)xmlBufferContent(b),
                            (size_t)xmlBufferLength(b));
  xmlBufferFree(b);
  return s;
}

/* Decodes base64 (Atom 0.3 mode="base64"). Caller frees. */
static char *S_unbase64(const char *s) {
  size_t n = strlen(s);
  char *out = malloc(n / 4 * 3 + 4);
  if (!out)
    return NULL;
  unsigned v = 0;
  int bits = 0;
  size_t o = 0;
  for (; *s; s++) {
    int d;
    char c = *s;
    if (c >= 'A' && c <= 'Z')
      d = c - 'A';
    else if (c >= 'a' && c <= 'z')
      d = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      d = c - '0' + 52;
    else if (c == '+')
      d = 62;
    else if (c == '/')
      d = 63;
    else
      continue;
    v = (v << 6) | (unsigned)d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (char)((v >> bits) & 0xFF);
    }
  }
  out[o] = '\0';
  return out;
}

/* Reads a text construct (title, summary, content) into text/format. */
static int S_read_text(S_atom *a, const xmlNode *n, char **out,
                       mtport_text_format *fmt) {
  char *type = S_attr(n, "type");
  char *mode = S_attr(n, "mode");
  const char *t = type ? type : "text";
  *out = NULL;
  if (strcmp(t, "xhtml") == 0 || strcmp(t, "application/xhtml+xml") == 0 ||
      (mode && strcmp(mode, "xml") == 0)) {
    /* Atom 1.0 xhtml wraps the markup in one <div>; take what is inside */
    const xmlNode *div = NULL;
    for (const xmlNode *c = n->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE) {
        div = div ? NULL : c;
        if (!div)
          break;
      }
    if (div && strcmp((const char *)div->name, "div") == 0)
      *out = S_inner_xml(div);
    else
      *out = S_inner_xml(n);
    *fmt = MTPORT_TEXT_HTML;
  } else {
    char *s = (char *)xmlNodeGetContent(n);
    if (mode && strcmp(mode, "base64") == 0 && s) {
      char *d = S_unbase64(s);
      xmlFree(s);
      s = d ? (char *)xmlStrdup((xmlChar *)d) : NULL;
      free(d);
    }
    /* whitespace around the markup (around CDATA sections) is layout */
    const char *b = s ? s : "";
    size_t e = strlen(b);
    while (*b == ' ' || *b == '\t' || *b == '\r' || *b == '\n')
      b++, e--;
    while (e && (b[e - 1] == ' ' || b[e - 1] == '\t' || b[e - 1] == '\r' ||
                 b[e - 1] == '\n'))
      e--;
    *out = mtport__strndup(b, e);
    xmlFree(s);
    *fmt =
        (strcmp(t, "html") == 0 || strcmp(t, "text/html") == 0 ||
         (mode && strcmp(mode, "escaped") == 0 && strcmp(t, "text/plain") != 0))
            ? MTPORT_TEXT_HTML
            : MTPORT_TEXT_PLAIN;
  }
  xmlFree(type);
  xmlFree(mode);
  return *out ? MTPORT_OK : MTPORT_ENOMEM;
}

/* MT atom ids end in "/<blog>.<entry>": the entry id is the last number. */
static long long S_entry_id(const char *id) {
  if (!id || strncmp(id, "tag:", 4) != 0)
    return 0;
  const char *slash = strrchr(id, '/');
  if (!slash)
    return 0;
  const char *dot = strchr(slash, '.');
  if (!dot || !dot[1])
    return 0;
  for (const char *p = slash + 1; p < dot; p++)
    if (*p < '0' || *p > '9')
      return 0;
  long long v = 0;
  for (const char *p = dot + 1; *p; p++) {
    if (*p < '0' || *p > '9' || v > 100000000000000LL)
      return 0;
    v = v * 10 + (*p - '0');
  }
  return v;
}

static int S_all_digits(const char *s) {
  if (!s || !*s)
    return 0;
  for (; *s; s++)
    if (*s < '0' || *s > '9')
      return 0;
  return 1;
}

/* Ends-with for scheme suffixes. */
static int S_ends(const char *s, const char *suf) {
  size_t n = strlen(s), k = strlen(suf);
  return n >= k && strcmp(s + n - k, suf) == 0;
}

/* Reports a string the model had to repair. */
static void S_repaired(S_atom *a, int rc, const mtport_post *p,
                       const char *what) {
  if (rc > 0)
    mtport_reader__diag(a->r, MTPORT_SEV_WARNING, "invalid-text", 0, 0, p,
                        "%d invalid or control character(s) removed from %s",
                        rc, what);
}

static int S_date(S_atom *a, mtport_post *p, const xmlNode *n, mtport_time *t,
                  const char *what) {
  char *s = S_text_trim(n);
  if (!s)
    return MTPORT_ENOMEM;
  if (mtport_time_parse_iso(t, s) != MTPORT_OK) {
    mtport_reader__diag(
        a->r, MTPORT_SEV_WARNING, "bad-date", mtport_xml__line(n), 0, p,
        "unreadable %s date '%.40s'; kept as an extra field", what, s);
    mtport_post_add_extra(p, what, s);
  }
  xmlFree(s);
  return MTPORT_OK;
}

static int S_map_entry(S_atom *a, const xmlNode *e, mtport_post *p) {
  int rc = 0;
  mtport_time created = {0, 0, 0, 0};
  p->status = MTPORT_STATUS_PUBLISH;
  for (const xmlNode *n = e->children; n && rc >= 0; n = n->next) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    if (S_is(n, "title")) {
      char *s;
      mtport_text_format f;
      if ((rc = S_read_text(a, n, &s, &f)) < 0)
        break;
      /* titles stay in HTML form (as MT stores them); plain ones escaped */
      if (f == MTPORT_TEXT_PLAIN && (strchr(s, '<') || strchr(s, '&'))) {
        mtport_buf_clear(&a->tmp);
        for (const char *c = s; *c; c++)
          rc |= *c == '<'   ? mtport_buf_puts(&a->tmp, "&lt;")
                : *c == '&' ? mtport_buf_puts(&a->tmp, "&amp;")
                            : mtport_buf_putc(&a->tmp, *c);
        rc = mtport_set_str(&p->title, a->tmp.data, a->tmp.len);
      } else
        rc = mtport_set_str(&p->title, s, (size_t)-1);
      free(s);
      S_repaired(a, rc, p, "the title");
    } else if (S_is(n, "id")) {
      char *s = S_text_trim(n);
      rc = mtport_set_str(&p->source_id, s, (size_t)-1);
      p->entry_id = S_entry_id(p->source_id);
      xmlFree(s);
    } else if (S_is(n, "link")) {
      char *rel = S_attr(n, "rel"), *href = S_attr(n, "href");
      if (href) {
        char *base = S_base_of(a, n);
        char *abs = mtport_url_resolve(base, href);
        if (!rel || strcmp(rel, "alternate") == 0) {
          if (!p->permalink)
            rc = mtport_set_str(&p->permalink, abs, (size_t)-1);
        } else {
          char key[96];
          snprintf(key, sizeof key, "link:%.80s", rel);
          rc = mtport_post_add_extra(p, key, abs);
        }
        free(base);
        free(abs);
      }
      xmlFree(rel);
      xmlFree(href);
    } else if (S_is(n, "published") || S_is(n, "issued")) {
      rc = S_date(a, p, n, &p->published, (const char *)n->name);
    } else if (S_is(n, "updated") || S_is(n, "modified")) {
      rc = S_date(a, p, n, &p->updated, (const char *)n->name);
    } else if (S_is(n, "created")) {
      rc = S_date(a, p, n, &created, "created");
    } else if (S_is(n, "author")) {
      char *name = NULL, *email = NULL, *uri = NULL;
      for (const xmlNode *c = n->children; c; c = c->next) {
        char **dst = S_is(c, "name")                      ? &name
                     : S_is(c, "email")                   ? &email
                     : (S_is(c, "uri") || S_is(c, "url")) ? &uri
                                                          : NULL;
        if (dst && !*dst)
          *dst = S_text_trim(c);
      }
      if (name && !*name) {
        xmlFree(name);
        name = NULL;
      }
      if (name || email || uri)
        rc = mtport_post_add_author(p, name, email, uri);
      xmlFree(name);
      xmlFree(email);
      xmlFree(uri);
    } else if (S_is(n, "category")) {
      char *term = S_attr(n, "term"), *label = S_attr(n, "label"),
           *scheme = S_attr(n, "scheme");
      const char *name = label && *label ? label : term;
      if (name && *name) {
        /* MT 3.x writes numeric tag ids as terms: not a slug */
        const char *slug = label && term && !S_all_digits(term) ? term : NULL;
        if (scheme && S_ends(scheme, "#tag"))
          rc = mtport_post_add_tag(p, name, slug);
        else
          rc = mtport_post_add_category(p, name, NULL, NULL, 0);
      }
      xmlFree(term);
      xmlFree(label);
      xmlFree(scheme);
    } else if (S_is_dc(n, "subject")) {
      char *s = S_text_trim(n);
      if (s && *s)
        rc = mtport_post_add_category(p, s, NULL, NULL, 0);
      xmlFree(s);
    } else if (S_is(n, "summary") || S_is(n, "content")) {
      int is_content = S_is(n, "content");
      char *src = is_content ? S_attr(n, "src") : NULL;
      if (src) { /* out-of-line content: nothing to import but its URL */
        rc = mtport_post_add_extra(p, "content-src", src);
        xmlFree(src);
        continue;
      }
      char *s;
      mtport_text_format f;
      if ((rc = S_read_text(a, n, &s, &f)) < 0)
        break;
      mtport_text *t = is_content ? &p->body : &p->excerpt;
      char *base = S_base_of(a, n);
      if (f == MTPORT_TEXT_HTML && base) {
        mtport_buf_clear(&a->tmp);
        rc = mtport_html_absolutize(&a->tmp, s, strlen(s), base);
        if (rc == MTPORT_OK)
          rc = mtport_text_set(t, a->tmp.data, a->tmp.len, f, NULL);
      } else
        rc = mtport_text_set(t, s, (size_t)-1, f, NULL);
      S_repaired(a, rc, p, is_content ? "the body" : "the summary");
      if (rc >= 0)
        rc = mtport_set_str(&t->base, base, (size_t)-1);
      free(base);
      free(s);
      if (is_content && rc >= 0) {
        char *lang = (char *)xmlNodeGetLang(n);
        if (lang)
          mtport_post_add_extra(p, "language", lang);
        xmlFree(lang);
      }
    } else {
      /* keep what the model has no field for, so nothing is lost silently */
      char key[160];
      if (n->ns && n->ns->prefix)
        snprintf(key, sizeof key, "%.60s:%.90s", n->ns->prefix, n->name);
      else
        snprintf(key, sizeof key, "%.150s", n->name);
      char *s = S_text_trim(n);
      if (s && *s)
        rc = mtport_post_add_extra(p, key, s);
      xmlFree(s);
    }
  }
  if (rc < 0)
    return rc;
  if (!p->published.has_date)
    p->published = created.has_date ? created : p->updated;
  if (!p->source_id || !*p->source_id) {
    mtport_reader__diag(a->r, MTPORT_SEV_WARNING, "missing-id", 0, 0, p,
                        "entry has no <id>; its permalink stands in");
    mtport_set_str(&p->source_id, p->permalink, (size_t)-1);
  }
  return MTPORT_OK;
}

/* Reports a fatal XML error after @count entries. */
static int S_fatal_xml(S_atom *a) {
  if (a->r->in.error) {
    mtport_reader__diag(a->r, MTPORT_SEV_FATAL, "read-failed", 0, 0, NULL,
                        "cannot read: %s (%lu entr%s read before it)",
                        mtport_input__why(&a->r->in), a->r->count,
                        a->r->count == 1 ? "y" : "ies");
    return MTPORT_EIO;
  }
  mtport_reader__diag(a->r, MTPORT_SEV_FATAL, "xml-syntax", a->err_line,
                      a->err_col, NULL,
                      "malformed XML: %s (%lu entr%s read before it; "
                      "--recover may repair it)",
                      a->err_msg[0] ? a->err_msg : "unexpected end of input",
                      a->r->count, a->r->count == 1 ? "y" : "ies");
  return MTPORT_EPARSE;
}

/* Feed-level element: fill the site record. */
static int S_map_feed_child(S_atom *a, xmlNode *n) {
  mtport_site *s = a->r->site;
  int rc = 0;
  if (S_is(n, "title") && !s->title) {
    char *t = S_text_trim(n);
    rc = mtport_set_str(&s->title, t, (size_t)-1);
    xmlFree(t);
  } else if ((S_is(n, "subtitle") || S_is(n, "tagline")) && !s->description) {
    char *t = S_text_trim(n);
    rc = mtport_set_str(&s->description, t, (size_t)-1);
    xmlFree(t);
  } else if (S_is(n, "id") && !s->id) {
    char *t = S_text_trim(n);
    rc = mtport_set_str(&s->id, t, (size_t)-1);
    xmlFree(t);
  } else if (S_is(n, "link")) {
    char *rel = S_attr(n, "rel"), *href = S_attr(n, "href");
    if (href) {
      char *abs = mtport_url_resolve(a->feed_base, href);
      if ((!rel || strcmp(rel, "alternate") == 0) && !s->home_url)
        rc = mtport_set_str(&s->home_url, abs, (size_t)-1);
      else if (rel && strcmp(rel, "self") == 0 && !s->feed_url)
        rc = mtport_set_str(&s->feed_url, abs, (size_t)-1);
      free(abs);
    }
    xmlFree(rel);
    xmlFree(href);
  } else if ((S_is(n, "updated") || S_is(n, "modified")) &&
             !s->updated.has_date) {
    char *t = S_text_trim(n);
    if (t && mtport_time_parse_iso(&s->updated, t) != MTPORT_OK)
      mtport_reader__diag(a->r, MTPORT_SEV_WARNING, "bad-date",
                          mtport_xml__line(n), 0, NULL,
                          "unreadable feed date '%.40s'", t);
    xmlFree(t);
  } else if (S_is(n, "generator") && !s->generator) {
    char *t = S_text_trim(n), *v = S_attr(n, "version");
    mtport_buf_clear(&a->tmp);
    rc = mtport_buf_puts(&a->tmp, t ? t : "");
    if (v && t && !strstr(t, v))
      rc |= mtport_buf_printf(&a->tmp, " %s", v);
    if (rc == 0)
      rc = mtport_set_str(&s->generator, a->tmp.data, a->tmp.len);
    xmlFree(t);
    xmlFree(v);
  }
  return rc < 0 ? rc : MTPORT_OK;
}

/* Advances to the next <entry> start tag at depth 1, reading feed metadata
 * on the way. Returns 1 on an entry, 0 at the end, negative on error. */
static int S_advance(S_atom *a) {
  for (;;) {
    int k = xmlTextReaderRead(a->xr);
    if (k == 0) {
      a->done = 1;
      return S_trailing(a);
    }
    if (k < 0)
      return S_fatal_xml(a);
    int type = xmlTextReaderNodeType(a->xr);
    if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
      xmlDtdPtr dtd = (xmlDtdPtr)xmlTextReaderCurrentNode(a->xr);
      if (dtd && dtd->entities)
        mtport_reader__diag(
            a->r, MTPORT_SEV_WARNING, "external-entity",
            (unsigned long)xmlTextReaderGetParserLineNumber(a->xr), 0, NULL,
            "the document declares entities; external ones are never "
            "loaded and their references are left out");
    }
    if (type != XML_READER_TYPE_ELEMENT)
      continue;
    int depth = xmlTextReaderDepth(a->xr);
    if (depth == 0) {
      xmlNode *root = xmlTextReaderCurrentNode(a->xr);
      if (!S_is(root, "feed")) {
        mtport_reader__diag(
            a->r, MTPORT_SEV_FATAL, "not-atom",
            (unsigned long)xmlTextReaderGetParserLineNumber(a->xr), 0, NULL,
            "the root element is <%s>, not an Atom <feed>",
            (const char *)root->name);
        return MTPORT_EPARSE;
      }
      if (root->ns && root->ns->href &&
          strcmp((const char *)root->ns->href, S_NS_ATOM03) == 0)
        a->version03 = 1;
      char *lang = (char *)xmlNodeGetLang(root);
      if (lang)
        mtport_set_str(&a->r->site->language, lang, (size_t)-1);
      xmlFree(lang);
      xmlChar *xb =
          xmlGetNsProp(root, (const xmlChar *)"base", XML_XML_NAMESPACE);
      if (xb) {
        free(a->feed_base);
        a->feed_base = mtport__strdup((const char *)xb);
        xmlFree(xb);
      }
      continue;
    }
    if (depth != 1)
      continue;
    xmlNode *n = xmlTextReaderCurrentNode(a->xr);
    if (S_is(n, "entry"))
      return 1;
    xmlNode *full = xmlTextReaderExpand(a->xr);
    if (!full)
      return S_fatal_xml(a);
    int rc = S_map_feed_child(a, full);
    if (rc < 0)
      return rc;
    if (xmlTextReaderNext(a->xr) < 0)
      return S_fatal_xml(a);
    /* Next() moved onto the following node: look at it without reading */
    while (xmlTextReaderNodeType(a->xr) == XML_READER_TYPE_ELEMENT &&
           xmlTextReaderDepth(a->xr) == 1) {
      n = xmlTextReaderCurrentNode(a->xr);
      if (S_is(n, "entry"))
        return 1;
      full = xmlTextReaderExpand(a->xr);
      if (!full)
        return S_fatal_xml(a);
      if ((rc = S_map_feed_child(a, full)) < 0)
        return rc;
      if (xmlTextReaderNext(a->xr) < 0)
        return S_fatal_xml(a);
    }
  }
}

/* Finds @needle in [p, end). */
static const char *S_find(const char *p, const char *end, const char *needle) {
  size_t k = strlen(needle);
  for (; p + k <= end; p++)
    if (*p == needle[0] && memcmp(p, needle, k) == 0)
      return p;
  return NULL;
}

/* Parses one piece of the feed wrapped in the feed's own start tag, so its
 * namespaces apply, with libxml2's recovery. */
static xmlDocPtr S_parse_piece(S_atom *a, mtport_buf *w, const char *root,
                               size_t root_n, const char *p, size_t n,
                               unsigned long line) {
  mtport_buf_clear(w);
  /* pad with newlines so libxml2's line numbers match the file */
  for (unsigned long i = 1; i < line; i++)
    mtport_buf_putc(w, '\n');
  mtport_buf_append(w, root, root_n);
  mtport_buf_append(w, p, n);
  mtport_buf_puts(w, "</feed>");
  if (!w->data)
    return NULL;
  return xmlReadMemory(w->data, (int)w->len, NULL, "UTF-8",
                       mtport_xml__parser_options(a->r->opts.flags) |
                           XML_PARSE_NODICT);
}

/* --recover: libxml2's streaming reader stops at the first error even in
 * recover mode, and recovering the whole document at once lets one unclosed
 * tag swallow every later entry. So the input is read whole (recovery is for
 * small broken feeds), cut at <entry> boundaries, each piece recovered on its
 * own, and the pieces assembled into one tree that the reader then walks. */
static int S_recover_doc(S_atom *a) {
  mtport_buf all = MTPORT_BUF_INIT, w = MTPORT_BUF_INIT;
  char chunk[65536];
  long k;
  while ((k = mtport_input__read(&a->r->in, chunk, sizeof chunk)) > 0)
    if (mtport_buf_append(&all, chunk, (size_t)k)) {
      mtport_buf_dispose(&all);
      return MTPORT_ENOMEM;
    }
  if (k < 0 || !all.data) {
    mtport_buf_dispose(&all);
    return S_fatal_xml(a);
  }
  /* Recovery assumes UTF-8 (the pieces lose the XML declaration): repair
   * invalid bytes and raw control characters first, with one warning. */
  {
    mtport_buf clean = MTPORT_BUF_INIT;
    int fixes = mtport_utf8_sanitize(&clean, all.data, all.len);
    if (fixes < 0 || !clean.data) {
      mtport_buf_dispose(&clean);
      mtport_buf_dispose(&all);
      return MTPORT_ENOMEM;
    }
    if (fixes > 0)
      mtport_reader__diag(a->r, MTPORT_SEV_WARNING, "invalid-utf8", 0, 0, NULL,
                          "%d invalid UTF-8 sequence(s) or control "
                          "character(s) replaced or removed",
                          fixes);
    mtport_buf_dispose(&all);
    all = clean;
  }
  /* only the document up to </feed> is recovered; the rest is reported */
  size_t doc_len = mtport_xmltail__scan(&a->tail, all.data, all.len);
  const char *end = all.data + doc_len;
  const char *root = S_find(all.data, end, "<feed");
  const char *root_end = root ? memchr(root, '>', (size_t)(end - root)) : NULL;
  if (!root_end) {
    a->doc = xmlReadMemory(all.data, (int)all.len, NULL, NULL,
                           mtport_xml__parser_options(a->r->opts.flags));
    mtport_buf_dispose(&all);
    if (!a->doc)
      return S_fatal_xml(a);
    a->xr = xmlReaderWalker(a->doc);
    return a->xr ? MTPORT_OK : MTPORT_ENOMEM;
  }
  root_end++;
  size_t root_n = (size_t)(root_end - root);
  int rc = MTPORT_OK;
  const char *first = S_find(root_end, end, "<entry");
  const char *head_end = first ? first : end;
  unsigned long line = 1;
  for (const char *q = all.data; q < root; q++)
    line += *q == '\n';
  a->doc = S_parse_piece(a, &w, root, root_n, root_end,
                         (size_t)(head_end - root_end), line);
  xmlNodePtr feed = a->doc ? xmlDocGetRootElement(a->doc) : NULL;
  if (!feed)
    rc = S_fatal_xml(a);
  for (const char *q = root; q < root_end; q++)
    line += *q == '\n';
  const char *lp = root_end; /* line counted up to here */
  for (const char *e = first; rc == MTPORT_OK && e;) {
    const char *close = S_find(e, end, "</entry>");
    const char *next = S_find(e + 6, end, "<entry");
    const char *stop = close ? close + 8 : end;
    if (next && next < stop) /* an entry that never closes */
      stop = next;
    for (; lp < e; lp++)
      line += *lp == '\n';
    xmlDocPtr d =
        S_parse_piece(a, &w, root, root_n, e, (size_t)(stop - e), line);
    xmlNodePtr pr = d ? xmlDocGetRootElement(d) : NULL;
    for (xmlNodePtr c = pr ? pr->children : NULL; c;) {
      xmlNodePtr nx = c->next;
      if (c->type == XML_ELEMENT_NODE) {
        xmlUnlinkNode(c);
        xmlDOMWrapAdoptNode(NULL, d, c, a->doc, feed, 0);
        xmlAddChild(feed, c);
      }
      c = nx;
    }
    xmlFreeDoc(d);
    e = next && next >= stop ? next : S_find(stop, end, "<entry");
  }
  mtport_buf_dispose(&w);
  mtport_buf_dispose(&all);
  if (rc != MTPORT_OK)
    return rc;
  a->xr = xmlReaderWalker(a->doc);
  return a->xr ? MTPORT_OK : MTPORT_ENOMEM;
}

static void S_close(void *state) {
  S_atom *a = state;
  if (!a)
    return;
  xmlFreeTextReader(a->xr);
  xmlFreeDoc(a->doc);
  free(a->doc_base);
  free(a->feed_base);
  mtport_buf_dispose(&a->tmp);
  mtport_buf_dispose(&a->cd_out);
  free(a);
}

static int S_open(mtport_reader *r, void **state) {
  S_atom *a = calloc(1, sizeof *a);
  if (!a)
    return MTPORT_ENOMEM;
  a->r = r;
  *state = a;
  mtport_xmltail__init(&a->tail, r->in.head, r->in.head_len);
  mtport_xmlcdata__init(&a->cdata,
                        mtport_xml__is_utf8_doc(r->in.head, r->in.head_len));
  if (r->opts.flags & MTPORT_READ_RECOVER) {
    /* libxml2's streaming reader stops at the first error even in recover
     * mode, so --recover parses the whole (broken, usually small) document
     * into a tree and walks it with the same reader interface. */
    xmlSetStructuredErrorFunc(a, S_on_error); /* thread-local in libxml2 */
    int rc = S_recover_doc(a);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (rc < 0) {
      S_close(a);
      *state = NULL;
      return rc;
    }
  } else
    a->xr = xmlReaderForIO(S_io_read, S_io_close, a, NULL, NULL,
                           mtport_xml__parser_options(r->opts.flags));
  if (!a->xr) {
    S_close(a);
    *state = NULL;
    return MTPORT_ENOMEM;
  }
  if (!a->doc)
    xmlTextReaderSetStructuredErrorHandler(a->xr, S_on_error, a);
  int k = S_advance(a);
  if (k < 0) {
    S_close(a);
    *state = NULL;
    return k;
  }
  a->on_entry = k == 1;
  mtport_site *s = r->site;
  if (!s->home_url && r->opts.site_url)
    mtport_set_str(&s->home_url, r->opts.site_url, (size_t)-1);
  if (s->home_url) {
    char *abs = mtport_url_resolve(a->feed_base, s->home_url);
    mtport_set_str(&s->home_url, abs, (size_t)-1);
    free(abs);
  }
  /* the document base for relative xml:base values: the blog's URL */
  a->doc_base = mtport__strdup(s->home_url ? s->home_url : s->feed_url);
  if (a->feed_base) {
    char *fb = mtport_url_resolve(a->doc_base, a->feed_base);
    free(a->feed_base);
    a->feed_base = fb;
  }
  /* MT puts the blog language only on <content xml:lang>: peek at it */
  if (a->on_entry && !s->language) {
    xmlNode *e = xmlTextReaderExpand(a->xr);
    for (xmlNode *c = e ? e->children : NULL; c; c = c->next)
      if (S_is(c, "content")) {
        char *lang = (char *)xmlNodeGetLang(c);
        if (lang)
          mtport_set_str(&s->language, lang, (size_t)-1);
        xmlFree(lang);
        break;
      }
  }
  return MTPORT_OK;
}

static int S_next(mtport_reader *r, void *state, mtport_post *p) {
  S_atom *a = state;
  if (!a->on_entry) {
    if (a->done)
      return S_trailing(a);
    int k = S_advance(a);
    if (k <= 0)
      return k;
  }
  a->on_entry = 0;
  unsigned long errors_before = a->errors;
  xmlNode *e = xmlTextReaderExpand(a->xr);
  if (!e || (a->errors > errors_before && !a->doc))
    return S_fatal_xml(a);
  /* where <entry> starts, not the read-ahead */
  p->origin.line = mtport_xml__line(e);
  int rc = S_map_entry(a, e, p);
  if (rc < 0)
    return rc;
  /* Skip the subtree; the reader frees it as it moves on. */
  int k = xmlTextReaderNext(a->xr);
  /* An error inside the entry leaves a partial tree: never yield it. The
   * entry is whole when the reader got past its end; hitting the end of
   * input after an error means it was cut short. */
  if (k < 0 || (k == 0 && a->errors && !a->doc))
    return S_fatal_xml(a);
  if (k == 1 && xmlTextReaderNodeType(a->xr) == XML_READER_TYPE_ELEMENT &&
      xmlTextReaderDepth(a->xr) == 1 &&
      S_is(xmlTextReaderCurrentNode(a->xr), "entry"))
    a->on_entry = 1; /* already standing on the next entry */
  else if (k == 0)
    a->done = 1; /* content after </feed> is reported on the next call */
  else if (xmlTextReaderNodeType(a->xr) == XML_READER_TYPE_ELEMENT &&
           xmlTextReaderDepth(a->xr) == 1) {
    /* a feed-level element after an entry: handle it through S_advance by
     * stepping back into its loop on the next call */
    xmlNode *full = xmlTextReaderExpand(a->xr);
    if (full)
      S_map_feed_child(a, full);
  }
  return 1;
}

const mtport_importer mtport_importer_atom = {
    "atom",  "Movable Type Atom feed (Atom 1.0 and the Atom 0.3 of MT 3.x)",
    S_sniff, S_open,
    S_next,  S_close};
