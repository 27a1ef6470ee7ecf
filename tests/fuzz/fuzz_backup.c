/* libFuzzer target for the MT backup importer. The first byte picks reader
 * flags; the rest is the document. Every string of every post is walked so
 * that ASan sees bad pointers and UTF-8 validity is checked.
 * Built with -DMTPORT_FUZZ_STANDALONE it is a plain program that replays
 * files and folders of inputs (ctest uses it on tests/fuzz/corpus/backup). */
#include <mtport/mtport.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void S_check(const char *s) {
  if (s && !mtport_utf8_valid(s, strlen(s)))
    abort();
}

static void S_sink(const mtport_diag *d, void *payload) {
  (void)payload;
  S_check(d->message);
  if (!d->code || !*d->code)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  o.format = "mt-backup";
  o.flags = (data[0] & 1 ? MTPORT_READ_INCLUDE_JUNK : 0) |
            (data[0] & 2 ? MTPORT_READ_RECOVER : 0);
  o.timezone = data[0] & 4 ? "+05:30" : NULL;
  o.diag = S_sink;
  mtport_reader *r;
  if (mtport_reader_open_mem(&r, (const char *)data + 1, size - 1, "fuzz",
                             &o) != MTPORT_OK)
    return 0;
  const mtport_site *s = mtport_reader_site(r);
  S_check(s->title);
  S_check(s->home_url);
  S_check(s->language);
  const mtport_post *p;
  while (mtport_reader_next(r, &p) == 1) {
    S_check(p->title);
    S_check(p->source_id);
    S_check(p->permalink);
    S_check(p->basename);
    S_check(p->body.text);
    S_check(p->more.text);
    S_check(p->excerpt.text);
    S_check(p->keywords);
    for (size_t i = 0; i < p->n_authors; i++)
      S_check(p->authors[i].name);
    for (size_t i = 0; i < p->n_categories; i++) {
      S_check(p->categories[i].name);
      S_check(p->categories[i].parent);
    }
    for (size_t i = 0; i < p->n_tags; i++)
      S_check(p->tags[i].name);
    for (size_t i = 0; i < p->n_extra; i++)
      S_check(p->extra[i].value);
    for (size_t i = 0; i < p->n_comments; i++) {
      S_check(p->comments[i].author.name);
      S_check(p->comments[i].body.text);
      S_check(p->comments[i].title);
    }
  }
  mtport_reader_free(r);
  return 0;
}

#ifdef MTPORT_FUZZ_STANDALONE
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

static int S_run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    return 1;
  }
  size_t cap = 4096, n = 0;
  unsigned char *buf = malloc(cap);
  size_t k;
  while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
    n += k;
    if (n == cap) {
      unsigned char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
      cap *= 2;
    }
  }
  fclose(f);
  if (!buf)
    return 1;
  LLVMFuzzerTestOneInput(buf, n);
  free(buf);
  return 0;
}

static int S_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  int fails = 0, files = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "missing %s\n", argv[i]);
      return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
      fails += S_run_file(argv[i]);
      files++;
      continue;
    }
    DIR *d = opendir(argv[i]);
    if (!d)
      return 1;
    char **names = NULL;
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.')
        continue;
      char **nv = realloc(names, (nn + 1) * sizeof *names);
      if (!nv)
        return 1;
      names = nv;
      size_t len = strlen(argv[i]) + strlen(e->d_name) + 2;
      names[nn] = malloc(len);
      if (!names[nn])
        return 1;
      snprintf(names[nn], len, "%s/%s", argv[i], e->d_name);
      nn++;
    }
    closedir(d);
    qsort(names, nn, sizeof *names, S_cmp);
    for (size_t j = 0; j < nn; j++) {
      fails += S_run_file(names[j]);
      files++;
      free(names[j]);
    }
    free(names);
  }
  printf("replayed %d inputs\n", files);
  return fails || files == 0 ? 1 : 0;
}
#endif
