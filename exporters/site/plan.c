/* Slug and URL planning. The prepass records the slug each post wants;
 * prepass_done() gives the slugs out in date order (undated last, then
 * input order), so the oldest post keeps the plain slug and later ones
 * get -2, -3; entry() then takes the planned slug of each post in input
 * order. Memory: about 17 bytes per post while planning, then a suffix
 * number and the taken set's 8-byte slots; the slugs wait in spools. */
#include "site_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_REC (1 + SITE_SLUG_MAX) /* a wanted slug: length, then bytes */
#define S_HAS_DATE 1
#define S_PAGE 2

static int S_empty(const char *s) { return !s || !*s; }

/* ---- URLs -----------------------------------------------------------------
 */

static int S_hex(unsigned char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

int mtport__site_put_url_path(mtport_buf *out, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  int rc = MTPORT_OK;
  for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
    unsigned char c = *p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || strchr("-._~/", c) ||
        (c == '%' && S_hex(p[1]) >= 0 && S_hex(p[2]) >= 0))
      rc = mtport_buf_putc(out, (char)c);
    else {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      rc = mtport_buf_append(out, e, 3);
    }
  }
  return rc;
}

/* The file name a server looks up for the URL path: @s as is when
 * decoding gives invalid UTF-8, controls, or characters that would change
 * the path ('/', '\\', '?', '#'). */
int mtport__site_put_decoded_path(mtport_buf *out, const char *s) {
  mtport_buf d = MTPORT_BUF_INIT;
  int ok = 1, rc = MTPORT_OK;
  for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
    if (*p == '%' && S_hex(p[1]) >= 0 && S_hex(p[2]) >= 0) {
      unsigned char c = (unsigned char)(S_hex(p[1]) * 16 + S_hex(p[2]));
      ok &= c >= 0x20 && c != 0x7f && !strchr("/\\?#", c);
      rc = mtport_buf_putc(&d, (char)c);
      p += 2;
    } else
      rc = mtport_buf_putc(&d, (char)*p);
  }
  if (!rc && ok && d.data && mtport_utf8_valid(d.data, d.len))
    rc = mtport_buf_append(out, d.data, d.len);
  else if (!rc)
    rc = mtport_buf_puts(out, s);
  mtport_buf_dispose(&d);
  return rc;
}

/* Absolute URLs through mtport_url_path(); a site-relative
 * "/archives/x.html" (some feeds write those) as it is. */
char *mtport__site_path_of(const char *url) {
  char *path = mtport_url_path(url);
  if (path || url[0] != '/' || url[1] == '/')
    return path;
  size_t n = strcspn(url, "?#");
  path = malloc(n + 1);
  if (path) {
    memcpy(path, url, n);
    path[n] = '\0';
  }
  return path;
}

int mtport__site_new_url(site_state *st, const mtport_post *p, const char *slug,
                         mtport_buf *out) {
  const site_gen *g = st->gen;
  mtport_buf rel = MTPORT_BUF_INIT;
  int rc = mtport_buf_puts(out, st->base_path);
  if (!rc)
    rc = mtport__site_expand(
        st, p->kind == MTPORT_KIND_PAGE ? g->page_url : g->post_url, p, slug,
        NULL, &rel);
  if (!rc) /* Jekyll's :title keeps the slug as is */
    rc = mtport__site_put_url_path(out, rel.data ? rel.data : "");
  mtport_buf_dispose(&rel);
  return rc;
}

/* ---- what a post wants ----------------------------------------------------
 */

/* The file name stem of an MT archive URL ("/2009/12/my_entry.html" gives
 * "my_entry", "/about/index.html" gives "about"): MT writes the basename
 * there, and Atom feeds carry no other trace of it. NULL for numeric names
 * ("000123"), folders and fragments. */
