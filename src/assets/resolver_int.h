/* Private to the resolver's files (resolver.c, gather.c, rewrite.c): its
 * state and the helpers they share. */
#ifndef MTPORT_RESOLVER_INT_H
#define MTPORT_RESOLVER_INT_H

#include "assets_int.h"
#include <pthread.h>

/* Fixed-size records by index in an unlinked file in $TMPDIR, read and
 * written in place (pread/pwrite: safe from several threads at once). */
typedef struct {
  int fd; /* -1 until the first write */
  size_t size;
  int err; /* errno of the first failure */
} mtport_assets__slots;

void mtport_assets__slots_init(mtport_assets__slots *sl, size_t size);
void mtport_assets__slots_dispose(mtport_assets__slots *sl);
/* Record @i from @rec / into @rec. MTPORT_OK or MTPORT_EIO. */
int mtport_assets__slot_put(mtport_assets__slots *sl, uint64_t i,
                            const void *rec);
int mtport_assets__slot_get(mtport_assets__slots *sl, uint64_t i, void *rec);

/* A file or source not looked at yet. */
enum { S_UNPLANNED = 255 };

typedef struct {
  uint64_t url_off;    /* the URL in data (length-prefixed) */
  uint32_t src;        /* its source, or UINT32_MAX */
  uint8_t status;      /* mtport_asset_status, S_UNPLANNED before fetch */
  uint8_t host;        /* mtport_host_class */
  unsigned long post;  /* the first post that used it */
  long long entry;     /* its MT entry id */
  uint64_t reason_off; /* why (missing, substituted), or 0 */
} S_want;

typedef struct {
  int64_t member;      /* archive ordinal, or -1 for the mirror */
  uint64_t name_off;   /* the URL whose path names the stored file */
  uint64_t mime_off;   /* or 0 */
  uint64_t stored_off; /* after fetching, or 0 */
  uint64_t sha_off;
  uint64_t bytes;
  uint32_t first_url; /* the first URL that wanted it */
  uint8_t status;     /* of its content: copied, shared (with another
                         source), refused, failed, or S_UNPLANNED */
  long long asset_id, entry;
  uint64_t reason_off;
} S_src;

typedef struct {
  long long id;
  uint64_t ordinal;
} S_member;

typedef struct {
  int fd;
  char *name;
  unsigned part;
  char *display; /* "ARCHIVE:NAME" for the reader, made when it opens */
} S_part;

struct mtport_assets {
  char *site_url, *url_prefix, *archive, *support_url, *mirror_dir;
  int external;
  mtport_archive_limits limits;
  mtport_assets_url_fn url_fn;
  void *url_payload;
  mtport_assets_path_fn path_fn;
  void *path_payload;
  mtport_assets_page_fn page_fn;
  void *page_payload;
  int absolute_kept; /* kept relative references made absolute */
  mtport_diag_fn diag;
  void *diag_payload;
  mtport_asset_sniff_fn sniff;
  void *sniff_payload;
  mtport_asset_hosts *hosts;
  mtport_asset_records *records;
  mtport_mirror *mirror;
  mtport_link_index *links;
  mtport_spool *data;
  /* the archive */
  S_part *parts;
  size_t n_parts, cap_parts;
  const char **part_names; /* the displays, for the reader */
  S_member *members;
  size_t n_members, cap_members;
  /* what the posts refer to, and where it comes from: one fixed-size
   * record per URL and per source in files of slots, not in memory */
  mtport_strset *wanted;
  mtport_assets__slots wslots;
  /* TypePad xids seen on a blog host's /.a/ path, and that host's
   * "scheme://host" (an offset in data): an asset host's size of the same
   * xid has its original there */
  mtport_strset *xids;
  uint64_t *xid_base;
  size_t cap_xid_base;
  mtport_strset *srcs;
  mtport_assets__slots sslots;
  size_t n_s;
  uint32_t *files; /* sources that stored new content, in order */
  size_t n_files, cap_files;
  mtport_asset_store *store;
  mtport_asset_report *report;
  mtport_assets_totals counts;
  struct mtport_assets__fetching *fetching; /* fetch_source.c, or NULL */
  int fetched;
  pthread_mutex_t lock;
};

/* A run-level diagnostic to the options' sink (cleaned to UTF-8). */
void mtport_assets__diag(mtport_assets *as, mtport_severity sev,
                         const char *code, const char *file, unsigned long line,
                         const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/* Appends a length-prefixed string to the data spool; *off is its offset
 * + 1 (0 stays "none"). */
int mtport_assets__keep(mtport_assets *as, const char *s, size_t n,
                        uint64_t *off);
/* Reads the string kept at @off into @out. */
int mtport_assets__load(mtport_assets *as, uint64_t off, mtport_buf *out);
/* @arr with room for @need elements of @sz bytes, or NULL. */
void *mtport_assets__grow(void *arr, size_t *cap, size_t need, size_t sz);
/* The absolute form of reference @u (against @base, else the site URL)
 * into @out: 1, or 0 when it is not an http(s) URL worth looking at. */
int mtport_assets__absolute(const mtport_assets *as, const char *u,
                            const char *base, mtport_buf *out);

/* Stores source @k from @rd/@src into the store (gather.c); output
 * failures are returned, the source's own set its status. */
int mtport_assets__store_src(mtport_assets *as, uint32_t k, mtport_read_fn rd,
                             void *src, mtport_buf *tmp);

/* ---- fetch_source.c: downloads, the third source ---------------------- */

/* S_src.member of a download. */
#define MTPORT_ASSETS__DOWNLOAD (-2)

typedef struct mtport_assets__fetching mtport_assets__fetching;
void mtport_assets__fetching_free(mtport_assets__fetching *fg);
/* Step 2, URL @idx first collected: asked for at once when nothing but a
 * download can have it. */
int mtport_assets__fetch_early(mtport_assets *as, size_t idx, const char *url,
                               mtport_host_class host);
/* Step 3, URL @i (@url) that no other source has: its download source
 * (added and asked for when new) in w->src. */
int mtport_assets__fetch_plan(mtport_assets *as, uint32_t i, const char *url,
                              S_want *w);
/* Step 3, download source @k: waits for it and stores it. */
int mtport_assets__fetch_store(mtport_assets *as, uint32_t k, mtport_buf *tmp);
/* Step 3 is over: the counts of requests and bytes, the bar's end. */
void mtport_assets__fetch_done(mtport_assets *as);

#endif
