/* The converter's HTML tree, built by our own SAX callbacks into an arena.
 *
 * libxml2's HTML parser does the parsing as before (same context, same
 * options, same error recovery); only the tree building is ours. libxml2's
 * SAX2 builder mallocs every node, attribute and string, and xmlFreeDoc
 * walks and frees them all again: about a quarter of the parse. Here nodes
 * are plain xmlNode/xmlAttr structs bump-allocated from chunks that are
 * freed in one go.
 *
 * The tree must be the one xmlSAX2StartElement & co. would build, in every
 * field the converter reads (type, name, content, properties and their
 * text children, children/last/parent/next/prev, line), so these callbacks
 * follow libxml2 2.9's SAX2.c rules: where a new node goes (a second root
 * element goes under the first child of the document, comments outside
 * any element go to the document), which text merges with the previous
 * text node, boolean attributes, QName splitting of element names. The
 * parser also reads the tree back (areBlanks looks at ctxt->node and its
 * last child), so ctxt->node is kept exactly as SAX2 keeps it, via
 * nodePush/nodePop. Namespaces (ns, nsDef) are not built: nothing reads
 * them. tests/html2md/test_sax_tree.c compares both trees field by field.
 *
 * The document node itself, and a DOCTYPE's DTD node, stay libxml2's own
 * (xmlSAX2StartDocument and xmlSAX2InternalSubset): mtport_md__html_dispose
 * unhooks our nodes before xmlFreeDoc. */
#include "html2md_int.h"
#include <libxml/HTMLtree.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <libxml/valid.h>
#include <stdlib.h>
#include <string.h>

struct mtport_md__hchunk {
  mtport_md__hchunk *prev;
  size_t cap, used;
  void *data[]; /* cap bytes, pointer aligned */
};

#define S_ALIGN(n) (((n) + (sizeof(void *) - 1)) & ~(sizeof(void *) - 1))
#define S_CHUNK_MAX ((size_t)1 << 20)

typedef struct {
  mtport_md__html *h;
  xmlNode *text;   /* the text node whose content can still grow in place */
  size_t text_len; /* its content's length */
  size_t text_cap; /* bytes allocated for its content */
} S_build;

static void *S_alloc(mtport_md__html *h, size_t size) {
  size = S_ALIGN(size);
  mtport_md__hchunk *ch = h->chunk;
  if (!ch || ch->cap - ch->used < size) {
    size_t cap = ch ? ch->cap * 2 : h->first_cap;
    if (cap > S_CHUNK_MAX)
      cap = S_CHUNK_MAX;
    if (cap < size)
      cap = size;
    size_t got;
    mtport_md__hchunk *n = mtport_md__chunk_get(sizeof *n + cap, &got);
    if (!n) {
      h->oom = 1;
      return NULL;
    }
    n->cap = got - sizeof *n;
    n->used = 0;
    n->prev = ch;
    h->chunk = ch = n;
  }
  void *p = (char *)ch->data + ch->used;
  ch->used += size;
  return p;
}

static xmlChar *S_strndup(mtport_md__html *h, const xmlChar *s, size_t n) {
  xmlChar *d = S_alloc(h, n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = 0;
  }
  return d;
}

static xmlChar *S_strdup(mtport_md__html *h, const xmlChar *s) {
  return S_strndup(h, s, strlen((const char *)s));
}

static S_build *S_b(void *ctx) {
  return (S_build *)((xmlParserCtxtPtr)ctx)->_private;
}

/* Out of memory: stop the parser; the caller reports MTPORT_ENOMEM. */
static void S_oom(xmlParserCtxtPtr ctxt) {
  S_b(ctxt)->h->oom = 1;
  xmlStopParser(ctxt);
}

static unsigned short S_line(xmlParserCtxtPtr ctxt) {
  if (!ctxt->linenumbers || !ctxt->input)
    return 0;
  return ctxt->input->line < 65535 ? (unsigned short)ctxt->input->line : 65535;
}

