/**
 * @file convert.h
 * Bodies: MT text filters, HTML to Markdown with a per-entry proof, and
 * bodies to HTML for HTML outputs.
 *
 * Every function here may run on several threads at once (each call has
 * its own state; the first call sets up libxml2 and cmark-gfm once).
 */
#ifndef MTPORT_CONVERT_H
#define MTPORT_CONVERT_H

#include "diag.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Keep img width/height (as raw HTML when needed). */
#define MTPORT_MD_KEEP_SIZES 0x1u
/** Skip the proof (faster; never used by `mtport check`). */
#define MTPORT_MD_NO_PROOF 0x2u

typedef struct mtport_md_options {
  unsigned version;     /**< MTPORT_MD_OPTIONS_VERSION */
  unsigned flags;       /**< MTPORT_MD_* */
  const char *base_url; /**< resolves relative href/src, or NULL */
} mtport_md_options;

#define MTPORT_MD_OPTIONS_VERSION 1u
#define MTPORT_MD_OPTIONS_INIT                                                 \
  { MTPORT_MD_OPTIONS_VERSION, 0u, NULL }

/** What a conversion did. Owns `findings`; dispose with
 *  mtport_md_report_dispose(). */
typedef struct mtport_md_report {
  unsigned long blocks;       /**< top-level blocks written */
  unsigned long raw_blocks;   /**< blocks kept as raw HTML after the proof
                                   found a difference ("fell back") */
  unsigned long raw_elements; /**< elements kept as raw HTML by design
                                   (iframe, sup, ...) */
  unsigned long removed;      /**< script/style/tracking junk removed */
  unsigned long differences;  /**< proof failures not repaired by fallback */
  mtport_buf findings;        /**< one line per finding, '\n'-separated */
} mtport_md_report;

/** Frees the report's findings. NULL is a no-op. */
MTPORT_EXTERN void mtport_md_report_dispose(mtport_md_report *r);

/**
 * Converts @p len bytes of HTML to CommonMark/GFM Markdown, appended to
 * @p out, and proves it: the Markdown is parsed back with cmark-gfm and
 * compared with the intended tree; a block that differs is written as raw
 * HTML instead and counted in @p report (may be NULL). @p opts may be NULL.
 * Never recurses on input nesting. Returns MTPORT_OK or MTPORT_ENOMEM.
 */
MTPORT_EXTERN int mtport_html_to_markdown(mtport_buf *out, const char *html,
                                          size_t len,
                                          const mtport_md_options *opts,
                                          mtport_md_report *report);

/**
 * Converts a post text of any format to Markdown, appended to @p out: MT's
 * filters (Convert Line Breaks, Markdown.pl's Markdown with or without
 * SmartyPants, Textile 2) are rendered to HTML as MT rendered them, and
 * that HTML goes through mtport_html_to_markdown(); CommonMark (MT 9's
 * commonmark and gfm) is kept as is, and unknown filters are kept as raw
 * text (the caller warns; see mtport_text_filter_supported()).
 */
MTPORT_EXTERN int mtport_text_to_markdown(mtport_buf *out, const mtport_text *t,
                                          const mtport_md_options *opts,
                                          mtport_md_report *report);

/**
 * Renders a post text as HTML, appended to @p out: HTML is kept, Convert
 * Line Breaks applied, Markdown rendered with Markdown.pl's syntax (and
 * SmartyPants for markdown_with_smartypants) or, for commonmark and gfm,
 * with cmark-gfm, Textile 2 rendered as MT's Textile plugin did, plain text
 * escaped, unknown filters kept as is. When @p base_url is given, relative
 * href and src attributes are made absolute. Returns MTPORT_OK or
 * MTPORT_ENOMEM.
 */
MTPORT_EXTERN int mtport_text_to_html(mtport_buf *out, const mtport_text *t,
                                      const char *base_url);

/** 1 when mtport can render @p t's format faithfully, 0 for unknown
 *  filters (kept raw; callers warn with code "unknown-filter"). */
MTPORT_EXTERN int mtport_text_filter_supported(const mtport_text *t);

/** MT's Convert Line Breaks filter over @p len bytes of @p text, appended
 *  to @p out (paragraphs become <p>, single newlines <br />). */
MTPORT_EXTERN int mtport_convert_breaks(mtport_buf *out, const char *text,
                                        size_t len);

/** Convert Line Breaks generations (mt-formats §5.2). */
#define MTPORT_BREAKS_TRADITIONAL 0 /**< MT up to 6.5.x and 7.2 */
#define MTPORT_BREAKS_MODERN 1      /**< MT 6.7.1+, 7.4.1+, 8.x, 9.x */

/** Like mtport_convert_breaks() (which uses the traditional algorithm)
 *  with the algorithm chosen by @p generation (MTPORT_BREAKS_*). */
MTPORT_EXTERN int mtport_convert_breaks_ex(mtport_buf *out, const char *text,
                                           size_t len, int generation);

/** Strips tags and decodes entities: plain text for titles and summaries.
 *  Whitespace runs collapse to one space; the result is trimmed. */
MTPORT_EXTERN int mtport_html_to_text(mtport_buf *out, const char *html,
                                      size_t len);

/**
 * Rewrites every relative href, src (and srcset, poster) attribute in the
 * HTML against @p base, appending the result to @p out. Everything else is
 * copied byte for byte. Returns MTPORT_OK or MTPORT_ENOMEM.
 */
MTPORT_EXTERN int mtport_html_absolutize(mtport_buf *out, const char *html,
                                         size_t len, const char *base);

#ifdef __cplusplus
}
#endif
#endif
