/* Table-driven unit tests of the MT text export rules (docs/mt-formats.md
 * §2.3-§2.11, §5.3, §5.4): grammars, the record splitter, encodings, time
 * zones, and whole entries read through mtport_reader_open_mem. */
#include "readers/mttext.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int S_fail;
#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      S_fail++;                                                                \
      fprintf(stderr, "%s:%d: FAIL %s: ", __FILE__, __LINE__, #cond);          \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
    }                                                                          \
  } while (0)

static int S_streq(const char *a, const char *b) {
  if (!a || !b)
    return a == b;
  return strcmp(a, b) == 0;
}

/* ---- §2.7 DATE ---- */
static void test_dates(void) {
  static const struct {
    const char *in;
    int rc; /* 0 exact, 1 lenient, -1 rejected */
    int y, mo, d, h, mi, s;
  } t[] = {
      {"04/05/2009 07:15:00 PM", 0, 2009, 4, 5, 19, 15, 0},
      {"4/5/2009 7:15:00 AM", 0, 2009, 4, 5, 7, 15, 0},
      {"12/31/2009 12:00:00 AM", 0, 2009, 12, 31, 0, 0, 0},
      {"12/31/2009 12:30:00 PM", 0, 2009, 12, 31, 12, 30, 0},
      {"01/31/2002 15:47:06", 0, 2002, 1, 31, 15, 47, 6}, /* 24 h */
      {"  01/31/2002 15:47:06  ", 0, 2002, 1, 31, 15, 47, 6},
      {"1/2/2003 1:2:3", 0, 2003, 1, 2, 1, 2, 3},
      {"1/2/203 1:2:3", 0, 203, 1, 2, 1, 2, 3}, /* 3 digits kept */
      /* lenient: lowercase am/pm honoured (MT ignores them) */
      {"03/07/2011 01:02:03 pm", 1, 2011, 3, 7, 13, 2, 3},
      {"03/07/2011 12:02:03 am", 1, 2011, 3, 7, 0, 2, 3},
      {"03/07/2011  01:02:03 PM", 1, 2011, 3, 7, 13, 2, 3}, /* 2 spaces */
      {"03/07/2011 01:02 PM", 1, 2011, 3, 7, 13, 2, 0},     /* no seconds */
      {"03/07/08 01:02:03", 1, 2008, 3, 7, 1, 2, 3}, /* pivot, not 1908 */
      {"03/07/99 01:02:03", 1, 1999, 3, 7, 1, 2, 3},
      {"2011-03-08 10:00", 1, 2011, 3, 8, 10, 0, 0},
      {"2011-03-08T10:00:05", 1, 2011, 3, 8, 10, 0, 5},
      {"03/07/2011", 1, 2011, 3, 7, 0, 0, 0},
      /* rejected */
      {"", -1, 0, 0, 0, 0, 0, 0},
      {"yesterday", -1, 0, 0, 0, 0, 0, 0},
      {"03/07/2011 01:02:03 XM", -1, 0, 0, 0, 0, 0, 0},
      {"03/07/2011 01:02:03 PM junk", -1, 0, 0, 0, 0, 0, 0},
      {"03-07-2011 01:02:03", -1, 0, 0, 0, 0, 0, 0},
      {"003/07/2011 01:02:03", -1, 0, 0, 0, 0, 0, 0},
      {"03/07/20111 01:02:03", -1, 0, 0, 0, 0, 0, 0},
      {"03/07/2011 01:", -1, 0, 0, 0, 0, 0, 0},
  };
  for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
    mtport_tm tm;
    int rc = mtport_mtt__parse_date(t[i].in, &tm);
    CHECK(rc == t[i].rc, "date '%s': rc %d, want %d", t[i].in, rc, t[i].rc);
    if (rc >= 0 && t[i].rc >= 0)
      CHECK(tm.year == t[i].y && tm.month == t[i].mo && tm.day == t[i].d &&
                tm.hour == t[i].h && tm.minute == t[i].mi &&
                tm.second == t[i].s,
            "date '%s' gave %d-%d-%d %d:%d:%d", t[i].in, tm.year, tm.month,
            tm.day, tm.hour, tm.minute, tm.second);
  }
}

/* ---- §2.8 TAGS ---- */
typedef struct S_tags {
  char out[512];
} S_tags;

static int S_tag_cb(const char *t, size_t n, void *ud) {
  S_tags *a = ud;
  size_t l = strlen(a->out);
  snprintf(a->out + l, sizeof a->out - l, "%s%.*s", l ? "|" : "", (int)n, t);
  return 0;
}

static void test_tags(void) {
  static const struct {
    const char *in, *want;
  } t[] = {
      {"\"Movable Type\",foo, bar ,\"a,b\",'single q',@private,x\"y",
       "Movable Type|foo|bar|a,b|single q|@private|x\"y"},
      {"\"raised beds\",tomatoes,@todo", "raised beds|tomatoes|@todo"},
      {"\"A\"x,b", "A|b"}, /* text after the closing quote lost */
      {"tag with space", "tag with space"},
      {"---,a,@,..", "a"}, /* empty normal forms dropped */
      {"  a ,  b  ", "a|b"},
      {"\"unclosed,b", "\"unclosed|b"},
      {"", ""},
      {",,,", ""},
      {"'it''s',x", "it|x"},
  };
  for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
    S_tags a = {{0}};
    mtport_mtt__split_tags(t[i].in, S_tag_cb, &a);
    CHECK(strcmp(a.out, t[i].want) == 0, "tags '%s' gave '%s', want '%s'",
          t[i].in, a.out, t[i].want);
  }
}

