/* The downloader behind --fetch-assets: a thread of its own drives
 * libcurl's multi interface, so downloads never run on the thread that
 * writes posts; the callers submit wants and read results (fetch.h).
 *
 * Per URL, a job: looked up in the cache first, then requested with each
 * redirect checked by hand (libcurl never follows one itself), retried with
 * backoff on 429, 5xx and network errors, streamed to a temporary file in
 * the cache under the size cap, typed by its content and committed. Per
 * want, its candidates are tried in order, a pop-up page giving way to the
 * image it shows. All of it runs on the fetcher's thread, which alone
 * touches jobs, transfers, the cache and libmagic; the lock guards only
 * what callers see: the inbox, the wants' table and the counts. */
#include "fetch.h"
#include "core/core.h"
#include "html2md/html2md.h"
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <libxml/HTMLparser.h>
#include <magic.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define S_MAX_REDIRECTS 5
#define S_HEAD 65536            /* bytes libmagic sees */
#define S_DISCARD_MAX (1 << 20) /* body of a response that is not the file */
#define S_PAGE_MAX (2 << 20)    /* a pop-up page read for its image */
#define S_ADMIT 256             /* wants taken in per turn of the loop */
#define S_PROGRESS_MS 100

enum { S_QUEUED, S_RUNNING, S_BACKOFF, S_DONE };

typedef struct S_job S_job;
typedef struct S_want S_want;

struct S_want {
  size_t id;
  mtport_fetch_candidate *cands; /* urls owned */
  size_t n, cur;
  int stage;    /* 0: the candidate; 1: the image its page shows */
  char *shown;  /* stage 1: that image's URL */
  S_job *job;   /* waited on */
  S_want *next; /* in the inbox, then in a job's waiters */
  int finished; /* ok: no more candidates to try */
  unsigned notes_n;
  mtport_buf notes; /* "url: why" of candidates that did not do */
  /* the outcome the result shows */
  mtport_fetch__record out;
  mtport_fetch_source source;
  char *path;
  /* under the lock */
  int done, released;
  mtport_fetch_result res;
};

struct S_job {
  char *url;
  char key[65];
  S_job *hnext; /* in the index */
  S_job *qnext; /* in the queue or the backoff list */
  unsigned refs;
  S_want *waiters;
  int state;
  mtport_fetch__record rec; /* the outcome, once S_DONE */
  mtport_fetch__record cached;
  int have_cached; /* revalidating cached */
  /* the transfer */
  mtport_fetch *f;
  CURL *easy;
  struct curl_slist *hdrs;
  mtport_fetch__part *part;
  char *chain[S_MAX_REDIRECTS + 1]; /* URLs of this try, last one current */
  unsigned hops, attempt;
  int64_t due;
  long status;
  int body_ok, too_large, io_err;
  int64_t last_byte; /* when the last byte came (or the request began) */
  int stalled;       /* aborted for want of a byte for stall_s */
  uint64_t discarded;
  unsigned char *head;
  size_t head_len;
};

struct mtport_fetch {
  mtport_fetch_options o; /* strings are the copies below */
  char *cache_dir, *ua, **hosts;
  mtport_fetch__cache *cache;
  uint64_t run;
  magic_t magic;
  CURLM *multi;
  pthread_t th;
  int th_started;
  pthread_mutex_t mu;
  pthread_cond_t cv; /* a want is done */
  /* under mu */
  S_want **wants;
  size_t n_wants, cap_wants;
  S_want *inbox, *inbox_tail;
  int stop;
  mtport_fetch_stats st;
  /* the thread's own */
  S_job **index;
  size_t index_size, index_n;
  S_job *queue, *queue_tail, *backoff;
  unsigned running;
  uint64_t bytes, requests;
  int64_t progress_at;
  uint64_t progress_done;
};

static int64_t S_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static CURLcode S_curl_init;
static void S_global(void) {
  S_curl_init = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void mtport_fetch__options_init(mtport_fetch_options *o) {
  memset(o, 0, sizeof *o);
  o->jobs = 4;
  o->retries = 3;
  o->connect_ms = 15000;
  o->stall_s = 30;
  o->max_size = (uint64_t)200 << 20;
  o->backoff_ms = 500;
  o->backoff_max_ms = 30000;
  o->retry_after_max_s = 60;
}

/* ---- policy: hosts, URLs, retries ------------------------------------- */

/* Splits a host entry into host and port (-1: any). */
static void S_split_entry(const char *e, const char **h, size_t *hn,
                          long *port) {
  const char *colon = NULL;
  *port = -1;
  if (*e == '[') {
    const char *close = strchr(e, ']');
    if (close && close[1] == ':')
      colon = close + 1;
  } else {
    colon = strrchr(e, ':');
    if (colon && strchr(e, ':') != colon)
      colon = NULL; /* a bare IPv6 address */
  }
  *h = e;
  *hn = colon ? (size_t)(colon - e) : strlen(e);
  if (colon && colon[1]) {
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (!*end && p > 0 && p < 65536)
      *port = p;
  }
}

int mtport_fetch__host_allowed(const char *const *hosts, size_t n,
                               const char *host, long port) {
  size_t len = strlen(host);
  for (size_t i = 0; i < n; i++) {
    const char *h;
    size_t hn;
    long p;
    if (!hosts[i] || !*hosts[i])
      continue;
    S_split_entry(hosts[i], &h, &hn, &p);
    if (p >= 0 && p != port)
      continue;
    if (hn > 2 && h[0] == '*' && h[1] == '.') {
      /* any subdomain: "x.example.com" for "*.example.com" */
      size_t sn = hn - 1; /* ".example.com" */
      if (len > sn && strncasecmp(host + len - sn, h + 1, sn) == 0)
        return 1;
    } else if (hn == len && strncasecmp(host, h, hn) == 0)
      return 1;
  }
  return 0;
}

static int S_check_url(const char *url, const char *const *hosts,
                       size_t n_hosts, int (*allow)(const char *, void *),
                       void *payload, mtport_buf *out, mtport_buf *why);

int mtport_fetch__check_url(const char *url, const char *const *hosts,
                            size_t n_hosts, mtport_buf *out, mtport_buf *why) {
  return S_check_url(url, hosts, n_hosts, NULL, NULL, out, why);
}

/* The authority of normalized @u after its scheme: *n bytes from the
 * return value. */
static const char *S_authority(const char *u, size_t *n) {
  const char *a = strstr(u, "://");
  a = a ? a + 3 : u;
  *n = strcspn(a, "/?#");
  return a;
}

int mtport_fetch__upgrade(const char *from, const char *to) {
  if (strncmp(from, "http://", 7) != 0 || strncmp(to, "https://", 8) != 0)
    return 0;
  size_t fn, tn;
  const char *fa = S_authority(from, &fn), *ta = S_authority(to, &tn);
  /* a port written out is not a default one (the URLs are normalized) */
  return fn == tn && memcmp(fa, ta, fn) == 0 && fa[0] != '[' &&
         !memchr(fa, ':', fn);
}

static int S_check_url(const char *url, const char *const *hosts,
                       size_t n_hosts, int (*allow)(const char *, void *),
                       void *payload, mtport_buf *out, mtport_buf *why) {
  mtport_buf_clear(out);
  mtport_buf_clear(why);
  CURLU *u = curl_url();
  if (!u)
    return MTPORT_ENOMEM;
  char *scheme = NULL, *user = NULL, *host = NULL, *port = NULL, *s = NULL;
  int rc = MTPORT_EINVALID;
  CURLUcode uc = curl_url_set(u, CURLUPART_URL, url, CURLU_URLENCODE);
  if (uc == CURLUE_OUT_OF_MEMORY)
    rc = MTPORT_ENOMEM;
  else if (uc == CURLUE_UNSUPPORTED_SCHEME)
    mtport_buf_puts(why, "not an http or https URL");
  else if (uc)
    mtport_buf_printf(why, "not a usable URL (%s)", curl_url_strerror(uc));
  else if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) ||
           (strcmp(scheme, "http") && strcmp(scheme, "https")))
    mtport_buf_printf(why, "not an http or https URL (%s)",
                      scheme ? scheme : "no scheme");
  else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK)
    mtport_buf_puts(why, "a URL with credentials");
  else if (curl_url_get(u, CURLUPART_HOST, &host, 0) ||
           curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT))
    mtport_buf_puts(why, "a URL without a host");
  else {
    for (char *p = host; *p; p++)
      if (*p >= 'A' && *p <= 'Z')
        *p = (char)(*p - 'A' + 'a');
    if (curl_url_set(u, CURLUPART_HOST, host, 0) ||
        curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) ||
        curl_url_get(u, CURLUPART_URL, &s, CURLU_NO_DEFAULT_PORT))
      rc = MTPORT_ENOMEM;
    else if (!mtport_fetch__host_allowed(hosts, n_hosts, host, atol(port)) &&
             !(allow && allow(s, payload)))
      mtport_buf_printf(why, "host not allowed (%s)", host);
    else
      rc = mtport_buf_puts(out, s) ? MTPORT_ENOMEM : MTPORT_OK;
  }
  curl_free(scheme);
  curl_free(user);
  curl_free(host);
  curl_free(port);
  curl_free(s);
  curl_url_cleanup(u);
  if (rc == MTPORT_EINVALID && !why->len)
    rc = MTPORT_ENOMEM; /* the sentence itself failed */
  return rc;
}

