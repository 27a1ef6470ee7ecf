/* h2m: converts HTML from a file (or stdin) to Markdown and prints the
 * proof report on stderr. A helper for tests and manual checks. */
#include <mtport/mtport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  FILE *f = argc > 1 && strcmp(argv[1], "-") ? fopen(argv[1], "rb") : stdin;
  if (!f)
    return 2;
  mtport_buf in = MTPORT_BUF_INIT, out = MTPORT_BUF_INIT;
  char tmp[65536];
  size_t n;
  while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
    mtport_buf_append(&in, tmp, n);
  mtport_md_options o = MTPORT_MD_OPTIONS_INIT;
  if (argc > 2)
    o.base_url = argv[2];
  if (getenv("H2M_NOPROOF"))
    o.flags |= MTPORT_MD_NO_PROOF;
  mtport_md_report r;
  memset(&r, 0, sizeof r);
  /* H2M_BREAKS=1: the input is a Convert Line Breaks body. */
  const char *breaks = getenv("H2M_BREAKS");
  int rc;
  if (breaks && *breaks == '1') {
    mtport_text t = {in.data ? in.data : "", MTPORT_TEXT_CONVERT_BREAKS,
                     "__default__", NULL};
    rc = mtport_text_to_markdown(&out, &t, &o, &r);
  } else
    rc = mtport_html_to_markdown(&out, in.data ? in.data : "", in.len, &o, &r);
  fwrite(out.data ? out.data : "", 1, out.len, stdout);
  fprintf(stderr,
          "blocks=%lu raw_blocks=%lu raw_elements=%lu removed=%lu "
          "differences=%lu\n%s",
          r.blocks, r.raw_blocks, r.raw_elements, r.removed, r.differences,
          r.findings.data ? r.findings.data : "");
  mtport_md_report_dispose(&r);
  mtport_buf_dispose(&in);
  mtport_buf_dispose(&out);
  if (f != stdin)
    fclose(f);
  return rc ? 1 : (r.differences ? 3 : 0);
}
