/* The content store: files streamed into the output folder with their
 * SHA-256 (OpenSSL's libcrypto), one copy per content.
 *
 * A put streams its source into a temporary file beside the place it
 * wants, hashing as it goes; a content seen before is dropped and the
 * earlier path given back; a new one is linked to its name (link(2)
 * fails when the name exists, so nothing is ever written through) and the
 * temporary name removed. Folders are opened one segment at a time with
 * O_NOFOLLOW. What grows with the files (digests, names, paths) lives in
 * spooled sets: about 30 bytes of memory per file. */
#include "assets_int.h"
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_CHUNK 65536
#define S_HEAD 512

struct mtport_asset_store {
  char *root;
  int root_fd;
  unsigned flags;
  mtport__subdir dir; /* the folder of the last put */
  /* contents: digest -> index; each index's path in a spool */
  mtport_strset *digests;
  uint64_t *path_off; /* by digest index: offset of "len(4) path" */
  size_t path_cap;
  mtport_spool *paths;
  /* names taken (ASCII-folded) -> next suffix to try */
  mtport_strset *names;
  uint32_t *next_suffix;
  size_t suffix_cap;
  /* the current put */
  mtport_buf path, mime, tmp;
  unsigned char *chunk;
  mtport_asset_sniff_fn sniff;
  void *sniff_payload;
  size_t written, shared;
  uint64_t bytes;
  unsigned long counter;
};

static const char *S_default_sniff(const void *head, size_t n, void *p) {
  (void)p;
  return mtport_asset_sniff(head, n);
}

int mtport_asset_store_new(mtport_asset_store **out, const char *root,
                           unsigned flags) {
  *out = NULL;
  if (!root || !*root)
    return MTPORT_EINVALID;
  mtport_asset_store *st = calloc(1, sizeof *st);
  if (!st)
    return MTPORT_ENOMEM;
  st->root_fd = st->dir.fd = -1;
  st->flags = flags;
  st->sniff = S_default_sniff;
  if (!(st->root = mtport__strdup(root)) || !(st->chunk = malloc(S_CHUNK)) ||
      mtport_strset_new(&st->digests, MTPORT_STRSET_SPOOL) ||
      mtport_strset_new(&st->names, MTPORT_STRSET_SPOOL) ||
      mtport_spool_new(&st->paths, "asset-paths")) {
    mtport_asset_store_free(st);
    return MTPORT_ENOMEM;
  }
  /* the root and its parents, as the user named them */
  mtport_buf p = MTPORT_BUF_INIT;
  if (mtport_buf_puts(&p, root)) {
    mtport_asset_store_free(st);
    return MTPORT_ENOMEM;
  }
  for (size_t i = 1; i <= p.len; i++) {
    if (i < p.len && p.data[i] != '/')
      continue;
    char c = p.data[i];
    p.data[i] = '\0';
    if (mkdir(p.data, 0777) != 0 && errno != EEXIST) {
      mtport_buf_dispose(&p);
      mtport_asset_store_free(st);
      return MTPORT_EIO;
    }
    p.data[i] = c;
  }
  mtport_buf_dispose(&p);
  st->root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (st->root_fd < 0) {
    mtport_asset_store_free(st);
    return MTPORT_EIO;
  }
  *out = st;
  return MTPORT_OK;
}

void mtport_asset_store_free(mtport_asset_store *st) {
  if (!st)
    return;
  mtport__subdir_close(&st->dir);
  if (st->root_fd >= 0)
    close(st->root_fd);
  free(st->root);
  mtport_strset_free(st->digests);
  mtport_strset_free(st->names);
  mtport_spool_free(st->paths);
  free(st->path_off);
  free(st->next_suffix);
  mtport_buf_dispose(&st->path);
  mtport_buf_dispose(&st->mime);
  mtport_buf_dispose(&st->tmp);
  free(st->chunk);
  free(st);
}

void mtport_asset_store_set_sniffer(mtport_asset_store *st,
                                    mtport_asset_sniff_fn fn, void *payload) {
  st->sniff = fn;
  st->sniff_payload = payload;
}

