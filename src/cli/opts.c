/* Option parsing shared by the commands: a small table-driven parser that
 * takes "--name value", "--name=value", short aliases ("-o value") and
 * short aliases with the value attached ("-j4"). */
#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const cli_opt *cli_find_opt(const cli_opt *table, const char *arg,
                            const char **inline_val) {
  *inline_val = NULL;
  for (const cli_opt *o = table; o->name; o++) {
    size_t n = strlen(o->name);
    if (strncmp(arg, o->name, n) == 0 && (arg[n] == '\0' || arg[n] == '=')) {
      if (arg[n] == '=')
        *inline_val = arg + n + 1;
      return o;
    }
    if (o->alias && strcmp(arg, o->alias) == 0)
      return o;
  }
  for (const cli_opt *o = table; o->name; o++) {
    /* "-j4": a two-character alias of an option that takes a value */
    if (o->alias && o->arg && strlen(o->alias) == 2 &&
        strncmp(arg, o->alias, 2) == 0 && arg[2]) {
      *inline_val = arg + 2;
      return o;
    }
  }
  return NULL;
}

/* Options whose values are written into outputs as text, by flag and by
 * exporter option name (--set KEY=VALUE); the URLs among them must be
 * absolute http(s) URLs. */
static const char *const S_text_opts[] = {
    "title",          "base-url",          "site-url",
    "section",        "permalink-pattern", "timezone",
    "input-encoding", "redirects-format",  NULL};

static int S_is_url_opt(const char *name) {
  return strcmp(name, "base-url") == 0 || strcmp(name, "site-url") == 0;
}

/* Why @v cannot be written faithfully, or NULL. */
static const char *S_bad_text(const char *v) {
  size_t n = strlen(v);
  if (!mtport_utf8_valid(v, n))
    return "is not valid UTF-8";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)v[i];
    if (c < 0x20 || c == 0x7f ||
        (c == 0xC2 && i + 1 < n && (unsigned char)v[i + 1] < 0xA0))
      return c == '\n' || c == '\r' ? "holds a line break"
                                    : "holds a control character";
  }
  return NULL;
}

/* Why @v is not an absolute http(s) URL with a host, or NULL. */
static const char *S_bad_url(const char *v) {
  size_t k = strncmp(v, "http://", 7) == 0    ? 7
             : strncmp(v, "https://", 8) == 0 ? 8
                                              : 0;
  if (!k)
    return "is not an absolute http:// or https:// URL";
  if (!v[k] || strchr("/?#", v[k]))
    return "has no host";
  for (const char *p = v; *p; p++)
    if (*p == ' ' || strchr("\"<>\\^`{|}", *p))
      return "holds a character a URL cannot (a space, a quote, <, >...)";
  return NULL;
}

int cli_check_value(const char *cmd, const char *opt, const char *key,
                    const char *v) {
  int text = 0;
  for (size_t i = 0; S_text_opts[i] && !text; i++)
    text = strcmp(S_text_opts[i], key) == 0;
  if (!text || !v)
    return 0;
  const char *why = S_bad_text(v);
  if (!why && S_is_url_opt(key))
    why = S_bad_url(v);
  if (!why)
    return 0;
  fprintf(stderr, "mtport %s: the value of %s %s: refused\n", cmd, opt, why);
  return MTPORT_EXIT_USAGE;
}

int cli_parse(int argc, char **argv, const cli_opt *table,
              int (*handle)(const cli_opt *o, const char *val, void *ud),
              void *ud, const char ***inputs, size_t *n_inputs) {
  *inputs = calloc((size_t)argc + 1, sizeof **inputs);
  *n_inputs = 0;
  if (!*inputs)
    return MTPORT_EXIT_INPUT;
  int only_inputs = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (only_inputs || a[0] != '-' || strcmp(a, "-") == 0) {
      (*inputs)[(*n_inputs)++] = a;
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_inputs = 1;
      continue;
    }
    const char *val;
    const cli_opt *o = cli_find_opt(table, a, &val);
    if (!o) {
      fprintf(stderr, "mtport %s: unknown option '%s' (see --help)\n", argv[0],
              a);
      return MTPORT_EXIT_USAGE;
    }
    if (o->arg && !val) {
      if (i + 1 >= argc) {
        fprintf(stderr, "mtport %s: option '%s' needs a value (%s)\n", argv[0],
                o->name, o->arg);
        return MTPORT_EXIT_USAGE;
      }
      val = argv[++i];
    } else if (!o->arg && val) {
      fprintf(stderr, "mtport %s: option '%s' takes no value\n", argv[0],
              o->name);
      return MTPORT_EXIT_USAGE;
    }
    /* a value that cannot be written faithfully is refused here, with the
     * option's name, rather than written broken or dropped later */
    int rc = 0;
    if (val && strcmp(o->name, "--set") == 0) {
      const char *eq = strchr(val, '=');
      char key[32];
      size_t kn = eq ? (size_t)(eq - val) : 0;
      if (eq && kn < sizeof key) {
        memcpy(key, val, kn);
        key[kn] = '\0';
        rc = cli_check_value(argv[0], "--set", key, eq + 1);
      }
    } else if (val)
      rc = cli_check_value(argv[0], o->name, o->name + 2, val);
    if (rc == 0)
      rc = handle(o, val, ud);
    if (rc != 0)
      return rc;
  }
  return 0;
}

void cli_print_opts(FILE *f, const cli_opt *table) {
  for (const cli_opt *o = table; o->name; o++) {
    char left[64];
    snprintf(left, sizeof left, "%s%s%s%s%s", o->alias ? o->alias : "",
             o->alias ? ", " : "", o->name, o->arg ? " " : "",
             o->arg ? o->arg : "");
    fprintf(f, "  %-30s %s\n", left, o->help);
  }
}

int cli_input_opt(const cli_opt *o, const char *val, mtport_reader_options *ro,
                  cli_report *rep) {
  if (strcmp(o->name, "--format") == 0)
    ro->format = val;
  else if (strcmp(o->name, "--recover") == 0)
    ro->flags |= MTPORT_READ_RECOVER;
  else if (strcmp(o->name, "--include-junk") == 0)
    ro->flags |= MTPORT_READ_INCLUDE_JUNK;
  else if (strcmp(o->name, "--timezone") == 0)
    ro->timezone = val;
  else if (strcmp(o->name, "--input-encoding") == 0)
    ro->input_encoding = val;
  else if (strcmp(o->name, "--site-url") == 0)
    ro->site_url = val;
  else if (strcmp(o->name, "--permalink-pattern") == 0)
    ro->permalink_pattern = val;
  else if (strcmp(o->name, "--permalinks-from") == 0)
    ro->permalinks_from = val;
  else if (strcmp(o->name, "--quiet") == 0)
    rep->quiet = 1;
  else if (strcmp(o->name, "--json-diagnostics") == 0)
    rep->json = 1;
  else
    return 0;
  return 1;
}

int cli_exit_code(int rc, const cli_report *rep) {
  if (rep->usage_failed)
    return MTPORT_EXIT_USAGE;
  if (rep->output_failed || rc == MTPORT_EEXISTS || rc == MTPORT_EUNSAFE)
    return MTPORT_EXIT_OUTPUT;
  if (rc == MTPORT_ENOTFOUND)
    return MTPORT_EXIT_USAGE;
  if (rc < 0)
    return MTPORT_EXIT_INPUT;
  if (rep->counts[MTPORT_SEV_ERROR] || rep->counts[MTPORT_SEV_FATAL])
    return MTPORT_EXIT_ENTRIES;
  return MTPORT_EXIT_OK;
}
