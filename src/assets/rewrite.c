/* The resolver's step 4 (assets.h): a post's HTML with every reference
 * to a stored file or a known page replaced by its new URL, and what
 * could not be resolved kept for the caller to report. Runs on any
 * thread: lookups in the spooled sets are serialised by the resolver's
 * lock. */
#include "resolver_int.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- step 4: rewriting
 * -------------------------------------------------------- */

typedef struct {
  mtport_assets *as;
  const mtport_post *post;
  const char *field;
  const char *base;
  mtport_assets_found *found;
  mtport_buf abs, tmp, frag;
} S_rewriting;

/* Appends a stored path as a URL path: unreserved characters and '/'
 * as they are, the rest percent-encoded. */
static int S_put_path(mtport_buf *out, const char *p) {
  int rc = 0;
  for (const unsigned char *s = (const unsigned char *)p; *s; s++) {
    if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
        (*s >= '0' && *s <= '9') || strchr("-._~/", *s))
      rc |= mtport_buf_putc(out, (char)*s);
    else
      rc |= mtport_buf_printf(out, "%%%02X", *s);
  }
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}

static int S_finding(S_rewriting *c, const mtport_html_ref *r, const char *code,
                     const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static int S_finding(S_rewriting *c, const mtport_html_ref *r, const char *code,
                     const char *fmt, ...) {
  char msg[1536];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  c->found->unresolved++;
  mtport_buf *b = &c->found->findings;
  /* one line: code, tab, message; tabs and newlines in URLs are spaces */
  int rc = mtport_buf_printf(b, "%s\t%s line %lu: <%s %s> %s: ", code,
                             c->field ? c->field : "text", r->line, r->tag,
                             r->attr, r->url);
  for (char *m = msg; *m; m++)
    if (*m == '\n' || *m == '\t')
      *m = ' ';
  rc |= mtport_buf_puts(b, msg);
  rc |= mtport_buf_putc(b, '\n');
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}

static const char *S_page_name(const mtport_old_page *p, char *buf, size_t n) {
  switch (p->kind) {
  case MTPORT_OLD_HOME:
    return "the old home page";
  case MTPORT_OLD_YEAR:
    snprintf(buf, n, "the old yearly archive %04d", p->year);
    return buf;
  case MTPORT_OLD_MONTH:
    snprintf(buf, n, "the old monthly archive %04d/%02d", p->year, p->month);
    return buf;
  case MTPORT_OLD_DAY:
    snprintf(buf, n, "the old daily archive %04d/%02d/%02d", p->year, p->month,
             p->day);
    return buf;
  case MTPORT_OLD_FEED:
    return "an old feed";
  case MTPORT_OLD_TAG:
    snprintf(buf, n, "the old tag search for '%s'", p->name ? p->name : "");
    return buf;
  default:
    return "an old page";
  }
}

static int S_rewrite_one(const mtport_html_ref *r, mtport_buf *out, void *p) {
  S_rewriting *c = p;
  mtport_assets *as = c->as;
  int k = mtport_assets__absolute(as, r->url, c->base, &c->abs);
  if (k <= 0)
    return k;
  size_t idx;
  pthread_mutex_lock(&as->lock);
  int f = mtport_strset_find(as->wanted, c->abs.data, c->abs.len, &idx);
  pthread_mutex_unlock(&as->lock);
  S_want w;
  S_src s;
  memset(&w, 0, sizeof w);
  memset(&s, 0, sizeof s);
  int rc = f < 0 ? f : 0;
  if (f == 1)
    rc = mtport_assets__slot_get(&as->wslots, idx, &w);
  if (f == 1 && !rc && w.src != UINT32_MAX)
    rc = mtport_assets__slot_get(&as->sslots, w.src, &s);
  if (f == 1 && !rc && s.stored_off)
    rc = mtport_assets__load(as, s.stored_off, &c->tmp);
  if (rc)
    return rc;
  if (f == 1) {
    if (s.stored_off) {
      c->found->assets++;
      if (as->url_fn) {
        rc = as->url_fn(as->url_payload, c->tmp.data, c->post, out);
        return rc < 0 ? rc : 1;
      }
      rc = mtport_buf_puts(out, as->url_prefix);
      rc |= S_put_path(out, c->tmp.data);
      return rc ? MTPORT_ENOMEM : 1;
    }
    if (w.status == MTPORT_ASSET_EXTERNAL)
      return 0;
    const char *code =
        w.status == MTPORT_ASSET_REFUSED ? "asset-refused"
        : w.status == MTPORT_ASSET_FAILED || w.status == MTPORT_ASSET_TOO_LARGE
            ? "asset-failed"
            : "asset-missing";
    rc = S_finding(c, r, code, "%s",
                   w.status == MTPORT_ASSET_MISSING
                       ? "no source has this file; the old URL is kept"
                       : "its file could not be copied (see "
                         "mtport-assets.tsv); the old URL is kept");
    return rc ? rc : 0;
  }
  /* links to pages */
  if (!(r->flags & MTPORT_REF_LINK) || (r->flags & MTPORT_REF_SCRIPT))
    return 0;
  mtport_link_kind kind;
  uint64_t v;
  f = mtport_link_index_find(as->links, c->abs.data, NULL, &kind, &v, &c->frag);
  if (f < 0)
    return f;
  if (f == 1) {
    if ((rc = mtport_assets__load(as, v, &c->tmp)))
      return rc;
    rc = mtport_buf_append(out, c->tmp.data, c->tmp.len);
    if (c->frag.len && !strchr(c->tmp.data, '#'))
      rc |= mtport_buf_printf(out, "#%s", c->frag.data);
    c->found->links++;
    pthread_mutex_lock(&as->lock);
    as->counts.links_rewritten++;
    pthread_mutex_unlock(&as->lock);
    return rc ? MTPORT_ENOMEM : 1;
  }
  if (mtport_asset_hosts_class(as->hosts, c->abs.data) != MTPORT_HOST_OWN)
    return 0;
  mtport_old_page pg;
  if ((rc = mtport_old_page_shape(&pg, c->abs.data, as->site_url)))
    return rc;
  char nbuf[160];
  int mapped = 0;
  if (pg.kind != MTPORT_OLD_NONE && pg.kind != MTPORT_OLD_SEARCH &&
      pg.kind != MTPORT_OLD_SCRIPT && as->page_fn) {
    mapped = as->page_fn(as->page_payload, &pg, out);
    if (mapped < 0) {
      mtport_old_page_dispose(&pg);
      return mapped;
    }
  }
  if (mapped) {
    c->found->links++;
    pthread_mutex_lock(&as->lock);
    as->counts.links_rewritten++;
    pthread_mutex_unlock(&as->lock);
  } else {
    if (pg.kind == MTPORT_OLD_SEARCH || pg.kind == MTPORT_OLD_SCRIPT)
      rc = S_finding(c, r, "link-dead",
                     "'%s' was a script of the old site; nothing answers "
                     "there on the new one",
                     pg.name ? pg.name : "");
    else if (pg.kind != MTPORT_OLD_NONE)
      rc = S_finding(c, r, "link-unresolved",
                     "%s has no page on the new site; the old URL is kept",
                     S_page_name(&pg, nbuf, sizeof nbuf));
    else
      rc = S_finding(c, r, "link-unresolved",
                     "no post of these inputs had this URL; the old URL is "
                     "kept");
    pthread_mutex_lock(&as->lock);
    as->counts.links_unresolved++;
    pthread_mutex_unlock(&as->lock);
  }
  mtport_old_page_dispose(&pg);
  return rc ? rc : mapped;
}

/* A reference kept as it was is made absolute when the output asks: the
 * text then holds no relative URL but the new ones, which the output's
 * own resolving must not take for old ones. */
static int S_rewrite_ref(const mtport_html_ref *r, mtport_buf *out, void *p) {
  S_rewriting *c = p;
  int rc = S_rewrite_one(r, out, p);
  if (rc != 0 || !c->as->absolute_kept || !c->abs.len)
    return rc;
  size_t n = strcspn(r->url, ":/?#");
  if (r->url[n] == ':' || (r->url[0] == '/' && r->url[1] == '/'))
    return 0; /* absolute already (or scheme-relative) */
  mtport_buf_clear(out);
  return mtport_buf_append(out, c->abs.data, c->abs.len) ? MTPORT_ENOMEM : 1;
}

int mtport_assets_rewrite(mtport_assets *as, const mtport_post *post,
                          const char *field, const char *html, size_t len,
                          const char *base, mtport_buf *out,
                          mtport_assets_found *found) {
  if (!as || !out || !found || (!html && len))
    return MTPORT_EINVALID;
  S_rewriting c = {as,
                   post,
                   field,
                   base   ? base
                   : post ? post->permalink
                          : NULL,
                   found,
                   MTPORT_BUF_INIT,
                   MTPORT_BUF_INIT,
                   MTPORT_BUF_INIT};
  int rc = mtport_html_rewrite(out, html ? html : "", len, S_rewrite_ref, &c);
  mtport_buf_dispose(&c.abs);
  mtport_buf_dispose(&c.tmp);
  mtport_buf_dispose(&c.frag);
  return rc;
}

void mtport_assets_found_report(const mtport_assets_found *f,
                                const mtport_post *post, mtport_diag_fn fn,
                                void *payload) {
  if (!f || !fn || !f->findings.data)
    return;
  const char *p = f->findings.data;
  char code[32];
  while (*p) {
    const char *tab = strchr(p, '\t');
    const char *nl = strchr(p, '\n');
    if (!tab || !nl || tab > nl)
      break;
    size_t cn = (size_t)(tab - p) < sizeof code - 1 ? (size_t)(tab - p)
                                                    : sizeof code - 1;
    memcpy(code, p, cn);
    code[cn] = '\0';
    mtport_buf msg = MTPORT_BUF_INIT;
    mtport_buf_append(&msg, tab + 1, (size_t)(nl - tab - 1));
    mtport_diag d = {MTPORT_SEV_WARNING,
                     strcmp(code, "asset-missing") == 0   ? "asset-missing"
                     : strcmp(code, "asset-refused") == 0 ? "asset-refused"
                     : strcmp(code, "asset-failed") == 0  ? "asset-failed"
                     : strcmp(code, "link-dead") == 0     ? "link-dead"
                                                          : "link-unresolved",
                     msg.data ? msg.data : "",
                     post ? post->origin.file : NULL,
                     post ? post->origin.line : 0,
                     post ? post->origin.col : 0,
                     post ? post->ordinal : 0,
                     post ? post->title : NULL};
    fn(&d, payload);
    mtport_buf_dispose(&msg);
    p = nl + 1;
  }
}

void mtport_assets_found_dispose(mtport_assets_found *f) {
  if (!f)
    return;
  mtport_buf_dispose(&f->findings);
  memset(f, 0, sizeof *f);
}