static char *S_permalink_stem(const char *url) {
  if (S_empty(url) || strchr(url, '#') || strchr(url, '?'))
    return NULL;
  char *path = mtport__site_path_of(url);
  if (!path)
    return NULL;
  char *stem = NULL;
  const char *last = strrchr(path, '/');
  last = last ? last + 1 : path;
  const char *dot = strrchr(last, '.');
  static const char *const exts[] = {".html", ".htm", ".php", ".shtml",
                                     ".asp",  ".jsp", NULL};
  int known = 0;
  for (size_t i = 0; dot && exts[i]; i++)
    known |= strcmp(dot, exts[i]) == 0;
  const char *end = dot;
  if (known && strncmp(last, "index.", 6) == 0) {
    if (last <= path + 1) { /* the site's own home page */
      free(path);
      return NULL;
    }
    /* "/about/index.html": MT pages live in a folder named after them */
    end = last - 1;
    last = end;
    while (last > path && last[-1] != '/')
      last--;
  }
  if (known && end > last &&
      strspn(last, "0123456789_") < (size_t)(end - last)) {
    stem = malloc((size_t)(end - last) + 1);
    if (stem) {
      memcpy(stem, last, (size_t)(end - last));
      stem[end - last] = '\0';
    }
  }
  free(path);
  return stem;
}

/* The slug a post asks for: its basename (or the one its MT permalink
 * shows), else its title, else its id. */
static char *S_want(site_state *st, const mtport_post *p) {
  unsigned fl = st->keep_underscores ? MTPORT_SLUG_KEEP_UNDERSCORES : 0;
  if (!S_empty(p->basename))
    return mtport_slugify(p->basename, fl, SITE_SLUG_MAX);
  char *stem = S_permalink_stem(p->permalink);
  if (stem) {
    mtport_buf d = MTPORT_BUF_INIT; /* "%E6%97%A5" is a CJK basename */
    char *s = mtport__site_put_decoded_path(&d, stem)
                  ? NULL
                  : mtport_slugify(d.data, fl, SITE_SLUG_MAX);
    mtport_buf_dispose(&d);
    free(stem);
    return s;
  }
  mtport_buf t = MTPORT_BUF_INIT;
  if (mtport__site_plain(&t, p->title)) {
    mtport_buf_dispose(&t);
    return NULL;
  }
  char *s;
  if (t.len == 0 && p->entry_id > 0) {
    char id[40];
    snprintf(id, sizeof id, "entry-%lld", p->entry_id);
    s = strdup(id);
  } else
    s = mtport_slugify(t.data, 0, SITE_SLUG_MAX);
  mtport_buf_dispose(&t);
  return s;
}

/* Names a page at the site root must not take: they hold the site's own
 * lists and files. */
static int S_reserved(const site_state *st, const char *s) {
  static const char *const names[] = {
      "index",      "404",      "posts", "page",   "tags",
      "categories", "search",   "feed",  "assets", "sitemap",
      "robots",     "archives", "css",   "js",     NULL};
  if (strcmp(s, st->section) == 0)
    return 1;
  for (size_t i = 0; names[i]; i++)
    if (strcmp(s, names[i]) == 0)
      return 1;
  return 0;
}

/* Puts @want, or @want-@k, in @b. */
static int S_suffixed(mtport_buf *b, const char *want, unsigned long k) {
  mtport_buf_clear(b);
  return k <= 1 ? mtport_buf_puts(b, want)
                : mtport_buf_printf(b, "%s-%lu", want, k);
}

/* Takes @want, or @want-2, @want-3... whichever is free first: *k gets
 * the number (1 for @want itself), @b the slug. A slug wanted again (by a
 * page, or not) resumes where the last search for it stopped: every
 * suffix below that is taken, and taken slugs stay taken. */
static int S_assign(site_state *st, const char *want, int page, mtport_buf *b,
                    unsigned long *k) {
  site_plan *pl = &st->plan;
  mtport_buf key = MTPORT_BUF_INIT;
  size_t at = 0;
  int rc = mtport_buf_puts(&key, want);
  if (!rc) /* pages skip reserved names that posts may take */
    rc = mtport_buf_putc(&key, page ? 'p' : '-');
  int crowded =
      rc ? rc : mtport_strset_find(pl->crowded, key.data, key.len, &at);
  *k = crowded == 1 ? pl->crowded_next[at] : 1;
  for (; crowded >= 0; ++*k) {
    rc = S_suffixed(b, want, *k);
    int has = rc ? rc : mtport_strset_find(pl->taken, b->data, b->len, NULL);
    if (has < 0) {
      rc = has;
      break;
    }
    if (!has && !(page && S_reserved(st, b->data)))
      break;
  }
  if (crowded < 0)
    rc = crowded;
  if (!rc && (rc = mtport_strset_add(pl->taken, b->data, b->len, NULL)) > 0)
    rc = MTPORT_OK;
  if (!rc && *k > 1) { /* remember where this slug's search goes on */
    rc = mtport_strset_add(pl->crowded, key.data, key.len, &at);
    if (rc >= 0 && at >= pl->crowded_cap) {
      size_t nc = pl->crowded_cap ? pl->crowded_cap * 2 : 64;
      uint32_t *nn = realloc(pl->crowded_next, nc * sizeof *nn);
      rc = nn ? MTPORT_OK : MTPORT_ENOMEM;
      if (nn) {
        pl->crowded_next = nn;
        pl->crowded_cap = nc;
      }
    }
    if (rc >= 0) {
      pl->crowded_next[at] =
          *k + 1 > 0xFFFFFFFFul ? 0xFFFFFFFFu : (uint32_t)(*k + 1);
      rc = MTPORT_OK;
    }
  }
  mtport_buf_dispose(&key);
  return rc;
}

