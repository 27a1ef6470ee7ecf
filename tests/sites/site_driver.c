/* Drives the Hugo, Jekyll and Eleventy exporters for the consumer tests.
 *   site_driver hard FLAVOR SITE MANIFEST [key=value...]
 *     built-in hard cases through the site core with a test writer that
 *     refuses any path leaving SITE; MANIFEST gets what the site must show.
 *   site_driver run FLAVOR SITE INPUT [key=value...]
 *     a real run (mtport_run) over INPUT; exits 77 when no importer can
 *     read INPUT yet. */
#include "site/site.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct io_state {
  const char *root;
  const char *const *opts;
  int failures;
} io_state;

static int mkparents(const char *path) {
  char *p = strdup(path);
  for (char *s = p + 1; *s; s++) {
    if (*s == '/') {
      *s = '\0';
      if (mkdir(p, 0777) != 0 && errno != EEXIST) {
        free(p);
        return -1;
      }
      *s = '/';
    }
  }
  free(p);
  return 0;
}

static int put(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return MTPORT_EIO;
  int ok = fwrite(data, 1, len, f) == len;
  ok &= fclose(f) == 0;
  return ok ? MTPORT_OK : MTPORT_EIO;
}

/* The same rules as mtport_ctx_write_file(), but a refusal is a test
 * failure: no hard case may produce an unsafe path. */
static int t_write(void *payload, const char *rel, const char *data,
                   size_t len) {
  io_state *io = payload;
  const char *p = rel;
  int bad = !*rel || rel[0] == '/';
  while (!bad && p) {
    const char *sl = strchr(p, '/');
    size_t n = sl ? (size_t)(sl - p) : strlen(p);
    bad = n == 0 || (n == 1 && p[0] == '.') ||
          (n == 2 && p[0] == '.' && p[1] == '.') || n > 255;
    for (size_t i = 0; i < n && !bad; i++)
      bad = (unsigned char)p[i] < 0x20 || p[i] == '\\';
    p = sl ? sl + 1 : NULL;
  }
  if (bad) {
    fprintf(stderr, "FAIL: unsafe path '%s'\n", rel);
    io->failures++;
    return MTPORT_EUNSAFE;
  }
  char full[4096];
  snprintf(full, sizeof full, "%s/%s", io->root, rel);
  struct stat st;
  if (stat(full, &st) == 0) {
    fprintf(stderr, "FAIL: '%s' written twice\n", rel);
    io->failures++;
    return MTPORT_EEXISTS;
  }
  if (mkparents(full) != 0)
    return MTPORT_EIO;
  return put(full, data, len);
}

static int t_write_path(void *payload, const char *path, const char *data,
                        size_t len) {
  return put(path, data, len);
}

static const char *t_option(void *payload, const char *key) {
  io_state *io = payload;
  const char *found = NULL;
  size_t kn = strlen(key);
  for (const char *const *o = io->opts; *o; o++)
    if (strncmp(*o, key, kn) == 0 && ((*o)[kn] == '=' || !(*o)[kn]))
      found = (*o)[kn] == '=' ? *o + kn + 1 : "";
  return found;
}

static void t_diag(void *payload, const mtport_post *p, mtport_severity sev,
                   const char *code, const char *msg) {
  fprintf(stderr, "%s: %s [%s] (%s)\n", mtport_severity_name(sev), msg, code,
          p && p->title ? p->title : "-");
}

/* ---- the hard cases ----------------------------------------------------- */

typedef struct hard {
  const char *title;
  const char *basename;
  const char *date;
  const char *permalink; /* relative to the site URL */
  const char *slug;      /* expected */
  const char *alias;     /* expected alias/redirect_from, or NULL */
  const char *body;
  const char *literal; /* text the page must show as is, or NULL */
  int page, draft, comments;
} hard;

#define SITE_URL "http://example.com/blog/"

