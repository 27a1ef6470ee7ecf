/* Unit tests of the site core: paths, front matter keys, old URLs and the
 * redirects formats, template neutralising, comments and privacy. */
#include "site/site.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEM_FILES 256

typedef struct mem {
  char *path[MEM_FILES];
  mtport_buf data[MEM_FILES];
  size_t n;
  mtport_buf redirects;
  mtport_buf diags; /* "code\n" per diagnostic */
  const char *opts[16];
} mem;

static int fails;
#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      printf("FAIL line %d: ", __LINE__);                                      \
      printf(__VA_ARGS__);                                                     \
      printf("\n");                                                            \
      fails++;                                                                 \
    }                                                                          \
  } while (0)

static int m_write(void *payload, const char *rel, const char *data,
                   size_t len) {
  mem *m = payload;
  if (m->n == MEM_FILES)
    return MTPORT_EIO;
  m->path[m->n] = strdup(rel);
  mtport_buf_init(&m->data[m->n]);
  mtport_buf_append(&m->data[m->n], data, len);
  m->n++;
  return MTPORT_OK;
}
static int m_write_path(void *payload, const char *path, const char *data,
                        size_t len) {
  mem *m = payload;
  mtport_buf_clear(&m->redirects);
  return mtport_buf_append(&m->redirects, data, len);
}
static const char *m_option(void *payload, const char *key) {
  mem *m = payload;
  size_t kn = strlen(key);
  const char *found = NULL;
  for (size_t i = 0; m->opts[i]; i++)
    if (strncmp(m->opts[i], key, kn) == 0 &&
        (m->opts[i][kn] == '=' || !m->opts[i][kn]))
      found = m->opts[i][kn] == '=' ? m->opts[i] + kn + 1 : "";
  return found;
}
static void m_diag(void *payload, const mtport_post *post, mtport_severity sev,
                   const char *code, const char *msg) {
  mem *m = payload;
  mtport_buf_printf(&m->diags, "%s\n", code);
  if (!mtport_utf8_valid(msg, strlen(msg))) {
    printf("FAIL: diagnostic %s is not valid UTF-8\n", code);
    fails++;
  }
}

static const char *file(mem *m, const char *path) {
  for (size_t i = 0; i < m->n; i++)
    if (strcmp(m->path[i], path) == 0)
      return m->data[i].data ? m->data[i].data : "";
  return NULL;
}

static void mem_free(mem *m) {
  for (size_t i = 0; i < m->n; i++) {
    free(m->path[i]);
    mtport_buf_dispose(&m->data[i]);
  }
  mtport_buf_dispose(&m->redirects);
  mtport_buf_dispose(&m->diags);
}

static mtport_post *post(const char *title, const char *basename,
                         const char *date, const char *permalink) {
  mtport_post *p = mtport_post_new();
  p->status = MTPORT_STATUS_PUBLISH;
  mtport_set_str(&p->title, title, (size_t)-1);
  if (basename)
    mtport_set_str(&p->basename, basename, (size_t)-1);
  if (date)
    mtport_time_parse_iso(&p->published, date);
  if (permalink)
    mtport_set_str(&p->permalink, permalink, (size_t)-1);
  mtport_text_set(&p->body, "<p>body</p>", (size_t)-1, MTPORT_TEXT_HTML, NULL);
  return p;
}

/* Runs @posts through the core with the pipeline's call order, for
 * @site (NULL: titled "T" at http://old.example/blog/). */
static int run_site(const site_gen *fl, mem *m, mtport_post **posts, size_t n,
                    mtport_site *given) {
  site_io io = {m, m_write, m_write_path, m_option, m_diag, NULL};
  mtport_site *site = given ? given : mtport_site_new();
  if (!given) {
    mtport_set_str(&site->title, "T", (size_t)-1);
    mtport_set_str(&site->home_url, "http://old.example/blog/", (size_t)-1);
  }
  void *st = NULL;
  int rc = mtport__site_begin(fl, &io, site, &st);
  for (size_t i = 0; i < n && !rc; i++)
    rc = mtport__site_prepass(st, posts[i]);
  if (!rc)
    rc = mtport__site_prepass_done(st);
  for (size_t i = 0; i < n && !rc; i++)
    rc = mtport__site_entry(st, posts[i]);
  if (st) {
    int e = mtport__site_end(st, rc);
    rc = rc ? rc : e;
  }
  if (!given)
    mtport_site_free(site);
  return rc;
}

static int run(const site_gen *fl, mem *m, mtport_post **posts, size_t n) {
  return run_site(fl, m, posts, n, NULL);
}

