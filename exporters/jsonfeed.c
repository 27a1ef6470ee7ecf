/* JSON Feed 1.1 (https://jsonfeed.org/version/1.1), streamed: the head is
 * written in begin(), each item as it arrives, the closing brackets in end().
 * Values are serialized by jansson, never by hand.
 *
 * What JSON Feed has no field for goes into the item's "_mtport" object (the
 * spec's extension mechanism: readers ignore keys starting with '_'), each
 * key only when the post has a value:
 *   "kind": "page"            an MT page (absent for entries)
 *   "status": "draft", ...    not published (with --include-drafts)
 *   "entry_id": 42            the MT entry id
 *   "basename": "my_post"     the MT basename
 *   "keywords": "a, b"        MT's KEYWORDS
 *   "categories": ["A", "B"]  the categories, primary first ("tags" holds
 *                             tags and categories together)
 *   "allow_comments": bool, "allow_pings": bool
 *   "fields": {"key": "value", "repeated": ["a", "b"]}
 *                             source fields the model has no place for
 *                             (Hatena's IMAGE is the item's "image")
 * The body and the extended body are one content_html, joined by WordPress's
 * "<!--more-->" marker. */
#include "mtport/mtport.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct S_feed {
  FILE *out;
  unsigned long items;
  unsigned long comments; /* comments and pings JSON Feed cannot hold */
  int include_drafts;
  char *home_url; /* owned: the site is borrowed for begin() alone */
  mtport_buf tmp;
  mtport_clean_report junk; /* removed from content_html, for the run */
  unsigned long junk_items;
  /* the asset layer's files (see S_files_*), when it is on */
  mtport_assets *assets;
  char *files_url;       /* absolute URL of the files folder, ending '/' */
  mtport_strset *stored; /* stored paths, with their type and size: */
  char **mime;
  uint64_t *bytes;
  int files_loaded;
} S_feed;

/* ---- files (the asset layer) ---------------------------------------------
 *
 * The files a post uses sit in the folder beside the feed
 * (<stem>-files/), which is served at --base-url followed by its name: the
 * posts refer to them there, and each item lists them as attachments, its
 * first image as its image. */

static int S_files_prepass_done(mtport_ctx *ctx, void *state) {
  S_feed *f = state;
  f->assets = mtport_ctx_assets(ctx);
  const char *dir = mtport_ctx_assets_dir(ctx);
  if (!f->assets || !dir)
    return MTPORT_OK;
  int rc = (f->files_url = mtport_ctx_assets_url(ctx, f->home_url))
               ? MTPORT_OK
               : MTPORT_ENOMEM;
  mtport_assets_output o = {f->files_url, NULL, NULL, NULL,
                            NULL,         NULL, NULL, 1};
  if (!rc)
    rc = mtport_assets_set_output(f->assets, &o);
  /* items keep their old permalinks as their URLs */
  return rc ? rc : mtport_ctx_assets_keep_permalinks(ctx);
}

static int S_file_seen(void *payload, const mtport_assets_file *fl) {
  S_feed *f = payload;
  size_t at;
  int rc = mtport_strset_add(f->stored, fl->stored, strlen(fl->stored), &at);
  if (rc <= 0)
    return rc;
  char **m = realloc(f->mime, (at + 1) * sizeof *m);
  if (m)
    f->mime = m;
  uint64_t *b = m ? realloc(f->bytes, (at + 1) * sizeof *b) : NULL;
  if (!b)
    return MTPORT_ENOMEM;
  f->bytes = b;
  f->mime[at] = fl->mime ? strdup(fl->mime) : NULL;
  f->bytes[at] = fl->bytes;
  return MTPORT_OK;
}

typedef struct {
  S_feed *f;
  json_t *attachments;
  char *image;
  mtport_strset *seen;
  int rc;
} S_item_files;

