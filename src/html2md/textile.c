/* Textile 2 as Movable Type rendered it: MT's Textile plugin ran Brad
 * Choate's Text::Textile 2.12 (xhtml1/css flavour, UTF-8, no image sizes)
 * and curled quotes with SmartyPants. This is our own implementation of
 * what that produced, step by step in the same order, because the order is
 * what decides the HTML (each step sees the markup the previous ones made).
 *
 * Every step is a left-to-right scan; where Perl searched forward for a
 * closing mark from every candidate opener, the next valid closer is found
 * once for all openers (a cache or a right-to-left pass), so the work stays
 * linear. Nested calls (a link's text, a table cell, a definition) are
 * capped at S_MAX_DEPTH levels, and the rounds of phrase marks at
 * S_MAX_ROUNDS. Parts of the text that later steps must not touch are
 * replaced by placeholders "<\x01N>" (Perl's "<textile#N>") and put back
 * at the end of the step that made them. */
#include "textile.h"
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define S_PH '\x01'        /* placeholder: '<' S_PH digits '>' */
#define S_HIDDEN_NL '\x02' /* a newline inside a tag, hidden from splits */
#define S_MAX_DEPTH 6      /* nested paragraphs, cells, link texts */
#define S_MAX_ROUNDS 16    /* rounds of the phrase marks (*, _, ...) */
#define S_NONE SIZE_MAX

typedef struct {
  const char *s;
  size_t n;
} S_str;

typedef struct {
  size_t name, name_n, url, url_n, title, title_n; /* in the alias pool */
  int has_title;
} S_alias;

typedef struct {
  S_alias *v;
  size_t n, cap;
  size_t *slot; /* open addressing over v, by name; SIZE_MAX is empty */
  size_t nslot;
} S_aliases;

typedef struct {
  int err;         /* MTPORT_ENOMEM once an allocation failed */
  mtport_buf pool; /* the replaced texts, back to back */
  size_t *off, *len;
  unsigned char *used;
  size_t nrep, caprep;
  mtport_buf alias_pool;
  const S_aliases *links; /* the [name]url lines of the current document */
} S_ctx;

/* ---- character classes (Perl's, on bytes) ---- */

static int S_sp(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}
static int S_w(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}
static int S_alnum(unsigned char c) { return S_w(c) && c != '_'; }
static int S_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static int S_digit(unsigned char c) { return c >= '0' && c <= '9'; }
/* Text::Textile's $punct: every ASCII punctuation character. */
static int S_punct(unsigned char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
         (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}
static int S_in(unsigned char c, const char *set) {
  return c && strchr(set, c) != NULL;
}
static const char *S_memmem(const char *h, size_t hn, const char *nd,
                            size_t nn) {
  if (!nn)
    return h;
  for (size_t i = 0; i + nn <= hn; i++) {
    const char *p = memchr(h + i, nd[0], hn - i - nn + 1);
    if (!p)
      return NULL;
    i = (size_t)(p - h);
    if (memcmp(p, nd, nn) == 0)
      return p;
  }
  return NULL;
}

/* ---- output helpers: an allocation failure is remembered, not returned */

static void S_put(S_ctx *c, mtport_buf *b, const char *s, size_t n) {
  if (n && b->len + n < b->cap) { /* room: no call (the passes are hot) */
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
  } else if (n && !c->err && mtport_buf_append(b, s, n) != MTPORT_OK)
    c->err = MTPORT_ENOMEM;
}
static void S_puts(S_ctx *c, mtport_buf *b, const char *s) {
  S_put(c, b, s, strlen(s));
}
static inline void S_putc(S_ctx *c, mtport_buf *b, char ch) {
  if (b->len + 2 <= b->cap) {
    b->data[b->len++] = ch;
    b->data[b->len] = '\0';
  } else
    S_put(c, b, &ch, 1);
}
static void S_putb(S_ctx *c, mtport_buf *b, const mtport_buf *x) {
  S_put(c, b, x->data, x->len);
}
static S_str S_bstr(const mtport_buf *b) {
  S_str r = {b->data ? b->data : "", b->len};
  return r;
}
static int S_at(const char *s, size_t n, size_t i, const char *lit) {
  if (i >= n || s[i] != lit[0])
    return 0; /* the common case, without strlen and memcmp */
  size_t l = strlen(lit);
  return i <= n && l <= n - i && memcmp(s + i, lit, l) == 0;
}

/* ---- placeholders ---- */

/* Length of the placeholder at s[i], or 0; its number in *idx. */
static size_t S_ph(const char *s, size_t n, size_t i, size_t *idx) {
  if (i + 4 > n || s[i] != '<' || s[i + 1] != S_PH)
    return 0;
  size_t k = i + 2, v = 0;
  while (k < n && S_digit((unsigned char)s[k]) && k < i + 14)
    v = v * 10 + (size_t)(s[k++] - '0');
  if (k == i + 2 || k >= n || s[k] != '>')
    return 0;
  if (idx)
    *idx = v;
  return k + 1 - i;
}

/* Keeps @s aside and writes its placeholder to @out. */
static void S_repl(S_ctx *c, mtport_buf *out, const char *s, size_t n) {
  if (c->err)
    return;
  if (c->nrep == c->caprep) {
    size_t cap = c->caprep ? c->caprep * 2 : 64;
    size_t *o = realloc(c->off, cap * sizeof *o);
    if (o)
      c->off = o;
    size_t *l = o ? realloc(c->len, cap * sizeof *l) : NULL;
    if (l)
      c->len = l;
    unsigned char *u = l ? realloc(c->used, cap) : NULL;
    if (!u) {
      c->err = MTPORT_ENOMEM;
      return;
    }
    c->used = u;
    c->caprep = cap;
  }
  c->off[c->nrep] = c->pool.len;
  c->len[c->nrep] = n;
  c->used[c->nrep] = 0;
  S_put(c, &c->pool, s, n);
  char tag[32];
  int k = snprintf(tag, sizeof tag, "<%c%zu>", S_PH, c->nrep);
  c->nrep++;
  S_put(c, out, tag, (size_t)k);
}

/* Copies @s to @out with the placeholders numbered @base or more replaced
 * by what they stand for (which may hold more of them), each at most once.
 * Iterative: a stack of the texts being copied. */
static void S_restore(S_ctx *c, mtport_buf *out, const char *s, size_t n,
                      size_t base) {
  typedef struct {
    size_t off, n, i; /* a pooled text (off) or the caller's (SIZE_MAX) */
  } S_frame;
  S_frame fixed[16], *st = fixed;
  size_t depth = 1, cap = 16;
  st[0].off = S_NONE;
  st[0].n = n;
  st[0].i = 0;
  while (depth && !c->err) {
    S_frame *f = &st[depth - 1];
    const char *t = f->off == S_NONE ? s : c->pool.data + f->off;
    if (f->i >= f->n) {
      depth--;
      continue;
    }
    /* copy up to the next placeholder */
    size_t j = f->i;
    while (j < f->n && !(t[j] == '<' && j + 1 < f->n && t[j + 1] == S_PH))
      j++;
    S_put(c, out, t + f->i, j - f->i);
    f->i = j;
    if (j >= f->n)
      continue;
    size_t idx = 0, l = S_ph(t, f->n, j, &idx);
    if (!l) {
      S_putc(c, out, t[j]);
      f->i = j + 1;
      continue;
    }
    f->i = j + l;
    if (idx < base || idx >= c->nrep) {
      S_put(c, out, t + j, l); /* an outer step's: it puts it back */
      continue;
    }
    if (c->used[idx])
      continue;
    c->used[idx] = 1;
    if (depth == cap) {
      S_frame *ns = malloc(cap * 2 * sizeof *ns);
      if (!ns) {
        c->err = MTPORT_ENOMEM;
        break;
      }
      memcpy(ns, st, depth * sizeof *ns);
      if (st != fixed)
        free(st);
      st = ns;
      cap *= 2;
    }
    st[depth].off = c->off[idx];
    st[depth].n = c->len[idx];
    st[depth].i = 0;
    depth++;
  }
  if (st != fixed)
    free(st);
}

/* ---- HTML escaping ---- */

/* Whether s[k..] is "#?[xX]?(?:[0-9a-fA-F]+|\w{1,8});" (an entity's body). */
static int S_entity_follows(const char *s, size_t n, size_t k) {
  for (int h = 0; h < 2; h++) {
    size_t a = k;
    if (h) {
      if (a >= n || s[a] != '#')
        continue;
      a++;
    }
    for (int x = 0; x < 2; x++) {
      size_t b = a;
      if (x) {
        if (b >= n || (s[b] != 'x' && s[b] != 'X'))
          continue;
        b++;
      }
      size_t e = b;
      while (e < n && isxdigit((unsigned char)s[e]))
        e++;
      if (e > b && e < n && s[e] == ';')
        return 1;
      e = b;
      while (e < n && S_w((unsigned char)s[e]))
        e++;
      if (e > b && e - b <= 8 && e < n && s[e] == ';')
        return 1;
    }
  }
  return 0;
}

/* encode_html_basic(): & (not starting an entity, unless @dbl) " < > as
 * entities; placeholders are kept. */
static void S_encode(S_ctx *c, mtport_buf *out, const char *s, size_t n,
                     int dbl) {
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    size_t pl = ch == '<' ? S_ph(s, n, i, NULL) : 0;
    if (pl) {
      S_put(c, out, s + i, pl);
      i += pl - 1;
    } else if (ch == '&') {
      int ent = !dbl && S_entity_follows(s, n, i + 1);
      S_puts(c, out, ent ? "&" : "&amp;");
    } else if (ch == '"')
      S_puts(c, out, "&quot;");
    else if (ch == '<')
      S_puts(c, out, "&lt;");
    else if (ch == '>')
      S_puts(c, out, "&gt;");
    else
      S_putc(c, out, (char)ch);
  }
}

/* ---- attribute syntax: (class#id) {style} [lang] ( ) < > = <> ---- */

/* A string being matched, with what some matches need precomputed once:
 * for every position, where a run of style items ("(...)" groups or
 * anything but '}') started there reaches its closing '}'. */
typedef struct {
  const char *s;
  size_t n;
  size_t *close; /* built on first use; NULL until then */
  int failed;
} S_scan;

static void S_scan_init(S_scan *sc, const char *s, size_t n) {
  sc->s = s;
  sc->n = n;
  sc->close = NULL;
  sc->failed = 0;
}
static void S_scan_dispose(S_scan *sc) { free(sc->close); }

/* The '}' that ends a run of items starting at i, or S_NONE. An item is a
 * "(...)" group (preferred when the run can still end after it) or any
 * character but '}'. */
static size_t S_items_close(S_ctx *c, S_scan *sc, size_t i) {
  if (i >= sc->n)
    return S_NONE;
  if (!sc->close && !sc->failed) {
    size_t n = sc->n;
    size_t *f = malloc((n + 1) * 2 * sizeof *f);
    if (!f) {
      sc->failed = 1;
      c->err = MTPORT_ENOMEM;
      return S_NONE;
    }
    size_t *paren = f + n + 1; /* first ')' at or after y */
    paren[n] = S_NONE;
    f[n] = S_NONE;
    for (size_t y = n; y-- > 0;) {
      paren[y] = sc->s[y] == ')' ? y : paren[y + 1];
      if (sc->s[y] == '}')
        f[y] = y;
      else {
        f[y] = f[y + 1];
        if (sc->s[y] == '(' && y + 1 < n && sc->s[y + 1] != ')') {
          size_t q = paren[y + 1];
          if (q != S_NONE && q + 1 <= n && f[q + 1] != S_NONE)
            f[y] = f[q + 1];
        }
      }
    }
    sc->close = f;
  }
  return sc->close ? sc->close[i] : S_NONE;
}

static int S_class_char(unsigned char ch) {
  return S_alnum(ch) || ch == '_' || ch == '-';
}

/* \([A-Za-z0-9_\- #]+\) */
static size_t S_m_classid(const char *s, size_t n, size_t i) {
  if (i >= n || s[i] != '(')
    return 0;
  size_t k = i + 1;
  while (k < n &&
         (S_class_char((unsigned char)s[k]) || s[k] == ' ' || s[k] == '#'))
    k++;
  return k > i + 1 && k < n && s[k] == ')' ? k + 1 - i : 0;
}

/* {items} ; @strict: the first item is [A-Za-z0-9_-] and one more follows */
static size_t S_m_style(S_ctx *c, S_scan *sc, size_t i, int strict) {
  const char *s = sc->s;
  size_t n = sc->n;
  if (i >= n || s[i] != '{')
    return 0;
  size_t a = i + 1;
  if (strict) {
    if (a >= n || !S_class_char((unsigned char)s[a]))
      return 0;
    a++;
  }
  if (a >= n || s[a] == '}')
    return 0;
  size_t e = S_items_close(c, sc, a);
  return e == S_NONE ? 0 : e + 1 - i;
}

/* \[[a-zA-Z\-]+?\] (without '-' unless @dash) */
static size_t S_m_lang(const char *s, size_t n, size_t i, int dash) {
  if (i >= n || s[i] != '[')
    return 0;
  size_t k = i + 1;
  while (k < n && (isalpha((unsigned char)s[k]) || (dash && s[k] == '-')))
    k++;
  return k > i + 1 && k < n && s[k] == ']' ? k + 1 - i : 0;
}

/* \(+?(?![A-Za-z0-9_\-\#]) : one '(' of padding */
static size_t S_m_padl(const char *s, size_t n, size_t i) {
  return i < n && s[i] == '(' &&
                 !(i + 1 < n &&
                   (S_class_char((unsigned char)s[i + 1]) || s[i + 1] == '#'))
             ? 1
             : 0;
}

/* $clstyre */
static size_t S_m_clsty(S_ctx *c, S_scan *sc, size_t i) {
  size_t l = S_m_classid(sc->s, sc->n, i);
  if (!l)
    l = S_m_style(c, sc, i, 1);
  if (!l)
    l = S_m_lang(sc->s, sc->n, i, 1);
  return l;
}

/* $clstypadre */
static size_t S_m_clstypad(S_ctx *c, S_scan *sc, size_t i) {
  size_t l = S_m_classid(sc->s, sc->n, i);
  if (!l)
    l = S_m_style(c, sc, i, 0);
  if (!l)
    l = S_m_padl(sc->s, sc->n, i);
  if (!l && i < sc->n && sc->s[i] == ')')
    l = 1;
  if (!l)
    l = S_m_lang(sc->s, sc->n, i, 1);
  return l;
}

/* $clstyfiltre */
static size_t S_m_clstyfilt(S_ctx *c, S_scan *sc, size_t i) {
  const char *s = sc->s;
  size_t n = sc->n;
  size_t l = S_m_classid(s, n, i);
  if (!l)
    l = S_m_style(c, sc, i, 1);
  if (!l && i < n && s[i] == '|') {
    const char *e = i + 2 <= n ? memchr(s + i + 2, '|', n - i - 2) : NULL;
    if (e)
      l = (size_t)(e - s) + 1 - i;
  }
  if (!l)
    l = S_m_padl(s, n, i);
  if (!l && i < n && s[i] == ')') {
    size_t k = i;
    while (k < n && s[k] == ')')
      k++;
    l = k - i;
  }
  if (!l)
    l = S_m_lang(s, n, i, 0);
  return l;
}

/* $halignre: <> or one of < > = */
static size_t S_m_halign(const char *s, size_t n, size_t i) {
  if (i + 1 < n && s[i] == '<' && s[i + 1] == '>')
    return 2;
  return i < n && S_in((unsigned char)s[i], "<>=") ? 1 : 0;
}

static size_t S_m_valign(const char *s, size_t n, size_t i) {
  return i < n && S_in((unsigned char)s[i], "-^~") ? 1 : 0;
}

/* $alignre, which may match nothing (returns 1 + length when it matches,
 * 0 when it does not). */
static size_t S_m_align(const char *s, size_t n, size_t i) {
  size_t v, h, l;
#define S_END_OK(k) (!((k) < n && S_w((unsigned char)s[k])))
  if ((v = S_m_valign(s, n, i)) && S_END_OK(i + v))
    return 1 + v;
  if (S_at(s, n, i, "<>")) {
    l = 2 + S_m_valign(s, n, i + 2);
    if (S_END_OK(i + l))
      return 1 + l;
    if (S_END_OK(i + 2))
      return 1 + 2;
  }
  v = S_m_valign(s, n, i);
  if (S_at(s, n, i + v, "<>") && S_END_OK(i + v + 2))
    return 1 + v + 2;
  for (int a = 0; a < 2; a++) { /* $valignre?$halignre? then the reverse */
    size_t first = a ? S_m_halign(s, n, i) : S_m_valign(s, n, i);
    size_t second =
        a ? S_m_valign(s, n, i + first) : S_m_halign(s, n, i + first);
    /* greedy with backtracking: both, first only, second only, none */
    if (S_END_OK(i + first + second))
      return 1 + first + second;
    if (first && S_END_OK(i + first))
      return 1 + first;
    h = a ? S_m_valign(s, n, i) : S_m_halign(s, n, i);
    if (h && S_END_OK(i + h))
      return 1 + h;
    if (S_END_OK(i))
      return 1;
  }
#undef S_END_OK
  return 0;
}

/* $imgalignre: one or two of < > - ^ ~ */
static size_t S_m_imgalign(const char *s, size_t n, size_t i) {
  size_t k = i;
  while (k < n && k < i + 2 && S_in((unsigned char)s[k], "<>-^~"))
    k++;
  return k - i;
}

/* _halign() and _valign(): an alignment's CSS word, or "". */
static const char *S_halign(const char *a, size_t n) {
  for (size_t i = 0; i + 1 < n; i++)
    if (a[i] == '<' && a[i + 1] == '>')
      return "justify";
  if (memchr(a, '<', n))
    return "left";
  if (memchr(a, '>', n))
    return "right";
  if (memchr(a, '=', n))
    return "center";
  return "";
}
static const char *S_valign(const char *a, size_t n) {
  if (memchr(a, '^', n))
    return "top";
  if (memchr(a, '~', n))
    return "bottom";
  if (memchr(a, '-', n))
    return "middle";
  return "";
}

/* ---- URLs ---- */

/* Characters a URL's path is made of in $urlre. */
static int S_url_char(unsigned char ch) {
  return ch < 0x7f && !S_sp(ch) && !S_in(ch, ".!,?;:\"'<>()[]{}");
}
static int S_url_punct(unsigned char ch) { return S_in(ch, ".!,?;:"); }

/* The longest $urlre match at s[i] whose end satisfies @ok (Perl tries
 * the greedy match, then shorter ones), or S_NONE. Matches that end after
 * a run of . ! , ? ; : are not $urlre's. */
static size_t S_url_end(const char *s, size_t n, size_t i,
                        int (*ok)(const char *, size_t, size_t)) {
  if (i >= n ||
      !(S_alnum((unsigned char)s[i]) || S_in((unsigned char)s[i], "./#")))
    return S_NONE;
  size_t e = i;
  for (;;) {
    while (e < n && S_url_char((unsigned char)s[e]))
      e++;
    size_t p = e;
    while (p < n && S_url_punct((unsigned char)s[p]))
      p++;
    if (p > e && p < n && S_url_char((unsigned char)s[p]))
      e = p;
    else
      break;
  }
  for (size_t p = e + 1; p-- > i;) {
    if (p > i && S_url_punct((unsigned char)s[p - 1]))
      continue;
    if (ok(s, n, p))
      return p;
  }
  return S_NONE;
}

/* (?:$|(?=$punct{1,2}|\s)) in a /m regex */
static int S_ok_after(const char *s, size_t n, size_t p) {
  return p >= n || s[p] == '\n' || S_punct((unsigned char)s[p]) ||
         S_sp((unsigned char)s[p]);
}
static int S_ok_space(const char *s, size_t n, size_t p) {
  return p < n && s[p] == ' ';
}

/* %XX for every byte outside @keep (encode_url, mail_encode) */
static void S_pct(S_ctx *c, mtport_buf *out, const char *s, size_t n,
                  int mail) {
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)s[i];
    int keep = mail ? ch == '$' : (S_alnum(ch) || S_in(ch, "_.-+&=%;"));
    if (keep)
      S_putc(c, out, (char)ch);
    else {
      char h[4];
      snprintf(h, sizeof h, "%%%02X", ch);
      S_put(c, out, h, 3);
    }
  }
}

/* [-+\w]+@[-\w]+(\.\w[-\w]*)+ filling all of s[a..n) */
static int S_is_email(const char *s, size_t n, size_t a) {
  size_t k = a;
  while (k < n && (S_w((unsigned char)s[k]) || s[k] == '-' || s[k] == '+'))
    k++;
  if (k == a || k >= n || s[k] != '@')
    return 0;
  size_t h = ++k;
  while (k < n && (S_w((unsigned char)s[k]) || s[k] == '-'))
    k++;
  if (k == h)
    return 0;
  int groups = 0;
  while (k < n && s[k] == '.' && k + 1 < n && S_w((unsigned char)s[k + 1])) {
    k += 2;
    while (k < n && (S_w((unsigned char)s[k]) || s[k] == '-'))
      k++;
    groups++;
  }
  return groups && k == n;
}

