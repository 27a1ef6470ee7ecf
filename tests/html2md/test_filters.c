/* Convert Line Breaks (both MT generations, mt-formats §5.2) and
 * mtport_text_to_html / mtport_text_to_markdown by format. */
#include <mtport/mtport.h>
#include <stdio.h>
#include <string.h>

static int failures;

static void check_breaks(int gen, const char *in, const char *want) {
  mtport_buf b = MTPORT_BUF_INIT;
  mtport_convert_breaks_ex(&b, in, strlen(in), gen);
  const char *got = b.data ? b.data : "";
  if (strcmp(got, want) != 0) {
    failures++;
    printf("FAIL breaks gen %d\n  in:   [%s]\n  want: [%s]\n  got:  [%s]\n",
           gen, in, want, got);
  }
  mtport_buf_dispose(&b);
}

static void check_html(mtport_text_format f, const char *filter, const char *in,
                       const char *base, const char *want) {
  mtport_text t = {(char *)in, f, (char *)filter, NULL};
  mtport_buf b = MTPORT_BUF_INIT;
  mtport_text_to_html(&b, &t, base);
  const char *got = b.data ? b.data : "";
  if (strcmp(got, want) != 0) {
    failures++;
    printf("FAIL to_html %d\n  in:   [%s]\n  want: [%s]\n  got:  [%s]\n",
           (int)f, in, want, got);
  }
  mtport_buf_dispose(&b);
}

static void check_md(mtport_text_format f, const char *in, const char *want) {
  mtport_text t = {(char *)in, f, NULL, NULL};
  mtport_buf b = MTPORT_BUF_INIT;
  mtport_md_report r;
  memset(&r, 0, sizeof r);
  mtport_text_to_markdown(&b, &t, NULL, &r);
  const char *got = b.data ? b.data : "";
  if (strcmp(got, want) != 0 || r.differences) {
    failures++;
    printf("FAIL to_md %d\n  in:   [%s]\n  want: [%s]\n  got:  [%s]\n", (int)f,
           in, want, got);
  }
  mtport_md_report_dispose(&r);
  mtport_buf_dispose(&b);
}

