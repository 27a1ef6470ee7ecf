/**
 * @file assets.h
 * Self-contained sites: the files and links a post refers to.
 *
 * A converted blog must not depend on the host being shut down. This layer
 * sits between the importers and the exporters:
 *
 *  - **References** (mtport_html_refs(), mtport_html_rewrite()): every URL
 *    an HTML body shows or links to, with its byte range, and the body with
 *    chosen URLs replaced.
 *  - **Classification** (mtport_asset_url_classify()): whether a URL is a
 *    file (by extension, or by a known shape for extensionless URLs), and
 *    whether it lives on the blog's own hosts, on a host of the documented
 *    table of MT/TypePad asset hosts, or elsewhere.
 *  - **Internal links** (mtport_url_key(), ::mtport_link_index,
 *    mtport_old_page_shape()): old permalinks matched in every form they
 *    are written, and MT's archive, feed and script URLs recognised.
 *  - **Sources**: an MT backup archive (::mtport_archive: tar, tar.gz,
 *    zip or an extracted folder, read member by member and checked against
 *    hostile names, links and sizes), its manifest, the backup XML's asset
 *    records (::mtport_asset_records), and a copy of the old site
 *    (::mtport_mirror, `--assets-from`).
 *  - **The content store** (::mtport_asset_store): files streamed into the
 *    output with their SHA-256, one copy per content, each created
 *    exclusively and never through a symlink, under a name derived from
 *    the old URL (mtport_asset_path_for_url()).
 *  - **The report** (::mtport_asset_report): `mtport-assets.tsv`.
 *  - **The resolver** (::mtport_assets): all of the above in one object,
 *    in the order a run needs them: read the archive, collect each
 *    post's references, fetch the files, rewrite each post, report.
 *
 * Memory: no file is ever held whole; what grows with the number of assets
 * or posts lives in spools (util.h), a few bytes of memory each.
 */
#ifndef MTPORT_ASSETS_H
#define MTPORT_ASSETS_H

#include "common.h"
#include "diag.h"
#include "model.h"
#include "reader.h"
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- what counts as an asset ------------------------------------------ */

/** The kinds of file a post can refer to. */
typedef enum mtport_asset_kind {
  MTPORT_ASSET_NONE = 0, /**< not a file: a page, or nothing known */
  MTPORT_ASSET_IMAGE,    /**< jpg jpeg jpe jfif png gif webp avif bmp tif
                              tiff svg ico heic heif */
  MTPORT_ASSET_DOCUMENT, /**< pdf ps eps rtf txt epub mobi djvu */
  MTPORT_ASSET_AUDIO,    /**< mp3 m4a aac ogg oga opus wav flac wma aif aiff
                              mid midi ra ram */
  MTPORT_ASSET_VIDEO,    /**< mp4 m4v mov webm ogv avi wmv flv f4v mpg mpeg
                              3gp mkv swf rm */
  MTPORT_ASSET_ARCHIVE,  /**< zip gz tgz tar bz2 xz 7z rar lzh sit sitx hqx
                              dmg */
  MTPORT_ASSET_OFFICE,   /**< doc docx xls xlsx ppt pptx pps ppsx odt ods
                              odp odg pages key numbers csv */
  MTPORT_ASSET_FILE      /**< a file of another kind, known as a file only
                              because its source says so (a backup's asset
                              record, a mime type) */
} mtport_asset_kind;

/** The kind of a file name extension (without the dot, any case), from the
 *  table above; MTPORT_ASSET_NONE when the table does not list it (pages:
 *  html, php, cgi... are never assets by extension). */
MTPORT_EXTERN mtport_asset_kind mtport_asset_kind_of_ext(const char *ext,
                                                         size_t len);
/** The kind of the last path segment of @p url (query and fragment
 *  ignored, percent-encoding allowed), by its extension. */
MTPORT_EXTERN mtport_asset_kind mtport_asset_kind_of_url(const char *url);
/** The kind of a mime type ("image/png", parameters ignored):
 *  image/ audio/ video/ by their type, the others by a table;
 *  MTPORT_ASSET_NONE for text/html and unknown types. */
MTPORT_EXTERN mtport_asset_kind mtport_asset_kind_of_mime(const char *mime);
/** The usual extension for a mime type ("jpg" for image/jpeg), or NULL.
 *  Static storage. */
MTPORT_EXTERN const char *mtport_asset_ext_of_mime(const char *mime);
/** "image", "document", ... ("none" for MTPORT_ASSET_NONE). Static. */
MTPORT_EXTERN const char *mtport_asset_kind_name(mtport_asset_kind kind);
/** The mime type of the first @p n bytes of a file when they carry one of
 *  a few well-known signatures (PNG, JPEG, GIF, WebP, PDF, BMP, TIFF,
 *  ICO, ZIP, gzip, MP3, Ogg, MP4, SVG), else NULL. Static storage. The
 *  default sniffer of ::mtport_asset_store; libmagic can replace it
 *  (mtport_asset_store_set_sniffer()). */
MTPORT_EXTERN const char *mtport_asset_sniff(const void *head, size_t n);

/* ---- references in HTML ----------------------------------------------- */

/** The browser fetches it to show the page: img src/srcset, source
 *  src/srcset, video src/poster, audio src, object data, embed src,
 *  param value (name movie, src, url or filename). */
#define MTPORT_REF_EMBED 0x01u
/** One candidate URL of a srcset. */
#define MTPORT_REF_SRCSET 0x02u
/** The string literal URL of `window.open('...')` in an onclick (MT's
 *  pop-up links); ::mtport_html_ref.link is its element's href. */
#define MTPORT_REF_SCRIPT 0x04u
/** An img with one of MT's `mt-image-*` classes. */
#define MTPORT_REF_MT_IMAGE 0x08u
/** Inside an `<a href>`: ::mtport_html_ref.link is that href's index. */
#define MTPORT_REF_IN_LINK 0x10u
/** A link the reader follows: a href, area href (and its onclick). */
#define MTPORT_REF_LINK 0x20u

/** One URL in an HTML body. Borrowed: valid during the callback only. */
typedef struct mtport_html_ref {
  const char *tag;       /**< lower-case element name ("img", "a", "source",
                              "video", "audio", "object", "embed", "param",
                              "area"), static storage */
  const char *attr;      /**< "src", "srcset", "href", "poster", "data",
                              "value" or "onclick", static storage */
  const char *url;       /**< the URL: character references decoded, spaces
                              around it trimmed, valid UTF-8, NUL-terminated */
  size_t url_len;        /**< bytes of @c url */
  size_t start;          /**< the URL's bytes in the input are [start, end), */
  size_t end;            /**< as written (references not decoded) */
  unsigned long line;    /**< 1-based line of @c start in the input */
  unsigned flags;        /**< MTPORT_REF_* */
  long long mt_asset_id; /**< the id of the MT asset wrapper around it
                              (`<form mt:asset-id="N">`), 0 when none */
  size_t index;          /**< 0-based position among the body's references */
  size_t link;           /**< index of the `<a href>` it sits in, or SIZE_MAX */
} mtport_html_ref;

/** Called for each reference, in input order. Return 0 to go on, or a
 *  negative code to stop (returned by mtport_html_refs()). */
typedef int (*mtport_html_ref_fn)(const mtport_html_ref *ref, void *payload);

