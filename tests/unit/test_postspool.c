/* Unit tests of the spool's binary post form (src/pipeline/postspool.c): exact round
 * trips, growth after loading, truncated and corrupted bytes, and posts from
 * the real readers. `mtport_test_postspool corpus DIR` round-trips every
 * post of the files in DIR; `mtport_test_postspool bench FILE` times save
 * and load over every post of FILE. */
#include "harness.h"
#include "pipeline/postspool.h"
#include <dirent.h>
#include <mtport/mtport.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

/* ---- a field-by-field comparison ---- */

static void S_same_time(const mtport_time *a, const mtport_time *b) {
  CHECK_INT(a->epoch, b->epoch);
  CHECK_INT(a->offset_min, b->offset_min);
  CHECK_INT(a->has_date, b->has_date);
  CHECK_INT(a->has_tz, b->has_tz);
}

static void S_same_text(const mtport_text *a, const mtport_text *b) {
  CHECK_STR(a->text, b->text);
  CHECK_INT(a->format, b->format);
  CHECK_STR(a->filter, b->filter);
  CHECK_STR(a->base, b->base);
}

static void S_same_person(const mtport_person *a, const mtport_person *b) {
  CHECK_STR(a->name, b->name);
  CHECK_STR(a->email, b->email);
  CHECK_STR(a->url, b->url);
}

static void S_same_terms(const mtport_term *a, size_t na, const mtport_term *b,
                         size_t nb) {
  CHECK_INT(na, nb);
  for (size_t i = 0; i < na && i < nb; i++) {
    CHECK_STR(a[i].name, b[i].name);
    CHECK_STR(a[i].slug, b[i].slug);
    CHECK_STR(a[i].parent, b[i].parent);
  }
}

/* Everything but the private cap_* fields. */
static void S_same_post(const mtport_post *a, const mtport_post *b) {
  CHECK_INT(a->kind, b->kind);
  CHECK_INT(a->status, b->status);
  CHECK_STR(a->source_id, b->source_id);
  CHECK_INT(a->entry_id, b->entry_id);
  CHECK_STR(a->title, b->title);
  CHECK_STR(a->permalink, b->permalink);
  CHECK_STR(a->basename, b->basename);
  CHECK_INT(a->n_authors, b->n_authors);
  for (size_t i = 0; i < a->n_authors && i < b->n_authors; i++)
    S_same_person(&a->authors[i], &b->authors[i]);
  S_same_time(&a->published, &b->published);
  S_same_time(&a->updated, &b->updated);
  S_same_terms(a->tags, a->n_tags, b->tags, b->n_tags);
  S_same_terms(a->categories, a->n_categories, b->categories, b->n_categories);
  S_same_text(&a->excerpt, &b->excerpt);
  S_same_text(&a->body, &b->body);
  S_same_text(&a->more, &b->more);
  CHECK_STR(a->keywords, b->keywords);
  CHECK_INT(a->allow_comments, b->allow_comments);
  CHECK_INT(a->allow_pings, b->allow_pings);
  CHECK_INT(a->n_comments, b->n_comments);
  for (size_t i = 0; i < a->n_comments && i < b->n_comments; i++) {
    const mtport_comment *x = &a->comments[i], *y = &b->comments[i];
    CHECK_INT(x->kind, y->kind);
    CHECK_STR(x->id, y->id);
    CHECK_STR(x->parent_id, y->parent_id);
    S_same_person(&x->author, &y->author);
    CHECK_STR(x->ip, y->ip);
    CHECK_STR(x->title, y->title);
    S_same_time(&x->date, &y->date);
    S_same_text(&x->body, &y->body);
    CHECK_INT(x->approved, y->approved);
    CHECK_INT(x->junk, y->junk);
  }
  CHECK_INT(a->n_extra, b->n_extra);
  for (size_t i = 0; i < a->n_extra && i < b->n_extra; i++) {
    CHECK_STR(a->extra[i].key, b->extra[i].key);
    CHECK_STR(a->extra[i].value, b->extra[i].value);
  }
  CHECK(a->origin.file == b->origin.file);
  CHECK_INT(a->origin.line, b->origin.line);
  CHECK_INT(a->origin.col, b->origin.col);
  CHECK_INT(a->ordinal, b->ordinal);
}

