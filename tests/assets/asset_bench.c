/* Benchmarks of the asset layer on a backup made by
 * `make_samples.py --bench DIR POSTS ASSETS`, run by hand under
 * /usr/bin/time (README of tests/assets/bench.sh):
 *
 *   asset_bench read ARCHIVE          every member read, nothing kept
 *   asset_bench store ARCHIVE DIR     every asset member into a store
 *   asset_bench resolve ARCHIVE DIR   the resolver: scan, posts collected
 *                                     (read back from the spooled XML),
 *                                     fetch, every post rewritten, report
 *   asset_bench links N               N old permalinks in a link index,
 *                                     each looked up in another form
 *
 * Each prints what it did and MB/s of member bytes. */
#include "mtport/mtport.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double S_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void S_diag(const mtport_diag *d, void *p) {
  (void)p;
  if (d->severity >= MTPORT_SEV_ERROR)
    fprintf(stderr, "%s: %s [%s]\n", mtport_severity_name(d->severity),
            d->message, d->code);
}

static int S_read(const char *path) {
  mtport_archive *a = NULL;
  if (mtport_archive_open(&a, path, NULL)) {
    fprintf(stderr, "%s\n", mtport_archive_error(a));
    mtport_archive_free(a);
    return 1;
  }
  double t0 = S_now();
  static char buf[1 << 16];
  const mtport_archive_member *m;
  uint64_t bytes = 0, members = 0;
  int rc;
  while ((rc = mtport_archive_next(a, &m)) == 1) {
    size_t got;
    members++;
    while (mtport_archive_read(a, buf, sizeof buf, &got) == MTPORT_OK && got)
      bytes += got;
  }
  double dt = S_now() - t0;
  printf("read: %llu members, %.1f MB in %.2f s: %.1f MB/s%s\n",
         (unsigned long long)members, (double)bytes / 1e6, dt,
         (double)bytes / 1e6 / dt, rc ? " (error)" : "");
  mtport_archive_free(a);
  return rc != 0;
}

static int S_store(const char *path, const char *dir) {
  mtport_archive *a = NULL;
  mtport_asset_store *st = NULL;
  if (mtport_archive_open(&a, path, NULL) ||
      mtport_asset_store_new(&st, dir, 0)) {
    fprintf(stderr, "cannot open %s or %s\n", path, dir);
    mtport_archive_free(a);
    return 1;
  }
  double t0 = S_now();
  const mtport_archive_member *m;
  uint64_t bytes = 0;
  size_t n = 0;
  int rc;
  mtport_buf want = MTPORT_BUF_INIT;
  while ((rc = mtport_archive_next(a, &m)) == 1) {
    if (m->role != MTPORT_MEMBER_ASSET)
      continue;
    mtport_buf_clear(&want);
    mtport_buf_printf(&want, "assets/%s", m->file_name);
    mtport_asset_stored res;
    if (mtport_asset_store_put(st, want.data, NULL, mtport_archive_read, a, 0,
                               &res)) {
      fprintf(stderr, "store failed on %s\n", m->name);
      rc = -1;
      break;
    }
    bytes += res.bytes;
    n++;
  }
  double dt = S_now() - t0;
  size_t written, shared;
  mtport_asset_store_counts(st, &written, &shared, NULL);
  printf("store: %zu assets (%zu files, %zu shared), %.1f MB in %.2f s: "
         "%.1f MB/s, %.0f files/s\n",
         n, written, shared, (double)bytes / 1e6, dt, (double)bytes / 1e6 / dt,
         (double)n / dt);
  mtport_buf_dispose(&want);
  mtport_asset_store_free(st);
  mtport_archive_free(a);
  return rc != 0;
}

