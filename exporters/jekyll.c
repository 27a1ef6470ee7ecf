/* Jekyll: a description for the Markdown-site core (site/site.h). */
#include "site/site.h"
#include <stdlib.h>
#include <string.h>

static void S_list(site_yaml *y, const char *key, const char *const *v) {
  mtport__yaml_plain(y, key);
  mtport__yaml_seq(y, 1);
  for (; *v; v++)
    mtport__yaml_str(y, *v);
  mtport__yaml_seq(y, 0);
}

/* _config.yml: posts at /posts/<slug>/, jekyll-redirect-from for old URLs,
 * the post and page layouts by default, the home page paginated by 10
 * (jekyll-paginate), a sitemap (jekyll-sitemap), and the header made once
 * for every page (jekyll-include-cache). Markdown is read by
 * CommonMark (jekyll-commonmark) with the proof's extensions, tables and
 * strikethrough, and raw HTML kept; kramdown's smart quotes and symbols
 * are off too, for a site that goes back to kramdown: the page shows the
 * author's text exactly. */
static int S_config(const site_config *c, mtport_buf *out, const char **path) {
  static const char *const plugins[] = {
      "jekyll-redirect-from", "jekyll-commonmark",    "jekyll-paginate",
      "jekyll-sitemap",       "jekyll-include-cache", NULL};
  static const char *const cm_opts[] = {"UNSAFE", NULL};
  static const char *const cm_exts[] = {"strikethrough", "table", NULL};
  static const char *const quotes[] = {"apos", "apos", "quot", "quot", NULL};
  static const char *const symbols[] = {
      "hellip",      "...",   "mdash",       "---",   "ndash",
      "--",          "laquo", "<<",          "raquo", ">>",
      "laquo_space", "<< ",   "raquo_space", " >>",   NULL};
  size_t n = strlen(c->base_path); /* "/blog/" -> "/blog", "/" -> "" */
  mtport_buf baseurl = MTPORT_BUF_INIT;
  int rc = mtport_buf_append(&baseurl, c->base_path, n ? n - 1 : 0);
  site_yaml y;
  mtport__yaml_begin(&y, out, 0);
  mtport__yaml_kv(&y, "title", c->title);
  mtport__yaml_kv(&y, "url", c->host);
  mtport__yaml_kv(&y, "baseurl", baseurl.data ? baseurl.data : "");
  mtport__yaml_kv(&y, "lang", c->language);
  if (c->feed_id) /* the feed's id, as the old feed had it */
    mtport__yaml_kv(&y, "mt_feed_id", c->feed_id);
  mtport__yaml_kv(&y, "permalink", "/posts/:title/");
  mtport__yaml_kv(&y, "excerpt_separator", "<!--more-->");
  mtport__yaml_kv(&y, "markdown", "CommonMark");
  mtport__yaml_plain(&y, "commonmark");
  mtport__yaml_map(&y, 1);
  S_list(&y, "options", cm_opts);
  S_list(&y, "extensions", cm_exts);
  mtport__yaml_map(&y, 0);
  mtport__yaml_plain(&y, "kramdown");
  mtport__yaml_map(&y, 1);
  S_list(&y, "smart_quotes", quotes);
  mtport__yaml_plain(&y, "typographic_symbols");
  mtport__yaml_map(&y, 1);
  for (const char *const *k = symbols; *k; k += 2)
    mtport__yaml_kv(&y, k[0], k[1]);
  mtport__yaml_map(&y, 0);
  mtport__yaml_map(&y, 0);
  mtport__yaml_kplain(&y, "paginate", "10");
  mtport__yaml_kv(&y, "paginate_path", "/page/:num/");
  S_list(&y, "plugins", plugins);
  mtport__yaml_plain(&y, "include"); /* Netlify's file starts with '_' */
  mtport__yaml_seq(&y, 1);
  mtport__yaml_str(&y, "_redirects");
  mtport__yaml_seq(&y, 0);
  /* the asset report is for the person migrating, not the readers (Jekyll
   * 4 adds this to its own exclusions) */
  mtport__yaml_plain(&y, "exclude");
  mtport__yaml_seq(&y, 1);
  mtport__yaml_str(&y, "mtport-assets.tsv");
  mtport__yaml_seq(&y, 0);
  mtport__yaml_plain(&y, "defaults");
  mtport__yaml_seq(&y, 1);
  for (int i = 0; i < 2; i++) {
    mtport__yaml_map(&y, 1);
    mtport__yaml_plain(&y, "scope");
    mtport__yaml_map(&y, 1);
    mtport__yaml_kv(&y, "path", "");
    mtport__yaml_kv(&y, "type", i ? "pages" : "posts");
    mtport__yaml_map(&y, 0);
    mtport__yaml_plain(&y, "values");
    mtport__yaml_map(&y, 1);
    mtport__yaml_kv(&y, "layout", i ? "page" : "post");
    mtport__yaml_map(&y, 0);
    mtport__yaml_map(&y, 0);
  }
  mtport__yaml_seq(&y, 0);
  int e = mtport__yaml_end(&y, 0);
  mtport_buf_dispose(&baseurl);
  *path = "_config.yml";
  return rc ? rc : e;
}

