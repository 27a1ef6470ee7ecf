/* The fetcher's pieces on their own: hosts, URL checks, typing, backoff,
 * pop-up pages, the cache's record and its commits. No network. */
#include "../helpers.h"
#include "../unit/harness.h"
#include "assets/fetch.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_hosts(void) {
  const char *h[] = {"Example.com", "static.example.org:8080", "*.typepad.com",
                     "[::1]:9000", "127.0.0.1"};
  CHECK(mtport_fetch__host_allowed(h, 5, "example.com", 80));
  CHECK(mtport_fetch__host_allowed(h, 5, "EXAMPLE.COM", 443));
  CHECK(!mtport_fetch__host_allowed(h, 5, "www.example.com", 80));
  CHECK(!mtport_fetch__host_allowed(h, 5, "example.com.evil", 80));
  CHECK(mtport_fetch__host_allowed(h, 5, "static.example.org", 8080));
  CHECK(!mtport_fetch__host_allowed(h, 5, "static.example.org", 80));
  CHECK(mtport_fetch__host_allowed(h, 5, "a1.typepad.com", 80));
  CHECK(mtport_fetch__host_allowed(h, 5, "blog.TypePad.com", 443));
  CHECK(!mtport_fetch__host_allowed(h, 5, "typepad.com", 80));
  CHECK(!mtport_fetch__host_allowed(h, 5, "nottypepad.com", 80));
  CHECK(mtport_fetch__host_allowed(h, 5, "[::1]", 9000));
  CHECK(!mtport_fetch__host_allowed(h, 5, "[::1]", 9001));
  CHECK(mtport_fetch__host_allowed(h, 5, "127.0.0.1", 41234));
  CHECK(!mtport_fetch__host_allowed(NULL, 0, "example.com", 80));
}

static void url_case(const char *url, int rc, const char *want) {
  const char *h[] = {"example.com", "*.typepad.com"};
  mtport_buf out = MTPORT_BUF_INIT, why = MTPORT_BUF_INIT;
  CHECK_INT(mtport_fetch__check_url(url, h, 2, &out, &why), rc);
  CHECK_STR(rc ? why.data : out.data, want);
  mtport_buf_dispose(&out);
  mtport_buf_dispose(&why);
}

static void test_urls(void) {
  url_case("HTTP://Example.COM:80/a b/./c.jpg#x", MTPORT_OK,
           "http://example.com/a%20b/c.jpg");
  url_case("https://blog.typepad.com/.a/6a00d8341c-pi", MTPORT_OK,
           "https://blog.typepad.com/.a/6a00d8341c-pi");
  url_case("https://example.com:8443/x?q=1", MTPORT_OK,
           "https://example.com:8443/x?q=1");
  url_case("http://elsewhere.net/x.png", MTPORT_EINVALID,
           "host not allowed (elsewhere.net)");
  url_case("ftp://example.com/x.png", MTPORT_EINVALID,
           "not an http or https URL (ftp)");
  url_case("file:///etc/passwd", MTPORT_EINVALID,
           "not an http or https URL (file)");
  url_case("javascript:alert(1)", MTPORT_EINVALID, "not an http or https URL");
  url_case("http://u:p@example.com/x", MTPORT_EINVALID,
           "a URL with credentials");
  url_case("/relative/x.png", MTPORT_EINVALID, "not a usable URL (Bad scheme)");
  /* redirects may move http to https on the same host and default ports */
  CHECK(mtport_fetch__upgrade("http://example.com/a.jpg",
                              "https://example.com/b/a.jpg"));
  CHECK(!mtport_fetch__upgrade("https://example.com/a.jpg",
                               "http://example.com/a.jpg"));
  CHECK(!mtport_fetch__upgrade("http://example.com/a.jpg",
                               "https://www.example.com/a.jpg"));
  CHECK(!mtport_fetch__upgrade("http://example.com/a.jpg",
                               "https://example.com.evil/a.jpg"));
  CHECK(!mtport_fetch__upgrade("http://example.com:8080/a.jpg",
                               "https://example.com:8080/a.jpg"));
  CHECK(!mtport_fetch__upgrade("http://example.com/a.jpg",
                               "https://example.com:8443/a.jpg"));
  CHECK(!mtport_fetch__upgrade("http://example.com/a", "ftp://example.com/a"));
}

