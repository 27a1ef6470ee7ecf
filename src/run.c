/* The pipeline and the services it offers exporters: atomic output files,
 * safe paths inside the output folder, options, counted diagnostics. */
#include "internal.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct mtport_ctx {
  const mtport_run_options *opts;
  const mtport_exporter *exp;
  mtport_run_result *res;
  FILE *stream;
  char *tmp_path; /* stream written here, renamed to final_path */
  const char *final_path;
  const char *dir;
  const char *input_name; /* current input, for diagnostics */
  const char *input_path; /* what is opened for it (a spooled stdin differs) */
  int mute_reader; /* second pass after a prepass: the reader's diagnostics
                      were all reported in the first */
  int root_fd;      /* the output folder, opened on the first file */
  mtport_buf pdir;  /* the folder (relative) last written to, */
  int pdir_fd;      /* and its descriptor */
};

static void S_count(mtport_run_result *res, mtport_severity s) {
  switch (s) {
  case MTPORT_SEV_NOTE:
    res->notes++;
    break;
  case MTPORT_SEV_WARNING:
    res->warnings++;
    break;
  case MTPORT_SEV_ERROR:
    res->errors++;
    break;
  default:
    res->fatals++;
    break;
  }
}

/* Sits between importers and the caller's sink to count diagnostics. */
static void S_diag_tap(const mtport_diag *d, void *payload) {
  mtport_ctx *ctx = payload;
  S_count(ctx->res, d->severity);
  if (ctx->opts->reader.diag)
    ctx->opts->reader.diag(d, ctx->opts->reader.diag_payload);
}

/* The readers' sink: their diagnostics are reported once even when the
 * inputs are read twice. */
static void S_reader_tap(const mtport_diag *d, void *payload) {
  mtport_ctx *ctx = payload;
  if (ctx->mute_reader)
    return;
  mtport_diag named = *d; /* a spooled stdin is still "-" to the user */
  if (named.file && ctx->input_path && ctx->input_name &&
      strcmp(named.file, ctx->input_path) == 0)
    named.file = ctx->input_name;
  S_diag_tap(&named, ctx);
}

static void S_vdiag(mtport_ctx *ctx, const mtport_post *post,
                    mtport_severity sev, const char *code, const char *fmt,
                    va_list ap) {
  char msg[2048];
  vsnprintf(msg, sizeof msg, fmt, ap);
  mtport_buf clean = MTPORT_BUF_INIT;
  int ok = mtport_utf8_sanitize(&clean, msg, strlen(msg)) >= 0;
  mtport_diag d = {sev, code, ok ? clean.data : msg, ctx->input_name, 0, 0,
                   0,   NULL};
  if (post) {
    d.file = post->origin.file;
    d.line = post->origin.line;
    d.col = post->origin.col;
    d.entry = post->ordinal;
    d.entry_title = post->title && *post->title ? post->title : post->source_id;
  }
  S_diag_tap(&d, ctx);
  mtport_buf_dispose(&clean);
}

void mtport_ctx_diag(mtport_ctx *ctx, const mtport_post *post,
                     mtport_severity sev, const char *code, const char *fmt,
                     ...) {
  va_list ap;
  va_start(ap, fmt);
  S_vdiag(ctx, post, sev, code, fmt, ap);
  va_end(ap);
}

static void S_diag(mtport_ctx *ctx, mtport_severity sev, const char *code,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static void S_diag(mtport_ctx *ctx, mtport_severity sev, const char *code,
                   const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  S_vdiag(ctx, NULL, sev, code, fmt, ap);
  va_end(ap);
}

FILE *mtport_ctx_stream(mtport_ctx *ctx) { return ctx->stream; }

const char *mtport_ctx_output_dir(mtport_ctx *ctx) { return ctx->dir; }

const char *mtport_ctx_option(mtport_ctx *ctx, const char *key) {
  const char *const *o = ctx->opts->options;
  size_t kn = strlen(key);
  const char *found = NULL;
  for (; o && *o; o++) { /* the last occurrence wins, as on command lines */
    if (strncmp(*o, key, kn) == 0 && ((*o)[kn] == '=' || (*o)[kn] == '\0'))
      found = (*o)[kn] == '=' ? *o + kn + 1 : "";
  }
  return found;
}

int mtport_ctx_flag(mtport_ctx *ctx, const char *key) {
  const char *v = mtport_ctx_option(ctx, key);
  return v && strcmp(v, "0") != 0 && strcmp(v, "false") != 0 &&
         strcmp(v, "no") != 0;
}

/* A path component is safe when it is not empty, ".", ".." and holds no
 * control characters or backslashes. */
static int S_safe_component(const char *s, size_t n) {
  if (n == 0 || (n == 1 && s[0] == '.') ||
      (n == 2 && s[0] == '.' && s[1] == '.'))
    return 0;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == '\\')
      return 0;
  return n <= 255;
}