/* Loads from an exact-size heap copy, so ASan sees any read past the end. */
static int S_load_exact(const char *data, size_t len, const char *file,
                        mtport_post **out) {
  char *copy = malloc(len ? len : 1);
  if (!copy)
    return MTPORT_ENOMEM;
  if (len)
    memcpy(copy, data, len);
  int rc = mtport__post_load(copy, len, file, out);
  free(copy);
  return rc;
}

/* Saves @p p, loads it back, compares, and checks that saving the loaded
 * post gives the same bytes. Returns the loaded post (caller frees). */
static mtport_post *S_round_trip(const mtport_post *p, mtport_buf *saved) {
  mtport_buf again = MTPORT_BUF_INIT;
  mtport_post *q = NULL;
  mtport_buf_clear(saved);
  CHECK_INT(mtport__post_save(saved, p), MTPORT_OK);
  CHECK_INT(S_load_exact(saved->data, saved->len, p->origin.file, &q),
            MTPORT_OK);
  if (!q)
    return NULL;
  S_same_post(p, q);
  CHECK_INT(mtport__post_save(&again, q), MTPORT_OK);
  CHECK(again.len == saved->len &&
        memcmp(again.data, saved->data, saved->len) == 0);
  mtport_buf_dispose(&again);
  return q;
}

/* ---- a post with every field set ---- */

static const char *const S_file = "sample-input.xml";

