/* Private to src/assets/: the pieces its files share. */
#ifndef MTPORT_ASSETS_INT_H
#define MTPORT_ASSETS_INT_H

#include "assets.h"
#include "core/core.h"
#include "mtport/assets.h"

/* An absolute or relative URL cut into its parts (pointers into the
 * string; nothing decoded). */
typedef struct {
  const char *scheme, *host, *port, *path, *query, *frag;
  size_t scheme_n, host_n, port_n, path_n, query_n, frag_n;
  int has_auth, has_query, has_frag;
} mtport_assets__url;

/* Cuts @s (NUL-terminated) into its parts. */
void mtport_assets__split(const char *s, mtport_assets__url *u);
/* Appends the host of @u as hosts compare: lower case, without a
 * leading "www." and a trailing '.', with ":PORT" unless it is the
 * scheme's default. Appends nothing for a URL without a host. */
int mtport_assets__host_key(mtport_buf *out, const mtport_assets__url *u);
/* Appends @n bytes of @s with every valid %XX decoded. */
int mtport_assets__pct_decode(mtport_buf *out, const char *s, size_t n);
/* 1 when @n bytes at @s equal the lower-case ASCII @lit without case. */
int mtport_assets__ieq(const char *s, size_t n, const char *lit);
/* 1 when @s (@n bytes) ends with lower-case @lit without case. */
int mtport_assets__iends(const char *s, size_t n, const char *lit);
/* The extension of the last segment of path @p (@n bytes): *ext and
 * *len, or 0 when it has none. */
int mtport_assets__ext(const char *p, size_t n, const char **ext, size_t *len);
/* 1 when @n bytes at @s name a Windows device (CON, PRN, AUX, NUL,
 * COM1-9, LPT1-9, CONIN$, CONOUT$), with or without an extension. */
int mtport_assets__is_device(const char *s, size_t n);

/* Gives the last segment of @out (it starts at @ls) the extension of
 * @mime when it has no asset extension; an extension a server would run
 * (php, cgi, html...) is replaced by it, or defused ("page-php"). */
int mtport_assets__fix_ext(mtport_buf *out, size_t ls, const char *mime);

#endif
