/* The resolver's third source (assets.h, mtport_assets_set_fetch()): what
 * the archive and the mirror do not hold is downloaded by the fetcher
 * (fetch.h) and stored from its cache like any other source.
 *
 * The resolver calls in at three points. While posts are collected, a
 * URL no other source can have is asked for at once (with no archive,
 * nothing else could hold it), so downloads overlap the first pass. When
 * step 3 plans its sources, each file still without one becomes a
 * download source, asked for with its candidates: TypePad's original
 * first, then the variants the posts use, largest first; a pop-up's image
 * before the page. Then, in source order, each result is waited for and
 * stored: the same bytes and names with 1 job or 8. */
#include "fetch.h"
#include "resolver_int.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One TypePad size variant the posts use. */
typedef struct {
  uint64_t hash;  /* of its xid */
  uint32_t width; /* the variant's number: 800 for "800wi" */
  uint32_t want;  /* its URL's index among the wanted */
} S_variant;

struct mtport_assets__fetching {
  mtport_fetch *f;
  int strict;
  size_t *ids; /* per source: its want's id + 1, or 0 */
  size_t cap_ids;
  size_t *early; /* per URL wanted: its early want's id + 1, or 0 */
  size_t n_early, cap_early;
  mtport_strset *early_keys; /* what was asked for early, once each */
  S_variant *vars;
  size_t n_vars;
  int vars_built;
  mtport_assets_progress_fn progress;
  void *progress_payload;
  pthread_mutex_t lock; /* the progress callback against its end */
  int closed;
  uint64_t files_done, files_total, bytes;
};

/* ---- life ------------------------------------------------------------- */

/* On the fetcher's thread: the lock keeps mtport_assets_set_site_url()
 * from growing the hosts meanwhile. */
static int S_allow(const char *url, void *payload) {
  mtport_assets *as = payload;
  pthread_mutex_lock(&as->lock);
  int ok = mtport_asset_hosts_class(as->hosts, url) != MTPORT_HOST_EXTERNAL;
  pthread_mutex_unlock(&as->lock);
  return ok;
}

static void S_progress(uint64_t done, uint64_t total, uint64_t bytes,
                       void *payload) {
  mtport_assets__fetching *fg = payload;
  pthread_mutex_lock(&fg->lock);
  fg->files_done = done;
  fg->files_total = total;
  fg->bytes = bytes;
  if (!fg->closed && fg->progress && total)
    fg->progress(fg->progress_payload, done, total, bytes);
  pthread_mutex_unlock(&fg->lock);
}

void mtport_assets__fetching_free(mtport_assets__fetching *fg) {
  if (!fg)
    return;
  mtport_fetch__free(fg->f);
  pthread_mutex_destroy(&fg->lock);
  free(fg->ids);
  free(fg->early);
  mtport_strset_free(fg->early_keys);
  free(fg->vars);
  free(fg);
}

