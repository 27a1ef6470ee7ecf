/* A copy of the old site's files (--assets-from DIR): an old URL maps to
 * DIR/<path>. Paths are walked one segment at a time from DIR with
 * O_NOFOLLOW, so neither a symlink nor ".." can lead outside it. */
#include "assets_int.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct mtport_mirror {
  int root_fd;
  char *site_path; /* the site URL's path, decoded, without its last '/' */
  mtport_buf seg, rel;
};

int mtport_mirror_open(mtport_mirror **out, const char *dir,
                       const char *site_url) {
  *out = NULL;
  if (!dir)
    return MTPORT_EINVALID;
  mtport_mirror *m = calloc(1, sizeof *m);
  if (!m)
    return MTPORT_ENOMEM;
  m->root_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (m->root_fd < 0) {
    free(m);
    return MTPORT_EIO;
  }
  if (site_url) {
    mtport_assets__url u;
    mtport_assets__split(site_url, &u);
    mtport_buf p = MTPORT_BUF_INIT;
    if (mtport_assets__pct_decode(&p, u.path, u.path_n)) {
      mtport_mirror_free(m);
      return MTPORT_ENOMEM;
    }
    while (p.len && p.data[p.len - 1] == '/')
      p.data[--p.len] = '\0';
    if (p.len && !(m->site_path = mtport_buf_detach(&p))) {
      mtport_buf_dispose(&p);
      mtport_mirror_free(m);
      return MTPORT_ENOMEM;
    }
    mtport_buf_dispose(&p);
  }
  *out = m;
  return MTPORT_OK;
}

void mtport_mirror_free(mtport_mirror *m) {
  if (!m)
    return;
  if (m->root_fd >= 0)
    close(m->root_fd);
  free(m->site_path);
  mtport_buf_dispose(&m->seg);
  mtport_buf_dispose(&m->rel);
  free(m);
}

/* Opens relative path @p (raw URL path segments, percent-encoded, '/'
 * separated, @n bytes) below the root, with @extra (a raw segment such as
 * "index.html", or NULL) after it. A folder at the end gives its
 * index.html. Returns an open descriptor of a regular file, -1 when there
 * is none, or -2 when out of memory. */
static int S_open_path(mtport_mirror *m, const char *p, size_t n,
                       const char *extra) {
  mtport_buf all = MTPORT_BUF_INIT;
  if (mtport_buf_append(&all, p, n) ||
      (extra && (mtport_buf_putc(&all, '/') || mtport_buf_puts(&all, extra)))) {
    mtport_buf_dispose(&all);
    return -2;
  }
  const char *a = all.data ? all.data : "";
  size_t len = all.len, i = 0;
  int cur = m->root_fd, fd = -1;
  mtport_buf_clear(&m->rel);
  for (;;) {
    while (i < len && a[i] == '/')
      i++;
    if (i >= len)
      break; /* no segment left that names a file */
    size_t j = i;
    while (j < len && a[j] != '/')
      j++;
    size_t k = j;
    while (k < len && a[k] == '/')
      k++;
    int last = k >= len;
    mtport_buf_clear(&m->seg);
    if (mtport_assets__pct_decode(&m->seg, a + i, j - i)) {
      fd = -2;
      break;
    }
    i = k;
    const char *d = m->seg.data ? m->seg.data : "";
    if (strlen(d) != m->seg.len || strchr(d, '/') || strcmp(d, "..") == 0)
      break; /* never climbs, never a NUL or a '/' in a name */
    if (strcmp(d, ".") == 0)
      continue;
    int nfd = openat(
        cur, d, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? 0 : O_DIRECTORY));
    if (cur != m->root_fd)
      close(cur);
    cur = m->root_fd;
    if (nfd < 0)
      break;
    if ((m->rel.len && mtport_buf_putc(&m->rel, '/')) ||
        mtport_buf_puts(&m->rel, d)) {
      close(nfd);
      fd = -2;
      break;
    }
    if (!last) {
      cur = nfd;
      continue;
    }
    struct stat st;
    if (fstat(nfd, &st) == 0 && S_ISREG(st.st_mode)) {
      fd = nfd;
      break;
    }
    if (fstat(nfd, &st) == 0 && S_ISDIR(st.st_mode)) {
      /* a folder: its index.html */
      int ifd = openat(nfd, "index.html", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
      if (ifd >= 0 && fstat(ifd, &st) == 0 && S_ISREG(st.st_mode)) {
        if (mtport_buf_puts(&m->rel, "/index.html")) {
          close(ifd);
          fd = -2;
        } else
          fd = ifd;
      } else if (ifd >= 0)
        close(ifd);
    }
    close(nfd);
    break;
  }
  if (cur != m->root_fd)
    close(cur);
  mtport_buf_dispose(&all);
  return fd;
}

