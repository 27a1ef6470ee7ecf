/* Runs tests/filters/cases.txt: every text must render to the expected
 * HTML (and Markdown, where the case gives it), pass the Markdown proof with
 * no difference, give valid UTF-8 and the same result twice. */
#include "cases.h"
#include <mtport/mtport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures, cases;

/* The text without its trailing newlines. */
static size_t S_trim(const char *s) {
  size_t n = strlen(s);
  while (n && s[n - 1] == '\n')
    n--;
  return n;
}

static int S_same(const char *a, const char *b) {
  size_t n = S_trim(a);
  return n == S_trim(b) && memcmp(a, b, n) == 0;
}

static void S_check(const char *name, const char *filter, int crlf,
                    const char *text, const char *want_html,
                    const char *want_md) {
  cases++;
  mtport_buf in = MTPORT_BUF_INIT;
  for (const char *p = text; *p; p++) {
    if (*p == '\n' && crlf)
      mtport_buf_putc(&in, '\r');
    mtport_buf_putc(&in, *p);
  }
  mtport_text_format f =
      strstr(filter, "textile") ? MTPORT_TEXT_TEXTILE : MTPORT_TEXT_MARKDOWN;
  mtport_text t = {in.data ? in.data : "", f, (char *)filter, NULL};
  mtport_buf h1 = MTPORT_BUF_INIT, h2 = MTPORT_BUF_INIT, m1 = MTPORT_BUF_INIT,
             m2 = MTPORT_BUF_INIT;
  mtport_md_report r1, r2;
  memset(&r1, 0, sizeof r1);
  memset(&r2, 0, sizeof r2);
  int rc = mtport_text_to_html(&h1, &t, NULL) |
           mtport_text_to_html(&h2, &t, NULL) |
           mtport_text_to_markdown(&m1, &t, NULL, &r1) |
           mtport_text_to_markdown(&m2, &t, NULL, &r2);
  const char *html = h1.data ? h1.data : "", *md = m1.data ? m1.data : "";
  if (rc != MTPORT_OK) {
    failures++;
    printf("FAIL %s: conversion returned an error\n", name);
  }
  if (!S_same(html, want_html)) {
    failures++;
    printf("FAIL %s (html)\n--- want\n%s\n--- got\n%s\n---\n", name, want_html,
           html);
  }
  if (want_md && !S_same(md, want_md)) {
    failures++;
    printf("FAIL %s (markdown)\n--- want\n%s\n--- got\n%s\n---\n", name,
           want_md, md);
  }
  if (r1.differences) {
    failures++;
    printf("FAIL %s: the proof found %lu differences\n%s", name, r1.differences,
           r1.findings.data ? r1.findings.data : "");
  }
  if (!mtport_utf8_valid(html, h1.len) || !mtport_utf8_valid(md, m1.len)) {
    failures++;
    printf("FAIL %s: output is not valid UTF-8\n", name);
  }
  if (strcmp(html, h2.data ? h2.data : "") != 0 ||
      strcmp(md, m2.data ? m2.data : "") != 0) {
    failures++;
    printf("FAIL %s: not deterministic\n", name);
  }
  mtport_md_report_dispose(&r1);
  mtport_md_report_dispose(&r2);
  mtport_buf_dispose(&in);
  mtport_buf_dispose(&h1);
  mtport_buf_dispose(&h2);
  mtport_buf_dispose(&m1);
  mtport_buf_dispose(&m2);
}

static void S_case(const t_case *c, void *arg) {
  (void)arg;
  S_check(c->name, c->filter, c->crlf, c->text, c->html, c->md);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: test_filter_cases CASES.TXT\n");
    return 2;
  }
  if (t_cases(argv[1], S_case, NULL) < 0) {
    fprintf(stderr, "cannot read %s (or a case has no \"--- html\")\n",
            argv[1]);
    return 2;
  }
  printf("%d cases, %d failures\n", cases, failures);
  return failures || cases == 0 ? 1 : 0;
}