/**
 * Finds every reference in @p len bytes of @p html in one linear pass (no
 * recursion, no backtracking). Comments, <script> and <style> content and
 * tags never closed by '>' hold none. Only the first of repeated
 * attributes counts, as in HTML. Returns MTPORT_OK, MTPORT_ENOMEM, or the
 * callback's negative code.
 */
MTPORT_EXTERN int mtport_html_refs(const char *html, size_t len,
                                   mtport_html_ref_fn fn, void *payload);

/** Rewriting callback: to replace @p ref, put the new URL (plain, not
 *  escaped) into @p url (empty when called) and return 1; return 0 to
 *  keep it, or a negative code to stop. */
typedef int (*mtport_html_rewrite_fn)(const mtport_html_ref *ref,
                                      mtport_buf *url, void *payload);

/**
 * Appends @p html to @p out with the references the callback chose
 * replaced. Everything else is copied byte for byte. A new URL is escaped
 * for where it goes: `&`, `<`, `>` and the value's quote become
 * references; in a srcset, spaces and commas are percent-encoded; in an
 * onclick string, quotes and backslashes too; control characters always.
 * An unquoted value that changes is quoted. Invalid UTF-8 in a new URL is
 * repaired, so valid UTF-8 in gives valid UTF-8 out, and the element
 * structure never changes. On failure @p out is left as it was. Returns
 * MTPORT_OK, MTPORT_ENOMEM, or the callback's negative code.
 */
MTPORT_EXTERN int mtport_html_rewrite(mtport_buf *out, const char *html,
                                      size_t len, mtport_html_rewrite_fn fn,
                                      void *payload);

/* ---- hosts and URL shapes --------------------------------------------- */

/** Where a URL lives. */
typedef enum mtport_host_class {
  MTPORT_HOST_EXTERNAL = 0, /**< someone else's host: left alone unless
                                 the user asks (`--assets-external`) */
  MTPORT_HOST_OWN = 1,      /**< the blog's own: the site URL's host, an
                                 `--asset-host`, or no host at all (a
                                 relative URL with nothing to resolve it) */
  MTPORT_HOST_KNOWN = 2     /**< a host of the table below, shared by the
                                 blogs of a service being shut down */
} mtport_host_class;

/**
 * The blog's own hosts. Hosts compare without case, without a leading
 * "www." and without the scheme's default port.
 *
 * The known asset hosts (MTPORT_HOST_KNOWN), built in:
 *
 * | host | what lives there |
 * | --- | --- |
 * | `typepad.com`, `*.typepad.com` | TypePad blogs and their files:
 * `/.a/<xid>-pi` and its size variants, `/photos/…`, `/.shared/image.html?…`
 * pop-ups, `/files/…` | | `a1.typepad.com` … `a7.typepad.com`,
 * `up*.typepad.com`, `static.typepad.com` | TypePad's asset and upload hosts
 * (`/<xid>-320wi`, old uploads) | | `typepad.jp`, `*.typepad.jp` | TypePad
 * Japan, the same shapes | | `*.blogs.com` | TypePad blogs on TypePad's
 * blogs.com domain |
 *
 * Movable Type is installed on the blog's own server, so its files (and
 * its `assets_c/` thumbnails and pop-ups, its `mt-static/` files) are on
 * the site URL's host: the blog's own hosts cover them.
 */
typedef struct mtport_asset_hosts mtport_asset_hosts;

/** Creates an empty set of own hosts. Free with mtport_asset_hosts_free().
 *  MTPORT_OK or MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_asset_hosts_new(mtport_asset_hosts **out);
/** Frees @p h. NULL is a no-op. */
MTPORT_EXTERN void mtport_asset_hosts_free(mtport_asset_hosts *h);
/** Adds an own host, given as a URL ("http://example.com/blog/") or a host
 *  ("static.example.com", "example.com:8080"). MTPORT_OK, MTPORT_EINVALID
 *  when it names no host, or MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_asset_hosts_add(mtport_asset_hosts *h,
                                         const char *url_or_host);
/** Where absolute @p url lives (a URL without a host is the blog's own). */
MTPORT_EXTERN mtport_host_class
mtport_asset_hosts_class(const mtport_asset_hosts *h, const char *url);

/** A TypePad asset URL: `/.a/<xid>-<variant>` or an asset host's
 *  `/<xid>-<variant>`; ::mtport_asset_url.xid and variant are set. */
#define MTPORT_SHAPE_TYPEPAD_ASSET 0x01u
/** A TypePad photo album file (`/photos/...`). */
#define MTPORT_SHAPE_TYPEPAD_PHOTO 0x02u
/** A pop-up page that shows one image: TypePad's
 *  `.shared/image.html?<path>` (target is the image's URL) or MT's
 *  `assets_c/YYYY/MM/<name>-<id>.html` (the image is asset mt_asset_id). */
#define MTPORT_SHAPE_POPUP 0x04u
/** MT's thumbnail `assets_c/YYYY/MM/<name>-thumb-<W>x<H>-<id>.<ext>`:
 *  a smaller copy of asset mt_asset_id. */
#define MTPORT_SHAPE_MT_THUMB 0x08u

/** What a URL is, from its host and shape. Owns its strings; dispose with
 *  mtport_asset_url_dispose(). */
typedef struct mtport_asset_url {
  mtport_host_class host;
  mtport_asset_kind kind; /**< by extension or shape; NONE for pages */
  unsigned shape;         /**< MTPORT_SHAPE_* */
  long long mt_asset_id;  /**< MT thumbnail or pop-up: the image's asset id */
  char *target;  /**< the original this URL stands for, when the URL says:
                      a TypePad pop-up's image, a TypePad size variant's
                      `-pi` original; else NULL */
  char *xid;     /**< TypePad: the asset's xid, else NULL */
  char *variant; /**< TypePad: "pi", "800wi", "120si"..., else NULL */
} mtport_asset_url;

/** Classifies absolute @p url. Returns MTPORT_OK (fills @p out, which the
 *  caller disposes), MTPORT_EINVALID for a NULL url, or MTPORT_ENOMEM. A
 *  NULL @p h knows only the table's hosts. */
MTPORT_EXTERN int mtport_asset_url_classify(const mtport_asset_hosts *h,
                                            const char *url,
                                            mtport_asset_url *out);
/** Frees what @p u owns and zeroes it. NULL is a no-op. */
MTPORT_EXTERN void mtport_asset_url_dispose(mtport_asset_url *u);

/* ---- internal links ----------------------------------------------------- */

/**
 * The key under which an old URL is matched: @p url is resolved against
 * @p base (may be NULL) when relative, then the scheme, a leading "www."
 * and the default port are dropped, the host lower-cased,
 * percent-encoding normalised (unreserved characters and UTF-8 decoded,
 * other escapes upper-cased), dot segments removed, a last segment
 * `index.html`/`.htm`/`.php`/`.shtml` dropped, MT's `.html`, `.htm`,
 * `.php`, `.shtml` extensions of the last segment dropped, and a
 * trailing slash dropped. The query stays; the fragment (without '#')
 * goes to @p fragment (may be NULL) and is not part of the key. So
 * `https://www.Example.com:443/blog/2009/04/a.php#c1` and
 * `http://example.com/blog/2009/04/a/index.html` have the same key,
 * `example.com/blog/2009/04/a`. Keys are written to @p key (cleared
 * first). MTPORT_OK, MTPORT_EINVALID (no host after resolving), or
 * MTPORT_ENOMEM.
 */
MTPORT_EXTERN int mtport_url_key(mtport_buf *key, const char *url,
                                 const char *base, mtport_buf *fragment);