int mtport_assets_set_fetch(mtport_assets *as,
                            const mtport_assets_fetch_options *o) {
  if (!as || !o || o->version != MTPORT_ASSETS_FETCH_OPTIONS_VERSION ||
      !o->cache_dir || !*o->cache_dir || as->fetching || as->fetched)
    return MTPORT_EINVALID;
  mtport_assets__fetching *fg = calloc(1, sizeof *fg);
  if (!fg)
    return MTPORT_ENOMEM;
  pthread_mutex_init(&fg->lock, NULL);
  if (mtport_strset_new(&fg->early_keys, MTPORT_STRSET_SPOOL)) {
    mtport_assets__fetching_free(fg);
    return MTPORT_ENOMEM;
  }
  fg->strict = o->strict;
  fg->progress = o->progress;
  fg->progress_payload = o->progress_payload;
  mtport_fetch_options fo;
  mtport_fetch__options_init(&fo);
  fo.cache_dir = o->cache_dir;
  /* the hosts are the resolver's: its own and the known TypePad hosts */
  fo.allow = S_allow;
  fo.allow_payload = as;
  if (o->jobs)
    fo.jobs = o->jobs > 64 ? 64 : o->jobs;
  if (o->retries >= 0)
    fo.retries = (unsigned)o->retries;
  if (o->max_size)
    fo.max_size = o->max_size;
  if (o->connect_timeout_ms > 0)
    fo.connect_ms = o->connect_timeout_ms;
  if (o->stall_timeout_s > 0)
    fo.stall_s = o->stall_timeout_s;
  fo.insecure = o->insecure;
  fo.mode = o->offline        ? MTPORT_FETCH_OFFLINE
            : o->retry_failed ? MTPORT_FETCH_RETRY_FAILED
                              : MTPORT_FETCH_ONLINE;
  fo.user_agent = o->user_agent;
  fo.progress = S_progress;
  fo.progress_payload = fg;
  mtport_buf err = MTPORT_BUF_INIT;
  int rc = mtport_fetch__new(&fg->f, &fo, &err);
  if (rc) {
    /* a cache that cannot be made is an output that cannot be written */
    mtport_assets__diag(as, MTPORT_SEV_FATAL,
                        rc == MTPORT_EIO ? "write-failed" : "fetch-failed",
                        o->cache_dir, 0, "cannot fetch assets: %s",
                        err.data ? err.data : "out of memory");
    mtport_buf_dispose(&err);
    mtport_assets__fetching_free(fg);
    return rc;
  }
  mtport_buf_dispose(&err);
  if (o->insecure)
    mtport_assets__diag(as, MTPORT_SEV_WARNING, "fetch-insecure", NULL, 0,
                        "--insecure: TLS certificates are not verified; "
                        "anyone on the way can change the files fetched");
  as->fetching = fg;
  return MTPORT_OK;
}

/* ---- candidates ------------------------------------------------------- */

static uint64_t S_hash(const char *s) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static int S_cmp_var(const void *x, const void *y) {
  const S_variant *a = x, *b = y;
  if (a->hash != b->hash)
    return a->hash < b->hash ? -1 : 1;
  if (a->width != b->width)
    return a->width > b->width ? -1 : 1; /* largest first */
  return a->want < b->want ? -1 : a->want > b->want;
}

/* The TypePad variants among every URL wanted, once the posts are all
 * collected: sorted by xid, then largest first. */
static int S_build_vars(mtport_assets *as, mtport_assets__fetching *fg) {
  fg->vars_built = 1;
  size_t n = mtport_strset_count(as->wanted), cap = 0;
  mtport_buf url = MTPORT_BUF_INIT;
  int rc = MTPORT_OK;
  for (size_t i = 0; i < n && !rc; i++) {
    S_want w;
    if ((rc = mtport_assets__slot_get(&as->wslots, i, &w)) ||
        (rc = mtport_assets__load(as, w.url_off, &url)))
      break;
    mtport_asset_url c;
    if ((rc = mtport_asset_url_classify(as->hosts, url.data, &c)))
      break;
    if ((c.shape & MTPORT_SHAPE_TYPEPAD_ASSET) && c.xid && c.target &&
        c.variant) {
      S_variant *v =
          mtport_assets__grow(fg->vars, &cap, fg->n_vars + 1, sizeof *fg->vars);
      if (!v)
        rc = MTPORT_ENOMEM;
      else {
        fg->vars = v;
        v[fg->n_vars].hash = S_hash(c.xid);
        v[fg->n_vars].width = (uint32_t)strtoul(c.variant, NULL, 10);
        v[fg->n_vars].want = (uint32_t)i;
        fg->n_vars++;
      }
    }
    mtport_asset_url_dispose(&c);
  }
  mtport_buf_dispose(&url);
  if (!rc && fg->n_vars > 1)
    qsort(fg->vars, fg->n_vars, sizeof *fg->vars, S_cmp_var);
  return rc;
}

/* A want's candidates, as URLs kept in @urls (NUL-separated) and flags. */
typedef struct {
  mtport_buf urls;
  unsigned flags[64];
  size_t n;
} S_cands;