static void test_escapes(void) {
  struct {
    const char *in, *liquid, *hugo;
  } c[] = {
      {"plain { text }", "plain { text }", "plain { text }"},
      {"{{ page.title }}", "{{ \"{\" }}{ page.title }}", "{{ page.title }}"},
      {"{% raw %}", "{{ \"{\" }}% raw %}", "{% raw %}"},
      {"{{{", "{{ \"{\" }}{{ \"{\" }}{", "{{{"},
      {"a {{< x >}} b", "a {{ \"{\" }}{< x >}} b", "a {{</* x */>}} b"},
      {"{{% y %}}", "{{ \"{\" }}{{ \"{\" }}% y %}}", "{{%/* y */%}}"},
      {"{{< open", "{{ \"{\" }}{< open", "{&#123;< open"},
      {"{{<>}}", "{{ \"{\" }}{<>}}", "{{</**/>}}"},
  };
  for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
    mtport_buf a = MTPORT_BUF_INIT, b = MTPORT_BUF_INIT;
    mtport__site_liquid_escape(&a, c[i].in, strlen(c[i].in));
    mtport__site_shortcode_escape(&b, c[i].in, strlen(c[i].in));
    CHECK(strcmp(a.data ? a.data : "", c[i].liquid) == 0, "liquid(%s) = %s",
          c[i].in, a.data);
    CHECK(strcmp(b.data ? b.data : "", c[i].hugo) == 0, "hugo(%s) = %s",
          c[i].in, b.data);
    mtport_buf_dispose(&a);
    mtport_buf_dispose(&b);
  }
}

static void test_layout(void) {
  /* Hugo: section, bundle, pages at the root, drafts */
  mem m = {.opts = {"section=notes", "bundle", NULL}};
  mtport_post *p[3] = {post("One", "one_1", "2009-01-02T03:04:05+09:00", NULL),
                       post("About", NULL, "2009-01-03T00:00:00Z", NULL),
                       post("Draft", NULL, NULL, NULL)};
  p[1]->kind = MTPORT_KIND_PAGE;
  p[2]->status = MTPORT_STATUS_REVIEW;
  CHECK(run(&mtport__gen_hugo, &m, p, 3) == MTPORT_OK, "hugo run");
  CHECK(file(&m, "content/notes/one-1/index.md"), "bundle path");
  CHECK(file(&m, "content/about/index.md"), "page path");
  const char *d = file(&m, "content/notes/draft/index.md");
  CHECK(d && strstr(d, "\ndraft: true\n") && !strstr(d, "\ndate:"), "draft: %s",
        d ? d : "(none)");
  mem_free(&m);
  /* Jekyll: the file name's date in the entry's own offset; drafts; pages */
  mem j = {.opts = {"keep-underscores", NULL}};
  CHECK(run(&mtport__gen_jekyll, &j, p, 3) == MTPORT_OK, "jekyll run");
  CHECK(file(&j, "_posts/2009-01-02-one_1.md"), "post path (local date)");
  CHECK(file(&j, "_drafts/draft.md"), "draft path");
  const char *pg = file(&j, "about.md");
  CHECK(pg && strstr(pg, "\npermalink: \"/about/\"\n"), "page: %s",
        pg ? pg : "(none)");
  mem_free(&j);
  /* the date in the file name is the entry's, not UTC's */
  mem k = {.opts = {NULL}};
  mtport_post *late = post("Late", NULL, "2009-12-31T23:30:00-08:00", NULL);
  CHECK(run(&mtport__gen_jekyll, &k, &late, 1) == MTPORT_OK, "run");
  CHECK(file(&k, "_posts/2009-12-31-late.md"), "offset day");
  const char *l = file(&k, "_posts/2009-12-31-late.md");
  CHECK(l && strstr(l, "\ndate: 2009-12-31T23:30:00-08:00\n"), "date kept");
  mem_free(&k);
  mtport_post_free(late);
  for (int i = 0; i < 3; i++)
    mtport_post_free(p[i]);
}

