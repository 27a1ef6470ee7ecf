/* A site's files and internal links, when the run's asset layer is on
 * (assets.h): where stored files go and how pages reach them, and the new
 * URL of every old permalink.
 *
 *  - Files keep their old path below the site: the part of the old URL
 *    below the old site's path, in the folder the generator copies as is
 *    (Hugo's static/, the root for Jekyll and Eleventy), so that links
 *    nobody rewrote still work when the new site keeps the old base path.
 *    Files of other hosts go below the host's name.
 *  - With --bundle, a file lands beside the index.md of the first post
 *    that uses it (Hugo publishes a bundle's files with its page), and that
 *    post refers to it by name; other posts by its root-relative URL.
 *  - Every post that the new site publishes is a link target under its
 *    old permalink (drafts are not built, so links to them stay and are
 *    reported). The old home page leads to the new one. */
#include "site_int.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define S_PAGE 1
#define S_DRAFT 2

static int S_empty(const char *s) { return !s || !*s; }

/* A term page's slug as the generator makes it, when that is sure: names
 * of ASCII letters, digits, spaces and '-' only ("Green Tea" ->
 * "green-tea"). 0 otherwise. */
static int S_term_slug(const char *name, mtport_buf *out) {
  mtport_buf_clear(out);
  if (S_empty(name))
    return 0;
  for (const char *s = name; *s; s++) {
    char c = *s;
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    else if (c == ' ')
      c = '-';
    else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      return 0;
    if (mtport_buf_putc(out, c))
      return MTPORT_ENOMEM;
  }
  return 1;
}

/* The new URL of a term page into @out: 1, or 0 when the site has none. */
static int S_term_url(site_state *st, const char *pattern, const char *name,
                      mtport_buf *out) {
  mtport_buf slug = MTPORT_BUF_INIT, rel = MTPORT_BUF_INIT;
  int k = pattern ? S_term_slug(name, &slug) : 0;
  if (k == 1) {
    mtport_post stub;
    memset(&stub, 0, sizeof stub);
    int rc = mtport__site_expand(st, pattern, &stub, slug.data, NULL, &rel);
    if (!rc)
      rc = mtport_buf_puts(out, st->base_path);
    if (!rc)
      rc = mtport__site_put_url_path(out, rel.data);
    k = rc ? rc : 1;
  }
  mtport_buf_dispose(&slug);
  mtport_buf_dispose(&rel);
  return k;
}

/* A published post's categories and tags have pages: an old category
 * archive (the category's basename below the old site, MT's default)
 * leads to its page, and old tag searches find theirs. */
static int S_terms(site_state *st, const mtport_post *p) {
  int rc = MTPORT_OK;
  mtport_buf key = MTPORT_BUF_INIT, old = MTPORT_BUF_INIT, nu = MTPORT_BUF_INIT;
  for (int tag = 0; tag < 2 && !rc; tag++) {
    size_t n = tag ? p->n_tags : p->n_categories;
    const mtport_term *t = tag ? p->tags : p->categories;
    for (size_t i = 0; i < n && !rc; i++) {
      mtport_buf_clear(&key);
      rc = mtport_buf_printf(&key, "%c:%s", tag ? 't' : 'c',
                             t[i].name ? t[i].name : "");
      int added =
          rc ? rc : mtport_strset_add(st->terms, key.data, key.len, NULL);
      if (added <= 0) {
        rc = added < 0 ? added : MTPORT_OK;
        continue;
      }
      if (tag || !st->old_site || t[i].parent || S_empty(t[i].slug))
        continue;
      mtport_buf_clear(&nu);
      int k = S_term_url(st, st->gen->category_url, t[i].name, &nu);
      if (k <= 0) {
        rc = k;
        continue;
      }
      mtport_buf_clear(&old);
      rc = mtport_buf_printf(
          &old, "%s%s%s/", st->old_site,
          st->old_site[strlen(st->old_site) - 1] == '/' ? "" : "/", t[i].slug);
      if (!rc)
        rc = mtport_assets_add_link(st->assets, old.data, MTPORT_LINK_CATEGORY,
                                    nu.data);
    }
  }
  mtport_buf_dispose(&key);
  mtport_buf_dispose(&old);
  mtport_buf_dispose(&nu);
  return rc;
}

