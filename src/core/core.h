/* What src/core/ offers the other folders of libmtport: small string and
 * buffer helpers, the spool folder, safe folder making, time zones. The rest of
 * the core (the model, buffers, UTF-8, dates, URLs, slugs, diagnostics, the
 * registry) is public and declared in include/mtport/. Never included by the
 * CLI or the exporters, which see only the public headers. */
#ifndef MTPORT_CORE_H
#define MTPORT_CORE_H

#include "mtport/mtport.h"

/* Duplicates a string; NULL on NULL or allocation failure. */
char *mtport__strdup(const char *s);
/* Duplicates @n bytes of @s and a NUL; NULL on allocation failure. */
char *mtport__strndup(const char *s, size_t n);
/* Makes room in @b for @extra more bytes and the NUL. MTPORT_OK or
 * MTPORT_ENOMEM. */
int mtport__buf_reserve(mtport_buf *b, size_t extra);

/* 1 when code point @cp may appear in a model string: not a C0 control
 * other than TAB, LF and CR, not DEL, not a surrogate or a noncharacter
 * (U+FDD0..U+FDEF, U+xxFFFE, U+xxFFFF), at most U+10FFFF. The one gate for
 * raw text and decoded character references alike. (C1 controls pass: a
 * NEL in a body is kept; references to them are read as HTML reads them.) */
int mtport__cp_allowed(unsigned long cp);

/* Appends @n bytes of HTML @s to @out with each numeric character
 * reference to a code point mtport__cp_allowed() refuses removed, and one
 * to U+0080..U+009F replaced by the windows-1252 character HTML reads it
 * as: references decoded later pass the gate raw text passes. Returns the
 * number of references changed (>= 0) or MTPORT_ENOMEM. */
int mtport__html_fix_refs(mtport_buf *out, const char *s, size_t n);

/* $TMPDIR, else "/tmp": where spools go. Static or environment storage. */
const char *mtport__temp_dir(void);

/* Opens folder @rel (its first @len bytes; 0 is @root_fd itself) below
 * @root_fd, making each missing component (mode 0777 less the umask), one
 * at a time and never through a symlink. Empty components are skipped as
 * the kernel skips them. Returns a new descriptor the caller closes, or -1
 * with errno; *unsafe is 1 when the path would leave @root_fd (absolute, a
 * "." or ".." component, a NUL byte) or a component is a symlink or not a
 * folder, 0 on other failures (ENAMETOOLONG, EACCES, ENOSPC, ...). */
int mtport__mkdirs_at(int root_fd, const char *rel, size_t len, int *unsafe);

/* The folder last opened below a root, kept open: a run writes thousands
 * of files into a few folders. Starts as MTPORT__SUBDIR_INIT (or fd -1 in
 * zeroed memory). */
typedef struct mtport__subdir {
  mtport_buf rel; /* its path below the root */
  int fd;         /* its descriptor, or -1 */
} mtport__subdir;
#define MTPORT__SUBDIR_INIT                                                    \
  { MTPORT_BUF_INIT, -1 }
/* mtport__mkdirs_at() through @d: the root itself when @len is 0, @d's
 * folder when it is the same, else @d's folder replaced by this one.
 * Returns a descriptor owned by @d (or the root's owner), or -1 as
 * mtport__mkdirs_at(). */
int mtport__subdir_open(mtport__subdir *d, int root_fd, const char *rel,
                        size_t len, int *unsafe);
/* Closes @d's folder and frees its path; @d may be opened again. */
void mtport__subdir_close(mtport__subdir *d);

/* ---- time zones (core/tz.c) ---- */

typedef struct mtport_tz mtport_tz;
/* Opens "+hh:mm"/"-hh:mm"/"Z"/"UTC" or an IANA name read from the TZif file
 * under /usr/share/zoneinfo (or $TZDIR). Returns MTPORT_OK, MTPORT_ENOTFOUND
 * (unknown name), MTPORT_EINVALID (malformed) or MTPORT_ENOMEM. */
int mtport_tz__open(mtport_tz **out, const char *spec);
/* The UTC offset in minutes in force at local wall time @tm (DST-aware; in a
 * gap or overlap the offset before the transition is used). */
int mtport_tz__offset_local(const mtport_tz *tz, const mtport_tm *tm);
/* Frees @tz; NULL is a no-op. */
void mtport_tz__free(mtport_tz *tz);

#endif
