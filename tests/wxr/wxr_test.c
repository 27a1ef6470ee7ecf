/* Tests of the WXR exporter.
 *
 *   wxr_test unit DIR          hard cases written through the writer, read
 *                              back with libxml2 and checked field by field
 *   wxr_test cases OUT [MANIFEST]
 *                              writes the hard-case WXR (for the golden,
 *                              xmllint and npm consumer tests) and a TSV of
 *                              what a converter should make of each post
 *   wxr_test fold < LINES      the fold of each line, in hex
 *   wxr_test run INPUT OUT [option...]
 *                              mtport_run with the "wxr" exporter over a real
 *                              input, then every post read again from the
 *                              source is checked against the WXR; 77 (skip)
 *                              when the input is absent or no reader takes it
 */
#include "../helpers.h"
#include "../slurp.h"
#include "wxr.h"
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- diagnostics collected from the writer --------------------------------
 */

typedef struct S_diags {
  mtport_buf codes; /* "code\n" per diagnostic */
  int quiet;
} S_diags;

static void S_collect(void *payload, const mtport_post *post,
                      mtport_severity sev, const char *code, const char *msg) {
  S_diags *d = payload;
  mtport_buf_printf(&d->codes, "%s\n", code);
  if (!d->quiet)
    fprintf(stderr, "diag: %s: %s [%s] (%s)\n", mtport_severity_name(sev), msg,
            code, post && post->title ? post->title : "-");
}

static int S_count_code(const S_diags *d, const char *code) {
  int n = 0;
  size_t cl = strlen(code);
  for (const char *p = d->codes.data; p && *p;) {
    const char *nl = strchr(p, '\n');
    if ((size_t)(nl - p) == cl && strncmp(p, code, cl) == 0)
      n++;
    p = nl + 1;
  }
  return n;
}

/* ---- the hard cases -------------------------------------------------------
 */

static void S_date(mtport_time *t, const char *iso) {
  if (mtport_time_parse_iso(t, iso) != MTPORT_OK) {
    fprintf(stderr, "bad test date %s\n", iso);
    exit(2);
  }
}

static mtport_comment *S_comment(mtport_post *p, mtport_comment_kind kind,
                                 const char *id, const char *parent,
                                 const char *name, const char *email,
                                 const char *url, const char *ip,
                                 const char *date, const char *text) {
  mtport_comment *c = mtport_post_add_comment(p);
  c->kind = kind;
  mtport_set_str(&c->id, id, (size_t)-1);
  mtport_set_str(&c->parent_id, parent, (size_t)-1);
  mtport_set_str(&c->author.name, name, (size_t)-1);
  mtport_set_str(&c->author.email, email, (size_t)-1);
  mtport_set_str(&c->author.url, url, (size_t)-1);
  mtport_set_str(&c->ip, ip, (size_t)-1);
  if (date)
    S_date(&c->date, date);
  mtport_text_set(&c->body, text, (size_t)-1, MTPORT_TEXT_CONVERT_BREAKS, "1");
  c->approved = 1;
  return c;
}

/* Strings set straight into the struct skip the model's sanitizing, so the
 * writer's own filter is what keeps the XML valid. */
static char *S_raw(const char *s) {
  size_t n = strlen(s);
  char *d = malloc(n + 1);
  memcpy(d, s, n + 1);
  return d;
}

#define N_CASES 16

static mtport_site *S_site(void) {
  mtport_site *s = mtport_site_new();
  mtport_set_str(&s->title, "Hard & \"cases\" <blog>", (size_t)-1);
  mtport_set_str(&s->description, "Tests for ]]> and friends", (size_t)-1);
  mtport_set_str(&s->home_url, "http://blog.example.com/", (size_t)-1);
  mtport_set_str(&s->language, "en_US", (size_t)-1);
  return s;
}

