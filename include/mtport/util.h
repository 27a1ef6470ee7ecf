/**
 * @file util.h
 * Dates, URLs, slugs, UTF-8, spools and string sets: helpers shared by
 * importers and exporters.
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

/* ---- spools and string sets ------------------------------------------- */

/** Bytes kept in an unlinked temporary file (mtport_temp_fd()) and read
 *  back by offset: what a run remembers per post costs disk, not memory.
 *  Appends collect in memory and go out in 64 KB writes. */
typedef struct mtport_spool mtport_spool;

/** Creates an empty spool; @p tag (copied, NULL: "spool") names its file.
 *  Free with mtport_spool_free(). MTPORT_OK or MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_spool_new(mtport_spool **out, const char *tag);
/** Closes the file and frees the spool. NULL is a no-op. */
MTPORT_EXTERN void mtport_spool_free(mtport_spool *sp);
/** Appends @p n bytes (copied); *off (may be NULL) gets where they start.
 *  The file is made on the first append. Returns MTPORT_OK, MTPORT_ENOMEM,
 *  or MTPORT_EIO once the file failed (mtport_spool_errno() says why). */
MTPORT_EXTERN int mtport_spool_append(mtport_spool *sp, const void *data,
                                      size_t n, uint64_t *off);
/** Reads @p n bytes at @p off into @p dst; they must lie within one
 *  append. MTPORT_OK, MTPORT_EIO, or MTPORT_EINVALID past the end. */
MTPORT_EXTERN int mtport_spool_read(mtport_spool *sp, uint64_t off, void *dst,
                                    size_t n);
/** Bytes appended so far. */
MTPORT_EXTERN uint64_t mtport_spool_size(const mtport_spool *sp);
/** The errno of the spool's first failure, 0 when none (or NULL). */
MTPORT_EXTERN int mtport_spool_errno(const mtport_spool *sp);

/** A set of byte strings, each with a stable index (0, 1, 2... in order
 *  of first addition) that callers use to keep values beside it. Lookups
 *  and additions take constant time on average. */
typedef struct mtport_strset mtport_strset;

/** The strings live in a spool: 8 bytes of memory per string, for sets
 *  that grow with the posts of a run. */
#define MTPORT_STRSET_SPOOL 0x1u

/** Creates an empty set (@p flags: 0 or MTPORT_STRSET_SPOOL). Free with
 *  mtport_strset_free(). MTPORT_OK or MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_strset_new(mtport_strset **out, unsigned flags);
/** Frees the set. NULL is a no-op. */
MTPORT_EXTERN void mtport_strset_free(mtport_strset *set);
/** Adds the @p len bytes at @p key (copied). Returns 1 when added, 0 when
 *  already present, or a negative code (MTPORT_ENOMEM, MTPORT_EIO from a
 *  spool, MTPORT_EINVALID past 4 GB or 4 billion strings). *index (may
 *  be NULL) gets the string's index either way. */
MTPORT_EXTERN int mtport_strset_add(mtport_strset *set, const void *key,
                                    size_t len, size_t *index);
/** 1 when the @p len bytes at @p key are in the set (with *index, which
 *  may be NULL), 0 when not, or a negative code. */
MTPORT_EXTERN int mtport_strset_find(mtport_strset *set, const void *key,
                                     size_t len, size_t *index);
/** Makes room for @p n strings in all, so that adding them never grows
 *  the table (growing a spooled set reads every string back). */
MTPORT_EXTERN int mtport_strset_reserve(mtport_strset *set, size_t n);
/** Number of strings. */
MTPORT_EXTERN size_t mtport_strset_count(const mtport_strset *set);
/** In-memory sets: the string at @p index, followed by a NUL, and its
 *  length in *len (may be NULL). Borrowed until the set next changes.
 *  NULL for a spooled set or an index out of range. */
MTPORT_EXTERN const char *mtport_strset_key(const mtport_strset *set,
                                            size_t index, size_t *len);
/** The errno of a spooled set's first file failure, 0 when none. */
MTPORT_EXTERN int mtport_strset_errno(const mtport_strset *set);

#ifdef __cplusplus
}
#endif
#endif