/* format_url(), with MT's imdb:, google:, dict: and amazon: shortcuts
 * (@linktext, already HTML, gives their default search term). */
static void S_format_url(S_ctx *c, mtport_buf *out, const char *u, size_t n,
                         const char *linktext, size_t ln) {
  mtport_buf a = MTPORT_BUF_INIT, b = MTPORT_BUF_INIT;
  static const struct {
    const char *name, *prefix;
  } sh[] = {{"imdb", "http://www.imdb.com/Find?for="},
            {"google", "http://www.google.com/search?q="},
            {"dict", "http://www.dictionary.com/search?q="},
            {"amazon", "http://www.amazon.com/exec/obidos/external-search?"
                       "index=blended&keyword="}};
  int done = 0;
  for (size_t k = 0; k < sizeof sh / sizeof *sh && !done; k++) {
    size_t l = strlen(sh[k].name);
    if (n >= l && memcmp(u, sh[k].name, l) == 0 &&
        (n == l || (u[l] == ':' && n > l + 1 && !memchr(u, '\n', n)))) {
      S_puts(c, &a, sh[k].prefix);
      if (n > l)
        S_put(c, &a, u + l + 1, n - l - 1);
      else /* the link text without its tags */
        for (size_t i = 0; i < ln; i++) {
          if (linktext[i] == '<') {
            const char *e = memchr(linktext + i, '>', ln - i);
            if (e) {
              i = (size_t)(e - linktext);
              continue;
            }
          }
          S_putc(c, &a, linktext[i]);
        }
      done = 1;
    }
  }
  if (!done) {
    size_t at = S_at(u, n, 0, "mailto:") ? 7 : 0;
    if (S_is_email(u, n, at)) {
      S_puts(c, &a, "mailto:");
      S_pct(c, &a, u + at, n - at, 1);
    } else
      S_put(c, &a, u, n);
  }
  S_str v = S_bstr(&a);
  if (!(S_at(v.s, v.n, 0, "/") || S_at(v.s, v.n, 0, "./") ||
        S_at(v.s, v.n, 0, "../") || S_at(v.s, v.n, 0, "#")) &&
      !(S_at(v.s, v.n, 0, "http") || S_at(v.s, v.n, 0, "ftp") ||
        S_at(v.s, v.n, 0, "mailto") || S_at(v.s, v.n, 0, "nntp") ||
        S_at(v.s, v.n, 0, "telnet")))
    S_puts(c, &b, "http://");
  for (size_t i = 0; i < v.n; i++) {
    if (v.s[i] == '&' && !S_at(v.s, v.n, i + 1, "amp;"))
      S_puts(c, &b, "&amp;");
    else
      S_putc(c, &b, v.s[i] == ' ' ? '+' : v.s[i]);
  }
  /* everything after the first '?' (past the first character, on the
   * first line) is percent-encoded */
  S_str w = S_bstr(&b);
  size_t q = S_NONE;
  for (size_t i = 1; i < w.n && w.s[i] != '\n'; i++)
    if (w.s[i] == '?') {
      q = i;
      break;
    }
  if (q != S_NONE && q + 1 < w.n && !memchr(w.s + q + 1, '\n', w.n - q - 1)) {
    S_put(c, out, w.s, q + 1);
    S_pct(c, out, w.s + q + 1, w.n - q - 1, 0);
  } else
    S_put(c, out, w.s, w.n);
  mtport_buf_dispose(&a);
  mtport_buf_dispose(&b);
}

/* ---- attributes to HTML ---- */

/* Finds "(class#id)" as Text::Textile does (first "(class)" or
 * "(class#id)", else "(#id)"); returns 1 with the spans set. */
static int S_find_classid(const char *s, size_t n, S_str *cls, S_str *id) {
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < n; i++) {
      if (s[i] != '(')
        continue;
      size_t k = i + 1;
      if (pass == 1 && k < n && s[k] == '#')
        goto with_id; /* (#id) */
      while (k < n && (S_class_char((unsigned char)s[k]) || s[k] == ' ')) {
        k++;
        if (k < n && s[k] == ')' && pass == 0) {
          cls->s = s + i + 1;
          cls->n = k - i - 1;
          id->s = NULL;
          id->n = 0;
          return 1;
        }
        if (k < n && s[k] == '#')
          goto with_id;
      }
      continue;
    with_id : {
      const char *e = k + 2 <= n ? memchr(s + k + 2, ')', n - k - 2) : NULL;
      const char *nl = k + 1 < n ? memchr(s + k + 1, '\n', n - k - 1) : NULL;
      if (!e || (nl && nl < e))
        continue;
      cls->s = s + i + 1;
      cls->n = k - i - 1;
      id->s = s + k + 1;
      id->n = (size_t)(e - s) - k - 1;
      return 1;
    }
    }
  }
  return 0;
}

/* Removes every "(class)" / "(class#id)" (or "(#id)" with @ids) from @b. */
static void S_drop_classid(S_ctx *c, mtport_buf *b, int ids) {
  mtport_buf r = MTPORT_BUF_INIT;
  S_str s = S_bstr(b);
  for (size_t i = 0; i < s.n; i++) {
    if (s.s[i] == '(') {
      size_t k = i + 1, e = 0;
      if (ids) {
        if (k < s.n && s.s[k] == '#' && k + 2 <= s.n) {
          const char *q = memchr(s.s + k + 2, ')', s.n - k - 2);
          if (q)
            e = (size_t)(q - s.s) + 1;
        }
      } else {
        while (k < s.n &&
               (S_class_char((unsigned char)s.s[k]) || s.s[k] == ' '))
          k++;
        if (k > i + 1 && k < s.n && s.s[k] == ')')
          e = k + 1;
        else if (k > i + 1 && k < s.n && s.s[k] == '#') {
          const char *q = memchr(s.s + k, ')', s.n - k);
          if (q)
            e = (size_t)(q - s.s) + 1;
        }
      }
      if (e) {
        i = e - 1;
        continue;
      }
    }
    S_putc(c, &r, s.s[i]);
  }
  mtport_buf_clear(b);
  S_putb(c, b, &r);
  mtport_buf_dispose(&r);
}

/* format_classstyle(): the attributes (class, id, style, lang) that @clsty
 * asks for, with @cls and @style (";"-separated) given by the caller,
 * written as ` name="value"` pairs (with the leading space). */
static void S_classstyle(S_ctx *c, mtport_buf *out, const char *clsty,
                         size_t cn, const char *cls, size_t cls_n,
                         const char *style, size_t style_n) {
  mtport_buf st = MTPORT_BUF_INIT, cl = MTPORT_BUF_INIT, cs = MTPORT_BUF_INIT;
  mtport_buf idb = MTPORT_BUF_INIT;
  S_str lang = {NULL, 0};
  S_put(c, &st, style, style_n);
  if (cls_n && cls[0] == ' ')
    cls++, cls_n--;
  S_put(c, &cl, cls, cls_n);
  S_put(c, &cs, clsty, cn);
  S_str v = S_bstr(&cs);
  /* {style} */
  const char *o = v.n ? memchr(v.s, '{', v.n) : NULL;
  while (o) {
    const char *e = memchr(o + 1, '}', v.n - (size_t)(o + 1 - v.s));
    if (!e)
      break;
    if (e > o + 1) {
      S_putc(c, &st, ';');
      for (const char *p = o + 1; p < e; p++)
        S_putc(c, &st, *p == '\n' ? ' ' : *p);
      /* every {...} goes */
      mtport_buf r = MTPORT_BUF_INIT;
      for (size_t i = 0; i < v.n; i++) {
        if (v.s[i] == '{') {
          const char *q = memchr(v.s + i + 1, '}', v.n - i - 1);
          if (q && q > v.s + i + 1) {
            i = (size_t)(q - v.s);
            continue;
          }
        }
        S_putc(c, &r, v.s[i]);
      }
      mtport_buf_clear(&cs);
      S_putb(c, &cs, &r);
      mtport_buf_dispose(&r);
      v = S_bstr(&cs);
      break;
    }
    o = memchr(e, '{', v.n - (size_t)(e - v.s));
  }
  S_str k_cls, k_id;
  if (v.n && S_find_classid(v.s, v.n, &k_cls, &k_id) && (k_cls.n || k_id.n)) {
    mtport_buf ncl = MTPORT_BUF_INIT;
    S_put(c, &ncl, k_cls.s, k_cls.n);
    if (cl.len) {
      S_putc(c, &ncl, ' ');
      S_putb(c, &ncl, &cl);
    }
    mtport_buf_clear(&cl);
    S_putb(c, &cl, &ncl);
    mtport_buf_dispose(&ncl);
    S_put(c, &idb, k_id.s, k_id.n); /* copied before cs changes */
    if (cl.len)
      S_drop_classid(c, &cs, 0);
    if (idb.len)
      S_drop_classid(c, &cs, 1);
    v = S_bstr(&cs);
  }
  size_t padl = 0, padr = 0;
  for (size_t i = 0; i < v.n; i++)
    if (v.s[i] == '(') {
      while (i < v.n && v.s[i] == '(')
        padl++, i++;
      break;
    }
  for (size_t i = 0; i < v.n; i++)
    if (v.s[i] == ')') {
      while (i < v.n && v.s[i] == ')')
        padr++, i++;
      break;
    }
  for (size_t i = 0; i < v.n; i++)
    if (v.s[i] == '[') {
      const char *e =
          i + 2 <= v.n ? memchr(v.s + i + 2, ']', v.n - i - 2) : NULL;
      if (e) {
        lang.s = v.s + i + 1;
        lang.n = (size_t)(e - v.s) - i - 1;
      }
      break;
    }
  mtport_buf style_out = MTPORT_BUF_INIT;
  S_putb(c, &style_out, &st);
  char pad[64];
  if (padl) {
    snprintf(pad, sizeof pad, ";padding-left:%zuem", padl);
    S_puts(c, &style_out, pad);
  }
  if (padr) {
    snprintf(pad, sizeof pad, ";padding-right:%zuem", padr);
    S_puts(c, &style_out, pad);
  }
  S_str sv = S_bstr(&style_out);
  if (sv.n && sv.s[0] == ';')
    sv.s++, sv.n--;
  S_str cv = S_bstr(&cl);
  if (cv.n && cv.s[0] == ' ')
    cv.s++, cv.n--;
  if (cv.n && cv.s[cv.n - 1] == ' ')
    cv.n--;
  if (cv.n) {
    S_puts(c, out, " class=\"");
    S_put(c, out, cv.s, cv.n);
    S_putc(c, out, '"');
  }
  if (idb.len) {
    S_puts(c, out, " id=\"");
    S_putb(c, out, &idb);
    S_putc(c, out, '"');
  }
  if (sv.n) {
    S_puts(c, out, " style=\"");
    S_put(c, out, sv.s, sv.n);
    S_putc(c, out, '"');
  }
  if (lang.n) {
    S_puts(c, out, " lang=\"");
    S_put(c, out, lang.s, lang.n);
    S_putc(c, out, '"');
  }
  mtport_buf_dispose(&style_out);
  mtport_buf_dispose(&idb);
  mtport_buf_dispose(&st);
  mtport_buf_dispose(&cl);
  mtport_buf_dispose(&cs);
}

/* _strip_borders(): "[" ... "]" (or "{" ... "}") around a phrase go. */
static void S_strip_borders(S_str *pre, S_str *post) {
  if (!pre->n || !post->n || !(pre->s[0] == '[' || pre->s[0] == '{'))
    return;
  if (post->n == 1 && post->s[0] == '0')
    return; /* Perl's false */
  char want = pre->s[0] == '[' ? ']' : '}';
  if (post->s[0] == want) {
    pre->s++, pre->n--;
    post->s++, post->n--;
  } else if (!(post->s[0] == ']' || post->s[0] == '}') &&
             post->s[post->n - 1] == want) {
    pre->s++, pre->n--;
    post->n--;
  }
}

/* ---- searching forward once for many openers ---- */

typedef int (*S_pred)(const char *s, size_t n, size_t i, const void *arg);

/* The first position at or after x where a predicate holds, remembered:
 * when openers come left to right each closer is looked for once. */
typedef struct {
  size_t from, at;
} S_cache;
#define S_CACHE_INIT                                                           \
  { S_NONE, S_NONE }

static size_t S_find(S_cache *k, const char *s, size_t n, size_t x, S_pred p,
                     const void *arg) {
  if (k->from != S_NONE && x >= k->from && (k->at == S_NONE || x <= k->at))
    return k->at;
  size_t i = x;
  while (i < n && !p(s, n, i, arg))
    i++;
  k->from = x;
  k->at = i < n ? i : S_NONE;
  return k->at;
}

static int S_p_char(const char *s, size_t n, size_t i, const void *arg) {
  (void)n;
  return s[i] == *(const char *)arg;
}

/* The first newline at or after x (n when none). */
static size_t S_eol(S_cache *k, const char *s, size_t n, size_t x) {
  static const char nl = '\n';
  size_t e = S_find(k, s, n, x, S_p_char, &nl);
  return e == S_NONE ? n : e;
}

/* (?:^|(?<=[\s>])|([{[])) before an opening mark at p, in a /m regex:
 * returns the mark's position (p, or p + 1 after a bracket kept in *pre),
 * or S_NONE. @extra are more characters allowed before the mark. */
static size_t S_opener(const char *s, size_t n, size_t p, char mark,
                       const char *extra, char *pre) {
  *pre = 0;
  if (s[p] == mark &&
      (p == 0 || s[p - 1] == '\n' || S_sp((unsigned char)s[p - 1]) ||
       s[p - 1] == '>' || S_in((unsigned char)s[p - 1], extra)))
    return p;
  if ((s[p] == '[' || s[p] == '{') && p + 1 < n && s[p + 1] == mark) {
    *pre = s[p];
    return p + 1;
  }
  return S_NONE;
}

/* (?:$|([\]}])|(?=$punct{1,2}|\s)) at p (/m): the length consumed (0 or
 * 1 for a closing bracket), or -1. */
static int S_closer_after(const char *s, size_t n, size_t p) {
  if (p >= n || s[p] == '\n')
    return 0;
  if (s[p] == ']' || s[p] == '}')
    return 1;
  return S_punct((unsigned char)s[p]) || S_sp((unsigned char)s[p]) ? 0 : -1;
}

/* ---- forward declarations of the mutually nested steps ---- */

static void S_format_paragraph(S_ctx *c, mtport_buf *out, const char *s,
                               size_t n, int depth);
static void S_textile(S_ctx *c, mtport_buf *out, const char *s, size_t n,
                      int depth);

/* ---- inline: code, images, spans, links ---- */

/* @...@ (or [@...@] / {@...@}) at p; returns the match length with the
 * code's language and text, or 0. The same for format_inline's /m regex
 * and the tokenizer's: a newline before the '@' is a space, and the code
 * stops at the end of its line. */
typedef struct {
  S_cache at_close, at_bracket, eol;
} S_codec;

/* '@' then the end, punctuation or a space (a newline is a space) */
static int S_p_code_close(const char *s, size_t n, size_t i, const void *a) {
  (void)a;
  if (s[i] != '@')
    return 0;
  return i + 1 >= n || S_punct((unsigned char)s[i + 1]) ||
         S_sp((unsigned char)s[i + 1]);
}
static int S_p_code_bclose(const char *s, size_t n, size_t i, const void *a) {
  (void)a;
  return s[i] == '@' && i + 1 < n && (s[i + 1] == ']' || s[i + 1] == '}');
}

static size_t S_m_code(S_codec *k, const char *s, size_t n, size_t p,
                       S_str *lang, S_str *code) {
  int bracket = s[p] == '[' || s[p] == '{';
  size_t at = bracket ? p + 1 : p;
  if (at >= n || s[at] != '@')
    return 0;
  if (!bracket && !(p == 0 || S_sp((unsigned char)s[p - 1]) || s[p - 1] == '('))
    return 0;
  /* the code cannot cross a line ('.' stops at newlines) */
  size_t eol = S_eol(&k->eol, s, n, at + 1);
  for (int with_lang = 1; with_lang >= 0; with_lang--) {
    size_t c0 = at + 1;
    lang->s = NULL;
    lang->n = 0;
    if (with_lang) { /* [lang] : \[[A-Za-z0-9]+\] */
      size_t k2 = c0 + 1;
      while (k2 < n && S_alnum((unsigned char)s[k2]))
        k2++;
      if (c0 >= n || s[c0] != '[' || k2 == c0 + 1 || k2 >= n || s[k2] != ']')
        continue;
      lang->s = s + c0 + 1;
      lang->n = k2 - c0 - 1;
      c0 = k2 + 1;
    }
    if (c0 >= eol)
      continue;
    if (bracket) {
      size_t q = S_find(&k->at_bracket, s, n, c0 + 1, S_p_code_bclose, NULL);
      if (q == S_NONE || q >= eol)
        continue;
      code->s = s + c0;
      code->n = q - c0;
      return q + 2 - p;
    }
    if (S_sp((unsigned char)s[c0]))
      continue;
    size_t q = S_find(&k->at_close, s, n, c0 + 1, S_p_code_close, NULL);
    if (q == S_NONE || q >= eol)
      continue;
    code->s = s + c0;
    code->n = q - c0;
    return q + 1 - p;
  }
  return 0;
}

static void S_format_code(S_ctx *c, mtport_buf *out, S_str lang, S_str code) {
  S_puts(c, out, "<code");
  if (lang.n) {
    S_puts(c, out, " language=\"");
    S_put(c, out, lang.s, lang.n);
    S_putc(c, out, '"');
  }
  S_putc(c, out, '>');
  S_encode(c, out, code.s, code.n, 1);
  S_puts(c, out, "</code>");
}

/* Parses greedily a run of attribute pieces (@kind: 0 $clstyre, 1
 * $clstypadre) from i; returns its end. */
static size_t S_attr_run(S_ctx *c, S_scan *sc, size_t i, int kind) {
  for (;;) {
    size_t l = kind ? S_m_clstypad(c, sc, i) : S_m_clsty(c, sc, i);
    if (!l)
      return i;
    i += l;
  }
}

/* Digits in a string (Perl's numeric truth of "\d+"): nonzero. */
static int S_true_num(S_str v) { return v.n && !(v.n == 1 && v.s[0] == '0'); }

/* (?:^|[,\s])(\d+)SUFFIX(?:[\s,]|$) in @x */
static S_str S_find_dim(S_str x, char suffix) {
  S_str r = {NULL, 0};
  for (size_t i = 0; i < x.n; i++) {
    if (!S_digit((unsigned char)x.s[i]) ||
        (i && !(x.s[i - 1] == ',' || S_sp((unsigned char)x.s[i - 1]))))
      continue;
    size_t k = i;
    while (k < x.n && S_digit((unsigned char)x.s[k]))
      k++;
    if (k < x.n && x.s[k] == suffix &&
        (k + 1 == x.n || x.s[k + 1] == ',' ||
         S_sp((unsigned char)x.s[k + 1]))) {
      r.s = x.s + i;
      r.n = k - i;
      return r;
    }
  }
  return r;
}

