/* The resolver's step 3 (assets.h): every file the posts refer to is
 * planned (the archive through its asset records, MT's thumbnails and
 * pop-ups by the original's asset id, TypePad's sizes and pop-ups by
 * their original, then the mirror), stored (the archive read a second
 * time, in its own order; then the mirror's files), and given its row of
 * the report. */
#include "resolver_int.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- step 3: fetching -------------------------------------------------------
 */

/* The archive member of asset @id, or -1. */
static int64_t S_member_of(const mtport_assets *as, long long id) {
  size_t lo = 0, hi = as->n_members;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (as->members[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < as->n_members && as->members[lo].id == id
             ? (int64_t)as->members[lo].ordinal
             : -1;
}

/* Where one URL's file comes from, as planned. */
typedef struct {
  int64_t member;      /* or -1 */
  mtport_buf mirror;   /* the URL the mirror has it under, or empty */
  mtport_buf name_url; /* the URL its stored path comes from */
  mtport_buf mime;
  long long asset_id, entry;
  mtport_buf reason; /* how it was found when not by its own URL */
} S_plan;

/* The archive member for URL @u through its record: 1 when found. */
static int S_by_record(mtport_assets *as, const char *u, S_plan *p) {
  mtport_asset_record rec;
  int rc = mtport_asset_records_by_url(as->records, u, &rec);
  if (rc != 1)
    return rc;
  int64_t m = S_member_of(as, rec.id);
  if (m < 0)
    return 0;
  p->member = m;
  p->asset_id = rec.id;
  p->entry = rec.entry_id;
  mtport_buf_clear(&p->mime);
  mtport_buf_clear(&p->name_url);
  rc = mtport_buf_puts(&p->name_url, rec.url ? rec.url : u);
  if (rec.mime_type)
    rc |= mtport_buf_puts(&p->mime, rec.mime_type);
  return rc ? MTPORT_ENOMEM : 1;
}

/* The archive member of asset @id (and its record): 1 when found. */
static int S_by_id(mtport_assets *as, long long id, S_plan *p,
                   mtport_buf *url) {
  mtport_asset_record rec;
  int rc = mtport_asset_records_by_id(as->records, id, &rec);
  if (rc < 0)
    return rc;
  mtport_buf_clear(url);
  if (rc == 1 && rec.url && mtport_buf_puts(url, rec.url))
    return MTPORT_ENOMEM;
  int64_t m = S_member_of(as, id);
  if (m < 0)
    return 0;
  p->member = m;
  p->asset_id = id;
  p->entry = rc == 1 ? rec.entry_id : 0;
  mtport_buf_clear(&p->mime);
  mtport_buf_clear(&p->name_url);
  int e = 0;
  if (rc == 1 && rec.mime_type)
    e |= mtport_buf_puts(&p->mime, rec.mime_type);
  e |= mtport_buf_puts(&p->name_url, url->len ? url->data : "");
  return e ? MTPORT_ENOMEM : 1;
}

/* The mirror's file for URL @u: 1 when found. */
static int S_by_mirror(mtport_assets *as, const char *u, S_plan *p) {
  if (!as->mirror)
    return 0;
  int fd;
  int rc = mtport_mirror_find(as->mirror, u, &fd, NULL);
  if (rc != 1)
    return rc;
  close(fd);
  mtport_buf_clear(&p->mirror);
  mtport_buf_clear(&p->name_url);
  if (mtport_buf_puts(&p->mirror, u) || mtport_buf_puts(&p->name_url, u))
    return MTPORT_ENOMEM;
  return 1;
}

/* A TypePad image's original (@u, its -pi form) from the backup's records
 * or the mirror: 1 when found (the plan says why it is used), 0, or < 0. */
static int S_by_original(mtport_assets *as, const char *u, S_plan *p) {
  int rc = S_by_record(as, u, p);
  if (rc == 0)
    rc = S_by_mirror(as, u, p);
  if (rc == 1 &&
      mtport_buf_printf(&p->reason,
                        "TypePad's original of this image, %s, is used", u))
    rc = MTPORT_ENOMEM;
  return rc;
}

/* Plans the source of URL @u: 1 found, 0 not, or an error. */
static int S_plan_one(mtport_assets *as, const char *u, S_plan *p) {
  p->member = -1;
  p->asset_id = p->entry = 0;
  mtport_buf_clear(&p->mirror);
  mtport_buf_clear(&p->reason);
  mtport_buf_clear(&p->mime);
  mtport_asset_url c;
  int rc = mtport_asset_url_classify(as->hosts, u, &c);
  if (rc)
    return rc;
  mtport_buf orig = MTPORT_BUF_INIT;
  int popup = (c.shape & MTPORT_SHAPE_POPUP) != 0;
  /* 1. the URL itself: the archive through its record, then the mirror
   * (a pop-up page is not what the reader wants: the image it shows is) */
  rc = popup ? 0 : S_by_record(as, u, p);
  if (rc == 0 && !popup)
    rc = S_by_mirror(as, u, p);
  /* 2. what it stands for: MT's thumbnails and pop-ups by the original's
   * asset id, TypePad's size variants and pop-ups by their original */
  if (rc == 0 && c.mt_asset_id) {
    rc = S_by_id(as, c.mt_asset_id, p, &orig);
    if (rc == 0 && orig.len)
      rc = S_by_mirror(as, orig.data, p);
    if (rc == 1)
      rc = mtport_buf_printf(&p->reason,
                             popup ? "MT's pop-up page: the image it shows "
                                     "(asset %lld)"
                                   : "MT's thumbnail is not in the backup: "
                                     "its original (asset %lld) is used",
                             c.mt_asset_id)
               ? MTPORT_ENOMEM
               : 1;
  }
  /* a TypePad xid names one file wherever it is served: the blog's own
   * host may have its original */
  if (rc == 0 && c.xid && as->site_url) {
    mtport_assets__url su;
    mtport_assets__split(as->site_url, &su);
    mtport_buf t = MTPORT_BUF_INIT;
    if (su.scheme_n && su.has_auth) {
      rc = mtport_buf_append(&t, as->site_url,
                             (size_t)(su.host + su.host_n - as->site_url) +
                                 (su.port_n ? su.port_n + 1 : 0));
      rc |= mtport_buf_printf(&t, "/.a/%s-pi", c.xid);
      if (!rc && strcmp(t.data, u) != 0 &&
          (!c.target || strcmp(t.data, c.target) != 0)) {
        rc = S_by_original(as, t.data, p);
      }
    }
    mtport_buf_dispose(&t);
  }
  /* ... or the blog host another post showed it on */
  size_t xi;
  if (rc == 0 && c.xid &&
      mtport_strset_find(as->xids, c.xid, strlen(c.xid), &xi) == 1) {
    mtport_buf t = MTPORT_BUF_INIT;
    rc = mtport_assets__load(as, as->xid_base[xi], &t);
    if (!rc)
      rc = mtport_buf_printf(&t, "/.a/%s-pi", c.xid) < 0 ? MTPORT_ENOMEM : 0;
    if (!rc && strcmp(t.data, u) != 0) {
      rc = S_by_original(as, t.data, p);
    }
    mtport_buf_dispose(&t);
  }
  if (rc == 0 && c.target) {
    rc = S_by_record(as, c.target, p);
    if (rc == 0)
      rc = S_by_mirror(as, c.target, p);
    if (rc == 1)
      rc = mtport_buf_printf(&p->reason,
                             popup ? "a pop-up page: the image it shows, %s"
                                   : "this size is not there: the original, "
                                     "%s, is used",
                             c.target)
               ? MTPORT_ENOMEM
               : 1;
  }
  mtport_buf_dispose(&orig);
  mtport_asset_url_dispose(&c);
  return rc;
}

/* The source of a plan, added when new: its index. */
static int S_source(mtport_assets *as, const S_plan *p, uint32_t url_idx,
                    uint32_t *idx) {
  mtport_buf key = MTPORT_BUF_INIT;
  int rc = p->member >= 0
               ? mtport_buf_printf(&key, "m:%lld", (long long)p->member)
               : mtport_buf_printf(&key, "f:%s", p->mirror.data);
  size_t k = 0;
  if (!rc)
    rc = mtport_strset_add(as->srcs, key.data, key.len, &k);
  mtport_buf_dispose(&key);
  if (rc < 0)
    return rc;
  *idx = (uint32_t)k;
  if (rc == 0)
    return MTPORT_OK;
  S_src sv, *s = &sv;
  memset(s, 0, sizeof *s);
  s->member = p->member;
  s->first_url = url_idx;
  s->status = S_UNPLANNED;
  s->asset_id = p->asset_id;
  s->entry = p->entry;
  as->n_s = k + 1;
  rc = mtport_assets__keep(as, p->name_url.data ? p->name_url.data : "",
                           p->name_url.len, &s->name_off);
  if (!rc && p->mime.len)
    rc = mtport_assets__keep(as, p->mime.data, p->mime.len, &s->mime_off);
  if (!rc)
    rc = mtport_assets__slot_put(&as->sslots, k, s);
  return rc;
}

/* Stores source @k from @rd/@src; output failures are returned. */
int mtport_assets__store_src(mtport_assets *as, uint32_t k, mtport_read_fn rd,
                             void *src, mtport_buf *tmp) {
  S_src sv, *s = &sv;
  int rc = mtport_assets__slot_get(&as->sslots, k, s);
  if (rc)
    return rc;
  mtport_buf name = MTPORT_BUF_INIT, mime = MTPORT_BUF_INIT;
  rc = mtport_assets__load(as, s->name_off, &name);
  if (!rc && s->mime_off)
    rc = mtport_assets__load(as, s->mime_off, &mime);
  mtport_host_class host = MTPORT_HOST_OWN;
  if (!rc && as->path_fn) {
    S_want first;
    rc = mtport_assets__slot_get(&as->wslots, s->first_url, &first);
    mtport_buf_clear(tmp);
    if (!rc)
      rc = as->path_fn(as->path_payload, name.data, first.post,
                       mime.len ? mime.data : NULL, tmp);
    if (!rc && !tmp->len)
      rc = mtport_buf_puts(tmp, "file");
  } else if (!rc) {
    host = mtport_asset_hosts_class(as->hosts, name.data);
    rc = mtport_asset_path_for_url(
        tmp, name.data, NULL,
        host == MTPORT_HOST_OWN ? 0 : MTPORT_ASSET_PATH_HOST);
  }
  mtport_asset_stored res;
  uint64_t max =
      as->limits.max_member ? as->limits.max_member : (uint64_t)4 << 30;
  if (!rc)
    rc = mtport_asset_store_put(
        as->store, tmp->data, mime.len ? mime.data : NULL, rd, src, max, &res);
  if (rc == MTPORT_ERROR) {
    s->status = res.source_rc == MTPORT_EUNSAFE ? MTPORT_ASSET_REFUSED
                                                : MTPORT_ASSET_FAILED;
    rc = mtport_assets__keep(
        as,
        res.source_rc == MTPORT_EUNSAFE
            ? "the file is larger than the limit for one file"
            : "its source could not be read whole",
        res.source_rc == MTPORT_EUNSAFE ? 46 : 35, &s->reason_off);
  } else if (rc == MTPORT_OK) {
    s->status = res.shared ? MTPORT_ASSET_SHARED : MTPORT_ASSET_COPIED;
    s->bytes = res.bytes;
    rc = mtport_assets__keep(as, res.path, strlen(res.path), &s->stored_off);
    if (!rc)
      rc = mtport_assets__keep(as, res.sha256, 64, &s->sha_off);
    if (!rc && !s->mime_off && res.mime)
      rc = mtport_assets__keep(as, res.mime, strlen(res.mime), &s->mime_off);
    if (!rc && !res.shared) {
      if (!(as->files = mtport_assets__grow(
                as->files, &as->cap_files, as->n_files + 1, sizeof *as->files)))
        rc = MTPORT_ENOMEM;
      else
        as->files[as->n_files++] = k;
    }
  } else if (rc == MTPORT_EEXISTS)
    mtport_assets__diag(
        as, MTPORT_SEV_FATAL, "output-exists", NULL, 0,
        "'%s' exists below the files folder; use --force to overwrite it",
        tmp->data);
  else if (rc == MTPORT_EUNSAFE)
    mtport_assets__diag(
        as, MTPORT_SEV_FATAL, "unsafe-path", NULL, 0,
        "refusing to write '%s': a folder on its way is a symlink or a "
        "file",
        tmp->data);
  else if (rc == MTPORT_EIO)
    mtport_assets__diag(as, MTPORT_SEV_FATAL, "write-failed", NULL, 0,
                        "cannot write '%s' below the files folder: %s",
                        tmp->data, strerror(errno));
  /* what changed goes back to its slot (failures of the output too) */
  int put = mtport_assets__slot_put(&as->sslots, k, s);
  mtport_buf_dispose(&name);
  mtport_buf_dispose(&mime);
  return rc ? rc : put;
}

/* Sets the status and reason of source @k. */
static int S_src_fail(mtport_assets *as, size_t k, int status,
                      const char *why) {
  S_src s;
  int rc = mtport_assets__slot_get(&as->sslots, k, &s);
  if (!rc) {
    s.status = (uint8_t)status;
    s.reason_off = 0;
    rc = mtport_assets__keep(as, why, strlen(why), &s.reason_off);
  }
  if (!rc)
    rc = mtport_assets__slot_put(&as->sslots, k, &s);
  return rc;
}

/* Second reading of the archive: its members that are sources, in its
 * own order. */
static int S_fetch_archive(mtport_assets *as, mtport_buf *tmp) {
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
  mtport_buf key = MTPORT_BUF_INIT;
  while ((rc = mtport_archive_next(a, &m)) == 1) {
    if (m->role != MTPORT_MEMBER_ASSET)
      continue;
    mtport_buf_clear(&key);
    size_t k;
    if (mtport_buf_printf(&key, "m:%llu", (unsigned long long)m->ordinal)) {
      rc = MTPORT_ENOMEM;
      break;
    }
    int f = mtport_strset_find(as->srcs, key.data, key.len, &k);
    if (f < 0) {
      rc = f;
      break;
    }
    if (f == 0)
      continue;
    if (m->refused) {
      if ((rc = S_src_fail(as, k, MTPORT_ASSET_REFUSED, m->refused)))
        break;
      continue;
    }
    if ((rc = mtport_assets__store_src(as, (uint32_t)k, mtport_archive_read, a,
                                       tmp)))
      break;
    S_src sv;
    if ((rc = mtport_assets__slot_get(&as->sslots, k, &sv)))
      break;
    if ((sv.status == MTPORT_ASSET_FAILED ||
         sv.status == MTPORT_ASSET_REFUSED) &&
        mtport_archive_error(a)[0] &&
        (rc = S_src_fail(as, k, sv.status, mtport_archive_error(a))))
      break;
  }
  if (rc < 0 && rc != MTPORT_ENOMEM && rc != MTPORT_EIO &&
      rc != MTPORT_EEXISTS && rc != MTPORT_EUNSAFE)
    mtport_assets__diag(as, MTPORT_SEV_ERROR, "archive-unreadable", as->archive,
                        0, "%s", mtport_archive_error(a));
  else if (rc == MTPORT_EUNSAFE && mtport_archive_error(a)[0])
    mtport_assets__diag(as, MTPORT_SEV_ERROR, "archive-unsafe", as->archive, 0,
                        "%s", mtport_archive_error(a));
  /* a damaged archive fails its files, not the run */
  int output = rc == MTPORT_ENOMEM || rc == MTPORT_EIO ||
               rc == MTPORT_EEXISTS ||
               (rc == MTPORT_EUNSAFE && !mtport_archive_error(a)[0]);
  mtport_archive_free(a);
  mtport_buf_dispose(&key);
  return output ? rc : MTPORT_OK;
}

/* The total a file of status @status counts in; an unplanned one (never
 * looked for), or a status this table does not know, counts as missing. */
static size_t *S_counter(mtport_assets_totals *c, unsigned status) {
  size_t *by[MTPORT_ASSET_STATUS_COUNT] = {
      [MTPORT_ASSET_COPIED] = &c->copied,
      [MTPORT_ASSET_SHARED] = &c->shared,
      [MTPORT_ASSET_MISSING] = &c->missing,
      [MTPORT_ASSET_EXTERNAL] = &c->external,
      [MTPORT_ASSET_REFUSED] = &c->refused,
      [MTPORT_ASSET_FAILED] = &c->failed,
      [MTPORT_ASSET_FETCHED] = &c->fetched,
      [MTPORT_ASSET_CACHED] = &c->cached,
      [MTPORT_ASSET_TOO_LARGE] = &c->too_large,
  };
  size_t *n = status < MTPORT_ASSET_STATUS_COUNT ? by[status] : NULL;
  return n ? n : &c->missing;
}

int mtport_assets_fetch(mtport_assets *as, const char *root,
                        unsigned store_flags) {
  if (!as || !root || as->fetched)
    return MTPORT_EINVALID;
  as->fetched = 1;
  int rc = mtport_asset_records_finish(as->records);
  if (rc)
    return rc;
  size_t n = mtport_strset_count(as->wanted);
  mtport_buf url = MTPORT_BUF_INIT, tmp = MTPORT_BUF_INIT;
  S_plan p = {-1, MTPORT_BUF_INIT, MTPORT_BUF_INIT, MTPORT_BUF_INIT, 0,
              0,  MTPORT_BUF_INIT};
  int need_archive = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    S_want wv, *w = &wv;
    if ((rc = mtport_assets__slot_get(&as->wslots, i, w)))
      break;
    if (w->host == MTPORT_HOST_EXTERNAL && !as->external)
      w->status = MTPORT_ASSET_EXTERNAL;
    else if (!(rc = mtport_assets__load(as, w->url_off, &url))) {
      int found = S_plan_one(as, url.data, &p);
      uint32_t k;
      if (found < 0)
        rc = found;
      else if (found == 0 && as->fetching) /* the third source */
        rc = mtport_assets__fetch_plan(as, (uint32_t)i, url.data, w);
      else if (found == 0)
        w->status = MTPORT_ASSET_MISSING;
      else if (!(rc = S_source(as, &p, (uint32_t)i, &k))) {
        w->src = k;
        need_archive |= p.member >= 0;
        if (p.reason.len)
          rc = mtport_assets__keep(as, p.reason.data, p.reason.len,
                                   &w->reason_off);
      }
    }
    if (!rc)
      rc = mtport_assets__slot_put(&as->wslots, i, w);
  }
  if (!rc && as->n_s) {
    rc = mtport_asset_store_new(&as->store, root, store_flags);
    if (!rc && as->sniff)
      mtport_asset_store_set_sniffer(as->store, as->sniff, as->sniff_payload);
    if (rc)
      mtport_assets__diag(as, MTPORT_SEV_FATAL, "write-failed", root, 0,
                          "cannot make the files folder '%s': %s", root,
                          strerror(errno));
  }
  if (!rc && need_archive && as->archive)
    rc = S_fetch_archive(as, &tmp);
  /* the mirror's files, in the order they were first wanted */
  for (size_t k = 0; !rc && k < as->n_s; k++) {
    S_src sv, *s = &sv;
    if ((rc = mtport_assets__slot_get(&as->sslots, k, s)))
      break;
    if (s->member == MTPORT_ASSETS__DOWNLOAD) {
      rc = mtport_assets__fetch_store(as, (uint32_t)k, &tmp);
      continue;
    }
    if (s->member >= 0) {
      if (s->status == S_UNPLANNED)
        rc = S_src_fail(as, k, MTPORT_ASSET_FAILED,
                        "the archive ended before this member");
      continue;
    }
    if ((rc = mtport_assets__load(as, s->name_off, &url)))
      break;
    int fd = -1;
    int f = mtport_mirror_find(as->mirror, url.data, &fd, NULL);
    if (f != 1) {
      rc = f < 0 ? f
                 : S_src_fail(as, k, MTPORT_ASSET_FAILED,
                              "the mirror's file went away");
      continue;
    }
    rc = mtport_assets__store_src(as, (uint32_t)k, mtport_fd_read, &fd, &tmp);
    close(fd);
  }
  /* each URL's row */
  for (size_t i = 0; !rc && i < n; i++) {
    S_want wv, *w = &wv;
    if ((rc = mtport_assets__slot_get(&as->wslots, i, w)) ||
        (rc = mtport_assets__load(as, w->url_off, &url)))
      break;
    mtport_asset_row row = {url.data, MTPORT_ASSET_MISSING, NULL, NULL, 0, NULL,
                            NULL};
    mtport_buf src = MTPORT_BUF_INIT, stored = MTPORT_BUF_INIT,
               sha = MTPORT_BUF_INIT, reason = MTPORT_BUF_INIT,
               first = MTPORT_BUF_INIT;
    if (w->status == MTPORT_ASSET_EXTERNAL) {
      row.status = MTPORT_ASSET_EXTERNAL;
      row.reason = "on another host (--assets-external copies such files)";
    } else if (w->status == MTPORT_ASSET_MISSING) {
      row.reason = as->mirror || as->archive
                       ? "no source has this file"
                       : "no source given (a backup archive or --assets-from)";
    } else {
      S_src sv, *s = &sv;
      if ((rc = mtport_assets__slot_get(&as->sslots, w->src, s)))
        break;
      w->status = s->status;
      mtport_asset_record rec;
      if (s->member >= 0) /* the member's name: "<id>-<file_name>" */
        rc = mtport_asset_records_by_id(as->records, s->asset_id, &rec) == 1
                 ? mtport_buf_printf(&src, "backup:%lld-%s", s->asset_id,
                                     rec.file_name ? rec.file_name : "")
                 : mtport_buf_printf(&src, "backup:asset %lld", s->asset_id);
      else {
        rc = mtport_assets__load(as, s->name_off, &first);
        if (!rc)
          rc = mtport_buf_printf(
              &src, "%s:%s",
              s->member == MTPORT_ASSETS__DOWNLOAD ? "fetch" : "mirror",
              first.data);
      }
      row.source = src.data;
      if (s->stored_off) {
        rc |= mtport_assets__load(as, s->stored_off, &stored);
        rc |= mtport_assets__load(as, s->sha_off, &sha);
        row.stored = stored.data;
        row.sha256 = sha.data;
        row.bytes = s->bytes;
      }
      if ((s->status == MTPORT_ASSET_COPIED ||
           s->status == MTPORT_ASSET_FETCHED ||
           s->status == MTPORT_ASSET_CACHED) &&
          s->first_url != i) {
        w->status = MTPORT_ASSET_SHARED;
        S_want fw;
        memset(&fw, 0, sizeof fw);
        if (!rc)
          rc = mtport_assets__slot_get(&as->wslots, s->first_url, &fw);
        if (!rc)
          rc = mtport_assets__load(as, fw.url_off, &first);
        if (!rc)
          rc = mtport_buf_printf(&reason, "the same file as %s", first.data);
      } else if (s->status == MTPORT_ASSET_SHARED)
        rc |= mtport_buf_printf(&reason,
                                "the same content as %s, stored "
                                "once",
                                stored.data ? stored.data : "another file");
      else if (s->reason_off)
        rc |= mtport_assets__load(as, s->reason_off, &reason);
      if (w->reason_off) {
        mtport_buf r2 = MTPORT_BUF_INIT;
        rc |= mtport_assets__load(as, w->reason_off, &r2);
        if (reason.len)
          rc |= mtport_buf_puts(&r2, "; ");
        rc |=
            mtport_buf_append(&r2, reason.data ? reason.data : "", reason.len);
        mtport_buf_dispose(&reason);
        reason = r2;
      }
      row.status = (mtport_asset_status)w->status;
      row.reason = reason.len ? reason.data : NULL;
    }
    if (!rc)
      rc = mtport_asset_report_set(as->report, &row);
    if (!rc) /* rewriting reads the final status */
      rc = mtport_assets__slot_put(&as->wslots, i, w);
    (*S_counter(&as->counts, w->status))++;
    mtport_buf_dispose(&src);
    mtport_buf_dispose(&stored);
    mtport_buf_dispose(&sha);
    mtport_buf_dispose(&reason);
    mtport_buf_dispose(&first);
  }
  if (as->store)
    mtport_asset_store_counts(as->store, NULL, NULL, &as->counts.bytes);
  mtport_assets__fetch_done(as);
  mtport_buf_dispose(&url);
  mtport_buf_dispose(&tmp);
  mtport_buf_dispose(&p.mirror);
  mtport_buf_dispose(&p.name_url);
  mtport_buf_dispose(&p.mime);
  mtport_buf_dispose(&p.reason);
  return rc;
}
