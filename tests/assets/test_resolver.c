/* The resolver (src/assets/resolver.c) end to end on the samples, the way
 * stage B will drive it: the backup archive read once, the posts (read
 * with the public backup reader from the extracted XML) collected, the
 * files fetched into a folder, each body rewritten, the report written.
 * usage: test_resolver SUITE SAMPLES_DIR */
#include "../helpers.h"
#include "../unit/harness.h"
#include "mtport/mtport.h"
#include <dirent.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *S_samples;

#define SITE "http://example.com/blog/"
#define XID "6a00d8341c5f3a53ef0120a5e8d9ec970b"
#define PART1 "backup/Movable_Type-2014-11-14-12-13-53-Backup-1.xml"

static const char *S_path(const char *rel) { return t_path(S_samples, rel); }

/* Diagnostics, one per line: "severity code: message". */
static void S_diag(const mtport_diag *d, void *p) {
  mtport_buf *b = p;
  mtport_buf_printf(b, "%s %s: %s\n", mtport_severity_name(d->severity),
                    d->code, d->message);
}

/* The new site's old pages: months, feeds, tags, home. */
static int S_page(void *payload, const mtport_old_page *p, mtport_buf *url) {
  (void)payload;
  switch (p->kind) {
  case MTPORT_OLD_MONTH:
    mtport_buf_printf(url, "/%04d/%02d/", p->year, p->month);
    return 1;
  case MTPORT_OLD_FEED:
    mtport_buf_puts(url, "/index.xml");
    return 1;
  case MTPORT_OLD_TAG:
    mtport_buf_printf(url, "/tags/%s/", p->name);
    return 1;
  case MTPORT_OLD_HOME:
    mtport_buf_puts(url, "/");
    return 1;
  default:
    return 0;
  }
}

typedef struct {
  mtport_post *posts[16];
  size_t n;
} S_posts;

static void S_read_posts(S_posts *ps) {
  mtport_reader *r = NULL;
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  ps->n = 0;
  CHECK_INT(mtport_reader_open(&r, S_path(PART1), &o), MTPORT_OK);
  const mtport_post *p;
  while (r && mtport_reader_next(r, &p) == 1 && ps->n < 16) {
    /* a copy the test keeps */
    mtport_post *c = mtport_post_new();
    mtport_set_str(&c->title, p->title, (size_t)-1);
    mtport_set_str(&c->permalink, p->permalink, (size_t)-1);
    mtport_set_str(&c->basename, p->basename, (size_t)-1);
    mtport_text_set(&c->body, p->body.text, (size_t)-1, p->body.format, NULL);
    c->entry_id = p->entry_id;
    c->ordinal = p->ordinal;
    ps->posts[ps->n++] = c;
  }
  mtport_reader_free(r);
}

static void S_free_posts(S_posts *ps) {
  for (size_t i = 0; i < ps->n; i++)
    mtport_post_free(ps->posts[i]);
  ps->n = 0;
}

/* One run through the resolver; the rewritten bodies, the report, the
 * diagnostics and findings come back in @out. */
typedef struct {
  mtport_buf bodies, report, diags, findings;
  mtport_assets_totals totals;
  size_t files, xml_parts;
} S_run;

static int S_file(void *payload, const mtport_assets_file *f) {
  S_run *r = payload;
  r->files++;
  CHECK(f->stored && f->sha256 && strlen(f->sha256) == 64);
  CHECK(f->post > 0);
  return 0;
}

