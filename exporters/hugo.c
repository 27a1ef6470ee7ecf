/* Hugo: a description for the Markdown-site core (site/site.h). */
#include "site/site.h"

/* config.yaml: goldmark keeps the raw HTML of MT bodies. */
static int S_config(const site_config *c, mtport_buf *out, const char **path) {
  site_yaml y;
  mtport__yaml_begin(&y, out, 0);
  mtport__yaml_kv(&y, "baseURL", c->base_url ? c->base_url : "/");
  mtport__yaml_kv(&y, "title", c->title);
  mtport__yaml_kv(&y, "languageCode", c->language);
  mtport__yaml_plain(&y, "markup");
  mtport__yaml_map(&y, 1);
  mtport__yaml_plain(&y, "goldmark");
  mtport__yaml_map(&y, 1);
  mtport__yaml_plain(&y, "renderer");
  mtport__yaml_map(&y, 1);
  mtport__yaml_kplain(&y, "unsafe", "true");
  mtport__yaml_map(&y, 0);
  mtport__yaml_map(&y, 0);
  mtport__yaml_map(&y, 0);
  *path = "config.yaml";
  return mtport__yaml_end(&y, 0);
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
    .config = S_config,
};

MTPORT_SITE_EXPORTER(mtport_exporter_hugo, mtport__gen_hugo, "hugo",
                     "Hugo site: content/<section>/<slug>.md with YAML front "
                     "matter");
