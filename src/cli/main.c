/* mtport: the command-line front end. Owns all policy (exit codes,
 * progress, output format of diagnostics); the library only reports. */
#include "cli.h"
#include <stdio.h>
#include <string.h>

typedef struct cli_command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} cli_command;

static const cli_command S_commands[] = {
    {"convert", cli_cmd_convert, "convert an export to another format"},
    {"inspect", cli_cmd_inspect,
     "summarize an export: entries, dates, authors, terms"},
    {"check", cli_cmd_check, "convert every body to Markdown and prove it"},
    {"formats", cli_cmd_formats, "list the input and output formats"},
};

static void S_usage(FILE *f) {
  fprintf(f, "usage: mtport COMMAND [OPTIONS] INPUT...\n\n"
             "Move a Movable Type or TypePad blog to Hugo, Jekyll, WordPress "
             "(WXR) or JSON Feed.\n\ncommands:\n");
  for (size_t i = 0; i < sizeof S_commands / sizeof *S_commands; i++)
    fprintf(f, "  %-9s %s\n", S_commands[i].name, S_commands[i].summary);
  fprintf(f, "\nRun 'mtport COMMAND --help' for a command's options.\n"
             "  --help       show this help\n"
             "  --version    show the version\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    S_usage(stderr);
    return MTPORT_EXIT_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
      strcmp(argv[1], "help") == 0) {
    S_usage(stdout);
    return MTPORT_EXIT_OK;
  }
  if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
    printf("mtport %s\n", mtport_version());
    return MTPORT_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof S_commands / sizeof *S_commands; i++)
    if (strcmp(argv[1], S_commands[i].name) == 0)
      return S_commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "mtport: unknown command '%s'\n\n", argv[1]);
  S_usage(stderr);
  return MTPORT_EXIT_USAGE;
}
