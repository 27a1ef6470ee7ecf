/* MT text export grammars: DATE, TAGS, CONVERT BREAKS, STATUS, MT's dirify
 * and file templates (docs/mt-formats.md §2.7-§2.10, §5.3, §5.4). */
#include "mttext.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Reads 1..max digits; returns the count read (0 when none). */
static int S_num(const char **p, int max, int *v) {
  int n = 0;
  *v = 0;
  while (n < max && isdigit((unsigned char)**p)) {
    *v = *v * 10 + (**p - '0');
    (*p)++;
    n++;
  }
  if (isdigit((unsigned char)**p))
    return 0; /* too many digits */
  return n;
}

static const char *S_skip_ws(const char *p) {
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
    p++;
  return p;
}

/* Two-digit years: MT adds 1900 ("08" is 1908), which no blog meant. */
static int S_pivot(int y) { return y < 70 ? 2000 + y : 1900 + y; }

int mtport_mtt__parse_date(const char *s, mtport_tm *tm) {
  memset(tm, 0, sizeof *tm);
  int lenient = 0, n;
  const char *p = S_skip_ws(s);
  int a, b, c;
  if ((n = S_num(&p, 4, &a)) == 0)
    return -1;
  if (n == 4 && *p == '-') { /* ISO 8601: 2009-04-05[ T]19:15[:00] */
    p++;
    if (!S_num(&p, 2, &b) || *p++ != '-' || !S_num(&p, 2, &c))
      return -1;
    tm->year = a, tm->month = b, tm->day = c;
    lenient = 1;
    if (*p == 'T')
      p++;
  } else {
    if (n > 2 || *p++ != '/' || !S_num(&p, 2, &b) || *p++ != '/')
      return -1;
    if ((n = S_num(&p, 4, &c)) < 2)
      return -1;
    tm->month = a, tm->day = b;
    tm->year = n == 2 ? S_pivot(c) : c;
    if (n == 2)
      lenient = 1;
  }
  const char *q = p;
  while (*p == ' ' || *p == '\t')
    p++;
  if (!isdigit((unsigned char)*p)) { /* a date without a time */
    if (*S_skip_ws(p))
      return -1;
    return 1;
  }
  if (p - q != 1 || *q != ' ')
    lenient = 1;
  if (!S_num(&p, 2, &tm->hour) || *p++ != ':' || !S_num(&p, 2, &tm->minute))
    return -1;
  if (*p == ':') {
    p++;
    if (!S_num(&p, 2, &tm->second))
      return -1;
  } else
    lenient = 1;
  q = p;
  while (*p == ' ' || *p == '\t')
    p++;
  if (isalpha((unsigned char)p[0]) && isalpha((unsigned char)p[1]) &&
      !isalnum((unsigned char)p[2])) {
    int pm = (p[0] == 'P' || p[0] == 'p') && (p[1] == 'M' || p[1] == 'm');
    int am = (p[0] == 'A' || p[0] == 'a') && (p[1] == 'M' || p[1] == 'm');
    if (!pm && !am)
      return -1;
    if (p - q != 1 || islower((unsigned char)p[0]) ||
        islower((unsigned char)p[1]))
      lenient = 1;
    if (pm && tm->hour < 12)
      tm->hour += 12;
    if (am && tm->hour == 12)
      tm->hour = 0;
    p += 2;
  }
  if (*S_skip_ws(p))
    return -1;
  return lenient;
}

/* MT's tag normalization is empty for items made only of punctuation. */
static int S_tag_empty(const char *s, size_t n) {
  static const char punct[] = "@!`\\<>*&#/~?'\".,=()${}[];:+- \t";
  size_t i = 0;
  if (n && s[0] == '@')
    i = 1;
  for (; i < n; i++)
    if (!memchr(punct, s[i], sizeof punct - 1))
      return 0;
  return 1;
}

