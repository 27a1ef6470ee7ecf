/* Hostile texts for MT's filters: deep nesting, marks that never close,
 * huge tables, bytes that are not UTF-8. Each must convert without a
 * crash, give valid UTF-8 and Markdown with no proof difference, and take
 * time linear in its size: the CPU time of four times the text stays under
 * eight times that of the text (a quadratic path takes sixteen). */
#include <mtport/mtport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int failures;

static int S_convert(mtport_text_format f, const char *filter,
                     const mtport_buf *in, int md, double *secs) {
  mtport_text t = {in->data ? in->data : "", f, (char *)filter, NULL};
  mtport_buf out = MTPORT_BUF_INIT;
  mtport_md_report r;
  memset(&r, 0, sizeof r);
  clock_t t0 = clock();
  int rc = md ? mtport_text_to_markdown(&out, &t, NULL, &r)
              : mtport_text_to_html(&out, &t, NULL);
  *secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  int ok = rc == MTPORT_OK && r.differences == 0 &&
           mtport_utf8_valid(out.data ? out.data : "", out.len);
  mtport_md_report_dispose(&r);
  mtport_buf_dispose(&out);
  return ok;
}

/* @head + @unit x @count + @tail */
static void S_make(mtport_buf *b, const char *head, const char *unit,
                   size_t count, const char *tail) {
  mtport_buf_clear(b);
  mtport_buf_puts(b, head);
  for (size_t i = 0; i < count; i++)
    mtport_buf_puts(b, unit);
  mtport_buf_puts(b, tail);
}

/* One nested or huge text, to HTML and to Markdown. */
static void S_deep(const char *name, mtport_text_format f, const char *filter,
                   const char *head, const char *unit, size_t count,
                   const char *mid, const char *close) {
  mtport_buf in = MTPORT_BUF_INIT;
  S_make(&in, head, unit, count, mid);
  for (size_t i = 0; close && i < count; i++)
    mtport_buf_puts(&in, close);
  double a = 0, b = 0;
  int ok = S_convert(f, filter, &in, 0, &a) && S_convert(f, filter, &in, 1, &b);
  printf("%-34s %s: %zu bytes, %.2fs + %.2fs\n", name, ok ? "ok" : "FAIL",
         in.len, a, b);
  failures += !ok;
  mtport_buf_dispose(&in);
}

/* discount (the Markdown filters) grows its buffers by 100 bytes at a
 * time: fine with glibc's realloc, quadratic under the sanitizers', which
 * always move the block. There only its results are checked, not its time. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define S_TIME_MARKDOWN 0
/* Sizes a fifth as large: the sanitizers look for bad accesses, which
 * 20,000 levels show as well as 100,000 (a recursion would overflow
 * sooner there), and the full sizes took 9 minutes of a CI run. */
#define S_N(n) ((n) / 5)
#else
#define S_TIME_MARKDOWN 1
#define S_N(n) (n)
#endif

/* The same unit repeated n and 4n times, to HTML: linear time. */
static void S_linear(const char *name, mtport_text_format f, const char *filter,
                     const char *unit, size_t n) {
  mtport_buf in = MTPORT_BUF_INIT;
  double t1 = 0, t4 = 0;
  int ok = 1;
  for (int rep = 0; rep < 2 && ok; rep++) { /* the better of two runs */
    double a = 0, b = 0;
    S_make(&in, "", unit, n, "");
    ok = S_convert(f, filter, &in, 0, &a);
    S_make(&in, "", unit, 4 * n, "");
    ok = ok && S_convert(f, filter, &in, 0, &b);
    t1 = rep == 0 || a < t1 ? a : t1;
    t4 = rep == 0 || b < t4 ? b : t4;
  }
  int lin =
      t4 <= 8 * t1 + 0.05 || (f == MTPORT_TEXT_MARKDOWN && !S_TIME_MARKDOWN);
  printf("%-34s %s: %zu bytes %.3fs, x4 %.3fs\n", name,
         ok && lin ? "ok" : "FAIL", in.len / 4, t1, t4);
  failures += !(ok && lin);
  mtport_buf_dispose(&in);
}