static void test_urls(void) {
  const char *formats[] = {"netlify", "nginx", "apache"};
  const char *want[] = {
      "/blog/2009/01/one.php /blog/posts/one/ 301\n",
      "location = /blog/2009/01/one.php { return 301 /blog/posts/one/; }\n",
      "Redirect 301 /blog/2009/01/one.php /blog/posts/one/\n"};
  for (int f = 0; f < 3; f++) {
    char fmt[64];
    snprintf(fmt, sizeof fmt, "redirects-format=%s", formats[f]);
    mem m = {.opts = {"redirects=/x", fmt, NULL}};
    mtport_post *p = post("One", NULL, "2009-01-02T00:00:00Z",
                          "http://old.example/blog/2009/01/one.php");
    CHECK(run(&mtport__gen_hugo, &m, &p, 1) == MTPORT_OK, "run");
    CHECK(m.redirects.data && strcmp(m.redirects.data, want[f]) == 0, "%s: %s",
          formats[f], m.redirects.data ? m.redirects.data : "");
    const char *d = file(&m, "content/posts/one.md");
    CHECK(d && !strstr(d, "aliases"), "no Hugo alias for .php");
    mem_free(&m);
    mtport_post_free(p);
  }
  /* no redirects file: the .php URL is reported, never silently dropped;
   * a fragment URL is reported; .html and '/' become aliases without the
   * site's base path */
  mem m = {.opts = {NULL}};
  mtport_post *p[3] = {
      post("A", NULL, "2009-01-01T00:00:00Z", "http://old.example/blog/a.php"),
      post("B", NULL, "2009-01-02T00:00:00Z",
           "http://old.example/blog/2009/01/#000002"),
      post("C", NULL, "2009-01-03T00:00:00Z",
           "http://old.example/blog/2009/01/c.html")};
  CHECK(run(&mtport__gen_hugo, &m, p, 3) == MTPORT_OK, "run");
  CHECK(m.diags.data && strstr(m.diags.data, "old-url-unserved\n"),
        "unserved .php reported");
  CHECK(m.diags.data && strstr(m.diags.data, "old-url-fragment\n"),
        "fragment reported");
  const char *c = file(&m, "content/posts/c.md");
  const char *a = file(&m, "content/posts/a.md");
  CHECK(a && !strstr(a, "aliases"), "no alias for .php: %s", a ? a : "");
  CHECK(c && strstr(c, "aliases:\n- \"/2009/01/c.html\"\n"), "alias: %s",
        c ? c : "");
  mem_free(&m);
  /* base-url overrides the feed's: no base path left to strip */
  mem b = {.opts = {"base-url=https://new.example/", "scaffold", NULL}};
  CHECK(run(&mtport__gen_jekyll, &b, &p[2], 1) == MTPORT_OK, "run");
  const char *bc = file(&b, "_posts/2009-01-03-c.md");
  CHECK(bc && strstr(bc, "redirect_from:\n- \"/blog/2009/01/c.html\"\n"),
        "base-url: %s", bc ? bc : "");
  const char *cfg = file(&b, "_config.yml");
  CHECK(cfg && strstr(cfg, "url: \"https://new.example\"\n") &&
            strstr(cfg, "baseurl: \"\"\n"),
        "config: %s", cfg ? cfg : "");
  mem_free(&b);
  for (int i = 0; i < 3; i++)
    mtport_post_free(p[i]);
}

static void test_encoded_urls(void) {
  mem m = {.opts = {"redirects=/x", NULL}};
  mtport_post *p[2] = {post("J", NULL, "2009-01-01T00:00:00Z",
                            "http://old.example/blog/2009/01/%E6%97%A5.html"),
                       post("S", NULL, "2009-01-02T00:00:00Z",
                            "http://old.example/blog/a%2Fb.html")};
  CHECK(run(&mtport__gen_hugo, &m, p, 2) == MTPORT_OK, "run");
  const char *j = file(&m, "content/posts/\xe6\x97\xa5.md");
  CHECK(j && strstr(j, "aliases:\n- \"/2009/01/\xe6\x97\xa5.html\"\n"),
        "decoded alias: %s", j ? j : "(none)");
  const char *sl = file(&m, "content/posts/a-2fb.md");
  CHECK(sl && strstr(sl, "aliases:\n- \"/a%2Fb.html\"\n"), "kept %%2F: %s",
        sl ? sl : "(none)");
  CHECK(m.redirects.data &&
            strstr(m.redirects.data,
                   "/blog/2009/01/%E6%97%A5.html /blog/posts/%E6%97%A5/ 301\n"),
        "redirects: %s", m.redirects.data ? m.redirects.data : "");
  mem_free(&m);
  mtport_post_free(p[0]);
  mtport_post_free(p[1]);
}

static void test_extensionless(void) {
  mem m = {.opts = {NULL}};
  mtport_post *p = post("E", NULL, "2009-01-01T00:00:00Z",
                        "http://old.example/blog/archives/123");
  CHECK(run(&mtport__gen_hugo, &m, &p, 1) == MTPORT_OK, "run");
  const char *e = file(&m, "content/posts/e.md");
  CHECK(e && strstr(e, "aliases:\n- \"/archives/123\"\n"), "alias: %s",
        e ? e : "");
  CHECK(!m.diags.data, "no warning: %s", m.diags.data);
  mem_free(&m);
  mtport_post_free(p);
  /* a page in its own folder takes the folder's name */
  mem f = {.opts = {NULL}};
  p = post("Title", NULL, "2009-01-01T00:00:00Z",
           "http://old.example/blog/about_me/index.html");
  p->kind = MTPORT_KIND_PAGE;
  CHECK(run(&mtport__gen_hugo, &f, &p, 1) == MTPORT_OK, "run");
  CHECK(file(&f, "content/about-me.md"), "page slug from its folder");
  mem_free(&f);
  mtport_post_free(p);
  mem g = {.opts = {NULL}};
  p = post("Top", NULL, "2009-01-01T00:00:00Z",
           "http://old.example/index.html");
  CHECK(run(&mtport__gen_hugo, &g, &p, 1) == MTPORT_OK, "run");
  CHECK(file(&g, "content/posts/top.md"), "no stem from the root index");
  mem_free(&g);
  mtport_post_free(p);
}

