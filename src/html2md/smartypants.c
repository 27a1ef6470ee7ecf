/* SmartyPants as Movable Type ran it (SmartyPants.pl 1.5.1 with attribute
 * "1": quotes, ``backticks'', "--" em dashes, ellipses), for Markdown With
 * SmartyPants and for Textile's quotes. Text between tags is educated in
 * fixed passes, each one linear, in the order MT applied them, so that the
 * entities one pass writes are the context the next pass sees. */
#include "textile.h"
#include <ctype.h>
#include <string.h>

typedef struct {
  const char *s;
  size_t n;
} S_str;

static int S_is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

/* Perl's \w on bytes: ASCII letters, digits and underscore. */
static int S_is_word(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

static int S_at(const char *s, size_t n, size_t i, const char *lit) {
  if (i >= n || s[i] != lit[0])
    return 0; /* the common case, without strlen and memcmp */
  size_t l = strlen(lit);
  return i + l <= n && memcmp(s + i, lit, l) == 0;
}

/* ---- the tokenizer: tags (nested six deep, comments, processing
 * instructions) and the text between them ---- */

/* End of a comment "<!--" ... "--" [space] ">" starting at i, or 0. The
 * search for the closing "--" resumes where the last one stopped. */
static size_t S_comment_end(const char *s, size_t n, size_t i,
                            size_t *next_close) {
  if (!S_at(s, n, i, "<!--"))
    return 0;
  size_t k = i + 4;
  if (*next_close > k)
    k = *next_close; /* the first close at or after an earlier start */
  for (; k + 1 < n; k++) {
    if (s[k] != '-' || s[k + 1] != '-')
      continue;
    size_t e = k + 2;
    while (e < n && S_is_space((unsigned char)s[e]))
      e++;
    if (e < n && s[e] == '>') {
      *next_close = k;
      return e + 1;
    }
  }
  *next_close = n; /* none from here on */
  return 0;
}

/* End of "<?" ... "?>" at i, or 0. */
static size_t S_pi_end(const char *s, size_t n, size_t i, size_t *next_pi) {
  if (!S_at(s, n, i, "<?"))
    return 0;
  size_t k = i + 2;
  if (*next_pi > k)
    k = *next_pi;
  for (; k + 1 < n; k++)
    if (s[k] == '?' && s[k + 1] == '>') {
      *next_pi = k;
      return k + 2;
    }
  *next_pi = n;
  return 0;
}

/* End of a tag at i with up to six levels of tags nested inside it, or 0. */
static size_t S_nested_tag_end(const char *s, size_t n, size_t i) {
  int depth = 0;
  for (size_t k = i; k < n; k++) {
    if (s[k] == '<') {
      if (++depth > 6)
        return 0;
    } else if (s[k] == '>') {
      if (--depth == 0)
        return k + 1;
    }
  }
  return 0;
}

/* End of the tag that starts at s[i] ('<'): a comment, a processing
 * instruction, or a tag with up to six levels of tags nested inside; 0 when
 * none does. @cache (two size_t, 0 at first) remembers the closers found;
 * calls come with non-decreasing @i. */
static size_t S_tag_end(const char *s, size_t n, size_t i, size_t *cache) {
  size_t e = S_comment_end(s, n, i, &cache[0]);
  if (!e)
    e = S_pi_end(s, n, i, &cache[1]);
  if (!e)
    e = S_nested_tag_end(s, n, i);
  return e;
}

/* ---- the passes over one text token ---- */

typedef struct {
  mtport_buf a, b; /* the text, and the next pass's output */
} S_work;

static int S_swap(S_work *w) {
  mtport_buf t = w->a;
  w->a = w->b;
  w->b = t;
  mtport_buf_clear(&w->b);
  return MTPORT_OK;
}

static int S_put(mtport_buf *b, const char *s, size_t n) {
  return mtport_buf_append(b, s, n);
}

/* mtport_buf_putc with its room-left case inlined (the passes are hot) */
static inline int S_putc(mtport_buf *b, char ch) {
  if (b->len + 2 <= b->cap) {
    b->data[b->len++] = ch;
    b->data[b->len] = '\0';
    return MTPORT_OK;
  }
  return mtport_buf_putc(b, ch);
}

/* \\ \" \' \. \- \` become numeric entities (a dumb character forced). */
static int S_escapes(S_work *w) {
  const char *s = w->a.data;
  size_t n = w->a.len;
  int rc = MTPORT_OK;
  for (size_t i = 0; i < n && rc == MTPORT_OK; i++) {
    const char *ent = NULL;
    if (s[i] == '\\' && i + 1 < n) {
      switch (s[i + 1]) {
      case '\\':
        ent = "&#92;";
        break;
      case '"':
        ent = "&#34;";
        break;
      case '\'':
        ent = "&#39;";
        break;
      case '.':
        ent = "&#46;";
        break;
      case '-':
        ent = "&#45;";
        break;
      case '`':
        ent = "&#96;";
        break;
      }
    }
    if (ent) {
      rc = mtport_buf_puts(&w->b, ent);
      i++;
    } else
      rc = S_putc(&w->b, s[i]);
  }
  return rc == MTPORT_OK ? S_swap(w) : rc;
}

/* Replaces every non-overlapping @from, left to right, by @to. */
static int S_replace(S_work *w, const char *from, const char *to) {
  const char *s = w->a.data;
  size_t n = w->a.len, l = strlen(from);
  int rc = MTPORT_OK;
  size_t i = 0;
  while (i < n && rc == MTPORT_OK) {
    if (i + l <= n && memcmp(s + i, from, l) == 0) {
      rc = mtport_buf_puts(&w->b, to);
      i += l;
    } else
      rc = S_putc(&w->b, s[i++]);
  }
  return rc == MTPORT_OK ? S_swap(w) : rc;
}

/* SmartyPants' punctuation class: ASCII punctuation except '&'. */
static int S_is_punct(unsigned char c) {
  return c != '&' && c < 0x80 && ispunct(c);
}

/* Length of what may stand before an opening quote at i: a space, &nbsp;,
 * "--" or a dash entity; 0 when none. */
static size_t S_open_context(const char *s, size_t n, size_t i) {
  static const char *const ctx[] = {"&nbsp;",   "--",       "&mdash;",
                                    "&ndash;",  "&#8211;",  "&#8212;",
                                    "&#x2013;", "&#x2014;", NULL};
  if (i < n && S_is_space((unsigned char)s[i]))
    return 1;
  if (i >= n || (s[i] != '&' && s[i] != '-'))
    return 0;
  for (int k = 0; ctx[k]; k++)
    if (S_at(s, n, i, ctx[k]))
      return strlen(ctx[k]);
  return 0;
}

/* Opening quotes after a space or a dash, before a word character. */
static int S_open_quotes(S_work *w, char q, const char *ent) {
  const char *s = w->a.data;
  size_t n = w->a.len;
  int rc = MTPORT_OK;
  size_t i = 0;
  while (i < n && rc == MTPORT_OK) {
    size_t c = S_open_context(s, n, i);
    if (c && i + c + 1 < n && s[i + c] == q &&
        S_is_word((unsigned char)s[i + c + 1])) {
      rc = S_put(&w->b, s + i, c);
      if (rc == MTPORT_OK)
        rc = mtport_buf_puts(&w->b, ent);
      i += c + 1;
    } else
      rc = S_putc(&w->b, s[i++]);
  }
  return rc == MTPORT_OK ? S_swap(w) : rc;
}

static int S_close_class(unsigned char c) {
  return !(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '[' ||
           c == '{' || c == '(' || c == '-');
}

/* Closing quotes: after a character that can end a word, or before a space
 * (single quotes also before an "s" that ends a word: Custer's). */
static int S_close_quotes(S_work *w, char q, const char *ent) {
  const char *s = w->a.data;
  size_t n = w->a.len;
  int rc = MTPORT_OK;
  size_t i = 0;
  while (i < n && rc == MTPORT_OK) {
    if (i + 1 < n && S_close_class((unsigned char)s[i]) && s[i + 1] == q) {
      rc = S_putc(&w->b, s[i]);
      if (rc == MTPORT_OK)
        rc = mtport_buf_puts(&w->b, ent);
      i += 2;
      continue;
    }
    if (s[i] == q && i + 1 < n) {
      unsigned char c = (unsigned char)s[i + 1];
      int ok = S_is_space(c);
      if (!ok && q == '\'' && (c == 's' || c == 'S'))
        ok = i + 2 >= n || !S_is_word((unsigned char)s[i + 2]);
      if (ok) {
        rc = mtport_buf_puts(&w->b, ent);
        i++;
        continue;
      }
    }
    rc = S_putc(&w->b, s[i++]);
  }
  return rc == MTPORT_OK ? S_swap(w) : rc;
}

/* Pairs such as "' before a word character, and '80s. */
static int S_pairs(S_work *w) {
  const char *s = w->a.data;
  size_t n = w->a.len;
  int rc = MTPORT_OK;
  size_t i = 0;
  while (i < n && rc == MTPORT_OK) {
    if (i + 2 < n && s[i] == '"' && s[i + 1] == '\'' &&
        S_is_word((unsigned char)s[i + 2])) {
      rc = mtport_buf_puts(&w->b, "&#8220;&#8216;");
      i += 2;
    } else
      rc = S_putc(&w->b, s[i++]);
  }
  if (rc != MTPORT_OK || (rc = S_swap(w)) != MTPORT_OK)
    return rc;
  s = w->a.data;
  n = w->a.len;
  i = 0;
  while (i < n && rc == MTPORT_OK) {
    if (i + 2 < n && s[i] == '\'' && s[i + 1] == '"' &&
        S_is_word((unsigned char)s[i + 2])) {
      rc = mtport_buf_puts(&w->b, "&#8216;&#8220;");
      i += 2;
    } else
      rc = S_putc(&w->b, s[i++]);
  }
  if (rc != MTPORT_OK || (rc = S_swap(w)) != MTPORT_OK)
    return rc;
  s = w->a.data;
  n = w->a.len;
  i = 0;
  while (i < n && rc == MTPORT_OK) {
    if (i + 3 < n && s[i] == '\'' && s[i + 1] >= '0' && s[i + 1] <= '9' &&
        s[i + 2] >= '0' && s[i + 2] <= '9' && s[i + 3] == 's') {
      rc = mtport_buf_puts(&w->b, "&#8217;");
      i++;
    } else
      rc = S_putc(&w->b, s[i++]);
  }
  return rc == MTPORT_OK ? S_swap(w) : rc;
}

static int S_quotes(S_work *w) {
  int rc = MTPORT_OK;
  /* A quote that opens the text, followed by punctuation at a non-word
   * boundary, closes (brute force, as SmartyPants does). */
  for (int k = 0; k < 2; k++) {
    const char *s = w->a.data;
    size_t n = w->a.len;
    char q = k ? '"' : '\'';
    if (n >= 2 && s[0] == q && S_is_punct((unsigned char)s[1])) {
      int next_word = n > 2 && S_is_word((unsigned char)s[2]);
      int punct_word = S_is_word((unsigned char)s[1]);
      if (next_word == punct_word) {
        rc = mtport_buf_puts(&w->b, k ? "&#8221;" : "&#8217;");
        if (rc == MTPORT_OK)
          rc = S_put(&w->b, s + 1, n - 1);
        if (rc == MTPORT_OK)
          rc = S_swap(w);
        if (rc != MTPORT_OK)
          return rc;
      }
    }
  }
  if ((rc = S_pairs(w)) != MTPORT_OK ||
      (rc = S_open_quotes(w, '\'', "&#8216;")) != MTPORT_OK ||
      (rc = S_close_quotes(w, '\'', "&#8217;")) != MTPORT_OK ||
      (rc = S_replace(w, "'", "&#8216;")) != MTPORT_OK ||
      (rc = S_open_quotes(w, '"', "&#8220;")) != MTPORT_OK ||
      (rc = S_close_quotes(w, '"', "&#8221;")) != MTPORT_OK ||
      (rc = S_replace(w, "\"", "&#8220;")) != MTPORT_OK)
    return rc;
  return MTPORT_OK;
}

/* Educates one text token (already in w->a). */
static int S_educate(S_work *w, unsigned char prev_last) {
  int rc;
  if ((rc = S_escapes(w)) != MTPORT_OK ||
      (rc = S_replace(w, "--", "&#8212;")) != MTPORT_OK ||
      (rc = S_replace(w, "...", "&#8230;")) != MTPORT_OK ||
      (rc = S_replace(w, ". . .", "&#8230;")) != MTPORT_OK ||
      (rc = S_replace(w, "``", "&#8220;")) != MTPORT_OK ||
      (rc = S_replace(w, "''", "&#8221;")) != MTPORT_OK)
    return rc;
  if (w->a.len == 1 && (w->a.data[0] == '\'' || w->a.data[0] == '"')) {
    /* a lone quote between two tags: the text before it decides */
    int after_text = prev_last && !S_is_space(prev_last);
    const char *e = w->a.data[0] == '\'' ? (after_text ? "&#8217;" : "&#8216;")
                                         : (after_text ? "&#8221;" : "&#8220;");
    rc = mtport_buf_puts(&w->b, e);
    return rc == MTPORT_OK ? S_swap(w) : rc;
  }
  return S_quotes(w);
}

/* "<pre", "</code" ... anywhere in a tag token: whether it opens or closes
 * a stretch that is left alone; -1 when it names none. */
static int S_skip_tag(const char *t, size_t n) {
  static const char *const names[] = {"pre",    "code", "kbd",
                                      "script", "math", NULL};
  for (size_t i = 0; i < n; i++) {
    if (t[i] != '<')
      continue;
    size_t j = i + 1;
    int closing = j < n && t[j] == '/';
    if (closing)
      j++;
    for (int k = 0; names[k]; k++) {
      size_t l = strlen(names[k]);
      if (j + l < n && memcmp(t + j, names[k], l) == 0 &&
          (S_is_space((unsigned char)t[j + l]) || t[j + l] == '>'))
        return closing ? 0 : 1;
    }
  }
  return -1;
}

int mtport__smartypants(mtport_buf *out, const char *s, size_t n) {
  S_work w = {MTPORT_BUF_INIT, MTPORT_BUF_INIT};
  size_t cache[2] = {0, 0};
  int in_pre = 0, rc = MTPORT_OK;
  unsigned char prev_last = 0;
  size_t i = 0;
  while (i < n && rc == MTPORT_OK) {
    size_t e = s[i] == '<' ? S_tag_end(s, n, i, cache) : 0;
    if (e) {
      int k = S_skip_tag(s + i, e - i);
      if (k >= 0)
        in_pre = k;
      rc = S_put(out, s + i, e - i);
      i = e;
      continue;
    }
    /* text up to the next tag */
    size_t j = i + 1;
    while (j < n && !(s[j] == '<' && S_tag_end(s, n, j, cache)))
      j++;
    unsigned char last = (unsigned char)s[j - 1];
    if (in_pre)
      rc = S_put(out, s + i, j - i);
    else {
      mtport_buf_clear(&w.a);
      rc = S_put(&w.a, s + i, j - i);
      if (rc == MTPORT_OK)
        rc = S_educate(&w, prev_last);
      if (rc == MTPORT_OK)
        rc = S_put(out, w.a.data, w.a.len);
    }
    prev_last = last;
    i = j;
  }
  mtport_buf_dispose(&w.a);
  mtport_buf_dispose(&w.b);
  return rc;
}
