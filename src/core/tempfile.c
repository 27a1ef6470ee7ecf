/* Temporary files for spools: in $TMPDIR, as users expect, where
 * tmpfile() would ignore it. */
#include "core.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *mtport__temp_dir(void) {
  const char *dir = getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

int mtport_temp_fd(const char *tag) {
  const char *dir = mtport__temp_dir();
  size_t n = strlen(dir) + (tag ? strlen(tag) : 0) + 32;
  char *path = malloc(n);
  if (!path) {
    errno = ENOMEM;
    return -1;
  }
  snprintf(path, n, "%s/mtport-%s-XXXXXX", dir, tag ? tag : "spool");
  int fd = mkstemp(path);
  if (fd >= 0)
    unlink(path); /* nothing is left behind, whatever happens */
  free(path);
  if (fd >= 0 && fd <= 2) {
    /* a closed standard descriptor was free: a spool there would take
     * the output meant for stdout (and hide that stdout is closed) */
    int high = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    int err = errno;
    close(fd);
    errno = err;
    fd = high;
  }
  return fd;
}