/* Writes all of @data to @fd. */
static int S_write_all(int fd, const char *data, size_t len) {
  size_t off = 0;
  while (off < len) {
    ssize_t k = write(fd, data + off, len - off);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0)
      return -1;
    off += (size_t)k;
  }
  return 0;
}

/* Writes data to a temporary file beside @path and renames it into place. */
static int S_write_atomic(const char *path, const char *data, size_t len) {
  size_t n = strlen(path);
  char *tmp = malloc(n + 16);
  if (!tmp)
    return MTPORT_ENOMEM;
  const char *base = strrchr(path, '/');
  size_t dn = base ? (size_t)(base - path) + 1 : 0;
  memcpy(tmp, path, dn);
  snprintf(tmp + dn, n + 16 - dn, ".mtport-XXXXXX");
  int fd = mkstemp(tmp);
  if (fd < 0) {
    free(tmp);
    return MTPORT_EIO;
  }
  fchmod(fd, 0644);
  if (S_write_all(fd, data, len) != 0) {
    close(fd);
    unlink(tmp);
    free(tmp);
    return MTPORT_EIO;
  }
  if (close(fd) != 0 || rename(tmp, path) != 0) {
    unlink(tmp);
    free(tmp);
    return MTPORT_EIO;
  }
  free(tmp);
  return MTPORT_OK;
}

/* The folder of @rel (its first @dn bytes; 0 is the output folder itself),
 * opened below the output folder one component at a time without following
 * a symlink, created when missing. The last one is kept open: a site writes
 * thousands of files into a few folders. Returns a descriptor owned by the
 * ctx, or -1 with *unsafe set when a component is not a folder. */
static int S_parent_fd(mtport_ctx *ctx, const char *rel, size_t dn,
                       int *unsafe) {
  *unsafe = 0;
  if (ctx->root_fd < 0) {
    ctx->root_fd = open(ctx->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (ctx->root_fd < 0)
      return -1;
  }
  if (dn == 0)
    return ctx->root_fd;
  if (ctx->pdir_fd >= 0 && ctx->pdir.len == dn &&
      memcmp(ctx->pdir.data, rel, dn) == 0)
    return ctx->pdir_fd;
  if (ctx->pdir_fd >= 0)
    close(ctx->pdir_fd);
  ctx->pdir_fd = -1;
  mtport_buf_clear(&ctx->pdir);
  int cur = ctx->root_fd;
  char comp[256];
  for (size_t i = 0; i < dn;) {
    const char *slash = memchr(rel + i, '/', dn - i);
    size_t n = slash ? (size_t)(slash - (rel + i)) : dn - i;
    if (n >= sizeof comp) {
      errno = ENAMETOOLONG;
      break;
    }
    memcpy(comp, rel + i, n);
    comp[n] = '\0';
    int fd = openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT &&
        (mkdirat(cur, comp, 0777) == 0 || errno == EEXIST))
      fd = openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int err = errno;
    if (cur != ctx->root_fd)
      close(cur);
    if (fd < 0) {
      *unsafe = err == ELOOP || err == ENOTDIR;
      errno = err;
      return -1;
    }
    cur = fd;
    i += n + 1;
    if (i >= dn) {
      if (mtport_buf_append(&ctx->pdir, rel, dn)) {
        close(cur);
        errno = ENOMEM;
        return -1;
      }
      ctx->pdir_fd = cur;
      return cur;
    }
  }
  if (cur != ctx->root_fd)
    close(cur);
  return -1;
}

