/* MT text export importer (Movable Type, TypePad, Hatena): the format of
 * docs/mt-formats.md §2, read as MT's own importer does and more leniently
 * where real files need it. The record splitter (mttext_core.c) cuts the
 * input into entries; this file decodes each one and fills the post. */
#include "mttext.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_CHUNK 65536

typedef struct S_state {
  mtport_mtt_core *core;
  mtport_enc *enc;
  mtport_tz *tz;
  mtport_linkmap *links;
  mtport_mtt_names *names; /* basenames so far */
  int eof;
  int feed_rc; /* the splitter failed: reported after the entries before */
  char *chunk;
  size_t chunk_size;    /* bytes read at a time (tests vary it) */
  mtport_buf text;      /* the current entry as UTF-8 */
  unsigned long seq;    /* entries read, for %e */
  char used_enc[8][24]; /* legacy encodings already announced */
  size_t n_used_enc;
  mtport_mtt_names *filters; /* unknown filters already announced */
  mtport_u16 *u16;           /* UTF-16 input, or NULL */
  mtport_buf conv;           /* its UTF-8 */
  unsigned u16_bad;
} S_state;

/* ---- sniffing ---- */

static int S_sniff(const unsigned char *h, size_t n) {
  size_t i = 0;
  if (n >= 2 &&
      ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == 0xFE && h[1] == 0xFF))) {
    /* UTF-16: sniff the ASCII the code units spell */
    unsigned char ascii[MTPORT_HEAD_SIZE / 2];
    size_t m = 0;
    int lo = h[0] == 0xFF ? 0 : 1;
    for (size_t k = 2; k + 1 < n && m < sizeof ascii; k += 2)
      ascii[m++] = h[k + 1 - lo] == 0 ? h[k + lo] : '?';
    return S_sniff(ascii, m);
  }
  if (n >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  int keys = 0, lines = 0, first_key = -1, sections = 0;
  while (i < n && lines < 40) {
    const unsigned char *nl = memchr(h + i, '\n', n - i);
    size_t len = nl ? (size_t)(nl - (h + i)) : n - i;
    const char *s = (const char *)h + i;
    size_t t = len;
    while (t && isspace((unsigned char)s[t - 1]))
      t--;
    if (t) {
      int k = mtport_mtt__is_header_key_line(s, t);
      if (first_key < 0 && !(t == 8 && memcmp(s, "--------", 8) == 0))
        first_key = k;
      keys += k;
      if ((t == 5 && memcmp(s, "-----", 5) == 0) ||
          (t == 5 && memcmp(s, "BODY:", 5) == 0))
        sections++;
      lines++;
    }
    if (!nl)
      break;
    i += len + 1;
  }
  if (keys == 0)
    return 0;
  int score = first_key > 0 ? 60 : 20;
  score += keys >= 3 ? 15 : 5;
  if (sections)
    score += 15;
  return score > 95 ? 95 : score;
}

/* ---- open / close ---- */

static void S_close(void *state) {
  S_state *st = state;
  if (!st)
    return;
  mtport_mtt__core_free(st->core);
  mtport_enc__free(st->enc);
  mtport_tz__free(st->tz);
  mtport_linkmap__free(st->links);
  mtport_mtt__names_free(st->names);
  mtport_mtt__names_free(st->filters);
  mtport_u16__free(st->u16);
  mtport_buf_dispose(&st->conv);
  mtport_buf_dispose(&st->text);
  free(st->chunk);
  free(st);
}

