/* Fuzz target: an MT text export through the whole pipeline to a Hugo or
 * Jekyll site in a temporary folder, as `mtport convert` runs it: reading,
 * slug planning (collisions, suffixes, NFC and case folding), Markdown
 * conversion and file writing. Then every file under the folder is checked:
 * a regular file (no link, nothing outside), valid UTF-8 content, a name
 * without control or format characters, and no temporary file left. Any
 * violation aborts.
 *
 * Input: byte 0 picks the exporter and its options (bundle, section,
 * keep-underscores, no-comments, a site URL); the rest is the export. */
#define _GNU_SOURCE /* nftw's FTW_PHYS */
#include <ftw.h>
#include <mtport/mtport.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char S_root[256];

static void S_fail(const char *what, const char *path) {
  fprintf(stderr, "fuzz_site: %s: %s\n", what, path);
  abort();
}

/* U+200B..U+200F, U+202A..U+202E, U+2060..U+2069, U+FEFF, U+061C, U+00AD:
 * the format characters a slug must never keep. */
static int S_has_format_char(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  for (; *p; p++) {
    if (p[0] == 0xC2 && p[1] == 0xAD)
      return 1;
    if (p[0] == 0xD8 && p[1] == 0x9C)
      return 1;
    if (p[0] == 0xE2 && p[1] == 0x80 && p[2] &&
        ((p[2] >= 0x8B && p[2] <= 0x8F) || (p[2] >= 0xAA && p[2] <= 0xAE)))
      return 1;
    if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA0 && p[2] <= 0xA9)
      return 1;
    if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
      return 1;
  }
  return 0;
}

static int S_check(const char *path, const struct stat *st, int flag,
                   struct FTW *ftw) {
  (void)ftw;
  if (strncmp(path, S_root, strlen(S_root)) != 0)
    S_fail("outside the folder", path);
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  for (const char *c = base; *c; c++)
    if ((unsigned char)*c < 0x20 || *c == 0x7f)
      S_fail("control character in a name", path);
  if (!mtport_utf8_valid(base, strlen(base)))
    S_fail("a name is not UTF-8", path);
  if (S_has_format_char(base))
    S_fail("format character in a name", path);
  if (strstr(base, ".mtport-"))
    S_fail("temporary file left", path);
  if (flag == FTW_SL)
    S_fail("symlink in the output", path);
  if (flag != FTW_F)
    return 0;
  if (!S_ISREG(st->st_mode))
    S_fail("not a regular file", path);
  FILE *f = fopen(path, "rb");
  if (!f)
    S_fail("cannot read back", path);
  char *buf = malloc((size_t)st->st_size + 1);
  size_t n = buf ? fread(buf, 1, (size_t)st->st_size, f) : 0;
  fclose(f);
  if (!buf || n != (size_t)st->st_size)
    S_fail("short read", path);
  if (!mtport_utf8_valid(buf, n))
    S_fail("content is not UTF-8", path);
  free(buf);
  return 0;
}

static int S_rm(const char *path, const struct stat *st, int flag,
                struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  remove(path);
  return 0;
}

static void S_quiet(const mtport_diag *d, void *payload) {
  (void)d, (void)payload;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 1 << 20)
    return 0;
  unsigned pick = data[0];
  char tmpl[] = "/tmp/mtport-fuzz-site-XXXXXX";
  if (!mkdtemp(tmpl))
    return 0;
  snprintf(S_root, sizeof S_root, "%s/site", tmpl);
  char in[300];
  snprintf(in, sizeof in, "%s/export.txt", tmpl);
  FILE *f = fopen(in, "wb");
  if (!f || fwrite(data + 1, 1, size - 1, f) != size - 1) {
    if (f)
      fclose(f);
    nftw(tmpl, S_rm, 8, FTW_DEPTH | FTW_PHYS);
    return 0;
  }
  fclose(f);

  const char *opts[8];
  size_t k = 0;
  if (pick & 2)
    opts[k++] = "bundle=1";
  if (pick & 4)
    opts[k++] = "section=Ünïcode Posts";
  if (pick & 8)
    opts[k++] = "keep-underscores=1";
  if (pick & 16)
    opts[k++] = "no-comments=1";
  if (pick & 32)
    opts[k++] = "scaffold=1";
  opts[k] = NULL;
  mtport_registry *reg = NULL;
  if (mtport_registry_new(&reg) == MTPORT_OK) {
    const mtport_exporter *exp =
        mtport_registry_find(reg, (pick & 1) ? "jekyll" : "hugo");
    mtport_run_options ro = MTPORT_RUN_OPTIONS_INIT;
    ro.output = S_root;
    ro.options = opts;
    ro.jobs = 1;
    ro.reader.format = "mt-text";
    ro.reader.diag = S_quiet;
    if (pick & 64)
      ro.reader.site_url = "http://example.com/blog/";
    if (pick & 128)
      ro.reader.timezone = "Asia/Tokyo";
    const char *inputs[1] = {in};
    if (exp)
      mtport_run(NULL, inputs, 1, exp, &ro);
    mtport_registry_free(reg);
  }
  struct stat st;
  if (lstat(S_root, &st) == 0)
    nftw(S_root, S_check, 8, FTW_PHYS);
  nftw(tmpl, S_rm, 8, FTW_DEPTH | FTW_PHYS);
  return 0;
}
