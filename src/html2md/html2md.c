/* HTML to Markdown: libxml2 DOM -> cmark-gfm tree (the one pivot) ->
 * idiomatic Markdown, then the proof: the Markdown is parsed back with
 * cmark-gfm and compared with the tree, and what it renders is compared
 * with the source DOM. A block that fails is written as raw HTML. */
#include "html2md_int.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define S_MAX_DEPTH 64 /* nested containers before we keep raw HTML */

void mtport_md_report_dispose(mtport_md_report *r) {
  if (r)
    mtport_buf_dispose(&r->findings);
}

/* ------------------------------------------------------------------ */
/* DOM pre-pass: mark elements that contain block-level content.       */

/* Caches every element's class in _private and marks the elements that
 * contain block-level content (MTPORT_MD_HAS_BLOCK), and where text shows
 * in a monospace font (MTPORT_MD_MONO...). */
static void S_mark_blocks(xmlDocPtr doc) {
  xmlNode *n = doc->children;
  while (n) {
    int cls = -1;
    if (n->type == XML_ELEMENT_NODE) {
      n->_private = NULL;
      cls = mtport_md__class_uncached(n);
      n->_private = (void *)(uintptr_t)(cls + 1);
      mtport_md__mono_enter(n);
    }
    if (n->type == XML_ELEMENT_NODE && n->children && cls != H_REMOVE &&
        cls != H_DROP) {
      n = n->children;
      continue;
    }
    for (;;) {
      mtport_md__mono_leave(n);
      if (n->type == XML_ELEMENT_NODE && n->parent &&
          n->parent->type == XML_ELEMENT_NODE) {
        uintptr_t v = (uintptr_t)n->_private;
        int c = (int)(v & 0xff) - 1;
        if (c != H_REMOVE && c != H_DROP &&
            ((v & MTPORT_MD_HAS_BLOCK) || mtport_md__is_blocky(n)))
          n->parent->_private =
              (void *)((uintptr_t)n->parent->_private | MTPORT_MD_HAS_BLOCK);
      }
      if (n->next) {
        n = n->next;
        break;
      }
      n = n->parent;
      if (!n || n == (xmlNode *)doc) {
        n = NULL;
        break;
      }
    }
  }
}

#define S_HAS(n) (((uintptr_t)(n)->_private & MTPORT_MD_HAS_BLOCK) != 0)

/* ------------------------------------------------------------------ */
/* Builder state.                                                      */

enum { CTX_PARA, CTX_HEADING, CTX_CELL };
enum {
  FR_NONE,      /* nothing to undo */
  FR_BREAK,     /* block box: close paragraphs around it */
  FR_PARA,      /* explicit p / h */
  FR_CONTAINER, /* blockquote, list, item: restore block */
  FR_TABLE,
  FR_ROW,
  FR_CELL,
  FR_INLINE, /* em, strong, del, a: lazily created */
  FR_TRANS,  /* transparent inline */
  FR_RAWTAGS /* raw open tag written; close tag on exit */
};

typedef struct {
  xmlNode *el;
  int kind;
  cmark_node *node;  /* created node (NULL while pending) */
  cmark_node *saved; /* block container to restore */
  cmark_node_type type;
  char *url, *title; /* for pending links */
  int kraw;          /* opened a kramdown raw-content element */
} S_frame;

typedef struct {
  cmark_node *node;
  xmlNode *first, *last;
  int implicit;    /* an implicit paragraph: wrap in <p> for raw fallback */
  int state;       /* 0 converted, 1 raw inline formatting, 2 raw HTML */
  int diff;        /* counted as a difference */
  unsigned quirks; /* S_quirk_table entries written knowingly */
  mtport_buf md;
} S_blk;

typedef struct {
  const char *base;
  unsigned flags;
  mtport_md_report *rep;
  cmark_node *doc, *block, *para, *inl;
  int ctx;
  xmlNode *para_el;
  mtport_buf text;
  int space, line_start;
  S_frame *fr;
  size_t nfr, capfr, pending; /* pending: index of first lazy frame */
  int inline_depth, raw_depth, depth;
  int kraw_depth; /* inside elements whose content kramdown shows raw */
  xmlNode *skip;  /* the walk goes on after this sibling (a run of
                     monospace blocks made one code block) */
  int pipe_seen;  /* a '|' in text, alt or a link: S_piped may find one */
  xmlNode *top_child;
  S_blk *blk;
  size_t nblk, capblk;
  cmark_node *table;
  int rc;
  size_t in_len;                            /* the body's HTML length */
  mtport_md__arena tree_arena, parse_arena; /* see html2md_int.h */
  cmark_mem *tree_mem, *parse_mem;          /* the arenas' or cmark's default */
  int arenas;
} S_conv;

/* Arenas keep a whole parse's garbage until the parse is done: fine for
 * blog-post sized bodies, too much for huge ones, which use malloc. */
#define S_ARENA_MAX_INPUT ((size_t)1 << 20)

#define S_NONE ((size_t)-1)

static cmark_node *S_new(S_conv *c, cmark_node_type t) {
  cmark_node *n;
  cmark_mem *mem = c->tree_mem;
  /* Cells get no extension: its opaque data for cells is never freed by
   * cmark-gfm 0.29 (a leak); rows and tables need theirs. */
  if (t == CMARK_NODE_TABLE || t == CMARK_NODE_TABLE_ROW)
    n = cmark_node_new_with_mem_and_ext(t, mem, mtport_md__ext_table());
  else if (t == CMARK_NODE_STRIKETHROUGH)
    n = cmark_node_new_with_mem_and_ext(t, mem, mtport_md__ext_strike());
  else {
    n = cmark_node_new_with_mem(t, mem);
    if (n && t == CMARK_NODE_TABLE_CELL)
      cmark_node_set_syntax_extension(n, mtport_md__ext_table());
  }
  if (!n)
    c->rc = MTPORT_ENOMEM;
  return n;
}

static cmark_node *S_new_lit(S_conv *c, cmark_node_type t, const char *s) {
  cmark_node *n = S_new(c, t);
  if (n)
    cmark_node_set_literal(n, s);
  return n;
}

static void S_flush_text(S_conv *c) {
  if (!c->text.len || !c->inl) {
    mtport_buf_clear(&c->text);
    return;
  }
  if (!c->pipe_seen && memchr(c->text.data, '|', c->text.len))
    c->pipe_seen = 1;
  cmark_node *last = cmark_node_last_child(c->inl);
  if (last && cmark_node_get_type(last) == CMARK_NODE_TEXT) {
    /* Only after a moved-out break or merge; rare, so concatenate. */
    mtport_buf t = MTPORT_BUF_INIT;
    mtport_md__puts(&t, cmark_node_get_literal(last));
    mtport_md__append(&t, c->text.data, c->text.len);
    cmark_node_set_literal(last, t.data ? t.data : "");
    mtport_buf_dispose(&t);
  } else {
    cmark_node *n = S_new_lit(c, CMARK_NODE_TEXT, c->text.data);
    if (n)
      cmark_node_append_child(c->inl, n);
  }
  mtport_buf_clear(&c->text);
}

static int strncasecmp_ascii(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
      return 0;
  return 1;
}

static void S_blk_push(S_conv *c, cmark_node *n, xmlNode *first, xmlNode *last,
                       int implicit) {
  if (c->nblk == c->capblk) {
    size_t cap = c->capblk ? c->capblk * 2 : 16;
    S_blk *b = realloc(c->blk, cap * sizeof *b);
    if (!b) {
      c->rc = MTPORT_ENOMEM;
      return;
    }
    c->blk = b;
    c->capblk = cap;
  }
  S_blk *b = &c->blk[c->nblk++];
  memset(b, 0, sizeof *b);
  b->node = n;
  b->first = first;
  b->last = last;
  b->implicit = implicit;
}

/* Appends a block to the current container; returns 0 (and frees it)
 * when the container cannot hold it. */
static int S_append_block(S_conv *c, cmark_node *n, xmlNode *first,
                          xmlNode *last, int implicit) {
  if (!n)
    return 0;
  if (!cmark_node_append_child(c->block, n)) {
    cmark_node_free(n);
    return 0;
  }
  if (c->block == c->doc)
    S_blk_push(c, n, first, last, implicit);
  return 1;
}

/* Removes hard breaks and empty text at the end of an inline container,
 * descending into its last children. */
static void S_trim_end(cmark_node *p) {
  while (p) {
    cmark_node *l = cmark_node_last_child(p);
    if (!l)
      return;
    cmark_node_type t = cmark_node_get_type(l);
    if (t == CMARK_NODE_LINEBREAK) {
      cmark_node_free(l);
      continue;
    }
    if (t == CMARK_NODE_TEXT) {
      const char *s = cmark_node_get_literal(l);
      size_t n = strlen(s);
      while (n && s[n - 1] == ' ')
        n--;
      if (n == 0) {
        cmark_node_free(l);
        continue;
      }
      if (s[n]) {
        char *d = mtport__strndup(s, n);
        if (d)
          cmark_node_set_literal(l, d);
        free(d);
      }
      return;
    }
    if (t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG ||
        t == CMARK_NODE_STRIKETHROUGH || t == CMARK_NODE_LINK) {
      p = l;
      continue;
    }
    return;
  }
}

static const char *const S_type6[] = {
    "address",  "article",    "aside",  "base",     "basefont", "blockquote",
    "body",     "caption",    "center", "col",      "colgroup", "dd",
    "details",  "dialog",     "dir",    "div",      "dl",       "dt",
    "fieldset", "figcaption", "figure", "footer",   "form",     "frame",
    "frameset", "h1",         "h2",     "h3",       "h4",       "h5",
    "h6",       "head",       "header", "hr",       "html",     "iframe",
    "legend",   "li",         "link",   "main",     "menu",     "menuitem",
    "nav",      "noframes",   "ol",     "optgroup", "option",   "p",
    "param",    "section",    "source", "summary",  "table",    "tbody",
    "td",       "tfoot",      "th",     "thead",    "title",    "tr",
    "track",    "ul",         NULL};

/* A paragraph whose first line Markdown would read as an HTML block (it
 * starts with <iframe>, or is a lone tag like <embed>) is written as the
 * HTML block it will be parsed as. Returns the block, or NULL. */
static cmark_node *S_para_as_html(S_conv *c, cmark_node *para) {
  cmark_node *f = cmark_node_first_child(para);
  if (!f || cmark_node_get_type(f) != CMARK_NODE_HTML_INLINE)
    return NULL;
  const char *lit = cmark_node_get_literal(f);
  const char *nm = lit + 1 + (lit[1] == '/');
  size_t nl = 0;
  while (isalnum((unsigned char)nm[nl]) || nm[nl] == '-')
    nl++;
  int t6 = 0;
  for (int i = 0; S_type6[i]; i++)
    if (strlen(S_type6[i]) == nl && strncasecmp_ascii(nm, S_type6[i], nl))
      t6 = 1;
  cmark_node *nx = cmark_node_next(f);
  int t7 = strncmp(lit, "<!--", 4) != 0 && !nx;
  if (!t6 && !t7)
    return NULL;
  mtport_buf b = MTPORT_BUF_INIT;
  for (cmark_node *k = f; k; k = cmark_node_next(k)) {
    cmark_node_type t = cmark_node_get_type(k);
    if (t == CMARK_NODE_HTML_INLINE)
      mtport_md__puts(&b, cmark_node_get_literal(k));
    else if (t == CMARK_NODE_LINEBREAK)
      mtport_md__puts(&b, "<br />\n");
    else if (t == CMARK_NODE_TEXT) {
      for (const char *p = cmark_node_get_literal(k); *p; p++)
        mtport_md__puts(&b, *p == '&'   ? "&amp;"
                            : *p == '<' ? "&lt;"
                            : *p == '>' ? "&gt;"
                                        : (char[2]){*p, 0});
    } else {
      mtport_buf_dispose(&b);
      return NULL;
    }
  }
  cmark_node *h = S_new_lit(c, CMARK_NODE_HTML_BLOCK, b.data ? b.data : "");
  mtport_buf_dispose(&b);
  return h;
}

static void S_close_para(S_conv *c) {
  if (!c->para)
    return;
  S_flush_text(c);
  if (c->ctx == CTX_PARA) {
    S_trim_end(c->para);
    cmark_node *h = S_para_as_html(c, c->para);
    if (h) {
      cmark_node_replace(c->para, h);
      if (c->nblk && c->blk[c->nblk - 1].node == c->para)
        c->blk[c->nblk - 1].node = h;
      cmark_node_free(c->para);
      c->para = h;
    }
  }
  if (c->ctx != CTX_CELL &&
      cmark_node_get_type(c->para) != CMARK_NODE_HTML_BLOCK) {
    S_trim_end(c->para);
    if (!cmark_node_first_child(c->para)) {
      if (c->nblk && c->blk[c->nblk - 1].node == c->para)
        c->nblk--;
      cmark_node_free(c->para);
    }
  }
  c->para = NULL;
  c->inl = NULL;
  c->space = 0;
  c->line_start = 1;
  c->pending = S_NONE;
}

static void S_ensure_para(S_conv *c) {
  if (c->para)
    return;
  cmark_node *p;
  if (c->ctx == CTX_HEADING) {
    p = S_new(c, CMARK_NODE_HEADING);
    if (p)
      cmark_node_set_heading_level(p,
                                   c->para_el ? c->para_el->name[1] - '0' : 1);
  } else
    p = S_new(c, CMARK_NODE_PARAGRAPH);
  if (!p)
    return;
  xmlNode *first = c->para_el ? c->para_el : c->top_child;
  if (!S_append_block(c, p, first, first, c->para_el == NULL))
    return;
  c->para = p;
  c->inl = p;
  c->space = 0;
  c->line_start = 1;
}

/* Creates lazily opened inline frames (em, strong, a...). */
static void S_open_pending(S_conv *c) {
  if (c->pending == S_NONE)
    return;
  for (size_t i = c->pending; i < c->nfr; i++) {
    S_frame *f = &c->fr[i];
    if (f->kind != FR_INLINE || f->node)
      continue;
    S_flush_text(c);
    cmark_node *last = cmark_node_last_child(c->inl);
    if (last && cmark_node_get_type(last) == f->type &&
        f->type != CMARK_NODE_LINK) {
      f->node = last; /* adjacent same emphasis: merge */
    } else {
      f->node = S_new(c, f->type);
      if (!f->node)
        return;
      if (f->type == CMARK_NODE_LINK) {
        cmark_node_set_url(f->node, f->url);
        cmark_node_set_title(f->node, f->title ? f->title : "");
      }
      cmark_node_append_child(c->inl, f->node);
    }
    c->inl = f->node;
  }
  c->pending = S_NONE;
}

/* Before any visible content: paragraph, pending space, pending frames. */
static void S_prep(S_conv *c) {
  S_ensure_para(c);
  if (!c->para)
    return;
  if (c->space && !c->line_start)
    mtport_md__putc(&c->text, ' ');
  c->space = 0;
  S_open_pending(c);
  if (c->block == c->doc && !c->para_el && c->nblk &&
      c->blk[c->nblk - 1].node == c->para)
    c->blk[c->nblk - 1].last = c->top_child;
}

static void S_text(S_conv *c, const char *s) {
  int ready = 0; /* S_prep done: later words only need their space */
  while (*s) {
    unsigned char ch = (unsigned char)*s;
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f') {
      if (!c->line_start)
        c->space = 1;
      s++;
      continue;
    }
    if (!ready) {
      S_prep(c);
      if (!c->para)
        return;
      ready = 1;
    } else if (c->space) {
      mtport_md__putc(&c->text, ' ');
      c->space = 0;
    }
    /* Words joined by single spaces go in as one run (what word by word
     * would append); other control characters are dropped. */
    const unsigned char *q = (const unsigned char *)s;
    for (;;) {
      const unsigned char *p = q;
      while (*q > 0x20 || (*q == ' ' && q[1] > 0x20))
        q++;
      mtport_md__append(&c->text, (const char *)p, (size_t)(q - p));
      if (!*q || *q == ' ' || *q == '\t' || *q == '\n' || *q == '\r' ||
          *q == '\f')
        break;
      q++; /* a control character */
    }
    c->line_start = 0;
    s = (const char *)q;
  }
}

static void S_inline_node(S_conv *c, cmark_node *n) {
  if (!n)
    return;
  S_prep(c);
  if (!c->para) {
    cmark_node_free(n);
    return;
  }
  S_flush_text(c);
  cmark_node *last = cmark_node_last_child(c->inl);
  if (last && cmark_node_get_type(n) == CMARK_NODE_CODE &&
      cmark_node_get_type(last) == CMARK_NODE_CODE) {
    /* Adjacent code spans would share backticks: one span. */
    mtport_buf t = MTPORT_BUF_INIT;
    mtport_md__puts(&t, cmark_node_get_literal(last));
    mtport_md__puts(&t, cmark_node_get_literal(n));
    cmark_node_set_literal(last, t.data ? t.data : "");
    mtport_buf_dispose(&t);
    cmark_node_free(n);
  } else
    cmark_node_append_child(c->inl, n);
  c->line_start = 0;
}

