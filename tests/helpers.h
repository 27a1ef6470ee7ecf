/* What the C tests share beside slurp.h: failures counted and printed for
 * the tests that do without the unit harness, fresh folders under $TMPDIR
 * and their removal, paths below a samples folder. All static inline, so
 * a test takes what it uses. Includers define _POSIX_C_SOURCE 200809L (the
 * test CMakeLists do) for mkdtemp(). */
#ifndef MTPORT_TEST_HELPERS_H
#define MTPORT_TEST_HELPERS_H
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- failures, one line each on stderr ---- */

static int t_fail_count;

static inline void t_fail(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
static inline void t_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("FAIL: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  t_fail_count++;
}

/* A failure with a printf message when @cond is false. */
#define EXPECT(cond, ...)                                                      \
  do {                                                                         \
    if (!(cond))                                                               \
      t_fail(__VA_ARGS__);                                                     \
  } while (0)

/* ---- folders ---- */

/* A fresh folder "$TMPDIR/mtport-@tag-XXXXXX" (caller frees the path), or
 * NULL. */
static inline char *t_tmpdir(const char *tag) {
  const char *t = getenv("TMPDIR");
  char tmpl[4096];
  snprintf(tmpl, sizeof tmpl, "%s/mtport-%s-XXXXXX", t && *t ? t : "/tmp", tag);
  char *d = mkdtemp(tmpl);
  return d ? strdup(d) : NULL;
}

/* Removes @p and, when it is a folder, all below it; a symlink is removed,
 * never followed. 0 when nothing is left, else -1. */
static inline int t_rmtree(const char *p) {
  struct stat st;
  if (lstat(p, &st) != 0)
    return 0;
  int rc = 0;
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(p);
    struct dirent *e;
    while (d && (e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
        continue;
      char q[8192];
      int n = snprintf(q, sizeof q, "%s/%s", p, e->d_name);
      rc |= n < 0 || (size_t)n >= sizeof q ? -1 : t_rmtree(q);
    }
    if (d)
      closedir(d);
    rc |= rmdir(p);
  } else
    rc |= unlink(p);
  return rc ? -1 : 0;
}

/* "@dir/@rel" in one of four static buffers, so a call may take two or
 * three of them at once. */
static inline const char *t_path(const char *dir, const char *rel) {
  static char buf[4][4096];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, rel);
  return buf[k];
}
#endif