static xmlNode *S_node(xmlParserCtxtPtr ctxt, xmlElementType type,
                       const xmlChar *name) {
  xmlNode *n = S_alloc(S_b(ctxt)->h, sizeof *n);
  if (!n) {
    S_oom(ctxt);
    return NULL;
  }
  memset(n, 0, sizeof *n);
  n->type = type;
  n->name = name;
  n->doc = ctxt->myDoc;
  return n;
}

/* xmlAddChild for the node kinds built here (no text merging needed: text
 * merging is done by S_characters before a text node is made). */
static void S_append(xmlNode *parent, xmlNode *n) {
  n->parent = parent;
  n->prev = parent->last;
  n->next = NULL;
  if (parent->last)
    parent->last->next = n;
  else
    parent->children = n;
  parent->last = n;
}

/* xmlAddSibling: after the last sibling of @p sib. */
static void S_append_sibling(xmlNode *sib, xmlNode *n) {
  if (sib->parent && sib->parent->last) {
    S_append(sib->parent, n);
    return;
  }
  while (sib->next)
    sib = sib->next;
  n->parent = sib->parent;
  n->prev = sib;
  n->next = NULL;
  sib->next = n;
}

/* Where xmlSAX2Comment and xmlSAX2ProcessingInstruction put a node. */
static void S_place_misc(xmlParserCtxtPtr ctxt, xmlNode *n) {
  xmlNode *parent = ctxt->node;
  if (!parent) {
    if (ctxt->myDoc) /* no document (out of memory): dropped, as SAX2 */
      S_append((xmlNode *)ctxt->myDoc, n);
  } else if (parent->type == XML_ELEMENT_NODE)
    S_append(parent, n);
  else
    S_append_sibling(parent, n);
}

static void S_start(void *ctx, const xmlChar *fullname, const xmlChar **atts) {
  xmlParserCtxtPtr ctxt = ctx;
  S_build *b = S_b(ctx);
  if (!fullname || !ctxt->myDoc || b->h->oom)
    return;
  xmlNode *parent = ctxt->node;
  /* Element names are QNames to SAX2: "o:p" becomes "p" (prefix dropped,
   * no namespace since none is declared in HTML). */
  const xmlChar *name = NULL;
  if (strchr((const char *)fullname, ':')) {
    xmlChar *prefix = NULL;
    xmlChar *local = xmlSplitQName(ctxt, fullname, &prefix);
    if (local)
      name = S_strdup(b->h, local);
    xmlFree(local);
    xmlFree(prefix);
  } else
    name = S_strdup(b->h, fullname);
  if (!name) {
    S_oom(ctxt);
    return;
  }
  xmlNode *el = S_node(ctxt, XML_ELEMENT_NODE, name);
  if (!el)
    return;
  xmlNode *doc = (xmlNode *)ctxt->myDoc;
  if (!doc->children)
    S_append(doc, el);
  else if (!parent)
    parent = doc->children;
  el->line = S_line(ctxt);
  nodePush(ctxt, el);
  if (parent) {
    if (parent->type == XML_ELEMENT_NODE)
      S_append(parent, el);
    else
      S_append_sibling(parent, el);
  }
  b->text = NULL;
  if (!atts)
    return;
  xmlAttr *lastattr = NULL;
  for (size_t i = 0; atts[i]; i += 2) {
    const xmlChar *an = atts[i], *value = atts[i + 1];
    xmlChar *nval = NULL;
    if (!value && htmlIsBooleanAttr(an))
      value = an;
    else if (ctxt->myDoc->intSubset || ctxt->myDoc->extSubset) {
      /* As SAX2: attribute value normalization by the DTD (in practice
       * never applies to HTML, whose DOCTYPE declares no attributes). */
      nval = xmlValidCtxtNormalizeAttributeValue(&ctxt->vctxt, ctxt->myDoc, el,
                                                 an, value);
      if (nval)
        value = nval;
    }
    xmlAttr *a = S_alloc(b->h, sizeof *a);
    xmlChar *aname = a ? S_strdup(b->h, an) : NULL;
    if (!aname) {
      xmlFree(nval);
      S_oom(ctxt);
      return;
    }
    memset(a, 0, sizeof *a);
    a->type = XML_ATTRIBUTE_NODE;
    a->name = aname;
    a->parent = el;
    a->doc = ctxt->myDoc;
    if (value) {
      xmlNode *t = S_node(ctxt, XML_TEXT_NODE, xmlStringText);
      if (t)
        t->content = S_strdup(b->h, value);
      if (!t || !t->content) {
        xmlFree(nval);
        S_oom(ctxt);
        return;
      }
      t->parent = (xmlNode *)a;
      a->children = a->last = t;
    }
    xmlFree(nval);
    a->prev = lastattr;
    if (lastattr)
      lastattr->next = a;
    else
      el->properties = a;
    lastattr = a;
  }
}