/* --force over an existing file: a temporary file in the same folder,
 * renamed over it, so the old file stays whole until the new one is. */
static int S_replace_at(int dfd, const char *base, const char *data,
                        size_t len) {
  static unsigned long counter; /* names only need to differ in a run */
  char tmp[64];
  int fd = -1;
  for (int tries = 0; fd < 0 && tries < 100; tries++) {
    snprintf(tmp, sizeof tmp, ".mtport-%ld-%lu", (long)getpid(), ++counter);
    fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                0644);
    if (fd < 0 && errno != EEXIST)
      return MTPORT_EIO;
  }
  if (fd < 0)
    return MTPORT_EIO;
  int bad = S_write_all(fd, data, len) != 0;
  bad |= close(fd) != 0;
  if (bad || renameat(dfd, tmp, dfd, base) != 0) {
    int err = errno;
    unlinkat(dfd, tmp, 0);
    errno = err;
    return MTPORT_EIO;
  }
  return MTPORT_OK;
}

int mtport_ctx_write_file(mtport_ctx *ctx, const char *rel, const char *data,
                          size_t len) {
  if (!ctx->dir)
    return MTPORT_EINVALID;
  int bad = !rel || !*rel || rel[0] == '/';
  for (const char *p = rel; !bad && p;) {
    const char *slash = strchr(p, '/');
    size_t n = slash ? (size_t)(slash - p) : strlen(p);
    bad = !S_safe_component(p, n);
    p = slash ? slash + 1 : NULL;
  }
  if (bad) {
    S_diag(ctx, MTPORT_SEV_ERROR, "unsafe-path",
           "refusing to write '%s': it would not stay inside '%s'",
           rel ? rel : "", ctx->dir);
    return MTPORT_EUNSAFE;
  }
  const char *base = strrchr(rel, '/');
  size_t dn = base ? (size_t)(base - rel) : 0;
  base = base ? base + 1 : rel;
  int unsafe;
  int dfd = S_parent_fd(ctx, rel, dn, &unsafe);
  if (dfd < 0) {
    if (unsafe) {
      S_diag(ctx, MTPORT_SEV_ERROR, "unsafe-path",
             "refusing to write '%s': a parent is not a folder", rel);
      return MTPORT_EUNSAFE;
    }
    S_diag(ctx, MTPORT_SEV_ERROR, "write-failed",
           "cannot create folders for '%s/%s': %s", ctx->dir, rel,
           strerror(errno));
    return MTPORT_EIO;
  }
  /* Created exclusively: an existing file (or a symlink planted in its
   * place) is never written through. One that fails half-written is
   * removed, so every file left is whole. */
  int rc = MTPORT_OK;
  int fd = openat(dfd, base,
                  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EEXIST) {
    struct stat st;
    if (!ctx->opts->force ||
        fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISREG(st.st_mode)) {
      S_diag(ctx, MTPORT_SEV_ERROR, "output-exists",
             "'%s/%s' exists; use --force to overwrite it", ctx->dir, rel);
      return MTPORT_EEXISTS;
    }
    rc = S_replace_at(dfd, base, data, len);
  } else if (fd < 0) {
    rc = MTPORT_EIO;
  } else {
    int failed = S_write_all(fd, data, len) != 0;
    int err = errno;
    if (close(fd) != 0 && !failed) {
      failed = 1;
      err = errno;
    }
    if (failed) {
      unlinkat(dfd, base, 0);
      errno = err;
      rc = MTPORT_EIO;
    }
  }
  if (rc != MTPORT_OK)
    S_diag(ctx, MTPORT_SEV_ERROR, "write-failed", "cannot write '%s/%s': %s",
           ctx->dir, rel, strerror(errno));
  return rc;
}

