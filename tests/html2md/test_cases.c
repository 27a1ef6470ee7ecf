/* Runs tests/html2md/cases.txt: every case must convert to the expected
 * Markdown, pass the proof (no differences; raw HTML fallback only where
 * the case says so), give valid UTF-8, be deterministic, and be a fixed
 * point: the HTML cmark-gfm renders from our Markdown converts back to the
 * same Markdown. */
#include "../slurp.h"
#include <mtport/mtport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASE "http://example.com/blog/entry.html"

static int failures, cases, fixed_points;

static void convert(const char *html, size_t len, mtport_buf *out,
                    mtport_md_report *r) {
  mtport_md_options o = MTPORT_MD_OPTIONS_INIT;
  o.base_url = BASE;
  memset(r, 0, sizeof *r);
  if (mtport_html_to_markdown(out, html, len, &o, r) != MTPORT_OK) {
    failures++;
    printf("FAIL: conversion returned an error\n");
  }
}

static void run_case(const char *name, const char *html, const char *want) {
  cases++;
  int expect_fallback = strstr(name, "[fallback]") != NULL;
  /* [quirk]: written with a construct a consumer renders differently,
   * which the report counts as a difference */
  int expect_quirk = strstr(name, "[quirk]") != NULL;
  mtport_buf md = MTPORT_BUF_INIT, again = MTPORT_BUF_INIT;
  mtport_md_report r, r2;
  convert(html, strlen(html), &md, &r);
  const char *got = md.data ? md.data : "";
  if (strcmp(got, want) != 0) {
    failures++;
    printf("FAIL %s\n--- want\n%s--- got\n%s---\n", name, want, got);
  }
  if (expect_quirk ? !(r.differences && r.findings.data &&
                       strstr(r.findings.data, "written with"))
                   : r.differences != 0) {
    failures++;
    printf("FAIL %s: proof reports %lu differences%s\n%s", name, r.differences,
           expect_quirk ? ", want a target quirk" : "",
           r.findings.data ? r.findings.data : "");
  }
  if ((r.raw_blocks > 0) != expect_fallback) {
    failures++;
    printf("FAIL %s: raw_blocks=%lu but fallback %sexpected\n%s", name,
           r.raw_blocks, expect_fallback ? "" : "not ",
           r.findings.data ? r.findings.data : "");
  }
  if (!mtport_utf8_valid(got, strlen(got))) {
    failures++;
    printf("FAIL %s: output is not valid UTF-8\n", name);
  }
  convert(html, strlen(html), &again, &r2);
  if (strcmp(got, again.data ? again.data : "") != 0) {
    failures++;
    printf("FAIL %s: not deterministic\n", name);
  }
  mtport_md_report_dispose(&r2);
  /* Fixed point: Markdown -> HTML (cmark-gfm) -> Markdown. */
  mtport_text t = {(char *)got, MTPORT_TEXT_MARKDOWN, "gfm", NULL};
  mtport_buf html2 = MTPORT_BUF_INIT, md2 = MTPORT_BUF_INIT;
  mtport_text_to_html(&html2, &t, NULL);
  mtport_buf_clear(&again);
  convert(html2.data ? html2.data : "", html2.len, &md2, &r2);
  if (strcmp(got, md2.data ? md2.data : "") != 0) {
    failures++;
    printf("FAIL %s: not a fixed point\n--- first\n%s--- html\n%s--- second\n"
           "%s---\n",
           name, got, html2.data ? html2.data : "", md2.data ? md2.data : "");
  } else
    fixed_points++;
  mtport_md_report_dispose(&r2);
  mtport_md_report_dispose(&r);
  mtport_buf_dispose(&md);
  mtport_buf_dispose(&again);
  mtport_buf_dispose(&html2);
  mtport_buf_dispose(&md2);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: test_cases cases.txt\n");
    return 2;
  }
  size_t n;
  char *text = t_slurp(argv[1], &n);
  if (!text) {
    perror(argv[1]);
    return 2;
  }
  /* "=== name" / html lines / "--- markdown" / markdown lines */
  mtport_buf name = MTPORT_BUF_INIT, html = MTPORT_BUF_INIT,
             md = MTPORT_BUF_INIT;
  int state = 0; /* 0 outside, 1 html, 2 markdown */
  char *line = text;
  for (;;) {
    char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line) : strlen(line);
    int end = !nl && !len;
    if (end || strncmp(line, "=== ", 4) == 0) {
      if (state == 2) {
        /* the blank separator line before the next case is not content */
        if (md.len >= 2 && md.data[md.len - 1] == '\n' &&
            md.data[md.len - 2] == '\n')
          md.len--, md.data[md.len] = 0;
        if (html.len && html.data[html.len - 1] == '\n')
          html.data[--html.len] = 0;
        run_case(name.data, html.data ? html.data : "", md.data ? md.data : "");
      }
      if (end)
        break;
      mtport_buf_clear(&name);
      mtport_buf_clear(&html);
      mtport_buf_clear(&md);
      mtport_buf_append(&name, line + 4, len - 4);
      state = 1;
    } else if (state == 1 && len == 12 &&
               strncmp(line, "--- markdown", 12) == 0) {
      state = 2;
      mtport_buf_puts(&md, "");
    } else if (state == 1) {
      mtport_buf_append(&html, line, len);
      mtport_buf_putc(&html, '\n');
    } else if (state == 2) {
      mtport_buf_append(&md, line, len);
      mtport_buf_putc(&md, '\n');
    }
    if (!nl)
      line += len;
    else
      line = nl + 1;
  }
  printf("%d cases, %d fixed points, %d failures\n", cases, fixed_points,
         failures);
  mtport_buf_dispose(&name);
  mtport_buf_dispose(&html);
  mtport_buf_dispose(&md);
  free(text);
  return failures || cases < 200 ? 1 : 0;
}