/** What a link can lead to. */
typedef enum mtport_link_kind {
  MTPORT_LINK_NONE = 0,
  MTPORT_LINK_POST,     /**< an entry or page */
  MTPORT_LINK_CATEGORY, /**< a category archive */
  MTPORT_LINK_TAG,      /**< a tag archive */
  MTPORT_LINK_DATE,     /**< a yearly, monthly or daily archive */
  MTPORT_LINK_FEED,     /**< a feed */
  MTPORT_LINK_HOME,     /**< the home page */
  MTPORT_LINK_OTHER     /**< anything else the caller keeps */
} mtport_link_kind;

/**
 * Old URLs and where they lead: an index from mtport_url_key() to a kind
 * and a caller's value (a post's number, say), kept in a spooled string
 * set: about 20 bytes of memory per URL. Lookups are thread-safe with
 * each other; additions must not run beside them.
 */
typedef struct mtport_link_index mtport_link_index;

/** Creates an empty index. Free with mtport_link_index_free(). */
MTPORT_EXTERN int mtport_link_index_new(mtport_link_index **out);
/** Frees @p ix. NULL is a no-op. */
MTPORT_EXTERN void mtport_link_index_free(mtport_link_index *ix);
/** Adds absolute @p url as a way to @p kind / @p value (below 2^56).
 *  Returns 1 when added, 0 when its key was there already (the first
 *  stays; *prev_kind and *prev_value, either may be NULL, get it), or
 *  MTPORT_EINVALID (no host, or @p value too big), MTPORT_ENOMEM,
 *  MTPORT_EIO (the spool). */
MTPORT_EXTERN int mtport_link_index_add(mtport_link_index *ix, const char *url,
                                        mtport_link_kind kind, uint64_t value,
                                        mtport_link_kind *prev_kind,
                                        uint64_t *prev_value);
/** Looks up @p url (resolved against @p base when relative). Returns 1
 *  with *kind, *value and the fragment in @p fragment (may be NULL), 0
 *  when unknown, or a negative code. */
MTPORT_EXTERN int mtport_link_index_find(mtport_link_index *ix, const char *url,
                                         const char *base,
                                         mtport_link_kind *kind,
                                         uint64_t *value, mtport_buf *fragment);
/** Number of URLs in the index. */
MTPORT_EXTERN size_t mtport_link_index_count(const mtport_link_index *ix);

/** The old page a URL's shape says it is, whatever the blog held. */
typedef enum mtport_old_page_kind {
  MTPORT_OLD_NONE = 0, /**< no known shape (a post, a category: ask the
                            index) */
  MTPORT_OLD_HOME,     /**< the site URL itself, or its index.html */
  MTPORT_OLD_YEAR,     /**< `YYYY/` */
  MTPORT_OLD_MONTH,    /**< `YYYY/MM/`, MT 3's `archives/YYYY_MM.html` */
  MTPORT_OLD_DAY,      /**< `YYYY/MM/DD/` */
  MTPORT_OLD_FEED,     /**< `atom.xml`, `index.xml`, `index.rdf`,
                            `rss.xml`, `rss2.xml`, `feed.xml`, in any
                            folder (name: the folder, "" at the top) */
  MTPORT_OLD_TAG,      /**< `mt-search.cgi?tag=NAME` (name: the tag) */
  MTPORT_OLD_SEARCH,   /**< `mt-search.cgi` / `mt-ftsearch.cgi` searches:
                            no new page to lead to */
  MTPORT_OLD_SCRIPT    /**< another MT script (`mt-comments.cgi`,
                            `mt-tb.cgi`, `mt-cp.cgi`, `mt.cgi`...; name:
                            the script): leads nowhere on a static site */
} mtport_old_page_kind;

/** An old page's shape. Owns @c name; dispose with
 *  mtport_old_page_dispose(). */
typedef struct mtport_old_page {
  mtport_old_page_kind kind;
  int year, month, day; /**< date archives */
  char *name;           /**< see the kinds; NULL otherwise */
} mtport_old_page;

/** Recognises the shape of absolute @p url on the blog at @p site_url
 *  (the date and feed shapes count below the site URL's path; scripts on
 *  its host anywhere). A NULL @p site_url knows only the scripts.
 *  MTPORT_OK (MTPORT_OLD_NONE when nothing matched) or MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_old_page_shape(mtport_old_page *out, const char *url,
                                        const char *site_url);
/** Frees @p p's name and zeroes it. NULL is a no-op. */
MTPORT_EXTERN void mtport_old_page_dispose(mtport_old_page *p);

/* ---- stored names ------------------------------------------------------- */

/** mtport_asset_path_for_url(): begin with the host ("a1.typepad.com/...",
 *  "www." dropped), for files from hosts other than the blog's own. */
#define MTPORT_ASSET_PATH_HOST 0x1u

/**
 * Where an asset from @p url lands, relative to the files folder: the URL's
 * path, percent-decoded (a segment that would not be UTF-8 keeps its
 * escapes), each segment made safe for every file system and site
 * generator: Unicode NFC; control characters dropped; `\ : * ? " < > |`
 * become '-'; leading `. _ # ~` (hidden, or skipped by Jekyll and Hugo)
 * and trailing dots and spaces removed; Windows device names (CON, PRN,
 * AUX, NUL, COM1-9, LPT1-9, any case, any extension) get a '_'; at most
 * 200 bytes, cut on a character boundary, the extension kept; empty, "."
 * and ".." segments dropped. A name without an asset extension gets the
 * one of @p mime (may be NULL; mtport_asset_ext_of_mime()). Never empty,
 * never absolute, no "..". Written to @p out (cleared first). MTPORT_OK or
 * MTPORT_ENOMEM.
 */
MTPORT_EXTERN int mtport_asset_path_for_url(mtport_buf *out, const char *url,
                                            const char *mime, unsigned flags);

/** Makes one path segment safe as mtport_asset_path_for_url() does
 *  (appended to @p out; nothing appended when nothing is left). */
MTPORT_EXTERN int mtport_asset_safe_segment(mtport_buf *out, const char *seg,
                                            size_t len);

/* ---- reading sources ---------------------------------------------------- */

/** A byte source: fills @p buf with up to @p cap bytes and sets *got; *got
 *  0 is the end. Returns MTPORT_OK or a negative code. */
typedef int (*mtport_read_fn)(void *src, void *buf, size_t cap, size_t *got);

/** Limits on an archive's members (0 in a field: its default). */
typedef struct mtport_archive_limits {
  uint64_t max_member;  /**< bytes of one member (default 4 GiB) */
  uint64_t max_ratio;   /**< the bytes read out of the members so far over
                             the archive's bytes read so far, checked past
                             the first MiB (default 200) */
  uint64_t max_members; /**< members in all (default 10,000,000) */
  uint64_t max_text;    /**< bytes of a manifest (default 64 MiB) */
} mtport_archive_limits;

/** What a member of a backup archive is, from its name. */
typedef enum mtport_member_role {
  MTPORT_MEMBER_OTHER = 0, /**< not part of an MT backup */
  MTPORT_MEMBER_XML,       /**< a backup XML part (`NAME.xml`,
                                `NAME-N.xml`) */
  MTPORT_MEMBER_MANIFEST,  /**< `NAME.manifest` */
  MTPORT_MEMBER_ASSET      /**< an asset file, `<asset_id>-<file_name>` */
} mtport_member_role;