static mtport_post *S_full_post(void) {
  mtport_post *p = mtport_post_new();
  p->kind = MTPORT_KIND_PAGE;
  p->status = MTPORT_STATUS_SPAM;
  mtport_set_str(&p->source_id, "tag:example.com,2009:/1.42", (size_t)-1);
  p->entry_id = -9007199254740993LL;
  mtport_set_str(&p->title,
                 "Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac &amp; \xf0\x9f\x98\x80",
                 (size_t)-1);
  mtport_set_str(&p->permalink, "http://example.com/2009/12/cafe.html",
                 (size_t)-1);
  mtport_set_str(&p->basename, "", (size_t)-1); /* "" stays "" */
  mtport_post_add_author(p, "Ann", "ann@example.com", "http://ann.example/");
  mtport_post_add_author(p, "", NULL, "");
  mtport_post_add_author(p, NULL, NULL, NULL);
  mtport_time_parse_iso(&p->published, "2005-03-01T10:00:00-09:30");
  p->updated.epoch = -86400; /* a zone-less date before 1970 */
  p->updated.has_date = 1;
  mtport_post_add_tag(p, "c", "c-lang");
  mtport_post_add_tag(p, "", "");
  mtport_post_add_tag(p, "\xd0\x9a\xd0\xbe\xd1\x82", NULL);
  mtport_post_add_category(p, "Food", "food", NULL, 0);
  mtport_post_add_category(p, "Bread", "bread", "Food", 0);
  mtport_post_add_category(p, "Rye", NULL, "Bread", 1);
  mtport_text_set(&p->excerpt, "", 0, MTPORT_TEXT_PLAIN, "");
  mtport_text_set(&p->body, "<p>Line one\n\tline two</p>", (size_t)-1,
                  MTPORT_TEXT_CONVERT_BREAKS, "__default__");
  mtport_set_str(&p->body.base, "http://example.com/2009/12/", (size_t)-1);
  mtport_text_set(&p->more, "*more*", (size_t)-1, MTPORT_TEXT_UNKNOWN,
                  "textile_9");
  mtport_set_str(&p->more.base, "", (size_t)-1);
  mtport_set_str(&p->keywords, "k1, k2", (size_t)-1);
  p->allow_comments = MTPORT_FLAG_ON;
  p->allow_pings = MTPORT_FLAG_OFF;
  mtport_comment *c = mtport_post_add_comment(p);
  c->kind = MTPORT_COMMENT;
  mtport_set_str(&c->id, "11", (size_t)-1);
  mtport_set_str(&c->author.name, "Bob", (size_t)-1);
  mtport_set_str(&c->author.email, "", (size_t)-1);
  mtport_set_str(&c->author.url, "http://bob.example/", (size_t)-1);
  mtport_set_str(&c->ip, "192.0.2.1", (size_t)-1);
  mtport_time_parse_iso(&c->date, "2005-03-02T01:02:03+14:00");
  mtport_text_set(&c->body, "First!", (size_t)-1, MTPORT_TEXT_HTML, "0");
  c->approved = 0;
  c->junk = 1;
  c = mtport_post_add_comment(p);
  mtport_set_str(&c->id, "12", (size_t)-1);
  mtport_set_str(&c->parent_id, "11", (size_t)-1); /* a reply */
  mtport_set_str(&c->author.name, "Ann", (size_t)-1);
  mtport_time_parse_iso(&c->date, "2005-03-03");
  mtport_text_set(&c->body, "Reply \xe2\x80\x94 thanks", (size_t)-1,
                  MTPORT_TEXT_MARKDOWN, "markdown");
  mtport_set_str(&c->body.base, "http://example.com/", (size_t)-1);
  c->approved = -7; /* any int survives */
  c = mtport_post_add_comment(p);
  c->kind = MTPORT_PINGBACK;
  mtport_set_str(&c->title, "", (size_t)-1);
  mtport_set_str(&c->author.url, "http://other.example/post", (size_t)-1);
  c->date.has_date = 0;
  c->date.offset_min = -720; /* odd, but kept as is */
  c->junk = 0;
  c = mtport_post_add_comment(p);
  c->kind = MTPORT_TRACKBACK;
  mtport_post_add_extra(p, "mt_entry_atom_id", "tag:x");
  mtport_post_add_extra(p, "empty", "");
  mtport_post_add_extra(p, "mt_entry_atom_id", "second of a name");
  p->origin.file = S_file;
  p->origin.line = 123456;
  p->origin.col = 7;
  p->ordinal = 42;
  return p;
}

static void test_full(void) {
  mtport_buf saved = MTPORT_BUF_INIT, twice = MTPORT_BUF_INIT;
  mtport_post *p = S_full_post();
  CHECK(p->published.has_tz == 1 && p->published.offset_min == -570);
  CHECK(p->updated.has_tz == 0);
  mtport_post *q = S_round_trip(p, &saved);
  CHECK(q && q->origin.file == S_file);
  if (q) {
    CHECK(q->basename && q->basename[0] == '\0');
    CHECK(q->authors[2].name == NULL && q->authors[1].name != NULL);
    CHECK(q->more.base && !q->more.base[0] && q->excerpt.base == NULL);
  }
  /* deterministic: the same post gives the same bytes */
  CHECK_INT(mtport__post_save(&twice, p), MTPORT_OK);
  CHECK(twice.len == saved.len && !memcmp(twice.data, saved.data, saved.len));
  /* save appends: two posts back to back, each loadable from its slice */
  size_t first = twice.len;
  CHECK_INT(mtport__post_save(&twice, q), MTPORT_OK);
  CHECK_INT(twice.len, 2 * first);
  mtport_post *r = NULL;
  CHECK_INT(mtport__post_load(twice.data + first, first, NULL, &r), MTPORT_OK);
  CHECK(r && r->origin.file == NULL && r->n_comments == 4);
  /* both slices at once are not exactly one post */
  mtport_post *bad = (mtport_post *)&saved; /* poisoned: must be reset */
  CHECK_INT(mtport__post_load(twice.data, twice.len, NULL, &bad),
            MTPORT_EPARSE);
  CHECK(bad == NULL);
  /* a big body crosses the buffer's growth steps */
  size_t big = 3u << 20;
  char *text = malloc(big + 1);
  for (size_t i = 0; i < big; i++)
    text[i] = (char)('a' + i % 26);
  text[big] = '\0';
  free(p->body.text);
  p->body.text = text;
  mtport_post *s = S_round_trip(p, &saved);
  CHECK(s && s->body.text && strlen(s->body.text) == big);
  mtport_post_free(s);
  mtport_post_free(r);
  mtport_post_free(q);
  mtport_post_free(p);
  mtport_buf_dispose(&saved);
  mtport_buf_dispose(&twice);
}

