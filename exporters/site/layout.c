/* Where things go: the generator's path patterns filled in for one post. */
#include "site_int.h"
#include <string.h>

int mtport__site_expand(site_state *st, const char *pattern,
                        const mtport_post *p, const char *slug, const char *key,
                        mtport_buf *out) {
  int rc = MTPORT_OK;
  for (const char *s = pattern; *s && !rc;) {
    const char *open = strchr(s, '{');
    const char *close = open ? strchr(open, '}') : NULL;
    if (!close) {
      rc = mtport_buf_puts(out, s);
      break;
    }
    rc = mtport_buf_append(out, s, (size_t)(open - s));
    size_t n = (size_t)(close - open - 1);
    const char *name = open + 1;
    if (rc)
      break;
    if (n == 4 && memcmp(name, "slug", 4) == 0)
      rc = mtport_buf_puts(out, slug ? slug : "");
    else if (n == 7 && memcmp(name, "section", 7) == 0)
      rc = mtport_buf_puts(out, st->section);
    else if (n == 3 && memcmp(name, "key", 3) == 0)
      rc = mtport_buf_puts(out, key ? key : slug);
    else if (n == 4 && memcmp(name, "date", 4) == 0) {
      const mtport_time *t =
          p->published.has_date ? &p->published : &p->updated;
      mtport_tm tm;
      mtport_time_local(t, &tm); /* the day in the entry's own offset */
      rc = mtport_buf_printf(out, "%04d-%02d-%02d", tm.year, tm.month, tm.day);
    } else /* a description's typo shows in the tests' paths */
      rc = mtport_buf_append(out, open, n + 2);
    s = close + 1;
  }
  return rc;
}

int mtport__site_post_path(site_state *st, const mtport_post *p,
                           const char *slug, mtport_buf *path) {
  const site_gen *g = st->gen;
  const char *pattern;
  if (p->kind == MTPORT_KIND_PAGE)
    pattern =
        st->bundle && g->page_bundle_path ? g->page_bundle_path : g->page_path;
  else if (g->drafts == SITE_DRAFT_FOLDER &&
           (mtport__site_is_draft(p) ||
            (!p->published.has_date && !p->updated.has_date)))
    pattern = g->draft_path; /* a dated path needs a date */
  else
    pattern =
        st->bundle && g->post_bundle_path ? g->post_bundle_path : g->post_path;
  return mtport__site_expand(st, pattern, p, slug, NULL, path);
}