/* Tries @path with the URL's query as wget names such files, then
 * without it. */
static int S_try(mtport_mirror *m, const char *path, size_t n,
                 const mtport_assets__url *u) {
  int dir = n == 0 || path[n - 1] == '/';
  if (u->has_query && u->query_n && !dir) {
    mtport_buf q = MTPORT_BUF_INIT;
    /* "name?query" as one segment: '?' itself is written escaped */
    if (mtport_buf_append(&q, path, n) || mtport_buf_puts(&q, "%3F") ||
        mtport_buf_append(&q, u->query, u->query_n)) {
      mtport_buf_dispose(&q);
      return -2;
    }
    int fd = S_open_path(m, q.data, q.len, NULL);
    mtport_buf_dispose(&q);
    if (fd != -1)
      return fd;
  }
  return S_open_path(m, path, n, dir ? "index.html" : NULL);
}

int mtport_mirror_find(mtport_mirror *m, const char *url, int *fd,
                       mtport_buf *rel) {
  *fd = -1;
  if (!m || !url)
    return MTPORT_EINVALID;
  mtport_assets__url u;
  mtport_assets__split(url, &u);
  const char *p = u.path;
  size_t n = u.path_n;
  int r = S_try(m, p, n, &u);
  /* below the site's path: a copy of the site folder itself */
  if (r == -1 && m->site_path) {
    mtport_buf d = MTPORT_BUF_INIT;
    if (mtport_assets__pct_decode(&d, p, n))
      r = -2;
    else {
      /* the raw prefix that decodes to the site path */
      size_t sl = strlen(m->site_path), k = 0, dk = 0;
      while (k < n && dk < sl) {
        if (p[k] == '%' && k + 2 < n)
          k += 3;
        else
          k++;
        dk++;
      }
      if (d.len >= sl && memcmp(d.data, m->site_path, sl) == 0 &&
          (d.len == sl || d.data[sl] == '/') && dk == sl)
        r = S_try(m, p + k, n - k, &u);
    }
    mtport_buf_dispose(&d);
  }
  /* wget --mirror: DIR/HOST/PATH, the host as written and without or
   * with "www." */
  for (int w = 0; r == -1 && u.host_n && w < 2; w++) {
    mtport_buf hp = MTPORT_BUF_INIT;
    const char *h = u.host;
    size_t hn = u.host_n;
    int www = hn > 4 && mtport_assets__ieq(h, 4, "www.");
    int rc = 0;
    if (w == 1 && www)
      h += 4, hn -= 4;
    else if (w == 1)
      rc |= mtport_buf_puts(&hp, "www.");
    for (size_t i = 0; i < hn; i++)
      rc |= mtport_buf_putc(
          &hp, (char)(h[i] >= 'A' && h[i] <= 'Z' ? h[i] + 32 : h[i]));
    if (u.port_n) {
      rc |= mtport_buf_putc(&hp, ':');
      rc |= mtport_buf_append(&hp, u.port, u.port_n);
    }
    rc |= mtport_buf_append(&hp, p, n);
    r = rc ? -2 : S_try(m, hp.data, hp.len, &u);
    mtport_buf_dispose(&hp);
  }
  if (r == -2)
    return MTPORT_ENOMEM;
  if (r < 0)
    return 0;
  if (rel) {
    mtport_buf_clear(rel);
    if (mtport_buf_append(rel, m->rel.data ? m->rel.data : "", m->rel.len)) {
      close(r);
      return MTPORT_ENOMEM;
    }
  }
  *fd = r;
  return 1;
}