static void S_format_image(S_ctx *c, mtport_buf *out, S_str pre, S_str src,
                           S_str align, S_str extra, S_str url, int has_url,
                           S_str clsty, S_str post) {
  S_strip_borders(&pre, &post);
  S_put(c, out, pre.s, pre.n);
  mtport_buf tag = MTPORT_BUF_INIT, cls = MTPORT_BUF_INIT,
             style = MTPORT_BUF_INIT;
  S_puts(c, &tag, "<img src=\"");
  S_put(c, &tag, src.s, src.n);
  S_putc(c, &tag, '"');
  const char *h = S_halign(align.s, align.n);
  if (*h) {
    S_puts(c, &style, ";float:");
    S_puts(c, &style, h);
    S_putc(c, &cls, ' ');
    S_puts(c, &cls, h);
  }
  const char *v = S_valign(align.s, align.n);
  if (*v) {
    S_puts(c, &style, ";vertical-align:");
    if (strcmp(v, "middle") != 0)
      S_puts(c, &style, "text-");
    S_puts(c, &style, v);
    S_putc(c, &cls, ' ');
    S_puts(c, &cls, v);
  }
  /* the alt text is the first (...) of the extras; sizes are "WxH" */
  S_str alt = {NULL, 0};
  mtport_buf ex = MTPORT_BUF_INIT;
  for (size_t i = 0; i < extra.n; i++) {
    if (!alt.s && extra.s[i] == '(' && i + 1 < extra.n &&
        extra.s[i + 1] != ')') {
      const char *e = memchr(extra.s + i + 1, ')', extra.n - i - 1);
      if (e) {
        alt.s = extra.s + i + 1;
        alt.n = (size_t)(e - extra.s) - i - 1;
        i = (size_t)(e - extra.s);
        continue;
      }
    }
    S_putc(c, &ex, extra.s[i]);
  }
  S_str x = S_bstr(&ex), w = {NULL, 0}, hh = {NULL, 0};
  int pct = 0;
  for (size_t i = 0; i < x.n && !pct; i++) /* (^|\s)\d+%(x\d+%)?(\s|$) */
    if (x.s[i] == '%' && i && S_digit((unsigned char)x.s[i - 1]))
      pct = 1;
  if (!pct) {
    for (size_t i = 0; i < x.n && !w.s; i++) {
      if (i && !S_sp((unsigned char)x.s[i - 1]))
        continue;
      size_t k = i;
      while (k < x.n && S_digit((unsigned char)x.s[k]))
        k++;
      if (k == i && k < x.n && x.s[k] == '*')
        k++;
      if (k == i || k >= x.n || x.s[k] != 'x')
        continue;
      size_t k2 = k + 1;
      while (k2 < x.n && S_digit((unsigned char)x.s[k2]))
        k2++;
      if (k2 == k + 1 && k2 < x.n && x.s[k2] == '*')
        k2++;
      if (k2 == k + 1 || !(k2 == x.n || S_sp((unsigned char)x.s[k2])))
        continue;
      w.s = x.s + i;
      w.n = x.s[i] == '*' ? 0 : k - i;
      hh.s = x.s + k + 1;
      hh.n = x.s[k + 1] == '*' ? 0 : k2 - k - 1;
    }
    if (!S_true_num(w))
      w = S_find_dim(x, 'w');
    if (!S_true_num(hh))
      hh = S_find_dim(x, 'h');
  }
  S_puts(c, &tag, " alt=\"");
  S_encode(c, &tag, alt.s ? alt.s : "", alt.n, 0);
  S_putc(c, &tag, '"');
  if (!pct && S_true_num(w) && S_true_num(hh)) {
    S_puts(c, &tag, " height=\"");
    S_put(c, &tag, hh.s, hh.n);
    S_puts(c, &tag, "\" width=\"");
    S_put(c, &tag, w.s, w.n);
    S_putc(c, &tag, '"');
  }
  S_classstyle(c, &tag, clsty.s, clsty.n, cls.data ? cls.data : "", cls.len,
               style.data ? style.data : "", style.len);
  S_puts(c, &tag, " />");
  if (has_url) {
    S_puts(c, out, "<a href=\"");
    S_format_url(c, out, url.s, url.n, "", 0);
    S_puts(c, out, "\">");
    S_putb(c, out, &tag);
    S_puts(c, out, "</a>");
  } else
    S_putb(c, out, &tag);
  S_put(c, out, post.s, post.n);
  mtport_buf_dispose(&ex);
  mtport_buf_dispose(&tag);
  mtport_buf_dispose(&cls);
  mtport_buf_dispose(&style);
}

static void S_format_span(S_ctx *c, mtport_buf *out, S_str pre, S_str text,
                          S_str align, S_str cite, S_str clsty, S_str post,
                          int depth) {
  S_strip_borders(&pre, &post);
  S_put(c, out, pre.s, pre.n);
  S_puts(c, out, "<span");
  mtport_buf cls = MTPORT_BUF_INIT, style = MTPORT_BUF_INIT;
  const char *h = S_halign(align.s, align.n);
  if (*h) {
    S_puts(c, &style, ";float:");
    S_puts(c, &style, h);
    S_putc(c, &cls, ' ');
    S_puts(c, &cls, h);
  }
  S_classstyle(c, out, clsty.s, clsty.n, cls.data ? cls.data : "", cls.len,
               style.data ? style.data : "", style.len);
  S_puts(c, out, " cite=\"");
  S_format_url(c, out, cite.s, cite.n, "", 0);
  S_puts(c, out, "\">");
  S_format_paragraph(c, out, text.s, text.n, depth + 1);
  S_puts(c, out, "</span>");
  S_put(c, out, post.s, post.n);
  mtport_buf_dispose(&cls);
  mtport_buf_dispose(&style);
}

static size_t S_hash(const char *s, size_t n) {
  size_t h = 1469598103934665603ull & SIZE_MAX;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * (1099511628211ull & SIZE_MAX);
  return h;
}

/* The link aliases ([name]url lines) of the current document; the last
 * line naming an alias wins, as in a Perl hash. */
static const S_alias *S_alias_find(S_ctx *c, const char *name, size_t n) {
  const S_aliases *a = c->links;
  if (!a || !a->nslot)
    return NULL;
  for (size_t h = S_hash(name, n) & (a->nslot - 1);;
       h = (h + 1) & (a->nslot - 1)) {
    size_t i = a->slot[h];
    if (i == S_NONE)
      return NULL;
    const S_alias *m = &a->v[i];
    if (m->name_n == n && memcmp(c->alias_pool.data + m->name, name, n) == 0)
      return m;
  }
}

static void S_alias_index(S_ctx *c, S_aliases *a) {
  if (!a->n)
    return;
  size_t ns = 16;
  while (ns < a->n * 2)
    ns *= 2;
  a->slot = malloc(ns * sizeof *a->slot);
  if (!a->slot) {
    c->err = MTPORT_ENOMEM;
    return;
  }
  a->nslot = ns;
  for (size_t i = 0; i < ns; i++)
    a->slot[i] = S_NONE;
  for (size_t i = 0; i < a->n; i++) {
    const S_alias *m = &a->v[i];
    const char *nm = c->alias_pool.data + m->name;
    for (size_t h = S_hash(nm, m->name_n) & (ns - 1);; h = (h + 1) & (ns - 1)) {
      size_t j = a->slot[h];
      if (j == S_NONE ||
          (a->v[j].name_n == m->name_n &&
           memcmp(c->alias_pool.data + a->v[j].name, nm, m->name_n) == 0)) {
        a->slot[h] = i;
        break;
      }
    }
  }
}

static void S_format_link(S_ctx *c, mtport_buf *out, S_str linktext,
                          S_str title, int has_title, S_str url, S_str clsty,
                          int depth) {
  const S_alias *al = S_alias_find(c, url.s, url.n);
  mtport_buf tb = MTPORT_BUF_INIT;
  if (al) {
    if (!title.n && al->has_title) {
      S_put(c, &tb, c->alias_pool.data + al->title, al->title_n);
      has_title = 1;
    }
    url.s = c->alias_pool.data + al->url;
    url.n = al->url_n;
  }
  while (linktext.n && linktext.s[linktext.n - 1] == ' ')
    linktext.n--;
  mtport_buf lt = MTPORT_BUF_INIT;
  S_format_paragraph(c, &lt, linktext.s, linktext.n, depth + 1);
  S_puts(c, out, "<a href=\"");
  S_format_url(c, out, url.s, url.n, lt.data ? lt.data : "", lt.len);
  S_putc(c, out, '"');
  S_classstyle(c, out, clsty.s, clsty.n, "", 0, "", 0);
  S_str t = tb.len ? S_bstr(&tb) : title;
  if (has_title) {
    while (t.n && S_sp((unsigned char)t.s[0]))
      t.s++, t.n--;
    if (t.n) {
      S_puts(c, out, " title=\"");
      S_put(c, out, t.s, t.n);
      S_putc(c, out, '"');
    }
  }
  S_putc(c, out, '>');
  S_putb(c, out, &lt);
  S_puts(c, out, "</a>");
  mtport_buf_dispose(&lt);
  mtport_buf_dispose(&tb);
}

/* ---- inline: the passes of format_inline() ---- */

/* {...} shortcuts for symbols and accented letters (entities), keyed as
 * they read after < > & were escaped. */
static const char *const S_macros[][2] = {
    {"c|", "&#162;"},      {"|c", "&#162;"},       {"L-", "&#163;"},
    {"-L", "&#163;"},      {"Y=", "&#165;"},       {"=Y", "&#165;"},
    {"(c)", "&#169;"},     {"&lt;&lt;", "&#171;"}, {"(r)", "&#174;"},
    {"+_", "&#177;"},      {"_+", "&#177;"},       {"&gt;&gt;", "&#187;"},
    {"1/4", "&#188;"},     {"1/2", "&#189;"},      {"3/4", "&#190;"},
    {"A`", "&#192;"},      {"`A", "&#192;"},       {"A'", "&#193;"},
    {"'A", "&#193;"},      {"A^", "&#194;"},       {"^A", "&#194;"},
    {"A~", "&#195;"},      {"~A", "&#195;"},       {"A\"", "&#196;"},
    {"\"A", "&#196;"},     {"Ao", "&#197;"},       {"oA", "&#197;"},
    {"AE", "&#198;"},      {"C,", "&#199;"},       {",C", "&#199;"},
    {"E`", "&#200;"},      {"`E", "&#200;"},       {"E'", "&#201;"},
    {"'E", "&#201;"},      {"E^", "&#202;"},       {"^E", "&#202;"},
    {"E\"", "&#203;"},     {"\"E", "&#203;"},      {"I`", "&#204;"},
    {"`I", "&#204;"},      {"I'", "&#205;"},       {"'I", "&#205;"},
    {"I^", "&#206;"},      {"^I", "&#206;"},       {"I\"", "&#207;"},
    {"\"I", "&#207;"},     {"D-", "&#208;"},       {"-D", "&#208;"},
    {"N~", "&#209;"},      {"~N", "&#209;"},       {"O`", "&#210;"},
    {"`O", "&#210;"},      {"O'", "&#211;"},       {"'O", "&#211;"},
    {"O^", "&#212;"},      {"^O", "&#212;"},       {"O~", "&#213;"},
    {"~O", "&#213;"},      {"O\"", "&#214;"},      {"\"O", "&#214;"},
    {"O/", "&#216;"},      {"/O", "&#216;"},       {"U`", "&#217;"},
    {"`U", "&#217;"},      {"U'", "&#218;"},       {"'U", "&#218;"},
    {"U^", "&#219;"},      {"^U", "&#219;"},       {"U\"", "&#220;"},
    {"\"U", "&#220;"},     {"Y'", "&#221;"},       {"'Y", "&#221;"},
    {"a`", "&#224;"},      {"`a", "&#224;"},       {"a'", "&#225;"},
    {"'a", "&#225;"},      {"a^", "&#226;"},       {"^a", "&#226;"},
    {"a~", "&#227;"},      {"~a", "&#227;"},       {"a\"", "&#228;"},
    {"\"a", "&#228;"},     {"ao", "&#229;"},       {"oa", "&#229;"},
    {"ae", "&#230;"},      {"c,", "&#231;"},       {",c", "&#231;"},
    {"e`", "&#232;"},      {"`e", "&#232;"},       {"e'", "&#233;"},
    {"'e", "&#233;"},      {"e^", "&#234;"},       {"^e", "&#234;"},
    {"e\"", "&#235;"},     {"\"e", "&#235;"},      {"i`", "&#236;"},
    {"`i", "&#236;"},      {"i'", "&#237;"},       {"'i", "&#237;"},
    {"i^", "&#238;"},      {"^i", "&#238;"},       {"i\"", "&#239;"},
    {"\"i", "&#239;"},     {"n~", "&#241;"},       {"~n", "&#241;"},
    {"o`", "&#242;"},      {"`o", "&#242;"},       {"o'", "&#243;"},
    {"'o", "&#243;"},      {"o^", "&#244;"},       {"^o", "&#244;"},
    {"o~", "&#245;"},      {"~o", "&#245;"},       {"o\"", "&#246;"},
    {"\"o", "&#246;"},     {":-", "&#247;"},       {"-:", "&#247;"},
    {"o/", "&#248;"},      {"/o", "&#248;"},       {"u`", "&#249;"},
    {"`u", "&#249;"},      {"u'", "&#250;"},       {"'u", "&#250;"},
    {"u^", "&#251;"},      {"^u", "&#251;"},       {"u\"", "&#252;"},
    {"\"u", "&#252;"},     {"y'", "&#253;"},       {"'y", "&#253;"},
    {"y\"", "&#255"},      {"\"y", "&#255"},       {"OE", "&#338;"},
    {"oe", "&#339;"},      {"*", "&#2022;"},       {"Fr", "&#8355;"},
    {"L=", "&#8356;"},     {"=L", "&#8356;"},      {"Rs", "&#8360;"},
    {"C=", "&#8364;"},     {"=C", "&#8364;"},      {"tm", "&#8482;"},
    {"&lt;-", "&#8592;"},  {"-&gt;", "&#8594;"},   {"&lt;=", "&#8656;"},
    {"=&gt;", "&#8658;"},  {"=/", "&#8800;"},      {"/=", "&#8800;"},
    {"&lt;_", "&#8804;"},  {"_&lt;", "&#8804;"},   {"&gt;_", "&#8805;"},
    {"_&gt;", "&#8805;"},  {":(", "&#9785;"},      {":)", "&#9786;"},
    {"spade", "&#9824;"},  {"club", "&#9827;"},    {"heart", "&#9829;"},
    {"diamond", "&#9830;"}};

typedef struct {
  S_ctx *c;
  mtport_buf a, b; /* the text and the next pass's output */
  size_t base;     /* first placeholder of this call */
  int depth;
} S_inl;

static void S_inl_swap(S_inl *x) {
  mtport_buf t = x->a;
  x->a = x->b;
  x->b = t;
  mtport_buf_clear(&x->b);
}

static void S_pass_code(S_inl *x) {
  S_ctx *c = x->c;
  S_str t = S_bstr(&x->a);
  S_codec k = {S_CACHE_INIT, S_CACHE_INIT, S_CACHE_INIT};
  for (size_t p = 0; p < t.n;) {
    S_str lang, code;
    size_t l = S_in((unsigned char)t.s[p], "[{@")
                   ? S_m_code(&k, t.s, t.n, p, &lang, &code)
                   : 0;
    if (!l) {
      S_putc(c, &x->b, t.s[p++]);
      continue;
    }
    mtport_buf h = MTPORT_BUF_INIT;
    S_format_code(c, &h, lang, code);
    S_repl(c, &x->b, h.data ? h.data : "", h.len);
    mtport_buf_dispose(&h);
    p += l;
  }
  S_inl_swap(x);
}

/* :url after an image, span or link at p (the ':'), with what may follow
 * it (@after: S_closer_after or S_ok_after); the URL's end or S_NONE. */
static int S_ok_closer(const char *s, size_t n, size_t p) {
  return S_closer_after(s, n, p) >= 0;
}
static size_t S_colon_url(const char *s, size_t n, size_t p,
                          int (*after)(const char *, size_t, size_t)) {
  if (p >= n || s[p] != ':')
    return S_NONE;
  size_t u = p + 1, d = u;
  while (d < n && S_digit((unsigned char)s[d]))
    d++;
  if (d > u && after(s, n, d))
    return d;
  return S_url_end(s, n, u, after);
}

static void S_pass_images(S_inl *x) {
  S_ctx *c = x->c;
  S_str t = S_bstr(&x->a);
  S_scan sc;
  S_scan_init(&sc, t.s, t.n);
  for (size_t p = 0; p < t.n;) {
    char pre;
    size_t o = S_in((unsigned char)t.s[p], "!{[")
                   ? S_opener(t.s, t.n, p, '!', "", &pre)
                   : S_NONE;
    size_t end = 0;
    for (int full = 1; o != S_NONE && full >= 0 && !end; full--) {
      size_t k = o + 1, a1 = 0, a2 = 0, cs = k, ce = k;
      if (full) {
        a1 = S_m_imgalign(t.s, t.n, k);
        k += a1;
        cs = k;
        k = ce = S_attr_run(c, &sc, k, 1);
        a2 = S_m_imgalign(t.s, t.n, k);
        k += a2;
      }
      while (k < t.n && S_sp((unsigned char)t.s[k]))
        k++;
      size_t ss = k;
      while (k < t.n && !S_sp((unsigned char)t.s[k]) && t.s[k] != '(' &&
             t.s[k] != '!')
        k++;
      if (k == ss)
        continue;
      const char *bang = memchr(t.s + k, '!', t.n - k);
      if (!bang)
        break;
      size_t close = (size_t)(bang - t.s);
      size_t ue = S_colon_url(t.s, t.n, close + 1, S_ok_closer);
      size_t after = ue != S_NONE ? ue : close + 1;
      int post = S_closer_after(t.s, t.n, after);
      if (post < 0)
        break;
      S_str spre = {&pre, pre ? 1 : 0}, spost = {t.s + after, (size_t)post};
      S_str src = {t.s + ss, k - ss}, extra = {t.s + k, close - k};
      S_str align = a1 ? (S_str){t.s + o + 1, a1} : (S_str){t.s + ce, a2};
      S_str url = {ue != S_NONE ? t.s + close + 2 : NULL,
                   ue != S_NONE ? ue - close - 2 : 0};
      S_str clsty = {t.s + cs, ce - cs};
      mtport_buf h = MTPORT_BUF_INIT;
      S_format_image(c, &h, spre, src, align, extra, url, ue != S_NONE, clsty,
                     spost);
      S_repl(c, &x->b, h.data ? h.data : "", h.len);
      mtport_buf_dispose(&h);
      end = after + (size_t)post;
    }
    if (end)
      p = end;
    else
      S_putc(c, &x->b, t.s[p++]);
  }
  S_scan_dispose(&sc);
  S_inl_swap(x);
}

static void S_pass_spans(S_inl *x) {
  S_ctx *c = x->c;
  S_str t = S_bstr(&x->a);
  S_scan sc;
  S_scan_init(&sc, t.s, t.n);
  for (size_t p = 0; p < t.n;) {
    char pre;
    size_t o = S_in((unsigned char)t.s[p], "%{[")
                   ? S_opener(t.s, t.n, p, '%', "", &pre)
                   : S_NONE;
    size_t end = 0;
    for (int full = 1; o != S_NONE && full >= 0 && !end; full--) {
      size_t k = o + 1, a1 = 0, a2 = 0, cs = k, ce = k;
      if (full) {
        a1 = S_m_halign(t.s, t.n, k);
        k += a1;
        cs = k;
        k = ce = S_attr_run(c, &sc, k, 0);
        a2 = S_m_halign(t.s, t.n, k);
        k += a2;
      }
      size_t ws = k;
      while (k < t.n && S_sp((unsigned char)t.s[k]))
        k++;
      if (k < t.n && t.s[k] == '%' && k > ws)
        k--; /* the text takes back one space */
      const char *pc = k < t.n ? memchr(t.s + k, '%', t.n - k) : NULL;
      if (!pc)
        break;
      size_t close = (size_t)(pc - t.s);
      if (close == k)
        continue;
      size_t ue = S_colon_url(t.s, t.n, close + 1, S_ok_closer);
      size_t after = ue != S_NONE ? ue : close + 1;
      int post = S_closer_after(t.s, t.n, after);
      if (post < 0)
        break;
      S_str spre = {&pre, pre ? 1 : 0}, spost = {t.s + after, (size_t)post};
      S_str text = {t.s + k, close - k};
      S_str align = a1 ? (S_str){t.s + o + 1, a1} : (S_str){t.s + ce, a2};
      S_str cite = {ue != S_NONE ? t.s + close + 2 : "",
                    ue != S_NONE ? ue - close - 2 : 0};
      S_str clsty = {t.s + cs, ce - cs};
      mtport_buf h = MTPORT_BUF_INIT;
      S_format_span(c, &h, spre, text, align, cite, clsty, spost, x->depth);
      S_repl(c, &x->b, h.data ? h.data : "", h.len);
      mtport_buf_dispose(&h);
      end = after + (size_t)post;
    }
    if (end)
      p = end;
    else
      S_putc(c, &x->b, t.s[p++]);
  }
  S_scan_dispose(&sc);
  S_inl_swap(x);
}

/* Replaces every @from by @to in x->a. */
static void S_pass_replace(S_inl *x, const char *from, const char *to) {
  S_str t = S_bstr(&x->a);
  size_t l = strlen(from);
  if (!t.n || !S_memmem(t.s, t.n, from, l))
    return;
  for (size_t p = 0; p < t.n;) {
    if (S_at(t.s, t.n, p, from)) {
      S_puts(x->c, &x->b, to);
      p += l;
    } else
      S_putc(x->c, &x->b, t.s[p++]);
  }
  S_inl_swap(x);
}

static void S_pass_encode(S_inl *x) {
  S_ctx *c = x->c;
  S_str t = S_bstr(&x->a);
  S_encode(c, &x->b, t.s, t.n, 0);
  S_inl_swap(x);
  S_pass_replace(x, "&amp;quot;", "&#34;");
  /* &amp;(([a-z]+|#\d+);) becomes &$1 */
  t = S_bstr(&x->a);
  if (t.n && S_memmem(t.s, t.n, "&amp;", 5)) {
    for (size_t p = 0; p < t.n;) {
      if (S_at(t.s, t.n, p, "&amp;")) {
        size_t k = p + 5;
        if (k < t.n && t.s[k] == '#') {
          k++;
          while (k < t.n && S_digit((unsigned char)t.s[k]))
            k++;
          if (k == p + 6)
            k = p + 5;
        } else
          while (k < t.n && t.s[k] >= 'a' && t.s[k] <= 'z')
            k++;
        if (k > p + 5 && k < t.n && t.s[k] == ';') {
          S_putc(c, &x->b, '&');
          S_put(c, &x->b, t.s + p + 5, k + 1 - p - 5);
          p = k + 1;
          continue;
        }
      }
      S_putc(c, &x->b, t.s[p++]);
    }
    S_inl_swap(x);
  }
  S_pass_replace(x, "&quot;", "\"");
}

