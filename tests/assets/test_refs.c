/* Unit tests of the asset layer's text side (src/assets/refs.c,
 * classify.c, urlkey.c, names.c) through the public API, table-driven:
 * references found in HTML and rewritten, kinds, hosts and shapes of
 * URLs, the keys of internal links and their index, old page shapes,
 * stored names. */
#include "../unit/harness.h"
#include "mtport/mtport.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- references --------------------------------------------------------- */

/* Every reference as one line "tag attr url line flags asset link". */
static int S_list(const mtport_html_ref *r, void *p) {
  mtport_buf *b = p;
  /* the byte range holds the URL as written */
  mtport_buf_printf(b, "%s %s %s L%lu", r->tag, r->attr, r->url, r->line);
  if (r->flags & MTPORT_REF_EMBED)
    mtport_buf_puts(b, " E");
  if (r->flags & MTPORT_REF_LINK)
    mtport_buf_puts(b, " A");
  if (r->flags & MTPORT_REF_SRCSET)
    mtport_buf_puts(b, " S");
  if (r->flags & MTPORT_REF_SCRIPT)
    mtport_buf_puts(b, " J");
  if (r->flags & MTPORT_REF_MT_IMAGE)
    mtport_buf_puts(b, " M");
  if (r->flags & MTPORT_REF_IN_LINK)
    mtport_buf_printf(b, " in%zu", r->link);
  else if (r->link != SIZE_MAX)
    mtport_buf_printf(b, " of%zu", r->link);
  if (r->mt_asset_id)
    mtport_buf_printf(b, " #%lld", r->mt_asset_id);
  mtport_buf_putc(b, '\n');
  return 0;
}

static const struct {
  const char *html, *want;
} S_refs[] = {
    {"<p>no refs</p>", ""},
    {"<img src=\"a.jpg\">", "img src a.jpg L1 E\n"},
    {"<IMG SRC='b.png'/>", "img src b.png L1 E\n"},
    {"<img src=c.gif alt=x>", "img src c.gif L1 E\n"},
    /* unquoted: the '/' belongs to the value, as in HTML */
    {"<img src=c.gif/>", "img src c.gif/ L1 E\n"},
    {"<img\nsrc\n=\n\"d.jpg\"\n>", "img src d.jpg L4 E\n"},
    {"<img src=\"  spaced.jpg \t\">", "img src spaced.jpg L1 E\n"},
    {"<img src=\"\">", ""},
    /* only the first of repeated attributes counts */
    {"<img src=one.jpg src=two.jpg>", "img src one.jpg L1 E\n"},
    /* character references */
    {"<a href=\"x.php?a=1&amp;b=2&#38;c=3&#x26;d&copy;e&notanentity;f\">",
     "a href x.php?a=1&b=2&c=3&d\xc2\xa9"
     "e&notanentity;f L1 A\n"},
    {"<a href=\"&copy\">", "a href &copy L1 A\n"},
    {"<a href=\"&#0;&#xD800;&#1114112;\">",
     "a href \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd L1 A\n"},
    /* srcset candidates */
    {"<img srcset=\"a.jpg 1x, b.jpg 2x,c.jpg 640w\">",
     "img srcset a.jpg L1 E S\nimg srcset b.jpg L1 E S\n"
     "img srcset c.jpg L1 E S\n"},
    /* without a space a comma is part of the URL, as the spec reads it */
    {"<source srcset=\"a.webp,b.webp\" src=\"c.jpg\">",
     "source srcset a.webp,b.webp L1 E S\nsource src c.jpg L1 E\n"},
    {"<source srcset=\"a.webp, b.webp\">",
     "source srcset a.webp L1 E S\nsource srcset b.webp L1 E S\n"},
    {"<img srcset=\"x.jpg (max-width: 1,2) , y.jpg\">",
     "img srcset x.jpg L1 E S\nimg srcset y.jpg L1 E S\n"},
    /* media and plug-ins */
    {"<video src=v.mp4 poster=p.jpg><source src=v.webm></video>",
     "video src v.mp4 L1 E\nvideo poster p.jpg L1 E\nsource src v.webm L1 E\n"},
    {"<audio src=a.mp3></audio>", "audio src a.mp3 L1 E\n"},
    {"<object data=o.swf><param name=movie value=o.swf>"
     "<param name=quality value=high></object><embed src=e.swf>",
     "object data o.swf L1 E\nparam value o.swf L1 E\nembed src e.swf L1 E\n"},
    {"<param value=first.swf name=\"Movie\">", "param value first.swf L1 E\n"},
    {"<area href=\"map.html\">", "area href map.html L1 A\n"},
    /* links, and what sits inside them */
    {"<a href=big.jpg><img src=small.jpg></a><img src=out.jpg>",
     "a href big.jpg L1 A\nimg src small.jpg L1 E in0\nimg src out.jpg L1 E\n"},
    {"<a href=one><a href=two><img src=i.jpg></a>",
     "a href one L1 A\na href two L1 A\nimg src i.jpg L1 E in1\n"},
    {"<a name=x><img src=i.jpg></a>", "img src i.jpg L1 E\n"},
    /* MT's pop-up link and its image classes */
    {"<a href=\"p.html\" onclick=\"window.open('p.html','popup','w=1'); "
     "return false\"><img src=\"t.jpg\" class=\"mt-image-left\"></a>",
     "a href p.html L1 A\na onclick p.html L1 A J of0\n"
     "img src t.jpg L1 E M in0\n"},
    {"<a onclick=\"window.open(this.href); return false\" href=q.jpg>x</a>",
     "a href q.jpg L1 A\n"},
    {"<a onclick=\"window.open('a\\'b')\" href=q.jpg>", "a href q.jpg L1 A\n"},
    /* MT's asset wrappers */
    {"<form mt:asset-id=\"12\" class=\"mt-enclosure\"><span><img "
     "src=a.jpg></span></form><img src=b.jpg>",
     "img src a.jpg L1 E #12\nimg src b.jpg L1 E\n"},
    {"<span mt:asset-id='7'><a href=f.pdf>f</a></span>",
     "a href f.pdf L1 A #7\n"},
    /* comments, raw text, CDATA, declarations */
    {"<!-- <img src=hidden.jpg> --><img src=shown.jpg>",
     "img src shown.jpg L1 E\n"},
    {"<!-- x --!><img src=after.jpg>", "img src after.jpg L1 E\n"},
    {"<!--> <img src=c.jpg> --><img src=d.jpg>", "img src d.jpg L1 E\n"},
    {"<!-- never closed <img src=x.jpg>", ""},
    {"<script>var s='<img src=\"s.jpg\">';</script><img src=t.jpg>",
     "img src t.jpg L1 E\n"},
    {"<STYLE>p{background:url(s.jpg)}</style ><img src=u.jpg>",
     "img src u.jpg L1 E\n"},
    {"<![CDATA[<img src=in-cdata.jpg>]]>", "img src in-cdata.jpg L1 E\n"},
    {"<!DOCTYPE html><?pi <img src=pi.jpg>?>", "img src pi.jpg L1 E\n"},
    {"a < b and <3 <img src=ok.jpg>", "img src ok.jpg L1 E\n"},
    /* a tag never closed is dropped by browsers: nothing reported */
    {"<img src=\"x.jpg\"", ""},
    {"<img src=\"x.jpg", ""},
    {"<img src=x.jpg alt='open", ""},
    /* attributes of other tags and end tags */
    {"<iframe src=page.html></iframe><link href=s.css><p data=x.jpg>"
     "</a href=y.jpg>",
     ""},
    {"l1\nl2\n<img src=a.jpg>\n\n<img\nsrc=b.jpg>",
     "img src a.jpg L3 E\nimg src b.jpg L6 E\n"},
};

