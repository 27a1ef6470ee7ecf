/* The Markdown-site core, private to exporters/: a static-site generator
 * is a description (site_gen), and one core writes every generator's
 * site from it. exporters/hugo.c, jekyll.c and eleventy.c each hold one
 * description; adding a generator means one more such file and one line
 * in exporters/builtin.c.
 *
 * The core's files, one concern each:
 *   site.c       the exporter calls (begin, prepass, prepare, entry, end)
 *   plan.c       slugs planned in date order, and the URLs they give
 *   frontmatter.c  the YAML writer (libyaml's emitter) and front matter
 *   layout.c     where each post, page, draft and data file goes
 *   escape.c     template syntax made literal (Liquid, Hugo shortcodes)
 *   comments.c   comments as data files
 *   redirects.c  old URLs kept: aliases, redirect pages, a redirects file
 *   scaffold.c   a site that builds as is, from exporters/scaffold/<name>/
 *
 * Slugs: the MT basename, else the file name of an MT permalink
 * (".../my_entry.html", ".../about/index.html"), else the title, else
 * "entry-<id>"; through mtport_slugify(), '_' kept only with
 * keep-underscores; one namespace for everything, suffixes -2, -3 in date
 * order (undated last, then input order); pages never take a name the site
 * needs (index, tags, the section, ...).
 * Old URLs: the permalink's path without the site's base path is kept by
 * the generator's own mechanism when it can serve it; with redirects=FILE
 * every old path -> new URL is also written as one netlify/nginx/apache
 * line; fragments and queries, and paths the generator cannot serve
 * without a redirects file, are reported. The new URL assumes the
 * scaffold's permalinks. */
#ifndef MTPORT_SITE_H
#define MTPORT_SITE_H

#include "mtport/mtport.h"
#include <yaml.h>

/* ---- the services the core needs ---------------------------------------- */

/* Normally those of the run's mtport_ctx (mtport__site_ctx_io()); a test
 * can plug in its own. All strings borrowed. */
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

/* ---- the YAML writer (frontmatter.c) ---------------------------------------
 */

typedef struct site_yaml {
  yaml_emitter_t em;
  mtport_buf *out;
  int failed;
} site_yaml;

/* Starts one implicit document in @out whose root is a block mapping, or a
 * block sequence when @root_seq. Errors are kept until mtport__yaml_end(). */
void mtport__yaml_begin(site_yaml *y, mtport_buf *out, int root_seq);
/* A string: always double-quoted, so no title turns into a bool, number,
 * date, null or syntax. NULL is "". */
void mtport__yaml_str(site_yaml *y, const char *s);
/* A key, a date, a number or a boolean the core produced itself. */
void mtport__yaml_plain(site_yaml *y, const char *s);
/* A key and a string; a key and a plain value. */
void mtport__yaml_kv(site_yaml *y, const char *key, const char *value);
void mtport__yaml_kplain(site_yaml *y, const char *key, const char *value);
/* A key and an RFC 3339 date in the time's own offset (nothing without a
 * date). */
void mtport__yaml_date(site_yaml *y, const char *key, const mtport_time *t);
/* Starts (@start) or ends a nested block sequence or mapping. */
void mtport__yaml_seq(site_yaml *y, int start);
void mtport__yaml_map(site_yaml *y, int start);
/* Ends the document. MTPORT_OK or MTPORT_ENOMEM. */
int mtport__yaml_end(site_yaml *y, int root_seq);

/* ---- a generator, described -------------------------------------------- */

/* Where drafts (entries not published) go. */
typedef enum site_drafts {
  SITE_DRAFT_FLAG,       /* with the posts, "draft: true" (Hugo) */
  SITE_DRAFT_FOLDER,     /* draft_path, also undated posts (Jekyll) */
  SITE_DRAFT_UNPUBLISHED /* with the posts, "permalink: false" (Eleventy) */
} site_drafts;

/* The format of data files (comments). */
typedef enum site_data { SITE_DATA_YAML, SITE_DATA_JSON } site_data;

/* What a scaffold's config is made from; all strings borrowed. */
typedef struct site_config {
  const char *title;     /* the site's title (plain text) */
  const char *language;  /* "en" when the input has none */
  const char *base_url;  /* "https://x.org/blog/", or NULL */
  const char *base_path; /* "/blog/" or "/" */
  const char *host;      /* "https://x.org", or "" */
  const char *section;   /* the content section of posts ({section}) */
} site_config;

