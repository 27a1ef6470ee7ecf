/* A tiny test harness: each test is a function; failures print file:line. */
#ifndef MTPORT_TEST_HARNESS_H
#define MTPORT_TEST_HARNESS_H
#include <stdio.h>
#include <string.h>

static int t_failures, t_checks;

#define CHECK(cond)                                                            \
  do {                                                                         \
    t_checks++;                                                                \
    if (!(cond)) {                                                             \
      t_failures++;                                                            \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

#define CHECK_STR(got, want)                                                   \
  do {                                                                         \
    const char *g_ = (got), *w_ = (want);                                      \
    t_checks++;                                                                \
    if (!g_ || !w_ ? g_ != w_ : strcmp(g_, w_) != 0) {                         \
      t_failures++;                                                            \
      fprintf(stderr, "%s:%d: %s\n  got:  %s\n  want: %s\n", __FILE__,         \
              __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");         \
    }                                                                          \
  } while (0)

#define CHECK_INT(got, want)                                                   \
  do {                                                                         \
    long long g_ = (long long)(got), w_ = (long long)(want);                   \
    t_checks++;                                                                \
    if (g_ != w_) {                                                            \
      t_failures++;                                                            \
      fprintf(stderr, "%s:%d: %s = %lld, want %lld\n", __FILE__, __LINE__,     \
              #got, g_, w_);                                                   \
    }                                                                          \
  } while (0)

/* Runs the suites named on the command line (all when none) and prints a
 * closing line ctest and CI can read. */
typedef struct t_suite {
  const char *name;
  void (*fn)(void);
} t_suite;

static int t_run(int argc, char **argv, const t_suite *suites, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int want = argc < 2;
    for (int a = 1; a < argc; a++)
      want |= strcmp(argv[a], suites[i].name) == 0;
    if (want)
      suites[i].fn();
  }
  printf("%d checks, %d failed\n", t_checks, t_failures);
  return t_failures ? 1 : 0;
}
#endif
