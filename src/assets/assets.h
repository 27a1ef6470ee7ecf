/* What src/assets/ offers the other folders of libmtport: the whole layer
 * is public (include/mtport/assets.h: references in HTML and their
 * rewriting, URL classification, internal-link keys, the backup archive,
 * its asset records, the mirror folder, the content store, the report).
 * Beyond it, the decoding of HTML character references the layer uses,
 * for a stage that must read attribute values the same way. */
#ifndef MTPORT_ASSETS_STAGE_H
#define MTPORT_ASSETS_STAGE_H

#include "mtport/mtport.h"

/* Appends @n bytes of an HTML attribute value to @out with its character
 * references decoded as libxml2's HTML parser does (named ones need their
 * ';'; numeric ones out of range become U+FFFD). MTPORT_OK or
 * MTPORT_ENOMEM. */
int mtport_assets__decode_entities(mtport_buf *out, const char *s, size_t n);

#endif
