/* Reads an MT backup through the public reader API and prints every post,
 * comment and diagnostic in a fixed text form; with --expect-* it checks the
 * counts instead. Used by the ctest cases of tests/backup/. Exit codes: 0 ok,
 * 1 mismatch or read failure, 77 (skip) when the input file is absent. */
#include <mtport/mtport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long S_diags[4];
static int S_quiet;

static void S_diag(const mtport_diag *d, void *payload) {
  (void)payload;
  S_diags[d->severity]++;
  if (S_quiet)
    return;
  printf("diag %s %s line=%lu entry=%lu: %s\n",
         mtport_severity_name(d->severity), d->code, d->line, d->entry,
         d->message);
}

static void S_str(const char *k, const char *v) {
  if (v)
    printf("  %s: %s\n", k, v);
}

static void S_time(const char *k, const mtport_time *t) {
  char b[40];
  if (mtport_time_format_rfc3339(t, b, sizeof b, 1))
    printf("  %s: %s%s\n", k, b, t->has_tz ? "" : " (no zone)");
}

static void S_text(const char *k, const mtport_text *t) {
  if (!t->text)
    return;
  printf("  %s [%d %s]: %s\n", k, (int)t->format, t->filter ? t->filter : "-",
         t->text);
}

int main(int argc, char **argv) {
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  long want[4] = {-1, -1, -1, -1}; /* posts pages comments pings */
  const char *path = NULL;
  o.format = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--junk") == 0)
      o.flags |= MTPORT_READ_INCLUDE_JUNK;
    else if (strcmp(a, "--recover") == 0)
      o.flags |= MTPORT_READ_RECOVER;
    else if (strncmp(a, "--tz=", 5) == 0)
      o.timezone = a + 5;
    else if (strncmp(a, "--format=", 9) == 0)
      o.format = a + 9;
    else if (strcmp(a, "--quiet") == 0)
      S_quiet = 1;
    else if (strncmp(a, "--expect-posts=", 15) == 0)
      want[0] = atol(a + 15), S_quiet = 1;
    else if (strncmp(a, "--expect-pages=", 15) == 0)
      want[1] = atol(a + 15);
    else if (strncmp(a, "--expect-comments=", 18) == 0)
      want[2] = atol(a + 18);
    else if (strncmp(a, "--expect-pings=", 15) == 0)
      want[3] = atol(a + 15);
    else
      path = a;
  }
  if (!path) {
    fprintf(stderr, "usage: backup_dump [options] FILE|-\n");
    return 2;
  }
  if (strcmp(path, "-") != 0 && access(path, R_OK) != 0) {
    printf("skip: %s is absent\n", path);
    return 77;
  }
  o.diag = S_diag;
  mtport_reader *r;
  int rc = mtport_reader_open(&r, path, &o);
  if (rc != MTPORT_OK) {
    printf("open failed: %s\n", mtport_strerror(rc));
    return 1;
  }
  const mtport_site *s = mtport_reader_site(r);
  if (!S_quiet) {
    printf("format: %s\n", mtport_reader_format(r));
    printf("site:\n");
    S_str("title", s->title);
    S_str("description", s->description);
    S_str("home_url", s->home_url);
    S_str("language", s->language);
    S_str("generator", s->generator);
  }
  long got[4] = {0, 0, 0, 0};
  const mtport_post *p;
  while ((rc = mtport_reader_next(r, &p)) == 1) {
    got[0]++;
    if (p->kind == MTPORT_KIND_PAGE)
      got[1]++;
    for (size_t i = 0; i < p->n_comments; i++)
      got[p->comments[i].kind == MTPORT_COMMENT ? 2 : 3]++;
    if (S_quiet)
      continue;
    printf("%s %lld line=%lu status=%s\n",
           p->kind == MTPORT_KIND_PAGE ? "page" : "entry", p->entry_id,
           p->origin.line, mtport_status_name(p->status));
    S_str("source_id", p->source_id);
    S_str("title", p->title);
    S_str("basename", p->basename);
    S_str("permalink", p->permalink);
    for (size_t i = 0; i < p->n_authors; i++)
      printf("  author: %s <%s> %s\n",
             p->authors[i].name ? p->authors[i].name : "-",
             p->authors[i].email ? p->authors[i].email : "-",
             p->authors[i].url ? p->authors[i].url : "-");
    S_time("published", &p->published);
    S_time("updated", &p->updated);
    for (size_t i = 0; i < p->n_categories; i++)
      printf("  category: %s slug=%s parent=%s\n", p->categories[i].name,
             p->categories[i].slug ? p->categories[i].slug : "-",
             p->categories[i].parent ? p->categories[i].parent : "-");
    for (size_t i = 0; i < p->n_tags; i++)
      printf("  tag: %s slug=%s\n", p->tags[i].name,
             p->tags[i].slug ? p->tags[i].slug : "-");
    printf("  allow: comments=%d pings=%d\n", (int)p->allow_comments,
           (int)p->allow_pings);
    S_text("body", &p->body);
    S_text("more", &p->more);
    S_text("excerpt", &p->excerpt);
    S_str("keywords", p->keywords);
    for (size_t i = 0; i < p->n_extra; i++)
      printf("  extra %s=%s\n", p->extra[i].key, p->extra[i].value);
    for (size_t i = 0; i < p->n_comments; i++) {
      const mtport_comment *c = &p->comments[i];
      printf("  %s %s parent=%s approved=%d junk=%d\n",
             c->kind == MTPORT_COMMENT ? "comment" : "ping",
             c->id ? c->id : "-", c->parent_id ? c->parent_id : "-",
             c->approved, c->junk);
      printf("    by: %s <%s> %s ip=%s\n",
             c->author.name ? c->author.name : "-",
             c->author.email ? c->author.email : "-",
             c->author.url ? c->author.url : "-", c->ip ? c->ip : "-");
      S_str("  title", c->title);
      S_time("  date", &c->date);
      S_text("  body", &c->body);
    }
  }
  printf("posts=%ld pages=%ld comments=%ld pings=%ld rc=%d\n", got[0], got[1],
         got[2], got[3], rc);
  mtport_reader_free(r);
  if (rc < 0)
    return 1;
  for (int i = 0; i < 4; i++)
    if (want[i] >= 0 && want[i] != got[i]) {
      printf("MISMATCH: expected %ld, got %ld (%s)\n", want[i], got[i],
             (const char *[]){"posts", "pages", "comments", "pings"}[i]);
      return 1;
    }
  return 0;
}
