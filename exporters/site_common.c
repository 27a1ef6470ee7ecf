/* The core shared by the Hugo and Jekyll exporters: slugs planned in date
 * order, YAML front matter through libyaml's emitter, Markdown bodies with
 * the template languages neutralised, old URLs as aliases or redirects,
 * comments as data files, and an optional scaffold that builds as is.
 * Memory: about 20 bytes per post (dates and flags while planning, then a
 * suffix number and 8-byte set slots); slugs and old URLs themselves wait
 * in unlinked temporary files in $TMPDIR. The redirects file is written
 * as the run goes (mtport_ctx_open_path()). */
#include "site_common.h"
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

/* ---- small helpers ------------------------------------------------------ */

/* strdup() that takes NULL. */
static char *S_strdup(const char *s) { return s ? strdup(s) : NULL; }

static int S_empty(const char *s) { return !s || !*s; }

/* ---- YAML through libyaml's emitter ------------------------------------- */

typedef struct S_yaml {
  yaml_emitter_t em;
  mtport_buf *out;
  int failed;
} S_yaml;

static int S_yaml_write(void *data, unsigned char *buffer, size_t size) {
  S_yaml *y = data;
  return mtport_buf_append(y->out, (const char *)buffer, size) == MTPORT_OK;
}

static void S_yaml_emit(S_yaml *y, yaml_event_t *ev, int ok) {
  if (y->failed)
    return; /* emit() frees the event even when it fails */
  if (!ok || !yaml_emitter_emit(&y->em, ev))
    y->failed = 1;
}

