/* Slugs for file names and URLs: ASCII transliteration for Latin letters,
 * other scripts kept as case-folded UTF-8 in NFC, format characters (Cf:
 * bidi controls, zero widths) dropped, everything else one '-'. Two titles
 * that differ only in normalization or case give the same slug, as they
 * would name the same file on macOS or a case-insensitive disk. */
#include "core.h"
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* U+00C0..U+024F: ASCII transliteration, "" for a separator, or the
 * lower-case letter kept as UTF-8. Generated from Unicode NFKD data. */
static const char *const S_tr_00c0[400] = {
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "ae",
    "c",
    "e",
    "e",
    "e",
    "e",
    "i",
    "i",
    "i",
    "i",
    "d",
    "n",
    "o",
    "o",
    "o",
    "o",
    "o",
    "",
    "o",
    "u",
    "u",
    "u",
    "u",
    "y",
    "th",
    "ss",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "ae",
    "c",
    "e",
    "e",
    "e",
    "e",
    "i",
    "i",
    "i",
    "i",
    "d",
    "n",
    "o",
    "o",
    "o",
    "o",
    "o",
    "",
    "o",
    "u",
    "u",
    "u",
    "u",
    "y",
    "th",
    "y",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "c",
    "c",
    "c",
    "c",
    "c",
    "c",
    "c",
    "c",
    "d",
    "d",
    "d",
    "d",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "g",
    "g",
    "g",
    "g",
    "g",
    "g",
    "g",
    "g",
    "h",
    "h",
    "h",
    "h",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    "ij",
    "ij",
    "j",
    "j",
    "k",
    "k",
    "k",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "oe",
    "oe",
    "r",
    "r",
    "r",
    "r",
    "r",
    "r",
    "s",
    "s",
    "s",
    "s",
    "s",
    "s",
    "s",
    "s",
    "t",
    "t",
    "t",
    "t",
    "t",
    "t",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "w",
    "w",
    "y",
    "y",
    "y",
    "z",
    "z",
    "z",
    "z",
    "z",
    "z",
    "s",
    "\xc6\x80",
    "\xc9\x93",
    "\xc6\x83",
    "\xc6\x83",
    "\xc6\x85",
    "\xc6\x85",
    "\xc9\x94",
    "\xc6\x88",
    "\xc6\x88",
    "\xc9\x96",
    "\xc9\x97",
    "\xc6\x8c",
    "\xc6\x8c",
    "\xc6\x8d",
    "\xc7\x9d",
    "\xc9\x99",
    "\xc9\x9b",
    "\xc6\x92",
    "f",
    "\xc9\xa0",
    "\xc9\xa3",
    "\xc6\x95",
    "\xc9\xa9",
    "\xc9\xa8",
    "\xc6\x99",
    "\xc6\x99",
    "\xc6\x9a",
    "\xc6\x9b",
    "\xc9\xaf",
    "\xc9\xb2",
    "\xc6\x9e",
    "\xc9\xb5",
    "o",
    "o",
    "\xc6\xa3",
    "\xc6\xa3",
    "\xc6\xa5",
    "\xc6\xa5",
    "\xca\x80",
    "\xc6\xa8",
    "\xc6\xa8",
    "\xca\x83",
    "\xc6\xaa",
    "\xc6\xab",
    "\xc6\xad",
    "\xc6\xad",
    "\xca\x88",
    "u",
    "u",
    "\xca\x8a",
    "\xca\x8b",
    "\xc6\xb4",
    "\xc6\xb4",
    "\xc6\xb6",
    "\xc6\xb6",
    "\xca\x92",
    "\xc6\xb9",
    "\xc6\xb9",
    "\xc6\xba",
    "\xc6\xbb",
    "\xc6\xbd",
    "\xc6\xbd",
    "\xc6\xbe",
    "\xc6\xbf",
    "\xc7\x80",
    "\xc7\x81",
    "\xc7\x82",
    "\xc7\x83",
    "dz",
    "dz",
    "dz",
    "lj",
    "lj",
    "lj",
    "nj",
    "nj",
    "nj",
    "a",
    "a",
    "i",
    "i",
    "o",
    "o",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "\xc7\x9d",
    "a",
    "a",
    "a",
    "a",
    "\xc7\xa3",
    "\xc7\xa3",
    "\xc7\xa5",
    "\xc7\xa5",
    "g",
    "g",
    "k",
    "k",
    "o",
    "o",
    "o",
    "o",
    "\xc7\xaf",
    "\xc7\xaf",
    "j",
    "dz",
    "dz",
    "dz",
    "g",
    "g",
    "\xc6\x95",
    "\xc6\xbf",
    "n",
    "n",
    "a",
    "a",
    "\xc7\xbd",
    "\xc7\xbd",
    "\xc7\xbf",
    "\xc7\xbf",
    "a",
    "a",
    "a",
    "a",
    "e",
    "e",
    "e",
    "e",
    "i",
    "i",
    "i",
    "i",
    "o",
    "o",
    "o",
    "o",
    "r",
    "r",
    "r",
    "r",
    "u",
    "u",
    "u",
    "u",
    "s",
    "s",
    "t",
    "t",
    "\xc8\x9d",
    "\xc8\x9d",
    "h",
    "h",
    "\xc6\x9e",
    "\xc8\xa1",
    "\xc8\xa3",
    "\xc8\xa3",
    "\xc8\xa5",
    "\xc8\xa5",
    "a",
    "a",
    "e",
    "e",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "y",
    "y",
    "\xc8\xb4",
    "\xc8\xb5",
    "\xc8\xb6",
    "\xc8\xb7",
    "\xc8\xb8",
    "\xc8\xb9",
    "\xe2\xb1\xa5",
    "\xc8\xbc",
    "\xc8\xbc",
    "\xc6\x9a",
    "\xe2\xb1\xa6",
    "\xc8\xbf",
    "\xc9\x80",
    "\xc9\x82",
    "\xc9\x82",
    "\xc6\x80",
    "\xca\x89",
    "\xca\x8c",
    "\xc9\x87",
    "\xc9\x87",
    "\xc9\x89",
    "\xc9\x89",
    "\xc9\x8b",
    "\xc9\x8b",
    "\xc9\x8d",
    "\xc9\x8d",
    "\xc9\x8f",
    "\xc9\x8f",
};
/* U+1E00..U+1EFF: ASCII transliteration, "" for a separator, or the
 * lower-case letter kept as UTF-8. Generated from Unicode NFKD data. */
