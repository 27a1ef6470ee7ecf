/* mtport convert: inputs through one exporter. */
#include "cli.h"
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const cli_opt S_opts[] = {
    {"--to", "-t", "FORMAT", "output format (see 'mtport formats')"},
    {"--output", "-o", "PATH",
     "output file or folder; '-' is standard "
     "output (default for single-file formats)"},
    {"--force", NULL, NULL, "overwrite existing output files"},
    {"--jobs", "-j", "N",
     "threads converting bodies to Markdown (default: one per CPU; the "
     "output is the same for any N)"},
    CLI_INPUT_OPTS,
    {"--bundle", NULL, NULL, "hugo/eleventy: SECTION/SLUG/index.md bundles"},
    {"--section", NULL, "NAME",
     "hugo/eleventy: the posts' section (default posts)"},
    {"--keep-underscores", NULL, NULL, "keep '_' in slugs from MT basenames"},
    {"--redirects", NULL, "FILE",
     "sites: write old -> new URL "
     "redirects to FILE"},
    {"--redirects-format", NULL, "FMT", "netlify (default), nginx or apache"},
    {"--scaffold", NULL, NULL,
     "sites: also write a minimal site that "
     "builds as is"},
    {"--no-comments", NULL, NULL, "leave comments and pings out"},
    {"--keep-private", NULL, NULL,
     "keep commenter email and IP in "
     "published outputs"},
    {"--include-drafts", NULL, NULL, "jsonfeed: keep unpublished entries"},
    {"--default-author", NULL, "NAME",
     "wxr: the author of entries without one (default: the blog's title)"},
    {"--title", NULL, "TEXT", "the site title, for inputs without one"},
    {"--base-url", NULL, "URL", "the new site's URL (default: the old one)"},
    {"--set", "-X", "KEY=VALUE", "an exporter option by name"},
    {"--assets-from", NULL, "DIR",
     "a copy of the old site's files (FTP or wget --mirror copy) to take "
     "images and files from"},
    {"--asset-host", NULL, "HOST",
     "another host of the blog's own files (repeatable)"},
    {"--assets-external", NULL, NULL,
     "copy files of other hosts too, when a source has them"},
    {"--assets", NULL, NULL,
     "copy files and rewrite internal links for any input (on by default "
     "for a backup archive, --assets-from and --asset-host)"},
    {"--no-assets", NULL, NULL,
     "leave files and links as they are, even for a backup archive"},
    {"--archive-max-member", NULL, "SIZE",
     "largest archive member read, in bytes or with K, M, G (default 4G)"},
    {"--archive-max-ratio", NULL, "N",
     "largest expansion of the archive's bytes (default 200)"},
    {"--support-url", NULL, "URL",
     "what MT's %s stands for in asset URLs (the mt-static URL)"},
    CLI_FETCH_OPTS,
    {"--help", "-h", NULL, "show this help"},
    {NULL, NULL, NULL, NULL}};

typedef struct S_convert {
  const char *to;
  mtport_run_options ro;
  cli_report rep;
  const char **xopts; /* "key=value" for the exporter */
  size_t n_xopts;
  char **owned; /* strings built here */
  size_t n_owned;
  int help;
  struct timespec start;
  const char **hosts; /* --asset-host */
  size_t n_hosts;
  cli_fetch fetch; /* --fetch-assets and its options (fetch_opts.c) */
} S_convert;

/* "4G", "512M", "100000": bytes; 0 when malformed. */
static uint64_t S_size(const char *v) {
  char *end;
  unsigned long long n = strtoull(v, &end, 10);
  if (end == v || v[0] == '-')
    return 0;
  int shift = *end == 'K' || *end == 'k'   ? 10
              : *end == 'M' || *end == 'm' ? 20
              : *end == 'G' || *end == 'g' ? 30
                                           : 0;
  if (shift)
    end++;
  if (*end || n > (UINT64_MAX >> shift))
    return 0;
  return (uint64_t)n << shift;
}

static int S_add_xopt(S_convert *c, const char *key, const char *val) {
  size_t n = strlen(key) + (val ? strlen(val) + 1 : 0) + 1;
  char *s = malloc(n);
  if (!s)
    return MTPORT_EXIT_INPUT;
  snprintf(s, n, val ? "%s=%s" : "%s", key, val ? val : "");
  c->owned[c->n_owned++] = s;
  c->xopts[c->n_xopts++] = s;
  return 0;
}

