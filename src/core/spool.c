/* Spools: bytes kept in an unlinked temporary file in $TMPDIR and read back
 * by offset, so what a run remembers per post costs disk, not memory.
 * Appends collect in memory and go out in 64 KB writes; one append is never
 * split between the file and memory, so it always reads back in one piece. */
#include "core.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_FLUSH_AT 65536

struct mtport_spool {
  char *tag;        /* for the temporary file's name */
  int fd;           /* -1 until the first append */
  uint64_t flushed; /* bytes in the file */
  mtport_buf pend;  /* bytes after them */
  int err;          /* errno of the first failure */
};

int mtport_spool_new(mtport_spool **out, const char *tag) {
  mtport_spool *sp = calloc(1, sizeof *sp);
  if (!sp || !(sp->tag = mtport__strdup(tag ? tag : "spool"))) {
    free(sp);
    return MTPORT_ENOMEM;
  }
  sp->fd = -1;
  *out = sp;
  return MTPORT_OK;
}

void mtport_spool_free(mtport_spool *sp) {
  if (!sp)
    return;
  if (sp->fd >= 0)
    close(sp->fd);
  mtport_buf_dispose(&sp->pend);
  free(sp->tag);
  free(sp);
}

/* Notes the first failure; returns MTPORT_EIO. */
static int S_failed(mtport_spool *sp) {
  if (!sp->err)
    sp->err = errno ? errno : EIO;
  return MTPORT_EIO;
}

static int S_flush(mtport_spool *sp) {
  size_t done = 0;
  while (done < sp->pend.len) {
    ssize_t w = pwrite(sp->fd, sp->pend.data + done, sp->pend.len - done,
                       (off_t)(sp->flushed + done));
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return S_failed(sp);
    done += (size_t)w;
  }
  sp->flushed += sp->pend.len;
  mtport_buf_clear(&sp->pend);
  return MTPORT_OK;
}

int mtport_spool_append(mtport_spool *sp, const void *data, size_t n,
                        uint64_t *off) {
  int rc;
  if (sp->err)
    return MTPORT_EIO;
  /* the file is made at once, so a $TMPDIR that cannot take one is found
   * on the first post, not after the first 64 KB */
  if (sp->fd < 0 && (sp->fd = mtport_temp_fd(sp->tag)) < 0)
    return S_failed(sp);
  if (sp->pend.len && sp->pend.len + n > S_FLUSH_AT && (rc = S_flush(sp)))
    return rc;
  if (off)
    *off = sp->flushed + sp->pend.len;
  return mtport_buf_append(&sp->pend, (const char *)data, n);
}

int mtport_spool_read(mtport_spool *sp, uint64_t off, void *dst, size_t n) {
  if (off >= sp->flushed) {
    if (off - sp->flushed > sp->pend.len ||
        n > sp->pend.len - (off - sp->flushed))
      return MTPORT_EINVALID;
    if (n)
      memcpy(dst, sp->pend.data + (off - sp->flushed), n);
    return MTPORT_OK;
  }
  size_t done = 0;
  while (done < n) {
    ssize_t r =
        pread(sp->fd, (char *)dst + done, n - done, (off_t)(off + done));
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return S_failed(sp);
    done += (size_t)r;
  }
  return MTPORT_OK;
}

uint64_t mtport_spool_size(const mtport_spool *sp) {
  return sp->flushed + sp->pend.len;
}

int mtport_spool_errno(const mtport_spool *sp) { return sp ? sp->err : 0; }
