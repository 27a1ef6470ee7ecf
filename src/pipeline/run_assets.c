/* The run's side of the asset layer (assets.h): a backup archive input
 * stands for its XML parts, every post's references are collected in the
 * first pass, the files are stored after the exporter's prepass_done(),
 * each post's texts are rewritten before prepare() and entry(), and the
 * report goes into the output. */
#include "run_int.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int S_empty(const char *s) { return !s || !*s; }

/* The layer's run-level diagnostics, counted like the run's own. */
static void S_diag(const mtport_diag *d, void *payload) {
  mtport__run_tap(d, payload);
}

/* 1 when the file at @path starts like an MT backup XML. */
static int S_is_backup_xml(const char *path) {
  if (strcmp(path, "-") == 0)
    return 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  char head[4097];
  ssize_t n = read(fd, head, sizeof head - 1);
  close(fd);
  if (n <= 0)
    return 0;
  head[n] = '\0';
  for (ssize_t i = 0; i < n; i++)
    if (!head[i])
      head[i] = ' ';
  return strstr(head, "<movabletype") != NULL;
}

int mtport__assets_setup(mtport_ctx *ctx, const char *const *inputs, size_t n) {
  const mtport_run_options *o = ctx->opts;
  int mode = o->version >= 4 ? o->assets : MTPORT_RUN_ASSETS_AUTO;
  mtport_assets_options ao = MTPORT_ASSETS_OPTIONS_INIT;
  if (o->version >= 4)
    ao = o->assets_opts;
  ao.version = MTPORT_ASSETS_OPTIONS_VERSION;
  ao.diag = S_diag;
  ao.diag_payload = ctx;
  ao.site_url = o->reader.site_url;
  ao.archive = NULL;
  size_t archive = SIZE_MAX;
  for (size_t i = 0; i < n; i++) {
    if (!mtport_archive_path_sniff(inputs[i]))
      continue;
    if (archive != SIZE_MAX) {
      mtport__run_diag(ctx, MTPORT_SEV_FATAL, "archive-twice",
                       "'%s' and '%s' are both backup archives; convert one "
                       "blog's backup per run",
                       inputs[archive], inputs[i]);
      return MTPORT_EINVALID;
    }
    archive = i;
  }
  ctx->assets_on = mode == MTPORT_RUN_ASSETS_ON ||
                   (mode == MTPORT_RUN_ASSETS_AUTO &&
                    (archive != SIZE_MAX || !S_empty(ao.mirror) ||
                     ao.n_asset_hosts || ao.external));
  /* inputs as the readers see them: an archive's XML parts in its place */
  ctx->inputs = calloc(n, sizeof *ctx->inputs);
  ctx->parts = calloc(n, sizeof *ctx->parts);
  if (!ctx->inputs || !ctx->parts)
    return MTPORT_ENOMEM;
  ctx->n_inputs = 0;
  ctx->cap_inputs = n;
  if (!ctx->assets_on && archive == SIZE_MAX) {
    for (size_t i = 0; i < n; i++) {
      ctx->inputs[i] = inputs[i];
      ctx->parts[i] = -1;
    }
    ctx->n_inputs = n;
    return MTPORT_OK;
  }
  if (archive != SIZE_MAX)
    ao.archive = inputs[archive];
  int rc = mtport_assets_new(&ctx->assets, &ao);
  if (rc == MTPORT_EIO)
    mtport__run_diag(ctx, MTPORT_SEV_FATAL, "assets-from",
                     "--assets-from '%s' is not a folder", ao.mirror);
  else if (rc == MTPORT_EINVALID)
    mtport__run_diag(ctx, MTPORT_SEV_FATAL, "bad-option",
                     "an --asset-host names no host");
  if (rc)
    return rc;
  if (archive != SIZE_MAX && (rc = mtport_assets_scan_archive(ctx->assets)))
    return rc;
  for (size_t i = 0; i < n; i++) {
    if (i != archive) {
      ctx->inputs[ctx->n_inputs] = inputs[i];
      ctx->parts[ctx->n_inputs++] = -1;
      /* a plain backup XML's asset records (a split backup's other parts
       * are inputs of their own) */
      if (ctx->assets_on && S_is_backup_xml(inputs[i])) {
        int fd = open(inputs[i], O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
          rc = mtport_assets_scan_xml(ctx->assets, mtport_fd_read, &fd,
                                      inputs[i], 0);
          close(fd);
          if (rc)
            return rc;
        }
      }
      continue;
    }
    size_t parts = mtport_assets_xml_count(ctx->assets);
    if (parts == 0) {
      mtport__run_diag(ctx, MTPORT_SEV_FATAL, "archive-no-xml",
                       "'%s' holds no backup XML to read", inputs[i]);
      return MTPORT_EPARSE;
    }
    /* one input: a split backup's parts are read together, as MT wrote
     * them (its first part names them) */
    int fd;
    const char *member;
    if ((rc = mtport_assets_xml_open(ctx->assets, 0, &fd, &member, NULL)))
      return rc;
    close(fd);
    mtport_buf nm = MTPORT_BUF_INIT;
    mtport_buf_printf(&nm, "%s:%s", inputs[i], member);
    if (!(ctx->names = calloc(1, sizeof *ctx->names)) ||
        !(ctx->names[0] = mtport_buf_detach(&nm))) {
      mtport_buf_dispose(&nm);
      return MTPORT_ENOMEM;
    }
    ctx->n_names = 1;
    ctx->inputs[ctx->n_inputs] = ctx->names[0];
    ctx->parts[ctx->n_inputs++] = 0;
  }
  return MTPORT_OK;
}