/* The text and title of a "text(title)":... link whose opening quote is
 * at q0; the attributes (clsty) come first. Returns the closing quote's
 * position (or S_NONE) for the candidate number @nth in Perl's order. */
typedef struct {
  S_str clsty, text, title;
  size_t qclose;
} S_lbody;

static int S_link_bodies(S_ctx *c, S_scan *sc, size_t q0, S_lbody *cand,
                         int max) {
  const char *s = sc->s;
  size_t n = sc->n;
  char q = s[q0];
  int nc = 0;
  for (int full = 1; full >= 0 && nc < max; full--) {
    size_t k = q0 + 1, ce = k;
    if (full) {
      ce = S_attr_run(c, sc, k, 0);
      if (ce == k)
        continue; /* the same as without attributes */
    }
    k = ce;
    const char *fq = k < n ? memchr(s + k, q, n - k) : NULL;
    size_t first_q = fq ? (size_t)(fq - s) : n;
    for (size_t t = k + 1; t <= first_q && t < n && nc < max; t++) {
      if (t == first_q) {
        cand[nc].clsty.s = s + q0 + 1;
        cand[nc].clsty.n = ce - q0 - 1;
        cand[nc].text.s = s + k;
        cand[nc].text.n = t - k;
        cand[nc].title.s = NULL;
        cand[nc].title.n = 0;
        cand[nc].qclose = t;
        nc++;
        break;
      }
      if (s[t] != '(') {
        const char *np = memchr(s + t, '(', first_q - t);
        if (!np) {
          t = first_q - 1;
          continue;
        }
        t = (size_t)(np - s);
      }
      /* (title) with one level of (...) inside, then the quote */
      size_t e = t + 1;
      int ok = 0;
      while (e < n) {
        if (s[e] == ')') {
          ok = e + 1 < n && s[e + 1] == q;
          break;
        }
        if (s[e] == '(') {
          size_t f = e + 1;
          while (f < n && s[f] != ')' && s[f] != '(')
            f++;
          if (f >= n || s[f] == '(')
            break;
          e = f + 1;
          continue;
        }
        e++;
      }
      if (ok) {
        cand[nc].clsty.s = s + q0 + 1;
        cand[nc].clsty.n = ce - q0 - 1;
        cand[nc].text.s = s + k;
        cand[nc].text.n = t - k;
        cand[nc].title.s = s + t + 1;
        cand[nc].title.n = e - t - 1;
        cand[nc].qclose = e + 1;
        nc++;
      }
    }
  }
  return nc;
}

static void S_emit_link(S_inl *x, const S_lbody *b, S_str url) {
  S_ctx *c = x->c;
  mtport_buf ti = MTPORT_BUF_INIT, h = MTPORT_BUF_INIT;
  S_encode(c, &ti, b->title.s ? b->title.s : "", b->title.n, 0);
  S_format_link(c, &h, b->text, S_bstr(&ti), 1, url, b->clsty, x->depth);
  S_repl(c, &x->b, h.data ? h.data : "", h.len);
  mtport_buf_dispose(&ti);
  mtport_buf_dispose(&h);
}

#define S_LINK_CANDIDATES 8

static int S_p_bclose(const char *s, size_t n, size_t i, const void *a) {
  (void)n, (void)a;
  return s[i] == ']' || s[i] == '}';
}

/* ["text":url] and {"text":url} */
static void S_pass_blinks(S_inl *x) {
  S_ctx *c = x->c;
  S_str t = S_bstr(&x->a);
  if (!memchr(t.s, '[', t.n) && !memchr(t.s, '{', t.n))
    return;
  S_scan sc;
  S_scan_init(&sc, t.s, t.n);
  S_cache eol = S_CACHE_INIT, br = S_CACHE_INIT;
  for (size_t p = 0; p < t.n;) {
    size_t end = 0;
    if ((t.s[p] == '[' || t.s[p] == '{') && p + 1 < t.n &&
        (t.s[p + 1] == '"' || t.s[p + 1] == '\'')) {
      S_lbody cand[S_LINK_CANDIDATES];
      int nc = S_link_bodies(c, &sc, p + 1, cand, S_LINK_CANDIDATES);
      for (int i = 0; i < nc && !end; i++) {
        size_t u = cand[i].qclose + 1;
        if (u >= t.n || t.s[u] != ':')
          continue;
        size_t le = S_eol(&eol, t.s, t.n, u);
        size_t r = S_find(&br, t.s, t.n, u + 2, S_p_bclose, NULL);
        if (r == S_NONE || r >= le)
          continue;
        S_str url = {t.s + u + 1, r - u - 1};
        S_emit_link(x, &cand[i], url);
        end = r + 1;
      }
    }
    if (end)
      p = end;
    else
      S_putc(c, &x->b, t.s[p++]);
  }
  S_scan_dispose(&sc);
  S_inl_swap(x);
}

/* "text":url */
static void S_pass_links(S_inl *x) {
  S_ctx *c = x->c;
  S_str t = S_bstr(&x->a);
  if (!memchr(t.s, '"', t.n) && !memchr(t.s, '\'', t.n))
    return;
  S_scan sc;
  S_scan_init(&sc, t.s, t.n);
  for (size_t p = 0; p < t.n;) {
    size_t end = 0;
    if ((t.s[p] == '"' || t.s[p] == '\'') &&
        (p == 0 || t.s[p - 1] == '\n' || S_sp((unsigned char)t.s[p - 1]) ||
         t.s[p - 1] == '>' || t.s[p - 1] == '(')) {
      S_lbody cand[S_LINK_CANDIDATES];
      int nc = S_link_bodies(c, &sc, p, cand, S_LINK_CANDIDATES);
      for (int i = 0; i < nc && !end; i++) {
        size_t ue = S_colon_url(t.s, t.n, cand[i].qclose + 1, S_ok_after);
        if (ue == S_NONE)
          continue;
        S_str url = {t.s + cand[i].qclose + 2, ue - cand[i].qclose - 2};
        S_emit_link(x, &cand[i], url);
        end = ue;
      }
    }
    if (end)
      p = end;
    else
      S_putc(c, &x->b, t.s[p++]);
  }
  S_scan_dispose(&sc);
  S_inl_swap(x);
}

/* x[1] after a non-space: a footnote reference */
static void S_pass_footnotes(S_inl *x) {
  S_ctx *c = x->c;
  S_str t = S_bstr(&x->a);
  int any = 0;
  for (size_t p = 0; p + 3 < t.n + 1 && !any; p++)
    any = t.s[p] != ' ' && p + 1 < t.n && t.s[p + 1] == '[' && p + 2 < t.n &&
          S_digit((unsigned char)t.s[p + 2]);
  if (!any)
    return;
  for (size_t p = 0; p < t.n;) {
    if (t.s[p] != ' ' && p + 2 < t.n && t.s[p + 1] == '[' &&
        S_digit((unsigned char)t.s[p + 2])) {
      size_t k = p + 2;
      while (k < t.n && S_digit((unsigned char)t.s[k]))
        k++;
      if (k < t.n && t.s[k] == ']') {
        S_putc(c, &x->b, t.s[p]);
        S_puts(c, &x->b, "<sup class=\"footnote\"><a href=\"#fn");
        S_put(c, &x->b, t.s + p + 2, k - p - 2);
        S_puts(c, &x->b, "\">");
        S_put(c, &x->b, t.s + p + 2, k - p - 2);
        S_puts(c, &x->b, "</a></sup>");
        p = k + 1;
        continue;
      }
    }
    S_putc(c, &x->b, t.s[p++]);
  }
  S_inl_swap(x);
}

/* {macro}: a symbol from the table, or U+XXXX (Perl's charnames);
 * anything else stays as written. */
static void S_pass_macros(S_inl *x) {
  S_ctx *c = x->c;
  S_str t = S_bstr(&x->a);
  if (!memchr(t.s, '{', t.n))
    return;
  static const char close = '}';
  S_cache k = S_CACHE_INIT, eol = S_CACHE_INIT;
  for (size_t p = 0; p < t.n;) {
    if (t.s[p] == '{' && p + 2 < t.n) {
      size_t q = S_find(&k, t.s, t.n, p + 2, S_p_char, &close);
      if (q != S_NONE && q < S_eol(&eol, t.s, t.n, p + 1)) {
        S_str m = {t.s + p + 1, q - p - 1};
        const char *rep = NULL;
        char hex[24];
        for (size_t i = 0; i < sizeof S_macros / sizeof *S_macros && !rep; i++)
          if (strlen(S_macros[i][0]) == m.n &&
              memcmp(S_macros[i][0], m.s, m.n) == 0)
            rep = S_macros[i][1];
        if (!rep && m.n >= 3 && m.n <= 8 && (m.s[0] == 'U' || m.s[0] == 'u') &&
            m.s[1] == '+') {
          unsigned long v = 0;
          size_t i = 2;
          while (i < m.n && isxdigit((unsigned char)m.s[i]))
            v = v * 16 + (unsigned long)(isdigit((unsigned char)m.s[i])
                                             ? m.s[i] - '0'
                                             : (tolower((unsigned char)m.s[i]) -
                                                'a' + 10)),
            i++;
          if (i == m.n && v && v <= 0x10FFFF && !(v >= 0xD800 && v < 0xE000)) {
            snprintf(hex, sizeof hex, "&#%lu;", v);
            rep = hex;
          }
        }
        if (rep)
          S_puts(c, &x->b, rep);
        else
          S_put(c, &x->b, t.s + p, q + 1 - p);
        p = q + 1;
        continue;
      }
    }
    S_putc(c, &x->b, t.s[p++]);
  }
  S_inl_swap(x);
}

/* (TM) (C) (R), any case, ( or [ around */
static void S_pass_symbols(S_inl *x) {
  S_ctx *c = x->c;
  S_str t = S_bstr(&x->a);
  for (size_t p = 0; p < t.n;) {
    if ((t.s[p] == '(' || t.s[p] == '[') && p + 2 < t.n) {
      const char *rep = NULL;
      size_t l = 0;
      char a = (char)toupper((unsigned char)t.s[p + 1]);
      if (a == 'T' && p + 3 < t.n &&
          toupper((unsigned char)t.s[p + 2]) == 'M' &&
          (t.s[p + 3] == ')' || t.s[p + 3] == ']'))
        rep = "&#8482;", l = 4;
      else if ((a == 'C' || a == 'R') &&
               (t.s[p + 2] == ')' || t.s[p + 2] == ']'))
        rep = a == 'C' ? "&#169;" : "&#174;", l = 3;
      if (rep) {
        S_puts(c, &x->b, rep);
        p += l;
        continue;
      }
    }
    S_putc(c, &x->b, t.s[p++]);
  }
  S_inl_swap(x);
}

/* ---- phrase marks: *strong* _em_ **b** __i__ ??cite?? -del- +ins+
 * ++big++ --small-- ~sub~ ---- */

typedef struct {
  const char *mark, *tag;
  char ch;           /* the mark's character */
  int behind;        /* the mark may not follow its character */
  const char *ahead; /* characters the mark may not precede */
} S_qtag;

static const S_qtag S_qtags[] = {
    {"**", "b", '*', 1, "*"},     {"__", "i", '_', 1, "_"},
    {"??", "cite", '?', 0, "?"},  {"*", "strong", '*', 1, "*"},
    {"_", "em", '_', 1, "_"},     {"-", "del", '-', 1, "-"},
    {"+", "ins", '+', 1, "+"},    {"++", "big", '+', 1, "+"},
    {"--", "small", '-', 1, "-"}, {"~", "sub", '~', 1, "\\/~"}};

static int S_qmark(const S_qtag *q, const char *s, size_t n, size_t i) {
  size_t l = strlen(q->mark);
  if (!S_at(s, n, i, q->mark))
    return 0;
  if (q->behind && i > 0 && s[i - 1] == q->ch)
    return 0;
  return !(i + l < n && S_in((unsigned char)s[i + l], q->ahead));
}

static int S_p_qclose(const char *s, size_t n, size_t i, const void *a) {
  const S_qtag *q = a;
  return i > 0 && !S_sp((unsigned char)s[i - 1]) && S_qmark(q, s, n, i) &&
         S_closer_after(s, n, i + strlen(q->mark)) >= 0;
}

/* One pass of one mark; returns whether it changed the text. */
static int S_pass_qtag(S_inl *x, const S_qtag *q) {
  S_ctx *c = x->c;
  S_str t = S_bstr(&x->a);
  size_t ml = strlen(q->mark);
  if (!S_memmem(t.s, t.n, q->mark, ml))
    return 0;
  S_scan sc;
  S_scan_init(&sc, t.s, t.n);
  S_cache closer = S_CACHE_INIT, eol = S_CACHE_INIT;
  int changed = 0;
  for (size_t p = 0; p < t.n;) {
    size_t o = S_NONE, end = 0;
    char pre = 0;
    if (S_qmark(q, t.s, t.n, p) && (p == 0 || S_sp((unsigned char)t.s[p - 1]) ||
                                    S_in((unsigned char)t.s[p - 1], ">'\"")))
      o = p;
    else if ((t.s[p] == '[' || t.s[p] == '{') && S_qmark(q, t.s, t.n, p + 1))
      o = p + 1, pre = t.s[p];
    for (int full = 1; o != S_NONE && full >= 0 && !end; full--) {
      size_t cs = o + ml, ce = full ? S_attr_run(c, &sc, cs, 0) : cs;
      if (full && ce == cs)
        continue;
      size_t c0 = ce;
      if (c0 >= t.n || t.s[c0] == q->ch || S_sp((unsigned char)t.s[c0]))
        continue;
      size_t qc = S_find(&closer, t.s, t.n, c0 + 1, S_p_qclose, q);
      if (qc == S_NONE || qc > S_eol(&eol, t.s, t.n, c0))
        continue;
      int post = S_closer_after(t.s, t.n, qc + ml);
      S_str spre = {&pre, pre ? 1 : 0}, spost = {t.s + qc + ml, (size_t)post};
      S_strip_borders(&spre, &spost);
      S_put(c, &x->b, spre.s, spre.n);
      S_putc(c, &x->b, '<');
      S_puts(c, &x->b, q->tag);
      S_classstyle(c, &x->b, t.s + cs, ce - cs, "", 0, "", 0);
      S_putc(c, &x->b, '>');
      S_put(c, &x->b, t.s + c0, qc - c0);
      S_puts(c, &x->b, "</");
      S_puts(c, &x->b, q->tag);
      S_putc(c, &x->b, '>');
      S_put(c, &x->b, spost.s, spost.n);
      end = qc + ml + (size_t)post;
      changed = 1;
    }
    if (end)
      p = end;
    else
      S_putc(c, &x->b, t.s[p++]);
  }
  S_scan_dispose(&sc);
  if (changed)
    S_inl_swap(x);
  else
    mtport_buf_clear(&x->b);
  return changed;
}

static int S_p_sup_close(const char *s, size_t n, size_t i, const void *a) {
  (void)a;
  return s[i] == '^' && i > 0 && s[i - 1] != '^' &&
         !(i + 1 < n && s[i + 1] == '^');
}

/* ^superscript^ : anywhere, on one line */
static void S_pass_sup(S_inl *x) {
  S_ctx *c = x->c;
  S_str t = S_bstr(&x->a);
  if (!memchr(t.s, '^', t.n))
    return;
  S_cache closer = S_CACHE_INIT, eol = S_CACHE_INIT;
  for (size_t p = 0; p < t.n;) {
    if (t.s[p] == '^' && !(p > 0 && t.s[p - 1] == '^') && p + 1 < t.n &&
        t.s[p + 1] != '^') {
      size_t q = S_find(&closer, t.s, t.n, p + 2, S_p_sup_close, NULL);
      if (q != S_NONE && q < S_eol(&eol, t.s, t.n, p + 1)) {
        S_puts(c, &x->b, "<sup>");
        S_put(c, &x->b, t.s + p + 1, q - p - 1);
        S_puts(c, &x->b, "</sup>");
        p = q + 1;
        continue;
      }
    }
    S_putc(c, &x->b, t.s[p++]);
  }
  S_inl_swap(x);
}

/* ABC(title) : an acronym */
static void S_pass_acronyms(S_inl *x) {
  S_ctx *c = x->c;
  S_str t = S_bstr(&x->a);
  static const char rp = ')';
  S_cache close = S_CACHE_INIT;
  for (size_t p = 0; p < t.n;) {
    if (S_upper((unsigned char)t.s[p]) &&
        (p == 0 || !S_w((unsigned char)t.s[p - 1]))) {
      size_t e = p;
      while (e < t.n && S_alnum((unsigned char)t.s[e]))
        e++;
      if (e - p >= 2 && e < t.n && t.s[e] == '(' &&
          (S_upper((unsigned char)t.s[e - 1]) ||
           S_digit((unsigned char)t.s[e - 1]))) {
        size_t q = S_find(&close, t.s, t.n, e + 1, S_p_char, &rp);
        if (q != S_NONE) {
          mtport_buf h = MTPORT_BUF_INIT;
          S_puts(c, &h, "<acronym title=\"");
          S_encode(c, &h, t.s + e + 1, q - e - 1, 0);
          S_puts(c, &h, "\">");
          S_put(c, &h, t.s + p, e - p);
          S_puts(c, &h, "</acronym>");
          S_repl(c, &x->b, h.data, h.len);
          mtport_buf_dispose(&h);
          p = q + 1;
          continue;
        }
      }
      /* the rest of this word cannot start one */
      S_put(c, &x->b, t.s + p, e > p ? e - p : 1);
      p = e > p ? e : p + 1;
      continue;
    }
    S_putc(c, &x->b, t.s[p++]);
  }
  S_inl_swap(x);
}

/* A unit of a word in capitals: [A-Z0-9.,'] or &amp; ; its length. */
static size_t S_caps_unit(const char *s, size_t n, size_t i) {
  if (i < n && (S_upper((unsigned char)s[i]) || S_digit((unsigned char)s[i]) ||
                S_in((unsigned char)s[i], ".,'")))
    return 1;
  return S_at(s, n, i, "&amp;") ? 5 : 0;
}

/* Capitals (three or more) after a line start or a space: <span
 * class="caps">. Returns the end of the capitals from b, or S_NONE. */
static size_t S_caps_end(const char *s, size_t n, size_t b) {
  size_t pos = b;
  for (int first = 1;; first = 0) {
    if (pos >= n || !S_upper((unsigned char)s[pos]))
      return first ? S_NONE : pos;
    size_t k = pos + 1, units = 0, u;
    while ((u = S_caps_unit(s, n, k)) != 0)
      k += u, units++;
    if (units < 2)
      return S_NONE; /* only a first group fails: later ones were checked */
    size_t sp = k;
    while (sp < n && s[sp] == ' ')
      sp++;
    if (sp >= n || !(S_upper((unsigned char)s[sp]) ||
                     S_digit((unsigned char)s[sp]) || s[sp] == '.'))
      return sp;
    /* another group may follow; else one space is given back */
    size_t k2 = sp + 1, u2 = 0;
    if (S_upper((unsigned char)s[sp]))
      while ((u = S_caps_unit(s, n, k2)) != 0 && u2 < 2)
        k2 += u, u2++;
    if (u2 < 2)
      return sp - 1;
    pos = sp;
  }
}

static void S_pass_caps(S_inl *x) {
  S_ctx *c = x->c;
  S_str t = S_bstr(&x->a);
  for (size_t p = 0; p < t.n;) {
    size_t b = S_NONE, e = S_NONE;
    if ((p == 0 || t.s[p - 1] == '\n') &&
        (e = S_caps_end(t.s, t.n, p)) != S_NONE)
      b = p;
    else if (t.s[p] != '"' && p + 1 < t.n &&
             (t.s[p + 1] == '>' || S_sp((unsigned char)t.s[p + 1])) &&
             (e = S_caps_end(t.s, t.n, p + 2)) != S_NONE)
      b = p + 2;
    if (b == S_NONE) {
      S_putc(c, &x->b, t.s[p++]);
      continue;
    }
    S_put(c, &x->b, t.s + p, b - p);
    mtport_buf h = MTPORT_BUF_INIT;
    S_puts(c, &h, "<span class=\"caps\">");
    S_put(c, &h, t.s + b, e - b);
    S_puts(c, &h, "</span>");
    S_repl(c, &x->b, h.data, h.len);
    mtport_buf_dispose(&h);
    p = e;
  }
  S_inl_swap(x);
}