static void test_duplicate_old_url(void) {
  mem m = {.opts = {"redirects=/x", NULL}};
  mtport_post *p[2] = {
      post("A", NULL, "2009-01-01T00:00:00Z", "http://old.example/blog/x/"),
      post("B", NULL, "2009-01-02T00:00:00Z", "http://old.example/blog/x/")};
  CHECK(run(&mtport__gen_jekyll, &m, p, 2) == MTPORT_OK, "run");
  const char *a = file(&m, "_posts/2009-01-01-a.md");
  const char *b = file(&m, "_posts/2009-01-02-b.md");
  CHECK(a && strstr(a, "redirect_from"), "first keeps the alias");
  CHECK(b && !strstr(b, "redirect_from"), "second has none");
  CHECK(m.diags.data && strstr(m.diags.data, "old-url-duplicate\n"),
        "duplicate reported");
  CHECK(m.redirects.data &&
            strcmp(m.redirects.data, "/blog/x/ /blog/posts/a/ 301\n") == 0,
        "one redirect: %s", m.redirects.data ? m.redirects.data : "");
  mem_free(&m);
  mtport_post_free(p[0]);
  mtport_post_free(p[1]);
}

static void test_long_diag(void) {
  mtport_buf u = MTPORT_BUF_INIT;
  mtport_buf_puts(&u, "http://old.example/blog/");
  for (int i = 0; i < 400; i++)
    mtport_buf_puts(&u, "\xe6\x97\xa5");
  mtport_buf_puts(&u, "/#frag");
  for (int shift = 0; shift < 3; shift++) { /* every cut position */
    mem m = {.opts = {NULL}};
    mtport_post *p = post("L", NULL, "2009-01-01T00:00:00Z", u.data);
    CHECK(run(&mtport__gen_hugo, &m, &p, 1) == MTPORT_OK, "run");
    CHECK(m.diags.data && strstr(m.diags.data, "old-url-fragment"), "diag");
    mem_free(&m);
    mtport_post_free(p);
    mtport_buf_puts(&u, "x"); /* moves the cut by one byte */
    memmove(u.data + 24, u.data + 23, u.len - 24);
    u.data[23] = '/';
  }
  mtport_buf_dispose(&u);
}

static void test_comments(void) {
  mtport_post *p = post("C", "c", "2009-01-01T00:00:00Z", NULL);
  mtport_comment *c = mtport_post_add_comment(p);
  mtport_set_str(&c->author.name, "N", (size_t)-1);
  mtport_set_str(&c->author.email, "e@x", (size_t)-1);
  mtport_set_str(&c->ip, "10.1.2.3", (size_t)-1);
  mtport_text_set(&c->body, "hi", (size_t)-1, MTPORT_TEXT_HTML, NULL);
  c->approved = 1;
  mem a = {.opts = {NULL}};
  CHECK(run(&mtport__gen_hugo, &a, &p, 1) == MTPORT_OK, "run");
  const char *d = file(&a, "data/comments/c.yaml");
  CHECK(d && !strstr(d, "e@x") && !strstr(d, "10.1.2.3") &&
            strstr(d, "author: \"N\""),
        "private data left out: %s", d ? d : "");
  const char *md = file(&a, "content/posts/c.md");
  CHECK(md && strstr(md, "mt_comments: \"c\""), "key in front matter");
  mem_free(&a);
  mem k = {.opts = {"keep-private", NULL}};
  CHECK(run(&mtport__gen_jekyll, &k, &p, 1) == MTPORT_OK, "run");
  d = file(&k, "_data/comments/c.yml");
  CHECK(d && strstr(d, "e@x") && strstr(d, "10.1.2.3"), "kept: %s", d ? d : "");
  mem_free(&k);
  mem n = {.opts = {"no-comments", NULL}};
  CHECK(run(&mtport__gen_hugo, &n, &p, 1) == MTPORT_OK, "run");
  CHECK(!file(&n, "data/comments/c.yaml"), "no-comments");
  md = file(&n, "content/posts/c.md");
  CHECK(md && !strstr(md, "mt_comments"), "no key without comments");
  mem_free(&n);
  mtport_post_free(p);
}

