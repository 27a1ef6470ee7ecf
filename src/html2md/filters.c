/* MT text filters: Convert Line Breaks (both generations), Markdown.pl
 * (through discount) with or without SmartyPants, Textile 2 (textile.c),
 * and bodies to HTML or Markdown by format. */
#include "html2md_int.h"
#include "textile.h"
#include <ctype.h>
#include <limits.h>
#include <mkdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int mtport_text_filter_supported(const mtport_text *t) {
  return t->format != MTPORT_TEXT_UNKNOWN;
}

/* ---- traditional (MT <= 7.2, html_text_transform_traditional) ---- */

static const char *const S_trad_blocks[] = {
    "h1",         "h2",      "h3",     "h4",   "h5",       "h6",
    "table",      "ol",      "dl",     "ul",   "menu",     "dir",
    "p",          "pre",     "center", "form", "fieldset", "select",
    "blockquote", "address", "div",    "hr",   NULL};

/* Prefix test, lowercase only, as MT's regex does (`<p` matches <param>). */
static int S_trad_starts_block(const char *s, size_t n) {
  if (n < 2 || s[0] != '<')
    return 0;
  size_t i = 1;
  if (s[i] == '/')
    i++;
  for (int k = 0; S_trad_blocks[k]; k++) {
    size_t l = strlen(S_trad_blocks[k]);
    if (i + l <= n && memcmp(s + i, S_trad_blocks[k], l) == 0)
      return 1;
  }
  return 0;
}

/* Length of a \r?\n\r?\n separator at s[i], or 0. */
static size_t S_trad_sep(const char *s, size_t i, size_t n) {
  size_t k = i;
  if (k < n && s[k] == '\r')
    k++;
  if (k >= n || s[k] != '\n')
    return 0;
  k++;
  if (k < n && s[k] == '\r')
    k++;
  if (k >= n || s[k] != '\n')
    return 0;
  return k + 1 - i;
}

static int S_traditional(mtport_buf *out, const char *s, size_t n) {
  /* Fields of Perl's split /\r?\n\r?\n/ (trailing empty fields dropped). */
  size_t *f = NULL, nf = 0, cap = 0, start = 0;
  for (size_t i = 0; i <= n; i++) {
    size_t sep = i < n ? S_trad_sep(s, i, n) : 0;
    if (i < n && !sep)
      continue;
    if (nf + 2 > cap) {
      cap = cap ? cap * 2 : 32;
      size_t *nfp = realloc(f, cap * sizeof *nfp);
      if (!nfp) {
        free(f);
        return MTPORT_ENOMEM;
      }
      f = nfp;
    }
    f[nf++] = start;
    f[nf++] = i;
    if (i == n)
      break;
    start = i + sep;
    i = start - 1;
  }
  while (nf >= 2 && f[nf - 1] == f[nf - 2])
    nf -= 2;
  int rc = MTPORT_OK;
  for (size_t k = 0; k < nf && rc == MTPORT_OK; k += 2) {
    const char *c = s + f[k];
    size_t clen = f[k + 1] - f[k];
    if (k)
      mtport_buf_puts(out, "\n\n");
    if (S_trad_starts_block(c, clen)) {
      rc = mtport_buf_append(out, c, clen);
      continue;
    }
    mtport_buf_puts(out, "<p>");
    for (size_t i = 0; i < clen; i++) {
      if (c[i] == '\r' && i + 1 < clen && c[i + 1] == '\n') {
        mtport_buf_puts(out, "<br />\n");
        i++;
      } else if (c[i] == '\n')
        mtport_buf_puts(out, "<br />\n");
      else
        mtport_buf_putc(out, c[i]);
    }
    rc = mtport_buf_puts(out, "</p>");
  }
  free(f);
  return rc;
}

/* ---- modern (MT 6.7.1+ / 7.4.1+) ---- */