int mtport__assets_open_reader(mtport_ctx *ctx, size_t i,
                               const mtport_reader_options *ro,
                               mtport_reader **r) {
  (void)i;
  int rc = mtport_assets_open_reader(ctx->assets, ro, r);
  if (rc == MTPORT_EIO)
    mtport__run_diag(ctx, MTPORT_SEV_FATAL, "read-failed",
                     "cannot read the backup parts of '%s' again: %s",
                     ctx->inputs[i], strerror(errno));
  return rc;
}

int mtport__assets_site(mtport_ctx *ctx, const mtport_site *site) {
  if (!ctx->assets_on || ctx->assets_site_known)
    return MTPORT_OK;
  const char *u = site && !S_empty(site->home_url) ? site->home_url
                                                   : ctx->opts->reader.site_url;
  if (S_empty(u))
    return MTPORT_OK;
  ctx->assets_site_known = 1;
  int rc = mtport_assets_set_site_url(ctx->assets, u);
  if (rc == MTPORT_EINVALID) {
    mtport__run_diag(ctx, MTPORT_SEV_WARNING, "bad-url",
                     "the site URL '%s' names no host: only --asset-host "
                     "hosts count as the blog's own",
                     u);
    rc = MTPORT_OK;
  }
  return rc;
}

/* The texts of a post that may hold references, in a fixed order. */
static int S_each_text(mtport_post *p,
                       int (*fn)(void *payload, mtport_post *p,
                                 const char *field, mtport_text *t),
                       void *payload) {
  int rc = fn(payload, p, "body", &p->body);
  if (!rc)
    rc = fn(payload, p, "extended body", &p->more);
  if (!rc)
    rc = fn(payload, p, "excerpt", &p->excerpt);
  for (size_t i = 0; i < p->n_comments && !rc; i++) {
    char field[48];
    snprintf(field, sizeof field, "comment %zu", i + 1);
    rc = fn(payload, p, field, &p->comments[i].body);
  }
  return rc;
}

/* Plain text shows its markup as text: nothing in it is a reference. */
static int S_has_refs(const mtport_text *t) {
  return !S_empty(t->text) && t->format != MTPORT_TEXT_PLAIN;
}

typedef struct {
  mtport_assets *as;
  const mtport_post *view; /* the post as the layer sees it */
  mtport_assets_found *found;
  mtport_buf out;
} S_pass;

static int S_collect_text(void *payload, mtport_post *p, const char *field,
                          mtport_text *t) {
  S_pass *w = payload;
  (void)p;
  if (!S_has_refs(t))
    return MTPORT_OK;
  return mtport_assets_collect(w->as, w->view, field, t->text, strlen(t->text),
                               S_empty(t->base) ? NULL : t->base);
}

int mtport__assets_collect(mtport_ctx *ctx, const mtport_post *post,
                           uint64_t seq) {
  if (!ctx->assets_on)
    return MTPORT_OK;
  if (post->permalink && *post->permalink) {
    uint32_t n = (uint32_t)strlen(post->permalink);
    int e = ctx->permalinks ? MTPORT_OK
                            : mtport_spool_new(&ctx->permalinks, "permalinks");
    if (!e)
      e = mtport_spool_append(ctx->permalinks, &n, sizeof n, NULL);
    if (!e)
      e = mtport_spool_append(ctx->permalinks, post->permalink, n, NULL);
    if (e)
      return e;
  }
  /* numbered across the inputs, so an output finds the post by it */
  mtport_post view = *post;
  view.ordinal = (unsigned long)seq + 1;
  S_pass w = {ctx->assets, &view, NULL, MTPORT_BUF_INIT};
  /* collecting reads the texts only */
  int rc = S_each_text((mtport_post *)post, S_collect_text, &w);
  if (rc)
    mtport__run_diag(ctx, MTPORT_SEV_FATAL, "assets-failed",
                     "cannot collect the references of the posts: %s",
                     mtport_strerror(rc));
  return rc;
}

