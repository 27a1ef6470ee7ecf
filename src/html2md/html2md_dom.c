/* HTML side of the converter: element classes, junk detection, the raw
 * HTML serializer and the visible-content signature used by the proof.
 * Every walk here is iterative (parent pointers), never recursive. */
#include "html2md_int.h"
#include <ctype.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

static once_flag S_once = ONCE_FLAG_INIT;
static cmark_syntax_extension *S_table, *S_strike;

/* cmark-gfm's registration uses a plain static guard: run it once. */
static void S_spares_free(void *v);
static tss_t S_spares_key;
static int S_spares_keyed;

static void S_register(void) {
  /* Here, not in a call_once of its own: the pipeline calls mtport_md__init
   * before it starts workers, which ThreadSanitizer sees as ordering. */
  S_spares_keyed = tss_create(&S_spares_key, S_spares_free) == thrd_success;
  xmlInitParser(); /* libxml2's globals, before two threads race to it */
  cmark_gfm_core_extensions_ensure_registered();
  S_table = cmark_find_syntax_extension("table");
  S_strike = cmark_find_syntax_extension("strikethrough");
}

void mtport_md__init(void) { call_once(&S_once, S_register); }
cmark_syntax_extension *mtport_md__ext_table(void) { return S_table; }
cmark_syntax_extension *mtport_md__ext_strike(void) { return S_strike; }

htmlDocPtr mtport_md__parse_html(const char *html, size_t len) {
  if (len > (size_t)0x7fffffff)
    len = 0x7fffffff;
  if (len == 0) {
    html = " ";
    len = 1;
  }
  return htmlReadMemory(html, (int)len, NULL, NULL,
                        HTML_PARSE_IGNORE_ENC | HTML_PARSE_RECOVER |
                            HTML_PARSE_NONET | HTML_PARSE_COMPACT |
                            HTML_PARSE_NODEFDTD | HTML_PARSE_NOERROR |
                            HTML_PARSE_NOWARNING | XML_PARSE_HUGE);
}

/* ------------------------------------------------------------------ */
/* Arena chunks, recycled per thread.                                  */

/* Every conversion takes and gives back a few arena chunks of 16 KB to
 * 1 MB. Handed to free(), they often end up at the top of the heap, which
 * glibc then trims and the next conversion faults back in: that cost more
 * CPU (system time) than the conversion's own allocations. So each thread
 * keeps a few freed chunks for its next conversion; they are freed when
 * the thread exits (tss destructor). */
#define S_SPARE_SLOTS 4
#define S_SPARE_MAX ((size_t)2 << 20) /* bytes kept per thread at most */

typedef struct {
  void *p[S_SPARE_SLOTS];
  size_t cap[S_SPARE_SLOTS];
  int n;
  size_t total;
} S_spares;

static _Thread_local S_spares *S_my_spares;

static void S_spares_free(void *v) {
  S_spares *sp = v;
  for (int i = 0; sp && i < sp->n; i++)
    free(sp->p[i]);
  free(sp);
}

void *mtport_md__chunk_get(size_t min, size_t *cap) {
  S_spares *sp = S_my_spares;
  for (int i = 0; sp && i < sp->n; i++) {
    if (sp->cap[i] < min)
      continue;
    void *p = sp->p[i];
    *cap = sp->cap[i];
    sp->total -= sp->cap[i];
    sp->n--;
    sp->p[i] = sp->p[sp->n];
    sp->cap[i] = sp->cap[sp->n];
    return p;
  }
  *cap = min;
  return malloc(min);
}

void mtport_md__chunk_put(void *p, size_t cap) {
  if (!p)
    return;
  S_spares *sp = S_my_spares;
  if (!sp) {
    mtport_md__init(); /* creates the key */
    sp = S_spares_keyed ? calloc(1, sizeof *sp) : NULL;
    if (sp && tss_set(S_spares_key, sp) != thrd_success) {
      free(sp);
      sp = NULL;
    }
    if (!sp) {
      free(p);
      return;
    }
    S_my_spares = sp;
  }
  if (sp->n < S_SPARE_SLOTS && cap <= S_SPARE_MAX - sp->total) {
    sp->p[sp->n] = p;
    sp->cap[sp->n++] = cap;
    sp->total += cap;
    return;
  }
  free(p);
}

/* ------------------------------------------------------------------ */
/* Arenas.                                                             */

struct mtport_md__chunk {
  mtport_md__chunk *prev;
  size_t cap, used;
  max_align_t data[]; /* cap bytes */
};

/* Each block is preceded by its size (for realloc), kept aligned. */
#define S_HDR sizeof(max_align_t)
#define S_ALIGN(n) (((n) + (S_HDR - 1)) & ~(size_t)(S_HDR - 1))
#define S_CHUNK_MIN ((size_t)16384)

static _Thread_local mtport_md__arena *S_cur[2];

mtport_md__arena *mtport_md__arena_use(int slot, mtport_md__arena *a) {
  mtport_md__arena *prev = S_cur[slot];
  S_cur[slot] = a;
  return prev;
}

static void *S_arena_alloc(mtport_md__arena *a, size_t size) {
  if (size > SIZE_MAX / 2)
    abort(); /* as cmark's own allocator does */
  size_t need = S_HDR + S_ALIGN(size);
  mtport_md__chunk *ch = a->cur;
  if (!ch || ch->cap - ch->used < need) {
    size_t cap = ch ? ch->cap * 2 : S_CHUNK_MIN;
    if (cap > ((size_t)1 << 20))
      cap = (size_t)1 << 20;
    if (cap < need)
      cap = need;
    size_t got;
    mtport_md__chunk *n = mtport_md__chunk_get(sizeof *n + cap, &got);
    if (!n)
      abort(); /* cmark-gfm cannot take a NULL; its allocator aborts too */
    n->cap = got - sizeof *n;
    n->used = 0;
    n->prev = ch;
    /* Keep filling the roomier chunk when a big block got its own. */
    if (ch && cap == need && ch->cap - ch->used >= S_HDR * 4) {
      n->prev = ch->prev;
      ch->prev = n;
      n->used = need;
      memcpy(n->data, &size, sizeof size);
      return (char *)n->data + S_HDR;
    }
    a->cur = ch = n;
  }
  char *p = (char *)ch->data + ch->used;
  ch->used += need;
  memcpy(p, &size, sizeof size);
  return p + S_HDR;
}

static void *S_arena_calloc(int slot, size_t n, size_t size) {
  if (size && n > SIZE_MAX / size)
    abort();
  void *p = S_arena_alloc(S_cur[slot], n * size);
  memset(p, 0, n * size);
  return p;
}

static void *S_arena_realloc(int slot, void *p, size_t size) {
  mtport_md__arena *a = S_cur[slot];
  if (!p)
    return S_arena_alloc(a, size);
  size_t old;
  memcpy(&old, (char *)p - S_HDR, sizeof old);
  mtport_md__chunk *ch = a->cur;
  /* The newest block grows in place (cmark's buffers grow this way). */
  if (ch && (char *)p + S_ALIGN(old) == (char *)ch->data + ch->used &&
      size <= SIZE_MAX / 2 &&
      ch->cap - ch->used + S_ALIGN(old) >= S_ALIGN(size)) {
    ch->used = ch->used - S_ALIGN(old) + S_ALIGN(size);
    memcpy((char *)p - S_HDR, &size, sizeof size);
    return p;
  }
  void *q = S_arena_alloc(a, size);
  memcpy(q, p, old < size ? old : size);
  return q;
}