/** One member, borrowed until the next mtport_archive_next(). */
typedef struct mtport_archive_member {
  const char *name; /**< its path in the archive, valid UTF-8 (bytes
                         that were not are shown as U+FFFD) */
  const char *base; /**< its last segment */
  mtport_member_role role;
  long long asset_id;       /**< MTPORT_MEMBER_ASSET: the id */
  const char *file_name;    /**< MTPORT_MEMBER_ASSET: the name after "<id>-" */
  unsigned part;            /**< MTPORT_MEMBER_XML: N of `-N.xml`, 0 without */
  int64_t size;             /**< bytes, or -1 when the archive does not say */
  uint64_t ordinal;         /**< 0-based position among the members */
  int name_repaired;        /**< 1 when the name was not valid UTF-8 */
  const char *refused;      /**< why it must not be read (a sentence naming
                                 the member), or NULL */
  const char *refused_code; /**< a diagnostic code for it, or NULL */
} mtport_archive_member;

/**
 * An MT backup archive, read member by member without extracting it:
 * tar (plain, gzip, bzip2 or xz compressed) or zip, through libarchive,
 * or a folder holding an extracted backup (walked in name order, no
 * symlink followed). Each member is checked before it is handed out:
 * absolute names, ".." segments, links (symbolic or hard), devices and
 * other non-files, Windows device names, names seen before, encrypted
 * zip members and members over max_member are refused (the member says
 * why; reading it gives MTPORT_EUNSAFE); reading past max_member or past
 * max_ratio stops with MTPORT_EUNSAFE. A truncated or damaged archive is
 * an error naming the member where it happened. Nothing is written.
 */
typedef struct mtport_archive mtport_archive;

/** Opens @p path (an archive or a folder). @p limits may be NULL.
 *  Returns MTPORT_OK, MTPORT_EIO (unreadable), MTPORT_EPARSE (not a tar or
 *  zip archive; mtport_archive_error() says why, when *out is set) or
 *  MTPORT_ENOMEM. On failure *out is NULL. */
MTPORT_EXTERN int mtport_archive_open(mtport_archive **out, const char *path,
                                      const mtport_archive_limits *limits);
/** As mtport_archive_open() on an open descriptor @p fd (of an archive
 *  file, a pipe or a folder), which the archive owns from then on, even
 *  on failure; @p name names it in messages. A zip needs a file. */
MTPORT_EXTERN int mtport_archive_open_fd(mtport_archive **out, int fd,
                                         const char *name,
                                         const mtport_archive_limits *limits);
/** Moves to the next member (skipping what was not read of the last one,
 *  and folders). Returns 1 with *member, 0 at the end, or a negative code
 *  (MTPORT_EPARSE: truncated or damaged, MTPORT_EUNSAFE: too many
 *  members; see mtport_archive_error()). */
MTPORT_EXTERN int mtport_archive_next(mtport_archive *a,
                                      const mtport_archive_member **member);
/** Reads the current member's bytes (a ::mtport_read_fn with the archive as
 *  source). MTPORT_OK with *got (0 at its end), MTPORT_EUNSAFE (refused, or
 *  over a limit), MTPORT_EPARSE (truncated or damaged), MTPORT_EIO. */
MTPORT_EXTERN int mtport_archive_read(void *archive, void *buf, size_t cap,
                                      size_t *got);
/** The last error, a sentence naming the archive and the member; "" when
 *  none. Borrowed until the next call. */
MTPORT_EXTERN const char *mtport_archive_error(const mtport_archive *a);
/** Closes and frees @p a. NULL is a no-op. */
MTPORT_EXTERN void mtport_archive_free(mtport_archive *a);
/** 1 when the first @p n bytes of a file look like an archive this reader
 *  takes (gzip, bzip2, xz, zip, tar), else 0. */
MTPORT_EXTERN int mtport_archive_sniff(const void *head, size_t n);
/** 1 when @p path is what mtport reads as a backup archive: a folder
 *  holding an extracted backup (its `.manifest` at the top, as MT packs
 *  it), or a regular file whose first bytes mtport_archive_sniff() takes;
 *  else 0 ("-", standard input, is never one). */
MTPORT_EXTERN int mtport_archive_path_sniff(const char *path);

/** Called for each `<file>` of a manifest: @p type "backup" or "asset",
 *  @p name as written (for assets MT writes the file name without the
 *  "<id>-" the member has), @p asset_id (0 when absent). Return 0 or a
 *  negative code to stop. */
typedef int (*mtport_manifest_fn)(const char *type, const char *name,
                                  long long asset_id, void *payload);
/** Parses an MT manifest held in memory (no DTD, no entities loaded, no
 *  network). MTPORT_OK, MTPORT_EPARSE (not XML or not a `manifest`), or
 *  the callback's code. */
MTPORT_EXTERN int mtport_manifest_parse(const char *xml, size_t len,
                                        mtport_manifest_fn fn, void *payload);

/** One asset record of a backup XML. Borrowed: valid until the next call
 *  on the records. */
typedef struct mtport_asset_record {
  long long id;
  long long blog_id;
  long long parent;      /**< the original of a thumbnail or pop-up, 0 */
  const char *element;   /**< "asset", "image", "file", "audio", "video" */
  const char *url;       /**< absolute, placeholders resolved; NULL when
                              it could not be resolved */
  const char *raw_url;   /**< as written (may start with %r, %a, %s) */
  const char *file_path; /**< as written, or NULL */
  const char *file_name; /**< or NULL */
  const char *mime_type; /**< or NULL */
  const char *label;     /**< or NULL */
  long long entry_id;    /**< the first entry linked to it through
                              `objectasset`, 0 when none */
  unsigned long line;    /**< where the record starts */
  unsigned part;         /**< the XML part (0 or 1-based N) */
} mtport_asset_record;

/**
 * The asset records of a backup (`asset`, `image`, `file`, `audio`,
 * `video` elements, their `objectasset` links to entries, and the blogs'
 * `site_url`/`archive_url`), read from its XML parts in any order and
 * kept in a spool: about 50 bytes of memory per asset. After
 * mtport_asset_records_finish(), each URL is absolute: `%r` is the blog's
 * site URL, `%a` its archive URL (else the site URL), `%s` the support
 * URL given (else unresolved).
 */
typedef struct mtport_asset_records mtport_asset_records;

/** Creates an empty table. @p support_url (may be NULL) resolves `%s`. */
MTPORT_EXTERN int mtport_asset_records_new(mtport_asset_records **out,
                                           const char *support_url);
/** Frees @p r. NULL is a no-op. */
MTPORT_EXTERN void mtport_asset_records_free(mtport_asset_records *r);
/** Streams one backup XML part through libxml2's reader (no DTD, no
 *  entities, no network), keeping the records. @p name names the part in
 *  diagnostics, @p part is its N (0 for an unsplit backup). Diagnostics
 *  (malformed XML, a record without an id) go to @p diag (may be NULL).
 *  MTPORT_OK, MTPORT_EPARSE (the part is malformed: records before the
 *  fault are kept), MTPORT_ENOMEM, MTPORT_EIO, or @p rd's code. */
MTPORT_EXTERN int mtport_asset_records_scan(mtport_asset_records *r,
                                            mtport_read_fn rd, void *src,
                                            const char *name, unsigned part,
                                            mtport_diag_fn diag, void *payload);
/** After the last part: resolves placeholders and objectasset links and
 *  indexes the URLs. MTPORT_OK or a negative code. */
