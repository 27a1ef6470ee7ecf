/**
 * @file exporter.h
 * Exporters: a small versioned vtable found by name in a registry.
 *
 * Adding an output format means writing one file in exporters/ that defines a
 * `const mtport_exporter` and adding it to the table in exporters/builtin.c.
 * Exporters see only the public headers, so a third-party exporter can do
 * anything a built-in one can.
 *
 * Call order, driven by mtport_run(): begin() once; then, when the exporter
 * has a prepass(), prepass() for every post of every input followed by
 * prepass_done(); then entry() for every post; then end() exactly once
 * whenever begin() succeeded, with the run's status, to flush and free.
 * With a prepass() the inputs are read once: the run keeps a copy of every
 * post in a temporary file in $TMPDIR (about the size of the input) and
 * gives entry() the posts from there (it reads the inputs again only when
 * that file cannot be written).
 */
#ifndef MTPORT_EXPORTER_H
#define MTPORT_EXPORTER_H

#include "assets.h"
#include "diag.h"
#include "model.h"
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The services a run offers its exporter (output, options, diagnostics). */
typedef struct mtport_ctx mtport_ctx;

typedef enum mtport_output_kind {
  MTPORT_OUTPUT_STREAM = 0, /**< one file, or standard output */
  MTPORT_OUTPUT_DIR = 1     /**< a folder of files */
} mtport_output_kind;

/** Version 2 added prepare() and release(), version 3 save() and load();
 *  tables of an older version (without them) are still accepted. */
#define MTPORT_EXPORTER_VERSION 3u

typedef struct mtport_exporter {
  unsigned version;        /**< MTPORT_EXPORTER_VERSION */
  const char *name;        /**< e.g. "jsonfeed" */
  const char *description; /**< one line */
  mtport_output_kind output;
  /** Starts the output. Sets *state to the exporter's own state (may be
   *  NULL). @p site is borrowed for the call: the reader that owns it may
   *  be gone by the first entry(), so keep copies. Returns MTPORT_OK or a
   *  negative code to abort the run. */
  int (*begin)(mtport_ctx *ctx, const mtport_site *site, void **state);
  /** Optional first pass (NULL to skip): sees every post before any entry()
   *  call, e.g. to collect terms or plan slugs. Post borrowed for the call. */
  int (*prepass)(mtport_ctx *ctx, void *state, const mtport_post *post);
  /** Optional: called once after the last prepass() (NULL to skip). */
  int (*prepass_done)(mtport_ctx *ctx, void *state);
  /** Writes one post, borrowed for the call. Returns MTPORT_OK when written,
   *  MTPORT_SKIPPED when not written (after reporting why with
   *  mtport_ctx_diag()), or a negative code to stop the run. */
  int (*entry)(mtport_ctx *ctx, void *state, const mtport_post *post);
  /** Finishes and frees @p state. @p status is MTPORT_OK when the run read
   *  every input, else the failure code (then only free). */
  int (*end)(mtport_ctx *ctx, void *state, int status);
  /** Version 2, optional (NULL to skip): the part of writing a post that
   *  depends on the post alone, such as converting its texts to Markdown.
   *  The run may call it on worker threads, several at once, ahead of
   *  entry() and in any order. It may only read @p post and what begin()
   *  and prepass_done() stored in @p state, and must not use the ctx:
   *  entry() reports what it found. Sets *prepared (NULL is fine), which
   *  entry() for the same post reads with mtport_ctx_prepared() and which
   *  release() frees after that entry(). Returns MTPORT_OK, or a negative
   *  code that stops the run as if entry() had returned it. */
  int (*prepare)(const void *state, const mtport_post *post, void **prepared);
  /** Version 2: frees what prepare() made (never called with NULL).
   *  Required when prepare() is given. */
  void (*release)(void *prepared);
  /** Version 3, optional (both or neither, and only with prepare()): what
   *  prepare() made, as bytes. With them, an exporter that has a prepass()
   *  lets the run prepare posts during the first pass, on threads that
   *  would otherwise wait, and keep the results in a temporary file until
   *  entry(). prepare() may then run before prepass_done() and while
   *  prepass() runs, so it must read only what begin() stored in @p state.
   *  save() appends the bytes of @p prepared (never NULL) to @p out and
   *  returns MTPORT_OK or a negative code; the run then calls release()
   *  on it. */
  int (*save)(const void *prepared, mtport_buf *out);
  /** Version 3: rebuilds in *prepared what save() wrote as the @p len bytes
   *  at @p data (borrowed for the call), for entry() and release() as if
   *  prepare() had made it. May run on worker threads like prepare().
   *  Returns MTPORT_OK or a negative code that stops the run. */
  int (*load)(const void *state, const char *data, size_t len, void **prepared);
} mtport_exporter;

/* ---- services for exporters ------------------------------------------ */

/** Stream exporters: the FILE to write to (a temporary file renamed into
 *  place when the run succeeds, or stdout). Borrowed; do not close. NULL for
 *  folder exporters. */
MTPORT_EXTERN FILE *mtport_ctx_stream(mtport_ctx *ctx);

/** Folder exporters: the output folder as given by the user. Borrowed. */
MTPORT_EXTERN const char *mtport_ctx_output_dir(mtport_ctx *ctx);

/**
 * Folder exporters: writes @p len bytes to @p relpath under the output folder,
 * creating parent folders. @p relpath uses '/' and must stay inside the
 * folder: absolute paths, "..", empty or control-character components give
 * MTPORT_EUNSAFE. An existing file gives MTPORT_EEXISTS unless the run allows
 * overwriting. The file is written to a temporary name and renamed. Returns
 * MTPORT_OK or a negative code; a diagnostic naming the path is reported on
 * failure.
 */
