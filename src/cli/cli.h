/* Shared by the mtport command's subcommands. Public API only. */
#ifndef MTPORT_CLI_H
#define MTPORT_CLI_H

#include <mtport/mtport.h>

/* Exit codes of every command. */
enum {
  MTPORT_EXIT_OK = 0,      /* everything written */
  MTPORT_EXIT_ENTRIES = 1, /* some entries failed, each reported */
  MTPORT_EXIT_USAGE = 2,
  MTPORT_EXIT_INPUT = 3,   /* input unreadable or malformed */
  MTPORT_EXIT_OUTPUT = 4   /* output cannot be written */
};

/* Where diagnostics go and what was seen: the payload of cli_diag_sink. */
typedef struct cli_report {
  int json;  /* JSON Lines on stderr instead of GCC-style text */
  int quiet; /* only errors and fatals */
  unsigned long counts[4]; /* by severity */
  int progress_shown; /* a progress line must be cleared before printing */
} cli_report;

/* A diagnostic sink printing to stderr; payload is a cli_report. */
void cli_diag_sink(const mtport_diag *d, void *payload);

/* Clears a progress line if one is on screen. */
void cli_progress_clear(cli_report *rep);

/* Subcommands: argv[0] is the subcommand's name. Return an exit code. */
int cli_cmd_convert(int argc, char **argv);
int cli_cmd_inspect(int argc, char **argv);
int cli_cmd_formats(int argc, char **argv);
int cli_cmd_check(int argc, char **argv);

#endif