int mtport__site_files_prepass(site_state *st, const mtport_post *p) {
  if (!st->assets)
    return MTPORT_OK;
  if (!mtport__site_is_draft(p)) {
    int rc = S_terms(st, p);
    if (rc)
      return rc;
  }
  if (st->n_files_posts == st->cap_files_posts) {
    size_t nc = st->cap_files_posts ? st->cap_files_posts * 2 : 1024;
    unsigned char *f = realloc(st->post_flags, nc);
    uint64_t *o = f ? realloc(st->link_off, nc * sizeof *o) : NULL;
    if (f)
      st->post_flags = f;
    if (!o)
      return MTPORT_ENOMEM;
    st->link_off = o;
    st->cap_files_posts = nc;
  }
  size_t i = st->n_files_posts;
  st->post_flags[i] =
      (unsigned char)((p->kind == MTPORT_KIND_PAGE ? S_PAGE : 0) |
                      (mtport__site_is_draft(p) ? S_DRAFT : 0));
  st->link_off[i] = UINT64_MAX;
  if (!S_empty(p->permalink)) {
    uint32_t n = (uint32_t)strlen(p->permalink);
    uint64_t off;
    int rc = mtport_spool_append(st->links, &n, sizeof n, &off);
    if (!rc)
      rc = mtport_spool_append(st->links, p->permalink, n, NULL);
    if (rc)
      return rc;
    st->link_off[i] = off;
  }
  st->n_files_posts++;
  return MTPORT_OK;
}

/* The stub a URL pattern needs: its kind (URLs use {section} and {slug}
 * only). */
static void S_stub(mtport_post *p, unsigned char flags) {
  memset(p, 0, sizeof *p);
  p->kind = flags & S_PAGE ? MTPORT_KIND_PAGE : MTPORT_KIND_POST;
}

/* The folder a bundled post's files go to ("content/posts/slug/"), for
 * post number @i (0-based across the inputs). */
static int S_bundle_dir(site_state *st, size_t i, mtport_buf *out) {
  mtport_buf_clear(out);
  if (i >= st->n_files_posts)
    return MTPORT_EINVALID;
  mtport_buf slug = MTPORT_BUF_INIT;
  mtport_post stub;
  S_stub(&stub, st->post_flags[i]);
  int rc = mtport__plan_slug_at(st, i, &slug);
  if (!rc)
    rc = mtport__site_post_path(st, &stub, slug.data, out);
  mtport_buf_dispose(&slug);
  if (rc)
    return rc;
  char *s = strrchr(out->data, '/');
  out->len = s ? (size_t)(s - out->data) + 1 : 0;
  out->data[out->len] = '\0';
  return MTPORT_OK;
}

/* How many leading segments of a URL's path are the old site's path
 * ("/blog/" -> 1): 0 when @url is on the site's host but not below it,
 * -1 on another host. */
static long S_site_depth(const site_state *st, const char *url) {
  if (!st->old_site || !st->old_path)
    return -1;
  /* same host (scheme and "www." aside): compare what follows "//" */
  const char *a = strstr(url, "//"), *b = strstr(st->old_site, "//");
  if (!a || !b)
    return 0;
  a += 2, b += 2;
  if (!strncmp(a, "www.", 4))
    a += 4;
  if (!strncmp(b, "www.", 4))
    b += 4;
  size_t hb = strcspn(b, "/"), ha = strcspn(a, "/?#");
  if (ha != hb || strncasecmp(a, b, ha) != 0)
    return -1;
  const char *path = a + ha, *op = st->old_path;
  size_t n = strlen(op);
  if (strncmp(path, op, n) != 0)
    return 0;
  long depth = 0;
  for (size_t k = 1; k < n; k++)
    depth += op[k] == '/';
  return depth;
}

/* mtport_assets_path_fn: the old path below the site, or beside the
 * first post's index.md with --bundle. */
static int S_path(void *payload, const char *url, unsigned long post,
                  const char *mime, mtport_buf *want) {
  site_state *st = payload;
  mtport_buf full = MTPORT_BUF_INIT;
  long depth = S_site_depth(st, url);
  /* another host's files go below its name */
  int rc = mtport_asset_path_for_url(&full, url, mime,
                                     depth < 0 ? MTPORT_ASSET_PATH_HOST : 0);
  if (rc) {
    mtport_buf_dispose(&full);
    return rc;
  }
  const char *rest = full.data;
  for (long k = 0; k < depth; k++) {
    const char *s = strchr(rest, '/');
    if (!s)
      break;
    rest = s + 1;
  }
  mtport_buf_clear(want);
  if (st->bundle && st->gen->post_bundle_path && post >= 1) {
    rc = S_bundle_dir(st, post - 1, want);
    const char *base = strrchr(rest, '/');
    if (!rc)
      rc = mtport_buf_puts(want, base ? base + 1 : rest);
  } else
    rc = mtport_buf_puts(want, rest);
  mtport_buf_dispose(&full);
  return rc;
}

