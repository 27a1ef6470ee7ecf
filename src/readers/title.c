/* Post titles as Movable Type showed them. MT stores a title as HTML and
 * its templates print it unescaped, so "Japan News &amp; Info" showed as
 * "Japan News & Info" and "<em>Why</em>" as an emphasised "Why". Every
 * reader decodes its titles here, once, so that every output and every
 * slug sees the same text and none decodes it again. */
#include "reader_int.h"
#include <libxml/HTMLparser.h>
#include <string.h>

#define S_LISTED 6 /* tag names named in the report */

static int S_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int S_alnum(char c) { return S_alpha(c) || (c >= '0' && c <= '9'); }

/* The tags of an HTML title, for the report: distinct start-tag names,
 * lower-cased, and whether one of them is no HTML element. */
typedef struct S_tags {
  char names[S_LISTED][16];
  size_t n, more;
  char unknown[16]; /* the first that is no HTML element, or "" */
} S_tags;

static void S_tag_seen(S_tags *t, const char *s, size_t n) {
  char name[16];
  size_t k = 0;
  if (n >= 3 && s[0] == '!' && s[1] == '-' && s[2] == '-')
    memcpy(name, "!--", 4), k = 3;
  else if (s[0] == '/' || s[0] == '!')
    return; /* end tags and declarations: the start tag is named */
  else {
    while (k < n && k + 1 < sizeof name && S_alnum(s[k]))
      name[k] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]), k++;
    name[k] = '\0';
    if (!t->unknown[0] && k && !htmlTagLookup((const xmlChar *)name))
      memcpy(t->unknown, name, k + 1);
  }
  name[k] = '\0';
  for (size_t i = 0; i < t->n; i++)
    if (strcmp(t->names[i], name) == 0)
      return;
  if (t->n < S_LISTED)
    memcpy(t->names[t->n++], name, k + 1);
  else
    t->more++;
}

int mtport_reader__set_title(mtport_reader *r, mtport_post *p, const char *s,
                             int html) {
  if (!s || (!strchr(s, '<') && !strchr(s, '&')))
    return s == p->title ? 0 : mtport_set_str(&p->title, s, (size_t)-1);
  /* A '<' is markup only where it opens a tag that ends: an HTML title's
   * "a <b" or "x < y" is text, and a text title (Atom type="text", whose
   * tags MT removed when it wrote the feed) has no markup at all. */
  mtport_buf src = MTPORT_BUF_INIT, out = MTPORT_BUF_INIT;
  S_tags tags;
  memset(&tags, 0, sizeof tags);
  int rc = MTPORT_OK;
  size_t from = 0, n = strlen(s);
  for (size_t i = 0; i < n && !rc; i++) {
    if (s[i] != '<')
      continue;
    const char *gt =
        html && i + 1 < n &&
                (S_alpha(s[i + 1]) || s[i + 1] == '/' || s[i + 1] == '!')
            ? memchr(s + i, '>', n - i)
            : NULL;
    if (gt) {
      S_tag_seen(&tags, s + i + 1, (size_t)(gt - s) - i - 1);
      i = (size_t)(gt - s);
      continue;
    }
    rc = mtport_buf_append(&src, s + from, i - from);
    if (!rc)
      rc = mtport_buf_puts(&src, "&lt;");
    from = i + 1;
  }
  if (!rc)
    rc = mtport_buf_append(&src, s + from, n - from);
  if (!rc)
    rc = mtport_html_to_text(&out, src.data ? src.data : "", src.len);
  if (!rc)
    rc = mtport_set_str(&p->title, out.data ? out.data : "", out.len);
  mtport_buf_dispose(&src);
  mtport_buf_dispose(&out);
  if (rc < 0 || !tags.n)
    return rc;
  char list[S_LISTED * 20 + 16];
  size_t at = 0;
  for (size_t i = 0; i < tags.n; i++)
    at += (size_t)snprintf(list + at, sizeof list - at, "%s<%s>", i ? ", " : "",
                           tags.names[i]);
  if (tags.more)
    snprintf(list + at, sizeof list - at, " and %zu more", tags.more);
  if (tags.unknown[0])
    mtport_reader__diag(r, MTPORT_SEV_WARNING, "title-markup", 0, 0, p,
                        "the title's markup is left out, its text kept: %s; "
                        "<%s> is no HTML element, but MT's pages hid it as "
                        "a tag, and so does the title here",
                        list, tags.unknown);
  else
    mtport_reader__diag(r, MTPORT_SEV_NOTE, "title-markup", 0, 0, p,
                        "the title's markup is left out, its text kept, as "
                        "MT's pages showed it: %s",
                        list);
  return rc;
}