static int S_item_ref(const mtport_html_ref *r, void *payload) {
  S_item_files *c = payload;
  S_feed *f = c->f;
  size_t pn = strlen(f->files_url);
  if (strncmp(r->url, f->files_url, pn) != 0)
    return 0;
  if (!c->image && !strcmp(r->tag, "img") && !strcmp(r->attr, "src"))
    c->image = strdup(r->url);
  if (mtport_strset_add(c->seen, r->url, r->url_len, NULL) != 1)
    return 0;
  /* the stored path, percent-decoded as the layer wrote it */
  mtport_buf path = MTPORT_BUF_INIT;
  for (const char *s = r->url + pn; *s; s++) {
    if (*s == '%' && s[1] && s[2]) {
      char hex[3] = {s[1], s[2], 0};
      mtport_buf_putc(&path, (char)strtol(hex, NULL, 16));
      s += 2;
    } else
      mtport_buf_putc(&path, *s);
  }
  size_t at;
  int k =
      path.data ? mtport_strset_find(f->stored, path.data, path.len, &at) : 0;
  mtport_buf_dispose(&path);
  json_t *a = json_object();
  json_object_set_new(a, "url", json_string(r->url));
  json_object_set_new(a, "mime_type",
                      json_string(k == 1 && f->mime[at]
                                      ? f->mime[at]
                                      : "application/octet-stream"));
  if (k == 1)
    json_object_set_new(a, "size_in_bytes",
                        json_integer((json_int_t)f->bytes[at]));
  json_array_append_new(c->attachments, a);
  return 0;
}

/* The item's attachments and image: the stored files its HTML uses. */
static int S_files_item(S_feed *f, json_t *it, const char *html) {
  if (!f->files_url || !html)
    return MTPORT_OK;
  if (!f->files_loaded) {
    f->files_loaded = 1;
    int rc = mtport_strset_new(&f->stored, 0);
    if (!rc)
      rc = mtport_assets_each_file(f->assets, S_file_seen, f);
    if (rc)
      return rc;
  }
  S_item_files c = {f, json_array(), NULL, NULL, 0};
  int rc = mtport_strset_new(&c.seen, 0);
  if (!rc)
    rc = mtport_html_refs(html, strlen(html), S_item_ref, &c);
  if (!rc && c.image)
    json_object_set_new(it, "image", json_string(c.image));
  if (!rc && json_array_size(c.attachments))
    json_object_set_new(it, "attachments", json_incref(c.attachments));
  json_decref(c.attachments);
  mtport_strset_free(c.seen);
  free(c.image);
  return rc;
}

static void S_files_free(S_feed *f) {
  size_t n = f->stored ? mtport_strset_count(f->stored) : 0;
  for (size_t i = 0; i < n; i++)
    free(f->mime[i]);
  free(f->mime);
  free(f->bytes);
  mtport_strset_free(f->stored);
  free(f->files_url);
}

/* Sets key to a string value when s is non-empty. */
static void S_set(json_t *o, const char *key, const char *s) {
  if (s && *s)
    json_object_set_new(o, key, json_string(s));
}

static char *S_plain(const char *html) {
  mtport_buf b = MTPORT_BUF_INIT;
  if (!html)
    return NULL;
  if (mtport_html_to_text(&b, html, strlen(html)) != MTPORT_OK) {
    mtport_buf_dispose(&b);
    return NULL;
  }
  return mtport_buf_detach(&b);
}

/* A text as HTML, appended to @out: the texts the Markdown converter reads
 * as HTML lose what the Markdown outputs leave out too (scripts, styles,
 * tracking junk); Markdown and Textile are rendered or kept as they are. */
static int S_html(mtport_buf *out, const mtport_text *t, const char *base,
                  mtport_clean_report *junk) {
  if (t->format != MTPORT_TEXT_HTML && t->format != MTPORT_TEXT_CONVERT_BREAKS)
    return mtport_text_to_html(out, t, base);
  mtport_buf h = MTPORT_BUF_INIT;
  int rc = mtport_text_to_html(&h, t, base);
  if (rc == MTPORT_OK && h.len)
    rc = mtport_html_clean(out, h.data, h.len, junk);
  mtport_buf_dispose(&h);
  return rc;
}