int main(void) {
  const int T = MTPORT_BREAKS_TRADITIONAL, M = MTPORT_BREAKS_MODERN;
  /* The examples of mt-formats.md §5.2, verified against MT itself. */
  const char *both[][2] = {
      {"Line one\nLine two\n\nPara two",
       "<p>Line one<br />\nLine two</p>\n\n<p>Para two</p>"},
      {"a\n\n\nb", "<p>a</p>\n\n<p><br />\nb</p>"},
      {"<P>upper</P>\n\nx", "<p><P>upper</P></p>\n\n<p>x</p>"},
      {"<img src=x>\nnext", "<p><img src=x><br />\nnext</p>"},
  };
  for (size_t i = 0; i < sizeof both / sizeof both[0]; i++) {
    check_breaks(T, both[i][0], both[i][1]);
    check_breaks(M, both[i][0], both[i][1]);
  }
  check_breaks(T, "<pre>code\n  indented\n\nmore</pre>\n\nafter",
               "<pre>code\n  indented\n\n<p>more</pre></p>\n\n<p>after</p>");
  check_breaks(M, "<pre>code\n  indented\n\nmore</pre>\n\nafter",
               "<pre>code\n  indented\n\nmore</pre>\n\n<p>after</p>");
  check_breaks(T, "<div class=\"x\">\ninside\n</div>",
               "<div class=\"x\">\ninside\n</div>");
  check_breaks(M, "<div class=\"x\">\ninside\n</div>",
               "<div class=\"x\">\ninside<br />\n</div>");
  check_breaks(T, "text then\n<blockquote>q</blockquote>",
               "<p>text then<br />\n<blockquote>q</blockquote></p>");
  check_breaks(M, "text then\n<blockquote>q</blockquote>",
               "text then<br />\n<blockquote>q</blockquote>");
  check_breaks(T, "<!-- c -->\n\nhi", "<p><!-- c --></p>\n\n<p>hi</p>");
  check_breaks(M, "<!-- c -->\n\nhi", "<!-- c -->\n\n<p>hi</p>");
  /* Traditional details: prefix test (<p matches <param>), CRLF, and
   * Perl's split dropping trailing empty fields. */
  check_breaks(T, "<param name=x>\nnext", "<param name=x>\nnext");
  check_breaks(T, "a\r\nb\r\n\r\nc", "<p>a<br />\nb</p>\n\n<p>c</p>");
  check_breaks(T, "a\n\n", "<p>a</p>");
  check_breaks(T, "", "");
  /* Modern details: whole-word tag names, comments and the special case. */
  check_breaks(M, "<param name=x>\nnext", "<p><param name=x><br />\nnext</p>");
  check_breaks(M, "a\r\nb", "<p>a<br />\nb</p>");
  check_breaks(M, "<div>\ntext\n\nmore\n</div>",
               "<div>\ntext<br /><br />\n\nmore<br />\n</div>");
  check_breaks(M, "<script>\nx\n\ny\n</script>\n\nz",
               "<script>\nx\n\ny\n</script>\n\n<p>z</p>");
  check_breaks(M, "a <!-- x\n\ny --> b", "<p>a <!-- x\n\ny --> b</p>");

  /* text_to_html by format */
  check_html(MTPORT_TEXT_HTML, NULL, "<p>x</p>", NULL, "<p>x</p>");
  check_html(MTPORT_TEXT_CONVERT_BREAKS, "__default__", "a\nb", NULL,
             "<p>a<br />\nb</p>");
  /* MT 9's CommonMark plugin (gfm): cmark-gfm with its table extension;
   * Markdown.pl's filters are covered by tests/filters */
  check_html(MTPORT_TEXT_MARKDOWN, "gfm", "*a* <b>x</b>\n\n| a |\n|---|\n| 1 |",
             NULL,
             "<p><em>a</em> <b>x</b></p>\n<table>\n<thead>\n<tr>\n<th>a</th>\n"
             "</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n</tr>\n</tbody>\n"
             "</table>\n");
  check_html(MTPORT_TEXT_MARKDOWN, "markdown_with_smartypants", "\"q\"", NULL,
             "<p>&#8220;q&#8221;</p>\n");
  check_html(MTPORT_TEXT_PLAIN, NULL, "a < b & \"c\"", NULL,
             "a &lt; b &amp; &quot;c&quot;");
  check_html(MTPORT_TEXT_TEXTILE, "textile_2", "h1. *x*", NULL,
             "<h1><strong>x</strong></h1>");
  check_html(MTPORT_TEXT_HTML, NULL, "<a href=\"/x\">y</a>",
             "http://example.com/blog/",
             "<a href=\"http://example.com/x\">y</a>");

  /* text_to_markdown by format */
  check_md(MTPORT_TEXT_MARKDOWN, "*em* as is", "*em* as is\n");
  check_md(MTPORT_TEXT_TEXTILE, "h1. raw", "# raw\n");
  check_md(MTPORT_TEXT_HTML, "<p>a <b>b</b></p>", "a **b**\n");
  check_md(MTPORT_TEXT_CONVERT_BREAKS, "one\ntwo\n\nthree",
           "one\\\ntwo\n\nthree\n");
  check_md(MTPORT_TEXT_PLAIN, "*not* <b>bold</b>",
           "\\*not\\* \\<b>bold\\</b>\n");

  mtport_text tx = {"x", MTPORT_TEXT_TEXTILE, "textile_2", NULL};
  mtport_text hx = {"x", MTPORT_TEXT_HTML, NULL, NULL};
  mtport_text ux = {"x", MTPORT_TEXT_UNKNOWN, "textile_9", NULL};
  if (!mtport_text_filter_supported(&tx) ||
      !mtport_text_filter_supported(&hx) || mtport_text_filter_supported(&ux)) {
    failures++;
    printf("FAIL filter_supported\n");
  }
  printf("%d failures\n", failures);
  return failures ? 1 : 0;
}