static char *S_collapse(const char *s) {
  mtport_buf b = MTPORT_BUF_INIT;
  int sp = 0;
  mtport_md__puts(&b, "");
  for (; s && *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f')
      sp = 1;
    else if (ch >= 0x20 || ch >= 0x80) {
      if (sp && b.len)
        mtport_md__putc(&b, ' ');
      sp = 0;
      mtport_md__putc(&b, (char)ch);
    }
  }
  return mtport_buf_detach(&b);
}

/* "<name attr="v">" with href/src resolved. */
static char *S_open_tag(S_conv *c, xmlNode *el) {
  mtport_buf b = MTPORT_BUF_INIT;
  mtport_buf_printf(&b, "<%s", (const char *)el->name);
  for (xmlAttr *a = el->properties; a; a = a->next) {
    const char *an = (const char *)a->name;
    const char *v = a->children && a->children->content
                        ? (const char *)a->children->content
                        : "";
    char *res = NULL;
    if (c->base && (strcmp(an, "href") == 0 || strcmp(an, "src") == 0))
      v = res = mtport_md__url(v, c->base);
    mtport_buf_printf(&b, " %s=\"", an);
    for (const char *p = v ? v : ""; *p; p++) {
      switch (*p) {
      case '&':
        mtport_md__puts(&b, "&amp;");
        break;
      case '"':
        mtport_md__puts(&b, "&quot;");
        break;
      case '<':
        mtport_md__puts(&b, "&lt;");
        break;
      case '>':
        mtport_md__puts(&b, "&gt;");
        break;
      case '\n':
        mtport_md__puts(&b, "&#10;");
        break;
      case '\r':
        mtport_md__puts(&b, "&#13;");
        break;
      default:
        if ((unsigned char)*p >= 0x20 || *p == '\t' || *p < 0)
          mtport_md__putc(&b, *p);
      }
    }
    mtport_md__putc(&b, '"');
    free(res);
  }
  mtport_md__putc(&b, '>');
  char *s = mtport_buf_detach(&b);
  if (!s)
    c->rc = MTPORT_ENOMEM;
  return s;
}

static int S_valid_tag_name(const char *n) {
  if (!isalpha((unsigned char)*n))
    return 0;
  for (n++; *n; n++)
    if (!isalnum((unsigned char)*n) && *n != '-')
      return 0;
  return 1;
}

static int S_valid_attrs(xmlNode *el) {
  for (xmlAttr *a = el->properties; a; a = a->next) {
    const char *n = (const char *)a->name;
    if (!(isalpha((unsigned char)*n) || *n == '_' || *n == ':'))
      return 0;
    for (n++; *n; n++)
      if (!isalnum((unsigned char)*n) && !strchr("_.:-", *n))
        return 0;
  }
  return 1;
}

/* Q_SPAN_BLOCK: kramdown reads a line opening with a span element
 * (<strong>, <a>...) as a paragraph, and shows the block tags inside it
 * as text. Such an HTML block goes inside a <div> (then it needs no
 * line of its own for its first tag either): 1 when @p s was written to
 * @p lit that way. */
static int S_block_div(mtport_buf *lit, const char *s) {
  char name[16];
  size_t k = 0;
  if (*s != '<')
    return 0;
  while (k < sizeof name - 1 && isalnum((unsigned char)s[k + 1]))
    name[k] = (char)tolower((unsigned char)s[k + 1]), k++;
  name[k] = '\0';
  if (!k || isalnum((unsigned char)s[k + 1]) || !mtport_md__kramdown_span(name))
    return 0;
  size_t n = strlen(s);
  mtport_md__puts(lit, "<div>\n");
  mtport_md__append(lit, s, n);
  if (n && s[n - 1] != '\n')
    mtport_md__putc(lit, '\n');
  mtport_md__puts(lit, "</div>");
  return 1;
}

static void S_raw_block(S_conv *c, xmlNode *el) {
  mtport_buf b = MTPORT_BUF_INIT;
  const char *name = (const char *)el->name;
  if (mtport_md__serialize(&b, el, el, c->base) != MTPORT_OK) {
    c->rc = MTPORT_ENOMEM;
    mtport_buf_dispose(&b);
    return;
  }
  /* Not a type 1/6 HTML block start: make it type 7 (tag alone on its
   * first line). */
  static const char *const t6[] = {
      "address",  "article", "aside",    "blockquote", "body",     "caption",
      "center",   "col",     "colgroup", "dd",         "details",  "dialog",
      "dir",      "div",     "dl",       "dt",         "fieldset", "figcaption",
      "figure",   "footer",  "form",     "frame",      "frameset", "h1",
      "h2",       "h3",      "h4",       "h5",         "h6",       "head",
      "header",   "hr",      "html",     "iframe",     "legend",   "li",
      "link",     "main",    "menu",     "nav",        "noframes", "ol",
      "optgroup", "option",  "p",        "param",      "section",  "source",
      "summary",  "table",   "tbody",    "td",         "tfoot",    "th",
      "thead",    "title",   "tr",       "track",      "ul",       "pre",
      "script",   "style",   NULL};
  int ok = 0;
  for (int i = 0; t6[i]; i++)
    if (strcmp(t6[i], name) == 0)
      ok = 1;
  mtport_buf lit = MTPORT_BUF_INIT;
  if (S_block_div(&lit, b.data ? b.data : ""))
    ;
  else if (!ok) {
    const char *gt = b.data ? strchr(b.data, '>') : NULL;
    if (gt) {
      mtport_md__append(&lit, b.data, (size_t)(gt - b.data) + 1);
      if (gt[1] != '\n')
        mtport_md__putc(&lit, '\n');
      mtport_md__puts(&lit, gt + 1);
    }
  } else
    mtport_md__append(&lit, b.data ? b.data : "", b.len);
  mtport_buf_dispose(&b);
  S_append_block(c,
                 S_new_lit(c, CMARK_NODE_HTML_BLOCK, lit.data ? lit.data : ""),
                 el, el, 0);
  mtport_buf_dispose(&lit);
}

/* ---- code ---- */

static const char *S_alias(const char *l, size_t n, char *buf, size_t cap) {
  static const char *const map[][2] = {
      {"as3", "actionscript3"},
      {"bash", "bash"},
      {"c#", "csharp"},
      {"c-sharp", "csharp"},
      {"cf", "coldfusion"},
      {"coldfusion", "coldfusion"},
      {"cpp", "cpp"},
      {"csharp", "csharp"},
      {"css", "css"},
      {"delphi", "delphi"},
      {"diff", "diff"},
      {"erl", "erlang"},
      {"erlang", "erlang"},
      {"groovy", "groovy"},
      {"html", "html"},
      {"java", "java"},
      {"javafx", "javafx"},
      {"jfx", "javafx"},
      {"js", "javascript"},
      {"jscript", "javascript"},
      {"javascript", "javascript"},
      {"pas", "pascal"},
      {"pascal", "pascal"},
      {"patch", "diff"},
      {"perl", "perl"},
      {"php", "php"},
      {"pl", "perl"},
      {"plain", "text"},
      {"powershell", "powershell"},
      {"ps", "powershell"},
      {"py", "python"},
      {"python", "python"},
      {"rails", "ruby"},
      {"rb", "ruby"},
      {"ror", "ruby"},
      {"ruby", "ruby"},
      {"sass", "sass"},
      {"scala", "scala"},
      {"scss", "scss"},
      {"shell", "bash"},
      {"sql", "sql"},
      {"text", "text"},
      {"vb", "vbnet"},
      {"vbnet", "vbnet"},
      {"xhtml", "xml"},
      {"xml", "xml"},
      {"xslt", "xml"},
      {"sh", "bash"},
      {"c", "c"},
      {"objc", "objectivec"},
  };
  if (n == 0 || n >= cap)
    return NULL;
  for (size_t i = 0; i < n; i++)
    buf[i] = (char)tolower((unsigned char)l[i]);
  buf[n] = 0;
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(buf, map[i][0]) == 0)
      return map[i][1];
  return buf;
}

static int S_lang_char(char ch) {
  return isalnum((unsigned char)ch) || ch == '_' || ch == '+' || ch == '-' ||
         ch == '#' || ch == '.';
}

/* Language from class="language-x", "lang-x" or "brush: x; ...". */
static const char *S_lang(const char *cls, char *buf, size_t cap) {
  if (!cls)
    return NULL;
  const char *b = strstr(cls, "brush:");
  if (b) {
    b += 6;
    while (*b == ' ')
      b++;
    const char *e = b;
    while (*e && *e != ';' && *e != ' ' && S_lang_char(*e))
      e++;
    return S_alias(b, (size_t)(e - b), buf, cap);
  }
  const char *p = cls;
  while (*p) {
    while (*p == ' ' || *p == '\t' || *p == '\n')
      p++;
    const char *e = p;
    while (*e && *e != ' ' && *e != '\t' && *e != '\n')
      e++;
    size_t skip = 0;
    if (e - p > 9 && strncmp(p, "language-", 9) == 0)
      skip = 9;
    else if (e - p > 5 && strncmp(p, "lang-", 5) == 0)
      skip = 5;
    if (skip) {
      const char *q = p + skip;
      const char *z = q;
      while (z < e && S_lang_char(*z))
        z++;
      if (z == e)
        return S_alias(q, (size_t)(e - q), buf, cap);
    }
    p = e;
  }
  return NULL;
}

/* pre: a fenced code block, or raw HTML when it holds markup we would
 * lose (links, emphasis). */
static void S_pre(S_conv *c, xmlNode *pre) {
  xmlNode *code = NULL;
  int ok = 1;
  mtport_buf t = MTPORT_BUF_INIT;
  xmlNode *n = pre->children;
  while (n && ok) {
    int descend = 0;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      const char *s = (const char *)n->content;
      if (s && n == pre->children && *s == '\n')
        s++;
      for (; s && *s; s++) {
        if (*s == '\r') {
          if (s[1] != '\n')
            mtport_md__putc(&t, '\n');
        } else if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t' ||
                   *s < 0)
          mtport_md__putc(&t, *s);
      }
    } else if (n->type == XML_ELEMENT_NODE) {
      int cls = mtport_md__class(n);
      const char *nm = (const char *)n->name;
      if (cls == H_BR)
        mtport_md__putc(&t, '\n');
      else if (cls == H_REMOVE || cls == H_DROP)
        ;
      else if (strcmp(nm, "code") == 0 || strcmp(nm, "span") == 0 ||
               strcmp(nm, "font") == 0 || strcmp(nm, "tt") == 0) {
        if (!code && strcmp(nm, "code") == 0)
          code = n;
        descend = 1;
      } else
        ok = 0;
    }
    if (descend && n->children) {
      n = n->children;
      continue;
    }
    while (n) {
      if (n->next) {
        n = n->next;
        break;
      }
      n = n->parent;
      if (n == pre)
        n = NULL;
    }
  }
  if (!ok || !t.data) {
    mtport_buf_dispose(&t);
    if (!ok) {
      S_raw_block(c, pre);
      if (c->rep)
        c->rep->raw_elements++;
    } else {
      cmark_node *cb = S_new_lit(c, CMARK_NODE_CODE_BLOCK, "");
      if (cb)
        cmark_node_set_fence_info(cb, "");
      S_append_block(c, cb, pre, pre, 0);
    }
    return;
  }
  if (t.len && t.data[t.len - 1] != '\n')
    mtport_md__putc(&t, '\n');
  char lb[64];
  const char *lang = S_lang(mtport_md__attr(pre, "class"), lb, sizeof lb);
  if (!lang && code)
    lang = S_lang(mtport_md__attr(code, "class"), lb, sizeof lb);
  cmark_node *cb = S_new_lit(c, CMARK_NODE_CODE_BLOCK, t.data ? t.data : "");
  if (cb)
    cmark_node_set_fence_info(cb, lang ? lang : "");
  S_append_block(c, cb, pre, pre, 0);
  mtport_buf_dispose(&t);
}

/* A code span of @p n bytes of collapsed text (@p trail: white space
 * followed it). Spaces at its edges go outside the span: they show the
 * same there, and kramdown keeps or strips them by other rules than
 * CommonMark's. */
static void S_code_span(S_conv *c, const char *s, size_t n, int trail) {
  size_t a = 0, z = n;
  while (a < z && s[a] == ' ')
    a++;
  while (z > a && s[z - 1] == ' ')
    z--;
  if (z < n)
    trail = 1;
  if (a == z) {
    /* Empty or blank code shows nothing but a space. */
    if ((n || trail) && !c->line_start)
      c->space = 1;
    return;
  }
  if (a && !c->line_start)
    c->space = 1;
  char *lit = mtport__strndup(s + a, z - a);
  if (!lit) {
    c->rc = MTPORT_ENOMEM;
    return;
  }
  S_inline_node(c, S_new_lit(c, CMARK_NODE_CODE, lit));
  free(lit);
  if (trail)
    c->space = 1;
}

/* Inline code: text only becomes a code span; markup inside keeps raw
 * tags. Returns 1 when handled as a span. */
static int S_code(S_conv *c, xmlNode *el) {
  for (xmlNode *k = el->children; k; k = k->next)
    if (k->type != XML_TEXT_NODE && k->type != XML_CDATA_SECTION_NODE)
      return 0;
  mtport_buf t = MTPORT_BUF_INIT;
  for (xmlNode *k = el->children; k; k = k->next)
    if (k->content)
      mtport_md__puts(&t, (const char *)k->content);
  /* HTML collapses runs of white space; padding spaces are kept. */
  mtport_buf o = MTPORT_BUF_INIT;
  int sp = 0;
  for (size_t i = 0; i < t.len; i++) {
    unsigned char ch = (unsigned char)t.data[i];
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f')
      sp = 1;
    else if (ch >= 0x20 || ch >= 0x80) {
      if (sp)
        mtport_md__putc(&o, ' ');
      sp = 0;
      mtport_md__putc(&o, (char)ch);
    }
  }
  mtport_buf_dispose(&t);
  S_code_span(c, o.data ? o.data : "", o.len, sp);
  mtport_buf_dispose(&o);
  return 1;
}

/* Text in a monospace font (<font face="Courier New">, style
 * font-family: Consolas...) is code: a code span, joined to the span just
 * before it across a single space. */
static void S_mono_text(S_conv *c, const char *s) {
  mtport_buf o = MTPORT_BUF_INIT;
  int sp = 0, lead = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') {
      sp = 1;
      lead |= !o.len;
    } else if (*p >= 0x20) {
      if (sp && o.len)
        mtport_md__putc(&o, ' ');
      sp = 0;
      mtport_md__putc(&o, (char)*p);
    }
  }
  cmark_node *last = c->inl ? cmark_node_last_child(c->inl) : NULL;
  if (o.len && c->para && c->pending == S_NONE && !c->text.len && last &&
      cmark_node_get_type(last) == CMARK_NODE_CODE && (c->space || lead) &&
      !c->line_start) {
    mtport_buf t = MTPORT_BUF_INIT;
    mtport_md__puts(&t, cmark_node_get_literal(last));
    mtport_md__putc(&t, ' ');
    mtport_md__append(&t, o.data, o.len);
    cmark_node_set_literal(last, t.data ? t.data : "");
    mtport_buf_dispose(&t);
    c->space = sp;
  } else {
    if (lead && !c->line_start)
      c->space = 1;
    S_code_span(c, o.data ? o.data : "", o.len, sp);
  }
  mtport_buf_dispose(&o);
}

/* A run of monospace blocks (Word's one paragraph per line of code in
 * Courier New, a code box in a div): one code block, its lines and
 * indentation as a browser shows them. */
static void S_mono_block(S_conv *c, xmlNode *first) {
  mtport_buf t = MTPORT_BUF_INIT;
  xmlNode *last = first;
  if (mtport_md__mono_run(&t, first, NULL, &last) != MTPORT_OK ||
      mtport_md__putc(&t, '\n') != MTPORT_OK) {
    c->rc = MTPORT_ENOMEM;
    mtport_buf_dispose(&t);
    return;
  }
  cmark_node *cb = S_new_lit(c, CMARK_NODE_CODE_BLOCK, t.data);
  if (cb)
    cmark_node_set_fence_info(cb, "");
  S_append_block(c, cb, first, last, 0);
  mtport_buf_dispose(&t);
  if (last != first)
    c->skip = last;
}

