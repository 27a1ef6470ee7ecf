/* The record splitter of the text export importer. It only acts on complete
 * lines, so any split of the input gives the same records; memory holds the
 * current line, the record being read, the previous record (which a
 * headerless next record may still join) and the records not yet taken. */
#include "mttext.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct S_rec {
  mtport_buf text;
  unsigned long line;
  unsigned merges;
  unsigned long merge_line;
  int orphan;
  unsigned lead_blank; /* blank lines before text[0] */
} S_rec;

struct mtport_mtt_core {
  mtport_buf line;       /* the line being read */
  unsigned long line_no; /* its number */
  int first_line_done;   /* the BOM check ran */
  S_rec cur;             /* the record being read */
  S_rec pend;            /* the last complete record */
  int have_pend;
  unsigned long pend_sep; /* the `--------` line that closed pend */
  S_rec *q;               /* complete records not yet taken */
  size_t q_head, q_len, q_cap;
  S_rec out; /* the record handed out last */
  unsigned long crlf;
  int eol;    /* 0 not known yet, 1 LF (or CRLF), 2 CR alone (classic Mac) */
  int saw_cr; /* while not known: the last byte seen was a CR */
  const char *limit;        /* "line" or "entry" past its limit, or NULL */
  unsigned long limit_line; /* where it starts */
};

static int S_push(mtport_mtt_core *c, S_rec *r);

/* Past a limit: remembers what and where. The last complete record is
 * handed out still, unless it is the one too long. MTPORT_EPARSE. */
static int S_too_long(mtport_mtt_core *c, const char *what,
                      unsigned long line) {
  c->limit = what;
  c->limit_line = line;
  if (c->have_pend && line != c->pend.line && S_push(c, &c->pend) == MTPORT_OK)
    c->have_pend = 0;
  return MTPORT_EPARSE;
}

const char *mtport_mtt__core_limit(const mtport_mtt_core *c,
                                   unsigned long *line) {
  *line = c->limit_line;
  return c->limit;
}

/* Appends to the current line, within its limit. */
static int S_line_add(mtport_mtt_core *c, const char *s, size_t n) {
  if (c->line.len + n > MTPORT_MTT_MAX_LINE)
    return S_too_long(c, "line", c->line_no);
  return mtport_buf_append(&c->line, s, n);
}

int mtport_mtt__core_new(mtport_mtt_core **out) {
  *out = calloc(1, sizeof **out);
  if (!*out)
    return MTPORT_ENOMEM;
  (*out)->line_no = 1;
  return MTPORT_OK;
}

static void S_rec_dispose(S_rec *r) {
  mtport_buf_dispose(&r->text);
  memset(r, 0, sizeof *r);
}

void mtport_mtt__core_free(mtport_mtt_core *c) {
  if (!c)
    return;
  mtport_buf_dispose(&c->line);
  S_rec_dispose(&c->cur);
  S_rec_dispose(&c->pend);
  S_rec_dispose(&c->out);
  for (size_t i = c->q_head; i < c->q_len; i++)
    S_rec_dispose(&c->q[i]);
  free(c->q);
  free(c);
}

unsigned long mtport_mtt__core_crlf(const mtport_mtt_core *c) {
  return c->crlf;
}

static int S_blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isspace((unsigned char)s[i]))
      return 0;
  return 1;
}

int mtport_mtt__is_header_key_line(const char *s, size_t n) {
  static const char *const keys[] = {
      "AUTHOR",         "TITLE",        "BASENAME",         "STATUS",
      "DATE",           "CATEGORY",     "PRIMARY CATEGORY", "TAGS",
      "ALLOW COMMENTS", "ALLOW PINGS",  "CONVERT BREAKS",   "NO ENTRY",
      "START BODY",     "AUTHOR EMAIL", "UNIQUE URL",       "IMAGE"};
  while (n && isspace((unsigned char)*s))
    s++, n--;
  if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
    s += 3, n -= 3;
  const char *colon = memchr(s, ':', n);
  if (!colon)
    return 0;
  size_t k = (size_t)(colon - s);
  while (k && isspace((unsigned char)s[k - 1]))
    k--;
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    if (strlen(keys[i]) == k && memcmp(keys[i], s, k) == 0)
      return 1;
  return 0;
}

