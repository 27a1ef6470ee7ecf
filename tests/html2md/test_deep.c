/* Hostile nesting: 50,000 levels of each construct must convert without
 * crashing (no recursion on input nesting), give valid UTF-8 and report no
 * unrepaired difference. */
#include <mtport/mtport.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define DEPTH 50000

static int failures;

static void run(const char *name, const char *open, const char *mid,
                const char *close) {
  mtport_buf in = MTPORT_BUF_INIT, out = MTPORT_BUF_INIT;
  for (int i = 0; i < DEPTH; i++)
    mtport_buf_puts(&in, open);
  mtport_buf_puts(&in, mid);
  for (int i = 0; i < DEPTH; i++)
    mtport_buf_puts(&in, close);
  mtport_md_report r;
  memset(&r, 0, sizeof r);
  clock_t t0 = clock();
  int rc = mtport_html_to_markdown(&out, in.data, in.len, NULL, &r);
  double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
  int ok = rc == MTPORT_OK &&
           mtport_utf8_valid(out.data ? out.data : "", out.len) &&
           r.differences == 0;
  printf("%-12s %s: %zu bytes in, %zu out, %lu raw, %lu differences, %.2fs\n",
         name, ok ? "ok" : "FAIL", in.len, out.len, r.raw_blocks, r.differences,
         s);
  if (!ok) {
    failures++;
    printf("%.400s\n", r.findings.data ? r.findings.data : "");
  }
  mtport_md_report_dispose(&r);
  mtport_buf_dispose(&in);
  mtport_buf_dispose(&out);
}

int main(void) {
  run("blockquote", "<blockquote>", "deep", "</blockquote>");
  run("div", "<div>", "deep", "</div>");
  run("ul", "<ul><li>", "deep", "</li></ul>");
  run("em/strong", "<em><strong>", "deep", "</strong></em>");
  run("span", "<span>", "deep", "</span>");
  run("a", "<a href=\"http://x.org/\">", "deep", "</a>");
  run("table", "<table><tr><td>", "deep", "</td></tr></table>");
  run("sup", "<sup>", "deep", "</sup>");
  run("unclosed", "<b><i><u>", "deep", "");
  return failures ? 1 : 0;
}
