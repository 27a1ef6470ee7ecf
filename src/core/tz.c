/* Time zones for zone-less dates: fixed offsets or IANA zones read from the
 * TZif files under /usr/share/zoneinfo (RFC 8536), without touching the
 * process-wide TZ state. Instants past the last transition follow the
 * file's POSIX TZ footer rule (slim files list few transitions). */
#include "core.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A POSIX TZ rule date: Mm.w.d, Jn (no Feb 29) or n (0-based). */
typedef struct S_rule_date {
  char kind; /* 'M', 'J' or 'n' */
  int m, w, d, n;
  int secs; /* local time of the change, may be < 0 or > 24 h */
} S_rule_date;

typedef struct S_footer {
  int valid;
  int std_off, dst_off; /* seconds east of UTC */
  int has_dst;
  S_rule_date start, end;
} S_footer;

struct mtport_tz {
  S_footer rule;   /* after the last transition */
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

/* [+-]hh[:mm[:ss]] (hours up to 167 for rule times). */
static int S_hms(const char **pp, const char *end, int *secs) {
  const char *p = *pp;
  int sign = 1, v[3] = {0, 0, 0}, k = 0;
  if (p < end && (*p == '+' || *p == '-'))
    sign = *p++ == '-' ? -1 : 1;
  for (; k < 3; k++) {
    int digits = 0;
    while (p < end && isdigit((unsigned char)*p) && digits < 3)
      v[k] = v[k] * 10 + (*p++ - '0'), digits++;
    if (!digits)
      return -1;
    if (k == 2 || p >= end || *p != ':')
      break;
    p++;
  }
  if (v[0] > 167 || v[1] > 59 || v[2] > 59)
    return -1;
  *secs = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
  *pp = p;
  return 0;
}

static int S_zone_name(const char **pp, const char *end) {
  const char *p = *pp;
  if (p < end && *p == '<') {
    const char *q = memchr(p, '>', (size_t)(end - p));
    if (!q)
      return -1;
    *pp = q + 1;
    return 0;
  }
  while (p < end && isalpha((unsigned char)*p))
    p++;
  if (p - *pp < 3)
    return -1;
  *pp = p;
  return 0;
}

static int S_rule_date_parse(const char **pp, const char *end, S_rule_date *r) {
  const char *p = *pp;
  int v;
  r->secs = 7200;
  if (p < end && *p == 'M') {
    p++;
    r->kind = 'M';
    if (sscanf(p, "%d.%d.%d", &r->m, &r->w, &r->d) != 3 || r->m < 1 ||
        r->m > 12 || r->w < 1 || r->w > 5 || r->d < 0 || r->d > 6)
      return -1;
    while (p < end && (isdigit((unsigned char)*p) || *p == '.'))
      p++;
  } else {
    r->kind = 'n';
    if (p < end && *p == 'J')
      r->kind = 'J', p++;
    if (p >= end || !isdigit((unsigned char)*p))
      return -1;
    for (v = 0; p < end && isdigit((unsigned char)*p) && v < 1000; p++)
      v = v * 10 + (*p - '0');
    if (v > 365 || (r->kind == 'J' && v < 1))
      return -1;
    r->n = v;
  }
  if (p < end && *p == '/') {
    p++;
    if (S_hms(&p, end, &r->secs) != 0)
      return -1;
  }
  *pp = p;
  return 0;
}

/* Parses a footer such as "EST5EDT,M3.2.0,M11.1.0"; invalid leaves it off. */
static void S_footer_parse(S_footer *f, const char *p, const char *end) {
  S_footer r;
  memset(&r, 0, sizeof r);
  int off;
  if (S_zone_name(&p, end) != 0 || S_hms(&p, end, &off) != 0)
    return;
  r.std_off = -off; /* POSIX offsets count west */
  r.dst_off = r.std_off + 3600;
  if (p < end && *p != ',') {
    if (S_zone_name(&p, end) != 0)
      return;
    r.has_dst = 1;
    if (p < end && *p != ',') {
      if (S_hms(&p, end, &off) != 0)
        return;
      r.dst_off = -off;
    }
    if (p >= end || *p != ',')
      return; /* no rule: we do not guess one */
    p++;
    if (S_rule_date_parse(&p, end, &r.start) != 0 || p >= end || *p != ',')
      return;
    p++;
    if (S_rule_date_parse(&p, end, &r.end) != 0)
      return;
  }
  if (p != end)
    return;
  r.valid = 1;
  *f = r;
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
    /* the footer of version 2+ files: "\n<POSIX TZ>\n" */
    const char *ft = (const char *)b + body, *fe = (const char *)d + n;
    if (version >= '2' && ft < fe && *ft == '\n') {
      const char *nl = memchr(ft + 1, '\n', (size_t)(fe - ft - 1));
      if (nl)
        S_footer_parse(&tz->rule, ft + 1, nl);
    }
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

/* Days since 1970-01-01 of a calendar date. */
static int64_t S_days(int y, int m, int d) {
  mtport_tm tm = {y, m, d, 0, 0, 0};
  mtport_time t;
  if (mtport_time_from_local(&t, &tm, 0, 0) != MTPORT_OK)
    return 0;
  return t.epoch / 86400;
}

static int S_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Local seconds (from 1970, as if UTC) at which rule date @r falls in @y. */
static int64_t S_rule_local(const S_rule_date *r, int y) {
  int64_t day;
  if (r->kind == 'M') {
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int last = dm[r->m - 1] + (r->m == 2 && S_leap(y));
    int64_t first = S_days(y, r->m, 1);
    int wd = (int)(((first % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
    int md = 1 + (r->d - wd + 7) % 7 + (r->w - 1) * 7;
    while (md > last)
      md -= 7;
    day = first + md - 1;
  } else if (r->kind == 'J') { /* 1..365, Feb 29 never counted */
    day = S_days(y, 1, 1) + r->n - 1 + (S_leap(y) && r->n >= 60);
  } else {
    day = S_days(y, 1, 1) + r->n;
  }
  return day * 86400 + r->secs;
}

static int S_rule_offset(const S_footer *f, int64_t t) {
  if (!f->has_dst)
    return f->std_off;
  mtport_time tt = {t + f->std_off, 0, 1, 1};
  mtport_tm tm;
  mtport_time_local(&tt, &tm);
  int64_t start = S_rule_local(&f->start, tm.year) - f->std_off;
  int64_t end = S_rule_local(&f->end, tm.year) - f->dst_off;
  int in_dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
  return in_dst ? f->dst_off : f->std_off;
}

/* The offset (seconds) in force at instant @t. */
static int S_offset_at(const mtport_tz *tz, int64_t t) {
  if (tz->rule.valid && (!tz->n_trans || t >= tz->at[tz->n_trans - 1]))
    return S_rule_offset(&tz->rule, t);
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
