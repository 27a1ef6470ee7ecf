/* The services a run offers its exporter: counted diagnostics, options,
 * the output stream, files created safely inside the output folder, and
 * side outputs the user named. */
#include "run_int.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

void mtport__run_tap(const mtport_diag *d, void *payload) {
  S_diag_tap(d, payload);
}

void mtport__reader_tap(const mtport_diag *d, void *payload) {
  mtport_ctx *ctx = payload;
  /* after a stop asked for, a reader only reports the read it cut short */
  if (ctx->mute_reader || (ctx->cancel && *ctx->cancel))
    return;
  if (ctx->capturing && mtport__dlist_add(&ctx->held, d) == MTPORT_OK)
    return;
  S_diag_tap(d, ctx);
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

void mtport__run_diag(mtport_ctx *ctx, mtport_severity sev, const char *code,
                      const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  S_vdiag(ctx, NULL, sev, code, fmt, ap);
  va_end(ap);
}

FILE *mtport_ctx_stream(mtport_ctx *ctx) { return ctx->stream; }

void *mtport_ctx_prepared(mtport_ctx *ctx) { return ctx->prepared; }

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
int mtport__write_all(int fd, const char *data, size_t len) {
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

/* Creates the output folder and its parents; the descriptor in root_fd. */
int mtport__run_open_root(mtport_ctx *ctx) {
  ctx->root_fd = open(ctx->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (ctx->root_fd >= 0 || errno != ENOENT)
    return ctx->root_fd;
  mtport_buf p = MTPORT_BUF_INIT;
  if (mtport_buf_puts(&p, ctx->dir)) {
    errno = ENOMEM;
    return -1;
  }
  for (size_t i = 1; i <= p.len; i++) {
    if (i == p.len || p.data[i] == '/') {
      char c = p.data[i];
      p.data[i] = '\0';
      if (mkdir(p.data, 0777) != 0 && errno != EEXIST) {
        int err = errno;
        mtport__run_diag(ctx, MTPORT_SEV_FATAL, "write-failed",
                         "cannot create '%s': %s", p.data, strerror(err));
        mtport_buf_dispose(&p);
        errno = err;
        return -1;
      }
      p.data[i] = c;
    }
  }
  mtport_buf_dispose(&p);
  ctx->root_fd = open(ctx->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  return ctx->root_fd;
}

/* The folder of @rel (its first @dn bytes; 0 is the output folder itself)
 * below the output folder, made when missing, no symlink followed; the last
 * one kept open. Returns a descriptor owned by the ctx, or -1 with *unsafe
 * set when a component is not a folder. */
static int S_parent_fd(mtport_ctx *ctx, const char *rel, size_t dn,
                       int *unsafe) {
  *unsafe = 0;
  if (ctx->root_fd < 0 && mtport__run_open_root(ctx) < 0)
    return -1;
  return mtport__subdir_open(&ctx->pdir, ctx->root_fd, rel, dn, unsafe);
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
  int bad = mtport__write_all(fd, data, len) != 0;
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
    mtport__run_diag(ctx, MTPORT_SEV_ERROR, "unsafe-path",
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
      mtport__run_diag(ctx, MTPORT_SEV_ERROR, "unsafe-path",
                       "refusing to write '%s': a parent is not a folder", rel);
      return MTPORT_EUNSAFE;
    }
    mtport__run_diag(ctx, MTPORT_SEV_ERROR, "write-failed",
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
      mtport__run_diag(ctx, MTPORT_SEV_ERROR, "output-exists",
                       "'%s/%s' exists; use --force to overwrite it", ctx->dir,
                       rel);
      return MTPORT_EEXISTS;
    }
    rc = S_replace_at(dfd, base, data, len);
  } else if (fd < 0) {
    rc = MTPORT_EIO;
  } else {
    int failed = mtport__write_all(fd, data, len) != 0;
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
    mtport__run_diag(ctx, MTPORT_SEV_ERROR, "write-failed",
                     "cannot write '%s/%s': %s", ctx->dir, rel,
                     strerror(errno));
  return rc;
}

/* A file the user named: refused when it exists (unless --force and it is
 * a regular file); else a temporary file beside it, opened as *f, its name
 * in *tmp (the caller renames or removes it). With @p make_dirs its folder
 * is created when missing. Reports what fails. */
static int S_open_beside(mtport_ctx *ctx, const char *path, int make_dirs,
                         char **tmp, FILE **f) {
  *tmp = NULL;
  *f = NULL;
  struct stat st;
  if (lstat(path, &st) == 0 && (!ctx->opts->force || !S_ISREG(st.st_mode))) {
    mtport__run_diag(ctx, MTPORT_SEV_FATAL, "output-exists",
                     S_ISREG(st.st_mode)
                         ? "'%s' exists; use --force to overwrite it"
                         : "'%s' exists and is not a file",
                     path);
    return MTPORT_EEXISTS;
  }
  size_t n = strlen(path);
  char *t = malloc(n + 32);
  if (!t)
    return MTPORT_ENOMEM;
  const char *slash = strrchr(path, '/');
  size_t dn = slash ? (size_t)(slash - path) + 1 : 0;
  memcpy(t, path, dn);
  snprintf(t + dn, n + 32 - dn, ".%s.mtport-XXXXXX", slash ? slash + 1 : path);
  int fd = mkstemp(t);
  if (fd < 0 && errno == ENOENT && make_dirs && dn > 1) {
    for (size_t i = 1; i < dn; i++) {
      if (t[i] != '/')
        continue;
      t[i] = '\0';
      int ok = mkdir(t, 0777) == 0 || errno == EEXIST;
      t[i] = '/';
      if (!ok)
        break;
    }
    snprintf(t + dn, n + 32 - dn, ".%s.mtport-XXXXXX", slash + 1);
    fd = mkstemp(t);
  }
  if (fd < 0 || !(*f = fdopen(fd, "wb"))) {
    mtport__run_diag(ctx, MTPORT_SEV_FATAL, "write-failed",
                     "cannot write '%s': %s", path, strerror(errno));
    if (fd >= 0) {
      close(fd);
      unlink(t);
    }
    free(t);
    return MTPORT_EIO;
  }
  fchmod(fd, 0644);
  *tmp = t;
  return MTPORT_OK;
}

int mtport_ctx_force(mtport_ctx *ctx) { return ctx->opts->force != 0; }

struct mtport__side {
  char *path, *tmp;
  FILE *f;
};

int mtport_ctx_open_path(mtport_ctx *ctx, const char *path, FILE **out) {
  *out = NULL;
  if (!path || !*path)
    return MTPORT_EINVALID;
  struct mtport__side *ns = realloc(ctx->side, (ctx->n_side + 1) * sizeof *ns);
  if (!ns)
    return MTPORT_ENOMEM;
  ctx->side = ns;
  struct mtport__side *sd = &ctx->side[ctx->n_side];
  if (!(sd->path = mtport__strdup(path)))
    return MTPORT_ENOMEM;
  /* its folder is created, as the output folder is */
  int rc = S_open_beside(ctx, path, 1, &sd->tmp, &sd->f);
  if (rc != MTPORT_OK) {
    free(sd->path);
    return rc;
  }
  ctx->n_side++;
  *out = sd->f;
  return MTPORT_OK;
}

/* A whole file the user named: a side output written at once, so it is
 * renamed into place (or removed) with the others at the end of the run. */
int mtport_ctx_write_path(mtport_ctx *ctx, const char *path, const char *data,
                          size_t len) {
  FILE *f;
  int rc = mtport_ctx_open_path(ctx, path, &f);
  if (rc == MTPORT_OK && len && fwrite(data, 1, len, f) != len) {
    mtport__run_diag(ctx, MTPORT_SEV_FATAL, "write-failed",
                     "cannot write '%s': %s", path, strerror(errno));
    rc = MTPORT_EIO;
  }
  return rc;
}

/* Closes the side outputs: renamed into place when @ok, else removed. */
int mtport__run_close_sides(mtport_ctx *ctx, int ok) {
  int rc = MTPORT_OK;
  for (size_t i = 0; i < ctx->n_side; i++) {
    struct mtport__side *sd = &ctx->side[i];
    int bad = fflush(sd->f) != 0 || ferror(sd->f);
    bad |= fclose(sd->f) != 0;
    if (bad) {
      mtport__run_diag(ctx, MTPORT_SEV_FATAL, "write-failed",
                       "cannot write '%s'", sd->path);
      rc = MTPORT_EIO;
    } else if (ok && rc == MTPORT_OK && rename(sd->tmp, sd->path) != 0) {
      mtport__run_diag(ctx, MTPORT_SEV_FATAL, "write-failed",
                       "cannot rename to '%s': %s", sd->path, strerror(errno));
      rc = MTPORT_EIO;
    }
    if (!ok || bad || rc != MTPORT_OK)
      unlink(sd->tmp);
    free(sd->path);
    free(sd->tmp);
  }
  free(ctx->side);
  ctx->side = NULL;
  ctx->n_side = 0;
  return rc;
}

/* ---- the run ----------------------------------------------------------- */

int mtport__run_open_output(mtport_ctx *ctx) {
  const char *out = ctx->opts->output;
  if (ctx->exp->output == MTPORT_OUTPUT_DIR) {
    if (!out || !*out || strcmp(out, "-") == 0) {
      mtport__run_diag(ctx, MTPORT_SEV_FATAL, "no-output",
                       "the %s exporter writes a folder: give --output DIR",
                       ctx->exp->name);
      return MTPORT_EINVALID;
    }
    struct stat st;
    if (stat(out, &st) == 0) {
      if (!S_ISDIR(st.st_mode)) {
        mtport__run_diag(ctx, MTPORT_SEV_FATAL, "write-failed",
                         "'%s' is not a folder", out);
        return MTPORT_EIO;
      }
    }
    /* created with the first file, so a run refused in begin() leaves no
     * trace */
    ctx->dir = out;
    return MTPORT_OK;
  }
  if (!out || strcmp(out, "-") == 0) {
    ctx->stream = stdout;
    return MTPORT_OK;
  }
  int rc = S_open_beside(ctx, out, 0, &ctx->tmp_path, &ctx->stream);
  if (rc != MTPORT_OK)
    return rc;
  ctx->final_path = out;
  return MTPORT_OK;
}

/* Finishes the stream: renamed into place on success, removed otherwise. */
int mtport__run_close_output(mtport_ctx *ctx, int ok) {
  int rc = MTPORT_OK;
  if (!ctx->stream)
    return rc;
  if (ctx->stream == stdout) {
    /* also when the run stopped because of it: the exporter's EIO says no
       more than the failed call, so the user learns it here */
    if (fflush(stdout) != 0 || ferror(stdout)) {
      mtport__run_diag(ctx, MTPORT_SEV_FATAL, "write-failed",
                       "cannot write to standard output");
      rc = MTPORT_EIO;
    }
    return rc;
  }
  int bad = fflush(ctx->stream) != 0 || ferror(ctx->stream);
  bad |= fclose(ctx->stream) != 0;
  ctx->stream = NULL;
  if (bad) { /* also when the run stopped because of it (see above) */
    mtport__run_diag(ctx, MTPORT_SEV_FATAL, "write-failed", "cannot write '%s'",
                     ctx->final_path);
    rc = MTPORT_EIO;
  }
  if (ok && !bad && rename(ctx->tmp_path, ctx->final_path) != 0) {
    mtport__run_diag(ctx, MTPORT_SEV_FATAL, "write-failed",
                     "cannot rename to '%s': %s", ctx->final_path,
                     strerror(errno));
    rc = MTPORT_EIO;
  }
  if (!ok || rc != MTPORT_OK)
    unlink(ctx->tmp_path);
  free(ctx->tmp_path);
  ctx->tmp_path = NULL;
  return rc;
}

static char *S_dup_or_null(const char *s) {
  return s ? mtport__strdup(s) : NULL;
}

int mtport__dlist_add(mtport__dlist *l, const mtport_diag *d) {
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 4;
    mtport_diag *v = realloc(l->v, cap * sizeof *v);
    if (!v)
      return MTPORT_ENOMEM;
    l->v = v;
    l->cap = cap;
  }
  mtport_diag c = *d;
  c.code = S_dup_or_null(d->code);
  c.message = S_dup_or_null(d->message);
  c.file = S_dup_or_null(d->file);
  c.entry_title = S_dup_or_null(d->entry_title);
  if ((d->code && !c.code) || (d->message && !c.message) ||
      (d->file && !c.file) || (d->entry_title && !c.entry_title)) {
    free((char *)c.code);
    free((char *)c.message);
    free((char *)c.file);
    free((char *)c.entry_title);
    return MTPORT_ENOMEM; /* the caller reports it at once instead */
  }
  l->v[l->n++] = c;
  return MTPORT_OK;
}

void mtport__dlist_dispose(mtport__dlist *l) {
  for (size_t i = 0; i < l->n; i++) {
    free((char *)l->v[i].code);
    free((char *)l->v[i].message);
    free((char *)l->v[i].file);
    free((char *)l->v[i].entry_title);
  }
  free(l->v);
  l->v = NULL;
  l->n = l->cap = 0;
}

/* Reports the held diagnostics, in order, and empties the list. */
void mtport__dlist_replay(mtport_ctx *ctx, mtport__dlist *l) {
  int was = ctx->capturing;
  ctx->capturing = 0;
  for (size_t i = 0; i < l->n; i++)
    mtport__reader_tap(&l->v[i], ctx);
  ctx->capturing = was;
  mtport__dlist_dispose(l);
}