static void *S_calloc0(size_t n, size_t s) { return S_arena_calloc(0, n, s); }
static void *S_calloc1(size_t n, size_t s) { return S_arena_calloc(1, n, s); }
static void *S_realloc0(void *p, size_t s) { return S_arena_realloc(0, p, s); }
static void *S_realloc1(void *p, size_t s) { return S_arena_realloc(1, p, s); }
static void S_free_nothing(void *p) { (void)p; }

static cmark_mem S_mems[2] = {{S_calloc0, S_realloc0, S_free_nothing},
                              {S_calloc1, S_realloc1, S_free_nothing}};

cmark_mem *mtport_md__arena_mem(int slot) { return &S_mems[slot]; }

void mtport_md__arena_reset(mtport_md__arena *a) {
  mtport_md__chunk *keep = a->cur;
  if (!keep)
    return;
  mtport_md__chunk *ch = keep->prev;
  while (ch) {
    mtport_md__chunk *prev = ch->prev;
    mtport_md__chunk_put(ch, sizeof *ch + ch->cap);
    ch = prev;
  }
  keep->prev = NULL;
  keep->used = 0;
}

void mtport_md__arena_dispose(mtport_md__arena *a) {
  mtport_md__chunk *ch = a->cur;
  while (ch) {
    mtport_md__chunk *prev = ch->prev;
    mtport_md__chunk_put(ch, sizeof *ch + ch->cap);
    ch = prev;
  }
  a->cur = NULL;
}

/* cmark-gfm 0.29 (Debian 12's) keeps the table of special inline
 * characters in a global array that every cmark_parser_finish() fills with
 * its extensions' characters ('~', '|') and clears again when done: a parse
 * on another thread at that moment misses them and reads "~~x~~" as text.
 * Inline parsing therefore runs one thread at a time; block parsing, our
 * tree work and libxml2's still run in parallel. */
static pthread_mutex_t S_finish_lock = PTHREAD_MUTEX_INITIALIZER;

cmark_node *mtport_md__finish(cmark_parser *p) {
  pthread_mutex_lock(&S_finish_lock);
  cmark_node *doc = cmark_parser_finish(p);
  pthread_mutex_unlock(&S_finish_lock);
  return doc;
}

static cmark_node *S_parse_md(const char *md, size_t len, cmark_mem *mem,
                              int consolidate) {
  mtport_md__init();
  cmark_parser *p = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, mem);
  if (!p)
    return NULL;
  if (S_table)
    cmark_parser_attach_syntax_extension(p, S_table);
  if (S_strike)
    cmark_parser_attach_syntax_extension(p, S_strike);
  cmark_parser_feed(p, md, len);
  cmark_node *doc = mtport_md__finish(p);
  cmark_parser_free(p);
  if (doc && consolidate)
    cmark_consolidate_text_nodes(doc);
  return doc;
}

cmark_node *mtport_md__parse_md_mem(const char *md, size_t len,
                                    cmark_mem *mem) {
  return S_parse_md(md, len, mem, 1);
}

cmark_node *mtport_md__parse_md_split(const char *md, size_t len,
                                      cmark_mem *mem) {
  return S_parse_md(md, len, mem, 0);
}

cmark_node *mtport_md__parse_md(const char *md, size_t len) {
  return mtport_md__parse_md_mem(md, len, cmark_get_default_mem_allocator());
}

typedef struct {
  const char *name;
  int cls;
} S_elclass;

/* Sorted by name for bsearch. */
static const S_elclass S_classes[] = {
    {"a", H_A},
    {"abbr", H_RAWTAGS},
    {"acronym", H_RAWTAGS},
    {"address", H_BLOCK},
    {"applet", H_RAWBLOCK},
    {"area", H_RAWTAGS},
    {"article", H_BLOCK},
    {"aside", H_BLOCK},
    {"audio", H_RAWTAGS},
    {"b", H_STRONG},
    {"base", H_DROP},
    {"big", H_RAWTAGS},
    {"blockquote", H_BQ},
    {"body", H_BLOCK},
    {"br", H_BR},
    {"button", H_RAWTAGS},
    {"canvas", H_RAWTAGS},
    {"caption", H_TABLEPART},
    {"center", H_BLOCK},
    {"cite", H_RAWTAGS},
    {"code", H_CODE},
    {"col", H_TABLEPART},
    {"colgroup", H_TABLEPART},
    {"dd", H_RAWBLOCK},
    {"del", H_DEL},
    {"details", H_RAWBLOCK},
    {"dfn", H_RAWTAGS},
    {"dialog", H_RAWBLOCK},
    {"dir", H_RAWBLOCK},
    {"div", H_BLOCK},
    {"dl", H_RAWBLOCK},
    {"dt", H_RAWBLOCK},
    {"em", H_EM},
    {"embed", H_RAWTAGS},
    {"fieldset", H_RAWBLOCK},
    {"figcaption", H_BLOCK},
    {"figure", H_BLOCK},
    {"font", H_TRANSPARENT},
    {"footer", H_BLOCK},
    {"form", H_RAWBLOCK},
    {"frame", H_RAWBLOCK},
    {"frameset", H_RAWBLOCK},
    {"h1", H_H},
    {"h2", H_H},
    {"h3", H_H},
    {"h4", H_H},
    {"h5", H_H},
    {"h6", H_H},
    {"head", H_BLOCK},
    {"header", H_BLOCK},
    {"hgroup", H_BLOCK},
    {"hr", H_HR},
    {"html", H_BLOCK},
    {"i", H_EM},
    {"iframe", H_RAWBLOCK},
    {"img", H_IMG},
    {"input", H_RAWTAGS},
    {"ins", H_RAWTAGS},
    {"kbd", H_RAWTAGS},
    {"label", H_TRANSPARENT},
    {"legend", H_RAWBLOCK},
    {"li", H_LI},
    {"link", H_DROP},
    {"listing", H_PRE},
    {"main", H_BLOCK},
    {"map", H_RAWBLOCK},
    {"mark", H_RAWTAGS},
    {"math", H_RAWTAGS},
    {"menu", H_RAWBLOCK},
    {"meta", H_DROP},
    {"nav", H_BLOCK},
    {"noframes", H_RAWBLOCK},
    {"noscript", H_REMOVE},
    {"object", H_RAWTAGS},
    {"ol", H_OL},
    {"optgroup", H_RAWTAGS},
    {"option", H_RAWTAGS},
    {"p", H_P},
    {"param", H_RAWTAGS},
    {"picture", H_RAWTAGS},
    {"plaintext", H_PRE},
    {"pre", H_PRE},
    {"q", H_RAWTAGS},
    {"rp", H_RAWTAGS},
    {"rt", H_RAWTAGS},
    {"ruby", H_RAWTAGS},
    {"s", H_DEL},
    {"samp", H_RAWTAGS},
    {"script", H_REMOVE},
    {"section", H_BLOCK},
    {"select", H_RAWTAGS},
    {"small", H_RAWTAGS},
    {"source", H_RAWTAGS},
    {"strike", H_DEL},
    {"strong", H_STRONG},
    {"style", H_REMOVE},
    {"sub", H_RAWTAGS},
    {"summary", H_RAWBLOCK},
    {"sup", H_RAWTAGS},
    {"svg", H_RAWTAGS},
    {"table", H_TABLE},
    {"tbody", H_TABLEPART},
    {"td", H_TABLEPART},
    {"template", H_REMOVE},
    {"textarea", H_RAWTAGS},
    {"tfoot", H_TABLEPART},
    {"th", H_TABLEPART},
    {"thead", H_TABLEPART},
    {"title", H_BLOCK},
    {"tr", H_TABLEPART},
    {"track", H_RAWTAGS},
    {"tt", H_CODE},
    {"u", H_RAWTAGS},
    {"ul", H_UL},
    {"var", H_RAWTAGS},
    {"video", H_RAWTAGS},
    {"xmp", H_PRE},
};