static const hard cases[] = {
    {"yes", NULL, "2009-11-01T10:00:00+09:00", "2009/11/yes.html", "yes",
     "/2009/11/yes.html", "<p>Boolean-looking title.</p>", NULL, 0, 0, 0},
    {"No", NULL, "2009-11-02T10:00:00+09:00", NULL, "no", NULL, "<p>No.</p>",
     NULL, 0, 0, 0},
    {"on", NULL, "2009-11-03T10:00:00-05:00", NULL, "on", NULL, "<p>on</p>",
     NULL, 0, 0, 0},
    {"~", NULL, "2009-11-04T10:00:00Z", NULL, "post", NULL, "<p>tilde</p>",
     NULL, 0, 0, 0},
    {"null", NULL, "2009-11-05T10:00:00Z", "archives/123", "null",
     "/archives/123", "<p>n</p>", NULL, 0, 0, 0},
    {"1.10", NULL, "2009-11-06T10:00:00Z", NULL, "1-10", NULL, "<p>v</p>", NULL,
     0, 0, 0},
    {"2009-11-22", NULL, "2009-11-22T23:30:00-08:00", NULL, "2009-11-22", NULL,
     "<p>date title</p>", NULL, 0, 0, 0},
    {"a: b", NULL, "2009-11-07T10:00:00Z", NULL, "a-b", NULL, "<p>colon</p>",
     NULL, 0, 0, 0},
    {"#x", NULL, "2009-11-08T10:00:00Z", NULL, "x", NULL, "<p>hash</p>", NULL,
     0, 0, 0},
    {"@x", NULL, "2009-11-09T10:00:00Z", NULL, "x-2", NULL, "<p>at</p>", NULL,
     0, 0, 0},
    {"- x", NULL, "2009-11-10T10:00:00Z", NULL, "x-3", NULL, "<p>dash</p>",
     NULL, 0, 0, 0},
    {"'q'", NULL, "2009-11-11T10:00:00Z", NULL, "q", NULL, "<p>quote</p>", NULL,
     0, 0, 0},
    {"tab\there", NULL, "2009-11-12T10:00:00Z", NULL, "tab-here", NULL,
     "<p>tab</p>", NULL, 0, 0, 0},
    {"Quote \" and backslash \\ and --- and ...", NULL, "2009-11-13T10:00:00Z",
     NULL, "quote-and-backslash-and-and", NULL, "<p>q</p>", NULL, 0, 0, 0},
    {"Liquid and shortcodes", "liquid_and_shortcodes",
     "2009-11-14T10:00:00+02:00", "2009/11/liquid_and_shortcodes.html",
     "liquid-and-shortcodes", "/2009/11/liquid_and_shortcodes.html",
     "<p>Title: {{ page.title }} and {% if x %}tag{% endif %}.</p>\n"
     "<p>Shortcode {{< x >}} and {{% y %}} and {{< unclosed.</p>\n"
     "<p>{% endraw %} {{ \"{\" }}</p>",
     "{{ page.title }}\n{{< x >}}\n{{% y %}}\n{% endraw %}\n{{< unclosed.", 0,
     0, 0},
    {"../../x", "../../x", "2009-11-15T10:00:00Z", "2009/11/dotdot/", "x-4",
     "/2009/11/dotdot/", "<p>traversal</p>", NULL, 0, 0, 0},
    {"/etc/passwd", "/etc/passwd", "2009-11-16T10:00:00Z", "2009/11/passwd.php",
     "etc-passwd", "/2009/11/passwd.php", "<p>abs</p>", NULL, 0, 0, 0},
    {"Same title", NULL, "2009-11-18T10:00:00Z", NULL, "same-title-2", NULL,
     "<p>later one, first in the input</p>", NULL, 0, 0, 0},
    {"Same title", NULL, "2009-11-17T10:00:00Z", "2009/11/#000017",
     "same-title", NULL, "<p>earlier one</p>", NULL, 0, 0, 0},
    {"Café crème à la Ærø", NULL, "2009-11-19T10:00:00Z", NULL,
     "cafe-creme-a-la-aero", NULL, "<p>accents</p>", NULL, 0, 0, 0},
    {"日本語のタイトル", NULL, "2009-11-20T10:00:00+09:00",
     "2009/11/%E6%97%A5%E6%9C%AC%20x.html", "日本-x", "/2009/11/日本 x.html",
     "<p>cjk</p>", NULL, 0, 0, 1},
    {"Привет, Мир", NULL, "2009-11-21T10:00:00+03:00", NULL, "привет-мир", NULL,
     "<p>cyrillic</p>", NULL, 0, 0, 0},
    {"About", "about", "2009-11-23T10:00:00Z", "about.html", "about",
     "/about.html", "<p>A page.</p>", NULL, 1, 0, 0},
    {"Index", NULL, "2009-11-24T10:00:00Z", NULL, "index-2", NULL,
     "<p>A page named like the home page.</p>", NULL, 1, 0, 0},
    {"A draft", "a_draft", "2009-11-25T10:00:00Z", NULL, "a-draft", NULL,
     "<p>draft</p>", NULL, 0, 1, 0},
    {"With comments", "with_comments", "2009-11-26T10:00:00Z",
     "2009/11/with_comments.html", "with-comments",
     "/2009/11/with_comments.html", "<p>Has comments.</p>", NULL, 0, 0, 1},
    {"Extended", NULL, "2009-11-27T10:00:00Z", NULL, "extended", NULL,
     "<p>Before the fold.</p>", "After the fold", 0, 0, 0},
    {"", NULL, "2009-11-28T10:00:00Z", NULL, "entry-28", NULL,
     "<p>Untitled, but these first words of the body label it</p>", NULL, 0, 0,
     0},
    {"  ", NULL, "2009-11-29T10:00:00-05:00", NULL, "post-2", NULL, "", NULL, 0,
     0, 0},
};