static void S_one_run(const char *archive, const char *root, int want_fetch,
                      S_run *out) {
  memset(out, 0, sizeof *out);
  mtport_assets_options o = MTPORT_ASSETS_OPTIONS_INIT;
  o.site_url = SITE;
  o.archive = archive;
  o.mirror = S_path("mirror");
  o.page_fn = S_page;
  o.diag = S_diag;
  o.diag_payload = &out->diags;
  mtport_assets *as = NULL;
  CHECK_INT(mtport_assets_new(&as, &o), MTPORT_OK);
  if (!as)
    return;
  CHECK_INT(mtport_assets_scan_archive(as), MTPORT_OK);
  out->xml_parts = mtport_assets_xml_count(as);
  /* the parts come back whole, part 1 first */
  for (size_t i = 0; i < out->xml_parts; i++) {
    int fd;
    const char *name;
    unsigned part;
    CHECK_INT(mtport_assets_xml_open(as, i, &fd, &name, &part), MTPORT_OK);
    CHECK_INT(part, i + 1);
    char want[4096];
    snprintf(want, sizeof want,
             "%s/backup/Movable_Type-2014-11-14-12-13-53-Backup-%u.xml",
             S_samples, part);
    FILE *a = fdopen(fd, "rb"), *b = fopen(want, "rb");
    int same = a && b;
    for (int ca = 0, cb = 0; same && ca != EOF;) {
      ca = getc(a);
      cb = getc(b);
      same = ca == cb;
    }
    CHECK(same);
    if (a)
      fclose(a);
    if (b)
      fclose(b);
  }
  S_posts ps;
  S_read_posts(&ps);
  CHECK_INT(ps.n, 5);
  /* step 2: links and references, in input order */
  for (size_t i = 0; i < ps.n; i++) {
    mtport_post *p = ps.posts[i];
    char url[256];
    snprintf(url, sizeof url, "/posts/%s/", p->basename);
    for (char *c = url; *c; c++)
      if (*c == '_')
        *c = '-';
    CHECK_INT(mtport_assets_add_link(as, p->permalink, MTPORT_LINK_POST, url),
              MTPORT_OK);
  }
  CHECK_INT(mtport_assets_add_link(as, SITE "travel/", MTPORT_LINK_CATEGORY,
                                   "/categories/travel/"),
            MTPORT_OK);
  for (size_t i = 0; i < ps.n; i++) {
    mtport_post *p = ps.posts[i];
    CHECK_INT(mtport_assets_collect(as, p, "body", p->body.text,
                                    strlen(p->body.text), NULL),
              MTPORT_OK);
  }
  /* step 3 */
  CHECK_INT(mtport_assets_fetch(as, root, 0), want_fetch);
  CHECK_INT(mtport_assets_collect(as, ps.posts[0], "body", "", 0, NULL),
            MTPORT_EINVALID);
  /* step 4 */
  for (size_t i = 0; i < ps.n; i++) {
    mtport_post *p = ps.posts[i];
    mtport_assets_found f = MTPORT_ASSETS_FOUND_INIT;
    mtport_buf_printf(&out->bodies, "== %lld\n", p->entry_id);
    CHECK_INT(mtport_assets_rewrite(as, p, "body", p->body.text,
                                    strlen(p->body.text), NULL, &out->bodies,
                                    &f),
              MTPORT_OK);
    mtport_buf_putc(&out->bodies, '\n');
    mtport_assets_found_report(&f, p, S_diag, &out->findings);
    mtport_assets_found_dispose(&f);
  }
  /* step 5 */
  FILE *t = tmpfile();
  CHECK_INT(mtport_assets_write_report(as, t), MTPORT_OK);
  rewind(t);
  char buf[4096];
  size_t k;
  while ((k = fread(buf, 1, sizeof buf, t)) > 0)
    mtport_buf_append(&out->report, buf, k);
  fclose(t);
  mtport_assets_counts(as, &out->totals);
  CHECK_INT(mtport_assets_each_file(as, S_file, out), MTPORT_OK);
  S_free_posts(&ps);
  mtport_assets_free(as);
}

static void S_dispose(S_run *r) {
  mtport_buf_dispose(&r->bodies);
  mtport_buf_dispose(&r->report);
  mtport_buf_dispose(&r->diags);
  mtport_buf_dispose(&r->findings);
}