static void test_empty(void) {
  mtport_buf saved = MTPORT_BUF_INIT;
  mtport_post *p = mtport_post_new();
  mtport_post *q = S_round_trip(p, &saved);
  CHECK(q != NULL);
  if (q) {
    CHECK(q->authors == NULL && q->cap_authors == 0);
    CHECK(q->tags == NULL && q->cap_tags == 0);
    CHECK(q->categories == NULL && q->cap_categories == 0);
    CHECK(q->comments == NULL && q->cap_comments == 0);
    CHECK(q->extra == NULL && q->cap_extra == 0);
    CHECK_INT(q->allow_comments, MTPORT_FLAG_UNKNOWN);
    CHECK(q->title == NULL && q->body.text == NULL);
  }
  mtport_post_free(q);
  mtport_post_free(p);
  mtport_buf_dispose(&saved);
}

/* A loaded post's arrays have cap == n: adding must grow them safely. */
static void test_grow(void) {
  mtport_buf saved = MTPORT_BUF_INIT;
  mtport_post *p = S_full_post();
  mtport_post *q = S_round_trip(p, &saved);
  CHECK(q != NULL);
  if (!q) {
    mtport_post_free(p);
    mtport_buf_dispose(&saved);
    return;
  }
  char name[32];
  for (int i = 0; i < 20; i++) {
    snprintf(name, sizeof name, "t%d", i);
    CHECK(mtport_post_add_tag(q, name, name) >= 0);
    CHECK(mtport_post_add_author(q, name, NULL, NULL) >= 0);
    CHECK(mtport_post_add_category(q, name, NULL, "Food", i == 19) >= 0);
    CHECK(mtport_post_add_extra(q, name, "v") >= 0);
    mtport_comment *c = mtport_post_add_comment(q);
    CHECK(c != NULL);
    if (c)
      mtport_set_str(&c->id, name, (size_t)-1);
  }
  CHECK_INT(q->n_tags, 23);
  CHECK_INT(q->n_authors, 23);
  CHECK_INT(q->n_categories, 23);
  CHECK_INT(q->n_extra, 23);
  CHECK_INT(q->n_comments, 24);
  CHECK_STR(q->tags[2].name, "\xd0\x9a\xd0\xbe\xd1\x82");
  CHECK_STR(q->tags[22].name, "t19");
  CHECK_STR(q->categories[0].name, "t19"); /* primary moved to the front */
  CHECK_STR(q->categories[1].name, "Rye");
  CHECK_STR(q->comments[1].parent_id, "11");
  CHECK_STR(q->comments[23].id, "t19");
  CHECK_STR(mtport_post_extra(q, "t7"), "v");
  CHECK_STR(mtport_post_extra(q, "mt_entry_atom_id"), "tag:x");
  /* the grown post still round-trips */
  mtport_post *r = S_round_trip(q, &saved);
  mtport_post_free(r);
  /* and an empty loaded post grows from nothing */
  mtport_post *e = mtport_post_new(), *f = NULL;
  mtport_buf_clear(&saved);
  CHECK_INT(mtport__post_save(&saved, e), MTPORT_OK);
  CHECK_INT(mtport__post_load(saved.data, saved.len, NULL, &f), MTPORT_OK);
  if (f) {
    CHECK(mtport_post_add_tag(f, "x", NULL) >= 0);
    CHECK(mtport_post_add_comment(f) != NULL);
    CHECK_INT(f->n_tags, 1);
    CHECK_INT(f->n_comments, 1);
  }
  mtport_post_free(f);
  mtport_post_free(e);
  mtport_post_free(q);
  mtport_post_free(p);
  mtport_buf_dispose(&saved);
}