/* 3x4, 3 x 4, 5'x6' : a multiplication sign */
static void S_pass_times(S_inl *x) {
  S_ctx *c = x->c;
  S_str t = S_bstr(&x->a);
  if (!memchr(t.s, 'x', t.n))
    return;
  const char *s = t.s;
  size_t n = t.n;
  for (size_t p = 0; p < n;) {
    size_t left = 0;
    for (int alt = 0; alt < 3 && !left; alt++) {
      size_t l = 0;
      if (alt == 0 && p + 1 < n &&
          (S_digit((unsigned char)s[p]) || s[p] == '.') && s[p + 1] == '0')
        l = 2;
      else if (alt == 1 && s[p] >= '1' && s[p] <= '9')
        l = 1;
      else if (alt == 2 && p + 1 < n && S_digit((unsigned char)s[p]) &&
               (s[p + 1] == '\'' || s[p + 1] == '"'))
        l = 2;
      if (!l)
        continue;
      /* then " ?x ?\d" */
      for (int sp1 = 1; sp1 >= 0 && !left; sp1--) {
        size_t k = p + l;
        if (sp1) {
          if (k >= n || s[k] != ' ')
            continue;
          k++;
        }
        if (k >= n || s[k] != 'x')
          continue;
        size_t r = k + 1;
        if (r < n && s[r] == ' ' && r + 1 < n &&
            S_digit((unsigned char)s[r + 1]))
          r += 2;
        else if (r < n && S_digit((unsigned char)s[r]))
          r += 1;
        else
          continue;
        S_put(c, &x->b, s + p, k - p);
        S_puts(c, &x->b, "&#215;");
        S_put(c, &x->b, s + k + 1, r - k - 1);
        left = r;
      }
    }
    if (left)
      p = left;
    else
      S_putc(c, &x->b, s[p++]);
  }
  S_inl_swap(x);
}

/* format_inline(): the phrase-level markup of one run of text */
static void S_format_inline(S_ctx *c, mtport_buf *out, const char *s, size_t n,
                            int depth) {
  S_inl x = {c, MTPORT_BUF_INIT, MTPORT_BUF_INIT, c->nrep, depth};
  S_put(c, &x.a, s, n);
  S_pass_code(&x);
  S_pass_images(&x);
  S_pass_spans(&x);
  S_pass_encode(&x);
  S_pass_blinks(&x);
  S_pass_links(&x);
  S_pass_footnotes(&x);
  S_pass_macros(&x);
  S_pass_symbols(&x);
  S_str t = S_bstr(&x.a);
  int redo = 0;
  for (size_t i = 0; i < t.n && !redo; i++)
    redo = S_in((unsigned char)t.s[i], "*_?-+^~");
  for (int round = 0; redo && round < S_MAX_ROUNDS && !c->err; round++) {
    redo = 0;
    for (size_t k = 0; k < sizeof S_qtags / sizeof *S_qtags; k++)
      redo |= S_pass_qtag(&x, &S_qtags[k]);
  }
  S_pass_sup(&x);
  S_pass_acronyms(&x);
  S_pass_caps(&x);
  S_pass_times(&x);
  static const char *const win[][2] = {
      {"&#133;", "&#8230;"}, {"&#145;", "&#8216;"}, {"&#146;", "&#8217;"},
      {"&#147;", "&#8220;"}, {"&#148;", "&#8221;"}, {"&#150;", "&#8211;"},
      {"&#151;", "&#8212;"}};
  for (size_t k = 0; k < sizeof win / sizeof *win; k++)
    S_pass_replace(&x, win[k][0], win[k][1]);
  t = S_bstr(&x.a);
  S_restore(c, out, t.s, t.n, x.base);
  mtport_buf_dispose(&x.a);
  mtport_buf_dispose(&x.b);
}

/* ---- format_paragraph(): ==raw==, tags apart, line breaks, quotes ---- */

static int S_p_eqclose(const char *s, size_t n, size_t i, const void *a) {
  (void)a;
  return S_at(s, n, i, "==") && S_closer_after(s, n, i + 2) >= 0;
}

/* format_block() for ==text== : pre and post kept unless they bracket it,
 * filters named |f| at the start dropped (MT passed none that worked),
 * and an opening <p ...> and a closing </p> taken off. */
static void S_format_block_inline(S_ctx *c, mtport_buf *out, S_str pre,
                                  S_str text, S_str post) {
  S_strip_borders(&pre, &post);
  if (text.n && text.s[0] == '|') {
    size_t k = 0;
    for (;;) {
      size_t j = k + 1;
      while (j < text.n && (isalnum((unsigned char)text.s[j])
                                ? !isupper((unsigned char)text.s[j])
                                : (text.s[j] == '_' || text.s[j] == '-')))
        j++;
      if (j == k + 1 || j >= text.n || text.s[j] != '|')
        break;
      k = j;
    }
    text.s += k, text.n -= k;
  }
  size_t a = 0;
  while (a < text.n && S_sp((unsigned char)text.s[a]))
    a++;
  if (a + 1 < text.n && text.s[a] == '<' && text.s[a + 1] == 'p') {
    const char *g = memchr(text.s + a, '>', text.n - a);
    if (g) {
      text.n -= (size_t)(g + 1 - text.s);
      text.s = g + 1;
    }
  }
  size_t e = text.n;
  while (e && S_sp((unsigned char)text.s[e - 1]))
    e--;
  if (e >= 4 && memcmp(text.s + e - 4, "</p>", 4) == 0)
    text.n = e - 4;
  S_put(c, out, pre.s, pre.n);
  S_put(c, out, text.s, text.n);
  S_put(c, out, post.s, post.n);
}

/* ==raw== inside a paragraph (or a bc. block): kept aside as written. */
static void S_pass_eqraw(S_ctx *c, mtport_buf *out, const char *s, size_t n) {
  S_cache closer = S_CACHE_INIT;
  for (size_t p = 0; p < n;) {
    char pre;
    size_t o = S_NONE;
    if (S_at(s, n, p, "==") &&
        (p == 0 || S_sp((unsigned char)s[p - 1]) || s[p - 1] == '>'))
      o = p, pre = 0;
    else if ((s[p] == '[' || s[p] == '{') && S_at(s, n, p + 1, "=="))
      o = p + 1, pre = s[p];
    if (o != S_NONE && o + 3 <= n) {
      size_t q = S_find(&closer, s, n, o + 3, S_p_eqclose, NULL);
      if (q != S_NONE) {
        int post = S_closer_after(s, n, q + 2);
        S_str spre = {&pre, pre ? 1 : 0}, spost = {s + q + 2, (size_t)post};
        S_str text = {s + o + 2, q - o - 2};
        mtport_buf h = MTPORT_BUF_INIT;
        S_format_block_inline(c, &h, spre, text, spost);
        S_repl(c, out, h.data ? h.data : "", h.len);
        mtport_buf_dispose(&h);
        p = q + 2 + (size_t)post;
        continue;
      }
    }
    S_putc(c, out, s[p++]);
  }
}

/* A tag as format_paragraph's tokenizer sees it at s[i] (names required,
 * six levels of nested tags, placeholders count as tags); its end or 0. */
static size_t S_tag_end(const char *s, size_t n, size_t i) {
  int depth = 0;
  size_t k = i;
  while (k < n) {
    if (s[k] == '<') {
      size_t pl = S_ph(s, n, k, NULL);
      if (pl) {
        if (depth == 0)
          return k + pl;
        k += pl;
        continue;
      }
      size_t j = k + 1;
      if (j < n && s[j] == '/')
        j++;
      if (j >= n || !(S_alnum((unsigned char)s[j]) || s[j] == ':'))
        return 0;
      if (++depth > 6)
        return 0;
      k = j + 1;
      continue;
    }
    if (s[k] == '>' && --depth == 0)
      return k + 1;
    k++;
  }
  return 0;
}

static int S_p_comment_close(const char *s, size_t n, size_t i, const void *a) {
  (void)a;
  if (!(s[i] == '-' && i + 1 < n && s[i + 1] == '-'))
    return 0;
  size_t k = i + 2;
  while (k < n && S_sp((unsigned char)s[k]))
    k++;
  return k < n && s[k] == '>';
}
static int S_p_pi_close(const char *s, size_t n, size_t i, const void *a) {
  return s[i] == *(const char *)a && i + 1 < n && s[i + 1] == '>';
}

typedef struct {
  S_cache comment, pi, asp;
  S_codec code;
} S_tokc;

/* The token at s[p]: returns its end (0 when s[p] starts none); *text set
 * for a code span, which stays text. */
static size_t S_token(S_tokc *k, const char *s, size_t n, size_t p, int *text) {
  *text = 0;
  if (s[p] == '<') {
    if (S_at(s, n, p, "<!--")) {
      size_t q = S_find(&k->comment, s, n, p + 4, S_p_comment_close, NULL);
      if (q != S_NONE) {
        while (s[q] != '>')
          q++;
        return q + 1;
      }
    }
    if (p + 1 < n && (s[p + 1] == '?' || s[p + 1] == '%')) {
      const char *ch = s[p + 1] == '?' ? "?" : "%";
      size_t q = S_find(s[p + 1] == '?' ? &k->pi : &k->asp, s, n, p + 2,
                        S_p_pi_close, ch);
      if (q != S_NONE)
        return q + 2;
    }
    return S_tag_end(s, n, p);
  }
  if (s[p] == '[' || s[p] == '{' || s[p] == '@') {
    S_str lang, code;
    size_t l = S_m_code(&k->code, s, n, p, &lang, &code);
    if (l) {
      *text = 1;
      return p + l;
    }
  }
  return 0;
}

/* <(/?(h[1-6]|p|pre|div|table|t[rdh]|[ou]l|li|block(quote|code)|form|
 * input|select|option|textarea)[ >]|!--) anywhere in s */
static int S_has_blocktag(const char *s, size_t n) {
  static const char *const names[] = {
      "h1",   "h2",    "h3",     "h4",     "h5",         "h6",
      "p",    "pre",   "div",    "table",  "tr",         "td",
      "th",   "ol",    "ul",     "li",     "blockquote", "blockcode",
      "form", "input", "select", "option", "textarea",   NULL};
  for (const char *q = memchr(s, '<', n); q;
       q = memchr(q + 1, '<', n - (size_t)(q + 1 - s))) {
    size_t i = (size_t)(q - s) + 1;
    if (S_at(s, n, i, "!--"))
      return 1;
    if (i < n && s[i] == '/')
      i++;
    for (int k = 0; names[k]; k++) {
      size_t l = strlen(names[k]);
      if (S_at(s, n, i, names[k]) && i + l < n &&
          (s[i + l] == ' ' || s[i + l] == '>'))
        return 1;
    }
    if ((size_t)(q - s) + 1 >= n)
      break;
  }
  return 0;
}

/* Lines that hold text get <br /> between them (Textile 2's line breaks);
 * a line of block markup, or of images alone, does not. */
static void S_line_breaks(S_ctx *c, mtport_buf *out, const char *s, size_t n) {
  size_t end = n;
  while (end && s[end - 1] == '\n') /* split drops trailing empty lines */
    end--;
  int needs = 0;
  size_t start = out->len;
  for (size_t i = 0; i < end;) {
    const char *nl = memchr(s + i, '\n', end - i);
    size_t le = nl ? (size_t)(nl - s) : end;
    const char *l = s + i;
    size_t ln = le - i;
    int plain = !S_has_blocktag(l, ln);
    if (plain) {
      int text = ln && l[0] != '<';
      for (size_t k = 0; k + 1 < ln && !text; k++)
        text = l[k] == '>' && l[k + 1] != '<';
      plain = text || !S_memmem(l, ln, "<img ", 5);
    }
    if (needs)
      S_puts(c, out, "<br />\n");
    else if (out->len > start)
      S_putc(c, out, '\n');
    needs = plain;
    S_put(c, out, l, ln);
    i = le + 1;
  }
}

static void S_format_paragraph(S_ctx *c, mtport_buf *out, const char *s,
                               size_t n, int depth) {
  if (depth > S_MAX_DEPTH || c->err) {
    S_encode(c, out, s, n, 0);
    return;
  }
  size_t base = c->nrep;
  mtport_buf a = MTPORT_BUF_INIT, b = MTPORT_BUF_INIT, d = MTPORT_BUF_INIT;
  S_pass_eqraw(c, &a, s, n);
  S_str t = S_bstr(&a);
  if (!memchr(t.s, '<', t.n))
    S_format_inline(c, &b, t.s, t.n, depth);
  else {
    S_tokc k = {S_CACHE_INIT,
                S_CACHE_INIT,
                S_CACHE_INIT,
                {S_CACHE_INIT, S_CACHE_INIT, S_CACHE_INIT}};
    size_t run = 0;
    for (size_t p = 0; p < t.n;) {
      int text;
      size_t e = S_token(&k, t.s, t.n, p, &text);
      if (!e) {
        p++;
        continue;
      }
      if (p > run)
        S_format_inline(c, &b, t.s + run, p - run, depth);
      if (text)
        S_format_inline(c, &b, t.s + p, e - p, depth);
      else
        for (size_t i = p; i < e; i++) {
          if (t.s[i] == '&' && !S_at(t.s, t.n, i + 1, "amp;"))
            S_puts(c, &b, "&amp;");
          else
            S_putc(c, &b, t.s[i] == '\n' ? S_HIDDEN_NL : t.s[i]);
        }
      p = run = e;
    }
    if (run < t.n)
      S_format_inline(c, &b, t.s + run, t.n - run, depth);
  }
  t = S_bstr(&b);
  S_line_breaks(c, &d, t.s, t.n);
  for (size_t i = 0; i < d.len; i++)
    if (d.data[i] == S_HIDDEN_NL)
      d.data[i] = '\n';
  mtport_buf_clear(&a);
  t = S_bstr(&d);
  S_restore(c, &a, t.s, t.n, base);
  if (!c->err && mtport__smartypants(out, a.data ? a.data : "", a.len))
    c->err = MTPORT_ENOMEM;
  mtport_buf_dispose(&a);
  mtport_buf_dispose(&b);
  mtport_buf_dispose(&d);
}

/* ---- lists ---- */

/* Pieces of $clstypadre or $halignre from i; returns the end, with the
 * first run of each kind in *cls / *al (for format_classstyle). */
static size_t S_param_run(S_ctx *c, S_scan *sc, size_t i, S_str *cls) {
  size_t first = S_NONE, last = S_NONE;
  int broken = 0;
  for (;;) {
    size_t l = S_m_clstypad(c, sc, i);
    if (l) {
      if (first == S_NONE)
        first = i;
      if (!broken || last == i)
        last = i + l;
      i += l;
      continue;
    }
    l = S_m_halign(sc->s, sc->n, i);
    if (!l)
      break;
    if (first != S_NONE)
      broken = 1;
    i += l;
  }
  cls->s = first == S_NONE ? NULL : sc->s + first;
  cls->n = first == S_NONE ? 0 : last - first;
  return i;
}

/* A list item line: attributes, *#**, attributes, a space, text. */
static int S_list_line(S_ctx *c, const char *l, size_t ln, S_str *block_cls,
                       S_str *item_cls, S_str *marks, S_str *text) {
  S_scan sc;
  S_scan_init(&sc, l, ln);
  int ok = 0;
  size_t k = S_param_run(c, &sc, 0, block_cls);
  size_t m = k;
  while (m < ln && (l[m] == '*' || l[m] == '#'))
    m++;
  if (m > k) {
    for (int full = 1; full >= 0 && !ok; full--) {
      S_str ic = {NULL, 0};
      size_t e = full ? S_param_run(c, &sc, m, &ic) : m;
      if (e + 1 < ln && l[e] == ' ') {
        *item_cls = ic;
        marks->s = l + k;
        marks->n = m - k;
        text->s = l + e + 1;
        text->n = ln - e - 1;
        ok = 1;
      }
    }
  }
  S_scan_dispose(&sc);
  return ok;
}

static void S_flush_item(S_ctx *c, mtport_buf *out, mtport_buf *item) {
  for (size_t i = 0; i < item->len; i++) {
    if (item->data[i] == '\n')
      S_puts(c, out, "<br />");
    S_putc(c, out, item->data[i]);
  }
  mtport_buf_clear(item);
}

static void S_format_list(S_ctx *c, mtport_buf *out, const char *s, size_t n,
                          int depth) {
  mtport_buf item = MTPORT_BUF_INIT, stack = MTPORT_BUF_INIT;
  size_t last = 0;
  size_t end = n;
  while (end && s[end - 1] == '\n')
    end--;
  for (size_t i = 0; i < end && !c->err;) {
    const char *nl = memchr(s + i, '\n', end - i);
    size_t le = nl ? (size_t)(nl - s) : end;
    S_str bc, ic, marks, text = {s + i, le - i};
    if (S_list_line(c, s + i, le - i, &bc, &ic, &marks, &text)) {
      S_flush_item(c, out, &item);
      char type = marks.s[0];
      const char *tag = type == '#' ? "ol" : "ul";
      size_t d = marks.n;
      mtport_buf ia = MTPORT_BUF_INIT;
      if (ic.n)
        S_classstyle(c, &ia, ic.s, ic.n, "", 0, "", 0);
      if (d > last) {
        mtport_buf ba = MTPORT_BUF_INIT;
        if (bc.n)
          S_classstyle(c, &ba, bc.s, bc.n, "", 0, "", 0);
        for (size_t j = last; j < d && !c->err; j++) {
          S_putc(c, out, '<');
          S_puts(c, out, tag);
          S_putb(c, out, &ba);
          S_puts(c, out, ">\n<li");
          S_putb(c, out, &ia);
          S_putc(c, out, '>');
          S_putc(c, &stack, type);
        }
        mtport_buf_dispose(&ba);
      } else if (d < last) {
        for (size_t j = d; j < last && !c->err; j++) {
          if (j == d)
            S_puts(c, out, "</li>\n");
          char t = stack.len ? stack.data[--stack.len] : '*';
          S_puts(c, out, t == '#' ? "</ol>\n</li>\n" : "</ul>\n</li>\n");
        }
        S_puts(c, out, "<li");
        S_putb(c, out, &ia);
        S_putc(c, out, '>');
      } else {
        S_puts(c, out, "</li>\n<li");
        S_putb(c, out, &ia);
        S_putc(c, out, '>');
      }
      mtport_buf_dispose(&ia);
      last = d;
    }
    if (item.len)
      S_putc(c, &item, '\n');
    S_format_paragraph(c, &item, text.s, text.n, depth + 1);
    i = le + 1;
  }
  S_flush_item(c, out, &item);
  for (size_t j = 1; j <= last && !c->err; j++) {
    if (j == 1)
      S_puts(c, out, "</li>");
    char t = stack.len ? stack.data[--stack.len] : '*';
    S_puts(c, out, t == '#' ? "\n</ol>" : "\n</ul>");
    if (j != last)
      S_puts(c, out, "</li>");
  }
  mtport_buf_dispose(&item);
  mtport_buf_dispose(&stack);
}

/* ^(?:$halignre|$clstypadre*)*[*#](?:$halignre|$clstypadre*)*\  : a list */
static int S_is_list(S_ctx *c, const char *s, size_t n) {
  S_scan sc;
  S_scan_init(&sc, s, n);
  S_str dummy;
  size_t k = S_param_run(c, &sc, 0, &dummy);
  int ok = 0;
  if (k < n && (s[k] == '*' || s[k] == '#')) {
    size_t e = S_param_run(c, &sc, k + 1, &dummy);
    ok = (e < n && s[e] == ' ') || (k + 1 < n && s[k + 1] == ' ');
  }
  S_scan_dispose(&sc);
  return ok;
}

/* ---- tables ---- */

/* One cell's parameters "_. ", "\2. ", "/3. ", "{style}. ", "(cls). ",
 * "<. " ...; returns the length of the prefix (with the ". "), or 0. */
static size_t S_cell_params(S_ctx *c, const char *s, size_t n) {
  S_scan sc;
  S_scan_init(&sc, s, n);
  size_t k = 0;
  for (;;) {
    size_t l = 0;
    if (k < n && s[k] == '_')
      l = 1;
    else if (k + 1 < n && (s[k] == '/' || s[k] == '\\') &&
             S_digit((unsigned char)s[k + 1])) {
      l = 2;
      while (k + l < n && S_digit((unsigned char)s[k + l]))
        l++;
    } else {
      size_t a = S_m_align(s, n, k);
      l = a > 1 ? a - 1 : 0;
      if (!l)
        l = S_m_clstypad(c, &sc, k);
    }
    if (!l)
      break;
    k += l;
  }
  S_scan_dispose(&sc);
  return S_at(s, n, k, ". ") ? k + 2 : 0;
}

/* The first "{...}" (not empty) in @s: its inside in *out; 1 when found. */
static int S_first_style(const char *s, size_t n, S_str *out) {
  for (size_t i = 0; i < n; i++)
    if (s[i] == '{' && i + 2 <= n) {
      const char *e = memchr(s + i + 1, '}', n - i - 1);
      if (e && e > s + i + 1) {
        out->s = s + i + 1;
        out->n = (size_t)(e - s) - i - 1;
        return 1;
      }
    }
  return 0;
}

typedef struct {
  mtport_buf attrs;    /* _ and alignment marks, in order */
  mtport_buf style;    /* {...} */
  S_str cls, id, lang; /* into the cell */
  size_t padl, padr, colspan, rowspan;
  int has_span;
} S_cellp;