static const char *const S_new_blocks[] = {
    "h1",      "h2",         "h3",      "h4",       "h5",     "h6",
    "table",   "ol",         "dl",      "ul",       "li",     "menu",
    "dir",     "p",          "pre",     "center",   "form",   "fieldset",
    "select",  "blockquote", "address", "div",      "hr",     "script",
    "style",   "article",    "aside",   "details",  "dialog", "figcaption",
    "figure",  "footer",     "header",  "hgroup",   "main",   "nav",
    "section", "template",   "thead",   "tfoot",    "tbody",  "tr",
    "th",      "td",         "caption", "colgroup", "col",    "dt",
    "dd",      "legend",     "summary", NULL};

/* Length of a block tag name at s (whole word, lowercase), or 0. */
static size_t S_block_name(const char *s, size_t n) {
  for (int k = 0; S_new_blocks[k]; k++) {
    size_t l = strlen(S_new_blocks[k]);
    if (l <= n && memcmp(s, S_new_blocks[k], l) == 0 &&
        (l == n || !isalnum((unsigned char)s[l])))
      return l;
  }
  return 0;
}

static int S_starts_block_tag(const char *s, size_t n) {
  if (n < 2 || s[0] != '<')
    return 0;
  size_t i = s[1] == '/' ? 2 : 1;
  return S_block_name(s + i, n - i) > 0;
}

static size_t S_rtrim(const char *s, size_t n) {
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  return n;
}

/* Ends with </block>. */
static int S_ends_close_block(const char *s, size_t n) {
  n = S_rtrim(s, n);
  if (n < 4 || s[n - 1] != '>')
    return 0;
  size_t i = n - 1;
  while (i > 0 && s[i] != '<')
    i--;
  if (s[i] != '<' || i + 1 >= n || s[i + 1] != '/')
    return 0;
  size_t l = S_block_name(s + i + 2, n - 1 - (i + 2));
  return l && i + 2 + l == n - 1;
}

/* Ends with an opening, closing or self-closing block tag. */
static int S_ends_block_tag(const char *s, size_t n) {
  n = S_rtrim(s, n);
  if (n < 3 || s[n - 1] != '>')
    return 0;
  size_t i = n - 1;
  while (i > 0 && s[i] != '<')
    i--;
  if (s[i] != '<')
    return 0;
  size_t j = i + 1;
  if (j < n && s[j] == '/')
    j++;
  size_t l = S_block_name(s + j, n - j);
  if (!l)
    return 0;
  char ch = s[j + l];
  return ch == '>' || ch == '/' || ch == ' ' || ch == '\t' || ch == '\n';
}

/* Only HTML comments (and white space). */
static int S_only_comments(const char *s, size_t n) {
  size_t i = 0;
  int any = 0;
  while (i < n) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\x01') {
      i++;
      continue;
    }
    if (i + 4 <= n && memcmp(s + i, "<!--", 4) == 0) {
      const char *e = NULL;
      for (size_t k = i + 4; k + 3 <= n; k++)
        if (memcmp(s + k, "-->", 3) == 0) {
          e = s + k;
          break;
        }
      if (!e)
        return 0;
      i = (size_t)(e - s) + 3;
      any = 1;
      continue;
    }
    return 0;
  }
  return any;
}

static int S_ieq(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)a[i]) != b[i])
      return 0;
  return 1;
}

/* Hides line breaks (as \x01) in comments and raw elements. */
static void S_hide(char *s, size_t n) {
  static const char *const raw[] = {"script", "style",   "pre",    "object",
                                    "map",    "menu",    "select", "svg",
                                    "audio",  "picture", "video",  NULL};
  size_t i = 0;
  while (i < n) {
    if (s[i] != '<') {
      i++;
      continue;
    }
    size_t end = 0;
    if (i + 4 <= n && memcmp(s + i, "<!--", 4) == 0) {
      for (size_t k = i + 4; k + 3 <= n; k++)
        if (memcmp(s + k, "-->", 3) == 0) {
          end = k + 3;
          break;
        }
      if (!end)
        end = n;
    } else {
      for (int r = 0; raw[r] && !end; r++) {
        size_t l = strlen(raw[r]);
        if (i + 1 + l <= n && S_ieq(s + i + 1, raw[r], l) &&
            (i + 1 + l == n || !isalnum((unsigned char)s[i + 1 + l]))) {
          for (size_t k = i + 1 + l; k + 2 + l <= n && !end; k++)
            if (s[k] == '<' && s[k + 1] == '/' && S_ieq(s + k + 2, raw[r], l))
              end = k + 2 + l;
          if (!end)
            end = n;
        }
      }
    }
    if (!end) {
      i++;
      continue;
    }
    for (size_t k = i; k < end; k++)
      if (s[k] == '\n')
        s[k] = '\x01';
    i = end;
  }
}