/* 1 when the class attribute holds a token starting with @p prefix. */
static int S_class_prefix(const xmlNode *el, const char *prefix) {
  const char *c = mtport_md__attr(el, "class");
  size_t n = strlen(prefix);
  while (c && *c) {
    while (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r')
      c++;
    if (strncmp(c, prefix, n) == 0)
      return 1;
    while (*c && *c != ' ' && *c != '\t' && *c != '\n' && *c != '\r')
      c++;
  }
  return 0;
}

int mtport_md__class(const xmlNode *el) {
  if (el->_private) /* cached by the converter's pre-pass */
    return (int)(((uintptr_t)el->_private & 0xff) - 1);
  return mtport_md__class_uncached(el);
}

int mtport_md__class_uncached(const xmlNode *el) {
  if (!el->name)
    return H_TRANSPARENT;
  /* Binary search with the (short) names compared inline: this runs once
   * per element and bsearch's callbacks into strcmp showed in profiles. */
  const S_elclass *c = NULL;
  const unsigned char *name = (const unsigned char *)el->name;
  size_t lo = 0, hi = sizeof S_classes / sizeof S_classes[0];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const unsigned char *k = (const unsigned char *)S_classes[mid].name;
    size_t i = 0;
    while (name[i] && name[i] == k[i])
      i++;
    if (name[i] == k[i]) {
      c = &S_classes[mid];
      break;
    }
    if (name[i] < k[i])
      hi = mid;
    else
      lo = mid + 1;
  }
  if (!c)
    return H_TRANSPARENT;
  if (c->cls == H_REMOVE || c->cls == H_DROP)
    return c->cls;
  if (mtport_md__is_junk(el))
    return H_REMOVE;
  /* MT 4's editor wraps inserted assets in <form class="mt-enclosure ...">:
   * an editing artifact with no behaviour, so unwrap it. */
  if (c->cls == H_RAWBLOCK && strcmp((const char *)el->name, "form") == 0 &&
      S_class_prefix(el, "mt-enclosure"))
    return H_BLOCK;
  return c->cls;
}

int mtport_md__is_blocky(const xmlNode *el) {
  switch (mtport_md__class(el)) {
  case H_BLOCK:
  case H_P:
  case H_H:
  case H_BQ:
  case H_UL:
  case H_OL:
  case H_LI:
  case H_PRE:
  case H_TABLE:
  case H_HR:
  case H_TABLEPART:
    return 1;
  case H_RAWBLOCK:
    return strcmp((const char *)el->name, "iframe") != 0 &&
           strcmp((const char *)el->name, "applet") != 0;
  default:
    return 0;
  }
}

/* 1 when @p n is in @p list, sorted by strcmp (binary search: these run
 * for every element and raw tag). */
static int S_in_sorted(const char *n, const char *const *list, size_t count) {
  size_t lo = 0, hi = count;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int d = strcmp(n, list[mid]);
    if (!d)
      return 1;
    if (d < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return 0;
}
#define S_IN(n, list) S_in_sorted(n, list, sizeof list / sizeof *list)

/* ---- monospace fonts ---- */

/* Font families shown in a fixed width (lower case, spaces single). */
static const char *const S_mono_families[] = {
    "andale mono",
    "bitstream vera sans mono",
    "cascadia code",
    "cascadia mono",
    "consolas",
    "courier",
    "courier new",
    "courier-new",
    "dejavu sans mono",
    "droid sans mono",
    "fira code",
    "fira mono",
    "fixedsys",
    "inconsolata",
    "liberation mono",
    "lucida console",
    "lucida sans typewriter",
    "menlo",
    "monaco",
    "monospace",
    "roboto mono",
    "sf mono",
    "source code pro",
    "ubuntu mono",
};

/* 1 when the first family of a font-family value or a face list is
 * monospace, 0 for another, -1 when there is none (an empty value sets
 * nothing). */
static int S_family_mono(const char *v, const char *end) {
  char fam[40];
  size_t k = 0;
  int sp = 0;
  while (v < end && (*v == ' ' || *v == '\t' || *v == '"' || *v == '\''))
    v++;
  for (; v < end && *v != ',' && *v != '!' && *v != '"' && *v != '\''; v++) {
    if (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r') {
      sp = k > 0;
      continue;
    }
    if (k + 2 >= sizeof fam)
      return 0;
    if (sp)
      fam[k++] = ' ';
    sp = 0;
    fam[k++] = (char)tolower((unsigned char)*v);
  }
  fam[k] = '\0';
  return k ? S_IN(fam, S_mono_families) : -1;
}

static int S_ascii_ieq(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)a[i]) != b[i])
      return 0;
  return 1;
}

/* -1 when @p el sets no font family; 1 when it sets a monospace one, 0
 * for another (style's font-family, the last one winning, else <font
 * face>). */
static int S_font_mono(const xmlNode *el) {
  int r = -1;
  const char *st = mtport_md__attr(el, "style");
  for (const char *p = st; p && *p;) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ';')
      p++;
    const char *colon = strchr(p, ':'), *semi = strchr(p, ';');
    if (!colon || (semi && semi < colon)) {
      p = semi ? semi + 1 : NULL;
      continue;
    }
    const char *ne = colon;
    while (ne > p && (ne[-1] == ' ' || ne[-1] == '\t'))
      ne--;
    const char *end = semi ? semi : colon + strlen(colon);
    if (ne - p == 11 && S_ascii_ieq(p, "font-family", 11)) {
      int f = S_family_mono(colon + 1, end);
      if (f >= 0)
        r = f;
    }
    p = semi ? semi + 1 : NULL;
  }
  if (r < 0 && strcmp((const char *)el->name, "font") == 0) {
    const char *face = mtport_md__attr(el, "face");
    if (face)
      r = S_family_mono(face, face + strlen(face));
  }
  return r;
}

