/* HTML to Markdown: placeholder until issue #3 lands (keeps HTML as is,
 * which CommonMark renders as raw HTML blocks). */
#include "internal.h"

void mtport_md_report_dispose(mtport_md_report *r) {
  if (r)
    mtport_buf_dispose(&r->findings);
}

int mtport_html_to_markdown(mtport_buf *out, const char *html, size_t len,
                            const mtport_md_options *opts,
                            mtport_md_report *report) {
  return mtport_buf_append(out, html, len);
}
