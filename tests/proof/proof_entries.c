/* Prints one JSON line per entry of an input, for the consumer proof
 * (tests/proof/proof.py): where the entry starts in its file, its ordinal,
 * title, ids, old URL, date and text filters. The exporters do not write
 * the source line anywhere, so the proof takes it from the reader here.
 *
 * proof_entries [--site-url URL] [--recover] INPUT */
#include <mtport/mtport.h>
#include <stdio.h>
#include <string.h>

static void S_str(const char *key, const char *s) {
  printf(",\"%s\":", key);
  if (!s) {
    fputs("null", stdout);
    return;
  }
  putchar('"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      printf("\\%c", *p);
    else if (*p < 0x20)
      printf("\\u%04x", *p);
    else
      putchar(*p);
  }
  putchar('"');
}

static const char *S_format(mtport_text_format f) {
  switch (f) {
  case MTPORT_TEXT_NONE:
    return "none";
  case MTPORT_TEXT_HTML:
    return "html";
  case MTPORT_TEXT_PLAIN:
    return "plain";
  case MTPORT_TEXT_CONVERT_BREAKS:
    return "convert_breaks";
  case MTPORT_TEXT_MARKDOWN:
    return "markdown";
  case MTPORT_TEXT_TEXTILE:
    return "textile";
  default:
    return "unknown";
  }
}

int main(int argc, char **argv) {
  mtport_reader_options ro = MTPORT_READER_OPTIONS_INIT;
  const char *input = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--site-url") == 0 && i + 1 < argc)
      ro.site_url = argv[++i];
    else if (strcmp(argv[i], "--recover") == 0)
      ro.flags |= MTPORT_READ_RECOVER;
    else
      input = argv[i];
  }
  if (!input) {
    fprintf(stderr, "usage: proof_entries [--site-url URL] [--recover] "
                    "INPUT\n");
    return 2;
  }
  mtport_reader *r = NULL;
  if (mtport_reader_open(&r, input, &ro) != MTPORT_OK) {
    fprintf(stderr, "proof_entries: cannot read %s\n", input);
    return 3;
  }
  const mtport_post *p;
  int rc;
  while ((rc = mtport_reader_next(r, &p)) == 1) {
    char date[40] = "";
    mtport_time_format_rfc3339(&p->published, date, sizeof date, 1);
    printf("{\"ordinal\":%lu,\"line\":%lu,\"entry_id\":%lld", p->ordinal,
           p->origin.line, p->entry_id);
    S_str("kind", p->kind == MTPORT_KIND_PAGE ? "page" : "post");
    S_str("status", mtport_status_name(p->status));
    S_str("source_id", p->source_id);
    S_str("title", p->title);
    S_str("permalink", p->permalink);
    S_str("basename", p->basename);
    S_str("date", *date ? date : NULL);
    S_str("body_base", p->body.base);
    /* JSON Feed's content_html is the body's HTML, "\n", the extended
     * body's, relative URLs resolved against the body's base, else the
     * blog's home (jsonfeed.c): the length of the first part. The sites
     * resolve them against the entry's own URL instead: when that differs,
     * the HTML resolved that way too. */
    const mtport_site *site = mtport_reader_site(r);
    const char *home = site && site->home_url ? site->home_url : NULL;
    const char *jbase = p->body.base ? p->body.base : home;
    const char *sbase = p->body.base ? p->body.base : p->permalink;
    mtport_buf h = MTPORT_BUF_INIT;
    long blen = -1;
    if (mtport_text_to_html(&h, &p->body, jbase) == MTPORT_OK)
      blen = (long)h.len;
    mtport_buf_clear(&h);
    int other = sbase && (!jbase || strcmp(jbase, sbase) != 0);
    long slen = -1;
    if (other && mtport_text_to_html(&h, &p->body, sbase) == MTPORT_OK &&
        (slen = (long)h.len) >= 0 &&
        (!p->more.text || !*p->more.text ||
         (mtport_buf_puts(&h, "\n") == MTPORT_OK &&
          mtport_text_to_html(&h, &p->more,
                              p->more.base ? p->more.base : sbase) ==
              MTPORT_OK))) {
      S_str("site_html", h.data ? h.data : "");
      printf(",\"site_body_bytes\":%ld", slen);
    }
    mtport_buf_dispose(&h);
    printf(",\"body_html_bytes\":%ld", blen);
    S_str("body_format", S_format(p->body.format));
    S_str("body_filter", p->body.filter);
    S_str("more_format", S_format(p->more.format));
    S_str("more_filter", p->more.filter);
    fputs("}\n", stdout);
  }
  mtport_reader_free(r);
  return rc < 0 ? 3 : 0;
}
