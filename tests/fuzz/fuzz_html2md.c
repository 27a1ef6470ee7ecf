/* Fuzz target for HTML to Markdown with the proof. Asserts: no crash,
 * valid UTF-8 out, deterministic, and the proof never fails silently:
 * when the report says "no differences", the final Markdown is rendered
 * with cmark-gfm and its visible content (text, link targets, image
 * sources) must equal the source's. */
#include "html2md/html2md_int.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void S_fail(const char *what, const uint8_t *data, size_t size,
                   const mtport_buf *md) {
  fprintf(stderr, "fuzz_html2md: %s\ninput (%zu bytes): %.*s\nmarkdown:\n%s\n",
          what, size, (int)(size > 2000 ? 2000 : size), (const char *)data,
          md->data ? md->data : "");
  abort();
}

/* Signature of a whole HTML document (see mtport_md__signature). */
static void S_doc_sig(mtport_buf *sig, const char *html, size_t len) {
  htmlDocPtr d = mtport_md__parse_html(html, len);
  if (!d)
    return;
  if (d->children)
    mtport_md__signature(sig, d->children, xmlGetLastChild((xmlNode *)d), NULL);
  xmlFreeDoc(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 1 << 20)
    return 0;
  mtport_buf md = MTPORT_BUF_INIT, md2 = MTPORT_BUF_INIT;
  mtport_md_report r, r2;
  memset(&r, 0, sizeof r);
  memset(&r2, 0, sizeof r2);
  if (mtport_html_to_markdown(&md, (const char *)data, size, NULL, &r) !=
      MTPORT_OK)
    S_fail("conversion failed", data, size, &md);
  const char *out = md.data ? md.data : "";
  if (!mtport_utf8_valid(out, md.len) || strlen(out) != md.len)
    S_fail("output is not valid UTF-8", data, size, &md);
  if ((r.differences || r.raw_blocks) && !r.findings.len)
    S_fail("fallback or difference without a finding", data, size, &md);
  if (r.findings.len && !mtport_utf8_valid(r.findings.data, r.findings.len))
    S_fail("findings are not valid UTF-8", data, size, &md);
  mtport_html_to_markdown(&md2, (const char *)data, size, NULL, &r2);
  if (md2.len != md.len || (md.len && memcmp(md.data, md2.data, md.len)))
    S_fail("not deterministic", data, size, &md);
  if (!r.differences) {
    /* Independent end-to-end check of the final Markdown. */
    mtport_buf in = MTPORT_BUF_INIT, a = MTPORT_BUF_INIT, b = MTPORT_BUF_INIT;
    mtport_utf8_sanitize(&in, (const char *)data, size);
    S_doc_sig(&a, in.data ? in.data : "", in.len);
    cmark_node *doc = mtport_md__parse_md(out, md.len);
    char *html = doc ? cmark_render_html(doc, CMARK_OPT_UNSAFE, NULL) : NULL;
    if (html)
      S_doc_sig(&b, html, strlen(html));
    int same = strcmp(a.data ? a.data : "", b.data ? b.data : "") == 0;
    free(html);
    if (doc)
      cmark_node_free(doc);
    mtport_buf_dispose(&in);
    mtport_buf_dispose(&a);
    mtport_buf_dispose(&b);
    if (!same)
      S_fail("proof reported no difference but the rendering differs", data,
             size, &md);
  }
  mtport_md_report_dispose(&r);
  mtport_md_report_dispose(&r2);
  mtport_buf_dispose(&md);
  mtport_buf_dispose(&md2);
  return 0;
}
