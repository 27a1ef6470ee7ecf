/* Outputs the converter's fast paths must keep. The expected Markdown was
 * produced by the converter before the speed-ups (commit e94f816). */
#include <mtport/mtport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int S_fail;

static void S_conv(mtport_buf *out, const char *html, size_t len) {
  mtport_md_options o = MTPORT_MD_OPTIONS_INIT;
  o.base_url = "http://example.com/blog/entry.html";
  mtport_md_report r;
  memset(&r, 0, sizeof r);
  mtport_buf_clear(out);
  if (mtport_html_to_markdown(out, html, len, &o, &r) != MTPORT_OK) {
    printf("FAIL conversion error\n");
    S_fail = 1;
  }
  if (r.raw_blocks || r.differences) {
    printf("FAIL proof: %lu raw, %lu differences\n", r.raw_blocks,
           r.differences);
    S_fail = 1;
  }
  mtport_md_report_dispose(&r);
}

static void S_case(const char *name, const char *html, size_t len,
                   const char *want) {
  mtport_buf out = MTPORT_BUF_INIT;
  S_conv(&out, html, len);
  const char *got = out.data ? out.data : "";
  if (strcmp(got, want) != 0) {
    printf("FAIL %s\n--- want\n%s--- got\n%s---\n", name, want, got);
    S_fail = 1;
  }
  mtport_buf_dispose(&out);
}

#define CASE(name, lit, want) S_case(name, lit, sizeof lit - 1, want)

int main(void) {
  /* Controls inside and between words: dropped, spaces collapsed. */
  CASE("controls in text",
       "<p>a\x01"
       "b c \x02 d\x03 e\x7f f</p><p>\x01 g</p>",
       "ab c d e f\n\ng\n");
  /* Needs repair (Latin-1 byte, NUL, U+FFFE, beyond U+10FFFF, surrogate):
   * the sanitized copy is parsed. */
  CASE("repaired input",
       "<p>caf\xe9 x\0y \xef\xbf\xbe z\xf4\x90\x80\x80 \xed\xa0\x80 w</p>",
       "caf\xef\xbf\xbd xy z\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
       " \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd w\n");
  /* Valid UTF-8, tabs and CRLF: parsed in place. */
  CASE("clean input",
       "<p>ok \xef\xbf\xbd \xf0\x9f\x98\x80 \xc2\xa0 \xe2\x80\x8b end</p>\n"
       "<p>tab\there\r\nline</p>",
       "ok \xef\xbf\xbd \xf0\x9f\x98\x80 \xc2\xa0 \xe2\x80\x8b end\n\n"
       "tab here line\n");
  /* A charset declaration does not change how the (UTF-8) input reads. */
  CASE("meta charset ignored",
       "<meta charset=\"iso-8859-1\"><p>caf\xc3\xa9 \xe6\x9d\xb1</p>",
       "caf\xc3\xa9 \xe6\x9d\xb1\n");

  /* A body over the arena limit (1 MB) converts block by block exactly as
   * a small one does. */
  static const char block[] =
      "<p>w <em>a</em> _b_ [c] <a href=\"/y\">t</a> `x` &amp; "
      "<code>k</code></p>\n";
  mtport_buf one = MTPORT_BUF_INIT, big = MTPORT_BUF_INIT,
             want = MTPORT_BUF_INIT, got = MTPORT_BUF_INIT;
  S_conv(&one, block, sizeof block - 1);
  size_t n = ((size_t)1 << 20) / (sizeof block - 1) + 2;
  for (size_t i = 0; i < n; i++) {
    mtport_buf_append(&big, block, sizeof block - 1);
    if (i)
      mtport_buf_putc(&want, '\n');
    mtport_buf_append(&want, one.data, one.len);
  }
  S_conv(&got, big.data, big.len);
  if (big.len <= ((size_t)1 << 20) || !got.data ||
      strcmp(got.data, want.data) != 0) {
    printf("FAIL big body (%zu bytes) differs from %zu small ones\n", big.len,
           n);
    S_fail = 1;
  }
  mtport_buf_dispose(&one);
  mtport_buf_dispose(&big);
  mtport_buf_dispose(&want);
  mtport_buf_dispose(&got);
  if (!S_fail)
    printf("ok\n");
  return S_fail;
}
