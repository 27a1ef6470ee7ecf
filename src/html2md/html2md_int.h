/* Private to the HTML to Markdown converter (src/html2md*.c). */
#ifndef MTPORT_HTML2MD_INT_H
#define MTPORT_HTML2MD_INT_H

#include "core/core.h"
#include "html2md.h"
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Node types the GFM core extensions export but do not declare. */
extern cmark_node_type CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW,
    CMARK_NODE_TABLE_CELL, CMARK_NODE_STRIKETHROUGH;

/* mtport_buf_putc with its room-left case inlined (hot in the writer and
 * the signatures). */
static inline int mtport_md__putc(mtport_buf *b, char ch) {
  if (b->len + 2 <= b->cap) {
    b->data[b->len++] = ch;
    b->data[b->len] = '\0';
    return MTPORT_OK;
  }
  return mtport_buf_putc(b, ch);
}

static inline int mtport_md__append(mtport_buf *b, const char *s, size_t n) {
  if (n < b->cap && b->len + n + 1 <= b->cap) {
    if (n)
      memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return MTPORT_OK;
  }
  return mtport_buf_append(b, s, n);
}

/* Makes room for @p n more bytes (and the terminator) in one realloc, so a
 * buffer whose final size is known roughly does not grow by doubling. */
static inline int mtport_md__reserve(mtport_buf *b, size_t n) {
  if (n > SIZE_MAX / 2 - b->len)
    return MTPORT_ENOMEM;
  if (b->len + n + 1 <= b->cap)
    return MTPORT_OK;
  char *d = realloc(b->data, b->len + n + 1);
  if (!d)
    return MTPORT_ENOMEM;
  if (!b->data)
    d[0] = '\0';
  b->data = d;
  b->cap = b->len + n + 1;
  return MTPORT_OK;
}

static inline int mtport_md__puts(mtport_buf *b, const char *s) {
  return mtport_md__append(b, s, strlen(s));
}

cmark_syntax_extension *mtport_md__ext_table(void);
/* cmark_parser_finish() under the lock that keeps cmark-gfm 0.29's global
 * table of special characters whole (see html2md_dom.c). */
cmark_node *mtport_md__finish(cmark_parser *p);
cmark_syntax_extension *mtport_md__ext_strike(void);

/* Parses HTML (already valid UTF-8) with the converter's libxml2 options:
 * recover, no network, no messages, UTF-8 forced. NULL on failure. */
htmlDocPtr mtport_md__parse_html(const char *html, size_t len);

/* The SAX callbacks of an HTML parse; NULL ones keep libxml2's HTML
 * defaults. Each gets the parser context, whose _private is the caller's. */
typedef struct {
  startElementSAXFunc start;
  endElementSAXFunc end;
  charactersSAXFunc characters;
  ignorableWhitespaceSAXFunc ignorable;
  cdataBlockSAXFunc cdata;
  commentSAXFunc comment;
  processingInstructionSAXFunc pi;
} mtport_md__sax;
/* Runs libxml2's HTML parser over @p html with the converter's options
 * (recover, no network, no messages, UTF-8 forced, huge allowed) and
 * @p cb, @p priv as the context's _private: the one parse setup of the
 * converter's tree (html2md_sax.c) and the junk cleaner (clean.c), so
 * both see the same elements. Returns the context after the parse (the
 * caller takes or frees its myDoc, then frees it), NULL when out of
 * memory. @p len is at most INT_MAX. */
xmlParserCtxtPtr mtport_md__sax_parse(const char *html, size_t len,
                                      const mtport_md__sax *cb, void *priv);

/* A body parsed by libxml2's HTML parser (same options) into a tree of
 * plain xmlNode/xmlAttr structs allocated from an arena by our own SAX
 * callbacks (html2md_sax.c): the tree libxml2's SAX2 builder would
 * make, in every field the converter reads, without a malloc per node or
 * an xmlFreeDoc walk. Never pass doc to xmlFreeDoc or other libxml2 tree
 * functions that modify or free; read-only ones (xmlGetLineNo,
 * xmlGetLastChild) are fine. */
