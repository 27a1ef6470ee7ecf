/* Tests of mtport_html_clean(), the junk removal of the HTML outputs.
 *
 *   clean_test unit            cases: what goes, what stays byte for byte
 *   clean_test corpus FILE...  every body of every input: the cleaned HTML
 *                              converts to the same Markdown as the
 *                              original, and the Markdown converter counts
 *                              as removed exactly what the cleaner removed
 *                              (77 when no input is present)
 */
#include "../helpers.h"
#include "mtport/mtport.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Cleans @in and compares with @want; @kinds is "scripts styles heads
 * trackers" as four digits. */
static void S_case(const char *in, const char *want, const char *kinds) {
  mtport_buf out = MTPORT_BUF_INIT;
  mtport_clean_report r;
  memset(&r, 0, sizeof r);
  int rc = mtport_html_clean(&out, in, strlen(in), &r);
  EXPECT(rc == MTPORT_OK, "clean failed on %s", in);
  const char *got = out.data ? out.data : "";
  EXPECT(strcmp(got, want) == 0, "clean(%s)\n  got  %s\n  want %s", in, got,
         want);
  char k[32];
  snprintf(k, sizeof k, "%lu%lu%lu%lu", r.scripts, r.styles, r.heads,
           r.trackers);
  EXPECT(strcmp(k, kinds) == 0, "clean(%s): counts %s, want %s", in, k, kinds);
  mtport_buf_dispose(&out);
}

static int S_unit(void) {
  /* nothing to remove: the bytes as they are, odd markup included */
  S_case("<P>Hello <b>world</p>", "<P>Hello <b>world</p>", "0000");
  S_case("<p>a < b &amp; c</p>\n\n<img src=\"x.png\" width=\"100\" "
         "height=\"1\">",
         "<p>a < b &amp; c</p>\n\n<img src=\"x.png\" width=\"100\" "
         "height=\"1\">",
         "0000");
  /* scripts and styles, with markup-like text inside */
  S_case("<p>a</p><script>if (a < b) document.write('<p>x</p>');</script>"
         "<p>b</p>",
         "<p>a</p><p>b</p>", "1000");
  S_case("<p>x</p>\n<SCRIPT type=\"text/javascript\" src=\"http://static."
         "zemanta.com/readside/loader.js\" defer=\"defer\"></SCRIPT>\n",
         "<p>x</p>\n\n", "1000");
  S_case("<style>p > a { color: red }</style><p>t</p>", "<p>t</p>", "0100");
  S_case("<p>t<noscript><img src=\"n.gif\"></noscript>!</p>", "<p>t!</p>",
         "1000");
  S_case("<template><p>hidden</p></template><p>shown</p>", "<p>shown</p>",
         "1000");
  S_case("<meta name=\"x\" content=\"y\"><link rel=\"stylesheet\" "
         "href=\"s.css\"><base href=\"http://a/\"><p>x</p>",
         "<p>x</p>", "0030");
  /* tracking junk, with a '<' and a '>' in an attribute value */
  S_case("<p>a<img alt=\"x<y>\" src=\"http://feeds.feedburner.com/~r/b/~4/"
         "z\" height=\"1\" width=\"1\"/>b</p>",
         "<p>ab</p>", "0001");
  S_case("<p>a<img src=\"p.gif\" width=\"1\" height=\"1px\">b</p>", "<p>ab</p>",
         "0001");
  S_case("<div class=\"zemanta-pixie\" style=\"margin-top:10px\"><a "
         "class=\"zemanta-pixie-a\" href=\"http://reblog.zemanta.com/x/\">"
         "<img class=\"zemanta-pixie-img\" src=\"http://img.zemanta.com/"
         "reblog_e.png?x-id=1\" alt=\"Reblog this post [with Zemanta]\" />"
         "</a><div>nested</div></div><p>after</p>",
         "<p>after</p>", "0001");
  S_case("<p>before</p><div class=\"feedflare\">\n<a href=\"http://feeds."
         "feedburner.com/~ff/x?a=1\"><img src=\"http://feeds.feedburner.com/"
         "~ff/x?i=1\" border=\"0\"></img></a>\n</div><p>after</p>",
         "<p>before</p><p>after</p>", "0001");
  /* an element ended by the tag after it keeps that tag */
  S_case("<p class=\"zemanta-related\">Related<div>kept</div>",
         "<div>kept</div>", "0001");
  S_case("<div><p class=\"zemanta-related\">Related</div><p>kept</p>",
         "<div></div><p>kept</p>", "0001");
  /* an element open at the end of the input goes to the end */
  S_case("<p>x</p><script>never closed <p>y</p>", "<p>x</p>", "1000");
  S_case("<p>x</p><div class=\"feedflare\"><a href=\"y\">y</a>", "<p>x</p>",
         "0001");
  /* a comment that looks like markup is a comment */
  S_case("<!-- <script>x</script> --><p>k</p>",
         "<!-- <script>x</script> --><p>k</p>", "0000");
  S_case("<!-- <img src=p width=1 height=1> --><img src=\"p\" width=\"1\" "
         "height=\"1\"><p>k</p>",
         "<!-- <img src=p width=1 height=1> --><p>k</p>", "0001");
  /* implied elements around the first tag do not move the cut */
  S_case("text <script>x</script> more", "text  more", "1000");
  S_case("<html><body><script>x</script><p>y</p></body></html>",
         "<html><body><p>y</p></body></html>", "1000");
  /* several, and nested ones counted once */
  S_case("<script>a</script><p>1</p><style>b</style><noscript><script>c"
         "</script></noscript>",
         "<p>1</p>", "2100");
  /* what the quick look before the parse must not miss */
  S_case("<p>a<IMG SRC=\"p.gif\" WIDTH = \"1\" HEIGHT='0'>b</p>", "<p>ab</p>",
         "0001");
  S_case("<p>a<img src=\"http://feeds.feed\nburner.com/~r/x\">b</p>",
         "<p>ab</p>", "0001");
  S_case("<p>a<img src=\"p.gif\" width=\"&#49;\" height=\"1\">b</p>",
         "<p>ab</p>", "0001");
  S_case("<p>a<img src=\"p.gif\" width=\"10\" height=\"1\">b</p>",
         "<p>a<img src=\"p.gif\" width=\"10\" height=\"1\">b</p>", "0000");
  /* UTF-8 around the cuts */
  S_case("<p>日本語<img src=\"http://www.zemanta.com/pixy.gif\">ü</p>",
         "<p>日本語ü</p>", "0001");
  /* the escaping helper */
  mtport_buf b = MTPORT_BUF_INIT;
  EXPECT(mtport_html_escape(&b, "a&b<c>\"d'", 9) == MTPORT_OK &&
             strcmp(b.data, "a&amp;b&lt;c&gt;&quot;d'") == 0,
         "escape: %s", b.data ? b.data : "");
  mtport_buf_dispose(&b);
  /* empty input */
  mtport_buf e = MTPORT_BUF_INIT;
  EXPECT(mtport_html_clean(&e, "", 0, NULL) == MTPORT_OK && e.len == 0,
         "empty input");
  mtport_buf_dispose(&e);
  printf("%s\n", t_fail_count ? "failures" : "all passed");
  return t_fail_count ? 1 : 0;
}

