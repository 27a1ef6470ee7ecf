/* The hugo exporter: a thin layer over the shared site core. */
#include "site_common.h"

static int S_begin(mtport_ctx *ctx, const mtport_site *site, void **state) {
  site_io io = mtport__site_ctx_io(ctx);
  return mtport__site_begin(SITE_HUGO, &io, site, state);
}

const mtport_exporter mtport_exporter_hugo = {
    .version = MTPORT_EXPORTER_VERSION,
    .name = "hugo",
    .description =
        "Hugo site: content/<section>/<slug>.md with YAML front matter",
    .output = MTPORT_OUTPUT_DIR,
    .begin = S_begin,
    .prepass = mtport__site_vt_prepass,
    .prepass_done = mtport__site_vt_prepass_done,
    .entry = mtport__site_vt_entry,
    .end = mtport__site_vt_end,
    .prepare = mtport__site_prepare,
    .release = mtport__site_release,
    .save = mtport__site_save,
    .load = mtport__site_load,
};