/* Elements a monospace block may be (plain boxes), and the phrasing tags
 * kept as raw tags that may sit inside one. */
static const char *const S_mono_boxes[] = {
    "address", "article", "aside", "center", "div",     "footer",
    "header",  "main",    "nav",   "p",      "section",
};
static const char *const S_mono_phrasing[] = {
    "abbr", "acronym", "big",   "cite", "dfn", "ins", "kbd", "mark",
    "q",    "samp",    "small", "sub",  "sup", "u",   "var",
};

void mtport_md__mono_enter(xmlNode *n) {
  uintptr_t v = (uintptr_t)n->_private;
  uintptr_t m = 0;
  if (n->parent && n->parent->type == XML_ELEMENT_NODE)
    m = (uintptr_t)n->parent->_private & (MTPORT_MD_MONO | MTPORT_MD_FONT_MONO);
  int cls = (int)(v & 0xff) - 1;
  const char *name = (const char *)n->name;
  if (cls == H_CODE || cls == H_PRE ||
      (cls == H_RAWTAGS &&
       (strcmp(name, "kbd") == 0 || strcmp(name, "samp") == 0)))
    m = MTPORT_MD_MONO; /* a code tag: its text is code already */
  else if (n->properties) {
    int f = S_font_mono(n);
    if (f >= 0)
      m = f ? MTPORT_MD_MONO | MTPORT_MD_FONT_MONO : 0;
  }
  n->_private = (void *)(v | m);
}

/* 1 when a text holds something visible (not white space or U+00A0). */
static int S_visible(const xmlChar *s) {
  for (; s && *s; s++) {
    if (*s == 0xC2 && s[1] == 0xA0) {
      s++;
      continue;
    }
    if (*s > 0x20)
      return 1;
  }
  return 0;
}

static int S_code_ok(const xmlNode *n, int cls) {
  const char *name = (const char *)n->name;
  switch (cls) {
  case H_TRANSPARENT:
  case H_BR:
  case H_EM:
  case H_STRONG:
  case H_DEL:
  case H_CODE:
  case H_REMOVE:
  case H_DROP:
    return 1;
  case H_A:
    return !mtport_md__attr(n, "href");
  case H_P:
    return 1;
  case H_BLOCK:
    return S_IN(name, S_mono_boxes);
  case H_RAWTAGS:
    return S_IN(name, S_mono_phrasing);
  default:
    return 0;
  }
}

void mtport_md__mono_leave(xmlNode *n) {
  xmlNode *p = n->parent;
  if (!p || p->type != XML_ELEMENT_NODE)
    return;
  uintptr_t pv = (uintptr_t)p->_private, add = 0;
  if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
    add = !(pv & MTPORT_MD_MONO)     ? MTPORT_MD_TXT_OTHER
          : pv & MTPORT_MD_FONT_MONO ? MTPORT_MD_TXT_MONO | MTPORT_MD_TXT_FONT
                                     : MTPORT_MD_TXT_MONO;
    if ((pv & add) == add || !S_visible(n->content))
      return; /* known already, or nothing to see */
  } else if (n->type == XML_ELEMENT_NODE) {
    uintptr_t v = (uintptr_t)n->_private;
    int cls = (int)(v & 0xff) - 1;
    if (cls == H_REMOVE || cls == H_DROP)
      return;
    add = v & (MTPORT_MD_TXT_MONO | MTPORT_MD_TXT_OTHER | MTPORT_MD_NOT_CODE |
               MTPORT_MD_TXT_FONT);
    if (!(pv & MTPORT_MD_NOT_CODE) && !S_code_ok(n, cls))
      add |= MTPORT_MD_NOT_CODE;
  }
  if (add & ~pv)
    p->_private = (void *)(pv | add);
}

int mtport_md__mono_block(const xmlNode *el) {
  uintptr_t v = (uintptr_t)el->_private;
  return el->type == XML_ELEMENT_NODE && (v & MTPORT_MD_TXT_FONT) &&
         !(v & (MTPORT_MD_TXT_OTHER | MTPORT_MD_NOT_CODE)) &&
         S_IN((const char *)el->name, S_mono_boxes);
}

static int S_blank_ascii(const xmlChar *s) {
  for (; s && *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' && *s != '\f')
      return 0;
  return 1;
}

/* A box without visible text that may sit between two monospace blocks
 * of a run (a blank line there). */
static int S_blank_box(const xmlNode *el) {
  uintptr_t v = (uintptr_t)el->_private;
  return el->type == XML_ELEMENT_NODE &&
         !(v &
           (MTPORT_MD_TXT_MONO | MTPORT_MD_TXT_OTHER | MTPORT_MD_NOT_CODE)) &&
         S_IN((const char *)el->name, S_mono_boxes);
}

typedef struct {
  mtport_buf *out;
  mtport_buf line;
  int sp;     /* a collapsible space is pending */
  int lines;  /* lines written to out */
  int blanks; /* blank lines held back (none at the start, none kept at
                 the end) */
  int rc;
} S_mono;

static void S_mono_line(S_mono *m) {
  while (m->line.len && m->line.data[m->line.len - 1] == ' ')
    m->line.len--;
  if (!m->line.len) {
    m->blanks += m->lines > 0;
  } else {
    if (m->lines)
      for (int i = 0; i <= m->blanks && m->rc == MTPORT_OK; i++)
        m->rc = mtport_md__putc(m->out, '\n');
    m->blanks = 0;
    if (m->rc == MTPORT_OK)
      m->rc = mtport_md__append(m->out, m->line.data, m->line.len);
    m->lines++;
  }
  mtport_buf_clear(&m->line);
  m->sp = 0;
}

static void S_mono_text(S_mono *m, const unsigned char *s) {
  for (; *s && m->rc == MTPORT_OK; s++) {
    if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f') {
      m->sp = m->line.len > 0;
      continue;
    }
    if (*s < 0x20)
      continue;
    if (m->sp)
      m->rc = mtport_md__putc(&m->line, ' ');
    m->sp = 0;
    if (*s == 0xC2 && s[1] == 0xA0) {
      s++;
      m->rc = mtport_md__putc(&m->line, ' ');
    } else
      m->rc = mtport_md__putc(&m->line, (char)*s);
  }
}

