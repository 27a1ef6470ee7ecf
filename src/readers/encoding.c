/* Legacy encodings of text exports: valid UTF-8 passes through; anything else
 * is detected per entry with uchardet among the encodings MT blogs used and
 * converted with iconv. Bytes the chosen encoding rejects are tried as UTF-8
 * (mixed files), then as a single-byte fallback (cp1252 strays in GBK or
 * UTF-8 files), and only then become U+FFFD. */
#include "mttext.h"
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <uchardet/uchardet.h>

struct mtport_enc {
  char *forced;       /* iconv name applied to every entry, or NULL */
  uchardet_t det;     /* created on first need */
  const char *sticky; /* the last CJK encoding detected in this input */
  const char *single; /* the last single-byte encoding detected */
};

int mtport_enc__new(mtport_enc **out, const char *forced) {
  *out = NULL;
  mtport_enc *e = calloc(1, sizeof *e);
  if (!e)
    return MTPORT_ENOMEM;
  if (forced && *forced) {
    iconv_t cd = iconv_open("UTF-8", forced);
    if (cd == (iconv_t)-1) {
      free(e);
      return MTPORT_ENOTFOUND;
    }
    iconv_close(cd);
    e->forced = mtport__strdup(forced);
    if (!e->forced) {
      free(e);
      return MTPORT_ENOMEM;
    }
  }
  *out = e;
  return MTPORT_OK;
}

void mtport_enc__free(mtport_enc *e) {
  if (!e)
    return;
  if (e->det)
    uchardet_delete(e->det);
  free(e->forced);
  free(e);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0. */
static size_t S_utf8_seq(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  if (c < 0x80)
    return 1;
  size_t len;
  unsigned min;
  if (c >= 0xC2 && c <= 0xDF)
    len = 2, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF)
    len = 3, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4)
    len = 4, min = 0x10000;
  else
    return 0;
  if (len > n)
    return 0;
  unsigned v = c & (0x7F >> len);
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    v = v << 6 | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
    return 0;
  return len;
}

/* Maps a detector's answer onto the encodings we accept; NULL for others. */
static const char *S_canon(const char *d, int *multibyte) {
  static const struct {
    const char *in, *out;
    int mb;
  } map[] = {{"UTF-8", "UTF-8", 1},         {"ASCII", "UTF-8", 1},
             {"WINDOWS-1252", "CP1252", 0}, {"ISO-8859-1", "CP1252", 0},
             {"GB18030", "GB18030", 1},     {"GB2312", "GB18030", 1},
             {"GBK", "GB18030", 1},         {"HZ-GB-2312", "GB18030", 1},
             {"BIG5", "BIG5", 1},           {"BIG5-HKSCS", "BIG5-HKSCS", 1},
             {"SHIFT_JIS", "CP932", 1},     {"SJIS", "CP932", 1},
             {"EUC-JP", "EUC-JP", 1},       {"EUC-KR", "CP949", 1},
             {"UHC", "CP949", 1},           {"CP949", "CP949", 1}};
  *multibyte = 0;
  if (!d || !*d)
    return NULL;
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (strcasecmp(d, map[i].in) == 0) {
      *multibyte = map[i].mb;
      return map[i].out;
    }
  static const char *const latin[] = {
      "ISO-8859-2",  "ISO-8859-3",  "ISO-8859-4", "ISO-8859-5",  "ISO-8859-6",
      "ISO-8859-7",  "ISO-8859-8",  "ISO-8859-9", "ISO-8859-10", "ISO-8859-11",
      "ISO-8859-13", "ISO-8859-15", "ISO-8859-16"};
  for (size_t i = 0; i < sizeof latin / sizeof *latin; i++)
    if (strcasecmp(d, latin[i]) == 0)
      return latin[i];
  return NULL;
}

/* Converts with @enc; rejected bytes go through the UTF-8 and @single
 * fallbacks, then U+FFFD. Returns the number of rejected bytes or -1. */
static long S_convert(const char *enc, const char *single, const char *in,
                      size_t n, mtport_buf *out, mtport_enc_result *res) {
  iconv_t cd = iconv_open("UTF-8", enc);
  if (cd == (iconv_t)-1)
    return -1;
  iconv_t one = single ? iconv_open("UTF-8", single) : (iconv_t)-1;
  long rejected = 0;
  char obuf[4096];
  char *ip = (char *)in;
  size_t ileft = n;
  int is_utf8 = strcasecmp(enc, "UTF-8") == 0;
  while (ileft) {
    char *op = obuf;
    size_t oleft = sizeof obuf;
    size_t r = iconv(cd, &ip, &ileft, &op, &oleft);
    if (mtport_buf_append(out, obuf, (size_t)(op - obuf)) != MTPORT_OK)
      rejected = -1;
    if (r != (size_t)-1 || rejected < 0)
      continue;
    if (errno == E2BIG)
      continue;
    /* EILSEQ or EINVAL: handle the byte (or UTF-8 sequence) at ip */
    iconv(cd, NULL, NULL, NULL, NULL);
    rejected++;
    const unsigned char *u = (const unsigned char *)ip;
    size_t k = is_utf8 ? 0 : S_utf8_seq(u, ileft);
    if (k > 1) {
      mtport_buf_append(out, ip, k);
      ip += k, ileft -= k;
      continue;
    }
    char sb[8];
    char *sp = ip, *so = sb;
    size_t sl = 1, sol = sizeof sb;
    if (one != (iconv_t)-1 && iconv(one, &sp, &sl, &so, &sol) != (size_t)-1 &&
        so > sb) {
      mtport_buf_append(out, sb, (size_t)(so - sb));
      if (res)
        res->fallback++;
    } else {
      mtport_buf_puts(out, "\xEF\xBF\xBD");
      if (res)
        res->replaced++;
    }
    if (one != (iconv_t)-1)
      iconv(one, NULL, NULL, NULL, NULL);
    ip++, ileft--;
  }
  iconv_close(cd);
  if (one != (iconv_t)-1)
    iconv_close(one);
  return rejected;
}

