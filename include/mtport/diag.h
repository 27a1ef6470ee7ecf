/**
 * @file diag.h
 * Diagnostics: messages for people, separate from return codes.
 *
 * Every diagnostic carries a stable code (a short kebab-case string such as
 * "bad-date" or "xml-syntax"), a severity, the position in the input and the
 * entry it concerns. The library never prints: it hands each diagnostic to the
 * caller's sink.
 */
#ifndef MTPORT_DIAG_H
#define MTPORT_DIAG_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mtport_severity {
  MTPORT_SEV_NOTE = 0,    /**< information */
  MTPORT_SEV_WARNING = 1, /**< something was repaired or approximated */
  MTPORT_SEV_ERROR =
      2,               /**< an entry was skipped or degraded; the run goes on */
  MTPORT_SEV_FATAL = 3 /**< the run stops */
} mtport_severity;

/** One diagnostic. Every pointer is borrowed and valid only during the sink
 *  call; copy what you keep. */
typedef struct mtport_diag {
  mtport_severity severity;
  const char *code;    /**< stable kebab-case code, static storage */
  const char *message; /**< English sentence without trailing period */
  const char *file;    /**< input display name, or NULL */
  unsigned long line;  /**< 1-based, 0 when unknown */
  unsigned long col;   /**< 1-based byte column, 0 when unknown */
  unsigned long entry; /**< 1-based entry ordinal, 0 when not about an entry */
  const char *entry_title; /**< the entry's title or id, or NULL */
} mtport_diag;

/** A diagnostic sink. @p payload is the caller's pointer. */
typedef void (*mtport_diag_fn)(const mtport_diag *d, void *payload);

/** Name of a severity: "note", "warning", "error", "fatal". Static. */
MTPORT_EXTERN const char *mtport_severity_name(mtport_severity s);

/** Formats @p d as `file:line:col: severity: message [code]` (with the entry
 *  named) into @p out, without a newline. Returns MTPORT_OK or ENOMEM. */
MTPORT_EXTERN int mtport_diag_format(const mtport_diag *d, mtport_buf *out);

/** Formats @p d as one JSON object (no newline) into @p out. */
MTPORT_EXTERN int mtport_diag_format_json(const mtport_diag *d,
                                          mtport_buf *out);

#ifdef __cplusplus
}
#endif
#endif