MTPORT_EXTERN int mtport_asset_records_finish(mtport_asset_records *r);
/** Number of records. */
MTPORT_EXTERN size_t mtport_asset_records_count(const mtport_asset_records *r);
/** The @p i-th record in reading order. 1, 0 past the end, or negative. */
MTPORT_EXTERN int mtport_asset_records_at(mtport_asset_records *r, size_t i,
                                          mtport_asset_record *out);
/** The record with asset id @p id: 1, 0 when none, or negative. */
MTPORT_EXTERN int mtport_asset_records_by_id(mtport_asset_records *r,
                                             long long id,
                                             mtport_asset_record *out);
/** The record whose URL has the mtport_url_key() of @p url: 1, 0 when
 *  none, or negative. Needs mtport_asset_records_finish(). */
MTPORT_EXTERN int mtport_asset_records_by_url(mtport_asset_records *r,
                                              const char *url,
                                              mtport_asset_record *out);

/**
 * A copy of the old site's files (`--assets-from DIR`): an FTP copy of
 * the site folder, a `wget --mirror` copy (DIR/HOST/PATH), or a TypePad
 * dump. Nothing outside DIR is ever opened: a path is walked one segment
 * at a time without following symlinks, and ".." never leaves a segment.
 */
typedef struct mtport_mirror mtport_mirror;

/** Opens folder @p dir. @p site_url (may be NULL) lets a copy of the site
 *  folder itself be found: its path is tried without the site URL's
 *  path. MTPORT_OK, MTPORT_EIO (not a folder), MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_mirror_open(mtport_mirror **out, const char *dir,
                                     const char *site_url);
/** Frees @p m. NULL is a no-op. */
MTPORT_EXTERN void mtport_mirror_free(mtport_mirror *m);
/**
 * Opens the file for absolute @p url. Tried in order, each
 * percent-decoded: DIR/PATH, DIR/PATH below the site URL's path,
 * DIR/HOST/PATH (with and without "www."); a path ending in '/' or naming
 * a folder means its index.html; a URL with a query also tries wget's
 * `NAME?QUERY` file name. Returns 1 with *fd (read-only, the caller
 * closes it) and the file's path inside DIR in @p rel (may be NULL), 0
 * when no regular file is there, or MTPORT_ENOMEM.
 */
MTPORT_EXTERN int mtport_mirror_find(mtport_mirror *m, const char *url, int *fd,
                                     mtport_buf *rel);

/** Reads from a file descriptor (a ::mtport_read_fn over an `int *`). */
MTPORT_EXTERN int mtport_fd_read(void *fd, void *buf, size_t cap, size_t *got);

/* ---- the content store ------------------------------------------------- */

/** mtport_asset_store_new(): replace files already there (--force) instead
 *  of failing with MTPORT_EEXISTS. */
#define MTPORT_STORE_FORCE 0x1u

/** Gives the mime type of a file from its first bytes (up to 512), or
 *  NULL. The hook for libmagic. */
typedef const char *(*mtport_asset_sniff_fn)(const void *head, size_t n,
                                             void *payload);

/** What mtport_asset_store_put() did. */
typedef struct mtport_asset_stored {
  const char *path; /**< where the content is, relative to the store's
                         folder ('/'-separated); borrowed until the next
                         put */
  uint64_t bytes;
  char sha256[65];  /**< lower-case hex */
  int shared;       /**< 1: the same content was stored before, at path;
                         nothing new was written */
  const char *mime; /**< the mime type given or sniffed, or NULL;
                         borrowed like path */
  int source_rc;    /**< when put failed because of the source: its code
                         (MTPORT_EUNSAFE for a source over max_bytes) */
} mtport_asset_stored;

/**
 * Files streamed into a folder with their SHA-256 (OpenSSL's libcrypto),
 * one copy per content. A file is written to a temporary name beside its
 * place and linked into place only when whole, so a name is never
 * written through and a failure leaves nothing. Folders are opened one
 * at a time without following symlinks. Two contents wanting the same
 * name (compared without ASCII case, for case-insensitive file systems)
 * get `NAME-2.EXT`, `NAME-3.EXT`... in the order they are put. Memory:
 * about 30 bytes per file (spooled sets).
 */
typedef struct mtport_asset_store mtport_asset_store;

/** Creates a store writing below folder @p root (made, with its parents,
 *  when missing). @p flags: MTPORT_STORE_FORCE. MTPORT_OK, MTPORT_EIO
 *  (the folder cannot be made or opened), MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_asset_store_new(mtport_asset_store **out,
                                         const char *root, unsigned flags);
/** Frees @p st (files stay). NULL is a no-op. */
MTPORT_EXTERN void mtport_asset_store_free(mtport_asset_store *st);
/** Replaces the sniffer (default mtport_asset_sniff(); NULL: none). */
MTPORT_EXTERN void mtport_asset_store_set_sniffer(mtport_asset_store *st,
                                                  mtport_asset_sniff_fn fn,
                                                  void *payload);
/**
 * Streams @p rd / @p src into the store. @p want is the relative path
 * wanted (mtport_asset_path_for_url(); it is made safe again here); when
 * its last segment has no asset extension, the one of @p mime (may be
 * NULL), else of the sniffed type, is added. At most @p max_bytes are
 * taken (0: no limit). Returns MTPORT_OK with @p res; MTPORT_ERROR when
 * the source failed (res->source_rc says how; nothing is left behind);
 * MTPORT_EEXISTS when the name is taken by a file of an earlier run and
 * the store has no MTPORT_STORE_FORCE; MTPORT_EUNSAFE when a folder on
 * the way is a symlink or a file; MTPORT_EIO when writing failed;
 * MTPORT_ENOMEM.
 */
MTPORT_EXTERN int mtport_asset_store_put(mtport_asset_store *st,
                                         const char *want, const char *mime,
                                         mtport_read_fn rd, void *src,
                                         uint64_t max_bytes,
                                         mtport_asset_stored *res);
/** Files written and contents shared so far. */
MTPORT_EXTERN void mtport_asset_store_counts(const mtport_asset_store *st,
                                             size_t *written, size_t *shared,
                                             uint64_t *bytes);

/* ---- the report --------------------------------------------------------- */

/** What became of an asset. */
typedef enum mtport_asset_status {
  MTPORT_ASSET_COPIED = 0, /**< stored from a source */
  MTPORT_ASSET_SHARED,     /**< same content as another URL's: one copy */
  MTPORT_ASSET_MISSING,    /**< no source has it: the post keeps the URL */
  MTPORT_ASSET_EXTERNAL,   /**< on someone else's host: left alone */
  MTPORT_ASSET_REFUSED,    /**< the source's copy was unsafe (hostile) */
  MTPORT_ASSET_FAILED,     /**< a source or the output failed (a download:
                                 its HTTP status or error in the reason) */
  MTPORT_ASSET_FETCHED,    /**< downloaded by this run (`--fetch-assets`) */
  MTPORT_ASSET_CACHED,     /**< downloaded by an earlier run: from the
                                fetch cache, no request */
  MTPORT_ASSET_TOO_LARGE   /**< a download over the size cap */
} mtport_asset_status;
#define MTPORT_ASSET_STATUS_COUNT 9

/** "copied", "shared", "missing", "external", "refused", "failed",
 *  "fetched", "cached", "too-large". */
MTPORT_EXTERN const char *mtport_asset_status_name(mtport_asset_status s);

