/* An MT backup archive read member by member: tar (plain, gzip, bzip2,
 * xz) or zip through libarchive, or a folder holding an extracted backup.
 * Nothing is extracted: the caller reads each member's bytes as a stream.
 * Every member is checked before it is handed out, and reading stops at
 * the limits (assets.h). */
#include "assets_int.h"
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define S_BLOCK 65536
#define S_RATIO_FLOOR (1u << 20)
#define S_MAX_DEPTH 16

/* A folder being walked: its entries in name order. */
typedef struct {
  int fd;
  char **names;
  size_t n, next;
  size_t prefix_len; /* bytes of the member path before its entries */
} S_dir;

struct mtport_archive {
  char *path;
  mtport_archive_limits lim;
  /* libarchive */
  struct archive *ar;
  int fd;
  int64_t size; /* of a regular file, else -1 */
  unsigned char *block;
  uint64_t in_bytes; /* compressed bytes read from the file */
  int fatal;         /* the archive cannot go on */
  int eof;           /* the last member was handed out */
  locale_t utf8;     /* names are read in a UTF-8 locale, or (locale_t)0 */
  /* folders */
  int is_dir;
  S_dir *dirs;
  size_t n_dirs, cap_dirs;
  int member_fd;
  /* the current member */
  mtport_archive_member m;
  mtport_buf name, shown, norm, file_name, reason;
  uint64_t ordinal, count;
  uint64_t read_out, total_out;
  int refused_rc; /* what reading a refused member gives */
  mtport_strset *seen;
  mtport_buf err;
};

/* The error message: the archive's path, then the sentence. */
static void S_errf(mtport_archive *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void S_errf(mtport_archive *a, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  mtport_buf_clear(&a->err);
  mtport_buf_printf(&a->err, "%s: %s", a->path, msg);
}

const char *mtport_archive_error(const mtport_archive *a) {
  return a && a->err.data ? a->err.data : "";
}

/* ---- libarchive's callbacks over our descriptor ---------------------- */

static la_ssize_t S_cb_read(struct archive *ar, void *p, const void **buf) {
  (void)ar;
  mtport_archive *a = p;
  for (;;) {
    ssize_t r = read(a->fd, a->block, S_BLOCK);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      archive_set_error(ar, errno, "read error");
      return -1;
    }
    a->in_bytes += (uint64_t)r;
    *buf = a->block;
    return r;
  }
}

static la_int64_t S_cb_seek(struct archive *ar, void *p, la_int64_t off,
                            int whence) {
  (void)ar;
  mtport_archive *a = p;
  off_t r = lseek(a->fd, (off_t)off, whence);
  return r < 0 ? ARCHIVE_FATAL : (la_int64_t)r;
}

static la_int64_t S_cb_skip(struct archive *ar, void *p, la_int64_t n) {
  (void)ar;
  mtport_archive *a = p;
  off_t cur = lseek(a->fd, 0, SEEK_CUR);
  if (cur < 0 || a->size < 0)
    return 0; /* not seekable: libarchive reads instead */
  /* never past the end, so that a truncated archive is seen as one even
   * where the member cut short is skipped, not read */
  if ((int64_t)cur + n > a->size)
    n = cur < a->size ? a->size - cur : 0;
  if (lseek(a->fd, (off_t)n, SEEK_CUR) < 0)
    return 0;
  return n;
}

/* ---- opening --------------------------------------------------------- */

int mtport_archive_sniff(const void *head, size_t n) {
  const unsigned char *h = head;
  if (!h)
    return 0;
  if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
    return 1; /* gzip */
  if (n >= 3 && memcmp(h, "BZh", 3) == 0)
    return 1;
  if (n >= 6 && memcmp(h,
                       "\xfd"
                       "7zXZ\0",
                       6) == 0)
    return 1;
  if (n >= 4 && (memcmp(h, "PK\3\4", 4) == 0 || memcmp(h, "PK\5\6", 4) == 0))
    return 1;
  if (n >= 262 && memcmp(h + 257, "ustar", 5) == 0)
    return 1;
  return 0;
}

/* A folder holding an extracted MT backup: its .manifest is at the top,
 * as MT packs it (any other folder is refused by the reader). */