static void test_slugs(void) {
  /* collisions follow dates, not input order; pages avoid reserved names */
  mem m = {.opts = {NULL}};
  mtport_post *p[4] = {post("Dup", NULL, "2009-03-01T00:00:00Z", NULL),
                       post("Dup", NULL, "2009-01-01T00:00:00Z", NULL),
                       post("Dup", NULL, "2009-02-01T00:00:00Z", NULL),
                       post("Tags", NULL, "2009-02-01T00:00:00Z", NULL)};
  p[3]->kind = MTPORT_KIND_PAGE;
  CHECK(run(&mtport__gen_hugo, &m, p, 4) == MTPORT_OK, "run");
  CHECK(m.n == 4 && strcmp(m.path[0], "content/posts/dup-3.md") == 0 &&
            strcmp(m.path[1], "content/posts/dup.md") == 0 &&
            strcmp(m.path[2], "content/posts/dup-2.md") == 0 &&
            strcmp(m.path[3], "content/tags-2.md") == 0,
        "slugs: %s %s %s %s", m.n > 0 ? m.path[0] : "",
        m.n > 1 ? m.path[1] : "", m.n > 2 ? m.path[2] : "",
        m.n > 3 ? m.path[3] : "");
  mem_free(&m);
  for (int i = 0; i < 4; i++)
    mtport_post_free(p[i]);
}

/* Eleventy is a description like the others: posts in the section with a
 * permalink, no template engine on Markdown, drafts unpublished, comments
 * as JSON, an old URL as a redirect page at its own address. */
static void test_eleventy(void) {
  mem m = {.opts = {NULL}};
  mtport_post *p[3] = {post("One {{ x }}", "one", "2009-01-02T03:04:05+09:00",
                            "http://old.example/blog/archives/000123"),
                       post("About", NULL, "2009-01-03T00:00:00Z", NULL),
                       post("Draft", NULL, NULL, NULL)};
  p[1]->kind = MTPORT_KIND_PAGE;
  p[2]->status = MTPORT_STATUS_DRAFT;
  mtport_comment *c = mtport_post_add_comment(p[0]);
  CHECK(c != NULL, "comment");
  if (c) {
    mtport_set_str(&c->author.name, "Ann", (size_t)-1);
    mtport_text_set(&c->body, "Nice {{ y }}", (size_t)-1, MTPORT_TEXT_PLAIN,
                    NULL);
    c->approved = 1;
  }
  mtport_text_set(&p[0]->body, "<p>{{ page.title }} {% raw %}</p>", (size_t)-1,
                  MTPORT_TEXT_HTML, NULL);
  CHECK(run(&mtport__gen_eleventy, &m, p, 3) == MTPORT_OK, "eleventy run");
  const char *one = file(&m, "posts/one.md");
  CHECK(one && strstr(one, "\npermalink: \"/posts/one/\"\n") &&
            strstr(one, "\ntemplateEngineOverride: md\n---\n") &&
            strstr(one, "{{ page.title }} {% raw %}") &&
            strstr(one, "\nmt_comments: \"one\"\n"),
        "post: %s", one ? one : "(none)");
  const char *pg = file(&m, "about.md");
  CHECK(pg && strstr(pg, "\npermalink: \"/about/\"\n"), "page: %s",
        pg ? pg : "(none)");
  const char *d = file(&m, "posts/draft.md");
  CHECK(d && strstr(d, "\npermalink: false\n") &&
            strstr(d, "\neleventyExcludeFromCollections: true\n"),
        "draft: %s", d ? d : "(none)");
  const char *cm = file(&m, "_data/comments/one.json");
  CHECK(cm && cm[0] == '[' && strstr(cm, "\"author\": \"Ann\"") &&
            strstr(cm, "Nice {{ y }}"),
        "comments: %s", cm ? cm : "(none)");
  /* no extension: a folder, as servers reach it by a slash redirect */
  const char *r = file(&m, "redirects/one.md");
  CHECK(r && strstr(r, "\npermalink: \"/archives/000123/\"\n") &&
            strstr(r, "\nlayout: false\n") &&
            strstr(r, "url=/blog/posts/one/") && strstr(r, "One {{ x }}"),
        "redirect page: %s", r ? r : "(none)");
  mem_free(&m);
  for (int i = 0; i < 3; i++)
    mtport_post_free(p[i]);
}

/* Many posts wanting one slug: -2, -3... each given once, in date order,
 * and a slug some post wants as its own basename is skipped, not taken
 * twice. */
static void test_crowded(void) {
  enum { N = 60 }; /* the test writer keeps 64 files */
  mem m = {.opts = {NULL}};
  mtport_post **p = calloc(N + 1, sizeof *p);
  char date[32];
  for (int i = 0; i < N; i++) {
    snprintf(date, sizeof date, "2009-01-01T00:%02d:%02dZ", i / 60 % 60,
             i % 60);
    p[i] = post("Same", NULL, i < 3600 ? date : NULL, NULL);
  }
  p[N] = post("Other", "same-5", "2008-01-01T00:00:00Z", NULL);
  CHECK(run(&mtport__gen_hugo, &m, p, N + 1) == MTPORT_OK, "run");
  int ok = m.n == N + 1;
  for (size_t i = 0; ok && i < m.n; i++) {
    char want[64];
    if (i == N)
      snprintf(want, sizeof want, "content/posts/same-5.md");
    else if (i == 0)
      snprintf(want, sizeof want, "content/posts/same.md");
    else /* same-5 went to the older "Other" */
      snprintf(want, sizeof want, "content/posts/same-%zu.md",
               i + 1 + (i + 1 >= 5));
    ok = strcmp(m.path[i], want) == 0;
    if (!ok)
      printf("FAIL: post %zu at %s, want %s\n", i, m.path[i], want);
  }
  CHECK(ok, "%s", "crowded slugs");
  mem_free(&m);
  for (int i = 0; i <= N; i++)
    mtport_post_free(p[i]);
  free(p);
}

