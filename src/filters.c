/* MT text filters: placeholder until issue #3 lands. */
#include "internal.h"
#include <string.h>

int mtport_text_filter_supported(const mtport_text *t) {
  return t->format != MTPORT_TEXT_TEXTILE && t->format != MTPORT_TEXT_UNKNOWN;
}

int mtport_convert_breaks(mtport_buf *out, const char *text, size_t len) {
  return mtport_buf_append(out, text, len);
}

int mtport_text_to_html(mtport_buf *out, const mtport_text *t,
                        const char *base_url) {
  if (!t->text)
    return MTPORT_OK;
  return mtport_html_absolutize(out, t->text, strlen(t->text),
                                base_url ? base_url : t->base);
}

int mtport_text_to_markdown(mtport_buf *out, const mtport_text *t,
                            const mtport_md_options *opts,
                            mtport_md_report *report) {
  if (!t->text)
    return MTPORT_OK;
  return mtport_html_to_markdown(out, t->text, strlen(t->text), opts, report);
}