static const char *const S_tr_1e00[256] = {
    "a",
    "a",
    "b",
    "b",
    "b",
    "b",
    "b",
    "b",
    "c",
    "c",
    "d",
    "d",
    "d",
    "d",
    "d",
    "d",
    "d",
    "d",
    "d",
    "d",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "f",
    "f",
    "g",
    "g",
    "h",
    "h",
    "h",
    "h",
    "h",
    "h",
    "h",
    "h",
    "h",
    "h",
    "i",
    "i",
    "i",
    "i",
    "k",
    "k",
    "k",
    "k",
    "k",
    "k",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "m",
    "m",
    "m",
    "m",
    "m",
    "m",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "p",
    "p",
    "p",
    "p",
    "r",
    "r",
    "r",
    "r",
    "r",
    "r",
    "r",
    "r",
    "s",
    "s",
    "s",
    "s",
    "s",
    "s",
    "s",
    "s",
    "s",
    "s",
    "t",
    "t",
    "t",
    "t",
    "t",
    "t",
    "t",
    "t",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "v",
    "v",
    "v",
    "v",
    "w",
    "w",
    "w",
    "w",
    "w",
    "w",
    "w",
    "w",
    "w",
    "w",
    "x",
    "x",
    "x",
    "x",
    "y",
    "y",
    "z",
    "z",
    "z",
    "z",
    "z",
    "z",
    "h",
    "t",
    "w",
    "y",
    "a",
    "s",
    "\xe1\xba\x9c",
    "\xe1\xba\x9d",
    "ss",
    "\xe1\xba\x9f",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "i",
    "i",
    "i",
    "i",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "o",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "y",
    "y",
    "y",
    "y",
    "y",
    "y",
    "y",
    "y",
    "\xe1\xbb\xbb",
    "\xe1\xbb\xbb",
    "\xe1\xbb\xbd",
    "\xe1\xbb\xbd",
    "\xe1\xbb\xbf",
    "\xe1\xbb\xbf",
};

/* What one code point becomes. */
enum { S_SEP, S_DROP, S_TEXT };

/* Decodes one UTF-8 sequence at s (n bytes left). Returns its length and
 * sets *cp, or returns 1 with *cp = -1 for an invalid byte. */
static size_t S_decode(const unsigned char *s, size_t n, long *cp) {
  unsigned char c = s[0];
  size_t len;
  long v;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    v = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    v = c & 0x07;
  } else {
    *cp = -1;
    return 1;
  }
  if (len > n) {
    *cp = -1;
    return 1;
  }
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) {
      *cp = -1;
      return 1;
    }
    v = (v << 6) | (s[i] & 0x3F);
  }
  /* overlong forms, surrogates and values past U+10FFFF are invalid */
  if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
      (v >= 0xD800 && v <= 0xDFFF)) {
    *cp = -1;
    return 1;
  }
  *cp = v;
  return len;
}