static int S_backup_folder(const char *path) {
  DIR *d = opendir(path);
  if (!d)
    return 0;
  int found = 0;
  for (struct dirent *e; !found && (e = readdir(d));) {
    size_t n = strlen(e->d_name);
    found = n > 9 && strcmp(e->d_name + n - 9, ".manifest") == 0;
  }
  closedir(d);
  return found;
}

int mtport_archive_path_sniff(const char *path) {
  struct stat st;
  if (!path || strcmp(path, "-") == 0 || stat(path, &st) != 0)
    return 0;
  if (S_ISDIR(st.st_mode))
    return S_backup_folder(path);
  if (!S_ISREG(st.st_mode))
    return 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  unsigned char head[512];
  ssize_t n = read(fd, head, sizeof head);
  close(fd);
  return n > 0 && mtport_archive_sniff(head, (size_t)n);
}

static void S_defaults(mtport_archive_limits *l,
                       const mtport_archive_limits *g) {
  memset(l, 0, sizeof *l);
  if (g)
    *l = *g;
  if (!l->max_member)
    l->max_member = (uint64_t)4 << 30;
  if (!l->max_ratio)
    l->max_ratio = 200;
  if (!l->max_members)
    l->max_members = 10000000;
  if (!l->max_text)
    l->max_text = (uint64_t)64 << 20;
}

static int S_cmp_names(const void *x, const void *y) {
  return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Reads folder @fd's entries, sorted, onto the walk's stack. */
static int S_push_dir(mtport_archive *a, int fd, size_t prefix_len) {
  if (a->n_dirs == a->cap_dirs) {
    size_t nc = a->cap_dirs ? a->cap_dirs * 2 : 4;
    S_dir *d = realloc(a->dirs, nc * sizeof *d);
    if (!d) {
      close(fd);
      return MTPORT_ENOMEM;
    }
    a->dirs = d;
    a->cap_dirs = nc;
  }
  int dup_fd = dup(fd);
  DIR *dir = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
  if (!dir) {
    if (dup_fd >= 0)
      close(dup_fd);
    close(fd);
    return MTPORT_EIO;
  }
  S_dir *d = &a->dirs[a->n_dirs];
  memset(d, 0, sizeof *d);
  d->fd = fd;
  d->prefix_len = prefix_len;
  size_t cap = 0;
  struct dirent *e;
  int rc = MTPORT_OK;
  while ((e = readdir(dir))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (d->n == cap) {
      size_t nc = cap ? cap * 2 : 64;
      char **nn = realloc(d->names, nc * sizeof *nn);
      if (!nn) {
        rc = MTPORT_ENOMEM;
        break;
      }
      d->names = nn;
      cap = nc;
    }
    if (!(d->names[d->n] = mtport__strdup(e->d_name))) {
      rc = MTPORT_ENOMEM;
      break;
    }
    d->n++;
  }
  closedir(dir);
  if (d->n)
    qsort(d->names, d->n, sizeof *d->names, S_cmp_names);
  a->n_dirs++;
  return rc;
}

static void S_pop_dir(mtport_archive *a) {
  S_dir *d = &a->dirs[--a->n_dirs];
  for (size_t i = 0; i < d->n; i++)
    free(d->names[i]);
  free(d->names);
  close(d->fd);
}

int mtport_archive_open(mtport_archive **out, const char *path,
                        const mtport_archive_limits *limits) {
  *out = NULL;
  if (!path)
    return MTPORT_EINVALID;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return MTPORT_EIO;
  return mtport_archive_open_fd(out, fd, path, limits);
}

int mtport_archive_open_fd(mtport_archive **out, int fd, const char *name,
                           const mtport_archive_limits *limits) {
  *out = NULL;
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    if (fd >= 0)
      close(fd);
    return fd < 0 ? MTPORT_EINVALID : MTPORT_EIO;
  }
  mtport_archive *a = calloc(1, sizeof *a);
  if (!a) {
    close(fd);
    return MTPORT_ENOMEM;
  }
  a->fd = a->member_fd = -1;
  S_defaults(&a->lim, limits);
  if (!(a->path = mtport__strdup(name ? name : "archive")) ||
      mtport_strset_new(&a->seen, MTPORT_STRSET_SPOOL)) {
    close(fd);
    mtport_archive_free(a);
    return MTPORT_ENOMEM;
  }
  if (S_ISDIR(st.st_mode)) {
    a->is_dir = 1;
    int rc = S_push_dir(a, fd, 0); /* owns fd now */
    if (rc) {
      mtport_archive_free(a);
      return rc;
    }
    *out = a;
    return MTPORT_OK;
  }
  a->fd = fd;
  a->size = S_ISREG(st.st_mode) ? (int64_t)st.st_size : -1;
  /* libarchive converts names to the locale's charset, and in the "C"
   * locale a UTF-8 zip name is lost: names are read in a UTF-8 locale
   * taken for this thread only, around libarchive's calls */
  a->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
  if (!a->utf8)
    a->utf8 = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
  if (!(a->block = malloc(S_BLOCK)) || !(a->ar = archive_read_new())) {
    mtport_archive_free(a);
    return MTPORT_ENOMEM;
  }
  archive_read_support_filter_none(a->ar);
  archive_read_support_filter_gzip(a->ar);
  archive_read_support_filter_bzip2(a->ar);
  archive_read_support_filter_xz(a->ar);
  archive_read_support_format_tar(a->ar);
  archive_read_support_format_zip(a->ar);
  archive_read_set_callback_data(a->ar, a);
  archive_read_set_read_callback(a->ar, S_cb_read);
  archive_read_set_skip_callback(a->ar, S_cb_skip);
  if (S_ISREG(st.st_mode))
    archive_read_set_seek_callback(a->ar, S_cb_seek);
  if (archive_read_open1(a->ar) != ARCHIVE_OK) {
    S_errf(a, "cannot be read as a tar or zip archive: %s",
           archive_error_string(a->ar));
    *out = a; /* for the message; the caller frees it */
    return MTPORT_EPARSE;
  }
  *out = a;
  return MTPORT_OK;
}

