/* The Markdown-site core's exporter calls: options and the site in
 * begin(), the slug plan in the prepass, bodies converted to Markdown in
 * prepare() (on worker threads), and each post's files in entry(). What a
 * generator does differently comes from its description (site.h). */
#include "site_int.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int S_empty(const char *s) { return !s || !*s; }

/* ---- services shared by the core's files --------------------------------- */

void mtport__site_diag(site_state *st, const mtport_post *p,
                       mtport_severity sev, const char *code, const char *fmt,
                       ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (n >= (int)sizeof msg) { /* cut on a character boundary, not inside */
    size_t len = sizeof msg - 1, j = len;
    while (j > 0 && ((unsigned char)msg[j - 1] & 0xC0) == 0x80)
      j--;
    if (j > 0) {
      unsigned char lead = (unsigned char)msg[j - 1];
      size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
      if (j - 1 + need > len)
        msg[j - 1] = '\0';
    }
  }
  if (st->io.diag)
    st->io.diag(st->io.payload, p, sev, code, msg);
}

/* The spools' failures are the run's only ones that no other message
 * names. */
void mtport__site_spool_report(site_state *st, const mtport_post *p, int rc) {
  int errs[11] = {
      mtport_spool_errno(st->plan.wants), mtport_strset_errno(st->plan.taken),
      mtport_strset_errno(st->plan.crowded),
      mtport_strset_errno(st->redirected), mtport_strset_errno(st->aliased)};
  for (int t = 0; t < 2; t++) { /* the scaffold's terms */
    errs[5 + 3 * t] = mtport_strset_errno(st->terms[t].names);
    errs[6 + 3 * t] = mtport_spool_errno(st->terms[t].text);
    errs[7 + 3 * t] = mtport_strset_errno(st->terms[t].taken);
  }
  for (size_t i = 0; rc == MTPORT_EIO && !st->spool_reported && i < 11; i++) {
    if (errs[i]) {
      mtport__site_diag(
          st, p, MTPORT_SEV_FATAL, "write-failed",
          "cannot use a temporary file in $TMPDIR (default /tmp): %s",
          strerror(errs[i]));
      st->spool_reported = 1;
    }
  }
}

int mtport__site_write(site_state *st, const char *rel, const mtport_buf *b) {
  return st->io.write_file(st->io.payload, rel, b->data ? b->data : "", b->len);
}

int mtport__site_is_draft(const mtport_post *p) {
  return p->status != MTPORT_STATUS_PUBLISH &&
         p->status != MTPORT_STATUS_UNKNOWN;
}

/* Text without markup or references is kept byte for byte, so a tab or
 * leading space survives; otherwise tags go and entities are decoded. */
int mtport__site_plain(mtport_buf *out, const char *s) {
  mtport_buf_clear(out);
  if (!s)
    return mtport_buf_puts(out, "");
  if (!strchr(s, '<') && !strchr(s, '&'))
    return mtport_buf_puts(out, s);
  return mtport_html_to_text(out, s, strlen(s));
}

static const char *S_opt(site_state *st, const char *key) {
  return st->io.option ? st->io.option(st->io.payload, key) : NULL;
}

/* As mtport_ctx_flag(): present and not "0", "false" or "no". */
static int S_flag(site_state *st, const char *key) {
  const char *v = S_opt(st, key);
  return v && strcmp(v, "0") != 0 && strcmp(v, "false") != 0 &&
         strcmp(v, "no") != 0;
}

/* ---- begin ------------------------------------------------------------------
 */

static void S_free_state(site_state *st) {
  if (!st)
    return;
  mtport__plan_free(&st->plan);
  mtport__redirects_free(st);
  mtport_spool_free(st->links);
  free(st->link_off);
  free(st->post_flags);
  for (size_t i = 0; st->term_urls && i < mtport_strset_count(st->asset_terms);
       i++)
    free(st->term_urls[i]);
  free(st->term_urls);
  mtport_strset_free(st->asset_terms);
  mtport_strset_free(st->archive_keys);
  free(st->old_site);
  free(st->old_path);
  mtport__pages_free(st);
  free(st->section);
  free(st->site_title);
  free(st->language);
  free(st->base_url);
  free(st->base_path);
  free(st);
}

/* The site's URL (--base-url wins over the input's) as base_url and
 * base_path, both ending with '/'. */