static int S_handle(const cli_opt *o, const char *val, void *ud) {
  S_convert *c = ud;
  if (cli_input_opt(o, val, &c->ro.reader, &c->rep))
    return 0;
  int fcode;
  if (cli_fetch_opt(o, val, &c->fetch, &fcode))
    return fcode;
  mtport_assets_options *ao = &c->ro.assets_opts;
  if (strcmp(o->name, "--assets-from") == 0)
    ao->mirror = val;
  else if (strcmp(o->name, "--asset-host") == 0) {
    c->hosts[c->n_hosts++] = val;
    ao->asset_hosts = c->hosts;
    ao->n_asset_hosts = c->n_hosts;
  } else if (strcmp(o->name, "--assets-external") == 0)
    ao->external = 1;
  else if (strcmp(o->name, "--assets") == 0)
    c->ro.assets = MTPORT_RUN_ASSETS_ON;
  else if (strcmp(o->name, "--no-assets") == 0)
    c->ro.assets = MTPORT_RUN_ASSETS_OFF;
  else if (strcmp(o->name, "--support-url") == 0)
    ao->support_url = val;
  else if (strcmp(o->name, "--archive-max-member") == 0 ||
           strcmp(o->name, "--archive-max-ratio") == 0) {
    int member = o->name[14] == 'm';
    uint64_t n = S_size(val);
    if (!n || (!member && n > 1000000)) {
      fprintf(stderr, "mtport convert: %s takes %s, not '%s'\n", o->name,
              member ? "a size such as 4G or 100M" : "a number from 1", val);
      return MTPORT_EXIT_USAGE;
    }
    if (member)
      ao->limits.max_member = n;
    else
      ao->limits.max_ratio = n;
  } else if (strcmp(o->name, "--to") == 0)
    c->to = val;
  else if (strcmp(o->name, "--output") == 0)
    c->ro.output = val;
  else if (strcmp(o->name, "--force") == 0)
    c->ro.force = 1;
  else if (strcmp(o->name, "--jobs") == 0) {
    char *end;
    long n = strtol(val, &end, 10);
    if (*end || end == val || n < 1 || n > 64) {
      fprintf(stderr,
              "mtport convert: --jobs takes a number from 1 to 64, "
              "not '%s'\n",
              val);
      return MTPORT_EXIT_USAGE;
    }
    c->ro.jobs = (unsigned)n;
  } else if (strcmp(o->name, "--help") == 0)
    c->help = 1;
  else if (strcmp(o->name, "--set") == 0) {
    if (!strchr(val, '=') || val[0] == '=') {
      fprintf(stderr, "mtport convert: --set takes KEY=VALUE, not '%s'\n", val);
      return MTPORT_EXIT_USAGE;
    }
    c->xopts[c->n_xopts++] = val;
  } else /* every other option is an exporter option named like the flag */
    return S_add_xopt(c, o->name + 2, val);
  return 0;
}

/* SIGINT, SIGTERM and SIGHUP ask the run to stop (mtport_run_options'
 * cancel): it finishes the file it is writing, removes its temporary
 * files and returns; a second signal ends the process at once. */
static volatile sig_atomic_t S_stop;
static const int S_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void S_on_signal(int sig) {
  if (S_stop) { /* asked twice: the default action, now */
    signal(sig, SIG_DFL);
    raise(sig);
    return;
  }
  S_stop = sig;
}

/* Installs the handlers. They stay for the rest of the process: a signal
 * that comes after the run has finished (its output whole) must not kill
 * the process before it prints the summary, or the caller sees a killed
 * run beside a complete output. */
static void S_signals_install(void) {
  for (size_t i = 0; i < sizeof S_signals / sizeof *S_signals; i++) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = S_on_signal;
    sigemptyset(&sa.sa_mask);
    /* no SA_RESTART: a read waiting on a quiet pipe returns, and the run
     * sees the flag (the library retries other interrupted calls) */
    sa.sa_flags = 0;
    sigaction(S_signals[i], &sa, NULL);
  }
}

static const char *S_signame(int sig) {
  return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP";
}

/* A progress line on a terminal, once the run has taken over a second. */
static void S_progress(unsigned long posts, uint64_t done, uint64_t total,
                       void *payload) {
  S_convert *c = payload;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  double el = (double)(now.tv_sec - c->start.tv_sec) +
              (double)(now.tv_nsec - c->start.tv_nsec) / 1e9;
  if (el < 1.0)
    return;
  cli_term_lock();
  if (total) {
    int pct = (int)(done * 100 / total);
    int bar = pct / 5;
    fprintf(stderr, "\r[%.*s%*s] %3d%%  %lu entries", bar,
            "####################", 20 - bar, "", pct > 100 ? 100 : pct, posts);
  } else
    fprintf(stderr, "\r%lu entries", posts);
  c->rep.progress_shown = 1;
  cli_term_unlock();
}

static void S_help(void) {
  printf(
      "usage: mtport convert --to FORMAT [--output PATH] [OPTIONS] INPUT...\n\n"
      "Converts every entry of the INPUTs (files, or '-' for standard input)\n"
      "into one output. An MT backup archive (.tar.gz, .tgz, .zip, or a\n"
      "folder holding an extracted backup) is read as it is: its images and\n"
      "files are copied into the output, references and links between posts\n"
      "rewritten, and mtport-assets.tsv lists every file. Exit codes: 0 all "
      "written, 1 some entries failed\n"
      "(each reported), 2 usage, 3 input unreadable or malformed, 4 output\n"
      "cannot be written.\n\noptions:\n");
  cli_print_opts(stdout, S_opts);
}

