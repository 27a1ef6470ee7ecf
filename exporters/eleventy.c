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
      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "title", c->title, "language",
                c->language, "url", c->base_url ? c->base_url : "", "host",
                c->host, "basePath", c->base_path, "section", c->section);
  char *s = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
  int rc = s ? mtport_buf_puts(out, s) : MTPORT_ENOMEM;
  if (!rc)
    rc = mtport_buf_putc(out, '\n');
  free(s);
  json_decref(o);
  *path = "_data/site.json";
  return rc;
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
    .config = S_config,
    .key_image = "image",
};

MTPORT_SITE_EXPORTER(mtport_exporter_eleventy, mtport__gen_eleventy, "eleventy",
                     "Eleventy site: <section>/<slug>.md with YAML front "
                     "matter");
