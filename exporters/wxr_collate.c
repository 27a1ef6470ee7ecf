/* What the WordPress importer compares when it decides a post "already
 * exists", private to the WXR writer.
 *
 * The importer (wordpress-importer 0.9.5, class-wp-import.php) calls
 * post_exists($title, '', $post_date, $post_type) for every item and skips
 * the item when a post of the same type matches. post_exists() (WordPress
 * 6.1, wp-admin/includes/post.php) adds "post_date = %s" when the date is
 * not empty(), "post_title = %s" when the title is not empty() -- so an
 * empty title, or "0", matches every post on that date -- and passes each
 * value through sanitize_post_field(..., 'db') (title_save_pre: trim) and
 * wp_unslash(), which strips backslashes from the title searched for but
 * not from the titles stored. post_date is the local date, compared as a
 * DATETIME; post_title is compared by MariaDB/MySQL under WordPress's
 * collation, utf8mb4_unicode_520_ci: UCA 5.2.0 primary weights only (case
 * and accents ignored, compatibility forms equal to their letters) with
 * trailing spaces ignored (PAD SPACE). mtport_wxr__fold() maps a title to a
 * string that is equal for two titles whenever that collation calls them
 * equal (for Latin, Greek, Cyrillic and kana exactly; elsewhere it may
 * call more titles equal than MariaDB does, which only costs a nudge). */
#include "wxr.h"
#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

/* ---- titles as WordPress stores them ------------------------------------ */

/* HTML's character references that work without the semicolon in text
 * (the HTML standard's legacy names): "&copy2023" shows as "(c)2023". */
static const char *const S_legacy[] = {
    "AElig",  "AMP",    "Aacute", "Acirc",  "Agrave", "Aring",  "Atilde",
    "Auml",   "COPY",   "Ccedil", "ETH",    "Eacute", "Ecirc",  "Egrave",
    "Euml",   "GT",     "Iacute", "Icirc",  "Igrave", "Iuml",   "LT",
    "Ntilde", "Oacute", "Ocirc",  "Ograve", "Oslash", "Otilde", "Ouml",
    "QUOT",   "REG",    "THORN",  "Uacute", "Ucirc",  "Ugrave", "Uuml",
    "Yacute", "aacute", "acirc",  "acute",  "aelig",  "agrave", "amp",
    "aring",  "atilde", "auml",   "brvbar", "ccedil", "cedil",  "cent",
    "copy",   "curren", "deg",    "divide", "eacute", "ecirc",  "egrave",
    "eth",    "euml",   "frac12", "frac14", "frac34", "gt",     "iacute",
    "icirc",  "iexcl",  "igrave", "iquest", "iuml",   "laquo",  "lt",
    "macr",   "micro",  "middot", "nbsp",   "not",    "ntilde", "oacute",
    "ocirc",  "ograve", "ordf",   "ordm",   "oslash", "otilde", "ouml",
    "para",   "plusmn", "pound",  "quot",   "raquo",  "reg",    "sect",
    "shy",    "sup1",   "sup2",   "sup3",   "szlig",  "thorn",  "times",
    "uacute", "ucirc",  "ugrave", "uml",    "uuml",   "yacute", "yen",
    "yuml"};

static int S_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int S_digit(char c) { return c >= '0' && c <= '9'; }