int mtport_ctx_write_path(mtport_ctx *ctx, const char *path, const char *data,
                          size_t len) {
  struct stat st;
  if (!path || !*path)
    return MTPORT_EINVALID;
  if (lstat(path, &st) == 0 && (!ctx->opts->force || !S_ISREG(st.st_mode))) {
    S_diag(ctx, MTPORT_SEV_ERROR, "output-exists",
           "'%s' exists; use --force to overwrite it", path);
    return MTPORT_EEXISTS;
  }
  int rc = S_write_atomic(path, data, len);
  if (rc != MTPORT_OK)
    S_diag(ctx, MTPORT_SEV_ERROR, "write-failed", "cannot write '%s': %s", path,
           strerror(errno));
  return rc;
}

/* ---- the run ----------------------------------------------------------- */

/* Copies standard input to a temporary file so it can be read twice. */
static char *S_spool_stdin(void) {
  char tmpl[] = "/tmp/mtport-stdin-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd < 0)
    return NULL;
  char buf[65536];
  for (;;) {
    ssize_t k = read(0, buf, sizeof buf);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0) {
      close(fd);
      if (k < 0) {
        unlink(tmpl);
        return NULL;
      }
      return mtport__strdup(tmpl);
    }
    for (ssize_t off = 0; off < k;) {
      ssize_t w = write(fd, buf + off, (size_t)(k - off));
      if (w <= 0) {
        close(fd);
        unlink(tmpl);
        return NULL;
      }
      off += w;
    }
  }
}

static int S_open_output(mtport_ctx *ctx) {
  const char *out = ctx->opts->output;
  if (ctx->exp->output == MTPORT_OUTPUT_DIR) {
    if (!out || !*out || strcmp(out, "-") == 0) {
      S_diag(ctx, MTPORT_SEV_FATAL, "no-output",
             "the %s exporter writes a folder: give --output DIR",
             ctx->exp->name);
      return MTPORT_EINVALID;
    }
    struct stat st;
    if (stat(out, &st) == 0) {
      if (!S_ISDIR(st.st_mode)) {
        S_diag(ctx, MTPORT_SEV_FATAL, "write-failed", "'%s' is not a folder",
               out);
        return MTPORT_EIO;
      }
    } else {
      /* create the folder and its parents */
      mtport_buf p = MTPORT_BUF_INIT;
      if (mtport_buf_puts(&p, out))
        return MTPORT_ENOMEM;
      for (size_t i = 1; i <= p.len; i++) {
        if (i == p.len || p.data[i] == '/') {
          char c = p.data[i];
          p.data[i] = '\0';
          if (mkdir(p.data, 0777) != 0 && errno != EEXIST) {
            S_diag(ctx, MTPORT_SEV_FATAL, "write-failed",
                   "cannot create '%s': %s", p.data, strerror(errno));
            mtport_buf_dispose(&p);
            return MTPORT_EIO;
          }
          p.data[i] = c;
        }
      }
      mtport_buf_dispose(&p);
    }
    ctx->dir = out;
    return MTPORT_OK;
  }
  if (!out || strcmp(out, "-") == 0) {
    ctx->stream = stdout;
    return MTPORT_OK;
  }
  struct stat st;
  if (stat(out, &st) == 0 && (!ctx->opts->force || !S_ISREG(st.st_mode))) {
    S_diag(ctx, MTPORT_SEV_FATAL, "output-exists",
           S_ISREG(st.st_mode) ? "'%s' exists; use --force to overwrite it"
                               : "'%s' exists and is not a file",
           out);
    return MTPORT_EEXISTS;
  }
  size_t n = strlen(out);
  ctx->tmp_path = malloc(n + 32);
  if (!ctx->tmp_path)
    return MTPORT_ENOMEM;
  const char *slash = strrchr(out, '/');
  size_t dn = slash ? (size_t)(slash - out) + 1 : 0;
  memcpy(ctx->tmp_path, out, dn);
  snprintf(ctx->tmp_path + dn, n + 32 - dn, ".%s.mtport-XXXXXX",
           slash ? slash + 1 : out);
  int fd = mkstemp(ctx->tmp_path);
  if (fd < 0 || !(ctx->stream = fdopen(fd, "wb"))) {
    S_diag(ctx, MTPORT_SEV_FATAL, "write-failed", "cannot write '%s': %s", out,
           strerror(errno));
    if (fd >= 0) {
      close(fd);
      unlink(ctx->tmp_path);
    }
    free(ctx->tmp_path);
    ctx->tmp_path = NULL;
    return MTPORT_EIO;
  }
  fchmod(fd, 0644);
  ctx->final_path = out;
  return MTPORT_OK;
}

