/* libFuzzer target for MT's text filters: the input (repaired to UTF-8 by
 * the model's setter, as the readers do) through Textile 2, Markdown.pl's
 * Markdown or Markdown with SmartyPants, chosen by its first byte, to HTML
 * and to Markdown. The HTML must be valid UTF-8 and the same twice.
 * tests/fuzz/driver.c replays its corpus under ctest. */
#include <mtport/mtport.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void S_fail(const char *why) {
  (void)why;
  abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const filters[] = {"textile_2", "markdown",
                                        "markdown_with_smartypants"};
  if (!size)
    return 0;
  int k = data[0] % 3;
  mtport_text t = {NULL, MTPORT_TEXT_NONE, NULL, NULL};
  if (mtport_text_set(&t, (const char *)data + 1, size - 1,
                      k ? MTPORT_TEXT_MARKDOWN : MTPORT_TEXT_TEXTILE,
                      filters[k]) < 0)
    return 0;
  mtport_buf h1 = MTPORT_BUF_INIT, h2 = MTPORT_BUF_INIT, md = MTPORT_BUF_INIT;
  int rc = mtport_text_to_html(&h1, &t, NULL);
  if (rc == MTPORT_OK && !mtport_utf8_valid(h1.data ? h1.data : "", h1.len))
    S_fail("HTML is not UTF-8");
  if (rc == MTPORT_OK && mtport_text_to_html(&h2, &t, NULL) == MTPORT_OK &&
      (h1.len != h2.len || (h1.len && memcmp(h1.data, h2.data, h1.len) != 0)))
    S_fail("not deterministic");
  mtport_md_report r;
  memset(&r, 0, sizeof r);
  if (mtport_text_to_markdown(&md, &t, NULL, &r) == MTPORT_OK &&
      !mtport_utf8_valid(md.data ? md.data : "", md.len))
    S_fail("Markdown is not UTF-8");
  mtport_md_report_dispose(&r);
  mtport_buf_dispose(&h1);
  mtport_buf_dispose(&h2);
  mtport_buf_dispose(&md);
  free(t.text);
  free(t.filter);
  return 0;
}
