/* The scaffold: a site that builds as is with the generator's real tool.
 * Its templates are real files under exporters/scaffold/<generator>/,
 * embedded at build time; only the config is made here, from the site,
 * by the generator's description. */
#include "site_int.h"
#include <stdlib.h>
#include <string.h>

int mtport__site_scaffold(site_state *st) {
  const site_gen *g = st->gen;
  mtport_buf host = MTPORT_BUF_INIT, b = MTPORT_BUF_INIT;
  int rc = MTPORT_OK;
  if (st->base_url) { /* "https://x.org/blog/" -> "https://x.org" */
    size_t n = strlen(st->base_url), pn = strlen(st->base_path);
    if (pn <= n && strcmp(st->base_url + n - pn, st->base_path) == 0)
      n -= pn;
    rc = mtport_buf_append(&host, st->base_url, n);
  }
  site_config c = {st->site_title,
                   st->language,
                   st->base_url,
                   st->base_path,
                   host.data ? host.data : "",
                   st->section};
  const char *path = NULL;
  if (!rc && g->config && !(rc = g->config(&c, &b, &path)) && path)
    rc = mtport__site_write(st, path, &b);
  for (const site_file *f = mtport__scaffold_files; f->gen && !rc; f++) {
    if (strcmp(f->gen, g->name) != 0)
      continue;
    mtport_buf_clear(&b);
    rc = mtport_buf_append(&b, f->data, f->len);
    if (!rc)
      rc = mtport__site_write(st, f->path, &b);
  }
  mtport_buf_dispose(&b);
  mtport_buf_dispose(&host);
  return rc;
}
