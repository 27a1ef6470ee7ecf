/* The scaffold: a site that builds as is with the generator's real tool.
 * Its templates are real files under exporters/scaffold/<generator>/ (and
 * exporters/scaffold/common/ for what every generator shares, below its
 * static folder), embedded at build time; only the config is made here,
 * from the site, by the generator's description. It is written after the
 * first pass, before any post: the title may come from the input's name,
 * and the pages (pages.c) need the posts' terms. */
#include "site_int.h"
#include <stdlib.h>
#include <string.h>

/* The site's title: the input's, else --title, else the input's file name
 * without folder and extension (with a warning). */
static int S_title(site_state *st) {
  if (st->site_title && *st->site_title)
    return MTPORT_OK;
  const char *opt =
      st->io.option ? st->io.option(st->io.payload, "title") : NULL;
  mtport_buf t = MTPORT_BUF_INIT;
  int rc = MTPORT_OK;
  if (opt && *opt)
    rc = mtport__site_plain(&t, opt);
  else {
    const char *in = st->input_name && strcmp(st->input_name, "-") != 0
                         ? st->input_name
                         : "";
    const char *base = strrchr(in, '/');
    base = base ? base + 1 : in;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    rc = n ? mtport_buf_append(&t, base, n) : mtport_buf_puts(&t, "Blog");
    mtport__site_diag(st, NULL, MTPORT_SEV_WARNING, "no-title",
                      "the input names no blog title: the site is called "
                      "'%s' (--title sets one)",
                      t.data ? t.data : "");
  }
  char *s = rc ? NULL : mtport_buf_detach(&t);
  mtport_buf_dispose(&t);
  if (!s)
    return MTPORT_ENOMEM;
  free(st->site_title);
  st->site_title = s;
  return MTPORT_OK;
}

int mtport__site_scaffold(site_state *st) {
  const site_gen *g = st->gen;
  mtport_buf host = MTPORT_BUF_INIT, b = MTPORT_BUF_INIT,
             path = MTPORT_BUF_INIT;
  int rc = S_title(st);
  if (!rc && st->base_url) { /* "https://x.org/blog/" -> "https://x.org" */
    size_t n = strlen(st->base_url), pn = strlen(st->base_path);
    if (pn <= n && strcmp(st->base_url + n - pn, st->base_path) == 0)
      n -= pn;
    rc = mtport_buf_append(&host, st->base_url, n);
  }
  /* the feed's id: the input's, else the site's URL, else one of our own */
  mtport_buf fid = MTPORT_BUF_INIT;
  if (!rc && !st->feed_id && st->base_url)
    rc = mtport_buf_puts(&fid, st->base_url);
  else if (!rc && !st->feed_id) {
    char *s = mtport_slugify(st->site_title, 0, SITE_SLUG_MAX);
    rc = s ? mtport_buf_printf(&fid, "urn:mtport:feed:%s", s) : MTPORT_ENOMEM;
    free(s);
  }
  site_config c = {st->site_title,
                   st->language,
                   st->base_url,
                   st->base_path,
                   host.data ? host.data : "",
                   st->section,
                   st->feed_id ? st->feed_id : fid.data};
  const char *cpath = NULL;
  if (!rc && g->config && !(rc = g->config(&c, &b, &cpath)) && cpath)
    rc = mtport__site_write(st, cpath, &b);
  for (const site_file *f = mtport__scaffold_files; f->gen && !rc; f++) {
    int common = strcmp(f->gen, "common") == 0;
    if (!common && strcmp(f->gen, g->name) != 0)
      continue;
    mtport_buf_clear(&b);
    mtport_buf_clear(&path);
    rc = mtport_buf_puts(&path, common && g->static_dir ? g->static_dir : "");
    if (!rc)
      rc = mtport_buf_puts(&path, f->path);
    if (!rc)
      rc = mtport_buf_append(&b, f->data, f->len);
    if (!rc)
      rc = mtport__site_write(st, path.data, &b);
  }
  mtport_buf_dispose(&b);
  mtport_buf_dispose(&path);
  mtport_buf_dispose(&host);
  mtport_buf_dispose(&fid);
  return rc;
}
