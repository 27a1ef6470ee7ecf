/* What a URL is: the kind of file (the extension and mime tables), where
 * it lives (the blog's own hosts, the table of TypePad's hosts, anyone
 * else's), and the shapes of extensionless asset URLs (TypePad's /.a/
 * xids and their size variants, pop-up pages, MT's thumbnails). */
#include "assets_int.h"
#include <stdlib.h>
#include <string.h>

/* ---- small string helpers shared by the folder ---------------------- */

static int S_lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

int mtport_assets__ieq(const char *s, size_t n, const char *lit) {
  size_t i = 0;
  for (; i < n && lit[i]; i++)
    if (S_lower((unsigned char)s[i]) != lit[i])
      return 0;
  return i == n && !lit[i];
}

int mtport_assets__iends(const char *s, size_t n, const char *lit) {
  size_t k = strlen(lit);
  return n >= k && mtport_assets__ieq(s + n - k, k, lit);
}

int mtport_assets__ext(const char *p, size_t n, const char **ext, size_t *len) {
  size_t i = n;
  while (i > 0 && p[i - 1] != '/' && p[i - 1] != '.')
    i--;
  if (i == 0 || p[i - 1] != '.' || i == n)
    return 0;
  /* ".hidden" alone is a name, not an extension */
  if (i == 1 || p[i - 2] == '/')
    return 0;
  *ext = p + i;
  *len = n - i;
  return 1;
}

int mtport_assets__is_device(const char *s, size_t n) {
  size_t b = 0;
  while (b < n && s[b] != '.')
    b++;
  while (b > 0 && (s[b - 1] == ' ')) /* "CON .txt" is CON too */
    b--;
  static const char *const names[] = {"con", "prn",    "aux",
                                      "nul", "conin$", "conout$"};
  for (size_t k = 0; k < sizeof names / sizeof *names; k++)
    if (mtport_assets__ieq(s, b, names[k]))
      return 1;
  if (b == 4 &&
      (mtport_assets__ieq(s, 3, "com") || mtport_assets__ieq(s, 3, "lpt")))
    return s[3] >= '1' && s[3] <= '9';
  /* superscript digits count too: COM¹ LPT² LPT³ */
  if (b == 5 &&
      (mtport_assets__ieq(s, 3, "com") || mtport_assets__ieq(s, 3, "lpt")))
    return (unsigned char)s[3] == 0xC2 &&
           ((unsigned char)s[4] == 0xB9 || (unsigned char)s[4] == 0xB2 ||
            (unsigned char)s[4] == 0xB3);
  return 0;
}

static int S_hex(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = S_lower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int mtport_assets__pct_decode(mtport_buf *out, const char *s, size_t n) {
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    int a, b;
    if (s[i] == '%' && i + 2 < n && (a = S_hex((unsigned char)s[i + 1])) >= 0 &&
        (b = S_hex((unsigned char)s[i + 2])) >= 0) {
      rc |= mtport_buf_putc(out, (char)(a * 16 + b));
      i += 2;
    } else
      rc |= mtport_buf_putc(out, s[i]);
  }
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}

void mtport_assets__split(const char *s, mtport_assets__url *u) {
  memset(u, 0, sizeof *u);
  size_t i = 0;
  if ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) {
    i = 1;
    while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
           (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' ||
           s[i] == '.')
      i++;
    if (s[i] == ':') {
      u->scheme = s;
      u->scheme_n = i;
      i++;
    } else
      i = 0;
  }
  const char *p = s + i;
  if (p[0] == '/' && p[1] == '/') {
    u->has_auth = 1;
    const char *a = p + 2;
    size_t an = strcspn(a, "/?#\\");
    /* userinfo@ is dropped; the port follows the last ':' outside [] */
    const char *at = NULL;
    for (size_t k = 0; k < an; k++)
      if (a[k] == '@')
        at = a + k;
    const char *h = at ? at + 1 : a;
    size_t hn = (size_t)(a + an - h);
    size_t colon = hn;
    for (size_t k = hn; k > 0; k--) {
      if (h[k - 1] == ']')
        break;
      if (h[k - 1] == ':') {
        colon = k - 1;
        break;
      }
    }
    u->host = h;
    u->host_n = colon;
    if (colon < hn) {
      u->port = h + colon + 1;
      u->port_n = hn - colon - 1;
    }
    p = a + an;
  }
  u->path = p;
  u->path_n = strcspn(p, "?#");
  p += u->path_n;
  if (*p == '?') {
    u->has_query = 1;
    u->query = p + 1;
    u->query_n = strcspn(u->query, "#");
    p = u->query + u->query_n;
  }
  if (*p == '#') {
    u->has_frag = 1;
    u->frag = p + 1;
    u->frag_n = strlen(u->frag);
  }
}