void mtport_archive_free(mtport_archive *a) {
  if (!a)
    return;
  if (a->ar)
    archive_read_free(a->ar);
  if (a->utf8)
    freelocale(a->utf8);
  if (a->fd >= 0)
    close(a->fd);
  if (a->member_fd >= 0)
    close(a->member_fd);
  while (a->n_dirs)
    S_pop_dir(a);
  free(a->dirs);
  free(a->block);
  free(a->path);
  mtport_buf_dispose(&a->name);
  mtport_buf_dispose(&a->shown);
  mtport_buf_dispose(&a->norm);
  mtport_buf_dispose(&a->file_name);
  mtport_buf_dispose(&a->reason);
  mtport_buf_dispose(&a->err);
  mtport_strset_free(a->seen);
  free(a);
}

/* ---- a member's name ---------------------------------------------------- */

static void S_refuse(mtport_archive *a, const char *code, const char *fmt,
                     int rc) {
  mtport_buf_clear(&a->reason);
  mtport_buf_printf(&a->reason, fmt, a->shown.data ? a->shown.data : "");
  /* fmt is one of the literal sentences of this file */
  a->m.refused = a->reason.data;
  a->m.refused_code = code;
  a->refused_rc = rc;
}

/* Fills a->m from the raw name in a->name: shown as UTF-8, compared and
 * given a role once normalised ('\\' read as '/', "." and empty segments
 * dropped), and refused for what a name alone decides. */