/* Makes (or opens) folder @rel below the output folder, never through a
 * symlink. MTPORT_OK, MTPORT_EUNSAFE, MTPORT_EIO. */
static int S_make_inside(mtport_ctx *ctx, const char *rel) {
  if (mtport__run_open_root(ctx) < 0)
    return MTPORT_EIO;
  int unsafe;
  int fd = mtport__mkdirs_at(ctx->root_fd, rel, strlen(rel), &unsafe);
  int rc = fd < 0 ? (unsafe ? MTPORT_EUNSAFE : MTPORT_EIO) : MTPORT_OK;
  if (fd >= 0)
    close(fd);
  if (rc)
    mtport__run_diag(ctx, MTPORT_SEV_FATAL, "write-failed",
                     rc == MTPORT_EUNSAFE
                         ? "'%s' in the output is not a folder (a symlink?); "
                           "the files are not written through it"
                         : "cannot make the folder '%s' in the output: %s",
                     rel, strerror(errno));
  return rc;
}

int mtport_ctx_set_assets_dir(mtport_ctx *ctx, const char *dir) {
  if (!ctx || !dir)
    return MTPORT_EINVALID;
  if (ctx->exp->output == MTPORT_OUTPUT_DIR) {
    /* one safe relative path */
    if (dir[0] == '/')
      return MTPORT_EUNSAFE;
    for (const char *s = dir; *s;) {
      size_t n = strcspn(s, "/");
      if ((n == 2 && !strncmp(s, "..", 2)) || (n == 1 && s[0] == '.'))
        return MTPORT_EUNSAFE;
      s += n + (s[n] == '/');
    }
  }
  char *d = mtport__strdup(dir);
  if (!d)
    return MTPORT_ENOMEM;
  free(ctx->assets_rel);
  ctx->assets_rel = d;
  free(ctx->assets_path);
  ctx->assets_path = NULL;
  return MTPORT_OK;
}

const char *mtport_ctx_assets_dir(mtport_ctx *ctx) {
  if (!ctx || !ctx->assets_on)
    return NULL;
  if (ctx->assets_path)
    return ctx->assets_path;
  mtport_buf b = MTPORT_BUF_INIT;
  const char *out = ctx->opts->output;
  if (ctx->exp->output == MTPORT_OUTPUT_DIR) {
    if (S_empty(out))
      return NULL;
    mtport_buf_puts(&b, out);
    if (!S_empty(ctx->assets_rel)) {
      if (b.len && b.data[b.len - 1] != '/')
        mtport_buf_putc(&b, '/');
      mtport_buf_puts(&b, ctx->assets_rel);
    }
  } else if (!S_empty(ctx->assets_rel))
    mtport_buf_puts(&b, ctx->assets_rel);
  else {
    if (S_empty(out) || !strcmp(out, "-"))
      return NULL;
    /* site.xml -> site-files, beside it */
    const char *slash = strrchr(out, '/');
    const char *dot = strrchr(slash ? slash + 1 : out, '.');
    size_t n = dot && dot != (slash ? slash + 1 : out) ? (size_t)(dot - out)
                                                       : strlen(out);
    mtport_buf_append(&b, out, n);
    mtport_buf_puts(&b, "-files");
  }
  ctx->assets_path = mtport_buf_detach(&b);
  return ctx->assets_path;
}

char *mtport_ctx_assets_url(mtport_ctx *ctx, const char *base) {
  const char *dir = mtport_ctx_assets_dir(ctx);
  if (!dir)
    return NULL;
  const char *name = strrchr(dir, '/');
  name = name ? name + 1 : dir;
  mtport_buf u = MTPORT_BUF_INIT;
  int rc = mtport_buf_puts(&u, S_empty(base) ? "/" : base);
  if (!rc && u.data[u.len - 1] != '/')
    rc = mtport_buf_putc(&u, '/');
  for (const unsigned char *s = (const unsigned char *)name; !rc && *s; s++)
    rc = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                 (*s >= '0' && *s <= '9') || strchr("-._~", *s)
             ? mtport_buf_putc(&u, (char)*s)
             : mtport_buf_printf(&u, "%%%02X", *s) < 0;
  if (!rc)
    rc = mtport_buf_putc(&u, '/');
  char *url = rc ? NULL : mtport_buf_detach(&u);
  mtport_buf_dispose(&u);
  return url;
}