/* One text of a post: the cleaned HTML must convert as the original. */
static void S_check_text(const mtport_post *p, const mtport_text *t,
                         const char *file, unsigned long *bodies,
                         unsigned long *removed) {
  if (!t->text || !*t->text ||
      (t->format != MTPORT_TEXT_HTML &&
       t->format != MTPORT_TEXT_CONVERT_BREAKS))
    return;
  mtport_buf html = MTPORT_BUF_INIT, clean = MTPORT_BUF_INIT,
             md1 = MTPORT_BUF_INIT, md2 = MTPORT_BUF_INIT;
  mtport_clean_report cr;
  memset(&cr, 0, sizeof cr);
  mtport_md_report r1, r2;
  memset(&r1, 0, sizeof r1);
  memset(&r2, 0, sizeof r2);
  mtport_md_options o = MTPORT_MD_OPTIONS_INIT;
  o.flags |= MTPORT_MD_NO_PROOF;
  int rc = mtport_text_to_html(&html, t, NULL);
  if (!rc)
    rc = mtport_html_clean(&clean, html.data ? html.data : "", html.len, &cr);
  if (!rc)
    rc = mtport_html_to_markdown(&md1, html.data ? html.data : "", html.len, &o,
                                 &r1);
  if (!rc)
    rc = mtport_html_to_markdown(&md2, clean.data ? clean.data : "", clean.len,
                                 &o, &r2);
  EXPECT(rc == MTPORT_OK, "%s entry %lu: conversion failed", file, p->ordinal);
  unsigned long removed_here = cr.scripts + cr.styles + cr.trackers;
  EXPECT(r1.removed == removed_here,
         "%s entry %lu: the converter removed %lu, the cleaner %lu", file,
         p->ordinal, r1.removed, removed_here);
  EXPECT(r2.removed == 0, "%s entry %lu: %lu left after cleaning", file,
         p->ordinal, r2.removed);
  EXPECT(strcmp(md1.data ? md1.data : "", md2.data ? md2.data : "") == 0,
         "%s entry %lu: the Markdown differs after cleaning:\n%s\n---\n%s",
         file, p->ordinal, md1.data ? md1.data : "", md2.data ? md2.data : "");
  if (cr.heads + removed_here == 0)
    EXPECT(clean.len == html.len &&
               (!html.len || memcmp(clean.data, html.data, html.len) == 0),
           "%s entry %lu: nothing removed, yet the bytes changed", file,
           p->ordinal);
  (*bodies)++;
  *removed += removed_here + cr.heads;
  mtport_md_report_dispose(&r1);
  mtport_md_report_dispose(&r2);
  mtport_buf_dispose(&html);
  mtport_buf_dispose(&clean);
  mtport_buf_dispose(&md1);
  mtport_buf_dispose(&md2);
}

static int S_corpus(int argc, char **argv) {
  int present = 0;
  unsigned long bodies = 0, removed = 0;
  for (int i = 0; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (!f)
      continue;
    fclose(f);
    mtport_reader_options ro = MTPORT_READER_OPTIONS_INIT;
    ro.flags |= MTPORT_READ_RECOVER;
    mtport_reader *r;
    if (mtport_reader_open(&r, argv[i], &ro) != MTPORT_OK)
      continue;
    present++;
    const mtport_post *p;
    while (mtport_reader_next(r, &p) == 1) {
      S_check_text(p, &p->body, argv[i], &bodies, &removed);
      S_check_text(p, &p->more, argv[i], &bodies, &removed);
    }
    mtport_reader_free(r);
  }
  if (!present) {
    printf("SKIP: no input present\n");
    return 77;
  }
  printf("%d inputs, %lu bodies, %lu elements removed\n", present, bodies,
         removed);
  return t_fail_count ? 1 : 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "unit") == 0)
    return S_unit();
  if (argc >= 2 && strcmp(argv[1], "corpus") == 0)
    return S_corpus(argc - 2, argv + 2);
  fprintf(stderr, "usage: clean_test unit | corpus FILE...\n");
  return 2;
}