static void S_img(S_conv *c, xmlNode *el) {
  if ((c->flags & MTPORT_MD_KEEP_SIZES) &&
      (mtport_md__attr(el, "width") || mtport_md__attr(el, "height"))) {
    char *tag = S_open_tag(c, el);
    if (tag)
      S_inline_node(c, S_new_lit(c, CMARK_NODE_HTML_INLINE, tag));
    free(tag);
    return;
  }
  char *url = mtport_md__url(mtport_md__attr(el, "src"), c->base);
  char *alt = S_collapse(mtport_md__attr(el, "alt"));
  char *title = S_collapse(mtport_md__attr(el, "title"));
  if ((url && strchr(url, '|')) || (alt && strchr(alt, '|')) ||
      (title && strchr(title, '|')))
    c->pipe_seen = 1;
  if (!url || !alt || !title) {
    c->rc = MTPORT_ENOMEM;
  } else {
    cmark_node *img = S_new(c, CMARK_NODE_IMAGE);
    if (img) {
      cmark_node_set_url(img, url);
      cmark_node_set_title(img, title);
      if (*alt) {
        cmark_node *t = S_new_lit(c, CMARK_NODE_TEXT, alt);
        if (t)
          cmark_node_append_child(img, t);
      }
      S_inline_node(c, img);
    }
  }
  free(url);
  free(alt);
  free(title);
}

static void S_br(S_conv *c) {
  if (c->ctx != CTX_PARA || c->raw_depth > 0) {
    /* No hard breaks in headings and table cells, nor inside raw tags
     * (kramdown shows the backslash there: Q_RAW_BREAK): raw <br />. */
    if (c->para && !c->line_start) {
      c->space = 0;
      S_inline_node(c, S_new_lit(c, CMARK_NODE_HTML_INLINE, "<br />"));
    }
    return;
  }
  if (!c->para || c->line_start) {
    if (!c->para || !cmark_node_first_child(c->para)) {
      c->space = 0;
      return; /* a break at the start of a block shows nothing */
    }
  }
  c->space = 0;
  S_flush_text(c);
  cmark_node *br = S_new(c, CMARK_NODE_LINEBREAK);
  if (br)
    cmark_node_append_child(c->inl, br);
  c->line_start = 1;
}

/* ---- tables ---- */

static xmlNode *S_next_el(xmlNode *n, int *bad) {
  for (; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE) {
      int cls = mtport_md__class(n);
      if (cls == H_REMOVE || cls == H_DROP)
        continue;
      return n;
    }
    if (n->type == XML_TEXT_NODE && n->content) {
      for (const xmlChar *p = n->content; *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
          *bad = 1;
    }
  }
  return NULL;
}

/* Rows of a table that fits a GFM pipe table, or 0 columns. */
static int S_table_cols(xmlNode *table, unsigned char *align, int max) {
  int bad = 0, cols = -1, row = 0;
  for (xmlNode *g = S_next_el(table->children, &bad); g && !bad;
       g = S_next_el(g->next, &bad)) {
    const char *gn = (const char *)g->name;
    xmlNode *rows;
    xmlNode *only = NULL;
    if (strcmp(gn, "tr") == 0) {
      only = g;
      rows = g;
    } else if (strcmp(gn, "thead") == 0 || strcmp(gn, "tbody") == 0 ||
               strcmp(gn, "tfoot") == 0)
      rows = S_next_el(g->children, &bad);
    else
      return 0;
    for (xmlNode *r = rows; r && !bad;
         r = only ? NULL : S_next_el(r->next, &bad)) {
      if (strcmp((const char *)r->name, "tr") != 0)
        return 0;
      int n = 0;
      for (xmlNode *cell = S_next_el(r->children, &bad); cell && !bad;
           cell = S_next_el(cell->next, &bad)) {
        const char *cn = (const char *)cell->name;
        int th = strcmp(cn, "th") == 0;
        if (!th && strcmp(cn, "td") != 0)
          return 0;
        if (row == 0 && !th)
          return 0;
        if (S_HAS(cell))
          return 0; /* block content */
        const char *cs = mtport_md__attr(cell, "colspan");
        const char *rs = mtport_md__attr(cell, "rowspan");
        if ((cs && atoi(cs) != 1) || (rs && atoi(rs) != 1))
          return 0;
        if (n >= max)
          return 0;
        if (row == 0) {
          const char *al = mtport_md__attr(cell, "align");
          align[n] = 0;
          if (al && strcmp(al, "left") == 0)
            align[n] = 'l';
          else if (al && strcmp(al, "center") == 0)
            align[n] = 'c';
          else if (al && strcmp(al, "right") == 0)
            align[n] = 'r';
        }
        n++;
      }
      if (row == 0)
        cols = n;
      else if (n != cols)
        return 0;
      row++;
    }
  }
  if (bad || cols <= 0)
    return 0;
  return cols;
}

/* ---- the walk ---- */

static S_frame *S_push(S_conv *c, xmlNode *el, int kind) {
  if (c->nfr == c->capfr) {
    size_t cap = c->capfr ? c->capfr * 2 : 64;
    S_frame *f = realloc(c->fr, cap * sizeof *f);
    if (!f) {
      c->rc = MTPORT_ENOMEM;
      return NULL;
    }
    c->fr = f;
    c->capfr = cap;
  }
  S_frame *f = &c->fr[c->nfr++];
  memset(f, 0, sizeof *f);
  f->el = el;
  f->kind = kind;
  return f;
}

static int S_has_inline_ancestor(S_conv *c, cmark_node_type t) {
  for (size_t i = c->nfr; i-- > 0;) {
    if (c->fr[i].kind == FR_INLINE && c->fr[i].type == t)
      return 1;
    if (c->fr[i].kind != FR_INLINE && c->fr[i].kind != FR_TRANS &&
        c->fr[i].kind != FR_RAWTAGS)
      return 0;
  }
  return 0;
}

static int S_inline_ctx(S_conv *c) {
  return c->inline_depth > 0 || c->para_el || c->ctx == CTX_CELL ||
         c->para != NULL;
}

static int S_list_ok(xmlNode *list) {
  int bad = 0, items = 0;
  const char *t = mtport_md__attr(list, "type");
  if (mtport_md__attr(list, "reversed"))
    return 0;
  if (t && strcmp((const char *)list->name, "ol") == 0 && strcmp(t, "1") != 0)
    return 0;
  if (t && strcmp((const char *)list->name, "ul") == 0)
    return 0;
  for (xmlNode *n = S_next_el(list->children, &bad); n && !bad;
       n = S_next_el(n->next, &bad))
    if (strcmp((const char *)n->name, "li") != 0 || mtport_md__attr(n, "value"))
      return 0;
    else
      items++;
  return !bad && items > 0;
}

/* 1 when n's siblings are only white space and comments. */
static int S_alone(xmlNode *n) {
  for (xmlNode *k = n->parent ? n->parent->children : n; k; k = k->next) {
    if (k == n || k->type == XML_COMMENT_NODE)
      continue;
    if (k->type == XML_TEXT_NODE && k->content) {
      for (const xmlChar *p = k->content; *p; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
          return 0;
      continue;
    }
    return 0;
  }
  return 1;
}

/* Returns 1 to descend into the element's children. */
static int S_enter(S_conv *c, xmlNode *n) {
  if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
    if (c->inline_depth == 0)
      c->top_child = n;
    if (n->content) {
      if (n->parent && n->parent->type == XML_ELEMENT_NODE &&
          ((uintptr_t)n->parent->_private & MTPORT_MD_FONT_MONO) &&
          c->kraw_depth == 0)
        S_mono_text(c, (const char *)n->content);
      else
        S_text(c, (const char *)n->content);
    }
    return 0;
  }
  if (n->type == XML_COMMENT_NODE) {
    if (mtport_md__more_comment(n)) {
      if (S_inline_ctx(c) && c->para)
        S_inline_node(c, S_new_lit(c, CMARK_NODE_HTML_INLINE, "<!--more-->"));
      else if (!S_inline_ctx(c) || !c->para) {
        S_close_para(c);
        S_append_block(c, S_new_lit(c, CMARK_NODE_HTML_BLOCK, "<!--more-->"), n,
                       n, 0);
      }
    }
    return 0;
  }
  if (n->type != XML_ELEMENT_NODE)
    return 0;
  if (c->inline_depth == 0)
    c->top_child = n;
  int cls = mtport_md__class(n);
  int has_block = S_HAS(n);
  const char *name = (const char *)n->name;
  if (cls == H_REMOVE) {
    if (c->rep)
      c->rep->removed++;
    return 0;
  }
  if (cls == H_DROP)
    return 0;
  if (cls == H_TRANSPARENT && c->raw_depth > 0 && S_valid_tag_name(name))
    cls = H_RAWTAGS;
  if (cls == H_TABLEPART && !c->table)
    cls = H_BLOCK;
  if (cls == H_LI &&
      (c->nfr == 0 || c->fr[c->nfr - 1].kind != FR_CONTAINER ||
       !c->fr[c->nfr - 1].node ||
       cmark_node_get_type(c->fr[c->nfr - 1].node) != CMARK_NODE_LIST))
    cls = H_BLOCK;
  if (cls == H_RAWTAGS && strcmp(name, "textarea") == 0)
    cls = H_RAWBLOCK; /* its white space is content */
  else if (cls == H_RAWBLOCK && S_inline_ctx(c) && !has_block &&
           !(c->inline_depth == 0 && !c->para && S_alone(n)))
    cls = H_RAWTAGS;
  if (has_block) {
    switch (cls) {
    case H_TRANSPARENT:
    case H_P:
      cls = H_BLOCK;
      break;
    case H_A:
    case H_EM:
    case H_STRONG:
    case H_DEL:
    case H_CODE:
    case H_RAWTAGS:
    case H_H:
      cls = H_RAWBLOCK;
      break;
    default:
      break;
    }
  }
  if (cls == H_RAWTAGS && (!S_valid_tag_name(name) || !S_valid_attrs(n)))
    cls = has_block ? H_BLOCK : H_TRANSPARENT;
  if ((cls == H_EM || cls == H_STRONG || cls == H_DEL || cls == H_A) &&
      c->inline_depth > S_MAX_DEPTH)
    cls = H_RAWTAGS;
  if ((cls == H_BQ || cls == H_UL || cls == H_OL) && c->depth > S_MAX_DEPTH)
    cls = H_RAWBLOCK;
  if (cls == H_TABLE && (S_inline_ctx(c) || c->depth > S_MAX_DEPTH))
    cls = H_RAWBLOCK;
  if ((cls == H_UL || cls == H_OL) && !S_list_ok(n))
    cls = H_RAWBLOCK;
  if ((cls == H_P || cls == H_BLOCK) && c->inline_depth == 0 && !c->para_el &&
      c->ctx != CTX_CELL && mtport_md__mono_block(n)) {
    S_close_para(c);
    S_mono_block(c, n);
    return 0;
  }
  if (c->kraw_depth > 0) {
    /* kramdown shows Markdown inside such an element as it is: write
     * HTML (S_quirks: Q_RAW_CONTENT) */
    if (cls == H_EM || cls == H_STRONG || cls == H_DEL || cls == H_CODE ||
        (cls == H_A && mtport_md__attr(n, "href")))
      cls = H_RAWTAGS;
    else if (cls == H_IMG) {
      char *tag = S_open_tag(c, n);
      if (tag)
        S_inline_node(c, S_new_lit(c, CMARK_NODE_HTML_INLINE, tag));
      free(tag);
      return 0;
    } else if (cls == H_BR) {
      if (c->para && !c->line_start) {
        c->space = 0;
        S_inline_node(c, S_new_lit(c, CMARK_NODE_HTML_INLINE, "<br />"));
      }
      return 0;
    }
  }

  S_frame *f;
  switch (cls) {
  case H_RAWBLOCK:
    S_close_para(c);
    S_raw_block(c, n);
    if (c->rep)
      c->rep->raw_elements++;
    return 0;
  case H_HR:
    S_close_para(c);
    S_append_block(c, S_new(c, CMARK_NODE_THEMATIC_BREAK), n, n, 0);
    return 0;
  case H_PRE:
    S_close_para(c);
    S_pre(c, n);
    return 0;
  case H_IMG:
    S_img(c, n);
    return 0;
  case H_BR:
    S_br(c);
    return 0;
  case H_BLOCK:
    S_close_para(c);
    S_push(c, n, FR_BREAK);
    return 1;
  case H_P:
  case H_H:
    S_close_para(c);
    f = S_push(c, n, FR_PARA);
    if (!f)
      return 0;
    c->para_el = n;
    c->ctx = cls == H_H ? CTX_HEADING : CTX_PARA;
    return 1;
  case H_BQ:
  case H_UL:
  case H_OL:
  case H_LI: {
    S_close_para(c);
    cmark_node *b;
    if (cls == H_BQ)
      b = S_new(c, CMARK_NODE_BLOCK_QUOTE);
    else if (cls == H_LI)
      b = S_new(c, CMARK_NODE_ITEM);
    else {
      b = S_new(c, CMARK_NODE_LIST);
      if (b) {
        cmark_node_set_list_type(b, cls == H_UL ? CMARK_BULLET_LIST
                                                : CMARK_ORDERED_LIST);
        if (cls == H_OL) {
          const char *st = mtport_md__attr(n, "start");
          long v = st ? strtol(st, NULL, 10) : 1;
          if (v < 0 || v > 999999000)
            v = 1;
          cmark_node_set_list_start(b, (int)v);
          cmark_node_set_list_delim(b, CMARK_PERIOD_DELIM);
        }
        cmark_node_set_list_tight(b, 1);
      }
      /* Q_ADJACENT_LISTS: kramdown joins two lists with nothing between
       * (it knows no ')' delimiter either): an HTML comment parts them */
      cmark_node *prev = cmark_node_last_child(c->block);
      if (b && prev && cmark_node_get_type(prev) == CMARK_NODE_LIST)
        S_append_block(c, S_new_lit(c, CMARK_NODE_HTML_BLOCK, "<!-- -->"), NULL,
                       NULL, 0);
    }
    if (!S_append_block(c, b, n, n, 0))
      return 0;
    f = S_push(c, n, FR_CONTAINER);
    if (!f)
      return 0;
    f->node = b;
    f->saved = c->block;
    c->block = b;
    c->depth++;
    return 1;
  }
  case H_TABLE: {
    unsigned char al[256];
    int cols = S_table_cols(n, al, 256);
    if (cols <= 0) {
      S_close_para(c);
      S_raw_block(c, n);
      if (c->rep)
        c->rep->raw_elements++;
      return 0;
    }
    S_close_para(c);
    cmark_node *t = S_new(c, CMARK_NODE_TABLE);
    if (!t)
      return 0;
    cmark_gfm_extensions_set_table_columns(t, (uint16_t)cols);
    cmark_gfm_extensions_set_table_alignments(t, (uint16_t)cols, al);
    if (!S_append_block(c, t, n, n, 0))
      return 0;
    f = S_push(c, n, FR_TABLE);
    if (!f)
      return 0;
    f->node = t;
    c->table = t;
    return 1;
  }
  case H_TABLEPART:
    if (strcmp(name, "tr") == 0) {
      cmark_node *r = S_new(c, CMARK_NODE_TABLE_ROW);
      if (!r)
        return 0;
      if (!cmark_node_first_child(c->table))
        cmark_gfm_extensions_set_table_row_is_header(r, 1);
      cmark_node_append_child(c->table, r);
      f = S_push(c, n, FR_ROW);
      if (f)
        f->node = r;
      return 1;
    }
    if (strcmp(name, "td") == 0 || strcmp(name, "th") == 0) {
      cmark_node *row = cmark_node_last_child(c->table);
      cmark_node *cell = S_new(c, CMARK_NODE_TABLE_CELL);
      if (!cell || !row)
        return 0;
      cmark_node_append_child(row, cell);
      f = S_push(c, n, FR_CELL);
      if (!f)
        return 0;
      f->node = cell;
      c->para = cell;
      c->inl = cell;
      c->ctx = CTX_CELL;
      c->space = 0;
      c->line_start = 1;
      return 1;
    }
    S_push(c, n, FR_NONE);
    return 1;
  case H_CODE:
    if (S_code(c, n))
      return 0;
    cls = H_RAWTAGS;
    break;
  case H_A: {
    const char *href = mtport_md__attr(n, "href");
    if (!href || mtport_md__attr(n, "name") || mtport_md__attr(n, "id") ||
        S_has_inline_ancestor(c, CMARK_NODE_LINK)) {
      cls = href || mtport_md__attr(n, "name") || mtport_md__attr(n, "id")
                ? H_RAWTAGS
                : H_TRANSPARENT;
      break;
    }
    f = S_push(c, n, FR_INLINE);
    if (!f)
      return 0;
    f->type = CMARK_NODE_LINK;
    f->url = mtport_md__url(href, c->base);
    f->title = S_collapse(mtport_md__attr(n, "title"));
    if ((f->url && strchr(f->url, '|')) || (f->title && strchr(f->title, '|')))
      c->pipe_seen = 1;
    if (!f->url || !f->title)
      c->rc = MTPORT_ENOMEM;
    if (c->pending == S_NONE)
      c->pending = c->nfr - 1;
    c->inline_depth++;
    return 1;
  }
  case H_EM:
  case H_STRONG:
  case H_DEL: {
    cmark_node_type t = cls == H_EM       ? CMARK_NODE_EMPH
                        : cls == H_STRONG ? CMARK_NODE_STRONG
                                          : CMARK_NODE_STRIKETHROUGH;
    if (S_has_inline_ancestor(c, t)) {
      cls = H_TRANSPARENT;
      break;
    }
    f = S_push(c, n, FR_INLINE);
    if (!f)
      return 0;
    f->type = t;
    if (c->pending == S_NONE)
      c->pending = c->nfr - 1;
    c->inline_depth++;
    return 1;
  }
  default:
    break;
  }
  if (cls == H_RAWTAGS) {
    char *tag = S_open_tag(c, n);
    if (!tag)
      return 0;
    if (c->rep)
      c->rep->raw_elements++;
    if (!S_inline_ctx(c))
      c->space = 0;
    S_inline_node(c, S_new_lit(c, CMARK_NODE_HTML_INLINE, tag));
    free(tag);
    if (mtport_md__is_void(name))
      return 0;
    f = S_push(c, n, FR_RAWTAGS);
    if (f && mtport_md__kramdown_raw(name)) {
      f->kraw = 1;
      c->kraw_depth++;
    }
    c->inline_depth++;
    c->raw_depth++;
    return 1;
  }
  /* transparent */
  S_push(c, n, FR_TRANS);
  c->inline_depth++;
  return 1;
}

