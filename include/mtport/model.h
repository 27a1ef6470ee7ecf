/**
 * @file model.h
 * The one post model every importer fills and every exporter reads.
 *
 * Records are transparent structs. All strings are valid UTF-8, NUL-terminated,
 * owned by the record that holds them, and NULL when the source had no value.
 * Importers fill records through the setter functions below, which copy their
 * arguments and sanitize them (invalid UTF-8 becomes U+FFFD, C0 controls other
 * than TAB/LF/CR and DEL are removed), so nothing invalid reaches an exporter.
 */
#ifndef MTPORT_MODEL_H
#define MTPORT_MODEL_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An instant plus the UTC offset it was written in. */
typedef struct mtport_time {
  int64_t epoch;  /**< seconds since 1970-01-01T00:00:00Z */
  int offset_min; /**< the source's UTC offset in minutes (east positive) */
  unsigned char has_date; /**< 0: no date at all, the other fields are 0 */
  unsigned char has_tz;   /**< 0: the source gave no zone; offset is assumed */
} mtport_time;

/** How a body's text is to be read. */
typedef enum mtport_text_format {
  MTPORT_TEXT_NONE = 0,       /**< no text */
  MTPORT_TEXT_HTML,           /**< HTML (Atom html/xhtml, MT `0`, richtext) */
  MTPORT_TEXT_PLAIN,          /**< plain text (Atom type="text") */
  MTPORT_TEXT_CONVERT_BREAKS, /**< MT "Convert Line Breaks" (`1`, `__default__`)
                               */
  MTPORT_TEXT_MARKDOWN,       /**< markdown, markdown_with_smartypants */
  MTPORT_TEXT_TEXTILE,        /**< textile_2 */
  MTPORT_TEXT_UNKNOWN /**< an unknown filter; see ::mtport_text.filter */
} mtport_text_format;

/** A body, extended body, excerpt or comment text with its format. */
typedef struct mtport_text {
  char *text;                /**< the raw text, or NULL */
  mtport_text_format format; /**< how to read it */
  char *filter;              /**< the source's filter name verbatim, or NULL */
  char *base;                /**< base URL for relative links, or NULL */
} mtport_text;

typedef struct mtport_person {
  char *name;
  char *email;
  char *url;
} mtport_person;

/** A tag or a category. */
typedef struct mtport_term {
  char *name;   /**< display label */
  char *slug;   /**< the source's normalized form/basename, or NULL */
  char *parent; /**< the parent category's name, or NULL (flat) */
} mtport_term;

/** A key/value pair kept from the source that the model has no field for. */
typedef struct mtport_field {
  char *key;
  char *value;
} mtport_field;

typedef enum mtport_status {
  MTPORT_STATUS_UNKNOWN = 0,
  MTPORT_STATUS_PUBLISH,
  MTPORT_STATUS_DRAFT,
  MTPORT_STATUS_REVIEW,    /**< MT "Review"/pending */
  MTPORT_STATUS_FUTURE,    /**< scheduled */
  MTPORT_STATUS_UNPUBLISH, /**< MT "Unpublish" (ended) */
  MTPORT_STATUS_SPAM
} mtport_status;

typedef enum mtport_post_kind {
  MTPORT_KIND_POST = 0, /**< an entry */
  MTPORT_KIND_PAGE      /**< an MT page */
} mtport_post_kind;

typedef enum mtport_comment_kind {
  MTPORT_COMMENT = 0,
  MTPORT_TRACKBACK,
  MTPORT_PINGBACK
} mtport_comment_kind;

/** A comment, TrackBack or pingback. */
typedef struct mtport_comment {
  mtport_comment_kind kind;
  char *id;             /**< the source's id, or NULL */
  char *parent_id;      /**< id of the comment replied to, or NULL */
  mtport_person author; /**< for pings: name = blog name, url = source URL */
  char *ip;
  char *title; /**< pings: the pinging post's title */
  mtport_time date;
  mtport_text body;
  int approved; /**< 1 visible, 0 pending/hidden */
  int junk;     /**< 1 marked as spam by the source */
} mtport_comment;

/** Tri-state flags: unknown, off, on. */
typedef enum mtport_flag {
  MTPORT_FLAG_UNKNOWN = -1,
  MTPORT_FLAG_OFF = 0,
  MTPORT_FLAG_ON = 1
} mtport_flag;

/** Where in the input a record started. */
typedef struct mtport_origin {
  const char *file; /**< display name of the input ("-" for stdin); borrowed
                         from the reader, valid while it lives */
  unsigned long line;
  unsigned long col;
} mtport_origin;

