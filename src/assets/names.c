/* Stored names: where an asset lands, from its old URL's path, made safe
 * for every file system and every site generator. */
#include "assets_int.h"
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define S_MAX_SEGMENT 200

/* Extensions a web server may run instead of serving: never kept as the
 * last extension of a stored file. */
static const char *const S_active[] = {
    "php", "php3",  "php4", "php5", "php7", "phtml", "pht",  "phar",
    "cgi", "fcgi",  "pl",   "py",   "rb",   "sh",    "asp",  "aspx",
    "jsp", "shtml", "shtm", "stm",  "html", "htm",   "xhtml"};

static int S_is_active(const char *e, size_t n) {
  for (size_t i = 0; i < sizeof S_active / sizeof *S_active; i++)
    if (mtport_assets__ieq(e, n, S_active[i]))
      return 1;
  return 0;
}

/* 0 for the @k bytes of one character at @s that are a control
 * character (C0, DEL, C1). */
static int S_keep_char(const unsigned char *s, size_t k) {
  if (k == 1)
    return s[0] >= 0x20 && s[0] != 0x7F;
  if (k == 2 && s[0] == 0xC2 && s[1] < 0xA0)
    return 0; /* C1 controls */
  return 1;
}

int mtport_asset_safe_segment(mtport_buf *out, const char *seg, size_t len) {
  mtport_buf clean = MTPORT_BUF_INIT;
  if (mtport_utf8_sanitize(&clean, seg, len) < 0)
    return MTPORT_ENOMEM;
  /* NFC: the form every file system keeps a name in, and URLs use */
  utf8proc_uint8_t *nfc = NULL;
  if (clean.len) {
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)clean.data,
                                      (utf8proc_ssize_t)clean.len, &nfc,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (r < 0) {
      nfc = NULL;
      if (r == UTF8PROC_ERROR_NOMEM) {
        mtport_buf_dispose(&clean);
        return MTPORT_ENOMEM;
      }
    }
  }
  const unsigned char *s =
      nfc ? nfc : (const unsigned char *)(clean.data ? clean.data : "");
  size_t n = nfc ? strlen((const char *)nfc) : clean.len;
  mtport_buf t = MTPORT_BUF_INIT;
  int rc = 0;
  for (size_t i = 0; i < n;) {
    size_t k = 1;
    if (s[i] >= 0xF0)
      k = 4;
    else if (s[i] >= 0xE0)
      k = 3;
    else if (s[i] >= 0xC0)
      k = 2;
    if (i + k > n)
      k = n - i;
    if (k == 1 && strchr("\\/:*?\"<>|", s[i]) && s[i])
      rc |= mtport_buf_putc(&t, '-');
    else if (S_keep_char(s + i, k))
      rc |= mtport_buf_append(&t, (const char *)s + i, k);
    i += k;
  }
  free(nfc);
  mtport_buf_dispose(&clean);
  if (rc) {
    mtport_buf_dispose(&t);
    return MTPORT_ENOMEM;
  }
  const char *a = t.data ? t.data : "";
  size_t b = 0, e = t.len;
  while (b < e && strchr("._#~ ", a[b]))
    b++;
  while (e > b && (a[e - 1] == '.' || a[e - 1] == ' '))
    e--;
  if (b == e) {
    mtport_buf_dispose(&t);
    return MTPORT_OK;
  }
  const char *x = a + b;
  size_t xn = e - b;
  /* too long: the stem is cut on a character boundary, the extension
   * kept when it is short */
  const char *ext = NULL;
  size_t extn = 0;
  for (size_t i = xn; i > 0; i--)
    if (x[i - 1] == '.') {
      ext = x + i - 1;
      extn = xn - i + 1;
      break;
    }
  if (!ext || extn > 17)
    ext = NULL, extn = 0;
  size_t stem = xn - extn;
  if (xn > S_MAX_SEGMENT) {
    stem = S_MAX_SEGMENT - extn;
    while (stem > 0 && ((unsigned char)x[stem] & 0xC0) == 0x80)
      stem--;
  }
  size_t base = 0; /* the device name test looks before the first dot */
  while (base < stem && x[base] != '.')
    base++;
  int dev = mtport_assets__is_device(x, stem + extn);
  rc = mtport_buf_append(out, x, dev ? base : stem);
  if (dev)
    rc |= mtport_buf_putc(out, '_'),
        rc |= mtport_buf_append(out, x + base, stem - base);
  rc |= mtport_buf_append(out, ext ? ext : "", extn);
  mtport_buf_dispose(&t);
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}

