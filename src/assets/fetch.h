/* Private to src/assets/: the downloader of assets the export does not hold
 * (--fetch-assets) and its cache on disk.
 *
 * A fetcher owns one thread of its own that drives libcurl's multi
 * interface, so downloads never run on the caller's thread. The caller
 * submits "wants" (one asset: an ordered list of candidate URLs) and reads
 * each one's result when it is done, by polling or by waiting for it.
 *
 * Every result is decided per URL, never by timing: candidates are tried in
 * order, a URL is requested at most once per run however many wants name it
 * (a redirect target reached from two URLs is requested by each), and what
 * one run learnt about a URL (even a failure) is what any later want of the
 * same run gets. So results, and outputs built on them, are the same with 1
 * job or 8.
 *
 * Cache layout (one directory, safe to share between runs, never trusted
 * for paths): <dir>/v1/objects/<k2>/<key>.meta and <key>-<sha16> where
 * key is the SHA-256 of the normalized URL; downloads stream to
 * <dir>/v1/tmp/ and are renamed into place; the .meta record is written
 * last, atomically, and is what makes an entry exist. */
#ifndef MTPORT_ASSETS_FETCH_H
#define MTPORT_ASSETS_FETCH_H

#include "mtport/mtport.h"
#include <stdint.h>

/* ---- options ---------------------------------------------------------- */

typedef enum mtport_fetch_mode {
  /* request what the cache lacks, or what failed in an earlier run with an
   * error that may pass (network, timeout, 5xx, 429, refused redirect);
   * final failures (404 and other 4xx, too large for the same cap) stay */
  MTPORT_FETCH_ONLINE = 0,
  /* as ONLINE, and request final failures again too (--retry-failed) */
  MTPORT_FETCH_RETRY_FAILED = 1,
  /* never make a request: the cache alone answers (--offline) */
  MTPORT_FETCH_OFFLINE = 2
} mtport_fetch_mode;

/* Called on the fetcher's thread, at most ten times a second and once when
 * every want is done: wants done and submitted so far, bytes downloaded. */
typedef void (*mtport_fetch_progress_fn)(uint64_t files_done,
                                         uint64_t files_total, uint64_t bytes,
                                         void *payload);

typedef struct mtport_fetch_options {
  const char *cache_dir; /* required; made (with its parents) if absent */
  /* the hosts requests may go to: "example.com" (any port),
   * "example.com:8080", "*.example.com" (any subdomain, not the domain
   * itself); compared without case. No host, no request. */
  const char *const *hosts;
  size_t n_hosts;
  /* or this says yes (may be NULL): called on the fetcher's thread with a
   * normalized http(s) URL whose host the list lacks; 1 allows it */
  int (*allow)(const char *url, void *payload);
  void *allow_payload;
  unsigned jobs;          /* downloads at once (--fetch-jobs) */
  unsigned retries;       /* tries after the first one (--retries) */
  long connect_ms;        /* connect timeout */
  long timeout_ms;        /* whole request; 0: none */
  long stall_s;           /* this long without a byte is a timeout */
  uint64_t max_size;      /* bytes per file (--max-asset-size) */
  long backoff_ms;        /* first retry delay, doubled each time */
  long backoff_max_ms;    /* cap of that delay */
  long retry_after_max_s; /* a longer Retry-After fails at once */
  int insecure;           /* no TLS verification (the caller warns) */
  int revalidate;         /* ask again for cached files with validators (ETag,
                             Last-Modified): a 304 keeps the cached copy */
  mtport_fetch_mode mode;
  const char *user_agent;            /* NULL: "mtport/<version>" */
  mtport_fetch_progress_fn progress; /* or NULL */
  void *progress_payload;
} mtport_fetch_options;

/* The defaults: 4 jobs, 3 retries, connect 15 s, no whole-request timeout,
 * stall 30 s, 200 MB, backoff 0.5 s doubling up to 30 s, Retry-After up to
 * 60 s, TLS verified, ONLINE; no cache_dir and no host. */
void mtport_fetch__options_init(mtport_fetch_options *o);

/* ---- wants and results ------------------------------------------------ */

/* Candidate flags. */
#define MTPORT_FETCH_PAGE 0x1u  /* a pop-up page: the image it shows is it */
#define MTPORT_FETCH_IMAGE 0x2u /* only an image (image/ *) will do */

typedef struct mtport_fetch_candidate {
  const char *url; /* absolute http or https URL */
  unsigned flags;  /* MTPORT_FETCH_* */
} mtport_fetch_candidate;

typedef enum mtport_fetch_error {
  MTPORT_FETCH_OK = 0,
  MTPORT_FETCH_EHTTP,     /* an HTTP status that is not the file */
  MTPORT_FETCH_ENETWORK,  /* connection refused, reset, cut mid-body, TLS */
  MTPORT_FETCH_ETIMEOUT,  /* connect, stall or whole-request timeout */
  MTPORT_FETCH_ETOOLARGE, /* over max_size (announced or streamed) */
  MTPORT_FETCH_EREDIRECT, /* too many, a loop, another scheme or host */
  MTPORT_FETCH_EREFUSED,  /* the URL itself: not http(s), host not allowed */
  MTPORT_FETCH_EOFFLINE,  /* offline and not in the cache */
  MTPORT_FETCH_ENOIMAGE,  /* a page showing no image, or not an image */
  MTPORT_FETCH_ECACHE     /* the cache could not be written, or no memory */
} mtport_fetch_error;