static mtport_post **S_cases(void) {
  mtport_post **v = calloc(N_CASES, sizeof *v);
  for (int i = 0; i < N_CASES; i++) {
    v[i] = mtport_post_new();
    v[i]->ordinal = (unsigned long)i + 1;
    v[i]->allow_comments = MTPORT_FLAG_UNKNOWN;
    v[i]->allow_pings = MTPORT_FLAG_UNKNOWN;
  }
  mtport_post *p = v[0]; /* quotes, ampersands, ]]> everywhere, comments */
  p->status = MTPORT_STATUS_PUBLISH;
  p->entry_id = 10;
  mtport_set_str(&p->source_id, "tag:blog.example.com,2009:/1.10", (size_t)-1);
  mtport_set_str(&p->title, "Quotes \"double\" & 'single' <bold>", (size_t)-1);
  mtport_set_str(&p->permalink,
                 "http://blog.example.com/2009/12/a.html?x=1&y=2", (size_t)-1);
  mtport_set_str(&p->basename, "quotes_and_amps", (size_t)-1);
  mtport_post_add_author(p, "José Müller", "jose@example.com", NULL);
  S_date(&p->published, "2009-12-14T03:27:40+09:00");
  S_date(&p->updated, "2009-12-15T10:00:00+09:00");
  mtport_text_set(&p->body, "<p>end ]]> and ]]]]> and ]]]> here</p>",
                  (size_t)-1, MTPORT_TEXT_HTML, "0");
  mtport_text_set(&p->more, "<p>the extended part &amp; more</p>", (size_t)-1,
                  MTPORT_TEXT_HTML, "0");
  mtport_text_set(&p->excerpt, "An excerpt with ]]> inside", (size_t)-1,
                  MTPORT_TEXT_PLAIN, NULL);
  mtport_post_add_category(p, "Tech & Stuff", NULL, "Computers", 1);
  mtport_post_add_category(p, "Computers", NULL, NULL, 0);
  mtport_post_add_tag(p, "C&C", NULL);
  mtport_post_add_tag(p, "x]]>y", NULL);
  mtport_set_str(&p->keywords, "alpha, beta", (size_t)-1);
  p->allow_comments = MTPORT_FLAG_ON;
  p->allow_pings = MTPORT_FLAG_OFF;
  /* a reply listed before its parent */
  S_comment(p, MTPORT_COMMENT, "c2", "c1", "Reply Person", "r@example.com",
            NULL, "10.0.0.2", "2009-12-14T05:00:00+09:00", "I agree ]]>");
  S_comment(p, MTPORT_COMMENT, "c1", NULL, "Ann <Commenter>", "ann@example.com",
            "http://ann.example.com/?a=1&b=2", "192.0.2.1",
            "2009-12-14T04:00:00+09:00", "First!\nSecond line");
  mtport_comment *c =
      S_comment(p, MTPORT_TRACKBACK, "t1", NULL, "Other Blog", NULL,
                "http://other.example.com/post", "198.51.100.7",
                "2009-12-14T06:00:00+09:00", "an excerpt of the ping");
  mtport_set_str(&c->title, "Pinging post & <title>", (size_t)-1);
  c->body.format = MTPORT_TEXT_PLAIN;
  c = S_comment(p, MTPORT_PINGBACK, "p1", NULL, "Third Blog", NULL,
                "http://third.example.com/", NULL, NULL, "pingback text");
  c = S_comment(p, MTPORT_COMMENT, "j1", NULL, "Spammer", "s@example.com",
                "http://spam.example.com/", "203.0.113.9",
                "2009-12-14T07:00:00+09:00", "buy now");
  c->junk = 1;
  c->approved = 0;
  c = S_comment(p, MTPORT_COMMENT, "h1", NULL, "Held", NULL, NULL, NULL,
                "2009-12-14T08:00:00+09:00", "pending comment");
  c->approved = 0;

  p = v[1]; /* ]]> in the title, a non-ASCII author, Markdown, draft */
  p->status = MTPORT_STATUS_DRAFT;
  p->entry_id = 11;
  mtport_set_str(&p->source_id, "tag:blog.example.com,2009:/1.11", (size_t)-1);
  mtport_set_str(&p->title, "Title with ]]> and ]]]]> inside", (size_t)-1);
  mtport_set_str(&p->basename, "my_basename", (size_t)-1);
  mtport_post_add_author(p, "山田太郎", NULL, NULL);
  S_date(&p->published, "2010-01-02T12:00:00Z");
  mtport_text_set(&p->body, "Some *markdown* text", (size_t)-1,
                  MTPORT_TEXT_MARKDOWN, "markdown");
  p->allow_comments = MTPORT_FLAG_OFF;
  p->allow_pings = MTPORT_FLAG_OFF;

  for (int k = 2; k <= 4; k++) { /* three distinct posts, one title and date */
    p = v[k];
    p->status = MTPORT_STATUS_PUBLISH;
    p->entry_id = 20 + k;
    char id[64];
    snprintf(id, sizeof id, "tag:blog.example.com,2010:/1.%d", 20 + k);
    mtport_set_str(&p->source_id, id, (size_t)-1);
    mtport_set_str(&p->title, "Same title", (size_t)-1);
    mtport_post_add_author(p, "Jose Muller", NULL, NULL); /* login clash */
    S_date(&p->published, "2010-03-04T05:06:07-05:00");
    mtport_text_set(&p->body,
                    k == 2   ? "first"
                    : k == 3 ? "second"
                             : "third",
                    (size_t)-1, MTPORT_TEXT_HTML, NULL);
    mtport_post_add_tag(p, "same", NULL);
  }

  p = v[5]; /* control characters and broken UTF-8 past the setters */
  p->status = MTPORT_STATUS_PUBLISH;
  p->entry_id = 30;
  p->source_id = S_raw("tag:blog.example.com,2010:/1.30");
  p->title = S_raw("Control\x01 chars\x1f here \xff end");
  p->body.text = S_raw("<p>bell\x07 vt\x0b ff\x0c nul-free \xef\xbf\xbe"
                       " tab\tok</p>");
  p->body.format = MTPORT_TEXT_HTML;
  mtport_post_add_author(p, "Ctrl Author", NULL, NULL);
  S_date(&p->published, "2010-05-06T07:08:09+02:00");
  c = S_comment(p, MTPORT_COMMENT, "x1", NULL, "X", NULL, NULL, NULL,
                "2010-05-06T08:00:00+02:00", "ok");
  free(c->body.text);
  c->body.text = S_raw("comment\x02 with control");

  p = v[6]; /* spam: skipped with a warning */
  p->status = MTPORT_STATUS_SPAM;
  p->entry_id = 40;
  mtport_set_str(&p->title, "Spam entry", (size_t)-1);
  mtport_post_add_author(p, "Spam Only Author", NULL, NULL);
  mtport_post_add_category(p, "Spam Only Category", NULL, NULL, 1);
  S_date(&p->published, "2010-06-01T00:00:00Z");

  p = v[7]; /* a page in review whose entry id repeats post 1's */
  p->kind = MTPORT_KIND_PAGE;
  p->status = MTPORT_STATUS_REVIEW;
  p->entry_id = 10;
  mtport_set_str(&p->source_id, "tag:blog.example.com,2010:/2.10", (size_t)-1);
  mtport_set_str(&p->title, "About this blog", (size_t)-1);
  mtport_post_add_author(p, "José Müller", NULL, NULL);
  S_date(&p->published, "2010-07-01T09:30:00+05:30");
  mtport_text_set(&p->body, "Line one\r\n\r\nLine two\rthree", (size_t)-1,
                  MTPORT_TEXT_CONVERT_BREAKS, "__default__");

  p = v[8]; /* Unpublish becomes private */
  p->status = MTPORT_STATUS_UNPUBLISH;
  p->entry_id = 50;
  mtport_set_str(&p->source_id, "tag:blog.example.com,2010:/1.50", (size_t)-1);
  mtport_set_str(&p->title, "Ended entry", (size_t)-1);
  mtport_post_add_author(p, "Ctrl Author", NULL, NULL);
  S_date(&p->published, "2010-08-01T00:00:00Z");
  mtport_text_set(&p->body, "gone", (size_t)-1, MTPORT_TEXT_HTML, NULL);
  mtport_post_add_category(p, "Child", NULL, "Tech & Stuff", 1);

  p = v[9]; /* scheduled */
  p->status = MTPORT_STATUS_FUTURE;
  p->entry_id = 51;
  mtport_set_str(&p->source_id, "tag:blog.example.com,2030:/1.51", (size_t)-1);
  mtport_set_str(&p->title, "Scheduled", (size_t)-1);
  S_date(&p->published, "2030-01-01T00:00:00Z");
  mtport_text_set(&p->body, "later", (size_t)-1, MTPORT_TEXT_HTML, NULL);

  p = v[10]; /* no author, no date, no id: a draft */
  p->status = MTPORT_STATUS_DRAFT;
  mtport_set_str(&p->source_id, "urn:x-test:undated", (size_t)-1);
  mtport_set_str(&p->title, "Undated", (size_t)-1);
  mtport_text_set(&p->body, "no date", (size_t)-1, MTPORT_TEXT_HTML, NULL);

  p = v[11]; /* no entry id, unknown status: published with a new id */
  mtport_set_str(&p->source_id, "urn:x-test:noid", (size_t)-1);
  mtport_set_str(&p->title, "Ünïcödé title — ok", (size_t)-1);
  mtport_post_add_author(p, "Ann", "jose@example.com", NULL); /* shared */
  S_date(&p->published, "2011-02-03T04:05:06+01:00");
  mtport_text_set(&p->body, "plain <text> & more", (size_t)-1,
                  MTPORT_TEXT_PLAIN, NULL);

  /* titles WordPress's database takes as equal: case and accents */
  const char *const cafe[2] = {"CAFÉ society", "Cafe Society"};
  for (int k = 12; k <= 13; k++) {
    p = v[k];
    p->status = MTPORT_STATUS_PUBLISH;
    p->entry_id = 60 + k;
    mtport_set_str(&p->title, cafe[k - 12], (size_t)-1);
    mtport_post_add_author(p, "Ann", NULL, NULL);
    S_date(&p->published, "2012-03-04T05:06:07Z");
    mtport_text_set(&p->body,
                    k == 12 ? "<p>with junk</p><div class=\"zemanta-pixie\">"
                              "<img class=\"zemanta-pixie-img\" src=\"http://"
                              "img.zemanta.com/pixy.gif?x-id=1\"></div>"
                              "<script>track()</script><p>end</p>"
                            : "<p>second</p>",
                    (size_t)-1, MTPORT_TEXT_HTML, NULL);
  }
  p = v[14]; /* an empty title matches any post of the same date */
  p->status = MTPORT_STATUS_PUBLISH;
  p->entry_id = 74;
  mtport_post_add_author(p, "Ann", NULL, NULL);
  S_date(&p->published, "2012-03-04T05:06:07Z");
  mtport_text_set(&p->body, "<p>untitled</p>", (size_t)-1, MTPORT_TEXT_HTML,
                  NULL);
  p = v[15]; /* a title with markup-like text, keywords that look serialized,
                extra fields */
  p->status = MTPORT_STATUS_PUBLISH;
  p->entry_id = 75;
  mtport_set_str(&p->title, "AT&T <rocks> &copy; R&D", (size_t)-1);
  mtport_post_add_author(p, "Ann", NULL, NULL);
  S_date(&p->published, "2012-05-06T07:08:09Z");
  mtport_text_set(&p->body, "<p>meta</p>", (size_t)-1, MTPORT_TEXT_HTML, NULL);
  mtport_set_str(&p->keywords, "i:42;", (size_t)-1);
  mtport_post_add_extra(p, "Mood", "a:1:{}");
  mtport_post_add_extra(p, "NO ENTRY", "1");
  return v;
}

static void S_cases_free(mtport_post **v) {
  for (int i = 0; i < N_CASES; i++)
    mtport_post_free(v[i]);
  free(v);
}

/* The writer's default-author option for the next S_write(). */
static const char *S_default_author;

/* Runs the writer over @posts into @path. Returns the writer's status. */
static int S_write(const char *path, const mtport_site *site,
                   mtport_post **posts, int n, unsigned flags, S_diags *d) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    perror(path);
    exit(2);
  }
  mtport_wxr_env env = {f, flags, S_collect, d, S_default_author, 0};
  void *st;
  int rc = mtport_wxr__begin(&env, site, &st);
  for (int i = 0; rc == MTPORT_OK && i < n; i++)
    rc = mtport_wxr__prepass(st, posts[i]);
  if (rc == MTPORT_OK)
    rc = mtport_wxr__prepass_done(st);
  for (int i = 0; rc >= MTPORT_OK && i < n; i++)
    rc = mtport_wxr__entry(st, posts[i]);
  int e = mtport_wxr__end(st, rc >= 0 ? MTPORT_OK : rc);
  fclose(f);
  return rc < 0 ? rc : e;
}

/* ---- reading the WXR back ----------------------------------------------- */

static int S_is(const xmlNode *n, const char *qname) {
  if (!n || n->type != XML_ELEMENT_NODE)
    return 0;
  const char *colon = strchr(qname, ':');
  if (!colon)
    return !n->ns && strcmp((const char *)n->name, qname) == 0;
  size_t pl = (size_t)(colon - qname);
  return n->ns && n->ns->prefix && strlen((const char *)n->ns->prefix) == pl &&
         strncmp((const char *)n->ns->prefix, qname, pl) == 0 &&
         strcmp((const char *)n->name, colon + 1) == 0;
}

static xmlNode *S_child(const xmlNode *n, const char *qname) {
  for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
    if (S_is(c, qname))
      return c;
  return NULL;
}

/* The element's text (CDATA sections joined); "" when absent. Owned by a
 * small ring so a few calls can be compared at once. */
static const char *S_txt(const xmlNode *n, const char *qname) {
  static char *ring[8];
  static int at;
  xmlNode *c = qname ? S_child(n, qname) : (xmlNode *)n;
  at = (at + 1) % 8;
  xmlFree(ring[at]);
  ring[at] = c ? (char *)xmlNodeGetContent(c) : NULL;
  return ring[at] ? ring[at] : "";
}

/* The model string as the writer must have cleaned it; a ring of buffers so
 * one expression may hold two. */
static const char *S_clean(const char *s) {
  static mtport_buf ring[4];
  static int at;
  mtport_buf *b = &ring[at = (at + 1) % 4];
  mtport_buf_clear(b);
  mtport_utf8_sanitize(b, s ? s : "", s ? strlen(s) : 0);
  char *d = b->data, *q = d; /* XML reads CR LF and CR as LF */
  for (size_t i = 0; d && i < b->len; i++) {
    if (d[i] == '\r') {
      *q++ = '\n';
      if (i + 1 < b->len && d[i + 1] == '\n')
        i++;
    } else
      *q++ = d[i];
  }
  if (d) {
    *q = '\0';
    b->len = (size_t)(q - d);
  }
  return b->data ? b->data : "";
}