long mtport_fetch__backoff_ms(const mtport_fetch_options *o, unsigned attempt,
                              long retry_after_s) {
  if (retry_after_s > o->retry_after_max_s)
    return -1;
  long d = o->backoff_ms > 0 ? o->backoff_ms : 0;
  for (unsigned i = 1; i < attempt && d < o->backoff_max_ms; i++)
    d *= 2;
  if (d > o->backoff_max_ms)
    d = o->backoff_max_ms;
  if (retry_after_s > 0 && retry_after_s * 1000 > d)
    d = retry_after_s * 1000;
  return d;
}

/* ---- types ------------------------------------------------------------ */

/* Types we name files for; the first extension is the one given. */
static const struct {
  const char *mime, *exts;
} S_types[] = {
    {"image/jpeg", "jpg jpeg jpe jfif"},
    {"image/png", "png"},
    {"image/gif", "gif"},
    {"image/webp", "webp"},
    {"image/svg+xml", "svg"},
    {"image/bmp", "bmp"},
    {"image/tiff", "tif tiff"},
    {"image/vnd.microsoft.icon", "ico"},
    {"image/avif", "avif"},
    {"image/heic", "heic"},
    {"image/heif", "heif"},
    {"image/jxl", "jxl"},
    {"image/vnd.adobe.photoshop", "psd"},
    {"application/pdf", "pdf"},
    {"application/zip", "zip"},
    {"application/gzip", "gz"},
    {"application/x-shockwave-flash", "swf"},
    {"application/msword", "doc"},
    {"application/vnd.ms-excel", "xls"},
    {"application/vnd.ms-powerpoint", "ppt pps"},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "docx"},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "xlsx"},
    {"application/vnd.openxmlformats-officedocument.presentationml."
     "presentation",
     "pptx"},
    {"application/vnd.oasis.opendocument.text", "odt"},
    {"application/epub+zip", "epub"},
    {"application/rtf", "rtf"},
    {"audio/mpeg", "mp3"},
    {"audio/mp4", "m4a"},
    {"audio/ogg", "ogg oga"},
    {"audio/wav", "wav"},
    {"audio/flac", "flac"},
    {"audio/midi", "mid midi"},
    {"video/mp4", "mp4 m4v"},
    {"video/quicktime", "mov qt"},
    {"video/webm", "webm"},
    {"video/x-flv", "flv"},
    {"video/x-msvideo", "avi"},
    {"video/mpeg", "mpg mpeg"},
    {"video/x-ms-asf", "wmv asf"},
    {"video/3gpp", "3gp"},
    {"text/html", "html htm"},
    {"application/xhtml+xml", "xhtml"},
    {"text/css", "css"},
    {"application/javascript", "js"},
    {"application/json", "json"},
    {"application/xml", "xml"},
    {"text/plain", "txt"},
    {"text/csv", "csv"},
};

/* Other names servers and libmagic use for the types above. */
static const struct {
  const char *alias, *mime;
} S_aliases[] = {
    {"image/jpg", "image/jpeg"},
    {"image/pjpeg", "image/jpeg"},
    {"image/x-png", "image/png"},
    {"image/x-ms-bmp", "image/bmp"},
    {"image/x-bmp", "image/bmp"},
    {"image/x-icon", "image/vnd.microsoft.icon"},
    {"image/svg", "image/svg+xml"},
    {"application/x-gzip", "application/gzip"},
    {"application/x-javascript", "application/javascript"},
    {"text/javascript", "application/javascript"},
    {"text/xml", "application/xml"},
    {"text/rtf", "application/rtf"},
    {"audio/x-wav", "audio/wav"},
    {"audio/x-m4a", "audio/mp4"},
    {"audio/x-flac", "audio/flac"},
    {"application/x-pdf", "application/pdf"},
};

/* Extensions a web server may run or a browser may treat as a page: never
 * taken from a URL for a file of another type. */
static const char *const S_risky[] = {
    "php",      "php3", "php4", "php5", "phtml", "cgi",
    "pl",       "py",   "asp",  "aspx", "jsp",   "shtml",
    "htaccess", "exe",  "sh",   "html", "htm",   "xhtml"};

/* Lower case, without parameters or spaces; NULL when not "a/b". */
static char *S_mime_norm(const char *s) {
  if (!s)
    return NULL;
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strcspn(s, "; \t");
  char *m = mtport__strndup(s, n);
  if (!m)
    return NULL;
  int slash = 0;
  for (char *p = m; *p; p++) {
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
    if (*p == '/')
      slash++;
    else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
               strchr("+-._", *p)))
      slash = 9;
  }
  if (slash != 1 || n < 3 || n > 100 || m[0] == '/' || m[n - 1] == '/') {
    free(m);
    return NULL;
  }
  for (size_t i = 0; i < sizeof S_aliases / sizeof *S_aliases; i++)
    if (!strcmp(m, S_aliases[i].alias)) {
      free(m);
      return mtport__strdup(S_aliases[i].mime);
    }
  return m;
}

static int S_type_index(const char *mime) {
  for (size_t i = 0; mime && i < sizeof S_types / sizeof *S_types; i++)
    if (!strcmp(mime, S_types[i].mime))
      return (int)i;
  return -1;
}

static int S_ext_in(const char *exts, const char *ext) {
  size_t n = strlen(ext);
  for (const char *p = exts; *p;) {
    size_t k = strcspn(p, " ");
    if (k == n && !memcmp(p, ext, n))
      return 1;
    p += k;
    while (*p == ' ')
      p++;
  }
  return 0;
}

/* The lower-cased extension of the URL's last path segment, into @ext
 * (at least 11 bytes); "" when it has none of [a-z0-9]{1,10}. */
static void S_url_ext(const char *url, char *ext) {
  ext[0] = '\0';
  const char *p = strstr(url, "://");
  p = p ? strchr(p + 3, '/') : NULL;
  if (!p)
    return;
  size_t end = strcspn(p, "?#");
  const char *seg = p;
  for (size_t i = 0; i < end; i++)
    if (p[i] == '/')
      seg = p + i + 1;
  const char *dot = NULL;
  for (const char *q = seg; q < p + end; q++)
    if (*q == '.')
      dot = q;
  if (!dot || dot == seg)
    return;
  size_t n = (size_t)(p + end - dot - 1);
  if (n < 1 || n > 10)
    return;
  for (size_t i = 0; i < n; i++) {
    char c = dot[1 + i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      ext[0] = '\0';
      return;
    }
    ext[i] = c;
  }
  ext[n] = '\0';
}