static int S_emit_tag(const char *s, size_t n, mtport_mtt_tag_fn fn, void *ud) {
  while (n && isspace((unsigned char)*s))
    s++, n--;
  while (n && isspace((unsigned char)s[n - 1]))
    n--;
  if (!n || S_tag_empty(s, n))
    return 0;
  return fn(s, n, ud);
}

int mtport_mtt__split_tags(const char *s, mtport_mtt_tag_fn fn, void *ud) {
  const char *p = S_skip_ws(s);
  size_t len = strlen(p);
  while (len && isspace((unsigned char)p[len - 1]))
    len--;
  const char *end = p + len;
  while (p < end) {
    while (p < end && isspace((unsigned char)*p))
      p++;
    const char *item = p, *item_end;
    const char *close = NULL;
    if (p < end && (*p == '"' || *p == '\''))
      close = memchr(p + 1, *p, (size_t)(end - p - 1));
    if (close) { /* quoted: may hold commas; text up to the comma is lost */
      item = p + 1;
      item_end = close;
      p = close + 1;
      const char *comma = memchr(p, ',', (size_t)(end - p));
      p = comma ? comma : end;
    } else {
      const char *comma = memchr(p, ',', (size_t)(end - p));
      item_end = comma ? comma : end;
      p = item_end;
    }
    int rc = S_emit_tag(item, (size_t)(item_end - item), fn, ud);
    if (rc)
      return rc;
    if (p < end && *p == ',')
      p++;
  }
  return 0;
}

/* An item of a filter list that carries no format: __sanitize__ and the
 * prefixes of it that a 30-byte column cut leaves. */
static int S_filter_ignorable(const char *s, size_t n) {
  static const char san[] = "__sanitize__";
  return n == 0 || (n <= sizeof san - 1 && strncmp(s, san, n) == 0);
}

static mtport_text_format S_one_filter(const char *s, size_t n) {
  static const struct {
    const char *name;
    mtport_text_format f;
  } map[] = {{"0", MTPORT_TEXT_HTML},
             {"richtext", MTPORT_TEXT_HTML},
             {"wysiwyg", MTPORT_TEXT_HTML},
             {"1", MTPORT_TEXT_CONVERT_BREAKS},
             {"__default__", MTPORT_TEXT_CONVERT_BREAKS},
             {"markdown", MTPORT_TEXT_MARKDOWN},
             {"markdown_with_smartypants", MTPORT_TEXT_MARKDOWN},
             {"commonmark", MTPORT_TEXT_MARKDOWN},
             {"gfm", MTPORT_TEXT_MARKDOWN},
             {"textile_2", MTPORT_TEXT_TEXTILE},
             /* MT-Textile 1.x, the plugin before MT bundled Textile 2 */
             {"textile_1", MTPORT_TEXT_TEXTILE}};
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (strlen(map[i].name) == n && strncasecmp(map[i].name, s, n) == 0)
      return map[i].f;
  return MTPORT_TEXT_UNKNOWN;
}

mtport_text_format mtport_mtt__text_format(const char *v) {
  if (!v)
    return MTPORT_TEXT_HTML;
  const char *p = S_skip_ws(v);
  size_t len = strlen(p);
  while (len && isspace((unsigned char)p[len - 1]))
    len--;
  if (!len)
    return MTPORT_TEXT_HTML;
  /* a list applies left to right; the first filter that shapes the text
   * decides how it is read */
  const char *end = p + len;
  mtport_text_format found = MTPORT_TEXT_NONE;
  while (p <= end) {
    const char *c = memchr(p, ',', (size_t)(end - p));
    const char *ie = c ? c : end;
    const char *is = p;
    while (is < ie && isspace((unsigned char)*is))
      is++;
    while (ie > is && isspace((unsigned char)ie[-1]))
      ie--;
    if (!S_filter_ignorable(is, (size_t)(ie - is))) {
      found = S_one_filter(is, (size_t)(ie - is));
      break;
    }
    if (!c)
      break;
    p = c + 1;
  }
  return found == MTPORT_TEXT_NONE ? MTPORT_TEXT_HTML : found;
}