static void S_wpdate(const mtport_time *t, int gmt, char *out, size_t size) {
  mtport_time u = *t;
  if (gmt)
    u.offset_min = 0;
  mtport_tm tm;
  mtport_time_local(&u, &tm);
  snprintf(out, size, "%04d-%02d-%02d %02d:%02d:%02d", tm.year, tm.month,
           tm.day, tm.hour, tm.minute, tm.second);
}

/* Seconds of a "YYYY-MM-DD HH:MM:SS" read as if UTC; 0 on error. */
static int64_t S_secs(const char *s) {
  mtport_tm tm;
  mtport_time t;
  if (sscanf(s, "%d-%d-%d %d:%d:%d", &tm.year, &tm.month, &tm.day, &tm.hour,
             &tm.minute, &tm.second) != 6 ||
      mtport_time_from_local(&t, &tm, 0, 1) != MTPORT_OK)
    return 0;
  return t.epoch;
}

/* A list of byte strings, for uniqueness checks. */
typedef struct S_strs {
  char **v;
  size_t *len;
  size_t n;
} S_strs;

/* 1 when @s was added before; adds it otherwise. */
static int S_seen(S_strs *l, const char *s, size_t n) {
  for (size_t i = 0; i < l->n; i++)
    if (l->len[i] == n && memcmp(l->v[i], s, n) == 0)
      return 1;
  l->v = realloc(l->v, (l->n + 1) * sizeof *l->v);
  l->len = realloc(l->len, (l->n + 1) * sizeof *l->len);
  l->v[l->n] = malloc(n + 1);
  memcpy(l->v[l->n], s, n);
  l->len[l->n++] = n;
  return 0;
}

static void S_strs_free(S_strs *l) {
  for (size_t i = 0; i < l->n; i++)
    free(l->v[i]);
  free(l->v);
  free(l->len);
}

typedef struct S_check {
  xmlDoc *doc;
  xmlNode *channel, *item;
  unsigned flags;
  unsigned long posts, comments;
  S_strs seen;  /* title, date and type of each dated item */
  S_strs names; /* type/name of each item */
  long long *post_ids, *comment_ids;
  size_t n_post_ids, n_comment_ids;
} S_check;

static int S_check_open(S_check *k, const char *path, unsigned flags) {
  memset(k, 0, sizeof *k);
  k->flags = flags;
  k->doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
  if (!k->doc) {
    t_fail("%s is not well-formed XML", path);
    return -1;
  }
  xmlNode *rss = xmlDocGetRootElement(k->doc);
  EXPECT(S_is(rss, "rss"), "root is not rss");
  xmlChar *ver = rss ? xmlGetProp(rss, (const xmlChar *)"version") : NULL;
  EXPECT(ver && strcmp((char *)ver, "2.0") == 0, "rss version");
  xmlFree(ver);
  k->channel = S_child(rss, "channel");
  EXPECT(k->channel != NULL, "no channel");
  EXPECT(strcmp(S_txt(k->channel, "wp:wxr_version"), "1.2") == 0,
         "wxr_version is not 1.2");
  k->item = S_child(k->channel, "item");
  /* categories: parents first, parent named by its nicename */
  int ci = 0;
  for (xmlNode *c = k->channel->children; c; c = c->next) {
    if (!S_is(c, "wp:category"))
      continue;
    char *par = strdup(S_txt(c, "wp:category_parent"));
    if (!*par) {
      free(par);
      continue;
    }
    int found = 0;
    for (xmlNode *d = k->channel->children; d != c; d = d->next)
      if (S_is(d, "wp:category") &&
          strcmp(S_txt(d, "wp:category_nicename"), par) == 0)
        found = 1;
    EXPECT(found, "category %d: parent %s not written before it", ci, par);
    free(par);
    ci++;
  }
  /* authors: unique ASCII logins */
  for (xmlNode *a = k->channel->children; a; a = a->next) {
    if (!S_is(a, "wp:author"))
      continue;
    char *login = strdup(S_txt(a, "wp:author_login")); /* S_txt's ring */
    EXPECT(*login, "empty author login");
    for (const char *q = login; *q; q++)
      EXPECT((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '-',
             "login %s is not plain ASCII", login);
    for (xmlNode *b = a->next; b; b = b->next)
      if (S_is(b, "wp:author"))
        EXPECT(strcmp(login, S_txt(b, "wp:author_login")) != 0,
               "login %s used twice", login);
    free(login);
  }
  return 0;
}

/* The channel term (wp:category/wp:tag) called @name. */
static xmlNode *S_term(S_check *k, const char *kind, const char *name) {
  int cat = strcmp(kind, "wp:category") == 0;
  for (xmlNode *c = k->channel->children; c; c = c->next)
    if (S_is(c, kind) &&
        strcmp(S_txt(c, cat ? "wp:cat_name" : "wp:tag_name"), name) == 0)
      return c;
  return NULL;
}

/* Checks the item's category elements of @domain against the terms. */
static void S_check_terms(S_check *k, xmlNode *item, const char *domain,
                          const mtport_term *terms, size_t n) {
  size_t count = 0, named = 0;
  int cat = strcmp(domain, "category") == 0;
  for (size_t i = 0; i < n; i++) /* names that clean up to nothing go */
    named += *S_clean(terms[i].name) != '\0';
  for (xmlNode *c = item->children; c; c = c->next) {
    if (!S_is(c, "category"))
      continue;
    xmlChar *dom = xmlGetProp(c, (const xmlChar *)"domain");
    xmlChar *nice = xmlGetProp(c, (const xmlChar *)"nicename");
    if (dom && strcmp((char *)dom, domain) == 0) {
      count++;
      char *name = strdup(S_txt(c, NULL)); /* S_txt's ring is short */
      int found = 0;
      for (size_t i = 0; i < n; i++)
        if (strcmp(S_clean(terms[i].name), name) == 0)
          found = 1;
      EXPECT(found, "%s '%s' is not on the source post", domain, name);
      xmlNode *t = S_term(k, cat ? "wp:category" : "wp:tag", name);
      EXPECT(t != NULL, "%s '%s' missing from the channel", domain, name);
      if (t)
        EXPECT(nice &&
                   strcmp((char *)nice, S_txt(t, cat ? "wp:category_nicename"
                                                     : "wp:tag_slug")) == 0,
               "%s '%s': nicename differs from the channel's", domain, name);
      if (cat && t) {
        for (size_t i = 0; i < n; i++) {
          if (strcmp(S_clean(terms[i].name), name) != 0 || !terms[i].parent)
            continue;
          xmlNode *pt = S_term(k, "wp:category", S_clean(terms[i].parent));
          EXPECT(pt && strcmp(S_txt(t, "wp:category_parent"),
                              S_txt(pt, "wp:category_nicename")) == 0,
                 "category '%s': parent is not '%s'", name, terms[i].parent);
        }
      }
      free(name);
    }
    xmlFree(dom);
    xmlFree(nice);
  }
  EXPECT(count == named, "%zu %s elements for %zu terms", count, domain, named);
}

static void S_expected_content(mtport_buf *out, const mtport_post *p) {
  mtport_buf raw = MTPORT_BUF_INIT;
  const mtport_text *parts[2] = {&p->body, &p->more};
  for (int i = 0; i < 2; i++) {
    if (!parts[i]->text || !*parts[i]->text)
      continue;
    if (i == 1)
      mtport_buf_puts(&raw, "\n<!--more-->\n");
    /* HTML, without what the Markdown converter leaves out too */
    mtport_buf h = MTPORT_BUF_INIT;
    mtport_text_to_html(&h, parts[i],
                        parts[i]->base ? parts[i]->base : p->permalink);
    if (parts[i]->format == MTPORT_TEXT_HTML ||
        parts[i]->format == MTPORT_TEXT_CONVERT_BREAKS)
      mtport_html_clean(&raw, h.data ? h.data : "", h.len, NULL);
    else
      mtport_buf_append(&raw, h.data ? h.data : "", h.len);
    mtport_buf_dispose(&h);
  }
  mtport_buf_clear(out);
  mtport_buf_puts(out, S_clean(raw.data));
  mtport_buf_dispose(&raw);
}

static int S_id_seen(long long **v, size_t *n, long long id) {
  for (size_t i = 0; i < *n; i++)
    if ((*v)[i] == id)
      return 1;
  *v = realloc(*v, (*n + 1) * sizeof **v);
  (*v)[(*n)++] = id;
  return 0;
}

static void S_check_comments(S_check *k, xmlNode *item, const mtport_post *p,
                             const char *post_local) {
  size_t n = 0;
  for (xmlNode *c = item->children; c; c = c->next)
    n += S_is(c, "wp:comment");
  size_t want = (k->flags & MTPORT_WXR_NO_COMMENTS) ? 0 : p->n_comments;
  EXPECT(n == want, "'%s': %zu comments written for %zu", p->title, n, want);
  if (!n)
    return;
  /* pair each source comment with a written one: by author and exact
   * content first, then by author and content containing the body (pings
   * and rendered formats), each written comment used once */
  xmlNode **match = calloc(p->n_comments, sizeof *match);
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < p->n_comments; i++) {
      const mtport_comment *c = &p->comments[i];
      if (match[i])
        continue;
      for (xmlNode *w = item->children; w && !match[i]; w = w->next) {
        if (!S_is(w, "wp:comment"))
          continue;
        int used = 0;
        for (size_t j = 0; j < p->n_comments; j++)
          used |= match[j] == w;
        const char *body =
            S_clean(c->body.format == MTPORT_TEXT_PLAIN ? "" : c->body.text);
        const char *got = S_txt(w, "wp:comment_content");
        if (!used &&
            strcmp(S_txt(w, "wp:comment_author"), S_clean(c->author.name)) ==
                0 &&
            (pass ? strstr(got, body) != NULL : strcmp(got, body) == 0))
          match[i] = w;
      }
    }
  }
  for (size_t i = 0; i < p->n_comments; i++) {
    const mtport_comment *c = &p->comments[i];
    xmlNode *w = match[i];
    EXPECT(w != NULL, "'%s': comment %zu by %s not found", p->title, i,
           c->author.name ? c->author.name : "");
    if (!w)
      continue;
    k->comments++;
    long long id = atoll(S_txt(w, "wp:comment_id"));
    EXPECT(id > 0 && !S_id_seen(&k->comment_ids, &k->n_comment_ids, id),
           "comment id %lld is not unique and positive", id);
    EXPECT(strcmp(S_txt(w, "wp:comment_author_email"),
                  S_clean(c->author.email)) == 0,
           "comment email");
    EXPECT(strcmp(S_txt(w, "wp:comment_author_url"), S_clean(c->author.url)) ==
               0,
           "comment url");
    EXPECT(strcmp(S_txt(w, "wp:comment_author_IP"), S_clean(c->ip)) == 0,
           "comment IP");
    char d[32];
    if (c->date.has_date) {
      S_wpdate(&c->date, 0, d, sizeof d);
      EXPECT(strcmp(S_txt(w, "wp:comment_date"), d) == 0, "comment date %s", d);
      S_wpdate(&c->date, 1, d, sizeof d);
      EXPECT(strcmp(S_txt(w, "wp:comment_date_gmt"), d) == 0,
             "comment gmt date %s", d);
    } else
      EXPECT(strcmp(S_txt(w, "wp:comment_date"), post_local) == 0,
             "undated comment should take the post's date");
    const char *appr = c->junk ? "spam" : c->approved ? "1" : "0";
    EXPECT(strcmp(S_txt(w, "wp:comment_approved"), appr) == 0,
           "comment approved should be %s", appr);
    const char *type = c->kind == MTPORT_PINGBACK    ? "pingback"
                       : c->kind == MTPORT_TRACKBACK ? "trackback"
                                                     : "";
    EXPECT(strcmp(S_txt(w, "wp:comment_type"), type) == 0,
           "comment type should be '%s'", type);
    EXPECT(strcmp(S_txt(w, "wp:comment_user_id"), "0") == 0, "user id");
    if (c->kind != MTPORT_COMMENT && c->title && *c->title)
      EXPECT(strstr(S_txt(w, "wp:comment_content"), "<strong>") != NULL,
             "ping content should start with the title");
  }
  /* parents: the matched parent's id, numbered before the reply */
  for (size_t i = 0; i < p->n_comments; i++) {
    const mtport_comment *c = &p->comments[i];
    if (!match[i])
      continue;
    long long par = atoll(S_txt(match[i], "wp:comment_parent"));
    long long want_par = 0;
    for (size_t j = 0; c->parent_id && j < p->n_comments; j++)
      if (j != i && p->comments[j].id && match[j] &&
          strcmp(p->comments[j].id, c->parent_id) == 0) {
        want_par = atoll(S_txt(match[j], "wp:comment_id"));
        break;
      }
    long long own = atoll(S_txt(match[i], "wp:comment_id"));
    if (want_par > own) /* only in a reply loop, which the writer cuts */
      want_par = 0;
    EXPECT(par == want_par, "comment %zu: parent %lld, expected %lld", i, par,
           want_par);
    EXPECT(par < atoll(S_txt(match[i], "wp:comment_id")),
           "comment %zu: parent numbered after the reply", i);
  }
  free(match);
}