static void type_case(const char *sniffed, const char *ctype, const char *url,
                      const char *mime, const char *ext) {
  char *m, *e;
  CHECK_INT(mtport_fetch__decide_type(sniffed, ctype, url, &m, &e), MTPORT_OK);
  CHECK_STR(m, mime);
  CHECK_STR(e, ext);
  free(m);
  free(e);
}

static void test_types(void) {
  /* the bytes say what an image is, whatever the name or the server */
  type_case("image/png", "image/jpeg", "http://h/a.jpg", "image/png", "png");
  type_case("image/jpeg", NULL, "http://h/.a/6a00-pi", "image/jpeg", "jpg");
  type_case("image/jpeg", "image/jpeg", "http://h/A.JPEG", "image/jpeg",
            "jpeg");
  type_case("image/gif", "application/octet-stream", "http://h/x", "image/gif",
            "gif");
  type_case("image/x-ms-bmp", NULL, "http://h/x", "image/bmp", "bmp");
  type_case("application/pdf", "application/octet-stream", "http://h/f",
            "application/pdf", "pdf");
  /* a zip inside: the server or the name knows better */
  type_case("application/zip",
            "application/vnd.openxmlformats-officedocument.wordprocessingml."
            "document",
            "http://h/d",
            "application/vnd.openxmlformats-officedocument.wordprocessingml."
            "document",
            "docx");
  type_case("application/zip", NULL, "http://h/a.zip", "application/zip",
            "zip");
  /* text: the server names what libmagic cannot tell */
  type_case("text/plain", "text/css; charset=utf-8", "http://h/s", "text/css",
            "css");
  type_case("text/plain", NULL, "http://h/app.js?v=2", "application/javascript",
            "js");
  type_case("text/plain", "image/jpeg", "http://h/a.jpg", "text/plain", "txt");
  /* an error page called an image is a page */
  type_case("text/html", "image/jpeg", "http://h/a.jpg", "text/html", "html");
  type_case("image/svg+xml", "text/plain", "http://h/logo.svg", "image/svg+xml",
            "svg");
  type_case("text/xml", "image/svg+xml", "http://h/logo", "image/svg+xml",
            "svg");
  /* nothing in the bytes: the server, then the name */
  type_case("application/octet-stream", "audio/mpeg", "http://h/x",
            "audio/mpeg", "mp3");
  type_case("application/octet-stream", NULL, "http://h/song.MP3", "audio/mpeg",
            "mp3");
  type_case(NULL, NULL, "http://h/x", "application/octet-stream", "bin");
  type_case("application/x-empty", "text/plain", "http://h/e.txt", "text/plain",
            "txt");
  /* unknown types keep a harmless name, never a server's script */
  type_case("application/x-foo", NULL, "http://h/a.dat", "application/x-foo",
            "dat");
  type_case("application/x-foo", NULL, "http://h/a.php", "application/x-foo",
            "bin");
  type_case("application/octet-stream", "image/x-icon", "http://h/favicon",
            "image/vnd.microsoft.icon", "ico");
  /* junk Content-Types are no type */
  type_case("application/octet-stream", "<script>", "http://h/x",
            "application/octet-stream", "bin");
  type_case("application/octet-stream", "image/png", "http://h/dir.v2/x",
            "image/png", "png");
}

static void test_backoff(void) {
  mtport_fetch_options o;
  mtport_fetch__options_init(&o);
  CHECK_INT(o.jobs, 4);
  CHECK_INT(o.retries, 3);
  CHECK_INT(o.max_size, 200u << 20);
  CHECK_INT(mtport_fetch__backoff_ms(&o, 1, 0), 500);
  CHECK_INT(mtport_fetch__backoff_ms(&o, 2, 0), 1000);
  CHECK_INT(mtport_fetch__backoff_ms(&o, 3, 0), 2000);
  CHECK_INT(mtport_fetch__backoff_ms(&o, 10, 0), 30000);
  CHECK_INT(mtport_fetch__backoff_ms(&o, 200, 0), 30000); /* no overflow */
  CHECK_INT(mtport_fetch__backoff_ms(&o, 1, 5), 5000);
  CHECK_INT(mtport_fetch__backoff_ms(&o, 7, 5), 30000);
  CHECK_INT(mtport_fetch__backoff_ms(&o, 1, 60), 60000);
  CHECK_INT(mtport_fetch__backoff_ms(&o, 1, 61), -1);
}