/* 1 when @hay has @needle. */
static int S_has(const mtport_buf *hay, const char *needle) {
  int ok = hay->data && strstr(hay->data, needle);
  if (!ok)
    fprintf(stderr, "missing: %s\n", needle);
  return ok;
}

static void test_resolve(void) {
  char *dir = t_tmpdir("resolver");
  char root[8192];
  snprintf(root, sizeof root, "%s/static", dir);
  S_run r;
  S_one_run(S_path("backup.tar.gz"), root, MTPORT_OK, &r);
  CHECK_INT(r.xml_parts, 2);
  /* files: through their records, MT's thumbnail present, the missing
   * one by its original's id, the pop-up to its image */
  CHECK(S_has(&r.bodies, "<a href=\"/blog/assets/tea.jpg\"><img alt=\"tea\" "
                         "src=\"/blog/assets_c/2009/04/"
                         "tea-thumb-120x90-12.jpg\""));
  CHECK(S_has(&r.bodies, "<a href=\"/blog/assets/garden-map.pdf\">"));
  CHECK(S_has(&r.bodies,
              "<a href=\"/blog/assets/temple.jpg\" "
              "onclick=\"window.open('/blog/assets/temple.jpg','popup'"));
  CHECK(S_has(&r.bodies, "<img src=\"/blog/assets/temple.jpg\" width=\"100\""));
  /* the same file under two names: one copy, both URLs lead to it */
  CHECK(S_has(&r.bodies, "srcset=\"/blog/assets/sunset.png 1x, "
                         "/blog/assets/sunset.png 2x\""));
  CHECK(S_has(&r.bodies, "<img src=\"/blog/assets/logo.gif\" alt=logo>"));
  CHECK(S_has(&r.bodies, "src='/blog/assets/caf%C3%A9%20menu.png'"));
  /* every form of a link to another post */
  CHECK(S_has(&r.bodies, "<a href=\"/posts/soup-notes/#ingredients\">"));
  static const char *const kyoto[] = {
      "<a href=\"/posts/hello-kyoto/\">Kyoto (php)",
      "<a href=\"/posts/hello-kyoto/\">Kyoto (relative)",
      "<a href=\"/posts/hello-kyoto/\">Kyoto (folder)",
      "<a href=\"/posts/hello-kyoto/\">Kyoto (encoded)",
      "<a href=\"/posts/hello-kyoto/\">Kyoto (htm)",
      "<a href=\"/posts/hello-kyoto/#top\">Kyoto (index)"};
  for (size_t i = 0; i < sizeof kyoto / sizeof *kyoto; i++)
    CHECK(S_has(&r.bodies, kyoto[i]));
  /* the old site's other pages */
  CHECK(S_has(&r.bodies, "<a href=\"/categories/travel/\">Travel"));
  CHECK(S_has(&r.bodies, "<a href=\"/2009/04/\">April 2009"));
  CHECK(S_has(&r.bodies, "<a href=\"/2009/04/\">April (MT 3)"));
  CHECK(S_has(&r.bodies, "<a href=\"/index.xml\">Feed"));
  CHECK(S_has(&r.bodies, "<a href=\"/tags/kyoto/\">kyoto"));
  CHECK(S_has(&r.bodies, "<a href=\"/\">Home"));
  CHECK(S_has(&r.bodies,
              "<a href=\"/cgi-bin/mt/mt-comments.cgi?entry_id=101\">"));
  /* the mirror: a site file, TypePad's original and pop-up (wget layout) */
  CHECK(S_has(&r.bodies, "<img src=\"/blog/images/banner.gif\""));
  CHECK(S_has(&r.bodies, "<a href=\"/example.typepad.com/a/" XID "-pi.jpg\""));
  CHECK(S_has(&r.bodies, "src=\"/example.typepad.com/a/" XID "-pi.jpg\""));
  CHECK(S_has(&r.bodies, "<a href=\"/example.typepad.com/photos/"
                         "uncategorized/lake.jpg\" onclick=\"window.open("
                         "this.href"));
  /* media */
  CHECK(S_has(&r.bodies, "<video src=\"/blog/assets/clip.mp4\" "
                         "poster=\"/blog/assets/logo.gif\">"));
  /* left as they were, and said why */
  CHECK(
      S_has(&r.bodies, "<a href=\"http://example.com/blog/files/notes.txt\">"));
  CHECK(S_has(&r.bodies, "<a href=\"http://other.example.org/photo.jpg\">"));
  CHECK(S_has(&r.bodies, "<!-- <img src=\"/blog/assets/hidden.png\"> -->"));
  /* an asset host's size of an xid another post showed on the blog's
   * TypePad host: that host's original */
  CHECK(S_has(&r.bodies, "<img src=\"/example.typepad.com/a/" XID "-pi.jpg\" "
                         "alt=\"thumb\""));
  CHECK(S_has(&r.report, "http://a1.typepad.com/" XID "-120si\tshared\t"));
  CHECK(S_has(&r.report, "TypePad's original of this image, "
                         "http://example.typepad.com/.a/" XID "-pi, is used"));
  CHECK(S_has(&r.findings, "warning link-dead: body line 1: <a href> "
                           "/cgi-bin/mt/mt-comments.cgi?entry_id=101: "
                           "'mt-comments.cgi' was a script of the old site"));
  CHECK(S_has(&r.findings, "warning asset-missing: body line 2: <a href> "
                           "http://example.com/blog/files/notes.txt: no "
                           "source has this file"));
  CHECK(S_has(&r.findings, "asset-missing: body line 1: <audio src> "
                           "/blog/assets/theme.mp3"));
  CHECK(S_has(&r.findings, "asset-missing: body line 2: <object data> "
                           "/blog/assets/old.swf"));
  CHECK(S_has(&r.findings, "asset-missing: body line 2: <param value> "
                           "/blog/assets/old.swf"));
  CHECK(!strstr(r.findings.data, "-120si"));
  CHECK(!strstr(r.findings.data, "other.example.org"));
  /* the report */
  CHECK(S_has(&r.report,
              "http://example.com/blog/assets/sunset-copy.png\tshared\t"
              "backup:16-sunset-copy.png\tblog/assets/sunset.png\t997\t"));
  CHECK(S_has(&r.report, "http://example.com/blog/assets_c/2009/04/"
                         "temple-thumb-100x75-13.jpg\tshared\t"
                         "backup:13-temple.jpg\tblog/assets/temple.jpg\t"));
  CHECK(S_has(&r.report, "MT's thumbnail is not in the backup: its original "
                         "(asset 13) is used"));
  CHECK(S_has(&r.report, "http://example.com/blog/assets/tea.jpg\tcopied\t"
                         "backup:12-tea.jpg\tblog/assets/tea.jpg\t273\t"));
  CHECK(S_has(&r.report, "http://example.com/blog/images/banner.gif\tcopied\t"
                         "mirror:http://example.com/blog/images/banner.gif\t"
                         "blog/images/banner.gif\t"));
  CHECK(S_has(&r.report, "http://other.example.org/photo.jpg\texternal\t"));
  CHECK(S_has(&r.report, "\tentry 102, entry 105\t"));
  CHECK_INT(r.totals.external, 1);
  CHECK_INT(r.totals.missing, 3); /* notes.txt, theme.mp3, old.swf */
  CHECK_INT(r.totals.refused + r.totals.failed, 0);
  CHECK_INT(r.totals.links_rewritten, 13);
  CHECK_INT(r.totals.links_unresolved, 1);
  CHECK_INT(r.files, 11);
  CHECK_INT(r.totals.referenced, 19);
  CHECK_INT(r.totals.old_urls, 6);
  CHECK_INT(r.totals.copied, 11);
  /* the files are there */
  char p[16384];
  snprintf(p, sizeof p, "%s/blog/assets/caf\xc3\xa9 menu.png", root);
  CHECK(access(p, F_OK) == 0);
  snprintf(p, sizeof p, "%s/blog/assets/sunset-copy.png", root);
  CHECK(access(p, F_OK) != 0);
  snprintf(p, sizeof p, "%s/example.typepad.com/a/" XID "-pi.jpg", root);
  CHECK(access(p, F_OK) == 0);
  /* the archive in every form gives the same run; so does a second run */
  static const char *const forms[] = {"backup.zip", "backup-sorted.zip",
                                      "backup.tgz", "backup"};
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
    char root2[8192];
    snprintf(root2, sizeof root2, "%s/static-%zu", dir, i);
    S_run r2;
    S_one_run(S_path(forms[i]), root2, MTPORT_OK, &r2);
    if (strcmp(r.report.data, r2.report.data))
      fprintf(stderr, "%s: report differs:\n%s\n", forms[i], r2.report.data);
    CHECK_STR(r2.report.data, r.report.data);
    CHECK_STR(r2.bodies.data, r.bodies.data);
    CHECK_STR(r2.findings.data, r.findings.data);
    S_dispose(&r2);
  }
  /* the same folder again, without --force: the files are there */
  S_run r3;
  S_one_run(S_path("backup.tar.gz"), root, MTPORT_EEXISTS, &r3);
  CHECK(S_has(&r3.diags, "fatal output-exists"));
  S_dispose(&r3);
  S_dispose(&r);
  t_rmtree(dir);
  free(dir);
}