static int S_describe(mtport_archive *a) {
  mtport_buf_clear(&a->shown);
  mtport_buf_clear(&a->norm);
  if (mtport_utf8_sanitize(&a->shown, a->name.data ? a->name.data : "",
                           a->name.len) < 0 ||
      mtport_buf_puts(&a->shown, "") || mtport_buf_puts(&a->norm, ""))
    return MTPORT_ENOMEM;
  const char *raw = a->shown.data;
  memset(&a->m, 0, sizeof a->m);
  a->m.name = raw;
  a->m.name_repaired =
      !mtport_utf8_valid(a->name.data ? a->name.data : "", a->name.len);
  a->m.size = -1;
  a->m.ordinal = a->ordinal;
  int absolute =
      raw[0] == '/' || raw[0] == '\\' ||
      (((raw[0] | 32) >= 'a' && (raw[0] | 32) <= 'z') && raw[1] == ':');
  int parent = 0, device = 0, rc = 0;
  for (const char *p = raw; *p;) {
    size_t n = strcspn(p, "/\\");
    if (n == 2 && p[0] == '.' && p[1] == '.')
      parent = 1;
    else if (n && !(n == 1 && p[0] == '.')) {
      device |= mtport_assets__is_device(p, n);
      if (a->norm.len)
        rc |= mtport_buf_putc(&a->norm, '/');
      rc |= mtport_buf_append(&a->norm, p, n);
    }
    p += n;
    while (*p == '/' || *p == '\\')
      p++;
  }
  if (rc)
    return MTPORT_ENOMEM;
  const char *norm = a->norm.data;
  const char *base = strrchr(norm, '/');
  base = base ? base + 1 : norm;
  a->m.base = base;
  size_t bn = strlen(base);
  /* the role, from the last segment */
  size_t d = 0;
  while (d < bn && d < 18 && base[d] >= '0' && base[d] <= '9')
    d++;
  if (d > 0 && d + 1 < bn && base[d] == '-') {
    long long id = 0;
    for (size_t i = 0; i < d; i++)
      id = id * 10 + (base[i] - '0');
    if (id > 0) {
      a->m.role = MTPORT_MEMBER_ASSET;
      a->m.asset_id = id;
      mtport_buf_clear(&a->file_name);
      if (mtport_buf_puts(&a->file_name, base + d + 1))
        return MTPORT_ENOMEM;
      a->m.file_name = a->file_name.data;
    }
  }
  if (!a->m.role && mtport_assets__iends(base, bn, ".manifest"))
    a->m.role = MTPORT_MEMBER_MANIFEST;
  else if (!a->m.role && mtport_assets__iends(base, bn, ".xml")) {
    a->m.role = MTPORT_MEMBER_XML;
    size_t e = bn - 4, k = e;
    while (k > 0 && base[k - 1] >= '0' && base[k - 1] <= '9' && e - k < 6)
      k--;
    if (k < e && k > 0 && base[k - 1] == '-') {
      unsigned part = 0;
      for (size_t i = k; i < e; i++)
        part = part * 10 + (unsigned)(base[i] - '0');
      a->m.part = part;
    }
  }
  if (!*raw)
    S_refuse(a, "archive-unsafe-name", "a member has an empty name; refused",
             MTPORT_EUNSAFE);
  else if (absolute)
    S_refuse(a, "archive-unsafe-name",
             "member '%s' has an absolute name; refused", MTPORT_EUNSAFE);
  else if (parent)
    S_refuse(a, "archive-unsafe-name",
             "member '%s' has a '..' segment that leads out of the archive; "
             "refused",
             MTPORT_EUNSAFE);
  else if (device)
    S_refuse(a, "archive-unsafe-name",
             "member '%s' has a Windows device name; refused", MTPORT_EUNSAFE);
  else if (!a->norm.len)
    S_refuse(a, "archive-unsafe-name", "member '%s' names no file; refused",
             MTPORT_EUNSAFE);
  else {
    int added = mtport_strset_add(a->seen, norm, a->norm.len, NULL);
    if (added < 0)
      return added;
    if (added == 0)
      S_refuse(a, "archive-duplicate",
               "member '%s' appears a second time; the first one is used",
               MTPORT_EUNSAFE);
  }
  return MTPORT_OK;
}

/* ---- walking ------------------------------------------------------------ */

