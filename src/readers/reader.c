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

long mtport_input__read(mtport_input *in, char *buf, size_t n) {
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
    if (k < 0 && errno == EINTR)
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
    if (k < 0 && errno == EINTR)
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

int mtport_reader_open(mtport_reader **out, const char *path,
                       const mtport_reader_options *opts) {
  *out = NULL;
  if (!path)
    return MTPORT_EINVALID;
  mtport_reader *r = calloc(1, sizeof *r);
  if (!r)
    return MTPORT_ENOMEM;
  r->name = mtport__strdup(path);
  if (strcmp(path, "-") == 0) {
    r->in.fd = 0;
  } else {
    r->in.fd = open(path, O_RDONLY);
    r->in.own_fd = 1;
    if (r->in.fd < 0) {
      int e = errno;
      r->in.own_fd = 0;
      if (opts && opts->diag) {
        mtport_diag d = {
            MTPORT_SEV_FATAL, "read-failed", NULL, path, 0, 0, 0, NULL};
        char msg[512];
        snprintf(msg, sizeof msg, "cannot open: %s", strerror(e));
        d.message = msg;
        opts->diag(&d, opts->diag_payload);
      }
      free(r->name);
      free(r);
      return MTPORT_EIO;
    }
    struct stat st;
    if (fstat(r->in.fd, &st) == 0 && S_ISREG(st.st_mode))
      r->in.total = (uint64_t)st.st_size;
    else if (fstat(r->in.fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      if (opts && opts->diag) {
        mtport_diag d = {MTPORT_SEV_FATAL,
                         "read-failed",
                         "cannot open: is a folder",
                         path,
                         0,
                         0,
                         0,
                         NULL};
        opts->diag(&d, opts->diag_payload);
      }
      close(r->in.fd);
      free(r->name);
      free(r);
      return MTPORT_EIO;
    }
  }
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