static void S_cell_parse(S_ctx *c, const char *p, size_t n, S_cellp *cp) {
  S_scan sc;
  S_scan_init(&sc, p, n);
  size_t k = 0;
  for (;;) {
    if (k < n && p[k] == '_') {
      S_putc(c, &cp->attrs, '_');
      k++;
      continue;
    }
    size_t a = S_m_align(p, n, k);
    if (a > 1) {
      S_put(c, &cp->attrs, p + k, a - 1);
      k += a - 1;
      continue;
    }
    size_t l = S_m_clstypad(c, &sc, k);
    if (l) {
      const char *q = p + k;
      S_str st, cl, id;
      if (S_first_style(q, l, &st)) {
        mtport_buf_clear(&cp->style);
        S_put(c, &cp->style, st.s, st.n);
      } else if (S_find_classid(q, l, &cl, &id) && (cl.n || id.n)) {
        cp->cls = cl;
        cp->id = id;
      } else if (q[0] == '(')
        cp->padl = 1;
      else if (q[0] == ')')
        cp->padr = 1;
      else if (q[0] == '[' && l > 2) {
        cp->lang.s = q + 1;
        cp->lang.n = l - 2;
      }
      k += l;
      continue;
    }
    if (k + 1 < n && p[k] == '\\' && S_digit((unsigned char)p[k + 1])) {
      size_t e = k + 1, v = 0;
      while (e < n && S_digit((unsigned char)p[e]))
        v = v < 100000 ? v * 10 + (size_t)(p[e] - '0') : v, e++;
      cp->colspan = v;
      k = e;
      if (v)
        continue;
      break;
    }
    const char *sl = k < n ? memchr(p + k, '/', n - k) : NULL;
    if (sl && sl + 1 < p + n && S_digit((unsigned char)sl[1])) {
      size_t e = (size_t)(sl - p) + 1, v = 0, d = 0;
      while (e < n && S_digit((unsigned char)p[e]))
        v = v < 100000 ? v * 10 + (size_t)(p[e] - '0') : v, e++, d++;
      if (v)
        cp->rowspan = v, cp->has_span = 1;
      k += d + 1;
      if (v)
        continue;
    }
    break;
  }
  S_scan_dispose(&sc);
}

/* Appends a finished cell to the row's cells (offset, length pairs). */
static void S_cell_push(S_ctx *c, mtport_buf *cells, size_t **spans, size_t *n,
                        size_t *cap, const mtport_buf *cell) {
  if (*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 16;
    size_t *v = realloc(*spans, nc * 2 * sizeof *v);
    if (!v) {
      c->err = MTPORT_ENOMEM;
      return;
    }
    *spans = v;
    *cap = nc;
  }
  (*spans)[2 * *n] = cells->len;
  (*spans)[2 * *n + 1] = cell->len;
  (*n)++;
  S_putb(c, cells, cell);
}

static void S_format_table(S_ctx *c, mtport_buf *out, const char *s, size_t n,
                           int depth, int *failed) {
  *failed = 0;
  /* rows: lines that do not end with '|' join the next one */
  size_t end = n;
  while (end && s[end - 1] == '\n')
    end--;
  size_t *rs = NULL, nr = 0, cap = 0, start = 0;
  for (size_t i = 0; i < end;) {
    const char *nl = memchr(s + i, '\n', end - i);
    size_t le = nl ? (size_t)(nl - s) : end;
    size_t t = le;
    while (t > i && S_sp((unsigned char)s[t - 1]))
      t--;
    int closes = t > i && s[t - 1] == '|';
    if (closes || le == end) {
      if (nr + 2 > cap) {
        cap = cap ? cap * 2 : 32;
        size_t *v = realloc(rs, cap * sizeof *v);
        if (!v) {
          c->err = MTPORT_ENOMEM;
          free(rs);
          return;
        }
        rs = v;
      }
      rs[nr++] = start;
      rs[nr++] = le;
      start = le + 1;
    }
    i = le + 1;
  }
  if (!nr) {
    free(rs);
    *failed = 1;
    return;
  }
  /* table(class){style}[lang]<. : the table's own parameters */
  mtport_buf tclass = MTPORT_BUF_INIT, tstyle = MTPORT_BUF_INIT,
             talign = MTPORT_BUF_INIT;
  S_str tid = {NULL, 0}, tlang = {NULL, 0};
  size_t tpadl = 0, tpadr = 0;
  size_t r0 = rs[0];
  mtport_buf first = MTPORT_BUF_INIT;
  if (S_at(s, rs[1], r0, "table") && r0 + 5 < rs[1] && s[r0 + 5] != '.') {
    S_scan sc;
    S_scan_init(&sc, s + r0, rs[1] - r0);
    size_t k = 5, rn = rs[1] - r0;
    const char *row = s + r0;
    for (;;) {
      if (k < rn && S_in((unsigned char)row[k], "<>=")) {
        S_putc(c, &talign, row[k++]);
        continue;
      }
      size_t l = S_m_clstypad(c, &sc, k);
      if (!l)
        break;
      S_str st, cl, id;
      if (S_first_style(row + k, l, &st)) {
        mtport_buf_clear(&tstyle);
        S_put(c, &tstyle, st.s, st.n);
      } else if (S_find_classid(row + k, l, &cl, &id) && (cl.n || id.n)) {
        mtport_buf_clear(&tclass);
        S_put(c, &tclass, cl.s, cl.n);
        tid = id;
      } else if (row[k] == '(')
        tpadl = 1;
      else if (row[k] == ')')
        tpadr = 1;
      else if (row[k] == '[' && l > 2) {
        tlang.s = row + k + 1;
        tlang.n = l - 2;
      }
      k += l;
    }
    S_scan_dispose(&sc);
    /* the first ". " (and the spaces after it) goes */
    size_t d = k;
    while (d + 1 < rn && !(row[d] == '.' && S_sp((unsigned char)row[d + 1])))
      d++;
    if (d + 1 < rn) {
      S_put(c, &first, row + k, d - k);
      d++;
      while (d < rn && S_sp((unsigned char)row[d]))
        d++;
      S_put(c, &first, row + d, rn - d);
    } else
      S_put(c, &first, row + k, rn - k);
  } else
    S_put(c, &first, s + r0, rs[1] - r0);

  mtport_buf body = MTPORT_BUF_INIT, rowo = MTPORT_BUF_INIT,
             cell = MTPORT_BUF_INIT;
  size_t ncols_cap = 0, *spans = NULL, nspans = 0, capspans = 0;
  size_t *rowspans = NULL;
  char **colalign = NULL; /* per column, from its header cells */
  for (size_t r = 0; r < nr && !c->err; r += 2) {
    S_str row = r == 0 ? S_bstr(&first) : (S_str){s + rs[r], rs[r + 1] - rs[r]};
    /* the cells: split on '|' */
    size_t ncell = 1;
    for (size_t i = 0; i < row.n; i++)
      ncell += row.s[i] == '|';
    size_t *cb = malloc((ncell + 1) * sizeof *cb);
    if (!cb) {
      c->err = MTPORT_ENOMEM;
      break;
    }
    size_t nb = 0;
    cb[nb++] = 0;
    for (size_t i = 0; i < row.n; i++)
      if (row.s[i] == '|')
        cb[nb++] = i + 1;
    /* field f is row[cb[f] .. cb[f+1]-1); the last field gets a ' ' */
    size_t nf = nb; /* fields 0 .. nf-1; the last one is dropped */
    if (nf > ncols_cap) {
      size_t nc = nf + 8;
      size_t *rsp = realloc(rowspans, nc * sizeof *rsp);
      char **ca = rsp ? realloc(colalign, nc * sizeof *ca) : NULL;
      if (!ca) {
        free(rsp ? rsp : rowspans);
        rowspans = NULL;
        free(cb);
        c->err = MTPORT_ENOMEM;
        break;
      }
      rowspans = rsp;
      colalign = ca;
      for (size_t i = ncols_cap; i < nc; i++)
        rowspans[i] = 0, colalign[i] = NULL;
      ncols_cap = nc;
    }
    /* the row's parameters (before the first '|'); a row without '|' has
     * none, its only field being the last, which is dropped */
    S_str p0 = {row.s, nb > 1 ? cb[1] - 1 : 0};
    int rowheader = memchr(p0.s, '_', p0.n) != NULL;
    S_str rowstyle = {NULL, 0}, rowclass = {NULL, 0}, rowid = {NULL, 0};
    S_first_style(p0.s, p0.n, &rowstyle);
    for (size_t i = 0; i < p0.n; i++)
      if (p0.s[i] == '(') {
        const char *e = memchr(p0.s + i + 1, ')', p0.n - i - 1);
        if (!e)
          break;
        S_str in = {p0.s + i + 1, (size_t)(e - p0.s) - i - 1};
        const char *h = memchr(in.s, '#', in.n);
        rowclass.s = in.s;
        rowclass.n = h ? (size_t)(h - in.s) : in.n;
        if (h) {
          rowid.s = h + 1;
          rowid.n = in.n - rowclass.n - 1;
        }
        break;
      }
    /* the row's vertical alignment: $alignre's first match once _,
     * {style} and (class) are taken out */
    const char *rowvalign = "";
    {
      mtport_buf rp = MTPORT_BUF_INIT;
      for (size_t i = 0; i < p0.n; i++) {
        if (p0.s[i] == '_')
          continue;
        if (p0.s[i] == '{' || p0.s[i] == '(') {
          const char *e =
              memchr(p0.s + i + 1, p0.s[i] == '{' ? '}' : ')', p0.n - i - 1);
          if (e && e > p0.s + i + 1) {
            i = (size_t)(e - p0.s);
            continue;
          }
        }
        S_putc(c, &rp, p0.s[i]);
      }
      S_str v = S_bstr(&rp);
      for (size_t i = 0; i <= v.n; i++) {
        size_t a = S_m_align(v.s, v.n, i);
        if (a) {
          rowvalign = S_valign(v.s + i, a - 1);
          break;
        }
      }
      mtport_buf_dispose(&rp);
    }
    mtport_buf_clear(&rowo);
    nspans = 0;
    size_t colspan = 0;
    /* cells from the last to the first; the trailing field is dropped */
    size_t pending = nf - 1; /* fields still to pop: 1 .. nf-2 */
    for (size_t col = nf - 1; col-- > 1 && !c->err;) {
      if (rowspans[col]) {
        rowspans[col]--;
        if (rowspans[col] > 1)
          continue;
      }
      S_str f = {"", 0};
      if (pending > 1) {
        pending--;
        size_t a = cb[pending];
        size_t b = pending + 1 < nb ? cb[pending + 1] - 1 : row.n;
        f.s = row.s + a;
        f.n = b - a;
      }
      S_cellp cp;
      memset(&cp, 0, sizeof cp);
      size_t pl = S_cell_params(c, f.s, f.n);
      if (pl) {
        S_cell_parse(c, f.s, pl - 2, &cp);
        f.s += pl;
        f.n -= pl;
      }
      if (cp.colspan)
        colspan = cp.colspan;
      if (cp.has_span)
        rowspans[col] = cp.rowspan;
      int header = 0;
      char ca[8] = "";
      int has_ca = colalign[col] != NULL;
      if (has_ca)
        snprintf(ca, sizeof ca, "%s", colalign[col]);
      if (cp.attrs.len) {
        S_str at = S_bstr(&cp.attrs);
        header = memchr(at.s, '_', at.n) != NULL;
        int marks = 0;
        for (size_t i = 0; i < at.n; i++)
          marks |= S_in((unsigned char)at.s[i], "<>=^~-");
        if (marks)
          ca[0] = 0, has_ca = 1;
        char h2[4] = "", v2[2] = "";
        if (S_memmem(at.s, at.n, "<>", 2))
          strcpy(h2, "<>");
        else if (memchr(at.s, '<', at.n))
          strcpy(h2, "<");
        else if (memchr(at.s, '=', at.n))
          ca[0] = 0, strcpy(h2, "=");
        else if (memchr(at.s, '>', at.n))
          ca[0] = 0, strcpy(h2, ">");
        if (memchr(at.s, '^', at.n))
          v2[0] = '^';
        else if (memchr(at.s, '~', at.n))
          v2[0] = '~';
        else if (memchr(at.s, '-', at.n))
          v2[0] = '-';
        if (*h2 || *v2) {
          size_t cl = strlen(ca);
          snprintf(ca + cl, sizeof ca - cl, "%s%s", h2, v2);
          has_ca = 1;
        }
      }
      if (rowheader)
        header = 1;
      if (header) {
        free(colalign[col]);
        colalign[col] = has_ca ? malloc(strlen(ca) + 1) : NULL;
        if (colalign[col])
          strcpy(colalign[col], ca);
      }
      while (f.n && f.s[0] == ' ')
        f.s++, f.n--;
      while (f.n && f.s[f.n - 1] == ' ')
        f.n--;
      if (!f.n) {
        if (colspan == 0)
          colspan = 1;
        colspan++;
        S_cellp *x = &cp;
        mtport_buf_dispose(&x->attrs);
        mtport_buf_dispose(&x->style);
        continue;
      }
      const char *tg = header ? "th" : "td";
      mtport_buf_clear(&cell);
      S_putc(c, &cell, '<');
      S_puts(c, &cell, tg);
      if (has_ca) {
        const char *h = S_halign(ca, strlen(ca)), *v = S_valign(ca, strlen(ca));
        if (*h) {
          S_puts(c, &cell, " align=\"");
          S_puts(c, &cell, h);
          S_putc(c, &cell, '"');
        }
        if (*v) {
          S_puts(c, &cell, " valign=\"");
          S_puts(c, &cell, v);
          S_putc(c, &cell, '"');
        }
      }
      char num[64];
      mtport_buf st = MTPORT_BUF_INIT;
      S_putb(c, &st, &cp.style);
      if (cp.padl)
        S_puts(c, &st, ";padding-left:1em");
      if (cp.padr)
        S_puts(c, &st, ";padding-right:1em");
      if (cp.cls.n) {
        S_puts(c, &cell, " class=\"");
        S_put(c, &cell, cp.cls.s, cp.cls.n);
        S_putc(c, &cell, '"');
      }
      if (cp.id.n) {
        S_puts(c, &cell, " id=\"");
        S_put(c, &cell, cp.id.s, cp.id.n);
        S_putc(c, &cell, '"');
      }
      S_str sv = S_bstr(&st);
      if (sv.n && sv.s[0] == ';')
        sv.s++, sv.n--;
      if (sv.n) {
        S_puts(c, &cell, " style=\"");
        S_put(c, &cell, sv.s, sv.n);
        S_putc(c, &cell, '"');
      }
      mtport_buf_dispose(&st);
      if (cp.lang.n) {
        S_puts(c, &cell, " lang=\"");
        S_put(c, &cell, cp.lang.s, cp.lang.n);
        S_putc(c, &cell, '"');
      }
      if (colspan > 1) {
        snprintf(num, sizeof num, " colspan=\"%zu\"", colspan);
        S_puts(c, &cell, num);
      }
      if (rowspans[col] > 1) {
        snprintf(num, sizeof num, " rowspan=\"%zu\"", rowspans[col]);
        S_puts(c, &cell, num);
      }
      S_putc(c, &cell, '>');
      if (S_memmem(f.s, f.n, "\n\n", 2) || S_is_list(c, f.s, f.n))
        S_textile(c, &cell, f.s, f.n, depth + 1);
      else
        S_format_paragraph(c, &cell, f.s, f.n, depth + 1);
      S_puts(c, &cell, "</");
      S_puts(c, &cell, tg);
      S_putc(c, &cell, '>');
      /* cells are built right to left: kept in order found, written
       * back to front at the end of the row */
      S_cell_push(c, &rowo, &spans, &nspans, &capspans, &cell);
      colspan = 0;
      mtport_buf_dispose(&cp.attrs);
      mtport_buf_dispose(&cp.style);
    }
    free(cb);
    if (colspan > 1) {
      colspan--;
      mtport_buf_clear(&cell);
      S_puts(c, &cell, "<td");
      if (colspan > 1) {
        char num[48];
        snprintf(num, sizeof num, " colspan=\"%zu\"", colspan);
        S_puts(c, &cell, num);
      }
      S_puts(c, &cell, "></td>");
      S_cell_push(c, &rowo, &spans, &nspans, &capspans, &cell);
    }
    S_puts(c, &body, "<tr");
    if (*rowvalign) {
      S_puts(c, &body, " valign=\"");
      S_puts(c, &body, rowvalign);
      S_putc(c, &body, '"');
    }
    if (rowclass.n) {
      S_puts(c, &body, " class=\"");
      S_put(c, &body, rowclass.s, rowclass.n);
      S_putc(c, &body, '"');
    }
    if (rowid.n) {
      S_puts(c, &body, " id=\"");
      S_put(c, &body, rowid.s, rowid.n);
      S_putc(c, &body, '"');
    }
    if (rowstyle.n) {
      S_puts(c, &body, " style=\"");
      S_put(c, &body, rowstyle.s, rowstyle.n);
      S_putc(c, &body, '"');
    }
    S_putc(c, &body, '>');
    if (!nspans && body.len >= 4 &&
        memcmp(body.data + body.len - 4, "<tr>", 4) == 0)
      *failed = 1; /* "<tr></tr>": Text::Textile gives up on the table */
    for (size_t k = nspans; k-- > 0;)
      S_put(c, &body, rowo.data + spans[2 * k], spans[2 * k + 1]);
    S_puts(c, &body, "</tr>");
  }
  if (!*failed && !c->err) {
    S_puts(c, out, "<table");
    S_str ta = S_bstr(&talign);
    const char *al = S_halign(ta.s, ta.n);
    if (ta.n) {
      if (ta.n == 1 && ta.s[0] == '=')
        S_puts(c, &tstyle, ";margin-left:auto;margin-right:auto");
      else if (*al) {
        S_puts(c, &tstyle, ";float:");
        S_puts(c, &tstyle, al);
      }
      if (*al) {
        S_putc(c, &tclass, ' ');
        S_puts(c, &tclass, al);
      }
    }
    char num[48];
    if (tpadl) {
      snprintf(num, sizeof num, ";padding-left:%zuem", tpadl);
      S_puts(c, &tstyle, num);
    }
    if (tpadr) {
      snprintf(num, sizeof num, ";padding-right:%zuem", tpadr);
      S_puts(c, &tstyle, num);
    }
    S_str tc = S_bstr(&tclass), ts = S_bstr(&tstyle);
    if (tc.n && tc.s[0] == ' ')
      tc.s++, tc.n--;
    if (tc.n) {
      S_puts(c, out, " class=\"");
      S_put(c, out, tc.s, tc.n);
      S_putc(c, out, '"');
    }
    if (tid.n) {
      S_puts(c, out, " id=\"");
      S_put(c, out, tid.s, tid.n);
      S_putc(c, out, '"');
    }
    int any_style = ts.n > 0;
    if (ts.n && ts.s[0] == ';')
      ts.s++, ts.n--;
    if (ts.n) {
      S_puts(c, out, " style=\"");
      S_put(c, out, ts.s, ts.n);
      S_putc(c, out, '"');
    }
    if (tlang.n) {
      S_puts(c, out, " lang=\"");
      S_put(c, out, tlang.s, tlang.n);
      S_putc(c, out, '"');
    }
    if (tclass.len || tid.n || any_style)
      S_puts(c, out, " cellspacing=\"0\"");
    S_putc(c, out, '>');
    S_putb(c, out, &body);
    S_puts(c, out, "</table>");
  }
  for (size_t i = 0; i < ncols_cap; i++)
    free(colalign[i]);
  free(colalign);
  free(spans);
  free(rowspans);
  free(rs);
  mtport_buf_dispose(&body);
  mtport_buf_dispose(&rowo);
  mtport_buf_dispose(&cell);
  mtport_buf_dispose(&first);
  mtport_buf_dispose(&tclass);
  mtport_buf_dispose(&tstyle);
  mtport_buf_dispose(&talign);
}

/* ---- definition lists: dl. term:definition ---- */

