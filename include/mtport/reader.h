/**
 * @file reader.h
 * Importers: open an input, sniff its format, pull one post at a time.
 *
 * Memory is bounded by the largest entry, never by the file: each call to
 * mtport_reader_next() replaces the previous post.
 */
#ifndef MTPORT_READER_H
#define MTPORT_READER_H

#include "diag.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mtport_reader mtport_reader;

/** Let libxml2 recover from malformed XML, with a warning per repair. */
#define MTPORT_READ_RECOVER 0x1u
/** Keep comments the source marks as junk/spam. */
#define MTPORT_READ_INCLUDE_JUNK 0x2u

typedef struct mtport_reader_options {
  unsigned version;           /**< MTPORT_READER_OPTIONS_VERSION */
  const char *format;         /**< importer name to force, or NULL to sniff */
  unsigned flags;             /**< MTPORT_READ_* */
  const char *timezone;       /**< "+hh:mm" or IANA name for zone-less dates,
                                   or NULL (UTC with a warning) */
  const char *input_encoding; /**< force a legacy encoding, or NULL */
  mtport_diag_fn diag;        /**< sink for diagnostics, or NULL */
  void *diag_payload;
  const char *site_url; /**< the blog's URL for sources that lack one (text
                             exports), or NULL */
  const char *permalink_pattern; /**< MT file template for old URLs of text
                                      exports ("%y/%m/%-f.html"), or NULL */
  const char *permalinks_from;   /**< path of an Atom feed or backup of the
                                      same blog to take exact URLs from */
} mtport_reader_options;

#define MTPORT_READER_OPTIONS_VERSION 1u
#define MTPORT_READER_OPTIONS_INIT                                             \
  {                                                                            \
    MTPORT_READER_OPTIONS_VERSION, NULL, 0u, NULL, NULL, NULL, NULL, NULL,     \
        NULL, NULL                                                             \
  }

/**
 * Opens @p path ("-" is standard input), sniffs or forces its format and reads
 * the feed-level metadata. On success *out is a reader the caller frees with
 * mtport_reader_free(). @p opts may be NULL; it is copied (strings in it must
 * outlive the reader).
 * Returns MTPORT_OK; MTPORT_EIO when unreadable; MTPORT_EPARSE when the format
 * is unknown or the header malformed (a fatal diagnostic says where);
 * MTPORT_ENOTFOUND for an unknown forced format.
 */
MTPORT_EXTERN int mtport_reader_open(mtport_reader **out, const char *path,
                                     const mtport_reader_options *opts);

/** Like mtport_reader_open() over @p len bytes of memory, which must outlive
 *  the reader. @p name is used in diagnostics. */
MTPORT_EXTERN int mtport_reader_open_mem(mtport_reader **out, const char *data,
                                         size_t len, const char *name,
                                         const mtport_reader_options *opts);

/** The site record: borrowed, valid until mtport_reader_free(). */
MTPORT_EXTERN const mtport_site *mtport_reader_site(const mtport_reader *r);

/** The importer's name ("atom", "mt-text", "mt-backup"). Static storage. */
MTPORT_EXTERN const char *mtport_reader_format(const mtport_reader *r);

/**
 * Reads the next post. Returns 1 and sets *post (borrowed: valid until the
 * next call or mtport_reader_free()), 0 at the end of input, or a negative
 * mtport_rc on a fatal error (a fatal diagnostic was reported).
 */
MTPORT_EXTERN int mtport_reader_next(mtport_reader *r,
                                     const mtport_post **post);

/** Number of posts returned so far. */
MTPORT_EXTERN unsigned long mtport_reader_count(const mtport_reader *r);

/** Closes the input and frees everything. NULL is a no-op. */
MTPORT_EXTERN void mtport_reader_free(mtport_reader *r);

/** Describes one importer. */
typedef struct mtport_importer_info {
  const char *name;
  const char *description;
} mtport_importer_info;

/** Returns the table of importers and sets *n to its length. Static. */
MTPORT_EXTERN const mtport_importer_info *mtport_importers(size_t *n);

#ifdef __cplusplus
}
#endif
#endif
