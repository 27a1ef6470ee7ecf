/* The growable buffer, version and error names. */
#include "core.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mtport_buf_init(mtport_buf *b) { b->data = NULL, b->len = 0, b->cap = 0; }

int mtport__buf_reserve(mtport_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap)
    return MTPORT_OK;
  if (extra > SIZE_MAX / 2 - b->len)
    return MTPORT_ENOMEM;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1)
    cap *= 2;
  char *d = realloc(b->data, cap);
  if (!d)
    return MTPORT_ENOMEM;
  b->data = d;
  b->cap = cap;
  return MTPORT_OK;
}

int mtport_buf_append(mtport_buf *b, const char *s, size_t n) {
  if (mtport__buf_reserve(b, n) != MTPORT_OK)
    return MTPORT_ENOMEM;
  if (n)
    memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return MTPORT_OK;
}

int mtport_buf_puts(mtport_buf *b, const char *s) {
  return mtport_buf_append(b, s, strlen(s));
}

int mtport_buf_putc(mtport_buf *b, char c) {
  if (b->len + 2 <= b->cap) { /* the common case: room left, no call */
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return MTPORT_OK;
  }
  return mtport_buf_append(b, &c, 1);
}

int mtport_buf_printf(mtport_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return MTPORT_ERROR;
  if (mtport__buf_reserve(b, (size_t)n) != MTPORT_OK)
    return MTPORT_ENOMEM;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return MTPORT_OK;
}

void mtport_buf_clear(mtport_buf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

char *mtport_buf_detach(mtport_buf *b) {
  char *d = b->data;
  if (!d)
    d = calloc(1, 1);
  mtport_buf_init(b);
  return d;
}

void mtport_buf_dispose(mtport_buf *b) {
  if (!b)
    return;
  free(b->data);
  mtport_buf_init(b);
}

const char *mtport_version(void) { return MTPORT_VERSION_STRING; }

const char *mtport_strerror(int rc) {
  switch (rc) {
  case MTPORT_OK:
    return "success";
  case MTPORT_ENOMEM:
    return "out of memory";
  case MTPORT_EIO:
    return "input/output error";
  case MTPORT_EPARSE:
    return "malformed input";
  case MTPORT_EINVALID:
    return "invalid argument";
  case MTPORT_ENOTFOUND:
    return "not found";
  case MTPORT_EEXISTS:
    return "output exists";
  case MTPORT_EUNSAFE:
    return "unsafe output path";
  case MTPORT_EUSER:
    return "stopped by callback";
  case MTPORT_ECANCELED:
    return "interrupted";
  default:
    return "error";
  }
}

char *mtport__strndup(const char *s, size_t n) {
  if (!s)
    return NULL;
  char *d = malloc(n + 1);
  if (!d)
    return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *mtport__strdup(const char *s) {
  return s ? mtport__strndup(s, strlen(s)) : NULL;
}
