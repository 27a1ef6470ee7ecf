/* Shared by the mtport command's subcommands. Public API only. */
#ifndef MTPORT_CLI_H
#define MTPORT_CLI_H

#include <mtport/mtport.h>
#include <stdio.h>

/* Exit codes of every command. */
enum {
  MTPORT_EXIT_OK = 0,      /* everything written */
  MTPORT_EXIT_ENTRIES = 1, /* some entries failed, each reported */
  MTPORT_EXIT_USAGE = 2,
  MTPORT_EXIT_INPUT = 3, /* input unreadable or malformed */
  MTPORT_EXIT_OUTPUT = 4 /* output cannot be written */
};

/* Where diagnostics go and what was seen: the payload of cli_diag_sink. */
typedef struct cli_report {
  int json;                /* JSON Lines on stderr instead of GCC-style text */
  int quiet;               /* only errors and fatals */
  unsigned long counts[4]; /* by severity */
  int progress_shown;      /* a progress line must be cleared before printing */
  int output_failed;       /* an error/fatal about the output was seen */
  int usage_failed;        /* a fatal that is the user's invocation */
} cli_report;

/* One option of a command. */
typedef struct cli_opt {
  const char *name;  /* "--output" */
  const char *alias; /* "-o" or NULL */
  const char *arg;   /* name of its value ("FILE"), NULL for a flag */
  const char *help;
} cli_opt;

/* The options every command that reads input takes (see cli_input_opt). */
#define CLI_INPUT_OPTS                                                         \
  {"--format", "-f", "NAME",                                                   \
   "input format: atom, mt-text, mt-backup "                                   \
   "(default: sniffed)"},                                                      \
      {"--recover", NULL, NULL, "repair malformed XML, warning per repair"},   \
      {"--timezone", NULL, "ZONE",                                             \
       "zone of dates that carry none: +09:00 "                                \
       "or an IANA name (default UTC)"},                                       \
      {"--input-encoding", NULL, "NAME",                                       \
       "force the encoding of a text "                                         \
       "export (e.g. cp1252, gbk)"},                                           \
      {"--site-url", NULL, "URL", "the blog's URL, for inputs without one"},   \
      {"--permalink-pattern", NULL, "PATTERN",                                 \
       "old URLs of text exports: MT file template or mt4 (default, "          \
       "%y/%m/%-f), mt3, archive-id, hatena"},                                 \
      {"--permalinks-from", NULL, "FILE",                                      \
       "take exact old URLs from an Atom feed or backup of the same blog"},    \
      {"--include-junk", NULL, NULL, "keep comments marked as junk"},          \
      {"--quiet", "-q", NULL, "print only errors and the summary"}, {          \
    "--json-diagnostics", NULL, NULL, "print diagnostics as JSON Lines"        \
  }

/* --fetch-assets and its options (fetch_opts.c), for mtport convert. */
#define CLI_FETCH_OPTS                                                         \
  {"--fetch-assets", NULL, NULL,                                               \
   "download the files no archive or --assets-from holds, from the blog's "    \
   "own and TypePad's hosts (http/https), into a cache"},                      \
      {"--fetch-jobs", NULL, "N", "downloads at once (default 4)"},            \
      {"--retries", NULL, "N",                                                 \
       "retries of a download on 429, 5xx and network errors (default 3)"},    \
      {"--max-asset-size", NULL, "SIZE",                                       \
       "largest file downloaded, in bytes or with K, M, G (default 200M)"},    \
      {"--cache", NULL, "DIR",                                                 \
       "the download cache (default .mtport-cache beside the output)"},        \
      {"--offline", NULL, NULL,                                                \
       "no request: the cache alone answers (implies --fetch-assets)"},        \
      {"--retry-failed", NULL, NULL,                                           \
       "ask again for what failed for good before, such as a 404 (implies "    \
       "--fetch-assets)"},                                                     \
      {"--insecure", NULL, NULL, "do not verify TLS certificates (warned)"}, { \
    "--strict-assets", NULL, NULL,                                             \
        "a file that cannot be downloaded is an error (exit 1)"                \
  }

/* What the fetch options gathered, until the run starts. */
typedef struct cli_fetch {
  int on, offline, retry_failed, insecure, strict, tuned, retries_set;
  long jobs, retries;
  uint64_t max_size;
  const char *cache;
  char *cache_owned;
  mtport_assets_fetch_options opts;
  mtport_assets_bar bar;
  cli_report *rep;
} cli_fetch;

/* Applies a fetch option: 1 when it was one (*code set to 0 or a usage
 * exit code), 0 when not. */
int cli_fetch_opt(const cli_opt *o, const char *val, cli_fetch *f, int *code);
/* Before the run: the options in @ro (the asset layer turned on) and, on a
 * terminal, a progress bar of files and bytes. 0 or a usage exit code. */
int cli_fetch_setup(cli_fetch *f, mtport_run_options *ro, cli_report *rep);
/* After the run (its progress line cleared): the summary of downloads (a
 * JSON object line with --json-diagnostics). */
void cli_fetch_summary(cli_fetch *f, const mtport_run_result *res);
void cli_fetch_dispose(cli_fetch *f);

/* Finds @arg in @table; *inline_val gets the part after '=' if any. */
const cli_opt *cli_find_opt(const cli_opt *table, const char *arg,
                            const char **inline_val);
/* Parses argv (argv[0] is the command); options go to @handle (return 0 to
 * go on, or an exit code), the rest to *inputs (free() it). Returns 0 or an
 * exit code. */
int cli_parse(int argc, char **argv, const cli_opt *table,
              int (*handle)(const cli_opt *o, const char *val, void *ud),
              void *ud, const char ***inputs, size_t *n_inputs);
/* Checks the value @v of option @opt (exporter option name @key, e.g.
 * "title" for --title or --set title=...): a value written into outputs
 * as text must be valid UTF-8 without control characters, and base-url
 * and site-url absolute http(s) URLs. 0, or prints why (naming @opt) and
 * returns MTPORT_EXIT_USAGE. */
int cli_check_value(const char *cmd, const char *opt, const char *key,
                    const char *v);
/* Prints an option table for --help. */
void cli_print_opts(FILE *f, const cli_opt *table);
/* Applies an input option; returns 1 when it was one. */
int cli_input_opt(const cli_opt *o, const char *val, mtport_reader_options *ro,
                  cli_report *rep);
/* The exit code for a run's return code and what the report saw. */
int cli_exit_code(int rc, const cli_report *rep);

/* A diagnostic sink printing to stderr; payload is a cli_report. */
void cli_diag_sink(const mtport_diag *d, void *payload);

/* Clears a progress line if one is on screen. */
void cli_progress_clear(cli_report *rep);
/* Held while a progress line is drawn (and progress_shown set): another
 * thread may print a diagnostic or draw its own bar at the same time. */
void cli_term_lock(void);
void cli_term_unlock(void);

/* Subcommands: argv[0] is the subcommand's name. Return an exit code. */
int cli_cmd_convert(int argc, char **argv);
int cli_cmd_inspect(int argc, char **argv);
int cli_cmd_formats(int argc, char **argv);
int cli_cmd_check(int argc, char **argv);

#endif
