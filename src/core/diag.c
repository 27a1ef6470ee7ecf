/* Rendering diagnostics for people (GCC style) and tools (JSON Lines). */
#include "core.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const char *mtport_severity_name(mtport_severity s) {
  switch (s) {
  case MTPORT_SEV_NOTE:
    return "note";
  case MTPORT_SEV_WARNING:
    return "warning";
  case MTPORT_SEV_ERROR:
    return "error";
  default:
    return "fatal";
  }
}

int mtport_diag_format(const mtport_diag *d, mtport_buf *out) {
  int rc = 0;
  if (d->file) {
    rc |= mtport_buf_puts(out, d->file);
    if (d->line) {
      rc |= mtport_buf_printf(out, ":%lu", d->line);
      if (d->col)
        rc |= mtport_buf_printf(out, ":%lu", d->col);
    }
    rc |= mtport_buf_puts(out, ": ");
  }
  rc |= mtport_buf_printf(out, "%s: ", mtport_severity_name(d->severity));
  if (d->entry) {
    rc |= mtport_buf_printf(out, "entry %lu", d->entry);
    if (d->entry_title && *d->entry_title) {
      /* at most 60 bytes, cut on a UTF-8 character boundary */
      size_t n = strlen(d->entry_title), k = n > 60 ? 60 : n;
      while (k < n && k > 0 &&
             ((unsigned char)d->entry_title[k] & 0xC0) == 0x80)
        k--;
      rc |= mtport_buf_puts(out, " \"");
      rc |= mtport_buf_append(out, d->entry_title, k);
      rc |= mtport_buf_puts(out, k < n ? "...\"" : "\"");
    }
    rc |= mtport_buf_puts(out, ": ");
  }
  rc |= mtport_buf_printf(out, "%s [%s]", d->message ? d->message : "",
                          d->code ? d->code : "diag");
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}

int mtport_diag_format_json(const mtport_diag *d, mtport_buf *out) {
  json_t *o = json_object();
  if (!o)
    return MTPORT_ENOMEM;
  json_object_set_new(o, "severity",
                      json_string(mtport_severity_name(d->severity)));
  json_object_set_new(o, "code", json_string(d->code ? d->code : "diag"));
  json_object_set_new(o, "message", json_string(d->message ? d->message : ""));
  if (d->file)
    json_object_set_new(o, "file", json_string(d->file));
  if (d->line)
    json_object_set_new(o, "line", json_integer((json_int_t)d->line));
  if (d->col)
    json_object_set_new(o, "col", json_integer((json_int_t)d->col));
  if (d->entry)
    json_object_set_new(o, "entry", json_integer((json_int_t)d->entry));
  if (d->entry_title)
    json_object_set_new(o, "title", json_string(d->entry_title));
  char *s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
  json_decref(o);
  if (!s)
    return MTPORT_ENOMEM;
  int rc = mtport_buf_puts(out, s);
  free(s);
  return rc;
}