/* ---- §2.10 CONVERT BREAKS, §2.9 STATUS ---- */
static void test_filters_status(void) {
  static const struct {
    const char *in;
    mtport_text_format f;
  } t[] = {
      {"0", MTPORT_TEXT_HTML},
      {"", MTPORT_TEXT_HTML},
      {"richtext", MTPORT_TEXT_HTML},
      {"wysiwyg", MTPORT_TEXT_HTML},
      {"1", MTPORT_TEXT_CONVERT_BREAKS},
      {"__default__", MTPORT_TEXT_CONVERT_BREAKS},
      {"markdown", MTPORT_TEXT_MARKDOWN},
      {"markdown_with_smartypants", MTPORT_TEXT_MARKDOWN},
      {"markdown_with_smartypants,__sa", MTPORT_TEXT_MARKDOWN},
      {"__default__,__sanitize__", MTPORT_TEXT_CONVERT_BREAKS},
      {"richtext,__sanitize__", MTPORT_TEXT_HTML},
      {"__sanitize__,markdown", MTPORT_TEXT_MARKDOWN},
      {"textile_2", MTPORT_TEXT_TEXTILE},
      {"commonmark", MTPORT_TEXT_MARKDOWN},
      {"blockeditor", MTPORT_TEXT_UNKNOWN},
      {"my_plugin_filter", MTPORT_TEXT_UNKNOWN},
  };
  for (size_t i = 0; i < sizeof t / sizeof *t; i++)
    CHECK(mtport_mtt__text_format(t[i].in) == t[i].f, "filter '%s' gave %d",
          t[i].in, (int)mtport_mtt__text_format(t[i].in));
  static const struct {
    const char *in;
    int rc;
    mtport_status s;
  } st[] = {
      {"Publish", 0, MTPORT_STATUS_PUBLISH},
      {"publish", 0, MTPORT_STATUS_PUBLISH},
      {"Draft", 0, MTPORT_STATUS_DRAFT},
      {"draft", 0, MTPORT_STATUS_DRAFT},
      {"Review", 0, MTPORT_STATUS_REVIEW},
      {"Future", 0, MTPORT_STATUS_FUTURE},
      {"Spam", 0, MTPORT_STATUS_SPAM}, /* MT 4-5 export it, reject it */
      {"junk", 0, MTPORT_STATUS_SPAM},
      {"Unpublish", 0, MTPORT_STATUS_UNPUBLISH},
      {" UNPUBLISH ", 0, MTPORT_STATUS_UNPUBLISH},
      {"2", 0, MTPORT_STATUS_PUBLISH},
      {"Live", -1, MTPORT_STATUS_UNKNOWN},
      {"", -1, MTPORT_STATUS_UNKNOWN},
  };
  for (size_t i = 0; i < sizeof st / sizeof *st; i++) {
    mtport_status s;
    int rc = mtport_mtt__status(st[i].in, &s);
    CHECK(rc == st[i].rc && s == st[i].s, "status '%s' gave %d/%d", st[i].in,
          rc, (int)s);
  }
}

/* ---- §5.3 dirify and derived basenames ---- */
static void test_dirify(void) {
  static const struct {
    const char *in, *want;
    size_t limit;
  } t[] = {
      {"Hello, World! Caf\xc3\xa9 d\xc3\xa9j\xc3\xa0 vu",
       "hello_world_cafe_deja_vu", 100},
      {"\xc3\x9cn\xc3\xaf"
       "c\xc3\xb6"
       "d\xc3\xa9 \xc3\x86r\xc3\xb8sk\xc3\xb8"
       "bing stra\xc3\x9f"
       "e",
       "unicode_aeroskobing_strasse", 100},
      {"Title with <b>HTML</b> &amp; entities", "title_with_html_entities",
       100},
      {"dash - and_underscore", "dash_-_and_underscore", 100},
      {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "", 100},
      {"\xce\xa9mega \xce\xa8", "mega", 100},
      {"Hello, World! This is a fairly long title for testing",
       "hello_world_this_is_a_fairly_l", 30},
      {"Hello, World! This is a fairly long title for testing",
       "hello_world_thi", 15},
  };
  for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
    char *d = mtport_mtt__dirify(t[i].in, t[i].limit);
    CHECK(S_streq(d, t[i].want), "dirify '%s' gave '%s', want '%s'", t[i].in, d,
          t[i].want);
    free(d);
  }
  char *b = mtport_mtt__derive_basename("  Spring  notes ", NULL, 100);
  CHECK(S_streq(b, "spring_notes"), "derived '%s'", b);
  free(b);
  b = mtport_mtt__derive_basename("", "<p>One <b>two</b> three four five six",
                                  100);
  CHECK(S_streq(b, "one_two_three_four_five"), "derived from body '%s'", b);
  free(b);
  b = mtport_mtt__derive_basename(NULL, NULL, 100);
  CHECK(S_streq(b, "post"), "derived fallback '%s'", b);
  free(b);
  b = mtport_mtt__derive_basename("\xe6\x97\xa5\xe6\x9c\xac", NULL, 100);
  CHECK(S_streq(b, "post"), "derived CJK '%s'", b);
  free(b);
  b = mtport_mtt__derive_basename("A title that is longer than thirty bytes",
                                  NULL, 30);
  CHECK(S_streq(b, "a_title_that_is_longer_than_th"), "limit 30 '%s'", b);
  free(b);
  /* MT's uniqueness suffixes */
  mtport_mtt_names *names;
  mtport_mtt__names_new(&names);
  CHECK(mtport_mtt__names_add(names, "notes") == 1, "add");
  CHECK(mtport_mtt__names_add(names, "notes") == 0, "add twice");
  mtport_mtt__names_add(names, "notes_1");
  b = mtport_mtt__unique_basename(names, "notes");
  CHECK(S_streq(b, "notes_2"), "unique '%s'", b);
  free(b);
  b = mtport_mtt__unique_basename(names, "other");
  CHECK(S_streq(b, "other"), "unique '%s'", b);
  free(b);
  for (int i = 0; i < 500; i++) { /* the table grows */
    b = mtport_mtt__unique_basename(names, "post");
    free(b);
  }
  CHECK(mtport_mtt__names_has(names, "post_499") &&
            !mtport_mtt__names_has(names, "post_500"),
        "500 posts");
  mtport_mtt__names_free(names);
  mtport_mtt__names_free(NULL);
}

