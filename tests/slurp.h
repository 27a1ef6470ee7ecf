/* Reads a whole file, for the tests that check files byte by byte. */
#ifndef MTPORT_TEST_SLURP_H
#define MTPORT_TEST_SLURP_H
#include <mtport/mtport.h>
#include <stdio.h>

/* The file's bytes, NUL-terminated (caller frees), with *n set; NULL when
 * it cannot be opened. */
static inline char *t_slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  mtport_buf b = MTPORT_BUF_INIT;
  char tmp[65536];
  size_t k;
  while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
    mtport_buf_append(&b, tmp, k);
  fclose(f);
  *n = b.len;
  if (!b.data)
    mtport_buf_puts(&b, "");
  return mtport_buf_detach(&b);
}
#endif