typedef struct site_gen {
  const char *name; /* the exporter's name, and its scaffold's folder */
  /* Content paths below the site root, with {section} (--section, default
   * "posts"), {slug} and {date} (YYYY-MM-DD, the day in the post's own
   * offset). The bundle paths are used with --bundle (NULL: no bundles). */
  const char *post_path, *post_bundle_path;
  const char *page_path, *page_bundle_path;
  site_drafts drafts;
  const char *draft_path; /* SITE_DRAFT_FOLDER */
  /* The URLs the new site serves posts and pages at, below its base path
   * (the scaffold's permalinks): {section} and {slug}. */
  const char *post_url, *page_url;
  /* Comments: the data file's path ({key}: the comments key), format, and
   * whether keys must be ASCII (non-ASCII slugs become "u" + hex). */
  const char *comments_path;
  site_data comments_format;
  int ascii_data_keys;
  /* Front matter: the key names that differ between generators (NULL: not
   * written), whether posts and pages carry their URL in a permalink key,
   * whether an extended body gets an excerpt_separator key, and key/value
   * pairs (plain YAML, NULL-terminated) every post and page carries. */
  const char *key_updated, *key_summary, *key_old_urls;
  int permalink_posts, permalink_pages, excerpt_separator;
  const char *const *fixed_keys;
  /* Makes the generator's template syntax in Markdown literal (NULL: the
   * body is never run through a template engine). */
  int (*escape)(mtport_buf *out, const char *text, size_t len);
  /* Old URLs: kept through key_old_urls, which serves any path when
   * alias_any_path, else only "/x/", "/x.html" and "/x"; or (with no key)
   * as one redirect page each at redirect_page_path ({slug}). */
  int alias_any_path;
  const char *redirect_page_path;
  /* The folder the generator copies as is, where files keep their old
   * path (NULL: the site root). */
  const char *files_dir;
  /* The pages the built site has for a category, a tag ({slug}: the
   * term's name, lower case, spaces as '-') and its main feed, below its
   * base path; NULL when it has none. Old links to such pages lead there. */
  const char *category_url, *tag_url, *feed_url;
  /* The scaffold: the files under exporters/scaffold/<name>/, and the
   * config made from the site, which the function appends to @out and
   * names in *path. */
  int (*config)(const site_config *c, mtport_buf *out, const char **path);
} site_gen;

/* The built-in generators (exporters/hugo.c, jekyll.c, eleventy.c). */
extern const site_gen mtport__gen_hugo, mtport__gen_jekyll,
    mtport__gen_eleventy;

/* ---- the core ------------------------------------------------------------ */

/* The exporter calls, as in mtport_exporter; @io is copied, @gen borrowed
 * for the run. */
int mtport__site_begin(const site_gen *gen, const site_io *io,
                       const mtport_site *site, void **state);
int mtport__site_prepass(void *state, const mtport_post *post);
int mtport__site_prepass_done(void *state);
int mtport__site_entry(void *state, const mtport_post *post);
/* entry() with what prepare() made for @post (or NULL: converted here). */
int mtport__site_entry_prepared(void *state, const mtport_post *post,
                                const void *prepared);
int mtport__site_prepare(const void *state, const mtport_post *post,
                         void **prepared);
void mtport__site_release(void *prepared);
int mtport__site_save(const void *prepared, mtport_buf *out);
int mtport__site_load(const void *state, const char *data, size_t len,
                      void **prepared);
int mtport__site_end(void *state, int status);

/* The vtable's functions over a run's context. */
int mtport__site_vt_begin(const site_gen *gen, mtport_ctx *ctx,
                          const mtport_site *site, void **state);
int mtport__site_vt_prepass(mtport_ctx *ctx, void *state,
                            const mtport_post *post);
int mtport__site_vt_prepass_done(mtport_ctx *ctx, void *state);
int mtport__site_vt_entry(mtport_ctx *ctx, void *state,
                          const mtport_post *post);
int mtport__site_vt_end(mtport_ctx *ctx, void *state, int status);

/* Defines the exporter @var named @name (a string literal, as gen.name)
 * for the description @gen: a generator's file holds its description and
 * this line. */
#define MTPORT_SITE_EXPORTER(var, gen, name_, desc)                            \
  static int var##_begin(mtport_ctx *ctx, const mtport_site *site,             \
                         void **state) {                                       \
    return mtport__site_vt_begin(&(gen), ctx, site, state);                    \
  }                                                                            \
  const mtport_exporter var = {                                                \
      .version = MTPORT_EXPORTER_VERSION,                                      \
      .name = name_,                                                           \
      .description = (desc),                                                   \
      .output = MTPORT_OUTPUT_DIR,                                             \
      .begin = var##_begin,                                                    \
      .prepass = mtport__site_vt_prepass,                                      \
      .prepass_done = mtport__site_vt_prepass_done,                            \
      .entry = mtport__site_vt_entry,                                          \
      .end = mtport__site_vt_end,                                              \
      .prepare = mtport__site_prepare,                                         \
      .release = mtport__site_release,                                         \
      .save = mtport__site_save,                                               \
      .load = mtport__site_load,                                               \
  }

/* ---- template syntax (escape.c) ----------------------------------------- */

/* Appends @text as a Jekyll body whose `{{` and `{%` Liquid shows
 * literally. */
int mtport__site_liquid_escape(mtport_buf *out, const char *text, size_t len);
/* Appends @text as a Hugo body in which no `{{<`/`{{%` runs a shortcode
 * and the page shows the original text. */
int mtport__site_shortcode_escape(mtport_buf *out, const char *text,
                                  size_t len);

/* Longest slug in bytes, before a collision suffix. */
#define SITE_SLUG_MAX 120

#endif
