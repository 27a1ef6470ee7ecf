/**
 * @file common.h
 * Return codes, the growable byte buffer and small shared types.
 *
 * Ownership rules for the whole API:
 *  1. Whoever calls a `_new`/`_open` function calls the matching `_free`;
 *     every `_free(NULL)` is a no-op.
 *  2. Records handed out by the library (posts, sites, diagnostics) are
 *     borrowed: they stay valid only as long as each function says.
 *  3. Text produced for callers goes into a caller-owned ::mtport_buf.
 *  4. The library never aborts on allocation failure: it returns
 *     ::MTPORT_ENOMEM.
 */
#ifndef MTPORT_COMMON_H
#define MTPORT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define MTPORT_EXTERN __declspec(dllexport)
#elif defined(__GNUC__)
#define MTPORT_EXTERN __attribute__((visibility("default")))
#else
#define MTPORT_EXTERN
#endif

/** Return codes. Zero is success; negatives are failures. */
typedef enum mtport_rc {
  MTPORT_OK = 0,
  MTPORT_ERROR = -1,     /**< generic failure, see diagnostics */
  MTPORT_ENOMEM = -2,    /**< allocation failed */
  MTPORT_EIO = -3,       /**< reading or writing failed */
  MTPORT_EPARSE = -4,    /**< input is malformed */
  MTPORT_EINVALID = -5,  /**< invalid argument */
  MTPORT_ENOTFOUND = -6, /**< unknown name (format, exporter, option) */
  MTPORT_EEXISTS = -7,   /**< output exists and overwriting was not allowed */
  MTPORT_EUNSAFE = -8,   /**< an output path would leave the output folder */
  MTPORT_EUSER = -9,     /**< a callback asked to stop */
  MTPORT_ECANCELED = -10 /**< the run was told to stop
                              (mtport_run_options.cancel) */
} mtport_rc;

/** Positive return of an exporter's entry(): the post was not written and
 *  a diagnostic saying why was reported. */
#define MTPORT_SKIPPED 1

/** A growable, NUL-terminated byte buffer owned by whoever declared it. */
typedef struct mtport_buf {
  char *data; /**< NUL-terminated when non-NULL; owned by the buffer */
  size_t len; /**< bytes used, excluding the NUL */
  size_t cap; /**< bytes allocated */
} mtport_buf;

/** Static initializer for an empty buffer. */
#define MTPORT_BUF_INIT                                                        \
  { NULL, 0, 0 }

/** Initialises @p b to empty. Allocates nothing. */
MTPORT_EXTERN void mtport_buf_init(mtport_buf *b);
/** Appends @p n bytes of @p s. Returns MTPORT_OK or MTPORT_ENOMEM. */
MTPORT_EXTERN int mtport_buf_append(mtport_buf *b, const char *s, size_t n);
/** Appends the NUL-terminated string @p s. */
MTPORT_EXTERN int mtport_buf_puts(mtport_buf *b, const char *s);
/** Appends one byte. */
MTPORT_EXTERN int mtport_buf_putc(mtport_buf *b, char c);
/** Appends printf-style formatted text. */
MTPORT_EXTERN int mtport_buf_printf(mtport_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Empties the buffer but keeps its memory for reuse. */
MTPORT_EXTERN void mtport_buf_clear(mtport_buf *b);
/** Hands the data to the caller (free() it) and leaves @p b empty.
 *  Never returns NULL: an empty buffer yields an allocated "". Returns NULL
 *  only on allocation failure. */
MTPORT_EXTERN char *mtport_buf_detach(mtport_buf *b);
/** Frees the buffer's memory and leaves it empty. NULL is a no-op. */
MTPORT_EXTERN void mtport_buf_dispose(mtport_buf *b);

/** Library version string, e.g. "0.1.0". Static storage. */
MTPORT_EXTERN const char *mtport_version(void);

/** A short English name for a return code. Static storage. */
MTPORT_EXTERN const char *mtport_strerror(int rc);

#ifdef __cplusplus
}
#endif
#endif
