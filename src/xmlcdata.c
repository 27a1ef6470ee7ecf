/* CDATA sections rewritten as escaped text (see xmlcdata.h). */
#include "xmlcdata.h"
#include <string.h>

enum { F_TEXT, F_PREFIX, F_TAG, F_COMMENT, F_PI, F_DECL, F_CDATA };

static const char S_CDATA[] = "<![CDATA[", S_COMMENT[] = "<!--";

void mtport_xmlcdata__init(mtport_xmlcdata *f, int on) {
  memset(f, 0, sizeof *f);
  f->on = on;
  f->st = F_TEXT;
}

/* The held "<..." prefix is decided: @p st is where it leads. */
static int S_flush_pend(mtport_xmlcdata *f, int st, mtport_buf *out) {
  int rc = mtport_buf_append(out, f->pend, f->plen);
  f->plen = 0;
  f->st = st;
  f->quote = 0;
  f->run = 0;
  f->depth = 0;
  return rc;
}

/* One byte after '<': extends the prefix, or decides what it opens. */
static int S_prefix(mtport_xmlcdata *f, char c, mtport_buf *out) {
  f->pend[f->plen++] = c;
  if (f->plen <= sizeof S_CDATA - 1 && memcmp(f->pend, S_CDATA, f->plen) == 0) {
    if (f->plen == sizeof S_CDATA - 1) { /* the opener is dropped */
      f->plen = 0;
      f->st = F_CDATA;
      f->run = 0;
    }
    return MTPORT_OK;
  }
  if (f->plen <= sizeof S_COMMENT - 1 &&
      memcmp(f->pend, S_COMMENT, f->plen) == 0)
    return f->plen == sizeof S_COMMENT - 1 ? S_flush_pend(f, F_COMMENT, out)
                                           : MTPORT_OK;
  /* not CDATA, not a comment: what the second byte says */
  char second = f->pend[1];
  int st = second == '?' ? F_PI : second == '!' ? F_DECL : F_TAG;
  /* the bytes held after the second are passed through the new state */
  char rest[sizeof f->pend];
  unsigned nrest = f->plen > 2 ? f->plen - 2 : 0;
  memcpy(rest, f->pend + 2, nrest);
  f->plen = f->plen > 2 ? 2 : f->plen;
  int rc = S_flush_pend(f, st, out);
  if (!rc && nrest)
    rc = mtport_xmlcdata__filter(f, rest, nrest, out);
  return rc;
}

/* Bytes that need a look inside CDATA. */
static int S_cdata_special(unsigned char c) {
  return c == '&' || c == '<' || c == '>' || c == ']';
}

int mtport_xmlcdata__filter(mtport_xmlcdata *f, const char *in, size_t n,
                            mtport_buf *out) {
  if (!f->on)
    return mtport_buf_append(out, in, n);
  int rc = MTPORT_OK;
  size_t i = 0;
  while (i < n && !rc) {
    char c = in[i];
    switch (f->st) {
    case F_TEXT: {
      const char *lt = memchr(in + i, '<', n - i);
      size_t end = lt ? (size_t)(lt - in) : n;
      rc = mtport_buf_append(out, in + i, end - i);
      i = end;
      if (lt) {
        f->st = F_PREFIX;
        f->plen = 0;
        f->pend[f->plen++] = '<';
        i++;
      }
      continue;
    }
    case F_PREFIX:
      rc = S_prefix(f, c, out);
      i++;
      continue;
    case F_CDATA: {
      size_t j = i;
      while (j < n && !S_cdata_special((unsigned char)in[j]))
        j++;
      if (j > i) {
        for (; f->run; f->run--) /* ']' held before ordinary text */
          rc = rc ? rc : mtport_buf_putc(out, ']');
        rc = rc ? rc : mtport_buf_append(out, in + i, j - i);
        i = j;
        continue;
      }
      if (c == ']') {
        f->run++; /* held: it may start the closing "]]>" */
      } else if (c == '>' && f->run >= 2) {
        for (f->run -= 2; f->run; f->run--)
          rc = rc ? rc : mtport_buf_putc(out, ']');
        f->st = F_TEXT;
      } else {
        for (; f->run; f->run--)
          rc = rc ? rc : mtport_buf_putc(out, ']');
        rc = rc ? rc
                : mtport_buf_puts(out, c == '&'   ? "&amp;"
                                       : c == '<' ? "&lt;"
                                                  : "&gt;");
      }
      i++;
      continue;
    }
    case F_TAG:
      if (f->quote) {
        if (c == f->quote)
          f->quote = 0;
      } else if (c == '"' || c == '\'')
        f->quote = c;
      else if (c == '>')
        f->st = F_TEXT;
      break;
    case F_DECL: /* a DOCTYPE's internal subset holds '>' of its own */
      if (f->quote) {
        if (c == f->quote)
          f->quote = 0;
      } else if (c == '"' || c == '\'')
        f->quote = c;
      else if (c == '[')
        f->depth++;
      else if (c == ']' && f->depth)
        f->depth--;
      else if (c == '>' && !f->depth)
        f->st = F_TEXT;
      break;
    case F_COMMENT:
      if (c == '>' && f->run >= 2)
        f->st = F_TEXT;
      f->run = c == '-' ? f->run + 1 : 0;
      break;
    case F_PI:
      if (c == '>' && f->run)
        f->st = F_TEXT;
      f->run = c == '?';
      break;
    }
    rc = mtport_buf_putc(out, c);
    i++;
  }
  return rc;
}

int mtport_xmlcdata__finish(mtport_xmlcdata *f, mtport_buf *out) {
  int rc = MTPORT_OK;
  if (f->st == F_PREFIX)
    rc = S_flush_pend(f, F_TEXT, out);
  else if (f->st == F_CDATA) /* unterminated: libxml2 reports the end */
    for (; f->run && !rc; f->run--)
      rc = mtport_buf_putc(out, ']');
  return rc;
}

/* 1 unless the XML declaration names an encoding other than UTF-8, or the
 * input starts with a UTF-16 byte order mark. */
int mtport_xml__is_utf8_doc(const unsigned char *h, size_t n) {
  if (n >= 2 &&
      ((h[0] == 0xFE && h[1] == 0xFF) || (h[0] == 0xFF && h[1] == 0xFE)))
    return 0;
  size_t i = n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF ? 3 : 0;
  if (n - i < 5 || memcmp(h + i, "<?xml", 5) != 0)
    return 1;
  for (size_t j = i; j + 9 < n && !(h[j] == '?' && h[j + 1] == '>'); j++) {
    if (memcmp(h + j, "encoding", 8) != 0)
      continue;
    size_t q = j + 8;
    while (q < n && (h[q] == ' ' || h[q] == '=' || h[q] == '"' || h[q] == '\''))
      q++;
    char enc[16];
    size_t e = 0;
    while (q < n && e + 1 < sizeof enc && h[q] != '"' && h[q] != '\'') {
      char c = (char)h[q++];
      enc[e++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    enc[e] = '\0';
    return strcmp(enc, "utf-8") == 0 || strcmp(enc, "utf8") == 0;
  }
  return 1;
}
