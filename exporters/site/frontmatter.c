/* YAML through libyaml's emitter, and a post's front matter: the keys
 * every generator shares, named as its description says. */
#include "site_int.h"
#include <stdio.h>
#include <string.h>

static int S_write(void *data, unsigned char *buffer, size_t size) {
  site_yaml *y = data;
  return mtport_buf_append(y->out, (const char *)buffer, size) == MTPORT_OK;
}

static void S_emit(site_yaml *y, yaml_event_t *ev, int ok) {
  if (y->failed)
    return; /* emit() frees the event even when it fails */
  if (!ok || !yaml_emitter_emit(&y->em, ev))
    y->failed = 1;
}

void mtport__yaml_begin(site_yaml *y, mtport_buf *out, int root_seq) {
  yaml_event_t ev;
  memset(y, 0, sizeof *y);
  y->out = out;
  if (!yaml_emitter_initialize(&y->em)) {
    y->failed = 1;
    return;
  }
  yaml_emitter_set_output(&y->em, S_write, y);
  yaml_emitter_set_unicode(&y->em, 1);
  yaml_emitter_set_width(&y->em, -1); /* never fold a line */
  yaml_emitter_set_break(&y->em, YAML_LN_BREAK);
  S_emit(y, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
  S_emit(y, &ev,
         yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
  if (root_seq)
    mtport__yaml_seq(y, 1);
  else
    mtport__yaml_map(y, 1);
}

static void S_scalar(site_yaml *y, const char *s, yaml_scalar_style_t style) {
  yaml_event_t ev;
  if (!s)
    s = "";
  int plain = style == YAML_PLAIN_SCALAR_STYLE;
  S_emit(y, &ev,
         yaml_scalar_event_initialize(&ev, NULL, NULL, (const yaml_char_t *)s,
                                      (int)strlen(s), plain, !plain, style));
}

void mtport__yaml_str(site_yaml *y, const char *s) {
  S_scalar(y, s, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}

void mtport__yaml_plain(site_yaml *y, const char *s) {
  S_scalar(y, s, YAML_PLAIN_SCALAR_STYLE);
}

void mtport__yaml_kv(site_yaml *y, const char *key, const char *value) {
  mtport__yaml_plain(y, key);
  mtport__yaml_str(y, value);
}

void mtport__yaml_kplain(site_yaml *y, const char *key, const char *value) {
  mtport__yaml_plain(y, key);
  mtport__yaml_plain(y, value);
}

void mtport__yaml_seq(site_yaml *y, int start) {
  yaml_event_t ev;
  if (start)
    S_emit(y, &ev,
           yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                                YAML_BLOCK_SEQUENCE_STYLE));
  else
    S_emit(y, &ev, yaml_sequence_end_event_initialize(&ev));
}

void mtport__yaml_map(site_yaml *y, int start) {
  yaml_event_t ev;
  if (start)
    S_emit(y, &ev,
           yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
                                               YAML_BLOCK_MAPPING_STYLE));
  else
    S_emit(y, &ev, yaml_mapping_end_event_initialize(&ev));
}

int mtport__yaml_end(site_yaml *y, int root_seq) {
  yaml_event_t ev;
  if (root_seq)
    mtport__yaml_seq(y, 0);
  else
    mtport__yaml_map(y, 0);
  S_emit(y, &ev, yaml_document_end_event_initialize(&ev, 1));
  S_emit(y, &ev, yaml_stream_end_event_initialize(&ev));
  if (!y->failed && !yaml_emitter_flush(&y->em))
    y->failed = 1;
  yaml_emitter_delete(&y->em);
  return y->failed ? MTPORT_ENOMEM : MTPORT_OK;
}

void mtport__yaml_date(site_yaml *y, const char *key, const mtport_time *t) {
  char d[40];
  if (t->has_date && mtport_time_format_rfc3339(t, d, sizeof d, 0)) {
    mtport__yaml_plain(y, key);
    mtport__yaml_plain(y, d);
  }
}

/* Something other than spaces. */
static int S_has_text(const char *s) {
  for (; s && *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
      return 1;
  return 0;
}

static void S_list(site_yaml *y, const char *key, const mtport_term *v,
                   size_t n) {
  if (!n)
    return;
  mtport__yaml_plain(y, key);
  mtport__yaml_seq(y, 1);
  for (size_t i = 0; i < n; i++)
    mtport__yaml_str(y, v[i].name);
  mtport__yaml_seq(y, 0);
}

int mtport__site_front_matter(site_state *st, const mtport_post *p,
                              const char *slug, const char *alias,
                              const char *comments_key, mtport_buf *out) {
  const site_gen *g = st->gen;
  int page = p->kind == MTPORT_KIND_PAGE, draft = mtport__site_is_draft(p);
  mtport_buf fm = MTPORT_BUF_INIT, txt = MTPORT_BUF_INIT;
  site_yaml y;
  mtport__yaml_begin(&y, &fm, 0);
  int rc = mtport__site_plain(&txt, p->title);
  mtport__yaml_kv(&y, "title", txt.data);
  if (!rc && g->key_link_title && !S_has_text(txt.data)) {
    rc = mtport__site_label(p, slug, &txt); /* what lists show instead */
    mtport__yaml_kv(&y, g->key_link_title, txt.data);
  }
  mtport__yaml_date(&y, "date", &p->published);
  if (g->key_updated && p->updated.has_date &&
      (!p->published.has_date ||
       mtport_time_cmp(&p->updated, &p->published) != 0))
    mtport__yaml_date(&y, g->key_updated, &p->updated);
  int unpublished = draft && g->drafts == SITE_DRAFT_UNPUBLISHED;
  if (draft) {
    if (g->drafts == SITE_DRAFT_FLAG)
      mtport__yaml_kplain(&y, "draft", "true");
    if (unpublished) { /* no page, in no list */
      mtport__yaml_kplain(&y, "permalink", "false");
      mtport__yaml_kplain(&y, "eleventyExcludeFromCollections", "true");
    }
    mtport__yaml_kv(&y, "mt_status", mtport_status_name(p->status));
  }
  mtport__yaml_kv(&y, "slug", slug);
  if (!unpublished && (page ? g->permalink_pages : g->permalink_posts)) {
    mtport_buf u = MTPORT_BUF_INIT;
    rc = rc ? rc : mtport_buf_putc(&u, '/');
    rc = rc ? rc
            : mtport__site_expand(st, page ? g->page_url : g->post_url, p, slug,
                                  NULL, &u);
    mtport__yaml_kv(&y, "permalink", u.data);
    mtport_buf_dispose(&u);
  }
  S_list(&y, "tags", p->tags, p->n_tags);
  S_list(&y, "categories", p->categories, p->n_categories);
  if (p->n_authors && p->authors[0].name && *p->authors[0].name)
    mtport__yaml_kv(&y, "author", p->authors[0].name);
  if (p->excerpt.text && *p->excerpt.text) {
    mtport_buf h = MTPORT_BUF_INIT;
    if (!rc)
      rc = mtport_text_to_html(&h, &p->excerpt, NULL);
    if (!rc)
      rc = mtport__site_plain(&txt, h.data);
    mtport_buf_dispose(&h);
    mtport__yaml_kv(&y, g->key_summary, txt.data);
  }
  if (g->excerpt_separator && p->more.text && *p->more.text)
    mtport__yaml_kv(&y, "excerpt_separator", "<!--more-->");
  if (alias && g->key_old_urls) {
    mtport__yaml_plain(&y, g->key_old_urls);
    mtport__yaml_seq(&y, 1);
    mtport__yaml_str(&y, alias);
    mtport__yaml_seq(&y, 0);
  }
  if (comments_key)
    mtport__yaml_kv(&y, "mt_comments", comments_key);
  if (p->entry_id > 0) {
    char id[32];
    snprintf(id, sizeof id, "%lld", p->entry_id);
    mtport__yaml_kplain(&y, "mt_id", id);
  }
  if (p->source_id && *p->source_id) /* the feed's entry id, kept */
    mtport__yaml_kv(&y, "mt_atom_id", p->source_id);
  if (p->basename && *p->basename)
    mtport__yaml_kv(&y, "mt_basename", p->basename);
  if (p->permalink && *p->permalink)
    mtport__yaml_kv(&y, "mt_permalink", p->permalink);
  if (!rc)
    rc = mtport__pages_front(st, &y, p);
  for (const char *const *k = g->fixed_keys; k && k[0]; k += 2)
    mtport__yaml_kplain(&y, k[0], k[1]);
  int e = mtport__yaml_end(&y, 0);
  rc = rc ? rc : e;
  if (!rc)
    rc = mtport_buf_puts(out, "---\n");
  if (!rc)
    rc = mtport_buf_append(out, fm.data ? fm.data : "", fm.len);
  if (!rc)
    rc = mtport_buf_puts(out, "---\n");
  mtport_buf_dispose(&fm);
  mtport_buf_dispose(&txt);
  return rc;
}
