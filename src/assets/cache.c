/* The fetcher's cache on disk: one record per URL, written so that a run
 * killed at any point leaves every entry either whole or absent.
 *
 * A download streams to a temporary file under v1/tmp/, hashed as it goes;
 * when it is whole it is renamed to objects/<k2>/<key>-<sha16> (a name of
 * its content, so a new copy never overwrites the file an old record names)
 * and only then is the .meta record written to a temporary name and renamed
 * over the old one. The record is the entry: a file without one is a
 * leftover, a record whose file is missing or of another size is no entry.
 * Nothing read from the cache becomes a path: names come from the key and
 * a checked hash, the extension is checked too. */
#include "core/core.h"
#include "fetch.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define S_META_MAX 65536 /* a record is a few hundred bytes */

struct mtport_fetch__cache {
  char *objects; /* <dir>/v1/objects */
  char *tmp;     /* <dir>/v1/tmp */
  long pid;
  unsigned long seq; /* temporary names; one thread uses a cache */
};

struct mtport_fetch__part {
  mtport_fetch__cache *c;
  char *path;
  int fd;
  uint64_t size;
  EVP_MD_CTX *md;
};

/* ---- names ------------------------------------------------------------ */

static const char *const S_errors[] = {
    "ok",       "http",    "network", "timeout",  "too-large",
    "redirect", "refused", "offline", "no-image", "cache"};
static const char *const S_sources[] = {"-", "fetched", "cached",
                                        "revalidated"};

const char *mtport_fetch__error_name(mtport_fetch_error e) {
  unsigned i = (unsigned)e;
  return i < sizeof S_errors / sizeof *S_errors ? S_errors[i] : "?";
}

const char *mtport_fetch__source_name(mtport_fetch_source s) {
  unsigned i = (unsigned)s;
  return i < sizeof S_sources / sizeof *S_sources ? S_sources[i] : "?";
}

void mtport_fetch__record_clear(mtport_fetch__record *r) {
  free(r->url);
  free(r->final_url);
  free(r->mime);
  free(r->ext);
  free(r->etag);
  free(r->last_modified);
  free(r->reason);
  memset(r, 0, sizeof *r);
}

int mtport_fetch__transient(const mtport_fetch__record *r) {
  switch (r->error) {
  case MTPORT_FETCH_ENETWORK:
  case MTPORT_FETCH_ETIMEOUT:
  case MTPORT_FETCH_EREDIRECT:
  case MTPORT_FETCH_ECACHE:
    return 1;
  case MTPORT_FETCH_EHTTP:
    return r->http_status == 408 || r->http_status == 425 ||
           r->http_status == 429 || r->http_status >= 500;
  default:
    return 0;
  }
}

/* ---- hashing ---------------------------------------------------------- */

static void S_hex(const unsigned char *d, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[d[i] >> 4];
    out[2 * i + 1] = digits[d[i] & 15];
  }
  out[2 * n] = '\0';
}

void mtport_fetch__key(const char *url, char key[65]) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!EVP_Digest(url, strlen(url), d, &n, EVP_sha256(), NULL) || n != 32)
    memset(d, 0, n = 32); /* cannot happen with libcrypto's own SHA-256 */
  S_hex(d, 32, key);
}

static int S_is_hex(const char *s, size_t n) {
  if (strlen(s) != n)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return 0;
  return 1;
}

/* ---- the folder ------------------------------------------------------- */

/* mkdir -p: each missing component made 0777 & ~umask. */
static int S_mkdirs(const char *path) {
  char *p = mtport__strdup(path);
  if (!p)
    return MTPORT_ENOMEM;
  int rc = MTPORT_OK;
  for (char *s = p + 1;; s++) {
    if (*s != '/' && *s)
      continue;
    char c = *s;
    *s = '\0';
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
      rc = MTPORT_EIO;
      break;
    }
    *s = c;
    if (!c)
      break;
  }
  struct stat st;
  if (!rc && (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))) {
    errno = ENOTDIR;
    rc = MTPORT_EIO;
  }
  free(p);
  return rc;
}

