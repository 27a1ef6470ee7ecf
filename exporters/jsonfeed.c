/* JSON Feed 1.1: placeholder. */
#include "mtport/mtport.h"
static int S_begin(mtport_ctx *ctx, const mtport_site *site, void **state) { return 0; }
static int S_entry(mtport_ctx *ctx, void *state, const mtport_post *p) { return 0; }
static int S_end(mtport_ctx *ctx, void *state, int status) { return 0; }
const mtport_exporter mtport_exporter_jsonfeed = {
    MTPORT_EXPORTER_VERSION, "jsonfeed", "JSON Feed 1.1 (one file)",
    MTPORT_OUTPUT_STREAM, S_begin, NULL, NULL, S_entry, S_end};