int main(void) {
  const mtport_text_format T = MTPORT_TEXT_TEXTILE, M = MTPORT_TEXT_MARKDOWN;
  /* nesting */
  mtport_buf deep = MTPORT_BUF_INIT;
  S_make(&deep, "* top\n", "*", S_N(100000), " deep\n* back");
  S_deep("textile: 100k nested list", T, "textile_2", deep.data, "", 0, "",
         NULL);
  mtport_buf_dispose(&deep);
  S_deep("textile: 100k nested blockquotes", T, "textile_2", "", "<blockquote>",
         S_N(100000), "x", "</blockquote>");
  S_deep("textile: 100k nested spans", T, "textile_2", "", "%", S_N(100000),
         "x", "%");
  S_deep("textile: 100k cells", T, "textile_2", "", "|a", S_N(100000), "|",
         NULL);
  S_deep("textile: 20k rows", T, "textile_2", "", "|a|b|\n", S_N(20000), "",
         NULL);
  S_deep("markdown: 100k nested quotes", M, "markdown", "", ">", S_N(100000),
         " x", NULL);
  S_deep("markdown: 100k nested lists", M, "markdown", "", "* ", S_N(100000),
         "x", NULL);
  S_deep("markdown: 100k nested brackets", M, "markdown", "", "[", S_N(100000),
         "x", "]");
  S_deep("smartypants: 100k nested code", M, "markdown_with_smartypants", "",
         "<code>", S_N(100000), "\"x\"", "</code>");

  /* marks that never close, and other rescans, in linear time */
  static const char *const tx[] = {
      "*a ",   "_a ",    "**a ",    "-a ",     "@a ",   "%a ",  "!a ",
      "\"a ",  "\"a\":", "[\"a\":", "{a",      "(a",    "<a ",  "<!-- ",
      "<pre>", "<code>", "==a ",    "\n\n==a", "ABC(",  "^a ",  "~a ",
      "{{",    "(((",    "!{",      "*{a",     "\"(",   "|a",   "a\n",
      "* a\n", "10x",    "NASA ",   "&",       "\"(a(", "[a]/", "\n[a(b)]/x ",
      "<b>",   "a_b ",   "p(",      "table(",  NULL};
  for (int i = 0; tx[i]; i++) {
    char name[64];
    snprintf(name, sizeof name, "textile: \"%s\"...", tx[i]);
    for (char *p = name; *p; p++)
      if (*p == '\n')
        *p = '|';
    S_linear(name, T, "textile_2", tx[i], S_N(65536) / strlen(tx[i]));
  }
  static const char *const md[] = {"[a ",   "[a](<",   "[a][",      "<a ",
                                   "<!-- ", "<p>\n\n", "<div>\n\n", "\"a' ",
                                   "-- ",   "* ",      NULL};
  for (int i = 0; md[i]; i++) {
    char name[64];
    snprintf(name, sizeof name, "markdown: \"%s\"...", md[i]);
    for (char *p = name; *p; p++)
      if (*p == '\n')
        *p = '|';
    S_linear(name, M, "markdown_with_smartypants", md[i],
             S_N(65536) / strlen(md[i]));
  }

  /* bytes that are not UTF-8 (the model's setter repairs them, as the
   * readers do) and the markers the converter uses inside */
  const char *bad = "\xff\xfe*a* \xc3( _b_ \x01\x02 \"q\" h1. x\xe2\x82";
  for (int k = 0; k < 2; k++) {
    mtport_text t = {NULL, MTPORT_TEXT_NONE, NULL, NULL};
    mtport_text_set(&t, bad, (size_t)-1, k ? M : T,
                    k ? "markdown_with_smartypants" : "textile_2");
    mtport_buf in = MTPORT_BUF_INIT;
    mtport_buf_puts(&in, t.text);
    double s;
    int ok = S_convert(t.format, t.filter, &in, 0, &s) &&
             S_convert(t.format, t.filter, &in, 1, &s);
    /* and the raw bytes straight to the converter */
    mtport_text raw = {(char *)bad + 2, T, "textile_2", NULL};
    mtport_buf o = MTPORT_BUF_INIT;
    ok = ok && mtport_text_to_html(&o, &raw, NULL) == MTPORT_OK && o.data &&
         !strchr(o.data, '\x01') && !strchr(o.data, '\x02');
    printf("%-34s %s\n",
           k ? "markdown: invalid UTF-8" : "textile: invalid UTF-8",
           ok ? "ok" : "FAIL");
    failures += !ok;
    mtport_buf_dispose(&o);
    mtport_buf_dispose(&in);
    free(t.text);
    free(t.filter);
  }
  printf("%d failures\n", failures);
  return failures ? 1 : 0;
}