/* Without a source: every file is missing; an archive of hostile members
 * refuses them and says so. */
static void test_no_source(void) {
  char *dir = t_tmpdir("resolver");
  mtport_buf diags = MTPORT_BUF_INIT;
  mtport_assets_options o = MTPORT_ASSETS_OPTIONS_INIT;
  o.site_url = SITE;
  o.diag = S_diag;
  o.diag_payload = &diags;
  mtport_assets *as = NULL;
  CHECK_INT(mtport_assets_new(&as, &o), MTPORT_OK);
  mtport_post *p = mtport_post_new();
  p->ordinal = 1;
  const char *h = "<img src=\"/blog/a.png\"><a href=\"/blog/x.html\">x</a>";
  CHECK_INT(mtport_assets_collect(as, p, "body", h, strlen(h), NULL),
            MTPORT_OK);
  CHECK_INT(mtport_assets_fetch(as, dir, 0), MTPORT_OK);
  mtport_buf out = MTPORT_BUF_INIT;
  mtport_assets_found f = MTPORT_ASSETS_FOUND_INIT;
  CHECK_INT(mtport_assets_rewrite(as, p, "body", h, strlen(h), NULL, &out, &f),
            MTPORT_OK);
  CHECK_STR(out.data, h);
  CHECK_INT(f.unresolved, 2);
  mtport_assets_totals t;
  mtport_assets_counts(as, &t);
  CHECK_INT(t.missing, 1);
  CHECK_INT(t.links_unresolved, 1);
  FILE *rep = tmpfile();
  mtport_assets_write_report(as, rep);
  rewind(rep);
  char line[1024] = "";
  CHECK(fgets(line, sizeof line, rep) != NULL);
  CHECK(fgets(line, sizeof line, rep) != NULL);
  CHECK_STR(line, "http://example.com/blog/a.png\tmissing\t\t\t\t\tpost 1\t"
                  "no source given (a backup archive or --assets-from)\n");
  fclose(rep);
  mtport_assets_found_dispose(&f);
  mtport_buf_dispose(&out);
  mtport_post_free(p);
  mtport_assets_free(as);
  /* hostile: refused members are errors naming them; the rest goes on */
  mtport_buf_clear(&diags);
  o.archive = S_path("hostile/slip.tar");
  CHECK_INT(mtport_assets_new(&as, &o), MTPORT_OK);
  CHECK_INT(mtport_assets_scan_archive(as), MTPORT_OK);
  CHECK(S_has(&diags, "error archive-unsafe-name: member '../evil.txt'"));
  CHECK_INT(mtport_assets_xml_count(as), 1);
  mtport_assets_free(as);
  mtport_buf_clear(&diags);
  o.archive = S_path("hostile/truncated-header.tar");
  CHECK_INT(mtport_assets_new(&as, &o), MTPORT_OK);
  CHECK_INT(mtport_assets_scan_archive(as), MTPORT_EPARSE);
  CHECK(S_has(&diags, "fatal archive-unreadable: "));
  CHECK(S_has(&diags, "truncated-header.tar: truncated"));
  mtport_assets_free(as);
  mtport_assets_options bad = o;
  bad.version = 99;
  CHECK_INT(mtport_assets_new(&as, &bad), MTPORT_EINVALID);
  bad = o;
  bad.mirror = S_path("MANIFEST.tsv");
  CHECK_INT(mtport_assets_new(&as, &bad), MTPORT_EIO);
  mtport_assets_free(NULL);
  mtport_buf_dispose(&diags);
  t_rmtree(dir);
  free(dir);
}