static char *S_join(const char *a, const char *b) {
  mtport_buf s = MTPORT_BUF_INIT;
  if (mtport_buf_printf(&s, "%s/%s", a, b)) {
    mtport_buf_dispose(&s);
    return NULL;
  }
  return mtport_buf_detach(&s);
}

/* A temporary name is <what>-<pid>-<seq>.<ext>: leftovers of a process
 * that is gone (killed) are removed; those of a live one are its own. */
static void S_sweep(const char *tmp, long self) {
  DIR *d = opendir(tmp);
  if (!d)
    return;
  struct dirent *e;
  while ((e = readdir(d))) {
    const char *dash = strchr(e->d_name, '-');
    if (!dash)
      continue;
    char *end;
    long pid = strtol(dash + 1, &end, 10);
    if (end == dash + 1 || *end != '-' || pid <= 0)
      continue;
    if (pid != self && kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
      char *p = S_join(tmp, e->d_name);
      if (p)
        unlink(p);
      free(p);
    }
  }
  closedir(d);
}

int mtport_fetch__cache_open(mtport_fetch__cache **out, const char *dir) {
  *out = NULL;
  mtport_fetch__cache *c = calloc(1, sizeof *c);
  char *v1 = S_join(dir, "v1");
  if (!c || !v1 || !(c->objects = S_join(v1, "objects")) ||
      !(c->tmp = S_join(v1, "tmp"))) {
    free(v1);
    mtport_fetch__cache_free(c);
    return MTPORT_ENOMEM;
  }
  free(v1);
  int rc = S_mkdirs(c->objects);
  if (!rc)
    rc = S_mkdirs(c->tmp);
  if (rc) {
    int e = errno;
    mtport_fetch__cache_free(c);
    errno = e;
    return rc;
  }
  /* tells backup tools the folder can be rebuilt (bford.info/cachedir) */
  char *tag = S_join(dir, "CACHEDIR.TAG");
  if (tag) {
    int fd = open(tag, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
    if (fd >= 0) {
      static const char sig[] =
          "Signature: 8a477f597d28d172789f06886806bc55\n"
          "# mtport's download cache: safe to delete, reruns fetch again.\n";
      if (write(fd, sig, sizeof sig - 1) < 0) {
        /* only a courtesy */
      }
      close(fd);
    }
    free(tag);
  }
  c->pid = (long)getpid();
  S_sweep(c->tmp, c->pid);
  *out = c;
  return MTPORT_OK;
}

void mtport_fetch__cache_free(mtport_fetch__cache *c) {
  if (!c)
    return;
  free(c->objects);
  free(c->tmp);
  free(c);
}

/* objects/<k2>/<key><suffix> */
static int S_object(mtport_fetch__cache *c, const char *key, const char *suffix,
                    mtport_buf *out) {
  mtport_buf_clear(out);
  return mtport_buf_printf(out, "%s/%.2s/%s%s", c->objects, key, key, suffix);
}

static int S_data_path(mtport_fetch__cache *c, const char *key, const char *sha,
                       mtport_buf *out) {
  char suffix[18];
  snprintf(suffix, sizeof suffix, "-%.16s", sha);
  return S_object(c, key, suffix, out);
}

int mtport_fetch__cache_path(mtport_fetch__cache *c,
                             const mtport_fetch__record *r, mtport_buf *out) {
  char key[65];
  mtport_fetch__key(r->url, key);
  return S_data_path(c, key, r->sha256, out);
}

static int S_temp_name(mtport_fetch__cache *c, const char *key, const char *ext,
                       mtport_buf *out) {
  mtport_buf_clear(out);
  return mtport_buf_printf(out, "%s/%.16s-%ld-%lu.%s", c->tmp, key, c->pid,
                           ++c->seq, ext);
}

/* ---- the record's text form ------------------------------------------- */

/* "name value\n" with control characters of the value made spaces, so a
 * value can never start a line of its own. */
static int S_field(mtport_buf *b, const char *name, const char *v) {
  if (!v)
    return MTPORT_OK;
  int rc = mtport_buf_puts(b, name) | mtport_buf_putc(b, ' ');
  for (const char *p = v; *p && !rc; p++)
    rc = mtport_buf_putc(b, (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p);
  return rc | mtport_buf_putc(b, '\n');
}

int mtport_fetch__record_format(const mtport_fetch__record *r, mtport_buf *b) {
  int rc = mtport_buf_puts(b, "mtport-fetch-cache 1\n");
  rc |= S_field(b, "url", r->url);
  rc |= mtport_buf_printf(b, "ok %d\nerror %s\nstatus %ld\ncurl %d\n",
                          r->ok ? 1 : 0, mtport_fetch__error_name(r->error),
                          r->http_status, r->curl_code);
  rc |= S_field(b, "final", r->final_url);
  rc |= S_field(b, "mime", r->mime);
  rc |= S_field(b, "ext", r->ext);
  rc |= S_field(b, "etag", r->etag);
  rc |= S_field(b, "last-modified", r->last_modified);
  rc |= mtport_buf_printf(b, "size %llu\nlimit %llu\n",
                          (unsigned long long)r->size,
                          (unsigned long long)r->limit);
  if (r->ok)
    rc |= S_field(b, "sha256", r->sha256);
  rc |= mtport_buf_printf(b, "time %lld\nrun %016llx\nsource %s\n",
                          (long long)r->time, (unsigned long long)r->run,
                          mtport_fetch__source_name(r->source));
  rc |= S_field(b, "reason", r->reason);
  rc |= mtport_buf_puts(b, "end\n"); /* a record cut short has none */
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}

static int S_uint(const char *v, uint64_t *out, int base) {
  char *end;
  errno = 0;
  unsigned long long x = strtoull(v, &end, base);
  if (end == v || *end || errno || *v == '-')
    return 0;
  *out = x;
  return 1;
}

/* A type is "token/token" of letters, digits and + - . _ */
static int S_mime_ok(const char *s) {
  int slash = 0;
  size_t n = 0;
  for (; *s; s++, n++) {
    if (*s == '/')
      slash++;
    else if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
               strchr("+-._", *s)))
      return 0;
  }
  return slash == 1 && n > 2 && n < 128;
}