int mtport_md__mono_run(mtport_buf *out, xmlNode *first, xmlNode *stop,
                        xmlNode **last) {
  /* The run: monospace blocks, and blank boxes between two of them. */
  xmlNode *end = first;
  for (xmlNode *k = first->next; k && end != stop; k = k->next) {
    if (k->type == XML_COMMENT_NODE ||
        (k->type == XML_TEXT_NODE && S_blank_ascii(k->content)))
      continue;
    if (mtport_md__mono_block(k))
      end = k;
    else if (!S_blank_box(k))
      break;
    if (k == stop)
      break;
  }
  *last = end;
  S_mono m;
  memset(&m, 0, sizeof m);
  m.out = out;
  m.rc = MTPORT_OK;
  m.line = (mtport_buf)MTPORT_BUF_INIT;
  xmlNode *n = first;
  while (n && m.rc == MTPORT_OK) {
    int descend = 0;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->parent != first->parent)
        S_mono_text(&m, n->content);
    } else if (n->type == XML_ELEMENT_NODE) {
      int cls = mtport_md__class(n);
      if (cls == H_BR)
        S_mono_line(&m);
      else if (cls != H_REMOVE && cls != H_DROP) {
        if (S_IN((const char *)n->name, S_mono_boxes) && m.line.len)
          S_mono_line(&m);
        descend = 1;
      }
    }
    if (descend && n->children) {
      n = n->children;
      continue;
    }
    /* Leave n and every box that ends with it. */
    for (;;) {
      if (n->type == XML_ELEMENT_NODE &&
          S_IN((const char *)n->name, S_mono_boxes) && m.line.len)
        S_mono_line(&m);
      if (n == end) {
        n = NULL;
        break;
      }
      if (n->next) {
        n = n->next;
        break;
      }
      n = n->parent;
      if (!n || n == first->parent) {
        n = NULL;
        break;
      }
    }
  }
  if (m.line.len)
    S_mono_line(&m);
  mtport_buf_dispose(&m.line);
  return m.rc;
}

/* kramdown 2.4 (Jekyll's default) parses Markdown inside the elements of
 * its span and block content models and keeps the content of every other
 * element as it is (kramdown/parser/html.rb). */
int mtport_md__kramdown_raw(const char *n) {
  static const char *const parsed[] = {
      "a",          "abbr",    "acronym", "address", "applet",     "article",
      "aside",      "b",       "bdo",     "big",     "blockquote", "body",
      "button",     "caption", "cite",    "dd",      "del",        "details",
      "dfn",        "div",     "dl",      "dt",      "em",         "fieldset",
      "figcaption", "figure",  "footer",  "form",    "h1",         "h2",
      "h3",         "h4",      "h5",      "h6",      "header",     "hgroup",
      "i",          "iframe",  "ins",     "label",   "legend",     "li",
      "main",       "map",     "menu",    "nav",     "noscript",   "object",
      "optgroup",   "p",       "q",       "rb",      "rbc",        "rp",
      "rt",         "rtc",     "ruby",    "section", "select",     "small",
      "span",       "strong",  "sub",     "summary", "sup",        "td",
      "th",         "tt",
  };
  return !S_IN(n, parsed);
}

/* kramdown's span elements: a line that opens with one starts a paragraph
 * there, not an HTML block. */
int mtport_md__kramdown_span(const char *n) {
  static const char *const span[] = {
      "a",      "abbr",   "acronym", "b",    "bdo",    "big",  "br",
      "button", "cite",   "code",    "del",  "dfn",    "em",   "i",
      "img",    "input",  "ins",     "kbd",  "label",  "mark", "option",
      "q",      "rb",     "rbc",     "rp",   "rt",     "rtc",  "ruby",
      "samp",   "select", "small",   "span", "strong", "sub",  "sup",
      "tt",     "u",      "var",
  };
  return S_IN(n, span);
}

/* kramdown's block elements: in a paragraph it shows their tags as text. */
int mtport_md__kramdown_block(const char *n) {
  static const char *const block[] = {
      "address",  "applet",   "article",    "aside",   "blockquote", "body",
      "caption",  "col",      "colgroup",   "dd",      "div",        "dl",
      "dt",       "fieldset", "figcaption", "footer",  "form",       "h1",
      "h2",       "h3",       "h4",         "h5",      "h6",         "head",
      "header",   "hgroup",   "hr",         "html",    "iframe",     "legend",
      "li",       "main",     "map",        "menu",    "nav",        "ol",
      "optgroup", "p",        "pre",        "section", "summary",    "table",
      "tbody",    "td",       "tfoot",      "th",      "thead",      "tr",
      "ul",
  };
  return S_IN(n, block);
}

int mtport_md__is_void(const char *n) {
  static const char *const v[] = {
      "area",  "base",   "basefont", "bgsound", "br",     "col",  "embed",
      "frame", "hr",     "img",      "input",   "keygen", "link", "meta",
      "param", "source", "track",    "wbr",     NULL};
  for (int i = 0; v[i]; i++)
    if (strcmp(n, v[i]) == 0)
      return 1;
  return 0;
}

const char *mtport_md__attr(const xmlNode *el, const char *name) {
  for (xmlAttr *a = el->properties; a; a = a->next) {
    if (a->name && a->name[0] == (xmlChar)name[0] &&
        strcmp((const char *)a->name, name) == 0) {
      if (a->children && a->children->type == XML_TEXT_NODE &&
          a->children->content)
        return (const char *)a->children->content;
      return "";
    }
  }
  return NULL;
}

static int S_is_one_px(const char *v) {
  if (!v)
    return 0;
  while (*v == ' ')
    v++;
  return (v[0] == '1' || v[0] == '0') &&
         (v[1] == 0 || strcmp(v + 1, "px") == 0);
}

/* strstr that ignores tab, CR and LF in @p hay, as browsers strip them
 * from URLs (the rendering carries the cleaned URL). */
static int S_url_has(const char *hay, const char *needle) {
  /* A match starts on needle[0] (never a tab, CR or LF): jump there. */
  for (; (hay = strchr(hay, needle[0])) != NULL; hay++) {
    const char *h = hay, *n = needle;
    while (*n) {
      while (*h == '\t' || *h == '\n' || *h == '\r')
        h++;
      if (*h != *n)
        break;
      h++, n++;
    }
    if (!*n)
      return 1;
  }
  return 0;
}

int mtport_md__is_junk(const xmlNode *el) {
  const char *n = (const char *)el->name;
  if (!el->properties)
    return 0;
  const char *cls = mtport_md__attr(el, "class");
  if (cls && (strstr(cls, "zemanta") || strstr(cls, "feedflare")) &&
      (S_class_prefix(el, "zemanta-pixie") ||
       S_class_prefix(el, "zemanta-related") ||
       S_class_prefix(el, "feedflare")))
    return 1;
  if (strcmp(n, "img") == 0) {
    const char *src = mtport_md__attr(el, "src");
    if (src && (S_url_has(src, "zemanta.com/pixy") ||
                S_url_has(src, "feeds.feedburner.com/~r/") ||
                S_url_has(src, "feeds.feedburner.com/~ff/") ||
                S_url_has(src, "feedads.g.doubleclick.net")))
      return 1;
    if (S_is_one_px(mtport_md__attr(el, "width")) &&
        S_is_one_px(mtport_md__attr(el, "height")))
      return 1;
  } else if (strcmp(n, "a") == 0) {
    const char *href = mtport_md__attr(el, "href");
    if (href && (S_url_has(href, "feeds.feedburner.com/~ff/") ||
                 S_url_has(href, "feedads.g.doubleclick.net")))
      return 1;
  }
  return 0;
}