/* What JSON Feed has no field for (see the top of this file). */
static json_t *S_extension(const mtport_post *p) {
  json_t *x = json_object();
  if (p->kind == MTPORT_KIND_PAGE)
    json_object_set_new(x, "kind", json_string("page"));
  if (p->status != MTPORT_STATUS_PUBLISH && p->status != MTPORT_STATUS_UNKNOWN)
    json_object_set_new(x, "status",
                        json_string(mtport_status_name(p->status)));
  if (p->entry_id > 0)
    json_object_set_new(x, "entry_id", json_integer(p->entry_id));
  S_set(x, "basename", p->basename);
  S_set(x, "keywords", p->keywords);
  if (p->n_categories) {
    json_t *cats = json_array();
    for (size_t i = 0; i < p->n_categories; i++)
      if (p->categories[i].name && *p->categories[i].name)
        json_array_append_new(cats, json_string(p->categories[i].name));
    if (json_array_size(cats))
      json_object_set_new(x, "categories", cats);
    else
      json_decref(cats);
  }
  if (p->allow_comments != MTPORT_FLAG_UNKNOWN)
    json_object_set_new(x, "allow_comments",
                        json_boolean(p->allow_comments == MTPORT_FLAG_ON));
  if (p->allow_pings != MTPORT_FLAG_UNKNOWN)
    json_object_set_new(x, "allow_pings",
                        json_boolean(p->allow_pings == MTPORT_FLAG_ON));
  /* a map, as mt_fields in the sites: a key the source repeats holds a
   * list of its values */
  json_t *fields = json_object();
  const char *image = mtport_post_extra(p, "IMAGE");
  for (size_t i = 0; i < p->n_extra; i++) {
    const char *k = p->extra[i].key;
    if (!k || (image && *image && p->extra[i].value == image))
      continue; /* the item's "image" */
    json_t *v = json_string(p->extra[i].value ? p->extra[i].value : "");
    json_t *had = json_object_get(fields, k);
    if (!had)
      json_object_set_new(fields, k, v);
    else if (json_is_array(had))
      json_array_append_new(had, v);
    else {
      json_t *list = json_pack("[O]", had);
      json_array_append_new(list, v);
      json_object_set_new(fields, k, list);
    }
  }
  if (json_object_size(fields))
    json_object_set_new(x, "fields", fields);
  else
    json_decref(fields);
  return x;
}

static void S_set_date(json_t *o, const char *key, const mtport_time *t) {
  char buf[40];
  if (mtport_time_format_rfc3339(t, buf, sizeof buf, 1))
    json_object_set_new(o, key, json_string(buf));
}

/* json_dump_callback's sink: appends to the buffer @p data, the common
 * case inline (jansson calls it for every run of a string between
 * escapes); json_dumps would copy the result once more. */
static int S_dump_append(const char *s, size_t n, void *data) {
  mtport_buf *b = data;
  if (b->data && b->len + n + 1 <= b->cap) {
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
  }
  return mtport_buf_append(b, s, n) == MTPORT_OK ? 0 : -1;
}

/* Writes @p n bytes of @p s indented by @p indent (at most 8) spaces after
 * every newline, a line at a time (JSON strings hold no raw newline: each
 * one is layout). */
static int S_put_indented(FILE *f, const char *s, size_t n, size_t indent) {
  static const char spaces[] = "        ";
  indent = indent > 8 ? 8 : indent;
  const char *nl;
  while ((nl = memchr(s, '\n', n)) != NULL) {
    size_t m = (size_t)(nl - s) + 1;
    if (fwrite(s, 1, m, f) != m ||
        (indent && fwrite(spaces, 1, indent, f) != indent))
      return MTPORT_EIO;
    s += m;
    n -= m;
  }
  return n && fwrite(s, 1, n, f) != n ? MTPORT_EIO : MTPORT_OK;
}

/* A string value: the word-at-a-time UTF-8 check spares jansson's slower
 * one on long texts (text it would refuse still goes to json_string). */
static json_t *S_json_text(const char *s) {
  size_t n = strlen(s);
  return mtport_utf8_valid(s, n) ? json_stringn_nocheck(s, n) : json_string(s);
}

static int S_begin(mtport_ctx *ctx, const mtport_site *site, void **state) {
  S_feed *f = calloc(1, sizeof *f);
  if (!f)
    return MTPORT_ENOMEM;
  *state = f;
  f->out = mtport_ctx_stream(ctx);
  f->include_drafts = mtport_ctx_flag(ctx, "include-drafts");
  const char *home = mtport_ctx_option(ctx, "base-url");
  if (!home || !*home)
    home = site->home_url;
  if (home && !(f->home_url = strdup(home))) {
    free(f); /* a failed begin() gets no end() */
    *state = NULL;
    return MTPORT_ENOMEM;
  }
  const char *title = mtport_ctx_option(ctx, "title");
  char *plain = S_plain(title && *title ? title : site->title);
  json_t *o = json_object();
  json_object_set_new(o, "version",
                      json_string("https://jsonfeed.org/version/1.1"));
  json_object_set_new(o, "title", json_string(plain ? plain : ""));
  free(plain);
  S_set(o, "home_page_url", f->home_url);
  S_set(o, "feed_url", site->feed_url);
  char *desc = S_plain(site->description);
  S_set(o, "description", desc);
  free(desc);
  S_set(o, "language", site->language);
  json_object_set_new(
      o, "user_comment",
      json_string("An archive of a Movable Type blog, converted by mtport."));
  char *head = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(o);
  if (!head)
    return MTPORT_ENOMEM;
  /* drop the closing "\n}" so items can follow */
  size_t n = strlen(head);
  while (n && head[n - 1] != '}')
    n--;
  if (n)
    n--;
  while (n && (head[n - 1] == '\n' || head[n - 1] == ' '))
    n--;
  int bad = fwrite(head, 1, n, f->out) != n ||
            fputs(",\n  \"items\": [", f->out) == EOF;
  free(head);
  return bad ? MTPORT_EIO : MTPORT_OK;
}

