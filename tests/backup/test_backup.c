/* Unit tests of the MT backup importer on samples/backup.xml and on small
 * inline documents: fields, hierarchy, primary category, junk, fileinfo
 * permalinks, asset cleanup, time zones, sniffing and malformed input. */
#include <mtport/mtport.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int S_fail;
static const char *S_sample;

#define CHECK(c)                                                               \
  do {                                                                         \
    if (!(c)) {                                                                \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c);    \
      S_fail++;                                                                \
    }                                                                          \
  } while (0)
#define CHECK_STR(a, b)                                                        \
  do {                                                                         \
    const char *a_ = (a), *b_ = (b);                                           \
    if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                   \
      fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__,      \
              __LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");           \
      S_fail++;                                                                \
    }                                                                          \
  } while (0)

/* Diagnostics collected per test. */
typedef struct {
  int n;
  char codes[32][32];
  mtport_severity sev[32];
  unsigned long line[32];
} S_diags;

static void S_sink(const mtport_diag *d, void *payload) {
  S_diags *ds = payload;
  if (ds->n < 32) {
    snprintf(ds->codes[ds->n], sizeof ds->codes[0], "%s", d->code);
    ds->sev[ds->n] = d->severity;
    ds->line[ds->n] = d->line;
    ds->n++;
  }
}

static int S_has(const S_diags *ds, const char *code) {
  for (int i = 0; i < ds->n; i++)
    if (strcmp(ds->codes[i], code) == 0)
      return 1;
  return 0;
}

/* Posts copied out of the reader, whose records are borrowed. */
typedef struct {
  long long id;
  mtport_post_kind kind;
  mtport_status status;
  char title[64], permalink[128], body[512], more[64], filter[32];
  mtport_text_format format;
  char cats[4][3][32]; /* name, slug, parent */
  size_t n_cats;
  char tags[4][2][32];
  size_t n_tags;
  char author[32], author_email[32];
  char published[40];
  int published_tz;
  int allow_comments;
  size_t n_comments;
  struct {
    mtport_comment_kind kind;
    char id[8], parent[8], name[32], email[32], url[64], ip[16], title[32];
    char body[64], date[40];
    int approved, junk;
  } c[8];
  char login[16], week[16], catpath[64];
} S_post;

static void S_cpy(char *dst, size_t n, const char *s) {
  snprintf(dst, n, "%s", s ? s : "");
}

static int S_read(const char *path, const char *mem, size_t len, unsigned flags,
                  const char *tz, S_post *out, int max, int *n_out, S_diags *ds,
                  const char **format) {
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  o.flags = flags;
  o.timezone = tz;
  o.diag = S_sink;
  o.diag_payload = ds;
  memset(ds, 0, sizeof *ds);
  mtport_reader *r;
  int rc = path ? mtport_reader_open(&r, path, &o)
                : mtport_reader_open_mem(&r, mem, len, "mem", &o);
  *n_out = 0;
  if (rc != MTPORT_OK)
    return rc;
  if (format)
    *format = mtport_reader_format(r);
  const mtport_post *p;
  while ((rc = mtport_reader_next(r, &p)) == 1) {
    if (*n_out >= max)
      continue;
    S_post *q = &out[(*n_out)++];
    memset(q, 0, sizeof *q);
    q->id = p->entry_id;
    q->kind = p->kind;
    q->status = p->status;
    S_cpy(q->title, sizeof q->title, p->title);
    S_cpy(q->permalink, sizeof q->permalink, p->permalink);
    S_cpy(q->body, sizeof q->body, p->body.text);
    S_cpy(q->more, sizeof q->more, p->more.text);
    S_cpy(q->filter, sizeof q->filter, p->body.filter);
    q->format = p->body.format;
    for (size_t i = 0; i < p->n_categories && i < 4; i++) {
      S_cpy(q->cats[i][0], 32, p->categories[i].name);
      S_cpy(q->cats[i][1], 32, p->categories[i].slug);
      S_cpy(q->cats[i][2], 32, p->categories[i].parent);
    }
    q->n_cats = p->n_categories;
    for (size_t i = 0; i < p->n_tags && i < 4; i++) {
      S_cpy(q->tags[i][0], 32, p->tags[i].name);
      S_cpy(q->tags[i][1], 32, p->tags[i].slug);
    }
    q->n_tags = p->n_tags;
    if (p->n_authors) {
      S_cpy(q->author, sizeof q->author, p->authors[0].name);
      S_cpy(q->author_email, sizeof q->author_email, p->authors[0].email);
    }
    mtport_time_format_rfc3339(&p->published, q->published, sizeof q->published,
                               1);
    q->published_tz = p->published.has_tz;
    q->allow_comments = p->allow_comments;
    q->n_comments = p->n_comments;
    for (size_t i = 0; i < p->n_comments && i < 8; i++) {
      const mtport_comment *c = &p->comments[i];
      q->c[i].kind = c->kind;
      S_cpy(q->c[i].id, 8, c->id);
      S_cpy(q->c[i].parent, 8, c->parent_id);
      S_cpy(q->c[i].name, 32, c->author.name);
      S_cpy(q->c[i].email, 32, c->author.email);
      S_cpy(q->c[i].url, 64, c->author.url);
      S_cpy(q->c[i].ip, 16, c->ip);
      S_cpy(q->c[i].title, 32, c->title);
      S_cpy(q->c[i].body, 64, c->body.text);
      mtport_time_format_rfc3339(&c->date, q->c[i].date, 40, 1);
      q->c[i].approved = c->approved;
      q->c[i].junk = c->junk;
    }
    S_cpy(q->login, sizeof q->login, mtport_post_extra(p, "author_login"));
    S_cpy(q->week, sizeof q->week, mtport_post_extra(p, "week_number"));
    S_cpy(q->catpath, sizeof q->catpath, mtport_post_extra(p, "category_path"));
  }
  mtport_reader_free(r);
  return rc;
}

static const S_post *S_find(const S_post *ps, int n, long long id) {
  for (int i = 0; i < n; i++)
    if (ps[i].id == id)
      return &ps[i];
  return NULL;
}

static void test_sample(void) {
  static S_post ps[16];
  int n;
  S_diags ds;
  const char *fmt = NULL;
  int rc = S_read(S_sample, NULL, 0, 0, NULL, ps, 16, &n, &ds, &fmt);
  CHECK(rc == 0);
  CHECK_STR(fmt, "mt-backup"); /* sniffed, not forced */
  CHECK(n == 8);
  /* file order: 6 entries then 2 pages */
  long long order[] = {101, 102, 103, 104, 105, 106, 201, 202};
  for (int i = 0; i < n && i < 8; i++)
    CHECK(ps[i].id == order[i]);
  const S_post *e = S_find(ps, n, 101);
  CHECK(e != NULL);
  if (!e)
    return;
  CHECK(e->kind == MTPORT_KIND_POST);
  CHECK(e->status == MTPORT_STATUS_PUBLISH);
  /* the title as MT's pages showed it: "<Kyoto>" was a tag there */
  CHECK_STR(e->title, "Hello");
  /* the preferred template map's fileinfo, absolute with site_url */
  CHECK_STR(e->permalink, "http://example.com/blog/2009/04/hello-kyoto.html");
  CHECK(e->format == MTPORT_TEXT_MARKDOWN);
  CHECK_STR(e->filter, "markdown");
  CHECK_STR(e->more, "More about the trip.");
  /* primary category first, with its parent's label and its basename */
  CHECK(e->n_cats == 2);
  CHECK_STR(e->cats[0][0], "Japan Trips");
  CHECK_STR(e->cats[0][1], "japan_trips");
  CHECK_STR(e->cats[0][2], "Asia");
  CHECK_STR(e->cats[1][0], "Cooking");
  CHECK_STR(e->cats[1][2], "");
  /* tags through objecttags (asset objecttags ignored), tag defined after */
  CHECK(e->n_tags == 2);
  CHECK_STR(e->tags[0][0], "Green Tea");
  CHECK_STR(e->tags[0][1], "greentea"); /* the normalized tag */
  CHECK_STR(e->tags[1][0], "kyoto");
  /* author: nickname shown, login kept as an extra */
  CHECK_STR(e->author, "Ada Example");
  CHECK_STR(e->author_email, "ada@example.com");
  CHECK_STR(e->login, "ada");
  CHECK_STR(e->week, "200915");
  CHECK_STR(e->catpath, "travel/asia/japan_trips");
  /* blog server_offset -5 */
  CHECK_STR(e->published, "2009-04-12T15:30:00-05:00");
  CHECK(e->published_tz == 1);
  CHECK(e->allow_comments == MTPORT_FLAG_ON);
  /* asset cleanup: form -> span, attributes dropped, inner kept */
  CHECK(strstr(e->body, "<form") == NULL);
  CHECK(strstr(e->body, "</form>") == NULL);
  CHECK(strstr(e->body, "mt:asset-id") == NULL);
  CHECK(strstr(e->body, "contenteditable") == NULL);
  CHECK(strstr(e->body, "<span class=\"mt-enclosure mt-enclosure-image\" "
                        "style=\"display: inline;\"><a href=") != NULL);
  CHECK(strstr(e->body, "/></a></span> after the form.") != NULL);
  /* comments: junk 74 and junk ping 62 left out; pending 73 kept */
  CHECK(e->n_comments == 4);
  CHECK(e->c[0].kind == MTPORT_TRACKBACK);
  CHECK_STR(e->c[0].name, "Another Travel Blog");
  CHECK_STR(e->c[0].url, "http://example.org/travel/kyoto.html");
  CHECK_STR(e->c[0].title, "We went too");
  CHECK_STR(e->c[0].body, "Our own Kyoto trip...");
  CHECK_STR(e->c[1].id, "71");
  CHECK_STR(e->c[1].email, "carol@example.org");
  CHECK_STR(e->c[1].ip, "192.0.2.10");
  CHECK_STR(e->c[1].date, "2009-04-12T18:00:00-05:00");
  CHECK(e->c[1].approved == 1 && e->c[1].junk == 0);
  CHECK_STR(e->c[2].parent, "71");
  /* commenter_id 1: the author record fills the missing URL */
  CHECK_STR(e->c[2].url, "http://example.com/~ada/");
  CHECK_STR(e->c[3].url, "");
  CHECK_STR(e->c[3].id, "73");
  CHECK(e->c[3].approved == 0);
  CHECK(S_has(&ds, "junk-left-out"));
  CHECK(S_has(&ds, "orphan-comment")); /* comment 76 of entry 999 */

  const S_post *d = S_find(ps, n, 102);
  CHECK(d && d->status == MTPORT_STATUS_DRAFT);
  /* no convert_breaks: the blog's convert_paras (__default__) */
  CHECK(d && d->format == MTPORT_TEXT_CONVERT_BREAKS);
  /* author without nickname: login name */
  CHECK(d && strcmp(d->author, "bob") == 0);
  /* NEL (U+0085) kept */
  CHECK(d && strstr(d->body, "two\xc2\x85with") != NULL);
  CHECK(d && d->permalink[0] == '\0');
  CHECK(d && d->n_comments == 1);
  const S_post *rv = S_find(ps, n, 103);
  CHECK(rv && rv->status == MTPORT_STATUS_REVIEW &&
        rv->format == MTPORT_TEXT_TEXTILE);
  const S_post *fu = S_find(ps, n, 104);
  CHECK(fu && fu->status == MTPORT_STATUS_FUTURE &&
        fu->format == MTPORT_TEXT_HTML);
  const S_post *un = S_find(ps, n, 105);
  CHECK(un && un->status == MTPORT_STATUS_UNPUBLISH);
  /* span wrappers are cleaned too */
  CHECK(un && strcmp(un->body, "<span class=\"mt-enclosure "
                               "mt-enclosure-file\"><a href=\"/blog/file.pdf\">"
                               "file</a></span>") == 0);
  const S_post *jk = S_find(ps, n, 106);
  CHECK(jk && jk->status == MTPORT_STATUS_SPAM);
  CHECK(jk && jk->format == MTPORT_TEXT_CONVERT_BREAKS); /* + __sanitize__ */

  const S_post *pg = S_find(ps, n, 201);
  CHECK(pg && pg->kind == MTPORT_KIND_PAGE);
  CHECK(pg &&
        strcmp(pg->permalink, "http://example.com/blog/about/about.html") == 0);
  CHECK(pg && pg->n_cats == 1 && strcmp(pg->cats[0][0], "About") == 0);
  CHECK(pg && pg->n_tags == 1 && strcmp(pg->tags[0][0], "@about") == 0);
  const S_post *tm = S_find(ps, n, 202);
  CHECK(tm && tm->kind == MTPORT_KIND_PAGE);
  CHECK(tm && strcmp(tm->cats[0][0], "Team") == 0 &&
        strcmp(tm->cats[0][2], "About") == 0);
  CHECK(tm && strcmp(tm->permalink,
                     "http://example.com/blog/about/team/the-team.html") == 0);
}

static void test_include_junk(void) {
  static S_post ps[16];
  int n;
  S_diags ds;
  int rc = S_read(S_sample, NULL, 0, MTPORT_READ_INCLUDE_JUNK, NULL, ps, 16, &n,
                  &ds, NULL);
  CHECK(rc == 0);
  const S_post *e = S_find(ps, n, 101);
  CHECK(e && e->n_comments == 6);
  int junk = 0;
  for (size_t i = 0; e && i < e->n_comments && i < 8; i++)
    junk += e->c[i].junk;
  CHECK(junk == 2);
  CHECK(!S_has(&ds, "junk-left-out"));
}

static void test_site(void) {
  mtport_reader *r;
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  CHECK(mtport_reader_open(&r, S_sample, &o) == 0);
  if (!r)
    return;
  const mtport_site *s = mtport_reader_site(r);
  CHECK_STR(s->title, "Garden & Kitchen Notes");
  CHECK_STR(s->description, "A made-up sample blog for mtport tests.");
  CHECK_STR(s->home_url, "http://example.com/blog/");
  CHECK_STR(s->language, "en-US");
  CHECK_STR(s->source_format, "mt-backup");
  /* the whole tree, categories then folders, parents named by label */
  static const char *const tree[][3] = {{"Travel", "travel", NULL},
                                        {"Asia", "asia", "Travel"},
                                        {"Japan Trips", "japan_trips", "Asia"},
                                        {"Cooking", "cooking", NULL},
                                        {"About", "about", NULL},
                                        {"Team", "team", "About"}};
  size_t nt = sizeof tree / sizeof *tree;
  CHECK(s->n_categories == nt);
  for (size_t i = 0; i < nt && i < s->n_categories; i++) {
    CHECK_STR(s->categories[i].name, tree[i][0]);
    CHECK_STR(s->categories[i].slug, tree[i][1]);
    if (tree[i][2])
      CHECK_STR(s->categories[i].parent, tree[i][2]);
    else
      CHECK(s->categories[i].parent == NULL);
  }
  mtport_reader_free(r);
}

static const char S_HEAD[] =
    "<movabletype xmlns='http://www.sixapart.com/ns/movabletype'>\n";

static void test_timezone(void) {
  static S_post ps[2];
  int n;
  S_diags ds;
  char doc[1024];
  /* no server_offset: UTC with one warning */
  snprintf(doc, sizeof doc,
           "%s<blog id='1' name='b' site_url='http://example.com/'></blog>\n"
           "<entry id='5' blog_id='1' status='2' authored_on='20090102030405'"
           " title='t'><text>x</text></entry>\n"
           "<entry id='6' blog_id='1' status='2' authored_on='20090102030405'"
           " title='u'></entry>\n</movabletype>\n",
           S_HEAD);
  CHECK(S_read(NULL, doc, strlen(doc), 0, NULL, ps, 2, &n, &ds, NULL) == 0);
  CHECK(n == 2);
  CHECK_STR(ps[0].published, "2009-01-02T03:04:05Z");
  CHECK(ps[0].published_tz == 0);
  int warnings = 0;
  for (int i = 0; i < ds.n; i++)
    warnings += strcmp(ds.codes[i], "no-timezone") == 0;
  CHECK(warnings == 1);
  /* no atom_id: MT's own form from the site URL */
  /* a forced offset wins over server_offset */
  CHECK(S_read(NULL, doc, strlen(doc), 0, "+09:30", ps, 2, &n, &ds, NULL) == 0);
  CHECK_STR(ps[0].published, "2009-01-02T03:04:05+09:30");
  CHECK(!S_has(&ds, "no-timezone"));
  /* a bad date is reported, not fatal */
  snprintf(doc, sizeof doc,
           "%s<blog id='1' server_offset='5.5'/>\n"
           "<entry id='5' blog_id='1' authored_on='2009' status='9'/>\n"
           "<entry id='6' blog_id='1' authored_on='20090102030405'/>\n"
           "</movabletype>",
           S_HEAD);
  CHECK(S_read(NULL, doc, strlen(doc), 0, NULL, ps, 2, &n, &ds, NULL) == 0);
  CHECK(n == 2);
  CHECK(S_has(&ds, "bad-date"));
  CHECK(S_has(&ds, "bad-status"));
  CHECK_STR(ps[1].published, "2009-01-02T03:04:05+05:30");
}

static void test_atom_id(void) {
  const char *doc =
      "<movabletype xmlns='http://www.sixapart.com/ns/movabletype'>"
      "<website id='2' site_url='https://example.com:8080/site/'/>"
      "<entry id='7' blog_id='2' authored_on='20120102030405'/>"
      "</movabletype>";
  mtport_reader *r;
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  CHECK(mtport_reader_open_mem(&r, doc, strlen(doc), "m", &o) == 0);
  if (!r)
    return;
  const mtport_post *p;
  CHECK(mtport_reader_next(r, &p) == 1);
  CHECK_STR(p->source_id, "tag:example.com,2012:/site//2.7");
  CHECK(mtport_reader_next(r, &p) == 0);
  mtport_reader_free(r);
}

static void test_site_url_option(void) {
  /* no blog object: --site-url makes fileinfo paths absolute */
  const char *doc =
      "<movabletype xmlns='http://www.sixapart.com/ns/movabletype'>"
      "<entry id='7' authored_on='20120102030405'/>"
      "<fileinfo entry_id='7' archive_type='Individual' url='/b/x.html'/>"
      "</movabletype>";
  mtport_reader *r;
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  o.site_url = "https://example.org/b/";
  CHECK(mtport_reader_open_mem(&r, doc, strlen(doc), "m", &o) == 0);
  if (!r)
    return;
  CHECK_STR(mtport_reader_site(r)->home_url, "https://example.org/b/");
  const mtport_post *p;
  CHECK(mtport_reader_next(r, &p) == 1);
  CHECK_STR(p->permalink, "https://example.org/b/x.html");
  CHECK_STR(p->source_id, "tag:example.org,2012:/b//0.7");
  mtport_reader_free(r);
}

static void test_long_columns(void) {
  /* values over 255 characters come as child elements, not attributes */
  char doc[4096], longurl[400];
  memset(longurl, 'x', 300);
  longurl[300] = '\0';
  snprintf(doc, sizeof doc,
           "%s<blog id='1' site_url='http://example.com/'/>"
           "<entry id='1' blog_id='1' status='2'><title>Long %s</title>"
           "<text>b</text></entry>"
           "<comment id='2' entry_id='1' junk_status='1' visible='1'>"
           "<url>http://example.net/%s</url><text>c</text></comment>"
           "</movabletype>",
           S_HEAD, longurl, longurl);
  mtport_reader *r;
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  CHECK(mtport_reader_open_mem(&r, doc, strlen(doc), "m", &o) == 0);
  if (!r)
    return;
  const mtport_post *p;
  CHECK(mtport_reader_next(r, &p) == 1);
  CHECK(p->title && strncmp(p->title, "Long xxx", 8) == 0 &&
        strlen(p->title) == 305);
  CHECK(mtport_post_extra(p, "title") == NULL);
  CHECK(p->n_comments == 1 && p->comments[0].author.url &&
        strlen(p->comments[0].author.url) == 319);
  mtport_reader_free(r);
}

static void S_write(const char *dir, const char *name, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f) {
    fputs(text, f);
    fclose(f);
  }
}