/* Appends one raw (still escaped) URL path segment, made safe. */
static int S_segment(mtport_buf *out, const char *raw, size_t n) {
  mtport_buf d = MTPORT_BUF_INIT;
  int rc = mtport_assets__pct_decode(&d, raw, n);
  if (!rc) {
    /* not UTF-8 once decoded (a Shift_JIS name, say): keep the escapes */
    if (mtport_utf8_valid(d.data ? d.data : "", d.len))
      rc = mtport_asset_safe_segment(out, d.data ? d.data : "", d.len);
    else
      rc = mtport_asset_safe_segment(out, raw, n);
  }
  mtport_buf_dispose(&d);
  return rc;
}

int mtport_assets__fix_ext(mtport_buf *out, size_t ls, const char *mime) {
  const char *seg = out->data + ls;
  size_t n = out->len - ls;
  const char *e;
  size_t en;
  int has = mtport_assets__ext(seg, n, &e, &en);
  if (has && mtport_asset_kind_of_ext(e, en) != MTPORT_ASSET_NONE)
    return MTPORT_OK;
  const char *want = mtport_asset_ext_of_mime(mime);
  if (has && S_is_active(e, en)) {
    if (want) {
      out->len -= en; /* "image.php" -> "image.jpg" */
      out->data[out->len] = '\0';
      return mtport_buf_puts(out, want);
    }
    out->data[out->len - en - 1] = '-'; /* "page.php" -> "page-php" */
  }
  if (want)
    return mtport_buf_printf(out, ".%s", want);
  return MTPORT_OK;
}

int mtport_asset_path_for_url(mtport_buf *out, const char *url,
                              const char *mime, unsigned flags) {
  if (!out || !url)
    return MTPORT_EINVALID;
  mtport_buf_clear(out);
  mtport_assets__url u;
  mtport_assets__split(url, &u);
  int rc = 0;
  if ((flags & MTPORT_ASSET_PATH_HOST) && u.host_n) {
    mtport_buf hk = MTPORT_BUF_INIT;
    rc = mtport_assets__host_key(&hk, &u);
    if (!rc)
      rc = mtport_asset_safe_segment(out, hk.data ? hk.data : "", hk.len);
    mtport_buf_dispose(&hk);
  }
  size_t ls = out->len;
  const char *p = u.path;
  size_t i = 0, n = u.path_n;
  while (!rc && i < n) {
    size_t j = i;
    while (j < n && p[j] != '/')
      j++;
    if (j > i) {
      size_t before = out->len;
      if (before)
        rc = mtport_buf_putc(out, '/');
      if (!rc)
        rc = S_segment(out, p + i, j - i);
      if (!rc && out->len == before + (before ? 1 : 0))
        out->len = before; /* the segment was nothing safe */
      else
        ls = before + (before ? 1 : 0);
      if (out->data)
        out->data[out->len] = '\0';
    }
    i = j + 1;
  }
  if (rc)
    return MTPORT_ENOMEM;
  /* a folder URL or nothing left: a name is needed */
  int dir = n == 0 || p[n - 1] == '/';
  if (dir || out->len == 0 || ls == out->len) {
    if (out->len)
      rc = mtport_buf_putc(out, '/');
    ls = out->len;
    rc |= mtport_buf_puts(out, dir && n > 1 ? "index" : "file");
    if (rc)
      return MTPORT_ENOMEM;
  }
  return mtport_assets__fix_ext(out, ls, mime);
}