/** One row of the report; every string may be NULL. */
typedef struct mtport_asset_row {
  const char *url;
  mtport_asset_status status;
  const char *source; /**< "backup:NAME", "mirror:PATH", ... */
  const char *stored; /**< the stored path */
  uint64_t bytes;
  const char *sha256;
  const char *reason; /**< why, for every status but copied */
} mtport_asset_row;

/**
 * `mtport-assets.tsv`: one row per URL, with the posts that use it, in
 * URL order (bytewise). Rows and uses live in spools: about 35 bytes of
 * memory per URL.
 */
typedef struct mtport_asset_report mtport_asset_report;

MTPORT_EXTERN int mtport_asset_report_new(mtport_asset_report **out);
MTPORT_EXTERN void mtport_asset_report_free(mtport_asset_report *r);
/** Sets the row of @p row->url (a later set replaces an earlier one).
 *  MTPORT_OK, MTPORT_EINVALID (no URL), MTPORT_ENOMEM, MTPORT_EIO. */
MTPORT_EXTERN int mtport_asset_report_set(mtport_asset_report *r,
                                          const mtport_asset_row *row);
/** Notes that post @p post (a label such as "entry 12") uses @p url; a
 *  URL used but never set is reported as missing, "not resolved". */
MTPORT_EXTERN int mtport_asset_report_use(mtport_asset_report *r,
                                          const char *url, const char *post);
/** Writes the header line and the rows: URL, status, source, stored
 *  path, bytes, SHA-256, posts (space-separated, in the order of use;
 *  uses by one post in a row count once), reason. Tabs, newlines and
 * backslashes in fields are written as \t, \n and \\. MTPORT_OK, MTPORT_EIO,
 * MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_asset_report_write(mtport_asset_report *r, FILE *out);
/** Rows per status, into @p counts[MTPORT_ASSET_STATUS_COUNT]. */
MTPORT_EXTERN void mtport_asset_report_counts(const mtport_asset_report *r,
                                              size_t *counts);

/* ---- the resolver ---------------------------------------------------------
 */

/**
 * The layer in one object, for a run. Its life:
 *
 *  1. mtport_assets_new() with the options; mtport_assets_scan_archive()
 *     reads the backup archive once: it keeps the XML parts in unlinked
 *     files in $TMPDIR for the reader (mtport_assets_xml_open()), reads
 *     their asset records and the manifest, and notes where each asset
 *     member is. A plain backup XML input gives its asset records with
 *     mtport_assets_scan_xml().
 *  2. For every post, in input order, on one thread: mtport_assets_add_link()
 *     for its old URLs, and mtport_assets_collect() for each HTML text.
 *  3. mtport_assets_fetch(): every file referred to is found (the
 *     archive, by URL, by MT's thumbnail and pop-up asset ids, TypePad's
 *     originals; then the mirror) and stored, the archive read a second
 *     time in its own order.
 *  4. For every post, on any thread: mtport_assets_rewrite() of each HTML
 *     text, before its conversion to Markdown; what it could not resolve
 *     comes back in a ::mtport_assets_found for the caller to report.
 *  5. mtport_assets_write_report() and mtport_assets_counts().
 *
 * Memory: about 300 bytes per file referred to, in the tables of the
 * records, the store and the report (each file's own record and its
 * source's live in files of fixed-size slots); about 20 per old URL. File
 * bytes are streamed, XML parts and strings spooled. Measured with
 * asset_bench: 17 MB at the peak for 10,000 posts and 20,000 files, 12 MB
 * for 2,000 and 4,000 (reading the posts alone: 6 MB).
 */
typedef struct mtport_assets mtport_assets;

/** Makes the new URL of a stored file for a post (when the files live
 *  beside each post, say): the caller's @p payload, @p stored (relative
 *  to the store's folder, '/'-separated, not escaped), the @p post being
 *  rewritten. Put the URL (escaped as it must be in a URL) in @p url and
 *  return MTPORT_OK, or a negative code. */
typedef int (*mtport_assets_url_fn)(void *payload, const char *stored,
                                    const mtport_post *post, mtport_buf *url);
/** Leads an old page that is not a post (a date archive, a feed, a tag
 *  search, the home page) to its new URL: put it in @p url and return 1,
 *  or return 0 when the new site has no such page. */
typedef int (*mtport_assets_page_fn)(void *payload, const mtport_old_page *p,
                                     mtport_buf *url);

/** Chooses where a file lands below the store's folder (when the output
 *  keeps files beside posts, say): @p url is the old URL the file is
 *  stored for, @p post the ordinal of the first post that used it, @p mime
 *  its type when known (or NULL). Put a relative path in @p want (it is
 *  made safe again; an extension comes from the type when it has none)
 *  and return MTPORT_OK, or a negative code. */
typedef int (*mtport_assets_path_fn)(void *payload, const char *url,
                                     unsigned long post, const char *mime,
                                     mtport_buf *want);

typedef struct mtport_assets_options {
  unsigned version;     /**< MTPORT_ASSETS_OPTIONS_VERSION */
  const char *site_url; /**< the blog's URL: its host is the blog's own, it
                             resolves relative references without a base */
  const char *const *asset_hosts; /**< more own hosts (`--asset-host`) */
  size_t n_asset_hosts;
  int external;            /**< copy files of other hosts too, when a source
                                has them (`--assets-external`) */
  const char *archive;     /**< a backup archive or its folder, or NULL */
  const char *mirror;      /**< `--assets-from DIR`, or NULL */
  const char *support_url; /**< what `%s` in asset URLs stands for */
  mtport_archive_limits limits; /**< zeros: the defaults */
  const char *url_prefix;       /**< a stored file's new URL is this followed by
                                     its stored path, escaped (NULL: "/") */
  mtport_assets_url_fn url_fn;  /**< or this, when set */
  void *url_payload;
  mtport_assets_page_fn page_fn; /**< old pages that are not posts */
  void *page_payload;
  mtport_diag_fn diag; /**< run-level diagnostics (the archive, its
                            manifest and records, fetching); may be NULL */
  void *diag_payload;
  mtport_asset_sniff_fn sniff; /**< the type of a file without one (NULL:
                                    mtport_asset_sniff()); libmagic's hook */
  void *sniff_payload;
  /** `--fetch-assets`: download what the archive and the mirror lack
   *  (mtport_assets_set_fetch(), called by mtport_assets_new()); NULL:
   *  nothing is downloaded. Borrowed during mtport_assets_new() only. */
  const struct mtport_assets_fetch_options *fetch;
} mtport_assets_options;

#define MTPORT_ASSETS_OPTIONS_VERSION 1u
#define MTPORT_ASSETS_OPTIONS_INIT                                             \
  {                                                                            \
    MTPORT_ASSETS_OPTIONS_VERSION, NULL, NULL, 0, 0, NULL, NULL, NULL,         \
        {0, 0, 0, 0}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,    \
        NULL                                                                   \
  }

/** What rewriting one text found: counts, and one line per reference it
 *  could not resolve (see mtport_assets_found_report()). Dispose with
 *  mtport_assets_found_dispose(). Start from MTPORT_ASSETS_FOUND_INIT; a
 *  found may collect several texts. */
typedef struct mtport_assets_found {
  unsigned long assets;     /**< file references rewritten */
  unsigned long links;      /**< links rewritten to a new page */
  unsigned long unresolved; /**< references kept as they were, reported */
  mtport_buf findings;      /**< private: what the report emits */
} mtport_assets_found;

#define MTPORT_ASSETS_FOUND_INIT                                               \
  { 0, 0, 0, MTPORT_BUF_INIT }