/* ---- §5.4 file templates ---- */
static void test_patterns(void) {
  mtport_post *p = mtport_post_new();
  mtport_tm tm = {2009, 4, 5, 19, 15, 7};
  mtport_time_from_local(&p->published, &tm, 0, 0);
  mtport_post_add_category(p, "Garden Tips", NULL, NULL, 1);
  mtport_post_add_author(p, "J Smith", NULL, NULL);
  static const struct {
    const char *pat, *want;
  } t[] = {
      {NULL, "2009/04/spring-garden-notes.html"},
      {"mt4", "2009/04/spring-garden-notes.html"},
      {"%y/%m/%-f.html", "2009/04/spring-garden-notes.html"},
      {"mt3", "2009/04/spring_garden_notes.html"},
      {"archive-id", "archives/000042.html"},
      {"hatena", "entry/spring_garden_notes"},
      {"%y/%m/%d/%-b/%i", "2009/04/05/spring-garden-notes/index.html"},
      {"%-c/%-f", "garden-tips/spring-garden-notes.html"},
      {"%Y%m%d_%h%n%s_%E%x", "090405_191507_42.html"},
      {"%M/%D/%j/%H/%F/%-F/%I/%a", "Apr/5/095/19/spring_garden_notes/"
                                   "spring-garden-notes/index/j_smith"},
      {"//a//%b//", "a/spring_garden_notes"},
  };
  for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
    mtport_buf b = MTPORT_BUF_INIT;
    int rc =
        mtport_mtt__expand_pattern(&b, t[i].pat, p, "spring_garden_notes", 42);
    CHECK(rc == 0 && S_streq(b.data, t[i].want), "pattern '%s' gave '%s'",
          t[i].pat ? t[i].pat : "(default)", b.data);
    mtport_buf_dispose(&b);
  }
  mtport_post_reset(p);
  mtport_buf b = MTPORT_BUF_INIT;
  CHECK(mtport_mtt__expand_pattern(&b, NULL, p, "x", 1) == -1,
        "a post without a date has no URL");
  mtport_buf_dispose(&b);
  mtport_post_free(p);
}

/* ---- time zones ---- */
static void test_tz(void) {
  static const struct {
    const char *spec;
    int y, mo, d, h;
    int off;
  } t[] = {
      {"+09:00", 2009, 1, 1, 0, 540},
      {"-05:30", 2009, 1, 1, 0, -330},
      {"+0100", 2009, 1, 1, 0, 60},
      {"UTC", 2009, 7, 1, 0, 0},
      {"America/New_York", 2009, 1, 15, 12, -300},
      {"America/New_York", 2009, 7, 15, 12, -240},
      {"America/New_York", 2009, 3, 8, 2, -300},  /* in the spring gap */
      {"America/New_York", 2009, 11, 1, 1, -240}, /* overlap: the first */
      {"Europe/Paris", 2005, 8, 1, 12, 120},
      {"Asia/Tokyo", 2003, 4, 3, 12, 540},
      /* past the transitions listed in the file: its POSIX TZ footer */
      {"America/New_York", 2050, 7, 1, 12, -240},
      {"America/New_York", 2050, 1, 15, 12, -300},
      {"America/New_York", 2050, 3, 13, 2, -300}, /* gap on 2nd Sunday */
      {"America/New_York", 2050, 3, 13, 3, -240},
      {"Europe/Paris", 2045, 8, 1, 12, 120},
      {"Europe/Paris", 2045, 10, 29, 12, 60}, /* last Sunday of October */
      {"Australia/Sydney", 2045, 1, 15, 12, 660},
      {"Australia/Sydney", 2045, 7, 15, 12, 600},
  };
  for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
    mtport_tz *tz;
    int rc = mtport_tz__open(&tz, t[i].spec);
    if (rc == MTPORT_ENOTFOUND) { /* no tzdata on this machine */
      fprintf(stderr, "note: zone %s not installed\n", t[i].spec);
      continue;
    }
    CHECK(rc == MTPORT_OK, "tz '%s' rc %d", t[i].spec, rc);
    if (rc != MTPORT_OK)
      continue;
    mtport_tm tm = {t[i].y, t[i].mo, t[i].d, t[i].h, 30, 0};
    int off = mtport_tz__offset_local(tz, &tm);
    CHECK(off == t[i].off, "tz %s at %d-%d-%d %d:30 gave %d, want %d",
          t[i].spec, t[i].y, t[i].mo, t[i].d, t[i].h, off, t[i].off);
    mtport_tz__free(tz);
  }
  static const char *const bad[] = {
      "+25:00",       "+9", "../etc/passwd", "/etc/localtime",
      "No/Such_Zone", "",   "+09:0x"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    mtport_tz *tz = NULL;
    int rc = mtport_tz__open(&tz, bad[i]);
    CHECK(rc != MTPORT_OK && tz == NULL, "tz '%s' accepted", bad[i]);
  }
  mtport_tz__free(NULL);
}