/* Types libmagic cannot tell from text/plain: the server's word counts. */
static int S_textual(const char *m) {
  return m &&
         (!strncmp(m, "text/", 5) || !strcmp(m, "application/json") ||
          !strcmp(m, "application/javascript") ||
          !strcmp(m, "application/xml") ||
          !strcmp(m, "application/xhtml+xml") || !strcmp(m, "image/svg+xml"));
}

/* Says nothing: absent, empty or "some bytes". */
static int S_generic(const char *m) {
  return !m || !strcmp(m, "application/octet-stream") ||
         !strcmp(m, "inode/x-empty") || !strcmp(m, "application/x-empty") ||
         !strcmp(m, "binary/octet-stream");
}

/* Formats that are a zip or an OLE file inside: libmagic may say only
 * that, the server or the URL more. */
static int S_container(const char *sniffed, const char *other) {
  if (!other || S_generic(other))
    return 0;
  if (!strcmp(sniffed, "application/zip"))
    return !strncmp(other, "application/vnd.", 16) ||
           !strcmp(other, "application/epub+zip");
  if (!strcmp(sniffed, "application/x-ole-storage") ||
      !strcmp(sniffed, "application/cdfv2"))
    return !strcmp(other, "application/msword") ||
           !strncmp(other, "application/vnd.ms-", 19);
  return 0;
}

int mtport_fetch__decide_type(const char *sniffed, const char *ctype,
                              const char *url, char **mime, char **ext) {
  *mime = *ext = NULL;
  char uext[11];
  S_url_ext(url ? url : "", uext);
  char *sn = S_mime_norm(sniffed), *ct = S_mime_norm(ctype);
  const char *umime = NULL;
  for (size_t i = 0; *uext && !umime && i < sizeof S_types / sizeof *S_types;
       i++)
    if (S_ext_in(S_types[i].exts, uext))
      umime = S_types[i].mime;
  const char *m;
  if (sn && !S_generic(sn) && !S_textual(sn)) {
    /* a signature in the bytes: what the file is, whatever it is called */
    m = S_container(sn, ct) ? ct : S_container(sn, umime) ? umime : sn;
  } else if (sn && S_textual(sn)) {
    /* text: libmagic knows HTML, SVG and XML but not CSS or scripts, and a
     * server calling text an image is wrong (an error page) */
    if (!strcmp(sn, "image/svg+xml") || !strcmp(sn, "text/html"))
      m = S_textual(ct) && strcmp(ct, "text/plain") ? ct : sn;
    else
      m = S_textual(ct) ? ct : S_textual(umime) ? umime : sn;
  } else {
    m = ct && !S_generic(ct) ? ct : umime ? umime : "application/octet-stream";
  }
  *mime = mtport__strdup(m);
  int t = S_type_index(m);
  int risky = 0;
  for (size_t i = 0; *uext && i < sizeof S_risky / sizeof *S_risky; i++)
    risky |= !strcmp(uext, S_risky[i]);
  if (t >= 0 && *uext && S_ext_in(S_types[t].exts, uext))
    *ext = mtport__strdup(uext); /* the URL's own spelling: jpeg stays */
  else if (t >= 0)
    *ext = mtport__strndup(S_types[t].exts, strcspn(S_types[t].exts, " "));
  else
    *ext = mtport__strdup(*uext && !risky ? uext : "bin");
  free(sn);
  free(ct);
  if (!*mime || !*ext) {
    free(*mime);
    free(*ext);
    *mime = *ext = NULL;
    return MTPORT_ENOMEM;
  }
  return MTPORT_OK;
}

/* ---- pop-up pages ----------------------------------------------------- */

/* 1 when a class of @cls starts with @prefix. */
static int S_has_class(const char *cls, const char *prefix) {
  for (const char *p = cls; (p = strstr(p, prefix)); p++)
    if (p == cls || strchr(" \t\r\n", p[-1]))
      return 1;
  return 0;
}

static char *S_trimmed(const xmlChar *v) {
  const char *s = (const char *)v;
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
    s++;
  size_t n = strlen(s);
  while (n && strchr(" \t\n\r", s[n - 1]))
    n--;
  return mtport__strndup(s, n);
}