typedef struct {
  const char *s;
  size_t n;
} S_span;

static int S_modern(mtport_buf *out, const char *in, size_t len) {
  mtport_buf t = MTPORT_BUF_INIT;
  for (size_t i = 0; i < len; i++) {
    if (in[i] == '\r' && i + 1 < len && in[i + 1] == '\n')
      continue;
    if (in[i] != '\x01')
      mtport_buf_putc(&t, in[i]);
  }
  if (!t.data) {
    mtport_buf_dispose(&t);
    return MTPORT_OK;
  }
  S_hide(t.data, t.len);
  /* chunks split at exactly "\n\n" */
  S_span *ch = NULL;
  size_t nch = 0, cap = 0, p = 0;
  for (;;) {
    const char *q = strstr(t.data + p, "\n\n");
    size_t e = q ? (size_t)(q - t.data) : t.len;
    if (nch == cap) {
      cap = cap ? cap * 2 : 16;
      S_span *nc = realloc(ch, cap * sizeof *nc);
      if (!nc) {
        free(ch);
        mtport_buf_dispose(&t);
        return MTPORT_ENOMEM;
      }
      ch = nc;
    }
    ch[nch].s = t.data + p;
    ch[nch].n = e - p;
    nch++;
    if (!q)
      break;
    p = e + 2;
  }
  /* Perl split drops trailing empty chunks. */
  while (nch && ch[nch - 1].n == 0)
    nch--;
  mtport_buf r = MTPORT_BUF_INIT;
  for (size_t k = 0; k < nch; k++) {
    const char *c = ch[k].s;
    size_t n = ch[k].n;
    int wrap = !(S_starts_block_tag(c, n) || S_ends_close_block(c, n) ||
                 S_only_comments(c, n));
    if (k)
      mtport_buf_puts(&r, "\n\n");
    if (wrap)
      mtport_buf_puts(&r, "<p>");
    size_t ls = 0;
    while (ls <= n) {
      size_t le = ls;
      while (le < n && c[le] != '\n')
        le++;
      mtport_buf_append(&r, c + ls, le - ls);
      if (le < n) {
        if (!S_ends_block_tag(c + ls, le - ls) &&
            !S_only_comments(c + ls, le - ls))
          mtport_buf_puts(&r, "<br />");
        mtport_buf_putc(&r, '\n');
      } else if (!wrap && k + 1 < nch) {
        /* MT's special case before a chunk that closes a block. */
        size_t ll = le - ls;
        const char *line = c + ls;
        size_t tl = S_rtrim(line, ll);
        int ends_tag = S_ends_block_tag(line, ll) ||
                       (tl >= 3 && memcmp(line + tl - 3, "-->", 3) == 0);
        if (!ends_tag && S_ends_close_block(ch[k + 1].s, ch[k + 1].n) &&
            !S_starts_block_tag(ch[k + 1].s, ch[k + 1].n))
          mtport_buf_puts(&r, "<br /><br />");
      }
      ls = le + 1;
    }
    if (wrap)
      mtport_buf_puts(&r, "</p>");
  }
  free(ch);
  mtport_buf_dispose(&t);
  int rc = MTPORT_OK;
  for (size_t i = 0; i < r.len && rc == MTPORT_OK; i++)
    rc = mtport_buf_putc(out, r.data[i] == '\x01' ? '\n' : r.data[i]);
  mtport_buf_dispose(&r);
  return rc;
}

int mtport_convert_breaks_ex(mtport_buf *out, const char *text, size_t len,
                             int generation) {
  if (!text || !len)
    return MTPORT_OK;
  if (generation == MTPORT_BREAKS_MODERN)
    return S_modern(out, text, len);
  return S_traditional(out, text, len);
}

