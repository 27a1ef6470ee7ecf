/* Atom importer: placeholder. */
#include "internal.h"
static int S_sniff(const unsigned char *h, size_t n) { return 0; }
static int S_open(mtport_reader *r, void **state) { return MTPORT_ENOTFOUND; }
static int S_next(mtport_reader *r, void *state, mtport_post *p) { return 0; }
static void S_close(void *state) {}
const mtport_importer mtport_importer_atom = {
    "atom", "Movable Type Atom feed (Atom 1.0 and 0.3)", S_sniff, S_open,
    S_next, S_close};
