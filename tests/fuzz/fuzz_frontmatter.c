/* Fuzz target: the Hugo and Jekyll front matter writer. Builds posts from
 * the input, runs them through the site exporters' core with a capturing io,
 * parses every front matter (and comments data file) back with libyaml and
 * compares: title, tags, categories, author, basename and permalink come back
 * as the same strings, every value is a double-quoted or known plain scalar,
 * no key repeats, the slug names the file, and every path stays relative and
 * clean. Any difference aborts.
 *
 * Input: byte 0 picks flavor, kind, status, dates and a comment; the rest is
 * fields split at 0x00: title, basename, permalink, author, excerpt,
 * comment author, comment body, then tags and categories alternately. Byte 1
 * (optional) is the number of posts (1-4) sharing those fields, to exercise
 * the slug suffixes. */
#include "site/site.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define S_MAX_FILES 64

typedef struct S_file {
  char *rel;
  char *data;
  size_t len;
} S_file;

static S_file S_files[S_MAX_FILES];
static size_t S_n_files;

static void S_fail(const char *what, const char *a, const char *b) {
  fprintf(stderr, "front matter mismatch: %s\n  want: %s\n  got:  %s\n", what,
          a ? a : "(null)", b ? b : "(null)");
  abort();
}

static int S_write(void *payload, const char *rel, const char *data,
                   size_t len) {
  (void)payload;
  /* the same checks the run applies: relative, no empty/./.. components */
  if (!rel || !*rel || rel[0] == '/')
    S_fail("a written path is absolute or empty", "relative", rel);
  for (const char *c = rel; *c;) {
    const char *e = strchr(c, '/');
    size_t n = e ? (size_t)(e - c) : strlen(c);
    if (n == 0 || (n == 1 && c[0] == '.') ||
        (n == 2 && c[0] == '.' && c[1] == '.'))
      S_fail("a written path has an empty, . or .. component", "clean", rel);
    for (size_t i = 0; i < n; i++)
      if ((unsigned char)c[i] < 0x20 || c[i] == 0x7f || c[i] == '\\')
        S_fail("a written path has a control character or backslash", "clean",
               rel);
    c += n + (e ? 1 : 0);
  }
  if (S_n_files == S_MAX_FILES)
    return MTPORT_OK;
  S_file *f = &S_files[S_n_files++];
  f->rel = strdup(rel);
  f->data = malloc(len + 1);
  if (!f->rel || !f->data)
    abort();
  memcpy(f->data, data, len);
  f->data[len] = '\0';
  f->len = len;
  return MTPORT_OK;
}

static int S_write_path(void *payload, const char *path, const char *data,
                        size_t len) {
  (void)payload, (void)path, (void)data, (void)len;
  return MTPORT_OK;
}

static const char *S_option(void *payload, const char *key) {
  (void)payload, (void)key;
  return NULL;
}

static void S_diag(void *payload, const mtport_post *post, mtport_severity sev,
                   const char *code, const char *msg) {
  (void)payload, (void)post, (void)sev, (void)code, (void)msg;
}

/* ---- the read-back side -------------------------------------------------- */

static const char *S_scalar(yaml_document_t *doc, yaml_node_t *n) {
  (void)doc;
  return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value
                                          : NULL;
}

/* The value node of top-level @key, or NULL. */
static yaml_node_t *S_get(yaml_document_t *doc, const char *key) {
  yaml_node_t *root = yaml_document_get_root_node(doc);
  if (!root || root->type != YAML_MAPPING_NODE)
    return NULL;
  for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
       p < root->data.mapping.pairs.top; p++) {
    const char *k = S_scalar(doc, yaml_document_get_node(doc, p->key));
    if (k && strcmp(k, key) == 0)
      return yaml_document_get_node(doc, p->value);
  }
  return NULL;
}

/* Keys are scalars, unique; string values are double-quoted. */
static void S_check_shape(yaml_document_t *doc) {
  static const char *const plain[] = {"date",  "lastmod", "last_modified_at",
                                      "draft", "mt_id",   NULL};
  yaml_node_t *root = yaml_document_get_root_node(doc);
  if (!root || root->type != YAML_MAPPING_NODE)
    S_fail("front matter is not a mapping", "mapping", NULL);
  for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
       p < root->data.mapping.pairs.top; p++) {
    const char *k = S_scalar(doc, yaml_document_get_node(doc, p->key));
    if (!k)
      S_fail("a key is not a scalar", "scalar", NULL);
    for (yaml_node_pair_t *q = root->data.mapping.pairs.start; q < p; q++)
      if (strcmp(k, S_scalar(doc, yaml_document_get_node(doc, q->key))) == 0)
        S_fail("a key repeats", "once", k);
    yaml_node_t *v = yaml_document_get_node(doc, p->value);
    if (v->type != YAML_SCALAR_NODE)
      continue;
    int is_plain = 0;
    for (size_t i = 0; plain[i]; i++)
      is_plain |= strcmp(k, plain[i]) == 0;
    if (!is_plain && v->data.scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE)
      S_fail("a string value is not double-quoted", "double-quoted", k);
  }
}

