/* Unit tests of the core: buffers, UTF-8, dates, URLs, text, the model,
 * the registry, the Atom reader and the JSON Feed writer. */
#include "harness.h"
#include <jansson.h>
#include <mtport/mtport.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void test_buf(void) {
  mtport_buf b = MTPORT_BUF_INIT;
  CHECK_INT(mtport_buf_puts(&b, "abc"), MTPORT_OK);
  CHECK_INT(mtport_buf_printf(&b, "-%d-", 42), MTPORT_OK);
  CHECK_STR(b.data, "abc-42-");
  CHECK_INT(b.len, 7);
  mtport_buf_clear(&b);
  CHECK_STR(b.data, "");
  for (int i = 0; i < 10000; i++)
    mtport_buf_putc(&b, 'x');
  CHECK_INT(b.len, 10000);
  char *d = mtport_buf_detach(&b);
  CHECK(d && strlen(d) == 10000);
  CHECK(b.data == NULL && b.len == 0);
  free(d);
  d = mtport_buf_detach(&b); /* empty: an allocated "" */
  CHECK_STR(d, "");
  free(d);
  mtport_buf_dispose(NULL);
}

static void S_sanitize(const char *in, size_t n, const char *want,
                       int repairs) {
  mtport_buf b = MTPORT_BUF_INIT;
  int r = mtport_utf8_sanitize(&b, in, n);
  CHECK_INT(r, repairs);
  CHECK_STR(b.data ? b.data : "", want);
  CHECK(mtport_utf8_valid(b.data ? b.data : "", b.len));
  mtport_buf_dispose(&b);
}

