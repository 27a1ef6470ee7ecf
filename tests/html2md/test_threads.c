/* The converter called from several threads at once gives, for every
 * body, the Markdown and report a single thread gives (it keeps per-call
 * and _Thread_local state only: arenas, the SAX tree builder).
 *
 *   test_threads CASES.TXT
 *
 * Bodies: every case's HTML, plus one over the 1 MB arena limit. */
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
static size_t S_n;

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
  for (size_t k = 0; k < S_n * ROUNDS; k++) {
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

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: test_threads CASES.TXT\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 2;
  }
  mtport_buf text = MTPORT_BUF_INIT;
  char tmp[65536];
  size_t k;
  while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
    mtport_buf_append(&text, tmp, k);
  fclose(f);
  for (const char *p = text.data; p && (p = strstr(p, "\n=== ")) != NULL;) {
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
  mtport_buf_dispose(&text);

  mtport_buf out = MTPORT_BUF_INIT;
  for (size_t i = 0; i < S_n; i++) {
    if (S_convert(&S_bodies[i], &out, &S_bodies[i].raw, &S_bodies[i].diff) !=
        MTPORT_OK) {
      printf("FAIL: body %zu does not convert\n", i);
      return 1;
    }
    S_bodies[i].md = mtport_buf_detach(&out);
  }
  /* pthreads, not C11 threads: ThreadSanitizer intercepts only these. */
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++)
    if (pthread_create(&t[i], NULL, S_worker,
                       (void *)(uintptr_t)(i * S_n / THREADS)) != 0) {
      printf("FAIL: cannot start a thread\n");
      return 1;
    }
  size_t bad = 0;
  for (int i = 0; i < THREADS; i++) {
    void *r = NULL;
    pthread_join(t[i], &r);
    bad += (size_t)(uintptr_t)r;
  }
  printf("%zu bodies x %d rounds x %d threads: %zu differ from one thread\n",
         S_n, ROUNDS, THREADS, bad);
  for (size_t i = 0; i < S_n; i++) {
    free(S_bodies[i].html);
    free(S_bodies[i].md);
  }
  free(S_bodies);
  return bad ? 1 : 0;
}