static void S_expect_str(yaml_document_t *doc, const char *key,
                         const char *want) {
  const char *got = S_scalar(doc, S_get(doc, key));
  if (!want) {
    if (S_get(doc, key))
      S_fail(key, "(absent)", got ? got : "(not a scalar)");
    return;
  }
  if (!got || strcmp(got, want) != 0)
    S_fail(key, want, got);
}

static void S_expect_terms(yaml_document_t *doc, const char *key,
                           const mtport_term *t, size_t n) {
  yaml_node_t *seq = S_get(doc, key);
  if (n == 0) {
    if (seq)
      S_fail(key, "(absent)", "present");
    return;
  }
  if (!seq || seq->type != YAML_SEQUENCE_NODE ||
      (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start) !=
          n)
    S_fail(key, "a sequence of every term", "something else");
  for (size_t i = 0; i < n; i++) {
    const char *got = S_scalar(
        doc, yaml_document_get_node(doc, seq->data.sequence.items.start[i]));
    if (!got || strcmp(got, t[i].name) != 0)
      S_fail(key, t[i].name, got);
  }
}

/* The title as the exporter is documented to write it: byte for byte (the
 * readers decode a title once, as MT showed it; the model holds text). */
static char *S_plain_title(const char *title) {
  return strdup(title ? title : "");
}

/* Splits "---\n<yaml>---\n<body>" and loads the YAML; 0 when no front
 * matter. */
static int S_load_front(const S_file *f, yaml_document_t *doc) {
  if (f->len < 8 || strncmp(f->data, "---\n", 4) != 0)
    S_fail("a Markdown file does not start with ---", "---", f->rel);
  const char *end = strstr(f->data + 3, "\n---\n");
  if (!end)
    S_fail("front matter is not closed", "---", f->rel);
  yaml_parser_t p;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_string(&p, (const unsigned char *)f->data + 4,
                               (size_t)(end + 1 - (f->data + 4)));
  int ok = yaml_parser_load(&p, doc);
  yaml_parser_delete(&p);
  if (!ok)
    S_fail("front matter does not parse", "YAML", f->rel);
  return 1;
}

static void S_check_post(const S_file *f, const mtport_post *p) {
  yaml_document_t doc;
  S_load_front(f, &doc);
  S_check_shape(&doc);
  char *title = S_plain_title(p->title);
  S_expect_str(&doc, "title", title);
  free(title);
  S_expect_terms(&doc, "tags", p->tags, p->n_tags);
  S_expect_terms(&doc, "categories", p->categories, p->n_categories);
  S_expect_str(&doc, "author",
               p->n_authors && p->authors[0].name && *p->authors[0].name
                   ? p->authors[0].name
                   : NULL);
  S_expect_str(&doc, "mt_basename",
               p->basename && *p->basename ? p->basename : NULL);
  S_expect_str(&doc, "mt_permalink",
               p->permalink && *p->permalink ? p->permalink : NULL);
  /* the slug names the file: <slug>.md, <slug>/index.md or DATE-<slug>.md */
  const char *slug = S_scalar(&doc, S_get(&doc, "slug"));
  if (!slug || !*slug || strchr(slug, '/'))
    S_fail("slug", "a non-empty name", slug);
  size_t sn = strlen(slug), rn = strlen(f->rel);
  const char *base = strrchr(f->rel, '/');
  base = base ? base + 1 : f->rel;
  int named = (strcmp(base, "index.md") == 0 && rn >= sn + 9 &&
               strncmp(f->rel + rn - 9 - sn, slug, sn) == 0) ||
              (rn >= sn + 3 && strncmp(f->rel + rn - 3 - sn, slug, sn) == 0 &&
               strcmp(f->rel + rn - 3, ".md") == 0);
  if (!named)
    S_fail("the slug does not name the file", slug, f->rel);
  yaml_document_delete(&doc);
}

/* ---- the input ------------------------------------------------------------
 */

typedef struct S_fields {
  const char *f[64];
  size_t n[64];
  size_t count;
} S_fields;

static void S_split(const uint8_t *d, size_t len, S_fields *out) {
  out->count = 0;
  size_t start = 0;
  for (size_t i = 0; i <= len && out->count < 64; i++) {
    if (i == len || d[i] == 0) {
      out->f[out->count] = (const char *)d + start;
      out->n[out->count++] = i - start;
      start = i + 1;
    }
  }
}

static const char *S_field(const S_fields *fs, size_t i, size_t *n) {
  if (i >= fs->count) {
    *n = 0;
    return NULL;
  }
  *n = fs->n[i];
  return fs->f[i];
}

static void S_set(char **dst, const S_fields *fs, size_t i) {
  size_t n;
  const char *s = S_field(fs, i, &n);
  if (s)
    mtport_set_str(dst, s, n);
}