int mtport_convert_breaks(mtport_buf *out, const char *text, size_t len) {
  return mtport_convert_breaks_ex(out, text, len, MTPORT_BREAKS_TRADITIONAL);
}

static int S_md_to_html(mtport_buf *out, const char *md, int smart, int gfm) {
  mtport_md__init();
  int opts = CMARK_OPT_UNSAFE | (smart ? CMARK_OPT_SMART : 0);
  cmark_parser *p = cmark_parser_new(opts);
  if (!p)
    return MTPORT_ENOMEM;
  if (gfm && mtport_md__ext_table())
    cmark_parser_attach_syntax_extension(p, mtport_md__ext_table());
  if (gfm && mtport_md__ext_strike())
    cmark_parser_attach_syntax_extension(p, mtport_md__ext_strike());
  cmark_parser_feed(p, md, strlen(md));
  cmark_node *doc = mtport_md__finish(p); /* one thread at a time */
  char *html = doc ? cmark_render_html(doc, opts, NULL) : NULL;
  int rc = html ? mtport_buf_puts(out, html) : MTPORT_ENOMEM;
  free(html);
  if (doc)
    cmark_node_free(doc);
  cmark_parser_free(p);
  return rc;
}

/* ---- Markdown.pl (MT's markdown and markdown_with_smartypants) ---- */

/* Which Markdown a MARKDOWN text is: MT's Markdown.pl plugin (the default,
 * as the model says), or the CommonMark plugin of MT 9 (commonmark, gfm). */
enum { S_MD_PL, S_MD_PL_SMARTY, S_MD_COMMONMARK };

static int S_md_kind(const mtport_text *t) {
  const char *f = t->filter;
  while (f && *f) {
    size_t n = strcspn(f, ",");
    size_t a = 0;
    while (a < n && isspace((unsigned char)f[a]))
      a++;
    size_t b = n;
    while (b > a && isspace((unsigned char)f[b - 1]))
      b--;
    /* __sanitize__ (or what a 30-byte column left of it) shapes nothing */
    if (b > a && !(b - a <= 12 && strncmp(f + a, "__sanitize__", b - a) == 0)) {
      if ((b - a == 10 && strncasecmp(f + a, "commonmark", 10) == 0) ||
          (b - a == 3 && strncasecmp(f + a, "gfm", 3) == 0))
        return S_MD_COMMONMARK;
      return b - a >= 19 && strncasecmp(f + a, "markdown_with_smarty", 19) == 0
                 ? S_MD_PL_SMARTY
                 : S_MD_PL;
    }
    f += n + (f[n] == ',');
  }
  return S_MD_PL;
}

/* discount's flags for Markdown.pl 1.0.1 as MT bundled it: none of
 * discount's extensions (tables, strikethrough, superscript, pandoc
 * headers, div quotes, alphabetic and definition lists, pseudo-protocols,
 * style extraction, fenced code, autolinks), emphasis inside words as
 * Markdown.pl does it (STRICT), 1.0 link syntax (no [shortcut] links), and
 * SmartyPants left to mtport__smartypants, which does what MT's did. */
#define S_MKD_FLAGS                                                            \
  (MKD_NOPANTS | MKD_NOTABLES | MKD_NOSTRIKETHROUGH | MKD_NOSUPERSCRIPT |      \
   MKD_STRICT | MKD_NOHEADER | MKD_NODIVQUOTE | MKD_NOALPHALIST |              \
   MKD_NODLIST | MKD_NODLDISCOUNT | MKD_NOSTYLE | MKD_NO_EXT | MKD_1_COMPAT)

/* discount keeps one-time set-up in globals (mkd_initialize) and Debian's
 * build is only known to be safe one call at a time: conversions take this
 * lock (html2md and SmartyPants run outside it). */
static pthread_mutex_t S_discount_lock = PTHREAD_MUTEX_INITIALIZER;

/* discount recurses once per level of nesting and rescans to the end of
 * the document for every unclosed block tag and of the paragraph for every
 * unclosed bracket; bodies past these bounds go to cmark-gfm instead. */
