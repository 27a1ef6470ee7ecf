/* The resolver: the asset layer in one object, in the order a run needs
 * it (assets.h). It reads the backup archive once up front (its XML parts
 * kept in unlinked files for the reader, its asset records, its manifest,
 * where each asset member is), collects what each post refers to, fetches
 * the files (the archive a second time, in its own order, then the
 * mirror: gather.c), and rewrites each post (rewrite.c).
 *
 * Memory per file referred to: its URL in a spooled set; its record
 * (S_want) and its source's (S_src) live in files of fixed-size slots;
 * URLs, stored paths and new link URLs in a spool. */
#include "resolver_int.h"
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- small helpers --------------------------------------------------------
 */

void mtport_assets__diag(mtport_assets *as, mtport_severity sev,
                         const char *code, const char *file, unsigned long line,
                         const char *fmt, ...) {
  if (!as->diag)
    return;
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  mtport_buf clean = MTPORT_BUF_INIT;
  mtport_utf8_sanitize(&clean, msg, strlen(msg));
  mtport_diag d = {sev, code, clean.data ? clean.data : "", file, line, 0,
                   0,   NULL};
  as->diag(&d, as->diag_payload);
  mtport_buf_dispose(&clean);
}

/* Appends a length-prefixed string to the data spool; *off is its offset
 * + 1 (0 stays "none"). */
int mtport_assets__keep(mtport_assets *as, const char *s, size_t n,
                        uint64_t *off) {
  uint32_t len = (uint32_t)n;
  uint64_t o;
  int rc = mtport_spool_append(as->data, &len, sizeof len, &o);
  if (!rc)
    rc = mtport_spool_append(as->data, s, n, NULL);
  if (!rc)
    *off = o + 1;
  return rc;
}

int mtport_assets__load(mtport_assets *as, uint64_t off, mtport_buf *out) {
  mtport_buf_clear(out);
  if (!off)
    return MTPORT_EINVALID;
  uint32_t len;
  int rc = mtport_spool_read(as->data, off - 1, &len, sizeof len);
  if (rc)
    return rc;
  if (mtport__buf_reserve(out, len))
    return MTPORT_ENOMEM;
  if ((rc = mtport_spool_read(as->data, off - 1 + sizeof len, out->data, len)))
    return rc;
  out->len = len;
  out->data[len] = '\0';
  return MTPORT_OK;
}

void *mtport_assets__grow(void *arr, size_t *cap, size_t need, size_t sz) {
  if (need <= *cap)
    return arr;
  size_t nc = *cap ? *cap * 2 : 64;
  while (nc < need)
    nc *= 2;
  void *a = realloc(arr, nc * sz);
  if (a)
    *cap = nc;
  return a;
}

/* The absolute form of reference @u: resolved against @base, else the
 * site URL. 0 when it is not an http(s) URL worth looking at. */
int mtport_assets__absolute(const mtport_assets *as, const char *u,
                            const char *base, mtport_buf *out) {
  mtport_buf_clear(out);
  if (!*u || u[0] == '#')
    return 0;
  mtport_assets__url p;
  mtport_assets__split(u, &p);
  if (p.scheme_n && !mtport_assets__ieq(p.scheme, p.scheme_n, "http") &&
      !mtport_assets__ieq(p.scheme, p.scheme_n, "https"))
    return 0;
  const char *b = base && *base ? base : as->site_url;
  char *abs = p.scheme_n                     ? mtport__strdup(u)
              : (u[0] == '/' && u[1] == '/') ? NULL
                                             : mtport_url_resolve(b, u);
  if (!p.scheme_n && u[0] == '/' && u[1] == '/') {
    /* scheme-relative: the base's scheme, else http */
    mtport_assets__url bp;
    mtport_assets__split(b ? b : "", &bp);
    mtport_buf t = MTPORT_BUF_INIT;
    if (bp.scheme_n)
      mtport_buf_append(&t, bp.scheme, bp.scheme_n);
    else
      mtport_buf_puts(&t, "http");
    mtport_buf_printf(&t, ":%s", u);
    abs = mtport_buf_detach(&t);
    mtport_buf_dispose(&t);
  }
  if (!abs)
    return MTPORT_ENOMEM;
  int rc = mtport_buf_puts(out, abs);
  free(abs);
  return rc ? MTPORT_ENOMEM : 1;
}