static int S_put_cp(mtport_buf *b, long cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) {
    u[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  return mtport_buf_append(b, u, n);
}

/* Classifies @cp; for S_TEXT sets *text (ASCII or UTF-8) or leaves it NULL
 * to keep *cp as is. */
static int S_class(long *cp, const char **text, unsigned flags) {
  long c = *cp;
  *text = NULL;
  if (c < 0)
    return S_SEP;
  if (c < 0x80) {
    if (c >= 'A' && c <= 'Z') {
      *cp = c + 32;
      return S_TEXT;
    }
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      return S_TEXT;
    if (c == '_' && (flags & MTPORT_SLUG_KEEP_UNDERSCORES))
      return S_TEXT;
    return S_SEP;
  }
  if ((c >= 0x300 && c <= 0x36F) || (c >= 0x2060 && c <= 0x206F) ||
      (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0000 && c <= 0xE01EF) ||
      utf8proc_category((utf8proc_int32_t)c) == UTF8PROC_CATEGORY_CF)
    return S_DROP; /* invisible: joins the letters around it */
  if (c < 0xC0)
    return S_SEP;
  if (c <= 0x24F) {
    *text = S_tr_00c0[c - 0xC0];
    return **text ? S_TEXT : S_SEP;
  }
  if (c >= 0x1E00 && c <= 0x1EFF) {
    *text = S_tr_1e00[c - 0x1E00];
    return **text ? S_TEXT : S_SEP;
  }
  if (c >= 0x2B0 && c <= 0x2FF) /* spacing modifiers */
    return S_SEP;
  if (c == 0x375 || c == 0x37E || c == 0x387 || c == 0x482 || c == 0x589 ||
      c == 0x5BE || c == 0x5C0 || c == 0x5C3 || c == 0x5F3 || c == 0x5F4 ||
      c == 0x60C || c == 0x61B || c == 0x61F || (c >= 0x66A && c <= 0x66D) ||
      c == 0x6D4 || c == 0x964 || c == 0x965 || c == 0xE3F || c == 0x10FB)
    return S_SEP; /* punctuation inside letter blocks */
  if (c < 0x2000)
    return S_TEXT; /* letters of other scripts, case-folded at the end */
  if (c < 0x2C00 || (c >= 0x2E00 && c <= 0x2E7F))
    return S_SEP; /* punctuation, symbols, arrows, shapes, dingbats */
  if (c >= 0x3000 && c <= 0x303F)
    return (c >= 0x3005 && c <= 0x3007) ? S_TEXT : S_SEP;
  if (c == 0x30A0 || c == 0x30FB)
    return S_SEP;
  if (c >= 0xE000 && c <= 0xF8FF)
    return S_SEP; /* private use */
  if (c >= 0xFE10 && c <= 0xFE6F)
    return S_SEP;
  if (c >= 0xFF00 && c <= 0xFFEF) { /* full-width ASCII becomes ASCII */
    if (c >= 0xFF10 && c <= 0xFF19) {
      *cp = c - 0xFF10 + '0';
      return S_TEXT;
    }
    if (c >= 0xFF21 && c <= 0xFF3A) {
      *cp = c - 0xFF21 + 'a';
      return S_TEXT;
    }
    if (c >= 0xFF41 && c <= 0xFF5A) {
      *cp = c - 0xFF41 + 'a';
      return S_TEXT;
    }
    return c >= 0xFF66 && c <= 0xFFDC ? S_TEXT : S_SEP;
  }
  if (c >= 0xFFF0 && c <= 0xFFFF)
    return S_SEP;
  if ((c >= 0x1D400 && c <= 0x1D7FF) || (c >= 0x1F000 && c <= 0x1FAFF) ||
      c >= 0xF0000)
    return S_SEP; /* math letters, emoji, private use */
  return S_TEXT;
}

static int S_is_trim(char c) { return c == '-' || c == '_'; }

/* Code points that no normalization touches: each is its own NFC, not a
 * combining mark, and never the second of a composition (nor starts with
 * one when decomposed), so a string of them is in NFC as it is. With
 * @p fold, also its own case folding. The ranges (Latin below U+0300,
 * basic Cyrillic, kana, CJK ideographs, Hangul syllables) were checked
 * code point by code point against utf8proc's decompositions. */
static int S_inert(long c, int fold) {
  if (c < 0x80)
    return !fold || !(c >= 'A' && c <= 'Z');
  if (fold)
    return (c >= 0x430 && c <= 0x45F) || (c >= 0x3041 && c <= 0x3096) ||
           (c >= 0x309D && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xAC00 && c <= 0xD7A3);
  return c < 0x300 || (c >= 0x400 && c <= 0x482) ||
         (c >= 0x3041 && c <= 0x3096) || (c >= 0x309D && c <= 0x30FF) ||
         (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7A3);
}

/* 1 when @p s (@p n bytes) is valid UTF-8 of S_inert code points only:
 * utf8proc_map would give it back as it is (most titles). */
static int S_all_inert(const unsigned char *s, size_t n, int fold) {
  while (n) {
    long cp;
    size_t k = S_decode(s, n, &cp);
    if (cp < 0 || !S_inert(cp, fold))
      return 0;
    s += k;
    n -= k;
  }
  return 1;
}

/* @s in NFC when it is valid UTF-8 (a new string, *nfc to free), else @s:
 * a decomposed Hangul syllable or accent then reads as the composed one. */
static const unsigned char *S_nfc(const char *s, unsigned char **nfc) {
  *nfc = NULL;
  if (S_all_inert((const unsigned char *)s, strlen(s), 0))
    return (const unsigned char *)s;
  utf8proc_uint8_t *o = NULL;
  if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &o,
                   UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE) < 0)
    return (const unsigned char *)s;
  *nfc = o;
  return o;
}

