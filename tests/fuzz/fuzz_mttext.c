/* libFuzzer target for the MT text export importer: the whole reader over
 * the input, the record splitter at a split size taken from the input, and
 * the DATE/TAGS/filter grammars on its first line. Built with
 * -DMTPORT_FUZZ_STANDALONE it is a replay driver that runs every file named
 * on the command line (or in a folder named there) once. */
#include "mttext.h"
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

#ifdef MTPORT_FUZZ_STANDALONE
#include <dirent.h>
#include <sys/stat.h>

static int S_run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    return 1;
  }
  mtport_buf b = MTPORT_BUF_INIT;
  char chunk[65536];
  size_t k;
  while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
    mtport_buf_append(&b, chunk, k);
  fclose(f);
  LLVMFuzzerTestOneInput((const uint8_t *)(b.data ? b.data : ""), b.len);
  mtport_buf_dispose(&b);
  return 0;
}

int main(int argc, char **argv) {
  int n = 0, bad = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
      DIR *dir = opendir(argv[i]);
      struct dirent *de;
      while (dir && (de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.')
          continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[i], de->d_name);
        bad += S_run_file(path);
        n++;
      }
      if (dir)
        closedir(dir);
    } else {
      bad += S_run_file(argv[i]);
      n++;
    }
  }
  printf("replayed %d input(s)\n", n);
  return bad || n == 0 ? 1 : 0;
}
#endif