static int S_cand(S_cands *c, const char *url, unsigned flags) {
  if (c->n == sizeof c->flags / sizeof c->flags[0])
    return MTPORT_OK; /* enough: the largest variants come first */
  /* the same URL twice adds nothing */
  for (size_t i = 0, off = 0; i < c->n; i++) {
    if (!strcmp(c->urls.data + off, url))
      return MTPORT_OK;
    off += strlen(c->urls.data + off) + 1;
  }
  if (mtport_buf_puts(&c->urls, url) || mtport_buf_append(&c->urls, "", 1))
    return MTPORT_ENOMEM;
  c->flags[c->n++] = flags;
  return MTPORT_OK;
}

/* Fills @c for @url and gives the key of what it stands for in @key:
 * TypePad's image (its xid), a pop-up's image, else the URL. With @fg's
 * table, the originals and variants of the xid the posts use follow the
 * URL's original (and the URL itself comes last); without it (early),
 * TypePad's original alone is asked for. */
static int S_candidates(mtport_assets *as, mtport_assets__fetching *fg,
                        const char *url, S_cands *c, mtport_buf *key) {
  mtport_buf_clear(&c->urls);
  mtport_buf_clear(key);
  c->n = 0;
  mtport_asset_url u;
  int rc = mtport_asset_url_classify(as->hosts, url, &u);
  if (rc)
    return rc;
  const char *stands = url;
  int tp = (u.shape & MTPORT_SHAPE_TYPEPAD_ASSET) && u.xid;
  if (tp) {
    /* one xid is one image wherever it is served: its originals first
     * (this URL's, then those of the variants the posts use), then those
     * variants, largest first, this URL last */
    rc = S_cand(c, u.target ? u.target : url, MTPORT_FETCH_IMAGE);
    if (!rc && fg) {
      uint64_t h = S_hash(u.xid);
      size_t lo = 0, hi = fg->n_vars;
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (fg->vars[mid].hash < h)
          lo = mid + 1;
        else
          hi = mid;
      }
      mtport_buf vu = MTPORT_BUF_INIT;
      for (int pass = 0; pass < 2 && !rc; pass++)
        for (size_t i = lo; !rc && i < fg->n_vars && fg->vars[i].hash == h;
             i++) {
          S_want w;
          if ((rc = mtport_assets__slot_get(&as->wslots, fg->vars[i].want,
                                            &w)) ||
              (rc = mtport_assets__load(as, w.url_off, &vu)))
            break;
          mtport_asset_url vc;
          if ((rc = mtport_asset_url_classify(as->hosts, vu.data, &vc)))
            break;
          /* a hash is not a proof: the xid must be the same */
          if (vc.xid && vc.target && !strcmp(vc.xid, u.xid))
            rc = S_cand(c, pass ? vu.data : vc.target, MTPORT_FETCH_IMAGE);
          mtport_asset_url_dispose(&vc);
        }
      mtport_buf_dispose(&vu);
    }
    /* early, the other variants are not known yet: the original alone */
    if (!rc && fg)
      rc = S_cand(c, url, MTPORT_FETCH_IMAGE);
  } else if ((u.shape & MTPORT_SHAPE_POPUP) && u.target) {
    stands = u.target; /* TypePad's pop-up names its image */
    rc = S_cand(c, u.target, MTPORT_FETCH_IMAGE);
    if (!rc)
      rc = S_cand(c, url, MTPORT_FETCH_PAGE);
  } else if (u.shape & MTPORT_SHAPE_POPUP) {
    rc = S_cand(c, url, MTPORT_FETCH_PAGE); /* MT's: the page says */
  } else {
    rc = S_cand(c, url, u.kind == MTPORT_ASSET_IMAGE ? MTPORT_FETCH_IMAGE : 0);
  }
  if (!rc && (tp ? mtport_buf_printf(key, "d:tp:%s", u.xid)
                 : mtport_buf_printf(key, "d:%s", stands)))
    rc = MTPORT_ENOMEM;
  mtport_asset_url_dispose(&u);
  return rc;
}

static int S_submit(mtport_assets__fetching *fg, const S_cands *c, size_t *id) {
  mtport_fetch_candidate v[sizeof c->flags / sizeof c->flags[0]];
  for (size_t i = 0, off = 0; i < c->n; i++) {
    v[i].url = c->urls.data + off;
    v[i].flags = c->flags[i];
    off += strlen(c->urls.data + off) + 1;
  }
  return mtport_fetch__want(fg->f, v, c->n, id);
}