static int S_open(mtport_reader *r, void **state) {
  S_state *st = calloc(1, sizeof *st);
  if (!st || mtport_mtt__core_new(&st->core) != MTPORT_OK ||
      mtport_mtt__names_new(&st->names) != MTPORT_OK ||
      mtport_mtt__names_new(&st->filters) != MTPORT_OK ||
      !(st->chunk = malloc(S_CHUNK))) {
    S_close(st);
    return MTPORT_ENOMEM;
  }
  *state = st;
  st->chunk_size = S_CHUNK;
  int rc = mtport_enc__new(&st->enc, r->opts.input_encoding);
  if (rc != MTPORT_OK) {
    if (rc == MTPORT_ENOTFOUND)
      mtport_reader__diag(r, MTPORT_SEV_FATAL, "bad-encoding", 0, 0, NULL,
                          "unknown input encoding '%s'",
                          r->opts.input_encoding);
    return rc == MTPORT_ENOTFOUND ? MTPORT_EINVALID : rc;
  }
  const unsigned char *h = r->in.head;
  if (r->in.head_len >= 2 &&
      ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == 0xFE && h[1] == 0xFF))) {
    rc = mtport_u16__new(&st->u16, h[0] == 0xFE);
    if (rc != MTPORT_OK)
      return rc == MTPORT_ENOMEM ? rc : MTPORT_ERROR;
    mtport_reader__diag(r, MTPORT_SEV_NOTE, "utf-16", 0, 0, NULL,
                        "UTF-16 input (byte order mark): read as UTF-16%s%s",
                        h[0] == 0xFE ? "BE" : "LE",
                        r->opts.input_encoding ? "; --input-encoding ignored"
                                               : "");
    mtport_enc__free(st->enc);
    st->enc = NULL;
    rc = mtport_enc__new(&st->enc, NULL);
    if (rc != MTPORT_OK)
      return rc;
  }
  if (r->opts.timezone) {
    rc = mtport_tz__open(&st->tz, r->opts.timezone);
    if (rc != MTPORT_OK) {
      if (rc != MTPORT_ENOMEM)
        mtport_reader__diag(r, MTPORT_SEV_FATAL, "bad-timezone", 0, 0, NULL,
                            "unknown time zone '%s' (use +hh:mm or an IANA "
                            "name such as America/New_York)",
                            r->opts.timezone);
      return rc == MTPORT_ENOMEM ? rc : MTPORT_EINVALID;
    }
  } else
    mtport_reader__diag(r, MTPORT_SEV_WARNING, "no-timezone", 0, 0, NULL,
                        "the text export has no time zone: dates are read as "
                        "UTC (--timezone sets the blog's zone)");
  if (r->opts.site_url &&
      mtport_set_str(&r->site->home_url, r->opts.site_url, (size_t)-1) < 0)
    return MTPORT_ENOMEM;
  if (r->opts.site_url && *r->opts.site_url)
    mtport_reader__diag(r, MTPORT_SEV_NOTE, "permalink-pattern", 0, 0, NULL,
                        "old URLs not given by the export are computed from "
                        "the site URL and the file template '%s'",
                        r->opts.permalink_pattern && *r->opts.permalink_pattern
                            ? r->opts.permalink_pattern
                            : "%y/%m/%-f");
  if (r->opts.permalinks_from) {
    rc = mtport_linkmap__load(&st->links, r, r->opts.permalinks_from);
    if (rc != MTPORT_OK) {
      mtport_reader__diag(r, MTPORT_SEV_FATAL, "bad-permalinks-from", 0, 0,
                          NULL, "cannot read permalinks from '%s'",
                          r->opts.permalinks_from);
      return rc;
    }
    mtport_reader__diag(r, MTPORT_SEV_NOTE, "permalinks-loaded", 0, 0, NULL,
                        "%zu permalinks read from '%s'",
                        mtport_linkmap__size(st->links),
                        r->opts.permalinks_from);
  }
  return MTPORT_OK;
}

/* ---- small string helpers ---- */

typedef struct S_span {
  const char *s;
  size_t n;
} S_span;

static S_span S_trim(const char *s, size_t n) {
  while (n && isspace((unsigned char)*s))
    s++, n--;
  while (n && isspace((unsigned char)s[n - 1]))
    n--;
  S_span r = {s, n};
  return r;
}

static int S_eq(S_span a, const char *lit) {
  return strlen(lit) == a.n && memcmp(a.s, lit, a.n) == 0;
}

/* "KEY: value" split at the first colon, both sides trimmed. */
static int S_split_kv(const char *s, size_t n, S_span *k, S_span *v) {
  const char *c = memchr(s, ':', n);
  if (!c)
    return 0;
  *k = S_trim(s, (size_t)(c - s));
  *v = S_trim(c + 1, n - (size_t)(c + 1 - s));
  return 1;
}

/* A NUL-terminated copy of a span, in a caller's scratch buffer. */
static const char *S_z(mtport_buf *b, S_span sp) {
  mtport_buf_clear(b);
  mtport_buf_append(b, sp.s, sp.n);
  return b->data ? b->data : "";
}

/* The lines of the entry text. */
typedef struct S_line {
  const char *s;
  size_t n;
} S_line;

typedef struct S_lines {
  S_line *v;
  size_t n, cap;
} S_lines;

static int S_split_lines(S_lines *L, const char *s, size_t n) {
  L->n = 0;
  const char *end = s + n;
  while (s < end) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    size_t k = nl ? (size_t)(nl - s) : (size_t)(end - s);
    if (L->n == L->cap) {
      size_t nc = L->cap ? L->cap * 2 : 256;
      S_line *nv = realloc(L->v, nc * sizeof *nv);
      if (!nv)
        return MTPORT_ENOMEM;
      L->v = nv, L->cap = nc;
    }
    L->v[L->n].s = s;
    L->v[L->n].n = k;
    L->n++;
    s += k + 1;
  }
  return MTPORT_OK;
}

/* 1: a `-----` section separator (trailing blanks allowed); 2: MT 9.2's
 * TAB-escaped literal `-----` or `--------`; 0: text. */
static int S_dash_kind(const S_line *l) {
  if (l->n == 6 && memcmp(l->s, "-----\t", 6) == 0)
    return 2;
  if (l->n == 9 && memcmp(l->s, "--------\t", 9) == 0)
    return 2;
  if (l->n >= 5 && memcmp(l->s, "-----", 5) == 0) {
    for (size_t i = 5; i < l->n; i++)
      if (l->s[i] != ' ' && l->s[i] != '\t')
        return 0;
    return 1;
  }
  return 0;
}

/* Appends lines [a, b) joined by LF, un-escaping 9.2's TAB escapes, with
 * trailing whitespace removed (as MT does). */
