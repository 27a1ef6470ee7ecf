/* Reads an input with mtport_reader and prints every post in a stable text
 * form, then a count line: used by the sample and corpus tests.
 * usage: mttext_dump [-q] [-z ZONE] [-e ENC] [-s SITE] [-p PATTERN]
 *        [-l LINKS] FILE */
#include <mtport/mtport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void S_diag(const mtport_diag *d, void *ud) {
  mtport_buf b = MTPORT_BUF_INIT;
  mtport_diag_format(d, &b);
  fprintf(stderr, "%s\n", b.data ? b.data : "");
  mtport_buf_dispose(&b);
  (*(unsigned long *)ud)++;
}

static void S_str(const char *k, const char *v) {
  if (!v)
    return;
  printf("%s: ", k);
  for (; *v; v++)
    if (*v == '\n')
      printf("\\n");
    else if (*v == '\\')
      printf("\\\\");
    else
      putchar(*v);
  putchar('\n');
}

static void S_time(const char *k, const mtport_time *t) {
  char buf[40];
  if (!t->has_date)
    return;
  mtport_time_format_rfc3339(t, buf, sizeof buf, 0);
  printf("%s: %s%s\n", k, buf, t->has_tz ? "" : " (no tz)");
}

static void S_text(const char *k, const mtport_text *t) {
  if (!t->text)
    return;
  printf("%s.format: %d %s\n", k, (int)t->format, t->filter ? t->filter : "-");
  S_str(k, t->text);
}

int main(int argc, char **argv) {
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  int quiet = 0, i = 1;
  for (; i + 1 < argc && argv[i][0] == '-'; i++) {
    if (strcmp(argv[i], "-q") == 0) {
      quiet = 1;
      continue;
    }
    const char *v = argv[++i];
    switch (argv[i - 1][1]) {
    case 'z':
      o.timezone = v;
      break;
    case 'e':
      o.input_encoding = v;
      break;
    case 's':
      o.site_url = v;
      break;
    case 'p':
      o.permalink_pattern = v;
      break;
    case 'l':
      o.permalinks_from = v;
      break;
    case 'f':
      o.format = v;
      break;
    default:
      fprintf(stderr, "bad option %s\n", argv[i - 1]);
      return 2;
    }
  }
  if (i >= argc) {
    fprintf(stderr, "usage: mttext_dump [options] FILE\n");
    return 2;
  }
  unsigned long ndiag = 0;
  o.diag = S_diag;
  o.diag_payload = &ndiag;
  mtport_reader *r;
  int rc = mtport_reader_open(&r, argv[i], &o);
  if (rc != MTPORT_OK)
    return 3;
  const mtport_post *p;
  unsigned long comments = 0, pings = 0;
  if (!quiet)
    printf("format: %s\nsite.home_url: %s\n", mtport_reader_format(r),
           mtport_reader_site(r)->home_url ? mtport_reader_site(r)->home_url
                                           : "-");
  while ((rc = mtport_reader_next(r, &p)) == 1) {
    for (size_t k = 0; k < p->n_comments; k++)
      if (p->comments[k].kind == MTPORT_COMMENT)
        comments++;
      else
        pings++;
    if (quiet)
      continue;
    printf("== entry %lu line %lu\n", p->ordinal, p->origin.line);
    S_str("title", p->title);
    printf("status: %s\n", mtport_status_name(p->status));
    S_str("basename", p->basename);
    S_str("permalink", p->permalink);
    for (size_t k = 0; k < p->n_authors; k++) {
      S_str("author", p->authors[k].name);
      S_str("author.email", p->authors[k].email);
    }
    S_time("published", &p->published);
    printf("allow: %d %d\n", (int)p->allow_comments, (int)p->allow_pings);
    for (size_t k = 0; k < p->n_categories; k++)
      S_str("category", p->categories[k].name);
    for (size_t k = 0; k < p->n_tags; k++)
      S_str("tag", p->tags[k].name);
    S_text("body", &p->body);
    S_text("more", &p->more);
    S_text("excerpt", &p->excerpt);
    S_str("keywords", p->keywords);
    for (size_t k = 0; k < p->n_comments; k++) {
      const mtport_comment *c = &p->comments[k];
      printf("-- %s\n", c->kind == MTPORT_COMMENT ? "comment" : "ping");
      S_str("c.author", c->author.name);
      S_str("c.email", c->author.email);
      S_str("c.url", c->author.url);
      S_str("c.ip", c->ip);
      S_str("c.title", c->title);
      S_time("c.date", &c->date);
      S_text("c.body", &c->body);
    }
    for (size_t k = 0; k < p->n_extra; k++) {
      printf("extra ");
      S_str(p->extra[k].key, p->extra[k].value);
    }
  }
  printf("entries=%lu comments=%lu pings=%lu diags=%lu rc=%d\n",
         mtport_reader_count(r), comments, pings, ndiag, rc);
  mtport_reader_free(r);
  return rc < 0 ? 1 : 0;
}
