/**
 * @file run.h
 * The pipeline: inputs through one exporter, with counts for the summary.
 */
#ifndef MTPORT_RUN_H
#define MTPORT_RUN_H

#include "assets.h"
#include "exporter.h"
#include "reader.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Called now and then with the number of posts read so far and the bytes
 *  of input consumed out of @p total (0 when unknown, e.g. a pipe). */
typedef void (*mtport_progress_fn)(unsigned long posts, uint64_t done,
                                   uint64_t total, void *payload);

typedef struct mtport_run_options {
  unsigned version;   /**< MTPORT_RUN_OPTIONS_VERSION */
  const char *output; /**< file, "-" (stdout) or folder; NULL means "-" for
                           stream exporters and is an error for folders */
  int force;          /**< overwrite existing output files */
  const char *const *options;   /**< "key=value" strings for the exporter,
                                     NULL-terminated, or NULL */
  mtport_reader_options reader; /**< how to open each input; its diag sink
                                     also receives the run's diagnostics */
  mtport_progress_fn progress;  /**< or NULL */
  void *progress_payload;
  /** Version 2: threads for the exporter's prepare() (Markdown conversion):
   *  0 one per CPU, 1 none (all on the calling thread). The output is the
   *  same whatever the number. */
  unsigned jobs;
  /** Version 3: the asset layer (assets.h; self-contained sites):
   *  MTPORT_RUN_ASSETS_AUTO turns it on for a backup archive input (tar,
   *  tar.gz, zip, or a folder holding an extracted backup) or when
   *  assets_opts names a mirror, an own host or external files. */
  int assets;
  /** Version 3: the layer's options. The run sets site_url (the input's,
   *  else reader.site_url), archive (the archive input) and diag itself;
   *  mirror (`--assets-from`), asset_hosts, external, limits (the archive
   *  member caps), support_url and sniff come from here. */
  mtport_assets_options assets_opts;
} mtport_run_options;

#define MTPORT_RUN_ASSETS_AUTO 0
#define MTPORT_RUN_ASSETS_ON 1
#define MTPORT_RUN_ASSETS_OFF (-1)

#define MTPORT_RUN_OPTIONS_VERSION 3u
#define MTPORT_RUN_OPTIONS_INIT                                                \
  {                                                                            \
    MTPORT_RUN_OPTIONS_VERSION, NULL, 0, NULL, MTPORT_READER_OPTIONS_INIT,     \
        NULL, NULL, 0u, MTPORT_RUN_ASSETS_AUTO, MTPORT_ASSETS_OPTIONS_INIT     \
  }

/** What a run did. */
typedef struct mtport_run_result {
  unsigned long read;     /**< posts read from all inputs */
  unsigned long written;  /**< posts the exporter wrote */
  unsigned long skipped;  /**< posts not written (each reported) */
  unsigned long comments; /**< comments and pings read */
  unsigned long notes, warnings, errors, fatals; /**< diagnostics by severity */
  int assets_used;             /**< 1 when the asset layer was on */
  mtport_assets_totals assets; /**< its totals (files, links) */
} mtport_run_result;

/**
 * Converts every post of @p inputs (paths; "-" is stdin) with exporter @p exp.
 * An input that is a backup archive (or a folder holding one extracted)
 * stands for its XML parts, read from the archive; the asset layer then
 * collects every post's references during a first pass, stores the files
 * after prepass_done() where the exporter said (mtport_ctx_set_assets_dir())
 * and rewrites each post's texts before prepare() and entry(); the report
 * `mtport-assets.tsv` goes to the output folder (beside the files for a
 * stream output).
 * Each input is read once: for an exporter with a prepass() the posts are
 * kept in an unlinked temporary file in $TMPDIR between the passes (when
 * that fails, files are read again and stdin gives MTPORT_EIO).
 * The output appears only when the run succeeds: a stream is written to a
 * temporary file and renamed at the end; a failed run removes it.
 * Returns MTPORT_OK when every input was read to its end (entries may still
 * have been skipped: see @p out), MTPORT_EEXISTS when the output exists
 * without force, MTPORT_EIO when output cannot be written, MTPORT_EPARSE or
 * MTPORT_EIO when an input is malformed or unreadable. @p out may be NULL.
 */
MTPORT_EXTERN int mtport_run(mtport_run_result *out, const char *const *inputs,
                             size_t n_inputs, const mtport_exporter *exp,
                             const mtport_run_options *opts);

#ifdef __cplusplus
}
#endif
#endif
