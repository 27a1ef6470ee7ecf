/* Private to run.c and run_ctx.c: a run's context, which the
 * pipeline (run.c) drives and whose services (run_ctx.c) exporters call. */
#ifndef MTPORT_RUN_INT_H
#define MTPORT_RUN_INT_H

#include "core/core.h"
#include "pipeline.h"
#include "readers/readers.h"
#include <stdio.h>

/* Diagnostics held for replay, deep copies. */
typedef struct mtport__dlist {
  mtport_diag *v;
  size_t n, cap;
} mtport__dlist;

struct mtport_ctx {
  const mtport_run_options *opts;
  const mtport_exporter *exp;
  mtport_run_result *res;
  FILE *stream;
  char *tmp_path; /* stream written here, renamed to final_path */
  const char *final_path;
  const char *dir;
  const char *input_name; /* current input, for diagnostics */
  int mute_reader;        /* inputs read again after a prepass: the reader's
                             diagnostics were all reported the first time */
  void *prepared;         /* prepare()'s result for the post in entry() */
  int capturing;          /* reader diagnostics go to held, for replay */
  mtport__dlist held;
  struct mtport__side *side; /* mtport_ctx_open_path() streams */
  size_t n_side;
  /* the asset layer (run_assets.c) */
  mtport_assets *assets; /* also reads an archive's parts when off */
  int assets_on, assets_fetched;
  const char **inputs; /* as the readers see them */
  long *parts;         /* an archive's XML part, or -1 */
  size_t n_inputs, cap_inputs;
  char **names; /* "ARCHIVE:MEMBER" names, owned */
  size_t n_names;
  char *assets_rel, *assets_path;
  int assets_site_known;    /* the blog's URL was given to the layer */
  mtport_spool *permalinks; /* every post's, for keep_permalinks */
  uint64_t next_seq;        /* the number of the next post read, 0-based */
  char **origins;           /* files posts name beside their inputs (spool) */
  size_t n_origins;
  const volatile sig_atomic_t *cancel; /* the caller's stop flag, or NULL */
  int root_fd;         /* the output folder, opened on the first file */
  mtport__subdir pdir; /* the folder last written to */
};

/* ---- diagnostics ---- */

/* The readers' sink: counts, or holds while @ctx->capturing, or drops while
 * @ctx->mute_reader (inputs read a second time). @payload is the ctx. */
void mtport__reader_tap(const mtport_diag *d, void *payload);
/* Counts @d and hands it to the caller's sink (nothing held). */
void mtport__run_tap(const mtport_diag *d, void *payload);
/* A run-level diagnostic (no post), counted. */
void mtport__run_diag(mtport_ctx *ctx, mtport_severity sev, const char *code,
                      const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Appends a deep copy of @d. MTPORT_OK or MTPORT_ENOMEM. */
int mtport__dlist_add(mtport__dlist *l, const mtport_diag *d);
/* Frees the held copies and empties @l. */
void mtport__dlist_dispose(mtport__dlist *l);
/* Reports the held diagnostics, in order, and empties the list. */
void mtport__dlist_replay(mtport_ctx *ctx, mtport__dlist *l);

/* ---- output ---- */

/* Writes all @len bytes to @fd: 0, or -1 with errno set. */
int mtport__write_all(int fd, const char *data, size_t len);
/* Opens the stream or checks the folder of the run's output, reporting
 * what fails. MTPORT_OK or a negative code. */
int mtport__run_open_output(mtport_ctx *ctx);
/* Finishes the stream: renamed into place when @ok, removed otherwise. */
int mtport__run_close_output(mtport_ctx *ctx, int ok);
/* Closes the side outputs (mtport_ctx_open_path()): renamed into place
 * when @ok, else removed. */
int mtport__run_close_sides(mtport_ctx *ctx, int ok);
/* Opens (creating it) the output folder; <0 when it cannot be. */
int mtport__run_open_root(mtport_ctx *ctx);

/* ---- the asset layer (run_assets.c) ---- */

/* Turns the layer on or not, reads a backup archive input, and sets
 * ctx->inputs: an archive's XML parts in its place. */
int mtport__assets_setup(mtport_ctx *ctx, const char *const *inputs, size_t n);
/* Opens input @i, an archive's part, with reader options @ro. */
int mtport__assets_open_reader(mtport_ctx *ctx, size_t i,
                               const mtport_reader_options *ro,
                               mtport_reader **r);
/* The first input's site gives the blog's URL (called until it has one:
 * a backup names its blog after the first post is asked for). */
int mtport__assets_site(mtport_ctx *ctx, const mtport_site *site);
/* First pass: the post's references (reported when it fails). */
int mtport__assets_collect(mtport_ctx *ctx, const mtport_post *post,
                           uint64_t seq);
/* After prepass_done(): stores the files. */
int mtport__assets_fetch(mtport_ctx *ctx);
/* Rewrites the post's texts in place (any thread, after the fetch). The
 * layer sees the post numbered @seq + 1 across all inputs (its ordinal
 * counts within one input). */
int mtport__assets_rewrite(mtport_assets *as, mtport_post *post, uint64_t seq,
                           mtport_assets_found *found);
/* Writes mtport-assets.tsv and the totals. */
int mtport__assets_finish(mtport_ctx *ctx);
void mtport__assets_free(mtport_ctx *ctx);

#endif
