/* What src/readers/ offers the other folders of libmtport, beyond the
 * public reader.h: handing a post over to the pipeline and the reading
 * progress. The importers themselves (Atom, MT text, backup), the sniffing
 * and the XML input filters stay private to the folder (reader_int.h). */
#ifndef MTPORT_READERS_H
#define MTPORT_READERS_H

#include "mtport/mtport.h"

/* Takes the post the last mtport_reader_next() returned: the caller owns it
 * (mtport_post_free()); the reader goes on with a fresh one. NULL when out
 * of memory (the post stays the reader's). */
mtport_post *mtport_reader__take(mtport_reader *r);
/* Bytes of input handed to the importer so far; *total is the size or 0. */
uint64_t mtport_reader__consumed(const mtport_reader *r, uint64_t *total);
/* Like mtport_reader_open() over open descriptor @fd (a backup part the
 * asset layer kept from an archive), which the reader owns from then on,
 * even on failure; @name names it in diagnostics. */
int mtport_reader__open_fd(mtport_reader **out, int fd, const char *name,
                           const mtport_reader_options *opts);
/* As mtport_reader__open_fd() for part 1 of a split backup whose parts 2,
 * 3... are the @n_more descriptors @more_fds (owned by the reader from
 * then on, even on failure), named @more_names (borrowed: they must
 * outlive the reader). */
int mtport_reader__open_parts(mtport_reader **out, int fd, const char *name,
                              const int *more_fds,
                              const char *const *more_names, size_t n_more,
                              const mtport_reader_options *opts);

#endif
