/* mtport check: placeholder until issue #3 lands. */
#include "cli.h"

int cli_cmd_check(int argc, char **argv) {
  fprintf(stderr, "mtport check: not available yet\n");
  return MTPORT_EXIT_USAGE;
}