static int S_xdigit(char c) {
  return S_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* 1 when the '&' before @p s (@p n bytes left) would start a character
 * reference in HTML text: "&#1", "&#x1", a legacy name, or "&name;" for
 * any name (HTML has over 2,000; escaping one it lacks shows the same). */
static int S_starts_ref(const char *s, size_t n) {
  if (n >= 2 && s[0] == '#')
    return S_digit(s[1]) ||
           (n >= 3 && (s[1] == 'x' || s[1] == 'X') && S_xdigit(s[2]));
  size_t k = 0;
  while (k < n && (S_alpha(s[k]) || S_digit(s[k])))
    k++;
  if (!k || !S_alpha(s[0]))
    return 0;
  if (k < n && s[k] == ';')
    return 1;
  for (size_t i = 0; i < sizeof S_legacy / sizeof *S_legacy; i++) {
    size_t m = strlen(S_legacy[i]);
    if (m <= k && memcmp(s, S_legacy[i], m) == 0)
      return 1;
  }
  return 0;
}

int mtport_wxr__title(mtport_buf *out, const char *title) {
  /* WordPress trims a title when it saves one (title_save_pre) */
  const char *s = title ? title : "";
  size_t n = strlen(s), from = 0;
  while (n && strchr(" \t\n\r\v\f", s[n - 1]))
    n--;
  while (from < n && strchr(" \t\n\r\v\f", s[from]))
    from++;
  int rc = MTPORT_OK;
  for (size_t i = from; i < n && !rc; i++) {
    const char *e = s[i] == '<'   ? "&lt;"
                    : s[i] == '>' ? "&gt;"
                    : s[i] == '&' && S_starts_ref(s + i + 1, n - i - 1)
                        ? "&amp;"
                        : NULL;
    if (!e)
      continue;
    rc = mtport_buf_append(out, s + from, i - from);
    if (!rc)
      rc = mtport_buf_puts(out, e);
    from = i + 1;
  }
  if (!rc && from < n)
    rc = mtport_buf_append(out, s + from, n - from);
  return rc;
}

int mtport_wxr__php_empty(const char *s) {
  return !s || !*s || (s[0] == '0' && !s[1]);
}

int mtport_wxr__unslash(mtport_buf *out, const char *s, size_t n) {
  int rc = MTPORT_OK;
  for (size_t i = 0; i < n && !rc; i++) {
    if (s[i] != '\\') {
      rc = mtport_buf_putc(out, s[i]);
      continue;
    }
    if (++i >= n)
      break;
    if (s[i] != '0') /* "\0" is a NUL, which the collation ignores */
      rc = mtport_buf_putc(out, s[i]);
  }
  return rc;
}

/* ---- MariaDB's utf8mb4_unicode_520_ci, primary level --------------------- */

/* Letters the collation weighs otherwise than Unicode's decompositions and
 * case folding suggest (found by comparing WEIGHT_STRING() of MariaDB
 * 10.11 for every code point): some are letters plus a stroke to Unicode
 * but the plain letter to the collation (o-slash, l-stroke, d-stroke, eth,
 * h-stroke, insular letters), ae and oe are two letters, ghe with upturn
 * is ghe, lunate sigma is sigma; the Cyrillic letters with a breve or a
 * diaeresis below are letters of their own (short i is not i). */
typedef struct S_fold_ex {
  int32_t cp, to[2]; /* to[1] is 0 for one code point */
} S_fold_ex;

static const S_fold_ex S_fold_table[] = {
    {0x00C6, {'a', 'e'}},  {0x00D0, {'d', 0}},    {0x00D8, {'o', 0}},
    {0x00E6, {'a', 'e'}},  {0x00F0, {'d', 0}},    {0x00F8, {'o', 0}},
    {0x0110, {'d', 0}},    {0x0111, {'d', 0}},    {0x0126, {'h', 0}},
    {0x0127, {'h', 0}},    {0x013F, {'l', 0}},    {0x0140, {'l', 0}},
    {0x0141, {'l', 0}},    {0x0142, {'l', 0}},    {0x0152, {'o', 'e'}},
    {0x0153, {'o', 'e'}},  {0x02A3, {'d', 'z'}},  {0x037A, {0x03B9, 0}},
    {0x03F2, {0x03C3, 0}}, {0x03F9, {0x03C3, 0}}, {0x0403, {0x0453, 0}},
    {0x0407, {0x0457, 0}}, {0x040C, {0x045C, 0}}, {0x040E, {0x045E, 0}},
    {0x0419, {0x0439, 0}}, {0x0439, {0x0439, 0}}, {0x0453, {0x0453, 0}},
    {0x0457, {0x0457, 0}}, {0x045C, {0x045C, 0}}, {0x045E, {0x045E, 0}},
    {0x0476, {0x0477, 0}}, {0x0477, {0x0477, 0}}, {0x0490, {0x0433, 0}},
    {0x0491, {0x0433, 0}}, {0x04D0, {0x04D1, 0}}, {0x04D1, {0x04D1, 0}},
    {0x04D2, {0x04D3, 0}}, {0x04D3, {0x04D3, 0}}, {0x04D6, {0x04D7, 0}},
    {0x04D7, {0x04D7, 0}}, {0x04DA, {0x04DB, 0}}, {0x04DB, {0x04DB, 0}},
    {0x04DC, {0x04DD, 0}}, {0x04DD, {0x04DD, 0}}, {0x04DE, {0x04DF, 0}},
    {0x04DF, {0x04DF, 0}}, {0x04E4, {0x04E5, 0}}, {0x04E5, {0x04E5, 0}},
    {0x04E6, {0x04E7, 0}}, {0x04E7, {0x04E7, 0}}, {0x04EA, {0x04EB, 0}},
    {0x04EB, {0x04EB, 0}}, {0x04EC, {0x04ED, 0}}, {0x04ED, {0x04ED, 0}},
    {0x04F0, {0x04F1, 0}}, {0x04F1, {0x04F1, 0}}, {0x04F2, {0x04F3, 0}},
    {0x04F3, {0x04F3, 0}}, {0x04F4, {0x04F5, 0}}, {0x04F5, {0x04F5, 0}},
    {0x04F8, {0x04F9, 0}}, {0x04F9, {0x04F9, 0}}, {0x05DA, {0x05DB, 0}},
    {0x05DD, {0x05DE, 0}}, {0x05DF, {0x05E0, 0}}, {0x05E3, {0x05E4, 0}},
    {0x05E5, {0x05E6, 0}}, {0x1D79, {'g', 0}},    {0xA779, {'d', 0}},
    {0xA77A, {'d', 0}},    {0xA77B, {'f', 0}},    {0xA77C, {'f', 0}},
    {0xA77D, {'g', 0}},    {0xA782, {'r', 0}},    {0xA783, {'r', 0}},
    {0xA784, {'s', 0}},    {0xA785, {'s', 0}},    {0xA786, {'t', 0}},
    {0xA787, {'t', 0}},
};

static const S_fold_ex *S_fold_find(int32_t cp) {
  size_t lo = 0, hi = sizeof S_fold_table / sizeof *S_fold_table;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (S_fold_table[mid].cp == cp)
      return &S_fold_table[mid];
    if (S_fold_table[mid].cp < cp)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

/* Kana: the collation weighs hiragana as katakana and small kana as the
 * large ones (and their voiced marks only at the secondary level). */
static int32_t S_fold_kana(int32_t cp) {
  static const int32_t small[][2] = {
      {0x30A1, 0x30A2}, {0x30A3, 0x30A4}, {0x30A5, 0x30A6}, {0x30A7, 0x30A8},
      {0x30A9, 0x30AA}, {0x30C3, 0x30C4}, {0x30E3, 0x30E4}, {0x30E5, 0x30E6},
      {0x30E7, 0x30E8}, {0x30EE, 0x30EF}, {0x30F5, 0x30AB}, {0x30F6, 0x30B1},
      {0x31F0, 0x30AF}, {0x31F1, 0x30B7}, {0x31F2, 0x30B9}, {0x31F3, 0x30C8},
      {0x31F4, 0x30CC}, {0x31F5, 0x30CF}, {0x31F6, 0x30D2}, {0x31F7, 0x30D5},
      {0x31F8, 0x30D8}, {0x31F9, 0x30DB}, {0x31FA, 0x30E0}, {0x31FB, 0x30E9},
      {0x31FC, 0x30EA}, {0x31FD, 0x30EB}, {0x31FE, 0x30EC}, {0x31FF, 0x30ED}};
  if (cp >= 0x3041 && cp <= 0x3096)
    cp += 0x60;
  if (cp < 0x30A1 || cp > 0x31FF)
    return cp;
  for (size_t i = 0; i < sizeof small / sizeof *small; i++)
    if (small[i][0] == cp)
      return small[i][1];
  return cp;
}

/* A decimal digit of any script weighs as the ASCII digit. Unicode encodes
 * decimal digits in runs of ten from zero, so the value is the distance
 * from the start of the run of digits, modulo ten. */
static int32_t S_fold_digit(int32_t cp) {
  if (cp < 0x80 || utf8proc_category(cp) != UTF8PROC_CATEGORY_ND)
    return cp;
  int32_t start = cp;
  while (start > 0 && cp - start < 100 &&
         utf8proc_category(start - 1) == UTF8PROC_CATEGORY_ND)
    start--;
  return '0' + (cp - start) % 10;
}

static int S_fold_put(mtport_buf *out, int32_t cp) {
  utf8proc_uint8_t b[4];
  utf8proc_ssize_t n = utf8proc_encode_char(cp, b);
  return mtport_buf_append(out, (const char *)b, (size_t)n);
}

/* Compatibility decomposition without marks and default ignorables;
 * then case folding, so that a Greek letter with iota subscript folds to
 * the letter alone (the subscript is a mark) and not to letter + iota. */
#define S_STAGE_A                                                              \
  (UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE)
#define S_STAGE_B (S_STAGE_A | UTF8PROC_CASEFOLD)
#define S_FOLD_MAX 32 /* utf8proc's longest decomposition is 18 */

static int S_fold_cp(mtport_buf *out, int32_t cp) {
  const S_fold_ex *ex = S_fold_find(cp);
  if (ex)
    return S_fold_put(out, ex->to[0]) ||
           (ex->to[1] && S_fold_put(out, ex->to[1]));
  int32_t a[S_FOLD_MAX];
  int bound = 0;
  utf8proc_ssize_t na =
      utf8proc_decompose_char(cp, a, S_FOLD_MAX, S_STAGE_A, &bound);
  if (na < 0 || na > S_FOLD_MAX)
    a[0] = cp, na = 1;
  /* a spacing accent (U+00B4) decomposes to a space and a mark, but the
   * collation weighs it as punctuation, not as a space */
  if (na == 1 && a[0] == ' ' && utf8proc_category(cp) != UTF8PROC_CATEGORY_ZS)
    a[0] = cp;
  for (utf8proc_ssize_t i = 0; i < na; i++) {
    int32_t b[S_FOLD_MAX];
    utf8proc_ssize_t nb = utf8proc_decompose_char(
        a[i], b, S_FOLD_MAX,
        a[i] == cp ? S_STAGE_B & ~UTF8PROC_COMPAT : S_STAGE_B, &bound);
    if (nb < 0 || nb > S_FOLD_MAX)
      b[0] = a[i], nb = 1;
    for (utf8proc_ssize_t j = 0; j < nb; j++) {
      const S_fold_ex *e2 = S_fold_find(b[j]);
      int rc = e2 ? S_fold_put(out, e2->to[0]) ||
                        (e2->to[1] && S_fold_put(out, e2->to[1]))
                  : S_fold_put(out, S_fold_digit(S_fold_kana(b[j])));
      if (rc)
        return MTPORT_ENOMEM;
    }
  }
  return MTPORT_OK;
}

int mtport_wxr__fold(mtport_buf *out, const char *s, size_t n) {
  size_t start = out->len;
  for (size_t i = 0; i < n;) {
    int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(n - i), &cp);
    if (k <= 0) /* not UTF-8: the byte stands for itself */
      cp = 0xFFFD, k = 1;
    i += (size_t)k;
    if (cp < 0x80) { /* the common case: a run of ASCII at once */
      size_t j = i - 1;
      while (i < n && (unsigned char)s[i] < 0x80)
        i++;
      if (mtport_buf_append(out, s + j, i - j))
        return MTPORT_ENOMEM;
      /* lower case; C0 controls weigh nothing, but TAB, LF, VT, FF, CR */
      char *d = out->data + out->len - (i - j), *w = d;
      for (char *r = d; r < out->data + out->len; r++) {
        char c = *r;
        if ((c >= 0x20 && c != 0x7F) || (c >= 0x09 && c <= 0x0D))
          *w++ = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
      }
      out->len = (size_t)(w - out->data);
      out->data[out->len] = '\0';
      continue;
    }
    if (S_fold_cp(out, cp))
      return MTPORT_ENOMEM;
  }
  /* PAD SPACE: trailing spaces do not count */
  while (out->len > start && out->data[out->len - 1] == ' ')
    out->data[--out->len] = '\0';
  return MTPORT_OK;
}