static void test_refs(void) {
  for (size_t i = 0; i < sizeof S_refs / sizeof *S_refs; i++) {
    mtport_buf got = MTPORT_BUF_INIT;
    int rc =
        mtport_html_refs(S_refs[i].html, strlen(S_refs[i].html), S_list, &got);
    CHECK_INT(rc, MTPORT_OK);
    if (strcmp(got.data ? got.data : "", S_refs[i].want) != 0)
      fprintf(stderr, "case %zu: %s\n", i, S_refs[i].html);
    CHECK_STR(got.data ? got.data : "", S_refs[i].want);
    mtport_buf_dispose(&got);
  }
  CHECK_INT(mtport_html_refs("<img src=a>", 11, NULL, NULL), MTPORT_EINVALID);
}

/* Records the byte ranges; stops at the second reference. */
static int S_ranges(const mtport_html_ref *r, void *p) {
  mtport_buf *b = p;
  mtport_buf_printf(b, "[%zu,%zu)", r->start, r->end);
  return r->index == 1 ? -42 : 0;
}

static void test_ranges(void) {
  const char *h = "<a href=\" x&amp;y \"><img src=z.png><img src=w.png>";
  mtport_buf b = MTPORT_BUF_INIT;
  CHECK_INT(mtport_html_refs(h, strlen(h), S_ranges, &b), -42);
  CHECK_STR(b.data, "[10,17)[29,34)");
  mtport_buf_dispose(&b);
  CHECK_INT(mtport_html_refs(NULL, 0, S_ranges, &b), MTPORT_OK);
}

/* ---- rewriting ---------------------------------------------------------- */

/* Replaces every URL containing "old" by "NEW<url>" with the replacement
 * text of the table entry. */
typedef struct {
  const char *repl;
} S_rw;

static int S_rewrite(const mtport_html_ref *r, mtport_buf *url, void *p) {
  const S_rw *rw = p;
  if (!strstr(r->url, "old"))
    return 0;
  mtport_buf_puts(url, rw->repl ? rw->repl : "new");
  return 1;
}

static const struct {
  const char *html, *repl, *want;
} S_rewrites[] = {
    {"<img src=\"old.jpg\" alt=\"old\">", "n.jpg",
     "<img src=\"n.jpg\" alt=\"old\">"},
    {"<img src='old.jpg'>", "it's \"q\".jpg", "<img src='it&#39;s \"q\".jpg'>"},
    {"<img src=\"old.jpg\">", "a&b<c>\"d\".jpg",
     "<img src=\"a&amp;b&lt;c&gt;&quot;d&quot;.jpg\">"},
    /* an unquoted value is quoted */
    {"<img src=old.jpg alt=x>", "n m.jpg", "<img src=\"n m.jpg\" alt=x>"},
    {"<img srcset=old.jpg>", "n,m.jpg", "<img srcset=\"n%2Cm.jpg\">"},
    /* srcset: each candidate, descriptors kept */
    {"<img srcset=\"old1.jpg 1x, keep.jpg 2x, old2.jpg 3x\">", "a b,c.jpg",
     "<img srcset=\"a%20b%2Cc.jpg 1x, keep.jpg 2x, a%20b%2Cc.jpg 3x\">"},
    /* entities in the old value go with it */
    {"<a href=\"old.php?a=1&amp;b=2\">x</a>", "/new/?a=1&b=2",
     "<a href=\"/new/?a=1&amp;b=2\">x</a>"},
    /* the pop-up's script string */
    {"<a href=\"old.html\" onclick=\"window.open('old.html','p'); return "
     "false\">",
     "/i/it's.jpg",
     "<a href=\"/i/it's.jpg\" onclick=\"window.open('/i/it%27s.jpg','p'); "
     "return false\">"},
    /* control characters never go out raw; invalid UTF-8 is repaired */
    {"<img src=\"old.jpg\">", "a\tb\x01.jpg", "<img src=\"a%09b%01.jpg\">"},
    {"<img src=\"old.jpg\">", "caf\xe9.jpg",
     "<img src=\"caf\xef\xbf\xbd.jpg\">"},
    /* everything else byte for byte */
    {"<p>\xc3\xa9 <!-- <img src=old.jpg> --> <b>old</b></p>", "x",
     "<p>\xc3\xa9 <!-- <img src=old.jpg> --> <b>old</b></p>"},
    {"<img src=\"old.jpg\"", "x", "<img src=\"old.jpg\""},
    {"", "x", ""},
};