/* Tight unless an item holds blocks that need blank lines between. */
static void S_set_tight(cmark_node *list) {
  int loose = 0, items = 0, blocks_max = 0;
  for (cmark_node *it = cmark_node_first_child(list); it;
       it = cmark_node_next(it)) {
    items++;
    int nb = 0, nonlist = 0, idx = 0;
    for (cmark_node *b = cmark_node_first_child(it); b;
         b = cmark_node_next(b), idx++) {
      nb++;
      cmark_node_type t = cmark_node_get_type(b);
      if (t != CMARK_NODE_LIST) {
        nonlist++;
        if (idx > 0 || t != CMARK_NODE_PARAGRAPH)
          loose = 1;
      } else if (idx > 0 && cmark_node_get_list_type(b) == CMARK_ORDERED_LIST &&
                 cmark_node_get_list_start(b) != 1)
        loose = 1;
    }
    if (nonlist > 1)
      loose = 1;
    if (nb > blocks_max)
      blocks_max = nb;
  }
  /* With nowhere to put a blank line, cmark reads the list as tight. */
  if (items <= 1 && blocks_max <= 1)
    loose = 0;
  cmark_node_set_list_tight(list, !loose);
}

/* 1 when the inline node holds only white space (ASCII or U+00A0). */
static int S_blank_inline(cmark_node *n) {
  for (cmark_node *k = cmark_node_first_child(n); k; k = cmark_node_next(k)) {
    if (cmark_node_get_type(k) != CMARK_NODE_TEXT)
      return 0;
    const unsigned char *p = (const unsigned char *)cmark_node_get_literal(k);
    for (; *p; p++) {
      if (*p == ' ')
        continue;
      if (p[0] == 0xC2 && p[1] == 0xA0) {
        p++;
        continue;
      }
      return 0;
    }
  }
  return 1;
}

static void S_exit(S_conv *c, xmlNode *n) {
  if (!c->nfr)
    return;
  S_frame *f = &c->fr[c->nfr - 1];
  switch (f->kind) {
  case FR_BREAK:
    S_close_para(c);
    break;
  case FR_PARA:
    S_close_para(c);
    c->para_el = NULL;
    c->ctx = CTX_PARA;
    break;
  case FR_CONTAINER:
    S_close_para(c);
    if (cmark_node_get_type(f->node) == CMARK_NODE_LIST)
      S_set_tight(f->node);
    c->block = f->saved;
    c->depth--;
    break;
  case FR_TABLE:
    c->table = NULL;
    break;
  case FR_CELL:
    S_flush_text(c);
    S_trim_end(f->node);
    c->para = NULL;
    c->inl = NULL;
    c->ctx = CTX_PARA;
    c->pending = S_NONE;
    break;
  case FR_INLINE:
    c->inline_depth--;
    if (f->node) {
      S_flush_text(c);
      /* A break at the end of emphasis goes after the closer. */
      cmark_node *last = cmark_node_last_child(f->node);
      if (last && cmark_node_get_type(last) == CMARK_NODE_LINEBREAK) {
        cmark_node_unlink(last);
        cmark_node_insert_after(f->node, last);
      }
      c->inl = cmark_node_parent(f->node);
      if (!cmark_node_first_child(f->node))
        cmark_node_free(f->node);
      else if (f->type != CMARK_NODE_LINK && S_blank_inline(f->node)) {
        /* Emphasis of white space only (often &nbsp;) shows nothing. */
        cmark_node *ch;
        while ((ch = cmark_node_first_child(f->node)) != NULL) {
          cmark_node_unlink(ch);
          cmark_node_insert_before(f->node, ch);
        }
        cmark_node_free(f->node);
        cmark_consolidate_text_nodes(c->inl);
      }
    } else if (c->pending == c->nfr - 1)
      c->pending = S_NONE;
    free(f->url);
    free(f->title);
    break;
  case FR_TRANS:
    c->inline_depth--;
    break;
  case FR_RAWTAGS: {
    c->inline_depth--;
    c->raw_depth--;
    c->kraw_depth -= f->kraw;
    char close[128];
    snprintf(close, sizeof close, "</%s>", (const char *)n->name);
    int sp = c->space;
    c->space = 0;
    S_inline_node(c, S_new_lit(c, CMARK_NODE_HTML_INLINE, close));
    c->space = sp;
    break;
  }
  default:
    break;
  }
  c->nfr--;
}

/* ------------------------------------------------------------------ */
/* Target quirks.                                                       */

/* Where the consumers read Markdown otherwise than CommonMark and
 * cmark-gfm (the proof's parser, and jekyll-commonmark's): Hugo 0.111's
 * goldmark 1.5.4 and Jekyll 4.3's kramdown 2.4 (GFM input). The writer
 * avoids each one as it writes; where it cannot (the "reported" ones) the
 * block counts as a difference in the report, so `mtport check` counts
 * its entry. tests/proof/ builds real sites to find them. */
enum {
  Q_EMPH_LINKED_IMAGE,
  Q_BREAK_BACKSLASH,
  Q_ALT_ESCAPES,
  Q_AMP,
  Q_PIPE_TABLE,
  Q_RAW_CONTENT,
  Q_SPAN_BLOCK,
  Q_CODE_EDGES,
  Q_KRAMDOWN_SYNTAX,
  Q_DEFLIST,
  Q_URL_BACKSLASH,
  Q_ADJACENT_LISTS,
  Q_LIST_RULE,
  Q_RAW_BREAK,
  Q_INLINE_BLOCK_TAG,
  Q_LINE_START_TAG,
  Q_EMPTY_ITEM,
  Q_TITLE_ESCAPES,
  Q_MARKDOWN_ATTR,
  Q_COUNT
};

static const struct {
  const char *construct, *consumer, *instead;
} S_quirk_table[Q_COUNT] = {
    [Q_EMPH_LINKED_IMAGE] = {"emphasis around a link or image whose text "
                             "holds a link or image (**[![a](b)](c)x**)",
                             "goldmark < 1.7.10 shows the delimiters",
                             "raw <strong>, <em>, <del> tags for it"},
    [Q_BREAK_BACKSLASH] = {"a text backslash ending a line or block",
                           "goldmark drops it, or sees no hard break after "
                           "it (\"\\\\\\\" newline)",
                           "&#92;"},
    [Q_ALT_ESCAPES] = {"escapes or references in an image description",
                       "goldmark shows them in the alt text",
                       "balanced brackets unescaped, else a raw <img>"},
    [Q_AMP] = {"\\& before a name and ';'", "kramdown shows the backslash",
               "&amp;"},
    [Q_PIPE_TABLE] = {"a paragraph whose every line holds a '|'",
                      "kramdown reads a table",
                      "\\| in its text, %7C in "
                      "its URLs (and in table cells' URLs)"},
    [Q_RAW_CONTENT] = {"Markdown inside code, kbd, samp, var, u, mark and "
                       "other raw tags",
                       "kramdown shows it as it is",
                       "HTML tags and character references there"},
    [Q_SPAN_BLOCK] = {"an HTML block opening with a span element "
                      "(<strong>, <a>...)",
                      "kramdown reads a paragraph and shows its block tags",
                      "a <div> around the block"},
    [Q_CODE_EDGES] = {"code spans with spaces at their edges or backtick "
                      "runs inside",
                      "kramdown strips spaces otherwise and closes a span "
                      "at the first run of its length",
                      "edge spaces outside the span, delimiters longer "
                      "than any run inside"},
    [Q_KRAMDOWN_SYNTAX] = {"$$ and {: in text, { in a heading",
                           "kramdown reads math and attribute lists, "
                           "goldmark heading attributes ({#id})",
                           "\\$$, \\{:, \\{"},
    [Q_DEFLIST] = {"\": \" at the start of a line",
                   "goldmark (Hugo's default extensions) and kramdown read "
                   "a definition list",
                   "\\:"},
    [Q_URL_BACKSLASH] = {"a backslash in a link destination",
                         "kramdown keeps the backslashes of escapes",
                         "%5C (as cmark and goldmark write it in HTML)"},
    [Q_ADJACENT_LISTS] = {"two lists with nothing between ('-' then '*', "
                          "'1.' then '1)')",
                          "kramdown reads one list (and no ')' delimiter)",
                          "an HTML comment (<!-- -->) between them"},
    [Q_LIST_RULE] = {"a thematic break inside a list item",
                     "kramdown ends the list there", "a raw <hr />"},
    [Q_RAW_BREAK] = {"a hard break (backslash, newline) inside raw tags",
                     "kramdown shows the backslash", "a raw <br />"},
    [Q_INLINE_BLOCK_TAG] = {"a block element's tags inside a paragraph "
                            "(an <iframe> after text)",
                            "kramdown shows them as text",
                            "the block as raw HTML"},
    [Q_LINE_START_TAG] = {"a hard break before a tag other than a span "
                          "element's (<object>, <embed>...)",
                          "kramdown ends the paragraph at that line",
                          "a raw <br /> on the same line"},
    [Q_EMPTY_ITEM] = {"an empty list item (a lone '-')",
                      "kramdown reads a heading underline under the line "
                      "above",
                      "an HTML comment (<!-- -->) in the item"},
    [Q_TITLE_ESCAPES] = {"a backslash escape in a link title (reported "
                         "for a backslash before punctuation, which only "
                         "\\\\ keeps in CommonMark)",
                         "kramdown shows the backslash",
                         "character references (&quot; &#124;)"},
    [Q_MARKDOWN_ATTR] = {"raw HTML with a markdown=\"...\" attribute "
                         "(reported)",
                         "kramdown parses the element's content as Markdown",
                         NULL},
};

/* ------------------------------------------------------------------ */
/* The writer: idiomatic Markdown from the tree, one top-level block at */
/* a time. Iterative (cmark_iter).                                      */

typedef struct {
  char kind; /* 'q' block quote, 'i' list item */
  char marker[16];
  int width, first;
} S_pfx;

typedef struct {
  int bullet; /* 0 ordered */
  char ch;    /* bullet char or delimiter */
  long next;  /* next number */
} S_lst;

typedef struct {
  mtport_buf *o;
  S_pfx *p;
  size_t np, capp;
  S_lst *l;
  size_t nl, capl;
  int bol, lstart, heading, cell;
  int pipes; /* escape '|': kramdown would read the paragraph as a table */
  int kraw;  /* inside elements whose content kramdown shows raw */
  int alt;   /* an image description with balanced brackets: unescaped */
  unsigned quirks; /* S_quirk_table entries written knowingly (1u << Q_) */
  size_t content_off;
} S_w;

static void S_w_bol(S_w *w) {
  if (!w->bol)
    return;
  for (size_t i = 0; i < w->np; i++) {
    S_pfx *p = &w->p[i];
    if (p->kind == 'q')
      mtport_md__puts(w->o, "> ");
    else if (p->first) {
      mtport_md__puts(w->o, p->marker);
      mtport_md__putc(w->o, ' ');
      p->first = 0;
    } else
      for (int k = 0; k < p->width; k++)
        mtport_md__putc(w->o, ' ');
  }
  w->bol = 0;
  w->lstart = 1;
  w->content_off = w->o->len;
}

static void S_w_nl(S_w *w) {
  if (w->o->len == w->content_off) {
    while (w->o->len && w->o->data[w->o->len - 1] == ' ')
      w->o->len--;
    if (w->o->data)
      w->o->data[w->o->len] = 0;
  }
  mtport_md__putc(w->o, '\n');
  w->bol = 1;
  w->content_off = (size_t)-1;
}

static void S_w_blank(S_w *w) {
  S_w_bol(w);
  S_w_nl(w);
}

static int S_alnum(unsigned char ch) { return isalnum(ch) || ch >= 0x80; }

/* Characters the text writer may have to escape. */
static const unsigned char S_special[256] = {
    ['\\'] = 1, ['`'] = 1, ['*'] = 1, ['['] = 1, [']'] = 1,
    ['~'] = 1,  ['_'] = 1, ['<'] = 1, ['&'] = 1, ['!'] = 1,
    ['|'] = 1,  ['#'] = 1, ['$'] = 1, ['{'] = 1};

static int S_punct(unsigned char ch) { return ch < 0x80 && ispunct(ch); }

/* 1 when s[0] ('&') starts a character reference a Markdown parser would
 * decode: "&name;" or "&#123;" or "&#x1F;". */
static int S_entity_at(const char *s, size_t n) {
  size_t i = 1, d = 0;
  if (i < n && s[i] == '#') {
    int hex = ++i < n && (s[i] == 'x' || s[i] == 'X');
    i += (size_t)hex;
    while (i < n && d < 8 &&
           (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i])))
      i++, d++;
    return d >= 1 && d <= (size_t)(hex ? 6 : 7) && i < n && s[i] == ';';
  }
  if (i >= n || !isalpha((unsigned char)s[i]))
    return 0;
  while (i < n && d < 33 && isalnum((unsigned char)s[i]))
    i++, d++;
  return d >= 2 && d <= 32 && i < n && s[i] == ';';
}

/* An image's description as plain text (the alt it renders to). */
static void S_alt_text(mtport_buf *b, cmark_node *img) {
  cmark_iter *it = cmark_iter_new(img);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *k = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(k);
    if (ev == CMARK_EVENT_ENTER &&
        (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE))
      mtport_md__puts(b, cmark_node_get_literal(k));
  }
  cmark_iter_free(it);
}

/* 1 when the brackets of image description @p a may stay unescaped:
 * balanced, none closing before '(' or '[' (no link inside). */
static int S_alt_brackets(const char *a) {
  int depth = 0;
  for (; *a; a++) {
    if (*a == '[')
      depth++;
    else if (*a == ']' && (--depth < 0 || a[1] == '(' || a[1] == '['))
      return 0;
  }
  return depth == 0;
}

/* Writes text, escaping only what would otherwise parse as Markdown, in
 * CommonMark (the proof) and in the consumers' dialects (S_quirks).
 * @p after is the first character the writer puts after this text (0 at
 * the end of a block or line). */
static void S_w_text(S_w *w, const char *s, char after) {
  mtport_buf *o = w->o;
  size_t n = strlen(s);
  int seen = !w->lstart; /* something other than blanks on this line */
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    unsigned char prev = i ? (unsigned char)s[i - 1] : 0;
    unsigned char next =
        i + 1 < n ? (unsigned char)s[i + 1] : (unsigned char)after;
    if (i == 0 && w->lstart) {
      /* Block starts: headings, quotes, list items, setext underlines;
       * definition lists (goldmark, kramdown): ": " */
      if (strchr("#>+-=", ch) || (ch == ':' && (next == ' ' || next == '\t'))) {
        if (w->kraw)
          mtport_buf_printf(o, "&#%u;", ch);
        else {
          mtport_md__putc(o, '\\');
          mtport_md__putc(o, (char)ch);
        }
        seen = 1;
        continue;
      }
      if (isdigit(ch)) {
        size_t j = i;
        while (j < n && isdigit((unsigned char)s[j]))
          j++;
        if (j - i <= 9 && j < n && (s[j] == '.' || s[j] == ')') &&
            (j + 1 == n || s[j + 1] == ' ' || s[j + 1] == '\t')) {
          mtport_md__append(o, s + i, j - i);
          if (w->kraw)
            mtport_buf_printf(o, "&#%u;", (unsigned char)s[j]);
          else {
            mtport_md__putc(o, '\\');
            mtport_md__putc(o, s[j]);
          }
          i = j;
          seen = 1;
          continue;
        }
      }
    }
    if (!S_special[ch]) {
      size_t j = i + 1;
      while (j < n && !S_special[(unsigned char)s[j]])
        j++;
      mtport_md__append(o, s + i, j - i);
      for (size_t k = i; k < j && !seen; k++)
        seen = s[k] != ' ' && s[k] != '\t';
      i = j - 1;
      continue;
    }
    int esc = 0;
    int blanks = i > 0 && seen && (prev == ' ' || prev == '\t') &&
                 (next == ' ' || next == '\t');
    switch (ch) {
    case '\\':
      /* Literal before anything but ASCII punctuation. At a line's end
       * it would make a hard break, and goldmark drops it at a block's
       * end or before a "\" break: a reference there. */
      if (i + 1 == n && (after == 0 || after == '\\' || after == '\n')) {
        mtport_md__puts(o, "&#92;");
        seen = 1;
        continue;
      }
      esc = S_punct(next);
      break;
    case '[':
    case ']':
      esc = !w->alt; /* Q_ALT_ESCAPES */
      break;
    case '`':
    case '~':
      esc = 1;
      break;
    case '*':
      esc = !blanks; /* " * " is neither opener nor closer */
      break;
    case '_':
      esc = !blanks && !(S_alnum(prev) && S_alnum(next) && i > 0);
      break;
    case '<':
      esc = isalpha(next) || next == '/' || next == '!' || next == '?';
      break;
    case '&':
      if (S_entity_at(s + i, n - i)) {
        mtport_md__puts(o, "&amp;"); /* kramdown has no "\&" */
        seen = 1;
        continue;
      }
      break;
    case '!':
      /* only before a link: a '[' in text is escaped itself */
      esc = i + 1 == n && after == '[';
      break;
    case '|':
      esc = w->cell || w->pipes;
      break;
    case '#':
      esc = w->heading;
      break;
    case '$':
      esc = next == '$'; /* kramdown's math */
      break;
    case '{':
      /* kramdown's attribute lists, goldmark's heading attributes */
      esc = next == ':' || w->heading;
      break;
    default:
      break;
    }
    if (esc && w->kraw)
      /* kramdown shows a raw element's content as is: a reference
       * instead of a backslash */
      mtport_buf_printf(o, "&#%u;", ch);
    else {
      if (esc)
        mtport_md__putc(o, '\\');
      mtport_md__putc(o, (char)ch);
    }
    seen = 1;
  }
  if (n)
    w->lstart = 0;
}