static void page_case(const char *html, const char *want) {
  int oom = 1;
  char *img = mtport_fetch__page_image(html, strlen(html),
                                       "http://h/photos/popup.html", &oom);
  CHECK_INT(oom, 0);
  CHECK_STR(img, want);
  free(img);
}

static void test_pages(void) {
  page_case("<html><body><img src='/logo.gif'><p><img class='x mt-image-none' "
            "src=' big.jpg '></p></body></html>",
            "http://h/photos/big.jpg");
  page_case("<img src=''><img src=\"a/b.png\">", "http://h/photos/a/b.png");
  page_case("<html><head><base href='http://h/img/'></head>"
            "<body><img src='x.png'></body></html>",
            "http://h/img/x.png");
  page_case("<html><body><p>no image</p></body></html>", NULL);
  page_case("", NULL);
  /* nesting is walked without recursion; beyond libxml2's depth limit a
   * hostile page shows nothing, and does not crash */
  char *deep = malloc(100000 * 5 + 64);
  for (size_t depth = 200; depth <= 100000; depth *= 500) {
    char *p = deep;
    for (size_t i = 0; i < depth; i++)
      p += sprintf(p, "<div>");
    sprintf(p, "<img src='deep.png'>");
    page_case(deep, depth == 200 ? "http://h/photos/deep.png" : NULL);
  }
  free(deep);
}

static void test_record(void) {
  mtport_fetch__record r, back;
  memset(&r, 0, sizeof r);
  memset(&back, 0, sizeof back);
  r.url = "http://example.com/a.png";
  r.ok = 1;
  r.http_status = 200;
  r.final_url = "http://example.com/b.png";
  r.mime = "image/png";
  r.ext = "png";
  r.etag = "\"x\ny\"";
  r.last_modified = "Tue, 01 Mar 2005 10:00:00 GMT";
  r.size = 1234;
  memcpy(r.sha256,
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         65);
  r.time = 1700000000;
  r.run = 0xabcdef0123456789ull;
  r.source = MTPORT_FETCH_REVALIDATED;
  r.reason = "line\tone\nline two";
  mtport_buf b = MTPORT_BUF_INIT;
  CHECK_INT(mtport_fetch__record_format(&r, &b), MTPORT_OK);
  CHECK_INT(mtport_fetch__record_parse(b.data, b.len, &back), MTPORT_OK);
  CHECK_STR(back.url, r.url);
  CHECK_STR(back.final_url, r.final_url);
  CHECK_STR(back.etag, "\"x y\""); /* a newline never starts a field */
  CHECK_STR(back.reason, "line one line two");
  CHECK_STR(back.sha256, r.sha256);
  CHECK_INT(back.size, 1234);
  CHECK_INT(back.run, r.run);
  CHECK_INT(back.time, r.time);
  CHECK_INT(back.source, MTPORT_FETCH_REVALIDATED);
  CHECK_INT(back.ok, 1);
  /* cut anywhere, it is no record */
  for (size_t n = 0; n < b.len; n++)
    CHECK_INT(mtport_fetch__record_parse(b.data, n, &back), MTPORT_EPARSE);
  /* what may become a file name is checked */
  mtport_buf bad = MTPORT_BUF_INIT;
  mtport_buf_puts(&bad, b.data);
  char *ext = strstr(bad.data, "ext png\n");
  memcpy(ext, "ext ../\n", 8);
  CHECK_INT(mtport_fetch__record_parse(bad.data, bad.len, &back),
            MTPORT_EPARSE);
  mtport_buf_clear(&bad);
  mtport_buf_puts(&bad, b.data);
  char *sha = strstr(bad.data, "sha256 ") + 7;
  sha[3] = '/';
  CHECK_INT(mtport_fetch__record_parse(bad.data, bad.len, &back),
            MTPORT_EPARSE);
  mtport_buf_dispose(&bad);
  mtport_fetch__record_clear(&back);
  mtport_buf_dispose(&b);
  /* failures: transient or final */
  mtport_fetch__record f;
  memset(&f, 0, sizeof f);
  f.error = MTPORT_FETCH_EHTTP;
  f.http_status = 404;
  CHECK(!mtport_fetch__transient(&f));
  f.http_status = 503;
  CHECK(mtport_fetch__transient(&f));
  f.http_status = 429;
  CHECK(mtport_fetch__transient(&f));
  f.error = MTPORT_FETCH_ETIMEOUT;
  CHECK(mtport_fetch__transient(&f));
  f.error = MTPORT_FETCH_ETOOLARGE;
  CHECK(!mtport_fetch__transient(&f));
}