/* ---- encodings ---- */
static void test_encodings(void) {
  static const struct {
    const char *forced, *in, *want;
    unsigned fallback, replaced;
  } t[] = {
      {NULL, "plain ascii", "plain ascii", 0, 0},
      {NULL, "caf\xc3\xa9 ok", "caf\xc3\xa9 ok", 0, 0},
      /* UTF-8 with a stray cp1252 byte: the byte alone is converted */
      {NULL,
       "\xc3\xbc"
       "ber \x93quoted\x94 \xc3\xa9t\xc3\xa9",
       "\xc3\xbc"
       "ber \xe2\x80\x9cquoted\xe2\x80\x9d \xc3\xa9t\xc3\xa9",
       2, 0},
      /* forced encodings apply to every byte */
      {"CP1252", "caf\xe9 \x80", "caf\xc3\xa9 \xe2\x82\xac", 0, 0},
      {"ISO-8859-1", "\xe9", "\xc3\xa9", 0, 0},
      {"UTF-8",
       "a\xff"
       "b",
       "a\xef\xbf\xbd"
       "b",
       0, 1},
      {"GBK", "\xc4\xe3\xba\xc3", "\xe4\xbd\xa0\xe5\xa5\xbd", 0, 0},
  };
  for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
    mtport_enc *e;
    CHECK(mtport_enc__new(&e, t[i].forced) == MTPORT_OK, "enc new");
    mtport_buf out = MTPORT_BUF_INIT;
    mtport_enc_result res;
    mtport_enc__decode(e, t[i].in, strlen(t[i].in), &out, &res);
    CHECK(S_streq(out.data, t[i].want) && res.fallback == t[i].fallback &&
              res.replaced == t[i].replaced,
          "decode #%zu gave '%s' fb %u rep %u", i, out.data, res.fallback,
          res.replaced);
    CHECK(mtport_utf8_valid(out.data, out.len), "decode #%zu not UTF-8", i);
    mtport_buf_dispose(&out);
    mtport_enc__free(e);
  }
  mtport_enc *e = NULL;
  CHECK(mtport_enc__new(&e, "NO-SUCH-ENCODING") == MTPORT_ENOTFOUND && !e,
        "unknown forced encoding accepted");
  /* detection: a long GBK text and a long cp1252 text */
  const char *gbk = "\xbd\xf1\xcc\xec\xce\xd2\xc3\xc7\xd4\xda\xc9\xcf\xba\xa3"
                    "\xb9\xa4\xd7\xf7\xa1\xa3\xcc\xec\xc6\xf8\xba\xdc\xba\xc3"
                    "\xa3\xac\xce\xd2\xc3\xc7\xc8\xa5\xc1\xcb\xb9\xab\xd4\xb0"
                    "\xa1\xa3\xd5\xe2\xca\xc7\xd2\xbb\xb8\xf6\xba\xdc\xb3\xa4"
                    "\xb5\xc4\xd6\xd0\xce\xc4\xbe\xe4\xd7\xd3\xa1\xa3";
  mtport_enc__new(&e, NULL);
  mtport_buf out = MTPORT_BUF_INIT;
  mtport_enc_result res;
  mtport_enc__decode(e, gbk, strlen(gbk), &out, &res);
  CHECK(S_streq(res.encoding, "GB18030") &&
            strncmp(out.data, "\xe4\xbb\x8a\xe5\xa4\xa9", 6) == 0,
        "GBK detected as %s: '%s'", res.encoding, out.data);
  mtport_buf_clear(&out);
  const char *latin = "The caf\xe9 served cr\xe8me br\xfbl\xe9"
                      "e \x96 "
                      "\x93quoted\x94 na\xefve r\xe9sum\xe9 d\xe9j\xe0 vu.";
  mtport_enc__decode(e, latin, strlen(latin), &out, &res);
  CHECK(strstr(out.data, "caf\xc3\xa9") && strstr(out.data, "\xe2\x80\x9c"),
        "cp1252 read as %s: '%s'", res.encoding, out.data);
  mtport_buf_dispose(&out);
  mtport_enc__free(e);

  /* detection of the other East Asian encodings, each from a fresh input */
  static const struct {
    const char *enc, *in, *want;
  } cjk[] = {
      {"CP932", /* Shift_JIS */
       "\x8d\xa1\x93\xfa\x82\xcd\x93\x8c\x8b\x9e\x82\xc5\x89\xef\x8b"
       "c\x82"
       "\xaa\x82\xa0\x82\xe8\x82\xdc\x82\xb5\x82\xbd\x81"
       "B\x93V\x8b"
       "C\x82"
       "\xcd\x82\xc6\x82\xc4\x82\xe0\x97\xc7\x82\xad\x82\xc4\x81"
       "A\x82\xdd"
       "\x82\xf1\x82\xc8\x82\xc5\x8c\xf6\x89\x80\x82\xf0\x8eU\x95\xe0\x82\xb5"
       "\x82\xdc\x82\xb5\x82\xbd\x81"
       "B\x93\xfa\x96{\x8c\xea\x82\xcc\x95\xb6"
       "\x8f\xcd\x82\xf0\x8eg\x82\xc1\x82\xc4\x95\xb6\x8e\x9a\x83R\x81[\x83h"
       "\x82\xf0\x94\xbb\x92\xe8\x82\xb5\x82\xdc\x82\xb7\x81"
       "B",
       "今日は東京で会議がありました。天気はとても良くて、みんなで公園を散歩"
       "しました。日本語の文章を使って文字コードを判定します。"},
      {"EUC-JP",
       "\xba\xa3\xc6\xfc\xa4\xcf\xc5\xec\xb5\xfe\xa4\xc7\xb2\xf1\xb5\xc4\xa4"
       "\xac\xa4\xa2\xa4\xea\xa4\xde\xa4\xb7\xa4\xbf\xa1\xa3\xc5\xb7\xb5\xa4"
       "\xa4\xcf\xa4\xc8\xa4\xc6\xa4\xe2\xce\xc9\xa4\xaf\xa4\xc6\xa1\xa2\xa4"
       "\xdf\xa4\xf3\xa4\xca\xa4\xc7\xb8\xf8\xb1\xe0\xa4\xf2\xbb\xb6\xca\xe2"
       "\xa4\xb7\xa4\xde\xa4\xb7\xa4\xbf\xa1\xa3\xc6\xfc\xcb\xdc\xb8\xec\xa4"
       "\xce\xca\xb8\xbe\xcf\xa4\xf2\xbb\xc8\xa4\xc3\xa4\xc6\xca\xb8\xbb\xfa"
       "\xa5\xb3\xa1\xbc\xa5\xc9\xa4\xf2\xc8\xbd\xc4\xea\xa4\xb7\xa4\xde\xa4"
       "\xb9\xa1\xa3",
       "今日は東京で会議がありました。天気はとても良くて、みんなで公園を散歩"
       "しました。日本語の文章を使って文字コードを判定します。"},
      {"BIG5",
       "\xa4\xb5\xa4\xd1\xa7\xda\xad\xcc\xa6"
       "b\xa5x\xa5_\xa4u\xa7@\xa1"
       "C"
       "\xa4\xd1\xae\xf0\xab\xdc\xa6n\xa1"
       "A\xa7\xda\xad\xcc\xa5h\xa4"
       "F\xa4"
       "\xbd\xb6\xe9\xb4\xb2\xa8"
       "B\xa1"
       "C\xb3o\xacO\xa4@\xad\xd3\xab\xdc\xaa"
       "\xf8\xaa\xba\xa4\xa4\xa4\xe5\xa5y\xa4l\xa1"
       "A\xa5\xce\xa8\xd3\xc0\xcb"
       "\xb4\xfa\xbds\xbdX\xacO\xa7_\xa5\xbf\xbdT\xa1"
       "C",
       "今天我們在台北工作。天氣很好，我們去了公園散步。這是一個很長的中文句"
       "子，用來檢測編碼是否正確。"},
      {"CP949", /* EUC-KR */
       "\xbf\xc0\xb4\xc3\xc0\xba \xbc\xad\xbf\xef\xbf\xa1\xbc\xad \xc8\xb8"
       "\xc0\xc7\xb0\xa1 \xc0\xd6\xbe\xfa\xbd\xc0\xb4\xcf\xb4\xd9. \xb3\xaf"
       "\xbe\xbe\xb0\xa1 \xbe\xc6\xc1\xd6 \xc1\xc1\xbe\xc6\xbc\xad \xb8\xf0"
       "\xb5\xce \xb0\xf8\xbf\xf8\xc0\xbb \xbb\xea\xc3\xa5\xc7\xdf\xbd\xc0"
       "\xb4\xcf\xb4\xd9. \xc7\xd1\xb1\xb9\xbe\xee \xb9\xae\xc0\xe5\xc0\xb8"
       "\xb7\xce \xb9\xae\xc0\xda \xc4\xda\xb5\xe5\xb8\xa6 \xc6\xc7\xc1\xa4"
       "\xc7\xd5\xb4\xcf\xb4\xd9.",
       "오늘은 서울에서 회의가 있었습니다. 날씨가 아주 좋아서 모두 공원을 "
       "산책했습니다. 한국어 문장으로 문자 코드를 판정합니다."},
  };
  for (size_t i = 0; i < sizeof cjk / sizeof *cjk; i++) {
    mtport_enc__new(&e, NULL);
    mtport_buf o2 = MTPORT_BUF_INIT;
    mtport_enc__decode(e, cjk[i].in, strlen(cjk[i].in), &o2, &res);
    CHECK(S_streq(res.encoding, cjk[i].enc) && S_streq(o2.data, cjk[i].want) &&
              !res.fallback && !res.replaced,
          "%s detected as %s: '%s'", cjk[i].enc, res.encoding, o2.data);
    mtport_buf_dispose(&o2);
    mtport_enc__free(e);
  }
}

