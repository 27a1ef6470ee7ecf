/* The site's category tree (mtport_site.categories): the one setter. Freed
 * by mtport_site_free() in model.c. */
#include "core.h"
#include <stdlib.h>
#include <string.h>

int mtport_site_add_category(mtport_site *s, const char *name, const char *slug,
                             const char *parent) {
  if (!s || !name)
    return 0;
  if (s->n_categories == s->cap_categories) {
    size_t cap = s->cap_categories ? s->cap_categories * 2 : 16;
    mtport_term *v = realloc(s->categories, cap * sizeof *v);
    if (!v)
      return MTPORT_ENOMEM;
    s->categories = v;
    s->cap_categories = cap;
  }
  mtport_term *t = &s->categories[s->n_categories];
  memset(t, 0, sizeof *t);
  int r1 = mtport_set_str(&t->name, name, (size_t)-1);
  int r2 = r1 < 0 ? 0 : mtport_set_str(&t->slug, slug, (size_t)-1);
  int r3 =
      r1 < 0 || r2 < 0 ? 0 : mtport_set_str(&t->parent, parent, (size_t)-1);
  if (r1 < 0 || r2 < 0 || r3 < 0) {
    free(t->name);
    free(t->slug);
    free(t->parent);
    return MTPORT_ENOMEM;
  }
  s->n_categories++;
  return r1 + r2 + r3;
}
