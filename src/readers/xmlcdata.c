/* CDATA sections rewritten as escaped text (see xmlcdata.h). */
#include "xmlcdata.h"
#include <string.h>

enum { F_TEXT, F_PREFIX, F_TAG, F_COMMENT, F_PI, F_DECL, F_CDATA };

static const char S_CDATA[] = "<![CDATA[", S_COMMENT[] = "<!--";

/* A CDATA section up to this long passes as it is; a longer one becomes
 * escaped text (libxml2 is quadratic only on long ones, and escaped text
 * costs it more per byte). */
#define S_HOLD ((size_t)256 << 10)

void mtport_xmlcdata__init(mtport_xmlcdata *f, int on) {
  memset(f, 0, sizeof *f);
  f->on = on;
  f->st = F_TEXT;
}

/* Appends @p s to @p out with &, < and > escaped. */
static int S_escape(mtport_buf *out, const char *s, size_t n) {
  int rc = MTPORT_OK;
  size_t from = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    char c = s[i];
    if (c != '&' && c != '<' && c != '>')
      continue;
    rc = mtport_buf_append(out, s + from, i - from);
    rc = rc ? rc
            : mtport_buf_puts(out, c == '&'   ? "&amp;"
                                   : c == '<' ? "&lt;"
                                              : "&gt;");
    from = i + 1;
  }
  return rc ? rc : mtport_buf_append(out, s + from, n - from);
}

/* CDATA content: passed as it is while the section is short; past
 * S_HOLD the section is closed there and the rest goes as escaped text
 * (CDATA and text side by side are one run of characters to a parser). */
static int S_cd_put(mtport_xmlcdata *f, const char *s, size_t n,
                    mtport_buf *out) {
  if (f->big)
    return S_escape(out, s, n);
  int rc = mtport_buf_append(out, s, n);
  f->len += n;
  if (!rc && f->len > S_HOLD) {
    f->big = 1;
    rc = mtport_buf_puts(out, "]]>");
  }
  return rc;
}

/* The ']' held back (they may have begun "]]>") turn out to be content. */
static int S_cd_run(mtport_xmlcdata *f, mtport_buf *out) {
  int rc = MTPORT_OK;
  for (; f->run && !rc; f->run--)
    rc = S_cd_put(f, "]", 1, out);
  return rc;
}

/* The section closes (@p closed: with its "]]>"). */
static int S_cd_close(mtport_xmlcdata *f, mtport_buf *out, int closed) {
  int rc = MTPORT_OK;
  if (!f->big && closed)
    rc = mtport_buf_puts(out, "]]>");
  f->big = 0;
  f->len = 0;
  return rc;
}

/* The held "<..." prefix is decided: @p st is where it leads. */
static int S_flush_pend(mtport_xmlcdata *f, int st, mtport_buf *out) {
  int rc = mtport_buf_append(out, f->pend, f->plen);
  f->plen = 0;
  f->st = st;
  f->quote = 0;
  f->run = 0;
  f->depth = 0;
  f->attrs = 0;
  return rc;
}

/* One byte after '<': extends the prefix, or decides what it opens. */
static int S_prefix(mtport_xmlcdata *f, char c, mtport_buf *out) {
  f->pend[f->plen++] = c;
  if (f->plen <= sizeof S_CDATA - 1 && memcmp(f->pend, S_CDATA, f->plen) == 0) {
    if (f->plen == sizeof S_CDATA - 1) {
      f->plen = 0;
      f->st = F_CDATA;
      f->run = 0;
      f->big = 0;
      f->len = 0;
      return mtport_buf_puts(out, S_CDATA);
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

/* Bytes that need a look inside CDATA: & < > ] */
static const unsigned char S_special[256] = {
    ['&'] = 1, ['<'] = 1, ['>'] = 1, [']'] = 1};

int mtport_xmlcdata__filter(mtport_xmlcdata *f, const char *in, size_t n,
                            mtport_buf *out) {
  if (!f->on)
    return mtport_buf_append(out, in, n);
  int rc = MTPORT_OK;
  size_t i = 0, from = 0; /* in[from..i) passes as it is, appended late */
  while (i < n && !rc) {
    unsigned char c = (unsigned char)in[i];
    switch (f->st) {
    case F_TEXT: {
      const char *lt = memchr(in + i, '<', n - i);
      if (!lt) {
        i = n;
        continue;
      }
      i = (size_t)(lt - in);
      rc = mtport_buf_append(out, in + from, i - from);
      f->st = F_PREFIX; /* '<' held until we know what it opens */
      f->plen = 0;
      f->pend[f->plen++] = '<';
      from = ++i;
      continue;
    }
    case F_PREFIX:
      rc = S_prefix(f, (char)c, out);
      from = ++i;
      continue;
    case F_CDATA: {
      /* ordinary bytes: up to a special one when escaping, else to ']' */
      size_t j = i;
      if (f->run) {
        /* after ']': the very next byte decides, one at a time */
      } else if (f->big) {
        while (j < n && !S_special[(unsigned char)in[j]])
          j++;
      } else {
        const char *q = memchr(in + i, ']', n - i);
        j = q ? (size_t)(q - in) : n;
      }
      if (j > i) {
        rc = S_cd_run(f, out);
        rc = rc ? rc : S_cd_put(f, in + i, j - i, out);
        i = j;
      }
      from = i;
      if (i == n || rc)
        continue;
      c = (unsigned char)in[i];
      if (c == ']') {
        f->run++; /* held: it may begin the closing "]]>" */
      } else if (c == '>' && f->run >= 2) {
        f->run -= 2;
        rc = S_cd_run(f, out);
        rc = rc ? rc : S_cd_close(f, out, 1);
        f->st = F_TEXT;
      } else {
        rc = S_cd_run(f, out);
        rc = rc ? rc : S_cd_put(f, (const char *)&in[i], 1, out);
      }
      from = ++i;
      continue;
    }
    case F_TAG:
      if (f->quote) {
        const char *q = memchr(in + i, f->quote, n - i);
        if (!q) {
          i = n;
          continue;
        }
        i = (size_t)(q - in);
        f->quote = 0;
      } else if (c == '"' || c == '\'')
        f->quote = c;
      else if (c == '>')
        f->st = F_TEXT;
      else if (c == '=' && ++f->attrs > MTPORT_XML_MAX_ATTRS)
        rc = MTPORT_EPARSE;
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
    i++;
  }
  if (!rc && i > from)
    rc = mtport_buf_append(out, in + from, i - from);
  return rc;
}

int mtport_xmlcdata__finish(mtport_xmlcdata *f, mtport_buf *out) {
  int rc = MTPORT_OK;
  if (f->st == F_PREFIX)
    rc = S_flush_pend(f, F_TEXT, out);
  else if (f->st == F_CDATA) { /* unterminated: libxml2 reports it */
    rc = S_cd_run(f, out);
    rc = rc ? rc : S_cd_close(f, out, 0);
  }
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