/* Finishes the stream: renamed into place on success, removed otherwise. */
static int S_close_output(mtport_ctx *ctx, int ok) {
  int rc = MTPORT_OK;
  if (!ctx->stream)
    return rc;
  if (ctx->stream == stdout) {
    /* also when the run stopped because of it: the exporter's EIO says no
       more than the failed call, so the user learns it here */
    if (fflush(stdout) != 0 || ferror(stdout)) {
      S_diag(ctx, MTPORT_SEV_FATAL, "write-failed",
             "cannot write to standard output");
      rc = MTPORT_EIO;
    }
    return rc;
  }
  int bad = fflush(ctx->stream) != 0 || ferror(ctx->stream);
  bad |= fclose(ctx->stream) != 0;
  ctx->stream = NULL;
  if (bad) { /* also when the run stopped because of it (see above) */
    S_diag(ctx, MTPORT_SEV_FATAL, "write-failed", "cannot write '%s'",
           ctx->final_path);
    rc = MTPORT_EIO;
  }
  if (ok && !bad && rename(ctx->tmp_path, ctx->final_path) != 0) {
    S_diag(ctx, MTPORT_SEV_FATAL, "write-failed", "cannot rename to '%s': %s",
           ctx->final_path, strerror(errno));
    rc = MTPORT_EIO;
  }
  if (!ok || rc != MTPORT_OK)
    unlink(ctx->tmp_path);
  free(ctx->tmp_path);
  ctx->tmp_path = NULL;
  return rc;
}

static int S_open_reader(mtport_ctx *ctx, mtport_reader **r, const char *path,
                         const char *display) {
  mtport_reader_options ro = ctx->opts->reader;
  ro.diag = S_reader_tap;
  ro.diag_payload = ctx;
  ctx->input_name = display;
  ctx->input_path = path;
  int rc = mtport_reader_open(r, path, &ro);
  if (rc == MTPORT_OK && display && strcmp(display, path) != 0) {
    /* a spooled standard input is still "-" to the user */
    char *name = mtport__strdup(display);
    if (name) {
      free((*r)->name);
      (*r)->name = name;
    }
  }
  return rc;
}

/* One pass over every input; @first is the already open first reader. */
static int S_pass(mtport_ctx *ctx, void *state, mtport_reader *first,
                  const char *const *paths, const char *const *inputs, size_t n,
                  int prepass) {
  int rc = MTPORT_OK;
  unsigned long done_before = 0;
  for (size_t i = 0; i < n && rc == MTPORT_OK; i++) {
    mtport_reader *r = NULL;
    if (i == 0 && first)
      r = first;
    else if ((rc = S_open_reader(ctx, &r, paths[i], inputs[i])) != MTPORT_OK)
      break;
    ctx->input_name = inputs[i];
    ctx->input_path = paths[i];
    const mtport_post *p;
    int k;
    while ((k = mtport_reader_next(r, &p)) == 1) {
      if (prepass) {
        rc = ctx->exp->prepass(ctx, state, p);
      } else {
        ctx->res->read++;
        ctx->res->comments += p->n_comments;
        int e = ctx->exp->entry(ctx, state, p);
        if (e == MTPORT_OK)
          ctx->res->written++;
        else if (e > 0)
          ctx->res->skipped++;
        else
          rc = e;
        if (ctx->opts->progress && (ctx->res->read & 63) == 0) {
          uint64_t total, done = mtport_reader__consumed(r, &total);
          ctx->opts->progress(done_before + ctx->res->read, done, total,
                              ctx->opts->progress_payload);
        }
      }
      if (rc != MTPORT_OK)
        break;
    }
    if (k < 0 && rc == MTPORT_OK)
      rc = k;
    if (r != first)
      mtport_reader_free(r);
  }
  return rc;
}

