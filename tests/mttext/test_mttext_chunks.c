/* The feed/next core gives the same records whatever the split: every file
 * named on the command line is fed at split sizes 1..64 and its records
 * (text, first line, joins) and the posts parsed from them are compared
 * with a one-shot read. Missing files are skipped (corpus files). */
#include "readers/mttext.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int S_read_file(const char *path, mtport_buf *b) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  char chunk[65536];
  size_t k;
  while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
    mtport_buf_append(b, chunk, k);
  fclose(f);
  return 0;
}

/* A dump of every record the core yields for @in fed in @step pieces. */
static void S_records(const char *in, size_t n, size_t step, mtport_buf *out) {
  mtport_mtt_core *c;
  mtport_mtt__core_new(&c);
  mtport_mtt_record rec;
  for (size_t i = 0; i < n; i += step) {
    mtport_mtt__core_feed(c, in + i, n - i < step ? n - i : step);
    while (mtport_mtt__core_next(c, &rec)) {
      mtport_buf_printf(out, "@%lu/%u/%lu/%d\n", rec.line, rec.merges,
                        rec.merge_line, rec.orphan);
      mtport_buf_append(out, rec.text, rec.len);
    }
  }
  mtport_mtt__core_finish(c);
  while (mtport_mtt__core_next(c, &rec)) {
    mtport_buf_printf(out, "@%lu/%u/%lu/%d\n", rec.line, rec.merges,
                      rec.merge_line, rec.orphan);
    mtport_buf_append(out, rec.text, rec.len);
  }
  mtport_mtt__core_free(c);
}

/* A dump of the posts read from memory through the reader, @step bytes at
 * a time. */
static void S_posts(const char *in, size_t n, size_t step, mtport_buf *out) {
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  o.format = "mt-text";
  mtport_reader *r;
  if (mtport_reader_open_mem(&r, in, n, "chunk", &o) != MTPORT_OK)
    return;
  if (mtport_mtt__set_chunk_size(r, step) != MTPORT_OK) {
    mtport_reader_free(r);
    return;
  }
  const mtport_post *p;
  while (mtport_reader_next(r, &p) == 1) {
#define S_Z(x) ((x) ? (x) : "")
    mtport_buf_printf(out, "#%lu@%lu %s|%s|%s|%s|%s|%s|%s|%s|%d|%lld|%d|%d\n",
                      p->ordinal, p->origin.line, S_Z(p->title),
                      S_Z(p->basename), S_Z(p->permalink), S_Z(p->body.text),
                      S_Z(p->body.filter), S_Z(p->more.text),
                      S_Z(p->excerpt.text), S_Z(p->keywords), (int)p->status,
                      (long long)p->published.epoch, (int)p->allow_comments,
                      (int)p->allow_pings);
    for (size_t i = 0; i < p->n_authors; i++)
      mtport_buf_printf(out, " a %s %s\n", S_Z(p->authors[i].name),
                        S_Z(p->authors[i].email));
    for (size_t i = 0; i < p->n_tags; i++)
      mtport_buf_printf(out, " t %s\n", p->tags[i].name);
    for (size_t i = 0; i < p->n_categories; i++)
      mtport_buf_printf(out, " k %s\n", p->categories[i].name);
    for (size_t i = 0; i < p->n_extra; i++)
      mtport_buf_printf(out, " x %s=%s\n", p->extra[i].key,
                        S_Z(p->extra[i].value));
    for (size_t i = 0; i < p->n_comments; i++) {
      const mtport_comment *c = &p->comments[i];
      mtport_buf_printf(out, " c %d %s|%s|%s|%s|%s|%lld|%s\n", (int)c->kind,
                        S_Z(c->author.name), S_Z(c->author.email),
                        S_Z(c->author.url), S_Z(c->ip), S_Z(c->title),
                        (long long)c->date.epoch, S_Z(c->body.text));
    }
  }
  mtport_reader_free(r);
}

int main(int argc, char **argv) {
  int fail = 0, done = 0;
  for (int a = 1; a < argc; a++) {
    mtport_buf in = MTPORT_BUF_INIT, one = MTPORT_BUF_INIT,
               posts = MTPORT_BUF_INIT;
    if (S_read_file(argv[a], &in) != 0) {
      printf("skip %s (absent)\n", argv[a]);
      continue;
    }
    const char *d = in.data ? in.data : "";
    S_records(d, in.len, in.len ? in.len : 1, &one);
    S_posts(d, in.len, 65536, &posts);
    if (!one.len || !posts.len) {
      fprintf(stderr, "FAIL %s: no records\n", argv[a]);
      fail++;
    }
    for (size_t step = 1; step <= 64; step++) {
      mtport_buf got = MTPORT_BUF_INIT;
      S_records(d, in.len, step, &got);
      if (got.len != one.len || memcmp(got.data, one.data, one.len) != 0) {
        fprintf(stderr, "FAIL %s: split size %zu gives other records\n",
                argv[a], step);
        fail++;
      }
      mtport_buf_clear(&got);
      S_posts(d, in.len, step, &got);
      if (got.len != posts.len || memcmp(got.data, posts.data, posts.len)) {
        fprintf(stderr, "FAIL %s: read %zu bytes at a time gives other posts\n",
                argv[a], step);
        fail++;
      }
      mtport_buf_dispose(&got);
    }
    done++;
    mtport_buf_dispose(&in);
    mtport_buf_dispose(&one);
    mtport_buf_dispose(&posts);
  }
  printf("%d file(s) checked at split sizes 1..64, %d failure(s)\n", done,
         fail);
  return fail || !done ? 1 : 0;
}