static void test_rewrite(void) {
  for (size_t i = 0; i < sizeof S_rewrites / sizeof *S_rewrites; i++) {
    mtport_buf out = MTPORT_BUF_INIT;
    S_rw rw = {S_rewrites[i].repl};
    mtport_buf_puts(&out, "prefix:");
    int rc = mtport_html_rewrite(&out, S_rewrites[i].html,
                                 strlen(S_rewrites[i].html), S_rewrite, &rw);
    CHECK_INT(rc, MTPORT_OK);
    CHECK(strncmp(out.data, "prefix:", 7) == 0);
    CHECK_STR(out.data + 7, S_rewrites[i].want);
    CHECK(mtport_utf8_valid(out.data, out.len));
    mtport_buf_dispose(&out);
  }
}

/* Rewriting each URL to itself gives the input back (unquoted values
 * are quoted, so the inputs here quote theirs). */
static int S_same(const mtport_html_ref *r, mtport_buf *url, void *p) {
  (void)p;
  mtport_buf_append(url, r->url, r->url_len);
  return 1;
}

static int S_stop(const mtport_html_ref *r, mtport_buf *url, void *p) {
  (void)r, (void)url, (void)p;
  return -7;
}

static void test_rewrite_identity(void) {
  const char *h = "<a href=\"a.html\"><img src=\"b.jpg\" srcset=\"c.jpg 1x, "
                  "d.jpg 2x\" class=\"mt-image-left\"></a><video "
                  "src='v.mp4' poster='p.png'></video>";
  mtport_buf out = MTPORT_BUF_INIT;
  CHECK_INT(mtport_html_rewrite(&out, h, strlen(h), S_same, NULL), MTPORT_OK);
  CHECK_STR(out.data, h);
  /* a failing callback leaves the buffer as it was */
  mtport_buf_clear(&out);
  mtport_buf_puts(&out, "kept");
  CHECK_INT(mtport_html_rewrite(&out, h, strlen(h), S_stop, NULL), -7);
  CHECK_STR(out.data, "kept");
  mtport_buf_dispose(&out);
}

/* Linear time: 20 MB of hostile shapes take about as long per byte as
 * 2 MB (a quadratic scanner would take 100 times longer). */
static double S_time_refs(const char *unit, size_t reps) {
  mtport_buf h = MTPORT_BUF_INIT;
  size_t n = strlen(unit);
  for (size_t i = 0; i < reps; i++)
    mtport_buf_append(&h, unit, n);
  mtport_buf got = MTPORT_BUF_INIT;
  clock_t t0 = clock();
  mtport_html_refs(h.data, h.len, S_list, &got);
  mtport_buf_clear(&got);
  mtport_html_rewrite(&got, h.data, h.len, S_rewrite, &(S_rw){"n"});
  double dt = (double)(clock() - t0) / CLOCKS_PER_SEC;
  mtport_buf_dispose(&h);
  mtport_buf_dispose(&got);
  return dt;
}

static void test_linear(void) {
  static const char *const units[] = {
      "<img src=old.jpg srcset=\"old.jpg 1x,old.jpg 2x\">",
      "<a href=old.html onclick=\"window.open('old.html')\">",
      "<!-- - -- -!> <", /* one comment never closed */
      "<a x=\"",         /* one quote never closed */
      "<img ",           /* one tag never closed */
      "<script>< /scrip",
      "&#x&#&amp;&lt",
      "<form mt:asset-id=1><span><span>",
  };
  for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
    double small = S_time_refs(units[i], 40000);
    double big = S_time_refs(units[i], 400000);
    if (big > 0.05 && big > 25 * (small + 0.002))
      fprintf(stderr, "unit %zu: %.3f s for 10x the input of %.3f s\n", i, big,
              small);
    CHECK(big <= 0.05 || big <= 25 * (small + 0.002));
  }
}

/* ---- kinds -------------------------------------------------------------- */

