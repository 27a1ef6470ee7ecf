/* A program outside the project, built against the installed library. */
#include <mtport/mtport.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  mtport_reader *r;
  if (argc < 2 || mtport_reader_open(&r, argv[1], NULL) != MTPORT_OK)
    return 2;
  const mtport_post *p;
  unsigned long n = 0;
  while (mtport_reader_next(r, &p) == 1)
    n++;
  printf("%s %s %lu\n", mtport_version(), mtport_reader_format(r), n);
  mtport_reader_free(r);
  return strcmp(mtport_version(), MTPORT_VERSION_STRING) != 0;
}
