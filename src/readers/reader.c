/* The reader: input handling, format sniffing, the importer table. */
#include "reader_int.h"
#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every importer, in sniffing priority order. Adding one touches this table. */
static const mtport_importer *const S_importers[] = {
    &mtport_importer_atom, &mtport_importer_mttext, &mtport_importer_backup};
#define S_N_IMPORTERS (sizeof S_importers / sizeof *S_importers)

const mtport_importer_info *mtport_importers(size_t *n) {
  static mtport_importer_info info[S_N_IMPORTERS];
  for (size_t i = 0; i < S_N_IMPORTERS; i++) {
    info[i].name = S_importers[i]->name;
    info[i].description = S_importers[i]->description;
  }
  *n = S_N_IMPORTERS;
  return info;
}

int mtport_input__refuse(mtport_input *in, const char *why) {
  if (!in->why)
    in->why = why;
  if (!in->error)
    in->error = EINVAL;
  return -1;
}

const char *mtport_input__why(const mtport_input *in) {
  return in->why ? in->why : strerror(in->error ? in->error : EIO);
}

long mtport_input__read(mtport_input *in, char *buf, size_t n) {
  if (in->why)
    return -1;
  if (in->cancel && *in->cancel) { /* a long read stops here too */
    in->error = ECANCELED;
    return -1;
  }
  if (n == 0)
    return 0;
  if (in->head_pos < in->head_len) {
    size_t k = in->head_len - in->head_pos;
    if (k > n)
      k = n;
    memcpy(buf, in->head + in->head_pos, k);
    in->head_pos += k;
    in->consumed += k;
    return (long)k;
  }
  if (in->fd < 0) {
    size_t k = in->mem_len - in->mem_pos;
    if (k > n)
      k = n;
    memcpy(buf, in->mem + in->mem_pos, k);
    in->mem_pos += k;
    in->consumed += k;
    return (long)k;
  }
  for (;;) {
    ssize_t k = read(in->fd, buf, n > 0x7fffffff ? 0x7fffffff : n);
    if (k < 0 && errno == EINTR && !(in->cancel && *in->cancel))
      continue;
    if (k < 0) {
      in->error = errno;
      return -1;
    }
    in->consumed += (uint64_t)k;
    return (long)k;
  }
}

/* Fills the look-ahead buffer used for sniffing. */
static int S_fill_head(mtport_input *in) {
  while (in->head_len < MTPORT_HEAD_SIZE) {
    size_t want = MTPORT_HEAD_SIZE - in->head_len;
    if (in->fd < 0) {
      size_t k = in->mem_len - in->mem_pos;
      if (k > want)
        k = want;
      memcpy(in->head + in->head_len, in->mem + in->mem_pos, k);
      in->mem_pos += k;
      in->head_len += k;
      return MTPORT_OK;
    }
    ssize_t k = read(in->fd, in->head + in->head_len, want);
    if (k < 0 && errno == EINTR && in->cancel && *in->cancel)
      errno = ECANCELED; /* a signal asked the run to stop */
    else if (k < 0 && errno == EINTR)
      continue;
    if (k < 0) {
      in->error = errno;
      return MTPORT_EIO;
    }
    if (k == 0)
      break;
    in->head_len += (size_t)k;
  }
  return MTPORT_OK;
}

void mtport_reader__vdiag(mtport_reader *r, mtport_severity sev,
                          const char *code, unsigned long line,
                          unsigned long col, const mtport_post *post,
                          const char *fmt, va_list ap) {
  if (!r->opts.diag)
    return;
  char msg[1024];
  vsnprintf(msg, sizeof msg, fmt, ap);
  /* messages quote input: keep them valid UTF-8 */
  mtport_buf clean = MTPORT_BUF_INIT;
  int ok = mtport_utf8_sanitize(&clean, msg, strlen(msg)) >= 0;
  mtport_diag d = {sev, code, ok ? clean.data : msg, r->name, line, col,
                   0,   NULL};
  if (post) {
    d.entry = post->ordinal;
    d.entry_title = post->title && *post->title ? post->title : post->source_id;
    if (!line) {
      d.line = post->origin.line;
      d.col = post->origin.col;
    }
  }
  r->opts.diag(&d, r->opts.diag_payload);
  mtport_buf_dispose(&clean);
}