/* Checks the next item against @p (a non-spam post). */
static void S_check_post(S_check *k, const mtport_post *p) {
  xmlNode *it = k->item;
  if (!it) {
    t_fail("no item for post '%s'", p->title ? p->title : "");
    return;
  }
  for (k->item = it->next; k->item && !S_is(k->item, "item");)
    k->item = k->item->next;
  k->posts++;
  /* the title as WordPress stores it */
  mtport_buf wt = MTPORT_BUF_INIT;
  mtport_wxr__title(&wt, p->title);
  char *title = strdup(S_clean(wt.data ? wt.data : ""));
  mtport_buf_dispose(&wt);
  EXPECT(strcmp(S_txt(it, "title"), title) == 0, "title '%s' != '%s'",
         S_txt(it, "title"), title);
  EXPECT(strcmp(S_txt(it, "link"), S_clean(p->permalink)) == 0, "link of %s",
         title);
  xmlNode *g = S_child(it, "guid");
  EXPECT(g && strcmp(S_txt(g, NULL),
                     S_clean(p->source_id ? p->source_id : p->permalink)) == 0,
         "guid of %s", title);
  xmlChar *ipl = g ? xmlGetProp(g, (const xmlChar *)"isPermaLink") : NULL;
  EXPECT(ipl && strcmp((char *)ipl, "false") == 0, "guid isPermaLink");
  xmlFree(ipl);
  /* author: login of a wp:author whose display name is the source name */
  char *login = strdup(S_txt(it, "dc:creator"));
  /* the author key: the name, else the email; one line in wp:author */
  char *aname = NULL;
  if (p->n_authors)
    aname = strdup(S_clean(p->authors[0].name && *p->authors[0].name
                               ? p->authors[0].name
                               : p->authors[0].email));
  for (char *q = aname; q && *q; q++)
    if (*q == '\n' || *q == '\t')
      *q = ' ';
  if (aname && *aname) {
    int found = 0;
    for (xmlNode *a = k->channel->children; a; a = a->next)
      if (S_is(a, "wp:author") &&
          strcmp(S_txt(a, "wp:author_login"), login) == 0)
        found = strcmp(S_txt(a, "wp:author_display_name"), aname) == 0;
    EXPECT(found, "'%s': dc:creator '%s' is not the login of '%s'", title,
           login, aname);
  } else { /* the default author, declared like the others */
    int found = 0;
    for (xmlNode *a = k->channel->children; a && *login; a = a->next)
      found |= S_is(a, "wp:author") &&
               strcmp(S_txt(a, "wp:author_login"), login) == 0;
    EXPECT(found,
           "'%s': no author, and dc:creator '%s' is no declared "
           "author",
           title, login);
  }
  free(aname);
  mtport_buf want = MTPORT_BUF_INIT;
  S_expected_content(&want, p);
  EXPECT(strcmp(S_txt(it, "content:encoded"), want.data ? want.data : "") == 0,
         "'%s': content:encoded differs:\n%s\n---\n%s", title,
         S_txt(it, "content:encoded"), want.data ? want.data : "");
  mtport_buf_dispose(&want);
  EXPECT(strcmp(S_txt(it, "excerpt:encoded"), S_clean(p->excerpt.text)) == 0,
         "'%s': excerpt", title);
  long long id = atoll(S_txt(it, "wp:post_id"));
  EXPECT(id > 0, "'%s': post id", title);
  if (p->entry_id > 0 && id != p->entry_id) {
    int dup = 0;
    for (size_t i = 0; i < k->n_post_ids; i++)
      dup |= k->post_ids[i] == p->entry_id;
    EXPECT(dup, "'%s': post id %lld, entry id %lld unused before", title, id,
           p->entry_id);
  }
  EXPECT(!S_id_seen(&k->post_ids, &k->n_post_ids, id), "post id %lld twice",
         id);
  char local[32], gmt[32]; /* copies: S_txt's ring is short */
  snprintf(local, sizeof local, "%s", S_txt(it, "wp:post_date"));
  snprintf(gmt, sizeof gmt, "%s", S_txt(it, "wp:post_date_gmt"));
  if (p->published.has_date) {
    char d[32];
    S_wpdate(&p->published, 0, d, sizeof d);
    int64_t delta = S_secs(local) - S_secs(d);
    EXPECT(delta >= 0 && delta < (int64_t)k->posts,
           /* one s per earlier */ "'%s': date %s, source %s", title, local, d);
    EXPECT(S_secs(local) - S_secs(gmt) == (int64_t)p->published.offset_min * 60,
           "'%s': local %s and gmt %s disagree", title, local, gmt);
    EXPECT(S_child(it, "pubDate") != NULL, "'%s': no pubDate", title);
  } else
    EXPECT(strcmp(gmt, "0000-00-00 00:00:00") == 0, "undated gmt");
  const char *type = S_txt(it, "wp:post_type");
  EXPECT(strcmp(type, p->kind == MTPORT_KIND_PAGE ? "page" : "post") == 0,
         "'%s': post type %s", title, type);
  /* converters name files after post_name: unique per type */
  mtport_buf nk = MTPORT_BUF_INIT;
  mtport_buf_printf(&nk, "%s/%s", S_txt(it, "wp:post_type"),
                    S_txt(it, "wp:post_name"));
  EXPECT(!S_seen(&k->names, nk.data, nk.len),
         "'%s': post_name repeats an earlier item's", title);
  mtport_buf_dispose(&nk);
  /* WordPress drops a later item with the same title, date and type (an
   * undated one gets the import time, so it cannot collide) */
  if (p->published.has_date) {
    /* an empty title matches any post of the date, another title one the
     * database compares as equal (tests/wxr/wp_duplicates.py checks the
     * folding itself against MariaDB's rules) */
    mtport_buf key = MTPORT_BUF_INIT, dkey = MTPORT_BUF_INIT;
    mtport_buf_printf(&dkey, "D%s%c%s", type, 0, local);
    mtport_buf_printf(&key, "T%s%c%s%c", type, 0, local, 0);
    mtport_wxr__fold(&key, title, strlen(title));
    int empty = mtport_wxr__php_empty(title);
    int hit_t = S_seen(&k->seen, key.data, key.len);
    int hit_d = S_seen(&k->seen, dkey.data, dkey.len);
    EXPECT(!(empty ? hit_d : hit_t),
           "'%s': WordPress would take it for an earlier item of %s", title,
           local);
    mtport_buf_dispose(&key);
    mtport_buf_dispose(&dkey);
  }
  const char *st = S_txt(it, "wp:status");
  const char *want_st = "publish";
  switch (p->status) {
  case MTPORT_STATUS_DRAFT:
    want_st = "draft";
    break;
  case MTPORT_STATUS_REVIEW:
    want_st = "pending";
    break;
  case MTPORT_STATUS_FUTURE:
    want_st = "future";
    break;
  case MTPORT_STATUS_UNPUBLISH:
    want_st = "private";
    break;
  default:
    break;
  }
  EXPECT(strcmp(st, want_st) == 0, "'%s': status %s, expected %s", title, st,
         want_st);
  EXPECT(strcmp(S_txt(it, "wp:comment_status"),
                p->allow_comments == MTPORT_FLAG_OFF ? "closed" : "open") == 0,
         "'%s': comment_status", title);
  EXPECT(strcmp(S_txt(it, "wp:ping_status"),
                p->allow_pings == MTPORT_FLAG_OFF ? "closed" : "open") == 0,
         "'%s': ping_status", title);
  const char *name = S_txt(it, "wp:post_name");
  EXPECT(*name, "'%s': empty post_name", title);
  for (const char *q = name; *q; q++)
    EXPECT((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '-' ||
               *q == '_' || *q == '%',
           "'%s': post_name %s is not a WordPress slug", title, name);
  EXPECT(strcmp(S_txt(it, "wp:post_parent"), "0") == 0, "post_parent");
  EXPECT(strcmp(S_txt(it, "wp:is_sticky"), "0") == 0, "is_sticky");
  S_check_terms(k, it, "category", p->categories, p->n_categories);
  S_check_terms(k, it, "post_tag", p->tags, p->n_tags);
  S_check_comments(k, it, p, local);
  free(title);
  free(login);
}

static void S_check_close(S_check *k) {
  EXPECT(k->item == NULL, "more items than posts");
  xmlFreeDoc(k->doc);
  S_strs_free(&k->seen);
  S_strs_free(&k->names);
  free(k->post_ids);
  free(k->comment_ids);
}

/* ---- raw-text checks --------------------------------------------------------
 */

/* Things only the bytes show: one-line authors, literal prefixes, the
 * WordPress form of split CDATA, no DOCTYPE. */
static void S_check_raw(const char *path) {
  size_t len;
  char *s = t_slurp(path, &len);
  EXPECT(s != NULL, "cannot read %s", path);
  if (!s)
    return;
  EXPECT(mtport_utf8_valid(s, len), "output is not valid UTF-8");
  const char *root = strstr(s, "<rss ");
  EXPECT(root != NULL, "no <rss> root");
  for (const char *q = s; root && q < root; q++) /* bodies may hold one */
    if (strncmp(q, "<!DOCTYPE", 9) == 0) {
      t_fail("a DOCTYPE before the root");
      break;
    }
  for (const char *p = strstr(s, "<wp:author>"); p;
       p = strstr(p + 1, "<wp:author>")) {
    const char *end = strstr(p, "</wp:author>");
    const char *nl = strchr(p, '\n');
    EXPECT(end && (!nl || end < nl), "a wp:author spans lines");
  }
  EXPECT(strstr(s, "<wp:wxr_version>1.2</wp:wxr_version>\n"),
         "wxr_version line");
  for (const char *p = strstr(s, "<category "); p;
       p = strstr(p + 1, "<category "))
    EXPECT(strncmp(p, "<category domain=\"", 18) == 0,
           "category attributes not in domain, nicename order");
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    EXPECT(c >= 0x20 || c == '\n' || c == '\t' || c == '\r',
           "control byte 0x%02x at %zu", c, i);
  }
  free(s);
}