static void test_kinds(void) {
  static const struct {
    const char *url;
    mtport_asset_kind kind;
  } urls[] = {
      {"http://x/a.JPG", MTPORT_ASSET_IMAGE},
      {"http://x/a.jpeg?w=2#f", MTPORT_ASSET_IMAGE},
      {"/a/b.webp", MTPORT_ASSET_IMAGE},
      {"b.svg", MTPORT_ASSET_IMAGE},
      {"http://x/doc.pdf", MTPORT_ASSET_DOCUMENT},
      {"http://x/song.mp3", MTPORT_ASSET_AUDIO},
      {"http://x/clip.MOV", MTPORT_ASSET_VIDEO},
      {"http://x/old.swf", MTPORT_ASSET_VIDEO},
      {"http://x/a.tar.gz", MTPORT_ASSET_ARCHIVE},
      {"http://x/a.docx", MTPORT_ASSET_OFFICE},
      {"http://x/table.csv", MTPORT_ASSET_OFFICE},
      {"http://x/my%20photo.png", MTPORT_ASSET_IMAGE},
      {"http://x/a%2Epng", MTPORT_ASSET_IMAGE},
      {"http://x/page.html", MTPORT_ASSET_NONE},
      {"http://x/page.php?img=a.jpg", MTPORT_ASSET_NONE},
      {"http://x/dir.jpg/", MTPORT_ASSET_NONE},
      {"http://x/.png", MTPORT_ASSET_NONE},
      {"http://x/", MTPORT_ASSET_NONE},
      {"http://x", MTPORT_ASSET_NONE},
      {"", MTPORT_ASSET_NONE},
  };
  for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
    if (mtport_asset_kind_of_url(urls[i].url) != urls[i].kind)
      fprintf(stderr, "kind of %s\n", urls[i].url);
    CHECK_INT(mtport_asset_kind_of_url(urls[i].url), urls[i].kind);
  }
  CHECK_INT(mtport_asset_kind_of_url(NULL), MTPORT_ASSET_NONE);
  static const struct {
    const char *mime, *ext;
    mtport_asset_kind kind;
  } mimes[] = {
      {"image/jpeg", "jpg", MTPORT_ASSET_IMAGE},
      {"IMAGE/PNG; charset=binary", "png", MTPORT_ASSET_IMAGE},
      {"image/x-unknown", NULL, MTPORT_ASSET_IMAGE},
      {"application/pdf", "pdf", MTPORT_ASSET_DOCUMENT},
      {"audio/mpeg", "mp3", MTPORT_ASSET_AUDIO},
      {"video/quicktime", "mov", MTPORT_ASSET_VIDEO},
      {"application/zip", "zip", MTPORT_ASSET_ARCHIVE},
      {"application/msword", "doc", MTPORT_ASSET_OFFICE},
      {"text/html", NULL, MTPORT_ASSET_NONE},
      {"application/octet-stream", NULL, MTPORT_ASSET_NONE},
  };
  for (size_t i = 0; i < sizeof mimes / sizeof *mimes; i++) {
    CHECK_INT(mtport_asset_kind_of_mime(mimes[i].mime), mimes[i].kind);
    CHECK_STR(mtport_asset_ext_of_mime(mimes[i].mime), mimes[i].ext);
  }
  CHECK_STR(mtport_asset_kind_name(MTPORT_ASSET_OFFICE), "office");
  CHECK_STR(mtport_asset_kind_name((mtport_asset_kind)99), "none");
  static const struct {
    const char *head;
    size_t n;
    const char *mime;
  } heads[] = {
      {"\x89PNG\r\n\x1a\n....", 12, "image/png"},
      {"\xff\xd8\xff\xe0", 4, "image/jpeg"},
      {"GIF89a..", 8, "image/gif"},
      {"RIFF....WEBPVP8 ", 16, "image/webp"},
      {"%PDF-1.4", 8, "application/pdf"},
      {"\0\0\0\x18"
       "ftypisom",
       12, "video/mp4"},
      {"  <?xml version='1.0'?><svg>", 28, "image/svg+xml"},
      {"<html>", 6, NULL},
      {"\xff\xd8", 2, NULL},
      {"", 0, NULL},
  };
  for (size_t i = 0; i < sizeof heads / sizeof *heads; i++)
    CHECK_STR(mtport_asset_sniff(heads[i].head, heads[i].n), heads[i].mime);
}

/* ---- hosts and shapes --------------------------------------------------- */