static void test_truncated(void) {
  mtport_buf saved = MTPORT_BUF_INIT;
  mtport_post *p = S_full_post();
  CHECK_INT(mtport__post_save(&saved, p), MTPORT_OK);
  int bad = 0;
  for (size_t n = 0; n < saved.len; n++) {
    mtport_post *q = (mtport_post *)&saved;
    int rc = S_load_exact(saved.data, n, NULL, &q);
    bad += rc != MTPORT_EPARSE || q != NULL;
    mtport_post_free(rc == MTPORT_OK ? q : NULL);
  }
  CHECK_INT(bad, 0);
  /* one trailing byte, and a NULL pointer */
  mtport_buf_putc(&saved, '\0');
  mtport_post *q = NULL;
  CHECK_INT(S_load_exact(saved.data, saved.len, NULL, &q), MTPORT_EPARSE);
  CHECK(q == NULL);
  CHECK_INT(mtport__post_load(NULL, 0, NULL, &q), MTPORT_EPARSE);
  saved.len--;
  /* Counts too large for the bytes left fail before allocating. The counts
   * are the last 40 bytes of the 132-byte fixed head (see postspool.c). */
  const size_t counts = 92;
  const uint64_t huge[] = {UINT64_MAX, (uint64_t)1 << 40, 100000};
  for (size_t k = 0; k < 5; k++)
    for (size_t h = 0; h < 3; h++) {
      char *copy = malloc(saved.len);
      memcpy(copy, saved.data, saved.len);
      memcpy(copy + counts + 8 * k, &huge[h], 8);
      CHECK_INT(mtport__post_load(copy, saved.len, NULL, &q), MTPORT_EPARSE);
      free(copy);
    }
  /* a string length past the end */
  {
    mtport_post *e = mtport_post_new();
    mtport_set_str(&e->title, "abc", (size_t)-1);
    mtport_buf one = MTPORT_BUF_INIT;
    mtport__post_save(&one, e);
    /* title is the second string: after source_id's NULL marker */
    uint32_t len;
    memcpy(&len, one.data + 132 + 4, 4);
    CHECK_INT(len, 3);
    len = 0xFFFFFFF0u;
    memcpy(one.data + 132 + 4, &len, 4);
    CHECK_INT(S_load_exact(one.data, one.len, NULL, &q), MTPORT_EPARSE);
    len = 0xFFFFFFFEu; /* the long form with a short length is refused */
    memcpy(one.data + 132 + 4, &len, 4);
    CHECK_INT(S_load_exact(one.data, one.len, NULL, &q), MTPORT_EPARSE);
    mtport_buf_dispose(&one);
    mtport_post_free(e);
  }
  mtport_post_free(p);
  mtport_buf_dispose(&saved);
}

static uint64_t S_rng = 0x9E3779B97F4A7C15ull;
static uint64_t S_next(void) { /* xorshift64: fixed seed, same run each time */
  S_rng ^= S_rng << 13;
  S_rng ^= S_rng >> 7;
  S_rng ^= S_rng << 17;
  return S_rng;
}

