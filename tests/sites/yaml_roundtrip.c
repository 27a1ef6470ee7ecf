/* Every hard title goes through the exporters' front matter and comes back
 * from libyaml's parser as the same string, in a double-quoted scalar (so
 * no YAML 1.1 or 1.2 resolver can turn it into a bool, null, number or
 * date). Also checks tags, dates and the front matter delimiters. */
#include "site/site.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static mtport_buf last; /* the last .md file written */
static int fails;

static int m_write(void *payload, const char *rel, const char *data,
                   size_t len) {
  size_t n = strlen(rel);
  if (n > 3 && strcmp(rel + n - 3, ".md") == 0) {
    mtport_buf_clear(&last);
    mtport_buf_append(&last, data, len);
  }
  return MTPORT_OK;
}
static int m_write_path(void *payload, const char *path, const char *data,
                        size_t len) {
  return MTPORT_OK;
}
static const char *m_option(void *payload, const char *key) { return NULL; }
static void m_diag(void *payload, const mtport_post *post, mtport_severity sev,
                   const char *code, const char *msg) {}

/* Finds the scalar value of top-level @key in the YAML @doc. Returns 1 when
 * found, with its text in @out and its style in *style. */
static int lookup(const char *doc, size_t len, const char *key, mtport_buf *out,
                  yaml_scalar_style_t *style, int *ok) {
  yaml_parser_t p;
  yaml_event_t ev;
  int depth = 0, want_value = 0, is_key = 1, found = 0;
  *ok = 1;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_string(&p, (const unsigned char *)doc, len);
  for (;;) {
    if (!yaml_parser_parse(&p, &ev)) {
      *ok = 0;
      break;
    }
    yaml_event_type_t t = ev.type;
    if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT) {
      if (depth == 1)
        is_key = !is_key ? 1 : is_key;
      depth++;
    } else if (t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT) {
      depth--;
      if (depth == 1)
        is_key = 1;
    } else if (t == YAML_SCALAR_EVENT && depth == 1) {
      const char *v = (const char *)ev.data.scalar.value;
      if (is_key) {
        want_value = strcmp(v, key) == 0;
        is_key = 0;
      } else {
        if (want_value && !found) {
          mtport_buf_append(out, v, ev.data.scalar.length);
          *style = ev.data.scalar.style;
          found = 1;
        }
        is_key = 1;
      }
    }
    yaml_event_delete(&ev);
    if (t == YAML_STREAM_END_EVENT)
      break;
  }
  yaml_parser_delete(&p);
  return found;
}

static void check_title(const site_gen *fl, const char *title) {
  site_io io = {NULL, m_write, m_write_path, m_option, m_diag, NULL};
  mtport_site *site = mtport_site_new();
  mtport_post *p = mtport_post_new();
  mtport_set_str(&p->title, title, (size_t)-1);
  mtport_time_parse_iso(&p->published, "2009-11-22T10:11:12+09:00");
  mtport_post_add_tag(p, title, NULL);
  mtport_text_set(&p->body, "<p>x</p>", (size_t)-1, MTPORT_TEXT_HTML, NULL);
  p->status = MTPORT_STATUS_PUBLISH;
  void *st = NULL;
  mtport_buf_clear(&last);
  int rc = mtport__site_begin(fl, &io, site, &st);
  if (!rc)
    rc = mtport__site_entry(
        st, p); /* no prepass: the slug is assigned on the fly */
  if (st)
    mtport__site_end(st, rc);
  if (rc || !last.data || strncmp(last.data, "---\n", 4) != 0) {
    printf("FAIL %s: no front matter for %s\n", fl->name, title);
    fails++;
  } else {
    const char *end = strstr(last.data + 3, "\n---\n");
    const char *doc = last.data + 4;
    size_t len = end ? (size_t)(end - doc) + 1 : 0; /* with its last \n */
    mtport_buf v = MTPORT_BUF_INIT, d = MTPORT_BUF_INIT;
    yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE, dstyle;
    int ok;
    int found = end && lookup(doc, len, "title", &v, &style, &ok);
    if (!end || !ok || !found || strcmp(v.data ? v.data : "", title) != 0 ||
        style != YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
      printf("FAIL %s: title %s came back as %s (style %d)\n", fl->name, title,
             v.data ? v.data : "(none)", (int)style);
      fails++;
    }
    /* the date stays an RFC 3339 timestamp in the entry's own offset */
    if (!lookup(doc, len, "date", &d, &dstyle, &ok) ||
        strcmp(d.data, "2009-11-22T10:11:12+09:00") != 0 ||
        dstyle != YAML_PLAIN_SCALAR_STYLE) {
      printf("FAIL: date %s\n", d.data ? d.data : "(none)");
      fails++;
    }
    /* no line of the front matter may close it early */
    for (const char *l = doc; l < doc + len; l = strchr(l, '\n') + 1) {
      if (strncmp(l, "---", 3) == 0 || strncmp(l, "...", 3) == 0) {
        printf("FAIL: a front matter line starts with a delimiter\n");
        fails++;
      }
    }
    mtport_buf_dispose(&v);
    mtport_buf_dispose(&d);
  }
  mtport_post_free(p);
  mtport_site_free(site);
}

int main(void) {
  char t300[301], t400[401];
  for (int i = 0; i < 300; i++)
    t300[i] = "Long title "[i % 11];
  t300[300] = '\0';
  for (int i = 0; i < 400; i++)
    t400[i] = "\xc3\xa9"[i % 2]; /* é x 200 */
  t400[400] = '\0';
  const char *titles[] = {"yes",
                          "No",
                          "on",
                          "~",
                          "null",
                          "1.10",
                          "2009-11-22",
                          "a: b",
                          "#x",
                          "@x",
                          "- x",
                          "'q'",
                          "a\ttab",
                          t300,
                          t400,
                          "Off",
                          "y",
                          "n",
                          "NULL",
                          "",
                          "true",
                          "0x1F",
                          "1e3",
                          "12:30",
                          "1:20:30",
                          ".inf",
                          "-.nan",
                          "[a, b]",
                          "{a: b}",
                          "*alias",
                          "&anchor",
                          "!tag",
                          "|",
                          ">",
                          "%",
                          "`x`",
                          "\"dq\"",
                          "back\\slash",
                          "line\nbreak",
                          "---",
                          "...",
                          "--- x",
                          "a #comment",
                          "trailing space ",
                          " leading space",
                          "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac",
                          "\xe2\x80\xa8sep",
                          "\xc2\x85nel",
                          "=",
                          "<<",
                          NULL};
  const site_gen *gens[] = {&mtport__gen_hugo, &mtport__gen_jekyll,
                            &mtport__gen_eleventy};
  for (size_t g = 0; g < sizeof gens / sizeof *gens; g++)
    for (size_t i = 0; titles[i]; i++)
      check_title(gens[g], titles[i]);
  mtport_buf_dispose(&last);
  printf("%s\n", fails ? "FAILED" : "ok");
  return fails ? 1 : 0;
}