/* An extension that may become part of a file name: [a-z0-9]{1,10}. */
static int S_ext_ok(const char *s) {
  size_t n = strlen(s);
  if (n < 1 || n > 10)
    return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
      return 0;
  return 1;
}

static int S_set(char **slot, const char *v) {
  free(*slot);
  *slot = mtport__strdup(v);
  return *slot ? MTPORT_OK : MTPORT_ENOMEM;
}

int mtport_fetch__record_parse(const char *s, size_t n,
                               mtport_fetch__record *r) {
  mtport_fetch__record_clear(r);
  static const char head[] = "mtport-fetch-cache 1\n";
  if (n < sizeof head - 1 || memcmp(s, head, sizeof head - 1) != 0)
    return MTPORT_EPARSE;
  mtport_buf line = MTPORT_BUF_INIT;
  int rc = MTPORT_OK, have_ok = 0, have_sha = 0, have_size = 0, end = 0;
  const char *p = s + sizeof head - 1, *stop = s + n;
  while (p < stop && !rc && !end) {
    const char *nl = memchr(p, '\n', (size_t)(stop - p));
    if (!nl) {
      rc = MTPORT_EPARSE; /* a record ends with a newline: cut short */
      break;
    }
    mtport_buf_clear(&line);
    if (mtport_buf_append(&line, p, (size_t)(nl - p))) {
      rc = MTPORT_ENOMEM;
      break;
    }
    p = nl + 1;
    if (strlen(line.data) != line.len) {
      rc = MTPORT_EPARSE;
      break;
    }
    char *name = line.data, *v = strchr(name, ' ');
    if (!strcmp(name, "end"))
      end = 1;
    if (!v)
      continue;
    *v++ = '\0';
    uint64_t x = 0; /* gcc -O2 cannot see that S_uint sets it */
    if (!strcmp(name, "url"))
      rc = S_set(&r->url, v);
    else if (!strcmp(name, "ok")) {
      if (strcmp(v, "0") && strcmp(v, "1"))
        rc = MTPORT_EPARSE;
      r->ok = *v == '1';
      have_ok = 1;
    } else if (!strcmp(name, "error")) {
      unsigned i = 0;
      while (i < sizeof S_errors / sizeof *S_errors && strcmp(S_errors[i], v))
        i++;
      if (i == sizeof S_errors / sizeof *S_errors)
        rc = MTPORT_EPARSE;
      r->error = (mtport_fetch_error)i;
    } else if (!strcmp(name, "status")) {
      if (!S_uint(v, &x, 10) || x > 999)
        rc = MTPORT_EPARSE;
      r->http_status = (long)x;
    } else if (!strcmp(name, "curl")) {
      if (!S_uint(v, &x, 10) || x > 10000)
        rc = MTPORT_EPARSE;
      r->curl_code = (int)x;
    } else if (!strcmp(name, "final"))
      rc = S_set(&r->final_url, v);
    else if (!strcmp(name, "mime"))
      rc = S_mime_ok(v) ? S_set(&r->mime, v) : MTPORT_EPARSE;
    else if (!strcmp(name, "ext"))
      rc = S_ext_ok(v) ? S_set(&r->ext, v) : MTPORT_EPARSE;
    else if (!strcmp(name, "etag"))
      rc = S_set(&r->etag, v);
    else if (!strcmp(name, "last-modified"))
      rc = S_set(&r->last_modified, v);
    else if (!strcmp(name, "size")) {
      if (!S_uint(v, &r->size, 10))
        rc = MTPORT_EPARSE;
      have_size = 1;
    } else if (!strcmp(name, "limit")) {
      if (!S_uint(v, &r->limit, 10))
        rc = MTPORT_EPARSE;
    } else if (!strcmp(name, "sha256")) {
      if (!S_is_hex(v, 64))
        rc = MTPORT_EPARSE;
      else
        memcpy(r->sha256, v, 65);
      have_sha = 1;
    } else if (!strcmp(name, "time")) {
      char *e;
      errno = 0;
      long long t = strtoll(v, &e, 10);
      if (e == v || *e || errno)
        rc = MTPORT_EPARSE;
      r->time = (int64_t)t;
    } else if (!strcmp(name, "run")) {
      if (!S_uint(v, &x, 16))
        rc = MTPORT_EPARSE;
      r->run = x;
    } else if (!strcmp(name, "source")) {
      unsigned i = 0;
      while (i < sizeof S_sources / sizeof *S_sources &&
             strcmp(S_sources[i], v))
        i++;
      if (i == sizeof S_sources / sizeof *S_sources)
        rc = MTPORT_EPARSE;
      r->source = (mtport_fetch_source)i;
    } else if (!strcmp(name, "reason"))
      rc = S_set(&r->reason, v);
    /* other names: a later version's additions */
  }
  mtport_buf_dispose(&line);
  if (!rc && (!end || p != stop || !r->url || !have_ok ||
              (r->ok && (!have_sha || !have_size || !r->mime || !r->ext ||
                         r->error != MTPORT_FETCH_OK)) ||
              (!r->ok && r->error == MTPORT_FETCH_OK)))
    rc = MTPORT_EPARSE;
  if (rc)
    mtport_fetch__record_clear(r);
  return rc;
}

