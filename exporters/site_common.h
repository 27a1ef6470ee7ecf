/* Private to the Hugo and Jekyll exporters: one Markdown + YAML front matter
 * core, two layouts. Not installed; tests may include it.
 *
 * Layout (SITE is --output):
 *   Hugo    posts  content/<section>/<slug>.md (bundle: <slug>/index.md)
 *           pages  content/<slug>.md (bundle: content/<slug>/index.md)
 *           comments data/comments/<slug>.yaml
 *   Jekyll  posts  _posts/YYYY-MM-DD-<slug>.md, the day in the entry's own
 *                  offset; statuses other than publish, and posts without
 *                  any date, go to _drafts/<slug>.md
 *           pages  <slug>.md with permalink /<slug>/
 *           comments _data/comments/<key>.yml (key = slug, or "u" + hex of
 *                  a non-ASCII slug: Jekyll drops non-ASCII from data keys)
 * Slugs: the MT basename, else the file name of an MT permalink
 * (".../my_entry.html", ".../about/index.html"), else the title, else
 * "entry-<id>"; through mtport_slugify(), '_' kept only with
 * keep-underscores; one namespace for everything, suffixes -2, -3 in date
 * order (undated last, then input order); pages never take a name the site
 * needs (index, tags, the section, ...).
 * Front matter (libyaml, every string double-quoted): title (plain text),
 * date, lastmod (Jekyll: last_modified_at, as jekyll-sitemap reads it),
 * draft: true + mt_status (Hugo; Jekyll: _drafts + mt_status), slug,
 * permalink (Jekyll pages), tags, categories, author, summary/excerpt,
 * excerpt_separator (Jekyll, with an extended body), aliases/redirect_from,
 * mt_comments (the comments data key), mt_id, mt_basename, mt_permalink.
 * Old URLs: the permalink's path without the site's base path becomes an
 * alias when the consumer can serve it (Hugo: "/", ".html", no extension;
 * Jekyll: anything); with redirects=FILE every old path -> new URL is also
 * written as one netlify/nginx/apache line; fragments and queries, and
 * Hugo's ".php"-like paths without a redirects file, are reported. The new
 * URL assumes the scaffold's permalinks (Hugo default, Jekyll
 * /posts/:title/). */
#ifndef MTPORT_SITE_COMMON_H
#define MTPORT_SITE_COMMON_H

#include "mtport/mtport.h"

typedef enum site_flavor { SITE_HUGO = 0, SITE_JEKYLL = 1 } site_flavor;

/* The services the core needs, normally those of the run's mtport_ctx
 * (mtport__site_ctx_io()); a test can plug in its own. All strings borrowed. */
typedef struct site_io {
  void *payload;
  /* Writes a file below the site root; returns an mtport_rc. */
  int (*write_file)(void *payload, const char *rel, const char *data,
                    size_t len);
  /* Writes a file the user named (redirects); returns an mtport_rc. */
  int (*write_path)(void *payload, const char *path, const char *data,
                    size_t len);
  /* The value of an option, "" for a bare key, NULL when absent. */
  const char *(*option)(void *payload, const char *key);
  /* Reports a diagnostic about @post (may be NULL). */
  void (*diag)(void *payload, const mtport_post *post, mtport_severity sev,
               const char *code, const char *msg);
  /* Optional (NULL: the redirects file is built in memory and given to
   * write_path() at the end): opens a file the user named for streaming,
   * as mtport_ctx_open_path(). */
  int (*open_path)(void *payload, const char *path, FILE **out);
} site_io;

/* The io of a run's context. */
site_io mtport__site_ctx_io(mtport_ctx *ctx);

/* The exporter vtable's prepass, prepass_done, entry and end, shared by the
 * hugo and jekyll exporters (only their begin() differs). */
int mtport__site_vt_prepass(mtport_ctx *ctx, void *state,
                            const mtport_post *post);
int mtport__site_vt_prepass_done(mtport_ctx *ctx, void *state);
int mtport__site_vt_entry(mtport_ctx *ctx, void *state,
                          const mtport_post *post);
int mtport__site_vt_end(mtport_ctx *ctx, void *state, int status);

/* The exporter calls, as in mtport_exporter; @io is copied. */
int mtport__site_begin(site_flavor flavor, const site_io *io,
                       const mtport_site *site, void **state);
int mtport__site_prepass(void *state, const mtport_post *post);
int mtport__site_prepass_done(void *state);
int mtport__site_entry(void *state, const mtport_post *post);
/* entry() with what prepare() made for @post (or NULL: converted here). */
int mtport__site_entry_prepared(void *state, const mtport_post *post,
                                const void *prepared);
/* The vtable's prepare() and release(): the Markdown of the body and the
 * extended body, made on worker threads. */
int mtport__site_prepare(const void *state, const mtport_post *post,
                         void **prepared);
void mtport__site_release(void *prepared);
/* The vtable's save() and load(): what prepare() made, as bytes. */
int mtport__site_save(const void *prepared, mtport_buf *out);
int mtport__site_load(const void *state, const char *data, size_t len,
                      void **prepared);
int mtport__site_end(void *state, int status);

/* Longest slug in bytes, before a collision suffix. */
#define SITE_SLUG_MAX 120

/* Appends @text as a Jekyll body whose `{{` and `{%` Liquid shows
 * literally. */
int mtport__site_liquid_escape(mtport_buf *out, const char *text, size_t len);
/* Appends @text as a Hugo body in which no `{{<`/`{{%` runs a shortcode
 * and the page shows the original text. */
int mtport__site_shortcode_escape(mtport_buf *out, const char *text,
                                  size_t len);

#endif