#define S_MAX_NESTING 64
#define S_SCAN_BUDGET 40000000ul    /* bytes rescanned for block tags */
#define S_INLINE_BUDGET 300000000ul /* paragraph length x brackets */

static const char *const S_discount_blocks[] = {
    "style", "script", "address", "bdo",     "blockquote", "center",
    "dfn",   "div",    "object",  "h1",      "h2",         "h3",
    "h4",    "h5",     "h6",      "listing", "nobr",       "form",
    "ul",    "p",      "ol",      "dl",      "plaintext",  "pre",
    "table", "wbr",    "xmp",     "iframe",  "map",        NULL};

/* Bytes discount scans for the close of the block tag opening the line at
 * s[i] (0 when it opens none), at most @cap. */
static size_t S_block_scan(const char *s, size_t n, size_t i, size_t cap) {
  if (i + 3 > n || s[i] != '<')
    return 0;
  if (s[i + 1] == '!' && s[i + 2] == '-' && i + 3 < n && s[i + 3] == '-') {
    for (size_t k = i + 4; k + 2 < n; k++)
      if ((k - i) > cap || (s[k] == '-' && s[k + 1] == '-' && s[k + 2] == '>'))
        return k - i;
    return n - i;
  }
  size_t e = i + 1;
  while (e < n && s[e] != '>' && s[e] != '/' && !isspace((unsigned char)s[e]))
    e++;
  const char *name = NULL;
  for (int k = 0; S_discount_blocks[k] && !name; k++)
    if (strlen(S_discount_blocks[k]) == e - i - 1 &&
        strncasecmp(S_discount_blocks[k], s + i + 1, e - i - 1) == 0)
      name = S_discount_blocks[k];
  if (!name)
    return 0;
  size_t l = strlen(name);
  long depth = 0;
  for (size_t k = i; k < n; k++) {
    if (k - i > cap)
      return k - i;
    if (s[k] != '<')
      continue;
    size_t j = k + 1;
    int closing = j < n && s[j] == '/';
    j += closing;
    if (j + l <= n && strncasecmp(s + j, name, l) == 0 &&
        (j + l == n || !isalnum((unsigned char)s[j + l]))) {
      depth += closing ? -1 : 1;
      if (depth == 0)
        return k - i;
    }
  }
  return n - i;
}

static int S_discount_safe(const char *s, size_t n) {
  size_t scanned = 0, para_len = 0, para_open = 0;
  unsigned long long inline_cost = 0;
  size_t i = 0;
  while (i < n) {
    size_t le = i;
    while (le < n && s[le] != '\n')
      le++;
    /* containers opening the line: quotes, list markers, indentation */
    size_t k = i, depth = 0, cols = 0;
    for (;;) {
      while (k < le && (s[k] == ' ' || s[k] == '\t'))
        cols += s[k++] == '\t' ? 4 : 1;
      if (k < le && s[k] == '>') {
        depth++, k++;
        continue;
      }
      size_t m = k;
      while (m < le && isdigit((unsigned char)s[m]))
        m++;
      if (m > k && m < le && s[m] == '.')
        m++;
      else if (m == k && k < le && (s[k] == '*' || s[k] == '-' || s[k] == '+'))
        m++;
      if (m > k && m < le && (s[m] == ' ' || s[m] == '\t')) {
        depth++, k = m;
        continue;
      }
      break;
    }
    if (depth + cols / 4 > S_MAX_NESTING)
      return 0;
    if (k == le) { /* a blank line ends the paragraph */
      inline_cost += (unsigned long long)para_len * para_open;
      para_len = para_open = 0;
    } else {
      para_len += le - i + 1;
      for (size_t c = i; c < le; c++)
        para_open += s[c] == '[' || s[c] == '<' || s[c] == '(';
    }
    if (inline_cost > S_INLINE_BUDGET)
      return 0;
    scanned += S_block_scan(s, n, i, S_SCAN_BUDGET);
    if (scanned > S_SCAN_BUDGET)
      return 0;
    i = le + 1;
  }
  inline_cost += (unsigned long long)para_len * para_open;
  return inline_cost <= S_INLINE_BUDGET;
}