/* ---- slots --------------------------------------------------------------- */

void mtport_assets__slots_init(mtport_assets__slots *sl, size_t size) {
  sl->fd = -1;
  sl->size = size;
  sl->err = 0;
}

void mtport_assets__slots_dispose(mtport_assets__slots *sl) {
  if (sl->fd >= 0)
    close(sl->fd);
  sl->fd = -1;
}

int mtport_assets__slot_put(mtport_assets__slots *sl, uint64_t i,
                            const void *rec) {
  if (sl->fd < 0 && (sl->fd = mtport_temp_fd("asset-slots")) < 0) {
    sl->err = errno;
    return MTPORT_EIO;
  }
  const char *p = rec;
  size_t done = 0;
  while (done < sl->size) {
    ssize_t w =
        pwrite(sl->fd, p + done, sl->size - done, (off_t)(i * sl->size + done));
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      sl->err = errno ? errno : EIO;
      return MTPORT_EIO;
    }
    done += (size_t)w;
  }
  return MTPORT_OK;
}

int mtport_assets__slot_get(mtport_assets__slots *sl, uint64_t i, void *rec) {
  char *p = rec;
  size_t done = 0;
  while (sl->fd >= 0 && done < sl->size) {
    ssize_t r =
        pread(sl->fd, p + done, sl->size - done, (off_t)(i * sl->size + done));
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    done += (size_t)r;
  }
  return done == sl->size ? MTPORT_OK : MTPORT_EIO;
}

/* ---- life -------------------------------------------------------------------
 */

static char *S_dup(const char *s) { return s ? mtport__strdup(s) : NULL; }

int mtport_assets_new(mtport_assets **out, const mtport_assets_options *o) {
  *out = NULL;
  if (!o || o->version != MTPORT_ASSETS_OPTIONS_VERSION)
    return MTPORT_EINVALID;
  mtport_assets *as = calloc(1, sizeof *as);
  if (!as)
    return MTPORT_ENOMEM;
  pthread_mutex_init(&as->lock, NULL);
  mtport_assets__slots_init(&as->wslots, sizeof(S_want));
  mtport_assets__slots_init(&as->sslots, sizeof(S_src));
  as->external = o->external;
  as->limits = o->limits;
  as->url_fn = o->url_fn;
  as->url_payload = o->url_payload;
  as->page_fn = o->page_fn;
  as->page_payload = o->page_payload;
  as->diag = o->diag;
  as->diag_payload = o->diag_payload;
  as->sniff = o->sniff;
  as->sniff_payload = o->sniff_payload;
  int rc = MTPORT_OK;
  if ((o->site_url && !(as->site_url = S_dup(o->site_url))) ||
      !(as->url_prefix = S_dup(o->url_prefix ? o->url_prefix : "/")) ||
      (o->archive && !(as->archive = S_dup(o->archive))) ||
      (o->support_url && !(as->support_url = S_dup(o->support_url))) ||
      mtport_asset_hosts_new(&as->hosts) ||
      mtport_asset_records_new(&as->records, o->support_url) ||
      mtport_link_index_new(&as->links) ||
      mtport_spool_new(&as->data, "assets") ||
      mtport_strset_new(&as->wanted, MTPORT_STRSET_SPOOL) ||
      mtport_strset_new(&as->xids, MTPORT_STRSET_SPOOL) ||
      mtport_strset_new(&as->srcs, MTPORT_STRSET_SPOOL) ||
      mtport_asset_report_new(&as->report))
    rc = MTPORT_ENOMEM;
  if (!rc && o->site_url)
    rc = mtport_asset_hosts_add(as->hosts, o->site_url);
  for (size_t i = 0; !rc && i < o->n_asset_hosts; i++)
    rc = mtport_asset_hosts_add(as->hosts, o->asset_hosts[i]);
  if (!rc && o->mirror && !(as->mirror_dir = S_dup(o->mirror)))
    rc = MTPORT_ENOMEM;
  if (!rc && o->mirror)
    rc = mtport_mirror_open(&as->mirror, o->mirror, o->site_url);
  if (!rc && o->fetch && mtport_assets_set_fetch(as, o->fetch))
    rc = MTPORT_ERROR; /* reported: not the mirror's EIO */
  if (rc) {
    mtport_assets_free(as);
    return rc;
  }
  *out = as;
  return MTPORT_OK;
}