static int S_entry(mtport_ctx *ctx, void *state, const mtport_post *p) {
  S_feed *f = state;
  if (p->status != MTPORT_STATUS_PUBLISH &&
      p->status != MTPORT_STATUS_UNKNOWN && !f->include_drafts) {
    mtport_ctx_diag(ctx, p, MTPORT_SEV_WARNING, "not-published",
                    "%s entry left out of the public feed "
                    "(--include-drafts keeps it)",
                    mtport_status_name(p->status));
    return MTPORT_SKIPPED;
  }
  f->comments += p->n_comments;
  json_t *it = json_object();
  /* the id feed readers key on: the source's id verbatim */
  mtport_buf_clear(&f->tmp);
  if (p->source_id && *p->source_id)
    mtport_buf_puts(&f->tmp, p->source_id);
  else if (p->permalink && *p->permalink)
    mtport_buf_puts(&f->tmp, p->permalink);
  else if (p->entry_id)
    mtport_buf_printf(&f->tmp, "urn:mtport:entry:%lld", p->entry_id);
  else
    mtport_buf_printf(&f->tmp, "urn:mtport:%s:%lu",
                      p->basename ? p->basename : "entry", p->ordinal);
  json_object_set_new(it, "id", json_string(f->tmp.data));
  S_set(it, "url", p->permalink);
  char *title = p->title ? strdup(p->title) : NULL; /* text already */
  S_set(it, "title", title);
  free(title);

  const char *base = p->body.base ? p->body.base : f->home_url;
  mtport_buf html = MTPORT_BUF_INIT;
  mtport_clean_report junk;
  memset(&junk, 0, sizeof junk);
  int rc = S_html(&html, &p->body, base, &junk);
  if (rc == MTPORT_OK && p->more.text && *p->more.text) {
    rc = mtport_buf_puts(&html, "\n<!--more-->\n");
    if (rc == MTPORT_OK)
      rc = S_html(&html, &p->more, p->more.base ? p->more.base : base, &junk);
  }
  if (rc != MTPORT_OK) {
    mtport_buf_dispose(&html);
    json_decref(it);
    return rc;
  }
  if (junk.scripts || junk.styles || junk.heads || junk.trackers) {
    mtport_buf_clear(&f->tmp);
    if (mtport_clean_report_format(&junk, &f->tmp) == MTPORT_OK)
      mtport_ctx_diag(ctx, p, MTPORT_SEV_NOTE, "junk-removed",
                      "removed from content_html what the Markdown outputs "
                      "leave out too: %s",
                      f->tmp.data ? f->tmp.data : "");
    f->junk.scripts += junk.scripts;
    f->junk.styles += junk.styles;
    f->junk.heads += junk.heads;
    f->junk.trackers += junk.trackers;
    f->junk_items++;
  }
  if (!mtport_text_filter_supported(&p->body))
    mtport_ctx_diag(ctx, p, MTPORT_SEV_WARNING, "unknown-filter",
                    "body uses the '%s' text filter, which mtport cannot "
                    "render; it is kept as raw text",
                    p->body.filter ? p->body.filter : "unknown");
  json_object_set_new(it, "content_html",
                      S_json_text(html.data ? html.data : ""));
  rc = S_files_item(f, it, html.data);
  mtport_buf_dispose(&html);
  if (rc != MTPORT_OK) {
    json_decref(it);
    return rc;
  }

  if (p->excerpt.text && *p->excerpt.text) {
    char *sum = p->excerpt.format == MTPORT_TEXT_PLAIN
                    ? strdup(p->excerpt.text)
                    : S_plain(p->excerpt.text);
    S_set(it, "summary", sum);
    free(sum);
  }
  S_set(it, "image", mtport_post_extra(p, "IMAGE")); /* Hatena's eyecatch */
  S_set_date(it, "date_published", &p->published);
  if (p->updated.has_date)
    S_set_date(it, "date_modified", &p->updated);
  if (p->n_authors) {
    json_t *as = json_array();
    for (size_t i = 0; i < p->n_authors; i++) {
      const mtport_person *a = &p->authors[i];
      if (!(a->name && *a->name) && !(a->url && *a->url))
        continue; /* JSON Feed needs a name or a URL */
      json_t *ao = json_object();
      S_set(ao, "name", a->name);
      S_set(ao, "url", a->url);
      json_array_append_new(as, ao);
    }
    if (json_array_size(as))
      json_object_set_new(it, "authors", as);
    else
      json_decref(as);
  }
  if (p->n_tags || p->n_categories) {
    json_t *tags = json_array();
    /* a set of the names when there are many: linear for 100,000 tags */
    mtport_strset *seen = NULL;
    if (p->n_tags + p->n_categories > 16 &&
        mtport_strset_new(&seen, 0) != MTPORT_OK)
      seen = NULL;
    for (size_t pass = 0; pass < 2; pass++) {
      const mtport_term *t = pass ? p->categories : p->tags;
      size_t n = pass ? p->n_categories : p->n_tags;
      for (size_t i = 0; i < n; i++) {
        int dup = 0;
        if (seen)
          dup =
              mtport_strset_add(seen, t[i].name, strlen(t[i].name), NULL) == 0;
        for (size_t j = 0; !seen && j < json_array_size(tags) && !dup; j++)
          dup = strcmp(json_string_value(json_array_get(tags, j)), t[i].name) ==
                0;
        if (!dup)
          json_array_append_new(tags, json_string(t[i].name));
      }
    }
    mtport_strset_free(seen);
    json_object_set_new(it, "tags", tags);
  }
  json_t *ext = S_extension(p);
  if (json_object_size(ext))
    json_object_set_new(it, "_mtport", ext);
  else
    json_decref(ext);
  mtport_buf_clear(&f->tmp);
  rc = json_dump_callback(it, S_dump_append, &f->tmp,
                          JSON_INDENT(2) | JSON_PRESERVE_ORDER)
           ? MTPORT_ENOMEM
           : MTPORT_OK;
  json_decref(it);
  if (rc != MTPORT_OK)
    return rc;
  rc = fputs(f->items ? ",\n    " : "\n    ", f->out) == EOF
           ? MTPORT_EIO
           : S_put_indented(f->out, f->tmp.data, f->tmp.len, 4);
  if (rc != MTPORT_OK)
    return rc;
  f->items++;
  return MTPORT_OK;
}