/* ---- modes ----------------------------------------------------------------
 */

/* ---- WordPress's duplicate rule: titles and their folding ---------------- */

static void S_fold_pair(const char *a, const char *b, int equal) {
  mtport_buf fa = MTPORT_BUF_INIT, fb = MTPORT_BUF_INIT;
  EXPECT(mtport_wxr__fold(&fa, a, strlen(a)) == MTPORT_OK &&
             mtport_wxr__fold(&fb, b, strlen(b)) == MTPORT_OK,
         "fold failed");
  int eq =
      fa.len == fb.len && (!fa.len || memcmp(fa.data, fb.data, fa.len) == 0);
  EXPECT(eq == equal, "fold('%s') = '%s', fold('%s') = '%s': expected %s", a,
         fa.data ? fa.data : "", b, fb.data ? fb.data : "",
         equal ? "equal" : "different");
  mtport_buf_dispose(&fa);
  mtport_buf_dispose(&fb);
}

static void S_title_case(const char *html, const char *want) {
  mtport_buf b = MTPORT_BUF_INIT;
  EXPECT(mtport_wxr__title(&b, html) == MTPORT_OK, "title failed");
  EXPECT(strcmp(b.data ? b.data : "", want) == 0,
         "title('%s') = '%s', not '%s'", html, b.data ? b.data : "", want);
  mtport_buf_dispose(&b);
}

/* The pairs MariaDB's utf8mb4_unicode_520_ci calls equal or not (checked
 * with WEIGHT_STRING() on MariaDB 10.11). */
static void S_unit_collation(void) {
  static const char *const equal[][2] = {
      {"Same", "same"}, /* case */
      {"Café", "cafe"}, /* accents */
      {"CAFÉ", "cafe"},
      {"naïve", "NAIVE"},
      {"Cafe\xcc\x81", "cafe"}, /* a combining accent */
      {"Straße", "STRASSE"},    /* sharp s */
      {"Æsop", "aesop"},        /* ligatures and letters with strokes */
      {"Œuvre", "oeuvre"},
      {"Øre", "ore"},
      {"Łódź", "lodz"},
      {"Đuro", "duro"},
      {"ﬁle", "file"}, /* compatibility forms */
      {"Ｆｕｌｌ", "full"},
      {"x²", "x2"},
      {"Ⅻ", "xii"},
      {"①", "1"},
      {"title ", "title"}, /* trailing spaces do not count */
      {"title\xc2\xa0", "title"},
      {"a\xe3\x80\x80"
       "b",
       "a b"},
      {"Ελληνικά", "ΕΛΛΗΝΙΚΑ"}, /* Greek */
      {"Άέή", "αεη"},
      {"ᾳ", "α"},           /* iota subscript */
      {"σοφός", "ΣΟΦΟΣ"},   /* final sigma */
      {"Привет", "ПРИВЕТ"}, /* Cyrillic */
      {"Ёлка", "елка"},
      {"Ґанок", "ганок"},
      {"カタカナ", "かたかな"}, /* kana */
      {"ｶﾀｶﾅ", "カタカナ"},
      {"ァ", "ア"},
      {"が", "か"},
      {"١٢٣", "123"}, /* digits */
      {"Ⅰ", "i"},
      {"", ""},
  };
  static const char *const different[][2] = {
      {"й", "и"},    {"Й", "и"},       {"ї", "і"},          {"ı", "i"},
      {"a b", "ab"}, {"a-b", "ab"},    {" title", "title"}, {"þ", "th"},
      {"ŧ", "t"},    {"日本", "日木"}, {"Same", "Sane"},    {"a", ""},
  };
  for (size_t i = 0; i < sizeof equal / sizeof *equal; i++)
    S_fold_pair(equal[i][0], equal[i][1], 1);
  for (size_t i = 0; i < sizeof different / sizeof *different; i++)
    S_fold_pair(different[i][0], different[i][1], 0);
  /* titles as WordPress stores them: the model's title (the text MT
   * showed, decoded by the readers) with '<', '>' and a reference's '&'
   * escaped, trimmed as WordPress trims them, nothing else */
  S_title_case("Japan News & Info", "Japan News & Info");
  S_title_case("Japan News &amp; Info", "Japan News &amp;amp; Info");
  S_title_case("a < b > c", "a &lt; b &gt; c");
  S_title_case("<em>Hi</em> there", "&lt;em&gt;Hi&lt;/em&gt; there");
  S_title_case("©2023 A", "©2023 A");
  /* "&name;" is escaped whatever the name: HTML knows over 2,000 */
  S_title_case("R&D, AT&T; Q&A", "R&D, AT&amp;T; Q&A");
  S_title_case("&copy2023 &#38; &#x26; &foo; &foo bar",
               "&amp;copy2023 &amp;#38; &amp;#x26; &amp;foo; &foo bar");
  S_title_case("  spaced \n  out  ", "spaced \n  out");
  S_title_case("\"quotes\" 'kept'", "\"quotes\" 'kept'");
  S_title_case(NULL, "");
  /* PHP's empty() and stripslashes() */
  EXPECT(mtport_wxr__php_empty("") && mtport_wxr__php_empty("0") &&
             mtport_wxr__php_empty(NULL),
         "empty(): '' and '0'");
  EXPECT(!mtport_wxr__php_empty("00") && !mtport_wxr__php_empty(" ") &&
             !mtport_wxr__php_empty("0.0"),
         "empty(): not '00', ' ', '0.0'");
  mtport_buf u = MTPORT_BUF_INIT;
  mtport_wxr__unslash(&u, "a\\b a\\\\b a\\0b\\", 15);
  EXPECT(u.data && strcmp(u.data, "ab a\\b ab") == 0, "stripslashes: '%s'",
         u.data ? u.data : "");
  mtport_buf_dispose(&u);
}