static int S_base(site_state *st, const mtport_site *site) {
  const char *base = S_opt(st, "base-url");
  if (S_empty(base))
    base = site ? site->home_url : NULL;
  if (S_empty(base))
    return MTPORT_OK;
  char *path = mtport_url_path(base);
  if (!path) {
    mtport__site_diag(
        st, NULL, MTPORT_SEV_WARNING, "bad-url",
        "the site URL '%s' is not absolute: old URLs are kept as they are",
        base);
    return MTPORT_OK;
  }
  mtport_buf u = MTPORT_BUF_INIT, bp = MTPORT_BUF_INIT;
  int e = mtport_buf_puts(&u, base);
  if (!e && u.data[u.len - 1] != '/')
    e = mtport_buf_putc(&u, '/');
  if (!e)
    e = mtport_buf_puts(&bp, *path ? path : "/");
  if (!e && bp.data[bp.len - 1] != '/')
    e = mtport_buf_putc(&bp, '/');
  if (!e) {
    st->base_url = mtport_buf_detach(&u);
    st->base_path = mtport_buf_detach(&bp);
  }
  mtport_buf_dispose(&u);
  mtport_buf_dispose(&bp);
  free(path);
  return e ? MTPORT_ENOMEM : MTPORT_OK;
}

int mtport__site_begin(const site_gen *gen, const site_io *io,
                       const mtport_site *site, void **state) {
  site_state *st = calloc(1, sizeof *st);
  if (!st)
    return MTPORT_ENOMEM;
  st->gen = gen;
  st->io = *io;
  int rc = mtport__plan_init(&st->plan);
  st->bundle = S_flag(st, "bundle");
  st->keep_underscores = S_flag(st, "keep-underscores");
  st->scaffold = S_flag(st, "scaffold");
  st->no_comments = S_flag(st, "no-comments");
  st->keep_private = S_flag(st, "keep-private");
  const char *r = S_opt(st, "redirects");
  st->redirects = S_empty(r) ? NULL : r;
  const char *rf = S_opt(st, "redirects-format");
  if (S_empty(rf) || strcmp(rf, "netlify") == 0)
    st->redirects_format = 0;
  else if (strcmp(rf, "nginx") == 0)
    st->redirects_format = 1;
  else if (strcmp(rf, "apache") == 0)
    st->redirects_format = 2;
  else {
    mtport__site_diag(st, NULL, MTPORT_SEV_FATAL, "bad-option",
                      "unknown redirects format '%s' (nginx, apache or "
                      "netlify)",
                      rf);
    rc = rc ? rc : MTPORT_EINVALID;
  }
  /* the section is one safe path component */
  const char *sec = S_opt(st, "section");
  if (S_empty(sec))
    sec = "posts";
  st->section = mtport_slugify(sec, MTPORT_SLUG_KEEP_UNDERSCORES, 64);
  if (st->section && strcmp(st->section, sec) != 0)
    mtport__site_diag(st, NULL, MTPORT_SEV_WARNING, "bad-option",
                      "section '%s' written as '%s'", sec, st->section);
  if (!rc)
    rc = S_base(st, site);
  if (!st->base_path)
    st->base_path = strdup("/");
  mtport_buf t = MTPORT_BUF_INIT;
  if (site && site->title)
    mtport__site_plain(&t, site->title);
  st->site_title = mtport_buf_detach(&t);
  st->language =
      strdup(site && !S_empty(site->language) ? site->language : "en");
  if (!st->section || !st->base_path || !st->site_title || !st->language)
    rc = rc ? rc : MTPORT_ENOMEM;
  if (!rc)
    rc = mtport__redirects_begin(st);
  if (!rc && st->scaffold) /* written after the first pass, which it needs */
    rc = mtport__pages_init(st, site);
  if (rc) {
    S_free_state(st);
    return rc;
  }
  *state = st;
  return MTPORT_OK;
}

/* ---- the first pass -------------------------------------------------------
 */

int mtport__site_prepass(void *state, const mtport_post *p) {
  site_state *st = state;
  int rc = mtport__plan_add(st, p);
  if (!rc)
    st->n_old_urls += !S_empty(p->permalink);
  if (!rc)
    rc = mtport__pages_add(st, p);
  if (!rc)
    rc = mtport__site_files_prepass(st, p);
  mtport__site_spool_report(st, p, rc);
  return rc;
}

int mtport__site_prepass_done(void *state) {
  site_state *st = state;
  int rc = mtport__plan_done(st);
  if (!rc)
    rc = mtport__pages_plan(st);
  if (!rc)
    rc = mtport__site_files_done(st);
  if (!rc && st->scaffold)
    rc = mtport__site_scaffold(st);
  if (!rc && st->scaffold)
    rc = mtport__pages_write(st);
  mtport__site_spool_report(st, NULL, rc);
  return rc;
}