static void test_split(void) {
  /* a backup split into parts: part 1 reads them all, in order */
  char dir[] = "/tmp/mtport-split-XXXXXX";
  if (!mkdtemp(dir)) {
    CHECK(!"mkdtemp");
    return;
  }
  S_write(dir, "B-1.xml",
          "<movabletype xmlns='http://www.sixapart.com/ns/movabletype'>"
          "<blog id='1' site_url='http://example.com/' server_offset='0'/>"
          "<entry id='1' blog_id='1' title='One'/></movabletype>");
  S_write(dir, "B-2.xml",
          "<movabletype xmlns='http://www.sixapart.com/ns/movabletype'>"
          "<page id='2' blog_id='1' title='Two'/>"
          "<comment id='5' entry_id='1' junk_status='1'><text>hi</text>"
          "</comment></movabletype>");
  S_write(dir, "B-3.xml",
          "<movabletype xmlns='http://www.sixapart.com/ns/movabletype'>"
          "<fileinfo entry_id='2' archive_type='Page' url='/two.html'/>"
          "</movabletype>");
  char p1[600], p2[600], p3[600];
  snprintf(p1, sizeof p1, "%s/B-1.xml", dir);
  snprintf(p2, sizeof p2, "%s/B-2.xml", dir);
  snprintf(p3, sizeof p3, "%s/B-3.xml", dir);
  static S_post ps[4];
  int n;
  S_diags ds;
  CHECK(S_read(p1, NULL, 0, 0, NULL, ps, 4, &n, &ds, NULL) == 0);
  CHECK(n == 2);
  CHECK(ps[0].id == 1 && ps[0].n_comments == 1);
  CHECK(ps[1].id == 2 && ps[1].kind == MTPORT_KIND_PAGE);
  CHECK_STR(ps[1].permalink, "http://example.com/two.html");
  CHECK(S_has(&ds, "backup-part"));
  CHECK(!S_has(&ds, "orphan-comment"));
  /* a later part alone yields nothing (part 1 reads it), with a warning */
  CHECK(S_read(p2, NULL, 0, 0, NULL, ps, 4, &n, &ds, NULL) == 0);
  CHECK(n == 0);
  CHECK(S_has(&ds, "backup-part"));
  remove(p1);
  remove(p2);
  remove(p3);
  remove(dir);
}