/* ---- the plan -------------------------------------------------------------
 */

int mtport__plan_init(site_plan *pl) {
  memset(pl, 0, sizeof *pl);
  if (mtport_spool_new(&pl->wants, "site") ||
      mtport_strset_new(&pl->taken, MTPORT_STRSET_SPOOL) ||
      mtport_strset_new(&pl->crowded, 0))
    return MTPORT_ENOMEM;
  return MTPORT_OK;
}

void mtport__plan_free(site_plan *pl) {
  mtport_spool_free(pl->wants);
  free(pl->epoch);
  free(pl->flags);
  free(pl->suffix);
  mtport_strset_free(pl->taken);
  mtport_strset_free(pl->crowded);
  free(pl->crowded_next);
  memset(pl, 0, sizeof *pl);
}

int mtport__plan_add(site_state *st, const mtport_post *p) {
  site_plan *pl = &st->plan;
  if (pl->n == pl->cap) {
    size_t ncap = pl->cap ? pl->cap + pl->cap / 2 : 1024;
    if (ncap >= 0xFFFFFFFFu)
      return MTPORT_ENOMEM; /* posts are numbered in 32 bits */
    int64_t *e = realloc(pl->epoch, ncap * sizeof *e);
    if (!e)
      return MTPORT_ENOMEM;
    pl->epoch = e;
    unsigned char *f = realloc(pl->flags, ncap);
    if (!f)
      return MTPORT_ENOMEM;
    pl->flags = f;
    pl->cap = ncap;
  }
  char *want = S_want(st, p);
  if (!want)
    return MTPORT_ENOMEM;
  unsigned char rec[S_REC];
  size_t n = strlen(want);
  if (n > SITE_SLUG_MAX) /* cannot happen: S_want() caps it */
    n = SITE_SLUG_MAX;
  memset(rec, 0, sizeof rec);
  rec[0] = (unsigned char)n;
  memcpy(rec + 1, want, n);
  free(want);
  int rc = mtport_spool_append(pl->wants, rec, sizeof rec, NULL);
  mtport__site_spool_report(st, p, rc);
  if (rc)
    return rc;
  const mtport_time *d = p->published.has_date ? &p->published : &p->updated;
  pl->epoch[pl->n] = d->has_date ? d->epoch : 0;
  pl->flags[pl->n] =
      (unsigned char)((d->has_date ? S_HAS_DATE : 0) |
                      (p->kind == MTPORT_KIND_PAGE ? S_PAGE : 0));
  pl->n++;
  return MTPORT_OK;
}

/* Date order; posts without a date after the dated ones; then input order
 * (post numbers @a, @b). */
static int S_before(const site_plan *pl, uint32_t a, uint32_t b) {
  int da = pl->flags[a] & S_HAS_DATE, db = pl->flags[b] & S_HAS_DATE;
  if (da != db)
    return da;
  if (da && pl->epoch[a] != pl->epoch[b])
    return pl->epoch[a] < pl->epoch[b];
  return a < b;
}

/* Heap sort of post numbers (qsort() has no context argument, and an array
 * of keys would cost more than the 4 bytes a post). */