/* 1 when the record's first meaningful line is a header key. */
static int S_has_header(const S_rec *r) {
  const char *p = r->text.data, *end = p + r->text.len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    /* MT skips blank lines and lines reading "0" in a header */
    if (!S_blank(p, n) && !(n == 1 && *p == '0'))
      return mtport_mtt__is_header_key_line(p, n);
    p += n + 1;
  }
  return 0;
}

static int S_push(mtport_mtt_core *c, S_rec *r) {
  if (c->q_len == c->q_cap) {
    if (c->q_head) { /* reuse the taken front */
      memmove(c->q, c->q + c->q_head, (c->q_len - c->q_head) * sizeof *c->q);
      c->q_len -= c->q_head;
      c->q_head = 0;
    }
    if (c->q_len == c->q_cap) {
      size_t nc = c->q_cap ? c->q_cap * 2 : 8;
      S_rec *nq = realloc(c->q, nc * sizeof *nq);
      if (!nq)
        return MTPORT_ENOMEM;
      c->q = nq, c->q_cap = nc;
    }
  }
  c->q[c->q_len++] = *r;
  memset(r, 0, sizeof *r);
  return MTPORT_OK;
}

/* A `--------` line (or the end of input) closed the current record. */
static int S_end_record(mtport_mtt_core *c, unsigned long sep_line) {
  S_rec *r = &c->cur;
  if (!r->text.len) { /* nothing but blank lines */
    r->lead_blank = 0;
    return MTPORT_OK;
  }
  int rc = MTPORT_OK;
  if (!S_has_header(r) && c->have_pend) {
    /* the separator was text of the previous record's last field */
    if (c->pend.text.len + r->text.len > MTPORT_MTT_MAX_RECORD)
      return S_too_long(c, "entry", c->pend.line);
    if (!c->pend.merges)
      c->pend.merge_line = c->pend_sep;
    if (mtport_buf_puts(&c->pend.text, "--------\n") != MTPORT_OK)
      rc = MTPORT_ENOMEM;
    for (unsigned i = 0; i < r->lead_blank && rc == MTPORT_OK; i++)
      rc = mtport_buf_putc(&c->pend.text, '\n');
    if (rc == MTPORT_OK)
      rc = mtport_buf_append(&c->pend.text, r->text.data, r->text.len);
    c->pend.merges++;
    c->pend_sep = sep_line;
    S_rec_dispose(r);
    return rc;
  }
  r->orphan = !S_has_header(r);
  if (c->have_pend)
    rc = S_push(c, &c->pend);
  c->pend = *r;
  c->have_pend = 1;
  c->pend_sep = sep_line;
  memset(r, 0, sizeof *r);
  return rc;
}

static int S_line(mtport_mtt_core *c, const char *s, size_t n) {
  unsigned long no = c->line_no++;
  if (n && s[n - 1] == '\r') {
    n--;
    c->crlf++;
  }
  if (!c->first_line_done) {
    c->first_line_done = 1;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
      s += 3, n -= 3;
  }
  /* `--------` ends a record; with exactly one TAB it is MT 9.2's escape of
   * a literal line, which stays text */
  if (n >= 8 && memcmp(s, "--------", 8) == 0 && !(n == 9 && s[8] == '\t') &&
      S_blank(s + 8, n - 8))
    return S_end_record(c, no);
  S_rec *r = &c->cur;
  if (!r->text.len) {
    if (S_blank(s, n)) { /* records start at their first non-blank line */
      r->lead_blank++;
      return MTPORT_OK;
    }
    r->line = no;
  }
  if (r->text.len + n + 1 > MTPORT_MTT_MAX_RECORD)
    return S_too_long(c, "entry", r->line);
  if (n > MTPORT_MTT_MAX_LINE)
    return S_too_long(c, "line", no);
  if (mtport_buf_append(&r->text, s, n) != MTPORT_OK ||
      mtport_buf_putc(&r->text, '\n') != MTPORT_OK)
    return MTPORT_ENOMEM;
  return MTPORT_OK;
}

