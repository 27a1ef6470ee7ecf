/* Unit tests of the spool and the string set (src/core/spool.c,
 * src/core/strset.c), through the public API: both storage kinds give the
 * same answers, indexes are stable, keys are byte strings. */
#include "harness.h"
#include "mtport/mtport.h"
#include <stdio.h>
#include <stdlib.h>

static void test_spool(void) {
  mtport_spool *sp = NULL;
  CHECK_INT(mtport_spool_new(&sp, "test"), MTPORT_OK);
  uint64_t offs[3000];
  char buf[64], got[64];
  /* past 64 KB, so reads come from the file and from memory */
  for (int i = 0; i < 3000; i++) {
    int n = snprintf(buf, sizeof buf, "record %d of the spool", i);
    CHECK_INT(mtport_spool_append(sp, buf, (size_t)n, &offs[i]), MTPORT_OK);
  }
  CHECK(mtport_spool_size(sp) > 65536);
  for (int i = 2999; i >= 0; i -= 7) {
    int n = snprintf(buf, sizeof buf, "record %d of the spool", i);
    memset(got, 0, sizeof got);
    CHECK_INT(mtport_spool_read(sp, offs[i], got, (size_t)n), MTPORT_OK);
    CHECK_STR(got, buf);
  }
  CHECK_INT(mtport_spool_read(sp, mtport_spool_size(sp), got, 1),
            MTPORT_EINVALID);
  CHECK_INT(mtport_spool_errno(sp), 0);
  mtport_spool_free(sp);
  mtport_spool_free(NULL);
}

static void S_set_kind(unsigned flags) {
  mtport_strset *set = NULL;
  CHECK_INT(mtport_strset_new(&set, flags), MTPORT_OK);
  char key[32];
  size_t idx = 99;
  CHECK_INT(mtport_strset_find(set, "x", 1, &idx), 0);
  /* empty and binary keys are keys like any other */
  CHECK_INT(mtport_strset_add(set, "", 0, &idx), 1);
  CHECK_INT(idx, 0);
  CHECK_INT(mtport_strset_add(set, "a\0b", 3, &idx), 1);
  CHECK_INT(idx, 1);
  CHECK_INT(mtport_strset_find(set, "a", 1, NULL), 0);
  CHECK_INT(mtport_strset_find(set, "a\0b", 3, &idx), 1);
  CHECK_INT(idx, 1);
  int bad = 0;
  for (int i = 0; i < 200000; i++) {
    int n = snprintf(key, sizeof key, "key-%d", i);
    bad += mtport_strset_add(set, key, (size_t)n, &idx) != 1 ||
           idx != (size_t)i + 2;
  }
  CHECK_INT(bad, 0);
  CHECK_INT(mtport_strset_count(set), 200002);
  for (int i = 0; i < 200000; i += 3) {
    int n = snprintf(key, sizeof key, "key-%d", i);
    bad += mtport_strset_add(set, key, (size_t)n, &idx) != 0 ||
           idx != (size_t)i + 2;
    n = snprintf(key, sizeof key, "key-%d", i + 200000);
    bad += mtport_strset_find(set, key, (size_t)n, NULL) != 0;
  }
  CHECK_INT(bad, 0);
  CHECK_INT(mtport_strset_count(set), 200002);
  size_t len = 0;
  const char *k = mtport_strset_key(set, 12, &len);
  if (flags & MTPORT_STRSET_SPOOL)
    CHECK(k == NULL);
  else {
    CHECK_STR(k, "key-10");
    CHECK_INT(len, 6);
  }
  CHECK(mtport_strset_key(set, 200002, NULL) == NULL);
  CHECK_INT(mtport_strset_errno(set), 0);
  mtport_strset_free(set);
}

static void test_strset(void) {
  S_set_kind(0);
  S_set_kind(MTPORT_STRSET_SPOOL);
  /* reserved up front: the same answers */
  mtport_strset *set = NULL;
  CHECK_INT(mtport_strset_new(&set, MTPORT_STRSET_SPOOL), MTPORT_OK);
  CHECK_INT(mtport_strset_reserve(set, 1000), MTPORT_OK);
  for (int i = 0; i < 1000; i++) {
    char key[16];
    int n = snprintf(key, sizeof key, "%d", i % 500);
    CHECK_INT(mtport_strset_add(set, key, (size_t)n, NULL), i < 500);
  }
  mtport_strset_free(set);
  mtport_strset_free(NULL);
}

int main(int argc, char **argv) {
  static const t_suite suites[] = {{"spool", test_spool},
                                   {"strset", test_strset}};
  return t_run(argc, argv, suites, sizeof suites / sizeof *suites);
}