static int S_join(mtport_buf *out, const S_line *v, size_t a, size_t b) {
  mtport_buf_clear(out);
  for (size_t i = a; i < b; i++) {
    size_t n = v[i].n;
    if (S_dash_kind(&v[i]) == 2)
      n--;
    if (i > a)
      mtport_buf_putc(out, '\n');
    if (mtport_buf_append(out, v[i].s, n) != MTPORT_OK)
      return MTPORT_ENOMEM;
  }
  while (out->len && isspace((unsigned char)out->data[out->len - 1]))
    out->data[--out->len] = '\0';
  return MTPORT_OK;
}

/* ---- dates ---- */

static int S_date(mtport_reader *r, S_state *st, const char *v,
                  mtport_time *out, int *lenient) {
  mtport_tm tm;
  int k = mtport_mtt__parse_date(v, &tm);
  if (k < 0)
    return -1;
  *lenient = k;
  int off = st->tz ? mtport_tz__offset_local(st->tz, &tm) : 0;
  (void)r;
  return mtport_time_from_local(out, &tm, off, st->tz != NULL) == MTPORT_OK
             ? 0
             : -1;
}

/* ---- the header block ---- */

typedef struct S_entry {
  mtport_buf author, author_email, primary, date, body_start;
  unsigned long date_line;
  int has_date, has_status, has_convert, start_body, junk_lines;
  unsigned long junk_line;
  mtport_text_format fmt;
  char *filter;
} S_entry;

static int S_tag_cb(const char *t, size_t n, void *ud) {
  mtport_post *p = ud;
  char *z = mtport__strndup(t, n);
  if (!z)
    return MTPORT_ENOMEM;
  int rc = mtport_post_add_tag(p, z, NULL);
  free(z);
  return rc < 0 ? rc : 0;
}

/* 1 the first time @name is seen (a note per input, not per entry). */
static int S_first_time(mtport_mtt_names *seen, const char *name) {
  return mtport_mtt__names_add(seen, name) == 1;
}

static int S_flag(S_span v, mtport_flag *out, int legacy2) {
  if (!v.n || S_eq(v, "0")) /* empty reads as 0 in MT */
    *out = MTPORT_FLAG_OFF;
  else if (S_eq(v, "1"))
    *out = MTPORT_FLAG_ON;
  else if (legacy2 && S_eq(v, "2")) /* MT < 3.2: closed */
    *out = MTPORT_FLAG_OFF;
  else
    return -1;
  return 0;
}

static int S_header_line(mtport_reader *r, S_state *st, mtport_post *p,
                         S_entry *e, const S_line *l, unsigned long line_no,
                         mtport_buf *tmp) {
  S_span t = S_trim(l->s, l->n), k, v;
  if (e->start_body) { /* legacy: the rest of the header is the body */
    if (e->body_start.len)
      mtport_buf_putc(&e->body_start, '\n');
    return mtport_buf_append(&e->body_start, l->s, l->n);
  }
  if (t.n >= 3 && memcmp(t.s, "\xEF\xBB\xBF", 3) == 0) /* concatenated */
    t = S_trim(t.s + 3, t.n - 3);
  if (!t.n || (t.n == 1 && *t.s == '0'))
    return MTPORT_OK;
  if (!S_split_kv(t.s, t.n, &k, &v)) {
    if (!e->junk_lines++)
      e->junk_line = line_no;
    return MTPORT_OK;
  }
  const char *val = S_z(tmp, v);
  int rc = 0;
  if (S_eq(k, "AUTHOR")) {
    mtport_buf_clear(&e->author);
    rc = mtport_buf_append(&e->author, v.s, v.n);
  } else if (S_eq(k, "AUTHOR EMAIL")) {
    mtport_buf_clear(&e->author_email);
    rc = mtport_buf_append(&e->author_email, v.s, v.n);
  } else if (S_eq(k, "TITLE")) {
    rc = mtport_set_str(&p->title, v.n ? v.s : NULL, v.n);
  } else if (S_eq(k, "BASENAME")) {
    rc = v.n ? mtport_set_str(&p->basename, v.s, v.n) : 0;
  } else if (S_eq(k, "STATUS")) {
    e->has_status = 1;
    if (mtport_mtt__status(val, &p->status) != 0) {
      mtport_reader__diag(r, MTPORT_SEV_WARNING, "bad-status", line_no, 1, p,
                          "unknown STATUS '%s': status left unknown", val);
      rc = mtport_post_add_extra(p, "STATUS", val);
    }
  } else if (S_eq(k, "ALLOW COMMENTS") || S_eq(k, "ALLOW PINGS")) {
    int pings = S_eq(k, "ALLOW PINGS");
    mtport_flag *f = pings ? &p->allow_pings : &p->allow_comments;
    if (S_flag(v, f, !pings) != 0) {
      *f = MTPORT_FLAG_UNKNOWN;
      mtport_reader__diag(r, MTPORT_SEV_WARNING, "bad-flag", line_no, 1, p,
                          "%s '%s' is not 0 or 1: left unknown",
                          pings ? "ALLOW PINGS" : "ALLOW COMMENTS", val);
    }
  } else if (S_eq(k, "CONVERT BREAKS")) {
    e->has_convert = 1;
    e->fmt = mtport_mtt__text_format(val);
    free(e->filter);
    e->filter = v.n ? mtport__strdup(val) : NULL;
    if (e->fmt == MTPORT_TEXT_UNKNOWN && S_first_time(st->filters, val))
      mtport_reader__diag(r, MTPORT_SEV_NOTE, "unknown-filter", line_no, 1, p,
                          "unknown text filter '%s': bodies that use it are "
                          "kept as written",
                          val);
  } else if (S_eq(k, "PRIMARY CATEGORY")) {
    mtport_buf_clear(&e->primary);
    rc = mtport_buf_append(&e->primary, v.s, v.n);
  } else if (S_eq(k, "CATEGORY")) {
    rc = v.n ? mtport_post_add_category(p, val, NULL, NULL, 0) : 0;
  } else if (S_eq(k, "DATE")) {
    mtport_buf_clear(&e->date);
    rc = mtport_buf_append(&e->date, v.s, v.n);
    e->has_date = 1;
    e->date_line = line_no;
  } else if (S_eq(k, "TAGS")) {
    rc = mtport_mtt__split_tags(val, S_tag_cb, p);
  } else if (S_eq(k, "UNIQUE URL")) {
    rc = v.n ? mtport_set_str(&p->permalink, v.s, v.n) : 0;
  } else if (S_eq(k, "START BODY")) {
    e->start_body = 1;
  } else if (S_eq(k, "NO ENTRY")) {
    mtport_reader__diag(r, MTPORT_SEV_WARNING, "no-entry", line_no, 1, p,
                        "NO ENTRY record (MT attaches its comments to an "
                        "existing entry): written as an entry of its own");
    rc = mtport_post_add_extra(p, "NO ENTRY", v.n ? val : "1");
  } else {
    /* IMAGE (Hatena), CF50_* custom fields, anything else: kept */
    char *key = mtport__strndup(k.s, k.n);
    rc = key ? mtport_post_add_extra(p, key, val) : MTPORT_ENOMEM;
    free(key);
  }
  (void)st;
  return rc < 0 ? rc : MTPORT_OK;
}