int mtport_mtt__status(const char *v, mtport_status *out) {
  static const struct {
    const char *name;
    mtport_status s;
  } map[] = {{"draft", MTPORT_STATUS_DRAFT},
             {"publish", MTPORT_STATUS_PUBLISH},
             {"published", MTPORT_STATUS_PUBLISH},
             {"review", MTPORT_STATUS_REVIEW},
             {"pending", MTPORT_STATUS_REVIEW},
             {"future", MTPORT_STATUS_FUTURE},
             {"scheduled", MTPORT_STATUS_FUTURE},
             {"junk", MTPORT_STATUS_SPAM},
             {"spam", MTPORT_STATUS_SPAM},
             {"unpublish", MTPORT_STATUS_UNPUBLISH},
             {"unpublished", MTPORT_STATUS_UNPUBLISH},
             /* MT's internal codes */
             {"1", MTPORT_STATUS_DRAFT},
             {"2", MTPORT_STATUS_PUBLISH},
             {"3", MTPORT_STATUS_REVIEW},
             {"4", MTPORT_STATUS_FUTURE},
             {"5", MTPORT_STATUS_SPAM},
             {"6", MTPORT_STATUS_UNPUBLISH}};
  const char *p = S_skip_ws(v ? v : "");
  size_t len = strlen(p);
  while (len && isspace((unsigned char)p[len - 1]))
    len--;
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (strlen(map[i].name) == len && strncasecmp(map[i].name, p, len) == 0) {
      *out = map[i].s;
      return 0;
    }
  *out = MTPORT_STATUS_UNKNOWN;
  return -1;
}

/* MT's transliteration of Latin-1 Supplement and Latin Extended-A letters
 * (U+00C0..U+017F), already lower-cased; NULL drops the character. */
static const char *const S_translit[192] = {
    /* C0 */ "a",  "a", "a",  "a",  "a", "a", "ae", "c",
    "e",           "e", "e",  "e",  "i", "i", "i",  "i",
    /* D0 */ "d",  "n", "o",  "o",  "o", "o", "o",  NULL,
    "o",           "u", "u",  "u",  "u", "y", "th", "ss",
    /* E0 */ "a",  "a", "a",  "a",  "a", "a", "ae", "c",
    "e",           "e", "e",  "e",  "i", "i", "i",  "i",
    /* F0 */ "d",  "n", "o",  "o",  "o", "o", "o",  NULL,
    "o",           "u", "u",  "u",  "u", "y", "th", "y",
    /* 100 */ "a", "a", "a",  "a",  "a", "a", "c",  "c",
    "c",           "c", "c",  "c",  "c", "c", "d",  "d",
    /* 110 */ "d", "d", "e",  "e",  "e", "e", "e",  "e",
    "e",           "e", "e",  "e",  "g", "g", "g",  "g",
    /* 120 */ "g", "g", "g",  "g",  "h", "h", "h",  "h",
    "i",           "i", "i",  "i",  "i", "i", "i",  "i",
    /* 130 */ "i", "i", "ij", "ij", "j", "j", "k",  "k",
    "k",           "l", "l",  "l",  "l", "l", "l",  "l",
    /* 140 */ "l", "l", "l",  "n",  "n", "n", "n",  "n",
    "n",           "n", "n",  "n",  "o", "o", "o",  "o",
    /* 150 */ "o", "o", "oe", "oe", "r", "r", "r",  "r",
    "r",           "r", "s",  "s",  "s", "s", "s",  "s",
    /* 160 */ "s", "s", "t",  "t",  "t", "t", "t",  "t",
    "u",           "u", "u",  "u",  "u", "u", "u",  "u",
    /* 170 */ "u", "u", "u",  "u",  "w", "w", "y",  "y",
    "y",           "z", "z",  "z",  "z", "z", "z",  "s"};