MTPORT_EXTERN int mtport_ctx_write_file(mtport_ctx *ctx, const char *relpath,
                                        const char *data, size_t len);

/** Writes @p len bytes to a file the user named on the command line (such
 *  as a redirects file); it may lie outside the output folder. The file is
 *  a second output as with mtport_ctx_open_path(): it appears when the run
 *  succeeds. MTPORT_EEXISTS (reported) when it exists and the run does not
 *  allow overwriting. */
MTPORT_EXTERN int mtport_ctx_write_path(mtport_ctx *ctx, const char *path,
                                        const char *data, size_t len);

/**
 * Opens a second output to a file the user named (such as a redirects
 * file), for writing as the run goes: the data goes to a temporary file
 * beside @p path, renamed into place when the run succeeds and removed when
 * it fails, like the main output. Call it from begin() so that an existing
 * file stops the run before anything is written. On success *out is the
 * stream, borrowed: write to it, never close it. MTPORT_EEXISTS (reported)
 * when @p path exists and the run does not allow overwriting, MTPORT_EIO
 * (reported) when it cannot be created.
 */
MTPORT_EXTERN int mtport_ctx_open_path(mtport_ctx *ctx, const char *path,
                                       FILE **out);

/** In entry(): what prepare() made for this post, or NULL (no prepare(),
 *  or it set none). Borrowed: the run releases it after entry() returns. */
MTPORT_EXTERN void *mtport_ctx_prepared(mtport_ctx *ctx);

/** 1 when the run may overwrite existing output files (--force). */
MTPORT_EXTERN int mtport_ctx_force(mtport_ctx *ctx);

/** The value of option @p key given to the run ("key=value"), or NULL when
 *  absent. A bare "key" gives "". Borrowed. */
MTPORT_EXTERN const char *mtport_ctx_option(mtport_ctx *ctx, const char *key);

/** True when option @p key is present and not "0", "false" or "no". */
MTPORT_EXTERN int mtport_ctx_flag(mtport_ctx *ctx, const char *key);

/** Reports a diagnostic about @p post (may be NULL for run-level messages).
 *  The position is the post's origin. */
MTPORT_EXTERN void mtport_ctx_diag(mtport_ctx *ctx, const mtport_post *post,
                                   mtport_severity sev, const char *code,
                                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/** The run's asset layer (assets.h), or NULL when it is off. Borrowed.
 *  The run collects every post's references before prepass_done(); in
 *  prepass_done() an exporter tells it the new URL of each old permalink
 *  (mtport_assets_add_link()) and how stored files are reached
 *  (mtport_assets_set_output()); the run then stores the files and hands
 *  prepare() and entry() posts whose texts point at them. */
MTPORT_EXTERN mtport_assets *mtport_ctx_assets(mtport_ctx *ctx);

/** Where the run stores the asset files, at the latest in prepass_done():
 *  a folder exporter gives a path relative to its output folder ("static";
 *  default: the folder itself), a stream exporter a path (default: the
 *  output's name without its extension, followed by "-files", beside it).
 *  MTPORT_OK, MTPORT_EUNSAFE (a relative path leaving the folder),
 *  MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_ctx_set_assets_dir(mtport_ctx *ctx, const char *dir);

/** In prepass_done(): every post keeps its old permalink as its URL in this
 *  output (a feed's item URL, a WXR item's link), so links between posts
 *  resolve to the old permalinks themselves. MTPORT_OK or a negative code.
 */
MTPORT_EXTERN int mtport_ctx_assets_keep_permalinks(mtport_ctx *ctx);

/** The asset files' folder as a path (what mtport_ctx_set_assets_dir()
 *  decided, or the default), or NULL when the layer is off or a stream
 *  goes to standard output. Borrowed. */
MTPORT_EXTERN const char *mtport_ctx_assets_dir(mtport_ctx *ctx);

/** The URL a stream output's files folder is served at: @p base (else
 *  "/") with one '/', then the folder's name percent-encoded, then '/'
 *  (site.xml's files at https://new.example/site-files/). NULL when there
 *  is no folder (see mtport_ctx_assets_dir()) or on allocation failure.
 *  Owned by the caller: free(). */
MTPORT_EXTERN char *mtport_ctx_assets_url(mtport_ctx *ctx, const char *base);

/* ---- registry ---------------------------------------------------------- */

typedef struct mtport_registry mtport_registry;

/** Creates a registry holding the built-in exporters. Free with
 *  mtport_registry_free(). Returns MTPORT_OK or MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_registry_new(mtport_registry **out);
/** Adds @p e (borrowed: must outlive the registry). Returns MTPORT_EINVALID
 *  for a version mismatch or missing callbacks, MTPORT_EEXISTS for a name
 *  already present. */
MTPORT_EXTERN int mtport_registry_add(mtport_registry *reg,
                                      const mtport_exporter *e);
/** Finds an exporter by name; NULL when unknown. Borrowed. */
MTPORT_EXTERN const mtport_exporter *
mtport_registry_find(const mtport_registry *reg, const char *name);
/** Number of exporters, and the i-th in registration order. */
MTPORT_EXTERN size_t mtport_registry_count(const mtport_registry *reg);
MTPORT_EXTERN const mtport_exporter *
mtport_registry_at(const mtport_registry *reg, size_t i);
/** Frees the registry (not the exporters). NULL is a no-op. */
MTPORT_EXTERN void mtport_registry_free(mtport_registry *reg);

#ifdef __cplusplus
}
#endif
#endif