/* ---- reading ---------------------------------------------------------- */

static int S_read_small(const char *path, mtport_buf *out) {
  int fd = open(path, O_RDONLY | O_NOFOLLOW);
  if (fd < 0)
    return MTPORT_ENOTFOUND;
  struct stat st;
  int rc = MTPORT_OK;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > S_META_MAX)
    rc = MTPORT_ENOTFOUND;
  else if (mtport__buf_reserve(out, (size_t)st.st_size))
    rc = MTPORT_ENOMEM;
  while (!rc) {
    ssize_t r = read(fd, out->data + out->len, out->cap - 1 - out->len);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      rc = MTPORT_ENOTFOUND;
    if (r <= 0)
      break;
    out->len += (size_t)r;
    out->data[out->len] = '\0';
    if (out->len + 1 >= out->cap && out->len < S_META_MAX &&
        mtport__buf_reserve(out, 4096))
      rc = MTPORT_ENOMEM;
    if (out->len >= S_META_MAX)
      rc = MTPORT_ENOTFOUND;
  }
  close(fd);
  return rc;
}

/* The record at the key's .meta, whatever its URL and file. */
static int S_get_raw(mtport_fetch__cache *c, const char *key,
                     mtport_fetch__record *r, mtport_buf *tmp) {
  int rc = S_object(c, key, ".meta", tmp);
  if (rc)
    return rc;
  mtport_buf text = MTPORT_BUF_INIT;
  rc = S_read_small(tmp->data, &text);
  if (!rc) {
    rc = mtport_fetch__record_parse(text.data, text.len, r);
    if (rc == MTPORT_EPARSE)
      rc = MTPORT_ENOTFOUND;
  }
  mtport_buf_dispose(&text);
  return rc;
}