/* Term names every generator's own slug breaks: a fragment, a query, a
 * path, an escape, spaces, non-ASCII, dots, names that slug alike. */
static const char *const hard_terms[] = {
    "C#", "C",   "What?",   "a/b",  "100%", "Foo Bar", "日本語", "..", "?",
    "%",  "C++", "Ünïcödé", "x\"y", "<b>",  "A&B",     ".",      "c",  "post"};
#define N_TERMS (sizeof hard_terms / sizeof *hard_terms)
#define N_CASES (sizeof cases / sizeof *cases)

static void json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c < 0x20)
      fprintf(f, "\\u%04x", c);
    else
      fputc(c, f);
  }
  fputc('"', f);
}

static mtport_post *make_post(const hard *h, size_t i, char *long_title) {
  mtport_post *p = mtport_post_new();
  p->kind = h->page ? MTPORT_KIND_PAGE : MTPORT_KIND_POST;
  p->status = h->draft ? MTPORT_STATUS_DRAFT : MTPORT_STATUS_PUBLISH;
  p->entry_id = (long long)i + 1;
  p->ordinal = (unsigned long)i + 1;
  mtport_set_str(&p->title, long_title ? long_title : h->title, (size_t)-1);
  if (h->basename)
    mtport_set_str(&p->basename, h->basename, (size_t)-1);
  if (h->permalink) {
    char url[512];
    snprintf(url, sizeof url, "%s%s", SITE_URL, h->permalink);
    mtport_set_str(&p->permalink, url, (size_t)-1);
  }
  mtport_time_parse_iso(&p->published, h->date);
  p->updated = p->published;
  if (i == 0)
    mtport_time_parse_iso(&p->updated, "2009-12-01T00:00:00+09:00");
  mtport_text_set(&p->body, h->body, (size_t)-1, MTPORT_TEXT_HTML, NULL);
  if (h->literal && strcmp(h->literal, "After the fold") == 0)
    mtport_text_set(&p->more, "<p>After the fold.</p>", (size_t)-1,
                    MTPORT_TEXT_HTML, NULL);
  mtport_post_add_author(p, "Ann \"A\" Author", "ann@example.com", NULL);
  mtport_post_add_tag(p, "Movable Type", NULL);
  mtport_post_add_tag(p, "yes", NULL);
  mtport_post_add_category(p, "News: daily", NULL, NULL, 1);
  mtport_post_add_tag(p, hard_terms[i % N_TERMS], NULL);
  mtport_post_add_category(p, hard_terms[(i + 5) % N_TERMS], NULL, NULL, 0);
  if (i == 1)
    mtport_text_set(&p->excerpt, "An <b>explicit</b> excerpt: yes", (size_t)-1,
                    MTPORT_TEXT_HTML, NULL);
  if (h->comments) {
    mtport_comment *c = mtport_post_add_comment(p);
    c->kind = MTPORT_COMMENT;
    mtport_set_str(&c->id, "1", (size_t)-1);
    mtport_set_str(&c->author.name, "Commenter One", (size_t)-1);
    mtport_set_str(&c->author.email, "secret@example.com", (size_t)-1);
    mtport_set_str(&c->author.url, "http://one.example/", (size_t)-1);
    mtport_set_str(&c->ip, "192.0.2.7", (size_t)-1);
    mtport_time_parse_iso(&c->date, "2009-11-27T01:02:03+09:00");
    mtport_text_set(&c->body, "<p>First comment text</p>", (size_t)-1,
                    MTPORT_TEXT_HTML, NULL);
    c->approved = 1;
    c = mtport_post_add_comment(p);
    c->kind = MTPORT_COMMENT;
    mtport_set_str(&c->author.name, "Pending Person", (size_t)-1);
    mtport_text_set(&c->body, "pending text", (size_t)-1, MTPORT_TEXT_HTML,
                    NULL);
    c->approved = 0;
    c = mtport_post_add_comment(p);
    c->kind = MTPORT_TRACKBACK;
    mtport_set_str(&c->author.name, "Other Blog", (size_t)-1);
    mtport_set_str(&c->title, "A &amp; B", (size_t)-1);
    mtport_text_set(&c->body, "pinged you", (size_t)-1, MTPORT_TEXT_HTML, NULL);
    c->approved = 1;
  }
  return p;
}

