/* filt: renders a text through one MT text filter, for tests and manual
 * checks. usage: filt [--md] FILTER [FILE]   (FILTER as CONVERT BREAKS
 * names it: textile_2, markdown, markdown_with_smartypants, ...); prints
 * the HTML (or with --md the Markdown, and the proof report on stderr). */
#include <mtport/mtport.h>
#include <stdio.h>
#include <string.h>

static mtport_text_format S_format(const char *f) {
  if (strstr(f, "textile"))
    return MTPORT_TEXT_TEXTILE;
  if (strstr(f, "markdown") || !strcmp(f, "commonmark") || !strcmp(f, "gfm"))
    return MTPORT_TEXT_MARKDOWN;
  if (!strcmp(f, "1") || !strcmp(f, "__default__"))
    return MTPORT_TEXT_CONVERT_BREAKS;
  return MTPORT_TEXT_HTML;
}

int main(int argc, char **argv) {
  int md = argc > 1 && !strcmp(argv[1], "--md");
  if (argc < 2 + md) {
    fprintf(stderr, "usage: filt [--md] FILTER [FILE]\n");
    return 2;
  }
  const char *filter = argv[1 + md];
  FILE *f = argc > 2 + md ? fopen(argv[2 + md], "rb") : stdin;
  if (!f)
    return 2;
  mtport_buf in = MTPORT_BUF_INIT, out = MTPORT_BUF_INIT;
  char tmp[65536];
  size_t n;
  while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
    mtport_buf_append(&in, tmp, n);
  if (f != stdin)
    fclose(f);
  mtport_text t = {in.data ? in.data : "", S_format(filter), (char *)filter,
                   NULL};
  int rc;
  mtport_md_report r;
  memset(&r, 0, sizeof r);
  if (md)
    rc = mtport_text_to_markdown(&out, &t, NULL, &r);
  else
    rc = mtport_text_to_html(&out, &t, NULL);
  fwrite(out.data ? out.data : "", 1, out.len, stdout);
  if (md)
    fprintf(stderr, "blocks=%lu raw_blocks=%lu differences=%lu\n%s", r.blocks,
            r.raw_blocks, r.differences,
            r.findings.data ? r.findings.data : "");
  int diff = md && r.differences;
  mtport_md_report_dispose(&r);
  mtport_buf_dispose(&in);
  mtport_buf_dispose(&out);
  return rc ? 1 : diff ? 3 : 0;
}