/* The scaffold's pages: the feed, a term's or an archive's list. */
static void S_page_front(site_yaml *y, const site_page *pg) {
  static const char *const layout[SITE_PAGE_KINDS] = {"mt_feed", "mt_term",
                                                      "mt_term", "mt_archive"};
  mtport__yaml_kv(y, "layout", layout[pg->kind]);
  if (pg->kind != SITE_PAGE_FEED)
    mtport__yaml_kv(y, "title", pg->name);
  mtport__yaml_kv(y, "permalink", pg->url);
  if (pg->kind == SITE_PAGE_ARCHIVE)
    mtport__yaml_kv(y, "mt_archive", pg->key);
  else if (pg->kind != SITE_PAGE_FEED) { /* site.categories[...] */
    mtport__yaml_kv(y, "mt_taxonomy",
                    pg->kind == SITE_PAGE_TAG ? "tags" : "categories");
    mtport__yaml_kv(y, "mt_term", pg->name);
  }
}

const site_gen mtport__gen_jekyll = {
    .name = "jekyll",
    .post_path = "_posts/{date}-{slug}.md",
    .page_path = "{slug}.md",
    .drafts = SITE_DRAFT_FOLDER,
    .draft_path = "_drafts/{slug}.md",
    .post_url = "posts/{slug}/",
    .page_url = "{slug}/",
    .comments_path = "_data/comments/{key}.yml",
    .comments_format = SITE_DATA_YAML,
    .ascii_data_keys = 1,
    .key_updated = "last_modified_at", /* as jekyll-sitemap reads it */
    .key_summary = "excerpt",
    .key_old_urls = "redirect_from", /* jekyll-redirect-from */
    .permalink_pages = 1,
    .excerpt_separator = 1,
    .escape = mtport__site_liquid_escape,
    .alias_any_path = 1,
    .key_link_title = "link_title",
    .config = S_config,
    .static_dir = "",
    .key_local_date = "mt_date", /* Jekyll shows every date in one zone */
    .scaffold_path = {"mt_feeds/{key}.xml", "mt_categories/{key}.html",
                      "mt_tags/{key}.html", "mt_archives/{key}.html"},
    .scaffold_front = S_page_front,
    .terms_path = "_data/mt_terms.yml",
    .key_image = "image", /* as jekyll-seo-tag reads it */
};

MTPORT_SITE_EXPORTER(mtport_exporter_jekyll, mtport__gen_jekyll, "jekyll",
                     "Jekyll site: _posts/YYYY-MM-DD-<slug>.md with YAML "
                     "front matter");