static void test_hosts(void) {
  mtport_asset_hosts *h = NULL;
  CHECK_INT(mtport_asset_hosts_new(&h), MTPORT_OK);
  CHECK_INT(mtport_asset_hosts_add(h, "http://www.Example.com/blog/"),
            MTPORT_OK);
  CHECK_INT(mtport_asset_hosts_add(h, "static.example.net"), MTPORT_OK);
  CHECK_INT(mtport_asset_hosts_add(h, "cdn.example.org:8080"), MTPORT_OK);
  CHECK_INT(mtport_asset_hosts_add(h, "example.com"), MTPORT_OK);
  CHECK_INT(mtport_asset_hosts_add(h, "/just/a/path"), MTPORT_EINVALID);
  CHECK_INT(mtport_asset_hosts_add(h, NULL), MTPORT_EINVALID);
  static const struct {
    const char *url;
    mtport_host_class c;
  } cases[] = {
      {"http://example.com/x.jpg", MTPORT_HOST_OWN},
      {"https://WWW.EXAMPLE.COM./x.jpg", MTPORT_HOST_OWN},
      {"http://example.com:80/x.jpg", MTPORT_HOST_OWN},
      {"https://example.com:443/x.jpg", MTPORT_HOST_OWN},
      {"http://example.com:8000/x.jpg", MTPORT_HOST_EXTERNAL},
      {"http://user:pw@example.com/x.jpg", MTPORT_HOST_OWN},
      {"//static.example.net/y.png", MTPORT_HOST_OWN},
      {"http://cdn.example.org:8080/z", MTPORT_HOST_OWN},
      {"http://cdn.example.org/z", MTPORT_HOST_EXTERNAL},
      {"http://sub.example.com/x.jpg", MTPORT_HOST_EXTERNAL},
      {"http://notexample.com/x.jpg", MTPORT_HOST_EXTERNAL},
      {"/blog/a.jpg", MTPORT_HOST_OWN},
      {"a.jpg", MTPORT_HOST_OWN},
      {"mailto:a@example.com", MTPORT_HOST_EXTERNAL},
      {"data:image/png;base64,xx", MTPORT_HOST_EXTERNAL},
      {"ftp://example.com/x.jpg", MTPORT_HOST_EXTERNAL},
      {"http://blog.typepad.com/.a/x", MTPORT_HOST_KNOWN},
      {"http://a1.typepad.com/6a0-pi", MTPORT_HOST_KNOWN},
      {"http://typepad.com/x", MTPORT_HOST_KNOWN},
      {"http://x.typepad.jp/x.jpg", MTPORT_HOST_KNOWN},
      {"http://someone.blogs.com/photos/a.jpg", MTPORT_HOST_KNOWN},
      {"http://blogs.com/a.jpg", MTPORT_HOST_EXTERNAL},
      {"http://nottypepad.com/a.jpg", MTPORT_HOST_EXTERNAL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    if (mtport_asset_hosts_class(h, cases[i].url) != cases[i].c)
      fprintf(stderr, "host of %s\n", cases[i].url);
    CHECK_INT(mtport_asset_hosts_class(h, cases[i].url), cases[i].c);
  }
  CHECK_INT(mtport_asset_hosts_class(NULL, "http://example.com/x.jpg"),
            MTPORT_HOST_EXTERNAL);
  mtport_asset_hosts_free(h);
  mtport_asset_hosts_free(NULL);
}

#define XID "6a00d8341c5f3a53ef0120a5e8d9ec970b"

static void test_shapes(void) {
  static const struct {
    const char *url;
    mtport_asset_kind kind;
    unsigned shape;
    long long id;
    const char *target, *xid, *variant;
  } cases[] = {
      {"http://b.typepad.com/.a/" XID "-pi", MTPORT_ASSET_IMAGE,
       MTPORT_SHAPE_TYPEPAD_ASSET, 0, NULL, XID, "pi"},
      {"http://b.typepad.com/.a/" XID "-800wi?x=1#f", MTPORT_ASSET_IMAGE,
       MTPORT_SHAPE_TYPEPAD_ASSET, 0, "http://b.typepad.com/.a/" XID "-pi", XID,
       "800wi"},
      {"http://b.example.com/blog/.a/" XID "-250si", MTPORT_ASSET_IMAGE,
       MTPORT_SHAPE_TYPEPAD_ASSET, 0, "http://b.example.com/blog/.a/" XID "-pi",
       XID, "250si"},
      {"http://a1.typepad.com/" XID "-120si", MTPORT_ASSET_IMAGE,
       MTPORT_SHAPE_TYPEPAD_ASSET, 0, "http://a1.typepad.com/" XID "-pi", XID,
       "120si"},
      /* not an xid: too short, or an odd variant */
      {"http://b.typepad.com/.a/6a00-pi", MTPORT_ASSET_NONE, 0, 0, NULL, NULL,
       NULL},
      {"http://b.typepad.com/.a/" XID "-big", MTPORT_ASSET_NONE, 0, 0, NULL,
       NULL, NULL},
      {"http://b.typepad.com/" XID "-pi", MTPORT_ASSET_NONE, 0, 0, NULL, NULL,
       NULL},
      {"http://b.typepad.com/photos/uncategorized/lake.jpg", MTPORT_ASSET_IMAGE,
       MTPORT_SHAPE_TYPEPAD_PHOTO, 0, NULL, NULL, NULL},
      {"http://b.typepad.com/blog/.shared/image.html?/photos/uncategorized/"
       "lake.jpg",
       MTPORT_ASSET_IMAGE, MTPORT_SHAPE_POPUP, 0,
       "http://b.typepad.com/blog/photos/uncategorized/lake.jpg", NULL, NULL},
      {"http://example.com/blog/assets_c/2009/04/tea-thumb-120x90-12.jpg",
       MTPORT_ASSET_IMAGE, MTPORT_SHAPE_MT_THUMB, 12, NULL, NULL, NULL},
      {"http://example.com/assets_c/2010/11/my-pic-thumb-autox75-9876.png",
       MTPORT_ASSET_IMAGE, MTPORT_SHAPE_MT_THUMB, 9876, NULL, NULL, NULL},
      {"http://example.com/blog/assets_c/2009/04/temple-13.html",
       MTPORT_ASSET_IMAGE, MTPORT_SHAPE_POPUP, 13, NULL, NULL, NULL},
      /* not MT's cache: no date folders, no id */
      {"http://example.com/assets_c/tea-thumb-1x1-12.jpg", MTPORT_ASSET_IMAGE,
       0, 0, NULL, NULL, NULL},
      {"http://example.com/assets_c/2009/04/tea.jpg", MTPORT_ASSET_IMAGE, 0, 0,
       NULL, NULL, NULL},
      {"http://example.com/blog/2009/04/post-12.html", MTPORT_ASSET_NONE, 0, 0,
       NULL, NULL, NULL},
      {"mailto:x@example.com", MTPORT_ASSET_NONE, 0, 0, NULL, NULL, NULL},
  };
  mtport_asset_hosts *h = NULL;
  mtport_asset_hosts_new(&h);
  mtport_asset_hosts_add(h, "example.com");
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    mtport_asset_url u;
    CHECK_INT(mtport_asset_url_classify(h, cases[i].url, &u), MTPORT_OK);
    if (u.kind != cases[i].kind || u.shape != cases[i].shape)
      fprintf(stderr, "shape of %s: kind %d shape %u\n", cases[i].url, u.kind,
              u.shape);
    CHECK_INT(u.kind, cases[i].kind);
    CHECK_INT(u.shape, cases[i].shape);
    CHECK_INT(u.mt_asset_id, cases[i].id);
    CHECK_STR(u.target, cases[i].target);
    CHECK_STR(u.xid, cases[i].xid);
    CHECK_STR(u.variant, cases[i].variant);
    mtport_asset_url_dispose(&u);
  }
  mtport_asset_url u;
  CHECK_INT(mtport_asset_url_classify(h, NULL, &u), MTPORT_EINVALID);
  mtport_asset_url_dispose(NULL);
  mtport_asset_hosts_free(h);
}

/* ---- internal links ----------------------------------------------------- */