typedef enum mtport_fetch_source {
  MTPORT_FETCH_NONE = 0,   /* refused or offline: no request, no record */
  MTPORT_FETCH_FETCHED,    /* requested by this run */
  MTPORT_FETCH_CACHED,     /* recorded by an earlier run, no request */
  MTPORT_FETCH_REVALIDATED /* an earlier run's copy, confirmed by a 304 */
} mtport_fetch_source;

/* What became of one want. Strings are owned by the fetcher and live until
 * mtport_fetch__release() or mtport_fetch__free(). The fields describe the
 * candidate that gave the file, or the last one tried. */
typedef struct mtport_fetch_result {
  mtport_fetch_error error;
  mtport_fetch_source source;
  unsigned candidate;    /* its index in the want */
  long http_status;      /* last status seen for it; 0 when none */
  int curl_code;         /* CURLcode of a network failure, else 0 */
  const char *url;       /* the candidate, as submitted */
  const char *shown_url; /* for a page: the image it shows; else NULL */
  const char *final_url; /* where the bytes came from after redirects */
  const char *path;      /* the cached file (OK only; read, never move) */
  const char *mime;      /* decided by content where it matters (OK only) */
  const char *ext;       /* extension to store it under, no dot (OK only) */
  uint64_t size;
  char sha256[65]; /* lower-case hex (OK only) */
  /* why it failed; on success, why earlier candidates did not do and any
   * caveat ("kept the cached copy: HTTP 503"), or "" */
  const char *reason;
} mtport_fetch_result;

typedef struct mtport_fetch mtport_fetch;

/* Starts a fetcher with its thread. @err (may be NULL) gets a sentence on
 * failure. Returns MTPORT_OK, MTPORT_EINVALID (no cache_dir), MTPORT_EIO
 * (the cache cannot be made), MTPORT_ENOMEM or MTPORT_ERROR (libcurl,
 * libmagic or the thread failed to start). */
int mtport_fetch__new(mtport_fetch **out, const mtport_fetch_options *o,
                      mtport_buf *err);

/* Submits one want of @n candidates (copied) and gives its id, counted from
 * 0 in submission order. Thread-safe. MTPORT_OK, MTPORT_EINVALID (n == 0
 * or a NULL url) or MTPORT_ENOMEM. */
int mtport_fetch__want(mtport_fetch *f, const mtport_fetch_candidate *c,
                       size_t n, size_t *id);

/* The result of want @id, or NULL while it is not done (or unknown, or
 * released). Never blocks. */
const mtport_fetch_result *mtport_fetch__poll(mtport_fetch *f, size_t id);

/* The result of want @id, waiting for it; NULL when unknown or released. */
const mtport_fetch_result *mtport_fetch__wait(mtport_fetch *f, size_t id);

/* Frees the result of a done want (it then polls as NULL). A want not done
 * yet is released when it completes. */
void mtport_fetch__release(mtport_fetch *f, size_t id);

/* Waits until every submitted want is done. */
void mtport_fetch__drain(mtport_fetch *f);

typedef struct mtport_fetch_stats {
  uint64_t wants, done;
  uint64_t fetched, cached, revalidated, failed; /* wants by outcome */
  uint64_t requests; /* HTTP requests made, redirects and retries included */
  uint64_t bytes;    /* body bytes downloaded */
} mtport_fetch_stats;

void mtport_fetch__stats(mtport_fetch *f, mtport_fetch_stats *out);

/* Stops the thread (downloads under way are abandoned, their temporary
 * files removed; the cache stays consistent) and frees everything, results
 * included: no other thread may be using or waiting on @f. NULL is a
 * no-op. */
void mtport_fetch__free(mtport_fetch *f);

/* Short names for reports: "ok", "http", "network", "timeout", "too-large",
 * "redirect", "refused", "offline", "no-image", "cache"; and "-",
 * "fetched", "cached", "revalidated". Static storage. */
const char *mtport_fetch__error_name(mtport_fetch_error e);
const char *mtport_fetch__source_name(mtport_fetch_source s);

/* ---- pieces, shared by fetch.c and cache.c and tested on their own ---- */

/* What the cache remembers of one URL; also what a want's result is built
 * from, so a want served by the cache reads exactly what a download gave. */
typedef struct mtport_fetch__record {
  char *url; /* normalized; the key is its SHA-256 */
  int ok;    /* 1: the file is in the cache */
  mtport_fetch_error error;
  long http_status;
  int curl_code;
  char *final_url, *mime, *ext, *etag, *last_modified, *reason;
  uint64_t size;
  uint64_t limit; /* max_size in force when it failed as too large */
  char sha256[65];
  int64_t time;               /* when it was fetched (Unix seconds) */
  uint64_t run;               /* token of the run that wrote it */
  mtport_fetch_source source; /* what that run did: another want of the
                                 same run gets the same answer */
} mtport_fetch__record;