static void S_w_code(S_w *w, const char *s) {
  size_t n = strlen(s);
  /* Delimiters longer than any backtick run inside: kramdown closes a
   * span at the first run of its length, even inside a longer one. */
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    if (s[i] == '`') {
      size_t j = i;
      while (j < n && s[j] == '`')
        j++;
      if (j - i > k)
        k = j - i;
      i = j;
    } else
      i++;
  }
  k++;
  int pad = n && (s[0] == '`' || s[n - 1] == '`');
  for (size_t i = 0; i < k; i++)
    mtport_md__putc(w->o, '`');
  if (pad)
    mtport_md__putc(w->o, ' ');
  for (size_t i = 0; i < n; i++) {
    if (w->cell && s[i] == '|')
      mtport_md__putc(w->o, '\\');
    mtport_md__putc(w->o, s[i]);
  }
  if (pad)
    mtport_md__putc(w->o, ' ');
  for (size_t i = 0; i < k; i++)
    mtport_md__putc(w->o, '`');
  w->lstart = 0;
}

static int S_autolink(cmark_node *link) {
  const char *url = cmark_node_get_url(link);
  const char *title = cmark_node_get_title(link);
  cmark_node *ch = cmark_node_first_child(link);
  if (!url || (title && *title) || !ch || cmark_node_next(ch) ||
      cmark_node_get_type(ch) != CMARK_NODE_TEXT ||
      strcmp(cmark_node_get_literal(ch), url) != 0)
    return 0;
  const char *p = url;
  if (!isalpha((unsigned char)*p))
    return 0;
  while (isalnum((unsigned char)*p) || *p == '+' || *p == '.' || *p == '-')
    p++;
  if (*p != ':' || p - url < 2 || p - url > 32)
    return 0;
  for (p = url; *p; p++)
    if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == '&' ||
        *p == '\\' || *p == 0x7f)
      return 0;
  return 1;
}

static void S_w_dest(S_w *w, const char *url, const char *title) {
  mtport_buf *o = w->o;
  int depth = 0, pointy = !*url;
  for (const char *p = url; *p; p++) {
    unsigned char ch = (unsigned char)*p;
    if (ch <= ' ' || ch == 0x7f || ch == '<' || ch == '>')
      pointy = 1;
    else if (ch == '(')
      depth++;
    else if (ch == ')' && --depth < 0)
      pointy = 1;
  }
  if (depth)
    pointy = 1;
  mtport_md__putc(o, '(');
  if (pointy)
    mtport_md__putc(o, '<');
  size_t n = strlen(url);
  for (size_t i = 0; i < n; i++) {
    char ch = url[i];
    /* cmark decodes references in destinations before escapes */
    if (ch == '&' && S_entity_at(url + i, n - i)) {
      mtport_md__puts(o, "&amp;");
      continue;
    }
    if (ch == '\\' && (i + 1 == n || S_punct((unsigned char)url[i + 1]))) {
      mtport_md__putc(o, '\\');
      w->quirks |= 1u << Q_URL_BACKSLASH;
    } else if (pointy && (ch == '<' || ch == '>'))
      mtport_md__putc(o, '\\');
    mtport_md__putc(o, ch);
  }
  if (pointy)
    mtport_md__putc(o, '>');
  if (title && *title) {
    /* References, not escapes: kramdown keeps a title's backslashes but
     * hands its references to the browser (Q_TITLE_ESCAPES). */
    char q = strchr(title, '"') && !strchr(title, '\'') ? '\'' : '"';
    mtport_md__putc(o, ' ');
    mtport_md__putc(o, q);
    size_t tn = strlen(title);
    for (size_t i = 0; i < tn; i++) {
      char ch = title[i];
      if (ch == '&' && S_entity_at(title + i, tn - i))
        mtport_md__puts(o, "&amp;");
      else if (ch == '"' && q == '"')
        mtport_md__puts(o, "&quot;");
      else if (ch == '\\' &&
               (i + 1 == tn || S_punct((unsigned char)title[i + 1]))) {
        /* cmark decodes references before it reads escapes: only "\\"
         * keeps this backslash there, and kramdown shows both */
        mtport_md__puts(o, "\\\\");
        w->quirks |= 1u << Q_TITLE_ESCAPES;
      } else if (ch == '|' && (w->cell || w->pipes))
        mtport_md__puts(o, "&#124;");
      else
        mtport_md__putc(o, ch);
    }
    mtport_md__putc(o, q);
  }
  mtport_md__putc(o, ')');
}

/* 1 when raw HTML @p s has a tag with a markdown attribute (Q_MARKDOWN_ATTR;
 * attribute values are quoted, so " markdown=" inside a tag is one). */
static int S_markdown_attr(const char *s) {
  for (const char *p = s; (p = strstr(p, " markdown=")) != NULL; p++) {
    const char *lt = p, *gt;
    while (lt > s && *lt != '<' && *lt != '>')
      lt--;
    gt = strchr(p, '>');
    if (*lt == '<' && gt)
      return 1;
  }
  return 0;
}

/* +1 when raw tag @p lit opens an element whose content kramdown keeps
 * as it is, -1 when it closes one (Q_RAW_CONTENT), else 0. */
static int S_kraw_delta(const char *lit, int depth) {
  if (lit[0] != '<')
    return 0;
  int close = lit[1] == '/';
  const char *p = lit + 1 + close;
  char name[16];
  size_t k = 0;
  while (k < sizeof name - 1 && (isalnum((unsigned char)p[k]) || p[k] == '-'))
    name[k] = (char)tolower((unsigned char)p[k]), k++;
  name[k] = '\0';
  if (!k || isalnum((unsigned char)p[k]) || !mtport_md__kramdown_raw(name) ||
      mtport_md__is_void(name))
    return 0;
  if (close)
    return depth > 0 ? -1 : 0;
  size_t n = strlen(lit);
  return n >= 2 && lit[n - 2] == '/' ? 0 : 1;
}

/* 1 when every line of paragraph @p para holds a '|' outside code and
 * HTML: kramdown would read it as a table (a block whose lines all hold
 * one is a table row there), so its pipes are escaped. */
static int S_piped(cmark_node *para) {
  int line = 0;
  cmark_iter *it = cmark_iter_new(para);
  cmark_event_type ev;
  int all = 1;
  while (all && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    /* a destination is written after the text, on its last line */
    if (ev != (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE
                   ? CMARK_EVENT_EXIT
                   : CMARK_EVENT_ENTER))
      continue;
    switch (t) {
    case CMARK_NODE_TEXT:
      if (strchr(cmark_node_get_literal(n), '|'))
        line = 1;
      break;
    case CMARK_NODE_LINK:
    case CMARK_NODE_IMAGE:
      if (strchr(cmark_node_get_url(n), '|') ||
          strchr(cmark_node_get_title(n), '|'))
        line = 1;
      break;
    case CMARK_NODE_LINEBREAK:
    case CMARK_NODE_SOFTBREAK:
      all = line;
      line = 0;
      break;
    default:
      break;
    }
  }
  cmark_iter_free(it);
  return all && line;
}

/* The first character the writer puts after inline node @p n, as far as
 * escaping cares: markup ('[', '*', '`', '<'...), '\\' for a hard break,
 * '\n' for a soft one, 0 at the end of a block. */
static char S_after(cmark_node *n) {
  cmark_node *nx = cmark_node_next(n);
  cmark_node_type t;
  if (nx) {
    t = cmark_node_get_type(nx);
    if (t == CMARK_NODE_LINK)
      return S_autolink(nx) ? '<' : '[';
    if (t == CMARK_NODE_IMAGE)
      return '!';
    if (t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG)
      return '*';
    if (t == CMARK_NODE_STRIKETHROUGH)
      return '~';
    if (t == CMARK_NODE_CODE)
      return '`';
    if (t == CMARK_NODE_HTML_INLINE)
      return '<';
    if (t == CMARK_NODE_LINEBREAK)
      return '\\';
    if (t == CMARK_NODE_SOFTBREAK)
      return '\n';
    if (t == CMARK_NODE_TEXT)
      return *cmark_node_get_literal(nx);
    return 0;
  }
  cmark_node *p = cmark_node_parent(n);
  t = p ? cmark_node_get_type(p) : CMARK_NODE_NONE;
  if (t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG)
    return '*';
  if (t == CMARK_NODE_STRIKETHROUGH)
    return '~';
  if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)
    return ']';
  if (t == CMARK_NODE_TABLE_CELL)
    return ' ';
  return 0;
}

static int S_is_block(cmark_node_type t) {
  return t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING ||
         t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_LIST ||
         t == CMARK_NODE_ITEM || t == CMARK_NODE_CODE_BLOCK ||
         t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_THEMATIC_BREAK ||
         t == CMARK_NODE_TABLE;
}

static void S_w_lines(S_w *w, const char *s) {
  const char *p = s;
  while (*p) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    S_w_bol(w);
    mtport_md__append(w->o, p, n);
    S_w_nl(w);
    p += n;
    if (*p == '\n')
      p++;
  }
}

static void S_w_push_pfx(S_w *w, char kind, const char *marker) {
  if (w->np == w->capp) {
    size_t cap = w->capp ? w->capp * 2 : 16;
    S_pfx *p = realloc(w->p, cap * sizeof *p);
    if (!p)
      return;
    w->p = p;
    w->capp = cap;
  }
  S_pfx *p = &w->p[w->np++];
  p->kind = kind;
  /* snprintf's truncation without its cost */
  size_t n = marker ? strlen(marker) : 0;
  if (n > sizeof p->marker - 1)
    n = sizeof p->marker - 1;
  memcpy(p->marker, marker ? marker : "", n);
  p->marker[n] = '\0';
  p->width = (int)n + 1;
  p->first = 1;
}

static void S_w_push_list(S_w *w, cmark_node *list) {
  if (w->nl == w->capl) {
    size_t cap = w->capl ? w->capl * 2 : 16;
    S_lst *l = realloc(w->l, cap * sizeof *l);
    if (!l)
      return;
    w->l = l;
    w->capl = cap;
  }
  S_lst *l = &w->l[w->nl++];
  l->bullet = cmark_node_get_list_type(list) == CMARK_BULLET_LIST;
  l->next = cmark_node_get_list_start(list);
  /* Lists are never adjacent (Q_ADJACENT_LISTS): one marker each. */
  l->ch = l->bullet ? '-' : '.';
}

static void S_w_code_block(S_w *w, cmark_node *n) {
  const char *lit = cmark_node_get_literal(n);
  const char *info = cmark_node_get_fence_info(n);
  size_t run = 0, best = 0;
  for (const char *p = lit; *p; p++) {
    run = *p == '`' ? run + 1 : 0;
    if (run > best)
      best = run;
  }
  size_t fl = best + 1 < 3 ? 3 : best + 1;
  S_w_bol(w);
  for (size_t i = 0; i < fl; i++)
    mtport_md__putc(w->o, '`');
  if (info)
    mtport_md__puts(w->o, info);
  S_w_nl(w);
  const char *p = lit;
  while (*p) {
    const char *e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    S_w_bol(w);
    mtport_md__append(w->o, p, len);
    S_w_nl(w);
    p += len;
    if (*p == '\n')
      p++;
  }
  S_w_bol(w);
  for (size_t i = 0; i < fl; i++)
    mtport_md__putc(w->o, '`');
  S_w_nl(w);
}

static void S_w_delim_row(S_w *w, cmark_node *table) {
  uint16_t cols = cmark_gfm_extensions_get_table_columns(table);
  uint8_t *al = cmark_gfm_extensions_get_table_alignments(table);
  S_w_bol(w);
  mtport_md__putc(w->o, '|');
  for (uint16_t i = 0; i < cols; i++) {
    uint8_t a = al ? al[i] : 0;
    mtport_md__puts(w->o, a == 'l'   ? " :-- |"
                          : a == 'c' ? " :-: |"
                          : a == 'r' ? " --: |"
                                     : " --- |");
  }
  S_w_nl(w);
}