int mtport_assets__host_key(mtport_buf *out, const mtport_assets__url *u) {
  const char *h = u->host;
  size_t n = u->host_n;
  if (!u->has_auth || !n)
    return MTPORT_OK;
  while (n > 0 && h[n - 1] == '.')
    n--;
  if (n > 4 && mtport_assets__ieq(h, 4, "www."))
    h += 4, n -= 4;
  int rc = 0;
  for (size_t i = 0; i < n; i++)
    rc |= mtport_buf_putc(out, (char)S_lower((unsigned char)h[i]));
  if (u->port_n) {
    int dflt = (mtport_assets__ieq(u->scheme, u->scheme_n, "http") &&
                mtport_assets__ieq(u->port, u->port_n, "80")) ||
               (mtport_assets__ieq(u->scheme, u->scheme_n, "https") &&
                mtport_assets__ieq(u->port, u->port_n, "443"));
    if (!dflt) {
      rc |= mtport_buf_putc(out, ':');
      rc |= mtport_buf_append(out, u->port, u->port_n);
    }
  }
  return rc ? MTPORT_ENOMEM : MTPORT_OK;
}

/* ---- kinds ------------------------------------------------------------ */

static const struct {
  const char *ext;
  mtport_asset_kind kind;
} S_exts[] = {
    {"jpg", MTPORT_ASSET_IMAGE},      {"jpeg", MTPORT_ASSET_IMAGE},
    {"jpe", MTPORT_ASSET_IMAGE},      {"jfif", MTPORT_ASSET_IMAGE},
    {"png", MTPORT_ASSET_IMAGE},      {"gif", MTPORT_ASSET_IMAGE},
    {"webp", MTPORT_ASSET_IMAGE},     {"avif", MTPORT_ASSET_IMAGE},
    {"bmp", MTPORT_ASSET_IMAGE},      {"tif", MTPORT_ASSET_IMAGE},
    {"tiff", MTPORT_ASSET_IMAGE},     {"svg", MTPORT_ASSET_IMAGE},
    {"ico", MTPORT_ASSET_IMAGE},      {"heic", MTPORT_ASSET_IMAGE},
    {"heif", MTPORT_ASSET_IMAGE},     {"pdf", MTPORT_ASSET_DOCUMENT},
    {"ps", MTPORT_ASSET_DOCUMENT},    {"eps", MTPORT_ASSET_DOCUMENT},
    {"rtf", MTPORT_ASSET_DOCUMENT},   {"txt", MTPORT_ASSET_DOCUMENT},
    {"epub", MTPORT_ASSET_DOCUMENT},  {"mobi", MTPORT_ASSET_DOCUMENT},
    {"djvu", MTPORT_ASSET_DOCUMENT},  {"mp3", MTPORT_ASSET_AUDIO},
    {"m4a", MTPORT_ASSET_AUDIO},      {"aac", MTPORT_ASSET_AUDIO},
    {"ogg", MTPORT_ASSET_AUDIO},      {"oga", MTPORT_ASSET_AUDIO},
    {"opus", MTPORT_ASSET_AUDIO},     {"wav", MTPORT_ASSET_AUDIO},
    {"flac", MTPORT_ASSET_AUDIO},     {"wma", MTPORT_ASSET_AUDIO},
    {"aif", MTPORT_ASSET_AUDIO},      {"aiff", MTPORT_ASSET_AUDIO},
    {"mid", MTPORT_ASSET_AUDIO},      {"midi", MTPORT_ASSET_AUDIO},
    {"ra", MTPORT_ASSET_AUDIO},       {"ram", MTPORT_ASSET_AUDIO},
    {"mp4", MTPORT_ASSET_VIDEO},      {"m4v", MTPORT_ASSET_VIDEO},
    {"mov", MTPORT_ASSET_VIDEO},      {"webm", MTPORT_ASSET_VIDEO},
    {"ogv", MTPORT_ASSET_VIDEO},      {"avi", MTPORT_ASSET_VIDEO},
    {"wmv", MTPORT_ASSET_VIDEO},      {"flv", MTPORT_ASSET_VIDEO},
    {"f4v", MTPORT_ASSET_VIDEO},      {"mpg", MTPORT_ASSET_VIDEO},
    {"mpeg", MTPORT_ASSET_VIDEO},     {"3gp", MTPORT_ASSET_VIDEO},
    {"mkv", MTPORT_ASSET_VIDEO},      {"swf", MTPORT_ASSET_VIDEO},
    {"rm", MTPORT_ASSET_VIDEO},       {"zip", MTPORT_ASSET_ARCHIVE},
    {"gz", MTPORT_ASSET_ARCHIVE},     {"tgz", MTPORT_ASSET_ARCHIVE},
    {"tar", MTPORT_ASSET_ARCHIVE},    {"bz2", MTPORT_ASSET_ARCHIVE},
    {"xz", MTPORT_ASSET_ARCHIVE},     {"7z", MTPORT_ASSET_ARCHIVE},
    {"rar", MTPORT_ASSET_ARCHIVE},    {"lzh", MTPORT_ASSET_ARCHIVE},
    {"sit", MTPORT_ASSET_ARCHIVE},    {"sitx", MTPORT_ASSET_ARCHIVE},
    {"hqx", MTPORT_ASSET_ARCHIVE},    {"dmg", MTPORT_ASSET_ARCHIVE},
    {"doc", MTPORT_ASSET_OFFICE},     {"docx", MTPORT_ASSET_OFFICE},
    {"xls", MTPORT_ASSET_OFFICE},     {"xlsx", MTPORT_ASSET_OFFICE},
    {"ppt", MTPORT_ASSET_OFFICE},     {"pptx", MTPORT_ASSET_OFFICE},
    {"pps", MTPORT_ASSET_OFFICE},     {"ppsx", MTPORT_ASSET_OFFICE},
    {"odt", MTPORT_ASSET_OFFICE},     {"ods", MTPORT_ASSET_OFFICE},
    {"odp", MTPORT_ASSET_OFFICE},     {"odg", MTPORT_ASSET_OFFICE},
    {"pages", MTPORT_ASSET_OFFICE},   {"key", MTPORT_ASSET_OFFICE},
    {"numbers", MTPORT_ASSET_OFFICE}, {"csv", MTPORT_ASSET_OFFICE},
};