/* The scaffold's terms: our own slugs for names the generators' slugs
 * break, -2 for names that slug alike (first seen first), "u" and hex for
 * names with nothing a slug keeps; a page per term a published entry has,
 * none for a draft's; Hugo's posts carry the keys, Jekyll's data file maps
 * names to URLs. */
static void test_terms(void) {
  static const char *const cats[] = {"C#", "C", "?", "\xe6\x97\xa5\xe6\x9c\xac",
                                     "c"};
  mtport_post *p[2] = {post("A", "a", "2009-12-31T23:30:00-05:00", NULL),
                       post("D", "d", "2009-12-30T10:00:00Z", NULL)};
  for (size_t i = 0; i < 5; i++)
    mtport_post_add_category(p[0], cats[i], NULL, NULL, 0);
  mtport_post_add_tag(p[0], "What?", NULL);
  mtport_post_add_tag(p[1], "Secret", NULL);
  p[1]->status = MTPORT_STATUS_DRAFT;
  mem h = {.opts = {"scaffold", NULL}};
  CHECK(run(&mtport__gen_hugo, &h, p, 2) == MTPORT_OK, "hugo run");
  const char *a = file(&h, "content/posts/a.md");
  CHECK(a && strstr(a, "\nmt_categories:\n- \"c\"\n- \"c-2\"\n- \"u3f\"\n- "
                       "\"ue697a5e69cac\"\n- \"c-3\"\nmt_tags:\n- \"what\"\n"),
        "term keys: %s", a ? a : "(none)");
  const char *c1 = file(&h, "content/mt_categories/c/_index.md");
  const char *c3 = file(&h, "content/mt_categories/c-3/_index.md");
  const char *q = file(&h, "content/mt_categories/u3f/_index.md");
  const char *j = file(&h, "content/mt_categories/ue697a5e69cac/_index.md");
  CHECK(c1 && strstr(c1, "title: \"C#\"\nurl: \"/categories/c/\"\n"), "C#: %s",
        c1 ? c1 : "(none)");
  CHECK(c3 && strstr(c3, "title: \"c\"\nurl: \"/categories/c-3/\"\n"), "c: %s",
        c3 ? c3 : "(none)");
  CHECK(q && strstr(q, "url: \"/categories/u3f/\"\n"), "?: %s",
        q ? q : "(none)");
  CHECK(j && strstr(j, "url: \"/categories/\xe6\x97\xa5\xe6\x9c\xac/\"\n"),
        "CJK: %s", j ? j : "(none)");
  CHECK(!file(&h, "content/mt_tags/secret/_index.md"), "a draft's term page");
  const char *d = file(&h, "content/posts/d.md");
  CHECK(d && strstr(d, "\nmt_tags:\n- \"secret\"\n"), "draft keys: %s",
        d ? d : "(none)");
  mem_free(&h);
  mem k = {.opts = {"scaffold", NULL}};
  CHECK(run(&mtport__gen_jekyll, &k, p, 2) == MTPORT_OK, "jekyll run");
  const char *map = file(&k, "_data/mt_terms.yml");
  CHECK(map &&
            strstr(map, "categories:\n  \"C#\": \"/categories/c/\"\n  \"C\": "
                        "\"/categories/c-2/\"\n") &&
            strstr(map, "tags:\n  \"What?\": \"/tags/what/\"\n") &&
            !strstr(map, "Secret"),
        "terms data: %s", map ? map : "(none)");
  const char *jp = file(&k, "mt_categories/c-2.html");
  CHECK(jp && strstr(jp, "layout: \"mt_term\"\ntitle: \"C\"\npermalink: "
                         "\"/categories/c-2/\"\nmt_taxonomy: \"categories\"\n"
                         "mt_term: \"C\"\n"),
        "jekyll term page: %s", jp ? jp : "(none)");
  const char *ja = file(&k, "_posts/2009-12-31-a.md");
  CHECK(ja && !strstr(ja, "mt_categories") &&
            strstr(ja, "\nmt_date: \"2009-12-31T23:30:00-05:00\"\n"),
        "jekyll post: %s", ja ? ja : "(none)");
  mem_free(&k);
  for (int i = 0; i < 2; i++)
    mtport_post_free(p[i]);
}

/* Archives by year and month in the post's own offset, at MT's addresses;
 * the feed at MT's four addresses and the input's own; nothing of it, but
 * the source's id, without --scaffold. */
