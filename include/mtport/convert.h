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

/** What mtport_html_clean() removed, by kind. Plain counts: nothing to
 *  dispose; zero it before the first call, each call adds to it. */
typedef struct mtport_clean_report {
  unsigned long scripts;  /**< script, noscript and template elements */
  unsigned long styles;   /**< style elements */
  unsigned long heads;    /**< meta, link and base elements */
  unsigned long trackers; /**< tracking junk: Zemanta pixels and related
                               posts, FeedBurner flare and pixels, ad
                               pixels, images of 1x1 pixel */
} mtport_clean_report;

/**
 * Copies @p len bytes of HTML (valid UTF-8) to @p out without what
 * mtport_html_to_markdown() leaves out of its Markdown: script, noscript,
 * template and style elements with their content, meta, link and base
 * elements, and tracking junk. The elements are found with the
 * converter's own HTML parser and rules, so the HTML and the Markdown
 * outputs lose the same ones; everything else is copied byte for byte.
 * @p report (may be NULL) gets the counts added. Never recurses on input
 * nesting. Returns MTPORT_OK or MTPORT_ENOMEM.
 */
MTPORT_EXTERN int mtport_html_clean(mtport_buf *out, const char *html,
                                    size_t len, mtport_clean_report *report);

/** Appends what @p r counts in words to @p out ("2 scripts, 1 tracking
 *  element", "nothing"), for diagnostics. MTPORT_OK or MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_clean_report_format(const mtport_clean_report *r,
                                             mtport_buf *out);

/** Appends @p len bytes of text to @p out with '&', '<', '>' and '"' as
 *  character references: safe as HTML text and as a quoted attribute
 *  value. Returns MTPORT_OK or MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_html_escape(mtport_buf *out, const char *s,
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
