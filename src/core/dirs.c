/* Folders made below an open folder without ever leaving it: the one walk
 * the output files, the asset store and the assets folder go through, so a
 * symlink planted in an output tree or a ".." in a name is refused in one
 * place. */
#include "core.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* 1 when each component of @rel (its first @len bytes) names a folder
 * below the one it is in: not absolute, no "." or "..", no NUL byte. */
static int S_stays_below(const char *rel, size_t len) {
  if (len && rel[0] == '/')
    return 0;
  if (memchr(rel, '\0', len))
    return 0;
  for (size_t i = 0; i < len;) {
    const char *slash = memchr(rel + i, '/', len - i);
    size_t n = slash ? (size_t)(slash - (rel + i)) : len - i;
    if ((n == 1 && rel[i] == '.') ||
        (n == 2 && rel[i] == '.' && rel[i + 1] == '.'))
      return 0;
    i += n + 1;
  }
  return 1;
}

int mtport__mkdirs_at(int root_fd, const char *rel, size_t len, int *unsafe) {
  /* checked whole first, so a refused path makes no folder at all */
  *unsafe = !S_stays_below(rel, len);
  if (*unsafe) {
    errno = EINVAL;
    return -1;
  }
  int cur = root_fd;
  char comp[256];
  for (size_t i = 0, n; i < len; i += n + 1) {
    const char *slash = memchr(rel + i, '/', len - i);
    n = slash ? (size_t)(slash - (rel + i)) : len - i;
    if (n == 0) /* "a//b", "a/": the kernel reads them as "a/b", "a" */
      continue;
    if (n >= sizeof comp) {
      if (cur != root_fd)
        close(cur);
      errno = ENAMETOOLONG;
      return -1;
    }
    memcpy(comp, rel + i, n);
    comp[n] = '\0';
    int fd = openat(cur, comp, S_DIR_FLAGS);
    /* EEXIST: made by someone else since; opened again, still without
     * following what they made */
    if (fd < 0 && errno == ENOENT &&
        (mkdirat(cur, comp, 0777) == 0 || errno == EEXIST))
      fd = openat(cur, comp, S_DIR_FLAGS);
    int err = errno;
    if (cur != root_fd)
      close(cur);
    if (fd < 0) {
      *unsafe = err == ELOOP || err == ENOTDIR;
      errno = err;
      return -1;
    }
    cur = fd;
  }
  /* always a descriptor of the caller's own, the root's too */
  return cur != root_fd ? cur : openat(root_fd, ".", S_DIR_FLAGS);
}

int mtport__subdir_open(mtport__subdir *d, int root_fd, const char *rel,
                        size_t len, int *unsafe) {
  *unsafe = 0;
  if (len == 0)
    return root_fd;
  if (d->fd >= 0 && d->rel.len == len && memcmp(d->rel.data, rel, len) == 0)
    return d->fd;
  if (d->fd >= 0)
    close(d->fd);
  d->fd = -1;
  mtport_buf_clear(&d->rel);
  int fd = mtport__mkdirs_at(root_fd, rel, len, unsafe);
  if (fd < 0)
    return -1;
  if (mtport_buf_append(&d->rel, rel, len)) {
    close(fd);
    errno = ENOMEM;
    return -1;
  }
  d->fd = fd;
  return fd;
}

void mtport__subdir_close(mtport__subdir *d) {
  if (d->fd >= 0)
    close(d->fd);
  d->fd = -1;
  mtport_buf_dispose(&d->rel);
}
