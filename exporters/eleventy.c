/* Eleventy: a description for the Markdown-site core (site/site.h).
 * Markdown is marked `templateEngineOverride: md`, Eleventy's own way to
 * keep Liquid and Nunjucks out of a file, so bodies need no escaping; old
 * URLs become redirect pages, since Eleventy has no aliases. */
#include "site/site.h"
#include <jansson.h>
#include <stdlib.h>

static const char *const S_fixed[] = {"templateEngineOverride", "md", NULL};

/* _data/site.json: what the scaffold's config and layouts read. */
static int S_config(const site_config *c, mtport_buf *out, const char **path) {
  json_t *o =
      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "title", c->title,
                "language", c->language, "url", c->base_url ? c->base_url : "",
                "host", c->host, "basePath", c->base_path, "section",
                c->section, "feedId", c->feed_id ? c->feed_id : "");
  char *s = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
  int rc = s ? mtport_buf_puts(out, s) : MTPORT_ENOMEM;
  if (!rc)
    rc = mtport_buf_putc(out, '\n');
  free(s);
  json_decref(o);
  *path = "_data/site.json";
  return rc;
}

/* The scaffold's pages: the feed, a term's or an archive's list, each in
 * no collection. */
static void S_page_front(site_yaml *y, const site_page *pg) {
  static const char *const layout[SITE_PAGE_KINDS] = {
      "mt_feed.liquid", "mt_term.liquid", "mt_term.liquid",
      "mt_archive.liquid"};
  mtport__yaml_kv(y, "layout", layout[pg->kind]);
  if (pg->kind != SITE_PAGE_FEED) {
    mtport__yaml_kv(y, "title", pg->name);
    mtport__yaml_kv(y, "page_title", pg->name);
  }
  mtport__yaml_kv(y, "permalink", pg->url);
  if (pg->kind == SITE_PAGE_ARCHIVE)
    mtport__yaml_kv(y, "mt_archive", pg->key);
  else if (pg->kind != SITE_PAGE_FEED) {
    mtport__yaml_kv(y, "mt_taxonomy",
                    pg->kind == SITE_PAGE_TAG ? "tags" : "categories");
    mtport__yaml_kv(y, "mt_term", pg->name);
  }
  mtport__yaml_kplain(y, "eleventyExcludeFromCollections", "true");
}

const site_gen mtport__gen_eleventy = {
    .name = "eleventy",
    .post_path = "{section}/{slug}.md",
    .post_bundle_path = "{section}/{slug}/index.md",
    .page_path = "{slug}.md",
    .page_bundle_path = "{slug}/index.md",
    .drafts = SITE_DRAFT_UNPUBLISHED,
    .post_url = "{section}/{slug}/",
    .page_url = "{slug}/",
    .comments_path = "_data/comments/{key}.json",
    .comments_format = SITE_DATA_JSON,
    .key_updated = "updated",
    .key_summary = "summary",
    .permalink_posts = 1,
    .permalink_pages = 1,
    .fixed_keys = S_fixed,
    .alias_any_path = 1,
    .redirect_page_path = "redirects/{slug}.md",
    .key_link_title = "link_title",
    .config = S_config,
    .static_dir = "",
    .key_local_date = "mt_date", /* Eleventy's dates lose their offset */
    .scaffold_path = {"mt_feeds/{key}.html", "mt_categories/{key}.html",
                      "mt_tags/{key}.html", "mt_archives/{key}.html"},
    .scaffold_front = S_page_front,
    .terms_path = "_data/mt_terms.json",
};

MTPORT_SITE_EXPORTER(mtport_exporter_eleventy, mtport__gen_eleventy, "eleventy",
                     "Eleventy site: <section>/<slug>.md with YAML front "
                     "matter");