/* Rewriting on several threads at once gives what one thread gives. */
typedef struct {
  mtport_assets *as;
  S_posts *ps;
  mtport_buf out;
} S_thread;

static void *S_rewrite_all(void *arg) {
  S_thread *t = arg;
  for (int round = 0; round < 50; round++) {
    mtport_buf_clear(&t->out);
    for (size_t i = 0; i < t->ps->n; i++) {
      mtport_post *p = t->ps->posts[i];
      mtport_assets_found f = MTPORT_ASSETS_FOUND_INIT;
      mtport_assets_rewrite(t->as, p, "body", p->body.text,
                            strlen(p->body.text), NULL, &t->out, &f);
      mtport_assets_found_dispose(&f);
    }
  }
  return NULL;
}

static void test_threads(void) {
  char *dir = t_tmpdir("resolver");
  mtport_assets_options o = MTPORT_ASSETS_OPTIONS_INIT;
  o.site_url = SITE;
  o.archive = S_path("backup.zip");
  o.mirror = S_path("mirror");
  mtport_assets *as = NULL;
  CHECK_INT(mtport_assets_new(&as, &o), MTPORT_OK);
  CHECK_INT(mtport_assets_scan_archive(as), MTPORT_OK);
  S_posts ps;
  S_read_posts(&ps);
  for (size_t i = 0; i < ps.n; i++) {
    mtport_assets_add_link(as, ps.posts[i]->permalink, MTPORT_LINK_POST, "/p/");
    mtport_assets_collect(as, ps.posts[i], "body", ps.posts[i]->body.text,
                          strlen(ps.posts[i]->body.text), NULL);
  }
  CHECK_INT(mtport_assets_fetch(as, dir, 0), MTPORT_OK);
  S_thread t[4];
  pthread_t th[4];
  for (int i = 0; i < 4; i++) {
    t[i].as = as;
    t[i].ps = &ps;
    mtport_buf_init(&t[i].out);
    pthread_create(&th[i], NULL, S_rewrite_all, &t[i]);
  }
  for (int i = 0; i < 4; i++)
    pthread_join(th[i], NULL);
  for (int i = 1; i < 4; i++)
    CHECK_STR(t[i].out.data, t[0].out.data);
  for (int i = 0; i < 4; i++)
    mtport_buf_dispose(&t[i].out);
  mtport_assets_totals tot;
  mtport_assets_counts(as, &tot);
  CHECK_INT(tot.links_rewritten % 200, 0); /* 4 threads, 50 rounds */
  S_free_posts(&ps);
  mtport_assets_free(as);
  t_rmtree(dir);
  free(dir);
}