static int S_next_tar(mtport_archive *a) {
  if (a->eof)
    return 0;
  for (;;) {
    struct archive_entry *e;
    locale_t old = a->utf8 ? uselocale(a->utf8) : (locale_t)0;
    int r = archive_read_next_header(a->ar, &e);
    const char *nm = NULL;
    if (r == ARCHIVE_OK || r == ARCHIVE_WARN) {
      nm = archive_entry_pathname_utf8(e);
      if (!nm)
        nm = archive_entry_pathname(e);
    }
    if (a->utf8)
      uselocale(old);
    if (r == ARCHIVE_EOF)
      a->eof = 1;
    if (r == ARCHIVE_EOF)
      return 0;
    if (r == ARCHIVE_FATAL || r == ARCHIVE_RETRY) {
      if (a->count)
        S_errf(a, "truncated or damaged after member '%s': %s",
               a->shown.data ? a->shown.data : "", archive_error_string(a->ar));
      else
        S_errf(a, "not a readable tar or zip archive: %s",
               archive_error_string(a->ar));
      a->fatal = 1;
      return MTPORT_EPARSE;
    }
    /* ARCHIVE_WARN: a name libarchive could not convert; the raw one is
     * shown repaired below */
    mtport_buf_clear(&a->name);
    if (mtport_buf_puts(&a->name, nm ? nm : ""))
      return MTPORT_ENOMEM;
    int type = archive_entry_filetype(e);
    if (type == AE_IFDIR)
      continue;
    if (++a->count > a->lim.max_members) {
      S_errf(a, "more than %llu members; the rest is not read",
             (unsigned long long)a->lim.max_members);
      a->fatal = 1;
      return MTPORT_EUNSAFE;
    }
    a->refused_rc = 0;
    int rc = S_describe(a);
    if (rc)
      return rc;
    a->ordinal++;
    if (archive_entry_size_is_set(e))
      a->m.size = archive_entry_size(e);
    if (!a->m.refused) {
      const char *hl = archive_entry_hardlink(e);
      if (hl || type == AE_IFLNK)
        S_refuse(a, "archive-link",
                 hl ? "member '%s' is a hard link; refused"
                    : "member '%s' is a symbolic link; refused",
                 MTPORT_EUNSAFE);
      else if (type != AE_IFREG)
        S_refuse(a, "archive-special",
                 "member '%s' is not a regular file (a device, FIFO or "
                 "socket); refused",
                 MTPORT_EUNSAFE);
      else if (archive_entry_is_encrypted(e))
        S_refuse(a, "archive-encrypted",
                 "member '%s' is encrypted; it cannot be read", MTPORT_EUNSAFE);
      else if (a->m.size >= 0 && (uint64_t)a->m.size > a->lim.max_member)
        S_refuse(a, "archive-too-big",
                 "member '%s' is larger than the limit for one member; "
                 "refused",
                 MTPORT_EUNSAFE);
    }
    a->read_out = 0;
    return 1;
  }
}