static void S_end(void *ctx, const xmlChar *name) {
  (void)name;
  S_b(ctx)->text = NULL;
  nodePop((xmlParserCtxtPtr)ctx);
}

/* Text (type XML_TEXT_NODE) or CDATA: merged into the current element's
 * last child when that is of the same type, as SAX2 does. */
static void S_text(void *ctx, const xmlChar *ch, int len, xmlElementType type) {
  xmlParserCtxtPtr ctxt = ctx;
  S_build *b = S_b(ctx);
  if (!ctxt->node || b->h->oom || len < 0)
    return;
  size_t n = (size_t)len;
  xmlNode *last = ctxt->node->last;
  if (last && last->type == type &&
      (type != XML_TEXT_NODE || last->name == xmlStringText)) {
    size_t have;
    if (last == b->text)
      have = b->text_len;
    else {
      have = last->content ? strlen((const char *)last->content) : 0;
      b->text_cap = have + 1;
    }
    if (have + n + 1 > b->text_cap) {
      size_t cap = (have + n + 1) * 2;
      xmlChar *d = S_alloc(b->h, cap);
      if (!d) {
        S_oom(ctxt);
        return;
      }
      if (have)
        memcpy(d, last->content, have);
      last->content = d;
      b->text_cap = cap;
    }
    memcpy(last->content + have, ch, n);
    last->content[have + n] = 0;
    b->text = last;
    b->text_len = have + n; /* the line stays the first chunk's */
    return;
  }
  xmlNode *t = S_node(ctxt, type, type == XML_TEXT_NODE ? xmlStringText : NULL);
  if (!t)
    return;
  t->content = S_strndup(b->h, ch, n);
  if (!t->content) {
    S_oom(ctxt);
    return;
  }
  if (type == XML_TEXT_NODE)
    t->line = S_line(ctxt);
  S_append(ctxt->node, t);
  b->text = t;
  b->text_len = n;
  b->text_cap = n + 1;
}

static void S_characters(void *ctx, const xmlChar *ch, int len) {
  S_text(ctx, ch, len, XML_TEXT_NODE);
}

static void S_cdata(void *ctx, const xmlChar *ch, int len) {
  S_text(ctx, ch, len, XML_CDATA_SECTION_NODE);
}

static void S_comment(void *ctx, const xmlChar *value) {
  xmlParserCtxtPtr ctxt = ctx;
  S_build *b = S_b(ctx);
  if (b->h->oom)
    return;
  xmlNode *c = S_node(ctxt, XML_COMMENT_NODE, xmlStringComment);
  if (!c)
    return;
  if (value && !(c->content = S_strdup(b->h, value))) {
    S_oom(ctxt);
    return;
  }
  c->line = S_line(ctxt);
  S_place_misc(ctxt, c);
  b->text = NULL;
}