void mtport_asset_store_counts(const mtport_asset_store *st, size_t *written,
                               size_t *shared, uint64_t *bytes) {
  if (written)
    *written = st ? st->written : 0;
  if (shared)
    *shared = st ? st->shared : 0;
  if (bytes)
    *bytes = st ? st->bytes : 0;
}

static int S_write_all(int fd, const unsigned char *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* @s made safe again, segment by segment, into @out. */
static int S_safe_path(mtport_buf *out, const char *s) {
  mtport_buf_clear(out);
  int rc = 0;
  while (*s && !rc) {
    size_t n = strcspn(s, "/");
    size_t before = out->len;
    if (before)
      rc = mtport_buf_putc(out, '/');
    if (!rc)
      rc = mtport_asset_safe_segment(out, s, n);
    if (!rc && out->len == before + (before ? 1 : 0)) {
      out->len = before;
      if (out->data)
        out->data[before] = '\0';
    }
    s += n;
    while (*s == '/')
      s++;
  }
  if (!rc && !out->len)
    rc = mtport_buf_puts(out, "file");
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}

/* The ASCII-folded form of @p (names compare so on macOS and Windows). */
static int S_fold(mtport_buf *out, const char *p, size_t n) {
  mtport_buf_clear(out);
  int rc = 0;
  for (size_t i = 0; i < n; i++)
    rc |= mtport_buf_putc(out, p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}

/* "dir/name.ext" with "-N" before the extension of the last segment. */
static int S_suffixed(mtport_buf *out, const char *p, size_t n, uint32_t k) {
  mtport_buf_clear(out);
  size_t ls = n;
  while (ls > 0 && p[ls - 1] != '/')
    ls--;
  size_t dot = n;
  for (size_t i = n; i > ls + 1; i--)
    if (p[i - 1] == '.') {
      dot = i - 1;
      break;
    }
  int rc = mtport_buf_append(out, p, dot);
  rc |= mtport_buf_printf(out, "-%u", k);
  rc |= mtport_buf_append(out, p + dot, n - dot);
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}

/* Claims a name for a new content: @st->path, suffixed while another
 * content of this run has it. Records the claim. */
static int S_claim(mtport_asset_store *st) {
  mtport_buf fold = MTPORT_BUF_INIT, cand = MTPORT_BUF_INIT;
  int rc = S_fold(&fold, st->path.data, st->path.len);
  size_t idx = 0;
  if (!rc)
    rc = mtport_strset_add(st->names, fold.data, fold.len, &idx);
  if (rc == 1)
    rc = MTPORT_OK; /* free: taken now */
  else if (rc == 0) {
    /* taken: try NAME-2, NAME-3... from where the last search stopped */
    size_t base_idx = idx;
    uint32_t k = base_idx < st->suffix_cap && st->next_suffix[base_idx]
                     ? st->next_suffix[base_idx]
                     : 2;
    for (;; k++) {
      if ((rc = S_suffixed(&cand, st->path.data, st->path.len, k)) ||
          (rc = S_fold(&fold, cand.data, cand.len)))
        break;
      size_t j;
      rc = mtport_strset_add(st->names, fold.data, fold.len, &j);
      if (rc < 0)
        break;
      if (rc == 1) {
        rc = MTPORT_OK;
        mtport_buf_clear(&st->path);
        rc = mtport_buf_append(&st->path, cand.data, cand.len);
        break;
      }
    }
    if (rc == MTPORT_OK && base_idx >= st->suffix_cap) {
      size_t nc = st->suffix_cap ? st->suffix_cap : 1024;
      while (nc <= base_idx)
        nc *= 2;
      uint32_t *a = realloc(st->next_suffix, nc * sizeof *a);
      if (!a)
        rc = MTPORT_ENOMEM;
      else {
        memset(a + st->suffix_cap, 0, (nc - st->suffix_cap) * sizeof *a);
        st->next_suffix = a;
        st->suffix_cap = nc;
      }
    }
    if (rc == MTPORT_OK)
      st->next_suffix[base_idx] = k + 1;
  }
  mtport_buf_dispose(&fold);
  mtport_buf_dispose(&cand);
  return rc;
}

/* The stored path of content @idx into st->path. */
static int S_path_of(mtport_asset_store *st, size_t idx) {
  uint32_t len;
  int rc = mtport_spool_read(st->paths, st->path_off[idx], &len, sizeof len);
  if (rc)
    return rc;
  mtport_buf_clear(&st->path);
  if (mtport__buf_reserve(&st->path, len))
    return MTPORT_ENOMEM;
  rc = mtport_spool_read(st->paths, st->path_off[idx] + sizeof len,
                         st->path.data, len);
  if (rc)
    return rc;
  st->path.len = len;
  st->path.data[len] = '\0';
  return MTPORT_OK;
}

static int S_record(mtport_asset_store *st, const unsigned char *digest) {
  size_t idx;
  int rc = mtport_strset_add(st->digests, digest, 32, &idx);
  if (rc < 0)
    return rc;
  if (idx >= st->path_cap) {
    size_t nc = st->path_cap ? st->path_cap * 2 : 1024;
    uint64_t *a = realloc(st->path_off, nc * sizeof *a);
    if (!a)
      return MTPORT_ENOMEM;
    st->path_off = a;
    st->path_cap = nc;
  }
  uint32_t len = (uint32_t)st->path.len;
  if ((rc = mtport_spool_append(st->paths, &len, sizeof len,
                                &st->path_off[idx])) ||
      (rc = mtport_spool_append(st->paths, st->path.data, len, NULL)))
    return rc;
  return MTPORT_OK;
}

/* Links temporary @tmp in @dfd to the name st->path ends with. */
static int S_link(mtport_asset_store *st, int dfd, const char *tmp,
                  const char *base) {
  if (linkat(dfd, tmp, dfd, base, 0) == 0)
    return MTPORT_OK;
  int err = errno;
  struct stat sb;
  if (err == EEXIST) {
    if (!(st->flags & MTPORT_STORE_FORCE) ||
        fstatat(dfd, base, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(sb.st_mode))
      return MTPORT_EEXISTS;
    /* --force: renamed over the old file (a symlink there would be
     * replaced, never followed) */
    return renameat(dfd, tmp, dfd, base) == 0 ? MTPORT_OK : MTPORT_EIO;
  }
  /* file systems without hard links: rename when the name is free */
  if (err == EPERM || err == ENOTSUP || err == EOPNOTSUPP || err == EXDEV ||
      err == EMLINK) {
    if (fstatat(dfd, base, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
        !(st->flags & MTPORT_STORE_FORCE))
      return MTPORT_EEXISTS;
    return renameat(dfd, tmp, dfd, base) == 0 ? MTPORT_OK : MTPORT_EIO;
  }
  errno = err;
  return MTPORT_EIO;
}

int mtport_asset_store_put(mtport_asset_store *st, const char *want,
                           const char *mime, mtport_read_fn rd, void *src,
                           uint64_t max_bytes, mtport_asset_stored *res) {
  if (!st || !want || !rd || !res)
    return MTPORT_EINVALID;
  memset(res, 0, sizeof *res);
  int rc = S_safe_path(&st->path, want);
  if (rc)
    return rc;
  const char *slash = strrchr(st->path.data, '/');
  size_t dn = slash ? (size_t)(slash - st->path.data) : 0;
  int unsafe;
  int dfd =
      mtport__subdir_open(&st->dir, st->root_fd, st->path.data, dn, &unsafe);
  if (dfd < 0)
    return unsafe ? MTPORT_EUNSAFE : MTPORT_EIO;
  /* the temporary file, beside its place */
  int fd = -1;
  for (int tries = 0; fd < 0 && tries < 100; tries++) {
    mtport_buf_clear(&st->tmp);
    if (mtport_buf_printf(&st->tmp, ".mtport-asset-%ld-%lu", (long)getpid(),
                          ++st->counter))
      return MTPORT_ENOMEM;
    fd = openat(dfd, st->tmp.data,
                O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 && errno != EEXIST)
      return MTPORT_EIO;
  }
  if (fd < 0)
    return MTPORT_EIO;
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
    EVP_MD_CTX_free(md);
    close(fd);
    unlinkat(dfd, st->tmp.data, 0);
    return MTPORT_ENOMEM;
  }
  unsigned char head[S_HEAD];
  size_t head_n = 0;
  uint64_t total = 0;
  rc = MTPORT_OK;
  for (;;) {
    size_t got = 0;
    int r = rd(src, st->chunk, S_CHUNK, &got);
    if (r < 0) {
      res->source_rc = r;
      rc = MTPORT_ERROR;
      break;
    }
    if (got == 0)
      break;
    total += got;
    if (max_bytes && total > max_bytes) {
      res->source_rc = MTPORT_EUNSAFE;
      rc = MTPORT_ERROR;
      break;
    }
    if (head_n < S_HEAD) {
      size_t k = got < S_HEAD - head_n ? got : S_HEAD - head_n;
      memcpy(head + head_n, st->chunk, k);
      head_n += k;
    }
    if (EVP_DigestUpdate(md, st->chunk, got) != 1) {
      rc = MTPORT_ENOMEM;
      break;
    }
    if (S_write_all(fd, st->chunk, got) != 0) {
      rc = MTPORT_EIO;
      break;
    }
  }
  unsigned char digest[32];
  unsigned dlen = 0;
  if (rc == MTPORT_OK && EVP_DigestFinal_ex(md, digest, &dlen) != 1)
    rc = MTPORT_ENOMEM;
  EVP_MD_CTX_free(md);
  if (close(fd) != 0 && rc == MTPORT_OK)
    rc = MTPORT_EIO;
  if (rc != MTPORT_OK) {
    unlinkat(dfd, st->tmp.data, 0);
    return rc;
  }
  for (int i = 0; i < 32; i++)
    snprintf(res->sha256 + 2 * i, 3, "%02x", digest[i]);
  res->bytes = total;
  /* the mime type: as given, else sniffed */
  mtport_buf_clear(&st->mime);
  const char *m = mime && *mime ? mime
                  : st->sniff   ? st->sniff(head, head_n, st->sniff_payload)
                                : NULL;
  if (m && mtport_buf_puts(&st->mime, m)) {
    unlinkat(dfd, st->tmp.data, 0);
    return MTPORT_ENOMEM;
  }
  res->mime = st->mime.len ? st->mime.data : NULL;
  size_t idx;
  rc = mtport_strset_find(st->digests, digest, 32, &idx);
  if (rc == 1) {
    unlinkat(dfd, st->tmp.data, 0);
    if ((rc = S_path_of(st, idx)))
      return rc;
    res->shared = 1;
    res->path = st->path.data;
    st->shared++;
    return MTPORT_OK;
  }
  if (rc < 0) {
    unlinkat(dfd, st->tmp.data, 0);
    return rc;
  }
  /* the extension from the mime type, then a name no content has */
  const char *ls = strrchr(st->path.data, '/');
  rc = mtport_assets__fix_ext(
      &st->path, ls ? (size_t)(ls - st->path.data) + 1 : 0, res->mime);
  if (!rc)
    rc = S_claim(st);
  if (rc) {
    unlinkat(dfd, st->tmp.data, 0);
    return rc;
  }
  const char *base = strrchr(st->path.data, '/');
  base = base ? base + 1 : st->path.data;
  rc = S_link(st, dfd, st->tmp.data, base);
  unlinkat(dfd, st->tmp.data, 0); /* gone already after a rename */
  if (rc)
    return rc;
  if ((rc = S_record(st, digest)))
    return rc;
  st->written++;
  st->bytes += total;
  res->path = st->path.data;
  return MTPORT_OK;
}

int mtport_fd_read(void *src, void *buf, size_t cap, size_t *got) {
  int fd = *(int *)src;
  for (;;) {
    ssize_t r = read(fd, buf, cap);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      *got = 0;
      return MTPORT_EIO;
    }
    *got = (size_t)r;
    return MTPORT_OK;
  }
}