int mtport_assets_set_output(mtport_assets *as, const mtport_assets_output *o) {
  if (!as || !o)
    return MTPORT_EINVALID;
  if (o->url_prefix) {
    char *p = mtport__strdup(o->url_prefix);
    if (!p)
      return MTPORT_ENOMEM;
    free(as->url_prefix);
    as->url_prefix = p;
  }
  if (o->url_fn)
    as->url_fn = o->url_fn, as->url_payload = o->url_payload;
  if (o->path_fn)
    as->path_fn = o->path_fn, as->path_payload = o->path_payload;
  if (o->page_fn)
    as->page_fn = o->page_fn, as->page_payload = o->page_payload;
  if (o->absolute_kept)
    as->absolute_kept = 1;
  return MTPORT_OK;
}

int mtport_assets_set_site_url(mtport_assets *as, const char *site_url) {
  if (!as || !site_url || !*site_url || as->fetched)
    return MTPORT_EINVALID;
  if (as->site_url && !strcmp(as->site_url, site_url))
    return MTPORT_OK;
  char *u = mtport__strdup(site_url);
  if (!u)
    return MTPORT_ENOMEM;
  pthread_mutex_lock(&as->lock); /* the fetcher's thread reads the hosts */
  int rc = mtport_asset_hosts_add(as->hosts, site_url);
  pthread_mutex_unlock(&as->lock);
  if (rc) {
    free(u);
    return rc;
  }
  free(as->site_url);
  as->site_url = u;
  /* the mirror tries paths below the site URL's path: open it again */
  if (as->mirror_dir) {
    mtport_mirror *m = NULL;
    if ((rc = mtport_mirror_open(&m, as->mirror_dir, u)))
      return rc;
    mtport_mirror_free(as->mirror);
    as->mirror = m;
  }
  return MTPORT_OK;
}

void mtport_assets_free(mtport_assets *as) {
  if (!as)
    return;
  mtport_assets__fetching_free(as->fetching); /* first: its thread reads */
  free(as->site_url);
  free(as->url_prefix);
  free(as->archive);
  free(as->support_url);
  free(as->mirror_dir);
  mtport_asset_hosts_free(as->hosts);
  mtport_asset_records_free(as->records);
  mtport_mirror_free(as->mirror);
  mtport_link_index_free(as->links);
  mtport_spool_free(as->data);
  for (size_t i = 0; i < as->n_parts; i++) {
    if (as->parts[i].fd >= 0)
      close(as->parts[i].fd);
    free(as->parts[i].name);
    free(as->parts[i].display);
  }
  free(as->parts);
  free(as->part_names);
  free(as->members);
  mtport_strset_free(as->wanted);
  mtport_strset_free(as->xids);
  free(as->xid_base);
  mtport_assets__slots_dispose(&as->wslots);
  mtport_strset_free(as->srcs);
  mtport_assets__slots_dispose(&as->sslots);
  free(as->files);
  mtport_asset_store_free(as->store);
  mtport_asset_report_free(as->report);
  pthread_mutex_destroy(&as->lock);
  free(as);
}

/* ---- step 1: the archive ----------------------------------------------------
 */

static void S_records_diag(const mtport_diag *d, void *p) {
  mtport_assets *as = p;
  if (as->diag)
    as->diag(d, as->diag_payload);
}

/* Reading an XML member copies it into a temporary file as it goes. */
typedef struct {
  mtport_archive *a;
  int fd;
  int err;
} S_tee;

static int S_tee_read(void *src, void *buf, size_t cap, size_t *got) {
  S_tee *t = src;
  int rc = mtport_archive_read(t->a, buf, cap, got);
  if (rc || !*got)
    return rc;
  const char *p = buf;
  size_t n = *got;
  while (n) {
    ssize_t w = write(t->fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      t->err = errno ? errno : EIO;
      return MTPORT_EIO;
    }
    p += w;
    n -= (size_t)w;
  }
  return MTPORT_OK;
}

