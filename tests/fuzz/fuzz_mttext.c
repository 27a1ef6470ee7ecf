/* libFuzzer target for the MT text export importer: the whole reader over
 * the input, the record splitter at a split size taken from the input, and
 * the DATE/TAGS/filter grammars on its first line. tests/fuzz/driver.c
 * replays its corpus under ctest. */
#include "readers/mttext.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int S_tag(const char *t, size_t n, void *ud) {
  (void)t;
  *(size_t *)ud += n;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *d = (const char *)data;
  /* 1. the reader, as a user runs it */
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  o.format = "mt-text";
  if (size && (data[0] & 1))
    o.timezone = "America/New_York";
  if (size && (data[0] & 2))
    o.site_url = "http://example.com/blog/";
  mtport_reader *r = NULL;
  if (mtport_reader_open_mem(&r, d, size, "fuzz", &o) == MTPORT_OK) {
    const mtport_post *p;
    while (mtport_reader_next(r, &p) == 1)
      ;
    mtport_reader_free(r);
  }
  /* 2. the splitter fed in pieces must not depend on the piece size */
  mtport_mtt_core *c = NULL;
  if (mtport_mtt__core_new(&c) == MTPORT_OK) {
    size_t step = size ? (size_t)data[size - 1] % 17 + 1 : 1;
    for (size_t i = 0; i < size; i += step)
      mtport_mtt__core_feed(c, d + i, size - i < step ? size - i : step);
    mtport_mtt__core_finish(c);
    mtport_mtt_record rec;
    while (mtport_mtt__core_next(c, &rec))
      ;
    mtport_mtt__core_free(c);
  }
  /* 3. the grammars on the first line */
  const char *nl = memchr(d, '\n', size);
  char *line = mtport__strndup(d, nl ? (size_t)(nl - d) : size);
  if (line) {
    mtport_tm tm;
    size_t total = 0;
    mtport_mtt__parse_date(line, &tm);
    mtport_mtt__split_tags(line, S_tag, &total);
    mtport_mtt__text_format(line);
    char *b = mtport_mtt__dirify(line, 100);
    free(b);
    free(line);
  }
  return 0;
}