mtport_asset_kind mtport_asset_kind_of_ext(const char *ext, size_t len) {
  if (!ext)
    return MTPORT_ASSET_NONE;
  for (size_t i = 0; i < sizeof S_exts / sizeof *S_exts; i++)
    if (mtport_assets__ieq(ext, len, S_exts[i].ext))
      return S_exts[i].kind;
  return MTPORT_ASSET_NONE;
}

mtport_asset_kind mtport_asset_kind_of_url(const char *url) {
  if (!url)
    return MTPORT_ASSET_NONE;
  mtport_assets__url u;
  mtport_assets__split(url, &u);
  mtport_buf p = MTPORT_BUF_INIT;
  mtport_asset_kind k = MTPORT_ASSET_NONE;
  const char *e;
  size_t en;
  if (mtport_assets__pct_decode(&p, u.path, u.path_n) == MTPORT_OK && p.data &&
      mtport_assets__ext(p.data, p.len, &e, &en))
    k = mtport_asset_kind_of_ext(e, en);
  mtport_buf_dispose(&p);
  return k;
}

/* Mime types whose kind or extension their major type does not say. */
static const struct {
  const char *mime, *ext;
  mtport_asset_kind kind;
} S_mimes[] = {
    {"image/jpeg", "jpg", MTPORT_ASSET_IMAGE},
    {"image/pjpeg", "jpg", MTPORT_ASSET_IMAGE},
    {"image/png", "png", MTPORT_ASSET_IMAGE},
    {"image/x-png", "png", MTPORT_ASSET_IMAGE},
    {"image/gif", "gif", MTPORT_ASSET_IMAGE},
    {"image/webp", "webp", MTPORT_ASSET_IMAGE},
    {"image/avif", "avif", MTPORT_ASSET_IMAGE},
    {"image/bmp", "bmp", MTPORT_ASSET_IMAGE},
    {"image/x-ms-bmp", "bmp", MTPORT_ASSET_IMAGE},
    {"image/tiff", "tif", MTPORT_ASSET_IMAGE},
    {"image/svg+xml", "svg", MTPORT_ASSET_IMAGE},
    {"image/x-icon", "ico", MTPORT_ASSET_IMAGE},
    {"image/vnd.microsoft.icon", "ico", MTPORT_ASSET_IMAGE},
    {"image/heic", "heic", MTPORT_ASSET_IMAGE},
    {"application/pdf", "pdf", MTPORT_ASSET_DOCUMENT},
    {"application/postscript", "ps", MTPORT_ASSET_DOCUMENT},
    {"application/rtf", "rtf", MTPORT_ASSET_DOCUMENT},
    {"text/rtf", "rtf", MTPORT_ASSET_DOCUMENT},
    {"text/plain", "txt", MTPORT_ASSET_DOCUMENT},
    {"application/epub+zip", "epub", MTPORT_ASSET_DOCUMENT},
    {"audio/mpeg", "mp3", MTPORT_ASSET_AUDIO},
    {"audio/mp3", "mp3", MTPORT_ASSET_AUDIO},
    {"audio/mp4", "m4a", MTPORT_ASSET_AUDIO},
    {"audio/x-m4a", "m4a", MTPORT_ASSET_AUDIO},
    {"audio/aac", "aac", MTPORT_ASSET_AUDIO},
    {"audio/ogg", "ogg", MTPORT_ASSET_AUDIO},
    {"audio/wav", "wav", MTPORT_ASSET_AUDIO},
    {"audio/x-wav", "wav", MTPORT_ASSET_AUDIO},
    {"audio/flac", "flac", MTPORT_ASSET_AUDIO},
    {"audio/midi", "mid", MTPORT_ASSET_AUDIO},
    {"audio/x-ms-wma", "wma", MTPORT_ASSET_AUDIO},
    {"video/mp4", "mp4", MTPORT_ASSET_VIDEO},
    {"video/quicktime", "mov", MTPORT_ASSET_VIDEO},
    {"video/webm", "webm", MTPORT_ASSET_VIDEO},
    {"video/ogg", "ogv", MTPORT_ASSET_VIDEO},
    {"video/x-msvideo", "avi", MTPORT_ASSET_VIDEO},
    {"video/x-ms-wmv", "wmv", MTPORT_ASSET_VIDEO},
    {"video/x-flv", "flv", MTPORT_ASSET_VIDEO},
    {"video/mpeg", "mpg", MTPORT_ASSET_VIDEO},
    {"video/3gpp", "3gp", MTPORT_ASSET_VIDEO},
    {"application/x-shockwave-flash", "swf", MTPORT_ASSET_VIDEO},
    {"application/zip", "zip", MTPORT_ASSET_ARCHIVE},
    {"application/x-zip-compressed", "zip", MTPORT_ASSET_ARCHIVE},
    {"application/gzip", "gz", MTPORT_ASSET_ARCHIVE},
    {"application/x-gzip", "gz", MTPORT_ASSET_ARCHIVE},
    {"application/x-tar", "tar", MTPORT_ASSET_ARCHIVE},
    {"application/x-bzip2", "bz2", MTPORT_ASSET_ARCHIVE},
    {"application/x-xz", "xz", MTPORT_ASSET_ARCHIVE},
    {"application/x-7z-compressed", "7z", MTPORT_ASSET_ARCHIVE},
    {"application/vnd.rar", "rar", MTPORT_ASSET_ARCHIVE},
    {"application/x-rar-compressed", "rar", MTPORT_ASSET_ARCHIVE},
    {"application/x-stuffit", "sit", MTPORT_ASSET_ARCHIVE},
    {"application/x-apple-diskimage", "dmg", MTPORT_ASSET_ARCHIVE},
    {"application/msword", "doc", MTPORT_ASSET_OFFICE},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "docx", MTPORT_ASSET_OFFICE},
    {"application/vnd.ms-excel", "xls", MTPORT_ASSET_OFFICE},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     "xlsx", MTPORT_ASSET_OFFICE},
    {"application/vnd.ms-powerpoint", "ppt", MTPORT_ASSET_OFFICE},
    {"application/"
     "vnd.openxmlformats-officedocument.presentationml.presentation",
     "pptx", MTPORT_ASSET_OFFICE},
    {"application/vnd.oasis.opendocument.text", "odt", MTPORT_ASSET_OFFICE},
    {"application/vnd.oasis.opendocument.spreadsheet", "ods",
     MTPORT_ASSET_OFFICE},
    {"application/vnd.oasis.opendocument.presentation", "odp",
     MTPORT_ASSET_OFFICE},
    {"text/csv", "csv", MTPORT_ASSET_OFFICE},
};