static int S_cmp_member(const void *x, const void *y) {
  const S_member *a = x, *b = y;
  if (a->id != b->id)
    return a->id < b->id ? -1 : 1;
  return a->ordinal < b->ordinal ? -1 : a->ordinal > b->ordinal;
}

static int S_cmp_part(const void *x, const void *y) {
  const S_part *a = x, *b = y;
  return a->part < b->part ? -1 : a->part > b->part;
}

typedef struct {
  mtport_assets *as;
  const char *name;
} S_mctx;

static int S_manifest_file(const char *type, const char *name, long long id,
                           void *p) {
  S_mctx *c = p;
  mtport_assets *as = c->as;
  if (!strcmp(type, "asset")) {
    S_member key = {id, 0};
    S_member *hit = as->n_members ? bsearch(&key, as->members, as->n_members,
                                            sizeof key, S_cmp_member)
                                  : NULL;
    /* bsearch compares the ordinal too: look for the id alone */
    if (!hit)
      for (size_t i = 0; i < as->n_members && !hit; i++)
        if (as->members[i].id == id)
          hit = &as->members[i];
    if (!hit)
      mtport_assets__diag(
          as, MTPORT_SEV_WARNING, "archive-manifest", c->name, 0,
          "the manifest lists asset %lld ('%s'), which the archive does "
          "not hold",
          id, name);
  } else if (!strcmp(type, "backup")) {
    int found = 0;
    for (size_t i = 0; i < as->n_parts && !found; i++) {
      const char *b = strrchr(as->parts[i].name, '/');
      found = !strcmp(b ? b + 1 : as->parts[i].name, name);
    }
    if (!found)
      mtport_assets__diag(
          as, MTPORT_SEV_WARNING, "archive-manifest", c->name, 0,
          "the manifest lists the backup part '%s', which the archive "
          "does not hold",
          name);
  }
  return 0;
}

