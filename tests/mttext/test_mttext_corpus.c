/* Every `mt-text` file listed in the corpus MANIFEST.tsv reads without a
 * fatal error and gives exactly the manifest's entry, comment and ping
 * counts (the true ones, not the separator counts). Exits 77 (skipped) when
 * the corpus is absent. usage: test_mttext_corpus CORPUS_DIR */
#include <mtport/mtport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned long S_stat(const char *notes, const char *key) {
  const char *s = strstr(notes, "stats: ");
  if (!s)
    return (unsigned long)-1;
  s = strstr(s, key);
  return s ? strtoul(s + strlen(key), NULL, 10) : (unsigned long)-1;
}

static void S_diag(const mtport_diag *d, void *ud) {
  if (d->severity >= MTPORT_SEV_ERROR) {
    mtport_buf b = MTPORT_BUF_INIT;
    mtport_diag_format(d, &b);
    fprintf(stderr, "  %s\n", b.data ? b.data : "");
    mtport_buf_dispose(&b);
    (*(int *)ud)++;
  }
}

int main(int argc, char **argv) {
  if (argc < 2)
    return 2;
  char path[4096];
  snprintf(path, sizeof path, "%s/MANIFEST.tsv", argv[1]);
  FILE *m = fopen(path, "r");
  if (!m) {
    printf("corpus absent (%s): skipped\n", path);
    return 77;
  }
  char line[8192];
  int files = 0, fail = 0;
  clock_t t0 = clock();
  while (fgets(line, sizeof line, m)) {
    char *col[8] = {0};
    int n = 0;
    for (char *p = line; n < 8 && p;) {
      col[n++] = p;
      p = strchr(p, '\t');
      if (p)
        *p++ = '\0';
    }
    if (n < 8 || strcmp(col[4], "mt-text") != 0)
      continue;
    unsigned long want_e = strtoul(col[5], NULL, 10);
    unsigned long want_c = S_stat(col[7], "comments=");
    unsigned long want_p = S_stat(col[7], "pings=");
    if (snprintf(path, sizeof path, "%s/%s", argv[1], col[0]) >=
        (int)sizeof path) {
      fprintf(stderr, "FAIL %s: path too long\n", col[0]);
      fail++;
      continue;
    }
    int errors = 0;
    mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
    o.diag = S_diag;
    o.diag_payload = &errors;
    mtport_reader *r;
    int rc = mtport_reader_open(&r, path, &o);
    if (rc != MTPORT_OK) {
      fprintf(stderr, "FAIL %s: open rc %d\n", col[0], rc);
      fail++;
      continue;
    }
    if (strcmp(mtport_reader_format(r), "mt-text") != 0) {
      fprintf(stderr, "FAIL %s: sniffed as %s\n", col[0],
              mtport_reader_format(r));
      fail++;
    }
    const mtport_post *p;
    unsigned long e = 0, c = 0, pg = 0, bad_utf8 = 0;
    while ((rc = mtport_reader_next(r, &p)) == 1) {
      e++;
      for (size_t i = 0; i < p->n_comments; i++) {
        if (p->comments[i].kind == MTPORT_COMMENT)
          c++;
        else
          pg++;
      }
      if (p->body.text &&
          !mtport_utf8_valid(p->body.text, strlen(p->body.text)))
        bad_utf8++;
    }
    mtport_reader_free(r);
    int ok = rc == 0 && e == want_e && c == want_c && pg == want_p && !bad_utf8;
    printf("%s %s: entries %lu/%lu comments %lu/%lu pings %lu/%lu "
           "(errors reported: %d)\n",
           ok ? "ok  " : "FAIL", col[0], e, want_e, c, want_c, pg, want_p,
           errors);
    fail += !ok;
    files++;
  }
  fclose(m);
  printf("%d mt-text file(s), %d failure(s), %.2f s CPU\n", files, fail,
         (double)(clock() - t0) / CLOCKS_PER_SEC);
  return fail || !files ? 1 : 0;
}
