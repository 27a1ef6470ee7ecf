/* An LD_PRELOAD shim that makes output fail on demand, to test how mtport
 * copes with a full disk or an I/O error. Controlled by environment
 * variables (unset means never):
 *
 *   MTPORT_FAULT_AFTER_BYTES=N  output writes fail with ENOSPC once N bytes
 *                               have been written (a write crossing the
 *                               limit is cut short, as on a real full disk)
 *   MTPORT_FAULT_WRITE_CALL=N   the Nth output write fails with EIO
 *   MTPORT_FAULT_RENAME_CALL=N  the Nth rename() fails with EIO
 *   MTPORT_FAULT_CLOSE_CALL=N   the Nth close() of an output descriptor
 *                               (one written to or given to fdopen) fails
 *                               with EIO (it is still closed)
 *   MTPORT_FAULT_SPOOL_BYTES=N  spool writes fail with ENOSPC once N bytes
 *                               have been written to spools
 *   MTPORT_FAULT_LOG=PATH       one line appended per injected fault, so a
 *                               test can tell that its fault really fired
 *
 * "Output" means write() to a descriptor above 2, plus every stream made by
 * fdopen(): the shim returns an fopencookie() stream over the descriptor so
 * that stdio writes (fwrite, fputs, fprintf, fflush, fclose), which glibc
 * does not route through the write() symbol, see the same faults. A
 * "spool" is a file without a name (unlinked on creation, as mtport's
 * temporary working files are): writes to it are not output and meet only
 * the spool fault. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef int (*rename_fn)(const char *, const char *);
typedef int (*close_fn)(int);

static unsigned long long S_bytes, S_spool_bytes;
static unsigned long S_writes, S_renames, S_closes;
/* descriptors written to or given to fdopen(): only their close can fail */
static unsigned char S_output_fd[4096];

static void S_mark(int fd, int on) {
  if (fd >= 0 && fd < (int)sizeof S_output_fd)
    S_output_fd[fd] = (unsigned char)on;
}

static int S_is_output(int fd) {
  return fd >= 0 && fd < (int)sizeof S_output_fd && S_output_fd[fd];
}

static long long S_env(const char *name) {
  const char *v = getenv(name);
  if (!v || !*v)
    return -1;
  return strtoll(v, NULL, 10);
}

static void S_log(const char *what, const char *detail) {
  const char *path = getenv("MTPORT_FAULT_LOG");
  if (!path || !*path)
    return;
  write_fn real = (write_fn)dlsym(RTLD_NEXT, "write");
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return;
  char line[512];
  int n = snprintf(line, sizeof line, "%s %s\n", what, detail ? detail : "");
  if (n > 0)
    real(fd, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
  close_fn rc = (close_fn)dlsym(RTLD_NEXT, "close");
  rc(fd);
}

/* The write used for every output byte: applies both write faults. */
static ssize_t S_faulty_write(int fd, const void *buf, size_t len) {
  write_fn real = (write_fn)dlsym(RTLD_NEXT, "write");
  if (fd <= 2)
    return real(fd, buf, len);
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 0) {
    long long lim = S_env("MTPORT_FAULT_SPOOL_BYTES");
    if (lim >= 0 && len > 0 && S_spool_bytes + len > (unsigned long long)lim) {
      S_log("spool-bytes", NULL);
      errno = ENOSPC;
      return -1;
    }
    ssize_t k = real(fd, buf, len);
    if (k > 0)
      S_spool_bytes += (unsigned long long)k;
    return k;
  }
  S_mark(fd, 1);
  S_writes++;
  long long call = S_env("MTPORT_FAULT_WRITE_CALL");
  if (call > 0 && S_writes == (unsigned long long)call) {
    S_log("write-call", NULL);
    errno = EIO;
    return -1;
  }
  long long limit = S_env("MTPORT_FAULT_AFTER_BYTES");
  if (limit >= 0 && len > 0) {
    if (S_bytes >= (unsigned long long)limit) {
      S_log("after-bytes", NULL);
      errno = ENOSPC;
      return -1;
    }
    if (S_bytes + len > (unsigned long long)limit)
      len = (size_t)((unsigned long long)limit - S_bytes);
  }
  ssize_t k = real(fd, buf, len);
  if (k > 0)
    S_bytes += (unsigned long long)k;
  return k;
}

ssize_t write(int fd, const void *buf, size_t len) {
  return S_faulty_write(fd, buf, len);
}

/* Positioned writes go to spools only (the site core's): the spool fault. */
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);

static ssize_t S_faulty_pwrite(const char *sym, int fd, const void *buf,
                               size_t len, off_t off) {
  pwrite_fn real = (pwrite_fn)dlsym(RTLD_NEXT, sym);
  struct stat st;
  if (fd > 2 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      st.st_nlink == 0) {
    long long lim = S_env("MTPORT_FAULT_SPOOL_BYTES");
    if (lim >= 0 && len > 0 && S_spool_bytes + len > (unsigned long long)lim) {
      S_log("spool-bytes", NULL);
      errno = ENOSPC;
      return -1;
    }
    ssize_t k = real(fd, buf, len, off);
    if (k > 0)
      S_spool_bytes += (unsigned long long)k;
    return k;
  }
  return real(fd, buf, len, off);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off) {
  return S_faulty_pwrite("pwrite", fd, buf, len, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off_t off) {
  return S_faulty_pwrite("pwrite64", fd, buf, len, off);
}

int close(int fd) {
  close_fn real = (close_fn)dlsym(RTLD_NEXT, "close");
  if (!S_is_output(fd))
    return real(fd);
  S_mark(fd, 0);
  int r = real(fd);
  S_closes++;
  long long call = S_env("MTPORT_FAULT_CLOSE_CALL");
  if (r == 0 && call > 0 && S_closes == (unsigned long long)call) {
    S_log("close-call", NULL);
    errno = EIO;
    return -1;
  }
  return r;
}

int rename(const char *from, const char *to) {
  rename_fn real = (rename_fn)dlsym(RTLD_NEXT, "rename");
  S_renames++;
  long long call = S_env("MTPORT_FAULT_RENAME_CALL");
  if (call > 0 && S_renames == (unsigned long long)call) {
    S_log("rename-call", to);
    errno = EIO;
    return -1;
  }
  return real(from, to);
}

/* ---- stdio streams made by fdopen ---------------------------------- */

static ssize_t S_cookie_write(void *c, const char *buf, size_t len) {
  int fd = (int)(intptr_t)c;
  size_t off = 0;
  while (off < len) {
    ssize_t k = S_faulty_write(fd, buf + off, len - off);
    if (k < 0) {
      if (errno == EINTR)
        continue;
      /* fopencookie wants the count written so far, or -1 */
      return off ? (ssize_t)off : -1;
    }
    if (k == 0) {
      errno = ENOSPC;
      return off ? (ssize_t)off : -1;
    }
    off += (size_t)k;
  }
  return (ssize_t)off;
}

static ssize_t S_cookie_read(void *c, char *buf, size_t len) {
  return read((int)(intptr_t)c, buf, len);
}

static int S_cookie_seek(void *c, off64_t *pos, int whence) {
  off64_t r = lseek64((int)(intptr_t)c, *pos, whence);
  if (r < 0)
    return -1;
  *pos = r;
  return 0;
}

static int S_cookie_close(void *c) { return close((int)(intptr_t)c); }

FILE *fdopen(int fd, const char *mode) {
  S_mark(fd, 1);
  cookie_io_functions_t io = {S_cookie_read, S_cookie_write, S_cookie_seek,
                              S_cookie_close};
  return fopencookie((void *)(intptr_t)fd, mode, io);
}