static void test_archives_feeds(void) {
  mtport_post *p = post("Late", "late", "2009-12-31T23:30:00-05:00", NULL);
  mtport_set_str(&p->source_id, "tag:old.example,2009:/blog//1.7", (size_t)-1);
  mtport_site *site = mtport_site_new();
  mtport_set_str(&site->title, "T", (size_t)-1);
  mtport_set_str(&site->home_url, "http://old.example/blog/", (size_t)-1);
  mtport_set_str(&site->feed_url, "http://old.example/blog/feeds/all.atom",
                 (size_t)-1);
  mtport_set_str(&site->id, "tag:old.example,2009:/blog//1", (size_t)-1);
  mem h = {.opts = {"scaffold", NULL}};
  CHECK(run_site(&mtport__gen_hugo, &h, &p, 1, site) == MTPORT_OK, "run");
  const char *a = file(&h, "content/posts/late.md");
  CHECK(a && strstr(a, "\nmt_atom_id: \"tag:old.example,2009:/blog//1.7\"\n") &&
            strstr(a, "\nmt_archives:\n- \"2009\"\n- \"2009-12\"\n"),
        "post: %s", a ? a : "(none)");
  const char *m = file(&h, "content/mt_archives/2009-12/_index.md");
  const char *y = file(&h, "content/mt_archives/2009/_index.md");
  CHECK(m && strstr(m, "url: \"/2009/12/\"\n"), "month: %s", m ? m : "(none)");
  CHECK(y && strstr(y, "url: \"/2009/\"\n"), "year: %s", y ? y : "(none)");
  CHECK(!file(&h, "content/mt_archives/2010-01/_index.md"), "UTC's month");
  static const char *const feeds[] = {"atom-xml", "index-xml", "index-rdf",
                                      "rss-xml"};
  for (int i = 0; i < 4; i++) {
    char path[64];
    snprintf(path, sizeof path, "content/mt_feeds/%s.md", feeds[i]);
    const char *f = file(&h, path);
    CHECK(f && strstr(f, "layout: \"mt_feed\"\noutputs:\n- \"MTAtom\"\n"),
          "%s: %s", path, f ? f : "(none)");
  }
  const char *self = file(&h, "content/mt_feeds/feeds-all-atom.md");
  CHECK(self && strstr(self, "url: \"/feeds/all.atom\"\n"), "self: %s",
        self ? self : "(none)");
  const char *cfg = file(&h, "config.yaml");
  CHECK(cfg &&
            strstr(cfg, "  mt_feed_id: \"tag:old.example,2009:/blog//1\"\n") &&
            strstr(cfg, "      linkify: false\n") &&
            strstr(cfg, "      typographer: false\n") &&
            strstr(cfg, "  mt_archive: \"mt_archives\"\n") &&
            strstr(cfg, "paginate: 10\n"),
        "config: %s", cfg ? cfg : "(none)");
  mem_free(&h);
  /* a new site elsewhere: MT's addresses keep the old blog's path, as old
   * URLs do, and the new site has its own /atom.xml */
  mem w = {.opts = {"scaffold", "base-url=https://new.example/", NULL}};
  CHECK(run_site(&mtport__gen_hugo, &w, &p, 1, site) == MTPORT_OK, "run");
  const char *wa = file(&w, "content/mt_feeds/atom-xml.md");
  const char *wb = file(&w, "content/mt_feeds/blog-index-rdf.md");
  CHECK(wa && strstr(wa, "url: \"/atom.xml\"\n"), "new: %s",
        wa ? wa : "(none)");
  CHECK(wb && strstr(wb, "url: \"/blog/index.rdf\"\n"), "old: %s",
        wb ? wb : "(none)");
  mem_free(&w);
  /* a feed address no file can serve is reported */
  mtport_set_str(&site->feed_url, "http://old.example/blog/feed/", (size_t)-1);
  mem u = {.opts = {"scaffold", NULL}};
  CHECK(run_site(&mtport__gen_jekyll, &u, &p, 1, site) == MTPORT_OK, "run");
  CHECK(u.diags.data && strstr(u.diags.data, "old-feed-unserved\n"),
        "unserved feed: %s", u.diags.data ? u.diags.data : "");
  size_t nf = 0;
  for (size_t i = 0; i < u.n; i++)
    nf += strncmp(u.path[i], "mt_feeds/", 9) == 0;
  CHECK(nf == 4 && file(&u, "mt_feeds/rss-xml.xml"), "%zu feed pages", nf);
  const char *jc = file(&u, "_config.yml");
  CHECK(jc && strstr(jc, "markdown: \"CommonMark\"\n") &&
            strstr(jc, "- \"jekyll-commonmark\"\n") &&
            strstr(jc, "  smart_quotes:\n  - \"apos\"\n"),
        "jekyll config: %s", jc ? jc : "(none)");
  mem_free(&u);
  /* without --scaffold: the id, no scaffold keys, no pages */
  mem n = {.opts = {NULL}};
  CHECK(run_site(&mtport__gen_hugo, &n, &p, 1, site) == MTPORT_OK, "run");
  const char *b = file(&n, "content/posts/late.md");
  CHECK(b && strstr(b, "\nmt_atom_id: ") && !strstr(b, "mt_archives"),
        "bare post: %s", b ? b : "(none)");
  CHECK(n.n == 1, "%zu files without --scaffold", n.n);
  mem_free(&n);
  mtport_site_free(site);
  mtport_post_free(p);
}