static int S_end(mtport_ctx *ctx, void *state, int status) {
  S_feed *f = state;
  int rc = MTPORT_OK;
  if (status == MTPORT_OK) {
    if (fputs(f->items ? "\n  ]\n}\n" : "]\n}\n", f->out) == EOF)
      rc = MTPORT_EIO;
    if (f->comments)
      mtport_ctx_diag(ctx, NULL, MTPORT_SEV_NOTE, "comments-not-exported",
                      "%lu comment(s) and ping(s) not written: JSON Feed has "
                      "no place for them (use --to wxr, hugo or jekyll)",
                      f->comments);
    if (f->junk_items) {
      mtport_buf_clear(&f->tmp);
      if (mtport_clean_report_format(&f->junk, &f->tmp) == MTPORT_OK)
        mtport_ctx_diag(ctx, NULL, MTPORT_SEV_NOTE, "junk-removed",
                        "removed from the content_html of %lu item%s what "
                        "the Markdown outputs leave out too: %s",
                        f->junk_items, f->junk_items == 1 ? "" : "s",
                        f->tmp.data ? f->tmp.data : "");
    }
  }
  mtport_buf_dispose(&f->tmp);
  S_files_free(f);
  free(f->home_url);
  free(f);
  return rc;
}

const mtport_exporter mtport_exporter_jsonfeed = {
    .version = MTPORT_EXPORTER_VERSION,
    .name = "jsonfeed",
    .description =
        "JSON Feed 1.1: one file, items with the source ids (FILE or -)",
    .output = MTPORT_OUTPUT_STREAM,
    .begin = S_begin,
    .prepass_done = S_files_prepass_done, /* with the asset layer only */
    .entry = S_entry,
    .end = S_end,
};