/** The run's totals. */
typedef struct mtport_assets_totals {
  size_t referenced; /**< file URLs collected (what `mtport inspect` counts
                          before anything is fetched) */
  size_t old_urls;   /**< old URLs added with mtport_assets_add_link() */
  size_t copied;     /**< files stored */
  size_t shared;     /**< URLs whose content another URL already stored */
  size_t missing;    /**< files no source had */
  size_t external;   /**< files left on other hosts */
  size_t refused;    /**< files whose source was unsafe */
  size_t failed;     /**< files a source or the output failed on */
  unsigned long links_rewritten;
  unsigned long links_unresolved;
  uint64_t bytes; /**< bytes stored */
  /* fetching (mtport_assets_set_fetch()); failed downloads count in
   * failed */
  size_t fetched;      /**< files downloaded by this run */
  size_t cached;       /**< files an earlier run downloaded */
  size_t too_large;    /**< downloads over the size cap */
  uint64_t requests;   /**< HTTP requests made (redirects, retries) */
  uint64_t downloaded; /**< body bytes downloaded */
} mtport_assets_totals;

/** Creates a resolver (copies what it needs of @p o). MTPORT_OK,
 *  MTPORT_EINVALID (a bad version, an own host that names no host),
 *  MTPORT_EIO (the mirror is not a folder), MTPORT_ENOMEM, MTPORT_ERROR
 *  (@p o's fetching cannot start: reported through its diag sink). */
MTPORT_EXTERN int mtport_assets_new(mtport_assets **out,
                                    const mtport_assets_options *o);
/** Frees @p as (stored files stay). NULL is a no-op. */
MTPORT_EXTERN void mtport_assets_free(mtport_assets *as);

/** The blog's URL once the input says it (the first reader's site, after
 *  the archive was scanned): its host becomes an own host, relative
 *  references resolve against it, the mirror looks below its path.
 *  Before mtport_assets_fetch(). MTPORT_OK, MTPORT_EINVALID (no host, or
 *  too late), MTPORT_EIO (the mirror), MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_assets_set_site_url(mtport_assets *as,
                                             const char *site_url);

/** What an output decides late (in its prepass_done(), say): how stored
 *  files are reached and where they go, and its old pages. A NULL field
 *  keeps what the options or an earlier call set. */
typedef struct mtport_assets_output {
  const char *url_prefix;
  mtport_assets_url_fn url_fn;
  void *url_payload;
  mtport_assets_path_fn path_fn; /**< NULL: mtport_asset_path_for_url() */
  void *path_payload;
  mtport_assets_page_fn page_fn;
  void *page_payload;
  /** 1: a reference mtport_assets_rewrite() keeps (not a stored file, not a
   *  known page) is made absolute against its base when it was relative,
   *  so the text holds no relative URL but the new ones (which an output
   *  then must not resolve against the old permalink). */
  int absolute_kept;
} mtport_assets_output;

/** Sets what @p o gives; before mtport_assets_fetch() for path_fn, before
 *  any mtport_assets_rewrite() for the rest. MTPORT_OK, MTPORT_EINVALID,
 *  MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_assets_set_output(mtport_assets *as,
                                           const mtport_assets_output *o);

/** Step 1 with an archive: reads it once (see above). Diagnostics for
 *  refused members, manifest mismatches and malformed records go to the
 *  options' sink. MTPORT_OK; MTPORT_EIO, MTPORT_EPARSE or MTPORT_EUNSAFE
 *  when the archive cannot be read on (reported as fatal); MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_assets_scan_archive(mtport_assets *as);
/** Number of XML parts the archive held, in reading order: part 1 (or the
 *  unsplit file) first, then 2, 3... */
MTPORT_EXTERN size_t mtport_assets_xml_count(const mtport_assets *as);
/** Opens XML part @p i for reading from its start: *fd (the caller closes
 *  it), its member name in *name (borrowed from @p as) and its N in *part
 *  (0 for an unsplit backup). The descriptors of one part share their
 *  offset (dup(2)): read a part through one of them at a time; pread(2)
 *  works on any. MTPORT_OK, MTPORT_EINVALID, MTPORT_EIO. */
MTPORT_EXTERN int mtport_assets_xml_open(mtport_assets *as, size_t i, int *fd,
                                         const char **name, unsigned *part);
/** A reader (reader.h) of the backup XML the archive held: part 1 (or the
 *  unsplit file) with parts 2, 3... read together, as the backup reader
 *  reads a split backup beside its first part; diagnostics name
 *  `ARCHIVE:MEMBER`. After mtport_assets_scan_archive(); the reader must
 *  be freed before @p as. MTPORT_OK, MTPORT_EINVALID (no archive),
 *  MTPORT_EPARSE (no XML in it), MTPORT_EIO, MTPORT_ENOMEM, or the
 *  reader's code. */
MTPORT_EXTERN int mtport_assets_open_reader(mtport_assets *as,
                                            const mtport_reader_options *opts,
                                            mtport_reader **out);
/** Step 1 without an archive: the asset records of a backup XML part. */
MTPORT_EXTERN int mtport_assets_scan_xml(mtport_assets *as, mtport_read_fn rd,
                                         void *src, const char *name,
                                         unsigned part);

/** Step 2: old URL @p old_url (absolute) now lives at @p new_url (as it
 *  goes into HTML: relative, root-relative or absolute). The first of a
 *  key wins; a second one is reported. MTPORT_OK or a negative code. */
MTPORT_EXTERN int mtport_assets_add_link(mtport_assets *as, const char *old_url,
                                         mtport_link_kind kind,
                                         const char *new_url);
/** Step 2: the references of one HTML text of @p post (@p field names it
 *  in messages: "body", "extended body", "excerpt", "comment 3"),
 *  relative ones resolved against @p base (NULL: the post's permalink,
 *  else the site URL). MTPORT_OK or a negative code. */
MTPORT_EXTERN int mtport_assets_collect(mtport_assets *as,
                                        const mtport_post *post,
                                        const char *field, const char *html,
                                        size_t len, const char *base);
/** Step 3: finds and stores every file collected, below folder @p root
 *  (made when missing; @p store_flags: MTPORT_STORE_FORCE), each under its
 *  mtport_asset_path_for_url() name. A file no source has is missing, not
 *  an error. MTPORT_OK, or a negative code when the output or the archive
 *  fails (reported). */
MTPORT_EXTERN int mtport_assets_fetch(mtport_assets *as, const char *root,
                                      unsigned store_flags);
/** Step 4: appends @p html with every reference to a stored file or to a
 *  known page replaced by its new URL (fragments kept) to @p out; adds to
 *  @p found. Thread-safe after mtport_assets_fetch(). MTPORT_OK or a
 *  negative code. */
MTPORT_EXTERN int mtport_assets_rewrite(mtport_assets *as,
                                        const mtport_post *post,
                                        const char *field, const char *html,
                                        size_t len, const char *base,
                                        mtport_buf *out,
                                        mtport_assets_found *found);
/** Reports each finding of @p f about @p post as a warning (codes
 *  "asset-missing", "asset-refused", "asset-failed", "link-unresolved",
 *  "link-dead"), at the post's origin, the field and line in the
 *  message. */
MTPORT_EXTERN void mtport_assets_found_report(const mtport_assets_found *f,
                                              const mtport_post *post,
                                              mtport_diag_fn fn, void *payload);
/** Frees what @p f holds and zeroes it. NULL is a no-op. */
MTPORT_EXTERN void mtport_assets_found_dispose(mtport_assets_found *f);