int mtport_assets_scan_archive(mtport_assets *as) {
  if (!as || !as->archive)
    return MTPORT_EINVALID;
  mtport_archive *a = NULL;
  int rc = mtport_archive_open(&a, as->archive, &as->limits);
  if (rc) {
    mtport_assets__diag(
        as, MTPORT_SEV_FATAL, "archive-unreadable", as->archive, 0, "%s",
        a ? mtport_archive_error(a) : "cannot open the backup archive");
    mtport_archive_free(a);
    return rc;
  }
  const mtport_archive_member *m;
  mtport_buf manifest = MTPORT_BUF_INIT, mname = MTPORT_BUF_INIT;
  int have_manifest = 0;
  while ((rc = mtport_archive_next(a, &m)) == 1) {
    if (m->name_repaired)
      mtport_assets__diag(
          as, MTPORT_SEV_WARNING, "archive-name-encoding", as->archive, 0,
          "member '%s' has a name that is not UTF-8; shown repaired", m->name);
    if (m->refused) {
      mtport_assets__diag(as, MTPORT_SEV_ERROR, m->refused_code, as->archive, 0,
                          "%s", m->refused);
      continue;
    }
    if (m->role == MTPORT_MEMBER_ASSET) {
      if (!(as->members =
                mtport_assets__grow(as->members, &as->cap_members,
                                    as->n_members + 1, sizeof *as->members))) {
        rc = MTPORT_ENOMEM;
        break;
      }
      as->members[as->n_members].id = m->asset_id;
      as->members[as->n_members].ordinal = m->ordinal;
      as->n_members++;
    } else if (m->role == MTPORT_MEMBER_XML) {
      if (!(as->parts =
                mtport_assets__grow(as->parts, &as->cap_parts, as->n_parts + 1,
                                    sizeof *as->parts))) {
        rc = MTPORT_ENOMEM;
        break;
      }
      S_part *p = &as->parts[as->n_parts];
      p->fd = mtport_temp_fd("backup-part");
      p->part = m->part;
      p->display = NULL;
      p->name = mtport__strdup(m->name);
      if (p->fd < 0 || !p->name) {
        mtport_assets__diag(as, MTPORT_SEV_FATAL, "spool-failed", as->archive,
                            0, "cannot keep the backup part '%s' in %s: %s",
                            m->name, mtport__temp_dir(), strerror(errno));
        if (p->fd >= 0)
          close(p->fd);
        free(p->name);
        rc = MTPORT_EIO;
        break;
      }
      as->n_parts++;
      S_tee t = {a, p->fd, 0};
      int r = mtport_asset_records_scan(as->records, S_tee_read, &t, m->name,
                                        m->part, S_records_diag, as);
      /* the reader takes the part whole: what the scan left is copied */
      char buf[65536];
      size_t got;
      while (r != MTPORT_EIO && !t.err &&
             S_tee_read(&t, buf, sizeof buf, &got) == MTPORT_OK && got)
        ;
      if (t.err) {
        mtport_assets__diag(as, MTPORT_SEV_FATAL, "spool-failed", as->archive,
                            0, "cannot keep the backup part '%s' in %s: %s",
                            m->name, mtport__temp_dir(), strerror(t.err));
        rc = MTPORT_EIO;
        break;
      }
      if (r == MTPORT_ENOMEM) {
        rc = r;
        break;
      }
    } else if (m->role == MTPORT_MEMBER_MANIFEST) {
      char buf[65536];
      size_t got;
      int r;
      mtport_buf_clear(&manifest);
      while ((r = mtport_archive_read(a, buf, sizeof buf, &got)) == MTPORT_OK &&
             got && manifest.len <= as->limits.max_text + (uint64_t)(64 << 20))
        if (mtport_buf_append(&manifest, buf, got)) {
          r = MTPORT_ENOMEM;
          break;
        }
      uint64_t cap = as->limits.max_text ? as->limits.max_text : 64u << 20;
      if (r == MTPORT_OK && manifest.len <= cap) {
        have_manifest = 1;
        mtport_buf_clear(&mname);
        mtport_buf_puts(&mname, m->name);
      } else
        mtport_assets__diag(
            as, MTPORT_SEV_WARNING, "archive-manifest", as->archive, 0,
            "the manifest '%s' cannot be read whole; it is not checked",
            m->name);
    } else
      mtport_assets__diag(as, MTPORT_SEV_NOTE, "archive-other", as->archive, 0,
                          "member '%s' is not part of an MT backup; left out",
                          m->name);
  }
  if (rc < 0 && rc != MTPORT_ENOMEM)
    mtport_assets__diag(as, MTPORT_SEV_FATAL, "archive-unreadable", as->archive,
                        0, "%s", mtport_archive_error(a));
  mtport_archive_free(a);
  if (rc >= 0) {
    rc = MTPORT_OK;
    if (as->n_members)
      qsort(as->members, as->n_members, sizeof *as->members, S_cmp_member);
    if (as->n_parts > 1)
      qsort(as->parts, as->n_parts, sizeof *as->parts, S_cmp_part);
    if (!as->n_parts)
      mtport_assets__diag(as, MTPORT_SEV_ERROR, "archive-no-xml", as->archive,
                          0, "the archive holds no backup XML");
    if (have_manifest) {
      S_mctx c = {as, mname.data};
      if (mtport_manifest_parse(manifest.data, manifest.len, S_manifest_file,
                                &c) == MTPORT_EPARSE)
        mtport_assets__diag(
            as, MTPORT_SEV_WARNING, "archive-manifest", as->archive, 0,
            "the manifest '%s' is not an MT manifest; it is not checked",
            mname.data);
    }
  }
  mtport_buf_dispose(&manifest);
  mtport_buf_dispose(&mname);
  return rc;
}

size_t mtport_assets_xml_count(const mtport_assets *as) {
  return as ? as->n_parts : 0;
}

int mtport_assets_xml_open(mtport_assets *as, size_t i, int *fd,
                           const char **name, unsigned *part) {
  *fd = -1;
  if (!as || i >= as->n_parts)
    return MTPORT_EINVALID;
  /* a descriptor of its own, at the start (the copy shares the offset, so
   * reads go through the original's file by position) */
  int d = dup(as->parts[i].fd);
  if (d < 0 || lseek(d, 0, SEEK_SET) < 0) {
    if (d >= 0)
      close(d);
    return MTPORT_EIO;
  }
  *fd = d;
  if (name)
    *name = as->parts[i].name;
  if (part)
    *part = as->parts[i].part;
  return MTPORT_OK;
}

