/* libFuzzer target for the backup archive reader (src/assets/archive.c)
 * and what reads its members: the manifest parser and the asset records.
 * The input is written to an unlinked temporary file and read as an
 * archive with small limits. Asserts: no crash, every member name valid
 * UTF-8 and safe once refused ones are set aside (no absolute name, no
 * ".." segment), a refused member never gives bytes, no member gives more
 * than the limit, and errors are sentences naming the archive.
 * tests/fuzz/CMakeLists.txt builds it with libFuzzer (MTPORT_FUZZ=ON) or
 * with driver.c, whose replay of tests/fuzz/corpus/archive ctest runs. */
#include <mtport/mtport.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_MAX_MEMBER (1u << 20)

static void S_fail(const char *what, const char *detail) {
  fprintf(stderr, "fuzz_archive: %s: %s\n", what, detail ? detail : "");
  abort();
}

static int S_manifest(const char *type, const char *name, long long id,
                      void *p) {
  (void)p, (void)id;
  if (!type || !name)
    S_fail("manifest field", "NULL");
  return 0;
}

static void S_diag(const mtport_diag *d, void *p) {
  (void)p;
  if (!d->code || !mtport_utf8_valid(d->message, strlen(d->message)))
    S_fail("diagnostic", d->message);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > (4u << 20))
    return 0;
  int fd = mtport_temp_fd("fuzz-archive");
  if (fd < 0)
    return 0;
  size_t done = 0;
  while (done < size) {
    ssize_t w = write(fd, data + done, size - done);
    if (w <= 0) {
      close(fd);
      return 0;
    }
    done += (size_t)w;
  }
  lseek(fd, 0, SEEK_SET);
  mtport_archive_limits lim = {S_MAX_MEMBER, 0, 1000, 0};
  mtport_archive *a = NULL;
  int rc = mtport_archive_open_fd(&a, fd, "fuzz.tar", &lim);
  if (rc != MTPORT_OK) {
    if (a && !strstr(mtport_archive_error(a), "fuzz.tar"))
      S_fail("open error without the archive's name", mtport_archive_error(a));
    mtport_archive_free(a);
    return 0;
  }
  mtport_asset_records *rec = NULL;
  if (mtport_asset_records_new(&rec, "http://static.example/") != MTPORT_OK)
    abort();
  const mtport_archive_member *m;
  static char buf[65536];
  while ((rc = mtport_archive_next(a, &m)) == 1) {
    if (!m->name || !mtport_utf8_valid(m->name, strlen(m->name)))
      S_fail("member name not UTF-8", m->name);
    if (!m->refused) {
      if (m->name[0] == '/' || m->name[0] == '\\' || strstr(m->name, ".."))
        if (m->name[0] == '/' || !strncmp(m->name, "../", 3) ||
            strstr(m->name, "/../") || strstr(m->name, "\\..\\") ||
            !strcmp(m->name, ".."))
          S_fail("unsafe name not refused", m->name);
    }
    if (m->role == MTPORT_MEMBER_XML && !m->refused) {
      mtport_asset_records_scan(rec, mtport_archive_read, a, m->name, m->part,
                                S_diag, NULL);
      continue;
    }
    mtport_buf text = MTPORT_BUF_INIT;
    uint64_t total = 0;
    size_t got;
    while ((rc = mtport_archive_read(a, buf, sizeof buf, &got)) == MTPORT_OK &&
           got) {
      if (m->refused)
        S_fail("a refused member gave bytes", m->name);
      total += got;
      if (m->role == MTPORT_MEMBER_MANIFEST && text.len < (1u << 20))
        mtport_buf_append(&text, buf, got);
    }
    if (total > S_MAX_MEMBER)
      S_fail("member past the limit", m->name);
    if (m->refused && rc == MTPORT_OK)
      S_fail("a refused member read without an error", m->name);
    if (m->role == MTPORT_MEMBER_MANIFEST && rc == MTPORT_OK)
      mtport_manifest_parse(text.data ? text.data : "", text.len, S_manifest,
                            NULL);
    mtport_buf_dispose(&text);
  }
  if (rc < 0 && !strstr(mtport_archive_error(a), "fuzz.tar"))
    S_fail("error without the archive's name", mtport_archive_error(a));
  mtport_asset_records_finish(rec);
  mtport_asset_record r;
  for (size_t i = 0; mtport_asset_records_at(rec, i, &r) == 1; i++)
    if (r.url && !mtport_utf8_valid(r.url, strlen(r.url)))
      S_fail("record URL not UTF-8", r.url);
  mtport_asset_records_free(rec);
  mtport_archive_free(a);
  return 0;
}