/* ---- the resolver's hooks --------------------------------------------- */

/* 1 for an http(s) URL with a host: what a request can be made for. */
static int S_absolute(const char *url) {
  mtport_assets__url u;
  mtport_assets__split(url, &u);
  return u.scheme_n && u.has_auth && u.host_n &&
         (mtport_assets__ieq(u.scheme, u.scheme_n, "http") ||
          mtport_assets__ieq(u.scheme, u.scheme_n, "https"));
}

int mtport_assets__fetch_early(mtport_assets *as, size_t idx, const char *url,
                               mtport_host_class host) {
  mtport_assets__fetching *fg = as->fetching;
  /* with an archive, its files are known only at step 3 */
  if (!fg || host == MTPORT_HOST_EXTERNAL || as->archive || !S_absolute(url))
    return MTPORT_OK;
  S_cands c = {MTPORT_BUF_INIT, {0}, 0};
  mtport_buf key = MTPORT_BUF_INIT;
  int rc = S_candidates(as, NULL, url, &c, &key);
  int mirrored = 0;
  /* a second URL standing for the same file adds nothing to ask */
  size_t k;
  if (!rc &&
      (rc = mtport_strset_add(fg->early_keys, key.data, key.len, &k)) >= 0)
    rc = rc == 1 ? MTPORT_OK : 1;
  if (rc == 1) {
    mtport_buf_dispose(&c.urls);
    mtport_buf_dispose(&key);
    return MTPORT_OK;
  }
  if (!rc && as->mirror) {
    /* what the mirror has is not downloaded (nor what it stands for) */
    int fd = -1;
    mirrored = mtport_mirror_find(as->mirror, url, &fd, NULL);
    if (mirrored != 1 && c.n) /* the first candidate: what it stands for */
      mirrored = mtport_mirror_find(as->mirror, c.urls.data, &fd, NULL);
    if (fd >= 0)
      close(fd);
    if (mirrored < 0)
      rc = mirrored;
  }
  size_t id, *early = NULL;
  if (!rc && mirrored != 1 &&
      !(early = mtport_assets__grow(fg->early, &fg->cap_early, idx + 1,
                                    sizeof *fg->early)))
    rc = MTPORT_ENOMEM;
  if (early) {
    fg->early = early;
    for (size_t i = fg->n_early; i <= idx; i++)
      early[i] = 0;
    if (idx + 1 > fg->n_early)
      fg->n_early = idx + 1;
  }
  /* step 3 takes the want over when it asks for the same */
  if (!rc && early && !(rc = S_submit(fg, &c, &id)))
    fg->early[idx] = id + 1;
  mtport_buf_dispose(&c.urls);
  mtport_buf_dispose(&key);
  return rc == MTPORT_EINVALID ? MTPORT_OK : rc;
}