/* The mime type's length without parameters and spaces. */
static size_t S_mime_len(const char *m) {
  size_t n = strcspn(m, ";");
  while (n > 0 && (m[n - 1] == ' ' || m[n - 1] == '\t'))
    n--;
  return n;
}

mtport_asset_kind mtport_asset_kind_of_mime(const char *mime) {
  if (!mime)
    return MTPORT_ASSET_NONE;
  while (*mime == ' ')
    mime++;
  size_t n = S_mime_len(mime);
  for (size_t i = 0; i < sizeof S_mimes / sizeof *S_mimes; i++)
    if (mtport_assets__ieq(mime, n, S_mimes[i].mime))
      return S_mimes[i].kind;
  if (n > 6 && mtport_assets__ieq(mime, 6, "image/"))
    return MTPORT_ASSET_IMAGE;
  if (n > 6 && mtport_assets__ieq(mime, 6, "audio/"))
    return MTPORT_ASSET_AUDIO;
  if (n > 6 && mtport_assets__ieq(mime, 6, "video/"))
    return MTPORT_ASSET_VIDEO;
  return MTPORT_ASSET_NONE;
}

const char *mtport_asset_ext_of_mime(const char *mime) {
  if (!mime)
    return NULL;
  while (*mime == ' ')
    mime++;
  size_t n = S_mime_len(mime);
  for (size_t i = 0; i < sizeof S_mimes / sizeof *S_mimes; i++)
    if (mtport_assets__ieq(mime, n, S_mimes[i].mime))
      return S_mimes[i].ext;
  return NULL;
}