/* Markdown.pl's HTML for @md (NUL-terminated), SmartyPants'd when @smart. */
static int S_markdown_pl(mtport_buf *out, const char *md, int smart) {
  size_t n = strlen(md);
  mtport_buf h = MTPORT_BUF_INIT;
  int rc = MTPORT_OK;
  if (n > INT_MAX / 2 || !S_discount_safe(md, n)) {
    rc = S_md_to_html(&h, md, 0, 0);
  } else {
    mkd_flag_t fl = S_MKD_FLAGS;
    pthread_mutex_lock(&S_discount_lock);
    MMIOT *doc = mkd_string(md, (int)n, fl);
    char *html = NULL;
    int len = -1;
    if (doc && mkd_compile(doc, fl))
      len = mkd_document(doc, &html);
    if (len > 0)
      rc = mtport_buf_append(&h, html, (size_t)len);
    else if (len < 0)
      rc = MTPORT_ENOMEM;
    if (doc)
      mkd_cleanup(doc);
    pthread_mutex_unlock(&S_discount_lock);
  }
  if (rc == MTPORT_OK && h.len) {
    /* discount ends the document without a newline; MT's had one */
    if (h.data[h.len - 1] != '\n')
      rc = mtport_buf_putc(&h, '\n');
    if (rc == MTPORT_OK)
      rc = smart ? mtport__smartypants(out, h.data, h.len)
                 : mtport_buf_append(out, h.data, h.len);
  }
  mtport_buf_dispose(&h);
  return rc;
}

/* A text filter's HTML, before base URLs are applied. */
static int S_filter_html(mtport_buf *h, const mtport_text *t) {
  switch (t->format) {
  case MTPORT_TEXT_CONVERT_BREAKS:
    return mtport_convert_breaks(h, t->text, strlen(t->text));
  case MTPORT_TEXT_MARKDOWN: {
    int k = S_md_kind(t);
    if (k == S_MD_COMMONMARK)
      return S_md_to_html(h, t->text, 0, 1);
    return S_markdown_pl(h, t->text, k == S_MD_PL_SMARTY);
  }
  case MTPORT_TEXT_TEXTILE:
    return mtport__textile_to_html(h, t->text, strlen(t->text));
  case MTPORT_TEXT_PLAIN:
    return mtport_html_escape(h, t->text, strlen(t->text));
  default:
    return mtport_buf_puts(h, t->text);
  }
}

int mtport_text_to_html(mtport_buf *out, const mtport_text *t,
                        const char *base_url) {
  if (!t || !t->text)
    return MTPORT_OK;
  if (t->format == MTPORT_TEXT_UNKNOWN)
    return mtport_buf_puts(out, t->text);
  const char *base = base_url && *base_url ? base_url : t->base;
  mtport_buf h = MTPORT_BUF_INIT;
  int rc = S_filter_html(&h, t);
  if (rc == MTPORT_OK) {
    if (base && *base)
      rc = mtport_html_absolutize(out, h.data ? h.data : "", h.len, base);
    else
      rc = mtport_buf_append(out, h.data ? h.data : "", h.len);
  }
  mtport_buf_dispose(&h);
  return rc;
}

int mtport_text_to_markdown(mtport_buf *out, const mtport_text *t,
                            const mtport_md_options *opts,
                            mtport_md_report *report) {
  if (!t || !t->text)
    return MTPORT_OK;
  /* unknown filters stay as written; CommonMark is already Markdown */
  if (t->format == MTPORT_TEXT_UNKNOWN ||
      (t->format == MTPORT_TEXT_MARKDOWN && S_md_kind(t) == S_MD_COMMONMARK))
    return mtport_buf_puts(out, t->text);
  mtport_md_options o = MTPORT_MD_OPTIONS_INIT;
  if (opts)
    o = *opts;
  if (!o.base_url || !*o.base_url)
    o.base_url = t->base;
  mtport_buf h = MTPORT_BUF_INIT;
  int rc = S_filter_html(&h, t);
  if (rc == MTPORT_OK)
    rc = mtport_html_to_markdown(out, h.data ? h.data : "", h.len, &o, report);
  mtport_buf_dispose(&h);
  return rc;
}
