/* Dates: RFC 3339 / W3C-DTF parsing, calendar arithmetic without the C
 * library's time zone state (timegm is not C11), RFC 3339 output. */
#include "core.h"
#include <stdio.h>
#include <string.h>

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t S_days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void S_civil_from_days(int64_t z, int *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int S_days_in_month(int y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return dm[m - 1];
}

int mtport_time_from_local(mtport_time *out, const mtport_tm *tm,
                           int offset_min, int has_tz) {
  memset(out, 0, sizeof *out);
  if (tm->month < 1 || tm->month > 12 || tm->day < 1 ||
      tm->day > S_days_in_month(tm->year, tm->month) || tm->hour < 0 ||
      tm->hour > 23 || tm->minute < 0 || tm->minute > 59 || tm->second < 0 ||
      tm->second > 60 || offset_min < -24 * 60 || offset_min > 24 * 60)
    return MTPORT_EINVALID;
  int64_t days = S_days_from_civil(tm->year, tm->month, tm->day);
  out->epoch = days * 86400 + tm->hour * 3600 + tm->minute * 60 + tm->second -
               (int64_t)offset_min * 60;
  out->offset_min = offset_min;
  out->has_date = 1;
  out->has_tz = has_tz ? 1 : 0;
  return MTPORT_OK;
}

void mtport_time_local(const mtport_time *t, mtport_tm *out) {
  int64_t s = t->epoch + (int64_t)t->offset_min * 60;
  int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
  int64_t rem = s - days * 86400;
  S_civil_from_days(days, &out->year, &out->month, &out->day);
  out->hour = (int)(rem / 3600);
  out->minute = (int)(rem % 3600 / 60);
  out->second = (int)(rem % 60);
}

/* Reads exactly n digits. */
static int S_digits(const char **p, int n, int *v) {
  int x = 0;
  for (int i = 0; i < n; i++) {
    if ((*p)[i] < '0' || (*p)[i] > '9')
      return 0;
    x = x * 10 + ((*p)[i] - '0');
  }
  *p += n;
  *v = x;
  return 1;
}

int mtport_time_parse_iso(mtport_time *out, const char *s) {
  memset(out, 0, sizeof *out);
  if (!s)
    return MTPORT_EPARSE;
  while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
    s++;
  mtport_tm tm = {0, 1, 1, 0, 0, 0};
  const char *p = s;
  if (!S_digits(&p, 4, &tm.year))
    return MTPORT_EPARSE;
  if (*p == '-') {
    p++;
    if (!S_digits(&p, 2, &tm.month))
      return MTPORT_EPARSE;
    if (*p == '-') {
      p++;
      if (!S_digits(&p, 2, &tm.day))
        return MTPORT_EPARSE;
    }
  }
  int offset = 0, has_tz = 0;
  if (*p == 'T' || *p == 't' || *p == ' ') {
    p++;
    if (!S_digits(&p, 2, &tm.hour) || *p++ != ':' ||
        !S_digits(&p, 2, &tm.minute))
      return MTPORT_EPARSE;
    if (*p == ':') {
      p++;
      if (!S_digits(&p, 2, &tm.second))
        return MTPORT_EPARSE;
      if (*p == '.' || *p == ',') { /* fractions are dropped */
        p++;
        while (*p >= '0' && *p <= '9')
          p++;
      }
    }
    if (*p == 'Z' || *p == 'z') {
      has_tz = 1;
      p++;
    } else if (*p == '+' || *p == '-') {
      int sign = *p++ == '-' ? -1 : 1, hh, mm = 0;
      if (!S_digits(&p, 2, &hh))
        return MTPORT_EPARSE;
      if (*p == ':')
        p++;
      if (*p >= '0' && *p <= '9' && !S_digits(&p, 2, &mm))
        return MTPORT_EPARSE;
      if (hh > 23 || mm > 59)
        return MTPORT_EPARSE;
      offset = sign * (hh * 60 + mm);
      has_tz = 1;
    }
  }
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  if (*p)
    return MTPORT_EPARSE;
  if (tm.second == 60) /* a leap second: keep the instant representable */
    tm.second = 59;
  return mtport_time_from_local(out, &tm, offset, has_tz) == MTPORT_OK
             ? MTPORT_OK
             : MTPORT_EPARSE;
}

size_t mtport_time_format_rfc3339(const mtport_time *t, char *buf, size_t size,
                                  int zulu) {
  if (!t->has_date || size < 32) {
    if (size)
      buf[0] = '\0';
    return 0;
  }
  mtport_tm tm;
  mtport_time_local(t, &tm);
  char zone[24];
  int off = t->offset_min;
  if (off == 0 && zulu)
    strcpy(zone, "Z");
  else
    snprintf(zone, sizeof zone, "%c%02d:%02d", off < 0 ? '-' : '+',
             (off < 0 ? -off : off) / 60, (off < 0 ? -off : off) % 60);
  int n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d%s", tm.year,
                   tm.month, tm.day, tm.hour, tm.minute, tm.second, zone);
  return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

int mtport_time_cmp(const mtport_time *a, const mtport_time *b) {
  if (a->has_date != b->has_date)
    return a->has_date ? 1 : -1;
  return (a->epoch > b->epoch) - (a->epoch < b->epoch);
}