int mtport_ctx_assets_keep_permalinks(mtport_ctx *ctx) {
  if (!ctx || !ctx->assets_on || !ctx->permalinks)
    return MTPORT_OK;
  uint64_t end = mtport_spool_size(ctx->permalinks), off = 0;
  mtport_buf u = MTPORT_BUF_INIT;
  int rc = MTPORT_OK;
  while (off < end && !rc) {
    uint32_t n;
    rc = mtport_spool_read(ctx->permalinks, off, &n, sizeof n);
    mtport_buf_clear(&u);
    char *d = rc ? NULL : malloc((size_t)n + 1);
    if (!rc && !d)
      rc = MTPORT_ENOMEM;
    if (!rc)
      rc = mtport_spool_read(ctx->permalinks, off + sizeof n, d, n);
    if (!rc) {
      d[n] = '\0';
      rc = mtport_buf_puts(&u, d);
    }
    free(d);
    if (!rc && u.data)
      rc =
          mtport_assets_add_link(ctx->assets, u.data, MTPORT_LINK_POST, u.data);
    off += sizeof n + n;
  }
  mtport_buf_dispose(&u);
  return rc;
}

mtport_assets *mtport_ctx_assets(mtport_ctx *ctx) {
  return ctx && ctx->assets_on ? ctx->assets : NULL;
}

int mtport__assets_fetch(mtport_ctx *ctx) {
  if (!ctx->assets_on)
    return MTPORT_OK;
  const char *root = mtport_ctx_assets_dir(ctx);
  if (!root) {
    mtport__run_diag(ctx, MTPORT_SEV_WARNING, "assets-no-output",
                     "the output is standard output: no file is copied "
                     "(give --output FILE to have them beside it)");
    return MTPORT_OK;
  }
  int rc = MTPORT_OK;
  if (ctx->exp->output == MTPORT_OUTPUT_DIR && !S_empty(ctx->assets_rel))
    rc = S_make_inside(ctx, ctx->assets_rel);
  if (!rc)
    rc = mtport_assets_fetch(ctx->assets, root,
                             ctx->opts->force ? MTPORT_STORE_FORCE : 0);
  ctx->assets_fetched = rc == MTPORT_OK;
  return rc;
}

static int S_rewrite_text(void *payload, mtport_post *p, const char *field,
                          mtport_text *t) {
  S_pass *w = payload;
  (void)p;
  if (!S_has_refs(t))
    return MTPORT_OK;
  mtport_buf_clear(&w->out);
  int rc = mtport_assets_rewrite(
      w->as, w->view, field, t->text, strlen(t->text),
      S_empty(t->base) ? NULL : t->base, &w->out, w->found);
  if (rc)
    return rc;
  if (w->out.len == strlen(t->text) &&
      !memcmp(w->out.data, t->text, w->out.len))
    return MTPORT_OK;
  char *s = mtport_buf_detach(&w->out);
  if (!s)
    return MTPORT_ENOMEM;
  free(t->text);
  t->text = s;
  return MTPORT_OK;
}

int mtport__assets_rewrite(mtport_assets *as, mtport_post *post, uint64_t seq,
                           mtport_assets_found *found) {
  /* a shallow copy: the texts it points at are replaced in @post itself
   * after each rewrite */
  mtport_post view = *post;
  view.ordinal = (unsigned long)seq + 1;
  S_pass w = {as, &view, found, MTPORT_BUF_INIT};
  int rc = S_each_text(post, S_rewrite_text, &w);
  mtport_buf_dispose(&w.out);
  return rc;
}

int mtport__assets_finish(mtport_ctx *ctx) {
  if (!ctx->assets_on)
    return MTPORT_OK;
  ctx->res->assets_used = 1;
  mtport_assets_counts(ctx->assets, &ctx->res->assets);
  const char *root = ctx->exp->output == MTPORT_OUTPUT_DIR
                         ? ctx->opts->output
                         : mtport_ctx_assets_dir(ctx);
  if (!root)
    return MTPORT_OK;
  mtport_buf path = MTPORT_BUF_INIT;
  mtport_buf_puts(&path, root);
  if (path.len && path.data[path.len - 1] != '/')
    mtport_buf_putc(&path, '/');
  if (mtport_buf_puts(&path, "mtport-assets.tsv")) {
    mtport_buf_dispose(&path);
    return MTPORT_ENOMEM;
  }
  FILE *f;
  int rc = mtport_ctx_open_path(ctx, path.data, &f);
  if (!rc) {
    rc = mtport_assets_write_report(ctx->assets, f);
    if (rc)
      mtport__run_diag(ctx, MTPORT_SEV_FATAL, "write-failed",
                       "cannot write '%s': %s", path.data, mtport_strerror(rc));
  }
  mtport_buf_dispose(&path);
  return rc;
}

void mtport__assets_free(mtport_ctx *ctx) {
  mtport_assets_free(ctx->assets);
  ctx->assets = NULL;
  for (size_t i = 0; i < ctx->n_names; i++)
    free(ctx->names[i]);
  free(ctx->names);
  free(ctx->inputs);
  free(ctx->parts);
  free(ctx->assets_rel);
  free(ctx->assets_path);
  mtport_spool_free(ctx->permalinks);
}
