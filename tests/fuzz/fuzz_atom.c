/* Fuzz target: the Atom importer, strict and --recover (first byte picks),
 * with every post's text run through the helpers exporters use. */
#include <mtport/mtport.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  mtport_reader_options o = MTPORT_READER_OPTIONS_INIT;
  o.format = "atom";
  if (data[0] & 1)
    o.flags |= MTPORT_READ_RECOVER;
  mtport_reader *r;
  if (mtport_reader_open_mem(&r, (const char *)data + 1, size - 1, "fuzz",
                             &o) != MTPORT_OK)
    return 0;
  const mtport_post *p;
  mtport_buf b = MTPORT_BUF_INIT;
  while (mtport_reader_next(r, &p) == 1) {
    /* the model promises valid UTF-8 everywhere */
    const char *fields[] = {p->title, p->source_id, p->permalink, p->body.text,
                            p->excerpt.text};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
      if (fields[i] && !mtport_utf8_valid(fields[i], strlen(fields[i])))
        abort();
    if (p->title)
      mtport_html_to_text(&b, p->title, strlen(p->title));
    if (p->body.text)
      mtport_html_absolutize(&b, p->body.text, strlen(p->body.text),
                             "http://example.com/a/");
    mtport_buf_clear(&b);
  }
  mtport_buf_dispose(&b);
  mtport_reader_free(r);
  return 0;
}