char *mtport_fetch__page_image(const char *html, size_t n, const char *base,
                               int *oom) {
  *oom = 0;
  if (n > S_PAGE_MAX)
    return NULL;
  mtport_md__init();
  htmlDocPtr doc = htmlReadMemory(html, (int)n, NULL, NULL,
                                  HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                      HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  if (!doc)
    return NULL;
  char *href = NULL, *first = NULL, *best = NULL;
  xmlNodePtr node = xmlDocGetRootElement(doc);
  /* document order, iteratively */
  while (node && !best && !*oom) {
    if (node->type == XML_ELEMENT_NODE && node->name) {
      const char *name = (const char *)node->name;
      if (!href && !strcasecmp(name, "base")) {
        xmlChar *v = xmlGetProp(node, (const xmlChar *)"href");
        if (v && *v && !(href = S_trimmed(v)))
          *oom = 1;
        xmlFree(v);
      } else if (!strcasecmp(name, "img")) {
        xmlChar *src = xmlGetProp(node, (const xmlChar *)"src");
        xmlChar *cls = xmlGetProp(node, (const xmlChar *)"class");
        char *s = src ? S_trimmed(src) : NULL;
        if (src && !s)
          *oom = 1;
        if (s && *s && cls && S_has_class((const char *)cls, "mt-image"))
          best = s, s = NULL;
        else if (s && *s && !first)
          first = s, s = NULL;
        free(s);
        xmlFree(src);
        xmlFree(cls);
      }
    }
    if (node->type == XML_ELEMENT_NODE && node->children)
      node = node->children;
    else {
      while (node && !node->next)
        node = node->parent && node->parent->type == XML_ELEMENT_NODE
                   ? node->parent
                   : NULL;
      if (node)
        node = node->next;
    }
  }
  xmlFreeDoc(doc);
  char *pick = best ? best : first, *url = NULL;
  if (pick && !*oom) {
    char *b = href ? mtport_url_resolve(base, href) : NULL;
    if (href && !b)
      *oom = 1;
    else if (!(url = mtport_url_resolve(b ? b : base, pick)))
      *oom = 1;
    free(b);
  }
  free(href);
  free(first);
  free(best);
  return url;
}

/* ---- jobs: the index -------------------------------------------------- */

/* The key is a hash already: its first hex digits place it. */
static size_t S_slot(const mtport_fetch *f, const char *key) {
  uint64_t h = 0;
  for (int i = 0; i < 16; i++)
    h = h << 4 | (uint64_t)(key[i] <= '9' ? key[i] - '0' : key[i] - 'a' + 10);
  return (size_t)(h & (f->index_size - 1));
}

static S_job *S_index_find(mtport_fetch *f, const char *key) {
  if (!f->index)
    return NULL;
  for (S_job *j = f->index[S_slot(f, key)]; j; j = j->hnext)
    if (!memcmp(j->key, key, 64))
      return j;
  return NULL;
}

static int S_index_add(mtport_fetch *f, S_job *j) {
  if (f->index_n + 1 > f->index_size / 2) {
    size_t size = f->index_size ? f->index_size * 2 : 256;
    S_job **t = calloc(size, sizeof *t);
    if (!t)
      return MTPORT_ENOMEM;
    S_job **old = f->index;
    size_t old_size = f->index_size;
    f->index = t;
    f->index_size = size;
    for (size_t i = 0; i < old_size; i++)
      for (S_job *k = old[i], *next; k; k = next) {
        next = k->hnext;
        size_t s = S_slot(f, k->key);
        k->hnext = t[s];
        t[s] = k;
      }
    free(old);
  }
  size_t s = S_slot(f, j->key);
  j->hnext = f->index[s];
  f->index[s] = j;
  f->index_n++;
  return MTPORT_OK;
}

static void S_index_remove(mtport_fetch *f, S_job *j) {
  for (S_job **p = &f->index[S_slot(f, j->key)]; *p; p = &(*p)->hnext)
    if (*p == j) {
      *p = j->hnext;
      f->index_n--;
      return;
    }
}

static void S_transfer_end(mtport_fetch *f, S_job *j) {
  if (j->easy) {
    curl_multi_remove_handle(f->multi, j->easy);
    curl_easy_cleanup(j->easy);
    j->easy = NULL;
  }
  curl_slist_free_all(j->hdrs);
  j->hdrs = NULL;
}

static void S_job_free(mtport_fetch *f, S_job *j) {
  S_transfer_end(f, j);
  mtport_fetch__part_abandon(j->part);
  for (unsigned i = 0; i <= S_MAX_REDIRECTS; i++)
    free(j->chain[i]);
  free(j->head);
  mtport_fetch__record_clear(&j->rec);
  mtport_fetch__record_clear(&j->cached);
  free(j->url);
  free(j);
}

static void S_unref(mtport_fetch *f, S_job *j) {
  if (--j->refs == 0 && j->state == S_DONE) {
    S_index_remove(f, j);
    S_job_free(f, j);
  }
}

/* ---- wants ------------------------------------------------------------ */

static void S_want_free(S_want *w) {
  for (size_t i = 0; i < w->n; i++)
    free((char *)w->cands[i].url);
  free(w->cands);
  free(w->shown);
  mtport_buf_dispose(&w->notes);
  mtport_fetch__record_clear(&w->out);
  free(w->path);
  free(w);
}

static int S_dup(char **dst, const char *s) {
  *dst = s ? mtport__strdup(s) : NULL;
  return s && !*dst ? MTPORT_ENOMEM : MTPORT_OK;
}

/* Copies a record into the want's outcome. */
static void S_take(S_want *w, const mtport_fetch__record *r,
                   mtport_fetch_source source) {
  mtport_fetch__record_clear(&w->out);
  mtport_fetch__record *o = &w->out;
  *o = *r;
  o->url = o->final_url = o->mime = o->ext = o->etag = o->last_modified =
      o->reason = NULL;
  if (S_dup(&o->url, r->url) || S_dup(&o->final_url, r->final_url) ||
      S_dup(&o->mime, r->mime) || S_dup(&o->ext, r->ext) ||
      S_dup(&o->reason, r->reason)) {
    /* keep the verdict; a string may be missing */
  }
  w->source = source;
}

/* The candidate did not do: note why and move to the next one. */
static void S_next(S_want *w, const char *url, const char *why) {
  if (w->notes.len)
    mtport_buf_puts(&w->notes, "; ");
  mtport_buf_printf(&w->notes, "%s: %s", url, why ? why : "failed");
  w->notes_n++;
  w->stage = 0;
  free(w->shown);
  w->shown = NULL;
  w->cur++;
}

/* A failure decided here, without a job (refused URL, no image...). */
static void S_fail_here(S_want *w, const char *url, mtport_fetch_error e,
                        long status, const char *why) {
  mtport_fetch__record r;
  memset(&r, 0, sizeof r);
  r.url = (char *)url;
  r.error = e;
  r.http_status = status;
  r.reason = (char *)why;
  S_take(w, &r, MTPORT_FETCH_NONE);
  S_next(w, url, why);
}

static void S_complete(mtport_fetch *f, S_want *w) {
  mtport_fetch_result *res = &w->res;
  const mtport_fetch__record *o = &w->out;
  memset(res, 0, sizeof *res);
  int ok = w->finished && o->ok;
  res->error = ok ? MTPORT_FETCH_OK : o->error;
  if (!ok && res->error == MTPORT_FETCH_OK)
    res->error = MTPORT_FETCH_ECACHE; /* out of memory on the way */
  res->source = w->source;
  res->candidate = (unsigned)(w->cur < w->n ? w->cur : w->n - 1);
  res->http_status = o->http_status;
  res->curl_code = o->curl_code;
  res->url = w->cands[res->candidate].url;
  res->shown_url = ok ? w->shown : NULL;
  res->final_url = o->final_url ? o->final_url : res->url;
  if (ok) {
    res->path = w->path;
    res->mime = o->mime;
    res->ext = o->ext;
    res->size = o->size;
    memcpy(res->sha256, o->sha256, sizeof res->sha256);
    res->reason = w->notes.data ? w->notes.data : "";
  } else if (w->notes_n == 1 && w->n == 1 &&
             !(w->cands[0].flags & MTPORT_FETCH_PAGE) && o->reason) {
    res->reason = o->reason; /* one URL: its reason says it all */
  } else {
    res->reason = w->notes.data ? w->notes.data : "failed";
  }
  pthread_mutex_lock(&f->mu);
  w->done = 1;
  f->st.done++;
  f->st.bytes = f->bytes; /* whoever waits for the last sees them all */
  f->st.requests = f->requests;
  if (!ok)
    f->st.failed++;
  else if (w->source == MTPORT_FETCH_CACHED)
    f->st.cached++;
  else if (w->source == MTPORT_FETCH_REVALIDATED)
    f->st.revalidated++;
  else
    f->st.fetched++;
  if (w->released) {
    f->wants[w->id] = NULL;
    S_want_free(w);
  }
  pthread_cond_broadcast(&f->cv);
  pthread_mutex_unlock(&f->mu);
}

/* Reads a cached page and finds the image it shows. */
static char *S_page_image(mtport_fetch *f, const mtport_fetch__record *r,
                          int *oom) {
  *oom = 0;
  mtport_buf path = MTPORT_BUF_INIT, text = MTPORT_BUF_INIT;
  char *img = NULL;
  if (r->size > S_PAGE_MAX || mtport_fetch__cache_path(f->cache, r, &path) ||
      mtport__buf_reserve(&text, (size_t)r->size)) {
    *oom = r->size <= S_PAGE_MAX;
  } else {
    int fd = open(path.data, O_RDONLY | O_NOFOLLOW);
    while (fd >= 0 && text.len < r->size) {
      ssize_t n = read(fd, text.data + text.len, (size_t)r->size - text.len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      text.len += (size_t)n;
    }
    if (fd >= 0)
      close(fd);
    if (text.len == r->size)
      img = mtport_fetch__page_image(text.data ? text.data : "", text.len,
                                     r->final_url ? r->final_url : r->url, oom);
  }
  mtport_buf_dispose(&path);
  mtport_buf_dispose(&text);
  return img;
}

/* What a done job means for the want waiting on it. */
static void S_evaluate(mtport_fetch *f, S_want *w, S_job *j) {
  const mtport_fetch__record *r = &j->rec;
  unsigned flags = w->cands[w->cur].flags;
  if (!r->ok) {
    S_take(w, r, r->source);
    S_next(w, j->url, r->reason);
    return;
  }
  int html = !strcmp(r->mime, "text/html") ||
             !strcmp(r->mime, "application/xhtml+xml");
  if (!w->stage && (flags & MTPORT_FETCH_PAGE) && html) {
    int oom;
    char *img = S_page_image(f, r, &oom);
    if (img) {
      w->stage = 1;
      w->shown = img;
      return;
    }
    S_fail_here(w, j->url, oom ? MTPORT_FETCH_ECACHE : MTPORT_FETCH_ENOIMAGE,
                r->http_status,
                oom ? "out of memory" : "the page shows no image");
    return;
  }
  if ((w->stage || (flags & (MTPORT_FETCH_PAGE | MTPORT_FETCH_IMAGE))) &&
      strncmp(r->mime, "image/", 6) != 0) {
    mtport_buf why = MTPORT_BUF_INIT;
    mtport_buf_printf(&why, "not an image (%s)", r->mime);
    S_fail_here(w, j->url, MTPORT_FETCH_ENOIMAGE, r->http_status, why.data);
    mtport_buf_dispose(&why);
    return;
  }
  S_take(w, r, r->source);
  if (r->reason && *r->reason) {
    /* a success with a caveat: a cached copy kept for a failed request */
    if (w->notes.len)
      mtport_buf_puts(&w->notes, "; ");
    mtport_buf_printf(&w->notes, "%s: %s", j->url, r->reason);
  }
  mtport_buf path = MTPORT_BUF_INIT;
  if (!mtport_fetch__cache_path(f->cache, r, &path)) {
    free(w->path);
    w->path = mtport_buf_detach(&path);
  }
  mtport_buf_dispose(&path);
  w->finished = 1;
}

static S_job *S_job_get(mtport_fetch *f, const char *url);

/* Moves a want on as far as it can go without waiting. */
static void S_advance(mtport_fetch *f, S_want *w) {
  mtport_buf norm = MTPORT_BUF_INIT, why = MTPORT_BUF_INIT;
  for (;;) {
    S_job *j = w->job;
    if (!j) {
      if (w->finished || w->cur >= w->n)
        break;
      const char *url = w->stage ? w->shown : w->cands[w->cur].url;
      int rc = S_check_url(url, (const char *const *)f->hosts, f->o.n_hosts,
                           f->o.allow, f->o.allow_payload, &norm, &why);
      if (rc) {
        S_fail_here(w, url,
                    rc == MTPORT_EINVALID ? MTPORT_FETCH_EREFUSED
                                          : MTPORT_FETCH_ECACHE,
                    0, rc == MTPORT_EINVALID ? why.data : "out of memory");
        continue;
      }
      if (!(j = S_job_get(f, norm.data))) {
        S_fail_here(w, url, MTPORT_FETCH_ECACHE, 0, "out of memory");
        continue;
      }
      j->refs++;
      w->job = j;
      if (j->state != S_DONE) {
        w->next = j->waiters;
        j->waiters = w;
        mtport_buf_dispose(&norm);
        mtport_buf_dispose(&why);
        return;
      }
    }
    w->job = NULL;
    S_evaluate(f, w, j);
    S_unref(f, j);
  }
  mtport_buf_dispose(&norm);
  mtport_buf_dispose(&why);
  S_complete(f, w);
}

/* ---- jobs: outcomes --------------------------------------------------- */

/* The job is done: every want waiting on it moves on. */
static void S_finish(mtport_fetch *f, S_job *j) {
  S_transfer_end(f, j);
  free(j->head);
  j->head = NULL;
  j->state = S_DONE;
  S_want *w = j->waiters;
  j->waiters = NULL;
  j->refs++; /* alive until the last waiter is through */
  while (w) {
    S_want *next = w->next;
    w->next = NULL;
    S_advance(f, w);
    w = next;
  }
  S_unref(f, j);
}

static void S_fill(mtport_fetch *f, S_job *j, mtport_fetch__record *r) {
  r->time = (int64_t)time(NULL);
  r->run = f->run;
  if (!r->url)
    S_dup(&r->url, j->url);
}

/* A failure of this run: recorded so a later want of the run (and a rerun
 * that does not retry it) gets the same answer. */
static void S_fail(mtport_fetch *f, S_job *j, mtport_fetch_error e, long status,
                   int curl_code, const char *why) {
  mtport_fetch__part_abandon(j->part);
  j->part = NULL;
  mtport_fetch__record *r = &j->rec;
  mtport_fetch__record_clear(r);
  if (j->have_cached) {
    /* a revalidation that failed keeps the copy we have */
    *r = j->cached;
    memset(&j->cached, 0, sizeof j->cached);
    j->have_cached = 0;
    free(r->reason);
    mtport_buf b = MTPORT_BUF_INIT;
    mtport_buf_printf(&b, "kept the cached copy: %s", why);
    r->reason = mtport_buf_detach(&b);
    r->source = MTPORT_FETCH_CACHED;
  } else {
    r->error = e;
    r->http_status = status;
    r->curl_code = curl_code;
    r->limit = e == MTPORT_FETCH_ETOOLARGE ? f->o.max_size : 0;
    S_dup(&r->reason, why);
    if (j->hops)
      S_dup(&r->final_url, j->chain[j->hops]);
    r->source = MTPORT_FETCH_FETCHED;
  }
  S_fill(f, j, r);
  if (r->url && r->reason)
    mtport_fetch__cache_put(f->cache, r, NULL);
  S_finish(f, j);
}

static void S_queue(mtport_fetch *f, S_job *j) {
  j->state = S_QUEUED;
  j->qnext = NULL;
  if (f->queue_tail)
    f->queue_tail->qnext = j;
  else
    f->queue = j;
  f->queue_tail = j;
}

/* Retries after a backoff, or fails for good. */
static void S_retry(mtport_fetch *f, S_job *j, mtport_fetch_error e,
                    long status, int curl_code, const char *why,
                    long retry_after) {
  mtport_buf b = MTPORT_BUF_INIT;
  long d = -1;
  if (j->attempt <= f->o.retries) {
    d = mtport_fetch__backoff_ms(&f->o, j->attempt, retry_after);
    if (d < 0)
      mtport_buf_printf(&b, "%s; Retry-After %ld s is beyond the %ld s cap",
                        why, retry_after, f->o.retry_after_max_s);
  } else if (f->o.retries)
    mtport_buf_printf(&b, "%s, after %u %s", why, f->o.retries,
                      f->o.retries == 1 ? "retry" : "retries");
  if (d >= 0) {
    S_transfer_end(f, j);
    j->state = S_BACKOFF;
    j->due = S_now_ms() + d;
    j->qnext = f->backoff;
    f->backoff = j;
  } else {
    S_fail(f, j, e, status, curl_code, b.data ? b.data : why);
  }
  mtport_buf_dispose(&b);
}

static int S_request(mtport_fetch *f, S_job *j);

/* A 200: type it, commit it. */
static void S_success(mtport_fetch *f, S_job *j, long status) {
  mtport_fetch__record r;
  memset(&r, 0, sizeof r);
  r.ok = 1;
  r.http_status = status;
  r.size = mtport_fetch__part_size(j->part);
  mtport_fetch__part_sha256(j->part, r.sha256);
  const char *sniffed =
      f->magic ? magic_buffer(f->magic, j->head, j->head_len) : NULL;
  char *ctype = NULL;
  curl_easy_getinfo(j->easy, CURLINFO_CONTENT_TYPE, &ctype);
  const char *final = j->chain[j->hops];
  struct curl_header *h;
  int rc = mtport_fetch__decide_type(sniffed, ctype, final, &r.mime, &r.ext);
  if (!rc &&
      curl_easy_header(j->easy, "ETag", 0, CURLH_HEADER, -1, &h) == CURLHE_OK)
    rc = S_dup(&r.etag, h->value);
  if (!rc && curl_easy_header(j->easy, "Last-Modified", 0, CURLH_HEADER, -1,
                              &h) == CURLHE_OK)
    rc = S_dup(&r.last_modified, h->value);
  if (!rc)
    rc = S_dup(&r.url, j->url) | S_dup(&r.final_url, final);
  r.source = MTPORT_FETCH_FETCHED;
  S_fill(f, j, &r);
  if (rc) {
    mtport_fetch__record_clear(&r);
    S_fail(f, j, MTPORT_FETCH_ECACHE, status, 0, "out of memory");
    return;
  }
  mtport_fetch__part *p = j->part;
  j->part = NULL;
  if (mtport_fetch__cache_put(f->cache, &r, p)) {
    mtport_buf why = MTPORT_BUF_INIT;
    mtport_buf_printf(&why, "cannot write the cache (%s)", strerror(errno));
    mtport_fetch__record_clear(&r);
    S_fail(f, j, MTPORT_FETCH_ECACHE, status, 0, why.data);
    mtport_buf_dispose(&why);
    return;
  }
  mtport_fetch__record_clear(&j->cached);
  j->have_cached = 0;
  j->rec = r;
  S_finish(f, j);
}

/* A 304 to a revalidation: the cached copy stands. */
static void S_not_modified(mtport_fetch *f, S_job *j) {
  mtport_fetch__record *r = &j->rec;
  mtport_fetch__record_clear(r);
  *r = j->cached;
  memset(&j->cached, 0, sizeof j->cached);
  j->have_cached = 0;
  struct curl_header *h;
  if (curl_easy_header(j->easy, "ETag", 0, CURLH_HEADER, -1, &h) == CURLHE_OK) {
    free(r->etag);
    S_dup(&r->etag, h->value);
  }
  r->source = MTPORT_FETCH_REVALIDATED;
  S_fill(f, j, r);
  mtport_fetch__part_abandon(j->part);
  j->part = NULL;
  mtport_fetch__cache_put(f->cache, r, NULL);
  S_finish(f, j);
}

/* A redirect: checked, then followed with a new request. */
static void S_redirect(mtport_fetch *f, S_job *j, long status) {
  char *loc = NULL;
  curl_easy_getinfo(j->easy, CURLINFO_REDIRECT_URL, &loc);
  mtport_buf norm = MTPORT_BUF_INIT, why = MTPORT_BUF_INIT,
             msg = MTPORT_BUF_INIT;
  int rc;
  if (!loc) {
    mtport_buf_printf(&msg, "HTTP %ld without a Location", status);
    S_fail(f, j, MTPORT_FETCH_EHTTP, status, 0, msg.data);
  } else if (j->hops >= S_MAX_REDIRECTS) {
    mtport_buf_printf(&msg, "more than %d redirects", S_MAX_REDIRECTS);
    S_fail(f, j, MTPORT_FETCH_EREDIRECT, status, 0, msg.data);
  } else if ((rc = S_check_url(loc, (const char *const *)f->hosts, f->o.n_hosts,
                               f->o.allow, f->o.allow_payload, &norm, &why))) {
    mtport_buf_printf(&msg, "redirect to %s refused: %s", loc,
                      why.data ? why.data : "out of memory");
    S_fail(f, j, MTPORT_FETCH_EREDIRECT, status, 0, msg.data);
  } else if (strncmp(norm.data, j->chain[j->hops],
                     strcspn(j->chain[j->hops], ":") + 1) != 0 &&
             !mtport_fetch__upgrade(j->chain[j->hops], norm.data)) {
    mtport_buf_printf(&msg, "redirect to another scheme refused: %s",
                      norm.data);
    S_fail(f, j, MTPORT_FETCH_EREDIRECT, status, 0, msg.data);
  } else {
    unsigned seen = 0;
    for (unsigned i = 0; i <= j->hops && !seen; i++)
      seen = !strcmp(j->chain[i], norm.data);
    if (seen) {
      mtport_buf_printf(&msg, "redirect loop at %s", norm.data);
      S_fail(f, j, MTPORT_FETCH_EREDIRECT, status, 0, msg.data);
    } else {
      S_transfer_end(f, j);
      j->chain[++j->hops] = mtport_buf_detach(&norm);
      if (!j->chain[j->hops] || S_request(f, j)) {
        j->hops--;
        S_fail(f, j, MTPORT_FETCH_ECACHE, status, 0, "cannot start a request");
      }
    }
  }
  mtport_buf_dispose(&norm);
  mtport_buf_dispose(&why);
  mtport_buf_dispose(&msg);
}

static int S_net_final(CURLcode c) {
  switch (c) {
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_ISSUER_ERROR:
  case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
  case CURLE_UNSUPPORTED_PROTOCOL:
  case CURLE_URL_MALFORMAT:
  case CURLE_OUT_OF_MEMORY:
    return 1;
  default:
    return 0;
  }
}

/* A transfer ended: what now? */
static void S_response(mtport_fetch *f, S_job *j, CURLcode code) {
  long status = 0;
  curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
  curl_off_t ra = 0;
  curl_easy_getinfo(j->easy, CURLINFO_RETRY_AFTER, &ra);
  mtport_buf msg = MTPORT_BUF_INIT;
  /* libcurl's messages carry timings and byte counts: the fixed text of
   * the code keeps results the same from run to run */
  const char *ce = curl_easy_strerror(code);
  if (j->io_err) {
    mtport_buf_printf(&msg, "cannot write the cache (%s)", strerror(j->io_err));
    S_fail(f, j, MTPORT_FETCH_ECACHE, status, 0, msg.data);
  } else if (j->too_large || (code == CURLE_FILESIZE_EXCEEDED &&
                              (status == 200 || status == 203))) {
    mtport_buf_printf(&msg, "larger than %llu bytes",
                      (unsigned long long)f->o.max_size);
    S_fail(f, j, MTPORT_FETCH_ETOOLARGE, status, 0, msg.data);
  } else if (code == CURLE_OK ||
             (status >= 200 && !j->body_ok &&
              (code == CURLE_WRITE_ERROR || code == CURLE_FILESIZE_EXCEEDED))) {
    /* a response, possibly cut short on purpose when it was not the file */
    if (status == 200 || status == 203)
      S_success(f, j, status);
    else if (status == 304 && j->have_cached)
      S_not_modified(f, j);
    else if (status == 301 || status == 302 || status == 303 || status == 307 ||
             status == 308)
      S_redirect(f, j, status);
    else {
      mtport_buf_printf(&msg, "HTTP %ld", status);
      if (status == 408 || status == 425 || status == 429 || status >= 500)
        S_retry(f, j, MTPORT_FETCH_EHTTP, status, 0, msg.data, (long)ra);
      else
        S_fail(f, j, MTPORT_FETCH_EHTTP, status, 0, msg.data);
    }
  } else if (code == CURLE_OPERATION_TIMEDOUT ||
             (code == CURLE_ABORTED_BY_CALLBACK && j->stalled)) {
    mtport_buf_printf(&msg, "timeout: %s",
                      curl_easy_strerror(CURLE_OPERATION_TIMEDOUT));
    S_retry(f, j, MTPORT_FETCH_ETIMEOUT, status, (int)code, msg.data, 0);
  } else if (S_net_final(code)) {
    mtport_buf_printf(&msg, "%s%s", ce,
                      code == CURLE_PEER_FAILED_VERIFICATION
                          ? " (TLS verification; --insecure skips it)"
                          : "");
    S_fail(f, j, MTPORT_FETCH_ENETWORK, status, (int)code, msg.data);
  } else {
    mtport_buf_printf(&msg, "network: %s", ce);
    S_retry(f, j, MTPORT_FETCH_ENETWORK, status, (int)code, msg.data, 0);
  }
  mtport_buf_dispose(&msg);
}

/* ---- transfers -------------------------------------------------------- */

static size_t S_on_body(char *data, size_t size, size_t nmemb, void *ud) {
  S_job *j = ud;
  size_t n = size * nmemb;
  j->last_byte = S_now_ms();
  if (!j->status) {
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &j->status);
    j->body_ok = j->status == 200 || j->status == 203;
  }
  if (!j->body_ok) {
    /* an error page or a redirect's body: not kept */
    j->discarded += n;
    return j->discarded > S_DISCARD_MAX ? 0 : n;
  }
  if (mtport_fetch__part_size(j->part) + n > j->f->o.max_size) {
    j->too_large = 1;
    return 0;
  }
  if (j->head_len < S_HEAD) {
    size_t k = n < S_HEAD - j->head_len ? n : S_HEAD - j->head_len;
    memcpy(j->head + j->head_len, data, k);
    j->head_len += k;
  }
  if (mtport_fetch__part_write(j->part, data, n)) {
    j->io_err = errno ? errno : EIO;
    return 0;
  }
  j->f->bytes += n;
  return n;
}

/* A stall is time without a byte, not a low average: libcurl's low-speed
 * check averages over seconds, so a burst then silence passed it. */
static int S_on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut,
                         curl_off_t un) {
  (void)dt, (void)dn, (void)ut, (void)un;
  S_job *j = ud;
  if (S_now_ms() - j->last_byte > (int64_t)j->f->o.stall_s * 1000) {
    j->stalled = 1;
    return 1;
  }
  return 0;
}

