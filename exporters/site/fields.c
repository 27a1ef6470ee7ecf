/* The source's fields that have no key of their own in the shared front
 * matter: KEYWORDS as "keywords" (Hugo's own field; Jekyll and Eleventy get
 * the same list), Hatena's IMAGE as the generator's image key, and every
 * other field the model keeps unmapped (mtport_post.extra), the comment and
 * ping switches and a second author in one "mt_fields" map, so nothing the
 * source said is lost. */
#include "site_int.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* MT's KEYWORDS is free text, mostly "a, b, c": a list split at commas and
 * line breaks, each keyword trimmed, the empty ones dropped. A list, since
 * Hugo splits a string at spaces ("new york" would become two). */
static void S_keywords(site_yaml *y, const char *kw, mtport_buf *tmp) {
  int open = 0;
  for (const char *s = kw; *s;) {
    size_t n = strcspn(s, ",\n\r");
    const char *b = s, *e = s + n;
    while (b < e && strchr(" \t\f\v", *b))
      b++;
    while (e > b && strchr(" \t\f\v", e[-1]))
      e--;
    if (e > b) {
      if (!open) {
        mtport__yaml_plain(y, "keywords");
        mtport__yaml_seq(y, 1);
        open = 1;
      }
      mtport_buf_clear(tmp);
      if (mtport_buf_append(tmp, b, (size_t)(e - b)))
        y->failed = 1;
      mtport__yaml_str(y, tmp->data);
    }
    s += n;
    if (*s)
      s++;
  }
  if (open)
    mtport__yaml_seq(y, 0);
}

/* A key written plain when YAML reads it back as the same string. */
static void S_key(site_yaml *y, const char *k) {
  static const char *const words[] = {"y",   "n",    "yes",   "no",   "on",
                                      "off", "true", "false", "null", "~"};
  int plain = (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || *k == '_';
  for (const char *c = k; plain && *c; c++)
    plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
            (*c >= '0' && *c <= '9') || *c == '_' || *c == '-';
  for (size_t i = 0; plain && i < sizeof words / sizeof *words; i++)
    plain = strcasecmp(k, words[i]) != 0;
  if (plain)
    mtport__yaml_plain(y, k);
  else
    mtport__yaml_str(y, k);
}

/* A field and its position, sorted by key, then by position: a repeated
 * field keeps its order. */
typedef struct S_ref {
  const char *key, *value;
  size_t pos;
} S_ref;

static int S_by_key(const void *a, const void *b) {
  const S_ref *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* A field written under a key of its own. */
static int S_mapped(const site_gen *g, const char *key) {
  return g->key_image && strcmp(key, "IMAGE") == 0;
}

int mtport__site_fields(site_yaml *y, const site_gen *g, const mtport_post *p) {
  mtport_buf tmp = MTPORT_BUF_INIT;
  if (p->keywords && *p->keywords)
    S_keywords(y, p->keywords, &tmp);
  mtport_buf_dispose(&tmp);
  /* Hatena's IMAGE: the entry's eyecatch image */
  const char *image = mtport_post_extra(p, "IMAGE");
  if (image && *image && g->key_image) {
    mtport__yaml_plain(y, g->key_image);
    if (g->image_list)
      mtport__yaml_seq(y, 1);
    mtport__yaml_str(y, image);
    if (g->image_list)
      mtport__yaml_seq(y, 0);
  }
  /* mt_fields: the unmapped source fields, and what the model knows that
   * the shared front matter has no key for (the comment and ping switches,
   * as MT's text export writes them; the author's URL; every author when
   * there are more than the one "author" names). The author's email stays
   * out: the site is published. */
  size_t n = 0, cap = p->n_extra + 3 + (p->n_authors > 1 ? p->n_authors : 0);
  S_ref *ix = malloc(cap * sizeof *ix);
  if (!ix)
    return MTPORT_ENOMEM;
  for (size_t i = 0; i < p->n_extra; i++)
    if (p->extra[i].key && !S_mapped(g, p->extra[i].key))
      ix[n] = (S_ref){p->extra[i].key, p->extra[i].value, n}, n++;
  if (p->allow_comments != MTPORT_FLAG_UNKNOWN)
    ix[n] = (S_ref){"allow_comments",
                    p->allow_comments == MTPORT_FLAG_ON ? "1" : "0", n},
    n++;
  if (p->allow_pings != MTPORT_FLAG_UNKNOWN)
    ix[n] =
        (S_ref){"allow_pings", p->allow_pings == MTPORT_FLAG_ON ? "1" : "0", n},
    n++;
  if (p->n_authors && p->authors[0].url && *p->authors[0].url)
    ix[n] = (S_ref){"author_url", p->authors[0].url, n}, n++;
  for (size_t i = 0; p->n_authors > 1 && i < p->n_authors; i++)
    ix[n] = (S_ref){"authors", p->authors[i].name ? p->authors[i].name : "", n},
    n++;
  if (!n) {
    free(ix);
    return y->failed ? MTPORT_ENOMEM : MTPORT_OK;
  }
  /* a map in key order; a key the source repeats holds a list */
  qsort(ix, n, sizeof *ix, S_by_key);
  mtport__yaml_plain(y, "mt_fields");
  mtport__yaml_map(y, 1);
  for (size_t i = 0; i < n;) {
    const char *key = ix[i].key;
    size_t j = i + 1;
    while (j < n && strcmp(ix[j].key, key) == 0)
      j++;
    S_key(y, key);
    int list = j - i > 1 || strcmp(key, "authors") == 0;
    if (list)
      mtport__yaml_seq(y, 1);
    for (size_t k = i; k < j; k++)
      mtport__yaml_str(y, ix[k].value ? ix[k].value : "");
    if (list)
      mtport__yaml_seq(y, 0);
    i = j;
  }
  mtport__yaml_map(y, 0);
  free(ix);
  return y->failed ? MTPORT_ENOMEM : MTPORT_OK;
}