static void S_add_term(S_ctx *c, mtport_buf *out, S_str dt, S_str dd,
                       int depth) {
  S_scan sc;
  S_scan_init(&sc, dt.s, dt.n);
  size_t k = S_attr_run(c, &sc, 0, 0);
  S_scan_dispose(&sc);
  S_str dtp = {dt.s, k}, dtlang = {NULL, 0};
  for (size_t i = 0; i < k; i++)
    if (dt.s[i] == '[') {
      size_t e = i + 1;
      while (e < k && isalpha((unsigned char)dt.s[e]))
        e++;
      if (e > i + 1 && e < k && dt.s[e] == ']')
        dtlang.s = dt.s + i + 1, dtlang.n = e - i - 1;
      break;
    }
  dt.s += k, dt.n -= k;
  S_scan_init(&sc, dd.s, dd.n);
  size_t kd = S_attr_run(c, &sc, 0, 0);
  S_scan_dispose(&sc);
  mtport_buf ddp = MTPORT_BUF_INIT;
  if (dtlang.n && !memchr(dd.s, '[', kd)) {
    S_putc(c, &ddp, '[');
    S_put(c, &ddp, dtlang.s, dtlang.n);
    S_putc(c, &ddp, ']');
  }
  S_put(c, &ddp, dd.s, kd);
  dd.s += kd, dd.n -= kd;
  S_puts(c, out, "<dt");
  S_classstyle(c, out, dtp.s, dtp.n, "", 0, "", 0);
  S_putc(c, out, '>');
  S_format_inline(c, out, dt.s, dt.n, depth + 1);
  S_puts(c, out, "</dt>\n<dd");
  S_classstyle(c, out, ddp.data ? ddp.data : "", ddp.len, "", 0, "", 0);
  S_putc(c, out, '>');
  if (S_memmem(dd.s, dd.n, "\n\n", 2))
    S_textile(c, out, dd.s, dd.n, depth + 1);
  else
    S_format_paragraph(c, out, dd.s, dd.n, depth + 1);
  S_puts(c, out, "</dd>\n");
  mtport_buf_dispose(&ddp);
}

/* term:definition on one line; the term may not end with a quote or a
 * space, the definition may not start with a space or a slash */
static int S_term_line(S_ctx *c, S_str l, S_str *dt, S_str *dd) {
  S_scan sc;
  S_scan_init(&sc, l.s, l.n);
  size_t k = S_attr_run(c, &sc, 0, 0);
  S_scan_dispose(&sc);
  for (int full = 1; full >= 0; full--) {
    size_t a = full ? k : 0;
    if (a >= l.n || l.s[a] == ' ')
      continue;
    for (size_t i = a + 1; i + 1 < l.n; i++)
      if (l.s[i] == ':' && !S_in((unsigned char)l.s[i - 1], "\"' ") &&
          l.s[i + 1] != ' ' && l.s[i + 1] != '/') {
        dt->s = l.s;
        dt->n = i;
        dd->s = l.s + i + 1;
        dd->n = l.n - i - 1;
        return 1;
      }
  }
  return 0;
}

static void S_format_deflist(S_ctx *c, mtport_buf *out, const char *s, size_t n,
                             int depth) {
  size_t end = n;
  while (end && s[end - 1] == '\n')
    end--;
  S_str clsty = {NULL, 0};
  size_t i = 0;
  /* dl(class). on the first line */
  if (S_at(s, end, 0, "dl")) {
    S_scan sc;
    S_scan_init(&sc, s, end);
    size_t k = S_attr_run(c, &sc, 2, 0);
    S_scan_dispose(&sc);
    size_t d = k;
    if (d < end && s[d] == '.') {
      d++;
      if (d < end && s[d] == '.')
        d++;
      size_t sp = d;
      while (sp < end && s[sp] == ' ')
        sp++;
      if (sp > d || sp == end || s[sp] == '\n') {
        clsty.s = s + 2;
        clsty.n = k - 2;
        i = sp;
      }
    }
  }
  mtport_buf items = MTPORT_BUF_INIT, dd = MTPORT_BUF_INIT;
  S_str dt = {NULL, 0};
  int has = 0;
  while (i <= end && !c->err) {
    const char *nl = i < end ? memchr(s + i, '\n', end - i) : NULL;
    size_t le = nl ? (size_t)(nl - s) : end;
    S_str l = {s + i, le - i}, ndt, ndd;
    if (S_term_line(c, l, &ndt, &ndd)) {
      if (has && dt.n && dd.len)
        S_add_term(c, &items, dt, S_bstr(&dd), depth);
      dt = ndt;
      mtport_buf_clear(&dd);
      S_put(c, &dd, ndd.s, ndd.n);
      has = 1;
    } else {
      S_putc(c, &dd, '\n');
      S_put(c, &dd, l.s, l.n);
    }
    if (!nl)
      break;
    i = le + 1;
  }
  if (has && dt.n && dd.len)
    S_add_term(c, &items, dt, S_bstr(&dd), depth);
  S_puts(c, out, "<dl");
  if (clsty.n)
    S_classstyle(c, out, clsty.s, clsty.n, "", 0, "", 0);
  S_puts(c, out, ">\n");
  S_putb(c, out, &items);
  S_puts(c, out, "</dl>\n");
  mtport_buf_dispose(&items);
  mtport_buf_dispose(&dd);
}

/* ---- the document: what is kept aside first, then paragraphs ---- */

static int S_p_lit(const char *s, size_t n, size_t i, const void *a) {
  return S_at(s, n, i, (const char *)a);
}

/* "==" closing a ==block==: at the end, before a last newline or a blank
 * line */
static int S_p_eqblock_end(const char *s, size_t n, size_t i, const void *a) {
  (void)a;
  return S_at(s, n, i, "==") &&
         (i + 2 == n || (i + 3 == n && s[i + 2] == '\n') ||
          S_at(s, n, i + 2, "\n\n"));
}

/* |filter|... at the start of a ==block== : dropped, as MT passed Textile
 * no filter that worked */
static S_str S_drop_filters(S_str t) {
  S_str keep = t;
  if (!t.n || t.s[0] != '|')
    return t;
  size_t k = 0;
  for (;;) {
    size_t j = k + 1;
    while (j < t.n &&
           ((t.s[j] >= 'a' && t.s[j] <= 'z') ||
            S_digit((unsigned char)t.s[j]) || t.s[j] == '_' || t.s[j] == '-'))
      j++;
    if (j == k + 1 || j >= t.n || t.s[j] != '|')
      break;
    k = j;
  }
  if (!k)
    return keep;
  t.s += k + 1;
  t.n -= k + 1;
  return t;
}

static void S_pre_eqblocks(S_ctx *c, mtport_buf *out, const char *s, size_t n) {
  S_cache k = S_CACHE_INIT;
  for (size_t p = 0; p < n;) {
    size_t o = S_NONE;
    if (p == 0 && S_at(s, n, 0, "=="))
      o = 0;
    else if (S_at(s, n, p, "\n\n=="))
      o = p + 2;
    if (o != S_NONE && o + 3 <= n) {
      size_t q = S_find(&k, s, n, o + 3, S_p_eqblock_end, NULL);
      if (q != S_NONE) {
        size_t trail = S_at(s, n, q + 2, "\n\n") ? 2 : 0;
        S_str text = {s + o + 2, q - o - 2};
        text = S_drop_filters(text);
        S_puts(c, out, o > p ? "\n\n\n\n" : "\n\n");
        S_repl(c, out, text.s, text.n);
        S_puts(c, out, "\n\n");
        S_put(c, out, s + q + 2, trail);
        p = q + 2 + trail;
        continue;
      }
    }
    S_putc(c, out, s[p++]);
  }
}

static int S_p_gt(const char *s, size_t n, size_t i, const void *a) {
  (void)n, (void)a;
  return s[i] == '>';
}

typedef struct {
  const char *open; /* "<pre" ... */
  int attrs;        /* 0: none allowed; 1: " [^>]*"; 2: " [^>]+" */
  const char *close;
  int blank;  /* kept aside between blank lines */
  int encode; /* the content is escaped */
  int fixcode;
} S_wrap;

/* <pre>...</pre> and the like: kept aside (the content escaped). */
static void S_pre_wrap(S_ctx *c, mtport_buf *out, const char *s, size_t n,
                       const S_wrap *w) {
  S_cache gt = S_CACHE_INIT, cl = S_CACHE_INIT;
  size_t ol = strlen(w->open), cll = strlen(w->close);
  for (size_t p = 0; p < n;) {
    size_t oe = 0; /* end of the opening tag */
    if (s[p] == '<' && S_at(s, n, p, w->open)) {
      size_t k = p + ol;
      if (k < n && s[k] == '>')
        oe = k + 1;
      else if (w->attrs && k < n && s[k] == ' ') {
        size_t g = S_find(&gt, s, n, k + 1, S_p_gt, NULL);
        if (g != S_NONE && (w->attrs == 1 || g > k + 1))
          oe = g + 1;
      }
    }
    if (oe && oe < n) {
      size_t q = S_find(&cl, s, n, oe + 1, S_p_lit, w->close);
      if (q != S_NONE) {
        mtport_buf h = MTPORT_BUF_INIT;
        S_put(c, &h, s + p, oe - p);
        if (w->encode)
          S_encode(c, &h, s + oe, q - oe, 1);
        else
          S_put(c, &h, s + oe, q - oe);
        S_put(c, &h, s + q, cll);
        if (w->fixcode) { /* &lt;code ...&gt; back to <code ...> */
          mtport_buf f = MTPORT_BUF_INIT;
          S_str t = S_bstr(&h);
          for (size_t i = 0; i < t.n; i++) {
            size_t j = i + 4;
            if (S_at(t.s, t.n, i, "&lt;")) {
              size_t sl = S_at(t.s, t.n, j, "/") ? 1 : 0;
              if (S_at(t.s, t.n, j + sl, "code")) {
                const char *g =
                    S_memmem(t.s + j + sl + 4, t.n - j - sl - 4, "&gt;", 4);
                if (g) {
                  S_putc(c, &f, '<');
                  S_put(c, &f, t.s + j, (size_t)(g - t.s) - j);
                  S_putc(c, &f, '>');
                  i = (size_t)(g - t.s) + 3;
                  continue;
                }
              }
            }
            S_putc(c, &f, t.s[i]);
          }
          mtport_buf_clear(&h);
          S_putb(c, &h, &f);
          mtport_buf_dispose(&f);
        }
        if (w->blank)
          S_puts(c, out, "\n\n");
        S_repl(c, out, h.data ? h.data : "", h.len);
        if (w->blank)
          S_puts(c, out, "\n\n");
        mtport_buf_dispose(&h);
        p = q + cll;
        continue;
      }
    }
    S_putc(c, out, s[p++]);
  }
}

/* <style ...>...</style>, <script ...>...</script> */
static void S_pre_script(S_ctx *c, mtport_buf *out, const char *s, size_t n) {
  S_cache gt = S_CACHE_INIT, cs = S_CACHE_INIT, cj = S_CACHE_INIT;
  for (size_t p = 0; p < n;) {
    int st = S_at(s, n, p, "<style"), sc = !st && S_at(s, n, p, "<script");
    if (st || sc) {
      size_t k = p + (st ? 6 : 7), oe = 0;
      if (k < n && s[k] == '>')
        oe = k + 1;
      else if (k < n && s[k] == ' ') {
        size_t g = S_find(&gt, s, n, k + 2, S_p_gt, NULL);
        if (g != S_NONE)
          oe = g + 1;
      }
      const char *close = st ? "</style>" : "</script>";
      size_t q = oe ? S_find(st ? &cs : &cj, s, n, oe, S_p_lit, close) : S_NONE;
      if (q != S_NONE) {
        size_t e = q + strlen(close);
        S_repl(c, out, s + p, e - p);
        p = e;
        continue;
      }
    }
    S_putc(c, out, s[p++]);
  }
}

/* <!-- ... -->, <? ... ?>, <% ... %> */
static void S_pre_comments(S_ctx *c, mtport_buf *out, const char *s, size_t n,
                           int php) {
  S_cache k1 = S_CACHE_INIT, k2 = S_CACHE_INIT, k3 = S_CACHE_INIT;
  for (size_t p = 0; p < n;) {
    size_t e = 0;
    if (!php && S_at(s, n, p, "<!--") && p + 5 <= n) {
      size_t q = S_find(&k1, s, n, p + 5, S_p_lit, "-->");
      if (q != S_NONE)
        e = q + 3;
    } else if (php && s[p] == '<' && p + 1 < n &&
               (s[p + 1] == '?' || s[p + 1] == '%')) {
      size_t q = S_find(s[p + 1] == '?' ? &k2 : &k3, s, n, p + 2, S_p_lit,
                        s[p + 1] == '?' ? "?>" : "%>");
      if (q != S_NONE)
        e = q + 2;
    }
    if (e) {
      S_repl(c, out, s + p, e - p);
      p = e;
    } else
      S_putc(c, out, s[p++]);
  }
}

static int S_p_title_end(const char *s, size_t n, size_t i, const void *a) {
  (void)a;
  return s[i] == '\n' || (s[i] == ')' && i + 1 < n && s[i + 1] == ']');
}
static int S_p_space_nl(const char *s, size_t n, size_t i, const void *a) {
  (void)n, (void)a;
  return s[i] == ' ' || s[i] == '\n';
}

/* [name (title)]url lines: link aliases, taken out of the text. (A name
 * stops at the end of its line, where Perl's could run on.) */
static void S_pre_aliases(S_ctx *c, mtport_buf *out, const char *s, size_t n,
                          S_aliases *al) {
  static const char *const schemes[] = {
      "ftp://", "http://", "https://", "telnet://", "nntp://", "/", NULL};
  S_cache tk = S_CACHE_INIT, sk = S_CACHE_INIT, ek = S_CACHE_INIT;
  for (size_t p = 0; p < n;) {
    size_t matched = 0;
    for (int alt = 0; alt < 2 && !matched; alt++) {
      size_t b;
      if (alt == 0) {
        if (s[p] != '\n')
          continue;
        b = p + 1;
      } else {
        if (!(p == 0 || s[p - 1] == '\n'))
          continue;
        b = p;
      }
      while (b < n && s[b] == ' ')
        b++;
      if (b >= n || s[b] != '[')
        continue;
      size_t eol = S_eol(&ek, s, n, b);
      /* the name: non-spaces, as few as will do */
      for (size_t e = b + 2; e < eol && !matched; e++) {
        if (s[e - 1] == ' ')
          break;
        for (size_t k = e; k < eol && !matched; k++) {
          size_t u = S_NONE, ts = 0, te = 0;
          if (s[k] == ']')
            u = k + 1;
          else if (s[k] == '(' && k + 2 < eol) {
            size_t q = S_find(&tk, s, n, k + 2, S_p_title_end, NULL);
            if (q != S_NONE && s[q] == ')')
              ts = k + 1, te = q, u = q + 2;
          }
          if (u != S_NONE) {
            size_t sch = 0;
            for (int i = 0; schemes[i] && !sch; i++)
              if (S_at(s, n, u, schemes[i]))
                sch = strlen(schemes[i]);
            size_t r =
                sch ? S_find(&sk, s, n, u + sch, S_p_space_nl, NULL) : S_NONE;
            if (r == S_NONE)
              r = n;
            size_t sp = r;
            while (sp < eol && s[sp] == ' ')
              sp++;
            if (sch && r > u + sch && sp == eol) {
              if (al->n == al->cap) {
                size_t cap = al->cap ? al->cap * 2 : 8;
                S_alias *v = realloc(al->v, cap * sizeof *v);
                if (!v) {
                  c->err = MTPORT_ENOMEM;
                  return;
                }
                al->v = v;
                al->cap = cap;
              }
              S_alias *a = &al->v[al->n++];
              a->name = c->alias_pool.len;
              a->name_n = e - b - 1;
              S_put(c, &c->alias_pool, s + b + 1, e - b - 1);
              a->url = c->alias_pool.len;
              a->url_n = r - u;
              S_put(c, &c->alias_pool, s + u, r - u);
              a->has_title = ts != 0;
              a->title = c->alias_pool.len;
              a->title_n = te - ts;
              S_put(c, &c->alias_pool, s + ts, te - ts);
              if (eol < n)
                S_putc(c, out, '\n');
              matched = (eol < n ? eol + 1 : eol) - p;
            }
          }
          if (s[k] != ' ')
            break; /* [ ]*? : only spaces before the title or ']' */
        }
      }
    }
    if (matched)
      p += matched;
    else
      S_putc(c, out, s[p++]);
  }
}

/* ---- block signatures and the paragraph loop ---- */

typedef enum {
  S_B_NONE,
  S_B_P,
  S_B_H,
  S_B_BQ,
  S_B_BC,
  S_B_FN,
  S_B_TABLE,
  S_B_DL
} S_btype;

/* h1. p. bq. bc. fn1. with parameters, "." or "..", :cite, then a space;
 * returns the text's start (0 when the paragraph has no signature). */
typedef struct {
  S_btype t;
  S_str name, params, cite;
  int ext, has_cite;
} S_sig;

static size_t S_signature(S_ctx *c, const char *s, size_t n, S_sig *g) {
  memset(g, 0, sizeof *g);
  size_t k = 0;
  if (n >= 2 && s[0] == 'h' && s[1] >= '1' && s[1] <= '6')
    g->t = S_B_H, k = 2;
  else if (S_at(s, n, 0, "bq"))
    g->t = S_B_BQ, k = 2;
  else if (S_at(s, n, 0, "bc"))
    g->t = S_B_BC, k = 2;
  else if (S_at(s, n, 0, "fn") && n > 2 && S_digit((unsigned char)s[2])) {
    g->t = S_B_FN, k = 2;
    while (k < n && S_digit((unsigned char)s[k]))
      k++;
  } else if (n && s[0] == 'p')
    g->t = S_B_P, k = 1;
  else
    return 0;
  g->name.s = s;
  g->name.n = k;
  S_scan sc;
  S_scan_init(&sc, s, n);
  size_t ps = k;
  for (;;) {
    size_t l = S_m_clstyfilt(c, &sc, k);
    if (!l)
      l = S_m_halign(s, n, k);
    if (!l)
      break;
    k += l;
  }
  S_scan_dispose(&sc);
  g->params.s = s + ps;
  g->params.n = k - ps;
  if (k >= n || s[k] != '.')
    return 0;
  k++;
  if (k < n && s[k] == '.')
    g->ext = 1, k++;
  if (k < n && s[k] == ':') {
    size_t u = k + 1, d = u;
    while (d < n && S_digit((unsigned char)s[d]))
      d++;
    size_t e =
        d > u && d < n && s[d] == ' ' ? d : S_url_end(s, n, u, S_ok_space);
    if (e == S_NONE)
      return 0;
    g->cite.s = s + u;
    g->cite.n = e - u;
    g->has_cite = 1;
    k = e;
  }
  if (k >= n || s[k] != ' ')
    return 0;
  return k + 1;
}

typedef struct {
  S_btype block;
  S_str fn; /* the footnote's number */
  int hlevel;
  mtport_buf cls, style, lang, bqlang, filter;
  int has_filter;
  const char *clear;
  int sticky;
  mtport_buf stickybuf;
  int has_stickybuf;
} S_bstate;

/* align, padding, clear, class, id, style and lang of a block's tag */
static void S_block_attrs(S_ctx *c, mtport_buf *tag, S_bstate *b, S_str align,
                          size_t padl, size_t padr, S_str id, int fn) {
  if (align.n) {
    const char *a = S_halign(align.s, align.n);
    if ((padl || padr) && (!strcmp(a, "left") || !strcmp(a, "right")))
      S_puts(c, &b->style, ";float:");
    else
      S_puts(c, &b->style, ";text-align:");
    S_puts(c, &b->style, a);
    if (!fn)
      S_putc(c, &b->cls, ' ');
    S_puts(c, &b->cls, a);
  }
  char num[64];
  if (padl) {
    snprintf(num, sizeof num, ";padding-left:%zuem", padl);
    S_puts(c, &b->style, num);
  }
  if (padr) {
    snprintf(num, sizeof num, ";padding-right:%zuem", padr);
    S_puts(c, &b->style, num);
  }
  if (b->clear) {
    S_puts(c, &b->style, ";clear:");
    S_puts(c, &b->style, b->clear);
  }
  S_str cl = S_bstr(&b->cls), st = S_bstr(&b->style);
  if (cl.n && cl.s[0] == ' ')
    cl.s++, cl.n--;
  if (cl.n) {
    S_puts(c, tag, " class=\"");
    S_put(c, tag, cl.s, cl.n);
    S_putc(c, tag, '"');
  }
  if (fn) {
    S_puts(c, tag, " id=\"fn");
    S_put(c, tag, b->fn.s, b->fn.n);
    S_putc(c, tag, '"');
  } else if (id.n) {
    S_puts(c, tag, " id=\"");
    S_put(c, tag, id.s, id.n);
    S_putc(c, tag, '"');
  }
  if (st.n && st.s[0] == ';')
    st.s++, st.n--;
  if (st.n) {
    S_puts(c, tag, " style=\"");
    S_put(c, tag, st.s, st.n);
    S_putc(c, tag, '"');
  }
  if (b->lang.len) {
    S_puts(c, tag, " lang=\"");
    S_putb(c, tag, &b->lang);
    S_putc(c, tag, '"');
  }
}

/* Removes the first @from .. @to span (as s/X//) from @b. */
static void S_cut(S_ctx *c, mtport_buf *b, size_t from, size_t to) {
  mtport_buf r = MTPORT_BUF_INIT;
  S_put(c, &r, b->data, from);
  S_put(c, &r, b->data + to, b->len - to);
  mtport_buf_clear(b);
  S_putb(c, b, &r);
  mtport_buf_dispose(&r);
}

/* The signature's parameters into the block state (align, id, padding
 * returned); the order of the removals is Text::Textile's. */