int mtport_run(mtport_run_result *out, const char *const *inputs,
               size_t n_inputs, const mtport_exporter *exp,
               const mtport_run_options *opts) {
  mtport_run_result local = {0, 0, 0, 0, 0, 0, 0, 0};
  mtport_run_result *res = out ? out : &local;
  memset(res, 0, sizeof *res);
  if (!exp || !opts || n_inputs == 0)
    return MTPORT_EINVALID;
  mtport_ctx ctx = {opts, exp,  res, NULL, NULL,           NULL, NULL,
                    NULL, NULL, 0,   -1,   MTPORT_BUF_INIT, -1};
  char **paths = calloc(n_inputs, sizeof *paths);
  if (!paths)
    return MTPORT_ENOMEM;
  int rc = MTPORT_OK;
  /* a first pass needs inputs it can read twice */
  for (size_t i = 0; i < n_inputs && rc == MTPORT_OK; i++) {
    if (exp->prepass && strcmp(inputs[i], "-") == 0) {
      paths[i] = S_spool_stdin();
      if (!paths[i]) {
        S_diag(&ctx, MTPORT_SEV_FATAL, "read-failed",
               "cannot buffer standard input");
        rc = MTPORT_EIO;
      }
    } else
      paths[i] = mtport__strdup(inputs[i]);
    if (rc == MTPORT_OK && !paths[i])
      rc = MTPORT_ENOMEM;
  }
  /* --force must never replace an input by its own conversion */
  struct stat ost;
  if (rc == MTPORT_OK && exp->output == MTPORT_OUTPUT_STREAM && opts->output &&
      strcmp(opts->output, "-") != 0 && stat(opts->output, &ost) == 0) {
    for (size_t i = 0; i < n_inputs && rc == MTPORT_OK; i++) {
      struct stat ist;
      if (stat(paths[i], &ist) == 0 && ist.st_dev == ost.st_dev &&
          ist.st_ino == ost.st_ino) {
        S_diag(&ctx, MTPORT_SEV_FATAL, "output-is-input",
               "'%s' is also an input; refusing to overwrite it", opts->output);
        rc = MTPORT_EEXISTS;
      }
    }
  }
  mtport_reader *first = NULL;
  if (rc == MTPORT_OK)
    rc = S_open_reader(&ctx, &first, paths[0], inputs[0]);
  if (rc == MTPORT_OK)
    rc = S_open_output(&ctx);
  void *state = NULL;
  int begun = 0;
  if (rc == MTPORT_OK) {
    rc = exp->begin(&ctx, mtport_reader_site(first), &state);
    begun = rc == MTPORT_OK;
  }
  if (rc == MTPORT_OK && exp->prepass) {
    rc = S_pass(&ctx, state, first, (const char *const *)paths, inputs,
                n_inputs, 1);
    mtport_reader_free(first);
    first = NULL;
    if (rc == MTPORT_OK && exp->prepass_done)
      rc = exp->prepass_done(&ctx, state);
    ctx.mute_reader = 1;
    if (rc == MTPORT_OK)
      rc = S_open_reader(&ctx, &first, paths[0], inputs[0]);
  }
  if (rc == MTPORT_OK)
    rc = S_pass(&ctx, state, first, (const char *const *)paths, inputs,
                n_inputs, 0);
  mtport_reader_free(first);
  if (begun) {
    int e = exp->end(&ctx, state, rc);
    if (rc == MTPORT_OK && e != MTPORT_OK)
      rc = e;
  }
  if (ctx.pdir_fd >= 0)
    close(ctx.pdir_fd);
  if (ctx.root_fd >= 0)
    close(ctx.root_fd);
  mtport_buf_dispose(&ctx.pdir);
  int c = S_close_output(&ctx, rc == MTPORT_OK);
  if (rc == MTPORT_OK)
    rc = c;
  for (size_t i = 0; i < n_inputs; i++) {
    if (paths[i] && exp->prepass && strcmp(inputs[i], "-") == 0)
      unlink(paths[i]);
    free(paths[i]);
  }
  free(paths);
  return rc;
}