static void S_pi(void *ctx, const xmlChar *target, const xmlChar *data) {
  xmlParserCtxtPtr ctxt = ctx;
  S_build *b = S_b(ctx);
  if (b->h->oom || !target)
    return;
  xmlChar *name = S_strdup(b->h, target);
  xmlNode *p = name ? S_node(ctxt, XML_PI_NODE, name) : NULL;
  if (!p || (data && !(p->content = S_strdup(b->h, data)))) {
    S_oom(ctxt);
    return;
  }
  p->line = S_line(ctxt);
  S_place_misc(ctxt, p);
  b->text = NULL;
}

xmlParserCtxtPtr mtport_md__sax_parse(const char *html, size_t len,
                                      const mtport_md__sax *cb, void *priv) {
  xmlInitParser();
  xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(html, (int)len);
  if (!ctxt)
    return NULL;
  xmlSAXHandler sax;
  memset(&sax, 0, sizeof sax);
  xmlSAX2InitHtmlDefaultSAXHandler(&sax);
  if (cb->start)
    sax.startElement = cb->start;
  if (cb->end)
    sax.endElement = cb->end;
  if (cb->characters)
    sax.characters = cb->characters;
  if (cb->ignorable)
    sax.ignorableWhitespace = cb->ignorable;
  if (cb->cdata)
    sax.cdataBlock = cb->cdata;
  if (cb->comment)
    sax.comment = cb->comment;
  if (cb->pi)
    sax.processingInstruction = cb->pi;
  if (ctxt->sax)
    memcpy(ctxt->sax, &sax, sizeof(xmlSAXHandlerV1));
  ctxt->_private = priv;
  htmlCtxtUseOptions(ctxt, HTML_PARSE_IGNORE_ENC | HTML_PARSE_RECOVER |
                               HTML_PARSE_NONET | HTML_PARSE_COMPACT |
                               HTML_PARSE_NODEFDTD | HTML_PARSE_NOERROR |
                               HTML_PARSE_NOWARNING | XML_PARSE_HUGE);
  ctxt->html = 1;
  htmlParseDocument(ctxt);
  return ctxt;
}

int mtport_md__html_parse(mtport_md__html *h, const char *html, size_t len) {
  memset(h, 0, sizeof *h);
  if (len > (size_t)0x7fffffff)
    len = 0x7fffffff;
  if (len == 0) {
    html = " ";
    len = 1;
  }
  /* Nodes take about twice the HTML's size: one chunk for most bodies. */
  h->first_cap = len * 2 + 4096;
  if (h->first_cap > S_CHUNK_MAX)
    h->first_cap = S_CHUNK_MAX;
  /* What htmlReadMemory does, with our tree builder in the handler. */
  static const mtport_md__sax cb = {S_start, S_end,     S_characters, NULL,
                                    S_cdata, S_comment, S_pi};
  S_build b = {h, NULL, 0, 0};
  xmlParserCtxtPtr ctxt = mtport_md__sax_parse(html, len, &cb, &b);
  if (!ctxt)
    return MTPORT_ENOMEM;
  h->doc = ctxt->myDoc;
  ctxt->myDoc = NULL;
  if (h->doc && ctxt->dictNames && h->doc->dict == ctxt->dict)
    ctxt->dict = NULL;
  xmlFreeParserCtxt(ctxt);
  if (!h->doc || h->oom) {
    mtport_md__html_dispose(h);
    return MTPORT_ENOMEM;
  }
  return MTPORT_OK;
}

void mtport_md__html_dispose(mtport_md__html *h) {
  if (!h)
    return;
  if (h->doc) {
    /* Only the DTD node (if any) is libxml2's: unhook ours first. */
    xmlNode *dtd = (xmlNode *)h->doc->intSubset;
    if (dtd) {
      dtd->next = dtd->prev = NULL;
      dtd->parent = (xmlNode *)h->doc;
    }
    h->doc->children = h->doc->last = dtd;
    xmlFreeDoc(h->doc);
    h->doc = NULL;
  }
  mtport_md__hchunk *ch = h->chunk;
  while (ch) {
    mtport_md__hchunk *prev = ch->prev;
    mtport_md__chunk_put(ch, sizeof *ch + ch->cap);
    ch = prev;
  }
  h->chunk = NULL;
}
