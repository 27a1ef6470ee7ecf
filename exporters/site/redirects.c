/* Old URLs kept: each post's old permalink is served by the generator's
 * own mechanism (Hugo's aliases, jekyll-redirect-from, a redirect page),
 * and with redirects=FILE also written as one server rule per line. What
 * cannot be kept is reported. */
#include "site_int.h"
#include <stdlib.h>
#include <string.h>

int mtport__redirects_begin(site_state *st) {
  if (mtport_strset_new(&st->aliased, MTPORT_STRSET_SPOOL) ||
      mtport_strset_new(&st->redirected, MTPORT_STRSET_SPOOL))
    return MTPORT_ENOMEM;
  /* before any file: an existing redirects file stops the run here */
  if (st->redirects && st->io.open_path)
    return st->io.open_path(st->io.payload, st->redirects, &st->redirect_file);
  return MTPORT_OK;
}

int mtport__redirects_reserve(site_state *st) {
  int rc = mtport_strset_reserve(st->aliased, st->n_old_urls);
  if (!rc && st->redirects)
    rc = mtport_strset_reserve(st->redirected, st->n_old_urls);
  return rc;
}

/* Adds one line to the redirects file. */
static int S_line(site_state *st, const char *old, const char *new_url) {
  static const char *const fmt[] = {"%s %s 301\n", /* netlify */
                                    "location = %s { return 301 %s; }\n",
                                    "Redirect 301 %s %s\n"};
  const char *f = fmt[st->redirects_format];
  if (st->redirect_file)
    return fprintf(st->redirect_file, f, old, new_url) < 0 ? MTPORT_EIO
                                                           : MTPORT_OK;
  return mtport_buf_printf(&st->redirect_lines, f, old, new_url);
}

/* 1 when the generator serves @path through its old-URL mechanism. Hugo
 * serves "/x/", "/x.html" and "/x" (as /x/index.html, which servers reach
 * by a slash redirect) but turns "/x.php" into a folder. */
static int S_servable(const site_state *st, const char *path) {
  size_t n = strlen(path);
  const char *last = strrchr(path, '/');
  return st->gen->alias_any_path || path[n - 1] == '/' ||
         (n > 5 && strcmp(path + n - 5, ".html") == 0) ||
         !strchr(last ? last : path, '.');
}

int mtport__site_old_url(site_state *st, const mtport_post *p, const char *slug,
                         char **alias) {
  *alias = NULL;
  if (!p->permalink || !*p->permalink)
    return MTPORT_OK;
  const char *pl = p->permalink;
  char *path = mtport__site_path_of(pl);
  if (!path) {
    mtport__site_diag(st, p, MTPORT_SEV_WARNING, "old-url-unusable",
                      "the old URL '%s' is not absolute: no redirect written",
                      pl);
    return MTPORT_OK;
  }
  if (strchr(pl, '#') || strchr(pl, '?')) {
    mtport__site_diag(st, p, MTPORT_SEV_WARNING, "old-url-fragment",
                      "the old URL '%s' has a %s: no page can redirect it", pl,
                      strchr(pl, '#') ? "fragment" : "query");
    free(path);
    return MTPORT_OK;
  }
  mtport_buf nu = MTPORT_BUF_INIT, rel = MTPORT_BUF_INIT,
             oldenc = MTPORT_BUF_INIT;
  int rc = mtport__site_new_url(st, p, slug, &nu);
  /* the path relative to the new site's root: the base path is the site */
  size_t bl = strlen(st->base_path);
  const char *r = path;
  if (strncmp(path, st->base_path, bl) == 0)
    r = path + bl - 1; /* keep the leading '/' */
  if (!rc)
    rc = mtport__site_put_decoded_path(&rel, r);
  if (!rc)
    rc = mtport__site_put_url_path(&oldenc, path);
  int same = !rc && strcmp(oldenc.data, nu.data) == 0;
  if (!rc && !same && *path) {
    int servable = S_servable(st, path);
    int has =
        servable ? mtport_strset_find(st->aliased, rel.data, rel.len, NULL) : 0;
    if (has < 0)
      rc = has;
    else if (has)
      mtport__site_diag(st, p, MTPORT_SEV_WARNING, "old-url-duplicate",
                        "another entry already has the old URL '%s' as alias",
                        path);
    else if (servable) {
      rc = mtport_strset_add(st->aliased, rel.data, rel.len, NULL);
      rc = rc > 0 ? MTPORT_OK : rc;
      if (!rc && !(*alias = mtport_buf_detach(&rel)))
        rc = MTPORT_ENOMEM;
    }
    if (!rc && st->redirects) {
      has = mtport_strset_add(st->redirected, oldenc.data, oldenc.len, NULL);
      if (has < 0)
        rc = has;
      else if (!has)
        mtport__site_diag(st, p, MTPORT_SEV_WARNING, "old-url-duplicate",
                          "another entry already redirects '%s'", path);
      else
        rc = S_line(st, oldenc.data, nu.data);
    } else if (!rc && !servable) {
      st->n_unserved++;
      mtport__site_diag(st, p, MTPORT_SEV_WARNING, "old-url-unserved",
                        "%s cannot serve '%s' as it is: give --redirects FILE "
                        "to redirect it",
                        st->gen->name, path);
    }
  }
  mtport_buf_dispose(&nu);
  mtport_buf_dispose(&rel);
  mtport_buf_dispose(&oldenc);
  free(path);
  return rc;
}

