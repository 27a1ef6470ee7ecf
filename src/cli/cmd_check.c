/* mtport check: converts every entry's body to Markdown with the proof on
 * and reports, entry by entry, what would not be preserved. */
#include "cli.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const cli_opt S_opts[] = {
    {"--json", NULL, NULL, "print findings as JSON Lines"},
    CLI_INPUT_OPTS,
    {"--help", "-h", NULL, "show this help"},
    {NULL, NULL, NULL, NULL}};

typedef struct {
  int json, help;
  mtport_reader_options ro;
  cli_report rep;
} S_args;

static int S_handle(const cli_opt *o, const char *val, void *ud) {
  S_args *a = ud;
  if (cli_input_opt(o, val, &a->ro, &a->rep))
    return 0;
  if (strcmp(o->name, "--json") == 0)
    a->json = 1;
  else if (strcmp(o->name, "--help") == 0)
    a->help = 1;
  return 0;
}

typedef struct {
  unsigned long checked, preserved, differ, fell_back;
} S_totals;

static void S_print_finding(const S_args *a, const mtport_post *p,
                            const char *part, const char *what) {
  const char *file = p->origin.file ? p->origin.file : "-";
  const char *title = p->title ? p->title : p->source_id ? p->source_id : "";
  if (a->json) {
    json_t *o =
        json_pack("{s:s, s:I, s:I, s:s, s:s, s:s}", "file", file, "line",
                  (json_int_t)p->origin.line, "entry", (json_int_t)p->ordinal,
                  "title", title, "part", part, "finding", what);
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    if (s)
      printf("%s\n", s);
    free(s);
    json_decref(o);
    return;
  }
  printf("%s:%lu: entry %lu \"%s\" (%s): %s\n", file, p->origin.line,
         p->ordinal, title, part, what);
}

/* Checks one text; returns 2 for differences, 1 for a fallback, 0 when
 * everything was preserved. */
static int S_check_text(const S_args *a, const mtport_post *p,
                        const mtport_text *t, const char *part) {
  if (!t->text || !*t->text)
    return 0;
  if (!mtport_text_filter_supported(t)) {
    char msg[160];
    snprintf(msg, sizeof msg,
             "text filter '%s' is not supported; the text is kept as is",
             t->filter ? t->filter : "?");
    S_print_finding(a, p, part, msg);
    return 1;
  }
  mtport_md_options o = MTPORT_MD_OPTIONS_INIT;
  o.base_url = t->base ? t->base : p->permalink;
  mtport_md_report r;
  memset(&r, 0, sizeof r);
  mtport_buf md = MTPORT_BUF_INIT;
  int rc = mtport_text_to_markdown(&md, t, &o, &r);
  int res = r.differences ? 2 : r.raw_blocks ? 1 : 0;
  if (rc != MTPORT_OK) {
    S_print_finding(a, p, part, "conversion failed (out of memory)");
    res = 2;
  }
  const char *f = r.findings.data ? r.findings.data : "";
  while (*f) {
    const char *e = strchr(f, '\n');
    size_t n = e ? (size_t)(e - f) : strlen(f);
    char *line = malloc(n + 1);
    if (line) {
      memcpy(line, f, n);
      line[n] = 0;
      S_print_finding(a, p, part, line);
      free(line);
    }
    f += n + (e ? 1 : 0);
  }
  mtport_buf_dispose(&md);
  mtport_md_report_dispose(&r);
  return res;
}

static int S_check_input(S_args *a, const char *path, S_totals *tot) {
  mtport_reader *r = NULL;
  int rc = mtport_reader_open(&r, path, &a->ro);
  if (rc != MTPORT_OK)
    return rc;
  const mtport_post *p;
  while ((rc = mtport_reader_next(r, &p)) == 1) {
    int worst = S_check_text(a, p, &p->body, "body");
    int m = S_check_text(a, p, &p->more, "extended body");
    if (m > worst)
      worst = m;
    tot->checked++;
    if (worst == 2)
      tot->differ++;
    else if (worst == 1)
      tot->fell_back++;
    else
      tot->preserved++;
  }
  mtport_reader_free(r);
  return rc < 0 ? rc : MTPORT_OK;
}

int cli_cmd_check(int argc, char **argv) {
  S_args a;
  memset(&a, 0, sizeof a);
  mtport_reader_options ro = MTPORT_READER_OPTIONS_INIT;
  a.ro = ro;
  a.ro.diag = cli_diag_sink;
  a.ro.diag_payload = &a.rep;
  const char **inputs = NULL;
  size_t n = 0;
  int ex = cli_parse(argc, argv, S_opts, S_handle, &a, &inputs, &n);
  if (ex) {
    free(inputs);
    return ex;
  }
  if (a.help || n == 0) {
    FILE *f = a.help ? stdout : stderr;
    fprintf(f, "usage: mtport check [options] INPUT...\n\n"
               "Converts every entry to Markdown, proves each body with "
               "cmark-gfm and prints\nwhat would not be preserved. Exit "
               "status 0 when no entry has differences.\n\n");
    cli_print_opts(f, S_opts);
    free(inputs);
    return a.help ? MTPORT_EXIT_OK : MTPORT_EXIT_USAGE;
  }
  S_totals tot = {0, 0, 0, 0};
  int rc = MTPORT_OK;
  for (size_t i = 0; i < n; i++) {
    int r1 = S_check_input(&a, inputs[i], &tot);
    if (r1 != MTPORT_OK && rc == MTPORT_OK)
      rc = r1;
  }
  free(inputs);
  cli_progress_clear(&a.rep);
  if (a.json)
    printf("{\"checked\":%lu,\"preserved\":%lu,\"differences\":%lu,"
           "\"fell_back\":%lu}\n",
           tot.checked, tot.preserved, tot.differ, tot.fell_back);
  printf("checked %lu entries: %lu preserved, %lu with differences, %lu fell "
         "back to raw HTML\n",
         tot.checked, tot.preserved, tot.differ, tot.fell_back);
  fflush(stdout);
  if (rc != MTPORT_OK)
    return cli_exit_code(rc, &a.rep);
  return tot.differ ? MTPORT_EXIT_ENTRIES : MTPORT_EXIT_OK;
}
