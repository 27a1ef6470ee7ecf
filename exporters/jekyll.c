/* Jekyll: a description for the Markdown-site core (site/site.h). */
#include "site/site.h"
#include <stdlib.h>
#include <string.h>

/* _config.yml: posts at /posts/<slug>/, jekyll-redirect-from for old URLs,
 * the post and page layouts by default. */
static int S_config(const site_config *c, mtport_buf *out, const char **path) {
  size_t n = strlen(c->base_path); /* "/blog/" -> "/blog", "/" -> "" */
  mtport_buf baseurl = MTPORT_BUF_INIT;
  int rc = mtport_buf_append(&baseurl, c->base_path, n ? n - 1 : 0);
  site_yaml y;
  mtport__yaml_begin(&y, out, 0);
  mtport__yaml_kv(&y, "title", c->title);
  mtport__yaml_kv(&y, "url", c->host);
  mtport__yaml_kv(&y, "baseurl", baseurl.data ? baseurl.data : "");
  mtport__yaml_kv(&y, "lang", c->language);
  mtport__yaml_kv(&y, "permalink", "/posts/:title/");
  mtport__yaml_kv(&y, "excerpt_separator", "<!--more-->");
  mtport__yaml_plain(&y, "plugins");
  mtport__yaml_seq(&y, 1);
  mtport__yaml_str(&y, "jekyll-redirect-from");
  mtport__yaml_seq(&y, 0);
  mtport__yaml_plain(&y, "include"); /* Netlify's file starts with '_' */
  mtport__yaml_seq(&y, 1);
  mtport__yaml_str(&y, "_redirects");
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
    .config = S_config,
    .key_image = "image", /* as jekyll-seo-tag reads it */
};

MTPORT_SITE_EXPORTER(mtport_exporter_jekyll, mtport__gen_jekyll, "jekyll",
                     "Jekyll site: _posts/YYYY-MM-DD-<slug>.md with YAML "
                     "front matter");