static int run_hard(const site_gen *fl, const char *root, const char *manifest,
                    const char *const *opts) {
  io_state ios = {root, opts, 0};
  int keep = t_option(&ios, "keep-underscores") != NULL;
  site_io io = {&ios, t_write, t_write_path, t_option, t_diag, NULL};
  mtport_site *site = mtport_site_new();
  mtport_set_str(&site->title, "Hard: \"cases\" yes", (size_t)-1);
  mtport_set_str(&site->home_url, SITE_URL, (size_t)-1);
  mtport_set_str(&site->language, "en-us", (size_t)-1);
  /* two extra posts: a 300-character and a 400-byte title */
  char t300[301], t400[401];
  for (int i = 0; i < 300; i++)
    t300[i] = "abcdefghi "[i % 10];
  t300[300] = '\0';
  size_t k = 0;
  while (k + 3 <= 399) {
    memcpy(t400 + k, "\xe8\xaa\x9e", 3); /* 語 */
    k += 3;
  }
  memset(t400 + k, 'z', 400 - k);
  t400[400] = '\0';
  size_t n = N_CASES + 2;
  mtport_post **posts = calloc(n, sizeof *posts);
  hard extra[2] = {cases[0], cases[0]};
  extra[0].title = t300;
  extra[0].permalink = NULL;
  extra[1].title = t400;
  extra[1].permalink = NULL;
  for (size_t i = 0; i < n; i++)
    posts[i] =
        make_post(i < N_CASES ? &cases[i] : &extra[i - N_CASES], i, NULL);
  posts[N_CASES]->published.epoch += 86400 * 40;
  posts[N_CASES + 1]->published.epoch += 86400 * 41;
  void *st = NULL;
  int rc = mtport__site_begin(fl, &io, site, &st);
  for (size_t i = 0; i < n && !rc; i++)
    rc = mtport__site_prepass(st, posts[i]);
  if (!rc)
    rc = mtport__site_prepass_done(st);
  for (size_t i = 0; i < n && !rc; i++) {
    int e = mtport__site_entry(st, posts[i]);
    if (e != MTPORT_OK) {
      fprintf(stderr, "FAIL: entry %zu gave %d\n", i, e);
      ios.failures++;
    }
  }
  if (st) {
    int e = mtport__site_end(st, rc);
    rc = rc ? rc : e;
  }
  FILE *f = fopen(manifest, "w");
  fputs("[\n", f);
  for (size_t i = 0; i < n; i++) {
    const hard *h = i < N_CASES ? &cases[i] : NULL;
    fputs(i ? ",\n{" : "{", f);
    fputs("\"title\": ", f);
    json_str(f, posts[i]->title);
    if (h) {
      /* with keep-underscores an MT basename keeps its underscores */
      fputs(", \"slug\": ", f);
      json_str(f, keep && h->basename && strchr(h->basename, '_') ? h->basename
                                                                  : h->slug);
      if (h->alias) {
        fputs(", \"alias\": ", f);
        json_str(f, h->alias);
      }
      if (h->literal) {
        fputs(", \"literal\": ", f);
        json_str(f, h->literal);
      }
      fprintf(f, ", \"page\": %d, \"draft\": %d, \"comments\": %d", h->page,
              h->draft, h->comments);
    }
    fputs("}", f);
  }
  fputs("\n]\n", f);
  fclose(f);
  for (size_t i = 0; i < n; i++)
    mtport_post_free(posts[i]);
  free(posts);
  mtport_site_free(site);
  if (rc)
    fprintf(stderr, "FAIL: run returned %d\n", rc);
  return rc || ios.failures ? 1 : 0;
}

