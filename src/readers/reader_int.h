/* Private to src/readers/: the reader object, the importer vtable and the
 * input abstraction shared by the importers. Other folders include
 * readers.h instead. */
#ifndef MTPORT_READER_INT_H
#define MTPORT_READER_INT_H

#include "core/core.h"
#include "readers.h"
#include <stdarg.h>

/* The input: a file, stdin or memory, read in chunks. The first bytes are
 * read ahead for sniffing and replayed, so pipes work too. */
#define MTPORT_HEAD_SIZE 4096
typedef struct mtport_input {
  int fd;          /* -1 for memory input */
  int own_fd;      /* close on free */
  const char *mem; /* memory input */
  size_t mem_len, mem_pos;
  unsigned char head[MTPORT_HEAD_SIZE];
  size_t head_len, head_pos;
  uint64_t consumed; /* bytes handed to the importer */
  uint64_t total;    /* file size, 0 when unknown */
  int error;         /* errno of a failed read, or 0 */
} mtport_input;

/* Reads up to n bytes. Returns the count, 0 at the end, -1 on error. */
long mtport_input__read(mtport_input *in, char *buf, size_t n);

typedef struct mtport_reader mtport_reader;

/* An importer: private vtable, listed in reader.c. */
typedef struct mtport_importer {
  const char *name;
  const char *description;
  /* Scores the first bytes of an input: 0 (not mine) .. 100 (certain). */
  int (*sniff)(const unsigned char *head, size_t n);
  /* Prepares reading and fills r->site. Returns MTPORT_OK or negative, after
   * a fatal diagnostic. */
  int (*open)(mtport_reader *r, void **state);
  /* Fills @post (already reset) with the next entry. Returns 1, 0 at the
   * end, or negative after a fatal diagnostic. */
  int (*next)(mtport_reader *r, void *state, mtport_post *post);
  void (*close)(void *state);
} mtport_importer;

extern const mtport_importer mtport_importer_atom;
extern const mtport_importer mtport_importer_mttext;
extern const mtport_importer mtport_importer_backup;

struct mtport_reader {
  const mtport_importer *imp;
  void *state;
  mtport_reader_options opts;
  char *name; /* display name for diagnostics */
  mtport_input in;
  mtport_site *site;
  mtport_post *post;
  unsigned long count;
  int failed; /* a fatal error happened; next() keeps returning it */
  /* a split backup's parts 2, 3... as open descriptors (an archive's),
   * owned, and their names (borrowed); 0 parts: found beside the file */
  int *more_fds;
  const char *const *more_names;
  size_t n_more;
};

/* Reports a diagnostic through the reader's sink. @post may be NULL; its
 * ordinal/title name the entry. line/col 0 mean unknown. */
void mtport_reader__diag(mtport_reader *r, mtport_severity sev,
                         const char *code, unsigned long line,
                         unsigned long col, const mtport_post *post,
                         const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;
void mtport_reader__vdiag(mtport_reader *r, mtport_severity sev,
                          const char *code, unsigned long line,
                          unsigned long col, const mtport_post *post,
                          const char *fmt, va_list ap);

/* libxml2 set-up shared by the XML importers: no network, no external
 * entities, no DTD loading, entity-expansion limits kept. */
int mtport_xml__parser_options(unsigned reader_flags);

/* The line an element starts on, also past line 65,535, where libxml2's
 * own number stops (it keeps bigger ones only on text nodes, with
 * XML_PARSE_BIG_LINES); 0 when unknown. @node is an xmlNode. */
struct _xmlNode;
unsigned long mtport_xml__line(const struct _xmlNode *node);

#endif
