/* Private helpers of the MT text export importer: date and tag grammars,
 * filter and status names, MT's dirify, file templates, legacy encodings
 * and the permalink map. Only reader_mttext.c, mttext_*.c, encoding.c and
 * the unit tests include this. */
#ifndef MTPORT_MTTEXT_H
#define MTPORT_MTTEXT_H

#include "reader_int.h"

/* ---- grammars (mttext_rules.c) ---- */

/* Parses an MT DATE value into local calendar fields. Returns 0 for MT's own
 * grammar, 1 for a lenient form (lowercase am/pm, missing seconds, extra
 * spaces, ISO dates, 2-digit years pivoted), -1 when unparsable. Ranges are
 * checked by the caller (mtport_time_from_local). */
int mtport_mtt__parse_date(const char *s, mtport_tm *tm);

/* Splits a TAGS value by MT's rules, calling @fn for each tag kept (not
 * NUL-terminated). Stops and returns the first non-zero @fn result. */
typedef int (*mtport_mtt_tag_fn)(const char *tag, size_t n, void *ud);
int mtport_mtt__split_tags(const char *s, mtport_mtt_tag_fn fn, void *ud);

/* The text format a CONVERT BREAKS value means. */
mtport_text_format mtport_mtt__text_format(const char *v);

/* The status a STATUS value means; 0 on success, -1 when unknown. */
int mtport_mtt__status(const char *v, mtport_status *out);

/* MT's dirify (utf8 table variant) with '_' separators, cut to @limit bytes,
 * trailing '_' removed. Never NULL unless out of memory; may be "". */
char *mtport_mtt__dirify(const char *s, size_t limit);

/* The basename MT derives for an entry without one (§5.3), cut to @limit:
 * from the title, else the first 5 words of the body without HTML, else
 * "post". */
char *mtport_mtt__derive_basename(const char *title, const char *body,
                                  size_t limit);

/* The basenames seen in an input (memory grows with the number of posts,
 * a few bytes each), so derived ones get MT's _1, _2 suffixes. */
typedef struct mtport_mtt_names mtport_mtt_names;
int mtport_mtt__names_new(mtport_mtt_names **out);
/* 1 when added, 0 when present, or MTPORT_ENOMEM. */
int mtport_mtt__names_add(mtport_mtt_names *m, const char *s);
int mtport_mtt__names_has(const mtport_mtt_names *m, const char *s);
/* @base, or @base_1, @base_2... whichever is free first; recorded. Caller
 * frees. NULL when out of memory. */
char *mtport_mtt__unique_basename(mtport_mtt_names *m, const char *base);
void mtport_mtt__names_free(mtport_mtt_names *m);

/* Expands an MT file template (or a preset name: "mt4" = "%y/%m/%-f",
 * "mt3" = "%y/%m/%f", "archive-id" = "archives/%e.html" with the entry's
 * position standing in for its id, "hatena" = "entry/%b") for @p into @out (a
 * path without leading '/'). @basename is the stored or derived basename; @seq
 * stands in for the entry id. Returns 0, or -1 when the post has no date. */
int mtport_mtt__expand_pattern(mtport_buf *out, const char *pattern,
                               const mtport_post *p, const char *basename,
                               unsigned long seq);

/* ---- legacy encodings (encoding.c) ---- */

typedef struct mtport_enc mtport_enc;
/* @forced: an iconv encoding name to apply to every entry, or NULL to pass
 * valid UTF-8 and detect the rest. MTPORT_ENOTFOUND for an unknown name. */
int mtport_enc__new(mtport_enc **out, const char *forced);
typedef struct mtport_enc_result {
  const char *encoding; /* the encoding used (static), "UTF-8" when valid */
  unsigned fallback;    /* bytes decoded with the single-byte fallback */
  unsigned replaced;    /* bytes that became U+FFFD */
} mtport_enc_result;
/* Converts @n bytes to valid UTF-8 appended to @out. MTPORT_OK or ENOMEM. */
int mtport_enc__decode(mtport_enc *e, const char *in, size_t n, mtport_buf *out,
                       mtport_enc_result *res);