/* ---- §2.3 records: the splitter ---- */
typedef struct S_recs {
  char dump[4096];
  int n;
} S_recs;

static void S_split(const char *in, size_t n, size_t step, S_recs *out) {
  mtport_mtt_core *c;
  mtport_mtt__core_new(&c);
  memset(out, 0, sizeof *out);
  mtport_mtt_record rec;
  for (size_t i = 0; i < n; i += step) {
    mtport_mtt__core_feed(c, in + i, n - i < step ? n - i : step);
    while (mtport_mtt__core_next(c, &rec)) { /* records come out early */
      size_t l = strlen(out->dump);
      snprintf(out->dump + l, sizeof out->dump - l, "[%lu:%u:%d]%.*s", rec.line,
               rec.merges, rec.orphan, (int)rec.len, rec.text);
      out->n++;
    }
  }
  mtport_mtt__core_finish(c);
  while (mtport_mtt__core_next(c, &rec)) {
    size_t l = strlen(out->dump);
    snprintf(out->dump + l, sizeof out->dump - l, "[%lu:%u:%d]%.*s", rec.line,
             rec.merges, rec.orphan, (int)rec.len, rec.text);
    out->n++;
  }
  mtport_mtt__core_free(c);
}

static void test_splitter(void) {
  static const struct {
    const char *in, *want;
    int n;
  } t[] = {
      {"TITLE: a\n--------\nTITLE: b\n--------\n",
       "[1:0:0]TITLE: a\n[3:0:0]TITLE: b\n", 2},
      /* CRLF, BOM, trailing blanks on the separator */
      {"\xef\xbb\xbfTITLE: a\r\n-------- \r\nTITLE: b\r\n",
       "[1:0:0]TITLE: a\n[3:0:0]TITLE: b\n", 2},
      /* a last record without its separator; blank lines between */
      {"\n\nTITLE: a\n--------\n\n\nTITLE: b",
       "[3:0:0]TITLE: a\n[7:0:0]TITLE: b\n", 2},
      /* a `--------` line in a body: the next record has no header */
      {"TITLE: a\n-----\nBODY:\nx\n--------\n\ny\n-----\n--------\nTITLE: b\n",
       "[1:1:0]TITLE: a\n-----\nBODY:\nx\n--------\n\ny\n-----\n[10:0:0]TITLE: "
       "b\n",
       2},
      /* MT 9.2's TAB-escaped separator is text, not a separator */
      {"TITLE: a\n--------\t\nTITLE: b\n",
       "[1:0:0]TITLE: a\n--------\t\nTITLE: b\n", 1},
      /* longer runs of dashes are text */
      {"TITLE: a\n---------\nx\n", "[1:0:0]TITLE: a\n---------\nx\n", 1},
      /* a file starting with `--------`; junk before any entry */
      {"--------\nTITLE: a\n", "[2:0:0]TITLE: a\n", 1},
      {"junk\n--------\nTITLE: a\n", "[1:0:1]junk\n[3:0:0]TITLE: a\n", 2},
      /* header lines that MT skips ("0", blank) before the first key */
      {"TITLE: a\n--------\n0\nDATE: 1/1/2001 1:1:1\n",
       "[1:0:0]TITLE: a\n[3:0:0]0\nDATE: 1/1/2001 1:1:1\n", 2},
      {"", "", 0},
      {"\n\n--------\n--------\n", "", 0},
      /* classic Mac OS line ends (CR alone) */
      {"TITLE: a\r--------\rTITLE: b\r\rx",
       "[1:0:0]TITLE: a\n[3:0:0]TITLE: b\n\nx\n", 2},
      /* a CR inside a line of an LF file stays (the first line end decides) */
      {"TITLE: a\nb\rc\n", "[1:0:0]TITLE: a\nb\rc\n", 1},
  };
  for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
    S_recs a, b;
    size_t n = strlen(t[i].in);
    S_split(t[i].in, n, n ? n : 1, &a);
    CHECK(a.n == t[i].n && strcmp(a.dump, t[i].want) == 0,
          "split #%zu gave %d '%s'", i, a.n, a.dump);
    for (size_t step = 1; step <= 8; step++) {
      S_split(t[i].in, n, step, &b);
      CHECK(strcmp(a.dump, b.dump) == 0, "split #%zu differs at step %zu", i,
            step);
    }
  }
}

/* ---- sniffing ---- */
static void test_sniff(void) {
  static const struct {
    const char *in;
    const char *fmt; /* NULL: not recognised */
  } t[] = {
      {"AUTHOR: a\nTITLE: b\nDATE: 01/01/2001 01:01:01 AM\n-----\nBODY:\nx\n",
       "mt-text"},
      {"\xef\xbb\xbfTITLE: b\n-----\nBODY:\nx\n", "mt-text"},
      {"\n\nTITLE: b\n", "mt-text"},
      {"<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
       "</feed>",
       "atom"},
      {"hello world\n", NULL},
  };
  for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
    mtport_reader *r = NULL;
    int rc = mtport_reader_open_mem(&r, t[i].in, strlen(t[i].in), "t", NULL);
    if (t[i].fmt)
      CHECK(rc == MTPORT_OK && strcmp(mtport_reader_format(r), t[i].fmt) == 0,
            "sniff #%zu rc %d fmt %s", i, rc,
            r ? mtport_reader_format(r) : "-");
    else
      CHECK(rc == MTPORT_EPARSE, "sniff #%zu accepted", i);
    mtport_reader_free(r);
  }
}