/* ---- sections ---- */

enum {
  S_SEC_NONE,
  S_SEC_BODY,
  S_SEC_MORE,
  S_SEC_EXCERPT,
  S_SEC_KEYWORDS,
  S_SEC_COMMENT,
  S_SEC_PING,
  S_SEC_FIELDS,
  S_SEC_BLOCK,
  S_SEC_BLANK
};

/* Classifies a section by its first non-blank line @l; *inline_val gets
 * text written on the header line itself (lenient). */
static int S_section_kind(const S_line *l, S_span *name, S_span *inline_val) {
  static const struct {
    const char *name;
    int kind;
  } secs[] = {{"BODY", S_SEC_BODY},       {"EXTENDED BODY", S_SEC_MORE},
              {"EXCERPT", S_SEC_EXCERPT}, {"KEYWORDS", S_SEC_KEYWORDS},
              {"COMMENT", S_SEC_COMMENT}, {"PING", S_SEC_PING}};
  S_span t = S_trim(l->s, l->n), k, v;
  inline_val->n = 0;
  if (!S_split_kv(t.s, t.n, &k, &v) || !k.n)
    return S_SEC_NONE;
  *name = k;
  *inline_val = v;
  for (size_t i = 0; i < sizeof secs / sizeof *secs; i++)
    if (S_eq(k, secs[i].name))
      return secs[i].kind;
  /* custom-field blocks: CF50_x: value lines, or a KEY: line alone */
  if (k.n > 2 && k.s[0] == 'C' && k.s[1] == 'F' &&
      isdigit((unsigned char)k.s[2]))
    return S_SEC_FIELDS;
  for (size_t i = 0; i < k.n; i++)
    if (!isupper((unsigned char)k.s[i]) && !isdigit((unsigned char)k.s[i]) &&
        k.s[i] != '_' && k.s[i] != ' ')
      return S_SEC_NONE;
  return v.n ? S_SEC_NONE : S_SEC_BLOCK;
}

static int S_comment(mtport_reader *r, S_state *st, mtport_post *p, int ping,
                     const S_line *v, size_t a, size_t b,
                     unsigned long first_line, mtport_buf *tmp) {
  mtport_comment *c = mtport_post_add_comment(p);
  if (!c)
    return MTPORT_ENOMEM;
  c->kind = ping ? MTPORT_TRACKBACK : MTPORT_COMMENT;
  c->approved = 1; /* the export holds visible ones only */
  size_t i = a;
  int rc = 0;
  for (; i < b && rc >= 0; i++) {
    S_span t = S_trim(v[i].s, v[i].n), k, val;
    if (!t.n || !S_split_kv(t.s, t.n, &k, &val))
      break;
    const char *z = S_z(tmp, val);
    if (S_eq(k, "DATE")) {
      int lenient = 0;
      if (S_date(r, st, z, &c->date, &lenient) != 0) {
        memset(&c->date, 0, sizeof c->date);
        mtport_reader__diag(r, MTPORT_SEV_WARNING, "bad-date",
                            first_line + (i - a), 1, p,
                            "%s DATE '%s' not understood: left without a date",
                            ping ? "ping" : "comment", z);
      }
    } else if (S_eq(k, "IP"))
      rc = val.n ? mtport_set_str(&c->ip, val.s, val.n) : 0;
    else if (S_eq(k, "URL"))
      rc = val.n ? mtport_set_str(&c->author.url, val.s, val.n) : 0;
    else if (!ping && S_eq(k, "AUTHOR"))
      rc = val.n ? mtport_set_str(&c->author.name, val.s, val.n) : 0;
    else if (!ping && S_eq(k, "EMAIL"))
      rc = val.n ? mtport_set_str(&c->author.email, val.s, val.n) : 0;
    else if (ping && S_eq(k, "TITLE"))
      rc = val.n ? mtport_set_str(&c->title, val.s, val.n) : 0;
    else if (ping && S_eq(k, "BLOG NAME"))
      rc = val.n ? mtport_set_str(&c->author.name, val.s, val.n) : 0;
    else
      break; /* the first line that is not a known key starts the text */
  }
  if (rc < 0)
    return rc;
  while (i < b && !S_trim(v[i].s, v[i].n).n)
    i++;
  if (i < b) {
    if (S_join(tmp, v, i, b) != MTPORT_OK)
      return MTPORT_ENOMEM;
    /* comment text is sanitized HTML whose line breaks MT converts */
    if (tmp->len &&
        mtport_text_set(&c->body, tmp->data, tmp->len,
                        ping ? MTPORT_TEXT_HTML : MTPORT_TEXT_CONVERT_BREAKS,
                        NULL) < 0)
      return MTPORT_ENOMEM;
  }
  return MTPORT_OK;
}

