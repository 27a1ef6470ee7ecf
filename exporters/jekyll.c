/* The jekyll exporter: a thin layer over the shared site core. */
#include "site_common.h"

static int S_begin(mtport_ctx *ctx, const mtport_site *site, void **state) {
  site_io io = mtport__site_ctx_io(ctx);
  return mtport__site_begin(SITE_JEKYLL, &io, site, state);
}

const mtport_exporter mtport_exporter_jekyll = {
    MTPORT_EXPORTER_VERSION,
    "jekyll",
    "Jekyll site: _posts/YYYY-MM-DD-<slug>.md with YAML front matter",
    MTPORT_OUTPUT_DIR,
    S_begin,
    mtport__site_vt_prepass,
    mtport__site_vt_prepass_done,
    mtport__site_vt_entry,
    mtport__site_vt_end,
    mtport__site_prepare,
    mtport__site_release};