typedef struct mtport_md__hchunk mtport_md__hchunk;
typedef struct {
  htmlDocPtr doc;           /* the document; its nodes live in the arena */
  mtport_md__hchunk *chunk; /* newest arena chunk */
  size_t first_cap;         /* size of the first chunk */
  int oom;                  /* an allocation failed */
} mtport_md__html;
/* Parses @p html (valid UTF-8) into @p h. MTPORT_ENOMEM on failure (then
 * @p h holds nothing to dispose). */
int mtport_md__html_parse(mtport_md__html *h, const char *html, size_t len);
/* Frees the document and its arena; no-op on an empty @p h. */
void mtport_md__html_dispose(mtport_md__html *h);

/* Parses Markdown with cmark-gfm (table + strikethrough); text nodes
 * consolidated. NULL on allocation failure. */
cmark_node *mtport_md__parse_md(const char *md, size_t len);

/* Memory blocks for arena chunks: at least @p min bytes (*cap set to the
 * real size), from this thread's recycled chunks when one is big enough,
 * else malloc. NULL when out of memory. Give them back with
 * mtport_md__chunk_put (never free()). */
void *mtport_md__chunk_get(size_t min, size_t *cap);
/* Keeps @p p (of @p cap bytes) for this thread's next conversions, or
 * frees it when enough are kept. */
void mtport_md__chunk_put(void *p, size_t cap);

/* Bump allocators for cmark-gfm nodes, so building, parsing and freeing
 * a tree cost almost no malloc/free. cmark_mem has no context pointer, so
 * each of the two slots (MTPORT_MD_ARENA_TREE: the converter's own tree,
 * alive for the whole conversion; MTPORT_MD_ARENA_PARSE: the proof's
 * re-parses, one alive at a time) points at a thread-local arena. Freeing
 * through the arena's cmark_mem does nothing; the memory comes back on
 * reset or dispose. */
typedef struct mtport_md__chunk mtport_md__chunk;
typedef struct {
  mtport_md__chunk *cur;
} mtport_md__arena;
enum { MTPORT_MD_ARENA_TREE, MTPORT_MD_ARENA_PARSE };
/* Makes @p a the current arena of @p slot on this thread; returns the
 * previous one (restore it with the same call when done). */
mtport_md__arena *mtport_md__arena_use(int slot, mtport_md__arena *a);
/* The cmark_mem that allocates from the current arena of @p slot. */
cmark_mem *mtport_md__arena_mem(int slot);
/* Frees everything allocated from @p a but keeps its newest chunk. */
void mtport_md__arena_reset(mtport_md__arena *a);
/* Frees every chunk; @p a is empty (and reusable) afterwards. */
void mtport_md__arena_dispose(mtport_md__arena *a);

/* As mtport_md__parse_md, allocating with @p mem. */
cmark_node *mtport_md__parse_md_mem(const char *md, size_t len, cmark_mem *mem);
/* As mtport_md__parse_md_mem without our own consolidation pass (text
 * nodes as cmark_parser_finish leaves them): for the proof, whose tree
 * comparison merges runs of text itself and whose signatures do not
 * depend on how text is split. */
cmark_node *mtport_md__parse_md_split(const char *md, size_t len,
                                      cmark_mem *mem);

/* Element classes used by the walker, the serializer and the signature. */
enum {
  H_TRANSPARENT = 0, /* no Markdown form, no rendering effect: unwrap */
  H_BLOCK,           /* block-level box with no Markdown form: unwrap */
  H_P,
  H_H,
  H_BQ,
  H_UL,
  H_OL,
  H_LI,
  H_PRE,
  H_TABLE,
  H_HR,
  H_BR,
  H_IMG,
  H_A,
  H_EM,
  H_STRONG,
  H_DEL,
  H_CODE,
  H_RAWTAGS,  /* kept as raw tags around converted content (sup, u...) */
  H_RAWBLOCK, /* kept as one raw HTML block (iframe, form, dl...) */
  H_REMOVE,   /* script, style, noscript: removed and counted */
  H_DROP,     /* meta, link, base: dropped silently */
  H_TABLEPART /* thead, tbody, tfoot, tr, td, th, caption, col... */
};