int mtport_assets__fetch_plan(mtport_assets *as, uint32_t i, const char *url,
                              S_want *w) {
  mtport_assets__fetching *fg = as->fetching;
  if (w->host == MTPORT_HOST_EXTERNAL || !S_absolute(url)) {
    /* --assets-external copies what a source has; nothing is downloaded
     * from another host, nor without a host (no site URL to resolve a
     * relative reference: the report says so) */
    w->status = MTPORT_ASSET_MISSING;
    return MTPORT_OK;
  }
  int rc = fg->vars_built ? MTPORT_OK : S_build_vars(as, fg);
  S_cands c = {MTPORT_BUF_INIT, {0}, 0};
  mtport_buf key = MTPORT_BUF_INIT;
  if (!rc)
    rc = S_candidates(as, fg, url, &c, &key);
  size_t k = 0;
  if (!rc)
    rc = mtport_strset_add(as->srcs, key.data, key.len, &k);
  if (rc == 1) {
    /* a new source: named by this URL until the download says better */
    S_src s;
    memset(&s, 0, sizeof s);
    s.member = MTPORT_ASSETS__DOWNLOAD;
    s.first_url = i;
    s.status = S_UNPLANNED;
    as->n_s = k + 1;
    size_t id = 0;
    size_t *ids =
        mtport_assets__grow(fg->ids, &fg->cap_ids, k + 1, sizeof *fg->ids);
    if (!ids)
      rc = MTPORT_ENOMEM;
    else {
      fg->ids = ids;
      ids[k] = 0;
      rc = mtport_assets__keep(as, url, strlen(url), &s.name_off);
    }
    if (!rc && i < fg->n_early && fg->early[i]) {
      /* asked for early: the same candidates take that want over */
      S_cands e = {MTPORT_BUF_INIT, {0}, 0};
      mtport_buf ek = MTPORT_BUF_INIT;
      rc = S_candidates(as, NULL, url, &e, &ek);
      if (!rc && e.n == c.n && e.urls.len == c.urls.len &&
          !memcmp(e.urls.data, c.urls.data, c.urls.len) &&
          !memcmp(e.flags, c.flags, c.n * sizeof *c.flags)) {
        fg->ids[k] = fg->early[i];
        fg->early[i] = 0;
      }
      mtport_buf_dispose(&e.urls);
      mtport_buf_dispose(&ek);
    }
    if (!rc && !fg->ids[k] && !(rc = S_submit(fg, &c, &id)))
      fg->ids[k] = id + 1;
    if (!rc)
      rc = mtport_assets__slot_put(&as->sslots, k, &s);
  }
  if (rc >= 0) {
    rc = MTPORT_OK;
    w->src = (uint32_t)k;
  }
  mtport_buf_dispose(&c.urls);
  mtport_buf_dispose(&key);
  return rc;
}

/* A failed download: its source's status and reason, and a diagnostic. */
static int S_failed(mtport_assets *as, uint32_t k, S_src *s,
                    const mtport_fetch_result *r, const char *url) {
  mtport_buf why = MTPORT_BUF_INIT;
  int rc = MTPORT_OK;
  s->status = r->error == MTPORT_FETCH_ETOOLARGE ? MTPORT_ASSET_TOO_LARGE
                                                 : MTPORT_ASSET_FAILED;
  if (r->error == MTPORT_FETCH_EHTTP && r->http_status &&
      !strstr(r->reason ? r->reason : "", "HTTP"))
    rc = mtport_buf_printf(&why, "HTTP %ld: ", r->http_status);
  rc |= mtport_buf_printf(&why, "%s (%s)", r->reason ? r->reason : "failed",
                          mtport_fetch__error_name(r->error));
  if (!rc)
    rc = mtport_assets__keep(as, why.data, why.len, &s->reason_off);
  if (!rc)
    rc = mtport_assets__slot_put(&as->sslots, k, s);
  if (!rc)
    mtport_assets__diag(
        as, as->fetching->strict ? MTPORT_SEV_ERROR : MTPORT_SEV_WARNING,
        "asset-fetch-failed", NULL, 0, "cannot fetch %s: %s", url, why.data);
  mtport_buf_dispose(&why);
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}