int mtport_assets_scan_xml(mtport_assets *as, mtport_read_fn rd, void *src,
                           const char *name, unsigned part) {
  if (!as || !rd)
    return MTPORT_EINVALID;
  int rc = mtport_asset_records_scan(as->records, rd, src, name, part,
                                     S_records_diag, as);
  return rc == MTPORT_EPARSE ? MTPORT_OK : rc; /* reported; records kept */
}

/* ---- step 2: links and references ------------------------------------------
 */

int mtport_assets_add_link(mtport_assets *as, const char *old_url,
                           mtport_link_kind kind, const char *new_url) {
  if (!as || !old_url || !new_url)
    return MTPORT_EINVALID;
  uint64_t off;
  int rc = mtport_assets__keep(as, new_url, strlen(new_url), &off);
  if (rc)
    return rc;
  mtport_link_kind pk;
  uint64_t pv;
  rc = mtport_link_index_add(as->links, old_url, kind, off, &pk, &pv);
  if (rc == 0) {
    mtport_buf prev = MTPORT_BUF_INIT;
    if (mtport_assets__load(as, pv, &prev) == MTPORT_OK &&
        strcmp(prev.data, new_url))
      mtport_assets__diag(as, MTPORT_SEV_WARNING, "link-duplicate", NULL, 0,
                          "the old URL %s leads to %s already; not to %s",
                          old_url, prev.data, new_url);
    mtport_buf_dispose(&prev);
    return MTPORT_OK;
  }
  return rc == MTPORT_EINVALID ? MTPORT_OK : rc < 0 ? rc : MTPORT_OK;
}

/* 1 when the reference is a file: shown in the page, a file by its
 * extension or shape, or a URL the backup's records know. */
static int S_is_file(mtport_assets *as, const mtport_html_ref *r,
                     const mtport_asset_url *c, const char *abs) {
  if (r->flags & MTPORT_REF_EMBED)
    return 1;
  if (c->kind != MTPORT_ASSET_NONE || c->shape)
    return 1;
  if (c->host == MTPORT_HOST_EXTERNAL ||
      !mtport_asset_records_count(as->records))
    return 0;
  mtport_asset_record rec;
  return mtport_asset_records_by_url(as->records, abs, &rec) == 1;
}

/* Notes the blog host of a TypePad xid when @url is its "/.a/" form. */
static int S_note_xid(mtport_assets *as, const char *url, const char *xid) {
  const char *s = strstr(url, "://");
  const char *a = s ? strstr(s + 3, "/.a/") : NULL;
  if (!a || memchr(s + 3, '/', (size_t)(a - s - 3)))
    return 0; /* not "scheme://host/.a/..." */
  size_t idx;
  int rc = mtport_strset_add(as->xids, xid, strlen(xid), &idx);
  if (rc <= 0)
    return rc;
  uint64_t *v =
      mtport_assets__grow(as->xid_base, &as->cap_xid_base, idx + 1, sizeof *v);
  if (!v)
    return MTPORT_ENOMEM;
  as->xid_base = v;
  return mtport_assets__keep(as, url, (size_t)(a - url), &v[idx]);
}

typedef struct {
  mtport_assets *as;
  const mtport_post *post;
  const char *base;
  mtport_buf abs, label;
  int rc;
} S_collecting;

static int S_collect_ref(const mtport_html_ref *r, void *p) {
  S_collecting *c = p;
  mtport_assets *as = c->as;
  int k = mtport_assets__absolute(as, r->url, c->base, &c->abs);
  if (k <= 0)
    return k;
  mtport_asset_url cls;
  if (mtport_asset_url_classify(as->hosts, c->abs.data, &cls))
    return MTPORT_ENOMEM;
  int file = S_is_file(as, r, &cls, c->abs.data);
  mtport_host_class host = cls.host;
  int xr = file && cls.xid ? S_note_xid(as, c->abs.data, cls.xid) : 0;
  mtport_asset_url_dispose(&cls);
  if (xr < 0)
    return xr;
  if (!file)
    return 0;
  size_t idx;
  int rc = mtport_strset_add(as->wanted, c->abs.data, c->abs.len, &idx);
  if (rc < 0)
    return rc;
  if (rc == 1) {
    S_want w;
    memset(&w, 0, sizeof w);
    w.src = UINT32_MAX;
    w.status = S_UNPLANNED;
    w.host = (uint8_t)host;
    w.post = c->post ? c->post->ordinal : 0;
    w.entry = c->post ? c->post->entry_id : 0;
    if ((rc = mtport_assets__keep(as, c->abs.data, c->abs.len, &w.url_off)) ||
        (rc = mtport_assets__slot_put(&as->wslots, idx, &w)) ||
        (as->fetching &&
         (rc = mtport_assets__fetch_early(as, idx, c->abs.data, host))))
      return rc;
  }
  return mtport_asset_report_use(as->report, c->abs.data, c->label.data);
}

