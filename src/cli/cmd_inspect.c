/* mtport inspect: what an export holds, without writing anything. */
#include "cli.h"
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const cli_opt S_opts[] = {
    {"--json", NULL, NULL, "print a JSON array, one object per input"},
    CLI_INPUT_OPTS,
    {"--help", "-h", NULL, "show this help"},
    {NULL, NULL, NULL, NULL}};

/* A counted set of names (mtport_strset, with a count per index); memory
 * grows with distinct names only. */
typedef struct S_set {
  mtport_strset *names;
  unsigned long *counts;
  size_t n, cap;
} S_set;

static int S_set_add(S_set *s, const char *key) {
  if (!key || !*key)
    return 0;
  size_t at;
  if (!s->names && mtport_strset_new(&s->names, 0) != MTPORT_OK)
    return -1;
  if (mtport_strset_add(s->names, key, strlen(key), &at) < 0)
    return -1;
  if (at >= s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    unsigned long *c = realloc(s->counts, cap * sizeof *c);
    if (!c)
      return -1;
    memset(c + s->cap, 0, (cap - s->cap) * sizeof *c);
    s->counts = c;
    s->cap = cap;
  }
  s->counts[at]++;
  s->n = mtport_strset_count(s->names);
  return 0;
}

static const char *S_key(const S_set *s, size_t i) {
  return mtport_strset_key(s->names, i, NULL);
}

static void S_set_free(S_set *s) {
  mtport_strset_free(s->names);
  free(s->counts);
}

/* Names of a set ordered by count (desc) then name: deterministic output. */
static const S_set *S_sort_set;
static int S_cmp(const void *a, const void *b) {
  size_t i = *(const size_t *)a, j = *(const size_t *)b;
  const S_set *s = S_sort_set;
  if (s->counts[i] != s->counts[j])
    return s->counts[i] < s->counts[j] ? 1 : -1;
  return strcmp(S_key(s, i), S_key(s, j));
}

static size_t *S_sorted(const S_set *s) {
  size_t *idx = malloc((s->n + 1) * sizeof *idx);
  if (!idx)
    return NULL;
  for (size_t i = 0; i < s->n; i++)
    idx[i] = i;
  S_sort_set = s;
  qsort(idx, s->n, sizeof *idx, S_cmp);
  return idx;
}

/* ---- files and links ------------------------------------------------------
 *
 * The asset layer (assets.h) collects every file a post refers to; links
 * are counted by their mtport_url_key(): to a post of the same input (its
 * permalink's key), or to another page on the blog's own hosts. */
typedef struct S_refs {
  mtport_assets *as;
  mtport_asset_hosts *hosts;
  mtport_strset *permalinks; /* keys */
  S_set links;               /* keys of links on own hosts, counted */
  const char *base;
  mtport_buf key, abs;
} S_refs;

static int S_link_ref(const mtport_html_ref *r, void *payload) {
  S_refs *c = payload;
  if (!(r->flags & MTPORT_REF_LINK) || (r->flags & MTPORT_REF_SCRIPT))
    return 0;
  if (mtport_url_key(&c->key, r->url, c->base, NULL) != MTPORT_OK)
    return 0;
  mtport_buf_clear(&c->abs);
  if (mtport_buf_printf(&c->abs, "http://%s", c->key.data) < 0)
    return MTPORT_ENOMEM;
  if (mtport_asset_hosts_class(c->hosts, c->abs.data) != MTPORT_HOST_OWN ||
      mtport_asset_kind_of_url(c->abs.data) != MTPORT_ASSET_NONE)
    return 0; /* another host's, or a file (counted with the files) */
  return S_set_add(&c->links, c->key.data) ? MTPORT_ENOMEM : 0;
}

static void S_refs_text(S_refs *c, const mtport_post *p, const char *field,
                        const mtport_text *t) {
  if (!t->text || !*t->text || t->format == MTPORT_TEXT_PLAIN)
    return;
  size_t n = strlen(t->text);
  const char *base = t->base && *t->base ? t->base : p->permalink;
  mtport_assets_collect(c->as, p, field, t->text, n, base);
  c->base = base;
  mtport_html_refs(t->text, n, S_link_ref, c);
}

static void S_refs_post(S_refs *c, const mtport_post *p) {
  if (p->permalink &&
      mtport_url_key(&c->key, p->permalink, NULL, NULL) == MTPORT_OK)
    mtport_strset_add(c->permalinks, c->key.data, c->key.len, NULL);
  S_refs_text(c, p, "body", &p->body);
  S_refs_text(c, p, "extended body", &p->more);
  S_refs_text(c, p, "excerpt", &p->excerpt);
  for (size_t i = 0; i < p->n_comments; i++)
    S_refs_text(c, p, "comment", &p->comments[i].body);
}

/* After the last post: links to posts of the input, and to other pages. */
static void S_refs_links(S_refs *c, unsigned long *to_posts,
                         unsigned long *other) {
  *to_posts = *other = 0;
  for (size_t i = 0; i < c->links.n; i++) {
    size_t kn;
    const char *k = mtport_strset_key(c->links.names, i, &kn);
    if (mtport_strset_find(c->permalinks, k, kn, NULL) == 1)
      *to_posts += c->links.counts[i];
    else
      *other += c->links.counts[i];
  }
}