/* Decodes one UTF-8 character; returns its length (1 for a bad byte). */
static size_t S_utf8_cp(const unsigned char *s, size_t n, unsigned *cp) {
  unsigned c = s[0];
  size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (c < 0x80 || c < 0xC2 || len > n) {
    *cp = c < 0x80 ? c : 0xFFFD;
    return 1;
  }
  unsigned v = c & (0x7F >> len);
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) {
      *cp = 0xFFFD;
      return 1;
    }
    v = v << 6 | (s[i] & 0x3F);
  }
  *cp = v;
  return len;
}

char *mtport_mtt__dirify(const char *s, size_t limit) {
  mtport_buf a = MTPORT_BUF_INIT, b = MTPORT_BUF_INIT;
  const unsigned char *u = (const unsigned char *)(s ? s : "");
  size_t n = strlen((const char *)u);
  /* 1-2: transliterate and lower-case; other non-ASCII is dropped */
  for (size_t i = 0; i < n;) {
    unsigned cp;
    i += S_utf8_cp(u + i, n - i, &cp);
    if (cp < 0x80)
      mtport_buf_putc(&a, (char)tolower((int)cp));
    else if (cp >= 0xC0 && cp <= 0x17F && S_translit[cp - 0xC0])
      mtport_buf_puts(&a, S_translit[cp - 0xC0]);
  }
  /* 3-4: strip tags and entities */
  for (size_t i = 0; i < a.len; i++) {
    char c = a.data[i];
    if (c == '<') {
      const char *gt = memchr(a.data + i, '>', a.len - i);
      if (gt) {
        i = (size_t)(gt - a.data);
        continue;
      }
    }
    if (c == '&') {
      size_t j = i + 1;
      while (j < a.len && a.data[j] != ';' &&
             !isspace((unsigned char)a.data[j]))
        j++;
      if (j < a.len && a.data[j] == ';' && j > i + 1) {
        i = j;
        continue;
      }
    }
    mtport_buf_putc(&b, c);
  }
  /* 5-6: keep word characters, whitespace and '-'; whitespace runs -> '_' */
  mtport_buf_clear(&a);
  for (size_t i = 0; i < b.len; i++) {
    unsigned char c = (unsigned char)b.data[i];
    if (isspace(c)) {
      while (i + 1 < b.len && isspace((unsigned char)b.data[i + 1]))
        i++;
      mtport_buf_putc(&a, '_');
    } else if (isalnum(c) || c == '_' || c == '-')
      mtport_buf_putc(&a, (char)c);
  }
  mtport_buf_dispose(&b);
  if (!a.data)
    mtport_buf_puts(&a, "");
  if (a.len > limit)
    a.len = limit, a.data[limit] = '\0';
  while (a.len && a.data[a.len - 1] == '_')
    a.data[--a.len] = '\0';
  return mtport_buf_detach(&a);
}

char *mtport_mtt__derive_basename(const char *title, const char *body,
                                  size_t limit) {
  mtport_buf src = MTPORT_BUF_INIT;
  const char *t = title ? title : "";
  while (isspace((unsigned char)*t))
    t++;
  size_t tl = strlen(t);
  while (tl && isspace((unsigned char)t[tl - 1]))
    tl--;
  if (tl)
    mtport_buf_append(&src, t, tl);
  else if (body) {
    /* the first five words of the body, HTML removed */
    mtport_buf plain = MTPORT_BUF_INIT;
    mtport_html_to_text(&plain, body, strlen(body));
    const char *p = plain.data ? plain.data : "";
    for (int w = 0; w < 5; w++) {
      while (isspace((unsigned char)*p))
        p++;
      if (!*p)
        break;
      const char *e = p;
      while (*e && !isspace((unsigned char)*e))
        e++;
      if (w)
        mtport_buf_putc(&src, ' ');
      mtport_buf_append(&src, p, (size_t)(e - p));
      p = e;
    }
    mtport_buf_dispose(&plain);
  }
  char *d = mtport_mtt__dirify(src.data ? src.data : "", limit);
  mtport_buf_dispose(&src);
  if (d && !*d) {
    free(d);
    d = mtport__strdup("post");
  }
  return d;
}

