/* An archive's backup XML through the reader: its parts, split or not,
 * read together as one input, as MT wrote them. */
#include "readers/readers.h"
#include "resolver_int.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int mtport_assets_open_reader(mtport_assets *as,
                              const mtport_reader_options *opts,
                              mtport_reader **out) {
  *out = NULL;
  if (!as || !as->archive)
    return MTPORT_EINVALID;
  size_t n = as->n_parts;
  if (!n)
    return MTPORT_EPARSE;
  /* "backup.tar.gz:NAME-1.xml": the names diagnostics show, kept while
   * the resolver lives */
  for (size_t k = 0; k < n; k++) {
    if (as->parts[k].display)
      continue;
    mtport_buf b = MTPORT_BUF_INIT;
    if (mtport_buf_printf(&b, "%s:%s", as->archive, as->parts[k].name) < 0 ||
        !(as->parts[k].display = mtport_buf_detach(&b))) {
      mtport_buf_dispose(&b);
      return MTPORT_ENOMEM;
    }
  }
  const char **names = malloc(n * sizeof *names);
  int *fds = malloc(n * sizeof *fds);
  if (!names || !fds) {
    free(names);
    free(fds);
    return MTPORT_ENOMEM;
  }
  int rc = MTPORT_OK;
  size_t k = 0;
  for (; k < n && !rc; k++) {
    names[k] = as->parts[k].display;
    rc = mtport_assets_xml_open(as, k, &fds[k], NULL, NULL);
  }
  if (rc) {
    k--; /* the one that failed opened nothing */
    while (k-- > 0)
      close(fds[k]);
    free(names);
    free(fds);
    return rc;
  }
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  if (opts)
    o = *opts;
  if (!o.format) /* an archive's parts are backup XML whatever they hold */
    o.format = "mt-backup";
  /* the reader keeps the names of parts 2, 3... (borrowed from here) */
  if (!as->part_names)
    as->part_names = names;
  else
    free(names);
  rc = mtport_reader__open_parts(out, fds[0], as->part_names[0], fds + 1,
                                 as->part_names + 1, n - 1, &o);
  free(fds);
  return rc;
}