char *mtport_md__url(const char *raw, const char *base) {
  mtport_buf b = MTPORT_BUF_INIT;
  const char *s = raw ? raw : "";
  const char *e = s + strlen(s);
  while (s < e &&
         (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f'))
    s++;
  while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
                   e[-1] == '\r' || e[-1] == '\f'))
    e--;
  for (const char *p = s; p < e; p++)
    if (*p != '\t' && *p != '\n' && *p != '\r')
      if (mtport_md__putc(&b, *p) != MTPORT_OK) {
        mtport_buf_dispose(&b);
        return NULL;
      }
  char *clean = mtport_buf_detach(&b);
  /* "#name" points into the page that shows it, wherever that is */
  if (clean && base && *base && *clean && *clean != '#') {
    char *r = mtport_url_resolve(base, clean);
    free(clean);
    clean = r;
  }
  if (!clean || !strpbrk(clean, " <>\"\x7f"))
    return clean;
  /* Percent-encode what a browser (and cmark's HTML writer) would. */
  mtport_buf enc = MTPORT_BUF_INIT;
  for (const char *p = clean; *p; p++) {
    if (*p == ' ' || *p == '<' || *p == '>' || *p == '"' || *p == 0x7f)
      mtport_buf_printf(&enc, "%%%02X", (unsigned char)*p);
    else
      mtport_md__putc(&enc, *p);
  }
  free(clean);
  return mtport_buf_detach(&enc);
}

/* ---- serializer ---- */

static int S_put_escaped(mtport_buf *o, const char *s, int attr, int pre,
                         int *line_blank) {
  int rc = MTPORT_OK;
  for (; *s && rc == MTPORT_OK; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '&')
      rc = mtport_md__puts(o, "&amp;");
    else if (c == '<')
      rc = mtport_md__puts(o, "&lt;");
    else if (c == '>')
      rc = mtport_md__puts(o, "&gt;");
    else if (attr && c == '"')
      rc = mtport_md__puts(o, "&quot;");
    else if (c == '\r' && pre) {
      if (s[1] != '\n')
        rc = mtport_md__puts(o, *line_blank ? "&#10;" : "\n");
      *line_blank = 1;
    } else if (c == '\n' || (c == '\r' && !pre)) {
      if (attr)
        rc = mtport_md__puts(o, "&#10;");
      else if (pre) {
        /* A blank line would end the HTML block: encode it. */
        rc = mtport_md__puts(o, *line_blank ? "&#10;" : "\n");
        *line_blank = 1;
      } else {
        /* Collapse: one newline per white-space run, never a blank line. */
        if (o->len &&
            (o->data[o->len - 1] == ' ' || o->data[o->len - 1] == '\t'))
          o->data[--o->len] = 0;
        if (!(o->len && o->data[o->len - 1] == '\n'))
          rc = mtport_md__putc(o, *line_blank ? ' ' : '\n');
        *line_blank = 1;
      }
    } else if (c < 0x20 && c != '\t')
      continue;
    else if (!attr && !pre && (c == ' ' || c == '\t')) {
      if (!(o->len &&
            (o->data[o->len - 1] == ' ' || o->data[o->len - 1] == '\n')))
        rc = mtport_md__putc(o, ' ');
    } else {
      rc = mtport_md__putc(o, (char)c);
      if (c != ' ' && c != '\t')
        *line_blank = 0;
    }
  }
  return rc;
}

static int S_is_pre_el(const xmlNode *n) {
  int cls = mtport_md__class(n);
  return cls == H_PRE ||
         (cls == H_RAWTAGS && strcmp((const char *)n->name, "textarea") == 0);
}

int mtport_md__more_comment(const xmlNode *n) {
  const char *c = (const char *)n->content;
  if (!c)
    return 0;
  while (*c == ' ')
    c++;
  if (strncmp(c, "more", 4) != 0)
    return 0;
  for (c += 4; *c == ' '; c++)
    ;
  return *c == 0;
}

int mtport_md__serialize(mtport_buf *o, xmlNode *first, xmlNode *last,
                         const char *base) {
  int rc = MTPORT_OK, pre = 0, blank = 0;
  xmlNode *n = first;
  while (n && rc == MTPORT_OK) {
    int descend = 0;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content)
        rc = S_put_escaped(o, (const char *)n->content, 0, pre > 0, &blank);
    } else if (n->type == XML_COMMENT_NODE) {
      if (mtport_md__more_comment(n)) {
        rc = mtport_md__puts(o, "<!--more-->");
        blank = 0;
      }
    } else if (n->type == XML_ELEMENT_NODE) {
      int cls = mtport_md__class(n);
      if (cls != H_REMOVE && cls != H_DROP) {
        rc = mtport_buf_printf(o, "<%s", (const char *)n->name);
        for (xmlAttr *a = n->properties; a && rc == MTPORT_OK; a = a->next) {
          const char *v = a->children && a->children->content
                              ? (const char *)a->children->content
                              : "";
          const char *an = (const char *)a->name;
          char *res = NULL;
          if (base && (strcmp(an, "href") == 0 || strcmp(an, "src") == 0))
            v = res = mtport_md__url(v, base);
          if (!v) {
            rc = MTPORT_ENOMEM;
            break;
          }
          rc = mtport_buf_printf(o, " %s=\"", an);
          int dummy = 0;
          if (rc == MTPORT_OK)
            rc = S_put_escaped(o, v, 1, 0, &dummy);
          if (rc == MTPORT_OK)
            rc = mtport_md__putc(o, '"');
          free(res);
        }
        if (rc == MTPORT_OK)
          rc = mtport_md__putc(o, '>');
        blank = 0;
        if (S_is_pre_el(n))
          pre++;
        if (!mtport_md__is_void((const char *)n->name))
          descend = 1;
      }
    }
    if (descend && n->children) {
      n = n->children;
      continue;
    }
    if (descend) {
      if (S_is_pre_el(n))
        pre--;
      rc = mtport_buf_printf(o, "</%s>", (const char *)n->name);
    }
    /* Climb: close every finished element on the way up. */
    while (n && rc == MTPORT_OK) {
      if (n == last || (n == first && !last)) {
        n = NULL;
        break;
      }
      if (n->next) {
        n = n->next;
        break;
      }
      n = n->parent;
      if (!n || n == first->parent) {
        n = NULL;
        break;
      }
      if (S_is_pre_el(n))
        pre--;
      rc = mtport_buf_printf(o, "</%s>", (const char *)n->name);
      if (n == last) {
        n = NULL;
        break;
      }
    }
  }
  return rc;
}

/* ---- signature ---- */

typedef struct {
  mtport_buf *o;
  int space; /* a collapsible space is pending */
  int rc;
  mtport_buf link; /* a link target not yet shown: empty links are
                      invisible, so the marker waits for content */
  xmlNode *link_el;
} S_sig;

static void S_sig_flush_link(S_sig *s) {
  if (s->link.len && s->rc == MTPORT_OK)
    s->rc = mtport_md__append(s->o, s->link.data, s->link.len);
  mtport_buf_clear(&s->link);
}

static void S_sig_put(S_sig *s, const char *p, size_t n) {
  if (s->rc != MTPORT_OK)
    return;
  S_sig_flush_link(s);
  if (s->space && s->o->len && s->o->data[s->o->len - 1] != '\x02')
    s->rc = mtport_md__putc(s->o, ' ');
  s->space = 0;
  if (s->rc == MTPORT_OK)
    s->rc = mtport_md__append(s->o, p, n);
}