/* Posts that collide only under WordPress's rule: each is moved past the
 * others, and a note names the post it would be taken for. */
static void S_unit_nudges(const char *dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/wxr-nudges.xml", dir);
  static const char *const titles[] = {"Straße",   "STRASSE",  "0",    "",
                                       "strasse ", "Stra\\ße", "Other"};
  enum { N = sizeof titles / sizeof *titles };
  mtport_post *v[N];
  for (int i = 0; i < N; i++) {
    v[i] = mtport_post_new();
    v[i]->ordinal = (unsigned long)i + 1;
    mtport_set_str(&v[i]->title, titles[i], (size_t)-1);
    mtport_post_add_author(v[i], "Ann", NULL, NULL);
    S_date(&v[i]->published, "2015-01-01T12:00:00+09:00");
  }
  v[6]->kind = MTPORT_KIND_PAGE; /* another type never collides */
  S_diags d = {MTPORT_BUF_INIT, 1};
  EXPECT(S_write(path, NULL, v, N, 0, &d) == MTPORT_OK, "nudges write");
  /* "Straße" stays; "STRASSE" +1; "0" and "" match any post: +2, +3;
   * "strasse " +2 (its fold is taken at +0 and +1, and "0" is another
   * title); "Stra\ße" is searched for as "Straße": taken at +0, +1, +2 */
  static const char *const want[] = {
      "2015-01-01 12:00:00", "2015-01-01 12:00:01", "2015-01-01 12:00:02",
      "2015-01-01 12:00:03", "2015-01-01 12:00:02", "2015-01-01 12:00:03",
      "2015-01-01 12:00:00"};
  S_check k;
  if (S_check_open(&k, path, 0) == 0) {
    int i = 0;
    for (xmlNode *it = k.item; it && i < N; it = it->next) {
      if (!S_is(it, "item"))
        continue;
      EXPECT(strcmp(S_txt(it, "wp:post_date"), want[i]) == 0,
             "'%s' dated %s, expected %s", titles[i], S_txt(it, "wp:post_date"),
             want[i]);
      i++;
    }
    for (int j = 0; j < N; j++)
      S_check_post(&k, v[j]);
    S_check_close(&k);
  }
  EXPECT(S_count_code(&d, "date-nudged") == 5, "five nudges noted, got %d",
         S_count_code(&d, "date-nudged"));
  mtport_buf_dispose(&d.codes);
  for (int i = 0; i < N; i++)
    mtport_post_free(v[i]);
}