static mtport_post *S_make_post(uint8_t flags, const S_fields *fs, int k) {
  mtport_post *p = mtport_post_new();
  if (!p)
    abort();
  size_t n;
  const char *s;
  p->kind = (flags & 1) ? MTPORT_KIND_PAGE : MTPORT_KIND_POST;
  p->status = (flags & 2) ? MTPORT_STATUS_DRAFT : MTPORT_STATUS_PUBLISH;
  p->entry_id = k + 1;
  p->ordinal = (unsigned long)k + 1;
  S_set(&p->title, fs, 0);
  S_set(&p->basename, fs, 1);
  S_set(&p->permalink, fs, 2);
  if ((s = S_field(fs, 3, &n))) {
    char *name = NULL;
    mtport_set_str(&name, s, n);
    mtport_post_add_author(p, name, NULL, NULL);
    free(name);
  }
  if ((s = S_field(fs, 4, &n)))
    mtport_text_set(&p->excerpt, s, n, MTPORT_TEXT_HTML, NULL);
  if (flags & 4)
    mtport_time_parse_iso(&p->published, "2009-11-22T10:11:12+09:00");
  if (flags & 8)
    mtport_time_parse_iso(&p->updated, "2010-01-02T03:04:05Z");
  mtport_text_set(&p->body, "<p>body</p>", (size_t)-1, MTPORT_TEXT_HTML, NULL);
  if (flags & 16) {
    mtport_comment *c = mtport_post_add_comment(p);
    if (!c)
      abort();
    S_set(&c->author.name, fs, 5);
    if ((s = S_field(fs, 6, &n)))
      mtport_text_set(&c->body, s, n, MTPORT_TEXT_HTML, NULL);
    c->approved = 1;
  }
  for (size_t i = 7; i < fs->count; i++) {
    char *name = NULL;
    mtport_set_str(&name, fs->f[i], fs->n[i]);
    if (name && *name) {
      if (i % 2)
        mtport_post_add_tag(p, name, NULL);
      else
        mtport_post_add_category(p, name, NULL, NULL, 0);
    }
    free(name);
  }
  return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  uint8_t flags = data[0];
  int n_posts = size > 1 ? 1 + data[1] % 4 : 1;
  S_fields fs;
  S_split(data + (size > 1 ? 2 : 1), size - (size > 1 ? 2 : 1), &fs);
  const site_gen *fl = (flags & 32) ? &mtport__gen_jekyll : &mtport__gen_hugo;
  site_io io = {NULL, S_write, S_write_path, S_option, S_diag, NULL};
  mtport_site *site = mtport_site_new();
  mtport_post *posts[4];
  for (int k = 0; k < n_posts; k++)
    posts[k] = S_make_post(flags, &fs, k);
  void *st = NULL;
  S_n_files = 0;
  int rc = mtport__site_begin(fl, &io, site, &st);
  for (int k = 0; k < n_posts && rc == MTPORT_OK; k++)
    rc = mtport__site_prepass(st, posts[k]);
  if (rc == MTPORT_OK)
    rc = mtport__site_prepass_done(st);
  for (int k = 0; k < n_posts && rc == MTPORT_OK; k++) {
    size_t before = S_n_files;
    int e = mtport__site_entry(st, posts[k]);
    if (e < 0)
      rc = e;
    else if (e == MTPORT_OK) {
      /* the post's .md file is among what this call wrote */
      int seen = 0;
      for (size_t i = before; i < S_n_files; i++) {
        size_t rn = strlen(S_files[i].rel);
        if (rn > 3 && strcmp(S_files[i].rel + rn - 3, ".md") == 0) {
          S_check_post(&S_files[i], posts[k]);
          seen = 1;
        }
      }
      if (!seen && S_n_files < S_MAX_FILES)
        S_fail("a written post has no .md file", "one", NULL);
    }
  }
  if (st)
    mtport__site_end(st, rc);
  /* every YAML data file (comments) parses */
  for (size_t i = 0; i < S_n_files; i++) {
    size_t rn = strlen(S_files[i].rel);
    if ((rn > 4 && strcmp(S_files[i].rel + rn - 4, ".yml") == 0) ||
        (rn > 5 && strcmp(S_files[i].rel + rn - 5, ".yaml") == 0)) {
      yaml_parser_t p;
      yaml_document_t doc;
      yaml_parser_initialize(&p);
      yaml_parser_set_input_string(&p, (const unsigned char *)S_files[i].data,
                                   S_files[i].len);
      int ok = yaml_parser_load(&p, &doc);
      yaml_parser_delete(&p);
      if (!ok)
        S_fail("a data file does not parse", "YAML", S_files[i].rel);
      yaml_document_delete(&doc);
    }
  }
  if (rc < 0 && rc != MTPORT_ENOMEM)
    S_fail("the exporter failed", "MTPORT_OK", "an error");
  for (size_t i = 0; i < S_n_files; i++) {
    free(S_files[i].rel);
    free(S_files[i].data);
  }
  for (int k = 0; k < n_posts; k++)
    mtport_post_free(posts[k]);
  mtport_site_free(site);
  return 0;
}
