/* HTML to plain text for titles and summaries: tags stripped, entities
 * decoded (named ones through libxml2's HTML entity table), whitespace
 * collapsed. Text that only looks like an entity ("AT&T") stays literal. */
#include "core.h"
#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <string.h>
#include <strings.h>

/* What HTML makes of a reference to U+0080..U+009F: the windows-1252
 * character of that byte (old pages wrote &#146; for a quote); 0, dropped,
 * where windows-1252 has none. */
static const unsigned short S_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* Appends a referenced code point; it passes the gate raw text passes
 * (mtport_utf8_sanitize()): controls and noncharacters are dropped. */
static int S_put_cp(mtport_buf *out, unsigned cp) {
  char b[4];
  size_t n;
  if (cp >= 0x80 && cp <= 0x9F && !(cp = S_c1[cp - 0x80]))
    return MTPORT_OK;
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    cp = 0xFFFD;
  if (!mtport__cp_allowed(cp))
    return MTPORT_OK;
  if (cp < 0x80)
    b[0] = (char)cp, n = 1;
  else if (cp < 0x800)
    b[0] = (char)(0xC0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
  else if (cp < 0x10000)
    b[0] = (char)(0xE0 | cp >> 12), b[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
    b[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
  else
    b[0] = (char)(0xF0 | cp >> 18), b[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F)),
    n = 4;
  return mtport_buf_append(out, b, n);
}

/* A numeric character reference at s[0] == '&' ("&#27;", "&#x1B;", with
 * or without its ';', as HTML parsers take it): its length, and its value
 * in *cp (past U+10FFFF: 0x110000). 0 when there is none. */
static size_t S_numref(const char *s, size_t n, unsigned long *cp) {
  size_t i = 2;
  if (n < 3 || s[1] != '#')
    return 0;
  int hex = s[2] == 'x' || s[2] == 'X';
  i += (size_t)hex;
  size_t start = i;
  unsigned long v = 0;
  for (; i < n &&
         (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]));
       i++) {
    unsigned d = isdigit((unsigned char)s[i])
                     ? (unsigned)(s[i] - '0')
                     : (unsigned)(tolower((unsigned char)s[i]) - 'a' + 10);
    v = v > 0x10FFFF ? v : v * (hex ? 16 : 10) + d;
  }
  if (i == start)
    return 0;
  *cp = v > 0x10FFFF ? 0x110000 : v;
  return i < n && s[i] == ';' ? i + 1 : i;
}

int mtport__html_fix_refs(mtport_buf *out, const char *s, size_t n) {
  int fixes = 0;
  size_t from = 0;
  for (const char *a; (a = memchr(s + from, '&', n - from)) != NULL;) {
    size_t at = (size_t)(a - s);
    unsigned long cp;
    size_t k = S_numref(a, n - at, &cp);
    unsigned long to = cp >= 0x80 && cp <= 0x9F ? S_c1[cp - 0x80] : cp;
    if (!k || (to && to != 0x110000 && mtport__cp_allowed(to) && to == cp)) {
      if (mtport_buf_append(out, s + from, at + 1 - from))
        return MTPORT_ENOMEM;
      from = at + 1;
      continue;
    }
    /* a control or noncharacter goes; a C1 reference becomes what HTML
     * reads it as */
    if (mtport_buf_append(out, s + from, at - from) ||
        (to && to != 0x110000 && mtport__cp_allowed(to) &&
         mtport_buf_printf(out, "&#x%lX;", to)))
      return MTPORT_ENOMEM;
    from = at + k;
    if (fixes < 0x7FFFFFFF)
      fixes++;
  }
  if (mtport_buf_append(out, s + from, n - from))
    return MTPORT_ENOMEM;
  return fixes;
}

/* Decodes the entity at s[0] == '&'; returns bytes consumed or 0. */
static size_t S_entity(const char *s, size_t n, unsigned *cp) {
  size_t i = 1;
  if (i < n && s[i] == '#') {
    i++;
    int hex = i < n && (s[i] == 'x' || s[i] == 'X');
    if (hex)
      i++;
    unsigned long v = 0;
    size_t start = i;
    while (
        i < n &&
        (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i])) &&
        v <= 0x10FFFF) {
      v = v * (hex ? 16 : 10) +
          (unsigned long)(isdigit((unsigned char)s[i])
                              ? s[i] - '0'
                              : (tolower((unsigned char)s[i]) - 'a' + 10));
      i++;
    }
    if (i == start || i >= n || s[i] != ';')
      return 0;
    *cp = v > 0x10FFFF ? 0xFFFD : (unsigned)v;
    return i + 1;
  }
  char name[40];
  size_t k = 0;
  while (i < n && isalnum((unsigned char)s[i]) && k + 1 < sizeof name)
    name[k++] = s[i++];
  name[k] = '\0';
  if (!k || i >= n || s[i] != ';')
    return 0;
  const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
  if (!e)
    return 0;
  *cp = e->value;
  return i + 1;
}

/* Block-level tags separate words; inline ones (b, a, span) do not. */
static int S_block_tag(const char *t, size_t n) {
  static const char *const blocks[] = {
      "br",  "p",  "div", "li", "tr",    "td", "th",
      "h1",  "h2", "h3",  "h4", "h5",    "h6", "blockquote",
      "pre", "hr", "ul",  "ol", "table", "dd", "dt"};
  if (n && t[0] == '/')
    t++, n--;
  size_t k = 0;
  while (k < n && isalnum((unsigned char)t[k]))
    k++;
  for (size_t i = 0; i < sizeof blocks / sizeof *blocks; i++)
    if (strlen(blocks[i]) == k && strncasecmp(t, blocks[i], k) == 0)
      return 1;
  return 0;
}

int mtport_html_to_text(mtport_buf *out, const char *h, size_t n) {
  size_t start = out->len;
  int space = 0, rc = 0;
  for (size_t i = 0; i < n && !rc;) {
    unsigned char c = (unsigned char)h[i];
    if (c == '<' && i + 1 < n &&
        (isalpha((unsigned char)h[i + 1]) || h[i + 1] == '/' ||
         h[i + 1] == '!')) {
      const char *gt = memchr(h + i, '>', n - i);
      if (!gt)
        break; /* an unterminated tag: drop the rest, as browsers do */
      if (S_block_tag(h + i + 1, (size_t)(gt - h) - i - 1))
        space = space || out->len > start;
      i = (size_t)(gt - h) + 1;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      space = out->len > start;
      i++;
      continue;
    }
    if (space) {
      rc |= mtport_buf_putc(out, ' ');
      space = 0;
    }
    unsigned cp;
    size_t k;
    if (c == '&' && (k = S_entity(h + i, n - i, &cp)) > 0) {
      rc |= cp == 0xA0 ? mtport_buf_putc(out, ' ') : S_put_cp(out, cp);
      i += k;
      continue;
    }
    rc |= mtport_buf_putc(out, (char)c);
    i++;
  }
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}
