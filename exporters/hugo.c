/* Hugo: a description for the Markdown-site core (site/site.h). */
#include "site/site.h"

static void S_list(site_yaml *y, const char *key, const char *const *v) {
  mtport__yaml_plain(y, key);
  mtport__yaml_seq(y, 1);
  for (; *v; v++)
    mtport__yaml_str(y, *v);
  mtport__yaml_seq(y, 0);
}

/* config.yaml. Goldmark keeps the raw HTML of MT bodies and parses as the
 * proof's cmark-gfm does (tables and strikethrough; no typographer, no
 * linkify, no footnotes, definition lists, task lists or attributes), so
 * the page shows the author's text exactly. Categories, tags and archives
 * are taxonomies over the scaffold's keys (mt_categories...), whose term
 * pages set their own URLs: Hugo's own term paths break names like "C#"
 * or "?" and stop the build on "..". The Atom feed is an output format of
 * the feed pages, one per old feed address. */
static int S_config(const site_config *c, mtport_buf *out, const char **path) {
  static const char *const html[] = {"HTML", NULL};
  static const char *const kinds[] = {"home", "section", "taxonomy",
                                      "term", "page",    NULL};
  site_yaml y;
  mtport__yaml_begin(&y, out, 0);
  mtport__yaml_kv(&y, "baseURL", c->base_url ? c->base_url : "/");
  mtport__yaml_kv(&y, "title", c->title);
  mtport__yaml_kv(&y, "languageCode", c->language);
  mtport__yaml_kplain(&y, "paginate", "10");
  mtport__yaml_plain(&y, "params");
  mtport__yaml_map(&y, 1);
  const char *sections[] = {c->section, NULL};
  S_list(&y, "mainSections", sections);
  if (c->feed_id)
    mtport__yaml_kv(&y, "mt_feed_id", c->feed_id);
  mtport__yaml_map(&y, 0);
  mtport__yaml_plain(&y, "taxonomies");
  mtport__yaml_map(&y, 1);
  mtport__yaml_kv(&y, "mt_category", "mt_categories");
  mtport__yaml_kv(&y, "mt_tag", "mt_tags");
  mtport__yaml_kv(&y, "mt_archive", "mt_archives");
  mtport__yaml_map(&y, 0);
  mtport__yaml_plain(&y, "mediaTypes");
  mtport__yaml_map(&y, 1);
  mtport__yaml_plain(&y, "application/atom+xml");
  mtport__yaml_map(&y, 1);
  static const char *const xml[] = {"xml", NULL};
  S_list(&y, "suffixes", xml);
  mtport__yaml_map(&y, 0);
  mtport__yaml_map(&y, 0);
  mtport__yaml_plain(&y, "outputFormats");
  mtport__yaml_map(&y, 1);
  mtport__yaml_plain(&y, "MTAtom");
  mtport__yaml_map(&y, 1);
  mtport__yaml_kv(&y, "mediaType", "application/atom+xml");
  mtport__yaml_kplain(&y, "isPlainText", "true");
  mtport__yaml_map(&y, 0);
  mtport__yaml_map(&y, 0);
  mtport__yaml_plain(&y, "outputs"); /* no RSS: the feed is Atom */
  mtport__yaml_map(&y, 1);
  for (const char *const *k = kinds; *k; k++)
    S_list(&y, *k, html);
  mtport__yaml_map(&y, 0);
  mtport__yaml_plain(&y, "markup");
  mtport__yaml_map(&y, 1);
  mtport__yaml_plain(&y, "goldmark");
  mtport__yaml_map(&y, 1);
  mtport__yaml_plain(&y, "extensions");
  mtport__yaml_map(&y, 1);
  mtport__yaml_kplain(&y, "definitionList", "false");
  mtport__yaml_kplain(&y, "footnote", "false");
  mtport__yaml_kplain(&y, "linkify", "false");
  mtport__yaml_kplain(&y, "strikethrough", "true");
  mtport__yaml_kplain(&y, "table", "true");
  mtport__yaml_kplain(&y, "taskList", "false");
  mtport__yaml_kplain(&y, "typographer", "false");
  mtport__yaml_map(&y, 0);
  mtport__yaml_plain(&y, "parser");
  mtport__yaml_map(&y, 1);
  mtport__yaml_plain(&y, "attribute");
  mtport__yaml_map(&y, 1);
  mtport__yaml_kplain(&y, "block", "false");
  mtport__yaml_kplain(&y, "title", "false");
  mtport__yaml_map(&y, 0);
  mtport__yaml_map(&y, 0);
  mtport__yaml_plain(&y, "renderer");
  mtport__yaml_map(&y, 1);
  mtport__yaml_kplain(&y, "unsafe", "true");
  mtport__yaml_map(&y, 0);
  mtport__yaml_map(&y, 0);
  mtport__yaml_plain(&y, "highlight"); /* code as written, no inline colours */
  mtport__yaml_map(&y, 1);
  mtport__yaml_kplain(&y, "codeFences", "false");
  mtport__yaml_map(&y, 0);
  mtport__yaml_map(&y, 0);
  *path = "config.yaml";
  return mtport__yaml_end(&y, 0);
}

/* A feed page renders only the feed, in no list; a term page names its
 * term and sets its URL. */
static void S_page_front(site_yaml *y, const site_page *pg) {
  if (pg->kind == SITE_PAGE_FEED) {
    static const char *const atom[] = {"MTAtom", NULL};
    mtport__yaml_kv(y, "url", pg->url);
    mtport__yaml_kv(y, "layout", "mt_feed");
    S_list(y, "outputs", atom);
    mtport__yaml_plain(y, "_build");
    mtport__yaml_map(y, 1);
    mtport__yaml_kplain(y, "list", "never");
    mtport__yaml_map(y, 0);
    return;
  }
  mtport__yaml_kv(y, "title", pg->name);
  mtport__yaml_kv(y, "url", pg->url);
}

const site_gen mtport__gen_hugo = {
    .name = "hugo",
    .post_path = "content/{section}/{slug}.md",
    .post_bundle_path = "content/{section}/{slug}/index.md",
    .page_path = "content/{slug}.md",
    .page_bundle_path = "content/{slug}/index.md",
    .drafts = SITE_DRAFT_FLAG,
    .post_url = "{section}/{slug}/",
    .page_url = "{slug}/",
    .comments_path = "data/comments/{key}.yaml",
    .comments_format = SITE_DATA_YAML,
    .key_updated = "lastmod",
    .key_summary = "summary",
    .key_old_urls = "aliases",
    .files_dir = "static",
    /* Hugo's default taxonomies and home feed */
    .category_url = "categories/{slug}/",
    .tag_url = "tags/{slug}/",
    .feed_url = "index.xml",
    .escape = mtport__site_shortcode_escape,
    .key_link_title = "linkTitle", /* Hugo's own: .LinkTitle */
    .config = S_config,
    .static_dir = "static/",
    .term_keys = 1,
    .scaffold_path = {"content/mt_feeds/{key}.md",
                      "content/mt_categories/{key}/_index.md",
                      "content/mt_tags/{key}/_index.md",
                      "content/mt_archives/{key}/_index.md"},
    .scaffold_front = S_page_front,
    .key_image = "images", /* Hugo's own: its templates' opengraph reads it */
    .image_list = 1,
};

MTPORT_SITE_EXPORTER(mtport_exporter_hugo, mtport__gen_hugo, "hugo",
                     "Hugo site: content/<section>/<slug>.md with YAML front "
                     "matter");