static void S_refs_free(S_refs *c) {
  mtport_assets_free(c->as);
  mtport_asset_hosts_free(c->hosts);
  mtport_strset_free(c->permalinks);
  S_set_free(&c->links);
  mtport_buf_dispose(&c->key);
  mtport_buf_dispose(&c->abs);
}

typedef struct S_inspect {
  mtport_reader_options ro;
  cli_report rep;
  int json, help;
} S_inspect;

static int S_handle(const cli_opt *o, const char *val, void *ud) {
  S_inspect *in = ud;
  if (cli_input_opt(o, val, &in->ro, &in->rep))
    return 0;
  if (strcmp(o->name, "--json") == 0)
    in->json = 1;
  else if (strcmp(o->name, "--help") == 0)
    in->help = 1;
  return 0;
}

/* Inspects one input; adds a JSON object to @arr or prints text. */
static int S_one(S_inspect *in, const char *path, json_t *arr) {
  unsigned long warn_before = in->rep.counts[MTPORT_SEV_WARNING];
  mtport_reader *r = NULL;
  S_refs refs;
  memset(&refs, 0, sizeof refs);
  mtport_assets_options ao = MTPORT_ASSETS_OPTIONS_INIT;
  ao.site_url = in->ro.site_url;
  ao.diag = in->ro.diag;
  ao.diag_payload = in->ro.diag_payload;
  int archive = mtport_archive_path_sniff(path);
  if (archive)
    ao.archive = path;
  int rc = mtport_assets_new(&refs.as, &ao);
  if (!rc)
    rc = mtport_asset_hosts_new(&refs.hosts);
  if (!rc)
    rc = mtport_strset_new(&refs.permalinks, MTPORT_STRSET_SPOOL);
  if (!rc && archive && (rc = mtport_assets_scan_archive(refs.as)) == 0)
    rc = mtport_assets_open_reader(refs.as, &in->ro, &r);
  else if (!rc)
    rc = mtport_reader_open(&r, path, &in->ro);
  if (rc != MTPORT_OK) {
    S_refs_free(&refs);
    return rc;
  }
  const mtport_site *site = mtport_reader_site(r);
  int site_known = 0;
  S_set authors = {0}, tags = {0}, cats = {0}, statuses = {0};
  unsigned long pages = 0, comments = 0, pings = 0;
  mtport_time first = {0, 0, 0, 0}, last = {0, 0, 0, 0};
  const mtport_post *p;
  int k;
  while ((k = mtport_reader_next(r, &p)) == 1) {
    /* the blog's own hosts, once the input names its URL */
    const char *su = site->home_url ? site->home_url : in->ro.site_url;
    if (!site_known && su && *su) {
      mtport_assets_set_site_url(refs.as, su);
      mtport_asset_hosts_add(refs.hosts, su);
      site_known = 1;
    }
    S_refs_post(&refs, p);
    pages += p->kind == MTPORT_KIND_PAGE;
    for (size_t i = 0; i < p->n_authors; i++)
      S_set_add(&authors,
                p->authors[i].name ? p->authors[i].name : p->authors[i].email);
    for (size_t i = 0; i < p->n_tags; i++)
      S_set_add(&tags, p->tags[i].name);
    for (size_t i = 0; i < p->n_categories; i++)
      S_set_add(&cats, p->categories[i].name);
    S_set_add(&statuses, mtport_status_name(p->status));
    for (size_t i = 0; i < p->n_comments; i++) {
      if (p->comments[i].kind == MTPORT_COMMENT)
        comments++;
      else
        pings++;
    }
    if (p->published.has_date) {
      if (!first.has_date || mtport_time_cmp(&p->published, &first) < 0)
        first = p->published;
      if (!last.has_date || mtport_time_cmp(&p->published, &last) > 0)
        last = p->published;
    }
  }
  unsigned long n = mtport_reader_count(r);
  mtport_assets_totals tot;
  mtport_assets_counts(refs.as, &tot);
  unsigned long to_posts, other_links;
  S_refs_links(&refs, &to_posts, &other_links);
  char d1[40], d2[40];
  mtport_time_format_rfc3339(&first, d1, sizeof d1, 1);
  mtport_time_format_rfc3339(&last, d2, sizeof d2, 1);
  unsigned long warnings = in->rep.counts[MTPORT_SEV_WARNING] - warn_before;
  size_t *ai = S_sorted(&authors), *si = S_sorted(&statuses);
  if (arr) {
    json_t *o = json_object();
    json_object_set_new(o, "file", json_string(path));
    json_object_set_new(o, "format", json_string(mtport_reader_format(r)));
    json_object_set_new(o, "title",
                        site->title ? json_string(site->title) : json_null());
    json_object_set_new(
        o, "url", site->home_url ? json_string(site->home_url) : json_null());
    json_object_set_new(o, "entries", json_integer((json_int_t)n));
    json_object_set_new(o, "pages", json_integer((json_int_t)pages));
    json_t *st = json_object();
    for (size_t i = 0; si && i < statuses.n; i++)
      json_object_set_new(st, S_key(&statuses, si[i]),
                          json_integer((json_int_t)statuses.counts[si[i]]));
    json_object_set_new(o, "statuses", st);
    json_object_set_new(o, "first",
                        first.has_date ? json_string(d1) : json_null());
    json_object_set_new(o, "last",
                        last.has_date ? json_string(d2) : json_null());
    json_t *au = json_array();
    for (size_t i = 0; ai && i < authors.n; i++) {
      json_t *x = json_object();
      json_object_set_new(x, "name", json_string(S_key(&authors, ai[i])));
      json_object_set_new(x, "entries",
                          json_integer((json_int_t)authors.counts[ai[i]]));
      json_array_append_new(au, x);
    }
    json_object_set_new(o, "authors", au);
    json_object_set_new(o, "tags", json_integer((json_int_t)tags.n));
    json_object_set_new(o, "categories", json_integer((json_int_t)cats.n));
    json_object_set_new(o, "comments", json_integer((json_int_t)comments));
    json_object_set_new(o, "pings", json_integer((json_int_t)pings));
    json_object_set_new(o, "files", json_integer((json_int_t)tot.referenced));
    json_object_set_new(o, "links_to_posts",
                        json_integer((json_int_t)to_posts));
    json_object_set_new(o, "links_to_other_pages",
                        json_integer((json_int_t)other_links));
    json_object_set_new(o, "warnings", json_integer((json_int_t)warnings));
    json_object_set_new(o, "complete", json_boolean(k == 0));
    json_array_append_new(arr, o);
  } else {
    printf("%s\n  format:     %s\n  title:      %s\n  url:        %s\n", path,
           mtport_reader_format(r), site->title ? site->title : "(none)",
           site->home_url ? site->home_url : "(none)");
    printf("  entries:    %lu", n);
    for (size_t i = 0; si && i < statuses.n; i++)
      printf("%s%s %lu", i ? ", " : " (", S_key(&statuses, si[i]),
             statuses.counts[si[i]]);
    printf("%s\n  pages:      %lu\n", statuses.n ? ")" : "", pages);
    printf("  dates:      %s .. %s\n", first.has_date ? d1 : "(none)",
           last.has_date ? d2 : "(none)");
    printf("  authors:    %zu", authors.n);
    for (size_t i = 0; ai && i < authors.n && i < 10; i++)
      printf("%s%s (%lu)", i ? ", " : ": ", S_key(&authors, ai[i]),
             authors.counts[ai[i]]);
    printf("%s\n", authors.n > 10 ? ", ..." : "");
    printf("  tags:       %zu distinct\n  categories: %zu distinct\n", tags.n,
           cats.n);
    printf("  comments:   %lu\n  pings:      %lu\n", comments, pings);
    printf("  files:      %zu referenced (images and files the posts use)\n",
           tot.referenced);
    printf("  links:      %lu to posts of this input, %lu to other pages of "
           "the blog\n",
           to_posts, other_links);
    printf("  warnings:   %lu\n", warnings);
  }
  free(ai);
  free(si);
  S_set_free(&authors);
  S_set_free(&tags);
  S_set_free(&cats);
  S_set_free(&statuses);
  mtport_reader_free(r);
  S_refs_free(&refs);
  return k < 0 ? k : MTPORT_OK;
}