static int S_next_dir(mtport_archive *a) {
  if (a->member_fd >= 0) {
    close(a->member_fd);
    a->member_fd = -1;
  }
  while (a->n_dirs) {
    S_dir *d = &a->dirs[a->n_dirs - 1];
    if (d->next >= d->n) {
      S_pop_dir(a);
      continue;
    }
    const char *ent = d->names[d->next++];
    a->name.len = d->prefix_len;
    if (a->name.data)
      a->name.data[a->name.len] = '\0';
    if ((a->name.len && mtport_buf_putc(&a->name, '/')) ||
        mtport_buf_puts(&a->name, ent))
      return MTPORT_ENOMEM;
    struct stat st;
    if (fstatat(d->fd, ent, &st, AT_SYMLINK_NOFOLLOW) != 0)
      continue; /* gone meanwhile */
    if (S_ISDIR(st.st_mode)) {
      if (a->n_dirs >= S_MAX_DEPTH)
        continue;
      int fd =
          openat(d->fd, ent, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0)
        continue;
      int rc = S_push_dir(a, fd, a->name.len);
      if (rc)
        return rc;
      continue;
    }
    if (++a->count > a->lim.max_members) {
      S_errf(a, "more than %llu files; the rest is not read",
             (unsigned long long)a->lim.max_members);
      a->fatal = 1;
      return MTPORT_EUNSAFE;
    }
    a->refused_rc = 0;
    int rc = S_describe(a);
    if (rc)
      return rc;
    a->ordinal++;
    a->m.size = (int64_t)st.st_size;
    if (!a->m.refused) {
      if (S_ISLNK(st.st_mode))
        S_refuse(a, "archive-link", "'%s' is a symbolic link; refused",
                 MTPORT_EUNSAFE);
      else if (!S_ISREG(st.st_mode))
        S_refuse(a, "archive-special", "'%s' is not a regular file; refused",
                 MTPORT_EUNSAFE);
      else if ((uint64_t)st.st_size > a->lim.max_member)
        S_refuse(a, "archive-too-big",
                 "'%s' is larger than the limit for one member; refused",
                 MTPORT_EUNSAFE);
      else if ((a->member_fd =
                    openat(d->fd, ent, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        S_refuse(a, "archive-unreadable", "'%s' cannot be opened", MTPORT_EIO);
    }
    a->read_out = 0;
    return 1;
  }
  return 0;
}

int mtport_archive_next(mtport_archive *a,
                        const mtport_archive_member **member) {
  *member = NULL;
  if (!a)
    return MTPORT_EINVALID;
  if (a->fatal)
    return MTPORT_EPARSE;
  int rc = a->is_dir ? S_next_dir(a) : S_next_tar(a);
  if (rc == 1)
    *member = &a->m;
  return rc;
}

int mtport_archive_read(void *src, void *buf, size_t cap, size_t *got) {
  mtport_archive *a = src;
  *got = 0;
  if (a->fatal)
    return MTPORT_EPARSE;
  if (a->m.refused)
    return a->refused_rc ? a->refused_rc : MTPORT_EUNSAFE;
  ssize_t r;
  if (a->is_dir) {
    if (a->member_fd < 0)
      return MTPORT_EIO;
    do
      r = read(a->member_fd, buf, cap);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
      S_errf(a, "cannot read '%s': %s", a->m.name, strerror(errno));
      return MTPORT_EIO;
    }
  } else {
    r = archive_read_data(a->ar, buf, cap);
    if (r < 0) {
      S_errf(a, "truncated or damaged in member '%s': %s", a->m.name,
             archive_error_string(a->ar));
      if (r == ARCHIVE_FATAL)
        a->fatal = 1;
      return MTPORT_EPARSE;
    }
  }
  a->read_out += (uint64_t)r;
  if (a->read_out > a->lim.max_member) {
    S_errf(a,
           "member '%s' is larger than the limit of %llu bytes for one "
           "member; refused",
           a->m.name, (unsigned long long)a->lim.max_member);
    a->m.refused = a->err.data;
    a->m.refused_code = "archive-too-big";
    a->refused_rc = MTPORT_EUNSAFE;
    return MTPORT_EUNSAFE;
  }
  a->total_out += (uint64_t)r;
  /* the ratio counts the whole archive so far: libarchive reads ahead, so
   * the compressed bytes of one member cannot be told apart */
  if (!a->is_dir && a->total_out > S_RATIO_FLOOR) {
    uint64_t in = a->in_bytes ? a->in_bytes : 1;
    if (a->total_out / in > a->lim.max_ratio) {
      S_errf(a,
             "reading member '%s', the archive expands more than %llu "
             "times (a compression bomb?); it is not read further",
             a->m.name, (unsigned long long)a->lim.max_ratio);
      a->fatal = 1;
      return MTPORT_EUNSAFE;
    }
  }
  *got = (size_t)r;
  return MTPORT_OK;
}

/* ---- the manifest ------------------------------------------------------- */

int mtport_manifest_parse(const char *xml, size_t len, mtport_manifest_fn fn,
                          void *payload) {
  if (!xml || len > (size_t)1 << 30 || len > INT32_MAX)
    return MTPORT_EPARSE;
  /* no DTD, no entities loaded, no network */
  xmlDocPtr doc =
      xmlReadMemory(xml, (int)len, "manifest", NULL,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc)
    return MTPORT_EPARSE;
  xmlNodePtr root = xmlDocGetRootElement(doc);
  if (!root || !root->name || strcmp((const char *)root->name, "manifest")) {
    xmlFreeDoc(doc);
    return MTPORT_EPARSE;
  }
  int rc = MTPORT_OK;
  for (xmlNodePtr c = root->children; c && !rc; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "file"))
      continue;
    xmlChar *type = xmlGetProp(c, (const xmlChar *)"type");
    xmlChar *name = xmlGetProp(c, (const xmlChar *)"name");
    xmlChar *id = xmlGetProp(c, (const xmlChar *)"asset_id");
    long long aid = 0;
    for (const xmlChar *p = id;
         p && *p >= '0' && *p <= '9' && aid < 100000000000000000LL; p++)
      aid = aid * 10 + (*p - '0');
    if (type && name)
      rc = fn((const char *)type, (const char *)name, aid, payload);
    xmlFree(type);
    xmlFree(name);
    xmlFree(id);
  }
  xmlFreeDoc(doc);
  return rc;
}