static void test_category_cycle(void) {
  const char *doc =
      "<movabletype xmlns='http://www.sixapart.com/ns/movabletype'>"
      "<category id='1' label='A' basename='a' parent='2'/>"
      "<category id='2' label='B' basename='b' parent='1'/>"
      "<entry id='7'/><placement entry_id='7' category_id='1' is_primary='1'/>"
      "</movabletype>";
  mtport_reader *r;
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  CHECK(mtport_reader_open_mem(&r, doc, strlen(doc), "m", &o) == 0);
  if (!r)
    return;
  const mtport_post *p;
  CHECK(mtport_reader_next(r, &p) == 1);
  CHECK(p->n_categories == 1);
  CHECK_STR(p->categories[0].parent, "B");
  CHECK_STR(mtport_post_extra(p, "category_path"), "b/a");
  mtport_reader_free(r);
}

static void test_malformed(void) {
  static S_post ps[2];
  int n;
  S_diags ds;
  /* truncated: fatal diagnostic with a line, no crash */
  const char *t =
      "<movabletype xmlns='http://www.sixapart.com/ns/movabletype'>\n"
      "<entry id='1' title='x'><text>abc</te";
  int rc = S_read(NULL, t, strlen(t), 0, NULL, ps, 2, &n, &ds, NULL);
  CHECK(rc == MTPORT_EPARSE);
  CHECK(S_has(&ds, "xml-syntax"));
  /* raw control characters (spam pings) are replaced, with a warning */
  const char *c = "<movabletype xmlns='http://www.sixapart.com/ns/movabletype'>"
                  "<entry id='1' title='a\x01z'><text>b\x1b"
                  "c</text></entry></movabletype>";
  rc = S_read(NULL, c, strlen(c), 0, NULL, ps, 2, &n, &ds, NULL);
  CHECK(rc == 0 && n == 1);
  CHECK_STR(ps[0].title, "a z");
  CHECK_STR(ps[0].body, "b c");
  CHECK(S_has(&ds, "control-chars"));
  /* another root, forced format: fatal */
  mtport_reader *r;
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  o.format = "mt-backup";
  const char *f = "<feed xmlns='http://www.w3.org/2005/Atom'></feed>";
  CHECK(mtport_reader_open_mem(&r, f, strlen(f), "m", &o) == MTPORT_EPARSE);
  /* external entities are never loaded */
  const char *x = "<?xml version='1.0'?><!DOCTYPE movabletype [<!ENTITY e "
                  "SYSTEM 'file:///etc/passwd'>]>"
                  "<movabletype><entry id='1' title='&e;'/></movabletype>";
  rc = S_read(NULL, x, strlen(x), 0, NULL, ps, 2, &n, &ds, NULL);
  CHECK(n == 0 || strstr(ps[0].title, "root:") == NULL);
  /* a DOCTYPE (entity expansion) is refused */
  memset(&ds, 0, sizeof ds);
  o.diag = S_sink;
  o.diag_payload = &ds;
  CHECK(mtport_reader_open_mem(&r, x, strlen(x), "m", &o) == MTPORT_EPARSE);
  CHECK(S_has(&ds, "xml-doctype") || S_has(&ds, "xml-syntax"));
  const char *lol = "<!DOCTYPE movabletype [<!ENTITY a 'aaaa'><!ENTITY b "
                    "'&a;&a;&a;&a;'>]><movabletype><entry id='1'><text>&b;"
                    "</text></entry></movabletype>";
  memset(&ds, 0, sizeof ds);
  CHECK(mtport_reader_open_mem(&r, lol, strlen(lol), "m", &o) == MTPORT_EPARSE);
  CHECK(S_has(&ds, "xml-doctype"));
  /* empty backup: no posts, not an error */
  const char *e = "<movabletype xmlns='http://www.sixapart.com/ns/movabletype'"
                  "/>";
  CHECK(S_read(NULL, e, strlen(e), 0, NULL, ps, 2, &n, &ds, NULL) == 0);
  CHECK(n == 0);
}