void mtport_reader__diag(mtport_reader *r, mtport_severity sev,
                         const char *code, unsigned long line,
                         unsigned long col, const mtport_post *post,
                         const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  mtport_reader__vdiag(r, sev, code, line, col, post, fmt, ap);
  va_end(ap);
}

int mtport_xml__parser_options(unsigned flags) {
  /* XML_PARSE_NONET: never fetch; no NOENT/DTDLOAD: external entities are
   * not loaded or substituted; no HUGE: libxml2 keeps its expansion limits. */
  int o = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT |
          XML_PARSE_BIG_LINES; /* lines past 65,535 in diagnostics */
  if (flags & MTPORT_READ_RECOVER)
    o |= XML_PARSE_RECOVER;
  return o;
}

unsigned long mtport_xml__line(const struct _xmlNode *node) {
  long line = xmlGetLineNo(node);
  if (line < 65535)
    return line > 0 ? (unsigned long)line : 0;
  /* the text right after the start tag knows where it ends: back up over
   * its newlines */
  const xmlNode *t = node->children;
  if (node->type == XML_ELEMENT_NODE && t && t->type == XML_TEXT_NODE &&
      t->psvi && t->content) {
    unsigned long end = (unsigned long)(ptrdiff_t)t->psvi;
    for (const xmlChar *c = t->content; *c && end > 1; c++)
      end -= *c == '\n';
    return end;
  }
  return (unsigned long)line; /* libxml2's nearest guess */
}

static int S_open_common(mtport_reader **out, mtport_reader *r,
                         const mtport_reader_options *opts) {
  if (opts)
    r->opts = *opts;
  else {
    mtport_reader_options d = MTPORT_READER_OPTIONS_INIT;
    r->opts = d;
  }
  r->site = mtport_site_new();
  r->post = mtport_post_new();
  if (!r->site || !r->post || !r->name) {
    mtport_reader_free(r);
    return MTPORT_ENOMEM;
  }
  if (S_fill_head(&r->in) != MTPORT_OK) {
    mtport_reader__diag(r, MTPORT_SEV_FATAL, "read-failed", 0, 0, NULL,
                        "cannot read: %s", strerror(r->in.error));
    mtport_reader_free(r);
    return MTPORT_EIO;
  }
  const mtport_importer *imp = NULL;
  if (r->opts.format) {
    for (size_t i = 0; i < S_N_IMPORTERS; i++)
      if (strcmp(S_importers[i]->name, r->opts.format) == 0)
        imp = S_importers[i];
    if (!imp) {
      mtport_reader__diag(r, MTPORT_SEV_FATAL, "unknown-format", 0, 0, NULL,
                          "unknown input format '%s'", r->opts.format);
      mtport_reader_free(r);
      return MTPORT_ENOTFOUND;
    }
  } else {
    int best = 0;
    for (size_t i = 0; i < S_N_IMPORTERS; i++) {
      int s = S_importers[i]->sniff(r->in.head, r->in.head_len);
      if (s > best)
        best = s, imp = S_importers[i];
    }
    if (!imp) {
      mtport_reader__diag(
          r, MTPORT_SEV_FATAL, "unknown-format", 1, 1, NULL,
          r->in.head_len ? "not a Movable Type export (Atom feed, text export "
                           "or backup XML)"
                         : "the input is empty");
      mtport_reader_free(r);
      return MTPORT_EPARSE;
    }
  }
  r->imp = imp;
  r->site->source_format = imp->name;
  int rc = imp->open(r, &r->state);
  if (rc < 0) {
    mtport_reader_free(r);
    return rc;
  }
  *out = r;
  return MTPORT_OK;
}