static int count_files(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *e;
  while (d && (e = readdir(d)))
    n += e->d_name[0] != '.';
  if (d)
    closedir(d);
  return n;
}

static void test_cache(void) {
  char *dir = t_tmpdir("fetch-unit");
  if (!dir) {
    CHECK(0);
    return;
  }
  char cdir[1024], tmpdir[1100];
  snprintf(cdir, sizeof cdir, "%s/a/b/cache", dir);
  snprintf(tmpdir, sizeof tmpdir, "%s/v1/tmp", cdir);
  mtport_fetch__cache *c;
  CHECK_INT(mtport_fetch__cache_open(&c, cdir), MTPORT_OK);
  const char *url = "http://example.com/a.png";
  mtport_fetch__record r;
  memset(&r, 0, sizeof r);
  CHECK_INT(mtport_fetch__cache_get(c, url, &r), MTPORT_ENOTFOUND);

  /* a download: nothing is an entry until it is committed */
  mtport_fetch__part *p;
  CHECK_INT(mtport_fetch__part_open(c, url, &p), MTPORT_OK);
  CHECK_INT(mtport_fetch__part_write(p, "garbage", 7), MTPORT_OK);
  CHECK_INT(mtport_fetch__part_reset(p), MTPORT_OK);
  CHECK_INT(mtport_fetch__part_write(p, "abc", 3), MTPORT_OK);
  CHECK_INT(count_files(tmpdir), 1);
  CHECK_INT(mtport_fetch__cache_get(c, url, &r), MTPORT_ENOTFOUND);
  r.url = strdup(url);
  r.ok = 1;
  r.http_status = 200;
  r.mime = strdup("image/png");
  r.ext = strdup("png");
  r.size = mtport_fetch__part_size(p);
  mtport_fetch__part_sha256(p, r.sha256);
  CHECK_STR(r.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK_INT(mtport_fetch__cache_put(c, &r, p), MTPORT_OK);
  CHECK_INT(count_files(tmpdir), 0);
  mtport_fetch__record g;
  memset(&g, 0, sizeof g);
  CHECK_INT(mtport_fetch__cache_get(c, url, &g), MTPORT_OK);
  CHECK_STR(g.sha256, r.sha256);
  mtport_buf path = MTPORT_BUF_INIT;
  CHECK_INT(mtport_fetch__cache_path(c, &g, &path), MTPORT_OK);
  FILE *fp = fopen(path.data, "rb");
  char got[8] = {0};
  CHECK(fp && fread(got, 1, sizeof got, fp) == 3);
  if (fp)
    fclose(fp);
  CHECK_STR(got, "abc");
  mtport_fetch__record_clear(&g);

  /* a new content replaces the old one, whose file goes */
  char old_path[512];
  snprintf(old_path, sizeof old_path, "%s", path.data);
  CHECK_INT(mtport_fetch__part_open(c, url, &p), MTPORT_OK);
  CHECK_INT(mtport_fetch__part_write(p, "abcd", 4), MTPORT_OK);
  r.size = 4;
  mtport_fetch__part_sha256(p, r.sha256);
  CHECK_INT(mtport_fetch__cache_put(c, &r, p), MTPORT_OK);
  CHECK_INT(mtport_fetch__cache_get(c, url, &g), MTPORT_OK);
  CHECK_INT(g.size, 4);
  CHECK(access(old_path, F_OK) != 0);
  CHECK_INT(mtport_fetch__cache_path(c, &g, &path), MTPORT_OK);

  /* a file of another size than its record says is no entry */
  fp = fopen(path.data, "ab");
  if (fp) {
    fputs("x", fp);
    fclose(fp);
  }
  CHECK_INT(mtport_fetch__cache_get(c, url, &g), MTPORT_ENOTFOUND);
  unlink(path.data);
  CHECK_INT(mtport_fetch__cache_get(c, url, &g), MTPORT_ENOTFOUND);

  /* a failure record needs no file */
  mtport_fetch__record_clear(&r);
  r.url = strdup("http://example.com/gone.png");
  r.error = MTPORT_FETCH_EHTTP;
  r.http_status = 404;
  r.reason = strdup("HTTP 404");
  CHECK_INT(mtport_fetch__cache_put(c, &r, NULL), MTPORT_OK);
  CHECK_INT(mtport_fetch__cache_get(c, r.url, &g), MTPORT_OK);
  CHECK_INT(g.ok, 0);
  CHECK_INT(g.http_status, 404);
  CHECK_STR(g.reason, "HTTP 404");
  mtport_fetch__record_clear(&g);
  mtport_fetch__record_clear(&r);

  /* an abandoned download leaves nothing */
  CHECK_INT(mtport_fetch__part_open(c, url, &p), MTPORT_OK);
  mtport_fetch__part_abandon(p);
  CHECK_INT(count_files(tmpdir), 0);
  mtport_fetch__cache_free(c);

  /* leftovers of a dead process are swept on open, a live one's kept */
  char leftover[1200], live[1200];
  snprintf(leftover, sizeof leftover, "%s/0123456789abcdef-999999999-1.part",
           tmpdir);
  snprintf(live, sizeof live, "%s/0123456789abcdef-%ld-1.part", tmpdir,
           (long)getppid());
  fclose(fopen(leftover, "w"));
  fclose(fopen(live, "w"));
  CHECK_INT(mtport_fetch__cache_open(&c, cdir), MTPORT_OK);
  CHECK(access(leftover, F_OK) != 0);
  CHECK(access(live, F_OK) == 0);
  unlink(live);
  mtport_fetch__cache_free(c);
  mtport_buf_dispose(&path);
  CHECK_INT(t_rmtree(dir), 0);
  free(dir);
}

static void test_api(void) {
  mtport_fetch_options o;
  mtport_fetch__options_init(&o);
  mtport_fetch *f = NULL;
  mtport_buf err = MTPORT_BUF_INIT;
  CHECK_INT(mtport_fetch__new(&f, &o, &err), MTPORT_EINVALID);
  CHECK_STR(err.data, "no cache folder given");
  mtport_buf_dispose(&err);
  CHECK(f == NULL);
  mtport_fetch__free(NULL);
  /* a fetcher with no host allowed refuses without a request */
  char *dir = t_tmpdir("fetch-api");
  if (!dir) {
    CHECK(0);
    return;
  }
  o.cache_dir = dir;
  o.mode = MTPORT_FETCH_OFFLINE;
  CHECK_INT(mtport_fetch__new(&f, &o, NULL), MTPORT_OK);
  mtport_fetch_candidate c = {"http://example.com/a.png", 0};
  size_t id = 99;
  CHECK_INT(mtport_fetch__want(f, &c, 0, &id), MTPORT_EINVALID);
  CHECK_INT(mtport_fetch__want(f, &c, 1, &id), MTPORT_OK);
  CHECK_INT(id, 0);
  const mtport_fetch_result *r = mtport_fetch__wait(f, 0);
  CHECK(r && r->error == MTPORT_FETCH_EREFUSED);
  CHECK_STR(r ? r->reason : NULL, "host not allowed (example.com)");
  CHECK_STR(r ? r->url : NULL, "http://example.com/a.png");
  CHECK(mtport_fetch__poll(f, 0) == r);
  CHECK(mtport_fetch__poll(f, 1) == NULL);
  mtport_fetch__release(f, 0);
  CHECK(mtport_fetch__poll(f, 0) == NULL);
  CHECK(mtport_fetch__wait(f, 0) == NULL);
  /* a want released before it is done is freed when it is */
  CHECK_INT(mtport_fetch__want(f, &c, 1, &id), MTPORT_OK);
  mtport_fetch__release(f, id);
  mtport_fetch__drain(f);
  mtport_fetch_stats st;
  mtport_fetch__stats(f, &st);
  CHECK_INT(st.wants, 2);
  CHECK_INT(st.done, 2);
  CHECK_INT(st.failed, 2);
  CHECK_INT(st.requests, 0);
  mtport_fetch__free(f);
  CHECK_INT(t_rmtree(dir), 0);
  free(dir);
}

int main(int argc, char **argv) {
  static const t_suite suites[] = {
      {"hosts", test_hosts},     {"urls", test_urls},   {"types", test_types},
      {"backoff", test_backoff}, {"pages", test_pages}, {"record", test_record},
      {"cache", test_cache},     {"api", test_api}};
  return t_run(argc, argv, suites, sizeof suites / sizeof *suites);
}