int mtport_enc__decode(mtport_enc *e, const char *in, size_t n, mtport_buf *out,
                       mtport_enc_result *res) {
  memset(res, 0, sizeof *res);
  if (e->forced) {
    res->encoding = e->forced;
    return S_convert(e->forced, NULL, in, n, out, res) < 0 ? MTPORT_ENOMEM
                                                           : MTPORT_OK;
  }
  if (mtport_utf8_valid(in, n)) {
    res->encoding = "UTF-8";
    return mtport_buf_append(out, in, n);
  }
  /* how much of it is UTF-8 already? */
  size_t mb = 0, bad = 0;
  const unsigned char *u = (const unsigned char *)in;
  for (size_t i = 0; i < n;) {
    size_t k = S_utf8_seq(u + i, n - i);
    if (k > 1)
      mb++;
    if (!k)
      bad++;
    i += k ? k : 1;
  }
  if (!e->det)
    e->det = uchardet_new();
  const char *found = NULL;
  int multi = 0;
  if (e->det) {
    uchardet_reset(e->det);
    uchardet_handle_data(e->det, in, n);
    uchardet_data_end(e->det);
    found = S_canon(uchardet_get_charset(e->det), &multi);
  }
  const char *enc, *single;
  if (found && multi && strcmp(found, "UTF-8") != 0) {
    enc = found;
    single = e->single ? e->single : "CP1252";
    e->sticky = found;
  } else if (found && !multi) {
    e->single = found;
    single = found;
    enc = mb > bad ? "UTF-8" : found;
  } else {
    single = e->single ? e->single : "CP1252";
    enc = mb > bad ? "UTF-8" : single;
  }
  /* a short entry of a CJK file is easily mistaken for Latin text: keep the
   * file's CJK encoding when it reads the entry without a single error */
  if (e->sticky && enc != e->sticky && mb <= bad) {
    mtport_buf trial = MTPORT_BUF_INIT;
    long rj = S_convert(e->sticky, NULL, in, n, &trial, NULL);
    if (rj == 0) {
      int rc = mtport_buf_append(out, trial.data, trial.len);
      mtport_buf_dispose(&trial);
      res->encoding = e->sticky;
      return rc;
    }
    mtport_buf_dispose(&trial);
  }
  res->encoding = enc;
  return S_convert(enc, single, in, n, out, res) < 0 ? MTPORT_ENOMEM
                                                     : MTPORT_OK;
}

/* ---- UTF-16 exports (a BOM says so): decoded as a stream ---- */

struct mtport_u16 {
  iconv_t cd;
  unsigned char left[4]; /* an incomplete unit or surrogate pair */
  size_t n_left;
  int skip_bom;
};

int mtport_u16__new(mtport_u16 **out, int big_endian) {
  *out = NULL;
  mtport_u16 *u = calloc(1, sizeof *u);
  if (!u)
    return MTPORT_ENOMEM;
  u->cd = iconv_open("UTF-8", big_endian ? "UTF-16BE" : "UTF-16LE");
  if (u->cd == (iconv_t)-1) {
    free(u);
    return MTPORT_ENOTFOUND;
  }
  u->skip_bom = 1;
  *out = u;
  return MTPORT_OK;
}

void mtport_u16__free(mtport_u16 *u) {
  if (!u)
    return;
  iconv_close(u->cd);
  free(u);
}

int mtport_u16__feed(mtport_u16 *u, const char *in, size_t n, mtport_buf *out,
                     unsigned *bad) {
  mtport_buf work = MTPORT_BUF_INIT;
  if (mtport_buf_append(&work, (const char *)u->left, u->n_left) != MTPORT_OK ||
      mtport_buf_append(&work, in, n) != MTPORT_OK) {
    mtport_buf_dispose(&work);
    return MTPORT_ENOMEM;
  }
  u->n_left = 0;
  char *ip = work.data ? work.data : (char *)"";
  size_t ileft = work.len;
  if (u->skip_bom && ileft >= 2) {
    ip += 2, ileft -= 2; /* the BOM that chose the byte order */
    u->skip_bom = 0;
  }
  int rc = MTPORT_OK;
  char obuf[4096];
  while (ileft && rc == MTPORT_OK && !u->skip_bom) {
    char *op = obuf;
    size_t oleft = sizeof obuf;
    size_t r = iconv(u->cd, &ip, &ileft, &op, &oleft);
    rc = mtport_buf_append(out, obuf, (size_t)(op - obuf));
    if (r != (size_t)-1 || errno == E2BIG)
      continue;
    if (errno == EINVAL && n && ileft < sizeof u->left) {
      memcpy(u->left, ip, ileft); /* completed by the next chunk */
      u->n_left = ileft;
      break;
    }
    /* a lone surrogate, or the end of input inside a unit */
    size_t skip = ileft >= 2 ? 2 : ileft;
    ip += skip, ileft -= skip;
    (*bad)++;
    rc = mtport_buf_puts(out, "\xEF\xBF\xBD");
    iconv(u->cd, NULL, NULL, NULL, NULL);
  }
  if (u->skip_bom && ileft) { /* fewer than 2 bytes so far */
    memcpy(u->left, ip, ileft);
    u->n_left = ileft;
  }
  mtport_buf_dispose(&work);
  return rc;
}