/* One request of the job's current URL (its last hop). */
static int S_request(mtport_fetch *f, S_job *j) {
  CURL *e = curl_easy_init();
  if (!e)
    return MTPORT_ENOMEM;
  j->easy = e;
  j->status = 0;
  j->body_ok = j->too_large = j->io_err = j->stalled = 0;
  j->last_byte = S_now_ms();
  j->discarded = 0;
  j->head_len = 0;
  int rc = j->part ? mtport_fetch__part_reset(j->part)
                   : mtport_fetch__part_open(f->cache, j->url, &j->part);
  if (!rc && !j->head && !(j->head = malloc(S_HEAD)))
    rc = MTPORT_ENOMEM;
  if (!rc && j->have_cached) {
    mtport_buf h = MTPORT_BUF_INIT;
    struct curl_slist *l = NULL;
    if (j->cached.etag &&
        !mtport_buf_printf(&h, "If-None-Match: %s", j->cached.etag))
      l = curl_slist_append(l, h.data);
    mtport_buf_clear(&h);
    if (j->cached.last_modified &&
        !mtport_buf_printf(&h, "If-Modified-Since: %s",
                           j->cached.last_modified)) {
      struct curl_slist *l2 = curl_slist_append(l, h.data);
      l = l2 ? l2 : l;
    }
    mtport_buf_dispose(&h);
    j->hdrs = l;
  }
  if (rc)
    return rc;
  const mtport_fetch_options *o = &f->o;
  curl_easy_setopt(e, CURLOPT_URL, j->chain[j->hops]);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L); /* checked by hand */
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_PRIVATE, (void *)j);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, S_on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, (void *)j);
  curl_easy_setopt(e, CURLOPT_USERAGENT, f->ua);
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, o->connect_ms);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, o->timeout_ms);
  if (o->stall_s > 0) {
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, S_on_progress);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, (void *)j);
  }
  curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_size);
  curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 65536L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, o->insecure ? 0L : 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, o->insecure ? 0L : 2L);
  if (j->hdrs)
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->hdrs);
  if (curl_multi_add_handle(f->multi, e) != CURLM_OK) {
    curl_easy_cleanup(e);
    j->easy = NULL;
    return MTPORT_ERROR;
  }
  f->running++;
  f->requests++;
  return MTPORT_OK;
}

