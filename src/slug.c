/* Slugs: placeholder until issue #4 lands (ASCII alphanumerics only). */
#include "internal.h"
#include <ctype.h>
#include <string.h>

char *mtport_slugify(const char *s, unsigned flags, size_t max_bytes) {
  mtport_buf b = MTPORT_BUF_INIT;
  int dash = 0;
  for (; s && *s && b.len < max_bytes; s++) {
    unsigned char c = (unsigned char)*s;
    if (isalnum(c) || ((flags & MTPORT_SLUG_KEEP_UNDERSCORES) && c == '_')) {
      if (dash && b.len)
        mtport_buf_putc(&b, '-');
      dash = 0;
      mtport_buf_putc(&b, (char)tolower(c));
    } else
      dash = 1;
  }
  if (!b.len)
    mtport_buf_puts(&b, "post");
  return mtport_buf_detach(&b);
}
