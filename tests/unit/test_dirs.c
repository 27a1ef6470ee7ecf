/* Unit tests of the one walk that makes folders below an output folder
 * (src/core/dirs.c, internal): it makes what is missing, opens what is
 * there, and refuses every path that would leave the root, before making
 * anything. */
#include "../helpers.h"
#include "core/core.h"
#include "harness.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char *S_tmp;
static int S_root = -1;

/* 1 when @rel below the root is a folder (not a symlink to one). */
static int S_is_dir(const char *rel) {
  struct stat sb;
  return fstatat(S_root, rel, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
         S_ISDIR(sb.st_mode);
}

static int S_exists(const char *rel) {
  struct stat sb;
  return fstatat(S_root, rel, &sb, AT_SYMLINK_NOFOLLOW) == 0;
}

/* mtport__mkdirs_at() on all of @rel: 1 when it gave a descriptor of a
 * folder, else 0 with *unsafe and *err as it set them. */
static int S_make(const char *rel, int *unsafe, int *err) {
  *unsafe = -1;
  *err = 0;
  int fd = mtport__mkdirs_at(S_root, rel, strlen(rel), unsafe);
  if (fd < 0) {
    *err = errno;
    return 0;
  }
  struct stat sb;
  int ok = fd != S_root && fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode);
  close(fd);
  return ok;
}

static void test_create(void) {
  int unsafe, err;
  CHECK_INT(S_make("a/b/c", &unsafe, &err), 1);
  CHECK_INT(unsafe, 0);
  CHECK(S_is_dir("a") && S_is_dir("a/b") && S_is_dir("a/b/c"));
  /* existing folders are opened as they are, new ones made beside them */
  CHECK_INT(S_make("a/b/c", &unsafe, &err), 1);
  CHECK_INT(S_make("a/b/d", &unsafe, &err), 1);
  CHECK(S_is_dir("a/b/d"));
  /* only the first @len bytes count */
  int fd = mtport__mkdirs_at(S_root, "e/f", 1, &unsafe);
  CHECK(fd >= 0);
  if (fd >= 0)
    close(fd);
  CHECK(S_is_dir("e") && !S_exists("e/f"));
  /* empty components are skipped as the kernel skips them */
  CHECK_INT(S_make("g//h/", &unsafe, &err), 1);
  CHECK(S_is_dir("g/h"));
  /* the root itself: a descriptor of the caller's own */
  fd = mtport__mkdirs_at(S_root, "", 0, &unsafe);
  CHECK(fd >= 0 && fd != S_root);
  if (fd >= 0) {
    CHECK(fstatat(fd, "a/b/c", &(struct stat){0}, 0) == 0);
    close(fd);
  }
}

/* errno when mtport__mkdirs_at() refused all of @rel as unsafe; 0 when it
 * made the folder or failed otherwise. */
static int S_refused(const char *rel) {
  int unsafe, err;
  return !S_make(rel, &unsafe, &err) && unsafe == 1 ? err : 0;
}

static void test_refused(void) {
  /* a symlinked component, to a folder inside or outside the root */
  CHECK_INT(mkdirat(S_root, "in", 0777), 0);
  CHECK_INT(symlinkat("in", S_root, "lin"), 0);
  CHECK(S_refused("lin/x"));
  CHECK(!S_exists("in/x"));
  CHECK(S_refused("lin"));
  CHECK_INT(symlinkat("/", S_root, "lroot"), 0);
  CHECK(S_refused("lroot/tmp"));
  /* a dangling one is not made through either */
  CHECK_INT(symlinkat("gone", S_root, "ldang"), 0);
  CHECK(S_refused("ldang/x"));
  CHECK(!S_exists("gone"));
  /* "..", ".": refused before anything is made */
  CHECK_INT(S_refused(".."), EINVAL);
  CHECK_INT(S_refused("new/../up"), EINVAL);
  CHECK(!S_exists("new") && !S_exists("up"));
  CHECK_INT(S_refused("new/.."), EINVAL);
  CHECK_INT(S_refused("new/./x"), EINVAL);
  CHECK_INT(S_refused("a/../lroot/tmp"), EINVAL);
  CHECK(!S_exists("new"));
  /* absolute */
  CHECK_INT(S_refused("/tmp"), EINVAL);
  CHECK_INT(S_refused("//x"), EINVAL);
  /* a NUL byte inside the length */
  int unsafe;
  CHECK_INT(mtport__mkdirs_at(S_root, "nul\0x", 5, &unsafe), -1);
  CHECK_INT(unsafe, 1);
  CHECK(!S_exists("nul"));
  /* a file in the way, last or not */
  int fd = openat(S_root, "file", O_WRONLY | O_CREAT | O_EXCL, 0644);
  CHECK(fd >= 0);
  if (fd >= 0)
    close(fd);
  CHECK(S_refused("file"));
  CHECK_INT(S_refused("file/x"), ENOTDIR);
}

static void test_other_failures(void) {
  int unsafe, err;
  /* a name too long is a failure, not a refusal */
  char longname[300];
  memset(longname, 'n', sizeof longname - 1);
  longname[sizeof longname - 1] = '\0';
  CHECK_INT(S_make(longname, &unsafe, &err), 0);
  CHECK_INT(unsafe, 0);
  CHECK_INT(err, ENAMETOOLONG);
  /* a folder that cannot be written in (root ignores modes) */
  if (geteuid() != 0) {
    CHECK_INT(mkdirat(S_root, "ro", 0555), 0);
    CHECK_INT(S_make("ro/x", &unsafe, &err), 0);
    CHECK_INT(unsafe, 0);
    CHECK_INT(err, EACCES);
    fchmodat(S_root, "ro", 0755, 0);
  }
}

static void test_subdir(void) {
  mtport__subdir d = MTPORT__SUBDIR_INIT;
  int unsafe;
  CHECK_INT(mtport__subdir_open(&d, S_root, "x", 0, &unsafe), S_root);
  int fd = mtport__subdir_open(&d, S_root, "s/t/file", 3, &unsafe);
  CHECK(fd >= 0 && fd != S_root);
  CHECK(S_is_dir("s/t"));
  /* the same folder: the same descriptor */
  CHECK_INT(mtport__subdir_open(&d, S_root, "s/t", 3, &unsafe), fd);
  int other = mtport__subdir_open(&d, S_root, "s/u", 3, &unsafe);
  CHECK(other >= 0 && d.fd == other);
  CHECK_STR(d.rel.data, "s/u");
  /* a refusal leaves nothing open */
  CHECK_INT(mtport__subdir_open(&d, S_root, "../s", 4, &unsafe), -1);
  CHECK_INT(unsafe, 1);
  CHECK_INT(d.fd, -1);
  mtport__subdir_close(&d);
  mtport__subdir_close(&d);
  CHECK_INT(d.fd, -1);
}

int main(int argc, char **argv) {
  if (!(S_tmp = t_tmpdir("dirs")) ||
      (S_root = open(S_tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
    perror("mkdtemp");
    return 1;
  }
  static const t_suite suites[] = {{"create", test_create},
                                   {"refused", test_refused},
                                   {"failures", test_other_failures},
                                   {"subdir", test_subdir}};
  int rc = t_run(argc, argv, suites, sizeof suites / sizeof *suites);
  close(S_root);
  if (t_rmtree(S_tmp) != 0)
    fprintf(stderr, "cannot remove %s\n", S_tmp);
  free(S_tmp);
  return rc;
}