static void S_write(S_w *w, cmark_node *top) {
  cmark_iter *it = cmark_iter_new(top);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    int enter = ev == CMARK_EVENT_ENTER;
    if (enter && n != top && S_is_block(t) && cmark_node_previous(n)) {
      cmark_node *par = cmark_node_parent(n);
      cmark_node_type pt = cmark_node_get_type(par);
      cmark_node *list = pt == CMARK_NODE_LIST   ? par
                         : pt == CMARK_NODE_ITEM ? cmark_node_parent(par)
                                                 : NULL;
      if (!(list && cmark_node_get_list_tight(list)))
        S_w_blank(w);
    }
    if (t == CMARK_NODE_PARAGRAPH) {
      if (enter) {
        S_w_bol(w);
        w->pipes = cmark_node_get_user_data(n) != NULL; /* S_quirks' */
      } else {
        S_w_nl(w);
        w->pipes = 0;
      }
    } else if (t == CMARK_NODE_HEADING) {
      if (enter) {
        S_w_bol(w);
        int lv = cmark_node_get_heading_level(n);
        for (int i = 0; i < lv; i++)
          mtport_md__putc(w->o, '#');
        mtport_md__putc(w->o, ' ');
        w->heading = 1;
        w->lstart = 0;
      } else {
        w->heading = 0;
        S_w_nl(w);
      }
    } else if (t == CMARK_NODE_BLOCK_QUOTE) {
      if (enter) {
        S_w_push_pfx(w, 'q', NULL);
        if (!cmark_node_first_child(n))
          S_w_blank(w);
      } else
        w->np--;
    } else if (t == CMARK_NODE_LIST) {
      if (enter)
        S_w_push_list(w, n);
      else
        w->nl--;
    } else if (t == CMARK_NODE_ITEM) {
      if (enter) {
        char m[24];
        S_lst *l = &w->l[w->nl - 1];
        if (l->bullet) {
          m[0] = l->ch;
          m[1] = '\0';
        } else {
          /* "%ld%c" by hand: one per list item adds up */
          long v = l->next++;
          unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
          char d[24];
          size_t nd = 0, k = 0;
          do
            d[nd++] = (char)('0' + u % 10);
          while ((u /= 10) != 0);
          if (v < 0)
            m[k++] = '-';
          while (nd)
            m[k++] = d[--nd];
          m[k++] = l->ch;
          m[k] = '\0';
        }
        S_w_push_pfx(w, 'i', m);
        if (!cmark_node_first_child(n)) {
          S_w_bol(w);
          S_w_nl(w);
        }
      } else
        w->np--;
    } else if (t == CMARK_NODE_CODE_BLOCK) {
      S_w_code_block(w, n);
    } else if (t == CMARK_NODE_HTML_BLOCK) {
      S_w_lines(w, cmark_node_get_literal(n));
      if (S_markdown_attr(cmark_node_get_literal(n)))
        w->quirks |= 1u << Q_MARKDOWN_ATTR;
    } else if (t == CMARK_NODE_THEMATIC_BREAK) {
      /* never in a list item (Q_LIST_RULE) */
      S_w_bol(w);
      mtport_md__puts(w->o, "---");
      S_w_nl(w);
    } else if (t == CMARK_NODE_TABLE) {
      /* rows do the work */
    } else if (t == CMARK_NODE_TABLE_ROW) {
      if (enter) {
        S_w_bol(w);
        mtport_md__putc(w->o, '|');
      } else {
        S_w_nl(w);
        if (cmark_gfm_extensions_get_table_row_is_header(n))
          S_w_delim_row(w, cmark_node_parent(n));
      }
    } else if (t == CMARK_NODE_TABLE_CELL) {
      if (enter) {
        mtport_md__putc(w->o, ' ');
        w->cell = 1;
        w->lstart = 0;
      } else {
        mtport_md__puts(w->o, " |");
        w->cell = 0;
      }
    } else if (t == CMARK_NODE_TEXT) {
      S_w_text(w, cmark_node_get_literal(n), S_after(n));
    } else if (t == CMARK_NODE_SOFTBREAK) {
      S_w_nl(w);
      S_w_bol(w);
    } else if (t == CMARK_NODE_LINEBREAK) {
      mtport_md__putc(w->o, '\\');
      S_w_nl(w);
      S_w_bol(w);
    } else if (t == CMARK_NODE_CODE) {
      S_w_code(w, cmark_node_get_literal(n));
    } else if (t == CMARK_NODE_HTML_INLINE) {
      const char *lit = cmark_node_get_literal(n);
      mtport_md__puts(w->o, lit);
      w->kraw += S_kraw_delta(lit, w->kraw);
      if (S_markdown_attr(lit))
        w->quirks |= 1u << Q_MARKDOWN_ATTR;
      w->lstart = 0;
    } else if (t == CMARK_NODE_EMPH) {
      /* Next to a strong run, "***" would swap the nesting: use '_'. */
      cmark_node *par = cmark_node_parent(n);
      cmark_node *fc = cmark_node_first_child(n),
                 *lc = cmark_node_last_child(n);
      int us = (cmark_node_get_type(par) == CMARK_NODE_STRONG &&
                (cmark_node_first_child(par) == n ||
                 cmark_node_last_child(par) == n)) ||
               (fc && cmark_node_get_type(fc) == CMARK_NODE_STRONG) ||
               (lc && cmark_node_get_type(lc) == CMARK_NODE_STRONG);
      mtport_md__putc(w->o, us ? '_' : '*');
      w->lstart = 0;
    } else if (t == CMARK_NODE_STRONG) {
      mtport_md__puts(w->o, "**");
      w->lstart = 0;
    } else if (t == CMARK_NODE_STRIKETHROUGH) {
      mtport_md__puts(w->o, "~~");
      w->lstart = 0;
    } else if (t == CMARK_NODE_LINK) {
      if (S_autolink(n)) {
        if (enter) {
          mtport_md__putc(w->o, '<');
          mtport_md__puts(w->o, cmark_node_get_url(n));
          mtport_md__putc(w->o, '>');
        }
        cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
      } else if (enter)
        mtport_md__putc(w->o, '[');
      else {
        mtport_md__putc(w->o, ']');
        S_w_dest(w, cmark_node_get_url(n), cmark_node_get_title(n));
      }
      w->lstart = 0;
    } else if (t == CMARK_NODE_IMAGE) {
      if (enter) {
        mtport_md__puts(w->o, "![");
        mtport_buf a = MTPORT_BUF_INIT;
        S_alt_text(&a, n);
        w->alt = S_alt_brackets(a.data ? a.data : "");
        mtport_buf_dispose(&a);
      } else {
        w->alt = 0;
        mtport_md__putc(w->o, ']');
        S_w_dest(w, cmark_node_get_url(n), cmark_node_get_title(n));
      }
      w->lstart = 0;
    }
  }
  cmark_iter_free(it);
}

/* ------------------------------------------------------------------ */
/* The proof.                                                           */

static int S_streq(const char *a, const char *b) {
  return strcmp(a ? a : "", b ? b : "") == 0;
}

static int S_html_eq(const char *a, const char *b) {
  size_t na = a ? strlen(a) : 0, nb = b ? strlen(b) : 0;
  while (na && a[na - 1] == '\n')
    na--;
  while (nb && b[nb - 1] == '\n')
    nb--;
  return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

static int S_node_eq(cmark_node *a, cmark_node *b) {
  cmark_node_type t = cmark_node_get_type(a);
  if (t != cmark_node_get_type(b))
    return 0;
  switch (t) {
  case CMARK_NODE_TEXT:
  case CMARK_NODE_CODE:
  case CMARK_NODE_HTML_INLINE:
    return S_streq(cmark_node_get_literal(a), cmark_node_get_literal(b));
  case CMARK_NODE_HTML_BLOCK:
    return S_html_eq(cmark_node_get_literal(a), cmark_node_get_literal(b));
  case CMARK_NODE_CODE_BLOCK:
    return S_streq(cmark_node_get_literal(a), cmark_node_get_literal(b)) &&
           S_streq(cmark_node_get_fence_info(a), cmark_node_get_fence_info(b));
  case CMARK_NODE_HEADING:
    return cmark_node_get_heading_level(a) == cmark_node_get_heading_level(b);
  case CMARK_NODE_LIST:
    return cmark_node_get_list_type(a) == cmark_node_get_list_type(b) &&
           cmark_node_get_list_tight(a) == cmark_node_get_list_tight(b) &&
           (cmark_node_get_list_type(a) != CMARK_ORDERED_LIST ||
            cmark_node_get_list_start(a) == cmark_node_get_list_start(b));
  case CMARK_NODE_LINK:
  case CMARK_NODE_IMAGE:
    return S_streq(cmark_node_get_url(a), cmark_node_get_url(b)) &&
           S_streq(cmark_node_get_title(a), cmark_node_get_title(b));
  default:
    break;
  }
  if (t == CMARK_NODE_TABLE) {
    uint16_t ca = cmark_gfm_extensions_get_table_columns(a);
    if (ca != cmark_gfm_extensions_get_table_columns(b))
      return 0;
    uint8_t *x = cmark_gfm_extensions_get_table_alignments(a);
    uint8_t *y = cmark_gfm_extensions_get_table_alignments(b);
    for (uint16_t i = 0; i < ca; i++)
      if ((x ? x[i] : 0) != (y ? y[i] : 0))
        return 0;
  } else if (t == CMARK_NODE_TABLE_ROW) {
    return cmark_gfm_extensions_get_table_row_is_header(a) ==
           cmark_gfm_extensions_get_table_row_is_header(b);
  }
  return 1;
}

/* 1 when the literal of text node @p a equals the concatenation of the run
 * of adjacent text nodes that starts at *pb, as if the re-parse were
 * consolidated (cmark_parser_finish of cmark-gfm 0.29 consolidates, so a
 * second pass was wasted; this does not depend on it). Leaves *pb on the
 * run's last node. */
static int S_text_run_eq(cmark_node *a, cmark_node **pb) {
  const char *s = cmark_node_get_literal(a);
  size_t n = s ? strlen(s) : 0, off = 0;
  cmark_node *b = *pb, *last = b;
  for (; b && cmark_node_get_type(b) == CMARK_NODE_TEXT;
       b = cmark_node_next(b)) {
    const char *t = cmark_node_get_literal(b);
    size_t m = t ? strlen(t) : 0;
    if (m > n - off || (m && memcmp(s + off, t, m) != 0))
      return 0;
    off += m;
    last = b;
  }
  *pb = last;
  return off == n;
}

/* Structural equality of two subtrees, without recursion: @p a is our
 * tree (compared node by node), @p b a re-parse (runs of text nodes
 * compared as one, as if consolidated). */
static int S_tree_eq(cmark_node *a, cmark_node *b) {
  cmark_node *x = a, *y = b;
  for (;;) {
    if (cmark_node_get_type(x) == CMARK_NODE_TEXT) {
      if (cmark_node_get_type(y) != CMARK_NODE_TEXT || !S_text_run_eq(x, &y))
        return 0;
    } else if (!S_node_eq(x, y))
      return 0;
    cmark_node *cx = cmark_node_first_child(x), *cy = cmark_node_first_child(y);
    if (cx || cy) {
      if (!cx || !cy)
        return 0;
      x = cx;
      y = cy;
      continue;
    }
    /* Next sibling, or climb; done when back at the roots. */
    for (;;) {
      if (x == a)
        return y == b;
      cmark_node *nx = cmark_node_next(x), *ny = cmark_node_next(y);
      if (nx || ny) {
        if (!nx || !ny)
          return 0;
        x = nx;
        y = ny;
        break;
      }
      x = cmark_node_parent(x);
      y = cmark_node_parent(y);
    }
  }
}

/* Writes block i into its own buffer. */
static void S_write_blk(S_conv *c, size_t i) {
  S_blk *b = &c->blk[i];
  mtport_buf_clear(&b->md);
  /* First write: room for the average block (Markdown is a bit shorter
   * than its HTML), so most blocks never grow. */
  if (!b->md.cap && c->nblk)
    mtport_md__reserve(&b->md, c->in_len / c->nblk + 16);
  S_w w;
  memset(&w, 0, sizeof w);
  w.o = &b->md;
  w.bol = 1;
  w.content_off = (size_t)-1;
  S_write(&w, b->node);
  b->quirks = w.quirks;
  free(w.p);
  free(w.l);
  if (!b->md.data)
    mtport_md__puts(&b->md, "");
}

/* The proof's re-parses: one alive at a time, in the parse arena. */
static cmark_node *S_parse(S_conv *c, const char *md, size_t len) {
  return mtport_md__parse_md_split(md, len, c->parse_mem);
}

static void S_parsed_free(S_conv *c, cmark_node *doc) {
  if (c->arenas)
    mtport_md__arena_reset(&c->parse_arena); /* nothing node by node */
  else
    cmark_node_free(doc);
}

static int S_blk_proves(S_conv *c, size_t i) {
  cmark_node *doc = S_parse(c, c->blk[i].md.data, c->blk[i].md.len);
  if (!doc) {
    c->rc = MTPORT_ENOMEM;
    return 0;
  }
  cmark_node *k = cmark_node_first_child(doc);
  int ok = k && !cmark_node_next(k) && S_tree_eq(c->blk[i].node, k);
  S_parsed_free(c, doc);
  return ok;
}

static void S_finding(S_conv *c, size_t i, const char *what) {
  if (!c->rep)
    return;
  S_blk *b = &c->blk[i];
  mtport_buf *f = &c->rep->findings;
  mtport_buf_printf(f, "block %lu (%s, HTML line %ld): %s",
                    (unsigned long)(i + 1), cmark_node_get_type_string(b->node),
                    b->first ? (long)xmlGetLineNo(b->first) : 0L, what);
  /* A short excerpt of the block's Markdown. */
  mtport_md__puts(f, ": \"");
  size_t n = 0;
  for (const char *p = b->md.data ? b->md.data : "";
       *p && (n < 60 || ((unsigned char)*p & 0xC0) == 0x80); p++, n++)
    mtport_md__puts(f, *p == '\n'  ? "\\n"
                       : *p == '"' ? "\\\""
                                   : (char[2]){*p, 0});
  mtport_md__puts(f, "\"\n");
}

/* Character classes for delimiter flanking: 0 space, 1 punctuation,
 * 2 other. Unicode coverage is approximate; the proof has the last word. */
static int S_cp_class(unsigned long cp) {
  if (cp == 0 || cp == ' ' || cp == '\t' || cp == '\n' || cp == 0xA0 ||
      (cp >= 0x2000 && cp <= 0x200A) || cp == 0x3000 || cp == 0x202F ||
      cp == 0x205F)
    return 0;
  if (cp < 0x80)
    return ispunct((int)cp) ? 1 : 2;
  if (cp == 0xA1 || cp == 0xA7 || cp == 0xAB || cp == 0xB6 || cp == 0xB7 ||
      cp == 0xBB || cp == 0xBF || (cp >= 0x2010 && cp <= 0x2027) ||
      (cp >= 0x2030 && cp <= 0x205E) || (cp >= 0x3001 && cp <= 0x3003) ||
      (cp >= 0x3008 && cp <= 0x3011) || (cp >= 0x3014 && cp <= 0x301F) ||
      cp == 0x30FB ||
      (cp >= 0xFF01 && cp <= 0xFF0F && cp != 0xFF04 && cp != 0xFF0B) ||
      cp == 0xFF1A || cp == 0xFF1B || cp == 0xFF1F || cp == 0xFF20 ||
      (cp >= 0xFF3B && cp <= 0xFF3F) || (cp >= 0xFF5B && cp <= 0xFF65))
    return 1;
  return 2;
}

/* Decodes the code point at s (valid UTF-8); sets *len. */
static unsigned long S_cp_at(const unsigned char *s, size_t *len) {
  if (s[0] < 0x80) {
    *len = 1;
    return s[0];
  }
  int n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
  unsigned long cp = s[0] & (0x3F >> (n - 1));
  for (int i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) {
      *len = (size_t)i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  *len = (size_t)n;
  return cp;
}

/* Start of the last code point of s[0..n). */
static size_t S_cp_back(const char *s, size_t n) {
  size_t i = n - 1;
  while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
    i--;
  return i;
}

static int S_edge_class(cmark_node *n, int last) {
  cmark_node_type t = cmark_node_get_type(n);
  if (t == CMARK_NODE_TEXT) {
    const char *s = cmark_node_get_literal(n);
    size_t len = strlen(s), k;
    if (!len)
      return 0;
    size_t at = last ? S_cp_back(s, len) : 0;
    return S_cp_class(S_cp_at((const unsigned char *)s + at, &k));
  }
  if (t == CMARK_NODE_LINEBREAK || t == CMARK_NODE_SOFTBREAK)
    return 0;
  return 1; /* delimiters, brackets, backticks, tags */
}

/* Class of the character just before (dir -1) or after (+1) node n. */
static int S_outside_class(cmark_node *n, int dir) {
  for (cmark_node *p = n; p;) {
    cmark_node *s = dir < 0 ? cmark_node_previous(p) : cmark_node_next(p);
    if (s)
      return S_edge_class(s, dir < 0);
    p = cmark_node_parent(p);
    if (!p || S_is_block(cmark_node_get_type(p)) ||
        cmark_node_get_type(p) == CMARK_NODE_TABLE_CELL)
      return 0;
    return 1; /* the parent's own delimiter or bracket */
  }
  return 0;
}

static void S_put_text_near(S_conv *c, cmark_node *n, const char *s, size_t len,
                            int before) {
  char *d = mtport__strndup(s, len);
  if (!d) {
    c->rc = MTPORT_ENOMEM;
    return;
  }
  cmark_node *t = S_new_lit(c, CMARK_NODE_TEXT, d);
  free(d);
  if (!t)
    return;
  if (before)
    cmark_node_insert_before(n, t);
  else
    cmark_node_insert_after(n, t);
}

/* The emphasis and strikethrough nodes under @p top, in document order, so
 * they can be rewritten without disturbing an iterator. Caller frees; on
 * allocation failure the list is cut short (those nodes stay as they are). */
static cmark_node **S_collect_emphasis(cmark_node *top, size_t *count) {
  cmark_node **v = NULL;
  size_t nv = 0, cap = 0;
  cmark_iter *it = cmark_iter_new(top);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    if (ev == CMARK_EVENT_ENTER &&
        (t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG ||
         t == CMARK_NODE_STRIKETHROUGH)) {
      if (nv == cap) {
        cap = cap ? cap * 2 : 16;
        cmark_node **nvv = realloc(v, cap * sizeof *v);
        if (!nvv)
          break;
        v = nvv;
      }
      v[nv++] = n;
    }
  }
  cmark_iter_free(it);
  *count = nv;
  return v;
}

static int S_emph_to_raw(S_conv *c, cmark_node *n);

/* Where emphasis delimiters could not open or close: white space at the
 * edges moves outside them ("** a**" -> " **a**"); emphasis whose edge is
 * punctuation next to a letter outside ("a**"q"**b", "**A:**B") becomes
 * raw tags, so that the punctuation stays emphasized. */
static int S_shift_punct(S_conv *c, cmark_node *top) {
  int raw = 0;
  size_t nv;
  cmark_node **v = S_collect_emphasis(top, &nv);
  for (size_t i = 0; i < nv; i++) {
    cmark_node *n = v[i];
    cmark_node *f = cmark_node_first_child(n);
    if (f && cmark_node_get_type(f) == CMARK_NODE_TEXT &&
        S_edge_class(f, 0) == 0) {
      const char *s = cmark_node_get_literal(f);
      size_t k = 0, l;
      while (s[k] && S_cp_class(S_cp_at((const unsigned char *)s + k, &l)) == 0)
        k += l;
      S_put_text_near(c, n, s, k, 1);
      char *rest = mtport__strdup(s + k);
      if (rest)
        cmark_node_set_literal(f, rest);
      free(rest);
      if (!*cmark_node_get_literal(f))
        cmark_node_free(f);
    }
    cmark_node *z = cmark_node_last_child(n);
    if (z && cmark_node_get_type(z) == CMARK_NODE_TEXT &&
        S_edge_class(z, 1) == 0) {
      const char *s = cmark_node_get_literal(z);
      size_t len = strlen(s), k = len;
      while (k > 0) {
        size_t b = S_cp_back(s, k), l;
        if (S_cp_class(S_cp_at((const unsigned char *)s + b, &l)) != 0)
          break;
        k = b;
      }
      S_put_text_near(c, n, s + k, len - k, 0);
      char *rest = mtport__strndup(s, k);
      if (rest)
        cmark_node_set_literal(z, rest);
      free(rest);
      if (!*cmark_node_get_literal(z))
        cmark_node_free(z);
    }
    f = cmark_node_first_child(n);
    z = cmark_node_last_child(n);
    if (!f) {
      cmark_node_free(n);
      continue;
    }
    if ((S_edge_class(f, 0) == 1 && S_outside_class(n, -1) == 2) ||
        (S_edge_class(z, 1) == 1 && S_outside_class(n, 1) == 2))
      raw += S_emph_to_raw(c, n);
  }
  free(v);
  cmark_consolidate_text_nodes(top);
  return raw;
}

/* Hard breaks inside @p n as raw <br /> (Q_RAW_BREAK: kramdown shows the
 * backslash of one inside raw tags). */
static void S_raw_breaks(S_conv *c, cmark_node *n) {
  cmark_node *k = cmark_node_first_child(n);
  while (k && k != n) {
    cmark_node *next = NULL;
    if (cmark_node_first_child(k))
      next = cmark_node_first_child(k);
    else
      for (cmark_node *u = k; u && u != n && !next; u = cmark_node_parent(u))
        next = cmark_node_next(u);
    if (cmark_node_get_type(k) == CMARK_NODE_LINEBREAK) {
      cmark_node *h = S_new_lit(c, CMARK_NODE_HTML_INLINE, "<br />");
      if (h) {
        cmark_node_replace(k, h);
        cmark_node_free(k);
      }
    }
    k = next;
  }
}

/* One emphasis node as raw tags around its children; 0 when out of
 * memory (the node is left as it is). */
static int S_emph_to_raw(S_conv *c, cmark_node *n) {
  cmark_node_type t = cmark_node_get_type(n);
  const char *tag = t == CMARK_NODE_EMPH     ? "em"
                    : t == CMARK_NODE_STRONG ? "strong"
                                             : "del";
  char o[16], e[16];
  snprintf(o, sizeof o, "<%s>", tag);
  snprintf(e, sizeof e, "</%s>", tag);
  cmark_node *a = S_new_lit(c, CMARK_NODE_HTML_INLINE, o);
  cmark_node *z = S_new_lit(c, CMARK_NODE_HTML_INLINE, e);
  if (!a || !z)
    return 0;
  S_raw_breaks(c, n);
  cmark_node_insert_before(n, a);
  cmark_node *ch;
  while ((ch = cmark_node_first_child(n)) != NULL) {
    cmark_node_unlink(ch);
    cmark_node_insert_before(n, ch);
  }
  cmark_node_insert_before(n, z);
  cmark_node_free(n);
  return 1;
}

/* Emphasis as raw tags: cmark parses the text between them as usual. */
static void S_raw_emphasis(S_conv *c, cmark_node *top) {
  size_t nv;
  cmark_node **v = S_collect_emphasis(top, &nv);
  for (size_t i = 0; i < nv; i++)
    if (!S_emph_to_raw(c, v[i]))
      break;
  free(v);
  /* Merge text nodes that became adjacent. */
  cmark_consolidate_text_nodes(top);
}

/* 1 when link or image @p n holds a link or image. */
static int S_holds_link(cmark_node *n) {
  cmark_iter *it = cmark_iter_new(n);
  cmark_event_type ev;
  int found = 0;
  while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *k = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(k);
    found = k != n && ev == CMARK_EVENT_ENTER &&
            (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE);
  }
  cmark_iter_free(it);
  return found;
}