/* Appends a stored path as a URL path (unreserved characters and '/' as
 * they are). */
static int S_put(mtport_buf *out, const char *p) {
  return mtport__site_put_url_path(out, p);
}

/* mtport_assets_url_fn with --bundle: by name from its own bundle, else
 * root-relative. */
static int S_url(void *payload, const char *stored, const mtport_post *post,
                 mtport_buf *url) {
  site_state *st = payload;
  mtport_buf dir = MTPORT_BUF_INIT;
  int rc = post && post->ordinal >= 1
               ? S_bundle_dir(st, post->ordinal - 1, &dir)
               : MTPORT_EINVALID;
  if (!rc && dir.len && !strncmp(stored, dir.data, dir.len) &&
      !strchr(stored + dir.len, '/'))
    rc = S_put(url, stored + dir.len);
  else {
    /* content/posts/x/a.png is served at <base>posts/x/a.png */
    const char *root = st->gen->post_bundle_path;
    size_t cut = strcspn(root, "{");
    const char *s = stored;
    if (cut && !strncmp(s, root, cut))
      s += cut;
    rc = mtport_buf_puts(url, st->base_path);
    if (!rc)
      rc = S_put(url, s);
  }
  mtport_buf_dispose(&dir);
  return rc;
}

/* mtport_assets_page_fn: the home page, the main feed and the tags the
 * built site has pages for. */
static int S_page(void *payload, const mtport_old_page *p, mtport_buf *url) {
  site_state *st = payload;
  if (p->kind == MTPORT_OLD_HOME)
    return mtport_buf_puts(url, st->base_path) ? MTPORT_ENOMEM : 1;
  if (p->kind == MTPORT_OLD_FEED && st->gen->feed_url && S_empty(p->name)) {
    int rc = mtport_buf_puts(url, st->base_path);
    rc |= mtport_buf_puts(url, st->gen->feed_url);
    return rc ? MTPORT_ENOMEM : 1;
  }
  if (p->kind == MTPORT_OLD_TAG && st->gen->tag_url && p->name) {
    /* only tags of published posts have a page */
    mtport_buf key = MTPORT_BUF_INIT;
    int rc = mtport_buf_printf(&key, "t:%s", p->name);
    int has = rc ? rc : mtport_strset_find(st->terms, key.data, key.len, NULL);
    mtport_buf_dispose(&key);
    if (has != 1)
      return has < 0 ? has : 0;
    return S_term_url(st, st->gen->tag_url, p->name, url);
  }
  return 0;
}

int mtport__site_files_done(site_state *st) {
  if (!st->assets)
    return MTPORT_OK;
  int rc = MTPORT_OK;
  if (st->assets_dir && !st->bundle && st->gen->files_dir)
    rc = st->assets_dir(st->assets_payload, st->gen->files_dir);
  mtport_assets_output o = {st->base_path, NULL, NULL, S_path, st,
                            S_page,        st,   1};
  if (st->bundle && st->gen->post_bundle_path)
    o.url_fn = S_url, o.url_payload = st;
  if (!rc)
    rc = mtport_assets_set_output(st->assets, &o);
  mtport_buf slug = MTPORT_BUF_INIT, nu = MTPORT_BUF_INIT,
             old = MTPORT_BUF_INIT;
  for (size_t i = 0; i < st->n_files_posts && !rc; i++) {
    if (st->link_off[i] == UINT64_MAX || (st->post_flags[i] & S_DRAFT))
      continue;
    uint32_t n;
    rc = mtport_spool_read(st->links, st->link_off[i], &n, sizeof n);
    char *u = rc ? NULL : malloc((size_t)n + 1);
    if (!rc && !u)
      rc = MTPORT_ENOMEM;
    if (!rc)
      rc = mtport_spool_read(st->links, st->link_off[i] + sizeof n, u, n);
    mtport_buf_clear(&old);
    if (!rc) {
      u[n] = '\0';
      rc = mtport_buf_puts(&old, u);
    }
    free(u);
    if (rc)
      break;
    mtport_post stub;
    S_stub(&stub, st->post_flags[i]);
    mtport_buf_clear(&nu);
    rc = mtport__plan_slug_at(st, i, &slug);
    if (!rc)
      rc = mtport__site_new_url(st, &stub, slug.data, &nu);
    if (!rc)
      rc = mtport_assets_add_link(st->assets, old.data, MTPORT_LINK_POST,
                                  nu.data);
  }
  mtport_buf_dispose(&slug);
  mtport_buf_dispose(&nu);
  mtport_buf_dispose(&old);
  return rc;
}
