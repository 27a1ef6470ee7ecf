/* The built-in exporters. Adding a format: one file in exporters/ and one
 * line here (a static-site generator's file is a description for the
 * Markdown-site core, exporters/site/site.h). */
#include "mtport/exporter.h"

extern const mtport_exporter mtport_exporter_jsonfeed;
extern const mtport_exporter mtport_exporter_wxr;
extern const mtport_exporter mtport_exporter_hugo;
extern const mtport_exporter mtport_exporter_jekyll;
extern const mtport_exporter mtport_exporter_eleventy;

const mtport_exporter *const mtport_builtin_exporters[] = {
    &mtport_exporter_jsonfeed, &mtport_exporter_wxr,      &mtport_exporter_hugo,
    &mtport_exporter_jekyll,   &mtport_exporter_eleventy, NULL,
};