static void test_asset_nested(void) {
  static S_post ps[2];
  int n;
  S_diags ds;
  const char *d =
      "<movabletype xmlns='http://www.sixapart.com/ns/movabletype'>"
      "<entry id='1'><text>&lt;FORM mt:asset-id='1' class='a'&gt;&lt;span "
      "class='x'&gt;i&lt;/span&gt;&lt;span mt:asset-id=\"2\" "
      "contenteditable=\"false\"&gt;b&lt;/span&gt;&lt;/form&gt;&lt;form "
      "action='/s'&gt;&lt;/form&gt;&lt;spanx&gt;</text></entry>"
      "</movabletype>";
  CHECK(S_read(NULL, d, strlen(d), 0, NULL, ps, 2, &n, &ds, NULL) == 0);
  CHECK(n == 1);
  CHECK_STR(ps[0].body, "<span class='a'><span class='x'>i</span><span>b"
                        "</span></span><form action='/s'></form><spanx>");
}

static void test_encoding(void) {
  S_diags ds;
  mtport_reader *r;
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  o.diag = S_sink;
  o.diag_payload = &ds;
  const mtport_post *p;
  /* a long body of 2-byte characters crosses every read boundary intact */
  size_t nch = 150000;
  mtport_buf d = MTPORT_BUF_INIT;
  mtport_buf_puts(&d, S_HEAD);
  mtport_buf_puts(&d, "<entry id='1'><text>");
  for (size_t i = 0; i < nch; i++)
    mtport_buf_puts(&d, i % 7 ? "\xc3\xa9" : "\xe2\x82\xac");
  mtport_buf_puts(&d, "</text></entry>\n");
  /* invalid bytes: a lone 0xff and a truncated sequence */
  mtport_buf_puts(&d, "<entry id='2' title='a\xff"
                      "b\xe2\x82"
                      "z'/></movabletype>");
  memset(&ds, 0, sizeof ds);
  CHECK(mtport_reader_open_mem(&r, d.data, d.len, "m", &o) == 0);
  if (r) {
    CHECK(mtport_reader_next(r, &p) == 1);
    size_t want = nch * 2 + (nch + 6) / 7;
    CHECK(p->body.text && strlen(p->body.text) == want);
    CHECK(mtport_reader_next(r, &p) == 1);
    /* how many U+FFFD a truncated sequence gives is the sanitizer's call */
    CHECK(p->title && strncmp(p->title,
                              "a\xef\xbf\xbd"
                              "b\xef\xbf\xbd",
                              8) == 0);
    CHECK(p->title && mtport_utf8_valid(p->title, strlen(p->title)) &&
          p->title[strlen(p->title) - 1] == 'z');
    mtport_reader_free(r);
  }
  CHECK(S_has(&ds, "invalid-utf8"));
  mtport_buf_dispose(&d);
  /* a declared legacy encoding is decoded by libxml2, not repaired */
  const char *l = "<?xml version='1.0' encoding='ISO-8859-1'?>"
                  "<movabletype><entry id='1' title='caf\xe9'/></movabletype>";
  memset(&ds, 0, sizeof ds);
  CHECK(mtport_reader_open_mem(&r, l, strlen(l), "m", &o) == 0);
  if (r) {
    CHECK(mtport_reader_next(r, &p) == 1);
    CHECK_STR(p->title, "caf\xc3\xa9");
    mtport_reader_free(r);
  }
  CHECK(!S_has(&ds, "invalid-utf8"));
}