/* The class; cached in el->_private by the converter's pre-pass as
 * (class + 1) | MTPORT_MD_HAS_BLOCK. */
int mtport_md__class(const xmlNode *el);
int mtport_md__class_uncached(const xmlNode *el);
#define MTPORT_MD_HAS_BLOCK 0x100u
/* More bits of the pre-pass, for text in a monospace font: */
#define MTPORT_MD_MONO 0x200u       /* text here shows in a monospace font */
#define MTPORT_MD_FONT_MONO 0x400u  /* ... set by a font, not a code tag */
#define MTPORT_MD_TXT_MONO 0x800u   /* visible text in monospace inside */
#define MTPORT_MD_TXT_OTHER 0x1000u /* visible text in other fonts inside */
#define MTPORT_MD_NOT_CODE                                                     \
  0x2000u /* holds what no code block can (links,                              \
             images, lists, tables...) */
#define MTPORT_MD_TXT_FONT                                                     \
  0x4000u /* visible text in a monospace font set                              \
             by a font (not a code tag) inside */
/* Sets the monospace bits of element @p n on entering it (its parent's
 * bits are final). */
void mtport_md__mono_enter(xmlNode *n);
/* Adds what @p n (an element or text node being left) tells its parent
 * element: visible text in which font, content no code block holds. */
void mtport_md__mono_leave(xmlNode *n);
/* 1 for an element shown as a code block: a plain box (div, p...) whose
 * visible text is all in a monospace font, some of it set by a font (a
 * box of <code> alone stays inline code), with nothing but text, breaks,
 * phrasing tags and such boxes inside. */
int mtport_md__mono_block(const xmlNode *el);
/* The text of the code block that a run of monospace blocks starting at
 * @p first makes (blank boxes between two of them included), as a browser
 * shows it: lines from breaks and boxes, white space collapsed but each
 * U+00A0 a space (indentation), trailing blanks and blank first and last
 * lines dropped. Appends it to @p out (no final newline) and sets *last to
 * the run's last element; the run ends at sibling @p stop (or NULL). */
int mtport_md__mono_run(mtport_buf *out, xmlNode *first, xmlNode *stop,
                        xmlNode **last);
/* 1 for block-level elements (a break in the flow of text). */
int mtport_md__is_blocky(const xmlNode *el);
/* 1 for void elements (no end tag). */
int mtport_md__is_void(const char *name);
/* 1 when kramdown keeps the element's content as it is, Markdown and
 * backslashes included (no span or block content model there). */
int mtport_md__kramdown_raw(const char *name);
/* 1 for kramdown's span elements (a line opening with one is no HTML
 * block there). */
int mtport_md__kramdown_span(const char *name);
/* 1 for kramdown's block elements (their tags show as text inside a
 * paragraph there). */
int mtport_md__kramdown_block(const char *name);
/* 1 when the element is tracking junk (Zemanta pixie, 1x1 image, flare). */
int mtport_md__is_junk(const xmlNode *el);
/* 1 for a <!--more--> comment. */
int mtport_md__more_comment(const xmlNode *n);
/* Attribute value or NULL (borrowed from libxml2; do not free). */
const char *mtport_md__attr(const xmlNode *el, const char *name);

/* A cleaned, resolved URL (browser rules: trimmed, tab/CR/LF removed),
 * malloc'ed. NULL on allocation failure. */
char *mtport_md__url(const char *raw, const char *base);

/* Serializes [first, last] (siblings) as HTML without blank lines, with
 * removed elements and comments (but <!--more-->) left out and href/src
 * resolved against base. */
int mtport_md__serialize(mtport_buf *out, xmlNode *first, xmlNode *last,
                         const char *base);

/* Appends the comparison signature of [first, last] (siblings, or first
 * alone when last is NULL... pass the same node twice for one node):
 * visible text, whitespace collapsed outside pre, link targets, image and
 * embed sources, alt text. */
int mtport_md__signature(mtport_buf *out, xmlNode *first, xmlNode *last,
                         const char *base);

/* The signature of the HTML cmark-gfm would render from root, from the
 * tree alone; 0 when the tree holds raw HTML (render and parse instead). */
int mtport_md__tree_signature(mtport_buf *out, cmark_node *root);

#endif