/* ---- bodies
 * ------------------------------------------------------------------ */

/* Converts one text to Markdown, its template syntax made literal, into
 * @out; *diffs gets the proof's differences. Reads only the post and the
 * description: it runs on worker threads (prepare()). */
static int S_convert_part(const site_gen *gen, int assets, const mtport_post *p,
                          const mtport_text *t, mtport_buf *out,
                          unsigned long *diffs) {
  *diffs = 0;
  if (S_empty(t->text))
    return MTPORT_OK;
  mtport_md_options mo = MTPORT_MD_OPTIONS_INIT;
  /* with the asset layer, the only relative URLs left are the new ones:
   * neither the options nor the text's own base (an Atom entry's xml:base,
   * which the converter would fall back on) may resolve them */
  mtport_text local = *t;
  if (assets)
    local.base = NULL;
  else
    mo.base_url = !S_empty(t->base) ? t->base : p->permalink;
  mtport_md_report rep;
  memset(&rep, 0, sizeof rep);
  mtport_buf md = MTPORT_BUF_INIT;
  int rc = mtport_text_to_markdown(&md, &local, &mo, &rep);
  *diffs = rep.differences;
  mtport_md_report_dispose(&rep);
  /* trailing blank lines would double up around the separator */
  while (!rc && md.len &&
         (md.data[md.len - 1] == '\n' || md.data[md.len - 1] == '\r'))
    md.data[--md.len] = '\0';
  if (!rc && md.len)
    rc = gen->escape ? gen->escape(out, md.data, md.len)
                     : mtport_buf_append(out, md.data, md.len);
  mtport_buf_dispose(&md);
  return rc;
}

/* What prepare() makes: the body and the extended body converted, and
 * the comments data file. */
typedef struct S_prepared {
  mtport_buf part[2];
  unsigned long diffs[2];
  mtport_buf comments;
  size_t shown, hidden;
} S_prepared;

int mtport__site_prepare(const void *state, const mtport_post *p, void **out) {
  const site_state *st = state;
  S_prepared *pr = calloc(1, sizeof *pr);
  *out = NULL;
  if (!pr)
    return MTPORT_ENOMEM;
  int rc = S_convert_part(st->gen, st->assets != NULL, p, &p->body,
                          &pr->part[0], &pr->diffs[0]);
  if (!rc)
    rc = S_convert_part(st->gen, st->assets != NULL, p, &p->more, &pr->part[1],
                        &pr->diffs[1]);
  if (!rc && !st->no_comments && p->n_comments)
    rc = mtport__site_comments_doc(st->gen, st->keep_private, p, &pr->comments,
                                   &pr->shown, &pr->hidden);
  if (rc) {
    mtport__site_release(pr);
    return rc;
  }
  *out = pr;
  return MTPORT_OK;
}

void mtport__site_release(void *prepared) {
  S_prepared *pr = prepared;
  if (!pr)
    return;
  mtport_buf_dispose(&pr->part[0]);
  mtport_buf_dispose(&pr->part[1]);
  mtport_buf_dispose(&pr->comments);
  free(pr);
}

/* save() and load(): seven sizes and counts, then the three texts. */
int mtport__site_save(const void *prepared, mtport_buf *out) {
  const S_prepared *pr = prepared;
  uint64_t h[7] = {pr->part[0].len, pr->part[1].len, pr->comments.len,
                   pr->diffs[0],    pr->diffs[1],    pr->shown,
                   pr->hidden};
  int rc = mtport_buf_append(out, (const char *)h, sizeof h);
  const mtport_buf *t[3] = {&pr->part[0], &pr->part[1], &pr->comments};
  for (size_t i = 0; i < 3 && !rc; i++)
    if (t[i]->len)
      rc = mtport_buf_append(out, t[i]->data, t[i]->len);
  return rc;
}