static void test_sniff(void) {
  mtport_reader *r;
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  const char *b = "\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c -->\n"
                  "<movabletype xmlns='http://www.sixapart.com/ns/movabletype' "
                  "schema_version='5.2'></movabletype>";
  CHECK(mtport_reader_open_mem(&r, b, strlen(b), "m", &o) == 0);
  if (r) {
    CHECK_STR(mtport_reader_format(r), "mt-backup");
    CHECK_STR(mtport_reader_site(r)->generator,
              "Movable Type (backup schema 5.2)");
    mtport_reader_free(r);
  }
  /* an Atom feed is not a backup */
  const char *a = "<?xml version='1.0'?><feed "
                  "xmlns='http://www.w3.org/2005/Atom'><title>movabletype"
                  "</title></feed>";
  r = NULL;
  if (mtport_reader_open_mem(&r, a, strlen(a), "m", &o) == 0) {
    CHECK(strcmp(mtport_reader_format(r), "mt-backup") != 0);
    mtport_reader_free(r);
  }
  const char *m = "<movabletypeX/>";
  r = NULL;
  if (mtport_reader_open_mem(&r, m, strlen(m), "m", &o) == 0) {
    CHECK(strcmp(mtport_reader_format(r), "mt-backup") != 0);
    mtport_reader_free(r);
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: test_backup samples/backup.xml\n");
    return 2;
  }
  S_sample = argv[1];
  test_sample();
  test_include_junk();
  test_site();
  test_timezone();
  test_atom_id();
  test_site_url_option();
  test_long_columns();
  test_split();
  test_category_cycle();
  test_malformed();
  test_asset_nested();
  test_encoding();
  test_sniff();
  if (S_fail)
    fprintf(stderr, "%d checks failed\n", S_fail);
  else
    printf("all checks passed\n");
  return S_fail ? 1 : 0;
}
