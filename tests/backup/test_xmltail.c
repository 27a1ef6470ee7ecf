/* Unit test of src/readers/xmltail.c, the scan that finds where an XML document's
 * root element ends: each document is scanned whole, one byte at a time
 * and split at every position, and must give the same document length and
 * the same first junk position every way. */
#include "readers/xmltail.h"
#include <stdio.h>
#include <string.h>

static int S_fail;

typedef struct {
  const char *doc;
  size_t len;           /* 0: strlen(doc) */
  size_t keep;          /* bytes that belong to the document */
  int root_done;        /* the root element closes */
  unsigned long jl, jc; /* first junk (line, column), 0 0 for none */
} S_case;

static const S_case S_cases[] = {
    /* markup that holds '>' or "</r>" without ending anything */
    {"<?xml version=\"1.0\"?>\n<!-- c > -->\n<r a=\"x>y\" b='/>'>"
     "<![CDATA[</r> ]]]]><x/><!-- </r> --><?p </r> ?>t</r>\n<!-- t -->\n"
     "<?pi?> \r\n",
     0, 105, 1, 0, 0},
    {"<r/>junk", 0, 4, 1, 1, 5},
    {"<!DOCTYPE r [<!ENTITY e \"x>\">]><r></r>\n\n  <r/>", 0, 38, 1, 3, 3},
    {"<r>\n</r><!x>", 0, 8, 1, 2, 5},
    {"<r>\n</r>\n</r>", 0, 8, 1, 3, 1},
    {"<r><a>text", 0, 10, 0, 0, 0},      /* cut short: all to libxml2 */
    {"<r></r><!-- open", 0, 7, 1, 0, 0}, /* an unclosed comment is for */
    {"<r></r>x\0y", 10, 7, 1, 1, 8},     /* NUL in the junk */
    {"\xFF\xFE<\0r\0/\0>\0j\0", 12, 12, 0, 0, 0}, /* UTF-16: scan off */
};

static void S_check(const S_case *c, const char *how, size_t keep,
                    const mtport_xmltail *t) {
  unsigned long jl = t->junk ? t->junk_line : 0;
  unsigned long jc = t->junk ? t->junk_col : 0;
  if (keep != c->keep || t->root_done != c->root_done || jl != c->jl ||
      jc != c->jc) {
    fprintf(stderr,
            "FAIL (%s) %.30s...: keep %zu root_done %d junk %lu:%lu; want "
            "%zu %d %lu:%lu\n",
            how, c->doc, keep, t->root_done, jl, jc, c->keep, c->root_done,
            c->jl, c->jc);
    S_fail++;
  }
}

int main(void) {
  for (size_t i = 0; i < sizeof S_cases / sizeof *S_cases; i++) {
    const S_case *c = &S_cases[i];
    size_t n = c->len ? c->len : strlen(c->doc);
    const unsigned char *h = (const unsigned char *)c->doc;
    mtport_xmltail t;
    mtport_xmltail__init(&t, h, n);
    S_check(c, "whole", mtport_xmltail__scan(&t, c->doc, n), &t);
    mtport_xmltail__init(&t, h, n);
    size_t keep = 0;
    for (size_t k = 0; k < n; k++)
      keep += mtport_xmltail__scan(&t, c->doc + k, 1);
    S_check(c, "bytewise", keep, &t);
    for (size_t cut = 0; cut <= n; cut++) {
      mtport_xmltail__init(&t, h, n);
      keep = mtport_xmltail__scan(&t, c->doc, cut);
      keep += mtport_xmltail__scan(&t, c->doc + cut, n - cut);
      char how[32];
      snprintf(how, sizeof how, "split at %zu", cut);
      S_check(c, how, keep, &t);
    }
  }
  if (!S_fail)
    printf("ok: %zu documents\n", sizeof S_cases / sizeof *S_cases);
  return S_fail ? 1 : 0;
}
