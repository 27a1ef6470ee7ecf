/* Drives the resolver with fetching on (include/mtport/assets.h,
 * mtport_assets_set_fetch()) through its public API alone, for the tests:
 * each POST file is the HTML body of one post (entry N, permalink
 * SITE/post-N.html); the files land in OUT/files (reached as /files/...),
 * each rewritten body in OUT/post-N.html, the report in
 * OUT/mtport-assets.tsv.
 *
 * usage: resolve_tool --site URL --out DIR --cache DIR [--jobs N]
 *   [--retries N] [--max-size N] [--stall-s N] [--connect-ms N]
 *   [--mirror DIR] [--asset-host H] [--offline] [--retry-failed]
 *   [--insecure] [--strict] [--external] [--no-fetch] [--bar] POST...
 *
 * stdout: "totals" and the counts as key=value; stderr: one line per
 * diagnostic ("diag SEVERITY CODE MESSAGE"), then per finding of a post.
 * Exit status: 0, 1 when a diagnostic was an error, 2 on a failure. */
#include "../slurp.h"
#include "mtport/assets.h"
#include "mtport/model.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int errors;

static void sink(const mtport_diag *d, void *p) {
  (void)p;
  if (d->severity >= MTPORT_SEV_ERROR)
    errors++;
  fprintf(stderr, "diag %s %s %s\n", mtport_severity_name(d->severity),
          d->code ? d->code : "-", d->message ? d->message : "");
}