int cli_cmd_convert(int argc, char **argv) {
  S_convert c;
  memset(&c, 0, sizeof c);
  mtport_run_options ro = MTPORT_RUN_OPTIONS_INIT;
  c.ro = ro;
  c.xopts = calloc((size_t)argc + 1, sizeof *c.xopts);
  c.owned = calloc((size_t)argc + 1, sizeof *c.owned);
  c.hosts = calloc((size_t)argc + 1, sizeof *c.hosts);
  const char **inputs = NULL;
  size_t n_inputs = 0;
  int code =
      (!c.xopts || !c.owned || !c.hosts)
          ? MTPORT_EXIT_INPUT
          : cli_parse(argc, argv, S_opts, S_handle, &c, &inputs, &n_inputs);
  mtport_registry *reg = NULL;
  /* before anything can be written (the fetch cache, the output) */
  S_stop = 0;
  S_signals_install();
  if (code == 0 && c.help) {
    S_help();
    goto done;
  }
  if (code == 0 && (!c.to || n_inputs == 0)) {
    fprintf(stderr, "mtport convert: %s (see 'mtport convert --help')\n",
            !c.to ? "--to FORMAT is required" : "no INPUT given");
    code = MTPORT_EXIT_USAGE;
  }
  if (code != 0)
    goto done;
  if (mtport_registry_new(&reg) != MTPORT_OK) {
    code = MTPORT_EXIT_INPUT;
    goto done;
  }
  const mtport_exporter *exp = mtport_registry_find(reg, c.to);
  if (!exp) {
    fprintf(stderr,
            "mtport convert: unknown output format '%s'; one of:", c.to);
    for (size_t i = 0; i < mtport_registry_count(reg); i++)
      fprintf(stderr, " %s", mtport_registry_at(reg, i)->name);
    fputc('\n', stderr);
    code = MTPORT_EXIT_USAGE;
    goto done;
  }
  c.ro.options = c.xopts;
  c.ro.reader.diag = cli_diag_sink;
  c.ro.reader.diag_payload = &c.rep;
  if (isatty(2) && !c.rep.quiet) {
    clock_gettime(CLOCK_MONOTONIC, &c.start);
    c.ro.progress = S_progress;
    c.ro.progress_payload = &c;
  }
  if ((code = cli_fetch_setup(&c.fetch, &c.ro, &c.rep)))
    goto done;
  mtport_run_result res;
  c.ro.cancel = &S_stop;
  int rc = mtport_run(&res, inputs, n_inputs, exp, &c.ro);
  cli_progress_clear(&c.rep); /* the downloads' bar too */
  if (rc == MTPORT_ECANCELED) {
    fprintf(stderr,
            "mtport: interrupted by %s: %lu entr%s written, %lu read; the "
            "output is not complete (every file left is whole: run again "
            "with --force to finish it)\n",
            S_signame(S_stop), res.written, res.written == 1 ? "y" : "ies",
            res.read);
    code = 128 + S_stop;
    goto done;
  }
  char no_url[64] = "";
  if (res.no_old_url)
    snprintf(no_url, sizeof no_url, "; %lu without an old URL", res.no_old_url);
  fprintf(stderr,
          "mtport: %lu entr%s read, %lu written, %lu skipped; %lu comment(s) "
          "and ping(s); %lu error(s), %lu warning(s)%s%s\n",
          res.read, res.read == 1 ? "y" : "ies", res.written, res.skipped,
          res.comments, res.errors + res.fatals, res.warnings, no_url,
          rc < 0 ? " (stopped)" : "");
  if (res.assets_used) {
    const mtport_assets_totals *t = &res.assets;
    fprintf(stderr,
            "mtport: files: %zu copied, %zu shared, %zu missing, %zu "
            "external, %zu refused, %zu failed (%llu bytes); links: %lu "
            "rewritten, %lu unresolved\n",
            t->copied, t->shared, t->missing, t->external, t->refused,
            t->failed, (unsigned long long)t->bytes, t->links_rewritten,
            t->links_unresolved);
  }
  cli_fetch_summary(&c.fetch, &res);
  code = cli_exit_code(rc, &c.rep);
  if (code == MTPORT_EXIT_OK && res.skipped &&
      res.read != res.written + res.skipped)
    code = MTPORT_EXIT_ENTRIES;
done:
  mtport_registry_free(reg);
  for (size_t i = 0; i < c.n_owned; i++)
    free(c.owned[i]);
  free(c.owned);
  free(c.xopts);
  free(c.hosts);
  cli_fetch_dispose(&c.fetch);
  free(inputs);
  return code;
}