static void test_urlkey(void) {
  static const struct {
    const char *url, *base, *key, *frag;
  } cases[] = {
      {"http://example.com/blog/2009/04/a.html", NULL,
       "example.com/blog/2009/04/a", ""},
      {"https://www.Example.com:443/blog/2009/04/a.php#c1", NULL,
       "example.com/blog/2009/04/a", "c1"},
      {"http://example.com/blog/2009/04/a/index.html", NULL,
       "example.com/blog/2009/04/a", ""},
      {"http://example.com/blog/2009/04/a/", NULL, "example.com/blog/2009/04/a",
       ""},
      {"http://example.com/blog/2009/04/a.shtml", NULL,
       "example.com/blog/2009/04/a", ""},
      {"http://example.com/blog/2009/04/a.htm", NULL,
       "example.com/blog/2009/04/a", ""},
      {"http://example.com/blog/2009/04/a/index.php", NULL,
       "example.com/blog/2009/04/a", ""},
      {"http://EXAMPLE.COM:80//blog//2009/./04/../04/a.HTML", NULL,
       "example.com/blog/2009/04/a", ""},
      {"http://example.com/blog/2009/04/hello%2dkyoto.html", NULL,
       "example.com/blog/2009/04/hello-kyoto", ""},
      {"http://example.com/blog/caf%c3%a9.html", NULL,
       "example.com/blog/caf\xc3\xa9", ""},
      {"http://example.com/blog/caf\xc3\xa9.html", NULL,
       "example.com/blog/caf\xc3\xa9", ""},
      {"http://example.com/blog/a%2fb.html", NULL, "example.com/blog/a%2Fb",
       ""},
      {"http://example.com/blog/a b.html", NULL, "example.com/blog/a%20b", ""},
      {"http://example.com/blog/%e9.html", NULL, "example.com/blog/%E9", ""},
      {"http://example.com/", NULL, "example.com", ""},
      {"http://example.com", NULL, "example.com", ""},
      {"http://example.com/index.html", NULL, "example.com", ""},
      {"http://example.com:8080/a", NULL, "example.com:8080/a", ""},
      {"http://example.com/mt-search.cgi?tag=a%20b&blog_id=1", NULL,
       "example.com/mt-search.cgi?tag=a%20b&blog_id=1", ""},
      {"http://example.com/archives/000123.html", NULL,
       "example.com/archives/000123", ""},
      {"http://example.com/a/b.jpg", NULL, "example.com/a/b.jpg", ""},
      /* relative and root-relative, against the post's own URL */
      {"../04/a.html#x", "http://example.com/blog/2009/05/b.html",
       "example.com/blog/2009/04/a", "x"},
      {"/blog/2009/04/a/", "http://example.com/blog/2009/05/b.html",
       "example.com/blog/2009/04/a", ""},
      {"a.html", "http://www.example.com/blog/2009/05/",
       "example.com/blog/2009/05/a", ""},
      {"//example.com/blog/x.html", NULL, "example.com/blog/x", ""},
      {"#top", "http://example.com/blog/p.html", "example.com/blog/p", "top"},
      {"  http://example.com/a.html", NULL, "example.com/a", ""},
  };
  mtport_buf key = MTPORT_BUF_INIT, frag = MTPORT_BUF_INIT;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    int rc = mtport_url_key(&key, cases[i].url, cases[i].base, &frag);
    CHECK_INT(rc, MTPORT_OK);
    if (rc == MTPORT_OK && strcmp(key.data, cases[i].key) != 0)
      fprintf(stderr, "key of %s\n", cases[i].url);
    CHECK_STR(key.data, cases[i].key);
    CHECK_STR(frag.data ? frag.data : "", cases[i].frag);
  }
  CHECK_INT(mtport_url_key(&key, "/relative/only", NULL, NULL),
            MTPORT_EINVALID);
  CHECK_INT(mtport_url_key(&key, "mailto:a@b", NULL, NULL), MTPORT_EINVALID);
  CHECK_INT(mtport_url_key(&key, NULL, NULL, NULL), MTPORT_EINVALID);
  mtport_buf_dispose(&key);
  mtport_buf_dispose(&frag);
}

static void test_linkindex(void) {
  mtport_link_index *ix = NULL;
  CHECK_INT(mtport_link_index_new(&ix), MTPORT_OK);
  CHECK_INT(mtport_link_index_add(ix,
                                  "http://example.com/blog/2009/04/"
                                  "hello-kyoto.html",
                                  MTPORT_LINK_POST, 101, NULL, NULL),
            1);
  CHECK_INT(mtport_link_index_add(ix, "http://example.com/blog/travel/",
                                  MTPORT_LINK_CATEGORY, 3, NULL, NULL),
            1);
  mtport_link_kind pk = MTPORT_LINK_NONE;
  uint64_t pv = 0;
  /* the same key again: the first stays */
  CHECK_INT(mtport_link_index_add(ix,
                                  "https://www.example.com/blog/2009/04/"
                                  "hello-kyoto/",
                                  MTPORT_LINK_POST, 999, &pk, &pv),
            0);
  CHECK_INT(pk, MTPORT_LINK_POST);
  CHECK_INT(pv, 101);
  CHECK_INT(
      mtport_link_index_add(ix, "/no/host", MTPORT_LINK_POST, 1, NULL, NULL),
      MTPORT_EINVALID);
  CHECK_INT(mtport_link_index_add(ix, "http://x/", MTPORT_LINK_POST,
                                  (uint64_t)1 << 56, NULL, NULL),
            MTPORT_EINVALID);
  static const char *const forms[] = {
      "http://example.com/blog/2009/04/hello-kyoto.html",
      "https://example.com/blog/2009/04/hello-kyoto.php",
      "../04/hello-kyoto.html",
      "/blog/2009/04/hello-kyoto/",
      "http://example.com/blog/2009/04/hello%2Dkyoto.shtml",
      "http://EXAMPLE.com:80/blog/2009/04/hello-kyoto.htm",
      "/blog/2009/04/hello-kyoto/index.html#top",
      "http://www.example.com/blog/2009/04/hello-kyoto",
  };
  mtport_buf frag = MTPORT_BUF_INIT;
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
    mtport_link_kind k = MTPORT_LINK_NONE;
    uint64_t v = 0;
    int rc = mtport_link_index_find(
        ix, forms[i], "http://example.com/blog/2009/05/soup-notes.html", &k, &v,
        &frag);
    if (rc != 1)
      fprintf(stderr, "form %s not found\n", forms[i]);
    CHECK_INT(rc, 1);
    CHECK_INT(k, MTPORT_LINK_POST);
    CHECK_INT(v, 101);
    if (strstr(forms[i], "#top"))
      CHECK_STR(frag.data, "top");
  }
  mtport_link_kind k;
  uint64_t v;
  CHECK_INT(mtport_link_index_find(ix, "/blog/travel/index.html",
                                   "http://example.com/blog/x.html", &k, &v,
                                   NULL),
            1);
  CHECK_INT(k, MTPORT_LINK_CATEGORY);
  CHECK_INT(mtport_link_index_find(ix, "/blog/2009/04/other.html",
                                   "http://example.com/", &k, &v, NULL),
            0);
  CHECK_INT(mtport_link_index_find(ix, "relative.html", NULL, &k, &v, NULL), 0);
  CHECK_INT(mtport_link_index_count(ix), 2);
  /* many URLs: values come back for each */
  char url[64];
  int bad = 0;
  for (int i = 0; i < 50000; i++) {
    snprintf(url, sizeof url, "http://example.com/blog/archives/%06d.html", i);
    bad += mtport_link_index_add(ix, url, MTPORT_LINK_POST, (uint64_t)i, NULL,
                                 NULL) != 1;
  }
  for (int i = 0; i < 50000; i += 7) {
    snprintf(url, sizeof url, "https://www.example.com/blog/archives/%06d.php",
             i);
    bad += mtport_link_index_find(ix, url, NULL, &k, &v, NULL) != 1 ||
           v != (uint64_t)i;
  }
  CHECK_INT(bad, 0);
  mtport_buf_dispose(&frag);
  mtport_link_index_free(ix);
  mtport_link_index_free(NULL);
}

