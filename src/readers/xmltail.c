/* Where an XML document's root element ends (see xmltail.h). */
#include "xmltail.h"
#include <string.h>

enum {
  SC_TEXT,
  SC_LT,      /* after '<' */
  SC_STAG,    /* in a start tag */
  SC_ETAG,    /* in an end tag */
  SC_PI,      /* in <? ... ?> */
  SC_BANG,    /* after "<!" */
  SC_BANG2,   /* after "<!-" */
  SC_COMMENT, /* in <!-- ... --> */
  SC_CDOPEN,  /* in "<![CDATA" before its '[' */
  SC_CDATA,   /* in <![CDATA[ ... ]]> */
  SC_DECL     /* in <!DOCTYPE ...> and the like */
};

static void S_junk(mtport_xmltail *t, unsigned long line, unsigned long col) {
  t->junk = 1;
  t->junk_line = line;
  t->junk_col = col;
}

/* Skips bytes up to the next @p ch (or @p n) from @p i, keeping the line
 * and column: text and CDATA bodies are most of a document, and memchr is
 * fast on them where a byte-by-byte state machine is not. */
static size_t S_skip_to(mtport_xmltail *t, const char *p, size_t i, size_t n,
                        char ch) {
  const char *lt = memchr(p + i, ch, n - i);
  const char *q = p + i, *e = lt ? lt : p + n, *nl;
  while ((nl = memchr(q, '\n', (size_t)(e - q))) != NULL) {
    t->line++;
    t->col = 0;
    q = nl + 1;
  }
  t->col += (unsigned long)(e - q);
  return (size_t)(e - p);
}

/* The bytes that matter in a start tag outside quotes. */
static const unsigned char S_tag_stop[256] = {
    ['"'] = 1, ['\''] = 1, ['>'] = 1, ['\n'] = 1};

size_t mtport_xmltail__scan(mtport_xmltail *t, const char *p, size_t n) {
  if (t->depth == 0 && !t->root_done) /* still before the root element */
    t->prolog += n;
  if (!t->on)
    return n;
  size_t keep = t->root_done ? 0 : n;
  for (size_t i = 0; i < n && !t->junk; i++) {
    if (t->st == SC_TEXT && !t->root_done) {
      i = S_skip_to(t, p, i, n, '<');
      if (i == n)
        break;
    } else if ((t->st == SC_CDATA && t->run < 2 && p[i] != ']') ||
               (t->st == SC_COMMENT && t->run < 2 && p[i] != '-')) {
      /* no end can come before the next ']' (or '-'): skip to it */
      i = S_skip_to(t, p, i, n, t->st == SC_CDATA ? ']' : '-');
      t->run = 0;
      if (i == n)
        break;
    } else if (t->st == SC_STAG && t->quote && p[i] != t->quote) {
      /* an attribute value: to its closing quote */
      i = S_skip_to(t, p, i, n, (char)t->quote);
      t->prev = t->quote == '"' ? 'q' : 'a'; /* not '/', whatever it holds */
      if (i == n)
        break;
    } else if (t->st == SC_STAG && !t->quote) {
      /* a start tag: on to the next quote, '>' or newline */
      size_t j = i;
      while (j < n && !S_tag_stop[(unsigned char)p[j]])
        j++;
      if (j > i) {
        t->col += (unsigned long)(j - i);
        t->prev = (unsigned char)p[j - 1];
        i = j;
        if (i == n)
          break;
      }
    } else if (t->st == SC_ETAG && p[i] != '>') {
      i = S_skip_to(t, p, i, n, '>');
      if (i == n)
        break;
    }
    unsigned char c = (unsigned char)p[i];
    t->col++;
    int done = t->root_done;
    switch (t->st) {
    case SC_TEXT:
      if (c == '<') {
        t->st = SC_LT;
        t->lt_line = t->line, t->lt_col = t->col;
      } else if (done && c != ' ' && c != '\t' && c != '\r' && c != '\n')
        S_junk(t, t->line, t->col);
      break;
    case SC_LT:
      if (c == '?')
        t->st = SC_PI, t->run = 0;
      else if (c == '!')
        t->st = SC_BANG;
      else if (done) /* an element or end tag after the root */
        S_junk(t, t->lt_line, t->lt_col);
      else if (c == '/')
        t->st = SC_ETAG;
      else
        t->st = SC_STAG, t->quote = 0, t->prev = c;
      break;
    case SC_STAG:
      if (t->quote) {
        if (c == t->quote)
          t->quote = 0;
      } else if (c == '"' || c == '\'') {
        t->quote = c;
      } else if (c == '>') {
        t->st = SC_TEXT;
        if (t->prev != '/')
          t->depth++;
        else if (t->depth == 0) { /* an empty root element */
          t->root_done = 1;
          keep = i + 1;
        }
      }
      t->prev = c;
      break;
    case SC_ETAG:
      if (c == '>') {
        t->st = SC_TEXT;
        if (t->depth > 0 && --t->depth == 0) {
          t->root_done = 1;
          keep = i + 1;
        }
      }
      break;
    case SC_PI:
      if (c == '>' && t->run)
        t->st = SC_TEXT;
      t->run = c == '?';
      break;
    case SC_BANG:
      if (c == '-')
        t->st = SC_BANG2;
      else if (done)
        S_junk(t, t->lt_line, t->lt_col);
      else if (c == '[')
        t->st = SC_CDOPEN;
      else
        t->st = c == '>' ? SC_TEXT : SC_DECL, t->decl = 0;
      break;
    case SC_BANG2:
      if (c == '-')
        t->st = SC_COMMENT, t->run = 0;
      else if (done)
        S_junk(t, t->lt_line, t->lt_col);
      else
        t->st = c == '>' ? SC_TEXT : SC_DECL, t->decl = 0;
      break;
    case SC_COMMENT:
      if (c == '>' && t->run >= 2)
        t->st = SC_TEXT;
      t->run = c == '-' ? t->run + 1 : 0;
      break;
    case SC_CDOPEN:
      if (c == '[')
        t->st = SC_CDATA, t->run = 0;
      break;
    case SC_CDATA:
      if (c == '>' && t->run >= 2)
        t->st = SC_TEXT;
      t->run = c == ']' ? t->run + 1 : 0;
      break;
    case SC_DECL:
      if (c == '[')
        t->decl++;
      else if (c == ']' && t->decl)
        t->decl--;
      else if (c == '>' && !t->decl)
        t->st = SC_TEXT;
      break;
    }
    if (c == '\n')
      t->line++, t->col = 0;
  }
  return keep;
}

void mtport_xmltail__init(mtport_xmltail *t, const unsigned char *h, size_t n) {
  memset(t, 0, sizeof *t);
  /* UTF-16 (a BOM, or a NUL in the first two bytes): '<' is not one byte */
  t->on =
      !(n >= 2 && (h[0] == 0 || h[1] == 0 || (h[0] == 0xFE && h[1] == 0xFF) ||
                   (h[0] == 0xFF && h[1] == 0xFE)));
  t->st = SC_TEXT;
  t->line = 1;
}