static void S_sift(const site_plan *pl, uint32_t *v, size_t i, size_t n) {
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n)
      return;
    if (c + 1 < n && S_before(pl, v[c], v[c + 1]))
      c++;
    if (!S_before(pl, v[i], v[c]))
      return;
    uint32_t t = v[i];
    v[i] = v[c];
    v[c] = t;
    i = c;
  }
}

static void S_sort_posts(const site_plan *pl, uint32_t *v, size_t n) {
  for (size_t i = n / 2; i-- > 0;)
    S_sift(pl, v, i, n);
  for (size_t end = n; end > 1; end--) {
    uint32_t t = v[0];
    v[0] = v[end - 1];
    v[end - 1] = t;
    S_sift(pl, v, 0, end - 1);
  }
}

/* The wanted slug of post @i, from the spool, into @want (S_REC bytes). */
static int S_read_want(site_plan *pl, size_t i, char *want) {
  unsigned char rec[S_REC];
  int rc = mtport_spool_read(pl->wants, (uint64_t)i * S_REC, rec, sizeof rec);
  if (rc)
    return rc;
  memcpy(want, rec + 1, rec[0]);
  want[rec[0]] = '\0';
  return MTPORT_OK;
}

int mtport__plan_done(site_state *st) {
  site_plan *pl = &st->plan;
  size_t n = pl->n;
  uint32_t *order = malloc((n ? n : 1) * sizeof *order);
  if (!order)
    return MTPORT_ENOMEM;
  for (size_t i = 0; i < n; i++)
    order[i] = (uint32_t)i;
  S_sort_posts(pl, order, n);
  free(pl->epoch); /* sorted: the dates are not needed any more */
  pl->epoch = NULL;
  int rc = MTPORT_OK;
  if (!(pl->suffix = calloc(n ? n : 1, sizeof *pl->suffix)))
    rc = MTPORT_ENOMEM;
  /* full size at once: growing a spooled set reads every string back */
  if (!rc)
    rc = mtport_strset_reserve(pl->taken, n);
  if (!rc)
    rc = mtport__redirects_reserve(st);
  mtport_buf b = MTPORT_BUF_INIT;
  char want[S_REC];
  for (size_t i = 0; i < n && !rc; i++) {
    unsigned long k = 1;
    rc = S_read_want(pl, order[i], want);
    if (!rc)
      rc = S_assign(st, want, pl->flags[order[i]] & S_PAGE, &b, &k);
    if (!rc)
      pl->suffix[order[i]] = k > 0xFFFFFFFFul ? 0 : (uint32_t)k;
  }
  mtport_buf_dispose(&b);
  free(order);
  free(pl->flags);
  pl->flags = NULL;
  pl->planned = 1;
  mtport__site_spool_report(st, NULL, rc);
  return rc;
}

int mtport__plan_slug_at(site_state *st, size_t i, mtport_buf *out) {
  site_plan *pl = &st->plan;
  mtport_buf_clear(out);
  if (!pl->planned || i >= pl->n)
    return MTPORT_EINVALID;
  char want[S_REC];
  int rc = S_read_want(pl, i, want);
  return rc ? rc : S_suffixed(out, want, pl->suffix ? pl->suffix[i] : 1);
}

char *mtport__plan_slug(site_state *st, const mtport_post *p) {
  site_plan *pl = &st->plan;
  char *want = S_want(st, p);
  if (!want)
    return NULL;
  size_t i = pl->next++;
  mtport_buf b = MTPORT_BUF_INIT;
  int rc = MTPORT_OK;
  if (pl->planned && i < pl->n && pl->suffix && pl->suffix[i]) {
    char planned[S_REC];
    rc = S_read_want(pl, i, planned);
    if (!rc && strcmp(planned, want) == 0) {
      rc = S_suffixed(&b, want, pl->suffix[i]);
      free(want);
      if (rc) {
        mtport_buf_dispose(&b);
        return NULL;
      }
      return mtport_buf_detach(&b);
    }
  }
  if (pl->planned && !rc)
    mtport__site_diag(
        st, p, MTPORT_SEV_WARNING, "slug-order",
        "the input changed between passes: slug assigned in input order");
  unsigned long k;
  if (!rc)
    rc = S_assign(st, want, p->kind == MTPORT_KIND_PAGE, &b, &k);
  free(want);
  if (rc) {
    mtport_buf_dispose(&b);
    return NULL;
  }
  return mtport_buf_detach(&b);
}
