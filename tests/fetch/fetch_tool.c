/* Drives the fetcher (src/assets/fetch.h) for the tests and the benchmark:
 * one want per line of stdin (candidates separated by spaces; "page:" marks
 * a pop-up page, "img:" a candidate that must be an image), one result per
 * line of stdout in submission order, the counts on stderr.
 *
 * usage: fetch_tool --cache DIR --host H... [--jobs N] [--retries N]
 *   [--connect-ms N] [--timeout-ms N] [--stall-s N] [--max-size N]
 *   [--backoff-ms N] [--backoff-max-ms N] [--retry-after-max-s N]
 *   [--offline] [--retry-failed] [--revalidate] [--insecure] [--progress]
 *
 * Output columns: index, error, source, candidate, HTTP status, size,
 * sha256, mime, ext, final URL, shown URL, path (below the cache), reason.
 * The path is the one field with the cache folder in it: below it, the
 * output is the same whatever folder the test gives. */
#include "assets/fetch.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HOSTS 16

static void progress(uint64_t done, uint64_t total, uint64_t bytes, void *p) {
  (void)p;
  fprintf(stderr, "progress %llu/%llu %llu\n", (unsigned long long)done,
          (unsigned long long)total, (unsigned long long)bytes);
}

static const char *or_dash(const char *s) { return s && *s ? s : "-"; }

int main(int argc, char **argv) {
  mtport_fetch_options o;
  mtport_fetch__options_init(&o);
  const char *hosts[MAX_HOSTS];
  size_t n_hosts = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    int used = 1;
    if (!strcmp(a, "--cache") && v)
      o.cache_dir = v;
    else if (!strcmp(a, "--host") && v && n_hosts < MAX_HOSTS)
      hosts[n_hosts++] = v;
    else if (!strcmp(a, "--jobs") && v)
      o.jobs = (unsigned)atoi(v);
    else if (!strcmp(a, "--retries") && v)
      o.retries = (unsigned)atoi(v);
    else if (!strcmp(a, "--connect-ms") && v)
      o.connect_ms = atol(v);
    else if (!strcmp(a, "--timeout-ms") && v)
      o.timeout_ms = atol(v);
    else if (!strcmp(a, "--stall-s") && v)
      o.stall_s = atol(v);
    else if (!strcmp(a, "--max-size") && v)
      o.max_size = strtoull(v, NULL, 10);
    else if (!strcmp(a, "--backoff-ms") && v)
      o.backoff_ms = atol(v);
    else if (!strcmp(a, "--backoff-max-ms") && v)
      o.backoff_max_ms = atol(v);
    else if (!strcmp(a, "--retry-after-max-s") && v)
      o.retry_after_max_s = atol(v);
    else {
      used = 0;
      if (!strcmp(a, "--offline"))
        o.mode = MTPORT_FETCH_OFFLINE;
      else if (!strcmp(a, "--retry-failed"))
        o.mode = MTPORT_FETCH_RETRY_FAILED;
      else if (!strcmp(a, "--revalidate"))
        o.revalidate = 1;
      else if (!strcmp(a, "--insecure"))
        o.insecure = 1;
      else if (!strcmp(a, "--progress"))
        o.progress = progress;
      else {
        fprintf(stderr, "fetch_tool: unknown argument %s\n", a);
        return 2;
      }
    }
    i += used;
  }
  o.hosts = hosts;
  o.n_hosts = n_hosts;
  mtport_buf err = MTPORT_BUF_INIT;
  mtport_fetch *f;
  int rc = mtport_fetch__new(&f, &o, &err);
  if (rc) {
    fprintf(stderr, "fetch_tool: %s (%s)\n", err.data ? err.data : "failed",
            mtport_strerror(rc));
    mtport_buf_dispose(&err);
    return 2;
  }
  mtport_buf_dispose(&err);

  /* every want first, so downloads overlap; then the results in order */
  char line[8192];
  size_t n = 0;
  while (fgets(line, sizeof line, stdin)) {
    mtport_fetch_candidate c[16];
    size_t k = 0;
    for (char *t = strtok(line, " \t\r\n"); t && k < 16;
         t = strtok(NULL, " \t\r\n")) {
      c[k].flags = 0;
      if (!strncmp(t, "page:", 5))
        c[k].flags = MTPORT_FETCH_PAGE, t += 5;
      else if (!strncmp(t, "img:", 4))
        c[k].flags = MTPORT_FETCH_IMAGE, t += 4;
      c[k++].url = t;
    }
    if (!k)
      continue;
    size_t id;
    if (mtport_fetch__want(f, c, k, &id) || id != n) {
      fprintf(stderr, "fetch_tool: want %zu refused\n", n);
      return 2;
    }
    n++;
  }
  size_t cl = strlen(o.cache_dir);
  for (size_t i = 0; i < n; i++) {
    const mtport_fetch_result *r = mtport_fetch__wait(f, i);
    if (!r) {
      fprintf(stderr, "fetch_tool: no result for %zu\n", i);
      return 2;
    }
    const char *path = r->path;
    if (path && !strncmp(path, o.cache_dir, cl) && path[cl] == '/')
      path += cl + 1;
    printf("%zu\t%s\t%s\t%u\t%ld\t%llu\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", i,
           mtport_fetch__error_name(r->error),
           mtport_fetch__source_name(r->source), r->candidate, r->http_status,
           (unsigned long long)r->size, or_dash(r->sha256), or_dash(r->mime),
           or_dash(r->ext), or_dash(r->final_url), or_dash(r->shown_url),
           or_dash(path), or_dash(r->reason));
    mtport_fetch__release(f, i);
  }
  mtport_fetch__drain(f);
  mtport_fetch_stats st;
  mtport_fetch__stats(f, &st);
  fprintf(stderr,
          "stats wants=%llu done=%llu fetched=%llu cached=%llu "
          "revalidated=%llu failed=%llu requests=%llu bytes=%llu\n",
          (unsigned long long)st.wants, (unsigned long long)st.done,
          (unsigned long long)st.fetched, (unsigned long long)st.cached,
          (unsigned long long)st.revalidated, (unsigned long long)st.failed,
          (unsigned long long)st.requests, (unsigned long long)st.bytes);
  mtport_fetch__free(f);
  return 0;
}