/* Starts one implicit document whose root is a block mapping or sequence. */
static void S_yaml_begin(S_yaml *y, mtport_buf *out, int root_seq) {
  yaml_event_t ev;
  memset(y, 0, sizeof *y);
  y->out = out;
  if (!yaml_emitter_initialize(&y->em)) {
    y->failed = 1;
    return;
  }
  yaml_emitter_set_output(&y->em, S_yaml_write, y);
  yaml_emitter_set_unicode(&y->em, 1);
  yaml_emitter_set_width(&y->em, -1); /* never fold a line */
  yaml_emitter_set_break(&y->em, YAML_LN_BREAK);
  S_yaml_emit(y, &ev,
              yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
  S_yaml_emit(y, &ev,
              yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
  if (root_seq)
    S_yaml_emit(y, &ev,
                yaml_sequence_start_event_initialize(
                    &ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE));
  else
    S_yaml_emit(y, &ev,
                yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
                                                    YAML_BLOCK_MAPPING_STYLE));
}

static void S_yaml_scalar(S_yaml *y, const char *s, yaml_scalar_style_t style) {
  yaml_event_t ev;
  if (!s)
    s = "";
  int plain = style == YAML_PLAIN_SCALAR_STYLE;
  S_yaml_emit(
      y, &ev,
      yaml_scalar_event_initialize(&ev, NULL, NULL, (const yaml_char_t *)s,
                                   (int)strlen(s), plain, !plain, style));
}

/* A string: always double-quoted, so no title turns into a bool, number,
 * date, null or syntax. */
static void S_yaml_str(S_yaml *y, const char *s) {
  S_yaml_scalar(y, s, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
}
/* A key, a date, a number or a boolean we produced ourselves. */
static void S_yaml_plain(S_yaml *y, const char *s) {
  S_yaml_scalar(y, s, YAML_PLAIN_SCALAR_STYLE);
}
static void S_yaml_kv(S_yaml *y, const char *key, const char *value) {
  S_yaml_plain(y, key);
  S_yaml_str(y, value);
}
static void S_yaml_kplain(S_yaml *y, const char *key, const char *value) {
  S_yaml_plain(y, key);
  S_yaml_plain(y, value);
}
static void S_yaml_seq(S_yaml *y, int start) {
  yaml_event_t ev;
  if (start)
    S_yaml_emit(y, &ev,
                yaml_sequence_start_event_initialize(
                    &ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE));
  else
    S_yaml_emit(y, &ev, yaml_sequence_end_event_initialize(&ev));
}
static void S_yaml_map(S_yaml *y, int start) {
  yaml_event_t ev;
  if (start)
    S_yaml_emit(y, &ev,
                yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
                                                    YAML_BLOCK_MAPPING_STYLE));
  else
    S_yaml_emit(y, &ev, yaml_mapping_end_event_initialize(&ev));
}

/* Ends the document. Returns MTPORT_OK or MTPORT_ENOMEM. */
static int S_yaml_end(S_yaml *y, int root_seq) {
  yaml_event_t ev;
  if (root_seq)
    S_yaml_seq(y, 0);
  else
    S_yaml_map(y, 0);
  S_yaml_emit(y, &ev, yaml_document_end_event_initialize(&ev, 1));
  S_yaml_emit(y, &ev, yaml_stream_end_event_initialize(&ev));
  if (!y->failed && !yaml_emitter_flush(&y->em))
    y->failed = 1;
  yaml_emitter_delete(&y->em);
  return y->failed ? MTPORT_ENOMEM : MTPORT_OK;
}

static void S_yaml_date(S_yaml *y, const char *key, const mtport_time *t) {
  char d[40];
  if (t->has_date && mtport_time_format_rfc3339(t, d, sizeof d, 0)) {
    S_yaml_plain(y, key);
    S_yaml_plain(y, d);
  }
}

/* ---- spool files --------------------------------------------------------- */

/* What a run keeps per post goes to an anonymous temporary file in $TMPDIR
 * (removed from its folder at once), so memory stays flat at a million
 * posts. Appends collect in memory and go out in 64 KB writes. */
typedef struct S_spool {
  int fd;           /* -1 until the first append */
  uint64_t flushed; /* bytes in the file */
  mtport_buf pend;  /* bytes after them */
  int err;          /* errno of the first failure, for the message */
} S_spool;

#define S_SPOOL_INIT                                                           \
  { -1, 0, MTPORT_BUF_INIT, 0 }

/* Notes a failure of @sp; returns MTPORT_EIO. */
static int S_spool_failed(S_spool *sp) {
  if (!sp->err)
    sp->err = errno ? errno : EIO;
  return MTPORT_EIO;
}

static int S_spool_open(S_spool *sp) {
  sp->fd = mtport_temp_fd("site");
  return sp->fd >= 0 ? MTPORT_OK : S_spool_failed(sp);
}

static int S_spool_flush(S_spool *sp) {
  size_t done = 0;
  while (done < sp->pend.len) {
    ssize_t w = pwrite(sp->fd, sp->pend.data + done, sp->pend.len - done,
                       (off_t)(sp->flushed + done));
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return S_spool_failed(sp);
    done += (size_t)w;
  }
  sp->flushed += sp->pend.len;
  mtport_buf_clear(&sp->pend);
  return MTPORT_OK;
}

/* Appends @n bytes; *off gets where they start. One append is never split
 * between the file and memory, so S_spool_read() reads it in one piece. */
static int S_spool_append(S_spool *sp, const void *data, size_t n,
                          uint64_t *off) {
  int rc = MTPORT_OK;
  if (sp->fd < 0 && (rc = S_spool_open(sp)))
    return rc;
  if (sp->pend.len && sp->pend.len + n > 65536 && (rc = S_spool_flush(sp)))
    return rc;
  *off = sp->flushed + sp->pend.len;
  return mtport_buf_append(&sp->pend, (const char *)data, n);
}

/* Reads @n bytes at @off, which lie within one append. */
static int S_spool_read(S_spool *sp, uint64_t off, void *dst, size_t n) {
  if (off >= sp->flushed) {
    if (off - sp->flushed + n > sp->pend.len)
      return MTPORT_EIO;
    memcpy(dst, sp->pend.data + (off - sp->flushed), n);
    return MTPORT_OK;
  }
  size_t done = 0;
  while (done < n) {
    ssize_t r =
        pread(sp->fd, (char *)dst + done, n - done, (off_t)(off + done));
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return S_spool_failed(sp);
    done += (size_t)r;
  }
  return MTPORT_OK;
}

static void S_spool_free(S_spool *sp) {
  if (sp->fd >= 0)
    close(sp->fd);
  mtport_buf_dispose(&sp->pend);
  sp->fd = -1;
  sp->flushed = 0;
}

/* ---- a set of strings (slugs taken, old URLs seen) ---------------------- */

/* The strings live in a spool; a slot holds where (40 bits) and 24 more
 * bits of the hash, so 8 bytes per string at up to 80% load. A lookup
 * reads a string back only when those bits match: equal strings, or about
 * one in 16 million others. */
typedef struct S_set {
  S_spool sp;
  uint64_t *slot; /* 0 empty, else (offset + 1) << 24 | hash >> 40 */
  size_t cap, n;
  char *str; /* a string read back, str_len bytes and a NUL */
  size_t str_len, str_cap;
} S_set;

static uint64_t S_hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a, then mixed */
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

static size_t S_bucket(uint64_t h, size_t cap) {
  return (size_t)(((h & 0xFFFFFFFFu) * (uint64_t)cap) >> 32);
}

/* The string a slot points at, in set->str. */
static int S_set_string(S_set *set, uint64_t slot) {
  uint64_t off = (slot >> 24) - 1;
  uint32_t len;
  int rc = S_spool_read(&set->sp, off, &len, sizeof len);
  if (!rc && (size_t)len + 1 > set->str_cap) {
    char *ns = realloc(set->str, (size_t)len + 1);
    if (!ns)
      return MTPORT_ENOMEM;
    set->str = ns;
    set->str_cap = (size_t)len + 1;
  }
  if (!rc)
    rc = S_spool_read(&set->sp, off + sizeof len, set->str, len);
  if (!rc) {
    set->str_len = len;
    set->str[len] = '\0';
  }
  return rc;
}

/* 1 when @s is in the set, 0 when not, or an error (< 0). */
static int S_set_find(S_set *set, const char *s, uint64_t h) {
  if (!set->cap)
    return 0;
  uint64_t frag = h >> 40;
  size_t n = strlen(s);
  for (size_t i = S_bucket(h, set->cap);; i = i + 1 == set->cap ? 0 : i + 1) {
    uint64_t v = set->slot[i];
    if (!v)
      return 0;
    if ((v & 0xFFFFFF) != frag)
      continue;
    int rc = S_set_string(set, v);
    if (rc)
      return rc;
    if (set->str_len == n && memcmp(set->str, s, n) == 0)
      return 1;
  }
}

static int S_set_has(S_set *set, const char *s) {
  return S_set_find(set, s, S_hash(s, strlen(s)));
}

/* Sizes the table for @n strings in all. */
static int S_set_reserve(S_set *set, size_t n) {
  size_t cap = n + n / 4 + 64;
  if (cap <= set->cap)
    return MTPORT_OK;
  if (cap > 0xFFFFFFFFu)
    return MTPORT_ENOMEM; /* S_bucket() needs a 32-bit capacity */
  uint64_t *ns = calloc(cap, sizeof *ns);
  if (!ns)
    return MTPORT_ENOMEM;
  for (size_t i = 0; i < set->cap; i++) {
    uint64_t v = set->slot[i];
    if (!v)
      continue;
    int rc = S_set_string(set, v); /* the bucket needs the whole hash */
    if (rc) {
      free(ns);
      return rc;
    }
    size_t j = S_bucket(S_hash(set->str, set->str_len), cap);
    while (ns[j])
      j = j + 1 == cap ? 0 : j + 1;
    ns[j] = v;
  }
  free(set->slot);
  set->slot = ns;
  set->cap = cap;
  return MTPORT_OK;
}

/* Adds @s, which is not in the set yet. */
static int S_set_add(S_set *set, const char *s) {
  size_t n = strlen(s);
  int rc = MTPORT_OK;
  if ((set->n + 1) * 5 > set->cap * 4 &&
      (rc = S_set_reserve(set, set->n + set->n / 2 + 1)))
    return rc;
  if (n > 0xFFFFFFFFu)
    return MTPORT_EINVALID;
  uint32_t len = (uint32_t)n;
  uint64_t off, off2;
  if ((rc = S_spool_append(&set->sp, &len, sizeof len, &off)) ||
      (rc = S_spool_append(&set->sp, s, n, &off2)))
    return rc;
  if (off + 1 >= ((uint64_t)1 << 40))
    return MTPORT_EIO; /* a terabyte of strings */
  uint64_t h = S_hash(s, n);
  size_t j = S_bucket(h, set->cap);
  while (set->slot[j])
    j = j + 1 == set->cap ? 0 : j + 1;
  set->slot[j] = (off + 1) << 24 | h >> 40;
  set->n++;
  return MTPORT_OK;
}

static void S_set_free(S_set *set) {
  S_spool_free(&set->sp);
  free(set->slot);
  free(set->str);
  set->slot = NULL;
  set->str = NULL;
  set->cap = set->n = set->str_len = set->str_cap = 0;
}

/* ---- state -------------------------------------------------------------- */

/* What the prepass keeps per post, in input order: the wanted slug goes to
 * a spool of fixed-size records (S_REC bytes: length, then the slug), the
 * rest to flat arrays, about 17 bytes per post in all. */
#define S_REC (1 + SITE_SLUG_MAX)
#define S_HAS_DATE 1
#define S_PAGE 2

typedef struct S_state {
  site_flavor flavor;
  site_io io;
  /* options */
  int bundle, keep_underscores, scaffold, no_comments, keep_private;
  char *section;         /* Hugo content section */
  const char *redirects; /* path of the redirects file, or NULL */
  int redirects_format;  /* 0 netlify, 1 nginx, 2 apache */
  /* site */
  char *site_title, *language, *base_url; /* base_url ends with '/' or NULL */
  char *base_path;                        /* "/" or "/blog/" */
  /* slugs */
  S_spool wants;        /* S_REC bytes per post */
  int64_t *epoch;       /* date, while planning */
  unsigned char *flags; /* S_HAS_DATE, S_PAGE, while planning */
  uint32_t *suffix;     /* 0 or 1: the wanted slug; k: "want-k" */
  size_t n_plan, cap_plan, next;
  size_t n_old_urls; /* posts with a permalink */
  int planned;
  S_set taken;
  /* old URLs */
  FILE *redirect_file;       /* streamed, or NULL: */
  mtport_buf redirect_lines; /* whole, for write_path() at the end */
  S_set redirected;          /* old paths already redirected */
  S_set aliased;             /* aliases already given to a post */
  unsigned long n_unserved;
  unsigned long n_private_comments;
  int spool_reported; /* a spool's failure was reported */
} S_state;

static void S_diag(S_state *st, const mtport_post *p, mtport_severity sev,
                   const char *code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
static void S_diag(S_state *st, const mtport_post *p, mtport_severity sev,
                   const char *code, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (n >= (int)sizeof msg) { /* cut on a character boundary, not inside */
    size_t len = sizeof msg - 1, j = len;
    while (j > 0 && ((unsigned char)msg[j - 1] & 0xC0) == 0x80)
      j--;
    if (j > 0) {
      unsigned char lead = (unsigned char)msg[j - 1];
      size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
      if (j - 1 + need > len)
        msg[j - 1] = '\0';
    }
  }
  if (st->io.diag)
    st->io.diag(st->io.payload, p, sev, code, msg);
}

/* After a call failed with @rc: when a spool failed, says so, once. The
 * spools' failures are the run's only ones that no other message names. */
static void S_spool_report(S_state *st, const mtport_post *p, int rc) {
  const S_spool *sp[] = {&st->wants, &st->taken.sp, &st->redirected.sp,
                         &st->aliased.sp};
  for (size_t i = 0; rc == MTPORT_EIO && !st->spool_reported && i < 4; i++) {
    if (sp[i]->err) {
      S_diag(st, p, MTPORT_SEV_FATAL, "write-failed",
             "cannot use a temporary file in $TMPDIR (default /tmp): %s",
             strerror(sp[i]->err));
      st->spool_reported = 1;
    }
  }
}

static const char *S_opt(S_state *st, const char *key) {
  return st->io.option ? st->io.option(st->io.payload, key) : NULL;
}

/* As mtport_ctx_flag(): present and not "0", "false" or "no". */
static int S_flag(S_state *st, const char *key) {
  const char *v = S_opt(st, key);
  return v && strcmp(v, "0") != 0 && strcmp(v, "false") != 0 &&
         strcmp(v, "no") != 0;
}

/* ---- text helpers ------------------------------------------------------- */

/* A title (HTML form, as MT stores it) as plain text for front matter and
 * slugs. Text without markup or references is kept byte for byte, so a tab
 * or leading space survives; otherwise tags go and entities are decoded. */
static int S_plain(mtport_buf *out, const char *s) {
  mtport_buf_clear(out);
  if (!s)
    return mtport_buf_puts(out, "");
  if (!strchr(s, '<') && !strchr(s, '&'))
    return mtport_buf_puts(out, s);
  return mtport_html_to_text(out, s, strlen(s));
}

static int S_hex(unsigned char c) {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                : -1;
}

/* Appends @s percent-encoding what is not safe in a URL path; existing
 * %XX escapes are kept, not encoded twice. */
static int S_put_url_path(mtport_buf *out, const char *s) {
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

/* Appends the percent-decoded @s, the file name a server looks up for
 * the URL path; @s as is when decoding gives invalid UTF-8, controls, or
 * characters that would change the path ('/', '\\', '?', '#'). */
static int S_put_decoded_path(mtport_buf *out, const char *s) {
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

/* The path of an old URL: absolute URLs through mtport_url_path(); a
 * site-relative "/archives/x.html" (some feeds write those) as it is,
 * without query or fragment. NULL otherwise. */
static char *S_path_of(const char *url) {
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

/* ---- begin -------------------------------------------------------------- */

/* Splits the base URL into scheme+host ("https://x.org") and path ("/b/"). */
static void S_split_base(const char *base, const char *path, mtport_buf *host) {
  size_t n = strlen(base), pn = strlen(path);
  /* the path is the tail of the URL (no query or fragment on a base) */
  if (pn <= n && strcmp(base + n - pn, path) == 0)
    n -= pn;
  mtport_buf_append(host, base, n);
}

static int S_write(S_state *st, const char *rel, const mtport_buf *b) {
  return st->io.write_file(st->io.payload, rel, b->data ? b->data : "", b->len);
}

static int S_scaffold_hugo(S_state *st) {
  mtport_buf b = MTPORT_BUF_INIT;
  S_yaml y;
  S_yaml_begin(&y, &b, 0);
  S_yaml_kv(&y, "baseURL", st->base_url ? st->base_url : "/");
  S_yaml_kv(&y, "title", st->site_title);
  S_yaml_kv(&y, "languageCode", st->language);
  S_yaml_plain(&y, "markup");
  S_yaml_map(&y, 1);
  S_yaml_plain(&y, "goldmark");
  S_yaml_map(&y, 1);
  S_yaml_plain(&y, "renderer");
  S_yaml_map(&y, 1);
  S_yaml_kplain(&y, "unsafe", "true"); /* MT bodies keep raw HTML */
  S_yaml_map(&y, 0);
  S_yaml_map(&y, 0);
  S_yaml_map(&y, 0);
  int rc = S_yaml_end(&y, 0);
  if (!rc)
    rc = S_write(st, "config.yaml", &b);
  static const char head[] =
      "<!DOCTYPE html>\n<html lang=\"{{ .Site.LanguageCode }}\">\n<head>\n"
      "<meta charset=\"utf-8\">\n<title>{{ .Title }}</title>\n</head>\n"
      "<body>\n<p><a href=\"{{ \"/\" | relURL }}\">{{ .Site.Title }}</a></p>\n";
  static const char single[] =
      "<article>\n<h1>{{ .Title }}</h1>\n"
      "{{ if not .Date.IsZero }}<p><time datetime=\"{{ .Date.Format "
      "\"2006-01-02T15:04:05Z07:00\" }}\">{{ .Date.Format \"2006-01-02 15:04\" "
      "}}</time></p>{{ end }}\n"
      "{{ .Content }}\n"
      "{{ with .Params.tags }}<p>Tags: {{ range . }}<span class=\"tag\">{{ . "
      "}}</span> {{ end }}</p>{{ end }}\n"
      "</article>\n"
      "{{ $key := .Params.mt_comments }}{{ with $key }}{{ with "
      "$.Site.Data.comments }}{{ with index . $key }}\n"
      "<section class=\"comments\">\n<h2>Comments</h2>\n"
      "{{ range . }}{{ if ne (printf \"%v\" .approved) \"false\" }}"
      "<div class=\"comment\">\n<p class=\"meta\">{{ with .url "
      "}}<a href=\"{{ . }}\" rel=\"nofollow\">{{ end }}{{ .author }}{{ with "
      ".url "
      "}}</a>{{ end }} {{ .date }}</p>\n{{ .body_html | safeHTML }}\n</div>\n"
      "{{ end }}{{ end }}</section>\n{{ end }}{{ end }}{{ end }}\n";
  static const char list[] =
      "<h1>{{ .Title }}</h1>\n{{ .Content }}\n<ul>\n{{ range .Pages }}<li><a "
      "href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>\n{{ end }}</ul>\n";
  static const char home[] =
      "<h1>{{ .Site.Title }}</h1>\n<ul>\n{{ range where .Site.RegularPages "
      "\"Section\" \"!=\" \"\" }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title "
      "}}</a></li>\n{{ end }}</ul>\n<ul>\n{{ range where .Site.RegularPages "
      "\"Section\" \"\" }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title "
      "}}</a></li>\n{{ end }}</ul>\n";
  static const char foot[] = "</body>\n</html>\n";
  struct {
    const char *path, *body;
  } files[] = {{"layouts/_default/single.html", single},
               {"layouts/_default/list.html", list},
               {"layouts/index.html", home}};
  for (size_t i = 0; !rc && i < sizeof files / sizeof *files; i++) {
    mtport_buf_clear(&b);
    if (mtport_buf_puts(&b, head) || mtport_buf_puts(&b, files[i].body) ||
        mtport_buf_puts(&b, foot))
      rc = MTPORT_ENOMEM;
    else
      rc = S_write(st, files[i].path, &b);
  }
  /* alias pages name the post they lead to */
  static const char alias[] =
      "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>{{ with .Page }}{{ .Title }}{{ end }}</title>\n"
      "<link rel=\"canonical\" href=\"{{ .Permalink }}\">\n"
      "<meta name=\"robots\" content=\"noindex\">\n"
      "<meta http-equiv=\"refresh\" content=\"0; url={{ .Permalink }}\">\n"
      "</head>\n<body>\n<h1>{{ with .Page }}{{ .Title }}{{ end }}</h1>\n"
      "<p><a href=\"{{ .Permalink }}\">{{ .Permalink }}</a></p>\n</body>\n"
      "</html>\n";
  mtport_buf_clear(&b);
  if (!rc)
    rc = mtport_buf_puts(&b, alias) ? MTPORT_ENOMEM
                                    : S_write(st, "layouts/alias.html", &b);
  mtport_buf_dispose(&b);
  return rc;
}

static int S_scaffold_jekyll(S_state *st) {
  mtport_buf b = MTPORT_BUF_INIT, host = MTPORT_BUF_INIT;
  if (st->base_url)
    S_split_base(st->base_url, st->base_path, &host);
  char *baseurl = S_strdup(st->base_path);
  if (!baseurl)
    return MTPORT_ENOMEM;
  baseurl[strlen(baseurl) - 1] = '\0'; /* "/blog/" -> "/blog", "/" -> "" */
  S_yaml y;
  S_yaml_begin(&y, &b, 0);
  S_yaml_kv(&y, "title", st->site_title);
  S_yaml_kv(&y, "url", host.data ? host.data : "");
  S_yaml_kv(&y, "baseurl", baseurl);
  S_yaml_kv(&y, "lang", st->language);
  S_yaml_kv(&y, "permalink", "/posts/:title/");
  S_yaml_kv(&y, "excerpt_separator", "<!--more-->");
  S_yaml_plain(&y, "plugins");
  S_yaml_seq(&y, 1);
  S_yaml_str(&y, "jekyll-redirect-from");
  S_yaml_seq(&y, 0);
  S_yaml_plain(&y, "include"); /* Netlify's file starts with '_' */
  S_yaml_seq(&y, 1);
  S_yaml_str(&y, "_redirects");
  S_yaml_seq(&y, 0);
  S_yaml_plain(&y, "defaults");
  S_yaml_seq(&y, 1);
  for (int i = 0; i < 2; i++) {
    S_yaml_map(&y, 1);
    S_yaml_plain(&y, "scope");
    S_yaml_map(&y, 1);
    S_yaml_kv(&y, "path", "");
    S_yaml_kv(&y, "type", i ? "pages" : "posts");
    S_yaml_map(&y, 0);
    S_yaml_plain(&y, "values");
    S_yaml_map(&y, 1);
    S_yaml_kv(&y, "layout", i ? "page" : "post");
    S_yaml_map(&y, 0);
    S_yaml_map(&y, 0);
  }
  S_yaml_seq(&y, 0);
  int rc = S_yaml_end(&y, 0);
  free(baseurl);
  mtport_buf_dispose(&host);
  if (!rc)
    rc = S_write(st, "_config.yml", &b);
  static const char deflt[] =
      "<!DOCTYPE html>\n<html lang=\"{{ site.lang }}\">\n<head>\n<meta "
      "charset=\"utf-8\">\n<title>{{ page.title | default: site.title | escape "
      "}}</title>\n</head>\n<body>\n<p><a href=\"{{ \"/\" | relative_url "
      "}}\">{{ site.title | escape }}</a></p>\n{{ content }}\n</body>\n"
      "</html>\n";
  static const char post[] =
      "---\nlayout: default\n---\n<article>\n<h1>{{ page.title | escape "
      "}}</h1>\n<p><time datetime=\"{{ page.date | date_to_xmlschema }}\">{{ "
      "page.date | date: \"%Y-%m-%d %H:%M\" }}</time></p>\n{{ content }}\n"
      "{% if page.tags.size > 0 %}<p>Tags: {% for t in page.tags %}<span "
      "class=\"tag\">{{ t | escape }}</span> {% endfor %}</p>{% endif %}\n"
      "</article>\n"
      "{% if page.mt_comments %}{% assign comments = "
      "site.data.comments[page.mt_comments] %}{% if comments %}\n"
      "<section class=\"comments\">\n<h2>Comments</h2>\n"
      "{% for c in comments %}{% unless c.approved == false %}"
      "<div class=\"comment\">\n<p class=\"meta\">{% if "
      "c.url %}<a href=\"{{ c.url | escape }}\" rel=\"nofollow\">{{ c.author | "
      "escape }}</a>{% else %}{{ c.author | escape }}{% endif %} {{ c.date "
      "}}</p>\n{{ c.body_html }}\n</div>\n{% endunless %}{% endfor "
      "%}</section>\n{% endif "
      "%}{% "
      "endif %}\n";
  static const char page[] =
      "---\nlayout: default\n---\n<article>\n<h1>{{ page.title | escape "
      "}}</h1>\n{{ content }}\n</article>\n";
  static const char index[] =
      "---\nlayout: default\ntitle: null\n---\n<ul>\n{% for post in site.posts "
      "%}<li><a href=\"{{ post.url | relative_url }}\">{{ post.title | escape "
      "}}</a></li>\n{% endfor %}</ul>\n";
  /* jekyll-redirect-from's pages, naming the post they lead to */
  static const char redirect[] =
      "<!DOCTYPE html>\n<html lang=\"{{ site.lang }}\">\n<head>\n<meta "
      "charset=\"utf-8\">\n"
      "{% assign prefix = \"/\" | absolute_url %}{% assign rel = "
      "page.redirect.to | remove_first: prefix | prepend: \"/\" %}{% assign "
      "t = site.posts | where: \"url\", rel | first %}{% unless t %}{% "
      "assign t = site.pages | where: \"url\", rel | first %}{% endunless "
      "%}\n"
      "<title>{% if t %}{{ t.title | escape }}{% else %}Redirecting{% endif "
      "%}</title>\n"
      "<link rel=\"canonical\" href=\"{{ page.redirect.to }}\">\n"
      "<meta name=\"robots\" content=\"noindex\">\n"
      "<meta http-equiv=\"refresh\" content=\"0; url={{ page.redirect.to "
      "}}\">\n</head>\n<body>\n<h1>{% if t %}{{ t.title | escape }}{% endif "
      "%}</h1>\n<p><a href=\"{{ page.redirect.to }}\">{{ page.redirect.to "
      "}}</a></p>\n</body>\n</html>\n";
  struct {
    const char *path, *body;
  } files[] = {{"_layouts/default.html", deflt},
               {"_layouts/post.html", post},
               {"_layouts/page.html", page},
               {"_layouts/redirect.html", redirect},
               {"index.html", index}};
  for (size_t i = 0; !rc && i < sizeof files / sizeof *files; i++) {
    mtport_buf_clear(&b);
    if (mtport_buf_puts(&b, files[i].body))
      rc = MTPORT_ENOMEM;
    else
      rc = S_write(st, files[i].path, &b);
  }
  mtport_buf_dispose(&b);
  return rc;
}

static void S_free_state(S_state *st) {
  if (!st)
    return;
  S_spool_free(&st->wants);
  free(st->epoch);
  free(st->flags);
  free(st->suffix);
  S_set_free(&st->taken);
  S_set_free(&st->redirected);
  S_set_free(&st->aliased);
  mtport_buf_dispose(&st->redirect_lines);
  free(st->section);
  free(st->site_title);
  free(st->language);
  free(st->base_url);
  free(st->base_path);
  free(st);
}

int mtport__site_begin(site_flavor flavor, const site_io *io,
                       const mtport_site *site, void **state) {
  S_state *st = calloc(1, sizeof *st);
  if (!st)
    return MTPORT_ENOMEM;
  st->wants.fd = st->taken.sp.fd = st->redirected.sp.fd = st->aliased.sp.fd =
      -1;
  st->flavor = flavor;
  st->io = *io;
  st->bundle = S_flag(st, "bundle");
  st->keep_underscores = S_flag(st, "keep-underscores");
  st->scaffold = S_flag(st, "scaffold");
  st->no_comments = S_flag(st, "no-comments");
  st->keep_private = S_flag(st, "keep-private");
  const char *r = S_opt(st, "redirects");
  st->redirects = S_empty(r) ? NULL : r;
  const char *rf = S_opt(st, "redirects-format");
  int rc = MTPORT_OK;
  if (S_empty(rf) || strcmp(rf, "netlify") == 0)
    st->redirects_format = 0;
  else if (strcmp(rf, "nginx") == 0)
    st->redirects_format = 1;
  else if (strcmp(rf, "apache") == 0)
    st->redirects_format = 2;
  else {
    S_diag(st, NULL, MTPORT_SEV_FATAL, "bad-option",
           "unknown redirects format '%s' (nginx, apache or netlify)", rf);
    rc = MTPORT_EINVALID;
  }
  /* the section is one safe path component */
  const char *sec = S_opt(st, "section");
  if (S_empty(sec))
    sec = "posts";
  st->section = mtport_slugify(sec, MTPORT_SLUG_KEEP_UNDERSCORES, 64);
  if (st->section && strcmp(st->section, sec) != 0)
    S_diag(st, NULL, MTPORT_SEV_WARNING, "bad-option",
           "section '%s' written as '%s'", sec, st->section);
  /* the site's URL: --base-url wins over the feed's */
  const char *base = S_opt(st, "base-url");
  if (S_empty(base))
    base = site ? site->home_url : NULL;
  if (!S_empty(base)) {
    char *path = mtport_url_path(base);
    if (path) {
      /* both end with '/': "http://x.org/blog/" and "/blog/" */
      mtport_buf u = MTPORT_BUF_INIT, bp = MTPORT_BUF_INIT;
      int e = mtport_buf_puts(&u, base);
      if (!e && u.data[u.len - 1] != '/')
        e = mtport_buf_putc(&u, '/');
      if (!e)
        e = mtport_buf_puts(&bp, *path ? path : "/");
      if (!e && bp.data[bp.len - 1] != '/')
        e = mtport_buf_putc(&bp, '/');
      if (!e) {
        st->base_url = mtport_buf_detach(&u);
        st->base_path = mtport_buf_detach(&bp);
      }
      mtport_buf_dispose(&u);
      mtport_buf_dispose(&bp);
      free(path);
      if (e)
        rc = MTPORT_ENOMEM;
    } else
      S_diag(st, NULL, MTPORT_SEV_WARNING, "bad-url",
             "the site URL '%s' is not absolute: old URLs are kept as they are",
             base);
  }
  if (!st->base_path)
    st->base_path = S_strdup("/");
  mtport_buf t = MTPORT_BUF_INIT;
  if (site && site->title)
    S_plain(&t, site->title);
  st->site_title = mtport_buf_detach(&t);
  st->language =
      S_strdup(site && !S_empty(site->language) ? site->language : "en");
  if (!st->section || !st->base_path || !st->site_title || !st->language)
    rc = rc ? rc : MTPORT_ENOMEM;
  /* before any file: an existing redirects file stops the run here */
  if (!rc && st->redirects && st->io.open_path)
    rc = st->io.open_path(st->io.payload, st->redirects, &st->redirect_file);
  if (!rc && st->scaffold)
    rc = flavor == SITE_HUGO ? S_scaffold_hugo(st) : S_scaffold_jekyll(st);
  if (rc) {
    S_free_state(st);
    return rc;
  }
  *state = st;
  return MTPORT_OK;
}

/* ---- slugs -------------------------------------------------------------- */

/* The file name stem of an MT archive URL ("/2009/12/my_entry.html" gives
 * "my_entry", "/about/index.html" gives "about"): MT writes the basename
 * there, and Atom feeds carry no other trace of it. NULL for numeric names
 * ("000123"), folders and fragments. */
static char *S_permalink_stem(const char *url) {
  if (S_empty(url) || strchr(url, '#') || strchr(url, '?'))
    return NULL;
  char *path = S_path_of(url);
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
static char *S_want(S_state *st, const mtport_post *p) {
  unsigned fl = st->keep_underscores ? MTPORT_SLUG_KEEP_UNDERSCORES : 0;
  if (!S_empty(p->basename))
    return mtport_slugify(p->basename, fl, SITE_SLUG_MAX);
  char *stem = S_permalink_stem(p->permalink);
  if (stem) {
    mtport_buf d = MTPORT_BUF_INIT; /* "%E6%97%A5" is a CJK basename */
    char *s = S_put_decoded_path(&d, stem)
                  ? NULL
                  : mtport_slugify(d.data, fl, SITE_SLUG_MAX);
    mtport_buf_dispose(&d);
    free(stem);
    return s;
  }
  mtport_buf t = MTPORT_BUF_INIT;
  if (S_plain(&t, p->title)) {
    mtport_buf_dispose(&t);
    return NULL;
  }
  char *s;
  if (t.len == 0 && p->entry_id > 0) {
    char id[40];
    snprintf(id, sizeof id, "entry-%lld", p->entry_id);
    s = S_strdup(id);
  } else
    s = mtport_slugify(t.data, 0, SITE_SLUG_MAX);
  mtport_buf_dispose(&t);
  return s;
}

/* Names a page at the site root must not take: they hold the site's own
 * lists and files. */
static int S_reserved(const S_state *st, const char *s) {
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
 * the number (1 for @want itself), @b the slug. */
static int S_assign(S_state *st, const char *want, int page, mtport_buf *b,
                    unsigned long *k) {
  for (*k = 1;; ++*k) {
    int rc = S_suffixed(b, want, *k);
    int has = rc ? rc : S_set_has(&st->taken, b->data);
    if (has < 0)
      return has;
    if (!has && !(page && S_reserved(st, b->data)))
      break;
  }
  return S_set_add(&st->taken, b->data);
}

int mtport__site_prepass(void *state, const mtport_post *p) {
  S_state *st = state;
  if (st->n_plan == st->cap_plan) {
    size_t ncap = st->cap_plan ? st->cap_plan + st->cap_plan / 2 : 1024;
    if (ncap >= 0xFFFFFFFFu)
      return MTPORT_ENOMEM; /* posts are numbered in 32 bits */
    int64_t *e = realloc(st->epoch, ncap * sizeof *e);
    if (!e)
      return MTPORT_ENOMEM;
    st->epoch = e;
    unsigned char *f = realloc(st->flags, ncap);
    if (!f)
      return MTPORT_ENOMEM;
    st->flags = f;
    st->cap_plan = ncap;
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
  uint64_t off;
  int rc = S_spool_append(&st->wants, rec, sizeof rec, &off);
  S_spool_report(st, p, rc);
  if (rc)
    return rc;
  const mtport_time *d = p->published.has_date ? &p->published : &p->updated;
  st->epoch[st->n_plan] = d->has_date ? d->epoch : 0;
  st->flags[st->n_plan] =
      (unsigned char)((d->has_date ? S_HAS_DATE : 0) |
                      (p->kind == MTPORT_KIND_PAGE ? S_PAGE : 0));
  st->n_plan++;
  st->n_old_urls += !S_empty(p->permalink);
  return MTPORT_OK;
}

/* Date order; posts without a date after the dated ones; then input order
 * (post numbers @a, @b). */
static int S_before(const S_state *st, uint32_t a, uint32_t b) {
  int da = st->flags[a] & S_HAS_DATE, db = st->flags[b] & S_HAS_DATE;
  if (da != db)
    return da;
  if (da && st->epoch[a] != st->epoch[b])
    return st->epoch[a] < st->epoch[b];
  return a < b;
}

/* Heap sort of post numbers (qsort() has no context argument, and an array
 * of keys would cost more than the 4 bytes a post). */
static void S_sift(const S_state *st, uint32_t *v, size_t i, size_t n) {
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n)
      return;
    if (c + 1 < n && S_before(st, v[c], v[c + 1]))
      c++;
    if (!S_before(st, v[i], v[c]))
      return;
    uint32_t t = v[i];
    v[i] = v[c];
    v[c] = t;
    i = c;
  }
}

static void S_sort_posts(const S_state *st, uint32_t *v, size_t n) {
  for (size_t i = n / 2; i-- > 0;)
    S_sift(st, v, i, n);
  for (size_t end = n; end > 1; end--) {
    uint32_t t = v[0];
    v[0] = v[end - 1];
    v[end - 1] = t;
    S_sift(st, v, 0, end - 1);
  }
}

/* The wanted slug of post @i, from the spool, into @want (S_REC bytes). */
static int S_read_want(S_state *st, size_t i, char *want) {
  unsigned char rec[S_REC];
  int rc = S_spool_read(&st->wants, (uint64_t)i * S_REC, rec, sizeof rec);
  if (rc)
    return rc;
  memcpy(want, rec + 1, rec[0]);
  want[rec[0]] = '\0';
  return MTPORT_OK;
}

int mtport__site_prepass_done(void *state) {
  S_state *st = state;
  size_t n = st->n_plan;
  uint32_t *order = malloc((n ? n : 1) * sizeof *order);
  if (!order)
    return MTPORT_ENOMEM;
  for (size_t i = 0; i < n; i++)
    order[i] = (uint32_t)i;
  S_sort_posts(st, order, n);
  free(st->epoch); /* sorted: the dates are not needed any more */
  st->epoch = NULL;
  int rc = MTPORT_OK;
  if (!(st->suffix = calloc(n ? n : 1, sizeof *st->suffix)))
    rc = MTPORT_ENOMEM;
  if (!rc)
    rc = S_set_reserve(&st->taken, n);
  /* full size at once: growing keeps old and new tables for a moment and
   * reads every string back */
  if (!rc)
    rc = S_set_reserve(&st->aliased, st->n_old_urls);
  if (!rc && st->redirects)
    rc = S_set_reserve(&st->redirected, st->n_old_urls);
  mtport_buf b = MTPORT_BUF_INIT;
  char want[S_REC];
  for (size_t i = 0; i < n && !rc; i++) {
    unsigned long k = 1;
    rc = S_read_want(st, order[i], want);
    if (!rc)
      rc = S_assign(st, want, st->flags[order[i]] & S_PAGE, &b, &k);
    if (!rc)
      st->suffix[order[i]] = k > 0xFFFFFFFFul ? 0 : (uint32_t)k;
  }
  mtport_buf_dispose(&b);
  free(order);
  free(st->flags);
  st->flags = NULL;
  st->planned = 1;
  S_spool_report(st, NULL, rc);
  return rc;
}

/* The slug planned for the next post, or one assigned now when the
 * pipeline ran no prepass or the input changed between passes. */
static char *S_slug_for(S_state *st, const mtport_post *p) {
  char *want = S_want(st, p);
  if (!want)
    return NULL;
  size_t i = st->next++;
  mtport_buf b = MTPORT_BUF_INIT;
  int rc = MTPORT_OK;
  if (st->planned && i < st->n_plan && st->suffix && st->suffix[i]) {
    char planned[S_REC];
    rc = S_read_want(st, i, planned);
    if (!rc && strcmp(planned, want) == 0) {
      rc = S_suffixed(&b, want, st->suffix[i]);
      free(want);
      if (rc) {
        mtport_buf_dispose(&b);
        return NULL;
      }
      return mtport_buf_detach(&b);
    }
  }
  if (st->planned && !rc)
    S_diag(st, p, MTPORT_SEV_WARNING, "slug-order",
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

/* ---- bodies ------------------------------------------------------------- */

int mtport__site_liquid_escape(mtport_buf *out, const char *text, size_t len) {
  int rc = MTPORT_OK;
  size_t run = 0; /* start of the bytes not yet copied */
  for (size_t i = 0; i < len && !rc; i++) {
    if (text[i] == '{' && i + 1 < len &&
        (text[i + 1] == '{' || text[i + 1] == '%')) {
      /* Liquid prints a quoted "{", so no tag or output ever starts in the
       * text, inside code blocks too (Liquid runs before Markdown) */
      rc = mtport_buf_append(out, text + run, i - run);
      if (!rc)
        rc = mtport_buf_puts(out, "{{ \"{\" }}");
      run = i + 1;
    }
  }
  if (!rc)
    rc = mtport_buf_append(out, text + run, len - run);
  return rc;
}

static const char *S_find(const char *s, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (memcmp(s + i, needle, k) == 0)
      return s + i;
  return NULL;
}

int mtport__site_shortcode_escape(mtport_buf *out, const char *text,
                                  size_t len) {
  int rc = MTPORT_OK;
  size_t i = 0, run = 0;
  while (i + 3 <= len && !rc) {
    if (text[i] != '{' || text[i + 1] != '{' ||
        (text[i + 2] != '<' && text[i + 2] != '%')) {
      i++;
      continue;
    }
    char kind = text[i + 2];
    const char *close = kind == '<' ? ">}}" : "%}}";
    const char *end = S_find(text + i + 3, len - i - 3, close);
    rc = mtport_buf_append(out, text + run, i - run);
    if (rc)
      break;
    if (end) {
      // Hugo's own escape: {{</* x */>}} is shown as {{< x >}}
      size_t inner = (size_t)(end - (text + i + 3));
      rc = mtport_buf_append(out, text + i, 3);
      if (!rc)
        rc = mtport_buf_puts(out, "/*");
      if (!rc)
        rc = mtport_buf_append(out, text + i + 3, inner);
      if (!rc)
        rc = mtport_buf_puts(out, "*/");
      if (!rc)
        rc = mtport_buf_append(out, end, 3);
      i = run = (size_t)(end - text) + 3;
    } else {
      /* no closing delimiter: a character reference keeps the second brace
       * from opening a shortcode and still renders as "{" */
      rc = mtport_buf_puts(out, "{&#123;");
      i = run = i + 2;
    }
  }
  if (!rc)
    rc = mtport_buf_append(out, text + run, len - run);
  return rc;
}

/* Converts one text to Markdown, neutralised for the flavor's template
 * language, into @out; *diffs gets the proof's differences. Reads only the
 * post and the flavor: it runs on worker threads (prepare()). */
static int S_convert_part(site_flavor flavor, const mtport_post *p,
                          const mtport_text *t, mtport_buf *out,
                          unsigned long *diffs) {
  *diffs = 0;
  if (S_empty(t->text))
    return MTPORT_OK;
  mtport_md_options mo = MTPORT_MD_OPTIONS_INIT;
  mo.base_url = !S_empty(t->base) ? t->base : p->permalink;
  mtport_md_report rep;
  memset(&rep, 0, sizeof rep);
  mtport_buf md = MTPORT_BUF_INIT;
  int rc = mtport_text_to_markdown(&md, t, &mo, &rep);
  *diffs = rep.differences;
  mtport_md_report_dispose(&rep);
  /* trailing blank lines would double up around the separator */
  while (!rc && md.len &&
         (md.data[md.len - 1] == '\n' || md.data[md.len - 1] == '\r'))
    md.data[--md.len] = '\0';
  if (!rc && md.len)
    rc = flavor == SITE_JEKYLL
             ? mtport__site_liquid_escape(out, md.data, md.len)
             : mtport__site_shortcode_escape(out, md.data, md.len);
  mtport_buf_dispose(&md);
  return rc;
}

/* What prepare() makes: the body and the extended body converted, and
 * the comments data file. */
typedef struct S_prepared {
  mtport_buf part[2];
  unsigned long diffs[2];
  mtport_buf comments;
  size_t shown, hidden;
} S_prepared;

static int S_comments_doc(int keep_private, const mtport_post *p, mtport_buf *b,
                          size_t *shown, size_t *hidden);

int mtport__site_prepare(const void *state, const mtport_post *p, void **out) {
  const S_state *st = state;
  S_prepared *pr = calloc(1, sizeof *pr);
  *out = NULL;
  if (!pr)
    return MTPORT_ENOMEM;
  int rc = S_convert_part(st->flavor, p, &p->body, &pr->part[0], &pr->diffs[0]);
  if (!rc)
    rc = S_convert_part(st->flavor, p, &p->more, &pr->part[1], &pr->diffs[1]);
  if (!rc && !st->no_comments && p->n_comments)
    rc = S_comments_doc(st->keep_private, p, &pr->comments, &pr->shown,
                        &pr->hidden);
  if (rc) {
    mtport__site_release(pr);
    return rc;
  }
  *out = pr;
  return MTPORT_OK;
}

void mtport__site_release(void *prepared) {
  S_prepared *pr = prepared;
  if (!pr)
    return;
  mtport_buf_dispose(&pr->part[0]);
  mtport_buf_dispose(&pr->part[1]);
  mtport_buf_dispose(&pr->comments);
  free(pr);
}

/* save() and load(): seven sizes and counts, then the three texts. */
int mtport__site_save(const void *prepared, mtport_buf *out) {
  const S_prepared *pr = prepared;
  uint64_t h[7] = {pr->part[0].len, pr->part[1].len, pr->comments.len,
                   pr->diffs[0],    pr->diffs[1],    pr->shown,
                   pr->hidden};
  int rc = mtport_buf_append(out, (const char *)h, sizeof h);
  const mtport_buf *t[3] = {&pr->part[0], &pr->part[1], &pr->comments};
  for (size_t i = 0; i < 3 && !rc; i++)
    if (t[i]->len)
      rc = mtport_buf_append(out, t[i]->data, t[i]->len);
  return rc;
}

int mtport__site_load(const void *state, const char *data, size_t len,
                      void **out) {
  (void)state;
  *out = NULL;
  uint64_t h[7];
  if (len < sizeof h)
    return MTPORT_EPARSE;
  memcpy(h, data, sizeof h);
  size_t at = sizeof h;
  for (size_t i = 0; i < 3; i++) {
    if (h[i] > len - at)
      return MTPORT_EPARSE;
    at += (size_t)h[i];
  }
  if (at != len)
    return MTPORT_EPARSE;
  S_prepared *pr = calloc(1, sizeof *pr);
  if (!pr)
    return MTPORT_ENOMEM;
  mtport_buf *t[3] = {&pr->part[0], &pr->part[1], &pr->comments};
  at = sizeof h;
  int rc = MTPORT_OK;
  for (size_t i = 0; i < 3 && !rc; i++) {
    if (h[i])
      rc = mtport_buf_append(t[i], data + at, (size_t)h[i]);
    at += (size_t)h[i];
  }
  if (rc) {
    mtport__site_release(pr);
    return rc;
  }
  pr->diffs[0] = (unsigned long)h[3];
  pr->diffs[1] = (unsigned long)h[4];
  pr->shown = (size_t)h[5];
  pr->hidden = (size_t)h[6];
  *out = pr;
  return MTPORT_OK;
}

/* Appends part @i (0 body, 1 extended body) of the post as Markdown: from
 * @pr when prepare() made it, else converted here. */
static int S_body_part(S_state *st, const mtport_post *p, mtport_buf *out,
                       int i, const S_prepared *pr) {
  const mtport_text *t = i ? &p->more : &p->body;
  const char *what = i ? "extended body" : "body";
  if (S_empty(t->text))
    return MTPORT_OK;
  if (!mtport_text_filter_supported(t))
    S_diag(st, p, MTPORT_SEV_WARNING, "unknown-filter",
           "the %s uses the text filter '%s', kept as raw text", what,
           t->filter ? t->filter : "?");
  int rc = MTPORT_OK;
  unsigned long diffs;
  if (pr) {
    diffs = pr->diffs[i];
    rc = mtport_buf_append(out, pr->part[i].data ? pr->part[i].data : "",
                           pr->part[i].len);
  } else
    rc = S_convert_part(st->flavor, p, t, out, &diffs);
  if (!rc && diffs)
    S_diag(st, p, MTPORT_SEV_WARNING, "md-difference",
           "the %s's Markdown differs from its HTML in %lu place(s)", what,
           diffs);
  return rc;
}

/* ---- old URLs ----------------------------------------------------------- */

/* The URL path the new site serves @slug at (with the base path). */
static int S_new_url(S_state *st, const mtport_post *p, const char *slug,
                     mtport_buf *out) {
  int page = p->kind == MTPORT_KIND_PAGE;
  int rc = mtport_buf_puts(out, st->base_path);
  if (!rc && !page)
    rc = mtport_buf_puts(out, st->flavor == SITE_HUGO ? st->section : "posts");
  if (!rc && !page)
    rc = mtport_buf_putc(out, '/');
  if (rc)
    return rc;
  rc = S_put_url_path(out, slug); /* Jekyll's :title keeps it as is */
  if (!rc)
    rc = mtport_buf_putc(out, '/');
  return rc;
}

/* Adds one line to the redirects file. */
static int S_redirect_line(S_state *st, const char *old, const char *new_url) {
  static const char *const fmt[] = {"%s %s 301\n", /* netlify */
                                    "location = %s { return 301 %s; }\n",
                                    "Redirect 301 %s %s\n"};
  const char *f = fmt[st->redirects_format];
  if (st->redirect_file)
    return fprintf(st->redirect_file, f, old, new_url) < 0 ? MTPORT_EIO
                                                           : MTPORT_OK;
  return mtport_buf_printf(&st->redirect_lines, f, old, new_url);
}

/* Works out the post's old URL: *alias gets the site-relative path when
 * the flavor's alias mechanism can serve it; the redirects file gets a
 * line; anything that cannot be redirected is reported. */
static int S_old_url(S_state *st, const mtport_post *p, const char *slug,
                     char **alias) {
  *alias = NULL;
  if (S_empty(p->permalink))
    return MTPORT_OK;
  const char *pl = p->permalink;
  char *path = S_path_of(pl);
  if (!path) {
    S_diag(st, p, MTPORT_SEV_WARNING, "old-url-unusable",
           "the old URL '%s' is not absolute: no redirect written", pl);
    return MTPORT_OK;
  }
  int rc = MTPORT_OK;
  if (strchr(pl, '#') || strchr(pl, '?')) {
    S_diag(st, p, MTPORT_SEV_WARNING, "old-url-fragment",
           "the old URL '%s' has a %s: no page can redirect it", pl,
           strchr(pl, '#') ? "fragment" : "query");
    free(path);
    return MTPORT_OK;
  }
  mtport_buf nu = MTPORT_BUF_INIT, rel = MTPORT_BUF_INIT,
             oldenc = MTPORT_BUF_INIT;
  rc = S_new_url(st, p, slug, &nu);
  /* the path relative to the new site's root: the base path is the site */
  size_t bl = strlen(st->base_path);
  const char *r = path;
  if (strncmp(path, st->base_path, bl) == 0)
    r = path + bl - 1; /* keep the leading '/' */
  if (!rc)
    rc = S_put_decoded_path(&rel, r);
  if (!rc)
    rc = S_put_url_path(&oldenc, path);
  int same = !rc && strcmp(oldenc.data, nu.data) == 0;
  if (!rc && !same && *path) {
    /* Hugo serves "/x/", "/x.html" and "/x" (as /x/index.html, which
     * servers reach by a slash redirect) but turns "/x.php" into a folder;
     * jekyll-redirect-from keeps any extension */
    size_t n = strlen(path);
    const char *last = strrchr(path, '/');
    int servable = st->flavor == SITE_JEKYLL || path[n - 1] == '/' ||
                   (n > 5 && strcmp(path + n - 5, ".html") == 0) ||
                   !strchr(last ? last : path, '.');
    int has = servable ? S_set_has(&st->aliased, rel.data) : 0;
    if (has < 0)
      rc = has;
    else if (has)
      S_diag(st, p, MTPORT_SEV_WARNING, "old-url-duplicate",
             "another entry already has the old URL '%s' as alias", path);
    else if (servable) {
      rc = S_set_add(&st->aliased, rel.data);
      if (!rc && !(*alias = mtport_buf_detach(&rel)))
        rc = MTPORT_ENOMEM;
    }
    if (!rc && st->redirects) {
      has = S_set_has(&st->redirected, oldenc.data);
      if (has < 0)
        rc = has;
      else if (has)
        S_diag(st, p, MTPORT_SEV_WARNING, "old-url-duplicate",
               "another entry already redirects '%s'", path);
      else if (!(rc = S_set_add(&st->redirected, oldenc.data)))
        rc = S_redirect_line(st, oldenc.data, nu.data);
    } else if (!rc && !servable) {
      st->n_unserved++;
      S_diag(st, p, MTPORT_SEV_WARNING, "old-url-unserved",
             "Hugo aliases cannot serve '%s': give --redirects FILE to "
             "redirect it",
             path);
    }
  }
  mtport_buf_dispose(&nu);
  mtport_buf_dispose(&rel);
  mtport_buf_dispose(&oldenc);
  free(path);
  return rc;
}

/* ---- comments ----------------------------------------------------------- */

static const char *S_comment_kind(mtport_comment_kind k) {
  return k == MTPORT_TRACKBACK  ? "trackback"
         : k == MTPORT_PINGBACK ? "pingback"
                                : "comment";
}

/* The data key of the post's comments: the slug, or for Jekyll (whose
 * data reader drops non-ASCII from file names) a hex form of it. */
static int S_comments_key(S_state *st, const char *slug, mtport_buf *key) {
  int ascii = 1;
  for (const char *s = slug; *s; s++)
    if ((unsigned char)*s >= 0x80)
      ascii = 0;
  if (ascii || st->flavor == SITE_HUGO)
    return mtport_buf_puts(key, slug);
  int rc = mtport_buf_puts(key, "u");
  for (const unsigned char *s = (const unsigned char *)slug; *s && !rc; s++)
    rc = mtport_buf_printf(key, "%02x", *s);
  return rc;
}

/* Writes the post's comments data file; *written says whether one was. */
/* The comments data file of @p into @b: built from the post alone, so
 * prepare() can make it on a worker thread. */
static int S_comments_doc(int keep_private, const mtport_post *p, mtport_buf *b,
                          size_t *shown, size_t *hidden) {
  mtport_buf html = MTPORT_BUF_INIT, txt = MTPORT_BUF_INIT;
  S_yaml y;
  S_yaml_begin(&y, b, 1);
  *shown = *hidden = 0;
  int rc = MTPORT_OK;
  for (size_t i = 0; i < p->n_comments && !rc; i++) {
    const mtport_comment *c = &p->comments[i];
    if ((c->junk || !c->approved) && !keep_private) {
      ++*hidden; /* pending and junk comments stay private */
      continue;
    }
    ++*shown;
    S_yaml_map(&y, 1);
    if (!S_empty(c->id))
      S_yaml_kv(&y, "id", c->id);
    if (!S_empty(c->parent_id))
      S_yaml_kv(&y, "parent", c->parent_id);
    S_yaml_kv(&y, "type", S_comment_kind(c->kind));
    rc = rc ? rc : S_plain(&txt, c->author.name); /* pings: "A &raquo; B" */
    S_yaml_kv(&y, "author", txt.data);
    if (!S_empty(c->author.url))
      S_yaml_kv(&y, "url", c->author.url);
    if (keep_private && !S_empty(c->author.email))
      S_yaml_kv(&y, "email", c->author.email);
    if (keep_private && !S_empty(c->ip))
      S_yaml_kv(&y, "ip", c->ip);
    if (!S_empty(c->title)) {
      rc = S_plain(&txt, c->title);
      S_yaml_kv(&y, "title", txt.data);
    }
    S_yaml_date(&y, "date", &c->date);
    if (keep_private) {
      S_yaml_kplain(&y, "approved", c->approved ? "true" : "false");
      S_yaml_kplain(&y, "junk", c->junk ? "true" : "false");
    }
    mtport_buf_clear(&html);
    if (!rc)
      rc = mtport_text_to_html(&html, &c->body, NULL);
    S_yaml_kv(&y, "body_html", html.data ? html.data : "");
    S_yaml_map(&y, 0);
  }
  int e = S_yaml_end(&y, 1);
  mtport_buf_dispose(&html);
  mtport_buf_dispose(&txt);
  return rc ? rc : e;
}

/* Writes the comments data file (@doc when prepare() made it). */
static int S_comments(S_state *st, const mtport_post *p, const char *key,
                      int *written, const mtport_buf *doc, size_t shown,
                      size_t hidden) {
  *written = 0;
  if (st->no_comments || !p->n_comments)
    return MTPORT_OK;
  mtport_buf b = MTPORT_BUF_INIT;
  int rc = MTPORT_OK;
  if (!doc) {
    rc = S_comments_doc(st->keep_private, p, &b, &shown, &hidden);
    doc = &b;
  }
  st->n_private_comments += hidden;
  if (!rc && shown) {
    mtport_buf path = MTPORT_BUF_INIT;
    rc = mtport_buf_printf(&path, "%s/%s.%s",
                           st->flavor == SITE_HUGO ? "data/comments"
                                                   : "_data/comments",
                           key, st->flavor == SITE_HUGO ? "yaml" : "yml");
    if (!rc)
      rc = S_write(st, path.data, doc);
    mtport_buf_dispose(&path);
    *written = rc == MTPORT_OK;
  }
  mtport_buf_dispose(&b);
  return rc;
}

/* ---- one post ----------------------------------------------------------- */

static int S_is_draft(const mtport_post *p) {
  return p->status != MTPORT_STATUS_PUBLISH &&
         p->status != MTPORT_STATUS_UNKNOWN;
}

/* Writes the front matter of @p into @out, between "---" lines. */
static int S_front_matter(S_state *st, const mtport_post *p, const char *slug,
                          const char *alias, const char *comments_key,
                          mtport_buf *out) {
  int jekyll = st->flavor == SITE_JEKYLL;
  int page = p->kind == MTPORT_KIND_PAGE;
  mtport_buf fm = MTPORT_BUF_INIT, txt = MTPORT_BUF_INIT;
  S_yaml y;
  S_yaml_begin(&y, &fm, 0);
  int rc = S_plain(&txt, p->title);
  S_yaml_kv(&y, "title", txt.data);
  S_yaml_date(&y, "date", &p->published);
  if (p->updated.has_date && (!p->published.has_date ||
                              mtport_time_cmp(&p->updated, &p->published) != 0))
    S_yaml_date(&y, jekyll ? "last_modified_at" : "lastmod", &p->updated);
  if (S_is_draft(p)) {
    if (!jekyll)
      S_yaml_kplain(&y, "draft", "true");
    S_yaml_kv(&y, "mt_status", mtport_status_name(p->status));
  }
  S_yaml_kv(&y, "slug", slug);
  if (jekyll && page) {
    mtport_buf u = MTPORT_BUF_INIT;
    rc = rc ? rc : mtport_buf_printf(&u, "/%s/", slug);
    S_yaml_kv(&y, "permalink", u.data);
    mtport_buf_dispose(&u);
  }
  if (p->n_tags) {
    S_yaml_plain(&y, "tags");
    S_yaml_seq(&y, 1);
    for (size_t i = 0; i < p->n_tags; i++)
      S_yaml_str(&y, p->tags[i].name);
    S_yaml_seq(&y, 0);
  }
  if (p->n_categories) {
    S_yaml_plain(&y, "categories");
    S_yaml_seq(&y, 1);
    for (size_t i = 0; i < p->n_categories; i++)
      S_yaml_str(&y, p->categories[i].name);
    S_yaml_seq(&y, 0);
  }
  if (p->n_authors && !S_empty(p->authors[0].name))
    S_yaml_kv(&y, "author", p->authors[0].name);
  if (!S_empty(p->excerpt.text)) {
    mtport_buf h = MTPORT_BUF_INIT;
    if (!rc)
      rc = mtport_text_to_html(&h, &p->excerpt, NULL);
    if (!rc)
      rc = S_plain(&txt, h.data);
    mtport_buf_dispose(&h);
    S_yaml_kv(&y, jekyll ? "excerpt" : "summary", txt.data);
  }
  if (jekyll && !S_empty(p->more.text))
    S_yaml_kv(&y, "excerpt_separator", "<!--more-->");
  if (alias) {
    S_yaml_plain(&y, jekyll ? "redirect_from" : "aliases");
    S_yaml_seq(&y, 1);
    S_yaml_str(&y, alias);
    S_yaml_seq(&y, 0);
  }
  if (comments_key)
    S_yaml_kv(&y, "mt_comments", comments_key);
  if (p->entry_id > 0) {
    char id[32];
    snprintf(id, sizeof id, "%lld", p->entry_id);
    S_yaml_kplain(&y, "mt_id", id);
  }
  if (!S_empty(p->basename))
    S_yaml_kv(&y, "mt_basename", p->basename);
  if (!S_empty(p->permalink))
    S_yaml_kv(&y, "mt_permalink", p->permalink);
  int e = S_yaml_end(&y, 0);
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

/* The file a post goes to, below the site root. */
static int S_post_path(S_state *st, const mtport_post *p, const char *slug,
                       mtport_buf *path) {
  int page = p->kind == MTPORT_KIND_PAGE;
  if (st->flavor == SITE_HUGO) {
    const char *dir = page ? "" : st->section;
    return mtport_buf_printf(path, "content/%s%s%s%s", dir, page ? "" : "/",
                             slug, st->bundle ? "/index.md" : ".md");
  }
  if (page)
    return mtport_buf_printf(path, "%s.md", slug);
  const mtport_time *t = p->published.has_date ? &p->published : &p->updated;
  if (S_is_draft(p) || !t->has_date)
    return mtport_buf_printf(path, "_drafts/%s.md", slug);
  mtport_tm tm;
  mtport_time_local(t, &tm); /* the day in the entry's own offset */
  return mtport_buf_printf(path, "_posts/%04d-%02d-%02d-%s.md", tm.year,
                           tm.month, tm.day, slug);
}

int mtport__site_entry(void *state, const mtport_post *p) {
  return mtport__site_entry_prepared(state, p, NULL);
}

int mtport__site_entry_prepared(void *state, const mtport_post *p,
                                const void *prepared) {
  S_state *st = state;
  const S_prepared *pr = prepared;
  char *slug = S_slug_for(st, p);
  if (!slug)
    return MTPORT_ENOMEM;
  if (st->flavor == SITE_JEKYLL && p->kind == MTPORT_KIND_POST &&
      !S_is_draft(p) && !p->published.has_date && !p->updated.has_date)
    S_diag(st, p, MTPORT_SEV_WARNING, "no-date",
           "the entry has no date: written to _drafts, which Jekyll builds "
           "only with --drafts");
  char *alias = NULL;
  mtport_buf key = MTPORT_BUF_INIT, out = MTPORT_BUF_INIT,
             path = MTPORT_BUF_INIT;
  int has_comments = 0;
  int rc = S_old_url(st, p, slug, &alias);
  if (!rc)
    rc = S_comments_key(st, slug, &key);
  if (!rc)
    rc = S_comments(st, p, key.data, &has_comments, pr ? &pr->comments : NULL,
                    pr ? pr->shown : 0, pr ? pr->hidden : 0);
  if (!rc)
    rc = S_front_matter(st, p, slug, alias, has_comments ? key.data : NULL,
                        &out);
  if (!rc)
    rc = S_body_part(st, p, &out, 0, pr);
  if (!rc && !S_empty(p->more.text)) {
    rc = mtport_buf_puts(&out, "\n\n<!--more-->\n\n");
    if (!rc)
      rc = S_body_part(st, p, &out, 1, pr);
  }
  if (!rc && out.len && out.data[out.len - 1] != '\n')
    rc = mtport_buf_putc(&out, '\n');
  if (!rc)
    rc = S_post_path(st, p, slug, &path);
  if (!rc)
    rc = S_write(st, path.data, &out);
  free(slug);
  free(alias);
  mtport_buf_dispose(&key);
  mtport_buf_dispose(&out);
  mtport_buf_dispose(&path);
  S_spool_report(st, p, rc);
  /* a file that exists or a path refused is this entry's problem (already
   * reported); the run goes on */
  if (rc == MTPORT_EEXISTS || rc == MTPORT_EUNSAFE)
    return MTPORT_SKIPPED;
  return rc;
}

int mtport__site_end(void *state, int status) {
  S_state *st = state;
  int rc = MTPORT_OK;
  if (status == MTPORT_OK && st->redirects && !st->redirect_file)
    rc = st->io.write_path(st->io.payload, st->redirects,
                           st->redirect_lines.data ? st->redirect_lines.data
                                                   : "",
                           st->redirect_lines.len);
  if (status == MTPORT_OK && st->n_private_comments)
    S_diag(st, NULL, MTPORT_SEV_NOTE, "comments-private",
           "%lu pending or junk comment(s) left out (--keep-private keeps "
           "them)",
           st->n_private_comments);
  S_free_state(st);
  return rc;
}

/* ---- the run's context as io -------------------------------------------- */

static int S_ctx_write(void *payload, const char *rel, const char *data,
                       size_t len) {
  return mtport_ctx_write_file(payload, rel, data, len);
}
static int S_ctx_write_path(void *payload, const char *path, const char *data,
                            size_t len) {
  return mtport_ctx_write_path(payload, path, data, len);
}
static const char *S_ctx_option(void *payload, const char *key) {
  return mtport_ctx_option(payload, key);
}
static void S_ctx_diag(void *payload, const mtport_post *post,
                       mtport_severity sev, const char *code, const char *msg) {
  mtport_ctx_diag(payload, post, sev, code, "%s", msg);
}
static int S_ctx_open_path(void *payload, const char *path, FILE **out) {
  return mtport_ctx_open_path(payload, path, out);
}

site_io mtport__site_ctx_io(mtport_ctx *ctx) {
  site_io io = {ctx,          S_ctx_write, S_ctx_write_path,
                S_ctx_option, S_ctx_diag,  S_ctx_open_path};
  return io;
}

int mtport__site_vt_prepass(mtport_ctx *ctx, void *state,
                            const mtport_post *post) {
  return mtport__site_prepass(state, post);
}

int mtport__site_vt_prepass_done(mtport_ctx *ctx, void *state) {
  return mtport__site_prepass_done(state);
}

int mtport__site_vt_entry(mtport_ctx *ctx, void *state,
                          const mtport_post *post) {
  return mtport__site_entry_prepared(state, post, mtport_ctx_prepared(ctx));
}

int mtport__site_vt_end(mtport_ctx *ctx, void *state, int status) {
  return mtport__site_end(state, status);
}