/* Starts a try of a queued job: from its own URL, every time. */
static void S_start(mtport_fetch *f, S_job *j) {
  for (unsigned i = 1; i <= S_MAX_REDIRECTS; i++) {
    free(j->chain[i]);
    j->chain[i] = NULL;
  }
  j->hops = 0;
  j->attempt++;
  j->state = S_RUNNING;
  if ((!j->chain[0] && !(j->chain[0] = mtport__strdup(j->url))) ||
      S_request(f, j))
    S_fail(f, j, MTPORT_FETCH_ECACHE, 0, 0,
           "cannot start a request (cache or memory)");
}

/* The cache's word on a new job: done at once, or queued. */
static void S_lookup(mtport_fetch *f, S_job *j) {
  mtport_fetch__record r;
  memset(&r, 0, sizeof r);
  mtport_fetch_mode mode = f->o.mode;
  int rc = mtport_fetch__cache_get(f->cache, j->url, &r);
  j->state = S_DONE;
  if (rc == MTPORT_OK) {
    if (r.run == f->run) {
      j->rec = r; /* this run's answer, whatever it was */
      return;
    }
    if (r.ok && f->o.revalidate && mode != MTPORT_FETCH_OFFLINE &&
        (r.etag || r.last_modified)) {
      j->cached = r;
      j->have_cached = 1;
      S_queue(f, j);
      return;
    }
    int retry =
        !r.ok && mode != MTPORT_FETCH_OFFLINE &&
        (mode == MTPORT_FETCH_RETRY_FAILED || mtport_fetch__transient(&r) ||
         (r.error == MTPORT_FETCH_ETOOLARGE && f->o.max_size > r.limit));
    if (!retry) {
      if (r.ok) { /* an earlier run's caveat is no news to this one */
        free(r.reason);
        r.reason = NULL;
      }
      r.source = MTPORT_FETCH_CACHED;
      j->rec = r;
      return;
    }
    mtport_fetch__record_clear(&r);
    S_queue(f, j);
  } else if (rc == MTPORT_ENOTFOUND && mode != MTPORT_FETCH_OFFLINE) {
    S_queue(f, j);
  } else {
    j->rec.error =
        rc == MTPORT_ENOTFOUND ? MTPORT_FETCH_EOFFLINE : MTPORT_FETCH_ECACHE;
    S_dup(&j->rec.url, j->url);
    S_dup(&j->rec.reason, rc == MTPORT_ENOTFOUND ? "not in the cache (offline)"
                                                 : "out of memory");
    j->rec.source = MTPORT_FETCH_NONE;
  }
}

