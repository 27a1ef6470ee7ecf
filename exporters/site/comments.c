/* Comments as data files: one per post with comments, read by the
 * scaffold's post layout. Pending and junk comments, and commenters' email
 * and IP, stay out unless keep-private. */
#include "site_int.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *S_kind(mtport_comment_kind k) {
  return k == MTPORT_TRACKBACK  ? "trackback"
         : k == MTPORT_PINGBACK ? "pingback"
                                : "comment";
}

/* One data writer over libyaml (a block sequence of mappings) or jansson
 * (an array of objects): the same keys in the same order. */
typedef struct S_doc {
  site_data format;
  site_yaml y;
  json_t *arr, *obj;
} S_doc;

static void S_item(S_doc *d, int start) {
  if (d->format == SITE_DATA_YAML)
    mtport__yaml_map(&d->y, start);
  else if (start)
    d->obj = json_object();
  else if (d->obj && json_array_append_new(d->arr, d->obj) == 0)
    d->obj = NULL;
}

static void S_str(S_doc *d, const char *key, const char *v) {
  if (d->format == SITE_DATA_YAML)
    mtport__yaml_kv(&d->y, key, v);
  else if (d->obj)
    json_object_set_new(d->obj, key, json_string(v ? v : ""));
}

static void S_bool(S_doc *d, const char *key, int v) {
  if (d->format == SITE_DATA_YAML)
    mtport__yaml_kplain(&d->y, key, v ? "true" : "false");
  else if (d->obj)
    json_object_set_new(d->obj, key, json_boolean(v));
}

static void S_date(S_doc *d, const char *key, const mtport_time *t) {
  char s[40];
  if (d->format == SITE_DATA_YAML)
    mtport__yaml_date(&d->y, key, t);
  else if (d->obj && t->has_date &&
           mtport_time_format_rfc3339(t, s, sizeof s, 0))
    json_object_set_new(d->obj, key, json_string(s));
}

static int S_end(S_doc *d, mtport_buf *b) {
  if (d->format == SITE_DATA_YAML)
    return mtport__yaml_end(&d->y, 1);
  int rc = MTPORT_ENOMEM;
  char *s = d->arr && !d->obj ? json_dumps(d->arr, JSON_INDENT(1)) : NULL;
  if (s) {
    rc = mtport_buf_puts(b, s);
    if (!rc)
      rc = mtport_buf_putc(b, '\n');
  }
  free(s);
  json_decref(d->obj);
  json_decref(d->arr);
  return rc;
}

int mtport__site_comments_doc(const site_gen *gen, int keep_private,
                              const mtport_post *p, mtport_buf *b,
                              size_t *shown, size_t *hidden) {
  mtport_buf html = MTPORT_BUF_INIT, txt = MTPORT_BUF_INIT;
  S_doc d;
  memset(&d, 0, sizeof d);
  d.format = gen->comments_format;
  if (d.format == SITE_DATA_YAML)
    mtport__yaml_begin(&d.y, b, 1);
  else
    d.arr = json_array();
  *shown = *hidden = 0;
  int rc = MTPORT_OK;
  for (size_t i = 0; i < p->n_comments && !rc; i++) {
    const mtport_comment *c = &p->comments[i];
    if ((c->junk || !c->approved) && !keep_private) {
      ++*hidden; /* pending and junk comments stay private */
      continue;
    }
    ++*shown;
    S_item(&d, 1);
    if (c->id && *c->id)
      S_str(&d, "id", c->id);
    if (c->parent_id && *c->parent_id)
      S_str(&d, "parent", c->parent_id);
    S_str(&d, "type", S_kind(c->kind));
    rc = mtport__site_plain(&txt, c->author.name); /* pings: "A &raquo; B" */
    S_str(&d, "author", txt.data);
    if (c->author.url && *c->author.url)
      S_str(&d, "url", c->author.url);
    if (keep_private && c->author.email && *c->author.email)
      S_str(&d, "email", c->author.email);
    if (keep_private && c->ip && *c->ip)
      S_str(&d, "ip", c->ip);
    if (c->title && *c->title) {
      rc = rc ? rc : mtport__site_plain(&txt, c->title);
      S_str(&d, "title", txt.data);
    }
    S_date(&d, "date", &c->date);
    if (keep_private) {
      S_bool(&d, "approved", c->approved);
      S_bool(&d, "junk", c->junk);
    }
    mtport_buf_clear(&html);
    if (!rc)
      rc = mtport_text_to_html(&html, &c->body, NULL);
    S_str(&d, "body_html", html.data ? html.data : "");
    S_item(&d, 0);
  }
  int e = S_end(&d, b);
  mtport_buf_dispose(&html);
  mtport_buf_dispose(&txt);
  return rc ? rc : e;
}

int mtport__site_comments_key(site_state *st, const char *slug,
                              mtport_buf *key) {
  int ascii = 1;
  for (const char *s = slug; *s; s++)
    if ((unsigned char)*s >= 0x80)
      ascii = 0;
  if (ascii || !st->gen->ascii_data_keys)
    return mtport_buf_puts(key, slug);
  /* Jekyll's data reader drops non-ASCII from file names */
  int rc = mtport_buf_puts(key, "u");
  for (const unsigned char *s = (const unsigned char *)slug; *s && !rc; s++)
    rc = mtport_buf_printf(key, "%02x", *s);
  return rc;
}

int mtport__site_comments(site_state *st, const mtport_post *p, const char *key,
                          int *written, const mtport_buf *doc, size_t shown,
                          size_t hidden) {
  *written = 0;
  if (st->no_comments || !p->n_comments)
    return MTPORT_OK;
  mtport_buf b = MTPORT_BUF_INIT;
  int rc = MTPORT_OK;
  if (!doc) {
    rc = mtport__site_comments_doc(st->gen, st->keep_private, p, &b, &shown,
                                   &hidden);
    doc = &b;
  }
  st->n_private_comments += hidden;
  if (!rc && shown) {
    mtport_buf path = MTPORT_BUF_INIT;
    rc = mtport__site_expand(st, st->gen->comments_path, p, NULL, key, &path);
    if (!rc)
      rc = mtport__site_write(st, path.data, doc);
    mtport_buf_dispose(&path);
    *written = rc == MTPORT_OK;
  }
  mtport_buf_dispose(&b);
  return rc;
}