int mtport_fetch__cache_get(mtport_fetch__cache *c, const char *url,
                            mtport_fetch__record *r) {
  char key[65];
  mtport_fetch__key(url, key);
  mtport_buf path = MTPORT_BUF_INIT;
  int rc = S_get_raw(c, key, r, &path);
  if (!rc && strcmp(r->url, url) != 0)
    rc = MTPORT_ENOTFOUND;
  if (!rc && r->ok) {
    struct stat st;
    if ((rc = S_data_path(c, key, r->sha256, &path)) == MTPORT_OK &&
        (lstat(path.data, &st) != 0 || !S_ISREG(st.st_mode) ||
         (uint64_t)st.st_size != r->size))
      rc = MTPORT_ENOTFOUND;
  }
  if (rc)
    mtport_fetch__record_clear(r);
  mtport_buf_dispose(&path);
  return rc;
}

/* ---- downloads -------------------------------------------------------- */

int mtport_fetch__part_open(mtport_fetch__cache *c, const char *url,
                            mtport_fetch__part **out) {
  *out = NULL;
  char key[65];
  mtport_fetch__key(url, key);
  mtport_fetch__part *p = calloc(1, sizeof *p);
  mtport_buf path = MTPORT_BUF_INIT;
  if (!p || S_temp_name(c, key, "part", &path) || !(p->md = EVP_MD_CTX_new()) ||
      !EVP_DigestInit_ex(p->md, EVP_sha256(), NULL)) {
    if (p)
      EVP_MD_CTX_free(p->md);
    free(p);
    mtport_buf_dispose(&path);
    return MTPORT_ENOMEM;
  }
  p->c = c;
  p->path = mtport_buf_detach(&path);
  p->fd = p->path
              ? open(p->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0666)
              : -1;
  if (p->fd < 0) {
    int rc = p->path ? MTPORT_EIO : MTPORT_ENOMEM;
    EVP_MD_CTX_free(p->md);
    free(p->path);
    free(p);
    return rc;
  }
  *out = p;
  return MTPORT_OK;
}

