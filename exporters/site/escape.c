/* Template syntax made literal: Markdown bodies that pass through a
 * generator's template engine must show `{{`, `{%` and shortcodes as the
 * author wrote them. */
#include "site_int.h"
#include <string.h>

int mtport__site_liquid_escape(mtport_buf *out, const char *text, size_t len) {
  int rc = MTPORT_OK;
  size_t run = 0; /* start of the bytes not yet copied */
  for (size_t i = 0; i < len && !rc; i++) {
    if (text[i] == '{' && i + 1 < len &&
        (text[i + 1] == '{' || text[i + 1] == '%')) {
      /* Liquid prints a quoted "{", so no tag or output ever starts in the
       * text, inside code blocks too (Liquid runs before Markdown) */
      rc = mtport_buf_append(out, text + run, i - run);
      if (!rc)
        rc = mtport_buf_puts(out, "{{ \"{\" }}");
      run = i + 1;
    }
  }
  if (!rc)
    rc = mtport_buf_append(out, text + run, len - run);
  return rc;
}

static const char *S_find(const char *s, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (memcmp(s + i, needle, k) == 0)
      return s + i;
  return NULL;
}

int mtport__site_shortcode_escape(mtport_buf *out, const char *text,
                                  size_t len) {
  int rc = MTPORT_OK;
  size_t i = 0, run = 0;
  int unclosed[2] = {0, 0}; /* no ">}}" / "%}}" after here: never look again */
  while (i + 3 <= len && !rc) {
    if (text[i] != '{' || text[i + 1] != '{' ||
        (text[i + 2] != '<' && text[i + 2] != '%')) {
      i++;
      continue;
    }
    char kind = text[i + 2];
    const char *close = kind == '<' ? ">}}" : "%}}";
    const char *end =
        unclosed[kind == '%'] ? NULL : S_find(text + i + 3, len - i - 3, close);
    if (!end)
      unclosed[kind == '%'] = 1;
    rc = mtport_buf_append(out, text + run, i - run);
    if (rc)
      break;
    if (end) {
      // Hugo's own escape: {{</* x */>}} is shown as {{< x >}}
      size_t inner = (size_t)(end - (text + i + 3));
      rc = mtport_buf_append(out, text + i, 3);
      if (!rc)
        rc = mtport_buf_puts(out, "/*");
      if (!rc)
        rc = mtport_buf_append(out, text + i + 3, inner);
      if (!rc)
        rc = mtport_buf_puts(out, "*/");
      if (!rc)
        rc = mtport_buf_append(out, end, 3);
      i = run = (size_t)(end - text) + 3;
    } else {
      /* no closing delimiter: a character reference keeps the second brace
       * from opening a shortcode and still renders as "{" */
      rc = mtport_buf_puts(out, "{&#123;");
      i = run = i + 2;
    }
  }
  if (!rc)
    rc = mtport_buf_append(out, text + run, len - run);
  return rc;
}