static void S_put_dashed(mtport_buf *out, const char *s, int dash) {
  for (; *s; s++)
    mtport_buf_putc(out, dash && *s == '_' ? '-' : *s);
}

int mtport_mtt__expand_pattern(mtport_buf *out, const char *pattern,
                               const mtport_post *p, const char *basename,
                               unsigned long seq) {
  static const char *const month3[] = {"Jan", "Feb", "Mar", "Apr",
                                       "May", "Jun", "Jul", "Aug",
                                       "Sep", "Oct", "Nov", "Dec"};
  static const char ext[] = "html", index_name[] = "index";
  if (!p->published.has_date)
    return -1;
  if (!pattern || !*pattern || strcmp(pattern, "mt4") == 0)
    pattern = "%y/%m/%-f";
  else if (strcmp(pattern, "mt3") == 0)
    pattern = "%y/%m/%f";
  else if (strcmp(pattern, "archive-id") == 0)
    pattern = "archives/%e.html";
  else if (strcmp(pattern, "hatena") == 0) /* basenames are yyyy/mm/dd/hhmmss */
    pattern = "entry/%b";
  mtport_tm tm;
  mtport_time_local(&p->published, &tm);
  mtport_buf path = MTPORT_BUF_INIT;
  const char *bn = basename ? basename : "post";
  char *cat =
      p->n_categories ? mtport_mtt__dirify(p->categories[0].name, 100) : NULL;
  char *author = p->n_authors && p->authors[0].name
                     ? mtport_mtt__dirify(p->authors[0].name, 100)
                     : NULL;
  for (const char *s = pattern; *s; s++) {
    if (*s != '%' || !s[1]) {
      mtport_buf_putc(&path, *s);
      continue;
    }
    int dash = 0;
    s++;
    if (*s == '-' && s[1]) {
      dash = 1;
      s++;
    }
    /* "%-f.html": the template spells the extension itself */
    int own_ext = s[1] == '.';
    switch (*s) {
    case 'y':
      mtport_buf_printf(&path, "%04d", tm.year);
      break;
    case 'Y':
      mtport_buf_printf(&path, "%02d", tm.year % 100);
      break;
    case 'm':
      mtport_buf_printf(&path, "%02d", tm.month);
      break;
    case 'd':
      mtport_buf_printf(&path, "%02d", tm.day);
      break;
    case 'D':
      mtport_buf_printf(&path, "%d", tm.day);
      break;
    case 'j': {
      mtport_tm jan1 = {tm.year, 1, 1, 0, 0, 0};
      mtport_time a, b;
      mtport_tm day = {tm.year, tm.month, tm.day, 0, 0, 0};
      mtport_time_from_local(&a, &jan1, 0, 0);
      mtport_time_from_local(&b, &day, 0, 0);
      mtport_buf_printf(&path, "%03d", (int)((b.epoch - a.epoch) / 86400) + 1);
      break;
    }
    case 'h':
      mtport_buf_printf(&path, "%02d", tm.hour);
      break;
    case 'H':
      mtport_buf_printf(&path, "%d", tm.hour);
      break;
    case 'n':
      mtport_buf_printf(&path, "%02d", tm.minute);
      break;
    case 's':
      mtport_buf_printf(&path, "%02d", tm.second);
      break;
    case 'M':
      mtport_buf_puts(&path, month3[tm.month - 1]);
      break;
    case 'b':
      S_put_dashed(&path, bn, dash);
      break;
    case 'f':
      S_put_dashed(&path, bn, dash);
      if (!own_ext)
        mtport_buf_printf(&path, ".%s", ext);
      break;
    case 'F':
      S_put_dashed(&path, bn, dash);
      break;
    case 'i':
      mtport_buf_puts(&path, index_name);
      if (!own_ext)
        mtport_buf_printf(&path, ".%s", ext);
      break;
    case 'I':
      mtport_buf_puts(&path, index_name);
      break;
    case 'c':
    case 'C':
      S_put_dashed(&path, cat ? cat : "", dash);
      break;
    case 'a':
    case 'A':
      S_put_dashed(&path, author ? author : "", dash);
      break;
    case 'e':
      mtport_buf_printf(&path, "%06lu", seq);
      break;
    case 'E':
      mtport_buf_printf(&path, "%lu", seq);
      break;
    case 'x':
      mtport_buf_printf(&path, ".%s", ext);
      break;
    case '%':
      mtport_buf_putc(&path, '%');
      break;
    default:
      mtport_buf_putc(&path, '%');
      mtport_buf_putc(&path, *s);
      break;
    }
  }
  free(cat);
  free(author);
  /* repeated '/' collapse; no leading or trailing '/' */
  const char *d = path.data ? path.data : "";
  while (*d == '/')
    d++;
  size_t start = out->len;
  for (; *d; d++)
    if (!(*d == '/' && (d[1] == '/' || d[1] == '\0')))
      mtport_buf_putc(out, *d);
  if (out->len == start)
    mtport_buf_puts(out, "");
  mtport_buf_dispose(&path);
  return 0;
}

