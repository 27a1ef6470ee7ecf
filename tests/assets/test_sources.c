/* Unit tests of the asset layer's file side (src/assets/archive.c,
 * records.c, mirror.c, store.c, report.c) on the samples made by
 * make_samples.py: usage: test_sources SUITE SAMPLES_DIR. */
#include "../helpers.h"
#include "../slurp.h"
#include "../unit/harness.h"
#include "mtport/mtport.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *S_samples;

static const char *S_path(const char *rel) { return t_path(S_samples, rel); }

/* Files below @p whose name starts with @prefix. */
static int S_count_prefixed(const char *p, const char *prefix) {
  DIR *d = opendir(p);
  struct dirent *e;
  int n = 0;
  while (d && (e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char q[4096];
    snprintf(q, sizeof q, "%s/%s", p, e->d_name);
    struct stat st;
    if (lstat(q, &st) == 0 && S_ISDIR(st.st_mode))
      n += S_count_prefixed(q, prefix);
    else if (!strncmp(e->d_name, prefix, strlen(prefix)))
      n++;
  }
  if (d)
    closedir(d);
  return n;
}

/* ---- a source in memory, read in small pieces ---------------------------- */

typedef struct {
  const char *data;
  size_t n, at, piece;
  int fail_at; /* fail when this many bytes were read (-1: never) */
} S_mem;

static int S_mem_read(void *src, void *buf, size_t cap, size_t *got) {
  S_mem *m = src;
  if (m->fail_at >= 0 && m->at >= (size_t)m->fail_at) {
    *got = 0;
    return MTPORT_EIO;
  }
  size_t k = m->n - m->at;
  if (k > cap)
    k = cap;
  if (m->piece && k > m->piece)
    k = m->piece;
  memcpy(buf, m->data + m->at, k);
  m->at += k;
  *got = k;
  return MTPORT_OK;
}

static int S_put(mtport_asset_store *st, const char *want, const char *mime,
                 const char *data, size_t n, mtport_asset_stored *res) {
  S_mem m = {data, n, 0, 7, -1};
  return mtport_asset_store_put(st, want, mime, S_mem_read, &m, 0, res);
}

static const char *S_webp(const void *head, size_t n, void *p) {
  (void)head, (void)n, (void)p;
  return "image/webp";
}

static const char *S_default(const void *head, size_t n, void *p) {
  (void)p;
  return mtport_asset_sniff(head, n);
}

static void test_store(void) {
  char *dir = t_tmpdir("assets");
  char root[4096];
  snprintf(root, sizeof root, "%s/out/static", dir);
  mtport_asset_store *st = NULL;
  CHECK_INT(mtport_asset_store_new(&st, root, 0), MTPORT_OK);
  mtport_asset_stored r;
  CHECK_INT(S_put(st, "blog/assets/a.txt", NULL, "abc", 3, &r), MTPORT_OK);
  CHECK_STR(r.path, "blog/assets/a.txt");
  CHECK_STR(r.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK_INT(r.bytes, 3);
  CHECK_INT(r.shared, 0);
  /* the same content under another name: stored once */
  CHECK_INT(S_put(st, "other/b.txt", NULL, "abc", 3, &r), MTPORT_OK);
  CHECK_INT(r.shared, 1);
  CHECK_STR(r.path, "blog/assets/a.txt");
  /* another content wanting a taken name, in any case */
  CHECK_INT(S_put(st, "blog/assets/a.txt", NULL, "abd", 3, &r), MTPORT_OK);
  CHECK_STR(r.path, "blog/assets/a-2.txt");
  CHECK_INT(S_put(st, "blog/assets/A.TXT", NULL, "abe", 3, &r), MTPORT_OK);
  CHECK_STR(r.path, "blog/assets/A-3.TXT");
  CHECK_INT(S_put(st, "blog/assets/a-2.txt", NULL, "abf", 3, &r), MTPORT_OK);
  CHECK_STR(r.path, "blog/assets/a-2-2.txt");
  /* extensions: from the mime type given, else from the bytes */
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
  CHECK_INT(S_put(st, ".a/6a00-pi", NULL, png, sizeof png - 1, &r), MTPORT_OK);
  CHECK_STR(r.path, "a/6a00-pi.png");
  CHECK_STR(r.mime, "image/png");
  CHECK_INT(S_put(st, "img.php", "image/gif", "GIF89a-x", 8, &r), MTPORT_OK);
  CHECK_STR(r.path, "img.gif");
  CHECK_INT(S_put(st, "page.php", NULL, "<?php", 5, &r), MTPORT_OK);
  CHECK_STR(r.path, "page-php");
  /* the sniffer is a hook (libmagic's): replaced, or none */
  mtport_asset_store_set_sniffer(st, S_webp, NULL);
  CHECK_INT(S_put(st, "noext", NULL, "RIFF", 4, &r), MTPORT_OK);
  CHECK_STR(r.path, "noext.webp");
  mtport_asset_store_set_sniffer(st, NULL, NULL);
  CHECK_INT(S_put(st, "noext2", NULL, png, sizeof png - 1 - 1, &r), MTPORT_OK);
  CHECK_STR(r.path, "noext2");
  CHECK(r.mime == NULL);
  mtport_asset_store_set_sniffer(st, S_default, NULL);
  /* unsafe wants are made safe again */
  CHECK_INT(S_put(st, "../../x/./CON.jpg", NULL, "con", 3, &r), MTPORT_OK);
  CHECK_STR(r.path, "x/CON_.jpg");
  CHECK_INT(S_put(st, "", NULL, "empty name", 10, &r), MTPORT_OK);
  CHECK_STR(r.path, "file");
  /* an empty file is a file */
  CHECK_INT(S_put(st, "zero.txt", NULL, "", 0, &r), MTPORT_OK);
  CHECK_INT(r.bytes, 0);
  CHECK_STR(r.sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  /* the files are there, with their bytes */
  char p[8192];
  size_t n;
  snprintf(p, sizeof p, "%s/blog/assets/A-3.TXT", root);
  char *got = t_slurp(p, &n);
  CHECK(got && n == 3 && memcmp(got, "abe", 3) == 0);
  free(got);
  /* a source that fails, or is too big: nothing left behind */
  S_mem bad = {"0123456789", 10, 0, 3, 6};
  CHECK_INT(
      mtport_asset_store_put(st, "fail.bin", NULL, S_mem_read, &bad, 0, &r),
      MTPORT_ERROR);
  CHECK_INT(r.source_rc, MTPORT_EIO);
  S_mem big = {"0123456789", 10, 0, 4, -1};
  CHECK_INT(
      mtport_asset_store_put(st, "big.bin", NULL, S_mem_read, &big, 9, &r),
      MTPORT_ERROR);
  CHECK_INT(r.source_rc, MTPORT_EUNSAFE);
  snprintf(p, sizeof p, "%s/fail.bin", root);
  CHECK(access(p, F_OK) != 0);
  CHECK_INT(S_count_prefixed(root, ".mtport-"), 0);
  /* a symlink on the way is never followed */
  snprintf(p, sizeof p, "%s/evil", root);
  CHECK_INT(symlink(dir, p), 0);
  CHECK_INT(S_put(st, "evil/x.txt", NULL, "x", 1, &r), MTPORT_EUNSAFE);
  snprintf(p, sizeof p, "%s/x.txt", dir);
  CHECK(access(p, F_OK) != 0);
  /* a file where a folder should be */
  CHECK_INT(S_put(st, "blog/assets/a.txt/y.txt", NULL, "y", 1, &r),
            MTPORT_EUNSAFE);
  size_t written, shared;
  uint64_t bytes;
  mtport_asset_store_counts(st, &written, &shared, &bytes);
  CHECK_INT(written, 12);
  CHECK_INT(shared, 1);
  CHECK_INT(bytes,
            3 * 4 + (sizeof png - 1) + 8 + 5 + 4 + (sizeof png - 2) + 3 + 10);
  mtport_asset_store_free(st);
  /* a second run over the same folder: names taken by earlier files are
   * refused, or replaced with FORCE (a symlink planted there is replaced,
   * never written through) */
  CHECK_INT(mtport_asset_store_new(&st, root, 0), MTPORT_OK);
  CHECK_INT(S_put(st, "blog/assets/a.txt", NULL, "new", 3, &r), MTPORT_EEXISTS);
  mtport_asset_store_free(st);
  snprintf(p, sizeof p, "%s/target.txt", dir);
  FILE *f = fopen(p, "w");
  fputs("outside", f);
  fclose(f);
  char l[8192];
  snprintf(l, sizeof l, "%s/blog/assets/link.txt", root);
  CHECK_INT(symlink(p, l), 0);
  CHECK_INT(mtport_asset_store_new(&st, root, MTPORT_STORE_FORCE), MTPORT_OK);
  CHECK_INT(S_put(st, "blog/assets/a.txt", NULL, "new", 3, &r), MTPORT_OK);
  CHECK_STR(r.path, "blog/assets/a.txt");
  CHECK_INT(S_put(st, "blog/assets/link.txt", NULL, "over", 4, &r),
            MTPORT_EEXISTS);
  got = t_slurp(p, &n);
  CHECK(got && n == 7 && memcmp(got, "outside", 7) == 0);
  free(got);
  mtport_asset_store_free(st);
  mtport_asset_store_free(NULL);
  CHECK_INT(mtport_asset_store_new(&st, "", 0), MTPORT_EINVALID);
  t_rmtree(dir);
  free(dir);
}

/* ---- the archive --------------------------------------------------------- */

typedef struct {
  long long id;
  char member[256], sha[65];
  unsigned long bytes;
} S_want;

/* MANIFEST.tsv of the samples: what each asset member holds. */
static size_t S_wants(S_want *w, size_t max) {
  size_t n;
  char *t = t_slurp(S_path("MANIFEST.tsv"), &n);
  size_t k = 0;
  char *line = t ? strchr(t, '\n') : NULL;
  while (line && *++line && k < max) {
    char url[1024];
    if (sscanf(line, "%lld\t%255[^\t]\t%64s\t%lu\t%1023s", &w[k].id,
               w[k].member, w[k].sha, &w[k].bytes, url) == 5)
      k++;
    line = strchr(line, '\n');
  }
  free(t);
  return k;
}

typedef struct {
  int backups, assets;
} S_man;

static int S_man_fn(const char *type, const char *name, long long id, void *p) {
  S_man *m = p;
  if (!strcmp(type, "backup"))
    m->backups++;
  else if (!strcmp(type, "asset") && id > 0 && *name)
    m->assets++;
  return 0;
}

/* Reads every member of @path: XML parts, assets (their bytes checked
 * through a store against MANIFEST.tsv), the manifest. */
static void S_read_backup(const char *path, int want_dir) {
  S_want w[32];
  size_t nw = S_wants(w, 32);
  CHECK_INT(nw, 10);
  mtport_archive *a = NULL;
  int rc = mtport_archive_open(&a, path, NULL);
  CHECK_INT(rc, MTPORT_OK);
  if (rc) {
    fprintf(stderr, "%s: %s\n", path, mtport_archive_error(a));
    mtport_archive_free(a);
    return;
  }
  char *dir = t_tmpdir("assets");
  mtport_asset_store *st = NULL;
  CHECK_INT(mtport_asset_store_new(&st, dir, 0), MTPORT_OK);
  const mtport_archive_member *m;
  int xml = 0, assets = 0, manifests = 0, checked = 0, parts = 0;
  uint64_t last = 0;
  while ((rc = mtport_archive_next(a, &m)) == 1) {
    CHECK(m->refused == NULL);
    CHECK(m->ordinal == last++);
    if (m->role == MTPORT_MEMBER_XML) {
      xml++;
      parts |= 1 << m->part;
      size_t got;
      char buf[100];
      CHECK_INT(mtport_archive_read(a, buf, sizeof buf, &got), MTPORT_OK);
      CHECK(got > 20 && memcmp(buf, "<?xml", 5) == 0);
    } else if (m->role == MTPORT_MEMBER_ASSET) {
      assets++;
      mtport_asset_stored r;
      CHECK_INT(mtport_asset_store_put(st, m->file_name, NULL,
                                       mtport_archive_read, a, 0, &r),
                MTPORT_OK);
      for (size_t i = 0; i < nw; i++)
        if (w[i].id == m->asset_id) {
          CHECK_STR(m->name, w[i].member);
          CHECK_STR(r.sha256, w[i].sha);
          CHECK_INT(r.bytes, w[i].bytes);
          CHECK_INT(m->size, (int64_t)w[i].bytes);
          checked++;
        }
    } else if (m->role == MTPORT_MEMBER_MANIFEST) {
      manifests++;
      mtport_buf text = MTPORT_BUF_INIT;
      char buf[256];
      size_t got;
      while (mtport_archive_read(a, buf, sizeof buf, &got) == MTPORT_OK && got)
        mtport_buf_append(&text, buf, got);
      S_man man = {0, 0};
      CHECK_INT(mtport_manifest_parse(text.data, text.len, S_man_fn, &man),
                MTPORT_OK);
      CHECK_INT(man.backups, 2);
      CHECK_INT(man.assets, 10);
      mtport_buf_dispose(&text);
    }
  }
  CHECK_INT(rc, 0);
  CHECK_INT(xml, 2);
  CHECK_INT(parts, 6); /* -1.xml and -2.xml */
  CHECK_INT(assets, 10);
  CHECK_INT(checked, 10);
  CHECK_INT(manifests, 1);
  /* past the end it stays at the end */
  CHECK_INT(mtport_archive_next(a, &m), want_dir ? 0 : 0);
  mtport_asset_store_free(st);
  mtport_archive_free(a);
  t_rmtree(dir);
  free(dir);
}

static void test_archive(void) {
  S_read_backup(S_path("backup.tar.gz"), 0);
  S_read_backup(S_path("backup.tgz"), 0);
  S_read_backup(S_path("backup.zip"), 0);
  S_read_backup(S_path("backup-sorted.zip"), 0);
  S_read_backup(S_path("backup"), 1);
  unsigned char head[512];
  memset(head, 0, sizeof head);
  CHECK_INT(mtport_archive_sniff("\x1f\x8b\x08", 3), 1);
  CHECK_INT(mtport_archive_sniff("PK\3\4", 4), 1);
  memcpy(head + 257, "ustar", 5);
  CHECK_INT(mtport_archive_sniff(head, sizeof head), 1);
  CHECK_INT(mtport_archive_sniff("<?xml", 5), 0);
  CHECK_INT(mtport_archive_sniff(NULL, 0), 0);
  /* the manifest parser on its own */
  S_man man = {0, 0};
  CHECK_INT(mtport_manifest_parse("<x/>", 4, S_man_fn, &man), MTPORT_EPARSE);
  CHECK_INT(mtport_manifest_parse("<manifest", 9, S_man_fn, &man),
            MTPORT_EPARSE);
  /* an external entity is never loaded: here it is even malformed */
  static const char ent[] =
      "<!DOCTYPE manifest [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<manifest><file type='asset' name='&x;' asset_id='3'/></manifest>";
  CHECK_INT(mtport_manifest_parse(ent, sizeof ent - 1, S_man_fn, &man),
            MTPORT_EPARSE);
  CHECK_INT(man.assets, 0);
}

/* The outcome of reading every member of a hostile archive. */
typedef struct {
  const char *file;
  const char *member; /* the members refused or failing (names shown,
                         '|'-separated) */
  const char *code;   /* its refusal code, or NULL when reading fails */
  int read_rc;        /* reading that member */
  int end_rc;         /* what the walk ends with */
  int ok_members;     /* members read whole */
} S_hostile;

static const S_hostile S_hostiles[] = {
    {"slip.tar", "../evil.txt", "archive-unsafe-name", MTPORT_EUNSAFE, 0, 2},
    {"slip-deep.tar.gz", "assets/../../evil.txt", "archive-unsafe-name",
     MTPORT_EUNSAFE, 0, 2},
    {"absolute.tar", "/tmp/mtport-evil.txt", "archive-unsafe-name",
     MTPORT_EUNSAFE, 0, 2},
    {"symlink.tar", "13-link.jpg", "archive-link", MTPORT_EUNSAFE, 0, 2},
    {"hardlink.tar", "13-hard.jpg", "archive-link", MTPORT_EUNSAFE, 0, 2},
    {"fifo.tar", "13-pipe.jpg", "archive-special", MTPORT_EUNSAFE, 0, 2},
    {"chardev.tar", "13-null.jpg", "archive-special", MTPORT_EUNSAFE, 0, 2},
    {"duplicate.tar", "12-tea.jpg", "archive-duplicate", MTPORT_EUNSAFE, 0, 2},
    {"duplicate.zip", "12-tea.jpg", "archive-duplicate", MTPORT_EUNSAFE, 0, 2},
    {"device.tar", "CON.xml|assets/aux.jpg", "archive-unsafe-name",
     MTPORT_EUNSAFE, 0, 2},
    /* libarchive reads a zip's '\\' as '/' */
    {"windows-slip.zip", "../evil.txt", "archive-unsafe-name", MTPORT_EUNSAFE,
     0, 2},
    {"drive.zip", "C:/evil.txt", "archive-unsafe-name", MTPORT_EUNSAFE, 0, 2},
    {"encrypted.zip", "13-secret.jpg", "archive-encrypted", MTPORT_EUNSAFE, 0,
     2},
    {"truncated.tar.gz", "13-temple.jpg", NULL, MTPORT_EPARSE, MTPORT_EPARSE,
     2},
    {"truncated-header.tar", "Movable_Type-2014-11-14-12-13-53-Backup-1.xml",
     NULL, MTPORT_EPARSE, MTPORT_EPARSE, 0},
    {"bomb.tar.gz", "13-zeros.bmp", NULL, MTPORT_EUNSAFE, MTPORT_EPARSE, 2},
};

static void S_one_hostile(const S_hostile *h) {
  mtport_archive *a = NULL;
  char path[4096];
  snprintf(path, sizeof path, "%s/hostile/%s", S_samples, h->file);
  int rc = mtport_archive_open(&a, path, NULL);
  CHECK_INT(rc, MTPORT_OK);
  if (rc) {
    mtport_archive_free(a);
    return;
  }
  const mtport_archive_member *m;
  int ok = 0, seen = 0;
  while ((rc = mtport_archive_next(a, &m)) == 1) {
    char buf[65536];
    size_t got;
    int r;
    uint64_t total = 0;
    while ((r = mtport_archive_read(a, buf, sizeof buf, &got)) == MTPORT_OK &&
           got)
      total += got;
    int listed = 0;
    for (const char *p = h->member; p && *p;) {
      size_t n = strcspn(p, "|");
      listed |= strlen(m->name) == n && !strncmp(m->name, p, n);
      p += n + (p[n] == '|');
    }
    int is_it = listed && (m->refused || r != MTPORT_OK);
    if (is_it) {
      seen++;
      CHECK_STR(m->refused_code, h->code);
      CHECK_INT(r, h->read_rc);
      /* the message names the member */
      const char *msg = m->refused ? m->refused : mtport_archive_error(a);
      if (!strstr(msg, m->name))
        fprintf(stderr, "%s: message '%s' does not name '%s'\n", h->file, msg,
                m->name);
      CHECK(strstr(msg, m->name) != NULL);
    } else if (r == MTPORT_OK && !m->refused)
      ok++;
    else
      fprintf(stderr, "%s: unexpected failure on '%s': %s\n", h->file, m->name,
              m->refused ? m->refused : mtport_archive_error(a));
  }
  if (rc != h->end_rc)
    fprintf(stderr, "%s: ends with %d (%s)\n", h->file, rc,
            mtport_archive_error(a));
  CHECK_INT(rc, h->end_rc);
  if (rc < 0) /* the error names the archive */
    CHECK(strstr(mtport_archive_error(a), h->file) != NULL);
  int want_seen = 0;
  for (const char *p = h->member; p && *p; p++)
    want_seen += p == h->member || p[-1] == '|';
  CHECK_INT(seen, want_seen);
  if (ok != h->ok_members)
    fprintf(stderr, "%s: %d members read\n", h->file, ok);
  CHECK_INT(ok, h->ok_members);
  mtport_archive_free(a);
}

static void test_hostile(void) {
  for (size_t i = 0; i < sizeof S_hostiles / sizeof *S_hostiles; i++)
    S_one_hostile(&S_hostiles[i]);
  /* nothing was ever written where the names point */
  CHECK(access("/tmp/mtport-evil.txt", F_OK) != 0);
  char p[8192];
  snprintf(p, sizeof p, "%s/evil.txt", S_samples);
  CHECK(access(p, F_OK) != 0);
  /* a name that is not UTF-8: read, shown repaired, still an asset */
  mtport_archive *a = NULL;
  CHECK_INT(mtport_archive_open(&a, S_path("hostile/latin1-name.tar"), NULL),
            MTPORT_OK);
  const mtport_archive_member *m;
  int found = 0;
  while (mtport_archive_next(a, &m) == 1)
    if (m->asset_id == 13) {
      found = 1;
      CHECK_INT(m->name_repaired, 1);
      CHECK_STR(m->name, "13-caf\xef\xbf\xbd.jpg");
      CHECK(m->refused == NULL);
    }
  CHECK_INT(found, 1);
  mtport_archive_free(a);
  /* not an archive at all */
  CHECK_INT(
      mtport_archive_open(&a, S_path("hostile/not-an-archive.tar.gz"), NULL),
      MTPORT_EPARSE);
  CHECK(strstr(mtport_archive_error(a), "not-an-archive") != NULL);
  mtport_archive_free(a);
  CHECK_INT(mtport_archive_open(&a, S_path("no-such-file.zip"), NULL),
            MTPORT_EIO);
  CHECK(a == NULL);
  /* the limits, settable */
  mtport_archive_limits lim = {300, 0, 0, 0};
  CHECK_INT(mtport_archive_open(&a, S_path("backup.tar.gz"), &lim), MTPORT_OK);
  int refused = 0;
  while (mtport_archive_next(a, &m) == 1) {
    if (m->refused) {
      refused++;
      CHECK_STR(m->refused_code, "archive-too-big");
      size_t got;
      char b[16];
      CHECK_INT(mtport_archive_read(a, b, sizeof b, &got), MTPORT_EUNSAFE);
    }
  }
  /* the XML parts, temple.jpg, the PDF, both PNGs, the manifest */
  CHECK_INT(refused, 7);
  mtport_archive_free(a);
  mtport_archive_limits few = {0, 0, 3, 0};
  CHECK_INT(mtport_archive_open(&a, S_path("backup.zip"), &few), MTPORT_OK);
  int n = 0, rc;
  while ((rc = mtport_archive_next(a, &m)) == 1)
    n++;
  CHECK_INT(n, 3);
  CHECK_INT(rc, MTPORT_EUNSAFE);
  mtport_archive_free(a);
  /* a looser ratio lets the 64 MiB of zeros through */
  mtport_archive_limits ratio = {0, 5000, 0, 0};
  CHECK_INT(mtport_archive_open(&a, S_path("hostile/bomb.tar.gz"), &ratio),
            MTPORT_OK);
  uint64_t zeros = 0;
  while ((rc = mtport_archive_next(a, &m)) == 1) {
    char b[65536];
    size_t got;
    while (mtport_archive_read(a, b, sizeof b, &got) == MTPORT_OK && got)
      if (m->asset_id == 13)
        zeros += got;
  }
  CHECK_INT(rc, 0);
  CHECK_INT(zeros, (uint64_t)64 << 20);
  mtport_archive_free(a);
}

/* ---- the mirror -----------------------------------------------------------
 */

static void test_mirror(void) {
  mtport_mirror *m = NULL;
  CHECK_INT(
      mtport_mirror_open(&m, S_path("mirror"), "http://example.com/blog/"),
      MTPORT_OK);
  static const struct {
    const char *url, *rel;
  } cases[] = {
      {"http://example.com/blog/images/banner.gif", "blog/images/banner.gif"},
      {"http://www.example.com/blog/assets/tea.jpg?v=2#x",
       "blog/assets/tea.jpg"},
      {"http://example.com/blog/%61ssets/tea.jpg", "blog/assets/tea.jpg"},
      {"http://example.com/blog/2009/04/", "blog/2009/04/index.html"},
      {"http://example.com/blog/2009/04", "blog/2009/04/index.html"},
      {"http://example.com/blog/search.php?q=x", "blog/search.php?q=x"},
      {"http://example.typepad.com/.a/6a00d8341c5f3a53ef0120a5e8d9ec970b-pi",
       "example.typepad.com/.a/6a00d8341c5f3a53ef0120a5e8d9ec970b-pi"},
      {"http://EXAMPLE.typepad.com/photos/uncategorized/lake.jpg",
       "example.typepad.com/photos/uncategorized/lake.jpg"},
      /* never out of the folder, never through a symlink */
      {"http://example.com/blog/assets/passwd.jpg", NULL},
      {"http://example.com/../../../../etc/passwd", NULL},
      {"http://example.com/blog/%2e%2e/%2e%2e/%2e%2e/etc/passwd", NULL},
      {"http://example.com/blog/assets%2f..%2f..%2fMANIFEST.tsv", NULL},
      {"http://example.com/blog/assets/tea.jpg%00.png", NULL},
      {"http://example.com/blog/none.jpg", NULL},
      {"http://example.com/blog/images/", NULL},
  };
  mtport_buf rel = MTPORT_BUF_INIT;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    int fd = -1;
    int rc = mtport_mirror_find(m, cases[i].url, &fd, &rel);
    if (rc != (cases[i].rel ? 1 : 0))
      fprintf(stderr, "mirror %s: %d\n", cases[i].url, rc);
    CHECK_INT(rc, cases[i].rel ? 1 : 0);
    if (rc == 1) {
      CHECK_STR(rel.data, cases[i].rel);
      CHECK(fd >= 0);
      char b[4];
      size_t got = 0;
      CHECK_INT(mtport_fd_read(&fd, b, sizeof b, &got), MTPORT_OK);
      CHECK(got > 0);
      close(fd);
    } else
      CHECK_INT(fd, -1);
  }
  mtport_mirror_free(m);
  /* a copy of the site folder itself: paths below the site's path */
  CHECK_INT(
      mtport_mirror_open(&m, S_path("mirror/blog"), "http://example.com/blog/"),
      MTPORT_OK);
  int fd;
  CHECK_INT(mtport_mirror_find(m, "http://example.com/blog/images/banner.gif",
                               &fd, &rel),
            1);
  CHECK_STR(rel.data, "images/banner.gif");
  close(fd);
  CHECK_INT(mtport_mirror_find(m, "http://example.com/blogimages/banner.gif",
                               &fd, &rel),
            0);
  mtport_mirror_free(m);
  CHECK_INT(mtport_mirror_open(&m, S_path("MANIFEST.tsv"), NULL), MTPORT_EIO);
  mtport_mirror_free(NULL);
  mtport_buf_dispose(&rel);
}

/* ---- asset records ---------------------------------------------------------
 */

typedef struct {
  int n;
  char last[512];
} S_diags;

static void S_diag(const mtport_diag *d, void *p) {
  S_diags *s = p;
  s->n++;
  snprintf(s->last, sizeof s->last, "%s:%lu: %s [%s]", d->file ? d->file : "",
           d->line, d->message, d->code);
}

static void S_check_records(mtport_asset_records *r) {
  CHECK_INT(mtport_asset_records_finish(r), MTPORT_OK);
  CHECK_INT(mtport_asset_records_count(r), 10);
  mtport_asset_record rec;
  CHECK_INT(mtport_asset_records_by_id(r, 12, &rec), 1);
  CHECK_STR(rec.url, "http://example.com/blog/assets/tea.jpg");
  CHECK_STR(rec.raw_url, "%r/assets/tea.jpg");
  CHECK_STR(rec.file_path, "%r/assets/tea.jpg");
  CHECK_STR(rec.file_name, "tea.jpg");
  CHECK_STR(rec.mime_type, "image/jpeg");
  CHECK_STR(rec.element, "image");
  CHECK_INT(rec.entry_id, 101);
  CHECK_INT(rec.parent, 0);
  CHECK_INT(rec.part, 2);
  CHECK(rec.line > 1);
  CHECK_INT(mtport_asset_records_by_id(r, 17, &rec), 1);
  CHECK_INT(rec.parent, 12);
  CHECK_INT(rec.entry_id, 0);
  CHECK_INT(mtport_asset_records_by_id(r, 99, &rec), 0);
  CHECK_INT(
      mtport_asset_records_by_url(
          r, "https://www.example.com/blog/assets/caf%c3%a9%20menu.png", &rec),
      1);
  CHECK_INT(rec.id, 21);
  CHECK_STR(rec.file_name, "caf\xc3\xa9 menu.png");
  CHECK_INT(
      mtport_asset_records_by_url(
          r, "http://example.com/blog/assets_c/2009/04/temple-13.html", &rec),
      1);
  CHECK_INT(rec.id, 18);
  CHECK_INT(rec.parent, 13);
  CHECK_INT(
      mtport_asset_records_by_url(r, "http://example.com/blog/x.jpg", &rec), 0);
  size_t n = 0;
  for (size_t i = 0; mtport_asset_records_at(r, i, &rec) == 1; i++)
    n++;
  CHECK_INT(n, 10);
}

static int S_fd_src(void *p, void *buf, size_t cap, size_t *got) {
  return mtport_fd_read(p, buf, cap, got);
}

static void test_records(void) {
  /* from the extracted backup's files, part 2 first: order does not matter */
  mtport_asset_records *r = NULL;
  CHECK_INT(mtport_asset_records_new(&r, NULL), MTPORT_OK);
  S_diags d = {0, ""};
  for (int part = 2; part >= 1; part--) {
    char p[4096];
    snprintf(p, sizeof p,
             "%s/backup/Movable_Type-2014-11-14-12-13-53-Backup-%d.xml",
             S_samples, part);
    int fd = open(p, O_RDONLY);
    CHECK(fd >= 0);
    CHECK_INT(mtport_asset_records_scan(r, S_fd_src, &fd, p, (unsigned)part,
                                        S_diag, &d),
              MTPORT_OK);
    close(fd);
  }
  CHECK_INT(d.n, 0);
  S_check_records(r);
  mtport_asset_records_free(r);
  /* streamed from the archive's members */
  CHECK_INT(mtport_asset_records_new(&r, NULL), MTPORT_OK);
  mtport_archive *a = NULL;
  CHECK_INT(mtport_archive_open(&a, S_path("backup.zip"), NULL), MTPORT_OK);
  const mtport_archive_member *m;
  while (mtport_archive_next(a, &m) == 1)
    if (m->role == MTPORT_MEMBER_XML)
      CHECK_INT(mtport_asset_records_scan(r, mtport_archive_read, a, m->name,
                                          m->part, S_diag, &d),
                MTPORT_OK);
  mtport_archive_free(a);
  S_check_records(r);
  mtport_asset_records_free(r);
  /* malformed XML: an error with its line, records before it kept; the
   * placeholders: %s from the support URL, %a from the archive URL */
  static const char bad[] =
      "<?xml version='1.0'?>\n<movabletype>\n"
      "<blog id='2' site_url='http://b.example/' "
      "archive_url='http://b.example/arch/'/>\n"
      "<image id='5' blog_id='2'><url>%a/x.png</url></image>\n"
      "<asset id='6' blog_id='0'><url>%s\\support\\y.png</url></asset>\n"
      "<asset id='7' blog_id='2'><url>rel/z.png</url></asset>\n"
      "<file blog_id='2'><url>%r/noid.png</url></file>\n"
      "<entry id='1'><text>x &undefined; y</text></entry>\n"
      "<image id='8' blog_id='2'/>\n</movabletype>\n";
  CHECK_INT(mtport_asset_records_new(&r, "http://static.example/mt-static/"),
            MTPORT_OK);
  S_mem mem = {bad, sizeof bad - 1, 0, 5, -1};
  d.n = 0;
  CHECK_INT(
      mtport_asset_records_scan(r, S_mem_read, &mem, "bad.xml", 0, S_diag, &d),
      MTPORT_EPARSE);
  CHECK_INT(d.n, 2); /* the record without an id, the XML error */
  CHECK(strstr(d.last, "bad.xml:8:") != NULL);
  CHECK(strstr(d.last, "[asset-records-xml]") != NULL);
  CHECK_INT(mtport_asset_records_finish(r), MTPORT_OK);
  mtport_asset_record rec;
  CHECK_INT(mtport_asset_records_by_id(r, 5, &rec), 1);
  CHECK_STR(rec.url, "http://b.example/arch/x.png");
  CHECK_INT(mtport_asset_records_by_id(r, 6, &rec), 1);
  CHECK_STR(rec.url, "http://static.example/mt-static/support/y.png");
  CHECK_INT(mtport_asset_records_by_id(r, 7, &rec), 1);
  CHECK_STR(rec.url, "http://b.example/rel/z.png");
  CHECK_INT(mtport_asset_records_by_id(r, 8, &rec), 0);
  CHECK_INT(mtport_asset_records_count(r), 3);
  mtport_asset_records_free(r);
  /* a failing source gives its code */
  CHECK_INT(mtport_asset_records_new(&r, NULL), MTPORT_OK);
  S_mem fail = {bad, sizeof bad - 1, 0, 5, 20};
  CHECK_INT(
      mtport_asset_records_scan(r, S_mem_read, &fail, "f.xml", 0, NULL, NULL),
      MTPORT_EIO);
  mtport_asset_records_free(r);
  mtport_asset_records_free(NULL);
}

/* ---- the report ---------------------------------------------------------- */

static void test_report(void) {
  mtport_asset_report *r = NULL;
  CHECK_INT(mtport_asset_report_new(&r), MTPORT_OK);
  mtport_asset_row row = {"http://example.com/b.png",
                          MTPORT_ASSET_COPIED,
                          "backup:15-b.png",
                          "blog/b.png",
                          997,
                          "ab12",
                          NULL};
  CHECK_INT(mtport_asset_report_set(r, &row), MTPORT_OK);
  CHECK_INT(mtport_asset_report_use(r, "http://example.com/b.png", "entry 2"),
            MTPORT_OK);
  CHECK_INT(mtport_asset_report_use(r, "http://example.com/b.png", "entry 2"),
            MTPORT_OK);
  CHECK_INT(mtport_asset_report_use(r, "http://example.com/b.png", "entry 5"),
            MTPORT_OK);
  CHECK_INT(
      mtport_asset_report_use(r, "http://example.com/a\tb.jpg", "entry 1"),
      MTPORT_OK);
  mtport_asset_row ext = {"http://other.org/x.jpg",
                          MTPORT_ASSET_EXTERNAL,
                          NULL,
                          NULL,
                          0,
                          NULL,
                          "another host"};
  CHECK_INT(mtport_asset_report_set(r, &ext), MTPORT_OK);
  CHECK_INT(mtport_asset_report_use(r, "http://other.org/x.jpg", "entry 1"),
            MTPORT_OK);
  /* a later set replaces: missing, then copied */
  mtport_asset_row c = {
      "http://example.com/c.pdf", MTPORT_ASSET_MISSING, NULL, NULL, 0, NULL,
      "no source has it"};
  CHECK_INT(mtport_asset_report_set(r, &c), MTPORT_OK);
  c.status = MTPORT_ASSET_SHARED;
  c.stored = "blog/b.png";
  c.bytes = 997;
  c.sha256 = "ab12";
  c.reason = "same content as http://example.com/b.png";
  CHECK_INT(mtport_asset_report_set(r, &c), MTPORT_OK);
  mtport_asset_row none = {NULL, 0, NULL, NULL, 0, NULL, NULL};
  CHECK_INT(mtport_asset_report_set(r, &none), MTPORT_EINVALID);
  size_t counts[MTPORT_ASSET_STATUS_COUNT];
  mtport_asset_report_counts(r, counts);
  CHECK_INT(counts[MTPORT_ASSET_COPIED], 1);
  CHECK_INT(counts[MTPORT_ASSET_SHARED], 1);
  CHECK_INT(counts[MTPORT_ASSET_MISSING], 1); /* used, never set */
  CHECK_INT(counts[MTPORT_ASSET_EXTERNAL], 1);
  FILE *f = tmpfile();
  CHECK_INT(mtport_asset_report_write(r, f), MTPORT_OK);
  rewind(f);
  char text[2048];
  size_t n = fread(text, 1, sizeof text - 1, f);
  text[n] = '\0';
  fclose(f);
  CHECK_STR(
      text,
      "url\tstatus\tsource\tstored\tbytes\tsha256\tposts\treason\n"
      "http://example.com/a\\tb.jpg\tmissing\t\t\t\t\tentry 1\t"
      "not resolved\n"
      "http://example.com/b.png\tcopied\tbackup:15-b.png\tblog/b.png\t"
      "997\tab12\tentry 2, entry 5\t\n"
      "http://example.com/c.pdf\tshared\t\tblog/b.png\t997\tab12\t\t"
      "same content as http://example.com/b.png\n"
      "http://other.org/x.jpg\texternal\t\t\t\t\tentry 1\tanother host\n");
  mtport_asset_report_free(r);
  /* many rows: sorted, every use kept */
  CHECK_INT(mtport_asset_report_new(&r), MTPORT_OK);
  char url[64], post[32];
  for (int i = 0; i < 20000; i++) {
    snprintf(url, sizeof url, "http://example.com/%05d.png",
             (i * 7919) % 20000);
    snprintf(post, sizeof post, "entry %d", i);
    mtport_asset_report_use(r, url, post);
    mtport_asset_report_use(r, url, "entry x");
  }
  f = tmpfile();
  CHECK_INT(mtport_asset_report_write(r, f), MTPORT_OK);
  rewind(f);
  char line[512], prev[512] = "";
  int rows = 0, sorted = 1;
  while (fgets(line, sizeof line, f)) {
    if (rows++ == 0)
      continue;
    if (strcmp(prev, line) >= 0)
      sorted = 0;
    snprintf(prev, sizeof prev, "%s", line);
  }
  fclose(f);
  CHECK_INT(rows, 20001);
  CHECK_INT(sorted, 1);
  mtport_asset_report_free(r);
  /* URLs past 16 MB in all are sorted from the spool: the same order */
  CHECK_INT(mtport_asset_report_new(&r), MTPORT_OK);
  char *big = malloc(1200);
  memset(big, 'x', 1199);
  big[1199] = '\0';
  memcpy(big, "http://example.com/", 19);
  for (int i = 0; i < 15000; i++) {
    snprintf(big + 19, 8, "%05d/", (i * 7919) % 15000);
    big[25] = 'y';
    mtport_asset_report_use(r, big, "entry 1");
  }
  free(big);
  f = tmpfile();
  CHECK_INT(mtport_asset_report_write(r, f), MTPORT_OK);
  rewind(f);
  char *l = malloc(4096), *pl = calloc(1, 4096);
  rows = 0, sorted = 1;
  while (fgets(l, 4096, f)) {
    if (rows++ == 0)
      continue;
    if (strcmp(pl, l) >= 0)
      sorted = 0;
    memcpy(pl, l, 4096);
  }
  free(l);
  free(pl);
  fclose(f);
  CHECK_INT(rows, 15001);
  CHECK_INT(sorted, 1);
  mtport_asset_report_free(r);
  mtport_asset_report_free(NULL);
  CHECK_STR(mtport_asset_status_name(MTPORT_ASSET_REFUSED), "refused");
}

int main(int argc, char **argv) {
  static const t_suite suites[] = {
      {"store", test_store},     {"archive", test_archive},
      {"hostile", test_hostile}, {"mirror", test_mirror},
      {"records", test_records}, {"report", test_report},
  };
  if (argc < 3) {
    fprintf(stderr, "usage: test_sources SUITE SAMPLES_DIR\n");
    return 2;
  }
  S_samples = argv[2];
  char *one[] = {argv[0], argv[1]};
  return t_run(2, one, suites, sizeof suites / sizeof *suites);
}
