/* mtport formats: the importers and exporters, one line each. */
#include "cli.h"
#include <string.h>

int cli_cmd_formats(int argc, char **argv) {
  if (argc > 1 &&
      (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    printf("usage: mtport formats\n\nLists the input formats (importers, "
           "sniffed automatically) and the\noutput formats (exporters, "
           "chosen with 'convert --to').\n");
    return MTPORT_EXIT_OK;
  }
  if (argc > 1) {
    fprintf(stderr, "mtport formats: takes no arguments\n");
    return MTPORT_EXIT_USAGE;
  }
  size_t n;
  const mtport_importer_info *imp = mtport_importers(&n);
  printf("input formats:\n");
  for (size_t i = 0; i < n; i++)
    printf("  %-10s %s\n", imp[i].name, imp[i].description);
  mtport_registry *reg;
  if (mtport_registry_new(&reg) != MTPORT_OK)
    return MTPORT_EXIT_INPUT;
  printf("output formats:\n");
  for (size_t i = 0; i < mtport_registry_count(reg); i++) {
    const mtport_exporter *e = mtport_registry_at(reg, i);
    printf("  %-10s %s\n", e->name, e->description);
  }
  mtport_registry_free(reg);
  return MTPORT_EXIT_OK;
}