int mtport__site_redirect_page(site_state *st, const mtport_post *p,
                               const char *slug, const char *alias) {
  const char *pattern = st->gen->redirect_page_path;
  if (!pattern || !alias)
    return MTPORT_OK;
  mtport_buf path = MTPORT_BUF_INIT, nu = MTPORT_BUF_INIT,
             title = MTPORT_BUF_INIT, out = MTPORT_BUF_INIT;
  site_yaml y;
  mtport_buf where = MTPORT_BUF_INIT;
  /* "/archives/123" is written as a folder (.../123/index.html), which
   * servers reach by a slash redirect: a file without an extension would
   * be served without a type */
  const char *last = strrchr(alias, '/');
  int rc = mtport_buf_puts(&where, alias);
  if (!rc && !strchr(last ? last : alias, '.') && where.len &&
      where.data[where.len - 1] != '/')
    rc = mtport_buf_putc(&where, '/');
  if (!rc)
    rc = mtport__site_expand(st, pattern, p, slug, NULL, &path);
  if (!rc)
    rc = mtport__site_new_url(st, p, slug, &nu);
  if (!rc)
    rc = mtport_buf_puts(&title, p->title ? p->title : "");
  if (!rc) { /* the page's own front matter: where it is served */
    rc = mtport_buf_puts(&out, "---\n");
    mtport__yaml_begin(&y, &out, 0);
    mtport__yaml_kv(&y, "permalink", where.data);
    mtport__yaml_kv(&y, "mt_old_url", alias);
    mtport__yaml_kv(&y, "redirect_to", nu.data);
    mtport__yaml_kplain(&y, "eleventyExcludeFromCollections", "true");
    mtport__yaml_kplain(&y, "layout", "false"); /* a whole page itself */
    for (const char *const *k = st->gen->fixed_keys; k && k[0]; k += 2)
      mtport__yaml_kplain(&y, k[0], k[1]);
    int e = mtport__yaml_end(&y, 0);
    rc = rc ? rc : e;
  }
  if (!rc)
    rc = mtport_buf_puts(
        &out, "---\n<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
              "<title>");
  if (!rc)
    rc = mtport_html_escape(&out, title.data ? title.data : "", title.len);
  if (!rc)
    rc = mtport_buf_puts(&out, "</title>\n<link rel=\"canonical\" href=\"");
  if (!rc)
    rc = mtport_html_escape(&out, nu.data, nu.len);
  if (!rc)
    rc = mtport_buf_puts(&out, "\">\n<meta name=\"robots\" content=\"noindex\">"
                               "\n<meta http-equiv=\"refresh\" content=\"0; "
                               "url=");
  if (!rc)
    rc = mtport_html_escape(&out, nu.data, nu.len);
  if (!rc)
    rc = mtport_buf_puts(&out, "\">\n</head>\n<body>\n<p><a href=\"");
  if (!rc)
    rc = mtport_html_escape(&out, nu.data, nu.len);
  if (!rc)
    rc = mtport_buf_puts(&out, "\">");
  if (!rc)
    rc = title.len ? mtport_html_escape(&out, title.data, title.len)
                   : mtport_html_escape(&out, nu.data, nu.len);
  if (!rc)
    rc = mtport_buf_puts(&out, "</a></p>\n</body>\n</html>\n");
  if (!rc)
    rc = mtport__site_write(st, path.data, &out);
  mtport_buf_dispose(&where);
  mtport_buf_dispose(&path);
  mtport_buf_dispose(&nu);
  mtport_buf_dispose(&title);
  mtport_buf_dispose(&out);
  return rc;
}

int mtport__redirects_end(site_state *st, int status) {
  int rc = MTPORT_OK;
  if (status == MTPORT_OK && st->redirects && !st->redirect_file)
    rc = st->io.write_path(st->io.payload, st->redirects,
                           st->redirect_lines.data ? st->redirect_lines.data
                                                   : "",
                           st->redirect_lines.len);
  return rc;
}

void mtport__redirects_free(site_state *st) {
  mtport_strset_free(st->aliased);
  mtport_strset_free(st->redirected);
  mtport_buf_dispose(&st->redirect_lines);
  st->aliased = st->redirected = NULL;
}