/** One stored file, for outputs that list them (WXR attachments). */
typedef struct mtport_assets_file {
  const char *url;    /**< the first old URL that led to it */
  const char *stored; /**< its path below the store's folder */
  const char *mime;   /**< or NULL */
  const char *sha256;
  uint64_t bytes;
  long long asset_id; /**< its MT asset record's id, or 0 */
  long long entry_id; /**< the MT entry of the first post that used it
                           (or its record's objectasset entry), or 0 */
  unsigned long post; /**< the ordinal of the first post that used it */
} mtport_assets_file;

/** Calls @p fn for each stored file, in the order they were stored;
 *  strings are borrowed for the call. Stops at a negative return. */
MTPORT_EXTERN int
mtport_assets_each_file(mtport_assets *as,
                        int (*fn)(void *payload, const mtport_assets_file *f),
                        void *payload);

/** Step 5: `mtport-assets.tsv` to @p out (::mtport_asset_report). */
MTPORT_EXTERN int mtport_assets_write_report(mtport_assets *as, FILE *out);
/** Step 5: the totals so far. */
MTPORT_EXTERN void mtport_assets_counts(const mtport_assets *as,
                                        mtport_assets_totals *c);

/* ---- fetching: the resolver's third source ---------------------------- */

/** Called at most ten times a second while files download, and when all
 *  the files asked for so far are done: files done and asked for, body
 *  bytes downloaded. On the downloader's thread, never the caller's. */
typedef void (*mtport_assets_progress_fn)(void *payload, uint64_t files_done,
                                          uint64_t files_total, uint64_t bytes);

/**
 * Downloading what the archive and the mirror do not hold
 * (`--fetch-assets`). The files of the blog's own hosts and of the known
 * TypePad hosts (never another host, whatever `external` says) are
 * requested over http and https only, by libcurl on a thread of its own,
 * several at once; each file is streamed into a cache on disk (never held
 * whole) and from there into the content store under the resolver's own
 * name for its URL (mtport_asset_path_for_url(): never a name the server
 * gives), with the extension its content calls for when the URL has none
 * (libmagic).
 *
 * - **Requests.** At most 5 redirects, each checked like the URL itself;
 *   a redirect to another scheme is refused, except http to https on the
 *   same host and default ports (blogs that moved to https in place). A
 *   404 (and any other 4xx but 429) is final; 429, 5xx and network
 *   errors are retried with a doubling backoff, and `Retry-After` is
 *   honoured (up to a minute; a longer one fails at once).
 * - **What a URL stands for.** TypePad's size variants of one image
 *   (`.../.a/<xid>-320wi`, `-800wi`, `-250si`...) are one file: the
 *   original `-pi` when it answers, else the largest variant the posts
 *   use. A pop-up page (TypePad's `.shared/image.html?…`, MT's
 *   `assets_c/…/<name>-<id>.html`) stands for the image it shows.
 * - **The cache** keeps every outcome by URL (status, type, `ETag`,
 *   `Last-Modified`, SHA-256), written atomically, so a killed run
 *   resumes and a rerun requests only what is missing or failed with an
 *   error that may pass; `retry_failed` asks again for final failures
 *   too; `offline` makes no request at all.
 * - **When.** Files are asked for as their posts are collected (when no
 *   backup archive is given; else once the archive's own files are
 *   known) and stored during mtport_assets_fetch(), in the order they
 *   were first referred to: the outputs are the same with 1 job or 8,
 *   and no download runs while posts are written.
 * - **Outcomes** are report statuses: fetched, cached, shared, failed
 *   (the reason gives the HTTP status or the error), too-large; files of
 *   other hosts stay external. Each failure is also a run-level
 *   diagnostic, "asset-fetch-failed": a warning, or an error with
 *   `strict`.
 *
 * Memory: a few dozen bytes per file asked for, plus one 64 KiB buffer
 * per download under way.
 */
typedef struct mtport_assets_fetch_options {
  unsigned version;        /**< MTPORT_ASSETS_FETCH_OPTIONS_VERSION */
  const char *cache_dir;   /**< required (copied): made with its parents when
                                missing. The command line's default is
                                `.mtport-cache` beside the output */
  unsigned jobs;           /**< downloads at once (`--fetch-jobs`); 0: 4, at
                                most 64 */
  int retries;             /**< tries after the first (`--retries`); < 0: 3 */
  uint64_t max_size;       /**< bytes per file (`--max-asset-size`); 0: 200 MB
                                (200 * 2^20) */
  int offline;             /**< no request; the cache alone (`--offline`) */
  int retry_failed;        /**< ask again for final failures (404...) of
                                earlier runs (`--retry-failed`) */
  int insecure;            /**< no TLS verification (`--insecure`); warned
                                about through the diagnostics */
  int strict;              /**< failures are errors (`--strict-assets`) */
  long connect_timeout_ms; /**< 0: 15 s */
  long stall_timeout_s;    /**< this long without a byte is a timeout; 0:
                                30 s */
  const char *user_agent;  /**< NULL: "mtport/<version>" (copied) */
  mtport_assets_progress_fn progress; /**< or NULL (a ready-made one:
                                           mtport_assets_progress_bar()) */
  void *progress_payload;
} mtport_assets_fetch_options;

#define MTPORT_ASSETS_FETCH_OPTIONS_VERSION 1u
#define MTPORT_ASSETS_FETCH_OPTIONS_INIT                                       \
  {                                                                            \
    MTPORT_ASSETS_FETCH_OPTIONS_VERSION, NULL, 0, -1, 0, 0, 0, 0, 0, 0, 0,     \
        NULL, NULL, NULL                                                       \
  }

/**
 * Makes fetching the resolver's third source, after the archive and the
 * mirror: call it after mtport_assets_new() (or give the options there,
 * mtport_assets_options.fetch), before the first mtport_assets_collect().
 * Starts the downloader's thread; mtport_assets_free() stops it. A second
 * call fails. Diagnostics ("fetch-insecure"; "write-failed" when the cache
 * cannot be made, "fetch-failed" when libcurl or libmagic cannot start) go
 * to the resolver's sink. MTPORT_OK, MTPORT_EINVALID (a bad version, no cache
 * folder, called too late or twice), MTPORT_EIO (the cache cannot be
 * made), MTPORT_ENOMEM, MTPORT_ERROR (libcurl or libmagic cannot start).
 */
MTPORT_EXTERN int mtport_assets_set_fetch(mtport_assets *as,
                                          const mtport_assets_fetch_options *o);

/** A progress bar's state: where it draws (a terminal: the caller checks
 *  isatty()) and whether a line is on screen. */
typedef struct mtport_assets_bar {
  FILE *out;
  int drawn;
} mtport_assets_bar;

/**
 * A ready-made ::mtport_assets_progress_fn, @p payload a
 * ::mtport_assets_bar: one line, redrawn in place with '\r', showing a
 * bar, files done of files asked for, and the bytes downloaded.
 */
MTPORT_EXTERN void mtport_assets_progress_bar(void *payload,
                                              uint64_t files_done,
                                              uint64_t files_total,
                                              uint64_t bytes);
/** Ends the bar's line when one is on screen (after mtport_assets_fetch()
 *  returned: the downloader no longer draws). NULL is a no-op. */
MTPORT_EXTERN void mtport_assets_bar_end(mtport_assets_bar *bar);

#ifdef __cplusplus
}
#endif
#endif