int mtport_fetch__part_write(mtport_fetch__part *p, const void *data,
                             size_t n) {
  const char *s = data;
  if (!EVP_DigestUpdate(p->md, s, n))
    return MTPORT_EIO;
  while (n) {
    ssize_t w = write(p->fd, s, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return MTPORT_EIO;
    s += w;
    n -= (size_t)w;
    p->size += (uint64_t)w;
  }
  return MTPORT_OK;
}

int mtport_fetch__part_reset(mtport_fetch__part *p) {
  p->size = 0;
  if (ftruncate(p->fd, 0) != 0 || lseek(p->fd, 0, SEEK_SET) != 0 ||
      !EVP_DigestInit_ex(p->md, EVP_sha256(), NULL))
    return MTPORT_EIO;
  return MTPORT_OK;
}

uint64_t mtport_fetch__part_size(const mtport_fetch__part *p) {
  return p->size;
}

void mtport_fetch__part_sha256(mtport_fetch__part *p, char hex[65]) {
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!EVP_DigestFinal_ex(p->md, d, &n) || n != 32)
    memset(d, 0, n = 32);
  S_hex(d, 32, hex);
}

static void S_part_free(mtport_fetch__part *p) {
  if (p->fd >= 0)
    close(p->fd);
  EVP_MD_CTX_free(p->md);
  free(p->path);
  free(p);
}

void mtport_fetch__part_abandon(mtport_fetch__part *p) {
  if (!p)
    return;
  unlink(p->path);
  S_part_free(p);
}

/* Writes @text to a temporary file and renames it to @dest. */
static int S_write_atomic(mtport_fetch__cache *c, const char *key,
                          const mtport_buf *text, const char *dest) {
  mtport_buf tmp = MTPORT_BUF_INIT;
  if (S_temp_name(c, key, "meta", &tmp)) {
    mtport_buf_dispose(&tmp);
    return MTPORT_ENOMEM;
  }
  int rc = MTPORT_OK;
  int fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0666);
  if (fd < 0)
    rc = MTPORT_EIO;
  for (size_t done = 0; !rc && done < text->len;) {
    ssize_t w = write(fd, text->data + done, text->len - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      rc = MTPORT_EIO;
    else
      done += (size_t)w;
  }
  if (fd >= 0 && close(fd) != 0)
    rc = MTPORT_EIO;
  if (!rc && rename(tmp.data, dest) != 0)
    rc = MTPORT_EIO;
  if (rc && fd >= 0)
    unlink(tmp.data);
  mtport_buf_dispose(&tmp);
  return rc;
}

int mtport_fetch__cache_put(mtport_fetch__cache *c, mtport_fetch__record *r,
                            mtport_fetch__part *p) {
  char key[65];
  mtport_fetch__key(r->url, key);
  mtport_buf path = MTPORT_BUF_INIT, text = MTPORT_BUF_INIT;
  mtport_fetch__record old;
  memset(&old, 0, sizeof old);
  int had_old = S_get_raw(c, key, &old, &path) == MTPORT_OK && old.ok;
  mtport_buf_clear(&path);
  int rc = mtport_buf_printf(&path, "%s/%.2s", c->objects, key) ? MTPORT_ENOMEM
                                                                : MTPORT_OK;
  if (!rc && mkdir(path.data, 0777) != 0 && errno != EEXIST)
    rc = MTPORT_EIO;
  if (!rc && p) {
    /* the file first: a record never names a file that is not whole */
    if (close(p->fd) != 0)
      rc = MTPORT_EIO;
    p->fd = -1;
    if (!rc && (rc = S_data_path(c, key, r->sha256, &path)) == MTPORT_OK &&
        rename(p->path, path.data) != 0)
      rc = MTPORT_EIO;
  }
  if (!rc)
    rc = mtport_fetch__record_format(r, &text);
  if (!rc)
    rc = S_object(c, key, ".meta", &path);
  if (!rc)
    rc = S_write_atomic(c, key, &text, path.data);
  if (p) {
    if (rc)
      unlink(p->path); /* gone already when it was renamed */
    S_part_free(p);
  }
  /* the old file, once no record names it */
  if (!rc && had_old && (!r->ok || strcmp(old.sha256, r->sha256) != 0) &&
      !S_data_path(c, key, old.sha256, &path))
    unlink(path.data);
  mtport_fetch__record_clear(&old);
  mtport_buf_dispose(&path);
  mtport_buf_dispose(&text);
  return rc;
}
