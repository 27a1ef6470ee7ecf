/* MT's text filters called from several threads at once give, for every
 * text, the HTML and Markdown one thread gives (discount is serialised by a
 * lock; Textile and SmartyPants keep their state per call).
 *
 *   test_filter_threads CASES.TXT */
#include "cases.h"
#include <mtport/mtport.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 4
#define ROUNDS 20

typedef struct {
  mtport_text t;
  char *html, *md; /* one thread's results */
} S_text;

static S_text *S_texts;
static size_t S_n;

static int S_convert(const mtport_text *t, mtport_buf *h, mtport_buf *m) {
  mtport_buf_clear(h);
  mtport_buf_clear(m);
  mtport_md_report r;
  memset(&r, 0, sizeof r);
  int rc =
      mtport_text_to_html(h, t, NULL) | mtport_text_to_markdown(m, t, NULL, &r);
  mtport_md_report_dispose(&r);
  return rc;
}

static char *S_dup(const mtport_buf *b) {
  mtport_buf c = MTPORT_BUF_INIT;
  mtport_buf_append(&c, b->data ? b->data : "", b->len);
  if (!c.data)
    mtport_buf_puts(&c, "");
  return mtport_buf_detach(&c);
}

static void S_add(const t_case *c, void *arg) {
  (void)arg;
  S_text *v = realloc(S_texts, (S_n + 1) * sizeof *v);
  if (!v)
    exit(2);
  S_texts = v;
  S_text *x = &S_texts[S_n++];
  memset(x, 0, sizeof *x);
  mtport_text_format f =
      strstr(c->filter, "textile") ? MTPORT_TEXT_TEXTILE : MTPORT_TEXT_MARKDOWN;
  mtport_text_set(&x->t, c->text, (size_t)-1, f, c->filter);
}

static void *S_worker(void *arg) {
  size_t start = (size_t)(uintptr_t)arg, bad = 0;
  mtport_buf h = MTPORT_BUF_INIT, m = MTPORT_BUF_INIT;
  for (size_t k = 0; k < S_n * ROUNDS; k++) {
    const S_text *x = &S_texts[(start + k) % S_n];
    if (S_convert(&x->t, &h, &m) != MTPORT_OK ||
        strcmp(h.data ? h.data : "", x->html) != 0 ||
        strcmp(m.data ? m.data : "", x->md) != 0)
      bad++;
  }
  mtport_buf_dispose(&h);
  mtport_buf_dispose(&m);
  return (void *)(uintptr_t)bad;
}

int main(int argc, char **argv) {
  if (argc < 2 || t_cases(argv[1], S_add, NULL) <= 0) {
    fprintf(stderr, "usage: test_filter_threads CASES.TXT\n");
    return 2;
  }
  /* one thread first */
  mtport_buf h = MTPORT_BUF_INIT, m = MTPORT_BUF_INIT;
  for (size_t i = 0; i < S_n; i++) {
    if (S_convert(&S_texts[i].t, &h, &m) != MTPORT_OK)
      return 2;
    S_texts[i].html = S_dup(&h);
    S_texts[i].md = S_dup(&m);
  }
  mtport_buf_dispose(&h);
  mtport_buf_dispose(&m);
  pthread_t th[THREADS];
  for (int i = 0; i < THREADS; i++)
    if (pthread_create(&th[i], NULL, S_worker,
                       (void *)(uintptr_t)(i * S_n / THREADS)) != 0)
      return 2;
  size_t bad = 0;
  for (int i = 0; i < THREADS; i++) {
    void *r;
    pthread_join(th[i], &r);
    bad += (size_t)(uintptr_t)r;
  }
  printf("%zu texts x %d rounds on %d threads: %zu differ from one "
         "thread's\n",
         S_n, ROUNDS, THREADS, bad);
  for (size_t i = 0; i < S_n; i++) {
    free(S_texts[i].t.text);
    free(S_texts[i].t.filter);
    free(S_texts[i].html);
    free(S_texts[i].md);
  }
  free(S_texts);
  return bad ? 1 : 0;
}