/* ---- whole entries ---- */
typedef struct S_diags {
  char codes[1024];
  unsigned long last_line;
} S_diags;

static void S_diag(const mtport_diag *d, void *ud) {
  S_diags *a = ud;
  size_t l = strlen(a->codes);
  snprintf(a->codes + l, sizeof a->codes - l, "%s%s@%lu", l ? " " : "", d->code,
           d->line);
}

typedef void (*S_check_fn)(const mtport_post *p, const S_diags *d);

static const mtport_post *S_read1(const char *in, mtport_reader_options *o,
                                  mtport_reader **r, S_diags *d) {
  memset(d, 0, sizeof *d);
  o->diag = S_diag;
  o->diag_payload = d;
  o->format = "mt-text";
  const mtport_post *p = NULL;
  if (mtport_reader_open_mem(r, in, strlen(in), "t", o) != MTPORT_OK)
    return NULL;
  if (mtport_reader_next(*r, &p) != 1)
    return NULL;
  return p;
}

static void test_entries(void) {
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  mtport_reader *r = NULL;
  S_diags d;
  const mtport_post *p;

  /* §2.3.4 header: split at the first colon, spaces around it, last wins */
  p = S_read1(
      "TITLE : a: b\nTITLE:x: y\nAUTHOR:me\nAUTHOR EMAIL: me@example.com"
      "\ntitle: lower\nCF50_rating: 5\nIMAGE: http://example.com/i.png"
      "\nno colon here\n-----\n",
      &o, &r, &d);
  CHECK(p && S_streq(p->title, "x: y"), "title '%s'", p ? p->title : "-");
  CHECK(p && p->n_authors == 1 && S_streq(p->authors[0].name, "me") &&
            S_streq(p->authors[0].email, "me@example.com"),
        "author");
  CHECK(p && p->n_extra == 4 && S_streq(p->extra[0].key, "title") &&
            S_streq(p->extra[1].key, "CF50_rating") &&
            S_streq(p->extra[1].value, "5") &&
            S_streq(p->extra[2].key, "IMAGE") &&
            S_streq(p->extra[3].key, "derived_basename") &&
            S_streq(p->extra[3].value, "x_y"),
        "extras (%zu)", p ? p->n_extra : 0);
  CHECK(p && p->basename == NULL, "basename must stay NULL when absent");
  CHECK(p && p->status == MTPORT_STATUS_PUBLISH, "default status");
  CHECK(strstr(d.codes, "header-junk@8") && strstr(d.codes, "no-date@"),
        "diags '%s'", d.codes);
  mtport_reader_free(r);

  /* flags and categories: legacy ALLOW COMMENTS 2, bad ALLOW PINGS; the
   * primary first, duplicates merged */
  p = S_read1("ALLOW COMMENTS: 2\nALLOW PINGS: 3\nCATEGORY: B\nCATEGORY: A\n"
              "PRIMARY CATEGORY: A\nCATEGORY:\nDATE: 1/2/2003 4:05:06 PM\n"
              "STATUS: Bogus\n-----\n",
              &o, &r, &d);
  CHECK(p && p->allow_comments == MTPORT_FLAG_OFF &&
            p->allow_pings == MTPORT_FLAG_UNKNOWN,
        "flags %d %d", p ? (int)p->allow_comments : 9,
        p ? (int)p->allow_pings : 9);
  CHECK(p && p->n_categories == 2 && S_streq(p->categories[0].name, "A") &&
            S_streq(p->categories[1].name, "B"),
        "categories");
  CHECK(p && p->published.has_date && !p->published.has_tz &&
            p->published.epoch == 1041523506,
        "date %lld", p ? (long long)p->published.epoch : 0);
  CHECK(p && p->status == MTPORT_STATUS_UNKNOWN &&
            S_streq(mtport_post_extra(p, "STATUS"), "Bogus"),
        "bad status kept");
  CHECK(strstr(d.codes, "bad-flag@2") && strstr(d.codes, "bad-status@8") &&
            strstr(d.codes, "no-timezone@0"),
        "diags '%s'", d.codes);
  mtport_reader_free(r);

  /* out-of-range dates pass MT's parser but are no date; an empty TITLE is
   * no title; a BOM in the middle (concatenated files) is not part of a key */
  p = S_read1(
      "\xef\xbb\xbfTITLE:\nDATE: 13/45/2002 10:00:00 AM\n-----\n--------\n"
      "\xef\xbb\xbfTITLE: second\n",
      &o, &r, &d);
  CHECK(p && !p->published.has_date && p->title == NULL, "range");
  CHECK(strstr(d.codes, "bad-date@2"), "diags '%s'", d.codes);
  CHECK(r && mtport_reader_next(r, &p) == 1 && S_streq(p->title, "second"),
        "BOM inside the file");
  mtport_reader_free(r);

  /* §2.5 sections: trimmed at the end, indentation kept, empty ones unset,
   * a header with trailing spaces accepted, a repeated section wins */
  p = S_read1("TITLE: s\n-----\nBODY: \n\n  indented\nline  \n\n-----\n"
              "EXTENDED BODY:\n\n-----\nEXCERPT:\n   \n-----\nKEYWORDS:\n"
              "k1\n-----\nKEYWORDS:\nk2\n-----\n",
              &o, &r, &d);
  CHECK(p && S_streq(p->body.text, "\n  indented\nline"), "body '%s'",
        p ? p->body.text : "-");
  CHECK(p && p->body.format == MTPORT_TEXT_CONVERT_BREAKS &&
            p->body.filter == NULL,
        "default filter");
  CHECK(p && !p->more.text && !p->excerpt.text, "empty sections unset");
  CHECK(p && S_streq(p->keywords, "k2"), "keywords '%s'",
        p ? p->keywords : "-");
  mtport_reader_free(r);

  /* an unknown filter: kept by name, noted once per input */
  p = S_read1("TITLE: f\nCONVERT BREAKS: my_filter\n-----\nBODY:\nx\n-----\n"
              "--------\nTITLE: g\nCONVERT BREAKS: my_filter\n-----\n"
              "BODY:\ny\n-----\n",
              &o, &r, &d);
  CHECK(p && p->body.format == MTPORT_TEXT_UNKNOWN &&
            S_streq(p->body.filter, "my_filter"),
        "unknown filter");
  CHECK(r && mtport_reader_next(r, &p) == 1 &&
            p->body.format == MTPORT_TEXT_UNKNOWN,
        "second entry");
  CHECK(strstr(d.codes, "unknown-filter@2") &&
            !strstr(d.codes, "unknown-filter@9"),
        "diags '%s'", d.codes);
  mtport_reader_free(r);

  /* a hand-made file without the `-----` after its header */
  p = S_read1("TITLE: h\nBODY:\nbody text\n-----\nEXCERPT:\nex\n-----\n", &o,
              &r, &d);
  CHECK(p && S_streq(p->body.text, "body text") &&
            S_streq(p->excerpt.text, "ex") && p->n_extra == 1,
        "implicit separator '%s'", p ? p->body.text : "-");
  CHECK(strstr(d.codes, "missing-separator@2"), "diags '%s'", d.codes);
  mtport_reader_free(r);

  /* §2.11 a `-----` line inside a body stays text (MT drops the rest) */
  p = S_read1("TITLE: s\nCONVERT BREAKS: markdown\n-----\nBODY:\na\n-----\nb\n"
              "-----\nEXTENDED BODY:\nm\n-----\n",
              &o, &r, &d);
  CHECK(p && S_streq(p->body.text, "a\n-----\nb") &&
            S_streq(p->more.text, "m") &&
            p->body.format == MTPORT_TEXT_MARKDOWN &&
            S_streq(p->body.filter, "markdown"),
        "body '%s'", p ? p->body.text : "-");
  CHECK(strstr(d.codes, "stray-separator@6"), "diags '%s'", d.codes);
  mtport_reader_free(r);

  /* §2.6 comments and pings: any key order, text from the first non-key
   * line, empty values unset, bad dates reported */
  p = S_read1("TITLE: c\n-----\nCOMMENT:\nDATE: 01/31/2002 15:47:06\n"
              "EMAIL: \nAUTHOR: Foo\nURL: http://example.com/\n"
              "IP: 192.0.2.1\nBody line 1\nURL: not a key now\n-----\n"
              "PING:\nBLOG NAME: Blog\nTITLE: Pinger\nURL: http://example.net/"
              "\nDATE: garbage\n\nexcerpt\n-----\nCOMMENT:\nAUTHOR: Empty\n"
              "-----\n",
              &o, &r, &d);
  CHECK(p && p->n_comments == 3, "comments %zu", p ? p->n_comments : 0);
  if (p && p->n_comments == 3) {
    const mtport_comment *c = &p->comments[0];
    CHECK(c->kind == MTPORT_COMMENT && S_streq(c->author.name, "Foo") &&
              c->author.email == NULL &&
              S_streq(c->author.url, "http://example.com/") &&
              S_streq(c->ip, "192.0.2.1") && c->approved == 1 &&
              c->date.epoch == 1012492026 &&
              S_streq(c->body.text, "Body line 1\nURL: not a key now"),
          "comment 1 '%s'", c->body.text);
    c = &p->comments[1];
    CHECK(c->kind == MTPORT_TRACKBACK && S_streq(c->author.name, "Blog") &&
              S_streq(c->title, "Pinger") &&
              S_streq(c->author.url, "http://example.net/") &&
              !c->date.has_date && S_streq(c->body.text, "excerpt"),
          "ping '%s'", c->body.text);
    CHECK(p->comments[2].body.text == NULL, "empty comment body");
  }
  CHECK(strstr(d.codes, "bad-date@16"), "diags '%s'", d.codes);
  mtport_reader_free(r);

  /* START BODY (pre-3.x), NO ENTRY, UNIQUE URL with a trailing space */
  p = S_read1(
      "TITLE: legacy\nNO ENTRY: 1\nUNIQUE URL: http://example.com/x.html "
      "\nSTART BODY:\nfirst body line\n  second\n",
      &o, &r, &d);
  CHECK(p && S_streq(p->body.text, "first body line\n  second"), "body '%s'",
        p ? p->body.text : "-");
  CHECK(p && S_streq(p->permalink, "http://example.com/x.html") &&
            S_streq(mtport_post_extra(p, "NO ENTRY"), "1"),
        "permalink");
  CHECK(strstr(d.codes, "no-entry@2"), "diags '%s'", d.codes);
  mtport_reader_free(r);

  /* MT 9.2 TAB escapes in every section; KEYWORDS too */
  p = S_read1("TITLE: t\n-----\nBODY:\n-----\t\n--------\t\nx\n-----\n"
              "COMMENT:\nAUTHOR: a\nc\n--------\t\n-----\n",
              &o, &r, &d);
  CHECK(p && S_streq(p->body.text, "-----\n--------\nx"), "body '%s'",
        p ? p->body.text : "-");
  CHECK(p && p->n_comments == 1 &&
            S_streq(p->comments[0].body.text, "c\n--------"),
        "comment");
  mtport_reader_free(r);

  /* custom-field blocks (§2.2): one block of single lines, a multi-line one,
   * and an unknown upper-case section */
  p = S_read1(
      "TITLE: t\n-----\nBODY:\nb\n-----\nCF50_a: 1\nCF50_b: two\n-----\n"
      "CF50_long:\nline 1\n\nline 3\n-----\nPLUGIN DATA:\nxyz\n-----\n",
      &o, &r, &d);
  CHECK(p && S_streq(mtport_post_extra(p, "CF50_a"), "1") &&
            S_streq(mtport_post_extra(p, "CF50_b"), "two") &&
            S_streq(mtport_post_extra(p, "CF50_long"), "line 1\n\nline 3") &&
            S_streq(mtport_post_extra(p, "PLUGIN DATA"), "xyz"),
        "custom fields");
  mtport_reader_free(r);

  /* time zones: IANA with DST, fixed offsets, comments too */
  o.timezone = "America/New_York";
  p = S_read1("TITLE: tz\nDATE: 07/04/2009 12:00:00 PM\n-----\nCOMMENT:\n"
              "DATE: 01/04/2009 12:00:00 PM\nx\n-----\n",
              &o, &r, &d);
  CHECK(p && p->published.has_tz && p->published.offset_min == -240 &&
            p->published.epoch == 1246723200,
        "tz entry %lld %d", p ? (long long)p->published.epoch : 0,
        p ? p->published.offset_min : 0);
  CHECK(p && p->n_comments == 1 && p->comments[0].date.offset_min == -300 &&
            p->comments[0].date.epoch == 1231088400,
        "tz comment");
  CHECK(!strstr(d.codes, "no-timezone"), "no warning with a zone: '%s'",
        d.codes);
  mtport_reader_free(r);
  o.timezone = "+09:00";
  p = S_read1("TITLE: tz\nDATE: 07/04/2009 12:00:00 PM\n-----\n", &o, &r, &d);
  CHECK(p && p->published.offset_min == 540 && p->published.epoch == 1246676400,
        "fixed tz");
  mtport_reader_free(r);
  o.timezone = "Mars/Olympus";
  CHECK(mtport_reader_open_mem(&r, "TITLE: x\n", 9, "t", &o) ==
                MTPORT_EINVALID &&
            r == NULL,
        "unknown zone refused");
  o.timezone = NULL;
  o.input_encoding = "NOPE-8";
  CHECK(mtport_reader_open_mem(&r, "TITLE: x\n", 9, "t", &o) == MTPORT_EINVALID,
        "unknown encoding refused");
  o.input_encoding = NULL;

  /* permalinks from a pattern joined to the site URL */
  o.site_url = "http://example.com/blog";
  p = S_read1("TITLE: Hello World\nDATE: 04/05/2009 07:15:00 PM\n-----\n", &o,
              &r, &d);
  CHECK(p && S_streq(p->permalink,
                     "http://example.com/blog/2009/04/hello-world.html"),
        "permalink '%s'", p ? p->permalink : "-");
  CHECK(S_streq(mtport_reader_site(r)->home_url, "http://example.com/blog"),
        "home_url");
  mtport_reader_free(r);
  o.permalink_pattern = "archive-id";
  p = S_read1("TITLE: A\nDATE: 04/05/2009 07:15:00 PM\n-----\n--------\n"
              "TITLE: B\nBASENAME: b_b\nDATE: 04/05/2009 07:15:00 PM\n-----\n",
              &o, &r, &d);
  CHECK(p && S_streq(p->permalink,
                     "http://example.com/blog/archives/000001.html"),
        "archive-id '%s'", p ? p->permalink : "-");
  CHECK(mtport_reader_next(r, &p) == 1 &&
            S_streq(p->permalink,
                    "http://example.com/blog/archives/000002.html") &&
            S_streq(p->basename, "b_b"),
        "archive-id 2");
  mtport_reader_free(r);
  o.permalink_pattern = NULL;
  o.site_url = NULL;
}