/* Files beside their first post, as Hugo's bundles want them: stored
 * under "p<ordinal>/<name>", reached as "<name>" from that post and as
 * "../p<ordinal>/<name>" from the others. */
static int S_bundle_path(void *payload, const char *url, unsigned long post,
                         const char *mime, mtport_buf *want) {
  (void)payload, (void)mime;
  const char *name = strrchr(url, '/');
  return mtport_buf_printf(want, "p%lu/%s", post, name ? name + 1 : url);
}

static int S_bundle_url(void *payload, const char *stored,
                        const mtport_post *post, mtport_buf *url) {
  (void)payload;
  char mine[32];
  int n = snprintf(mine, sizeof mine, "p%lu/", post->ordinal);
  if (!strncmp(stored, mine, (size_t)n))
    return mtport_buf_puts(url, stored + n);
  return mtport_buf_printf(url, "../%s", stored);
}

static void test_output(void) {
  char *dir = t_tmpdir("resolver");
  mtport_assets_options o = MTPORT_ASSETS_OPTIONS_INIT;
  o.site_url = SITE;
  o.archive = S_path("backup");
  mtport_assets *as = NULL;
  CHECK_INT(mtport_assets_new(&as, &o), MTPORT_OK);
  CHECK_INT(mtport_assets_scan_archive(as), MTPORT_OK);
  S_posts ps;
  S_read_posts(&ps);
  for (size_t i = 0; i < ps.n; i++)
    mtport_assets_collect(as, ps.posts[i], "body", ps.posts[i]->body.text,
                          strlen(ps.posts[i]->body.text), NULL);
  /* decided late, as an exporter's prepass_done() would */
  mtport_assets_output out = {NULL, S_bundle_url, NULL, S_bundle_path,
                              NULL, NULL,         NULL, 0};
  CHECK_INT(mtport_assets_set_output(as, &out), MTPORT_OK);
  CHECK_INT(mtport_assets_set_output(as, NULL), MTPORT_EINVALID);
  CHECK_INT(mtport_assets_fetch(as, dir, 0), MTPORT_OK);
  mtport_buf html = MTPORT_BUF_INIT;
  for (size_t i = 0; i < ps.n; i++) {
    mtport_assets_found f = MTPORT_ASSETS_FOUND_INIT;
    mtport_assets_rewrite(as, ps.posts[i], "body", ps.posts[i]->body.text,
                          strlen(ps.posts[i]->body.text), NULL, &html, &f);
    mtport_assets_found_dispose(&f);
  }
  /* entry 101 is post 1, entry 102 post 2; logo.gif is first used by 102
   * and reached from 105 (post 5) through post 2's folder */
  CHECK(S_has(&html, "<a href=\"tea.jpg\"><img alt=\"tea\" "
                     "src=\"tea-thumb-120x90-12.jpg\""));
  CHECK(S_has(&html, "poster=\"../p2/logo.gif\""));
  char p[8192];
  snprintf(p, sizeof p, "%s/p1/tea.jpg", dir);
  CHECK(access(p, F_OK) == 0);
  snprintf(p, sizeof p, "%s/p2/caf%%C3%%A9%%20menu.png", dir);
  CHECK(access(p, F_OK) == 0); /* the want was the URL's raw last segment */
  mtport_buf_dispose(&html);
  S_free_posts(&ps);
  mtport_assets_free(as);
  t_rmtree(dir);
  free(dir);
}

int main(int argc, char **argv) {
  static const t_suite suites[] = {
      {"resolve", test_resolve},
      {"no_source", test_no_source},
      {"threads", test_threads},
      {"output", test_output},
  };
  if (argc < 3) {
    fprintf(stderr, "usage: test_resolver SUITE SAMPLES_DIR\n");
    return 2;
  }
  S_samples = argv[2];
  char *one[] = {argv[0], argv[1]};
  return t_run(2, one, suites, sizeof suites / sizeof *suites);
}
