/* libFuzzer target for the reference scanner and rewriter
 * (src/assets/refs.c). The input is an HTML body. Every other reference
 * is replaced by a URL made to be awkward (quotes, '&', '<', spaces,
 * commas, a backslash, a control character, bytes that are not UTF-8).
 * Asserts: no crash; the output of valid UTF-8 is valid UTF-8; scanning
 * the output finds the same references (tag, attribute, order), the kept
 * ones with their URL and the replaced ones with the replacement as it
 * was escaped; rewriting is deterministic. */
#include <mtport/mtport.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  mtport_buf list; /* "tag attr url\n" per reference */
  int pass;        /* 1: scanning the output */
} S_state;

static const char S_repl[] = "/n\"e'w&x<y>z, a\\b\x01"
                             "c\xff.jpg";

/* The replacement as a scan of the output reads it back: invalid UTF-8
 * repaired, then what the rewriter percent-encodes. */
static void S_expected(mtport_buf *out, unsigned flags) {
  mtport_buf fixed = MTPORT_BUF_INIT;
  mtport_utf8_sanitize(&fixed, S_repl, sizeof S_repl - 1);
  for (size_t i = 0; i < fixed.len; i++) {
    unsigned char c = (unsigned char)fixed.data[i];
    int enc =
        c < 0x20 || c == 0x7F ||
        (c == ' ' && (flags & (MTPORT_REF_SRCSET | MTPORT_REF_SCRIPT))) ||
        (c == ',' && (flags & MTPORT_REF_SRCSET)) ||
        ((c == '\'' || c == '"' || c == '\\') && (flags & MTPORT_REF_SCRIPT));
    if (enc)
      mtport_buf_printf(out, "%%%02X", c);
    else
      mtport_buf_putc(out, (char)c);
  }
  mtport_buf_dispose(&fixed);
}

static int S_collect(const mtport_html_ref *r, void *p) {
  S_state *s = p;
  mtport_buf_printf(&s->list, "%s %s ", r->tag, r->attr);
  mtport_buf_append(&s->list, r->url, r->url_len);
  mtport_buf_putc(&s->list, '\n');
  return 0;
}

static int S_rewrite(const mtport_html_ref *r, mtport_buf *url, void *p) {
  S_state *s = p;
  mtport_buf_printf(&s->list, "%s %s ", r->tag, r->attr);
  if (r->index % 2 == 0) {
    mtport_buf_append(&s->list, r->url, r->url_len);
    mtport_buf_putc(&s->list, '\n');
    return 0;
  }
  S_expected(&s->list, r->flags);
  mtport_buf_putc(&s->list, '\n');
  mtport_buf_append(url, S_repl, sizeof S_repl - 1);
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > (1u << 20))
    return 0;
  const char *h = (const char *)data;
  S_state want = {MTPORT_BUF_INIT, 0}, got = {MTPORT_BUF_INIT, 1};
  mtport_buf out = MTPORT_BUF_INIT, out2 = MTPORT_BUF_INIT;
  if (mtport_html_rewrite(&out, h, size, S_rewrite, &want) != MTPORT_OK)
    abort();
  if (mtport_utf8_valid(h, size) &&
      !mtport_utf8_valid(out.data ? out.data : "", out.len)) {
    fprintf(stderr, "fuzz_assetrefs: output is not UTF-8\n");
    abort();
  }
  if (mtport_html_refs(out.data ? out.data : "", out.len, S_collect, &got) !=
      MTPORT_OK)
    abort();
  const char *a = want.list.data ? want.list.data : "";
  const char *b = got.list.data ? got.list.data : "";
  if (strcmp(a, b) != 0) {
    fprintf(stderr,
            "fuzz_assetrefs: the rewritten body reads differently\n"
            "input: %.*s\noutput: %s\nwanted:\n%s\nread back:\n%s\n",
            (int)(size > 2000 ? 2000 : size), h, out.data ? out.data : "", a,
            b);
    abort();
  }
  mtport_buf_clear(&want.list);
  if (mtport_html_rewrite(&out2, h, size, S_rewrite, &want) != MTPORT_OK ||
      out2.len != out.len || (out.len && memcmp(out.data, out2.data, out.len)))
    abort();
  mtport_buf_dispose(&want.list);
  mtport_buf_dispose(&got.list);
  mtport_buf_dispose(&out);
  mtport_buf_dispose(&out2);
  return 0;
}