/* --permalinks-from: exact URLs from an Atom feed of the same blog */
static void test_permalinks_from(const char *tmpdir) {
  char path[1024];
  snprintf(path, sizeof path, "%s/mttext_links_atom.xml", tmpdir);
  FILE *f = fopen(path, "w");
  if (!f) {
    CHECK(0, "cannot write %s", path);
    return;
  }
  fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>B</title>"
        "<id>tag:example.com,2009:/blog</id><updated>2009-04-06T00:00:00Z"
        "</updated>"
        "<entry><title>Spring notes</title>"
        "<link rel=\"alternate\" type=\"text/html\" "
        "href=\"http://example.com/old/2009/04/spring.php\"/>"
        "<id>tag:example.com,2009:/blog/1</id>"
        "<published>2009-04-05T19:15:00-04:00</published>"
        "<updated>2009-04-05T19:15:00-04:00</updated>"
        "<content type=\"html\">x</content></entry>"
        "<entry><title type=\"html\">Tips &amp;amp; tricks</title>"
        "<link rel=\"alternate\" type=\"text/html\" "
        "href=\"http://example.com/old/tips.php\"/>"
        "<id>tag:example.com,2009:/blog/2</id>"
        "<published>2009-04-07T10:00:00Z</published>"
        "<updated>2009-04-07T10:00:00Z</updated>"
        "<content type=\"html\">y</content></entry>"
        "</feed>\n",
        f);
  fclose(f);
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  o.permalinks_from = path;
  o.site_url = "http://example.com/blog/";
  mtport_reader *r = NULL;
  S_diags d;
  const char *in = "TITLE: Spring notes\nDATE: 04/05/2009 07:15:00 PM\n-----\n"
                   "--------\nTITLE: Spring notes\n"
                   "DATE: 04/06/2009 07:15:00 PM\n-----\n";
  const mtport_post *p = S_read1(in, &o, &r, &d);
  CHECK(p && S_streq(p->permalink, "http://example.com/old/2009/04/spring.php"),
        "matched permalink '%s' (%s)", p ? p->permalink : "-", d.codes);
  /* the same title on another day falls back to the pattern, with MT's
   * uniqueness suffix on the derived basename */
  CHECK(r && mtport_reader_next(r, &p) == 1 &&
            S_streq(p->permalink,
                    "http://example.com/blog/2009/04/spring-notes-1.html"),
        "unmatched permalink '%s'", p ? p->permalink : "-");
  /* titles compare as text: the feed's entity matches the raw '&' */
  const char *in2 = "TITLE: Tips & tricks\nDATE: 04/07/2009 10:00:00 AM\n";
  mtport_reader *r2 = NULL;
  S_diags d2;
  const mtport_post *p2 = S_read1(in2, &o, &r2, &d2);
  CHECK(p2 && S_streq(p2->permalink, "http://example.com/old/tips.php"),
        "entity title '%s'", p2 ? p2->permalink : "-");
  mtport_reader_free(r2);
  CHECK(strstr(d.codes, "permalinks-loaded") &&
            strstr(d.codes, "no-permalink-match"),
        "diags '%s'", d.codes);
  mtport_reader_free(r);
  /* with the blog's zone the instants are compared */
  o.timezone = "America/New_York";
  p = S_read1(in, &o, &r, &d);
  CHECK(p && S_streq(p->permalink, "http://example.com/old/2009/04/spring.php"),
        "matched with zone '%s'", p ? p->permalink : "-");
  mtport_reader_free(r);
  o.permalinks_from = "/nonexistent/feed.xml";
  CHECK(mtport_reader_open_mem(&r, in, strlen(in), "t", &o) != MTPORT_OK,
        "missing permalinks file refused");
  remove(path);
}

int main(int argc, char **argv) {
  test_dates();
  test_tags();
  test_filters_status();
  test_dirify();
  test_patterns();
  test_tz();
  test_encodings();
  test_splitter();
  test_sniff();
  test_entries();
  test_permalinks_from(argc > 1 ? argv[1] : ".");
  if (S_fail)
    fprintf(stderr, "%d check(s) failed\n", S_fail);
  else
    printf("all mt-text rule checks passed\n");
  return S_fail ? 1 : 0;
}