static void test_oldpage(void) {
  static const char *site = "http://example.com/blog/";
  static const struct {
    const char *url;
    mtport_old_page_kind kind;
    int y, m, d;
    const char *name;
  } cases[] = {
      {"http://example.com/blog/", MTPORT_OLD_HOME, 0, 0, 0, NULL},
      {"http://www.example.com/blog/index.html", MTPORT_OLD_HOME, 0, 0, 0,
       NULL},
      {"http://example.com/blog", MTPORT_OLD_HOME, 0, 0, 0, NULL},
      {"http://example.com/blog/2009/", MTPORT_OLD_YEAR, 2009, 0, 0, NULL},
      {"http://example.com/blog/2009/04/", MTPORT_OLD_MONTH, 2009, 4, 0, NULL},
      {"http://example.com/blog/2009/04/index.php", MTPORT_OLD_MONTH, 2009, 4,
       0, NULL},
      {"http://example.com/blog/2009/04/12/", MTPORT_OLD_DAY, 2009, 4, 12,
       NULL},
      {"http://example.com/blog/archives/2009_04.html", MTPORT_OLD_MONTH, 2009,
       4, 0, NULL},
      {"http://example.com/blog/archives/2009_04_12.html", MTPORT_OLD_DAY, 2009,
       4, 12, NULL},
      {"http://example.com/blog/atom.xml", MTPORT_OLD_FEED, 0, 0, 0, ""},
      {"http://example.com/blog/index.rdf", MTPORT_OLD_FEED, 0, 0, 0, ""},
      {"http://example.com/blog/travel/rss.xml", MTPORT_OLD_FEED, 0, 0, 0,
       "travel"},
      {"http://example.com/blog/mt-search.cgi?tag=green%20tea&blog_id=1",
       MTPORT_OLD_TAG, 0, 0, 0, "green tea"},
      {"http://example.com/cgi-bin/mt/mt-search.cgi?tag=a+b", MTPORT_OLD_TAG, 0,
       0, 0, "a b"},
      {"http://example.com/cgi-bin/mt/mt-search.cgi?search=tea",
       MTPORT_OLD_SEARCH, 0, 0, 0, "mt-search.cgi"},
      {"http://example.com/mt/mt-comments.cgi?entry_id=3", MTPORT_OLD_SCRIPT, 0,
       0, 0, "mt-comments.cgi"},
      {"http://example.com/mt/mt-tb.cgi/12", MTPORT_OLD_NONE, 0, 0, 0, NULL},
      {"http://example.com/mt/mt.cgi", MTPORT_OLD_SCRIPT, 0, 0, 0, "mt.cgi"},
      {"http://example.com/mt/mt-cp.fcgi", MTPORT_OLD_SCRIPT, 0, 0, 0,
       "mt-cp.fcgi"},
      /* not these shapes */
      {"http://example.com/blog/2009/04/hello.html", MTPORT_OLD_NONE, 0, 0, 0,
       NULL},
      {"http://example.com/blog/2009/13/", MTPORT_OLD_NONE, 0, 0, 0, NULL},
      {"http://example.com/blog/travel/", MTPORT_OLD_NONE, 0, 0, 0, NULL},
      {"http://example.com/other/2009/04/", MTPORT_OLD_NONE, 0, 0, 0, NULL},
      {"http://example.com/blogger/2009/", MTPORT_OLD_NONE, 0, 0, 0, NULL},
      {"http://other.org/blog/2009/04/", MTPORT_OLD_NONE, 0, 0, 0, NULL},
      {"http://other.org/mt-comments.cgi", MTPORT_OLD_NONE, 0, 0, 0, NULL},
      {"http://example.com/blog/2009/04/?page=2", MTPORT_OLD_NONE, 0, 0, 0,
       NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    mtport_old_page p;
    CHECK_INT(mtport_old_page_shape(&p, cases[i].url, site), MTPORT_OK);
    if (p.kind != cases[i].kind)
      fprintf(stderr, "shape of %s: %d\n", cases[i].url, p.kind);
    CHECK_INT(p.kind, cases[i].kind);
    CHECK_INT(p.year, cases[i].y);
    CHECK_INT(p.month, cases[i].m);
    CHECK_INT(p.day, cases[i].d);
    CHECK_STR(p.name, cases[i].name);
    mtport_old_page_dispose(&p);
  }
  mtport_old_page p;
  CHECK_INT(mtport_old_page_shape(&p, "http://any.org/mt-tb.cgi", NULL),
            MTPORT_OK);
  CHECK_INT(p.kind, MTPORT_OLD_SCRIPT);
  mtport_old_page_dispose(&p);
  mtport_old_page_dispose(NULL);
}

/* ---- stored names ------------------------------------------------------- */

static void test_names(void) {
  static const struct {
    const char *url, *mime;
    unsigned flags;
    const char *want;
  } cases[] = {
      {"http://example.com/blog/assets/tea.jpg", NULL, 0,
       "blog/assets/tea.jpg"},
      {"http://example.com/blog/assets/caf%C3%A9%20menu.png", NULL, 0,
       "blog/assets/caf\xc3\xa9 menu.png"},
      /* NFC: e + combining acute becomes one character */
      {"http://example.com/cafe%CC%81.png", NULL, 0, "caf\xc3\xa9.png"},
      {"http://example.com/a/../../etc/passwd.jpg", NULL, 0,
       "a/etc/passwd.jpg"},
      {"http://example.com/a/%2e%2e/b.jpg", NULL, 0, "a/b.jpg"},
      {"http://example.com/a%2Fb.jpg", NULL, 0, "a-b.jpg"},
      {"http://example.com/x/a:b*c?.jpg", NULL, 0, "x/a-b-c"},
      {"http://example.com/x/a%3Ab%2Ac%3F.jpg", NULL, 0, "x/a-b-c-.jpg"},
      {"http://example.com/x/%01ctl%7F.png", NULL, 0, "x/ctl.png"},
      {"http://example.com/x/%C2%85c1.png", NULL, 0, "x/c1.png"},
      {"http://example.com/.hidden/_dir/~x/%23y.png", NULL, 0,
       "hidden/dir/x/y.png"},
      {"http://example.com/dots.../name. .png", NULL, 0, "dots/name. .png"},
      {"http://example.com/CON.jpg", NULL, 0, "CON_.jpg"},
      {"http://example.com/aux", "image/png", 0, "aux_.png"},
      {"http://example.com/lpt1.tar.gz", NULL, 0, "lpt1_.tar.gz"},
      {"http://example.com/com10.jpg", NULL, 0, "com10.jpg"},
      {"http://example.com/nul/x.jpg", NULL, 0, "nul_/x.jpg"},
      /* extensions from the mime type, and active ones defused */
      {"http://b.typepad.com/.a/6a00d8-pi", "image/jpeg", 0, "a/6a00d8-pi.jpg"},
      {"http://b.typepad.com/.a/6a00d8-pi", NULL, 0, "a/6a00d8-pi"},
      {"http://example.com/img.php?id=3", "image/gif", 0, "img.gif"},
      {"http://example.com/img.php?id=3", NULL, 0, "img-php"},
      {"http://example.com/x.phtml", "application/pdf", 0, "x.pdf"},
      {"http://example.com/report.pdf", "image/png", 0, "report.pdf"},
      {"http://example.com/photos/", "image/png", 0, "photos/index.png"},
      {"http://example.com/", NULL, 0, "file"},
      {"http://example.com", "image/png", 0, "file.png"},
      {"http://a1.typepad.com/6a00-120si", "image/jpeg", MTPORT_ASSET_PATH_HOST,
       "a1.typepad.com/6a00-120si.jpg"},
      {"http://www.Example.com:8080/a.png", NULL, MTPORT_ASSET_PATH_HOST,
       "example.com-8080/a.png"},
      /* not UTF-8 once decoded: the escapes are the name */
      {"http://example.com/%83%65.jpg", NULL, 0, "%83%65.jpg"},
      {"/relative/x.jpg", NULL, 0, "relative/x.jpg"},
  };
  mtport_buf out = MTPORT_BUF_INIT;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    CHECK_INT(mtport_asset_path_for_url(&out, cases[i].url, cases[i].mime,
                                        cases[i].flags),
              MTPORT_OK);
    if (strcmp(out.data, cases[i].want))
      fprintf(stderr, "name of %s\n", cases[i].url);
    CHECK_STR(out.data, cases[i].want);
  }
  /* long names are cut on a character boundary, the extension kept */
  mtport_buf u = MTPORT_BUF_INIT;
  mtport_buf_puts(&u, "http://example.com/");
  for (int i = 0; i < 150; i++)
    mtport_buf_puts(&u, "%C3%A9");
  mtport_buf_puts(&u, ".jpeg");
  CHECK_INT(mtport_asset_path_for_url(&out, u.data, NULL, 0), MTPORT_OK);
  CHECK(out.len <= 200);
  CHECK(mtport_utf8_valid(out.data, out.len));
  CHECK(out.len > 5 && strcmp(out.data + out.len - 5, ".jpeg") == 0);
  /* a safe segment stays as it is (the store makes names safe again) */
  static const char *const segs[] = {"a.jpg", "CON_.jpg", "caf\xc3\xa9",
                                     "x-y.png", "%83.jpg"};
  for (size_t i = 0; i < sizeof segs / sizeof *segs; i++) {
    mtport_buf_clear(&out);
    CHECK_INT(mtport_asset_safe_segment(&out, segs[i], strlen(segs[i])),
              MTPORT_OK);
    CHECK_STR(out.data, segs[i]);
  }
  mtport_buf_clear(&out);
  CHECK_INT(mtport_asset_safe_segment(&out, "..", 2), MTPORT_OK);
  CHECK_INT(out.len, 0);
  mtport_buf_dispose(&u);
  mtport_buf_dispose(&out);
}

int main(int argc, char **argv) {
  static const t_suite suites[] = {
      {"refs", test_refs},       {"ranges", test_ranges},
      {"rewrite", test_rewrite}, {"rewrite_identity", test_rewrite_identity},
      {"linear", test_linear},   {"kinds", test_kinds},
      {"hosts", test_hosts},     {"shapes", test_shapes},
      {"urlkey", test_urlkey},   {"linkindex", test_linkindex},
      {"oldpage", test_oldpage}, {"names", test_names},
  };
  return t_run(argc, argv, suites, sizeof suites / sizeof *suites);
}
