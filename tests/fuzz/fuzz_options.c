/* Fuzz target: the command line's option checks and the scaffold. Values
 * from the input go through cli_check_value() (src/cli/opts.c) as
 * `mtport convert` does; when every one is accepted, a small export is
 * converted to a Hugo or Jekyll site with --scaffold and those options, in
 * a temporary folder, and its config file is parsed back with libyaml: it
 * must be well-formed YAML whose scalars hold no control character, and
 * Hugo's baseURL must be the --base-url given (with its final '/'). An
 * accepted value that the site could not write faithfully aborts.
 *
 * Input: byte 0 picks Hugo or Jekyll and which options are given; the rest
 * is split at 0x00 into title, base-url, section, site-url, and a --set
 * KEY=VALUE. */
#define _GNU_SOURCE /* nftw's FTW_PHYS */
#include "cli/cli.h"
#include <fcntl.h>
#include <ftw.h>
#include <mtport/mtport.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char S_export[] =
    "TITLE: A post\nBASENAME: a_post\nDATE: 04/05/2009 07:15:00 PM\n"
    "CATEGORY: Notes\nTAGS: one,two\n-----\nBODY:\n<p>Hello</p>\n-----\n"
    "COMMENT:\nAUTHOR: Ann\nDATE: 04/06/2009 08:00:00 AM\nNice.\n-----\n"
    "--------\n";

/* (the checks explain each refusal on stderr: libFuzzer's reports and
 * sanitizers' go there too, so it stays open) */
static void S_fail(const char *what, const char *detail) {
  fprintf(stderr, "fuzz_options: %s: %s\n", what, detail);
  abort();
}

static int S_rm(const char *path, const struct stat *st, int flag,
                struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  remove(path);
  return 0;
}

static void S_quiet(const mtport_diag *d, void *payload) {
  (void)d, (void)payload;
}

/* Parses @path; every scalar is checked, and the value after key @key (or
 * NULL) is returned in *found (malloc'd). */
static void S_check_yaml(const char *path, const char *key, char **found) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return; /* no scaffold written (a refused option): nothing to check */
  yaml_parser_t p;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_file(&p, f);
  int depth = 0, want = 0;
  for (;;) {
    yaml_event_t e;
    if (!yaml_parser_parse(&p, &e))
      S_fail("config is not well-formed YAML", path);
    int done = e.type == YAML_STREAM_END_EVENT;
    if (e.type == YAML_MAPPING_START_EVENT ||
        e.type == YAML_SEQUENCE_START_EVENT)
      depth++;
    else if (e.type == YAML_MAPPING_END_EVENT ||
             e.type == YAML_SEQUENCE_END_EVENT)
      depth--;
    else if (e.type == YAML_SCALAR_EVENT) {
      const char *v = (const char *)e.data.scalar.value;
      size_t n = e.data.scalar.length;
      if (!mtport_utf8_valid(v, n))
        S_fail("scalar is not UTF-8", v);
      for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
          S_fail("control character in a scalar", v);
      if (want && found && !*found)
        *found = strdup(v);
      want = depth == 1 && key && strcmp(v, key) == 0;
    }
    yaml_event_delete(&e);
    if (done)
      break;
  }
  yaml_parser_delete(&p);
  fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 4096)
    return 0;
  unsigned pick = data[0];
  /* the fields */
  char *buf = malloc(size);
  if (!buf)
    return 0;
  memcpy(buf, data + 1, size - 1);
  buf[size - 1] = '\0';
  const char *field[5] = {"", "", "", "", ""};
  size_t nf = 0;
  for (char *s = buf; nf < 5 && s <= buf + size - 1; s += strlen(s) + 1)
    field[nf++] = s;
  static const char *const names[] = {"title", "base-url", "section",
                                      "site-url"};
  static const char *const flags[] = {"--title", "--base-url", "--section",
                                      "--site-url"};
  int refused = 0;
  char *opts[8];
  size_t k = 0;
  const char *base_url = NULL;
  for (size_t i = 0; i < 4 && k < 6; i++) {
    if (!(pick & (2u << i)))
      continue;
    if (cli_check_value("fuzz", flags[i], names[i], field[i]) != 0) {
      refused = 1;
      continue;
    }
    if (i == 3)
      continue; /* site-url is a reader option, set below */
    size_t n = strlen(names[i]) + strlen(field[i]) + 2;
    if ((opts[k] = malloc(n)))
      snprintf(opts[k++], n, "%s=%s", names[i], field[i]);
    if (i == 1)
      base_url = field[i];
  }
  /* --set KEY=VALUE, for the keys that are text */
  const char *eq = strchr(field[4], '=');
  if ((pick & 32) && eq && k < 7) {
    size_t kn = (size_t)(eq - field[4]);
    char key[32];
    if (kn && kn < sizeof key) {
      memcpy(key, field[4], kn);
      key[kn] = '\0';
      int text = 0;
      for (size_t i = 0; i < 3; i++)
        text |= strcmp(key, names[i]) == 0;
      if (text) {
        if (cli_check_value("fuzz", "--set", key, eq + 1) != 0)
          refused = 1;
        else if ((opts[k] = strdup(field[4]))) {
          if (strcmp(key, "base-url") == 0)
            base_url = eq + 1;
          k++;
        }
      }
    }
  }
  if (!refused) {
    char tmpl[] = "/tmp/mtport-fuzz-options-XXXXXX";
    if (mkdtemp(tmpl)) {
      char in[300], out[300], conf[400];
      snprintf(in, sizeof in, "%s/export.txt", tmpl);
      snprintf(out, sizeof out, "%s/site", tmpl);
      FILE *f = fopen(in, "wb");
      if (f) {
        fputs(S_export, f);
        fclose(f);
        const char *o[10];
        size_t m = 0;
        for (size_t i = 0; i < k; i++)
          o[m++] = opts[i];
        o[m++] = "scaffold=1";
        o[m] = NULL;
        mtport_registry *reg = NULL;
        if (mtport_registry_new(&reg) == MTPORT_OK) {
          int jekyll = pick & 1;
          const mtport_exporter *exp =
              mtport_registry_find(reg, jekyll ? "jekyll" : "hugo");
          mtport_run_options ro = MTPORT_RUN_OPTIONS_INIT;
          ro.output = out;
          ro.options = o;
          ro.jobs = 1;
          ro.reader.diag = S_quiet;
          if (pick & 16)
            ro.reader.site_url = field[3];
          const char *inputs[1] = {in};
          if (exp)
            mtport_run(NULL, inputs, 1, exp, &ro);
          mtport_registry_free(reg);
          snprintf(conf, sizeof conf, "%s/%s", out,
                   jekyll ? "_config.yml" : "config.yaml");
          char *got = NULL;
          S_check_yaml(conf, jekyll ? NULL : "baseURL", &got);
          if (got && base_url && *base_url) {
            size_t n = strlen(base_url);
            int same =
                strncmp(got, base_url, n) == 0 &&
                (got[n] == '\0' || (got[n] == '/' && got[n + 1] == '\0' &&
                                    base_url[n - 1] != '/'));
            if (!same)
              S_fail("baseURL is not the --base-url given", got);
          }
          free(got);
        }
      }
      nftw(tmpl, S_rm, 8, FTW_DEPTH | FTW_PHYS);
    }
  }
  for (size_t i = 0; i < k; i++)
    free(opts[i]);
  free(buf);
  return 0;
}