static void test_flips(void) {
  mtport_buf saved = MTPORT_BUF_INIT, again = MTPORT_BUF_INIT;
  mtport_post *p = S_full_post();
  CHECK_INT(mtport__post_save(&saved, p), MTPORT_OK);
  char *copy = malloc(saved.len);
  int ok = 0, eparse = 0, other = 0;
  for (int i = 0; i < 20000; i++) {
    memcpy(copy, saved.data, saved.len);
    int flips = 1 + (int)(S_next() % 3);
    for (int f = 0; f < flips; f++) {
      uint64_t x = S_next();
      copy[x % saved.len] ^= (char)(1u << ((x >> 32) % 8));
    }
    mtport_post *q = NULL;
    int rc = mtport__post_load(copy, saved.len, NULL, &q);
    if (rc == MTPORT_OK) {
      ok++;
      /* whatever loaded is a usable post: it saves and grows */
      mtport_buf_clear(&again);
      CHECK_INT(mtport__post_save(&again, q), MTPORT_OK);
      CHECK(mtport_post_add_tag(q, "zz-new", NULL) >= 0);
      mtport_post_free(q);
    } else if (rc == MTPORT_EPARSE && q == NULL) {
      eparse++;
    } else {
      other++;
    }
  }
  CHECK_INT(other, 0);
  CHECK(ok > 0 && eparse > 0); /* both outcomes occur */
  free(copy);
  mtport_post_free(p);
  mtport_buf_dispose(&saved);
  mtport_buf_dispose(&again);
}

/* ---- posts from the real readers ---- */

static unsigned long S_file_round_trips(const char *path) {
  mtport_reader *rd = NULL;
  mtport_buf saved = MTPORT_BUF_INIT;
  int rc = mtport_reader_open(&rd, path, NULL);
  CHECK_INT(rc, MTPORT_OK);
  if (rc != MTPORT_OK) {
    fprintf(stderr, "  cannot open %s\n", path);
    return 0;
  }
  const mtport_post *p;
  unsigned long n = 0;
  while ((rc = mtport_reader_next(rd, &p)) == 1) {
    mtport_post *q = S_round_trip(p, &saved);
    CHECK(q && q->origin.file == p->origin.file);
    mtport_post_free(q);
    n++;
  }
  CHECK_INT(rc, 0);
  mtport_reader_free(rd);
  mtport_buf_dispose(&saved);
  return n;
}

static void test_samples(void) {
  static const char *const names[] = {"backup.xml",           "blog.txt",
                                      "field-notes.atom",     "hard-cases.txt",
                                      "legacy-encodings.txt", "old-diary.atom"};
  char path[4096];
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    snprintf(path, sizeof path, "%s/%s", MTPORT_SAMPLES_DIR, names[i]);
    unsigned long n = S_file_round_trips(path);
    if (n == 0)
      fprintf(stderr, "  no posts in %s\n", path);
    CHECK(n > 0);
  }
}

/* Every post of every readable file in @p dir round-trips (the real corpus,
 * with comments and pings); exits 77 when @p dir is absent. */
static int S_corpus(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    printf("skip: no corpus at %s\n", dir);
    return 77;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || strcmp(e->d_name, "MANIFEST.tsv") == 0)
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      char **nn = realloc(names, cap * sizeof *names);
      if (!nn)
        return 2;
      names = nn;
    }
    names[n++] = strdup(e->d_name);
  }
  closedir(d);
  unsigned long posts = 0, comments = 0;
  char path[4096];
  for (size_t i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    mtport_reader *rd = NULL;
    if (mtport_reader_open(&rd, path, NULL) == MTPORT_OK) {
      mtport_buf saved = MTPORT_BUF_INIT;
      const mtport_post *p;
      while (mtport_reader_next(rd, &p) == 1) { /* stops at a fatal error */
        mtport_post *q = S_round_trip(p, &saved);
        comments += p->n_comments;
        posts++;
        mtport_post_free(q);
      }
      mtport_buf_dispose(&saved);
    }
    mtport_reader_free(rd);
    free(names[i]);
  }
  free(names);
  printf("%lu posts, %lu comments round-tripped\n", posts, comments);
  CHECK(posts > 0 && comments > 0);
  printf("%d checks, %d failed\n", t_checks, t_failures);
  return t_failures ? 1 : 0;
}

