/* The converter called from several threads at once gives, for every
 * body, the Markdown and report a single thread gives (it keeps per-call
 * and _Thread_local state only: arenas, the SAX tree builder).
 *
 *   test_threads CASES.TXT
 *
 * Bodies: every case's HTML, plus one over the 1 MB arena limit; then one
 * body dense with strikethrough and tables converted by every thread at
 * once, many times: cmark-gfm 0.29 shares its table of special inline
 * characters between parsers, and without mtport's lock such parses made
 * about one conversion in ten fall back to raw HTML. */
#include "../slurp.h"
#include <mtport/mtport.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
#define ROUNDS 3

typedef struct {
  char *html;
  size_t len;
  char *md; /* the single-threaded result */
  unsigned long raw, diff;
} S_body;

static S_body *S_bodies;
static size_t S_n, S_rounds = ROUNDS;

static int S_convert(const S_body *b, mtport_buf *out, unsigned long *raw,
                     unsigned long *diff) {
  mtport_md_options o = MTPORT_MD_OPTIONS_INIT;
  o.base_url = "http://example.com/blog/entry.html";
  mtport_md_report r;
  memset(&r, 0, sizeof r);
  mtport_buf_clear(out);
  int rc = mtport_html_to_markdown(out, b->html, b->len, &o, &r);
  *raw = r.raw_blocks;
  *diff = r.differences;
  mtport_md_report_dispose(&r);
  return rc;
}

/* Each thread converts every body ROUNDS times, starting at a different
 * body so the threads work on different ones at the same moment. */
static void *S_worker(void *arg) {
  size_t start = (size_t)(uintptr_t)arg, bad = 0;
  mtport_buf out = MTPORT_BUF_INIT;
  for (size_t k = 0; k < S_n * S_rounds; k++) {
    const S_body *b = &S_bodies[(start + k) % S_n];
    unsigned long raw, diff;
    if (S_convert(b, &out, &raw, &diff) != MTPORT_OK ||
        strcmp(out.data ? out.data : "", b->md) != 0 || raw != b->raw ||
        diff != b->diff)
      bad++;
  }
  mtport_buf_dispose(&out);
  return (void *)(uintptr_t)bad;
}

static void S_add(const char *html, size_t len) {
  S_body *nb = realloc(S_bodies, (S_n + 1) * sizeof *nb);
  if (!nb)
    exit(2);
  S_bodies = nb;
  S_body *b = &S_bodies[S_n++];
  memset(b, 0, sizeof *b);
  b->html = malloc(len + 1);
  if (!b->html)
    exit(2);
  memcpy(b->html, html, len);
  b->html[len] = 0;
  b->len = len;
}

/* Runs the workers; returns how many conversions differed. */
static size_t S_run(void) {
  /* pthreads, not C11 threads: ThreadSanitizer intercepts only these. */
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++)
    if (pthread_create(&t[i], NULL, S_worker,
                       (void *)(uintptr_t)(i * S_n / THREADS)) != 0) {
      printf("FAIL: cannot start a thread\n");
      exit(1);
    }
  size_t bad = 0;
  for (int i = 0; i < THREADS; i++) {
    void *r = NULL;
    pthread_join(t[i], &r);
    bad += (size_t)(uintptr_t)r;
  }
  return bad;
}

static void S_free_bodies(void) {
  for (size_t i = 0; i < S_n; i++) {
    free(S_bodies[i].html);
    free(S_bodies[i].md);
  }
  free(S_bodies);
  S_bodies = NULL;
  S_n = 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: test_threads CASES.TXT\n");
    return 2;
  }
  size_t text_len;
  char *text = t_slurp(argv[1], &text_len);
  if (!text) {
    perror(argv[1]);
    return 2;
  }
  for (const char *p = text; p && (p = strstr(p, "\n=== ")) != NULL;) {
    const char *start = strchr(p + 1, '\n');
    const char *end = start ? strstr(start, "\n--- markdown\n") : NULL;
    if (!end)
      break;
    S_add(start + 1, (size_t)(end - start));
    p = end;
  }
  mtport_buf big = MTPORT_BUF_INIT;
  while (big.len < ((size_t)1 << 20) + 4096)
    mtport_buf_puts(&big, "<p>A <em>big</em> body, <a href=\"/x\">link</a> "
                          "&amp; <code>code</code>.</p>\n<ul><li>item</li>"
                          "</ul>\n");
  S_add(big.data, big.len);
  mtport_buf_dispose(&big);
  free(text);

  mtport_buf out = MTPORT_BUF_INIT;
  for (size_t i = 0; i < S_n; i++) {
    if (S_convert(&S_bodies[i], &out, &S_bodies[i].raw, &S_bodies[i].diff) !=
        MTPORT_OK) {
      printf("FAIL: body %zu does not convert\n", i);
      return 1;
    }
    S_bodies[i].md = mtport_buf_detach(&out);
  }
  size_t bad = S_run();
  printf("%zu bodies x %zu rounds x %d threads: %zu differ from one thread\n",
         S_n, S_rounds, THREADS, bad);
  S_free_bodies();

  /* strikethrough and tables, on every thread at once */
  mtport_buf dense = MTPORT_BUF_INIT;
  for (int para = 0; para < 20; para++) {
    mtport_buf_puts(&dense, "<p>");
    for (int i = 0; i < 50; i++)
      mtport_buf_puts(&dense, "word <del>gone</del> more text, ");
    mtport_buf_puts(&dense, "</p>\n<table><tr><th>a</th><th>b</th></tr>"
                            "<tr><td>1</td><td>2</td></tr></table>\n");
  }
  S_add(dense.data, dense.len);
  mtport_buf_dispose(&dense);
  if (S_convert(&S_bodies[0], &out, &S_bodies[0].raw, &S_bodies[0].diff) !=
          MTPORT_OK ||
      S_bodies[0].raw || S_bodies[0].diff) {
    printf("FAIL: the dense body does not convert cleanly alone\n");
    return 1;
  }
  S_bodies[0].md = mtport_buf_detach(&out);
  S_rounds = 150;
  size_t bad2 = S_run();
  printf("dense body x %zu rounds x %d threads: %zu differ from one thread\n",
         S_rounds, THREADS, bad2);
  S_free_bodies();
  return bad || bad2 ? 1 : 0;
}