int mtport_assets__fetch_store(mtport_assets *as, uint32_t k, mtport_buf *tmp) {
  mtport_assets__fetching *fg = as->fetching;
  S_src s;
  int rc = mtport_assets__slot_get(&as->sslots, k, &s);
  if (rc)
    return rc;
  if (!fg || k >= fg->cap_ids || !fg->ids[k])
    return MTPORT_EINVALID;
  size_t id = fg->ids[k] - 1;
  const mtport_fetch_result *r = mtport_fetch__wait(fg->f, id);
  mtport_buf url = MTPORT_BUF_INIT;
  if (!r)
    return MTPORT_EINVALID;
  if ((rc = mtport_assets__load(as, s.name_off, &url)))
    goto out;
  if (r->error != MTPORT_FETCH_OK) {
    rc = S_failed(as, k, &s, r, url.data);
    goto out;
  }
  if (r->mime && (!strcmp(r->mime, "text/html") ||
                  !strcmp(r->mime, "application/xhtml+xml"))) {
    /* the posts refer to a file: a page in its place is an error page or
     * a pop-up that shows nothing */
    mtport_fetch_result page = *r;
    page.error = MTPORT_FETCH_ENOIMAGE;
    page.reason = "the server sent an HTML page, not a file";
    rc = S_failed(as, k, &s, &page, url.data);
    goto out;
  }
  /* the name comes from the URL that gave the file (a pop-up's image),
   * made safe by the resolver; the type from its content */
  const char *name = r->shown_url ? r->shown_url : r->url;
  if ((rc = mtport_assets__keep(as, name, strlen(name), &s.name_off)) ||
      (r->mime &&
       (rc = mtport_assets__keep(as, r->mime, strlen(r->mime), &s.mime_off))))
    goto out;
  if (r->reason && *r->reason &&
      (rc = mtport_assets__keep(as, r->reason, strlen(r->reason),
                                &s.reason_off)))
    goto out;
  if ((rc = mtport_assets__slot_put(&as->sslots, k, &s)))
    goto out;
  int fd = open(r->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    mtport_fetch_result gone = *r;
    gone.error = MTPORT_FETCH_ECACHE;
    gone.reason = "its file left the cache";
    rc = S_failed(as, k, &s, &gone, url.data);
    goto out;
  }
  rc = mtport_assets__store_src(as, k, mtport_fd_read, &fd, tmp);
  close(fd);
  if (!rc && !(rc = mtport_assets__slot_get(&as->sslots, k, &s)) &&
      s.status == MTPORT_ASSET_COPIED) {
    s.status = r->source == MTPORT_FETCH_FETCHED ? MTPORT_ASSET_FETCHED
                                                 : MTPORT_ASSET_CACHED;
    rc = mtport_assets__slot_put(&as->sslots, k, &s);
  }
out:
  mtport_fetch__release(fg->f, id);
  mtport_buf_dispose(&url);
  return rc;
}

void mtport_assets__fetch_done(mtport_assets *as) {
  mtport_assets__fetching *fg = as->fetching;
  if (!fg)
    return;
  for (size_t i = 0; i < fg->n_early; i++)
    if (fg->early[i]) /* not taken over: its URL's fate is remembered */
      mtport_fetch__release(fg->f, fg->early[i] - 1);
  fg->n_early = 0;
  mtport_fetch__drain(fg->f);
  mtport_fetch_stats st;
  mtport_fetch__stats(fg->f, &st);
  pthread_mutex_lock(&as->lock);
  as->counts.requests = st.requests;
  as->counts.downloaded = st.bytes;
  pthread_mutex_unlock(&as->lock);
  /* the bar's last frame shows everything; then it is left alone */
  pthread_mutex_lock(&fg->lock);
  if (!fg->closed && fg->progress && st.wants)
    fg->progress(fg->progress_payload, st.done, st.wants, st.bytes);
  fg->closed = 1;
  pthread_mutex_unlock(&fg->lock);
}

/* ---- the progress bar -------------------------------------------------- */

static void S_bytes(char *out, size_t n, uint64_t b) {
  if (b < 1024 * 1024)
    snprintf(out, n, "%.1f KB", (double)b / 1024.0);
  else if (b < (uint64_t)1 << 30)
    snprintf(out, n, "%.1f MB", (double)b / (1024.0 * 1024.0));
  else
    snprintf(out, n, "%.2f GB", (double)b / (1024.0 * 1024.0 * 1024.0));
}

void mtport_assets_progress_bar(void *payload, uint64_t files_done,
                                uint64_t files_total, uint64_t bytes) {
  mtport_assets_bar *bar = payload;
  if (!bar || !bar->out)
    return;
  enum { W = 24 };
  char cells[W + 1], size[32];
  size_t full = files_total ? (size_t)(files_done * W / files_total) : 0;
  for (size_t i = 0; i < W; i++)
    cells[i] = i < full ? '#' : '-';
  cells[W] = '\0';
  S_bytes(size, sizeof size, bytes);
  /* ESC [K clears what a longer line left */
  fprintf(bar->out, "\rfetching assets [%s] %llu/%llu files, %s\033[K", cells,
          (unsigned long long)files_done, (unsigned long long)files_total,
          size);
  fflush(bar->out);
  bar->drawn = 1;
}

void mtport_assets_bar_end(mtport_assets_bar *bar) {
  if (!bar || !bar->drawn || !bar->out)
    return;
  fputc('\n', bar->out);
  fflush(bar->out);
  bar->drawn = 0;
}