/* ---- bench mode ---- */

static double S_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Times the spool on every post of @p path, as the run uses it (one post at
 * a time: pass 1 saves each post the reader returns into a reused buffer,
 * pass 2 loads each post and frees it after use; three rounds of pass 2, the
 * first on a cold heap) and in bulk (all posts loaded, then all saved). */
static int S_bench(const char *path) {
  mtport_reader *rd = NULL;
  if (mtport_reader_open(&rd, path, NULL) != MTPORT_OK) {
    fprintf(stderr, "cannot open %s\n", path);
    return 2;
  }
  mtport_buf spool = MTPORT_BUF_INIT, one = MTPORT_BUF_INIT;
  mtport_buf again = MTPORT_BUF_INIT;
  size_t n = 0, cap = 0, *ends = NULL;
  const mtport_post *p;
  double t_save1 = 0, t0;
  while (mtport_reader_next(rd, &p) == 1) {
    if (n == cap) {
      cap = cap ? cap * 2 : 1024;
      size_t *e = realloc(ends, cap * sizeof *ends);
      if (!e)
        return 2;
      ends = e;
    }
    t0 = S_now();
    mtport_buf_clear(&one);
    int rc = mtport__post_save(&one, p);
    t_save1 += S_now() - t0;
    if (rc || mtport_buf_append(&spool, one.data, one.len))
      return 2;
    ends[n++] = spool.len;
  }
  mtport_reader_free(rd);
  double mb = (double)spool.len / 1e6;
  printf("%zu posts, %.1f MB spooled\n", n, mb);
  printf("one at a time: save %.1f ms (%.0f MB/s)\n", t_save1 * 1e3,
         mb / t_save1);
  for (int round = 0; round < 3; round++) {
    t0 = S_now();
    for (size_t i = 0, at = 0; i < n; at = ends[i++]) {
      mtport_post *q = NULL;
      if (mtport__post_load(spool.data + at, ends[i] - at, path, &q))
        return 1;
      mtport_post_free(q);
    }
    double t = S_now() - t0;
    printf("one at a time: load+free round %d %.1f ms (%.0f MB/s)\n", round + 1,
           t * 1e3, mb / t);
  }
  mtport_post **posts = calloc(n ? n : 1, sizeof *posts);
  if (!posts)
    return 2;
  t0 = S_now();
  for (size_t i = 0, at = 0; i < n; at = ends[i++])
    if (mtport__post_load(spool.data + at, ends[i] - at, path, &posts[i]))
      return 1;
  double t_load = S_now() - t0;
  t0 = S_now();
  for (size_t i = 0; i < n; i++)
    if (mtport__post_save(&again, posts[i]))
      return 2;
  double t_save = S_now() - t0;
  t0 = S_now();
  for (size_t i = 0; i < n; i++)
    mtport_post_free(posts[i]);
  double t_free = S_now() - t0;
  int same =
      again.len == spool.len && !memcmp(again.data, spool.data, spool.len);
  printf("bulk: load %.1f ms (%.0f MB/s), save %.1f ms (%.0f MB/s), free "
         "%.1f ms; bytes %s\n",
         t_load * 1e3, mb / t_load, t_save * 1e3, mb / t_save, t_free * 1e3,
         same ? "identical" : "DIFFER");
  free(posts);
  free(ends);
  mtport_buf_dispose(&spool);
  mtport_buf_dispose(&one);
  mtport_buf_dispose(&again);
  return same ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "bench") == 0)
    return S_bench(argv[2]);
  if (argc == 3 && strcmp(argv[1], "corpus") == 0)
    return S_corpus(argv[2]);
  static const t_suite suites[] = {
      {"full", test_full},   {"empty", test_empty},
      {"grow", test_grow},   {"truncated", test_truncated},
      {"flips", test_flips}, {"samples", test_samples}};
  return t_run(argc, argv, suites, sizeof suites / sizeof *suites);
}
