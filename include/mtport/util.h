/**
 * @file util.h
 * Dates, URLs, slugs and UTF-8: helpers shared by importers and exporters.
 */
#ifndef MTPORT_UTIL_H
#define MTPORT_UTIL_H

#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Broken-down local time in a ::mtport_time's own offset. */
typedef struct mtport_tm {
  int year, month, day; /**< month and day 1-based */
  int hour, minute, second;
} mtport_tm;

/**
 * Parses an RFC 3339 / ISO 8601 / W3C-DTF date ("2009-12-14T03:27:40Z",
 * "2005-03-01T10:00:00+09:00", "2005-03-01", fractional seconds allowed).
 * A value without zone sets has_tz = 0 and is read as UTC.
 * Returns MTPORT_OK or MTPORT_EPARSE.
 */
MTPORT_EXTERN int mtport_time_parse_iso(mtport_time *out, const char *s);

/** Builds a time from local calendar fields and an offset in minutes. */
MTPORT_EXTERN int mtport_time_from_local(mtport_time *out, const mtport_tm *tm,
                                         int offset_min, int has_tz);

/** The local calendar fields of @p t in its own offset. */
MTPORT_EXTERN void mtport_time_local(const mtport_time *t, mtport_tm *out);

/** Writes RFC 3339 ("2009-12-14T03:27:40Z" or "...+09:00") into @p buf
 *  (at least 32 bytes). Offset 0 is written as "Z" when @p zulu, else
 *  "+00:00". Returns the length, or 0 when @p t has no date. */
MTPORT_EXTERN size_t mtport_time_format_rfc3339(const mtport_time *t, char *buf,
                                                size_t size, int zulu);

/** Compares instants: <0, 0, >0. Times without date sort first. */
MTPORT_EXTERN int mtport_time_cmp(const mtport_time *a, const mtport_time *b);

/**
 * Resolves @p ref against @p base (RFC 3986 §5.2). Returns a new string the
 * caller frees, or NULL on allocation failure. An absolute @p ref or a NULL
 * or empty @p base gives a copy of @p ref.
 */
MTPORT_EXTERN char *mtport_url_resolve(const char *base, const char *ref);

/** The path of an absolute URL ("/2009/12/x.html"), without query or
 *  fragment. Returns a new string the caller frees; NULL when @p url has no
 *  scheme and host or on allocation failure. */
MTPORT_EXTERN char *mtport_url_path(const char *url);

/** 1 when @p s (of @p len bytes) is valid UTF-8. */
MTPORT_EXTERN int mtport_utf8_valid(const char *s, size_t len);

/**
 * Appends a sanitized copy of @p len bytes of @p s to @p out: invalid UTF-8
 * sequences become U+FFFD; NUL, C0 controls other than TAB/LF/CR, DEL and
 * the XML-forbidden U+FFFE/U+FFFF are dropped. Returns the number of
 * repairs (>= 0) or MTPORT_ENOMEM.
 */
MTPORT_EXTERN int mtport_utf8_sanitize(mtport_buf *out, const char *s,
                                       size_t len);

/** Options for mtport_slugify(). */
#define MTPORT_SLUG_KEEP_UNDERSCORES 0x1u

/**
 * Makes a file-name-safe slug from @p s: lower case; accents transliterated;
 * other letters (CJK, Cyrillic, Hangul...) kept as UTF-8; everything else a
 * single '-'; never empty (falls back to "post"), never "." or "..", no '/',
 * no control characters, at most @p max_bytes bytes (cut on a character
 * boundary). Returns a new string the caller frees, or NULL on allocation
 * failure.
 */
MTPORT_EXTERN char *mtport_slugify(const char *s, unsigned flags,
                                   size_t max_bytes);

/** An anonymous temporary file for spooling: made in $TMPDIR (else /tmp)
 *  with @p tag in its name (NULL: "spool") and removed from the folder at
 *  once, so nothing is left behind. Returns a descriptor the caller
 *  closes, or -1 with errno set. */
MTPORT_EXTERN int mtport_temp_fd(const char *tag);

#ifdef __cplusplus
}
#endif
#endif