static void S_attr_put(mtport_buf *b, const char *name, const char *v) {
  mtport_buf_printf(b, " %s=\"", name);
  for (; *v; v++)
    mtport_md__puts(b, *v == '&'   ? "&amp;"
                       : *v == '"' ? "&quot;"
                       : *v == '<' ? "&lt;"
                       : *v == '>' ? "&gt;"
                                   : (char[2]){*v, 0});
  mtport_md__putc(b, '"');
}

/* Q_ALT_ESCAPES: an image whose description would need a backslash or a
 * reference becomes a raw <img>; 1 when it did. */
static int S_alt_quirk(S_conv *c, cmark_node *img, int pipes, int cell) {
  mtport_buf alt = MTPORT_BUF_INIT, out = MTPORT_BUF_INIT;
  S_alt_text(&alt, img);
  const char *a = alt.data ? alt.data : "";
  S_w w;
  memset(&w, 0, sizeof w);
  w.o = &out;
  w.pipes = pipes;
  w.cell = cell;
  w.alt = S_alt_brackets(a);
  S_w_text(&w, a, ']');
  int raw = !S_streq(a, out.data);
  if (raw) {
    mtport_buf t = MTPORT_BUF_INIT;
    mtport_md__puts(&t, "<img");
    S_attr_put(&t, "src", cmark_node_get_url(img));
    S_attr_put(&t, "alt", a);
    const char *title = cmark_node_get_title(img);
    if (title && *title)
      S_attr_put(&t, "title", title);
    mtport_md__puts(&t, " />");
    if (cell) /* a '|' would end the cell */
      for (size_t k = 0; k < t.len; k++)
        if (t.data[k] == '|') {
          mtport_buf u = MTPORT_BUF_INIT;
          mtport_md__append(&u, t.data, k);
          for (; k < t.len; k++)
            mtport_md__puts(&u, t.data[k] == '|' ? "&#124;"
                                                 : (char[2]){t.data[k], 0});
          mtport_buf_dispose(&t);
          t = u;
          break;
        }
    cmark_node *h = S_new_lit(c, CMARK_NODE_HTML_INLINE, t.data ? t.data : "");
    mtport_buf_dispose(&t);
    if (h) {
      cmark_node_replace(img, h);
      cmark_node_free(img);
    } else
      raw = 0;
  }
  mtport_buf_dispose(&alt);
  mtport_buf_dispose(&out);
  return raw;
}

/* 1 when raw tag @p lit opens (or closes) an element that is not one of
 * kramdown's span elements. */
static int S_line_tag(const char *lit) {
  char name[16];
  size_t k = 0;
  const char *p = lit + 1 + (lit[1] == '/');
  if (lit[0] != '<')
    return 0;
  while (k < sizeof name - 1 && isalnum((unsigned char)p[k]))
    name[k] = (char)tolower((unsigned char)p[k]), k++;
  name[k] = '\0';
  return k && !mtport_md__kramdown_span(name);
}

/* Rewrites what a consumer would read otherwise (S_quirk_table) where
 * the tree must change, not only the spelling: emphasis around a linked
 * image (Q_EMPH_LINKED_IMAGE), image descriptions that need escapes
 * (Q_ALT_ESCAPES), '|' in the URLs of a piped paragraph (Q_PIPE_TABLE). */
static cmark_node *S_quirks(S_conv *c, cmark_node *top, int *raw) {
  cmark_node **stack = NULL, **bad = NULL, **imgs = NULL, **codes = NULL,
             **hrs = NULL, **brs = NULL;
  unsigned char *marked = NULL, *imgfl = NULL;
  size_t ns = 0, cs = 0, nb = 0, cb = 0, ni = 0, ci = 0, nc = 0, cc = 0, nh = 0,
         ch = 0, nbr = 0, cbr = 0;
  int pipes = 0, cell = 0, items = 0, ok = 1;
  cmark_iter *it = cmark_iter_new(top);
  cmark_event_type ev;
  while (ok && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    int enter = ev == CMARK_EVENT_ENTER;
    if (t == CMARK_NODE_PARAGRAPH) {
      pipes = enter && c->pipe_seen && S_piped(n);
      if (enter) /* for the writer */
        cmark_node_set_user_data(n, pipes ? (void *)&S_quirk_table : NULL);
    } else if (t == CMARK_NODE_TABLE_CELL)
      cell = enter;
    else if (t == CMARK_NODE_HTML_INLINE && cell &&
             strchr(cmark_node_get_literal(n), '|')) {
      /* a '|' in a tag's attributes would end the table cell */
      mtport_buf u = MTPORT_BUF_INIT;
      for (const char *p = cmark_node_get_literal(n); *p; p++)
        mtport_md__puts(&u, *p == '|' ? "&#124;" : (char[2]){*p, 0});
      cmark_node_set_literal(n, u.data ? u.data : "");
      mtport_buf_dispose(&u);
    } else if (t == CMARK_NODE_HTML_INLINE && !*raw) {
      /* Q_INLINE_BLOCK_TAG */
      const char *l = cmark_node_get_literal(n);
      char name[16];
      size_t k = 0;
      while (l[0] == '<' && k < sizeof name - 1 &&
             isalnum((unsigned char)l[1 + k]))
        name[k] = (char)tolower((unsigned char)l[1 + k]), k++;
      name[k] = '\0';
      *raw = k && !isalnum((unsigned char)l[1 + k]) &&
             mtport_md__kramdown_block(name);
    } else if (t == CMARK_NODE_CODE && cell &&
               strchr(cmark_node_get_literal(n), '|')) {
      if (nc == cc) {
        cc = cc ? cc * 2 : 8;
        cmark_node **c2 = realloc(codes, cc * sizeof *c2);
        if (!c2) {
          ok = 0;
          break;
        }
        codes = c2;
      }
      codes[nc++] = n;
    } else if (t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG ||
               t == CMARK_NODE_STRIKETHROUGH) {
      if (enter) {
        if (ns == cs) {
          cs = cs ? cs * 2 : 8;
          cmark_node **s2 = realloc(stack, cs * sizeof *s2);
          unsigned char *m2 = realloc(marked, cs);
          if (s2)
            stack = s2;
          if (m2)
            marked = m2;
          if (!s2 || !m2) {
            ok = 0;
            break;
          }
        }
        stack[ns] = n;
        marked[ns++] = 0;
      } else if (ns && stack[ns - 1] == n) {
        if (marked[--ns]) {
          if (nb == cb) {
            cb = cb ? cb * 2 : 8;
            cmark_node **b2 = realloc(bad, cb * sizeof *b2);
            if (!b2) {
              ok = 0;
              break;
            }
            bad = b2;
          }
          bad[nb++] = n;
        }
      }
    } else if (t == CMARK_NODE_ITEM) {
      items += enter ? 1 : -1;
      /* Q_EMPTY_ITEM: kramdown reads a lone "-" under a line of text as
       * a heading underline: an empty item holds a comment */
      if (enter && !cmark_node_first_child(n)) {
        cmark_node *h = S_new_lit(c, CMARK_NODE_HTML_BLOCK, "<!-- -->");
        if (h)
          cmark_node_append_child(n, h);
      }
    } else if (t == CMARK_NODE_LINEBREAK && enter) {
      /* Q_LINE_START_TAG: kramdown ends a paragraph at a line opening
       * with a tag other than a span element's */
      cmark_node *nx = cmark_node_next(n);
      if (nx && cmark_node_get_type(nx) == CMARK_NODE_HTML_INLINE &&
          S_line_tag(cmark_node_get_literal(nx))) {
        if (nbr == cbr) {
          cbr = cbr ? cbr * 2 : 8;
          cmark_node **b2 = realloc(brs, cbr * sizeof *b2);
          if (!b2) {
            ok = 0;
            break;
          }
          brs = b2;
        }
        brs[nbr++] = n;
      }
    } else if (t == CMARK_NODE_THEMATIC_BREAK && items) {
      if (nh == ch) {
        ch = ch ? ch * 2 : 8;
        cmark_node **h2 = realloc(hrs, ch * sizeof *h2);
        if (!h2) {
          ok = 0;
          break;
        }
        hrs = h2;
      }
      hrs[nh++] = n;
    } else if (enter && (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)) {
      /* The same URLs, in the form cmark's and goldmark's HTML has
       * them: kramdown would read a '|' there as a table cell's end
       * (Q_PIPE_TABLE) and keeps the backslash of an escape
       * (Q_URL_BACKSLASH). */
      const char *url = cmark_node_get_url(n);
      if (strchr(url, '\\') || ((pipes || cell) && strchr(url, '|'))) {
        mtport_buf u = MTPORT_BUF_INIT;
        for (const char *p = url; *p; p++)
          mtport_md__puts(&u, *p == '\\' ? "%5C"
                              : *p == '|' && (pipes || cell)
                                  ? "%7C"
                                  : (char[2]){*p, 0});
        cmark_node_set_url(n, u.data ? u.data : "");
        mtport_buf_dispose(&u);
      }
      if (ns && S_holds_link(n))
        memset(marked, 1, ns);
      if (t == CMARK_NODE_IMAGE) {
        if (ni == ci) {
          ci = ci ? ci * 2 : 8;
          cmark_node **i2 = realloc(imgs, ci * sizeof *i2);
          unsigned char *f2 = realloc(imgfl, ci);
          if (i2)
            imgs = i2;
          if (f2)
            imgfl = f2;
          if (!i2 || !f2) {
            ok = 0;
            break;
          }
        }
        imgfl[ni] = (unsigned char)(pipes | cell << 1); /* written under */
        imgs[ni++] = n;
      }
    }
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < nb; i++)
    S_emph_to_raw(c, bad[i]);
  /* Q_PIPE_TABLE: a '|' in code in a table cell needs "\\|" for GFM,
   * which kramdown shows: raw <code> tags, the pipe a reference. */
  for (size_t i = 0; i < nc; i++) {
    cmark_node *a = S_new_lit(c, CMARK_NODE_HTML_INLINE, "<code>");
    cmark_node *z = S_new_lit(c, CMARK_NODE_HTML_INLINE, "</code>");
    cmark_node *x =
        S_new_lit(c, CMARK_NODE_TEXT, cmark_node_get_literal(codes[i]));
    if (!a || !z || !x)
      break;
    cmark_node_insert_before(codes[i], a);
    cmark_node_insert_before(codes[i], x);
    cmark_node_insert_before(codes[i], z);
    cmark_node_free(codes[i]);
  }
  for (size_t i = 0; i < ni; i++) {
    cmark_node *par = cmark_node_parent(imgs[i]);
    if (!S_alt_quirk(c, imgs[i], imgfl[i] & 1, imgfl[i] >> 1 & 1) || !par ||
        cmark_node_get_type(par) != CMARK_NODE_PARAGRAPH)
      continue;
    /* A raw <img> alone in its paragraph is an HTML block. */
    cmark_node *h = S_para_as_html(c, par);
    if (h) {
      cmark_node_replace(par, h);
      if (par == top)
        top = h;
      cmark_node_free(par);
    }
  }
  /* Q_LIST_RULE: after a blank line kramdown ends a list at "---". */
  for (size_t i = 0; i < nh; i++) {
    cmark_node *h = S_new_lit(c, CMARK_NODE_HTML_BLOCK, "<hr />");
    if (!h)
      break;
    cmark_node_replace(hrs[i], h);
    cmark_node_free(hrs[i]);
  }
  for (size_t i = 0; i < nbr; i++) {
    cmark_node *h = S_new_lit(c, CMARK_NODE_HTML_INLINE, "<br />");
    if (!h)
      break;
    cmark_node_replace(brs[i], h);
    cmark_node_free(brs[i]);
  }
  if (nb || nc)
    cmark_consolidate_text_nodes(top);
  free(brs);
  free(hrs);
  free(codes);
  free(stack);
  free(marked);
  free(bad);
  free(imgs);
  free(imgfl);
  return top;
}

static void S_to_raw(S_conv *c, size_t i) {
  S_blk *b = &c->blk[i];
  mtport_buf h = MTPORT_BUF_INIT;
  if (b->implicit)
    mtport_md__puts(&h, "<p>");
  if (b->first)
    mtport_md__serialize(&h, b->first, b->last, c->base);
  if (b->implicit)
    mtport_md__puts(&h, "</p>");
  const char *s = h.data ? h.data : "";
  /* A type 7 HTML block needs the tag alone on its first line. */
  mtport_buf lit = MTPORT_BUF_INIT;
  const char *gt = strchr(s, '>');
  if (!b->implicit && S_block_div(&lit, s))
    ;
  else if (*s == '<' && gt && !b->implicit && b->first &&
           b->first->type == XML_ELEMENT_NODE &&
           cmark_node_get_type(b->node) != CMARK_NODE_HTML_BLOCK) {
    mtport_md__append(&lit, s, (size_t)(gt - s) + 1);
    if (gt[1] && gt[1] != '\n' &&
        !strchr("pPhHuUoObBtTdD", s[1])) /* p, h1-6, ul, ol, bq, table... */
      mtport_md__putc(&lit, '\n');
    mtport_md__puts(&lit, gt + 1);
  } else
    mtport_md__puts(&lit, s);
  cmark_node *n = S_new_lit(c, CMARK_NODE_HTML_BLOCK, lit.data ? lit.data : "");
  mtport_buf_dispose(&h);
  mtport_buf_dispose(&lit);
  if (!n)
    return;
  cmark_node_replace(b->node, n);
  cmark_node_free(b->node);
  b->node = n;
  b->state = 2;
  S_write_blk(c, i);
}

