/* mtport convert's --fetch-assets and its options: the resolver's third
 * source (mtport_assets_set_fetch(), through mtport_assets_options.fetch),
 * its cache beside the output, a progress bar on a terminal, and the
 * summary of what was downloaded. */
#include "cli.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "200M", "1G", "100000": bytes; 0 when malformed. */
static uint64_t S_size(const char *v) {
  char *end;
  if (!v || v[0] == '-')
    return 0;
  unsigned long long n = strtoull(v, &end, 10);
  if (end == v)
    return 0;
  int shift = 0;
  if (*end == 'K' || *end == 'k')
    shift = 10;
  else if (*end == 'M' || *end == 'm')
    shift = 20;
  else if (*end == 'G' || *end == 'g')
    shift = 30;
  if (shift)
    end++;
  if (*end || n > (UINT64_MAX >> shift))
    return 0;
  return (uint64_t)n << shift;
}

static long S_count(const char *v, long max) {
  char *end;
  if (!v || !*v)
    return -1;
  long n = strtol(v, &end, 10);
  return *end || n < 0 || n > max ? -1 : n;
}

int cli_fetch_opt(const cli_opt *o, const char *val, cli_fetch *f, int *code) {
  const char *n = o->name;
  *code = 0;
  if (!strcmp(n, "--fetch-assets"))
    f->on = 1;
  else if (!strcmp(n, "--offline"))
    f->on = f->offline = 1;
  else if (!strcmp(n, "--retry-failed"))
    f->on = f->retry_failed = 1;
  else if (!strcmp(n, "--insecure"))
    f->insecure = f->tuned = 1;
  else if (!strcmp(n, "--strict-assets"))
    f->strict = f->tuned = 1;
  else if (!strcmp(n, "--cache"))
    f->cache = val, f->tuned = 1;
  else if (!strcmp(n, "--fetch-jobs") || !strcmp(n, "--retries")) {
    int jobs = n[2] == 'f';
    long v = S_count(val, jobs ? 64 : 100);
    if (v < (jobs ? 1 : 0)) {
      fprintf(stderr,
              "mtport convert: %s takes a number from %d to %d, not "
              "'%s'\n",
              n, jobs, jobs ? 64 : 100, val);
      *code = MTPORT_EXIT_USAGE;
    } else if (jobs)
      f->jobs = v;
    else
      f->retries = v, f->retries_set = 1;
    f->tuned = 1;
  } else if (!strcmp(n, "--max-asset-size")) {
    if (!(f->max_size = S_size(val))) {
      fprintf(stderr,
              "mtport convert: --max-asset-size takes a size such as 200M "
              "or 1G, not '%s'\n",
              val);
      *code = MTPORT_EXIT_USAGE;
    }
    f->tuned = 1;
  } else
    return 0;
  return 1;
}

/* On the downloader's thread: the bar, and the flag that makes the next
 * diagnostic (and the end of the run) clear its line first. */
static void S_bar(void *payload, uint64_t done, uint64_t total,
                  uint64_t bytes) {
  cli_fetch *f = payload;
  cli_term_lock();
  mtport_assets_progress_bar(&f->bar, done, total, bytes);
  f->rep->progress_shown = 1;
  cli_term_unlock();
}

int cli_fetch_setup(cli_fetch *f, mtport_run_options *ro, cli_report *rep) {
  f->rep = rep;
  if (!f->on) {
    if (f->tuned) {
      fprintf(stderr, "mtport convert: --fetch-jobs, --retries, "
                      "--max-asset-size, --cache, --insecure and "
                      "--strict-assets need --fetch-assets\n");
      return MTPORT_EXIT_USAGE;
    }
    return 0;
  }
  if (ro->assets == MTPORT_RUN_ASSETS_OFF) {
    fprintf(stderr,
            "mtport convert: --fetch-assets and --no-assets contradict\n");
    return MTPORT_EXIT_USAGE;
  }
  mtport_assets_fetch_options o = MTPORT_ASSETS_FETCH_OPTIONS_INIT;
  if (!f->cache) {
    /* beside the output: a rerun into a fresh folder finds it */
    const char *out = ro->output && strcmp(ro->output, "-") ? ro->output : "";
    size_t len = strlen(out);
    while (len > 1 && out[len - 1] == '/')
      len--;
    while (len && out[len - 1] != '/')
      len--;
    f->cache_owned = malloc(len + sizeof ".mtport-cache");
    if (!f->cache_owned)
      return MTPORT_EXIT_INPUT;
    memcpy(f->cache_owned, out, len);
    memcpy(f->cache_owned + len, ".mtport-cache", sizeof ".mtport-cache");
    f->cache = f->cache_owned;
  }
  o.cache_dir = f->cache;
  o.jobs = (unsigned)f->jobs;
  o.retries = f->retries_set ? (int)f->retries : -1;
  o.max_size = f->max_size;
  o.offline = f->offline;
  o.retry_failed = f->retry_failed;
  o.insecure = f->insecure;
  o.strict = f->strict;
  if (isatty(2) && !rep->quiet && !rep->json) {
    f->bar.out = stderr;
    o.progress = S_bar;
    o.progress_payload = f;
  }
  f->opts = o;
  ro->assets_opts.fetch = &f->opts;
  ro->assets = MTPORT_RUN_ASSETS_ON;
  return 0;
}

void cli_fetch_summary(cli_fetch *f, const mtport_run_result *res) {
  if (!f->on || !res->assets_used)
    return;
  const mtport_assets_totals *t = &res->assets;
  if (f->rep->json)
    fprintf(stderr,
            "{\"summary\":\"fetch\",\"fetched\":%zu,\"cached\":%zu,"
            "\"shared\":%zu,\"failed\":%zu,\"too_large\":%zu,"
            "\"external\":%zu,\"requests\":%llu,\"downloaded\":%llu}\n",
            t->fetched, t->cached, t->shared, t->failed, t->too_large,
            t->external, (unsigned long long)t->requests,
            (unsigned long long)t->downloaded);
  else
    fprintf(stderr,
            "mtport: downloads: %zu fetched, %zu from the cache, %zu too "
            "large, %zu failed (in all); %llu requests, %llu bytes "
            "(cache: %s)\n",
            t->fetched, t->cached, t->too_large, t->failed,
            (unsigned long long)t->requests, (unsigned long long)t->downloaded,
            f->cache);
}

void cli_fetch_dispose(cli_fetch *f) {
  free(f->cache_owned);
  f->cache_owned = NULL;
}
