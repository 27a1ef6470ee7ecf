/* MT's own text filters beyond Convert Line Breaks, private to
 * src/html2md/: SmartyPants, as Movable Type ran it. */
#ifndef MTPORT_TEXTILE_H
#define MTPORT_TEXTILE_H

#include "core/core.h"
#include <stddef.h>

/* SmartyPants 1.5.1 with attribute "1" (quotes, backticks, "--" em dashes,
 * ellipses) over @n bytes of HTML, appended to @out; the contents of pre,
 * code, kbd, script and math are left alone. MTPORT_OK or MTPORT_ENOMEM. */
int mtport__smartypants(mtport_buf *out, const char *s, size_t n);

#endif