int mtport__site_load(const void *state, const char *data, size_t len,
                      void **out) {
  (void)state;
  *out = NULL;
  uint64_t h[7];
  if (len < sizeof h)
    return MTPORT_EPARSE;
  memcpy(h, data, sizeof h);
  size_t at = sizeof h;
  for (size_t i = 0; i < 3; i++) {
    if (h[i] > len - at)
      return MTPORT_EPARSE;
    at += (size_t)h[i];
  }
  if (at != len)
    return MTPORT_EPARSE;
  S_prepared *pr = calloc(1, sizeof *pr);
  if (!pr)
    return MTPORT_ENOMEM;
  mtport_buf *t[3] = {&pr->part[0], &pr->part[1], &pr->comments};
  at = sizeof h;
  int rc = MTPORT_OK;
  for (size_t i = 0; i < 3 && !rc; i++) {
    if (h[i])
      rc = mtport_buf_append(t[i], data + at, (size_t)h[i]);
    at += (size_t)h[i];
  }
  if (rc) {
    mtport__site_release(pr);
    return rc;
  }
  pr->diffs[0] = (unsigned long)h[3];
  pr->diffs[1] = (unsigned long)h[4];
  pr->shown = (size_t)h[5];
  pr->hidden = (size_t)h[6];
  *out = pr;
  return MTPORT_OK;
}

/* Appends part @i (0 body, 1 extended body) of the post as Markdown: from
 * @pr when prepare() made it, else converted here. */
static int S_body_part(site_state *st, const mtport_post *p, mtport_buf *out,
                       int i, const S_prepared *pr) {
  const mtport_text *t = i ? &p->more : &p->body;
  const char *what = i ? "extended body" : "body";
  if (S_empty(t->text))
    return MTPORT_OK;
  if (!mtport_text_filter_supported(t))
    mtport__site_diag(st, p, MTPORT_SEV_WARNING, "unknown-filter",
                      "the %s uses the text filter '%s', kept as raw text",
                      what, t->filter ? t->filter : "?");
  int rc = MTPORT_OK;
  unsigned long diffs;
  if (pr) {
    diffs = pr->diffs[i];
    rc = mtport_buf_append(out, pr->part[i].data ? pr->part[i].data : "",
                           pr->part[i].len);
  } else
    rc = S_convert_part(st->gen, st->assets != NULL, p, t, out, &diffs);
  if (!rc && diffs)
    mtport__site_diag(st, p, MTPORT_SEV_WARNING, "md-difference",
                      "the %s's Markdown differs from its HTML in %lu "
                      "place(s)",
                      what, diffs);
  return rc;
}

/* ---- one post -------------------------------------------------------------
 */

int mtport__site_entry(void *state, const mtport_post *p) {
  return mtport__site_entry_prepared(state, p, NULL);
}

int mtport__site_entry_prepared(void *state, const mtport_post *p,
                                const void *prepared) {
  site_state *st = state;
  const S_prepared *pr = prepared;
  char *slug = mtport__plan_slug(st, p);
  if (!slug)
    return MTPORT_ENOMEM;
  if (st->gen->drafts == SITE_DRAFT_FOLDER && p->kind == MTPORT_KIND_POST &&
      !mtport__site_is_draft(p) && !p->published.has_date &&
      !p->updated.has_date)
    mtport__site_diag(st, p, MTPORT_SEV_WARNING, "no-date",
                      "the entry has no date: written to the drafts, which "
                      "%s builds only on request",
                      st->gen->name);
  char *alias = NULL;
  mtport_buf key = MTPORT_BUF_INIT, out = MTPORT_BUF_INIT,
             path = MTPORT_BUF_INIT;
  int has_comments = 0;
  int rc = mtport__site_old_url(st, p, slug, &alias);
  if (!rc)
    rc = mtport__site_comments_key(st, slug, &key);
  if (!rc)
    rc = mtport__site_comments(st, p, key.data, &has_comments,
                               pr ? &pr->comments : NULL, pr ? pr->shown : 0,
                               pr ? pr->hidden : 0);
  if (!rc)
    rc = mtport__site_front_matter(st, p, slug, alias,
                                   has_comments ? key.data : NULL, &out);
  if (!rc)
    rc = S_body_part(st, p, &out, 0, pr);
  if (!rc && !S_empty(p->more.text)) {
    rc = mtport_buf_puts(&out, "\n\n<!--more-->\n\n");
    if (!rc)
      rc = S_body_part(st, p, &out, 1, pr);
  }
  if (!rc && out.len && out.data[out.len - 1] != '\n')
    rc = mtport_buf_putc(&out, '\n');
  if (!rc)
    rc = mtport__site_post_path(st, p, slug, &path);
  if (!rc)
    rc = mtport__site_write(st, path.data, &out);
  if (!rc)
    rc = mtport__site_redirect_page(st, p, slug, alias);
  free(slug);
  free(alias);
  mtport_buf_dispose(&key);
  mtport_buf_dispose(&out);
  mtport_buf_dispose(&path);
  mtport__site_spool_report(st, p, rc);
  /* a file that exists or a path refused is this entry's problem (already
   * reported); the run goes on */
  if (rc == MTPORT_EEXISTS || rc == MTPORT_EUNSAFE)
    return MTPORT_SKIPPED;
  return rc;
}