/* Custom-field blocks (MT 5+ CustomFields): single-line `CF50_x: value`
 * lines, or `CF50_x:` followed by a multi-line value. */
static int S_fields(mtport_post *p, const S_line *v, size_t a, size_t b,
                    mtport_buf *tmp) {
  int all_keys = 1;
  for (size_t i = a; i < b; i++) {
    S_span t = S_trim(v[i].s, v[i].n), k, val;
    if (t.n && !S_split_kv(t.s, t.n, &k, &val))
      all_keys = 0;
  }
  S_span k = {"", 0}, val = {"", 0};
  S_span t0 = S_trim(v[a].s, v[a].n);
  S_split_kv(t0.s, t0.n, &k, &val);
  if (!all_keys || (b - a > 1 && !val.n)) {
    char *key = mtport__strndup(k.s, k.n);
    if (!key || S_join(tmp, v, a + 1, b) != MTPORT_OK) {
      free(key);
      return MTPORT_ENOMEM;
    }
    mtport_buf whole = MTPORT_BUF_INIT;
    if (val.n) {
      mtport_buf_append(&whole, val.s, val.n);
      if (tmp->len)
        mtport_buf_putc(&whole, '\n');
    }
    mtport_buf_append(&whole, tmp->data ? tmp->data : "", tmp->len);
    int rc = mtport_post_add_extra(p, key, whole.data ? whole.data : "");
    mtport_buf_dispose(&whole);
    free(key);
    return rc < 0 ? rc : MTPORT_OK;
  }
  for (size_t i = a; i < b; i++) {
    S_span t = S_trim(v[i].s, v[i].n);
    if (!t.n || !S_split_kv(t.s, t.n, &k, &val))
      continue;
    char *key = mtport__strndup(k.s, k.n);
    int rc = key ? mtport_post_add_extra(p, key, S_z(tmp, val)) : MTPORT_ENOMEM;
    free(key);
    if (rc < 0)
      return rc;
  }
  return MTPORT_OK;
}

/* ---- one entry ---- */

typedef struct S_piece {
  size_t a, b; /* lines [a, b): the header line, then the value */
  int kind;
  S_span name, inline_val;
} S_piece;

static void S_entry_dispose(S_entry *e) {
  mtport_buf_dispose(&e->author);
  mtport_buf_dispose(&e->author_email);
  mtport_buf_dispose(&e->primary);
  mtport_buf_dispose(&e->date);
  mtport_buf_dispose(&e->body_start);
  free(e->filter);
}

static int S_set_section(mtport_post *p, S_entry *e, int kind,
                         mtport_buf *val) {
  mtport_text *t = kind == S_SEC_BODY      ? &p->body
                   : kind == S_SEC_MORE    ? &p->more
                   : kind == S_SEC_EXCERPT ? &p->excerpt
                                           : NULL;
  if (kind == S_SEC_KEYWORDS)
    return val->len ? mtport_set_str(&p->keywords, val->data, val->len) : 0;
  if (!t || !val->len) /* empty sections leave the field unset */
    return 0;
  if (kind == S_SEC_EXCERPT)
    return mtport_text_set(t, val->data, val->len, MTPORT_TEXT_HTML, NULL);
  return mtport_text_set(t, val->data, val->len, e->fmt, e->filter);
}

static void S_announce_encoding(mtport_reader *r, S_state *st,
                                const mtport_post *p, const char *enc) {
  if (strcmp(enc, "UTF-8") == 0 && !r->opts.input_encoding)
    return;
  for (size_t i = 0; i < st->n_used_enc; i++)
    if (strcmp(st->used_enc[i], enc) == 0)
      return;
  if (st->n_used_enc < sizeof st->used_enc / sizeof *st->used_enc) {
    snprintf(st->used_enc[st->n_used_enc], sizeof st->used_enc[0], "%s", enc);
    st->n_used_enc++;
  }
  mtport_reader__diag(r, MTPORT_SEV_NOTE, "legacy-encoding", 0, 0, p,
                      "not UTF-8: entries like this one read as %s%s", enc,
                      r->opts.input_encoding ? " (forced)" : " (detected)");
}

