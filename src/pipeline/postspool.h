/* Private to libmtport: a compact binary form of one post, for the run's
 * two-pass spool (the first pass saves every post it reads, the second loads
 * them back instead of parsing the input again).
 *
 * The form never leaves the process that wrote it, so integers are stored in
 * native byte order and width-fixed (see postspool.c for the layout). */
#ifndef MTPORT_POSTSPOOL_H
#define MTPORT_POSTSPOOL_H

#include "mtport/model.h"

/* Appends the binary form of @p p to @p out. Everything in the post is kept
 * except origin.file (the caller records which input a post came from) and
 * the private cap_* fields. Enumerations must hold their declared values.
 * Returns MTPORT_OK or MTPORT_ENOMEM (then @p out keeps its old length). */
int mtport__post_save(mtport_buf *out, const mtport_post *p);

/* Rebuilds a post from the @p len bytes at @p data written by
 * mtport__post_save(). *out is a new post the caller frees with
 * mtport_post_free(); its origin.file is @p file (borrowed, may be NULL).
 * Strings are copied as they are, without sanitizing. Returns MTPORT_OK,
 * MTPORT_ENOMEM, or MTPORT_EPARSE when the bytes are not exactly one saved
 * post (short, trailing bytes, bad counts, lengths or enumerations): never
 * reads outside data[0..len). On failure *out is NULL. */
int mtport__post_load(const char *data, size_t len, const char *file,
                      mtport_post **out);

#endif