int mtport__site_end(void *state, int status) {
  site_state *st = state;
  int rc = mtport__redirects_end(st, status);
  if (status == MTPORT_OK && st->n_private_comments)
    mtport__site_diag(st, NULL, MTPORT_SEV_NOTE, "comments-private",
                      "%lu pending or junk comment(s) left out "
                      "(--keep-private keeps them)",
                      st->n_private_comments);
  S_free_state(st);
  return rc;
}

/* ---- the run's context as io ----------------------------------------------
 */

static int S_ctx_write(void *payload, const char *rel, const char *data,
                       size_t len) {
  return mtport_ctx_write_file(payload, rel, data, len);
}
static int S_ctx_write_path(void *payload, const char *path, const char *data,
                            size_t len) {
  return mtport_ctx_write_path(payload, path, data, len);
}
static const char *S_ctx_option(void *payload, const char *key) {
  return mtport_ctx_option(payload, key);
}
static void S_ctx_diag(void *payload, const mtport_post *post,
                       mtport_severity sev, const char *code, const char *msg) {
  mtport_ctx_diag(payload, post, sev, code, "%s", msg);
}
static int S_ctx_open_path(void *payload, const char *path, FILE **out) {
  return mtport_ctx_open_path(payload, path, out);
}

static int S_ctx_assets_dir(void *payload, const char *dir) {
  return mtport_ctx_set_assets_dir(payload, dir);
}

/* The asset layer's files and links (files.c), when the run has it on:
 * the old blog's URL and path, and a spool for the old permalinks. */
static int S_assets_begin(site_state *st, mtport_ctx *ctx,
                          const mtport_site *site) {
  mtport_assets *as = mtport_ctx_assets(ctx);
  if (!as)
    return MTPORT_OK;
  st->assets = as;
  st->assets_dir = S_ctx_assets_dir;
  st->assets_payload = ctx;
  if (mtport_spool_new(&st->links, "site-links") ||
      mtport_strset_new(&st->asset_terms, 0))
    return MTPORT_ENOMEM;
  const char *u = site && !S_empty(site->home_url)
                      ? site->home_url
                      : mtport_ctx_option(ctx, "site-url");
  char *path = S_empty(u) ? NULL : mtport_url_path(u);
  if (path) {
    mtport_buf p = MTPORT_BUF_INIT;
    int e = mtport_buf_puts(&p, *path ? path : "/");
    if (!e && p.data[p.len - 1] != '/')
      e = mtport_buf_putc(&p, '/');
    st->old_path = e ? NULL : mtport_buf_detach(&p);
    mtport_buf_dispose(&p);
    st->old_site = strdup(u);
    free(path);
    if (!st->old_path || !st->old_site)
      return MTPORT_ENOMEM;
  }
  return MTPORT_OK;
}

site_io mtport__site_ctx_io(mtport_ctx *ctx) {
  site_io io = {ctx,          S_ctx_write, S_ctx_write_path,
                S_ctx_option, S_ctx_diag,  S_ctx_open_path};
  return io;
}

int mtport__site_vt_begin(const site_gen *gen, mtport_ctx *ctx,
                          const mtport_site *site, void **state) {
  site_io io = mtport__site_ctx_io(ctx);
  int rc = mtport__site_begin(gen, &io, site, state);
  if (!rc && (rc = S_assets_begin(*state, ctx, site))) {
    mtport__site_end(*state, rc);
    *state = NULL;
  }
  return rc;
}

int mtport__site_vt_prepass(mtport_ctx *ctx, void *state,
                            const mtport_post *post) {
  return mtport__site_prepass(state, post);
}

int mtport__site_vt_prepass_done(mtport_ctx *ctx, void *state) {
  return mtport__site_prepass_done(state);
}

int mtport__site_vt_entry(mtport_ctx *ctx, void *state,
                          const mtport_post *post) {
  return mtport__site_entry_prepared(state, post, mtport_ctx_prepared(ctx));
}

int mtport__site_vt_end(mtport_ctx *ctx, void *state, int status) {
  return mtport__site_end(state, status);
}