/** One entry or page. */
typedef struct mtport_post {
  mtport_post_kind kind;
  mtport_status status;
  char *source_id;    /**< Atom id verbatim, or synthesized */
  long long entry_id; /**< MT entry id, 0 when unknown */
  char *title;        /**< as in the source (may hold entities for HTML) */
  char *permalink;    /**< the old absolute URL, or NULL */
  char *basename;     /**< MT basename (underscores as stored), or NULL */
  mtport_person *authors;
  size_t n_authors;
  mtport_time published;
  mtport_time updated;
  mtport_term *tags;
  size_t n_tags;
  mtport_term *categories; /**< the primary category first */
  size_t n_categories;
  mtport_text excerpt;
  mtport_text body;
  mtport_text more; /**< MT's extended body */
  char *keywords;
  mtport_flag allow_comments;
  mtport_flag allow_pings;
  mtport_comment *comments; /**< comments and pings in source order */
  size_t n_comments;
  mtport_field *extra; /**< unmapped source fields, in source order */
  size_t n_extra;
  mtport_origin origin;
  unsigned long ordinal; /**< 1-based position in the input */
  size_t cap_authors, cap_tags, cap_categories, cap_comments,
      cap_extra;                    /**< private */
  struct mtport__post_index *index; /**< private: look-ups in long lists */
} mtport_post;

/** Blog-level metadata, known before the first post. */
typedef struct mtport_site {
  char *title;
  char *description;
  char *home_url;
  char *feed_url;
  char *id;
  char *language;
  char *generator;
  mtport_time updated;
  const char *source_format; /**< importer name; static storage */
  /** The site's whole category tree, for formats that have one (MT backup:
   *  its categories by id, then its folders), including categories no post
   *  is in, so that an exporter can declare the ancestors of a post's
   *  categories. Each term's parent names its parent category as
   *  mtport_term.parent does; where names repeat, the first term of a name
   *  is the one meant. NULL and 0 for formats without a tree. Owned by the
   *  site; filled with mtport_site_add_category(). */
  mtport_term *categories;
  size_t n_categories;
  size_t cap_categories; /**< private */
} mtport_site;

/** Allocates an empty post. Returns NULL on allocation failure. Free with
 *  mtport_post_free(). */
MTPORT_EXTERN mtport_post *mtport_post_new(void);
/** Frees @p p and everything it owns. NULL is a no-op. */
MTPORT_EXTERN void mtport_post_free(mtport_post *p);
/** Frees everything @p p owns and makes it empty (as new). Keeps no memory. */
MTPORT_EXTERN void mtport_post_reset(mtport_post *p);

/** Allocates an empty site. Free with mtport_site_free(). */
MTPORT_EXTERN mtport_site *mtport_site_new(void);
/** Frees @p s and its strings. NULL is a no-op. */
MTPORT_EXTERN void mtport_site_free(mtport_site *s);
/** Appends a category to the site's tree (mtport_site.categories). Copies
 *  and sanitizes @p name, @p slug and @p parent (the last two may be NULL);
 *  a NULL @p name adds nothing. Returns a repair count >= 0 or
 *  MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_site_add_category(mtport_site *s, const char *name,
                                           const char *slug,
                                           const char *parent);

/**
 * Replaces the string @p *dst (freeing the old one) with a sanitized copy of
 * @p len bytes of @p src (`(size_t)-1` means strlen). @p src NULL sets NULL.
 * Returns the number of repairs made (invalid bytes replaced, controls
 * removed; >= 0) so the caller can warn, or MTPORT_ENOMEM.
 */
MTPORT_EXTERN int mtport_set_str(char **dst, const char *src, size_t len);

/** Sets a text's text (as mtport_set_str), format and filter name. */
MTPORT_EXTERN int mtport_text_set(mtport_text *t, const char *src, size_t len,
                                  mtport_text_format format,
                                  const char *filter);

/** Appends an author; any argument may be NULL. Copies. Returns a repair
 *  count >= 0 or MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_post_add_author(mtport_post *p, const char *name,
                                         const char *email, const char *url);
/** Appends a tag unless one with the same name is present. Copies.
 *  Constant time on average, however many tags the post has. */
MTPORT_EXTERN int mtport_post_add_tag(mtport_post *p, const char *name,
                                      const char *slug);
/** Adds a category unless present (constant time on average); @p primary
 *  moves it to the front, which takes time in proportion to its position
 *  (a post has one primary category). @p slug and @p parent may be NULL.
 *  Copies. */
MTPORT_EXTERN int mtport_post_add_category(mtport_post *p, const char *name,
                                           const char *slug, const char *parent,
                                           int primary);
/** Appends a zeroed comment owned by @p p and returns it (borrowed, valid
 *  until the next add_comment or reset), or NULL on allocation failure. */
MTPORT_EXTERN mtport_comment *mtport_post_add_comment(mtport_post *p);
/** Appends an unmapped key/value. Copies. */
MTPORT_EXTERN int mtport_post_add_extra(mtport_post *p, const char *key,
                                        const char *value);
/** Returns the value of the first extra field named @p key, or NULL.
 *  Borrowed from @p p. */
MTPORT_EXTERN const char *mtport_post_extra(const mtport_post *p,
                                            const char *key);

/** Name of a status ("publish", "draft", ...). Static storage. */
MTPORT_EXTERN const char *mtport_status_name(mtport_status s);

#ifdef __cplusplus
}
#endif
#endif