static void S_join(S_conv *c, mtport_buf *md) {
  mtport_buf_clear(md);
  size_t total = c->nblk;
  for (size_t i = 0; i < c->nblk; i++)
    total += c->blk[i].md.len;
  mtport_md__reserve(md, total);
  for (size_t i = 0; i < c->nblk; i++) {
    if (i)
      mtport_md__putc(md, '\n');
    mtport_md__append(md, c->blk[i].md.data, c->blk[i].md.len);
  }
  if (!md->data)
    mtport_md__puts(md, "");
}

/* Signature of rendered Markdown (a parsed subtree). */
static int S_render_sig(mtport_buf *sig, cmark_node *n) {
  char *html = cmark_render_html_with_mem(n, CMARK_OPT_UNSAFE, NULL,
                                          cmark_get_default_mem_allocator());
  if (!html)
    return MTPORT_ENOMEM;
  htmlDocPtr d = mtport_md__parse_html(html, strlen(html));
  free(html);
  if (!d)
    return MTPORT_ENOMEM;
  S_mark_blocks(d); /* caches element classes */
  int rc = MTPORT_OK;
  if (d->children)
    rc = mtport_md__signature(sig, d->children, xmlGetLastChild((xmlNode *)d),
                              NULL);
  xmlFreeDoc(d);
  return rc;
}

static void S_sig_finding(S_conv *c, size_t i, const mtport_buf *want,
                          const mtport_buf *got, int fell_back) {
  size_t k = 0;
  const char *a = want->data ? want->data : "", *b = got->data ? got->data : "";
  while (a[k] && a[k] == b[k])
    k++;
  while (k && ((unsigned char)a[k] & 0xC0) == 0x80)
    k--;
  mtport_buf m = MTPORT_BUF_INIT;
  size_t la = strlen(a + k), lb = strlen(b + k);
  la = la > 40 ? 40 : la;
  lb = lb > 40 ? 40 : lb;
  while (la && a[k + la] && ((unsigned char)a[k + la] & 0xC0) == 0x80)
    la--;
  while (lb && b[k + lb] && ((unsigned char)b[k + lb] & 0xC0) == 0x80)
    lb--;
  mtport_buf_printf(&m,
                    "rendering differs from the source at \"%.*s\" "
                    "(source) vs \"%.*s\" (Markdown)%s",
                    (int)la, a + k, (int)lb, b + k,
                    fell_back ? "; kept as raw HTML" : "");
  for (size_t j = 0; j < m.len; j++)
    if ((unsigned char)m.data[j] < 0x20)
      m.data[j] = ' ';
  S_finding(c, i, m.data ? m.data : "");
  mtport_buf_dispose(&m);
}

/* Compares the Markdown's rendering with the source, block by block.
 * Returns 1 when a block was switched to raw HTML (recheck needed). */
static int S_prove_sig(S_conv *c, xmlDocPtr src, cmark_node *parsed,
                       int last_round) {
  mtport_buf a = MTPORT_BUF_INIT, b = MTPORT_BUF_INIT;
  int changed = 0;
  /* Signatures hold the visible text: at most about the HTML's size. */
  mtport_md__reserve(&a, c->in_len + 64);
  mtport_md__reserve(&b, c->in_len + 64);
  if (src->children)
    mtport_md__signature(&a, src->children, xmlGetLastChild((xmlNode *)src),
                         c->base);
  /* Fast path: the rendering's signature straight from the tree. */
  if (mtport_md__tree_signature(&b, parsed) && S_streq(a.data, b.data)) {
    mtport_buf_dispose(&a);
    mtport_buf_dispose(&b);
    return 0;
  }
  mtport_buf_clear(&b);
  S_render_sig(&b, parsed);
  if (S_streq(a.data, b.data)) {
    mtport_buf_dispose(&a);
    mtport_buf_dispose(&b);
    return 0;
  }
  int any = 0;
  cmark_node *k = cmark_node_first_child(parsed);
  for (size_t i = 0; i < c->nblk && k; i++, k = cmark_node_next(k)) {
    S_blk *bl = &c->blk[i];
    mtport_buf_clear(&a);
    mtport_buf_clear(&b);
    if (bl->implicit)
      mtport_md__putc(&a, ' ');
    if (bl->first)
      mtport_md__signature(&a, bl->first, bl->last, c->base);
    S_render_sig(&b, k);
    /* trim leading space difference from the wrapper */
    const char *x = a.data ? a.data : "", *y = b.data ? b.data : "";
    while (*x == ' ')
      x++;
    while (*y == ' ')
      y++;
    if (strcmp(x, y) == 0)
      continue;
    any = 1;
    int fall = bl->state < 2 && !last_round;
    if (fall || !bl->diff) {
      mtport_buf wa = MTPORT_BUF_INIT, wb = MTPORT_BUF_INIT;
      mtport_md__puts(&wa, x);
      mtport_md__puts(&wb, y);
      S_sig_finding(c, i, &wa, &wb, fall);
      mtport_buf_dispose(&wa);
      mtport_buf_dispose(&wb);
    }
    if (fall) {
      if (c->rep)
        c->rep->raw_blocks++;
      S_to_raw(c, i);
      changed = 1;
    } else if (!bl->diff) {
      bl->diff = 1;
      if (c->rep)
        c->rep->differences++;
    }
  }
  if (!any && last_round && c->rep) {
    /* Text outside any block differs: a mapping bug; report it. */
    c->rep->differences++;
    mtport_md__puts(&c->rep->findings,
                    "document: rendered content differs from the source "
                    "outside any block\n");
  }
  mtport_buf_dispose(&a);
  mtport_buf_dispose(&b);
  if (changed)
    return 1;
  return !any && !last_round ? 2 : 0;
}

/* Structure proof: returns the parsed document (caller frees) or NULL. */
static cmark_node *S_prove_tree(S_conv *c, mtport_buf *md, int last_round) {
  for (int round = 0; round < 8; round++) {
    S_join(c, md);
    cmark_node *doc = S_parse(c, md->data, md->len);
    if (!doc) {
      c->rc = MTPORT_ENOMEM;
      return NULL;
    }
    size_t i = 0;
    cmark_node *k = cmark_node_first_child(doc);
    int ok = 1;
    for (; i < c->nblk && k; i++, k = cmark_node_next(k))
      if (!S_tree_eq(c->blk[i].node, k)) {
        ok = 0;
        break;
      }
    if (ok && i == c->nblk && !k)
      return doc;
    S_parsed_free(c, doc);
    if (round == 7 || last_round)
      break;
    /* Find the blocks that fail alone and repair them. */
    int fixed = 0;
    for (i = 0; i < c->nblk; i++) {
      if (S_blk_proves(c, i))
        continue;
      S_blk *b = &c->blk[i];
      if (b->state == 0) {
        int raws = S_shift_punct(c, b->node);
        S_write_blk(c, i);
        if (S_blk_proves(c, i)) {
          b->state = 1;
          fixed = 1;
          if (raws && c->rep) {
            c->rep->raw_blocks++;
            S_finding(c, i, "emphasis kept as raw HTML tags");
          }
          continue;
        }
        S_raw_emphasis(c, b->node);
        b->state = 1;
        S_write_blk(c, i);
        if (S_blk_proves(c, i)) {
          if (c->rep) {
            c->rep->raw_blocks++;
            S_finding(c, i, "emphasis kept as raw HTML tags");
          }
          fixed = 1;
          continue;
        }
      }
      if (b->state < 2) {
        if (c->rep) {
          c->rep->raw_blocks++;
          S_finding(c, i, "Markdown did not parse back; kept as raw HTML");
        }
        S_to_raw(c, i);
        fixed = 1;
      }
    }
    if (!fixed) {
      /* Every block proves alone: the ones that differ in context go raw. */
      S_join(c, md);
      cmark_node *d2 = S_parse(c, md->data, md->len);
      cmark_node *k2 = d2 ? cmark_node_first_child(d2) : NULL;
      for (i = 0; d2 && i < c->nblk;
           i++, k2 = k2 ? cmark_node_next(k2) : NULL) {
        if (k2 && S_tree_eq(c->blk[i].node, k2))
          continue;
        if (c->blk[i].state < 2) {
          if (c->rep) {
            c->rep->raw_blocks++;
            S_finding(c, i,
                      "Markdown parsed differently next to its "
                      "neighbours; kept as raw HTML");
          }
          S_to_raw(c, i);
          fixed = 1;
        }
        break; /* later blocks are misaligned: recheck first */
      }
      if (d2)
        S_parsed_free(c, d2);
    }
    if (!fixed)
      break;
  }
  /* Still different: report every block that differs in context. */
  S_join(c, md);
  cmark_node *doc = S_parse(c, md->data, md->len);
  if (!doc) {
    c->rc = MTPORT_ENOMEM;
    return NULL;
  }
  cmark_node *k = cmark_node_first_child(doc);
  for (size_t i = 0; i < c->nblk; i++, k = k ? cmark_node_next(k) : NULL) {
    if (k && S_tree_eq(c->blk[i].node, k))
      continue;
    if (!c->blk[i].diff) {
      c->blk[i].diff = 1;
      if (c->rep)
        c->rep->differences++;
      S_finding(c, i, "Markdown parses to a different structure");
    }
  }
  return doc;
}

/* Blocks written with a construct a consumer renders differently
 * (S_quirk_table, the reported ones) count as differences. */
static void S_report_quirks(S_conv *c) {
  for (size_t i = 0; i < c->nblk; i++) {
    S_blk *b = &c->blk[i];
    if (!b->quirks || b->state == 2)
      continue;
    for (int q = 0; q < Q_COUNT; q++) {
      if (!(b->quirks & (1u << q)))
        continue;
      char msg[400];
      snprintf(msg, sizeof msg, "written with %s, which %s",
               S_quirk_table[q].construct, S_quirk_table[q].consumer);
      S_finding(c, i, msg);
    }
    if (!b->diff) {
      b->diff = 1;
      if (c->rep)
        c->rep->differences++;
    }
  }
}

static void S_conv_free(S_conv *c) {
  for (size_t i = 0; i < c->nfr; i++) {
    free(c->fr[i].url);
    free(c->fr[i].title);
  }
  free(c->fr);
  for (size_t i = 0; i < c->nblk; i++)
    mtport_buf_dispose(&c->blk[i].md);
  free(c->blk);
  mtport_buf_dispose(&c->text);
  /* With arenas, c->doc and the parsed trees live in them. */
  if (!c->arenas && c->doc)
    cmark_node_free(c->doc);
  mtport_md__arena_dispose(&c->tree_arena);
  mtport_md__arena_dispose(&c->parse_arena);
}

/* 1 when mtport_utf8_sanitize would copy @p s unchanged: tab, LF, CR,
 * printable ASCII and well-formed UTF-8 other than U+FFFE/U+FFFF. */
static int S_needs_no_repair(const unsigned char *s, size_t n) {
  const uint64_t ones = 0x0101010101010101u, highs = ones * 0x80;
  size_t i = 0;
  while (i < n) {
    /* Eight printable ASCII bytes at a time: no high bit, none below
     * 0x20, no DEL. */
    while (n - i >= 8) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      uint64_t del = w ^ (ones * 0x7F);
      if ((w & highs) || ((w - ones * 0x20) & ~w & highs) ||
          ((del - ones) & ~del & highs))
        break;
      i += 8;
    }
    if (i >= n)
      break;
    unsigned c = s[i];
    if (c >= 0x20 && c < 0x7F) {
      i++;
      continue;
    }
    if (c < 0x80) {
      if (c != '\t' && c != '\n' && c != '\r')
        return 0;
      i++;
      continue;
    }
    size_t k;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF)
      k = 2, min = 0x80, c &= 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
      k = 3, min = 0x800, c &= 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
      k = 4, min = 0x10000, c &= 0x07;
    else
      return 0;
    if (n - i < k)
      return 0;
    for (size_t j = 1; j < k; j++) {
      if ((s[i + j] & 0xC0) != 0x80)
        return 0;
      c = (c << 6) | (s[i + j] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) ||
        c == 0xFFFE || c == 0xFFFF)
      return 0;
    i += k;
  }
  return 1;
}

int mtport_html_to_markdown(mtport_buf *out, const char *html, size_t len,
                            const mtport_md_options *opts,
                            mtport_md_report *report) {
  mtport_md__init();
  mtport_md_report local;
  memset(&local, 0, sizeof local);
  mtport_md_report *rep = report ? report : &local;
  mtport_buf in = MTPORT_BUF_INIT;
  mtport_md__html parsed_html;
  int prc;
  if (html && S_needs_no_repair((const unsigned char *)html, len)) {
    /* the usual case: no copy */
    prc = mtport_md__html_parse(&parsed_html, html, len);
  } else {
    if (mtport_utf8_sanitize(&in, html ? html : "", html ? len : 0) < 0)
      return MTPORT_ENOMEM;
    prc = mtport_md__html_parse(&parsed_html, in.data ? in.data : "", in.len);
    mtport_buf_dispose(&in);
  }
  if (prc != MTPORT_OK)
    return MTPORT_ENOMEM;
  htmlDocPtr src = parsed_html.doc;
  S_conv c;
  memset(&c, 0, sizeof c);
  c.base = opts && opts->base_url && *opts->base_url ? opts->base_url : NULL;
  c.flags = opts ? opts->flags : 0;
  c.rep = rep;
  c.in_len = len;
  c.pending = S_NONE;
  c.line_start = 1;
  c.arenas = len <= S_ARENA_MAX_INPUT;
  c.tree_mem = c.arenas ? mtport_md__arena_mem(MTPORT_MD_ARENA_TREE)
                        : cmark_get_default_mem_allocator();
  c.parse_mem = c.arenas ? mtport_md__arena_mem(MTPORT_MD_ARENA_PARSE)
                         : cmark_get_default_mem_allocator();
  mtport_md__arena *prev_tree =
      mtport_md__arena_use(MTPORT_MD_ARENA_TREE, &c.tree_arena);
  mtport_md__arena *prev_parse =
      mtport_md__arena_use(MTPORT_MD_ARENA_PARSE, &c.parse_arena);
  c.doc = S_new(&c, CMARK_NODE_DOCUMENT);
  c.block = c.doc;
  S_mark_blocks(src);

  /* The walk: explicit, parent pointers only. */
  xmlNode *n = c.doc ? src->children : NULL;
  while (n && c.rc == MTPORT_OK) {
    int down = S_enter(&c, n);
    if (down && n->children) {
      n = n->children;
      continue;
    }
    if (down)
      S_exit(&c, n);
    if (c.skip) {
      n = c.skip;
      c.skip = NULL;
    }
    while (n) {
      if (n->next) {
        n = n->next;
        break;
      }
      n = n->parent;
      if (!n || n == (xmlNode *)src) {
        n = NULL;
        break;
      }
      S_exit(&c, n);
    }
  }
  S_close_para(&c);

  mtport_buf md = MTPORT_BUF_INIT;
  for (size_t i = 0; i < c.nblk && c.rc == MTPORT_OK; i++) {
    int raw = 0;
    c.blk[i].node = S_quirks(&c, c.blk[i].node, &raw);
    S_write_blk(&c, i);
    if (raw && c.blk[i].state < 2) {
      rep->raw_blocks++;
      S_finding(&c, i,
                "a block tag inside a paragraph, which kramdown shows as "
                "text; kept as raw HTML");
      S_to_raw(&c, i);
    }
  }
  if (c.rc == MTPORT_OK && !(c.flags & MTPORT_MD_NO_PROOF)) {
    for (int round = 0; round < 3 && c.rc == MTPORT_OK; round++) {
      cmark_node *parsed = S_prove_tree(&c, &md, round == 2);
      if (!parsed)
        break;
      int again = S_prove_sig(&c, src, parsed, round == 2);
      S_parsed_free(&c, parsed);
      if (!again)
        break;
      if (again == 2) {
        /* whole differs, blocks agree: one final pass reports it */
        cmark_node *p2 = S_prove_tree(&c, &md, 1);
        if (p2) {
          S_prove_sig(&c, src, p2, 1);
          S_parsed_free(&c, p2);
        }
        break;
      }
    }
  }
  if (c.rc == MTPORT_OK)
    S_report_quirks(&c);
  S_join(&c, &md);
  rep->blocks += c.nblk;
  int rc = c.rc;
  if (rc == MTPORT_OK)
    rc = mtport_md__append(out, md.data, md.len);
  mtport_buf_dispose(&md);
  S_conv_free(&c);
  mtport_md__arena_use(MTPORT_MD_ARENA_TREE, prev_tree);
  mtport_md__arena_use(MTPORT_MD_ARENA_PARSE, prev_parse);
  mtport_md__html_dispose(&parsed_html);
  mtport_md_report_dispose(&local);
  return rc;
}