const char *mtport_asset_kind_name(mtport_asset_kind kind) {
  static const char *const names[] = {"none",  "image",   "document", "audio",
                                      "video", "archive", "office",   "file"};
  return (unsigned)kind < sizeof names / sizeof *names ? names[kind] : "none";
}

const char *mtport_asset_sniff(const void *head, size_t n) {
  const unsigned char *h = head;
#define S_AT(off, lit)                                                         \
  (n >= (off) + sizeof(lit) - 1 && memcmp(h + (off), lit, sizeof(lit) - 1) == 0)
  if (!h)
    return NULL;
  if (S_AT(0, "\x89PNG\r\n\x1a\n"))
    return "image/png";
  if (S_AT(0, "\xff\xd8\xff"))
    return "image/jpeg";
  if (S_AT(0, "GIF87a") || S_AT(0, "GIF89a"))
    return "image/gif";
  if (S_AT(0, "RIFF") && S_AT(8, "WEBP"))
    return "image/webp";
  if (S_AT(0, "RIFF") && S_AT(8, "WAVE"))
    return "audio/wav";
  if (S_AT(0, "RIFF") && S_AT(8, "AVI "))
    return "video/x-msvideo";
  if (S_AT(0, "%PDF-"))
    return "application/pdf";
  if (S_AT(0, "BM") && n >= 14)
    return "image/bmp";
  if (S_AT(0, "II*\0") || S_AT(0, "MM\0*"))
    return "image/tiff";
  if (S_AT(0, "\0\0\1\0") && n >= 6)
    return "image/x-icon";
  if (S_AT(0, "PK\3\4"))
    return "application/zip";
  if (S_AT(0, "\x1f\x8b"))
    return "application/gzip";
  if (S_AT(0, "ID3") || (n >= 2 && h[0] == 0xFF && (h[1] & 0xE0) == 0xE0))
    return "audio/mpeg";
  if (S_AT(0, "OggS"))
    return "audio/ogg";
  if (S_AT(4, "ftypqt"))
    return "video/quicktime";
  if (S_AT(4, "ftypM4A"))
    return "audio/mp4";
  if (S_AT(4, "ftyp"))
    return "video/mp4";
  /* SVG: an XML or svg start within the head */
  size_t k = 0;
  if (S_AT(0, "\xef\xbb\xbf"))
    k = 3;
  while (k < n && (h[k] == ' ' || h[k] == '\n' || h[k] == '\r' || h[k] == '\t'))
    k++;
  if (S_AT(k, "<svg"))
    return "image/svg+xml";
  if (S_AT(k, "<?xml")) {
    for (size_t i = k; i + 4 <= n; i++)
      if (memcmp(h + i, "<svg", 4) == 0)
        return "image/svg+xml";
  }
#undef S_AT
  return NULL;
}

/* ---- hosts -------------------------------------------------------------- */

struct mtport_asset_hosts {
  char **hosts;
  size_t n, cap;
};

int mtport_asset_hosts_new(mtport_asset_hosts **out) {
  *out = calloc(1, sizeof **out);
  return *out ? MTPORT_OK : MTPORT_ENOMEM;
}