int main(int argc, char **argv) {
  mtport_assets_options o = MTPORT_ASSETS_OPTIONS_INIT;
  mtport_assets_fetch_options fo = MTPORT_ASSETS_FETCH_OPTIONS_INIT;
  const char *out = NULL, *hosts[8];
  size_t n_hosts = 0;
  int fetch = 1, first_post = argc;
  mtport_assets_bar bar = {stderr, 0};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    int used = 1;
    if (!strcmp(a, "--site") && v)
      o.site_url = v;
    else if (!strcmp(a, "--out") && v)
      out = v;
    else if (!strcmp(a, "--cache") && v)
      fo.cache_dir = v;
    else if (!strcmp(a, "--jobs") && v)
      fo.jobs = (unsigned)atoi(v);
    else if (!strcmp(a, "--retries") && v)
      fo.retries = atoi(v);
    else if (!strcmp(a, "--max-size") && v)
      fo.max_size = strtoull(v, NULL, 10);
    else if (!strcmp(a, "--stall-s") && v)
      fo.stall_timeout_s = atol(v);
    else if (!strcmp(a, "--connect-ms") && v)
      fo.connect_timeout_ms = atol(v);
    else if (!strcmp(a, "--mirror") && v)
      o.mirror = v;
    else if (!strcmp(a, "--asset-host") && v && n_hosts < 8)
      hosts[n_hosts++] = v;
    else {
      used = 0;
      if (!strcmp(a, "--offline"))
        fo.offline = 1;
      else if (!strcmp(a, "--retry-failed"))
        fo.retry_failed = 1;
      else if (!strcmp(a, "--insecure"))
        fo.insecure = 1;
      else if (!strcmp(a, "--strict"))
        fo.strict = 1;
      else if (!strcmp(a, "--external"))
        o.external = 1;
      else if (!strcmp(a, "--no-fetch"))
        fetch = 0;
      else if (!strcmp(a, "--bar")) {
        fo.progress = mtport_assets_progress_bar;
        fo.progress_payload = &bar;
      } else if (a[0] == '-') {
        fprintf(stderr, "unknown option %s\n", a);
        return 2;
      } else {
        first_post = i;
        break;
      }
      continue;
    }
    i += used;
  }
  if (!out || !o.site_url) {
    fprintf(stderr, "usage: resolve_tool --site URL --out DIR --cache DIR "
                    "POST...\n");
    return 2;
  }
  o.asset_hosts = hosts;
  o.n_asset_hosts = n_hosts;
  o.diag = sink;
  o.url_prefix = "/files/";
  mtport_assets *as = NULL;
  int rc = mtport_assets_new(&as, &o);
  if (!rc && fetch)
    rc = mtport_assets_set_fetch(as, &fo);
  int n = argc - first_post;
  mtport_post **posts = calloc((size_t)(n > 0 ? n : 1), sizeof *posts);
  char **bodies = calloc((size_t)(n > 0 ? n : 1), sizeof *bodies);
  size_t *lens = calloc((size_t)(n > 0 ? n : 1), sizeof *lens);
  mtport_buf path = MTPORT_BUF_INIT;
  /* step 2: every post, in order */
  for (int i = 0; !rc && i < n; i++) {
    mtport_post *p = posts[i] = mtport_post_new();
    if (!p || !(bodies[i] = t_slurp(argv[first_post + i], &lens[i]))) {
      rc = MTPORT_EIO;
      break;
    }
    p->ordinal = (unsigned long)i + 1;
    p->entry_id = i + 1;
    mtport_buf_clear(&path);
    mtport_buf_printf(&path, "%spost-%d.html", o.site_url, i + 1);
    p->permalink = mtport_buf_detach(&path);
    rc = mtport_assets_collect(as, p, "body", bodies[i], lens[i], NULL);
  }
  /* step 3 */
  if (!rc) {
    mkdir(out, 0777);
    mtport_buf_clear(&path);
    mtport_buf_printf(&path, "%s/files", out);
    rc = mtport_assets_fetch(as, path.data, 0);
    mtport_assets_bar_end(&bar);
  }
  /* step 4 */
  mtport_buf html = MTPORT_BUF_INIT;
  for (int i = 0; !rc && i < n; i++) {
    mtport_assets_found found = MTPORT_ASSETS_FOUND_INIT;
    mtport_buf_clear(&html);
    rc = mtport_assets_rewrite(as, posts[i], "body", bodies[i], lens[i], NULL,
                               &html, &found);
    if (!rc) {
      mtport_assets_found_report(&found, posts[i], sink, NULL);
      mtport_buf_clear(&path);
      mtport_buf_printf(&path, "%s/post-%d.html", out, i + 1);
      FILE *f = fopen(path.data, "wb");
      if (!f || fwrite(html.data ? html.data : "", 1, html.len, f) != html.len)
        rc = MTPORT_EIO;
      if (f && fclose(f))
        rc = MTPORT_EIO;
    }
    mtport_assets_found_dispose(&found);
  }
  /* step 5 */
  if (!rc) {
    mtport_buf_clear(&path);
    mtport_buf_printf(&path, "%s/mtport-assets.tsv", out);
    FILE *f = fopen(path.data, "wb");
    rc = f ? mtport_assets_write_report(as, f) : MTPORT_EIO;
    if (f && fclose(f))
      rc = MTPORT_EIO;
    mtport_assets_totals t;
    mtport_assets_counts(as, &t);
    printf("totals referenced=%zu copied=%zu shared=%zu missing=%zu "
           "external=%zu refused=%zu failed=%zu fetched=%zu cached=%zu "
           "too_large=%zu requests=%llu downloaded=%llu bytes=%llu\n",
           t.referenced, t.copied, t.shared, t.missing, t.external, t.refused,
           t.failed, t.fetched, t.cached, t.too_large,
           (unsigned long long)t.requests, (unsigned long long)t.downloaded,
           (unsigned long long)t.bytes);
  }
  for (int i = 0; i < n; i++) {
    mtport_post_free(posts[i]);
    free(bodies[i]);
  }
  free(posts);
  free(bodies);
  free(lens);
  mtport_buf_dispose(&path);
  mtport_buf_dispose(&html);
  mtport_assets_free(as);
  if (rc) {
    fprintf(stderr, "resolve_tool: failed (%d)\n", rc);
    return 2;
  }
  return errors ? 1 : 0;
}