/* Reports a fatal problem with input @path before a reader exists. */
static void S_open_diag(const mtport_reader_options *opts, const char *path,
                        const char *fmt, const char *arg) {
  if (!opts || !opts->diag)
    return;
  char msg[512];
  snprintf(msg, sizeof msg, fmt, arg);
  mtport_diag d = {MTPORT_SEV_FATAL, "read-failed", msg, path, 0, 0, 0, NULL};
  opts->diag(&d, opts->diag_payload);
}

/* Only regular files and pipes (and, on standard input, sockets) are read:
 * a device such as /dev/zero or /dev/urandom never ends. NULL when @st is
 * one of them, else what it is. */
static const char *S_refused_kind(const struct stat *st, int is_stdin) {
  if (S_ISREG(st->st_mode) || S_ISFIFO(st->st_mode) ||
      (is_stdin && S_ISSOCK(st->st_mode)))
    return NULL;
  return S_ISDIR(st->st_mode)    ? "a folder"
         : S_ISCHR(st->st_mode)  ? "a character device"
         : S_ISBLK(st->st_mode)  ? "a block device"
         : S_ISSOCK(st->st_mode) ? "a socket"
                                 : "not a regular file";
}

int mtport_reader_open(mtport_reader **out, const char *path,
                       const mtport_reader_options *opts) {
  return mtport_reader__open(out, path, opts, NULL);
}

int mtport_reader__open(mtport_reader **out, const char *path,
                        const mtport_reader_options *opts,
                        const volatile sig_atomic_t *cancel) {
  *out = NULL;
  if (!path)
    return MTPORT_EINVALID;
  mtport_reader *r = calloc(1, sizeof *r);
  if (!r)
    return MTPORT_ENOMEM;
  r->in.cancel = cancel;
  r->name = mtport__strdup(path);
  int is_stdin = strcmp(path, "-") == 0;
  if (is_stdin) {
    r->in.fd = 0;
  } else {
    /* a device is refused before it is opened: opening some has effects */
    struct stat pre;
    const char *kind = stat(path, &pre) == 0 ? S_refused_kind(&pre, 0) : NULL;
    r->in.fd = kind ? -1 : open(path, O_RDONLY | O_CLOEXEC);
    r->in.own_fd = 1;
    if (r->in.fd < 0) {
      if (kind)
        S_open_diag(opts, path,
                    "refused: %s (mtport reads regular files and pipes)", kind);
      else
        S_open_diag(opts, path, "cannot open: %s", strerror(errno));
      free(r->name);
      free(r);
      return MTPORT_EIO;
    }
  }
  struct stat st;
  const char *kind = NULL;
  if (fstat(r->in.fd, &st) != 0)
    kind = "cannot be examined";
  else
    kind = S_refused_kind(&st, is_stdin);
  if (kind) {
    S_open_diag(opts, path,
                "refused: %s (mtport reads regular files and pipes)", kind);
    if (r->in.own_fd)
      close(r->in.fd);
    free(r->name);
    free(r);
    return MTPORT_EIO;
  }
  if (S_ISREG(st.st_mode))
    r->in.total = (uint64_t)st.st_size;
  return S_open_common(out, r, opts);
}

int mtport_reader__open_fd(mtport_reader **out, int fd, const char *name,
                           const mtport_reader_options *opts) {
  return mtport_reader__open_parts(out, fd, name, NULL, NULL, 0, opts);
}

