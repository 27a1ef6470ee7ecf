/* Where an XML document's root element ends, found by a small lexical scan
 * of the bytes as they are read (private to libmtport).
 *
 * libxml2's streaming reader gives up at the first error, and content after
 * the root element ("Extra content at the end of the document") is one that
 * even XML_PARSE_RECOVER does not get past: every node already parsed but
 * not yet walked is lost with it. A reader's input callback therefore runs
 * its bytes through mtport_xmltail__scan(), hands libxml2 only the bytes
 * that belong to the document, reads the rest itself (scanning it too) and,
 * at the end, reports `junk` if set: a warning with --recover, else an
 * error.
 *
 * The scan knows tags, quoted attribute values, comments, CDATA sections,
 * processing instructions and the DOCTYPE (with an internal subset); it
 * counts elements, not names, so in a malformed document it may end early,
 * but libxml2 has then been given the fault already. Bytes are taken as
 * ASCII-compatible (UTF-8, Latin-1, Shift_JIS, ...); for UTF-16 input the
 * scan is off and passes everything through. */
#ifndef MTPORT_XMLTAIL_H
#define MTPORT_XMLTAIL_H

#include <stddef.h>

typedef struct mtport_xmltail {
  int on;        /* 0: UTF-16 input, every byte belongs to the document */
  int root_done; /* the root element has closed */
  int junk;      /* content other than white space, comments and PIs
                    follows it; junk_line/junk_col say where (1-based) */
  unsigned long junk_line, junk_col;
  unsigned long long prolog; /* bytes scanned before the root element */
  /* private */
  int st, quote, prev;
  unsigned run;
  unsigned long depth, decl, line, col, lt_line, lt_col;
} mtport_xmltail;

/* libxml2's streaming reader keeps every byte before the root element in
 * memory (a pipe of blanks grows it without end): an input with more than
 * this before its root element is refused. */
#define MTPORT_XML_MAX_PROLOG ((unsigned long long)1 << 20)
#define MTPORT_XML_PROLOG_WHY                                                  \
  "more than 1 MB before the root element (mtport's limit)"

/* Starts a scan; @p head is the input's first bytes (for the encoding). */
void mtport_xmltail__init(mtport_xmltail *t, const unsigned char *head,
                          size_t n);

/* Scans the next @p n bytes of the input. Returns how many of them belong
 * to the document: all of them until the root element closes, then the
 * count up to its '>', then 0. Scanning stops at the first junk byte. */
size_t mtport_xmltail__scan(mtport_xmltail *t, const char *p, size_t n);

#endif
