/* The hugo exporter: a thin layer over the shared site core. */
#include "site_common.h"

static int S_begin(mtport_ctx *ctx, const mtport_site *site, void **state) {
  site_io io = mtport__site_ctx_io(ctx);
  return mtport__site_begin(SITE_HUGO, &io, site, state);
}
static int S_prepass(mtport_ctx *ctx, void *state, const mtport_post *p) {
  return mtport__site_prepass(state, p);
}
static int S_prepass_done(mtport_ctx *ctx, void *state) {
  return mtport__site_prepass_done(state);
}
static int S_entry(mtport_ctx *ctx, void *state, const mtport_post *p) {
  return mtport__site_entry(state, p);
}
static int S_end(mtport_ctx *ctx, void *state, int status) {
  return mtport__site_end(state, status);
}

const mtport_exporter mtport_exporter_hugo = {
    MTPORT_EXPORTER_VERSION,
    "hugo",
    "Hugo site: content/<section>/<slug>.md with YAML front matter",
    MTPORT_OUTPUT_DIR,
    S_begin,
    S_prepass,
    S_prepass_done,
    S_entry,
    S_end};