int cli_cmd_inspect(int argc, char **argv) {
  S_inspect in;
  memset(&in, 0, sizeof in);
  mtport_reader_options ro = MTPORT_READER_OPTIONS_INIT;
  in.ro = ro;
  in.ro.diag = cli_diag_sink;
  in.ro.diag_payload = &in.rep;
  const char **inputs = NULL;
  size_t n = 0;
  int code = cli_parse(argc, argv, S_opts, S_handle, &in, &inputs, &n);
  if (code == 0 && in.help) {
    printf(
        "usage: mtport inspect [--json] [OPTIONS] INPUT...\n\n"
        "Reads each INPUT and prints its blog title, entry count, date range,\n"
        "authors, tag and category counts, the images and files its posts\n"
        "use, its links to its own posts and to other pages of the blog, and\n"
        "warnings. An MT backup archive (.tar.gz, .zip or a folder) is read\n"
        "as it is. Writes nothing.\n\n"
        "options:\n");
    cli_print_opts(stdout, S_opts);
  } else if (code == 0 && n == 0) {
    fprintf(stderr, "mtport inspect: no INPUT given (see --help)\n");
    code = MTPORT_EXIT_USAGE;
  } else if (code == 0) {
    json_t *arr = in.json ? json_array() : NULL;
    int worst = MTPORT_OK;
    for (size_t i = 0; i < n; i++) {
      int rc = S_one(&in, inputs[i], arr);
      if (rc < 0 && worst == MTPORT_OK)
        worst = rc;
    }
    if (arr) {
      json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
      putchar('\n');
      json_decref(arr);
    }
    code = cli_exit_code(worst, &in.rep);
  }
  free(inputs);
  return code;
}
