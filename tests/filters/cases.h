/* Reads tests/filters/cases.txt: "=== name [filter] [crlf]", the text,
 * "--- html", the expected HTML, optionally "--- markdown" and the expected
 * Markdown. Shared by the case and thread tests. */
#ifndef MTPORT_TEST_FILTER_CASES_H
#define MTPORT_TEST_FILTER_CASES_H
#include "../slurp.h"
#include <stdlib.h>
#include <string.h>

typedef struct {
  char name[256];
  char filter[64]; /* textile_2 unless the name says */
  int crlf;
  char *text, *html, *md; /* md may be NULL */
} t_case;

/* The line at p (without its newline) equals @lit. */
static inline int t_line_is(const char *p, const char *lit) {
  size_t l = strlen(lit);
  return strncmp(p, lit, l) == 0 && (p[l] == '\n' || p[l] == '\0');
}

static inline const char *t_next_line(const char *p) {
  const char *e = strchr(p, '\n');
  return e ? e + 1 : p + strlen(p);
}

/* Calls @fn for every case of @path; returns the number of cases, or -1
 * when the file cannot be read or a case has no "--- html". */
static inline int t_cases(const char *path, void (*fn)(const t_case *, void *),
                          void *arg) {
  size_t n;
  char *all = t_slurp(path, &n);
  if (!all)
    return -1;
  int count = 0;
  const char *p = all;
  while (*p && strncmp(p, "=== ", 4) != 0)
    p = t_next_line(p);
  while (*p) {
    t_case c;
    memset(&c, 0, sizeof c);
    strcpy(c.filter, "textile_2");
    const char *ne = t_next_line(p);
    size_t nl = (size_t)(ne - p - 4);
    if (nl && p[4 + nl - 1] == '\n')
      nl--;
    if (nl >= sizeof c.name)
      nl = sizeof c.name - 1;
    memcpy(c.name, p + 4, nl);
    c.crlf = strstr(c.name, "[crlf]") != NULL;
    char *b = strrchr(c.name, '[');
    if (b && strncmp(b, "[crlf]", 6) != 0) {
      char *e = strchr(b, ']');
      if (e && (size_t)(e - b - 1) < sizeof c.filter) {
        memcpy(c.filter, b + 1, (size_t)(e - b - 1));
        c.filter[e - b - 1] = 0;
      }
    }
    /* sections: the text, "--- html", optionally "--- markdown" */
    const char *sec[3] = {ne, NULL, NULL}, *end[3] = {NULL, NULL, NULL};
    int k = 0;
    const char *q = ne;
    while (*q && strncmp(q, "=== ", 4) != 0) {
      if ((k == 0 && t_line_is(q, "--- html")) ||
          (k == 1 && t_line_is(q, "--- markdown"))) {
        end[k] = q;
        sec[++k] = t_next_line(q);
      }
      q = t_next_line(q);
    }
    end[k] = q;
    char *part[3] = {NULL, NULL, NULL};
    for (int i = 0; i <= k; i++) {
      size_t len = (size_t)(end[i] - sec[i]);
      if (len && sec[i][len - 1] == '\n')
        len--; /* the newline before the next marker */
      part[i] = malloc(len + 1);
      if (!part[i])
        exit(2);
      memcpy(part[i], sec[i], len);
      part[i][len] = 0;
    }
    if (k < 1) {
      free(all);
      return -1;
    }
    c.text = part[0];
    c.html = part[1];
    c.md = part[2];
    fn(&c, arg);
    count++;
    for (int i = 0; i < 3; i++)
      free(part[i]);
    p = q;
  }
  free(all);
  return count;
}

#endif
