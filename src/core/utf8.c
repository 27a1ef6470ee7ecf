/* UTF-8 validation and repair (RFC 3629: no overlongs, no surrogates, no
 * code points above U+10FFFF). */
#include "core.h"
#include <stdint.h>
#include <string.h>

/* Length of the valid sequence at s (n bytes available), or 0 if invalid. */
static size_t S_seq(const unsigned char *s, size_t n, unsigned *cp) {
  unsigned c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t len;
  unsigned min;
  if (c >= 0xC2 && c <= 0xDF)
    len = 2, min = 0x80, c &= 0x1F;
  else if (c >= 0xE0 && c <= 0xEF)
    len = 3, min = 0x800, c &= 0x0F;
  else if (c >= 0xF0 && c <= 0xF4)
    len = 4, min = 0x10000, c &= 0x07;
  else
    return 0;
  if (n < len)
    return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    c = (c << 6) | (s[i] & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *cp = c;
  return len;
}

int mtport__cp_allowed(unsigned long cp) {
  if (cp < 0x20)
    return cp == '\t' || cp == '\n' || cp == '\r';
  if (cp == 0x7F)
    return 0;
  if ((cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0xFDD0 && cp <= 0xFDEF))
    return 0;
  return (cp & 0xFFFE) != 0xFFFE && cp <= 0x10FFFF;
}

#define S_ONES 0x0101010101010101ull
#define S_HIGHS (S_ONES * 0x80)

/* 1 when the 8 bytes at @p p are printable ASCII (0x20..0x7E): most text
 * is, and a word at a time is much faster than a byte. */
static int S_printable8(const unsigned char *p) {
  uint64_t w, del;
  memcpy(&w, p, 8);
  del = w ^ (S_ONES * 0x7F);
  return !(w & S_HIGHS) && !((w - S_ONES * 0x20) & ~w & S_HIGHS) &&
         !((del - S_ONES) & ~del & S_HIGHS);
}

int mtport_utf8_valid(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  unsigned cp;
  while (i < len) {
    if (len - i >= 8) {
      uint64_t w;
      memcpy(&w, p + i, 8);
      if (!(w & S_HIGHS)) { /* eight ASCII bytes */
        i += 8;
        continue;
      }
    }
    if (p[i] < 0x80) {
      i++;
      continue;
    }
    size_t k = S_seq(p + i, len - i, &cp);
    if (!k)
      return 0;
    i += k;
  }
  return 1;
}

int mtport_utf8_sanitize(mtport_buf *out, const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  int repairs = 0;
  size_t i = 0, run = 0; /* run: start of bytes copied verbatim */
  unsigned cp;
  while (i < len) {
    if (len - i >= 8 && S_printable8(p + i)) {
      i += 8;
      continue;
    }
    unsigned char c = p[i];
    if (c >= 0x20 && c < 0x7F) {
      i++;
      continue;
    }
    /* the usual two- and three-byte characters, checked in place (no
     * overlong, surrogate or noncharacter starts with these bytes) */
    if (c >= 0xC2 && c <= 0xDF && len - i >= 2 && (p[i + 1] & 0xC0) == 0x80) {
      i += 2;
      continue;
    }
    if (((c >= 0xE1 && c <= 0xEC) || c == 0xEE) && len - i >= 3 &&
        (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
      i += 3;
      continue;
    }
    size_t k = 0;
    int bad;
    if (c < 0x80) /* controls and DEL */
      bad = !(c == '\t' || c == '\n' || c == '\r');
    else {
      k = S_seq(p + i, len - i, &cp);
      bad = !k || !mtport__cp_allowed(cp);
    }
    if (!bad) {
      i += k ? k : 1;
      continue;
    }
    if (mtport_buf_append(out, s + run, i - run) != MTPORT_OK)
      return MTPORT_ENOMEM;
    if (c >= 0x80 && !k) { /* an undecodable byte: keep a visible mark */
      if (mtport_buf_append(out, "\xEF\xBF\xBD", 3) != MTPORT_OK)
        return MTPORT_ENOMEM;
    }
    i += k ? k : 1;
    run = i;
    if (repairs < 0x7FFFFFFF)
      repairs++;
  }
  if (mtport_buf_append(out, s + run, i - run) != MTPORT_OK)
    return MTPORT_ENOMEM;
  return repairs;
}