int mtport_reader__open_parts(mtport_reader **out, int fd, const char *name,
                              const int *more_fds,
                              const char *const *more_names, size_t n_more,
                              const mtport_reader_options *opts) {
  *out = NULL;
  mtport_reader *r = calloc(1, sizeof *r);
  int *fds = n_more ? malloc(n_more * sizeof *fds) : NULL;
  if (!r || (n_more && !fds)) {
    close(fd);
    for (size_t i = 0; i < n_more; i++)
      close(more_fds[i]);
    free(r);
    free(fds);
    return MTPORT_ENOMEM;
  }
  if (n_more)
    memcpy(fds, more_fds, n_more * sizeof *fds);
  r->more_fds = fds;
  r->more_names = more_names;
  r->n_more = n_more;
  r->name = mtport__strdup(name ? name : "<backup part>");
  r->in.fd = fd;
  r->in.own_fd = 1;
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
    r->in.total = (uint64_t)st.st_size;
  return S_open_common(out, r, opts);
}

int mtport_reader_open_mem(mtport_reader **out, const char *data, size_t len,
                           const char *name,
                           const mtport_reader_options *opts) {
  *out = NULL;
  mtport_reader *r = calloc(1, sizeof *r);
  if (!r)
    return MTPORT_ENOMEM;
  r->name = mtport__strdup(name ? name : "<memory>");
  r->in.fd = -1;
  r->in.mem = data;
  r->in.mem_len = len;
  r->in.total = len;
  return S_open_common(out, r, opts);
}

const mtport_site *mtport_reader_site(const mtport_reader *r) {
  return r->site;
}

const char *mtport_reader_format(const mtport_reader *r) {
  return r->imp->name;
}

unsigned long mtport_reader_count(const mtport_reader *r) { return r->count; }

/* A title is HTML in the model (MT writes it out as is): its references
 * to controls and noncharacters go, as the setters do for the texts. The
 * text importer warns for its whole record already. */
static int S_title_refs(mtport_reader *r, mtport_post *p) {
  if (!p->title || !strstr(p->title, "&#"))
    return MTPORT_OK;
  mtport_buf b = MTPORT_BUF_INIT;
  int f = mtport__html_fix_refs(&b, p->title, strlen(p->title));
  if (f > 0) {
    free(p->title);
    if (!(p->title = mtport_buf_detach(&b)))
      f = MTPORT_ENOMEM;
    else if (r->imp != &mtport_importer_mttext)
      mtport_reader__diag(r, MTPORT_SEV_WARNING, "invalid-text", 0, 0, p,
                          "%d character reference(s) to a control character "
                          "or noncharacter removed from the title",
                          f);
  }
  mtport_buf_dispose(&b);
  return f < 0 ? f : MTPORT_OK;
}

int mtport_reader_next(mtport_reader *r, const mtport_post **post) {
  *post = NULL;
  if (r->failed)
    return r->failed;
  mtport_post_reset(r->post);
  r->post->ordinal = r->count + 1;
  r->post->origin.file = r->name;
  int rc = r->imp->next(r, r->state, r->post);
  if (rc < 0) {
    r->failed = rc;
    return rc;
  }
  if (rc == 0)
    return 0;
  rc = S_title_refs(r, r->post);
  if (rc < 0) {
    r->failed = rc;
    return rc;
  }
  r->count++;
  *post = r->post;
  return 1;
}

void mtport_reader_free(mtport_reader *r) {
  if (!r)
    return;
  if (r->imp && r->imp->close)
    r->imp->close(r->state);
  if (r->in.own_fd && r->in.fd >= 0)
    close(r->in.fd);
  for (size_t i = 0; i < r->n_more; i++)
    if (r->more_fds[i] >= 0)
      close(r->more_fds[i]);
  free(r->more_fds);
  mtport_site_free(r->site);
  mtport_post_free(r->post);
  free(r->name);
  free(r);
}

mtport_post *mtport_reader__take(mtport_reader *r) {
  mtport_post *fresh = mtport_post_new();
  if (!fresh)
    return NULL;
  mtport_post *p = r->post;
  r->post = fresh;
  return p;
}

uint64_t mtport_reader__consumed(const mtport_reader *r, uint64_t *total) {
  *total = r->in.total;
  return r->in.consumed;
}