static void S_sig_params(S_ctx *c, S_bstate *b, S_str params, mtport_buf *pb,
                         mtport_buf *alignb, mtport_buf *id, size_t *padl,
                         size_t *padr) {
  mtport_buf_clear(pb);
  mtport_buf_clear(alignb);
  mtport_buf_clear(id);
  S_put(c, pb, params.s, params.n);
  /* the first run of < > = */
  for (size_t i = 0; i < pb->len; i++)
    if (S_in((unsigned char)pb->data[i], "<>=")) {
      size_t e = i;
      while (e < pb->len && S_in((unsigned char)pb->data[e], "<>="))
        e++;
      S_put(c, alignb, pb->data + i, e - i);
      S_cut(c, pb, i, e);
      break;
    }
  /* |filter| */
  S_str v = S_bstr(pb);
  const char *f1 = v.n ? memchr(v.s, '|', v.n) : NULL;
  if (f1) {
    const char *nl = memchr(f1, '\n', v.n - (size_t)(f1 - v.s));
    size_t lim = nl ? (size_t)(nl - v.s) : v.n;
    size_t last = S_NONE;
    for (size_t i = (size_t)(f1 - v.s) + 2; i < lim; i++)
      if (v.s[i] == '|')
        last = i;
    if (last != S_NONE) {
      size_t a = (size_t)(f1 - v.s);
      mtport_buf_clear(&b->filter);
      S_put(c, &b->filter, v.s + a + 1, last - a - 1);
      b->has_filter = 1;
      const char *f2 = memchr(v.s + a + 2, '|', v.n - a - 2);
      S_cut(c, pb, a, (size_t)(f2 - v.s) + 1);
    }
  }
  /* {style} */
  v = S_bstr(pb);
  S_str st;
  if (S_first_style(v.s, v.n, &st)) {
    mtport_buf_clear(&b->style);
    for (size_t i = 0; i < st.n; i++)
      S_putc(c, &b->style, st.s[i] == '\n' ? ' ' : st.s[i]);
    mtport_buf r = MTPORT_BUF_INIT;
    for (size_t i = 0; i < v.n; i++) {
      if (v.s[i] == '{') {
        const char *e = memchr(v.s + i + 1, '}', v.n - i - 1);
        if (e && e > v.s + i + 1) {
          i = (size_t)(e - v.s);
          continue;
        }
      }
      S_putc(c, &r, v.s[i]);
    }
    mtport_buf_clear(pb);
    S_putb(c, pb, &r);
    mtport_buf_dispose(&r);
  }
  /* (class#id) */
  v = S_bstr(pb);
  S_str kc, ki;
  if (v.n && S_find_classid(v.s, v.n, &kc, &ki) && (kc.n || ki.n)) {
    mtport_buf_clear(&b->cls);
    S_put(c, &b->cls, kc.s, kc.n);
    S_put(c, id, ki.s, ki.n);
    if (kc.n)
      S_drop_classid(c, pb, 0);
    else
      S_drop_classid(c, pb, 1);
  }
  /* padding ( and ) */
  v = S_bstr(pb);
  for (size_t i = 0; i < v.n; i++)
    if (v.s[i] == '(') {
      size_t e = i;
      while (e < v.n && v.s[e] == '(')
        e++;
      *padl = e - i;
      S_cut(c, pb, i, e);
      break;
    }
  v = S_bstr(pb);
  for (size_t i = 0; i < v.n; i++)
    if (v.s[i] == ')') {
      size_t e = i;
      while (e < v.n && v.s[e] == ')')
        e++;
      *padr = e - i;
      S_cut(c, pb, i, e);
      break;
    }
  /* [lang] */
  v = S_bstr(pb);
  for (size_t i = 0; i < v.n; i++)
    if (v.s[i] == '[' && i + 2 < v.n) {
      const char *e = memchr(v.s + i + 2, ']', v.n - i - 2);
      if (e) {
        mtport_buf *to = b->block == S_B_BC ? &b->bqlang : &b->lang;
        mtport_buf_clear(to);
        S_put(c, to, v.s + i + 1, (size_t)(e - v.s) - i - 1);
        if (b->block == S_B_BC)
          mtport_buf_clear(&b->lang);
      }
      break;
    }
}

/* The end of a sticky (extended) block before another one starts. */
static void S_close_sticky(S_ctx *c, mtport_buf *out, S_bstate *b, int depth,
                           int at_end) {
  if (b->block == S_B_BC || b->block == S_B_BQ) {
    if (!at_end && out->len >= 2 && out->data[out->len - 1] == '\n' &&
        out->data[out->len - 2] == '\n')
      out->len -= 2, out->data[out->len] = '\0';
    S_puts(c, out, b->block == S_B_BC ? "</code></pre>" : "</blockquote>");
    if (!at_end)
      S_puts(c, out, "\n\n");
  } else if ((b->block == S_B_TABLE || b->block == S_B_DL) &&
             b->has_stickybuf && (!at_end || b->stickybuf.len)) {
    S_str t = S_bstr(&b->stickybuf);
    if (b->block == S_B_TABLE) {
      int failed;
      S_format_table(c, out, t.s, t.n, depth, &failed);
    } else
      S_format_deflist(c, out, t.s, t.n, depth);
    mtport_buf_clear(&b->stickybuf);
    b->has_stickybuf = 0;
  }
}

/* ^(?:table(<|>|=|$clstypadre)*(\.\.?)\s+)?(?:_|$alignre|$clstypadre)*\|
 * returns 0 (no table), 1 (a table) or 2 (an extended table..) */
static int S_is_table(S_ctx *c, const char *s, size_t n) {
  S_scan sc;
  S_scan_init(&sc, s, n);
  size_t k = 0;
  int ext = 0;
  if (S_at(s, n, 0, "table")) {
    size_t t = 5;
    for (;;) {
      size_t l = t < n && S_in((unsigned char)s[t], "<>=") ? 1 : 0;
      if (!l)
        l = S_m_clstypad(c, &sc, t);
      if (!l)
        break;
      t += l;
    }
    if (t < n && s[t] == '.') {
      size_t d = t + 1;
      if (d < n && s[d] == '.')
        d++;
      size_t w = d;
      while (w < n && S_sp((unsigned char)s[w]))
        w++;
      if (w > d)
        k = w, ext = d - t == 2;
    }
  }
  for (int tries = 0; tries < 2; tries++) {
    size_t e = k;
    for (;;) {
      size_t l = e < n && s[e] == '_' ? 1 : 0;
      if (!l) {
        size_t a = S_m_align(s, n, e);
        l = a > 1 ? a - 1 : 0;
      }
      if (!l)
        l = S_m_clstypad(c, &sc, e);
      if (!l)
        break;
      e += l;
    }
    if (e < n && s[e] == '|') {
      S_scan_dispose(&sc);
      return k ? 1 + ext : 1;
    }
    if (!k)
      break;
    k = 0, ext = 0; /* without the table. line */
  }
  S_scan_dispose(&sc);
  return 0;
}

/* ^dl(clstyre)*(\.\.?)\s+ : 0, 1 or 2 (extended) */
static int S_is_dl(S_ctx *c, const char *s, size_t n) {
  if (!S_at(s, n, 0, "dl"))
    return 0;
  S_scan sc;
  S_scan_init(&sc, s, n);
  size_t k = S_attr_run(c, &sc, 2, 0);
  S_scan_dispose(&sc);
  if (k >= n || s[k] != '.')
    return 0;
  size_t d = k + 1;
  if (d < n && s[d] == '.')
    d++;
  if (d >= n || !S_sp((unsigned char)s[d]))
    return 0;
  return d - k == 2 ? 2 : 1;
}

static void S_paragraphs(S_ctx *c, mtport_buf *out, const char *s, size_t n,
                         int depth) {
  S_bstate b;
  memset(&b, 0, sizeof b);
  mtport_buf pb = MTPORT_BUF_INIT, idb = MTPORT_BUF_INIT, tag = MTPORT_BUF_INIT,
             buf = MTPORT_BUF_INIT, alignb = MTPORT_BUF_INIT;
  for (size_t i = 0; i < n && !c->err;) {
    /* a run of blank lines, or a paragraph up to the next one */
    size_t j = i;
    if (s[i] == '\n') {
      while (j < n && s[j] == '\n')
        j++;
      if (b.sticky && b.has_stickybuf)
        S_put(c, &b.stickybuf, s + i, j - i);
      else
        S_put(c, out, s + i, j - i);
      i = j;
      continue;
    }
    while (j < n && !(s[j] == '\n' && j + 1 < n && s[j + 1] == '\n'))
      j++;
    S_str para = {s + i, j - i};
    i = j;
    if (b.sticky)
      b.sticky++;
    else {
      b.block = S_B_NONE;
      mtport_buf_clear(&b.cls);
      mtport_buf_clear(&b.style);
      mtport_buf_clear(&b.lang);
    }
    S_str align = {NULL, 0};
    size_t padl = 0, padr = 0;
    mtport_buf_clear(&idb);
    S_sig g;
    size_t body = S_signature(c, para.s, para.n, &g);
    size_t ph = 0;
    if (body) {
      if (b.sticky) {
        S_close_sticky(c, out, &b, depth, 0);
        b.sticky = 0;
      }
      b.block = g.t;
      if (g.t == S_B_H)
        b.hlevel = g.name.s[1] - '0';
      if (g.t == S_B_FN) {
        b.fn.s = g.name.s + 2;
        b.fn.n = g.name.n - 2;
      }
      if (g.ext)
        b.sticky = 1;
      else {
        b.sticky = 0;
        mtport_buf_clear(&b.cls);
        mtport_buf_clear(&b.bqlang);
        mtport_buf_clear(&b.lang);
        mtport_buf_clear(&b.style);
        b.has_filter = 0;
      }
      S_sig_params(c, &b, g.params, &pb, &alignb, &idb, &padl, &padr);
      align = S_bstr(&alignb);
      para.s += body;
      para.n -= body;
    } else if ((ph = S_ph(para.s, para.n, 0, NULL)) == para.n && ph) {
      S_put(c, out, para.s, para.n); /* put back at the end */
      continue;
    } else if (S_at(para.s, para.n, 0, "clear")) {
      size_t k = 5;
      while (k < para.n && S_in((unsigned char)para.s[k], "<>"))
        k++;
      if (k < para.n && para.s[k] == '.' &&
          (k + 1 == para.n || (k + 2 == para.n && para.s[k + 1] == '\n'))) {
        b.clear = k == 6 && para.s[5] == '<'   ? "left"
                  : k == 6 && para.s[5] == '>' ? "right"
                                               : "both";
        continue;
      }
    }
    if (!body && b.sticky && b.has_stickybuf &&
        (b.block == S_B_TABLE || b.block == S_B_DL)) {
      S_put(c, &b.stickybuf, para.s, para.n);
      continue;
    }
    if (!body) {
      int t;
      if (S_is_list(c, para.s, para.n)) {
        S_format_list(c, out, para.s, para.n, depth);
        continue;
      }
      if ((t = S_is_table(c, para.s, para.n)) != 0) {
        if (t == 2) {
          b.block = S_B_TABLE;
          mtport_buf_clear(&b.stickybuf);
          S_put(c, &b.stickybuf, para.s, para.n);
          b.has_stickybuf = 1;
          b.sticky = 1;
          continue;
        }
        mtport_buf_clear(&buf);
        int failed;
        S_format_table(c, &buf, para.s, para.n, depth, &failed);
        if (!failed) {
          S_putb(c, out, &buf);
          continue;
        }
      } else if ((t = S_is_dl(c, para.s, para.n)) != 0) {
        if (t == 2) {
          b.block = S_B_DL;
          mtport_buf_clear(&b.stickybuf);
          S_put(c, &b.stickybuf, para.s, para.n);
          b.has_stickybuf = 1;
          b.sticky = 1;
          continue;
        }
        S_format_deflist(c, out, para.s, para.n, depth);
        continue;
      }
    }
    /* split /\n/ gives nothing for a text of newlines only */
    size_t nonnl = 0;
    while (nonnl < para.n && para.s[nonnl] == '\n')
      nonnl++;
    if (nonnl == para.n)
      continue;
    if (b.block == S_B_NONE)
      b.block = S_B_P;
    mtport_buf_clear(&tag);
    S_str id = S_bstr(&idb);
    if (b.block == S_B_BC) {
      if (b.sticky <= 1) {
        S_puts(c, &tag, "<pre><code");
        if (b.bqlang.len) {
          S_puts(c, &tag, " language=\"");
          S_putb(c, &tag, &b.bqlang);
          S_putc(c, &tag, '"');
        }
        S_block_attrs(c, &tag, &b, align, padl, padr, id, 0);
        S_putc(c, &tag, '>');
        mtport_buf_clear(&b.lang);
        mtport_buf_clear(&b.bqlang);
        b.clear = NULL;
      }
      mtport_buf_clear(&buf);
      mtport_buf raw = MTPORT_BUF_INIT;
      S_pass_eqraw(c, &raw, para.s, para.n);
      S_encode(c, &buf, raw.data ? raw.data : "", raw.len, 1);
      mtport_buf_dispose(&raw);
      S_putb(c, out, &tag);
      S_putb(c, out, &buf);
      if (b.sticky == 0)
        S_puts(c, out, "</code></pre>");
      continue;
    }
    int bq = b.block == S_B_BQ;
    if (bq) {
      if (b.sticky <= 1) {
        S_puts(c, &tag, "<blockquote");
        S_block_attrs(c, &tag, &b, align, padl, padr, id, 0);
        if (g.has_cite) {
          S_puts(c, &tag, " cite=\"");
          S_format_url(c, &tag, g.cite.s, g.cite.n, "", 0);
          S_putc(c, &tag, '"');
        }
        S_putc(c, &tag, '>');
        b.clear = NULL;
      }
      S_puts(c, &tag, "<p>");
    } else if (b.block == S_B_FN) {
      S_puts(c, &tag, "<p");
      S_puts(c, &b.cls, " footnote");
      S_block_attrs(c, &tag, &b, align, padl, padr, id, 1);
      S_puts(c, &tag, "><sup>");
      S_put(c, &tag, b.fn.s, b.fn.n);
      S_puts(c, &tag, "</sup> ");
      b.block = S_B_P;
      b.clear = NULL;
    } else {
      char h[4] = "p";
      if (b.block == S_B_H)
        snprintf(h, sizeof h, "h%d", b.hlevel);
      S_putc(c, &tag, '<');
      S_puts(c, &tag, h);
      S_block_attrs(c, &tag, &b, align, padl, padr, id, 0);
      S_putc(c, &tag, '>');
      b.clear = NULL;
    }
    mtport_buf_clear(&buf);
    S_format_paragraph(c, &buf, para.s, para.n, depth);
    S_str bs = S_bstr(&buf);
    if (S_has_blocktag(bs.s, bs.n)) {
      if (S_at(bs.s, bs.n, 0, "\n\n"))
        bs.s += 2, bs.n -= 2;
      S_put(c, out, bs.s, bs.n);
      continue;
    }
    S_putb(c, out, &tag);
    if (b.has_filter) {
      mtport_buf fb = MTPORT_BUF_INIT;
      S_putc(c, &fb, '|');
      S_putb(c, &fb, &b.filter);
      S_putc(c, &fb, '|');
      S_put(c, &fb, bs.s, bs.n);
      S_str none = {"", 0};
      S_format_block_inline(c, out, none, S_bstr(&fb), none);
      mtport_buf_dispose(&fb);
    } else
      S_put(c, out, bs.s, bs.n);
    if (bq) {
      int has_p = 0;
      for (size_t k = 0; k + 2 < bs.n + 1 && !has_p; k++)
        has_p = bs.s[k] == '<' && k + 2 < bs.n && bs.s[k + 1] == 'p' &&
                (bs.s[k + 2] == ' ' || bs.s[k + 2] == '>');
      if (!has_p)
        S_puts(c, out, "</p>");
      if (b.sticky == 0)
        S_puts(c, out, "</blockquote>");
    } else if (b.block == S_B_H) {
      char h[8];
      snprintf(h, sizeof h, "</h%d>", b.hlevel);
      S_puts(c, out, h);
    } else
      S_puts(c, out, "</p>");
  }
  if (b.sticky)
    S_close_sticky(c, out, &b, depth, 1);
  mtport_buf_dispose(&pb);
  mtport_buf_dispose(&idb);
  mtport_buf_dispose(&alignb);
  mtport_buf_dispose(&tag);
  mtport_buf_dispose(&buf);
  mtport_buf_dispose(&b.cls);
  mtport_buf_dispose(&b.style);
  mtport_buf_dispose(&b.lang);
  mtport_buf_dispose(&b.bqlang);
  mtport_buf_dispose(&b.filter);
  mtport_buf_dispose(&b.stickybuf);
}

/* self-closes <img ...>, <br> and <hr ...> as XHTML wants */
static void S_xhtml_close(S_ctx *c, mtport_buf *out, const char *s, size_t n) {
  S_cache gt = S_CACHE_INIT;
  for (size_t p = 0; p < n;) {
    if (s[p] == '<' && (S_at(s, n, p + 1, "img") || S_at(s, n, p + 1, "br") ||
                        S_at(s, n, p + 1, "hr"))) {
      size_t g = S_find(&gt, s, n, p + 1, S_p_gt, NULL);
      if (g != S_NONE && s[g - 1] != '/') {
        S_put(c, out, s + p, g - p);
        S_puts(c, out, " />");
        p = g + 1;
        continue;
      }
    }
    S_putc(c, out, s[p++]);
  }
}

static void S_textile(S_ctx *c, mtport_buf *out, const char *s, size_t n,
                      int depth) {
  if (depth > S_MAX_DEPTH || c->err) {
    S_encode(c, out, s, n, 0);
    return;
  }
  size_t base = c->nrep;
  mtport_buf a = MTPORT_BUF_INIT, b = MTPORT_BUF_INIT;
  /* newlines: CRLF and CR become LF */
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\r') {
      S_putc(c, &a, '\n');
      if (i + 1 < n && s[i + 1] == '\n')
        i++;
    } else
      S_putc(c, &a, s[i]);
  }
#define S_STEP(call)                                                           \
  do {                                                                         \
    mtport_buf_clear(&b);                                                      \
    call;                                                                      \
    mtport_buf t_ = a;                                                         \
    a = b;                                                                     \
    b = t_;                                                                    \
  } while (0)
  S_STEP(S_pre_eqblocks(c, &b, a.data ? a.data : "", a.len));
  S_STEP(S_pre_script(c, &b, a.data ? a.data : "", a.len));
  S_STEP(S_pre_comments(c, &b, a.data ? a.data : "", a.len, 0));
  static const S_wrap pre = {"<pre", 1, "</pre>", 1, 1, 1},
                      code = {"<code", 2, "</code>", 0, 1, 0},
                      bcode = {"<blockcode", 2, "</blockcode>", 1, 1, 0},
                      caps = {"<span class=\"caps\"", 0, "</span>", 0, 1, 0};
  S_STEP(S_pre_wrap(c, &b, a.data ? a.data : "", a.len, &pre));
  S_STEP(S_pre_wrap(c, &b, a.data ? a.data : "", a.len, &code));
  S_STEP(S_pre_wrap(c, &b, a.data ? a.data : "", a.len, &bcode));
  S_STEP(S_pre_wrap(c, &b, a.data ? a.data : "", a.len, &caps));
  S_STEP(S_pre_comments(c, &b, a.data ? a.data : "", a.len, 1));
  S_aliases al;
  memset(&al, 0, sizeof al);
  S_STEP(S_pre_aliases(c, &b, a.data ? a.data : "", a.len, &al));
#undef S_STEP
  S_alias_index(c, &al);
  const S_aliases *outer = c->links;
  c->links = &al;
  S_str t = S_bstr(&a);
  while (t.n && t.s[0] == '\n')
    t.s++, t.n--;
  while (t.n && t.s[t.n - 1] == '\n')
    t.n--;
  mtport_buf_clear(&b);
  S_paragraphs(c, &b, t.s, t.n, depth);
  c->links = outer;
  mtport_buf_clear(&a);
  t = S_bstr(&b);
  S_restore(c, &a, t.s, t.n, base);
  t = S_bstr(&a);
  S_xhtml_close(c, out, t.s, t.n);
  free(al.v);
  free(al.slot);
  mtport_buf_dispose(&a);
  mtport_buf_dispose(&b);
}

int mtport__textile_to_html(mtport_buf *out, const char *s, size_t n) {
  S_ctx c;
  memset(&c, 0, sizeof c);
  /* the bytes the converter uses as markers cannot come from the text */
  mtport_buf in = MTPORT_BUF_INIT;
  for (size_t i = 0; i < n && !c.err; i++)
    if (s[i] != S_PH && s[i] != S_HIDDEN_NL)
      S_putc(&c, &in, s[i]);
  if (!c.err)
    S_textile(&c, out, in.data ? in.data : "", in.len, 0);
  mtport_buf_dispose(&in);
  mtport_buf_dispose(&c.pool);
  mtport_buf_dispose(&c.alias_pool);
  free(c.off);
  free(c.len);
  free(c.used);
  return c.err ? MTPORT_ENOMEM : MTPORT_OK;
}
