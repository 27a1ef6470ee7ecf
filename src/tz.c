/* Time zones for zone-less dates: fixed offsets or IANA zones read from the
 * TZif files under /usr/share/zoneinfo (RFC 8536), without touching the
 * process-wide TZ state. Dates past the last transition keep its offset
 * (the TZif footer rule is not evaluated; Debian's files list transitions
 * up to 2037). */
#include "mttext.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mtport_tz {
  int fixed;       /* 1: fixed offset */
  int fixed_min;   /* the fixed offset */
  size_t n_trans;  /* transitions */
  int64_t *at;     /* transition instants, ascending */
  int *trans_off;  /* offset (seconds) in force from at[i] */
  int initial_off; /* offset before the first transition */
};

static int S_fixed(const char *s, int *min) {
  if (strcmp(s, "Z") == 0 || strcmp(s, "UTC") == 0 || strcmp(s, "GMT") == 0 ||
      strcmp(s, "Etc/UTC") == 0) {
    *min = 0;
    return 1;
  }
  if (s[0] != '+' && s[0] != '-')
    return 0;
  int sign = s[0] == '-' ? -1 : 1;
  const char *p = s + 1;
  if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
    return -1;
  int h = (p[0] - '0') * 10 + (p[1] - '0'), m = 0;
  p += 2;
  if (*p == ':')
    p++;
  if (*p) {
    if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || p[2])
      return -1;
    m = (p[0] - '0') * 10 + (p[1] - '0');
  }
  if (h > 14 || m > 59)
    return -1;
  *min = sign * (h * 60 + m);
  return 1;
}

static uint32_t S_be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         p[3];
}

/* Parses TZif data; returns MTPORT_OK or MTPORT_EINVALID. */
static int S_parse_tzif(mtport_tz *tz, const unsigned char *d, size_t n) {
  if (n < 44 || memcmp(d, "TZif", 4) != 0)
    return MTPORT_EINVALID;
  int version = d[4];
  size_t tsize = 4;
  const unsigned char *h = d;
  for (int pass = 0; pass < 2; pass++) {
    if ((size_t)(h - d) + 44 > n || memcmp(h, "TZif", 4) != 0)
      return MTPORT_EINVALID;
    uint32_t isut = S_be32(h + 20), isstd = S_be32(h + 24),
             leap = S_be32(h + 28), timecnt = S_be32(h + 32),
             typecnt = S_be32(h + 36), charcnt = S_be32(h + 40);
    if (timecnt > 100000 || typecnt == 0 || typecnt > 256 || leap > 100000 ||
        charcnt > 100000 || isut > 256 || isstd > 256)
      return MTPORT_EINVALID;
    size_t body = timecnt * tsize + timecnt + typecnt * 6 + charcnt +
                  leap * (tsize + 4) + isstd + isut;
    const unsigned char *b = h + 44;
    if ((size_t)(b - d) + body > n)
      return MTPORT_EINVALID;
    if (pass == 0 && version >= '2') { /* skip to the 64-bit block */
      h = b + body;
      tsize = 8;
      continue;
    }
    const unsigned char *times = b, *idx = b + timecnt * tsize,
                        *types = idx + timecnt;
    tz->at = calloc(timecnt ? timecnt : 1, sizeof *tz->at);
    tz->trans_off = calloc(timecnt ? timecnt : 1, sizeof *tz->trans_off);
    if (!tz->at || !tz->trans_off)
      return MTPORT_ENOMEM;
    for (uint32_t i = 0; i < timecnt; i++) {
      int64_t t;
      if (tsize == 8)
        t = (int64_t)((uint64_t)S_be32(times + i * 8) << 32 |
                      S_be32(times + i * 8 + 4));
      else
        t = (int32_t)S_be32(times + i * 4);
      unsigned ti = idx[i];
      if (ti >= typecnt)
        return MTPORT_EINVALID;
      tz->at[i] = t;
      tz->trans_off[i] = (int32_t)S_be32(types + ti * 6);
      if (i && t <= tz->at[i - 1])
        return MTPORT_EINVALID;
    }
    tz->n_trans = timecnt;
    tz->initial_off = (int32_t)S_be32(types); /* type 0 */
    return MTPORT_OK;
  }
  return MTPORT_EINVALID;
}

static int S_name_ok(const char *s) {
  if (!*s || *s == '/' || strlen(s) > 200 || strstr(s, ".."))
    return 0;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && !strchr("_+-/", *s))
      return 0;
  return 1;
}

int mtport_tz__open(mtport_tz **out, const char *spec) {
  *out = NULL;
  if (!spec)
    return MTPORT_EINVALID;
  mtport_tz *tz = calloc(1, sizeof *tz);
  if (!tz)
    return MTPORT_ENOMEM;
  int min, f = S_fixed(spec, &min);
  if (f < 0) {
    free(tz);
    return MTPORT_EINVALID;
  }
  if (f > 0) {
    tz->fixed = 1;
    tz->fixed_min = min;
    *out = tz;
    return MTPORT_OK;
  }
  if (!S_name_ok(spec)) {
    free(tz);
    return MTPORT_EINVALID;
  }
  char path[512];
  snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", spec);
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    free(tz);
    return MTPORT_ENOTFOUND;
  }
  mtport_buf data = MTPORT_BUF_INIT;
  char chunk[4096];
  size_t k;
  while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0 && data.len < (1u << 20))
    mtport_buf_append(&data, chunk, k);
  fclose(fp);
  int rc = data.data
               ? S_parse_tzif(tz, (const unsigned char *)data.data, data.len)
               : MTPORT_EINVALID;
  mtport_buf_dispose(&data);
  if (rc != MTPORT_OK) {
    mtport_tz__free(tz);
    return rc == MTPORT_ENOMEM ? rc : MTPORT_ENOTFOUND;
  }
  *out = tz;
  return MTPORT_OK;
}

/* The offset (seconds) in force at instant @t. */
static int S_offset_at(const mtport_tz *tz, int64_t t) {
  if (!tz->n_trans || t < tz->at[0])
    return tz->initial_off;
  size_t lo = 0, hi = tz->n_trans; /* last at[i] <= t */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (tz->at[mid] <= t)
      lo = mid;
    else
      hi = mid;
  }
  return tz->trans_off[lo];
}

int mtport_tz__offset_local(const mtport_tz *tz, const mtport_tm *tm) {
  if (tz->fixed)
    return tz->fixed_min;
  mtport_time t;
  if (mtport_time_from_local(&t, tm, 0, 0) != MTPORT_OK)
    return 0;
  int64_t local = t.epoch; /* wall time read as if it were UTC */
  /* at most one transition within a day either side of a wall time */
  int before = S_offset_at(tz, local - 86400);
  int after = S_offset_at(tz, local + 86400);
  if (S_offset_at(tz, local - before) == before)
    return before / 60;
  if (S_offset_at(tz, local - after) == after)
    return after / 60;
  return before / 60; /* a gap: the wall time never happened */
}

void mtport_tz__free(mtport_tz *tz) {
  if (!tz)
    return;
  free(tz->at);
  free(tz->trans_off);
  free(tz);
}