static int S_parse(mtport_reader *r, S_state *st, const mtport_mtt_record *rec,
                   mtport_post *p) {
  mtport_enc_result er;
  mtport_buf_clear(&st->text);
  int rc = mtport_enc__decode(st->enc, rec->text, rec->len, &st->text, &er);
  if (rc != MTPORT_OK)
    return rc;
  p->origin.line = rec->line;
  p->origin.col = 1;
  { /* the setters drop C0 controls, NUL and DEL: say so, once per entry */
    unsigned long ctl = 0;
    for (size_t k = 0; k < st->text.len; k++) {
      unsigned char c = (unsigned char)st->text.data[k];
      ctl += (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
    }
    if (ctl)
      mtport_reader__diag(r, MTPORT_SEV_WARNING, "invalid-text", rec->line, 1,
                          p, "%lu control character(s) removed", ctl);
    /* so do the setters references to them, in every text read as HTML
     * (titles when they are made plain) */
    int refs = 0;
    if (st->text.len && strstr(st->text.data, "&#")) {
      mtport_buf scratch = MTPORT_BUF_INIT;
      refs = mtport__html_fix_refs(&scratch, st->text.data, st->text.len);
      mtport_buf_dispose(&scratch);
    }
    if (refs > 0)
      mtport_reader__diag(r, MTPORT_SEV_WARNING, "invalid-text", rec->line, 1,
                          p,
                          "%d character reference(s) to a control character "
                          "or noncharacter removed, or read as windows-1252",
                          refs);
  }
  S_lines L = {NULL, 0, 0};
  S_piece *pc = NULL;
  size_t npc = 0, cap = 0;
  S_entry e;
  memset(&e, 0, sizeof e);
  e.fmt = MTPORT_TEXT_CONVERT_BREAKS; /* MT's default filter */
  mtport_buf tmp = MTPORT_BUF_INIT, val = MTPORT_BUF_INIT;
  rc = S_split_lines(&L, st->text.data ? st->text.data : "", st->text.len);
  /* the header block runs to the first `-----`, or (hand-made files) to a
   * bare section header such as `BODY:` */
  size_t i = 0;
  int implicit = 0;
  for (; rc == MTPORT_OK && i < L.n && S_dash_kind(&L.v[i]) != 1; i++) {
    S_span nm, iv;
    int kind = S_section_kind(&L.v[i], &nm, &iv);
    if (kind >= S_SEC_BODY && kind <= S_SEC_PING && !iv.n) {
      mtport_reader__diag(r, MTPORT_SEV_WARNING, "missing-separator",
                          rec->line + i, 1, p,
                          "no '-----' line between the header and this "
                          "section: read as if there were one");
      implicit = 1;
      break;
    }
    rc = S_header_line(r, st, p, &e, &L.v[i], rec->line + i, &tmp);
  }
  /* the sections; one whose first line names none continues the previous
   * section (a `-----` line inside a body) */
  while (rc == MTPORT_OK && i < L.n) {
    size_t a = implicit ? i : i + 1;
    implicit = 0;
    i = a;
    while (i < L.n && S_dash_kind(&L.v[i]) != 1)
      i++;
    size_t h = a;
    while (h < i && !S_trim(L.v[h].s, L.v[h].n).n)
      h++;
    S_piece cur = {h, i, S_SEC_BLANK, {NULL, 0}, {NULL, 0}};
    if (h < i)
      cur.kind = S_section_kind(&L.v[h], &cur.name, &cur.inline_val);
    if (cur.kind == S_SEC_BLANK)
      continue;
    if (cur.kind == S_SEC_NONE && npc) {
      mtport_reader__diag(r, MTPORT_SEV_WARNING, "stray-separator",
                          rec->line + a - 1, 1, p,
                          "a '-----' line inside a field: kept as text");
      pc[npc - 1].b = i;
      continue;
    }
    if (npc == cap) {
      size_t nc = cap ? cap * 2 : 16;
      S_piece *np = realloc(pc, nc * sizeof *np);
      if (!np) {
        rc = MTPORT_ENOMEM;
        break;
      }
      pc = np, cap = nc;
    }
    pc[npc++] = cur;
  }
  if (rc == MTPORT_OK && e.start_body && e.body_start.len)
    rc = mtport_text_set(&p->body, e.body_start.data, e.body_start.len, e.fmt,
                         e.filter) < 0
             ? MTPORT_ENOMEM
             : MTPORT_OK;
  for (size_t k = 0; rc == MTPORT_OK && k < npc; k++) {
    S_piece *s = &pc[k];
    unsigned long line = rec->line + s->a;
    switch (s->kind) {
    case S_SEC_BODY:
    case S_SEC_MORE:
    case S_SEC_EXCERPT:
    case S_SEC_KEYWORDS:
      rc = S_join(&val, L.v, s->a + 1, s->b);
      if (rc == MTPORT_OK && s->inline_val.n) { /* "BODY: text" (lenient) */
        mtport_buf both = MTPORT_BUF_INIT;
        mtport_buf_append(&both, s->inline_val.s, s->inline_val.n);
        if (val.len)
          mtport_buf_putc(&both, '\n');
        mtport_buf_append(&both, val.data ? val.data : "", val.len);
        mtport_buf_dispose(&val);
        val = both;
      }
      if (rc == MTPORT_OK)
        rc =
            S_set_section(p, &e, s->kind, &val) < 0 ? MTPORT_ENOMEM : MTPORT_OK;
      break;
    case S_SEC_COMMENT:
    case S_SEC_PING:
      rc = S_comment(r, st, p, s->kind == S_SEC_PING, L.v, s->a + 1, s->b,
                     line + 1, &tmp);
      break;
    case S_SEC_FIELDS:
    case S_SEC_BLOCK:
      rc = S_fields(p, L.v, s->a, s->b, &tmp);
      break;
    default: /* text before any section */
      mtport_reader__diag(r, MTPORT_SEV_WARNING, "unknown-section", line, 1, p,
                          "a section without a known name: left out");
      break;
    }
  }
  /* what the header block gave */
  if (rc == MTPORT_OK && (e.author.len || e.author_email.len))
    rc = mtport_post_add_author(p, e.author.len ? e.author.data : NULL,
                                e.author_email.len ? e.author_email.data : NULL,
                                NULL) < 0
             ? MTPORT_ENOMEM
             : MTPORT_OK;
  if (rc == MTPORT_OK && e.primary.len)
    rc = mtport_post_add_category(p, e.primary.data, NULL, NULL, 1) < 0
             ? MTPORT_ENOMEM
             : MTPORT_OK;
  if (rc == MTPORT_OK && e.has_date) {
    int lenient = 0;
    const char *d = e.date.data ? e.date.data : "";
    if (S_date(r, st, d, &p->published, &lenient) != 0) {
      memset(&p->published, 0, sizeof p->published);
      mtport_reader__diag(r, MTPORT_SEV_ERROR, "bad-date", e.date_line, 1, p,
                          "DATE '%s' not understood (MT wants MM/DD/YYYY "
                          "hh:mm:ss AM): entry left without a date",
                          d);
    } else if (lenient)
      mtport_reader__diag(r, MTPORT_SEV_NOTE, "lenient-date", e.date_line, 1, p,
                          "DATE '%s' is not in MT's exact form: read as "
                          "best understood",
                          d);
  } else if (rc == MTPORT_OK)
    mtport_reader__diag(r, MTPORT_SEV_WARNING, "no-date", 0, 0, p,
                        "entry without DATE");
  if (rc == MTPORT_OK && !e.has_status)
    p->status = MTPORT_STATUS_PUBLISH; /* MT's import form default */
  if (rc == MTPORT_OK && e.junk_lines)
    mtport_reader__diag(r, MTPORT_SEV_NOTE, "header-junk", e.junk_line, 1, p,
                        "%d header line(s) without 'KEY:' ignored",
                        e.junk_lines);
  if (rc == MTPORT_OK && rec->merges)
    mtport_reader__diag(r, MTPORT_SEV_WARNING, "separator-in-text",
                        rec->merge_line, 1, p,
                        "%u '--------' line(s) inside a body or comment: the "
                        "text after them has no entry header, so it stays "
                        "in this entry",
                        rec->merges);
  /* basename and old URL */
  char *derived = NULL;
  if (rc == MTPORT_OK && p->basename &&
      mtport_mtt__names_add(st->names, p->basename) < 0)
    rc = MTPORT_ENOMEM;
  if (rc == MTPORT_OK && !p->basename) {
    /* exports without BASENAME come from MT < 4.0, whose limit was 30 */
    char *base = mtport_mtt__derive_basename(p->title, p->body.text, 30);
    derived = base ? mtport_mtt__unique_basename(st->names, base) : NULL;
    free(base);
    if (!derived || mtport_post_add_extra(p, "derived_basename", derived) < 0)
      rc = MTPORT_ENOMEM;
  }
  if (rc == MTPORT_OK && !p->permalink && st->links) {
    const char *u = mtport_linkmap__find(st->links, p->title, &p->published);
    if (u)
      rc = mtport_set_str(&p->permalink, u, (size_t)-1) < 0 ? MTPORT_ENOMEM
                                                            : MTPORT_OK;
    else
      mtport_reader__diag(r, MTPORT_SEV_NOTE, "no-permalink-match", 0, 0, p,
                          "no entry with this title and date in '%s'",
                          r->opts.permalinks_from);
  }
  if (rc == MTPORT_OK && !p->permalink && r->opts.site_url &&
      *r->opts.site_url) {
    mtport_buf_clear(&tmp);
    if (mtport_mtt__expand_pattern(&tmp, r->opts.permalink_pattern, p,
                                   p->basename ? p->basename : derived,
                                   st->seq) == 0) {
      mtport_buf base = MTPORT_BUF_INIT;
      mtport_buf_puts(&base, r->opts.site_url);
      if (base.len && base.data[base.len - 1] != '/')
        mtport_buf_putc(&base, '/');
      char *u = mtport_url_resolve(base.data, tmp.data ? tmp.data : "");
      if (!u || mtport_set_str(&p->permalink, u, (size_t)-1) < 0)
        rc = MTPORT_ENOMEM;
      free(u);
      mtport_buf_dispose(&base);
    }
  }
  free(derived);
  if (rc == MTPORT_OK) {
    S_announce_encoding(r, st, p, er.encoding);
    if (er.fallback || er.replaced)
      mtport_reader__diag(
          r, MTPORT_SEV_WARNING, "bad-encoding", 0, 0, p,
          "%u byte(s) not valid %s read as single-byte text, %u replaced "
          "by U+FFFD",
          er.fallback, er.encoding, er.replaced);
  }
  free(L.v);
  free(pc);
  mtport_buf_dispose(&tmp);
  mtport_buf_dispose(&val);
  S_entry_dispose(&e);
  return rc;
}

/* A failed feed: a limit passed, or no memory. */
static int S_feed_failed(mtport_reader *r, S_state *st, int rc) {
  unsigned long line = 0;
  const char *what = mtport_mtt__core_limit(st->core, &line);
  if (rc == MTPORT_EPARSE && what)
    mtport_reader__diag(
        r, MTPORT_SEV_FATAL, "too-long", line, 1, NULL,
        "%s longer than %zu MB (mtport's limit for a text export %s; %lu "
        "entr%s read before it)",
        strcmp(what, "line") == 0 ? "a line" : "an entry",
        (strcmp(what, "line") == 0 ? MTPORT_MTT_MAX_LINE
                                   : MTPORT_MTT_MAX_RECORD) >>
            20,
        what, r->count, r->count == 1 ? "y" : "ies");
  else
    mtport_reader__diag(r, MTPORT_SEV_FATAL, "out-of-memory", 0, 0, NULL,
                        "out of memory");
  return rc;
}

static int S_next(mtport_reader *r, void *state, mtport_post *p) {
  S_state *st = state;
  for (;;) {
    mtport_mtt_record rec;
    if (mtport_mtt__core_next(st->core, &rec)) {
      if (rec.orphan) {
        mtport_reader__diag(r, MTPORT_SEV_WARNING, "no-header", rec.line, 1,
                            NULL,
                            "text without an entry header before the first "
                            "entry: left out");
        continue;
      }
      st->seq++;
      int rc = S_parse(r, st, &rec, p);
      if (rc != MTPORT_OK) {
        mtport_reader__diag(r, MTPORT_SEV_FATAL, "out-of-memory", rec.line, 1,
                            NULL, "out of memory");
        return rc;
      }
      return 1;
    }
    if (st->feed_rc)
      return S_feed_failed(r, st, st->feed_rc);
    if (st->eof)
      return 0;
    long k = mtport_input__read(&r->in, st->chunk, st->chunk_size);
    int rc;
    if (k < 0) {
      mtport_reader__diag(r, MTPORT_SEV_FATAL, "read-failed", 0, 0, NULL,
                          "cannot read: %s", mtport_input__why(&r->in));
      return MTPORT_EIO;
    }
    if (st->u16) { /* UTF-16 -> UTF-8 before the splitter */
      mtport_buf_clear(&st->conv);
      rc = mtport_u16__feed(st->u16, st->chunk, (size_t)k, &st->conv,
                            &st->u16_bad);
      if (rc == MTPORT_OK && st->conv.len)
        rc = mtport_mtt__core_feed(st->core, st->conv.data, st->conv.len);
      if (rc != MTPORT_OK) {
        st->feed_rc = rc; /* the entries before it first */
        st->eof = 1;
        continue;
      }
      if (k == 0 && st->u16_bad)
        mtport_reader__diag(r, MTPORT_SEV_WARNING, "bad-encoding", 0, 0, NULL,
                            "%u invalid UTF-16 unit(s) replaced by U+FFFD",
                            st->u16_bad);
      if (k > 0)
        continue;
    }
    if (k == 0) {
      st->eof = 1;
      rc = mtport_mtt__core_finish(st->core);
      if (rc == MTPORT_OK && mtport_mtt__core_cr_only(st->core))
        mtport_reader__diag(r, MTPORT_SEV_NOTE, "cr-eol", 0, 0, NULL,
                            "lines end in CR alone (classic Mac OS): read as "
                            "LF");
      if (rc == MTPORT_OK && mtport_mtt__core_crlf(st->core))
        mtport_reader__diag(r, MTPORT_SEV_NOTE, "crlf", 0, 0, NULL,
                            "%lu line(s) end in CRLF: read as LF",
                            mtport_mtt__core_crlf(st->core));
    } else
      rc = mtport_mtt__core_feed(st->core, st->chunk, (size_t)k);
    if (rc != MTPORT_OK) {
      st->feed_rc = rc; /* the entries before it first */
      st->eof = 1;
    }
  }
}

int mtport_mtt__set_chunk_size(mtport_reader *r, size_t n) {
  if (r->imp != &mtport_importer_mttext || !r->state || n == 0 || n > S_CHUNK)
    return MTPORT_EINVALID;
  ((S_state *)r->state)->chunk_size = n;
  return MTPORT_OK;
}

const mtport_importer mtport_importer_mttext = {
    "mt-text", "Movable Type / TypePad / Hatena text export",
    S_sniff,   S_open,
    S_next,    S_close};