void mtport_enc__free(mtport_enc *e);

/* UTF-16 input (a UTF-16 BOM starts it), converted to UTF-8 as it streams.
 * feed() with @n = 0 flushes; bad units become U+FFFD, counted in *bad. */
typedef struct mtport_u16 mtport_u16;
int mtport_u16__new(mtport_u16 **out, int big_endian);
int mtport_u16__feed(mtport_u16 *u, const char *in, size_t n, mtport_buf *out,
                     unsigned *bad);
void mtport_u16__free(mtport_u16 *u);

/* ---- exact permalinks from another export (mttext_links.c) ---- */

typedef struct mtport_linkmap mtport_linkmap;
/* Reads every post of @path (Atom feed or backup) keeping title, date and
 * permalink. Diagnostics go to @r's sink. */
int mtport_linkmap__load(mtport_linkmap **out, mtport_reader *r,
                         const char *path);
/* The permalink of the post with this title and date, or NULL (borrowed). */
const char *mtport_linkmap__find(const mtport_linkmap *m, const char *title,
                                 const mtport_time *t);
size_t mtport_linkmap__size(const mtport_linkmap *m);
void mtport_linkmap__free(mtport_linkmap *m);

/* ---- the record splitter (mttext_core.c) ---- */

/* Splits a text export into entry records whatever the chunking: bytes go in
 * with feed(), complete records come out of next(). CRLF and CR-only line
 * ends become LF, a leading BOM is dropped, `--------` (with trailing blanks)
 * ends a record, and a record whose first line is not a header key (a
 * `--------` line inside a body or comment) is joined to the previous one. */
typedef struct mtport_mtt_core mtport_mtt_core;
typedef struct mtport_mtt_record {
  const char *text; /* LF-terminated lines, from the first non-blank one */
  size_t len;
  unsigned long line;       /* input line of text[0] */
  unsigned merges;          /* `--------` lines kept as text */
  unsigned long merge_line; /* the first of them */
  int orphan;               /* no header and nothing to join it to */
} mtport_mtt_record;
/* A line, and an entry record (its body, extended body, comments...), is
 * at most this long: reading an input that never ends a line (/dev/zero
 * through a pipe) or an entry stops there, so memory stays bounded. A line
 * has libxml2's limit for one text node of an XML input. */
#define MTPORT_MTT_MAX_LINE ((size_t)10 << 20)
#define MTPORT_MTT_MAX_RECORD ((size_t)64 << 20)
int mtport_mtt__core_new(mtport_mtt_core **out);
/* MTPORT_OK, MTPORT_ENOMEM, or MTPORT_EPARSE past a limit above (see
 * mtport_mtt__core_limit()). */
int mtport_mtt__core_feed(mtport_mtt_core *c, const char *buf, size_t n);
/* After MTPORT_EPARSE: what was too long ("line" or "entry") and the input
 * line where it starts. */
const char *mtport_mtt__core_limit(const mtport_mtt_core *c,
                                   unsigned long *line);
/* Ends the input (a last record without `--------` is kept). Returns as
 * mtport_mtt__core_feed(). */
int mtport_mtt__core_finish(mtport_mtt_core *c);
/* 1 and *rec (valid until the next call) when a record is complete, else 0. */
int mtport_mtt__core_next(mtport_mtt_core *c, mtport_mtt_record *rec);
/* Lines that ended in CRLF so far. */
unsigned long mtport_mtt__core_crlf(const mtport_mtt_core *c);
/* 1 when the input ends its lines with CR alone (classic Mac OS). */
int mtport_mtt__core_cr_only(const mtport_mtt_core *c);
void mtport_mtt__core_free(mtport_mtt_core *c);
/* Reads @n bytes at a time from now on (1..65536); for tests. */
int mtport_mtt__set_chunk_size(mtport_reader *r, size_t n);
/* 1 when @s (one line, no LF) names a key that starts an entry header. */
int mtport_mtt__is_header_key_line(const char *s, size_t n);

#endif
