/* What src/html2md/ offers the other folders of libmtport, beyond the
 * public convert.h (HTML -> Markdown with its proof, MT's text filters,
 * HTML -> text): the one-time set-up of libxml2 and cmark-gfm, which the
 * pipeline calls before it starts worker threads. */
#ifndef MTPORT_HTML2MD_H
#define MTPORT_HTML2MD_H

/* Sets up libxml2 and registers the GFM extensions once per process
 * (thread-safe). */
void mtport_md__init(void);

#endif