/* An untitled post shows the first words of its body in lists, else its
 * date in its own offset; a page never takes a year archive's slug. */
static void test_untitled(void) {
  mtport_post *p[3] = {post("", NULL, "2009-12-31T23:30:00-05:00", NULL),
                       post(" ", NULL, "2009-12-31T23:30:00-05:00", NULL),
                       post("2009", NULL, "2009-01-01T00:00:00Z", NULL)};
  p[0]->entry_id = 5;
  mtport_text_set(&p[0]->body,
                  "<p>One two <b>three</b> four five six seven eight nine "
                  "ten</p>",
                  (size_t)-1, MTPORT_TEXT_HTML, NULL);
  mtport_text_set(&p[1]->body, "", 0, MTPORT_TEXT_HTML, NULL);
  p[2]->kind = MTPORT_KIND_PAGE;
  mem h = {.opts = {NULL}};
  CHECK(run(&mtport__gen_hugo, &h, p, 3) == MTPORT_OK, "run");
  const char *a = file(&h, "content/posts/entry-5.md");
  CHECK(a && strstr(a, "title: \"\"\nlinkTitle: \"One two three four five six "
                       "seven eight\xe2\x80\xa6\"\n"),
        "words: %s", a ? a : "(none)");
  const char *b = file(&h, "content/posts/post.md");
  CHECK(b && strstr(b, "title: \" \"\nlinkTitle: \"2009-12-31\"\n"), "date: %s",
        b ? b : "(none)");
  CHECK(file(&h, "content/2009-2.md") && !file(&h, "content/2009.md"),
        "a page's year slug");
  mem_free(&h);
  mem k = {.opts = {NULL}};
  CHECK(run(&mtport__gen_jekyll, &k, p, 1) == MTPORT_OK, "run");
  const char *c = file(&k, "_posts/2009-12-31-entry-5.md");
  CHECK(c && strstr(c, "\nlink_title: \"One two"), "jekyll: %s",
        c ? c : "(none)");
  mem_free(&k);
  for (int i = 0; i < 3; i++)
    mtport_post_free(p[i]);
}

/* The site's title: the input's, else --title, else the input's file name
 * with a warning. */
static void test_title(void) {
  mtport_post *p = post("A", "a", "2009-01-01T00:00:00Z", NULL);
  p->origin.file = "/some/where/my-old-blog.txt";
  mtport_site *site = mtport_site_new();
  mem a = {.opts = {"scaffold", NULL}};
  CHECK(run_site(&mtport__gen_hugo, &a, &p, 1, site) == MTPORT_OK, "run");
  const char *c = file(&a, "config.yaml");
  CHECK(c && strstr(c, "\ntitle: \"my-old-blog\"\n"), "file name: %s",
        c ? c : "(none)");
  CHECK(a.diags.data && strstr(a.diags.data, "no-title\n"), "warned");
  mem_free(&a);
  mem b = {.opts = {"scaffold", "title=Given &amp; <b>bold</b>", NULL}};
  CHECK(run_site(&mtport__gen_jekyll, &b, &p, 1, site) == MTPORT_OK, "run");
  c = file(&b, "_config.yml");
  CHECK(c && strstr(c, "title: \"Given & bold\"\n"), "--title: %s",
        c ? c : "(none)");
  CHECK(!b.diags.data || !strstr(b.diags.data, "no-title"), "not warned");
  mem_free(&b);
  mtport_set_str(&site->title, "Own", (size_t)-1);
  mem d = {.opts = {"scaffold", "title=Given", NULL}};
  CHECK(run_site(&mtport__gen_eleventy, &d, &p, 1, site) == MTPORT_OK, "run");
  c = file(&d, "_data/site.json");
  CHECK(c && strstr(c, "\"title\": \"Own\""), "the input's: %s",
        c ? c : "(none)");
  mem_free(&d);
  mtport_site_free(site);
  mtport_post_free(p);
}

int main(void) {
  test_escapes();
  test_layout();
  test_urls();
  test_comments();
  test_slugs();
  test_encoded_urls();
  test_extensionless();
  test_duplicate_old_url();
  test_long_diag();
  test_eleventy();
  test_crowded();
  test_terms();
  test_archives_feeds();
  test_untitled();
  test_title();
  printf("%s\n", fails ? "FAILED" : "ok");
  return fails ? 1 : 0;
}
