/* The CDATA filter of the importers (src/readers/xmlcdata.c): documents without a
 * long CDATA section pass byte for byte, however the input is cut; a long
 * one reaches the parser as the very same characters; off means off. */
#include "readers/xmlcdata.h"
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int S_fail;
#define CHECK(c, ...)                                                          \
  do {                                                                         \
    if (!(c)) {                                                                \
      printf("FAIL %s:%d: ", __FILE__, __LINE__);                              \
      printf(__VA_ARGS__);                                                     \
      printf("\n");                                                            \
      S_fail++;                                                                \
    }                                                                          \
  } while (0)

/* The filter's output for @p doc fed in pieces of @p chunk bytes. */
static void S_filter(const char *doc, size_t n, size_t chunk, int on,
                     mtport_buf *out) {
  mtport_xmlcdata f;
  mtport_xmlcdata__init(&f, on);
  mtport_buf_clear(out);
  for (size_t i = 0; i < n; i += chunk)
    mtport_xmlcdata__filter(&f, doc + i, n - i < chunk ? n - i : chunk, out);
  mtport_xmlcdata__finish(&f, out);
}

/* The text content of the root element as libxml2 reads it. */
static char *S_text(const char *doc, size_t n) {
  xmlDocPtr d = xmlReadMemory(doc, (int)n, "t.xml", NULL,
                              XML_PARSE_NOCDATA | XML_PARSE_NONET |
                                  XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!d)
    return NULL;
  xmlChar *t = xmlNodeGetContent(xmlDocGetRootElement(d));
  char *s = NULL;
  if (t) {
    size_t n2 = strlen((const char *)t);
    s = malloc(n2 + 1);
    if (s)
      memcpy(s, t, n2 + 1);
  }
  xmlFree(t);
  xmlFreeDoc(d);
  return s;
}

static const size_t S_chunks[] = {1, 2, 3, 5, 7, 9, 13, 4096, (size_t)-1};

int main(void) {
  static const char *const same[] = {
      "<a><![CDATA[<x> & y]]></a>",
      "<a><![CDATA[x]]]>y</a>",
      "<a><![CDATA[]]><![CDATA[]]]]><![CDATA[>]]></a>",
      "<a><!-- <![CDATA[ not a section --><b x=\"<![CDATA[\">t</b></a>",
      "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e \"]]>\">]><a>&amp;</a>",
      "<a><?pi <![CDATA[ ?>text<![CDATA[]>]]]></a>",
      "<a><![CDATA",           /* cut inside the opener */
      "<a><![CDATA[unclosed]", /* cut inside the section */
      "<a b='x]]>y'><![CDA></a>",
  };
  mtport_buf out = MTPORT_BUF_INIT;
  for (size_t d = 0; d < sizeof same / sizeof *same; d++)
    for (size_t c = 0; c < sizeof S_chunks / sizeof *S_chunks; c++)
      for (int on = 0; on < 2; on++) {
        size_t n = strlen(same[d]);
        S_filter(same[d], n, S_chunks[c], on, &out);
        CHECK(out.len == n && memcmp(out.data, same[d], n) == 0,
              "doc %zu, chunks of %zu, on=%d: changed to %s", d, S_chunks[c],
              on, out.data ? out.data : "");
      }

  /* a section of 300 KB with every character that matters in it */
  mtport_buf doc = MTPORT_BUF_INIT;
  mtport_buf_puts(&doc, "<a>head <![CDATA[");
  for (int i = 0; doc.len < 300000; i++)
    mtport_buf_printf(&doc, "<p>%d & ]] ]> ] <!-- x --> &amp;</p>\n", i);
  mtport_buf_puts(&doc, "end]]]> tail<![CDATA[short]]></a>");
  char *want = S_text(doc.data, doc.len);
  CHECK(want != NULL, "the test document parses");
  for (size_t c = 0; want && c < sizeof S_chunks / sizeof *S_chunks; c++) {
    S_filter(doc.data, doc.len, S_chunks[c], 1, &out);
    char *got = S_text(out.data, out.len);
    CHECK(got && strcmp(got, want) == 0,
          "chunks of %zu: the long section reads differently", S_chunks[c]);
    CHECK(out.data && strstr(out.data, "&lt;p&gt;"),
          "chunks of %zu: the long section was not turned into text",
          S_chunks[c]);
    CHECK(out.data && strstr(out.data, "<![CDATA[short]]>"),
          "chunks of %zu: a short section after it did not pass as it is",
          S_chunks[c]);
    free(got);
  }
  free(want);

  /* short sections followed by much markup: the markup is left alone (a
   * section end the filter missed would turn it into text after 256 KB) */
  mtport_buf_clear(&doc);
  mtport_buf_puts(&doc, "<a><![CDATA[x]]><![CDATA[y]]]><![CDATA[]]>");
  while (doc.len < 300000)
    mtport_buf_puts(&doc, "<b c=\"]]>\">t &amp; ]]&gt;</b>\n");
  mtport_buf_puts(&doc, "</a>");
  for (size_t c = 0; c < sizeof S_chunks / sizeof *S_chunks; c++) {
    S_filter(doc.data, doc.len, S_chunks[c], 1, &out);
    CHECK(out.len == doc.len && memcmp(out.data, doc.data, doc.len) == 0,
          "chunks of %zu: markup after short sections changed", S_chunks[c]);
  }
  mtport_buf_dispose(&doc);
  mtport_buf_dispose(&out);
  printf("%s\n", S_fail ? "FAILED" : "ok");
  return S_fail ? 1 : 0;
}
