/* WordPress WXR 1.2 writer, private to libmtport and its tests.
 *
 * The exporter vtable in wxr.c is a thin adapter over these functions, which
 * take their output stream, options and diagnostic sink from a plain struct
 * instead of a run context, so tests can drive the writer with posts built
 * in memory. */
#ifndef MTPORT_WXR_H
#define MTPORT_WXR_H

#include "mtport/mtport.h"
#include <stdio.h>

/** Keep '_' in slugs made from basenames (option "keep-underscores"). */
#define MTPORT_WXR_KEEP_UNDERSCORES 0x1u
/** Leave comments and pings out (option "no-comments"). */
#define MTPORT_WXR_NO_COMMENTS 0x2u

/** Receives one diagnostic; @p msg is borrowed for the call. */
typedef void (*mtport_wxr_diag_fn)(void *payload, const mtport_post *post,
                                   mtport_severity sev, const char *code,
                                   const char *msg);

typedef struct mtport_wxr_env {
  FILE *out;               /**< borrowed; flushed, never closed */
  unsigned flags;          /**< MTPORT_WXR_* */
  mtport_wxr_diag_fn diag; /**< may be NULL */
  void *payload;
  /** The author of posts without one (option "default-author"); NULL or
   *  "" for the blog's title. Borrowed for the writer's life. */
  const char *default_author;
  /** Posts the growing sets keep in memory before they spool (option
   *  "spool-after"; 0: 50,000). Tests set 1 to run the spooled path. */
  unsigned long spool_after;
} mtport_wxr_env;

/* Same contracts as the exporter vtable (include/mtport/exporter.h). The
 * env is copied; @p site is read during the call only. */
int mtport_wxr__begin(const mtport_wxr_env *env, const mtport_site *site,
                      void **state);
int mtport_wxr__prepass(void *state, const mtport_post *post);
int mtport_wxr__prepass_done(void *state);
int mtport_wxr__entry(void *state, const mtport_post *post);
int mtport_wxr__end(void *state, int status);

/* WordPress's duplicate rule (wxr_collate.c). */

/* Appends @p title (the model's: the text MT showed) in the form WordPress
 * stores titles: trimmed, with '<', '>' and an '&' that would start a
 * character reference escaped. MTPORT_OK or MTPORT_ENOMEM. */
int mtport_wxr__title(mtport_buf *out, const char *title);
/* Appends the form of @p n bytes of @p s under which two titles are equal
 * whenever MariaDB's utf8mb4_unicode_520_ci calls them equal: case,
 * accents and compatibility forms folded, trailing spaces dropped. */
int mtport_wxr__fold(mtport_buf *out, const char *s, size_t n);
/* 1 when PHP's empty() is true of the string: "" or "0". */
int mtport_wxr__php_empty(const char *s);
/* Appends PHP's stripslashes() of @p n bytes of @p s. */
int mtport_wxr__unslash(mtport_buf *out, const char *s, size_t n);

#endif