static int S_unit(const char *dir) {
  char path[4096], path2[4096];
  mtport_site *site = S_site();
  mtport_post **v = S_cases();
  S_diags d = {MTPORT_BUF_INIT, 0};
  snprintf(path, sizeof path, "%s/wxr-unit.xml", dir);
  EXPECT(S_write(path, site, v, N_CASES, 0, &d) == MTPORT_OK, "write failed");
  S_check k;
  if (S_check_open(&k, path, 0) == 0) {
    for (int i = 0; i < N_CASES; i++)
      if (v[i]->status != MTPORT_STATUS_SPAM)
        S_check_post(&k, v[i]);
    S_check_close(&k);
  }
  S_check_raw(path);
  EXPECT(S_count_code(&d, "spam-skipped") == 1, "spam warning");
  /* "Same title" twice, "Cafe Society" (as "CAFÉ society"), the untitled */
  EXPECT(S_count_code(&d, "date-nudged") == 4, "four posts nudged, got %d",
         S_count_code(&d, "date-nudged"));
  EXPECT(S_count_code(&d, "junk-removed") == 2,
         "junk removal: a note for the entry and one for the run");
  EXPECT(S_count_code(&d, "default-author") == 1,
         "one note for the posts given the default author");
  EXPECT(S_count_code(&d, "duplicate-id") == 1, "duplicate id warning");
  EXPECT(S_count_code(&d, "shared-email") == 1, "shared email note");
  EXPECT(S_count_code(&d, "invalid-text") >= 3, "control characters reported");
  size_t len;
  char *s = t_slurp(path, &len);
  if (s) {
    /* WordPress's split: "]]" closes, ">" opens the next section */
    EXPECT(strstr(s, "<![CDATA[<p>end ]]]]><![CDATA[> and ]]]]]]><![CDATA[> "
                     "and ]]]]]><![CDATA[> here</p>"),
           "body CDATA not split the WordPress way");
    /* a title is text, so its '>' is written as WordPress stores it */
    EXPECT(strstr(s, "<title><![CDATA[Title with ]]&gt; and ]]]]&gt; "
                     "inside]]></title>"),
           "title '>' not escaped");
    EXPECT(
        strstr(s, "<title>Hard &amp; &quot;cases&quot; &lt;blog&gt;</title>"),
        "channel title escaping");
    EXPECT(strstr(s, "<wp:comment_author_url>http://ann.example.com/?a=1&amp;"
                     "b=2</wp:comment_author_url>"),
           "comment URL escaping");
    EXPECT(strstr(s, "<language>en-US</language>"), "language");
    EXPECT(strstr(s, "<![CDATA[ann]]></wp:author_login><wp:author_email>"
                     "<![CDATA[]]>"),
           "a second author with the same email keeps none");
    EXPECT(strstr(s, "<wp:post_name><![CDATA[quotes-and-amps]]>"),
           "basename underscores become dashes");
    EXPECT(strstr(s, "<wp:post_name><![CDATA[same-title-2]]>"),
           "post names made unique");
    EXPECT(!strstr(s, "Spam Only"), "a spam entry's terms leaked");
    EXPECT(strstr(s, "<pubDate>Tue, 01 Jan 2030 00:00:00 +0000</pubDate>"),
           "channel pubDate is the newest post date");
    EXPECT(strstr(s, "<wp:post_date><![CDATA[2010-03-04 05:06:08]]>"),
           "second same-title post moved by one second");
    EXPECT(strstr(s, "<wp:post_date><![CDATA[2010-03-04 05:06:09]]>"),
           "third same-title post moved by two seconds");
    EXPECT(strstr(s, "<wp:comment_approved><![CDATA[spam]]>"), "spam comment");
    /* Convert Line Breaks rendered to HTML, then CR LF and lone CR as LF */
    EXPECT(strstr(s, "<p>Line one</p>\n\n<p>Line two\nthree</p>"),
           "CR LF written as LF");
    EXPECT(!strchr(s, '\r'), "a CR in the output");
  }
  /* determinism: the same posts give the same bytes */
  snprintf(path2, sizeof path2, "%s/wxr-unit-2.xml", dir);
  S_write(path2, site, v, N_CASES, 0, &d);
  size_t len2;
  char *s2 = t_slurp(path2, &len2);
  EXPECT(s && s2 && len == len2 && memcmp(s, s2, len) == 0,
         "output is not deterministic");
  free(s2);
  /* options: no comments, underscores kept */
  S_write(path2, site, v, N_CASES,
          MTPORT_WXR_NO_COMMENTS | MTPORT_WXR_KEEP_UNDERSCORES, &d);
  s2 = t_slurp(path2, &len2);
  EXPECT(s2 && !strstr(s2, "<wp:comment>"), "no-comments left comments");
  EXPECT(s2 && strstr(s2, "<wp:post_name><![CDATA[quotes_and_amps]]>"),
         "keep-underscores");
  if (S_check_open(&k, path2, MTPORT_WXR_NO_COMMENTS) == 0) {
    for (int i = 0; i < N_CASES; i++)
      if (v[i]->status != MTPORT_STATUS_SPAM)
        S_check_post(&k, v[i]);
    S_check_close(&k);
  }
  free(s2);
  /* replies that point at each other or at themselves: ids stay unique
   * and every parent is numbered before its reply, or is 0 */
  {
    mtport_post *cy = mtport_post_new();
    mtport_set_str(&cy->title, "Comment loop", (size_t)-1);
    S_date(&cy->published, "2012-01-01T00:00:00Z");
    S_comment(cy, MTPORT_COMMENT, "a", "b", "A", NULL, NULL, NULL, NULL, "a");
    S_comment(cy, MTPORT_COMMENT, "b", "a", "B", NULL, NULL, NULL, NULL, "b");
    S_comment(cy, MTPORT_COMMENT, "c", "c", "C", NULL, NULL, NULL, NULL, "c");
    S_comment(cy, MTPORT_COMMENT, "d", "zz", "D", NULL, NULL, NULL, NULL, "d");
    EXPECT(S_write(path2, site, &cy, 1, 0, &d) == MTPORT_OK, "loop write");
    xmlDoc *doc = xmlReadFile(path2, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
    EXPECT(doc != NULL, "loop output not well-formed");
    xmlNode *ch = doc ? S_child(xmlDocGetRootElement(doc), "channel") : NULL;
    xmlNode *it = S_child(ch, "item");
    int n = 0, seen[8] = {0};
    for (xmlNode *c = it ? it->children : NULL; c; c = c->next) {
      if (!S_is(c, "wp:comment"))
        continue;
      long long id = atoll(S_txt(c, "wp:comment_id"));
      long long par = atoll(S_txt(c, "wp:comment_parent"));
      EXPECT(id >= 1 && id <= 4 && !seen[id], "loop: comment id %lld", id);
      if (id >= 1 && id <= 4)
        seen[id] = 1;
      EXPECT(par == 0 || (par < id && seen[par]), "loop: parent %lld of %lld",
             par, id);
      n++;
    }
    EXPECT(n == 4, "loop: %d comments written", n);
    EXPECT(it && S_child(it, "pubDate") != NULL, "pubDate always present");
    xmlFreeDoc(doc);
    mtport_post_free(cy);
  }
  /* many posts with one title and date, many tags with one slug */
  {
    enum { MANY = 300 };
    mtport_post *many[MANY];
    for (int i = 0; i < MANY; i++) {
      many[i] = mtport_post_new();
      mtport_set_str(&many[i]->title, "Untitled", (size_t)-1);
      S_date(&many[i]->published, "2012-02-02T10:00:00+01:00");
      char tag[16];
      snprintf(tag, sizeof tag, "c%.*s", i % 7 + 1, "+#+#+#+#");
      mtport_post_add_tag(many[i], tag, NULL);
    }
    int before = S_count_code(&d, "date-nudged");
    EXPECT(S_write(path2, site, many, MANY, 0, &d) == MTPORT_OK, "many");
    EXPECT(S_count_code(&d, "date-nudged") - before == MANY - 1,
           "every later same-title post nudged");
    if (S_check_open(&k, path2, 0) == 0) {
      for (int i = 0; i < MANY; i++)
        S_check_post(&k, many[i]);
      S_check_close(&k);
    }
    s2 = t_slurp(path2, &len2);
    EXPECT(s2 && strstr(s2, "<wp:tag_slug><![CDATA[c-7]]>"),
           "seven tags sharing slug c numbered up to c-7");
    EXPECT(s2 && strstr(s2, "<wp:post_name><![CDATA[untitled-300]]>"),
           "post names numbered up to untitled-300");
    free(s2);
    for (int i = 0; i < MANY; i++)
      mtport_post_free(many[i]);
  }
  /* the hard cases' new items, in the bytes */
  s2 = t_slurp(path, &len2);
  EXPECT(s2 && strstr(s2, "<title><![CDATA[Quotes \"double\" & 'single' "
                          "&lt;bold&gt;]]></title>"),
         "title: the model's text, '<' and '>' escaped");
  EXPECT(s2 && strstr(s2, "<title><![CDATA[AT&T &lt;rocks&gt; &amp;copy; "
                          "R&D]]></title>"),
         "title: '<', '>' and a reference's '&' escaped, nothing decoded");
  EXPECT(s2 && strstr(s2, "<![CDATA[<p>with junk</p><p>end</p>]]>"),
         "Zemanta pixie and script removed from content:encoded");
  EXPECT(s2 && strstr(s2, "<wp:post_date><![CDATA[2012-03-04 05:06:08]]>"),
         "'Cafe Society' moved past 'CAFÉ society'");
  EXPECT(s2 && strstr(s2, "<wp:post_date><![CDATA[2012-03-04 05:06:09]]>"),
         "the empty title moved past both");
  EXPECT(s2 && strstr(s2, "<wp:meta_value><![CDATA[s:5:\"i:42;\";]]>"),
         "keywords that look serialized written as a serialized string");
  EXPECT(s2 && strstr(s2, "<wp:meta_key><![CDATA[mt_NO ENTRY]]></wp:meta_key>"
                          "\n\t\t\t<wp:meta_value><![CDATA[1]]>"),
         "an unmapped field as a custom field");
  EXPECT(s2 && strstr(s2, "<wp:author_display_name><![CDATA[Hard & "
                          "\"cases\"]]>"),
         "the default author is the blog's title as text");
  free(s2);
  /* --default-author names it */
  S_default_author = "The Editor";
  S_write(path2, site, v, N_CASES, 0, &d);
  S_default_author = NULL;
  s2 = t_slurp(path2, &len2);
  EXPECT(s2 && strstr(s2, "<wp:author_login><![CDATA[the-editor]]>"
                          "</wp:author_login>"),
         "default-author option");
  EXPECT(s2 && strstr(s2, "<dc:creator><![CDATA[the-editor]]>"),
         "posts without an author by the default author");
  free(s2);
  S_unit_collation();
  S_unit_nudges(dir);
  /* nothing at all still gives a valid, importable file */
  S_write(path2, NULL, NULL, 0, 0, &d);
  if (S_check_open(&k, path2, 0) == 0)
    S_check_close(&k);
  free(s);
  mtport_buf_dispose(&d.codes);
  S_cases_free(v);
  mtport_site_free(site);
  return t_fail_count ? 1 : 0;
}

/* The manifest: type, slug, title and UTC day of each post a converter
 * keeps (wordpress-export-to-markdown drops drafts). Titles (in the form
 * WordPress stores them), types and days come from the source posts; only
 * the slug (the file name) from the WXR. */
static int S_manifest(const char *wxr, const char *out, mtport_post **v,
                      int n) {
  xmlDoc *doc = xmlReadFile(wxr, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
  FILE *f = fopen(out, "wb");
  if (!doc || !f)
    return 2;
  xmlNode *ch = S_child(xmlDocGetRootElement(doc), "channel");
  xmlNode *it = ch ? ch->children : NULL;
  for (int i = 0; i < n; i++) {
    if (v[i]->status == MTPORT_STATUS_SPAM)
      continue;
    while (it && !S_is(it, "item"))
      it = it->next;
    if (!it)
      break;
    const char *slug = S_txt(it, "wp:post_name");
    it = it->next;
    if (v[i]->status == MTPORT_STATUS_DRAFT)
      continue;
    char day[32];
    S_wpdate(&v[i]->published, 1, day, sizeof day);
    day[10] = '\0';
    mtport_buf wt = MTPORT_BUF_INIT; /* as WordPress stores it */
    mtport_wxr__title(&wt, v[i]->title);
    fprintf(f, "%s\t%s\t%s\t%s\n",
            v[i]->kind == MTPORT_KIND_PAGE ? "page" : "post", slug, day,
            S_clean(wt.data ? wt.data : ""));
    mtport_buf_dispose(&wt);
  }
  fclose(f);
  xmlFreeDoc(doc);
  return 0;
}

static int S_cases_mode(const char *out, const char *manifest) {
  mtport_site *site = S_site();
  mtport_post **v = S_cases();
  S_diags d = {MTPORT_BUF_INIT, 0};
  int rc = S_write(out, site, v, N_CASES, 0, &d);
  if (rc == MTPORT_OK && manifest)
    rc = S_manifest(out, manifest, v, N_CASES);
  S_cases_free(v);
  mtport_site_free(site);
  mtport_buf_dispose(&d.codes);
  return rc == MTPORT_OK ? 0 : 1;
}

static void S_run_diag(const mtport_diag *d, void *payload) {
  (void)payload;
  if (d->severity >= MTPORT_SEV_ERROR)
    fprintf(stderr, "%s: %s [%s]\n", mtport_severity_name(d->severity),
            d->message, d->code);
}

static int S_run_mode(const char *input, const char *out, char **opts,
                      int nopts) {
  FILE *probe = fopen(input, "rb");
  if (!probe) {
    fprintf(stderr, "SKIP: %s is absent\n", input);
    return 77;
  }
  fclose(probe);
  mtport_reader_options ro = MTPORT_READER_OPTIONS_INIT;
  ro.flags |= MTPORT_READ_RECOVER; /* real exports are often malformed */
  mtport_reader *r;
  if (mtport_reader_open(&r, input, &ro) != MTPORT_OK) {
    fprintf(stderr, "SKIP: no reader takes %s yet\n", input);
    return 77;
  }
  mtport_reader_free(r);
  unsigned flags = 0;
  const char **o = calloc((size_t)nopts + 1, sizeof *o);
  for (int i = 0; i < nopts; i++) {
    o[i] = opts[i];
    if (strcmp(opts[i], "no-comments") == 0)
      flags |= MTPORT_WXR_NO_COMMENTS;
  }
  mtport_registry *reg;
  mtport_registry_new(&reg);
  const mtport_exporter *e = mtport_registry_find(reg, "wxr");
  EXPECT(e != NULL, "wxr exporter not registered");
  mtport_run_options ro2 = MTPORT_RUN_OPTIONS_INIT;
  ro2.output = out;
  ro2.force = 1;
  ro2.options = o;
  ro2.reader.flags |= MTPORT_READ_RECOVER;
  ro2.reader.diag = S_run_diag;
  mtport_run_result res;
  const char *in[1] = {input};
  int rc = e ? mtport_run(&res, in, 1, e, &ro2) : MTPORT_ERROR;
  EXPECT(rc == MTPORT_OK, "mtport_run: %s", mtport_strerror(rc));
  if (rc == MTPORT_OK) {
    EXPECT(res.written + res.skipped == res.read,
           "every entry read must be written or reported");
    S_check k;
    if (S_check_open(&k, out, flags) == 0 &&
        mtport_reader_open(&r, input, &ro) == MTPORT_OK) {
      const mtport_post *p;
      while (mtport_reader_next(r, &p) == 1)
        if (p->status != MTPORT_STATUS_SPAM)
          S_check_post(&k, p);
      mtport_reader_free(r);
      S_check_close(&k);
      printf("%lu posts, %lu comments checked\n", k.posts, k.comments);
    }
    S_check_raw(out);
  }
  free(o);
  mtport_registry_free(reg);
  return t_fail_count ? 1 : 0;
}

/* ---- randomized posts ------------------------------------------------------
 */

/* Posts made of the pieces that break XML writers, set straight into the
 * records (past the model's sanitizing): every file must be well-formed and
 * every post must read back as the checker expects. Seeded, so repeatable. */
static uint64_t S_rng = 0x243f6a8885a308d3ull;

static unsigned S_rand(unsigned n) {
  S_rng = S_rng * 6364136223846793005ull + 1442695040888963407ull;
  return (unsigned)((S_rng >> 33) % n);
}

static char *S_rstr(unsigned max_parts) {
  static const char *const bits[] = {"]]>",
                                     "]]",
                                     "]",
                                     ">",
                                     "<",
                                     "&",
                                     "&amp;",
                                     "\x01",
                                     "\x1f",
                                     "\x7f",
                                     "\xff",
                                     "\xc3",
                                     "\xef\xbf\xbe",
                                     "\xed\xa0\x80",
                                     "\xc3\xa9",
                                     "\xe6\x97\xa5",
                                     "\r\n",
                                     "\r",
                                     "\n",
                                     "\t",
                                     " ",
                                     "a",
                                     "Z",
                                     "0",
                                     "\"",
                                     "'",
                                     "<!--",
                                     "-->",
                                     "<![CDATA[",
                                     "_",
                                     "-",
                                     "%",
                                     "post"};
  mtport_buf b = MTPORT_BUF_INIT;
  unsigned n = S_rand(max_parts + 1);
  for (unsigned i = 0; i < n; i++)
    mtport_buf_puts(&b, bits[S_rand(sizeof bits / sizeof *bits)]);
  return mtport_buf_detach(&b);
}

static void S_rset(char **dst, unsigned max_parts) {
  free(*dst);
  *dst = S_rand(5) ? S_rstr(max_parts) : NULL;
}

static mtport_post *S_rpost(unsigned long ordinal) {
  static const mtport_text_format fmts[] = {
      MTPORT_TEXT_HTML, MTPORT_TEXT_CONVERT_BREAKS, MTPORT_TEXT_PLAIN,
      MTPORT_TEXT_NONE};
  mtport_post *p = mtport_post_new();
  p->ordinal = ordinal;
  p->kind = S_rand(4) ? MTPORT_KIND_POST : MTPORT_KIND_PAGE;
  p->status = (mtport_status)S_rand(7);
  p->entry_id = (long long)S_rand(6);
  S_rset(&p->title, 6);
  S_rset(&p->permalink, 3);
  S_rset(&p->source_id, 3);
  S_rset(&p->basename, 3);
  S_rset(&p->keywords, 3);
  S_rset(&p->body.text, 12);
  p->body.format = fmts[S_rand(4)];
  S_rset(&p->more.text, 6);
  p->more.format = MTPORT_TEXT_HTML;
  S_rset(&p->excerpt.text, 4);
  p->allow_comments = (mtport_flag)((int)S_rand(3) - 1);
  p->allow_pings = (mtport_flag)((int)S_rand(3) - 1);
  if (S_rand(4)) {
    static const char *const dates[] = {"2005-01-01T00:00:00Z",
                                        "2005-01-01T09:00:00+09:00",
                                        "2004-12-31T23:59:59-05:00"};
    S_date(&p->published, dates[S_rand(3)]);
  }
  for (unsigned i = S_rand(3); i > 0; i--) {
    mtport_post_add_author(p, "x", NULL, NULL);
    S_rset(&p->authors[p->n_authors - 1].name, 3);
    S_rset(&p->authors[p->n_authors - 1].email, 2);
  }
  for (unsigned i = S_rand(4); i > 0; i--) {
    char tmp[32];
    snprintf(tmp, sizeof tmp, "t%u", S_rand(1000000));
    if (S_rand(2)) {
      mtport_post_add_tag(p, tmp, NULL);
      if (p->n_tags)
        S_rset(&p->tags[p->n_tags - 1].name, 3);
    } else {
      mtport_post_add_category(p, tmp, NULL, NULL, 0);
      if (p->n_categories)
        S_rset(&p->categories[p->n_categories - 1].name, 3);
    }
  }
  unsigned nc = S_rand(4);
  for (unsigned i = 0; i < nc; i++) {
    mtport_comment *c = mtport_post_add_comment(p);
    char id[16];
    snprintf(id, sizeof id, "c%u", i);
    c->id = strdup(id);
    if (S_rand(2)) {
      snprintf(id, sizeof id, "c%u", S_rand(nc + 1));
      c->parent_id = strdup(id);
    }
    c->kind = (mtport_comment_kind)S_rand(3);
    S_rset(&c->author.name, 3);
    S_rset(&c->author.email, 2);
    S_rset(&c->author.url, 2);
    S_rset(&c->ip, 1);
    S_rset(&c->title, 2);
    /* a unique tail lets the checker tell look-alike comments apart */
    char *junk = S_rstr(6);
    mtport_buf body = MTPORT_BUF_INIT;
    mtport_buf_printf(&body, "%s#%s", junk, c->id);
    free(junk);
    c->body.text = mtport_buf_detach(&body);
    c->body.format = S_rand(2) ? MTPORT_TEXT_HTML : MTPORT_TEXT_CONVERT_BREAKS;
    c->approved = (int)S_rand(2);
    c->junk = S_rand(5) == 0;
    if (S_rand(3))
      S_date(&c->date, "2005-01-02T03:04:05+01:00");
  }
  return p;
}

static int S_random(const char *dir, int rounds) {
  char path[4096];
  snprintf(path, sizeof path, "%s/wxr-random.xml", dir);
  S_diags d = {MTPORT_BUF_INIT, 1};
  unsigned long posts = 0;
  for (int r = 0; r < rounds && !t_fail_count; r++) {
    enum { N = 6 };
    mtport_post *v[N];
    for (int i = 0; i < N; i++)
      v[i] = S_rpost((unsigned long)i + 1);
    mtport_site *site = mtport_site_new();
    S_rset(&site->title, 4);
    S_rset(&site->description, 4);
    S_rset(&site->language, 1);
    mtport_buf_clear(&d.codes);
    EXPECT(S_write(path, site, v, N, S_rand(2) ? MTPORT_WXR_NO_COMMENTS : 0,
                   &d) == MTPORT_OK,
           "round %d: write failed", r);
    unsigned flags = 0; /* the checker needs the same flag: re-derive */
    size_t len;
    char *raw = t_slurp(path, &len);
    if (raw && !strstr(raw, "<wp:comment>"))
      flags = MTPORT_WXR_NO_COMMENTS;
    free(raw);
    S_check k;
    if (S_check_open(&k, path, flags) == 0) {
      for (int i = 0; i < N; i++)
        if (v[i]->status != MTPORT_STATUS_SPAM) {
          S_check_post(&k, v[i]);
          posts++;
        }
      S_check_close(&k);
    }
    S_check_raw(path);
    if (t_fail_count)
      fprintf(stderr, "round %d failed; the file is %s\n", r, path);
    for (int i = 0; i < N; i++)
      mtport_post_free(v[i]);
    mtport_site_free(site);
  }
  mtport_buf_dispose(&d.codes);
  printf("%d rounds, %lu posts checked\n", rounds, posts);
  return t_fail_count ? 1 : 0;
}

/* One line of UTF-8 in, its fold out as hex (for tests that hold the
 * folding against a real MariaDB, tests/wxr/collation_mariadb.sh). */
static int S_fold_mode(void) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  mtport_buf f = MTPORT_BUF_INIT;
  while ((n = getline(&line, &cap, stdin)) > 0) {
    if (line[n - 1] == '\n')
      line[--n] = '\0';
    mtport_buf_clear(&f);
    if (mtport_wxr__fold(&f, line, (size_t)n))
      return 1;
    for (size_t i = 0; i < f.len; i++)
      printf("%02x", (unsigned char)f.data[i]);
    putchar('\n');
  }
  free(line);
  mtport_buf_dispose(&f);
  return 0;
}

int main(int argc, char **argv) {
  int rc = 2;
  if (argc >= 2 && strcmp(argv[1], "fold") == 0)
    return S_fold_mode();
  if (argc >= 3 && strcmp(argv[1], "unit") == 0)
    rc = S_unit(argv[2]);
  else if (argc >= 3 && strcmp(argv[1], "random") == 0)
    rc = S_random(argv[2], argc >= 4 ? atoi(argv[3]) : 300);
  else if (argc >= 3 && strcmp(argv[1], "cases") == 0)
    rc = S_cases_mode(argv[2], argc >= 4 ? argv[3] : NULL);
  else if (argc >= 4 && strcmp(argv[1], "run") == 0)
    rc = S_run_mode(argv[2], argv[3], argv + 4, argc - 4);
  else
    fprintf(stderr, "usage: wxr_test unit DIR | cases OUT [MANIFEST] | run "
                    "INPUT OUT [option...] | fold < LINES\n");
  if (t_fail_count)
    fprintf(stderr, "%d failure(s)\n", t_fail_count);
  xmlCleanupParser();
  return rc;
}
