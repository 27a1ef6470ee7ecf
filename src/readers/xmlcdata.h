/* CDATA sections rewritten as escaped text as the input is read (private
 * to libmtport).
 *
 * libxml2 2.9's streaming reader (xmlTextReader, which the importers use to
 * stay in constant memory) takes time quadratic in the length of a CDATA
 * section: `xmllint --stream` spends 9 s on a 9 MB CDATA body that the same
 * reader parses in 0.06 s as escaped text. MT writes bodies as CDATA in its
 * Atom feeds and backups, so the importers' read callbacks pass their bytes
 * through this filter: a `<![CDATA[...]]>` longer than 256 KB is closed
 * there and its rest becomes the same characters with `&`, `<` and `>`
 * escaped, which the parser turns back into the very same text (up to
 * there it passes as it is: escaped text costs libxml2 more per byte, and
 * the quadratic term of 256 KB is small). Comments,
 * processing instructions, tags (quoted values included) and declarations pass
 * untouched; line breaks are kept, so line numbers do not move. The filter is
 * for UTF-8 documents only (in Shift_JIS a
 * ']' can be the second byte of a character). */
#ifndef MTPORT_XMLCDATA_H
#define MTPORT_XMLCDATA_H
#include "mtport/common.h"
#include <stddef.h>

typedef struct mtport_xmlcdata {
  int on; /* 0: pass everything through */
  /* private */
  int st, quote, big;
  unsigned run, depth, plen;
  char pend[9];   /* a "<!..." prefix not yet decided */
  size_t len;     /* bytes of the current CDATA section so far */
  unsigned attrs; /* '=' seen in the current tag, outside quotes */
} mtport_xmlcdata;

/* libxml2 2.9 takes time quadratic in the number of attributes of one
 * element (each is checked against and appended after all the others):
 * an element with more than this many is refused. MT writes about 40. */
#define MTPORT_XML_MAX_ATTRS 512u
/* What the readers say when the filter refuses an element. */
#define MTPORT_XML_ATTRS_WHY                                                   \
  "an element has more than 512 attributes (mtport's limit)"

/* Starts a filter; @p on is 0 for documents not in UTF-8. It holds no
 * memory: nothing to free. */
void mtport_xmlcdata__init(mtport_xmlcdata *f, int on);
/* Filters the next @p n bytes, appending to @p out (a few bytes may be
 * held back until the next call). Returns MTPORT_OK, MTPORT_ENOMEM, or
 * MTPORT_EPARSE for an element with more than MTPORT_XML_MAX_ATTRS
 * attributes. */
int mtport_xmlcdata__filter(mtport_xmlcdata *f, const char *in, size_t n,
                            mtport_buf *out);
/* At the end of the input: appends what was held back. */
int mtport_xmlcdata__finish(mtport_xmlcdata *f, mtport_buf *out);
/* 1 unless the XML declaration names an encoding other than UTF-8, or the
 * input starts with a UTF-16 byte order mark. */
int mtport_xml__is_utf8_doc(const unsigned char *head, size_t n);
#endif