static int S_label(mtport_buf *b, const mtport_post *p) {
  mtport_buf_clear(b);
  if (p && p->entry_id)
    return mtport_buf_printf(b, "entry %lld", p->entry_id);
  return mtport_buf_printf(b, "post %lu", p ? p->ordinal : 0ul);
}

int mtport_assets_collect(mtport_assets *as, const mtport_post *post,
                          const char *field, const char *html, size_t len,
                          const char *base) {
  (void)field;
  if (!as || (!html && len))
    return MTPORT_EINVALID;
  if (as->fetched)
    return MTPORT_EINVALID;
  /* extensionless URLs are files when a record knows them: the records
   * must be indexed (again, when a part was scanned since) */
  int fr = mtport_asset_records_finish(as->records);
  if (fr)
    return fr;
  S_collecting c = {as,
                    post,
                    base   ? base
                    : post ? post->permalink
                           : NULL,
                    MTPORT_BUF_INIT,
                    MTPORT_BUF_INIT,
                    0};
  int rc = S_label(&c.label, post);
  if (!rc)
    rc = mtport_html_refs(html ? html : "", len, S_collect_ref, &c);
  mtport_buf_dispose(&c.abs);
  mtport_buf_dispose(&c.label);
  return rc;
}

/* ---- step 5
 * -------------------------------------------------------------------- */

int mtport_assets_each_file(mtport_assets *as,
                            int (*fn)(void *payload,
                                      const mtport_assets_file *f),
                            void *payload) {
  if (!as || !fn)
    return MTPORT_EINVALID;
  mtport_buf url = MTPORT_BUF_INIT, stored = MTPORT_BUF_INIT,
             mime = MTPORT_BUF_INIT, sha = MTPORT_BUF_INIT;
  int rc = MTPORT_OK;
  for (size_t i = 0; i < as->n_files && !rc; i++) {
    S_src sv;
    S_want wv;
    if ((rc = mtport_assets__slot_get(&as->sslots, as->files[i], &sv)) ||
        (rc = mtport_assets__slot_get(&as->wslots, sv.first_url, &wv)))
      break;
    const S_src *s = &sv;
    const S_want *w = &wv;
    if ((rc = mtport_assets__load(as, w->url_off, &url)) ||
        (rc = mtport_assets__load(as, s->stored_off, &stored)) ||
        (rc = mtport_assets__load(as, s->sha_off, &sha)) ||
        (s->mime_off && (rc = mtport_assets__load(as, s->mime_off, &mime))))
      break;
    mtport_assets_file f = {
        url.data, stored.data, s->mime_off ? mime.data : NULL, sha.data,
        s->bytes, s->asset_id, w->entry ? w->entry : s->entry, w->post};
    rc = fn(payload, &f);
  }
  mtport_buf_dispose(&url);
  mtport_buf_dispose(&stored);
  mtport_buf_dispose(&mime);
  mtport_buf_dispose(&sha);
  return rc < 0 ? rc : MTPORT_OK;
}

int mtport_assets_write_report(mtport_assets *as, FILE *out) {
  if (!as)
    return MTPORT_EINVALID;
  return mtport_asset_report_write(as->report, out);
}

void mtport_assets_counts(const mtport_assets *as, mtport_assets_totals *c) {
  if (!c)
    return;
  memset(c, 0, sizeof *c);
  if (!as)
    return;
  pthread_mutex_lock((pthread_mutex_t *)&as->lock);
  *c = as->counts;
  c->referenced = mtport_strset_count(as->wanted);
  c->old_urls = mtport_link_index_count(as->links);
  pthread_mutex_unlock((pthread_mutex_t *)&as->lock);
}