static S_job *S_job_get(mtport_fetch *f, const char *url) {
  char key[65];
  mtport_fetch__key(url, key);
  S_job *j = S_index_find(f, key);
  if (j)
    return j;
  if (!(j = calloc(1, sizeof *j)) || !(j->url = mtport__strdup(url)) ||
      (memcpy(j->key, key, sizeof key), S_index_add(f, j))) {
    if (j)
      free(j->url);
    free(j);
    return NULL;
  }
  j->f = f;
  S_lookup(f, j);
  return j;
}

/* ---- the thread ------------------------------------------------------- */

static void S_reap(mtport_fetch *f) {
  CURLMsg *m;
  int left;
  while ((m = curl_multi_info_read(f->multi, &left))) {
    if (m->msg != CURLMSG_DONE)
      continue;
    CURL *e = m->easy_handle;
    CURLcode code = m->data.result;
    char *priv = NULL;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, &priv);
    f->running--;
    if (priv)
      S_response(f, (S_job *)(void *)priv, code);
  }
}

static void S_progress(mtport_fetch *f) {
  pthread_mutex_lock(&f->mu);
  f->st.bytes = f->bytes;
  f->st.requests = f->requests;
  uint64_t done = f->st.done, total = f->st.wants;
  pthread_mutex_unlock(&f->mu);
  if (!f->o.progress)
    return;
  int64_t now = S_now_ms();
  if ((done == total && done != f->progress_done) ||
      now - f->progress_at >= S_PROGRESS_MS) {
    f->o.progress(done, total, f->bytes, f->o.progress_payload);
    f->progress_at = now;
    f->progress_done = done;
  }
}

static void *S_main(void *arg) {
  mtport_fetch *f = arg;
  for (;;) {
    pthread_mutex_lock(&f->mu);
    int stop = f->stop;
    S_want *in = NULL, **tail = &in;
    for (unsigned k = 0; f->inbox && k < S_ADMIT; k++) {
      *tail = f->inbox;
      tail = &f->inbox->next;
      f->inbox = f->inbox->next;
    }
    *tail = NULL;
    if (!f->inbox)
      f->inbox_tail = NULL;
    int more = f->inbox != NULL;
    pthread_mutex_unlock(&f->mu);
    if (stop)
      break;
    while (in) {
      S_want *w = in;
      in = in->next;
      w->next = NULL;
      S_advance(f, w);
    }
    /* retries whose time has come go to the back of the queue, in order */
    int64_t now = S_now_ms(), due = -1;
    for (S_job **p = &f->backoff; *p;) {
      S_job *j = *p;
      if (j->due <= now) {
        *p = j->qnext;
        S_queue(f, j);
      } else {
        due = due < 0 || j->due < due ? j->due : due;
        p = &j->qnext;
      }
    }
    while (f->running < f->o.jobs && f->queue) {
      S_job *j = f->queue;
      f->queue = j->qnext;
      if (!f->queue)
        f->queue_tail = NULL;
      S_start(f, j);
    }
    int still = 0;
    curl_multi_perform(f->multi, &still);
    S_reap(f);
    S_progress(f);
    long wait = 1000;
    if (more || (f->queue && f->running < f->o.jobs))
      wait = 0;
    else if (due >= 0 && due - now < wait)
      wait = (long)(due - now > 0 ? due - now : 0);
    curl_multi_poll(f->multi, NULL, 0, (int)wait, NULL);
  }
  /* stopped: abandon whatever is under way */
  for (size_t i = 0; i < f->index_size; i++)
    for (S_job *j = f->index[i], *next; j; j = next) {
      next = j->hnext;
      S_job_free(f, j);
    }
  free(f->index);
  f->index = NULL;
  f->index_size = f->index_n = 0;
  return NULL;
}