void mtport_asset_hosts_free(mtport_asset_hosts *h) {
  if (!h)
    return;
  for (size_t i = 0; i < h->n; i++)
    free(h->hosts[i]);
  free(h->hosts);
  free(h);
}

int mtport_asset_hosts_add(mtport_asset_hosts *h, const char *spec) {
  if (!h || !spec)
    return MTPORT_EINVALID;
  mtport_buf b = MTPORT_BUF_INIT, key = MTPORT_BUF_INIT;
  /* a bare host is read as the authority of an http URL */
  int rc = strstr(spec, "//") ? mtport_buf_puts(&b, spec)
                              : mtport_buf_printf(&b, "http://%s", spec);
  mtport_assets__url u;
  if (rc == MTPORT_OK) {
    mtport_assets__split(b.data, &u);
    rc = mtport_assets__host_key(&key, &u);
  }
  if (rc == MTPORT_OK && !key.len)
    rc = MTPORT_EINVALID;
  for (size_t i = 0; rc == MTPORT_OK && i < h->n; i++)
    if (strcmp(h->hosts[i], key.data) == 0) {
      mtport_buf_dispose(&b);
      mtport_buf_dispose(&key);
      return MTPORT_OK;
    }
  if (rc == MTPORT_OK && h->n == h->cap) {
    size_t nc = h->cap ? h->cap * 2 : 4;
    char **a = realloc(h->hosts, nc * sizeof *a);
    if (!a)
      rc = MTPORT_ENOMEM;
    else
      h->hosts = a, h->cap = nc;
  }
  if (rc == MTPORT_OK) {
    char *k = mtport_buf_detach(&key);
    if (!k)
      rc = MTPORT_ENOMEM;
    else
      h->hosts[h->n++] = k;
  }
  mtport_buf_dispose(&b);
  mtport_buf_dispose(&key);
  return rc;
}

/* 1 when host key @h (@n bytes, lower case) is @dom or below it. */
static int S_under(const char *h, size_t n, const char *dom) {
  size_t d = strlen(dom);
  if (n == d)
    return memcmp(h, dom, d) == 0;
  return n > d && h[n - d - 1] == '.' && memcmp(h + n - d, dom, d) == 0;
}

/* TypePad's shared asset hosts: a1..a7, up*, static. */
static int S_typepad_asset_host(const char *h, size_t n) {
  if (!S_under(h, n, "typepad.com") && !S_under(h, n, "typepad.jp"))
    return 0;
  size_t lab = strcspn(h, ".");
  if (lab == 2 && h[0] == 'a' && h[1] >= '1' && h[1] <= '9')
    return 1;
  if (lab >= 2 && h[0] == 'u' && h[1] == 'p')
    return 1;
  return lab == 6 && memcmp(h, "static", 6) == 0;
}

static int S_typepad_host(const char *h, size_t n) {
  return S_under(h, n, "typepad.com") || S_under(h, n, "typepad.jp") ||
         (S_under(h, n, "blogs.com") && n > 10);
}

mtport_host_class mtport_asset_hosts_class(const mtport_asset_hosts *hs,
                                           const char *url) {
  if (!url)
    return MTPORT_HOST_EXTERNAL;
  mtport_assets__url u;
  mtport_assets__split(url, &u);
  if (!u.has_auth)
    return u.scheme_n && !mtport_assets__ieq(u.scheme, u.scheme_n, "http") &&
                   !mtport_assets__ieq(u.scheme, u.scheme_n, "https")
               ? MTPORT_HOST_EXTERNAL /* mailto:, data:, javascript: */
               : MTPORT_HOST_OWN;
  if (u.scheme_n && !mtport_assets__ieq(u.scheme, u.scheme_n, "http") &&
      !mtport_assets__ieq(u.scheme, u.scheme_n, "https"))
    return MTPORT_HOST_EXTERNAL; /* ftp:// and the like */
  mtport_buf key = MTPORT_BUF_INIT;
  if (mtport_assets__host_key(&key, &u) || !key.len) {
    mtport_buf_dispose(&key);
    return MTPORT_HOST_EXTERNAL;
  }
  mtport_host_class c = MTPORT_HOST_EXTERNAL;
  for (size_t i = 0; hs && i < hs->n; i++)
    if (strcmp(hs->hosts[i], key.data) == 0)
      c = MTPORT_HOST_OWN;
  if (c == MTPORT_HOST_EXTERNAL && S_typepad_host(key.data, key.len))
    c = MTPORT_HOST_KNOWN;
  mtport_buf_dispose(&key);
  return c;
}