static int S_resolve(const char *path, const char *dir) {
  double t0 = S_now();
  mtport_assets_options o = MTPORT_ASSETS_OPTIONS_INIT;
  o.site_url = "http://example.com/blog/";
  o.archive = path;
  o.diag = S_diag;
  mtport_assets *as = NULL;
  if (mtport_assets_new(&as, &o) || mtport_assets_scan_archive(as) ||
      mtport_assets_xml_count(as) < 1) {
    mtport_assets_free(as);
    return 1;
  }
  double t1 = S_now();
  /* the spooled XML part to a file the reader can open */
  char xml[4096];
  const char *t = getenv("TMPDIR");
  snprintf(xml, sizeof xml, "%s/mtport-asset-bench-%ld.xml",
           t && *t ? t : "/tmp", (long)getpid());
  int fd;
  mtport_assets_xml_open(as, 0, &fd, NULL, NULL);
  FILE *in = fdopen(fd, "rb"), *out = fopen(xml, "wb");
  static char buf[1 << 16];
  size_t k;
  while (in && out && (k = fread(buf, 1, sizeof buf, in)) > 0)
    fwrite(buf, 1, k, out);
  if (in)
    fclose(in);
  if (out)
    fclose(out);
  mtport_reader_options ro = MTPORT_READER_OPTIONS_INIT;
  mtport_reader *r = NULL;
  const mtport_post *p;
  size_t posts = 0;
  if (mtport_reader_open(&r, xml, &ro) == MTPORT_OK)
    while (mtport_reader_next(r, &p) == 1) {
      char nu[64];
      snprintf(nu, sizeof nu, "/posts/%lld/", p->entry_id);
      if (p->permalink)
        mtport_assets_add_link(as, p->permalink, MTPORT_LINK_POST, nu);
      if (p->body.text)
        mtport_assets_collect(as, p, "body", p->body.text, strlen(p->body.text),
                              NULL);
      posts++;
    }
  mtport_reader_free(r);
  double t2 = S_now();
  int rc = mtport_assets_fetch(as, dir, 0);
  double t3 = S_now();
  mtport_buf html = MTPORT_BUF_INIT;
  unsigned long rewritten = 0;
  if (mtport_reader_open(&r, xml, &ro) == MTPORT_OK)
    while (mtport_reader_next(r, &p) == 1) {
      mtport_assets_found f = MTPORT_ASSETS_FOUND_INIT;
      mtport_buf_clear(&html);
      if (p->body.text)
        mtport_assets_rewrite(as, p, "body", p->body.text, strlen(p->body.text),
                              NULL, &html, &f);
      rewritten += f.assets;
      mtport_assets_found_dispose(&f);
    }
  mtport_reader_free(r);
  unlink(xml);
  double t4 = S_now();
  FILE *rep = tmpfile();
  mtport_assets_write_report(as, rep);
  fclose(rep);
  double t5 = S_now();
  mtport_assets_totals tot;
  mtport_assets_counts(as, &tot);
  printf("resolve: %zu posts; scan %.2f s, collect %.2f s, fetch %.2f s "
         "(%zu copied, %zu shared, %zu missing, %.1f MB), rewrite %.2f s "
         "(%lu references), report %.2f s\n",
         posts, t1 - t0, t2 - t1, t3 - t2, tot.copied, tot.shared, tot.missing,
         (double)tot.bytes / 1e6, t4 - t3, rewritten, t5 - t4);
  mtport_buf_dispose(&html);
  mtport_assets_free(as);
  return rc != 0;
}

static int S_links(long n) {
  mtport_link_index *ix = NULL;
  if (mtport_link_index_new(&ix))
    return 1;
  char url[128];
  double t0 = S_now();
  for (long i = 0; i < n; i++) {
    snprintf(url, sizeof url,
             "http://example.com/blog/%04ld/%02ld/post-number-%ld.html",
             2000 + i % 20, 1 + i % 12, i);
    mtport_link_index_add(ix, url, MTPORT_LINK_POST, (uint64_t)i, NULL, NULL);
  }
  double t1 = S_now();
  long found = 0;
  for (long i = 0; i < n; i++) {
    snprintf(url, sizeof url,
             "https://www.example.com/blog/%04ld/%02ld/post-number-%ld/",
             2000 + i % 20, 1 + i % 12, i);
    mtport_link_kind k;
    uint64_t v;
    found += mtport_link_index_find(ix, url, NULL, &k, &v, NULL) == 1 &&
             v == (uint64_t)i;
  }
  double t2 = S_now();
  printf("links: %ld added in %.2f s, %ld of %ld found in another form in "
         "%.2f s\n",
         n, t1 - t0, found, n, t2 - t1);
  mtport_link_index_free(ix);
  return found != n;
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "links"))
    return S_links(atol(argv[2]));
  if (argc == 3 && !strcmp(argv[1], "read"))
    return S_read(argv[2]);
  if (argc == 4 && !strcmp(argv[1], "store"))
    return S_store(argv[2], argv[3]);
  if (argc == 4 && !strcmp(argv[1], "resolve"))
    return S_resolve(argv[2], argv[3]);
  fprintf(stderr, "usage: asset_bench read ARCHIVE | store ARCHIVE DIR | "
                  "resolve ARCHIVE DIR | links N\n");
  return 2;
}