void mtport_fetch__record_clear(mtport_fetch__record *r);

/* 1 when the failure may pass with time (network, timeout, 5xx, 429,
 * redirect trouble, cache I/O): reruns ask again. */
int mtport_fetch__transient(const mtport_fetch__record *r);

typedef struct mtport_fetch__cache mtport_fetch__cache;

/* Opens (making it) the cache at @dir and removes temporary files left by
 * runs that are gone. MTPORT_OK, MTPORT_EIO (errno set), MTPORT_ENOMEM. */
int mtport_fetch__cache_open(mtport_fetch__cache **out, const char *dir);
void mtport_fetch__cache_free(mtport_fetch__cache *c);

/* The key of a normalized URL: 64 hex digits and a NUL. */
void mtport_fetch__key(const char *url, char key[65]);

/* Reads the record of @url into @r (cleared first). MTPORT_OK,
 * MTPORT_ENOTFOUND (none, unreadable, for another URL, or its file is
 * missing or of another size), MTPORT_ENOMEM. */
int mtport_fetch__cache_get(mtport_fetch__cache *c, const char *url,
                            mtport_fetch__record *r);

/* The path of a record's file (OK records only), into @out. */
int mtport_fetch__cache_path(mtport_fetch__cache *c,
                             const mtport_fetch__record *r, mtport_buf *out);

/* A download in progress: a temporary file in the cache, hashed as it is
 * written. */
typedef struct mtport_fetch__part mtport_fetch__part;

int mtport_fetch__part_open(mtport_fetch__cache *c, const char *url,
                            mtport_fetch__part **out);
/* Appends; MTPORT_OK or MTPORT_EIO. */
int mtport_fetch__part_write(mtport_fetch__part *p, const void *data, size_t n);
/* Empties it for a new try. */
int mtport_fetch__part_reset(mtport_fetch__part *p);
uint64_t mtport_fetch__part_size(const mtport_fetch__part *p);
/* Finishes the hash into @hex. */
void mtport_fetch__part_sha256(mtport_fetch__part *p, char hex[65]);
/* Removes the temporary file and frees. NULL is a no-op. */
void mtport_fetch__part_abandon(mtport_fetch__part *p);

/* Commits a record: for an OK one, @p (its download, hashed with
 * mtport_fetch__part_sha256() into r->sha256) is renamed into place first
 * and freed; then the .meta record is written and renamed over the old one,
 * and a replaced file of other content is removed. A failure record, or an
 * OK one whose file is already in place (a 304), passes p == NULL. MTPORT_OK,
 * MTPORT_EIO or MTPORT_ENOMEM; on failure @p is abandoned and the old entry
 * stays as it was. */
int mtport_fetch__cache_put(mtport_fetch__cache *c, mtport_fetch__record *r,
                            mtport_fetch__part *p);

/* The record's text form and back (exposed for the tests). parse returns
 * MTPORT_OK, MTPORT_EPARSE or MTPORT_ENOMEM. */
int mtport_fetch__record_format(const mtport_fetch__record *r, mtport_buf *out);
int mtport_fetch__record_parse(const char *s, size_t n,
                               mtport_fetch__record *r);

/* Hosts: 1 when @host (with @port, -1 when unknown) is allowed. */
int mtport_fetch__host_allowed(const char *const *hosts, size_t n,
                               const char *host, long port);

/* Normalizes @url (libcurl's URL parser: scheme and host lower case,
 * spaces and 8-bit bytes percent-encoded, dot segments removed) into
 * @out and checks it: http or https, an allowed host. MTPORT_OK, or
 * MTPORT_EINVALID with a sentence in @why. */
int mtport_fetch__check_url(const char *url, const char *const *hosts,
                            size_t n_hosts, mtport_buf *out, mtport_buf *why);

/* 1 when a redirect from normalized @from to normalized @to changes the
 * scheme in the one way allowed: http to https on the same host, both on
 * their default ports (old blogs moved to https in place; any other
 * change of scheme is refused). */
int mtport_fetch__upgrade(const char *from, const char *to);

/* Decides the type of a file from what libmagic saw in it (@sniffed, may be
 * NULL), the server's Content-Type (@ctype, may be NULL) and the URL's
 * path: *mime and *ext are new strings. Content wins for binary types,
 * the server for text types libmagic cannot tell apart (CSS, JavaScript);
 * the URL's own extension is kept when it fits the type. */
int mtport_fetch__decide_type(const char *sniffed, const char *ctype,
                              const char *url, char **mime, char **ext);

/* The delay before retry number @attempt (1-based), or -1 to give up now
 * because the server asked for more than the cap. */
long mtport_fetch__backoff_ms(const mtport_fetch_options *o, unsigned attempt,
                              long retry_after_s);

/* The first image a pop-up page of @n bytes shows (an <img> of MT's
 * mt-image-* classes first, else the first <img> with a source), resolved
 * against the page's @base URL (and its <base href>); NULL when none. A new
 * string; *oom is set on allocation failure. */
char *mtport_fetch__page_image(const char *html, size_t n, const char *base,
                               int *oom);

#endif
