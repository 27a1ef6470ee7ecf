/* Private to exporters/site/: a run's state, which every concern of the
 * core reads, and the functions the concerns offer one another. */
#ifndef MTPORT_SITE_INT_H
#define MTPORT_SITE_INT_H

#include "site.h"
#include <stdint.h>

/* The slug plan (plan.c): what the prepass keeps per post, in input order.
 * The wanted slug goes to a spool of fixed-size records, the rest to flat
 * arrays, about 17 bytes per post in all. */
typedef struct site_plan {
  mtport_spool *wants;  /* SITE_REC bytes per post */
  int64_t *epoch;       /* date, while planning */
  unsigned char *flags; /* has a date, is a page: while planning */
  uint32_t *suffix;     /* 0 or 1: the wanted slug; k: "want-k" */
  size_t n, cap, next;
  int planned;
  mtport_strset *taken; /* every slug given (spooled) */
  /* slugs wanted more than once (in memory; few): the suffix to try
   * next, so a thousand posts wanting one slug probe each suffix once */
  mtport_strset *crowded;
  uint32_t *crowded_next;
  size_t crowded_cap;
} site_plan;

typedef struct site_state {
  const site_gen *gen;
  site_io io;
  /* options */
  int bundle, keep_underscores, scaffold, no_comments, keep_private;
  char *section;         /* content section ({section}) */
  const char *redirects; /* path of the redirects file, or NULL */
  int redirects_format;  /* 0 netlify, 1 nginx, 2 apache */
  /* site */
  char *site_title, *language, *base_url; /* base_url ends with '/' or NULL */
  char *base_path;                        /* "/" or "/blog/" */
  site_plan plan;
  /* old URLs */
  size_t n_old_urls;         /* posts with a permalink (prepass) */
  FILE *redirect_file;       /* streamed, or NULL: */
  mtport_buf redirect_lines; /* whole, for write_path() at the end */
  mtport_strset *redirected; /* old paths already redirected (spooled) */
  mtport_strset *aliased;    /* aliases already given to a post (spooled) */
  unsigned long n_unserved;
  /* the run's asset layer (files.c), or NULL */
  mtport_assets *assets;
  int (*assets_dir)(void *payload, const char *dir);
  void *assets_payload;
  char *old_site, *old_path; /* the old blog's URL and its path */
  mtport_spool *links;       /* old permalinks, length-prefixed */
  uint64_t *link_off;        /* each post's in links, or UINT64_MAX */
  unsigned char *post_flags; /* page, draft */
  mtport_strset *terms;      /* "c:name", "t:name" of published posts */
  size_t n_files_posts, cap_files_posts;
  unsigned long n_private_comments;
  int spool_reported; /* a spool's failure was reported */
} site_state;

/* Reports a diagnostic through the io (cut to 1 KB on a character
 * boundary). @p may be NULL. */
void mtport__site_diag(site_state *st, const mtport_post *p,
                       mtport_severity sev, const char *code, const char *fmt,
                       ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* After a call failed with @rc: when a spool failed, says so, once. */
void mtport__site_spool_report(site_state *st, const mtport_post *p, int rc);
/* Writes @b to @rel below the site root. */
int mtport__site_write(site_state *st, const char *rel, const mtport_buf *b);

/* A post that is not published (it goes where the generator keeps drafts). */
int mtport__site_is_draft(const mtport_post *p);
/* A title (HTML, as MT stores it) as plain text into @out (cleared). */
int mtport__site_plain(mtport_buf *out, const char *s);

/* ---- URLs (plan.c) ---- */

/* Appends @s percent-encoding what is not safe in a URL path; existing
 * %XX escapes are kept. */
int mtport__site_put_url_path(mtport_buf *out, const char *s);
/* Appends the percent-decoded @s when that is a safe file name, else @s. */
int mtport__site_put_decoded_path(mtport_buf *out, const char *s);
/* The path of an old URL (absolute, or site-relative "/x"), without query
 * or fragment; NULL otherwise. Caller frees. */
char *mtport__site_path_of(const char *url);
/* The URL path the new site serves @slug at (with the base path). */
int mtport__site_new_url(site_state *st, const mtport_post *p, const char *slug,
                         mtport_buf *out);

/* ---- slugs (plan.c) ---- */

int mtport__plan_init(site_plan *pl);
void mtport__plan_free(site_plan *pl);
int mtport__plan_add(site_state *st, const mtport_post *p);
int mtport__plan_done(site_state *st);
/* The slug planned for the next post (caller frees), or NULL. */
char *mtport__plan_slug(site_state *st, const mtport_post *p);

/* ---- paths (layout.c) ---- */

/* Appends @pattern with {section}, {slug}, {date} and {key} expanded. */
int mtport__site_expand(site_state *st, const char *pattern,
                        const mtport_post *p, const char *slug, const char *key,
                        mtport_buf *out);
/* The file a post goes to, below the site root. */
int mtport__site_post_path(site_state *st, const mtport_post *p,
                           const char *slug, mtport_buf *path);

/* ---- front matter (frontmatter.c) ---- */

int mtport__site_front_matter(site_state *st, const mtport_post *p,
                              const char *slug, const char *alias,
                              const char *comments_key, mtport_buf *out);

/* ---- comments (comments.c) ---- */

/* The comments data file of @p into @b, from the post alone (prepare()
 * makes it on a worker thread). */
int mtport__site_comments_doc(const site_gen *gen, int keep_private,
                              const mtport_post *p, mtport_buf *b,
                              size_t *shown, size_t *hidden);
/* The data key of the post's comments. */
int mtport__site_comments_key(site_state *st, const char *slug,
                              mtport_buf *key);
/* Writes the comments data file (@doc when prepare() made it);
 * *written says whether one was. */
int mtport__site_comments(site_state *st, const mtport_post *p, const char *key,
                          int *written, const mtport_buf *doc, size_t shown,
                          size_t hidden);

/* ---- old URLs (redirects.c) ---- */

int mtport__redirects_begin(site_state *st);
int mtport__redirects_reserve(site_state *st);
/* Works out the post's old URL: *alias gets the site-relative path when
 * the generator can serve it (the caller frees it); the redirects file
 * gets a line; what cannot be kept is reported. */
int mtport__site_old_url(site_state *st, const mtport_post *p, const char *slug,
                         char **alias);
/* Writes the redirect page of a post's old URL (redirect_page_path). */
int mtport__site_redirect_page(site_state *st, const mtport_post *p,
                               const char *slug, const char *alias);
int mtport__redirects_end(site_state *st, int status);
void mtport__redirects_free(site_state *st);

/* ---- files and links (files.c) ---- */

/* Keeps what the asset layer will need of @p (its old permalink). */
int mtport__site_files_prepass(site_state *st, const mtport_post *p);
/* After the plan: where files go and how they are reached, and every
 * published post's new URL under its old permalink. */
int mtport__site_files_done(site_state *st);
/* The slug planned for post @i (0-based across the inputs). */
int mtport__plan_slug_at(site_state *st, size_t i, mtport_buf *out);

/* ---- scaffold (scaffold.c) ---- */

/* One file of exporters/scaffold/<gen>/<path>, embedded at build time
 * (cmake/embed.cmake); the table ends with a NULL gen. */
typedef struct site_file {
  const char *gen, *path, *data;
  size_t len;
} site_file;
extern const site_file mtport__scaffold_files[];

/* Writes the generator's scaffold: its config and its files. */
int mtport__site_scaffold(site_state *st);

#endif