static void test_utf8(void) {
  CHECK(mtport_utf8_valid("h\xC3\xA9llo \xE6\x97\xA5\xF0\x9F\x98\x80", 14));
  CHECK(!mtport_utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
  CHECK(!mtport_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
  CHECK(!mtport_utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
  CHECK(!mtport_utf8_valid("\xE6\x97", 2));         /* truncated */
  S_sanitize("plain", 5, "plain", 0);
  S_sanitize("a\xFF"
             "b",
             3,
             "a\xEF\xBF\xBD"
             "b",
             1);
  S_sanitize("a\x01\x7F"
             "b\tc\n",
             7, "ab\tc\n", 2);
  S_sanitize("x\0y", 3, "xy", 1);
  S_sanitize("\xC0\xAF", 2, "\xEF\xBF\xBD\xEF\xBF\xBD", 2);
  S_sanitize("\xEF\xBF\xBE", 3, "", 1); /* U+FFFE is not allowed in XML */
  char *s = NULL;
  CHECK_INT(mtport_set_str(&s, "ok\x02", (size_t)-1), 1);
  CHECK_STR(s, "ok");
  CHECK_INT(mtport_set_str(&s, NULL, 0), 0);
  CHECK(s == NULL);
}

static void S_roundtrip_date(const char *in, const char *want, int64_t epoch,
                             int offset) {
  mtport_time t;
  CHECK_INT(mtport_time_parse_iso(&t, in), MTPORT_OK);
  CHECK_INT(t.epoch, epoch);
  CHECK_INT(t.offset_min, offset);
  char buf[40];
  mtport_time_format_rfc3339(&t, buf, sizeof buf, 1);
  CHECK_STR(buf, want);
}

static void test_date(void) {
  S_roundtrip_date("2009-12-14T03:27:40Z", "2009-12-14T03:27:40Z", 1260761260,
                   0);
  S_roundtrip_date("2005-03-01T10:00:00+09:00", "2005-03-01T10:00:00+09:00",
                   1109638800, 540);
  S_roundtrip_date("2005-02-14T09:30:00-08:00", "2005-02-14T09:30:00-08:00",
                   1108402200, -480);
  S_roundtrip_date("1970-01-01T00:00:00.123Z", "1970-01-01T00:00:00Z", 0, 0);
  S_roundtrip_date("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z", -1, 0);
  S_roundtrip_date("2000-02-29T12:00:00+05:30", "2000-02-29T12:00:00+05:30",
                   951805800, 330);
  S_roundtrip_date(" 2024-01-02T03:04:05+0100 ", "2024-01-02T03:04:05+01:00",
                   1704161045, 60);
  mtport_time t;
  CHECK_INT(mtport_time_parse_iso(&t, "2009-11-22"), MTPORT_OK);
  CHECK(t.has_date && !t.has_tz);
  CHECK_INT(mtport_time_parse_iso(&t, "2009-02-30T00:00:00Z"), MTPORT_EPARSE);
  CHECK_INT(mtport_time_parse_iso(&t, "yesterday"), MTPORT_EPARSE);
  CHECK_INT(mtport_time_parse_iso(&t, "2009-12-14T03:27:40Zjunk"),
            MTPORT_EPARSE);
  CHECK_INT(mtport_time_parse_iso(&t, "2009-12-14T25:00:00Z"), MTPORT_EPARSE);
  /* the entry's own offset decides its local calendar day */
  CHECK_INT(mtport_time_parse_iso(&t, "2009-12-31T23:30:00-05:00"), MTPORT_OK);
  mtport_tm tm;
  mtport_time_local(&t, &tm);
  CHECK(tm.year == 2009 && tm.month == 12 && tm.day == 31 && tm.hour == 23);
  mtport_time u = t;
  u.offset_min = 0;
  mtport_time_local(&u, &tm);
  CHECK(tm.year == 2010 && tm.month == 1 && tm.day == 1 && tm.hour == 4);
  char buf[40];
  CHECK_INT(mtport_time_format_rfc3339(&u, buf, sizeof buf, 0), 25);
  CHECK_STR(buf, "2010-01-01T04:30:00+00:00");
  mtport_time none = {0, 0, 0, 0};
  CHECK_INT(mtport_time_format_rfc3339(&none, buf, sizeof buf, 1), 0);
  CHECK(mtport_time_cmp(&none, &t) < 0);
}

static void S_resolve(const char *base, const char *ref, const char *want) {
  char *got = mtport_url_resolve(base, ref);
  CHECK_STR(got, want);
  free(got);
}

static void test_url(void) {
  /* RFC 3986 §5.4 examples */
  const char *b = "http://a/b/c/d;p?q";
  S_resolve(b, "g", "http://a/b/c/g");
  S_resolve(b, "./g", "http://a/b/c/g");
  S_resolve(b, "g/", "http://a/b/c/g/");
  S_resolve(b, "/g", "http://a/g");
  S_resolve(b, "//g", "http://g");
  S_resolve(b, "?y", "http://a/b/c/d;p?y");
  S_resolve(b, "g?y", "http://a/b/c/g?y");
  S_resolve(b, "#s", "http://a/b/c/d;p?q#s");
  S_resolve(b, "", "http://a/b/c/d;p?q");
  S_resolve(b, "..", "http://a/b/");
  S_resolve(b, "../g", "http://a/b/g");
  S_resolve(b, "../../g", "http://a/g");
  S_resolve(b, "../../../g", "http://a/g");
  S_resolve(b, "/./g", "http://a/g");
  S_resolve(b, "g/../h", "http://a/b/c/h");
  S_resolve(b, "g:h", "g:h");
  S_resolve("http://example.com", "x.png", "http://example.com/x.png");
  S_resolve(NULL, "x.png", "x.png");
  S_resolve("/relative/", "x.png", "x.png");
  char *p = mtport_url_path("https://example.com/2009/12/x.html?a=1#f");
  CHECK_STR(p, "/2009/12/x.html");
  free(p);
  p = mtport_url_path("https://example.com");
  CHECK_STR(p, "/");
  free(p);
  CHECK(mtport_url_path("no-scheme/x") == NULL);
}

static void S_abs(const char *html, const char *want) {
  mtport_buf b = MTPORT_BUF_INIT;
  CHECK_INT(
      mtport_html_absolutize(&b, html, strlen(html), "http://ex.com/blog/"),
      MTPORT_OK);
  CHECK_STR(b.data, want);
  mtport_buf_dispose(&b);
}

static void test_absolutize(void) {
  S_abs("<a href=\"x.html\">x</a>",
        "<a href=\"http://ex.com/blog/x.html\">x</a>");
  S_abs("<img src='/i.png' alt=\"a\">",
        "<img src='http://ex.com/i.png' alt=\"a\">");
  S_abs("<a href=x.html>x</a>", "<a href=http://ex.com/blog/x.html>x</a>");
  S_abs("<a href=\"#top\">", "<a href=\"#top\">");
  S_abs("<a href=\"mailto:a@b\">", "<a href=\"mailto:a@b\">");
  S_abs("<a href=\"https://o.org/\">", "<a href=\"https://o.org/\">");
  S_abs("<p>a < b and href=\"x\"</p>", "<p>a < b and href=\"x\"</p>");
  S_abs("<!-- <a href=\"x\"> -->", "<!-- <a href=\"x\"> -->");
  S_abs("<script>var s='<a href=\"x\">';</script>",
        "<script>var s='<a href=\"x\">';</script>");
  S_abs("<img srcset=\"a.png 1x, b.png 2x\">",
        "<img srcset=\"http://ex.com/blog/a.png 1x, http://ex.com/blog/b.png "
        "2x\">");
  S_abs("<a title=\"href=x\" href=\"y\">",
        "<a title=\"href=x\" href=\"http://ex.com/blog/y\">");
  S_abs("<a href=\"x", "<a href=\"http://ex.com/blog/x"); /* unterminated */
}

static void S_text(const char *html, const char *want) {
  mtport_buf b = MTPORT_BUF_INIT;
  CHECK_INT(mtport_html_to_text(&b, html, strlen(html)), MTPORT_OK);
  CHECK_STR(b.data ? b.data : "", want);
  mtport_buf_dispose(&b);
}

static void test_text(void) {
  S_text("Q&amp;A: &lt;pre&gt;", "Q&A: <pre>");
  S_text("AT&T &c &#169; &#xA9; &eacute;",
         "AT&T &c \xC2\xA9 \xC2\xA9 \xC3\xA9");
  S_text("<b>bold</b>face", "boldface");
  S_text("<p>one</p><p>two</p>", "one two");
  S_text("  many \n\t spaces  ", "many spaces");
  S_text("a < b", "a < b");
  S_text("x&nbsp;y", "x y");
  S_text("&#0; &#x110000;", "\xEF\xBF\xBD \xEF\xBF\xBD");
  S_text("cut <a href=", "cut");
}

static void test_model(void) {
  mtport_post *p = mtport_post_new();
  CHECK(p->allow_comments == MTPORT_FLAG_UNKNOWN);
  mtport_post_add_category(p, "B", NULL, NULL, 0);
  mtport_post_add_category(p, "C", NULL, NULL, 0);
  mtport_post_add_category(p, "A", "a", "Parent", 1);
  mtport_post_add_category(p, "B", NULL, NULL, 0); /* duplicate */
  CHECK_INT(p->n_categories, 3);
  CHECK_STR(p->categories[0].name, "A");
  CHECK_STR(p->categories[0].parent, "Parent");
  CHECK_STR(p->categories[1].name, "B");
  CHECK_STR(p->categories[2].name, "C");
  mtport_post_add_category(p, "C", NULL, NULL, 1); /* existing made primary */
  CHECK_STR(p->categories[0].name, "C");
  CHECK_STR(p->categories[1].name, "A");
  for (int i = 0; i < 100; i++) {
    char name[16];
    snprintf(name, sizeof name, "t%d", i % 50);
    mtport_post_add_tag(p, name, NULL);
  }
  CHECK_INT(p->n_tags, 50);
  mtport_comment *c = mtport_post_add_comment(p);
  CHECK(c && c->approved == 1 && c->kind == MTPORT_COMMENT);
  mtport_post_add_extra(p, "CF50_x", "1");
  mtport_post_add_extra(p, "CF50_y", NULL);
  CHECK_STR(mtport_post_extra(p, "CF50_x"), "1");
  CHECK_STR(mtport_post_extra(p, "CF50_y"), "");
  CHECK(mtport_post_extra(p, "nope") == NULL);
  CHECK_INT(mtport_text_set(&p->body, "<p>x</p>", (size_t)-1, MTPORT_TEXT_HTML,
                            "richtext"),
            0);
  CHECK_STR(p->body.filter, "richtext");
  mtport_post_reset(p);
  CHECK(p->n_tags == 0 && p->title == NULL && p->body.text == NULL);
  CHECK(p->allow_pings == MTPORT_FLAG_UNKNOWN);
  mtport_post_free(p);
  mtport_post_free(NULL);
  mtport_site_free(NULL);
  CHECK_STR(mtport_status_name(MTPORT_STATUS_REVIEW), "review");
}

static int S_begin(mtport_ctx *c, const mtport_site *s, void **st) { return 0; }
static int S_entry(mtport_ctx *c, void *st, const mtport_post *p) { return 0; }
static int S_end(mtport_ctx *c, void *st, int status) { return 0; }
static int S_prepare(const void *st, const mtport_post *p, void **out) {
  (void)st;
  (void)p;
  *out = NULL;
  return 0;
}
static void S_release(void *prep) { (void)prep; }
static int S_save(const void *prep, mtport_buf *out) {
  (void)prep;
  (void)out;
  return 0;
}
static int S_load(const void *st, const char *d, size_t n, void **out) {
  (void)st;
  (void)d;
  (void)n;
  *out = NULL;
  return 0;
}

static void test_registry(void) {
  mtport_registry *reg;
  CHECK_INT(mtport_registry_new(&reg), MTPORT_OK);
  CHECK(mtport_registry_find(reg, "jsonfeed") != NULL);
  CHECK(mtport_registry_find(reg, "nope") == NULL);
  size_t n = mtport_registry_count(reg);
  CHECK(n >= 1);
  mtport_exporter mine = {MTPORT_EXPORTER_VERSION,
                          "mine",
                          "test",
                          MTPORT_OUTPUT_STREAM,
                          S_begin,
                          NULL,
                          NULL,
                          S_entry,
                          S_end,
                          NULL,
                          NULL,
                          NULL,
                          NULL};
  CHECK_INT(mtport_registry_add(reg, &mine), MTPORT_OK);
  CHECK(mtport_registry_find(reg, "mine") == &mine);
  CHECK_INT(mtport_registry_add(reg, &mine), MTPORT_EEXISTS);
  mtport_exporter old = mine;
  old.version = 99;
  old.name = "old";
  CHECK_INT(mtport_registry_add(reg, &old), MTPORT_EINVALID);
  mtport_exporter half = mine;
  half.name = "half";
  half.entry = NULL;
  CHECK_INT(mtport_registry_add(reg, &half), MTPORT_EINVALID);
  /* version 2: prepare() comes with release() */
  mtport_exporter lone = mine;
  lone.name = "lone";
  lone.prepare = S_prepare;
  CHECK_INT(mtport_registry_add(reg, &lone), MTPORT_EINVALID);
  lone.release = S_release;
  CHECK_INT(mtport_registry_add(reg, &lone), MTPORT_OK);
  /* version 3: save() and load() come together, and with prepare() */
  mtport_exporter saver = lone;
  saver.name = "saver";
  saver.save = S_save;
  CHECK_INT(mtport_registry_add(reg, &saver), MTPORT_EINVALID);
  saver.save = NULL;
  saver.load = S_load;
  CHECK_INT(mtport_registry_add(reg, &saver), MTPORT_EINVALID);
  saver.save = S_save;
  saver.prepare = NULL;
  saver.release = NULL;
  CHECK_INT(mtport_registry_add(reg, &saver), MTPORT_EINVALID);
  saver.prepare = S_prepare;
  saver.release = S_release;
  CHECK_INT(mtport_registry_add(reg, &saver), MTPORT_OK);
  /* version 2 tables end before save(): it is never read */
  mtport_exporter v2 = saver;
  v2.version = 2;
  v2.name = "v2";
  v2.save = S_save;
  v2.load = NULL;
  CHECK_INT(mtport_registry_add(reg, &v2), MTPORT_OK);
  /* a version 1 table is still taken */
  mtport_exporter v1 = mine;
  v1.version = 1;
  v1.name = "v1";
  CHECK_INT(mtport_registry_add(reg, &v1), MTPORT_OK);
  CHECK_INT(mtport_registry_count(reg), n + 5);
  mtport_registry_free(reg);
  mtport_registry_free(NULL);
}

/* Collects diagnostics for assertions. */
typedef struct S_diags {
  int n[4];
  char last_code[64];
  unsigned long last_line;
} S_diags;

static void S_sink(const mtport_diag *d, void *payload) {
  S_diags *s = payload;
  s->n[d->severity]++;
  snprintf(s->last_code, sizeof s->last_code, "%s", d->code);
  s->last_line = d->line;
  if (getenv("T_VERBOSE"))
    fprintf(stderr, "diag %s %s %lu\n", d->code, d->message, d->line);
}

/* The first post's title from @p src, and the last diagnostic's code. */
static void S_title_of(const char *src, const char *want, const char *code) {
  S_diags dg;
  memset(&dg, 0, sizeof dg);
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  o.diag = S_sink;
  o.diag_payload = &dg;
  o.site_url = "http://x.org/"; /* old URLs known: no warning on them */
  mtport_reader *r = NULL;
  CHECK_INT(mtport_reader_open_mem(&r, src, strlen(src), "mem", &o), MTPORT_OK);
  const mtport_post *p = NULL;
  if (r && mtport_reader_next(r, &p) == 1) {
    CHECK_STR(p->title, want);
  } else
    CHECK(!"no post");
  CHECK_STR(dg.last_code, code);
  mtport_reader_free(r);
}

/* Titles are decoded once, as MT showed them, by every reader. */
static void test_titles(void) {
#define ATOM03(t)                                                              \
  "<?xml version=\"1.0\"?><feed version=\"0.3\" "                              \
  "xmlns=\"http://purl.org/atom/ns#\"><title>B</title><entry>" t               \
  "<link rel=\"alternate\" href=\"http://x.org/a.html\"/><id>tag:x.org,"       \
  "2008://2.1</id><issued>2008-01-09T00:58:57Z</issued></entry></feed>"
  /* Atom 0.3, MT's raw CDATA: a text title that still holds references */
  S_title_of(ATOM03("<title><![CDATA[Japan News &amp; Info]]></title>"),
             "Japan News & Info", "");
  /* a text title: a '<' is text, references decoded */
  S_title_of(ATOM03("<title>a &lt;b&gt; &amp;amp; c</title>"), "a <b> & c", "");
  /* an HTML title: tags left out, their text kept, and said */
  S_title_of(ATOM03("<title mode=\"escaped\" type=\"text/html\">&lt;em&gt;Why"
                    "&lt;/em&gt; R&amp;amp;D &amp;lt; 3</title>"),
             "Why R&D < 3", "title-markup");
#undef ATOM03
#define MTT(t)                                                                 \
  "AUTHOR: a\nTITLE: " t "\nBASENAME: b\nSTATUS: Publish\n"                    \
  "DATE: 01/02/2009 03:04:05 AM\n-----\nBODY:\nx\n-----\n--------\n"
  S_title_of(MTT("Caf&eacute; &amp; <strong>bar</strong>"), "Café & bar",
             "title-markup");
  S_title_of(MTT("x < y, a <b"), "x < y, a <b", "permalink-pattern");
  S_title_of(MTT("AT&T"), "AT&T", "permalink-pattern");
  /* without a site URL: one warning for all entries without an old URL */
  S_diags dg;
  memset(&dg, 0, sizeof dg);
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  o.diag = S_sink;
  o.diag_payload = &dg;
  static const char two[] = MTT("one") MTT("two");
  mtport_reader *r = NULL;
  CHECK_INT(mtport_reader_open_mem(&r, two, sizeof two - 1, "mem", &o),
            MTPORT_OK);
  const mtport_post *p = NULL;
  int n = 0;
  while (r && mtport_reader_next(r, &p) == 1) {
    n++;
    CHECK(p->permalink == NULL);
  }
  CHECK_INT(n, 2);
  CHECK_INT(dg.n[MTPORT_SEV_WARNING], 2); /* no-timezone, no-old-url */
  CHECK_STR(dg.last_code, "no-old-url");
  mtport_reader_free(r);
#undef MTT
}

static const char S_FEED[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
    "<feed xmlns=\"http://www.w3.org/2005/Atom\" "
    "xml:base=\"http://ex.com/\">\r\n"
    "<title>T &amp; U</title><link rel=\"alternate\" href=\"/blog/\"/>\n"
    "<link rel=\"self\" href=\"http://ex.com/blog/atom.xml\"/>\n"
    "<entry><title type=\"html\">A &lt;b&gt;bold&lt;/b&gt; title</title>\n"
    "<id>tag:ex.com,2009:/blog//1.77</id>\n"
    "<link rel=\"alternate\" href=\"2009/01/a.html\"/>\n"
    "<published>2009-01-02T03:04:05+09:00</published>\n"
    "<updated>2009-01-03T00:00:00Z</updated>\n"
    "<author><name>Ann</name><uri>http://ann.example/</uri><email>a@ex.com</"
    "email></author>\n"
    "<category term=\"Cat One\" "
    "scheme=\"http://www.sixapart.com/ns/types#category\"/>\n"
    "<category term=\"movabletype\" label=\"Movable Type\" "
    "scheme=\"http://www.sixapart.com/ns/types#tag\"/>\n"
    "<category term=\"12\" label=\"numeric\" "
    "scheme=\"http://www.sixapart.com/ns/types#tag\"/>\n"
    "<content type=\"html\" xml:base=\"http://ex.com/blog/\">&lt;a "
    "href=\"x.html\"&gt;x&lt;/a&gt;</content>\n"
    "<thr:total "
    "xmlns:thr=\"http://purl.org/syndication/thread/1.0\">3</thr:total>\n"
    "</entry>\n"
    "<entry><title>Two</title><id>tag:ex.com,2009:/blog//1.78</id>\n"
    "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Hi "
    "<img src=\"i.png\"/></p></div></content>\n"
    "<summary>plain &amp; simple</summary></entry>\n"
    "</feed>\n";

static void test_atom(void) {
  S_diags dg = {{0}, "", 0};
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  o.diag = S_sink;
  o.diag_payload = &dg;
  mtport_reader *r;
  CHECK_INT(mtport_reader_open_mem(&r, S_FEED, sizeof S_FEED - 1, "mem", &o),
            MTPORT_OK);
  CHECK_STR(mtport_reader_format(r), "atom");
  const mtport_site *s = mtport_reader_site(r);
  CHECK_STR(s->title, "T & U");
  CHECK_STR(s->home_url, "http://ex.com/blog/");
  CHECK_STR(s->feed_url, "http://ex.com/blog/atom.xml");
  const mtport_post *p;
  CHECK_INT(mtport_reader_next(r, &p), 1);
  /* decoded once as MT showed it: the tags left out (a note says so) */
  CHECK_STR(p->title, "A bold title");
  CHECK_STR(p->source_id, "tag:ex.com,2009:/blog//1.77");
  CHECK_INT(p->entry_id, 77);
  CHECK_STR(p->permalink, "http://ex.com/2009/01/a.html");
  CHECK_INT(p->published.offset_min, 540);
  CHECK(p->published.has_tz);
  CHECK_INT(p->updated.epoch, 1230940800);
  CHECK_INT(p->n_authors, 1);
  CHECK_STR(p->authors[0].email, "a@ex.com");
  CHECK_INT(p->n_categories, 1);
  CHECK_STR(p->categories[0].name, "Cat One");
  CHECK_INT(p->n_tags, 2);
  CHECK_STR(p->tags[0].name, "Movable Type");
  CHECK_STR(p->tags[0].slug, "movabletype");
  CHECK(p->tags[1].slug == NULL); /* MT 3.x numeric term is no slug */
  CHECK_STR(p->body.text, "<a href=\"http://ex.com/blog/x.html\">x</a>");
  CHECK(p->body.format == MTPORT_TEXT_HTML);
  CHECK_STR(p->body.base, "http://ex.com/blog/");
  CHECK_STR(mtport_post_extra(p, "thr:total"), "3");
  CHECK_INT(p->origin.line, 5);
  CHECK_INT(p->ordinal, 1);
  CHECK_INT(mtport_reader_next(r, &p), 1);
  CHECK_STR(p->title, "Two");
  CHECK_STR(p->body.text, "<p>Hi <img src=\"http://ex.com/i.png\"/></p>");
  CHECK_STR(p->excerpt.text, "plain & simple");
  CHECK(p->excerpt.format == MTPORT_TEXT_PLAIN);
  CHECK(p->status == MTPORT_STATUS_PUBLISH);
  CHECK_INT(mtport_reader_next(r, &p), 0);
  CHECK_INT(mtport_reader_next(r, &p), 0);
  CHECK_INT(mtport_reader_count(r), 2);
  mtport_reader_free(r);
  CHECK_INT(dg.n[MTPORT_SEV_WARNING] + dg.n[MTPORT_SEV_ERROR], 0);

  /* a truncated feed: the entries before the damage, then a fatal error */
  dg.n[MTPORT_SEV_FATAL] = 0;
  size_t cut = (size_t)(strstr(S_FEED, "<entry><title>Two") - S_FEED) + 20;
  CHECK_INT(mtport_reader_open_mem(&r, S_FEED, cut, "cut", &o), MTPORT_OK);
  CHECK_INT(mtport_reader_next(r, &p), 1);
  CHECK(mtport_reader_next(r, &p) < 0);
  CHECK_INT(dg.n[MTPORT_SEV_FATAL], 1);
  CHECK_STR(dg.last_code, "xml-syntax");
  CHECK(dg.last_line > 0);
  mtport_reader_free(r);

  /* not a feed at all */
  CHECK_INT(mtport_reader_open_mem(&r, "hello", 5, "x", &o), MTPORT_EPARSE);
  CHECK(r == NULL);
  CHECK_INT(mtport_reader_open_mem(&r, "", 0, "x", &o), MTPORT_EPARSE);
  o.format = "nope";
  CHECK_INT(mtport_reader_open_mem(&r, S_FEED, sizeof S_FEED - 1, "x", &o),
            MTPORT_ENOTFOUND);
  mtport_reader_free(NULL);
}

/* Runs the JSON Feed exporter over S_FEED and reads the result back. */
static void test_jsonfeed(void) {
  char in[] = "/tmp/mtport-unit-XXXXXX";
  int fd = mkstemp(in);
  CHECK(fd >= 0);
  CHECK(write(fd, S_FEED, sizeof S_FEED - 1) == (ssize_t)(sizeof S_FEED - 1));
  close(fd);
  char out[64];
  snprintf(out, sizeof out, "%s.json", in);
  mtport_registry *reg;
  mtport_registry_new(&reg);
  mtport_run_options ro = MTPORT_RUN_OPTIONS_INIT;
  S_diags dg = {{0}, "", 0};
  ro.reader.diag = S_sink;
  ro.reader.diag_payload = &dg;
  ro.output = out;
  const char *inputs[] = {in};
  mtport_run_result res;
  CHECK_INT(
      mtport_run(&res, inputs, 1, mtport_registry_find(reg, "jsonfeed"), &ro),
      MTPORT_OK);
  CHECK_INT(res.read, 2);
  CHECK_INT(res.written, 2);
  json_error_t err;
  json_t *j = json_load_file(out, 0, &err);
  CHECK(j != NULL);
  if (j) {
    CHECK_STR(json_string_value(json_object_get(j, "version")),
              "https://jsonfeed.org/version/1.1");
    CHECK_STR(json_string_value(json_object_get(j, "title")), "T & U");
    json_t *items = json_object_get(j, "items");
    CHECK_INT(json_array_size(items), 2);
    json_t *it = json_array_get(items, 0);
    CHECK_STR(json_string_value(json_object_get(it, "id")),
              "tag:ex.com,2009:/blog//1.77");
    CHECK_STR(json_string_value(json_object_get(it, "title")), "A bold title");
    CHECK_STR(json_string_value(json_object_get(it, "date_published")),
              "2009-01-02T03:04:05+09:00");
    CHECK_STR(json_string_value(json_object_get(it, "date_modified")),
              "2009-01-03T00:00:00Z");
    json_t *tags = json_object_get(it, "tags");
    CHECK_INT(json_array_size(tags), 3);
    CHECK_STR(json_string_value(json_array_get(tags, 0)), "Movable Type");
    CHECK_STR(json_string_value(json_array_get(tags, 2)), "Cat One");
    json_t *au = json_array_get(json_object_get(it, "authors"), 0);
    CHECK(json_object_get(au, "email") == NULL); /* not a JSON Feed field */
    json_decref(j);
  }
  /* existing output without force: refused, file untouched */
  CHECK_INT(
      mtport_run(&res, inputs, 1, mtport_registry_find(reg, "jsonfeed"), &ro),
      MTPORT_EEXISTS);
  CHECK_STR(dg.last_code, "output-exists");
  ro.force = 1;
  CHECK_INT(
      mtport_run(&res, inputs, 1, mtport_registry_find(reg, "jsonfeed"), &ro),
      MTPORT_OK);
  unlink(out);
  unlink(in);
  mtport_registry_free(reg);
}

static void test_diag(void) {
  /* 40 three-byte characters: the 60-byte cut falls inside none of them */
  char title[200] = "";
  for (int i = 0; i < 40; i++)
    strcat(title, "\xE6\x97\xA5");
  strcat(title, "x");
  mtport_diag d = {MTPORT_SEV_WARNING,
                   "bad-date",
                   "unreadable date",
                   "f.atom",
                   12,
                   3,
                   7,
                   title};
  mtport_buf b = MTPORT_BUF_INIT;
  CHECK_INT(mtport_diag_format(&d, &b), MTPORT_OK);
  CHECK(mtport_utf8_valid(b.data, b.len));
  CHECK(strncmp(b.data, "f.atom:12:3: warning: entry 7 \"", 30) == 0);
  CHECK(strstr(b.data, "...\": unreadable date [bad-date]") != NULL);
  title[4] = '\0'; /* a short title is kept whole: one char and a byte */
  mtport_buf_clear(&b);
  d.entry_title = "short";
  d.line = 0;
  mtport_diag_format(&d, &b);
  CHECK_STR(b.data,
            "f.atom: warning: entry 7 \"short\": unreadable date [bad-date]");
  mtport_buf_clear(&b);
  CHECK_INT(mtport_diag_format_json(&d, &b), MTPORT_OK);
  CHECK(strstr(b.data, "\"code\":\"bad-date\"") != NULL);
  mtport_buf_dispose(&b);
}

/* ---- the entry pass with prepare() on threads ---------------------------- */

/* A one-pass exporter whose prepare() measures the body; entry() checks it
 * got the measure of its own post and logs the order. */
typedef struct S_pipe {
  unsigned long order[512];
  size_t n;
  int mismatches, missing;
} S_pipe;

static int S_pipe_begin(mtport_ctx *c, const mtport_site *s, void **st) {
  (void)c;
  (void)s;
  *st = NULL;
  return 0;
}
static int S_pipe_prepare(const void *st, const mtport_post *p, void **out) {
  (void)st;
  size_t *n = malloc(sizeof *n);
  if (!n)
    return MTPORT_ENOMEM;
  *n = p->body.text ? strlen(p->body.text) : 0;
  *out = n;
  return 0;
}
static void S_pipe_release(void *prep) { free(prep); }
static S_pipe S_pipe_log;
static int S_pipe_entry(mtport_ctx *c, void *st, const mtport_post *p) {
  (void)st;
  const size_t *n = mtport_ctx_prepared(c);
  if (!n)
    S_pipe_log.missing++;
  else if (*n != (p->body.text ? strlen(p->body.text) : 0))
    S_pipe_log.mismatches++;
  if (S_pipe_log.n < 512)
    S_pipe_log.order[S_pipe_log.n++] = p->ordinal;
  return 0;
}
static int S_pipe_end(mtport_ctx *c, void *st, int status) {
  (void)c;
  (void)st;
  (void)status;
  return 0;
}

/* The two-pass variants: prepass() counts, entry() checks that every
 * prepass() came first; save() and load() carry the measure as bytes and
 * count the loads. Slow prepare() calls keep the workers' window full. */
static unsigned long S_pipe_seen;
static _Atomic unsigned long S_pipe_loads, S_pipe_prepares;
static int S_pipe_prepass(mtport_ctx *c, void *st, const mtport_post *p) {
  (void)c;
  (void)st;
  (void)p;
  S_pipe_seen++;
  return 0;
}
static int S_pipe_entry2(mtport_ctx *c, void *st, const mtport_post *p) {
  if (S_pipe_seen != 200)
    S_pipe_log.mismatches++;
  return S_pipe_entry(c, st, p);
}
static int S_pipe_prepare2(const void *st, const mtport_post *p, void **out) {
  struct timespec ts = {0, 100000};
  nanosleep(&ts, NULL);
  S_pipe_prepares++;
  return S_pipe_prepare(st, p, out);
}
static int S_pipe_save(const void *prep, mtport_buf *out) {
  return mtport_buf_printf(out, "measure=%zu", *(const size_t *)prep);
}
static int S_pipe_load(const void *st, const char *data, size_t len,
                       void **out) {
  (void)st;
  size_t *n = malloc(sizeof *n);
  if (!n)
    return MTPORT_ENOMEM;
  if (len < 8 || strncmp(data, "measure=", 8) != 0 ||
      sscanf(data + 8, "%zu", n) != 1) {
    free(n);
    return MTPORT_EPARSE;
  }
  S_pipe_loads++;
  *out = n;
  return 0;
}

/* mtport_ctx_write_path(): a whole file written from end(), which appears
 * only when the run succeeds and never replaces a file without force. */
static const char *S_side_path;
static int S_side_end(mtport_ctx *c, void *st, int status) {
  (void)st;
  (void)status; /* written whatever the status: the run decides */
  return mtport_ctx_write_path(c, S_side_path, "side\n", 5);
}
static int S_side_fail(mtport_ctx *c, void *st, const mtport_post *p) {
  (void)c;
  (void)st;
  return p->ordinal == 2 ? MTPORT_EIO : 0;
}
static void test_sidefile(void) {
  mtport_exporter side = {MTPORT_EXPORTER_VERSION,
                          "side",
                          "test",
                          MTPORT_OUTPUT_STREAM,
                          S_pipe_begin,
                          NULL,
                          NULL,
                          S_pipe_entry,
                          S_side_end,
                          NULL,
                          NULL,
                          NULL,
                          NULL};
  char dir[] = "/tmp/mtport-side-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char in[128], out[128], path[128], text[16] = "";
  snprintf(in, sizeof in, "%s/in.atom", dir);
  snprintf(out, sizeof out, "%s/out.json", dir);
  snprintf(path, sizeof path, "%s/side.txt", dir);
  S_side_path = path;
  FILE *f = fopen(in, "w");
  CHECK(f != NULL);
  fputs("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>"
        "<entry><id>a</id><title>A</title></entry>"
        "<entry><id>b</id><title>B</title></entry></feed>\n",
        f);
  fclose(f);
  const char *inputs[] = {in};
  mtport_run_options ro = MTPORT_RUN_OPTIONS_INIT;
  S_diags dg = {{0}, "", 0};
  ro.reader.diag = S_sink;
  ro.reader.diag_payload = &dg;
  ro.output = out;
  /* written when the run succeeds */
  CHECK_INT(mtport_run(NULL, inputs, 1, &side, &ro), MTPORT_OK);
  f = fopen(path, "r");
  CHECK(f != NULL);
  if (f) {
    CHECK(fgets(text, sizeof text, f) != NULL);
    fclose(f);
  }
  CHECK_STR(text, "side\n");
  /* there now: refused without force, replaced with it */
  unlink(out);
  CHECK_INT(mtport_run(NULL, inputs, 1, &side, &ro), MTPORT_EEXISTS);
  CHECK_STR(dg.last_code, "output-exists");
  unlink(out);
  ro.force = 1;
  CHECK_INT(mtport_run(NULL, inputs, 1, &side, &ro), MTPORT_OK);
  /* a run that fails leaves neither it nor a temporary file */
  unlink(path);
  side.entry = S_side_fail;
  CHECK(mtport_run(NULL, inputs, 1, &side, &ro) < 0);
  CHECK(access(path, F_OK) != 0);
  unlink(out);
  unlink(in);
  CHECK_INT(rmdir(dir), 0); /* nothing else was left in it */
}

static void test_pipeline(void) {
  static const mtport_exporter pipe = {MTPORT_EXPORTER_VERSION,
                                       "pipe",
                                       "test",
                                       MTPORT_OUTPUT_STREAM,
                                       S_pipe_begin,
                                       NULL,
                                       NULL,
                                       S_pipe_entry,
                                       S_pipe_end,
                                       S_pipe_prepare,
                                       S_pipe_release,
                                       NULL,
                                       NULL};
  /* two passes through the spool, without and with early preparation */
  mtport_exporter two = pipe, early = pipe;
  two.prepass = early.prepass = S_pipe_prepass;
  two.entry = early.entry = S_pipe_entry2;
  early.prepare = S_pipe_prepare2;
  early.save = S_pipe_save;
  early.load = S_pipe_load;
  const mtport_exporter *kinds[] = {&pipe, &two, &early};
  /* 200 entries: many windows' worth; then the same file cut short */
  mtport_buf feed = MTPORT_BUF_INIT;
  mtport_buf_puts(&feed,
                  "<?xml version=\"1.0\"?>\n<feed "
                  "xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>\n");
  for (int i = 0; i < 200; i++) {
    mtport_buf_printf(&feed,
                      "<entry><id>tag:x,2009:%d</id><title>E%d</title>"
                      "<published>2009-01-01T00:00:00Z</published>"
                      "<content type=\"html\">",
                      i, i);
    for (int k = 0; k <= i % 17; k++)
      mtport_buf_puts(&feed, "&lt;p&gt;word&lt;/p&gt;");
    mtport_buf_puts(&feed, "</content></entry>\n");
  }
  size_t cut = feed.len * 2 / 3;
  unsigned long complete = 0; /* entries wholly before the cut */
  for (const char *e = feed.data;
       (e = strstr(e, "</entry>")) && e + 8 <= feed.data + cut; e += 8)
    complete++;
  mtport_buf_puts(&feed, "</feed>\n");
  char in[] = "/tmp/mtport-unit-XXXXXX", in2[] = "/tmp/mtport-unit-XXXXXX";
  int fd = mkstemp(in), fd2 = mkstemp(in2);
  CHECK(fd >= 0 && fd2 >= 0);
  CHECK(write(fd, feed.data, feed.len) == (ssize_t)feed.len);
  CHECK(write(fd2, feed.data, cut) == (ssize_t)cut);
  close(fd);
  close(fd2);
  mtport_buf_dispose(&feed);
  for (int kind = 0; kind < 3; kind++) {
    for (int file = 0; file < 2; file++) {
      unsigned long want_n = 0, want_codes = 0;
      for (unsigned jobs = 1; jobs <= 4; jobs++) {
        memset(&S_pipe_log, 0, sizeof S_pipe_log);
        S_pipe_seen = 0;
        S_pipe_loads = S_pipe_prepares = 0;
        mtport_run_options ro = MTPORT_RUN_OPTIONS_INIT;
        S_diags dg = {{0}, "", 0};
        ro.reader.diag = S_sink;
        ro.reader.diag_payload = &dg;
        char out[64];
        snprintf(out, sizeof out, "%s.out", in);
        ro.output = out;
        ro.force = 1;
        ro.jobs = jobs;
        const char *inputs[] = {file ? in2 : in};
        mtport_run_result res;
        int rc = mtport_run(&res, inputs, 1, kinds[kind], &ro);
        unlink(out);
        CHECK_INT(rc, file ? MTPORT_EPARSE : MTPORT_OK);
        CHECK_INT(S_pipe_log.missing, 0);
        CHECK_INT(S_pipe_log.mismatches, 0);
        for (size_t i = 0; i < S_pipe_log.n; i++)
          CHECK_INT(S_pipe_log.order[i], i + 1);
        if (file == 0)
          CHECK_INT(res.written, 200);
        /* the break: every entry before it written, whatever the threads */
        /* a first pass that fails writes nothing */
        if (jobs == 1) {
          want_n = S_pipe_log.n;
          want_codes = (unsigned long)dg.n[MTPORT_SEV_FATAL];
          CHECK_INT(want_n, file ? (kind ? 0 : complete) : 200);
        }
        CHECK_INT(S_pipe_log.n, want_n);
        CHECK_INT(res.written, want_n);
        CHECK_INT(dg.n[MTPORT_SEV_FATAL], want_codes);
        CHECK_INT(dg.n[MTPORT_SEV_FATAL], file);
        if (kind == 2 && file == 0) {
          /* each post prepared once: early (then loaded) or in the entry
           * pass; with one thread there are no early ones */
          CHECK_INT(S_pipe_prepares, 200);
          /* the window still queued when the first pass ends is finished
           * then, so some always are */
          if (jobs == 1)
            CHECK_INT(S_pipe_loads, 0);
          else
            CHECK(S_pipe_loads > 0);
        }
      }
    }
  }
  unlink(in);
  unlink(in2);
}

int main(int argc, char **argv) {
  static const t_suite suites[] = {{"buf", test_buf},
                                   {"utf8", test_utf8},
                                   {"date", test_date},
                                   {"url", test_url},
                                   {"absolutize", test_absolutize},
                                   {"text", test_text},
                                   {"model", test_model},
                                   {"registry", test_registry},
                                   {"atom", test_atom},
                                   {"titles", test_titles},
                                   {"diag", test_diag},
                                   {"jsonfeed", test_jsonfeed},
                                   {"pipeline", test_pipeline},
                                   {"sidefile", test_sidefile}};
  return t_run(argc, argv, suites, sizeof suites / sizeof *suites);
}