/* ---- a real run --------------------------------------------------------- */

static void sink(const mtport_diag *d, void *payload) {
  mtport_buf b = MTPORT_BUF_INIT;
  mtport_diag_format(d, &b);
  fprintf(stderr, "%s\n", b.data ? b.data : "");
  mtport_buf_dispose(&b);
}

static int run_real(const char *name, const char *root, const char *input,
                    const char *const *opts) {
  mtport_reader *r = NULL;
  if (mtport_reader_open(&r, input, NULL) != MTPORT_OK) {
    fprintf(stderr, "SKIP: no importer reads %s yet\n", input);
    return 77;
  }
  mtport_reader_free(r);
  mtport_registry *reg = NULL;
  mtport_registry_new(&reg);
  const mtport_exporter *e = mtport_registry_find(reg, name);
  mtport_run_options ro = MTPORT_RUN_OPTIONS_INIT;
  ro.output = root;
  ro.options = opts;
  ro.reader.diag = sink;
  mtport_run_result res;
  int rc = e ? mtport_run(&res, &input, 1, e, &ro) : MTPORT_ENOTFOUND;
  mtport_registry_free(reg);
  if (rc != MTPORT_OK) {
    fprintf(stderr, "FAIL: run returned %d\n", rc);
    return 1;
  }
  if (res.written + res.skipped != res.read || res.skipped) {
    fprintf(stderr, "FAIL: read %lu, written %lu, skipped %lu\n", res.read,
            res.written, res.skipped);
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr,
            "usage: %s hard|run hugo|jekyll SITE MANIFEST|INPUT "
            "[key=value...]\n",
            argv[0]);
    return 2;
  }
  const site_gen *fl = strcmp(argv[2], "jekyll") == 0 ? &mtport__gen_jekyll
                       : strcmp(argv[2], "eleventy") == 0
                           ? &mtport__gen_eleventy
                           : &mtport__gen_hugo;
  const char *const *opts = (const char *const *)argv + 5;
  if (strcmp(argv[1], "hard") == 0)
    return run_hard(fl, argv[3], argv[4], opts);
  return run_real(argv[2], argv[3], argv[4], opts);
}
