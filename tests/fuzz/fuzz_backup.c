/* libFuzzer target for the MT backup importer. The first byte picks reader
 * flags; the rest is the document. Every string of every post is walked so
 * that ASan sees bad pointers and UTF-8 validity is checked.
 * tests/fuzz/CMakeLists.txt builds it with libFuzzer (MTPORT_FUZZ=ON) or
 * with driver.c, whose replay of tests/fuzz/corpus/backup ctest runs. */
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