/* ---- the API ---------------------------------------------------------- */

int mtport_fetch__new(mtport_fetch **out, const mtport_fetch_options *o,
                      mtport_buf *err) {
  *out = NULL;
  if (!o || !o->cache_dir || !*o->cache_dir) {
    if (err)
      mtport_buf_puts(err, "no cache folder given");
    return MTPORT_EINVALID;
  }
  mtport_fetch *f = calloc(1, sizeof *f);
  if (!f)
    return MTPORT_ENOMEM;
  f->o = *o;
  if (f->o.jobs < 1)
    f->o.jobs = 1;
  if (f->o.jobs > 64)
    f->o.jobs = 64;
  if (!f->o.max_size)
    f->o.max_size = (uint64_t)200 << 20;
  int rc = MTPORT_OK;
  mtport_buf ua = MTPORT_BUF_INIT;
  if (!(f->cache_dir = mtport__strdup(o->cache_dir)) ||
      (o->n_hosts && !(f->hosts = calloc(o->n_hosts, sizeof *f->hosts))) ||
      (o->user_agent ? mtport_buf_puts(&ua, o->user_agent)
                     : mtport_buf_printf(&ua, "mtport/%s", mtport_version())))
    rc = MTPORT_ENOMEM;
  f->ua = mtport_buf_detach(&ua);
  for (size_t i = 0; !rc && i < o->n_hosts; i++)
    if (o->hosts[i] && !(f->hosts[i] = mtport__strdup(o->hosts[i])))
      rc = MTPORT_ENOMEM;
  f->o.cache_dir = f->cache_dir;
  f->o.hosts = (const char *const *)f->hosts;
  f->o.user_agent = f->ua;
  if (!rc && !f->ua)
    rc = MTPORT_ENOMEM;
  if (!rc && (rc = mtport_fetch__cache_open(&f->cache, f->cache_dir)) && err)
    mtport_buf_printf(err, "cannot make the cache folder %s: %s", f->cache_dir,
                      strerror(errno));
  if (!rc && RAND_bytes((unsigned char *)&f->run, sizeof f->run) != 1)
    f->run = (uint64_t)time(NULL) << 20 ^ (uint64_t)getpid() ^
             (uint64_t)S_now_ms() << 40;
  if (!rc && f->o.mode != MTPORT_FETCH_OFFLINE) {
    /* only downloads need typing: an offline run reads types recorded */
    f->magic = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
    if (!f->magic || magic_load(f->magic, NULL) != 0) {
      if (err)
        mtport_buf_printf(err, "libmagic: %s",
                          f->magic && magic_error(f->magic)
                              ? magic_error(f->magic)
                              : "cannot load its database");
      rc = MTPORT_ERROR;
    }
  }
  if (!rc) {
    pthread_once(&S_once, S_global);
    if (S_curl_init != CURLE_OK || !(f->multi = curl_multi_init())) {
      if (err)
        mtport_buf_puts(err, "libcurl cannot start");
      rc = MTPORT_ERROR;
    }
  }
  if (!rc) {
    curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                      (long)f->o.jobs);
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv, NULL);
    if (pthread_create(&f->th, NULL, S_main, f) != 0) {
      if (err)
        mtport_buf_puts(err, "cannot start the download thread");
      pthread_mutex_destroy(&f->mu);
      pthread_cond_destroy(&f->cv);
      rc = MTPORT_ERROR;
    } else
      f->th_started = 1;
  }
  if (rc) {
    mtport_fetch__free(f);
    return rc;
  }
  *out = f;
  return MTPORT_OK;
}

int mtport_fetch__want(mtport_fetch *f, const mtport_fetch_candidate *c,
                       size_t n, size_t *id) {
  if (!n || !c)
    return MTPORT_EINVALID;
  for (size_t i = 0; i < n; i++)
    if (!c[i].url)
      return MTPORT_EINVALID;
  S_want *w = calloc(1, sizeof *w);
  if (!w || !(w->cands = calloc(n, sizeof *w->cands))) {
    free(w);
    return MTPORT_ENOMEM;
  }
  for (; w->n < n; w->n++) {
    w->cands[w->n].flags = c[w->n].flags;
    if (!(w->cands[w->n].url = mtport__strdup(c[w->n].url))) {
      S_want_free(w);
      return MTPORT_ENOMEM;
    }
  }
  pthread_mutex_lock(&f->mu);
  if (f->n_wants == f->cap_wants) {
    size_t cap = f->cap_wants ? f->cap_wants * 2 : 64;
    S_want **t = realloc(f->wants, cap * sizeof *t);
    if (!t) {
      pthread_mutex_unlock(&f->mu);
      S_want_free(w);
      return MTPORT_ENOMEM;
    }
    f->wants = t;
    f->cap_wants = cap;
  }
  w->id = f->n_wants;
  f->wants[f->n_wants++] = w;
  if (f->inbox_tail)
    f->inbox_tail->next = w;
  else
    f->inbox = w;
  f->inbox_tail = w;
  f->st.wants++;
  pthread_mutex_unlock(&f->mu);
  curl_multi_wakeup(f->multi);
  if (id)
    *id = w->id;
  return MTPORT_OK;
}

const mtport_fetch_result *mtport_fetch__poll(mtport_fetch *f, size_t id) {
  const mtport_fetch_result *r = NULL;
  pthread_mutex_lock(&f->mu);
  if (id < f->n_wants && f->wants[id] && f->wants[id]->done)
    r = &f->wants[id]->res;
  pthread_mutex_unlock(&f->mu);
  return r;
}

const mtport_fetch_result *mtport_fetch__wait(mtport_fetch *f, size_t id) {
  const mtport_fetch_result *r = NULL;
  pthread_mutex_lock(&f->mu);
  while (id < f->n_wants && f->wants[id] && !f->wants[id]->done)
    pthread_cond_wait(&f->cv, &f->mu);
  if (id < f->n_wants && f->wants[id])
    r = &f->wants[id]->res;
  pthread_mutex_unlock(&f->mu);
  return r;
}

void mtport_fetch__release(mtport_fetch *f, size_t id) {
  pthread_mutex_lock(&f->mu);
  S_want *w = id < f->n_wants ? f->wants[id] : NULL;
  if (w && w->done) {
    f->wants[id] = NULL;
    S_want_free(w);
  } else if (w)
    w->released = 1;
  pthread_mutex_unlock(&f->mu);
}

void mtport_fetch__drain(mtport_fetch *f) {
  pthread_mutex_lock(&f->mu);
  while (f->st.done < f->st.wants)
    pthread_cond_wait(&f->cv, &f->mu);
  pthread_mutex_unlock(&f->mu);
}

void mtport_fetch__stats(mtport_fetch *f, mtport_fetch_stats *out) {
  pthread_mutex_lock(&f->mu);
  *out = f->st;
  pthread_mutex_unlock(&f->mu);
}

void mtport_fetch__free(mtport_fetch *f) {
  if (!f)
    return;
  if (f->th_started) {
    pthread_mutex_lock(&f->mu);
    f->stop = 1;
    pthread_mutex_unlock(&f->mu);
    curl_multi_wakeup(f->multi);
    pthread_join(f->th, NULL);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv);
  }
  for (size_t i = 0; i < f->n_wants; i++)
    if (f->wants[i])
      S_want_free(f->wants[i]);
  free(f->wants);
  if (f->multi)
    curl_multi_cleanup(f->multi);
  if (f->magic)
    magic_close(f->magic);
  mtport_fetch__cache_free(f->cache);
  for (size_t i = 0; f->hosts && i < f->o.n_hosts; i++)
    free(f->hosts[i]);
  free(f->hosts);
  free(f->cache_dir);
  free(f->ua);
  free(f);
}