/* ---- shapes ----------------------------------------------------------- */

void mtport_asset_url_dispose(mtport_asset_url *u) {
  if (!u)
    return;
  free(u->target);
  free(u->xid);
  free(u->variant);
  memset(u, 0, sizeof *u);
}

static int S_digits(const char *s, size_t n) {
  if (!n)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

/* A TypePad variant: "pi", or digits then "wi", "si", "hi" or "pi". */
static int S_tp_variant(const char *s, size_t n) {
  if (n == 2 && memcmp(s, "pi", 2) == 0)
    return 1;
  return n >= 3 && n <= 8 && S_digits(s, n - 2) &&
         (memcmp(s + n - 2, "wi", 2) == 0 || memcmp(s + n - 2, "si", 2) == 0 ||
          memcmp(s + n - 2, "hi", 2) == 0 || memcmp(s + n - 2, "pi", 2) == 0);
}

/* "<xid>-<variant>" at @s: xids are 16 to 64 hex digits. */
static int S_tp_asset(const char *s, size_t n, size_t *xid_n) {
  size_t k = 0;
  while (k < n && S_hex((unsigned char)s[k]) >= 0)
    k++;
  if (k < 16 || k > 64 || k >= n || s[k] != '-')
    return 0;
  *xid_n = k;
  return S_tp_variant(s + k + 1, n - k - 1);
}

/* MT's assets_c/YYYY/MM/<last>: a thumbnail "<name>-thumb-<W>x<H>-<id>.<ext>"
 * or a pop-up page "<name>-<id>.<page ext>". */
static void S_mt_cache(const char *path, size_t n, mtport_asset_url *o) {
  const char *a = NULL;
  for (size_t i = 0; i + 10 <= n; i++)
    if (memcmp(path + i, "/assets_c/", 10) == 0)
      a = path + i + 10;
  if (!a)
    return;
  size_t rest = (size_t)(path + n - a);
  if (rest < 9 || !S_digits(a, 4) || a[4] != '/' || !S_digits(a + 5, 2) ||
      a[7] != '/')
    return;
  const char *last = a + 8;
  size_t ln = rest - 8;
  if (memchr(last, '/', ln))
    return;
  const char *dot = NULL;
  for (size_t i = ln; i > 0; i--)
    if (last[i - 1] == '.') {
      dot = last + i - 1;
      break;
    }
  if (!dot)
    return;
  size_t stem = (size_t)(dot - last);
  size_t d = stem;
  while (d > 0 && last[d - 1] >= '0' && last[d - 1] <= '9')
    d--;
  if (d == stem || d == 0 || last[d - 1] != '-' || stem - d > 15)
    return;
  long long id = 0;
  for (size_t i = d; i < stem; i++)
    id = id * 10 + (last[i] - '0');
  if (id <= 0)
    return;
  const char *ext = dot + 1;
  size_t en = ln - stem - 1;
  /* "-thumb-<W>x<H>" before the id? W and H are digits or "auto" */
  size_t t = d - 1; /* the '-' before the id */
  size_t k = t;
  while (k > 0 && last[k - 1] != '-')
    k--;
  int thumb = 0;
  if (k >= 7 && memcmp(last + k - 7, "-thumb-", 7) == 0) {
    const char *wh = last + k;
    size_t whn = t - k;
    const char *x = memchr(wh, 'x', whn);
    if (x) {
      size_t wn = (size_t)(x - wh), hn = whn - wn - 1;
      thumb = (S_digits(wh, wn) || mtport_assets__ieq(wh, wn, "auto")) &&
              (S_digits(x + 1, hn) || mtport_assets__ieq(x + 1, hn, "auto"));
    }
  }
  if (thumb) {
    o->shape |= MTPORT_SHAPE_MT_THUMB;
    o->mt_asset_id = id;
    if (!o->kind)
      o->kind = MTPORT_ASSET_IMAGE;
  } else if (mtport_assets__ieq(ext, en, "html") ||
             mtport_assets__ieq(ext, en, "htm") ||
             mtport_assets__ieq(ext, en, "php") ||
             mtport_assets__ieq(ext, en, "shtml") ||
             mtport_assets__ieq(ext, en, "asp") ||
             mtport_assets__ieq(ext, en, "jsp")) {
    o->shape |= MTPORT_SHAPE_POPUP;
    o->mt_asset_id = id;
    o->kind = MTPORT_ASSET_IMAGE;
  }
}

int mtport_asset_url_classify(const mtport_asset_hosts *h, const char *url,
                              mtport_asset_url *o) {
  if (!o)
    return MTPORT_EINVALID;
  memset(o, 0, sizeof *o);
  if (!url)
    return MTPORT_EINVALID;
  o->host = mtport_asset_hosts_class(h, url);
  mtport_assets__url u;
  mtport_assets__split(url, &u);
  if (u.scheme_n && !mtport_assets__ieq(u.scheme, u.scheme_n, "http") &&
      !mtport_assets__ieq(u.scheme, u.scheme_n, "https"))
    return MTPORT_OK; /* mailto:, data:, javascript:... are not files */
  mtport_buf path = MTPORT_BUF_INIT, hk = MTPORT_BUF_INIT;
  int rc = mtport_assets__pct_decode(&path, u.path, u.path_n);
  rc |= mtport_assets__host_key(&hk, &u);
  if (rc) {
    mtport_buf_dispose(&path);
    mtport_buf_dispose(&hk);
    return MTPORT_ENOMEM;
  }
  const char *p = path.data ? path.data : "";
  size_t pn = path.len;
  const char *e;
  size_t en;
  if (mtport_assets__ext(p, pn, &e, &en))
    o->kind = mtport_asset_kind_of_ext(e, en);
  int tp = hk.len && S_typepad_host(hk.data, hk.len);
  const char *last = p + pn;
  while (last > p && last[-1] != '/')
    last--;
  size_t ln = (size_t)(p + pn - last);
  size_t xn;
  /* TypePad: /.a/<xid>-<variant> anywhere, /<xid>-<variant> on its asset
   * hosts */
  int dot_a = ln && last - p >= 4 && memcmp(last - 4, "/.a/", 4) == 0;
  if ((dot_a || (tp && S_typepad_asset_host(hk.data, hk.len))) &&
      S_tp_asset(last, ln, &xn)) {
    o->shape |= MTPORT_SHAPE_TYPEPAD_ASSET;
    if (!o->kind)
      o->kind = MTPORT_ASSET_IMAGE;
    o->xid = mtport__strndup(last, xn);
    o->variant = mtport__strndup(last + xn + 1, ln - xn - 1);
    if (!o->xid || !o->variant)
      rc = MTPORT_ENOMEM;
    else if (strcmp(o->variant, "pi") != 0) {
      /* the original: the same URL with "-pi" (query and fragment go) */
      const char *rl = u.path + u.path_n;
      while (rl > u.path && rl[-1] != '/')
        rl--;
      if ((size_t)(u.path + u.path_n - rl) > xn &&
          memcmp(rl, o->xid, xn) == 0) {
        mtport_buf t = MTPORT_BUF_INIT;
        rc |= mtport_buf_append(&t, url, (size_t)(rl - url) + xn);
        rc |= mtport_buf_puts(&t, "-pi");
        if (!rc && !(o->target = mtport_buf_detach(&t)))
          rc = MTPORT_ENOMEM;
        mtport_buf_dispose(&t);
      }
    }
  }
  if (tp && pn >= 8 && strstr(p, "/photos/"))
    o->shape |= MTPORT_SHAPE_TYPEPAD_PHOTO;
  /* TypePad's pop-up: <root>/.shared/image.html?<path below root> */
  int sh = pn >= 19 && memcmp(p + pn - 19, "/.shared/image.html", 19) == 0;
  if (sh && u.has_query && u.query_n) {
    mtport_buf t = MTPORT_BUF_INIT;
    const char *q = u.query;
    size_t qn = u.query_n;
    while (qn && *q == '/')
      q++, qn--;
    /* the root: everything of the URL before "/.shared/", raw */
    const char *raw_sh = strstr(u.path, "/.shared/");
    if (raw_sh && qn) {
      rc |= mtport_buf_append(&t, url, (size_t)(raw_sh - url) + 1);
      rc |= mtport_buf_append(&t, q, qn);
      if (!rc && !(o->target = mtport_buf_detach(&t)))
        rc = MTPORT_ENOMEM;
      o->shape |= MTPORT_SHAPE_POPUP;
      mtport_asset_kind k =
          mtport_asset_kind_of_url(o->target ? o->target : "");
      o->kind = k ? k : MTPORT_ASSET_IMAGE;
    }
    mtport_buf_dispose(&t);
  }
  S_mt_cache(p, pn, o);
  mtport_buf_dispose(&path);
  mtport_buf_dispose(&hk);
  if (rc) {
    mtport_asset_url_dispose(o);
    return MTPORT_ENOMEM;
  }
  return MTPORT_OK;
}