static int S_feed_lf(mtport_mtt_core *c, const char *buf, size_t n) {
  while (n) {
    const char *nl = memchr(buf, '\n', n);
    size_t k = nl ? (size_t)(nl - buf) : n;
    if (!nl)
      return S_line_add(c, buf, k);
    int rc;
    if (c->line.len) {
      if ((rc = S_line_add(c, buf, k)) != MTPORT_OK)
        return rc;
      rc = S_line(c, c->line.data, c->line.len);
      mtport_buf_clear(&c->line);
    } else
      rc = S_line(c, buf, k);
    if (rc != MTPORT_OK)
      return rc;
    buf += k + 1;
    n -= k + 1;
  }
  return MTPORT_OK;
}

/* Classic Mac files end lines with CR alone: read them as LF. */
static int S_feed_cr(mtport_mtt_core *c, const char *buf, size_t n) {
  char tmp[4096];
  while (n) {
    size_t k = n < sizeof tmp ? n : sizeof tmp;
    for (size_t i = 0; i < k; i++)
      tmp[i] = buf[i] == '\r' ? '\n' : buf[i];
    int rc = S_feed_lf(c, tmp, k);
    if (rc != MTPORT_OK)
      return rc;
    buf += k, n -= k;
  }
  return MTPORT_OK;
}

int mtport_mtt__core_feed(mtport_mtt_core *c, const char *buf, size_t n) {
  if (c->limit)
    return MTPORT_EPARSE;
  if (!c->eol) {
    /* the first line end decides: LF or CRLF, or CR alone */
    for (size_t i = 0; i < n && !c->eol; i++) {
      if (c->saw_cr)
        c->eol = buf[i] == '\n' ? 1 : 2;
      else if (buf[i] == '\n')
        c->eol = 1;
      else if (buf[i] == '\r')
        c->saw_cr = 1;
    }
    if (!c->eol)
      return S_line_add(c, buf, n);
    if (c->eol == 2 && c->line.len) { /* what came before, line by line */
      mtport_buf head = c->line;
      mtport_buf_init(&c->line);
      int rc = S_feed_cr(c, head.data, head.len);
      mtport_buf_dispose(&head);
      if (rc != MTPORT_OK)
        return rc;
    }
  }
  return c->eol == 2 ? S_feed_cr(c, buf, n) : S_feed_lf(c, buf, n);
}

int mtport_mtt__core_cr_only(const mtport_mtt_core *c) { return c->eol == 2; }

int mtport_mtt__core_finish(mtport_mtt_core *c) {
  int rc = MTPORT_OK;
  if (c->line.len) {
    rc = S_line(c, c->line.data, c->line.len);
    mtport_buf_clear(&c->line);
  }
  if (rc == MTPORT_OK)
    rc = S_end_record(c, c->line_no);
  if (rc == MTPORT_OK && c->have_pend) {
    rc = S_push(c, &c->pend);
    c->have_pend = 0;
  }
  return rc;
}

int mtport_mtt__core_next(mtport_mtt_core *c, mtport_mtt_record *rec) {
  S_rec_dispose(&c->out);
  memset(rec, 0, sizeof *rec);
  if (c->q_head == c->q_len)
    return 0;
  c->out = c->q[c->q_head++];
  if (c->q_head == c->q_len)
    c->q_head = c->q_len = 0;
  rec->text = c->out.text.data;
  rec->len = c->out.text.len;
  rec->line = c->out.line;
  rec->merges = c->out.merges;
  rec->merge_line = c->out.merge_line;
  rec->orphan = c->out.orphan;
  return 1;
}