/* Replaces @b's text by its full case folding, in NFC (folding can
 * decompose: U+0390 folds to three code points). */
static int S_fold(mtport_buf *b) {
  if (S_all_inert((const unsigned char *)b->data, b->len, 1))
    return MTPORT_OK;
  utf8proc_uint8_t *o = NULL;
  utf8proc_ssize_t n =
      utf8proc_map((const utf8proc_uint8_t *)b->data, (utf8proc_ssize_t)b->len,
                   &o, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
  if (n < 0)
    return n == UTF8PROC_ERROR_NOMEM ? MTPORT_ENOMEM : MTPORT_OK;
  mtport_buf_clear(b);
  int rc = mtport_buf_append(b, (const char *)o, (size_t)n);
  free(o);
  return rc;
}

char *mtport_slugify(const char *s, unsigned flags, size_t max_bytes) {
  mtport_buf b = MTPORT_BUF_INIT;
  unsigned char *nfc;
  const unsigned char *p = S_nfc(s ? s : "", &nfc);
  size_t n = strlen((const char *)p);
  int sep = 0, rc = MTPORT_OK;
  while (n && rc == MTPORT_OK) {
    long cp;
    size_t k = S_decode(p, n, &cp);
    p += k;
    n -= k;
    const char *text;
    int cls = S_class(&cp, &text, flags);
    if (cls == S_SEP) {
      sep = 1;
      continue;
    }
    if (cls == S_DROP)
      continue;
    if (sep && b.len)
      rc = mtport_buf_putc(&b, '-');
    sep = 0;
    if (rc == MTPORT_OK)
      rc = text ? mtport_buf_puts(&b, text) : S_put_cp(&b, cp);
    /* stop early on huge input: the cap only needs its first bytes */
    if (max_bytes && b.len > max_bytes + 8)
      break;
  }
  free(nfc);
  if (rc == MTPORT_OK && b.len)
    rc = S_fold(&b);
  if (rc != MTPORT_OK) {
    mtport_buf_dispose(&b);
    return NULL;
  }
  if (max_bytes && b.len > max_bytes) {
    size_t cut = max_bytes;
    while (cut > 0 && ((unsigned char)b.data[cut] & 0xC0) == 0x80)
      cut--; /* back to a character boundary */
    b.len = cut;
    b.data[cut] = '\0';
  }
  /* no leading or trailing '-'/'_' (Jekyll skips names starting with '_') */
  size_t start = 0;
  while (start < b.len && S_is_trim(b.data[start]))
    start++;
  while (b.len > start && S_is_trim(b.data[b.len - 1]))
    b.data[--b.len] = '\0';
  if (start) {
    memmove(b.data, b.data + start, b.len - start + 1);
    b.len -= start;
  }
  if (b.len == 0) {
    const char *fallback = "post";
    size_t fl = strlen(fallback);
    if (max_bytes && fl > max_bytes)
      fl = max_bytes ? max_bytes : 1;
    if (mtport_buf_append(&b, fallback, fl)) {
      mtport_buf_dispose(&b);
      return NULL;
    }
  }
  /* exact size: callers keep a slug per post (a million posts, a million
   * slugs), and the buffer's growth leaves at least 64 bytes */
  size_t len = b.len;
  char *out = mtport_buf_detach(&b);
  char *fit = out ? realloc(out, len + 1) : NULL;
  return fit ? fit : out;
}