/* ---- the basenames of an input, for MT's _1, _2 suffixes ---- */

struct mtport_mtt_names {
  mtport_strset *set;
  /* per name (by its index): the suffix unique_basename() tries next, so
   * a thousand entries deriving one name probe each suffix once */
  unsigned long *next;
  size_t next_cap;
};

int mtport_mtt__names_new(mtport_mtt_names **out) {
  mtport_mtt_names *m = calloc(1, sizeof *m);
  if (!m || mtport_strset_new(&m->set, 0) != MTPORT_OK) {
    free(m);
    return MTPORT_ENOMEM;
  }
  *out = m;
  return MTPORT_OK;
}

void mtport_mtt__names_free(mtport_mtt_names *m) {
  if (!m)
    return;
  mtport_strset_free(m->set);
  free(m->next);
  free(m);
}

int mtport_mtt__names_has(const mtport_mtt_names *m, const char *s) {
  return mtport_strset_find(m->set, s, strlen(s), NULL) == 1;
}

int mtport_mtt__names_add(mtport_mtt_names *m, const char *s) {
  return mtport_strset_add(m->set, s, strlen(s), NULL);
}

char *mtport_mtt__unique_basename(mtport_mtt_names *m, const char *base) {
  size_t at;
  int rc = mtport_strset_add(m->set, base, strlen(base), &at);
  if (rc < 0)
    return NULL;
  if (rc == 1)
    return mtport__strdup(base);
  if (at >= m->next_cap) {
    size_t nc = m->next_cap ? m->next_cap : 64;
    while (nc <= at)
      nc *= 2;
    unsigned long *nn = realloc(m->next, nc * sizeof *nn);
    if (!nn)
      return NULL;
    memset(nn + m->next_cap, 0, (nc - m->next_cap) * sizeof *nn);
    m->next = nn;
    m->next_cap = nc;
  }
  mtport_buf b = MTPORT_BUF_INIT;
  for (unsigned long k = m->next[at] ? m->next[at] : 1;; k++) {
    mtport_buf_clear(&b);
    if (mtport_buf_printf(&b, "%s_%lu", base, k) != MTPORT_OK ||
        (rc = mtport_strset_add(m->set, b.data, b.len, NULL)) < 0) {
      mtport_buf_dispose(&b);
      return NULL;
    }
    if (rc == 1) {
      m->next[at] = k + 1;
      return mtport_buf_detach(&b);
    }
  }
}
