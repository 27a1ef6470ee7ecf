/* MT's own text filters beyond Convert Line Breaks, private to
 * src/html2md/: Textile 2 and SmartyPants, both as Movable Type ran them. */
#ifndef MTPORT_TEXTILE_H
#define MTPORT_TEXTILE_H

#include "core/core.h"
#include <stddef.h>

/* Renders @n bytes of Textile 2 (valid UTF-8) as HTML, appended to @out,
 * as MT's Textile 2 plugin did (Text::Textile 2.12 with SmartyPants).
 * Linear in @n, never recursive beyond a fixed depth. MTPORT_OK or
 * MTPORT_ENOMEM. */
int mtport__textile_to_html(mtport_buf *out, const char *s, size_t n);

/* SmartyPants 1.5.1 with attribute "1" (quotes, backticks, "--" em dashes,
 * ellipses) over @n bytes of HTML, appended to @out; the contents of pre,
 * code, kbd, script and math are left alone. MTPORT_OK or MTPORT_ENOMEM. */
int mtport__smartypants(mtport_buf *out, const char *s, size_t n);

#endif