/* Markers (link targets, sources) leave pending white space pending, so
 * a space moved across a tag edge compares equal. */
static void S_sig_mark(S_sig *s, const char *p, size_t n) {
  S_sig_flush_link(s);
  if (s->rc == MTPORT_OK)
    s->rc = mtport_md__append(s->o, p, n);
}

static int S_is_ws(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void S_sig_text(S_sig *s, const char *t) {
  const unsigned char *p = (const unsigned char *)t;
  while (*p) {
    if (S_is_ws(*p)) {
      s->space = 1;
      p++;
      continue;
    }
    if (*p < 0x20) { /* control characters never reach the output */
      p++;
      continue;
    }
    /* A run of words joined by single spaces is already collapsed. */
    const unsigned char *q = p;
    while (*q > 0x20 || (*q == ' ' && q[1] > 0x20))
      q++;
    S_sig_put(s, (const char *)p, (size_t)(q - p));
    p = q;
  }
}

/* Bytes cmark's HTML writer leaves as they are in a URL (others become
 * %XX): ASCII letters, digits and -_.+!*'(),%#@?=;:/&$~ */
static const unsigned char S_url_safe[256] = {
    ['-'] = 1,  ['_'] = 1, ['.'] = 1, ['+'] = 1, ['!'] = 1, ['*'] = 1,
    ['\''] = 1, ['('] = 1, [')'] = 1, [','] = 1, ['%'] = 1, ['#'] = 1,
    ['@'] = 1,  ['?'] = 1, ['='] = 1, [';'] = 1, [':'] = 1, ['/'] = 1,
    ['&'] = 1,  ['$'] = 1, ['~'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1,
    ['3'] = 1,  ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1,
    ['9'] = 1,  ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1,
    ['f'] = 1,  ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1,
    ['l'] = 1,  ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1,
    ['r'] = 1,  ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1,
    ['x'] = 1,  ['y'] = 1, ['z'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1,
    ['D'] = 1,  ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1,
    ['J'] = 1,  ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1,
    ['P'] = 1,  ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
    ['V'] = 1,  ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1};

static int S_url_trim(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Appends a URL percent-encoded the way cmark's HTML writer does, so that
 * the source's and the rendering's forms compare equal. The URL is cleaned
 * as mtport_md__url does (trimmed, tab/CR/LF removed) and resolved against
 * @p base when there is one; without a base no copy is made (the %XX that
 * mtport_md__url would add are the ones written here anyway). */
static void S_sig_url(S_sig *s, const char *tag, const char *url,
                      const char *base, int defer) {
  char *u = NULL;
  const unsigned char *p = (const unsigned char *)(url ? url : ""), *e;
  if (base && *base) {
    u = mtport_md__url(url, base);
    if (!u) {
      s->rc = MTPORT_ENOMEM;
      return;
    }
    p = (const unsigned char *)u;
    e = p + strlen(u);
  } else {
    e = p + strlen((const char *)p);
    while (p < e && S_url_trim(*p))
      p++;
    while (e > p && S_url_trim(e[-1]))
      e--;
  }
  /* Written straight where it goes: the deferred link or the output. */
  mtport_buf *t;
  if (defer) {
    mtport_buf_clear(&s->link);
    t = &s->link;
  } else {
    S_sig_flush_link(s);
    if (s->rc != MTPORT_OK) {
      free(u);
      return;
    }
    t = s->o;
  }
  static const char hex[] = "0123456789ABCDEF";
  int rc = mtport_md__puts(t, tag);
  while (p < e && !rc) {
    const unsigned char *q = p;
    while (q < e && S_url_safe[*q])
      q++;
    if (q > p)
      rc = mtport_md__append(t, (const char *)p, (size_t)(q - p));
    if (q == e || rc)
      break;
    if (*q != '\t' && *q != '\n' && *q != '\r') {
      char x[3] = {'%', hex[*q >> 4], hex[*q & 15]};
      rc = mtport_md__append(t, x, 3);
    }
    p = q + 1;
  }
  if (!rc)
    rc = mtport_md__putc(t, '\x01');
  if (rc)
    s->rc = MTPORT_ENOMEM;
  free(u);
}

/* Pre text: CRLF and CR become LF, controls dropped. */
static void S_sig_pre_text(S_sig *s, const char *t, int first) {
  if (first && *t == '\n')
    t++;
  for (; *t && s->rc == MTPORT_OK; t++) {
    unsigned char c = (unsigned char)*t;
    if (c == '\r') {
      if (t[1] != '\n')
        s->rc = mtport_md__putc(s->o, '\n');
    } else if (c >= 0x20 || c == '\n' || c == '\t' || c >= 0x80)
      s->rc = mtport_md__putc(s->o, (char)c);
  }
}

static void S_sig_pre_end(S_sig *s) {
  while (s->o->len && s->o->data[s->o->len - 1] == '\n')
    s->o->len--;
  if (s->o->data)
    s->o->data[s->o->len] = 0;
  if (s->rc == MTPORT_OK)
    s->rc = mtport_md__putc(s->o, '\x03');
}

int mtport_md__signature(mtport_buf *out, xmlNode *first, xmlNode *last,
                         const char *base) {
  S_sig s = {out, 0, MTPORT_OK, MTPORT_BUF_INIT, NULL};
  int pre = 0;
  xmlNode *n = first;
  while (n && s.rc == MTPORT_OK) {
    int descend = 0;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content) {
        if (pre)
          S_sig_pre_text(&s, (const char *)n->content,
                         n->parent && n->parent->children == n &&
                             S_is_pre_el(n->parent));
        else
          S_sig_text(&s, (const char *)n->content);
      }
    } else if (n->type == XML_ELEMENT_NODE && !pre &&
               mtport_md__mono_block(n)) {
      /* the code block the converter makes of a run of them */
      xmlNode *end = n;
      mtport_buf t = MTPORT_BUF_INIT;
      s.space = 1;
      S_sig_put(&s, "\x02", 1);
      s.space = 0;
      if (mtport_md__mono_run(&t, n, last, &end) != MTPORT_OK)
        s.rc = MTPORT_ENOMEM;
      S_sig_pre_text(&s, t.data ? t.data : "", 0);
      S_sig_pre_end(&s);
      s.space = 1;
      mtport_buf_dispose(&t);
      n = end;
    } else if (n->type == XML_ELEMENT_NODE) {
      int cls = mtport_md__class(n);
      if (cls != H_REMOVE && cls != H_DROP) {
        descend = 1;
        if (cls == H_BR) {
          if (pre)
            s.rc = mtport_md__putc(s.o, '\n');
          else
            s.space = 1;
        } else if (mtport_md__is_blocky(n) || cls == H_RAWBLOCK)
          s.space = 1;
        const char *src = mtport_md__attr(n, "src");
        if (cls == H_IMG) {
          S_sig_url(&s, "\x01img:", src ? src : "", base, 0);
          const char *alt = mtport_md__attr(n, "alt");
          int sp = s.space;
          s.space = 0;
          S_sig_mark(&s,
                     "\x01"
                     "alt:",
                     5);
          if (alt)
            S_sig_text(&s, alt);
          s.space = 0;
          S_sig_mark(&s, "\x01", 1);
          s.space = sp;
        } else if (src)
          S_sig_url(&s, "\x01src:", src, base, 0);
        if (cls == H_A) {
          const char *href = mtport_md__attr(n, "href");
          if (href) {
            S_sig_url(&s,
                      "\x01"
                      "a:",
                      href, base, 1);
            s.link_el = n;
          }
        }
        if (S_is_pre_el(n)) {
          if (pre++ == 0) {
            S_sig_put(&s, "\x02", 1);
            s.space = 0;
          }
        }
      }
    }
    if (descend && n->children) {
      n = n->children;
      continue;
    }
    if (descend && n->type == XML_ELEMENT_NODE) {
      if (n == s.link_el) {
        mtport_buf_clear(&s.link);
        s.link_el = NULL;
      }
      if (S_is_pre_el(n) && --pre == 0) {
        S_sig_pre_end(&s);
        s.space = 1;
      } else if (mtport_md__is_blocky(n))
        s.space = 1;
    }
    while (n) {
      if (n == last) {
        n = NULL;
        break;
      }
      if (n->next) {
        n = n->next;
        break;
      }
      n = n->parent;
      if (!n || n == first->parent) {
        n = NULL;
        break;
      }
      if (n == s.link_el) {
        mtport_buf_clear(&s.link);
        s.link_el = NULL;
      }
      if (S_is_pre_el(n) && --pre == 0) {
        S_sig_pre_end(&s);
        s.space = 1;
      } else if (mtport_md__is_blocky(n))
        s.space = 1;
      if (n == last) {
        n = NULL;
        break;
      }
    }
  }
  mtport_buf_dispose(&s.link);
  return s.rc;
}

/* The signature the HTML that cmark-gfm renders from @p root would have,
 * computed from the tree itself (no rendering, no parsing). Returns 0 and
 * leaves @p out unspecified when the tree holds raw HTML, whose effect only
 * a real rendering shows. */
int mtport_md__tree_signature(mtport_buf *out, cmark_node *root) {
  S_sig s = {out, 0, MTPORT_OK, MTPORT_BUF_INIT, NULL};
  cmark_node *link = NULL;
  cmark_iter *it = cmark_iter_new(root);
  if (!it)
    return 0;
  int ok = 1;
  cmark_event_type ev;
  while (ok && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    int enter = ev == CMARK_EVENT_ENTER;
    switch (t) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
      S_sig_text(&s, cmark_node_get_literal(n));
      break;
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
      s.space = 1;
      break;
    case CMARK_NODE_HTML_INLINE: {
      /* Plain phrasing tags without URLs add no text: same signature. */
      static const char *const ok_tags[] = {
          "sup",  "sub",  "u",       "ins",    "mark", "kbd", "samp",
          "var",  "abbr", "acronym", "cite",   "q",    "dfn", "small",
          "big",  "code", "em",      "strong", "del",  "s",   "span",
          "font", "b",    "i",       "tt",     NULL};
      const char *l = cmark_node_get_literal(n);
      if (strcmp(l, "<br />") == 0) {
        s.space = 1;
        break;
      }
      const char *p = l + 1 + (l[1] == '/');
      size_t k = 0;
      while (isalnum((unsigned char)p[k]))
        k++;
      int known = 0;
      for (int i = 0; ok_tags[i] && !known; i++)
        if (strlen(ok_tags[i]) == k && strncmp(p, ok_tags[i], k) == 0)
          known = 1;
      if (l[0] != '<' || !known || strchr(l, '=') || l[strlen(l) - 1] != '>')
        ok = 0;
      break;
    }
    case CMARK_NODE_HTML_BLOCK: {
      /* the writer's own blocks: a comment parting two lists, a rule in a
       * list item (html2md.c: Q_ADJACENT_LISTS, Q_EMPTY_ITEM, Q_LIST_RULE) */
      const char *l = cmark_node_get_literal(n);
      size_t ln = strlen(l);
      while (ln && l[ln - 1] == '\n')
        ln--;
      if (ln == 8 && strncmp(l, "<!-- -->", 8) == 0)
        break;
      if (ln == 6 && strncmp(l, "<hr />", 6) == 0) {
        s.space = 1;
        break;
      }
      ok = 0;
      break;
    }
    case CMARK_NODE_FOOTNOTE_DEFINITION:
    case CMARK_NODE_FOOTNOTE_REFERENCE:
      ok = 0;
      break;
    case CMARK_NODE_EMPH:
    case CMARK_NODE_STRONG:
      break;
    case CMARK_NODE_CODE_BLOCK:
      s.space = 1;
      S_sig_put(&s, "\x02", 1);
      s.space = 0;
      S_sig_pre_text(&s, cmark_node_get_literal(n), 0);
      S_sig_pre_end(&s);
      s.space = 1;
      break;
    case CMARK_NODE_LINK:
      if (enter) {
        S_sig_url(&s,
                  "\x01"
                  "a:",
                  cmark_node_get_url(n), NULL, 1);
        link = n;
      } else if (link == n) {
        mtport_buf_clear(&s.link);
        link = NULL;
      }
      break;
    case CMARK_NODE_IMAGE: {
      S_sig_url(&s, "\x01img:", cmark_node_get_url(n), NULL, 0);
      mtport_buf alt = MTPORT_BUF_INIT;
      cmark_iter *ai = cmark_iter_new(n);
      cmark_event_type ae;
      while (ai && (ae = cmark_iter_next(ai)) != CMARK_EVENT_DONE) {
        cmark_node *k = cmark_iter_get_node(ai);
        cmark_node_type kt = cmark_node_get_type(k);
        if (ae != CMARK_EVENT_ENTER)
          continue;
        if (kt == CMARK_NODE_TEXT || kt == CMARK_NODE_CODE)
          mtport_md__puts(&alt, cmark_node_get_literal(k));
        else if (kt == CMARK_NODE_SOFTBREAK || kt == CMARK_NODE_LINEBREAK)
          mtport_md__putc(&alt, ' ');
        else if (kt != CMARK_NODE_IMAGE && kt != CMARK_NODE_EMPH &&
                 kt != CMARK_NODE_STRONG && kt != CMARK_NODE_LINK &&
                 kt != CMARK_NODE_STRIKETHROUGH)
          ok = 0;
      }
      cmark_iter_free(ai);
      int sp = s.space;
      s.space = 0;
      S_sig_mark(&s,
                 "\x01"
                 "alt:",
                 5);
      S_sig_text(&s, alt.data ? alt.data : "");
      s.space = 0;
      S_sig_mark(&s, "\x01", 1);
      s.space = sp;
      mtport_buf_dispose(&alt);
      cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
      break;
    }
    default:
      if (t == CMARK_NODE_STRIKETHROUGH)
        break;
      /* paragraphs, headings, lists, quotes, tables, rules: boxes */
      s.space = 1;
      break;
    }
  }
  cmark_iter_free(it);
  mtport_buf_dispose(&s.link);
  return ok && s.rc == MTPORT_OK;
}
